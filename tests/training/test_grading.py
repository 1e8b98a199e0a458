"""Grading a coded answer: points per element, partial credit, sequence,
extra and invalid codes, alternatives, the text and HTML reports, and the
coding-practice widget that shows them."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medbill_lab.codes import icd10cm
from medbill_lab.training import cases
from medbill_lab.training.cases import Case
from medbill_lab.training.grading import Element, GradeReport, grade, parse_codes


def make_case(answer, sequence_matters=True, alternatives=(), day="2026-02-10", case_id="t-1"):
    return Case(
        id=case_id,
        topic="test",
        title="Test case",
        date_of_service=day,
        age=60,
        sex="F",
        note="Synthetic note written by the test.",
        answer=tuple(answer),
        rationale="Because the test says so.",
        guideline="I.C.4.a",
        sequence_matters=sequence_matters,
        alternatives=tuple(tuple(a) for a in alternatives),
    )


DM = make_case(["E11.22", "N18.31", "Z79.4"])  # 7 points: 3 codes x 2 + sequence 1
FRACTURE = make_case(["S52.521A", "W19.XXXA"])  # 5 points
SYMPTOMS = make_case(["R05.9", "R50.9"], sequence_matters=False)  # 5 points


def element(report: GradeReport, name: str) -> Element:
    return next(e for e in report.elements if e.element == name)


# -- reading the input --------------------------------------------------------
@pytest.mark.parametrize(
    "typed",
    [
        "E11.22, N18.31, Z79.4",
        "e1122 n1831 z794",
        "E11.22;N18.31\nZ79.4",
        ["E11.22", "n18.31", "Z79.4"],
    ],
)
def test_the_exact_answer_scores_100_in_any_spelling(typed):
    report = grade(DM, typed)
    assert report.score == report.max_score == 7
    assert report.percent == 100.0
    assert report.submitted == ["E11.22", "N18.31", "Z79.4"]
    assert [e.points for e in report.elements] == [2, 2, 2, 1]
    assert report.invalid == ()


def test_parse_codes_keeps_garbage_as_typed():
    assert parse_codes("e11.22, hello <script>") == ["E11.22", "hello", "<script>"]
    assert parse_codes(None) == [] and parse_codes("  ") == [] and parse_codes([]) == []


# -- partial credit, and none for a code that cannot be reported ----------------
@pytest.mark.parametrize(
    ("typed", "expected", "header", "level"),
    [
        ("E11.2, N18.31, Z79.4", "E11.22", "E11.2", "subcategory"),
        ("E11, N18.31, Z79.4", "E11.22", "E11", "category"),
        ("E11.22, N18.3, Z79.4", "N18.31", "N18.3", "subcategory"),
        ("E11.22, N18.31, Z79", "Z79.4", "Z79", "category"),
    ],
)
def test_a_header_in_the_right_category_earns_no_code_credit(typed, expected, header, level):
    report = grade(DM, typed)
    e = element(report, expected)
    assert (e.points, e.max_points) == (0, 2)
    assert f"{header} is a {level} header, not billable: it needs more characters" in e.rationale
    assert expected in e.rationale  # what the documentation supports
    assert "I.A.3" in e.rule and "I.B.2" in e.rule and "full number of characters" in e.rule
    assert report.score == 5  # the two code points, nothing else: no extra-code penalty
    assert element(report, "sequence").points == 1  # the order of the conditions is right
    assert (header, "header not billable") in report.invalid


def test_a_header_earns_less_than_a_reportable_less_specific_code():
    hf = make_case(["I50.22"], sequence_matters=False)  # chronic systolic heart failure
    header = element(grade(hf, "I50.2"), "I50.22")
    unspecified = element(grade(hf, "I50.20"), "I50.22")  # billable, less specific
    other = element(grade(hf, "I50.9"), "I50.22")
    assert header.points == 0 and "header" in header.rationale
    assert unspecified.points == 1 and "partial credit for I50.20" in unspecified.rationale
    assert other.points == 1


def test_a_reportable_code_is_matched_before_a_header_of_the_same_condition():
    report = grade(DM, "E11.2 E11.9 N18.31 Z79.4")
    assert element(report, "E11.22").points == 1  # E11.9 earns the category point
    assert element(report, "E11.2").points == 0  # the header is a free duplicate
    assert report.score == 6


def test_a_different_code_in_the_right_category_earns_partial_credit():
    report = grade(DM, "E11.9 N18.31 Z79.4")
    e = element(report, "E11.22")
    assert e.points == 1 and "different code" in e.rationale
    assert "without complications" in e.rationale  # names what was coded instead


def test_missing_seventh_character_earns_no_code_credit_and_is_reported():
    report = grade(FRACTURE, "S52.521, W19.XXXA")
    e = element(report, "S52.521A")
    assert e.points == 0
    assert "lacks its 7th character A" in e.rationale and "initial encounter" in e.rationale
    assert "invalid" in e.rationale and "I.A.5" in e.rule and "I.B.2" in e.rule
    assert ("S52.521", "missing 7th character") in report.invalid
    assert report.score == 3
    sprain = make_case(["S93.401A", "W01.0XXA"])
    assert element(grade(sprain, "S93.401 W01.0XXA"), "S93.401A").points == 0
    assert element(grade(sprain, "S93.401D W01.0XXA"), "S93.401A").points == 1  # reportable


def test_missing_placeholder_x_earns_no_code_credit_and_is_reported():
    report = grade(FRACTURE, "S52.521A W19A")
    e = element(report, "W19.XXXA")
    assert e.points == 0 and "placeholder X" in e.rationale and "I.A.4" in e.rule
    assert ("W19.A", "missing placeholder X") in report.invalid
    assert report.score == 3


@pytest.mark.parametrize(
    ("answer", "typed", "short"),
    [
        (["T78.40XA"], "T78.40A", "T78.40A"),  # allergy, unspecified: X at position 6
        (["S93.401A", "W01.0XXA"], "S93.401A W01.0A", "W01.0A"),
    ],
)
def test_a_code_without_its_placeholder_x_earns_no_code_credit(answer, typed, short):
    case = make_case(answer)
    report = grade(case, typed)
    e = element(report, answer[-1])
    assert e.points == 0 and f"{short} lacks the placeholder X" in e.rationale
    assert (short, "missing placeholder X") in report.invalid
    assert report.score == report.max_score - 2


def test_wrong_laterality_and_wrong_seventh_character_are_named():
    side = element(grade(FRACTURE, "S52.522A W19.XXXA"), "S52.521A")
    assert side.points == 1 and "wrong laterality" in side.rationale and "right" in side.rationale
    encounter = element(grade(FRACTURE, "S52.521D W19.XXXA"), "S52.521A")
    assert encounter.points == 1 and "wrong 7th character" in encounter.rationale
    assert "subsequent" in encounter.rationale and "initial" in encounter.rationale


def test_a_missing_code_earns_zero_with_a_reason():
    report = grade(DM, "E11.22 N18.31")
    e = element(report, "Z79.4")
    assert e.points == 0 and "not coded" in e.rationale and "insulin" in e.rationale
    assert report.score == 5


# -- sequence -----------------------------------------------------------------
def test_wrong_first_listed_code_loses_only_the_sequence_point():
    report = grade(DM, "N18.31 E11.22 Z79.4")
    assert report.score == 6
    seq = element(report, "sequence")
    assert seq.points == 0
    assert seq.rationale.startswith("N18.31 is listed before E11.22")
    assert all(e.points == 2 for e in report.elements if e.element != "sequence")


def test_relative_order_of_the_other_codes_counts_when_sequence_matters():
    report = grade(DM, "E11.22 Z79.4 N18.31")
    seq = element(report, "sequence")
    assert seq.points == 0 and seq.rationale == "out of order: N18.31 must be listed before Z79.4"
    assert report.score == 6


def test_the_sequence_row_names_the_codes_as_typed():
    seq = element(grade(DM, "E11.22 Z79.4 N18.3"), "sequence")  # a header stands for N18.31
    assert seq.rationale == "out of order: N18.3 must be listed before Z79.4"
    assert "N18.31" not in seq.rationale
    first = element(grade(DM, "N18.31 E11.9 Z79.4"), "sequence")
    assert first.rationale.startswith("N18.31 is listed before E11.9")


SEPSIS = make_case(["A41.9", "J18.9", "R65.20"])


@pytest.mark.parametrize(
    ("case", "typed", "points"),
    [
        (DM, "N18.31 Z79.4", 0),  # the first-listed condition is missing
        (DM, "Z79.4 N18.31", 0),
        (DM, "Z79.4", 0),
        (DM, "N18.31 E11.22", 0),
        (DM, "E11.22 N18.31", 1),  # right order of what was typed; Z79.4 has its own row
        (DM, "I10 N18.31", 0),
        (FRACTURE, "W19.XXXA", 0),
        (FRACTURE, "W19.XXXA S52.521A", 0),
        (SEPSIS, "J18.9 R65.20", 0),
        (SEPSIS, "R65.20 A41.9", 0),
        (SEPSIS, "A41.9 R65.20", 1),
        (SEPSIS, "A41.9 R65.20 J18.9", 0),
    ],
)
def test_the_sequence_row_never_names_a_code_the_learner_did_not_enter(case, typed, points):
    report = grade(case, typed)
    seq = element(report, "sequence")
    named = set(re.findall(r"\b[A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?\b", seq.rationale))
    assert named <= set(report.submitted), (typed, seq.rationale)
    assert seq.points == points, seq.rationale


def test_a_missing_first_listed_code_costs_the_sequence_point_without_naming_it():
    seq = element(grade(DM, "N18.31 Z79.4"), "sequence")
    assert seq.points == 0 and "E11.22" not in seq.rationale
    assert "must be listed first" in seq.rationale and "'not coded' row" in seq.rationale
    nothing = element(grade(DM, "I10 K21.9"), "sequence")
    assert nothing.points == 0 and "no order to credit" in nothing.rationale


def test_an_unsupported_code_typed_first_is_named_in_the_sequence_row_without_cost():
    report = grade(DM, "I10 E11.22 N18.31 Z79.4")
    seq = element(report, "sequence")
    assert seq.points == 1 and "typed ahead of it: I10" in seq.rationale
    assert report.score == 6.5  # only the extra code's half point


def test_order_is_free_when_sequence_does_not_matter():
    assert grade(SYMPTOMS, "R50.9 R05.9").percent == 100.0
    seq = element(grade(SYMPTOMS, "R50.9"), "sequence")
    assert seq.points == 0 and "order is free" in seq.rationale
    assert "R05.9" not in seq.rationale and "1 of 2" in seq.rationale


# -- extra and invalid codes --------------------------------------------------
def test_each_extra_code_costs_half_a_point():
    report = grade(DM, "E11.22 N18.31 Z79.4 I10")
    extra = element(report, "I10")
    assert (extra.points, extra.max_points) == (-0.5, 0)
    assert "not supported" in extra.rationale
    assert report.score == 6.5 and report.percent == round(100 * 6.5 / 7, 1)


def test_the_score_never_goes_below_zero():
    report = grade(DM, "I10 J45.909 K21.9 M54.50 R51.9 F41.1")
    assert report.score == 0 and report.percent == 0


def test_a_less_specific_duplicate_of_a_partial_answer_is_not_penalised_twice():
    report = grade(DM, "E11.9 E11.2 N18.31 Z79.4")
    assert element(report, "E11.22").points == 1
    duplicate = element(report, "E11.2")
    assert duplicate.points == 0 and "not penalised again" in duplicate.rationale
    assert report.score == 6


def test_a_header_listed_beside_the_exact_code_is_an_extra():
    report = grade(DM, "E11.22 E11.2 N18.31 Z79.4")
    assert element(report, "E11.2").points == -0.5
    assert report.score == 6.5


def test_a_repeated_code_is_flagged_without_cost():
    report = grade(DM, "E11.22 N18.31 Z79.4 Z79.4")
    assert element(report, "Z79.4").points == 2
    assert any("more than once" in e.rationale for e in report.elements)
    assert report.score == 7


def test_unknown_and_deleted_codes_are_reported_with_their_reason():
    deleted = icd10cm.changes()["deleted"][0]["code"]  # billable in FY2025, gone in FY2026
    report = grade(DM, f"E11.22 N18.31 Z79.4 E11.229 {deleted}")
    reasons = dict(report.invalid)
    assert reasons == {"E11.229": "unknown", deleted: "deleted that year"}
    assert element(report, "E11.229").points == -0.5
    assert "deleted that year" in element(report, deleted).rationale
    assert report.score == 6


def test_a_code_not_valid_in_the_graded_year_earns_no_code_credit():
    added = make_case(["E11.A"], sequence_matters=False)  # new in FY2026
    assert grade(added, "E11.A").percent == 100.0
    old_year = grade(added, "E11.A", year=2025)
    e = element(old_year, "E11.A")
    assert e.points == 0 and "not valid on 2024-10-01" in e.rationale
    assert dict(old_year.invalid) == {"E11.A": "not yet valid"}


def test_a_deleted_code_of_the_right_category_earns_no_code_credit():
    deleted = icd10cm.changes()["deleted"][0]["code"]  # billable in FY2025, gone in FY2026
    sibling = next(
        c.code
        for c in icd10cm.load(2026).descendants(deleted[:3])
        if c.billable and c.code != deleted
    )
    case = make_case([sibling], sequence_matters=False)
    e = element(grade(case, deleted), sibling)
    assert e.points == 0 and "not billable on 2026-02-10" in e.rationale
    assert grade(case, deleted, year=2025).elements[0].points == 1  # reportable that year


# -- empty and garbage input --------------------------------------------------
@pytest.mark.parametrize("typed", ["", "   ", [], ", ;"])
def test_an_empty_submission_scores_zero_with_reasons(typed):
    report = grade(DM, typed)
    assert report.score == 0 and report.submitted == []
    assert all(e.rationale for e in report.elements)
    assert element(report, "sequence").rationale == "nothing submitted"


def test_garbage_is_reported_as_unknown_and_escaped_in_html():
    report = grade(DM, "hello <script>alert(1)</script>")
    assert dict(report.invalid) == {"hello": "unknown", "<script>alert(1)</script>": "unknown"}
    assert report.score == 0
    html = report.to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60) | st.lists(st.text(max_size=12), max_size=6))
def test_grading_never_raises_and_stays_within_bounds(typed):
    report = grade(DM, typed)
    assert 0 <= report.score <= report.max_score
    assert 0 <= report.percent <= 100
    assert "<script" not in report.to_html().lower().replace("&lt;script", "")


# -- alternatives -------------------------------------------------------------
def test_an_accepted_alternative_scores_full_marks():
    case = make_case(["B20"], alternatives=[["B20", "Z79.899"]], sequence_matters=False)
    report = grade(case, "B20 Z79.899")
    assert report.percent == 100.0 and report.alternative
    assert report.answer_used == ("B20", "Z79.899")
    plain = grade(case, "B20")
    assert plain.percent == 100.0 and not plain.alternative


def test_the_best_scoring_key_is_used():
    case = make_case(["E11.22", "N18.31"], alternatives=[["E11.22", "I12.9", "N18.31"]])
    report = grade(case, "E11.22 I12.9 N18.31")
    assert report.percent == 100.0 and report.answer_used == ("E11.22", "I12.9", "N18.31")


# -- reports ------------------------------------------------------------------
def test_text_report_has_one_line_per_element():
    report = grade(DM, "E11.2 N18.31 Z79.4 I10")
    lines = report.to_text().splitlines()
    assert lines[0].startswith("t-1: 4.5/7 points")
    assert re.match(r"^E11\.22\s+0/2\s+no code credit for E11\.2:", lines[1])
    assert re.match(r"^N18\.31\s+2/2\s+exact code", lines[2])
    assert re.match(r"^sequence\s+1/1\s", lines[4])
    assert re.match(r"^I10\s+-0\.5/0\s+extra code", lines[5])
    rows = [line for line in lines[1:] if re.match(r"^\S+\s+-?[\d.]+/\d+\s", line)]
    assert len(rows) == len(report.elements)
    assert lines[-1] == "Not billable on the date of service: E11.2 (header not billable)"


def test_html_report_is_a_table_of_elements():
    html = grade(DM, "E11.22 N18.3").to_html()
    assert html.count("<tr") == 1 + 4  # header row + 3 codes + sequence
    assert "Score: 3 / 7" in html and "N18.3" in html  # 2 + 0 for the header + 1 sequence


def test_as_dict_is_json_ready():
    data = json.loads(json.dumps(grade(DM, "E11.22 foo").as_dict()))
    assert data["case_id"] == "t-1" and data["max_score"] == 7
    assert data["elements"][0] == {
        "element": "E11.22",
        "points": 2.0,
        "max_points": 2.0,
        "rationale": "exact code: Type 2 diabetes mellitus with diabetic chronic kidney disease",
        "rule": "I.C.4.a",
    }
    assert data["invalid"] == [["foo", "unknown"]]


# -- generated cases through the grader ---------------------------------------
@pytest.mark.parametrize("template", cases.TEMPLATES)
def test_generated_cases_give_no_code_credit_for_a_truncated_first_code(template):
    for seed in range(50):
        case = cases.generate(seed, template)
        first = case.answer[0].replace(".", "")
        if len(first) <= 3:
            continue  # a 3-character code (R42) has nothing to truncate
        truncated = first[:-1]
        typed = [truncated, *case.answer[1:]]
        report = grade(case, typed)
        # a truncated code is a header or lacks its 7th character: not reportable
        assert report.submitted[0] in dict(report.invalid), (case.id, report.to_text())
        assert report.score == report.max_score - 2, (case.id, report.to_text())


# -- the practice widget ------------------------------------------------------
@pytest.fixture
def practice():
    from medbill_lab.apps.coding_practice import coding_practice

    return coding_practice(seed=3)


def test_widget_check_shows_element_rows_and_a_running_score(practice):
    case = practice.session.case
    assert case is not None and case.note[:30] in practice.case.value.replace("&#x27;", "'")
    practice.codes.value = ", ".join(case.answer)
    practice.check.click()
    html = practice.feedback.value
    assert html.count("<tr") == 1 + len(case.answer) + 1
    assert "exact code" in html and "100.0%" in practice.score.value
    practice.next.click()
    assert practice.session.case.id != case.id and practice.feedback.value == ""
    practice.codes.value = "hello <script>"
    practice.check.click()
    assert "&lt;script&gt;" in practice.feedback.value and "<script>" not in practice.feedback.value
    assert "over 2 cases" in practice.score.value


def test_widget_same_seed_same_cases():
    from medbill_lab.apps.coding_practice import coding_practice

    first, second = coding_practice(seed=8), coding_practice(seed=8)
    assert first.session.case == second.session.case
    first.next.click(), second.next.click()
    assert first.session.case == second.session.case


def test_widget_is_friendly_about_bad_input(practice, monkeypatch):
    practice.codes.value = "   "
    practice.check.click()
    assert "Type one or more codes" in practice.feedback.value
    practice.seed.value = "forty-two"
    assert "whole number" in practice.feedback.value
    practice.seed.value = "42"
    assert practice.session.case is not None
    practice.topic.value = "pregnancy"
    assert practice.session.case.topic == "pregnancy"
    monkeypatch.setattr(cases, "load_cases", lambda: ())
    from medbill_lab.apps.coding_practice import coding_practice

    empty = coding_practice(include_generated=False)
    assert "No practice cases" in empty.case.value and empty.check.disabled
    empty.check.click()
    assert "no case to check" in empty.feedback.value
    assert "Traceback" not in empty.case.value + empty.feedback.value
