"""Graded assignments rendered per course from a template in ``exercises/`` and a generator.

``exercises/<name>/<name>.ipynb`` is a TEMPLATE for the assignments in ``RENDERED``:
its prose and checks, with ``{{token}}`` placeholders where a course's items, its
model answers and its answer key go.  ``course init`` copies it into the course's
``source/`` and calls ``render(name, folder, rng)`` with the assignment's generator
(drawn from the course's secret): the module ``medbill_lab.training.assignments.<name>`` draws
the items and computes their answers, and the placeholders are filled, the answers
only inside ``### BEGIN SOLUTION`` and ``### BEGIN HIDDEN TESTS`` regions, which
nbgrader strips from the student version.  No answer key lives in the repository.

Hidden tests stay short: they call a grading helper of the assignment's module with
the key, which returns a ``PartScore`` (points, and a line per item).

>>> s = part_points(["a", "b"], ["c"], 3)
>>> s.points, s.to_text().splitlines()[0]
(2.0, 'Right: 2 of 3. Check again: c')
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from pprint import pformat
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # nbformat is imported where a template is filled: a student's kernel
    import nbformat  # imports this package for its grading helpers, and needs none of it

# assignment -> the module (in this package) that draws its items and answers
RENDERED = {
    "terminology": "terminology",
    "cms1500_completion": "cms1500_completion",
    "modifier_ncci": "modifier_ncci",
    "em_leveling": "em_leveling",
    "post_835": "post_835",
    "denial_queue": "denial_queue",
    "ar_aging": "ar_aging",
    "deidentify_notes": "deidentify_notes",
    "inpatient_drg": "inpatient_drg",
    "ub04_completion": "ub04_completion",
}
TOKEN = re.compile(r"\{\{([a-z0-9_]+)\}\}")
# a template's note to whoever opens exercises/ ("> **Template.** ..."), dropped when filled
TEMPLATE_NOTE = re.compile(r"\n*> \*\*Template\.\*\*.*?(?=\n\n|\Z)", re.S)


class TemplateError(ValueError):
    """A template and its generator do not fit: a placeholder without a value, or the reverse."""


@dataclass(frozen=True)
class PartScore:
    """The points one graded cell earns, with the items right and those to check again."""

    points: float
    right: tuple[str, ...]
    wrong: tuple[str, ...]
    notes: tuple[str, ...] = ()
    # one dict per graded element (``element_log.element``), for the class report
    rows: tuple[dict, ...] = ()

    def element_rows(self) -> list[dict]:
        """The graded elements (element, topic, expected, given, earned, max) as data."""
        return [dict(r) for r in self.rows]

    def to_text(self) -> str:
        """'Right: 2 of 3. Check again: c', then one line per note."""
        total = len(self.right) + len(self.wrong)
        head = (
            f"Right: {len(self.right)} of {total}. Check again: {', '.join(self.wrong) or 'none'}"
        )
        return "\n".join([head, *self.notes])


def earned(points: float, raw: float) -> float:
    """The points a part or case earns: ``raw`` (its points x the share done right), to the
    hundredth, never below 0 nor above ``points``.  Every grader scores through it.

    >>> earned(3, 3 * 66.7 / 100), earned(2, -0.5), earned(2, 2.0000001)
    (2.0, 0.0, 2.0)
    """
    return min(float(points), max(0.0, round(raw, 2)))


def part_points(
    right: Sequence[str],
    wrong: Sequence[str],
    points: float,
    notes: Sequence[str] = (),
    all_or_nothing: bool = False,
    rows: Sequence[dict] = (),
) -> PartScore:
    """``points`` x the share of items right (all of them, when ``all_or_nothing``).

    ``rows``: the part's graded elements as data (``element_log.element``), kept for
    the class report.

    >>> part_points(["x"], ["y"], 2, all_or_nothing=True).points
    0.0
    >>> part_points([], [], 2).points
    0.0
    """
    total = len(right) + len(wrong)
    share = (len(right) == total) if all_or_nothing else (len(right) / total if total else 0)
    score = earned(points, points * share) if total else 0.0
    return PartScore(score, tuple(right), tuple(wrong), tuple(notes), tuple(rows))


def literal(value: object) -> str:
    """A Python literal for a template, wrapped to fit a notebook cell.

    >>> literal({"a": ["b"]})
    "{'a': ['b']}"
    """
    return pformat(value, width=96, sort_dicts=False)


def assigned(source: str, name: str) -> object:
    """The last literal value a cell's source assigns to ``name`` (None when there is none).

    A model answer is read back this way to build the demo's partly right submission.
    A value that is not a literal (a skeleton such as ``{k: "" for k in ITEMS}``) is
    passed over.

    >>> assigned('x = {k: 1 for k in "ab"}; x = {"a": 2}', "x")
    {'a': 2}
    >>> assigned('x = {k: 1 for k in "ab"}', "x") is None
    True
    """
    value: object = None
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            with contextlib.suppress(ValueError):
                value = ast.literal_eval(node.value)
    return value


def module(name: str) -> ModuleType:
    """The generator module of a rendered assignment; KeyError for another name."""
    return importlib.import_module(f"{__name__}.{RENDERED[name]}")


def fill(nb: nbformat.NotebookNode, values: dict[str, str]) -> nbformat.NotebookNode:
    """The template with every ``{{token}}`` replaced by its value, and its note dropped.

    TemplateError when a token has no value or a value fits no token, so a template
    and its generator cannot drift apart unnoticed.
    """
    import nbformat

    out = nbformat.from_dict(nb)
    used: set[str] = set()
    for cell in out.cells:
        cell.source = TEMPLATE_NOTE.sub("", cell.source)
        missing = {t for t in TOKEN.findall(cell.source) if t not in values}
        if missing:
            raise TemplateError(f"no value for {{{{{sorted(missing)[0]}}}}} in the template")
        used |= set(TOKEN.findall(cell.source))
        cell.source = TOKEN.sub(lambda m: values[m.group(1)], cell.source)
    unused = set(values) - used
    if unused:
        raise TemplateError(f"the template has no {{{{{sorted(unused)[0]}}}}}")
    return out


def render(name: str, folder: str | Path, rng: random.Random) -> Path:
    """Fill ``folder/<name>.ipynb`` (a copy of the template) with one course's draw."""
    import nbformat

    path = Path(folder) / f"{name}.ipynb"
    template = nbformat.read(path, as_version=4)
    if not any(TOKEN.search(c.source) for c in template.cells):
        return path  # already rendered (or an instructor's own): keep it
    nbformat.write(fill(template, module(name).draw(rng)), path)
    return path


def partial_answers(name: str, correct: dict[str, str]) -> dict[str, str]:
    """A partly right submission built from this course's correct answers."""
    return {**correct, **module(name).partial(correct)}
