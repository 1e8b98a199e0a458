"""A teaching payer: adjudicate a claim the way a payer's claim system would.

:func:`adjudicate` first runs the front end (the clearinghouse and payer edits
that *reject* a claim before it is processed: a malformed member ID, a
diagnosis or procedure not valid on the date of service).  A rejected claim
gets a :class:`Rejection` (it goes back on a 277CA, never on an 835).  An
accepted claim is priced line by line and comes back as a
:class:`~medbill_lab.payer.remittance.RemitClaim`:

* coverage terminated before the date of service: every line CO-27, status 4;
* sent after the payer's filing limit: every line CO-29, status 4;
* a service the plan excludes: **PR**-204 (not covered under the patient's
  current benefit plan) with RARC N130 (consult plan benefit documents).  The
  patient owes it: group PR, because no contract bars the provider from billing
  the patient for a benefit the plan does not include (CO is only for what the
  provider's contract makes it absorb; X12 835 guide, CAS01 group codes);
* a code that needs prior authorization sent without one (item 23): CO-197, RARC M62;
* an NCCI column-2 code with its column-1 code the same day and no bypass
  modifier: CO-97, RARC M15;
* an E/M inside a same-day procedure's global package (no 25 beside a 0/10-day
  procedure, no 57 beside a 90-day one; :func:`~medbill_lab.claims.scrubber.em_global_conflicts`):
  CO-97, RARC M15;
* a preventive service (:func:`is_preventive`) for a plan that must cover it
  without cost sharing (a non-grandfathered commercial plan: ACA section 2713,
  45 CFR 147.130; Medicare for the services whose Part B deductible and
  coinsurance are waived): CO-45 only, the payer pays the whole allowed amount;
* otherwise the allowed amount (fee schedule x units, or a percent of the
  charge; never more than the charge): CO-45 for charge - allowed, then the
  deductible PR-1, the E/M copay PR-3 (once per claim), and coinsurance PR-2
  on what is left.  A line that carries the copay has no coinsurance unless the
  plan applies both (``copay_and_coinsurance``, atypical).  The payer pays the rest.

The plan options (``plan_type``, ``grandfathered``, ``copay_and_coinsurance``,
``secondary_method``) of the practice's payers are in
``datasets/practice/payer_plans.csv`` (:func:`plan_options`), each explained by
:data:`PLAN_OPTIONS`.

Every line and claim balances (charge - adjustments = paid).  A claim whose
every line was denied has status 4; otherwise 1 (primary) or 2 (secondary,
:func:`adjudicate_secondary`, which applies the plan's coordination-of-benefits
method: see :data:`SECONDARY_METHODS`).  :func:`remit` gathers adjudicated
claims into one balanced :class:`~medbill_lab.payer.remittance.Remittance`.

>>> round_money(Decimal("10.005")), round_money(Decimal("-0.004"))
(Decimal('10.01'), Decimal('0.00'))
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from medbill_lab.claims.institutional import InstitutionalClaim
from medbill_lab.claims.model import Claim, Organization, Payer, ServiceLine
from medbill_lab.claims.scrubber import em_global_conflicts, scrub
from medbill_lab.claims.text import x12_text
from medbill_lab.codes.ncci import bypass_modifier, ptp_table
from medbill_lab.datasets import read_csv
from medbill_lab.payer.remittance import (
    Adjustment,
    ProviderAdjustment,
    RemitClaim,
    RemitLine,
    Remittance,
)

CENT = Decimal("0.01")
ZERO = Decimal(0)
# PR CARCs in the order a payer applies them.
DEDUCTIBLE, COINSURANCE, COPAY = "1", "2", "3"
# Front-end edit -> (277CA STC01 composite: category:status:entity, reason).
# Claim status codes 164 (entity's contract/member number), 254 (principal
# diagnosis code), 255 (diagnosis code), 454 (procedure code for services
# rendered), 21 (missing or invalid information); category A7 = rejected for
# invalid information.  From the X12 external code lists as best we know them.
_REJECT_STC = {
    "MEMBER-ID": "A7:164:IL",
    "ICD-INVALID": "A7:255",
    "ICD-7TH": "A7:255",
    "ICD-YEAR": "A7:255",
    "DX-FIRST": "A7:254",
    "PTR-MISSING": "A7:255",
    "PTR-DANGLING": "A7:255",
    "PROC-INVALID": "A7:454",
    "MOD-INVALID": "A7:454",
}
_DEFAULT_STC = "A7:21"
# CLP06 (835) codes; an 837 SBR09 outside this list (CI commercial, BL Blue
# Cross...) has no 835 equivalent and is sent as ZZ (mutually defined).
CLP06_CODES = frozenset(
    "12 13 14 15 16 17 AM CH DS HM LM MA MB MC OF TV VA WC ZZ".split()  # noqa: SIM905
)
_EM = re.compile(r"99(2[0-9]{2}|3[0-9]{2}|4[0-9]{2})|G04(38|39)")
# Which group a plan-excluded service gets: PR-204 "not covered under the
# patient's current benefit plan" with RARC N130 "consult plan benefit documents".
EXCLUDED_CARC, EXCLUDED_RARC = "204", "N130"

# -- preventive services without cost sharing ------------------------------------------
# ACA section 2713 (42 USC 300gg-13) and 45 CFR 147.130: a non-grandfathered group
# or individual plan covers in-network recommended preventive services (USPSTF A
# and B, ACIP vaccines, HRSA Bright Futures and women's guidelines) with no copay,
# coinsurance or deductible.  The codes that carry that intent by themselves:
_PREVENTIVE_COMMERCIAL = frozenset(
    [f"9938{n}" for n in range(1, 8)]  # preventive medicine visit, new patient
    + [f"9939{n}" for n in range(1, 8)]  # preventive medicine visit, established
    + [f"9940{n}" for n in range(1, 10)]  # preventive counselling, tobacco, alcohol (SBIRT)
    + ["90460", "90461", "90471", "90472", "90473", "90474"]  # vaccine administration
    + ["G0008", "G0009", "G0010"]  # Medicare's vaccine administration codes
    + ["G0438", "G0439", "G0442", "G0443", "G0444", "G0446", "G0447", "G0472", "G0475"]
)
_VACCINE_PRODUCTS = range(90476, 90760)  # CPT vaccine and toxoid product codes
# Medicare Part B: no deductible or coinsurance for the initial preventive physical
# exam, the annual wellness visit, flu, pneumococcal and hepatitis B vaccines and
# their administration, and the USPSTF A/B screenings and counselling billed here
# (42 CFR 410.152(l), 410.160(b); Medicare Claims Processing Manual ch. 18, 1.2).
# Routine physicals (99381-99397) are not a Medicare benefit at all.
_FLU = "90630 90653 90654 90655 90656 90657 90658 90660 90661 90662 90672 90673 90674 90682 90685 90686 90687 90688 90689 90694 90756"
_PNEUMOCOCCAL = "90670 90671 90677 90732"
_HEPATITIS_B = "90739 90740 90743 90744 90746 90747"
_MEDICARE_VACCINES = frozenset(f"{_FLU} {_PNEUMOCOCCAL} {_HEPATITIS_B}".split())
_PREVENTIVE_MEDICARE = _MEDICARE_VACCINES | frozenset(
    "G0402 G0438 G0439 G0008 G0009 G0010 G0442 G0443 G0444 G0446 G0447 G0472 G0475".split()  # noqa: SIM905
)

# -- the plan options a payer can have -------------------------------------------------
PLAN_TYPES = ("commercial", "medicare", "medicaid")
SECONDARY_METHODS = {
    "lesser_of": (
        "lesser of: as secondary it pays the patient's remaining share, but no more than "
        "its own allowed amount less the primary's payment (the method Medicaid uses as "
        "payer of last resort; the default)"
    ),
    "standard": (
        "standard COB: as secondary it pays the lesser of (a) what it would have paid as "
        "primary (its own allowed amount, deductible, copay and coinsurance) and (b) the "
        "balance the primary left, the patient's remaining share (NAIC model COB)"
    ),
    "non_duplication": (
        "non-duplication (carve-out): as secondary it pays what it would have paid as "
        "primary less what the primary paid, never more than the patient's remaining share; "
        "nothing when the primary paid as much or more"
    ),
}
PLAN_OPTIONS = {
    "plan_type": "commercial, medicare or medicaid: which preventive-services rule applies",
    "grandfathered": (
        "a commercial plan in force on March 23, 2010 and not changed since: exempt from "
        "the ACA's no-cost-sharing preventive services rule (45 CFR 147.140)"
    ),
    "copay_and_coinsurance": (
        "atypical: some plans apply both a copay and coinsurance to the same visit; by "
        "default the copay is the patient's whole share of the line it applies to"
    ),
    "secondary_method": "how it pays as secondary payer: " + "; ".join(SECONDARY_METHODS),
}
PAYER_PLANS_CSV = "practice/payer_plans.csv"


def round_money(value: Decimal) -> Decimal:
    """Round to cents, half up (and never ``-0.00``)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP) + ZERO


