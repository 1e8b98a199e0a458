"""nbgrader with no code in front of students: plain feedback, and a clean released form.

nbgrader 0.9.6 turns each autograded notebook into the student's feedback HTML with
the preprocessors of ``GenerateFeedback`` (``GetGrades``, then the HTML header).
:class:`PlainFeedback` runs after them: each graded test cell shows one plain line
("Checked: Part 1: patient and insured (4 points)") instead of its test code and
hidden tests, with the explanation it printed and its points; instructor-only output
(per-element logs) is dropped (:func:`answer_forms.plain_feedback_cells`).  A course's
``nbgrader_config.py`` names it, and ``course`` sets it for a course made before.

``generate_assignment`` replaces a model answer with its Python stub (``# YOUR CODE
HERE`` / ``raise NotImplementedError()``); :class:`FormStub`, right after it, takes the
stub out of a form-answered cell (``%%answers``), so the released form is only the form.

>>> [p.__name__ for p in feedback_preprocessors()]
['GetGrades', 'CSSHTMLHeaderPreprocessor', 'PlainFeedback']
>>> [p.__name__ for p in assignment_preprocessors()][2:6]
['LockCells', 'ClearSolutions', 'FormStub', 'ClearOutput']
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from medbill_lab.training.answer_forms import NBGRADER_STUB, plain_feedback_cells


class PlainFeedback(Preprocessor):
    """The autograded notebook as the student reads it: results and reasons, no code."""

    enabled = Bool(True, help="nbconvert skips a preprocessor not enabled").tag(config=True)

    def preprocess(self, nb: object, resources: dict) -> tuple[object, dict]:
        """Replace the assignment's code cells by plain lines (see the module docstring)."""
        return plain_feedback_cells(nb), resources


def feedback_preprocessors() -> list[type]:
    """``GenerateFeedback.preprocessors`` with :class:`PlainFeedback` last."""
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades

    return [GetGrades, CSSHTMLHeaderPreprocessor, PlainFeedback]


class FormStub(Preprocessor):
    """A released form-answered cell without nbgrader's Python stub in it."""

    enabled = Bool(True, help="nbconvert skips a preprocessor not enabled").tag(config=True)

    def preprocess_cell(self, cell: dict, resources: dict, index: int) -> tuple[dict, dict]:
        """Drop the stub's lines from a cell that starts with ``%%answers``."""
        if cell.get("cell_type") == "code" and cell["source"].startswith("%%answers"):
            kept = [ln for ln in cell["source"].split("\n") if ln.strip() not in NBGRADER_STUB]
            cell["source"] = "\n".join(kept).rstrip("\n")
        return cell, resources


def assignment_preprocessors() -> list[type]:
    """nbgrader's ``GenerateAssignment.preprocessors`` with :class:`FormStub` after
    ``ClearSolutions``."""
    from nbgrader.converters import GenerateAssignment
    from nbgrader.preprocessors import ClearSolutions

    steps = list(GenerateAssignment.class_traits()["preprocessors"].default())
    at = steps.index(ClearSolutions) + 1
    return [*steps[:at], FormStub, *steps[at:]]
