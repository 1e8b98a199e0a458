"""The lessons' self-checks say why an answer is right or wrong and name the rule, for every
item: its answer, each listed slip, an answer outside the choices and a blank."""

from __future__ import annotations

import pytest

from medbill_lab.training import lesson_checks
from medbill_lab.training.lesson_checks import CHECKS, check

ITEMS = list(CHECKS.values())


@pytest.mark.parametrize("item", ITEMS, ids=lambda c: c.id)
def test_the_answer_is_right_with_its_reason_and_rule(item):
    feedback = check(item.id, f"  {item.answer.upper()}. ")
    assert feedback.correct
    text = feedback.to_text()
    assert text.startswith(f"Right: {item.answer}.") and item.why in text
    assert f"(Rule: {item.source}.)" in text


@pytest.mark.parametrize("item", ITEMS, ids=lambda c: c.id)
def test_each_known_slip_is_wrong_and_says_why(item):
    assert item.mistakes, "every item explains at least one usual wrong answer"
    for slip, reason in item.mistakes.items():
        feedback = check(item.id, slip)
        assert not feedback.correct, slip
        assert feedback.lines[0] == f"Not yet: you answered {slip}; the answer is {item.answer}."
        assert feedback.lines[1] == reason
        assert f"Why {item.answer}: {item.why}" in feedback.lines
        assert feedback.lines[-1] == f"(Rule: {item.source}.)"


@pytest.mark.parametrize("item", ITEMS, ids=lambda c: c.id)
def test_the_choices_hold_the_answer_and_the_slips(item):
    if item.choices:
        assert item.answer in item.choices
        assert set(item.mistakes) <= set(item.choices)


@pytest.mark.parametrize("answer", ["", "   ", None, ["no"], True])
def test_a_blank_or_odd_answer_asks_for_one(answer):
    feedback = check("l08_co_write_off", answer)
    assert not feedback.correct
    assert feedback.lines[0] == "No answer yet: type one between the quotes."


def test_an_answer_outside_the_choices_lists_them_without_the_answer():
    feedback = check("l08_copay", "the patient")
    assert not feedback.correct
    assert feedback.to_text() == "Answer one of: deductible, coinsurance, copay."


def test_amounts_compare_as_numbers_and_words_ignore_case_and_hyphens():
    for given in ("80", "80.00", "$80.00", 80):
        assert check("l08_line_paid", given).correct, given
    assert not check("l08_line_paid", "80.01").correct
    assert check("l08_copay", "Copayment").correct
    assert check("l10_bucket", "61-90").correct and not check("l10_bucket", "6190").correct
    feedback = check("l09_timely_filing_proof", "Write-off")  # a slip, spelled another way
    assert not feedback.correct and "gives up money" in feedback.lines[1]


def test_a_wrong_answer_not_listed_still_gets_the_reason_and_rule():
    feedback = check("l10_days_in_ar", "45")
    assert not feedback.correct
    assert feedback.lines[1] == "That answer does not fit this situation."
    assert feedback.lines[-1].startswith("(Rule: ")


def test_each_deepened_lesson_has_checks_and_the_report_counts_them():
    for lesson in (8, 9, 10):
        assert len(lesson_checks.checks(lesson)) >= 5
    text, right = lesson_checks.report({"l10_bucket": "61-90", "l10_plan_payments": "2"})
    assert right == 1 and text.endswith("1 of 2 right")
    assert "[l10_plan_payments]\nNot yet: you answered 2; the answer is 3." in text


def test_an_unknown_check_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown self-check 'l99'"):
        check("l99", "yes")
