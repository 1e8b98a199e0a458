"""The "Paperwork sorter" app: file each incoming document in the right work queue.

One document is shown at a time; the learner picks a queue and presses
"File it", sees at once whether it was right and why, and moves on with
"Next document".  A running score counts the documents filed.  Bad input is met
with a friendly sentence, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

import ipywidgets as w

from medbill_lab.apps.kit import STYLE, message
from medbill_lab.training import paperwork

CHOOSE = "Choose a work queue first, then press File it."
TROUBLE = "Sorry, that document could not be checked; press Next document and try another."


@dataclass
class Tray:
    """The sorting state: the dealt documents, where we are, and the results so far."""

    hand: list[paperwork.Document]
    position: int = 0
    results: dict[str, bool] = field(default_factory=dict)

    @property
    def current(self) -> paperwork.Document:
        """The document on top of the tray."""
        return self.hand[self.position % len(self.hand)]

    def advance(self) -> None:
        """Move to the next document (back to the first after the last)."""
        self.position += 1

    def score(self) -> tuple[int, int]:
        """Documents filed right, and documents filed."""
        return sum(self.results.values()), len(self.results)


def document_html(doc: paperwork.Document, number: int, total: int) -> str:
    """The document as the learner sees it: kind, position and its text."""
    lines = "<br>".join(escape(line) for line in doc.text.splitlines())
    return (
        f"<p><small>Document {number} of {total} &middot; {escape(doc.kind)}</small></p>"
        '<div style="font-family: monospace; border: 1px solid #ccc; background: #fafafa; '
        f'padding: 8px 12px; max-width: 640px">{lines}</div>'
    )


def feedback_html(correct: bool, explanation: str) -> str:
    """A green tick or an orange cross with the explanation."""
    colour, mark = ("#2e7d32", "&#10004;") if correct else ("#b26a00", "&#10008;")
    return f'<p style="color: {colour}"><b>{mark}</b> {escape(explanation)}</p>'


def score_html(tray: Tray) -> str:
    """The running score.

    >>> score_html(Tray(hand=[]))
    '<p><b>Score:</b> nothing filed yet</p>'
    """
    right, filed = tray.score()
    if not filed:
        return "<p><b>Score:</b> nothing filed yet</p>"
    return f"<p><b>Score:</b> {right} of {filed} filed in the right queue</p>"


def paperwork_sorter(seed: int | None = None) -> w.VBox:
    """The sorter box: a document, a queue dropdown, File it, feedback, Next, score.

    Child widgets are attributes (``document``, ``queue``, ``file``,
    ``feedback``, ``next``, ``score``) and the state is ``box.tray``.
    """
    tray = Tray(hand=paperwork.deal(seed))
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

    def show() -> None:
        doc = tray.current
        number = tray.position % len(tray.hand) + 1
        shown.value = STYLE + document_html(doc, number, len(tray.hand))
        queue.value, feedback.value, file_it.disabled = "", "", False

    def on_file(_=None) -> None:
        if not queue.value:
            feedback.value = message(CHOOSE)
            return
        try:
            correct, why = paperwork.check(tray.current.id, queue.value)
        except Exception:  # the page gets a sentence, never a traceback
            feedback.value = message(TROUBLE)
            return
        tray.results[tray.current.id] = correct
        feedback.value = feedback_html(correct, why)
        score.value = score_html(tray)
        file_it.disabled = True

    def on_next(_=None) -> None:
        tray.advance()
        show()

    file_it.on_click(on_file)
    next_button.on_click(on_next)
    box = w.VBox([shown, w.HBox([queue, file_it, next_button]), feedback, score])
    box.document, box.queue, box.file, box.feedback = shown, queue, file_it, feedback
    box.next, box.score, box.tray = next_button, score, tray
    show()
    return box
