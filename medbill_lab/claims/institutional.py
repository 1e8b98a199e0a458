"""The institutional claim: the UB-04 (CMS-1450), as one data model that the
institutional edits, the 837I writer and the printed UB-04 share.

Each field names the form locator (FL) it fills, so every problem can name it
("FL 42 line 2: revenue code '45' is not 4 digits").  Money is ``Decimal``,
dates are ``datetime.date``.  A claim file says it is a UB-04 with
``"form": "UB-04"``; files without it are CMS-1500 claims
(:mod:`medbill_lab.claims.model`).

Form locators follow the NUBC UB-04 layout as CMS summarises it (Medicare
Claims Processing Manual, chapter 25, section 75); code values are teaching
subsets in ``datasets/ub04/``, read by :mod:`medbill_lab.claims.ub04_checks`.

>>> claim = from_dict(_example_data())
>>> claim.type_of_bill, claim.is_inpatient(), claim.principal_diagnosis.code
('0111', True, 'J18.9')
>>> claim.line_total(), from_dict(to_dict(claim)) == claim
(Decimal('4350.00'), True)
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import types
import typing
from dataclasses import dataclass, field, fields, is_dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from medbill_lab.claims.model import (
    CENT,
    DATE_PATTERN,
    ICD_PATTERN,
    MAX_CITY,
    MAX_CLAIM_ID,
    MAX_FIRST_NAME,
    MAX_LAST_NAME,
    MAX_MEMBER_ID,
    MAX_MIDDLE_NAME,
    MAX_MONEY,
    MAX_ORG_NAME,
    MAX_PHONE,
    MAX_REFERENCE,
    MAX_STREET,
    MAX_UNITS,
    MONEY_PATTERN,
    NPI_PATTERN,
    SCHEMA_DIALECT,
    SEXES,
    STATE_PATTERN,
    TAX_ID_PATTERN,
    ZIP_PATTERN,
    Address,
    ClaimError,
    Person,
    data_text,
    npi_is_valid,
    read_claim_file,
    write_atomically,
)
from medbill_lab.claims.schema_parts import (
    TYPE_WORDS,
    JsonPath,
    SchemaParts,
    as_decimal,
    draft_validator,
    node_at,
    order_key,
    shown,
)

FORM = "UB-04"  # the value of "form" that marks a claim file as institutional
POA_VALUES = ("Y", "N", "U", "W", "1", "")  # FL 67: "1" is exempt on paper, blank in the 837I
MAX_CONDITION_CODES = 11  # FL 18-28
OTHER_DIAGNOSIS_LETTERS = "ABCDEFGHIJKLMNOPQ"  # FL 67A-Q on paper
MAX_OCCURRENCE_CODES = 8  # FL 31-34 a-b
MAX_OCCURRENCE_SPANS = 4  # FL 35-36 a-b
MAX_VALUE_CODES = 12  # FL 39-41 a-d
MAX_PAPER_LINES = 22  # FL 42-48 lines 1-22; line 23 holds the 0001 total
MAX_LINES = 999  # 837I loop 2400
MAX_OTHER_DIAGNOSES = 24  # 837I HI (the paper FL 67A-Q holds 17)
MAX_EXTERNAL_CAUSE = 12  # 837I HI (the paper FL 72a-c holds 3)
MAX_REASON_DIAGNOSES = 3  # FL 70a-c
MAX_OTHER_PROCEDURES = 24  # 837I HI (the paper FL 74a-e holds 5)
MAX_PAYERS = 3  # FL 50-65 lines A, B, C
MAX_MODIFIERS = 4  # FL 44 with the HCPCS (837I SV202-3..6)
MAX_DESCRIPTION = 80  # 837I SV202-7
MAX_REMARKS = 80  # FL 80 (837I NTE02)
RELATIONSHIPS = {"18": "self", "01": "spouse", "19": "child", "G8": "other relationship"}  # FL 59

REVENUE_CODE_PATTERN = r"^[0-9]{4}$"
TYPE_OF_BILL_PATTERN = r"^0[0-9]{2}[0-9A-Z]$"  # the frequency may be a letter (081A)
HCPCS_PATTERN = r"^([A-Z0-9]{5})?$"
MODIFIER_PATTERN = r"^[A-Z0-9]{2}$"
FL_CODE_PATTERN = r"^[A-Z0-9]{2}$"  # condition, occurrence, span and value codes
ADMISSION_TYPE_PATTERN = r"^([0-9])?$"
ADMISSION_SOURCE_PATTERN = r"^([0-9A-Z])?$"
HOUR_PATTERN = r"^(([01][0-9]|2[0-3]))?$"
DISCHARGE_STATUS_PATTERN = r"^([0-9]{2})?$"
PCS_PATTERN = r"^[0-9A-HJ-NP-Z]{7}$"
POA_PATTERN = (
    r"^[A-Z0-9]?$"  # one character or blank; which ones are valid is an edit (POA-INVALID)
)
OPTIONAL_ICD_PATTERN = r"^([A-Za-z][0-9A-Za-z]{2}(\.?[0-9A-Za-z]{1,4})?)?$"
UNITS_PATTERN = MONEY_PATTERN

_PATTERN_PROBLEMS = {
    MONEY_PATTERN: "is not a number",
    DATE_PATTERN: "is not a date in the form YYYY-MM-DD",
    NPI_PATTERN: "is not 10 digits",
    STATE_PATTERN: "is not a two-letter state code in capitals",
    ZIP_PATTERN: "is not a 5- or 9-digit ZIP code",
    TAX_ID_PATTERN: "is not 9 digits (NN-NNNNNNN)",
    ICD_PATTERN: "is not shaped like an ICD-10-CM code (e.g. J18.9)",
    OPTIONAL_ICD_PATTERN: "is not shaped like an ICD-10-CM code (e.g. J18.9)",
    REVENUE_CODE_PATTERN: "is not 4 digits (with its leading 0, e.g. 0450)",
    TYPE_OF_BILL_PATTERN: "is not 4 characters: 0, two digits and a frequency digit or letter (e.g. 0111)",
    HCPCS_PATTERN: "is not a 5-character HCPCS/CPT code in capitals",
    MODIFIER_PATTERN: "is not a two-character modifier in capitals",
    FL_CODE_PATTERN: "is not a two-character code in capitals (e.g. 01, A1)",
    ADMISSION_TYPE_PATTERN: "is not one digit",
    ADMISSION_SOURCE_PATTERN: "is not one digit or capital letter",
    HOUR_PATTERN: "is not an hour 00-23",
    DISCHARGE_STATUS_PATTERN: "is not two digits",
    PCS_PATTERN: "is not 7 ICD-10-PCS characters (digits and capitals, no I or O)",
    POA_PATTERN: "is not one character (Y, N, U, W, 1) or blank",
    r"^[1-9][0-9]{0,4}$": "is not a whole number of days from 1 to 99999",
}


# =================================================================================
# The model
# =================================================================================
@dataclass
class Facility:
    """The billing provider: FL 1 (name, address), FL 5 (TIN), FL 56 (NPI), FL 81 (taxonomy)."""

    name: str
    npi: str
    address: Address
    tax_id: str  # FL 5: the federal tax number (EIN)
    taxonomy: str = ""  # FL 81cc with qualifier B3 (837I PRV03)


@dataclass
class Physician:
    """An attending (FL 76), operating (FL 77) or other (FL 78-79) physician."""

    npi: str
    last: str
    first: str = ""


@dataclass
class Occurrence:
    """FL 31-34: an occurrence code and its date."""

    code: str
    date: dt.date


@dataclass
class OccurrenceSpan:
    """FL 35-36: an occurrence-span code with its from and through dates."""

    code: str
    date_from: dt.date
    date_through: dt.date


@dataclass
class ValueCode:
    """FL 39-41: a value code and its amount."""

    code: str
    amount: Decimal


@dataclass
class Diagnosis:
    """An ICD-10-CM code with its present-on-admission indicator (FL 67, 67A-Q, 72).

    POA: Y yes, N no, U documentation insufficient, W clinically undetermined,
    1 (or blank) exempt from POA reporting.
    """

    code: str
    poa: str = ""


@dataclass
class Procedure:
    """FL 74, 74a-e: an ICD-10-PCS code and the date it was done."""

    code: str
    date: dt.date


@dataclass
class RevenueLine:
    """One line of FL 42-48."""

    revenue_code: str  # FL 42: 4 digits with the leading 0
    total_charge: Decimal  # FL 47
    description: str = ""  # FL 43
    hcpcs: str = ""  # FL 44: HCPCS/CPT (outpatient; rates on inpatient accommodation lines)
    modifiers: list[str] = field(default_factory=list)  # FL 44, after the code
    service_date: dt.date | None = None  # FL 45 (outpatient lines need it)
    units: Decimal = Decimal(1)  # FL 46: units or days
    non_covered: Decimal = Decimal(0)  # FL 48


@dataclass
class Coverage:
    """One payer line of FL 50-65 (A primary, B secondary, C tertiary)."""

    payer_name: str  # FL 50
    payer_id: str  # FL 51: health plan ID (837I NM109 of loop 2010BB)
    insured_id: str  # FL 60: the insured's unique ID
    relationship: str = "18"  # FL 59: 18 self, 01 spouse, 19 child, G8 other
    insured: Person | None = None  # FL 58; None when the patient is the insured
    filing_indicator: str = "CI"  # 837I SBR09: MA Medicare Part A, MC Medicaid, CI commercial...
    release_of_information: str = "Y"  # FL 52: Y, or I (informed consent only)
    assignment_of_benefits: bool = True  # FL 53
    prior_payments: Decimal = Decimal(0)  # FL 54
    estimated_amount_due: Decimal | None = None  # FL 55
    group_name: str = ""  # FL 61
    group_number: str = ""  # FL 62
    authorization: str = ""  # FL 63: treatment authorization code
    document_control_number: str = ""  # FL 64: the payer's claim number being replaced
    employer_name: str = ""  # FL 65
    address: Address | None = None  # the payer's address (837I loop 2010BB)
    timely_filing_days: int = 365  # from the statement through date


@dataclass
class InstitutionalClaim:
    """A UB-04 (CMS-1450) institutional claim."""

    type_of_bill: str  # FL 4: 0 + facility type + care classification + frequency
    billing_provider: Facility  # FL 1, 5, 56, 81
    patient: Person  # FL 8 name, 9 address, 10 birth date, 11 sex
    statement_from: dt.date  # FL 6
    statement_through: dt.date  # FL 6
    payers: list[Coverage]  # FL 50-65, primary first
    principal_diagnosis: Diagnosis  # FL 67
    lines: list[RevenueLine]  # FL 42-48
    form: str = FORM
    patient_control_number: str = ""  # FL 3a (837I CLM01)
    medical_record_number: str = ""  # FL 3b
    admission_date: dt.date | None = None  # FL 12 (inpatient; outpatient: the visit start)
    admission_hour: str = ""  # FL 13: 00-23
    admission_type: str = ""  # FL 14: priority of the visit
    admission_source: str = ""  # FL 15: point of origin
    discharge_hour: str = ""  # FL 16
    discharge_status: str = ""  # FL 17: patient discharge status
    condition_codes: list[str] = field(default_factory=list)  # FL 18-28
    accident_state: str = ""  # FL 29
    occurrences: list[Occurrence] = field(default_factory=list)  # FL 31-34
    occurrence_spans: list[OccurrenceSpan] = field(default_factory=list)  # FL 35-36
    value_codes: list[ValueCode] = field(default_factory=list)  # FL 39-41
    total_charge: Decimal | None = None  # FL 47 on the 0001 line; None means the sum
    total_non_covered: Decimal | None = None  # FL 48 on the 0001 line; None means the sum
    icd_indicator: str = "0"  # FL 66: 0 = ICD-10
    other_diagnoses: list[Diagnosis] = field(default_factory=list)  # FL 67A-Q
    admitting_diagnosis: str = ""  # FL 69 (inpatient; no POA)
    reason_for_visit: list[str] = field(default_factory=list)  # FL 70a-c (outpatient)
    external_cause_diagnoses: list[Diagnosis] = field(default_factory=list)  # FL 72a-c
    principal_procedure: Procedure | None = None  # FL 74
    other_procedures: list[Procedure] = field(default_factory=list)  # FL 74a-e
    attending: Physician | None = None  # FL 76
    operating: Physician | None = None  # FL 77
    other_physicians: list[Physician] = field(default_factory=list)  # FL 78-79
    remarks: str = ""  # FL 80
    submitted_on: dt.date | None = None  # not on the form: the date sent (837I BHT04)

    def line_total(self) -> Decimal:
        """The sum of FL 47 over the revenue lines."""
        return sum((line.total_charge for line in self.lines), Decimal(0))

    def non_covered_total(self) -> Decimal:
        """The sum of FL 48 over the revenue lines."""
        return sum((line.non_covered for line in self.lines), Decimal(0))

    def is_inpatient(self) -> bool:
        """Does FL 4 say inpatient: a facility type 1-6 whose care classification (third
        digit) is 1 or 2?  For clinics (7) and special facilities (8, such as hospice) the
        third digit names the kind of facility instead."""
        bill = self.type_of_bill
        return len(bill) == 4 and bill[1] in "123456" and bill[2] in "12"

    def all_diagnoses(self) -> list[Diagnosis]:
        """FL 67, 67A-Q and 72 in claim order (the principal first)."""
        return [self.principal_diagnosis, *self.other_diagnoses, *self.external_cause_diagnoses]

    def procedures(self) -> list[Procedure]:
        """FL 74 and 74a-e in claim order (the principal first)."""
        first = [self.principal_procedure] if self.principal_procedure else []
        return first + list(self.other_procedures)

    def discharge_date(self) -> dt.date:
        """The discharge (inpatient) or last service date: FL 6's through date."""
        return self.statement_through


