"""A tamper-evident audit log: sequence numbers, a hash chain, and no UPDATE or DELETE.

- ``audit_log.seq`` (unique), ``prev_hash`` and ``hash``: entry n stores entry
  n-1's hash and the SHA-256 of its own fields plus that hash
  (``practice_db.audit_hash``); existing entries are chained in id order;
- triggers that refuse UPDATE and DELETE on ``audit_log`` (SQLite and
  PostgreSQL), so the log is append-only through the database as well.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27

"""

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "the audit log is append-only"
PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}';
END;
$$ LANGUAGE plpgsql
"""


def _chain_existing() -> None:
    from medbill_lab.practice.db import GENESIS_HASH, audit_hash

    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT id, at, who, action, table_name, record_id, detail FROM audit_log ORDER BY id"
        )
    ).all()
    prev = GENESIS_HASH
    for seq, (rid, at, who, action, table, record_id, detail) in enumerate(rows, 1):
        if isinstance(at, str):  # SQLite returns raw text to a plain-SQL query
            at = dt.datetime.fromisoformat(at)
        digest = audit_hash(seq, at, who, action, table, record_id, detail or "", prev)
        conn.execute(
            sa.text("UPDATE audit_log SET seq = :s, prev_hash = :p, hash = :h WHERE id = :i"),
            {"s": seq, "p": prev, "h": digest, "i": rid},
        )
        prev = digest


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    _chain_existing()
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint("uq_audit_log_seq", ["seq"])
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )
    elif op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS audit_log_no_{verb}")
    elif op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_constraint("uq_audit_log_seq", type_="unique")
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("seq")
