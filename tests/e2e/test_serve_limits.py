"""The app server's limits, measured on a real server on localhost.

``medbill_lab.server.voila_app`` is started with ``serve.voila_command`` (the exact
command ``medbill-lab serve`` runs) on a folder of two tiny app notebooks,
with a small kernel cap and short cull times so the whole module runs in
about a minute:

* 30 rapid page opens that never connect a websocket leave at most the cap of
  app kernels; the rest get the 503 "busy" page;
* those unconnected kernels are culled, memory goes back down, and the pool
  of preheated kernels survives;
* a kernel whose page is connected is not culled;
* a forged ``Host`` gets 403, for HTTP and for the kernel websocket.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import nbformat
import psutil
import pytest
from serve_helpers import free_port, running, wait_for
from tornado import httpclient, websocket
from tornado.ioloop import IOLoop

from medbill_lab.server import serve
from medbill_lab.server.voila_app import busy_page, host_allowed

CAP = 3
POOL = 1  # per notebook; two notebooks
UNCONNECTED = 6  # seconds
INTERVAL = 2  # seconds between culls
EXTRA_HOST = "lab.example.org"


def write_app(path, code: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)


def kernels(proc: psutil.Process) -> list[psutil.Process]:
    """The kernel processes the server started."""
    found = []
    for child in proc.children(recursive=True):
        try:
            if "ipykernel_launcher" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.NoSuchProcess:
            pass
    return found


def kernel_memory(proc: psutil.Process) -> int:
    total = 0
    for k in kernels(proc):
        with contextlib.suppress(psutil.NoSuchProcess):
            total += k.memory_info().rss
    return total


def get(port: int, path: str, host: str | None = None) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers={"Host": f"localhost:{port}" if host is None else host})
        resp = conn.getresponse()
        return resp.status, resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    apps = tmp_path_factory.mktemp("apps")
    write_app(apps / "tiny.ipynb", "import ipywidgets as w\nw.Button(description='Go')")
    write_app(apps / "other.ipynb", "import ipywidgets as w\nw.Text()")
    port = free_port()
    cmd = serve.voila_command(
        port,
        pool_size=POOL,
        apps_dir=apps,
        max_kernels=CAP,
        allow_hosts=[EXTRA_HOST],
        unconnected_seconds=UNCONNECTED,
        cull_interval=INTERVAL,
    )
    log_path = apps.parent / "voila.log"
    with running(cmd, port, log_path, serve.voila_env()) as proc:
        ps = psutil.Process(proc.pid)
        wait_for(lambda: len(kernels(ps)) == 2 * POOL, 90, "the preheated pool")
        time.sleep(2)  # let the pool kernels finish rendering
        yield port, ps, log_path


def test_rapid_unconnected_page_opens_are_capped_then_culled(server):
    port, ps, log_path = server
    pool_pids = {k.pid for k in kernels(ps)}
    baseline = kernel_memory(ps)
    started = time.monotonic()
    counts: list[int] = []
    done = threading.Event()

    def watch() -> None:  # how many kernels exist, all the while the pages are opened
        while not done.is_set():
            counts.append(len(kernels(ps)))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    with ThreadPoolExecutor(max_workers=30) as pool:
        results = list(pool.map(lambda _: get(port, "/voila/render/tiny.ipynb"), range(30)))
    counts.append(len(kernels(ps)))
    done.set()
    watcher.join()
    statuses = [s for s, _ in results]
    # every answer is a page or the busy page: never a 500 (choosing a seat to free
    # once read a kernel listed before its start had finished; see tests/server)
    assert 503 in statuses and set(statuses) <= {200, 503}, statuses
    # on a slow machine a late request may take the seat of a page that never
    # connected (the unconnected timeout is short here), so more than CAP may get
    # a page over the burst; what must hold is the number of kernels at any moment
    assert CAP <= statuses.count(200) < 30 - CAP, statuses
    busy = next(body for s, body in results if s == 503)
    assert "try again in a minute" in busy and "Traceback" not in busy
    # at most the cap of app kernels, plus the (refilled) pool, at every moment
    assert max(counts) <= CAP + 2 * POOL, max(counts)
    peak = kernel_memory(ps)
    assert peak > baseline

    # no page connects: the app kernels are shut down; the pool stays
    wait_for(lambda: len(kernels(ps)) == 2 * POOL, 60, "the unconnected kernels to be culled")
    elapsed = time.monotonic() - started
    assert elapsed < 60, elapsed
    after = kernel_memory(ps)
    assert after < peak - (peak - baseline) * 0.6, (baseline, peak, after)
    survivors = {k.pid for k in kernels(ps)}
    other_pool = {k.pid for k in kernels(ps)} & pool_pids
    assert other_pool, "the other app's preheated kernel must survive the culling"
    assert len(survivors) == 2 * POOL
    assert "no page connected to it" in log_path.read_text()
    # capacity is back
    assert get(port, "/voila/render/tiny.ipynb")[0] == 200


def kernel_id(page: str) -> str:
    return re.search(r'"kernelId":\s*"([0-9a-f-]+)"', page).group(1)


def connect(url: str, host: str):
    # generous timeouts: a loaded 2-core CI machine can take long to answer the upgrade
    request = httpclient.HTTPRequest(
        url, headers={"Host": host}, connect_timeout=90, request_timeout=90
    )
    return IOLoop.current().run_sync(lambda: websocket.websocket_connect(request), timeout=120)


def test_a_connected_page_keeps_its_kernel(server):
    port, ps, _ = server
    wait_for(lambda: len(kernels(ps)) <= 2 * POOL + 1, 60, "room for a page")
    status, page = get(port, "/voila/render/other.ipynb")
    assert status == 200
    kid = kernel_id(page)
    ws = connect(f"ws://127.0.0.1:{port}/api/kernels/{kid}/channels", f"localhost:{port}")
    try:
        time.sleep(UNCONNECTED + 3 * INTERVAL)
        status, body = get(port, f"/api/kernels/{kid}")
        assert status == 200 and json.loads(body)["connections"] >= 1
    finally:
        disconnect(ws)


def disconnect(ws) -> None:
    async def close():
        ws.close()
        await asyncio.sleep(0.5)

    IOLoop.current().run_sync(close, timeout=10)


def test_at_the_cap_a_new_visitor_takes_the_seat_of_a_page_that_went_away(server):
    port, ps, log_path = server
    sockets = []
    for _ in range(CAP):  # earlier tests' pages have gone away: these take their seats
        status, page = get(port, "/voila/render/tiny.ipynb")
        assert status == 200
        url = f"ws://127.0.0.1:{port}/api/kernels/{kernel_id(page)}/channels"
        sockets.append(connect(url, f"localhost:{port}"))
    # every seat has a page connected: the next visitor is told to come back
    assert get(port, "/voila/render/other.ipynb")[0] == 503
    for ws in sockets:  # the tabs are closed without a goodbye
        disconnect(ws)
    time.sleep(UNCONNECTED + 2 * INTERVAL)  # longer than the unconnected timeout: not culled
    assert len(kernels(ps)) == CAP + 2 * POOL
    assert get(port, "/voila/render/other.ipynb")[0] == 200
    assert len(kernels(ps)) <= CAP + 2 * POOL
    assert "shutting down unattended kernel" in log_path.read_text()


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8866", "localhost.evil.example"])
def test_a_forged_host_gets_403(server, host):
    port, _, _ = server
    status, body = get(port, "/voila/render/tiny.ipynb", host=host)
    assert status == 403
    assert "does not answer to the address" in body


def age(proc: psutil.Process) -> float:
    """Seconds since the process started."""
    return time.time() - proc.create_time()


def kernel_age(ps: psutil.Process, kid: str) -> float:
    """Seconds since the kernel process with this id started."""
    (proc,) = [k for k in kernels(ps) if kid in " ".join(k.cmdline())]
    return age(proc)


def test_a_forged_host_cannot_open_the_kernel_websocket(server):
    port, ps, _ = server
    stale = UNCONNECTED + 2 * INTERVAL
    wait_for(lambda: min(map(age, kernels(ps))) > stale, 90, "every kernel to be older")
    status, page = get(port, "/voila/render/tiny.ipynb")  # takes a seat a page left
    assert status == 200
    kid = kernel_id(page)
    # the page got a kernel preheated long ago (so idle by its last activity) ...
    assert kernel_age(ps, kid) > stale
    time.sleep(2 * INTERVAL)  # ... and its browser is slow: culling passes run before it connects
    url = f"ws://127.0.0.1:{port}/api/kernels/{kid}/channels"
    real = connect(url, f"127.0.0.1:{port}")  # the page still has its kernel
    try:
        with pytest.raises(httpclient.HTTPClientError) as refused:
            connect(url, "evil.example")
        assert refused.value.code == 403
    finally:
        disconnect(real)


def test_configured_and_loopback_hosts_are_served(server):
    port, _, _ = server
    for host in (f"{EXTRA_HOST}:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", "LOCALHOST"):
        assert get(port, "/voila/render/", host=host)[0] != 403, host


def test_host_rules():
    assert host_allowed("localhost") and host_allowed("127.0.0.2:80") and host_allowed("[::1]")
    assert host_allowed("Lab.Example.Org.:443", [EXTRA_HOST])
    assert not host_allowed("lab.example.org.evil", [EXTRA_HOST])
    assert not host_allowed("10.0.0.5:8866") and not host_allowed("0.0.0.0")


def test_busy_page_is_self_contained():
    page = busy_page()
    assert 'http-equiv="refresh"' in page and "try again" in page
    assert "<script" not in page and "http://" not in page and "https://" not in page
