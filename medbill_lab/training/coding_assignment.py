"""The graded ICD-10-CM coding assignment, built for one course from its own cases.

A course's cases come from the case generator driven by the course's own random
generator (derived from a secret kept in the instructor's course folder), or
from a case file the instructor keeps private.  Never from the shipped written
cases: those are the public practice pool, answers included.

``build_notebook(cases, explain)`` writes the nbgrader source notebook: each
case's note in a read-only markdown cell, the answers only inside the solution
cell and the hidden tests (``### BEGIN HIDDEN TESTS``), which nbgrader strips
from the student version.  Nothing released names a seed or a case id that a
public bank could look up.

>>> import random
>>> cases = draw_cases(random.Random(1))
>>> [c.id for c in cases]
['case-1', 'case-2', 'case-3', 'case-4', 'case-5']
>>> len({c.topic for c in cases}) > 1
True
"""

from __future__ import annotations

import ast
import json
import random
import re
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from pprint import pformat

import nbformat

from medbill_lab.codes import icd10cm
from medbill_lab.datasets import project_root
from medbill_lab.training.assignments import assigned
from medbill_lab.training.assignments import icd10cm_coding as icd10cm_form
from medbill_lab.training.cases import TEMPLATES, Case, generate_with, load_cases

ASSIGNMENT = "icd10cm_coding"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
N_CASES = 5
MAX_CASES = icd10cm_form.MAX_CASES
CASE_POINTS = 3
EXPLAIN_POINTS = 2
# the demo's partly right answer to the written question: no rule named, no points
WEAK_EXPLANATION = "I coded what the note says, in the order it says it."
# the notebook's first code cell: the answer form (%%answers) the answer cell is written in
SETUP = (
    "# Run this cell first. It loads the answer form your answer cell is written in "
    "(%%answers).\n%load_ext medbill_lab.training.answer_forms"
)
# The public sample in exercises/ is drawn with this; a course never uses it.
SAMPLE_SEED = "medbill-lab public sample (not a course's cases)"

# The generator templates a graded set draws from: reviewed for grading, and fixed, so a
# template added to the generator later does not change what a course redraws.  Add a
# template here once its cases have been checked against its source.
GRADED_TEMPLATES = (
    "ankle_sprain",
    "colonoscopy",
    "diabetes_ckd",
    "forearm_fracture",
    "gestational_diabetes",
    "hypertension_ckd",
    "hypertensive_heart_failure",
    "otitis_media",
    "prenatal_visit",
    "uncertain_diagnosis",
)

# Details the course's generator adds to each note.  None of them is codable (no
# condition, status, history or exposure): with the label wordings they only widen the
# space of notes and move sentences about, so a graded note is not found by replaying
# the public generator and matching its text (see the residual risk in the report).
_COMPANIONS_CHILD = ("a parent", "the mother", "the father", "a grandparent", "both parents")
_COMPANIONS_ADULT = ("", "a spouse", "an adult child", "a friend", "a sibling", "a partner")
_CLINICIANS = (
    "the attending physician",
    "a nurse practitioner",
    "a physician assistant",
    "a resident, co-signed by the attending physician",
)
_ADMIN = (
    "Identity confirmed with two identifiers.",
    "Medication list reviewed and reconciled.",
    "Allergy list reviewed; no changes.",
    "Questions answered.",
    "Written instructions given.",
    "Vital signs recorded by nursing staff.",
    "Chart prepared before the visit.",
    "Consent for the visit on file.",
)
_LABELS = (("Assessment:", ("Assessment:", "Impression:")), ("Plan:", ("Plan:", "Plan of care:")))
# where a sentence may go: after a sentence ending in a word (not "1."), before a capital
_BOUNDARY = re.compile(r"(?<=[a-z)%]\.)(?= [A-Z])")


