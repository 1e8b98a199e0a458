"""Mock-exam attempts per learner, kept in SQLite beside the flashcards' progress.

The file is ``$MEDBILL_LAB_HOME/progress.sqlite`` (as :mod:`flashcards`), with its
own tables: ``exam_sittings`` (one row a submitted sitting: learner, form, kind,
score, when) and ``exam_responses`` (one row an item of it: the answer in the
bank's terms, right or not, seconds spent, flagged).  A sitting and its responses
are written in one transaction, and the sitting's kind is decided inside it:

* ``scored``: the learner's first sitting of that form;
* ``review``: a re-sitting of a form they have already submitted (they have seen
  its rationales).  Reviews are stored and listed apart, never counted in
  progress or in item analysis.

>>> import tempfile, pathlib
>>> from medbill_lab.training import exam, exam_bank
>>> bank = exam_bank.load(exam_bank.datasets_dir().parent / "tests/data/exam_bank_fixture")
>>> store = Attempts(pathlib.Path(tempfile.mkdtemp()) / "progress.sqlite")
>>> form = exam.new_form(bank, "CBCS", n=3, seed=5)
>>> [store.record(exam.Sitting(form, "ana").submit()).kind for _ in range(2)]
['scored', 'review']
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from medbill_lab.training.exam import Result, attempt_kind, share_percent
from medbill_lab.training.exam_bank import DOMAINS
from medbill_lab.training.flashcards import (
    ProgressFileError,
    default_path,
    transaction,
    validate_user,
)
from medbill_lab.training.item_analysis import Response

SCHEMA_VERSION = 1
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS exam_schema_version (version INTEGER NOT NULL)",
    """CREATE TABLE IF NOT EXISTS exam_sittings (
        id INTEGER PRIMARY KEY,
        learner TEXT NOT NULL,
        form_id TEXT NOT NULL,
        style TEXT NOT NULL,
        seed INTEGER NOT NULL,
        minutes REAL NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('scored', 'review')),
        submitted_at TEXT NOT NULL,
        elapsed REAL NOT NULL,
        timed_out INTEGER NOT NULL,
        n_right INTEGER NOT NULL,
        n_total INTEGER NOT NULL,
        passed INTEGER NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS exam_responses (
        sitting_id INTEGER NOT NULL REFERENCES exam_sittings (id),
        position INTEGER NOT NULL,
        item_id TEXT NOT NULL,
        domain TEXT NOT NULL,
        item_type TEXT NOT NULL,
        answer TEXT,
        correct INTEGER NOT NULL,
        seconds REAL NOT NULL,
        flagged INTEGER NOT NULL,
        PRIMARY KEY (sitting_id, position)
    )""",
    "CREATE INDEX IF NOT EXISTS exam_sittings_learner ON exam_sittings (learner, form_id)",
)


@dataclass(frozen=True)
class Attempt:
    """One stored sitting."""

    id: int
    learner: str
    form_id: str
    style: str
    seed: int
    kind: str
    submitted_at: str
    right: int
    total: int
    passed: bool
    timed_out: bool

    @property
    def percent(self) -> float:
        """Share right, in percent (one decimal)."""
        return share_percent(self.right, self.total)


@dataclass(frozen=True)
class Progress:
    """A learner's progress: scored sittings in order, each domain over them, reviews apart."""

    learner: str
    scored: tuple[Attempt, ...]
    reviews: tuple[Attempt, ...]
    by_domain: dict[str, tuple[int, int]]  # domain -> (right, total) over scored sittings
    per_sitting: dict[int, dict[str, tuple[int, int]]]  # sitting id -> domain -> (right, total)


