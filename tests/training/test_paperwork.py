"""The paperwork sorter: its documents, check(), deal() and the widget."""

from __future__ import annotations

from html import escape

import pytest

from medbill_lab.apps.paperwork_sorter import paperwork_sorter
from medbill_lab.training import paperwork


def test_documents_are_complete_and_ids_unique():
    docs = paperwork.documents()
    assert len(docs) >= 30
    assert len({d.id for d in docs}) == len(docs)
    for d in docs:
        assert d.kind.strip() and d.why.strip() and "\n" not in d.why
        assert 3 <= len(d.text.splitlines()) <= 6, d.id
        assert d.queue in paperwork.QUEUES, d.id


def test_every_queue_is_used_more_than_once():
    used = [d.queue for d in paperwork.documents()]
    assert all(used.count(q) >= 2 for q in paperwork.QUEUES)


def test_check_right_and_wrong_explain_the_queue():
    doc = paperwork.document("doc-11")  # the missing-authorization denial
    assert doc.queue == "denials-appeals"
    right, why = paperwork.check(doc.id, "denials-appeals")
    assert right and why.startswith("Right") and doc.why in why
    wrong, why = paperwork.check(doc.id, "charge-entry")
    assert not wrong and "Denials and appeals" in why and doc.why in why


@pytest.mark.parametrize(("doc_id", "queue"), [("doc-99", "charge-entry"), ("doc-01", "mailroom")])
def test_check_refuses_unknown_ids_and_queues(doc_id, queue):
    with pytest.raises(paperwork.PaperworkError):
        paperwork.check(doc_id, queue)


def test_deal_is_deterministic_and_a_permutation():
    assert [d.id for d in paperwork.deal(3)] == [d.id for d in paperwork.deal(3)]
    assert [d.id for d in paperwork.deal(3)] != [d.id for d in paperwork.deal(4)]
    assert sorted(d.id for d in paperwork.deal(3)) == sorted(d.id for d in paperwork.documents())
    assert len(paperwork.deal(3, 5)) == 5 and paperwork.deal(3, 0) == []
    assert [d.id for d in paperwork.deal(3, 5)] == [d.id for d in paperwork.deal(3)][:5]


def test_widget_right_then_wrong_updates_feedback_and_score():
    box = paperwork_sorter(seed=1)
    first = box.tray.current
    assert first.text.splitlines()[0] in box.document.value.replace("&#x27;", "'")
    assert "nothing filed yet" in box.score.value
    box.queue.value = first.queue
    box.file.click()
    assert "Right" in box.feedback.value and "1 of 1" in box.score.value
    assert box.file.disabled  # one filing per document
    box.next.click()
    second = box.tray.current
    assert second.id != first.id and box.feedback.value == "" and not box.file.disabled
    box.queue.value = next(q for q in paperwork.QUEUES if q != second.queue)
    box.file.click()
    assert "this goes to" in box.feedback.value and "1 of 2" in box.score.value


def test_widget_without_a_choice_gets_a_friendly_message():
    box = paperwork_sorter(seed=2)
    box.file.click()
    assert "mbl-msg" in box.feedback.value and "Choose a work queue" in box.feedback.value
    assert "nothing filed yet" in box.score.value


def test_the_learner_sees_no_kind_and_no_id_before_filing():
    # the kind ("denial letter", "records request") names the queue; several seeds, every
    # document of each round
    for seed in range(4):
        box = paperwork_sorter(seed=seed, round_size=len(paperwork.documents()))
        for _ in range(len(box.tray.hand)):
            doc, shown = box.tray.current, box.document.value
            body = "<br>".join(escape(line) for line in doc.text.splitlines())
            assert body in shown  # the document's own words, as written ...
            around = shown.replace(body, "")  # ... and nothing around them names it
            assert doc.kind not in around and doc.id not in around
            assert paperwork.QUEUES[doc.queue] not in around and doc.why not in around
            box.next.click()


def test_the_kind_is_told_once_filed():
    box = paperwork_sorter(seed=3)
    doc = box.tray.current
    box.queue.value = doc.queue
    box.file.click()
    assert f"It was a {doc.kind}" in box.feedback.value


def play_round(box, right: int, skip: int = 0) -> dict[str, str]:
    """File the round's documents: the first ``right`` in their queue, the rest (but the
    last ``skip``) in a wrong one; returns where each went."""
    went = {}
    n = len(box.tray.hand)
    for i in range(n):
        doc = box.tray.current
        if i < n - skip:
            box.queue.value = (
                doc.queue if i < right else next(q for q in paperwork.QUEUES if q != doc.queue)
            )
            box.file.click()
            went[doc.id] = box.queue.value
        box.next.click()
    return went


def test_a_round_ends_with_a_summary_of_every_document():
    box = paperwork_sorter(seed=11)
    hand = list(box.tray.hand)
    assert len(hand) == paperwork.ROUND_SIZE
    went = play_round(box, right=6, skip=1)
    text = box.summary.value
    assert "Round over: 6 of 10 in the right queue (1 not filed)" in text
    assert text.count("<tr>") == 1 + len(hand)
    for doc in hand:  # each document, where it went, where it belonged and why
        row = text.split(escape(doc.text.splitlines()[0]), 1)[1].split("</tr>", 1)[0]
        queue = paperwork.QUEUES[went[doc.id]] if doc.id in went else "not filed"
        assert queue in row and paperwork.QUEUES[doc.queue] in row
        assert escape(doc.why) in row and doc.kind in row
    assert box.document.value == "" and box.file.disabled and box.queue.disabled
    assert box.next.description == "New round"


def test_the_last_document_leads_to_the_summary_and_a_new_round_starts_afresh():
    box = paperwork_sorter(seed=12, round_size=3)
    first = [d.id for d in box.tray.hand]
    for _ in range(2):
        box.next.click()
    assert box.next.description == "See the summary" and box.summary.value == ""
    box.next.click()
    assert "Round over: 0 of 3 in the right queue (3 not filed)" in box.summary.value
    box.next.click()  # New round
    assert box.summary.value == "" and "nothing filed yet" in box.score.value
    assert not box.file.disabled and box.next.description == "Next document"
    assert "Document 1 of 3" in box.document.value and box.tray.chosen == {}
    assert [d.id for d in box.tray.hand] != first


def test_summarize_counts_and_refuses_an_unknown_queue():
    hand = [paperwork.document(i) for i in ("doc-01", "doc-11", "doc-29")]
    s = paperwork.summarize(hand, {"doc-01": "charge-entry", "doc-11": "payment-posting"})
    assert (s.right, s.filed, s.total) == (1, 2, 3)
    assert [f.correct for f in s.filings] == [True, False, False]
    assert s.filings[1].why.startswith("Denials and appeals: ")
    with pytest.raises(paperwork.PaperworkError):
        paperwork.summarize(hand, {"doc-01": "mailroom"})
