"""Patient statements, the dunning cycle, payment plans, discounts and bad debt.

Balances follow :mod:`medbill_lab.practice.posting`: a charge's patient balance is its
PR adjustments less patient payments.  Moves that change what the patient owes
without money (a self-pay discount, a bad-debt write-off) are posted as a
*transfer* of two adjustment rows on the charge: ``PR -x`` (the patient owes x
less) and ``OA`` with an internal reason code (``SPD`` self-pay discount,
``BDW`` bad-debt write-off) ``+x``.  The insurer balance is unchanged and the
money invariant holds: charge = payments + non-PR adjustments + insurer balance
+ patient balance.  Each operation is one transaction with an audit row.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from reportlab.lib.pagesizes import letter as US_LETTER
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from medbill_lab.compliance.masking import mask_member_id
from medbill_lab.practice.aging import BUCKETS, bucket
from medbill_lab.practice.db import (
    Adjustment,
    Charge,
    CollectionAction,
    Encounter,
    Patient,
    Payment,
    Practice,
    Statement,
    audit,
    transaction,
)
from medbill_lab.practice.posting import line_balance, patient_balance

ZERO = Decimal(0)
CENT = Decimal("0.01")
DISCOUNT_CARC = "SPD"
BAD_DEBT_CARC = "BDW"
STAGES = ("first statement", "second statement", "final notice", "collections")
STAGE_DAYS = 30
PAGE_W, PAGE_H = US_LETTER


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _patient(session: Session, patient_id: int) -> Patient:
    patient = session.get(Patient, patient_id)
    if patient is None:
        raise LookupError(f"no patient with id {patient_id}")
    return patient


def patient_charges(session: Session, patient_id: int) -> list[Charge]:
    """A patient's charges, oldest date of service first."""
    query = (
        select(Charge)
        .join(Encounter)
        .where(Encounter.patient_id == patient_id)
        .order_by(Encounter.date_of_service, Charge.id)
    )
    return list(session.scalars(query))


def patient_total(session: Session, patient_id: int) -> Decimal:
    """What the patient owes over all charges (sum of :func:`patient_balance`)."""
    return sum((patient_balance(session, c.id) for c in patient_charges(session, patient_id)), ZERO)


def patient_totals(session: Session) -> dict[int, Decimal]:
    """What every patient owes (:func:`patient_total` for all of them, in two queries);
    patients who never owed anything are left out."""
    owed: dict[int, Decimal] = {}
    parts = (
        (Adjustment.amount, Adjustment.charge_id, Adjustment.group_code == "PR", 1),
        (Payment.amount, Payment.charge_id, Payment.source == "patient", -1),
    )
    for column, charge_id, where, sign in parts:
        query = (
            select(Encounter.patient_id, func.sum(column))
            .join(Charge, Charge.encounter_id == Encounter.id)
            .where(charge_id == Charge.id, where)
            .group_by(Encounter.patient_id)
        )
        for pid, total in session.execute(query):
            owed[pid] = owed.get(pid, ZERO) + sign * Decimal(total)
    return owed


# =================================================================================
# The statement
# =================================================================================
@dataclass
class StatementLine:
    """One service on a statement; ``pending`` is still with the insurer."""

    day: dt.date
    code: str
    charge: Decimal
    insurance_paid: Decimal
    adjustments: Decimal
    patient_paid: Decimal
    pending: Decimal
    balance: Decimal


def _sum(session: Session, column: object, *where: object) -> Decimal:
    query = select(func.coalesce(func.sum(column), 0)).where(*where)  # type: ignore[call-overload]
    return Decimal(session.scalar(query))


def statement_lines(session: Session, patient_id: int) -> list[StatementLine]:
    """The itemized services of a patient's statement, oldest first."""
    rows = []
    for c in patient_charges(session, patient_id):
        ins = _sum(session, Payment.amount, Payment.charge_id == c.id, Payment.source == "payer")
        pat = _sum(session, Payment.amount, Payment.charge_id == c.id, Payment.source == "patient")
        adj = _sum(
            session, Adjustment.amount, Adjustment.charge_id == c.id, Adjustment.group_code != "PR"
        )
        rows.append(
            StatementLine(
                c.encounter.date_of_service,
                c.code,
                c.amount,
                ins,
                adj,
                pat,
                line_balance(session, c.id),
                patient_balance(session, c.id),
            )
        )
    return rows