@dataclass
class PayerPolicy:
    """How one (teaching) plan pays: fee schedule, cost sharing and edits.

    ``allowed`` maps a CPT/HCPCS code to its allowed amount per unit; codes not
    in it are allowed at ``allowed_percent`` of the charge.  ``deductible_remaining``
    is what the patient still owes toward this year's deductible when the claim
    arrives.  ``timely_filing_days`` of None uses the claim's payer's limit.
    """

    name: str = "MedBill Lab Health Plan"
    payer_id: str = "MBLHP"
    allowed: dict[str, Decimal] = field(default_factory=dict)
    allowed_percent: Decimal = Decimal("0.80")
    deductible_remaining: Decimal = ZERO
    coinsurance: Decimal = Decimal("0.20")  # the patient's share, 0.20 = 20 %
    copay_em: Decimal = ZERO  # per E/M visit (PR-3)
    non_covered: frozenset[str] = frozenset()
    prior_auth: frozenset[str] = frozenset()
    timely_filing_days: int | None = None
    terminated_on: dt.date | None = None  # coverage ends after this day
    member_id_pattern: str = r"[A-Z0-9][A-Z0-9-]{4,19}"
    use_ncci: bool = True
    filing_indicator: str = ""  # CLP06; "" = the claim's SBR09
    plan_type: str = "commercial"  # commercial, medicare or medicaid (PLAN_OPTIONS)
    grandfathered: bool = False  # exempt from the ACA preventive rule (commercial only)
    copay_and_coinsurance: bool = False  # atypical: coinsurance on the copay line too
    secondary_method: str = "lesser_of"  # a key of SECONDARY_METHODS

    def __post_init__(self) -> None:
        if self.plan_type not in PLAN_TYPES:
            raise ValueError(f"plan_type {self.plan_type!r} is not one of {', '.join(PLAN_TYPES)}")
        if self.secondary_method not in SECONDARY_METHODS:
            raise ValueError(
                f"secondary_method {self.secondary_method!r} is not one of "
                f"{', '.join(SECONDARY_METHODS)}"
            )

    def preventive_free(self, code: str) -> bool:
        """Does this plan pay ``code`` with no cost sharing as a preventive service?

        >>> PayerPolicy().preventive_free("99395"), PayerPolicy(grandfathered=True).preventive_free("99395")
        (True, False)
        >>> PayerPolicy(plan_type="medicare").preventive_free("G0439")
        True
        """
        return is_preventive(code, self.plan_type) and not (
            self.plan_type == "commercial" and self.grandfathered
        )

    def allowed_for(self, line: ServiceLine) -> Decimal:
        """The allowed amount for a line: the fee x units, or a percent of the
        charge, never more than the charge.

        >>> from medbill_lab.claims.model import ServiceLine
        >>> p = PayerPolicy(allowed={"99213": Decimal("90")})
        >>> p.allowed_for(ServiceLine(dt.date(2025, 1, 2), "99213", Decimal("135")))
        Decimal('90.00')
        >>> p.allowed_for(ServiceLine(dt.date(2025, 1, 2), "87880", Decimal("32")))
        Decimal('25.60')
        """
        fee = self.allowed.get(line.code.upper())
        amount = fee * line.units if fee is not None else line.charge * self.allowed_percent
        return round_money(min(amount, line.charge))


