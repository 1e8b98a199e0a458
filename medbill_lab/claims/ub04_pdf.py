"""Draw the UB-04 (CMS-1450) institutional claim as a PDF (and a PNG preview).

The form is drawn from scratch with reportlab, like the CMS-1500
(:mod:`medbill_lab.claims.cms1500_pdf`): red frames with each form locator's
number and a short label in our own words (the NUBC owns the printed form's
text), and every value typed in black, upper case, in a typewriter face.

Layout: the page is cut into bands, top to bottom, as on the printed form
(provider and bill type; patient; admission; occurrence codes; value codes;
the 22 revenue lines and the totals line; payers; insureds; authorizations;
diagnoses; procedures and physicians; remarks).  Every form locator is one
:class:`Locator` (its frame and label) and every value typed is one
:class:`Slot` keyed like ``"4"``, ``"31a.date"``, ``"42.3"`` (line 3 of FL 42),
``"67B.poa"``, ``"76.npi"``.  That one table draws the form and places the
values, and tests ask it where a value must lie.

Values: :func:`slot_values` says what each slot shows for a claim, already
formatted (dates ``MMDDYY``, birth date ``MMDDYYYY``, money ``1234.56``,
codes without their period) and cut to fit; :func:`render_pdf` only types what
it returns.  More than 22 revenue lines continue on further pages ("PAGE 1 OF
2" in FL 43 line 23), each repeating the claim's other locators; the totals
(FL 47 and 48 on line 23) are on the last page only.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from reportlab.lib.pagesizes import letter as US_LETTER
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from medbill_lab.claims.cms1500_pdf import (
    WrittenForm,
    check_output,
    page_png,
    png_paths,
    write_all,
)
from medbill_lab.claims.institutional import InstitutionalClaim, RevenueLine
from medbill_lab.claims.model import CENT, Person
from medbill_lab.claims.text import form_text

PAGE_W, PAGE_H = US_LETTER  # 612 x 792 points
COL = 7.2  # one grid column: 10 per inch, as the UB-04 is typed
LEFT = 18.0  # x of column 0 (a quarter inch margin)
COLUMNS = 80  # the form is 80 columns wide
TOP = 22.0  # from the top of the page to the top of the first band
CAP = 6.0  # the caption strip at the top of a locator
ROW = 11.0  # one typed value line
SERVICE_LINES = 22  # revenue lines per page (line 23 is the totals line)

RED = (0.82, 0.11, 0.15)  # drop-out red, as on the printed form
SHADE = (0.99, 0.88, 0.88)  # unlabeled (reserved) locators
VALUE_FONT = "Courier-Bold"
VALUE_SIZE = 10.0
CHAR_W = 0.6 * VALUE_SIZE  # Courier is monospaced: 6 points a character
PAD = 1.8  # kept free at each side of a value: neighbours never read as one word
BASELINE = 2.4  # value baseline above the bottom of its line
CAPTION_FONT = "Helvetica"
CAPTION_SIZE = 4.8


@dataclass(frozen=True)
class Area:
    """A rectangle measured from the page's top-left, in points, as pdfplumber
    reports words (``x0, top, x1, bottom``)."""

    x0: float
    top: float
    x1: float
    bottom: float

    def contains(self, x0: float, top: float, x1: float, bottom: float) -> bool:
        """Whether a rectangle given the same way (a pdfplumber word) lies inside.

        >>> Area(10, 80, 60, 92).contains(11, 81, 40, 91), Area(10, 80, 60, 92).contains(11, 81, 70, 91)
        (True, False)
        """
        eps = 0.01
        return (
            x0 >= self.x0 - eps
            and x1 <= self.x1 + eps
            and top >= self.top - eps
            and bottom <= self.bottom + eps
        )

    def inside(self, other: Area) -> bool:
        """Whether this rectangle lies inside ``other``."""
        return other.contains(self.x0, self.top, self.x1, self.bottom)


@dataclass(frozen=True)
class Locator:
    """One form locator as printed: its frame and its label (number first)."""

    number: str  # "1", "3a", "42", "67A"
    label: str  # our own words, after the number
    area: Area
    shaded: bool = False  # unlabeled locators the NUBC keeps for later use


@dataclass(frozen=True)
class Slot:
    """Where one value is typed: inside locator ``locator``, on ``lines`` lines
    from the top of ``area``; ``prefix`` is a small label typed before it."""

    locator: str
    area: Area
    align: str = "left"  # left | right | center
    lines: int = 1
    numeric: bool = False  # money and units: asterisks rather than lost digits
    prefix: str = ""

    @property
    def capacity(self) -> int:
        """How many characters fit on one line.

        >>> Slot("4", Area(0, 0, 36, 11)).capacity
        5
        """
        room = self.area.x1 - self.area.x0 - 2 * PAD - _prefix_width(self.prefix)
        return max(0, int((room + 1e-6) // CHAR_W))


def _prefix_width(prefix: str) -> float:
    return stringWidth(prefix, CAPTION_FONT, CAPTION_SIZE) + 1.5 if prefix else 0.0


def _x(col: float) -> float:
    return LEFT + col * COL


class _Layout:
    """Builds :data:`LOCATORS` and :data:`SLOTS` band by band, top to bottom."""

    def __init__(self) -> None:
        self.locators: dict[str, Locator] = {}
        self.slots: dict[str, Slot] = {}
        self.top = TOP

    def locator(
        self, number: str, label: str, c0: float, c1: float, top: float, height: float, **kw
    ) -> Area:
        area = Area(_x(c0), top, _x(c1), top + height)
        self.locators[number] = Locator(number, label, area, **kw)
        return area

    def slot(
        self, key: str, number: str, c0: float, c1: float, top: float, lines: int = 1, **kw
    ) -> None:
        area = Area(_x(c0), top, _x(c1), top + lines * ROW)
        self.slots[key] = Slot(number, area, lines=lines, **kw)

    def box(
        self, number: str, label: str, c0: float, c1: float, top: float, lines: int = 1, **kw
    ) -> None:
        """A locator holding one slot keyed by its number (caption, then ``lines`` lines)."""
        self.locator(number, label, c0, c1, top, CAP + lines * ROW)
        self.slot(number, number, c0, c1, top + CAP, lines, **kw)

    def reserved(self, number: str, c0: float, c1: float, top: float, height: float) -> None:
        self.locator(number, "", c0, c1, top, height, shaded=True)


def _provider_band(lay: _Layout) -> None:
    top = lay.top
    lay.box("1", "Billing facility: name, address, phone", 0, 26, top, 4)
    lay.box("2", "Pay-to name and address (when not FL 1)", 26, 52, top, 4)
    lay.box("3a", "Patient control no.", 52, 70, top)
    lay.box("4", "Type of bill", 70, 80, top, align="center")
    lay.box("3b", "Medical record no.", 52, 80, top + 17)
    lay.box("5", "Federal tax no.", 52, 62, top + 34)
    lay.locator("6", "Statement period: from / through", 62, 76, top + 34, 17)
    lay.slot("6.from", "6", 62, 69, top + 34 + CAP, align="center")
    lay.slot("6.through", "6", 69, 76, top + 34 + CAP, align="center")
    lay.reserved("7", 76, 80, top + 34, 17)
    lay.top = top + 51


def _patient_band(lay: _Layout) -> None:
    top = lay.top
    lay.box("8a", "Patient ID (when not FL 60)", 0, 26, top)
    lay.box("8b", "Patient name: last, first, middle initial", 0, 26, top + 17)
    lay.box("9a", "Patient address: street", 26, 80, top)
    lay.box("9b", "City", 26, 58, top + 17)
    lay.box("9c", "State", 58, 63, top + 17, align="center")
    lay.box("9d", "ZIP code", 63, 73, top + 17)
    lay.box("9e", "Country", 73, 80, top + 17)
    lay.top = top + 34


def _admission_band(lay: _Layout) -> None:
    top = lay.top
    lay.box("10", "Birth date", 0, 9, top, align="center")
    lay.box("11", "Sex", 9, 12, top, align="center")
    lay.box("12", "Admit date", 12, 19, top, align="center")
    lay.box("13", "Hour", 19, 22, top, align="center")
    lay.box("14", "Type", 22, 25, top, align="center")
    lay.box("15", "Source", 25, 28, top, align="center")
    lay.box("16", "Disch hr", 28, 31, top, align="center")
    lay.box("17", "Status", 31, 34, top, align="center")
    for n in range(18, 29):  # condition codes
        c0 = 34 + (n - 18) * 3
        lay.box(str(n), "Condition" if n == 18 else "", c0, c0 + 3, top, align="center")
    lay.box("29", "Accident state", 67, 72, top, align="center")
    lay.reserved("30", 72, 80, top, 17)
    lay.top = top + 17


def _occurrence_band(lay: _Layout) -> None:
    top = lay.top
    for i, n in enumerate(("31", "32", "33", "34")):
        c0 = i * 10
        lay.locator(n, "Occurrence: code / date", c0, c0 + 10, top, CAP + 2 * ROW)
        for row, letter in enumerate("ab"):
            y = top + CAP + row * ROW
            lay.slot(f"{n}{letter}.code", n, c0, c0 + 3, y, prefix=letter, align="center")
            lay.slot(f"{n}{letter}.date", n, c0 + 3, c0 + 10, y, align="center")
    for i, n in enumerate(("35", "36")):
        c0 = 40 + i * 17
        lay.locator(n, "Occurrence span: code / from / through", c0, c0 + 17, top, 28)
        for row, letter in enumerate("ab"):
            y = top + CAP + row * ROW
            lay.slot(f"{n}{letter}.code", n, c0, c0 + 3, y, prefix=letter, align="center")
            lay.slot(f"{n}{letter}.from", n, c0 + 3, c0 + 10, y, align="center")
            lay.slot(f"{n}{letter}.through", n, c0 + 10, c0 + 17, y, align="center")
    lay.reserved("37", 74, 80, top, 28)
    lay.top = top + 28


def _value_band(lay: _Layout) -> None:
    top = lay.top
    lay.box("38", "Responsible party: name and address", 0, 41, top, 4)
    for i, n in enumerate(("39", "40", "41")):
        c0 = 41 + i * 13
        lay.locator(n, "Value: code / amount", c0, c0 + 13, top, CAP + 4 * ROW)
        for row, letter in enumerate("abcd"):
            y = top + CAP + row * ROW
            lay.slot(f"{n}{letter}.code", n, c0, c0 + 3.6, y, prefix=letter, align="center")
            lay.slot(f"{n}{letter}.amount", n, c0 + 3.6, c0 + 13, y, align="right", numeric=True)
    lay.top = top + CAP + 4 * ROW


#: FL 42-49 across the revenue lines: (number, label, first column, last column, align)
SERVICE_COLUMNS = (
    ("42", "Rev. code", 0, 5, "left"),
    ("43", "Description", 5, 28, "left"),
    ("44", "HCPCS / rate / HIPPS code", 28, 42, "left"),
    ("45", "Service date", 42, 49, "center"),
    ("46", "Units", 49, 56, "right"),
    ("47", "Total charges", 56, 67, "right"),
    ("48", "Non-covered charges", 67, 78, "right"),
    ("49", "", 78, 80, "left"),
)


def _service_band(lay: _Layout) -> None:
    top = lay.top
    header = 2 * CAP
    height = header + (SERVICE_LINES + 1) * ROW
    for number, label, c0, c1, align in SERVICE_COLUMNS:
        lay.locator(number, label, c0, c1, top, height, shaded=number == "49")
        if number == "49":
            continue
        numeric = number in ("46", "47", "48")
        for line in range(1, SERVICE_LINES + 2):
            y = top + header + (line - 1) * ROW
            lay.slot(f"{number}.{line}", number, c0, c1, y, align=align, numeric=numeric)
    lay.top = top + height


def _rows(
    lay: _Layout, columns: tuple[tuple[str, str, float, float, str], ...], numeric: tuple = ()
) -> None:
    """A band of locators each holding rows A, B and C (payer, insured, authorization)."""
    top = lay.top
    for number, label, c0, c1, align in columns:
        lay.locator(number, label, c0, c1, top, CAP + 3 * ROW)
        for row, letter in enumerate("ABC"):
            y = top + CAP + row * ROW
            prefix = letter if number in ("50", "58", "63") else ""
            lay.slot(
                f"{number}{letter}",
                number,
                c0,
                c1,
                y,
                align=align,
                prefix=prefix,
                numeric=number in numeric,
            )
    lay.top = top + CAP + 3 * ROW


def _payer_band(lay: _Layout) -> None:
    top = lay.top
    _rows(
        lay,
        (
            ("50", "Payer name", 0, 23, "left"),
            ("51", "Health plan ID", 23, 37, "left"),
            ("52", "Rel. info", 37, 40, "center"),
            ("53", "Asg. ben.", 40, 43, "center"),
            ("54", "Prior payments", 43, 53, "right"),
            ("55", "Est. amount due", 53, 63, "right"),
        ),
        numeric=("54", "55"),
    )
    lay.box("56", "Billing provider NPI", 63, 80, top)
    lay.locator("57", "Other provider ID", 63, 80, top + 17, lay.top - top - 17)
    lay.slot("57", "57", 63, 80, top + 17 + CAP)


def _insured_band(lay: _Layout) -> None:
    _rows(
        lay,
        (
            ("58", "Insured's name", 0, 25, "left"),
            ("59", "P. rel", 25, 28, "center"),
            ("60", "Insured's unique ID", 28, 48, "left"),
            ("61", "Group name", 48, 63, "left"),
            ("62", "Insurance group no.", 63, 80, "left"),
        ),
    )


def _authorization_band(lay: _Layout) -> None:
    _rows(
        lay,
        (
            ("63", "Treatment authorization codes", 0, 28, "left"),
            ("64", "Document control no.", 28, 54, "left"),
            ("65", "Employer name", 54, 80, "left"),
        ),
    )


OTHER_DIAGNOSES = "ABCDEFGHIJKLMNOPQ"  # FL 67A-Q


def _diagnosis_cell(lay: _Layout, key: str, label: str, c0: float, top: float) -> None:
    """A diagnosis and its present-on-admission indicator: code, then the POA cell."""
    lay.locator(key, label, c0, c0 + 8, top, CAP + ROW)
    lay.slot(key, key, c0, c0 + 6.6, top + CAP)
    lay.slot(f"{key}.poa", key, c0 + 6.6, c0 + 8, top + CAP, align="center")


def _diagnosis_band(lay: _Layout) -> None:
    top = lay.top
    lay.box("66", "DX", 0, 2, top, align="center")
    _diagnosis_cell(lay, "67", "Principal diagnosis / POA", 2, top)
    for i, letter in enumerate(OTHER_DIAGNOSES):
        row, place = (0, i + 1) if i < 8 else (1, i - 8)
        _diagnosis_cell(lay, f"67{letter}", letter, 2 + place * 8, top + row * 17)
    lay.reserved("68", 74, 80, top, 34)
    lay.top = top + 34
    top = lay.top
    lay.box("69", "Admit DX", 0, 8, top)
    lay.locator("70", "Patient reason DX", 8, 32, top, 17)
    for i, letter in enumerate("abc"):
        c0 = 8 + i * 8
        lay.slot(f"70{letter}", "70", c0, c0 + 8, top + CAP, prefix=letter)
    lay.box("71", "PPS code", 32, 37, top, align="center")
    lay.locator("72", "External cause / POA", 37, 64, top, 17)
    for i, letter in enumerate("abc"):
        c0 = 37 + i * 9
        lay.slot(f"72{letter}", "72", c0, c0 + 7.6, top + CAP, prefix=letter)
        lay.slot(f"72{letter}.poa", "72", c0 + 7.6, c0 + 9, top + CAP, align="center")
    lay.reserved("73", 64, 80, top, 17)
    lay.top = top + 17


def _physician(lay: _Layout, number: str, label: str, top: float) -> None:
    lay.locator(number, label, 48, 80, top, CAP + 2 * ROW)
    lay.slot(f"{number}.npi", number, 48, 65, top + CAP, prefix="NPI")
    lay.slot(f"{number}.qual", number, 65, 70, top + CAP, prefix="QUAL")
    lay.slot(f"{number}.id", number, 70, 80, top + CAP)
    lay.slot(f"{number}.last", number, 48, 66, top + CAP + ROW, prefix="LAST")
    lay.slot(f"{number}.first", number, 66, 80, top + CAP + ROW, prefix="FIRST")


def _procedure_band(lay: _Layout) -> None:
    top = lay.top
    cells = (("74", "Principal procedure: code / date"), *((f"74{x}", x) for x in "abcde"))
    for i, (key, label) in enumerate(cells):
        c0, y = (i % 3) * 15, top + (i // 3) * 17
        lay.locator(key, label, c0, c0 + 15, y, 17)
        lay.slot(f"{key}.code", key, c0, c0 + 8, y + CAP)
        lay.slot(f"{key}.date", key, c0 + 8, c0 + 15, y + CAP, align="center")
    lay.reserved("75", 45, 48, top, 34)
    physicians = (
        ("76", "Attending physician"),
        ("77", "Operating physician"),
        ("78", "Other physician"),
        ("79", "Other physician"),
    )
    for i, (number, label) in enumerate(physicians):
        _physician(lay, number, label, top + i * (CAP + 2 * ROW))
    bottom = top + 4 * (CAP + 2 * ROW)
    lay.locator("80", "Remarks", 0, 24, top + 34, bottom - top - 34)
    lay.slot("80", "80", 0, 24, top + 34 + CAP, lines=4)
    lay.locator("81", "Code-code: qualifier / code / value", 24, 48, top + 34, bottom - top - 34)
    for row, letter in enumerate("abcd"):
        y = top + 34 + CAP + row * ROW
        lay.slot(f"81{letter}.qual", "81", 24, 29, y, prefix=letter)
        lay.slot(f"81{letter}.code", "81", 29, 38, y)
        lay.slot(f"81{letter}.value", "81", 38, 48, y)
    lay.top = bottom


def _layout() -> _Layout:
    lay = _Layout()
    for band in (
        _provider_band,
        _patient_band,
        _admission_band,
        _occurrence_band,
        _value_band,
        _service_band,
        _payer_band,
        _insured_band,
        _authorization_band,
        _diagnosis_band,
        _procedure_band,
    ):
        band(lay)
    return lay


_LAYOUT = _layout()
#: Every form locator's frame and label, keyed by its number ("1" ... "81", "3a", "67A").
LOCATORS: dict[str, Locator] = _LAYOUT.locators
#: Every place a value is typed, keyed as :func:`slot_values` returns them.
SLOTS: dict[str, Slot] = _LAYOUT.slots
FORM_BOTTOM = _LAYOUT.top


def form_locator(key: str) -> str:
    """The form locator number a slot key belongs to.

    >>> form_locator("31a.date"), form_locator("42.3"), form_locator("67B.poa")
    ('31', '42', '67B')
    """
    return SLOTS[key].locator


# -- fitting values ----------------------------------------------------------------------
def fit(key: str, text: str) -> str:
    """Format ``text`` the way slot ``key`` shows it: upper case, plain ASCII, cut to
    the slot (a number too long for its slot shows asterisks, never fewer digits).

    >>> fit("4", "0111"), fit("9c", "Illinois"), fit("47.1", "123456789012.00")
    ('0111', 'ILLIN', '************')
    """
    slot = SLOTS[key]
    if slot.lines > 1:
        rows = [r for r in (form_text(r) for r in str(text).splitlines()) if r]
        return "\n".join(r[: slot.capacity] for r in rows[: slot.lines])
    cleaned = form_text(text)
    if slot.numeric and len(cleaned) > slot.capacity:
        return "*" * slot.capacity
    return cleaned[: slot.capacity]


# -- drawing -----------------------------------------------------------------------------
def _pdf_y(top_down: float) -> float:
    return PAGE_H - top_down


def _caption(c: Canvas, text: str, x: float, y: float, width: float, size: float) -> None:
    """Small red text shrunk (then cut) to ``width``."""
    needed = stringWidth(text, CAPTION_FONT, size)
    if needed > width:
        size = max(3.0, size * width / needed)
    while text and stringWidth(text, CAPTION_FONT, size) > width:
        text = text[:-1]
    c.setFont(CAPTION_FONT, size)
    c.setFillColorRGB(*RED)
    c.drawString(x, y, text)


def _draw_locator(c: Canvas, loc: Locator) -> None:
    a = loc.area
    c.setStrokeColorRGB(*RED)
    c.setLineWidth(0.6)
    if loc.shaded:
        c.setFillColorRGB(*SHADE)
        c.rect(a.x0, _pdf_y(a.bottom), a.x1 - a.x0, a.bottom - a.top, stroke=1, fill=1)
    else:
        c.rect(a.x0, _pdf_y(a.bottom), a.x1 - a.x0, a.bottom - a.top, stroke=1, fill=0)
    label = f"{loc.number} {loc.label}".strip()
    _caption(
        c, label, a.x0 + 1.2, _pdf_y(a.top) - CAPTION_SIZE + 0.4, a.x1 - a.x0 - 2, CAPTION_SIZE
    )


def _draw_slot(c: Canvas, slot: Slot) -> None:
    """A slot's own ink: its prefix label and a dotted line between it and the next."""
    a = slot.area
    if slot.prefix:
        y = _pdf_y(a.bottom) + BASELINE + 0.6
        _caption(c, slot.prefix, a.x0 + PAD, y, _prefix_width(slot.prefix), CAPTION_SIZE)
    loc = LOCATORS[slot.locator].area
    if a.x1 < loc.x1 - 0.5:  # a divider inside the locator (code | date, code | POA)
        c.setStrokeColorRGB(*RED)
        c.setLineWidth(0.4)
        c.setDash(1, 1.2)
        c.line(a.x1, _pdf_y(a.bottom) + 1, a.x1, _pdf_y(a.top) - 1)
        c.setDash()


