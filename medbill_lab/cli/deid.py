"""``medbill-lab deid``: score the de-identification rules on any labelled set of notes."""

from __future__ import annotations

import argparse
import json

from medbill_lab.cli.common import subcommands

#: the fields of a :class:`medbill_lab.compliance.deid.Score` that ``deid score --json`` prints
SCORE_FIELDS = (
    "notes",
    "gold_spans",
    "found_spans",
    "recall",
    "precision",
    "char_recall",
    "char_precision",
    "by_category",
)


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``deid`` group and its command to the top-level subcommands."""
    group = sub.add_parser("deid", help="score the de-identifier on labelled notes")
    dsub = subcommands(group, "deid_command")
    cmd = dsub.add_parser("score", help="score the de-identifier on a labelled JSONL file")
    cmd.add_argument("file", help="JSONL: one {id, kind, style, text, spans} a line")
    cmd.add_argument("--json", action="store_true", help="print the scores as JSON")
    cmd.add_argument("--missed", type=int, default=0, metavar="N", help="also list N missed spans")
    cmd.set_defaults(func=cmd_deid_score)


def cmd_deid_score(args: argparse.Namespace) -> int:
    """Recall and precision of the rules on a labelled JSONL file, overall and by category.

    A file that is not in the ``datasets/deid`` format raises ``ValueError`` naming the
    line, which :func:`medbill_lab.cli.app.main` reports in one line.
    """
    from medbill_lab.compliance import deid

    result = deid.score(args.file)
    missed = result.missed[: args.missed]
    if args.json:
        data = {k: getattr(result, k) for k in SCORE_FIELDS}
        print(json.dumps({**data, "missed": missed}, indent=1, ensure_ascii=False))
        return 0
    print(f"{args.file}: {result.notes} notes, {result.gold_spans} labelled spans")
    print(result.table())
    print(
        f"span recall {result.recall:.4f}, precision {result.precision:.4f}; "
        f"character recall {result.char_recall:.4f}, precision {result.char_precision:.4f}"
    )
    for note_id, cat, text in missed:
        print(f"missed {note_id} {cat} {text!r}")
    return 0
