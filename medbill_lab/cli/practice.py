"""``medbill-lab practice``: the synthetic practice's database, its revenue cycle (submit,
adjudicate, post), aging, statements, exports and access audit log."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from medbill_lab.cli.common import DB_HELP, date, stderr_progress, subcommands

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from medbill_lab.practice.statements import IssuedStatement


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``practice`` group and its commands to the top-level subcommands."""
    prc = sub.add_parser("practice", help="the synthetic practice database")
    prsub = subcommands(prc, "practice_command")
    today = dt.date.today()
    _register_database(prsub)
    _register_cycle(prsub, today)
    _register_reports(prsub, today)
    _register_audit(prsub)


def _db(parser: argparse.ArgumentParser) -> None:
    """The ``--db`` option every practice command takes."""
    parser.add_argument("--db", metavar="PATH_OR_URL", default=None, help=DB_HELP)


def _patients(text: str) -> int:
    """An argument type: a number of patients, 0 or more."""
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def _register_database(prsub: argparse._SubParsersAction) -> None:
    """``practice init`` and ``practice generate``."""
    pi = prsub.add_parser("init", help="create or upgrade the practice database")
    _db(pi)
    pi.set_defaults(func=cmd_practice_init)
    pg = prsub.add_parser("generate", help="fill a new database with a synthetic practice")
    _db(pg)
    pg.add_argument("--seed", type=int, default=0)
    pg.add_argument("--patients", type=_patients, default=50)
    pg.set_defaults(func=cmd_practice_generate)


def _register_cycle(prsub: argparse._SubParsersAction, today: dt.date) -> None:
    """``practice submit``, ``adjudicate`` and ``post``: claims out, remittances back."""
    psu = prsub.add_parser("submit", help="claim unclaimed encounters and write 837P files")
    _db(psu)
    psu.add_argument("--out", metavar="DIR", required=True, help="folder for the 837P files")
    psu.add_argument(
        "--through", type=date, default=today, help="last date of service (default today)"
    )
    psu.set_defaults(func=cmd_practice_submit)
    pad = prsub.add_parser("adjudicate", help="simulate the payers: write 835 and 277CA files")
    _db(pad)
    pad.add_argument("--out", metavar="DIR", required=True, help="folder for the 835/277CA files")
    pad.add_argument("--paid-on", type=date, default=today, help="payment date (default today)")
    pad.add_argument("--trace-prefix", default="TRN")
    pad.set_defaults(func=cmd_practice_adjudicate)
    ppo = prsub.add_parser("post", help="post an 835 file (a trace already posted is a no-op)")
    ppo.add_argument("file", metavar="FILE.835")
    ppo.add_argument(
        "--payer-map",
        metavar="ID=OURS",
        action="append",
        default=[],
        help="post an outside payer ID as one of the practice's payers (repeatable)",
    )
    _db(ppo)
    ppo.set_defaults(func=cmd_practice_post)


def _register_reports(prsub: argparse._SubParsersAction, today: dt.date) -> None:
    """``practice aging``, ``statements`` and ``export``."""
    pag = prsub.add_parser("aging", help="print A/R aging buckets by payer and by patient")
    _db(pag)
    pag.add_argument("--as-of", type=date, default=today, help="aging date (default today)")
    pag.set_defaults(func=cmd_practice_aging)
    pst = prsub.add_parser("statements", help="write patient statement PDFs and run dunning")
    _db(pst)
    pst.add_argument("--out", metavar="DIR", required=True, help="folder for the PDFs")
    pst.add_argument("--as-of", type=date, default=today, help="statement date (default today)")
    pst.set_defaults(func=cmd_practice_statements)
    pex = prsub.add_parser("export", help="export patient data, de-identified or masked")
    pex.add_argument("table", choices=["patients"], help="what to export")
    _db(pex)
    how = pex.add_mutually_exclusive_group(required=True)
    how.add_argument("--deidentify", action="store_true", help="Safe Harbor: no identifiers")
    how.add_argument("--masked", action="store_true", help="minimum necessary: IDs to last 4")
    pex.add_argument("-o", "--output", metavar="OUT.csv", default=None, help="default: stdout")
    pex.add_argument("--as-of", type=date, default=today, help="date ages are counted to")
    pex.set_defaults(func=cmd_practice_export)


def _register_audit(prsub: argparse._SubParsersAction) -> None:
    """``practice audit verify`` and ``practice audit log``."""
    pau = prsub.add_parser(
        "audit", help="the access audit log: verify its hash chain, list entries"
    )
    ausub = subcommands(pau, "audit_command")
    verify = ausub.add_parser("verify", help="check every entry's hash and link")
    _db(verify)
    verify.add_argument(
        "--expect-head",
        metavar="HASH",
        default=None,
        help="the head hash noted earlier (or its first 16+ characters)",
    )
    log = ausub.add_parser("log", help="list the newest entries")
    _db(log)
    log.add_argument("--limit", type=int, default=20, help="how many (default 20)")
    log.add_argument("--table", default=None, help="only entries for this table")
    for one in (verify, log):
        one.set_defaults(func=cmd_practice_audit)


def _session(db: str | None) -> Session:
    """A session on the practice database (created or upgraded first)."""
    from medbill_lab.practice import db as practice_db

    engine = practice_db.init_db(db)
    return practice_db.sessionmaker(engine, expire_on_commit=False)()


