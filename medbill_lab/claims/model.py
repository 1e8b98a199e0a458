"""The professional claim: CMS-1500 (02/12) items 1-33, as one data model that
the scrubber, the 837P writer, the PDF form and the apps all share.

Each field names the CMS-1500 item it fills, so every error can name the item
("Item 24E line 2: pointer C refers to no diagnosis").  Money is ``Decimal``.
Loading, saving, the JSON Schema and validation live below the model.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import random
import re
import tempfile
from dataclasses import dataclass, field, fields, is_dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from medbill_lab.claims.items import items_named
from medbill_lab.claims.schema_parts import (
    DATE_PATTERN,
    MONEY_PATTERN,
    TYPE_WORDS,
    JsonPath,
    SchemaParts,
    as_decimal,
    draft_validator,
    node_at,
    order_key,
    shown,
    value_at,
)

PROGRAMS = ("medicare", "medicaid", "tricare", "champva", "group", "feca", "other")  # item 1
RELATIONSHIPS = ("self", "spouse", "child", "other")  # item 6
SEXES = ("M", "F", "U")
MAX_DIAGNOSES = 12  # item 21 A-L
MAX_PAPER_LINES = 6  # item 24 on paper
MAX_LINES = 50  # loop 2400 in the 837P
MAX_MODIFIERS = 4  # item 24D
MAX_POINTERS = 4  # item 24E
MAX_ATTESTED_PAIRS = MAX_DIAGNOSES * (MAX_DIAGNOSES - 1) // 2  # every pair of item 21
# Field lengths of the 837P (X12 005010X222A1 data element dictionary), so that
# what loads is what the 837P writer sends, never silently cut.
MAX_LAST_NAME = 60  # NM103 (element 1035)
MAX_FIRST_NAME = 35  # NM104 (element 1036)
MAX_MIDDLE_NAME = 25  # NM105 (element 1037)
MAX_STREET = 55  # N301 (element 166)
MAX_CITY = 30  # N401 (element 19)
MAX_ORG_NAME = 60  # NM103 (element 1035)
MAX_MEMBER_ID = 80  # NM109 (element 67)
MAX_CLAIM_ID = 38  # CLM01 (element 1028)
MAX_REFERENCE = 50  # REF02 / SBR03 (element 127)
MAX_PLAN_NAME = 60  # SBR04 (element 93)
MAX_NOTE = 80  # NTE02 (element 352)
MAX_PHONE = 20  # 10 digits, with punctuation
POINTER_LETTERS = "ABCDEFGHIJKL"


class ClaimError(ValueError):
    """A claim that cannot be used, with every problem naming its CMS-1500 item."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems) if self.problems else "invalid claim")


@dataclass
class Address:
    """Street address (items 5, 7, 32, 33)."""

    street: str
    city: str
    state: str  # two-letter USPS code
    zip: str  # 5 or 9 digits
    phone: str = ""


@dataclass
class Person:
    """A patient (items 2, 3, 5) or an insured (items 4, 7, 11a)."""

    last: str
    first: str
    middle: str = ""
    dob: dt.date | None = None
    sex: str = "U"  # M, F or U
    address: Address | None = None


@dataclass
class Payer:
    """The carrier the claim goes to (the header of the form; 837P loop 2010BB)."""

    name: str
    payer_id: str  # the payer's electronic ID
    filing_indicator: str = (
        "CI"  # 837P SBR09: MB Medicare Part B, MC Medicaid, CI commercial, BL BCBS...
    )
    timely_filing_days: int = 365  # days from the date of service
    address: Address | None = None
    # A payer rule stricter than guideline I.A.12.a: deny every Excludes1 pair,
    # even conditions the record shows to be unrelated.
    excludes1_strict: bool = False


@dataclass
class Provider:
    """A person who referred (item 17/17b) or rendered (item 24J) care."""

    last: str
    first: str = ""
    npi: str = ""
    qualifier: str = "DN"  # item 17 qualifier: DN referring, DK ordering, DQ supervising


@dataclass
class Organization:
    """The billing provider (item 33/33a) or service facility (item 32/32a)."""

    name: str
    npi: str
    address: Address
    taxonomy: str = ""  # 837P PRV segment, optional


@dataclass
class OtherInsurance:
    """Items 9, 9a and 9d: another health plan that may pay."""

    insured: Person
    policy_or_group: str  # 9a
    plan_name: str  # 9d


@dataclass
class ServiceLine:
    """One line of item 24 (A-J)."""

    date_from: dt.date  # 24A
    code: str  # 24D CPT/HCPCS
    charge: Decimal  # 24F
    pointers: list[str] = field(default_factory=lambda: ["A"])  # 24E letters A-L, up to 4
    modifiers: list[str] = field(default_factory=list)  # 24D, up to 4
    units: Decimal = Decimal(1)  # 24G
    date_to: dt.date | None = None  # 24A "to"; None means the same day
    place_of_service: str = ""  # 24B; empty means the claim's place_of_service
    emergency: bool = False  # 24C
    epsdt: str = ""  # 24H
    rendering_npi: str = ""  # 24J; empty means the billing provider rendered it


@dataclass
class Claim:
    """A CMS-1500 (02/12) professional claim."""

    # Patient, insured and plan (items 1-13)
    program: str  # item 1
    insured_id: str  # item 1a
    patient: Person  # items 2, 3, 5
    payer: Payer
    relationship: str = "self"  # item 6
    insured: Person | None = None  # items 4, 7; None when the patient is the insured
    other_insurance: OtherInsurance | None = None  # items 9, 9a, 9d
    employment_related: bool = False  # 10a
    auto_accident_state: str = ""  # 10b: the state, or empty when not an auto accident
    other_accident: bool = False  # 10c
    claim_codes: str = ""  # 10d
    insured_group: str = ""  # 11
    plan_name: str = ""  # 11c
    another_plan: bool = False  # 11d
    patient_signature_on_file: bool = True  # 12
    insured_signature_on_file: bool = True  # 13 (authorizes payment to the provider)
    # Dates and referring provider (items 14-20)
    onset_date: dt.date | None = None  # 14 (qualifier 431 onset)
    other_date: dt.date | None = None  # 15
    unable_to_work: tuple[dt.date, dt.date] | None = None  # 16
    referring_provider: Provider | None = None  # 17, 17b
    hospitalized: tuple[dt.date, dt.date] | None = None  # 18
    additional_info: str = ""  # 19
    outside_lab: bool = False  # 20
    outside_lab_charges: Decimal = Decimal(0)  # 20
    # Diagnoses and services (items 21-24)
    icd_indicator: str = "0"  # 21: 0 = ICD-10-CM
    diagnoses: list[str] = field(default_factory=list)  # 21 A-L, dotted ICD-10-CM codes
    resubmission_code: str = ""  # 22: "" original, 7 replacement, 8 void
    original_reference: str = ""  # 22: the payer's claim number being replaced or voided
    prior_authorization: str = ""  # 23
    place_of_service: str = "11"  # default for 24B
    lines: list[ServiceLine] = field(default_factory=list)  # 24
    # Provider and totals (items 25-33)
    tax_id: str = ""  # 25
    tax_id_type: str = "EIN"  # 25: EIN or SSN
    patient_account: str = ""  # 26
    accept_assignment: bool = True  # 27
    total_charge: Decimal | None = None  # 28; None means "the sum of 24F"
    amount_paid: Decimal = Decimal(0)  # 29
    signature: str = "SIGNATURE ON FILE"  # 31
    signature_date: dt.date | None = None  # 31
    service_facility: Organization | None = None  # 32, 32a
    billing_provider: Organization | None = None  # 33, 33a
    rendering_provider: Provider | None = None  # the claim-level rendering provider (837P 2310B)
    submitted_on: dt.date | None = None  # when the claim is sent, for timely filing
    # Pairs of item 21 codes the record shows to be unrelated conditions, so an
    # Excludes1 note between them does not apply (guideline I.A.12.a exception).
    unrelated_dx_attested: list[list[str]] = field(default_factory=list)

    def line_total(self) -> Decimal:
        """The sum of item 24F."""
        return sum((line.charge for line in self.lines), Decimal(0))

    def first_date_of_service(self) -> dt.date | None:
        """The earliest 24A date."""
        return min((line.date_from for line in self.lines), default=None)


