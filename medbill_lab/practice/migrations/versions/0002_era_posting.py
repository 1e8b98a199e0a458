"""ERA posting: claim account numbers, secondary claims, unique traces, the work queue.

- ``claim_records.patient_account`` (CLM01 as sent, matched against CLP01),
  back-filled from the patient's account number;
- ``claim_records.prior_claim_id``: a secondary claim's primary claim;
- claim statuses ``partially paid`` and ``ready for secondary`` (status columns
  widened to 20 characters);
- ``remittances``: one row per payer and trace number (TRN02), so an 835 is
  never posted twice;
- ``work_items``: denials and unmatched claims or lines for a person to work.

Revision ID: 0002
Revises: 0001
Create Date: 2026-01-12

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_STATUSES = (
    "draft", "ready", "submitted", "accepted", "rejected", "paid", "denied", "appealed", "closed",
)  # fmt: skip
NEW_STATUSES = (*OLD_STATUSES, "partially paid", "ready for secondary")
WORK_KINDS = (
    "denial",
    "unmatched claim",
    "unmatched line",
    "ambiguous claim",
    "claim adjustment",
    "provider adjustment",
    "reversal",
)


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _statuses(table: str, statuses: Sequence[str], length: int) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f(f"ck_{table}_status"), type_="check")
        batch_op.alter_column("status", type_=sa.String(length=length))
        batch_op.create_check_constraint(batch_op.f(f"ck_{table}_status"), _in("status", statuses))


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("claim_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("patient_account", sa.String(length=38), nullable=True))
        batch_op.add_column(sa.Column("prior_claim_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE claim_records SET patient_account = (SELECT patients.account FROM patients"
        " JOIN encounters ON encounters.patient_id = patients.id"
        " WHERE encounters.id = claim_records.encounter_id)"
    )
    with op.batch_alter_table("claim_records", schema=None) as batch_op:
        batch_op.alter_column("patient_account", existing_type=sa.String(38), nullable=False)
        batch_op.create_index(
            batch_op.f("ix_claim_records_patient_account"), ["patient_account"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_claim_records_prior_claim_id"), ["prior_claim_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_claim_records_prior_claim_id_claim_records"),
            "claim_records",
            ["prior_claim_id"],
            ["id"],
        )
    _statuses("claim_records", NEW_STATUSES, 20)
    _statuses("claim_status_history", NEW_STATUSES, 20)
    with op.batch_alter_table("remittances", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_remittances_payer_id"), ["payer_id", "trace_number"]
        )
    op.create_table(
        "work_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("remittance_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("charge_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("group_code", sa.String(length=2), nullable=False),
        sa.Column("carc", sa.String(length=5), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("patient_account", sa.String(length=38), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(_in("kind", WORK_KINDS), name=op.f("ck_work_items_kind")),
        sa.ForeignKeyConstraint(
            ["charge_id"], ["charges.id"], name=op.f("fk_work_items_charge_id_charges")
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim_records.id"], name=op.f("fk_work_items_claim_id_claim_records")
        ),
        sa.ForeignKeyConstraint(
            ["remittance_id"],
            ["remittances.id"],
            name=op.f("fk_work_items_remittance_id_remittances"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_items")),
    )
    with op.batch_alter_table("work_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_items_charge_id"), ["charge_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_items_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_work_items_remittance_id"), ["remittance_id"], unique=False
        )


def downgrade() -> None:
    """Downgrade schema (claims in the new statuses go back to ``submitted``)."""
    op.drop_table("work_items")
    with op.batch_alter_table("remittances", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_remittances_payer_id"), type_="unique")
    new = ", ".join(repr(s) for s in NEW_STATUSES[len(OLD_STATUSES) :])
    for table in ("claim_records", "claim_status_history"):
        op.execute(f"UPDATE {table} SET status = 'submitted' WHERE status IN ({new})")
    _statuses("claim_status_history", OLD_STATUSES, 12)
    _statuses("claim_records", OLD_STATUSES, 12)
    with op.batch_alter_table("claim_records", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_claim_records_prior_claim_id_claim_records"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_claim_records_prior_claim_id"))
        batch_op.drop_index(batch_op.f("ix_claim_records_patient_account"))
        batch_op.drop_column("prior_claim_id")
        batch_op.drop_column("patient_account")
