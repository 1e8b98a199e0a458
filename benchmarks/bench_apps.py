"""Benchmark for issue 15 (part 5): seconds from page load to the first interactive
widget, for every app in the gallery, cold (no kernel pool) and preheated (a pool of
one), beside a plain Voila notebook (one ipywidgets button, no lab imports) in the
same run.

    .venv/bin/python benchmarks/bench_apps.py [--runs 3] [--apps encoder.ipynb ...]

Needs Debian's Chromium (/usr/bin/chromium). Targets: <= 1.5 s cold, <= 0.8 s
preheated, on a 2-core machine. Each load is split where the time goes (the page's
Navigation Timing): ``html_ms`` is the server's part (the kernel start and the
notebook's run: Voila sends the page's end only when the last cell has run), the
rest is the browser's (Voila's front end loading, the widget manager connecting to
the kernel and drawing the widgets). A fresh browser context per load: no cache,
as a learner's first visit; and, preheated, a third time opened from the gallery
page in the same tab (Voila's front end then cached, as on every later visit).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).parent))
from _common import machine, save, summary

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from medbill_lab.server import serve  # noqa: E402

APPS = ["index.ipynb", *(nb for _, nb, _, _ in serve.APPS)]
# the first thing a learner can use on each page: a gallery card, a box, a button, a list
READY = ".mbl-card, .widget-text input, .widget-button, .widget-upload, .widget-dropdown select"
PLAIN = {
    "cells": [
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": "import ipywidgets as w\nw.Button(description='Go')",
        }
    ],
    "metadata": {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


PLAIN_NAME = "plain Voila (one button)"
# name, pool size, the page opened before (None: a first visit, nothing cached)
MODES = (
    ("cold", 0, None),
    ("preheated", 1, None),
    ("preheated, from the gallery", 1, "index.ipynb"),
)


def start(apps_dir: Path, pool: int) -> tuple[subprocess.Popen, int]:
    """The gallery's server (``medbill-lab serve``'s command) on a free port."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    cmd = serve.voila_command(port, pool_size=pool, apps_dir=apps_dir, max_kernels=4)
    proc = subprocess.Popen(
        cmd, env=serve.voila_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    if not serve.wait_for_port(port, proc, timeout=90):
        raise SystemExit("voila did not start")
    return proc, port


def load(browser, url: str, via: str | None = None) -> dict[str, float]:
    """One page load in a fresh context: seconds to the first widget, and the split.

    With ``via``, that page (the gallery) is opened first in the same tab and the
    clock starts when the learner goes on to ``url``: the browser then has Voila's
    front end in its cache, as on every visit but the first.
    """
    context = browser.new_context()
    page = context.new_page()
    if via:
        page.goto(via, timeout=120_000)
        page.wait_for_selector(READY, timeout=120_000, state="visible")
    t = time.perf_counter()
    page.goto(url, timeout=120_000, wait_until="commit")
    page.wait_for_selector(READY, timeout=120_000, state="visible")
    elapsed = time.perf_counter() - t
    nav = page.evaluate("JSON.stringify(performance.getEntriesByType('navigation')[0])")
    timing = json.loads(nav)
    # leave as a learner does (the kernel is shut down by the page's goodbye)
    page.goto("about:blank")
    context.close()
    return {
        "ready": elapsed,
        "first_byte": timing["responseStart"] / 1000,
        "html": timing["responseEnd"] / 1000,
    }


def measure(
    browser, apps_dir: Path, names: list[str], pool: int, runs: int, via: str | None = None
) -> dict:
    """Each app ``runs`` times on one server (pool 0: cold; pool 1: preheated), opened
    directly or (``via``) from that notebook of the same folder."""
    proc, port = start(apps_dir, pool)
    try:
        if pool:
            time.sleep(10 + 3 * len(names))  # let every pool fill, as on a server up a while
        out = {}
        for name in names:
            loads = []
            for _ in range(runs):
                base = f"http://127.0.0.1:{port}/voila/render/"
                loads.append(load(browser, base + name, via and base + via))
                if pool:
                    time.sleep(6)  # the pool refills a kernel after each use
            out[name] = summary([x["ready"] for x in loads])
            out[name]["html_ms"] = round(statistics.median(x["html"] for x in loads) * 1000, 1)
        return out
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--apps", nargs="*", default=APPS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        os.environ["MEDBILL_LAB_HOME"] = tmp
        browser = pw.chromium.launch(
            executable_path=serve.chromium_path(), args=list(serve.CHROMIUM_ARGS)
        )
        plain_dir = Path(tmp) / "plain"
        plain_dir.mkdir()
        (plain_dir / "plain.ipynb").write_text(json.dumps(PLAIN))
        (plain_dir / "index.ipynb").write_text(json.dumps(PLAIN))  # its "gallery"
        data = {}
        for mode, pool, via in MODES:
            apps = [a for a in args.apps if not (via and a == via)]
            data[mode] = measure(browser, serve.APPS_DIR, apps, pool, args.runs, via)
            data[mode][PLAIN_NAME] = measure(
                browser, plain_dir, ["plain.ipynb"], pool, args.runs, via
            )["plain.ipynb"]
        browser.close()
    data["load_average_after"] = os.getloadavg()
    path = save("apps", data)
    print(f"Machine: {machine()}; load average after: {data['load_average_after']}")
    for mode, _, _ in MODES:
        for name, s in data[mode].items():
            print(
                f"{mode:10} {name:28} median {s['median_ms'] / 1000:.2f} s"
                f"  (html {s['html_ms'] / 1000:.2f} s)  max {s['max_ms'] / 1000:.2f} s"
            )
    print(f"(saved to {path.relative_to(ROOT)})")


if __name__ == "__main__":
    main()
