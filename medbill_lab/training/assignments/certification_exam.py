"""The certification exam as an nbgrader assignment, drawn from the bank with the course's secret.

``medbill-lab exam assign COURSE_DIR [--style CPC] [--questions 20] [--bank DIR]`` writes
``source/certification_exam/certification_exam.ipynb`` into a course made by
``course init``; ``course release|collect|grade|feedback certification_exam`` then run
it like any other assignment.  It is opt-in (not one of ``exercises/``), so a course
and its demo do not grow by an exam nobody asked for.

The form is drawn with :func:`medbill_lab.training.exam.new_form` from a seed derived
from the course's secret (the same course draws the same exam; another course
another).  Students answer without Python, on a ``%%answers`` form (one line a
question: a letter, or codes with commas between), and the hidden test scores one
point a question, logging each question's domain for the class report.  The answers
live only in the solution region and the hidden test, which nbgrader strips from the
student's copy.

The public bank's items are for practice: anyone with the repository can read its
answers, so a graded exam from it is only as secret as the bank.  ``--bank`` (or
``$MEDBILL_LAB_EXAM_BANK``) draws from an instructor's private bank in the same format.

>>> import random
>>> from medbill_lab.training import exam_bank
>>> bank = exam_bank.load(exam_bank.datasets_dir().parent / "tests/data/exam_bank_fixture")
>>> nb = notebook(random.Random(1), bank, style="CBCS", n=3)
>>> [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
[None, 'setup', None, 'exam_answers', 'exam_test']
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from pprint import pformat

from medbill_lab.training import exam, exam_bank
from medbill_lab.training.answer_forms import Field, FormSpec, fill_form
from medbill_lab.training.assignments import PartScore, part_points
from medbill_lab.training.element_log import element

ASSIGNMENT = "certification_exam"
DEFAULT_STYLE, DEFAULT_N = "CPC", 20
_LAYOUT = re.compile(rf"^[ck]{{1,{exam.MAX_ITEMS}}}$")
# the class report's mastery topics (element_log.TOPICS) for the bank's domains
TOPICS = {
    "terminology": "terminology",
    "icd10cm": "diagnosis coding",
    "cpt": "procedure coding",
    "hcpcs_modifiers": "modifiers",
    "compliance": "compliance/privacy",
    "billing": "billing",
    "inpatient": "inpatient coding",
}
_SYSTEMS = {
    "icd10cm": "ICD-10-CM",
    "cpt": "CPT",
    "hcpcs": "HCPCS Level II",
    "icd10pcs": "ICD-10-PCS",
    "modifier": "modifier",
}


def form_spec(layout: str) -> FormSpec:
    """The answer form of an exam whose questions are ``layout`` (``c`` a choice question,
    ``k`` a code question, in order): one line a question."""
    if not _LAYOUT.match(layout):
        raise ValueError(f"not an exam layout: {layout!r} (c for a choice, k for codes)")
    fields = [
        Field(str(i), f"Question {i}", "choice", options=tuple((x, x) for x in "ABCD"))
        if kind == "c"
        else Field(str(i), f"Question {i} codes", "codes")
        for i, kind in enumerate(layout, 1)
    ]
    return FormSpec(f"{ASSIGNMENT}:{layout}", fields)


class _Forms(Mapping):
    """``FORMS[layout]``: the form ``%%answers certification_exam:LAYOUT`` names."""

    def __getitem__(self, layout: str) -> FormSpec:
        try:
            return form_spec(layout)
        except ValueError:
            raise KeyError(layout) from None

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


FORMS = _Forms()
_CELL_IDS = ("intro", "setup", "questions", "exam_answers", "exam_test")


def layout_of(form: exam.Form) -> str:
    """The form's layout: ``c`` for each choice question, ``k`` for each code question."""
    return "".join("c" if fi.item.type == "choice" else "k" for fi in form.items)


def key_of(form: exam.Form) -> dict[str, dict]:
    """The answer key by question number: the shown letter, or every accepted code list."""
    key = {}
    for i, fi in enumerate(form.items, 1):
        item = fi.item
        entry = {"id": item.id, "domain": item.domain, "rule": item.rule}
        if item.type == "choice":
            entry["answer"] = fi.shown(item.answer)
        else:
            entry["answers"] = [list(item.answer), *(list(a) for a in item.accept)]
        key[str(i)] = entry
    return key


def _question_md(i: int, fi: exam.FormItem) -> str:
    item = fi.item
    text = f"**Question {i}.** {item.stem}"
    if item.type == "choice":
        return text + "\n\n" + "\n".join(f"- **{x}.** {t}" for x, t in fi.shown_choices())
    return (
        text + f"\n\n*Answer with {_SYSTEMS.get(item.system or '', '')} code(s), commas between.*"
    )


def _cell(kind: str, source: str, grade_id: str | None = None, **nbgrader) -> object:
    import nbformat

    make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
    cell = make(source)
    if grade_id:
        cell.metadata["nbgrader"] = {
            "grade": False,
            "grade_id": grade_id,
            "locked": False,
            "schema_version": 3,
            "solution": False,
            "task": False,
            **nbgrader,
        }
    return cell