def aging(lines: Sequence[StatementLine], as_of: dt.date) -> dict[str, Decimal]:
    """The patient balance by age of the service (days from the date of service)."""
    buckets = dict.fromkeys(BUCKETS, ZERO)
    for line in lines:
        buckets[bucket((as_of - line.day).days)] += line.balance
    return buckets


def _money(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def _header(
    canvas: Canvas, practice: Practice, patient: Patient, member: str, as_of: dt.date
) -> float:
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(50, 750, practice.name)
    canvas.setFont("Helvetica", 9)
    canvas.drawString(
        50,
        737,
        f"{practice.street}, {practice.city}, {practice.state} {practice.zip}  Phone {practice.phone}",
    )
    canvas.setFont("Helvetica-Bold", 12)
    canvas.drawRightString(562, 750, "PATIENT STATEMENT")
    canvas.setFont("Helvetica", 9)
    canvas.drawRightString(562, 737, f"Statement date {as_of:%m/%d/%Y}")
    who = patient.guarantor or patient
    y = 710.0
    for text in (f"{who.first} {who.last}", who.street, f"{who.city}, {who.state} {who.zip}"):
        canvas.drawString(50, y, text)
        y -= 12
    canvas.drawString(330, 710, f"Patient: {patient.first} {patient.last}")
    canvas.drawString(330, 698, f"Account number: {patient.account}")
    canvas.drawString(330, 686, f"Member ID: {member}")
    return 660.0


COLUMNS = ((50, "Date"), (110, "Code"), (210, "Charge"), (280, "Ins. paid"),
           (350, "Adjusted"), (420, "You paid"), (490, "Ins. pending"), (562, "You owe"))  # fmt: skip


def _items(canvas: Canvas, lines: Sequence[StatementLine], y: float) -> float:
    canvas.setFont("Helvetica-Bold", 9)
    for x, title in COLUMNS:
        (canvas.drawString if x < 200 else canvas.drawRightString)(x, y, title)
    canvas.setFont("Helvetica", 9)
    for line in lines[:28]:
        y -= 13
        canvas.drawString(50, y, f"{line.day:%m/%d/%Y}")
        canvas.drawString(110, y, line.code)
        amounts = (
            line.charge,
            line.insurance_paid,
            line.adjustments,
            line.patient_paid,
            line.pending,
            line.balance,
        )
        for (x, _), amount in zip(COLUMNS[2:], amounts, strict=True):
            canvas.drawRightString(x, y, _money(amount))
    if len(lines) > 28:
        y -= 13
        canvas.drawString(
            50, y, f"... and {len(lines) - 28} more services (ask for a full itemization)"
        )
    return y - 24


def _totals(
    canvas: Canvas, buckets: dict[str, Decimal], total: Decimal, due: dt.date, y: float
) -> float:
    canvas.setFont("Helvetica-Bold", 10)
    canvas.drawString(50, y, "Aging of your balance (days since service):")
    canvas.setFont("Helvetica", 9)
    text = "   ".join(f"{label}: {_money(amount)}" for label, amount in buckets.items())
    canvas.drawString(50, y - 14, text)
    canvas.setFont("Helvetica-Bold", 12)
    canvas.drawString(50, y - 36, f"Patient balance due: {_money(total)}")
    canvas.drawString(330, y - 36, f"Please pay by {due:%m/%d/%Y}")
    return y - 60


def _stub(
    canvas: Canvas, practice: Practice, patient: Patient, total: Decimal, due: dt.date
) -> None:
    canvas.setDash(4, 3)
    canvas.line(40, 150, 572, 150)
    canvas.setDash()
    canvas.setFont("Helvetica", 8)
    canvas.drawString(50, 154, "Detach and return this stub with your payment")
    canvas.setFont("Helvetica-Bold", 11)
    canvas.drawString(50, 130, "REMITTANCE STUB")
    canvas.setFont("Helvetica", 10)
    canvas.drawString(50, 114, f"Account number: {patient.account}")
    canvas.drawString(50, 100, f"Patient: {patient.first} {patient.last}")
    canvas.drawString(50, 86, f"Amount due: {_money(total)}   Due by {due:%m/%d/%Y}")
    canvas.drawString(50, 72, "Amount enclosed: $______________")
    canvas.drawString(330, 114, "Make checks payable to:")
    canvas.drawString(330, 100, practice.name)
    canvas.drawString(330, 86, practice.street)
    canvas.drawString(330, 72, f"{practice.city}, {practice.state} {practice.zip}")


def _render(
    session: Session, patient: Patient, as_of: dt.date, due: dt.date
) -> tuple[bytes, Decimal]:
    practice = session.scalars(select(Practice).order_by(Practice.id)).first()
    if practice is None:
        raise LookupError("the practice is not set up")
    lines = statement_lines(session, patient.id)
    total = sum((line.balance for line in lines), ZERO)
    # minimum necessary: the member ID is printed masked, never in full (the lab keeps no SSN)
    member = mask_member_id(patient.policies[0].member_id) if patient.policies else "self-pay"
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=US_LETTER, invariant=True)
    canvas.setTitle(f"Statement {patient.account} {as_of.isoformat()}")
    y = _items(canvas, lines, _header(canvas, practice, patient, member, as_of))
    _totals(canvas, aging(lines, as_of), total, due, y)
    _stub(canvas, practice, patient, total, due)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue(), total


