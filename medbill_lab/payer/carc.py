"""The 835's code lists: CARC, RARC, claim status (CLP02) and group codes (CAS01).

Each list is one table in ``datasets/remit/`` (provenance in its README), read once
here for every user: the 835 reader and explainer, ERA posting and its work queue,
the denial tools and the KPIs.  The CARC and RARC tables hold *every* code of the X12
lists as of ``LIST_DATE`` with its status (valid or retired, and the stop date where
known); our own text (``plain_language``) exists for the teaching subset, and a code
without it is "not yet explained", never "unknown".  A *denial* CARC (column ``denial``)
refuses a service, as opposed to reducing it (deductible 1, coinsurance 2, the
contractual 45 ...); each denial CARC has a ``fix``: what the biller does next.

>>> carcs()["45"].denial, carcs()["97"].denial
(False, True)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import cache
from typing import NamedTuple

from medbill_lab.datasets import read_csv

CARC_CSV = "remit/carc.csv"
RARC_CSV = "remit/rarc.csv"
CLAIM_STATUS_CSV = "remit/claim_status.csv"
GROUP_CODES_CSV = "remit/group_codes.csv"
PLB_REASONS_CSV = "remit/plb_reasons.csv"
STATUSES = ("valid", "retired")
# The date the authors of our source copy retrieved the x12.org lists (datasets/remit/README.md):
# a code missing from the tables may have been added to the X12 list after it.
LIST_DATE = "2026-08-17"
# The shapes of the two code sets: a CARC is 1-3 digits or a letter and 1-2 digits
# (A1, B15, P12); a RARC is M, N or MA and 1-3 digits (M15, N130, MA130).
CARC_SHAPE = re.compile(r"\d{1,3}|[A-Z]\d{1,2}")
RARC_SHAPE = re.compile(r"(?:MA|M|N)\d{1,3}")
NOT_LISTED = f"not in the X12 list as of {LIST_DATE} (a newer code, or a typo); check x12.org/codes"
NOT_EXPLAINED = "not yet explained"
# What a listed code without our text says (the official wording is X12's; we do not copy it).
UNEXPLAINED = f"{NOT_EXPLAINED} (a code of the X12 list; its official text is at x12.org/codes)"
NO_CARC_FIX = (
    "No reason code: find the claim or line (patient account, payer, code, modifiers, "
    "date of service) and post it by hand, or ask the payer."
)
DEFAULT_FIX = "Read the CARC and RARC, correct the claim and resubmit, or appeal."


class Carc(NamedTuple):
    """One row of ``carc.csv``."""

    code: str
    plain_language: str  # our own explanation for learners ("" where not yet written)
    denial: bool  # the code denies the service rather than reducing it
    fix: str  # what to do about it ("" for a code that is not a denial)
    status: str = "valid"  # or "retired" (deactivated in the X12 list)
    stop_date: str = ""  # ISO date a retired code stopped, where known

    @property
    def meaning(self) -> str:
        """The plain-language text, else "not yet explained"."""
        return self.plain_language or UNEXPLAINED


class Rarc(NamedTuple):
    """One row of ``rarc.csv``."""

    code: str
    plain_language: str  # our own explanation for learners ("" where not yet written)
    status: str = "valid"  # or "retired"
    stop_date: str = ""  # ISO date a retired code stopped, where known


class GroupCode(NamedTuple):
    """One row of ``group_codes.csv``: a CAS01 claim adjustment group code."""

    code: str
    status: str  # "valid" in 005010, or "retired"
    meaning: str  # who bears the adjustment, in plain words


def _status(value: str, table: str, code: str) -> str:
    if value not in STATUSES:
        raise ValueError(f"{table}: code {code}: status must be valid or retired, not {value!r}")
    return value


def _flag(value: str, code: str) -> bool:
    if value not in ("yes", "no"):
        raise ValueError(f"{CARC_CSV}: CARC {code}: denial must be yes or no, not {value!r}")
    return value == "yes"


def _stop_date(row: dict[str, str], table: str) -> str:
    """The row's stop date: empty, or an ISO date on a retired code."""
    value, code = row.get("stop_date", ""), row["code"]
    if not value:
        return ""
    if row["status"] != "retired":
        raise ValueError(f"{table}: code {code}: a stop date ({value}) needs status retired")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"{table}: code {code}: stop date must be YYYY-MM-DD, not {value!r}"
        ) from None
    return value


def _checked(
    rows: Iterable[dict[str, str]], table: str, shape: re.Pattern[str]
) -> list[dict[str, str]]:
    """The rows, refusing a code that is not shaped like one or is listed twice."""
    seen: set[str] = set()
    out = []
    for row in rows:
        code = row["code"]
        if not shape.fullmatch(code):
            raise ValueError(f"{table}: {code!r} is not shaped like a code of this list")
        if code in seen:
            raise ValueError(f"{table}: code {code} is listed twice")
        seen.add(code)
        out.append(row)
    return out


@cache
def carcs() -> dict[str, Carc]:
    """Every CARC of the X12 list as of ``LIST_DATE``, by code (read once).

    >>> carcs()["2"].meaning
    "The patient's percentage share of the allowed amount; bill the patient."
    >>> carcs()["D1"].status, carcs()["D1"].stop_date
    ('retired', '2003-10-16')
    """
    return {
        r["code"]: Carc(
            r["code"],
            r["plain_language"],
            _flag(r["denial"], r["code"]),
            r["fix"],
            _status(r["status"], CARC_CSV, r["code"]),
            _stop_date(r, CARC_CSV),
        )
        for r in _checked(read_csv(CARC_CSV), CARC_CSV, CARC_SHAPE)
    }


