"""Grade a completed CMS-1500 box by box against the answer key.

The "CMS-1500 completion" assignment gives learners a scenario and asks for
the claim.  Each graded box is worth points; every point lost comes with one
line naming the box and what was expected.  Credit is partial where a human
grader would give it:

* names, addresses and IDs that differ only by case, spaces or punctuation
  are accepted ("O'Brien" = "OBRIEN", "St. Mary's" = "st marys");
* item 21: a point for each key code found anywhere, half a point for a code
  in the right category but not the key's, one point for the order; a code
  the key does not have costs half a point;
* item 24: lines are matched by code and date, not by position; pointers are
  compared by the diagnoses they point at, so reordered diagnoses with
  matching pointers lose nothing in 24E.

>>> from medbill_lab.claims.model import load
>>> from medbill_lab.datasets import datasets_dir
>>> key = load(datasets_dir() / "claims" / "clean-01-htn-hld-followup.json")
>>> grade_claim(key, key).percent
100.0
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from html import escape

from medbill_lab.claims.items import item_of
from medbill_lab.claims.model import (
    POINTER_LETTERS,
    Address,
    Claim,
    Organization,
    Person,
    Provider,
    ServiceLine,
)
from medbill_lab.codes import icd10cm
from medbill_lab.training.element_log import element

EXTRA_CODE_PENALTY = 0.5
EXTRA_LINE_PENALTY = 1.0
LINE_POINTS = {"A": 1.0, "B": 1.0, "C": 1.0, "D": 2.0, "D mod": 1.0, "E": 1.0, "F": 1.0}
LINE_POINTS |= {"G": 1.0, "H": 1.0, "J": 1.0}

_STYLE = """<style>
.mbl-claim-grade {border-collapse: collapse; width: 100%; font-size: 0.95em}
.mbl-claim-grade td, .mbl-claim-grade th {border-bottom: 1px solid #ddd; padding: 3px 8px;
  text-align: left; vertical-align: top}
