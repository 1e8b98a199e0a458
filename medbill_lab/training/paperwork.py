"""The paperwork sorter: which work queue does each incoming document go to?

A billing office's mail and fax tray holds superbills, EOBs, denial letters,
returned statements, new insurance cards and records requests.  Each belongs in
one work queue; :func:`check` says whether a choice is right and why. A round is
a hand of :data:`ROUND_SIZE` documents; :func:`summarize` reports it (the score, and
each document: where it went, where it belonged and why).

What a learner sees of a document before filing it is its text only: its ``kind``
("denial letter", "records request") names the answer and is shown in the feedback
and the round's summary, never beside the document.

>>> correct, why = check("doc-01", "charge-entry")
>>> correct
True
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from functools import cache

from medbill_lab.datasets import datasets_dir

QUEUES = {
    "charge-entry": "Charge entry",
    "payment-posting": "Payment posting",
    "denials-appeals": "Denials and appeals",
    "patient-accounts": "Patient accounts / collections",
    "front-desk": "Front desk / eligibility",
    "release-of-information": "HIPAA release of information",
}


ROUND_SIZE = 10  # documents in a round: a few minutes of sorting, then the summary


class PaperworkError(ValueError):
    """An unknown document id or queue."""


@dataclass(frozen=True)
class Document:
    """One piece of incoming paperwork and the queue it belongs in."""

    id: str
    kind: str
    text: str
    queue: str
    why: str


@cache
def documents() -> tuple[Document, ...]:
    """Every document in ``datasets/paperwork/documents.json``, in file order.

    >>> len(documents()) >= 30
    True
    """
    path = datasets_dir() / "paperwork" / "documents.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    return tuple(Document(**row) for row in rows)


def document(doc_id: str) -> Document:
    """The document with this id (raises PaperworkError when there is none)."""
    for doc in documents():
        if doc.id == doc_id:
            return doc
    raise PaperworkError(f"There is no document {doc_id!r}.")


def check(doc_id: str, queue: str) -> tuple[bool, str]:
    """Is ``queue`` the right place for the document?  Returns (correct, explanation).

    >>> check("doc-01", "payment-posting")[0]
    False
    """
    if queue not in QUEUES:
        raise PaperworkError(f"There is no work queue {queue!r}.")
    doc = document(doc_id)
    if queue == doc.queue:
        return True, f"Right: {QUEUES[queue]}. {doc.why}"
    return False, f"Not {QUEUES[queue]}: this goes to {QUEUES[doc.queue]}. {doc.why}"


def deal(seed: int | None = None, n: int | None = None) -> list[Document]:
    """``n`` documents (all when None) in a shuffled order; the same seed deals the same hand.

    >>> [d.id for d in deal(7, 3)] == [d.id for d in deal(7, 3)]
    True
    """
    hand = list(documents())
    random.Random(seed).shuffle(hand)
    return hand if n is None else hand[: max(0, n)]


@dataclass(frozen=True)
class Filing:
    """One document of a round and the queue the learner filed it in (None: not filed)."""

    document: Document
    chosen: str | None

    @property
    def correct(self) -> bool:
        """Whether the document went to the queue it belongs in."""
        return self.chosen == self.document.queue

    @property
    def why(self) -> str:
        """Where it belongs and the reason, as the summary states it."""
        return f"{QUEUES[self.document.queue]}: {self.document.why}"


@dataclass(frozen=True)
class RoundSummary:
    """A finished round: each document in the order dealt, with where it went."""

    filings: tuple[Filing, ...]

    @property
    def right(self) -> int:
        """Documents filed in the right queue."""
        return sum(f.correct for f in self.filings)

    @property
    def filed(self) -> int:
        """Documents filed at all (a document skipped counts as not filed, and as wrong)."""
        return sum(f.chosen is not None for f in self.filings)

    @property
    def total(self) -> int:
        """Documents in the round."""
        return len(self.filings)


def summarize(hand: list[Document], chosen: dict[str, str]) -> RoundSummary:
    """The round's summary: ``chosen`` maps a document id to the queue it was filed in.

    >>> hand = [document("doc-01"), document("doc-11")]
    >>> s = summarize(hand, {"doc-01": "charge-entry"})
    >>> (s.right, s.filed, s.total), s.filings[1].chosen
    ((1, 1, 2), None)
    """
    for doc_id, queue in chosen.items():
        if queue not in QUEUES:
            raise PaperworkError(f"There is no work queue {queue!r} (document {doc_id}).")
    return RoundSummary(tuple(Filing(doc, chosen.get(doc.id)) for doc in hand))
