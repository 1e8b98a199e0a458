"""Practice cases: the Case record, the shipped cases file, and the seeded
generator whose answers must be billable, valid on the date of service and
consistent with the note, for every seed."""

from __future__ import annotations

import json
import re

import pytest

from medbill_lab.codes import icd10cm
from medbill_lab.training import cases
from medbill_lab.training.cases import Case, CaseError
from medbill_lab.training.grading import grade

SEEDS = range(200)
FY2026 = ("2025-10-01", "2026-09-30")


def case_dict(**over) -> dict:
    data = {
        "id": "dm-1",
        "topic": "diabetes",
        "title": "Diabetes follow-up",
        "date_of_service": "2026-02-10",
        "age": 61,
        "sex": "F",
        "note": "Type 2 diabetes with CKD stage 3a, on insulin.",
        "answer": ["e1122", "N18.31", "z79.4"],
        "rationale": "Combination code, stage, insulin.",
        "guideline": "I.C.4.a",
        "sequence_matters": True,
        "alternatives": [["E11.22", "Z79.4", "N18.31"]],
    }
    data.update(over)
    return data


@pytest.fixture
def cases_dir(tmp_path, monkeypatch):
    """A datasets folder holding only a cases file the test writes."""
    icd10cm.load(2026), icd10cm.load(2025)  # load (and cache) the shipped code sets first
    (tmp_path / "cases").mkdir()
    monkeypatch.setenv("MEDBILL_LAB_DATASETS", str(tmp_path))

    def write(items: list[dict]) -> None:
        (tmp_path / "cases" / "cases.json").write_text(json.dumps(items), "utf-8")

    return write


# -- the Case record ----------------------------------------------------------
def test_case_from_dict_normalizes_codes_into_tuples():
    case = Case.from_dict(case_dict())
    assert case.answer == ("E11.22", "N18.31", "Z79.4")
    assert case.alternatives == (("E11.22", "Z79.4", "N18.31"),)
    assert case.accepted[0] == case.answer and len(case.accepted) == 2
    assert Case.from_dict(case.as_dict()) == case


def test_case_from_dict_names_the_case_and_the_missing_field():
    with pytest.raises(ValueError, match=r"'dm-9'.*answer"):
        Case.from_dict(case_dict(id="dm-9", answer=[]))


def test_case_is_frozen():
    case = Case.from_dict(case_dict())
    with pytest.raises(AttributeError):
        case.answer = ("E11.9",)


# -- shipped cases file -------------------------------------------------------
def test_load_cases_reads_the_file_and_rereads_it_when_it_changes(cases_dir):
    cases_dir([case_dict()])
    assert [c.id for c in cases.load_cases()] == ["dm-1"]
    assert cases.load_cases() is cases.load_cases()  # cached
    cases_dir([case_dict(), case_dict(id="dm-2", topic="kidney")])
    assert [c.id for c in cases.load_cases()] == ["dm-1", "dm-2"]
    assert cases.topics() == ["diabetes", "kidney"]


def test_load_cases_is_empty_without_the_file(tmp_path, monkeypatch):
    icd10cm.load(2026)
    monkeypatch.setenv("MEDBILL_LAB_DATASETS", str(tmp_path))
    assert cases.load_cases() == ()


def test_repeated_ids_are_rejected(cases_dir):
    cases_dir([case_dict(), case_dict()])
    with pytest.raises(ValueError, match="dm-1"):
        cases.load_cases()


def test_get_case_by_id_and_a_clear_error_for_an_unknown_id(cases_dir):
    cases_dir([case_dict()])
    assert cases.get_case("dm-1").title == "Diabetes follow-up"
    with pytest.raises(KeyError) as err:
        cases.get_case("no-such-case")
    assert isinstance(err.value, CaseError)
    assert str(err.value) == "no case with id 'no-such-case'"


def test_get_case_rebuilds_a_generated_case_from_its_id():
    case = cases.generate(42, "ankle_sprain")
    assert cases.get_case(case.id) == case
    with pytest.raises(CaseError, match="gen-nothing-1"):
        cases.get_case("gen-nothing-1")


def test_pick_case_is_seeded_and_filters_by_topic(cases_dir):
    cases_dir([case_dict(), case_dict(id="dm-2"), case_dict(id="k-1", topic="kidney")])
    assert cases.pick_case(seed=3) == cases.pick_case(seed=3)
    picked = {cases.pick_case(seed=s).id for s in range(40)}
    assert picked == {"dm-1", "dm-2", "k-1"}
    assert {cases.pick_case(seed=s, topic="kidney").id for s in range(10)} == {"k-1"}
    with pytest.raises(CaseError, match="pregnancy"):
        cases.pick_case(seed=1, topic="pregnancy")
    mixed = {
        cases.pick_case(seed=s, topic="pregnancy", include_generated=True).topic for s in range(5)
    }
    assert mixed == {"pregnancy"}