# =================================================================================
# Helpers below the model: the NPI check, the JSON Schema, validation, and files.
# =================================================================================
def npi_is_valid(npi: str) -> bool:
    """Is ``npi`` 10 digits whose last is the Luhn check digit over "80840" + the first 9?

    >>> npi_is_valid("1234567893")
    True
    >>> npi_is_valid("1234567890"), npi_is_valid("123456789"), npi_is_valid(1234567893)
    (False, False, False)
    """
    if not isinstance(npi, str) or not re.fullmatch(r"[0-9]{10}", npi):
        return False
    return _luhn_sum("80840" + npi) % 10 == 0


def make_npi(rng: random.Random, first: str = "1") -> str:
    """A made-up 10-digit NPI with a valid Luhn check digit, drawn from ``rng`` (for the
    lab's synthetic providers: the same draws give the same NPI).

    >>> npi_is_valid(make_npi(random.Random(1)))
    True
    """
    stem = first + "".join(rng.choice("0123456789") for _ in range(8))
    return next(stem + d for d in "0123456789" if npi_is_valid(stem + d))


def age_on(born: dt.date, day: dt.date) -> int:
    """Age in whole years on ``day``: a birthday counts from the day itself.

    >>> age_on(dt.date(1960, 3, 2), dt.date(2026, 3, 1)), age_on(dt.date(1960, 3, 2), dt.date(2026, 3, 2))
    (65, 66)
    >>> age_on(dt.date(2024, 2, 29), dt.date(2025, 2, 28)), age_on(dt.date(2024, 2, 29), dt.date(2025, 3, 1))
    (0, 1)
    """
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _luhn_sum(digits: str) -> int:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total


# -- the JSON Schema -------------------------------------------------------------------
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
UNITS_PATTERN = MONEY_PATTERN  # signed, so "-1" is reported as "must be more than 0"
DAYS_PATTERN = r"^[0-9]+$"
NPI_PATTERN = r"^[0-9]{10}$"
OPTIONAL_NPI_PATTERN = r"^([0-9]{10})?$"
STATE_PATTERN = r"^[A-Z]{2}$"
OPTIONAL_STATE_PATTERN = r"^([A-Z]{2})?$"
ZIP_PATTERN = r"^[0-9]{5}(-?[0-9]{4})?$"
TAX_ID_PATTERN = r"^([0-9]{2}-?[0-9]{7}|[0-9]{3}-?[0-9]{2}-?[0-9]{4})$"
POS_PATTERN = r"^[0-9]{2}$"
OPTIONAL_POS_PATTERN = r"^([0-9]{2})?$"
ICD_PATTERN = r"^[A-Za-z][0-9A-Za-z]{2}(\.?[0-9A-Za-z]{1,4})?$"
PROCEDURE_PATTERN = r"^[A-Z0-9]{5}$"
MODIFIER_PATTERN = r"^[A-Z0-9]{2}$"
POINTER_PATTERN = r"^[A-L]$"

# What a failed pattern means, in words a biller understands.
_PATTERN_PROBLEMS = {
    MONEY_PATTERN: "is not a number",
    DAYS_PATTERN: "is not a whole number of days",
    DATE_PATTERN: "is not a date in the form YYYY-MM-DD",
    NPI_PATTERN: "is not 10 digits",
    OPTIONAL_NPI_PATTERN: "is not 10 digits",
    STATE_PATTERN: "is not a two-letter state code in capitals",
    OPTIONAL_STATE_PATTERN: "is not a two-letter state code in capitals",
    ZIP_PATTERN: "is not a 5- or 9-digit ZIP code",
    TAX_ID_PATTERN: "is not 9 digits (NN-NNNNNNN or NNN-NN-NNNN)",
    POS_PATTERN: "is not a two-digit place-of-service code",
    OPTIONAL_POS_PATTERN: "is not a two-digit place-of-service code",
    ICD_PATTERN: "is not shaped like an ICD-10-CM code (e.g. E11.9)",
    PROCEDURE_PATTERN: "is not a 5-character CPT/HCPCS code in capitals",
    MODIFIER_PATTERN: "is not a two-character modifier in capitals",
    POINTER_PATTERN: "is not a letter A-L",
}
# How too few or too many entries in a list are reported: (noun, the limit in words).
_COUNT_PROBLEMS = {
    "diagnoses": ("diagnoses", f"the form holds {MAX_DIAGNOSES} (A-L)"),
    "lines": ("lines", f"the 837P allows {MAX_LINES}"),
    "modifiers": ("modifiers", f"at most {MAX_MODIFIERS}"),
    "pointers": ("pointers", f"at most {MAX_POINTERS}"),
    "unrelated_dx_attested": ("pairs", f"item 21 has at most {MAX_ATTESTED_PAIRS} pairs"),
}
FILING_INDICATORS = (
    "11", "12", "13", "14", "15", "16", "17", "AM", "BL", "CH", "CI", "DS", "FI",
    "HM", "LM", "MA", "MB", "MC", "OF", "TV", "VA", "WC", "ZZ",
)  # fmt: skip


# Every item a title names must be one of the item table's
# (:func:`medbill_lab.claims.items.items_named` raises ``UnknownItem`` otherwise).
_parts = SchemaParts(check_title=items_named)
_p, _text, _date, _money = _parts.p, _parts.text, _parts.date, _parts.money
_bool, _object = _parts.boolean, _parts.object


