"""The office/outpatient E/M calculator: MDM by 2 of 3 elements, time thresholds, 99417."""

from __future__ import annotations

import itertools

import pytest

from medbill_lab.training import em_level
from medbill_lab.training.em_level import MDM, Data, Problem, grade_answer, level

# One input per level (1 minimal/straightforward .. 4 high) for each element.
PROBLEMS = {
    1: ["self-limited or minor problem"],
    2: ["stable chronic illness"],
    3: ["acute illness with systemic symptoms"],
    4: ["threat to life or bodily function"],
}
DATA = {
    1: Data(),
    2: Data(tests_reviewed=2),
    3: Data(tests_reviewed=3),
    4: Data(tests_reviewed=3, independent_interpretation=True),
}
RISK = {1: "minimal", 2: "over-the-counter drugs", 3: "prescription drug management", 4: "high"}


def visit(problems: int, data: int, risk: int) -> MDM:
    return MDM(problems=PROBLEMS[problems], data=DATA[data], risk=RISK[risk])


# -- the classic examples -------------------------------------------------------------------
def test_established_two_stable_chronic_illnesses_rx_and_two_labs_is_99214():
    mdm = MDM(
        problems=[
            Problem("stable chronic illness", "hypertension"),
            Problem("stable chronic illness", "type 2 diabetes"),
        ],
        data=Data(tests_reviewed=2),  # A1c and a basic metabolic panel
        risk="prescription drug management",
    )
    result = level(new_patient=False, mdm=mdm)
    assert (result.code, result.basis, result.mdm_level) == ("99214", "MDM", "moderate")
    assert [e.word for e in result.elements] == ["moderate", "limited", "moderate"]
    assert result.claim_lines() == [("99214", 1)]


def test_new_patient_one_self_limited_problem_and_otc_drugs_is_99202():
    mdm = MDM(problems=[Problem("self-limited or minor problem", "insect bite")], risk="otc drugs")
    result = level(new_patient=True, mdm=mdm)
    assert (result.code, result.mdm_level) == ("99202", "straightforward")
    assert [e.word for e in result.elements] == ["minimal", "minimal or none", "low"]


def test_new_patient_acute_uncomplicated_illness_with_otc_drugs_is_99203_not_99202():
    # An acute uncomplicated illness is a *low* problem and OTC drugs a *low* risk, so
    # 2 of the 3 elements reach low: 99203.  (99202 needs a self-limited or minor problem.)
    mdm = MDM(problems=["acute uncomplicated illness or injury"], risk="over-the-counter drugs")
    result = level(new_patient=True, mdm=mdm)
    assert (result.code, result.mdm_level) == ("99203", "low")


@pytest.mark.parametrize(("new_patient", "code"), [(True, "99205"), (False, "99215")])
def test_high_complexity_is_99205_or_99215(new_patient, code):
    mdm = MDM(
        problems=[Problem("chronic illness with severe exacerbation", "COPD")],
        data=Data(tests_ordered=2, external_notes=1, external_discussion=True),
        risk="decision regarding hospitalization",
    )
    result = level(new_patient, mdm)
    assert (result.code, result.mdm_level, result.basis) == (code, "high", "MDM")
    assert result.prolonged_units == 0  # 99417 needs time as the basis


# -- the 2-of-3 rule ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ((4, 1, 3), "moderate"),  # high problems, minimal data, moderate risk
        ((4, 4, 1), "high"),
        ((2, 4, 1), "low"),  # extensive data alone cannot lift low problems
        ((1, 2, 4), "low"),  # all three differ: the middle one
        ((3, 3, 1), "moderate"),
        ((1, 1, 4), "straightforward"),  # high risk alone does not count
        ((2, 1, 3), "low"),
    ],
)
def test_two_of_three_with_mixed_elements(levels, expected):
    assert level(False, visit(*levels)).mdm_level == expected