@cache
def rarcs() -> dict[str, Rarc]:
    """Every remittance advice remark code (RARC) of the X12 list as of ``LIST_DATE``, by code.

    >>> rarcs()["M15"].plain_language.startswith("Bundled")
    True
    """
    return {
        r["code"]: Rarc(
            r["code"],
            r["plain_language"],
            _status(r["status"], RARC_CSV, r["code"]),
            _stop_date(r, RARC_CSV),
        )
        for r in _checked(read_csv(RARC_CSV), RARC_CSV, RARC_SHAPE)
    }


@cache
def claim_statuses() -> dict[str, str]:
    """Every 005010 claim status code (835 CLP02) with its meaning.

    >>> claim_statuses()["22"]
    'reversal of previous payment'
    """
    return {r["code"]: r["meaning"] for r in read_csv(CLAIM_STATUS_CSV)}


@cache
def group_codes() -> dict[str, GroupCode]:
    """Every claim adjustment group code (CAS01), the retired CR included.

    >>> [g.code for g in group_codes().values() if g.status == "valid"]
    ['CO', 'PR', 'OA', 'PI']
    """
    return {
        r["code"]: GroupCode(
            r["code"], _status(r["status"], GROUP_CODES_CSV, r["code"]), r["meaning"]
        )
        for r in read_csv(GROUP_CODES_CSV)
    }


@cache
def plb_reasons() -> dict[str, str]:
    """Every 005010 provider adjustment reason code (835 PLB03-1) with its meaning.

    >>> plb_reasons()["WO"].startswith("an overpayment recovery")
    True
    """
    return {r["code"]: r["meaning"] for r in read_csv(PLB_REASONS_CSV)}


def plb_reason_text(code: str) -> str:
    """The meaning of a PLB adjustment reason code, or that it is not one.

    >>> plb_reason_text("L6").startswith("interest owed")
    True
    >>> plb_reason_text("ZZ")
    "unknown provider adjustment reason 'ZZ' (not a PLB03-1 code of 005010X221A1)"
    """
    found = plb_reasons().get(code)
    if found is not None:
        return found
    return f"unknown provider adjustment reason {code!r} (not a PLB03-1 code of 005010X221A1)"


def _code_text(row: Carc | Rarc) -> str:
    """A listed code's text; a retired code says so first, with its stop date where known."""
    text = row.plain_language or UNEXPLAINED
    if row.status != "retired":
        return text
    return (
        f"retired code (stop date {row.stop_date}): {text}"
        if row.stop_date
        else f"retired code: {text}"
    )


def carc_text(code: str) -> str:
    """What a CARC means for a learner: explained, not yet explained, retired, unlisted or unknown.

    >>> carc_text("2")
    "The patient's percentage share of the allowed amount; bill the patient."
    >>> carc_text("15").startswith("retired code: ")
    True
    >>> carc_text("250")
    'not yet explained (a code of the X12 list; its official text is at x12.org/codes)'
    >>> carc_text("W1").startswith("retired code (stop date 2014-07-01): not yet explained")
    True
    >>> carc_text("309")
    'not in the X12 list as of 2026-08-17 (a newer code, or a typo); check x12.org/codes'
    >>> carc_text("ZZ9")
    "unknown code: 'ZZ9' is not a CARC (1 to 3 digits, or a letter and 1 or 2 digits such as B15)"
    """
    row = carcs().get(code)
    if row is not None:
        return _code_text(row)
    if CARC_SHAPE.fullmatch(code):
        return NOT_LISTED
    return (
        f"unknown code: {code!r} is not a CARC "
        "(1 to 3 digits, or a letter and 1 or 2 digits such as B15)"
    )


def rarc_text(code: str) -> str:
    """What a remark code (RARC) means for a learner: explained, not yet explained, retired,
    unlisted or unknown.

    >>> rarc_text("N999")
    'not in the X12 list as of 2026-08-17 (a newer code, or a typo); check x12.org/codes'
    >>> rarc_text("45")
    "unknown code: '45' is not a RARC (M, N or MA and 1 to 3 digits, such as N130)"
    """
    row = rarcs().get(code)
    if row is not None:
        return _code_text(row)
    if RARC_SHAPE.fullmatch(code):
        return NOT_LISTED
    return f"unknown code: {code!r} is not a RARC (M, N or MA and 1 to 3 digits, such as N130)"


def claim_status_text(code: str) -> str:
    """The meaning of a CLP02 claim status code, or why it is not one.

    >>> claim_status_text("4")
    'denied'
    >>> claim_status_text("5")
    "unknown claim status code '5' (CLP02 is 1, 2, 3, 4, 19, 20, 21, 22, 23 or 25)"
    """
    statuses = claim_statuses()
    if code in statuses:
        return statuses[code]
    listed = list(statuses)
    return f"unknown claim status code {code!r} (CLP02 is {', '.join(listed[:-1])} or {listed[-1]})"


@cache
def denial_carcs() -> frozenset[str]:
    """The CARCs that deny a service (``denial`` is ``yes``).

    >>> "50" in denial_carcs(), "45" in denial_carcs()
    (True, False)
    """
    return frozenset(code for code, row in carcs().items() if row.denial)


def suggested_fix(carc: str) -> str:
    """What to do about a CARC on a work item ("" is a line posted with no reason code).

    >>> suggested_fix("97").startswith("Bundled")
    True
    >>> suggested_fix("ZZ9") == DEFAULT_FIX
    True
    """
    if not carc:
        return NO_CARC_FIX
    row = carcs().get(carc)
    return row.fix if row is not None and row.fix else DEFAULT_FIX