def _intro(form: exam.Form, bank: exam_bank.Bank) -> str:
    present = {fi.item.domain for fi in form.items}
    domains = ", ".join(bank.titles.get(d, d) for d in exam_bank.DOMAINS if d in present)
    return (
        f"# Certification practice exam ({exam.blueprint(form.style).title})\n\n"
        f"{len(form.items)} questions from MedBill Lab's question bank ({domains}), one point "
        f"each; the practice pass mark is {exam.PASS_MARK:.0%}. Answer on the form below, one line "
        "a question: a letter (A-D) for a multiple-choice question, the codes in reporting "
        "order with commas between for a coding question. Run the form cell to see what was "
        "read; a question left blank scores 0. Time it yourself: about "
        f"{round(exam.blueprint(form.style).minutes_per_item * len(form.items))} minutes."
    )


def notebook(
    rng: random.Random,
    bank: exam_bank.Bank,
    style: str = DEFAULT_STYLE,
    n: int = DEFAULT_N,
) -> object:
    """The assignment's source notebook: questions, the answer form with its model
    answers in the solution region, and one graded cell whose hidden test holds the key."""
    import nbformat

    form = exam.new_form(bank, style, n, seed=rng.randrange(10**9))
    layout = layout_of(form)
    spec = form_spec(layout)
    key = key_of(form)
    model = {
        str(i): (e["answer"] if "answer" in e else e["answers"][0])
        for i, e in enumerate(key.values(), 1)
    }
    questions = "\n\n".join(_question_md(i, fi) for i, fi in enumerate(form.items, 1))
    answer = (
        f"%%answers {ASSIGNMENT}:{layout}\n{fill_form(spec, {})}\n"
        f"### BEGIN SOLUTION\n{fill_form(spec, model)}\n### END SOLUTION"
    )
    test = (
        "# Self-check: how many questions the form read. When graded: 1 point a right answer.\n"
        "print(answers.summary())\n"
        "### BEGIN HIDDEN TESTS\n"
        f"from medbill_lab.training.assignments import {ASSIGNMENT} as _exam\n"
        "from medbill_lab.training.element_log import log as _log\n"
        f"_score = _exam.score(answers, {pformat(key, width=92, sort_dicts=False)}, points={n})\n"
        "print(_score.to_text())\n"
        "_log(_score)\n"
        "_score.points\n"
        "### END HIDDEN TESTS"
    )
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
    nb.cells = [
        _cell("markdown", _intro(form, bank)),
        _cell("code", "%load_ext medbill_lab.training.answer_forms", "setup", locked=True),
        _cell("markdown", questions),
        _cell("code", answer, "exam_answers", solution=True),
        _cell("code", test, "exam_test", grade=True, locked=True, points=n),
    ]
    for cell, cell_id in zip(nb.cells, _CELL_IDS, strict=True):
        cell.id = cell_id  # fixed ids: the same course writes the same file
    return nb


def _given(answers: object, number: str) -> object:
    try:
        return answers[number]  # type: ignore[index]
    except (KeyError, TypeError):
        return None


def _right(entry: Mapping, given: object) -> bool:
    if given is None or given == [] or given == "":
        return False
    if "answer" in entry:
        return str(given).strip().upper() == entry["answer"]
    got = exam.normalise_codes(given if isinstance(given, list | tuple) else str(given))
    return any(got == exam.normalise_codes(a) for a in entry["answers"])


def score(answers: object, key: Mapping[str, Mapping], points: float) -> PartScore:
    """``points`` x the share of questions right; each missed question names its rule."""
    right, wrong, notes, rows = [], [], [], []
    each = points / len(key) if key else 0.0
    for number, entry in key.items():
        given = _given(answers, number)
        ok = _right(entry, given)
        label = f"Question {number}"
        (right if ok else wrong).append(label)
        if not ok:
            notes.append(f"{label}: review {entry['rule']}")
        expected = entry.get("answer") or ", ".join(entry["answers"][0])
        topic = TOPICS.get(entry["domain"], entry["domain"])
        rows.append(
            element(f"{label} ({entry['id']})", topic, expected, given, each if ok else 0, each)
        )
    return part_points(right, wrong, points, notes, rows=rows)


def add_to_course(
    directory: str | Path,
    bank_folder: str | Path | None = None,
    style: str = DEFAULT_STYLE,
    n: int = DEFAULT_N,
    replace: bool = False,
) -> Path:
    """Write the exam into a course's ``source/certification_exam/``, drawn with the
    course's secret; refuses to overwrite one unless ``replace``. Returns the notebook."""
    import nbformat

    from medbill_lab.training import course

    root = Path(directory).expanduser().resolve()
    if not (root / "nbgrader_config.py").is_file():
        raise FileNotFoundError(
            f"{root} is not a course folder (no nbgrader_config.py): make one with course init"
        )
    path = root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    if path.exists() and not replace:
        raise FileExistsError(
            f"{path} exists: the course already has its exam (--replace draws it again)"
        )
    nb = notebook(course.assignment_rng(root, ASSIGNMENT), exam_bank.load(bank_folder), style, n)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path
