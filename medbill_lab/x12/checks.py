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
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from medbill_lab.x12.reader import Segment, Transaction, padded, paused_gc

Json = dict[str, Any]

#: X12 data type R (decimal number): an optional minus, digits, an optional decimal point
_AMOUNT = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_IS_AMOUNT = _AMOUNT.fullmatch
_ZERO = Decimal(0)
_DIGITS = re.compile(r"[0-9]+")
BALANCE_RULE_835 = "835 TR3 X221A1, section 1.10.2 Balancing"
#: DTP02 date formats: D8 = CCYYMMDD, RD8 = CCYYMMDD-CCYYMMDD, DT = CCYYMMDDHHMM
DATE_FORMATS = ("D8", "RD8", "DT")

#: diagnostic kinds this module reports
BALANCE, DATE, AMOUNT = "balance", "bad date", "bad amount"
PATIENT_SHARE = "patient responsibility"
PATIENT_SHARE_RULE = "X12 RFI 2548 on the 835 TR3 X221A1; not one of its balancing rules"


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
    return Decimal(value) if _IS_AMOUNT(value) else None


def date_problem(value: str) -> str | None:
    """Why ``value`` is not a CCYYMMDD calendar date, or None when it is one."""
    if len(value) != 8 or not (value.isdigit() and value.isascii()):
        return f"{value!r} is not a CCYYMMDD date (8 digits)"
    try:  # eight ASCII digits: fromisoformat reads them as CCYYMMDD (ISO 8601 basic)
        dt.date.fromisoformat(value)
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
class _Money:
    """A claim (CLP) or service line (SVC): its segment, the CAS segments that adjust it
    and, for a claim, its lines.  A plain slotted class: an 835 of 10 MB makes ~100,000."""

    __slots__ = ("cas", "lines", "seg")

    def __init__(self, seg: Segment) -> None:
        self.seg = seg
        self.cas: list[Segment] = []
        self.lines: list[_Money] = []

    def adjustments(self) -> list[tuple[Segment, str, str]]:
        """(CAS, group-reason, amount) of every adjustment, in order (to say what is wrong)."""
        return [one for seg in self.cas for one in _cas_amounts(seg)]


