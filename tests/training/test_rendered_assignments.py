"""Terminology, CMS-1500 completion, modifiers/NCCI and E/M leveling: drawn per course.

``exercises/`` holds each one as a template with ``{{...}}`` placeholders; ``course
init`` fills it from the assignment's generator, seeded from the course's secret.
These tests check that the templates hold no answer key, that every draw grades its
own model answers with full marks (a partly right answer less, a blank 0), that two
courses get different items, and that a released notebook holds neither answers nor
the secret.  Notebooks are run in process here (fast); the real nbgrader cycle on one
course is in ``tests/e2e/test_course.py``.
"""

from __future__ import annotations

import ast
import random
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from notebook_scoring import max_points, scores

from medbill_lab.training import assignments, course

ROOT = Path(__file__).resolve().parents[2]
# the four of part A (the revenue-cycle ones have their own tests)
RENDERED = ("terminology", "cms1500_completion", "modifier_ncci", "em_leveling")
SEEDS = range(6)
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)\n\s*### END SOLUTION", re.S)
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)


def template(name: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "exercises" / name / f"{name}.ipynb", 4)


def render(name: str, seed: int | str) -> nbformat.NotebookNode:
    values = assignments.module(name).draw(random.Random(seed))
    return assignments.fill(template(name), values)


# -- the templates in exercises/ ---------------------------------------------------------------
@pytest.mark.parametrize("name", RENDERED)
def test_the_template_in_exercises_holds_no_answer_key(name):
    folder = ROOT / "exercises" / name
    assert sorted(p.name for p in folder.iterdir()) == [f"{name}.ipynb"]  # no key file beside it
    nb = template(name)
    assert "**Template.**" in nb.cells[0].source
    solutions = [r for c in nb.cells for r in SOLUTION.findall(c.source)]
    hidden = [r for c in nb.cells for r in HIDDEN.findall(c.source)]
    assert solutions and hidden
    # a model answer is only a placeholder the course fills
    for region in solutions:
        assert re.fullmatch(r"\s*([a-z0-9_]+ = )?\{\{[a-z0-9_]+\}\}", region), region
    # a hidden test calls a grading helper with the course's key, and holds no literal answer
    for region in hidden:
        assert re.search(r"\{\{[a-z0-9_]*key\}\}", region), region
        tree = ast.parse(assignments.TOKEN.sub("None", region))
        literals = [n for n in ast.walk(tree) if isinstance(n, ast.Dict | ast.List | ast.Set)]
        assert literals == [], region
        words = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)]
        assert all(not isinstance(w, str) or re.fullmatch(r"[a-z_]+", w) for w in words), words


def test_filling_a_template_refuses_a_missing_or_an_unused_value():
    values = assignments.module("terminology").draw(random.Random(1))
    with pytest.raises(assignments.TemplateError, match="no value for"):
        assignments.fill(
            template("terminology"), {k: v for k, v in values.items() if k != "q2_key"}
        )
    with pytest.raises(assignments.TemplateError, match="has no"):
        assignments.fill(template("terminology"), {**values, "q9_key": "{}"})
    filled = assignments.fill(template("terminology"), values)
    assert not any(assignments.TOKEN.search(c.source) for c in filled.cells)
    assert "**Template.**" not in filled.cells[0].source  # the note to instructors is dropped


# -- every draw grades its own answers ---------------------------------------------------------
@pytest.mark.parametrize("name", RENDERED)
def test_every_draw_gives_its_model_answers_full_marks_partial_less_blank_zero(name):
    for seed in SEEDS:
        nb = render(name, seed)
        full = max_points(nb)
        assert scores(nb) == full, f"seed {seed}"
        correct = course.solutions(nb)
        partial = scores(nb, course._partial_answers(name, correct))
        assert 0 < sum(partial.values()) < sum(full.values()), (seed, partial)
        assert set(scores(nb, {}).values()) == {0.0}, f"seed {seed}: a blank earns nothing"