def _record_statement(
    session: Session, patient: Patient, as_of: dt.date, balance: Decimal, message: str
) -> Statement:
    row = Statement(
        patient_id=patient.id,
        guarantor_id=patient.guarantor_id,
        statement_date=as_of,
        due_date=as_of + dt.timedelta(days=STAGE_DAYS),
        balance=balance,
        message=message,
    )
    session.add(row)
    session.flush()
    return row


def statement_pdf(
    session: Session, patient_id: int, as_of: dt.date, *, who: str = "biller", message: str = ""
) -> bytes:
    """A one-page patient statement as PDF bytes, recorded as a Statement row.

    Shows the practice, the guarantor's address, the account number, the member
    ID masked to its last four characters, each service with its charge,
    insurance payments, adjustments and what the patient owes, the aging of the
    patient balance, the amount due and a tear-off remittance stub.
    """
    due = as_of + dt.timedelta(days=STAGE_DAYS)
    with transaction(session):  # reads too: a fresh session's transaction is committed
        patient = _patient(session, patient_id)
        pdf, total = _render(session, patient, as_of, due)
        row = _record_statement(session, patient, as_of, total, message)
        audit(session, "statement", "statements", row.id, who=who, detail=f"balance {total}")
        session.flush()
    return pdf


# =================================================================================
# Dunning
# =================================================================================
def _last_stage(session: Session, patient_id: int) -> CollectionAction | None:
    query = select(CollectionAction).where(
        CollectionAction.patient_id == patient_id, CollectionAction.action.in_(STAGES)
    )
    return session.scalars(
        query.order_by(CollectionAction.at.desc(), CollectionAction.id.desc())
    ).first()


def next_stage(last: str | None, last_on: dt.date | None, as_of: dt.date) -> str | None:
    """The dunning step due on ``as_of`` after ``last`` (sent on ``last_on``), if any.

    >>> next_stage(None, None, dt.date(2026, 1, 1))
    'first statement'
    >>> next_stage("first statement", dt.date(2026, 1, 1), dt.date(2026, 1, 30)) is None
    True
    >>> next_stage("first statement", dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    'second statement'
    """
    if last is None or last_on is None:
        return STAGES[0]
    if last == STAGES[-1] or (as_of - last_on).days < STAGE_DAYS:
        return None
    return STAGES[STAGES.index(last) + 1]


def _due_stage(session: Session, patient: Patient, balance: Decimal, as_of: dt.date) -> str | None:
    """The dunning step due for a patient on ``as_of``, or None."""
    if balance <= 0 or plan_status(session, patient.id, as_of) == "current":
        return None  # nothing owed, or paying as agreed: no dunning
    last = _last_stage(session, patient.id)
    if last is not None and last.at.date() >= as_of:
        return None  # already worked on (or after) this date: idempotent
    return next_stage(last.action if last else None, last.at.date() if last else None, as_of)


