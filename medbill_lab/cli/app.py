"""The ``medbill-lab`` command line.

Other tools script against it, so its contract is stable: results on stdout
(``--json`` for machines), and any bad input ends with one line on stderr and
a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import socket
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from medbill_lab import __version__
from medbill_lab.datasets import project_root

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

EXIT_USAGE = 2
EXIT_INPUT = 1


class UsageError(Exception):
    """Bad command-line usage: reported in one line."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and no usage dump."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def _print_json(data: object) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


# -- codes ------------------------------------------------------------------------
def cmd_search(args: argparse.Namespace) -> int:
    """Search the code sets."""
    from medbill_lab.codes import encoder

    hits = encoder.search(args.query, year=args.year, system=args.system, limit=args.limit)
    if args.json:
        _print_json([h.as_dict() for h in hits])
        return 0
    if not hits:
        print(f"No codes found for {args.query!r}.")
        return 0
    for h in hits:
        flag = "billable" if h.billable else "header"
        print(f"{h.code:<9} {h.system:<7} {flag:<8} {h.description}")
    if hits[0].via.startswith("words;"):
        print(f"(read as: {hits[0].via[7:]})")
    return 0


def cmd_table(args: argparse.Namespace) -> int:
    """Look a term up in the Drug, Neoplasm or External Cause table, cells completed."""
    from medbill_lab.codes import encoder, icd_tables

    if args.table not in icd_tables.TABLES:
        raise ValueError(
            f"unknown table {args.table!r}; choose one of {', '.join(icd_tables.TABLES)}"
        )
    text = encoder.check_query(args.term)
    rows = icd_tables.find(args.table, text, limit=args.limit)
    found = [(r, icd_tables.cells(r)) for r in rows]
    if args.json:
        _print_json(
            [
                {
                    "table": r.table,
                    "term": r.term,
                    "see": r.see,
                    "see_also": r.see_also,
                    "cells": [
                        {"column": c.column, "printed": c.printed, "code": c.code} for c in cells
                    ],
                }
                for r, cells in found
            ]
        )
        return 0
    if not found:
        print(f"No row of the {icd_tables.TABLES[args.table]} holds {text!r}.")
        return 0
    for r, cells in found:
        refs = "".join(f"  (see {x})" for x in (r.see,) if x) + (
            f"  (see also {r.see_also})" if r.see_also else ""
        )
        print(f"{r.term}{refs}")
        for c in cells:
            if c.printed:
                done = "" if c.code == c.printed else f" -> {c.code or 'not in this year'}"
                print(f"    {c.column:<38} {c.printed}{done}")
    return 0


