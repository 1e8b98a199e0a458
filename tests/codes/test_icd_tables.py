"""The official FY2026 index tables (Drugs, Neoplasm, External Cause) and the encoder's use of them."""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from pathlib import Path

import pytest

from medbill_lab.codes import encoder, icd_tables
from medbill_lab.datasets import datasets_dir

DATA = datasets_dir() / "icd10cm"
sys.path.insert(0, str(DATA))
import build_tables  # noqa: E402

QUERIES = Path(__file__).resolve().parents[1] / "data" / "encoder_queries_tables.csv"

TINY_DRUGS = b"""<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.index><version>2026</version>
<indexHeading><head col="1">Substance</head><head col="2">Poisoning Accidental (unintentional)</head>
<head col="3">Poisoning Intentional self-harm</head><head col="4">Poisoning Assault</head>
<head col="5">Poisoning Undetermined</head><head col="6">Adverse effect</head><head col="7">Underdosing</head></indexHeading>
<letter><title>A</title>
<mainTerm><title>Acetic<nemod>(acid)</nemod></title>
  <term level="1"><title>anhydride</title><cell col="2">T54.2X1</cell><cell col="3">T54.2X2</cell>
  <cell col="4">T54.2X3</cell><cell col="5">T54.2X4</cell><cell col="6">--</cell><cell col="7">--</cell></term>
</mainTerm>
<mainTerm><title>Adrenalin</title><see>Adrenaline</see></mainTerm>
</letter></ICD10CM.index>"""

TINY_EINDEX = b"""<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.index><version>2026</version><title>EXTERNAL CAUSE</title>
<letter><title>F</title>
<mainTerm><title>Fall, falling<nemod>(accidental)</nemod></title><code>W19</code>
  <term level="1"><title>from</title><seeAlso>Fall, on</seeAlso>
    <term level="2"><title>ladder</title><code>W11</code></term></term>
  <term level="1"><title>lightning</title><subcat>T75.0</subcat></term>
  <term level="1"><title>linen</title><seecat>T71</seecat></term>
</mainTerm></letter></ICD10CM.index>"""


# -- the build ---------------------------------------------------------------------
def test_build_keeps_hierarchy_references_columns_and_dashes():
    table = build_tables.build_table(TINY_DRUGS, "Drugs")
    assert (
        table["columns"][0] == "Poisoning Accidental (unintentional)" and len(table["columns"]) == 6
    )
    acetic, anhydride, adrenalin = table["rows"]
    assert acetic == [-1, 0, "Acetic (acid)", ["", "", "", "", "", ""], "", ""]
    assert anhydride == [
        0,
        1,
        "anhydride",
        ["T54.2X1", "T54.2X2", "T54.2X3", "T54.2X4", "", ""],
        "",
        "",
    ]
    assert adrenalin[4] == "Adrenaline"


def test_build_reads_external_cause_codes_subcategories_and_see_category():
    rows = build_tables.build_table(TINY_EINDEX, "E")["rows"]
    assert rows[0][:4] == [-1, 0, "Fall, falling (accidental)", ["W19"]]
    assert rows[1][5] == "Fall, on" and rows[2][:4] == [1, 2, "ladder", ["W11"]]
    assert rows[3][3] == ["T75.0"]  # a <subcat>: to be completed
    assert rows[4][4] == "category T71"


def test_build_is_deterministic_and_writes_the_category_dash_form():
    assert build_tables._code("C56.-") == "C56-" and build_tables._code("--") == ""
    one = json.dumps(build_tables.build_table(TINY_EINDEX, "E"), separators=(",", ":"))
    assert one == json.dumps(build_tables.build_table(TINY_EINDEX, "E"), separators=(",", ":"))


def test_artifact_matches_its_provenance_and_the_official_counts():
    prov = json.loads((DATA / "PROVENANCE_tables.json").read_text())
    artifact = DATA / prov["artifact"]
    assert hashlib.sha256(artifact.read_bytes()).hexdigest() == prov["artifact_sha256"]
    for key, (name, sha, _) in build_tables.SOURCES.items():
        entry = prov["tables"][key]
        assert entry["source_sha256"] == sha and entry["source_path"].endswith(name)
        assert entry["source_commit"] == build_tables.COMMIT and entry["version"] == "2026"
    # counts of the official files: mainTerm + term elements (see SOURCES.md)
    assert {k: v["rows"] for k, v in prov["tables"].items()} == {
        "drugs": 5179 + 2251,
        "neoplasm": 1 + 1939,
        "eindex": 314 + 7776,
    }