# -- drawing the cases ----------------------------------------------------------------
def dress(case: Case, rng: random.Random) -> Case:
    """The case with non-codable visit details from ``rng`` put among its sentences.

    The codes stay as they are; label wordings vary (Assessment/Impression).

    >>> from medbill_lab.training.cases import generate
    >>> plain = generate(3, "otitis_media")
    >>> dressed = dress(plain, random.Random(0))
    >>> dressed.answer == plain.answer and dressed.note != plain.note
    True
    """
    hour, minute = rng.randint(7, 18), rng.randrange(60)
    child = case.age is not None and case.age < 18
    who = rng.choice(_COMPANIONS_CHILD if child else _COMPANIONS_ADULT)
    with_whom = f", accompanied by {who}" if who else ", unaccompanied"
    extras = [f"Seen at {hour:02d}:{minute:02d}{with_whom}; note by {rng.choice(_CLINICIANS)}."]
    extras += rng.sample(_ADMIN, rng.randint(1, 2))
    note = case.note
    for label, wordings in _LABELS:
        note = note.replace(label, rng.choice(wordings))
    spots = [m.start() for m in _BOUNDARY.finditer(note)] + [len(note)]
    for spot, extra in sorted(((rng.choice(spots), e) for e in extras), reverse=True):
        note = f"{note[:spot]} {extra}{note[spot:]}"
    data = case.as_dict()
    data["note"] = note
    return Case.from_dict(data)


def draw_cases(rng: random.Random, n: int = N_CASES) -> list[Case]:
    """``n`` cases from distinct ``GRADED_TEMPLATES``, every choice made by ``rng``.

    Ids are ``case-1`` ... ``case-n``: they index no bank, so they reveal nothing.
    """
    if not 1 <= n <= MAX_CASES:
        raise ValueError(f"a graded set has 1 to {MAX_CASES} cases, not {n}")
    names = [t for t in GRADED_TEMPLATES if t in TEMPLATES]
    picked = rng.sample(names, n) if n <= len(names) else rng.choices(names, k=n)
    return [dress(generate_with(rng, t, f"case-{i}"), rng) for i, t in enumerate(picked, 1)]


def load_case_file(path: str | Path) -> list[Case]:
    """An instructor's private cases (JSON list in the shape of ``datasets/cases/cases.json``).

    Raises ValueError (one line, naming the file and the case) for a file that is not
    JSON, a case missing a field, a repeated id, a code not billable on its date of
    service, or a note copied from the public practice cases; OSError when unreadable.
    """
    path = Path(path).expanduser()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise type(exc)(f"cannot read the case file {path}: {exc.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path} is not a JSON case file: {exc}".splitlines()[0]) from None
    if isinstance(data, dict) and isinstance(data.get("cases"), list):
        data = data["cases"]
    if not isinstance(data, list) or not 1 <= len(data) <= MAX_CASES:
        raise ValueError(f"{path} must hold a JSON list of 1 to {MAX_CASES} cases")
    public = {" ".join(c.note.split()): c.id for c in load_cases()}
    cases: list[Case] = []
    for i, item in enumerate(data, 1):
        case = _checked_case(path, i, item, public)
        if case.id in {c.id for c in cases}:
            raise ValueError(f"{path}: case id {case.id!r} appears twice")
        cases.append(case)
    return cases


def _checked_case(path: Path, i: int, item: object, public: dict[str, str]) -> Case:
    """One case of an instructor's file, checked as ``load_case_file`` describes."""
    if not isinstance(item, dict):
        raise ValueError(f"{path}: case {i} is not a JSON object")
    try:
        case = Case.from_dict(item)
    except (ValueError, TypeError, LookupError, icd10cm.CodeSetError) as exc:
        raise ValueError(f"{path}: case {i}: {exc}") from None
    shipped = public.get(" ".join(case.note.split()))
    if shipped:
        raise ValueError(
            f"{path}: case {case.id!r} is the public practice case {shipped!r}, whose answer "
            "anyone can read; write a case of your own"
        )
    for codes in case.accepted:
        for code in codes:
            try:
                check = icd10cm.validate(code, case.date_of_service)
            except (ValueError, LookupError, icd10cm.CodeSetError) as exc:
                raise ValueError(f"{path}: case {case.id!r}: {exc}") from None
            if not check.valid:
                raise ValueError(
                    f"{path}: case {case.id!r}: {code} is not billable on "
                    f"{case.date_of_service} ({check.reason})"
                )
    return case


