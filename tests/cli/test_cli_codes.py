"""``medbill-lab codes`` (cli/codes.py), run through ``main([...])``."""

from __future__ import annotations

import json


def test_search_prints_a_row_per_hit_and_how_the_words_were_read(cli):
    run = cli("codes", "search", "acetaminofen overdose", "--limit", "2")
    assert run.code == 0 and run.err == ""
    rows = run.out.splitlines()
    assert rows[0].split()[:3] == ["T39.1X1A", "icd10cm", "billable"] and len(rows) == 3
    assert rows[-1].startswith("(read as: ") and "acetaminofen -> acetaminophen" in rows[-1]


def test_search_of_a_code_prints_no_reading(cli):
    run = cli("codes", "search", "E11.65", "--limit", "1")
    assert run.code == 0 and run.out.splitlines() == [
        "E11.65    icd10cm billable Type 2 diabetes mellitus with hyperglycemia"
    ]


def test_search_json_keeps_the_published_via(cli):
    rows = json.loads(cli("codes", "search", "e116", "--limit", "2", "--json").out)
    assert [r["via"] for r in rows] == ["code", "code prefix E116"]


def test_show_validate_and_changes_answer(cli):
    assert "7th characters: A initial encounter" in cli("codes", "show", "S52.521").out
    assert cli("codes", "validate", "T78.40A", "--date", "2026-02-01").code == 1
    changes = cli("codes", "changes", "--show", "1").out.splitlines()
    assert changes[0].startswith("Added: ") and changes[2].startswith("  ... and ")


def test_unknown_table_is_one_line(cli):
    cli("codes", "table", "nosuch", "x").fails_in_one_line("unknown table 'nosuch'")


def test_unknown_code_is_one_line(cli):
    cli("codes", "show", "ZZZ99").fails_in_one_line("unknown code 'ZZZ99'")
