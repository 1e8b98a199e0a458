"""Procedure-side scrubber rules, each on several codes with a case that must fail:
laparoscopic converted to open, bypass modifiers on the column-2 code, the therapy pair
bypassed for separate time intervals, bilateral services and the MUE, and the E/M inside
a procedure's global package (modifiers 25 and 57)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from medbill_lab.claims.model import Claim, Payer, Person, ServiceLine
from medbill_lab.claims.scrubber import Edit, scrub
from medbill_lab.codes import ncci, procedures

DAY = dt.date(2026, 3, 10)
DX = ("K80.20", "M17.11", "Z23")  # any valid diagnoses; these rules read only 24A-24G


def line(code: str, *mods: str, day: dt.date = DAY, units: int = 1, **kw) -> ServiceLine:
    """A service line on DAY with one unit, pointing at diagnosis A."""
    return ServiceLine(
        date_from=day,
        code=code,
        charge=Decimal("100.00"),
        modifiers=list(mods),
        units=Decimal(units),
        **kw,
    )


def claim(*lines: ServiceLine) -> Claim:
    """A claim for a 50-year-old woman, sent two days after the visit."""
    return Claim(
        program="group",
        insured_id="TEST123",
        patient=Person("Doe", "Jane", dob=dt.date(1975, 6, 1), sex="F"),
        payer=Payer("Test Plan", "TP001", timely_filing_days=365),
        diagnoses=list(DX),
        lines=list(lines),
        submitted_on=DAY + dt.timedelta(days=2),
    )


def edits(c: Claim, edit_id: str) -> list[Edit]:
    return [e for e in scrub(c) if e.id == edit_id]


# -- laparoscopic converted to open: only the open code is paid ----------------------------
LAP_TO_OPEN = [  # (open, laparoscopic)
    ("44950", "44970"),  # appendectomy
    ("47600", "47562"),  # cholecystectomy
    ("47600", "47563"),  # cholecystectomy (lap with cholangiography)
    ("44140", "44204"),  # partial colectomy
    ("58150", "58570"),  # total hysterectomy
    ("58150", "58571"),
]


@pytest.mark.parametrize(("open_", "lap"), LAP_TO_OPEN)
@pytest.mark.parametrize("order", ["open first", "lap first"])
def test_lap_converted_to_open_pays_the_open_code_only(open_, lap, order):
    lines = [line(open_), line(lap)] if order == "open first" else [line(lap), line(open_)]
    [edit] = edits(claim(*lines), "NCCI-PTP")
    lap_line = 2 if order == "open first" else 1
    assert edit.severity == "deny" and edit.item == f"24D line {lap_line}"
    assert edit.message.startswith(f"Item 24D line {lap_line}: {lap} is not paid with {open_}")
    assert "indicator 0" in edit.message and "converted to open" in edit.rationale
    [row] = ncci.ptp_table()[open_, lap]
    assert row.modifier_indicator == "0"
    assert (lap, open_) not in ncci.ptp_table()  # the open code is never the one denied


@pytest.mark.parametrize(("open_", "lap"), LAP_TO_OPEN)
@pytest.mark.parametrize("modifier", ["59", "XS", "XU"])
def test_no_modifier_gets_the_laparoscopic_code_paid_beside_the_open_one(open_, lap, modifier):
    assert [e.severity for e in edits(claim(line(open_), line(lap, modifier)), "NCCI-PTP")] == [
        "deny"
    ]


@pytest.mark.parametrize("code", ["44950", "44970", "47600", "47562", "58150", "58571", "44204"])
def test_either_approach_alone_is_clean(code):
    assert edits(claim(line(code)), "NCCI-PTP") == []


@pytest.mark.parametrize("open_", ["49505", "49507"])
def test_hernia_repairs_are_paid_together_only_on_opposite_sides(open_):
    assert edits(claim(line(open_, "RT"), line("49650", "LT")), "NCCI-PTP") == []
    assert [e.item for e in edits(claim(line(open_), line("49650")), "NCCI-PTP")] == ["24D line 2"]
    assert edits(claim(line(open_, "RT"), line("49650", "RT")), "NCCI-PTP")  # the same side


# -- bypass modifiers belong on the column-2 code -----------------------------------------
COLUMN_PAIRS = [("17000", "11102"), ("45385", "45380"), ("11400", "12001"), ("96374", "96372")]


@pytest.mark.parametrize(("col1", "col2"), COLUMN_PAIRS)
def test_the_bypass_modifier_on_the_column_2_code_clears_the_edit_whatever_its_line(col1, col2):
    assert edits(claim(line(col2, "XS"), line(col1)), "NCCI-PTP") == []  # column 2 on line 1
    assert edits(claim(line(col1), line(col2, "XS")), "NCCI-PTP") == []  # column 2 on line 2
    [edit] = edits(claim(line(col2), line(col1, "XS")), "NCCI-PTP")  # on column 1: not clean
    assert edit.severity == "warn" and edit.item == "24D line 1"
    assert f"put it on {col2}" in edit.message


def test_bypass_modifier_reads_only_the_column_2_modifiers():
    assert ncci.bypass_modifier(("XS",), ()) == "XS"
    assert ncci.bypass_modifier((), ("XS",)) == ""
    assert ncci.bypass_modifier(("GP",), ()) == ""


# -- the therapy pair: separate time intervals, not body areas ---------------------------
@pytest.mark.parametrize("modifier", ["59", "XU"])
def test_97140_with_97530_is_bypassed_for_separate_time_intervals(modifier):
    assert edits(claim(line("97530"), line("97140", modifier)), "NCCI-PTP") == []
    [edit] = edits(claim(line("97530"), line("97140")), "NCCI-PTP")
    assert "separate time intervals" in edit.rationale
    assert "different body area does not bypass" in edit.rationale


def test_no_therapy_text_teaches_body_areas_as_the_reason():
    [row] = ncci.ptp_table()["97530", "97140"]
    assert "time interval" in row.rationale and "body area" not in row.rationale.split(";")[0]


# -- bilateral services: one line with 50 and 1 unit -------------------------------------
@pytest.mark.parametrize("code", ["52332", "69210", "49650"])
def test_a_bilateral_indicator_1_service_is_one_line_with_50_and_1_unit(code):
    assert procedures.global_period(code).bilateral == "1"
    assert edits(claim(line(code, "50")), "MUE") == []
    assert edits(claim(line(code, "50")), "MOD-50") == []
    [two_lines] = edits(claim(line(code, "RT"), line(code, "LT")), "MUE")
    assert two_lines.item == "24G lines 1, 2" and "modifier 50 and 1 unit" in two_lines.rationale
    [two_units] = edits(claim(line(code, units=2)), "MUE")
    assert "bilateral indicator 1" in two_units.rationale
    assert edits(claim(line(code, "50", units=2)), "MOD-50")


def test_a_per_line_mue_leaves_two_sides_of_a_multi_joint_code_to_the_coder():
    # 20610 (MUE 2, MAI 1): RT shoulder and LT knee are two joints, so two lines can be right.
    assert edits(claim(line("20610", "RT"), line("20610", "LT")), "MUE") == []
    [edit] = edits(claim(line("20610", "RT", units=3)), "MUE")
    assert edit.item == "24G line 1" and "per line (MAI 1)" in edit.message


def test_the_bilateral_note_appears_only_for_bilateral_indicator_1_codes():
    [edit] = edits(claim(line("99203", units=2)), "MUE")
    assert "bilateral" not in edit.rationale


# -- E/M inside a procedure's global package ---------------------------------------------
MINOR = ["20610", "11102", "12002", "69210", "98940", "10060", "17110", "11400", "12031"]
MAJOR = ["27447", "47562", "29881", "66984", "44950"]
NO_GLOBAL = ["93000", "36415", "71046", "96372", "80053", "90471"]


@pytest.mark.parametrize("code", MINOR)
def test_an_em_beside_a_minor_procedure_needs_25(code):
    assert procedures.global_period(code).days in ("000", "010")
    [edit] = edits(claim(line("99213"), line(code)), "EM-GLOBAL")
    assert edit.severity == "deny" and edit.item == "24D line 1"
    assert f"{code} (line 2" in edit.message and "without modifier 25" in edit.message
    assert "A different diagnosis is not required" in edit.rationale
    assert "100-04" in edit.source and "GLOB DAYS" in edit.source
    assert edits(claim(line("99213", "25"), line(code)), "EM-GLOBAL") == []


@pytest.mark.parametrize("code", MINOR[:4])
def test_57_is_wrong_for_a_minor_procedure(code):
    [edit] = edits(claim(line("99214", "57"), line(code)), "EM-GLOBAL")
    assert edit.severity == "deny" and "57 is for major surgery" in edit.message


@pytest.mark.parametrize("code", MAJOR)
def test_an_em_the_day_of_or_before_a_major_procedure_needs_57(code):
    assert procedures.global_period(code).days == "090"
    before = DAY - dt.timedelta(days=1)
    for em_day in (DAY, before):
        [edit] = edits(claim(line("99204", day=em_day), line(code)), "EM-GLOBAL")
        assert edit.severity == "deny" and "without modifier 57" in edit.message
        assert edits(claim(line("99204", "57", day=em_day), line(code)), "EM-GLOBAL") == []
    [warn] = edits(claim(line("99204", "25"), line(code)), "EM-GLOBAL")
    assert warn.severity == "warn" and "takes 57" in warn.message
    two_days = DAY - dt.timedelta(days=2)  # outside the package: no modifier needed
    assert edits(claim(line("99204", day=two_days), line(code)), "EM-GLOBAL") == []


@pytest.mark.parametrize("code", NO_GLOBAL)
def test_a_service_without_a_global_period_never_bundles_the_visit(code):
    assert procedures.global_period(code).days == "XXX"
    assert edits(claim(line("99213"), line(code)), "EM-GLOBAL") == []
    assert edits(claim(line("99213", "25"), line(code)), "EM-GLOBAL") == []


def test_a_minor_procedure_on_another_day_does_not_touch_the_visit():
    later = DAY + dt.timedelta(days=1)
    assert edits(claim(line("99213"), line("11102", day=later)), "EM-GLOBAL") == []


def test_a_visit_by_another_rendering_provider_is_outside_the_package():
    em = line("99213", rendering_npi="1234567893")
    proc = line("20610", rendering_npi="1245319599")
    assert edits(claim(em, proc), "EM-GLOBAL") == []
    same = line("20610", rendering_npi="1234567893")
    assert edits(claim(em, same), "EM-GLOBAL")


def test_57_with_no_major_procedure_is_a_warning():
    [edit] = edits(claim(line("99214", "57")), "EM-GLOBAL")
    assert edit.severity == "warn" and not edit.blocking


def test_an_eye_exam_takes_25_like_an_em():
    assert edits(claim(line("92012", "25"), line("67820")), "EM-GLOBAL") == []
    assert [e.id for e in scrub(claim(line("92012", "25"), line("67820")))] == []
    assert [e.severity for e in edits(claim(line("92012"), line("67820")), "EM-GLOBAL")] == ["deny"]


def test_an_add_on_visit_follows_its_primary():
    c = claim(line("99291", "25"), line("99292"), line("31500"))
    assert edits(c, "EM-GLOBAL") == []
    assert [
        e.item for e in edits(claim(line("99291"), line("99292"), line("31500")), "EM-GLOBAL")
    ] == ["24D line 1"]


def test_25_with_no_procedure_keeps_its_own_warning():
    assert [e.id for e in scrub(claim(line("99213", "25")))] == ["MOD-25"]
    assert [e.id for e in scrub(claim(line("99213", "25"), line("92928")))] == []  # 000 medicine


@pytest.mark.parametrize(
    "preventive", ["99396", "99386", "99397", "99381", "G0439", "G0438", "G0402"]
)
def test_25_on_a_problem_visit_beside_a_same_day_preventive_visit_is_right(preventive):
    # CPT Preventive Medicine guidelines; Medicare ch. 12 30.6.6 (IPPE/AWV the same way).
    for visit in ("99213", "99214", "99203"):
        assert [e.id for e in scrub(claim(line(visit, "25"), line(preventive)))] == []


def test_25_beside_a_preventive_visit_still_needs_it_the_same_day_and_on_the_problem_visit():
    other_day = DAY - dt.timedelta(days=1)
    c = claim(line("99213", "25"), line("99396", day=other_day))
    assert [e.id for e in scrub(c)] == ["MOD-25"]  # the wellness visit was another day
    assert [e.id for e in scrub(claim(line("99396", "25")))] == ["MOD-25"]  # nothing beside it
    misplaced = edits(claim(line("99396", "25"), line("99213")), "MOD-25")
    assert (
        len(misplaced) == 1
        and "belongs on the problem-oriented visit 99213" in misplaced[0].message
    )
    # two problem visits are no "other service" for each other
    assert "MOD-25" in [e.id for e in scrub(claim(line("99213", "25"), line("99214")))]
    assert (
        "no procedure or preventive visit" in edits(claim(line("99213", "25")), "MOD-25")[0].message
    )


def test_the_0_5_ml_flu_vaccines_carry_no_age_limit():
    for code in ("90656", "90686"):
        text = procedures.cpt()[code].description.lower()
        assert "0.5 ml" in text and "age" not in text and "3+" not in text