def _address_schema(where: str, whose: str, *, nullable: bool = True) -> dict:
    props = {
        "street": _text(
            f"{where}: street",
            f"{where}: {whose} street address (837P N301, at most {MAX_STREET} characters).",
            required=True,
            maxLength=MAX_STREET,
        ),
        "city": _text(
            f"{where}: city",
            f"{where}: {whose} city (837P N401, at most {MAX_CITY} characters).",
            required=True,
            maxLength=MAX_CITY,
        ),
        "state": _text(
            f"{where}: state", f"{where}: {whose} state (USPS code).", pattern=STATE_PATTERN
        ),
        "zip": _text(
            f"{where}: ZIP code", f"{where}: {whose} ZIP code, 5 or 9 digits.", pattern=ZIP_PATTERN
        ),
        "phone": _text(
            f"{where}: telephone", f"{where}: {whose} telephone (optional).", maxLength=MAX_PHONE
        ),
    }
    return _object(
        f"{where}: {whose} address",
        f"{where}: {whose} address.",
        props,
        ["street", "city", "state", "zip"],
        nullable=nullable,
    )


def _person_schema(items: tuple[str, str, str], whose: str, *, patient: bool = False) -> dict:
    name, born, home = items
    props = {
        "last": _text(
            f"Item {name}: {whose} last name",
            f"Item {name}: {whose} last name (837P NM103, at most {MAX_LAST_NAME} characters).",
            required=True,
            maxLength=MAX_LAST_NAME,
        ),
        "first": _text(
            f"Item {name}: {whose} first name",
            f"Item {name}: {whose} first name (837P NM104, at most {MAX_FIRST_NAME} characters).",
            required=True,
            maxLength=MAX_FIRST_NAME,
        ),
        "middle": _text(
            f"Item {name}: {whose} middle initial",
            f"Item {name}: {whose} middle name or initial (837P NM105, at most {MAX_MIDDLE_NAME} characters).",
            maxLength=MAX_MIDDLE_NAME,
        ),
        "dob": _date(
            f"Item {born}: date of birth",
            f"Item {born}: {whose} date of birth",
            nullable=not patient,
        ),
        "sex": _p(
            f"Item {born}: sex",
            f"Item {born}: {whose} sex: M, F or U (unknown).",
            type="string",
            enum=list(SEXES),
        ),
        "address": _address_schema(f"Item {home}", whose),
    }
    required = ["last", "first", "dob", "sex"] if patient else ["last", "first"]
    numbers = ", ".join(dict.fromkeys(items))
    label = whose.removesuffix("'s")
    title = f"Items {numbers}: {label}" if len(set(items)) > 1 else f"Item {numbers}: {label}"
    return _object(title, f"{title}.", props, required, nullable=not patient)


def _provider_schema(name_item: str, npi_item: str, who: str) -> dict:
    props = {
        "last": _text(f"Item {name_item}: {who} last name", f"Item {name_item}: {who} last name or organization name (837P NM103, at most {MAX_LAST_NAME} characters).", required=True, maxLength=MAX_LAST_NAME),
        "first": _text(f"Item {name_item}: {who} first name", f"Item {name_item}: {who} first name (837P NM104, at most {MAX_FIRST_NAME} characters).", maxLength=MAX_FIRST_NAME),
        "npi": _text(f"Item {npi_item}: {who} NPI", f"Item {npi_item}: {who} NPI (10 digits, valid check digit).", pattern=OPTIONAL_NPI_PATTERN),
        "qualifier": _p(f"Item {name_item}: {who} qualifier", f"Item {name_item}: qualifier left of the name: DN referring, DK ordering, DQ supervising.", type="string", enum=["DN", "DK", "DQ"]),
    }  # fmt: skip
    return _object(
        f"Item {name_item}: {who}", f"Items {name_item}, {npi_item}: {who}.", props, ["last"]
    )


def _organization_schema(item: str, who: str, *, required_npi: bool) -> dict:
    npi = NPI_PATTERN if required_npi else OPTIONAL_NPI_PATTERN
    props = {
        "name": _text(
            f"Item {item}: {who} name",
            f"Item {item}: {who} name (837P NM103, at most {MAX_ORG_NAME} characters).",
            required=True,
            maxLength=MAX_ORG_NAME,
        ),
        "npi": _text(
            f"Item {item}a: {who} NPI",
            f"Item {item}a: {who} NPI (10 digits, valid check digit).",
            pattern=npi,
        ),
        "address": _address_schema(f"Item {item}", who + "'s", nullable=False),
        "taxonomy": _text(
            f"Item {item}b: {who} taxonomy",
            f"Item {item}b: {who} taxonomy code (837P PRV03, at most {MAX_REFERENCE} characters; printed with qualifier ZZ).",
            maxLength=MAX_REFERENCE,
        ),
    }
    return _object(
        f"Items {item}, {item}a: {who}",
        f"Items {item}, {item}a: {who}.",
        props,
        ["name", "npi", "address"],
    )


def _period_schema(item: str, what: str) -> dict:
    props = {
        "from": _date(f"Item {item}: from date", f"Item {item}: first day {what}", nullable=False),
        "to": _date(f"Item {item}: to date", f"Item {item}: last day {what}", nullable=False),
    }
    return _object(
        f"Item {item}: dates {what}", f"Item {item}: dates {what}.", props, ["from", "to"]
    )


def _line_schema() -> dict:
    props = {
        "date_from": _date("Item 24A: service date", "Item 24A: date of service (from)", nullable=False),
        "date_to": _date("Item 24A: to date", "Item 24A: last date of service when it spans days; omit or null for one day"),
        "place_of_service": _text("Item 24B: place of service", "Item 24B: two-digit place of service; empty means the claim's place_of_service.", pattern=OPTIONAL_POS_PATTERN),
        "emergency": _bool("Item 24C: emergency", "Item 24C: EMG indicator."),
        "code": _text("Item 24D: procedure code", "Item 24D: CPT or HCPCS Level II code (checked against the code sets by the scrubber, not here).", pattern=PROCEDURE_PATTERN),
        "modifiers": _p("Item 24D: modifiers", f"Item 24D: up to {MAX_MODIFIERS} two-character modifiers.", type="array", maxItems=MAX_MODIFIERS, items=_text("Item 24D: modifier", "Item 24D: a modifier such as 25, 59, LT or RT.", pattern=MODIFIER_PATTERN)),
        "pointers": _p("Item 24E: diagnosis pointers", f"Item 24E: diagnosis pointers, letters A-L naming item 21 entries, up to {MAX_POINTERS}, primary first; an empty list means no pointer.", type="array", maxItems=MAX_POINTERS, items=_text("Item 24E: pointer", "Item 24E: one diagnosis pointer, a letter A-L.", pattern=POINTER_PATTERN)),
        "charge": _money("Item 24F: charge", "Item 24F: the line's charge"),
        "units": _p("Item 24G: days or units", "Item 24G: days or units, more than 0 (default 1).", type=["string", "number"], pattern=UNITS_PATTERN),
        "epsdt": _text("Item 24H: EPSDT/family plan", "Item 24H: EPSDT or family-planning indicator."),
        "rendering_npi": _text("Item 24J: rendering provider NPI", "Item 24J: rendering provider NPI; empty means the billing provider rendered the service.", pattern=OPTIONAL_NPI_PATTERN),
    }  # fmt: skip
    return _object(
        "Item 24: service line",
        "Item 24 (A-J): one service line.",
        props,
        ["date_from", "code", "charge", "pointers"],
        nullable=False,
    )


