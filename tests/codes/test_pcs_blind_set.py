"""The blind PCS search set names only codes that exist in FY2026 (benchmarks/data/pcs_blind.csv)."""

import csv
from pathlib import Path

from medbill_lab.codes import icd10pcs

BLIND = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "pcs_blind.csv"


def test_every_expected_and_acceptable_code_is_valid_in_fy2026():
    with BLIND.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 60
    codes = [c for r in rows for c in [r["expected"], *r["acceptable"].split("|")] if c]
    bad = [c for c in codes if not icd10pcs.validate(c).valid]
    assert not bad, bad
