"""Voila for the app gallery, with the limits a shared classroom server needs.

Plain Voila 0.5 gives every ``GET /voila/render/<app>.ipynb`` a kernel (about
215 MB) that lives until the idle culler takes it, even if no page ever
connects to it, and it answers any ``Host`` header. Here:

* **Unconnected kernels go quickly.** A kernel no page has connected to is shut
  down once it has been idle ``unconnected_timeout`` seconds (75 by default);
  a kernel whose page connected and then went away keeps the usual, longer
  ``cull_idle_timeout`` (so a laptop waking from sleep finds its app). The
  preheated pool is never culled (it is unconnected by design) and its size
  is fixed.
* **Idle pages lose their kernel, and say so.** An app page asks every half minute
  whether its kernel is alive (``/voila/api/alive/<id>``, :class:`KernelAliveHandler`)
  and reports whether the learner was active meanwhile, which counts as activity;
  once the culler has taken an untouched page's kernel the page shows that its
  session ended, with a Reload button (the template ``medbill``).
* **App kernels are capped.** At ``max_app_kernels`` kernels handed to pages
  (pool kernels not counted, pages still loading counted), a new visitor takes
  the seat of a kernel whose page has gone away (or never connected within
  ``evict_grace`` seconds); if every seat has a page connected, the visitor gets
  a friendly "busy, try again in a minute" page with HTTP 503 instead of a kernel.
* **Only expected hosts are served.** A request whose ``Host`` is not
  localhost, a loopback address or a configured name gets 403, for HTTP and
  for the kernel websocket alike, which defeats DNS rebinding.

Run it as ``python -m medbill_lab.server.voila_app`` with Voila's usual options (see
:func:`medbill_lab.server.serve.voila_command`).
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import secrets
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import nbformat
import tornado.web
from jupyter_core.utils import ensure_async
from jupyter_server._tz import utcnow
from jupyter_server.base.handlers import APIHandler
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from jupyter_server.utils import url_path_join
from nbformat.sign import MemorySignatureStore, NotebookNotary
from tornado.httputil import split_host_and_port
from traitlets import Integer, List, TraitError, Unicode
from traitlets.config import LoggingConfigurable
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

LOCAL_HOSTS = ("localhost",)
# Added to every app kernel's command line. An app page runs no cells a learner types,
# so IPython's input history (a SQLite file and a writer thread per kernel) is kept in
# memory: measured with jupyter_client, a kernel starts about 0.1 s sooner (1.24-1.33 s
# -> 1.14-1.18 s, medians of 4 on the loaded 2-core machine).
APP_KERNEL_ARGUMENTS = ("--HistoryManager.enabled=False",)
BUSY_RETRY_SECONDS = 60

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>{refresh}
<style>body{{font-family:system-ui,sans-serif;max-width:40em;margin:4em auto;padding:0 1em;
color:#222}}h1{{color:#1b5e20;font-size:1.5em}}.box{{border:1px solid #ccd;border-radius:8px;
padding:1em 1.5em;background:#f7faf7}}a{{color:#1b5e20}}</style></head>
<body><div class="box"><h1>{title}</h1>{body}</div></body></html>"""


def busy_page(retry_seconds: int = BUSY_RETRY_SECONDS) -> str:
    """The page a visitor sees when every app kernel is in use (sent with HTTP 503)."""
    body = (
        "<p>Every seat in the lab is taken right now: too many apps are open at once.</p>"
        f"<p>Please try again in a minute. This page will retry by itself in {retry_seconds} "
        'seconds, or <a href="">try again now</a>.</p>'
        "<p><small>Closing app tabs you are not using frees their seats.</small></p>"
    )
    refresh = f'<meta http-equiv="refresh" content="{int(retry_seconds)}">'
    return _PAGE.format(title="The lab is busy", refresh=refresh, body=body)


