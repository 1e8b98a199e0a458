"""The terminology assignment for one course: word parts, splits, built terms, a function.

``draw(rng)`` picks the course's items from the lab's word-part list (500+ parts)
and its practice terms (140+), and returns the template's values: what the student
sees, the model answers and the key for the hidden tests.  The grading helpers
below take that key, so a hidden test is three lines.

>>> import ast, random
>>> values = draw(random.Random(7))
>>> key = ast.literal_eval(values["q2_key"])
>>> score_splits(key, key, 3).points, score_splits({}, key, 3).points
(3.0, 0.0)
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Mapping
from functools import cache

from medbill_lab.codes.terminology import decompose, practice_terms, senses, word_part, word_parts
from medbill_lab.training.assignments import PartScore, assigned, literal, part_points
from medbill_lab.training.element_log import shares

TOPIC = "terminology"

SURGICAL_SUFFIXES = ("-ectomy", "-otomy", "-ostomy", "-plasty", "-rrhaphy", "-pexy")
N_MEANINGS, N_SPLITS, N_BUILD, N_SURGICAL, N_OTHER = 5, 3, 2, 5, 4
IS_SURGICAL = (
    "    word = term.strip().lower()\n"
    '    return any(word.endswith(suffix.lstrip("-")) for suffix in SURGICAL_SUFFIXES)'
)


# -- the pools --------------------------------------------------------------------------
def _key_text(text: str) -> str:
    return " ".join(str(text).casefold().split()).removeprefix("the ")


@cache
def _glosses() -> Counter:
    """How many parts of each type carry each sense: a prompt must name one part only."""
    return Counter((p.type, _key_text(s)) for p in word_parts() for s in senses(p.meaning))


@cache
def meaning_pool() -> tuple[str, ...]:
    """Parts whose every sense is theirs alone (so a meaning names one part)."""
    return tuple(
        p.part
        for p in word_parts()
        if all(_glosses()[(p.type, _key_text(s))] == 1 for s in senses(p.meaning))
    )


@cache
def split_pool() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Practice terms of two or more parts that the lab splits as the term list does."""
    return tuple(
        (term, parts)
        for term, parts in practice_terms()
        if len(parts) >= 2 and tuple(p.part for p in decompose(term).parts) == parts
    )


@cache
def build_pool() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(meaning, term, parts): a root and a suffix whose first senses name them alone."""
    out = []
    for term, parts in split_pool():
        found = [word_part(p) for p in parts]
        if len(parts) != 2 or found[0].type != "combining_form" or found[1].type != "suffix":
            continue
        if any(_glosses()[(p.type, _key_text(p.gloss))] != 1 for p in found):
            continue
        reading = decompose(term).meaning
        if "(" not in reading and " of the " in reading:
            out.append((reading, term, parts))
    return tuple(out)


def _surgical(term: str) -> bool:
    return decompose(term).parts[-1].part in SURGICAL_SUFFIXES


@cache
def function_pools() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(surgical terms, other terms) on which the suffix and the lab's split agree."""
    surgical, other = [], []
    for term, _ in split_pool():
        by_text = any(term.endswith(s.lstrip("-")) for s in SURGICAL_SUFFIXES)
        if by_text == _surgical(term):
            (surgical if by_text else other).append(term)
    return tuple(surgical), tuple(other)


# -- drawing ------------------------------------------------------------------------------
def draw(rng: random.Random) -> dict[str, str]:
    """The template's values for one course: items, model answers and keys."""
    parts = rng.sample(meaning_pool(), N_MEANINGS)
    splits = rng.sample(split_pool(), N_SPLITS)
    built = rng.sample(build_pool(), N_BUILD)
    surgical, other = function_pools()
    not_ectomy = [t for t in surgical if not t.endswith("ectomy")]
    first = rng.choice(not_ectomy)  # so "ends in -ectomy" alone is not enough
    tests = [first, *rng.sample([t for t in surgical if t != first], N_SURGICAL - 1)]
    tests += rng.sample(other, N_OTHER)
    rng.shuffle(tests)
    tests[0] = tests[0].capitalize()  # capitals must not matter
    return {
        "q1_parts": ", ".join(f"`{p}`" for p in parts),
        "q1_blank": literal(dict.fromkeys(parts, "")),
        "q1_solution": literal({p: senses(word_part(p).meaning)[0] for p in parts}),
        "q1_first": repr(parts[0]),
        "q1_key": literal({p: list(senses(word_part(p).meaning)) for p in parts}),
        "q2_terms": ", ".join(f"*{t}*" for t, _ in splits),
        "q2_blank": literal({t: [] for t, _ in splits}),
        "q2_solution": literal({t: list(p) for t, p in splits}),
        "q2_first": repr(splits[0][0]),
        "q2_key": literal({t: list(p) for t, p in splits}),
        "q3_meanings": "\n".join(f"* {m}" for m, _, _ in built),
        "q3_blank": literal({m: "" for m, _, _ in built}),
        "q3_solution": literal({m: t for m, t, _ in built}),
        "q3_key": literal({m: list(p) for m, _, p in built}),
        "q4_solution": IS_SURGICAL,
        "q4_key": literal({t: _surgical(t) for t in tests}),
    }