@pytest.mark.parametrize("levels", list(itertools.product(range(1, 5), repeat=3)))
def test_mdm_level_is_the_highest_level_met_by_at_least_two_elements(levels):
    mdm = visit(*levels)
    assert tuple(e.level for e in mdm.elements()) == levels
    met_by_two = max(lvl for lvl in range(1, 5) if sum(e >= lvl for e in levels) >= 2)
    assert mdm.level == met_by_two
    assert level(True, mdm).code == em_level.CODES[True][met_by_two - 1]
    assert level(False, mdm).code == em_level.CODES[False][met_by_two - 1] != "99211"


# -- each element -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("problems", "word"),
    [
        (["self-limited or minor problem"], "minimal"),
        (["self-limited or minor problem"] * 2, "low"),
        (["stable chronic illness"], "low"),
        (["stable chronic illness", "self-limited or minor problem"], "low"),
        (["stable chronic illness"] * 2, "moderate"),
        (["stable acute illness"], "low"),
        (["acute uncomplicated illness or injury"] * 3, "low"),
        (["chronic illness with exacerbation"], "moderate"),
        (["undiagnosed new problem with uncertain prognosis"], "moderate"),
        (["acute complicated injury"], "moderate"),
        (["chronic illness with severe exacerbation"], "high"),
        (["stable chronic illness"] * 2 + ["threat to life or bodily function"], "high"),
    ],
)
def test_problems_element(problems, word):
    assert em_level.problems_element([Problem(p) for p in problems]).word == word


@pytest.mark.parametrize(
    ("data", "word"),
    [
        (Data(), "minimal or none"),
        (Data(tests_ordered=1), "minimal or none"),
        (Data(tests_ordered=1, tests_reviewed=1), "limited"),
        (Data(external_notes=2), "limited"),
        (Data(independent_historian=True), "limited"),
        (Data(tests_ordered=1, independent_historian=True), "limited"),
        (Data(tests_ordered=2, independent_historian=True), "moderate"),  # 3 items with historian
        (Data(tests_ordered=1, tests_reviewed=1, external_notes=1), "moderate"),
        (Data(independent_interpretation=True), "moderate"),
        (Data(external_discussion=True), "moderate"),
        (Data(tests_reviewed=2, external_discussion=True), "moderate"),  # category 1 needs 3
        (Data(independent_interpretation=True, external_discussion=True), "extensive"),
        (Data(tests_ordered=3, external_discussion=True), "extensive"),
        (
            Data(tests_ordered=2, independent_historian=True, independent_interpretation=True),
            "extensive",
        ),
    ],
)
def test_data_element_by_category(data, word):
    assert em_level.data_element(data).word == word


@pytest.mark.parametrize(
    ("risk", "word"),
    [
        ("minimal", "minimal"),
        ("rest, gargles or bandages", "minimal"),
        ("OTC drugs", "low"),
        ("minor surgery without risk factors", "low"),
        ("prescription drug management", "moderate"),
        ("social determinants of health", "moderate"),
        ("elective major surgery without risk factors", "moderate"),
        ("decision regarding hospitalization", "high"),
        ("drug therapy requiring intensive monitoring for toxicity", "high"),
        (["over-the-counter drugs", "emergency major surgery"], "high"),  # the highest counts
    ],
)
def test_risk_element(risk, word):
    mdm = MDM(problems=["stable chronic illness"], risk=risk)
    assert mdm.elements()[2].word == word


def test_problem_kinds_accept_case_hyphens_and_aliases():
    assert Problem("Self Limited or Minor Problem").kind == "self-limited or minor problem"
    assert Problem("stable chronic").kind == "stable chronic illness"
    assert Problem("chronic illness with side effects of treatment").level == 3


def test_element_level_words():
    assert em_level.element_level("data", "minimal or none") == 1
    assert em_level.element_level("data", "None") == 1
    assert em_level.element_level("problems", " Moderate ") == 3
    with pytest.raises(ValueError, match="limited"):
        em_level.element_level("data", "low")
    with pytest.raises(ValueError, match="problems, data or risk"):
        em_level.element_level("history", "low")


# -- time -----------------------------------------------------------------------------------
BOUNDARIES = [
    (True, 14, None),
    (True, 15, "99202"),
    (True, 29, "99202"),
    (True, 30, "99203"),
    (True, 44, "99203"),
    (True, 45, "99204"),
    (True, 59, "99204"),
    (True, 60, "99205"),
    (False, 9, None),
    (False, 10, "99212"),
    (False, 19, "99212"),
    (False, 20, "99213"),
    (False, 29, "99213"),
    (False, 30, "99214"),
    (False, 39, "99214"),
    (False, 40, "99215"),
]


