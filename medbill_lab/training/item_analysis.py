"""Classical item analysis over learners' responses: difficulty, discrimination, distractors.

The input is a flat list of :class:`Response` values, one per learner and item:
who answered, which item, what they answered (a choice letter, codes, or ``None``
when they left it blank), the credit earned (``0 <= score <= max_score``) and the
item's maximum.  Mock-exam attempts, nbgrader grades and quiz logs all reduce to
that shape, so the same functions serve the exam's analysis and the class report.

What each figure means (classical test theory):

* **difficulty** ``p``: the mean share of the item's credit earned (a 0/1 item: the
  share who got it right).  High ``p`` is an *easy* item.
* **discrimination**, two ways:

  - the *corrected* point-biserial ``r``: the correlation, across the learners who
    took the item, between their share on the item and their share on all their
    *other* items (the item is left out of the total so it does not correlate with
    itself);
  - the upper-lower index ``D``: the item's mean share in the top 27% of learners
    by total minus its mean share in the bottom 27%.

  A good item has ``r``/``D`` well above 0; a negative value means the stronger
  learners do worse on it than the weaker ones: a wrong key, an ambiguous stem,
  or a trick question.
* **distractor analysis** (choice items, when their options are known): the share
  choosing each option overall and in the upper and lower groups.  A distractor
  is flagged when it draws more of the upper group than the key does (often a
  second defensible answer or a miskey) and when nobody chose it (it does no work).

With few learners these figures are noise: below :data:`MIN_LEARNERS` every item
carries a note saying so (the figures are still computed, for a first look).

>>> rs = [Response(f"s{i}", "Q1", "A" if i < 3 else "B", 1.0 if i < 3 else 0.0) for i in range(4)]
>>> stats = analyse(rs, choices={"Q1": "ABCD"}).items[0]
>>> round(stats.difficulty, 2), stats.key
(0.75, 'A')
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import NamedTuple

MIN_LEARNERS = 20  # fewer learners than this: discrimination and groups are unstable
GROUP_SHARE = 0.27  # Kelley's upper and lower 27%
EASY_P = 0.90  # flagged "very easy" above this difficulty
HARD_P = 0.30  # flagged "very hard" below this difficulty
LOW_DISCRIMINATION = 0.15  # flagged "weak discrimination" below this (but not negative)


class Response(NamedTuple):
    """One learner's answer to one item.

    ``answer`` is what they chose or typed (``None``: left blank); ``score`` is the
    credit earned, from 0 to ``max_score``.
    """

    learner: str
    item_id: str
    answer: str | None
    score: float
    max_score: float = 1.0


@dataclass(frozen=True)
class OptionStats:
    """How often one option of a choice item was chosen, overall and by group."""

    option: str
    is_key: bool
    share: float
    upper_share: float | None
    lower_share: float | None
    flag: str | None = None


@dataclass(frozen=True)
class ItemStats:
    """Everything the analysis says about one item."""

    item_id: str
    n: int
    difficulty: float
    discrimination: float | None  # corrected point-biserial; None when undefined
    upper_lower: float | None  # upper 27% minus lower 27%; None when the groups are empty
    key: str | None = None
    options: tuple[OptionStats, ...] = ()
    blank_share: float = 0.0
    flags: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class Analysis:
    """The analysis of a whole response set: its learners, items and any caution."""

    learners: int
    items: tuple[ItemStats, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    def item(self, item_id: str) -> ItemStats:
        """The statistics of one item (``KeyError`` when it had no responses)."""
        for stats in self.items:
            if stats.item_id == item_id:
                return stats
        raise KeyError(item_id)

    def to_dict(self) -> dict:
        """A JSON-ready dict (for ``--json`` and CSV exports)."""
        return asdict(self)


def _share(r: Response) -> float:
    """The response's credit as a share of the item's maximum (0 when the maximum is 0)."""
    return r.score / r.max_score if r.max_score > 0 else 0.0


def check_responses(responses: Iterable[Response]) -> list[Response]:
    """The responses as a list, refusing a duplicate learner/item pair or an impossible score."""
    seen: set[tuple[str, str]] = set()
    out = []
    for r in responses:
        if (r.learner, r.item_id) in seen:
            raise ValueError(f"two responses from {r.learner!r} to item {r.item_id!r}")
        if r.max_score < 0 or not 0 <= r.score <= r.max_score:
            raise ValueError(
                f"score {r.score} of {r.learner!r} on {r.item_id!r} is outside 0..{r.max_score}"
            )
        seen.add((r.learner, r.item_id))
        out.append(r)
    return out


def difficulty(responses: Iterable[Response]) -> dict[str, float]:
    """Each item's difficulty ``p``: the mean share of its credit the learners earned."""
    shares: dict[str, list[float]] = defaultdict(list)
    for r in responses:
        shares[r.item_id].append(_share(r))
    return {item: sum(v) / len(v) for item, v in shares.items()}


def learner_totals(responses: Iterable[Response]) -> dict[str, tuple[float, float]]:
    """Each learner's (credit earned, credit possible) over all the items they took."""
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for r in responses:
        totals[r.learner][0] += r.score
        totals[r.learner][1] += r.max_score
    return {learner: (got, of) for learner, (got, of) in totals.items()}


