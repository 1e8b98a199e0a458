"""``medbill-lab codes import-release ZIP --year YYYY`` (cli/codes.py), and the FY2027 rule at
the command line: a date from 2026-10-01 on is refused with the one line naming the command
until the year is imported, then checked against it."""

from __future__ import annotations

import json

import pytest
from release_zips import ADD_2027, cm_zip, empty_home, pcs_zip


@pytest.fixture
def home(tmp_path, monkeypatch):
    return empty_home(tmp_path, monkeypatch)


def test_a_fy2027_date_says_how_to_add_the_year_then_uses_it(cli, home, tmp_path):
    run = cli("codes", "validate", "E11.9", "--date", "2026-10-01")
    run.fails_in_one_line("2026-10-01 is in FY2027: no ICD-10-CM code set for FY2027")
    assert ADD_2027 in run.err and run.code == 1
    assert cli("codes", "validate", "E11.9", "--date", "2026-09-30").code == 0  # still FY2026

    done = cli("codes", "import-release", str(cm_zip(tmp_path, 2027)), "--year", "2027")
    assert done.code == 0 and done.err == ""
    artifact = home / "codesets" / "icd10cm" / "fy2027.json"
    assert done.out == f"ICD-10-CM FY2027 installed (202 items, 140 billable): {artifact}\n"

    run = cli("codes", "validate", "E11.9", "--date", "2026-10-01", "--json")
    assert run.code == 0 and json.loads(run.out)["fiscal_year"] == 2027
    shown = cli("codes", "show", "S06.1X7", "--year", "2027")
    assert "missing 7th character (ICD-10-CM FY2027)" in shown.out


def test_pcs_validation_follows_the_date_of_service_too(cli, home, tmp_path):
    run = cli("codes", "validate", "0FT44ZZ", "--system", "icd10pcs", "--date", "2026-10-01")
    run.fails_in_one_line("no ICD-10-PCS code set for FY2027 is installed")
    ok = cli("codes", "validate", "0FT44ZZ", "--system", "icd10pcs", "--date", "2026-09-30")
    assert ok.code == 0

    zip_path = pcs_zip(tmp_path, 2027, nested=True)
    done = cli("codes", "import-release", str(zip_path), "--year", "2027", "--json")
    [record] = json.loads(done.out)
    assert record["system"] == "icd10pcs" and record["fiscal_year"] == 2027
    assert record["provenance"]["counts"]["codes"] == 163
    assert record["provenance"]["source_zip"] == zip_path.name
    run = cli("codes", "validate", "0FT44ZZ", "--system", "icd10pcs", "--date", "2026-10-01")
    assert run.code == 0
    # 02100Z9 is valid in FY2026; the trimmed FY2027 has no body system 2: FY2027 decides.
    bad = cli("codes", "validate", "02100Z9", "--system", "icd10pcs", "--date", "2026-10-01")
    bad.fails_in_one_line("no body system 2 in section 0")
    shown = cli("codes", "show", "0FT44ZZ", "--system", "icd10pcs", "--year", "2027")
    assert "ICD-10-PCS FY2027, table 0FT" in shown.out


def test_bad_release_zips_are_one_line_and_exit_1(cli, home, tmp_path):
    text = tmp_path / "release.zip"
    text.write_text("a web page saved by mistake")
    cli("codes", "import-release", str(text), "--year", "2027").fails_in_one_line("not a zip")
    wrong_year = cli("codes", "import-release", str(cm_zip(tmp_path, 2027)), "--year", "2028")
    wrong_year.fails_in_one_line("icd10cm_tabular_2027.xml is the FY2027 file, not FY2028")
    missing = cli("codes", "import-release", str(tmp_path / "none.zip"), "--year", "2027")
    missing.fails_in_one_line("no such file")
    usage = cli("codes", "import-release", str(text))
    assert usage.code == 2 and "--year" in usage.err and usage.err.count("\n") == 1
    assert not (home / "codesets").exists()


def test_the_command_as_a_script_runs_it_prints_no_traceback(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("MEDBILL_LAB_HOME", str(tmp_path / "home"))
    bad = run_cli("codes", "validate", "E11.9", "--date", "2026-10-01")
    assert bad.returncode == 1 and bad.stdout == "" and "Traceback" not in bad.stderr
    assert bad.stderr.count("\n") == 1 and ADD_2027 in bad.stderr