# -- per course ---------------------------------------------------------------------------------
def _visible(nb: nbformat.NotebookNode) -> str:
    """What a student sees: every cell without its solution and hidden-test regions."""
    text = "\n".join(c.source for c in nb.cells)
    text = re.sub(r"### BEGIN SOLUTION.*?### END SOLUTION", "", text, flags=re.S)
    return re.sub(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", "", text, flags=re.S)


@pytest.mark.parametrize("name", RENDERED)
def test_two_generators_draw_different_items_and_one_draws_the_same_again(name):
    draw = assignments.module(name).draw
    a, b = draw(random.Random("course A")), draw(random.Random("course B"))
    assert draw(random.Random("course A")) == a
    keys = [k for k in a if k.endswith("key")]
    differ = [k for k in keys if a[k] != b[k]]
    assert keys and len(differ) * 2 > len(keys), differ  # most items differ, not just one
    assert _visible(render(name, "course A")) != _visible(render(name, "course B"))


@pytest.mark.parametrize("name", RENDERED)
def test_the_space_of_draws_is_large(name):
    draw = assignments.module(name).draw
    keys = {
        tuple(v for k, v in sorted(draw(random.Random(s)).items()) if k.endswith("key"))
        for s in range(60)
    }
    assert len(keys) == 60  # no two of 60 courses share an answer key


@pytest.fixture(scope="module")
def courses(tmp_path_factory):
    """Two courses made by ``course init``; the first with these assignments released."""
    base = tmp_path_factory.mktemp("rendered")
    before = {n: (ROOT / "exercises" / n / f"{n}.ipynb").read_bytes() for n in RENDERED}
    one, two = course.init_course(base / "one"), course.init_course(base / "two")
    after = {n: (ROOT / "exercises" / n / f"{n}.ipynb").read_bytes() for n in RENDERED}
    assert before == after, "course init must not write into exercises/"
    with course._tools_on_path():
        api = course.nbgrader_api(one)
        for name in RENDERED:
            course._check(api.generate_assignment(name, force=True), f"generate {name}")
    return one, two


def _source(root: Path, name: str) -> nbformat.NotebookNode:
    return nbformat.read(root / "source" / name / f"{name}.ipynb", 4)


@pytest.mark.parametrize("name", RENDERED)
def test_each_course_gets_its_own_items_and_key(courses, name):
    one, two = courses
    a, b = _source(one, name), _source(two, name)
    for nb in (a, b):
        assert not any(assignments.TOKEN.search(c.source) for c in nb.cells), "fully rendered"
        assert "**Template.**" not in nb.cells[0].source
    assert _visible(a) != _visible(b)
    assert course.solutions(a) != course.solutions(b)
    hidden_a = [r for c in a.cells for r in HIDDEN.findall(c.source)]
    hidden_b = [r for c in b.cells for r in HIDDEN.findall(c.source)]
    assert hidden_a != hidden_b
    # the template's text (the practice wording) is not what a course grades
    assert _visible(a) != _visible(template(name))


@pytest.mark.parametrize("name", RENDERED)
def test_the_released_notebook_holds_no_answer_and_no_secret(courses, name):
    one, _ = courses
    src = _source(one, name)
    released = (one / "release" / name / f"{name}.ipynb").read_text("utf-8")
    rel = nbformat.reads(released, 4)
    shown = "\n".join(c.source for c in rel.cells)
    assert "BEGIN" not in shown and "HIDDEN" not in shown
    visible = _visible(src)
    for cell in src.cells:
        for region in SOLUTION.findall(cell.source) + HIDDEN.findall(cell.source):
            for line in region.splitlines():
                if len(line.strip()) >= 12 and line not in visible:
                    assert line not in shown, f"leaked into the release: {line!r}"
    secret = course.course_secret(one)
    values = [secret.hex(), str(course.assignment_seed(one, name))]
    everything = "\n".join(
        p.read_text("utf-8", "replace") for p in (one / "release").rglob("*") if p.is_file()
    )
    everything += "\n".join(
        p.read_text("utf-8", "replace") for p in (one / "source").rglob("*.ipynb")
    )
    assert all(v not in everything for v in values)


def test_an_instructors_edited_source_is_kept_and_a_removed_one_drawn_the_same(tmp_path):
    root = course.init_course(tmp_path / "c")
    drawn = (root / "source" / "modifier_ncci" / "modifier_ncci.ipynb").read_bytes()
    path = root / "source" / "em_leveling" / "em_leveling.ipynb"
    text = path.read_text("utf-8").replace("five office visits", "five visits, edited")
    path.write_text(text, "utf-8")
    course.init_course(root)
    assert path.read_text("utf-8") == text
    shutil.rmtree(root / "source" / "modifier_ncci")
    course.init_course(root)
    assert (root / "source" / "modifier_ncci" / "modifier_ncci.ipynb").read_bytes() == drawn


def test_a_cms1500_referral_comes_from_another_doctor_than_the_one_who_saw_the_patient():
    # The case says "Referred by Dr. X" and "performed by Dr. Y": X is never Y by name
    # (two doctors of one name with two NPIs would make item 17 a riddle). Seeds 4101, 5330
    # and 7713 drew the same name twice before the draw refused it (about 1 case in 2,500).
    from medbill_lab.training.assignments import cms1500_completion as cms

    referred = 0
    for seed in [4101, 5330, 7713, *range(300)]:
        claim = cms.draw_case(random.Random(seed)).claim
        ref = claim["referring_provider"]
        if ref:
            referred += 1
            doctor = claim["rendering_provider"]
            assert (ref["first"], ref["last"]) != (doctor["first"], doctor["last"]), seed
    assert referred > 50