def is_institutional(data: Any) -> bool:
    """Does this claim data (a parsed file) say it is a UB-04 (``"form": "UB-04"``)?

    >>> is_institutional({"form": "UB-04"}), is_institutional({"program": "group"})
    (True, False)
    """
    return isinstance(data, dict) and data.get("form") == FORM


# =================================================================================
# The JSON Schema: every title names the form locator.
# =================================================================================
_parts = SchemaParts()
_p, _text, _date, _money = _parts.p, _parts.text, _parts.date, _parts.money
_array, _object = _parts.array, _parts.object


def _address_schema(fl: str, whose: str, *, nullable: bool = True) -> dict:
    props = {
        "street": _text(f"{fl}: street", f"{fl}: {whose} street address (837I N301).", required=True, maxLength=MAX_STREET),
        "city": _text(f"{fl}: city", f"{fl}: {whose} city (837I N401).", required=True, maxLength=MAX_CITY),
        "state": _text(f"{fl}: state", f"{fl}: {whose} state (USPS code).", pattern=STATE_PATTERN),
        "zip": _text(f"{fl}: ZIP code", f"{fl}: {whose} ZIP code, 5 or 9 digits.", pattern=ZIP_PATTERN),
        "phone": _text(f"{fl}: telephone", f"{fl}: {whose} telephone (optional).", maxLength=MAX_PHONE),
    }  # fmt: skip
    return _object(
        f"{fl}: {whose} address",
        f"{fl}: {whose} address.",
        props,
        ["street", "city", "state", "zip"],
        nullable=nullable,
    )


