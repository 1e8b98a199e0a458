"""Shared fixtures: the CLI as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def run_cli():
    """Run ``medbill-lab`` in a child process, as a script would."""

    def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "medbill_lab", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=ROOT,
        )

    return run
