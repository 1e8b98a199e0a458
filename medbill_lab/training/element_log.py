"""Element-level results of a graded cell, logged for the class report.

nbgrader's gradebook keeps one score per grade cell.  The class report
(``medbill-lab course report``) also wants what each student answered for each
graded ELEMENT of that cell (a code, a form box, a modifier, a posted amount), so
it can say "E11.9 instead of E11.22: 14 students" and measure mastery by topic.
A hidden test cell logs them as one notebook output of mimetype :data:`MIMETYPE`,
which autograde keeps in ``autograded/<student>/<assignment>/*.ipynb`` and the
report reads back with :func:`read_notebook`.

How to log the elements of a hidden test (one line, after the score is computed;
the score's ``points`` stays the cell's last expression, since nbgrader takes
partial credit from it)::

    ### BEGIN HIDDEN TESTS
    from medbill_lab.training.element_log import log as _log
    _score = _a.score_posting(posting, {...}, points=3)
    print(_score.to_text())
    _log(_score)
    _score.points
    ### END HIDDEN TESTS

``log`` takes a list of element dicts, or any object with an ``element_rows()``
(or ``elements()``) method returning one (``PartScore``, ``GradeReport``).  An element is
``{"element", "topic", "expected", "given", "earned", "max"}``: build one with
:func:`element`.  ``topic`` is one of :data:`TOPICS` (mastery is reported per
topic).  Logging never raises: a scorer that cannot list its elements costs the
report a row, never the student a point.  The output holds expected answers, so
student feedback drops this mimetype (the feedback step), and the output has no
``text/plain`` part to show in a notebook.

>>> row = element("E11.22", "diagnosis coding", "E11.22", "E11.9", 1, 2)
>>> row["given"], row["earned"], row["max"]
('E11.9', 1.0, 2.0)
>>> bundle = payload([row])
>>> list(bundle) == [MIMETYPE] and bundle[MIMETYPE][0]["element"]
'E11.22'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

MIMETYPE = "application/vnd.medbill-lab.elements+json"
KEYS = ("element", "topic", "expected", "given", "earned", "max")

# The topics a class's mastery is reported on (the report keeps any other topic as named).
TOPICS = (
    "terminology",
    "diagnosis coding",
    "procedure coding",
    "inpatient coding",
    "modifiers",
    "NCCI",
    "E/M",
    "CMS-1500 boxes",
    "UB-04",
    "posting",
    "denials",
    "AR",
    "compliance/privacy",
)


def _text(value: object) -> str:
    """An answer as one line of text: lists joined with ', ', None as ''.

    >>> _text(["25", "59"]), _text(None), _text(True), _text(2.5)
    ('25, 59', '', 'True', '2.5')
    """
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return ", ".join(_text(v) for v in items)
    return " ".join(str(value).split())


def _number(value: object) -> float:
    """Points as a finite float (0 for anything else)."""
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return round(x, 4) if math.isfinite(x) else 0.0


def element(
    name: str, topic: str, expected: object, given: object, earned: float, max_points: float
) -> dict[str, Any]:
    """One graded element as the report reads it (answers as text, points as floats)."""
    return {
        "element": _text(name),
        "topic": _text(topic) or "other",
        "expected": _text(expected),
        "given": _text(given),
        "earned": _number(earned),
        "max": _number(max_points),
    }


def shares(
    items: Iterable[tuple[str, object, object, bool]], topic: str, points: float
) -> list[dict[str, Any]]:
    """Elements of a part that splits ``points`` evenly over its items.

    ``items`` are ``(name, expected, given, right)``; each item is worth
    ``points / len(items)`` and earns it when right (all-or-nothing parts list
    their items the same way: the share shows which item was missed).

    >>> [r["earned"] for r in shares([("a", 1, 1, True), ("b", 2, 3, False)], "AR", 3)]
    [1.5, 0.0]
    """
    rows = list(items)
    each = points / len(rows) if rows else 0.0
    return [element(n, topic, e, g, each if ok else 0.0, each) for n, e, g, ok in rows]


def elements_of(score: object) -> list[dict[str, Any]]:
    """The element rows of a score object or list; [] when it lists none."""
    found = score
    for method in ("element_rows", "elements"):
        if callable(getattr(score, method, None)):
            found = getattr(score, method)()
            break
    if not isinstance(found, list | tuple):
        return []
    rows = []
    for row in found:
        if isinstance(row, Mapping) and "element" in row:
            rows.append(
                element(
                    row.get("element"),
                    row.get("topic", ""),
                    row.get("expected"),
                    row.get("given"),
                    row.get("earned", 0),
                    row.get("max", 0),
                )
            )
    return rows


def payload(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The display bundle: the rows under :data:`MIMETYPE` only (nothing to show)."""
    return {MIMETYPE: rows}


def log(score: object) -> None:
    """Display the elements of ``score`` as one output for the class report; never raises.

    Outside a kernel (plain Python) it does nothing: IPython would print the rows.
    """
    try:
        from IPython.core.interactiveshell import InteractiveShell

        rows = elements_of(score)
        if rows and InteractiveShell.initialized():
            from IPython.display import display

            display(payload(rows), raw=True)
    except Exception:  # the report may lose a row; the grade must not
        return


def read_outputs(outputs: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The element rows logged in a cell's outputs (in order)."""
    rows: list[dict[str, Any]] = []
    for out in outputs:
        data = out.get("data") if isinstance(out, Mapping) else None
        if isinstance(data, Mapping) and MIMETYPE in data:
            rows += elements_of(data[MIMETYPE])
    return rows


def read_notebook(nb: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Grade cell id -> the element rows its outputs log, for one (autograded) notebook.

    >>> cell = {"cell_type": "code", "metadata": {"nbgrader": {"grade_id": "q1"}},
    ...         "outputs": [{"output_type": "display_data", "data": payload(
    ...             [element("CO-45", "posting", "CO-45", "PR-45", 0, 1)])}]}
    >>> read_notebook({"cells": [cell]})["q1"][0]["given"]
    'PR-45'
    """
    found: dict[str, list[dict[str, Any]]] = {}
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        rows = read_outputs(cell.get("outputs", []))
        if grade_id and rows:
            found.setdefault(str(grade_id), []).extend(rows)
    return found


def strip_outputs(nb: Mapping[str, Any]) -> int:
    """Remove every element-log output from a notebook in place; return how many.

    For anything shown to a student (feedback): the rows hold the expected answers.
    """
    removed = 0
    for cell in nb.get("cells", []):
        outputs = cell.get("outputs")
        if not outputs:
            continue
        kept = [o for o in outputs if MIMETYPE not in (o.get("data") or {})]
        removed += len(outputs) - len(kept)
        cell["outputs"] = kept
    return removed
