"""The browser tests' shared fixtures: a headless Chromium per test module, and one app
gallery for the whole run. Each gallery start preheats a kernel per app (nine notebooks
executing at once); starting it once instead of once per test module keeps that load off the
2-core CI machine (a page load timed out behind it). Chromium stays per module: Playwright's
sync API holds an event loop, which should not outlive the module's tests."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import sync_playwright
from serve_helpers import free_port, running

from medbill_lab.server.serve import CHROMIUM_ARGS, chromium_path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright; skips without one unless
    MEDBILL_REQUIRE_BROWSER=1 (as CI sets), which makes the skip a failure."""
    path = chromium_path()
    if path is None:
        if os.environ.get("MEDBILL_REQUIRE_BROWSER") == "1":
            pytest.fail(
                "no Chromium found, and MEDBILL_REQUIRE_BROWSER=1 says the browser tests must run"
            )
        pytest.skip("no Chromium on this machine (install Debian's chromium package)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, args=list(CHROMIUM_ARGS))
        yield b
        b.close()


@pytest.fixture(scope="session")
def gallery(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """``medbill-lab serve`` on a free port, as a trainer starts it: (base URL, its home)."""
    port = free_port()
    home = tmp_path_factory.mktemp("home")
    env = {**os.environ, "MEDBILL_LAB_HOME": str(home)}
    cmd = [sys.executable, "-m", "medbill_lab", "serve", "--port", str(port), "--no-browser"]
    with running(cmd, port, home / "voila.log", env):
        yield f"http://127.0.0.1:{port}", home