def is_preventive(code: str, plan_type: str = "commercial") -> bool:
    """Is ``code`` a preventive service the plan type must cover without cost sharing?

    Commercial: preventive visits and counselling (99381-99397, 99401-99409), vaccine
    products (90476-90759) and their administration, the Medicare wellness and
    screening G codes.  Medicare: the services whose Part B deductible and
    coinsurance are waived (IPPE G0402, AWV G0438/G0439, flu, pneumococcal and
    hepatitis B vaccines and G0008-G0010, the screening G codes).  Medicaid: none
    (its cost-sharing rules are the state's; not modelled).

    >>> [is_preventive(c) for c in ("99396", "99213", "90686", "90471")]
    [True, False, True, True]
    >>> is_preventive("99396", "medicare"), is_preventive("90750", "medicare")
    (False, False)
    """
    code = code.strip().upper()
    if plan_type == "commercial":
        return code in _PREVENTIVE_COMMERCIAL or (code.isdigit() and int(code) in _VACCINE_PRODUCTS)
    if plan_type == "medicare":
        return code in _PREVENTIVE_MEDICARE
    return False


def _flag(text: str) -> bool:
    value = text.strip().lower()
    if value not in ("true", "false", "yes", "no", "1", "0", ""):
        raise ValueError(f"{PAYER_PLANS_CSV}: {text!r} is not true or false")
    return value in ("true", "yes", "1")


