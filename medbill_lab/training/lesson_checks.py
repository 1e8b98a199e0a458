"""Self-checks for the lessons: a learner answers, and the check says why the answer is right
or wrong and names the rule behind it.

Each check has one answer (plus other accepted spellings), the reason, the source of the rule,
and the reason behind the usual wrong answers.  Answers are compared as words (case, spaces and
a trailing full stop ignored) or, when both sides are amounts, as numbers ("$80", "80.00").
``check(id, answer)`` never raises for a wrong, blank or odd answer: it returns feedback.
The items are practice items written for the lessons, never a graded assignment's answers.

>>> check("l08_co_write_off", "no").correct
True
>>> print(check("l08_line_paid", "100").to_text().splitlines()[0])
Not yet: you answered 100; the answer is 80.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

X12_835 = "ASC X12 835 (005010X221A1) implementation guide"
CARC_LIST = "the X12 Claim Adjustment Reason Code list"
MEDICARE_APPEALS = "42 CFR 405.940-405.1136; Medicare Claims Processing Manual, ch. 29"
FDCPA = "Fair Debt Collection Practices Act, 15 U.S.C. 1692 et seq."


@dataclass(frozen=True)
class SelfCheck:
    """A question, its answer and accepted spellings, why, the rule's source, common slips."""

    id: str
    lesson: int
    prompt: str
    answer: str
    why: str
    source: str
    choices: tuple[str, ...] = ()  # when set, the only answers that make sense
    mistakes: dict[str, str] = field(default_factory=dict)
    also: tuple[str, ...] = ()


YES_NO = ("yes", "no")


