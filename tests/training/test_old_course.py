"""A course made before the package moved (0.1) still autogrades on the new package.

An instructor's ``source/`` notebooks were rendered from the exercises of that
release, whose cells import the old flat paths (the assignments' grading helpers,
the claim model, the E/M calculator, the case grader ...).  ``tests/data/old_course/``
holds those exercises as they were at commit 940e940 (see its README).  Each is
rendered as ``course init`` rendered it then (the same generator, so the same
placeholders), then run in a fresh interpreter, as a grading kernel runs it, with
the model answers, the demo's partly right answers and a blank submission.  The old
paths resolve through :mod:`medbill_lab._old_paths`, and each notebook must grade
exactly as today's exercise does: the same points and the same feedback, cell by cell.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import random
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from notebook_scoring import graded_cells, max_points
from old_answer_values import coding_forms_old_values
from old_form_values import billing_forms_old_values

from medbill_lab import _old_paths
from medbill_lab.training import assignments, coding_assignment, course

ROOT = Path(__file__).resolve().parents[2]
OLD = ROOT / "tests" / "data" / "old_course"
SCORER = ROOT / "tests" / "notebook_scoring.py"
# assignments added after 0.1 (issue 16) had no old course to keep grading
NEWER = ("inpatient_drg", "ub04_completion")
NAMES = (*(n for n in assignments.RENDERED if n not in NEWER), "icd10cm_coding")
# an exercise now answered on a form: its model answer as the 0.1 template took it
OLD_VALUES = {
    "cms1500_completion": {"solution": lambda v: assignments.literal(ast.literal_eval(v["key"]))},
    **billing_forms_old_values(),
    **coding_forms_old_values(),
}
# the old dotted name of a module that moved, from the alias table (old -> new)
OLD_NAME = {f"medbill_lab.{new}": f"medbill_lab.{old}" for old, new in _old_paths.MOVED.items()}
# nine notebooks, each run three times in a fresh interpreter: over a minute in all
pytestmark = pytest.mark.slow


def _notebooks(name: str) -> tuple[nbformat.NotebookNode, nbformat.NotebookNode]:
    """(the old course's source notebook, today's) for one assignment, with the same items."""
    old = nbformat.read(OLD / f"{name}.ipynb", 4)
    if name not in assignments.RENDERED:  # the coding assignment: today's, on the same cases
        return old, coding_assignment.build_notebook(coding_assignment.cases_in(old), sample=True)
    new = nbformat.read(ROOT / "exercises" / name / f"{name}.ipynb", 4)
    values = assignments.module(name).draw(random.Random(f"a course of 0.1: {name}"))
    old_values = {**values, **{k: f(values) for k, f in OLD_VALUES.get(name, {}).items()}}
    # a placeholder today's template added (a form's items) was not in the old one
    tokens = {t for c in old.cells for t in assignments.TOKEN.findall(c.source)}
    old_values = {k: v for k, v in old_values.items() if k in tokens}
    return assignments.fill(old, old_values), assignments.fill(new, values)


def _run_fresh(nb: nbformat.NotebookNode, scenarios: dict, tmp_path: Path) -> dict:
    """Score ``nb`` for each scenario in a new interpreter; also which modules it imported."""
    path, answers = tmp_path / "source.ipynb", tmp_path / "answers.json"
    nbformat.write(nb, path)
    answers.write_text(json.dumps(scenarios), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, str(SCORER), str(path), str(answers)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def _old_imports(nb: nbformat.NotebookNode) -> set[str]:
    """The moved modules the notebook's code imports by their old path."""
    found = set()
    for cell in nb.cells:
        if cell.cell_type != "code" or cell.source.startswith("%%"):
            continue  # a form (%%answers) holds no import
        source = "\n".join(ln for ln in cell.source.split("\n") if not ln.startswith("%"))
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
                found |= {f"{node.module}.{a.name}" for a in node.names}
    # an old "from <module> import <function>" names a function, not a module: keep
    # the dotted names that are modules
    return {n for n in found if _old_paths.new_name(n) and _is_module(_old_paths.new_name(n))}


def _is_module(dotted: str) -> bool:
    try:
        return importlib.util.find_spec(dotted) is not None
    except ModuleNotFoundError:
        return False


@pytest.mark.parametrize("name", NAMES)
def test_an_old_courses_notebook_grades_on_the_new_package_as_todays_does(name, tmp_path):
    old, new = _notebooks(name)
    used = _old_imports(old)
    assert used, "the old notebook imports old paths (else this test proves nothing)"
    assert not _old_imports(new), "today's exercise uses the new paths"
    correct = course.solutions(old)
    scenarios = {
        "correct": None,  # the model answers in the source
        "partial": course._partial_answers(name, correct),
        "blank": {},
    }
    ran = _run_fresh(old, scenarios, tmp_path)
    got = {s: {k: tuple(v) for k, v in cells.items()} for s, cells in ran["scores"].items()}
    full = max_points(old)
    points = {s: {k: v[0] for k, v in cells.items()} for s, cells in got.items()}
    assert points["correct"] == full
    assert 0 < sum(points["partial"].values()) < sum(full.values())
    assert set(points["blank"].values()) == {0.0}
    # the grading helpers were reached through the old paths, in a fresh interpreter
    imported = set(ran["modules"])
    # (a submodule named from an aliased package, "from <old package> import x", is
    # found on the package itself, so only its new name is imported)
    assert all(n in imported or _old_paths.new_name(n) in imported for n in used), used
    assert used & imported, "the alias finder answered at least one old name"
    if name in assignments.RENDERED:  # the hidden tests' grading helpers
        assert OLD_NAME[assignments.__name__] in imported
        assert f"{assignments.__name__}.{name}" in imported
    # and they grade as today's exercise does: same points, same feedback, cell by cell
    # (an exercise now answered on a form gets the same answers written on its form)
    if _form_answered(new):
        scenarios = {
            "correct": None,
            "partial": course._partial_answers(name, course.solutions(new)),
            "blank": {},
        }
    for scenario, answers in scenarios.items():
        today = {k: (g.points, g.output) for k, g in graded_cells(new, answers).items()}
        if scenario == "blank" and _form_answered(new):
            # the old cells fail on a blank answer; an empty form may be told why it scores 0
            today = {k: (points, "") for k, (points, _) in today.items()}
        assert got[scenario] == today, scenario


def _form_answered(nb: nbformat.NotebookNode) -> bool:
    """Does the notebook take its answers on a form (``%%answers``) rather than in Python?"""
    return any(c.cell_type == "code" and c.source.startswith("%%answers") for c in nb.cells)
