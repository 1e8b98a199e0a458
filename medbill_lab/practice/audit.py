"""The access audit log: who viewed or changed which record, tamper-evident.

Every entry in the practice database's ``audit_log`` is chained to the one
before it by a SHA-256 hash (:func:`medbill_lab.practice.db.audit_hash`), and
the database refuses UPDATE and DELETE on the table.  Entries come from:

- every unit of work that writes billing data (charge entry, claims, posting,
  statements...), through :func:`medbill_lab.practice.db.audit`;
- every change to a row holding PHI (patients, guarantors, insurance
  policies), logged automatically at flush with the columns changed;
- views of PHI, through :func:`record_view` (statements, exports, look-ups).

:func:`verify` walks the chain and says where it breaks: an entry whose
contents changed (its hash no longer matches), an entry removed or inserted
(the sequence or the link to the previous hash breaks).  Cutting entries off
the end leaves a valid but shorter chain; compare the head hash with one noted
earlier (``expect_head``) to catch that.
"""

from __future__ import annotations

import datetime as dt  # noqa: F401  (the doctests use it)
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from medbill_lab.practice.db import GENESIS_HASH, AuditLog, audit, audit_hash, transaction


@dataclass(frozen=True)
class Verdict:
    """The result of :func:`verify`: ``ok``, how many entries, the head hash, and
    where and why the chain breaks (``broken_at`` is the entry's sequence number)."""

    ok: bool
    entries: int
    head: str
    broken_at: int | None = None
    problem: str = ""

    def message(self) -> str:
        """One line for a person."""
        if self.ok:
            return f"Audit log intact: {self.entries} entries; head hash {self.head[:16]}"
        return f"Audit log TAMPERED at entry {self.broken_at}: {self.problem}"


def record_view(
    session: Session, table: str, record_id: int | None, *, who: str | None = None, detail: str = ""
) -> AuditLog:
    """Log that someone looked at a record holding PHI.

    The entry is committed at once when the session has no transaction open;
    inside one it is part of that unit of work (and goes if it is rolled back).
    """
    with transaction(session):
        row = audit(session, "view", table, record_id, who=who, detail=detail)
        session.flush()
    return row


def verify(session: Session, *, expect_head: str | None = None) -> Verdict:
    """Walk the whole chain in sequence order and check every link and hash.

    >>> from medbill_lab.practice.db import init_db, sessionmaker
    >>> with sessionmaker(init_db("sqlite://"))() as s:
    ...     _ = record_view(s, "patients", 1, who="ana")
    ...     verify(s).ok
    True
    """
    prev, expected_seq, count = GENESIS_HASH, 1, 0
    # populate_existing: read what the database holds now, not entries this session cached
    query = (
        select(AuditLog)
        .order_by(AuditLog.seq)
        .execution_options(yield_per=2000, populate_existing=True)
    )
    # closed on every return: a loop left early would keep PostgreSQL's server-side cursor
    with session.scalars(query) as rows:
        for row in rows:
            count += 1
            if row.seq != expected_seq:
                what = "missing" if row.seq > expected_seq else "out of order"
                return Verdict(
                    False,
                    count,
                    prev,
                    expected_seq,
                    f"entry {expected_seq} is {what} (next is {row.seq})",
                )
            if row.prev_hash != prev:
                return Verdict(
                    False,
                    count,
                    prev,
                    row.seq,
                    "it does not link to the entry before it (an entry was removed, inserted or rewritten)",
                )
            digest = audit_hash(
                row.seq,
                row.at,
                row.who,
                row.action,
                row.table_name,
                row.record_id,
                row.detail or "",
                row.prev_hash,
            )
            if digest != row.hash:
                return Verdict(
                    False,
                    count,
                    prev,
                    row.seq,
                    "its contents changed after it was written (the hash does not match)",
                )
            prev, expected_seq = row.hash, expected_seq + 1
    if expect_head is not None and expect_head not in (prev, prev[: len(expect_head)]):
        return Verdict(
            False,
            count,
            prev,
            count,
            f"the head is {prev[:16]}, not the expected {expect_head[:16]}: entries were cut off the end",
        )
    return Verdict(True, count, prev)


def entries(session: Session, *, limit: int = 20, table: str | None = None) -> list[AuditLog]:
    """The newest ``limit`` entries (optionally for one table), newest first."""
    query = select(AuditLog).order_by(AuditLog.seq.desc()).limit(limit)
    if table:
        query = query.where(AuditLog.table_name == table)
    return list(session.scalars(query))


def count(session: Session) -> int:
    """How many entries the log holds."""
    return session.scalar(select(func.count()).select_from(AuditLog)) or 0


def describe(row: AuditLog) -> str:
    """One entry as a line: when, who, what, which record.

    >>> describe(AuditLog(seq=3, at=dt.datetime(2026, 5, 1, 9, 30), who="ana", action="view",
    ...                   table_name="patients", record_id=7, detail="statement"))
    '#3 2026-05-01 09:30 ana view patients/7 statement'
    """
    record = f"{row.table_name}/{row.record_id}" if row.record_id is not None else row.table_name
    return (
        f"#{row.seq} {row.at:%Y-%m-%d %H:%M} {row.who} {row.action} {record} {row.detail}".rstrip()
    )