def plan_options(payer_id: str) -> dict[str, object]:
    """The plan options of a payer from ``datasets/practice/payer_plans.csv``, ready
    to pass to :class:`PayerPolicy` (empty for a payer not listed: the defaults).

    >>> plan_options("MBL03")["secondary_method"]
    'standard'
    >>> plan_options("NOPE")
    {}
    """
    for row in read_csv(PAYER_PLANS_CSV):
        if row["payer_id"] == payer_id:
            return {
                "plan_type": row["plan_type"],
                "grandfathered": _flag(row["grandfathered"]),
                "copay_and_coinsurance": _flag(row["copay_and_coinsurance"]),
                "secondary_method": row["secondary_method"],
            }
    return {}


def describe_plan(policy: PayerPolicy) -> list[str]:
    """The payer's rules in words, each plan option labelled (for lessons and apps).

    >>> describe_plan(PayerPolicy(copay_em=Decimal(25), copay_and_coinsurance=True))[2]
    'copay $25.00 per E/M visit AND coinsurance on it (atypical: some plans apply both ...)'
    """
    coins = f"{policy.coinsurance * 100:.0f}%"
    both = PLAN_OPTIONS["copay_and_coinsurance"].split(";")[0]
    copay = f"copay ${policy.copay_em:.2f} per E/M visit" if policy.copay_em else "no copay"
    copay += (
        f" AND coinsurance on it ({both} ...)"
        if policy.copay_and_coinsurance
        else (", no coinsurance on the line that carries it" if policy.copay_em else "")
    )
    kind = policy.plan_type + (", grandfathered" if policy.grandfathered else "")
    if policy.plan_type == "commercial":
        preventive = "preventive services: " + (
            "normal cost sharing (grandfathered: the ACA rule does not apply)"
            if policy.grandfathered
            else "no cost sharing (ACA section 2713, 45 CFR 147.130)"
        )
    elif policy.plan_type == "medicare":
        preventive = "preventive services: no Part B cost sharing for IPPE, AWV, covered vaccines, screenings"
    else:
        preventive = "preventive services: cost sharing as for other services (not modelled)"
    excluded = ", ".join(sorted(policy.non_covered)) or "none"
    return [
        f"{policy.name} ({policy.payer_id}): {kind} plan",
        f"deductible ${policy.deductible_remaining:.2f}, coinsurance {coins}",
        copay,
        preventive,
        f"excluded services (PR-{EXCLUDED_CARC}, patient owes): {excluded}",
        f"as secondary: {SECONDARY_METHODS[policy.secondary_method]}",
    ]