# -- the notebook ---------------------------------------------------------------------
def _meta(grade_id: str, **kw: object) -> dict:
    meta = {"grade": False, "grade_id": grade_id, "locked": True, "schema_version": 3}
    meta.update({"solution": False, "task": False, **kw})
    return {"nbgrader": meta}


def _md(cell_id: str, text: str, **meta: object) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(text, metadata=meta)
    cell.id = cell_id
    return cell


def _code(cell_id: str, text: str, **meta: object) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(text, metadata=meta)
    cell.id = cell_id
    return cell


def _key(i: int) -> str:
    return f"case {i}"


def _intro(n: int, explain: int, sample: bool) -> str:
    total = n * CASE_POINTS + EXPLAIN_POINTS
    note = (
        "\n\n> **Public sample.** `medbill-lab course init` replaces these cases with the "
        "course's own, drawn with a secret only the instructor holds; a course never grades "
        "these."
        if sample
        else ""
    )
    return (
        f"# ICD-10-CM coding: {n} outpatient cases\n\n"
        "Read each note and report the ICD-10-CM codes it supports, **in sequence**\n"
        "(first-listed diagnosis first), for the code set in effect on the date of service.\n\n"
        f"**How each case is graded ({CASE_POINTS} points).** The lab's grader scores your\n"
        "codes element by element: 2 for each expected code (1 for the right category but a\n"
        "less specific or different code), 1 for the sequence, and -0.5 for each code the\n"
        f"note does not support. Your points for the case are {CASE_POINTS} x that\n"
        "percentage, so a partly right answer earns part of the points.\n\n"
        "| Part | Points | Graded by |\n|---|---|---|\n"
        f"| {n} cases | {CASE_POINTS} each, {n * CASE_POINTS} in all | computer, partial credit |\n"
        f"| Explain case {explain} | {EXPLAIN_POINTS} | your instructor |\n"
        f"| **Total** | **{total}** | |" + note
    )


def _case_markdown(i: int, case: Case) -> str:
    sex = {"F": "female", "M": "male"}.get(case.sex.upper(), case.sex)
    who = ", ".join(p for p in (f"age {case.age}" if case.age is not None else "", sex) if p)
    order = "sequence matters" if case.sequence_matters else "any order"
    return (
        f"### Case {i}: {escape(case.title, quote=False)}\n\n"
        f"*Date of service:* {case.date_of_service} &middot; *Patient:* {escape(who, quote=False)} "
        f"&middot; *{order}*\n\n> " + escape(case.note, quote=False).replace("\n", "\n> ")
    )


def _answers_cell(cases: Sequence[Case]) -> str:
    model = icd10cm_form.filled([", ".join(c.answer) for c in cases])
    return f"{icd10cm_form.blank(len(cases))}\n### BEGIN SOLUTION\n{model}\n### END SOLUTION"


def _test_cell(i: int, case: Case) -> str:
    data = pformat(case.as_dict(), width=88, sort_dicts=False)
    return (
        f"# Case {i} ({CASE_POINTS} points).\n"
        "# Self-check now: your codes are read and each is validated for the date of service.\n"
        "# The grade, with a line per element, comes with your feedback: "
        f"{CASE_POINTS} points x the\n# grader's percent for this case.\n"
        "from medbill_lab.codes import icd10cm\n"
        "from medbill_lab.training.assignments import icd10cm_coding as _form\n\n"
        f'assert _form.codes(answers, {i}), "Type your codes for case {i} on the form above '
        f'(Case {i} codes: ...) and run it."\n'
        f"for _code in _form.codes(answers, {i}):\n"
        f'    print(icd10cm.validate(_code, "{case.date_of_service}"))\n'
        "### BEGIN HIDDEN TESTS\n"
        "from medbill_lab.training.cases import Case\n"
        "from medbill_lab.training.element_log import log as _log\n"
        "from medbill_lab.training.grading import grade\n\n"
        f"_case = Case.from_dict(\n{data}\n)\n"
        f"_report = grade(_case, _form.typed(answers, {i}))\n"
        "print()\n"
        "print(_report.to_text())\n"
        "_log(_report)  # each code's expected and given, for the class report\n"
        f"_report.points({CASE_POINTS})\n"
        "### END HIDDEN TESTS"
    )


