"""The access audit log: append-only, hash-chained, and a verify that finds tampering."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from medbill_lab.practice import audit
from medbill_lab.practice import db as practice_db
from medbill_lab.practice import synthetic as practice_gen
from medbill_lab.practice.db import AuditLog, Patient

pytestmark = pytest.mark.practice_db  # run again on PostgreSQL by ./run-tests


@pytest.fixture
def practice(tmp_path):
    """A small generated practice (every superbill wrote an audit entry)."""
    path = tmp_path / "p.sqlite"
    engine = practice_db.init_db(path)
    factory = practice_db.sessionmaker(engine, expire_on_commit=False)
    with factory() as session:
        practice_gen.generate_practice(session, seed=2, patients=5)
    return path, factory


def _tamper(factory, sql: str) -> None:
    """What an attacker with the database's owner rights could do: lift the guard, edit."""
    with factory() as session:
        _tamper_in(session, sql)


def test_a_generated_practice_has_an_intact_chain(practice):
    _, factory = practice
    with factory() as session:
        verdict = audit.verify(session)
        rows = session.scalars(select(AuditLog).order_by(AuditLog.seq)).all()
    assert verdict.ok and verdict.entries == len(rows) > 5
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0].prev_hash == practice_db.GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(rows))
    assert verdict.head == rows[-1].hash


@pytest.mark.parametrize(
    "sql",
    ["UPDATE audit_log SET detail = 'x' WHERE seq = 2", "DELETE FROM audit_log WHERE seq = 2"],
)
def test_the_database_refuses_to_change_or_delete_entries(practice, sql):
    _, factory = practice
    with factory() as session, pytest.raises(DatabaseError, match="append-only"):
        session.execute(text(sql))
    with factory() as session:
        assert audit.verify(session).ok


TAMPERING = [
    ("UPDATE audit_log SET detail = '0 charges, $0.00' WHERE seq = 3", 3, "contents changed"),
    ("UPDATE audit_log SET who = 'someone-else' WHERE seq = 4", 4, "contents changed"),
    ("DELETE FROM audit_log WHERE seq = 2", 2, "missing"),
]


@pytest.mark.parametrize(("sql", "at", "why"), TAMPERING)
def test_a_tampered_log_is_detected_where_it_was_changed(practice, sql, at, why):
    _, factory = practice
    _tamper(factory, sql)
    with factory() as session:
        verdict = audit.verify(session)
    assert not verdict.ok and verdict.broken_at == at and why in verdict.problem


@pytest.mark.sqlite_only
def test_the_cli_names_the_broken_entry_in_one_line(practice, run_cli):
    path, factory = practice
    _tamper(factory, TAMPERING[0][0])
    with factory() as session:
        verdict = audit.verify(session)
    done = run_cli("practice", "audit", "verify", "--db", str(path))
    assert done.returncode == 1
    assert done.stderr.strip() == verdict.message() and "Traceback" not in done.stderr
    assert "TAMPERED at entry 3" in done.stderr


def test_rewriting_an_entry_with_a_fresh_hash_breaks_the_next_link(practice):
    _path, factory = practice
    with factory() as session:
        row = session.scalars(select(AuditLog).where(AuditLog.seq == 3)).one()
        forged = practice_db.audit_hash(
            3,
            row.at,
            row.who,
            row.action,
            row.table_name,
            row.record_id,
            "nothing here",
            row.prev_hash,
        )
    _tamper(
        factory, f"UPDATE audit_log SET detail = 'nothing here', hash = '{forged}' WHERE seq = 3"
    )
    with factory() as session:
        verdict = audit.verify(session)
    assert not verdict.ok and verdict.broken_at == 4 and "does not link" in verdict.problem


@pytest.mark.sqlite_only
def test_cutting_entries_off_the_end_is_caught_with_the_noted_head(practice, run_cli):
    path, factory = practice
    ok = run_cli("practice", "audit", "verify", "--db", str(path))
    assert ok.returncode == 0 and "intact" in ok.stdout
    head = ok.stdout.split("full head hash: ")[1].split()[0]
    with factory() as session:
        last = audit.count(session)
    _tamper(factory, f"DELETE FROM audit_log WHERE seq = {last}")
    with factory() as session:
        assert audit.verify(session).ok  # a shorter chain is still a chain...
        assert not audit.verify(session, expect_head=head).ok  # ...but not the one noted
    cut = run_cli("practice", "audit", "verify", "--db", str(path), "--expect-head", head[:16])
    assert cut.returncode == 1 and "cut off the end" in cut.stderr


def test_changes_to_phi_and_views_are_logged_with_who_but_not_the_values(practice):
    _path, factory = practice
    with factory() as session:
        session.info["user"] = "coder7"
        patient = session.scalars(select(Patient).order_by(Patient.id)).first()
        old_street = patient.street
        patient.street, patient.city = "1 New Rd", "Elsewhere"
        session.commit()
        audit.record_view(session, "patients", patient.id, detail="front desk look-up")
        newest = audit.entries(session, limit=2)
    assert [(r.who, r.action, r.table_name, r.record_id) for r in newest] == [
        ("coder7", "view", "patients", patient.id),
        ("coder7", "update", "patients", patient.id),
    ]
    assert newest[1].detail == "changed city, street"
    assert old_street not in newest[1].detail and "New Rd" not in newest[1].detail
    with factory() as session:
        assert audit.verify(session).ok
        assert audit.describe(newest[0]).endswith(
            f"coder7 view patients/{patient.id} front desk look-up"
        )


@pytest.mark.sqlite_only
def test_the_cli_lists_the_newest_entries(practice, run_cli):
    path, factory = practice
    with factory() as session:
        audit.record_view(session, "patients", 1, who="coder7")
    log = run_cli("practice", "audit", "log", "--db", str(path), "--limit", "2")
    assert log.returncode == 0 and "coder7 view patients/1" in log.stdout.splitlines()[0]


def test_upgrading_an_old_database_chains_its_existing_entries(tmp_path):
    path = tmp_path / "old.sqlite"
    engine = practice_db.make_engine(path)
    cfg = practice_db.alembic_config(engine.url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
        for n in range(3):
            conn.execute(
                text(
                    "INSERT INTO audit_log (at, who, action, table_name, record_id, detail) "
                    "VALUES (:at, 'old', 'enter_superbill', 'encounters', :n, '')"
                ),
                {"at": dt.datetime(2026, 1, 1 + n, 9), "n": n + 1},
            )
    practice_db.init_db(engine)
    factory = practice_db.sessionmaker(engine)
    with factory() as session:
        verdict = audit.verify(session)
        assert verdict.ok and verdict.entries == 3
        audit.record_view(session, "patients", 1, who="new")
        assert audit.verify(session).ok and audit.count(session) == 4


def test_verify_reads_the_database_not_entries_the_session_already_holds(practice):
    path, _ = practice
    _, factory = practice_db.open_practice(path)  # expire_on_commit=False, as the apps use it
    with factory() as session:
        held = audit.entries(session, limit=100)  # now cached in the session
        _tamper_in(session, f"UPDATE audit_log SET who = 'nobody' WHERE seq = {held[-1].seq}")
        verdict = audit.verify(session)
    assert not verdict.ok and verdict.broken_at == held[-1].seq


def _tamper_in(session, sql: str) -> None:
    if session.bind.dialect.name == "sqlite":
        session.execute(text("DROP TRIGGER IF EXISTS audit_log_no_update"))
        session.execute(text("DROP TRIGGER IF EXISTS audit_log_no_delete"))
    else:
        session.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
    session.execute(text(sql))
    session.commit()
