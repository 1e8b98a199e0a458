"""Revision 0004: the adjustments table accepts the four 5010 group codes, and not CR."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import CheckConstraint, text
from sqlalchemy.exc import IntegrityError

from medbill_lab.practice import db as practice_db

pytestmark = pytest.mark.practice_db  # run again on PostgreSQL by ./run-tests

INSERT = text(
    "INSERT INTO adjustments (group_code, carc, amount, posted_on) "
    "VALUES (:group, '45', 1.00, '2026-01-02')"
)


def _migrate(engine, revision: str, down: bool = False) -> None:
    cfg = practice_db.alembic_config(engine.url)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(cfg, revision)


def _accepts(engine, group: str) -> bool:
    try:
        with engine.begin() as conn:
            conn.execute(INSERT, {"group": group})
    except IntegrityError:
        return False
    return True


def _groups(engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.execute(text("SELECT group_code FROM adjustments")).scalars())


def test_upgrading_keeps_the_rows_and_refuses_cr_afterwards(tmp_path):
    engine = practice_db.make_engine(tmp_path / "m.sqlite")
    _migrate(engine, "0003")
    assert all(_accepts(engine, g) for g in ("CO", "PR", "OA", "PI"))
    _migrate(engine, "head")
    assert _groups(engine) == ["CO", "OA", "PI", "PR"]  # the posted rows survive
    assert not _accepts(engine, "CR")
    assert not _accepts(engine, "XX")
    assert all(_accepts(engine, g) for g in ("CO", "PR", "OA", "PI"))
    _migrate(engine, "0003", down=True)
    assert _accepts(engine, "CR")  # the 4010-era constraint again


def test_an_old_cr_row_stops_the_upgrade_with_a_message(tmp_path):
    engine = practice_db.make_engine(tmp_path / "old.sqlite")
    _migrate(engine, "0003")
    assert _accepts(engine, "CR")
    with pytest.raises(ValueError, match="1 adjustments have group code CR"):
        practice_db.init_db(engine)
    assert _groups(engine) == ["CR"]  # nothing changed


def test_the_models_check_reads_the_table_and_matches_the_migrated_schema():
    # the model's constraint comes from datasets/remit/group_codes.csv; the database's
    # from revision 0004: a row marked valid or retired there needs a migration here too
    import importlib

    from medbill_lab.payer.remittance import GROUP_CODES

    head = importlib.import_module("medbill_lab.practice.migrations.versions.0004_no_cr_group_code")
    checks = [
        str(c.sqltext)
        for c in practice_db.Adjustment.__table__.constraints
        if isinstance(c, CheckConstraint) and str(c.sqltext).startswith("group_code ")
    ]
    assert checks == [head.FIVE_010]
    assert GROUP_CODES == ("CO", "PR", "OA", "PI")
