"""``medbill-lab fraud`` (cli/fraud.py), run through ``main([...])``."""

from __future__ import annotations

import json
from pathlib import Path

from medbill_lab.compliance import fraud_lab


def test_generate_detect_and_score_a_small_lab(cli, tmp_path: Path):
    made = cli("fraud", "generate", str(tmp_path / "lab"), "--seed", "3", "--scale", "0.05")
    assert made.code == 0 and made.out.splitlines()[1].startswith("student files: ")
    flags = tmp_path / "flags.csv"
    found = cli("fraud", "detect", str(tmp_path / "lab" / "student"), "--out", str(flags))
    lines = found.out.splitlines()
    assert found.code == 0 and [line.split()[0] for line in lines[:-1]] == list(fraud_lab.SCHEMES)
    assert lines[-1] == f"flags with explanations: {flags}"
    truth = str(tmp_path / "lab" / "truth" / "truth.csv")
    scores = json.loads(cli("fraud", "score", str(flags), "--truth", truth, "--json").out)
    assert [s["scheme"] for s in scores] == list(fraud_lab.SCHEMES)
    table = cli("fraud", "score", str(flags), "--truth", truth).out.splitlines()
    assert table[0].split() == ["scheme", "unit", "flagged", "planted", "precision", "recall"]


def test_a_scale_out_of_range_is_one_line(cli, tmp_path: Path):
    run = cli("fraud", "generate", str(tmp_path / "lab"), "--scale", "9")
    run.fails_in_one_line("must be between 0.05 and 4, not 9.0")
    assert run.code == 2 and not (tmp_path / "lab").exists()


def test_a_folder_without_the_lab_files_is_one_line(cli, tmp_path: Path):
    cli("fraud", "detect", str(tmp_path)).fails_in_one_line("lacks claims.csv")