def _payer_schema() -> dict:
    props = {
        "name": _text("Carrier block: payer name", f"Carrier block (top of the CMS-1500): the payer's name (837P NM103, at most {MAX_ORG_NAME} characters).", required=True, maxLength=MAX_ORG_NAME),
        "payer_id": _text("Carrier block: electronic payer ID", f"Not printed on the CMS-1500: the payer's electronic ID (837P loop 2010BB NM109, at most {MAX_MEMBER_ID} characters).", required=True, maxLength=MAX_MEMBER_ID),
        "filing_indicator": _p("Carrier block: claim filing indicator", "Goes with item 1: the 837P claim filing indicator (SBR09): MB Medicare Part B, MC Medicaid, CI commercial, BL BCBS, CH TRICARE...", type="string", enum=list(FILING_INDICATORS)),
        "timely_filing_days": _p("Carrier block: timely filing limit", "Not printed on the CMS-1500: the payer's timely-filing limit in days from the date of service (the scrubber's TIMELY-FILING edit).", type=["integer", "string"], pattern=DAYS_PATTERN),
        "address": _address_schema("Carrier block", "payer's"),
        "excludes1_strict": _bool("Carrier block: Excludes1 strict", "Not printed on the CMS-1500: a payer rule stricter than ICD-10-CM guideline I.A.12.a: the payer denies two codes joined by an Excludes1 note even when the conditions are unrelated (default false: the scrubber only warns)."),
    }  # fmt: skip
    return _object(
        "Carrier block: payer",
        "Carrier block (top of the CMS-1500): the payer the claim goes to.",
        props,
        ["name", "payer_id"],
        nullable=False,
    )


def _claim_properties() -> dict:
    return {
        "$schema": _text("Schema: the JSON Schema this file follows", "Not a CMS-1500 item: optional, for editors; ignored on load."),
        "program": _p("Item 1: program", "Item 1: the health-insurance program.", type="string", enum=list(PROGRAMS)),
        "insured_id": _text("Item 1a: insured's ID number", f"Item 1a: the insured's ID number as on the card (837P NM109, at most {MAX_MEMBER_ID} characters).", required=True, maxLength=MAX_MEMBER_ID),
        "patient": _person_schema(("2", "3", "5"), "patient's", patient=True),
        "payer": _payer_schema(),
        "relationship": _p("Item 6: patient's relationship to the insured", "Item 6: self, spouse, child or other.", type="string", enum=list(RELATIONSHIPS)),
        "insured": _person_schema(("4", "11a", "7"), "insured's"),
        "other_insurance": _object("Items 9, 9a, 9d: other insured", "Items 9, 9a and 9d: another health plan that may pay.", {
            "insured": _person_schema(("9", "9", "9"), "other insured's") | {"type": "object"},
            "policy_or_group": _text("Item 9a: other insured's policy or group number", f"Item 9a: other insured's policy or group number (837P SBR03, at most {MAX_REFERENCE} characters).", required=True, maxLength=MAX_REFERENCE),
            "plan_name": _text("Item 9d: other insurance plan name", f"Item 9d: insurance plan name or program name (837P SBR04, at most {MAX_PLAN_NAME} characters).", required=True, maxLength=MAX_PLAN_NAME),
        }, ["insured", "policy_or_group", "plan_name"]),
        "employment_related": _bool("Item 10a: employment related", "Item 10a: is the condition related to employment?"),
        "auto_accident_state": _text("Item 10b: auto accident state", "Item 10b: the state of an auto accident; empty when not an auto accident.", pattern=OPTIONAL_STATE_PATTERN),
        "other_accident": _bool("Item 10c: other accident", "Item 10c: is the condition related to another accident?"),
        "claim_codes": _text("Item 10d: claim codes", "Item 10d: claim codes designated by NUCC."),
        "insured_group": _text("Item 11: insured's policy group", f"Item 11: insured's policy group or FECA number (837P SBR03, at most {MAX_REFERENCE} characters).", maxLength=MAX_REFERENCE),
        "plan_name": _text("Item 11c: insurance plan name", f"Item 11c: insurance plan name or program name (837P SBR04, at most {MAX_PLAN_NAME} characters).", maxLength=MAX_PLAN_NAME),
        "another_plan": _bool("Item 11d: another health benefit plan", "Item 11d: is there another health benefit plan?"),
        "patient_signature_on_file": _bool("Item 12: patient's signature on file", "Item 12: patient's or authorized person's signature on file."),
        "insured_signature_on_file": _bool("Item 13: insured's signature on file", "Item 13: insured's signature on file (authorizes payment to the provider)."),
        "onset_date": _date("Item 14: date of current illness", "Item 14: date of current illness, injury or pregnancy (qualifier 431 onset)"),
        "other_date": _date("Item 15: other date", "Item 15: other date"),
        "unable_to_work": _period_schema("16", "unable to work"),
        "referring_provider": _provider_schema("17", "17b", "referring provider"),
        "hospitalized": _period_schema("18", "of hospitalization"),
        "additional_info": _text("Item 19: additional claim information", f"Item 19: additional claim information (837P NTE02, at most {MAX_NOTE} characters).", maxLength=MAX_NOTE),
        "outside_lab": _bool("Item 20: outside lab", "Item 20: were lab services purchased from an outside lab?"),
        "outside_lab_charges": _money("Item 20: outside lab charges", "Item 20: charges for purchased lab services"),
        "icd_indicator": _p("Item 21: ICD indicator", "Item 21: ICD indicator; 0 is ICD-10-CM.", type="string", enum=["0"]),
        "diagnoses": _p("Item 21: diagnoses", f"Item 21 A-L: at least 1 and at most {MAX_DIAGNOSES} ICD-10-CM codes, in order (A first).", type="array", minItems=1, maxItems=MAX_DIAGNOSES, items=_text("Item 21: diagnosis", "Item 21: an ICD-10-CM code, with or without the dot (validity for the date is the scrubber's job).", pattern=ICD_PATTERN)),
        "resubmission_code": _p("Item 22: resubmission code", "Item 22: empty for an original claim, 7 replacement, 8 void.", type="string", enum=["", "7", "8"]),
        "original_reference": _text("Item 22: original reference number", f"Item 22: the payer's claim number being replaced or voided (837P REF02, at most {MAX_REFERENCE} characters).", maxLength=MAX_REFERENCE),
        "prior_authorization": _text("Item 23: prior authorization number", f"Item 23: prior authorization number (837P REF02, at most {MAX_REFERENCE} characters).", maxLength=MAX_REFERENCE),
        "place_of_service": _text("Item 24B: place of service", "Item 24B: the claim's default two-digit place of service (each line may override it).", pattern=POS_PATTERN),
        "lines": _p("Item 24: service lines", f"Item 24: at least 1 and at most {MAX_LINES} service lines (paper holds {MAX_PAPER_LINES}).", type="array", minItems=1, maxItems=MAX_LINES, items=_line_schema()),
        "tax_id": _text("Item 25: federal tax ID", "Item 25: federal tax ID number (EIN or SSN), 9 digits.", pattern=TAX_ID_PATTERN),
        "tax_id_type": _p("Item 25: tax ID type", "Item 25: which box is checked: EIN or SSN.", type="string", enum=["EIN", "SSN"]),
        "patient_account": _text("Item 26: patient's account number", f"Item 26: patient's account number (837P CLM01, at most {MAX_CLAIM_ID} characters).", maxLength=MAX_CLAIM_ID),
        "accept_assignment": _bool("Item 27: accept assignment", "Item 27: does the provider accept assignment?"),
        "total_charge": _money("Item 28: total charge", "Item 28: total charge; omit or null for the sum of 24F", nullable=True),
        "amount_paid": _money("Item 29: amount paid", "Item 29: amount the patient or another payer paid"),
        "signature": _text("Item 31: signature of physician or supplier", "Item 31: signature of physician or supplier."),
        "signature_date": _date("Item 31: date signed", "Item 31: date signed"),
        "service_facility": _organization_schema("32", "service facility", required_npi=False),
        "billing_provider": _organization_schema("33", "billing provider", required_npi=True) | {"type": "object"},
        "rendering_provider": _provider_schema("24J", "24J", "rendering provider"),
        "submitted_on": _date("Submission: date sent", "Not on the CMS-1500: the date the claim is sent (837P BHT04), for the timely-filing edit"),
        "unrelated_dx_attested": _p("Item 21: diagnoses attested unrelated", f"Not printed on the CMS-1500: pairs of item 21 codes, e.g. [[\"R42\", \"F31.9\"]], that the provider's record shows to be unrelated conditions, so the Excludes1 note between them does not apply (ICD-10-CM guideline I.A.12.a exception). The scrubber then does not flag the pair, unless the payer is excludes1_strict. At most {MAX_ATTESTED_PAIRS} pairs.", type="array", maxItems=MAX_ATTESTED_PAIRS, items=_p("Item 21: attested pair", "Two item 21 codes whose conditions are unrelated.", type="array", minItems=2, maxItems=2, items=_text("Item 21: attested diagnosis", "An ICD-10-CM code listed in item 21.", pattern=ICD_PATTERN))),
    }  # fmt: skip