# -- the tables ----------------------------------------------------------------------
def test_rows_keep_their_printed_cells_and_path():
    row = icd_tables.find("drugs", "acetaminophen")[0]
    assert row.cells == ("T39.1X1", "T39.1X2", "T39.1X3", "T39.1X4", "T39.1X5", "T39.1X6")
    lung = icd_tables.find("neoplasm", "lung")[0]
    assert lung.term == "Neoplasm, neoplastic, lung"
    assert lung.cells == ("C34.9-", "C78.0-", "D02.2-", "D14.3-", "D38.1", "D49.1")
    ladder = [r.term for r in icd_tables.find("eindex", "fall ladder")]
    assert "Fall, falling (accidental), from, off, out of, ladder" in ladder


def test_cells_complete_to_billable_codes():
    row = icd_tables.find("drugs", "warfarin")[0]
    got = [(c.printed, c.code) for c in icd_tables.cells(row)]
    assert got[4] == ("T45.515", "T45.515A") and got[5] == ("T45.516", "T45.516A")
    lung = [c.code for c in icd_tables.cells(icd_tables.find("neoplasm", "lung")[0])]
    assert lung == ["C34.90", "C78.00", "D02.20", "D14.30", "D38.1", "D49.1"]
    breast = icd_tables.cells(icd_tables.find("neoplasm", "breast")[0])
    assert breast[2].printed == "D05-" and breast[2].code == "D05.90"  # unspecified type, side


def test_empty_cells_stay_empty():
    heroin = icd_tables.find("drugs", "heroin")[0]
    cells = icd_tables.cells(heroin)
    assert cells[4].printed == "" and cells[4].code == ""  # no adverse effect of heroin


def test_find_reads_brand_names_and_refuses_nothing():
    assert icd_tables.find("drugs", "tylenol")[0].term == "Acetaminophen"
    assert icd_tables.find("drugs", "zzqx") == []
    assert icd_tables.find("drugs", "the of") == []


@pytest.mark.parametrize(
    ("table", "words", "column"),
    [
        ("drugs", {"overdose"}, 0),
        ("drugs", {"poisoning"}, 0),
        ("drugs", {"overdose", "suicide", "attempt"}, 1),
        ("drugs", {"assault", "poisoning"}, 2),
        ("drugs", {"undetermined", "poisoning"}, 3),
        ("drugs", {"adverse", "effect"}, 4),
        ("drugs", {"underdosing"}, 5),
        ("drugs", set(), 0),
        ("neoplasm", {"malignant", "neoplasm"}, 0),
        ("neoplasm", {"secondary", "malignant", "neoplasm"}, 1),
        ("neoplasm", {"metastatic"}, 1),
        ("neoplasm", {"carcinoma", "situ"}, 2),
        ("neoplasm", {"benign", "neoplasm"}, 3),
        ("neoplasm", {"uncertain", "neoplasm"}, 4),
        ("neoplasm", {"tumor"}, 5),
    ],
)
def test_the_query_words_choose_the_column(table, words, column):
    assert icd_tables.column_for(table, frozenset(words), sorted(words))[0] == column


def test_metastatic_from_is_the_primary_site():
    assert (
        icd_tables.column_for("neoplasm", {"metastatic"}, ["metastatic", "from", "breast"])[0] == 0
    )
    assert icd_tables.column_for("neoplasm", {"metastatic"}, ["metastatic", "to", "liver"])[0] == 1


# -- the encoder answers from them --------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "code", "table"),
    [
        ("tylenol overdose", "T39.1X1A", "drugs"),
        ("warfarin adverse effect", "T45.515A", "drugs"),
        ("underdosing of insulin", "T38.3X6A", "drugs"),
        ("intentional overdose of xanax", "T42.4X2A", "drugs"),
        ("lung cancer", "C34.90", "neoplasm"),
        ("metastatic to liver", "C78.7", "neoplasm"),
        ("tumor of the brain", "D49.6", "neoplasm"),
        ("slipping on ice", "W00.0XXA", "eindex"),
        ("adrenalin overdose", "T44.5X1A", "drugs"),
    ],
)
def test_search_answers_from_the_tables(query, code, table):
    hit = encoder.search(query, system="icd10cm", limit=1)[0]
    assert (hit.code, hit.table) == (code, table)


@pytest.mark.parametrize(
    ("query", "code"), [("fall from ladder", "W11.XXXA"), ("bitten by dog", "W54.0XXA")]
)
def test_where_the_tabular_says_it_too_the_code_is_the_same(query, code):
    assert encoder.search(query, system="icd10cm", limit=1)[0].code == code


