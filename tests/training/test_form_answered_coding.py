"""The coding assignments answered on forms (issue 15, part 3): ICD-10-CM coding, inpatient
coding, terminology, E/M leveling, and modifiers/NCCI.

Each answer cell is a ``%%answers`` form (codes as typed in an encoder, letters, Y/N,
line numbers) that the assignment's module maps to the structure its grader always took,
so the partial credit is unchanged.  These tests check that each form reads a course's
model answer back as its key, read a few answers at their edges, and grade one real
course through nbgrader (``course.grade``): the correct, partly right and blank samples
score full, between and zero, the partly right one cell by cell as the same notebook
scores in process.  ICD-10-CM coding and terminology go through nbgrader in the course
demo's tests (``tests/e2e/test_course.py``, the demo's default assignments), so the
course here holds the other three (about 20 s of kernels on two idle cores).
"""

from __future__ import annotations

import ast
import html
import random
import re

import nbformat
import pytest
from graded_course import cell_scores, graded_course

from medbill_lab.training import answer_forms as af
from medbill_lab.training import coding_assignment, course
from medbill_lab.training.assignments import em_leveling, inpatient_drg, modifier_ncci
from medbill_lab.training.assignments import icd10cm_coding as icd_form
from medbill_lab.training.assignments import terminology as terms

# graded through nbgrader here (the demo's tests grade icd10cm_coding and terminology)
GRADED = ("inpatient_drg", "em_leveling", "modifier_ncci")
SAMPLES = {"student01": "correct", "student02": "partial", "student03": "blank"}
SOLUTION = "### BEGIN SOLUTION"


# -- each form reads the model answer as the key -----------------------------------------------------
@pytest.mark.parametrize("seed", [0, "course B"])
def test_the_coding_form_reads_each_cases_codes_in_order(seed):
    cases = coding_assignment.draw_cases(random.Random(seed))
    nb = coding_assignment.build_notebook(cases)
    solution = course.solutions(nb)["answers"]
    assert solution.startswith(f"{icd_form.MAGIC}\n") and "answers = {" not in solution
    read = af.parse(icd_form.FORM, solution)
    assert read.problems() == []
    for i, case in enumerate(cases, 1):
        assert icd_form.codes(read, i) == list(case.answer)
    assert coding_assignment.answer_key(solution) == {
        f"case {i}": ", ".join(c.answer) for i, c in enumerate(cases, 1)
    }
    assert icd_form.typed(read, len(cases) + 1) == ""  # a case the course does not have


@pytest.mark.parametrize("seed", [0, "course B"])
def test_the_inpatient_abstract_reads_as_the_graders_dict(seed):
    values = inpatient_drg.draw(random.Random(seed))
    read = af.parse(inpatient_drg.FORM, values["solution"])
    assert read.problems() == []
    mapped = inpatient_drg.answers_from(read)
    for i in range(1, inpatient_drg.N_CASES + 1):
        key = ast.literal_eval(values[f"case_{i}_key"])
        case = inpatient_drg.inpatient.InpatientCase.from_dict(
            {k: v for k, v in key.items() if k != "case"}
        )
        assert mapped[f"case {i}"] == inpatient_drg._coded(case)


def test_the_inpatient_secondaries_read_with_a_space_or_a_colon_before_the_poa():
    text = (
        "Case 1 principal diagnosis: j18.9\n"
        "Case 1 secondary diagnoses: E87.1 n; I48.91:Y,  Z79.01 ,\n"
        "Case 1 ICD-10-PCS procedures: 0dtj4zz 0FT44ZZ"
    )
    read = inpatient_drg.answers_from(af.parse(inpatient_drg.FORM, text))
    assert read["case 1"] == {
        "principal": "J18.9",
        "secondary": ["E87.1:N", "I48.91:Y", "Z79.01"],
        "procedures": ["0DTJ4ZZ", "0FT44ZZ"],
    }
    assert read["case 2"] == {}  # a stay left blank scores 0, as an empty dict did
    key = {"case": "case 2", "age": 70, "sex": "F", "discharge_status": "01",
           "discharge_date": "2026-03-01"}  # fmt: skip
    with pytest.raises(AssertionError, match="on the form above"):
        inpatient_drg.self_check(af.parse(inpatient_drg.FORM, text), key)


