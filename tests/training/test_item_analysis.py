"""Item analysis finds what was planted in a simulated class: an easy item, a hard one,
one the stronger learners miss, and a distractor that draws the upper group."""

from __future__ import annotations

import math
import random

import pytest

from medbill_lab.training import item_analysis as ia
from medbill_lab.training.item_analysis import Response

LEARNERS = 200
CHOICES = "ABCD"


def _logistic(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _simulate() -> list[Response]:
    """200 learners of varied ability on 12 choice items (key A unless said).

    Planted: EASY (almost all right), HARD (few right), NEG (abler learners miss
    it more), ATTRACT (the abler learners mostly choose C over the key A),
    DEAD (a distractor D nobody chooses); ten ordinary items make the totals.
    """
    rng = random.Random(20261207)
    out = []
    for i in range(LEARNERS):
        theta = rng.gauss(0, 1)
        learner = f"s{i:03d}"
        for n in range(10):
            right = rng.random() < _logistic(1.7 * theta + rng.uniform(-0.5, 0.5))
            out.append(_choice(learner, f"ORD-{n}", "A" if right else rng.choice("BCD")))
        out.append(_choice(learner, "EASY", "A" if rng.random() < 0.97 else rng.choice("BCD")))
        out.append(_choice(learner, "HARD", "A" if rng.random() < 0.12 else rng.choice("BCD")))
        neg = rng.random() < _logistic(-1.5 * theta)
        out.append(_choice(learner, "NEG", "A" if neg else rng.choice("BCD")))
        # ATTRACT: weak learners guess; strong learners are drawn to C.
        strong_pick = "C" if rng.random() < 0.7 else "A"
        pick = strong_pick if theta > 0.3 else rng.choice("ABCD")
        out.append(_choice(learner, "ATTRACT", pick))
        dead = "A" if rng.random() < _logistic(1.5 * theta) else rng.choice("BC")
        out.append(_choice(learner, "DEAD", dead))
    return out


def _choice(learner: str, item: str, answer: str) -> Response:
    return Response(learner, item, answer, 1.0 if answer == "A" else 0.0)


@pytest.fixture(scope="module")
def analysis() -> ia.Analysis:
    responses = _simulate()
    items = {r.item_id for r in responses}
    return ia.analyse(responses, choices={i: CHOICES for i in items}, keys={i: "A" for i in items})


def test_the_easy_and_the_hard_item_are_found(analysis):
    easy, hard = analysis.item("EASY"), analysis.item("HARD")
    assert easy.difficulty > ia.EASY_P and any("very easy" in f for f in easy.flags)
    assert hard.difficulty < ia.HARD_P and any("very hard" in f for f in hard.flags)
    ordinary = [analysis.item(f"ORD-{n}") for n in range(10)]
    assert not any("very" in f for s in ordinary for f in s.flags)


def test_the_negatively_discriminating_item_is_found_and_only_it(analysis):
    neg = analysis.item("NEG")
    assert neg.discrimination < -0.2 and neg.upper_lower < -0.2
    assert any("negative discrimination" in f for f in neg.flags)
    for n in range(10):
        ordinary = analysis.item(f"ORD-{n}")
        assert ordinary.discrimination > 0.3 and ordinary.upper_lower > 0.3
    # Only the planted items can come out negative (ATTRACT is, by design: its
    # strong learners choose C); NEG is the clearest of them.
    negatives = {s.item_id for s in analysis.items if any("negative" in f for f in s.flags)}
    assert "NEG" in negatives <= {"NEG", "ATTRACT", "EASY", "HARD"}
    assert min(analysis.items, key=lambda s: s.discrimination).item_id == "NEG"


def test_the_attractive_and_the_dead_distractor_are_flagged(analysis):
    attract = {o.option: o for o in analysis.item("ATTRACT").options}
    assert attract["C"].upper_share > attract["A"].upper_share
    assert "upper group" in attract["C"].flag
    assert attract["B"].flag is None and attract["A"].flag is None and attract["A"].is_key
    dead = {o.option: o for o in analysis.item("DEAD").options}
    assert dead["D"].share == 0 and "nobody" in dead["D"].flag
    assert dead["B"].flag is None
    # An ordinary item's distractors draw the lower group, not the upper.
    for o in analysis.item("ORD-0").options:
        if not o.is_key:
            assert o.lower_share > o.upper_share and o.flag is None


def test_shares_add_up_and_groups_are_27_percent(analysis):
    stats = analysis.item("ORD-3")
    assert sum(o.share for o in stats.options) == pytest.approx(1.0)
    assert sum(o.upper_share for o in stats.options) == pytest.approx(1.0)
    totals = ia.learner_totals(_simulate())
    upper, lower = ia.groups(totals, totals)
    assert len(upper) == len(lower) == 54 and not upper & lower
    assert analysis.learners == LEARNERS and analysis.notes == ()


def test_corrected_point_biserial_leaves_the_item_out():
    # Two items, perfectly opposite: with the item left out of the total, r is -1;
    # an uncorrected r (item inside the total) would be 0 here.
    rs = [Response(f"s{i}", "X", None, float(i % 2)) for i in range(6)]
    rs += [Response(f"s{i}", "Y", None, float(1 - i % 2)) for i in range(6)]
    totals = ia.learner_totals(rs)
    r = ia.corrected_point_biserial([x for x in rs if x.item_id == "X"], totals)
    assert r == pytest.approx(-1.0)


def test_partial_credit_and_blanks():
    rs = [
        Response("a", "CASE", "E11.9", 2, 4),
        Response("b", "CASE", None, 0, 4),
        Response("c", "CASE", "E11.22", 4, 4),
    ]
    stats = ia.analyse(rs).item("CASE")
    assert stats.difficulty == pytest.approx(0.5)
    assert stats.blank_share == pytest.approx(1 / 3)
    assert stats.key == "E11.22" and stats.options == ()  # no choices given: no distractor table
    assert stats.discrimination is None  # one item only: no rest score to correlate with


def test_few_learners_get_a_minimum_n_note():
    rs = [Response(f"s{i}", "Q", "A" if i % 2 else "B", float(i % 2)) for i in range(5)]
    result = ia.analyse(rs, choices={"Q": "AB"})
    assert "only 5 learner(s)" in result.notes[0] and result.item("Q").note
    many = [Response(f"s{i}", "Q", "A", 1.0) for i in range(ia.MIN_LEARNERS)]
    assert ia.analyse(many).notes == () and ia.analyse(many).item("Q").note is None


@pytest.mark.parametrize(
    "bad, message",
    [
        ([Response("a", "Q", "A", 1.0), Response("a", "Q", "B", 0.0)], "two responses"),
        ([Response("a", "Q", "A", 2.0, 1.0)], "outside"),
        ([Response("a", "Q", "A", -1.0)], "outside"),
    ],
)
def test_impossible_input_is_refused(bad, message):
    with pytest.raises(ValueError, match=message):
        ia.analyse(bad)


def test_an_unchosen_option_is_flagged_only_once_the_class_is_large_enough():
    # One or a few learners leave most options unchosen: that is no finding about the item.
    for n, flagged in [(1, False), (ia.MIN_LEARNERS - 1, False), (ia.MIN_LEARNERS, True)]:
        rs = [_choice(f"s{i}", "Q", "A" if i % 2 else "B") for i in range(n)]
        stats = ia.analyse(rs, choices={"Q": CHOICES}, keys={"Q": "A"}).item("Q")
        options = {o.option: o for o in stats.options}
        assert options["D"].share == 0
        assert (options["D"].flag is not None) is flagged, n