# -- the generator ------------------------------------------------------------
def test_there_are_at_least_six_templates_each_with_a_topic():
    assert len(cases.TEMPLATES) >= 6
    assert set(cases.TEMPLATE_TOPICS) == set(cases.TEMPLATES)
    assert set(cases.topics(include_generated=True)) >= set(cases.TEMPLATE_TOPICS.values())


def test_unknown_template_is_a_clear_error():
    with pytest.raises(CaseError, match="no case template 'fracture'"):
        cases.generate(1, "fracture")


@pytest.mark.parametrize("template", cases.TEMPLATES)
def test_every_generated_answer_is_billable_and_valid_on_its_date(template):
    for seed in SEEDS:
        case = cases.generate(seed, template)
        assert FY2026[0] <= case.date_of_service <= FY2026[1], case.id
        assert case.answer and case.note and case.rationale and case.guideline
        for key in case.accepted:
            # alternatives reorder the answer or leave out codes it marks optional
            assert set(key) <= set(case.answer) and len(set(key)) == len(key), case.id
            assert key[0] in case.answer, case.id
            for code in key:
                check = icd10cm.validate(code, case.date_of_service)
                assert check.valid, f"{case.id}: {code} {check.reason}"


@pytest.mark.parametrize("template", cases.TEMPLATES)
def test_every_generated_answer_and_alternative_scores_100(template):
    for seed in SEEDS:
        case = cases.generate(seed, template)
        for key in case.accepted:
            assert grade(case, list(key)).percent == 100.0, (case.id, key)


@pytest.mark.parametrize("template", cases.TEMPLATES)
def test_same_seed_same_case_and_different_seeds_vary(template):
    assert cases.generate(11, template) == cases.generate(11, template)
    made = [cases.generate(seed, template) for seed in SEEDS]
    assert len({c.id for c in made}) == len(made)
    assert len({c.note for c in made}) >= 150
    assert len({c.answer for c in made}) >= 8
    assert len({c.date_of_service for c in made}) >= 100


def test_without_a_template_the_seed_picks_one():
    made = {cases.generate(seed).topic for seed in range(60)}
    assert len(made) >= 5
    assert cases.generate(9) == cases.generate(9)


# The tables that turn slots into code characters are checked against the
# official descriptions of the codes they produce, read back from the code set.
def desc(code: str) -> str:
    return icd10cm.load(2026).get(code).description.lower()


def side_in_note(note: str) -> str:
    found = re.search(r"\b(right|left|both ears|bilateral)\b", note)
    return {"both ears": "bilateral"}.get(found.group(1), found.group(1))


@pytest.mark.parametrize("template", ["forearm_fracture", "ankle_sprain", "otitis_media"])
def test_laterality_in_the_code_matches_the_note(template):
    for seed in SEEDS:
        case = cases.generate(seed, template)
        injury = next(c for c in case.answer if c[0] in "SH")
        assert side_in_note(case.note) in desc(injury), case.id


@pytest.mark.parametrize("template", ["forearm_fracture", "ankle_sprain"])
def test_injury_seventh_characters_match_the_encounter_and_the_external_cause(template):
    for seed in SEEDS:
        case = cases.generate(seed, template)
        injury = next(c for c in case.answer if c.startswith("S"))
        cause = case.answer[-1]
        assert cause[0] == "W" and len(cause.replace(".", "")) == 7
        if "late effect" in case.note:
            assert "sequela" in desc(injury) and case.answer[0].startswith("M25.63")
        elif case.note.startswith(("Emergency", "Urgent")):
            assert "initial encounter" in desc(injury)
        else:
            assert "subsequent encounter" in desc(injury)
        expected = {"A": "A", "D": "D", "G": "D", "S": "S"}[injury[-1]]
        assert cause[-1] == expected, case.id


@pytest.mark.parametrize("template", ["diabetes_ckd", "hypertension_ckd"])
def test_ckd_stage_codes_match_the_documented_stage(template):
    for seed in SEEDS:
        case = cases.generate(seed, template)
        stage = next(c for c in case.answer if c.startswith("N18"))
        if "end-stage" in case.note.lower():
            assert stage == "N18.6" and "Z99.2" in case.answer
            documented = "ESRD"
        else:
            documented = re.search(r"chronic kidney disease stage (\w+)", case.note, re.I)[1]
            want = "stage 3 unspecified" if documented == "3" else f"stage {documented}"
            assert re.search(rf"\b{want}\b", desc(stage)), case.id
            assert "Z99.2" not in case.answer
        if template == "hypertension_ckd":
            assert case.answer[0] == ("I12.0" if documented in ("5", "ESRD") else "I12.9")


