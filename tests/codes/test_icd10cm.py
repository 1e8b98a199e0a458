"""The official ICD-10-CM code sets: counts, look-ups, hierarchy, notes,
validation for a date of service, and the annual change report."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

from medbill_lab.codes import icd10cm
from medbill_lab.codes.icd10cm import CodeSetError

DATA = Path(__file__).resolve().parents[2] / "datasets" / "icd10cm"
sys.path.insert(0, str(DATA))
import build_icd10cm  # noqa: E402


@pytest.fixture(scope="module")
def fy26() -> icd10cm.CodeSet:
    return icd10cm.load(2026)


@pytest.fixture(scope="module")
def fy25() -> icd10cm.CodeSet:
    return icd10cm.load(2025)


def distinct_names(codeset: icd10cm.CodeSet) -> int:
    return len({build_icd10cm.xml_name(c) for c in codeset.codes})


def test_fy2026_counts_match_the_official_release(fy26):
    # 98,466 distinct tabular names: chapters, blocks, categories, subcategories and codes.
    assert distinct_names(fy26) == 98_466
    # The official FY2026 code count is 74,719 billable codes.  Counting "leaves"
    # gives 74,731 only if the 12 chapter-group headings with no categories of
    # their own (C00-C96, V00-X58, ...) are counted; they are not codes.
    assert fy26.billable_count() == 74_719
    groups = [
        i
        for i in range(len(fy26))
        if fy26.level_of(i) == "block"
        and all(fy26.level_of(j) == "block" for j in fy26.children_at(i))
    ]
    assert len(groups) == 12
    assert fy26.billable_count() + len(groups) == 74_731
    assert len(fy26.chapters()) == 22


def test_fy2025_counts(fy25):
    assert distinct_names(fy25) == 97_864
    assert fy25.billable_count() == 74_260
    assert fy25.year == 2025 and "April 1, 2025" in fy25.release


def test_provenance_records_every_source_and_artifact():
    prov = json.loads((DATA / "PROVENANCE.json").read_text())
    for year, version in (("2025", "1.4.0"), ("2026", "1.5.0")):
        entry = prov[year]
        assert entry["source_package"] == "simple-icd-10-cm"
        assert entry["source_package_version"] == version
        assert len(entry["source_file_sha256"]) == 64 and len(entry["source_wheel_sha256"]) == 64
        artifact = DATA / entry["artifact"]
        assert hashlib.sha256(artifact.read_bytes()).hexdigest() == entry["artifact_sha256"]


@pytest.mark.parametrize("typed", ["E11.65", "e1165", " E11.65 ", "e11.65"])
def test_lookup_any_case_dot_optional(fy26, typed):
    item = fy26.get(typed)
    assert item.code == "E11.65"
    assert item.description == "Type 2 diabetes mellitus with hyperglycemia"
    assert item.billable and item.level == "code" and item.parent == "E11.6"


def test_levels_and_hierarchy(fy26):
    assert fy26.get("E11").level == "category"
    assert fy26.get("E11.6").level == "subcategory"
    chain = [a.code for a in fy26.ancestors("S52.521A")]
    assert chain == ["S52.521", "S52.52", "S52.5", "S52", "S50-S59", "19"]
    assert [c.code for c in fy26.children("E11.6")][:2] == ["E11.61", "E11.62"]
    # Blocks nest by range: C00-C14 sits in C00-C75, which sits in C00-C96.
    assert [a.code for a in fy26.ancestors("C00")][:3] == ["C00-C14", "C00-C75", "C00-C96"]
    # A block holding one category is keyed as a range; the bare name is the category.
    assert fy26.get("B20").level == "category"
    assert fy26.get("B20-B20").level == "block"


def test_notes_every_kind_is_kept(fy26):
    kinds = {k for i in range(len(fy26)) for k in fy26.item_at(i).notes}
    assert kinds == set(icd10cm.NOTE_KINDS)


def test_notes_are_inherited_from_the_category(fy26):
    notes = fy26.notes("E11.65")
    assert ("E11", "excludes1", "gestational diabetes (O24.4-)") in notes
    assert any(src == "E11" and kind == "use_additional_code" for src, kind, _ in notes)
    # Inclusion terms describe only their own item.
    assert not [n for n in notes if n[1] == "inclusion_terms" and n[0] != "E11.65"]
    own_only = fy26.notes("E11.65", inherited=False)
    assert all(src == "E11.65" for src, _, _ in own_only)


def test_seventh_characters_are_inherited_and_placeholders_applied(fy26):
    table = fy26.seventh_characters("S52.521")
    assert table["A"] == "initial encounter for closed fracture"
    assert fy26.seventh_characters("E11.9") == {}
    # Placeholder X fills to six characters before the 7th.
    assert fy26.is_billable("T78.40XA") and not fy26.is_billable("T78.40")
    assert fy26.get("W19.XXXA").description == "Unspecified fall, initial encounter"
    # The tabular's prose rule: S06 codes with 6th character 7 or 8 take only A.
    assert fy26.is_billable("S06.1X7A") and "S06.1X7D" not in fy26


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("E11.9", ""),
        ("E11", "header not billable"),
        ("S52.521", "missing 7th character"),
        ("T78.40A", "missing placeholder X"),
        ("Q99.99", "unknown"),
    ],
)
def test_check_gives_the_reason(fy26, code, reason):
    assert fy26.check(code)[0] == reason


def test_check_suggests_the_fix(fy26):
    assert fy26.check("T78.40A")[2] == ("T78.40XA",)
    assert "S52.521A" in fy26.check("S52.521")[2]


@pytest.mark.parametrize(
    ("day", "year"),
    [("2025-09-30", 2025), ("2025-10-01", 2026), ("2026-09-30", 2026), ("2024-10-01", 2025)],
)
def test_fiscal_year_boundaries(day, year):
    assert icd10cm.fiscal_year(day) == year
    assert icd10cm.year_for(day)[0] == year


def test_validate_says_which_year_and_why():
    v = icd10cm.validate("E11.A", "2026-01-15")
    assert v.valid and v.fiscal_year == 2026
    assert "FY2026" in v.year_reason and "Oct 1, 2025" in v.year_reason
    before = icd10cm.validate("E11.A", "2025-09-30")
    assert not before.valid and before.fiscal_year == 2025 and before.reason == "not yet valid"


def test_validate_flags_a_deleted_code():
    assert icd10cm.validate("S30.1XXA", "2025-06-01").valid
    after = icd10cm.validate("S30.1XXA", "2025-10-01")
    assert not after.valid and after.reason == "deleted that year"


def test_validate_bad_input_is_a_clear_error():
    with pytest.raises(CodeSetError, match="FY2031"):
        icd10cm.validate("E11.9", "2030-12-01")
    with pytest.raises(CodeSetError, match="not a date"):
        icd10cm.validate("E11.9", "yesterday")
    with pytest.raises(CodeSetError, match="FY2019"):
        icd10cm.load(2019)


def test_changes_are_computed_from_the_two_years(fy25, fy26):
    report = icd10cm.changes(2025, 2026)
    added = {r["code"] for r in report["added"]}
    deleted = {r["code"] for r in report["deleted"]}
    # Every reported change must be visible in the data itself.
    assert added and all(
        fy26.is_billable(c) and c not in fy25 for c in list(added)[:50] if c not in fy25
    )
    assert "E11.A" in added and "E11.A" not in fy25
    assert all(fy25.is_billable(c) and c not in fy26 for c in deleted)
    for r in report["revised"]:
        assert (
            fy25.get(r["code"]).description
            == r["old"]
            != r["new"]
            == fy26.get(r["code"]).description
        )
    for r in report["now_header"]:
        assert fy25.is_billable(r["code"]) and not fy26.is_billable(r["code"])
    assert "G35" in {r["code"] for r in report["now_header"]}
    # Counts agree with a direct set difference over billable codes.
    b25 = {c for c in fy25.codes if fy25.is_billable(c)}
    b26 = {c for c in fy26.codes if fy26.is_billable(c)}
    assert len(added) == len(b26 - b25)
    assert len(deleted) + len(report["now_header"]) == len(b25 - b26)


TINY_TABULAR = b"""<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.tabular><version>2099</version>
<chapter><name>19</name><desc>Injury (S00-T88)</desc>
 <section id="S00-S09"><desc>Injuries to the head (S00-S09)</desc>
  <diag><name>S06</name><desc>Intracranial injury</desc>
   <notes><note>7th characters D and S do not apply to codes in category S06 with 6th character 7 - death</note></notes>
   <sevenChrDef><extension char="A">initial encounter</extension><extension char="D">subsequent encounter</extension></sevenChrDef>
   <diag><name>S06.1</name><desc>Traumatic cerebral edema</desc>
    <diag><name>S06.1X7</name><desc>Edema with death</desc></diag>
    <diag><name>S06.1X9</name><desc>Edema, unspecified</desc>
     <inclusionTerm><note>Edema NOS</note></inclusionTerm></diag>
   </diag>
  </diag>
  <diag><name>S09</name><desc>Other injuries of head</desc>
   <diag><name>S09.9</name><desc>Unspecified injury of head</desc>
    <excludes1><note>head injury NOS (S09.90)</note></excludes1></diag>
  </diag>
 </section>
</chapter></ICD10CM.tabular>"""


def test_build_expands_7th_characters_with_placeholders_and_restrictions():
    art = build_icd10cm.build_from_xml(TINY_TABULAR)
    rows = dict(zip(art["codes"], art["billable"], strict=True))
    assert rows["S06.1X9A"] == rows["S06.1X9D"] == "7"  # billable, written by the build
    assert rows["S06.1X9"] == "0"  # needs its 7th character
    assert "S06.1X7A" in rows and "S06.1X7D" not in rows
    assert rows["S09.9"] == "1"  # no 7th-character table above it
    i = art["codes"].index("S06.1X9D")
    assert art["desc"][i] == "Edema, unspecified, subsequent encounter"
    assert art["notes"][str(art["codes"].index("S06.1X9"))]["inclusion_terms"] == ["Edema NOS"]


def test_build_refuses_a_release_whose_prose_rule_moved():
    with pytest.raises(SystemExit, match="SEVENTH_RESTRICTIONS"):
        build_icd10cm.build_from_xml(TINY_TABULAR.replace(b"7th characters D and S", b"Seventh"))