@pytest.mark.parametrize("seed", [0, "course B"])
def test_the_terminology_forms_read_as_the_key(seed):
    values = terms.draw(random.Random(seed))
    items = ast.literal_eval(values["forms"])
    terms.register_forms(items)
    read = {
        q: af.parse(af.form(f"terminology:{q}"), values[f"{q}_solution"]) for q in terms.QUESTIONS
    }
    assert all(r.problems() == [] for r in read.values())
    key = {q: ast.literal_eval(values[f"{q}_key"]) for q in ("q1", "q2", "q3", "q4")}
    assert list(terms.given(read["q1"], "q1")) == list(key["q1"]) == items["q1"]
    assert terms.given(read["q2"], "q2") == key["q2"]
    assert terms.given(read["q4"], "q4") == key["q4"]
    for q, points in (("q1", 2), ("q2", 3), ("q3", 2)):
        scorer = {"q1": terms.score_meanings, "q2": terms.score_splits, "q3": terms.score_built}
        assert scorer[q](read[q], key[q], points).points == points, q
    assert terms.score_function(read["q4"], key["q4"], 2).points == 2


def test_a_terminology_split_reads_with_commas_or_spaces_and_a_blank_mark_is_wrong():
    items = {"q2": ["pericarditis"], "q4": ["Appendectomy", "gastritis"]}
    terms.register_forms(items)
    split = af.parse(af.form("terminology:q2"), "pericarditis: peri- cardi/o, -itis")
    assert terms.given(split, "q2") == {"pericarditis": ["peri-", "cardi/o", "-itis"]}
    marks = af.parse(af.form("terminology:q4"), "appendectomy: y\ngastritis:")
    assert terms.missing(marks) == ["gastritis"]
    key = {"Appendectomy": True, "gastritis": False}
    assert terms.score_function(marks, key, 2).points == 0  # all or nothing: one left blank
    done = af.parse(af.form("terminology:q4"), "appendectomy: y\ngastritis: n")
    assert terms.score_function(done, key, 2).points == 2


@pytest.mark.parametrize("seed", [0, "course B"])
def test_the_em_forms_read_as_the_calculators_code_and_levels(seed):
    values = em_leveling.draw(random.Random(seed))
    for n in range(1, em_leveling.N_VISITS + 1):
        read = af.parse(em_leveling.FORMS[f"v{n}"], values[f"v{n}_solution"])
        assert read.problems() == []
        result = em_leveling.expected(ast.literal_eval(values[f"v{n}_key"]))
        answer = em_leveling.answer_of(read)
        if n in em_leveling.WITH_ELEMENTS:
            assert answer == {"code": result.code, **{e.name: e.word for e in result.elements}}
            assert (
                em_leveling.grade(ast.literal_eval(values[f"v{n}_key"]), read["code"], read).points
                == 5
            )
        else:
            assert answer == result.code


def test_an_em_form_is_graded_element_by_element_as_the_dict_was():
    spec = {"new_patient": False, "problems": [["stable chronic illness", "a"]] * 2,
            "data": {"tests_reviewed": 2}, "risk": ["prescription drug management"],
            "minutes": None}  # fmt: skip
    right = em_leveling.expected(spec)
    words = {e.name: e.word for e in right.elements}
    form = af.parse(
        em_leveling.FORMS["v1"],
        f"Vignette 1 code: {right.code}\nVignette 1 problems addressed: {words['problems']}\n"
        "Vignette 1 data reviewed and analyzed: lots\n"
        f"Vignette 1 risk of patient management: {words['risk']}",
    )
    as_dict = {"code": right.code, **words, "data": "lots"}
    by_form = em_leveling.grade(spec, form["code"], form)
    assert by_form.points == em_leveling.grade(spec, right.code, as_dict).points == 4
    assert "would score 0" in em_leveling.self_check(1, form, elements=True)
    blank = af.parse(em_leveling.FORMS["v3"], "")
    assert em_leveling.grade(spec, blank).points == 0
    with pytest.raises(AssertionError, match="office visit code"):
        em_leveling.self_check(3, blank)


@pytest.mark.parametrize("seed", [0, "course B"])
def test_the_modifier_forms_read_as_the_keys(seed):
    values = modifier_ncci.draw(random.Random(seed))
    read = {
        q: af.parse(modifier_ncci.FORMS[q], values[f"{q}_solution"]) for q in modifier_ncci.FORMS
    }
    assert all(r.problems() == [] for r in read.values())
    q1 = ast.literal_eval(values["q1_key"])
    assert modifier_ncci.plain(read["q1"], "q1") == {"line": q1["line"], "modifier": q1["best"]}
    for q in ("q2", "q3", "q5"):
        assert modifier_ncci.plain(read[q], q) == ast.literal_eval(values[f"{q}_key"]), q
    letter, _why = ast.literal_eval(f"({values['q4_key']})")
    assert modifier_ncci.plain(read["q4"], "q4") == letter


