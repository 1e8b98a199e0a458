"""Checks ``x12 read`` runs on the transactions it reads (issue P9): money that does not
balance and dates that are not dates. Each problem is a diagnostic in the shape of
:func:`medbill_lab.x12.interpret.diagnostic` (with its ``kind``), placed at the segment's
ordinal in the file and its loop; nothing here raises on a missing or non-numeric value,
which is itself a diagnostic.

835 balancing follows the 835 TR3 (005010X221A1, section 1.10.2, Balancing):

- service line: SVC02 (charge) minus the line's CAS amounts = SVC03 (paid);
- claim: CLP03 (charge) minus every CAS amount of the claim, at claim level (2100) and on
  its service lines (2110), = CLP04 (paid); a reversal (CLP02 = 22) balances the same way
  with negative amounts;
- transaction: BPR02 (total payment) = the sum of CLP04 minus the sum of the PLB amounts
  (a PLB amount is a reduction: positive takes money back, negative pays more).

837P/837I: CLM02 (total charge) = the sum of the line charges (SV102 / SV203), the claim
balancing rule of the 837 TR3s (X222A1 and X223A2, loop 2300 CLM02).

Dates: in an 835, BPR16 and every DTM02 are CCYYMMDD; in an 837, DTP03 fits its DTP02 format
(D8 date, RD8 period that does not end before it starts, DT date and time), and DMG02 and BHT04
are CCYYMMDD. A date must be a real calendar date (20260230 is not).

>>> amount("12.50"), amount("-3"), amount("1,000.00"), amount("")
(Decimal('12.50'), Decimal('-3'), None, None)
>>> date_problem("20260230"), date_problem("20260228"), date_problem("2026123")
('20260230 is not a calendar date', None, "'2026123' is not a CCYYMMDD date (8 digits)")
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from medbill_lab.x12.reader import Segment, Transaction, paused_gc

Json = dict[str, Any]

#: X12 data type R (decimal number): an optional minus, digits, an optional decimal point
_AMOUNT = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_DIGITS = re.compile(r"[0-9]+")
BALANCE_RULE_835 = "835 TR3 X221A1, section 1.10.2 Balancing"
#: DTP02 date formats: D8 = CCYYMMDD, RD8 = CCYYMMDD-CCYYMMDD, DT = CCYYMMDDHHMM
DATE_FORMATS = ("D8", "RD8", "DT")

#: diagnostic kinds this module reports
BALANCE, DATE, AMOUNT = "balance", "bad date", "bad amount"


def found(severity: str, segment: int | None, loop: str | None, message: str, kind: str) -> Json:
    """One diagnostic: the four keys of the ``x12 read`` JSON shape, plus its ``kind``.

    >>> found("error", 4, "2100", "x", "balance")["kind"]
    'balance'
    """
    return {
        "severity": severity,
        "segment": segment,
        "loop": loop,
        "message": message,
        "kind": kind,
    }


def amount(value: str) -> Decimal | None:
    """An X12 decimal amount (type R), or None when ``value`` is empty or not one."""
    return Decimal(value) if _AMOUNT.fullmatch(value) else None


def date_problem(value: str) -> str | None:
    """Why ``value`` is not a CCYYMMDD calendar date, or None when it is one."""
    if len(value) != 8 or not _DIGITS.fullmatch(value):
        return f"{value!r} is not a CCYYMMDD date (8 digits)"
    try:
        dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return f"{value} is not a calendar date"
    return None


def period_problem(form: str, value: str) -> str | None:
    """Why a DTP03 ``value`` does not fit its DTP02 format ``form`` (D8, RD8 or DT), or None.

    >>> period_problem("RD8", "20261105-20261101"), period_problem("DT", "202611052460")
    ('the period ends (20261101) before it starts (20261105)', '2460 is not a time (HHMM)')
    """
    if form == "D8":
        return date_problem(value)
    if form == "RD8":
        start, dash, end = value.partition("-")
        if not dash:
            return f"{value!r} is not a CCYYMMDD-CCYYMMDD period"
        problem = date_problem(start) or date_problem(end)
        if problem is None and end < start:
            return f"the period ends ({end}) before it starts ({start})"
        return problem
    if len(value) != 12 or not _DIGITS.fullmatch(value):
        return f"{value!r} is not a CCYYMMDDHHMM date and time (12 digits)"
    if int(value[8:10]) > 23 or int(value[10:]) > 59:
        return f"{value[8:]} is not a time (HHMM)"
    return date_problem(value[:8])


# -- 835 ------------------------------------------------------------------------------
@dataclass
class _Money:
    """A claim or service line: its segment and what its CAS segments adjust."""

    seg: Segment
    cas: list[tuple[Segment, str, str]] = field(default_factory=list)  # (CAS, reason, amount)
    lines: list[_Money] = field(default_factory=list)


def _cas_amounts(seg: Segment) -> list[tuple[Segment, str, str]]:
    """(CAS, group-reason, amount) of each adjustment of a CAS (CAS02-04 ... CAS17-19)."""
    elements = seg.elements
    group = seg.element(1)
    return [
        (seg, f"{group}-{elements[start]}", seg.element(start + 1))
        for start in range(2, len(elements), 3)
        if elements[start] or seg.element(start + 1)
    ]


class _Sums:
    """Adds amounts, remembering the first that is not one (as a diagnostic)."""

    def __init__(self, what: str, loop: str) -> None:
        self.what, self.loop = what, loop
        self.problems: list[Json] = []

    def value(self, seg: Segment, name: str, text: str, loop: str = "") -> Decimal | None:
        """``text`` (element ``name`` of ``seg``, in ``loop`` or the check's own) as an
        amount; a diagnostic when it is not."""
        money = amount(text)
        if money is None:
            said = "is empty" if not text else f"{text!r} is not an amount"
            self.problems.append(
                found(
                    "error",
                    seg.ordinal,
                    loop or self.loop,
                    f"{name} {said}: {self.what} cannot be balanced.",
                    AMOUNT,
                )
            )
        return money

    def total(self, cas: list[tuple[Segment, str, str]]) -> Decimal | None:
        """The sum of the CAS amounts; None when one of them is not an amount."""
        values = [self.value(seg, f"CAS {reason} amount", text) for seg, reason, text in cas]
        return None if None in values else sum(values, Decimal(0))  # type: ignore[arg-type]


def _quiet_total(texts: Iterable[str]) -> Decimal | None:
    """The sum of amounts already checked (and reported) elsewhere; None if one is bad."""
    values = [amount(text) for text in texts]
    return None if None in values else sum(values, Decimal(0))  # type: ignore[arg-type]


def _line_problems(line: _Money, claim_id: str) -> list[Json]:
    what = f"service line {line.seg.element(1)!r} of claim {claim_id}"
    sums = _Sums(what, "2110")
    charge = sums.value(line.seg, "SVC02 (charge)", line.seg.element(2))
    paid = sums.value(line.seg, "SVC03 (paid)", line.seg.element(3))
    adjusted = sums.total(line.cas)
    if charge is None or paid is None or adjusted is None:
        return sums.problems
    if charge - adjusted == paid:
        return []
    message = (
        f"{what.capitalize()} does not balance: SVC02 charge {charge} minus its adjustments "
        f"(CAS) {adjusted} is {charge - adjusted}, but SVC03 paid is {paid} "
        f"(off by {paid - (charge - adjusted)}). Service line balancing: SVC02 minus the "
        f"line's CAS amounts equals SVC03 ({BALANCE_RULE_835})."
    )
    return [found("error", line.seg.ordinal, "2110", message, BALANCE)]


def _claim_problems(claim: _Money) -> list[Json]:
    claim_id = repr(claim.seg.element(1))
    problems: list[Json] = []
    for line in claim.lines:
        problems += _line_problems(line, claim_id)
    sums = _Sums(f"claim {claim_id}", "2100")
    charge = sums.value(claim.seg, "CLP03 (charge)", claim.seg.element(3))
    paid = sums.value(claim.seg, "CLP04 (paid)", claim.seg.element(4))
    at_claim = sums.total(claim.cas)
    on_lines = _quiet_total(text for line in claim.lines for _, _, text in line.cas)
    problems += sums.problems  # a line's bad CAS amount was said by the line's check
    if charge is None or paid is None or at_claim is None or on_lines is None:
        return problems
    expected = charge - at_claim - on_lines
    if expected != paid:
        message = (
            f"Claim {claim_id} does not balance: CLP03 charge {charge} minus its adjustments "
            f"(CAS) {at_claim} at claim level and {on_lines} on its service lines is "
            f"{expected}, but CLP04 paid is {paid} (off by {paid - expected}). Claim "
            f"balancing: CLP03 minus every CAS amount of the claim and its lines equals "
            f"CLP04 ({BALANCE_RULE_835})."
        )
        problems.append(found("error", claim.seg.ordinal, "2100", message, BALANCE))
    return problems


def _total_problems(bpr: Segment, claims: list[_Money], plb: list[tuple[Segment, str]]) -> list:
    sums = _Sums("the transaction's total payment", "header")
    total = sums.value(bpr, "BPR02 (total payment)", bpr.element(2))
    claim_sum = _quiet_total(c.seg.element(4) for c in claims)  # a bad CLP04: said by its claim
    taken = [sums.value(seg, "PLB amount", text, "summary") for seg, text in plb]
    if total is None or claim_sum is None or None in taken:
        return sums.problems
    plb_sum = sum(taken, Decimal(0))  # type: ignore[arg-type]
    if total == claim_sum - plb_sum:
        return []
    message = (
        f"BPR02 total payment {total} does not equal the claims' payments (sum of CLP04) "
        f"{claim_sum} minus the provider adjustments (sum of PLB) {plb_sum}, which is "
        f"{claim_sum - plb_sum} (off by {total - (claim_sum - plb_sum)}). Transaction "
        f"balancing: BPR02 equals the sum of CLP04 minus the sum of the PLB amounts "
        f"({BALANCE_RULE_835})."
    )
    return [found("error", bpr.ordinal, "header", message, BALANCE)]


def balance_835(transaction: Transaction) -> list[Json]:
    """Every 835 balancing rule broken in ``transaction``: each service line, each claim
    (reversals included) and the BPR02 total, as diagnostics."""
    with paused_gc():
        bpr, claims, plb = _money_of(transaction.segments)
        problems = [p for claim in claims for p in _claim_problems(claim)]
        if bpr is not None:
            problems += _total_problems(bpr, claims, plb)
    return problems


def _money_of(
    segments: list[Segment],
) -> tuple[Segment | None, list[_Money], list[tuple[Segment, str]]]:
    """The BPR, each claim with its CAS and lines, and each PLB amount of an 835."""
    bpr: Segment | None = None
    claims: list[_Money] = []
    plb: list[tuple[Segment, str]] = []
    target: _Money | None = None
    for seg in segments:
        seg_id = seg.elements[0]
        if seg_id == "CAS":
            if target is not None:
                target.cas += _cas_amounts(seg)
        elif seg_id == "SVC":
            if claims:
                target = _Money(seg)
                claims[-1].lines.append(target)
        elif seg_id == "CLP":
            target = _Money(seg)
            claims.append(target)
        elif seg_id == "BPR" and bpr is None:
            bpr = seg
        elif seg_id == "PLB":
            target = None
            plb += [(seg, seg.element(i + 1)) for i in range(3, len(seg.elements), 2)]
    return bpr, claims, plb


def _loop_835(seg: Segment, loop: str) -> str:
    """The 835 loop ``seg`` opens, or ``loop`` when it opens none."""
    if seg.id == "N1":
        return {"PR": "1000A", "PE": "1000B"}.get(seg.element(1), loop)
    return {"LX": "2000", "CLP": "2100", "SVC": "2110", "PLB": "summary"}.get(seg.id, loop)


def dates_835(transaction: Transaction) -> list[Json]:
    """Every date of an 835 that is not a CCYYMMDD calendar date: BPR16 (when present) and
    DTM02 of every DTM (405 production, 050 received, 036 expiration, 232/233 statement
    period, 150/151 service period, 472 service date...)."""
    problems: list[Json] = []
    loop = "header"
    for seg in transaction.segments:
        loop = _loop_835(seg, loop)
        if seg.id == "BPR" and seg.element(16):
            where, value = "BPR16 (payment date)", seg.element(16)
        elif seg.id == "DTM":
            where, value = f"DTM*{seg.element(1)} DTM02", seg.element(2)
        else:
            continue
        problem = date_problem(value)
        if problem:
            message = f"{where}: {problem}; the date is left as the file gives it."
            problems.append(found("error", seg.ordinal, loop, message, DATE))
    return problems


# -- 837P / 837I ----------------------------------------------------------------------
def _837_date(seg: Segment) -> tuple[str, str, str] | None:
    """(what it is, format, value) of the date an 837 segment carries, or None: a DTP's
    DTP03 in its DTP02 format, DMG02 (birth date, DMG01 D8) and BHT04 (creation date)."""
    seg_id = seg.elements[0]
    if seg_id == "DTP" and seg.element(2) in DATE_FORMATS:
        return f"DTP*{seg.element(1)} DTP03 ({seg.element(2)})", seg.element(2), seg.element(3)
    if seg_id == "DMG" and seg.element(1) == "D8":
        return "DMG02 (birth date)", "D8", seg.element(2)
    if seg_id == "BHT":
        return "BHT04 (the batch's creation date)", "D8", seg.element(4)
    return None


def dates_837(transaction: Transaction, loops: list[str]) -> list[Json]:
    """Every date of an 837 that does not fit its format: DTP03 (D8, RD8 or DT as DTP02
    says), DMG02 and BHT04 (CCYYMMDD). ``loops[i]`` is the loop of
    ``transaction.segments[i]``."""
    problems: list[Json] = []
    for seg, loop in zip(transaction.segments, loops, strict=False):
        date = _837_date(seg)
        problem = date and period_problem(date[1], date[2])
        if date and problem:
            message = f"{date[0]}: {problem}."
            problems.append(found("error", seg.ordinal, loop, message, DATE))
    return problems


def _claim_total_problem(clm: Segment, lines: list[tuple[Segment, str, str]]) -> list[Json]:
    sums = _Sums(f"claim {clm.element(1)!r}", "2300")
    total = sums.value(clm, "CLM02 (total charge)", clm.element(2))
    charges = [sums.value(seg, name, text, "2400") for seg, name, text in lines]
    if total is None or None in charges:
        return sums.problems
    line_sum = sum(charges, Decimal(0))  # type: ignore[arg-type]
    if total == line_sum:
        return []
    name = lines[0][1]
    message = (
        f"Claim {clm.element(1)!r}: CLM02 total charge {total} is not the sum of its "
        f"{len(lines)} line charge(s) ({name}) {line_sum} (off by {total - line_sum}). "
        "CLM02 must equal the sum of the service line charges (837 TR3, loop 2300 CLM02)."
    )
    return [found("error", clm.ordinal, "2300", message, BALANCE)]


def claim_totals_837(transaction: Transaction) -> list[Json]:
    """Each 837P/837I claim whose CLM02 is not the sum of its SV102 / SV203 line charges."""
    problems: list[Json] = []
    clm: Segment | None = None
    lines: list[tuple[Segment, str, str]] = []
    for seg in [*transaction.segments, None]:
        if seg is None or seg.id in ("CLM", "HL", "SE"):
            if clm is not None and lines:
                problems += _claim_total_problem(clm, lines)
            clm, lines = (seg if seg is not None and seg.id == "CLM" else None), []
        elif seg.id == "SV1" and clm is not None:
            lines.append((seg, "SV102", seg.element(2)))
        elif seg.id == "SV2" and clm is not None:
            lines.append((seg, "SV203", seg.element(3)))
    return problems