def _take_step(
    session: Session, patient: Patient, as_of: dt.date, balance: Decimal, stage: str, who: str
) -> Statement:
    """Record one dunning step: its statement, the collection action and an audit row."""
    at = dt.datetime.combine(as_of, dt.time())
    statement = _record_statement(session, patient, as_of, balance, stage)
    session.add(
        CollectionAction(
            patient_id=patient.id,
            statement_id=statement.id,
            action=stage,
            at=at,
            amount=balance,
            note=f"dunning {as_of.isoformat()}",
        )
    )
    audit(
        session,
        "dunning",
        "collection_actions",
        None,
        who=who,
        at=at,
        detail=f"patient {patient.id}: {stage}, balance {balance}",
    )
    return statement


def _dun_one(session: Session, patient: Patient, as_of: dt.date, who: str) -> str | None:
    balance = patient_total(session, patient.id)
    stage = _due_stage(session, patient, balance, as_of)
    if stage is not None:
        _take_step(session, patient, as_of, balance, stage, who)
    return stage


def dunning(session: Session, as_of: dt.date, *, who: str = "biller") -> dict[int, str]:
    """Run the dunning cycle on ``as_of``; returns {patient id: step taken}.

    For each patient who owes money: a first statement, a second statement 30
    days after the first, a final notice 30 days after that, and collections 30
    days after the final notice.  A patient keeping up with a payment plan
    (:func:`plan_status` ``current``) is skipped; one who falls behind is dunned
    again from where the cycle stood.  Each step is a Statement and a
    CollectionAction row.  Running again for the same date does nothing more.
    """
    taken: dict[int, str] = {}
    with transaction(session):
        for patient in session.scalars(select(Patient).order_by(Patient.id)):
            stage = _dun_one(session, patient, as_of, who)
            if stage:
                taken[patient.id] = stage
        session.flush()
    return taken


# =================================================================================
# A statement run: the PDFs and the dunning steps of one day, committed together
# =================================================================================
PLAN_STATEMENT = "payment plan statement"


@dataclass
class IssuedStatement:
    """One statement a run issued: whose, which step, the balance, the PDF."""

    patient_id: int
    account: str
    stage: str  # a dunning step (STAGES) or PLAN_STATEMENT
    balance: Decimal
    pdf: bytes

    @property
    def file_name(self) -> str:
        """``statement-<account>.pdf``."""
        return f"statement-{self.account}.pdf"


@dataclass
class StatementRun:
    """What :func:`run_statements` did on one day."""

    as_of: dt.date
    issued: list[IssuedStatement]
    already_issued: int  # patients who already had a statement dated ``as_of``

    def steps(self) -> dict[str, int]:
        """New statements by step, e.g. ``{"first statement": 3}``."""
        counts: dict[str, int] = {}
        for item in self.issued:
            counts[item.stage] = counts.get(item.stage, 0) + 1
        return dict(sorted(counts.items()))


def _issued_on(session: Session, as_of: dt.date) -> set[int]:
    query = select(Statement.patient_id).where(Statement.statement_date == as_of)
    return set(session.scalars(query))


def _plan_statement_due(session: Session, patient: Patient, as_of: dt.date) -> bool:
    """A patient paying as agreed gets a statement (no dunning) every 30 days."""
    if plan_status(session, patient.id, as_of) != "current":
        return False
    last = session.scalar(
        select(func.max(Statement.statement_date)).where(Statement.patient_id == patient.id)
    )
    return last is None or (as_of - last).days >= STAGE_DAYS


def _issue(session: Session, patient: Patient, as_of: dt.date, who: str) -> IssuedStatement | None:
    balance = patient_total(session, patient.id)
    if balance <= 0:
        return None
    stage = _due_stage(session, patient, balance, as_of)
    if stage is None and not _plan_statement_due(session, patient, as_of):
        return None
    due = as_of + dt.timedelta(days=STAGE_DAYS)
    pdf, total = _render(session, patient, as_of, due)
    if stage is not None:
        row = _take_step(session, patient, as_of, total, stage, who)
    else:
        stage, row = (
            PLAN_STATEMENT,
            _record_statement(session, patient, as_of, total, PLAN_STATEMENT),
        )
    # the PDF shows the patient's PHI: its issue is an audited view of the record
    audit(session, "statement", "statements", row.id, who=who, detail=f"{stage}, balance {total}")
    return IssuedStatement(patient.id, patient.account, stage, total, pdf)


