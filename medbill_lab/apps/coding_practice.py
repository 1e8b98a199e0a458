"""The coding-practice widget for lesson 03 and the Voila "Coding practice" app.

A case (shipped or generated) is shown; the learner types codes and presses
Check; the element-by-element feedback from ``grading.grade`` appears with a
running session score.  The pool is the practice pool, answers public: the
written cases of ``datasets/cases/`` and generator variants of any seed.  Graded
sets never come from it (``coding_assignment`` draws them from a course's secret).
The first attempt at a case is its score; later checks of the same case are
practice, counted apart; a case whose answer was shown before any attempt is not
scored.  Bad input is met with a friendly sentence, never an exception.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from html import escape

import ipywidgets as w

from medbill_lab.apps.kit import message
from medbill_lab.training import cases, grading

ANY_TOPIC = "any topic"
SEXES = {"F": "female", "M": "male"}
FRIENDLY_ERROR = "Something went wrong with that request; please try again or pick another case."

# What a check counts for (Session.record)
SCORED = "first attempt: scored"
RETRY = "practice retry: not scored"
ANSWER_SHOWN = "answer shown — not scored"


@dataclass
class Session:
    """The practice state: where the case stream is, the case shown, the attempts."""

    topic: str | None = None
    include_generated: bool = True
    rng: random.Random = field(default_factory=random.Random)
    case: cases.Case | None = None
    # case id -> (points, possible) of the first attempt: the only check that scores
    attempts: dict[str, tuple[float, float]] = field(default_factory=dict)
    retries: int = 0  # checks that did not score: later attempts, or after the answer was shown
    answer_shown: set[str] = field(default_factory=set)  # shown before any attempt: not scored
    # the last check (case id, codes as read) and what it counted for: checking the same
    # codes again (Enter, then the Check button) is not another attempt
    last_check: tuple[str, tuple[str, ...], str] | None = None

    def next_case(self) -> cases.Case:
        """Move to the next case in this topic (raises CaseError when there is none)."""
        self.case = cases.pick_case(
            seed=self.rng.randrange(2**31),
            topic=self.topic,
            include_generated=self.include_generated,
        )
        return self.case

    def record(self, report: grading.GradeReport) -> str:
        """Count a check: the first attempt at a case scores, any later one is practice.

        Returns what the check counted for: SCORED, RETRY, or ANSWER_SHOWN when
        the answer was shown before the first attempt (the case is then left out
        of the score, as an instructor would not grade a looked-up answer).
        """
        case_id, codes = report.case_id, tuple(report.submitted)
        if self.last_check and self.last_check[:2] == (case_id, codes):
            return self.last_check[2]
        if case_id in self.answer_shown or case_id in self.attempts:
            self.retries += 1
            status = ANSWER_SHOWN if case_id in self.answer_shown else RETRY
        else:
            self.attempts[case_id] = (report.score, report.max_score)
            status = SCORED
        self.last_check = (case_id, codes, status)
        return status

    def show_answer(self) -> bool:
        """Note that the answer of the current case was shown.

        Returns True when that takes the case out of the score (no attempt yet);
        after a first attempt the case keeps that attempt's points.
        """
        if self.case is None or self.case.id in self.attempts:
            return False
        self.answer_shown.add(self.case.id)
        self.last_check = None  # the same codes checked again now count as practice
        return True

    def totals(self) -> tuple[float, float, int]:
        """Points earned and possible over the scored first attempts, and how many cases."""
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


def answer_html(case: cases.Case, unfolded: bool = False) -> str:
    """The accepted answer, rationale and guideline, folded under a summary (or open)."""
    alternatives = "".join(
        f"<li><code>{escape(', '.join(a))}</code></li>" for a in case.alternatives
    )
    also = f"<p>Also accepted:</p><ul>{alternatives}</ul>" if alternatives else ""
    return (
        f"<details{' open' if unfolded else ''}><summary>Show the answer and rationale</summary>"
        f"<p><b>Answer:</b> <code>{escape(', '.join(case.answer))}</code></p>{also}"
        f"<p>{escape(case.rationale)}</p><p><small>{escape(case.guideline)}</small></p></details>"
    )


def _plural(n: int, word: str) -> str:
    """``n word`` with an s when n is not 1.

    >>> _plural(1, "case"), _plural(3, "case")
    ('1 case', '3 cases')
    """
    return f"{n} {word}{'' if n == 1 else 's'}"


def score_text(session: Session) -> str:
    """The running score as one line: first attempts, then practice retries and shown answers.

    >>> s = Session()
    >>> score_text(s)
    'Score (first attempts): no cases checked yet'
    >>> s.attempts = {"a": (5.0, 7.0), "b": (2.0, 3.0)}
    >>> s.retries, s.answer_shown = 2, {"c"}
    >>> score_text(s)
    'Score (first attempts): 7 / 10 points (70.0%) over 2 cases · Practice retries: 2 · Answer shown — not scored: 1 case'
    """
    earned, possible, count = session.totals()
    if count:
        percent = round(100 * earned / possible, 1) if possible else 0.0
        text = (
            f"Score (first attempts): {grading.points_text(earned)} / "
            f"{grading.points_text(possible)} points ({percent}%) over {_plural(count, 'case')}"
        )
    else:
        text = "Score (first attempts): no cases checked yet"
    if session.retries:
        text += f" · Practice retries: {session.retries}"
    if session.answer_shown:
        text += f" · Answer shown — not scored: {_plural(len(session.answer_shown), 'case')}"
    return text


def score_html(session: Session) -> str:
    """The running session score (see ``score_text``), its label in bold."""
    label, _, rest = score_text(session).partition(": ")
    return f'<p class="mbl-score"><b>{escape(label)}:</b> {escape(rest)}</p>'


def status_html(status: str, session: Session, case_id: str) -> str:
    """One line above the feedback rows: what this check counted for, and why."""
    points, possible = session.attempts.get(case_id, (0.0, 0.0))
    first = f"{grading.points_text(points)}/{grading.points_text(possible)}"
    if status == SCORED:
        why = "this is your score for the case; checking it again is practice."
    elif status == RETRY:
        why = f"this case keeps the {first} of your first attempt."
    else:
        why = (
            "you saw the answer before trying, so this case does not count; this check is practice."
        )
    label = status[:1].upper() + status[1:]
    return f'<p class="mbl-status"><b>{escape(label)}</b>: {escape(why)}</p>'


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
    """The coding-practice box: a case, a codes input, Check, Show answer, Next case, topic, seed.

    Child widgets are attributes of the box (``case``, ``codes``, ``check``,
    ``feedback``, ``show_answer``, ``answer``, ``next``, ``score``, ``topic``,
    ``seed``) and the state is ``box.session``, so tests and browser tests can
    drive it.
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
    reveal = w.Button(description="Show answer", icon="eye")
    answer = w.HTML()
    feedback = w.HTML()
    score = w.HTML(score_html(session))

    def show_next(_=None) -> None:
        codes.value, feedback.value, answer.value = "", "", ""
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
        check.disabled = reveal.disabled = session.case is None

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
        status = session.record(report)
        feedback.value = (
            status_html(status, session, report.case_id)
            + report.to_html()
            + ("" if answer.value else answer_html(session.case))  # once on the page is enough
        )
        score.value = score_html(session)

    def on_reveal(_=None) -> None:
        if session.case is None:
            feedback.value = message("There is no case to show; press Next case.")
            return
        if session.show_answer():
            label = ANSWER_SHOWN
            note = "this case no longer counts toward your score; checking it is practice."
        else:
            points, possible = session.attempts[session.case.id]
            label = "answer shown"
            note = (
                f"your first attempt ({grading.points_text(points)}/"
                f"{grading.points_text(possible)}) stays your score for this case."
            )
        answer.value = (
            f'<p class="mbl-status"><b>{escape(label[:1].upper() + label[1:])}</b>: '
            f"{escape(note)}</p>{answer_html(session.case, unfolded=True)}"
        )
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
    reveal.on_click(on_reveal)
    codes.observe(on_enter, names="value")
    topic_box.observe(on_topic, names="value")
    seed_box.observe(on_seed, names="value")
    seed_help = w.HTML("<small>Same seed, same series of cases.</small>")
    box = w.VBox(
        [
            w.HBox([topic_box, next_button]),
            shown,
            w.HBox([codes, check, reveal]),
            score,  # next to the answer box, where the learner looks after a check
            answer,
            feedback,
            w.HBox([seed_box, seed_help]),
        ]
    )
    box.case, box.codes, box.check, box.feedback = shown, codes, check, feedback
    box.next, box.score, box.topic, box.seed = next_button, score, topic_box, seed_box
    box.show_answer, box.answer = reveal, answer
    box.session = session
    show_next()
    return box
