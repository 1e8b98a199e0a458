"""The instructor's week at the command line (cli/course.py, training/course.py): ``course
release|collect|grade|feedback NAME [DIR]`` and ``course roster import FILE [DIR]``.

One small course (module fixture) holds only the terminology assignment, so the cycle
runs in seconds; a student fetches and submits through nbgrader's own exchange code.
Each step ends with a ``next:`` line, and the week is walked by running those lines.
"""

from __future__ import annotations

import os
import shlex
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange.default.fetch_assignment import ExchangeFetchAssignment
from nbgrader.exchange.default.submit import ExchangeSubmit
from sqlalchemy.exc import SAWarning
from traitlets.config import Config

from medbill_lab.cli import main
from medbill_lab.training import course

NAME = "terminology"


@pytest.fixture(scope="module")
def small_course(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """``course init`` on exercises holding only terminology: (course folder, its output)."""
    base = tmp_path_factory.mktemp("steps")
    shutil.copytree(course.exercises_dir() / NAME, base / "exercises" / NAME)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MEDBILL_LAB_EXERCISES", str(base / "exercises"))
        out = base / "init.txt"
        with out.open("w") as fh, pytest.MonkeyPatch.context() as m2:
            m2.setattr("sys.stdout", fh)
            assert main(["course", "init", str(base / "c"), "--timeout", "10"]) == 0
        yield base / "c", out.read_text()


def submit(root: Path, student: str, home: Path) -> None:
    """``student`` fetches the released assignment, answers it right and submits it, as
    ``nbgrader fetch_assignment`` and ``nbgrader submit`` do."""
    c = Config()
    c.Exchange.root = str(root / "exchange")
    c.Exchange.cache = str(home / "cache")
    c.Exchange.assignment_dir = str(home)
    c.CourseDirectory.root = str(home)
    c.CourseDirectory.course_id = course.read_config(root)[0]
    c.CourseDirectory.assignment_id = NAME
    c.CourseDirectory.student_id = student
    coursedir = CourseDirectory(config=c)
    ExchangeFetchAssignment(
        coursedir=coursedir, authenticator=Authenticator(config=c), config=c
    ).start()
    nb_path = home / NAME / f"{NAME}.ipynb"
    source = nbformat.read(root / "source" / NAME / f"{NAME}.ipynb", as_version=4)
    released = nbformat.read(nb_path, as_version=4)
    nbformat.write(course.sample_submission("correct", NAME, released, source), nb_path)
    ExchangeSubmit(coursedir=coursedir, authenticator=Authenticator(config=c), config=c).start()


def next_command(out: str) -> list[str]:
    """The command of the last line of ``out``, a ``next:`` line, as the shell splits it;
    its program is ``medbill-lab`` on PATH or the script itself."""
    next_line = out.splitlines()[-1]
    assert next_line.startswith("  next: ") and "nbgrader" not in next_line, out
    argv = shlex.split(next_line.removeprefix("  next: "))
    program = argv[0]
    assert program == "medbill-lab" or (Path(program).is_file() and os.access(program, os.X_OK))
    return argv


def test_init_ends_with_a_release_command_that_works_as_printed(small_course, cli):
    root, out = small_course
    roster_line = next(ln for ln in out.splitlines() if ln.startswith("  your class: "))
    assert f"course roster import FILE.csv {root} --drop-others" in roster_line
    argv = next_command(out)
    assert argv[1:] == ["course", "release", NAME, str(root)]
    run = cli(*argv[1:])
    assert run.code == 0, run
    assert (
        run.out.splitlines()[0]
        == f"released {NAME} to {root / 'exchange' / 'medbill-101' / 'outbound' / NAME}"
    )
    assert next_command(run.out)[1:] == ["course", "collect", NAME, str(root)]
    assert run.err.splitlines() == [
        f"medbill-lab: generate_assignment {NAME}",
        f"medbill-lab: release_assignment {NAME}",
    ]
    released = (root / "exchange" / "medbill-101" / "outbound" / NAME / f"{NAME}.ipynb").read_text()
    assert "BEGIN SOLUTION" not in released and "BEGIN HIDDEN TESTS" not in released
    # releasing again (after a fix to the source) replaces the released copy
    assert cli("course", "release", NAME, str(root)).code == 0


def test_collect_grade_feedback_on_a_submission_through_the_exchange(small_course, cli, tmp_path):
    """The week as printed: each step's ``next:`` command is the one run after it."""
    root, _ = small_course
    released = cli("course", "release", NAME, str(root))
    assert released.code == 0, released
    cli("course", "grade", NAME, str(root)).fails_in_one_line("run course collect first")
    submit(root, "student01", tmp_path / "student01")

    collected = cli(*next_command(released.out)[1:])
    assert collected.code == 0 and collected.out.startswith("collected 1 student(s): student01\n")
    assert (root / "submitted" / "student01" / NAME / f"{NAME}.ipynb").is_file()
    cli("course", "feedback", NAME, str(root)).fails_in_one_line("run course grade first")

    assert next_command(collected.out)[1:] == ["course", "grade", NAME, str(root)]
    graded = cli(*next_command(collected.out)[1:])
    assert graded.code == 0, graded
    row = next(r for r in course.grade_table(root) if r.student == "student01")
    assert row.status == "graded" and row.score == row.max_score > 0
    assert f"student01  {NAME}" in graded.out and "not submitted" in graded.out
    assert f"medbill-lab: autograde {NAME} for student01" in graded.err

    assert next_command(graded.out)[1:] == ["course", "feedback", NAME, str(root)]
    fed = cli(*next_command(graded.out)[1:])
    assert fed.code == 0 and fed.out.startswith("feedback for 1 student(s): student01\n")
    assert f"medbill-lab: release_feedback {NAME} to student01" in fed.err
    assert (root / "feedback" / "student01" / NAME / f"{NAME}.html").is_file()
    assert len(list((root / "exchange" / "medbill-101" / "feedback").glob("*.html"))) == 1
    assert next_command(fed.out)[1:] == ["course", "report", str(root)]
    report = cli(*next_command(fed.out)[1:])  # what the class misses
    assert report.code == 0 and NAME in report.out, report


def test_grade_exits_non_zero_naming_a_submission_it_could_not_autograde(
    small_course, cli, tmp_path
):
    root = tmp_path / "copy"  # a copy: the other tests' gradebook keeps no broken submission
    shutil.copytree(small_course[0], root)
    assert cli("course", "release", NAME, str(root)).code == 0
    source = nbformat.read(root / "source" / NAME / f"{NAME}.ipynb", as_version=4)
    released = nbformat.read(root / "release" / NAME / f"{NAME}.ipynb", as_version=4)
    for student in ("goodkid", "zbroken"):  # the broken one graded last: nothing stops early
        (root / "submitted" / student / NAME).mkdir(parents=True)
    good = course.sample_submission("correct", NAME, released, source)
    nbformat.write(good, root / "submitted" / "goodkid" / NAME / f"{NAME}.ipynb")
    (root / "submitted" / "zbroken" / NAME / f"{NAME}.ipynb").write_text('{"cells": [', "utf-8")

    run = cli("course", "grade", NAME, str(root))
    assert run.code == 1, run
    error = run.err.splitlines()[-1]
    assert error.startswith(f"medbill-lab: error: autograde of {NAME} failed for 1 student(s): ")
    assert f"zbroken ({NAME}.ipynb: " in error and "NotJSONError" in error
    assert "goodkid" not in error and "Traceback" not in run.err
    # the others are graded and shown all the same, the broken one marked
    table = {ln.split()[0]: ln for ln in run.out.splitlines()[1:]}
    assert table["goodkid"].split()[1:4] == [NAME, "9", "9"]
    assert "autograde failed" in table["zbroken"]
    assert "next:" not in run.out


@pytest.mark.parametrize(
    ("step", "says"),
    [("release", "no assignment 'nosuch'"), ("collect", "no assignment 'nosuch'")],
)
def test_an_assignment_the_course_lacks_is_one_line(small_course, cli, step, says):
    root, _ = small_course
    run = cli("course", step, "nosuch", str(root))
    run.fails_in_one_line(says)
    assert NAME in run.err  # it lists the ones the course has


@pytest.mark.parametrize("step", ["release", "collect", "grade", "feedback"])
def test_a_folder_that_is_not_a_course_is_one_line(cli, tmp_path, step):
    cli("course", step, NAME, str(tmp_path)).fails_in_one_line("is not a course folder")


# -- roster import ----------------------------------------------------------------------
def students(root: Path) -> dict[str, tuple[str, str, str | None]]:
    course_id, _ = course.read_config(root)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id=course_id) as gb:
        return {s.id: (s.first_name, s.last_name, s.email) for s in gb.students}