# -- grading helpers (called by the hidden tests) -------------------------------------------
def accepted(part: str, answer: object, key: Mapping[str, list[str]] | None = None) -> bool:
    """True when ``answer`` is one sense of the part (capitals and a leading 'the' aside)."""
    wanted = key[part] if key else senses(word_part(part).meaning)
    return _key_text(answer) in {_key_text(s) for s in wanted}


def score_meanings(given: object, key: Mapping[str, list[str]], points: float) -> PartScore:
    """``points`` x the share of parts given one of their senses."""
    given = given if isinstance(given, dict) else {}
    right = [p for p in key if accepted(p, given.get(p, ""), key)]
    rows = shares([(p, key[p][0], given.get(p), p in right) for p in key], TOPIC, points)
    return part_points(right, [p for p in key if p not in right], points, rows=rows)


def split_right(given: object, expected: list[str]) -> bool:
    """True when the parts are the expected ones, in order (capitals and spaces aside)."""
    if not isinstance(given, list | tuple):
        return False
    return [str(p).strip().lower() for p in given] == list(expected)


def score_splits(given: object, key: Mapping[str, list[str]], points: float) -> PartScore:
    """``points`` x the share of terms split exactly right."""
    given = given if isinstance(given, dict) else {}
    right = [t for t in key if split_right(given.get(t), key[t])]
    rows = shares([(t, key[t], given.get(t), t in right) for t in key], TOPIC, points)
    return part_points(right, [t for t in key if t not in right], points, rows=rows)


def _built_from(term: object, parts: list[str]) -> bool:
    try:
        found = decompose(str(term))
    except ValueError:
        return False
    return found.complete and [p.part for p in found.parts] == list(parts)


def score_built(given: object, key: Mapping[str, list[str]], points: float) -> PartScore:
    """All the points when every term is built from the expected parts, else none."""
    given = given if isinstance(given, dict) else {}
    right = [m for m in key if _built_from(given.get(m, ""), key[m])]
    notes = [
        f"{given.get(m)!r} is not built from {' + '.join(key[m])}" for m in key if m not in right
    ]
    rows = shares([(m, " + ".join(key[m]), given.get(m), m in right) for m in key], TOPIC, points)
    return part_points(
        right, [m for m in key if m not in right], points, notes, all_or_nothing=True, rows=rows
    )


def score_function(
    fn: Callable[[str], object], key: Mapping[str, bool], points: float
) -> PartScore:
    """All the points when ``fn`` answers every term of the key right, else none."""
    right, wrong, items = [], [], []
    for term, want in key.items():
        try:
            got = fn(term)
            ok = got is want
        except Exception:  # a student's function may raise anything
            got, ok = "(raised an error)", False
        (right if ok else wrong).append(f"{term} ({want})")
        items.append((term, want, got if isinstance(got, bool | str) else repr(got)[:40], ok))
    rows = shares(items, TOPIC, points)
    return part_points(right, wrong, points, all_or_nothing=True, rows=rows)


# -- a partly right sample submission (course demo) -----------------------------------------
def partial(correct: Mapping[str, str]) -> dict[str, str]:
    """Partly right answers from the course's own: 2 of 5 meanings, 1 of 3 splits,
    the two built terms swapped, and a function that knows only -ectomy."""
    meaning = assigned(correct["q1_meanings"], "meaning")
    for part in list(meaning)[2:]:
        meaning[part] = "small"
    parts = assigned(correct["q2_parts"], "parts")
    for term in list(parts)[1:]:
        parts[term] = parts[term][:-1]
    built = assigned(correct["q3_build"], "built")
    names = list(built)
    built = dict(zip(names, [built[n] for n in reversed(names)], strict=True))
    head = correct["q4_is_surgical"].split("def is_surgical")[0]
    return {
        "q1_meanings": f"meaning = {literal(meaning)}",
        "q2_parts": f"parts = {literal(parts)}",
        "q3_build": f"built = {literal(built)}",
        "q4_is_surgical": head
        + 'def is_surgical(term):\n    return term.lower().endswith("ectomy")',
    }
