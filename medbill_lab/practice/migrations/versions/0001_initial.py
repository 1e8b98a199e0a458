"""Initial schema: the practice database (patients through audit log).

Revision ID: 0001
Revises:
Create Date: 2026-01-05

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("who", sa.String(length=60), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)

    op.create_table(
        "guarantors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last", sa.String(length=60), nullable=False),
        sa.Column("first", sa.String(length=60), nullable=False),
        sa.Column("dob", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("street", sa.String(length=100), nullable=False),
        sa.Column("city", sa.String(length=60), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("zip", sa.String(length=10), nullable=False),
        sa.Column("phone", sa.String(length=15), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guarantors")),
    )
    op.create_table(
        "payers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("payer_id", sa.String(length=20), nullable=False),
        sa.Column("program", sa.String(length=10), nullable=False),
        sa.Column("filing_indicator", sa.String(length=2), nullable=False),
        sa.Column("timely_filing_days", sa.Integer(), nullable=False),
        sa.Column("street", sa.String(length=100), nullable=False),
        sa.Column("city", sa.String(length=60), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("zip", sa.String(length=10), nullable=False),
        sa.CheckConstraint("timely_filing_days > 0", name=op.f("ck_payers_timely_days_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payers")),
        sa.UniqueConstraint("payer_id", name=op.f("uq_payers_payer_id")),
    )
    op.create_table(
        "practices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("npi", sa.String(length=10), nullable=False),
        sa.Column("tax_id", sa.String(length=11), nullable=False),
        sa.Column("taxonomy", sa.String(length=10), nullable=False),
        sa.Column("street", sa.String(length=100), nullable=False),
        sa.Column("city", sa.String(length=60), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("zip", sa.String(length=10), nullable=False),
        sa.Column("phone", sa.String(length=15), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practices")),
        sa.UniqueConstraint("npi", name=op.f("uq_practices_npi")),
    )
    op.create_table(
        "providers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last", sa.String(length=60), nullable=False),
        sa.Column("first", sa.String(length=60), nullable=False),
        sa.Column("credential", sa.String(length=10), nullable=False),
        sa.Column("npi", sa.String(length=10), nullable=False),
        sa.Column("taxonomy", sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_providers")),
        sa.UniqueConstraint("npi", name=op.f("uq_providers_npi")),
    )
    op.create_table(
        "submission_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("control_number", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission_batches")),
        sa.UniqueConstraint("control_number", name=op.f("uq_submission_batches_control_number")),
    )
    op.create_table(
        "fee_schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payer_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=5), nullable=False),
        sa.Column("allowed", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["payer_id"], ["payers.id"], name=op.f("fk_fee_schedules_payer_id_payers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fee_schedules")),
        sa.UniqueConstraint("payer_id", "code", name=op.f("uq_fee_schedules_payer_id")),
    )
    with op.batch_alter_table("fee_schedules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fee_schedules_payer_id"), ["payer_id"], unique=False)

    op.create_table(
        "patients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=20), nullable=False),
        sa.Column("last", sa.String(length=60), nullable=False),
        sa.Column("first", sa.String(length=60), nullable=False),
        sa.Column("middle", sa.String(length=30), nullable=False),
        sa.Column("dob", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("street", sa.String(length=100), nullable=False),
        sa.Column("city", sa.String(length=60), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("zip", sa.String(length=10), nullable=False),
        sa.Column("phone", sa.String(length=15), nullable=False),
        sa.Column("guarantor_id", sa.Integer(), nullable=True),
        sa.Column("guarantor_relationship", sa.String(length=10), nullable=False),
        sa.CheckConstraint("sex IN ('M', 'F', 'U')", name=op.f("ck_patients_sex")),
        sa.ForeignKeyConstraint(
            ["guarantor_id"], ["guarantors.id"], name=op.f("fk_patients_guarantor_id_guarantors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patients")),
        sa.UniqueConstraint("account", name=op.f("uq_patients_account")),
    )
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_patients_guarantor_id"), ["guarantor_id"], unique=False
        )

    op.create_table(
        "payer_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=5), nullable=True),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.CheckConstraint(
            "kind IN ('copay', 'deductible', 'coinsurance_pct', 'non_covered', 'prior_auth')",
            name=op.f("ck_payer_rules_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["payer_id"], ["payers.id"], name=op.f("fk_payer_rules_payer_id_payers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payer_rules")),
    )
    with op.batch_alter_table("payer_rules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payer_rules_payer_id"), ["payer_id"], unique=False)

    op.create_table(
        "remittances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payer_id", sa.Integer(), nullable=False),
        sa.Column("trace_number", sa.String(length=50), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("total_paid", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["payer_id"], ["payers.id"], name=op.f("fk_remittances_payer_id_payers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remittances")),
    )
    with op.batch_alter_table("remittances", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_remittances_payer_id"), ["payer_id"], unique=False)

    op.create_table(
        "encounters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("date_of_service", sa.Date(), nullable=False),
        sa.Column("place_of_service", sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_encounters_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["providers.id"], name=op.f("fk_encounters_provider_id_providers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_encounters")),
    )
    with op.batch_alter_table("encounters", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_encounters_date_of_service"), ["date_of_service"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_encounters_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_encounters_provider_id"), ["provider_id"], unique=False
        )

    op.create_table(
        "insurance_policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("payer_id", sa.Integer(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.String(length=30), nullable=False),
        sa.Column("group_number", sa.String(length=30), nullable=False),
        sa.Column("plan_name", sa.String(length=60), nullable=False),
        sa.Column("relationship_to_insured", sa.String(length=10), nullable=False),
        sa.Column("subscriber_last", sa.String(length=60), nullable=False),
        sa.Column("subscriber_first", sa.String(length=60), nullable=False),
        sa.Column("subscriber_dob", sa.Date(), nullable=True),
        sa.Column("subscriber_sex", sa.String(length=1), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("termination_date", sa.Date(), nullable=True),
        sa.CheckConstraint("priority BETWEEN 1 AND 3", name=op.f("ck_insurance_policies_priority")),
        sa.CheckConstraint(
            "termination_date IS NULL OR termination_date >= effective_date",
            name=op.f("ck_insurance_policies_dates"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_insurance_policies_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["payer_id"], ["payers.id"], name=op.f("fk_insurance_policies_payer_id_payers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insurance_policies")),
    )
    with op.batch_alter_table("insurance_policies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_insurance_policies_patient_id"), ["patient_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_insurance_policies_payer_id"), ["payer_id"], unique=False
        )

    op.create_table(
        "statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("guarantor_id", sa.Integer(), nullable=True),
        sa.Column("statement_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("balance", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["guarantor_id"], ["guarantors.id"], name=op.f("fk_statements_guarantor_id_guarantors")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_statements_patient_id_patients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statements")),
    )
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_statements_guarantor_id"), ["guarantor_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_statements_patient_id"), ["patient_id"], unique=False)

    op.create_table(
        "charges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("encounter_id", sa.Integer(), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=5), nullable=False),
        sa.Column("modifiers", sa.String(length=11), nullable=False),
        sa.Column("units", sa.Numeric(precision=9, scale=3), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("pointers", sa.String(length=4), nullable=False),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_charges_amount_not_negative")),
        sa.CheckConstraint("units > 0", name=op.f("ck_charges_units_positive")),
        sa.ForeignKeyConstraint(
            ["encounter_id"], ["encounters.id"], name=op.f("fk_charges_encounter_id_encounters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charges")),
        sa.UniqueConstraint("encounter_id", "line_number", name=op.f("uq_charges_encounter_id")),
    )
    with op.batch_alter_table("charges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_charges_encounter_id"), ["encounter_id"], unique=False)

    op.create_table(
        "claim_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("encounter_id", sa.Integer(), nullable=False),
        sa.Column("payer_id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("frequency_code", sa.String(length=1), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("payer_claim_number", sa.String(length=30), nullable=False),
        sa.Column("total_charge", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "frequency_code IN ('1', '7', '8')", name=op.f("ck_claim_records_frequency_code")
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'ready', 'submitted', 'accepted', 'rejected', 'paid', 'denied', 'appealed', 'closed')",
            name=op.f("ck_claim_records_status"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["submission_batches.id"],
            name=op.f("fk_claim_records_batch_id_submission_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["encounter_id"],
            ["encounters.id"],
            name=op.f("fk_claim_records_encounter_id_encounters"),
        ),
        sa.ForeignKeyConstraint(
            ["payer_id"], ["payers.id"], name=op.f("fk_claim_records_payer_id_payers")
        ),
        sa.ForeignKeyConstraint(
            ["policy_id"],
            ["insurance_policies.id"],
            name=op.f("fk_claim_records_policy_id_insurance_policies"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_records")),
    )
    with op.batch_alter_table("claim_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_records_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_claim_records_encounter_id"), ["encounter_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_claim_records_payer_id"), ["payer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_records_policy_id"), ["policy_id"], unique=False)

    op.create_table(
        "collection_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_collection_actions_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_collection_actions_statement_id_statements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_actions")),
    )
    with op.batch_alter_table("collection_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_collection_actions_patient_id"), ["patient_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_collection_actions_statement_id"), ["statement_id"], unique=False
        )

    op.create_table(
        "encounter_diagnoses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("encounter_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.CheckConstraint(
            "position BETWEEN 1 AND 12", name=op.f("ck_encounter_diagnoses_position")
        ),
        sa.ForeignKeyConstraint(
            ["encounter_id"],
            ["encounters.id"],
            name=op.f("fk_encounter_diagnoses_encounter_id_encounters"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_encounter_diagnoses")),
        sa.UniqueConstraint(
            "encounter_id", "position", name=op.f("uq_encounter_diagnoses_encounter_id")
        ),
    )
    with op.batch_alter_table("encounter_diagnoses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_encounter_diagnoses_encounter_id"), ["encounter_id"], unique=False
        )

    op.create_table(
        "adjustments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("charge_id", sa.Integer(), nullable=True),
        sa.Column("remittance_id", sa.Integer(), nullable=True),
        sa.Column("group_code", sa.String(length=2), nullable=False),
        sa.Column("carc", sa.String(length=5), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("posted_on", sa.Date(), nullable=False),
        sa.CheckConstraint(
            "group_code IN ('CO', 'PR', 'OA', 'PI', 'CR')", name=op.f("ck_adjustments_group_code")
        ),
        sa.ForeignKeyConstraint(
            ["charge_id"], ["charges.id"], name=op.f("fk_adjustments_charge_id_charges")
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim_records.id"], name=op.f("fk_adjustments_claim_id_claim_records")
        ),
        sa.ForeignKeyConstraint(
            ["remittance_id"],
            ["remittances.id"],
            name=op.f("fk_adjustments_remittance_id_remittances"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adjustments")),
    )
    with op.batch_alter_table("adjustments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_adjustments_charge_id"), ["charge_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_adjustments_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_adjustments_remittance_id"), ["remittance_id"], unique=False
        )

    op.create_table(
        "claim_status_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'ready', 'submitted', 'accepted', 'rejected', 'paid', 'denied', 'appealed', 'closed')",
            name=op.f("ck_claim_status_history_status"),
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim_records.id"],
            name=op.f("fk_claim_status_history_claim_id_claim_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_status_history")),
    )
    with op.batch_alter_table("claim_status_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_claim_status_history_claim_id"), ["claim_id"], unique=False
        )

    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=7), nullable=False),
        sa.Column("remittance_id", sa.Integer(), nullable=True),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("charge_id", sa.Integer(), nullable=True),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.CheckConstraint("source IN ('payer', 'patient')", name=op.f("ck_payments_source")),
        sa.ForeignKeyConstraint(
            ["charge_id"], ["charges.id"], name=op.f("fk_payments_charge_id_charges")
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim_records.id"], name=op.f("fk_payments_claim_id_claim_records")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_payments_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["remittance_id"],
            ["remittances.id"],
            name=op.f("fk_payments_remittance_id_remittances"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
    )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payments_charge_id"), ["charge_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_payments_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_payments_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_payments_remittance_id"), ["remittance_id"], unique=False
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payments_remittance_id"))
        batch_op.drop_index(batch_op.f("ix_payments_patient_id"))
        batch_op.drop_index(batch_op.f("ix_payments_claim_id"))
        batch_op.drop_index(batch_op.f("ix_payments_charge_id"))

    op.drop_table("payments")
    with op.batch_alter_table("claim_status_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_status_history_claim_id"))

    op.drop_table("claim_status_history")
    with op.batch_alter_table("adjustments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_adjustments_remittance_id"))
        batch_op.drop_index(batch_op.f("ix_adjustments_claim_id"))
        batch_op.drop_index(batch_op.f("ix_adjustments_charge_id"))

    op.drop_table("adjustments")
    with op.batch_alter_table("encounter_diagnoses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_encounter_diagnoses_encounter_id"))

    op.drop_table("encounter_diagnoses")
    with op.batch_alter_table("collection_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_collection_actions_statement_id"))
        batch_op.drop_index(batch_op.f("ix_collection_actions_patient_id"))

    op.drop_table("collection_actions")
    with op.batch_alter_table("claim_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_records_policy_id"))
        batch_op.drop_index(batch_op.f("ix_claim_records_payer_id"))
        batch_op.drop_index(batch_op.f("ix_claim_records_encounter_id"))
        batch_op.drop_index(batch_op.f("ix_claim_records_batch_id"))

    op.drop_table("claim_records")
    with op.batch_alter_table("charges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_charges_encounter_id"))

    op.drop_table("charges")
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statements_patient_id"))
        batch_op.drop_index(batch_op.f("ix_statements_guarantor_id"))

    op.drop_table("statements")
    with op.batch_alter_table("insurance_policies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_insurance_policies_payer_id"))
        batch_op.drop_index(batch_op.f("ix_insurance_policies_patient_id"))

    op.drop_table("insurance_policies")
    with op.batch_alter_table("encounters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_encounters_provider_id"))
        batch_op.drop_index(batch_op.f("ix_encounters_patient_id"))
        batch_op.drop_index(batch_op.f("ix_encounters_date_of_service"))

    op.drop_table("encounters")
    with op.batch_alter_table("remittances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_remittances_payer_id"))

    op.drop_table("remittances")
    with op.batch_alter_table("payer_rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payer_rules_payer_id"))

    op.drop_table("payer_rules")
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patients_guarantor_id"))

    op.drop_table("patients")
    with op.batch_alter_table("fee_schedules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fee_schedules_payer_id"))

    op.drop_table("fee_schedules")
    op.drop_table("submission_batches")
    op.drop_table("providers")
    op.drop_table("practices")
    op.drop_table("payers")
    op.drop_table("guarantors")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
