"""A demo practice that looks like a running one on its as-of date.

:func:`build` generates a synthetic practice (:mod:`medbill_lab.practice.synthetic`)
with no visit after the as-of date, then lives through its year month by month
as a billing office would: each month's claims go out and are paid by the
teaching payers (:func:`medbill_lab.practice.cycle.run_cycle`), and the patients
pay what is left to them, each in their own way (most promptly, some in part,
some on a payment plan, a few not at all).  The claims of the last
:data:`IN_FLIGHT_DAYS` days are submitted but not yet answered, as they would be
on any real day, so every payer has claims in flight.

The result is what the Revenue cycle dashboard shows by default; its KPIs land
inside the typical ranges that :mod:`medbill_lab.practice.kpis` states
(``tests/practice/test_demo_practice.py`` checks several seeds).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import shutil
import sqlite3
import tempfile
from decimal import ROUND_UP, Decimal
from functools import cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from medbill_lab.datasets import datasets_dir
from medbill_lab.practice import cycle as revenue_cycle
from medbill_lab.practice import db as practice_db
from medbill_lab.practice import statements
from medbill_lab.practice import synthetic as practice_gen
from medbill_lab.practice.db import Patient, transaction

AS_OF = dt.date(2026, 7, 31)
IN_FLIGHT_DAYS = 28  # commercial payers often take about four weeks to answer a clean claim
PLAN_MINIMUM = Decimal(100)  # smaller balances are paid at once, not on a plan
# How patients pay what the insurers leave to them: (habit, share of patients)
HABITS = (("prompt", 0.88), ("partial", 0.05), ("plan", 0.06), ("none", 0.01))
# Days after the month's statement run that a patient pays, and the share of the balance
PAYS = {"prompt": (20, Decimal(1)), "plan": (20, Decimal(1)), "partial": (35, Decimal("0.5"))}


def month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    """The last day of each month from ``first``'s month while it is before ``last``,
    then ``last`` itself.

    >>> month_ends(dt.date(2025, 10, 1), dt.date(2025, 12, 17))
    [datetime.date(2025, 10, 31), datetime.date(2025, 11, 30), datetime.date(2025, 12, 17)]
    """
    out, day = [], first
    while True:
        end = statements.add_months(day.replace(day=1), 1) - dt.timedelta(days=1)
        if end >= last:
            return [*out, last]
        out.append(end)
        day = end + dt.timedelta(days=1)


def _habits(session: Session, rng: random.Random) -> dict[int, str]:
    names, weights = zip(*HABITS, strict=True)
    ids = session.scalars(select(Patient.id).order_by(Patient.id))
    return {pid: rng.choices(names, weights)[0] for pid in ids}


def _pay(session: Session, pid: int, amount: Decimal, owed: Decimal, on: dt.date) -> Decimal:
    """Post ``amount`` (at most ``owed``); what the patient owes afterwards."""
    amount = min(amount, owed).quantize(Decimal("0.01"))
    if amount > 0:
        statements.post_patient_payment(session, pid, amount, on=on, who="demo patient")
    return owed - max(amount, Decimal(0))


def _plan_installments(
    session: Session, pid: int, owed: Decimal, after: dt.date, upto: dt.date
) -> bool:
    """Pay the installments of the patient's plan due in (``after``, ``upto``];
    False when the patient has no plan."""
    plan = statements.latest_plan(session, pid)
    if plan is None:
        return False
    start = plan.at.date()
    for n in range(statements.installments_due(start, upto)):
        due = statements.add_months(start, n)
        if due > after:
            owed = _pay(session, pid, plan.amount, owed, due)
    return True


def _patients_pay(
    session: Session, habits: dict[int, str], after: dt.date, month_end: dt.date, as_of: dt.date
) -> None:
    """Each patient deals with what they owe after the month's remittances: plan
    installments fall due in (``after``, ``month_end``]; other payments come some
    days after the month's end, if that is not after ``as_of``."""
    totals = statements.patient_totals(session)
    for pid, habit in habits.items():
        owed = totals.get(pid, Decimal(0))
        if habit == "plan" and _plan_installments(session, pid, owed, after, month_end):
            continue
        if owed <= 0 or habit == "none":
            continue
        if habit == "plan" and owed >= PLAN_MINIMUM:
            monthly = (owed / 3).quantize(Decimal("1"), rounding=ROUND_UP)
            start = month_end + dt.timedelta(days=15)
            statements.payment_plan(session, pid, monthly, start, who="demo patient")
            continue
        days, share = PAYS[habit]
        on = month_end + dt.timedelta(days=days)
        if on <= as_of:
            _pay(session, pid, owed * share, owed, on)


