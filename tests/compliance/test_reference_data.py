"""The compliance stage's reference tables are data files (P8), and moving them there changed
nothing a learner sees: the same seed gives the same fraud lab, practice and notes.

The SHA-256 sums below were computed from the code before the move (commit 9aceead, where
the specialties, names and towns were Python tuples); the files must reproduce them.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import select

from medbill_lab.compliance import deid, deid_notes, fraud_lab
from medbill_lab.datasets import datasets_dir, read_csv, synthetic_people

# (seed, scale) -> table -> sha256 of its CSV, as generated before the tables moved to datasets/
BEFORE = {
    (5, 0.1): {
        "claims": "fe1c74c0a789ff8a9b30685af96700b64a092b118207ba11dbc1a8111c8aab34",
        "members": "ac991ccf3fb0f892c39c1a2e761deabb728549d98638b73badc424d4f34298c1",
        "providers": "92beb709610506664305068358362e61cd44f04884e320d35de3898c1b806fba",
        "payers": "6201e8b11f4f586295a1dab11168b27b75212d27515686faf4f7fbaeffda9bf7",
        "truth": "08ab0f1ad4bb4c6854d47892a472018b755544e520fec560b6f51556521314ac",
    },
    (2026, 0.05): {
        "claims": "22fdad7fe5a071151954bf77d54ad806d4170717f539d2fa6e291a0f79edab90",
        "members": "537df2730bdde4cf95e477d1c020477a62d883d84adbddab6ceae09576b8f165",
        "providers": "56549dba440af30a7dd5b2c682d6c2b43e8fcd8462c654beb88b4e37c667aaf5",
        "payers": "6201e8b11f4f586295a1dab11168b27b75212d27515686faf4f7fbaeffda9bf7",
        "truth": "9f83ba8c3d77dfd159e527339ca1c9dcc5b2f3a68be952b6f8fe728757a41e56",
    },
}
# a seeded practice (seed 3, 12 patients): patients (last, first, city, ZIP, birth date) and
# providers (last, first, NPI), in row order, before the names moved
PRACTICE_PATIENTS = "5305ed8a8593f49eee5da5432565f7d28d1d6dbd4a209a3d5652e1de2392aacd"
PRACTICE_PROVIDERS = "ede8aac33de5667167ebaf04058f94845db9f3fb9b0e2c3d584e161460465968"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize("seed, scale", sorted(BEFORE))
def test_the_fraud_lab_is_the_one_generated_before_its_tables_moved(seed, scale):
    lab = fraud_lab.generate(seed, scale)
    now = {name: _sha(getattr(lab, name).to_csv(index=False)) for name in BEFORE[seed, scale]}
    assert now == BEFORE[seed, scale]


def test_the_fingerprint_catches_one_changed_weight(monkeypatch):
    # must-fail case: the same seed with one kind's weight changed gives other claims
    specs = list(fraud_lab.SPECIALTIES)
    kinds = list(specs[0].kinds)
    kinds[0] = fraud_lab.Kind(kinds[0].name, kinds[0].weight + 0.05, kinds[0].lines)
    specs[0] = fraud_lab.Specialty(**{**specs[0].__dict__, "kinds": tuple(kinds)})
    monkeypatch.setattr(fraud_lab, "SPECIALTIES", tuple(specs))
    fraud_lab._build.cache_clear()
    try:
        claims = fraud_lab.generate(5, 0.1).claims
    finally:
        fraud_lab._build.cache_clear()
    assert _sha(claims.to_csv(index=False)) != BEFORE[5, 0.1]["claims"]


def test_the_specialties_file_reads_back_as_typed_records():
    specs = fraud_lab.load_specialties()
    assert [s.name for s in specs] == [
        "family medicine",
        "internal medicine",
        "physical therapy",
        "psychiatry",
        "dermatology",
        "orthopedics",
    ]
    assert sum(s.providers for s in specs) == 54  # the module docstring's promise
    for spec in specs:
        assert abs(sum(spec.em_mix) - 1) < 1e-9, spec.name
        assert len(spec.em_mix) == 4 and spec.dx and spec.kinds and spec.credentials
        for kind in spec.kinds:
            assert kind.weight > 0 and kind.pos.isdigit(), kind.name
            for code, units, mod1, mod2 in kind.lines:
                assert isinstance(units, int) and units >= 1, (kind.name, code)
                assert isinstance(mod1, str) and isinstance(mod2, str)
    pt = next(s for s in specs if s.name == "physical therapy")
    assert pt.credentials == ("PT", "DPT") and not any(k.em for k in pt.kinds)
    assert specs == fraud_lab.SPECIALTIES


def test_the_specialties_file_has_a_provenance():
    readme = (datasets_dir() / "fraud_lab" / "README.md").read_text()
    assert "specialties.json" in readme and "Written by" in readme


def test_one_name_list_feeds_the_practice_the_fraud_lab_and_the_tuning_notes():
    people = synthetic_people()
    assert people.female_names[:2] == ("Adaeze", "Beatrix") and len(people.female_names) == 18
    assert people.male_names[-1] == "Soren" and len(people.last_names) == 25
    assert [t.name for t in people.towns] == ["Harlow", "Cedar Bluff", "Wren Falls"]
    town, county, zip_code = people.towns[1]  # a Town unpacks like the tuples it replaced
    assert (town, county, zip_code) == ("Cedar Bluff", "Union County", "62903")
    # the tuning notes' lists start with the practice's, in the same order
    n = len(people.female_names) + len(people.male_names)
    assert deid_notes.TUNING_FIRST[:n] == people.female_names + people.male_names
    assert deid_notes.TUNING_LAST[: len(people.last_names)] == people.last_names
    assert deid_notes.TUNING_PLACES[:3] == people.towns
    assert len(deid_notes.TUNING_FIRST) == n + 10 and "Barnaby" in deid_notes.TUNING_FIRST
    providers = fraud_lab.generate(5, 0.1).providers
    firsts = {name.split()[0] for name in providers["name"]}
    assert firsts <= set(people.female_names + people.male_names)


def test_a_seeded_practice_is_the_one_generated_before_the_names_moved(tmp_path):
    from medbill_lab.practice import db as practice_db
    from medbill_lab.practice import synthetic

    path = tmp_path / "practice.sqlite"
    practice_db.init_db(path)
    engine, factory = practice_db.open_practice(path)
    try:
        with factory() as session:
            synthetic.generate_practice(session, seed=3, patients=12)
            patients = [
                (p.last, p.first, p.city, p.zip, str(p.dob))
                for p in session.scalars(
                    select(practice_db.Patient).order_by(practice_db.Patient.id)
                )
            ]
            providers = [
                (p.last, p.first, p.npi)
                for p in session.scalars(
                    select(practice_db.Provider).order_by(practice_db.Provider.id)
                )
            ]
    finally:
        engine.dispose()
    assert _sha(repr(patients)) == PRACTICE_PATIENTS
    assert _sha(repr(providers)) == PRACTICE_PROVIDERS


def test_the_detector_knows_the_lab_names_and_reads_no_note_generator():
    # the detector does not depend on its test set, nor on a later stage
    code = (
        "import sys, medbill_lab.compliance.deid as d; "
        "print(sorted(m for m in sys.modules if m.startswith('medbill_lab.') and "
        "('deid_notes' in m or '.practice' in m or '.training' in m)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "[]"
    # ... and still finds the tuning notes' names that no cue points at
    people = synthetic_people()
    for first, last in [("Odette", "Zelenko"), ("Barnaby", "Oyelaran")]:
        found = deid.find_phi(f"Seen with {first} {last} today.")
        assert any(f.category == "NAME" and first in f.text for f in found), (first, found)
    found = deid.find_phi(f"Moved to {people.towns[2].name} last spring.")
    assert any(f.category == "LOCATION" for f in found)


def test_the_safe_harbor_categories_are_the_18_identifiers_a_to_r():
    rows = read_csv("deid/safe_harbor_categories.csv")
    letters = [r["paragraph"] for r in rows]
    assert sorted(set(letters)) == [chr(c) for c in range(ord("A"), ord("R") + 1)]
    assert letters.count("C") == 2  # dates and ages over 89 share paragraph (C)
    assert {r["category"]: (r["paragraph"], r["covers"]) for r in rows} == deid.CATEGORIES
    assert deid_notes.CATEGORIES is deid.CATEGORIES  # the exercise's name for the same table
    assert "stricter policy" in deid.CATEGORIES["NAME"][1]


def test_the_name_file_reads_in_order_and_a_reordered_copy_differs(tmp_path, monkeypatch):
    # must-fail case for the order promise: a reordered file gives other lists
    data = json.loads((datasets_dir() / "people" / "names.json").read_text())
    data["female_names"] = list(reversed(data["female_names"]))
    folder = Path(tempfile.mkdtemp(dir=tmp_path)) / "people"
    folder.mkdir()
    (folder / "names.json").write_text(json.dumps(data))
    from medbill_lab import datasets as ds

    monkeypatch.setenv("MEDBILL_LAB_DATASETS", str(folder.parent))
    ds.read_json.cache_clear()
    ds.synthetic_people.cache_clear()
    try:
        reordered = ds.synthetic_people()
    finally:
        monkeypatch.delenv("MEDBILL_LAB_DATASETS")
        ds.read_json.cache_clear()
        ds.synthetic_people.cache_clear()
    assert reordered.female_names[0] == "Saoirse"
    assert reordered.female_names != synthetic_people().female_names


def test_the_restricted_zip_areas_come_from_the_file_and_become_000():
    rows = read_csv("deid/restricted_zip3.csv")
    assert len(rows) == 17 and all(len(r["zip3"]) == 3 and r["zip3"].isdigit() for r in rows)
    assert frozenset(r["zip3"] for r in rows) == deid.RESTRICTED_ZIP3
    # the first and last of the HHS list, and one from the middle, become 000
    for restricted in ("03601", "89301", "55601-0001"):
        assert deid.generalise_zip(restricted) == "000", restricted
    # neighbours of restricted areas keep their three digits
    for open_area in ("03701", "89401", "55701", "62901"):
        assert deid.generalise_zip(open_area) == open_area[:3], open_area


def test_the_labelled_note_sets_are_found_where_the_other_data_is(tmp_path, monkeypatch):
    # a hub points MEDBILL_LAB_DATASETS at its shared copy: lesson 12 reads the sets from there
    note = {"id": "n-1", "kind": "k", "style": "s", "text": "Seen 3/4/2026.", "spans": []}
    (tmp_path / "deid").mkdir()
    (tmp_path / "deid" / "notes.jsonl").write_text(json.dumps(note) + "\n", encoding="utf-8")
    monkeypatch.setenv("MEDBILL_LAB_DATASETS", str(tmp_path))
    assert deid_notes.dataset_dir() == tmp_path / "deid"
    assert deid_notes.fixed_set("notes.jsonl") == [note]
    # must-fail: a set the shared copy lacks is not read from somewhere else
    with pytest.raises(FileNotFoundError):
        deid_notes.fixed_set("dev.jsonl")
    monkeypatch.delenv("MEDBILL_LAB_DATASETS")
    assert deid_notes.dataset_dir() == datasets_dir() / "deid"
    assert len(deid_notes.fixed_set("notes.jsonl")) == 400
