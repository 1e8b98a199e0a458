"""Official ICD-10-CM code sets: load a fiscal year, look codes up, walk the
hierarchy, read the tabular notes, validate a code for a date of service, and
list the annual changes between two years.

The data are the official CDC/CMS tabular files, compiled by
``datasets/icd10cm/build_icd10cm.py`` into one compact JSON file a year.

>>> fy = load(2026)
>>> fy.get("e11.9").description
'Type 2 diabetes mellitus without complications'
>>> validate("S52.521", "2026-03-02").reason
'missing 7th character'
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from medbill_lab.codes import releases
from medbill_lab.datasets import datasets_dir

#: the years the lab ships in ``datasets/icd10cm``; :func:`years` adds those imported
#: into the user's data folder with ``medbill-lab codes import-release``
YEARS = (2025, 2026)
LEVELS = {"h": "chapter", "b": "block", "c": "category", "s": "subcategory", "x": "code"}
NOTE_KINDS = (
    "inclusion_terms",
    "includes",
    "excludes1",
    "excludes2",
    "code_first",
    "use_additional_code",
    "code_also",
    "notes",
    "seventh_character_note",
)
# Notes that govern every code below the item that carries them (ICD-10-CM
# Official Guidelines, Section I.A: instructional notes at a category apply to
# all its codes).  Inclusion terms describe only their own item.
INHERITED_KINDS = tuple(k for k in NOTE_KINDS if k != "inclusion_terms")


class CodeSetError(ValueError):
    """Bad input for a code-set call: an unknown year, code or date."""


@dataclass(frozen=True)
class Item:
    """One tabular item: a chapter, block, category, subcategory or code."""

    code: str
    description: str
    level: str
    parent: str | None
    billable: bool
    notes: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """A JSON-ready view."""
        return {
            "code": self.code,
            "description": self.description,
            "level": self.level,
            "parent": self.parent,
            "billable": self.billable,
            "notes": self.notes,
        }


@dataclass(frozen=True)
class Validation:
    """The answer to "may I bill this code on this date?", with the reasons."""

    code: str
    valid: bool
    fiscal_year: int
    year_reason: str
    reason: str = ""
    detail: str = ""
    suggestions: tuple[str, ...] = ()

    def __str__(self) -> str:
        verdict = "valid" if self.valid else f"not valid ({self.reason})"
        return f"{self.code}: {verdict} for FY{self.fiscal_year}. {self.detail}".strip()


# An ICD-10-CM code, undotted: a letter, then a digit in position 2 or 3 (QA0 is a
# FY2026 category), then up to four more characters.
CODE_PATTERN = r"[A-Z](?:\d[0-9A-Z]|[A-Z]\d)[0-9A-Z]{0,4}"
_CODE_SHAPE = re.compile(f"^{CODE_PATTERN}$")


def normalize(code: str) -> str:
    """Canonical dotted upper-case form of a typed code.

    >>> normalize(" e1165 ")
    'E11.65'
    >>> normalize("s52.52")
    'S52.52'
    """
    if not isinstance(code, str):
        raise CodeSetError(f"a code is text, like 'E11.9', not {type(code).__name__} {code!r}")
    raw = "".join(code.split()).upper().replace(".", "")
    if "-" in raw or len(raw) <= 3 or not _CODE_SHAPE.match(raw):
        return raw  # chapters ("2"), blocks ("C00-C14") and non-codes keep their form
    return f"{raw[:3]}.{raw[3:]}"


def fiscal_year(date_of_service: dt.date | str) -> int:
    """The ICD-10-CM fiscal year a date of service falls in (Oct 1 to Sep 30).

    >>> fiscal_year("2025-10-01"), fiscal_year("2025-09-30")
    (2026, 2025)
    """
    day = _as_date(date_of_service)
    return day.year + 1 if day.month >= 10 else day.year


def as_date(value: dt.date | str) -> dt.date:
    """A date of service (or discharge) as a date: a date, a datetime's day, or YYYY-MM-DD
    text; ``ValueError`` otherwise (each caller says it in its own terms).

    >>> as_date("2026-03-01 "), as_date(dt.datetime(2026, 3, 1, 14, 5))
    (datetime.date(2026, 3, 1), datetime.date(2026, 3, 1))
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def _as_date(value: dt.date | str) -> dt.date:
    try:
        return as_date(value)
    except ValueError:
        raise CodeSetError(f"not a date: {value!r} (use YYYY-MM-DD)") from None


