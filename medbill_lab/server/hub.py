"""Run the course on a shared server: nbgrader's exchange, locked down.

nbgrader's default exchange is one folder every student can write to, and its
``submit`` leaves each submission world-readable (only the unguessable folder
name hides it).  On a shared server (JupyterHub, one Unix account per person)
this module closes the gaps, with no change to how anyone runs nbgrader:

- :func:`prepare_exchange` (run once by the administrator, as root) makes the
  course folders in advance, owned by the instructor and a graders' group:
  ``inbound`` can be written but not listed, and its sticky bit stops a student
  from renaming or deleting anyone else's submission; ``outbound`` and
  ``feedback`` are read-only for students, and ``feedback`` cannot be listed.
- :class:`PrivateSubmit` (``c.ExchangeFactory.submit``) makes a submission
  readable by its student and the graders' group only.
- :class:`OwnerCheckedCollect` (``c.ExchangeFactory.collect``) collects a
  submission only when its owner is the student its name claims, so no one can
  hand in work in another student's name.

``deploy/jupyter/nbgrader_config.py`` turns both classes on for every user.
:class:`CappedKernelManager` (``deploy/jupyter/jupyter_server_config.py``) keeps
one person's server to a few kernels at once.

>>> oct(EXCHANGE_MODES["inbound"])
'0o3733'
"""

from __future__ import annotations

import argparse
import grp
import os
import pwd
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.exchange.default.submit import ExchangeSubmit
from nbgrader.utils import ignore_patterns
from tornado import web
from traitlets import Integer

# The exchange root, then the folders of one course inside it.
EXCHANGE_MODES = {
    "root": 0o1777,  # nbgrader insists on rwx for all; the sticky bit keeps course folders safe
    "course": 0o2755,
    "outbound": 0o2755,  # released assignments: students read, only the instructor writes
    "inbound": 0o3733,  # submissions: students write, cannot list, cannot touch others'
    "feedback": 0o2711,  # feedback: found only by its secret-derived name, never listed
}
SUBMISSION_DIR_MODE = 0o770  # the student and the graders' group
SUBMISSION_FILE_MODE = 0o640


def prepare_exchange(
    root: str | os.PathLike[str], course_id: str, instructor: str, group: str
) -> Path:
    """Create (or repair) one course's exchange folders; returns the course folder.

    Run as root before the first release.  ``instructor`` owns the folders (nbgrader
    requires it) and ``group`` is the graders' group: instructors and TAs, never
    students.  Safe to run again.  Raises LookupError for an unknown user or group
    and PermissionError when not run as root.
    """
    try:
        uid = pwd.getpwnam(instructor).pw_uid
    except KeyError:
        raise LookupError(
            f"no Unix user {instructor!r}; create the instructor's account first"
        ) from None
    try:
        gid = grp.getgrnam(group).gr_gid
    except KeyError:
        raise LookupError(f"no Unix group {group!r}; create the graders' group first") from None
    if os.geteuid() != 0:
        raise PermissionError("prepare_exchange must run as root (it sets owners)")
    base = Path(root)
    base.mkdir(parents=True, exist_ok=True)
    os.chmod(base, EXCHANGE_MODES["root"])
    course = base / course_id
    for folder, kind in (
        (course, "course"),
        (course / "outbound", "outbound"),
        (course / "inbound", "inbound"),
        (course / "feedback", "feedback"),
    ):
        folder.mkdir(exist_ok=True)
        os.chown(folder, uid, gid)
        os.chmod(folder, EXCHANGE_MODES[kind])
    return course


def owner(path: str | os.PathLike[str]) -> str:
    """The user name that owns ``path`` (not following a final symlink).

    >>> owner("/") == pwd.getpwuid(0).pw_name
    True
    """
    return pwd.getpwuid(os.lstat(path).st_uid).pw_name