CHECKS: dict[str, SelfCheck] = {
    c.id: c
    for c in (
        # -- lesson 08: remittance and posting ------------------------------------------------
        SelfCheck(
            "l08_co_write_off",
            8,
            "A line comes back with CAS*CO*45*40.00. May the practice bill the patient the $40?",
            "no",
            "CO (contractual obligation) says the provider bears the amount; CARC 45 is the "
            "charge above the fee the contract allows. The practice writes it off.",
            f"{X12_835}, CAS01 group codes; {CARC_LIST}, code 45",
            mistakes={
                "yes": "Billing the patient the difference between the charge and the allowed "
                "amount is balance billing, which the payer contract forbids; only PR amounts "
                "go to the patient.",
            },
            choices=YES_NO,
        ),
        SelfCheck(
            "l08_copay",
            8,
            "A line carries CAS*PR*3*25.00. Is the $25 the deductible, the coinsurance or the "
            "copay?",
            "copay",
            "In group PR (patient responsibility), CARC 1 is the deductible, 2 the coinsurance "
            "and 3 the copayment. The patient owes the $25.",
            f"{CARC_LIST}, codes 1-3",
            choices=("deductible", "coinsurance", "copay"),
            mistakes={
                "deductible": "The deductible is CARC 1, the amount the patient pays before "
                "the plan shares the cost.",
                "coinsurance": "Coinsurance is CARC 2, a percentage of the allowed amount.",
            },
            also=("copayment",),
        ),
        SelfCheck(
            "l08_line_paid",
            8,
            "A line is charged $150.00. The payer allows $100.00 and takes 20% coinsurance. "
            "How much does it pay on the line?",
            "80",
            "The allowed amount $100 splits into what the plan pays and what the patient owes: "
            "20% of $100 is $20 (PR-2), so the plan pays $80. The $50 above the allowed amount "
            "is CO-45. Check: 150 - 50 - 20 = 80.",
            f"{X12_835}, line balancing: charge - adjustments = paid",
            mistakes={
                "100": "$100 is the allowed amount; the patient's 20% comes out of it.",
                "120": "The coinsurance is 20% of the allowed $100, not of the $150 charge.",
                "130": "Both adjustments come off the charge: CO-45 $50 and PR-2 $20.",
                "70": "Only the allowed amount is shared: 20% of $100 is $20, not $30.",
            },
        ),
        SelfCheck(
            "l08_denied_status",
            8,
            "A claim's CLP segment reads CLP*A100*4*180*0*0*12*2026073000124. What does its "
            "status, 4, say: primary, secondary, denied or reversal?",
            "denied",
            "CLP02 is the claim status: 1 processed as primary, 2 as secondary, 3 as tertiary, "
            "4 denied, 22 a reversal of an earlier payment.",
            f"{X12_835}, CLP02",
            choices=("primary", "secondary", "denied", "reversal"),
            mistakes={
                "primary": "Processed as primary is status 1; here nothing was paid.",
                "secondary": "Processed as secondary is status 2.",
                "reversal": "A reversal is status 22, sent with the earlier amounts negated.",
            },
        ),
        SelfCheck(
            "l08_plb_balances",
            8,
            "An 835's claims pay $520.00 in total, and a PLB takes back a $20.00 overpayment "
            "(reason WO). The BPR payment is $500.00. Does the remittance balance?",
            "yes",
            "The payment equals the claims paid minus the provider-level adjustments: "
            "520.00 - 20.00 = 500.00.",
            f"{X12_835}, BPR02 balancing with PLB",
            mistakes={
                "no": "The check is short of the claims by exactly the PLB: a recovery the "
                "payer took back from this payment. That balances; post the PLB against the "
                "claim it was overpaid on.",
            },
            choices=YES_NO,
        ),
        SelfCheck(
            "l08_interest",
            8,
            "A PLB carries reason L6 (interest) and the amount -3.10. Does it make the payment "
            "larger or smaller than the claims paid?",
            "larger",
            "PLB amounts are subtracted from the claims paid, so a negative amount adds money: "
            "interest the payer owes the provider, posted as interest income, not to a claim.",
            f"{X12_835}, PLB; the BPR02 balancing rule",
            choices=("larger", "smaller"),
            mistakes={
                "smaller": "A positive PLB (a recovery) makes the payment smaller; a negative "
                "one, like interest, makes it larger.",
            },
        ),
        SelfCheck(
            "l08_trace",
            8,
            "The bank shows an EFT deposit. Which 835 segment carries the number that ties "
            "this remittance to that deposit: BPR, TRN or CLP?",
            "TRN",
            "TRN02 is the check or EFT trace number, the same number the payment carries; it "
            "is how a poster reassociates the money with its remittance, and the key that "
            "stops the same 835 from being posted twice.",
            f"{X12_835}, TRN02",
            choices=("BPR", "TRN", "CLP"),
            mistakes={
                "BPR": "BPR carries the amount, method and date, but the trace number is TRN02.",
                "CLP": "CLP is one claim in the payment; CLP07 is the payer's claim number.",
            },
        ),
        # -- lesson 09: denials and appeals ---------------------------------------------------
        SelfCheck(
            "l09_rejected_member_id",
            9,
            "A claim comes back on the 277CA as rejected (category A3) for an invalid member "
            "ID. You correct the ID. What do you send: 1 (new claim), 7 (replacement), "
            "8 (void) or appeal?",
            "1",
            "A rejected claim never entered adjudication: the payer holds no claim to replace "
            "or appeal, so the corrected claim goes out as a new original, frequency 1.",
            "ASC X12 277CA (005010X214) claim status category A3; CMS-1500 item 22 / CLM05-3 "
            "(NUCC instructions)",
            choices=("1", "7", "8", "appeal"),
            mistakes={
                "7": "A replacement (7) needs the payer's claim number of an adjudicated claim; "
                "a rejected claim has none.",
                "8": "A void (8) cancels an adjudicated claim; there is none, and the service is "
                "billable.",
                "appeal": "Only an adjudicated claim can be appealed; a rejection is fixed and "
                "resent.",
            },
        ),
        SelfCheck(
            "l09_timely_filing_proof",
            9,
            "A claim is denied CO-29 (the time limit for filing has expired), but your "
            "clearinghouse report shows the payer accepted it 40 days after the date of "
            "service, inside the 90-day limit. Do you write it off, bill the patient or appeal?",
            "appeal",
            "The payer is wrong, and you can prove it: appeal with the acceptance report as "
            "proof of timely filing. Only a claim truly filed late is written off.",
            f"{CARC_LIST}, code 29; the payer's timely-filing terms",
            choices=("write off", "bill the patient", "appeal"),
            mistakes={
                "write off": "A write-off gives up money the practice is owed: the report "
                "proves the claim was on time.",
                "bill the patient": "CO means the provider bears the amount; a CO-29 denial may "
                "never be billed to the patient.",
            },
        ),
        SelfCheck(
            "l09_no_auth_patient",
            9,
            "A denial reads CO-197 (precertification or authorization absent). No "
            "authorization was obtained and the payer allows no retro-authorization. May the "
            "practice bill the patient?",
            "no",
            "Group CO makes the amount the provider's obligation under its contract: getting "
            "the authorization was the provider's job, so the loss is the provider's.",
            f"{X12_835}, CAS01 group CO; {CARC_LIST}, code 197",
            mistakes={
                "yes": "Only group PR amounts may go to the patient. A CO-197 denial is written "
                "off once every way to get it paid is exhausted.",
            },
            choices=YES_NO,
        ),
        SelfCheck(
            "l09_excluded_service",
            9,
            "A line comes back PR-204 (not covered under the patient's benefit plan) with "
            "remark N130. Who owes the amount: the provider or the patient?",
            "patient",
            "Group PR puts the amount on the patient: the plan excludes the service, and the "
            "patient's contract with the plan says so (N130: consult plan benefit documents).",
            f"{X12_835}, CAS01 group PR; {CARC_LIST}, code 204",
            choices=("provider", "patient"),
            mistakes={
                "provider": "The provider absorbs CO amounts. PR-204 is a benefit the plan does "
                "not include, which the patient owes.",
            },
        ),
        SelfCheck(
            "l09_medicare_first_level",
            9,
            "Medicare denied a service you believe was covered, and the error is not a simple "
            "clerical one. What is the first level of appeal: redetermination, reconsideration "
            "or hearing?",
            "redetermination",
            "Medicare's five levels run: redetermination by the MAC (ask within 120 days of "
            "receiving the initial determination), reconsideration by a QIC (180 days), a "
            "hearing before an ALJ, review by the Medicare Appeals Council, and federal court.",
            MEDICARE_APPEALS,
            choices=("redetermination", "reconsideration", "hearing"),
            mistakes={
                "reconsideration": "Reconsideration by a Qualified Independent Contractor is "
                "the second level, after a redetermination.",
                "hearing": "An Administrative Law Judge hearing is the third level.",
            },
        ),
        SelfCheck(
            "l09_redetermination_days",
            9,
            "How many days from receiving Medicare's initial determination (the remittance "
            "advice) does a provider have to ask for a redetermination?",
            "120",
            "A redetermination must be requested within 120 days of receiving the notice of "
            "initial determination; the notice is presumed received 5 days after its date.",
            "42 CFR 405.942",
            mistakes={
                "180": "180 days is the limit for the second level, reconsideration.",
                "60": "60 days is the limit for the later levels (ALJ, Council, court).",
                "365": "One year is the limit for filing the claim itself, and for a reopening "
                "of a clerical error, not for a redetermination.",
            },
        ),
        # -- lesson 10: statements and collections -------------------------------------------
        SelfCheck(
            "l10_bucket",
            10,
            "A patient balance is from a visit 75 days before the report date. Which aging "
            "bucket: 0-30, 31-60, 61-90, 91-120 or 121+?",
            "61-90",
            "The lab counts age in days from the date of service: 75 is past 60 and no more "
            "than 90.",
            "medbill_lab.practice.aging (the lab's one bucket rule, as on the A/R report)",
            choices=("0-30", "31-60", "61-90", "91-120", "121+"),
            mistakes={
                "31-60": "31-60 ends at day 60; 75 days is older.",
                "0-30": "Aging counts from the date of service, not from the last statement.",
                "91-120": "91-120 starts at day 91.",
            },
        ),
        SelfCheck(
            "l10_plan_payments",
            10,
            "A patient owes $250.00 and agrees to pay $100.00 a month. How many payments does "
            "the plan have?",
            "3",
            "$100 + $100 leaves $50, which is a third, smaller payment: 100, 100, 50.",
            "medbill_lab.practice.statements.plan_schedule (the last installment is the remainder)",
            mistakes={
                "2": "Two payments of $100 leave $50 still owed: the plan needs a third.",
                "2.5": "A plan is counted in whole payments; the last one is the $50 left.",
            },
        ),
        SelfCheck(
            "l10_call_hour",
            10,
            "A collection agency calls a patient at 9:30 p.m. the patient's local time, "
            "without the patient's consent to late calls. Is that allowed?",
            "no",
            "A debt collector may not call at a time it should know is inconvenient; without "
            "other knowledge, before 8 a.m. and after 9 p.m. at the consumer's location are "
            "inconvenient.",
            f"{FDCPA}, section 1692c(a)(1); Regulation F, 12 CFR 1006.6(b)(1)",
            mistakes={
                "yes": "The law presumes calls after 9 p.m. (and before 8 a.m.) inconvenient; "
                "the agency may call between 8 a.m. and 9 p.m.",
            },
            choices=YES_NO,
        ),
        SelfCheck(
            "l10_fdcpa_creditor",
            10,
            "Does the FDCPA's definition of a debt collector cover the practice's own billing "
            "office collecting its own patients' balances in the practice's own name?",
            "no",
            "The FDCPA covers those who collect debts owed to another. A creditor collecting "
            "its own debts in its own name is outside the definition; a collection agency it "
            "places accounts with is inside. State laws and fairness still apply to the "
            "practice.",
            f"{FDCPA}, section 1692a(6)",
            mistakes={
                "yes": "Only those collecting for another are debt collectors under the FDCPA, "
                "or a creditor that collects under a different name that suggests a third "
                "party.",
            },
            choices=YES_NO,
        ),
        SelfCheck(
            "l10_gfe_dispute",
            10,
            "A self-pay patient was given a good faith estimate of $600. The bill comes to "
            "$1,050. May the patient start the patient-provider dispute process?",
            "yes",
            "An uninsured or self-pay patient may dispute a bill that comes to at least $400 "
            "more than the good faith estimate; $1,050 is $450 more.",
            "No Surprises Act; 45 CFR 149.610 (good faith estimates) and 149.620 (dispute "
            "resolution)",
            mistakes={
                "no": "The threshold is $400 over the estimate, and this bill is $450 over it.",
            },
            choices=YES_NO,
        ),
        SelfCheck(
            "l10_routine_waiver",
            10,
            "To keep patients happy, the office plans to waive every Medicare patient's "
            "coinsurance as a standing policy. Is that acceptable?",
            "no",
            "Routinely waiving Medicare cost-sharing can be a kickback or a beneficiary "
            "inducement, and it misstates the charge. A waiver is allowed case by case, not "
            "advertised, after a documented finding of financial need.",
            "Anti-Kickback Statute, 42 U.S.C. 1320a-7b(b); 42 U.S.C. 1320a-7a(i)(6)(A); "
            "OIG Special Fraud Alert on routine waivers of copayments",
            mistakes={
                "yes": "A standing waiver for everyone is exactly what the OIG warns against; "
                "hardship waivers are individual and documented.",
            },
            choices=YES_NO,
        ),
        SelfCheck(
            "l10_days_in_ar",
            10,
            "Open A/R is $90,000. Charges over the last 90 days were $270,000. How many days "
            "are in A/R?",
            "30",
            "Days in A/R = open A/R / average daily charges. $270,000 / 90 = $3,000 a day, and "
            "$90,000 / $3,000 = 30 days.",
            "the A/R key performance indicator (MedBill Lab REFERENCE: days in A/R)",
            mistakes={
                "3": "$270,000 / $90,000 = 3 is a ratio, not days: divide the A/R by the "
                "average charges per day.",
                "0.33": "That is A/R over charges; divide by the charges per day ($3,000).",
            },
        ),
    )
}