@cache
def _schema() -> dict:
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "MedBill Lab claim",
        "description": (
            "A CMS-1500 (02/12) professional claim as a MedBill Lab claim file (JSON or YAML). "
            "Each property's title names the CMS-1500 item it fills. Dates are YYYY-MM-DD; money "
            'is a decimal string such as "125.00". Loading also checks what a schema cannot: real '
            "dates, NPI check digits, pointers that name a diagnosis, no negative money."
        ),
        "type": "object",
        "properties": _claim_properties(),
        "required": [
            "program",
            "insured_id",
            "patient",
            "payer",
            "diagnoses",
            "lines",
            "billing_provider",
            "tax_id",
        ],
        "additionalProperties": False,
    }


def claim_schema() -> dict:
    """The published JSON Schema (draft 2020-12) for claim files.

    >>> s = claim_schema()
    >>> s["$schema"].endswith("2020-12/schema"), s["properties"]["lines"]["items"]["properties"]["pointers"]["title"]
    (True, 'Item 24E: diagnosis pointers')
    """
    return copy.deepcopy(_schema())


# -- validation: the schema first, then what a schema cannot say --------------------


def _node_at(path: JsonPath) -> dict | None:
    """The schema of the value at ``path`` (None when the path leaves the schema)."""
    return node_at(_schema(), path)


def _where(path: JsonPath) -> tuple[str, str]:
    """(where, label) for a value: ("Item 24F line 3", "charge"), ("Item 21C", "diagnosis")."""
    node = _node_at(path)
    title = node.get("title", "") if node else ""
    where, _, label = title.partition(": ")
    if not path:
        return "claim", "the claim"
    if not label:
        where, label = "claim", str(path[-1])
    if path[0] == "lines" and len(path) > 1 and isinstance(path[1], int):
        where += f" line {path[1] + 1}"
    if path[0] == "diagnoses" and len(path) > 1 and isinstance(path[1], int):
        where += POINTER_LETTERS[path[1]] if path[1] < len(POINTER_LETTERS) else f" #{path[1] + 1}"
    return where, label


_shown = shown


def _schema_problem(error: Any) -> str:
    """One jsonschema error in the words of the form: item, line, what is wrong."""
    path: JsonPath = tuple(error.absolute_path)
    kind, value, limit = error.validator, error.instance, error.validator_value
    if kind == "additionalProperties":
        unknown = [k for k in value if k not in error.schema.get("properties", {})]
        extras = ", ".join(repr(k if len(k) <= 40 else k[:37] + "...") for k in unknown[:5])
        extras += f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        if not path:
            return (
                f"unknown top-level field {extras} (see `medbill-lab claim schema` for the fields)"
            )
        where, label = _where(path)
        return f"{where}: unknown field {extras} in {label}"
    where, label = _where(path)
    if not path and kind == "type":
        return f"the claim file must hold one claim, an object of fields, not {_shown(value)}"
    if kind == "type":
        kinds = [limit] if isinstance(limit, str) else list(limit)
        wanted = " or ".join(TYPE_WORDS.get(k, k) for k in kinds)
        return f"{where}: {label} must be {wanted}, not {_shown(value)}"
    if kind == "enum":
        allowed = ", ".join(v if v else "blank" for v in limit)
        return f"{where}: {label} {_shown(value)} is not one of {allowed}"
    if kind == "pattern":
        return f"{where}: {label} {_shown(value)} {_PATTERN_PROBLEMS.get(limit, 'is malformed')}"
    if kind in ("minItems", "maxItems") and path and path[-1] in _COUNT_PROBLEMS:
        return _count_problem(where, str(path[-1]), len(value), kind)
    if kind in ("minItems", "maxItems") and path[-2:-1] == ("unrelated_dx_attested",):
        return f"{where}: {label} names {len(value)} code(s); a pair is two item 21 codes"
    if kind == "minLength" and limit == 1:
        return f"{where}: {label} is empty"
    if kind == "maxLength":
        return f"{where}: {label} is {len(value)} characters long; at most {limit} fit"
    return f"{where}: {label}: {error.message}"


def _count_problem(where: str, key: str, count: int, kind: str) -> str:
    noun, limit = _COUNT_PROBLEMS.get(key, ("entries", "too many"))
    if kind == "maxItems":
        return f"{where}: {count} {noun}; {limit}"
    return {
        "diagnoses": f"{where}: no diagnoses; at least one is required",
        "lines": f"{where}: no service lines",
    }.get(key, f"{where}: no {noun}")


