"""Claim adjustment reason codes (CARC): what each means, whether it denies, what to do.

One table, ``datasets/remit/carc.csv`` (provenance in its README), read once here
for every user: the 835 explainer, ERA posting and its work queue, the denial
tools and the KPIs.  A *denial* CARC (column ``denial``) refuses a service, as
opposed to reducing it (deductible 1, coinsurance 2, the contractual 45 ...);
each denial CARC has a ``fix``: what the biller does next.

>>> carcs()["45"].denial, carcs()["97"].denial
(False, True)
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from medbill_lab.datasets import read_csv

CARC_CSV = "remit/carc.csv"
NO_CARC_FIX = (
    "No reason code: find the claim or line (patient account, payer, code, modifiers, "
    "date of service) and post it by hand, or ask the payer."
)
DEFAULT_FIX = "Read the CARC and RARC, correct the claim and resubmit, or appeal."


class Carc(NamedTuple):
    """One row of ``carc.csv``."""

    code: str
    description: str  # the official short text (check it at x12.org/codes)
    plain_language: str  # our own explanation for learners
    denial: bool  # the code denies the service rather than reducing it
    fix: str  # what to do about it ("" for a code that is not a denial)

    @property
    def meaning(self) -> str:
        """The plain-language text, else the official description."""
        return self.plain_language or self.description


def _flag(value: str, code: str) -> bool:
    if value not in ("yes", "no"):
        raise ValueError(f"{CARC_CSV}: CARC {code}: denial must be yes or no, not {value!r}")
    return value == "yes"


@cache
def carcs() -> dict[str, Carc]:
    """Every CARC in the teaching table, by code (read once).

    >>> carcs()["2"].meaning
    "The patient's percentage share of the allowed amount; bill the patient."
    """
    return {
        r["code"]: Carc(
            r["code"],
            r["description"],
            r["plain_language"],
            _flag(r["denial"], r["code"]),
            r["fix"],
        )
        for r in read_csv(CARC_CSV)
    }


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
