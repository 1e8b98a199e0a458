"""The professional claim: CMS-1500 (02/12) items 1-33, as one data model that
the scrubber, the 837P writer, the PDF form and the apps all share.

Each field names the CMS-1500 item it fills, so every error can name the item
("Item 24E line 2: pointer C refers to no diagnosis").  Money is ``Decimal``.
Loading, saving, the JSON Schema and validation live below the model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

PROGRAMS = ("medicare", "medicaid", "tricare", "champva", "group", "feca", "other")  # item 1
RELATIONSHIPS = ("self", "spouse", "child", "other")  # item 6
SEXES = ("M", "F", "U")
MAX_DIAGNOSES = 12  # item 21 A-L
MAX_PAPER_LINES = 6  # item 24 on paper
MAX_LINES = 50  # loop 2400 in the 837P
MAX_MODIFIERS = 4  # item 24D
MAX_POINTERS = 4  # item 24E
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
    filing_indicator: str = "CI"  # 837P SBR09: MB Medicare Part B, MC Medicaid, CI commercial, BL BCBS...
    timely_filing_days: int = 365  # days from the date of service
    address: Address | None = None


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

    def line_total(self) -> Decimal:
        """The sum of item 24F."""
        return sum((line.charge for line in self.lines), Decimal(0))

    def first_date_of_service(self) -> dt.date | None:
        """The earliest 24A date."""
        return min((line.date_from for line in self.lines), default=None)
