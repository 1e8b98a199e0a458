"""Leitner-box flashcards for word parts, with progress kept per user in SQLite.

Every card starts in box 1.  A correct answer moves it up one box; a wrong
answer sends it back to box 1.  A card's box says how long until it is due
again:

====  =====================
box   next review
====  =====================
1     every day (1 day)
2     every 2 days
3     every 4 days
4     every 8 days
5     every 16 days
====  =====================

A card never reviewed is "new": it counts in box 1. New cards come in gradually:
at most ``new_per_day`` a day (10 unless the learner sets another number; the
setting is kept per user and deck in the progress file), so a learner meets 10
word parts on day 1, the next 10 on day 2 beside the reviews then due, and so on,
instead of all 524 at once. Each day's session shows the reviews due first, then
the day's new cards; a card answered wrong goes back to box 1 and comes back
later the same day (after the others) until it is answered right. How many new
cards a day has brought is counted from the review log (a card's first answer),
so it survives a restart and cannot be dodged by reopening the app.

Progress lives in a local SQLite file: ``$MEDBILL_LAB_HOME/progress.sqlite``
when that variable is set, else ``~/.medbill_lab/progress.sqlite``.  Each
answer is written in one transaction (the card's box and the review log
together, or neither), so a crash never leaves progress half-written, and it
survives a kernel restart.

>>> import tempfile, datetime, pathlib
>>> tmp = pathlib.Path(tempfile.mkdtemp()) / "progress.sqlite"
>>> deck = Deck("ana", tmp)
>>> day = datetime.date(2026, 1, 5)
>>> card = deck.due(today=day, limit=1)[0]
>>> moved = deck.answer(card.card_id, True, today=day)
>>> moved.box, moved.due.isoformat()
(2, '2026-01-07')
"""

from __future__ import annotations

import getpass
import os
import random
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from medbill_lab.codes.terminology import WordPart, word_parts

INTERVALS = {1: 1, 2: 2, 3: 4, 4: 8, 5: 16}  # box -> days until the next review
NEW_PER_DAY = 10  # new cards a day unless the learner sets another number
MAX_NEW_PER_DAY = 100
SCHEMA_VERSION = 1
MAX_USER_LENGTH = 64
DECKS = {
    "word_parts": None,
    "prefixes": "prefix",
    "combining_forms": "combining_form",
    "suffixes": "suffix",
}

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS cards (
        user TEXT NOT NULL,
        deck TEXT NOT NULL,
        card_id TEXT NOT NULL,
        box INTEGER NOT NULL CHECK (box BETWEEN 1 AND 5),
        due TEXT NOT NULL,
        PRIMARY KEY (user, deck, card_id)
    )""",
    """CREATE TABLE IF NOT EXISTS reviews (
        id INTEGER PRIMARY KEY,
        user TEXT NOT NULL,
        deck TEXT NOT NULL,
        card_id TEXT NOT NULL,
        day TEXT NOT NULL,
        correct INTEGER NOT NULL,
        box_before INTEGER NOT NULL,
        box_after INTEGER NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS reviews_user ON reviews (user, deck, day)",
    # added beside the version-1 tables: a file without it is still version 1
    f"""CREATE TABLE IF NOT EXISTS settings (
        user TEXT NOT NULL,
        deck TEXT NOT NULL,
        new_per_day INTEGER NOT NULL CHECK (new_per_day BETWEEN 0 AND {MAX_NEW_PER_DAY}),
        PRIMARY KEY (user, deck)
    )""",
)


class ProgressFileError(RuntimeError):
    """The progress file was made by a newer MedBill Lab and cannot be used."""


@dataclass(frozen=True)
class Card:
    """One flashcard and where it stands for this user."""

    card_id: str
    front: str
    back: str
    box: int
    due: date
    new: bool


