"""Graded answers stay hidden: what a student can reach never leads to a course's answers.

A course is made by ``course init`` and its coding assignment released with nbgrader.
The release is copied into a student's own folder (as ``nbgrader fetch`` does), a
kernel is started there, the released notebook is run as handed out, and then, in
the same kernel, the student tries what a curious student would: read every file
of the installed package, ``datasets/`` and the checkout, call the public case
functions with the ids the notebook shows, and replay the public generator.
"""

from __future__ import annotations

import json
import re
import shutil
import stat
import textwrap
import warnings
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from sqlalchemy.exc import SAWarning

from medbill_lab.training import coding_assignment, course
from medbill_lab.training.cases import load_cases
from medbill_lab.training.grading import grade

ASSIGNMENT = "icd10cm_coding"
# a dotted ICD-10-CM code (E11.22, S52.521A, W09.2XXA, Z3A.38)
CODE = re.compile(r"\b[A-TV-Z][0-9][0-9A-Z]\.[0-9A-Z]{1,4}\b")


def _codes_in(text: str, cases: list) -> list[str]:
    """Dotted codes in ``text``, and any answer code (R42 has no dot) of ``cases``."""
    found = CODE.findall(text)
    for case in cases:
        found += [c for c in case.answer if re.search(rf"\b{re.escape(c)}\b", text)]
    return found


def _source(root: Path) -> nbformat.NotebookNode:
    return nbformat.read(root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)


def _release(root: Path) -> nbformat.NotebookNode:
    return nbformat.read(root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)


def _generate(root: Path, *names: str) -> None:
    with course._tools_on_path():
        api = course.nbgrader_api(root)
        for name in names:
            course._check(api.generate_assignment(name, force=True), f"generate {name}")


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """A course with its coding and fraud assignments released: (course folder, cases)."""
    root = course.init_course(tmp_path_factory.mktemp("course") / "c1")
    _generate(root, ASSIGNMENT, "fraud_schemes")
    return root, coding_assignment.cases_in(_source(root))


def _secrets(root: Path) -> list[str]:
    """Every value that would lead to a course's answers: the secret and the seeds from it."""
    secret = course.course_secret(root)
    seeds = [course.assignment_seed(root, a) for a in course.assignments()]
    return [secret.hex(), str(course.assignment_seed(root, "fraud_schemes", bits=128))] + [
        str(s) for s in seeds
    ]


# -- the release itself ---------------------------------------------------------------
def test_the_course_has_five_generated_cases_with_answers_in_its_source(released):
    _, cases = released
    assert [c.id for c in cases] == [f"case-{i}" for i in range(1, 6)]
    assert all(c.answer for c in cases)
    shipped = {c.note for c in load_cases()}
    assert not any(c.note in shipped for c in cases), "graded cases are not the practice pool"


def test_release_holds_no_answer_no_hidden_test_and_no_seed(released):
    root, cases = released
    text = "\n".join(
        p.read_text("utf-8", "replace")
        for p in (root / "release").rglob("*")
        if p.is_file() and p.suffix in {".ipynb", ".py", ".txt", ".md", ".json"}
    )
    assert "HIDDEN" not in text and "BEGIN SOLUTION" not in text
    assert "from_dict" not in text and "Model answer" not in text
    nb = "\n".join(c.source for c in _release(root).cells)
    # no ICD-10-CM code at all in the student's notebook: none of the answers, and the
    # written question names none either
    assert _codes_in(nb, cases) == []
    for case in cases:
        assert case.note in nb  # the narratives are there to code
        assert case.rationale not in nb
    for value in _secrets(root):
        assert value not in text
    assert "_SEED" not in text  # the fraud lab's seed stays in its hidden tests


def test_the_secret_is_private_long_and_stays_out_of_every_notebook(released):
    root, _ = released
    path = root / course.SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(course.course_secret(root)) * 8 >= 128
    every = "\n".join(p.read_text("utf-8", "replace") for p in root.rglob("*.ipynb"))
    assert course.course_secret(root).hex() not in every
    assert str(course.assignment_seed(root, ASSIGNMENT)) not in every


