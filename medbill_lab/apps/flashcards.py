"""ipywidgets for the medical-terminology lesson and app: term splitter, quiz, flashcards.

The widgets only arrange inputs and outputs; the answers come from
:mod:`medbill_lab.codes.terminology` and :mod:`medbill_lab.training.flashcards`.  Bad input
gets a friendly sentence on the page, never exception text.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from html import escape
from pathlib import Path

import ipywidgets as w

from medbill_lab.apps.kit import STYLE, message
from medbill_lab.codes import terminology
from medbill_lab.training import flashcards

_CARD_STYLE = """
<style>
.mbl-card {border: 1px solid #bbb; border-radius: 8px; padding: 16px 20px; margin: 6px 0;
           font-size: 1.4em; min-height: 2.2em; background: #fafafa}
.mbl-back {font-size: 1.1em; color: #1b5e20}
.mbl-ok {color: #1b5e20; font-weight: bold} .mbl-no {color: #b71c1c; font-weight: bold}
</style>
"""
_TERM_HELP = "Type one medical word using letters only, for example cholecystectomy."


def decomposition_html(d: terminology.Decomposition) -> str:
    """A decomposition as an HTML table of its parts, with the reading above it."""
    rows = "".join(
        f"<tr><td><code>{escape(s.part.part)}</code></td><td>{escape(s.part.label)}</td>"
        f"<td>{escape(s.part.meaning)}</td><td>{escape(s.part.body_system)}</td></tr>"
        if s.part
        else f"<tr><td><code>{escape(s.text)}</code></td><td>not found</td><td>?</td><td></td></tr>"
        for s in d.segments
    )
    head = f"<p><b>{escape(d.divided)}</b> &mdash; {escape(d.meaning)}</p>"
    note = ""
    if not d.complete:
        missing = ", ".join(repr(u) for u in d.unmatched)
        note = message(
            f"Some letters matched no word part in the list: {missing}. Check the spelling, "
            "or ask your instructor to add the part."
        )
    table = (
        '<table class="mbl-table"><tr><th>Part</th><th>Type</th><th>Meaning</th>'
        f"<th>Body system</th></tr>{rows}</table>"
    )
    return f"{STYLE}{head}{note}{table}"


def decompose_html(text: str) -> str:
    """The decomposition table for what a student typed, or a friendly message."""
    if not text.strip():
        return ""
    try:
        d = terminology.decompose(text)
    except ValueError:
        return message(_TERM_HELP)
    return decomposition_html(d)


def decompose_box(value: str = "") -> w.VBox:
    """A text box that splits the typed term into its word parts."""
    text = w.Text(
        value=value,
        placeholder="Type a medical term, e.g. cholecystectomy",
        description="Term",
        continuous_update=False,
        layout=w.Layout(width="50%"),
    )
    result = w.HTML()

    def run(_=None) -> None:
        result.value = decompose_html(text.value)

    text.observe(run, names="value")
    box = w.VBox([text, result])
    box.text, box.result = text, result
    run()
    return box


def _question_box(q: terminology.Question, number: int, on_check) -> w.VBox:
    prompt = w.HTML(f"<p><b>{number}.</b> {escape(q.prompt)}</p>")
    radio = w.RadioButtons(options=list(q.choices), value=None, layout=w.Layout(width="auto"))
    check = w.Button(description="Check", button_style="primary")
    feedback = w.HTML()

    def run(_=None) -> None:
        if radio.value is None:
            feedback.value = message("Pick an answer first.")
            return
        ok, why = terminology.check_answer(q, radio.value)
        cls = "mbl-ok" if ok else "mbl-no"
        feedback.value = f'{_CARD_STYLE}<p class="{cls}">{escape(why)}</p>'
        on_check(number, ok)

    check.on_click(run)
    item = w.VBox([prompt, radio, check, feedback])
    item.question, item.radio, item.check, item.feedback = q, radio, check, feedback
    return item


def quiz_widget(
    n: int = 5, seed: int | None = 0, kind: str = "mixed", body_system: str | None = None
) -> w.VBox:
    """A self-check quiz: radio buttons per question; "Check" explains right away."""
    try:
        questions = terminology.make_quiz(n=n, seed=seed, body_system=body_system, kind=kind)
    except ValueError:
        box = w.VBox([w.HTML(message("This quiz could not be built; try fewer questions."))])
        box.items, box.score = [], None
        return box
    results: dict[int, bool] = {}
    score = w.HTML()

    def tally(number: int, ok: bool) -> None:
        results[number] = ok
        score.value = f"<p>Score: {sum(results.values())} of {len(questions)} right so far.</p>"

    items = [_question_box(q, i, tally) for i, q in enumerate(questions, 1)]
    box = w.VBox([*items, score])
    box.items, box.score = items, score
    return box


def _counts_html(stats: flashcards.Stats) -> str:
    cells = "".join(f"<td>Box {b}: <b>{c}</b></td>" for b, c in stats.boxes.items())
    return (
        f'{STYLE}<table class="mbl-table"><tr>{cells}</tr></table>'
        f"<p><small>Due today: {stats.due} &middot; new today: {stats.new_today} of "
        f"{stats.new_per_day} &middot; not yet seen: {stats.new} &middot; "
        f"answered today: {stats.reviewed_today}</small></p>"
    )


def _when(due: date, today: date) -> str:
    """When a card comes back, in words."""
    days = (due - today).days
    if days <= 0:
        return "again later today"
    return "tomorrow" if days == 1 else f"in {days} days"


def _open_deck(user: str, path: str | Path | None, deck: str) -> flashcards.Deck | str:
    """The user's deck, or a friendly sentence saying why it cannot be opened."""
    try:
        flashcards.validate_user(user)
    except ValueError:
        return (
            "This app could not tell who you are, so it cannot keep your progress. "
            "Ask your instructor to check the lab set-up."
        )
    if deck not in flashcards.DECKS:
        return f"Choose one of these decks: {', '.join(flashcards.DECKS)}."
    try:
        return flashcards.Deck(user, path=path, deck=deck)
    except (OSError, sqlite3.Error, flashcards.ProgressFileError):
        return (
            "Your progress file could not be opened. Ask your instructor to check the lab set-up."
        )


class _Trainer:
    """The flashcard trainer's widgets and what each button does."""

    def __init__(self, user: str, path: str | Path | None, deck: str):
        self.path, self.deck_name = path, deck
        self.deck: flashcards.Deck | None = None
        self.current: flashcards.Card | None = None
        # Display only: progress belongs to the user the trainer was opened for
        # (the logged-in user in the apps), never to a name typed on the page.
        self.user = user
        self.name = w.HTML(_whose_html(user))
        self.notice, self.front, self.back = w.HTML(), w.HTML(), w.HTML()
        self.feedback, self.counts = w.HTML(), w.HTML()
        self.show = w.Button(description="Show answer", button_style="info")
        self.knew = w.Button(description="I knew it", button_style="success")
        self.missed = w.Button(description="I didn't", button_style="warning")
        self.per_day = w.BoundedIntText(
            value=flashcards.NEW_PER_DAY,
            min=0,
            max=flashcards.MAX_NEW_PER_DAY,
            description="New cards a day",
            style={"description_width": "initial"},
            layout=w.Layout(width="220px"),
        )
        self.show.on_click(lambda _: self.reveal())
        self.knew.on_click(lambda _: self.grade(True))
        self.missed.on_click(lambda _: self.grade(False))

    def open(self) -> None:
        """(Re)open this user's deck."""
        opened = _open_deck(self.user, self.path, self.deck_name)
        self.deck = None if isinstance(opened, str) else opened
        self.notice.value = message(opened) if isinstance(opened, str) else ""
        self.feedback.value = ""
        self.per_day.unobserve_all("value")
        self.per_day.disabled = self.deck is None
        if self.deck is not None:
            self.per_day.value = self.deck.new_per_day
            self.per_day.observe(lambda _: self.change_per_day(), names="value")
        self.next_card()

    def change_per_day(self) -> None:
        """Save a new number of new cards a day, and bring the next card if one is now due."""
        if self.deck is None:
            return
        try:
            self.deck.set_new_per_day(int(self.per_day.value))
        except (ValueError, OSError, sqlite3.Error):
            self.feedback.value = message("That setting could not be saved. Please try again.")
            return
        if self.current is None or self.current.new:
            self.next_card()
        else:
            self.counts.value = _counts_html(self.deck.stats())

    def next_card(self) -> None:
        """Show the next due card, or say there is none."""
        due = self.deck.due(limit=1) if self.deck else []
        self.current = due[0] if due else None
        self.back.value, self.show.disabled = "", self.current is None
        self.knew.disabled = self.missed.disabled = True
        if self.current:
            c = self.current
            label = "new card" if c.new else f"box {c.box}"
            self.front.value = f'{_CARD_STYLE}<div class="mbl-card">{escape(c.front)} <small>({label})</small></div>'
        elif self.deck:
            self.front.value = message(
                "All done for today: no review is due and today's new cards are met. "
                "Come back tomorrow for more cards (or raise New cards a day)."
            )
        else:
            self.front.value = ""
        self.counts.value = _counts_html(self.deck.stats()) if self.deck else ""

    def reveal(self) -> None:
        """Turn the card over (only when there is a card and the button is enabled)."""
        if self.current and not self.show.disabled:
            self.back.value = (
                f'{_CARD_STYLE}<div class="mbl-card mbl-back">{escape(self.current.back)}</div>'
            )
            self.knew.disabled = self.missed.disabled = False

    def grade(self, correct: bool) -> None:
        """Save the answer, say where the card went, and show the next one."""
        if not (self.deck and self.current) or self.knew.disabled:
            return  # nothing revealed yet: "I knew it"/"I didn't" are disabled until then
        try:
            card = self.deck.answer(self.current.card_id, correct)
        except (OSError, sqlite3.Error):
            self.feedback.value = message("That answer could not be saved. Please try again.")
            return
        when = _when(card.due, date.today())
        self.feedback.value = (
            f"<p>{escape(card.front)} is now in box {card.box}; next review {when}.</p>"
        )
        self.next_card()


def _whose_html(user: str) -> str:
    return f"<p><small>Progress is saved for <b>{escape(user.strip() or '?')}</b>.</small></p>"


def flashcard_trainer(
    user: str | None = None, path: str | Path | None = None, deck: str = "word_parts"
) -> w.VBox:
    """Leitner flashcards: show the front, reveal the answer, say whether you knew it.

    Reviews due come first, then the day's new cards (``New cards a day``, 10 unless
    the learner sets another number; saved with the progress), then cards missed today.

    Progress is saved per user in the SQLite file at ``path`` (default: see
    :func:`medbill_lab.training.flashcards.default_path`). The user is ``user`` when
    given, else the logged-in user (:func:`medbill_lab.training.flashcards.current_user`:
    the hub's user, or the computer's); the page shows it and cannot change it.
    """
    t = _Trainer(flashcards.current_user() if user is None else user, path, deck)
    t.open()
    buttons = w.HBox([t.knew, t.missed])
    box = w.VBox(
        [t.name, t.notice, t.front, t.show, t.back, buttons, t.feedback, t.counts, t.per_day]
    )
    box.trainer, box.name, box.notice = t, t.name, t.notice
    box.front, box.back, box.feedback, box.counts = t.front, t.back, t.feedback, t.counts
    box.show_button, box.knew_button, box.missed_button = t.show, t.knew, t.missed
    box.per_day = t.per_day
    return box
