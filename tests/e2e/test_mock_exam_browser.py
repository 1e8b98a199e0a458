"""The Mock exam app in headless Chromium: start a short timed exam, answer, flag a question
and come back to it through the question map, watch the countdown move, submit through the
confirmation, read the report by domain with a missed item's rationale; then sit the same
form again and see it recorded as a review.

Uses the gallery and browser fixtures of ``tests/e2e/conftest.py`` (same skip rule). The
form is drawn here with the engine and the same settings, so the test knows each answer.
"""

from __future__ import annotations

import re

from serve_helpers import open_app

from medbill_lab.training import exam, exam_bank

STYLE, N, SEED, MINUTES = "CBCS", 4, 4242, 1


def _answer(page, fi: exam.FormItem, right: bool) -> None:
    if fi.item.type == "choice":
        key = fi.shown(fi.item.answer)
        letter = key if right else next(x for x in "ABCD" if x != key)
        page.locator(".widget-radio-box label", has_text=re.compile(rf"^{letter}\. ")).click()
    else:
        page.get_by_placeholder("e.g. E11.22, N18.31").fill(
            ", ".join(fi.item.answer) if right else "R69"
        )


def _clock(page) -> int:
    m, s = page.locator(".mbl-clock").inner_text().split(":")
    return int(m) * 60 + int(s)


def test_a_timed_exam_flag_report_and_review(browser, gallery, tmp_path):
    base, _ = gallery
    form = exam.new_form(exam_bank.load(), STYLE, N, SEED, MINUTES)
    page, problems = open_app(browser, base, "mock_exam.ipynb")
    page.locator(".widget-dropdown select").select_option(label=exam.BLUEPRINTS[STYLE].title)
    for label, value in (("Questions", N), ("Form seed", SEED), ("Minutes", MINUTES)):
        box = page.get_by_label(label)
        box.fill(str(value))
        box.press("Tab")
    page.screenshot(path=str(tmp_path / "mock_exam_start.png"), full_page=True)
    page.get_by_role("button", name="Start the exam").click()
    page.get_by_text(f"Question 1 of {N}").wait_for(timeout=30_000)
    started = _clock(page)
    assert 50 <= started <= 60

    _answer(page, form.items[0], right=True)
    page.get_by_role("button", name="Flag for review").click()
    page.get_by_role("button", name="1 \u2691").wait_for(timeout=10_000)
    page.screenshot(path=str(tmp_path / "mock_exam_question.png"), full_page=True)
    page.get_by_role("button", name="Next").click()
    page.get_by_text(f"Question 2 of {N}").wait_for(timeout=10_000)
    _answer(page, form.items[1], right=False)
    page.get_by_role("button", name="1 \u2691").click()  # back through the question map
    page.get_by_text(f"Question 1 of {N}").wait_for(timeout=10_000)
    if form.items[0].item.type == "choice":
        assert page.locator(".widget-radio-box input:checked").count() == 1
    page.get_by_role("button", name="Unflag").click()
    page.get_by_role("button", name="1", exact=True).wait_for(timeout=10_000)
    # the countdown moves by itself, with no click: the page shows less time than just now
    shown = _clock(page)
    assert shown <= started
    page.wait_for_function(
        "s => { const [m, x] = document.querySelector('.mbl-clock').innerText.split(':');"
        " return 60 * m + 1 * x < s; }",
        arg=shown,
        timeout=5_000,
    )

    page.get_by_role("button", name="Submit exam...").click()
    page.get_by_text("Submit the exam?").wait_for(timeout=10_000)
    assert re.search(r"You have 2 unanswered question\(s\) and 0 flagged", page.inner_text("body"))
    page.get_by_role("button", name="Submit now").click()
    page.get_by_text(f"Score: 1 of {N}").wait_for(timeout=10_000)
    body = page.inner_text("body")
    assert "Scored attempt" in body and "By domain" in body and "What you missed (3)" in body
    missed = form.items[1].item
    assert missed.rationale in body and f"Rule: {missed.rule}" in body
    domains = page.locator(".mbl-domains tr").count() - 1
    assert domains == len({fi.item.domain for fi in form.items})
    page.screenshot(path=str(tmp_path / "mock_exam_report.png"), full_page=True)

    page.get_by_role("button", name="Sit this form again").click()
    page.get_by_text("this sitting is a review").wait_for(timeout=10_000)
    page.get_by_role("button", name="Submit exam...").click()
    page.get_by_role("button", name="Submit now").click()
    page.get_by_text("Review sitting.").wait_for(timeout=10_000)
    page.get_by_text("Review sittings (not counted)").wait_for(timeout=10_000)
    assert "Traceback" not in page.inner_text("body")
    assert not problems, problems
    page.close()