def test_the_written_question_gives_away_no_answer(released):
    root, cases = released
    rel = _release(root)
    question = next(c.source for c in rel.cells if c.get("id") == "explain-text")
    assert _codes_in(question, cases) == []
    for case in cases:
        assert case.guideline not in question and case.rationale not in question


# -- from a student's kernel ----------------------------------------------------------
PROBE = textwrap.dedent(
    """
    import medbill_lab
    from medbill_lab.training import cases as _cases
    from medbill_lab.datasets import datasets_dir

    _pairs = json.loads(NOTES)
    _notes = [_n for _n, _ in _pairs]
    _found = []
    # 1. every file a student can read: the package, datasets/, the checkout, this folder
    _pkg = pathlib.Path(medbill_lab.__file__).resolve().parent
    _roots = {_pkg, datasets_dir().resolve(), _pkg.parent, pathlib.Path.cwd(), CONTROL}
    _seen = set()
    for _root in _roots:
        for _p in _root.rglob("*"):
            if ".venv" in _p.parts or ".git" in _p.parts or not _p.is_file() or _p in _seen:
                continue
            _seen.add(_p)
            if _p.stat().st_size > 60_000_000:
                continue
            try:
                _raw = _p.read_bytes()
                if _p.suffix == ".gz":
                    _raw = gzip.decompress(_raw)
            except (OSError, EOFError, gzip.BadGzipFile):
                continue
            _text = _raw.decode("utf-8", "replace")
            _flat = " ".join(_text.replace("\\\\n", " ").split())
            # a narrative paired with its answer: the note and every one of its codes
            for _n, _codes in _pairs:
                if (_n in _text or _n in _flat) and all(
                    re.search(rf"\\b{re.escape(_c)}\\b", _text) for _c in _codes
                ):
                    _found.append(f"note with its answer in {_p}")
            for _s in SECRETS:
                if _s in _text:
                    _found.append(f"secret in {_p}")
    # 2. the public case functions, with the ids and labels the notebook shows
    for _i in range(1, 6):
        for _cid in (f"case-{_i}", f"case {_i}", f"case_{_i}", str(_i)):
            try:
                _c = _cases.get_case(_cid)
            except (KeyError, ValueError):
                continue
            if _c.note in _notes:
                _found.append(f"get_case({_cid!r})")
    for _c in _cases.load_cases():
        if _c.note in _notes:
            _found.append(f"shipped case {_c.id}")
    # 3. the generator as an oracle: replay public seeds and look for a graded note
    for _t in _cases.TEMPLATES:
        for _seed in range(300):
            if _cases.generate(_seed, _t).note in _notes:
                _found.append(f"generate({_seed}, {_t!r})")
    for _seed in range(300):
        if _cases.pick_case(_seed, include_generated=True).note in _notes:
            _found.append(f"pick_case({_seed})")
    # 4. anything the released notebook left in the kernel
    for _k, _v in list(globals().items()):
        if _k.startswith("_") or _k in ("NOTES", "ANSWERS", "SECRETS", "CONTROL", "In", "Out"):
            continue
        _r = repr(_v)
        for _a in json.loads(ANSWERS):
            if _a in _r:
                _found.append(f"global {_k}")
    print(json.dumps({"found": _found, "files": len(_seen)}))
    """
)


