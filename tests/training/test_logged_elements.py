"""Each assignment's hidden tests log their graded elements, and the elements add up.

The notebook is run in process with the model answers and with the demo's partly right
answers (``notebook_scoring``), ``element_log.log`` replaced by a recorder: every
graded cell must log rows whose points agree with the cell's, each of a known topic.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import nbformat
import pytest
from notebook_scoring import graded_cells, meta

from medbill_lab.training import assignments, coding_assignment, course, element_log

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
