"""The teaching payers' table (datasets/practice/payers.csv): named fields, each value
of the kind the claim and the simulator need, and codes that exist."""

from __future__ import annotations

import pytest

from medbill_lab import datasets
from medbill_lab.codes import procedures
from medbill_lab.payer import payers


def test_every_payer_has_named_fields_of_the_right_kind() -> None:
    table = payers.teaching_payers()
    assert len({p.payer_id for p in table}) == len(table) >= 4
    for p in table:
        assert p.name and p.payer_id.startswith("MBL")
        assert p.program in {"medicare", "medicaid", "group"}
        assert p.filing_indicator == {"medicare": "MB", "medicaid": "MC", "group": "CI"}[p.program]
        assert 0 < p.timely_filing_days <= 365 and 0 < p.fee_percent <= 100
        assert p.copay >= 0 and p.deductible >= 0 and 0 <= p.coinsurance_pct <= 100
        for code in (*p.non_covered, *p.prior_auth):
            assert procedures.procedure(code) is not None, code


def test_the_plans_the_lessons_describe() -> None:
    by_id = {p.payer_id: p for p in payers.teaching_payers()}
    assert by_id["MBL03"].non_covered == ("93000",)  # lesson 11: the ECG Evergreen excludes
    assert by_id["MBL03"].prior_auth == ("J3420",)
    assert by_id["MBL01"].program == "medicare" and by_id["MBL01"].timely_filing_days == 365
    assert by_id["MBL04"].non_covered == by_id["MBL04"].prior_auth == ()


def test_a_table_with_a_non_number_is_refused(tmp_path, monkeypatch) -> None:
    source = datasets.datasets_dir() / payers.PAYERS_CSV
    (tmp_path / "practice").mkdir()
    text = source.read_text().replace(",365,", ",a year,", 1)
    (tmp_path / payers.PAYERS_CSV).write_text(text)
    monkeypatch.setenv("MEDBILL_LAB_DATASETS", str(tmp_path))
    for cached in (datasets.read_csv, payers.teaching_payers):
        cached.cache_clear()
    try:
        with pytest.raises(
            ValueError, match="MBL01: timely_filing_days must be a whole number, not 'a year'"
        ):
            payers.teaching_payers()
    finally:
        for cached in (datasets.read_csv, payers.teaching_payers):
            cached.cache_clear()
