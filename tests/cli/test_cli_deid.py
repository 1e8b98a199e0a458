"""``medbill-lab deid score`` (cli/deid.py): the de-identifier scored on any labelled set.
It replaces ``python -m medbill_lab.compliance.deid score``: compliance comes before the
command line, so it does not import it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

NOTE = {
    "id": "x-1",
    "kind": "k",
    "style": "s",
    "text": "Seen 3/4/2026 by Dr. Okafor; BP 120/80.",
    "spans": [
        {"category": "DATE", "start": 5, "end": 13, "text": "3/4/2026"},
        {"category": "NAME", "start": 21, "end": 27, "text": "Okafor"},
    ],
}
MISSED = {
    **NOTE,
    "id": "x-2",
    "text": "Seen 3/4/2026 by Dr. Okafor; call Zq.",
    "spans": [*NOTE["spans"], {"category": "NAME", "start": 34, "end": 36, "text": "Zq"}],
}


def _write(path: Path, notes: list[dict]) -> str:
    path.write_text("".join(json.dumps(n) + "\n" for n in notes), encoding="utf-8")
    return str(path)


def test_score_prints_the_table_and_the_missed_spans(cli, tmp_path: Path):
    path = _write(tmp_path / "set.jsonl", [NOTE, MISSED])
    run = cli("deid", "score", path, "--missed", "5")
    lines = run.out.splitlines()
    assert run.code == 0 and lines[0] == f"{path}: 2 notes, 5 labelled spans"
    assert any(line.startswith("NAME ") for line in lines) and "span recall 0.8000" in run.out
    assert lines[-1] == "missed x-2 NAME 'Zq'"


def test_score_json_has_the_scores_and_as_many_missed_as_asked(cli, tmp_path: Path):
    path = _write(tmp_path / "set.jsonl", [NOTE, MISSED])
    out = json.loads(cli("deid", "score", path, "--json").out)
    assert (out["notes"], out["gold_spans"], out["recall"], out["missed"]) == (2, 5, 0.8, [])
    out = json.loads(cli("deid", "score", path, "--json", "--missed", "1").out)
    assert out["missed"] == [["x-2", "NAME", "Zq"]] and out["by_category"]["DATE"]["recall"] == 1


@pytest.mark.parametrize(
    "content",
    [
        "not json\n",
        '{"text": "a"}\n',
        json.dumps({**NOTE, "spans": [{"category": "SHOE", "start": 0, "end": 2}]}) + "\n",
    ],
    ids=["not-json", "no-spans", "unknown-category"],
)
def test_a_bad_file_is_one_line(cli, tmp_path: Path, content):
    path = tmp_path / "bad.jsonl"
    path.write_text(content)
    cli("deid", "score", str(path)).fails_in_one_line("line 1")


def test_a_missing_file_is_one_line(cli, tmp_path: Path):
    cli("deid", "score", str(tmp_path / "none.jsonl")).fails_in_one_line("none.jsonl")


def test_the_console_command_runs_it(tmp_path: Path):
    path = _write(tmp_path / "set.jsonl", [NOTE])
    cmd = [sys.executable, "-m", "medbill_lab", "deid", "score", path, "--json"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["recall"] == 1.0