class Attempts:
    """The attempts store in one SQLite file (default: the progress file)."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else default_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._ensure_schema()
        except sqlite3.DatabaseError as exc:
            raise ProgressFileError(f"{self.path} is not a usable progress file ({exc}).") from None

    def _ensure_schema(self) -> None:
        with transaction(self.path) as con:
            for statement in _SCHEMA:
                con.execute(statement)
            (version,) = con.execute("SELECT MAX(version) FROM exam_schema_version").fetchone()
            if version is not None and version > SCHEMA_VERSION:
                raise ProgressFileError(
                    f"{self.path} was made by a newer MedBill Lab (exam schema {version}); "
                    "update the lab."
                )
            if version is None:
                con.execute("INSERT INTO exam_schema_version VALUES (?)", (SCHEMA_VERSION,))

    def record(self, result: Result, now: datetime | None = None) -> Attempt:
        """Store a submitted sitting and its responses in one transaction; its kind is
        ``scored`` for the learner's first sitting of the form, else ``review``."""
        learner = validate_user(result.learner)
        form = result.form
        when = (now or datetime.now(UTC)).isoformat(timespec="seconds")
        with transaction(self.path) as con:
            earlier = [
                r[0]
                for r in con.execute(
                    "SELECT form_id FROM exam_sittings WHERE learner = ?", (learner,)
                )
            ]
            kind = attempt_kind(earlier, form.form_id)
            cur = con.execute(
                "INSERT INTO exam_sittings (learner, form_id, style, seed, minutes, kind,"
                " submitted_at, elapsed, timed_out, n_right, n_total, passed)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    learner,
                    form.form_id,
                    form.style,
                    form.seed,
                    form.minutes,
                    kind,
                    when,
                    result.elapsed,
                    int(result.timed_out),
                    result.right,
                    result.total,
                    int(result.passed),
                ),
            )
            sitting_id = cur.lastrowid
            con.executemany(
                "INSERT INTO exam_responses VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        sitting_id,
                        r.position,
                        r.item.id,
                        r.item.domain,
                        r.item.type,
                        r.stored_answer,
                        int(r.correct),
                        r.seconds,
                        int(r.flagged),
                    )
                    for r in result.items
                ],
            )
        return self._attempt(sitting_id)

    def _rows(self, sql: str, args: tuple = ()) -> list[tuple]:
        con = sqlite3.connect(self.path, timeout=10)
        try:
            return con.execute(sql, args).fetchall()
        finally:
            con.close()

    _COLUMNS = (
        "id, learner, form_id, style, seed, kind, submitted_at, n_right, n_total, passed, timed_out"
    )

    def _attempt(self, sitting_id: int) -> Attempt:
        (row,) = self._rows(
            f"SELECT {self._COLUMNS} FROM exam_sittings WHERE id = ?", (sitting_id,)
        )
        return _to_attempt(row)

    def sittings(self, learner: str | None = None) -> list[Attempt]:
        """Stored sittings in the order submitted: one learner's, or everyone's."""
        sql = f"SELECT {self._COLUMNS} FROM exam_sittings"
        args: tuple = ()
        if learner is not None:
            sql += " WHERE learner = ?"
            args = (validate_user(learner),)
        return [_to_attempt(r) for r in self._rows(sql + " ORDER BY id", args)]

    def has_sat(self, learner: str, form_id: str) -> bool:
        """Whether the learner has already submitted this form (a new sitting would be a review)."""
        return any(a.form_id == form_id for a in self.sittings(learner))

    def progress(self, learner: str) -> Progress:
        """The learner's scored sittings and each domain over them; reviews listed apart."""
        attempts = self.sittings(learner)
        scored = tuple(a for a in attempts if a.kind == "scored")
        per: dict[int, dict[str, tuple[int, int]]] = {a.id: {} for a in scored}
        if scored:
            marks = ",".join("?" * len(scored))
            for sid, domain, right, total in self._rows(
                "SELECT sitting_id, domain, SUM(correct), COUNT(*) FROM exam_responses"
                f" WHERE sitting_id IN ({marks}) GROUP BY sitting_id, domain",
                tuple(a.id for a in scored),
            ):
                per[sid][domain] = (right, total)
        totals: dict[str, tuple[int, int]] = {}
        for domains in per.values():
            for d, (right, total) in domains.items():
                r0, t0 = totals.get(d, (0, 0))
                totals[d] = (r0 + right, t0 + total)
        by_domain = {d: totals[d] for d in DOMAINS if d in totals}
        reviews = tuple(a for a in attempts if a.kind == "review")
        return Progress(validate_user(learner), scored, reviews, by_domain, per)

    def responses(self) -> list[Response]:
        """Every response of a *scored* sitting, for item analysis (a learner who sat
        several forms answers each item once: the first time they met it counts)."""
        rows = self._rows(
            "SELECT s.learner, r.item_id, r.answer, r.correct FROM exam_responses r"
            " JOIN exam_sittings s ON s.id = r.sitting_id WHERE s.kind = 'scored'"
            " ORDER BY s.id, r.position"
        )
        seen: set[tuple[str, str]] = set()
        out = []
        for learner, item_id, answer, correct in rows:
            if (learner, item_id) not in seen:
                seen.add((learner, item_id))
                out.append(Response(learner, item_id, answer, float(correct)))
        return out


def _to_attempt(row: tuple) -> Attempt:
    sid, learner, form_id, style, seed, kind, when, right, total, passed, timed_out = row
    return Attempt(
        sid, learner, form_id, style, seed, kind, when, right, total, bool(passed), bool(timed_out)
    )
