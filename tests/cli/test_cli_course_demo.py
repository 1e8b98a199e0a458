"""``medbill-lab course demo [DIR] [--all] [--keep]`` (cli/course.py, training/course.py):
a whole grading cycle in its own throwaway course, never in the instructor's.

The exercises are cut down to the terminology assignment (``MEDBILL_LAB_EXERCISES``), so
one real demo runs in seconds; it runs as the instructor types it, with the course they
are working in as the current folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from medbill_lab.cli import main
from medbill_lab.training import course

NAME = "terminology"
SCRIPT = Path(sys.executable).parent / "medbill-lab"
real_demo = course.demo


@pytest.fixture(scope="module")
def exercises(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An exercises folder holding only terminology."""
    base = tmp_path_factory.mktemp("demo_exercises")
    shutil.copytree(course.exercises_dir() / NAME, base / NAME)
    return base


@pytest.fixture(scope="module")
def printed(exercises: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], Path]:
    """The command the demo prints last (its ``next:`` line), run as printed in a new folder:
    (the command, the folder it was run in).  The demo itself is left out here (tested
    below); the course this makes is the instructor's own in the other tests."""
    base = tmp_path_factory.mktemp("instructor")
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(out):
        mp.setenv("MEDBILL_LAB_EXERCISES", str(exercises))
        mp.setattr(course, "demo", lambda folder, log, every: [])
        mp.setattr(tempfile, "tempdir", str(base))
        assert main(["course", "demo"]) == 0
        argv = shlex.split(out.getvalue().splitlines()[-1].removeprefix("  next: "))
        mp.chdir(base)
        assert main(argv[1:]) == 0
    return argv, base


@pytest.fixture(scope="module")
def instructor(printed: tuple[list[str], Path]) -> Path:
    """The instructor's own course (of the terminology-only exercises)."""
    return printed[1] / "mycourse"


@pytest.fixture
def temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary directory the demo's folder is made in, for this test."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def fingerprint(root: Path) -> dict[str, str]:
    """Every file of a folder (gradebook.db, the roster in it, the secret...) by its sha256."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_the_demo_never_touches_the_course_it_is_run_from_and_prints_no_warning(
    instructor, exercises, tmp_path
):
    before = fingerprint(instructor)
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "MEDBILL_LAB_EXERCISES": str(exercises)}
    start = time.perf_counter()
    run = subprocess.run(
        [str(SCRIPT), "course", "demo", "--keep"],
        cwd=instructor,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    took = time.perf_counter() - start
    assert run.returncode == 0, run.stderr
    assert fingerprint(instructor) == before  # gradebook, roster, secret: byte for byte
    # stderr is the demo's own progress only: no kernel's warning, no Python warning
    assert run.stderr and all(ln.startswith("medbill-lab: ") for ln in run.stderr.splitlines())
    (kept,) = temp.glob("medbill-lab-demo-*")
    # the cause is gone, not hidden: the kernels wrote no warning to the course's log either
    log = kept / course.KERNEL_LOG
    assert "WARNING" not in (log.read_text() if log.exists() else "")
    *table, where, next_line = run.stdout.splitlines()
    assert where == f"The demo course was {kept.resolve()} (kept)."
    rows = {ln.split()[0]: ln for ln in table[1:]}
    assert sorted(rows) == sorted(course.SCENARIOS)
    assert rows["student01"].split()[1:4] == [NAME, "9", "9"]
    assert "a cell timed out" in rows["student04"]
    assert next_line.endswith(" course init mycourse")
    assert took < 180  # one assignment, ~12 s of CPU: a loose guard for a shared machine


def test_without_keep_the_temporary_folder_is_removed_even_when_the_demo_fails(
    cli, temp, tmp_path, monkeypatch
):
    made: list[Path] = []

    def fake_demo(folder: Path, log, every: bool) -> list:
        made.append(folder)
        (folder / "gradebook.db").write_text("x")
        return []

    monkeypatch.setattr(course, "demo", fake_demo)
    run = cli("course", "demo")
    assert run.code == 0 and f"The demo course was {made[0]} (removed)." in run.out
    assert not made[0].exists() and made[0].parent == temp
    # a real demo that fails (a folder of exercises gone) leaves nothing behind either
    monkeypatch.setattr(course, "demo", real_demo)
    monkeypatch.setenv("MEDBILL_LAB_EXERCISES", str(tmp_path / "none"))
    cli("course", "demo").fails_in_one_line("no exercises found")
    assert list(temp.iterdir()) == []


def test_the_demo_refuses_a_course_a_folder_inside_one_and_a_folder_in_use(
    cli, instructor, tmp_path
):
    before = fingerprint(instructor)
    cli("course", "demo", str(instructor)).fails_in_one_line("is a course")
    cli("course", "demo", str(instructor / "demo")).fails_in_one_line("is inside the course")
    (tmp_path / "notes.txt").write_text("mine")
    cli("course", "demo", str(tmp_path)).fails_in_one_line("is not empty")
    cli("course", "demo", str(tmp_path / "notes.txt")).fails_in_one_line("not a folder")
    assert fingerprint(instructor) == before and not (instructor / "demo").exists()
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_the_demos_next_command_makes_a_course_as_printed(printed):
    argv, folder = printed
    assert argv[0] == "medbill-lab" or Path(argv[0]).resolve() == SCRIPT.resolve()
    assert argv[1:] == ["course", "init", "mycourse"]
    assert (folder / "mycourse" / "nbgrader_config.py").is_file()
    assert (folder / "mycourse" / "source" / NAME / f"{NAME}.ipynb").is_file()
    assert list(folder.glob("medbill-lab-demo-*")) == []  # its temporary folder went


def test_the_demo_grades_three_assignments_by_default_and_every_one_with_all():
    assert course.demo_assignments() == list(course.DEMO_ASSIGNMENTS)
    assert set(course.DEMO_ASSIGNMENTS) <= set(course.assignments())
    assert course.demo_assignments(every=True) == list(course.assignments())
