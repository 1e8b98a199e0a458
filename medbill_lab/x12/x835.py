"""The 835 remittance advice (ASC X12 005010X221A1): write it, read it back,
and the 277CA claim acknowledgement (005010X214) for rejected claims.

:func:`to_835` writes one interchange (ISA/GS ``HP``) holding one transaction
set per :class:`~medbill_lab.payer.remittance.Remittance`; :func:`parse_835` reads
any 835 back into remittances; :func:`to_277ca` acknowledges rejected claims.
Validation is :func:`medbill_lab.x12.core.validate` (pyx12 picks the map from
GS08, so the same glue checks 837P, 835 and 277CA files).

>>> _cas_segments([Adjustment("CO", "45", Decimal("60")), Adjustment("PR", "2", Decimal("15"))])
['CAS*CO*45*60', 'CAS*PR*2*15']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from medbill_lab.claims.institutional import InstitutionalClaim
from medbill_lab.claims.model import Claim
from medbill_lab.claims.text import x12_text
from medbill_lab.payer.remittance import (
    Adjustment,
    InpatientAdjudication,
    ProviderAdjustment,
    RemitClaim,
    RemitLine,
    Remittance,
    group_code_problem,
)
from medbill_lab.payer.simulator import Rejection
from medbill_lab.x12 import core
from medbill_lab.x12.core import SEGMENT, Validation

VERSION_835 = "005010X221A1"
VERSION_277CA = "005010X214"
SENDER, RECEIVER = "MEDBILLPAYER", "MEDBILLLAB"
MAX_CAS_TRIPLES = 6
#: a rejected claim's member ID, total charge and service span (None when it has no lines)
_Rejected = tuple[str, Decimal, tuple[dt.date, dt.date] | None]
# TRN03 is a 10-character payer identifier ("1" + EIN); the teaching payer has
# no real EIN, so this fictional one stands in.  The payer's own ID goes in REF*2U.
TRAINING_PAYER_TIN = "1999999999"
TRAINING_PHONE = "8005550199"  # fictional 555-01xx payer EDI help desk
# ACH needs bank routing numbers; these fictional ones keep BPR complete.
_ACH_BANKS = (
    "01",
    "999999992",
    "DA",
    "123456",
    "1999999999",
    "",
    "01",
    "999999992",
    "DA",
    "654321",
)


# -- writing -------------------------------------------------------------------------
def _cas_segments(adjustments: Sequence[Adjustment]) -> list[str]:
    """One CAS per group code (in first-seen order), up to 6 triples each."""
    by_group: dict[str, list[Adjustment]] = {}
    for adj in adjustments:
        by_group.setdefault(adj.group, []).append(adj)
    out = []
    for group, items in by_group.items():
        for start in range(0, len(items), MAX_CAS_TRIPLES):
            elements: list[str] = []
            for adj in items[start : start + MAX_CAS_TRIPLES]:
                qty = core.quantity(adj.quantity) if adj.quantity is not None else ""
                elements += [adj.carc, core.amount(adj.amount), qty]
            out.append(core.segment("CAS", group, *elements))
    return out


def _bpr(remittance: Remittance, paid_on: dt.date) -> str:
    method = remittance.method.upper()
    amount = core.amount(remittance.payment)
    if method == "ACH":
        return core.segment("BPR", "I", amount, "C", "ACH", "CCP", *_ACH_BANKS, core.d8(paid_on))
    if method == "CHK":
        return core.segment("BPR", "I", amount, "C", "CHK", *[""] * 11, core.d8(paid_on))
    return core.segment("BPR", "H", amount, "C", "NON", *[""] * 11, core.d8(paid_on))


def _line_segments(line: RemitLine) -> list[str]:
    procedure = ":".join([line.qualifier or "HC", line.code, *line.modifiers])
    # SVC04: an institutional line's revenue code beside its HCPCS (with NU it is SVC01-2)
    revenue = line.revenue_code if line.qualifier != "NU" else ""
    out = [
        core.segment(
            "SVC",
            procedure,
            core.amount(line.charge),
            core.amount(line.paid),
            revenue,
            _units(line),
        )
    ]
    if line.date:
        out.append(core.segment("DTM", "472", core.d8(line.date)))
    out += _cas_segments(line.adjustments)
    if line.allowed is not None:
        out.append(core.segment("AMT", "B6", core.amount(line.allowed)))
    out += [core.segment("LQ", "HE", remark) for remark in line.remarks]
    return out


def _units(line: RemitLine) -> str:
    return "" if line.units == 1 else core.quantity(line.units)


def _claim_segments(claim: RemitClaim) -> list[str]:
    out = [
        core.segment(
            "CLP",
            claim.patient_account,
            claim.status,
            core.amount(claim.charge),
            core.amount(claim.paid),
            core.amount(claim.patient_responsibility),
            claim.filing_indicator,
            claim.payer_claim_number,
            claim.facility_code,  # CLP08-09: institutional claims only
            claim.frequency,
            "",  # CLP10 is not used in 5010
            claim.drg,  # CLP11-12: a DRG-paid inpatient claim
            _weight(claim.drg_weight),
        )
    ]
    out += _cas_segments(claim.adjustments)
    last, first = x12_text(claim.patient_last, 60), x12_text(claim.patient_first, 35)
    out.append(core.segment("NM1", "QC", "1", last, first))
    if claim.member_id:
        out.append(core.segment("NM1", "IL", "1", last, first, "", "", "", "MI", claim.member_id))
    out += _adjudication_segments(claim)
    if claim.statement_period is not None:  # 2100 DTM: the statement period start and end
        start, end = claim.statement_period
        out += [
            core.segment("DTM", "232", core.d8(start)),
            core.segment("DTM", "233", core.d8(end)),
        ]
    for line in claim.lines:
        out += _line_segments(line)
    return out


def _weight(weight: Decimal | None) -> str:
    """CLP12, the DRG relative weight as Table 5 prints it (e.g. 0.8059)."""
    return "" if weight is None else format(weight, "f")


def _adjudication_segments(claim: RemitClaim) -> list[str]:
    """MIA (inpatient: covered days, DRG amount, the add-ons paid) or MOA (outpatient remarks).

    MIA02 (operating outlier), MIA06 (disproportionate share) and MIA18 (indirect teaching)
    are written even when 0, so the remittance itself says that none was paid.
    """
    mia = claim.inpatient
    if mia is not None:
        remarks = list(mia.remarks[:5]) + [""] * (5 - len(mia.remarks[:5]))
        elements = [
            str(mia.covered_days),
            core.amount(mia.outlier),
            "",
            core.amount(mia.drg_amount),
        ]
        elements += [remarks[0], core.amount(mia.disproportionate_share)] + [""] * 11
        elements += [core.amount(mia.indirect_teaching), "", *remarks[1:]]
        return [core.segment("MIA", *elements)]
    if claim.claim_remarks:
        return [core.segment("MOA", "", "", *claim.claim_remarks[:5])]
    return []


def _plb(remittance: Remittance, paid_on: dt.date) -> list[str]:
    out = []
    items = remittance.provider_adjustments
    year_end = dt.date(paid_on.year, 12, 31)
    for start in range(0, len(items), 6):
        elements: list[str] = []
        for adj in items[start : start + 6]:
            reason = f"{adj.reason}:{adj.reference}" if adj.reference else adj.reason
            elements += [reason, core.amount(adj.amount)]
        out.append(core.segment("PLB", remittance.payee_npi, core.d8(year_end), *elements))
    return out


def _transaction(remittance: Remittance, number: int, when: dt.datetime) -> list[str]:
    paid_on = remittance.paid_on or when.date()
    body = [
        core.segment("ST", "835", f"{number:04d}"),
        _bpr(remittance, paid_on),
        core.segment("TRN", "1", remittance.trace_number, TRAINING_PAYER_TIN),
        core.segment("DTM", "405", core.d8(paid_on)),
        core.segment("N1", "PR", x12_text(remittance.payer_name, 60)),
        core.segment("N3", "PO BOX 4100"),
        core.segment("N4", "HARLOW", "IL", "62901"),
        core.segment("REF", "2U", remittance.payer_id),
        core.segment("PER", "BL", "EDI SUPPORT", "TE", TRAINING_PHONE),
        core.segment("N1", "PE", x12_text(remittance.payee_name, 60), "XX", remittance.payee_npi),
    ]
    for index, claim in enumerate(remittance.claims, 1):
        if index == 1:
            body.append(core.segment("LX", "1"))
        body += _claim_segments(claim)
    body += _plb(remittance, paid_on)
    body.append(core.segment("SE", str(len(body) + 1), f"{number:04d}"))
    return body


def _envelope(
    body: list[str], functional: str, version: str, control: int, when: dt.datetime
) -> str:
    count = sum(1 for s in body if s.startswith("ST*"))
    out = [
        core.isa(SENDER, RECEIVER, control, when),
        core.segment(
            "GS",
            functional,
            SENDER,
            RECEIVER,
            when.strftime("%Y%m%d"),
            when.strftime("%H%M"),
            str(control),
            "X",
            version,
        ),
        *body,
        core.segment("GE", str(count), str(control)),
        core.segment("IEA", "1", f"{control:09d}"),
    ]
    return SEGMENT.join(out) + SEGMENT


def to_835(
    remittance: Remittance | Sequence[Remittance],
    *,
    control_number: int = 1,
    when: dt.datetime | None = None,
) -> str:
    """One 835 interchange: one transaction set (ST/SE) per remittance.

    Deterministic for a given ``when`` (default: the remittance's payment date at
    noon, so the same remittance always gives the same file).  The payer
    address and technical contact are the teaching payer's fixed ones.
    """
    batch = [remittance] if isinstance(remittance, Remittance) else list(remittance)
    if not batch:
        raise ValueError("to_835 needs at least one remittance")
    if when is None:
        day = batch[0].paid_on or dt.date(2026, 1, 1)
        when = dt.datetime.combine(day, dt.time(12, 0))
    body = [seg for i, r in enumerate(batch, 1) for seg in _transaction(r, i, when)]
    return _envelope(body, "HP", VERSION_835, control_number, when)


def validate(text: str) -> Validation:
    """pyx12's verdict on an 835 or 277CA (:func:`medbill_lab.x12.core.validate`; the map comes from GS08)."""
    return core.validate(text)


