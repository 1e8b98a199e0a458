"""The timed mock exam: forms drawn from the bank by a blueprint, a sitting, its score report.

Pure values and functions; nothing here prints (the app and the CLI show them).

**Forms.** :func:`new_form` draws ``n`` items from the bank for an exam style
(CPC-style outpatient coding, CCA-style entry-level coding with inpatient,
CBCS-style billing).  Each style's blueprint (:data:`BLUEPRINTS`) gives the
domain weights as data; an item is eligible when its ``exams`` name the style.
The draw is deterministic for a seed (an instructor can give a whole class one
form by its seed), has no duplicate item, shuffles the order, and shuffles each
choice item's options (remembering which shown letter is which original one).
Two items never share a form when one shows the other's answer: a code item's
answer, or a code in a choice item's keyed option, printed in the other's stem or
options (:func:`gives_away`), so one question cannot answer another.

**A sitting** (:class:`Sitting`) lets the learner answer, change an answer,
clear it, flag and unflag, move about and submit.  It has a time limit: once it
has run out no answer is taken, and the sitting is scored as it stands
(unanswered items are wrong).  The clock is injected, so tests need not wait.

**Scoring.** A choice item is right when the option chosen is the key.  A code
item is right when the codes typed, normalised (case, spaces, an optional dot;
codes separated by commas, semicolons, spaces or hyphens, so ``99213-25`` is
``99213, 25``), equal the item's ``answer`` or one of its ``accept`` lists, in
that list's order (an item whose order is free lists the other orders in ``accept``).

**The report** (:class:`Result`): the total and each domain's right/total/percent,
pass or not at :data:`PASS_MARK` (70%), and for every missed item its stem, the
learner's answer, the right answer, the rationale and the rule.

**First attempt only.** A learner's first sitting of a form is the scored one.
Once they have submitted it they have seen the rationales, so a re-sitting of the
same form (the same items, whatever the order) is a *review*: it is recorded and
shown apart, and never counts in progress (:func:`attempt_kind`).

>>> from medbill_lab.training import exam_bank
>>> bank = exam_bank.load(exam_bank.datasets_dir().parent / "tests/data/exam_bank_fixture")
>>> form = new_form(bank, "CBCS", n=4, seed=7)
>>> form == new_form(bank, "CBCS", n=4, seed=7), len({i.item.id for i in form.items})
(True, 4)
"""

from __future__ import annotations

import functools
import hashlib
import random
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from medbill_lab.training.exam_bank import DOMAINS, LETTERS, Bank, Item

# The practice pass mark: the share right the CPC exam publishes as its pass mark (70%);
# CCA and CBCS report scaled scores, so 70% right is only a practice target for them.
PASS_MARK = 0.70
MAX_CODE_TEXT = 200  # characters a code answer may have
MAX_ITEMS = 200
MAX_MINUTES = 600
_CODE_TEXT = re.compile(r"^[A-Za-z0-9.,;\-\s]*$")
_SPLIT = re.compile(r"[\s,;\-]+")


class ExamError(ValueError):
    """Bad input to the exam (a style, a length, an answer): the message is one friendly line."""


class TimeUp(ExamError):
    """The sitting's time has run out: it is scored as it stands."""


@dataclass(frozen=True)
class Blueprint:
    """An exam style: its domain weights (shares of the form) and its pace."""

    style: str
    title: str
    weights: Mapping[str, float]
    minutes_per_item: float
    default_n: int = 20


