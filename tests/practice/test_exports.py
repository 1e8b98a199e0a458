"""Patient exports: de-identified or masked, never raw, and every export logged in the
access audit log before anything leaves the database."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from medbill_lab.practice import audit, exports, synthetic
from medbill_lab.practice import db as practice_db
from medbill_lab.practice.db import AuditLog, InsurancePolicy, Patient

pytestmark = pytest.mark.practice_db
AS_OF = dt.date(2026, 11, 1)


@pytest.fixture
def factory(tmp_path):
    engine = practice_db.init_db(tmp_path / "practice.sqlite")
    made = practice_db.sessionmaker(engine, expire_on_commit=False)
    with made() as session:
        synthetic.generate_practice(session, seed=4, patients=12)
    return made


def _views(session) -> list[AuditLog]:
    query = select(AuditLog).where(AuditLog.action == "view", AuditLog.table_name == "patients")
    return list(session.scalars(query.order_by(AuditLog.seq)))


@pytest.mark.parametrize("mode", exports.MODES)
def test_an_export_logs_one_view_of_the_patients_and_keeps_the_chain(factory, mode) -> None:
    with factory() as session:
        before = len(_views(session))
    with factory() as session:  # as the CLI does: a session with no transaction open
        frame, _ = exports.export_patients(session, mode, AS_OF)
    with factory() as session:  # a new session: the audit row was committed
        views = _views(session)
        assert len(views) == before + 1
        assert views[-1].detail == f"export of 12 patients ({mode})"
        assert audit.verify(session).ok
    assert len(frame) == 12


def test_the_deidentified_export_drops_identifiers_and_generalises_the_rest(factory) -> None:
    with factory() as session:
        frame, actions = exports.export_patients(session, "deidentify", AS_OF)
        patients = session.scalars(select(Patient)).all()
        members = session.scalars(select(InsurancePolicy.member_id)).all()
    text = frame.to_csv(index=False)
    for p in patients:
        assert p.last not in text and p.account not in text and p.street not in text
        assert p.dob.isoformat() not in text and p.phone not in text
    assert not any(m in text for m in members)
    assert not re.search(r"\b\d{5}\b|\d{4}-\d\d-\d\d", text)  # no ZIP5, no full date
    assert set(frame["zip3"]) <= {p.zip[:3] for p in patients}
    done = {a.column: a.action for a in actions}
    assert done["member_id"] == done["last"] == done["account"] == "dropped"
    assert done["zip"] == done["dob"] == "generalised"


def test_the_masked_export_shows_member_ids_last_four_only(factory) -> None:
    with factory() as session:
        frame, actions = exports.export_patients(session, "masked", AS_OF)
        full = exports.patients_frame(session, AS_OF)
    masked = {a.column for a in actions if a.action == "masked"}
    assert masked == {"member_id"}
    for shown, real in zip(frame["member_id"], full["member_id"], strict=True):
        if real:
            assert shown != real and shown.endswith(real[-4:]) and len(shown) == len(real)
            assert set(shown[:-4]) <= {"*", "-"}
    # minimum necessary for staff: the other columns are the practice's own, unchanged
    assert frame.drop(columns="member_id").equals(full.drop(columns="member_id"))


def test_an_unknown_mode_is_refused_and_nothing_is_logged_or_exported(factory) -> None:
    with factory() as session:
        count = session.scalar(select(func.count()).select_from(AuditLog))
        with pytest.raises(ValueError, match="unknown export mode 'raw'"):
            exports.export_patients(session, "raw", AS_OF)
        assert session.scalar(select(func.count()).select_from(AuditLog)) == count
