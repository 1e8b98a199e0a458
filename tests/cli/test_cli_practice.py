"""``medbill-lab practice`` (cli/practice.py), run through ``main([...])``."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.sqlite_only  # drives the CLI on a SQLite file


def test_generate_then_aging_and_audit(cli, tmp_path: Path):
    db = str(tmp_path / "p.sqlite")
    made = cli("practice", "generate", "--db", db, "--patients", "3", "--seed", "5")
    assert made.code == 0 and made.out.startswith("Generated a synthetic practice (seed 5) in ")
    assert made.out.splitlines()[1].startswith("  patients: 3  encounters: ")
    aging = cli("practice", "aging", "--db", db, "--as-of", "2026-07-31")
    assert aging.code == 0 and aging.out.startswith("A/R aging as of 2026-07-31")
    verify = cli("practice", "audit", "verify", "--db", db)
    assert verify.code == 0 and verify.out.splitlines()[1].startswith("  full head hash: ")


def test_a_bad_date_is_one_line(cli, tmp_path: Path):
    run = cli(
        "practice",
        "submit",
        "--db",
        str(tmp_path / "p.sqlite"),
        "--out",
        str(tmp_path),
        "--through",
        "someday",
    )
    run.fails_in_one_line("not a date (YYYY-MM-DD): 'someday'")
    assert run.code == 2


def test_posting_a_missing_file_is_one_line(cli, tmp_path: Path):
    run = cli("practice", "post", str(tmp_path / "none.835"), "--db", str(tmp_path / "p.sqlite"))
    run.fails_in_one_line("No such file or directory")
    assert run.code == 1
