"""The 835 code lists in datasets/remit/: every CARC the teaching payers send has a
row, every denial CARC says what to do, contractual and patient-share codes are not
denials, and posting, the denial tools and the KPIs read the one table; each CARC and
RARC is explained, "not yet explained", retired, not in the teaching list, or unknown;
the claim status (CLP02) and group code (CAS01) lists are complete."""

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
    assert "not in the teaching list" in carc.carc_text("300")
    assert denials.carc_meaning("ZZ9") == "CARC ZZ9 is not in the reference list."


@pytest.fixture
def fresh_tables():
    """Clear the cached tables before and after (a test points them at other files)."""
    caches = (
        datasets.read_csv,
        carc.carcs,
        carc.denial_carcs,
        carc.rarcs,
        carc.claim_statuses,
        carc.group_codes,
    )
    for c in caches:
        c.cache_clear()
    yield
    for c in caches:
        c.cache_clear()


def test_a_table_with_a_bad_denial_flag_is_refused(tmp_path, monkeypatch, fresh_tables) -> None:
    shutil.copytree(datasets.datasets_dir() / "remit", tmp_path / "remit")
    table = tmp_path / "remit" / "carc.csv"
    text = table.read_text()
    table.write_text(text.replace(",no,,valid\n", ",maybe,,valid\n", 1))
    monkeypatch.setenv("MEDBILL_LAB_DATASETS", str(tmp_path))
    with pytest.raises(ValueError, match="denial must be yes or no, not 'maybe'"):
        carc.carcs()


def _tables_in(tmp_path, monkeypatch) -> Path:
    """A copy of datasets/remit/ that the loaders read instead (for edited tables)."""
    shutil.copytree(datasets.datasets_dir() / "remit", tmp_path / "remit")
    monkeypatch.setenv("MEDBILL_LAB_DATASETS", str(tmp_path))
    return tmp_path / "remit"


@pytest.mark.parametrize("code", ["1", "45", "97", "204", "B20"])
def test_a_valid_carc_with_our_text_reads_it(code: str) -> None:
    row = carc.carcs()[code]
    assert row.status == "valid"
    assert carc.carc_text(code) == row.plain_language != ""
    assert "not yet explained" not in carc.carc_text(code)


@pytest.mark.parametrize("code", ["M15", "N130", "MA130", "N522"])
def test_a_valid_rarc_with_our_text_reads_it(code: str) -> None:
    assert carc.rarc_text(code) == carc.rarcs()[code].plain_language != ""
    assert explain.rarc_text(code) == carc.rarc_text(code)  # the explainer reads the same


@pytest.mark.parametrize("code", ["15", "B5"])
def test_a_retired_carc_says_so_and_still_posts_as_a_denial(code: str) -> None:
    # 15 (authorization number) and B5 (coverage guidelines) were deactivated in the
    # X12 list; an old remittance still carries them, so they keep their fix
    row = carc.carcs()[code]
    assert row.status == "retired"
    assert carc.carc_text(code) == f"retired code: {row.plain_language}"
    assert code in carc.denial_carcs() and carc.suggested_fix(code) == row.fix


def test_only_the_known_retired_carcs_are_marked_retired() -> None:
    assert {c for c, r in carc.carcs().items() if r.status == "retired"} == {"15", "B5"}


@pytest.mark.parametrize("code", ["300", "250", "P12", "A0", "B23"])
def test_a_well_formed_carc_outside_the_teaching_list_is_not_called_unknown(code: str) -> None:
    assert code not in carc.carcs()
    assert carc.carc_text(code) == carc.NOT_LISTED


@pytest.mark.parametrize("code", ["N999", "M1", "MA999", "M999"])
def test_a_well_formed_rarc_outside_the_teaching_list_is_not_called_unknown(code: str) -> None:
    assert code not in carc.rarcs()
    assert carc.rarc_text(code) == carc.NOT_LISTED


@pytest.mark.parametrize("code", ["ZZ9", "1234", "", "CO-45", "b15", "AB"])
def test_a_code_that_is_not_a_carc_is_unknown(code: str) -> None:
    assert carc.carc_text(code).startswith(f"unknown code: {code!r} is not a CARC")


@pytest.mark.parametrize("code", ["45", "X130", "N", "N1234", "MA", "n130"])
def test_a_code_that_is_not_a_rarc_is_unknown(code: str) -> None:
    assert carc.rarc_text(code).startswith(f"unknown code: {code!r} is not a RARC")