@dataclass(frozen=True)
class Stats:
    """A user's progress through a deck."""

    boxes: dict[int, int]  # box -> cards (new cards count in box 1)
    total: int
    new: int
    due: int  # due today: reviews plus the new cards today still has room for
    reviewed: int  # answers ever given
    reviewed_today: int
    new_today: int = 0  # new cards met today (their first answer was today)
    new_per_day: int = NEW_PER_DAY


def default_path() -> Path:
    """Where progress is kept unless a path is given.

    >>> default_path().name
    'progress.sqlite'
    """
    home = os.environ.get("MEDBILL_LAB_HOME")
    base = Path(home).expanduser() if home else Path.home() / ".medbill_lab"
    return base / "progress.sqlite"


def current_user(environ: dict[str, str] | None = None) -> str:
    """Whose progress this is: the hub's logged-in user, else the local OS user.

    Behind JupyterHub the single-user server (and every kernel it starts) has
    ``JUPYTERHUB_USER`` set by the hub, so the apps keep each learner's progress
    under the name they logged in with; locally (``medbill-lab serve``) the
    progress belongs to the person logged in to the computer. A name typed on
    the page never decides it.

    >>> current_user({"JUPYTERHUB_USER": "ana"})
    'ana'
    """
    env = os.environ if environ is None else environ
    try:
        return validate_user(env.get("JUPYTERHUB_USER", ""))
    except ValueError:
        pass
    try:
        name = getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name and no passwd entry
        name = f"uid-{os.getuid()}" if hasattr(os, "getuid") else "student"
    try:
        return validate_user(name)
    except ValueError:
        return "student"


def validate_user(user: object) -> str:
    """A user name, trimmed: non-empty, at most 64 printable characters.

    >>> validate_user("  maria ")
    'maria'
    >>> validate_user("")
    Traceback (most recent call last):
    ...
    ValueError: A user name is needed, for example 'maria'.
    """
    if not isinstance(user, str) or not user.strip():
        raise ValueError("A user name is needed, for example 'maria'.")
    name = user.strip()
    if len(name) > MAX_USER_LENGTH:
        raise ValueError(f"A user name can be at most {MAX_USER_LENGTH} characters long.")
    if not name.isprintable():
        raise ValueError("A user name can only use printable characters (no tabs or line breaks).")
    return name


def _connect(path: Path) -> sqlite3.Connection:
    # Autocommit mode: every transaction is an explicit BEGIN inside `with con:`.
    return sqlite3.connect(path, isolation_level=None, timeout=10)


@contextmanager
def transaction(path: Path) -> Iterator[sqlite3.Connection]:
    """One all-or-nothing transaction on the progress file (autocommit connection, explicit
    BEGIN IMMEDIATE, so what is read and written in it is under one write lock): committed
    on success, rolled back on error.  The exam's attempts use it too."""
    con = _connect(path)
    try:
        with con:
            con.execute("BEGIN IMMEDIATE")
            yield con
    finally:
        con.close()


def _ensure_schema(path: Path) -> None:
    with transaction(path) as con:
        con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        (version,) = con.execute("SELECT MAX(version) FROM schema_version").fetchone()
        if version is not None and version > SCHEMA_VERSION:
            raise ProgressFileError(
                f"{path} was made by a newer MedBill Lab (schema {version}); update the lab."
            )
        for statement in _SCHEMA:
            con.execute(statement)
        if version is None:
            con.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))


def _log_review(
    con: sqlite3.Connection,
    key: tuple[str, str, str],
    day: date,
    correct: bool,
    before: int,
    after: int,
) -> None:
    """Record one answer in the review log (part of the answer's transaction)."""
    con.execute(
        "INSERT INTO reviews (user, deck, card_id, day, correct, box_before, box_after)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (*key, day.isoformat(), int(correct), before, after),
    )


def _back(p: WordPart) -> str:
    return f"{p.meaning} ({p.label}; {p.body_system})"