# -- reading -------------------------------------------------------------------------
def _money(seg: list[str], position: int, required: bool = True) -> Decimal:
    value = seg[position] if position < len(seg) else ""
    if not value and not required:
        return Decimal(0)
    try:
        amount = Decimal(value)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite():
        raise ValueError(f"{seg[0]}{position:02d}: {value!r} is not an amount")
    return amount


def _date(seg: list[str], position: int) -> dt.date:
    value = seg[position] if position < len(seg) else ""
    try:
        return dt.datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        raise ValueError(f"{seg[0]}{position:02d}: {value!r} is not a CCYYMMDD date") from None


def _get(seg: list[str], position: int) -> str:
    return seg[position] if position < len(seg) else ""


class _Reader:
    """Walks an 835's segments, building remittances; one method per segment ID."""

    def __init__(self, component: str) -> None:
        self.declared = component  # ISA16
        self.component = component  # what the transaction's composites really use
        self.found: list[Remittance] = []
        self.current: Remittance | None = None
        self.claim: RemitClaim | None = None
        self.line: RemitLine | None = None
        self.party = ""  # "PR" or "PE": which 1000 loop we are in
        self.count = 0  # segments since ST
        self.envelopes = core.Envelopes()  # a file cut short is refused

    def remittance(self, seg: list[str]) -> Remittance:
        if self.current is None:
            raise ValueError(f"{seg[0]}: found outside an 835 transaction set (ST*835)")
        return self.current

    def need_claim(self, seg: list[str]) -> RemitClaim:
        if self.claim is None:
            raise ValueError(f"{seg[0]}: found before any CLP claim")
        return self.claim

    def read(self, seg: list[str]) -> None:
        self.count += 1
        handler = getattr(self, f"seg_{seg[0]}", None)
        if handler is not None:
            handler(seg)

    def seg_ISA(self, seg: list[str]) -> None:
        if self.current is not None:
            raise ValueError("SE: the transaction set has no SE trailer before the next ISA")
        self.envelopes.see(seg)

    def seg_IEA(self, seg: list[str]) -> None:
        if self.current is not None:
            raise ValueError("SE: the transaction set has no SE trailer before its IEA")
        self.envelopes.see(seg)

    def seg_ST(self, seg: list[str]) -> None:
        if _get(seg, 1) != "835":
            raise ValueError(f"ST: transaction set {_get(seg, 1)!r} is not an 835")
        self.current = Remittance("", "", "", "", "", Decimal(0))
        self.claim, self.line, self.party, self.count = None, None, "", 1
        self.component = self.declared

    def seg_BPR(self, seg: list[str]) -> None:
        rem = self.remittance(seg)
        rem.payment = _money(seg, 2)
        rem.method = _get(seg, 4) or "NON"
        rem.paid_on = _date(seg, 16) if _get(seg, 16) else None

    def seg_TRN(self, seg: list[str]) -> None:
        rem = self.remittance(seg)
        if not _get(seg, 2):
            raise ValueError("TRN02: the check or EFT trace number is missing")
        rem.trace_number = _get(seg, 2)
        rem.payer_id = rem.payer_id or _get(seg, 3)

    def seg_N1(self, seg: list[str]) -> None:
        rem = self.remittance(seg)
        self.party = _get(seg, 1)
        if self.party == "PR":
            rem.payer_name = _get(seg, 2)
        elif self.party == "PE":
            rem.payee_name = _get(seg, 2)
            rem.payee_npi = _get(seg, 4) if _get(seg, 3) == "XX" else ""

    def seg_REF(self, seg: list[str]) -> None:
        if self.party == "PR" and self.claim is None and _get(seg, 1) == "2U":
            self.remittance(seg).payer_id = _get(seg, 2)

    def seg_CLP(self, seg: list[str]) -> None:
        rem = self.remittance(seg)
        if not _get(seg, 1) or not _get(seg, 2):
            raise ValueError("CLP: the patient account (CLP01) and status (CLP02) are required")
        self.claim = RemitClaim(
            _get(seg, 1),
            _get(seg, 2),
            _money(seg, 3),
            _money(seg, 4),
            _money(seg, 5, required=False),
            _get(seg, 6),
            _get(seg, 7),
            facility_code=_get(seg, 8),
            frequency=_get(seg, 9),
            drg=_get(seg, 11),
            drg_weight=_money(seg, 12) if _get(seg, 12) else None,
        )
        self.line = None
        rem.claims.append(self.claim)

    def seg_MIA(self, seg: list[str]) -> None:
        claim = self.need_claim(seg)
        days = _money(seg, 1)
        if days != days.to_integral_value():
            raise ValueError(f"MIA01: {_get(seg, 1)!r} is not a whole number of days")
        claim.inpatient = InpatientAdjudication(
            int(days),
            _money(seg, 4, required=False),
            _money(seg, 2, required=False),
            _money(seg, 6, required=False),
            _money(seg, 18, required=False),
            tuple(_get(seg, i) for i in (5, 20, 21, 22, 23) if _get(seg, i)),
        )

    def seg_MOA(self, seg: list[str]) -> None:
        claim = self.need_claim(seg)
        claim.claim_remarks = [_get(seg, i) for i in range(3, 8) if _get(seg, i)]

    def seg_CAS(self, seg: list[str]) -> None:
        target = self.line if self.line is not None else self.need_claim(seg)
        group = _get(seg, 1)
        if not group or not _get(seg, 2):
            raise ValueError("CAS: a group code (CAS01) and a reason code (CAS02) are required")
        problem = group_code_problem(group)
        if problem:  # X12: an invalid code value (999 IK403 code 7); the file is refused
            raise ValueError(f"{problem} (claim {self.need_claim(seg).patient_account})")
        for start in range(2, len(seg), 3):
            if not _get(seg, start):
                continue
            qty = _get(seg, start + 2)
            quantity = _money(seg, start + 2) if qty else None
            target.adjustments.append(
                Adjustment(group, seg[start], _money(seg, start + 1), quantity)
            )

    def seg_NM1(self, seg: list[str]) -> None:
        claim = self.need_claim(seg) if _get(seg, 1) in ("QC", "IL") else None
        if claim is None:
            return
        if _get(seg, 1) == "QC":
            claim.patient_last, claim.patient_first = _get(seg, 3), _get(seg, 4)
        if _get(seg, 9) and (_get(seg, 1) == "IL" or not claim.member_id):
            claim.member_id = _get(seg, 9)

    def seg_SVC(self, seg: list[str]) -> None:
        claim = self.need_claim(seg)
        # several public files declare ISA16 ":" and write "HC>55669": read what they
        # write, as x12 read does; the PLB composites after the claims follow suit
        self.component = core.component_in_use(self.component, _get(seg, 1))
        parts = _get(seg, 1).split(self.component)
        if len(parts) < 2 or not parts[1]:
            raise ValueError(f"SVC01: {_get(seg, 1)!r} is not a qualifier:code composite")
        units = _money(seg, 5) if _get(seg, 5) else Decimal(1)
        self.line = RemitLine(
            parts[1], _money(seg, 2), _money(seg, 3), [m for m in parts[2:] if m], units
        )
        self.line.qualifier = parts[0]
        self.line.revenue_code = parts[1] if parts[0] == "NU" else _get(seg, 4)
        claim.lines.append(self.line)

    def seg_DTM(self, seg: list[str]) -> None:
        if self.line is not None and _get(seg, 1) == "472":
            self.line.date = _date(seg, 2)
        elif self.line is None and self.claim is not None and _get(seg, 1) in ("232", "233"):
            day = _date(seg, 2)  # one date alone: the other end is the same day (X221A1)
            start, end = self.claim.statement_period or (day, day)
            self.claim.statement_period = (day, end) if _get(seg, 1) == "232" else (start, day)

    def seg_AMT(self, seg: list[str]) -> None:
        if self.line is not None and _get(seg, 1) == "B6":
            self.line.allowed = _money(seg, 2)

    def seg_LQ(self, seg: list[str]) -> None:
        if self.line is None:
            raise ValueError("LQ: a remark code must follow an SVC service line")
        if _get(seg, 1) == "HE":
            self.line.remarks.append(_get(seg, 2))

    def seg_PLB(self, seg: list[str]) -> None:
        rem = self.remittance(seg)
        self.claim, self.line = None, None
        for start in range(3, len(seg), 2):
            if not _get(seg, start):
                continue
            reason, _, reference = seg[start].partition(self.component)
            rem.provider_adjustments.append(
                ProviderAdjustment(reason, reference, _money(seg, start + 1))
            )

    def seg_SE(self, seg: list[str]) -> None:
        rem = self.remittance(seg)
        if _get(seg, 1) != str(self.count):
            raise ValueError(
                f"SE01: says {_get(seg, 1)!r} segments, the transaction has {self.count}"
            )
        self.found.append(rem)
        self.current, self.claim, self.line = None, None, None


