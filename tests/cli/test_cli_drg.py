"""``medbill-lab drg group`` (cli/drg.py), through ``main([...])``."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest

TABLE = Path(__file__).resolve().parents[2] / "datasets" / "msdrg" / "v43_fy2026.csv"
STAY = ("--age", "70", "--sex", "M", "--discharge-status", "01", "--discharge-date", "2026-03-01")


@pytest.fixture(autouse=True)
def _no_imported_years(tmp_path, monkeypatch):
    """An empty lab home: FY2027 code sets are not installed, whatever this machine has."""
    monkeypatch.setenv("MEDBILL_LAB_HOME", str(tmp_path / "home"))


def weight(drg: str) -> str:
    with TABLE.open(newline="", encoding="utf-8") as fh:
        return next(r["weight"] for r in csv.DictReader(fh) if r["drg"] == drg)


def test_json_has_the_contract_fields(cli):
    run = cli(
        "drg", "group", "--pdx", "J18.9", "--sdx", "N17.9:Y", "--sdx", "E11.9", *STAY, "--json"
    )
    assert run.code == 0 and run.err == ""
    data = json.loads(run.out)
    assert (data["drg"], data["mdc"], data["version"]) == ("194", "04", "43.0")
    assert data["title"] == "Simple Pneumonia and Pleurisy with CC"
    assert data["weight"] == float(weight("194")) and data["gmlos"] == 2.8
    assert [(s["code"], s["severity"], s["excluded"], s["poa"]) for s in data["secondary"]] == [
        ("N17.9", "CC", False, "Y"),
        ("E11.9", "none", False, None),
    ]
    assert data["mce"] == []
    pay = data["payment"]
    assert pay["base_rate_is_teaching"] is True
    assert Decimal(pay["amount"]) == (Decimal(pay["base_rate"]) * Decimal(weight("194"))).quantize(
        Decimal("0.01")
    )


def test_text_reads_like_a_grouper_screen(cli):
    run = cli(
        "drg",
        "group",
        "--pdx",
        "I50.23:Y",
        "--sdx",
        "I50.33:Y",
        "--sdx",
        "L89.153:N",
        "--age",
        "80",
        "--sex",
        "F",
        "--discharge-status",
        "03",
        "--discharge-date",
        "2026-05-01",
    )
    assert run.code == 0, run
    lines = run.out.splitlines()
    assert lines[0].startswith("MS-DRG grouper v43.1 (FY2026): discharge 2026-05-01")
    assert "MDC 05  Diseases and Disorders of the Circulatory System" in lines
    assert "DRG 293  Heart Failure and Shock without CC/MCC  (MED)" in lines
    assert "  before the HAC rule: DRG 291 Heart Failure and Shock with MCC" in lines
    ulcer = next(x for x in lines if x.startswith("  L89.153"))
    assert "N    MCC    none" in ulcer and "HAC04" in ulcer
    excluded = next(x for x in lines if x.startswith("  I50.33"))
    assert "excluded by the principal diagnosis" in excluded
    assert any(
        x.startswith("Teaching payment: $6,000.00 teaching base rate x 0.5660") for x in lines
    )


def test_procedures_and_code_editor_edits_are_listed(cli):
    run = cli("drg", "group", "--pdx", "K80.00", "--pcs", "0ft44zz", *STAY)
    assert "DRG 419  Laparoscopic Cholecystectomy without C.D.E. without CC/MCC  (SURG)" in run.out
    assert "0FT44ZZ   used by the DRG" in run.out
    edit = cli("drg", "group", "--pdx", "G01", *STAY)
    assert "MANIFESTATION_AS_PDX (prepayment, x1): a manifestation code" in edit.out
    ungroupable = cli("drg", "group", "--pdx", "W19.XXXA", *STAY).out.splitlines()
    assert ungroupable[3:6] == [
        "MDC: none (the claim did not group)",
        "DRG 999  Ungroupable",
        "  no relative weight or GMLOS: Table 5 gives none for DRG 999",
    ]
    assert "E_CODE_AS_PDX (prepayment, x1)" in "\n".join(ungroupable)


def test_v44_by_date_shows_no_weight_and_no_payment(cli):
    args = ("--age", "70", "--sex", "M", "--discharge-status", "1")
    run = cli("drg", "group", "--pdx", "J18.9", *args, "--discharge-date", "2026-10-01", "--json")
    data = json.loads(run.out)
    assert data["version"] == "44.0" and data["drg"] == "195"
    assert data["weight"] is None and data["payment"] is None
    assert any("not shipped" in n for n in data["notes"])


@pytest.mark.parametrize(
    ("args", "says"),
    [  # argparse keeps an option's last value, so each case overrides one of STAY's
        (("--pdx", "J18"), "J18 (Pneumonia, unspecified organism) is a category header"),
        (("--pdx", "J18.9", "--pcs", "0DTJ3ZZ"), "approach 3 is not allowed"),
        (("--pdx", "J18.9", "--sdx", "N17.9:Q"), "POA 'Q' for N17.9"),
        (("--pdx", "J18.9", "--sex", "X"), "sex 'X' is not M, F or U"),
        (("--pdx", "J18.9", "--age", "130"), "age 130"),
        (("--pdx", "J18.9", "--discharge-status", "99"), "discharge status '99'"),
        (("--pdx", "J18.9", "--discharge-date", "2024-01-01"), "no MS-DRG grouper"),
        (("--pdx", "J18.9", "--discharge-date", "2026-13-01"), "not a date"),
        (("--pdx", "J18.9", "--age", "old"), "invalid int value"),
    ],
)
def test_bad_input_is_one_line_and_non_zero(cli, args, says):
    cli("drg", "group", *STAY, *args).fails_in_one_line(says)


def test_a_missing_option_is_a_usage_error(cli):
    run = cli("drg", "group", "--pdx", "J18.9", *STAY[2:])
    run.fails_in_one_line("required: --age")
    assert run.code == 2
