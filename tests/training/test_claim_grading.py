"""The box-by-box CMS-1500 grader: what a learner sees and the partial credit a human gives."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from medbill_lab.claims import model as claims
from medbill_lab.claims.model import Organization, Provider, ServiceLine
from medbill_lab.training.claim_grading import ClaimGrade, grade_claim, norm

SAMPLES = Path(__file__).resolve().parents[2] / "datasets" / "claims"
BOXES = ["Item 1", "Item 1a", "Item 2", "Item 3 date of birth", "Item 3 sex", "Item 4", "Item 5",
         "Item 6", "Item 11", "Item 14", "Item 17", "Item 17b", "Item 22", "Item 23", "Item 25",
         "Item 26", "Item 27", "Item 28", "Item 32", "Item 32a", "Item 33", "Item 33a"]  # fmt: skip


@pytest.fixture
def key() -> claims.Claim:
    """Three lines, three diagnoses, an external cause and a vaccine: room to go wrong."""
    return claims.load(SAMPLES / "clean-08-hand-laceration.json")


def lost_boxes(grade: ClaimGrade) -> dict[str, float]:
    return {m.box: m.max_points - m.points for m in grade.marks if not m.full}


def test_the_key_against_itself_scores_everything(key):
    grade = grade_claim(key, copy.deepcopy(key))
    assert grade.percent == 100.0 and grade.score == grade.max_score
    assert grade.lost() == []
    boxes = [m.box for m in grade.marks]
    for box in [*BOXES, "Item 21A", "Item 21B", "Item 21C", "Item 21 order"]:
        assert box in boxes
    for letter in "ABCDEFGHJ":
        assert f"Item 24{letter} line 3" in boxes
    assert "Item 24D line 2 modifiers" in boxes


@pytest.mark.parametrize("name", ["clean-01-htn-hld-followup.json", "clean-03-diabetes-a1c.yaml"])
def test_other_samples_score_full_against_themselves(name):
    claim = claims.load(SAMPLES / name)
    assert grade_claim(claim, copy.deepcopy(claim)).percent == 100.0


def test_names_differing_only_by_case_space_or_punctuation_are_accepted(key):
    sub = copy.deepcopy(key)
    sub.patient.last, sub.patient.first = "  DELA CROIX ", "benedikt."
    sub.billing_provider.name = "lakeside urgent-care"  # type: ignore[union-attr]
    sub.insured_id = key.insured_id.lower()
    sub.billing_provider.address.street = "77 SHORELINE DR."  # type: ignore[union-attr]
    assert grade_claim(key, sub).lost() == []
    assert norm("Riverbend Orthopedics & Sports Medicine") == norm(
        "RIVERBEND ORTHOPEDICS AND SPORTS MEDICINE"
    )


def test_a_different_name_loses_the_box_with_a_reason(key):
    sub = copy.deepcopy(key)
    sub.patient.last = "Delacruz"
    grade = grade_claim(key, sub)
    assert grade.lost() == [
        "Item 2: patient's name 'Delacroix, Benedikt' expected, 'Delacruz, Benedikt' entered"
    ]
    assert grade.score == grade.max_score - 1


def test_right_diagnoses_in_the_wrong_order_lose_only_the_order_point(key):
    sub = copy.deepcopy(key)
    sub.diagnoses = ["Z23", "S61.411A", "W25.XXXA"]  # pointers rewritten to follow the codes
    remap = {"A": "B", "B": "C", "C": "A"}
    for line in sub.lines:
        line.pointers = [remap[p] for p in line.pointers]
    grade = grade_claim(key, sub)
    assert lost_boxes(grade) == {"Item 21 order": 1.0}
    assert grade.lost() == [
        "Item 21 order: the first-listed diagnosis is not the key's (key: S61.411A, W25.XXXA, Z23)"
    ]


def test_codes_typed_without_dots_or_in_lower_case_count(key):
    sub = copy.deepcopy(key)
    sub.diagnoses = ["s61411a", "W25XXXA", "z23"]
    assert grade_claim(key, sub).lost() == []


def test_diagnosis_partial_credit_missing_and_extra(key):
    sub = copy.deepcopy(key)
    sub.diagnoses = ["S61.412A", "W25.XXXA", "Z23", "I10"]  # left hand instead of right; extra I10
    grade = grade_claim(key, sub)
    marks = {m.box: m for m in grade.marks}
    assert marks["Item 21A"].points == 0.5
    assert "S61.411A expected; S61.412A is in the right category" in marks["Item 21A"].reason
    assert (
        marks["Item 21 extra"].points == -0.5
        and "I10 is not on the key" in marks["Item 21 extra"].reason
    )
    sub.diagnoses = ["S61.411A", "Z23"]
    for line in sub.lines:
        line.pointers = ["A", "A"][: len(line.pointers)] if line.pointers != ["C"] else ["B"]
    grade = grade_claim(key, sub)
    assert "Item 21B: W25.XXXA is missing" in grade.lost()
    assert "Item 21 order" not in lost_boxes(grade)  # what was entered is in the key's order


def test_pointers_are_compared_by_the_codes_they_name(key):
    sub = copy.deepcopy(key)
    sub.lines[0].pointers = ["B", "A"]  # same two codes, primary reversed
    sub.lines[1].pointers = ["A"]  # the vaccine pointed at the laceration
    grade = grade_claim(key, sub)
    assert lost_boxes(grade) == {"Item 24E line 1": 0.5, "Item 24E line 2": 1.0}
    assert any(
        r.startswith("Item 24E line 2: points to S61.411A; the key points to Z23")
        for r in grade.lost()
    )


def test_one_wrong_charge_costs_one_point_named_by_box_and_line(key):
    sub = copy.deepcopy(key)
    sub.lines[1].charge = Decimal("85.00")
    sub.total_charge = sub.line_total()
    grade = grade_claim(key, sub)
    assert lost_boxes(grade) == {"Item 24F line 2": 1.0, "Item 28": 1.0}
    assert "Item 24F line 2: charge '58.00' expected, '85.00' entered" in grade.lost()


def test_lines_in_another_order_are_matched_by_code(key):
    sub = copy.deepcopy(key)
    sub.lines.reverse()
    grade = grade_claim(key, sub)
    assert grade.percent == 100.0
    assert any(m.box == "Item 24A line 1 (your line 3)" for m in grade.marks)


def test_a_wrong_code_costs_24d_not_the_whole_line(key):
    sub = copy.deepcopy(key)
    sub.lines[1].code = "90714"
    grade = grade_claim(key, sub)
    assert lost_boxes(grade) == {"Item 24D line 2": 2.0}


def test_missing_and_extra_lines(key):
    sub = copy.deepcopy(key)
    sub.lines = sub.lines[:2]
    sub.lines.append(ServiceLine(dt.date(2026, 4, 11), "36415", Decimal("15.00"), ["A"]))
    sub.lines.append(ServiceLine(dt.date(2026, 4, 11), "99213", Decimal("135.00"), ["A"]))
    sub.total_charge = key.total_charge
    grade = grade_claim(key, sub)
    lost = lost_boxes(grade)
    assert lost["Item 24D line 3"] == 2.0  # 90471 answered by the leftover 36415
    assert lost["Item 24 extra"] == 1.0
    assert "Item 24: your line 4 (99213) is not on the key (-1)" in grade.lost()
    short = copy.deepcopy(key)
    short.lines = short.lines[:1]
    marks = {m.box: m for m in grade_claim(key, short).marks}
    assert marks["Item 24 line 3"].points == 0 and marks["Item 24 line 3"].max_points == 11
    assert marks["Item 24 line 3"].reason == "Item 24 line 3: 90471 on 2026-04-11 is missing"


def test_patient_details(key):
    sub = copy.deepcopy(key)
    sub.patient.dob = dt.date(1991, 8, 11)
    sub.patient.sex = "F"
    sub.patient.middle = "Q"
    sub.patient.address.zip = "53799"  # type: ignore[union-attr]
    sub.relationship = "spouse"
    sub.insured = copy.deepcopy(sub.patient)
    grade = grade_claim(key, sub)
    assert lost_boxes(grade) == {
        "Item 2": 0.5,  # the right name with a middle initial the key does not have
        "Item 3 date of birth": 1.0,
        "Item 3 sex": 1.0,
        "Item 4": 0.5,
        "Item 5": 0.5,  # only the ZIP is wrong
        "Item 6": 1.0,
    }
    assert (
        "Item 3 date of birth: date of birth '1991-11-08' expected, '1991-08-11' entered"
        in grade.lost()
    )
    assert "Item 5: patient's address" in " ".join(grade.lost()) and "(wrong: ZIP)" in " ".join(
        grade.lost()
    )


def test_provider_boxes(key):
    sub = copy.deepcopy(key)
    sub.tax_id_type = "SSN"
    sub.referring_provider = Provider("Abara", "Nkem", "1163409588")
    sub.billing_provider = Organization(
        "Lakeside Urgent Care", "1365920481", key.billing_provider.address
    )  # type: ignore[union-attr]
    sub.accept_assignment = False
    grade = grade_claim(key, sub)
    lost = lost_boxes(grade)
    assert lost["Item 25"] == 0.5 and "the EIN box should be checked, not SSN" in " ".join(
        grade.lost()
    )
    assert lost["Item 17"] == 1.0 and lost["Item 17b"] == 1.0
    assert "Item 17: referring provider blank expected, 'Abara, Nkem' entered" in grade.lost()
    assert (
        lost["Item 33a"] == 1.0 and lost["Item 32a"] == 1.0
    )  # 32 defaults to the billing provider
    assert lost["Item 27"] == 1.0


def test_every_lost_point_has_one_line_naming_its_box(key):
    sub = copy.deepcopy(key)
    sub.program = "medicare"
    sub.diagnoses = ["R69"]
    sub.lines = [
        ServiceLine(dt.date(2026, 1, 1), "99999", Decimal("1.00"), ["A"], ["XX"], Decimal(3))
    ]
    sub.total_charge = Decimal("1.00")
    sub.patient_account = ""
    grade = grade_claim(key, sub)
    assert grade.score >= 0 and grade.percent < 50
    for mark in grade.marks:
        if not mark.full:
            assert mark.reason.startswith("Item "), mark
            assert mark.reason.split(":")[0] in mark.box or mark.box.startswith(
                mark.reason.split(":")[0]
            )
            assert "\n" not in mark.reason
    assert grade.max_score == grade_claim(key, key).max_score  # penalties never change the maximum


def test_score_never_goes_below_zero(key):
    sub = copy.deepcopy(key)
    sub.diagnoses = [f"A0{i}.0" for i in range(10)]
    sub.lines = [ServiceLine(dt.date(2025, 1, 1), "00100", Decimal(1), []) for _ in range(50)]
    grade = grade_claim(key, sub)
    assert grade.score == 0.0 and grade.percent == 0.0


def test_text_html_and_dict_views(key):
    sub = copy.deepcopy(key)
    sub.patient.last = "<script>alert('x')</script>"
    sub.diagnoses[2] = "Z23"
    grade = grade_claim(key, sub)
    text = grade.to_text()
    assert text.splitlines()[0] == grade.summary()
    assert f"({grade.percent}%)" in text and "Item 2 " in text
    html = grade.to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'class="mbl-table mbl-claim-grade"' in html
    data = json.loads(json.dumps(grade.as_dict()))
    assert data["score"] == grade.score and data["max_score"] == grade.max_score
    assert data["lost"] == grade.lost() and len(data["marks"]) == len(grade.marks)
