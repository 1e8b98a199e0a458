"""The UB-04 (CMS-1450) institutional claim: the model, its schema and files, the
teaching tables, the institutional edits and the sample claims."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest

from medbill_lab.claims import institutional as ub04
from medbill_lab.claims.institutional import InstitutionalClaim
from medbill_lab.claims.model import ClaimError


def data(**changes: object) -> dict:
    """The example inpatient claim as plain data, with top-level ``changes``."""
    out = copy.deepcopy(ub04._example_data())
    out.update(changes)
    return out


# -- the model, its schema and files ------------------------------------------------------------
def test_the_example_loads_with_decimal_money_and_dates_and_round_trips():
    claim = ub04.from_dict(data())
    assert isinstance(claim, InstitutionalClaim)
    assert claim.statement_through == dt.date(2026, 3, 4)
    assert claim.lines[0].total_charge == Decimal("3600.00") and claim.lines[0].units == 3
    assert claim.payers[0].insured is None and claim.payers[0].relationship == "18"
    assert ub04.from_dict(ub04.to_dict(claim)) == claim
    assert next(iter(ub04.to_dict(claim))) == "form"  # the marker leads the file


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_save_then_load_gives_the_same_claim(tmp_path, suffix):
    full = data(
        other_diagnoses=[{"code": "E11.9", "poa": "Y"}, {"code": "Z79.4", "poa": "1"}],
        external_cause_diagnoses=[{"code": "W19.XXXA", "poa": "Y"}],
        principal_procedure={"code": "0FT44ZZ", "date": "2026-03-02"},
        occurrences=[{"code": "11", "date": "2026-02-27"}],
        occurrence_spans=[{"code": "74", "date_from": "2026-03-02", "date_through": "2026-03-02"}],
        value_codes=[{"code": "80", "amount": "3"}],
        condition_codes=["07"],
        attending={"npi": "1234567893", "last": "Okafor", "first": "Ada"},
    )
    claim = ub04.from_dict(full)
    path = tmp_path / f"claim{suffix}"
    ub04.save(claim, path)
    assert ub04.load(path) == claim
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_a_file_says_it_is_a_ub04_with_its_form_marker():
    assert ub04.is_institutional(data())
    assert not ub04.is_institutional({"program": "group"})
    assert not ub04.is_institutional(["form", "UB-04"])
    assert ub04.claim_problems({k: v for k, v in data().items() if k != "form"}) == [
        "Claim file: missing form"
    ]


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("type_of_bill",), "111", "FL 4: type of bill '111' is not 4 characters"),
        (("type_of_bill",), "1111", "FL 4: type of bill '1111' is not 4 characters"),
        (("lines", 0, "revenue_code"), "120", "FL 42 line 1: revenue code '120' is not 4 digits"),
        (("lines", 1, "total_charge"), "-5", "FL 47 line 2: total charges -5 is negative"),
        (
            ("lines", 1, "total_charge"),
            "5.001",
            "FL 47 line 2: total charges 5.001 has more than 2",
        ),
        (
            ("lines", 0, "units"),
            "0",
            "FL 46 line 1: service units '0' must be a number more than 0",
        ),
        (("billing_provider", "npi"), "1234567890", "FL 56: NPI 1234567890 fails the check digit"),
        (
            ("principal_diagnosis", "poa"),
            "YN",
            "FL 67: POA indicator 'YN' is not one character (Y, N, U, W, 1) or blank",
        ),
        (
            ("principal_diagnosis", "code"),
            "J1",
            "FL 67: principal diagnosis 'J1' is not shaped like",
        ),
        (("statement_from",), "2026-02-30", "FL 6: statement from 2026-02-30 is not a date"),
        (("admission_hour",), "24", "FL 13: admission hour '24' is not an hour 00-23"),
        (("discharge_status",), "1", "FL 17: patient discharge status '1' is not two digits"),
        (
            ("payers", 0, "relationship"),
            "self",
            "FL 59 payer A: patient relationship 'self' is not one of",
        ),
        (("patient", "dob"), None, "FL 10: birth date must be text"),
    ],
)
def test_each_bad_value_is_one_problem_naming_its_form_locator(path, value, expected):
    bad = data()
    node = bad
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    problems = ub04.claim_problems(bad)
    assert len(problems) == 1 and problems[0].startswith(expected), problems
    with pytest.raises(ClaimError):
        ub04.from_dict(bad)


def test_lists_name_the_lettered_locator_and_the_limits():
    bad = data(
        other_diagnoses=[{"code": "E11.9", "poa": "Y"}, {"code": "I10", "poa": "yes"}],
        other_procedures=[{"code": "0FT44ZZ", "date": "2026-03-02"}] * 25,
        condition_codes=["0"],
    )
    problems = ub04.claim_problems(bad)
    assert "FL 67B: POA indicator 'yes' is not one character (Y, N, U, W, 1) or blank" in problems
    assert "FL 74a-e: 25 entries; at most 24" in problems
    assert any(p.startswith("FL 18-28 #1: condition code '0'") for p in problems)
    assert ub04.claim_problems(data(other_procedures=[{"code": "0FT44ZO", "date": "2026-03-02"}]))


def test_the_schema_names_a_form_locator_for_every_property():
    schema = ub04.institutional_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    assert "form" in schema["required"] and schema["properties"]["form"]["const"] == "UB-04"

    def titles(node: dict):
        for prop in node.get("properties", {}).values():
            yield prop["title"]
            yield from titles(prop)
            if isinstance(prop.get("items"), dict):
                yield from titles(prop["items"])

    for title in titles(schema):
        assert title.startswith(("FL ", "Claim file:", "Schema:", "Submission:")), title


@pytest.mark.parametrize(
    ("bill", "inpatient"),
    [
        ("0111", True),
        ("0121", True),
        ("0211", True),
        ("0131", False),
        ("0831", False),
        ("0141", False),
    ],
)
def test_inpatient_is_read_from_the_type_of_bill_classification_digit(bill, inpatient):
    assert ub04.from_dict(data(type_of_bill=bill)).is_inpatient() is inpatient
