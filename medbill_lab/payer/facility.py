"""The teaching payer on the facility side: UB-04 claims paid by MS-DRG or by fee schedule.

:func:`adjudicate_facility` answers an institutional claim
(:class:`~medbill_lab.claims.institutional.InstitutionalClaim`) as a payer's claim system
would:

* the front end first: a malformed member ID (FL 60) or any institutional edit that returns
  the claim (:func:`medbill_lab.claims.ub04_checks.check`, modelled on the Medicare Code
  Editor) gives a :class:`~medbill_lab.payer.simulator.Rejection`, as a professional claim's
  front-end edits do; so does a stay the real grouper cannot price (DRG 998/999, or a
  grouper with no shipped weights);
* coverage ended before the admission (CO-27) or the claim sent after the filing limit
  counted from the statement's through date (CO-29): the whole claim is denied, status 4;
* a **hospital inpatient** claim (FL 4 type of bill 011x) is paid by
  **MS-DRG**: the stay is grouped with the grouper of its discharge date
  (:func:`medbill_lab.codes.drg.group`: principal and secondary diagnoses with POA, PCS
  procedures, age at admission, sex, discharge status), and the allowed amount is the
  **teaching** base rate x the DRG's relative weight
  (:mod:`medbill_lab.payer.drg_payment`), never more than the billed charges (a lesser-of
  contract).  The whole stay is one payment: the remittance reports it at the claim level
  (no service lines: X221A1 sends the 2110 loop for an inpatient claim only when a line is
  adjusted on its own, so the statement period goes in the claim's DTM*232/233), with
  CLP11/CLP12 the DRG and its weight and an MIA segment whose
  outlier (MIA02), disproportionate-share (MIA06) and indirect-teaching (MIA18) amounts are
  0: outliers, transfers, IME/DSH and the wage index are left out, and the result's notes
  say so;
* a **hospital outpatient** claim (013x; also 012x and 014x) is priced **line by
  line** from the teaching schedule in ``datasets/facility/outpatient_fees.csv`` (revenue
  code and HCPCS; not OPPS); a line the schedule does not price is denied and explained;
* any other type of bill (skilled nursing, home health, hospice, clinics ...) is paid under
  systems this teaching payer does not model: ``ValueError``, one line naming FL 4.

Patient responsibility follows the plan: a Medicare plan (``plan_type`` medicare, or filing
indicator MA) charges the **Part A inpatient deductible** once per admission
(:data:`TEACHING_PART_A_DEDUCTIBLE`, a teaching figure) and no coinsurance in days 1-60;
any other plan, and every outpatient claim, takes the plan's remaining deductible (PR-1) and
coinsurance (PR-2) as for a professional claim.  Every claim balances (charge - CAS = paid).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from medbill_lab.claims import ub04_checks
from medbill_lab.claims.institutional import Diagnosis, Facility, InstitutionalClaim, RevenueLine
from medbill_lab.claims.model import age_on
from medbill_lab.claims.text import x12_text
from medbill_lab.codes import drg
from medbill_lab.datasets import read_csv
from medbill_lab.payer import drg_payment
from medbill_lab.payer.remittance import (
    Adjustment,
    InpatientAdjudication,
    RemitClaim,
    RemitLine,
    Remittance,
)
from medbill_lab.payer.simulator import (
    COINSURANCE,
    DEDUCTIBLE,
    EXCLUDED_RARC,
    PayerPolicy,
    Rejection,
    balanced_remittance,
    clp06,
    round_money,
)

ZERO = Decimal(0)
#: FL 4 digits 2-3 this payer prices: hospital inpatient (Part A) by MS-DRG; hospital
#: inpatient Part B (012x), outpatient (013x) and other-than-patient (014x) line by line
DRG_BILLS = ("11",)
FEE_SCHEDULE_BILLS = ("12", "13", "14")
FEES_CSV = "facility/outpatient_fees.csv"

#: A TEACHING figure for the Medicare Part A inpatient deductible (one per benefit period,
#: charged here once per admission), of the order of CMS's yearly amount; not CMS's figure.
TEACHING_PART_A_DEDUCTIBLE = Decimal("1700.00")

#: Unpriced outpatient lines: (group, CARC, RARC).  A revenue code the schedule prices only
#: with a HCPCS code, sent without one: CO-16 (information missing) with M20 (HCPCS missing).
#: Any other line the schedule does not price: CO-96 (non-covered charge) with N130 (see the
#: plan's rules), in group CO because the contract, not the patient, leaves it unpaid.
MISSING_HCPCS = ("CO", "16", "M20")
NOT_ON_SCHEDULE = ("CO", "96", EXCLUDED_RARC)

# The stay's front-end edits that return a claim, as 277CA status composites (A7: rejected
# for invalid information; 21: missing or invalid information; 164: the member's ID).
_STC_MEMBER, _STC_INVALID = "A7:164:IL", "A7:21"
# Discharge statuses (FL 17) that are transfers under 42 CFR 412.4, for the notes: to another
# acute hospital or a critical access hospital (412.4(b), any DRG), and to post-acute care
# (412.4(c): SNF, a cancer or children's hospital, home health, rehab, LTCH, psychiatric;
# only for the post-acute transfer DRGs).  8x/9x are the same with a planned readmission.
_ACUTE_TRANSFERS = frozenset({"02", "66", "82", "94"})
_POST_ACUTE_TRANSFERS = frozenset(
    {"03", "05", "06", "62", "63", "65", "83", "85", "86", "90", "91", "93"}
)


@dataclass(frozen=True)
class Fee:
    """One row of the outpatient teaching schedule: a fee per unit, or a percent of the charge."""

    revenue_code: str
    hcpcs: str
    fee: Decimal | None
    percent: Decimal | None
    what: str


@dataclass(frozen=True)
class FacilityResult:
    """A facility claim as the payer answered it: the 835 claim, and why, in words.

    ``grouping`` and ``payment`` are set for a DRG-paid inpatient claim.
    """

    claim: RemitClaim
    notes: tuple[str, ...]
    grouping: drg.DrgResult | None = None
    payment: drg_payment.DrgPayment | None = None


@cache
def fee_schedule() -> dict[tuple[str, str], Fee]:
    """The outpatient teaching schedule by (revenue code, HCPCS); HCPCS '' prices the lines
    without a HCPCS code.

    >>> fee_schedule()[("0450", "99284")].fee
    Decimal('480.00')
    """
    out = {}
    for row in read_csv(FEES_CSV):
        fee = Decimal(row["fee"]) if row["fee"] else None
        percent = Decimal(row["percent_of_charge"]) / 100 if row["percent_of_charge"] else None
        key = (row["revenue_code"], row["hcpcs"])
        out[key] = Fee(key[0], key[1], fee, percent, row["what"])
    return out


def _priced_only_with_hcpcs(revenue_code: str) -> bool:
    """Does the schedule price this revenue code only on lines that carry a HCPCS code?"""
    rows = [key for key in fee_schedule() if key[0] == revenue_code]
    return bool(rows) and all(hcpcs for _, hcpcs in rows)


def fee_for(line: RevenueLine) -> Fee | None:
    """The schedule row that prices a revenue line, or None.

    >>> fee_for(RevenueLine("0301", Decimal("210"), hcpcs="80053")).what
    'comprehensive metabolic panel'
    >>> fee_for(RevenueLine("0301", Decimal("210"), hcpcs="99999")) is None
    True
    """
    table = fee_schedule()
    if line.hcpcs:
        return table.get((line.revenue_code, line.hcpcs.upper()))
    return table.get((line.revenue_code, ""))


def _poa(diagnosis: Diagnosis) -> str | None:
    """The grouper's POA: Y, N, U, W; '1' or blank (exempt) is None."""
    return diagnosis.poa if diagnosis.poa in drg.POA_VALUES else None