def run_statements(
    session: Session,
    as_of: dt.date,
    *,
    who: str = "biller",
    deliver: Callable[[IssuedStatement], None] | None = None,
) -> StatementRun:
    """Issue the day's patient statements and dunning steps, in ONE transaction.

    For each patient who owes money: the dunning step due on ``as_of``
    (:func:`dunning`'s cycle: first statement, second, final notice,
    collections, 30 days apart), or, for a patient keeping up with a payment
    plan, a plain statement every 30 days.  Each issued statement is a PDF, a
    Statement row, an audit row (a view of the patient's PHI) and, for a
    dunning step, a CollectionAction.  ``deliver`` is called with each one
    inside the transaction (the CLI writes the file there), so a failure to
    deliver writes nothing.  A patient who already has a statement dated
    ``as_of`` gets nothing new: running twice on the same day changes nothing.

    Commits when the session had no open transaction, else works in a
    SAVEPOINT of the caller's transaction (the caller commits).
    """
    issued: list[IssuedStatement] = []
    with transaction(session):
        done = _issued_on(session, as_of)
        for patient in session.scalars(select(Patient).order_by(Patient.id)).all():
            if patient.id in done:
                continue
            item = _issue(session, patient, as_of, who)
            if item is not None:
                if deliver is not None:
                    deliver(item)
                issued.append(item)
        already = sum(1 for pid in done if patient_total(session, pid) > 0)
        session.flush()
    return StatementRun(as_of, issued, already)


# =================================================================================
# Payment plans, discounts, bad debt
# =================================================================================
def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, clamped to the month's last day.

    >>> add_months(dt.date(2026, 1, 31), 1)
    datetime.date(2026, 2, 28)
    """
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def plan_schedule(
    balance: Decimal, monthly: Decimal, start: dt.date
) -> list[tuple[dt.date, Decimal]]:
    """Installments of ``monthly`` from ``start``, the last one the remainder.

    >>> [str(a) for _, a in plan_schedule(Decimal("250"), Decimal("100"), dt.date(2026, 1, 5))]
    ['100', '100', '50']
    """
    schedule, left, n = [], balance, 0
    while left > 0:
        amount = min(monthly, left)
        schedule.append((add_months(start, n), amount))
        left, n = left - amount, n + 1
    return schedule


def payment_plan(
    session: Session,
    patient_id: int,
    monthly: Decimal,
    start: dt.date,
    *,
    max_months: int = 12,
    who: str = "biller",
) -> list[tuple[dt.date, Decimal]]:
    """Set up a monthly payment plan for the patient's balance; returns the schedule.

    ``ValueError`` when ``monthly`` is not positive, the patient owes nothing, or
    the plan would take more than ``max_months`` months.  Records a
    ``payment plan`` CollectionAction and an audit row.
    """
    monthly = Decimal(monthly)
    if monthly <= 0:
        raise ValueError(f"the monthly payment must be more than 0, not {monthly}")
    with transaction(session):  # the reads too, so a fresh session's work is committed
        patient = _patient(session, patient_id)
        balance = patient_total(session, patient_id)
        if balance <= 0:
            raise ValueError(f"patient {patient_id} owes nothing; no plan needed")
        schedule = plan_schedule(balance, monthly, start)
        if len(schedule) > max_months:
            raise ValueError(
                f"${monthly}/month takes {len(schedule)} months to pay ${balance}; the limit "
                f"is {max_months} (at least ${(balance / max_months).quantize(CENT)}/month)"
            )
        at = dt.datetime.combine(start, dt.time())
        session.add(
            CollectionAction(
                patient_id=patient.id,
                action="payment plan",
                at=at,
                amount=monthly,
                note=f"{len(schedule)} payments from {start.isoformat()}, balance {balance}",
            )
        )
        audit(
            session,
            "payment_plan",
            "collection_actions",
            None,
            who=who,
            detail=f"patient {patient_id}: ${monthly}/month x {len(schedule)}",
        )
        session.flush()
    return schedule


def latest_plan(session: Session, patient_id: int) -> CollectionAction | None:
    """The patient's most recent payment plan (a ``payment plan`` collection action)."""
    query = select(CollectionAction).where(
        CollectionAction.patient_id == patient_id, CollectionAction.action == "payment plan"
    )
    return session.scalars(
        query.order_by(CollectionAction.at.desc(), CollectionAction.id.desc())
    ).first()


