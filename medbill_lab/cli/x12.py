"""``medbill-lab x12``: read an X12 file as it arrived from a partner (issue P9).

``x12 read FILE`` explains an 835 like an EOB and an 837P/837I like the claim it stands
for; ``--json`` prints :func:`medbill_lab.x12.interpret.interpret`'s shape. A file that is
still X12 is always read (exit 0) with its problems listed as diagnostics; a file that is
not X12 at all is one line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from medbill_lab.cli.common import print_json, subcommands

Json = dict[str, Any]


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``x12`` group and its commands to the top-level subcommands."""
    group = sub.add_parser("x12", help="read X12 files from payers and clearinghouses")
    xsub = subcommands(group, "x12_command")
    cmd = xsub.add_parser(
        "read", help="explain an 835, 837P, 837I, 999 or 277CA file in plain words"
    )
    cmd.add_argument("file", help="an X12 file (any delimiters, BOM, several envelopes)")
    cmd.add_argument("--json", action="store_true", help="print the reading as JSON")
    cmd.add_argument("--claims", help="the 837P a 999 acknowledges, to name each error's claim")
    cmd.set_defaults(func=cmd_x12_read)


def cmd_x12_read(args: argparse.Namespace) -> int:
    """Read FILE and print it; :class:`~medbill_lab.x12.reader.NotX12` (a ``ValueError``)
    and an unreadable path become one line through :func:`medbill_lab.cli.app.main`."""
    from medbill_lab.x12.interpret import diagnostic
    from medbill_lab.x12.reader import NotX12
    from medbill_lab.x12.reading import (
        acknowledged_837,
        acknowledgments,
        read_file,
        trace_claims,
    )

    result = read_file(Path(args.file).read_bytes())
    for tx in acknowledgments(result):
        claims = args.claims or acknowledged_837(Path(args.file), tx)
        if not claims:
            continue
        try:  # decoded as the 999 is (BOM, UTF-16); an 835 or another batch is said there
            trace_claims(result, tx, Path(claims).read_bytes(), str(claims))
        except NotX12 as exc:  # the 999 itself still reads; only the tracing is lost
            why = f"{claims}: {exc}; the 999's errors are read without naming their claims"
            result["diagnostics"].append(diagnostic("warning", None, None, why, "unreadable"))
    if args.json:
        print_json(result)
    else:
        print(render(result))
    return 0


def render(result: Json) -> str:
    """The plain-language reading (:func:`medbill_lab.x12.reading.render`, which the apps
    share)."""
    from medbill_lab.x12.reading import render as plain

    return plain(result)