class CodeSet:
    """One fiscal year of ICD-10-CM, held in columns for a fast load."""

    def __init__(self, data: dict) -> None:
        self.year: int = data["fiscal_year"]
        self.release: str = data["release"]
        self.codes: list[str] = data["codes"]
        self.descriptions: list[str] = data["desc"]
        self._level: str = data["level"]
        self._parent: list[int] = data["parent"]
        self._billable: str = data["billable"]
        self._notes: dict[str, dict[str, list[str]]] = data["notes"]
        self._seventh: dict[str, list[list[str]]] = data["seventh"]
        self.index: dict[str, int] = {c: i for i, c in enumerate(self.codes)}
        # Single-category blocks are keyed "B10-B10"; "B10" means the category.
        self._children: list[list[int]] | None = None

    def __len__(self) -> int:
        return len(self.codes)

    def __contains__(self, code: str) -> bool:
        return normalize(code) in self.index

    def __repr__(self) -> str:
        return f"<ICD-10-CM {self.release}: {len(self)} items>"

    # -- items -------------------------------------------------------------
    def position(self, code: str) -> int:
        """Row number of a code; raises CodeSetError for an unknown code."""
        key = normalize(code)
        if key in self.index:
            return self.index[key]
        raise CodeSetError(f"unknown ICD-10-CM code {code.strip()!r} in FY{self.year}")

    def item_at(self, i: int) -> Item:
        """The item in row ``i``."""
        parent = self._parent[i]
        return Item(
            code=self.codes[i],
            description=self.descriptions[i],
            level=LEVELS[self._level[i]],
            parent=self.codes[parent] if parent >= 0 else None,
            billable=self._billable[i] != "0",
            # Copies: a learner editing an Item must not change the code set.
            notes={k: list(v) for k, v in self._notes.get(str(i), {}).items()},
        )

    def get(self, code: str) -> Item:
        """Look a code up (any case, dot optional)."""
        return self.item_at(self.position(code))

    def is_billable(self, code: str) -> bool:
        """True if the code exists this year and is billable (a leaf with any 7th character)."""
        i = self.index.get(normalize(code))
        return i is not None and self._billable[i] != "0"

    def billable_count(self) -> int:
        """How many billable codes the year has."""
        return len(self._billable) - self._billable.count("0")

    def level_of(self, i: int) -> str:
        """Level name of row ``i``."""
        return LEVELS[self._level[i]]

    def billable_at(self, i: int) -> bool:
        """Billable flag of row ``i``."""
        return self._billable[i] != "0"

    def parent_at(self, i: int) -> int:
        """Row of the parent of row ``i`` (-1 for a chapter)."""
        return self._parent[i]

    # -- hierarchy ----------------------------------------------------------
    def ancestors(self, code: str) -> list[Item]:
        """Parents from the nearest up to the chapter."""
        out, i = [], self._parent[self.position(code)]
        while i >= 0:
            out.append(self.item_at(i))
            i = self._parent[i]
        return out

    def children_at(self, i: int) -> list[int]:
        """Rows of the direct children of row ``i``, in tabular order."""
        if self._children is None:
            kids: list[list[int]] = [[] for _ in self.codes]
            for j, p in enumerate(self._parent):
                if p >= 0:
                    kids[p].append(j)
            self._children = kids
        return self._children[i]

    def children(self, code: str) -> list[Item]:
        """Direct children in tabular order."""
        return [self.item_at(i) for i in self.children_at(self.position(code))]

    def descendants(self, code: str) -> Iterator[Item]:
        """Every item below, depth first."""
        for child in self.children(code):
            yield child
            yield from self.descendants(child.code)

    def chapters(self) -> list[Item]:
        """The 22 chapters."""
        return [self.item_at(i) for i, p in enumerate(self._parent) if p < 0]

    def is_extension(self, i: int) -> bool:
        """Is row ``i`` a 7th-character code (a leaf plus its 7th character)?"""
        return self._billable[i] == "7"

    def needs_seventh(self, i: int) -> bool:
        """Is row ``i`` a leaf that is billed only with a 7th character?"""
        kids = self.children_at(i)
        return bool(kids) and self._billable[i] == "0" and self.is_extension(kids[0])

    # -- notes --------------------------------------------------------------
    def notes(self, code: str, inherited: bool = True) -> list[tuple[str, str, str]]:
        """Instructional notes as (source code, kind, text), the item's own first.

        With ``inherited``, notes from ancestors that govern the code (excludes,
        code first, use additional code, ...) follow, nearest first.
        """
        i = self.position(code)
        chain = [i]
        if inherited:
            while self._parent[chain[-1]] >= 0:
                chain.append(self._parent[chain[-1]])
        out = []
        for depth, j in enumerate(chain):
            for kind, texts in self._notes.get(str(j), {}).items():
                if depth and kind not in INHERITED_KINDS:
                    continue
                out.extend((self.codes[j], kind, t) for t in texts)
        return out

    def seventh_characters(self, code: str) -> dict[str, str]:
        """The 7th-character table that governs a code, inherited from the
        ancestor that defines it ({} when none applies)."""
        i = self.position(code)
        while i >= 0:
            table = self._seventh.get(str(i))
            if table:
                return dict(table)
            i = self._parent[i]
        return {}

    # -- validation -----------------------------------------------------------
    def check(self, code: str) -> tuple[str, str, tuple[str, ...]]:
        """Why a code can or cannot be billed this year: (reason, detail, suggestions).

        The reason is '' for a billable code, else 'unknown', 'header not billable',
        'missing 7th character' or 'missing placeholder X'.
        """
        key = normalize(code)
        i = self.index.get(key)
        if i is not None and self._billable[i] != "0":
            return "", f"{key}: {self.descriptions[i]}", ()
        if i is not None:
            table = self.seventh_characters(key)
            if self.needs_seventh(i):
                stem = key.replace(".", "")
                hint = [normalize(stem.ljust(6, "X") + ch) for ch in table][:3]
                pad = " after placeholder X's" if len(stem) < 6 else ""
                return (
                    "missing 7th character",
                    f"{key} needs a 7th character{pad} "
                    f"({', '.join(f'{c} {t}' for c, t in list(table.items())[:3])}...).",
                    tuple(h for h in hint if h in self.index),
                )
            examples = [k.code for k in self.descendants(key) if k.billable][:3]
            return (
                "header not billable",
                f"{key} ({self.descriptions[i]}) is a {self.level_of(i)} header; "
                "code to the highest specificity below it.",
                tuple(examples),
            )
        padded = self._placeholder_fix(key)
        if padded:
            return (
                "missing placeholder X",
                f"{key} lacks the placeholder X that keeps the 7th character in position 7; "
                f"did you mean {padded}?",
                (padded,),
            )
        return "unknown", f"{key} is not an ICD-10-CM code in FY{self.year}.", ()

    def _placeholder_fix(self, key: str) -> str:
        raw = key.replace(".", "")
        if not 4 <= len(raw) <= 6 or not raw[-1].isalpha():
            return ""
        fixed = normalize(raw[:-1].ljust(6, "X") + raw[-1])
        return fixed if self.is_billable(fixed) else ""