def parse_835(data: bytes | str) -> list[Remittance]:
    """Every remittance (one per ST*835) in an 835 file, as it arrived or as text.

    The file is first put in standard form (:func:`medbill_lab.x12.core.standard_form`),
    so whatever the tolerant reader reads (a byte-order mark, an ISA with unpadded fields,
    any delimiters, line breaks, several interchanges) reads here as the standard file.
    Malformed input raises ``ValueError`` with a one-line message naming the
    segment (or element) at fault; so does a file cut short.

    >>> parse_835("hello")
    Traceback (most recent call last):
    ...
    ValueError: ISA: not an X12 file: it does not start with an ISA segment
    """
    try:
        text = core.standard_form(data)
        marks = core.delimiters(text)
    except ValueError as exc:
        raise ValueError(f"ISA: {exc}") from None
    reader = _Reader(marks.component)
    for raw in core.segments(text):
        reader.read(raw.split(marks.element))
    if reader.current is not None:
        raise ValueError("SE: the last transaction set has no SE trailer")
    reader.envelopes.finish()
    if not reader.found:
        raise ValueError("ST: no 835 transaction set (ST*835) in this interchange")
    return reader.found


# -- 277CA ---------------------------------------------------------------------------
def _rejected_claim(claim: Claim | InstitutionalClaim | None) -> _Rejected:
    """(member ID, total charge, service span) of a rejected CMS-1500 or UB-04 claim."""
    if claim is None:
        return "", Decimal(0), None
    span: tuple[dt.date, dt.date] | None
    if isinstance(claim, InstitutionalClaim):  # FL 60, FL 47 total, FL 6 statement period
        member = claim.payers[0].insured_id if claim.payers else ""
        span = (claim.statement_from, claim.statement_through)
    else:  # item 1a, 24F total, 24A dates
        member, start = claim.insured_id, claim.first_date_of_service()
        end = max((ln.date_to or ln.date_from for ln in claim.lines), default=None)
        span = None if start is None or end is None else (start, end)
    return member.strip().upper(), claim.line_total(), span