def _person_schema(fl: str, whose: str, *, patient: bool) -> dict:
    born = "FL 10" if patient else fl
    sex = "FL 11" if patient else fl
    home = "FL 9" if patient else fl
    props = {
        "last": _text(f"{fl}: {whose} last name", f"{fl}: {whose} last name (837I NM103).", required=True, maxLength=MAX_LAST_NAME),
        "first": _text(f"{fl}: {whose} first name", f"{fl}: {whose} first name (837I NM104).", required=True, maxLength=MAX_FIRST_NAME),
        "middle": _text(f"{fl}: {whose} middle initial", f"{fl}: {whose} middle name or initial (837I NM105).", maxLength=MAX_MIDDLE_NAME),
        "dob": _date(f"{born}: birth date", f"{born}: {whose} date of birth", nullable=not patient),
        "sex": _p(f"{sex}: sex", f"{sex}: {whose} sex: M, F or U (unknown).", type="string", enum=list(SEXES)),
        "address": _address_schema(home, whose),
    }  # fmt: skip
    required = ["last", "first", "dob", "sex"] if patient else ["last", "first"]
    who = whose.removesuffix("'s")
    return _object(f"{fl}: {who}", f"{fl}: {who}.", props, required, nullable=not patient)


def _facility_schema() -> dict:
    props = {
        "name": _text("FL 1: billing provider name", "FL 1: the facility's name (837I loop 2010AA NM103).", required=True, maxLength=MAX_ORG_NAME),
        "npi": _text("FL 56: billing provider NPI", "FL 56: the facility's NPI (10 digits, valid check digit).", pattern=NPI_PATTERN),
        "address": _address_schema("FL 1", "billing provider's", nullable=False),
        "tax_id": _text("FL 5: federal tax number", "FL 5: the facility's federal tax ID (EIN), 9 digits.", pattern=TAX_ID_PATTERN),
        "taxonomy": _text("FL 81: taxonomy code", "FL 81cc: the facility's taxonomy code, printed with qualifier B3 (837I PRV03).", maxLength=MAX_REFERENCE),
    }  # fmt: skip
    return _object(
        "FL 1, 5, 56: billing provider",
        "FL 1, 5, 56 and 81: the facility that bills.",
        props,
        ["name", "npi", "address", "tax_id"],
        nullable=False,
    )


