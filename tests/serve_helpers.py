"""Start a Voila server for a test and stop it afterwards, whatever happens."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from medbill_lab.server.serve import wait_for_port


@contextmanager
def running(
    cmd: Sequence[str], port: int, log_path: Path, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen]:
    """Run ``cmd`` (a server on ``port``, output to ``log_path``) until the block ends;
    the test fails with the server's log if the port does not open within 90 s."""
    log = log_path.open("w")
    proc = subprocess.Popen(list(cmd), stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        if not wait_for_port(port, proc, timeout=90):
            raise AssertionError(f"the server did not start listening: {log_path.read_text()}")
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
