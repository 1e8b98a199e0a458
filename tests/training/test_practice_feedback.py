"""Coding practice: the first attempt is the score, retries are practice, and a
case whose answer was shown before any attempt is not scored.  Exercised on the
session alone and through the widget, on several cases (written and generated)."""

from __future__ import annotations

import re

import pytest

from medbill_lab.apps.coding_practice import (
    ANSWER_SHOWN,
    RETRY,
    SCORED,
    Session,
    coding_practice,
    score_text,
)
from medbill_lab.training import cases
from medbill_lab.training.grading import grade

CASES = [
    cases.generate(7, "diabetes_ckd"),  # E11.22, N18.32, Z79.85: sequence matters
    cases.generate(3, "forearm_fracture"),  # S52.541A, W00.0XXA
    cases.get_case("dm-01"),  # a written case
]


def header_of(code: str) -> str:
    """The code cut by one character: a header, or a code without its 7th character."""
    raw = code.replace(".", "")[:-1]
    return raw if len(raw) <= 3 else f"{raw[:3]}.{raw[3:]}"


def session_on(case: cases.Case) -> Session:
    session = Session()
    session.case = case
    return session


# -- the session ---------------------------------------------------------------
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_the_first_attempt_is_the_score_and_retries_are_counted_apart(case):
    session = session_on(case)
    first = grade(case, case.answer[:1])  # partial: only the first code
    assert 0 < first.score < first.max_score
    assert session.record(first) == SCORED
    assert session.record(grade(case, case.answer)) == RETRY  # right on the second try
    assert session.record(grade(case, "R69")) == RETRY
    assert session.totals() == (first.score, first.max_score, 1)
    assert session.retries == 2
    text = score_text(session)
    assert text.startswith(f"Score (first attempts): {first.score:g} / {first.max_score:g}")
    assert "over 1 case · Practice retries: 2" in text


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_a_wrong_first_attempt_scores_zero_and_a_right_retry_does_not_lift_it(case):
    session = session_on(case)
    assert session.record(grade(case, "R69 Z00.00")) == SCORED
    assert session.record(grade(case, case.answer)) == RETRY
    assert session.totals() == (0.0, grade(case, "").max_score, 1)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_a_header_first_attempt_earns_no_code_credit_in_the_score(case):
    session = session_on(case)
    typed = [header_of(case.answer[0]), *case.answer[1:]]
    report = grade(case, typed)
    assert session.record(report) == SCORED
    assert session.totals()[:2] == (report.max_score - 2, report.max_score)


def test_checking_the_same_codes_again_is_not_another_attempt():
    case = CASES[0]
    session = session_on(case)
    report = grade(case, "E11.22 N18.32")
    assert session.record(report) == SCORED
    assert session.record(grade(case, "e1122, n1832")) == SCORED  # the same codes, re-read
    assert session.retries == 0
    assert session.record(grade(case, "E11.22 N18.32 Z79.85")) == RETRY
    assert session.record(grade(case, "E11.22 N18.32")) == RETRY  # back again: a new retry
    assert session.retries == 2


def test_each_case_counts_once_with_its_first_attempt():
    session = Session()
    expected_earned = expected_possible = 0.0
    for case in CASES:
        session.case = case
        first = grade(case, case.answer[:-1])
        session.record(first)
        session.record(grade(case, case.answer))
        expected_earned += first.score
        expected_possible += first.max_score
    assert session.totals() == (expected_earned, expected_possible, 3)
    assert session.retries == 3


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_answer_shown_before_the_first_attempt_takes_the_case_out_of_the_score(case):
    session = session_on(case)
    assert session.show_answer() is True
    assert session.record(grade(case, case.answer)) == ANSWER_SHOWN
    assert session.record(grade(case, case.answer[:1])) == ANSWER_SHOWN
    assert session.totals() == (0.0, 0.0, 0)
    assert session.retries == 2 and session.answer_shown == {case.id}
    assert score_text(session) == (
        "Score (first attempts): no cases checked yet · Practice retries: 2"
        " · Answer shown — not scored: 1 case"
    )


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_answer_shown_after_the_first_attempt_keeps_that_attempt(case):
    session = session_on(case)
    first = grade(case, case.answer[:1])
    session.record(first)
    assert session.show_answer() is False
    assert session.answer_shown == set()
    assert session.record(grade(case, case.answer)) == RETRY
    assert session.totals() == (first.score, first.max_score, 1)


