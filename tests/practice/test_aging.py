"""Aging buckets: one definition (practice/aging.py), its edges, and no second copy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import medbill_lab
from medbill_lab.practice import aging

ROOT = Path(medbill_lab.__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("days", "name"),
    [(-1, "0-30"), (0, "0-30"), (30, "0-30"), (31, "31-60"), (60, "31-60"), (61, "61-90"),
     (90, "61-90"), (91, "91-120"), (120, "91-120"), (121, "121+"), (10_000, "121+")],
)  # fmt: skip
def test_each_edge_falls_in_its_bucket(days: int, name: str) -> None:
    assert aging.bucket(days) == name


def test_the_buckets_are_in_order_and_every_age_has_one() -> None:
    assert aging.BUCKETS == ("0-30", "31-60", "61-90", "91-120", "121+")
    seen = [aging.bucket(d) for d in range(0, 200)]
    assert sorted(set(seen), key=aging.BUCKETS.index) == list(aging.BUCKETS)
    assert seen == sorted(seen, key=aging.BUCKETS.index)  # older never lands in a younger bucket


def test_no_other_module_or_exercise_spells_the_buckets_again() -> None:
    # a list of bucket names written out ("0-30", "31-60", ...) outside aging.py
    pattern = re.compile(r"""["']0-30["']\s*,\s*["']31-60["']""")
    files = [*(ROOT / "medbill_lab").rglob("*.py"), *(ROOT / "exercises").rglob("*.ipynb")]
    found = [
        str(p.relative_to(ROOT))
        for p in files
        if p.name != "aging.py" and pattern.search(p.read_text().replace('\\"', '"'))
    ]
    assert found == []