# -- the database -------------------------------------------------------------------------
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
    from medbill_lab.practice import synthetic

    engine = practice_db.init_db(args.db)
    try:
        with practice_db.sessionmaker(engine)() as session:
            n = synthetic.generate_practice(session, seed=args.seed, patients=args.patients)
    except SQLAlchemyError as exc:
        raise ValueError(f"database error: {str(exc).splitlines()[0]}") from None
    print(f"Generated a synthetic practice (seed {args.seed}) in {engine.url.render_as_string()}")
    print(
        f"  patients: {n['patients']}  encounters: {n['encounters']}  "
        f"charges: {n['charges']}  payers: {n['payers']}"
    )
    return 0


# -- the revenue cycle --------------------------------------------------------------------
def cmd_practice_submit(args: argparse.Namespace) -> int:
    """Claim every unclaimed insured encounter and write one 837P per batch."""
    from medbill_lab.practice import cycle

    with _session(args.db) as session:
        self_pay = cycle.bill_self_pay(session, through=args.through)
        subs = cycle.submit_unclaimed(session, through=args.through, progress=stderr_progress)
        when = dt.datetime.combine(args.through, dt.time(15, 0))
        seconds = cycle.submit_secondaries(session, when=when)
    paths = cycle.write_files(cycle.submission_files([*subs, *seconds]), args.out)
    claims = sum(len(s.claim_ids) for s in subs)
    print(
        f"Submitted {claims} claims in {len(subs)} batches; "
        f"wrote {len(paths)} 837P files to {args.out}"
    )
    if self_pay:
        print(f"Billed {self_pay} self-pay charges to the patients")
    if seconds:
        n = sum(len(s.claim_ids) for s in seconds)
        print(f"Billed {n} secondary claims (with the primary's payment)")
    return 0


def cmd_practice_adjudicate(args: argparse.Namespace) -> int:
    """Simulate the payers on every submitted claim; write 835 and 277CA files."""
    from medbill_lab.practice import cycle

    prefix = args.trace_prefix
    with _session(args.db) as session:
        runs = cycle.adjudicate_submitted(
            session, paid_on=args.paid_on, trace_prefix=prefix, progress=stderr_progress
        )
        runs += cycle.adjudicate_secondaries(
            session, paid_on=args.paid_on, trace_prefix=f"{prefix}S"
        )
    paths = cycle.write_files(cycle.payer_files(runs), args.out)
    adjudicated = sum(len(r.remittance.claims) for r in runs if r.remittance)
    rejected = sum(len(r.rejections) for r in runs)
    print(
        f"Adjudicated {adjudicated} claims, rejected {rejected}; "
        f"wrote {len(paths)} files to {args.out}"
    )
    for path in paths:
        print(f"  {path}")
    return 0


def cmd_practice_post(args: argparse.Namespace) -> int:
    """Parse an 835 file and post it (a trace number already posted is a no-op)."""
    from medbill_lab.practice import cycle, posting

    path = Path(args.file)
    data = path.read_bytes()  # as it arrived: parse_835 decodes it as the X12 reader does
    with _session(args.db) as session:
        payer_map = posting.resolve_payer_map(session, args.payer_map)
        results = cycle.post_835(
            session, data, file_name=path.name, progress=stderr_progress, payer_map=payer_map
        )
        for r in results:
            if r.already_posted:
                print(
                    f"Trace {r.trace_number}: already posted "
                    f"(remittance {r.remittance_id}); nothing written"
                )
            else:
                print(
                    f"Trace {r.trace_number}: posted {r.claims_posted} claims, "
                    f"{r.payments} payments, {r.adjustments} adjustments, "
                    f"{r.work_items} work items"
                )
        new = [r.remittance_id for r in results if r.remittance_id and not r.already_posted]
        summary = cycle.work_summary(session, new)
    if summary:
        print("Work queue: " + ", ".join(f"{n} {kind}" for kind, n in summary.items()))
    return 0


# -- reports ------------------------------------------------------------------------------
def cmd_practice_aging(args: argparse.Namespace) -> int:
    """Print the A/R aging table."""
    from medbill_lab.practice import cycle

    with _session(args.db) as session:
        print(cycle.aging_table(cycle.aging(session, args.as_of)))
    return 0


def cmd_practice_statements(args: argparse.Namespace) -> int:
    """Issue the day's statements (a PDF each) and dunning steps, committed together."""
    from medbill_lab.practice import statements

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    def deliver(item: IssuedStatement) -> None:
        (out / item.file_name).write_bytes(item.pdf)

    with _session(args.db) as session:
        run = statements.run_statements(session, args.as_of, deliver=deliver)
        session.commit()  # what is reported below is in the database
    print(f"Wrote {len(run.issued)} statement PDF(s) to {out}")
    if run.already_issued:
        print(
            f"{run.already_issued} patient(s) already had a statement dated {args.as_of}: "
            "none sent again"
        )
    for stage, n in run.steps().items():
        print(f"{'dunning' if stage in statements.STAGES else 'statements'}: {stage}: {n}")
    if not run.issued:
        print("dunning: no new steps")
    return 0


def cmd_practice_export(args: argparse.Namespace) -> int:
    """Export the patient table de-identified (Safe Harbor) or masked: never in full."""
    from medbill_lab.practice import exports

    mode = "deidentify" if args.deidentify else "masked"
    with _session(args.db) as session:
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

    with _session(args.db) as session:
        if args.audit_command == "log":
            for row in audit.entries(session, limit=args.limit, table=args.table):
                print(audit.describe(row))
            return 0
        verdict = audit.verify(session, expect_head=args.expect_head)
    if not verdict.ok:
        print(verdict.message(), file=sys.stderr)
        return 1
    print(verdict.message())
    print(
        f"  full head hash: {verdict.head}  "
        "(note it: --expect-head catches entries cut off the end)"
    )
    return 0