BLUEPRINTS: dict[str, Blueprint] = {
    # CPC-style (outpatient coding): CPT sections and ICD-10-CM carry most of the form.
    "CPC": Blueprint(
        "CPC",
        "CPC-style: outpatient coding",
        {
            "cpt": 0.35,
            "icd10cm": 0.25,
            "hcpcs_modifiers": 0.15,
            "terminology": 0.10,
            "compliance": 0.10,
            "billing": 0.05,
        },
        minutes_per_item=2.4,
    ),
    # CCA-style (entry-level coding): adds inpatient coding (ICD-10-PCS, MS-DRG, POA).
    "CCA": Blueprint(
        "CCA",
        "CCA-style: entry-level coding, inpatient included",
        {
            "icd10cm": 0.25,
            "inpatient": 0.20,
            "cpt": 0.20,
            "hcpcs_modifiers": 0.10,
            "terminology": 0.10,
            "compliance": 0.10,
            "billing": 0.05,
        },
        minutes_per_item=1.1,
    ),
    # CBCS-style (billing and coding specialist): billing and compliance heavy.
    "CBCS": Blueprint(
        "CBCS",
        "CBCS-style: billing and reimbursement",
        {
            "billing": 0.40,
            "compliance": 0.25,
            "icd10cm": 0.10,
            "cpt": 0.10,
            "hcpcs_modifiers": 0.10,
            "terminology": 0.05,
        },
        minutes_per_item=1.4,
    ),
}


def blueprint(style: str) -> Blueprint:
    """The blueprint of a style (``ExamError`` naming the styles for an unknown one)."""
    try:
        return BLUEPRINTS[str(style).upper()]
    except KeyError:
        raise ExamError(f"unknown exam style {style!r}: choose {', '.join(BLUEPRINTS)}") from None


def allocate(weights: Mapping[str, float], available: Mapping[str, int], n: int) -> dict[str, int]:
    """How many items each domain gets: ``n`` split by weight (largest remainders),
    never more than a domain has; a domain's shortfall goes to the others by weight."""
    supply = sum(available.get(d, 0) for d, w in weights.items() if w > 0)
    if n > supply:
        raise ExamError(
            f"the bank has only {supply} items for this style: choose {supply} or fewer"
        )
    counts = dict.fromkeys(weights, 0)
    open_ = [d for d, w in weights.items() if w > 0 and available.get(d, 0) > 0]
    while (remaining := n - sum(counts.values())) > 0:
        total = sum(weights[d] for d in open_)
        quotas = {d: remaining * weights[d] / total for d in open_}
        for d in open_:
            counts[d] += min(int(quotas[d]), available[d] - counts[d])
        rest = n - sum(counts.values())
        by_remainder = sorted(open_, key=lambda d: -(quotas[d] - int(quotas[d])))
        for d in by_remainder:
            if rest and counts[d] < available[d]:
                counts[d] += 1
                rest -= 1
        open_ = [d for d in open_ if counts[d] < available[d]]
    return {d: c for d, c in counts.items() if c}


@dataclass(frozen=True)
class FormItem:
    """An item as this form shows it: ``order[i]`` is the original option shown as ``LETTERS[i]``."""

    item: Item
    order: tuple[str, ...] = ()

    def shown_choices(self) -> list[tuple[str, str]]:
        """The options as shown: (shown letter, text)."""
        assert self.item.choices is not None
        return [(LETTERS[i], self.item.choices[o]) for i, o in enumerate(self.order)]

    def original(self, shown: str) -> str:
        """The bank's letter for the option shown as ``shown``."""
        return self.order[LETTERS.index(shown)]

    def shown(self, original: str) -> str:
        """The letter under which the bank's option ``original`` is shown."""
        return LETTERS[self.order.index(original)]


@dataclass(frozen=True)
class Form:
    """A drawn exam form: its items in the order shown, with its style, seed and time limit."""

    style: str
    seed: int
    minutes: float
    items: tuple[FormItem, ...]

    @property
    def form_id(self) -> str:
        """The form's identity: style, seed and a digest of its item set (the order and the
        time limit aside). Two sittings with the same id are the same form."""
        ids = ",".join(sorted(i.item.id for i in self.items))
        return f"{self.style}-{self.seed}-{hashlib.sha256(ids.encode()).hexdigest()[:8]}"


