"""Official ICD-10-PCS FY2026: look a code up axis by axis, validate it, list every code.

The data are the CMS tables and definitions, compiled by
``datasets/icd10pcs/build_icd10pcs.py`` into one JSON file that keeps the 914 tables,
not the 79,115 codes: a code is valid when its characters 4-7 fall in one row of the
table its first three characters name, and its title is built from the axis labels.

>>> lookup("0ft44zz").title
'Resection of Gallbladder, Percutaneous Endoscopic Approach'
>>> validate("0DTJ3ZZ").reason
'approach 3 is not allowed with body part J in table 0DT'
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import product
from pathlib import Path

from medbill_lab.codes import releases
from medbill_lab.datasets import datasets_dir

YEARS = (2026,)
LATERAL = ("Right", "Left", "Bilateral")

# How CMS's long titles join the root operation to the body part and device (section 0,
# Medical and Surgical).  Operations not listed read "<Operation> of <Body Part>".
# A pattern's {b} is the body part, {d} " with <device>" or the device itself.
OPERATION_PATTERNS = {
    "Bypass": "Bypass {b}{q}{d}",
    "Change": "Change {dev} in {b}",
    "Control": "Control Bleeding in {b}",
    "Detachment": "Detachment at {b}",
    "Extirpation": "Extirpation of Matter from {b}",
    "Fragmentation": "Fragmentation in {b}",
    "Insertion": "Insertion of {dev} into {b}",
    "Map": "Map {b}",
    "Release": "Release {b}",
    "Removal": "Removal of {dev} from {b}",
    "Repair": "Repair {b}",
    "Reposition": "Reposition {b}{d}",
    "Revision": "Revision of {dev} in {b}",
    "Supplement": "Supplement {b}{d}",
    "Transfer": "Transfer {b}{d}",
}


class PcsCodeError(LookupError):
    """A code that is not a valid ICD-10-PCS code (the message names the axis)."""


@dataclass(frozen=True)
class Axis:
    """One character of a code: its position, the axis name, value, label and definition."""

    position: int
    name: str
    value: str
    label: str
    definition: str = ""


@dataclass(frozen=True)
class PcsCode:
    """A valid ICD-10-PCS code with its seven axes and its full title."""

    code: str
    title: str
    axes: tuple[Axis, ...]
    fiscal_year: int

    def as_dict(self) -> dict:
        """JSON-ready (the ``codes show --system icd10pcs --json`` contract)."""
        return {
            "code": self.code,
            "title": self.title,
            "system": "icd10pcs",
            "fiscal_year": self.fiscal_year,
            "table": self.code[:3],
            "axes": [
                {
                    "position": a.position,
                    "name": a.name,
                    "value": a.value,
                    "label": a.label,
                    "definition": a.definition,
                }
                for a in self.axes
            ],
        }


@dataclass(frozen=True)
class Validation:
    """Whether a code is valid; when not, why (the first axis that fails)."""

    code: str
    valid: bool
    reason: str = ""

    def __str__(self) -> str:
        return f"{self.code}: valid ICD-10-PCS" if self.valid else f"{self.code}: {self.reason}"


@dataclass(frozen=True)
class PcsSet:
    """One fiscal year of ICD-10-PCS tables and axis definitions."""

    year: int
    tables: dict
    definitions: dict

    def counts(self) -> dict[str, int]:
        """Tables, rows and codes in this year."""
        return table_counts(self.tables)


def row_size(row: list[dict]) -> int:
    """How many codes one table row allows: every combination of its four axes' values."""
    return math.prod(map(len, row))


def table_counts(tables: dict) -> dict[str, int]:
    """Tables, rows and codes (every combination inside one row) of a year's tables; the
    compiler (:mod:`icd10pcs_build`) counts its artifact with it too."""
    rows = [r for t in tables.values() for r in t["rows"]]
    return {"tables": len(tables), "rows": len(rows), "codes": sum(map(row_size, rows))}


