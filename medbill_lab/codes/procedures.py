"""Procedure and claim-support code sets for teaching: CPT, HCPCS Level II,
modifiers and place of service.

CPT code numbers are real; their descriptions are MedBill Lab's own words (the
AMA's CPT descriptors are copyrighted).  HCPCS Level II and place-of-service
descriptors are public CMS text.  Each file's provenance is in its folder's
README under ``datasets/``.

>>> cpt()["99213"].system
'cpt'
>>> place_of_service()["11"].name
'Office'
>>> global_period("20610").days, global_period("27447").major
('000', True)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from medbill_lab.datasets import read_csv


@dataclass(frozen=True)
class Procedure:
    """A CPT or HCPCS Level II code with its teaching description."""

    code: str
    description: str
    system: str  # "cpt" or "hcpcs"
    group: str  # CPT category or HCPCS section


@dataclass(frozen=True)
class Modifier:
    """A CPT (Level I) or HCPCS (Level II) modifier."""

    modifier: str
    kind: str
    description: str
    applies_to: str


@dataclass(frozen=True)
class GlobalPeriod:
    """A code's global surgery period and bilateral indicator (MPFS "GLOB DAYS", "BILAT SURG").

    ``days`` is "000" or "010" (minor procedure), "090" (major procedure), "MMM"
    (maternity package), "XXX" (the global concept does not apply), "YYY" (set by
    the payer) or "ZZZ" (an add-on code inside another service's global period).
    ``bilateral`` is the MPFS bilateral surgery indicator ("1": both sides are one
    line with modifier 50 and 1 unit), or "" when the lab's table does not record it.
    """

    code: str
    days: str
    bilateral: str

    @property
    def minor(self) -> bool:
        """A 0- or 10-day global: the decision to operate and the usual check are included."""
        return self.days in ("000", "010")

    @property
    def major(self) -> bool:
        """A 90-day global: the day before, the day of and 90 days after are included."""
        return self.days == "090"


@dataclass(frozen=True)
class PlaceOfService:
    """A CMS place-of-service code."""

    code: str
    name: str
    description: str


@cache
def cpt() -> dict[str, Procedure]:
    """The CPT teaching set, keyed by code."""
    return {
        r["code"]: Procedure(r["code"], r["description"], "cpt", r["category"])
        for r in read_csv("cpt/cpt_teaching.csv")
    }


@cache
def hcpcs() -> dict[str, Procedure]:
    """The HCPCS Level II teaching set, keyed by code."""
    return {
        r["code"]: Procedure(r["code"], r["description"], "hcpcs", r["section"])
        for r in read_csv("hcpcs/hcpcs_level2.csv")
    }


@cache
def modifiers() -> dict[str, Modifier]:
    """Modifiers, keyed by the two-character modifier."""
    return {
        r["modifier"]: Modifier(r["modifier"], r["kind"], r["description"], r["applies_to"])
        for r in read_csv("modifiers/modifiers.csv")
    }


@cache
def place_of_service() -> dict[str, PlaceOfService]:
    """CMS place-of-service codes, keyed by the two-digit code."""
    return {
        r["code"]: PlaceOfService(r["code"], r["name"], r["description"])
        for r in read_csv("pos/place_of_service.csv")
    }


def procedure(code: str) -> Procedure | None:
    """A CPT or HCPCS code from the teaching sets (any case), or None."""
    key = code.strip().upper()
    return cpt().get(key) or hcpcs().get(key)


@cache
def global_periods() -> dict[str, GlobalPeriod]:
    """Global surgery periods of the lab's CPT/HCPCS codes (datasets/cpt/global_periods.csv)."""
    return {
        r["code"]: GlobalPeriod(r["code"], r["global_days"], r["bilateral"])
        for r in read_csv("cpt/global_periods.csv")
    }


def global_period(code: str) -> GlobalPeriod | None:
    """The global period of a code (any case), or None when the table has no row for it."""
    return global_periods().get(code.strip().upper())
