"""``medbill-lab course`` (cli/course.py), run through ``main([...])``; the whole grading
cycle (``course demo``) is tested end to end in tests/e2e/test_course.py."""

from __future__ import annotations

from pathlib import Path

from medbill_lab.training import course


def test_init_makes_a_course_and_says_what_is_in_it(cli, tmp_path: Path):
    run = cli("course", "init", str(tmp_path / "c"), "--course-id", "cod-101")
    lines = run.out.splitlines()
    assert run.code == 0 and lines[0] == f"Course 'cod-101' is ready in {tmp_path / 'c'}"
    assert lines[1] == f"  assignments: {', '.join(course.assignments())} (source/)"
    assert lines[-1].endswith(f" course release {course.assignments()[0]} {tmp_path / 'c'}")
    assert (tmp_path / "c" / "source").is_dir()


def test_a_missing_cases_file_is_one_line(cli, tmp_path: Path):
    run = cli("course", "init", str(tmp_path / "c"), "--cases", str(tmp_path / "none.json"))
    run.fails_in_one_line("cannot read the case file")
