"""Patient statements, dunning, payment plans, discounts and bad debt (hand-built practice)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pdfplumber
import pytest
from billing_helpers import MEMBER_ID, build, generated, money_parts
from sqlalchemy import func, select

from medbill_lab.practice import statements
from medbill_lab.practice.db import AuditLog, CollectionAction, Patient, Statement

pytestmark = pytest.mark.practice_db  # run again on PostgreSQL by ./run-tests

AS_OF = dt.date(2026, 6, 1)


@pytest.fixture
def built(tmp_path):
    return build(tmp_path / "p.sqlite")


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 1
        return doc.pages[0].extract_text()


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def _invariant(parts: dict[str, Decimal]) -> bool:
    rest = parts["payments"] + parts["adjustments"] + parts["insurer"] + parts["patient"]
    return parts["charges"] == rest


def test_statement_pdf_shows_balance_masks_member_id_and_is_recorded(built):
    with built.factory() as session:
        text = _text(statements.statement_pdf(session, built.patient_id, AS_OF))
        row = session.scalars(select(Statement)).one()
    assert "Patient balance due: $20.00" in text
    assert "********4321" in text and MEMBER_ID not in text
    assert "ACC1001" in text and "REMITTANCE STUB" in text
    assert "91-120: $20.00" in text and "0-30: $0.00" in text  # March 2 is 91 days back
    assert "121+: $0.00" in text  # every bucket of the aging, the last one included
    assert row.balance == Decimal("20.00") and row.due_date == AS_OF + dt.timedelta(days=30)


def test_statement_lines_add_up(built):
    with built.factory() as session:
        lines = statements.statement_lines(session, built.patient_id)
    assert [line.balance for line in lines] == [Decimal(20), 0, 0]
    for line in lines:
        parts = line.insurance_paid + line.adjustments + line.patient_paid + line.pending
        assert line.charge == parts + line.balance


def test_dunning_progresses_every_30_days_and_is_idempotent(built):
    steps = []
    day = AS_OF
    with built.factory() as session:
        for offset in (0, 0, 29, 30, 60, 90, 120):
            day = AS_OF + dt.timedelta(days=offset)
            steps.append(statements.dunning(session, day).get(built.patient_id))
        actions = session.scalars(
            select(CollectionAction.action).order_by(CollectionAction.id)
        ).all()
        assert _count(session, Statement) == 4
    assert steps == [
        "first statement",
        None,
        None,
        "second statement",
        "final notice",
        "collections",
        None,
    ]
    assert actions == list(statements.STAGES)


def test_dunning_skips_patients_who_owe_nothing(built):
    with built.factory() as session:
        statements.write_off_to_collections(session, built.patient_id, "Acme", on=AS_OF)
        assert statements.dunning(session, AS_OF) == {}


@pytest.mark.parametrize("monthly", [Decimal(0), Decimal("-5")])
def test_payment_plan_rejects_non_positive_monthly(built, monthly):
    with built.factory() as session, pytest.raises(ValueError, match="more than 0"):
        statements.payment_plan(session, built.patient_id, monthly, AS_OF)


def test_payment_plan_must_cover_balance_within_limit(built):
    with built.factory() as session:
        with pytest.raises(ValueError, match="3 months"):
            statements.payment_plan(session, built.patient_id, Decimal(7), AS_OF, max_months=2)
        plan = statements.payment_plan(session, built.patient_id, Decimal(7), AS_OF, max_months=3)
        assert _count(session, CollectionAction) == 1
    assert plan == [(dt.date(2026, 6, 1), Decimal(7)), (dt.date(2026, 7, 1), Decimal(7)),
                    (dt.date(2026, 8, 1), Decimal(6))]  # fmt: skip


def test_discount_write_off_and_recovery_keep_the_money_invariant(built):
    with built.factory() as session:
        before = money_parts(session, built.patient_id)
        assert _invariant(before)
        assert statements.self_pay_discount(session, built.patient_id, Decimal(25), on=AS_OF) == 5
        after = money_parts(session, built.patient_id)
        assert after["patient"] == 15 and after["insurer"] == before["insurer"]
        assert _invariant(after)
        assert (
            statements.write_off_to_collections(session, built.patient_id, "Acme", on=AS_OF) == 15
        )
        written = money_parts(session, built.patient_id)
        assert written["patient"] == 0 and _invariant(written)
        statements.recover_bad_debt(session, built.patient_id, Decimal(10), on=AS_OF)
        recovered = money_parts(session, built.patient_id)
        assert recovered["payments"] == before["payments"] + 10
        assert recovered["patient"] == 0 and _invariant(recovered)
        with pytest.raises(ValueError, match=r"more than the \$5\.00 written off"):
            statements.recover_bad_debt(session, built.patient_id, Decimal(6), on=AS_OF)
        audits = session.scalars(select(AuditLog.action)).all()
    assert {"self_pay_discount", "write_off_bad_debt", "recover_bad_debt"} <= set(audits)


def test_failed_operation_writes_nothing(built):
    with built.factory() as session:
        before = _count(session, AuditLog)
        with pytest.raises(ValueError):
            statements.self_pay_discount(session, built.patient_id, Decimal(101))
        with pytest.raises(ValueError):
            statements.recover_bad_debt(session, built.patient_id, Decimal(1))
        assert _count(session, AuditLog) == before


def test_generated_practice_dunning_and_statements(tmp_path):
    factory = generated(tmp_path / "g.sqlite")
    with factory() as session:
        owing = {
            p.id: statements.patient_total(session, p.id)
            for p in session.scalars(select(Patient).order_by(Patient.id))
        }
        owing = {pid: total for pid, total in owing.items() if total > 0}
        assert owing  # the 835s left patient responsibility
        assert statements.dunning(session, AS_OF) == dict.fromkeys(owing, "first statement")
        pid, total = next(iter(owing.items()))
        patient = session.get(Patient, pid)
        member = patient.policies[0].member_id
        text = _text(statements.statement_pdf(session, pid, AS_OF))
        parts = money_parts(session, pid)
    assert f"Patient balance due: ${total:,.2f}" in text
    assert member not in text and member[-4:] in text
    assert _invariant(parts)


def test_a_patient_keeping_up_with_a_plan_is_not_dunned_until_they_fall_behind(built):
    july, august = dt.date(2026, 7, 1), dt.date(2026, 8, 1)
    with built.factory() as session:
        assert statements.dunning(session, AS_OF)[built.patient_id] == "first statement"
        statements.payment_plan(session, built.patient_id, Decimal(5), AS_OF)  # $20: 4 x $5
        for day in (AS_OF, july):
            statements.post_patient_payment(session, built.patient_id, Decimal(5), on=day)
        # 30 days after the first statement a second would be due, but the plan is kept
        assert statements.plan_status(session, built.patient_id, july) == "current"
        assert statements.dunning(session, july) == {}
        # the August installment is missed: dunning resumes where it stood
        assert statements.plan_status(session, built.patient_id, august) == "behind"
        assert statements.dunning(session, august)[built.patient_id] == "second statement"
        with pytest.raises(ValueError, match="more than the"):
            statements.post_patient_payment(session, built.patient_id, Decimal(11), on=august)
        statements.post_patient_payment(session, built.patient_id, Decimal(10), on=august)
        assert statements.patient_total(session, built.patient_id) == 0


# -- a statement run commits what it reports -----------------------------------------------
def _audits(session, action: str) -> int:
    query = select(func.count()).select_from(AuditLog).where(AuditLog.action == action)
    return session.scalar(query)


def _rows(factory) -> dict[str, int]:
    """Statement, collection and audit rows, read in a new session (what was committed)."""
    with factory() as session:
        return {
            "statements": _count(session, Statement),
            "collections": _count(session, CollectionAction),
            "statement audits": _audits(session, "statement"),
            "dunning audits": _audits(session, "dunning"),
        }


def test_statement_pdf_in_a_fresh_session_is_committed(built):
    with built.factory() as session:
        statements.statement_pdf(session, built.patient_id, AS_OF)
    assert _rows(built.factory)["statements"] == 1 and _rows(built.factory)["statement audits"] == 1


def test_run_statements_commits_and_a_second_run_the_same_day_changes_nothing(built):
    with built.factory() as session:
        first = statements.run_statements(session, AS_OF)
    assert [(i.patient_id, i.stage, i.balance) for i in first.issued] == [
        (built.patient_id, "first statement", Decimal("20.00"))
    ]
    assert first.issued[0].pdf.startswith(b"%PDF") and first.steps() == {"first statement": 1}
    after_first = _rows(built.factory)
    assert after_first == {
        "statements": 1,
        "collections": 1,
        "statement audits": 1,
        "dunning audits": 1,
    }
    with built.factory() as session:
        again = statements.run_statements(session, AS_OF)
    assert again.issued == [] and again.steps() == {} and again.already_issued == 1
    assert _rows(built.factory) == after_first
    with built.factory() as session:
        assert statements.dunning(session, AS_OF) == {}  # the cycle knows the step was taken
    later = AS_OF + dt.timedelta(days=30)
    with built.factory() as session:
        next_run = statements.run_statements(session, later)
    assert next_run.steps() == {"second statement": 1} and next_run.already_issued == 0
    assert _rows(built.factory)["collections"] == 2
    with built.factory() as session:
        early = statements.run_statements(session, later + dt.timedelta(days=29))
    assert early.issued == []  # the final notice is not due for 30 days


def test_a_failed_delivery_writes_nothing(built):
    def broken(item):
        raise OSError("disk full")

    with built.factory() as session, pytest.raises(OSError):
        statements.run_statements(session, AS_OF, deliver=broken)
    assert _rows(built.factory) == {
        "statements": 0,
        "collections": 0,
        "statement audits": 0,
        "dunning audits": 0,
    }


def test_a_patient_on_a_plan_gets_a_statement_but_no_dunning(built):
    with built.factory() as session:
        statements.payment_plan(session, built.patient_id, Decimal(5), AS_OF)
        statements.post_patient_payment(session, built.patient_id, Decimal(5), on=AS_OF)
    with built.factory() as session:
        run = statements.run_statements(session, AS_OF)
    assert run.steps() == {statements.PLAN_STATEMENT: 1}
    assert run.issued[0].balance == Decimal("15.00")
    rows = _rows(built.factory)
    assert rows["dunning audits"] == 0 and rows["statements"] == 1
    with built.factory() as session:
        assert statements.run_statements(session, AS_OF + dt.timedelta(days=20)).issued == []


def test_cli_statements_commit_and_rerun_the_same_day_sends_nothing_new(tmp_path, run_cli):
    from medbill_lab.practice import db as practice_db

    path = tmp_path / "g.sqlite"
    factory = generated(path)
    with factory() as session:
        owing = [
            p.account
            for p in session.scalars(select(Patient).order_by(Patient.id))
            if statements.patient_total(session, p.id) > 0
        ]
    assert owing
    db = practice_db.database_url(path).render_as_string(hide_password=False)
    out = tmp_path / "out"
    args = ("practice", "statements", "--db", db, "--out", str(out), "--as-of")
    first = run_cli(*args, AS_OF.isoformat())
    assert first.returncode == 0, first.stderr
    assert f"Wrote {len(owing)} statement PDF(s)" in first.stdout
    assert f"dunning: first statement: {len(owing)}" in first.stdout
    assert sorted(f.name for f in out.glob("*.pdf")) == sorted(f"statement-{a}.pdf" for a in owing)
    rows = _rows(factory)
    assert rows["statements"] == rows["collections"] == rows["statement audits"] == len(owing)
    again = run_cli(*args, AS_OF.isoformat())
    assert again.returncode == 0, again.stderr
    assert "Wrote 0 statement PDF(s)" in again.stdout and "dunning: no new steps" in again.stdout
    assert f"{len(owing)} patient(s) already had a statement dated {AS_OF}" in again.stdout
    assert _rows(factory) == rows
    later = run_cli(*args, (AS_OF + dt.timedelta(days=30)).isoformat())
    assert later.returncode == 0, later.stderr
    assert f"dunning: second statement: {len(owing)}" in later.stdout
    assert _rows(factory)["collections"] == 2 * len(owing)
    verify = run_cli("practice", "audit", "verify", "--db", db)
    assert verify.returncode == 0, verify.stdout + verify.stderr