def build(session: Session, seed: int = 2, patients: int = 40, as_of: dt.date = AS_OF) -> None:
    """Fill an empty practice database with a practice seen on ``as_of``.

    Visits from the fiscal year's start to ``as_of``; every month's claims
    submitted, adjudicated and posted, patients paying their shares; the last
    :data:`IN_FLIGHT_DAYS` days' claims submitted and awaiting their payers.
    The same arguments give the same rows.
    """
    year = as_of.year + (as_of.month >= 10)
    with transaction(session):  # all of it or nothing
        _build(session, seed, patients, year, as_of)


def _build(session: Session, seed: int, patients: int, year: int, as_of: dt.date) -> None:
    practice_gen.generate_practice(session, seed=seed, patients=patients, year=year, through=as_of)
    habits = _habits(session, random.Random(f"demo-habits-{seed}"))
    answered_through = as_of - dt.timedelta(days=IN_FLIGHT_DAYS)
    first = practice_gen.fiscal_year_days(year)[0]
    after = first - dt.timedelta(days=1)
    for month_end in month_ends(first, answered_through):
        revenue_cycle.run_cycle(session, through=month_end, trace_prefix=f"D{month_end:%y%m}")
        _patients_pay(session, habits, after, month_end, as_of)
        after = month_end
    totals = statements.patient_totals(session)
    for pid, habit in habits.items():  # installments falling due while claims are in flight
        if habit == "plan":
            _plan_installments(session, pid, totals.get(pid, Decimal(0)), after, as_of)
    revenue_cycle.bill_self_pay(session, through=as_of)
    revenue_cycle.submit_unclaimed(session, through=as_of)


@cache
def _fingerprint() -> str:
    """Changes whenever the package's code or its data change (a new demo is due);
    read once a process."""
    h = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        h.update(path.read_bytes())
    for path in sorted(datasets_dir().rglob("*")):
        if path.is_file():
            st = path.stat()
            h.update(f"{path.relative_to(datasets_dir())}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:16]


def _cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "medbill_lab"


def _build_file(path: Path, seed: int, patients: int, as_of: dt.date) -> None:
    practice_db.init_db(path)
    engine, factory = practice_db.open_practice(path)
    try:
        with factory() as session:
            build(session, seed=seed, patients=patients, as_of=as_of)
    finally:
        engine.dispose()


def _copy_sqlite(source: Path, target: Path) -> None:
    """Copy a SQLite database whole (its WAL included) with SQLite's backup API."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def demo_file(
    folder: str | os.PathLike[str], seed: int = 2, patients: int = 120, as_of: dt.date = AS_OF
) -> Path:
    """A demo practice database in ``folder`` (``demo-practice.sqlite``).

    Building one takes seconds, so a copy is kept in the user's cache
    (``~/.cache/medbill_lab``), keyed by the arguments and a fingerprint of the
    package's code and data; later calls copy it.  Without a usable cache it is
    built in ``folder`` directly.
    """
    Path(folder).mkdir(parents=True, exist_ok=True)
    target = Path(folder) / "demo-practice.sqlite"
    cached = _cache_dir() / f"demo-{seed}-{patients}-{as_of}-{_fingerprint()}.sqlite"
    if not cached.exists():
        try:  # best effort: a read-only home only means no cache
            cached.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=cached.parent) as tmp:
                built = Path(tmp) / "demo.sqlite"
                _build_file(built, seed, patients, as_of)
                _copy_sqlite(built, Path(tmp) / "copy.sqlite")
                os.replace(Path(tmp) / "copy.sqlite", cached)
            for stale in cached.parent.glob("demo-*.sqlite"):
                if stale.name.rsplit("-", 1)[-1] != cached.name.rsplit("-", 1)[-1]:
                    stale.unlink(missing_ok=True)  # left by an older version of the lab
        except OSError:
            _build_file(target, seed, patients, as_of)
            return target
    shutil.copyfile(cached, target)
    return target
