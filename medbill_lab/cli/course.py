"""``medbill-lab course``: the exercises as an nbgrader course: set one up, load its roster,
run each step of the instructor's week (release, collect, grade, feedback), and run a whole
grading cycle on sample submissions."""

from __future__ import annotations

import argparse
import shlex
import shutil
from pathlib import Path

from medbill_lab.cli.common import self_command, stderr_progress, subcommands


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``course`` group and its commands to the top-level subcommands."""
    crs = sub.add_parser("course", help="run the exercises as an nbgrader course")
    crsub = subcommands(crs, "course_command")
    ci = crsub.add_parser("init", help="make DIR a ready nbgrader course")
    ci.add_argument("dir", metavar="DIR")
    ci.add_argument("--course-id", default="medbill-101")
    ci.add_argument(
        "--timeout", type=int, default=30, help="seconds before a cell is stopped (default 30)"
    )
    ci.add_argument(
        "--cases",
        metavar="FILE",
        help="your own private coding cases (JSON) instead of cases drawn from the course secret",
    )
    ci.set_defaults(func=cmd_course_init)
    cd = crsub.add_parser(
        "demo", help="a whole grading cycle on sample submissions, in a throwaway course"
    )
    cd.add_argument(
        "dir",
        metavar="DIR",
        nargs="?",
        help="a new or empty folder for the demo course, kept (default: a temporary folder)",
    )
    cd.add_argument("--all", action="store_true", help="every assignment (default: three)")
    cd.add_argument("--keep", action="store_true", help="keep the temporary folder")
    cd.set_defaults(func=cmd_course_demo)
    _register_steps(crsub)
    _register_roster(crsub)
    _register_report(crsub)


# ``course STEP NAME [DIR]``: each runs one nbgrader step of the instructor's week
STEPS = {
    "release": "generate the student version of NAME and release it to the exchange",
    "collect": "collect the submissions of NAME from the exchange",
    "grade": "autograde every collected submission of NAME",
    "feedback": "generate feedback on NAME and release it to the students",
}


def _register_steps(crsub: argparse._SubParsersAction) -> None:
    """Add ``release``, ``collect``, ``grade`` and ``feedback``."""
    for step, text in STEPS.items():
        p = crsub.add_parser(step, help=text)
        p.add_argument("name", metavar="NAME", help="the assignment (a folder of source/)")
        p.add_argument("dir", metavar="DIR", nargs="?", default=".", help="the course (default .)")
        p.set_defaults(func=cmd_course_step, step=step)


def cmd_course_step(args: argparse.Namespace) -> int:
    """Run one nbgrader step on a course, one line per step, then what it did and the
    command to run next.  A submission that could not be autograded: the table of the
    others, then one line naming it, and a non-zero status."""
    from medbill_lab.training import course

    run = getattr(course, args.step)
    try:
        result = run(args.dir, args.name, say=lambda m: stderr_progress(f"medbill-lab: {m}"))
    except course.GradingFailed as exc:
        print(course.format_table(exc.rows))
        raise
    if args.step == "release":
        print(f"released {args.name} to {result}")
    elif args.step == "grade":
        print(course.format_table(result))
    else:
        what = "collected" if args.step == "collect" else "feedback for"
        print(f"{what} {len(result)} student(s): {', '.join(result) or 'none'}")
    _print_next(args.step, args.name, args.dir)
    return 0


def _print_next(step: str, name: str, directory: str) -> None:
    """The ``next:`` line after a step of the week: the command that follows it."""
    where = shlex.quote(str(Path(directory).expanduser().resolve()))
    follows = {"release": "collect", "collect": "grade", "grade": "feedback"}
    if step == "release":
        print("  students fetch it, answer it and submit it (Jupyter's Assignments tab)")
    if step in follows:
        print(f"  next: {self_command()} course {follows[step]} {name} {where}")
    elif step == "feedback":
        print(f"  next: {self_command()} course report {where}")


def cmd_course_init(args: argparse.Namespace) -> int:
    """Make DIR a ready nbgrader course (config, source, gradebook and roster)."""
    from medbill_lab.training import course

    root = course.init_course(
        args.dir, course_id=args.course_id, timeout=args.timeout, cases_file=args.cases
    )
    names = course.assignments()
    print(f"Course {args.course_id!r} is ready in {root}")
    print(f"  assignments: {', '.join(names)} (source/)")
    print(f"  students: {', '.join(s.id for s in course.DEFAULT_STUDENTS)} (gradebook.db)")
    print(f"  secret: {course.SECRET_FILE} (graded cases and keys come from it; keep it private)")
    print(
        f"  your class: {self_command()} course roster import FILE.csv {shlex.quote(str(root))}"
        " --drop-others (columns id,first_name,last_name[,email])"
    )
    print(f"  next: {self_command()} course release {names[0]} {shlex.quote(str(root))}")
    return 0


def _register_roster(crsub: argparse._SubParsersAction) -> None:
    """Add ``roster import FILE [DIR]``."""
    ro = crsub.add_parser("roster", help="the class list in the gradebook")
    rsub = subcommands(ro, "roster_command")
    ri = rsub.add_parser("import", help="load a class from a CSV (id,first_name,last_name[,email])")
    ri.add_argument("file", metavar="FILE.csv")
    ri.add_argument("dir", metavar="DIR", nargs="?", default=".", help="the course (default .)")
    ri.add_argument(
        "--drop-others",
        action="store_true",
        help="remove students the file does not list who have handed nothing in"
        " (such as the sample students init adds)",
    )
    ri.set_defaults(func=cmd_roster_import)


def cmd_roster_import(args: argparse.Namespace) -> int:
    """Load a roster CSV into the course's gradebook and say who was added or updated."""
    from sqlalchemy.exc import SQLAlchemyError

    from medbill_lab.training import course

    try:
        done = course.import_roster(args.dir, args.file, drop_others=args.drop_others)
    except SQLAlchemyError as exc:  # a damaged gradebook.db: one line, not the SQL behind it
        why = getattr(exc, "orig", None) or type(exc).__name__
        raise ValueError(f"cannot read the gradebook in {args.dir}: {why}") from None
    print(f"roster: {len(done.added)} added, {len(done.updated)} updated")
    if done.removed:
        print(f"  removed (not in {args.file}, nothing handed in): {', '.join(done.removed)}")
    if done.not_in_file:
        print(f"  also in the gradebook, not in {args.file}: {', '.join(done.not_in_file)}")
    root = Path(args.dir).expanduser().resolve()
    have = sorted({p.parent.name for p in (root / "source").glob("*/*.ipynb")})
    if have:
        print(f"  next: {self_command()} course release {have[0]} {shlex.quote(str(root))}")
    return 0


