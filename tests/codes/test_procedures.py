"""The CPT, HCPCS, modifier and place-of-service teaching sets."""

from __future__ import annotations

import re
from pathlib import Path

from medbill_lab.codes import procedures

DATASETS = Path(__file__).resolve().parents[2] / "datasets"


def test_cpt_set_covers_the_curriculum():
    cpt = procedures.cpt()
    assert len(cpt) >= 200
    assert all(re.fullmatch(r"\d{4}[0-9FT]", c) for c in cpt)
    needed = [f"992{n:02d}" for n in (2, 3, 4, 5, 12, 13, 14, 15)]
    needed += [f"993{n}" for n in (81, 82, 83, 84, 85, 86, 87, 91, 92, 93, 94, 95, 96, 97)]
    assert not [c for c in needed if c not in cpt]
    groups = {p.group for p in cpt.values()}
    assert {
        "Evaluation and Management",
        "Surgery",
        "Radiology",
        "Pathology and Laboratory",
        "Medicine",
    } <= groups


def test_cpt_readme_states_the_copyright_rule():
    text = (DATASETS / "cpt" / "README.md").read_text().lower()
    assert "copyright" in text and "own words" in text


def test_hcpcs_set_spans_the_sections():
    hcpcs = procedures.hcpcs()
    assert len(hcpcs) >= 150
    assert all(re.fullmatch(r"[A-V]\d{4}", c) for c in hcpcs)
    assert set("AEGJKLQ") <= {c[0] for c in hcpcs}
    assert "influenza" in hcpcs["G0008"].description.lower()


def test_modifiers_include_the_common_ones():
    mods = procedures.modifiers()
    wanted = [
        "25",
        "26",
        "TC",
        "50",
        "51",
        "59",
        "XE",
        "XP",
        "XS",
        "XU",
        "76",
        "77",
        "91",
        "LT",
        "RT",
        "GA",
        "GY",
        "GZ",
        "FA",
        *[f"F{i}" for i in range(1, 10)],
        "TA",
        *[f"T{i}" for i in range(1, 10)],
    ]
    assert not [m for m in wanted if m not in mods]
    assert len(mods) >= 35


def test_place_of_service():
    pos = procedures.place_of_service()
    assert pos["11"].name == "Office"
    assert {"02", "10", "12", "19", "21", "22", "23", "31", "81"} <= pos.keys()


def test_every_dataset_has_provenance():
    for folder in ("icd10cm", "cpt", "hcpcs", "modifiers", "pos", "synonyms"):
        readme = DATASETS / folder / "README.md"
        provenance = DATASETS / folder / "PROVENANCE.json"
        assert readme.exists() or provenance.exists(), folder


def test_lookup_any_case():
    assert procedures.procedure(" j1100 ").code == "J1100"
    assert procedures.procedure("99999") is None
