"""The Mock exam app's widgets, driven as a learner would (no browser): start, answer, flag,
the question map, the confirmation, the report, a review sitting, the timer's expiry."""

from __future__ import annotations

from html import escape
from pathlib import Path

import pytest

from medbill_lab.apps.mock_exam import MockExam

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "exam_bank_fixture"


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def app(tmp_path) -> tuple[MockExam, Clock]:
    clock = Clock()
    a = MockExam("ana", tmp_path / "progress.sqlite", FIXTURE, clock=clock)
    a.style.value, a.length.value, a.seed.value = "CBCS", 4, 42
    return a, clock


def _key(app: MockExam, p: int) -> str:
    fi = app.sitting.form.items[p]
    return fi.shown(fi.item.answer)


def test_minutes_follow_the_style_and_length(app):
    a, _ = app
    a.style.value, a.length.value = "CPC", 10
    assert a.minutes.value == 24
    a.style.value = "CBCS"
    assert a.minutes.value == 14


def test_a_whole_sitting_then_a_review(app):
    a, clock = app
    a.minutes.value = 5
    a.start.click()
    assert (
        "Question 1 of 4" in a.stem.value
        and 'Time left: <span class="mbl-clock">5:00' in a.timer.value
    )
    a.choices.value = _key(a, 0)
    assert a.qmap.children[0].button_style == "success"
    a.flag.click()
    assert (
        a.qmap.children[0].button_style == "warning" and "\u2691" in a.qmap.children[0].description
    )
    a.next.click()
    wrong = next(x for x in "ABCD" if x != _key(a, 1))
    a.choices.value = wrong
    a.qmap.children[0].click()  # back to the flagged question through the map
    assert a.sitting.position == 0 and a.choices.value == _key(a, 0)
    a.flag.click()  # unflag
    clock.now += 61
    a.tick()
    assert "3:59" in a.timer.value
    a.finish.click()
    assert (
        "<b>2</b> unanswered" in a.confirm_text.value and "<b>0</b> flagged" in a.confirm_text.value
    )
    a.confirm_no.click()
    assert a.stem.value  # back to the question
    a.finish.click()
    a.confirm_yes.click()
    report = a.report.value
    assert "Score: 1 of 4 (25.0%)" in report and "Scored attempt" in report
    assert 'class="mbl-table mbl-domains"' in report and "What you missed (3)" in report
    for missed in a.sitting.result.missed():
        assert escape(missed.item.rationale) in report and escape(missed.item.rule) in report
    assert "Rule: " in report and "Your answer: <b>(no answer)</b>" in report
    assert "first sittings only" in a.progress.value and "25.0%" in a.progress.value
    a.again.click()
    assert "this sitting is a review" in a.stem.value
    for p in range(4):
        a.sitting.go(p)
        a.sitting.answer(_key(a, p))
    a.submit()
    assert "Review sitting." in a.report.value and "Score: 4 of 4" in a.report.value
    assert "Review sittings (not counted)" in a.progress.value
    progress = a.store.progress("ana")
    assert [x.percent for x in progress.scored] == [25.0] and len(progress.reviews) == 1


def test_the_timer_running_out_submits_and_scores_blanks_wrong(app):
    a, clock = app
    a.minutes.value = 1
    a.start.click()
    a.choices.value = _key(a, 0)
    clock.now += 60
    assert a.tick() is False
    assert "Time ran out" in a.report.value and "Score: 1 of 4" in a.report.value
    a.choices.value = "A"  # a late answer from a stale page changes nothing
    assert a.sitting.result.right == 1


def test_a_late_answer_ends_the_sitting_even_without_a_tick(app):
    a, clock = app
    a.minutes.value = 1
    a.start.click()
    clock.now += 61
    a.choices.value = _key(a, 0)
    assert "Time ran out" in a.report.value and a.sitting.result.right == 0


@pytest.mark.parametrize(
    "field, value, text",
    [("length", 0, "from 1 to 200"), ("length", 99, "only 8 items"), ("minutes", 0, "more than 0")],
)
def test_bad_settings_get_a_friendly_sentence(app, field, value, text):
    a, _ = app
    getattr(a, field).value = value
    if field == "length":
        a.minutes.value = 5
    a.start.click()
    assert text in a.start_msg.value and a.sitting is None


def test_a_bad_code_answer_is_explained_on_the_page(tmp_path):
    a = MockExam("ana", tmp_path / "p.sqlite", FIXTURE, clock=Clock())
    a.style.value, a.length.value, a.seed.value = "CPC", 6, 1
    a.start.click()
    p = next(i for i, fi in enumerate(a.sitting.form.items) if fi.item.type == "code")
    a.qmap.children[p].click()
    assert "Type the ICD-10-CM code(s)" in a.stem.value
    a.code.value = "<script>"
    assert "Type codes only" in a.q_msg.value and p not in a.sitting.responses
    a.code.value = "e11.22, n18.31"
    assert a.q_msg.value == "" and a.sitting.responses[p] == "e11.22, n18.31"


def test_a_broken_bank_or_no_user_disables_the_start(tmp_path):
    (tmp_path / "bank").mkdir()
    a = MockExam("ana", tmp_path / "p.sqlite", tmp_path / "bank")
    assert "question bank could not be loaded" in a.notice.value and a.start.disabled
    b = MockExam("", tmp_path / "p.sqlite", FIXTURE)
    assert "could not tell who you are" in b.notice.value and b.start.disabled
