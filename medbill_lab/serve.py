"""Serve the Voila app gallery (``notebooks/apps/``) on localhost.

Voila renders each app notebook as a page with its sources stripped and no
tracebacks shown; idle kernels are culled, and a pool of preheated kernels per
app makes a page interactive in milliseconds instead of seconds.
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

APPS_DIR = Path(__file__).resolve().parents[1] / "notebooks" / "apps"
# Holds voila/templates/medbill: the lab template minus its CDN stylesheet links.
JUPYTER_DATA = Path(__file__).resolve().parent / "jupyter_data"
# The only front-end extension the apps need; others (nbgrader's, notebook's)
# expect a full JupyterLab and fail noisily inside Voila.
NEEDED_EXTENSIONS = {"@jupyter-widgets/jupyterlab-manager"}
DEFAULT_PORT = 8866
CULL_IDLE_SECONDS = 1800  # an abandoned tab's kernel goes after 30 minutes
CULL_INTERVAL_SECONDS = 120


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
    port: int = DEFAULT_PORT, pool_size: int = 1, apps_dir: Path = APPS_DIR
) -> list[str]:
    """The voila command line that serves the gallery with the lab's settings.

    >>> cmd = voila_command(9000)
    >>> "--show_tracebacks=False" in cmd and "--strip_sources=True" in cmd
    True
    """
    exe = shutil.which(
        "voila",
        path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    )
    if not exe:
        raise LookupError("voila is not installed in this environment")
    cmd = [
        exe,
        str(apps_dir),
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--VoilaExecutor.show_tracebacks=False",
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
        f"--MappingKernelManager.cull_interval={CULL_INTERVAL_SECONDS}",
        "--MappingKernelManager.cull_connected=False",
        "--Voila.port_retries=0",
        "--no-browser",  # serve() opens the landing page itself, not the file tree
        "--template=medbill",
        f"--VoilaConfiguration.extension_denylist={unneeded_extensions()!r}",
    ]
    if pool_size > 0:
        cmd += ["--preheat_kernel=True", f"--pool_size={pool_size}"]
    return cmd


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


def serve(port: int = DEFAULT_PORT, open_browser: bool = True, pool_size: int = 1) -> int:
    """Run the gallery until interrupted; return voila's exit status."""
    cmd = voila_command(port, pool_size)
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
        "Claim builder",
        "claim_builder.ipynb",
        "students and trainers",
        "Fill a CMS-1500 claim, see every scrubber edit explained as you change it, and "
        "download the 837P and the PDF form.",
    ),
    (
        "Paperwork sorter",
        "paperwork_sorter.ipynb",
        "students and new billing staff",
        "File each document from the billing office's in-tray (superbills, EOBs, denials, records "
        "requests...) in the right work queue and see at once why.",
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
)


def landing_html() -> str:
    """The gallery's landing page: one card per app, linked."""
    from html import escape

    cards = "".join(
        f'<a class="mbl-card" href="{escape(nb)}"><h3>{escape(name)}</h3>'
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
