"""The "Paperwork sorter" app: file each incoming document in the right work queue.

One document is shown at a time, as its text only (nothing names its kind); the
learner picks a queue and presses "File it", sees at once whether it was right and
why, and moves on with "Next document". A running score counts the documents filed.
A round is ten documents; after the last, a summary lists each document, where it
went, where it belonged and why, and "New round" deals another tray. Bad input is met
with a friendly sentence, never an exception.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from html import escape

import ipywidgets as w

from medbill_lab.apps.kit import STYLE, message
from medbill_lab.training import paperwork

CHOOSE = "Choose a work queue first, then press File it."
TROUBLE = "Sorry, that document could not be checked; press Next document and try another."


@dataclass
class Tray:
    """The sorting state: the round's documents, where we are, and where each went."""

    hand: list[paperwork.Document]
    position: int = 0
    chosen: dict[str, str] = field(default_factory=dict)
    results: dict[str, bool] = field(default_factory=dict)

    @property
    def over(self) -> bool:
        """Whether the learner has gone past the round's last document."""
        return self.position >= len(self.hand)

    @property
    def current(self) -> paperwork.Document:
        """The document on top of the tray (the last one once the round is over)."""
        return self.hand[min(self.position, len(self.hand) - 1)]

    def file(self, queue: str) -> tuple[bool, str]:
        """File the current document in ``queue``: (correct, explanation)."""
        correct, why = paperwork.check(self.current.id, queue)
        self.chosen[self.current.id] = queue
        self.results[self.current.id] = correct
        return correct, why

    def advance(self) -> None:
        """Move to the next document (past the last one, the round is over)."""
        self.position += 1

    def score(self) -> tuple[int, int]:
        """Documents filed right, and documents filed."""
        return sum(self.results.values()), len(self.results)

    def summary(self) -> paperwork.RoundSummary:
        """The round so far, document by document."""
        return paperwork.summarize(self.hand, self.chosen)


def document_html(doc: paperwork.Document, number: int, total: int) -> str:
    """The document as the learner sees it: its position and its text, nothing that names
    its kind (that would give the queue away)."""
    lines = "<br>".join(escape(line) for line in doc.text.splitlines())
    return (
        f"<p><small>Document {number} of {total} in this round</small></p>"
        '<div style="font-family: monospace; border: 1px solid #ccc; background: #fafafa; '
        f'padding: 8px 12px; max-width: 640px">{lines}</div>'
    )


def feedback_html(correct: bool, explanation: str, kind: str = "") -> str:
    """A green tick or an orange cross with the explanation (and, once filed, what it was)."""
    colour, mark = ("#2e7d32", "&#10004;") if correct else ("#b26a00", "&#10008;")
    what = f" <small>(It was a {escape(kind)}.)</small>" if kind else ""
    return f'<p style="color: {colour}"><b>{mark}</b> {escape(explanation)}{what}</p>'


def score_html(tray: Tray) -> str:
    """The running score.

    >>> score_html(Tray(hand=[]))
    '<p><b>Score:</b> nothing filed yet</p>'
    """
    right, filed = tray.score()
    if not filed:
        return "<p><b>Score:</b> nothing filed yet</p>"
    return f"<p><b>Score:</b> {right} of {filed} filed in the right queue</p>"


def summary_html(summary: paperwork.RoundSummary) -> str:
    """The end of a round: the score, then each document, where it went, where it
    belonged and why."""
    rows = []
    for number, f in enumerate(summary.filings, 1):
        doc = f.document
        went = paperwork.QUEUES[f.chosen] if f.chosen else "<i>not filed</i>"
        mark = (
            '<b style="color:#2e7d32">&#10004;</b>'
            if f.correct
            else '<b style="color:#b26a00">&#10008;</b>'
        )
        title = escape(doc.text.splitlines()[0])
        rows.append(
            f"<tr><td>{number}</td><td>{mark}</td><td>{title}<br><small>{escape(doc.kind)}"
            f"</small></td><td>{went}</td><td>{escape(paperwork.QUEUES[doc.queue])}</td>"
            f"<td>{escape(doc.why)}</td></tr>"
        )
    skipped = summary.total - summary.filed
    note = f" ({skipped} not filed)" if skipped else ""
    return (
        f'<div class="mbl-summary"><h3>Round over: {summary.right} of {summary.total} '
        f"in the right queue{note}</h3>"
        '<table class="mbl-table"><tr><th>#</th><th></th><th>Document</th>'
        "<th>You filed it in</th><th>It belongs in</th><th>Why</th></tr>"
        + "".join(rows)
        + "</table><p>Press <b>New round</b> for another tray.</p></div>"
    )


def paperwork_sorter(seed: int | None = None, round_size: int = paperwork.ROUND_SIZE) -> w.VBox:
    """The sorter box: a document, a queue dropdown, File it, feedback, Next, score, and at
    the end of each round of ``round_size`` documents a summary and a New round button.

    Child widgets are attributes (``document``, ``queue``, ``file``, ``feedback``,
    ``next``, ``score``, ``summary``) and the state is ``box.tray``.
    """
    rng = random.Random(seed)
    tray = Tray(hand=paperwork.deal(rng.randrange(2**32), round_size))
    shown = w.HTML()
    queue = w.Dropdown(
        options=[("(choose a queue)", "")]
        + [(label, key) for key, label in paperwork.QUEUES.items()],
        value="",
        description="Queue",
        layout=w.Layout(width="420px"),
    )
    file_it = w.Button(description="File it", button_style="primary", icon="folder-open")
    next_button = w.Button(description="Next document", icon="forward")
    feedback = w.HTML()
    score = w.HTML(score_html(tray))
    summary = w.HTML()
    box = w.VBox([shown, w.HBox([queue, file_it, next_button]), feedback, score, summary])

    def show() -> None:
        feedback.value, queue.value = "", ""
        if tray.over:
            shown.value, summary.value = "", STYLE + summary_html(tray.summary())
            queue.disabled = file_it.disabled = True
            next_button.description, next_button.icon = "New round", "refresh"
            return
        number = tray.position + 1
        shown.value, summary.value = STYLE + document_html(tray.current, number, len(tray.hand)), ""
        queue.disabled = file_it.disabled = False
        last = number == len(tray.hand)
        next_button.description = "See the summary" if last else "Next document"
        next_button.icon = "flag-checkered" if last else "forward"

    def on_file(_=None) -> None:
        if tray.over:
            return
        if not queue.value:
            feedback.value = message(CHOOSE)
            return
        try:
            correct, why = tray.file(queue.value)
        except Exception:  # the page gets a sentence, never a traceback
            feedback.value = message(TROUBLE)
            return
        feedback.value = feedback_html(correct, why, tray.current.kind)
        score.value = score_html(tray)
        file_it.disabled = True

    def on_next(_=None) -> None:
        if tray.over:  # New round: a fresh hand, the score starts again
            tray.hand = paperwork.deal(rng.randrange(2**32), round_size)
            tray.position, tray.chosen, tray.results = 0, {}, {}
            score.value = score_html(tray)
        else:
            tray.advance()
        show()

    file_it.on_click(on_file)
    next_button.on_click(on_next)
    box.document, box.queue, box.file, box.feedback = shown, queue, file_it, feedback
    box.next, box.score, box.summary, box.tray = next_button, score, summary, tray
    show()
    return box
