"""The ``medbill-lab`` command line: the top-level parser that assembles the command groups,
and :func:`main`, which turns every expected failure into one line.

Other tools script against it, so its contract is stable: results on stdout
(``--json`` for machines), and any bad input ends with one line on stderr and
a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from medbill_lab import __version__
from medbill_lab.cli import claims, codes, course, deid, drg, exam, fraud, lab, practice, x12
from medbill_lab.cli.common import EXIT_INPUT, EXIT_USAGE, Parser, UsageError, subcommands


def build_parser() -> argparse.ArgumentParser:
    """The full ``medbill-lab`` argument parser, its groups in the order ``--help`` lists."""
    parser = Parser(
        prog="medbill-lab", description="MedBill Lab: medical billing and coding practice."
    )
    parser.add_argument("--version", action="version", version=f"medbill-lab {__version__}")
    sub = subcommands(parser, "command")
    codes.register(sub)
    lab.register_serve(sub)
    course.register(sub)
    claims.register(sub)
    practice.register(sub)
    fraud.register(sub)
    lab.register_lab(sub)
    deid.register(sub)
    x12.register(sub)
    drg.register(sub)
    exam.register(sub)
    return parser


def _expected() -> tuple[type[BaseException], ...]:
    """The failures bad input causes: each is reported as one line, exit status 1."""
    from medbill_lab.codes.encoder import QueryError
    from medbill_lab.codes.icd10cm import CodeSetError

    return (QueryError, CodeSetError, LookupError, ValueError, OSError)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run a command and turn every expected failure into one line."""
    expected = _expected()
    try:
        args = build_parser().parse_args(argv)
        func: Callable[[argparse.Namespace], int] = args.func
        return func(args)
    except BrokenPipeError:  # `medbill-lab ... | head` closed the pipe: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except expected as exc:
        message = exc.args[0] if isinstance(exc, LookupError) and exc.args else exc
        print(f"medbill-lab: error: {message}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("medbill-lab: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        print(f"medbill-lab: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main())
