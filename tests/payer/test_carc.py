"""The CARC table (datasets/remit/carc.csv): every code the teaching payers send has a
row, every denial CARC says what to do, contractual and patient-share codes are not
denials, and posting, the denial tools and the KPIs read the one table."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from medbill_lab import datasets
from medbill_lab.payer import carc, explain, simulator
from medbill_lab.payer import remittance as era
from medbill_lab.practice import denials, kpis, posting


def _carcs_the_simulator_sends() -> set[str]:
    """CARC literals in the teaching payers' source: Adjustment("CO", "45", ...),
    _denied(line, "197", ...), a whole-claim reason ``return "29"``, and its named codes."""
    source = Path(simulator.__file__).read_text()
    pattern = r'(?:Adjustment\("[A-Z]{2}", |_denied\(\w+, |return )"([A-Z]?\d+)"'
    found = set(re.findall(pattern, source))
    named = {simulator.DEDUCTIBLE, simulator.COINSURANCE, simulator.COPAY}
    return found | named | {simulator.EXCLUDED_CARC, simulator.GLOBAL_CARC}


def test_every_carc_the_teaching_payers_send_has_a_row() -> None:
    sent = _carcs_the_simulator_sends()
    # the scan itself must see the payers' codes, or this test could pass on nothing
    assert {"1", "2", "3", "23", "27", "29", "45", "97", "197", "204"} <= sent
    assert sent <= set(carc.carcs()), sent - set(carc.carcs())


def test_every_denial_carc_has_a_fix_and_no_other_code_has_one() -> None:
    rows = carc.carcs().values()
    assert [r.code for r in rows if r.denial and not r.fix.strip()] == []
    assert [r.code for r in rows if not r.denial and r.fix] == []
    assert all(r.description and r.plain_language for r in rows)


@pytest.mark.parametrize("code", ["1", "2", "3", "23", "45", "59", "253"])
def test_patient_share_and_contractual_codes_are_not_denials(code: str) -> None:
    assert code in carc.carcs() and code not in carc.denial_carcs()
    assert kpis.is_contractual("CO", code)
    assert carc.suggested_fix(code) == carc.DEFAULT_FIX


@pytest.mark.parametrize("code", ["8", "29", "50", "97", "197", "204", "B16"])
def test_denial_codes_are_denials_with_their_own_fix(code: str) -> None:
    assert code in carc.denial_carcs()
    assert not kpis.is_contractual("CO", code)
    assert carc.suggested_fix(code) == carc.carcs()[code].fix != carc.DEFAULT_FIX


def test_a_work_item_without_a_carc_and_an_unknown_carc_get_general_fixes() -> None:
    assert carc.suggested_fix("").startswith("No reason code")
    assert carc.suggested_fix("ZZ9") == carc.DEFAULT_FIX


def test_posting_denies_by_the_table() -> None:
    def remit_claim(group: str, code: str, paid: str) -> era.RemitClaim:
        adj = era.Adjustment(group, code, Decimal("100") - Decimal(paid))
        return era.RemitClaim("A1", "1", Decimal(100), Decimal(paid), Decimal(0), "CI", "X", adjustments=[adj])  # fmt: skip

    assert posting.is_denied(remit_claim("CO", "8", "40"))  # a row added in P8: still a denial
    assert not posting.is_denied(remit_claim("CO", "45", "40"))  # a contractual reduction
    assert not posting.is_denied(remit_claim("PR", "8", "40"))  # only CO denies


def test_explainer_and_denial_tools_read_the_same_meaning() -> None:
    for code in ("45", "97", "B20"):
        assert explain.carc_text(code) == denials.carc_meaning(code) == carc.carcs()[code].meaning
    assert "not in the teaching list" in explain.carc_text("ZZ9")
    assert denials.carc_meaning("ZZ9") == "CARC ZZ9 is not in the reference list."


@pytest.fixture
def fresh_tables():
    """Clear the cached tables before and after (a test points them at other files)."""
    caches = (datasets.read_csv, carc.carcs, carc.denial_carcs)
    for c in caches:
        c.cache_clear()
    yield
    for c in caches:
        c.cache_clear()


def test_a_table_with_a_bad_denial_flag_is_refused(tmp_path, monkeypatch, fresh_tables) -> None:
    shutil.copytree(datasets.datasets_dir() / "remit", tmp_path / "remit")
    table = tmp_path / "remit" / "carc.csv"
    text = table.read_text()
    table.write_text(text.replace(",no,\n", ",maybe,\n", 1))
    monkeypatch.setenv("MEDBILL_LAB_DATASETS", str(tmp_path))
    with pytest.raises(ValueError, match="denial must be yes or no, not 'maybe'"):
        carc.carcs()