class _Semantics:
    """The checks a JSON Schema cannot express, run on the raw data.

    A value the schema already rejected (or that sits below one) is skipped, so
    each problem is reported once.
    """

    def __init__(self, data: dict, bad: set[JsonPath]) -> None:
        self.data = data
        self.bad = bad
        self.problems: list[tuple[JsonPath, str]] = []
        self.dates: dict[JsonPath, dt.date] = {}

    def ok(self, path: JsonPath) -> bool:
        return not _under(path, self.bad)

    def get(self, path: JsonPath) -> Any:
        return value_at(self.data, path)

    def present(self, path: JsonPath) -> Any:
        """The value at ``path`` when it is there, well-formed and not null."""
        return self.get(path) if self.ok(path) else None

    def report(self, path: JsonPath, text: str, *, labelled: bool = False) -> None:
        """Add a problem at ``path``; ``labelled`` puts the value's label first."""
        where, label = _where(path)
        self.problems.append((path, f"{where}: {label} {text}" if labelled else f"{where}: {text}"))
        self.bad.add(path)

    def line_paths(self) -> list[JsonPath]:
        lines = self.present(("lines",))
        return [("lines", i) for i in range(len(lines))] if isinstance(lines, list) else []

    def run(self) -> list[tuple[JsonPath, str]]:
        for path in self._date_paths():
            self.check_date(path)
        for path in self._money_paths():
            self.check_money(path)
        for line in self.line_paths():
            self.check_units((*line, "units"))
            self.check_pointers(line)
            self.check_line_dates(line)
        for path in self._npi_paths():
            self.check_npi(path)
        for period in ("unable_to_work", "hospitalized"):
            self.check_period((period,))
        self.check_timely_days()
        self.check_submitted()
        self.check_insured()
        self.check_resubmission()
        self.check_attested()
        return self.problems

    # -- which values --------------------------------------------------------------
    def _date_paths(self) -> list[JsonPath]:
        people = [("patient",), ("insured",), ("other_insurance", "insured")]
        paths: list[JsonPath] = [(*p, "dob") for p in people]
        paths += [("onset_date",), ("other_date",), ("signature_date",), ("submitted_on",)]
        paths += [
            (period, end) for period in ("unable_to_work", "hospitalized") for end in ("from", "to")
        ]
        paths += [(*line, end) for line in self.line_paths() for end in ("date_from", "date_to")]
        return paths

    def _money_paths(self) -> list[JsonPath]:
        paths: list[JsonPath] = [("total_charge",), ("amount_paid",), ("outside_lab_charges",)]
        return paths + [(*line, "charge") for line in self.line_paths()]

    def _npi_paths(self) -> list[JsonPath]:
        paths: list[JsonPath] = [
            ("billing_provider", "npi"),
            ("service_facility", "npi"),
            ("referring_provider", "npi"),
            ("rendering_provider", "npi"),
        ]
        return paths + [(*line, "rendering_npi") for line in self.line_paths()]

    # -- the checks ----------------------------------------------------------------
    def check_date(self, path: JsonPath) -> None:
        value = self.present(path)
        if value is None:
            return
        try:
            date = dt.date.fromisoformat(value)
        except ValueError:
            self.report(path, f"{value} is not a date", labelled=True)
            return
        if not DATE_YEARS[0] <= date.year <= DATE_YEARS[1]:
            # a year like 9999 is a typing slip, and date arithmetic past it overflows
            first, last = DATE_YEARS
            self.report(path, f"{value} is not in the years {first}-{last}", labelled=True)
            return
        self.dates[path] = date

    def check_money(self, path: JsonPath) -> None:
        value = self.present(path)
        if value is None:
            return
        amount = _decimal(value)
        if amount is None or not amount.is_finite():
            self.report(path, f"{_shown(value)} is not a number", labelled=True)
        elif amount < 0:
            self.report(path, f"{value} is negative", labelled=True)
        elif amount >= MAX_MONEY:
            self.report(
                path,
                f"{value} is too large (the form holds up to {MAX_MONEY - Decimal('0.01')})",
                labelled=True,
            )
        elif amount != amount.quantize(CENT):
            self.report(path, f"{value} has more than 2 decimal places", labelled=True)

    def check_units(self, path: JsonPath) -> None:
        value = self.present(path)
        if value is None:
            return
        units = _decimal(value)
        if units is None or not units.is_finite():
            self.report(path, f"{_shown(value)} is not a number", labelled=True)
        elif units <= 0:
            self.report(path, f"{value} must be more than 0", labelled=True)
        elif units >= MAX_UNITS:
            self.report(path, f"{value} is too large", labelled=True)

    def check_npi(self, path: JsonPath) -> None:
        value = self.present(path)
        if value and not npi_is_valid(value):
            self.report(path, f"NPI {value} fails the check digit")

    def check_pointers(self, line: JsonPath) -> None:
        diagnoses = self.present(("diagnoses",))
        pointers = self.present((*line, "pointers"))
        if not isinstance(diagnoses, list) or not isinstance(pointers, list):
            return
        seen: set[str] = set()
        for i, letter in enumerate(pointers):
            if not self.ok((*line, "pointers", i)):
                continue
            if POINTER_LETTERS.index(letter) >= len(diagnoses):
                self.report((*line, "pointers", i), f"pointer {letter} refers to no diagnosis")
            elif letter in seen:
                self.report((*line, "pointers", i), f"pointer {letter} is listed twice")
            seen.add(letter)

    def check_line_dates(self, line: JsonPath) -> None:
        start = self.dates.get((*line, "date_from"))
        end = self.dates.get((*line, "date_to"))
        born = self.dates.get(("patient", "dob"))
        if start and end and end < start:
            self.report((*line, "date_to"), f"to date {end} is before the service date {start}")
        if start and born and start < born:
            self.report(
                (*line, "date_from"),
                f"service date is before the patient's birth ({start}; born {born})",
            )

    def check_period(self, path: JsonPath) -> None:
        start, end = self.dates.get((*path, "from")), self.dates.get((*path, "to"))
        if start and end and end < start:
            self.report((*path, "to"), f"to date {end} is before the from date {start}")

    def check_timely_days(self) -> None:
        value = self.present(("payer", "timely_filing_days"))
        if value is not None and int(value) < 1:
            self.report(
                ("payer", "timely_filing_days"), f"{value} must be at least 1 day", labelled=True
            )

    def check_submitted(self) -> None:
        sent = self.dates.get(("submitted_on",))
        starts = [(self.dates.get((*line, "date_from")), line) for line in self.line_paths()]
        late = [(d, line) for d, line in starts if d and sent and d > sent]
        if late:
            day, line = max(late, key=lambda pair: pair[0])
            self.report(
                ("submitted_on",),
                f"the claim is sent on {sent}, before the service date {day} of line {int(line[1]) + 1}",
            )

    def check_insured(self) -> None:
        relationship = self.present(("relationship",))
        if relationship not in (None, "self") and self.get(("insured",)) is None:
            self.report(
                ("insured", "last"),
                f"missing insured's name (item 6 says the patient is the insured's {relationship})",
            )

    def check_attested(self) -> None:
        """Each pair attested unrelated names two different codes of item 21."""
        pairs = self.present(("unrelated_dx_attested",))
        diagnoses = self.present(("diagnoses",))
        if not isinstance(pairs, list) or not isinstance(diagnoses, list):
            return
        listed = {_bare(d) for d in diagnoses if isinstance(d, str)}
        for i, pair in enumerate(pairs):
            path: JsonPath = ("unrelated_dx_attested", i)
            if not self.ok(path) or not isinstance(pair, list):
                continue
            missing = [c for c in pair if _bare(c) not in listed]
            if missing:
                self.report(path, f"attested pair names {missing[0]}, which is not in item 21")
            elif _bare(pair[0]) == _bare(pair[1]):
                self.report(path, f"attested pair names {pair[0]} twice")

    def check_resubmission(self) -> None:
        code = self.present(("resubmission_code",))
        reference = self.get(("original_reference",))
        if code in ("7", "8") and not reference:
            self.report(
                ("original_reference",),
                f"resubmission code {code} needs the original reference number",
            )
        if (
            reference
            and self.ok(("original_reference",))
            and not code
            and self.ok(("resubmission_code",))
        ):
            self.report(
                ("resubmission_code",),
                "an original reference number needs resubmission code 7 or 8",
            )


