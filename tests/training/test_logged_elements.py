"""Each assignment's hidden tests log their graded elements, and the elements add up.

The notebook is run in process with the model answers and with the demo's partly right
answers (``notebook_scoring``), ``element_log.log`` replaced by a recorder: every
graded cell must log rows whose points agree with the cell's, each of a known topic.
"""

from __future__ import annotations

import ast
import datetime as dt
import random
import re
from decimal import Decimal
from pathlib import Path

import nbformat
import pytest
from notebook_scoring import graded_cells, meta

from medbill_lab.training import (
    assignments,
    coding_assignment,
    course,
    course_report,
    element_log,
)

ROOT = Path(__file__).resolve().parents[2]
# assignments whose scorer lists its elements
LOGGED = (
    "terminology",
    "modifier_ncci",
    "em_leveling",
    "post_835",
    "denial_queue",
    "ar_aging",
    "deidentify_notes",
    "inpatient_drg",
    "cms1500_completion",
    "ub04_completion",
)


def _source(name: str) -> nbformat.NotebookNode:
    template = nbformat.read(ROOT / "exercises" / name / f"{name}.ipynb", 4)
    return assignments.fill(template, assignments.module(name).draw(random.Random(f"log {name}")))


def _run(nb, answers, monkeypatch) -> tuple[dict, dict[str, list[dict]]]:
    """(cell -> Graded, cell -> the rows it logged)."""
    logged: dict[str, list[dict]] = {}

    def record(tagged):
        grade_id, score = tagged
        logged.setdefault(grade_id, []).extend(element_log.elements_of(score))

    monkeypatch.setattr(element_log, "log", record)
    # each call names its cell for the recorder: _log(x) -> _log(("<grade id>", x))
    tagged = nbformat.from_dict(nb)
    for cell in tagged.cells:
        if cell.cell_type == "code" and "_log(" in cell.source:
            grade_id = meta(cell)["grade_id"]
            cell.source = re.sub(r"\b_log\((\w+)\)", rf'_log(("{grade_id}", \1))', cell.source)
    return graded_cells(tagged, answers), logged


def _check_rows(graded, logged, full: bool) -> None:
    assert logged, "no cell logged its elements"
    for grade_id, rows in logged.items():
        assert rows, grade_id
        assert all(r["topic"] in element_log.TOPICS for r in rows), rows
        top = sum(r["max"] for r in rows)
        got = sum(r["earned"] for r in rows)
        if full:
            assert got == pytest.approx(top), (grade_id, rows)
        # the elements earn in proportion to the cell (all-or-nothing cells aside)
        cell = graded[grade_id]
        if cell.points and top:
            assert got > 0, (grade_id, rows)


@pytest.mark.parametrize("name", LOGGED)
def test_every_graded_cell_logs_elements_that_agree_with_its_points(name, monkeypatch):
    nb = _source(name)
    logging_cells = {meta(c)["grade_id"] for c in nb.cells if "_log(" in c.source}
    tests = {
        meta(c)["grade_id"] for c in nb.cells if meta(c).get("grade") and c.cell_type == "code"
    }
    assert logging_cells == {t for t in tests if not meta_solution(nb, t)}
    graded, logged = _run(nb, None, monkeypatch)
    assert set(logged) == logging_cells
    _check_rows(graded, logged, full=True)
    partial = course._partial_answers(name, course.solutions(nb))
    graded, logged = _run(nb, partial, monkeypatch)
    _check_rows(graded, logged, full=False)
    wrong = [r for rows in logged.values() for r in rows if r["earned"] < r["max"]]
    assert wrong, "the partly right answers lose points on some element"


def meta_solution(nb, grade_id: str) -> bool:
    return any(meta(c).get("grade_id") == grade_id and meta(c).get("solution") for c in nb.cells)


def test_the_coding_cases_log_each_code_expected_and_given(monkeypatch):
    cases = coding_assignment.draw_cases(random.Random("log coding"), 3)
    nb = coding_assignment.build_notebook(cases)
    first = cases[0].answer[0]
    wrong = "Z00.00" if first != "Z00.00" else "Z00.01"
    answers = {"answers": f"answers = {{'case 1': '{wrong}', 'case 2': '', 'case 3': ''}}"}
    _, logged = _run(nb, answers, monkeypatch)
    rows = logged["test_case_1"]
    assert rows[0]["element"] == first and rows[0]["expected"] == first
    assert rows[0]["earned"] < rows[0]["max"]
    assert all(r["topic"] == "diagnosis coding" for rows in logged.values() for r in rows)
    _, logged = _run(nb, None, monkeypatch)
    for rows in logged.values():
        assert sum(r["earned"] for r in rows) == pytest.approx(sum(r["max"] for r in rows))


