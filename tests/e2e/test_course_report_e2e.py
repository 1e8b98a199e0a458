"""The class report on a real course: ``course init``, two submissions of icd10cm_coding
autograded by nbgrader (kernels and all), then ``course report --json``.

Only the coding assignment is copied into the course (``MEDBILL_LAB_EXERCISES``), so
init draws one assignment instead of twelve.
"""

from __future__ import annotations

import json
import shutil

import pytest

from medbill_lab.cli.app import main
from medbill_lab.training import coding_assignment, course

pytestmark = pytest.mark.slow  # init, one generate_assignment and two autogrades: ~20 s


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    exercises = tmp_path_factory.mktemp("exercises")
    shutil.copytree(course.exercises_dir() / "icd10cm_coding", exercises / "icd10cm_coding")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MEDBILL_LAB_EXERCISES", str(exercises))
        root = course.init_course(tmp_path_factory.mktemp("course") / "c")
        with course._quiet_nbgrader():
            api = course.nbgrader_api(root)
            course._check(api.generate_assignment("icd10cm_coding", force=True), "generate")
            scenarios = {"student01": "correct", "student02": "partial"}
            course.write_sample_submissions(root, ["icd10cm_coding"], scenarios)
            assert not course.autograde_all(api, root, "icd10cm_coding", lambda _m: None)
    return root


def test_the_report_shows_the_elements_the_autograded_notebooks_logged(graded, capsys):
    assert main(["course", "report", str(graded), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    cases = coding_assignment.cases_in(
        coding_assignment.nbformat.read(graded / "source/icd10cm_coding/icd10cm_coding.ipynb", 4)
    )
    elements = {(e["item"], e["element"]): e for e in data["elements"]}
    # every code of every case, and its sequence, is an element, with the course's answer
    for i, case in enumerate(cases, 1):
        for code in case.answer:
            row = elements[(f"test_case_{i}", code)]
            assert row["expected"] == code and row["topic"] == "diagnosis coding"
        assert (f"test_case_{i}", "sequence") in elements
    # the partly right sample left a code off a case of two: a wrong answer of that element
    partial = course._partial_answers(
        "icd10cm_coding",
        course.solutions(
            coding_assignment.nbformat.read(
                graded / "source/icd10cm_coding/icd10cm_coding.ipynb", 4
            )
        ),
    )
    given = coding_assignment.answer_key(partial["answers"])
    short = next(i for i, c in enumerate(cases, 1) if len(c.answer) > 1)
    assert given[f"case {short}"] == cases[short - 1].answer[0]
    missed = cases[short - 1].answer[1]
    texts = [w["text"] for w in data["wrong_answers"] if w["element"] == missed]
    assert texts == [f"(blank) instead of {missed}: 1 student"]
    # the gradebook side: two graded students, the correct one full on every case
    (summary,) = data["assignments"]
    assert summary["submissions"] == 2
    assert data["mastery"]["student01"]["diagnosis coding"] == 1.0
    assert 0 < data["mastery"]["student02"]["diagnosis coding"] < 1
    # the written answer waits for the instructor: not an item until it is graded
    assert "explain_case" not in {i["item"] for i in data["items"]}