.mbl-full {background: #e8f5e9} .mbl-part {background: #fff8e1} .mbl-zero {background: #ffebee}
</style>"""


@dataclass(frozen=True)
class BoxMark:
    """The points for one box (or one box of one line) and why.

    ``expected`` and ``given``: the key's and the claim's values of the box as text
    ("" for a blank box), for the class report; the reason says the same to a person.
    """

    box: str
    points: float
    max_points: float
    reason: str
    expected: str = ""
    given: str = ""

    def __post_init__(self) -> None:
        item_of(self.box)  # a mark names an item of the CMS-1500 table, or UnknownItem

    @property
    def item(self) -> str:
        """The CMS-1500 item the box belongs to ("Item 24F line 2" -> "24F").

        >>> BoxMark("Item 21C", 1, 1, "ok").item
        '21'
        """
        return item_of(self.box)

    @property
    def full(self) -> bool:
        """Did the box earn everything it could (and cost nothing)?"""
        return self.points >= self.max_points

    def as_dict(self) -> dict:
        """A JSON-ready view."""
        return {
            "box": self.box,
            "points": self.points,
            "max_points": self.max_points,
            "reason": self.reason,
            "expected": self.expected,
            "given": self.given,
        }


@dataclass(frozen=True)
class ClaimGrade:
    """A graded CMS-1500: every box's mark, the total and the percentage."""

    marks: tuple[BoxMark, ...]

    @property
    def max_score(self) -> float:
        """Points available (penalties are not part of the maximum)."""
        return sum(m.max_points for m in self.marks)

    @property
    def score(self) -> float:
        """Points earned, less penalties, never below zero."""
        return max(0.0, sum(m.points for m in self.marks))

    @property
    def percent(self) -> float:
        """The score as a percentage of the maximum, to one decimal."""
        return round(100 * self.score / self.max_score, 1) if self.max_score else 0.0

    def lost(self) -> list[str]:
        """One line per box that lost points, naming the box."""
        return [m.reason for m in self.marks if not m.full]

    def summary(self) -> str:
        """One line: score out of the maximum and the percentage.

        >>> ClaimGrade((BoxMark("Item 1", 1, 1, "ok"), BoxMark("Item 2", 0, 1, "no"))).summary()
        'CMS-1500: 1/2 points (50.0%)'
        """
        return f"CMS-1500: {_pts(self.score)}/{_pts(self.max_score)} points ({self.percent}%)"

    def to_text(self) -> str:
        """The summary, then one line per box: box, points, reason."""
        width = max((len(m.box) for m in self.marks), default=8)
        rows = [self.summary()]
        for m in self.marks:
            points = f"{_pts(m.points)}/{_pts(m.max_points)}"
            reason = m.reason.removeprefix(f"{m.box}: ")
            rows.append(f"{m.box.ljust(width)}  {points.ljust(7)}  {reason}")
        return "\n".join(rows)

    def to_html(self) -> str:
        """An HTML table of the marks; every piece of text is escaped."""
        rows = "".join(_row_html(m) for m in self.marks)
        return (
            f"{_STYLE}<p><b>Score: {_pts(self.score)} / {_pts(self.max_score)} "
            f"({self.percent}%)</b></p>"
            '<table class="mbl-table mbl-claim-grade"><tr><th>Box</th><th>Points</th>'
            f"<th>Why</th></tr>{rows}</table>"
        )

    def as_dict(self) -> dict:
        """A JSON-ready view."""
        return {
            "score": self.score,
            "max_score": self.max_score,
            "percent": self.percent,
            "marks": [m.as_dict() for m in self.marks],
            "lost": self.lost(),
        }


def _row_html(m: BoxMark) -> str:
    cls = "mbl-full" if m.full else ("mbl-part" if m.points > 0 else "mbl-zero")
    return (
        f'<tr class="{cls}"><td>{escape(m.box)}</td>'
        f"<td>{_pts(m.points)}/{_pts(m.max_points)}</td><td>{escape(m.reason)}</td></tr>"
    )


def _pts(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


# -- comparing values as a human grader would ------------------------------------------
def norm(text: object) -> str:
    """Text compared without case, spaces or punctuation ("&" reads as "and").

    >>> norm("St. Mary's  Clinic & Lab") == norm("ST MARYS CLINIC AND LAB")
    True
    """
    value = "" if text is None else str(text)
    return re.sub(r"[^0-9A-Z]", "", value.upper().replace("&", "AND"))


def _code(code: str) -> str:
    """A code as compared and shown: upper case, dotted where ICD-10-CM puts the dot."""
    return icd10cm.normalize(code) if isinstance(code, str) else str(code)


def _name(p: Person | Provider | None) -> str:
    if p is None:
        return ""
    return f"{p.last}, {p.first}".strip(", ")


def _same_name(a: Person | Provider | None, b: Person | Provider | None) -> bool:
    if a is None or b is None:
        return a is b
    return norm(a.last) == norm(b.last) and norm(a.first) == norm(b.first)


def _address_text(a: Address | None) -> str:
    return "" if a is None else f"{a.street}, {a.city}, {a.state} {a.zip}"


def _address_misses(expected: Address | None, submitted: Address | None) -> list[str]:
    """Which parts of an address differ (ZIP compared on its first 5 digits)."""
    if expected is None or submitted is None:
        return [] if expected is submitted else ["address"]
    parts = {
        "street": (expected.street, submitted.street),
        "city": (expected.city, submitted.city),
        "state": (expected.state, submitted.state),
        "ZIP": (norm(expected.zip)[:5], norm(submitted.zip)[:5]),
    }
    return [name for name, (a, b) in parts.items() if norm(a) != norm(b)]


def _mark(
    box: str, ok: bool, what: str, expected: object, entered: object, points: float = 1.0
) -> BoxMark:
    """Full points when ``ok``; otherwise none, with the expected and entered values."""
    want, got = value_text(expected), value_text(entered)
    if ok:
        return BoxMark(box, points, points, f"{box}: correct", want, got)
    return BoxMark(
        box,
        0.0,
        points,
        f"{box}: {what} {_shown(expected)} expected, {_shown(entered)} entered",
        want,
        got,
    )


def value_text(value: object) -> str:
    """A box's value as one line of text: "" for blank, Y/N for a checkbox, lists joined.

    >>> value_text(None), value_text(True), value_text(["25", "59"]), value_text(Decimal("80.00"))
    ('', 'Y', '25, 59', '80.00')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, list | tuple):
        return ", ".join(value_text(v) for v in value)
    return " ".join(str(value).split())


def _shown(value: object) -> str:
    if value is None or value == "":
        return "blank"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return repr(str(value))


# -- items 1-14 ----------------------------------------------------------------------------------
def _patient_boxes(e: Claim, s: Claim) -> list[BoxMark]:
    return [
        _mark("Item 1", e.program == s.program, "program", e.program, s.program),
        _mark(
            "Item 1a",
            norm(e.insured_id) == norm(s.insured_id),
            "insured's ID",
            e.insured_id,
            s.insured_id,
        ),
        _person_name_mark("Item 2", "patient's name", e.patient, s.patient),
        _mark(
            "Item 3 date of birth",
            e.patient.dob == s.patient.dob,
            "date of birth",
            e.patient.dob,
            s.patient.dob,
        ),
        _mark("Item 3 sex", e.patient.sex == s.patient.sex, "sex", e.patient.sex, s.patient.sex),
        _insured_mark(e, s),
        _address_mark("Item 5", "patient's address", e.patient.address, s.patient.address),
        _mark(
            "Item 6",
            e.relationship == s.relationship,
            "relationship",
            e.relationship,
            s.relationship,
        ),
        _mark(
            "Item 11",
            norm(e.insured_group) == norm(s.insured_group),
            "policy group",
            e.insured_group,
            s.insured_group,
        ),
        _mark(
            "Item 14",
            e.onset_date == s.onset_date,
            "date of current illness",
            e.onset_date,
            s.onset_date,
        ),
    ]


def _insured_mark(e: Claim, s: Claim) -> BoxMark:
    """Item 4; when key and answer both say "the patient is the insured", item 2 grades the name."""
    if e.insured is None and s.insured is None:  # the box stays blank, as entered
        return BoxMark("Item 4", 1.0, 1.0, "Item 4: correct (the patient is the insured)")
    return _person_name_mark("Item 4", "insured's name", _insured(e), _insured(s))


def _insured(c: Claim) -> Person:
    return c.insured if c.insured is not None else c.patient


def _person_name_mark(box: str, what: str, e: Person, s: Person) -> BoxMark:
    want, got = _full_name(e), _full_name(s)
    if _same_name(e, s) and norm(e.middle)[:1] == norm(s.middle)[:1]:
        return BoxMark(box, 1.0, 1.0, f"{box}: correct", want, got)
    if _same_name(e, s):
        return BoxMark(
            box,
            0.5,
            1.0,
            f"{box}: middle initial {_shown(e.middle)} expected, {_shown(s.middle)} entered",
            want,
            got,
        )
    return replace(_mark(box, False, what, _name(e), _name(s)), expected=want, given=got)


def _full_name(p: Person) -> str:
    """'Last, First M' (the middle initial only, as the box takes it)."""
    initial = norm(p.middle)[:1]
    return f"{_name(p)} {initial}".strip()


def _address_mark(box: str, what: str, e: Address | None, s: Address | None) -> BoxMark:
    misses = _address_misses(e, s)
    want, got = _address_text(e), _address_text(s)
    if not misses:
        return BoxMark(box, 1.0, 1.0, f"{box}: correct", want, got)
    points = 0.5 if len(misses) == 1 and e is not None and s is not None else 0.0
    return BoxMark(
        box,
        points,
        1.0,
        f"{box}: {what} {_shown(_address_text(e))} expected, {_shown(_address_text(s))} entered "
        f"(wrong: {', '.join(misses)})",
        want,
        got,
    )


# -- item 17 -----------------------------------------------------------------------------------------
def _referring_boxes(e: Claim, s: Claim) -> list[BoxMark]:
    er, sr = e.referring_provider, s.referring_provider
    name = _mark("Item 17", _same_name(er, sr), "referring provider", _name(er), _name(sr))
    npi = _mark(
        "Item 17b",
        (er.npi if er else "") == (sr.npi if sr else ""),
        "referring NPI",
        er.npi if er else "",
        sr.npi if sr else "",
    )
    return [name, npi]


# -- item 21 -----------------------------------------------------------------------------------------
def _diagnosis_boxes(e: Claim, s: Claim) -> list[BoxMark]:
    want = [_code(c) for c in e.diagnoses]
    have = [_code(c) for c in s.diagnoses]
    used: set[int] = set()  # submitted positions already credited
    marks = [_diagnosis_mark(i, want, have, s, used) for i in range(len(want))]
    marks.append(_order_mark(want, have))
    extras = [s.diagnoses[j] for j, h in enumerate(have) if j not in used and h not in want]
    return marks + [
        BoxMark(
            "Item 21 extra",
            -EXTRA_CODE_PENALTY,
            0.0,
            f"Item 21: {code} is not on the key (-{_pts(EXTRA_CODE_PENALTY)})",
            "",
            _code(code),
        )
        for code in extras
    ]


def _diagnosis_mark(i: int, want: list[str], have: list[str], s: Claim, used: set[int]) -> BoxMark:
    """Key code ``i``: found anywhere (1), a same-category stand-in (0.5), or missing (0)."""
    code = want[i]
    box = f"Item 21{POINTER_LETTERS[i]}" if i < len(POINTER_LETTERS) else f"Item 21 #{i + 1}"
    if code in have:
        used.add(have.index(code))
        return BoxMark(box, 1.0, 1.0, f"{box}: correct ({code})", code, code)
    stand_ins = [
        j for j, h in enumerate(have) if j not in used and h not in want and h[:3] == code[:3]
    ]
    if stand_ins:
        used.add(stand_ins[0])
        other = s.diagnoses[stand_ins[0]]
        return BoxMark(
            box,
            0.5,
            1.0,
            f"{box}: {code} expected; {other} is in the right category but not the code",
            code,
            have[stand_ins[0]],
        )
    return BoxMark(box, 0.0, 1.0, f"{box}: {code} is missing", code, "")


def _order_mark(want: list[str], have: list[str]) -> BoxMark:
    box = "Item 21 order"
    found = [h for h in have if h in want]
    in_order = found == [w for w in want if w in found]
    first_ok = not want or (bool(have) and have[0] == want[0])
    want_text, have_text = ", ".join(want), ", ".join(have)
    if in_order and first_ok:
        return BoxMark(box, 1.0, 1.0, f"{box}: correct sequence", want_text, have_text)
    why = (
        "the first-listed diagnosis is not the key's"
        if not first_ok
        else "codes are out of the key's order"
    )
    return BoxMark(box, 0.0, 1.0, f"{box}: {why} (key: {', '.join(want)})", want_text, have_text)


# -- items 22-23 ---------------------------------------------------------------------------------
def _resubmission_boxes(e: Claim, s: Claim) -> list[BoxMark]:
    ok22 = e.resubmission_code == s.resubmission_code and norm(e.original_reference) == norm(
        s.original_reference
    )
    return [
        _mark(
            "Item 22",
            ok22,
            "resubmission code and reference",
            f"{e.resubmission_code} {e.original_reference}".strip(),
            f"{s.resubmission_code} {s.original_reference}".strip(),
        ),
        _mark(
            "Item 23",
            norm(e.prior_authorization) == norm(s.prior_authorization),
            "prior authorization",
            e.prior_authorization,
            s.prior_authorization,
        ),
    ]


# -- item 24 ---------------------------------------------------------------------------------------
def _match_lines(e: Claim, s: Claim) -> list[int | None]:
    """For each key line, the index of the submitted line that answers it (or None).

    Lines with the key's code are matched first (same date and modifiers
    preferred); a key line left over takes the leftover line in its position,
    else one on its date, else the first leftover, so a wrong code costs 24D
    and not the whole line.
    """
    taken: set[int] = set()
    matches: list[int | None] = [None] * len(e.lines)
    for i, want in enumerate(e.lines):
        same_code = [
            j
            for j in range(len(s.lines))
            if j not in taken and _code(s.lines[j].code) == _code(want.code)
        ]
        if same_code:
            matches[i] = max(same_code, key=lambda j: _closeness(want, s.lines[j], i == j))
            taken.add(matches[i])
    for i, want in enumerate(e.lines):
        left = [j for j in range(len(s.lines)) if j not in taken]
        if matches[i] is None and left:
            matches[i] = max(
                left, key=lambda j: (j == i, s.lines[j].date_from == want.date_from, -j)
            )
            taken.add(matches[i])
    return matches


def _closeness(want: ServiceLine, got: ServiceLine, same_place: bool) -> tuple[bool, bool, bool]:
    return (want.date_from == got.date_from, set(want.modifiers) == set(got.modifiers), same_place)


def _line_boxes(e: Claim, s: Claim) -> list[BoxMark]:
    marks: list[BoxMark] = []
    matches = _match_lines(e, s)
    for n, (want, j) in enumerate(zip(e.lines, matches, strict=True), start=1):
        if j is None:
            top = sum(LINE_POINTS.values())
            marks.append(
                BoxMark(
                    f"Item 24 line {n}",
                    0.0,
                    top,
                    f"Item 24 line {n}: {want.code} on {want.date_from} is missing",
                    f"{want.code} on {want.date_from}",
                    "",
                )
            )
            continue
        marks += _line_marks(n, e, want, s, s.lines[j], j + 1)
    for j, line in enumerate(s.lines):
        if j not in matches:
            marks.append(
                BoxMark(
                    "Item 24 extra",
                    -EXTRA_LINE_PENALTY,
                    0.0,
                    f"Item 24: your line {j + 1} ({line.code}) is not on the key (-{_pts(EXTRA_LINE_PENALTY)})",
                    "",
                    f"{line.code} on {line.date_from}",
                )
            )
    return marks


def _line_marks(
    n: int, e: Claim, want: ServiceLine, s: Claim, got: ServiceLine, at: int
) -> list[BoxMark]:
    where = f"line {n}" if at == n else f"line {n} (your line {at})"

    def box(letter: str, ok: bool, what: str, expected: object, entered: object) -> BoxMark:
        label = f"Item 24{letter.split()[0]} {where}"
        return _mark(label, ok, what, expected, entered, LINE_POINTS[letter])

    mods_e, mods_s = sorted(norm(m) for m in want.modifiers), sorted(norm(m) for m in got.modifiers)
    return [
        box("A", (want.date_from, want.date_to or want.date_from) == (got.date_from, got.date_to or got.date_from),
            "dates of service", _dates(want), _dates(got)),
        box("B", _pos(e, want) == _pos(s, got), "place of service", _pos(e, want), _pos(s, got)),
        box("C", want.emergency == got.emergency, "EMG", want.emergency, got.emergency),
        box("D", _code(want.code) == _code(got.code), "procedure code", want.code, got.code),
        _modifier_mark(f"Item 24D {where} modifiers", mods_e, mods_s),
        _pointer_mark(f"Item 24E {where}", e, want, s, got),
        box("F", Decimal(want.charge) == Decimal(got.charge), "charge", want.charge, got.charge),
        box("G", Decimal(want.units) == Decimal(got.units), "units", want.units, got.units),
        box("H", _epsdt(want.epsdt) == _epsdt(got.epsdt), "EPSDT", want.epsdt, got.epsdt),
        box("J", _rendering(e, want) == _rendering(s, got), "rendering NPI", _rendering(e, want), _rendering(s, got)),
    ]  # fmt: skip


def _epsdt(value: str) -> str:
    """24H compared: "N" (no) says what a blank does. The NUCC instructions have Y or N
    typed where no EPSDT reason code is required, and a blank for a service that is not
    EPSDT or family planning; either is right.

    >>> [_epsdt(v) for v in ("", "N", "n", "Y", "AV")]
    ['', '', '', 'Y', 'AV']
    """
    said = norm(value)
    return "" if said in ("N", "NO") else said


def _dates(line: ServiceLine) -> str:
    end = line.date_to or line.date_from
    return str(line.date_from) if end == line.date_from else f"{line.date_from} to {end}"


def _pos(c: Claim, line: ServiceLine) -> str:
    return line.place_of_service or c.place_of_service


def _rendering(c: Claim, line: ServiceLine) -> str:
    if line.rendering_npi:
        return line.rendering_npi
    return c.rendering_provider.npi if c.rendering_provider else ""


def _modifier_mark(box: str, expected: list[str], entered: list[str]) -> BoxMark:
    points = LINE_POINTS["D mod"]
    want, got = ", ".join(expected), ", ".join(entered)
    if expected == entered:
        return BoxMark(box, points, points, f"{box}: correct", want, got)
    shown = ", ".join(expected) or "none"
    return BoxMark(
        box,
        0.0,
        points,
        f"{box}: modifiers {shown} expected, {', '.join(entered) or 'none'} entered",
        want,
        got,
    )


def _pointed(c: Claim, line: ServiceLine) -> list[str]:
    """The diagnosis codes a line's pointers name, in pointer order."""
    out = []
    for letter in line.pointers:
        i = POINTER_LETTERS.find(letter.upper())
        out.append(_code(c.diagnoses[i]) if 0 <= i < len(c.diagnoses) else f"?{letter}")
    return out


def _pointer_mark(box: str, e: Claim, want: ServiceLine, s: Claim, got: ServiceLine) -> BoxMark:
    points = LINE_POINTS["E"]
    expected, entered = _pointed(e, want), _pointed(s, got)
    texts = (", ".join(expected), ", ".join(entered))  # the codes pointed at, in pointer order
    if expected == entered:
        return BoxMark(box, points, points, f"{box}: correct", *texts)
    why = f"{box}: points to {', '.join(entered) or 'nothing'}; the key points to {', '.join(expected)}"
    partial = (bool(entered and expected) and entered[0] == expected[0]) or set(entered) == set(
        expected
    )
    return BoxMark(
        box,
        points / 2 if partial else 0.0,
        points,
        why + (" (primary first)" if partial else ""),
        *texts,
    )


# -- items 25-33 ----------------------------------------------------------------------------------
def _provider_boxes(e: Claim, s: Claim) -> list[BoxMark]:
    return [
        _tax_id_mark(e, s),
        _mark("Item 26", norm(e.patient_account) == norm(s.patient_account), "patient account", e.patient_account, s.patient_account),
        _mark("Item 27", e.accept_assignment == s.accept_assignment, "accept assignment", e.accept_assignment, s.accept_assignment),
        _mark("Item 28", _total(e) == _total(s), "total charge", _total(e), _total(s)),
        *_organization_marks("32", "service facility", e.service_facility or e.billing_provider, s.service_facility or s.billing_provider),
        *_organization_marks("33", "billing provider", e.billing_provider, s.billing_provider),
    ]  # fmt: skip


def _total(c: Claim) -> Decimal:
    return c.total_charge if c.total_charge is not None else c.line_total()


def _tax_id_mark(e: Claim, s: Claim) -> BoxMark:
    same_number = norm(e.tax_id) == norm(s.tax_id)
    texts = (_tax_id_text(e), _tax_id_text(s))
    if same_number and e.tax_id_type == s.tax_id_type:
        return BoxMark("Item 25", 1.0, 1.0, "Item 25: correct", *texts)
    if same_number:
        return BoxMark(
            "Item 25",
            0.5,
            1.0,
            f"Item 25: the {e.tax_id_type} box should be checked, not {s.tax_id_type}",
            *texts,
        )
    mark = _mark("Item 25", False, "federal tax ID", e.tax_id, s.tax_id)
    return replace(mark, expected=texts[0], given=texts[1])


def _tax_id_text(c: Claim) -> str:
    """'12-3456789 (EIN)': the number and the box checked."""
    return f"{c.tax_id} ({c.tax_id_type})" if c.tax_id_type else value_text(c.tax_id)


def _organization_marks(
    item: str, who: str, e: Organization | None, s: Organization | None
) -> list[BoxMark]:
    box = f"Item {item}"
    if e is None or s is None:
        name = _mark(box, e is s, who, e.name if e else "", s.name if s else "")
    elif norm(e.name) != norm(s.name):
        name = _mark(box, False, f"{who} name", e.name, s.name)
    else:
        name = _address_mark(box, f"{who} address", e.address, s.address)
    npi = _mark(
        f"{box}a",
        (e.npi if e else "") == (s.npi if s else ""),
        f"{who} NPI",
        e.npi if e else "",
        s.npi if s else "",
    )
    # the box is the name and the address, whichever of them was graded
    name = replace(name, expected=_organization_text(e), given=_organization_text(s))
    return [name, npi]


def _organization_text(o: Organization | None) -> str:
    if o is None:
        return ""
    return ", ".join(x for x in (value_text(o.name), _address_text(o.address)) if x)


# -- the marks as the class report's elements --------------------------------------------------
# (element, topic, expected, given, points, max_points): one mark of a form grader
MarkRow = tuple[str, str, str, str, float, float]


def scaled_elements(marks: Iterable[MarkRow], points: float) -> list[dict]:
    """The marks of one graded part as element rows (``element_log.element``) in the part's
    points: the maxima add up to ``points`` and the earned points to what the part earns.

    A part never scores below 0, so penalties (negative marks) count only as far as the
    part has points to lose; a penalty's own maximum is 0.

    >>> rows = scaled_elements([("A", "x", "1", "1", 1, 1), ("B", "x", "2", "", 0, 1),
    ...                         ("C", "x", "", "9", -3, 0)], 4)
    >>> [(r["element"], r["earned"], r["max"]) for r in rows]
    [('A', 2.0, 2.0), ('B', 0.0, 2.0), ('C', -2.0, 0.0)]
    >>> rows = scaled_elements([(n, "x", "", "", 1, 1) for n in "ABC"], 4)
    >>> [r["max"] for r in rows], round(sum(r["earned"] for r in rows), 4)
    ([1.3334, 1.3333, 1.3333], 4.0)
    """
    rows = list(marks)
    top = sum(r[5] for r in rows)
    if top <= 0:
        return []
    gained = sum(r[4] for r in rows if r[4] > 0)
    lost = -sum(r[4] for r in rows if r[4] < 0)
    damp = min(1.0, gained / lost) if lost else 1.0
    each = points / top
    out = [
        element(name, topic, want, got, (x if x >= 0 else x * damp) * each, most * each)
        for name, topic, want, got, x, most in rows
    ]
    # rows are kept to 4 decimals: the largest takes what rounding lost (3 x 1.3333 -> 4)
    biggest = max(out, key=lambda r: r["max"])
    rest = round(points - sum(r["max"] for r in out), 4)
    if biggest["earned"] >= biggest["max"]:
        biggest["earned"] = round(biggest["earned"] + rest, 4)
    biggest["max"] = round(biggest["max"] + rest, 4)
    return out


# -- the grade ------------------------------------------------------------------------------------
_SECTIONS: tuple[Callable[[Claim, Claim], Iterable[BoxMark]], ...] = (
    _patient_boxes,
    _referring_boxes,
    _diagnosis_boxes,
    _resubmission_boxes,
    _line_boxes,
    _provider_boxes,
)


def grade_claim(expected: Claim, submitted: Claim) -> ClaimGrade:
    """Grade ``submitted`` against the key ``expected``, box by box.

    Boxes: 1, 1a, 2, 3, 4, 5, 6, 11, 14, 17/17b, 21A-L and the order, 22, 23,
    24A-J for each line, 25, 26, 27, 28, 32/32a and 33/33a.
    """
    marks: list[BoxMark] = []
    for section in _SECTIONS:
        marks.extend(section(expected, submitted))
    return ClaimGrade(tuple(marks))
