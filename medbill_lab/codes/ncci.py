"""NCCI and the other code-pair and patient edits: one loader for each table, read once.

The tables live in ``datasets/`` with their provenance (see the README beside each):

* :func:`ptp_table`: the NCCI procedure-to-procedure (PTP) practitioner edits, a
  teaching subset (``datasets/ncci/ptp_teaching.csv``);
* :func:`mue_table`: the medically unlikely edits (MUE) with their adjudication
  indicators (``datasets/ncci/mue_teaching.csv``);
* :func:`age_sex_rules`: diagnosis codes that need a patient of a given sex or
  age, modelled on the CMS Medicare Code Editor (``datasets/edits/age_sex.csv``).

Every loader is cached: the scrubber, the teaching payer and the fraud lab share
one copy.  The modifiers that may bypass an indicator-1 PTP edit are the NCCI
Policy Manual's list of NCCI-associated modifiers (chapter I, section E):
:data:`BYPASS_MODIFIERS` and :data:`ANATOMIC_MODIFIERS`, read by
:func:`bypass_modifier`.

>>> row = ptp_table()["17000", "11102"][0]
>>> row.modifier_indicator, bypass_modifier(("XS",)), bypass_modifier(("GP",))
('1', 'XS', '')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from medbill_lab.datasets import read_csv

PTP_SOURCE = "NCCI PTP practitioner edits, teaching table 2026Q1 (datasets/ncci/ptp_teaching.csv)"
MUE_SOURCE = "CMS MUE practitioner table, teaching subset 2026Q1 (datasets/ncci/mue_teaching.csv)"
AGE_SEX_SOURCE = (
    "Teaching table datasets/edits/age_sex.csv, modelled on the CMS Medicare Code Editor "
    "(MCE) age and sex conflict edits"
)
BYPASS_SOURCE = (
    "NCCI Policy Manual for Medicare Services, ch. I, section E (NCCI-associated modifiers)"
)

# -- the modifiers (NCCI Policy Manual ch. I §E) -------------------------------------------
#: Modifier 59 and its more specific subsets XE (separate encounter), XS (separate
#: structure), XP (separate practitioner), XU (unusual non-overlapping service): the
#: "distinct procedural service" family.  The fraud lab's modifier-59 overuse rule
#: counts these (a 25 or an RT is not a claim of a distinct service).
DISTINCT_SERVICE_MODIFIERS = frozenset({"59", "XE", "XS", "XP", "XU"})
#: The global surgery modifiers the manual lists (24, 25, 57, 58, 78, 79), 27 (multiple
#: outpatient hospital E/M encounters) and 91 (repeat clinical laboratory test).
OTHER_BYPASS_MODIFIERS = frozenset({"24", "25", "27", "57", "58", "78", "79", "91"})
#: Every non-anatomic NCCI-associated modifier: one on the column-2 code bypasses an
#: indicator-1 edit when the clinical circumstances justify it.
BYPASS_MODIFIERS = DISTINCT_SERVICE_MODIFIERS | OTHER_BYPASS_MODIFIERS
#: The anatomic NCCI-associated modifiers: eyelids, fingers, toes, sides, coronary arteries.
#: One bypasses only when it names a different site from the column-1 code's.
ANATOMIC_MODIFIERS = frozenset(
    {"LT", "RT", "E1", "E2", "E3", "E4", "FA", "TA", "LC", "LD", "LM", "RC", "RI"}
    | {f"F{i}" for i in range(1, 10)}
    | {f"T{i}" for i in range(1, 10)}
)


def bypass_modifier(column2_mods: tuple[str, ...], column1_mods: tuple[str, ...] = ()) -> str:
    """The NCCI-associated modifier on a column-2 line that bypasses an indicator-1 edit ('' if none).

    An anatomic modifier bypasses only when it differs from the column-1 line's
    (RT with RT is the same site).

    >>> bypass_modifier(("XS",)), bypass_modifier(("RT",), ("RT",)), bypass_modifier(("LT",), ("RT",))
    ('XS', '', 'LT')
    """
    for m in column2_mods:
        if m in BYPASS_MODIFIERS or (m in ANATOMIC_MODIFIERS and m not in column1_mods):
            return m
    return ""


# -- the rows -----------------------------------------------------------------------------
@dataclass(frozen=True)
class PtpEdit:
    """One row of the NCCI procedure-to-procedure teaching table."""

    column1: str
    column2: str
    modifier_indicator: str  # "0" never together, "1" bypass modifier allowed, "9" deleted
    effective: dt.date
    deleted: dt.date | None
    rationale: str

    def active_on(self, day: dt.date) -> bool:
        """Does this edit apply to a date of service (indicator 9 never applies)?

        >>> PtpEdit("a", "b", "1", dt.date(2020, 1, 1), None, "").active_on(dt.date(2026, 1, 2))
        True
        >>> PtpEdit("a", "b", "1", dt.date(2020, 1, 1), dt.date(2026, 1, 1), "").active_on(dt.date(2026, 1, 2))
        False
        """
        if self.modifier_indicator == "9" or day < self.effective:
            return False
        return self.deleted is None or day < self.deleted


@dataclass(frozen=True)
class Mue:
    """A medically unlikely edit: the most units of a code per line (MAI 1) or per day (2, 3)."""

    code: str
    mue: int
    mai: int
    rationale: str


@dataclass(frozen=True)
class AgeSexRule:
    """A code range with the patient sex and age it needs."""

    first: str  # undotted, compared by prefix
    last: str
    sex: str  # "M", "F" or "" for either
    min_age: int | None
    max_age: int | None
    category: str
    rationale: str
    source: str = ""  # where this row's range and ages come from

    def covers(self, raw: str) -> bool:
        """Is an undotted code in this rule's range?

        >>> AgeSexRule("O00", "O9A", "F", 9, 64, "maternity", "").covers("O24410")
        True
        """
        return raw[: len(self.first)] >= self.first and raw[: len(self.last)] <= self.last


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text.strip() else None


def _int(text: str) -> int | None:
    return int(text) if text.strip() else None


# -- the loaders (each read once) -----------------------------------------------------------
@cache
def ptp_table() -> dict[tuple[str, str], tuple[PtpEdit, ...]]:
    """The NCCI PTP teaching table, keyed by (column 1, column 2); a pair may have several rows
    (an edit deleted and later added again)."""
    table: dict[tuple[str, str], tuple[PtpEdit, ...]] = {}
    for r in read_csv("ncci/ptp_teaching.csv"):
        row = PtpEdit(
            r["column1"],
            r["column2"],
            r["modifier_indicator"],
            dt.date.fromisoformat(r["effective"]),
            _date(r["deleted"]),
            r["rationale"],
        )
        table[row.column1, row.column2] = (*table.get((row.column1, row.column2), ()), row)
    return table


@cache
def mue_table() -> dict[str, Mue]:
    """The MUE teaching table, keyed by code."""
    return {
        r["code"]: Mue(r["code"], int(r["mue"]), int(r["mai"]), r["rationale"])
        for r in read_csv("ncci/mue_teaching.csv")
    }


@cache
def age_sex_rules() -> tuple[AgeSexRule, ...]:
    """The age and sex teaching rules (datasets/edits/age_sex.csv)."""
    return tuple(
        AgeSexRule(
            r["first"].replace(".", ""),
            r["last"].replace(".", ""),
            r["sex"].strip().upper(),
            _int(r["min_age"]),
            _int(r["max_age"]),
            r["category"],
            r["rationale"],
            r.get("source", ""),
        )
        for r in read_csv("edits/age_sex.csv")
    )


@cache
def age_sex_rules_for(raw: str) -> tuple[AgeSexRule, ...]:
    """The age and sex rules whose range covers an undotted ICD-10-CM code.

    >>> [r.category for r in age_sex_rules_for("O24410")][:1]
    ['maternity']
    """
    return tuple(rule for rule in age_sex_rules() if rule.covers(raw))