class Deck:
    """One user's flashcards for one deck of word parts, saved as they go."""

    def __init__(self, user: str, path: str | Path | None = None, deck: str = "word_parts"):
        """Open (creating if needed) the progress file and this user's deck."""
        self.user = validate_user(user)
        if deck not in DECKS:
            raise ValueError(f"deck must be one of {', '.join(DECKS)}; got {deck!r}.")
        self.deck = deck
        self.path = Path(path).expanduser() if path else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _ensure_schema(self.path)
        kind = DECKS[deck]
        self._parts = {p.part: p for p in word_parts() if kind is None or p.type == kind}

    def __repr__(self) -> str:
        return f"Deck(user={self.user!r}, path={str(self.path)!r}, deck={self.deck!r})"

    def _progress(self, con: sqlite3.Connection) -> dict[str, tuple[int, date]]:
        rows = con.execute(
            "SELECT card_id, box, due FROM cards WHERE user = ? AND deck = ?",
            (self.user, self.deck),
        )
        return {cid: (box, date.fromisoformat(d)) for cid, box, d in rows if cid in self._parts}

    def _read(self) -> dict[str, tuple[int, date]]:
        con = _connect(self.path)
        try:
            return self._progress(con)
        finally:
            con.close()

    def _card(self, card_id: str, box: int, due: date, new: bool) -> Card:
        p = self._parts[card_id]
        return Card(card_id, p.part, _back(p), box, due, new)

    def card(self, card_id: str, today: date | None = None) -> Card:
        """One card as it stands now (ValueError for a card not in this deck)."""
        if card_id not in self._parts:
            raise ValueError(f"{card_id!r} is not a card in the {self.deck!r} deck.")
        seen = self._read().get(card_id)
        if seen is None:
            return self._card(card_id, 1, today or date.today(), True)
        return self._card(card_id, *seen, False)

    def due(self, today: date | None = None, limit: int = 20) -> list[Card]:
        """Cards to review today, in order: reviews due (oldest due date, lowest box first),
        then new cards (as many as today still has room for), then cards answered wrong
        today (they come back after the others)."""
        if not isinstance(limit, int) or limit < 1:
            raise ValueError(f"limit must be a whole number, 1 or more; got {limit!r}.")
        today = today or date.today()
        con = _connect(self.path)
        try:
            seen = self._progress(con)
            missed = self._missed_on(con, today)
            room = self._new_room(con, today)
        finally:
            con.close()
        order = {cid: i for i, cid in enumerate(self._parts)}
        waiting = sorted(
            (cid for cid, (_, d) in seen.items() if d <= today and cid not in missed),
            key=lambda cid: (seen[cid][1], seen[cid][0], order[cid]),
        )
        cards = [self._card(cid, *seen[cid], False) for cid in waiting[:limit]]
        fresh = [cid for cid in self._parts if cid not in seen]
        random.Random(f"{self.user}/{self.deck}").shuffle(fresh)  # mixed types, stable per user
        take = max(0, min(limit - len(cards), room))
        cards += [self._card(cid, 1, today, True) for cid in fresh[:take]]
        again = [cid for cid in missed if cid in seen and seen[cid][1] <= today]
        cards += [self._card(cid, *seen[cid], False) for cid in again[: limit - len(cards)]]
        return cards

    def _missed_on(self, con: sqlite3.Connection, day: date) -> list[str]:
        """Cards whose latest answer on ``day`` was wrong, in the order they were missed."""
        rows = con.execute(
            "SELECT card_id, correct, MAX(id) FROM reviews WHERE user = ? AND deck = ? AND day = ?"
            " GROUP BY card_id ORDER BY MAX(id)",
            (self.user, self.deck, day.isoformat()),
        )
        return [cid for cid, correct, _ in rows if not correct]

    def _new_on(self, con: sqlite3.Connection, day: date) -> int:
        """How many cards were met for the first time on ``day`` (from the review log)."""
        (count,) = con.execute(
            "SELECT COUNT(*) FROM (SELECT MIN(day) AS first FROM reviews"
            " WHERE user = ? AND deck = ? GROUP BY card_id) WHERE first = ?",
            (self.user, self.deck, day.isoformat()),
        ).fetchone()
        return count

    def _new_room(self, con: sqlite3.Connection, day: date) -> int:
        """New cards ``day`` still has room for."""
        return max(0, self._new_per_day(con) - self._new_on(con, day))

    def _new_per_day(self, con: sqlite3.Connection) -> int:
        row = con.execute(
            "SELECT new_per_day FROM settings WHERE user = ? AND deck = ?", (self.user, self.deck)
        ).fetchone()
        return NEW_PER_DAY if row is None else row[0]

    @property
    def new_per_day(self) -> int:
        """New cards a day for this user and deck (the saved setting, else 10)."""
        con = _connect(self.path)
        try:
            return self._new_per_day(con)
        finally:
            con.close()

    def set_new_per_day(self, count: int) -> int:
        """Save how many new cards a day this user meets (0 to 100); returns it.

        ValueError for anything else (a bool, a fraction, a negative number).
        """
        if isinstance(count, bool) or not isinstance(count, int):
            raise ValueError(f"New cards a day must be a whole number; got {count!r}.")
        if not 0 <= count <= MAX_NEW_PER_DAY:
            raise ValueError(f"New cards a day must be 0 to {MAX_NEW_PER_DAY}; got {count}.")
        with transaction(self.path) as con:
            con.execute(
                "INSERT INTO settings (user, deck, new_per_day) VALUES (?, ?, ?)"
                " ON CONFLICT (user, deck) DO UPDATE SET new_per_day = excluded.new_per_day",
                (self.user, self.deck, count),
            )
        return count

    def answer(self, card_id: str, correct: bool, today: date | None = None) -> Card:
        """Record an answer: up one box if correct (due after that box's interval), back to
        box 1 and due again today if not.  Returns the card."""
        if card_id not in self._parts:
            raise ValueError(f"{card_id!r} is not a card in the {self.deck!r} deck.")
        today = today or date.today()
        key = (self.user, self.deck, card_id)
        with transaction(self.path) as con:
            row = con.execute(
                "SELECT box FROM cards WHERE user = ? AND deck = ? AND card_id = ?", key
            ).fetchone()
            before = row[0] if row else 1
            after = min(before + 1, 5) if correct else 1
            due = today + timedelta(days=INTERVALS[after] if correct else 0)
            con.execute(
                "INSERT INTO cards (user, deck, card_id, box, due) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (user, deck, card_id) DO UPDATE SET box = excluded.box, due = excluded.due",
                (*key, after, due.isoformat()),
            )
            _log_review(con, key, today, bool(correct), before, after)
        return self._card(card_id, after, due, False)

    def stats(self, today: date | None = None) -> Stats:
        """Cards per box, how many are new and due today, and how many answers were given."""
        today = today or date.today()
        con = _connect(self.path)
        try:
            seen = self._progress(con)
            reviewed, reviewed_today = con.execute(
                "SELECT COUNT(*), COALESCE(SUM(day = ?), 0) FROM reviews WHERE user = ? AND deck = ?",
                (today.isoformat(), self.user, self.deck),
            ).fetchone()
            new_today, room = self._new_on(con, today), self._new_room(con, today)
            per_day = self._new_per_day(con)
        finally:
            con.close()
        new = len(self._parts) - len(seen)
        boxes = {box: 0 for box in INTERVALS}
        for box, _ in seen.values():
            boxes[box] += 1
        boxes[1] += new
        due = min(new, room) + sum(d <= today for _, d in seen.values())
        return Stats(
            boxes, len(self._parts), new, due, reviewed, reviewed_today, new_today, per_day
        )

    def reset(self) -> None:
        """Forget this user's progress in this deck (other users and decks are untouched)."""
        with transaction(self.path) as con:
            for table in ("cards", "reviews"):  # the new-cards-a-day setting stays
                con.execute(
                    f"DELETE FROM {table} WHERE user = ? AND deck = ?", (self.user, self.deck)
                )
