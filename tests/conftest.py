"""Shared fixtures: the CLI as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def medbill_lab(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``medbill-lab ARGS`` in a child process, as a script would, with this
    interpreter's tools (nbgrader, alembic, jupyter) first on PATH."""
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
    }
    return subprocess.run(
        [sys.executable, "-m", "medbill_lab", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
    )


@pytest.fixture(scope="session")
def run_cli():
    """The ``medbill-lab`` command, run in a child process."""
    return medbill_lab
