"""What one visitor can make an app kernel do: the Claim builder's answers stay small and fast."""

from __future__ import annotations

import re
import time

import pytest

from medbill_lab.apps.claim_builder import MAX_PROBLEMS_SHOWN, claim_builder


@pytest.fixture()
def builder():
    return claim_builder().builder


def shown_problems(html: str) -> list[str]:
    """The problems listed under "Fix these first" (the scrubber's notes follow them)."""
    listed = html.split("Fix these first:", 1)[-1].split("</ul>", 1)[0]
    return re.findall(r"<li>(.*?)</li>", listed)


def test_a_100000_diagnosis_paste_answers_fast_and_small(builder):
    started = time.perf_counter()
    builder.diagnoses.value = ", ".join(f"ZZ{i}.{i % 10}" for i in range(100_000))
    elapsed = time.perf_counter() - started
    assert elapsed < 2, elapsed
    assert len(builder.edits.value) < 5_000
    problems = shown_problems(builder.edits.value)
    assert problems == ["Item 21: 100000 diagnoses; the form holds 12 (A-L)"]


def test_at_most_20_problems_are_shown_then_how_many_more(builder):
    builder.diagnoses.value = ", ".join(["E11.9", *"QRSTUVWXYZ"])  # 10 misshapen codes
    for row in builder.rows:
        for field in row.values():
            field.value = "garbage!"
    problems = shown_problems(builder.edits.value)
    assert len(problems) == MAX_PROBLEMS_SHOWN + 1
    more = int(re.match(r"and (\d+) more", problems[-1]).group(1))
    assert more >= 1
    assert "Item 21B" in problems[0]  # the first problems, in form order
    builder.x12_button.click()
    assert builder.output.value.count("Item ") == MAX_PROBLEMS_SHOWN
    assert f"and {more} more" in builder.output.value


def test_a_few_problems_are_all_shown_without_a_more_line(builder):
    builder.diagnoses.value = "E11.9, QQ, 12345"
    problems = shown_problems(builder.edits.value)
    assert len(problems) == 2 and not any(p.startswith("and ") for p in problems)


def test_a_megabyte_in_a_line_field_is_answered_briefly(builder):
    started = time.perf_counter()
    builder.rows[0]["code"].value = "X1;" * 300_000
    assert time.perf_counter() - started < 2
    assert len(builder.edits.value) < 5_000 and "Item 24" in builder.edits.value
