"""Fill the CMS-1500 (02/12) claim form as a PDF (and a PNG preview).

The form is drawn from scratch with reportlab: red-ink grid and captions, and
every value typed in black, upper case, in a 10-characters-per-inch typewriter
face, the way a practice management system prints onto the pre-printed red form.

Layout: the form sits on the classic print grid of 10 columns and 6 lines per
inch that printers and typewriters fill it on.  Every box is one entry of :data:`BOXES`, keyed by
its item ("2", "21A", "24D.1", "28"; sub-parts after a dot, checkboxes after a
colon: "5.city", "3:M", "10a:yes").  That one table draws the grid and places
the values, and tests and apps ask it where a box is.

Values: :func:`box_values` says what text each box shows, already formatted and
cut to fit (dates ``MM DD YY``, birth dates ``MM DD YYYY``, money ``dollars
cents``, diagnosis codes without the period, ``X`` in checkboxes).
:func:`render_pdf` only draws what it returns.

More than 6 service lines: the form holds 6, so the claim continues on further
pages ("PAGE 1 OF 2" at the top), each repeating items 1-23 and 25-33 with the
next 6 lines; item 28 reads "CONTINUED" on every page but the last, which
carries the claim total (and item 29).  Medicare wants separate claims
instead; some payers cap the pages (see :func:`page_count`).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from reportlab.lib.pagesizes import letter as US_LETTER
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from medbill_lab.claims.items import item_of
from medbill_lab.claims.model import (
    MAX_DIAGNOSES,
    MAX_MODIFIERS,
    MAX_PAPER_LINES,
    MAX_POINTERS,
    POINTER_LETTERS,
    PROGRAMS,
    RELATIONSHIPS,
    Address,
    Claim,
    Organization,
    Person,
    ServiceLine,
)
from medbill_lab.claims.text import form_text

PAGE_W, PAGE_H = US_LETTER  # 612 x 792 points
COL = 7.2  # one typing column: 10 characters per inch
LINE = 12.0  # one typing line: 6 lines per inch
LEFT = 21.6  # x of column 1 (0.3 inch margin)
TOP = 24.0  # from the top of the page to the top of line 1

RED = (0.82, 0.11, 0.15)  # the form's drop-out red
SHADE = (0.99, 0.87, 0.87)  # the tint of shaded areas (24 supplemental rows, 17a, 32b, 33b)
VALUE_FONT = "Courier-Bold"  # typewriter face
VALUE_SIZE = 11.0
CHAR_W = 0.6 * VALUE_SIZE  # Courier is monospaced: 6.6 points a character
BASELINE = 2.3  # value baseline above the bottom of its typing line
PAD = 0.8  # space kept free at each side of a value
RIGHT_GAP = 1.6  # and more before the right edge of a box (cells excepted)
CAPTION_FONT = "Helvetica"
CAPTION_BOLD = "Helvetica-Bold"
CAPTION_SIZE = 5.7
CAPTION_LEAD = 5.8
CELL_CAPTION_SIZE = 4.6  # the MM DD YY over date cells


@dataclass(frozen=True)
class Box:
    """One box of the form, in PDF points (origin at the page's bottom-left).

    ``caption`` names the box (what the form says about it); ``printed`` is
    the caption text drawn when it differs (item 1 prints its program names
    over the checkboxes).  The rest says how to draw it and where its value
    goes: ``frame`` box|none|under|left, ``side`` of the caption
    top|above|left|right|left-in|none, ``prefix`` a small label at the start of the value
    line, ``indent`` where the value starts, ``cells`` the widths of sub-cells
    a value is split into on spaces (dates, dollars and cents, code and
    modifiers), ``align`` left|center|right|money (dollars right, cents
    centred), ``lines`` how many value lines, ``line`` the typing line of
    the last value line (negative counts from the bottom), ``chars`` a cap
    on the characters typed (0: as many as fit), ``numeric`` for numbers,
    which show asterisks rather than lose digits when too long.
    """

    x: float
    y: float
    w: float
    h: float
    caption: str = ""
    printed: str | None = None
    frame: str = "box"
    shaded: bool = False
    check: bool = False
    side: str = "top"
    prefix: str = ""
    indent: float = 0.0
    cells: tuple[float, ...] = ()
    cell_captions: tuple[str, ...] = ()
    divider: str = "dotted"
    align: str = "left"
    lines: int = 1
    line: int = -1
    chars: int = 0
    numeric: bool = False

    def top_down(self) -> tuple[float, float, float, float]:
        """``(x0, top, x1, bottom)`` measured from the page's top-left, as
        pdfplumber reports words and as image pixels run (times dpi / 72).

        >>> Box(10, 700, 50, 12).top_down()
        (10, 80.0, 60, 92.0)
        """
        return (self.x, PAGE_H - self.y - self.h, self.x + self.w, PAGE_H - self.y)

    def contains(self, x0: float, top: float, x1: float, bottom: float) -> bool:
        """Whether a rectangle given top-down (a pdfplumber word) lies inside.

        >>> Box(10, 700, 50, 12).contains(11, 81, 40, 91)
        True
        >>> Box(10, 700, 50, 12).contains(11, 81, 70, 91)
        False
        """
        bx0, btop, bx1, bbottom = self.top_down()
        eps = 0.01
        return x0 >= bx0 - eps and x1 <= bx1 + eps and top >= btop - eps and bottom <= bbottom + eps

    @property
    def capacity(self) -> int:
        """How many characters fit on one value line (cells aside).

        >>> Box(0, 0, 72, 12).capacity
        10
        """
        gap = RIGHT_GAP if self.align == "left" else 0.0  # centred text keeps its own margins
        fit = _fits(self.w - self.indent - gap)
        return min(fit, self.chars) if self.chars else fit


def _x(col: float) -> float:
    return LEFT + (col - 1) * COL


def _top(line: float) -> float:
    return PAGE_H - TOP - (line - 1) * LINE


def _fits(width: float) -> int:
    return max(0, int((width - 2 * PAD + 1e-6) // CHAR_W))


def _grid(col: float, row: float, cols: float, rows: int = 2, caption: str = "", **kw) -> Box:
    """A box on the typing grid, from column ``col`` and typing line ``row``
    (both counted from 1), ``cols`` wide and ``rows`` lines high."""
    if "indent" in kw:
        kw["indent"] = kw["indent"] * COL
    if "cells" in kw:
        kw["cells"] = tuple(c * COL for c in kw["cells"])
    return Box(_x(col), _top(row) - rows * LINE, cols * COL, rows * LINE, caption, **kw)


def _check(col: float, row: float, caption: str, side: str = "right") -> Box:
    return _grid(col, row, 1, 1, caption, check=True, side=side, frame="none")


def _field(col: float, row: float, cols: float, prefix: str = "", caption: str = "", **kw) -> Box:
    """A one-line value area inside a bigger box: no caption printed of its own."""
    kw.setdefault("printed", "")
    kw.setdefault("frame", "none")
    return _grid(col, row, cols, 1, caption, prefix=prefix, **kw)


DATE6 = (3, 3, 3)  # MM DD YY
DATE8 = (3, 3, 4)  # MM DD YYYY
MDY = ("MM", "DD", "YY")
PHONE = (5, 9)  # (area code) number


def _header_boxes() -> dict[str, Box]:
    return {
        "carrier": _grid(41, 2, 39, 4, "CARRIER", printed="", frame="none", lines=4),
        "page": _field(58, 1, 22, caption="PAGE n OF m (continued claims)", align="right"),
    }


def _item1_boxes() -> dict[str, Box]:
    boxes = {
        "1": _grid(
            1,
            7,
            49,
            2,
            "1. MEDICARE MEDICAID TRICARE CHAMPVA GROUP HEALTH PLAN FECA BLK LUNG OTHER",
            printed="1.",
        ),
        "1a": _grid(50, 7, 30, 2, "1a. INSURED'S I.D. NUMBER"),
    }
    names = ("MEDICARE", "MEDICAID", "TRICARE", "CHAMPVA", "GROUP\nHEALTH PLAN", "FECA\nBLK LUNG")
    for program, col, name in zip(
        PROGRAMS, (2, 9, 16, 24, 31, 39, 45), (*names, "OTHER"), strict=True
    ):
        boxes[f"1:{program}"] = _check(col, 8, name, side="above")
    return boxes


def _patient_boxes() -> dict[str, Box]:
    return {
        "2": _grid(1, 9, 29, 2, "2. PATIENT'S NAME (Last Name, First Name, Middle Initial)"),
        "3": _grid(
            30,
            9,
            20,
            2,
            "3. PATIENT'S BIRTH DATE",
            indent=1,
            cells=DATE8,
            cell_captions=MDY,
            align="center",
        ),
        "3:M": _check(43, 10, "M", side="left"),
        "3:F": _check(48, 10, "F", side="left"),
        "4": _grid(50, 9, 30, 2, "4. INSURED'S NAME (Last Name, First Name, Middle Initial)"),
        "5": _grid(1, 11, 29, 2, "5. PATIENT'S ADDRESS (No., Street)"),
        "6": _grid(30, 11, 20, 2, "6. PATIENT RELATIONSHIP TO INSURED"),
        "6:self": _check(33, 12, "Self", side="left"),
        "6:spouse": _check(38, 12, "Spouse", side="left"),
        "6:child": _check(42, 12, "Child", side="left"),
        "6:other": _check(47, 12, "Other", side="left"),
        "7": _grid(50, 11, 30, 2, "7. INSURED'S ADDRESS (No., Street)"),
        "5.city": _grid(1, 13, 25, 2, "CITY"),
        "5.state": _grid(26, 13, 4, 2, "STATE"),
        "8": _grid(30, 13, 20, 4, "8. RESERVED FOR NUCC USE"),
        "7.city": _grid(50, 13, 24, 2, "CITY"),
        "7.state": _grid(74, 13, 6, 2, "STATE"),
        "5.zip": _grid(1, 15, 12, 2, "ZIP CODE"),
        "5.phone": _grid(
            13,
            15,
            17,
            2,
            "TELEPHONE (Include Area Code)",
            cells=PHONE,
            divider="paren",
            align="center",
        ),
        "7.zip": _grid(50, 15, 13, 2, "ZIP CODE"),
        "7.phone": _grid(
            63,
            15,
            17,
            2,
            "TELEPHONE (Include Area Code)",
            cells=PHONE,
            divider="paren",
            align="center",
        ),
    }


def _yes_no(item: str, yes_col: float, line: float) -> dict[str, Box]:
    return {
        f"{item}:yes": _check(yes_col, line, "YES"),
        f"{item}:no": _check(yes_col + 6 if yes_col < 50 else yes_col + 5, line, "NO"),
    }


def _insurance_boxes() -> dict[str, Box]:
    boxes = {
        "9": _grid(1, 17, 29, 2, "9. OTHER INSURED'S NAME (Last name, First Name, Middle Initial)"),
        "10": _grid(30, 17, 20, 2, "10. IS PATIENT'S CONDITION RELATED TO:"),
        "11": _grid(50, 17, 30, 2, "11. INSURED'S POLICY GROUP OR FECA NUMBER"),
        "9a": _grid(1, 19, 29, 2, "a. OTHER INSURED'S POLICY OR GROUP NUMBER"),
        "10a": _grid(30, 19, 20, 2, "a. EMPLOYMENT? (Current or Previous)"),
        "11a": _grid(
            50,
            19,
            30,
            2,
            "a. INSURED'S DATE OF BIRTH",
            indent=2,
            cells=DATE8,
            cell_captions=MDY,
            align="center",
        ),
        "11a:M": _check(67, 20, "M", side="left"),
        "11a:F": _check(74, 20, "F", side="left"),
        "9b": _grid(1, 21, 29, 2, "b. RESERVED FOR NUCC USE"),
        "10b": _grid(30, 21, 20, 2, "b. AUTO ACCIDENT?"),
        "10b.state": _field(
            44, 22, 6, caption="10b. PLACE (State)", indent=1, printed="PLACE (State)", side="above"
        ),
        "11b": _grid(50, 21, 30, 2, "b. OTHER CLAIM ID (Designated by NUCC)"),
        "9c": _grid(1, 23, 29, 2, "c. RESERVED FOR NUCC USE"),
        "10c": _grid(30, 23, 20, 2, "c. OTHER ACCIDENT?"),
        "11c": _grid(50, 23, 30, 2, "c. INSURANCE PLAN NAME OR PROGRAM NAME"),
        "9d": _grid(1, 25, 29, 2, "d. INSURANCE PLAN NAME OR PROGRAM NAME"),
        "10d": _grid(30, 25, 20, 2, "10d. CLAIM CODES (Designated by NUCC)"),
        "11d": _grid(50, 25, 30, 2, "d. IS THERE ANOTHER HEALTH BENEFIT PLAN?"),
    }
    for item, line in (("10a", 20), ("10b", 22), ("10c", 24)):
        boxes.update(_yes_no(item, 35, line))
    boxes.update(_yes_no("11d", 52, 26))
    return boxes


def _signature_boxes() -> dict[str, Box]:
    return {
        "12": _grid(
            1,
            27,
            49,
            4,
            "12. PATIENT'S OR AUTHORIZED PERSON'S SIGNATURE",
            printed=(
                "\n12. PATIENT'S OR AUTHORIZED PERSON'S SIGNATURE  I authorize the release of any "
                "medical or other information necessary\nto process this claim. I also request "
                "payment of government benefits either to myself or to the party who accepts "
                "assignment\nbelow."
            ),
            prefix="SIGNED",
            indent=5,
            chars=20,
        ),
        "12.date": _field(33, 30, 17, "DATE", "12. DATE", indent=4),
        "13": _grid(
            50,
            27,
            30,
            4,
            "13. INSURED'S OR AUTHORIZED PERSON'S SIGNATURE",
            printed=(
                "13. INSURED'S OR AUTHORIZED PERSON'S SIGNATURE I authorize\npayment of medical "
                "benefits to the undersigned physician or supplier for\nservices described below."
            ),
            prefix="SIGNED",
            indent=5,
        ),
    }


def _from_to(item: str, line: int) -> dict[str, Box]:
    return {
        f"{item}.from": _field(
            50,
            line,
            15,
            "FROM",
            f"{item}. FROM",
            indent=4,
            cells=DATE6,
            cell_captions=MDY,
            align="center",
        ),
        f"{item}.to": _field(
            65,
            line,
            15,
            "TO",
            f"{item}. TO",
            indent=3,
            cells=DATE6,
            cell_captions=MDY,
            align="center",
        ),
    }


def _dates_boxes() -> dict[str, Box]:
    boxes = {
        "14": _grid(
            1,
            31,
            29,
            2,
            "14. DATE OF CURRENT ILLNESS, INJURY, or PREGNANCY (LMP)",
            indent=1,
            cells=DATE6,
            cell_captions=MDY,
            align="center",
        ),
        "14.qual": _field(13, 32, 9, "QUAL.", "14. QUAL.", indent=3),
        "15": _grid(
            30,
            31,
            20,
            2,
            "15. OTHER DATE",
            indent=7,
            cells=DATE6,
            cell_captions=MDY,
            align="center",
        ),
        "15.qual": _field(30, 32, 7, "QUAL.", "15. QUAL.", indent=3),
        "16": _grid(50, 31, 30, 2, "16. DATES PATIENT UNABLE TO WORK IN CURRENT OCCUPATION"),
        "17": _grid(1, 33, 29, 2, "17. NAME OF REFERRING PROVIDER OR OTHER SOURCE", indent=3),
        "17.qual": _field(1, 34, 3, caption="17. QUALIFIER (DN, DK, DQ)"),
        "17a": _grid(30, 33, 20, 1, "17a.", shaded=True, side="none", prefix="17a.", indent=3),
        "17b": _grid(30, 34, 20, 1, "17b. NPI", side="none", prefix="17b. NPI", indent=4),
        "18": _grid(50, 33, 30, 2, "18. HOSPITALIZATION DATES RELATED TO CURRENT SERVICES"),
        "19": _grid(1, 35, 49, 2, "19. ADDITIONAL CLAIM INFORMATION (Designated by NUCC)"),
        "20": _grid(50, 35, 11, 2, "20. OUTSIDE LAB?"),
        "20.charges": _grid(
            61, 35, 19, 2, "$ CHARGES", frame="left", indent=1, cells=(9, 3), align="money"
        ),
    }
    boxes.update(_from_to("16", 32))
    boxes.update(_from_to("18", 34))
    boxes.update(_yes_no("20", 52, 36))
    return boxes


def _diagnosis_boxes() -> dict[str, Box]:
    boxes = {
        "21": _grid(
            1,
            37,
            49,
            4,
            "21. DIAGNOSIS OR NATURE OF ILLNESS OR INJURY Relate A-L to service line below (24E)",
        ),
        "21.ind": _field(
            35,
            37,
            6,
            "ICD Ind.",
            "21. ICD Ind.",
            indent=3,
            cells=(2,),
            divider="around",
            align="center",
        ),
        "22": _grid(50, 37, 30, 2, "22. RESUBMISSION\nCODE", chars=10),
        "22.ref": _grid(61, 37, 19, 2, "ORIGINAL REF. NO.", frame="left"),
        "23": _grid(50, 39, 30, 2, "23. PRIOR AUTHORIZATION NUMBER"),
    }
    starts, widths = (1, 13, 25, 37), (12, 12, 12, 13)
    for i, letter in enumerate(POINTER_LETTERS[:MAX_DIAGNOSES]):
        col, cols = starts[i % 4], widths[i % 4]
        boxes[f"21{letter}"] = _field(
            col, 38 + i // 4, cols, f"{letter}.", f"21. DIAGNOSIS {letter}", indent=2, frame="under"
        )
    return boxes


# Item 24: (column letter, first column, width in columns, header caption, line options)
SERVICE_COLUMNS: tuple[tuple[str, int, int, str, dict], ...] = (
    ("A", 1, 18, "24. A.       DATE(S) OF SERVICE", {"cells": (3,) * 6, "align": "center"}),
    ("B", 19, 3, "B.\nPLACE OF\nSERVICE", {"align": "center"}),
    ("C", 22, 3, "C.\n\nEMG", {"align": "center"}),
    (
        "D",
        25,
        20,
        "D. PROCEDURES, SERVICES, OR SUPPLIES\n(Explain Unusual Circumstances)",
        {"cells": (8, 3, 3, 3, 3), "align": "center"},
    ),
    ("E", 45, 5, "E.\nDIAGNOSIS\nPOINTER", {"align": "center"}),
    ("F", 50, 9, "F.\n\n$ CHARGES", {"cells": (6, 3), "align": "money"}),
    ("G", 59, 3, "G.\nDAYS\nOR UNITS", {"align": "center", "numeric": True}),
    ("H", 62, 3, "H.\nEPSDT\nFamily Plan", {"align": "center"}),
    ("I", 65, 3, "I.\nID.\nQUAL.", {"printed": "NPI", "side": "left-in"}),
    ("J", 68, 12, "J.\nRENDERING\nPROVIDER ID. #", {"align": "center"}),
)
HEADER_CELLS = {
    "A": ((3,) * 6, ("MM", "DD", "YY", "MM", "DD", "YY")),
    "D": ((8, 12), ("CPT/HCPCS", "MODIFIER")),
}


def _service_boxes() -> dict[str, Box]:
    boxes: dict[str, Box] = {}
    for letter, col, cols, caption, options in SERVICE_COLUMNS:
        cells, captions = HEADER_CELLS.get(letter, ((), ()))
        boxes[f"24{letter}"] = _grid(
            col, 41, cols, 2, caption, cells=cells, cell_captions=captions, lines=0
        )
        for n in range(1, MAX_PAPER_LINES + 1):
            opts = dict(options)
            printed = opts.pop("printed", "")
            side = opts.pop("side", "none")
            name = " ".join(caption.split()).removeprefix("24. ")
            boxes[f"24{letter}.{n}"] = _grid(
                col, 42 + 2 * n, cols, 1, f"24{name} (line {n})", printed=printed, side=side, **opts
            )
    return boxes


def _provider_boxes() -> dict[str, Box]:
    boxes = {
        "25": _grid(1, 55, 21, 2, "25. FEDERAL TAX I.D. NUMBER", chars=15),
        "25:SSN": _check(17, 56, "SSN", side="above"),
        "25:EIN": _check(19, 56, "EIN", side="above"),
        "26": _grid(22, 55, 14, 2, "26. PATIENT'S ACCOUNT NO."),
        "27": _grid(36, 55, 14, 2, "27. ACCEPT ASSIGNMENT?\n(For govt. claims, see back)"),
        "28": _grid(
            50, 55, 11, 2, "28. TOTAL CHARGE", prefix="$", indent=1, cells=(7, 3), align="money"
        ),
        "29": _grid(
            61, 55, 10, 2, "29. AMOUNT PAID", prefix="$", indent=1, cells=(6, 3), align="money"
        ),
        "30": _grid(71, 55, 9, 2, "30. Rsvd for NUCC Use"),
        "31": _grid(
            1,
            57,
            21,
            5,
            "31. SIGNATURE OF PHYSICIAN OR SUPPLIER INCLUDING DEGREES OR CREDENTIALS",
            printed=(
                "31. SIGNATURE OF PHYSICIAN OR SUPPLIER\nINCLUDING DEGREES OR CREDENTIALS\n"
                "(I certify that the statements on the reverse\n"
                "apply to this bill and are made a part thereof.)"
            ),
            line=-2,
        ),
        "31.date": _field(11, 61, 11, "DATE", "31. DATE", indent=3),
        "32": _grid(22, 57, 28, 4, "32. SERVICE FACILITY LOCATION INFORMATION", lines=3),
        "32a": _grid(22, 61, 14, 1, "32a. NPI", side="none", prefix="a.", indent=2),
        "32b": _grid(36, 61, 14, 1, "32b.", side="none", prefix="b.", indent=2, shaded=True),
        "33": _grid(50, 57, 30, 4, "33. BILLING PROVIDER INFO & PH #", lines=3),
        "33.phone": _field(
            64, 57, 16, caption="33. PH #", cells=PHONE, divider="paren", align="center"
        ),
        "33a": _grid(50, 61, 13, 1, "33a. NPI", side="none", prefix="a.", indent=2),
        "33b": _grid(63, 61, 17, 1, "33b.", side="none", prefix="b.", indent=2, shaded=True),
    }
    boxes.update(_yes_no("27", 38, 56))
    return boxes


def _build_boxes() -> dict[str, Box]:
    boxes: dict[str, Box] = {}
    for part in (
        _header_boxes,
        _item1_boxes,
        _patient_boxes,
        _insurance_boxes,
        _signature_boxes,
        _dates_boxes,
        _diagnosis_boxes,
        _service_boxes,
        _provider_boxes,
    ):
        boxes.update(part())
    for key in boxes:
        if key != "page":  # the continuation header is no item of the form
            item_of(key)  # every box is an item of the one table (UnknownItem otherwise)
    return boxes


BOXES: dict[str, Box] = _build_boxes()
"""Every box of the form by item: the one table the drawing and the values use."""


# -- values ---------------------------------------------------------------------------
def page_count(claim: Claim) -> int:
    """How many form pages the claim takes: 6 service lines a page, at least 1.

    Paper holds 6 lines; a 7th starts a continued page.  Payers differ on
    continued claims (Medicare wants separate claims; some cap a claim at
    28 lines), so check before mailing one.
    """
    return max(1, -(-len(claim.lines) // MAX_PAPER_LINES))


def _mdy(day: dt.date | None, century: bool = False) -> str:
    if day is None:
        return ""
    return day.strftime("%m %d %Y" if century else "%m %d %y")


def _money(amount: Decimal | None) -> str:
    """Dollars and cents as two parts, no commas: Decimal('1234.5') -> '1234 50'."""
    if amount is None:
        return ""
    cents = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if cents < 0 else ""
    dollars, _, fraction = f"{abs(cents):.2f}".partition(".")
    return f"{sign}{dollars} {fraction}"


def _units(units: Decimal) -> str:
    value = Decimal(units).normalize()
    return f"{value:f}" if value != value.to_integral() else str(int(value))


def _name_part(text: str) -> str:
    return form_text(text.replace(".", " ").replace(",", " "))  # NUCC: no periods within a name


def _name_last_first(person: Person | None) -> str:
    """Items 2, 4 and 9: LAST, FIRST, M (commas between, middle initial only)."""
    if person is None:
        return ""
    parts = [_name_part(person.last), _name_part(person.first), _name_part(person.middle)[:1]]
    return ", ".join(p for p in parts if p)


def _phone(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return f"{digits[:3]} {digits[3:]}" if len(digits) == 10 else digits


def _address(prefix: str, address: Address | None) -> dict[str, str]:
    if address is None:
        return {}
    return {
        prefix: address.street,
        f"{prefix}.city": address.city,
        f"{prefix}.state": address.state,
        f"{prefix}.zip": address.zip,
        f"{prefix}.phone": _phone(address.phone),
    }


def _checked(item: str, flag: bool) -> dict[str, str]:
    return {f"{item}:{'yes' if flag else 'no'}": "X"}


def _insured(claim: Claim) -> Person | None:
    if claim.insured is not None:
        return claim.insured
    return claim.patient if claim.relationship == "self" else None


def _sex(item: str, person: Person | None) -> dict[str, str]:
    if person is None or person.sex not in ("M", "F"):
        return {}
    return {f"{item}:{person.sex}": "X"}


def _patient_values(claim: Claim) -> dict[str, str]:
    insured = _insured(claim)
    values = {
        "1a": claim.insured_id,
        "2": _name_last_first(claim.patient),
        "3": _mdy(claim.patient.dob, century=True),
        "4": _name_last_first(insured),
        "11a": _mdy(insured.dob, century=True) if insured else "",
    }
    if claim.program in PROGRAMS:
        values[f"1:{claim.program}"] = "X"
    if claim.relationship in RELATIONSHIPS:
        values[f"6:{claim.relationship}"] = "X"
    values |= _sex("3", claim.patient) | _sex("11a", insured)
    values |= _address("5", claim.patient.address)
    values |= _address("7", insured.address if insured else None)
    return values


def _insurance_values(claim: Claim) -> dict[str, str]:
    other = claim.other_insurance
    values = {
        "9": _name_last_first(other.insured) if other else "",
        "9a": other.policy_or_group if other else "",
        "9d": other.plan_name if other else "",
        "10b.state": claim.auto_accident_state,
        "10d": claim.claim_codes,
        "11": claim.insured_group,
        "11c": claim.plan_name,
        "12": "SIGNATURE ON FILE" if claim.patient_signature_on_file else "",
        "13": "SIGNATURE ON FILE" if claim.insured_signature_on_file else "",
    }
    values |= _checked("10a", claim.employment_related)
    values |= _checked("10b", bool(claim.auto_accident_state.strip()))
    values |= _checked("10c", claim.other_accident)
    values |= _checked("11d", claim.another_plan)
    return values


def _span(item: str, span: tuple[dt.date, dt.date] | None) -> dict[str, str]:
    if span is None:
        return {}
    return {f"{item}.from": _mdy(span[0]), f"{item}.to": _mdy(span[1])}


def _referral_values(claim: Claim) -> dict[str, str]:
    values = {
        "14": _mdy(claim.onset_date),
        "14.qual": "431" if claim.onset_date else "",  # onset of current symptoms or illness
        "15": _mdy(claim.other_date),
        "19": claim.additional_info,
        "20.charges": _money(claim.outside_lab_charges) if claim.outside_lab else "",
    }
    values |= _span("16", claim.unable_to_work) | _span("18", claim.hospitalized)
    ref = claim.referring_provider
    if ref is not None:
        values |= {
            "17.qual": ref.qualifier,
            "17": " ".join(_name_part(p) for p in (ref.first, ref.last)),  # first name first
            "17b": ref.npi,
        }
    values |= _checked("20", claim.outside_lab)
    return values


def _diagnosis_values(claim: Claim) -> dict[str, str]:
    values = {
        "21.ind": claim.icd_indicator,
        "22": claim.resubmission_code,
        "22.ref": claim.original_reference,
        "23": claim.prior_authorization,
    }
    for letter, code in zip(POINTER_LETTERS, claim.diagnoses[:MAX_DIAGNOSES], strict=False):
        values[f"21{letter}"] = code.replace(".", "")  # item 21 takes codes without the period
    return values


def _line_values(claim: Claim, n: int, line: ServiceLine) -> dict[str, str]:
    rendering = line.rendering_npi or (
        claim.rendering_provider.npi if claim.rendering_provider else ""
    )
    dates = f"{_mdy(line.date_from)} {_mdy(line.date_to or line.date_from)}"
    procedure = " ".join([line.code, *line.modifiers[:MAX_MODIFIERS]])
    return {
        f"24A.{n}": dates,
        f"24B.{n}": line.place_of_service or claim.place_of_service,
        f"24C.{n}": "Y" if line.emergency else "",
        f"24D.{n}": procedure,
        f"24E.{n}": "".join(line.pointers[:MAX_POINTERS]),
        f"24F.{n}": _money(line.charge),
        f"24G.{n}": _units(line.units),
        f"24H.{n}": line.epsdt,
        f"24J.{n}": rendering,
    }


def _organization(prefix: str, org: Organization | None) -> dict[str, str]:
    if org is None:
        return {}
    a = org.address
    city = f"{a.city}, {a.state} {a.zip}".strip(", ")
    return {prefix: f"{org.name}\n{a.street}\n{city}", f"{prefix}a": org.npi}


def _provider_values(claim: Claim, last_page: bool) -> dict[str, str]:
    total = claim.total_charge if claim.total_charge is not None else claim.line_total()
    values = {
        "25": claim.tax_id.replace("-", ""),
        f"25:{'SSN' if claim.tax_id_type == 'SSN' else 'EIN'}": "X" if claim.tax_id else "",
        "26": claim.patient_account,
        "28": _money(total) if last_page else "CONTINUED",
        "29": _money(claim.amount_paid) if last_page and claim.amount_paid else "",
        "31": claim.signature,
        "31.date": _mdy(claim.signature_date),
    }
    values |= _checked("27", claim.accept_assignment)
    values |= _organization("32", claim.service_facility)
    values |= _organization("33", claim.billing_provider)
    if claim.billing_provider is not None:
        values["33.phone"] = _phone(claim.billing_provider.address.phone)
    return values


def _carrier(claim: Claim) -> str:
    payer, a = claim.payer, claim.payer.address
    if a is None:
        return payer.name
    return f"{payer.name}\n{a.street}\n{a.city}, {a.state} {a.zip}"


def _raw_values(claim: Claim, page: int) -> dict[str, str]:
    pages = page_count(claim)
    values = {"carrier": _carrier(claim), "page": f"PAGE {page} OF {pages}" if pages > 1 else ""}
    values |= _patient_values(claim) | _insurance_values(claim) | _referral_values(claim)
    values |= _diagnosis_values(claim) | _provider_values(claim, last_page=page == pages)
    first = (page - 1) * MAX_PAPER_LINES
    for n, line in enumerate(claim.lines[first : first + MAX_PAPER_LINES], start=1):
        values |= _line_values(claim, n, line)
    return values


def _cell_parts(box: Box, text: str) -> list[str] | None:
    """The parts of ``text`` one per sub-cell, left to right, or None when
    they do not fit the cells (the text is then typed as one field)."""
    parts = text.split()
    rooms = [_fits(width) for width in box.cells]
    if 0 < len(parts) <= len(rooms) and all(
        len(p) <= r for p, r in zip(parts, rooms, strict=False)
    ):
        return parts
    return None


def _fit_cells(box: Box, text: str) -> str:
    cleaned = form_text(text)
    parts = cleaned.split()
    if box.align == "money" and len(parts) == len(box.cells):  # money never loses digits
        rooms = [_fits(width) for width in box.cells]
        return " ".join(p if len(p) <= r else "*" * r for p, r in zip(parts, rooms, strict=False))
    if _cell_parts(box, cleaned) is not None:
        return cleaned
    return cleaned[: box.capacity]


def fit(key: str, text: str) -> str:
    """Format ``text`` the way box ``key`` shows it: upper case, plain ASCII,
    cut to the box (money too long for its box shows asterisks, never fewer
    digits).

    >>> fit("2", "Doe, Jane " + "x" * 60)
    'DOE, JANE XXXXXXXXXXXXXXXXXXXXX'
    >>> fit("24G.1", "1.5"), fit("24G.1", "1000")
    ('1.5', '***')
    >>> fit("24F.1", "1234567 00")
    '****** 00'
    """
    box = BOXES[key]
    if box.cells:
        return _fit_cells(box, text)
    if box.lines > 1:
        rows = [r for r in (form_text(r) for r in str(text).splitlines()) if r]
        return "\n".join(r[: box.capacity] for r in rows[: box.lines])
    cleaned = form_text(text)
    if box.check:
        return cleaned[:1]
    if box.numeric and len(cleaned) > box.capacity:  # a number is never cut short
        return "*" * box.capacity
    return cleaned[: box.capacity]


def box_values(claim: Claim, page: int = 1) -> dict[str, str]:
    """The text each box of the form shows for ``claim`` on ``page`` (1-based),
    keyed like :data:`BOXES`; empty boxes are left out.

    This is the one source of truth: :func:`render_pdf` types exactly these.
    """
    if not 1 <= page <= page_count(claim):
        raise ValueError(f"page {page} is out of range (the claim has {page_count(claim)})")
    values = {}
    for key, text in _raw_values(claim, page).items():
        shown = fit(key, text or "")
        if shown:
            values[key] = shown
    return values


# -- drawing -----------------------------------------------------------------------------
def _caption_size(text: str, width: float, font: str, size: float) -> float:
    needed = stringWidth(text, font, size)
    return size if needed <= width else max(3.2, size * width / needed)


def _caption_text(c: Canvas, text: str, x: float, y: float, width: float, **kw) -> None:
    """Small red caption text, shrunk (then cut) to ``width``; align left|center|right."""
    font = kw.get("font", CAPTION_FONT)
    size = _caption_size(text, width, font, kw.get("size", CAPTION_SIZE))
    while text and stringWidth(text, font, size) > width:
        text = text[:-1]
    c.setFont(font, size)
    c.setFillColorRGB(*RED)
    align = kw.get("align", "left")
    if align == "center":
        c.drawCentredString(x + width / 2, y, text)
    elif align == "right":
        c.drawRightString(x + width, y, text)
    else:
        c.drawString(x, y, text)


def _value_row_bottom(box: Box, row: int) -> float:
    """Bottom of the typing line holding value row ``row`` (0 = the first)."""
    n = round(box.h / LINE)
    last = box.line if box.line >= 0 else n + box.line
    index = last - (box.lines - 1 - row)
    return box.y + box.h - (index + 1) * LINE


def _draw_frame(c: Canvas, box: Box) -> None:
    c.setStrokeColorRGB(*RED)
    c.setLineWidth(0.6)
    if box.shaded:
        c.setFillColorRGB(*SHADE)
        c.rect(box.x, box.y, box.w, box.h, stroke=0, fill=1)
    if box.frame == "box":
        c.rect(box.x, box.y, box.w, box.h, stroke=1, fill=0)
    elif box.frame == "left":
        c.line(box.x, box.y, box.x, box.y + box.h)
    elif box.frame == "under":
        c.setLineWidth(0.4)
        c.line(box.x + box.indent, box.y + 0.8, box.x + box.w - COL, box.y + 0.8)


def _draw_check(c: Canvas, box: Box) -> None:
    c.setStrokeColorRGB(*RED)
    c.setLineWidth(0.6)
    side = 8.4
    cx, cy = box.x + box.w / 2, box.y + 5.5
    c.rect(cx - side / 2, cy - side / 2, side, side, stroke=1, fill=0)
    label = box.printed if box.printed is not None else box.caption
    rows = label.split("\n")
    if box.side == "right":
        _caption_text(c, label, box.x + box.w + 1.2, box.y + 3.3, 40)
    elif box.side == "left":
        _caption_text(c, label, box.x - 41.2, box.y + 3.3, 40, align="right")
    else:  # above: the last row just over the square
        for i, row in enumerate(reversed(rows)):
            _caption_text(c, row, box.x - 1, box.y + box.h + 1.2 + i * 5.2, 60)


def _draw_cells(c: Canvas, box: Box) -> None:
    if not box.cells or box.lines == 0:
        return
    bottom = _value_row_bottom(box, box.lines - 1)
    edges, x = [], box.x + box.indent
    for width in box.cells:
        edges.append((x, x + width))
        x += width
    c.setStrokeColorRGB(*RED)
    c.setLineWidth(0.5)
    if box.divider == "paren":
        (a0, a1) = edges[0]
        c.setFillColorRGB(*RED)
        c.setFont(CAPTION_FONT, 9)
        c.drawString(a0 + 0.8, bottom + 2.4, "(")
        c.drawRightString(a1 - 0.8, bottom + 2.4, ")")
        return
    c.setDash(1, 1.2)
    cuts = [e[1] for e in edges[:-1]]
    if box.divider == "around":
        cuts = [edges[0][0], *cuts, edges[-1][1]]
    for cut in cuts:
        c.line(cut, bottom + 1, cut, bottom + LINE - 2)
    c.setDash()


def _draw_cell_captions(c: Canvas, box: Box) -> None:
    if not box.cell_captions:
        return
    base = box.y + 1.5 if box.lines == 0 else _value_row_bottom(box, 0) + LINE + 1.2
    x = box.x + box.indent
    for width, text in zip(box.cells, box.cell_captions, strict=False):
        _caption_text(c, text, x, base, width, align="center", size=CELL_CAPTION_SIZE)
        x += width


def _draw_caption(c: Canvas, box: Box) -> None:
    label = box.printed if box.printed is not None else box.caption
    if not label or box.side == "none":
        return
    if box.side == "above":
        _caption_text(c, label, box.x, box.y + box.h + 1.6, box.w + COL)
        return
    if box.side == "left-in":
        _caption_text(c, label, box.x + 1, box.y + 3.5, box.w - 2, align="center")
        return
    for i, row in enumerate(label.split("\n")):
        _caption_text(c, row, box.x + 1.6, box.y + box.h - 5.2 - i * CAPTION_LEAD, box.w - 2.4)


def _draw_prefix(c: Canvas, box: Box) -> None:
    if not box.prefix:
        return
    bottom = _value_row_bottom(box, box.lines - 1)
    width = max(box.indent - 1.6, 6)
    _caption_text(c, box.prefix, box.x + 1.6, bottom + 3.3, width, font=CAPTION_BOLD)


def draw_box(c: Canvas, box: Box) -> None:
    """Draw one box's red ink: shading, frame, caption, prefix, sub-cells."""
    if box.check:
        _draw_check(c, box)
        return
    _draw_frame(c, box)
    _draw_caption(c, box)
    _draw_prefix(c, box)
    _draw_cells(c, box)
    _draw_cell_captions(c, box)


def _type(c: Canvas, text: str, x: float, right: float, bottom: float, align: str) -> None:
    c.setFont(VALUE_FONT, VALUE_SIZE)
    c.setFillColorRGB(0, 0, 0)
    width = len(text) * CHAR_W
    if align == "right":
        x = right - PAD - width
    elif align == "center":
        x = x + (right - x - width) / 2
    else:
        x = x + PAD
    c.drawString(x, bottom + BASELINE, text)


def draw_value(c: Canvas, box: Box, text: str) -> None:
    """Type ``text`` (as :func:`box_values` gives it) in black inside ``box``."""
    if box.check:
        _type(c, text, box.x, box.x + box.w, box.y, "center")
        return
    start = box.x + box.indent
    parts = _cell_parts(box, text) if box.cells else None
    if parts is not None:
        bottom = _value_row_bottom(box, box.lines - 1)
        for i, (part, width) in enumerate(zip(parts, box.cells, strict=False)):
            align = "center" if box.align == "money" and i == len(box.cells) - 1 else box.align
            _type(c, part, start, start + width, bottom, "right" if align == "money" else align)
            start += width
        return
    align = "left" if box.cells else box.align
    for row, line in enumerate(text.split("\n")[: max(box.lines, 0)]):
        _type(c, line, start, box.x + box.w, _value_row_bottom(box, row), align)


def _draw_title(c: Canvas) -> None:
    c.setFillColorRGB(*RED)
    c.setFont(CAPTION_BOLD, 22)
    c.drawString(_x(1), _top(4) + 1, "1500")
    c.setFont(CAPTION_BOLD, 12.5)
    c.drawString(_x(1), _top(5) + 2, "HEALTH INSURANCE CLAIM FORM")
    _caption_text(
        c,
        "APPROVED BY NATIONAL UNIFORM CLAIM COMMITTEE (NUCC) 02/12",
        _x(1),
        _top(6) + 4.2,
        COL * 32,
        font=CAPTION_BOLD,
    )
    _pica(c, _x(1), _top(7) + 2, "left")
    _pica(c, _x(80), _top(7) + 2, "right")


def _pica(c: Canvas, x: float, y: float, side: str) -> None:
    c.setStrokeColorRGB(*RED)
    c.setLineWidth(0.6)
    c.setFillColorRGB(*RED)
    c.setFont(CAPTION_BOLD, 6)
    if side == "left":
        c.rect(x, y, 7, 7, stroke=1, fill=0)
        c.drawString(x + 9, y + 1.5, "PICA")
    else:
        c.rect(x - 7, y, 7, 7, stroke=1, fill=0)
        c.drawRightString(x - 9, y + 1.5, "PICA")


def _side_label(c: Canvas, text: str, first: int, last: int) -> None:
    """A vertical label with arrows in the right margin, over lines first..last."""
    x = _x(80) + 8
    top, bottom = _top(first) - 2, _top(last + 1) + 2
    c.saveState()
    c.setFillColorRGB(*RED)
    c.setStrokeColorRGB(*RED)
    c.setLineWidth(0.6)
    c.translate(x, (top + bottom) / 2)
    c.rotate(90)
    c.setFont(CAPTION_BOLD, 6)
    half = stringWidth(text, CAPTION_BOLD, 6) / 2 + 3
    c.drawCentredString(0, -2, text)
    reach = (top - bottom) / 2
    if reach > half + 6:
        c.line(half, 0, reach, 0)
        c.line(-reach, 0, -half, 0)
        for tip, back in ((reach, reach - 3), (-reach, -reach + 3)):
            c.line(tip, 0, back, 1.8)
            c.line(tip, 0, back, -1.8)
    c.restoreState()


def _draw_service_rows(c: Canvas) -> None:
    """The shaded supplemental half over each of the 6 lines, and the line numbers."""
    left, right = _x(1), _x(80)
    for n in range(1, MAX_PAPER_LINES + 1):
        bottom = BOXES[f"24A.{n}"].y + LINE
        c.setFillColorRGB(*SHADE)
        c.setStrokeColorRGB(*RED)
        c.setLineWidth(0.6)
        c.rect(left, bottom, right - left, LINE, stroke=1, fill=1)
        for letter in ("I", "J"):
            x = BOXES[f"24{letter}.{n}"].x
            c.line(x, bottom, x, bottom + LINE)
        c.setFillColorRGB(*RED)
        c.setFont(CAPTION_BOLD, 9)
        c.drawCentredString(left - 9, bottom - 4, str(n))


def _draw_extras(c: Canvas) -> None:
    """Printed words that belong to no single box."""
    m, f = BOXES["3:M"], BOXES["3:F"]
    _caption_text(c, "SEX", m.x, m.y + m.h + 1.6, f.x + f.w - m.x, align="center")
    m, f = BOXES["11a:M"], BOXES["11a:F"]
    _caption_text(c, "SEX", m.x, m.y + m.h + 1.6, f.x + f.w - m.x, align="center")
    no = BOXES["11d:no"]
    _caption_text(
        c,
        "If yes, complete items 9, 9a, and 9d.",
        no.x + 3 * COL,
        no.y + 3.3,
        _x(80) - no.x - 3 * COL - 1,
        font=CAPTION_BOLD,
    )
    hints = ("(Medicare#)", "(Medicaid#)", "(ID#/DoD#)", "(Member ID#)", "(ID#)", "(ID#)", "(ID#)")
    for program, hint in zip(PROGRAMS, hints, strict=True):
        box = BOXES[f"1:{program}"]
        _caption_text(c, hint, box.x + box.w + 1.2, box.y + 3.3, 5 * COL)
    twelve = BOXES["12"]
    _caption_text(
        c,
        "READ BACK OF FORM BEFORE COMPLETING & SIGNING THIS FORM.",
        twelve.x,
        twelve.y + twelve.h - 6,
        twelve.w,
        font=CAPTION_BOLD,
        align="center",
    )
    a = BOXES["24A"]
    _caption_text(c, "From", a.x, a.y + 8, a.w / 2, align="center")
    _caption_text(c, "To", a.x + a.w / 2, a.y + 8, a.w / 2, align="center")
    sig = BOXES["31"]
    _caption_text(c, "SIGNED", sig.x + 1.6, sig.y + 3.3, 4 * COL, font=CAPTION_BOLD)


def _draw_footer(c: Canvas) -> None:
    y = _top(62) - 8
    _caption_text(c, "NUCC Instruction Manual available at: www.nucc.org", _x(1), y, 30 * COL)
    c.setFont(CAPTION_BOLD, 8)
    c.setFillColorRGB(*RED)
    c.drawCentredString(_x(40), y - 1, "PLEASE PRINT OR TYPE")
    c.setFont(CAPTION_BOLD, 6.5)
    c.drawRightString(_x(80), y, "APPROVED OMB-0938-1197 FORM 1500 (02-12)")


def _draw_form(c: Canvas) -> None:
    """Everything in red: the blank CMS-1500."""
    _draw_title(c)
    _draw_service_rows(c)
    for box in BOXES.values():
        draw_box(c, box)
    _draw_extras(c)
    _side_label(c, "CARRIER", 1, 6)
    _side_label(c, "PATIENT AND INSURED INFORMATION", 7, 30)
    _side_label(c, "PHYSICIAN OR SUPPLIER INFORMATION", 31, 61)
    _draw_footer(c)


def render_pdf(claim: Claim) -> bytes:
    """The claim typed onto the CMS-1500 (02/12) as a US-letter PDF: one page
    per 6 service lines (see :func:`page_count`)."""
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=US_LETTER, invariant=True, pageCompression=1)
    c.setTitle(f"CMS-1500 claim {claim.patient_account}".strip())
    c.setAuthor("MedBill Lab")
    for page in range(1, page_count(claim) + 1):
        _draw_form(c)
        for key, text in box_values(claim, page).items():
            draw_value(c, BOXES[key], text)
        c.showPage()
    c.save()
    return buffer.getvalue()


