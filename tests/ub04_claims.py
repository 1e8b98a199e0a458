"""The synthetic inpatient stay the UB-04 tests build on (the PDF form's and the 837I's): one
pneumonia admission at a synthetic hospital, which each test fills out with the codes, lines
and payers it checks.  :func:`inpatient` gives a fresh copy every time, so a test may change it."""

from __future__ import annotations

import copy

HOSPITAL = {"street": "100 Main St", "city": "Harlow", "state": "IL", "zip": "610011234"}
HOME = {"street": "2 Elm St", "city": "Harlow", "state": "IL", "zip": "61001"}
PATIENT = {"last": "Doe", "first": "Jan", "dob": "1955-04-02", "sex": "M", "address": HOME}


def hospital(**address: str) -> dict:
    """The billing provider (FL 1, 5, 56, 81), its address with ``address`` changes."""
    return {
        "name": "Harlow Community Hospital",
        "npi": "1234567893",
        "tax_id": "36-1234567",
        "taxonomy": "282N00000X",
        "address": {**HOSPITAL, **address},
    }


_STAY = {
    "form": "UB-04",
    "patient_control_number": "IP2026001",
    "medical_record_number": "MR555",
    "type_of_bill": "0111",
    "billing_provider": hospital(),
    "statement_from": "2026-03-01",
    "statement_through": "2026-03-04",
    "patient": PATIENT,
    "admission_date": "2026-03-01",
    "admission_hour": "14",
    "admission_type": "1",
    "admission_source": "1",
    "discharge_hour": "11",
    "discharge_status": "01",
    "principal_diagnosis": {"code": "J18.9", "poa": "Y"},
    "admitting_diagnosis": "R05.9",
    "external_cause_diagnoses": [{"code": "W19.XXXA", "poa": "Y"}],
    "principal_procedure": {"code": "0FT44ZZ", "date": "2026-03-02"},
    "attending": {"npi": "1245319599", "last": "Smith", "first": "Ann"},
    "operating": {"npi": "1679576722", "last": "Jones", "first": "Lee"},
}


def inpatient(**fields: object) -> dict:
    """The stay as UB-04 claim data (a fresh copy), with ``fields`` added or replaced."""
    return copy.deepcopy({**_STAY, **fields})
