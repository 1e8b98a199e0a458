"""The PCS search data build (datasets/icd10pcs/build_pcs_index.py): the FY2025 index, flattened
and checked against the FY2026 tables, and the FY2026 keys."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "icd10pcs"

# A hand-made excerpt in the official index layout: a see with a partial code, a subterm
# with a code, a use (body part key) entry, a bare see, and a target FY2026 does not have.
INDEX = """<?xml version="1.0" encoding="utf-8"?>
<ICD10PCS.index>
  <version>2025</version>
  <title>2025 ICD-10-PCS Index (test excerpt)</title>
  <letter>
    <title>C</title>
    <mainTerm>
      <title>Cholecystectomy</title>
      <term level="1">
        <see>Resection, Gallbladder<codes>0FT4</codes></see>
      </term>
    </mainTerm>
    <mainTerm>
      <title>Cystic duct</title>
      <use>Cystic Duct</use>
    </mainTerm>
  </letter>
  <letter>
    <title>R</title>
    <mainTerm>
      <title>Resection</title>
      <term level="1">
        <title>Gallbladder</title>
        <code>0FT40ZZ</code>
      </term>
      <term level="1">
        <title>Liver</title>
        <codes>0FT0</codes>
      </term>
      <term level="1">
        <title>Pancreas</title>
        <see>Excision</see>
      </term>
    </mainTerm>
  </letter>
</ICD10PCS.index>
"""


def _script():
    spec = importlib.util.spec_from_file_location(
        "build_pcs_index", ROOT / "datasets" / "icd10pcs" / "build_pcs_index.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tables(tmp_path: Path) -> dict:
    spec = importlib.util.spec_from_file_location(
        "build_icd10pcs", ROOT / "datasets" / "icd10pcs" / "build_icd10pcs.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "fy2026.json"
    assert module.main([str(TINY), "--out", str(out)]) == 0
    return json.loads(out.read_text())["tables"]  # 0FT: body parts 4 and G only


def test_the_index_is_flattened_and_checked_against_the_fy2026_tables(tmp_path):
    codefiles = tmp_path / "codefiles"
    (codefiles / "fy2025").mkdir(parents=True)
    (codefiles / "fy2026").mkdir()
    (codefiles / "fy2025" / "icd10pcs_index_2025.xml").write_text(INDEX, encoding="utf-8")
    shutil.copy(TINY / "icd10pcs_definitions_2026.xml", codefiles / "fy2026")
    built = _script().build(codefiles, _tables(tmp_path))
    assert built["index_year"] == 2025 and built["tables_year"] == 2026
    assert built["index"] == [
        {"t": ["Cholecystectomy"], "see": "Resection, Gallbladder", "code": "0FT4"},
        {"t": ["Cystic duct"], "use": "Cystic Duct"},
        {"t": ["Resection", "Gallbladder"], "code": "0FT40ZZ"},
        {"t": ["Resection", "Pancreas"], "see": "Excision"},
    ]
    # the liver (0FT0) is not in the excerpt's FY2026 table: dropped, with why
    assert built["dropped"] == [
        {
            "t": ["Resection", "Liver"],
            "code": "0FT0",
            "reason": "no row of table 0FT in FY2026 allows 0",
        }
    ]
    assert built["keys"]["0"]["3"]["Resection"] == {"includes": ["Total nephrectomy"]}
    assert built["keys"]["0"]["4"]["Common Bile Duct"] == {"includes": ["Hepatic duct"]}


def test_the_shipped_search_data_says_what_it_kept_and_dropped():
    prov = json.loads((ROOT / "datasets" / "icd10pcs" / "PROVENANCE_index.json").read_text())
    data = json.loads((ROOT / "datasets" / "icd10pcs" / "index_fy2025.json").read_text())
    assert prov["sources"]["index"]["version"] == "2025"
    assert prov["sources"]["definitions"]["version"] == "2026"
    assert prov["counts"]["kept"] == len(data["index"]) == 18_820
    assert prov["counts"]["dropped_not_in_fy2026"] == len(data["dropped"]) == 18
