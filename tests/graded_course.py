"""A small nbgrader course graded for real, for the tests of form-answered assignments: a
course with only the named assignments, released, the sample students' submissions handed in
and autograded by ``course.grade``, then each graded cell's score read from the gradebook."""

from __future__ import annotations

from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from medbill_lab.training import course


def graded_course(
    root: Path, names: tuple[str, ...], samples: dict[str, str], feedback: tuple[str, ...]
) -> Path:
    """A course at ``root`` with only ``names``: released, ``samples`` (student -> scenario)
    handed in and autograded, and feedback generated for the assignments in ``feedback``."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(course, "assignments", lambda: names)
        course.init_course(root)
    with course._tools_on_path():
        api = course.nbgrader_api(root)
        for name in names:
            course._check(api.generate_assignment(name, force=True), f"generate {name}")
    course.write_sample_submissions(root, names, samples)
    for name in names:
        course.grade(root, name, say=lambda _line: None)
    for name in feedback:
        course.feedback(root, name, say=lambda _line: None)
    return root


def cell_scores(
    root: Path, name: str, student: str, *, autograded_only: bool = False
) -> dict[str, tuple[float, float]]:
    """Each graded cell's (score, points) for one submission, from the gradebook; with
    ``autograded_only`` the written answers an instructor grades by hand are left out."""
    course_id, _ = course.read_config(root)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id=course_id) as gb:
        nb = gb.find_submission_notebook(name, name, student)
        return {
            g.name: (float(g.score or 0), float(g.max_score))
            for g in nb.grades
            if not autograded_only or g.auto_score is not None or g.cell.cell_type == "code"
        }
