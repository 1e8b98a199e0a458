"""``medbill-lab exam bank|analyse``: the mock exam's question bank counted, and item
analysis over the attempts learners have stored."""

from __future__ import annotations

import argparse
from pathlib import Path

from medbill_lab.cli.common import print_json, self_command, subcommands


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``exam`` group and its commands to the top-level subcommands."""
    group = sub.add_parser("exam", help="the mock exam's question bank and item analysis")
    esub = subcommands(group, "exam_command")
    bank = esub.add_parser(
        "bank",
        help="count the question bank's items by domain and type",
        description="Load and check the question bank (datasets/exam_bank, or "
        "$MEDBILL_LAB_EXAM_BANK, or --bank) and count its items by domain and type.",
    )
    bank.add_argument("--bank", type=Path, metavar="DIR", help="a bank folder of <domain>.json")
    bank.add_argument("--json", action="store_true", help="print the counts as JSON")
    bank.set_defaults(func=cmd_exam_bank)
    analyse = esub.add_parser(
        "analyse",
        aliases=["analyze"],
        help="item analysis over the stored mock-exam attempts",
        description="Difficulty, discrimination (corrected point-biserial and the upper-lower "
        "27%% index) and distractor analysis over every learner's scored sittings (first "
        "attempts; reviews are left out).",
    )
    analyse.add_argument(
        "--db",
        type=Path,
        metavar="FILE",
        help="progress file (default $MEDBILL_LAB_HOME/progress.sqlite)",
    )
    analyse.add_argument(
        "--bank", type=Path, metavar="DIR", help="the bank the exams were drawn from"
    )
    analyse.add_argument("--json", action="store_true", help="print the analysis as JSON")
    analyse.set_defaults(func=cmd_exam_analyse)
    assign = esub.add_parser(
        "assign",
        help="add the certification exam to a course, graded by nbgrader",
        description="Draw a certification practice exam from the bank with the course's secret "
        "and write it as source/certification_exam/ of a course made by 'course init'; then "
        "'course release|collect|grade|feedback certification_exam DIR' as for any assignment. "
        "Students answer on a form (letters and codes), one point a question.",
    )
    assign.add_argument("dir", metavar="DIR", help="the course folder")
    assign.add_argument("--style", default="CPC", help="CPC, CCA or CBCS (default CPC)")
    assign.add_argument("--questions", type=int, default=20, help="how many (default 20)")
    assign.add_argument("--bank", type=Path, metavar="DIR", help="a private bank folder")
    assign.add_argument("--replace", action="store_true", help="draw the course's exam again")
    assign.set_defaults(func=cmd_exam_assign)


def cmd_exam_bank(args: argparse.Namespace) -> int:
    """Print the bank's counts by domain and type (a broken bank: one line, exit 1)."""
    from medbill_lab.training import exam_bank

    bank = exam_bank.load(args.bank)
    counts = bank.counts()
    if args.json:
        print_json({"folder": str(bank.folder), "total": len(bank.items), "domains": counts})
        return 0
    print(f"{'domain':<17}{'choice':>7}{'code':>6}{'total':>7}  title")
    for domain, c in counts.items():
        title = bank.titles.get(domain, "")
        print(f"{domain:<17}{c['choice']:>7}{c['code']:>6}{c['total']:>7}  {title}")
    choice = sum(c["choice"] for c in counts.values())
    code = sum(c["code"] for c in counts.values())
    print(f"{'all':<17}{choice:>7}{code:>6}{len(bank.items):>7}")
    return 0


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def cmd_exam_analyse(args: argparse.Namespace) -> int:
    """Print item analysis over the stored scored sittings."""
    from medbill_lab.training import exam_bank, item_analysis
    from medbill_lab.training.exam_attempts import Attempts
    from medbill_lab.training.flashcards import ProgressFileError, default_path

    db = args.db or default_path()
    if not db.is_file():
        raise ValueError(f"no progress file at {db}: no mock exam has been submitted there")
    try:
        responses = Attempts(db).responses()
    except ProgressFileError as exc:
        raise ValueError(str(exc)) from None
    bank = exam_bank.load(args.bank)
    known = {i.id: i for i in bank.items}
    choices = {i: "ABCD" for i, item in known.items() if item.type == "choice"}
    keys = {i: item.answer for i, item in known.items() if item.type == "choice"}
    result = item_analysis.analyse(responses, choices=choices, keys=keys)
    if args.json:
        print_json(result.to_dict())
        return 0
    if not result.items:
        print(f"No scored mock-exam sittings in {db} yet.")
        return 0
    print(f"{result.learners} learner(s), {len(result.items)} item(s) from {db}")
    for note in result.notes:
        print(f"Note: {note}")
    print(f"{'item':<10}{'domain':<17}{'n':>4}{'p':>6}{'r':>7}{'D':>7}  flags")
    for s in result.items:
        domain = known[s.item_id].domain if s.item_id in known else "(not in bank)"
        flags = "; ".join(s.flags)
        print(
            f"{s.item_id:<10}{domain:<17}{s.n:>4}{_fmt(s.difficulty):>6}"
            f"{_fmt(s.discrimination):>7}{_fmt(s.upper_lower):>7}  {flags}"
        )
    print("p: share right; r: corrected point-biserial; D: upper minus lower 27%.")
    return 0


def cmd_exam_assign(args: argparse.Namespace) -> int:
    """Write the course's certification exam and say how to release it."""
    import shlex

    from medbill_lab.training import exam_bank
    from medbill_lab.training.assignments import certification_exam

    path = certification_exam.add_to_course(
        args.dir, args.bank, args.style, args.questions, replace=args.replace
    )
    root = shlex.quote(str(path.parents[2]))
    print(f"wrote {path} ({args.questions} questions, {args.style.upper()}-style)")
    if exam_bank.is_public(args.bank):
        # the shipped bank's answers are in every student's copy of the lab
        print(
            "  note: drawn from the public bank (datasets/exam_bank), whose answers every "
            "student with the lab can read; for a graded exam use --bank DIR (a private bank)"
        )
    print(f"  next: {self_command()} course release {certification_exam.ASSIGNMENT} {root}")
    return 0