def _physician_schema(fl: str, who: str, *, nullable: bool = True) -> dict:
    props = {
        "npi": _text(f"{fl}: {who} NPI", f"{fl}: the {who}'s NPI (10 digits, valid check digit).", pattern=NPI_PATTERN),
        "last": _text(f"{fl}: {who} last name", f"{fl}: the {who}'s last name.", required=True, maxLength=MAX_LAST_NAME),
        "first": _text(f"{fl}: {who} first name", f"{fl}: the {who}'s first name.", maxLength=MAX_FIRST_NAME),
    }  # fmt: skip
    return _object(
        f"{fl}: {who}",
        f"{fl}: the {who} (NPI and name).",
        props,
        ["npi", "last"],
        nullable=nullable,
    )


def _diagnosis_schema(fl: str, what: str, *, poa: bool = True) -> dict:
    props = {
        "code": _text(f"{fl}: {what}", f"{fl}: an ICD-10-CM code, with or without the dot (validity for the discharge date is an edit's job).", pattern=ICD_PATTERN),
        "poa": _p(f"{fl}: POA indicator", f"{fl}: present on admission: Y yes, N no, U documentation insufficient, W clinically undetermined, 1 or blank exempt (inpatient claims).", type="string", pattern=POA_PATTERN),
    }  # fmt: skip
    if not poa:
        del props["poa"]
    return _object(f"{fl}: {what}", f"{fl}: {what} with its POA.", props, ["code"], nullable=False)


def _procedure_schema(fl: str, what: str, *, nullable: bool = False) -> dict:
    props = {
        "code": _text(f"{fl}: {what} code", f"{fl}: an ICD-10-PCS code, 7 characters.", pattern=PCS_PATTERN),
        "date": _date(f"{fl}: {what} date", f"{fl}: the date of the {what}", nullable=False),
    }  # fmt: skip
    return _object(
        f"{fl}: {what}", f"{fl}: {what} with its date.", props, ["code", "date"], nullable=nullable
    )


def _line_schema() -> dict:
    props = {
        "revenue_code": _text("FL 42: revenue code", "FL 42: the 4-digit revenue code with its leading 0 (e.g. 0450 emergency room).", pattern=REVENUE_CODE_PATTERN),
        "description": _text("FL 43: description", "FL 43: the revenue code's description (837I SV202-7).", maxLength=MAX_DESCRIPTION),
        "hcpcs": _text("FL 44: HCPCS code", "FL 44: HCPCS/CPT code (outpatient lines; empty for most inpatient lines).", pattern=HCPCS_PATTERN),
        "modifiers": _array("FL 44: modifiers", f"FL 44: up to {MAX_MODIFIERS} modifiers after the HCPCS code.", _text("FL 44: modifier", "FL 44: a modifier such as 25 or RT.", pattern=MODIFIER_PATTERN), MAX_MODIFIERS),
        "service_date": _date("FL 45: service date", "FL 45: the date of service (outpatient lines)"),
        "units": _p("FL 46: service units", "FL 46: units or days, more than 0 (default 1).", type=["string", "number"], pattern=UNITS_PATTERN),
        "total_charge": _money("FL 47: total charges", "FL 47: the line's total charge"),
        "non_covered": _money("FL 48: non-covered charges", "FL 48: the part of the line's charge not covered"),
    }  # fmt: skip
    return _object(
        "FL 42-48: revenue line",
        "FL 42-48: one revenue line.",
        props,
        ["revenue_code", "total_charge"],
        nullable=False,
    )


