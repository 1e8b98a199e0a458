"""Install MedBill Lab for a hub as a package, and stage what users may read.

Run as root from a root-only checkout (``chmod 700``), with the Python of the
environment users run::

    /opt/medbill/env/bin/python /opt/medbill/src/deploy/install.py --group medbill-101-graders

It never makes the checkout readable.  Instead it

1. builds a wheel from the package's files only (``pyproject.toml``,
   ``README.md``, ``medbill_lab/``) and installs it into the environment, so
   users import the lab from ``site-packages``, with no ``exercises/``, tests or
   git history beside it;
2. copies what every user may read to ``--share`` (root-owned, read-only for
   others): ``datasets/``, the lessons and apps (``notebooks/``) and the users'
   Jupyter configuration (``deploy/jupyter`` -> ``jupyter/``);
3. copies ``exercises/`` (nbgrader sources) to ``--instructor-files``, readable
   by root and the instructors' ``--group`` only (folders 2750, files 0640).

``deploy/jupyterhub_config.py`` reads the same folders (``MEDBILL_SHARE``,
``MEDBILL_INSTRUCTOR_FILES``).  Safe to run again after ``git pull``.  Standard
library only; errors end with one line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import grp
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
PACKAGE_FILES = ("pyproject.toml", "README.md", "medbill_lab")
JUNK = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")


def build_wheel(checkout: Path, python: Path, out_dir: Path) -> Path:
    """Build the lab's wheel from a copy of the package's files; returns its path."""
    with tempfile.TemporaryDirectory(prefix="medbill-build-") as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        for name in PACKAGE_FILES:
            path = checkout / name
            if path.is_dir():
                shutil.copytree(path, src / name, ignore=JUNK)
            else:
                shutil.copy2(path, src / name)
        _run([str(python), "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out_dir), str(src)])
    wheels = sorted(out_dir.glob("medbill_lab-*.whl"))
    if not wheels:
        raise RuntimeError(f"pip built no wheel in {out_dir}")
    return wheels[-1]


def install_wheel(python: Path, wheel: Path, deps: bool = True) -> Path:
    """Install (or replace, also an editable install) the lab in ``python``'s environment.

    Returns the installed package's folder, checked to have no ``exercises/`` beside it.
    """
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    if deps:
        _run([*pip, str(wheel)])
    _run([*pip, "--no-deps", "--force-reinstall", str(wheel)])
    found = subprocess.run(
        [str(python), "-c", "import medbill_lab; print(medbill_lab.__file__)"],
        capture_output=True,
        text=True,
        cwd="/",
        check=False,
    )
    if found.returncode != 0:
        raise RuntimeError(f"{python} cannot import the installed lab: {found.stderr.strip()}")
    package = Path(found.stdout.strip()).resolve().parent
    if (package.parent / "exercises").exists():
        raise RuntimeError(
            f"{package.parent} holds exercises/: the lab is not installed as a package"
        )
    return package


def _public_modes(root: Path) -> None:
    """root-owned; folders 0755 and files 0644 (0755 when executable)."""
    for dirpath, _dirs, files in os.walk(root):
        os.chown(dirpath, 0, 0)
        os.chmod(dirpath, 0o755)
        for name in files:
            path = os.path.join(dirpath, name)
            os.chown(path, 0, 0, follow_symlinks=False)
            if not os.path.islink(path):
                executable = os.stat(path).st_mode & stat.S_IXUSR
                os.chmod(path, 0o755 if executable else 0o644)


def _replace(src: Path, dest: Path, ignore=JUNK) -> None:
    """Copy a tree to ``dest``, replacing what was there."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest, ignore=ignore)


def stage_share(checkout: Path, share: Path) -> Path:
    """Copy the datasets, the lessons and apps, and the users' Jupyter config to ``share``."""
    share.mkdir(parents=True, exist_ok=True)
    _replace(checkout / "datasets", share / "datasets")
    _replace(checkout / "notebooks", share / "notebooks")
    _replace(checkout / "deploy" / "jupyter", share / "jupyter")
    _public_modes(share)
    return share


def stage_instructor_files(checkout: Path, dest: Path, group: str) -> Path:
    """Copy ``exercises/`` to ``dest``, readable by root and ``group`` only."""
    try:
        gid = grp.getgrnam(group).gr_gid
    except KeyError:
        raise LookupError(f"no Unix group {group!r}; create the instructors' group first") from None
    dest.mkdir(parents=True, exist_ok=True)
    os.chown(dest, 0, gid)
    os.chmod(dest, 0o2750)
    _replace(checkout / "exercises", dest / "exercises")
    for dirpath, _dirs, files in os.walk(dest / "exercises"):
        os.chown(dirpath, 0, gid)
        os.chmod(dirpath, 0o2750)
        for name in files:
            path = os.path.join(dirpath, name)
            os.chown(path, 0, gid, follow_symlinks=False)
            if not os.path.islink(path):
                os.chmod(path, 0o640)
    return dest


def checkout_warning(checkout: Path) -> str | None:
    """A warning when other users can enter the checkout (it should be 0700)."""
    mode = stat.S_IMODE(checkout.stat().st_mode)
    if mode & 0o077:
        return (
            f"warning: {checkout} is mode {oct(mode)}: other users can read the sources; "
            f"chmod 700 {checkout}"
        )
    return None


def _run(cmd: list[str]) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        last = (result.stderr.strip() or result.stdout.strip() or "failed").splitlines()[-1]
        raise RuntimeError(f"`{' '.join(cmd[:4])} ...` failed: {last}")


def main(argv: list[str] | None = None) -> int:
    """Build, install and stage; print what was done."""
    parser = argparse.ArgumentParser(prog="deploy/install.py", description=__doc__.split("\n")[0])
    parser.add_argument("--group", required=True, help="the instructors' Unix group")
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="the users' environment's Python (default: this one)",
    )
    parser.add_argument("--share", default="/opt/medbill/share")
    parser.add_argument("--instructor-files", default="/opt/medbill/instructors")
    parser.add_argument(
        "--no-deps", action="store_true", help="the environment already has the dependencies"
    )
    args = parser.parse_args(argv)
    try:
        if os.geteuid() != 0:
            raise PermissionError("run deploy/install.py as root (it sets owners)")
        python = Path(args.python)
        with tempfile.TemporaryDirectory(prefix="medbill-wheel-") as out:
            wheel = build_wheel(CHECKOUT, python, Path(out))
            package = install_wheel(python, wheel, deps=not args.no_deps)
        share = stage_share(CHECKOUT, Path(args.share))
        private = stage_instructor_files(CHECKOUT, Path(args.instructor_files), args.group)
    except (LookupError, OSError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"installed {wheel.name} -> {package}")
    print(f"readable by every user: {share}")
    print(f"instructors ({args.group}) only: {private}")
    warning = checkout_warning(CHECKOUT)
    if warning:
        print(warning, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