# -- the two claim forms: one element per box or form locator ---------------------------------
def _form_course(name: str) -> tuple[nbformat.NotebookNode, dict, dict[str, float]]:
    """The assignment filled for one course, its key claim, and each part cell's points."""
    values = assignments.module(name).draw(random.Random(f"boxes {name}"))
    template = nbformat.read(ROOT / "exercises" / name / f"{name}.ipynb", 4)
    nb = assignments.fill(template, values)
    points = {
        meta(c)["grade_id"]: float(meta(c)["points"]) for c in nb.cells if "_log(" in c.source
    }
    return nb, ast.literal_eval(values["key"]), points


def _slips(name: str, key: dict) -> dict[str, tuple[str, str]]:
    """The boxes the demo's partly right answer (``partial``) gets wrong: element ->
    (expected, given), read off the key by what ``partial`` changes."""
    if name == "cms1500_completion":
        n, last = len(key["lines"]), key["lines"][-1]
        extra = "R50.9" if "R50.9" not in key["diagnoses"] else "R51.9"
        who = key["insured"] or key["patient"]  # an "e" added to the first name
        name, typo = (f"{who['last']}, {who['first']}{e} {who['middle']}".strip() for e in "-e")
        more = f"{Decimal(key['total_charge']) + 9:.2f}"
        return {
            "Item 4" if key["insured"] else "Item 2": (name.replace("-", ""), typo),
            "Item 11": (key["insured_group"], ""),  # the group number left off
            f"Item 24F line {n}": (last["charge"], f"{Decimal(last['charge']) + 9:.2f}"),
            "Item 27": ("Y", "N"),
            "Item 28": (key["total_charge"], more),
            "Item 21 extra": ("", extra),
        }
    hour, room = key["discharge_hour"], key["lines"][0]
    born = dt.date.fromisoformat(key["patient"]["dob"])
    marked = [d for d in key["other_diagnoses"] if d["poa"]]  # the first POA left blank
    poa = (
        {f"FL 67A-Q {marked[0]['code']} POA": (marked[0]["poa"], "blank (exempt)")}
        if marked
        else {"FL 69": (key["admitting_diagnosis"], "")}
    )
    return {
        "FL 16": (hour, f"{(int(hour) + 2) % 24:02d}"),
        "FL 10": (str(born), str(born.replace(day=1 if born.day != 1 else 2))),
        f"FL 46 {room['revenue_code']}": (str(room["units"]), str(int(room["units"]) + 1)),
        **poa,
    }


def _agree(graded, logged, points: dict[str, float]) -> list[dict]:
    """Each part's rows: their maxima add up to the cell's points and their points to what
    the cell earned.  All the rows, in order."""
    assert set(logged) == set(graded) == set(points)
    for grade_id, rows in logged.items():
        assert sum(r["max"] for r in rows) == pytest.approx(points[grade_id], abs=1e-4)
        assert sum(r["earned"] for r in rows) == pytest.approx(graded[grade_id].points, abs=0.01)
    return [r for rows in logged.values() for r in rows]