def _coverage_schema() -> dict:
    props = {
        "payer_name": _text("FL 50: payer name", "FL 50: the payer's name.", required=True, maxLength=MAX_ORG_NAME),
        "payer_id": _text("FL 51: health plan ID", "FL 51: the payer's health plan ID (837I loop 2010BB NM109).", required=True, maxLength=MAX_MEMBER_ID),
        "release_of_information": _p("FL 52: release of information", "FL 52: Y signed release on file, I informed consent only.", type="string", enum=["Y", "I"]),
        "assignment_of_benefits": _p("FL 53: assignment of benefits", "FL 53: does the patient assign benefits to the facility?", type="boolean"),
        "prior_payments": _money("FL 54: prior payments", "FL 54: what this payer already paid"),
        "estimated_amount_due": _money("FL 55: estimated amount due", "FL 55: the amount expected from this payer", nullable=True),
        "insured": _person_schema("FL 58", "insured's", patient=False),
        "relationship": _p("FL 59: patient relationship", "FL 59: the patient's relationship to the insured: 18 self, 01 spouse, 19 child, G8 other.", type="string", enum=list(RELATIONSHIPS)),
        "insured_id": _text("FL 60: insured's unique ID", "FL 60: the insured's ID as on the card.", required=True, maxLength=MAX_MEMBER_ID),
        "group_name": _text("FL 61: group name", "FL 61: the insurance group name.", maxLength=MAX_ORG_NAME),
        "group_number": _text("FL 62: insurance group number", "FL 62: the insurance group number.", maxLength=MAX_REFERENCE),
        "authorization": _text("FL 63: treatment authorization code", "FL 63: the payer's authorization number.", maxLength=MAX_REFERENCE),
        "document_control_number": _text("FL 64: document control number", "FL 64: the payer's claim number being replaced or voided.", maxLength=MAX_REFERENCE),
        "employer_name": _text("FL 65: employer name", "FL 65: the insured's employer.", maxLength=MAX_ORG_NAME),
        "filing_indicator": _text("FL 50: claim filing indicator", "Goes with FL 50: the 837I claim filing indicator (SBR09): MA Medicare Part A, MB Part B, MC Medicaid, CI commercial, BL BCBS...", pattern=FL_CODE_PATTERN),
        "address": _address_schema("FL 50", "payer's"),
        "timely_filing_days": _p("FL 50: timely filing limit", "Not printed: the payer's timely-filing limit in days from the statement through date.", type=["integer", "string"], pattern=r"^[1-9][0-9]{0,4}$", minimum=1, maximum=99999),
    }  # fmt: skip
    return _object(
        "FL 50-65: payer",
        "FL 50-65: one payer line (A primary, B secondary, C tertiary).",
        props,
        ["payer_name", "payer_id", "insured_id"],
        nullable=False,
    )


def _occurrence_schema() -> dict:
    props = {
        "code": _text("FL 31-34: occurrence code", "FL 31-34: a two-character occurrence code.", pattern=FL_CODE_PATTERN),
        "date": _date("FL 31-34: occurrence date", "FL 31-34: the date of the occurrence", nullable=False),
    }  # fmt: skip
    return _object("FL 31-34: occurrence", "FL 31-34: one occurrence code with its date.", props, ["code", "date"], nullable=False)  # fmt: skip


def _span_schema() -> dict:
    props = {
        "code": _text("FL 35-36: occurrence span code", "FL 35-36: a two-character occurrence-span code.", pattern=FL_CODE_PATTERN),
        "date_from": _date("FL 35-36: span from", "FL 35-36: the first day of the span", nullable=False),
        "date_through": _date("FL 35-36: span through", "FL 35-36: the last day of the span", nullable=False),
    }  # fmt: skip
    return _object("FL 35-36: occurrence span", "FL 35-36: one occurrence-span code with its dates.", props, ["code", "date_from", "date_through"], nullable=False)  # fmt: skip


def _value_schema() -> dict:
    props = {
        "code": _text("FL 39-41: value code", "FL 39-41: a two-character value code.", pattern=FL_CODE_PATTERN),
        "amount": _money("FL 39-41: value amount", "FL 39-41: the amount (dollars, or a count such as days, written as a number)"),
    }  # fmt: skip
    return _object("FL 39-41: value", "FL 39-41: one value code with its amount.", props, ["code", "amount"], nullable=False)  # fmt: skip


