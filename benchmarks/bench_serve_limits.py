"""Benchmark for issue P7b: can one visitor exhaust `medbill-lab serve`?

    .venv/bin/python benchmarks/bench_serve_limits.py [--opens 30] [--max-kernels 8]

Starts the gallery exactly as ``medbill-lab serve`` does (the real apps, pool of
1 per app, the default cap and cull times), lets the pool fill, then fires N
rapid ``GET /voila/render/encoder.ipynb`` requests that never open a websocket
(what an ``<img>`` tag on any web page a student visits can do). It records the
HTTP statuses, the kernel processes and their memory (RSS) before, at the peak
and every 10 s afterwards until the app kernels are culled. Before the limits,
30 such requests took the machine from 3.1 to 9.6 GB.
"""

from __future__ import annotations

import argparse
import http.client
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).parent))
from _common import save

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from medbill_lab.server import serve  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def kernel_stats(proc: psutil.Process) -> tuple[int, float]:
    """(kernel processes, their RSS in MiB)."""
    count, rss = 0, 0
    for child in proc.children(recursive=True):
        try:
            if "ipykernel_launcher" in " ".join(child.cmdline()):
                count += 1
                rss += child.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return count, round(rss / 2**20, 1)


def get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        conn.request("GET", path, headers={"Host": f"localhost:{port}"})
        resp = conn.getresponse()
        resp.read()
        return resp.status
    finally:
        conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opens", type=int, default=30)
    parser.add_argument("--max-kernels", type=int, default=serve.DEFAULT_MAX_KERNELS)
    args = parser.parse_args()
    port = free_port()
    cmd = serve.voila_command(port, pool_size=1, max_kernels=args.max_kernels)
    proc = subprocess.Popen(
        cmd, env=serve.voila_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    ps = psutil.Process(proc.pid)
    apps = len(list(serve.APPS_DIR.glob("*.ipynb")))
    try:
        if not serve.wait_for_port(port, proc, timeout=120):
            print("the server did not start", file=sys.stderr)
            return 1
        deadline = time.monotonic() + 180
        while kernel_stats(ps)[0] < apps and time.monotonic() < deadline:
            time.sleep(1)
        time.sleep(10)  # the pool kernels finish rendering
        before = kernel_stats(ps)
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=args.opens) as pool:
            statuses = list(
                pool.map(lambda _: get(port, "/voila/render/encoder.ipynb"), range(args.opens))
            )
        answered = round(time.monotonic() - started, 1)
        peak = kernel_stats(ps)
        timeline = [(0.0, *peak)]
        while time.monotonic() - started < 300:
            time.sleep(10)
            now = kernel_stats(ps)
            timeline.append((round(time.monotonic() - started, 1), *now))
            peak = max(peak, now)
            if now[0] <= before[0]:
                break
        result = {
            "opens": args.opens,
            "max_kernels": args.max_kernels,
            "pool_kernels": before[0],
            "status_counts": {str(s): statuses.count(s) for s in sorted(set(statuses))},
            "all_answered_s": answered,
            "kernels_before": before[0],
            "kernel_rss_mib_before": before[1],
            "kernels_peak": peak[0],
            "kernel_rss_mib_peak": peak[1],
            "kernels_after": timeline[-1][1],
            "kernel_rss_mib_after": timeline[-1][2],
            "back_to_pool_after_s": timeline[-1][0],
            "timeline_s_kernels_mib": timeline,
        }
        print(save("serve_limits", result).read_text())
        return 0
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    raise SystemExit(main())