@pytest.mark.parametrize(("new_patient", "minutes", "code"), BOUNDARIES)
def test_each_time_threshold_boundary(new_patient, minutes, code):
    result = level(new_patient, minutes=minutes)
    assert result.code == code
    assert result.basis == ("time" if code else None)
    assert result.mdm_level is None


def test_time_below_the_lowest_threshold_supports_no_level_and_says_so():
    result = level(False, minutes=5)
    assert result.code is None and result.claim_lines() == []
    assert "no office E/M level" in result.to_text()
    assert "below the 10 minutes 99212 needs" in result.to_text()


@pytest.mark.parametrize(
    ("new_patient", "minutes", "units"),
    [
        (True, 60, 0),
        (True, 74, 0),
        (True, 75, 1),
        (True, 89, 1),
        (True, 90, 2),
        (True, 105, 3),
        (False, 40, 0),
        (False, 54, 0),
        (False, 55, 1),
        (False, 69, 1),
        (False, 70, 2),
    ],
)
def test_99417_units_for_each_full_15_minutes_past_99205_or_99215(new_patient, minutes, units):
    result = level(new_patient, minutes=minutes)
    top = "99205" if new_patient else "99215"
    assert result.prolonged_units == units
    assert result.claim_lines() == [(top, 1)] + ([("99417", units)] if units else [])


def test_99417_is_explained_with_the_medicare_difference():
    text = level(True, minutes=80).to_text()
    assert "first unit at 75" in text and "1 unit of 99417" in text
    assert "G2212" in text and "89 minutes" in text
    assert level(True, minutes=80).headline() == "New patient: 99205 + 99417 (by time)"


# -- MDM and time together -------------------------------------------------------------------
def test_time_wins_when_it_gives_the_higher_level():
    result = level(True, visit(2, 1, 2), minutes=47)
    assert (result.code, result.basis, result.mdm_level) == ("99204", "time", "low")
    assert any(
        "the higher level is reported, so the basis is time" in ln for ln in result.reasoning
    )


def test_mdm_wins_when_it_gives_the_higher_level():
    result = level(False, visit(3, 2, 3), minutes=25)
    assert (result.code, result.basis) == ("99214", "MDM")


def test_a_tie_is_reported_by_mdm_unless_time_adds_99417():
    tie = level(False, visit(3, 3, 3), minutes=30)
    assert (tie.code, tie.basis) == ("99214", "MDM")
    long = level(False, visit(4, 4, 4), minutes=60)
    assert (long.code, long.basis, long.prolonged_units) == ("99215", "time", 1)


def test_short_time_falls_back_to_mdm():
    result = level(True, visit(3, 3, 3), minutes=5)
    assert (result.code, result.basis) == ("99204", "MDM")


def test_reasoning_shows_each_element_the_two_of_three_rule_and_the_threshold():
    result = level(False, visit(3, 2, 3), minutes=25)
    text = result.to_text()
    assert text.splitlines()[0] == "Established patient: 99214 (by MDM)"
    assert "Problems addressed: moderate." in text
    assert "Data reviewed and analyzed: limited." in text
    assert "Risk of patient management: moderate." in text
    assert "met or exceeded by 2 of the 3 elements" in text
    assert "meets 99213 (20 minutes or more); 99214 would need 30" in text
    assert "99211" in result.reasoning[0]  # why 99211 is never the answer


def test_new_patient_reasoning_does_not_mention_99211():
    assert "99211" not in level(True, minutes=20).to_text()