def test_a_listed_code_without_our_text_is_not_yet_explained(
    tmp_path, monkeypatch, fresh_tables
) -> None:
    remit = _tables_in(tmp_path, monkeypatch)
    table = remit / "carc.csv"
    table.write_text(
        table.read_text().replace(
            "The contractual write-off: the charge above the allowed amount. "
            "The provider may not bill it to the patient.",
            "",
        )
    )
    rarc = remit / "rarc.csv"
    rarc.write_text(
        rarc.read_text().replace("Too many units on the line (an MUE or plan limit).", "")
    )
    assert carc.carc_text("45") == (
        "not yet explained (official text: Charge exceeds fee schedule/maximum allowable "
        "or contracted/legislated fee arrangement.)"
    )
    assert carc.rarc_text("N362").startswith("not yet explained (official text: The number of")
    assert carc.carc_text("97") == carc.carcs()["97"].plain_language  # the others keep theirs


def test_a_table_with_a_bad_status_is_refused(tmp_path, monkeypatch, fresh_tables) -> None:
    table = _tables_in(tmp_path, monkeypatch) / "carc.csv"
    table.write_text(table.read_text().replace(",valid\n", ",active\n", 1))
    with pytest.raises(ValueError, match="status must be valid or retired, not 'active'"):
        carc.carcs()


CLP02 = {
    "1": "processed as primary",
    "2": "processed as secondary",
    "3": "processed as tertiary",
    "4": "denied",
    "19": "processed as primary, and forwarded to another payer",
    "20": "processed as secondary, and forwarded to another payer",
    "21": "processed as tertiary, and forwarded to another payer",
    "22": "reversal of previous payment",
    "23": "not our claim, forwarded to another payer",
    "25": "predetermination pricing only, no payment",
}


@pytest.mark.parametrize("code", sorted(CLP02, key=int))
def test_every_clp02_claim_status_code_has_its_meaning(code: str) -> None:
    assert carc.claim_status_text(code) == CLP02[code]


def test_the_clp02_list_is_exactly_the_005010_codes() -> None:
    assert carc.claim_statuses() == CLP02


@pytest.mark.parametrize("code", ["0", "5", "24", "26", "", "01", "D"])
def test_a_code_that_is_not_a_claim_status_is_unknown(code: str) -> None:
    assert carc.claim_status_text(code).startswith(f"unknown claim status code {code!r}")


def test_the_explainer_names_a_forwarded_claims_status() -> None:
    claim = era.RemitClaim("ACC19", "19", Decimal(100), Decimal(80), Decimal(20), "MB", "P1")
    remittance = era.Remittance("T1", "Payer", "P", "Clinic", "1234567893", Decimal(80))
    remittance.claims.append(claim)
    text = explain.explain(remittance)
    assert "Claim ACC19 ( ): processed as primary, and forwarded to another payer;" in text


@pytest.mark.parametrize(
    ("group", "who"),
    [
        ("CO", "contractual obligation"),
        ("PR", "patient responsibility"),
        ("OA", "other adjustment"),
        ("PI", "payer-initiated reduction"),
    ],
)
def test_every_valid_group_code_is_explained_and_accepted(group: str, who: str) -> None:
    assert carc.group_codes()[group].status == "valid"
    assert explain.group_text(group).startswith(who + ":")
    assert era.group_code_problem(group) == ""


def test_cr_is_the_one_retired_group_code_and_is_refused() -> None:
    assert {g.code: g.status for g in carc.group_codes().values()} == {
        "CO": "valid",
        "PR": "valid",
        "OA": "valid",
        "PI": "valid",
        "CR": "retired",
    }
    assert explain.group_text("CR").startswith("not valid in 005010: group code CR")
    assert "was retired" in era.group_code_problem("CR")


@pytest.mark.parametrize("group", ["XX", "co", "", "CRR", "DE"])
def test_a_group_code_that_is_not_one_is_unknown_and_refused(group: str) -> None:
    assert explain.group_text(group) == "unknown group code"
    assert "is not a claim adjustment group code" in era.group_code_problem(group)


def test_both_group_code_refusals_name_the_same_valid_list_read_from_the_table() -> None:
    valid = [g.code for g in carc.group_codes().values() if g.status == "valid"]
    listed = f"{', '.join(valid[:-1])} or {valid[-1]}"
    assert listed == "CO, PR, OA or PI"
    assert era.group_code_problem("XX").endswith(f"({listed})")
    assert era.group_code_problem("CR").endswith(f"use {listed}")
