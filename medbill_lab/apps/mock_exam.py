"""The Mock exam app: a timed certification-practice exam drawn from the question bank.

Screens: a start screen (whose attempts these are, style, length, minutes and the
seed, so an instructor can give the whole class one form), the question view
(stem, options or a code box, previous/next, a question map showing answered
and flagged questions, a flag toggle, a countdown), a confirmation before
submitting (with the unanswered and flagged counts), the score report by domain
with the rationale of every missed item, and the learner's progress across
attempts (first sittings only; re-sittings are reviews, listed apart).

The countdown is a kernel-side asyncio task updating a widget once a second; the
kernel also enforces the limit itself (an answer after the time is refused and
the sitting is scored as it stood), so a page that stops ticking cannot give
extra time.  All the exam's logic is :mod:`medbill_lab.training.exam`; this
module only arranges widgets.  Bad input gets a friendly sentence, never a traceback.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import time
from collections.abc import Callable
from html import escape
from pathlib import Path

import ipywidgets as w

from medbill_lab.apps.kit import STYLE, message
from medbill_lab.training import exam, exam_bank, flashcards
from medbill_lab.training.exam_attempts import Attempts, Progress

_EXAM_STYLE = """
<style>
.mbl-timer {font-size: 1.3em; font-weight: bold; color: #1b5e20}
.mbl-timer.mbl-low {color: #b71c1c}
.mbl-stem {font-size: 1.1em; margin: 6px 0 10px 0; max-width: 60em}
.mbl-miss {border-left: 4px solid #b71c1c; padding: 4px 12px; margin: 10px 0; max-width: 60em}
.mbl-pass {color: #1b5e20; font-weight: bold} .mbl-fail {color: #b71c1c; font-weight: bold}
.mbl-bar {display: inline-block; height: 10px; background: #2e7d32; vertical-align: middle}
.mbl-review {background: #e8eaf6; padding: 6px 10px; border-radius: 4px}
.mbl-exam-map .widget-button {width: 46px; min-width: 46px; padding: 0}
</style>
"""
_LOW_SECONDS = 60  # the timer turns red for the last minute


def _score_html(result: exam.Result, kind: str) -> str:
    verdict = (
        '<span class="mbl-pass">passed</span>'
        if result.passed
        else '<span class="mbl-fail">not yet passed</span>'
    )
    head = (
        f"<h3>Score: {result.right} of {result.total} ({result.percent:.1f}%): {verdict}"
        f" <small>(pass mark {result.pass_mark:.0%})</small></h3>"
    )
    if result.timed_out:
        head += "<p><b>Time ran out</b>: the exam was scored as it stood; unanswered questions count as wrong.</p>"
    if kind == "review":
        head += (
            '<p class="mbl-review"><b>Review sitting.</b> You have sat this form before and seen '
            "its rationales, so this sitting is recorded as a review and does not count in your "
            "progress. Your first sitting of a form is the scored one.</p>"
        )
    else:
        head += (
            "<p><b>Scored attempt</b>: your first sitting of this form counts in your progress.</p>"
        )
    rows = "".join(
        f"<tr><td>{escape(d.title)}</td><td>{d.right} / {d.total}</td><td>{d.percent:.1f}%</td>"
        f'<td><span class="mbl-bar" style="width:{2 * d.percent:.0f}px"></span></td></tr>'
        for d in result.by_domain()
    )
    table = (
        '<table class="mbl-table mbl-domains"><tr><th>Domain</th><th>Right</th><th>Percent</th>'
        f"<th></th></tr>{rows}</table>"
    )
    return head + "<h4>By domain</h4>" + table


def _missed_html(result: exam.Result) -> str:
    missed = result.missed()
    if not missed:
        return "<h4>Nothing missed.</h4>"
    parts = [f"<h4>What you missed ({len(missed)})</h4>"]
    for r in missed:
        why_not = r.why_not()
        parts.append(
            f'<div class="mbl-miss"><p><b>Question {r.position + 1}</b> '
            f"<small>({escape(r.item.id)}, {escape(result.titles.get(r.item.domain, r.item.domain))})</small>"
            f"<br>{escape(r.item.stem)}</p>"
            f"<p>Your answer: <b>{escape(r.answer_text())}</b><br>"
            f"Right answer: <b>{escape(r.right_text())}</b></p>"
            + (f"<p>Why not yours: {escape(why_not)}</p>" if why_not else "")
            + f"<p>{escape(r.item.rationale)}</p>"
            f'<p class="mbl-ref">Rule: {escape(r.item.rule)}</p></div>'
        )
    return "".join(parts)


def report_html(result: exam.Result, kind: str) -> str:
    """The score report: total, pass or not, the kind of sitting, each domain, every miss."""
    return STYLE + _EXAM_STYLE + _score_html(result, kind) + _missed_html(result)


def progress_html(progress: Progress, titles: dict[str, str]) -> str:
    """A learner's progress: scored sittings, each domain over them, and reviews apart."""
    if not progress.scored and not progress.reviews:
        return "<p><small>No exam submitted yet: your scored attempts will show here.</small></p>"
    rows = "".join(
        f"<tr><td>{escape(a.submitted_at[:16].replace('T', ' '))}</td><td>{escape(a.style)}</td>"
        f"<td>{a.seed}</td><td>{a.right} / {a.total}</td><td>{a.percent:.1f}%</td>"
        f"<td>{'passed' if a.passed else 'not yet'}</td></tr>"
        for a in progress.scored
    )
    out = (
        "<h4>Your progress (first sittings only)</h4>"
        '<table class="mbl-table mbl-progress"><tr><th>Submitted (UTC)</th><th>Style</th>'
        f"<th>Seed</th><th>Right</th><th>Percent</th><th>Result</th></tr>{rows}</table>"
    )
    if progress.by_domain:
        cells = "".join(
            f"<tr><td>{escape(titles.get(d, d))}</td><td>{r} / {t}</td><td>{100 * r / t:.1f}%</td></tr>"
            for d, (r, t) in progress.by_domain.items()
        )
        out += (
            "<h4>By domain, over your scored attempts</h4>"
            f'<table class="mbl-table"><tr><th>Domain</th><th>Right</th><th>Percent</th></tr>{cells}</table>'
        )
    if progress.reviews:
        items = "".join(
            f"<li>{escape(a.submitted_at[:16].replace('T', ' '))}: {escape(a.style)} seed {a.seed}, "
            f"{a.right} / {a.total} ({a.percent:.1f}%)</li>"
            for a in progress.reviews
        )
        out += f"<h4>Review sittings (not counted)</h4><ul class='mbl-reviews'>{items}</ul>"
    return STYLE + out


class MockExam:
    """The app's widgets and what each control does (see the module docstring)."""

    def __init__(
        self,
        user: str,
        path: str | Path | None = None,
        bank_folder: str | Path | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.user, self.clock = user, clock
        self.bank: exam_bank.Bank | None = None
        self.store: Attempts | None = None
        self.sitting: exam.Sitting | None = None
        self.kind = "scored"
        self._loading = False
        self._task: asyncio.Task | None = None
        self.notice = w.HTML()
        self.styles = w.HTML(STYLE + _EXAM_STYLE)  # the page's style sheet, sent once
        self.whose = w.HTML(f"<p>Attempts are saved for <b>{escape(user.strip() or '?')}</b>.</p>")
        self._open(path, bank_folder)
        self._start_screen()
        self._question_screen()
        self._confirm_screen()
        self.report = w.HTML()
        self.progress = w.HTML()
        self.again = w.Button(description="Sit this form again", icon="repeat")
        self.again.tooltip = "A re-sitting of the same form is recorded as a review, not scored"
        self.new = w.Button(description="New exam", button_style="info")
        self.again.on_click(lambda _: self.resit())
        self.new.on_click(lambda _: self.show_start())
        self.after = w.HBox([self.again, self.new])
        self.box = w.VBox(layout=w.Layout(width="100%"))
        self.show_start()

    # -- set-up -----------------------------------------------------------------------
    def _open(self, path: str | Path | None, bank_folder: str | Path | None) -> None:
        try:
            flashcards.validate_user(self.user)
        except ValueError:
            self.notice.value = message(
                "This app could not tell who you are, so it cannot keep your attempts. "
                "Ask your instructor to check the lab set-up."
            )
            return
        try:
            self.bank = exam_bank.load(bank_folder)
        except exam_bank.BankError as exc:
            self.notice.value = message(f"The question bank could not be loaded: {exc}")
            return
        try:
            self.store = Attempts(path)
        except (OSError, sqlite3.Error, flashcards.ProgressFileError):
            self.notice.value = message(
                "Your attempts file could not be opened. Ask your instructor to check the lab set-up."
            )

    def _start_screen(self) -> None:
        styles = [(bp.title, s) for s, bp in exam.BLUEPRINTS.items()]
        self.style = w.Dropdown(options=styles, value="CPC", description="Exam style")
        self.style.layout = w.Layout(width="32em")
        self.length = w.IntText(value=20, description="Questions")
        self.minutes = w.FloatText(value=48, description="Minutes")
        self.seed = w.IntText(value=random.randint(1, 9999), description="Form seed")
        self.seed.tooltip = "The same style, length and seed give everyone the same form"
        self.style.observe(lambda _: self._default_minutes(), names="value")
        self.length.observe(lambda _: self._default_minutes(), names="value")
        self.start = w.Button(description="Start the exam", button_style="success", icon="play")
        self.start.on_click(lambda _: self.begin())
        self.start_msg = w.HTML()
        seed_note = w.HTML(
            "<p><small>The same style, length and seed give the same questions: tell a class "
            "the three to give everyone one form.</small></p>"
        )
        self.settings = w.VBox([self.style, self.length, self.minutes, self.seed, seed_note])
        self._default_minutes()

    def _default_minutes(self) -> None:
        bp = exam.BLUEPRINTS.get(self.style.value)
        if bp and isinstance(self.length.value, int) and self.length.value > 0:
            self.minutes.value = round(bp.minutes_per_item * self.length.value)

    def _question_screen(self) -> None:
        self.timer = w.HTML()
        self.qmap = w.HBox(layout=w.Layout(flex_flow="row wrap"))
        self.qmap.add_class("mbl-exam-map")
        self.stem = w.HTML()
        self.choices = w.RadioButtons(options=[], value=None, layout=w.Layout(width="100%"))
        self.choices.observe(self._chosen, names="value")
        self.code = w.Text(placeholder="e.g. E11.22, N18.31", description="Your codes")
        self.code.layout = w.Layout(width="32em")
        self.code.observe(self._typed, names="value")
        self.q_msg = w.HTML()
        self.prev = w.Button(description="Previous", icon="arrow-left")
        self.next = w.Button(description="Next", icon="arrow-right")
        self.flag = w.Button(description="Flag for review", icon="flag")
        self.finish = w.Button(description="Submit exam...", button_style="primary")
        self.prev.on_click(lambda _: self._move(lambda s: s.previous()))
        self.next.on_click(lambda _: self._move(lambda s: s.next()))
        self.flag.on_click(lambda _: self._toggle_flag())
        self.finish.on_click(lambda _: self.ask_to_submit())
        self.answer_area = w.VBox()
        self.nav = w.HBox([self.prev, self.next, self.flag, self.finish])

    def _confirm_screen(self) -> None:
        self.confirm_text = w.HTML()
        self.confirm_yes = w.Button(description="Submit now", button_style="danger")
        self.confirm_no = w.Button(description="Back to the exam")
        self.confirm_yes.on_click(lambda _: self.submit())
        self.confirm_no.on_click(lambda _: self.show_question())
        self.confirm_buttons = w.HBox([self.confirm_no, self.confirm_yes])

    # -- screens ----------------------------------------------------------------------
    def show_start(self) -> None:
        """The start screen, with the learner's progress below it."""
        self._stop_timer()
        self.sitting = None
        self.start.disabled = self.bank is None or self.store is None
        self.box.children = [
            self.styles,
            self.whose,
            self.notice,
            self.settings,
            self.start,
            self.start_msg,
            self.progress,
        ]
        self._refresh_progress()

    def _refresh_progress(self) -> None:
        if self.store and self.bank:
            self.progress.value = progress_html(
                self.store.progress(self.user), dict(self.bank.titles)
            )

    def begin(self, form: exam.Form | None = None) -> None:
        """Draw the form the start screen describes (or sit ``form``) and show question 1."""
        if self.bank is None or self.store is None:
            return
        try:
            form = form or exam.new_form(
                self.bank, self.style.value, self.length.value, self.seed.value, self.minutes.value
            )
        except exam.ExamError as exc:
            self.start_msg.value = message(str(exc))
            return
        self.start_msg.value = ""
        self.kind = "review" if self.store.has_sat(self.user, form.form_id) else "scored"
        self.sitting = exam.Sitting(form, self.user, clock=self.clock, titles=self.bank.titles)
        self._make_map(len(form.items))
        self.show_question()
        self._start_timer()

    def resit(self) -> None:
        """Sit the form just submitted again: recorded as a review."""
        if self.sitting is not None:
            self.begin(self.sitting.form)

    def show_question(self) -> None:
        """The question view for the sitting's current question."""
        s = self.sitting
        if s is None:
            return
        fi = s.current
        item = fi.item
        title = self.bank.titles.get(item.domain, item.domain) if self.bank else item.domain
        review = (
            '<p class="mbl-review">You have sat this form before: this sitting is a review and '
            "will not count in your progress.</p>"
            if self.kind == "review"
            else ""
        )
        how = ""
        if item.type == "code":
            how = f"<p><small>Type the {escape(_system_name(item.system))} code(s), in reporting order, separated by commas.</small></p>"
        self.stem.value = (
            f"{review}<p><b>Question {s.position + 1} of {len(s.form.items)}</b>"
            f" &middot; {escape(title)}</p><div class='mbl-stem'>{escape(item.stem)}</div>{how}"
        )
        self._loading = True
        try:
            if item.type == "choice":
                self.choices.options = [(f"{k}. {t}", k) for k, t in fi.shown_choices()]
                self.choices.value = s.responses.get(s.position)
                self.answer_area.children = [self.choices]
            else:
                self.code.value = s.responses.get(s.position, "")
                self.answer_area.children = [self.code]
        finally:
            self._loading = False
        flagged = s.position in s.flagged
        self.flag.description = "Unflag" if flagged else "Flag for review"
        self.flag.button_style = "warning" if flagged else ""
        self.prev.disabled = s.position == 0
        self.next.disabled = s.position == len(s.form.items) - 1
        self._draw_map()
        self._draw_timer()
        self.box.children = [
            self.styles,
            self.timer,
            self.qmap,
            self.stem,
            self.answer_area,
            self.q_msg,
            self.nav,
        ]

    def _make_map(self, n: int) -> None:
        """One button a question, made once a sitting (redrawing only restyles them)."""
        buttons = []
        for p in range(n):
            b = w.Button(description=str(p + 1))
            b.on_click(lambda _, p=p: self._move(lambda s: s.go(p)))
            buttons.append(b)
        self.qmap.children = buttons

    def _draw_map(self, only: int | None = None) -> None:
        """Restyle the question map (or only the button of question ``only``)."""
        s = self.sitting
        for p, b in enumerate(self.qmap.children):
            if only is not None and p != only:
                continue
            status = s.status(p)
            if status == "flagged" and p in s.responses:
                status = "answered, flagged"
            b.description = f"{p + 1}" + (" \u2691" if p in s.flagged else "")
            b.tooltip = f"Question {p + 1}: {status}"
            b.button_style = "warning" if p in s.flagged else "success" if p in s.responses else ""
            b.layout.border = "3px solid #1565c0" if p == s.position else ""

    # -- answering --------------------------------------------------------------------
    def _guard(self, action: Callable[[exam.Sitting], object]) -> bool:
        """Run an action on the sitting; time up submits it, bad input is a friendly sentence."""
        if self.sitting is None or self.sitting.result is not None:
            return False
        try:
            action(self.sitting)
        except exam.TimeUp:
            self.submit()
            return False
        except exam.ExamError as exc:
            self.q_msg.value = message(str(exc))
            return False
        self.q_msg.value = ""
        return True

    def _chosen(self, change: dict) -> None:
        if not self._loading and self._guard(lambda s: s.answer(change["new"])):
            self._draw_map(only=self.sitting.position)

    def _typed(self, change: dict) -> None:
        if not self._loading and self._guard(lambda s: s.answer(change["new"])):
            self._draw_map(only=self.sitting.position)

    def _move(self, step: Callable[[exam.Sitting], object]) -> None:
        if self._guard(step):
            self.show_question()

    def _toggle_flag(self) -> None:
        if self._guard(lambda s: s.toggle_flag()):
            self.show_question()

    def ask_to_submit(self) -> None:
        """The confirmation, with how many questions are unanswered and flagged."""
        s = self.sitting
        if s is None or s.result is not None:
            return
        if s.expired:
            self.submit()
            return
        unanswered, flagged = len(s.unanswered()), len(s.flagged)
        self.confirm_text.value = (
            f"<h3>Submit the exam?</h3><p>You have <b>{unanswered}</b> unanswered "
            f"question(s) and <b>{flagged}</b> flagged. Unanswered questions count as wrong. "
            "After submitting you cannot change your answers.</p>"
        )
        self.box.children = [self.styles, self.timer, self.confirm_text, self.confirm_buttons]

    def submit(self) -> None:
        """Score the sitting, store it (scored or review), and show the report."""
        s = self.sitting
        if s is None:
            return
        self._stop_timer()
        fresh = s.result is None
        result = s.submit()
        if fresh and self.store is not None:
            try:
                self.kind = self.store.record(result).kind
            except (OSError, sqlite3.Error, ValueError):
                self.notice.value = message(
                    "This attempt could not be saved. Please tell your instructor."
                )
        self.report.value = report_html(result, self.kind)
        self._refresh_progress()
        self.box.children = [self.styles, self.report, self.after, self.notice, self.progress]

    # -- the timer --------------------------------------------------------------------
    def _draw_timer(self) -> None:
        s = self.sitting
        if s is None:
            return
        left = s.remaining()
        low = " mbl-low" if left <= _LOW_SECONDS else ""
        self.timer.value = (
            f'<div class="mbl-timer{low}">Time left: '
            f'<span class="mbl-clock">{exam.format_clock(left)}</span></div>'
        )

    def tick(self) -> bool:
        """One beat of the countdown: redraw it, and submit when the time is up.
        Returns whether the sitting is still running."""
        s = self.sitting
        if s is None or s.result is not None:
            return False
        if s.expired:
            self.submit()
            return False
        self._draw_timer()
        return True

    async def _run_timer(self) -> None:
        while self.tick():
            await asyncio.sleep(1)

    def _start_timer(self) -> None:
        self._stop_timer()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (plain Python): the limit still holds at submit
            return
        self._task = loop.create_task(self._run_timer())

    def _stop_timer(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None


def _system_name(system: str | None) -> str:
    return {
        "icd10cm": "ICD-10-CM",
        "cpt": "CPT",
        "hcpcs": "HCPCS Level II",
        "icd10pcs": "ICD-10-PCS",
        "modifier": "modifier",
    }.get(system or "", "")


def mock_exam(
    user: str | None = None,
    path: str | Path | None = None,
    bank_folder: str | Path | None = None,
) -> w.VBox:
    """The Mock exam app. Attempts are saved for ``user`` (default: the logged-in user,
    :func:`medbill_lab.training.flashcards.current_user`; the page shows it and cannot
    change it) in the progress file at ``path``; the bank is ``bank_folder`` (default
    :func:`medbill_lab.training.exam_bank.default_folder`)."""
    app = MockExam(flashcards.current_user() if user is None else user, path, bank_folder)
    app.box.app = app
    return app.box
