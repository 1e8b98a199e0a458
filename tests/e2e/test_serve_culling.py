"""Kernel counts after pages close, vanish or sit idle, on a real server in headless Chromium.

``medbill_lab.server.voila_app`` runs with ``serve.voila_command`` (what ``medbill-lab
serve`` runs) on one tiny app, a preheated pool of one, and the cull settings shortened
(idle 8 s instead of 5 minutes, the culler every second, the page's session watch every
second) so the module runs in about a minute:

* a page left (its goodbye beacon sent) shuts its kernel down at once;
* closed tabs (headless Chromium drops a closing tab's beacon, as a browser may) and a
  browser killed outright leave kernels that are culled once idle;
* an open page nobody touches loses its kernel, then says so and offers a reload that works;
* an open page someone is using keeps its kernel past the idle timeout;
* after all of it only the preheated pool is left.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time

import nbformat
import psutil
import pytest
from serve_helpers import READY, free_port, running, wait_for

from medbill_lab.server import serve

pytestmark = pytest.mark.slow  # each test waits out an idle timeout (about 10-20 s)

IDLE = 8  # seconds of idleness before an abandoned or untouched page's kernel goes
INTERVAL = 1  # seconds between culls
POLL = 1  # seconds between a page's "is my kernel alive" questions
POOL = 1


def kernel_pids(proc: psutil.Process) -> dict[str, int]:
    """The server's kernel processes: {kernel id: pid} (the id is in the connection file)."""
    found = {}
    for child in proc.children(recursive=True):
        try:
            cmd = " ".join(child.cmdline())
        except psutil.NoSuchProcess:
            continue
        if "ipykernel_launcher" in cmd:
            found[cmd.split("kernel-")[-1].split(".json")[0].split("-ipc")[0]] = child.pid
    return found


@pytest.fixture(autouse=True)
def quiet(server):
    """Each test starts on a server with only the pool left (earlier tests' pages culled)."""
    _, ps, _ = server
    wait_for(lambda: len(kernel_pids(ps)) == POOL, IDLE + 30, "a quiet server")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    apps = tmp_path_factory.mktemp("apps")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import ipywidgets as w\nw.Button(description='Go')")]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, apps / "tiny.ipynb")
    port = free_port()
    cmd = serve.voila_command(
        port,
        pool_size=POOL,
        apps_dir=apps,
        max_kernels=6,
        cull_interval=INTERVAL,
        idle_seconds=IDLE,
        alive_poll_seconds=POLL,
    )
    log = apps.parent / "voila.log"
    with running(cmd, port, log, serve.voila_env()) as proc:
        ps = psutil.Process(proc.pid)
        wait_for(lambda: len(kernel_pids(ps)) == POOL, 90, "the preheated pool")
        yield f"http://127.0.0.1:{port}", ps, log


def open_page(browser, base: str):
    """Open the app; (page, its kernel id) once its button is up."""
    page = browser.new_page()
    page.goto(f"{base}/voila/render/tiny.ipynb", timeout=90_000)
    page.wait_for_selector(READY, timeout=90_000)
    kid = page.evaluate(
        "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    )
    return page, kid


def culled(log, kid: str) -> str:
    """The culler's log line for this kernel ('' if it has not culled it)."""
    return next(
        (line for line in log.read_text().splitlines() if "Culling" in line and kid in line), ""
    )


def test_a_page_left_shuts_its_kernel_at_once(browser, server):
    base, ps, log = server
    page, kid = open_page(browser, base)
    assert kid in kernel_pids(ps)
    # (the app kernels start without IPython's input history file: a quicker start)
    cmdline = psutil.Process(kernel_pids(ps)[kid]).cmdline()
    assert "--HistoryManager.enabled=False" in cmdline
    page.goto("about:blank")  # the learner goes elsewhere: the page's goodbye beacon goes
    wait_for(lambda: kid not in kernel_pids(ps), IDLE, "the left page's kernel to go")
    assert not culled(log, kid)  # shut down by the goodbye, not by the idle culler
    page.close()


def test_a_killed_browser_leaves_no_kernel_behind(browser, server):
    base, ps, log = server
    me = psutil.Process()
    before = {p.pid for p in me.children(recursive=True)}
    doomed = browser.browser_type.launch(  # a second Chromium, to be killed
        executable_path=serve.chromium_path(), args=list(serve.CHROMIUM_ARGS)
    )
    chromium = [
        p for p in me.children(recursive=True) if p.pid not in before and "chrom" in p.name()
    ]
    _, kid = open_page(doomed, base)
    assert chromium and kid in kernel_pids(ps)
    for proc in chromium:  # no goodbye: the whole browser dies at once
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGKILL)
    wait_for(lambda: kid not in kernel_pids(ps), IDLE + 20, "the dead browser's kernel to go")
    assert "with 0 connections" in culled(log, kid)
    with contextlib.suppress(Exception):
        doomed.close()


def test_an_untouched_page_loses_its_kernel_and_one_in_use_keeps_it(browser, server):
    base, ps, log = server
    idle_page, idle_kid = open_page(browser, base)
    busy_page, busy_kid = open_page(browser, base)
    opened = time.monotonic()  # the page in use got its kernel by now
    banner = idle_page.locator("#mbl-session-ended")
    assert not banner.is_visible()
    x = 0
    # a learner reads on one page, moving the mouse, until the untouched page's kernel
    # is gone and the idle timeout has passed for the page in use too
    while idle_kid in kernel_pids(ps) or time.monotonic() - opened < IDLE + 4 * INTERVAL:
        assert time.monotonic() - opened < IDLE + 30, "the untouched page kept its kernel"
        x = (x + 37) % 600
        busy_page.mouse.move(50 + x, 200)
        busy_page.wait_for_timeout(500)
    assert "with 1 connections" in culled(log, idle_kid)  # culled while its page was open
    assert busy_kid in kernel_pids(ps) and not culled(log, busy_kid)
    assert not busy_page.locator("#mbl-session-ended").is_visible()
    busy_page.close()

    # the untouched page says its session ended, and its reload works
    banner.wait_for(state="visible", timeout=10_000)
    text = banner.inner_text()
    assert "session has ended" in text and f"{IDLE / 60:.1f} minutes without use" in text
    idle_page.get_by_role("button", name="Reload the app").click()
    idle_page.wait_for_selector(READY, timeout=90_000)
    new = idle_page.evaluate(
        "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    )
    assert new != idle_kid and new in kernel_pids(ps)
    assert not banner.is_visible()
    idle_page.close()


def test_only_the_pool_is_left_after_the_pages_are_gone(browser, server):
    base, ps, _ = server
    pages = [open_page(browser, base) for _ in range(2)]
    assert len(kernel_pids(ps)) == 2 + POOL
    for page, _ in pages:
        page.close()  # two tabs closed, their goodbye lost
    wait_for(lambda: len(kernel_pids(ps)) == POOL, IDLE + 20, "only the pool to be left")
