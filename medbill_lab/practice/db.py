"""The practice database: patients, payers, encounters, charges and claims.

SQLAlchemy 2.0 ORM models for a small synthetic medical practice, the
connection helpers (:func:`open_practice`, :func:`init_db`, which runs the
Alembic migrations shipped in ``medbill_lab/migrations``) and charge entry from
a superbill (:func:`enter_superbill`).  Money is ``Numeric(12, 2)`` and
``Decimal`` in Python.  SQLite is the default store (foreign keys on); any
SQLAlchemy URL, such as ``postgresql+psycopg://...``, also works.

Rows and values.  The classes here are the practice's **rows** (one per table:
``Payer`` is the ``payers`` table, ``Provider`` ``providers``, ``Remittance``
``remittances``, ``Adjustment`` ``adjustments``).  Classes of the same name in
earlier stages are **values** a document carries: :class:`medbill_lab.claims.model.Payer`
and ``Provider`` are what a CMS-1500 prints, :class:`medbill_lab.payer.remittance.Remittance`
and ``Adjustment`` what an 835 says.  They are different things (a row has an id,
relationships and bookkeeping; a value has no identity), so both exist, and each pair
has ONE conversion: :func:`medbill_lab.practice.billing.claim_payer` and
:func:`~medbill_lab.practice.billing.claim_provider` (row -> claim value),
:func:`adjustment_value` and :func:`adjustment_columns` (row <-> CAS triple),
:func:`remittance_columns` (835 value -> the row that records it was posted).
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import itertools
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    insert,
    inspect,
    select,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    relationship,
    sessionmaker,
)

from medbill_lab.datasets import read_csv
from medbill_lab.payer import remittance as era

MONEY = Numeric(12, 2)
UNITS = Numeric(9, 3)
CLAIM_STATUSES = (
    "draft", "ready", "submitted", "accepted", "rejected", "paid", "denied", "appealed", "closed",
    "partially paid", "ready for secondary",
)  # fmt: skip
WORK_KINDS = (
    "denial",
    "unmatched claim",
    "unmatched line",
    "ambiguous claim",
    "claim adjustment",
    "provider adjustment",
    "reversal",
)
RULE_KINDS = ("copay", "deductible", "coinsurance_pct", "non_covered", "prior_auth")
FREQUENCY_CODES = ("1", "7", "8")  # original, replacement, void (CLM05-3)
FEE_SCHEDULE_CSV = "practice/fee_schedule.csv"


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so migrations name constraints."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


# -- the practice, its providers and payers -------------------------------------------
class AddressColumns:
    """Street address and phone, shared by the practice, guarantors and patients."""

    street: Mapped[str] = mapped_column(String(100))
    city: Mapped[str] = mapped_column(String(60))
    state: Mapped[str] = mapped_column(String(2))
    zip: Mapped[str] = mapped_column(String(10))
    phone: Mapped[str] = mapped_column(String(15), default="")


class Practice(AddressColumns, Base):
    """The billing provider (CMS-1500 items 25 and 33)."""

    __tablename__ = "practices"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    npi: Mapped[str] = mapped_column(String(10), unique=True)
    tax_id: Mapped[str] = mapped_column(String(11))
    taxonomy: Mapped[str] = mapped_column(String(10), default="")


class Provider(Base):
    """A rendering provider with an NPI (item 24J / 837P 2310B)."""

    __tablename__ = "providers"
    id: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[str] = mapped_column(String(60))
    first: Mapped[str] = mapped_column(String(60))
    credential: Mapped[str] = mapped_column(String(10), default="")
    npi: Mapped[str] = mapped_column(String(10), unique=True)
    taxonomy: Mapped[str] = mapped_column(String(10), default="")


class Payer(Base):
    """A health plan the practice bills."""

    __tablename__ = "payers"
    __table_args__ = (CheckConstraint("timely_filing_days > 0", name="timely_days_positive"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    payer_id: Mapped[str] = mapped_column(String(20), unique=True)  # electronic payer ID
    program: Mapped[str] = mapped_column(String(10))  # CMS-1500 item 1: medicare, group...
    filing_indicator: Mapped[str] = mapped_column(String(2))  # 837P SBR09
    timely_filing_days: Mapped[int] = mapped_column(Integer)
    street: Mapped[str] = mapped_column(String(100), default="")
    city: Mapped[str] = mapped_column(String(60), default="")
    state: Mapped[str] = mapped_column(String(2), default="")
    zip: Mapped[str] = mapped_column(String(10), default="")
    fees: Mapped[list[FeeSchedule]] = relationship(back_populates="payer")
    rules: Mapped[list[PayerRule]] = relationship(back_populates="payer")


class FeeSchedule(Base):
    """What a payer allows for one code."""

    __tablename__ = "fee_schedules"
    __table_args__ = (UniqueConstraint("payer_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    payer_id: Mapped[int] = mapped_column(ForeignKey("payers.id"), index=True)
    code: Mapped[str] = mapped_column(String(5))
    allowed: Mapped[Decimal] = mapped_column(MONEY)
    payer: Mapped[Payer] = relationship(back_populates="fees")


class PayerRule(Base):
    """One benefit rule: ``copay``/``deductible`` (amount), ``coinsurance_pct``
    (amount is a percent), ``non_covered``/``prior_auth`` (code)."""

    __tablename__ = "payer_rules"
    __table_args__ = (CheckConstraint(_in("kind", RULE_KINDS), name="kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    payer_id: Mapped[int] = mapped_column(ForeignKey("payers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str | None] = mapped_column(String(5))
    amount: Mapped[Decimal | None] = mapped_column(MONEY)
    payer: Mapped[Payer] = relationship(back_populates="rules")


# -- patients -------------------------------------------------------------------------
class Guarantor(AddressColumns, Base):
    """The person responsible for the patient's balance (may be the patient)."""

    __tablename__ = "guarantors"
    id: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[str] = mapped_column(String(60))
    first: Mapped[str] = mapped_column(String(60))
    dob: Mapped[dt.date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))