def facility_claim_number(claim: InstitutionalClaim, prefix: str = "") -> str:
    """A stable payer claim control number (CLP07): the same claim always gets the same one."""
    member = claim.payers[0].insured_id if claim.payers else ""
    key = f"{prefix}|{claim.patient_control_number}|{member}|{claim.statement_from}|{claim.statement_through}"
    digest = int(hashlib.sha256(key.encode()).hexdigest(), 16)
    return f"{digest % 10**14:014d}"


# -- the front end -----------------------------------------------------------------------------
def front_end(claim: InstitutionalClaim, policy: PayerPolicy) -> Rejection | None:
    """The rejection for a UB-04 that fails a front-end edit, or None."""
    account = claim.patient_control_number
    member = (claim.payers[0].insured_id if claim.payers else "").strip().upper()
    if not re.fullmatch(policy.member_id_pattern, member):
        reason = f"FL 60: member ID {member!r} is not in {policy.name}'s format"
        return Rejection(account, reason, (_STC_MEMBER,), claim)
    try:
        rejects = [e for e in ub04_checks.check(claim) if e.blocking]
    except ValueError as exc:  # no code set for the discharge date's fiscal year
        return Rejection(account, str(exc), (_STC_INVALID,), claim)
    if rejects:
        return Rejection(account, rejects[0].message, (_STC_INVALID,), claim)
    return None


