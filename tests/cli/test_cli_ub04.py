"""``medbill-lab claim schema --institutional`` and ``claim check`` on UB-04 files
(cli/claims.py): a file with ``"form": "UB-04"`` gets the institutional edits, every other
file the CMS-1500 scrubber as before."""

from __future__ import annotations

import json

from medbill_lab.datasets import datasets_dir

CLAIMS = datasets_dir() / "claims"


def test_schema_institutional_publishes_the_ub04_schema_and_plain_schema_is_unchanged(cli):
    run = cli("claim", "schema", "--institutional")
    schema = json.loads(run.out)
    assert run.code == 0 and "UB-04" in schema["title"]
    assert schema["properties"]["type_of_bill"]["title"] == "FL 4: type of bill"
    plain = json.loads(cli("claim", "schema").out)
    assert "form" not in plain["properties"] and "program" in plain["properties"]


def test_check_of_a_clean_ub04_exits_0(cli):
    for name in ("ub04-clean-01-pneumonia.json", "ub04-clean-02-lap-chole.yaml"):
        assert cli("claim", "check", str(CLAIMS / name)) == (
            0,
            "No edits: the UB-04 claim is clean.\n",
            "",
        )
    assert cli("claim", "check", str(CLAIMS / "ub04-clean-03-er-outpatient.json"), "--json") == (
        0,
        "[]\n",
        "",
    )


def test_check_of_a_broken_ub04_explains_the_edit_and_exits_1(cli):
    run = cli("claim", "check", str(CLAIMS / "ub04-edit-poa-missing.json"))
    assert run.code == 1 and run.err == ""
    assert run.out.startswith("POA-MISSING [reject] FL 67A\n  FL 67A: N17.9 needs a POA indicator")
    assert "  Why: " in run.out and "  Source: " in run.out
    assert run.out.endswith(": the claim would be returned to the provider.\n")
    found = json.loads(
        cli("claim", "check", str(CLAIMS / "ub04-edit-pcs-invalid.json"), "--json").out
    )
    assert [(e["id"], e["locator"]) for e in found] == [("PCS-INVALID", "FL 74")]


def test_check_of_a_warning_only_ub04_exits_0(cli):
    run = cli("claim", "check", str(CLAIMS / "ub04-edit-dx-sex.json"), "--json")
    assert run.code == 0 and [e["severity"] for e in json.loads(run.out)] == ["warn"]


def test_check_of_a_ub04_that_does_not_load_is_one_line_naming_the_form_locator(cli):
    run = cli("claim", "check", str(CLAIMS / "ub04-load-revenue-code.json"))
    run.fails_in_one_line("FL 42 line 1: revenue code '450' is not 4 digits")


def test_a_file_that_does_not_parse_is_still_answered_by_the_claim_loader(cli, tmp_path):
    bad = tmp_path / "claim.json"
    bad.write_text('{"form": "UB-04",', encoding="utf-8")
    cli("claim", "check", str(bad)).fails_in_one_line("claim file is not valid JSON")