class PrivateSubmit(ExchangeSubmit):
    """nbgrader's submit, with the submission private to the student and the graders.

    The inbound folder's set-group-id bit gives what a student writes there the
    graders' group.  nbgrader's copy (``shutil.copytree``) copies the student's
    folder modes and so drops that bit before ``timestamp.txt`` is written;
    this copy keeps it, then the permissions are narrowed to the group.
    """

    def do_copy(self, src: str, dest: str) -> None:
        """Copy as nbgrader does (same ignore rules and size limit), keeping the group."""
        size, limit = self.get_size(src), 1000 * self.coursedir.max_dir_size
        if size > limit:
            self.log.error("Directory size is too big")
            raise RuntimeError(
                f"Directory size is too big. Size is {size}, maximum size is {limit}"
            )
        ignore = ignore_patterns(
            exclude=self.coursedir.ignore,
            include=self.coursedir.include,
            max_file_size=self.coursedir.max_file_size,
            log=self.log,
        )
        _copy_contents(src, dest, ignore)

    def copy_files(self) -> None:
        """Submit as nbgrader does, then narrow the permissions of what was written."""
        super().copy_files()
        dest = os.path.join(self.inbound_path, self.assignment_filename)
        for dirpath, _dirnames, filenames in os.walk(dest):
            os.chmod(dirpath, SUBMISSION_DIR_MODE)
            for name in filenames:
                os.chmod(os.path.join(dirpath, name), SUBMISSION_FILE_MODE)


def _copy_contents(src: str, dest: str, ignore: Callable[[str, list[str]], set[str]]) -> None:
    """Copy a tree's files without their modes, so new entries take the folder's group."""
    os.makedirs(dest)
    names = os.listdir(src)
    skipped = ignore(src, names)
    for name in names:
        if name in skipped:
            continue
        s, d = os.path.join(src, name), os.path.join(dest, name)
        if os.path.isdir(s) and not os.path.islink(s):
            _copy_contents(s, d, ignore)
        else:
            shutil.copyfile(s, d)


class OwnerCheckedCollect(ExchangeCollect):
    """nbgrader's collect, ignoring submissions not owned by the student they name.

    The inbound folder is writable by every student, so anyone could drop a
    folder called ``<someone else>+<assignment>+<later time>``; nbgrader alone
    would collect it as that student's latest submission.
    """

    def _path_to_record(self, path: str) -> dict[str, Any]:
        record = super()._path_to_record(path)
        record["owned"] = owner(path) == record["username"]
        if not record["owned"]:
            self.log.warning(
                "Ignoring %s: it names %s but was written by %s",
                record["filename"],
                record["username"],
                owner(path),
            )
        return record

    def _sort_by_timestamp(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        # a genuine submission sorts before any forged one, latest first
        return sorted(records, key=lambda r: (r.get("owned", True), r["timestamp"]), reverse=True)

    def init_src(self) -> None:
        """Find the latest genuine submission of each student."""
        super().init_src()
        self.src_records = [r for r in self.src_records if r.get("owned", True)]


class CappedKernelManager(AsyncMappingKernelManager):
    """The Jupyter server's kernel manager, with at most ``max_kernels`` kernels at once.

    One user's server holds every kernel they start, from JupyterLab and from
    the apps (Voila's server extension uses this same manager).  Past the cap a
    new kernel is refused with HTTP 503 and a message saying what to do, so one
    person cannot fill the machine's memory by opening notebook after notebook.
    """

    max_kernels = Integer(
        6, config=True, help="Most kernels running (or starting) at once; 0 for no limit."
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._starting = 0  # kernels asked for and not yet listed

    async def start_kernel(self, *args: Any, kernel_id: str | None = None, **kwargs: Any) -> str:
        """Start a kernel unless the cap is reached (an existing ``kernel_id`` always restarts)."""
        if kernel_id is not None and kernel_id in self:
            return await super().start_kernel(*args, kernel_id=kernel_id, **kwargs)
        running = len(self.list_kernel_ids()) + self._starting
        if self.max_kernels and running >= self.max_kernels:
            raise web.HTTPError(
                503,
                f"{running} kernels are already running, the most one person may have "
                "at once: shut down a notebook or app you no longer use, then try again",
            )
        self._starting += 1
        try:
            return await super().start_kernel(*args, kernel_id=kernel_id, **kwargs)
        finally:
            self._starting -= 1


def main(argv: list[str] | None = None) -> int:
    """``python -m medbill_lab.server.hub ROOT COURSE INSTRUCTOR GROUP``: prepare the exchange."""
    parser = argparse.ArgumentParser(
        prog="python -m medbill_lab.server.hub",
        description="Create one course's nbgrader exchange folders with safe permissions (as root).",
    )
    parser.add_argument("root", help="the exchange root, e.g. /srv/nbgrader/exchange")
    parser.add_argument("course", help="the course id, e.g. medbill-101")
    parser.add_argument("instructor", help="the instructor's Unix user name")
    parser.add_argument("group", help="the graders' Unix group (instructors and TAs)")
    args = parser.parse_args(argv)
    try:
        course = prepare_exchange(args.root, args.course, args.instructor, args.group)
    except (LookupError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"exchange ready: {course}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
