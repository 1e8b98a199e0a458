"""Golden readings (issue P9 tests): ``medbill-lab x12 read FILE --json`` on a few corpus
files, one or more of each kind, equals the JSON kept in ``tests/data/x12/golden/``. A change
to the reading shows as a diff here; ``tests/data/x12/golden/regenerate.py`` rewrites them
when the change is meant."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest
from x12_files import load_script

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "data" / "x12" / "golden"


REGENERATE = load_script(GOLDEN_DIR / "regenerate.py")


def test_each_golden_file_belongs_to_a_listed_corpus_file_and_back() -> None:
    listed = {REGENERATE.golden_path(name).name for name in REGENERATE.GOLDEN}
    assert {p.name for p in GOLDEN_DIR.glob("*.json")} == listed


@pytest.mark.parametrize("name", REGENERATE.GOLDEN)
def test_x12_read_json_equals_its_golden_file(name: str) -> None:
    expected = REGENERATE.golden_path(name).read_text(encoding="utf-8")
    actual = REGENERATE.reading(name)
    if actual != expected:
        diff = "\n".join(
            difflib.unified_diff(
                expected.splitlines(),
                actual.splitlines(),
                f"golden/{REGENERATE.golden_path(name).name}",
                f"x12 read {name} --json",
                lineterm="",
            )
        )
        pytest.fail(
            f"x12 read {name} --json differs from its golden file "
            f"(run tests/data/x12/golden/regenerate.py if the change is meant):\n{diff}"
        )


def test_the_golden_set_covers_every_kind_and_the_cases_the_issue_names() -> None:
    readings = {
        name: json.loads(REGENERATE.golden_path(name).read_text(encoding="utf-8"))
        for name in REGENERATE.GOLDEN
    }
    kinds = {tx["type"] for r in readings.values() for tx in r["transactions"]}
    assert kinds == {"835", "837P", "837I", "277CA", "999"}
    unbalanced = readings["835/own-unbalanced-bpr.835"]["diagnostics"]
    assert [d["kind"] for d in unbalanced] == ["balance"]
    assert any(
        claim["other_payers"]
        for name, r in readings.items()
        if name.startswith("837P/lfh")
        for tx in r["transactions"]
        for claim in tx["claims"]
    ), "a public COB 837P"
    (institutional,) = readings["837I/lfh-two-claims-single-provider.837i"]["transactions"]
    assert all(claim["statement_from"] for claim in institutional["claims"])
