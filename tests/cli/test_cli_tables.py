"""``medbill-lab codes table`` and the table information in ``codes search``."""

from __future__ import annotations

import json

import pytest


def test_codes_table_prints_the_row_with_completed_codes(run_cli):
    out = run_cli("codes", "table", "drugs", "tylenol")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "Acetaminophen"
    assert "Poisoning Accidental (unintentional)" in lines[1] and "T39.1X1 -> T39.1X1A" in lines[1]
    assert any("Underdosing" in line and "T39.1X6A" in line for line in lines)


def test_codes_table_json_names_columns_and_printed_codes(run_cli):
    out = run_cli("codes", "table", "neoplasm", "lung", "--limit", "1", "--json")
    (row,) = json.loads(out.stdout)
    assert row["term"] == "Neoplasm, neoplastic, lung"
    first = row["cells"][0]
    assert first == {"column": "Malignant Primary", "printed": "C34.9-", "code": "C34.90"}


def test_codes_search_json_says_which_table(run_cli):
    out = run_cli("codes", "search", "slipping on ice", "--limit", "1", "--json")
    (hit,) = json.loads(out.stdout)
    assert hit["code"] == "W00.0XXA" and hit["table"] == "eindex"
    assert "External Cause of Injuries Index" in hit["via"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("codes", "table", "recipes", "lung"), "unknown table"),
        (("codes", "table", "drugs", ""), "empty"),
        (("codes", "table", "drugs", "a\x01b"), "control"),
    ],
)
def test_codes_table_bad_input_is_one_line(run_cli, args, message):
    out = run_cli(*args)
    assert out.returncode != 0
    assert message in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert "Traceback" not in out.stderr


def test_codes_table_with_no_row_says_so(run_cli):
    out = run_cli("codes", "table", "drugs", "zzqx")
    assert out.returncode == 0 and "No row" in out.stdout