def forbidden_host_page() -> str:
    """The page for a request addressed to a host name this server does not answer to."""
    body = (
        "<p>This lab server does not answer to the address in your browser's address bar.</p>"
        "<p>Open it at the address your trainer gave you (on this computer: "
        "<code>http://localhost:&lt;port&gt;/</code>).</p>"
    )
    return _PAGE.format(title="Not served at this address", refresh="", body=body)


def host_allowed(host_header: str, extra: list[str] | tuple[str, ...] = ()) -> bool:
    """Whether a request's ``Host`` header names this server.

    Loopback addresses and ``localhost`` always do; other names only when listed
    in ``extra`` (case does not matter, nor does a trailing dot or the port).

    >>> host_allowed("localhost:8866"), host_allowed("127.0.0.1"), host_allowed("[::1]:8866")
    (True, True, True)
    >>> host_allowed("evil.example:8866"), host_allowed("lab.school.edu", ["lab.school.edu"])
    (False, True)
    >>> host_allowed("")
    False
    """
    host, _port = split_host_and_port(host_header.strip().lower())
    host = host.strip("[]").rstrip(".")
    if not host:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback or host in _normalised(extra)
    except ValueError:
        return host in LOCAL_HOSTS or host in _normalised(extra)


def _normalised(names: list[str] | tuple[str, ...]) -> set[str]:
    return {n.strip().lower().strip("[]").rstrip(".") for n in names if n.strip()}


def idle_since(kernel: Any) -> datetime | None:
    """When a kernel last did something, or None if it is busy or its start has not finished.

    A kernel is listed by its manager a moment before jupyter_server sets its
    ``last_activity``; reading the unset trait then raises a ``TraitError`` (not
    an ``AttributeError``, so ``getattr(..., None)`` does not catch it).

    >>> idle_since(None) is None
    True
    """
    if kernel is None or getattr(kernel, "execution_state", None) == "busy":
        return None
    try:
        return getattr(kernel, "last_activity", None)
    except TraitError:
        return None


class ForbiddenHostHandler(tornado.web.RequestHandler):
    """Answers every request (and websocket upgrade) for a foreign Host with 403."""

    def prepare(self) -> None:
        self.set_status(403)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(forbidden_host_page())


class GuardedApplication(tornado.web.Application):
    """A tornado application that routes requests for unexpected hosts to a 403."""

    def find_handler(self, request, **kwargs):
        if not host_allowed(request.host or "", self.settings.get("medbill_allowed_hosts", [])):
            return self.get_handler_delegate(request, ForbiddenHostHandler)
        return super().find_handler(request, **kwargs)


class UnconnectedCuller(LoggingConfigurable):
    """Kernel-manager mixin: a kernel no page ever connected to goes after ``unconnected_timeout``.

    A kernel whose page connected and then went away keeps the manager's usual
    ``cull_idle_timeout``. Mixed into :class:`MedbillKernelManager` (the gallery)
    and :class:`medbill_lab.server.hub_kernels.HubKernelManager` (each hub user's server).
    """

    unconnected_timeout = Integer(
        75,
        config=True,
        help="Seconds of idleness after which a kernel no page ever connected to is shut down.",
    )

    def notify_connect(self, kernel_id: str) -> None:
        """Record that a page connected to the kernel (it then keeps the long timeout)."""
        self._ever_connected().add(kernel_id)
        super().notify_connect(kernel_id)

    def _ever_connected(self) -> set[str]:
        if not hasattr(self, "_connected_once"):
            self._connected_once: set[str] = set()
        return self._connected_once

    def never_connected_and_idle(self, kernel_id: str) -> bool:
        """True for a kernel no page has connected to, idle past ``unconnected_timeout``."""
        last = idle_since(self._kernels.get(kernel_id))
        return (
            last is not None
            and kernel_id not in self._ever_connected()
            and not self._kernel_connections.get(kernel_id, 0)
            and utcnow() - last > timedelta(seconds=self.unconnected_timeout)
        )

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        """Shut down a never-connected idle kernel; otherwise apply the usual idle rule."""
        if kernel_id not in self._kernels:
            return
        if self.never_connected_and_idle(kernel_id):
            self.log.warning(
                "Culling kernel %s: no page connected to it in %s s",
                kernel_id,
                self.unconnected_timeout,
            )
            await ensure_async(self.shutdown_kernel(kernel_id))
            return
        await super().cull_kernel_if_idle(kernel_id)

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        """Shut a kernel down and forget that it was ever connected."""
        self._ever_connected().discard(kernel_id)
        return await super().shutdown_kernel(kernel_id, *args, **kwargs)