@dataclass(frozen=True)
class Rejection:
    """A claim the front end turned away: it is not adjudicated and goes back on a 277CA."""

    patient_account: str  # CLM01 / item 26
    reason: str  # one line a biller can act on
    status_codes: tuple[str, ...]  # STC01 composites, e.g. "A7:164:IL"
    claim: Claim | InstitutionalClaim | None = None  # for the 277CA's names and amounts


# -- the front end ---------------------------------------------------------------------
def front_end(claim: Claim, policy: PayerPolicy, today: dt.date | None = None) -> Rejection | None:
    """The rejection for a claim that fails a front-end edit, or None."""
    member = (claim.insured_id or "").strip().upper()
    if not re.fullmatch(policy.member_id_pattern, member):
        reason = f"Item 1a: member ID {claim.insured_id!r} is not in {policy.name}'s format"
        return Rejection(claim.patient_account, reason, (_REJECT_STC["MEMBER-ID"],), claim)
    rejects = [e for e in scrub(claim, today) if e.severity == "reject"]
    if not rejects:
        return None
    codes = tuple(dict.fromkeys(_REJECT_STC.get(e.id, _DEFAULT_STC) for e in rejects))
    return Rejection(claim.patient_account, rejects[0].message, codes, claim)


# -- pricing one line ------------------------------------------------------------------
def _denied(
    line: ServiceLine, carc: str, remarks: Sequence[str] = (), group: str = "CO"
) -> RemitLine:
    """Nothing paid: the whole charge adjusted under ``group`` (CO: the provider
    absorbs it; PR: the patient owes it) with ``carc`` and the remark codes."""
    remit = _remit_line(line, ZERO, None)
    remit.adjustments = [Adjustment(group, carc, line.charge)]
    remit.remarks = list(remarks)
    return remit


def _remit_line(line: ServiceLine, paid: Decimal, allowed: Decimal | None) -> RemitLine:
    return RemitLine(
        code=line.code.upper(),
        charge=line.charge,
        paid=paid,
        modifiers=[m.upper() for m in line.modifiers],
        units=line.units,
        date=line.date_from,
        allowed=allowed,
    )


@dataclass
class _Benefits:
    """What is left of the patient's cost sharing while a claim is priced."""

    deductible: Decimal
    copay_due: bool


def _cost_sharing(
    line: ServiceLine, policy: PayerPolicy, left: _Benefits, allowed: Decimal
) -> tuple[Decimal, Decimal, Decimal]:
    """(deductible, copay, coinsurance) the patient owes on a line's allowed amount.

    A preventive service the plan must cover in full has none (and leaves the
    deductible and the visit's copay for the other lines).  The copay is the
    patient's share of its line unless the plan applies both (atypical)."""
    if policy.preventive_free(line.code):
        return ZERO, ZERO, ZERO
    deductible = min(left.deductible, allowed)
    left.deductible -= deductible
    copay = ZERO
    if left.copay_due and _EM.fullmatch(line.code.upper()):
        copay = min(policy.copay_em, allowed - deductible)
        left.copay_due = False
    if copay and not policy.copay_and_coinsurance:
        return deductible, copay, ZERO
    return deductible, copay, round_money((allowed - deductible - copay) * policy.coinsurance)


def _priced(line: ServiceLine, policy: PayerPolicy, left: _Benefits) -> RemitLine:
    """Allowed amount, contractual write-off and patient cost sharing for one line."""
    allowed = policy.allowed_for(line)
    deductible, copay, coinsurance = _cost_sharing(line, policy, left, allowed)
    adjustments = [
        Adjustment("CO", "45", line.charge - allowed),
        Adjustment("PR", DEDUCTIBLE, deductible),
        Adjustment("PR", COPAY, copay),
        Adjustment("PR", COINSURANCE, coinsurance),
    ]
    paid = allowed - deductible - copay - coinsurance
    remit = _remit_line(line, paid, allowed)
    remit.adjustments = [a for a in adjustments if a.amount]
    return remit