def _claim_properties() -> dict:
    return {
        "$schema": _text("Schema: the JSON Schema this file follows", "Not a form locator: optional, for editors; ignored on load."),
        "form": _p("Claim file: form", 'Not a form locator: "UB-04" marks the file as an institutional claim (files without it are CMS-1500 claims).', type="string", const=FORM),
        "patient_control_number": _text("FL 3a: patient control number", "FL 3a: the facility's account number for the stay (837I CLM01).", maxLength=MAX_CLAIM_ID),
        "medical_record_number": _text("FL 3b: medical record number", "FL 3b: the patient's medical record number.", maxLength=MAX_REFERENCE),
        "type_of_bill": _text("FL 4: type of bill", "FL 4: four digits: 0, facility type, care classification, frequency (e.g. 0111 hospital inpatient admit through discharge).", pattern=TYPE_OF_BILL_PATTERN),
        "billing_provider": _facility_schema(),
        "statement_from": _date("FL 6: statement from", "FL 6: the first day the claim covers", nullable=False),
        "statement_through": _date("FL 6: statement through", "FL 6: the last day the claim covers (the discharge date on a final inpatient claim)", nullable=False),
        "patient": _person_schema("FL 8", "patient's", patient=True),
        "admission_date": _date("FL 12: admission date", "FL 12: the date of admission (inpatient) or start of care"),
        "admission_hour": _text("FL 13: admission hour", "FL 13: the hour of admission, 00-23.", pattern=HOUR_PATTERN),
        "admission_type": _text("FL 14: priority (type) of admission", "FL 14: 1 emergency, 2 urgent, 3 elective, 4 newborn, 5 trauma, 9 unknown.", pattern=ADMISSION_TYPE_PATTERN),
        "admission_source": _text("FL 15: point of origin", "FL 15: point of origin for the admission or visit (e.g. 1 non-health-care point, 2 clinic or physician's office).", pattern=ADMISSION_SOURCE_PATTERN),
        "discharge_hour": _text("FL 16: discharge hour", "FL 16: the hour of discharge, 00-23.", pattern=HOUR_PATTERN),
        "discharge_status": _text("FL 17: patient discharge status", "FL 17: two digits, e.g. 01 home, 03 skilled nursing facility, 20 expired.", pattern=DISCHARGE_STATUS_PATTERN),
        "condition_codes": _array("FL 18-28: condition codes", f"FL 18-28: up to {MAX_CONDITION_CODES} condition codes.", _text("FL 18-28: condition code", "FL 18-28: a two-character condition code.", pattern=FL_CODE_PATTERN), MAX_CONDITION_CODES),
        "accident_state": _text("FL 29: accident state", "FL 29: the state of an auto accident.", pattern=r"^([A-Z]{2})?$"),
        "occurrences": _array("FL 31-34: occurrence codes", f"FL 31-34: up to {MAX_OCCURRENCE_CODES} occurrence codes with dates.", _occurrence_schema(), MAX_OCCURRENCE_CODES),
        "occurrence_spans": _array("FL 35-36: occurrence spans", f"FL 35-36: up to {MAX_OCCURRENCE_SPANS} occurrence-span codes with dates.", _span_schema(), MAX_OCCURRENCE_SPANS),
        "value_codes": _array("FL 39-41: value codes", f"FL 39-41: up to {MAX_VALUE_CODES} value codes with amounts.", _value_schema(), MAX_VALUE_CODES),
        "lines": _array("FL 42-48: revenue lines", f"FL 42-48: at least 1 and at most {MAX_LINES} revenue lines (paper holds {MAX_PAPER_LINES} a page).", _line_schema(), MAX_LINES, least=1),
        "total_charge": _money("FL 47: total charges (0001)", "FL 47 on the 0001 total line: the claim's total charge; omit or null for the sum of the lines", nullable=True),
        "total_non_covered": _money("FL 48: total non-covered (0001)", "FL 48 on the 0001 total line: the non-covered total; omit or null for the sum of the lines", nullable=True),
        "payers": _array("FL 50-65: payers", f"FL 50-65: 1 to {MAX_PAYERS} payers, primary first (lines A-C).", _coverage_schema(), MAX_PAYERS, least=1),
        "icd_indicator": _p("FL 66: diagnosis and procedure code qualifier", "FL 66: 0 = ICD-10.", type="string", enum=["0"]),
        "principal_diagnosis": _diagnosis_schema("FL 67", "principal diagnosis"),
        "other_diagnoses": _array("FL 67A-Q: other diagnoses", f"FL 67A-Q: other diagnoses with POA, up to {MAX_OTHER_DIAGNOSES} (the 837I's limit; paper holds 17).", _diagnosis_schema("FL 67A-Q", "other diagnosis"), MAX_OTHER_DIAGNOSES),
        "admitting_diagnosis": _text("FL 69: admitting diagnosis", "FL 69: the diagnosis at admission (inpatient; no POA).", pattern=OPTIONAL_ICD_PATTERN),
        "reason_for_visit": _array("FL 70: patient's reason for visit", f"FL 70a-c: up to {MAX_REASON_DIAGNOSES} reasons for an unscheduled outpatient visit.", _text("FL 70: reason for visit", "FL 70: an ICD-10-CM code.", pattern=ICD_PATTERN), MAX_REASON_DIAGNOSES),
        "external_cause_diagnoses": _array("FL 72: external cause codes", f"FL 72a-c: external-cause codes with POA, up to {MAX_EXTERNAL_CAUSE}.", _diagnosis_schema("FL 72", "external cause code"), MAX_EXTERNAL_CAUSE),
        "principal_procedure": _procedure_schema("FL 74", "principal procedure", nullable=True),
        "other_procedures": _array("FL 74a-e: other procedures", f"FL 74a-e: other ICD-10-PCS procedures with dates, up to {MAX_OTHER_PROCEDURES}.", _procedure_schema("FL 74a-e", "other procedure"), MAX_OTHER_PROCEDURES),
        "attending": _physician_schema("FL 76", "attending physician"),
        "operating": _physician_schema("FL 77", "operating physician"),
        "other_physicians": _array("FL 78-79: other physicians", "FL 78-79: up to 2 other physicians.", _physician_schema("FL 78-79", "other physician", nullable=False), 2),
        "remarks": _text("FL 80: remarks", "FL 80: remarks (837I NTE02).", maxLength=MAX_REMARKS),
        "submitted_on": _date("Submission: date sent", "Not on the UB-04: the date the claim is sent (837I BHT04)"),
    }  # fmt: skip


@cache
def _schema() -> dict:
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "MedBill Lab institutional claim (UB-04)",
        "description": (
            'A UB-04 (CMS-1450) institutional claim as a MedBill Lab claim file (JSON or YAML) with "form": '
            '"UB-04". Each property\'s title names the form locator (FL) it fills. Dates are YYYY-MM-DD; '
            'money is a decimal string such as "125.00". Loading also checks what a schema cannot: real '
            "dates, NPI check digits, no negative money. Code values (revenue codes, type of bill, "
            "discharge status...) are checked by `medbill-lab claim check`."
        ),
        "type": "object",
        "properties": _claim_properties(),
        "required": [
            "form",
            "type_of_bill",
            "billing_provider",
            "statement_from",
            "statement_through",
            "patient",
            "lines",
            "payers",
            "principal_diagnosis",
        ],
        "additionalProperties": False,
    }


def institutional_schema() -> dict:
    """The published JSON Schema (draft 2020-12) for UB-04 claim files.

    >>> s = institutional_schema()
    >>> s["properties"]["lines"]["items"]["properties"]["revenue_code"]["title"]
    'FL 42: revenue code'
    """
    return copy.deepcopy(_schema())


# =================================================================================
# Validation: the schema, then what a schema cannot say.
# =================================================================================


def _node_at(path: JsonPath) -> dict | None:
    return node_at(_schema(), path)


def where(path: JsonPath) -> tuple[str, str]:
    """(locator, label) for a value: ("FL 42 line 2", "revenue code"), ("FL 67B", "POA indicator").

    >>> where(("lines", 1, "revenue_code"))
    ('FL 42 line 2', 'revenue code')
    >>> where(("other_diagnoses", 1, "poa"))
    ('FL 67B', 'POA indicator')
    """
    node = _node_at(path)
    title = node.get("title", "") if node else ""
    locator, _, label = title.partition(": ")
    if not path:
        return "claim", "the claim"
    if not label:
        locator, label = "claim", str(path[-1])
    if len(path) > 1 and isinstance(path[1], int):
        locator = _indexed(str(path[0]), path[1], locator)
    return locator, label