class MedbillKernelManager(UnconnectedCuller, AsyncMappingKernelManager):
    """The kernel manager behind the gallery: quick culling of unconnected kernels, a cap.

    Voila builds its pooling manager on top of this class (as
    ``VoilaConfiguration.multi_kernel_manager_class``), so the pool logic sits
    above these methods (and keeps pool kernels from being culled).
    """

    max_app_kernels = Integer(
        8,
        config=True,
        help="Most kernels handed to pages at once (the preheated pool is not counted).",
    )

    evict_grace = Integer(
        30,
        config=True,
        help="When the lab is full, a kernel no page has connected to for this many "
        "seconds of idleness may be shut down to seat a new visitor.",
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pages_loading = 0
        self._started_by_task: dict[asyncio.Task, str] = {}
        self._evicting: set[str] = set()
        # Voila's pooling manager is built on top of this class, so its
        # get_rendered_notebook cannot be overridden here; wrap it on the instance.
        pooled = getattr(self, "get_rendered_notebook", None)
        if pooled is not None:
            self.get_rendered_notebook = self._handing_out(pooled)

    def _handing_out(self, pooled: Any) -> Any:
        async def get_rendered_notebook(*args: Any, **kwargs: Any) -> Any:
            result = await pooled(*args, **kwargs)
            self.handed_out(result[2])
            return result

        return get_rendered_notebook

    def handed_out(self, kernel_id: str) -> None:
        """A preheated kernel was just given to a page: its idle clock starts now.

        A pool kernel last did something when it finished rendering, perhaps long
        ago; without this the unconnected culler (or a full lab's eviction) could
        take it in the second between the page being sent and its browser connecting.
        """
        kernel = self._kernels.get(kernel_id)
        if kernel is not None:
            kernel.last_activity = utcnow()

    async def start_kernel(self, **kwargs: Any) -> str:
        """Start a kernel, remembering which pool task (if any) started it.

        The id is chosen before the start and recorded at once: the manager lists
        a kernel while it is still starting, and a pool refill that is slow to
        start (a loaded machine) must not count as a page's seat meanwhile. The
        kernel gets :data:`APP_KERNEL_ARGUMENTS`.
        """
        kwargs.setdefault("extra_arguments", list(APP_KERNEL_ARGUMENTS))
        task = asyncio.current_task()
        if task is not None and kwargs.get("kernel_id") is None:
            kwargs["kernel_id"] = str(uuid.uuid4())
            self._started_by_task[task] = kwargs["kernel_id"]
            task.add_done_callback(self._forget_finished_task)
        return await super().start_kernel(**kwargs)

    def _forget_finished_task(self, task: asyncio.Task) -> None:
        # A finished task still sitting in a pool keeps its entry (pool_kernel_ids
        # reads it); any other finished task is done with.
        if not any(task in pool for pool in getattr(self, "_pools", {}).values()):
            self._started_by_task.pop(task, None)

    def pool_kernel_ids(self) -> set[str]:
        """Kernels waiting in the preheated pool (not yet handed to a page)."""
        ids = set()
        for pool in getattr(self, "_pools", {}).values():
            for task in pool:
                kernel_id = self._started_by_task.get(task)
                finished = task.done() and not task.cancelled() and task.exception() is None
                if kernel_id is None and finished:
                    kernel_id = task.result().get("kernel_id")
                if kernel_id:
                    ids.add(kernel_id)
        return ids

    def app_kernel_count(self) -> int:
        """Kernels handed to pages plus pages still loading (which will hold one)."""
        handed_out = set(self.list_kernel_ids()) - self.pool_kernel_ids() - self._evicting
        return len(handed_out) + self.pages_loading

    def pick_victim(self) -> str | None:
        """A kernel to shut down so a new visitor gets a seat, or None; it stops counting at once.

        Only a kernel with no page connected qualifies: one whose page went away
        (a closed tab or a browser that never said goodbye), or one no page
        connected to within ``evict_grace`` seconds. The least recently active goes.
        """
        pool = self.pool_kernel_ids()
        now = utcnow()
        candidates = []
        for kernel_id in self.list_kernel_ids():
            last = idle_since(self._kernels.get(kernel_id))
            if (
                last is None
                or kernel_id in pool
                or kernel_id in self._evicting
                or self._kernel_connections.get(kernel_id, 0)
            ):
                continue
            abandoned = kernel_id in self._ever_connected()
            if abandoned or now - last > timedelta(seconds=self.evict_grace):
                candidates.append((last, kernel_id))
        if not candidates:
            return None
        victim = min(candidates)[1]
        self._evicting.add(victim)
        return victim

    def at_capacity(self) -> bool:
        """True when one more page would exceed ``max_app_kernels``."""
        return self.app_kernel_count() >= self.max_app_kernels

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        """Shut a kernel down and forget which task started it."""
        for task, kid in list(self._started_by_task.items()):
            if kid == kernel_id:
                self._started_by_task.pop(task, None)
        try:
            return await super().shutdown_kernel(kernel_id, *args, **kwargs)
        finally:
            self._evicting.discard(kernel_id)


class CappedVoilaHandler(TornadoVoilaHandler):
    """The app page handler: answers 503 with a friendly page when the lab is full."""

    @tornado.web.authenticated
    async def get(self, path: str | None = None) -> None:
        """Render the app, unless every app kernel is taken by a connected page."""
        # Set the _xsrf cookie: the page echoes it in the beacon that shuts its kernel
        # down when it is left (POST /voila/api/shutdown/...), refused with 403 without it.
        # Only the file list set it before, and / now goes to the gallery instead.
        self.xsrf_token  # noqa: B018 (reading it sets the cookie)
        km = self.kernel_manager
        capped = hasattr(km, "at_capacity") and (path or "").lower().endswith(".ipynb")
        victim = None
        if capped and km.at_capacity():
            victim = km.pick_victim()
            if victim is None:
                self.busy(km, path)
                return
        if capped:
            km.pages_loading += 1  # counted before any await, so concurrent pages see it
        try:
            if victim is not None:
                self.log.warning(
                    "Lab full: shutting down unattended kernel %s for %s", victim, path
                )
                await km.shutdown_kernel(victim)
            await super().get(path)
        finally:
            if capped:
                km.pages_loading -= 1

    def busy(self, km: MedbillKernelManager, path: str | None) -> None:
        """Answer 503 with the friendly busy page."""
        self.log.warning(
            "Busy: %s app kernels in use (cap %s); refused %s",
            km.app_kernel_count(),
            km.max_app_kernels,
            path,
        )
        self.set_status(503)
        self.set_header("Retry-After", str(BUSY_RETRY_SECONDS))
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(busy_page())


class KernelAliveHandler(APIHandler):
    """``POST /voila/api/alive/<kernel_id>``: whether a page's kernel still exists.

    An app page asks every half minute (the template's session watch). The answer is
    ``{"alive": true}`` (200) or ``{"alive": false}`` (404, the page then says that its
    session ended and offers a reload), with how many seconds to wait before asking again. A body of ``{"active": true}`` (the learner moved,
    scrolled or typed since the last ask) counts as activity and restarts the kernel's
    idle clock, so a page someone is reading is not culled; an open page nobody touches is.
    """

    @tornado.web.authenticated
    async def post(self, kernel_id: str) -> None:
        """Answer whether the kernel is alive; note the learner's activity if any."""
        km = self.kernel_manager
        kernel = km._kernels.get(kernel_id) if hasattr(km, "_kernels") else None
        answer = {"poll_seconds": self.settings.get("medbill_alive_poll_seconds", 30)}
        if kernel is None:
            idle = getattr(km, "cull_idle_timeout", 0)
            self.set_status(404)
            self.finish({**answer, "alive": False, "idle_minutes": round(idle / 60, 1)})
            return
        try:
            active = bool(json.loads(self.request.body or b"{}").get("active"))
        except (ValueError, AttributeError):
            active = False
        if active:
            kernel.last_activity = utcnow()
        self.finish({**answer, "alive": True})


def app_notebooks(root: Path) -> list[Path]:
    """The notebooks served from ``root`` (checkpoint copies left out)."""
    return sorted(p for p in root.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def trusting_notary(notebooks: list[Path], parent: Any = None) -> NotebookNotary:
    """A notary that trusts exactly these notebooks as they are now.

    The app notebooks are the lab's own, so the server signs them when it starts
    (Jupyter otherwise warns "Notebook ... is not trusted" at every render). The
    signatures and the key live in memory only: nothing is written to the
    user's Jupyter data directory, and a notebook edited after the start is
    untrusted again (and warned about), as Jupyter would do.
    """
    notary = NotebookNotary(
        parent=parent,
        data_dir="",
        secret=secrets.token_bytes(32),
        store_factory=MemorySignatureStore,
    )
    for path in notebooks:
        notary.sign(nbformat.read(path, as_version=4))
    return notary


class MedbillVoila(Voila):
    """Voila with a host allow-list, the capped page handler, the gallery at ``/`` and
    its own app notebooks trusted."""

    name = "medbill-voila"
    allowed_hosts = List(
        Unicode(),
        [],
        config=True,
        help="Host names served besides localhost and loopback addresses (e.g. lab.school.edu).",
    )
    gallery = Unicode(
        "index.ipynb",
        config=True,
        help="The notebook (in the served directory) that / and /voila/tree redirect to; "
        "without it, the file list is shown there.",
    )
    alive_poll_seconds = Integer(
        30,
        config=True,
        help="How often an app page asks whether its kernel is still alive (and reports "
        "whether the learner was active meanwhile).",
    )

    def gallery_url(self) -> str | None:
        """The gallery page's path on this server, or None if there is no gallery notebook."""
        if not self.gallery or not (Path(self.root_dir) / self.gallery).is_file():
            return None
        return url_path_join(self.server_url or self.base_url, "voila/render", self.gallery)

    def init_handlers(self) -> list:
        """Voila's handlers, with the page handler swapped for the capped one, the
        file list (``/`` and ``/voila/tree``) for a redirect to the gallery, and the
        pages' session watch (:class:`KernelAliveHandler`) added."""
        gallery = self.gallery_url()
        alive = url_path_join(self.server_url, r"/voila/api/alive/([0-9a-f-]{36})")
        handlers = [(alive, KernelAliveHandler)]
        for h in super().init_handlers():
            if h[1] is TornadoVoilaHandler:
                h = (h[0], CappedVoilaHandler, *h[2:])
            elif h[1] is TornadoVoilaTreeHandler and gallery is not None:
                h = (h[0], tornado.web.RedirectHandler, {"url": gallery, "permanent": False})
            handlers.append(h)
        return handlers

    def start(self) -> None:
        """Voila's start, on a host-guarded tornado application."""
        import tempfile

        self.connection_dir = tempfile.mkdtemp(prefix="voila_", dir=self.connection_dir_root)
        self.log.info("Storing connection files in %s.", self.connection_dir)
        settings = self.init_settings()
        self.contents_manager.notary = trusting_notary(
            app_notebooks(Path(self.root_dir)), parent=self.contents_manager
        )
        settings["medbill_allowed_hosts"] = list(self.allowed_hosts)
        settings["medbill_alive_poll_seconds"] = self.alive_poll_seconds
        self.app = GuardedApplication(**settings)
        self.app.settings.update(self.tornado_settings)
        self.app.add_handlers(".*$", self.init_handlers())
        self.listen()


main = MedbillVoila.launch_instance

if __name__ == "__main__":
    main()