def test_diabetes_drug_codes_follow_the_treatment():
    drug_codes = {"insulin glargine": "Z79.4", "linagliptin": "Z79.84", "semaglutide": "Z79.85"}
    for seed in SEEDS:
        case = cases.generate(seed, "diabetes_ckd")
        assert case.answer[0] == "E11.22"
        wanted = {z for word, z in drug_codes.items() if word in case.note}
        assert {c for c in case.answer if c.startswith("Z79")} == wanted, case.id


def test_heart_failure_type_and_acuity_match_the_note():
    for seed in SEEDS:
        case = cases.generate(seed, "hypertensive_heart_failure")
        hf = desc(case.answer[1])
        note = case.note.lower()
        if "combined" in note:
            assert "combined" in hf
        elif "systolic" in note or "hfref" in note:
            assert "systolic" in hf and "combined" not in hf
        else:
            assert "diastolic" in hf and "combined" not in hf
        acuity = re.search(r"assessment: (acute on chronic|acute|chronic)", note).group(1)
        assert hf.startswith(acuity), case.id
        if "kidney" in note or "renal" in note:
            late = "stage 5" in note or "end-stage" in note
            assert case.answer[0] == ("I13.2" if late else "I13.0"), case.id
        else:
            assert case.answer == ("I11.0", case.answer[1]), case.id


@pytest.mark.parametrize("template", ["prenatal_visit", "gestational_diabetes"])
def test_weeks_and_trimester_match_the_note(template):
    for seed in SEEDS:
        case = cases.generate(seed, template)
        weeks = int(re.search(r"at (\d+) weeks \d+ days?", case.note)[1])
        assert desc(case.answer[-1]) == f"{weeks} weeks gestation of pregnancy"
        if template == "prenatal_visit":
            trimester = "first" if weeks < 14 else "second" if weeks < 28 else "third"
            assert desc(case.answer[0]).endswith(f"{trimester} trimester"), case.id
            first = "G1P" in case.note
            named = desc(case.answer[0])
            assert ("first pregnancy" in named or "primigravida" in named) == first, case.id
            assert case.answer[0].startswith("O09.5" if case.age >= 35 else "Z34")
        else:
            assert case.answer[0].startswith("O24.41")
            assert not any(c.startswith("Z79") for c in case.answer)


def test_colonoscopy_screening_first_and_symptoms_for_diagnostic():
    for seed in SEEDS:
        case = cases.generate(seed, "colonoscopy")
        screening = "screening colonoscopy" in case.note
        assert (case.answer[0] == "Z12.11") == screening, case.id
        assert ("Z80.0" in case.answer) == ("colon cancer" in case.note)
        assert ("K63.5" in case.answer) == ("polyp" in case.note)


def test_uncertain_diagnoses_are_coded_as_symptoms():
    for seed in SEEDS:
        case = cases.generate(seed, "uncertain_diagnosis")
        assert all(code.startswith("R") for code in case.answer), case.id
        assert not case.sequence_matters


# -- the shipped cases, once the file exists ----------------------------------
def _shipped() -> tuple[tuple[Case, ...], str]:
    try:
        return cases.load_cases(), ""
    except (ValueError, KeyError, TypeError) as exc:
        return (), f"{type(exc).__name__}: {exc}"


SHIPPED, SHIPPED_ERROR = _shipped()


def test_shipped_cases_file_loads():
    assert cases.cases_path().is_file(), "datasets/cases/cases.json is missing"
    assert not SHIPPED_ERROR
    assert SHIPPED, "cases.json is present but holds no cases"
    assert len({c.id for c in SHIPPED}) == len(SHIPPED)


@pytest.mark.parametrize("case", SHIPPED, ids=lambda c: c.id)
def test_every_shipped_case_is_valid_and_its_answer_scores_100(case):
    assert FY2026[0] <= case.date_of_service <= FY2026[1]
    assert case.note and case.title and case.topic
    for key in case.accepted:
        for code in key:
            check = icd10cm.validate(code, case.date_of_service)
            assert check.valid, f"{case.id}: {code} {check.reason}"
        assert grade(case, list(key)).percent == 100.0, key