def test_roster_import_adds_a_class_and_a_second_import_updates_it(small_course, cli, tmp_path):
    root, _ = small_course
    csv_file = tmp_path / "class.csv"
    csv_file.write_text(
        "\ufeffID, First_Name ,last_name,email,section\n"
        "jdoe7,Jordan,Doe,jdoe7@example.edu,A\n"
        "mlee2,Morgan,Lee,,B\n",
        encoding="utf-8",
    )
    first = cli("course", "roster", "import", str(csv_file), str(root))
    assert first.code == 0 and first.out.startswith("roster: 2 added, 0 updated\n")
    assert "student01" in first.out  # the sample students init put there are named
    assert next_command(first.out)[1:] == ["course", "release", NAME, str(root)]
    assert cli(*next_command(first.out)[1:]).code == 0
    csv_file.write_text("id,first_name,last_name\njdoe7,Jordan,Doe-Rivera\n", encoding="utf-8")
    second = cli("course", "roster", "import", str(csv_file), str(root))
    assert second.code == 0 and second.out.startswith("roster: 0 added, 1 updated\n")
    got = students(root)
    assert got["jdoe7"] == ("Jordan", "Doe-Rivera", None)
    assert got["mlee2"] == ("Morgan", "Lee", None)
    assert sorted(got).count("jdoe7") == 1


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("id,first_name\nx1,Ann\n", "missing column(s) last_name"),
        ("student,first_name,last_name\nx1,Ann,Bo\n", "missing column(s) id"),
        ("id,first_name,last_name\nx1,Ann,Bo\nx1,Ann,Bo\n", "'x1' is listed twice"),
        ("id,first_name,last_name\n../x,Ann,Bo\n", "line 2: bad student id"),
        ("id,first_name,last_name\nx1,Ann,Bo\n,Cy,Do\n", "line 3: the id is empty"),
        ("id,first_name,last_name,email\nx1,Ann,Bo,ann.example.edu\n", "not an email address"),
        ("id,first_name,last_name\n", "no students"),
        ("", "missing column(s) id"),
    ],
)
def test_a_bad_roster_is_one_line_and_writes_nothing(small_course, cli, tmp_path, text, says):
    root, _ = small_course
    before = students(root)
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text(text, encoding="utf-8")
    cli("course", "roster", "import", str(csv_file), str(root)).fails_in_one_line(says)
    assert students(root) == before


