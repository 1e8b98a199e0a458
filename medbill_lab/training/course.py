"""Run the lab's exercises as an nbgrader course: set one up, and a full demo cycle.

``init_course(dir)`` makes a ready course folder: ``nbgrader_config.py`` (course
id, a gradebook and an exchange inside the folder, a cell timeout, deleted test
cells put back), ``source/<assignment>/`` copied from ``exercises/``, and
``gradebook.db`` with the assignments and a roster of synthetic students.  Graded
data is the course's own: ``course_secret.txt`` (256 bits from ``secrets``, kept in
the instructor's folder) seeds each assignment through ``assignment_rng`` (an HMAC
of the assignment's name), which draws the coding cases, the fraud lab and the items
of every assignment whose ``exercises/`` notebook is a template
(``medbill_lab.training.assignments``); their answers are written only into the hidden tests.

``demo(dir)`` runs the instructor's cycle with nbgrader's Python API in a throwaway
course of its own (a new or empty folder, never a course): generate the student
versions, write sample submissions (correct, partly right, blank, an infinite loop,
and one that tampers with the test cells), autograde them, generate feedback, export
``grades.csv``, and return a table.  The instructor's steps (``release``, ``collect``,
``grade``, ``feedback``) run one nbgrader step each on a real course; grading kernels
use Unix sockets (:func:`kernel_config`).

>>> [s.id for s in DEFAULT_STUDENTS][:2]
['student01', 'student02']
>>> SCENARIOS["student04"]
'infinite loop'
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import hmac
import os
import random
import re
import secrets
import shutil
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat
from nbformat.warnings import MissingIDFieldWarning
from sqlalchemy.exc import SAWarning

from medbill_lab.datasets import project_root

if TYPE_CHECKING:
    from nbgrader import api as nbapi
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

COURSE_ID = "medbill-101"
DEFAULT_TIMEOUT = 30
CONFIG_FILE = "nbgrader_config.py"
GRADEBOOK = "gradebook.db"
GRADES_CSV = "grades.csv"
CONFIG_MARKER = "# Written by `medbill-lab course init`."
SECRET_FILE = "course_secret.txt"
SECRET_BYTES = 32
SECRET_NOTE = (
    "# This course's secret: every graded case and answer key is drawn from it. Keep it"
    " private (never in source/ or release/); losing it only stops redrawing the same."
)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class CourseError(ChildProcessError):
    """An nbgrader step failed; the message names the step and nbgrader's error.

    >>> str(CourseError("nbgrader autograde failed"))
    'nbgrader autograde failed'
    """


@dataclass(frozen=True)
class Student:
    """One student on the roster."""

    id: str
    first_name: str = ""
    last_name: str = ""


DEFAULT_STUDENTS = (
    Student("student01", "Avery", "Quinlan"),
    Student("student02", "Blake", "Okafor"),
    Student("student03", "Casey", "Lindqvist"),
    Student("student04", "Devon", "Marchetti"),
    Student("student05", "Emery", "Sato"),
)

# The sample submission each demo student hands in.
SCENARIOS = {
    "student01": "correct",
    "student02": "partial",
    "student03": "blank",
    "student04": "infinite loop",
    "student05": "tampered",
}


# -- paths and names ----------------------------------------------------------------
def exercises_dir() -> Path:
    """The ``exercises/`` folder of nbgrader source assignments in this checkout.

    ``MEDBILL_LAB_EXERCISES`` names another: on a hub the lab is installed as a
    package and the hub gives instructors (only) a private copy.
    """
    override = os.environ.get("MEDBILL_LAB_EXERCISES")
    return Path(override) if override else project_root() / "exercises"


def assignments() -> tuple[str, ...]:
    """The shipped assignments: folders of ``exercises/`` holding a notebook.

    >>> {"terminology", "icd10cm_coding"} <= set(assignments())
    True
    """
    root = exercises_dir()
    if not root.is_dir():
        return ()
    return tuple(sorted(p.name for p in root.iterdir() if p.is_dir() and any(p.glob("*.ipynb"))))


def _check_name(kind: str, name: str) -> str:
    """A course, student or assignment id, checked: it becomes a folder name.

    >>> _check_name("student id", "student01")
    'student01'
    >>> _check_name("student id", "../x")
    Traceback (most recent call last):
    ...
    ValueError: bad student id '../x': use letters, digits, '_', '-' or '.'
    """
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"bad {kind} {name!r}: use letters, digits, '_', '-' or '.'")
    return name


def _roster(students: Iterable[str | Student | tuple[str, ...]] | None) -> list[Student]:
    """Students as given (ids, tuples or Student), checked and without repeats."""
    out: list[Student] = []
    for s in DEFAULT_STUDENTS if students is None else students:
        if isinstance(s, str):
            s = (s,)
        if not isinstance(s, Student) and not 1 <= len(s) <= 3:
            raise ValueError(f"a student is an id, or (id, first name, last name); got {s!r}")
        student = s if isinstance(s, Student) else Student(*s)
        _check_name("student id", student.id)
        if student.id not in {o.id for o in out}:
            out.append(student)
    return out


def _course_dir(directory: str | os.PathLike[str]) -> Path:
    """The course folder, created when missing; clear errors for files and read-only places."""
    root = Path(directory).expanduser()
    if root.exists() and not root.is_dir():
        raise NotADirectoryError(f"{root} is a file, not a folder; choose a folder for the course")
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise type(exc)(f"cannot create the course folder {root}: {exc.strerror}") from None
    if not os.access(root, os.W_OK | os.X_OK):
        raise PermissionError(f"the course folder {root} is not writable")
    return root.resolve()


@contextlib.contextmanager
def _tools_on_path() -> Iterator[None]:
    """Put this interpreter's scripts (alembic, jupyter) first on PATH for a while.

    nbgrader runs ``alembic`` when it creates a gradebook.
    """
    old = os.environ.get("PATH", "")
    os.environ["PATH"] = _tool_path()
    try:
        yield
    finally:
        os.environ["PATH"] = old


def _tool_path() -> str:
    bin_dir = str(Path(sys.executable).parent)
    return os.pathsep.join([bin_dir, os.environ.get("PATH", "")])


# -- init ---------------------------------------------------------------------------
def config_text(course_id: str = COURSE_ID, timeout: int = DEFAULT_TIMEOUT) -> str:
    """The ``nbgrader_config.py`` for a course; paths are relative to the file.

    >>> "c.ExecutePreprocessor.timeout = 30" in config_text()
    True
    """
    return f'''{CONFIG_MARKER}
# nbgrader configuration for the MedBill Lab course {course_id!r}. Paths are taken
# relative to this file, so the course folder can be moved as a whole.
import os

c = get_config()  # noqa: F821 (provided by traitlets when it reads this file)
here = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.root = here
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(here, "{GRADEBOOK}")
# release/collect go through a folder inside the course, so no system path is needed;
# on a JupyterHub the spawner sets MEDBILL_EXCHANGE to the shared exchange (deploy/)
c.Exchange.root = os.environ.get("MEDBILL_EXCHANGE") or os.path.join(here, "exchange")
# a cell running longer than this (an infinite loop) is interrupted and scores 0
c.ExecutePreprocessor.timeout = {int(timeout)}
# test cells a student deleted are put back from the gradebook before grading
c.OverwriteCells.add_missing_cells = True
# feedback shows each test cell as one plain line with its explanation, never its code,
# and a released answer form holds no Python stub
from medbill_lab.training import plain_feedback

c.GenerateFeedback.preprocessors = plain_feedback.feedback_preprocessors()
c.GenerateAssignment.preprocessors = plain_feedback.assignment_preprocessors()
'''


def _write_config(root: Path, course_id: str, timeout: int) -> None:
    path = root / CONFIG_FILE
    if path.exists() and not path.read_text(encoding="utf-8").startswith(CONFIG_MARKER):
        raise FileExistsError(
            f"{path} exists and was not written by medbill-lab; move it away or use another folder"
        )
    path.write_text(config_text(course_id, timeout), encoding="utf-8")


# -- the course's secret --------------------------------------------------------------
def course_secret(root: str | os.PathLike[str]) -> bytes:
    """This course's secret (256 bits), made on first use in ``root/course_secret.txt``.

    It stays in the instructor's course folder (mode 0600): nbgrader releases only
    ``release/<assignment>/``, and nothing written to students holds it or a value it
    seeds.  Every assignment that draws its own data derives its generator from it.
    """
    path = Path(root) / SECRET_FILE
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(f"{SECRET_NOTE}\n{secrets.token_hex(SECRET_BYTES)}\n")
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
    keys = [ln for ln in lines if ln and not ln.startswith("#")]
    try:
        secret = bytes.fromhex(keys[0]) if len(keys) == 1 else b""
    except ValueError:
        secret = b""
    if len(secret) < 16:
        raise ValueError(f"{path} does not hold a course secret of 128 bits or more")
    return secret


def assignment_seed(root: str | os.PathLike[str], assignment: str, bits: int = 256) -> int:
    """A seed of ``bits`` bits for one assignment: HMAC-SHA256 of its name under the secret.

    Each assignment gets its own, and none leads back to the secret or to another's.
    """
    digest = hmac.new(
        course_secret(root), f"assignment:{assignment}".encode(), hashlib.sha256
    ).digest()
    return int.from_bytes(digest, "big") >> (256 - min(max(bits, 1), 256))


def assignment_rng(root: str | os.PathLike[str], assignment: str) -> random.Random:
    """The random generator of one assignment of this course (the same on every run)."""
    return random.Random(assignment_seed(root, assignment))


def _prepare_fraud_lab(root: Path, folder: Path, _cases: list | None) -> None:
    from medbill_lab.compliance import fraud_lab

    # 128 bits: numpy seeds its generator from all of them
    fraud_lab.prepare_exercise(folder, assignment_seed(root, "fraud_schemes", bits=128))


def _prepare_coding(root: Path, folder: Path, cases: list | None) -> None:
    from medbill_lab.training import coding_assignment

    coding_assignment.prepare_exercise(folder, assignment_rng(root, "icd10cm_coding"), cases)


def _prepare_rendered(root: Path, folder: Path, _cases: list | None) -> None:
    from medbill_lab.training import assignments as rendered

    # exercises/<name>/ is a template; the course's items and key come from its secret
    rendered.render(folder.name, folder, assignment_rng(root, folder.name))


# Exercises whose data each course draws afresh when its source is first copied: the
# data (and so the answer key) then lives only in this course's hidden tests.
_PREPARE: dict[str, Callable[[Path, Path, list | None], None]] = {
    "fraud_schemes": _prepare_fraud_lab,
    "icd10cm_coding": _prepare_coding,
    "terminology": _prepare_rendered,
    "cms1500_completion": _prepare_rendered,
    "modifier_ncci": _prepare_rendered,
    "em_leveling": _prepare_rendered,
    "post_835": _prepare_rendered,
    "denial_queue": _prepare_rendered,
    "ar_aging": _prepare_rendered,
    "deidentify_notes": _prepare_rendered,
    "inpatient_drg": _prepare_rendered,
    "ub04_completion": _prepare_rendered,
}


def _copy_sources(
    root: Path, cases: list | None = None, only: Iterable[str] | None = None
) -> list[str]:
    """Copy each exercise (or those ``only`` names) into ``source/``; files already there
    are kept as they are.

    ``cases`` (an instructor's own, for the coding assignment) rewrite its notebook.
    """
    names = assignments()
    if not names:
        raise FileNotFoundError(f"no exercises found in {exercises_dir()}")
    if only is not None:
        names = tuple(n for n in names if n in set(only))
    for name in names:
        fresh = not (root / "source" / name / f"{name}.ipynb").exists()
        fresh = fresh or (name == "icd10cm_coding" and cases is not None)
        for src in sorted((exercises_dir() / name).rglob("*")):
            dest = root / "source" / name / src.relative_to(exercises_dir() / name)
            if src.is_dir() or ".ipynb_checkpoints" in src.parts or dest.exists():
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)
        if fresh and name in _PREPARE:
            _PREPARE[name](root, root / "source" / name, cases)
    return list(names)


def _db_url(root: Path) -> str:
    return "sqlite:///" + str(root / GRADEBOOK)


def _register(root: Path, course_id: str, names: list[str], roster: list[Student]) -> None:
    from nbgrader.api import Gradebook

    with _tools_on_path(), Gradebook(_db_url(root), course_id=course_id) as gb:
        for name in names:
            gb.update_or_create_assignment(name)
        for s in roster:
            gb.update_or_create_student(s.id, first_name=s.first_name, last_name=s.last_name)


def init_course(
    directory: str | os.PathLike[str],
    course_id: str = COURSE_ID,
    students: Iterable[str | Student | tuple[str, ...]] | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    cases_file: str | os.PathLike[str] | None = None,
    assignment_names: Iterable[str] | None = None,
) -> Path:
    """Make ``directory`` a ready nbgrader course and return its absolute path.

    Writes ``nbgrader_config.py`` and the course's secret (``course_secret.txt``),
    copies ``exercises/*`` into ``source/`` (keeping files already there), draws the
    graded data of each new assignment from the secret (the coding cases, the fraud
    lab), and registers the assignments and the roster (default:
    ``DEFAULT_STUDENTS``) in ``gradebook.db``.  ``cases_file``: the instructor's own
    private coding cases instead of generated ones (checked first; they replace the
    coding assignment's cases).  Running it again is safe and draws the same.  Raises
    NotADirectoryError when ``directory`` is a file, PermissionError when it cannot
    be written, FileExistsError for a foreign ``nbgrader_config.py`` and ValueError
    for a bad course id, student id, timeout or case file.  ``assignment_names``: only
    these exercises (the demo's throwaway course), not every one.
    """
    _check_name("course id", course_id)
    if isinstance(timeout, bool) or not isinstance(timeout, int) or timeout < 1:
        raise ValueError(f"timeout must be a whole number of seconds, 1 or more; got {timeout!r}")
    roster = _roster(students)
    cases = None
    if cases_file is not None:
        from medbill_lab.training.coding_assignment import load_case_file

        cases = load_case_file(cases_file)
    root = _course_dir(directory)
    _write_config(root, course_id, timeout)
    course_secret(root)
    names = _copy_sources(root, cases, assignment_names)
    (root / "exchange").mkdir(exist_ok=True)
    _register(root, course_id, names, roster)
    return root


def _load_config(root: Path) -> Config:
    """The course's settings as nbgrader run in its folder reads them: each
    ``nbgrader_config.py`` on Jupyter's config path (a hub's shared exchange, its hardened
    submit and collect, its authenticator; deploy/jupyter/), then the course's own."""
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    if not (root / CONFIG_FILE).is_file():
        raise FileNotFoundError(f"{root} is not a course folder (no {CONFIG_FILE})")
    cfg = Config()
    for folder in reversed(jupyter_config_path()):  # the first folder on the path wins
        if (Path(folder) / CONFIG_FILE).is_file() and Path(folder).resolve() != root.resolve():
            cfg.merge(PyFileConfigLoader(CONFIG_FILE, path=folder).load_config())
    cfg.merge(PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config())
    from medbill_lab.training import plain_feedback

    # a course made before plain feedback and answer forms
    if "preprocessors" not in cfg.GenerateFeedback:
        cfg.GenerateFeedback.preprocessors = plain_feedback.feedback_preprocessors()
    if "preprocessors" not in cfg.GenerateAssignment:
        cfg.GenerateAssignment.preprocessors = plain_feedback.assignment_preprocessors()
    return cfg


def read_config(directory: str | os.PathLike[str]) -> tuple[str, int]:
    """The course id and cell timeout set in a course's ``nbgrader_config.py``."""
    cfg = _load_config(Path(directory))
    course_id = cfg.CourseDirectory.get("course_id", "default_course")
    return str(course_id), int(cfg.ExecutePreprocessor.get("timeout", DEFAULT_TIMEOUT))


# -- running nbgrader -----------------------------------------------------------------
def nbgrader_api(directory: str | os.PathLike[str], timeout: int | None = None) -> NbGraderAPI:
    """nbgrader's Python API for a course folder, configured by its ``nbgrader_config.py``.

    Each call (``generate_assignment``, ``autograde``, ...) returns a dict with
    ``success`` and the captured ``log`` instead of raising.  Its grading kernels talk
    over Unix sockets (:func:`kernel_config`); ``timeout`` replaces the course's cell
    timeout for this API only (the demo's infinite-loop sample).
    """
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    cfg = _load_config(Path(directory))
    cfg.merge(kernel_config())
    if timeout is not None:
        cfg.Execute.timeout = int(timeout)
    return NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg)


# A Unix socket's path must fit in 104 bytes (macOS; 108 on Linux); a kernel's are its
# prefix plus "-<n>", so the prefix stays well under that.
_IPC_ROOM = 80
_ipc_dirs: dict[int, str] = {}  # by process id: a forked worker makes its own


def kernel_config(posix: bool | None = None) -> Config:
    """Settings that start grading kernels on Unix sockets instead of TCP ports.

    Over TCP, ipykernel warns at every start that its traffic is unencrypted (once per
    submission graded).  The sockets sit in a private (0700) folder of this process,
    under /tmp when the temporary directory's path is too long for a socket (macOS),
    removed when the process ends.  The prefix is absolute: a kernel runs in the
    student's folder, so a relative one would not meet the grader's.  Windows, which
    has no Unix sockets, keeps TCP.

    >>> kernel_config(posix=False)
    {}
    >>> kernel_config(posix=True).KernelManager.transport
    'ipc'
    """
    import tempfile

    from traitlets.config import Config

    cfg = Config()
    if not (os.name == "posix" if posix is None else posix):
        return cfg
    pid = os.getpid()
    if pid not in _ipc_dirs:
        root = tempfile.gettempdir()
        root = root if len(root.encode()) + 30 <= _IPC_ROOM else "/tmp"
        _ipc_dirs[pid] = tempfile.mkdtemp(prefix="mbl-kernels-", dir=root)
        atexit.register(shutil.rmtree, _ipc_dirs[pid], ignore_errors=True)
    cfg.KernelManager.transport = "ipc"
    cfg.KernelManager.ip = os.path.join(_ipc_dirs[pid], "kernel")
    return cfg


def _check(result: dict, step: str) -> dict:
    """The result of an API call, or CourseError naming the step and nbgrader's error."""
    if not result.get("success"):
        log = (result.get("log") or "") + "\n" + (result.get("error") or "")
        raise CourseError(f"nbgrader {step} failed: {_error_line(log)}")
    return result


def _error_line(log: str) -> str:
    """The first line nbgrader logged as an error, or the last line of its output.

    >>> _error_line("[INFO] ok\\n[ERROR] No notebooks were matched\\n")
    'No notebooks were matched'
    """
    lines = [ln.strip() for ln in log.splitlines() if ln.strip()]
    for ln in lines:
        if "ERROR]" in ln:
            return ln.split("ERROR]", 1)[1].strip()
    return lines[-1] if lines else "no output"


def export_grades(directory: str | os.PathLike[str]) -> Path:
    """Write every student's grades to ``grades.csv`` (nbgrader's CSV export) and return it."""
    from nbgrader.api import Gradebook
    from nbgrader.plugins.export import CsvExportPlugin

    root = Path(directory)
    course_id, _ = read_config(root)
    dest = root / GRADES_CSV
    with _tools_on_path(), Gradebook(_db_url(root), course_id=course_id) as gb:
        CsvExportPlugin(to=str(dest)).export(gb)
    return dest


# -- sample submissions ---------------------------------------------------------------
def _grade_id(cell: nbformat.NotebookNode) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _is_solution(cell: nbformat.NotebookNode) -> bool:
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("solution"))


def _is_test(cell: nbformat.NotebookNode) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution") and cell.cell_type == "code"


def solutions(source_nb: nbformat.NotebookNode) -> dict[str, str]:
    """The instructor's answer for each solution cell, with the delimiter lines removed.

    >>> cell = nbformat.v4.new_code_cell("x = 0\\n### BEGIN SOLUTION\\nx = 1\\n### END SOLUTION")
    >>> cell.metadata["nbgrader"] = {"solution": True, "grade_id": "q1"}
    >>> solutions(nbformat.v4.new_notebook(cells=[cell]))
    {'q1': 'x = 0\\nx = 1'}
    """
    out = {}
    for cell in source_nb.cells:
        if _is_solution(cell) and _grade_id(cell):
            lines = cell.source.split("\n")
            if lines[0].startswith("%%answers"):
                lines = [lines[0], *_region(lines)]  # a form: the filled one, not the blank above
            kept = [ln for ln in lines if not re.search(r"(BEGIN|END) SOLUTION", ln)]
            out[_grade_id(cell)] = "\n".join(kept)
    return out


def _region(lines: list[str]) -> list[str]:
    """The lines between ``### BEGIN SOLUTION`` and ``### END SOLUTION``.

    >>> _region(["%%answers f", "Item 1:", "### BEGIN SOLUTION", "Item 1: x", "### END SOLUTION"])
    ['Item 1: x']
    """
    inside, out = False, []
    for line in lines:
        if "BEGIN SOLUTION" in line or "END SOLUTION" in line:
            inside = "BEGIN" in line
        elif inside:
            out.append(line)
    return out


def _fill(nb: nbformat.NotebookNode, answers: dict[str, str]) -> None:
    for cell in nb.cells:
        if _is_solution(cell) and _grade_id(cell) in answers:
            cell.source = answers[_grade_id(cell)]


def _partial_answers(assignment: str, correct: dict[str, str]) -> dict[str, str]:
    """Correct answers with some replaced by partly right ones (generic: half left blank).

    The assignments' own are made from this course's answers by the module that drew
    them, so no sample answer is written here.
    """
    from medbill_lab.training import assignments as rendered
    from medbill_lab.training import coding_assignment

    if assignment == coding_assignment.ASSIGNMENT:
        return {**correct, **coding_assignment.partial(correct)}
    if assignment in rendered.RENDERED:
        return rendered.partial_answers(assignment, correct)
    ids = list(correct)
    return {k: correct[k] for k in ids[: len(ids) // 2]}


def _tamper(nb: nbformat.NotebookNode) -> None:
    """Edit one test cell (and its points), delete another, strip a third of its metadata."""
    tests = [c for c in nb.cells if _is_test(c)]
    if tests:
        tests[0].source = "pass  # my tests now always pass"
        tests[0].metadata["nbgrader"]["points"] = 10 * tests[0].metadata["nbgrader"]["points"]
    if len(tests) > 1:
        nb.cells.remove(tests[1])
    if len(tests) > 2:
        del tests[2].metadata["nbgrader"]
        tests[2].source = "pass  # not a test any more"


def _loop(nb: nbformat.NotebookNode) -> None:
    """Start the first code answer with a loop that never ends (a form answer: the cell
    after it, one of the student's own)."""
    loop = "while True:  # waits forever\n    pass\n"
    for i, cell in enumerate(nb.cells):
        if _is_solution(cell) and cell.cell_type == "code":
            if cell.source.startswith("%%"):
                nb.cells.insert(i + 1, nbformat.v4.new_code_cell(loop))
            else:
                cell.source = loop + cell.source
            return


def sample_submission(
    scenario: str,
    assignment: str,
    released: nbformat.NotebookNode,
    source: nbformat.NotebookNode,
) -> nbformat.NotebookNode:
    """A student's notebook for one scenario, built from the released notebook.

    Scenarios: "correct", "partial", "blank", "infinite loop", "tampered" (the
    partial answers, with test cells edited, deleted and stripped).
    """
    nb = nbformat.from_dict(released)
    correct = solutions(source)
    if scenario in ("correct", "infinite loop"):
        _fill(nb, correct)
    elif scenario in ("partial", "tampered"):
        _fill(nb, _partial_answers(assignment, correct))
    elif scenario != "blank":
        raise ValueError(
            f"unknown scenario {scenario!r}; use one of {', '.join(SCENARIOS.values())}"
        )
    if scenario == "infinite loop":
        _loop(nb)
    if scenario == "tampered":
        _tamper(nb)
    return nb


def write_sample_submissions(
    directory: str | os.PathLike[str],
    assignment_names: Iterable[str] | None = None,
    scenarios: dict[str, str] | None = None,
) -> dict[str, str]:
    """Write ``submitted/<student>/<assignment>/`` for each demo student; return student -> scenario.

    Needs the released notebooks (run ``generate_assignment`` first).
    """
    root = Path(directory)
    scenarios = SCENARIOS if scenarios is None else scenarios
    for name in assignment_names or assignments():
        released_dir = root / "release" / name
        notebooks = sorted(released_dir.glob("*.ipynb"))
        if not notebooks:
            raise FileNotFoundError(f"no released notebooks in {released_dir}; generate it first")
        for path in notebooks:
            released = nbformat.read(path, as_version=4)
            source = nbformat.read(root / "source" / name / path.name, as_version=4)
            for student, scenario in scenarios.items():
                nb = sample_submission(scenario, name, released, source)
                dest = root / "submitted" / _check_name("student id", student) / name
                dest.mkdir(parents=True, exist_ok=True)
                nbformat.write(nb, dest / path.name)
    return dict(scenarios)


# -- the grade table ------------------------------------------------------------------
@dataclass(frozen=True)
class GradeRow:
    """One student's result on one assignment."""

    student: str
    assignment: str
    score: float
    max_score: float
    auto_score: float
    max_auto_score: float
    manual_pending: float = 0.0
    timed_out: bool = False
    status: str = "graded"

    @property
    def note(self) -> str:
        """What the table says beside the score.

        >>> GradeRow("s", "a", 1, 3, 1, 1, manual_pending=2, timed_out=True).note
        'a cell timed out; 2 pts to grade by hand'
        """
        bits = [] if self.status == "graded" else [self.status]
        if self.timed_out:
            bits.append("a cell timed out")
        if self.manual_pending:
            bits.append(f"{_num(self.manual_pending)} pts to grade by hand")
        return "; ".join(bits)


def _num(x: float) -> str:
    """Points for display: at most two decimals, no trailing zeros.

    >>> _num(8.31), _num(3.0), _num(1.2000001)
    ('8.31', '3', '1.2')
    """
    return f"{round(float(x), 2):g}"


def _timed_out(folder: Path) -> bool:
    """True when an autograded notebook shows a cell stopped by the timeout."""
    for path in folder.glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error" and out.get("ename") == "CellTimeoutError":
                    return True
    return False


def _row(
    root: Path, gb: nbapi.Gradebook, assignment: nbapi.Assignment, student: nbapi.Student
) -> GradeRow:
    """One student's result on one assignment, from the gradebook and the autograded folder."""
    from nbgrader.api import MissingEntry

    a, s = assignment.name, student.id
    try:
        sub = gb.find_submission(a, s)
    except MissingEntry:
        status = "autograde failed" if (root / "submitted" / s / a).is_dir() else "not submitted"
        return GradeRow(
            s, a, 0.0, assignment.max_score, 0.0, assignment.max_code_score, status=status
        )
    folder = root / "autograded" / s / a
    pending = sum(g.max_score for nb in sub.notebooks for g in nb.grades if g.needs_manual_grade)
    return GradeRow(
        s,
        a,
        float(sub.score),
        float(sub.max_score),
        float(sub.code_score),
        float(sub.max_code_score),
        manual_pending=float(pending),
        timed_out=_timed_out(folder),
        status="graded" if folder.is_dir() else "autograde failed",
    )


def grade_table(directory: str | os.PathLike[str]) -> list[GradeRow]:
    """Every student's result on every assignment, read from the gradebook."""
    from nbgrader.api import Gradebook

    root = Path(directory)
    course_id, _ = read_config(root)
    with _tools_on_path(), Gradebook(_db_url(root), course_id=course_id) as gb:
        return [
            _row(root, gb, a, s)
            for a in sorted(gb.assignments, key=lambda a: a.name)
            for s in sorted(gb.students, key=lambda s: s.id)
        ]


def format_table(rows: list[GradeRow]) -> str:
    """The rows as a plain-text table: student, assignment, score, max score, note.

    >>> print(format_table([GradeRow("student01", "terminology", 9, 9, 9, 9)]))
    student    assignment   score  max score  note
    student01  terminology      9          9
    """
    header = ("student", "assignment", "score", "max score", "note")
    body = [(r.student, r.assignment, _num(r.score), _num(r.max_score), r.note) for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *body, strict=True)]
    right = {2, 3}
    lines = []
    for row in (header, *body):
        cells = [
            str(v).rjust(w) if i in right else str(v).ljust(w)
            for i, (v, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


# -- the demo -----------------------------------------------------------------------
# The demo grades these by default, one of each kind of work (a vocabulary quiz,
# diagnosis coding, a claim form); ``every`` grades every assignment.
DEMO_ASSIGNMENTS = ("terminology", "icd10cm_coding", "cms1500_completion")
# The infinite-loop sample is stopped after this many seconds in a cell (the others keep
# the course's timeout): a loop holds a core for as long as it is let run.
LOOP_TIMEOUT = 5


def demo_folder(directory: str | os.PathLike[str]) -> Path:
    """The folder for the demo's throwaway course, created: a new or empty folder.

    Never a course, nor a folder inside one: the demo adds sample students and their
    grades, which must not reach a real gradebook.  Raises FileExistsError for a course
    (``nbgrader_config.py`` or ``gradebook.db``), a folder inside a course, or a folder
    holding anything else.
    """
    root = Path(directory).expanduser().absolute()
    for folder in (root, *root.parents):
        if (folder / CONFIG_FILE).is_file() or (folder / GRADEBOOK).is_file():
            where = "is a course" if folder == root else f"is inside the course {folder}"
            raise FileExistsError(
                f"{root} {where}; the demo never runs in a course (it adds sample students"
                " and grades): give a new folder, or none for a temporary one"
            )
    if root.is_dir() and any(root.iterdir()):
        raise FileExistsError(
            f"{root} is not empty; the demo makes its own course in a new or empty folder"
        )
    return _course_dir(root)


def demo_assignments(every: bool = False) -> list[str]:
    """The assignments the demo grades: :data:`DEMO_ASSIGNMENTS` (those ``exercises/``
    has, else its first three), or all of them with ``every``."""
    have = assignments()
    if not have:
        raise FileNotFoundError(f"no exercises found in {exercises_dir()}")
    if every:
        return list(have)
    return [n for n in DEMO_ASSIGNMENTS if n in have] or list(have[:3])


def demo(
    directory: str | os.PathLike[str],
    log: Callable[[str], object] | None = None,
    every: bool = False,
) -> list[GradeRow]:
    """Run the whole instructor cycle in a throwaway course in ``directory``; return its
    grade table.

    ``directory`` must be new or empty (:func:`demo_folder`); the course made there
    holds the demo's assignments (:func:`demo_assignments`) and the sample students of
    :data:`SCENARIOS`.  Then, with nbgrader's Python API: generate_assignment, the
    sample submissions, autograde (the endless loop stopped after
    :data:`LOOP_TIMEOUT` s), generate_feedback, and the CSV export to ``grades.csv``.
    ``log`` (e.g. ``print``) receives one line per step.
    """
    say = log or (lambda _msg: None)
    names = demo_assignments(every)
    root = demo_folder(directory)
    say(f"a throwaway course in {root}: {', '.join(names)}")
    init_course(root, assignment_names=names)
    _, timeout = read_config(root)
    with _quiet_nbgrader():
        api = nbgrader_api(root)
        loop = {s: nbgrader_api(root, LOOP_TIMEOUT) for s, k in SCENARIOS.items() if "loop" in k}
        for name in names:
            say(f"generate_assignment {name}")
            _check(api.generate_assignment(name, force=True), f"generate_assignment {name}")
        samples = [f"{s} ({k})" for s, k in SCENARIOS.items()]
        say(f"writing sample submissions: {', '.join(samples)}")
        write_sample_submissions(root, names)
        say(f"the endless loop is stopped after {LOOP_TIMEOUT} s (a real class: {timeout} s)")
        for name in names:
            autograde_all(api, root, name, say, per_student=loop)
            say(f"generate_feedback {name}")
            _check(api.generate_feedback(name, force=True), f"generate_feedback {name}")
    say(f"export to {export_grades(root)}")
    return grade_table(root)


KERNEL_LOG = "autograde.log"  # in the course folder: what grading kernels wrote to stderr


@contextlib.contextmanager
def _stderr_to(path: Path) -> Iterator[None]:
    """Send file descriptor 2, which the grading kernels inherit, to ``path`` for a while.

    A kernel stopped mid-cell (a student's endless loop) can print a traceback of
    its own shutdown; that belongs in the course's log, not on the instructor's
    screen.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with path.open("ab") as log:
            os.dup2(log.fileno(), 2)
            yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


def autograde_all(
    api: NbGraderAPI,
    root: Path,
    name: str,
    say: Callable[[str], object] = print,
    per_student: dict[str, NbGraderAPI] | None = None,
) -> dict[str, str]:
    """Autograde every submission of one assignment; return the students that failed,
    each with what failed (the notebook and nbgrader's error; see :func:`failure`).

    A failure (a notebook that is not JSON, a kernel that cannot be interrupted) is
    reported and the next student is graded all the same.  ``per_student`` grades
    some students through another API (the demo's shorter timeout for its endless
    loop).  What the kernels write to stderr goes to :data:`KERNEL_LOG` in the course
    folder.
    """
    failed: dict[str, str] = {}
    _, timeout = read_config(root)
    say(f"autograde {name} (a cell running over {timeout} s is stopped)")
    for folder in sorted((root / "submitted").glob(f"*/{name}")):
        student = folder.parent.name
        say(f"autograde {name} for {student}")
        with _stderr_to(root / KERNEL_LOG):
            result = (per_student or {}).get(student, api).autograde(name, student, force=True)
        if not result.get("success"):
            failed[student] = failure(result.get("log") or "", folder)
            say(f"autograde {name} for {student} failed: {failed[student]}")
    return failed


_EXCEPTION_LINE = re.compile(r"^\s*([A-Za-z_][\w.]*(Error|Exception)\b.*)$")
_NOTEBOOK_STEP = re.compile(r"\] (?:Sanitizing|Autograding) (\S+\.ipynb)")


def failure(log: str, folder: Path) -> str:
    """What failed in one autograde, in one line: the notebook and the error behind it.

    The notebook is the last one nbgrader's log says it was working on (else those in
    the submission's ``folder``); the error is the last exception line of the traceback
    nbgrader logged (not its own wrapper), else its first error line.

    >>> log = "[INFO] Sanitizing /c/submitted/s1/a/a.ipynb\\n[ERROR] Traceback (most recent"
    >>> log += " call last):\\n        raise NotJSONError(message) from e\\n"
    >>> log += "    nbformat.reader.NotJSONError: Notebook does not appear to be JSON\\n"
    >>> log += "[ERROR] There was an error processing assignment 'a' for student 's1'\\n"
    >>> failure(log, Path("/c/submitted/s1/a"))
    'a.ipynb: nbformat.reader.NotJSONError: Notebook does not appear to be JSON'
    >>> failure("[ERROR] No notebooks were matched", Path("/nowhere"))
    'no notebook: No notebooks were matched'
    """
    lines = log.splitlines()
    steps = [m.group(1) for ln in lines if (m := _NOTEBOOK_STEP.search(ln))]
    notebooks = [Path(steps[-1]).name] if steps else sorted(p.name for p in folder.glob("*.ipynb"))
    raised = [m.group(1) for ln in lines if (m := _EXCEPTION_LINE.match(ln))]
    raised = [r for r in raised if not r.startswith(("NbGraderException", "nbgrader."))]
    why = raised[-1].strip() if raised else _error_line(log)
    return f"{', '.join(notebooks) or 'no notebook'}: {why}"


# -- the instructor's steps, one command each -------------------------------------------
@contextlib.contextmanager
def _quiet_nbgrader() -> Iterator[None]:
    """nbgrader's tools on PATH, and its own noise silenced while it runs.

    Cells it puts back carry no id, its gradebook session warns on autoflush, and its
    ``release_feedback`` misspells a keyword (``authentictor``), which traitlets flags,
    and leaves a file to the garbage collector; none of these affects the grades.
    """
    with _tools_on_path(), warnings.catch_warnings():
        warnings.simplefilter("ignore", category=MissingIDFieldWarning)
        warnings.simplefilter("ignore", category=SAWarning)
        warnings.filterwarnings(
            "ignore", "Passing unrecognized arguments", category=DeprecationWarning
        )
        warnings.simplefilter("ignore", category=ResourceWarning)
        yield


def course_assignment(directory: str | os.PathLike[str], name: str) -> Path:
    """The course folder, checked to hold ``source/<name>/``; clear errors otherwise.

    Raises FileNotFoundError for a folder that is not a course (no ``nbgrader_config.py``)
    or an assignment it does not have (the message lists those it has), and ValueError
    for a name that cannot be an assignment.
    """
    _check_name("assignment name", name)
    root = Path(directory).expanduser().resolve()
    _load_config(root)
    if not any((root / "source" / name).glob("*.ipynb")):
        have = sorted(p.parent.name for p in (root / "source").glob("*/*.ipynb"))
        raise FileNotFoundError(
            f"no assignment {name!r} in {root / 'source'}; the course has: "
            f"{', '.join(dict.fromkeys(have)) or 'none'}"
        )
    return root


def release(
    directory: str | os.PathLike[str], name: str, say: Callable[[str], object] = print
) -> Path:
    """Generate the student version of ``name`` and release it to the course's exchange.

    Releasing again replaces the released copy (after a fix to the source). Returns
    the released folder in the exchange.
    """
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    root = course_assignment(directory, name)
    cfg = _load_config(root)
    cfg.ExchangeReleaseAssignment.force = True  # a second release replaces the first
    with _quiet_nbgrader():
        api = NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg)
        say(f"generate_assignment {name}")
        _check(api.generate_assignment(name, force=True), f"generate_assignment {name}")
        say(f"release_assignment {name}")
        _check(api.release_assignment(name), f"release_assignment {name}")
    return Path(cfg.Exchange.root) / str(cfg.CourseDirectory.course_id) / "outbound" / name


