"""The Coding practice app in headless Chromium: the feedback rows and the score
line a learner sees for a header, a wrong, a partial and a right answer, the
first attempt as the score, retries counted apart, and Show answer.

Uses the gallery and browser fixtures of ``tests/e2e/conftest.py`` (same skip rule).
"""

from __future__ import annotations

import re

from serve_helpers import open_app

from medbill_lab.apps.coding_practice import Session
from medbill_lab.codes import icd10cm
from medbill_lab.training.grading import grade, points_text

WRONG = "R69"  # illness, unspecified: supported by none of the practice notes below


def header_of(code: str) -> str:
    """The code cut by one character (E11.22 -> E11.2)."""
    raw = code.replace(".", "")[:-1]
    return raw if len(raw) <= 3 else f"{raw[:3]}.{raw[3:]}"


def pick_seed() -> tuple[int, Session]:
    """A seed whose first case has 2+ codes in a required order, a first code whose
    cut form is a header, and a second case: drawn with the app's own Session."""
    for seed in range(500):
        session = Session()
        session.rng.seed(seed)
        case = session.next_case()
        first = case.answer[0]
        if (
            case.sequence_matters
            and len(case.answer) >= 2
            and WRONG not in case.answer
            and icd10cm.validate(header_of(first), case.date_of_service).reason
            == "header not billable"
        ):
            return seed, session
    raise AssertionError("no practice case fits the browser test")


def test_header_wrong_partial_and_right_retries_then_show_answer(browser, gallery):
    base, home = gallery
    seed, session = pick_seed()
    case = session.case
    page, problems = open_app(browser, base, "coding_practice.ipynb")
    inputs = page.locator(".widget-text input")
    inputs.last.fill(str(seed))  # the Seed box: the same seed gives the same series of cases
    inputs.last.press("Enter")
    page.get_by_text(re.compile(rf"Case {re.escape(case.id)} ·")).wait_for(timeout=30_000)
    codes = inputs.first
    score = page.locator(".mbl-score")

    def check(typed: str) -> None:
        codes.fill(typed)
        page.get_by_role("button", name="Check").click()

    # 1. First attempt: the first code as a header, the rest right
    header = header_of(case.answer[0])
    first = grade(case, [header, *case.answer[1:]])
    total = points_text(first.max_score)
    check(", ".join([header, *case.answer[1:]]))
    page.locator(".mbl-status", has_text="First attempt: scored").wait_for(timeout=30_000)
    row = page.locator(".mbl-grade tr", has_text=f"no code credit for {header}").inner_text()
    assert "0/2" in row and "header, not billable: it needs more characters" in row
    assert "I.A.3" in row and "I.B.2" in row
    sequence_code = page.locator("code", has_text=re.compile("^sequence$"))
    sequence = page.locator(".mbl-grade tr", has=sequence_code).inner_text()
    assert f"{header} is listed first" in sequence and case.answer[0] not in sequence
    expected = f"Score (first attempts): {points_text(first.score)} / {total} points"
    assert first.score == first.max_score - 2
    assert score.inner_text().startswith(expected)
    score.scroll_into_view_if_needed()
    page.screenshot(path=str(home / "coding_practice_header.png"))

    # 2. A wrong retry: practice, the score stays
    check(WRONG)
    score.filter(has_text="Practice retries: 1").wait_for(timeout=30_000)
    status = page.locator(".mbl-status").inner_text()
    assert "Practice retry: not scored" in status
    assert f"keeps the {points_text(first.score)}/{total} of your first attempt" in status
    assert f"extra code: {WRONG}" in page.locator(".mbl-grade").inner_text()

    # 3. A partial retry: the first code only
    check(case.answer[0])
    score.filter(has_text="Practice retries: 2").wait_for(timeout=30_000)
    grid = page.locator(".mbl-grade").inner_text()
    assert "exact code" in grid and "not coded" in grid
    assert f"{case.answer[0]} is listed first" in grid

    # 4. The right answer on retry: graded in full, the first attempt is still the score
    check(", ".join(case.answer))
    score.filter(has_text="Practice retries: 3").wait_for(timeout=30_000)
    page.get_by_text(f"Score: {total} / {total} (100.0%)").wait_for(timeout=30_000)
    assert score.inner_text().startswith(expected)
    score.scroll_into_view_if_needed()
    page.screenshot(path=str(home / "coding_practice_retry.png"))

    # 5. Next case, Show answer before trying: not scored, and the check is practice
    second = session.next_case()
    page.get_by_role("button", name="Next case").click()
    page.get_by_text(re.compile(rf"Case {re.escape(second.id)} ·")).wait_for(timeout=30_000)
    page.get_by_role("button", name="Show answer").click()
    shown = page.locator(".mbl-status", has_text="Answer shown — not scored")
    shown.wait_for(timeout=30_000)
    assert ", ".join(second.answer) in page.locator("details[open]").inner_text()
    score.filter(has_text="Answer shown — not scored: 1 case").wait_for(timeout=30_000)
    check(", ".join(second.answer))
    score.filter(has_text="Practice retries: 4").wait_for(timeout=30_000)
    assert "this case does not count" in page.inner_text("body")
    assert score.inner_text().startswith(f"{expected} ({first.percent}%) over 1 case")
    page.locator(".mbl-status").last.scroll_into_view_if_needed()
    page.screenshot(path=str(home / "coding_practice_shown.png"))
    assert "Traceback" not in page.inner_text("body")
    assert not problems, problems
    page.close()
