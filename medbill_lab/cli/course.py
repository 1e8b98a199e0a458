"""``medbill-lab course``: the exercises as an nbgrader course: set one up, and run a whole
grading cycle on sample submissions."""

from __future__ import annotations

import argparse
import sys

from medbill_lab.cli.common import subcommands


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
    cd = crsub.add_parser("demo", help="grade sample submissions in DIR and print the table")
    cd.add_argument("dir", metavar="DIR")
    cd.set_defaults(func=cmd_course_demo)


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
    print(f"  next: cd {root} && nbgrader generate_assignment {names[0]}")
    return 0


def cmd_course_demo(args: argparse.Namespace) -> int:
    """Run the instructor cycle on sample submissions and print the grade table."""
    from medbill_lab.training import course

    def progress(message: str) -> None:
        print(f"medbill-lab: {message}", file=sys.stderr, flush=True)

    rows = course.demo(args.dir, log=progress)
    print(course.format_table(rows))
    return 0