def _draw_service_rules(c: Canvas) -> None:
    """Thin rules between the revenue lines, and the line numbers in the margin."""
    left, right = LOCATORS["42"].area.x0, LOCATORS["49"].area.x1
    c.setStrokeColorRGB(*RED)
    for line in range(1, SERVICE_LINES + 2):
        top = SLOTS[f"42.{line}"].area.top
        c.setLineWidth(0.6 if line in (1, SERVICE_LINES + 1) else 0.25)
        c.line(left, _pdf_y(top), right, _pdf_y(top))
        c.setFont(CAPTION_FONT, 5)
        c.setFillColorRGB(*RED)
        c.drawRightString(left - 1.5, _pdf_y(top + ROW) + 3, str(line))


def _draw_footer(c: Canvas) -> None:
    y = _pdf_y(FORM_BOTTOM) - 10
    c.setFillColorRGB(*RED)
    c.setFont("Helvetica-Bold", 8)
    c.drawString(LEFT, y, "UB-04 (CMS-1450)")
    c.setFont(CAPTION_FONT, 6)
    c.drawRightString(
        _x(COLUMNS), y, "Institutional claim, drawn by MedBill Lab for training: synthetic data"
    )


def draw_form(c: Canvas) -> None:
    """Everything in red: the blank UB-04 (frames, labels, rules)."""
    for loc in LOCATORS.values():
        _draw_locator(c, loc)
    for slot in SLOTS.values():
        _draw_slot(c, slot)
    _draw_service_rules(c)
    _draw_footer(c)