def _explain_question(k: int) -> str:
    # Asks for the student's own reasoning; names no code, condition or rule of any case.
    return (
        f"## Explain case {k} ({EXPLAIN_POINTS} points, graded by your instructor)\n\n"
        f"In two to four sentences, explain the codes you reported for case {k}: which\n"
        "guideline (a section of the ICD-10-CM Official Guidelines, or a tabular instruction)\n"
        "decides each code you reported or left out, and, if you reported more than one,\n"
        "their order.\n\n"
        f"**Rubric ({EXPLAIN_POINTS} points)**\n\n"
        "- **1 point, the rule:** names the guideline section or tabular instruction that\n"
        "  decides this case's codes and states it correctly.\n"
        "- **1 point, applied to the case:** ties the rule to what the note documents (the\n"
        "  words that select each code, and what the note leaves out).\n"
        "- **0 points:** lists codes without a reason, or cites a rule that does not apply."
    )


def _model_answer(case: Case) -> str:
    return (
        f"Model answer (instructor only): {', '.join(case.answer)}. {case.rationale}\n\n"
        f"Source: {case.guideline.rstrip('.')}."
    )


def build_notebook(
    cases: Sequence[Case], explain: int = 1, sample: bool = False
) -> nbformat.NotebookNode:
    """The nbgrader source notebook for ``cases``; the written question is on case ``explain``.

    Answers appear only in the solution cell, the hidden tests and the model answer
    of the written question (a markdown solution cell), all of which nbgrader strips
    from the student version.
    """
    if not 1 <= len(cases) <= MAX_CASES:
        raise ValueError(f"a graded set has 1 to {MAX_CASES} cases, not {len(cases)}")
    if not 1 <= explain <= len(cases):
        raise ValueError(f"the written question must be on case 1 to {len(cases)}")
    n = len(cases)
    cells = [
        _md("intro", _intro(n, explain, sample)),
        _code("setup", SETUP, **_meta("setup")),
    ]
    for i, case in enumerate(cases, 1):
        cells.append(_md(f"case-{i}", _case_markdown(i, case), **_meta(f"case_{i}")))
    cells += [
        _md(
            "answers-text",
            "## Your codes\n\nThe cell below is your answer sheet, one line per case. Type each "
            "case's codes\nafter its colon as you would in an encoder, in sequence (the "
            "first-listed diagnosis\nfirst), with a comma between codes, for example "
            "`Case 1 codes: <first code>, <second code>`.\nLeave a case blank if you have no "
            "answer yet, and run the cell: it shows your form as it\nreads it and marks any "
            "value that is not a code.",
        ),
        _code("answers", _answers_cell(cases), **_meta("answers", locked=False, solution=True)),
        _md(
            "checks-text",
            "## Checks\n\nRun each cell below. It confirms that you typed codes for the case "
            "and tells you\nwhether each one is billable on the date of service. It does not "
            "tell you whether\nthe codes are right: that, with an explanation of each element, "
            "is in your feedback.",
        ),
    ]
    for i, case in enumerate(cases, 1):
        meta = _meta(f"test_case_{i}", grade=True, points=CASE_POINTS)
        cells.append(_code(f"test-case-{i}", _test_cell(i, case), **meta))
    cells += [
        _md("explain-text", _explain_question(explain)),
        _md(
            "explain-case",
            _model_answer(cases[explain - 1]),
            **_meta("explain_case", grade=True, locked=False, solution=True, points=EXPLAIN_POINTS),
        ),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        },
        "language_info": {"name": "python"},
    }
    return nb


def prepare_exercise(
    folder: str | Path, rng: random.Random, cases: Sequence[Case] | None = None
) -> Path:
    """Write ``folder/icd10cm_coding.ipynb`` for one course and return its path.

    ``cases`` (an instructor's own) or, when None, cases drawn with ``rng``; ``rng``
    also picks the case of the written question.
    """
    chosen = list(cases) if cases is not None else draw_cases(rng)
    explain = rng.randint(1, len(chosen))
    path = Path(folder) / NOTEBOOK
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(build_notebook(chosen, explain), path)
    return path