# -- the claim ---------------------------------------------------------------------------------
def _remit_claim(
    claim: InstitutionalClaim, policy: PayerPolicy, status: str, paid: Decimal
) -> RemitClaim:
    coverage = claim.payers[0]
    bill = claim.type_of_bill
    return RemitClaim(
        patient_account=claim.patient_control_number,
        status=status,
        charge=claim.line_total(),
        paid=paid,
        patient_responsibility=ZERO,
        filing_indicator=clp06(policy.filing_indicator or coverage.filing_indicator),
        payer_claim_number=facility_claim_number(claim, policy.payer_id),
        patient_last=x12_text(claim.patient.last, 60),
        patient_first=x12_text(claim.patient.first, 35),
        member_id=coverage.insured_id.strip().upper(),
        facility_code=bill[1:3],
        frequency=bill[3],
        statement_period=(claim.statement_from, claim.statement_through),
    )


def _claim_denial(claim: InstitutionalClaim, policy: PayerPolicy, today: dt.date | None) -> str:
    """CARC 27 (coverage ended before the stay began) or 29 (filing limit), else ''."""
    if policy.terminated_on is not None and claim.statement_from > policy.terminated_on:
        return "27"
    limit = policy.timely_filing_days
    limit = claim.payers[0].timely_filing_days if limit is None else limit
    sent = claim.submitted_on or today or dt.date.today()
    return "29" if (sent - claim.statement_through).days > limit else ""


def _patient_share(
    policy: PayerPolicy, allowed: Decimal, deductible_left: Decimal
) -> tuple[Decimal, Decimal]:
    """(deductible, coinsurance) on an allowed amount."""
    deductible = min(deductible_left, allowed)
    return deductible, round_money((allowed - deductible) * policy.coinsurance)


def _is_medicare(claim: InstitutionalClaim, policy: PayerPolicy) -> bool:
    return policy.plan_type == "medicare" or claim.payers[0].filing_indicator == "MA"


def _group(claim: InstitutionalClaim) -> drg.DrgResult:
    """The stay grouped with the grouper of its discharge date (raises DrgError)."""
    admitted = claim.admission_date or claim.statement_from
    if claim.patient.dob is None:
        raise drg.DrgError("FL 10: the patient's birth date is needed for the age at admission")
    others = [*claim.other_diagnoses, *claim.external_cause_diagnoses]
    return drg.group(
        claim.principal_diagnosis.code,
        sdx=[(d.code, _poa(d)) for d in others],
        pcs=[p.code for p in claim.procedures()],
        age=age_on(claim.patient.dob, admitted),
        sex=claim.patient.sex,
        discharge_status=claim.discharge_status,
        discharge_date=claim.discharge_date(),
        pdx_poa=_poa(claim.principal_diagnosis),
    )


def _inpatient(
    claim: InstitutionalClaim, policy: PayerPolicy, base_rate: Decimal
) -> FacilityResult | Rejection:
    account = claim.patient_control_number
    try:
        grouping = _group(claim)
    except drg.DrgError as exc:
        return Rejection(account, f"MS-DRG grouping: {exc}", (_STC_INVALID,), claim)
    payment = drg_payment.for_result(grouping, base_rate)
    if payment is None:
        reason = (
            f"MS-DRG {grouping.drg} ({grouping.title}, grouper v{grouping.version}) "
            "has no relative weight in the lab: the stay cannot be priced"
        )
        return Rejection(account, reason, (_STC_INVALID,), claim)
    charge = claim.line_total()
    allowed = min(payment.amount, charge)
    if _is_medicare(claim, policy):
        deductible, coinsurance = min(TEACHING_PART_A_DEDUCTIBLE, allowed), ZERO
    else:
        deductible, coinsurance = _patient_share(policy, allowed, policy.deductible_remaining)
    remit = _remit_claim(claim, policy, "1", allowed - deductible - coinsurance)
    cas = [
        Adjustment("CO", "45", charge - allowed),
        Adjustment("PR", DEDUCTIBLE, deductible),
        Adjustment("PR", COINSURANCE, coinsurance),
    ]
    remit.adjustments = [a for a in cas if a.amount]
    remit.patient_responsibility = deductible + coinsurance
    remit.drg, remit.drg_weight = grouping.drg, grouping.weight
    admitted = claim.admission_date or claim.statement_from
    days = max(1, (claim.discharge_date() - admitted).days)
    remit.inpatient = InpatientAdjudication(days, payment.amount)
    notes = _inpatient_notes(claim, policy, grouping, payment, allowed, deductible, coinsurance)
    return FacilityResult(remit, notes, grouping, payment)


