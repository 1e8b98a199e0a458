"""Score an nbgrader source notebook in process, as nbgrader's autograde scores it.

Shared by the tests of the rendered assignments and of a course made before the
package moved (``tests/training/test_old_course.py``, which also runs this file as
a script in a fresh interpreter, so it imports nothing of ``medbill_lab`` itself).

A graded cell earns the number its last expression gives (clipped to its points),
its points when it runs without a number, and 0 when it raises.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import io
import json
import re
import sys
from dataclasses import dataclass

import nbformat


def meta(cell: nbformat.NotebookNode) -> dict:
    """A cell's nbgrader metadata ({} for a plain cell)."""
    return cell.get("metadata", {}).get("nbgrader", {})


def blank(source: str) -> str:
    """A solution cell as nbgrader releases it: the region replaced by a raise."""
    out, inside = [], False
    for line in source.split("\n"):
        if "### BEGIN SOLUTION" in line:
            inside = True
            out.append(line.split("###")[0] + "raise NotImplementedError()")
        elif "### END SOLUTION" in line:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def run_cell(source: str, ns: dict) -> object:
    """Run a cell; return the value of its last expression (None when there is none).

    The two IPython lines the form-answered assignments use run as a kernel runs them:
    ``%load_ext X`` loads X, and a ``%%answers`` cell goes to the extension that
    registered it (``medbill_lab.training.answer_forms``), which binds ``answers``.
    """
    if source.lstrip().startswith("%%"):
        magic, _, body = source.lstrip()[2:].partition("\n")
        name, _, line = magic.partition(" ")
        extension = ns.get("__cell_magics__", {}).get(name)
        if extension is None:
            raise NameError(f"UsageError: Cell magic `%%{name}` not found.")
        return importlib.import_module(extension).run(line, body, ns) and None
    lines = source.split("\n")
    for i, text in enumerate(lines):
        if text.startswith("%load_ext "):
            extension = text.split(None, 1)[1].strip()
            importlib.import_module(extension)
            ns.setdefault("__cell_magics__", {})["answers"] = extension
            lines[i] = ""
    source = "\n".join(lines)
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), ns)
    if last is not None:
        return eval(compile(ast.Expression(last.value), "<cell>", "eval"), ns)
    return None


@dataclass(frozen=True)
class Graded:
    """One graded cell's result: its points and what it printed (the student's feedback)."""

    points: float
    output: str


def graded_cells(
    nb: nbformat.NotebookNode, answers: dict[str, str] | None = None
) -> dict[str, Graded]:
    """Each graded cell's points and printed feedback, the notebook run top to bottom.

    ``answers`` replaces solution cells by grade id; None runs the model answers, and a
    cell missing from ``answers`` runs as released (blank).
    """
    ns: dict = {"__name__": "__main__"}
    out = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        m = meta(cell)
        source = cell.source
        if m.get("solution"):
            if answers is None:
                source = re.sub(r"\s*### (BEGIN|END) SOLUTION", "", source)
            else:
                source = answers.get(m["grade_id"], blank(source))
        source = re.sub(r"### (BEGIN|END) HIDDEN TESTS\n?", "", source)
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed):
                value = run_cell(source, ns)
        except Exception:  # a failing cell scores 0, as in nbgrader
            value = "error"
        if m.get("grade") and not m.get("solution"):
            points = float(m["points"])
            if value == "error":
                earned = 0.0
            elif isinstance(value, int | float):
                earned = max(0.0, min(points, float(value)))
            else:
                earned = points
            out[m["grade_id"]] = Graded(earned, printed.getvalue())
    return out


def scores(nb: nbformat.NotebookNode, answers: dict[str, str] | None = None) -> dict[str, float]:
    """Each graded cell's score (see :func:`graded_cells`)."""
    return {k: g.points for k, g in graded_cells(nb, answers).items()}


def max_points(nb: nbformat.NotebookNode) -> dict[str, float]:
    """Each graded cell's points."""
    return {
        meta(c)["grade_id"]: float(meta(c)["points"])
        for c in nb.cells
        if meta(c).get("grade") and not meta(c).get("solution")
    }


if __name__ == "__main__":
    # python notebook_scoring.py NOTEBOOK ANSWERS.json: print {scenario: {grade_id: [points,
    # output]}} for each scenario of ANSWERS ({scenario: answers, or null for the model's}),
    # then the medbill_lab modules this fresh interpreter imported.
    _nb = nbformat.read(sys.argv[1], as_version=4)
    with open(sys.argv[2], encoding="utf-8") as _fh:
        _scenarios = json.load(_fh)
    _result = {
        name: {k: [g.points, g.output] for k, g in graded_cells(_nb, answers).items()}
        for name, answers in _scenarios.items()
    }
    _modules = sorted(m for m in sys.modules if m.startswith("medbill_lab"))
    print(json.dumps({"scores": _result, "modules": _modules}))