def sample_notebook() -> nbformat.NotebookNode:
    """The public sample shipped in ``exercises/`` (generated cases, answers public)."""
    rng = random.Random(SAMPLE_SEED)
    cases = draw_cases(rng)
    return build_notebook(cases, rng.randint(1, len(cases)), sample=True)


def cases_in(source: nbformat.NotebookNode) -> list[Case]:
    """The graded cases of a source notebook, read back from its hidden tests, in order.

    For the instructor (and tests): a released notebook has no hidden tests, so it
    gives an empty list.
    """
    found = []
    for cell in source.cells:
        if cell.cell_type != "code" or "### BEGIN HIDDEN TESTS" not in cell.source:
            continue
        hidden = cell.source.split("### BEGIN HIDDEN TESTS", 1)[1]
        match = re.search(r"Case\.from_dict\(\s*(\{.*?\})\s*\)\n", hidden, re.S)
        if match:
            found.append(Case.from_dict(ast.literal_eval(match.group(1))))
    return found


# -- sample submissions ---------------------------------------------------------------
def answer_key(solution_source: str) -> dict[str, str]:
    """The codes of the answer cell by case: ``{"case 1": "codes", ...}``.

    Reads the form (``%%answers``) or, from a course made before the form, the cell's
    last ``answers = {...}``.

    >>> answer_key('answers = {"case 1": ""}\\nanswers = {"case 1": "R42"}')
    {'case 1': 'R42'}
    >>> answer_key("%%answers icd10cm_coding\\nCase 1 codes: R42")
    {'case 1': 'R42'}
    """
    if solution_source.lstrip().startswith("%%answers"):
        return icd10cm_form.key_of(solution_source)
    found = assigned(solution_source, "answers")
    return found if isinstance(found, dict) else {}


def partial_answers(solution_source: str) -> str:
    """A partly right answer cell: one case right, one with its first code only, rest blank.

    Written as the form, or as the ``answers`` dict for a course made before the form.

    >>> print(partial_answers('answers = {"case 1": "R42", "case 2": "I11.0, I50.22", "case 3": "R51.9"}'))
    answers = {'case 1': 'R42', 'case 2': 'I11.0', 'case 3': ''}
    >>> print(partial_answers("%%answers icd10cm_coding\\nCase 1 codes: R42\\nCase 2 codes: I10, N18.30"))
    %%answers icd10cm_coding
    # Your codes: one line per case, in sequence (the first-listed diagnosis first), a comma between codes; leave a case blank if you have no answer yet
    Case 1 codes (comma between): R42
    Case 2 codes (comma between): I10
    """
    key = answer_key(solution_source)
    names = list(key)
    multi = next((k for k in names if len(key[k].split(",")) > 1), None)
    right = next((k for k in names if k != multi), None)
    out = {k: "" for k in names}
    if right:
        out[right] = key[right]
    if multi:
        out[multi] = key[multi].split(",")[0].strip()
    if solution_source.lstrip().startswith("%%answers"):
        return f"{icd10cm_form.MAGIC}\n{icd10cm_form.filled(list(out.values()))}"
    return f"answers = {out!r}"


def partial(correct: Mapping[str, str]) -> dict[str, str]:
    """The demo's partly right submission, from the course's own answers (by cell id).

    The codes from :func:`partial_answers`; the written explanation names no guideline,
    so it earns none of its rubric's points when the instructor grades it.

    >>> partial({"answers": 'answers = {"case 1": "R42"}'})["answers"]
    "answers = {'case 1': 'R42'}"
    """
    out = {"explain_case": WEAK_EXPLANATION}
    if "answers" in correct:
        out["answers"] = partial_answers(correct["answers"])
    return out


# rebuild the public sample: python -m medbill_lab.training.coding_assignment
if __name__ == "__main__":
    _dest = project_root() / "exercises" / ASSIGNMENT / NOTEBOOK
    nbformat.write(sample_notebook(), _dest)
