"""What a payer answers: the remittance (835) as plain data, shared by the payer
simulator, the 835 writer and parser, and ERA posting.

Money is ``Decimal``.  Balancing (ASC X12 835 5010): for each line and each
claim, charge - sum(adjustments) = paid; the payment (BPR02) = sum of claim
payments - sum of provider-level adjustments (PLB).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from medbill_lab.payer.carc import group_codes

# CAS01 claim adjustment group codes in 005010: contractual obligation, patient
# responsibility, other adjustment, payer-initiated reduction.  CR (correction and
# reversal) was a 4010 code and is not valid in 5010: a reversal is a CLP with
# status 22 carrying the original amounts negated.
# Both read from datasets/remit/group_codes.csv (the one list, with its provenance).
GROUP_CODES = tuple(g.code for g in group_codes().values() if g.status == "valid")
RETIRED_GROUP_CODES = {g.code: g.meaning for g in group_codes().values() if g.status == "retired"}


def group_code_problem(group: str) -> str:
    """Why ``group`` is not a valid 5010 CAS01 group code, or ``""`` when it is.

    >>> group_code_problem("PR")
    ''
    >>> group_code_problem("CR")
    "CAS01: group code 'CR' (correction and reversal; in 5010 a reversal is CLP02 22) was retired and is not valid in 005010; use CO, PR, OA or PI"
    """
    if group in GROUP_CODES:
        return ""
    valid = f"{', '.join(GROUP_CODES[:-1])} or {GROUP_CODES[-1]}"
    if group in RETIRED_GROUP_CODES:
        return (
            f"CAS01: group code {group!r} ({RETIRED_GROUP_CODES[group]}) was retired and is "
            f"not valid in 005010; use {valid}"
        )
    return f"CAS01: {group!r} is not a claim adjustment group code ({valid})"


@dataclass(frozen=True)
class Adjustment:
    """One CAS triple: group code, claim adjustment reason code (CARC), amount."""

    group: str
    carc: str
    amount: Decimal
    quantity: Decimal | None = None


@dataclass
class RemitLine:
    """Loop 2110: one service line as the payer adjudicated it."""

    code: str  # SVC01-2 (CPT/HCPCS)
    charge: Decimal  # SVC02
    paid: Decimal  # SVC03
    modifiers: list[str] = field(default_factory=list)  # SVC01-3..6
    units: Decimal = Decimal(1)  # SVC05
    date: dt.date | None = None  # DTM*472
    allowed: Decimal | None = None  # AMT*B6
    adjustments: list[Adjustment] = field(default_factory=list)  # CAS
    remarks: list[str] = field(default_factory=list)  # LQ*HE RARCs
    # Institutional lines: SVC01-1 is HC with the HCPCS code and the revenue code in
    # SVC04, or NU with the revenue code itself in SVC01-2 when the line has no HCPCS.
    qualifier: str = "HC"  # SVC01-1
    revenue_code: str = ""  # SVC04 (with HC) or the code itself (with NU)

    def balances(self) -> bool:
        """charge - adjustments == paid."""
        return self.charge - sum((a.amount for a in self.adjustments), Decimal(0)) == self.paid


@dataclass(frozen=True)
class InpatientAdjudication:
    """The MIA segment: covered days, the DRG amount, and the PPS add-ons paid.

    The add-ons (operating outlier MIA02, disproportionate share MIA06, indirect teaching
    MIA18) are amounts, so a payer that paid none writes 0: the 835 itself says so.
    """

    covered_days: int  # MIA01
    drg_amount: Decimal  # MIA04
    outlier: Decimal = Decimal(0)  # MIA02
    disproportionate_share: Decimal = Decimal(0)  # MIA06
    indirect_teaching: Decimal = Decimal(0)  # MIA18
    remarks: tuple[str, ...] = ()  # MIA05, MIA20-23


@dataclass
class RemitClaim:
    """Loop 2100: one claim payment (CLP) with its adjustments and lines."""

    patient_account: str  # CLP01 = CMS-1500 item 26
    status: str  # CLP02, a key of carc.claim_statuses()
    charge: Decimal  # CLP03
    paid: Decimal  # CLP04
    patient_responsibility: Decimal  # CLP05
    filing_indicator: str  # CLP06
    payer_claim_number: str  # CLP07
    patient_last: str = ""
    patient_first: str = ""
    member_id: str = ""
    adjustments: list[Adjustment] = field(default_factory=list)  # claim-level CAS
    lines: list[RemitLine] = field(default_factory=list)
    # Institutional claims (UB-04): CLP08 facility type (FL 4 digits 2-3), CLP09 frequency,
    # CLP11/CLP12 the MS-DRG and its weight, and the MIA (inpatient) or MOA (outpatient).
    facility_code: str = ""  # CLP08
    frequency: str = ""  # CLP09
    drg: str = ""  # CLP11
    drg_weight: Decimal | None = None  # CLP12
    inpatient: InpatientAdjudication | None = None  # MIA
    claim_remarks: list[str] = field(default_factory=list)  # MOA03-07 (outpatient)
    # DTM*232/233, the claim's statement period (UB-04 FL 6): X221A1 needs dates at the
    # claim level or on every line, so a DRG claim paid without lines carries them here
    statement_period: tuple[dt.date, dt.date] | None = None

    def all_adjustments(self) -> list[Adjustment]:
        """Claim-level and line-level adjustments together."""
        return [*self.adjustments, *(a for line in self.lines for a in line.adjustments)]

    def balances(self) -> bool:
        """charge - all adjustments == paid, and every line balances."""
        total = sum((a.amount for a in self.all_adjustments()), Decimal(0))
        return self.charge - total == self.paid and all(line.balances() for line in self.lines)


@dataclass(frozen=True)
class ProviderAdjustment:
    """A PLB adjustment: reason code (e.g. WO overpayment recovery, L6 interest) and amount."""

    reason: str
    reference: str
    amount: Decimal


@dataclass
class Remittance:
    """One 835 transaction: a payment (BPR), its trace (TRN) and the claims it pays."""

    trace_number: str  # TRN02: the check or EFT number, the key for idempotent posting
    payer_name: str  # N1*PR
    payer_id: str  # TRN03 / REF*2U
    payee_name: str  # N1*PE
    payee_npi: str  # N1*PE*XX
    payment: Decimal  # BPR02
    method: str = "ACH"  # BPR04: ACH, CHK or NON
    paid_on: dt.date | None = None  # BPR16
    claims: list[RemitClaim] = field(default_factory=list)
    provider_adjustments: list[ProviderAdjustment] = field(default_factory=list)

    def balances(self) -> bool:
        """BPR02 == sum of CLP04 - sum of PLB amounts, and every claim balances."""
        paid = sum((c.paid for c in self.claims), Decimal(0))
        plb = sum((p.amount for p in self.provider_adjustments), Decimal(0))
        return self.payment == paid - plb and all(c.balances() for c in self.claims)
