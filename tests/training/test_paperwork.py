"""The paperwork sorter: its documents, check(), deal() and the widget."""

from __future__ import annotations

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


def test_widget_wraps_around_after_the_last_document():
    box = paperwork_sorter(seed=5)
    first = box.tray.current.id
    for _ in range(len(paperwork.documents())):
        box.next.click()
    assert box.tray.current.id == first