def load(year: int = 2026) -> PcsSet:
    """Load one fiscal year of ICD-10-PCS (cached per process): the shipped year, else one
    imported into the user's data folder (``medbill-lab codes import-release``).

    ValueError for a year neither shipped nor installed, naming the command that adds it.
    """
    if year in YEARS:
        return _load_file(datasets_dir() / "icd10pcs" / f"fy{year}.json", 0)
    path = releases.installed_path("icd10pcs", year)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        raise ValueError(releases.missing_year_message("icd10pcs", year)) from None
    return _load_file(path, stamp)


@cache
def _load_file(path: Path, stamp: int) -> PcsSet:
    """One artifact, cached by path and modification time (a re-imported year is read anew)."""
    try:
        data = json.loads(path.read_bytes())
        return PcsSet(data["year"], data["tables"], data["definitions"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(
            f"the ICD-10-PCS file {path} cannot be read ({type(exc).__name__}); "
            "import the release again with: medbill-lab codes import-release ZIP --year YYYY"
        ) from None


def available(year: int) -> bool:
    """Is this fiscal year's ICD-10-PCS here (shipped or imported)?  Cheap for shipped years.

    >>> available(2026), available(1999)
    (True, False)
    """
    return year in YEARS or releases.installed_path("icd10pcs", year).is_file()


def years() -> tuple[int, ...]:
    """Every fiscal year available: the shipped one and those imported.

    >>> 2026 in years()
    True
    """
    return tuple(sorted({*YEARS, *releases.installed_years("icd10pcs")}))


def normalize(code: str) -> str:
    """Upper case without spaces, dots or dashes: ' 0dt j4zz ' -> '0DTJ4ZZ'."""
    return "".join(ch for ch in code.upper() if ch not in " .-\t")


def _reason(code: str, pcs: PcsSet) -> str:
    """'' for a valid code, else the first axis that makes it invalid, in words."""
    if len(code) != 7:
        return f"a code has 7 characters; {code!r} has {len(code)}"
    return prefix_reason(code, pcs)


def prefix_reason(code: str, pcs: PcsSet) -> str:
    """'' when some valid code starts with ``code`` (1 to 7 characters), else the first
    axis that no valid code allows, in words (the table builder refuses a value with it).

    >>> prefix_reason("0DTJ3", load())
    'approach 3 is not allowed with body part J in table 0DT'
    """
    keys = pcs.tables
    if not code:
        return ""
    table = keys.get(code[:3])
    if table is None and not any(k[0] == code[0] for k in keys):
        return f"no section {code[0]}"
    if table is None and len(code) > 1 and not any(k[:2] == code[:2] for k in keys):
        return f"no body system {code[1]} in section {code[0]}"
    if len(code) < 3:
        return ""
    if table is None:
        return f"no table {code[:3]}"
    names = [t.lower() for t in table["titles"]]
    rows = table["rows"]
    said: list[str] = []
    for pos in range(3, len(code)):
        fitting = [r for r in rows if code[pos] in r[pos - 3]]
        if not fitting:
            where = f" with {_and(said)}" if said else ""
            verb = "is not in" if not said else "is not allowed"
            tail = f" table {code[:3]}" if not said else f" in table {code[:3]}"
            return f"{names[pos]} {code[pos]} {verb}{where}{tail}".replace("  ", " ")
        rows = fitting
        said.append(f"{names[pos]} {code[pos]}")
    return ""


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def validate(code: str, year: int = 2026) -> Validation:
    """Is this a valid ICD-10-PCS code?  When not, the reason names the first failing axis."""
    norm = normalize(code)
    if not norm:
        return Validation(code.strip(), False, "the code is empty")
    reason = _reason(norm, load(year))
    return Validation(norm, not reason, reason)


def lookup(code: str, year: int = 2026) -> PcsCode:
    """The seven axes and full title of a valid code; PcsCodeError (with the reason) if not."""
    pcs = load(year)
    v = validate(code, year)
    if not v.valid:
        raise PcsCodeError(f"{v.code or code.strip()!r} is not an ICD-10-PCS code: {v.reason}")
    table = pcs.tables[v.code[:3]]
    row = next(r for r in table["rows"] if all(v.code[i + 3] in r[i] for i in range(4)))
    labels = table["labels"] + [row[i][v.code[i + 3]] for i in range(4)]
    defs = pcs.definitions.get(v.code[0], {})
    axes = tuple(
        Axis(
            i + 1,
            table["titles"][i],
            v.code[i],
            labels[i],
            defs.get(str(i + 1), {}).get(labels[i], ""),
        )
        for i in range(7)
    )
    return PcsCode(v.code, title(axes), axes, pcs.year)


def codes(year: int = 2026) -> Iterator[str]:
    """Every valid code of the year, table by table, row by row."""
    for key, table in load(year).tables.items():
        for row in table["rows"]:
            for tail in product(*(sorted(values) for values in row)):
                yield key + "".join(tail)


# -- titles -------------------------------------------------------------------------------
def _lateral(label: str) -> str:
    """'Hip Joint, Right' -> 'Right Hip Joint', as CMS's titles read."""
    head, _, side = label.rpartition(", ")
    return f"{side} {head}" if head and side in LATERAL else label


def _device(label: str) -> str:
    """'Synthetic Substitute, Metal' -> 'Metal Synthetic Substitute'."""
    head, _, kind = label.partition(", ")
    return f"{kind} {head}" if kind else label


def _shown(label: str) -> bool:
    return bool(label) and not label.startswith("No ") and label != "None"


def title(axes: tuple[Axis, ...]) -> str:
    """The full title built from the labels, as CMS's long titles join them.

    Checked against CMS long titles for section 0 (e.g. 0DTJ4ZZ, 02100Z9, 0SR9019);
    other sections read "<axis 3> of <axis 4>, <the other shown labels>".
    """
    labels = [a.label for a in axes]
    if axes[4].name != "Approach" or labels[2] == "Introduction":
        return _other_title(axes)
    op, body, approach = labels[2], _lateral(labels[3]), labels[4]
    device, qualifier = _device(labels[5]), _lateral(labels[6])
    dev_shown, q_shown = _shown(device), _shown(qualifier)
    patterns = OPERATION_PATTERNS if axes[0].value == "0" else {}
    pattern = patterns.get(op, op + " of {b}{d}")
    used_dev = "{dev}" in pattern
    used_q = "{q}" in pattern
    link = " from " if axes[1].value == "2" and axes[2].value == "1" else " to "
    text = pattern.format(
        b=body,
        dev=device,
        d=f" with {device}" if dev_shown and not used_dev else "",
        q=link + qualifier if q_shown else "",
    )
    diagnostic = qualifier == "Diagnostic"
    if q_shown and not used_q and not diagnostic:
        text += f", {qualifier}"
    text += f", {approach}" + ("" if approach.startswith("Via ") else " Approach")
    return text + (", Diagnostic" if diagnostic else "")


def _other_title(axes: tuple[Axis, ...]) -> str:
    """Titles of the sections whose 5th axis is not the approach, or Administration."""
    labels = [a.label for a in axes]
    op, body = labels[2], _lateral(labels[3])
    rest = [_lateral(lab) for lab in labels[5:] if _shown(lab)]
    if op == "Introduction" and axes[4].name == "Approach":
        head = f"{op} of {labels[5]} into {body}, {labels[4]} Approach"
        return ", ".join([head, *[_lateral(lab) for lab in labels[6:] if _shown(lab)]])
    if axes[4].name == "Contrast":
        contrast = f" using {labels[4]} Contrast" if _shown(labels[4]) else ""
        return ", ".join([f"{op} of {body}{contrast}", *rest])
    head = f"{op} of {body}" if _shown(body) else op
    return ", ".join([head, *[lab for lab in labels[4:] if _shown(lab)]])
