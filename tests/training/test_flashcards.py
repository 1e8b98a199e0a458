"""Leitner flashcards: box moves, due dates, saved progress, and the trainer widget."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from medbill_lab.apps.flashcards import flashcard_trainer
from medbill_lab.codes.terminology import word_part, word_parts
from medbill_lab.training import flashcards
from medbill_lab.training.flashcards import (
    INTERVALS,
    MAX_NEW_PER_DAY,
    NEW_PER_DAY,
    Deck,
    ProgressFileError,
    validate_user,
)

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2026, 3, 2)


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "nested" / "progress.sqlite"


def test_intervals_are_the_documented_leitner_schedule():
    assert INTERVALS == {1: 1, 2: 2, 3: 4, 4: 8, 5: 16}


def test_a_fresh_deck_has_every_word_part_new_in_box_1(db):
    deck = Deck("maria", db)
    s = deck.stats(today=DAY)
    assert s.total == len(word_parts())
    assert s.new == s.total == s.boxes[1]
    assert s.due == NEW_PER_DAY == s.new_per_day == 10 and s.new_today == 0  # not all 524
    assert s.boxes == {1: s.total, 2: 0, 3: 0, 4: 0, 5: 0}
    assert (s.reviewed, s.reviewed_today) == (0, 0)
    assert db.exists()  # folders created as needed


def test_cards_show_the_part_and_its_meaning(db):
    card = Deck("maria", db).card("-ectomy", today=DAY)
    assert card.front == "-ectomy"
    assert "surgical removal" in card.back and "general" in card.back
    assert card.new and card.box == 1


def test_correct_answers_move_up_one_box_at_a_time(db):
    deck = Deck("maria", db)
    day = DAY
    for box in (2, 3, 4, 5, 5):
        card = deck.answer("-itis", True, today=day)
        assert card.box == box
        assert card.due == day + timedelta(days=INTERVALS[box])
        day = card.due


def test_a_wrong_answer_sends_the_card_back_to_box_1(db):
    deck = Deck("maria", db)
    for _ in range(3):
        deck.answer("cardi/o", True, today=DAY)
    assert deck.card("cardi/o").box == 4
    card = deck.answer("cardi/o", False, today=DAY)
    assert (card.box, card.due) == (1, DAY)  # back in box 1, and again later today
    assert deck.stats(today=DAY).boxes[1] == deck.stats(today=DAY).total


def test_due_dates_decide_what_comes_up(db):
    deck = Deck("maria", db)
    deck.answer("gastr/o", True, today=DAY)  # box 2: due in 2 days
    deck.answer("hepat/o", False, today=DAY)  # box 1: again today
    everything = len(word_parts())
    today = ids(deck.due(today=DAY, limit=everything))
    assert "gastr/o" not in today and today[-1] == "hepat/o"  # the missed card comes last
    assert len(today) == NEW_PER_DAY - 2 + 1  # the day's room for new cards, then hepat/o
    tomorrow = ids(deck.due(today=DAY + timedelta(days=1), limit=3))
    assert tomorrow[0] == "hepat/o"  # reviewed cards come before new ones
    later = ids(deck.due(today=DAY + timedelta(days=2), limit=3))
    assert later[:2] == ["hepat/o", "gastr/o"]  # older due date first
    assert deck.stats(today=DAY).due == NEW_PER_DAY - 2 + 1


def ids(cards) -> list[str]:
    return [c.card_id for c in cards]


def test_due_respects_the_limit_and_rejects_nonsense(db):
    deck = Deck("maria", db)
    assert len(deck.due(today=DAY, limit=5)) == 5
    assert len(deck.due(today=DAY)) == NEW_PER_DAY  # the day's new cards, under the limit
    deck.set_new_per_day(30)
    assert len(deck.due(today=DAY)) == 20  # the default limit
    with pytest.raises(ValueError):
        deck.due(limit=0)


def answer_all(deck: Deck, day: date, wrong: set[str] = frozenset()) -> list[str]:
    """Answer every card due on ``day`` once, in order (those in ``wrong`` wrongly)."""
    shown = ids(deck.due(today=day, limit=1000))
    for cid in shown:
        deck.answer(cid, cid not in wrong, today=day)
    return shown


@pytest.mark.parametrize("per_day", [10, 3])
def test_new_cards_come_a_few_a_day_reviews_first(db, per_day):
    deck = Deck("maria", db)
    if per_day != NEW_PER_DAY:
        deck.set_new_per_day(per_day)
    # day 1: at most N new cards, all new
    day1 = deck.due(today=DAY, limit=1000)
    assert len(day1) == per_day and all(c.new for c in day1)
    missed = {day1[0].card_id, day1[-1].card_id}
    answer_all(deck, DAY, wrong=missed)
    # the cards missed come back the same day, and nothing new: today's room is used
    again = deck.due(today=DAY, limit=1000)
    assert ids(again) == [day1[0].card_id, day1[-1].card_id] and not any(c.new for c in again)
    deck.answer(day1[0].card_id, True, today=DAY)  # known at last: box 2
    assert ids(deck.due(today=DAY, limit=1000)) == [day1[-1].card_id]
    s = deck.stats(today=DAY)
    assert (s.new_today, s.new, s.due) == (per_day, s.total - per_day, 1)
    # day 2: the review due first (the card still missed), then N more new cards
    day2 = deck.due(today=DAY + timedelta(days=1), limit=1000)
    assert day2[0].card_id == day1[-1].card_id and not day2[0].new
    assert len(day2) == 1 + per_day and all(c.new for c in day2[1:])
    assert not set(ids(day2[1:])) & set(ids(day1))
    answer_all(deck, DAY + timedelta(days=1))
    # day 3: the cards known on day 1 are due (box 2, two days), before day 3's new cards
    day3 = deck.due(today=DAY + timedelta(days=2), limit=1000)
    reviews = [c for c in day3 if not c.new]
    assert set(ids(reviews)) == set(ids(day1)) - {day1[-1].card_id}
    assert day3[: len(reviews)] == reviews and len(day3) == len(reviews) + per_day


def test_the_day_count_survives_reopening_the_deck(db):
    answer_all(Deck("maria", db), DAY)
    reopened = Deck("maria", db)  # a new session (or a restarted kernel) the same day
    assert reopened.due(today=DAY, limit=1000) == []
    assert reopened.stats(today=DAY).new_today == NEW_PER_DAY
    assert len(reopened.due(today=DAY + timedelta(days=1), limit=1000)) == NEW_PER_DAY


def test_the_new_cards_setting_is_saved_per_user_and_checked(db):
    deck = Deck("maria", db)
    assert deck.set_new_per_day(3) == 3
    assert Deck("maria", db).new_per_day == 3 and Deck("ben", db).new_per_day == NEW_PER_DAY
    Deck("maria", db).reset()  # forgetting the progress keeps the setting
    assert Deck("maria", db).new_per_day == 3
    deck.set_new_per_day(0)  # reviews only
    assert deck.due(today=DAY) == [] and deck.stats(today=DAY).due == 0
    for bad in (-1, MAX_NEW_PER_DAY + 1, 2.5, True, "5", None):
        with pytest.raises(ValueError):
            deck.set_new_per_day(bad)
    assert deck.new_per_day == 0


def test_progress_survives_a_new_deck_object(db):
    Deck("maria", db).answer("-ectomy", True, today=DAY)
    again = Deck("maria", db)
    assert again.card("-ectomy").box == 2
    assert again.stats(today=DAY).reviewed_today == 1


def test_progress_survives_a_new_process(db):
    child = (
        "import sys, datetime; from medbill_lab.training.flashcards import Deck; "
        "d = Deck('maria', sys.argv[1]); "
        "d.answer('-ostomy', True, today=datetime.date(2026, 3, 2)); "
        "d.answer('-ostomy', True, today=datetime.date(2026, 3, 4))"
    )
    subprocess.run([sys.executable, "-c", child, str(db)], cwd=ROOT, check=True, timeout=60)
    card = Deck("maria", db).card("-ostomy")
    assert card.box == 3 and card.due == date(2026, 3, 8)
    # ... and the other way round: this process writes, a new one reads.
    Deck("maria", db).answer("-otomy", True, today=DAY)
    reader = "import sys; from medbill_lab.training.flashcards import Deck; print(Deck('maria', sys.argv[1]).card('-otomy').box)"
    out = subprocess.run(
        [sys.executable, "-c", reader, str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "2"


def test_each_user_has_their_own_progress(db):
    ana, ben = Deck("ana", db), Deck("ben", db)
    ana.answer("-itis", True, today=DAY)
    assert ana.card("-itis").box == 2
    assert ben.card("-itis").box == 1 and ben.stats(today=DAY).reviewed == 0


def test_decks_are_separate_and_limited_to_their_type(db):
    prefixes = Deck("ana", db, deck="prefixes")
    assert prefixes.stats().total == sum(p.type == "prefix" for p in word_parts())
    prefixes.answer("hyper-", True, today=DAY)
    assert Deck("ana", db).card("hyper-").box == 1
    with pytest.raises(ValueError, match="not a card"):
        prefixes.answer("-itis", True)
    with pytest.raises(ValueError, match="deck must be one of"):
        Deck("ana", db, deck="recipes")


def test_reset_forgets_only_that_users_progress(db):
    ana, ben = Deck("ana", db), Deck("ben", db)
    for deck in (ana, ben):
        deck.answer("-itis", True, today=DAY)
    ana.reset()
    assert ana.card("-itis").new and ana.stats(today=DAY).reviewed == 0
    assert ben.card("-itis").box == 2


def test_a_failure_mid_answer_changes_nothing(db, monkeypatch):
    deck = Deck("maria", db)
    deck.answer("-itis", True, today=DAY)
    before = deck.stats(today=DAY)

    def crash(*args, **kwargs):
        raise RuntimeError("disk unplugged")

    monkeypatch.setattr(flashcards, "_log_review", crash)
    with pytest.raises(RuntimeError):
        deck.answer("-itis", True, today=DAY)  # the box update ran, then the log failed
    monkeypatch.undo()
    assert deck.card("-itis").box == 2
    assert deck.stats(today=DAY) == before


def test_unknown_cards_are_rejected(db):
    with pytest.raises(ValueError, match="not a card"):
        Deck("maria", db).answer("-blorp", True)


@pytest.mark.parametrize("bad", ["", "   ", None, "x" * 65, "tab\there", "line\nbreak"])
def test_user_names_are_validated(bad, db):
    with pytest.raises(ValueError, match="user name"):
        Deck(bad, db)


def test_good_user_names():
    assert validate_user(" Maria López ") == "Maria López"
    assert validate_user("u" * 64) == "u" * 64


def test_default_path_follows_medbill_lab_home(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDBILL_LAB_HOME", str(tmp_path / "lab-home"))
    deck = Deck("maria")
    assert deck.path == tmp_path / "lab-home" / "progress.sqlite"
    assert deck.path.exists()


def test_schema_has_a_version_table(db):
    Deck("maria", db)
    con = sqlite3.connect(db)
    try:
        assert con.execute("SELECT version FROM schema_version").fetchall() == [(1,)]
    finally:
        con.close()
    Deck("maria", db)  # opening again neither fails nor adds a second version row
    con = sqlite3.connect(db)
    try:
        assert con.execute("SELECT COUNT(*) FROM schema_version").fetchone() == (1,)
    finally:
        con.close()


def test_a_file_from_a_newer_lab_is_refused(db):
    Deck("maria", db)
    con = sqlite3.connect(db)
    with con:
        con.execute("UPDATE schema_version SET version = 99")
    con.close()
    with pytest.raises(ProgressFileError, match="newer"):
        Deck("maria", db)


# --- the trainer widget -----------------------------------------------------


def test_trainer_shows_a_card_then_the_answer_then_moves_it(db):
    box = flashcard_trainer(user="maria", path=db)
    deck = Deck("maria", db)
    front = box.front.value
    card_id = deck.due(limit=1)[0].card_id
    assert card_id in front
    assert box.back.value == "" and box.knew_button.disabled
    box.show_button.click()
    assert word_part(card_id).meaning.split(",")[0] in box.back.value
    assert not box.knew_button.disabled
    counts_before = box.counts.value
    box.knew_button.click()
    assert "box 2" in box.feedback.value
    assert deck.card(card_id).box == 2
    assert box.counts.value != counts_before and "Box 2: <b>1</b>" in box.counts.value
    assert box.front.value != front  # the next card is up
    box.show_button.click()
    nxt = deck.due(limit=1)[0].card_id
    box.missed_button.click()
    assert "box 1" in box.feedback.value and deck.card(nxt).box == 1


def test_trainer_progress_is_kept_for_the_next_session(db):
    first = flashcard_trainer(user="maria", path=db)
    first.show_button.click()
    first.knew_button.click()
    again = flashcard_trainer(user="maria", path=db)
    assert "Box 2: <b>1</b>" in again.counts.value


def test_trainer_progress_belongs_to_the_hub_user_not_a_typed_name(db, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "ana")
    box = flashcard_trainer(path=db)  # as the app opens it
    assert "ana" in box.name.value and box.notice.value == ""
    assert not hasattr(box.name, "disabled") or box.name.disabled  # nothing to type in
    box.show_button.click()
    box.knew_button.click()
    assert Deck("ana", db).stats().boxes[2] == 1
    box.name.value = "ben"  # whatever the page shows, the progress stays ana's
    box.show_button.click()
    box.knew_button.click()
    assert Deck("ana", db).stats().boxes[2] == 2 and Deck("ben", db).stats().reviewed == 0
    monkeypatch.setenv("JUPYTERHUB_USER", "ben")  # another learner's server
    assert "Box 2: <b>0</b>" in flashcard_trainer(path=db).counts.value


def test_trainer_locally_belongs_to_the_computer_user(db, monkeypatch):
    import getpass

    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setattr(getpass, "getuser", lambda: "coder1")
    box = flashcard_trainer(path=db)
    assert "coder1" in box.name.value
    box.show_button.click()
    box.knew_button.click()
    assert Deck("coder1", db).stats().reviewed == 1


def test_current_user_falls_back_when_the_hub_name_is_unusable(monkeypatch):
    import getpass

    from medbill_lab.training.flashcards import current_user

    monkeypatch.setattr(getpass, "getuser", lambda: "coder1")
    assert current_user({"JUPYTERHUB_USER": "ana"}) == "ana"
    assert current_user({"JUPYTERHUB_USER": "  "}) == "coder1"
    assert current_user({"JUPYTERHUB_USER": "x" * 65}) == "coder1"
    assert current_user({}) == "coder1"


def test_trainer_without_a_usable_user_says_so(db):
    box = flashcard_trainer(user="   ", path=db)
    assert "could not tell who you are" in box.notice.value
    assert box.show_button.disabled and box.front.value == ""


def test_trainer_with_a_bad_path_is_friendly(tmp_path):
    box = flashcard_trainer(user="maria", path=tmp_path)  # a folder, not a file
    html = box.notice.value
    assert "could not be opened" in html
    assert "Error" not in html and "Traceback" not in html
    assert box.show_button.disabled
    box.knew_button.click()  # nothing to grade: no exception either


def test_trainer_new_cards_a_day_is_a_saved_setting(db):
    box = flashcard_trainer(user="maria", path=db)
    assert box.per_day.value == NEW_PER_DAY and "new today: 0 of 10" in box.counts.value
    for _ in range(2):
        box.show_button.click()
        box.knew_button.click()
    box.per_day.value = 2  # met two already: today's new cards are done
    assert Deck("maria", db).new_per_day == 2
    assert "All done for today" in box.front.value and box.show_button.disabled
    assert "new today: 2 of 2" in box.counts.value
    box.per_day.value = 3  # one more
    assert not box.show_button.disabled and "new card" in box.front.value
    assert flashcard_trainer(user="maria", path=db).per_day.value == 3


def test_trainer_a_missed_card_comes_back_today(db):
    box = flashcard_trainer(user="maria", path=db)
    deck = Deck("maria", db)
    first = deck.due(limit=1)[0].card_id
    box.show_button.click()
    box.missed_button.click()
    assert "again later today" in box.feedback.value
    assert ids(deck.due(limit=1000))[-1] == first
