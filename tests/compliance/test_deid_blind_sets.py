"""The blind de-identification sets: rebuilt byte for byte, and the rules held to
the level the last blind set was measured at once (a guard, not a target)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from medbill_lab.compliance import deid, deid_notes


@pytest.mark.parametrize("name", ["heldout5", "heldout6"])
def test_blind_set_rebuilds_byte_for_byte(tmp_path, name):
    builder = deid_notes.dataset_dir() / f"build_{name}.py"
    shutil.copy(builder, tmp_path)
    subprocess.run([sys.executable, tmp_path / builder.name], check=True, capture_output=True)
    shipped = (deid_notes.dataset_dir() / f"{name}.jsonl").read_bytes()
    assert (tmp_path / f"{name}.jsonl").read_bytes() == shipped


def test_rules_hold_the_level_measured_once_on_heldout6():
    # heldout6 was scored once (recall 0.957, precision 0.986) and never tuned on;
    # a change that loses ground on notes it has not seen fails here
    result = deid.score(deid_notes.dataset_dir() / "heldout6.jsonl")
    assert result.recall >= 0.955 and result.precision >= 0.98, (result.recall, result.precision)