def _indexed(key: str, index: int, locator: str) -> str:
    """The locator of the index-th entry of a list: FL 67C, FL 74b, FL 42 line 3, payer B."""
    letters = {
        "other_diagnoses": ("FL 67", OTHER_DIAGNOSIS_LETTERS),
        "external_cause_diagnoses": ("FL 72", "abc"),
        "other_procedures": ("FL 74", "abcde"),
        "reason_for_visit": ("FL 70", "abc"),
    }
    if key in letters:
        base, marks = letters[key]
        return base + marks[index] if index < len(marks) else f"{base} #{index + 1}"
    if key == "payers":
        return f"{locator} payer {'ABC'[index] if index < 3 else index + 1}"
    if key == "lines":
        return f"{locator} line {index + 1}"
    return f"{locator} #{index + 1}"


_shown = shown


def _schema_problem(error: Any) -> str:
    """One jsonschema error in the form's words: locator, what, what is wrong."""
    path: JsonPath = tuple(error.absolute_path)
    kind, value, limit = error.validator, error.instance, error.validator_value
    if kind == "additionalProperties":
        unknown = [k for k in value if k not in error.schema.get("properties", {})]
        extras = ", ".join(repr(k) for k in unknown[:5])
        if not path:
            return (
                f"unknown top-level field {extras} (see `medbill-lab claim schema --institutional`)"
            )
        locator, label = where(path)
        return f"{locator}: unknown field {extras} in {label}"
    locator, label = where(path)
    if not path and kind == "type":
        return f"the claim file must hold one claim, an object of fields, not {_shown(value)}"
    if kind == "type":
        kinds = [limit] if isinstance(limit, str) else list(limit)
        return f"{locator}: {label} must be {' or '.join(TYPE_WORDS.get(k, k) for k in kinds)}, not {_shown(value)}"
    if kind == "enum":
        allowed = ", ".join(v if v else "blank" for v in limit)
        return f"{locator}: {label} {_shown(value)} is not one of {allowed}"
    if kind == "const":
        return f"{locator}: {label} is {_shown(value)}, not {limit!r}"
    if kind == "pattern":
        return f"{locator}: {label} {_shown(value)} {_PATTERN_PROBLEMS.get(limit, 'is malformed')}"
    if kind == "maxItems":
        return f"{locator}: {len(value)} entries; at most {limit}"
    if kind == "minItems":
        return f"{locator}: none given; at least {limit} required"
    if kind == "minLength":
        return f"{locator}: {label} is empty"
    if kind == "maxLength":
        return f"{locator}: {label} is {len(value)} characters long; at most {limit} fit"
    if kind in ("minimum", "maximum"):
        return f"{locator}: {label} {_shown(value)} must be {'at least' if kind == 'minimum' else 'at most'} {limit}"
    return f"{locator}: {label}: {error.message}"


@cache
def _validator() -> Any:
    """The draft 2020-12 validator for the UB-04 schema, imported on first use."""
    return draft_validator(_schema())


_decimal = as_decimal


def claim_problems(data: Any) -> list[str]:
    """Every problem with UB-04 claim data, each naming its form locator ([] when fine).

    >>> claim_problems({**_example_data(), "type_of_bill": "111"})
    ["FL 4: type of bill '111' is not 4 characters: 0, two digits and a frequency digit or letter (e.g. 0111)"]
    """
    problems: list[tuple[JsonPath, str]] = []
    bad: set[JsonPath] = set()
    for e in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        path: JsonPath = tuple(e.absolute_path)
        if any(path[:k] in bad for k in range(1, len(path) + 1)):
            continue
        if e.validator == "required":
            for name in e.validator_value:
                if isinstance(e.instance, dict) and name not in e.instance:
                    locator, label = where((*path, name))
                    problems.append(((*path, name), f"{locator}: missing {label}"))
                    bad.add((*path, name))
            continue
        problems.append((path, _schema_problem(e)))
        if e.validator != "additionalProperties":
            bad.add(path)
    if isinstance(data, dict):
        problems += _semantic_problems(data, bad)
    problems.sort(key=lambda pair: _order(pair[0]))
    return list(dict.fromkeys(text for _, text in problems))


def _order(path: JsonPath) -> tuple[int, ...]:
    return order_key(_schema(), path)


def _walk(value: Any, path: JsonPath = ()) -> typing.Iterator[tuple[JsonPath, Any]]:
    """Every (path, leaf or node) in the data."""
    yield path, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, (*path, i))


def _semantic_problems(data: dict, bad: set[JsonPath]) -> list[tuple[JsonPath, str]]:
    """Real dates, money that is not negative and has cents at most, units above 0, NPI check digits."""
    out: list[tuple[JsonPath, str]] = []
    for path, value in _walk(data):
        if any(path[:k] in bad for k in range(1, len(path) + 1)) or value is None:
            continue
        node = _node_at(path) or {}
        locator, label = where(path)
        problem = ""
        if node.get("pattern") == DATE_PATTERN and isinstance(value, str):
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                problem = f"{label} {value} is not a date"
        elif node.get("pattern") == MONEY_PATTERN and path and path[-1] != "units":
            problem = _money_problem(label, value)
        elif path and path[-1] == "units":
            units = _decimal(value)
            if units is None or not units.is_finite() or units <= 0 or units >= MAX_UNITS:
                problem = (
                    f"{label} {_shown(value)} must be a number more than 0 and below {MAX_UNITS}"
                )
        elif (
            node.get("pattern") == NPI_PATTERN
            and isinstance(value, str)
            and not npi_is_valid(value)
        ):
            problem = f"NPI {value} fails the check digit"
        if problem:
            out.append((path, f"{locator}: {problem}"))
    return out