def _check_int(value: object, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ExamError(f"{name} must be a whole number from {low:,} to {high:,}.")
    return value


def new_form(
    bank: Bank,
    style: str = "CPC",
    n: int | None = None,
    seed: int = 0,
    minutes: float | None = None,
) -> Form:
    """Draw a form: ``n`` items (default the style's) split over domains by the blueprint,
    deterministic for ``seed``, in shuffled order with shuffled options; ``minutes``
    defaults to the style's pace times ``n``."""
    bp = blueprint(style)
    n = _check_int(bp.default_n if n is None else n, "The number of questions", 1, MAX_ITEMS)
    seed = _check_int(seed, "The seed", 0, 10**9)
    if minutes is None:
        minutes = round(bp.minutes_per_item * n)
    if (
        isinstance(minutes, bool)
        or not isinstance(minutes, int | float)
        or not 0 < minutes <= MAX_MINUTES
    ):
        raise ExamError(f"The time limit must be more than 0 and at most {MAX_MINUTES} minutes.")
    eligible = {
        d: sorted(
            (i for i in bank.items if i.domain == d and bp.style in i.exams), key=lambda i: i.id
        )
        for d in bp.weights
    }
    counts = allocate(bp.weights, {d: len(v) for d, v in eligible.items()}, n)
    rng = random.Random(f"{bp.style}:{seed}")
    picked = _draw_apart(eligible, counts, rng)
    rng.shuffle(picked)
    items = tuple(
        FormItem(i, tuple(rng.sample(LETTERS, len(LETTERS))) if i.type == "choice" else ())
        for i in picked
    )
    return Form(style=bp.style, seed=seed, minutes=minutes, items=items)


# Codes as a stem prints them: ICD-10-CM/PCS, CPT, HCPCS Level II, and modifiers with a
# letter. A bare two-digit number is left out ("25" and "50" are ages and counts as often),
# but one named as a modifier ("modifier 91", "modifiers 26 and LT", "99213-25") is a code.
_SHOWN_CODE = re.compile(
    r"(?<![\w.])(?:[A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?|[0-9A-HJ-NP-Z]{7}|\d{4}[0-9FTU]"
    r"|[A-V]\d{4}|[A-Z][A-Z0-9]|[0-9][A-Z])(?![\w])"
)
_MODIFIER_LIST = re.compile(
    r"\bmodifiers?\s+((?:[0-9A-Z]{2}\b(?:,?\s*(?:and|or|,|/)\s*)?)+)|\b\d{5}-(\d\d)\b",
    re.IGNORECASE,
)


def _answer_codes(item: Item) -> set[str]:
    """The codes that answer ``item``: a code item's answers (and accepted lists), or the
    codes printed in a choice item's keyed option."""
    if item.type == "code":
        lists = (item.answer, *item.accept)
        return {str(c).upper() for codes in lists for c in codes}
    assert item.choices is not None
    return set(_codes_in(item.choices[str(item.answer)]))


def _shown_codes(item: Item) -> frozenset[str]:
    """The codes ``item`` prints in its stem and options."""
    return _codes_in(" ".join([item.stem, *(item.choices or {}).values()]))


@functools.lru_cache(maxsize=8192)
def _codes_in(text: str) -> frozenset[str]:
    named = " ".join(" ".join(m) for m in _MODIFIER_LIST.findall(text))
    return frozenset(_SHOWN_CODE.findall(text)) | frozenset(re.findall(r"\b\d\d\b", named))


def gives_away(shown: Item, answered: Item) -> bool:
    """Whether ``shown`` prints a code that answers ``answered`` (so both on one form would
    let one question answer the other).

    >>> from medbill_lab.training.exam_bank import Item
    >>> q = Item("Q-1", "cpt", "E/M", ("CPC",), "code", "Code the visit.", ("99203",), "", "", "easy")
    >>> p = Item("P-1", "cpt", "E/M", ("CPC",), "choice", "Is 99203 a new patient visit?", "A",
    ...          "", "", "easy", choices={"A": "yes", "B": "no", "C": "n/a", "D": "both"})
    >>> gives_away(p, q), gives_away(q, p)
    (True, False)
    """
    return shown.id != answered.id and bool(_shown_codes(shown) & _answer_codes(answered))


def _draw_apart(
    eligible: Mapping[str, list[Item]], counts: Mapping[str, int], rng: random.Random
) -> list[Item]:
    """Draw ``counts[d]`` items of each domain in a seeded order, passing over an item that
    would give away, or be given away by, one already drawn; when a domain runs short that
    way, its first items passed over fill the gap (a form of the asked size matters more)."""
    picked: list[Item] = []
    for domain, k in counts.items():
        order = rng.sample(eligible[domain], len(eligible[domain]))
        kept: list[Item] = []
        for item in order:
            if len(kept) < k and not _clashes(item, picked + kept):
                kept.append(item)
        picked += kept + [i for i in order if i not in kept][: k - len(kept)]
    return picked


def _clashes(item: Item, drawn: Iterable[Item]) -> bool:
    return any(gives_away(item, d) or gives_away(d, item) for d in drawn)


def normalise_codes(answer: str | Iterable[str]) -> tuple[str, ...]:
    """Codes as compared: upper case, no dots or spaces, split on commas, semicolons,
    spaces and hyphens.

    >>> normalise_codes(" e11.22, n1831 ")
    ('E1122', 'N1831')
    >>> normalise_codes(["99213-25"]) == normalise_codes("99213, 25")
    True
    """
    text = answer if isinstance(answer, str) else ",".join(answer)
    text = re.sub(r"\s*\.\s*", "", text.upper())  # "E11 .22" and "E11.22" alike
    return tuple(c for c in _SPLIT.split(text) if c)


def code_is_right(item: Item, typed: str) -> bool:
    """Whether typed codes match the item's answer or an accepted alternative, in order."""
    got = normalise_codes(typed)
    return any(got == normalise_codes(a) for a in (item.answer, *item.accept))


def code_difference(item: Item, typed: str) -> str | None:
    """What keeps typed codes from the item's right answer, in words, or None when they match
    one of its accepted answers.

    Measured against the accepted answer sharing the most codes; a code typed twice, codes
    missing or extra, and the right codes in another order are each named.
    """
    got = normalise_codes(typed)
    answers = [normalise_codes(a) for a in (item.answer, *item.accept)]
    if got in answers:
        return None
    want = max(answers, key=lambda a: len(set(a) & set(got)))
    shown = {normalise_codes(c)[0]: c for a in (item.answer, *item.accept) for c in a}
    said = []
    twice = sorted({c for c in got if got.count(c) > 1})
    if twice:
        said.append(f"{', '.join(shown.get(c, c) for c in twice)} is listed more than once")
    missing = [c for c in want if c not in got]
    if missing:
        said.append(f"missing {', '.join(shown.get(c, c) for c in missing)}")
    extra = [c for c in dict.fromkeys(got) if c not in want]
    if extra:
        said.append(f"not part of the answer: {', '.join(extra)}")
    if not said:
        said.append("the right codes, but not in the order the answer reports them")
    return "; ".join(said) + "."


def attempt_kind(earlier_form_ids: Iterable[str], form_id: str) -> str:
    """``"scored"`` for a learner's first sitting of a form, ``"review"`` for any later one."""
    return "review" if form_id in set(earlier_form_ids) else "scored"


@dataclass(frozen=True)
class ItemResult:
    """One item of a submitted sitting: what was answered, whether it was right, time spent."""

    position: int
    form_item: FormItem
    response: str | None  # as the learner gave it: a shown letter or the codes typed
    correct: bool
    seconds: float
    flagged: bool

    @property
    def item(self) -> Item:
        """The bank item."""
        return self.form_item.item

    @property
    def stored_answer(self) -> str | None:
        """The answer in the bank's terms (original letter, or normalised codes joined by commas),
        as item analysis compares answers across forms."""
        if self.response is None:
            return None
        if self.item.type == "choice":
            return self.form_item.original(self.response)
        return ",".join(normalise_codes(self.response))

    def answer_text(self) -> str:
        """The learner's answer as the report shows it."""
        if self.response is None:
            return "(no answer)"
        if self.item.type == "choice":
            return f"{self.response}. {self.item.choices[self.form_item.original(self.response)]}"
        return self.response.strip()

    def right_text(self) -> str:
        """The right answer as the report shows it (a code item's accepted alternatives too)."""
        item = self.item
        if item.type == "choice":
            return f"{self.form_item.shown(item.answer)}. {item.choices[item.answer]}"
        text = ", ".join(item.answer)
        if item.accept:
            text += " (also accepted: " + "; ".join(", ".join(a) for a in item.accept) + ")"
        return text

    def why_not(self) -> str | None:
        """Why a wrong answer is wrong: the bank's note on the chosen option, or for codes
        what differs from the nearest right answer (a code twice, missing, extra, or order)."""
        if self.correct or self.response is None:
            return None
        if self.item.type == "choice":
            return (self.item.distractors or {}).get(self.form_item.original(self.response))
        return code_difference(self.item, self.response)


def share_percent(right: int, total: int) -> float:
    """``right`` out of ``total`` in percent, one decimal; 0.0 when there is nothing to count.

    >>> share_percent(2, 3), share_percent(0, 0)
    (66.7, 0.0)
    """
    return round(100 * right / total, 1) if total else 0.0


@dataclass(frozen=True)
class DomainScore:
    """Right/total/percent in one domain."""

    domain: str
    title: str
    right: int
    total: int

    @property
    def percent(self) -> float:
        """Share right, in percent (one decimal)."""
        return share_percent(self.right, self.total)


@dataclass(frozen=True)
class Result:
    """A submitted sitting's score report."""

    form: Form
    learner: str
    items: tuple[ItemResult, ...]
    timed_out: bool
    elapsed: float
    pass_mark: float = PASS_MARK
    titles: Mapping[str, str] = field(default_factory=dict)

    @property
    def right(self) -> int:
        """Items right."""
        return sum(r.correct for r in self.items)

    @property
    def total(self) -> int:
        """Items on the form."""
        return len(self.items)

    @property
    def percent(self) -> float:
        """Share right, in percent (one decimal)."""
        return share_percent(self.right, self.total)

    @property
    def passed(self) -> bool:
        """Whether the share right reaches the pass mark."""
        return self.total > 0 and self.right / self.total >= self.pass_mark

    def by_domain(self) -> list[DomainScore]:
        """Each domain on the form, in the bank's domain order."""
        out = []
        for d in DOMAINS:
            rs = [r for r in self.items if r.item.domain == d]
            if rs:
                title = self.titles.get(d, DOMAINS[d][1])
                out.append(DomainScore(d, title, sum(r.correct for r in rs), len(rs)))
        return out

    def missed(self) -> list[ItemResult]:
        """The items not right (unanswered included), in the order they were shown."""
        return [r for r in self.items if not r.correct]


class Sitting:
    """One learner's sitting of a form, with a time limit on an injectable clock.

    >>> from medbill_lab.training import exam_bank
    >>> bank = exam_bank.load(exam_bank.datasets_dir().parent / "tests/data/exam_bank_fixture")
    >>> now = [0.0]
    >>> s = Sitting(new_form(bank, "CBCS", n=3, seed=1, minutes=1), "ana", clock=lambda: now[0])
    >>> now[0] = 61.0
    >>> s.expired, s.submit().right
    (True, 0)
    """

    def __init__(
        self,
        form: Form,
        learner: str,
        clock: Callable[[], float] = time.monotonic,
        titles: Mapping[str, str] | None = None,
    ):
        self.form = form
        self.learner = learner
        self._clock = clock
        self.started = clock()
        self.deadline = self.started + form.minutes * 60
        self.responses: dict[int, str] = {}
        self.flagged: set[int] = set()
        self.position = 0
        self.seconds = [0.0] * len(form.items)
        self._arrived = self.started
        self.result: Result | None = None
        self._titles = dict(titles or {})

    # -- time -------------------------------------------------------------------------
    def remaining(self) -> float:
        """Seconds left (0 once the time is up)."""
        return max(0.0, self.deadline - self._clock())

    @property
    def expired(self) -> bool:
        """Whether the time limit has passed."""
        return self._clock() >= self.deadline

    def _open(self) -> None:
        if self.result is not None:
            raise ExamError("This exam has been submitted; start a new one to sit it again.")
        if self.expired:
            raise TimeUp("Time is up: the exam is scored as it stands.")

    def _leave(self) -> None:
        now = min(self._clock(), self.deadline)
        self.seconds[self.position] += max(0.0, now - self._arrived)
        self._arrived = now

    # -- answering --------------------------------------------------------------------
    @property
    def current(self) -> FormItem:
        """The item shown now."""
        return self.form.items[self.position]

    def answer(self, value: str | None, position: int | None = None) -> None:
        """Answer (or change, or with ``None``/blank clear) the item at ``position``
        (default: the current one): a shown letter for a choice item, codes for a code item."""
        self._open()
        pos = self.position if position is None else self._check_position(position)
        item = self.form.items[pos].item
        text = (value or "").strip()
        if not text:
            self.responses.pop(pos, None)
            return
        if item.type == "choice":
            if text.upper() not in LETTERS:
                raise ExamError("Choose one of the options A, B, C or D.")
            self.responses[pos] = text.upper()
            return
        if len(text) > MAX_CODE_TEXT or not _CODE_TEXT.match(text):
            raise ExamError(
                "Type codes only (letters, digits and dots), separated by commas, e.g. E11.22, N18.31."
            )
        self.responses[pos] = text

    def toggle_flag(self, position: int | None = None) -> bool:
        """Flag an item to come back to, or unflag it; returns whether it is now flagged."""
        self._open()
        pos = self.position if position is None else self._check_position(position)
        self.flagged ^= {pos}
        return pos in self.flagged

    def _check_position(self, position: object) -> int:
        if isinstance(position, bool) or not isinstance(position, int):
            raise ExamError("No such question.")
        if not 0 <= position < len(self.form.items):
            raise ExamError(f"No question {position + 1}: the exam has {len(self.form.items)}.")
        return position

    def go(self, position: int) -> FormItem:
        """Move to the question at ``position`` (0-based); the time spent is kept per item."""
        self._open()
        pos = self._check_position(position)
        self._leave()
        self.position = pos
        return self.current

    def next(self) -> FormItem:
        """The next question (stays on the last)."""
        return self.go(min(self.position + 1, len(self.form.items) - 1))

    def previous(self) -> FormItem:
        """The previous question (stays on the first)."""
        return self.go(max(self.position - 1, 0))

    def status(self, position: int) -> str:
        """``"flagged"``, ``"answered"`` or ``"unanswered"`` (flagged wins), for the question map."""
        if position in self.flagged:
            return "flagged"
        return "answered" if position in self.responses else "unanswered"

    def unanswered(self) -> list[int]:
        """Positions with no answer."""
        return [p for p in range(len(self.form.items)) if p not in self.responses]

    # -- submitting -------------------------------------------------------------------
    def submit(self) -> Result:
        """Score the sitting (also after the time is up: then as it stood at the limit).
        Submitting twice returns the same result."""
        if self.result is not None:
            return self.result
        self._leave()
        timed_out = self.expired
        items = []
        for pos, form_item in enumerate(self.form.items):
            response = self.responses.get(pos)
            items.append(
                ItemResult(
                    position=pos,
                    form_item=form_item,
                    response=response,
                    correct=response is not None and _is_right(form_item, response),
                    seconds=round(self.seconds[pos], 1),
                    flagged=pos in self.flagged,
                )
            )
        elapsed = min(self._clock(), self.deadline) - self.started
        self.result = Result(
            form=self.form,
            learner=self.learner,
            items=tuple(items),
            timed_out=timed_out,
            elapsed=round(elapsed, 1),
            titles=self._titles,
        )
        return self.result


def _is_right(form_item: FormItem, response: str) -> bool:
    item = form_item.item
    if item.type == "choice":
        return form_item.original(response) == item.answer
    return code_is_right(item, response)


def format_clock(seconds: float) -> str:
    """Seconds as the timer shows them: ``M:SS`` (``H:MM:SS`` from an hour).

    >>> format_clock(61.4), format_clock(3725)
    ('1:02', '1:02:05')
    """
    s = int(-(-seconds // 1))  # round up: 0:01 until the very end
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def styles() -> Sequence[str]:
    """The exam styles, in order."""
    return tuple(BLUEPRINTS)
