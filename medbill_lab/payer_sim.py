"""A teaching payer: adjudicate a claim the way a payer's claim system would.

:func:`adjudicate` first runs the front end (the clearinghouse and payer edits
that *reject* a claim before it is processed: a malformed member ID, a
diagnosis or procedure not valid on the date of service).  A rejected claim
gets a :class:`Rejection` (it goes back on a 277CA, never on an 835).  An
accepted claim is priced line by line and comes back as a
:class:`~medbill_lab.remittance.RemitClaim`:

* coverage terminated before the date of service: every line CO-27, status 4;
* sent after the payer's filing limit: every line CO-29, status 4;
* a non-covered code: CO-96 with RARC N130;
* a code that needs prior authorization sent without one (item 23): CO-197, RARC M62;
* an NCCI column-2 code with its column-1 code the same day and no bypass
  modifier: CO-97, RARC M15;
* otherwise the allowed amount (fee schedule x units, or a percent of the
  charge; never more than the charge): CO-45 for charge - allowed, then the
  deductible PR-1, the E/M copay PR-3 (once per claim), and coinsurance PR-2
  on what is left.  The payer pays the rest.

Every line and claim balances (charge - adjustments = paid).  A claim whose
every line was denied has status 4; otherwise 1 (primary) or 2 (secondary,
:func:`adjudicate_secondary`).  :func:`remit` gathers adjudicated claims into
one balanced :class:`~medbill_lab.remittance.Remittance`.

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

from medbill_lab.claims import Claim, Organization, Payer, ServiceLine
from medbill_lab.remittance import (
    Adjustment,
    ProviderAdjustment,
    RemitClaim,
    RemitLine,
    Remittance,
)
from medbill_lab.scrubber import bypass_modifier, ptp_table, scrub
from medbill_lab.x12_837p import clean_text

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

    def allowed_for(self, line: ServiceLine) -> Decimal:
        """The allowed amount for a line: the fee x units, or a percent of the
        charge, never more than the charge.

        >>> from medbill_lab.claims import ServiceLine
        >>> p = PayerPolicy(allowed={"99213": Decimal("90")})
        >>> p.allowed_for(ServiceLine(dt.date(2025, 1, 2), "99213", Decimal("135")))
        Decimal('90.00')
        >>> p.allowed_for(ServiceLine(dt.date(2025, 1, 2), "87880", Decimal("32")))
        Decimal('25.60')
        """
        fee = self.allowed.get(line.code.upper())
        amount = fee * line.units if fee is not None else line.charge * self.allowed_percent
        return round_money(min(amount, line.charge))


@dataclass(frozen=True)
class Rejection:
    """A claim the front end turned away: it is not adjudicated and goes back on a 277CA."""

    patient_account: str  # CLM01 / item 26
    reason: str  # one line a biller can act on
    status_codes: tuple[str, ...]  # STC01 composites, e.g. "A7:164:IL"
    claim: Claim | None = None  # the claim itself, for the 277CA's names and amounts


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
def _denied(line: ServiceLine, carc: str, remarks: Sequence[str] = ()) -> RemitLine:
    remit = _remit_line(line, ZERO, None)
    remit.adjustments = [Adjustment("CO", carc, line.charge)]
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


def _priced(line: ServiceLine, policy: PayerPolicy, left: _Benefits) -> RemitLine:
    """Allowed amount, contractual write-off and patient cost sharing for one line."""
    allowed = policy.allowed_for(line)
    deductible = min(left.deductible, allowed)
    left.deductible -= deductible
    copay = ZERO
    if left.copay_due and _EM.fullmatch(line.code.upper()):
        copay = min(policy.copay_em, allowed - deductible)
        left.copay_due = False
    coinsurance = round_money((allowed - deductible - copay) * policy.coinsurance)
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


def _line(claim: Claim, index: int, policy: PayerPolicy, left: _Benefits) -> RemitLine:
    line = claim.lines[index]
    code = line.code.upper()
    if code in policy.non_covered:
        return _denied(line, "96", ["N130"])
    if code in policy.prior_auth and not claim.prior_authorization.strip():
        return _denied(line, "197", ["M62"])
    if policy.use_ncci and _ncci_denied(claim, index):
        return _denied(line, "97", ["M15"])
    return _priced(line, policy, left)


# -- the claim -------------------------------------------------------------------------
def payer_claim_number(claim: Claim, prefix: str = "") -> str:
    """A stable payer claim control number (CLP07) for a claim: the same claim
    always gets the same number, so simulated remittances are reproducible.

    >>> from medbill_lab.claims import Payer, Person
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
        patient_last=clean_text(person.last, 60),
        patient_first=clean_text(person.first, 35),
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
def _secondary_line(line: ServiceLine, first: RemitLine, policy: PayerPolicy) -> RemitLine:
    """The secondary's view of one line: OA-23 for the primary's payment, the
    primary's other write-offs kept, and the secondary paying toward the
    patient's share up to its own allowed amount less what the primary paid."""
    owed = sum((a.amount for a in first.adjustments if a.group == "PR"), ZERO)
    allowed = policy.allowed_for(line)
    paid = max(ZERO, min(owed, allowed - first.paid))
    if line.code.upper() in policy.non_covered:
        paid = ZERO
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
    """Adjudicate a claim as the secondary payer after ``primary`` paid
    (status 2): per line the secondary pays at most the patient responsibility
    the primary left, and at most its own allowed amount less the primary's
    payment; OA-23 carries the prior payer's payment so every line balances."""
    if len(primary.lines) != len(claim.lines):
        raise ValueError("the primary remittance does not have one line per claim line")
    lines = [
        _secondary_line(ln, first, policy)
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
    plb = sum((p.amount for p in provider_adjustments), ZERO)
    payment = sum((c.paid for c in claims), ZERO) - plb
    return Remittance(
        trace_number=trace_number,
        payer_name=clean_text(payer.name, 60),
        payer_id=payer.payer_id,
        payee_name=clean_text(payee.name, 60),
        payee_npi=payee.npi,
        payment=payment,
        method="ACH" if payment > 0 else "NON",
        paid_on=paid_on,
        claims=claims,
        provider_adjustments=list(provider_adjustments),
    )