# -- bad input ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"new_patient": False}, "MDM, its total minutes, or both"),
        ({"new_patient": False, "minutes": -1}, "between 0 and 1440"),
        ({"new_patient": False, "minutes": 1441}, "between 0 and 1440"),
        ({"new_patient": False, "minutes": 20.5}, "whole number"),
        ({"new_patient": False, "minutes": True}, "whole number"),
        ({"new_patient": False, "minutes": "20"}, "whole number"),
        ({"new_patient": "yes", "minutes": 20}, "True or False"),
        ({"new_patient": None, "minutes": 20}, "True or False"),
        ({"new_patient": True, "mdm": "moderate"}, "MDM"),
    ],
)
def test_bad_level_input_is_a_clear_value_error(kwargs, match):
    with pytest.raises(ValueError, match=match):
        level(**kwargs)


@pytest.mark.parametrize(
    ("build", "match"),
    [
        (lambda: Problem("broken leg"), "unknown problem kind 'broken leg'"),
        (lambda: Problem(""), "non-empty string"),
        (lambda: Problem("stable chronic illness", note=3), "note"),
        (lambda: MDM(problems=[], risk="low"), "at least one problem"),
        (lambda: MDM(problems="stable chronic illness", risk="low"), "a list"),
        (lambda: MDM(problems=["stable chronic illness"], risk="very high"), "unknown risk"),
        (lambda: MDM(problems=["stable chronic illness"], risk=[]), "non-empty list"),
        (lambda: MDM(problems=["stable chronic illness"], risk=3), "non-empty list"),
        (lambda: MDM(problems=["minor problem"], risk="low", data={"tests": 2}), "Data"),
        (lambda: Data(tests_ordered=-1), "0 or more"),
        (lambda: Data(tests_reviewed=1.5), "whole number"),
        (lambda: Data(external_notes=True), "whole number"),
        (lambda: Data(independent_historian="yes"), "True or False"),
    ],
)
def test_bad_mdm_input_is_a_clear_value_error(build, match):
    with pytest.raises(ValueError, match=match):
        build()


def test_unknown_kind_error_lists_the_known_kinds():
    with pytest.raises(ValueError) as err:
        Problem("headache")
    assert "stable chronic illness" in str(err.value)


# -- grading an answer ----------------------------------------------------------------------
@pytest.fixture
def expected_99214():
    return level(False, visit(3, 2, 3))


@pytest.mark.parametrize(
    ("code", "points"),
    [
        ("99214", 2),
        (" 99214 ", 2),
        ("99204", 1),  # right level, wrong patient type
        ("99213", 1),  # right patient type, wrong level
        ("99203", 0),
        ("99211", 0),  # not reachable by MDM or time
        ("99417", 0),
        ("", 0),
        (None, 0),
        (99214, 0),
    ],
)
def test_grade_code_points(expected_99214, code, points):
    grade = grade_answer(expected_99214, code)
    assert (grade.points, grade.max_points) == (points, 2)
    answered = isinstance(code, str) and code.strip()
    assert ("Why:" in grade.to_text()) == bool(answered)


def test_grade_elements_one_point_each_and_never_raises(expected_99214):
    right = {"problems": "moderate", "data": "limited", "risk": "moderate"}
    assert grade_answer(expected_99214, "99214", right).points == 5
    wrong = {"problems": "low", "data": "lots", "risk": 7}
    grade = grade_answer(expected_99214, "99214", wrong)
    assert (grade.points, grade.max_points) == (2, 5)
    text = grade.to_text()
    assert "you said low, it is moderate" in text
    assert "'lots' is not a level word" in text
    assert grade_answer(expected_99214, "99214", {}).points == 2  # missing words score 0


def test_grade_needs_an_expected_code_and_elements():
    with pytest.raises(ValueError, match="no code"):
        grade_answer(level(False, minutes=3), "99212")
    with pytest.raises(ValueError, match="no MDM elements"):
        grade_answer(level(False, minutes=30), "99214", {"problems": "low"})


# -- the table for lessons ----------------------------------------------------------------------
def test_mdm_table_rows_match_the_codes():
    rows = em_level.mdm_table()
    assert [(r["new"], r["established"]) for r in rows] == list(
        zip(em_level.CODES[True], em_level.CODES[False], strict=True)
    )
    assert "prescription drug management" in rows[2]["risk"]
    assert "decision regarding hospitalization" in rows[3]["risk"]
    assert "2+ stable chronic illnesses" in rows[2]["problems"]
