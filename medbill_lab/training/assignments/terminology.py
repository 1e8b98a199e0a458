"""The terminology assignment for one course: word parts, splits, built terms, surgical terms.

``draw(rng)`` picks the course's items from the lab's word-part list (500+ parts)
and its practice terms (140+), and returns the template's values: what the student
sees, the model answers and the key for the hidden tests.  The grading helpers
below take that key, so a hidden test is three lines.

Students answer on four small forms (``%%answers terminology:q1 meaning`` ...), one
line per item labelled with the item itself (``cardi/o: heart``, ``gastritis: gastr/o,
-itis``, ``appendectomy: Y``).  The items differ by course, so the forms are made from
them: the notebook's setup cell calls :func:`register_forms` with the course's items
(nothing of the key).  The graders take the form or, from a course made before the
forms, the Python dict (and function) its cells held.

>>> import ast, random
>>> values = draw(random.Random(7))
>>> key = ast.literal_eval(values["q2_key"])
>>> score_splits(key, key, 3).points, score_splits({}, key, 3).points
(3.0, 0.0)
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Mapping
from functools import cache

from medbill_lab.codes.terminology import decompose, practice_terms, senses, word_part, word_parts
from medbill_lab.training import answer_forms as forms
from medbill_lab.training.answer_forms import Field, FormAnswers, FormSpec
from medbill_lab.training.assignments import PartScore, assigned, literal, part_points
from medbill_lab.training.claim_grading import value_text
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


# -- the answer forms: one line per item, labelled with the item ------------------------------
NAME = "terminology"
QUESTIONS = {
    "q1": ("meaning", "text", "Question 1: one meaning for each word part"),
    "q2": ("parts", "text", "Question 2: each term's parts in order, comma between"),
    "q3": ("built", "text", "Question 3: one word for each meaning"),
    "q4": ("surgical", "yesno", "Question 4: Y for a surgical term, N for any other"),
}


def form_for(question: str, items: list[str]) -> FormSpec:
    """The answer form of one question: a field per item, its label the item itself."""
    _, kind, group = QUESTIONS[question]
    fields = [Field(item, item, kind, group=group) for item in items]
    return FormSpec(f"{NAME}:{question}", fields)


def register_forms(items: Mapping[str, list[str]]) -> None:
    """Make this course's four forms known to ``%%answers`` (the setup cell runs it).

    ``items``: question -> its items (the parts, terms and meanings the student sees)."""
    for question, shown in items.items():
        forms.register(form_for(question, list(shown)))


def _magic(question: str) -> str:
    return f"%%answers {NAME}:{question} {QUESTIONS[question][0]}"


def _form_text(question: str, values: Mapping[str, object]) -> str:
    """The form's lines (no magic line) with ``values`` (item -> value) filled in."""
    return forms.fill_form(form_for(question, list(values)), values)


def _read(source: str) -> dict[str, str]:
    """A filled form's ``label: value`` lines by item (its instructions, its magic line and
    a label's format note, such as ``(Y/N)``, left out).

    >>> _read("%%answers terminology:q1 meaning\\n# Question 1\\ncardi/o: heart\\n-itis:")
    {'cardi/o': 'heart', '-itis': ''}
    >>> _read("gastrectomy (Y/N): Y")
    {'gastrectomy': 'Y'}
    """
    out = {}
    for line in source.splitlines():
        if line.strip() and not line.lstrip().startswith(("#", "%")):
            label, _, value = line.partition(":")
            out[re.sub(r"\s*\([^)]*\)$", "", label.strip())] = value.strip()
    return out


def split_typed(text: object) -> list[str]:
    """A term's parts as typed, comma (or space) between: ``['gastr/o', '-itis']``.

    >>> split_typed("Gastr/o, -itis"), split_typed("peri- cardi/o -itis"), split_typed(None)
    (['Gastr/o', '-itis'], ['peri-', 'cardi/o', '-itis'], [])
    """
    return [p for p in str(text or "").replace(",", " ").split() if p]


def _given(answers: object, question: str) -> object:
    """The answers as the graders take them: item -> text (or parts, or True/False) from a
    form; a dict (a course made before the forms) as it is."""
    if not isinstance(answers, FormAnswers):
        return answers
    if question == "q2":
        return {k: split_typed(a.raw) for k, a in answers.entries.items() if not a.blank}
    if question == "q4":
        return {k: a.value for k, a in answers.entries.items()}
    return {k: a.raw for k, a in answers.entries.items()}


def given(answers: object, question: str) -> dict:
    """What a check cell reads: item -> the student's answer ('' or [] or None when blank)."""
    found = _given(answers, question)
    return dict(found) if isinstance(found, Mapping) else {}


def missing(answers: object) -> list[str]:
    """The items of a form left blank or unreadable (none for anything but a form)."""
    if not isinstance(answers, FormAnswers):
        return []
    return [a.title for a in answers.entries.values() if a.value in (None, "")]