def installments_due(start: dt.date, as_of: dt.date) -> int:
    """How many monthly installments from ``start`` fall due on or before ``as_of``.

    >>> [installments_due(dt.date(2026, 1, 5), d) for d in (dt.date(2026, 1, 4), dt.date(2026, 1, 5), dt.date(2026, 3, 5))]
    [0, 1, 3]
    """
    n = 0
    while add_months(start, n) <= as_of:
        n += 1
    return n


def plan_status(session: Session, patient_id: int, as_of: dt.date) -> str | None:
    """``current`` when the patient's payments since their latest payment plan began
    cover every installment due by ``as_of``, ``behind`` when not, None without a plan."""
    plan = latest_plan(session, patient_id)
    if plan is None:
        return None
    start = plan.at.date()
    due = plan.amount * installments_due(start, as_of)
    query = select(func.coalesce(func.sum(Payment.amount), 0)).where(
        Payment.patient_id == patient_id,
        Payment.source == "patient",
        Payment.received_on >= start,
        Payment.received_on <= as_of,
    )
    return "current" if Decimal(session.scalar(query)) >= due else "behind"


def allocate(
    amount: Decimal, limits: Sequence[tuple[Charge, Decimal]]
) -> list[tuple[Charge, Decimal]]:
    """Split ``amount`` over charges in order, each taking at most its limit.

    >>> c1, c2 = Charge(id=1), Charge(id=2)
    >>> [(c.id, str(a)) for c, a in allocate(Decimal("30"), [(c1, Decimal("20")), (c2, Decimal("25"))])]
    [(1, '20'), (2, '10')]
    """
    out, left = [], amount
    for charge, limit in limits:
        part = min(left, limit)
        if part > 0:
            out.append((charge, part))
            left -= part
    return out


def post_patient_payment(
    session: Session,
    patient_id: int,
    amount: Decimal,
    *,
    on: dt.date,
    method: str = "card",
    who: str = "front desk",
) -> Decimal:
    """Post a patient's payment to their open balances, oldest charge first.

    ``ValueError`` for a non-positive amount or more than the patient owes.
    One transaction with an audit row; returns the amount posted.
    """
    amount = Decimal(amount)
    if amount <= 0:
        raise ValueError(f"the payment must be more than 0, not {amount}")
    with transaction(session):
        owed = [(c, patient_balance(session, c.id)) for c in patient_charges(session, patient_id)]
        total = sum((b for _, b in owed), ZERO)
        if amount > total:
            raise ValueError(f"${amount} is more than the ${total} patient {patient_id} owes")
        for charge, part in allocate(amount, owed):
            session.add(
                Payment(
                    source="patient",
                    charge_id=charge.id,
                    patient_id=patient_id,
                    method=method[:10],
                    amount=part,
                    received_on=on,
                )
            )
        audit(
            session,
            "patient_payment",
            "patients",
            patient_id,
            who=who,
            detail=f"${amount} {method}",
        )
        session.flush()
    return amount


def _transfer(session: Session, charge: Charge, amount: Decimal, carc: str, day: dt.date) -> None:
    """Move ``amount`` of a charge's patient share to an OA ``carc`` adjustment."""
    for group, signed in (("PR", -amount), ("OA", amount)):
        session.add(
            Adjustment(
                charge_id=charge.id, group_code=group, carc=carc, amount=signed, posted_on=day
            )
        )


