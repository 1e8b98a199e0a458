"""The coding-practice widget for lesson 03 and the Voila "Coding practice" app.

A case (shipped or generated) is shown; the learner types codes and presses
Check; the element-by-element feedback from ``grading.grade`` appears with a
running session score.  The pool is the practice pool, answers public: the
written cases of ``datasets/cases/`` and generator variants of any seed.  Graded
sets never come from it (``coding_assignment`` draws them from a course's secret).  Bad input is met with a friendly sentence, never an
exception.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from html import escape

import ipywidgets as w

from medbill_lab import cases, grading
from medbill_lab.widgets import message

ANY_TOPIC = "any topic"
SEXES = {"F": "female", "M": "male"}
FRIENDLY_ERROR = "Something went wrong with that request; please try again or pick another case."


@dataclass
class Session:
    """The practice state: where the case stream is, the case shown, the attempts."""

    topic: str | None = None
    include_generated: bool = True
    rng: random.Random = field(default_factory=random.Random)
    case: cases.Case | None = None
    attempts: dict[str, tuple[float, float]] = field(default_factory=dict)

    def next_case(self) -> cases.Case:
        """Move to the next case in this topic (raises CaseError when there is none)."""
        self.case = cases.pick_case(
            seed=self.rng.randrange(2**31),
            topic=self.topic,
            include_generated=self.include_generated,
        )
        return self.case

    def record(self, report: grading.GradeReport) -> None:
        """Keep the latest score for the case just checked."""
        self.attempts[report.case_id] = (report.score, report.max_score)

    def totals(self) -> tuple[float, float, int]:
        """Points earned, points possible and cases attempted this session."""
        earned = sum(s for s, _ in self.attempts.values())
        possible = sum(m for _, m in self.attempts.values())
        return earned, possible, len(self.attempts)


def case_html(case: cases.Case) -> str:
    """The case as the learner sees it: title, patient, date of service and note."""
    sex = SEXES.get(case.sex.upper(), case.sex)
    who = ", ".join(p for p in (f"age {case.age}" if case.age is not None else "", sex) if p)
    order = (
        "List the codes in the order you would report them."
        if case.sequence_matters
        else "Any order is fine for this case."
    )
    return (
        f"<h4>{escape(case.title)}</h4>"
        f"<p><small>Case {escape(case.id)} &middot; {escape(who)} &middot; date of service "
        f"{escape(case.date_of_service)}</small></p>"
        f'<blockquote style="border-left: 3px solid #90caf9; margin: 6px 0; padding: 4px 10px">'
        f"{escape(case.note)}</blockquote><p><small>{escape(order)}</small></p>"
    )


def answer_html(case: cases.Case) -> str:
    """The accepted answer, rationale and guideline, folded under a summary."""
    alternatives = "".join(
        f"<li><code>{escape(', '.join(a))}</code></li>" for a in case.alternatives
    )
    also = f"<p>Also accepted:</p><ul>{alternatives}</ul>" if alternatives else ""
    return (
        "<details><summary>Show the answer and rationale</summary>"
        f"<p><b>Answer:</b> <code>{escape(', '.join(case.answer))}</code></p>{also}"
        f"<p>{escape(case.rationale)}</p><p><small>{escape(case.guideline)}</small></p></details>"
    )


def score_html(session: Session) -> str:
    """The running session score."""
    earned, possible, count = session.totals()
    if not count:
        return "<p><b>Session score:</b> no cases checked yet</p>"
    percent = round(100 * earned / possible, 1) if possible else 0.0
    plural = "case" if count == 1 else "cases"
    return (
        f"<p><b>Session score:</b> {grading.points_text(earned)} / {grading.points_text(possible)} points "
        f"({percent}%) over {count} {plural}</p>"
    )


def _parse_seed(text: str) -> int | None:
    """A typed seed: blank means random; raises ValueError for anything but a whole number.

    >>> _parse_seed(" 42 "), _parse_seed("")
    (42, None)
    """
    text = text.strip()
    return int(text) if text else None


def _topic_options(include_generated: bool) -> list[tuple[str, str]]:
    try:
        found = cases.topics(include_generated=include_generated)
    except ValueError:  # a malformed cases.json: offer the generator's topics only
        found = sorted(set(cases.TEMPLATE_TOPICS.values())) if include_generated else []
    return [(ANY_TOPIC.capitalize(), ""), *((topic_label(t), t) for t in found)]


def topic_label(topic: str) -> str:
    """A topic as the dropdown shows it.

    >>> topic_label("signs-symptoms"), topic_label("z-codes")
    ('Signs and symptoms', 'Z codes')
    """
    words = topic.replace("signs-symptoms", "signs and symptoms").replace("-", " ")
    return words[:1].upper() + words[1:]


def coding_practice(
    seed: int | None = None, topic: str | None = None, include_generated: bool = True
) -> w.VBox:
    """The coding-practice box: a case, a codes input, Check, Next case, topic and seed.

    Child widgets are attributes of the box (``case``, ``codes``, ``check``,
    ``feedback``, ``next``, ``score``, ``topic``, ``seed``) and the state is
    ``box.session``, so tests and browser tests can drive it.
    """
    session = Session(topic=topic or None, include_generated=include_generated)
    session.rng.seed(seed)
    options = _topic_options(include_generated)
    if topic and topic not in [v for _, v in options]:
        options.append((topic_label(topic), topic))
    topic_box = w.Dropdown(options=options, value=topic or "", description="Topic")
    seed_box = w.Text(
        value="" if seed is None else str(seed),
        placeholder="blank = random",
        description="Seed",
        continuous_update=False,
        layout=w.Layout(width="220px"),
    )
    next_button = w.Button(description="Next case", icon="forward")
    shown = w.HTML()
    codes = w.Text(
        placeholder="e.g. E11.22, N18.31",
        description="Codes",
        continuous_update=False,
        layout=w.Layout(width="60%"),
    )
    check = w.Button(description="Check", button_style="primary", icon="check")
    feedback = w.HTML()
    score = w.HTML(score_html(session))

    def show_next(_=None) -> None:
        codes.value, feedback.value = "", ""
        try:
            case = session.next_case()
        except cases.CaseError as exc:
            session.case = None
            hint = "another topic" if include_generated else "another topic or generated cases"
            shown.value = message(f"{exc}. Choose {hint}, or ask your instructor.")
        except (ValueError, OSError):
            session.case = None
            shown.value = message("The practice cases could not be read; ask your instructor.")
        else:
            shown.value = case_html(case)
        check.disabled = session.case is None

    def on_check(_=None) -> None:
        if session.case is None:
            feedback.value = message("There is no case to check; press Next case.")
            return
        if not codes.value.strip():
            feedback.value = message(
                "Type one or more codes, separated by commas or spaces, then press Check."
            )
            return
        try:
            report = grading.grade(session.case, codes.value)
        except Exception:  # the page must never show a traceback
            feedback.value = message(FRIENDLY_ERROR)
            return
        session.record(report)
        feedback.value = report.to_html() + answer_html(session.case)
        score.value = score_html(session)

    def on_enter(change: dict) -> None:
        if str(change.get("new", "")).strip():
            on_check()

    def on_topic(_=None) -> None:
        session.topic = topic_box.value or None
        show_next()

    def on_seed(_=None) -> None:
        try:
            session.rng.seed(_parse_seed(seed_box.value))
        except ValueError:
            feedback.value = message(
                "The seed must be a whole number such as 42; leave it blank for random cases."
            )
            return
        show_next()

    next_button.on_click(show_next)
    check.on_click(on_check)
    codes.observe(on_enter, names="value")
    topic_box.observe(on_topic, names="value")
    seed_box.observe(on_seed, names="value")
    seed_help = w.HTML("<small>Same seed, same series of cases.</small>")
    box = w.VBox(
        [
            w.HBox([topic_box, next_button]),
            shown,
            w.HBox([codes, check]),
            feedback,
            score,
            w.HBox([seed_box, seed_help]),
        ]
    )
    box.case, box.codes, box.check, box.feedback = shown, codes, check, feedback
    box.next, box.score, box.topic, box.seed = next_button, score, topic_box, seed_box
    box.session = session
    show_next()
    return box
