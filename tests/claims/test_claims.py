"""Claim files: loading, saving, the schema, every problem a biller can make, and the samples."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import importlib.util
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from medbill_lab.claims import model as claims
from medbill_lab.claims.model import (
    Address,
    Claim,
    ClaimError,
    Organization,
    OtherInsurance,
    Payer,
    Person,
    Provider,
    ServiceLine,
)
from medbill_lab.codes import icd10cm, procedures

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "datasets" / "claims"
LABELS = list(csv.DictReader((SAMPLES / "labels.csv").read_text(encoding="utf-8").splitlines()))
LOADABLE = [r["file"] for r in LABELS if r["expected_edits"] != "LOAD-ERROR"]
UNLOADABLE = [r["file"] for r in LABELS if r["expected_edits"] == "LOAD-ERROR"]
CLEAN = [r["file"] for r in LABELS if r["expected_edits"] == ""]
EDIT_IDS = {
    "ICD-INVALID", "ICD-7TH", "ICD-EXCLUDES1", "DX-SEX", "DX-AGE", "DX-FIRST", "PTR-MISSING",
    "PTR-DANGLING", "PROC-INVALID", "MOD-INVALID", "MOD-25", "MOD-LTRT", "MOD-50", "NCCI-PTP",
    "MUE", "DUP-LINE", "TIMELY-FILING", "TOTAL-MISMATCH",
}  # fmt: skip
FY2026 = (dt.date(2025, 10, 1), dt.date(2026, 9, 30))


def base() -> dict:
    """A valid claim as plain data (the first clean sample), to break one way at a time."""
    return json.loads((SAMPLES / "clean-01-htn-hld-followup.json").read_text())


def problems_of(data: object) -> list[str]:
    with pytest.raises(ClaimError) as caught:
        claims.from_dict(data)  # type: ignore[arg-type]
    return caught.value.problems


def full_claim() -> Claim:
    """A claim with every optional item filled, to prove nothing is lost on the way."""
    home = Address("12 Elm St", "Harlow", "IL", "629021234", phone="5550100000")
    return Claim(
        program="group",
        insured_id="ZX 9981-22",
        patient=Person("O'Brien", "Tess", "Q", dt.date(2011, 2, 3), "F", home),
        payer=Payer("Lakeshore Health Plan", "MBL10", "CI", 180, Address("PO Box 1", "Eastbrook", "WI", "53701")),
        relationship="child",
        insured=Person("O'Brien", "Cal", dob=dt.date(1979, 8, 9), sex="M", address=home),
        other_insurance=OtherInsurance(Person("O'Brien", "Lia"), "GRP-77", "Prairie Mutual"),
        employment_related=False,
        auto_accident_state="WI",
        other_accident=True,
        claim_codes="AB",
        insured_group="GRP-1",
        plan_name="Choice PPO",
        another_plan=True,
        patient_signature_on_file=False,
        insured_signature_on_file=True,
        onset_date=dt.date(2026, 1, 2),
        other_date=dt.date(2026, 1, 3),
        unable_to_work=(dt.date(2026, 1, 2), dt.date(2026, 1, 20)),
        referring_provider=Provider("Abara", "Nkem", "1163409588", "DK"),
        hospitalized=(dt.date(2026, 1, 3), dt.date(2026, 1, 5)),
        additional_info="Accident at school",
        outside_lab=True,
        outside_lab_charges=Decimal("40.5"),
        diagnoses=["S93.401A", "W19.XXXA"],
        resubmission_code="7",
        original_reference="PAYERCLAIM123",
        prior_authorization="PA-55",
        place_of_service="22",
        lines=[
            ServiceLine(
                dt.date(2026, 1, 6), "97110", Decimal("110"), ["A"], ["GP", "59"], Decimal("1.5"),
                dt.date(2026, 1, 7), "11", True, "Y", "1450692839",
            ),
            ServiceLine(dt.date(2026, 1, 6), "73610", Decimal("88.10"), ["A", "B"], ["RT"]),
        ],
        tax_id="123-45-6789",
        tax_id_type="SSN",
        patient_account="ACCT-1",
        accept_assignment=False,
        total_charge=None,
        amount_paid=Decimal("20"),
        signature="Nkem Abara MD",
        signature_date=dt.date(2026, 1, 8),
        service_facility=Organization("Harlow Outpatient Center", "", Address("1 Main", "Harlow", "IL", "62901")),
        billing_provider=Organization("Maple Grove Family Medicine PC", "1748029356", home, "207Q00000X"),
        rendering_provider=Provider("Lindqvist", "Soren", "1450692839"),
        submitted_on=dt.date(2026, 1, 9),
    )  # fmt: skip


# -- NPI -------------------------------------------------------------------------------------
def test_npi_check_digit():
    assert claims.npi_is_valid("1234567893")  # the example in CMS's NPI check-digit paper
    assert not claims.npi_is_valid("1234567890")
    for bad in ("", "123456789", "12345678931", "123456789X", " 1234567893", None, 1234567893):
        assert not claims.npi_is_valid(bad)  # type: ignore[arg-type]


def test_npi_check_catches_every_single_digit_typo():
    good = "1748029356"
    assert claims.npi_is_valid(good)
    for i in range(10):
        for d in "0123456789":
            typo = good[:i] + d + good[i + 1 :]
            assert claims.npi_is_valid(typo) == (typo == good)


# -- round trips -------------------------------------------------------------------------------
def test_to_dict_is_json_ready_with_iso_dates_and_two_decimal_money():
    data = claims.to_dict(full_claim())
    json.dumps(data)  # nothing that JSON cannot hold
    assert data["patient"]["dob"] == "2011-02-03"
    assert data["unable_to_work"] == {"from": "2026-01-02", "to": "2026-01-20"}
    assert data["lines"][0]["charge"] == "110.00" and data["lines"][1]["charge"] == "88.10"
    assert data["lines"][0]["units"] == "1.5" and data["lines"][1]["units"] == "1"
    assert data["outside_lab_charges"] == "40.50" and data["amount_paid"] == "20.00"
    assert "total_charge" not in data  # None means "the sum of 24F"


def test_from_dict_round_trips_exactly():
    claim = full_claim()
    assert claims.from_dict(claims.to_dict(claim)) == claim
    assert claims.to_dict(claims.from_dict(claims.to_dict(claim))) == claims.to_dict(claim)


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".yml"])
def test_save_and_load_round_trip(tmp_path, suffix):
    claim = full_claim()
    path = tmp_path / f"claim{suffix}"
    claims.save(claim, path)
    assert claims.load(path) == claim
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temp file left behind
    if suffix == ".json":
        assert json.loads(path.read_text())["lines"][0]["charge"] == "110.00"
    else:
        assert "zip: '629021234'" in path.read_text()


@pytest.mark.parametrize("name", LOADABLE)
def test_every_sample_round_trips_through_json_and_yaml(tmp_path, name):
    claim = claims.load(SAMPLES / name)
    for suffix in (".json", ".yaml"):
        claims.save(claim, tmp_path / f"copy{suffix}")
        assert claims.load(tmp_path / f"copy{suffix}") == claim


def test_save_refuses_an_invalid_claim_and_keeps_the_old_file(tmp_path):
    path = tmp_path / "claim.json"
    claims.save(full_claim(), path)
    before = path.read_bytes()
    broken = full_claim()
    broken.billing_provider.npi = "1234567890"  # type: ignore[union-attr]
    with pytest.raises(ClaimError, match="Item 33a: NPI 1234567890 fails the check digit"):
        claims.save(broken, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["claim.json"]


def test_unknown_extension_is_a_claim_error(tmp_path):
    with pytest.raises(ClaimError, match=r"unknown format \.txt; use \.json, \.yaml or \.yml"):
        claims.save(full_claim(), tmp_path / "claim.txt")
    (tmp_path / "claim.txt").write_text("{}")
    with pytest.raises(ClaimError, match="unknown format"):
        claims.load(tmp_path / "claim.txt")


def test_yaml_keeps_zip_codes_codes_and_dates_as_written(tmp_path):
    data = base()
    data["patient"]["address"]["zip"] = "02134"
    text = json.dumps(data)  # JSON is YAML; then make the tricky values plain scalars
    text = (
        text.replace('"02134"', "02134")
        .replace('"99214"', "99214")
        .replace('"2025-10-07"', "2025-10-07")
    )
    path = tmp_path / "claim.yaml"
    path.write_text(text)
    claim = claims.load(path)
    assert claim.patient.address.zip == "02134"  # type: ignore[union-attr]
    assert claim.lines[0].code == "99214" and claim.lines[0].date_from == dt.date(2025, 10, 7)


# -- the samples -------------------------------------------------------------------------------------
def test_the_sample_set_is_complete():
    assert len(LOADABLE) >= 28 and 8 <= len(CLEAN) <= 12 and len(UNLOADABLE) >= 3
    assert sum(name.endswith((".yaml", ".yml")) for name in LOADABLE) >= 2
    assert len({r["file"] for r in LABELS}) == len(LABELS)
    on_disk = {
        p.name
        for p in SAMPLES.iterdir()
        if p.suffix in (".json", ".yaml", ".yml") and not p.name.startswith("ub04-")
    }  # the UB-04 samples have their own labels (ub04_labels.csv, tests/claims/test_institutional.py)
    assert on_disk == {r["file"] for r in LABELS}
    broken = [r for r in LABELS if r["expected_edits"] not in ("", "LOAD-ERROR")]
    for row in broken:
        assert set(row["expected_edits"].split("|")) <= EDIT_IDS, row
        assert row["note"], row
    covered = {e for r in broken for e in r["expected_edits"].split("|")}
    assert covered == EDIT_IDS - {"PTR-DANGLING"}  # see the README: the loader rejects those


@pytest.mark.parametrize("name", LOADABLE)
def test_every_labelled_sample_loads_with_fy2026_dates(name):
    claim = claims.load(SAMPLES / name)
    assert claim.submitted_on is not None
    for line in claim.lines:
        assert FY2026[0] <= line.date_from <= FY2026[1]
        assert claim.submitted_on >= line.date_from


@pytest.mark.parametrize("name", CLEAN)
def test_clean_samples_use_valid_codes_for_the_date_of_service(name):
    claim = claims.load(SAMPLES / name)
    day = claim.first_date_of_service()
    for code in claim.diagnoses:
        assert icd10cm.validate(code, day).valid, code  # type: ignore[arg-type]
    for line in claim.lines:
        assert procedures.procedure(line.code) is not None, line.code
        assert all(m in procedures.modifiers() for m in line.modifiers), line.modifiers
    assert claim.line_total() == claim.total_charge


@pytest.mark.parametrize("name", UNLOADABLE)
def test_load_error_samples_raise_a_claim_error_naming_the_item(name):
    with pytest.raises(ClaimError) as caught:
        claims.load(SAMPLES / name)
    assert caught.value.problems
    for problem in caught.value.problems:
        assert re.match(r"^(Items? \d+[A-La-l]?\b|claim file )", problem), problem
        assert "\n" not in problem


def test_the_files_match_the_script_that_wrote_them():
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    for name, text in module.samples().items():
        assert (SAMPLES / name).read_text(encoding="utf-8") == text, name


# -- every bad input, one at a time --------------------------------------------------------------
def _set(path: tuple, value: object):
    def change(data: dict) -> None:
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


def _drop(path: tuple):
    def change(data: dict) -> None:
        node = data
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return change


def _lines(count: int):
    def change(data: dict) -> None:
        data["lines"] = [copy.deepcopy(data["lines"][0]) for _ in range(count)]

    return change


BAD_INPUTS = [
    (_set(("diagnoses",), ["I10"] * 13), "Item 21: 13 diagnoses; the form holds 12 (A-L)"),
    (_set(("diagnoses",), []), "Item 21: no diagnoses; at least one is required"),
    (_set(("lines", 0, "charge"), "-5.00"), "Item 24F line 1: charge -5.00 is negative"),
    (_set(("lines", 2, "charge"), "abc"), "Item 24F line 3: charge 'abc' is not a number"),
    (_set(("lines", 0, "charge"), "12.345"), "Item 24F line 1: charge 12.345 has more than 2 decimal places"),
    (_set(("lines", 0, "charge"), True), "Item 24F line 1: charge must be text or a number, not true"),
    (_set(("total_charge",), "-1.00"), "Item 28: total charge -1.00 is negative"),
    (_set(("patient", "dob"), "2026-02-30"), "Item 3: date of birth 2026-02-30 is not a date"),
    (_set(("patient", "dob"), "02/03/1950"), "Item 3: date of birth '02/03/1950' is not a date in the form YYYY-MM-DD"),
    (_set(("lines", 0, "date_from"), "9999-12-31"), "Item 24A line 1: service date 9999-12-31 is not in the years 1900-2099"),
    (_set(("lines", 0, "date_to"), "2100-01-01"), "Item 24A line 1: to date 2100-01-01 is not in the years 1900-2099"),
    (_set(("patient", "dob"), "1899-12-31"), "Item 3: date of birth 1899-12-31 is not in the years 1900-2099"),
    (_set(("lines", 0, "date_from"), "1950-09-01"), "Item 24A line 1: service date is before the patient's birth (1950-09-01; born 1950-09-02)"),
    (_set(("patient", "sex"), "X"), "Item 3: sex 'X' is not one of M, F, U"),
    (_set(("billing_provider", "npi"), "1234567890"), "Item 33a: NPI 1234567890 fails the check digit"),
    (_set(("billing_provider", "npi"), "12345"), "Item 33a: billing provider NPI '12345' is not 10 digits"),
    (_set(("rendering_provider", "npi"), "1234567890"), "Item 24J: NPI 1234567890 fails the check digit"),
    (_set(("lines", 1, "rendering_npi"), "1234567890"), "Item 24J line 2: NPI 1234567890 fails the check digit"),
    (_set(("program",), "xyz"), "Item 1: program 'xyz' is not one of medicare, medicaid, tricare, champva, group, feca, other"),
    (_set(("lines", 1, "modifiers"), ["25", "59", "GA", "RT", "LT"]), "Item 24D line 2: 5 modifiers; at most 4"),
    (_set(("lines", 1, "modifiers"), ["2"]), "Item 24D line 2: modifier '2' is not a two-character modifier"),
    (_set(("lines", 1, "pointers"), ["C"]), "Item 24E line 2: pointer C refers to no diagnosis"),
    (_set(("lines", 1, "pointers"), ["M"]), "Item 24E line 2: pointer 'M' is not a letter A-L"),
    (_set(("lines", 1, "pointers"), ["A", "B", "A"]), "Item 24E line 2: pointer A is listed twice"),
    (_set(("lines", 0, "pointers"), ["A", "B", "A", "B", "A"]), "Item 24E line 1: 5 pointers; at most 4"),
    (_set(("lines", 0, "units"), 0), "Item 24G line 1: days or units 0 must be more than 0"),
    (_set(("lines", 0, "units"), "two"), "Item 24G line 1: days or units 'two' is not a number"),
    (_set(("lines", 0, "date_to"), "2025-10-01"), "Item 24A line 1: to date 2025-10-01 is before the service date 2025-10-07"),
    (_set(("lines", 0, "code"), "992"), "Item 24D line 1: procedure code '992' is not a 5-character CPT/HCPCS code"),
    (_set(("lines",), []), "Item 24: no service lines"),
    (_lines(51), "Item 24: 51 lines; the 837P allows 50"),
    (_set(("patient_name",), "Okonkwo"), "unknown top-level field 'patient_name'"),
    (_set(("patient", "birthdate"), "1950-09-02"), "Items 2, 3, 5: unknown field 'birthdate' in patient"),
    (_drop(("program",)), "Item 1: missing program"),
    (_drop(("insured_id",)), "Item 1a: missing insured's ID number"),
    (_set(("insured_id",), ""), "Item 1a: insured's ID number is empty"),
    (_drop(("patient",)), "Items 2, 3, 5: missing patient"),
    (_drop(("patient", "dob")), "Item 3: missing date of birth"),
    (_drop(("patient", "sex")), "Item 3: missing sex"),
    (_drop(("patient", "first")), "Item 2: missing patient's first name"),
    (_drop(("payer",)), "Carrier block: missing payer"),
    (_drop(("payer", "payer_id")), "Carrier block: missing electronic payer ID"),
    (_drop(("diagnoses",)), "Item 21: missing diagnoses"),
    (_drop(("lines",)), "Item 24: missing service lines"),
    (_drop(("lines", 0, "pointers")), "Item 24E line 1: missing diagnosis pointers"),
    (_drop(("billing_provider",)), "Items 33, 33a: missing billing provider"),
    (_drop(("billing_provider", "address")), "Item 33: missing billing provider's address"),
    (_drop(("tax_id",)), "Item 25: missing federal tax ID"),
    (_set(("tax_id",), "12-345"), "Item 25: federal tax ID '12-345' is not 9 digits"),
    (_set(("relationship",), "child"), "Item 4: missing insured's name (item 6 says the patient is the insured's child)"),
    (_set(("resubmission_code",), "7"), "Item 22: resubmission code 7 needs the original reference number"),
    (_set(("payer", "timely_filing_days"), "0"), "Carrier block: timely filing limit 0 must be at least 1 day"),
    (_set(("submitted_on",), "2025-10-01"), "Submission: the claim is sent on 2025-10-01, before the service date 2025-10-07 of line 1"),
    (_set(("unable_to_work",), {"from": "2026-02-01", "to": "2026-01-01"}), "Item 16: to date 2026-01-01 is before the from date 2026-02-01"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "message"), BAD_INPUTS, ids=[m[:48] for _, m in BAD_INPUTS])
def test_each_bad_input_is_one_item_named_problem(change, message):
    data = base()
    change(data)
    problems = problems_of(data)
    assert any(p.startswith(message) for p in problems), problems
    assert len(problems) == 1, problems


def test_the_first_and_last_years_a_claim_date_takes_load():
    data = base()
    data["patient"]["dob"] = "1900-01-01"  # a centenarian's birth date is no typing slip
    assert claims.from_dict(data).patient.dob == dt.date(1900, 1, 1)
    data["lines"][0]["date_to"] = "2099-12-31"
    assert claims.from_dict(data).lines[0].date_to == dt.date(2099, 12, 31)


def test_every_problem_is_collected_into_one_error():
    data = base()
    data["program"] = "xyz"
    data["patient"]["dob"] = "2026-02-30"
    data["lines"][0]["charge"] = "-5.00"
    data["lines"][1]["pointers"] = ["C"]
    data["billing_provider"]["npi"] = "1234567890"
    data["extra"] = 1
    problems = problems_of(data)
    assert len(problems) == 6, problems
    assert problems[0].startswith("unknown top-level field 'extra'")
    assert problems[1].startswith("Item 1: program 'xyz'")  # then in the form's order
    assert str(ClaimError(problems)) == "; ".join(problems)


def test_a_claim_that_is_not_an_object():
    assert problems_of([]) == [
        "the claim file must hold one claim, an object of fields, not a list"
    ]
    assert problems_of("claim") == [
        "the claim file must hold one claim, an object of fields, not 'claim'"
    ]


def test_money_may_be_a_json_number_and_code_set_validity_is_not_checked():
    data = base()
    data["lines"][0]["charge"] = 195.5
    data["diagnoses"] = [
        "Z99.999",
        "E11",
    ]  # not real / a header: the scrubber's job, not the loader's
    claim = claims.from_dict(data)
    assert claim.lines[0].charge == Decimal("195.50") and claim.diagnoses == ["Z99.999", "E11"]


# -- malformed files ------------------------------------------------------------------------------
def test_malformed_json_is_one_line_with_line_and_column(tmp_path):
    path = tmp_path / "claim.json"
    path.write_text('{\n  "program": "group",\n    "insured_id" "X"\n}\n')
    with pytest.raises(ClaimError) as caught:
        claims.load(path)
    assert caught.value.problems == [
        "claim file is not valid JSON: line 3 column 18: Expecting ':' delimiter"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "program: group\n  insured_id: X\n",
            "claim file is not valid YAML: line 2 column 13: mapping values are not allowed here",
        ),
        (
            "a: &x [1]\nb: *x\n",
            "claim file is not valid YAML: line 2 column 4: aliases (*name) are not allowed in claim files",
        ),
        (
            "program: group\nprogram: other\n",
            "claim file is not valid YAML: line 2 column 1: repeats the key 'program'",
        ),
        ("", "claim file is not valid YAML: the file is empty"),
        ("- 1\n- 2\n", "the claim file must hold one claim, an object of fields, not a list"),
    ],
)
def test_malformed_yaml_is_one_line(tmp_path, text, message):
    path = tmp_path / "claim.yaml"
    path.write_text(text)
    with pytest.raises(ClaimError) as caught:
        claims.load(path)
    assert caught.value.problems == [message]


def test_repeated_json_keys_and_bad_bytes_are_reported(tmp_path):
    data = base()
    text = json.dumps(data).replace(
        '"program": "medicare"', '"program": "medicare", "program": "medicare"'
    )
    path = tmp_path / "claim.json"
    path.write_text(text)
    with pytest.raises(ClaimError, match="claim file repeats the key 'program'"):
        claims.load(path)
    path.write_bytes(b'{"program": "\xff"}')
    with pytest.raises(ClaimError, match="claim file is not UTF-8 text: byte 13 is 0xff"):
        claims.load(path)


def test_a_missing_file_is_an_os_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        claims.load(tmp_path / "nope.json")


# -- the schema ---------------------------------------------------------------------------------------
def _properties(node: dict, path: str = ""):
    for name, prop in node.get("properties", {}).items():
        yield f"{path}.{name}", prop
        yield from _properties(prop, f"{path}.{name}")
    if "items" in node:
        yield f"{path}[]", node["items"]
        yield from _properties(node["items"], f"{path}[]")


def test_schema_is_valid_draft_2020_12():
    schema = claims.claim_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["required"]) == {
        "program", "insured_id", "patient", "payer", "diagnoses", "lines", "billing_provider", "tax_id",
    }  # fmt: skip
    claims.claim_schema()["title"] = "changed"  # a copy: callers cannot change the schema
    assert claims.claim_schema()["title"] == "MedBill Lab claim"


def test_every_schema_property_has_a_title_and_description_naming_its_item():
    props = list(_properties(claims.claim_schema()))
    assert len(props) > 100
    for path, prop in props:
        assert prop.get("title") and prop.get("description"), path
        assert re.match(r"^(Items? \d|Carrier block|Schema|Submission)", prop["title"]), path
    titles = {path: prop["title"] for path, prop in props}
    assert titles[".lines[].pointers"] == "Item 24E: diagnosis pointers"
    assert titles[".billing_provider.npi"] == "Item 33a: billing provider NPI"
    assert (
        "letters A-L"
        in claims.claim_schema()["properties"]["lines"]["items"]["properties"]["pointers"][
            "description"
        ]
    )


@pytest.mark.parametrize("name", LOADABLE)
def test_every_sample_validates_against_the_schema(name):
    path = SAMPLES / name
    fmt = "YAML" if path.suffix in (".yaml", ".yml") else "JSON"
    data, problems = claims.parse_claim_text(path.read_text(), fmt)
    assert problems == []
    # Against the published schema on its own, as an editor or another tool would use it.
    Draft202012Validator(claims.claim_schema()).validate(json.loads(json.dumps(data, default=str)))


# -- the command line --------------------------------------------------------------------------------
def test_cli_prints_the_schema(run_cli):
    out = run_cli("claim", "schema")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == claims.claim_schema()


@pytest.mark.parametrize("name", UNLOADABLE)
def test_cli_check_on_an_unloadable_file_is_one_line(run_cli, name):
    out = run_cli("claim", "check", str(SAMPLES / name))
    assert out.returncode != 0
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "error" in lines[0], out.stderr
    assert re.search(r"Item \d+|claim file", lines[0])
    assert out.stdout == ""


# -- field lengths: what loads is what the 837P sends, never cut ----------------------------------
LENGTHS = [  # (path, limit, item in the message): X12 005010X222A1 element sizes
    (("patient", "last"), 60, "Item 2"),  # NM103
    (("patient", "first"), 35, "Item 2"),  # NM104
    (("patient", "middle"), 25, "Item 2"),  # NM105
    (("patient", "address", "street"), 55, "Item 5"),  # N301
    (("patient", "address", "city"), 30, "Item 5"),  # N401
    (("insured_id",), 80, "Item 1a"),  # NM109
    (("patient_account",), 38, "Item 26"),  # CLM01
    (("payer", "name"), 60, "Carrier block"),  # NM103
    (("billing_provider", "name"), 60, "Item 33"),  # NM103
    (("prior_authorization",), 50, "Item 23"),  # REF02
    (("additional_info",), 80, "Item 19"),  # NTE02
]


def _put(data: dict, path: tuple[str, ...], value: object) -> None:
    for key in path[:-1]:
        data = data.setdefault(key, {})
    data[path[-1]] = value


@pytest.mark.parametrize(("path", "limit", "item"), LENGTHS, ids=lambda v: str(v))
def test_each_text_field_holds_its_837p_length_and_not_one_more(path, limit, item):
    at_limit, over = base(), base()
    _put(at_limit, path, "A" * limit)
    _put(over, path, "A" * (limit + 1))
    assert claims.claim_problems(at_limit) == []
    [problem] = claims.claim_problems(over)
    assert problem.startswith(item) and f"{limit + 1} characters long; at most {limit}" in problem


def test_a_10000_character_last_name_is_one_problem_naming_item_2():
    data = base()
    data["patient"]["last"] = "X" * 10_000
    assert problems_of(data) == [
        "Item 2: patient's last name is 10000 characters long; at most 60 fit"
    ]


def test_a_name_at_the_limit_reaches_the_837p_whole():
    from medbill_lab.x12 import x837p as x12_837p

    data = base()
    data["patient"]["last"] = "L" * 60
    data["patient"]["first"] = "F" * 35
    text = x12_837p.to_837p([claims.from_dict(data)])
    assert "*" + "L" * 60 + "*" + "F" * 35 in text


def test_every_free_text_field_has_a_length_limit_in_the_schema():
    def strings(node: dict, where: str):
        kinds = node.get("type")
        if kinds == "string" or (isinstance(kinds, list) and "string" in kinds):
            yield where, node
        for name, child in node.get("properties", {}).items():
            yield from strings(child, f"{where}.{name}")
        if isinstance(node.get("items"), dict):
            yield from strings(node["items"], f"{where}[]")

    unbounded = [
        where
        for where, node in strings(claims.claim_schema(), "claim")
        if "maxLength" not in node and "pattern" not in node and "enum" not in node
    ]
    assert unbounded == []


def test_the_published_schema_states_the_837p_lengths(run_cli):
    schema = json.loads(run_cli("claim", "schema").stdout)["properties"]
    patient = schema["patient"]["properties"]
    assert (patient["last"]["maxLength"], patient["first"]["maxLength"]) == (60, 35)
    street = patient["address"]["properties"]["street"]
    assert street["maxLength"] == 55 and "N301" in street["description"]
    assert patient["address"]["properties"]["city"]["maxLength"] == 30
    assert schema["insured_id"]["maxLength"] == 80 and schema["patient_account"]["maxLength"] == 38
    assert schema["diagnoses"]["maxItems"] == 12 and schema["lines"]["maxItems"] == 50
    line = schema["lines"]["items"]["properties"]
    assert line["modifiers"]["maxItems"] == 4 and line["pointers"]["maxItems"] == 4


def test_over_long_lists_are_one_problem_each_and_answered_fast():
    import time

    data = base()
    data["diagnoses"] = ["not a code"] * 100_000
    data["lines"][0]["modifiers"] = ["??"] * 50_000
    data["lines"] = data["lines"] * 1_000
    data |= {f"extra{i}": i for i in range(10_000)}
    start = time.perf_counter()
    problems = claims.claim_problems(data)
    assert time.perf_counter() - start < 1.0
    assert "Item 21: 100000 diagnoses; the form holds 12 (A-L)" in problems
    assert "Item 24: 3000 lines; the 837P allows 50" in problems
    # one problem per modifiers list, on the lines kept (1, 4, ... 49 carry the long list)
    assert [p for p in problems if "modifiers" in p] == [
        f"Item 24D line {n}: 50000 modifiers; at most 4" for n in range(1, 51, 3)
    ]
    assert not any("is not shaped like an ICD-10-CM code" in p for p in problems)
    [unknown] = [p for p in problems if "unknown" in p]
    assert "and 9995 more" in unknown and len(unknown) < 200


def test_the_semantic_checks_stay_fast_with_many_bad_values():
    import time

    data = base()
    line = data["lines"][0] | {"charge": "-1.00", "units": "0", "rendering_npi": "1234567890"}
    data["lines"] = [dict(line, date_from="2025-13-40") for _ in range(50)]
    start = time.perf_counter()
    problems = claims.claim_problems(data)
    assert time.perf_counter() - start < 1.0
    assert len(problems) >= 150 and all(
        p.startswith("Item 24") or p.startswith("Item 28") for p in problems
    )


def test_claim_check_answers_100000_diagnoses_in_one_line_quickly(run_cli, tmp_path):
    """The whole command, start-up included, spends well under 2 s of CPU.

    CPU time, not wall time: the wall clock also counts whatever else the
    (shared) machine is running.
    """
    import resource

    data = base()
    data["diagnoses"] = [f"Z{i % 100:02d}.{i % 1000:03d}" for i in range(100_000)]
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(data))
    assert path.stat().st_size > 1_000_000
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = run_cli("claim", "check", str(path))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert 0 < cpu < 2.0
    assert out.returncode != 0 and out.stdout == ""
    [line] = out.stderr.strip().splitlines()
    assert line == "medbill-lab: error: Item 21: 100000 diagnoses; the form holds 12 (A-L)"