def test_a_students_kernel_finds_no_answer(released, tmp_path):
    root, cases = released
    home = tmp_path / "student" / ASSIGNMENT  # what `nbgrader fetch` gives a student
    shutil.copytree(root / "release" / ASSIGNMENT, home)
    nb = nbformat.read(home / f"{ASSIGNMENT}.ipynb", 4)
    answers = [", ".join(c.answer) for c in cases]
    # a positive control: the instructor's source, where the probe must find every answer
    control = tmp_path / "control"
    control.mkdir()
    shutil.copy(root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", control / "key.ipynb")
    setup = (
        "import gzip, json, pathlib, re\n"
        f"CONTROL = pathlib.Path({str(control)!r})\n"
        f"NOTES = {json.dumps(json.dumps([[c.note, list(c.answer)] for c in cases]))}\n"
        f"ANSWERS = {json.dumps(json.dumps(answers))}\n"
        f"SECRETS = {_secrets(root)!r}\n"
    )
    nb.cells.append(nbformat.v4.new_code_cell(setup + PROBE))
    NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        allow_errors=True,  # the check cells refuse the blank form, as they do for a student
        resources={"metadata": {"path": str(home)}},
    ).execute()
    out = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    errors = [o for o in nb.cells[-1].outputs if o.output_type == "error"]
    assert not errors, errors
    result = json.loads(out.strip().splitlines()[-1])
    assert result["files"] > 100  # it did read the package and the datasets
    assert result["found"] == [f"note with its answer in {control / 'key.ipynb'}"] * len(cases)
    # the released notebook ran as a student runs it: the blank form reads, and the check
    # cells ask for each case's codes
    ran = [o for c in nb.cells[:-1] for o in c.get("outputs", [])]
    refused = [o.get("evalue", "") for o in ran if o.get("ename") == "AssertionError"]
    assert [r.split(" on the form")[0] for r in refused] == [
        f"Type your codes for case {i}" for i in range(1, len(cases) + 1)
    ]
    assert not any(o.get("ename") == "NotImplementedError" for o in ran)