def _correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r, or None when either side does not vary (or fewer than 2 pairs)."""
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy)


def corrected_point_biserial(
    item_responses: Sequence[Response], totals: Mapping[str, tuple[float, float]]
) -> float | None:
    """Correlation between the item's share and each learner's share on their *other* items.

    Learners who took nothing but this item have no rest score and are left out.
    None when the item or the rest scores do not vary.
    """
    xs, ys = [], []
    for r in item_responses:
        got, of = totals[r.learner]
        rest_of = of - r.max_score
        if rest_of <= 0:
            continue
        xs.append(_share(r))
        ys.append((got - r.score) / rest_of)
    return _correlation(xs, ys)


def groups(learners: Iterable[str], totals: Mapping[str, tuple[float, float]]) -> tuple[set, set]:
    """The upper and lower 27% of the given learners by total share (at least one each
    when there are two or more learners; ties broken by name so the split is stable)."""
    ranked = sorted(
        learners, key=lambda s: (-(totals[s][0] / totals[s][1] if totals[s][1] else 0.0), s)
    )
    if len(ranked) < 2:
        return set(), set()
    size = max(1, round(len(ranked) * GROUP_SHARE))
    size = min(size, len(ranked) // 2)
    return set(ranked[:size]), set(ranked[-size:])


def upper_lower_index(item_responses: Sequence[Response], upper: set, lower: set) -> float | None:
    """Mean share on the item in the upper group minus that in the lower group."""
    up = [_share(r) for r in item_responses if r.learner in upper]
    low = [_share(r) for r in item_responses if r.learner in lower]
    if not up or not low:
        return None
    return sum(up) / len(up) - sum(low) / len(low)


def infer_key(item_responses: Sequence[Response]) -> str | None:
    """The answer most often given with full credit (None if nobody earned it)."""
    counts: dict[str, int] = defaultdict(int)
    for r in item_responses:
        if r.answer is not None and r.max_score > 0 and r.score >= r.max_score:
            counts[r.answer] += 1
    return max(sorted(counts), key=lambda a: counts[a]) if counts else None


def _option_share(rs: Sequence[Response], option: str) -> float | None:
    return sum(r.answer == option for r in rs) / len(rs) if rs else None


def distractors(
    item_responses: Sequence[Response], options: Sequence[str], key: str, upper: set, lower: set
) -> tuple[OptionStats, ...]:
    """Each option's share overall and in the upper/lower groups, with a flag for a
    distractor that draws more of the upper group than the key, or that nobody of at least
    :data:`MIN_LEARNERS` learners chose."""
    up = [r for r in item_responses if r.learner in upper]
    low = [r for r in item_responses if r.learner in lower]
    key_upper = _option_share(up, key)
    out = []
    for option in options:
        share = _option_share(item_responses, option) or 0.0
        upper_share = _option_share(up, option)
        flag = None
        if option != key:
            if share == 0 and len(item_responses) >= MIN_LEARNERS:
                # below MIN_LEARNERS an unchosen option is the rule, not a finding
                flag = "chosen by nobody: it does no work"
            elif upper_share is not None and key_upper is not None and upper_share > key_upper:
                flag = "draws more of the upper group than the key: check for a second right answer or a miskey"
        out.append(
            OptionStats(option, option == key, share, upper_share, _option_share(low, option), flag)
        )
    return tuple(out)


def _flags(stats: ItemStats) -> tuple[str, ...]:
    flags = []
    if stats.difficulty > EASY_P:
        flags.append(f"very easy (p = {stats.difficulty:.2f} > {EASY_P})")
    elif stats.difficulty < HARD_P:
        flags.append(f"very hard (p = {stats.difficulty:.2f} < {HARD_P})")
    r = stats.discrimination
    if r is not None and r < 0:
        flags.append(f"negative discrimination (r = {r:.2f}): stronger learners do worse on it")
    elif r is not None and r < LOW_DISCRIMINATION:
        flags.append(f"weak discrimination (r = {r:.2f} < {LOW_DISCRIMINATION})")
    flags += [f"option {o.option} {o.flag}" for o in stats.options if o.flag]
    return tuple(flags)


def min_n_note(n: int) -> str | None:
    """The caution for an item or a set taken by fewer than :data:`MIN_LEARNERS` learners."""
    if n >= MIN_LEARNERS:
        return None
    return (
        f"only {n} learner(s): difficulty and discrimination are unstable below "
        f"{MIN_LEARNERS}; read them as a first look"
    )


def analyse(
    responses: Iterable[Response],
    *,
    choices: Mapping[str, Sequence[str]] | None = None,
    keys: Mapping[str, str] | None = None,
) -> Analysis:
    """Difficulty, discrimination and (for items in ``choices``) distractor analysis.

    ``choices`` maps a choice item to its option letters; ``keys`` to its right
    option (else the key is inferred as the answer given with full credit).
    Items come out in order of their id.
    """
    rs = check_responses(responses)
    totals = learner_totals(rs)
    by_item: dict[str, list[Response]] = defaultdict(list)
    for r in rs:
        by_item[r.item_id].append(r)
    p = difficulty(rs)
    out = []
    for item_id in sorted(by_item):
        item_rs = by_item[item_id]
        upper, lower = groups((r.learner for r in item_rs), totals)
        key = (keys or {}).get(item_id) or infer_key(item_rs)
        options = ()
        if choices and item_id in choices and key is not None:
            options = distractors(item_rs, list(choices[item_id]), key, upper, lower)
        stats = ItemStats(
            item_id=item_id,
            n=len(item_rs),
            difficulty=p[item_id],
            discrimination=corrected_point_biserial(item_rs, totals),
            upper_lower=upper_lower_index(item_rs, upper, lower),
            key=key,
            options=options,
            blank_share=sum(r.answer is None for r in item_rs) / len(item_rs),
            note=min_n_note(len(item_rs)),
        )
        out.append(replace(stats, flags=_flags(stats)))
    note = min_n_note(len(totals))
    return Analysis(learners=len(totals), items=tuple(out), notes=(note,) if note else ())