def _money_problem(label: str, value: Any) -> str:
    amount = _decimal(value)
    if amount is None or not amount.is_finite():
        return f"{label} {_shown(value)} is not a number"
    if amount < 0:
        return f"{label} {value} is negative"
    if amount >= MAX_MONEY:
        return f"{label} {value} is too large"
    if amount != amount.quantize(CENT):
        return f"{label} {value} has more than 2 decimal places"
    return ""


# =================================================================================
# Plain data <-> InstitutionalClaim, and files
# =================================================================================
MONEY_FIELDS = frozenset(
    {
        "total_charge",
        "non_covered",
        "total_non_covered",
        "amount",
        "prior_payments",
        "estimated_amount_due",
    }
)


def from_dict(data: dict) -> InstitutionalClaim:
    """An InstitutionalClaim from plain (JSON-ready) data; raises ClaimError listing every problem."""
    problems = claim_problems(data)
    if problems:
        raise ClaimError(problems)
    return _build(InstitutionalClaim, data)


def _build(cls: type, data: dict) -> Any:
    hints = typing.get_type_hints(cls)
    kwargs = {}
    for f in fields(cls):
        value = data.get(f.name)
        if value is not None:
            kwargs[f.name] = _convert(hints[f.name], value)
    return cls(**kwargs)


def _convert(hint: Any, value: Any) -> Any:
    """``value`` converted to the type ``hint`` names (dataclass, list, Decimal, date)."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        hint = next(a for a in typing.get_args(hint) if a is not type(None))
    if typing.get_origin(hint) is list:
        (item,) = typing.get_args(hint)
        return [_convert(item, v) for v in value]
    if is_dataclass(hint):
        return _build(hint, value)  # type: ignore[arg-type]
    if hint is Decimal:
        return _decimal(value)
    if hint is dt.date:
        return dt.date.fromisoformat(value)
    if hint is int:
        return int(value)
    return value


def to_dict(claim: Any) -> dict:
    """Plain JSON-ready data: dates as YYYY-MM-DD, money as "125.00", None left out."""
    out = {"form": claim.form} if isinstance(claim, InstitutionalClaim) else {}
    for f in fields(claim):
        value = getattr(claim, f.name)
        if value is not None:
            out[f.name] = _plain(f.name, value)
    return out


def _plain(name: str, value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return to_dict(value)
    if name in MONEY_FIELDS:
        return str(Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP))
    if name == "units":
        return format(Decimal(str(value)).normalize(), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(name, v) for v in value]
    return value


FORMATS = {".json": "JSON", ".yaml": "YAML", ".yml": "YAML"}


def read_data(path: str | os.PathLike[str]) -> Any:
    """The parsed content of a claim file (JSON or YAML), not yet validated.

    Raises ClaimError for an unknown extension, a file too large, not UTF-8, or not
    parsable; OSError when it cannot be read.
    """
    data, _ = read_claim_file(path)  # a repeated key is not reported for a UB-04 (as before)
    return data


def file_is_institutional(path: str | os.PathLike[str]) -> bool:
    """Does a claim file say it is a UB-04 (``"form": "UB-04"``)?  False when it cannot be
    read or parsed, so the CMS-1500 loader reports those problems as it always has."""
    try:
        return is_institutional(read_data(path))
    except (ClaimError, OSError, ValueError):
        return False


def load(path: str | os.PathLike[str]) -> InstitutionalClaim:
    """Read a UB-04 claim from a .json, .yaml or .yml file; raises ClaimError listing every problem."""
    return from_dict(read_data(path))


def dumps(claim: InstitutionalClaim, fmt: str = "JSON") -> str:
    """The claim as JSON (indented) or YAML text, ending in a newline."""
    return data_text(to_dict(claim), fmt)


def save(claim: InstitutionalClaim, path: str | os.PathLike[str]) -> None:
    """Write a claim atomically as JSON or YAML by extension; a claim that would not load
    raises ClaimError and nothing is written."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ClaimError([f"claim file {path.name}: unknown format; use .json, .yaml or .yml"])
    problems = claim_problems(to_dict(claim))
    if problems:
        raise ClaimError(problems)
    write_atomically(path, dumps(claim, fmt))


def _example_data() -> dict:
    """A small inpatient pneumonia stay, for the examples."""
    return {
        "form": FORM,
        "patient_control_number": "IP2026001",
        "type_of_bill": "0111",
        "billing_provider": {
            "name": "Harlow Community Hospital",
            "npi": "1234567893",
            "tax_id": "36-1234567",
            "address": {"street": "100 Main St", "city": "Harlow", "state": "IL", "zip": "61001"},
        },
        "statement_from": "2026-03-01",
        "statement_through": "2026-03-04",
        "patient": {"last": "Doe", "first": "Jan", "dob": "1955-04-02", "sex": "M"},
        "admission_date": "2026-03-01",
        "admission_type": "1",
        "admission_source": "1",
        "discharge_status": "01",
        "lines": [
            {"revenue_code": "0120", "units": "3", "total_charge": "3600.00"},
            {"revenue_code": "0250", "total_charge": "750.00"},
        ],
        "payers": [
            {"payer_name": "Medicare Part A", "payer_id": "MCRA1", "insured_id": "1EG4TE5MK73"}
        ],
        "principal_diagnosis": {"code": "J18.9", "poa": "Y"},
    }