# -- per course, and stable -----------------------------------------------------------
def test_two_courses_get_different_cases_and_a_course_redraws_the_same(released, tmp_path):
    root, cases = released
    other = course.init_course(tmp_path / "c2")
    theirs = coding_assignment.cases_in(_source(other))
    assert {c.note for c in cases}.isdisjoint(c.note for c in theirs)
    assert [c.answer for c in cases] != [c.answer for c in theirs]
    assert course.assignment_seed(root, ASSIGNMENT) != course.assignment_seed(other, ASSIGNMENT)
    # the same course, its source removed and drawn again: the same notebook
    before = (other / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_bytes()
    shutil.rmtree(other / "source" / ASSIGNMENT)
    course.init_course(other)
    assert (other / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_bytes() == before


def test_each_assignment_derives_its_own_seed_from_the_secret(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    a = course.assignment_seed(root, "icd10cm_coding")
    assert a == course.assignment_seed(root, "icd10cm_coding")
    assert a != course.assignment_seed(root, "fraud_schemes")
    assert 0 <= course.assignment_seed(root, "x", bits=128) < 2**128
    assert course.assignment_rng(root, "x").random() == course.assignment_rng(root, "x").random()
    (root / course.SECRET_FILE).write_text("# secret\nabcd\n")  # 16 bits: too short
    with pytest.raises(ValueError, match="128 bits"):
        course.course_secret(root)


def test_graded_notes_carry_details_from_the_course_rng_but_the_same_codes(released):
    _, cases = released
    for case in cases:
        assert re.search(r"Seen at \d\d:\d\d, (accompanied by|unaccompanied)", case.note)
    # the details are not codable: a graded case grades like its undressed draw
    import random

    from medbill_lab.training.cases import generate_with

    plain = generate_with(random.Random(9), "colonoscopy", "x")
    dressed = coding_assignment.dress(plain, random.Random(9))
    assert dressed.answer == plain.answer and dressed.note != plain.note
    assert grade(dressed, ", ".join(plain.answer)).percent == 100


# -- the instructor's own case file ---------------------------------------------------
OWN_CASES = [
    {
        "id": "mine-1",
        "title": "Sore throat",
        "date_of_service": "2026-02-10",
        "age": 34,
        "sex": "F",
        "note": "Office visit. Sore throat for three days; rapid strep test positive. "
        "Assessment: streptococcal pharyngitis.",
        "answer": ["J02.0"],
    },
    {
        "id": "mine-2",
        "title": "Back pain",
        "date_of_service": "2026-05-20",
        "age": 51,
        "sex": "M",
        "note": "Office visit. Low back pain for a week after lifting boxes; no radiation, "
        "no neurological deficit. Assessment: low back pain.",
        "answer": ["M54.50"],
    },
    {
        "id": "mine-3",
        "title": "Numb feet",
        "date_of_service": "2026-03-03",
        "age": 63,
        "sex": "M",
        "note": "Office visit. Type 2 diabetes mellitus; numbness of both feet, monofilament "
        "sensation reduced. Takes metformin daily. Assessment: type 2 diabetes with "
        "diabetic polyneuropathy.",
        "answer": ["E11.42", "Z79.84"],
    },
]


@pytest.fixture(scope="module")
def own_course(tmp_path_factory, run_cli):
    """A course whose coding cases come from the instructor's file, demo-graded."""
    base = tmp_path_factory.mktemp("own")
    cases_file = base / "private_cases.json"
    cases_file.write_text(json.dumps(OWN_CASES))
    root = base / "c"
    out = run_cli("course", "init", str(root), "--cases", str(cases_file), timeout=300)
    assert out.returncode == 0, out.stderr
    course.init_course(root, timeout=5)  # rewrite the config with a short timeout
    _generate(root, ASSIGNMENT)
    course.write_sample_submissions(root, [ASSIGNMENT])
    with course._tools_on_path(), warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)  # nbgrader's own session noise
        api = course.nbgrader_api(root)
        for student in ("student01", "student02", "student03"):
            course._check(api.autograde(ASSIGNMENT, student, force=True), f"autograde {student}")
    return root


def test_an_instructors_case_file_becomes_the_graded_cases(own_course):
    got = coding_assignment.cases_in(_source(own_course))
    assert [c.note for c in got] == [c["note"] for c in OWN_CASES]
    assert [list(c.answer) for c in got] == [c["answer"] for c in OWN_CASES]
    released = "\n".join(c.source for c in _release(own_course).cells)
    assert "mine-1" not in released and _codes_in(released, got) == []


def test_correct_sample_scores_full_marks_partial_less_blank_zero(own_course):
    rows = {
        r.student: r
        for r in course.grade_table(own_course)
        if r.assignment == ASSIGNMENT and r.status == "graded"
    }
    assert rows["student01"].auto_score == rows["student01"].max_auto_score == 9
    assert 0 < rows["student02"].auto_score < rows["student01"].auto_score
    assert rows["student03"].auto_score == 0


def _case_file(tmp_path: Path, content: object) -> Path:
    path = tmp_path / "cases.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not a JSON case file"),
        ([], "1 to 20 cases"),
        ([{"id": "a", "title": "t", "date_of_service": "2026-01-05", "note": "n"}], "lacks answer"),
        ([{**OWN_CASES[0], "answer": ["J02"]}], "J02 is not billable on 2026-02-10"),
        ([{**OWN_CASES[0], "answer": ["J02.0", "E11.9"]}, {**OWN_CASES[0]}], "appears twice"),
        ("[1]", "case 1 is not a JSON object"),
    ],
)
def test_a_bad_case_file_is_one_line_and_makes_no_course(tmp_path, run_cli, content, message):
    path = _case_file(tmp_path, content)
    out = run_cli("course", "init", str(tmp_path / "c"), "--cases", str(path), timeout=60)
    assert out.returncode != 0
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert message in out.stderr
    assert not (tmp_path / "c").exists()


def test_a_case_copied_from_the_public_practice_pool_is_refused(tmp_path):
    shipped = load_cases()[3].as_dict()
    path = _case_file(tmp_path, [{**shipped, "id": "renamed"}])
    with pytest.raises(ValueError, match="public practice case"):
        coding_assignment.load_case_file(path)
    with pytest.raises(FileNotFoundError, match="cannot read the case file"):
        coding_assignment.load_case_file(tmp_path / "missing.json")