def _ncci_denied(claim: Claim, index: int) -> bool:
    """Is line ``index`` an NCCI column-2 code with its column-1 code the same day, unbypassed?"""
    table, lines = ptp_table(), claim.lines
    line = lines[index]
    for other in lines:
        if other is line or other.date_from != line.date_from:
            continue
        for row in table.get((other.code.upper(), line.code.upper()), ()):
            if not row.active_on(line.date_from):
                continue
            mods, other_mods = tuple(line.modifiers), tuple(other.modifiers)
            if row.modifier_indicator == "0" or not bypass_modifier(mods, other_mods):
                return True
    return False


# An E/M inside a procedure's global package (CMS Pub. 100-04 ch. 12 §30.6.6 and §40):
# CARC 97 (the benefit is included in the payment for another service) with RARC M15
# (bundled), as Noridian's reason-code guidance "Postoperative Care / Bundled Services"
# pairs them for a visit that is part of a surgical package.
GLOBAL_CARC, GLOBAL_RARC = "97", "M15"


def _global_denied(claim: Claim, index: int) -> bool:
    """Is line ``index`` an E/M that a same-day (or next-day major) procedure's global
    package includes, without 25 (minor) or 57 (major)?  The scrubber's EM-GLOBAL rule."""
    return any(c.em == index and c.blocking for c in em_global_conflicts(claim.lines))


def _line(claim: Claim, index: int, policy: PayerPolicy, left: _Benefits) -> RemitLine:
    line = claim.lines[index]
    code = line.code.upper()
    if code in policy.non_covered:  # a plan exclusion: the patient's to pay
        return _denied(line, EXCLUDED_CARC, [EXCLUDED_RARC], group="PR")
    if code in policy.prior_auth and not claim.prior_authorization.strip():
        return _denied(line, "197", ["M62"])
    if policy.use_ncci and _ncci_denied(claim, index):
        return _denied(line, "97", ["M15"])
    if policy.use_ncci and _global_denied(claim, index):
        return _denied(line, GLOBAL_CARC, [GLOBAL_RARC])
    return _priced(line, policy, left)


# -- the claim -------------------------------------------------------------------------
def payer_claim_number(claim: Claim, prefix: str = "") -> str:
    """A stable payer claim control number (CLP07) for a claim: the same claim
    always gets the same number, so simulated remittances are reproducible.

    >>> from medbill_lab.claims.model import Payer, Person
    >>> c = Claim("medicare", "X1", Person("DOE", "JO"), Payer("P", "P1"), patient_account="A1")
    >>> payer_claim_number(c) == payer_claim_number(c), len(payer_claim_number(c))
    (True, 14)
    """
    dates = ",".join(ln.date_from.isoformat() for ln in claim.lines)
    key = f"{prefix}|{claim.patient_account}|{claim.insured_id}|{dates}"
    digest = int(hashlib.sha256(key.encode()).hexdigest(), 16)
    return f"{digest % 10**14:014d}"


def _remit_claim(
    claim: Claim, policy: PayerPolicy, lines: list[RemitLine], status: str
) -> RemitClaim:
    person = claim.patient
    patient_resp = sum((a.amount for ln in lines for a in ln.adjustments if a.group == "PR"), ZERO)
    return RemitClaim(
        patient_account=claim.patient_account,
        status=status,
        charge=sum((ln.charge for ln in lines), ZERO),
        paid=sum((ln.paid for ln in lines), ZERO),
        patient_responsibility=patient_resp,
        filing_indicator=clp06(policy.filing_indicator or claim.payer.filing_indicator),
        payer_claim_number=payer_claim_number(claim, policy.payer_id),
        patient_last=x12_text(person.last, 60),
        patient_first=x12_text(person.first, 35),
        member_id=claim.insured_id.strip().upper(),
        lines=lines,
    )


