"""The command line run in this process through ``main([...])``: fast, and a handler's
exception reaches the test as the user would see it (one line, or a traceback)."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pytest

from medbill_lab.cli import main


class Run(NamedTuple):
    """What one command did: its exit status and what it wrote."""

    code: int
    out: str
    err: str

    def fails_in_one_line(self, says: str = "") -> None:
        """Bad input: nothing on stdout, one line on stderr naming the problem, a non-zero
        status, no traceback."""
        assert self.code != 0, self
        assert self.out == "" and self.err.count("\n") == 1, self
        assert "Traceback" not in self.err and "error" in self.err and says in self.err, self


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run ``medbill-lab ARGS`` in this process; returns its status, stdout and stderr."""

    def run(*args: str) -> Run:
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return Run(code, out, err)

    return run