def collect(
    directory: str | os.PathLike[str], name: str, say: Callable[[str], object] = print
) -> list[str]:
    """Collect the submissions of ``name`` from the exchange into ``submitted/``.

    Returns the students whose submission is now in ``submitted/`` (sorted).
    """
    root = course_assignment(directory, name)
    with _quiet_nbgrader():
        say(f"collect {name}")
        _check(nbgrader_api(root).collect(name), f"collect {name}")
    return sorted(p.parent.name for p in (root / "submitted").glob(f"*/{name}") if p.is_dir())


class GradingFailed(CourseError):
    """Some submissions could not be autograded; the others were.  ``rows`` is the
    assignment's grade table, ``failed`` each failed student with what failed."""

    def __init__(self, name: str, failed: dict[str, str], rows: list[GradeRow]) -> None:
        who = "; ".join(f"{s} ({why})" for s, why in failed.items())
        super().__init__(f"autograde of {name} failed for {len(failed)} student(s): {who}")
        self.failed = failed
        self.rows = rows


def grade(
    directory: str | os.PathLike[str], name: str, say: Callable[[str], object] = print
) -> list[GradeRow]:
    """Autograde every collected submission of ``name``; return its rows of the grade table.

    Raises FileNotFoundError when nothing has been collected yet, and
    :class:`GradingFailed` (after grading every other student) when a submission
    could not be autograded.
    """
    root = course_assignment(directory, name)
    if not any((root / "submitted").glob(f"*/{name}")):
        raise FileNotFoundError(
            f"no submissions of {name!r} in {root / 'submitted'}; run course collect first"
        )
    with _quiet_nbgrader():
        failed = autograde_all(nbgrader_api(root), root, name, say)
    rows = [r for r in grade_table(root) if r.assignment == name]
    if failed:
        raise GradingFailed(name, failed, rows)
    return rows