def checks(lesson: int) -> list[SelfCheck]:
    """The self-checks of one lesson, in the order the lesson asks them."""
    return [c for c in CHECKS.values() if c.lesson == lesson]


def _amount(text: str) -> Decimal | None:
    """A number written as money or plain, or None.

    >>> _amount("$1,050.00"), _amount("80"), _amount("61-90")
    (Decimal('1050.00'), Decimal('80'), None)
    """
    try:
        return Decimal(text.replace("$", "").replace(",", ""))
    except InvalidOperation:
        return None


def normalise(answer: object) -> str:
    """An answer in a comparable form: lower case, single spaces, no trailing full stop, a
    hyphen between words read as a space (numbers keep theirs: "61-90").

    >>> normalise("  Write-Off. "), normalise(80), normalise("61-90"), normalise(None)
    ('write off', '80', '61-90', '')
    """
    if not isinstance(answer, str | int | float | Decimal) or isinstance(answer, bool):
        return ""
    text = re.sub(r"\s+", " ", str(answer)).strip().rstrip(".").lower()
    return re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text)


def _same(given: str, expected: str) -> bool:
    a, b = _amount(given), _amount(expected)
    if a is not None and b is not None:
        return a == b
    return given == normalise(expected)


@dataclass
class Feedback:
    """The result of one self-check: right or not, and why, in plain lines."""

    check: SelfCheck
    given: str
    correct: bool
    lines: list[str]

    def to_text(self) -> str:
        """The feedback as plain text."""
        return "\n".join(self.lines)