def _register_report(crsub: argparse._SubParsersAction) -> None:
    """Add ``report DIR [--assignment NAME] [--json] [--html OUT] [--csv FOLDER]``."""
    rp = crsub.add_parser(
        "report", help="what the class misses: items, elements, wrong answers, topic mastery"
    )
    rp.add_argument("dir", metavar="DIR", help="the course")
    rp.add_argument("--assignment", metavar="NAME", help="one assignment only (default: all)")
    rp.add_argument("--json", action="store_true", help="print the whole report as JSON")
    rp.add_argument("--html", metavar="OUT", help="also write a self-contained HTML page")
    rp.add_argument(
        "--csv",
        metavar="FOLDER",
        help="also write items.csv, elements.csv, wrong_answers.csv and mastery.csv",
    )
    rp.set_defaults(func=cmd_course_report)


def cmd_course_report(args: argparse.Namespace) -> int:
    """Report on a course's graded work: a text summary, or JSON; HTML and CSV on request."""
    from medbill_lab.cli.common import print_json
    from medbill_lab.training import course_report

    report = course_report.build(args.dir, args.assignment)
    if args.html:
        out = Path(args.html).expanduser()
        try:
            out.write_text(report.to_html(), encoding="utf-8")
        except OSError as exc:
            raise course_report.ReportError(f"cannot write {out}: {exc.strerror}") from None
        stderr_progress(f"medbill-lab: wrote {out}")
    if args.csv:
        for path in report.write_csv(args.csv):
            stderr_progress(f"medbill-lab: wrote {path}")
    if args.json:
        print_json(report.to_dict())
    else:
        print(report.to_text())
    return 0


def cmd_course_demo(args: argparse.Namespace) -> int:
    """Run the instructor cycle on sample submissions in a throwaway course (DIR, or a
    temporary folder removed afterwards unless ``--keep``) and print the grade table."""
    import tempfile

    from medbill_lab.training import course

    def progress(message: str) -> None:
        stderr_progress(f"medbill-lab: {message}")

    if args.dir is not None:
        course.demo_folder(args.dir)  # refused before anything is made
    folder = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="medbill-lab-demo-"))
    try:
        rows = course.demo(folder, log=progress, every=args.all)
    finally:
        if args.dir is None and not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print(course.format_table(rows))
    kept = args.dir is not None or args.keep
    print(f"The demo course was {folder.resolve()} ({'kept' if kept else 'removed'}).")
    print(f"  next: {self_command()} course init mycourse")
    return 0