def clp06(sbr09: str) -> str:
    """The 835 claim filing indicator (CLP06) for an 837 one (SBR09).

    >>> clp06("MB"), clp06("CI")
    ('MB', 'ZZ')
    """
    code = (sbr09 or "").strip().upper()
    return code if code in CLP06_CODES else "ZZ"


def _claim_denial(claim: Claim, policy: PayerPolicy, today: dt.date | None) -> str:
    """CARC 27 (coverage ended) or 29 (filing limit) when the whole claim is denied, else ''."""
    dates = [ln.date_from for ln in claim.lines]
    if policy.terminated_on is not None and dates and max(dates) > policy.terminated_on:
        return "27"
    limit = policy.timely_filing_days
    limit = claim.payer.timely_filing_days if limit is None else limit
    sent = claim.submitted_on or today or dt.date.today()
    if dates and (sent - min(dates)).days > limit:
        return "29"
    return ""


def _is_denied(line: RemitLine) -> bool:
    return line.paid == 0 and not any(a.group == "PR" for a in line.adjustments)


def adjudicate(
    claim: Claim, policy: PayerPolicy, *, today: dt.date | None = None
) -> RemitClaim | Rejection:
    """Adjudicate a claim as the primary payer: a :class:`Rejection` when the
    front end turns it away, otherwise a balanced ``RemitClaim`` (status 1, or
    4 when every line is denied).  ``today`` stands in for the receipt date
    when the claim has no ``submitted_on``."""
    rejection = front_end(claim, policy, today)
    if rejection is not None:
        return rejection
    carc = _claim_denial(claim, policy, today)
    if carc:
        lines = [_denied(ln, carc) for ln in claim.lines]
    else:
        left = _Benefits(policy.deductible_remaining, policy.copay_em > 0)
        lines = [_line(claim, i, policy, left) for i in range(len(claim.lines))]
    status = "4" if all(_is_denied(ln) for ln in lines) else "1"
    return _remit_claim(claim, policy, lines, status)


# -- coordination of benefits ----------------------------------------------------------
def _own_benefit(line: ServiceLine, policy: PayerPolicy, left: _Benefits) -> Decimal:
    """What this payer would have paid on the line as primary (its normal benefit)."""
    return _priced(line, policy, left).paid


def secondary_payment(
    method: str, owed: Decimal, allowed: Decimal, prior_paid: Decimal, benefit: Decimal
) -> Decimal:
    """What a secondary payer pays on one line under a COB ``method``.

    ``owed`` is the patient's share the primary left (its PR), ``allowed`` the
    secondary's own allowed amount, ``prior_paid`` the primary's payment and
    ``benefit`` what the secondary would have paid as primary.

    >>> args = (Decimal(70), Decimal(160), Decimal(80), Decimal(128))
    >>> [str(secondary_payment(m, *args)) for m in ("lesser_of", "standard", "non_duplication")]
    ['70', '70', '48']
    """
    if method == "standard":
        paid = min(benefit, owed)
    elif method == "non_duplication":
        paid = min(benefit - prior_paid, owed)
    elif method == "lesser_of":
        paid = min(owed, allowed - prior_paid)
    else:
        raise ValueError(
            f"secondary_method {method!r} is not one of {', '.join(SECONDARY_METHODS)}"
        )
    return max(ZERO, paid)