def feedback(
    directory: str | os.PathLike[str], name: str, say: Callable[[str], object] = print
) -> list[str]:
    """Generate feedback for every graded submission of ``name`` and release it to students.

    Feedback goes back through the exchange to each student who handed in through it
    (their submission holds nbgrader's ``submission_secret.txt``); a submission put in
    ``submitted/`` by hand gets its feedback in ``feedback/`` only. Returns the students
    with feedback (sorted). Raises FileNotFoundError when nothing of ``name`` is graded.
    """
    root = course_assignment(directory, name)
    if not any((root / "autograded").glob(f"*/{name}")):
        raise FileNotFoundError(f"nothing of {name!r} is graded yet; run course grade first")
    with _quiet_nbgrader():
        api = nbgrader_api(root)
        say(f"generate_feedback {name}")
        _check(api.generate_feedback(name, force=True), f"generate_feedback {name}")
        students = sorted(p.parent.name for p in (root / "feedback").glob(f"*/{name}"))
        for student in students:
            if (root / "submitted" / student / name / "submission_secret.txt").is_file():
                say(f"release_feedback {name} to {student}")
                step = f"release_feedback {name} to {student}"
                _check(api.release_feedback(name, student), step)
            else:
                say(
                    f"feedback for {student} kept in feedback/ (not handed in through the exchange)"
                )
    return students


