"""``medbill-lab lab`` and ``medbill-lab serve``: the commands that start a server, JupyterLab
on the lessons or the Voila app gallery."""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import sys
from pathlib import Path

from medbill_lab.datasets import project_root


def register_serve(sub: argparse._SubParsersAction) -> None:
    """Add ``serve`` (where it always stood, after ``codes``) to the top-level subcommands."""
    srv = sub.add_parser("serve", help="serve the Voila app gallery on localhost")
    srv.add_argument("--port", type=int, default=8866)
    srv.add_argument("--no-browser", action="store_true")
    srv.add_argument(
        "--pool-size", type=int, default=1, help="preheated kernels per app (0 disables, at most 2)"
    )
    srv.add_argument(
        "--max-kernels",
        type=int,
        default=8,
        help="most app pages open at once (each holds a kernel of about 215 MB); "
        "past it, visitors get a 'busy, try again in a minute' page",
    )
    srv.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a host name the server also answers to besides localhost (repeatable), "
        "e.g. the name of a reverse proxy in front of it",
    )
    srv.set_defaults(func=cmd_serve)


def register_lab(sub: argparse._SubParsersAction) -> None:
    """Add ``lab`` (the last command in the list) to the top-level subcommands."""
    lab = sub.add_parser("lab", help="open JupyterLab on the lessons")
    lab.add_argument("--port", type=int, default=8888)
    lab.add_argument("--no-browser", action="store_true")
    lab.set_defaults(func=cmd_lab)


def cmd_lab(args: argparse.Namespace) -> int:
    """Open JupyterLab on the lessons."""
    jupyter = shutil.which(
        "jupyter",
        path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    )
    if not jupyter:
        raise LookupError("JupyterLab is not installed in this environment")
    cmd = [jupyter, "lab", f"--notebook-dir={project_root() / 'notebooks'}", f"--port={args.port}"]
    if args.no_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # containers and CI run as root; JupyterLab refuses otherwise
    sys.stdout.flush()
    os.execv(cmd[0], cmd)  # become JupyterLab, so signals (Ctrl+C, SIGTERM) reach it directly
    return 0  # not reached


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the Voila app gallery on localhost."""
    from medbill_lab.server import serve

    if not 1 <= args.port <= 65535:
        raise ValueError(f"port {args.port} is out of range (1-65535)")
    with socket.socket() as sock:
        if sock.connect_ex(("127.0.0.1", args.port)) == 0:
            raise OSError(f"port {args.port} is already in use; choose another with --port")
    return serve.serve(
        args.port,
        open_browser=not args.no_browser,
        pool_size=args.pool_size,
        max_kernels=args.max_kernels,
        allow_hosts=[serve.validate_host(h) for h in args.allow_host],
    )