def _bare(code: str) -> str:
    """An ICD-10-CM code compared without dot or case: "e11.9" and "E119" match."""
    return code.replace(".", "").strip().upper()


CENT = Decimal("0.01")
# the years a claim date may fall in (birth dates from 1900; nothing is billed past 2099)
DATE_YEARS = (1900, 2099)
MAX_MONEY = Decimal("10000000")  # 24F holds 7 digits of dollars
MAX_UNITS = Decimal("100000")


_decimal = as_decimal


def claim_problems(data: Any) -> list[str]:
    """Every problem with a claim as plain data, each naming its CMS-1500 item ([] when fine).

    Lists longer than the form holds are reported once each ("Item 21: 100000
    diagnoses; the form holds 12 (A-L)") and cut to their limit before the rest
    is validated, so a huge file is answered quickly with one problem per field.

    >>> claim_problems({"program": "xyz"})[0]
    "Item 1: program 'xyz' is not one of medicare, medicaid, tricare, champva, group, feca, other"
    """
    return list(dict.fromkeys(text for _, text in located_problems(data)))


def located_problems(data: Any) -> list[tuple[JsonPath, str]]:
    """The problems of :func:`claim_problems`, each with the path of the value it names.

    A form uses the path to tell which field (or service line) a problem is about, so it can
    set that value aside and still check the rest.

    >>> located_problems({"program": "group", "insured_id": ""})[0][0]
    ('insured_id',)
    """
    problems: list[tuple[JsonPath, str]] = []
    bad: set[JsonPath] = set()
    data = _capped(data, _schema(), (), problems, bad)
    for e in _validator().iter_errors(data):
        path: JsonPath = tuple(e.absolute_path)
        if _under(path, bad):
            continue  # one problem per value: "must be text" says enough
        if e.validator == "required":
            missing = [
                p for p in e.validator_value if p not in e.instance and (*path, p) not in bad
            ]
            if not missing:
                continue
            where, label = _where((*path, missing[0]))
            problems.append(((*path, missing[0]), f"{where}: missing {label}"))
            bad.add((*path, missing[0]))
        elif e.validator == "additionalProperties":
            problems.append((path, _schema_problem(e)))
        else:
            problems.append((path, _schema_problem(e)))
            bad.add(path)
    if isinstance(data, dict):
        problems += _Semantics(data, bad).run()
    problems.sort(key=lambda pair: _order(pair[0]))
    return problems


@cache
def _validator() -> Any:
    """The draft 2020-12 validator for the claim schema, imported on first use."""
    return draft_validator(_schema())


def _under(path: JsonPath, bad: set[JsonPath]) -> bool:
    """Is ``path`` one of ``bad`` or below one?  (Linear in the path's depth.)"""
    return any(path[:k] in bad for k in range(1, len(path) + 1))


def _capped(
    value: Any, node: dict | None, path: JsonPath, problems: list, bad: set[JsonPath]
) -> Any:
    """``value`` with every list longer than its schema's maxItems cut to it (reported once).

    Runs before the schema so that 100,000 diagnoses cost one message and a few
    milliseconds, not one problem (and a schema error) per entry.
    """
    if not node:
        return value
    if isinstance(value, list):
        limit = node.get("maxItems")
        if limit is not None and len(value) > limit and path and isinstance(path[-1], str):
            where, _ = _where(path)
            problems.append((path, _count_problem(where, path[-1], len(value), "maxItems")))
            bad.add(path)
            value = value[:limit]
        items = node.get("items")
        if isinstance(items, dict) and ("properties" in items or "items" in items):
            value = [_capped(v, items, (*path, i), problems, bad) for i, v in enumerate(value)]
        return value
    if isinstance(value, dict) and "properties" in node:
        props = node["properties"]
        return {
            k: _capped(v, props.get(k), (*path, k), problems, bad)
            if isinstance(v, (list, dict))
            else v
            for k, v in value.items()
        }
    return value


def _order(path: JsonPath) -> tuple[int, ...]:
    """Sort key: the schema's order of properties (roughly the form's), then line number."""
    return order_key(_schema(), path)


# -- plain data <-> Claim ------------------------------------------------------------
MONEY_FIELDS = frozenset({"charge", "total_charge", "amount_paid", "outside_lab_charges"})
_DATE_FIELDS = frozenset(
    {"dob", "onset_date", "other_date", "signature_date", "submitted_on", "date_from", "date_to"}
)


def from_dict(data: dict) -> Claim:
    """A Claim from plain (JSON-ready) data; raises ClaimError listing every problem.

    >>> from_dict({"program": "group"})
    Traceback (most recent call last):
      ...
    medbill_lab.claims.model.ClaimError: Item 1a: missing insured's ID number; Items 2, 3, 5: missing patient; ...
    """
    problems = claim_problems(data)
    if problems:
        raise ClaimError(problems)
    return _build(Claim, data)


def _build(cls: type, data: dict) -> Any:
    """Build dataclass ``cls`` from validated data, converting each value by its name."""
    kwargs = {}
    for f in fields(cls):
        value = data.get(f.name)
        if value is not None:
            kwargs[f.name] = _convert(f.name, value)
    return cls(**kwargs)


_NESTED: dict[str, type] = {
    "patient": Person,
    "insured": Person,
    "payer": Payer,
    "address": Address,
    "other_insurance": OtherInsurance,
    "referring_provider": Provider,
    "rendering_provider": Provider,
    "service_facility": Organization,
    "billing_provider": Organization,
}