def test_a_missing_roster_file_is_one_line(small_course, cli, tmp_path):
    root, _ = small_course
    run = cli("course", "roster", "import", str(tmp_path / "none.csv"), str(root))
    run.fails_in_one_line("cannot read the roster")


def test_drop_others_removes_sample_students_but_keeps_any_with_work(small_course, cli, tmp_path):
    root = tmp_path / "copy"  # a copy of the course: the other tests keep the sample students
    shutil.copytree(small_course[0], root)
    course_id, _ = course.read_config(root)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id=course_id) as gb:
        gb.add_student("keeper")
        with warnings.catch_warnings():  # nbgrader's own session warns on autoflush
            warnings.simplefilter("ignore", category=SAWarning)
            gb.add_submission(NAME, "keeper")
    sample = {"student02", "student03", "student04", "student05"}  # none of them handed in
    csv_file = tmp_path / "class.csv"
    csv_file.write_text("id,first_name,last_name\nrpatel,Riya,Patel\n", encoding="utf-8")
    run = cli("course", "roster", "import", str(csv_file), str(root), "--drop-others")
    assert run.code == 0 and run.out.startswith("roster: 1 added, 0 updated\n"), run
    left = set(students(root))
    assert "rpatel" in left and "keeper" in left and not sample & left
    assert "keeper" in run.out.splitlines()[-2] and "removed" in run.out.splitlines()[1]
    # without the flag nobody is removed
    again = cli("course", "roster", "import", str(csv_file), str(root))
    assert again.code == 0 and set(students(root)) == left and "removed" not in again.out


def test_the_steps_read_a_hubs_nbgrader_config_before_the_courses_own(
    small_course, tmp_path, monkeypatch
):
    """On a hub, deploy/jupyter/nbgrader_config.py (on JUPYTER_CONFIG_PATH) hardens collect
    and names the shared exchange; the course commands read it as nbgrader itself does, and
    what the course's own file sets wins."""
    hub = tmp_path / "hub_config"
    hub.mkdir()
    (hub / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.Exchange.path_includes_course = True\n"
        "c.ExchangeFactory.collect = 'medbill_lab.server.hub.OwnerCheckedCollect'\n"
        "c.Exchange.root = '/srv/nbgrader/exchange'\n"
        "c.CourseDirectory.course_id = 'another-course'\n",
        encoding="utf-8",
    )
    root, _ = small_course
    monkeypatch.delenv("MEDBILL_EXCHANGE", raising=False)
    without = course.nbgrader_api(root).config
    assert "collect" not in without.ExchangeFactory
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", str(hub))
    cfg = course.nbgrader_api(root).config
    assert cfg.Exchange.path_includes_course is True
    assert cfg.ExchangeFactory.collect == "medbill_lab.server.hub.OwnerCheckedCollect"
    assert cfg.Exchange.root == str(root / "exchange")  # the course's own settings win
    assert course.read_config(root)[0] == "medbill-101"


def test_the_readmes_instructor_week_is_commands_the_cli_takes():
    """README's "An instructor's week": the steps in order, each one the CLI parses into
    a course command (the same commands the tests above run)."""
    from medbill_lab.cli.app import build_parser

    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    week = text.split("\n## An instructor's week\n", 1)[1].split("\n## ", 1)[0]
    block = week.split("```bash\n", 1)[1].split("```", 1)[0]
    commands = [
        shlex.split(line, comments=True)
        for line in block.splitlines()
        if line.startswith(".venv/bin/medbill-lab ")
    ]
    assert [argv[2] for argv in commands] == [
        *("demo", "init", "roster", "release"),
        *("collect", "grade", "feedback", "report"),
    ]
    parser = build_parser()
    for argv in commands:
        args = parser.parse_args(argv[1:])
        assert args.func.__module__ == "medbill_lab.cli.course", argv
        assert getattr(args, "name", NAME) == NAME and getattr(args, "dir", None) in (
            None,
            "mycourse",
        )
