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

from medbill_lab.practice import aging
from medbill_lab.training.self_check import Feedback, not_yet, unanswered

X12_835 = "ASC X12 835 (005010X221A1) implementation guide"
CARC_LIST = "the X12 Claim Adjustment Reason Code list"
MEDICARE_APPEALS = "42 CFR 405.940-405.1136; Medicare Claims Processing Manual, ch. 29"
FDCPA = "Fair Debt Collection Practices Act, 15 U.S.C. 1692 et seq."
GUIDELINES = "ICD-10-CM Official Guidelines for Coding and Reporting FY2026"
CODE_SETS = "HIPAA code sets, 45 CFR 162.1002 and 162.1011 (valid on the date of service)"
NUCC = "NUCC 1500 Claim Form Reference Instruction Manual"
X12_837P = "ASC X12 837P (005010X222A1) implementation guide"
ACK_999 = "ASC X12 999 (005010X231A1) implementation acknowledgement"
FCA = "False Claims Act, 31 U.S.C. 3729"
AKS = "Anti-Kickback Statute, 42 U.S.C. 1320a-7b(b)"
STARK = "Stark law (physician self-referral), 42 U.S.C. 1395nn"
EXCLUSION = "OIG exclusion, 42 U.S.C. 1320a-7 and 1320a-7a(a)(6)"
SAFE_HARBOR = "HIPAA Safe Harbor, 45 CFR 164.514(b)(2)(i)"
MIN_NECESSARY = "HIPAA minimum necessary, 45 CFR 164.502(b)"
BREACH = "HIPAA Breach Notification Rule, 45 CFR 164.400-414"


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
            f"bucket: {', '.join(aging.BUCKETS[:-1])} or {aging.BUCKETS[-1]}?",
            "61-90",
            "The lab counts age in days from the date of service: 75 is past 60 and no more "
            "than 90.",
            "medbill_lab.practice.aging (the lab's one bucket rule, as on the A/R report)",
            choices=aging.BUCKETS,
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
        # -- lesson 06: the CMS-1500 and claim scrubbing --------------------------------------
        SelfCheck(
            "l06_no_grace",
            6,
            "A visit on October 6, 2025 is coded E78.01, a billable code in FY2025 that became a "
            "header (with new codes below it) on October 1, 2025. Does the claim pass with "
            "E78.01?",
            "no",
            "A code must be valid on the date of service. ICD-10-CM changes every October 1 "
            "with no grace period, so from that day the claim needs one of the new, more "
            "specific codes; the scrubber's ICD-INVALID edit stops it.",
            f"{CODE_SETS}; {GUIDELINES}, sections I.A.3 and I.B.2 (only codes are reported, "
            "to the full number of characters)",
            mistakes={
                "yes": "The year that counts is the date of service's. A code that was billable "
                "last year and is a header now is not a valid code for this visit.",
            },
            choices=YES_NO,
        ),
        SelfCheck(
            "l06_rejected_or_denied",
            6,
            "A payer's 835 shows a line processed and paid $0.00 with CARC 50 (not deemed a "
            "medical necessity). Was the line rejected or denied?",
            "denied",
            "A denial comes after adjudication: the payer processed the line, did not pay it, "
            "and gave the reason code on the 835. It is corrected or appealed. A rejection is a "
            "front-end edit: the claim never entered adjudication and never reaches an 835; you "
            "fix it and send it again.",
            "ASC X12 835 (005010X221A1) claim adjustment reason codes; ASC X12 277CA "
            "(005010X214) claim acknowledgement",
            choices=("rejected", "denied"),
            mistakes={
                "rejected": "A rejected claim is returned before adjudication (on a 999 or "
                "277CA) and has no 835. This line was adjudicated, and not paid: a denial.",
            },
        ),
        SelfCheck(
            "l06_pointer",
            6,
            "Item 21 holds A: J06.9 (acute upper respiratory infection) and B: R05.1 (acute "
            "cough). A line is justified by the cough only. What goes in that line's item 24E?",
            "B",
            "Item 24E points, by letter, to the item 21 diagnoses that justify the line. The "
            "cough is in slot B.",
            f"{NUCC}, items 21 and 24E",
            mistakes={
                "A": "A is the first-listed diagnosis, but each line points to the diagnosis "
                "that justifies it, and this line's is the cough in slot B.",
                "R05.1": "Item 24E takes the letter of the item 21 slot, not the code itself.",
                "2": "On paper the pointer is a letter; 2 is how the 837P writes the same "
                "pointer (lesson 07).",
            },
        ),
        SelfCheck(
            "l06_indicator_0",
            6,
            "An NCCI procedure-to-procedure pair has modifier indicator 0. The note shows the "
            "two services at separate sessions on the same day. Does 59 on the column 2 code "
            "get it paid?",
            "no",
            "Indicator 0 means no modifier bypasses the edit: the column 2 code is not paid with "
            "the column 1 code on the same day, whatever the documentation. Only indicator 1 "
            "pairs may be bypassed, and only when the record shows distinct services.",
            "NCCI Policy Manual for Medicare Services, ch. I (modifier indicators); CMS NCCI "
            "procedure-to-procedure edit files",
            mistakes={
                "yes": "59 bypasses only indicator 1 pairs. At indicator 0, adding it changes "
                "nothing, and a modifier added just to get paid is a compliance risk.",
            },
            choices=YES_NO,
        ),
        SelfCheck(
            "l06_total_charge",
            6,
            "A claim's three lines charge $135.00, $45.00 and $20.00 in item 24F. What goes in "
            "item 28?",
            "200",
            "Item 28 is the total charge: the sum of every line's 24F, 135 + 45 + 20 = 200. A "
            "total that differs from the lines is the scrubber's TOTAL-MISMATCH edit.",
            f"{NUCC}, items 24F and 28",
            mistakes={
                "135": "That is line 1's charge; item 28 adds up every line.",
                "65": "The total includes line 1 as well: 135 + 45 + 20.",
            },
        ),
        SelfCheck(
            "l06_excludes1",
            6,
            "The scrubber finds two diagnoses on a claim where one code's Excludes1 note names "
            "the other. Is its edit a reject, a deny or a warn?",
            "warn",
            "Excludes1 usually means one of the codes is wrong, but the guidelines allow both "
            "when the two conditions are unrelated to each other. So the lab warns: look at the "
            "record (query the provider when unsure) before sending the claim.",
            f"{GUIDELINES}, section I.A.12.a (Excludes1 and its exception)",
            choices=("reject", "deny", "warn"),
            mistakes={
                "reject": "A rejection is for data the claim cannot be processed with; an "
                "Excludes1 pair is a coding question the record answers.",
                "deny": "A payer with a strict rule may deny the pair, but the guideline itself "
                "allows two unrelated conditions, so the edit cannot say the claim is wrong.",
            },
        ),
        SelfCheck(
            "l06_external_cause_first",
            6,
            "A patient cut her right hand on a kitchen knife. Item 21 lists A: W26.0XXA (contact "
            "with knife) and B: S61.411A (laceration of the right hand). Is the order right?",
            "no",
            "An external-cause code says how the injury happened and is never first-listed: the "
            "injury, S61.411A, goes in A, and W26.0XXA follows it.",
            f"{GUIDELINES}, section I.C.20 (external cause codes are secondary)",
            mistakes={
                "yes": "The knife is the cause, not the condition treated. External cause codes "
                "(V00-Y99) may never be first; the scrubber's DX-FIRST edit says so.",
            },
            choices=YES_NO,
        ),
        # -- lesson 07: the clearinghouse and the 837P ----------------------------------------
        SelfCheck(
            "l07_accepted_not_paid",
            7,
            "A 999 comes back with IK5*A and AK9*A*1*1*1. Has the payer agreed to pay the "
            "claims in the file?",
            "no",
            "A 999 answers the file's syntax only: accepted means well-formed. Each claim is "
            "then accepted or rejected on the 277CA, and paid, adjusted or denied on the 835.",
            f"{ACK_999}; ASC X12 277CA (005010X214)",
            mistakes={
                "yes": "A 999 accept says the file follows the implementation guide. The payer "
                "has not yet looked at the member, the codes or the money.",
            },
            choices=YES_NO,
        ),
        SelfCheck(
            "l07_pointer_number",
            7,
            "On the paper form a line points to diagnoses A and C. What does the 837P's SV107 "
            "carry for it (components separated by a colon)?",
            "1:3",
            "SV107 holds the diagnosis pointers as numbers, the position of each diagnosis in "
            "the HI segment: A is 1 and C is 3, written 1:3.",
            f"{X12_837P}, loop 2400 SV107; {NUCC}, item 24E",
            also=("1 3", "1 and 3"),
            mistakes={
                "A:C": "The letters are the paper form's; the 837P writes each pointer as a "
                "number, A as 1 and C as 3.",
                "1:2": "C is the third diagnosis, so its pointer is 3, even when the line does "
                "not point to B.",
            },
        ),
        SelfCheck(
            "l07_principal_qualifier",
            7,
            "In the 837P's HI segment, which qualifier marks the first (principal) ICD-10-CM "
            "diagnosis: ABK, ABF or BK?",
            "ABK",
            "ABK marks the principal ICD-10-CM diagnosis (item 21A); every other ICD-10-CM code "
            "follows as ABF.",
            f"{X12_837P}, loop 2300 HI01-01 and HI02-01",
            choices=("ABK", "ABF", "BK"),
            mistakes={
                "ABF": "ABF marks the other ICD-10-CM diagnoses, after the first.",
                "BK": "BK is the ICD-9-CM principal diagnosis. The 5010 guide still lists it, "
                "so the 999 may pass it, but ICD-9 codes are not valid for services since "
                "October 1, 2015 and the payer rejects the claim.",
            },
        ),
        SelfCheck(
            "l07_no_patient_loop",
            7,
            "The patient is herself the insured (the policyholder). Does the 837P have a patient "
            "loop (2000C, HL level 23) for her?",
            "no",
            "When the patient is the subscriber, items 2, 3 and 5 travel in the subscriber loop "
            "2010BA; there is no 2000C, and SBR02 says 18 (self).",
            f"{X12_837P}, loops 2000B and 2000C, SBR02",
            mistakes={
                "yes": "The patient level (HL 23) is only for a patient who is not the "
                "subscriber, such as a child on a parent's plan.",
            },
            choices=YES_NO,
        ),
        SelfCheck(
            "l07_ik4_element",
            7,
            "A 999 reads IK3*SV1*24**8, then IK4*2*782*6*13O. Which element holds the bad value: "
            "SV101, SV102 or SV106?",
            "SV102",
            "IK4-01 is the element's position in the segment IK3 names: 2, so SV102, the line's "
            "charge (item 24F). 782 is the data element's number and 6 the error (invalid "
            "character: the letter O for a zero).",
            f"{ACK_999}, IK3 and IK4",
            choices=("SV101", "SV102", "SV106"),
            mistakes={
                "SV106": "6 is the error code in IK4-03 (invalid character); the position is "
                "IK4-01, which is 2.",
                "SV101": "SV101 is the procedure code; IK4-01 says the error is in position 2.",
            },
        ),
        SelfCheck(
            "l07_whole_set_rejected",
            7,
            "A 999 rejects a transaction set of two claims (IK5*R) because one claim's date is "
            "invalid. Did the other claim reach the payer?",
            "no",
            "A 999 accepts or rejects a whole transaction set: every claim inside goes back. "
            "Fix the bad element and send the file again.",
            f"{ACK_999}, IK5 and AK9",
            mistakes={
                "yes": "The rejection is of the transaction set, not of one claim: the correct "
                "claim went back with the bad one.",
            },
            choices=YES_NO,
        ),
        # -- lesson 11: fraud, waste and abuse -------------------------------------------------
        SelfCheck(
            "l11_fca_knowingly",
            11,
            "A biller knows nobody checks the E/M levels a physician picks against the notes, and "
            "submits them to Medicare without ever looking. For the False Claims Act, must the "
            "government prove she meant to defraud?",
            "no",
            "The Act's 'knowingly' covers actual knowledge, deliberate ignorance and reckless "
            "disregard of the truth, and needs no specific intent to defraud. Submitting claims "
            "while choosing not to look is reckless disregard.",
            f"{FCA}(b)(1)",
            mistakes={
                "yes": "The False Claims Act says in so many words that no specific intent to "
                "defraud is required; deliberate ignorance and reckless disregard are enough.",
            },
            choices=YES_NO,
        ),
        SelfCheck(
            "l11_stark_intent",
            11,
            "An orthopedist refers his Medicare patients for physical therapy to a clinic his "
            "daughter owns. No exception fits, and he did not know the law. Has he broken the "
            "Stark law?",
            "yes",
            "Stark is strict liability: a physician's referral of a Medicare patient for a "
            "designated health service (physical therapy is one) to an entity with which he or "
            "an immediate family member (a child is one) has a financial relationship is "
            "prohibited unless an exception fits. Intent does not matter; the claims must not "
            "be paid.",
            f"{STARK}; 42 CFR 411.351 (immediate family member)",
            mistakes={
                "no": "Not knowing the law is no defence under Stark; only the Anti-Kickback "
                "Statute needs knowing and willful conduct. A daughter counts as immediate "
                "family.",
            },
            choices=YES_NO,
        ),
        SelfCheck(
            "l11_kickback",
            11,
            "A medical equipment supplier pays a nursing home's discharge planner (not a "
            "physician) $100 for each Medicare patient she steers to it. Which law forbids the "
            "payment itself: FCA, AKS, Stark or exclusion?",
            "AKS",
            "Paying anything of value to induce referrals of federal health care program "
            "business is what the Anti-Kickback Statute forbids, whoever is paid.",
            AKS,
            choices=("FCA", "AKS", "Stark", "exclusion"),
            also=("anti kickback statute", "the anti kickback statute"),
            mistakes={
                "Stark": "Stark is about referrals by physicians with a financial relationship; "
                "the discharge planner is not a physician.",
                "FCA": "Claims that result from a kickback are also false claims under the FCA "
                "(42 U.S.C. 1320a-7b(g)), but the payment itself is what the AKS forbids.",
                "exclusion": "Exclusion is a penalty the OIG may impose afterwards, not the law "
                "the payment breaks.",
            },
        ),
        SelfCheck(
            "l11_excluded_person",
            11,
            "A practice hires a nurse practitioner who is on the OIG's exclusion list (LEIE). She "
            "sees Medicare patients and the practice bills for her work. Will Medicare pay for "
            "her services?",
            "no",
            "Federal health care programs pay nothing for items or services furnished, ordered "
            "or prescribed by an excluded person, and the practice that bills them faces civil "
            "money penalties. That is why practices check the LEIE before hiring and monthly "
            "after.",
            f"{EXCLUSION}; 42 CFR 1001.1901",
            mistakes={
                "yes": "Exclusion follows the person: her services are not paid, whoever bills "
                "them and under whatever provider number.",
            },
            choices=YES_NO,
        ),
        SelfCheck(
            "l11_overpayment_days",
            11,
            "An internal audit identifies a Medicare overpayment (duplicate lines that were "
            "paid). How many days does the practice have to report and return it?",
            "60",
            "An overpayment must be reported and returned within 60 days after it is "
            "identified; one kept past the deadline is an obligation under the False Claims "
            "Act (a reverse false claim). The one pause: a timely, good-faith investigation of "
            "related overpayments suspends the deadline, for at most 180 days.",
            f"42 U.S.C. 1320a-7k(d); 42 CFR 401.305; {FCA}(a)(1)(G)",
            mistakes={
                "120": "120 days is Medicare's limit for asking for a redetermination (lesson "
                "09), not for returning money.",
                "30": "The statute gives 60 days from identifying the overpayment.",
                "180": "180 days is the longest the deadline may be suspended while related "
                "overpayments are investigated in good faith; the deadline itself is 60 days.",
                "365": "A year is the limit for filing a claim, not for returning an overpayment.",
            },
        ),
        SelfCheck(
            "l11_flag_is_a_lead",
            11,
            "The lab's detector flags a provider whose E/M levels sit far above its specialty's "
            "peers. Is the flag, by itself, proof of fraud?",
            "no",
            "A flag is a lead for review. The provider may see sicker patients; only the "
            "records show whether the levels were supported, and only knowledge (or reckless "
            "disregard) turns wrong claims into fraud.",
            f"OIG compliance program guidance, elements 5 (auditing and monitoring) and 7 "
            f"(responding to problems); {FCA}(b)(1)",
            mistakes={
                "yes": "A pattern is not proof: review the documentation, and an honest "
                "explanation (a sicker panel) ends the matter.",
            },
            choices=YES_NO,
        ),
        SelfCheck(
            "l11_repeat_91",
            11,
            "A physician orders a patient's blood glucose measured at 8 a.m. and again at 2 p.m. "
            "the same day to adjust insulin, and the lab bills the second test with modifier "
            "91. Is the second line duplicate billing?",
            "no",
            "Modifier 91 says a lab test was repeated on the same day to get a new result for "
            "the patient's care. An ordered, documented repeat is a second service, not a "
            "duplicate (91 is not for a rerun after a specimen or equipment problem); the lab's "
            "duplicate rule leaves lines with 76, 77 or 91 alone.",
            "CPT modifier 91 (repeat clinical diagnostic laboratory test); NCCI Policy Manual "
            "for Medicare Services, ch. I",
            mistakes={
                "yes": "A duplicate is the same service billed again with nothing to show it "
                "was done twice. Here the record and the modifier say it was.",
            },
            choices=YES_NO,
        ),
        # -- lesson 12: HIPAA and confidentiality ----------------------------------------------
        SelfCheck(
            "l12_year_stays",
            12,
            "In a data set de-identified by Safe Harbor, may the year of a date of service stay?",
            "yes",
            "Safe Harbor removes every element of a date except the year. The year goes too "
            "only when it shows an age over 89.",
            f"{SAFE_HARBOR}(C)",
            mistakes={
                "no": "The year is the one date element Safe Harbor keeps; the month and the "
                "day go.",
            },
            choices=YES_NO,
        ),
        SelfCheck(
            "l12_age_over_89",
            12,
            "A patient is 91. What does a Safe Harbor data set show as the age: 91, 90 or "
            "older, or nothing?",
            "90 or older",
            "Ages over 89, and any date or year that shows one, are gathered into a single "
            "category of 90 or older. Younger ages may stay as they are.",
            f"{SAFE_HARBOR}(C)",
            choices=("91", "90 or older", "nothing"),
            also=("90+",),
            mistakes={
                "91": "Few people are over 89, so an exact age that high narrows down who it is.",
                "nothing": "The age may stay; only ages over 89 collapse into one category.",
            },
        ),
        SelfCheck(
            "l12_zip3",
            12,
            "A patient's ZIP code is 62901-1234, and the 629 area has more than 20,000 people. "
            "What may the data set's zip3 column show?",
            "629",
            "Geography smaller than a state goes, but the first three digits of a ZIP code may "
            "stay when that three-digit area has more than 20,000 people; areas of 20,000 or "
            "fewer become 000.",
            f"{SAFE_HARBOR}(B)",
            mistakes={
                "000": "000 is only for the three-digit areas of 20,000 people or fewer; 629 "
                "is not one of them.",
                "62901": "All five digits are a geographic unit smaller than a state; only the "
                "first three may stay.",
            },
        ),
        SelfCheck(
            "l12_provider_names",
            12,
            "For Safe Harbor, must a note's treating physician's name be removed?",
            "no",
            "Safe Harbor names the individual and the individual's relatives, employers and "
            "household members. HHS's guidance says there is no explicit requirement to remove "
            "providers' names. The lab removes them anyway, a policy stricter than the rule.",
            f"{SAFE_HARBOR}(A); HHS, Guidance Regarding Methods for De-identification (2012)",
            mistakes={
                "yes": "That is the lab's own, stricter policy. The rule itself covers the "
                "patient and their relatives, employers and household members.",
            },
            choices=YES_NO,
        ),
        SelfCheck(
            "l12_masked_is_phi",
            12,
            "A masked export (names and dates of service kept, member IDs cut to the last four) "
            "is emailed to the wrong person. Is the export still PHI?",
            "yes",
            "Masking applies minimum necessary; it does not de-identify. Names and dates still "
            "identify the patients, so the export is PHI, and sending it to the wrong person is "
            "presumed a breach unless a risk assessment shows a low probability of compromise.",
            f"{SAFE_HARBOR}; {BREACH}, section 164.402",
            mistakes={
                "no": "A masked list keeps names and dates. De-identified data has lost all 18 "
                "identifiers (or passed an expert's determination).",
            },
            choices=YES_NO,
        ),
        SelfCheck(
            "l12_treatment_disclosure",
            12,
            "A physician's office sends a patient's full record to the specialist who will "
            "treat her next. Does the minimum necessary standard limit this disclosure?",
            "no",
            "Minimum necessary does not apply to disclosures to, or requests by, a health care "
            "provider for treatment. It does apply to payment and operations, such as records "
            "sent to a payer.",
            f"{MIN_NECESSARY}(2)(i)",
            mistakes={
                "yes": "Treatment is the named exception: a treating provider may need the "
                "whole record.",
            },
            choices=YES_NO,
        ),
        SelfCheck(
            "l12_encrypted_backup",
            12,
            "A courier loses a backup disk of the practice's claims. The files were encrypted as "
            "HHS's guidance describes, and the key stayed at the practice. Must the practice "
            "notify the patients?",
            "no",
            "The notification rules apply to unsecured PHI. PHI encrypted to HHS's guidance, "
            "with the key kept apart, is secured, so its loss needs no notification.",
            f"{BREACH}, sections 164.402 (unsecured PHI) and 164.404",
            mistakes={
                "yes": "Notification is for unsecured PHI; encryption as HHS describes makes "
                "the data unreadable to whoever finds it.",
            },
            choices=YES_NO,
        ),
        SelfCheck(
            "l12_breach_days",
            12,
            "A practice discovers a breach of unsecured PHI of 620 patients. At the latest, how "
            "many days after discovery must each patient be notified?",
            "60",
            "Individuals are told without unreasonable delay and no later than 60 calendar days "
            "after the breach is discovered. With 500 or more affected, HHS is told in the same "
            "time, and the media too when more than 500 live in one state.",
            f"{BREACH}, sections 164.404(b), 164.406 and 164.408",
            mistakes={
                "30": "HIPAA's outer limit is 60 days (a state's law may be shorter); 'without "
                "unreasonable delay' can mean sooner.",
                "365": "The yearly log is for telling HHS about breaches of fewer than 500 "
                "people; the patients are always told within 60 days.",
            },
        ),
    )
}