def draw_value(c: Canvas, slot: Slot, text: str) -> None:
    """Type ``text`` (as :func:`fit` gives it) in black inside ``slot``."""
    c.setFont(VALUE_FONT, VALUE_SIZE)
    c.setFillColorRGB(0, 0, 0)
    a = slot.area
    start = a.x0 + PAD + _prefix_width(slot.prefix)
    for row, line in enumerate(text.split("\n")[: slot.lines]):
        width = len(line) * CHAR_W
        if slot.align == "right":
            x = a.x1 - PAD - width
        elif slot.align == "center":
            x = start + (a.x1 - PAD - start - width) / 2
        else:
            x = start
        c.drawString(x, _pdf_y(a.top + (row + 1) * ROW) + BASELINE, line)


# -- what each slot shows ------------------------------------------------------------------
def _mdy(day: dt.date | None) -> str:
    return day.strftime("%m%d%y") if day else ""


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{Decimal(value).quantize(CENT, ROUND_HALF_UP):f}"


def _units(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def _name(person: Person) -> str:
    middle = f" {person.middle[:1]}" if person.middle else ""
    return f"{person.last}, {person.first}{middle}".strip(", ")


def _code(code: str) -> str:
    return code.replace(".", "")


def page_count(claim: InstitutionalClaim) -> int:
    """Pages the claim fills: 22 revenue lines a page (at least one page).

    >>> from types import SimpleNamespace
    >>> page_count(SimpleNamespace(lines=[0] * 22)), page_count(SimpleNamespace(lines=[0] * 23))
    (1, 2)
    """
    return max(1, -(-len(claim.lines) // SERVICE_LINES))


def _header_values(claim: InstitutionalClaim) -> dict[str, str]:
    facility = claim.billing_provider
    a = facility.address
    values = {
        "1": "\n".join([facility.name, a.street, f"{a.city}, {a.state} {a.zip}", a.phone]),
        "3a": claim.patient_control_number,
        "3b": claim.medical_record_number,
        "4": claim.type_of_bill,
        "5": facility.tax_id,
        "6.from": _mdy(claim.statement_from),
        "6.through": _mdy(claim.statement_through),
        "56": facility.npi,
    }
    if facility.taxonomy:  # FL 81: code-code, qualifier B3 = the billing provider's taxonomy
        values |= {"81a.qual": "B3", "81a.code": facility.taxonomy}
    return values


def _patient_values(claim: InstitutionalClaim) -> dict[str, str]:
    patient = claim.patient
    values = {
        "8b": _name(patient),
        "10": patient.dob.strftime("%m%d%Y") if patient.dob else "",
        "11": patient.sex,
        "12": _mdy(claim.admission_date),
        "13": claim.admission_hour,
        "14": claim.admission_type,
        "15": claim.admission_source,
        "16": claim.discharge_hour,
        "17": claim.discharge_status,
        "29": claim.accident_state,
    }
    if patient.address is not None:
        a = patient.address
        values |= {"9a": a.street, "9b": a.city, "9c": a.state, "9d": a.zip}
    for n, code in zip(range(18, 29), claim.condition_codes, strict=False):
        values[str(n)] = code
    return values


#: FL 31-34, 35-36 and 39-41 fill across a row first (a, then b ...), left to right
OCCURRENCE_SLOTS = [f"{n}{row}" for row in "ab" for n in ("31", "32", "33", "34")]
SPAN_SLOTS = [f"{n}{row}" for row in "ab" for n in ("35", "36")]
VALUE_SLOTS = [f"{n}{row}" for row in "abcd" for n in ("39", "40", "41")]


def _code_values(claim: InstitutionalClaim) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, occurrence in zip(OCCURRENCE_SLOTS, claim.occurrences, strict=False):
        values |= {f"{key}.code": occurrence.code, f"{key}.date": _mdy(occurrence.date)}
    for key, span in zip(SPAN_SLOTS, claim.occurrence_spans, strict=False):
        values |= {
            f"{key}.code": span.code,
            f"{key}.from": _mdy(span.date_from),
            f"{key}.through": _mdy(span.date_through),
        }
    for key, value in zip(VALUE_SLOTS, claim.value_codes, strict=False):
        values |= {f"{key}.code": value.code, f"{key}.amount": _money(value.amount)}
    return values


def _line_values(n: int, line: RevenueLine) -> dict[str, str]:
    return {
        f"42.{n}": line.revenue_code,
        f"43.{n}": line.description,
        f"44.{n}": " ".join([line.hcpcs, *line.modifiers]).strip(),
        f"45.{n}": _mdy(line.service_date),
        f"46.{n}": _units(line.units),
        f"47.{n}": _money(line.total_charge),
        f"48.{n}": _money(line.non_covered) if line.non_covered else "",
    }


def _totals(claim: InstitutionalClaim, page: int, pages: int) -> dict[str, str]:
    """Line 23: revenue code 0001, the page, the creation date and (last page) the totals."""
    values = {
        "42.23": "0001",
        "43.23": f"PAGE {page} OF {pages}",
        "45.23": _mdy(claim.submitted_on),
    }
    if page == pages:
        total = claim.line_total() if claim.total_charge is None else claim.total_charge
        uncovered = (
            claim.non_covered_total()
            if claim.total_non_covered is None
            else claim.total_non_covered
        )
        values |= {"47.23": _money(total), "48.23": _money(uncovered) if uncovered else ""}
    return values


def _payer_values(claim: InstitutionalClaim) -> dict[str, str]:
    values: dict[str, str] = {}
    for letter, coverage in zip("ABC", claim.payers, strict=False):
        insured = coverage.insured or claim.patient
        due = coverage.estimated_amount_due
        values |= {
            f"50{letter}": coverage.payer_name,
            f"51{letter}": coverage.payer_id,
            f"52{letter}": coverage.release_of_information,
            f"53{letter}": "Y" if coverage.assignment_of_benefits else "N",
            f"54{letter}": _money(coverage.prior_payments) if coverage.prior_payments else "",
            f"55{letter}": _money(due) if due is not None else "",
            f"58{letter}": _name(insured),
            f"59{letter}": coverage.relationship,
            f"60{letter}": coverage.insured_id,
            f"61{letter}": coverage.group_name,
            f"62{letter}": coverage.group_number,
            f"63{letter}": coverage.authorization,
            f"64{letter}": coverage.document_control_number,
            f"65{letter}": coverage.employer_name,
        }
    return values


def _diagnosis_values(claim: InstitutionalClaim) -> dict[str, str]:
    principal = claim.principal_diagnosis
    values = {
        "66": claim.icd_indicator,
        "67": _code(principal.code),
        "67.poa": principal.poa,
        "69": _code(claim.admitting_diagnosis),
    }
    for letter, dx in zip(OTHER_DIAGNOSES, claim.other_diagnoses, strict=False):
        values |= {f"67{letter}": _code(dx.code), f"67{letter}.poa": dx.poa}
    for letter, code in zip("abc", claim.reason_for_visit, strict=False):
        values[f"70{letter}"] = _code(code)
    for letter, dx in zip("abc", claim.external_cause_diagnoses, strict=False):
        values |= {f"72{letter}": _code(dx.code), f"72{letter}.poa": dx.poa}
    return values


def _procedure_values(claim: InstitutionalClaim) -> dict[str, str]:
    values: dict[str, str] = {}
    keys = ("74", "74a", "74b", "74c", "74d", "74e")
    for key, px in zip(keys, claim.procedures(), strict=False):
        values |= {f"{key}.code": px.code, f"{key}.date": _mdy(px.date)}
    doctors = [("76", claim.attending), ("77", claim.operating)]
    doctors += list(zip(("78", "79"), claim.other_physicians, strict=False))
    for number, doctor in doctors:
        if doctor is not None:
            values |= {
                f"{number}.npi": doctor.npi,
                f"{number}.last": doctor.last,
                f"{number}.first": doctor.first,
            }
    if claim.remarks:
        values["80"] = _wrapped(claim.remarks, SLOTS["80"].capacity)
    return values


def _wrapped(text: str, width: int) -> str:
    """Free text broken into lines of at most ``width`` characters, on spaces."""
    lines: list[str] = []
    for word in form_text(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word[:width])
    return "\n".join(lines)


def slot_values(claim: InstitutionalClaim, page: int = 1) -> dict[str, str]:
    """The text each slot of the form shows for ``claim`` on ``page`` (1-based), keyed like
    :data:`SLOTS`; empty slots are left out.  Every page repeats the claim's locators with
    its own 22 revenue lines.  The paper holds fewer codes than the 837I: 17 other
    diagnoses (FL 67A-Q), 3 external causes (FL 72a-c), 5 other procedures (FL 74a-e);
    more are not shown.

    This is the one source of truth: :func:`render_pdf` types exactly these.
    """
    pages = page_count(claim)
    if not 1 <= page <= pages:
        raise ValueError(f"page {page} is out of range (the claim has {pages})")
    raw = _header_values(claim) | _patient_values(claim) | _code_values(claim)
    raw |= _payer_values(claim) | _diagnosis_values(claim) | _procedure_values(claim)
    first = (page - 1) * SERVICE_LINES
    for n, line in enumerate(claim.lines[first : first + SERVICE_LINES], start=1):
        raw |= _line_values(n, line)
    raw |= _totals(claim, page, pages)
    values = {}
    for key, text in raw.items():
        shown = fit(key, text or "")
        if shown:
            values[key] = shown
    return values


def render_pdf(claim: InstitutionalClaim) -> bytes:
    """The claim typed onto the UB-04 as a US-letter PDF, one page per 22 revenue lines."""
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=US_LETTER, invariant=True, pageCompression=1)
    c.setTitle(f"UB-04 claim {claim.patient_control_number}".strip())
    c.setAuthor("MedBill Lab")
    for page in range(1, page_count(claim) + 1):
        draw_form(c)
        for key, text in slot_values(claim, page).items():
            draw_value(c, SLOTS[key], text)
        c.showPage()
    c.save()
    return buffer.getvalue()


def render_png(
    claim: InstitutionalClaim, dpi: int = 100, page: int = 1, pdf: bytes | None = None
) -> bytes:
    """A PNG preview of one page of the filled form (8.5 x 11 inches at ``dpi``); ``pdf``
    is the claim's :func:`render_pdf` when the caller already has it (not drawn again)."""
    return page_png(lambda: pdf or render_pdf(claim), page_count(claim), dpi, page)


# -- files ---------------------------------------------------------------------------------
def write_file(file: str | Path, output: str | Path, png: bool = False) -> WrittenForm:
    """``medbill-lab claim pdf FILE -o OUT.pdf [--png]`` for a UB-04 claim file: write the
    filled form (and a PNG of each page with ``png``).  Nothing is written on any error;
    a bad claim raises :class:`medbill_lab.claims.model.ClaimError`."""
    from medbill_lab.claims import institutional

    output = check_output(Path(output), png)
    claim = institutional.load(file)
    pages = page_count(claim)
    files = {output: render_pdf(claim)}
    if png:
        files |= {
            path: render_png(claim, page=page, pdf=files[output])
            for page, path in png_paths(output, pages)
        }
    write_all(files)
    return WrittenForm(tuple(files), pages, len(claim.lines))