def load(year: int = 2026) -> CodeSet:
    """Load one fiscal year of ICD-10-CM (cached per process): a year the lab ships, else one
    imported into the user's data folder (``medbill-lab codes import-release``).

    Raises CodeSetError for a year neither shipped nor installed, naming the command that adds it.
    """
    if year in YEARS:
        return _load_shipped(year)
    path = artifact_path(year)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        raise CodeSetError(releases.missing_year_message("icd10cm", year)) from None
    return _load_installed(path, stamp)


@cache
def _load_shipped(year: int) -> CodeSet:
    return CodeSet(json.loads(artifact_path(year).read_bytes()))


def artifact_path(year: int) -> Path:
    """The file a year loads from: ``datasets/icd10cm`` for a shipped year, else the user's
    data folder (it exists once the year is imported)."""
    if year in YEARS:
        return datasets_dir() / "icd10cm" / f"fy{year}.json"
    return releases.installed_path("icd10cm", year)


@cache
def _load_installed(path: Path, stamp: int) -> CodeSet:
    """An imported year, cached by file and modification time (a re-import is read anew)."""
    try:
        return CodeSet(json.loads(path.read_bytes()))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CodeSetError(
            f"the imported ICD-10-CM file {path} cannot be read ({type(exc).__name__}); "
            "import the release again with: medbill-lab codes import-release ZIP --year YYYY"
        ) from None


