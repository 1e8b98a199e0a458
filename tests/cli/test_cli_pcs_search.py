"""``medbill-lab codes search --system icd10pcs`` (cli/codes.py), through ``main([...])``."""

from __future__ import annotations

import json


def test_lap_chole_answers_the_code_first_and_says_why(cli):
    run = cli("codes", "search", "lap chole", "--system", "icd10pcs", "--limit", "3")
    assert run.code == 0 and run.err == ""
    lines = run.out.splitlines()
    assert lines[0] == "0FT44ZZ   code   Resection of Gallbladder, Percutaneous Endoscopic Approach"
    assert lines[1].startswith("0FB44ZZ   code   Excision of Gallbladder")
    assert "Why 0FT44ZZ:" in lines
    assert (
        "    FY2025 index: Cholecystectomy, see Resection, Gallbladder -> 0FT4 (cholecystectomy)"
        in lines
    )
    assert lines[-1] == "(ICD-10-PCS FY2026 tables; the index is FY2025's, the only one available)"


def test_a_table_hit_lists_the_values_left_for_the_next_axis(cli):
    out = cli("codes", "search", "appendectomy", "--system", "icd10pcs").out.splitlines()
    assert out[0].startswith("0DTJ      table  Resection of Appendix")
    at = out.index("0DTJ: choose the approach:")
    assert out[at + 1 : at + 5] == [
        "    0  Open",
        "    4  Percutaneous Endoscopic",
        "    7  Via Natural or Artificial Opening",
        "    8  Via Natural or Artificial Opening Endoscopic",
    ]


def test_json_gives_code_title_why_and_remaining(cli):
    run = cli("codes", "search", "total knee replacement right", "--system", "icd10pcs", "--json")
    hits = json.loads(run.out)
    assert hits[0]["code"] == "0SRC0" and hits[0]["complete"] is False
    assert hits[0]["system"] == "icd10pcs" and hits[0]["why"]
    assert [r["axis"] for r in hits[0]["remaining"]] == ["Device", "Qualifier"]
    assert {"value": "J", "label": "Synthetic Substitute"} in hits[0]["remaining"][0]["options"]


def test_no_match_is_said_and_bad_input_is_one_line(cli):
    run = cli("codes", "search", "xyzzy flibber", "--system", "icd10pcs")
    assert run.code == 0 and run.out == "No ICD-10-PCS codes found for 'xyzzy flibber'.\n"
    cli("codes", "search", "  ", "--system", "icd10pcs").fails_in_one_line("the query is empty")
    cli("codes", "search", "lap chole", "--system", "icd10pcs", "--year", "2025").fails_in_one_line(
        "FY2025"
    )