def self_pay_discount(
    session: Session,
    patient_id: int,
    percent: Decimal,
    *,
    reason: str = "self-pay discount",
    on: dt.date | None = None,
    who: str = "biller",
) -> Decimal:
    """Discount every open patient balance by ``percent``; returns the total discount.

    Posted as OA ``SPD`` adjustments (see the module notes) with ``reason`` in the
    audit row.  ``ValueError`` for a percent outside (0, 100] or nothing owed.
    """
    percent = Decimal(percent)
    if not 0 < percent <= 100:
        raise ValueError(f"the discount must be more than 0 and at most 100 percent, not {percent}")
    day = on or dt.date.today()
    total = ZERO
    with transaction(session):
        _patient(session, patient_id)
        for charge in patient_charges(session, patient_id):
            owed = patient_balance(session, charge.id)
            cut = (owed * percent / 100).quantize(CENT, ROUND_HALF_UP)
            if owed > 0 and cut > 0:
                _transfer(session, charge, cut, DISCOUNT_CARC, day)
                total += cut
        if total == 0:
            raise ValueError(f"patient {patient_id} owes nothing to discount")
        audit(
            session,
            "self_pay_discount",
            "patients",
            patient_id,
            who=who,
            detail=f"{percent}% = ${total}: {reason}",
        )
        session.flush()
    return total


def write_off_to_collections(
    session: Session,
    patient_id: int,
    agency: str,
    *,
    on: dt.date | None = None,
    who: str = "biller",
) -> Decimal:
    """Write the patient's whole balance off as bad debt and place it with ``agency``.

    OA ``BDW`` adjustments per charge, a ``sent to agency`` CollectionAction (the
    account's collections status) and an audit row; returns the amount.
    """
    if not agency.strip():
        raise ValueError("name the collection agency")
    day = on or dt.date.today()
    total = ZERO
    with transaction(session):
        _patient(session, patient_id)
        for charge in patient_charges(session, patient_id):
            owed = patient_balance(session, charge.id)
            if owed > 0:
                _transfer(session, charge, owed, BAD_DEBT_CARC, day)
                total += owed
        if total == 0:
            raise ValueError(f"patient {patient_id} owes nothing to write off")
        session.add(
            CollectionAction(
                patient_id=patient_id,
                action="sent to agency",
                amount=total,
                at=dt.datetime.combine(day, dt.time()),
                note=agency,
            )
        )
        audit(
            session,
            "write_off_bad_debt",
            "patients",
            patient_id,
            who=who,
            detail=f"${total} to {agency}",
        )
        session.flush()
    return total


def written_off(session: Session, charge_id: int) -> Decimal:
    """The bad debt still written off on a charge (write-offs less recoveries)."""
    return _sum(
        session,
        Adjustment.amount,
        Adjustment.charge_id == charge_id,
        Adjustment.group_code == "OA",
        Adjustment.carc == BAD_DEBT_CARC,
    )


def recover_bad_debt(
    session: Session,
    patient_id: int,
    amount: Decimal,
    *,
    on: dt.date | None = None,
    who: str = "biller",
) -> Decimal:
    """Post money recovered on written-off debt, oldest charge first.

    Per charge: the write-off is reversed by the amount (``OA BDW -a``, ``PR +a``)
    and a patient payment of ``a`` (method ``agency``) pays it, so the balance
    stays 0.  ``ValueError`` for a non-positive amount or more than is written off.
    """
    amount = Decimal(amount)
    if amount <= 0:
        raise ValueError(f"the recovered amount must be more than 0, not {amount}")
    day = on or dt.date.today()
    with transaction(session):
        charges = [(c, written_off(session, c.id)) for c in patient_charges(session, patient_id)]
        open_debt = sum((w for _, w in charges), ZERO)
        if amount > open_debt:
            raise ValueError(f"${amount} is more than the ${open_debt} written off")
        for charge, part in allocate(amount, charges):
            for group, signed in (("OA", -part), ("PR", part)):
                session.add(
                    Adjustment(
                        charge_id=charge.id,
                        group_code=group,
                        carc=BAD_DEBT_CARC,
                        amount=signed,
                        posted_on=day,
                    )
                )
            session.add(
                Payment(
                    source="patient",
                    charge_id=charge.id,
                    patient_id=patient_id,
                    method="agency",
                    amount=part,
                    received_on=day,
                )
            )
        session.add(
            CollectionAction(
                patient_id=patient_id,
                action="bad debt recovery",
                amount=amount,
                at=dt.datetime.combine(day, dt.time()),
            )
        )
        audit(session, "recover_bad_debt", "patients", patient_id, who=who, detail=f"${amount}")
        session.flush()
    return amount