# -- drawing ------------------------------------------------------------------------------
def draw(rng: random.Random) -> dict[str, str]:
    """The template's values for one course: items, model answers, forms and keys."""
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
    items = {"q1": parts, "q2": [t for t, _ in splits], "q3": [m for m, _, _ in built],
             "q4": tests}  # fmt: skip
    model = {
        "q1": {p: senses(word_part(p).meaning)[0] for p in parts},
        "q2": {t: ", ".join(p) for t, p in splits},
        "q3": {m: t for m, t, _ in built},
        "q4": {t: _surgical(t) for t in tests},
    }
    out = {
        "forms": literal(items),
        "q1_parts": ", ".join(f"`{p}`" for p in parts),
        "q1_first": repr(parts[0]),
        "q1_key": literal({p: list(senses(word_part(p).meaning)) for p in parts}),
        "q2_terms": ", ".join(f"*{t}*" for t, _ in splits),
        "q2_first": repr(splits[0][0]),
        "q2_key": literal({t: list(p) for t, p in splits}),
        "q3_meanings": "\n".join(f"* {m}" for m, _, _ in built),
        "q3_key": literal({m: list(p) for m, _, p in built}),
        "q4_terms": ", ".join(f"*{t}*" for t in tests),
        "q4_key": literal({t: _surgical(t) for t in tests}),
    }
    for q, shown in items.items():
        out[f"{q}_blank"] = _form_text(q, dict.fromkeys(shown))
        out[f"{q}_solution"] = _form_text(q, model[q])
    return out


# -- grading helpers (called by the hidden tests) -------------------------------------------
def accepted(part: str, answer: object, key: Mapping[str, list[str]] | None = None) -> bool:
    """True when ``answer`` is one sense of the part (capitals and a leading 'the' aside)."""
    wanted = key[part] if key else senses(word_part(part).meaning)
    return _key_text(answer) in {_key_text(s) for s in wanted}


def score_meanings(given: object, key: Mapping[str, list[str]], points: float) -> PartScore:
    """``points`` x the share of parts given one of their senses."""
    given = _given(given, "q1")
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
    given = _given(given, "q2")
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
    given = _given(given, "q3")
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
    """All the points when ``fn`` answers every term of the key right, else none.

    ``fn`` is the student's Y/N form (a term marked Y is surgical), or the function
    ``is_surgical(term)`` of a course made before the forms."""
    if isinstance(fn, FormAnswers):
        fn = _marked(fn)
    right, wrong, items = [], [], []
    for term, want in key.items():
        try:
            got = fn(term)
            ok = got is want
        except Exception:  # a student's function may raise anything
            got, ok = "(raised an error)", False
        (right if ok else wrong).append(f"{term} ({value_text(want)})")  # Y or N, as on the form
        items.append(
            (
                term,
                value_text(want),
                value_text(got) if isinstance(got, bool | str) else repr(got)[:40],
                ok,
            )
        )
    rows = shares(items, TOPIC, points)
    return part_points(right, wrong, points, all_or_nothing=True, rows=rows)


def _marked(form: FormAnswers) -> Callable[[str], object]:
    """The Y/N form as a function of the term: True (Y), False (N), None (blank)."""
    marks = {k.lower(): v for k, v in (_given(form, "q4") or {}).items()}
    return lambda term: marks.get(str(term).lower())


# -- a partly right sample submission (course demo) -----------------------------------------
def partial(correct: Mapping[str, str]) -> dict[str, str]:
    """Partly right answers from the course's own: 2 of 5 meanings, 1 of 3 splits,
    the two built terms swapped, and surgical marked only for -ectomy.

    Written on the forms (or in Python, for a course made before the forms)."""
    if not correct["q1_meanings"].lstrip().startswith("%%answers"):
        return _partial_python(correct)
    meaning = _read(correct["q1_meanings"])
    for part in list(meaning)[2:]:
        meaning[part] = "small"
    parts = _read(correct["q2_parts"])
    for term in list(parts)[1:]:
        parts[term] = ", ".join(split_typed(parts[term])[:-1])
    built = _read(correct["q3_build"])
    names = list(built)
    built = dict(zip(names, [built[n] for n in reversed(names)], strict=True))
    marks = {t: t.lower().endswith("ectomy") for t in _read(correct["q4_is_surgical"])}
    return {
        "q1_meanings": f"{_magic('q1')}\n{_form_text('q1', meaning)}",
        "q2_parts": f"{_magic('q2')}\n{_form_text('q2', parts)}",
        "q3_build": f"{_magic('q3')}\n{_form_text('q3', built)}",
        "q4_is_surgical": f"{_magic('q4')}\n{_form_text('q4', marks)}",
    }


def _partial_python(correct: Mapping[str, str]) -> dict[str, str]:
    """:func:`partial` for a course made before the forms: its Python answer cells."""
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
