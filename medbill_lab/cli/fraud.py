"""``medbill-lab fraud``: the fraud, waste and abuse lab: generate a lab, run the detectors,
score flags against the answer key."""

from __future__ import annotations

import argparse
from pathlib import Path

from medbill_lab.cli.common import print_json, subcommands


def _scale(text: str) -> float:
    """An argument type: the lab's size, 0.05 to 4 times the standard one."""
    value = float(text)
    if not 0.05 <= value <= 4:
        raise argparse.ArgumentTypeError(f"must be between 0.05 and 4, not {value}")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``fraud`` group and its commands to the top-level subcommands."""
    frd = sub.add_parser("fraud", help="the fraud, waste and abuse lab")
    frsub = subcommands(frd, "fraud_command")
    fg = frsub.add_parser("generate", help="write DIR/student (hand out) and DIR/truth (keep)")
    fg.add_argument("dir", metavar="DIR")
    fg.add_argument("--seed", type=int, default=2026)
    fg.add_argument("--scale", type=_scale, default=1.0, help="1.0 = about 150,000 lines")
    fg.set_defaults(func=cmd_fraud_generate)
    fd = frsub.add_parser("detect", help="run every detector on a folder of student files")
    fd.add_argument("dir", metavar="DIR", help="the student folder written by generate")
    fd.add_argument("--out", metavar="FLAGS.csv", help="write the flags and explanations")
    fd.set_defaults(func=cmd_fraud_detect)
    fs = frsub.add_parser("score", help="precision and recall of FLAGS.csv per scheme")
    fs.add_argument("flags", metavar="FLAGS.csv")
    fs.add_argument("--truth", metavar="TRUTH.csv", required=True, help="DIR/truth/truth.csv")
    fs.add_argument("--json", action="store_true")
    fs.set_defaults(func=cmd_fraud_score)


def cmd_fraud_generate(args: argparse.Namespace) -> int:
    """Write a fraud lab's student files and its answer key to two separate folders."""
    from medbill_lab.compliance import fraud_lab

    root = Path(args.dir)
    lab = fraud_lab.generate(args.seed, args.scale)
    written = fraud_lab.write_release(lab, root / "student", root / "truth")
    print(f"{len(lab.claims):,} claim lines, {len(lab.providers)} providers, seed {args.seed}")
    print(f"student files: {root / 'student'} (hand these out)")
    print(f"answer key:    {written[-1]} (keep it)")
    return 0


def cmd_fraud_detect(args: argparse.Namespace) -> int:
    """Run every detector on a folder of student files; write the flags CSV."""
    from medbill_lab.compliance import fraud, fraud_lab

    flags = fraud.detect_all(fraud_lab.load_student_data(args.dir))
    if args.out:
        flags.to_csv(args.out, index=False)
    counts = flags.groupby("scheme").size().reindex(fraud_lab.SCHEMES, fill_value=0)
    for scheme, n in counts.items():
        print(f"{scheme:17s} {n:6d} {fraud.UNIT[scheme]}(s) flagged")
    if args.out:
        print(f"flags with explanations: {args.out}")
    return 0


def cmd_fraud_score(args: argparse.Namespace) -> int:
    """Precision and recall of a flags CSV against an answer key."""
    from medbill_lab.compliance import fraud

    result = fraud.score(fraud.read_flags(args.flags), fraud.read_flags(args.truth, "truth"))
    if args.json:
        print_json(result.to_dict(orient="records"))
        return 0
    row = "{:17s} {:8s} {:>7} {:>7} {:>9} {:>6}"
    print(row.format("scheme", "unit", "flagged", "planted", "precision", "recall"))
    for r in result.itertuples():
        cells = (r.scheme, r.unit, r.flagged, r.planted, f"{r.precision:.3f}", f"{r.recall:.3f}")
        print(row.format(*cells))
    return 0