def _rejection_segments(rejection: Rejection, hl: int, parent: int, day: dt.date) -> list[str]:
    claim = rejection.claim
    patient = claim.patient if claim else None
    last = x12_text(patient.last, 60) if patient else "UNKNOWN"
    first = x12_text(patient.first, 35) if patient else ""
    member, charge, span = _rejected_claim(claim)
    out = [
        core.segment("HL", str(hl), str(parent), "PT"),
        core.segment("NM1", "QC", "1", last, first, "", "", "", "MI" if member else "", member),
        core.segment("TRN", "2", rejection.patient_account),
    ]
    for code in rejection.status_codes:
        out.append(core.segment("STC", code, core.d8(day), "U", core.amount(charge)))
    if span is not None:
        out.append(core.segment("DTP", "472", "RD8", f"{core.d8(span[0])}-{core.d8(span[1])}"))
    return out


def to_277ca(
    rejections: Sequence[Rejection],
    *,
    payer_name: str = "MEDBILL LAB HEALTH PLAN",
    payer_id: str = "MBLHP",
    control_number: int = 1,
    when: dt.datetime | None = None,
) -> str:
    """A minimal 277CA (005010X214) telling the submitter which claims were
    rejected at the front end: one patient loop (HL 2200D) per rejection with
    the claim's account number (TRN*2) and the STC status codes.  Every
    rejection is listed under one billing provider loop (the first claim's)."""
    when = when or dt.datetime(2026, 1, 1, 12, 0)
    day = when.date()
    first = next((r.claim for r in rejections if r.claim), None)
    org = first.billing_provider if first else None
    total = sum((_rejected_claim(r.claim)[1] for r in rejections), Decimal(0))
    body = [
        core.segment("ST", "277", "0001", VERSION_277CA),
        core.segment(
            "BHT", "0085", "08", f"{control_number}", core.d8(day), when.strftime("%H%M"), "TH"
        ),
        core.segment("HL", "1", "", "20", "1"),
        core.segment("NM1", "PR", "2", x12_text(payer_name, 60), "", "", "", "", "PI", payer_id),
        core.segment("TRN", "1", f"{control_number}"),
        core.segment("DTP", "050", "D8", core.d8(day)),
        core.segment("DTP", "009", "D8", core.d8(day)),
        core.segment("HL", "2", "1", "21", "1"),
        core.segment(
            "NM1",
            "41",
            "2",
            x12_text(org.name, 60) if org else "SUBMITTER",
            "",
            "",
            "",
            "",
            "46",
            SENDER_ID_277,
        ),
        core.segment("TRN", "2", f"{control_number}"),
        core.segment("STC", "A1:19", core.d8(day), "WQ", core.amount(total)),
        core.segment("QTY", "AA", str(len(rejections))),
        core.segment("AMT", "YY", core.amount(total)),
        core.segment("HL", "3", "2", "19", "1"),
        core.segment(
            "NM1",
            "85",
            "2",
            x12_text(org.name, 60) if org else "PROVIDER",
            "",
            "",
            "",
            "",
            "XX",
            org.npi if org else "1234567893",
        ),
        core.segment("TRN", "1", "0"),
        core.segment("STC", "A1:19", "", "WQ", core.amount(total)),
        core.segment("QTY", "QC", str(len(rejections))),
        core.segment("AMT", "YY", core.amount(total)),
    ]
    for index, rejection in enumerate(rejections):
        body += _rejection_segments(rejection, 4 + index, 3, day)
    body.append(core.segment("SE", str(len(body) + 1), "0001"))
    return _envelope(body, "HN", VERSION_277CA, control_number, when)


SENDER_ID_277 = "MEDBILLLAB"