def render_png(claim: Claim, dpi: int = 100, page: int = 1, pdf: bytes | None = None) -> bytes:
    """A PNG preview of one page of the filled form (8.5 x 11 inches at ``dpi``); ``pdf``
    is the claim's :func:`render_pdf` when the caller already has it (not drawn again)."""
    return page_png(lambda: pdf or render_pdf(claim), page_count(claim), dpi, page)


def page_png(make_pdf: Callable[[], bytes], pages: int, dpi: int, page: int) -> bytes:
    """One page of a form's PDF (from ``make_pdf``, of ``pages`` pages) as a PNG at ``dpi``;
    either form's :func:`render_png`.  ``ValueError`` for a dpi or page out of range."""
    import pypdfium2 as pdfium

    if not 10 <= dpi <= 600:
        raise ValueError(f"dpi {dpi} is out of range (10-600)")
    if not 1 <= page <= pages:
        raise ValueError(f"page {page} is out of range (the claim has {pages})")
    document = pdfium.PdfDocument(make_pdf())
    try:
        image = document[page - 1].render(scale=dpi / 72).to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(dpi, dpi))
    return buffer.getvalue()


# -- files ---------------------------------------------------------------------------------
def png_paths(output: Path, pages: int) -> Iterator[tuple[int, Path]]:
    """OUT.png for page 1; OUT-2.png, OUT-3.png... for continued pages."""
    for page in range(1, pages + 1):
        suffix = "" if page == 1 else f"-{page}"
        yield page, output.with_name(f"{output.stem}{suffix}.png")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_all(files: dict[Path, bytes]) -> None:
    """Write every file or none: temporary files first, then renamed into place."""
    staged: list[tuple[str, Path]] = []
    mode = 0o666 & ~_umask()  # what open() would have given; mkstemp makes 0600
    try:
        for path, data in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, mode)
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)