def _cas_amounts(seg: Segment) -> list[tuple[Segment, str, str]]:
    """(CAS, group-reason, amount) of each adjustment of a CAS (CAS02-04 ... CAS17-19)."""
    elements = seg.elements
    values = (*elements, "")  # CAS(n+1) of the last reason may be absent
    group = values[1]
    return [
        (seg, f"{group}-{elements[start]}", values[start + 1])
        for start in range(2, len(elements), 3)
        if elements[start] or values[start + 1]
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
    adjusted = sums.total(line.adjustments())
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


def _cas_values(cas: list[Segment]) -> list[Decimal] | None:
    """Every adjustment amount of these CAS segments, in order (as :func:`_cas_amounts`
    finds them); None when one is not an amount."""
    values: list[Decimal] = []
    for seg in cas:
        elements = seg.elements
        count = len(elements)
        for start in range(2, count, 3):
            text = elements[start + 1] if start + 1 < count else ""
            if elements[start] or text:
                if not _IS_AMOUNT(text):
                    return None
                values.append(Decimal(text))
    return values


def _net(money: _Money, charge_at: int) -> tuple[Decimal, Decimal, list[Decimal]] | None:
    """(charge minus its CAS amounts, paid, the CAS amounts) of a claim or line whose charge
    is element ``charge_at`` and paid the next one; None when one of them is not an amount."""
    elements = money.seg.elements
    if len(elements) <= charge_at + 1:
        return None
    charge, paid = elements[charge_at], elements[charge_at + 1]
    values = _cas_values(money.cas)
    if values is None or not _IS_AMOUNT(charge) or not _IS_AMOUNT(paid):
        return None
    return Decimal(charge) - sum(values, _ZERO), Decimal(paid), values


def _balanced(claim: _Money) -> bool:
    """True when every amount of the claim and of its lines is one and all of them balance:
    the common case, told without building a message (:func:`_claim_problems` then finds
    nothing, and says why whenever this is False).  Sums are added in the same order."""
    on_lines = _ZERO
    for line in claim.lines:
        net = _net(line, 2)  # SVC02 charge, SVC03 paid
        if net is None or net[0] != net[1]:
            return False
        on_lines = sum(net[2], on_lines)
    net = _net(claim, 3)  # CLP03 charge, CLP04 paid
    return net is not None and net[0] - on_lines == net[1]


def _claim_problems(claim: _Money) -> list[Json]:
    if _balanced(claim):
        return []
    claim_id = repr(claim.seg.element(1))
    problems: list[Json] = []
    for line in claim.lines:
        problems += _line_problems(line, claim_id)
    sums = _Sums(f"claim {claim_id}", "2100")
    charge = sums.value(claim.seg, "CLP03 (charge)", claim.seg.element(3))
    paid = sums.value(claim.seg, "CLP04 (paid)", claim.seg.element(4))
    at_claim = sums.total(claim.adjustments())
    on_lines = _quiet_total(text for line in claim.lines for _, _, text in line.adjustments())
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


def _pr_amounts(pr: list[Segment]) -> list[str]:
    """The amounts of the PR (patient responsibility) adjustments of these CAS*PR segments,
    as written (an empty one where a reason has no amount)."""
    texts: list[str] = []
    for seg in pr:
        elements = seg.elements
        count = len(elements)
        if count == 4 and elements[2]:  # one reason and its amount, the common case
            texts.append(elements[3])
            continue
        for start in range(2, count, 3):
            text = elements[start + 1] if start + 1 < count else ""
            if elements[start] or text:
                texts.append(text)
    return texts


def _patient_share(claim: _Money, pr: list[Segment]) -> list[Json]:
    """A warning when CLP05 (patient responsibility, empty = 0) is not the sum of the
    claim's PR (patient responsibility) adjustments at claim and line level (``pr``, its
    CAS*PR segments); a reversal (CLP02 22) is exempt, and a bad amount is left to the
    balance checks, which say it."""
    elements = claim.seg.elements
    if len(elements) > 2 and elements[2] == "22":
        return []
    owed_text = elements[5] if len(elements) > 5 else ""
    texts = _pr_amounts(pr)
    if len(texts) == 1 and texts[0] == owed_text:  # the common case, told without Decimal
        return []
    if owed_text and not _IS_AMOUNT(owed_text):
        message = (
            f"Claim {elements[1]!r}: CLP05 (patient responsibility) {owed_text!r} is not an "
            "amount: it cannot be compared with the claim's PR adjustments."
        )
        return [found("warning", claim.seg.ordinal, "2100", message, AMOUNT)]
    if not all(map(_IS_AMOUNT, texts)):
        return []
    share = sum(map(Decimal, texts), _ZERO)
    owed = Decimal(owed_text) if owed_text else _ZERO
    if owed == share:
        return []
    message = (
        f"Claim {elements[1]!r}: CLP05 patient responsibility {owed_text or '(empty, 0)'} is "
        f"not the sum of its PR adjustments (CAS*PR at claim and line level) {share} (off by "
        f"{owed - share}). CLP05 is what the patient owes: the sum of the claim's group PR "
        f"adjustments, except on a reversal (CLP02 22) ({PATIENT_SHARE_RULE})."
    )
    return [found("warning", claim.seg.ordinal, "2100", message, PATIENT_SHARE)]


def _total_problems(bpr: Segment, paid: list[str], plb: list[tuple[Segment, str]]) -> list:
    """BPR02 against ``paid`` (every claim's CLP04) and the PLB amounts."""
    sums = _Sums("the transaction's total payment", "header")
    total = sums.value(bpr, "BPR02 (total payment)", bpr.element(2))
    claim_sum = _quiet_total(paid)  # a bad CLP04: said by its claim
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


#: the 835 loops an N1 opens, by its N101 (the other loops: see Check835)
_PARTY_LOOPS = {"PR": "1000A", "PE": "1000B"}


class Check835:
    """The date and balance checks of one 835, fed segment by segment so that they run in
    the same pass as the reading (:func:`medbill_lab.x12.interpret.read_835`): ``steps``
    maps the segment IDs they look at to what reads them; other segments need no call.
    Each claim is balanced when the next CLP ends it (nothing after can change it), so only
    the open claim is held.  Then ``dates`` holds the date problems and :meth:`balance`
    gives the balance problems.

    >>> check = Check835()
    >>> for elements in [("BPR", "I", "10"), ("CLP", "A", "1", "10", "10"), ("DTM", "050", "2026")]:
    ...     check.steps[elements[0]](Segment(elements, 1, 1))
    >>> [p["loop"] for p in check.dates], [p["kind"] for p in check.balance()]
    (['2100'], [])
    """

    def __init__(self) -> None:
        self.loop = "header"  # the loop of the segment being read, for date diagnostics
        self.dates: list[Json] = []
        self.bpr: Segment | None = None
        self.claim: _Money | None = None  # the last claim, still open
        self.closed: list[Json] = []  # the balance problems of the claims before it
        self.paid: list[str] = []  # CLP04 of every claim, for BPR02
        self.plb: list[tuple[Segment, str]] = []
        self.target: _Money | None = None  # the claim or line a CAS adjusts
        self.pr: list[Segment] = []  # the CAS*PR segments of the open claim and its lines
        self.steps: dict[str, Callable[[Segment], None]] = {
            "N1": self.n1,
            "LX": self.lx,
            "CLP": self.clp,
            "SVC": self.svc,
            "PLB": self.plb_amounts,
            "BPR": self.bpr_date,
            "DTM": self.dtm,
            "CAS": self.cas,
        }

    def walk(self, segments: Iterable[Segment]) -> Check835:
        """Feed every segment (when nothing else reads them); returns itself."""
        steps = self.steps
        for seg in segments:
            step = steps.get(seg.elements[0])
            if step is not None:
                step(seg)
        return self

    def lx(self, seg: Segment) -> None:
        """LX opens loop 2000 (a header number grouping claims)."""
        self.loop = "2000"

    def n1(self, seg: Segment) -> None:
        """N1*PR opens loop 1000A, N1*PE 1000B; another N1 stays in its loop."""
        self.loop = _PARTY_LOOPS.get(seg.element(1), self.loop)

    def clp(self, seg: Segment) -> None:
        """A claim (loop 2100): it ends the one before, which is balanced now."""
        self.loop = "2100"
        if self.claim is not None:
            self.closed += _claim_problems(self.claim) + _patient_share(self.claim, self.pr)
        self.pr = []
        self.claim = self.target = _Money(seg)
        self.paid.append(seg.element(4))

    def svc(self, seg: Segment) -> None:
        """A service line (loop 2110) of the last claim (none before the first claim)."""
        self.loop = "2110"
        if self.claim is not None:
            self.target = _Money(seg)
            self.claim.lines.append(self.target)

    def cas(self, seg: Segment) -> None:
        """Adjustments of the claim or line being read."""
        if self.target is not None:
            self.target.cas.append(seg)
            elements = seg.elements
            if len(elements) > 1 and elements[1] == "PR":  # for the CLP05 check
                self.pr.append(seg)

    def plb_amounts(self, seg: Segment) -> None:
        """Provider adjustments (loop summary): each PLB amount (PLB04, 06, ...), skipping a
        pair whose reason and amount are both empty (a trailing ``**``, as the reading does);
        a CAS after them adjusts nothing."""
        self.loop = "summary"
        self.target = None
        for i in range(3, len(seg.elements), 2):
            reason, money = seg.element(i), seg.element(i + 1)
            if reason or money:
                self.plb.append((seg, money))

    def bpr_date(self, seg: Segment) -> None:
        """The first BPR holds the total payment; every BPR16 must be a date."""
        if self.bpr is None:
            self.bpr = seg
        if seg.element(16) and (problem := date_problem(seg.element(16))):
            self._date(seg, "BPR16 (payment date)", problem)

    def dtm(self, seg: Segment) -> None:
        """DTM02 must be a CCYYMMDD date, whatever DTM01 qualifies it as."""
        _, qualifier, value = padded(seg, 2)[:3]
        if problem := date_problem(value):  # what it is named only when it is wrong
            self._date(seg, f"DTM*{qualifier} DTM02", problem)

    def _date(self, seg: Segment, where: str, problem: str) -> None:
        message = f"{where}: {problem}; the date is left as the file gives it."
        self.dates.append(found("error", seg.ordinal, self.loop, message, DATE))

    def balance(self) -> list[Json]:
        """Every balancing rule broken: each service line, each claim (reversals included)
        and the BPR02 total, as diagnostics; and each claim whose CLP05 is not the sum of its
        PR adjustments (a warning, :func:`_patient_share`)."""
        problems = list(self.closed)
        if self.claim is not None:
            problems += _claim_problems(self.claim) + _patient_share(self.claim, self.pr)
        if self.bpr is not None:
            problems += _total_problems(self.bpr, self.paid, self.plb)
        return problems


def balance_835(transaction: Transaction) -> list[Json]:
    """Every 835 balancing rule broken in ``transaction``: each service line, each claim
    (reversals included) and the BPR02 total, as diagnostics."""
    with paused_gc():
        return Check835().walk(transaction.segments).balance()


def dates_835(transaction: Transaction) -> list[Json]:
    """Every date of an 835 that is not a CCYYMMDD calendar date: BPR16 (when present) and
    DTM02 of every DTM (405 production, 050 received, 036 expiration, 232/233 statement
    period, 150/151 service period, 472 service date...)."""
    return Check835().walk(transaction.segments).dates


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