def _show_procedure(code: str, as_json: bool) -> int:
    from medbill_lab.codes import procedures

    p = procedures.procedure(code)
    if p is None:
        raise LookupError(
            f"unknown code {code.strip()!r} (not in ICD-10-CM or the CPT/HCPCS teaching sets)"
        )
    data = {
        "code": p.code,
        "description": p.description,
        "system": p.system,
        "group": p.group,
        "billable": True,
    }
    if as_json:
        _print_json(data)
    else:
        print(f"{p.code}  {p.description}\n  {p.system.upper()} - {p.group}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Show one code with its notes and ancestors."""
    from medbill_lab.codes import icd10cm

    fy = icd10cm.load(args.year)
    if not args.code.strip():
        raise LookupError("the code is empty")
    if args.code not in fy:
        return _show_procedure(args.code, args.json)
    item = fy.get(args.code)
    ancestors = fy.ancestors(item.code)
    notes = fy.notes(item.code)
    seventh = fy.seventh_characters(item.code)
    reason, detail, hints = fy.check(item.code)
    if args.json:
        data = item.as_dict()
        data.update(
            system="icd10cm",
            fiscal_year=fy.year,
            ancestors=[
                {"code": a.code, "description": a.description, "level": a.level} for a in ancestors
            ],
            governing_notes=[{"from": c, "kind": k, "text": t} for c, k, t in notes],
            seventh_characters=seventh,
            billable_reason=reason or "billable",
            detail=detail,
            suggestions=list(hints),
        )
        _print_json(data)
        return 0
    status = "billable" if item.billable else f"not billable: {reason}"
    print(f"{item.code}  {item.description}")
    print(f"  {item.level}, {status} (ICD-10-CM FY{fy.year})")
    if not item.billable:
        print(f"  {detail}" + (f" Try: {', '.join(hints)}" if hints else ""))
    for a in ancestors:
        print(f"  in {a.level} {a.code}: {a.description}")
    for src, kind, text in notes:
        where = "" if src == item.code else f" [from {src}]"
        print(f"  {kind.replace('_', ' ')}{where}: {text}")
    if seventh:
        print("  7th characters: " + "; ".join(f"{c} {t}" for c, t in seventh.items()))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate a code for a date of service; exit 1 when it is not billable."""
    from medbill_lab.codes import icd10cm

    v = icd10cm.validate(args.code, args.date)
    if args.json:
        _print_json(
            {
                "code": v.code,
                "valid": v.valid,
                "fiscal_year": v.fiscal_year,
                "year_reason": v.year_reason,
                "reason": v.reason,
                "detail": v.detail,
                "suggestions": list(v.suggestions),
            }
        )
    else:
        print(v)
        print(f"  {v.year_reason}")
    return 0 if v.valid else EXIT_INPUT


def cmd_changes(args: argparse.Namespace) -> int:
    """List annual changes between two fiscal years."""
    from medbill_lab.codes import icd10cm

    report = icd10cm.changes(args.from_year, args.to_year)
    if args.json:
        _print_json({"from": args.from_year, "to": args.to_year, **report})
        return 0
    labels = {
        "added": "Added",
        "deleted": "Deleted",
        "revised": "Description revised",
        "now_header": "Billable code that became a header",
    }
    for key, label in labels.items():
        rows = report[key]
        print(f"{label}: {len(rows)}")
        for r in rows[: args.show]:
            text = f"{r['old']} -> {r['new']}" if key == "revised" else r["description"]
            print(f"  {r['code']:<9} {text}")
        if len(rows) > args.show:
            print(f"  ... and {len(rows) - args.show} more (--show N, or --json for all)")
    return 0


# -- lab ----------------------------------------------------------------------------


def cmd_lab(args: argparse.Namespace) -> int:
    """Open JupyterLab on the lessons."""
    jupyter = shutil.which(
        "jupyter",
        path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    )
    if not jupyter:
        raise LookupError("JupyterLab is not installed in this environment")
    cmd = [jupyter, "lab", f"--notebook-dir={project_root() / 'notebooks'}", f"--port={args.port}"]
    if args.no_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # containers and CI run as root; JupyterLab refuses otherwise
    sys.stdout.flush()
    os.execv(cmd[0], cmd)  # become JupyterLab, so signals (Ctrl+C, SIGTERM) reach it directly
    return 0  # not reached


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the Voila app gallery on localhost."""
    from medbill_lab.server import serve

    if not 1 <= args.port <= 65535:
        raise ValueError(f"port {args.port} is out of range (1-65535)")
    with socket.socket() as sock:
        if sock.connect_ex(("127.0.0.1", args.port)) == 0:
            raise OSError(f"port {args.port} is already in use; choose another with --port")
    return serve.serve(
        args.port,
        open_browser=not args.no_browser,
        pool_size=args.pool_size,
        max_kernels=args.max_kernels,
        allow_hosts=[serve.validate_host(h) for h in args.allow_host],
    )


# -- course -------------------------------------------------------------------------
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


# -- claims -----------------------------------------------------------------------
def cmd_claim_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema for claim files."""
    from medbill_lab.claims import model as claims

    _print_json(claims.claim_schema())
    return 0


def cmd_claim_check(args: argparse.Namespace) -> int:
    """Scrub a claim file; exit 1 when any edit would reject or deny it."""
    from medbill_lab.claims import scrubber

    return scrubber.check_file(args.file, as_json=args.json, out=sys.stdout)


def cmd_claim_x12(args: argparse.Namespace) -> int:
    """Write one 837P file for one or more claim files (nothing on any error)."""
    from medbill_lab.x12 import x837p as x12_837p

    return x12_837p.write_file(args.files, args.output, out=sys.stdout)


def cmd_claim_pdf(args: argparse.Namespace) -> int:
    """Fill the CMS-1500 form for a claim file as PDF (and PNG with --png)."""
    from medbill_lab.claims import cms1500_pdf

    return cms1500_pdf.write_file(args.file, args.output, png=args.png, out=sys.stdout)


# -- practice database -----------------------------------------------------------------
def _patients(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def cmd_practice_init(args: argparse.Namespace) -> int:
    """Create or upgrade the practice database (alembic upgrade head)."""
    from medbill_lab.practice import db as practice_db

    engine = practice_db.init_db(args.db)
    print(f"Practice database is ready: {engine.url.render_as_string()}")
    return 0


def cmd_practice_generate(args: argparse.Namespace) -> int:
    """Fill a new practice database with a seeded synthetic practice."""
    from sqlalchemy.exc import SQLAlchemyError

    from medbill_lab.practice import db as practice_db
    from medbill_lab.practice import synthetic as practice_gen

    engine = practice_db.init_db(args.db)
    try:
        with practice_db.sessionmaker(engine)() as session:
            n = practice_gen.generate_practice(session, seed=args.seed, patients=args.patients)
    except SQLAlchemyError as exc:
        raise ValueError(f"database error: {str(exc).splitlines()[0]}") from None
    print(f"Generated a synthetic practice (seed {args.seed}) in {engine.url.render_as_string()}")
    print(
        f"  patients: {n['patients']}  encounters: {n['encounters']}  "
        f"charges: {n['charges']}  payers: {n['payers']}"
    )
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _stderr_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _practice_session(db: str | None) -> Session:
    from medbill_lab.practice import db as practice_db

    engine = practice_db.init_db(db)
    return practice_db.sessionmaker(engine, expire_on_commit=False)()


def cmd_practice_submit(args: argparse.Namespace) -> int:
    """Claim every unclaimed insured encounter and write one 837P per batch."""
    from medbill_lab.practice import cycle as rc

    with _practice_session(args.db) as session:
        self_pay = rc.bill_self_pay(session, through=args.through)
        subs = rc.submit_unclaimed(session, through=args.through, progress=_stderr_progress)
        when = dt.datetime.combine(args.through, dt.time(15, 0))
        seconds = rc.submit_secondaries(session, when=when)
    paths = rc.write_files(rc.submission_files([*subs, *seconds]), args.out)
    claims = sum(len(s.claim_ids) for s in subs)
    print(f"Submitted {claims} claims in {len(subs)} batches; wrote {len(paths)} 837P files to {args.out}")  # fmt: skip
    if self_pay:
        print(f"Billed {self_pay} self-pay charges to the patients")
    if seconds:
        print(f"Billed {sum(len(s.claim_ids) for s in seconds)} secondary claims (with the primary's payment)")  # fmt: skip
    return 0


def cmd_practice_adjudicate(args: argparse.Namespace) -> int:
    """Simulate the payers on every submitted claim; write 835 and 277CA files."""
    from medbill_lab.practice import cycle as rc

    with _practice_session(args.db) as session:
        runs = rc.adjudicate_submitted(
            session, paid_on=args.paid_on, trace_prefix=args.trace_prefix,
            progress=_stderr_progress,
        )  # fmt: skip
        runs += rc.adjudicate_secondaries(session, paid_on=args.paid_on, trace_prefix=f"{args.trace_prefix}S")  # fmt: skip
    paths = rc.write_files(rc.payer_files(runs), args.out)
    adjudicated = sum(len(r.remittance.claims) for r in runs if r.remittance)
    rejected = sum(len(r.rejections) for r in runs)
    print(f"Adjudicated {adjudicated} claims, rejected {rejected}; wrote {len(paths)} files to {args.out}")  # fmt: skip
    for path in paths:
        print(f"  {path}")
    return 0


def cmd_practice_post(args: argparse.Namespace) -> int:
    """Parse an 835 file and post it (a trace number already posted is a no-op)."""
    from medbill_lab.practice import cycle as rc

    path = Path(args.file)
    text = path.read_text(encoding="ascii", errors="replace")
    with _practice_session(args.db) as session:
        results = rc.post_835(session, text, file_name=path.name, progress=_stderr_progress)
        for r in results:
            if r.already_posted:
                print(f"Trace {r.trace_number}: already posted (remittance {r.remittance_id}); nothing written")  # fmt: skip
            else:
                print(f"Trace {r.trace_number}: posted {r.claims_posted} claims, {r.payments} payments, "
                      f"{r.adjustments} adjustments, {r.work_items} work items")  # fmt: skip
        new = [r.remittance_id for r in results if r.remittance_id and not r.already_posted]
        summary = rc.work_summary(session, new)
    if summary:
        print("Work queue: " + ", ".join(f"{n} {kind}" for kind, n in summary.items()))
    return 0


def cmd_practice_aging(args: argparse.Namespace) -> int:
    """Print the A/R aging table."""
    from medbill_lab.practice import cycle as rc

    with _practice_session(args.db) as session:
        print(rc.aging_table(rc.aging(session, args.as_of)))
    return 0


def cmd_practice_statements(args: argparse.Namespace) -> int:
    """Issue the day's statements (a PDF each) and dunning steps, committed together."""
    from medbill_lab.practice import statements

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    def deliver(item: statements.IssuedStatement) -> None:
        (out / item.file_name).write_bytes(item.pdf)

    with _practice_session(args.db) as session:
        run = statements.run_statements(session, args.as_of, deliver=deliver)
        session.commit()  # what is reported below is in the database
    print(f"Wrote {len(run.issued)} statement PDF(s) to {out}")
    if run.already_issued:
        print(f"{run.already_issued} patient(s) already had a statement dated {args.as_of}: none sent again")  # fmt: skip
    for stage, n in run.steps().items():
        print(f"{'dunning' if stage in statements.STAGES else 'statements'}: {stage}: {n}")
    if not run.issued:
        print("dunning: no new steps")
    return 0


def cmd_practice_export(args: argparse.Namespace) -> int:
    """Export the patient table de-identified (Safe Harbor) or masked: never in full."""
    from medbill_lab.practice import exports

    mode = "deidentify" if args.deidentify else "masked"
    with _practice_session(args.db) as session:
        frame, actions = exports.export_patients(session, mode, args.as_of)
    if not args.output:
        frame.to_csv(sys.stdout, index=False)
        return 0
    frame.to_csv(args.output, index=False)
    print(f"Wrote {len(frame)} patients ({mode}) to {args.output}")
    for a in actions:
        print(f"  {a.column}: {a.action} ({a.reason})")
    return 0


def cmd_practice_audit(args: argparse.Namespace) -> int:
    """Verify the audit log's hash chain, or list its newest entries."""
    from medbill_lab.practice import audit

    with _practice_session(args.db) as session:
        if args.audit_command == "log":
            for row in audit.entries(session, limit=args.limit, table=args.table):
                print(audit.describe(row))
            return 0
        verdict = audit.verify(session, expect_head=args.expect_head)
    if not verdict.ok:
        print(verdict.message(), file=sys.stderr)
        return 1
    print(verdict.message())
    print(f"  full head hash: {verdict.head}  (note it: --expect-head catches entries cut off the end)")  # fmt: skip
    return 0


# -- wiring -------------------------------------------------------------------------
def _limit(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError("must be between 1 and 1000")
    return value


# -- fraud ------------------------------------------------------------------------
def _scale(text: str) -> float:
    value = float(text)
    if not 0.05 <= value <= 4:
        raise argparse.ArgumentTypeError(f"must be between 0.05 and 4, not {value}")
    return value


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
        _print_json(result.to_dict(orient="records"))
        return 0
    row = "{:17s} {:8s} {:>7} {:>7} {:>9} {:>6}"
    print(row.format("scheme", "unit", "flagged", "planted", "precision", "recall"))
    for r in result.itertuples():
        cells = (r.scheme, r.unit, r.flagged, r.planted, f"{r.precision:.3f}", f"{r.recall:.3f}")
        print(row.format(*cells))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The full ``medbill-lab`` argument parser."""
    parser = _Parser(
        prog="medbill-lab", description="MedBill Lab: medical billing and coding practice."
    )
    parser.add_argument("--version", action="version", version=f"medbill-lab {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    codes = sub.add_parser("codes", help="look up, validate and compare code sets")
    csub = codes.add_subparsers(dest="codes_command", required=True, parser_class=_Parser)

    s = csub.add_parser("search", help="find codes from words, abbreviations, lay terms or codes")
    s.add_argument("query")
    s.add_argument("--year", type=int, default=2026, help="ICD-10-CM fiscal year (default 2026)")
    s.add_argument("--system", default="all", help="icd10cm, hcpcs, cpt or all (default)")
    s.add_argument("--limit", type=_limit, default=10)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_search)

    tb = csub.add_parser(
        "table", help="a row of the Drug, Neoplasm or External Cause table, codes completed"
    )
    tb.add_argument("table", help="drugs, neoplasm or eindex")
    tb.add_argument("term", help="words of the substance, site or external cause")
    tb.add_argument("--limit", type=_limit, default=5)
    tb.add_argument("--json", action="store_true")
    tb.set_defaults(func=cmd_table)

    sh = csub.add_parser("show", help="one code with its notes, ancestors and 7th characters")
    sh.add_argument("code")
    sh.add_argument("--year", type=int, default=2026)
    sh.add_argument("--json", action="store_true")
    sh.set_defaults(func=cmd_show)

    v = csub.add_parser("validate", help="is a code billable on a date of service?")
    v.add_argument("code")
    v.add_argument("--date", required=True, help="date of service, YYYY-MM-DD")
    v.add_argument("--json", action="store_true")
    v.set_defaults(func=cmd_validate)

    ch = csub.add_parser("changes", help="annual changes between two fiscal years")
    ch.add_argument("--from", dest="from_year", type=int, default=2025)
    ch.add_argument("--to", dest="to_year", type=int, default=2026)
    ch.add_argument("--show", type=int, default=10, help="rows to list per kind (text output)")
    ch.add_argument("--json", action="store_true")
    ch.set_defaults(func=cmd_changes)

    srv = sub.add_parser("serve", help="serve the Voila app gallery on localhost")
    srv.add_argument("--port", type=int, default=8866)
    srv.add_argument("--no-browser", action="store_true")
    srv.add_argument(
        "--pool-size", type=int, default=1, help="preheated kernels per app (0 disables, at most 2)"
    )
    srv.add_argument(
        "--max-kernels",
        type=int,
        default=8,
        help="most app pages open at once (each holds a kernel of about 215 MB); "
        "past it, visitors get a 'busy, try again in a minute' page",
    )
    srv.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a host name the server also answers to besides localhost (repeatable), "
        "e.g. the name of a reverse proxy in front of it",
    )
    srv.set_defaults(func=cmd_serve)

    crs = sub.add_parser("course", help="run the exercises as an nbgrader course")
    crsub = crs.add_subparsers(dest="course_command", required=True, parser_class=_Parser)
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

    clm = sub.add_parser("claim", help="check, convert and print CMS-1500 claims")
    clsub = clm.add_subparsers(dest="claim_command", required=True, parser_class=_Parser)
    sc = clsub.add_parser("schema", help="print the JSON Schema for claim files")
    sc.set_defaults(func=cmd_claim_schema)
    ck = clsub.add_parser("check", help="scrub a claim file and explain every edit")
    ck.add_argument("file", metavar="FILE")
    ck.add_argument("--json", action="store_true")
    ck.set_defaults(func=cmd_claim_check)
    x12 = clsub.add_parser("x12", help="write an 837P (005010X222A1) file")
    x12.add_argument("files", metavar="FILE", nargs="+")
    x12.add_argument("-o", "--output", required=True, metavar="OUT")
    x12.set_defaults(func=cmd_claim_x12)
    pdf = clsub.add_parser("pdf", help="fill the CMS-1500 (02/12) form as a PDF")
    pdf.add_argument("file", metavar="FILE")
    pdf.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    pdf.add_argument("--png", action="store_true", help="also write OUT.png")
    pdf.set_defaults(func=cmd_claim_pdf)

    prc = sub.add_parser("practice", help="the synthetic practice database")
    prsub = prc.add_subparsers(dest="practice_command", required=True, parser_class=_Parser)
    db_help = "SQLite file or SQLAlchemy URL (default $MEDBILL_LAB_HOME/practice.sqlite)"
    pi = prsub.add_parser("init", help="create or upgrade the practice database")
    pi.add_argument("--db", metavar="PATH_OR_URL", default=None, help=db_help)
    pi.set_defaults(func=cmd_practice_init)
    pg = prsub.add_parser("generate", help="fill a new database with a synthetic practice")
    pg.add_argument("--db", metavar="PATH_OR_URL", default=None, help=db_help)
    pg.add_argument("--seed", type=int, default=0)
    pg.add_argument("--patients", type=_patients, default=50)
    pg.set_defaults(func=cmd_practice_generate)
    today = dt.date.today()
    psu = prsub.add_parser("submit", help="claim unclaimed encounters and write 837P files")
    psu.add_argument("--db", metavar="PATH_OR_URL", default=None, help=db_help)
    psu.add_argument("--out", metavar="DIR", required=True, help="folder for the 837P files")
    psu.add_argument("--through", type=_date, default=today, help="last date of service (default today)")  # fmt: skip
    psu.set_defaults(func=cmd_practice_submit)
    pad = prsub.add_parser("adjudicate", help="simulate the payers: write 835 and 277CA files")
    pad.add_argument("--db", metavar="PATH_OR_URL", default=None, help=db_help)
    pad.add_argument("--out", metavar="DIR", required=True, help="folder for the 835/277CA files")
    pad.add_argument("--paid-on", type=_date, default=today, help="payment date (default today)")
    pad.add_argument("--trace-prefix", default="TRN")
    pad.set_defaults(func=cmd_practice_adjudicate)
    ppo = prsub.add_parser("post", help="post an 835 file (a trace already posted is a no-op)")
    ppo.add_argument("file", metavar="FILE.835")
    ppo.add_argument("--db", metavar="PATH_OR_URL", default=None, help=db_help)
    ppo.set_defaults(func=cmd_practice_post)
    pag = prsub.add_parser("aging", help="print A/R aging buckets by payer and by patient")
    pag.add_argument("--db", metavar="PATH_OR_URL", default=None, help=db_help)
    pag.add_argument("--as-of", type=_date, default=today, help="aging date (default today)")
    pag.set_defaults(func=cmd_practice_aging)
    pst = prsub.add_parser("statements", help="write patient statement PDFs and run dunning")
    pst.add_argument("--db", metavar="PATH_OR_URL", default=None, help=db_help)
    pst.add_argument("--out", metavar="DIR", required=True, help="folder for the PDFs")
    pst.add_argument("--as-of", type=_date, default=today, help="statement date (default today)")
    pst.set_defaults(func=cmd_practice_statements)
    pex = prsub.add_parser("export", help="export patient data, de-identified or masked")
    pex.add_argument("table", choices=["patients"], help="what to export")
    pex.add_argument("--db", metavar="PATH_OR_URL", default=None, help=db_help)
    how = pex.add_mutually_exclusive_group(required=True)
    how.add_argument("--deidentify", action="store_true", help="Safe Harbor: no identifiers")
    how.add_argument("--masked", action="store_true", help="minimum necessary: IDs to last 4")
    pex.add_argument("-o", "--output", metavar="OUT.csv", default=None, help="default: stdout")
    pex.add_argument("--as-of", type=_date, default=today, help="date ages are counted to")
    pex.set_defaults(func=cmd_practice_export)

    frd = sub.add_parser("fraud", help="the fraud, waste and abuse lab")
    frsub = frd.add_subparsers(dest="fraud_command", required=True, parser_class=_Parser)
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

    pau = prsub.add_parser(
        "audit", help="the access audit log: verify its hash chain, list entries"
    )
    ausub = pau.add_subparsers(dest="audit_command", required=True, parser_class=_Parser)
    for name, text in (("verify", "check every entry's hash and link"), ("log", "list the newest entries")):  # fmt: skip
        one = ausub.add_parser(name, help=text)
        one.add_argument("--db", metavar="PATH_OR_URL", default=None, help=db_help)
        one.set_defaults(func=cmd_practice_audit)
    ausub.choices["verify"].add_argument("--expect-head", metavar="HASH", default=None,
                                         help="the head hash noted earlier (or its first 16+ characters)")  # fmt: skip
    ausub.choices["log"].add_argument("--limit", type=int, default=20, help="how many (default 20)")
    ausub.choices["log"].add_argument("--table", default=None, help="only entries for this table")

    lab = sub.add_parser("lab", help="open JupyterLab on the lessons")
    lab.add_argument("--port", type=int, default=8888)
    lab.add_argument("--no-browser", action="store_true")
    lab.set_defaults(func=cmd_lab)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run a command and turn every expected failure into one line."""
    from medbill_lab.codes.encoder import QueryError
    from medbill_lab.codes.icd10cm import CodeSetError

    expected: tuple[type[BaseException], ...] = (
        QueryError,
        CodeSetError,
        LookupError,
        ValueError,
        OSError,
    )
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
