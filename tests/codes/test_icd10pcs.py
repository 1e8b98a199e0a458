"""ICD-10-PCS FY2026 (medbill_lab/codes/icd10pcs.py and datasets/icd10pcs/)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from medbill_lab.codes import icd10pcs

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "icd10pcs"


def _builder():
    spec = importlib.util.spec_from_file_location(
        "build_icd10pcs", ROOT / "datasets" / "icd10pcs" / "build_icd10pcs.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_script_compiles_a_hand_made_table(tmp_path):
    out = tmp_path / "fy2026.json"
    assert _builder().main([str(TINY), "--out", str(out)]) == 0
    assert json.loads(out.read_text()) == {
        "year": 2026,
        "tables": {
            "0FT": {
                "titles": [
                    "Section",
                    "Body System",
                    "Operation",
                    "Body Part",
                    "Approach",
                    "Device",
                    "Qualifier",
                ],
                "labels": [
                    "Medical and Surgical",
                    "Hepatobiliary System and Pancreas",
                    "Resection",
                ],
                "rows": [
                    [
                        {"4": "Gallbladder", "G": "Pancreas"},
                        {"0": "Open", "4": "Percutaneous Endoscopic"},
                        {"Z": "No Device"},
                        {"Z": "No Qualifier"},
                    ]
                ],
            }
        },
        # Terms without a definition (the body-part term) are left out.
        "definitions": {
            "0": {
                "3": {"Resection": "Cutting out or off, without replacement, all of a body part"},
                "5": {
                    "Open": "Cutting through the skin or mucous membrane and any other body "
                    "layers necessary to expose the site of the procedure"
                },
            }
        },
    }


def test_shipped_artifact_counts_match_the_official_tables_and_provenance():
    prov = json.loads((ROOT / "datasets" / "icd10pcs" / "PROVENANCE.json").read_text())
    expected = {"tables": 914, "rows": 2733, "codes": 79115}
    assert icd10pcs.load(2026).counts() == expected == prov["counts"]
    every = list(icd10pcs.codes())
    assert len(every) == len(set(every)) == 79115
    assert all(len(c) == 7 and icd10pcs.validate(c).valid for c in every[::997])


@pytest.mark.parametrize(
    ("code", "title"),
    [
        ("0FT44ZZ", "Resection of Gallbladder, Percutaneous Endoscopic Approach"),
        ("0DTJ4ZZ", "Resection of Appendix, Percutaneous Endoscopic Approach"),
        ("02100Z9", "Bypass Coronary Artery, One Artery from Left Internal Mammary, Open Approach"),
        (
            "0SR9019",
            "Replacement of Right Hip Joint with Metal Synthetic Substitute, Cemented, "
            "Open Approach",
        ),
        (
            "0DB68ZX",
            "Excision of Stomach, Via Natural or Artificial Opening Endoscopic, Diagnostic",
        ),
        ("10D00Z1", "Extraction of Products of Conception, Low, Open Approach"),
        ("3E0234Z", "Introduction of Serum, Toxoid and Vaccine into Muscle, Percutaneous Approach"),
        ("BF100ZZ", "Fluoroscopy of Bile Ducts using High Osmolar Contrast"),
    ],
)
def test_titles_read_as_cms_long_titles(code, title):
    assert icd10pcs.lookup(code).title == title


@pytest.mark.parametrize(
    ("code", "section", "axis4"),
    [
        ("0FT44ZZ", "Medical and Surgical", ("Body Part", "Gallbladder")),
        ("10E0XZZ", "Obstetrics", ("Body Part", "Products of Conception")),
        ("2W0UX0Z", "Placement", ("Body Region", "Toe, Right")),
        ("3E0234Z", "Administration", ("Body System / Region", "Muscle")),
        ("BF100ZZ", "Imaging", ("Body Part", "Bile Ducts")),
        ("5A1221Z", "Extracorporeal or Systemic Assistance and Performance", None),
        ("XW033E5", "New Technology", None),
    ],
)
def test_lookup_gives_seven_axes_across_sections(code, section, axis4):
    found = icd10pcs.lookup(code)
    assert [a.position for a in found.axes] == list(range(1, 8))
    assert "".join(a.value for a in found.axes) == code
    assert found.axes[0].label == section and all(a.name and a.label for a in found.axes)
    if axis4:
        assert (found.axes[3].name, found.axes[3].label) == axis4


def test_definitions_come_from_the_definitions_file():
    axes = icd10pcs.lookup("0FT44ZZ").axes
    assert axes[2].definition == "Cutting out or off, without replacement, all of a body part"
    assert axes[4].definition.startswith("Entry, by puncture or minor incision")
    assert axes[3].definition == "" and axes[5].definition == ""


def test_lowercase_spaces_and_dashes_are_normalised():
    assert icd10pcs.lookup(" 0ft4 4zz ").code == "0FT44ZZ"
    assert icd10pcs.validate("0ft-44zz").valid


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("0FT44Z", "a code has 7 characters; '0FT44Z' has 6"),
        ("0FT44ZZZ", "a code has 7 characters; '0FT44ZZZ' has 8"),
        ("IFT44ZZ", "no section I"),
        ("0IT44ZZ", "no body system I in section 0"),
        ("0XZ1234", "no table 0XZ"),
        ("0DYJ4ZZ", "body part J is not in table 0DY"),
        ("0DTJ3ZZ", "approach 3 is not allowed with body part J in table 0DT"),
        ("0DTJ4JZ", "device J is not allowed with body part J and approach 4 in table 0DT"),
        (
            "0DTJ4ZX",
            "qualifier X is not allowed with body part J, approach 4 and device Z in table 0DT",
        ),
        ("BF10ZZZ", "contrast Z is not allowed with body part 0 in table BF1"),
    ],
)
def test_validate_names_the_first_failing_axis(code, reason):
    v = icd10pcs.validate(code)
    assert not v.valid and v.reason == reason
    with pytest.raises(icd10pcs.PcsCodeError, match="is not an ICD-10-PCS code"):
        icd10pcs.lookup(code)


def test_an_axis_allowed_in_another_row_is_still_invalid_in_this_one():
    # 0FT4 allows approach 4; 0FTG (pancreas) rows allow 0 and 4, but not 3.
    assert icd10pcs.validate("0FTG4ZZ").valid
    assert icd10pcs.validate("0FTG3ZZ").reason.startswith("approach 3 is not allowed")


def test_other_years_and_empty_codes_are_refused():
    with pytest.raises(ValueError, match="no ICD-10-PCS code set for FY2025"):
        icd10pcs.load(2025)
    assert icd10pcs.validate("  ").reason == "the code is empty"