class Patient(AddressColumns, Base):
    """A synthetic patient (CMS-1500 items 2, 3, 5, 26)."""

    __tablename__ = "patients"
    __table_args__ = (CheckConstraint("sex IN ('M', 'F', 'U')", name="sex"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(20), unique=True)
    last: Mapped[str] = mapped_column(String(60))
    first: Mapped[str] = mapped_column(String(60))
    middle: Mapped[str] = mapped_column(String(30), default="")
    dob: Mapped[dt.date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))
    guarantor_id: Mapped[int | None] = mapped_column(ForeignKey("guarantors.id"), index=True)
    guarantor_relationship: Mapped[str] = mapped_column(String(10), default="self")
    guarantor: Mapped[Guarantor | None] = relationship()
    policies: Mapped[list[InsurancePolicy]] = relationship(
        back_populates="patient", order_by="InsurancePolicy.priority"
    )


class InsurancePolicy(Base):
    """Coverage: priority 1 primary, 2 secondary, 3 tertiary (items 1a, 4, 6, 7, 9, 11)."""

    __tablename__ = "insurance_policies"
    __table_args__ = (
        CheckConstraint("priority BETWEEN 1 AND 3", name="priority"),
        CheckConstraint(
            "termination_date IS NULL OR termination_date >= effective_date", name="dates"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    payer_id: Mapped[int] = mapped_column(ForeignKey("payers.id"), index=True)
    priority: Mapped[int] = mapped_column(Integer)
    member_id: Mapped[str] = mapped_column(String(30))
    group_number: Mapped[str] = mapped_column(String(30), default="")
    plan_name: Mapped[str] = mapped_column(String(60), default="")
    relationship_to_insured: Mapped[str] = mapped_column(String(10), default="self")
    subscriber_last: Mapped[str] = mapped_column(String(60), default="")
    subscriber_first: Mapped[str] = mapped_column(String(60), default="")
    subscriber_dob: Mapped[dt.date | None] = mapped_column(Date)
    subscriber_sex: Mapped[str] = mapped_column(String(1), default="U")
    effective_date: Mapped[dt.date] = mapped_column(Date)
    termination_date: Mapped[dt.date | None] = mapped_column(Date)
    patient: Mapped[Patient] = relationship(back_populates="policies")
    payer: Mapped[Payer] = relationship()

    def active_on(self, day: dt.date) -> bool:
        """Does the policy cover ``day``?

        >>> InsurancePolicy(effective_date=dt.date(2025, 1, 1)).active_on(dt.date(2026, 3, 2))
        True
        """
        ended = self.termination_date is not None and day > self.termination_date
        return self.effective_date <= day and not ended


# -- encounters and charges -----------------------------------------------------------
class Encounter(Base):
    """One visit: who, when, where, and its coded diagnoses."""

    __tablename__ = "encounters"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    date_of_service: Mapped[dt.date] = mapped_column(Date, index=True)
    place_of_service: Mapped[str] = mapped_column(String(2))
    patient: Mapped[Patient] = relationship()
    provider: Mapped[Provider] = relationship()
    diagnoses: Mapped[list[EncounterDiagnosis]] = relationship(
        back_populates="encounter", order_by="EncounterDiagnosis.position"
    )
    charges: Mapped[list[Charge]] = relationship(
        back_populates="encounter", order_by="Charge.line_number"
    )

    @property
    def diagnosis_codes(self) -> list[str]:
        """The diagnoses in item 21 order (A, B, ...)."""
        return [d.code for d in self.diagnoses]


class EncounterDiagnosis(Base):
    """One ICD-10-CM code of an encounter; position 1 is item 21A."""

    __tablename__ = "encounter_diagnoses"
    __table_args__ = (
        UniqueConstraint("encounter_id", "position"),
        CheckConstraint("position BETWEEN 1 AND 12", name="position"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounters.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(8))
    encounter: Mapped[Encounter] = relationship(back_populates="diagnoses")


class Charge(Base):
    """One service line: code, modifiers ("25,LT"), units, amount, pointers ("AB")."""

    __tablename__ = "charges"
    __table_args__ = (
        UniqueConstraint("encounter_id", "line_number"),
        CheckConstraint("units > 0", name="units_positive"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounters.id"), index=True)
    line_number: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(5))
    modifiers: Mapped[str] = mapped_column(String(11), default="")
    units: Mapped[Decimal] = mapped_column(UNITS)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    pointers: Mapped[str] = mapped_column(String(4))
    encounter: Mapped[Encounter] = relationship(back_populates="charges")

    @property
    def modifier_list(self) -> list[str]:
        """The modifiers as a list.

        >>> Charge(modifiers="25,LT").modifier_list
        ['25', 'LT']
        """
        return [m for m in self.modifiers.split(",") if m]


# -- claims, submission and payment ---------------------------------------------------
class SubmissionBatch(Base):
    """One 837P file sent to the clearinghouse."""

    __tablename__ = "submission_batches"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    control_number: Mapped[int] = mapped_column(Integer, unique=True)
    file_name: Mapped[str] = mapped_column(String(200), default="")


class ClaimRecord(Base):
    """A claim for one encounter to one payer, with its current status."""

    __tablename__ = "claim_records"
    __table_args__ = (
        CheckConstraint(_in("status", CLAIM_STATUSES), name="status"),
        CheckConstraint(_in("frequency_code", FREQUENCY_CODES), name="frequency_code"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounters.id"), index=True)
    payer_id: Mapped[int] = mapped_column(ForeignKey("payers.id"), index=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("insurance_policies.id"), index=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("submission_batches.id"), index=True)
    frequency_code: Mapped[str] = mapped_column(String(1), default="1")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    payer_claim_number: Mapped[str] = mapped_column(String(30), default="")
    total_charge: Mapped[Decimal] = mapped_column(MONEY)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # CMS-1500 item 26 / 837P CLM01 as sent; the 835 echoes it in CLP01 (revision 0002)
    patient_account: Mapped[str] = mapped_column(String(38), index=True, default="")
    # a secondary claim points at the primary claim whose payment it follows (0002)
    prior_claim_id: Mapped[int | None] = mapped_column(ForeignKey("claim_records.id"), index=True)
    history: Mapped[list[ClaimStatusHistory]] = relationship(
        back_populates="claim", order_by="ClaimStatusHistory.id"
    )


class ClaimStatusHistory(Base):
    """One status change of a claim."""

    __tablename__ = "claim_status_history"
    __table_args__ = (CheckConstraint(_in("status", CLAIM_STATUSES), name="status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim_records.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    claim: Mapped[ClaimRecord] = relationship(back_populates="history")


class Remittance(Base):
    """The record that one 835 payment advice (check or EFT trace) from a payer was
    posted; a trace number is posted once per payer (the unique constraint of revision
    0002).  Its claims and lines become :class:`Payment` and :class:`Adjustment` rows;
    the 835 itself is a :class:`medbill_lab.payer.remittance.Remittance` value."""

    __tablename__ = "remittances"
    __table_args__ = (UniqueConstraint("payer_id", "trace_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    payer_id: Mapped[int] = mapped_column(ForeignKey("payers.id"), index=True)
    trace_number: Mapped[str] = mapped_column(String(50))
    paid_on: Mapped[dt.date] = mapped_column(Date)
    total_paid: Mapped[Decimal] = mapped_column(MONEY)
    file_name: Mapped[str] = mapped_column(String(200), default="")


class Payment(Base):
    """Money received, from a payer (on a remittance) or a patient."""

    __tablename__ = "payments"
    __table_args__ = (CheckConstraint("source IN ('payer', 'patient')", name="source"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(7))
    remittance_id: Mapped[int | None] = mapped_column(ForeignKey("remittances.id"), index=True)
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claim_records.id"), index=True)
    charge_id: Mapped[int | None] = mapped_column(ForeignKey("charges.id"), index=True)
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id"), index=True)
    method: Mapped[str] = mapped_column(String(10), default="")  # EFT, check, card, cash
    amount: Mapped[Decimal] = mapped_column(MONEY)
    received_on: Mapped[dt.date] = mapped_column(Date)


class Adjustment(Base):
    """A posted change to what is owed: a CAS triple (group code, CARC, amount; the
    value is :class:`medbill_lab.payer.remittance.Adjustment`) on a claim or a charge."""

    __tablename__ = "adjustments"
    # the 5010 CAS group codes (CR retired: revision 0004)
    __table_args__ = (CheckConstraint(_in("group_code", era.GROUP_CODES), name="group_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claim_records.id"), index=True)
    charge_id: Mapped[int | None] = mapped_column(ForeignKey("charges.id"), index=True)
    remittance_id: Mapped[int | None] = mapped_column(ForeignKey("remittances.id"), index=True)
    group_code: Mapped[str] = mapped_column(String(2))
    carc: Mapped[str] = mapped_column(String(5))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    posted_on: Mapped[dt.date] = mapped_column(Date)


def adjustment_value(row: Adjustment) -> era.Adjustment:
    """The CAS triple an adjustment row posted.

    >>> adjustment_value(Adjustment(group_code="CO", carc="45", amount=Decimal("40.00")))
    Adjustment(group='CO', carc='45', amount=Decimal('40.00'), quantity=None)
    """
    return era.Adjustment(row.group_code, row.carc, row.amount)


def adjustment_columns(adj: era.Adjustment) -> dict[str, Any]:
    """The columns of an adjustment row that come from a CAS triple (the caller adds
    the claim, charge, remittance and posting date).

    >>> adjustment_columns(era.Adjustment("PR", "2", Decimal("8.40")))
    {'group_code': 'PR', 'carc': '2', 'amount': Decimal('8.40')}
    """
    return {"group_code": adj.group, "carc": adj.carc, "amount": adj.amount}


def remittance_columns(remit: era.Remittance, payer: Payer, received_on: dt.date) -> dict[str, Any]:
    """The columns of the row recording that ``remit`` was posted: its payer's row id,
    the trace number (TRN02), the payment date (BPR16, else ``received_on``) and the
    total paid (BPR02)."""
    return {
        "payer_id": payer.id,
        "trace_number": remit.trace_number,
        "paid_on": remit.paid_on or received_on,
        "total_paid": remit.payment,
    }


class WorkItem(Base):
    """Something posting could not finish: a denial, an unmatched claim or line (0002)."""

    __tablename__ = "work_items"
    __table_args__ = (CheckConstraint(_in("kind", WORK_KINDS), name="kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    remittance_id: Mapped[int] = mapped_column(ForeignKey("remittances.id"), index=True)
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claim_records.id"), index=True)
    charge_id: Mapped[int | None] = mapped_column(ForeignKey("charges.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    group_code: Mapped[str] = mapped_column(String(2), default="")
    carc: Mapped[str] = mapped_column(String(5), default="")
    amount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    patient_account: Mapped[str] = mapped_column(String(38), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Statement(Base):
    """A patient statement sent to the guarantor."""

    __tablename__ = "statements"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    guarantor_id: Mapped[int | None] = mapped_column(ForeignKey("guarantors.id"), index=True)
    statement_date: Mapped[dt.date] = mapped_column(Date)
    due_date: Mapped[dt.date] = mapped_column(Date)
    balance: Mapped[Decimal] = mapped_column(MONEY)
    message: Mapped[str] = mapped_column(Text, default="")


class CollectionAction(Base):
    """A step in collecting a patient balance (call, letter, payment plan, agency)."""

    __tablename__ = "collection_actions"
    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    statement_id: Mapped[int | None] = mapped_column(ForeignKey("statements.id"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    amount: Mapped[Decimal | None] = mapped_column(MONEY)
    note: Mapped[str] = mapped_column(Text, default="")


class AuditLog(Base):
    """Who did what to which row, and when: append-only and hash-chained (revision 0003).

    Entry ``seq`` stores the previous entry's hash and its own, a SHA-256 over
    its fields and that previous hash (:func:`audit_hash`), so changing,
    removing or inserting an entry breaks the chain from there on
    (:func:`medbill_lab.practice.audit.verify`).  Database triggers refuse
    UPDATE and DELETE.  ``seq`` and the hashes are filled in at flush.
    """

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    who: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(40))
    table_name: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text, default="")
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


# =================================================================================
# Connecting and migrating
# =================================================================================
def default_path() -> Path:
    """``$MEDBILL_LAB_HOME/practice.sqlite``, else ``~/.medbill_lab/practice.sqlite``."""
    home = os.environ.get("MEDBILL_LAB_HOME")
    base = Path(home).expanduser() if home else Path.home() / ".medbill_lab"
    return base / "practice.sqlite"


def database_url(url_or_path: str | os.PathLike[str] | None = None) -> URL:
    """The SQLAlchemy URL for a URL, a file path (SQLite) or None (the default).

    The default is ``$MEDBILL_PRACTICE_URL`` when set (how a JupyterHub gives
    every user the shared PostgreSQL server, see ``deploy/README.md``), else the
    file :func:`default_path`.  A file path's folder is created; a bad URL is a
    ``ValueError``.

    >>> database_url("postgresql+psycopg://lab@db/practice").drivername
    'postgresql+psycopg'
    """
    if url_or_path is None and os.environ.get("MEDBILL_PRACTICE_URL"):
        url_or_path = os.environ["MEDBILL_PRACTICE_URL"]
    if not isinstance(url_or_path, str) or "://" not in url_or_path:
        path = Path(url_or_path or default_path()).expanduser().resolve()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OSError(f"cannot create the folder for {path}: {exc.strerror}") from None
        return URL.create("sqlite", database=str(path))
    try:
        return make_url(str(url_or_path))
    except ArgumentError as exc:
        raise ValueError(f"not a database URL: {url_or_path!r} ({exc})") from None


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Foreign keys on; let SQLAlchemy (not pysqlite) issue BEGIN so SAVEPOINTs work.

    A file database runs in write-ahead-log mode with ``synchronous=NORMAL``: a
    commit is still atomic and survives a killed process, but it does not wait
    for the disk on every small transaction (only at checkpoints), which is what
    makes one transaction per superbill or per 835 affordable.
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    if cursor.execute("PRAGMA database_list").fetchone()[2]:  # a file, not :memory:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


def make_engine(url_or_path: str | os.PathLike[str] | None = None) -> Engine:
    """An engine for :func:`database_url`; SQLite gets foreign keys and real transactions.

    Raises ``ValueError`` for an unknown dialect or a missing database driver.
    """
    url = database_url(url_or_path)
    try:
        engine = create_engine(url)
    except (ArgumentError, ImportError) as exc:
        raise ValueError(f"cannot use database {url.render_as_string()!r}: {exc}") from None
    if url.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def open_practice(
    url_or_path: str | os.PathLike[str] | None = None,
) -> tuple[Engine, sessionmaker[Session]]:
    """An engine and a session factory for the practice database (no migration run).

    >>> engine, Session = open_practice("sqlite://")
    >>> engine.dialect.name
    'sqlite'
    """
    engine = make_engine(url_or_path)
    return engine, sessionmaker(engine, expire_on_commit=False)


def alembic_config(url: URL | None = None) -> Any:
    """The Alembic ``Config`` for the migrations shipped inside the package."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", url.render_as_string(False).replace("%", "%%"))
    return cfg


def init_db(url_or_path: str | os.PathLike[str] | Engine | None = None) -> Engine:
    """Create or upgrade the schema (``alembic upgrade head``); returns the engine.

    Database errors come back as ``ValueError`` naming the database.
    """
    from alembic import command

    engine = url_or_path if isinstance(url_or_path, Engine) else make_engine(url_or_path)
    cfg = alembic_config(engine.url)
    try:
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
    except SQLAlchemyError as exc:
        where = engine.url.render_as_string()
        raise ValueError(
            f"cannot set up the database {where}: {exc.__class__.__name__}: "
            f"{str(exc).splitlines()[0]}"
        ) from None
    return engine


@contextmanager
def transaction(session: Session) -> Iterator[None]:
    """One unit of work: its own transaction, or a SAVEPOINT inside an open one.

    Either everything inside is written or nothing is.
    """
    ctx = session.begin_nested() if session.in_transaction() else session.begin()
    with ctx:
        yield


# =================================================================================
# Charge entry
# =================================================================================
@cache
def practice_fees() -> dict[str, Decimal]:
    """The practice's own charge for each code (``datasets/practice/fee_schedule.csv``).

    >>> practice_fees()["99213"]
    Decimal('125.00')
    """
    return {r["code"]: Decimal(r["charge"]) for r in read_csv(FEE_SCHEDULE_CSV)}


def fee_for(code: str) -> Decimal:
    """The practice charge for one unit of ``code``; ``LookupError`` naming a missing code.

    >>> fee_for("36415")
    Decimal('15.00')
    """
    key = code.strip().upper()
    try:
        return practice_fees()[key]
    except KeyError:
        raise LookupError(
            f"procedure code {key!r} is not in the practice fee schedule ({FEE_SCHEDULE_CSV})"
        ) from None


SuperbillLine = (
    tuple[str, Sequence[str], int | Decimal] | tuple[str, Sequence[str], int | Decimal, str]
)


def _check_diagnoses(diagnoses: Sequence[str], day: dt.date) -> list[str]:
    from medbill_lab.codes import icd10cm

    if not 1 <= len(diagnoses) <= 12:
        raise ValueError(f"an encounter needs 1 to 12 diagnoses, not {len(diagnoses)}")
    codes = []
    for code in diagnoses:
        v = icd10cm.validate(code, day)
        if not v.valid:
            raise ValueError(f"diagnosis {code!r} is not billable on {day.isoformat()}: {v.reason}")
        codes.append(v.code)
    return codes


def _charge(line: SuperbillLine, number: int, dx_count: int) -> dict[str, Any]:
    code, modifiers, units = line[0].strip().upper(), list(line[1]), Decimal(line[2])
    pointers = line[3] if len(line) > 3 else "ABCD"[: min(4, dx_count)]  # type: ignore[misc]
    if units <= 0:
        raise ValueError(f"line {number} ({code}): units must be more than 0, not {units}")
    if len(modifiers) > 4:
        raise ValueError(f"line {number} ({code}): at most 4 modifiers")
    if not pointers or any(ord(p) - 65 >= dx_count or p < "A" for p in pointers):
        raise ValueError(f"line {number} ({code}): pointers {pointers!r} name no diagnosis")
    amount = (fee_for(code) * units).quantize(Decimal("0.01"))
    return {
        "line_number": number,
        "code": code,
        "modifiers": ",".join(m.strip().upper() for m in modifiers),
        "units": units,
        "amount": amount,
        "pointers": pointers,
    }


GENESIS_HASH = "0" * 64  # the "previous hash" of the first entry
_audit_order = itertools.count()  # keeps a flush's new entries in the order they were added
# Tables holding PHI: every change to one of their rows is logged automatically.
_WATCHED = ("patients", "guarantors", "insurance_policies")


def audit_hash(
    seq: int,
    at: dt.datetime,
    who: str,
    action: str,
    table: str,
    record_id: int | None,
    detail: str,
    prev_hash: str,
) -> str:
    """The SHA-256 of one audit entry's fields and the previous entry's hash.

    >>> at = dt.datetime(2026, 1, 2, 3, 4, 5)
    >>> first = audit_hash(1, at, "ana", "view", "patients", 7, "", GENESIS_HASH)
    >>> len(first), first == audit_hash(1, at, "ana", "view", "patients", 8, "", GENESIS_HASH)
    (64, False)
    """
    fields = [
        seq,
        at.isoformat(timespec="microseconds"),
        who,
        action,
        table,
        record_id,
        detail,
        prev_hash,
    ]
    payload = json.dumps(fields, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def current_user(session: Session | None = None) -> str:
    """Who is working: ``session.info["user"]``, else ``$MEDBILL_USER``, else the login name."""
    if session is not None and session.info.get("user"):
        return str(session.info["user"])[:60]
    return (os.environ.get("MEDBILL_USER") or getpass.getuser() or "unknown")[:60]


def audit(
    session: Session,
    action: str,
    table: str,
    record_id: int | None,
    *,
    who: str | None = None,
    at: dt.datetime | None = None,
    detail: str = "",
) -> AuditLog:
    """Add one audit entry (``at`` defaults to now, UTC, without tzinfo; ``who`` to
    :func:`current_user`).  Its place in the hash chain is set when it is flushed."""
    when = at or dt.datetime.now(dt.UTC)
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    row = AuditLog(
        at=when,
        who=(who or current_user(session))[:60],
        action=action,
        table_name=table,
        record_id=record_id,
        detail=detail,
    )
    row._order = next(_audit_order)  # type: ignore[attr-defined]
    session.add(row)
    return row


def _chain_head(session: Session) -> tuple[int, str]:
    """The newest audit entry's sequence number and hash (0 and the genesis hash when empty)."""
    last = session.execute(
        select(AuditLog.seq, AuditLog.hash).order_by(AuditLog.seq.desc()).limit(1)
    ).first()
    return (last[0], last[1]) if last else (0, GENESIS_HASH)


def audit_many(session: Session, entries: Sequence[dict[str, Any]]) -> None:
    """Append many audit entries in one INSERT, chained like :func:`audit`'s.

    Each entry has ``action``, ``table_name``, ``record_id``, ``who``, ``at`` and
    ``detail``.  Pending ORM changes are flushed first, so the chain continues
    from the newest entry in the database.
    """
    if not entries:
        return
    session.flush()
    seq, prev = _chain_head(session)
    rows = []
    for entry in entries:
        seq += 1
        digest = audit_hash(seq, entry["at"], entry["who"], entry["action"], entry["table_name"],
                            entry["record_id"], entry["detail"], prev)  # fmt: skip
        rows.append({**entry, "seq": seq, "prev_hash": prev, "hash": digest})
        prev = digest
    session.execute(insert(AuditLog), rows)


def _log_phi_changes(session: Session) -> None:
    """An ``update``/``delete`` entry for each changed or deleted row of a PHI table,
    naming the columns changed (never their values)."""
    for kind, rows in (("update", session.dirty), ("delete", session.deleted)):
        for row in list(rows):
            if getattr(row, "__tablename__", "") not in _WATCHED:
                continue
            if kind == "update" and not session.is_modified(row, include_collections=False):
                continue
            state = inspect(row)
            changed = (
                sorted(a.key for a in state.attrs if a.history.has_changes())
                if kind == "update"
                else []
            )
            detail = f"changed {', '.join(changed)}" if changed else ""
            audit(session, kind, row.__tablename__, row.id, detail=detail)


@event.listens_for(Session, "before_flush")
def _chain_audit_entries(session: Session, _context: Any, _instances: Any) -> None:
    """Log PHI changes, then give each new audit entry its sequence number and hashes."""
    if not session.new and not session.dirty and not session.deleted:
        return
    _log_phi_changes(session)
    new = [o for o in session.new if isinstance(o, AuditLog)]
    if not new:
        return
    new.sort(key=lambda o: getattr(o, "_order", 0))
    with session.no_autoflush:
        seq, prev = _chain_head(session)
    for row in new:
        seq += 1
        row.seq, row.prev_hash = seq, prev
        row.hash = prev = audit_hash(
            seq, row.at, row.who, row.action, row.table_name, row.record_id, row.detail or "", prev
        )


@dataclass(frozen=True)
class Superbill:
    """One encounter form: who, when, where, the diagnoses and the service lines.

    Each line is ``(code, modifiers, units)`` or ``(code, modifiers, units,
    pointers)`` (pointers as letters, default the first four diagnoses).  ``at``
    is when it was keyed in (the audit time; now when None).
    """

    patient_id: int
    provider_id: int
    date: dt.date
    place_of_service: str
    diagnoses: Sequence[str]
    lines: Sequence[SuperbillLine]
    at: dt.datetime | None = None


def _check_people(session: Session, bills: Sequence[Superbill]) -> None:
    """``LookupError`` naming the first patient or provider that does not exist."""
    for model, attr, what in (
        (Patient, "patient_id", "patient"),
        (Provider, "provider_id", "provider"),
    ):
        wanted = {getattr(b, attr) for b in bills}
        found = set(session.scalars(select(model.id).where(model.id.in_(wanted))))
        for bill in bills:
            if getattr(bill, attr) not in found:
                raise LookupError(f"no {what} with id {getattr(bill, attr)}")


def _entry(bill: Superbill) -> tuple[dict[str, Any], list[str], list[dict[str, Any]]]:
    """One superbill checked and priced: encounter columns, diagnosis codes, charge rows."""
    if not bill.lines:
        raise ValueError("a superbill needs at least one service line")
    codes = _check_diagnoses(bill.diagnoses, bill.date)
    encounter = {
        "patient_id": bill.patient_id,
        "provider_id": bill.provider_id,
        "date_of_service": bill.date,
        "place_of_service": bill.place_of_service,
    }
    return encounter, codes, [_charge(line, n, len(codes)) for n, line in enumerate(bill.lines, 1)]


def enter_superbills(
    session: Session, bills: Sequence[Superbill], *, who: str = "medbill-lab"
) -> list[int]:
    """Post many superbills in ONE unit of work, all of them or none; returns the
    new encounter ids in order.

    Every superbill is checked before anything is written: a missing fee
    (``LookupError`` naming the code), an unknown patient or provider
    (``LookupError``), an invalid diagnosis or line (``ValueError``) leaves
    nothing written, nor does any database error.  Each encounter gets an audit
    entry.  The rows go in with one multi-row INSERT per table (a year of a
    practice's visits is tens of thousands of rows).  Commits when the session
    had no open transaction; otherwise works in a SAVEPOINT and leaves the
    commit to the caller.
    """
    entries = [_entry(bill) for bill in bills]
    if not entries:
        return []
    with transaction(session):
        _check_people(session, bills)
        ids: list[int] = []
        for start in range(0, len(entries), 5000):
            chunk = [e for e, _, _ in entries[start : start + 5000]]
            query = insert(Encounter).returning(Encounter.id, sort_by_parameter_order=True)
            ids += session.scalars(query, chunk).all()
        diagnoses = [
            {"encounter_id": eid, "position": i, "code": code}
            for eid, (_, codes, _) in zip(ids, entries, strict=True)
            for i, code in enumerate(codes, 1)
        ]
        charges = [
            {**row, "encounter_id": eid}
            for eid, (_, _, rows) in zip(ids, entries, strict=True)
            for row in rows
        ]
        session.execute(insert(EncounterDiagnosis), diagnoses)
        session.execute(insert(Charge), charges)
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        audit_many(session, [
            {"action": "enter_superbill", "table_name": "encounters", "record_id": eid,
             "who": who[:60], "at": bill.at or now,
             "detail": f"{len(rows)} charges, ${sum((r['amount'] for r in rows), Decimal(0))}"}
            for eid, bill, (_, _, rows) in zip(ids, bills, entries, strict=True)
        ])  # fmt: skip
    return ids


def enter_superbill(
    session: Session,
    patient_id: int,
    provider_id: int,
    date: dt.date,
    place_of_service: str,
    diagnoses: Sequence[str],
    lines: Sequence[SuperbillLine],
    *,
    who: str = "medbill-lab",
    at: dt.datetime | None = None,
) -> Encounter:
    """Post a superbill: one Encounter, its diagnoses and a Charge per line, in ONE unit of work.

    Each line is ``(code, modifiers, units)`` or ``(code, modifiers, units,
    pointers)`` (pointers as letters, default the first four diagnoses); the charge
    is the practice fee times the units.  Errors are those of
    :func:`enter_superbills`, and leave nothing written.
    """
    bill = Superbill(patient_id, provider_id, date, place_of_service, diagnoses, lines, at)
    encounter = session.get(Encounter, enter_superbills(session, [bill], who=who)[0])
    assert encounter is not None
    return encounter
