"""Benchmark for issue P2: seconds from page load to the first interactive
widget, for each Voila app, cold (no kernel pool) and preheated.

    .venv/bin/python benchmarks/bench_apps.py [--runs 3]

Needs Debian's Chromium (/usr/bin/chromium).  Target: <= 1.5 s cold on a
2-core machine; a plain pandas + ipywidgets Voila notebook takes about 2.7 s.
The same run measures such a plain notebook as the reference.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
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

APPS = ["index.ipynb", "encoder.ipynb", "coding_practice.ipynb", "flashcards.ipynb"]
READY = ".widget-text input, .mbl-card, .widget-button"
REFERENCE = {
    "cells": [
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": "import pandas as pd\nimport ipywidgets as w\n"
            "df = pd.DataFrame({'x': range(10)})\nw.VBox([w.Text(), w.HTML(df.to_html())])",
        }
    ],
    "metadata": {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(apps_dir: Path, pool: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    cmd = serve.voila_command(port, pool_size=pool, apps_dir=apps_dir)
    proc = subprocess.Popen(
        cmd, env=serve.voila_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    if not serve.wait_for_port(port, proc, timeout=90):
        raise SystemExit("voila did not start")
    return proc, port


def time_to_widget(browser, url: str) -> float:
    page = browser.new_page()
    t = time.perf_counter()
    page.goto(url, timeout=120_000)
    page.wait_for_selector(READY, timeout=120_000)
    elapsed = time.perf_counter() - t
    page.close()
    return elapsed


def measure(browser, apps_dir: Path, names: list[str], pool: int, runs: int) -> dict:
    proc, port = start(apps_dir, pool)
    try:
        if pool:
            time.sleep(15)  # let the pools fill, as on a server that has been up a while
        out = {}
        for name in names:
            samples = []
            for _ in range(runs):
                samples.append(
                    time_to_widget(browser, f"http://127.0.0.1:{port}/voila/render/{name}")
                )
                if pool:
                    time.sleep(8)  # the pool refills a kernel after each use
            out[name] = summary(samples)
        return out
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        os.environ["MEDBILL_LAB_HOME"] = tmp
        browser = pw.chromium.launch(
            executable_path=serve.chromium_path(), args=list(serve.CHROMIUM_ARGS)
        )
        ref_dir = Path(tmp) / "ref"
        ref_dir.mkdir()
        (ref_dir / "plain.ipynb").write_text(json.dumps(REFERENCE))
        data = {
            "cold": measure(browser, serve.APPS_DIR, APPS, pool=0, runs=args.runs),
            "preheated": measure(browser, serve.APPS_DIR, APPS, pool=1, runs=args.runs),
            "reference_plain_pandas_ipywidgets_cold": measure(
                browser, ref_dir, ["plain.ipynb"], 0, args.runs
            ),
        }
        browser.close()
    path = save("apps", data)
    print(f"Machine: {machine()}")
    for mode, apps in data.items():
        for name, s in apps.items():
            print(
                f"{mode:40} {name:24} median {s['median_ms'] / 1000:.2f} s  p95 {s['p95_ms'] / 1000:.2f} s"
            )
    print(f"(saved to {path.relative_to(ROOT)})")


if __name__ == "__main__":
    main()
