"""The 835 read benchmark's generator makes a valid, balanced 835 (issue P9 item 8)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_x12_read import big_835

from medbill_lab.x12.reader import read_interchanges
from medbill_lab.x12.x835 import parse_835


@pytest.fixture(scope="module")
def text() -> str:
    return big_835(3_500)  # about 1 MB


def test_generated_835_reads_clean(text: str) -> None:
    assert 900_000 < len(text.encode()) < 1_200_000
    parsed = read_interchanges(text)
    assert parsed.diagnostics == []
    assert [t.kind for t in parsed.transactions] == ["835"]


def test_generated_835_balances_and_keeps_every_claim(text: str) -> None:
    (remittance,) = parse_835(text)
    assert len(remittance.claims) == 3_500 and remittance.balances()
    assert len({c.patient_account for c in remittance.claims}) == 3_500


def test_generator_is_deterministic() -> None:
    assert big_835(50) == big_835(50)
    assert big_835(50, seed=1) != big_835(50)


def test_reader_flags_a_broken_count_in_generated_file() -> None:
    # The smoke test above must be able to fail: a wrong SE01 is a diagnostic.
    text = big_835(20)
    se = text[text.index("SE*") :].split("*", 2)
    broken = text.replace("SE*" + se[1] + "*", "SE*" + str(int(se[1]) + 1) + "*", 1)
    assert [d.segment_id for d in read_interchanges(broken).diagnostics] == ["SE"]