def years() -> tuple[int, ...]:
    """Every fiscal year available: those the lab ships and those imported.

    >>> set(YEARS) <= set(years())
    True
    """
    return tuple(sorted({*YEARS, *releases.installed_years("icd10cm")}))


def available(year: int) -> bool:
    """Is this fiscal year's code set here (shipped or imported)?  Cheap for shipped years.

    >>> available(2026), available(1999)
    (True, False)
    """
    return year in YEARS or artifact_path(year).is_file()


def not_installed(year: int, date_of_service: dt.date | str = "") -> str:
    """The one line that says a year is missing and how to add it.

    >>> not_installed(1999, "1998-10-01").split(";")[0]
    'date of service 1998-10-01 is in FY1999: no ICD-10-CM code set for FY1999 is installed (the lab ships FY2025-FY2026)'
    """
    day = _as_date(date_of_service).isoformat() if date_of_service else ""
    return releases.missing_year_message("icd10cm", year, day)


def year_for(date_of_service: dt.date | str) -> tuple[int, str]:
    """The code-set year that applies to a date of service, and why.

    Raises CodeSetError when that year is neither shipped nor imported: the message names
    the command that adds it (a date from 2026-10-01 on is FY2027).

    >>> year_for("2026-03-02")[0]
    2026
    """
    day = _as_date(date_of_service)
    fy = fiscal_year(day)
    why = (
        f"{day.isoformat()} falls in FY{fy} (Oct 1, {fy - 1} to Sep 30, {fy}); "
        "ICD-10-CM has no grace period, so the code must be valid on the date of service."
    )
    if not available(fy):
        # Never validate against another year: FY2027 codes differ from FY2026's.
        raise CodeSetError(not_installed(fy, day))
    return fy, why


def validate(code: str, date_of_service: dt.date | str) -> Validation:
    """Is ``code`` billable on ``date_of_service``?  Says which year applies and why not.

    >>> validate("E11.9", "2025-11-15").valid
    True
    >>> validate("E11", "2025-11-15").reason
    'header not billable'
    """
    if not isinstance(code, str) or not code.strip():
        raise CodeSetError(
            "the code is empty" if isinstance(code, str) else f"a code is text, not {code!r}"
        )
    fy, why = year_for(date_of_service)
    codeset = load(fy)
    reason, detail, hints = codeset.check(code)
    key = normalize(code)
    if reason not in ("header not billable", "unknown"):
        return Validation(key, not reason, fy, why, reason, detail, hints)
    # Other years (shipped or imported) say whether the code was deleted, expanded or is new.
    other = [y for y in years() if y != fy and load(y).is_billable(key)]
    earlier = [y for y in other if y < fy]
    if reason == "header not billable" and earlier:
        detail += f" (It was billable in FY{earlier[-1]}; the FY{fy} update expanded it.)"
    elif reason == "unknown" and earlier:
        reason = "deleted that year"
        detail = f"{key} was billable in FY{earlier[-1]} but was deleted for FY{fy}."
    elif reason == "unknown" and other:
        reason = "not yet valid"
        detail = f"{key} is not valid in FY{fy}; it was added in FY{other[0]}."
    return Validation(key, not reason, fy, why, reason, detail, hints)


def _billable_map(codeset: CodeSet) -> dict[str, str]:
    return {
        c: d
        for c, d, b in zip(codeset.codes, codeset.descriptions, codeset._billable, strict=True)
        if b != "0"
    }


def changes(from_year: int = 2025, to_year: int = 2026) -> dict[str, list[dict]]:
    """Annual changes between two fiscal years, computed from the data.

    Returns lists under 'added', 'deleted', 'revised' (same billable code, new
    description) and 'now_header' (a billable code that became a header).
    """
    old, new = load(from_year), load(to_year)
    before, after = _billable_map(old), _billable_map(new)
    added = [{"code": c, "description": d} for c, d in after.items() if c not in before]
    deleted = [
        {"code": c, "description": d}
        for c, d in before.items()
        if c not in after and c not in new.index
    ]
    revised = [
        {"code": c, "old": before[c], "new": d}
        for c, d in after.items()
        if c in before and before[c] != d
    ]
    now_header = [
        {"code": c, "description": new.descriptions[new.index[c]]}
        for c in before
        if c not in after and c in new.index
    ]
    return {"added": added, "deleted": deleted, "revised": revised, "now_header": now_header}
