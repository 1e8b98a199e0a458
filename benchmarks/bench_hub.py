"""Benchmark for issue P6: a class on one JupyterHub, on this machine.

    .venv/bin/python benchmarks/bench_hub.py [--sizes 1 5 10 20] [--kernels 5] [--concurrent 10]

Runs as root (it creates Unix accounts) with configurable-http-proxy in
.ci/node, exactly like tests/e2e/test_hub_integration.py, and the production hub
configuration (deploy/jupyterhub_config.py).  It measures:

1. spawn: seconds from asking the hub to start N servers at once until every
   one is ready (N = --sizes), and each server's own time to ready;
2. memory: RSS and PSS of each single-user server, idle, and of a kernel that
   ran a lesson's imports and first search (lesson 02: the encoder and the
   ICD-10-CM code set), measured on --kernels users;
3. apps: seconds from page load to the first interactive widget of the Coding
   practice app in headless Chromium, for --concurrent users opening it at the
   same moment, (a) each in their own server through the hub (Voila server
   extension; the deployment's way) and (b) all against one shared
   ``medbill-lab serve`` (the trainer's way); one user alone as the baseline.

Results go to benchmarks/results/hub.json; the sizing guide built on them is in
deploy/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psutil
from playwright.async_api import TimeoutError as PlaywrightTimeout
from playwright.async_api import async_playwright

sys.path.insert(0, str(Path(__file__).parent))
from _common import machine, save, summary

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
from hub_helpers import PASSWORD, LocalHub, free_port, missing_prerequisites  # noqa: E402

from medbill_lab.server import serve  # noqa: E402

APP = "coding_practice.ipynb"
READY = ".widget-text input, .mbl-card, .widget-button"
LESSON_CELL = (
    "from IPython.display import HTML, display\n"
    "from medbill_lab.codes import encoder, icd10cm\n"
    "from medbill_lab.apps.encoder import detail_html, encoder_search_box\n"
    "encoder.search('heart attack')\n"
    "print('ok')\n"
)
MIB = 1024 * 1024


# -- spawn ---------------------------------------------------------------------------
def spawn(hub: LocalHub, users: list[str], timeout: float = 600) -> dict:
    """Start ``users``' servers at once: seconds until all are ready, CPU per server.

    (The hub marks servers ready in batches when it is busy, so the time of each
    one is not meaningful; the time until the whole class has a server is.)
    """
    t0 = time.monotonic()
    for user in users:
        hub.request_start(user)
    ready: dict[str, float] = {}
    deadline = t0 + timeout
    while len(ready) < len(users):
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {len(ready)} of {len(users)} servers ready in {timeout} s")
        for info in hub.api("GET", "/users").json():
            server = info.get("servers", {}).get("")
            if info["name"] in users and info["name"] not in ready and server and server["ready"]:
                ready[info["name"]] = time.monotonic() - t0
        time.sleep(0.2)
    total = max(ready.values())
    cpu = [cpu_seconds(psutil.Process(hub.server_pid(u))) for u in users]
    return {
        "n": len(users),
        "all_ready_s": round(total, 2),
        "servers_per_minute": round(60 * len(users) / total, 1),
        "cpu_s_per_server_median": round(statistics.median(cpu), 2),
    }


def cpu_seconds(proc: psutil.Process) -> float:
    """CPU time (user + system) a process and its children have used so far."""
    total = 0.0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            t = p.cpu_times()
            total += t.user + t.system
    return total


def stop_all(hub: LocalHub, users: list[str], timeout: float = 120) -> None:
    for user in users:
        hub.api("DELETE", f"/users/{user}/server")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        infos = {i["name"]: i for i in hub.api("GET", "/users").json()}
        if all(not infos[u].get("servers") and not infos[u].get("pending") for u in users):
            return
        time.sleep(0.5)
    raise TimeoutError("servers did not stop")


# -- memory --------------------------------------------------------------------------
def mem(proc: psutil.Process) -> dict[str, float]:
    info = proc.memory_full_info()
    return {"rss_mib": info.rss / MIB, "pss_mib": info.pss / MIB}


def mem_summary(samples: list[dict[str, float]]) -> dict[str, float]:
    out = {}
    for key in ("rss_mib", "pss_mib"):
        values = [s[key] for s in samples]
        out[f"{key}_median"] = round(statistics.median(values), 1)
        out[f"{key}_max"] = round(max(values), 1)
    out["n"] = len(samples)
    return out


def kernels_of(server_pid: int) -> list[psutil.Process]:
    return [
        p
        for p in psutil.Process(server_pid).children(recursive=True)
        if "ipykernel" in " ".join(p.cmdline())
    ]


def memory(hub: LocalHub, users: list[str], with_kernels: list[str]) -> dict:
    """Idle server memory for ``users``; then server and kernel after the lesson cell."""
    idle = [mem(psutil.Process(hub.server_pid(u))) for u in users]
    kernels = []
    for user in with_kernels:
        k = hub.kernel(user)
        assert "ok" in k.execute(LESSON_CELL, timeout=300)
        kernels.append(k)
    servers_after = [mem(psutil.Process(hub.server_pid(u))) for u in with_kernels]
    kernel_mem = [mem(p) for u in with_kernels for p in kernels_of(hub.server_pid(u))]
    for k in kernels:
        k.shutdown()
    hub_procs = [psutil.Process(hub.proc.pid)] if hub.proc else []
    proxy = [
        p
        for p in psutil.process_iter(["cmdline"])
        if any("configurable-http-proxy" in a for a in p.info["cmdline"] or [])
    ]
    return {
        "server_idle": mem_summary(idle),
        "server_with_a_kernel": mem_summary(servers_after),
        "kernel_after_lesson_02_cell": mem_summary(kernel_mem),
        "hub_and_proxy": mem_summary([mem(p) for p in hub_procs + proxy]),
    }


# -- apps in a browser -----------------------------------------------------------------
async def _login(context, hub: LocalHub, user: str) -> None:
    page = await context.new_page()
    await page.goto(f"{hub.url}/hub/login?next=/hub/home", timeout=120_000)
    await page.fill("#username_input", user)
    await page.fill("#password_input", PASSWORD)
    await page.click("#login_submit")
    await page.wait_for_url("**/hub/home", timeout=180_000)
    await page.close()


async def _time_to_widget(
    context, url: str, timeout_s: float = 180, pages: list | None = None
) -> float | None:
    """Seconds until the first widget is interactive; None when it never was.

    The page is closed, or kept open in ``pages`` (its kernel lives while it is open).
    """
    page = await context.new_page()
    t = time.perf_counter()
    try:
        await page.goto(url, timeout=timeout_s * 1000)
        await page.wait_for_selector(READY, timeout=timeout_s * 1000)
    except PlaywrightTimeout:
        return None
    finally:
        elapsed = time.perf_counter() - t
        if pages is None:
            await page.close()
        else:
            pages.append(page)
    return elapsed


def concurrent_summary(samples: list[float | None]) -> dict:
    """Timing summary of the pages that became interactive, and how many never did."""
    done = [s for s in samples if s is not None]
    return {**(summary(done) if done else {"n": 0}), "timed_out": len(samples) - len(done)}


async def apps_via_hub(hub: LocalHub, users: list[str]) -> dict:
    """Time-to-widget of the app, each user in their own server (one alone, then all at once)."""
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=serve.chromium_path(), args=list(serve.CHROMIUM_ARGS)
        )
        contexts = [await browser.new_context() for _ in users]
        for context, user in zip(contexts, users, strict=True):
            await _login(context, hub, user)
        url = f"{hub.url}/user/{{}}/voila/render/medbill-apps/{APP}"
        alone = await _time_to_widget(contexts[0], url.format(users[0]))
        servers = [psutil.Process(hub.server_pid(u)) for u in users]
        cpu_before = sum(cpu_seconds(p) for p in servers)
        open_pages: list = []
        together = await asyncio.gather(
            *(
                _time_to_widget(c, url.format(u), pages=open_pages)
                for c, u in zip(contexts, users, strict=True)
            )
        )
        # measured while the pages are open: each one's kernel ran the app
        server_cpu = sum(cpu_seconds(p) for p in servers) - cpu_before
        app_kernels = [p for u in users for p in kernels_of(hub.server_pid(u))]
        kernel_cpu = [cpu_seconds(p) for p in app_kernels]
        kernel_mem = [mem(p) for p in app_kernels]
        await browser.close()
    return {
        "one_user_alone": concurrent_summary([alone]),
        f"{len(users)}_users_at_once": concurrent_summary(together),
        "app_kernel_memory": mem_summary(kernel_mem),
        "app_kernel_cpu_s_median": round(statistics.median(kernel_cpu), 2),
        "app_kernels": len(app_kernels),
        # server side only (server + kernel): the browsers ran on the same cores
        "server_cpu_s_per_app_open": round(server_cpu / len(users), 2),
    }


async def apps_shared(n: int, pool: int = 1) -> dict:
    """Time-to-widget of the app, ``n`` browser contexts against one ``medbill-lab serve``."""
    port = free_port()
    proc = subprocess.Popen(
        serve.voila_command(port, pool_size=pool),
        env=serve.voila_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        if not serve.wait_for_port(port, proc, timeout=120):
            raise RuntimeError("medbill-lab serve did not start")
        if pool:
            await asyncio.sleep(15)  # let the pool fill, as on a server up for a while
        url = f"http://127.0.0.1:{port}/voila/render/{APP}"
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(
                executable_path=serve.chromium_path(), args=list(serve.CHROMIUM_ARGS)
            )
            contexts = [await browser.new_context() for _ in range(n)]
            alone = await _time_to_widget(contexts[0], url)
            await asyncio.sleep(10)  # the pool refills
            together = await asyncio.gather(*(_time_to_widget(c, url) for c in contexts))
            await browser.close()
    finally:
        stop_tree(proc)
    return {
        "pool_size": pool,
        "one_user_alone": concurrent_summary([alone]),
        f"{n}_users_at_once": concurrent_summary(together),
    }


def stop_tree(proc: subprocess.Popen, timeout: float = 30) -> None:
    """Stop a process and its children (voila and its kernels), by pid."""
    family = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)
    for p in family[1:]:
        with contextlib.suppress(psutil.Error):
            p.kill()


# -- main ----------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 5, 10, 20])
    parser.add_argument("--kernels", type=int, default=5)
    parser.add_argument("--concurrent", type=int, default=10)
    args = parser.parse_args()
    problems = missing_prerequisites()
    if problems:
        raise SystemExit("cannot run a local hub: " + "; ".join(problems))
    students = [f"mbl-bench{i:02d}" for i in range(1, max([*args.sizes, args.concurrent]) + 1)]
    data: dict = {"app": APP, "spawn": [], "load_average_at_start": psutil.getloadavg()}
    with LocalHub(students) as hub:
        for n in args.sizes:
            result = spawn(hub, students[:n])
            print(f"spawn {n:3}: {result}", flush=True)
            data["spawn"].append(result)
            save("hub", data)
            if n != max(args.sizes):
                stop_all(hub, students[:n])
        running = students[: max(args.sizes)]
        data["memory"] = memory(hub, running, running[: args.kernels])
        print(f"memory: {data['memory']}", flush=True)
        save("hub", data)
        data["apps_per_user_voila_via_hub"] = asyncio.run(
            apps_via_hub(hub, students[: args.concurrent])
        )
        print(f"apps via hub: {data['apps_per_user_voila_via_hub']}", flush=True)
        save("hub", data)
    data["apps_one_shared_serve"] = asyncio.run(apps_shared(args.concurrent))
    print(f"apps, one shared serve: {data['apps_one_shared_serve']}", flush=True)
    data["load_average_at_end"] = psutil.getloadavg()
    path = save("hub", data)
    print(f"Machine: {machine()}\n(saved to {path.relative_to(ROOT)})")


if __name__ == "__main__":
    main()