def test_a_modifier_form_takes_words_and_flags_what_it_cannot_read():
    q5 = af.parse(modifier_ncci.FORMS["q5"], "Visit a: none\nVisit b: line 2\nVisit c: 3")
    assert modifier_ncci.plain(q5, "q5") == {"a": 0, "b": 2, "c": None}
    assert q5.problems() == ["Visit c line that gets 25: 3 is not one of the choices (0, 1, 2)"]
    q1 = af.parse(modifier_ncci.FORMS["q1"], "Question 1 line: 2\nQuestion 1 modifier: 59")
    assert modifier_ncci.plain(q1, "q1") == {"line": 2, "modifier": "59"}
    assert (
        modifier_ncci.score_choice(af.parse(modifier_ncci.FORMS["q4"], ""), "b", "why").points == 0
    )


# -- graded by nbgrader, through the course ----------------------------------------------------------
@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """One course with three of the assignments: released, three sample students handed in
    (correct, partly right, blank), autograded by ``course.grade``; feedback for one."""
    root = tmp_path_factory.mktemp("coding-forms") / "course"
    # one assignment's feedback is enough
    return graded_course(root, GRADED, SAMPLES, feedback=("modifier_ncci",))


def _cells(root, name: str, student: str) -> dict[str, tuple[float, float]]:
    """Each autograded cell's (score, points) for one submission (the written question an
    instructor grades by hand is left out)."""
    return cell_scores(root, name, student, autograded_only=True)


def _answer_cells(path) -> list[str]:
    nb = nbformat.read(path, 4)
    return [c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]


@pytest.mark.parametrize("name", GRADED)
def test_the_released_forms_are_blank_and_the_samples_handed_in_are_plain_text(graded, name):
    released = [s for s in _answer_cells(graded / "release" / name / f"{name}.ipynb") if "%%" in s]
    assert released and all(s.startswith("%%answers ") for s in released)
    assert not any("NotImplementedError" in s or SOLUTION in s for s in released)
    for student in SAMPLES:
        typed = _answer_cells(graded / "submitted" / student / name / f"{name}.ipynb")
        forms_typed = [s for s in typed if s.startswith("%%answers")]
        assert len(forms_typed) == len(released), student
        assert not any(" = {" in s or "def " in s for s in forms_typed), student


@pytest.mark.parametrize("name", GRADED)
def test_nbgrader_scores_the_correct_form_full_the_partial_between_and_the_blank_zero(graded, name):
    full, part, blank = (_cells(graded, name, s) for s in SAMPLES)
    auto = {k for k, (_, top) in full.items()}
    assert auto and all(score == top for score, top in full.values()), full
    assert all(score == 0 for score, _ in blank.values()), blank
    earned = sum(score for score, _ in part.values())
    assert 0 < earned < sum(top for _, top in part.values()), part
    # the partly right sample is graded element by element, as before the forms
    expected = _in_process(graded, name)
    assert {k: part[k][0] for k in expected} == pytest.approx(expected)


def _in_process(root, name: str) -> dict[str, float]:
    """The partly right sample's cell scores, from the same notebook run in this process."""
    from notebook_scoring import scores

    source = nbformat.read(root / "source" / name / f"{name}.ipynb", 4)
    answers = course._partial_answers(name, course.solutions(source))
    return scores(source, answers)


def _page_text(root, student: str, name: str) -> str:
    """A feedback page's text as a student reads it: styles, scripts and tags left out."""
    page = (root / "feedback" / student / name / f"{name}.html").read_text("utf-8")
    page = re.sub(r"<(style|script)\b.*?</\1>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_the_feedback_shows_each_question_in_plain_words_and_no_code(graded):
    name = "modifier_ncci"
    for student in SAMPLES:
        page = _page_text(graded, student, name)
        for code in ("BEGIN HIDDEN", "_ncci.", "plain(", "score_", "import ", "scrubber."):
            assert code not in page, (student, code)
        assert "Checked: Question 1: one pair, one story (2 points)" in page
        assert "Checked: Question 5: where 25 goes (2 points)" in page
        assert "%%answers modifier_ncci:q1 q1" in page  # the student's own form stays
    partial = _page_text(graded, "student02", name)
    assert "59 gets it paid, but" in partial  # the grader's explanation of the 1 of 2 points
    blank = _page_text(graded, "student03", name)
    assert "Not passed: Question 1: give the line, 1 or 2" in blank