def _inpatient_notes(
    claim: InstitutionalClaim,
    policy: PayerPolicy,
    grouping: drg.DrgResult,
    payment: drg_payment.DrgPayment,
    allowed: Decimal,
    deductible: Decimal,
    coinsurance: Decimal,
) -> tuple[str, ...]:
    notes = [
        f"MS-DRG {grouping.drg} {grouping.title} (MDC {grouping.mdc}, grouper v{grouping.version}), "
        f"relative weight {grouping.weight}: {payment.formula}",
        *payment.notes,
        "the 835 says it too: MIA02 (outlier), MIA06 (disproportionate share) and MIA18 "
        "(indirect teaching) are 0",
    ]
    charge = claim.line_total()
    if allowed < payment.amount:
        notes.append(
            f"allowed ${allowed:,.2f}: the billed charges, less than the DRG amount "
            "(this teaching payer pays the lesser of the two)"
        )
    status = claim.discharge_status
    if status in _ACUTE_TRANSFERS:
        notes.append(
            f"discharge status {status} is a transfer to another acute-care hospital: under "
            "the transfer policy a short stay may be paid per diem, for any DRG (42 CFR "
            "412.4(b); left out here)"
        )
    elif grouping.post_acute and status in _POST_ACUTE_TRANSFERS:
        notes.append(
            f"discharge status {status} is a transfer to post-acute care and DRG "
            f"{grouping.drg} is a post-acute transfer DRG: a short stay may be paid per diem "
            "(42 CFR 412.4(c); left out here)"
        )
    notes.append(f"CO-45 ${charge - allowed:,.2f}: the charges above the allowed amount")
    if _is_medicare(claim, policy):
        notes.append(
            f"PR-1 ${deductible:,.2f}: the Part A inpatient deductible, once per admission "
            f"(${TEACHING_PART_A_DEDUCTIBLE:,.2f} is a teaching figure, not CMS's); no "
            "coinsurance in days 1-60 (benefit periods, day 61+ coinsurance and lifetime "
            "reserve days are left out)"
        )
    else:
        notes.append(
            f"PR-1 ${deductible:,.2f} deductible and PR-2 ${coinsurance:,.2f} coinsurance "
            f"({policy.coinsurance * 100:.0f}% of the rest), as the plan says"
        )
    return tuple(notes)


def _outpatient_line(
    claim: InstitutionalClaim, line: RevenueLine, policy: PayerPolicy, left: list[Decimal]
) -> tuple[RemitLine, str]:
    """One outpatient line priced from the schedule (or denied), and why in words."""
    hcpcs = line.hcpcs.upper()
    remit = RemitLine(
        code=hcpcs or line.revenue_code,
        charge=line.total_charge,
        paid=ZERO,
        modifiers=[m.upper() for m in line.modifiers],
        units=line.units,
        date=line.service_date or claim.statement_from,
        qualifier="HC" if hcpcs else "NU",
        revenue_code=line.revenue_code,
    )
    label = f"{line.revenue_code} {hcpcs}".strip()
    row = fee_for(line)
    if row is None:
        missing = not hcpcs and _priced_only_with_hcpcs(line.revenue_code)
        group, carc, rarc = MISSING_HCPCS if missing else NOT_ON_SCHEDULE
        remit.adjustments = [Adjustment(group, carc, line.total_charge)]
        remit.remarks = [rarc]
        why = (
            f"the schedule prices revenue code {line.revenue_code} only with a HCPCS code "
            "(FL 44): add it and resubmit"
            if missing
            else "the teaching fee schedule has no fee for it: not payable under the contract "
            "(the facility writes it off, or appeals if the contract should price it)"
        )
        return remit, f"{label}: denied {group}-{carc} with {rarc}: {why}"
    if row.fee is not None:
        basis = f"fee ${row.fee:,.2f} x {format(line.units.normalize(), 'f')}"
        amount = row.fee * line.units
    else:
        assert row.percent is not None
        basis = f"{row.percent * 100:.0f}% of the charge"
        amount = line.total_charge * row.percent
    allowed = round_money(min(amount, line.total_charge))
    deductible, coinsurance = _patient_share(policy, allowed, left[0])
    left[0] -= deductible
    remit.allowed, remit.paid = allowed, allowed - deductible - coinsurance
    cas = [
        Adjustment("CO", "45", line.total_charge - allowed),
        Adjustment("PR", DEDUCTIBLE, deductible),
        Adjustment("PR", COINSURANCE, coinsurance),
    ]
    remit.adjustments = [a for a in cas if a.amount]
    return remit, f"{label} ({row.what}): {basis} = allowed ${allowed:,.2f}"