def _secondary_line(
    line: ServiceLine, first: RemitLine, policy: PayerPolicy, left: _Benefits
) -> RemitLine:
    """The secondary's view of one line: OA-23 for the primary's payment, the
    primary's other write-offs kept, and the secondary paying toward the
    patient's share by its COB method (:func:`secondary_payment`)."""
    owed = sum((a.amount for a in first.adjustments if a.group == "PR"), ZERO)
    allowed = policy.allowed_for(line)
    if line.code.upper() in policy.non_covered:
        paid = ZERO
    else:
        benefit = _own_benefit(line, policy, left) if owed else ZERO
        paid = secondary_payment(policy.secondary_method, owed, allowed, first.paid, benefit)
    adjustments = [Adjustment("OA", "23", first.paid)] if first.paid else []
    adjustments += [a for a in first.adjustments if a.group != "PR"]
    covered = paid
    for a in first.adjustments:  # the patient still owes what the secondary did not pay
        if a.group != "PR":
            continue
        taken = min(covered, a.amount)
        covered -= taken
        if a.amount - taken:
            adjustments.append(Adjustment("PR", a.carc, a.amount - taken))
    remit = _remit_line(line, paid, allowed)
    remit.adjustments = adjustments
    return remit


def adjudicate_secondary(claim: Claim, primary: RemitClaim, policy: PayerPolicy) -> RemitClaim:
    """Adjudicate a claim as the secondary payer after ``primary`` paid (status 2).

    Per line the secondary pays toward the patient responsibility the primary
    left, by the plan's ``secondary_method`` (:data:`SECONDARY_METHODS`):

    * ``lesser_of`` (the default): the remaining patient share, at most the
      secondary's own allowed amount less the primary's payment;
    * ``standard`` (standard COB): the lesser of what the secondary would have
      paid as primary (its allowed amount, deductible, copay and coinsurance)
      and the remaining patient share;
    * ``non_duplication`` (carve-out): what it would have paid as primary less
      the primary's payment, at most the remaining patient share.

    OA-23 carries the prior payer's payment, the primary's CO/OA/PI write-offs are
    repeated, and PR keeps what the patient still owes, so every line balances.
    """
    if len(primary.lines) != len(claim.lines):
        raise ValueError("the primary remittance does not have one line per claim line")
    left = _Benefits(policy.deductible_remaining, policy.copay_em > 0)
    lines = [
        _secondary_line(ln, first, policy, left)
        for ln, first in zip(claim.lines, primary.lines, strict=True)
    ]
    return _remit_claim(claim, policy, lines, "2")


# -- the remittance --------------------------------------------------------------------
def remit(
    claims_with_results: Iterable[tuple[Claim, RemitClaim | Rejection]],
    payer: Payer,
    payee: Organization,
    trace_number: str,
    paid_on: dt.date,
    provider_adjustments: Sequence[ProviderAdjustment] = (),
) -> Remittance:
    """One balanced remittance for the adjudicated claims (rejections are left
    out: they go on a 277CA).  BPR02 = sum of claim payments - PLB; the method
    is ACH, or NON when nothing is paid.  Names are stored as the 835 writes
    them, so the remittance survives a round trip through X12 unchanged."""
    claims = [result for _, result in claims_with_results if isinstance(result, RemitClaim)]
    return balanced_remittance(
        claims,
        payer=(payer.name, payer.payer_id),
        payee=(payee.name, payee.npi),
        trace_number=trace_number,
        paid_on=paid_on,
        provider_adjustments=provider_adjustments,
    )


def balanced_remittance(
    claims: list[RemitClaim],
    *,
    payer: tuple[str, str],
    payee: tuple[str, str],
    trace_number: str,
    paid_on: dt.date,
    provider_adjustments: Sequence[ProviderAdjustment] = (),
) -> Remittance:
    """The remittance of paid ``claims`` from ``payer`` (name, ID) to ``payee`` (name, NPI),
    professional or facility: BPR02 = sum of claim payments - PLB; the method is ACH, or
    NON when nothing is paid; names are stored as the 835 writes them."""
    plb = sum((p.amount for p in provider_adjustments), ZERO)
    payment = sum((c.paid for c in claims), ZERO) - plb
    return Remittance(
        trace_number=trace_number,
        payer_name=x12_text(payer[0], 60),
        payer_id=payer[1],
        payee_name=x12_text(payee[0], 60),
        payee_npi=payee[1],
        payment=payment,
        method="ACH" if payment > 0 else "NON",
        paid_on=paid_on,
        claims=claims,
        provider_adjustments=list(provider_adjustments),
    )
