"""Every lesson and app notebook runs top to bottom, the way a learner runs it."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
ALL = sorted(NOTEBOOKS.glob("*.ipynb")) + sorted((NOTEBOOKS / "apps").glob("*.ipynb"))
# Lessons whose self-check must run and explain a wrong and a right answer (issue 15, part 6):
# a cell tagged "self-check-demo" prints the check's feedback on one of each.
SELF_CHECKED = {"06", "07", "08", "09", "10", "11", "12"}


def test_the_learning_path_is_numbered():
    lessons = [p.name for p in NOTEBOOKS.glob("*.ipynb")]
    assert lessons and all(name[:2].isdigit() and name[2] == "_" for name in lessons)


@pytest.mark.parametrize("path", ALL, ids=lambda p: str(p.relative_to(NOTEBOOKS)))
def test_notebook_executes_without_error(path, tmp_path, monkeypatch):
    # Progress files written by lessons go to a scratch home, never the user's.
    monkeypatch.setenv("MEDBILL_LAB_HOME", str(tmp_path))
    nb = nbformat.read(path, as_version=4)
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), (
        "commit notebooks without outputs"
    )
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    if path.parent == NOTEBOOKS and path.name[:2] in SELF_CHECKED:
        _assert_the_self_check_explained(nb)


def _assert_the_self_check_explained(nb: nbformat.NotebookNode) -> None:
    """The executed demo cell printed feedback on a wrong answer (why, and the rule) and on a
    right one."""
    demos = [c for c in nb.cells if "self-check-demo" in c.metadata.get("tags", [])]
    assert demos, "the lesson has no cell tagged self-check-demo"
    printed = "".join(
        o.get("text", "") for c in demos for o in c.outputs if o.get("name") == "stdout"
    )
    assert "Not yet: you answered" in printed and "\nWhy " in printed
    assert "Right: " in printed
    assert printed.count("(Rule: ") >= 2  # each answer names the rule it was judged by
