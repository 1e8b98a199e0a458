"""The UB-04 (CMS-1450) institutional claim: the model, its schema and files, the
teaching tables, the institutional edits and the sample claims."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import importlib.util
from decimal import Decimal

import pytest

from medbill_lab.claims import institutional as ub04
from medbill_lab.claims import ub04_checks as checks
from medbill_lab.claims.institutional import InstitutionalClaim
from medbill_lab.claims.model import ClaimError
from medbill_lab.datasets import datasets_dir, read_csv


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
        ("0811", False),
        ("0721", False),
    ],
)
def test_inpatient_is_read_from_the_type_of_bill_classification_digit(bill, inpatient):
    assert ub04.from_dict(data(type_of_bill=bill)).is_inpatient() is inpatient


# -- the teaching tables ----------------------------------------------------------------------------
TABLES = (
    "type_of_bill", "admission_type", "point_of_origin", "discharge_status", "condition_codes",
    "occurrence_codes", "occurrence_span_codes", "value_codes", "revenue_codes", "poa_exempt",
)  # fmt: skip


@pytest.mark.parametrize("name", TABLES)
def test_every_table_row_names_its_source_and_says_what_it_means(name):
    rows = read_csv(f"ub04/{name}.csv")
    assert len(rows) >= 6
    for row in rows:
        assert row["source"].startswith(("NUBC UB-04", "ICD-10-CM Official Guidelines")), row
        assert (row.get("meaning") or row.get("reason", "")).strip(), row
    keys = [
        tuple(v for k, v in r.items() if k not in ("meaning", "source", "reason")) for r in rows
    ]
    assert len(set(keys)) == len(keys)  # no code twice


def test_the_discharge_statuses_are_those_the_mce_accepts_plus_outpatient_and_hospice():
    ours = set(checks.table("discharge_status"))
    accepted = set()
    for status in range(100):
        found = checks._editor().edit(
            {"discharge_date": 20260301, "age": 50, "sex": 0, "discharge_status": status,
             "pdx": {"code": "J189", "poa": "Y"}, "sdx": [], "procedures": []}
        )  # fmt: skip
        if not any(e["name"] == "INVALID_DISCHARGE_STATUS" for e in found["edits"]):
            accepted.add(f"{status:02d}")
    assert ours == accepted | {"09", "40", "41", "42"}


@pytest.mark.parametrize(
    ("code", "exempt"),
    [
        ("Z79.4", True), ("Y92.009", True), ("I25.2", True), ("I69.351", True), ("Q21.10", True),
        ("O80", True), ("S72.001D", True), ("M80.08XS", True), ("B94.8", True),
        ("J18.9", False), ("N17.9", False), ("S72.001A", False), ("I25.10", False),
        ("O99.89", False), ("E11.9", False), ("P07.30", False), ("I63.9", False),
    ],
)  # fmt: skip
def test_poa_exemption_follows_appendix_i_and_never_guesses_against_a_blank(code, exempt):
    assert bool(checks.poa_exempt(code)) is exempt


@pytest.mark.parametrize(
    ("code", "listed"),
    [("B94.8", "B90-B94"), ("i25.2", "I25.2-I25.2"), ("I69351", "I69-I69"), ("O80", "O80-O80")],
)
def test_poa_exemption_names_its_list_range_in_dotted_form(code, listed):
    assert checks.poa_exempt(code) == f"{listed} is on the POA exempt list"


# -- the edits ----------------------------------------------------------------------------------------
def edits_of(**changes: object) -> list[checks.Edit]:
    """The institutional edits on the example inpatient claim with ``changes``."""
    return checks.check(ub04.from_dict(data(**changes)))


def ids(**changes: object) -> list[tuple[str, str]]:
    return [(e.id, e.locator) for e in edits_of(**changes)]


def test_the_example_claim_is_clean():
    assert edits_of() == []


def test_every_edit_explains_itself_in_one_line_with_its_locator_why_and_source():
    found = edits_of(
        type_of_bill="0116",
        principal_diagnosis={"code": "F02.80", "poa": ""},
        other_diagnoses=[{"code": "E11", "poa": "Y"}, {"code": "N40.0", "poa": "X"}],
        patient={"last": "Doe", "first": "Ann", "dob": "1950-02-01", "sex": "F"},
        total_charge="1.00",
        condition_codes=["ZZ"],
    )
    assert {e.id for e in found} >= {"TOB-INVALID", "PDX-MANIFESTATION", "DX-INVALID", "DX-SEX",
                                      "POA-MISSING", "POA-INVALID", "TOTAL-MISMATCH", "CODE-UNKNOWN"}  # fmt: skip
    for e in found:
        assert e.message.startswith(f"{e.locator}: ") and "\n" not in e.message, e
        assert e.rationale and e.source and e.severity in ("reject", "warn"), e
        assert e.as_dict()["locator"] == e.locator
    text = checks.format_edits(found)
    assert text.count("  Why: ") == len(found) and text.endswith(
        "would be returned to the provider."
    )


@pytest.mark.parametrize("pdx", ["Z99.89", "B95.7", "B96.20", "Z87.891", "Z00.00"])
def test_an_unacceptable_principal_diagnosis_is_mce_edit_9(pdx):
    (edit,) = edits_of(principal_diagnosis={"code": pdx, "poa": "Y"})
    assert (edit.id, edit.locator, edit.severity) == ("PDX-UNACCEPTABLE", "FL 67", "reject")
    assert "edit 9 (Unacceptable principal diagnosis)" in edit.source


@pytest.mark.parametrize("pdx", ["F02.80", "G63", "E35", "D63.1", "J17", "N08"])
def test_a_manifestation_as_principal_is_mce_edit_6(pdx):
    assert ids(principal_diagnosis={"code": pdx, "poa": "Y"}) == [("PDX-MANIFESTATION", "FL 67")]


@pytest.mark.parametrize("pdx", ["W19.XXXA", "V43.52XA", "X58.XXXA", "Y92.009"])
def test_an_external_cause_as_principal_is_mce_edit_2(pdx):
    assert ids(principal_diagnosis={"code": pdx, "poa": "Y"}) == [("PDX-ECODE", "FL 67")]


@pytest.mark.parametrize("pdx", ["I10", "E11.9"])
def test_a_questionable_admission_is_mce_edit_8(pdx):
    assert ids(principal_diagnosis={"code": pdx, "poa": "Y"}) == [("ADMIT-QUESTIONABLE", "FL 67")]


@pytest.mark.parametrize("pdx", ["J18.9", "Z51.11", "I13.0", "K80.00", "R69"])
def test_acceptable_principal_diagnoses_pass_the_mce(pdx):
    assert edits_of(principal_diagnosis={"code": pdx, "poa": "Y"}) == []


def test_the_same_principal_diagnosis_edits_do_not_run_on_outpatient_claims():
    outpatient = {"type_of_bill": "0131", "lines": [{"revenue_code": "0450", "service_date": "2026-03-01", "total_charge": "4350.00"}]}  # fmt: skip
    assert edits_of(**outpatient, principal_diagnosis={"code": "I10"}) == []


def test_a_duplicate_of_the_principal_is_mce_edit_3_at_the_repeat():
    found = ids(other_diagnoses=[{"code": "N17.9", "poa": "Y"}, {"code": "J189", "poa": "Y"}])
    assert found == [("DX-DUPLICATE", "FL 67B")]


@pytest.mark.parametrize(
    ("code", "dob", "sex"),
    [("O80", "1955-04-02", "F"), ("Z38.00", "1997-09-30", "F"), ("Z38.00", "2020-01-01", "M")],
)
def test_an_age_conflict_is_mce_edit_4_on_the_code_that_conflicts(code, dob, sex):
    patient = {"last": "Doe", "first": "Ann", "dob": dob, "sex": sex}
    found = ids(patient=patient, other_diagnoses=[{"code": "N17.9", "poa": "Y"}, {"code": code, "poa": ""}])  # fmt: skip
    assert ("DX-AGE", "FL 67B") in found and ("DX-AGE", "FL 67A") not in found


def test_no_age_conflict_at_an_age_the_code_allows():
    patient = {"last": "Doe", "first": "Ann", "dob": "1997-09-30", "sex": "F"}
    assert "DX-AGE" not in {e.id for e in edits_of(patient=patient, other_diagnoses=[{"code": "O99.89", "poa": "Y"}])}  # fmt: skip


@pytest.mark.parametrize(
    ("code", "sex"), [("N40.0", "F"), ("C61", "F"), ("N83.201", "M"), ("C56.1", "M")]
)
def test_a_sex_conflict_is_a_warning_since_the_mce_dropped_it(code, sex):
    patient = {"last": "Doe", "first": "Sam", "dob": "1960-01-01", "sex": sex}
    found = [e for e in edits_of(patient=patient, other_diagnoses=[{"code": code, "poa": "Y"}]) if e.id == "DX-SEX"]  # fmt: skip
    assert [(e.locator, e.severity) for e in found] == [("FL 67A", "warn")]
    assert "MCE v42" in found[0].rationale


@pytest.mark.parametrize(
    ("code", "sex"), [("N40.0", "M"), ("N40.0", "U"), ("N83.201", "F"), ("J44.1", "F")]
)
def test_no_sex_warning_when_the_code_fits_or_the_sex_is_unknown(code, sex):
    patient = {"last": "Doe", "first": "Sam", "dob": "1960-01-01", "sex": sex}
    assert edits_of(patient=patient, other_diagnoses=[{"code": code, "poa": "Y"}]) == []


@pytest.mark.parametrize("code", ["N17.9", "E87.1", "S72.001A", "I50.23"])
@pytest.mark.parametrize("poa", ["", "1"])
def test_a_blank_or_1_poa_on_a_code_that_needs_one_is_poa_missing(code, poa):
    assert ids(other_diagnoses=[{"code": code, "poa": poa}]) == [("POA-MISSING", "FL 67A")]


@pytest.mark.parametrize("code", ["Z79.4", "I25.2", "Q21.10", "S72.001D", "B94.8"])
def test_a_blank_poa_on_an_exempt_code_passes(code):
    assert edits_of(other_diagnoses=[{"code": code, "poa": ""}]) == []


@pytest.mark.parametrize("poa", ["X", "0", "E"])
def test_a_poa_outside_y_n_u_w_1_blank_is_poa_invalid(poa):
    assert ids(other_diagnoses=[{"code": "N17.9", "poa": poa}]) == [("POA-INVALID", "FL 67A")]


@pytest.mark.parametrize("poa", ["Y", "N", "U", "W"])
def test_every_poa_value_passes(poa):
    assert edits_of(principal_diagnosis={"code": "J18.9", "poa": poa}) == []


def test_poa_is_not_required_on_outpatient_or_part_b_inpatient_claims():
    lines = [{"revenue_code": "0450", "service_date": "2026-03-01", "total_charge": "4350.00"}]
    assert edits_of(type_of_bill="0131", lines=lines, other_diagnoses=[{"code": "N17.9"}]) == []
    assert edits_of(type_of_bill="0121", other_diagnoses=[{"code": "N17.9"}]) == []


@pytest.mark.parametrize(
    ("where", "code"),
    [("other_diagnoses", "E11"), ("other_diagnoses", "J18"), ("admitting_diagnosis", "R10.1"), ("principal_diagnosis", "S72.001")],
)  # fmt: skip
def test_a_code_not_valid_on_the_discharge_date_is_mce_edit_1(where, code):
    value = {"code": code, "poa": "Y"} if where != "admitting_diagnosis" else code
    found = edits_of(**{where: [value] if where == "other_diagnoses" else value})
    assert [e.id for e in found] == ["DX-INVALID"]
    assert found[0].locator == {"other_diagnoses": "FL 67A", "admitting_diagnosis": "FL 69", "principal_diagnosis": "FL 67"}[where]  # fmt: skip
    assert (
        "FY2026" in found[0].message
        and "edit 1 (Invalid diagnosis or procedure code)" in found[0].source
    )


@pytest.mark.parametrize(
    ("code", "axis"), [("0DTJ3ZZ", "approach 3"), ("0FT43ZZ", "approach 3"), ("0FT4422", "device")]
)
def test_an_invalid_pcs_code_names_the_failing_axis(code, axis):
    (edit,) = edits_of(principal_procedure={"code": code, "date": "2026-03-02"})
    assert (edit.id, edit.locator) == ("PCS-INVALID", "FL 74") and axis in edit.message


def test_valid_pcs_codes_pass_and_other_procedures_are_lettered():
    procs = [{"code": "0FT44ZZ", "date": "2026-03-02"}, {"code": "0DTJ3ZZ", "date": "2026-03-02"}]
    found = ids(
        principal_procedure={"code": "02703DZ", "date": "2026-03-02"}, other_procedures=procs
    )
    assert found == [("PCS-INVALID", "FL 74b")]


@pytest.mark.parametrize(
    ("bill", "digit"),
    [("0191", "digit 3"), ("0511", "digit 2"), ("0991", "digit 2"), ("0116", "digit 4"), ("071D", "digit 4"), ("0781", "digit 3")],
)  # fmt: skip
def test_a_type_of_bill_digit_without_meaning_is_named(bill, digit):
    found = [e for e in edits_of(type_of_bill=bill) if e.id == "TOB-INVALID"]
    assert len(found) == 1 and digit in found[0].message


@pytest.mark.parametrize("bill", ["0111", "0121", "0181", "0211", "0851", "0117", "0118"])
def test_valid_inpatient_types_of_bill_pass(bill):
    assert "TOB-INVALID" not in {e.id for e in edits_of(type_of_bill=bill)}


@pytest.mark.parametrize("bill", ["0131", "0141", "0321", "0761", "0771", "081A", "0831"])
def test_valid_outpatient_and_other_types_of_bill_pass(bill):
    lines = [{"revenue_code": "0450", "service_date": "2026-03-02", "total_charge": "4350.00"}]
    assert edits_of(type_of_bill=bill, lines=lines, discharge_status="01") == []


@pytest.mark.parametrize(
    ("changes", "locator"),
    [
        ({"statement_through": "2026-02-28"}, "FL 6"),
        ({"admission_date": "2026-03-02"}, "FL 12"),
        ({"lines": [{"revenue_code": "0250", "service_date": "2026-03-05", "total_charge": "4350.00"}]}, "FL 45 line 1"),
        ({"occurrence_spans": [{"code": "74", "date_from": "2026-03-03", "date_through": "2026-03-02"}]}, "FL 35-36 #1"),
    ],
)  # fmt: skip
def test_dates_out_of_order_are_named(changes, locator):
    assert ids(**changes) == [("DATES-ORDER", locator)]


def test_dates_in_order_pass_including_a_one_day_claim():
    one_day = {"statement_through": "2026-03-01", "lines": [{"revenue_code": "0250", "service_date": "2026-03-01", "total_charge": "4350.00"}]}  # fmt: skip
    assert edits_of(**one_day) == []


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"discharge_status": ""}, "missing"),
        ({"discharge_status": "08"}, "08 is not a code"),
        ({"discharge_status": "09"}, "the MCE accepts"),
        ({"discharge_status": "41"}, "the MCE accepts"),
        ({"type_of_bill": "0112"}, "interim"),
        ({"discharge_status": "30"}, "ends the stay"),
    ],
)
def test_a_discharge_status_that_is_no_code_or_fits_no_claim_is_status_invalid(changes, says):
    (edit,) = edits_of(**changes)
    assert (edit.id, edit.locator) == ("STATUS-INVALID", "FL 17") and says in edit.message


@pytest.mark.parametrize(
    ("bill", "status"),
    [("0111", "20"), ("0111", "03"), ("0112", "30"), ("0113", "30"), ("0114", "62")],
)
def test_discharge_statuses_that_fit_pass(bill, status):
    assert edits_of(type_of_bill=bill, discharge_status=status) == []


@pytest.mark.parametrize(
    ("changes", "locator"),
    [
        ({"admission_date": None}, "FL 12"),
        ({"admission_type": ""}, "FL 14"),
        ({"admission_type": "7"}, "FL 14"),
        ({"admission_source": "3"}, "FL 15"),
        ({"admission_source": "", "admission_type": "9"}, "FL 15"),
    ],
)
def test_inpatient_admission_data_missing_or_not_a_code_is_named(changes, locator):
    assert ids(**changes) == [("ADMISSION-INVALID", locator)]


def test_a_newborn_point_of_origin_passes_only_with_admission_type_4():
    patient = {"last": "Doe", "first": "Baby", "dob": "2026-03-01", "sex": "F"}
    newborn = {"patient": patient, "principal_diagnosis": {"code": "Z38.00", "poa": "Y"}}
    assert edits_of(**newborn, admission_type="4", admission_source="5") == []
    assert ids(admission_source="E") == []  # a transfer from an ASC: any admission type


def test_totals_that_differ_from_the_lines_by_a_cent_are_total_mismatch():
    assert ids(total_charge="4350.01") == [("TOTAL-MISMATCH", "FL 47")]
    assert ids(total_non_covered="10.00") == [("TOTAL-MISMATCH", "FL 48")]
    assert edits_of(total_charge="4350.00", total_non_covered="0") == []


def test_revenue_line_problems_are_rev_line():
    total_line = [{"revenue_code": "0120", "units": "3", "total_charge": "3600.00"}, {"revenue_code": "0001", "total_charge": "750.00"}]  # fmt: skip
    assert ids(lines=total_line) == [("REV-LINE", "FL 42 line 2")]
    over = [{"revenue_code": "0250", "total_charge": "4350.00", "non_covered": "5000.00"}]
    assert ids(lines=over) == [("REV-LINE", "FL 48 line 1")]
    undated = [{"revenue_code": "0450", "total_charge": "4350.00"}]
    assert ids(type_of_bill="0131", lines=undated) == [("REV-LINE", "FL 45 line 1")]


def test_codes_outside_the_teaching_tables_only_warn():
    found = edits_of(condition_codes=["ZZ"], value_codes=[{"code": "Q9", "amount": "1"}], occurrences=[{"code": "99", "date": "2026-03-01"}])  # fmt: skip
    assert {(e.id, e.severity) for e in found} == {("CODE-UNKNOWN", "warn")} and len(found) == 3
    known = edits_of(condition_codes=["07"], value_codes=[{"code": "80", "amount": "3"}], occurrences=[{"code": "11", "date": "2026-02-27"}])  # fmt: skip
    assert known == []


def test_other_mce_edits_are_reported_with_what_they_mean():
    found = edits_of(principal_procedure={"code": "10E0XZZ", "date": "2026-03-02"})
    assert [e.id for e in found] == ["MCE-OTHER"] and "outcome-of-delivery code Z37" in found[
        0
    ].message


def test_a_discharge_date_in_a_year_without_a_code_set_says_so():
    with pytest.raises(ValueError, match="FY2027"):
        edits_of(statement_through="2026-10-02")


# -- the sample claims ---------------------------------------------------------------------------------
SAMPLES = datasets_dir() / "claims"
LABELS = list(
    csv.DictReader((SAMPLES / "ub04_labels.csv").read_text(encoding="utf-8").splitlines())
)


def test_the_sample_set_has_inpatient_and_outpatient_clean_and_broken_claims():
    on_disk = {p.name for p in SAMPLES.glob("ub04-*")}
    assert on_disk == {r["file"] for r in LABELS} and len(LABELS) >= 10
    loaded = [ub04.load(SAMPLES / r["file"]) for r in LABELS if r["expected_edits"] != "LOAD-ERROR"]
    assert {c.is_inpatient() for c in loaded} == {True, False}
    labels = {r["expected_edits"] for r in LABELS}
    assert "" in labels and "LOAD-ERROR" in labels
    assert {e for r in LABELS for e in r["expected_edits"].split("|") if e} - {"LOAD-ERROR"} == set(checks.EDIT_IDS) - {"DX-DUPLICATE", "MCE-OTHER", "CODE-UNKNOWN"}  # fmt: skip
    assert all(r["note"] for r in LABELS)


@pytest.mark.parametrize("row", LABELS, ids=lambda r: r["file"])
def test_every_sample_behaves_as_labelled(row):
    path = SAMPLES / row["file"]
    if row["expected_edits"] == "LOAD-ERROR":
        with pytest.raises(ClaimError) as caught:
            ub04.load(path)
        assert all(p.startswith("FL ") for p in caught.value.problems)
        return
    found = checks.check_file(str(path))
    assert {e.id for e in found} == set(filter(None, row["expected_edits"].split("|")))


def test_the_files_match_the_script_that_wrote_them():
    spec = importlib.util.spec_from_file_location(
        "make_ub04_samples", SAMPLES / "make_ub04_samples.py"
    )
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    for name, text in module.samples().items():
        assert (SAMPLES / name).read_text(encoding="utf-8") == text, name


def test_edits_come_in_form_locator_order_with_lines_in_number_order():
    undated = [{"revenue_code": "0450", "total_charge": "435.00"}] * 10
    found = edits_of(type_of_bill="0131", lines=undated, total_charge="1.00")
    assert [e.locator for e in found] == [f"FL 45 line {i}" for i in range(1, 11)] + ["FL 47"]


def test_an_empty_ub04_names_every_missing_form_locator():
    assert ub04.claim_problems({"form": "UB-04"}) == [
        "FL 4: missing type of bill",
        "FL 1, 5, 56: missing billing provider",
        "FL 6: missing statement from",
        "FL 6: missing statement through",
        "FL 8: missing patient",
        "FL 42-48: missing revenue lines",
        "FL 50-65: missing payers",
        "FL 67: missing principal diagnosis",
    ]
