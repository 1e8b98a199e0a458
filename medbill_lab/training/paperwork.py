"""The paperwork sorter: which work queue does each incoming document go to?

A billing office's mail and fax tray holds superbills, EOBs, denial letters,
returned statements, new insurance cards and records requests.  Each belongs in
one work queue; :func:`check` says whether a choice is right and why.

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