@pytest.mark.parametrize("name", ["cms1500_completion", "ub04_completion"])
def test_the_claim_forms_log_each_box_with_the_key_and_the_given_value(name, monkeypatch):
    nb, key, points = _form_course(name)
    slips = _slips(name, key)
    # the model answer: every box right, with its key's value given
    rows = _agree(*_run(nb, None, monkeypatch), points)
    assert len(rows) > 30 and all(r["earned"] == r["max"] > 0 for r in rows)
    assert all(r["expected"] == r["given"] for r in rows)
    by_name = {r["element"]: r for r in rows}
    for element, (expected, _) in slips.items():
        assert element.endswith("extra") or by_name[element]["expected"] == expected
    codes = {r["expected"] for r in rows if r["topic"] == "diagnosis coding"}
    first = key["diagnoses"][0] if "diagnoses" in key else key["principal_diagnosis"]["code"]
    assert first in codes
    # the demo's partly right answer: its slips, and only they, lose points
    partial = course._partial_answers(name, course.solutions(nb))
    graded, logged = _run(nb, partial, monkeypatch)
    rows = _agree(graded, logged, points)
    wrong = {r["element"]: (r["expected"], r["given"]) for r in rows if r["earned"] < r["max"]}
    assert wrong == slips
    assert sum(g.points for g in graded.values()) < sum(points.values())
    # a blank form: each part is one element, no points, saying why
    rows = _agree(*_run(nb, {}, monkeypatch), points)
    assert {(r["given"], r["earned"]) for r in rows} == {("a blank form", 0.0)}


def test_a_wrong_box_reaches_the_class_reports_wrong_answers(monkeypatch):
    name = "cms1500_completion"
    nb, key, points = _form_course(name)
    partial = course._partial_answers(name, course.solutions(nb))
    graded, logged = _run(nb, partial, monkeypatch)
    # two students' autograded notebooks, as the report reads them back
    cells = [
        {"cell_type": "code", "metadata": {"nbgrader": {"grade_id": g}},
         "outputs": [{"output_type": "display_data", "data": element_log.payload(rows)}]}
        for g, rows in logged.items()
    ]  # fmt: skip
    logs = {s: element_log.read_notebook({"cells": cells}) for s in ("s1", "s2")}
    grades = [
        course_report._Grade(s, name, g, graded[g].points, points[g]) for s in logs for g in graded
    ]
    found = course_report._element_rows(name, grades, logs)
    wrong = {w.element: w for w in course_report._wrong(name, found, {})}
    group = key["insured_group"]
    assert wrong["Item 11"].text == f"(blank) instead of {group}: 2 students"
    assert (wrong["Item 27"].expected, wrong["Item 27"].given) == ("Y", "N")
    mastery = {m.topic for m in course_report._mastery(found)}
    assert {"CMS-1500 boxes", "diagnosis coding", "procedure coding", "modifiers"} <= mastery


def test_a_form_that_makes_no_claim_or_loses_more_than_it_earns_logs_what_it_scored():
    from medbill_lab.training import answer_forms
    from medbill_lab.training.assignments import cms1500_completion as cms

    _, key, _ = _form_course("cms1500_completion")
    # one box filled: the claim does not load, and the part's one element says why
    form = answer_forms.parse(cms.FORM, "Item 1 Program (x): group\n")
    score = cms.score_part(form, key, "patient")
    (row,) = score.element_rows()
    assert score.points == row["earned"] == 0 and row["max"] == 4
    assert row["given"].startswith("a claim that does not load (Item 1a")
    # twelve codes the key does not have: the penalties exceed the part, which scores 0,
    # and its rows add up to 0 (a penalty takes only what there is), each extra code listed
    wrong = ["Z00.00", "Z01.00", "Z02.0", "Z02.1", "Z02.2", "Z02.3", "Z02.4", "Z02.5",
             "Z02.6", "Z02.71", "Z02.79", "Z02.81"]  # fmt: skip
    given = {**key, "diagnoses": wrong}
    score = cms.score_part(given, key, "diagnoses")
    rows = score.element_rows()
    assert score.points == 0 and sum(r["earned"] for r in rows) == pytest.approx(0, abs=1e-3)
    extras = [r for r in rows if r["element"] == "Item 21 extra"]
    assert [r["given"] for r in extras] == wrong and all(r["earned"] <= 0 for r in extras)
    assert sum(r["max"] for r in rows) == pytest.approx(4)


def test_a_surgical_mark_is_logged_as_the_y_or_n_the_student_typed():
    # The class report shows "N instead of Y", as the form reads, never "False instead of True".
    from medbill_lab.training.assignments import terminology

    key = {"appendectomy": True, "cardiomegaly": False}
    marks = {"appendectomy": False, "cardiomegaly": False}
    rows = terminology.score_function(marks.get, key, points=2).element_rows()
    assert {r["element"]: (r["expected"], r["given"]) for r in rows} == {
        "appendectomy": ("Y", "N"),
        "cardiomegaly": ("N", "N"),
    }