def test_answer_shown_then_the_same_codes_checked_again_is_practice():
    case = CASES[1]
    session = Session()
    session.case = CASES[0]
    session.record(grade(CASES[0], CASES[0].answer))
    session.case = case
    session.show_answer()
    assert session.record(grade(case, case.answer)) == ANSWER_SHOWN
    assert session.totals() == (7.0, 7.0, 1)  # only the first case, scored in full


def test_the_score_line_before_anything_is_checked():
    assert score_text(Session()) == "Score (first attempts): no cases checked yet"
    assert Session().show_answer() is False  # no case shown: nothing to take out


# -- the widget ----------------------------------------------------------------
@pytest.fixture
def practice():
    box = coding_practice(seed=3)
    box.session.case = CASES[0]  # a known case: E11.22, N18.32, Z79.85
    return box


def text_of(html: str) -> str:
    """The text a learner reads in a widget's HTML."""
    return re.sub(r"<[^>]+>", "", html)


def check(box, typed: str) -> str:
    box.codes.value = typed
    box.check.click()  # Enter has already checked these codes: the click is not a retry
    return box.feedback.value


def test_widget_wrong_partial_header_and_retry(practice):
    html = check(practice, "N18.32 E11.2")  # a header, and the wrong order
    assert "First attempt: scored" in html
    assert "Show the answer and rationale" in html  # folded under the rows after a check
    assert "E11.2 is a subcategory header, not billable: it needs more characters" in html
    assert "I.A.3" in html and "I.B.2" in html
    assert "N18.32 is listed before E11.2" in html and "Z79.85" not in _sequence_row(html)
    assert "Score (first attempts): 2 / 7 points (28.6%) over 1 case" in text_of(
        practice.score.value
    )
    assert "Practice retries" not in text_of(practice.score.value)

    html = check(practice, "R69")
    assert "Practice retry: not scored" in html and "keeps the 2/7 of your first attempt" in html
    assert "extra code: R69" in html
    html = check(practice, "E11.22, N18.32, Z79.85")
    assert "Score: 7 / 7" in html  # the retry is graded in full
    assert "Score (first attempts): 2 / 7 points (28.6%) over 1 case · Practice retries: 2" in (
        text_of(practice.score.value)
    )


def _sequence_row(html: str) -> str:
    start = html.index("<code>sequence</code>")
    return html[start : html.index("</tr>", start)]


def test_widget_show_answer_before_trying_is_not_scored(practice):
    practice.show_answer.click()
    assert "Answer shown — not scored" in practice.answer.value
    assert "E11.22, N18.32, Z79.85" in practice.answer.value and "<details open>" in (
        practice.answer.value
    )
    assert text_of(practice.score.value).count("Answer shown — not scored: 1 case") == 1
    html = check(practice, "E11.22 N18.32 Z79.85")
    assert "Answer shown — not scored" in html and "this case does not count" in html
    assert "<details" not in html  # the answer is already open above the feedback
    assert "no cases checked yet · Practice retries: 1" in text_of(practice.score.value)
    practice.next.click()
    assert practice.answer.value == "" and practice.feedback.value == ""


def test_widget_show_answer_after_an_attempt_keeps_the_first_score(practice):
    check(practice, "E11.22")
    practice.show_answer.click()
    assert "your first attempt (3/7) stays your score" in practice.answer.value
    assert "not scored" not in text_of(practice.score.value)
    assert "Score (first attempts): 3 / 7" in text_of(practice.score.value)  # E11.22 first: 2 + 1


def test_widget_show_answer_without_a_case_is_friendly(monkeypatch):
    monkeypatch.setattr(cases, "load_cases", lambda: ())
    empty = coding_practice(include_generated=False)
    assert empty.show_answer.disabled
    empty.show_answer.click()
    assert "no case to show" in empty.feedback.value
