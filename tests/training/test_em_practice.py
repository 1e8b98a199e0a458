"""Practice vignettes for lesson 05: each has the intended answer, and checks never raise."""

from __future__ import annotations

import pytest

from medbill_lab.training import em_practice


@pytest.mark.parametrize(
    ("vignette_id", "code", "basis"),
    [("sc-1", "99214", "MDM"), ("sc-2", "99203", "MDM"), ("sc-3", "99215", "time")],
)
def test_each_vignette_supports_its_intended_code(vignette_id, code, basis):
    result = em_practice.vignette(vignette_id).expected()
    assert (result.code, result.basis, result.prolonged_units) == (code, basis, 0)
    assert em_practice.check(vignette_id, code).points == 2


def test_not_at_goal_is_not_stable_in_sc_1():
    words = [e.word for e in em_practice.vignette("sc-1").expected().elements]
    assert words == ["moderate", "limited", "moderate"]


@pytest.mark.parametrize("answer", ["99211", "abc", " 99203 "])
def test_wrong_answers_get_reasons_not_exceptions(answer):
    grade = em_practice.check("sc-1", answer, {"problems": "", "data": None, "risk": "low"})
    assert grade.points == 0 and grade.max_points == 5
    assert "Why:" in grade.to_text() and "99214" in grade.to_text()


@pytest.mark.parametrize("answer", ["", "  ", None, 99214])
def test_a_blank_answer_scores_zero_and_reveals_nothing(answer):
    grade = em_practice.check("sc-1", answer, {"problems": "", "data": None, "risk": ""})
    text = grade.to_text()
    assert grade.points == 0 and "Why:" not in text
    assert "99214" not in text and "moderate" not in text and "limited" not in text


def test_show_and_unknown_ids():
    assert em_practice.show("sc-2").startswith("sc-2 (new patient)\n")
    with pytest.raises(ValueError, match="unknown vignette"):
        em_practice.vignette("sc-9")
