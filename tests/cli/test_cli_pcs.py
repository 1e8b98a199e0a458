"""``medbill-lab codes show/validate --system icd10pcs`` (cli/codes.py), through ``main([...])``."""

from __future__ import annotations

import json


def test_show_prints_the_title_and_seven_axes_with_definitions(cli):
    run = cli("codes", "show", "0ft44zz", "--system", "icd10pcs")
    assert run.code == 0 and run.err == ""
    lines = run.out.splitlines()
    assert lines[0] == "0FT44ZZ  Resection of Gallbladder, Percutaneous Endoscopic Approach"
    assert lines[1] == "  ICD-10-PCS FY2026, table 0FT"
    assert "  4 Body Part      4  Gallbladder" in lines
    assert "      Cutting out or off, without replacement, all of a body part" in lines


def test_show_json_lists_each_axis(cli):
    data = json.loads(cli("codes", "show", "02100Z9", "--system", "icd10pcs", "--json").out)
    assert data["system"] == "icd10pcs" and data["table"] == "021"
    assert [a["value"] for a in data["axes"]] == list("02100Z9")
    assert data["axes"][6] == {
        "position": 7,
        "name": "Qualifier",
        "value": "9",
        "label": "Internal Mammary, Left",
        "definition": "",
    }


def test_validate_a_valid_code_exits_0(cli):
    run = cli("codes", "validate", "0DTJ4ZZ", "--system", "icd10pcs")
    assert run.code == 0 and run.out == "0DTJ4ZZ: valid ICD-10-PCS\n"


def test_invalid_codes_are_one_line_naming_the_axis(cli):
    run = cli("codes", "validate", "0DTJ3ZZ", "--system", "icd10pcs")
    run.fails_in_one_line("approach 3 is not allowed with body part J in table 0DT")
    assert run.code == 1
    cli("codes", "show", "0XZ1234", "--system", "icd10pcs").fails_in_one_line("no table 0XZ")
    cli("codes", "show", "0DT", "--system", "icd10pcs").fails_in_one_line("a code has 7 characters")


def test_validate_json_reports_the_reason_and_exits_1(cli):
    run = cli("codes", "validate", "0DTJ4ZX", "--system", "icd10pcs", "--json")
    assert run.code == 1 and json.loads(run.out)["reason"].startswith("qualifier X is not allowed")


def test_icd10cm_keeps_its_date_and_default_system(cli):
    run = cli("codes", "validate", "T78.40A")
    assert run.code == 2 and "required: --date" in run.err
    assert cli("codes", "validate", "E11.9", "--date", "2026-02-01").code == 0
    assert cli("codes", "show", "E11.9").out.startswith("E11.9  Type 2 diabetes mellitus")