def checks(lesson: int) -> list[SelfCheck]:
    """The self-checks of one lesson, in the order the lesson asks them."""
    return [c for c in CHECKS.values() if c.lesson == lesson]


def _amount(text: str) -> Decimal | None:
    """A number written as money or plain, or None.

    >>> _amount("$1,050.00"), _amount("80"), _amount("61-90"), _amount("snan")
    (Decimal('1050.00'), Decimal('80'), None, None)
    """
    try:
        value = Decimal(text.replace("$", "").replace(",", ""))
    except InvalidOperation:
        return None
    # "nan", "inf" and "snan" parse as Decimals, but are no amount ("snan" even raises when
    # compared), so they are compared as words
    return value if value.is_finite() else None


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
        return unanswered(c, given, c.prompt)
    if any(_same(given, a) for a in (c.answer, *c.also)):
        return Feedback(c, given, True, [f"Right: {c.answer}. {c.why}", rule])
    if c.choices and not any(_same(given, x) for x in (*c.choices, *c.also)):
        return Feedback(c, given, False, [f"Answer one of: {', '.join(c.choices)}."])
    slip = next((text for k, text in c.mistakes.items() if _same(given, k)), None)
    shown = next((x for x in (*c.choices, *c.mistakes) if _same(given, x)), given)
    lines = [*not_yet(shown, c.answer, slip), f"Why {c.answer}: {c.why}", rule]
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