def check(check_id: str, answer: object) -> Feedback:
    """Feedback on one answer: right or not, why, and the rule's source.

    Wrong, blank or odd answers never raise; ValueError only for an unknown ``check_id``.
    """
    if check_id not in CHECKS:
        raise ValueError(f"unknown self-check {check_id!r}; use one of {', '.join(CHECKS)}")
    c = CHECKS[check_id]
    given = normalise(answer)
    rule = f"(Rule: {c.source}.)"
    if not given:
        return Feedback(c, given, False, ["No answer yet: type one between the quotes.", c.prompt])
    if any(_same(given, a) for a in (c.answer, *c.also)):
        return Feedback(c, given, True, [f"Right: {c.answer}. {c.why}", rule])
    if c.choices and not any(_same(given, x) for x in (*c.choices, *c.also)):
        return Feedback(c, given, False, [f"Answer one of: {', '.join(c.choices)}."])
    slip = next((text for k, text in c.mistakes.items() if _same(given, k)), None)
    shown = next((x for x in (*c.choices, *c.mistakes) if _same(given, x)), given)
    lines = [f"Not yet: you answered {shown}; the answer is {c.answer}."]
    lines.append(slip or "That answer does not fit this situation.")
    lines += [f"Why {c.answer}: {c.why}", rule]
    return Feedback(c, given, False, lines)


def report(answers: dict[str, object]) -> tuple[str, int]:
    """Feedback on a whole set of answers as one text, and how many were right."""
    parts, right = [], 0
    for check_id, answer in answers.items():
        feedback = check(check_id, answer)
        right += feedback.correct
        parts.append(f"[{check_id}]\n{feedback.to_text()}")
    parts.append(f"{right} of {len(answers)} right")
    return "\n\n".join(parts), right
