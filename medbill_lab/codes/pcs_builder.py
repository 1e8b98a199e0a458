"""The table-driven ICD-10-PCS code builder: one character at a time, only what the tables allow.

A coder builds a PCS code the way the printed tables are read: section, body system and
root operation pick a table; then body part, approach, device and qualifier are read across
one row of it.  ``choices(prefix)`` offers exactly the values that some FY2026 row allows
after the characters chosen so far (rows matter: in table 0DT, body part J allows approaches
0, 4, 7 and 8 but not 3), ``complete(prefix)`` gives the code and title once all seven are
chosen, and a value not offered is refused with the axis named.

>>> [c.value for c in choices("0DTJ")]
['0', '4', '7', '8']
>>> complete("0FT44ZZ").title
'Resection of Gallbladder, Percutaneous Endoscopic Approach'
"""

from __future__ import annotations

from dataclasses import dataclass

from medbill_lab.codes import icd10pcs
from medbill_lab.codes.icd10pcs import PcsCodeError

#: the names of the first three axes, before a table is chosen (tables name them from there)
FIRST_AXES = ("Section", "Body System")


@dataclass(frozen=True)
class Choice:
    """One value the next axis may take: the character, its label and, for root operations
    and approaches, the official definition."""

    value: str
    label: str
    definition: str = ""


def check(prefix: str, year: int = 2026) -> str:
    """The prefix normalized ('0ft4' -> '0FT4'); PcsCodeError naming the axis when no valid
    code starts with it (or it is longer than a code)."""
    norm = icd10pcs.normalize(prefix)
    if len(norm) > 7:
        raise PcsCodeError(f"a code has 7 characters; {norm!r} has {len(norm)}")
    reason = icd10pcs.prefix_reason(norm, icd10pcs.load(year))
    if reason:
        raise PcsCodeError(f"{norm!r} cannot start an ICD-10-PCS code: {reason}")
    return norm


def axis_name(prefix: str, year: int = 2026) -> str:
    """The name of the axis the next character fills ('' once the code is complete)."""
    norm = check(prefix, year)
    if len(norm) >= 7:
        return ""
    if len(norm) < 2:
        return FIRST_AXES[len(norm)]
    tables = icd10pcs.load(year).tables
    key = norm[:3] if len(norm) >= 3 else next(k for k in tables if k.startswith(norm))
    return tables[key]["titles"][len(norm)]


def choices(prefix: str = "", year: int = 2026) -> list[Choice]:
    """The values the next axis may take after ``prefix``, in table order, each with its
    label (and definition when the definitions file gives one); [] when complete."""
    norm = check(prefix, year)
    pcs = icd10pcs.load(year)
    defs = pcs.definitions.get(norm[:1], {}).get(str(len(norm) + 1), {})
    labels = offered(norm, pcs)
    return [Choice(v, label, defs.get(label, "")) for v, label in labels.items()]


def offered(norm: str, pcs: icd10pcs.PcsSet) -> dict[str, str]:
    """``{value: label}`` for the next axis after a normalized prefix already checked (see
    ``check``), in table order: the unchecked step that search and ``count`` repeat."""
    pos = len(norm)
    labels: dict[str, str] = {}
    if pos == 7:
        return labels
    if pos < 3:
        for key, table in pcs.tables.items():
            if key.startswith(norm):
                labels.setdefault(key[pos], table["labels"][pos])
    else:
        for row in pcs.tables[norm[:3]]["rows"]:
            if all(norm[i] in row[i - 3] for i in range(3, pos)):
                for value, label in row[pos - 3].items():
                    labels.setdefault(value, label)
    return {v: labels[v] for v in sorted(labels, key=_order)}


def _order(value: str) -> tuple[int, str]:
    """Digits before letters, as the printed tables list values."""
    return (not value.isdigit(), value)


def complete(prefix: str, year: int = 2026) -> icd10pcs.PcsCode | None:
    """The code with its title and axes once seven valid characters are chosen, else None."""
    norm = check(prefix, year)
    return icd10pcs.lookup(norm, year) if len(norm) == 7 else None


def count(prefix: str = "", year: int = 2026) -> int:
    """How many complete codes the builder can reach from ``prefix``.

    The walk offers what ``choices`` offers, down to the device, and counts the qualifiers
    offered there, so the whole code set costs about 40,000 steps, not 79,115.
    """
    pcs = icd10pcs.load(year)

    def walk(norm: str) -> int:
        values = offered(norm, pcs)
        if len(norm) >= 6:
            return len(values) if len(norm) == 6 else 1
        return sum(walk(norm + value) for value in values)

    return walk(check(prefix, year))
