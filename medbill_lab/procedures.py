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
