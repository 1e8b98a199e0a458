"""Serve the Voila app gallery (``notebooks/apps/``) on localhost.

Voila renders each app notebook as a page with its sources stripped and no
tracebacks shown, and a pool of preheated kernels per app makes a page
interactive in milliseconds instead of seconds. The server is
:mod:`medbill_lab.server.voila_app`, so one visitor cannot exhaust it: a kernel no page
connects to goes within 2 minutes, one whose page is gone or untouched within 6, app kernels are capped (``--max-kernels``; past
the cap a "busy, try again in a minute" page with HTTP 503), and only
localhost and the names given with ``--allow-host`` are served (403 otherwise).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import webbrowser
from pathlib import Path

from medbill_lab.datasets import project_root

APPS_DIR = project_root() / "notebooks" / "apps"
# Holds voila/templates/medbill: the lab template minus its CDN stylesheet links.
JUPYTER_DATA = Path(__file__).resolve().parents[1] / "jupyter_data"
# The only front-end extension the apps need; others (nbgrader's, notebook's)
# expect a full JupyterLab and fail noisily inside Voila.
NEEDED_EXTENSIONS = {"@jupyter-widgets/jupyterlab-manager"}
DEFAULT_PORT = 8866
# Idle kernels go within minutes, each about 215 MB on a machine of a few GB:
# * a kernel whose page vanished without a goodbye (a killed browser, a laptop closed):
#   its websocket drops and it is culled after CULL_IDLE_SECONDS of idleness;
# * a kernel whose page is open but untouched: culled after the same time (cull_connected).
#   A learner still reading is not "untouched": the page's session watch (the medbill
#   template) reports mouse, scroll and key activity every ALIVE_POLL_SECONDS and that
#   restarts the idle clock. A learner who comes back after a longer pause finds the page
#   saying that its session ended, with a Reload button, not buttons that do nothing.
# 5 minutes is long enough to read a case with the hands off the keyboard, short
# enough that 25 page visits do not leave 36 kernels behind. The culler looks every
# 30 s, so a kernel goes 5-5.5 minutes after its last activity. The preheated pool
# is never culled (Voila's pool manager exempts it; its size is fixed).
CULL_IDLE_SECONDS = 300
UNCONNECTED_SECONDS = 75  # a kernel no page connected to: idle 75 s, gone by 105 s
CULL_INTERVAL_SECONDS = 30
ALIVE_POLL_SECONDS = 30
# A hub user's own server also runs JupyterLab notebooks, whose kernels hold a learner's
# work in progress: a closed notebook tab keeps its kernel 30 minutes there.
NOTEBOOK_CULL_IDLE_SECONDS = 1800
# Kernels handed to pages at once (about 215 MB each; the pool is extra). Sized
# for the 2-core, few-GB machine a trainer runs the lab on.
DEFAULT_MAX_KERNELS = 8
MAX_POOL_SIZE = 2  # preheated kernels per app: each idles at about 215 MB


# Headless Chromium as the browser tests and benchmarks run it (Debian's
# package; the background-networking flags keep it off a closed network).
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium_path() -> str | None:
    """The OS's Chromium ($MEDBILL_CHROMIUM, /usr/bin/chromium or on PATH), or None."""
    for candidate in (
        os.environ.get("MEDBILL_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def landing_url(port: int, host: str = "localhost") -> str:
    """The gallery's landing page."""
    return f"http://{host}:{port}/voila/render/index.ipynb"


def voila_command(
    port: int = DEFAULT_PORT,
    pool_size: int = 1,
    apps_dir: Path = APPS_DIR,
    max_kernels: int = DEFAULT_MAX_KERNELS,
    allow_hosts: tuple[str, ...] | list[str] = (),
    unconnected_seconds: int = UNCONNECTED_SECONDS,
    cull_interval: int = CULL_INTERVAL_SECONDS,
    idle_seconds: int = CULL_IDLE_SECONDS,
    alive_poll_seconds: int = ALIVE_POLL_SECONDS,
) -> list[str]:
    """The command line that serves the gallery with the lab's settings and limits.

    It runs :mod:`medbill_lab.server.voila_app` (Voila with a kernel cap, quick culling
    of kernels no page connects to, and a Host allow-list) in this interpreter.

    >>> cmd = voila_command(9000, max_kernels=4, allow_hosts=["lab.example.org"])
    >>> "--show_tracebacks=False" in cmd and "--strip_sources=True" in cmd
    True
    >>> "--MedbillKernelManager.max_app_kernels=4" in cmd
    True
    >>> "--MedbillVoila.allowed_hosts=lab.example.org" in cmd
    True
    """
    if not 0 <= pool_size <= MAX_POOL_SIZE:
        raise ValueError(f"the pool size must be 0 to {MAX_POOL_SIZE} kernels per app")
    if max_kernels < 1:
        raise ValueError("the kernel cap must be at least 1")
    cmd = [
        sys.executable,
        "-m",
        "medbill_lab.server.voila_app",
        str(apps_dir),
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--VoilaExecutor.show_tracebacks=False",
        "--VoilaConfiguration.multi_kernel_manager_class="
        "medbill_lab.server.voila_app.MedbillKernelManager",
        f"--MedbillKernelManager.max_app_kernels={max_kernels}",
        f"--MedbillKernelManager.unconnected_timeout={unconnected_seconds}",
        f"--MappingKernelManager.cull_idle_timeout={idle_seconds}",
        f"--MappingKernelManager.cull_interval={cull_interval}",
        "--MappingKernelManager.cull_connected=True",  # an open page nobody touches too
        f"--MedbillVoila.alive_poll_seconds={alive_poll_seconds}",
        "--Voila.port_retries=0",
        "--no-browser",  # serve() opens the landing page itself, not the file tree
        "--template=medbill",
    ]
    cmd += kernel_transport_options()
    # one option per item: a whole list in one option is deprecated (a warning at startup)
    cmd += [f"--VoilaConfiguration.extension_denylist={ext}" for ext in unneeded_extensions()]
    cmd += [f"--MedbillVoila.allowed_hosts={host}" for host in allow_hosts]
    if pool_size > 0:
        cmd += ["--preheat_kernel=True", f"--pool_size={pool_size}"]
    return cmd


# A Unix socket's path must fit in 104 bytes (macOS; 108 on Linux). Voila's socket paths
# are its connection directory plus about 70 characters ("/voila_xxxxxxxx/kernel-<uuid>-ipc-5").
IPC_PATH_ROOM = 104 - 72


def kernel_transport_options(temp_root: str | None = None, posix: bool | None = None) -> list[str]:
    """Voila options that make kernels talk to the server over Unix sockets.

    The sockets sit in Voila's private (0700) connection directory, not on plain-text
    TCP ports that any local user can reach (ipykernel warns about unencrypted TCP at
    every kernel start). Where the temporary directory's path is too long for a socket
    (macOS's per-user one), the directory goes under /tmp; Windows has no Unix sockets
    and keeps TCP.

    >>> kernel_transport_options("/tmp", posix=True)
    ['--KernelManager.transport=ipc', '--Voila.connection_dir_root=/tmp']
    >>> kernel_transport_options("/var/folders/x1/" + "y" * 30 + "/T", posix=True)[1]
    '--Voila.connection_dir_root=/tmp'
    >>> kernel_transport_options("C:/Temp", posix=False)
    []
    """
    import tempfile

    if not (os.name == "posix" if posix is None else posix):
        return []
    root = temp_root or tempfile.gettempdir()
    if len(root.encode()) > IPC_PATH_ROOM:
        root = "/tmp"
    return ["--KernelManager.transport=ipc", f"--Voila.connection_dir_root={root}"]


def validate_host(name: str) -> str:
    """A host name or address for ``--allow-host``, lower-cased; ValueError if it is not one.

    >>> validate_host("Lab.School.EDU")
    'lab.school.edu'
    >>> validate_host("lab.school.edu:8866")
    Traceback (most recent call last):
    ...
    ValueError: --allow-host takes a host name or address without a port or scheme, e.g. lab.school.edu (got 'lab.school.edu:8866')
    """
    import ipaddress
    import re

    host = name.strip().lower()
    bare = host.strip("[]")
    try:
        ipaddress.ip_address(bare)
        return bare
    except ValueError:
        pass
    if re.fullmatch(
        r"(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?",
        host,
    ):
        return host.rstrip(".")
    raise ValueError(
        "--allow-host takes a host name or address without a port or scheme, "
        f"e.g. lab.school.edu (got {name!r})"
    )


def unneeded_extensions() -> list[str]:
    """Installed JupyterLab extensions the apps do not use (kept out of the pages)."""
    root = Path(sys.prefix) / "share" / "jupyter" / "labextensions"
    found = []
    for pkg in root.glob("*/package.json"):
        found.append(pkg.parent.name)
    for pkg in root.glob("@*/*/package.json"):
        found.append(f"{pkg.parent.parent.name}/{pkg.parent.name}")
    return sorted(set(found) - NEEDED_EXTENSIONS)


def voila_env() -> dict[str, str]:
    """The environment for voila: our template directory first on JUPYTER_PATH."""
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(
        filter(None, [str(JUPYTER_DATA), env.get("JUPYTER_PATH")])
    )
    return env


def serve(
    port: int = DEFAULT_PORT,
    open_browser: bool = True,
    pool_size: int = 1,
    max_kernels: int = DEFAULT_MAX_KERNELS,
    allow_hosts: tuple[str, ...] | list[str] = (),
) -> int:
    """Run the gallery until interrupted; return voila's exit status."""
    cmd = voila_command(port, pool_size, max_kernels=max_kernels, allow_hosts=allow_hosts)
    url = landing_url(port)
    print(f"MedBill Lab apps: {url}  (Ctrl+C to stop)", flush=True)
    proc = subprocess.Popen(cmd, env=voila_env())

    def stop(signum: int, _frame: object) -> None:
        proc.terminate()  # voila shuts its kernels down on SIGTERM

    signal.signal(signal.SIGTERM, stop)
    if open_browser and wait_for_port(port, proc):
        webbrowser.open(url)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        return proc.wait()


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 60) -> bool:
    """Wait until something listens on ``port`` (False if ``proc`` died or time ran out)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.1)
    return False


# name, notebook, who it is for, what it does
APPS = (
    (
        "Encoder",
        "encoder.ipynb",
        "everyone",
        "Search ICD-10-CM, CPT and HCPCS the way you type: codes, words, abbreviations, lay terms, typos. "
        "Read the tabular notes and browse the hierarchy.",
    ),
    (
        "Coding practice",
        "coding_practice.ipynb",
        "students and self-learners",
        "Code a short clinical note and get element-by-element feedback with a running score.",
    ),
    (
        "DRG explorer",
        "drg_explorer.ipynb",
        "students and hospital coders",
        "Code an inpatient stay and see its MS-DRG, weight, GMLOS and each CC/MCC; ask what a "
        "documented CC or MCC would change, with the query rules beside every answer.",
    ),
    (
        "Claim builder",
        "claim_builder.ipynb",
        "students and trainers",
        "Fill a CMS-1500 claim, see every scrubber edit explained as you change it, and "
        "download the 837P and the PDF form.",
    ),
    (
        "Remittance reader",
        "remittance.ipynb",
        "students and billing staff",
        "Read an 835, 999 or 277CA as a payer or clearinghouse sends it: the remittance as an EOB, "
        "the 999's errors traced to claim and CMS-1500 item, each claim's 277CA status in words.",
    ),
    (
        "Paperwork sorter",
        "paperwork_sorter.ipynb",
        "students and new billing staff",
        "File each document from the billing office's in-tray (superbills, EOBs, denials, records "
        "requests...) in the right work queue, see at once why, and end each round of ten with a "
        "summary of where every document went and belonged.",
    ),
    (
        "Revenue cycle dashboard",
        "revenue_dashboard.ipynb",
        "trainers and billing staff",
        "A demo practice after one claim cycle: A/R aging by payer and patient, clean-claim and "
        "denial rates, days in A/R, net collection rate, the denial Pareto and the work queue by CARC.",
    ),
    (
        "Fraud detective",
        "fraud_detective.ipynb",
        "students, auditors and compliance staff",
        "Compare a provider's E/M levels, modifier 25/59 rates and busiest day with its peers, "
        "flag fraud, waste and abuse, and get scored against the hidden answer key.",
    ),
    (
        "Terminology flashcards",
        "flashcards.ipynb",
        "students and self-learners",
        "Learn prefixes, roots and suffixes with Leitner-box spaced repetition; progress is saved.",
    ),
    (
        "Mock exam",
        "mock_exam.ipynb",
        "learners preparing for certification",
        "A timed CPC-, CCA- or CBCS-style practice exam from the lab's own question bank: flag "
        "and return, a score report by domain, the rationale of every miss; first sittings scored.",
    ),
)


def landing_html() -> str:
    """The gallery's landing page: one card per app, linked in the same tab (a link in an
    output opens a new tab unless it names its target)."""
    from html import escape

    from medbill_lab.apps import kernel_guard

    kernel_guard.install()  # the landing page's kernel gets the same comm rules as the apps

    cards = "".join(
        f'<a class="mbl-card" href="{escape(nb)}" target="_self"><h3>{escape(name)}</h3>'
        f"<p>{escape(text)}</p><small>For {escape(who)}</small></a>"
        for name, nb, who, text in APPS
    )
    style = (
        "<style>.mbl-cards{display:flex;flex-wrap:wrap;gap:16px}"
        ".mbl-card{display:block;width:280px;padding:14px;border:1px solid #ccd;border-radius:8px;"
        "text-decoration:none;color:inherit}.mbl-card:hover{border-color:#2e7d32;background:#f4fbf4}"
        ".mbl-card h3{margin:0 0 6px 0;color:#1b5e20}</style>"
    )
    return f'{style}<div class="mbl-cards">{cards}</div>'