def _convert(name: str, value: Any) -> Any:
    if name in _NESTED:
        return _build(_NESTED[name], value)
    if name == "lines":
        return [_build(ServiceLine, line) for line in value]
    if name in MONEY_FIELDS or name == "units":
        return _decimal(value)
    if name in _DATE_FIELDS:
        return dt.date.fromisoformat(value)
    if name in ("unable_to_work", "hospitalized"):
        return (dt.date.fromisoformat(value["from"]), dt.date.fromisoformat(value["to"]))
    if name == "timely_filing_days":
        return int(value)
    if isinstance(value, list):
        return list(value)
    return value


def to_dict(claim: Claim) -> dict:
    """Plain JSON-ready data: dates as YYYY-MM-DD, money as "125.00", None left out.

    ``from_dict(to_dict(claim)) == claim`` for every claim that loads.

    >>> line = ServiceLine(dt.date(2025, 11, 3), "99213", Decimal("125"))
    >>> to_dict(line)["charge"], to_dict(line)["date_from"], to_dict(line)["units"]
    ('125.00', '2025-11-03', '1')
    """
    out = {}
    for f in fields(claim):
        value = getattr(claim, f.name)
        if value is not None:
            out[f.name] = _plain(f.name, value)
    return out


def _plain(name: str, value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return to_dict(value)  # type: ignore[arg-type]
    if name in MONEY_FIELDS:
        return str(Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP))
    if name == "units":
        return format(Decimal(str(value)).normalize(), "f")
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return {"from": _plain("from", value[0]), "to": _plain("to", value[1])}
    if isinstance(value, list):
        return [_plain(name, v) for v in value]
    return value


# -- files ------------------------------------------------------------------------------
FORMATS = {".json": "JSON", ".yaml": "YAML", ".yml": "YAML"}
MAX_FILE_BYTES = 5_000_000


def _format_of(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ClaimError(
            [
                f"claim file {path.name}: unknown format {path.suffix or '(no extension)'}; "
                "use .json, .yaml or .yml"
            ]
        )
    return fmt


def load(path: str | os.PathLike[str]) -> Claim:
    """Read a claim from a .json, .yaml or .yml file; raises ClaimError listing every problem.

    A file that cannot be read raises OSError.
    """
    data, problems = read_claim_file(path)
    problems += claim_problems(data)
    if problems:
        raise ClaimError(problems)
    return _build(Claim, data)


def read_claim_file(path: str | os.PathLike[str]) -> tuple[Any, list[str]]:
    """A claim file (either form) parsed, not yet validated: (data, problems the parse
    noticed, such as a repeated key).

    Raises ClaimError for an unknown extension, a file too large, not UTF-8, or not
    parsable; OSError when it cannot be read.
    """
    path = Path(path)
    fmt = _format_of(path)
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        raise ClaimError([f"claim file is too large ({len(raw)} bytes; at most {MAX_FILE_BYTES})"])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ClaimError(
            [f"claim file is not UTF-8 text: byte {exc.start} is {raw[exc.start]:#04x}"]
        ) from None
    data, problems = parse_claim_text(text, fmt)
    if data is None:
        raise ClaimError(problems)
    return data, problems


def parse_claim_text(text: str, fmt: str = "JSON") -> tuple[Any, list[str]]:
    """Parse claim text as ``fmt`` ("JSON" or "YAML"): (data, problems).

    Data is None when the text does not parse; its one problem says where.  YAML
    plain scalars stay text (so ZIP 02134, code 99213 and dates keep their form),
    except true, false and null.

    >>> parse_claim_text('{"a": 1,\\n "b": }')
    (None, ['claim file is not valid JSON: line 2 column 7: Expecting value'])
    >>> parse_claim_text("zip: 02134\\ncharge: 125.00\\nok: true", "YAML")[0]
    {'zip': '02134', 'charge': '125.00', 'ok': True}
    """
    try:
        if fmt == "YAML":
            return _parse_yaml(text), []
        return _parse_json(text)
    except _ParseError as exc:
        return None, [" ".join(f"claim file is not valid {fmt}: {exc}".split())]
    except RecursionError:
        return None, [f"claim file is not valid {fmt}: nested too deeply"]


class _ParseError(Exception):
    """A claim file that does not parse, with its line and column."""


def _parse_json(text: str) -> tuple[Any, list[str]]:
    repeated: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict:
        out: dict = {}
        for key, value in items:
            if key in out:
                repeated.append(f"claim file repeats the key {key!r}; only one may stay")
            out[key] = value
        return out

    try:
        data = json.loads(text, parse_float=Decimal, parse_constant=str, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise _ParseError(f"line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except ValueError as exc:  # e.g. an integer past Python's digit limit
        raise _ParseError(str(exc).split(";")[0]) from None
    return data, list(dict.fromkeys(repeated))


def _parse_yaml(text: str) -> Any:
    import yaml

    try:
        data = yaml.load(text, Loader=_yaml_loader())  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1} column {mark.column + 1}: " if mark else ""
        raise _ParseError(f"{where}{exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise _ParseError(str(exc)) from None
    if data is None:
        raise _ParseError("the file is empty")
    return data


@cache
def _yaml_loader() -> type:
    """A SafeLoader that keeps plain scalars as text (except true/false/null), and
    refuses repeated keys and aliases."""
    import yaml

    class ClaimLoader(yaml.SafeLoader):
        yaml_implicit_resolvers: dict = {}  # noqa: RUF012 - PyYAML's own class attribute

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise yaml.composer.ComposerError(
                    None, None, "aliases (*name) are not allowed in claim files", event.start_mark
                )
            return super().compose_node(parent, index)

        def construct_mapping(self, node: Any, deep: bool = False) -> dict:
            seen: set = set()
            for key_node, _ in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                if key is not None and key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"repeats the key {key!r}", key_node.start_mark
                    )
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    ClaimLoader.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )
    ClaimLoader.add_implicit_resolver(
        "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
    )
    return ClaimLoader


def dumps(claim: Claim, fmt: str = "JSON") -> str:
    """The claim as JSON (indented) or YAML text, ending in a newline."""
    return data_text(to_dict(claim), fmt)


def data_text(data: dict, fmt: str = "JSON") -> str:
    """Claim data (either form's) as JSON (indented) or YAML text, ending in a newline."""
    if fmt == "YAML":
        import yaml

        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def save(claim: Claim, path: str | os.PathLike[str]) -> None:
    """Write a claim atomically (temp file, then os.replace) as JSON or YAML by extension.

    The claim is validated first: a claim that would not load raises ClaimError and
    nothing is written.
    """
    path = Path(path)
    fmt = _format_of(path)
    problems = claim_problems(to_dict(claim))
    if problems:
        raise ClaimError(problems)
    write_atomically(path, dumps(claim, fmt))


def write_atomically(path: Path, text: str) -> None:
    """Write a claim file (either form's) whole or not at all: a temporary file beside it,
    flushed to disk, then renamed over it."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