# -- a real class's roster ----------------------------------------------------------------
ROSTER_COLUMNS = ("id", "first_name", "last_name")
ROSTER_OPTIONAL = ("email",)


@dataclass(frozen=True)
class RosterImport:
    """What ``import_roster`` did: ids added, ids updated, ids already in the gradebook
    that the file does not list (kept), and those removed (``drop_others``)."""

    added: tuple[str, ...]
    updated: tuple[str, ...]
    not_in_file: tuple[str, ...]
    removed: tuple[str, ...] = ()


def _roster_row(line: int, row: dict[str, str | None]) -> dict[str, str]:
    """One CSV row as a student's fields, checked; ValueError names the line."""
    fields = {k: (row.get(k) or "").strip() for k in (*ROSTER_COLUMNS, *ROSTER_OPTIONAL)}
    if not fields["id"]:
        raise ValueError(f"line {line}: the id is empty")
    try:
        _check_name("student id", fields["id"])
    except ValueError as exc:
        raise ValueError(f"line {line}: {exc}") from None
    if fields["email"] and "@" not in fields["email"]:
        raise ValueError(f"line {line}: {fields['email']!r} is not an email address")
    return fields


def read_roster(path: str | os.PathLike[str]) -> list[dict[str, str]]:
    """The students of a roster CSV (columns id, first_name, last_name and optionally
    email; other columns are ignored), checked whole before anything is written.

    Raises ValueError (naming the file or line) for a file that cannot be read, missing
    columns, an empty or bad id, a bad email, an id listed twice, or no students.
    """
    import csv

    path = Path(path).expanduser()
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = [(h or "").strip().lower() for h in reader.fieldnames or []]
            reader.fieldnames = header
            missing = [c for c in ROSTER_COLUMNS if c not in header]
            if missing:
                raise ValueError(
                    f"{path}: missing column(s) {', '.join(missing)}; the header needs "
                    f"{','.join(ROSTER_COLUMNS)}[,email]"
                )
            rows = [_roster_row(reader.line_num, row) for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ValueError(
            f"cannot read the roster {path}: {getattr(exc, 'strerror', None) or exc}"
        ) from None
    seen: dict[str, int] = {}
    for n, r in enumerate(rows):
        if r["id"] in seen:
            raise ValueError(f"{path}: student id {r['id']!r} is listed twice")
        seen[r["id"]] = n
    if not rows:
        raise ValueError(f"{path}: no students (only a header, or an empty file)")
    return rows


def import_roster(
    directory: str | os.PathLike[str], path: str | os.PathLike[str], drop_others: bool = False
) -> RosterImport:
    """Load a class from a roster CSV into the course's gradebook (see :func:`read_roster`).

    A student already there is updated (names, email), never added twice.  With
    ``drop_others``, students the file does not list are removed when they have
    handed nothing in (such as the sample students ``init_course`` adds); a student
    with a submission is always kept, so no grade is lost.
    """
    from nbgrader.api import Gradebook

    root = Path(directory).expanduser().resolve()
    course_id, _ = read_config(root)
    rows = read_roster(path)
    ids = [r["id"] for r in rows]
    with _quiet_nbgrader(), Gradebook(_db_url(root), course_id=course_id) as gb:
        before = {s.id: bool(s.submissions) for s in gb.students}
        for r in rows:
            info = {k: r[k] for k in ("first_name", "last_name")}
            gb.update_or_create_student(r["id"], email=r["email"] or None, **info)
        others = sorted(set(before) - set(ids))
        removed = [i for i in others if drop_others and not before[i]]
        for student_id in removed:
            gb.remove_student(student_id)
    return RosterImport(
        added=tuple(i for i in ids if i not in before),
        updated=tuple(i for i in ids if i in before),
        not_in_file=tuple(i for i in others if i not in removed),
        removed=tuple(removed),
    )
