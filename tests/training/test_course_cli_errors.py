"""Instructor commands answer a damaged course in one line (review of issue 15)."""

from __future__ import annotations

from medbill_lab.cli.app import main
from medbill_lab.training import course


def test_roster_import_into_a_damaged_gradebook_is_one_line_and_exit_1(tmp_path, capsys):
    root = tmp_path / "course"
    root.mkdir()
    (root / course.CONFIG_FILE).write_text(course.config_text())
    (root / course.GRADEBOOK).write_bytes(b"not a database " * 100)
    roster = tmp_path / "class.csv"
    roster.write_text("id,first_name,last_name\na01,Ada,Byrne\n", encoding="utf-8")
    assert main(["course", "roster", "import", str(roster), str(root)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert "cannot read the gradebook" in err and "SQL" not in err
