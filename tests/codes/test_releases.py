"""A new fiscal year's code set (medbill_lab/codes/releases.py): an official release zip is
compiled into the user's data folder in the shipped format, with its provenance; load(year)
finds it; a date of service in a year that is not here is refused with the command that adds
it, never checked against another year; and bad zips are refused in one line.

The zips come from tests/release_zips.py: official FY2026 files, trimmed, relabelled 2027.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from decimal import Decimal

import pytest
from release_zips import ADD_2027, cm_tabular, cm_zip, empty_home, pcs_zip, write_zip

from medbill_lab.claims.model import Claim, Payer, Person, ServiceLine
from medbill_lab.claims.scrubber import scrub
from medbill_lab.codes import icd10cm, icd10cm_build, icd10pcs, releases
from medbill_lab.codes.icd10cm import CodeSetError
from medbill_lab.codes.releases import ReleaseError
from medbill_lab.datasets import datasets_dir


@pytest.fixture
def home(tmp_path, monkeypatch):
    """An empty user data folder: nothing imported."""
    return empty_home(tmp_path, monkeypatch)


@pytest.fixture
def zips(tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    return folder


# -- ICD-10-CM ------------------------------------------------------------------------------
def test_a_cms_icd10cm_zip_is_compiled_in_the_shipped_format_and_load_finds_it(home, zips):
    zip_path = cm_zip(zips, 2027)
    [done] = releases.import_release(zip_path, 2027)
    assert (done.system, done.year) == ("icd10cm", 2027)
    assert done.artifact == home / "codesets" / "icd10cm" / "fy2027.json"
    shipped = json.loads((datasets_dir() / "icd10cm" / "fy2026.json").read_bytes())
    ours = json.loads(done.artifact.read_bytes())
    assert list(ours) == list(shipped)  # same keys, same order: the same format
    assert ours["fiscal_year"] == 2027 and ours["tabular_version"] == "2027"
    fy27, fy26 = icd10cm.load(2027), icd10cm.load(2026)
    assert fy27.year == 2027 and 2027 in icd10cm.years()
    # Compiled from the same official XML as the shipped year, every item reads the same.
    for code in fy27.codes:
        assert fy27.get(code).description == fy26.get(code).description, code
        assert fy27.is_billable(code) == fy26.is_billable(code), code
        assert fy27.notes(code) == fy26.notes(code), code
    assert fy27.is_billable("S06.1X7A") and "S06.1X7D" not in fy27  # the S06 prose rule
    assert fy27.check("E11")[0] == "header not billable"


def test_the_provenance_names_the_zip_its_members_the_file_and_when(home, zips):
    zip_path = cm_zip(zips, 2027)
    [done] = releases.import_release(zip_path, 2027)
    record = json.loads((home / "codesets" / "icd10cm" / "PROVENANCE.json").read_text())
    entry = record["2027"]
    assert entry == done.provenance
    shipped = json.loads((datasets_dir() / "icd10cm" / "PROVENANCE.json").read_text())["2026"]
    same = set(shipped) - {"source_package", "source_package_version", "source_wheel"}
    same -= {"source_wheel_sha256"}
    assert same <= set(entry)  # the shipped record's fields, the wheel's replaced by the zip's
    assert entry["source_zip"] == zip_path.name
    assert entry["source_zip_sha256"] == hashlib.sha256(zip_path.read_bytes()).hexdigest()
    assert entry["members"] == zipfile.ZipFile(zip_path).namelist()
    assert entry["source_file"] == "Table and Index/icd10cm_tabular_2027.xml"
    assert entry["source_file_sha256"] == hashlib.sha256(cm_tabular(2027)).hexdigest()
    assert entry["artifact_sha256"] == hashlib.sha256(done.artifact.read_bytes()).hexdigest()
    counts = icd10cm_build.counts(json.loads(done.artifact.read_bytes()))
    assert {k: entry[k] for k in counts} == counts and entry["billable"] == 140
    imported = dt.datetime.fromisoformat(entry["imported_at"])
    assert abs(dt.datetime.now(dt.UTC) - imported) < dt.timedelta(minutes=5)


def test_a_cdc_april_update_zip_is_recognised_by_its_own_names(home, zips):
    [done] = releases.import_release(cm_zip(zips, 2027, layout="cdc"), 2027)
    assert done.provenance["source_file"] == "icd10cm-tabular-April-1-2027.xml"
    assert done.provenance["release"].startswith("FY2027, April 1, 2027 update")


# -- the year in force ------------------------------------------------------------------------
def test_a_date_from_2026_10_01_names_fy2027_and_says_how_to_add_it(home):
    assert icd10cm.year_for("2026-09-30")[0] == 2026  # the last day of FY2026
    with pytest.raises(CodeSetError) as err:
        icd10cm.validate("E11.9", "2026-10-01")  # valid in FY2026: never checked against it
    message = str(err.value)
    assert "2026-10-01 is in FY2027" in message and ADD_2027 in message and "\n" not in message
    with pytest.raises(CodeSetError, match="import-release ZIP --year 2027"):
        icd10cm.load(2027)
    with pytest.raises(ValueError, match="import-release ZIP --year 2027"):
        icd10pcs.load(2027)
    assert not icd10cm.available(2027) and icd10cm.years() == icd10cm.YEARS


def test_once_imported_the_new_year_is_the_one_used(home, zips):
    releases.import_release(cm_zip(zips, 2027), 2027)
    v = icd10cm.validate("E11.9", "2026-10-01")
    assert v.valid and v.fiscal_year == 2027
    # A00.0 is billable in FY2026 but not in this (trimmed) FY2027: FY2027 decides.
    gone = icd10cm.validate("A00.0", "2026-10-01")
    assert (gone.valid, gone.fiscal_year, gone.reason) == (False, 2027, "deleted that year")
    assert "FY2026" in gone.detail
    assert icd10cm.validate("A00.0", "2026-09-30").valid  # the day before, FY2026 decides


def _claim(day: dt.date, dx: str) -> Claim:
    return Claim(
        program="group",
        insured_id="TEST123",
        patient=Person("Doe", "Jane", dob=dt.date(1975, 6, 1), sex="F"),
        payer=Payer("Test Plan", "TP001", timely_filing_days=365),
        diagnoses=[dx],
        lines=[ServiceLine(date_from=day, code="99213", charge=Decimal("100.00"))],
        submitted_on=day + dt.timedelta(days=2),
    )


def test_the_scrubber_says_how_to_add_the_year_then_checks_against_it(home, zips):
    day = dt.date(2026, 10, 5)
    [warning] = [e for e in scrub(_claim(day, "A00.0"), today=day + dt.timedelta(days=3))]
    assert warning.id == "ICD-YEAR" and ADD_2027 in warning.message
    assert "\n" not in warning.message
    releases.import_release(cm_zip(zips, 2027), 2027)
    edits = scrub(_claim(day, "A00.0"), today=day + dt.timedelta(days=3))
    assert [e.id for e in edits] == ["ICD-INVALID"] and "FY2027" in edits[0].message
    assert scrub(_claim(day, "E11.9"), today=day + dt.timedelta(days=3)) == []


# -- ICD-10-PCS -------------------------------------------------------------------------------
@pytest.mark.parametrize("nested", [False, True], ids=["flat", "zip-in-zip"])
def test_an_icd10pcs_zip_is_compiled_in_the_shipped_format(home, zips, nested):
    assert icd10pcs.available(2026) and not icd10pcs.available(2027)
    [done] = releases.import_release(pcs_zip(zips, 2027, nested=nested), 2027)
    assert icd10pcs.available(2027) and not icd10pcs.available(2028)
    assert (done.system, done.artifact.name) == ("icd10pcs", "fy2027.json")
    shipped = json.loads((datasets_dir() / "icd10pcs" / "fy2026.json").read_bytes())
    ours = json.loads(done.artifact.read_bytes())
    assert list(ours) == list(shipped) and ours["year"] == 2027
    for key, table in ours["tables"].items():
        assert table == shipped["tables"][key]  # the same official tables, compiled the same
    assert icd10pcs.years() == (2026, 2027)
    assert icd10pcs.load(2027).counts() == {"tables": 4, "rows": 11, "codes": 163}
    for code in ("0FT44ZZ", "0DTJ4ZZ", "10E0XZZ"):
        assert (
            icd10pcs.lookup(code, 2027).as_dict()["axes"] == icd10pcs.lookup(code).as_dict()["axes"]
        )
    assert icd10pcs.validate("0DTJ3ZZ", 2027).reason == icd10pcs.validate("0DTJ3ZZ").reason
    assert not icd10pcs.validate("02100Z9", 2027).valid  # a table the fixture leaves out
    prov = json.loads((home / "codesets" / "icd10pcs" / "PROVENANCE.json").read_text())["2027"]
    shipped_prov = json.loads((datasets_dir() / "icd10pcs" / "PROVENANCE.json").read_text())
    assert set(shipped_prov) <= set(prov) and prov["counts"] == icd10pcs.load(2027).counts()
    assert set(prov["sources"]) == {"tables", "definitions"}
    inner = "Zip File 1 2027 Code Tables.zip/" if nested else ""
    assert prov["sources"]["tables"]["path"] == f"{inner}icd10pcs_tables_2027.xml"
    assert prov["sources"]["definitions"]["version"] == "2027"


# -- bad zips ---------------------------------------------------------------------------------
def _refused(path, year: int = 2027) -> str:
    with pytest.raises(ReleaseError) as err:
        releases.import_release(path, year)
    message = str(err.value)
    assert "\n" not in message and message
    return message


def test_bad_zips_are_refused_in_one_line_and_install_nothing(home, zips, tmp_path):
    text = tmp_path / "notes.zip"
    text.write_text("not a zip")
    assert "is not a zip file" in _refused(text)
    assert "no such file" in _refused(tmp_path / "missing.zip")
    assert "is a folder" in _refused(zips)
    other = write_zip(zips / "other.zip", {"docs/readme.txt": b"hi", "icd10cm_index_2027.xml": b""})
    assert "holds no ICD-10-CM tabular" in _refused(other)
    # The file names say FY2026, --year says 2027 (and the reverse: named 2027, --year 2028).
    assert "icd10cm_tabular_2026.xml is the FY2026 file, not FY2027" in _refused(
        cm_zip(zips, 2026, version=2027)
    )
    assert "not FY2028" in _refused(cm_zip(zips, 2027), 2028)
    # Named 2027, but the XML says version 2026.
    assert "version 2026, not 2027" in _refused(cm_zip(zips, 2027, version=2026))
    assert "version 2026, not 2027" in _refused(pcs_zip(zips, 2027, version=2026))
    broken = write_zip(zips / "broken.zip", {"icd10cm_tabular_2027.xml": b"<ICD10CM.tabular>"})
    assert "not well-formed XML" in _refused(broken)
    wrong = write_zip(zips / "wrong.zip", {"icd10cm_tabular_2027.xml": b"<html/>"})
    assert "not the official <ICD10CM.tabular>" in _refused(wrong)
    tables_only = write_zip(zips / "half.zip", {"icd10pcs_tables_2027.xml": b"<x/>"})
    assert "holds 0 ICD-10-PCS definitions files" in _refused(tables_only)
    assert "ships with the lab" in _refused(cm_zip(zips, 2026), 2026)
    assert "a fiscal year from 2016" in _refused(cm_zip(zips, 2027), 27)
    assert not (home / "codesets").exists() or not any((home / "codesets").rglob("*.json"))
    assert releases.installed_years("icd10cm") == releases.installed_years("icd10pcs") == ()


def test_the_encoder_and_its_app_offer_an_imported_year(home, zips, tmp_path, monkeypatch):
    from medbill_lab.apps import encoder as encoder_app
    from medbill_lab.codes import encoder

    assert encoder_app.encoder_search_box().year.options[0] == ("FY2026", 2026)
    releases.import_release(cm_zip(zips, 2027), 2027)
    assert encoder_app.encoder_search_box().year.options[0] == ("FY2027", 2027)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # the index cache: not ~/.cache
    hits = encoder.search("type 2 diabetes with hyperglycemia", year=2027, system="icd10cm")
    assert hits[0].code == "E11.65"
    assert "A00.0" not in {h.code for h in encoder.search("cholera", year=2027, system="icd10cm")}
