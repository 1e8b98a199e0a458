"""Start a Voila server for a test and stop it afterwards, whatever happens; open an app
of it in a browser page."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

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


# What a rendered app page shows once its widgets are up.
READY = ".widget-text input, .mbl-card, .widget-button, .widget-upload"


def free_port() -> int:
    """A TCP port free on this machine now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def open_app(browser: Any, base: str, name: str) -> tuple[Any, list[str]]:
    """Open app ``name`` of the gallery at ``base`` in a new page, wait for its widgets, and
    collect the page's console errors, page errors and failed requests in ``problems``."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.goto(f"{base}/voila/render/{name}", timeout=90_000)
    page.wait_for_selector(READY, timeout=90_000)
    return page, problems


@contextmanager
def lab_server(home: Path, *options: str) -> Iterator[tuple[int, Path]]:
    """``medbill-lab serve OPTIONS`` on a free port, as a user in ``home`` (no hub user):
    yields (port, its log file)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "JUPYTERHUB_USER"}
    env["MEDBILL_LAB_HOME"] = str(home)
    cmd = [sys.executable, "-m", "medbill_lab", "serve", "--port", str(port), "--no-browser"]
    log = home / "voila.log"
    with running([*cmd, *options], port, log, env):
        yield port, log


def wait_for(predicate: Any, timeout: float, what: str, every: float = 0.25) -> Any:
    """``predicate()``'s first true value, polled every ``every`` s; the test fails after
    ``timeout`` s naming ``what`` it waited for."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")
