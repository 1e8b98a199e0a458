"""What every command group shares: the one-line parser, exit statuses, JSON output and
argument types.

Other tools script against the command line, so its contract is stable: results on stdout
(``--json`` for machines), and any bad input ends with one line on stderr and a non-zero
exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

#: a usage error: a bad option or a missing argument (argparse's own status)
EXIT_USAGE = 2
#: bad input, or a result that is "no" (a code not billable, a claim that would be denied)
EXIT_INPUT = 1

#: the ``--db`` help shared by every practice command
DB_HELP = "SQLite file or SQLAlchemy URL (default $MEDBILL_LAB_HOME/practice.sqlite)"


class UsageError(Exception):
    """Bad command-line usage: reported in one line."""


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and no usage dump."""

    def error(self, message: str) -> None:  # type: ignore[override]
        """Raise :class:`UsageError` instead of printing the usage and exiting."""
        raise UsageError(f"{self.prog}: {message}")


def subcommands(parser: argparse.ArgumentParser, dest: str) -> argparse._SubParsersAction:
    """The required subcommands of a group, parsed with :class:`Parser`."""
    return parser.add_subparsers(dest=dest, required=True, parser_class=Parser)


def print_json(data: object) -> None:
    """Write ``data`` to stdout as indented JSON (non-ASCII kept), then a newline.  One
    write: ``json.dump`` writes each of its millions of pieces, and with an unbuffered
    stdout (PYTHONUNBUFFERED=1) a 10 MB 835's reading then took 9 s to print instead of 2."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def stderr_progress(message: str) -> None:
    """Report progress on stderr, so stdout keeps only the result."""
    print(message, file=sys.stderr, flush=True)


def self_command() -> str:
    """How to run ``medbill-lab`` from any folder, for a printed ``next:`` line: its name
    when PATH finds this one, else the script beside this interpreter (a virtual
    environment not on PATH)."""
    import shlex
    import shutil
    from pathlib import Path

    script = Path(sys.executable).parent / "medbill-lab"
    found = shutil.which("medbill-lab")
    if not script.is_file() or (found and Path(found).resolve() == script.resolve()):
        return "medbill-lab"
    return shlex.quote(str(script))


def limit(text: str) -> int:
    """An argument type: a result count from 1 to 1000.

    >>> limit("5")
    5
    """
    value = int(text)
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError("must be between 1 and 1000")
    return value


def date(text: str) -> dt.date:
    """An argument type: an ISO date (YYYY-MM-DD).

    >>> date("2026-07-31")
    datetime.date(2026, 7, 31)
    """
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None