def check_output(output: Path, png: bool) -> Path:
    """Refuse an output we could not write whole, before any work (either form's PDF)."""
    if png and output.suffix.lower() == ".png":
        raise ValueError(f"{output} ends in .png: the PNG preview would replace the PDF")
    if output.is_dir():
        raise IsADirectoryError(f"{output} is a directory; give a file name such as claim.pdf")
    if not output.parent.is_dir():
        raise FileNotFoundError(f"cannot write {output}: the folder {output.parent} does not exist")
    return output


@dataclass(frozen=True)
class WrittenForm:
    """What :func:`write_file` wrote: the PDF first, then any PNG pages; the form's page
    count and the claim's service lines."""

    paths: tuple[Path, ...]
    pages: int
    lines: int


def write_file(file: str | Path, output: str | Path, png: bool = False) -> WrittenForm:
    """``medbill-lab claim pdf FILE -o OUT.pdf [--png]``: load the claim file,
    write the filled form to OUT (and a PNG of each page beside it with
    ``png``) and say what was written.  Nothing is written on any error;
    a bad claim raises :class:`medbill_lab.claims.model.ClaimError`."""
    from medbill_lab.claims import model as claims

    output = check_output(Path(output), png)
    claim = claims.load(file)
    files = {output: render_pdf(claim)}
    pages = page_count(claim)
    if png:
        files |= {
            path: render_png(claim, page=page, pdf=files[output])
            for page, path in png_paths(output, pages)
        }
    write_all(files)
    return WrittenForm(tuple(files), pages, len(claim.lines))