def test_the_explanation_names_table_row_column_and_completion():
    hit = encoder.search("tylenol overdose", limit=1)[0]
    assert hit.table == "drugs" and hit.as_dict()["table"] == "drugs"
    assert "Table of Drugs and Chemicals: Acetaminophen" in hit.via
    assert "Poisoning Accidental" in hit.via and "T39.1X1" in hit.via
    assert "completed to T39.1X1A (7th character A: initial encounter" in hit.via
    assert "I.C.19.e.5.b" in hit.via  # intent not stated: accidental
    cancer = encoder.search("lung cancer", limit=1)[0]
    assert (
        "Neoplasm Table: Neoplasm, neoplastic, lung, column Malignant Primary -> C34.9-"
        in cancer.via
    )


def test_a_stated_encounter_completes_the_7th_character():
    assert encoder.search("tylenol overdose subsequent encounter", limit=1)[0].code == "T39.1X1D"


def test_table_rows_need_a_column_word_and_every_other_word():
    # "lung" alone is not a neoplasm, "insulin" alone is not a poisoning.
    assert all(h.table == "" for h in encoder.search("lung", system="icd10cm"))
    assert all(h.table == "" for h in encoder.search("insulin", system="icd10cm"))
    assert all(h.table != "drugs" for h in encoder.search("poisoning", system="icd10cm"))


def test_procedure_searches_and_fy2025_do_not_use_the_tables():
    assert all(h.system == "cpt" for h in encoder.search("tylenol overdose", system="cpt"))
    assert all(h.table == "" for h in encoder.search("lung cancer", year=2025, system="icd10cm"))


def test_complete_reads_printed_codes():
    assert encoder.complete("T39.1X1") == "T39.1X1A"
    assert encoder.complete("C34.9-") == "C34.90"
    assert encoder.complete("W11") == "W11.XXXA"
    assert encoder.complete("C78.7") == "C78.7"
    assert encoder.complete("S82.22") == "S82.223A"  # displaced, side unspecified
    assert encoder.complete("T39.1X1", query="sequela") == "T39.1X1S"
    assert encoder.complete("Z99.99") is None and encoder.complete("-") is None


def _rates(path: Path) -> tuple[float, float, list[str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    top1 = top5 = 0
    misses = []
    for row in rows:
        expected = set(row["expected"].split("|"))
        found = [h.code for h in encoder.search(row["query"], system="icd10cm", limit=5)]
        top1 += bool(found) and found[0] in expected
        top5 += bool(expected & set(found))
        if not found or found[0] not in expected:
            misses.append(f"{row['query']!r}: expected {row['expected']}, got {found}")
    return top1 / len(rows), top5 / len(rows), misses


def test_tables_query_set_meets_the_targets():
    with QUERIES.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 40
    assert {r["category"] for r in rows} == {"drugs", "neoplasm", "external", "default"}
    rate1, rate5, misses = _rates(QUERIES)
    assert rate5 >= 0.95, f"top-5 {rate5:.3f}; misses:\n" + "\n".join(misses)
    assert rate1 >= 0.80, f"top-1 {rate1:.3f}; misses:\n" + "\n".join(misses)


def test_see_references_are_followed_within_a_table():
    colon = next(r for r in icd_tables.find("neoplasm", "colon") if r.path[-1] == "colon")
    benign = icd_tables.cells(colon)[3]
    assert benign.printed == "" and benign.code == "D12.6"  # blank: see also intestine, large
    assert benign.via == "Neoplasm, intestine, large"
    assert icd_tables.cells(colon)[0].via == ""  # a printed cell is taken as printed
    adrenalin = icd_tables.find("drugs", "adrenalin")[0]
    assert adrenalin.see == "Adrenaline" and icd_tables.cells(adrenalin)[0].code == "T44.5X1A"
    assert icd_tables.follow("neoplasm", "Mesothelioma") is None  # another part of the index


def test_search_says_when_a_blank_cell_was_filled_from_a_reference():
    hit = encoder.search("adenoma of colon", system="icd10cm", limit=1)[0]
    assert hit.code == "D12.6"
    assert hit.table == "neoplasm" and "blank here; see Neoplasm, intestine, large" in hit.via


@pytest.mark.parametrize(
    "brand",
    [
        *("tylenol", "advil", "motrin", "aleve", "coumadin", "benadryl", "xanax", "valium"),
        *("ativan", "ambien", "lasix", "glucophage", "lanoxin", "percocet", "oxycontin"),
        *("vicodin", "norco"),
    ],
)
def test_every_brand_name_synonym_finds_its_drug_row(brand):
    assert icd_tables.find("drugs", brand), f"{brand}: no row of the Table of Drugs"


def test_a_misspelled_drug_name_is_corrected_from_the_table():
    hit = encoder.search("acetaminofen overdose", system="icd10cm", limit=1)[0]
    assert hit.code == "T39.1X1A" and "acetaminofen -> acetaminophen (spelling)" in hit.via
    # a correctly spelled table word is never "corrected"
    assert "spelling" not in encoder.search("acetaminophen overdose", limit=1)[0].via
