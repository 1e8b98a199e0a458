"""A simulated nbgrader course with many graded submissions and PLANTED patterns, built fast.

No kernel runs: the gradebook is written with nbgrader's Gradebook API and each
student's autograded notebook as notebook JSON, its grade cells holding the outputs a
hidden test's ``element_log.log`` call would leave.  36 students of evenly spread
ability (``s01`` weakest ... ``s36`` strongest), three assignments, and these patterns
for the class report to find:

* ``icd10cm_coding/test_case_1``: 14 students give E11.9 for E11.22 (the element's
  top wrong answer, 14 students); 3 give E11.21;
* ``icd10cm_coding/test_case_3``: nobody earns a point (difficulty 0);
* ``icd10cm_coding/test_case_4``: the weaker half gets it right, the stronger half
  wrong (negative discrimination); the other cases follow ability (positive);
* :data:`WEAK_IN_MODIFIERS` (strong otherwise) misses every modifier element and
  the cell with no elements of ``modifier_ncci`` (whose topic is modifiers);
* :data:`ABSENT` hands in no ``modifier_ncci`` (not counted as 0);
* ``fraud_schemes`` logs no elements (its cells count under compliance/privacy);
* ``terminology`` is in the gradebook with no submission.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from medbill_lab.training import course, element_log

STUDENTS = [f"s{i:02d}" for i in range(1, 37)]
WEAK_IN_MODIFIERS = "s33"
ABSENT = "s05"
E11_9 = set(STUDENTS[:14])  # the 14 weakest give E11.9 for E11.22
E11_21 = set(STUDENTS[20:23])

# assignment -> [(grade cell, points)]
CELLS = {
    "icd10cm_coding": [(f"test_case_{i}", 3.0) for i in range(1, 7)],
    "modifier_ncci": [
        ("q1_modifier_test", 2.0),
        ("q2_ncci_test", 2.0),
        ("q3_modifier_test", 2.0),
        ("q4_written_test", 2.0),
    ],
    "fraud_schemes": [("q1_duplicates_test", 2.0), ("q2_upcoding_test", 2.0)],
}
EMPTY = "terminology"


def ability(student: str) -> float:
    """From 1/72 (s01) to 71/72 (s36)."""
    return (STUDENTS.index(student) + 0.5) / len(STUDENTS)


def _el(name, topic, expected, given, ok, points, partial=0.0):
    earned = points if ok else partial
    return element_log.element(name, topic, expected, given, earned, points)


def _coding(student: str, rng: random.Random) -> dict[str, list[dict]]:
    a, dx = ability(student), "diagnosis coding"
    if student in E11_9:
        first = _el("E11.22", dx, "E11.22", "E11.9", False, 2, 1)
    elif student in E11_21:
        first = _el("E11.22", dx, "E11.22", "E11.21", False, 2, 1)
    else:
        first = _el("E11.22", dx, "E11.22", "E11.22", True, 2)
    ok = a > 0.3
    second = _el("N18.31", dx, "N18.31", "N18.31" if ok else "N18.30", ok, 2, 1)
    case1 = [first, second, _el("sequence", dx, "E11.22, N18.31", "", first["earned"] > 0, 1)]
    ok1, ok2 = a > 0.25 or rng.random() < 0.2, a > 0.5 or rng.random() < 0.2
    case2 = [
        _el("I11.0", dx, "I11.0", "I11.0" if ok1 else "I10", ok1, 2),
        _el("I50.22", dx, "I50.22", "I50.22" if ok2 else "I50.9", ok2, 2, 1),
        _el("sequence", dx, "I11.0, I50.22", "", ok1, 1),
    ]
    case3 = [  # nobody: the 7th character left off
        _el("S52.521A", dx, "S52.521A", "S52.521", False, 2),
        _el("sequence", dx, "S52.521A", "S52.521", False, 1),
    ]
    weak_half = a < 0.5
    case4 = [_el("Z34.81", dx, "Z34.81", "Z34.81" if weak_half else "Z34.91", weak_half, 2)]
    case5 = [_el("J45.909", dx, "J45.909", "J45.909" if a > 0.4 else "J45.90", a > 0.4, 2)]
    case6 = [_el("K21.9", dx, "K21.9", "K21.9" if a > 0.6 else "K21.0", a > 0.6, 2)]
    cases = (case1, case2, case3, case4, case5, case6)
    return {f"test_case_{i}": rows for i, rows in enumerate(cases, 1)}


def _modifiers(student: str, rng: random.Random) -> dict[str, list[dict]]:
    a, weak = ability(student), student == WEAK_IN_MODIFIERS
    ok1 = not weak and rng.random() < a + 0.5
    ok2 = rng.random() < a + 0.2
    ok3 = not weak and rng.random() < a + 0.5
    return {
        "q1_modifier_test": [_el("99213", "modifiers", "25", "25" if ok1 else "59", ok1, 1)],
        "q2_ncci_test": [
            _el("20611 with 20610", "NCCI", "do not bill 20610", "bill both", ok2, 1),
        ],
        "q3_modifier_test": [_el("27447", "modifiers", "RT", "RT" if ok3 else "LT", ok3, 1)],
    }


def _cell_score(rows: list[dict], points: float, fallback: float) -> float:
    """The cell's points: its points x the share of its elements' points (as the graders)."""
    if not rows:
        return fallback
    top = sum(r["max"] for r in rows)
    return round(points * max(0.0, sum(r["earned"] for r in rows)) / top, 2) if top else 0.0


def _notebook(cells: list[tuple[str, float]], logs: dict[str, list[dict]]) -> dict:
    """An autograded notebook's JSON: each grade cell with its printout and its logged rows.

    Plain dicts, written with json: nbformat validates every output it makes, most of
    the time of building a class of 36.  (One is validated in the tests.)
    """
    out = []
    for i, (grade_id, points) in enumerate(cells):
        outputs = [{"output_type": "stream", "name": "stdout", "text": "graded\n"}]
        if logs.get(grade_id):
            data = element_log.payload(logs[grade_id])
            outputs.append({"output_type": "display_data", "data": data, "metadata": {}})
        meta = {"nbgrader": {"grade": True, "grade_id": grade_id, "points": points}}
        cell = {"cell_type": "code", "id": f"c{i}", "metadata": meta, "source": "_score.points"}
        out.append({**cell, "execution_count": None, "outputs": outputs})
    return {"cells": out, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def _write(nb: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb), encoding="utf-8")


def _alembic_head() -> str:
    """nbgrader's gradebook schema version, read in process (nbgrader runs the alembic
    command for it, a few seconds of CPU on each new gradebook)."""
    import nbgrader
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(Path(nbgrader.__file__).parent / "alembic")).get_current_head()


def build(root: Path, students: list[str] | None = None) -> Path:
    """Write the simulated course into ``root`` (for ``students``, default all) and return it."""
    from unittest import mock

    from nbgrader.api import Gradebook
    from sqlalchemy import text

    root.mkdir(parents=True, exist_ok=True)
    (root / course.CONFIG_FILE).write_text(course.config_text(), encoding="utf-8")
    rng = random.Random(15)
    head = _alembic_head()
    with (
        course._quiet_nbgrader(),
        mock.patch("nbgrader.api.get_alembic_version", lambda: head),
        Gradebook(course._db_url(root), course_id=course.COURSE_ID) as gb,
    ):
        # a throwaway file: no need to wait for the disk at each of nbgrader's commits
        gb.db.execute(text("PRAGMA synchronous = OFF"))
        gb.db.execute(text("PRAGMA journal_mode = MEMORY"))
        for name, cells in {**CELLS, EMPTY: [("q1", 1.0)]}.items():
            gb.update_or_create_assignment(name)
            gb.update_or_create_notebook(name, name)
            for grade_id, points in cells:
                gb.update_or_create_grade_cell(
                    grade_id, name, name, max_score=points, cell_type="code"
                )
            _write(_notebook(cells, {}), root / "source" / name / f"{name}.ipynb")
        students = STUDENTS if students is None else students
        for student in students:
            gb.update_or_create_student(student)
        for student in students:
            logs = {
                "icd10cm_coding": _coding(student, rng),
                "modifier_ncci": _modifiers(student, rng),
                "fraud_schemes": {},
            }
            for name, cells in CELLS.items():
                if name == "modifier_ncci" and student == ABSENT:
                    continue
                sub = gb.add_submission(name, student)
                scores = {}
                for grade_id, points in cells:
                    fallback = points if rng.random() < ability(student) + 0.2 else 0.0
                    if name == "modifier_ncci" and student == WEAK_IN_MODIFIERS:
                        fallback = 0.0  # the written part is a modifier question too
                    if name == "fraud_schemes" and student == WEAK_IN_MODIFIERS:
                        fallback = points
                    rows = logs[name].get(grade_id, [])
                    scores[grade_id] = _cell_score(rows, points, fallback)
                for grade in sub.notebooks[0].grades:
                    grade.auto_score = scores[grade.name]
                    grade.needs_manual_grade = False
                gb.db.commit()
                _write(
                    _notebook(cells, logs[name]),
                    root / "autograded" / student / name / f"{name}.ipynb",
                )
    return root