def _outpatient(claim: InstitutionalClaim, policy: PayerPolicy) -> FacilityResult:
    left = [policy.deductible_remaining]
    priced = [_outpatient_line(claim, line, policy, left) for line in claim.lines]
    lines = [remit for remit, _ in priced]
    denied = all(ln.paid == 0 and not any(a.group == "PR" for a in ln.adjustments) for ln in lines)
    remit = _remit_claim(
        claim, policy, "4" if denied else "1", sum((ln.paid for ln in lines), ZERO)
    )
    remit.lines = lines
    remit.patient_responsibility = sum(
        (a.amount for ln in lines for a in ln.adjustments if a.group == "PR"), ZERO
    )
    notes = (
        "priced line by line from the outpatient teaching fee schedule "
        f"(datasets/{FEES_CSV}: a teaching schedule, not OPPS/APC)",
        *(f"line {n} {text}" for n, (_, text) in enumerate(priced, 1)),
    )
    return FacilityResult(remit, notes)


def _denied_claim(claim: InstitutionalClaim, policy: PayerPolicy, carc: str) -> FacilityResult:
    remit = _remit_claim(claim, policy, "4", ZERO)
    remit.adjustments = [Adjustment("CO", carc, remit.charge)]
    why = {
        "27": "coverage ended before the stay began",
        "29": "sent after the payer's filing limit",
    }
    return FacilityResult(remit, (f"CO-{carc}: the whole claim is denied: {why[carc]}",))


def adjudicate_facility(
    claim: InstitutionalClaim,
    policy: PayerPolicy,
    *,
    today: dt.date | None = None,
    base_rate: Decimal = drg_payment.TEACHING_BASE_RATE,
) -> FacilityResult | Rejection:
    """Adjudicate a UB-04 as the primary payer: a Rejection when the front end returns it,
    otherwise a :class:`FacilityResult` whose claim balances.  ``today`` stands in for the
    receipt date when the claim has no ``submitted_on``; ``base_rate`` is the teaching DRG
    base rate.  Raises ``ValueError`` (one line naming FL 4) for a type of bill this payer
    does not model (:data:`DRG_BILLS`, :data:`FEE_SCHEDULE_BILLS`)."""
    bill = claim.type_of_bill[1:3]
    if bill not in DRG_BILLS + FEE_SCHEDULE_BILLS:
        raise ValueError(
            f"FL 4: type of bill {claim.type_of_bill}: this teaching payer pays hospital "
            "inpatient claims (011x) by MS-DRG and hospital outpatient claims (012x-014x) from "
            "its fee schedule; other facilities (skilled nursing, home health, hospice, "
            "clinics, critical access hospitals ...) are paid under systems it does not model"
        )
    if not claim.payers:
        return Rejection(claim.patient_control_number, "FL 50: no payer", (_STC_INVALID,), claim)
    rejection = front_end(claim, policy)
    if rejection is not None:
        return rejection
    carc = _claim_denial(claim, policy, today)
    if carc:
        return _denied_claim(claim, policy, carc)
    if bill in DRG_BILLS:
        return _inpatient(claim, policy, base_rate)
    return _outpatient(claim, policy)


def remit_facility(
    results: Iterable[FacilityResult | Rejection],
    *,
    payer_name: str,
    payer_id: str,
    payee: Facility,
    trace_number: str,
    paid_on: dt.date,
) -> Remittance:
    """One balanced remittance for adjudicated facility claims (rejections go on a 277CA)."""
    claims = [r.claim for r in results if isinstance(r, FacilityResult)]
    return balanced_remittance(
        claims,
        payer=(payer_name, payer_id),
        payee=(payee.name, payee.npi),
        trace_number=trace_number,
        paid_on=paid_on,
    )
