"""Self-check questions for lesson 04: every answer is real, and feedback always explains."""

from __future__ import annotations

import pytest

from medbill_lab.codes import procedures
from medbill_lab.training import quizzes as procedure_quiz
from medbill_lab.training.quizzes import QUESTIONS, check

MODIFIER_QUESTIONS = ["e_m_with_procedure", "professional_component", "bilateral", "repeat_lab"]
MODIFIER_QUESTIONS += ["left_great_toe", "abn", "separate_site"]


@pytest.mark.parametrize("qid", MODIFIER_QUESTIONS)
def test_modifier_answers_and_listed_mistakes_are_in_the_modifier_set(qid):
    q = QUESTIONS[qid]
    known = procedures.modifiers()
    assert q.answer in known
    assert all(m in known for m in q.mistakes if m != "RTLT")


def test_code_and_place_answers_exist_in_the_teaching_sets():
    assert procedures.procedure(QUESTIONS["hcpcs_drug"].answer).system == "hcpcs"
    assert "15 mg" in procedures.procedure("J1885").description
    assert procedures.cpt()["3044F"].group == "Category II"
    assert "Home" in procedures.place_of_service()[QUESTIONS["telehealth_home"].answer].name


@pytest.mark.parametrize("qid", list(QUESTIONS))
def test_the_right_answer_is_right_with_the_reason(qid):
    q = QUESTIONS[qid]
    fb = check(qid, q.answer.lower())
    assert fb.correct
    assert q.why in fb.to_text()


@pytest.mark.parametrize("qid", list(QUESTIONS))
@pytest.mark.parametrize("answer", ["", None, 7, "zz", "   ", "99999"])
def test_wrong_or_blank_answers_get_feedback_never_an_exception(qid, answer):
    fb = check(qid, answer)
    assert not fb.correct
    assert fb.to_text().strip()


def test_a_known_mistake_is_explained_with_what_the_answer_means():
    text = check("repeat_lab", "76").to_text()
    assert text.startswith("Not yet: you answered 76; the answer is 91.")
    assert "lab tests take 91" in text
    assert "Modifier 76: Repeat procedure" in text
    assert "Why 91:" in text


def test_long_official_descriptions_are_shortened():
    text = check("professional_component", "TC").to_text()
    assert "Modifier TC: Technical component." in text
    assert "portable x-ray" not in text


@pytest.mark.parametrize(
    ("qid", "answer"),
    [
        ("e_m_with_procedure", "modifier -25"),
        ("telehealth_home", "POS 10"),
        ("cpt_category", "Category II"),
        ("cpt_category", "2"),
        ("left_great_toe", " ta "),
    ],
)
def test_answers_are_read_leniently(qid, answer):
    assert check(qid, answer).correct


def test_unknown_question_is_a_value_error():
    with pytest.raises(ValueError, match="unknown question"):
        check("q99", "25")
    assert procedure_quiz.normalise(["25"]) == ""
