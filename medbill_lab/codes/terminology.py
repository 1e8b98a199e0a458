"""Medical terminology: word parts, reading a term by its parts, and quizzes.

The word parts (prefixes, combining forms and suffixes) are in
``datasets/terminology/word_parts.csv``; practice terms and a few curated
readings of common part combinations are in ``datasets/terminology/terms.csv``.

A term is split into parts by a search over every segmentation of its letters
(dynamic programming).  The best split covers the most letters, then uses the
fewest parts, then follows the combining-vowel rules, then prefers longer parts.
Its meaning is read the way textbooks teach: the suffix first, then any prefix,
then the roots from right to left.

>>> decompose("gastritis").display
'gastr/o + -itis'
>>> decompose("gastritis").meaning
'inflammation of the stomach'
>>> decompose("pericarditis").meaning
'inflammation around the heart'
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import cache

from medbill_lab.datasets import read_csv

TYPES = ("prefix", "combining_form", "suffix")
BODY_SYSTEMS = (
    "general",
    "cardiovascular",
    "respiratory",
    "digestive",
    "urinary",
    "reproductive",
    "musculoskeletal",
    "nervous",
    "endocrine",
    "integumentary",
    "sensory",
    "blood/lymphatic/immune",
    "oncology",
)
QUIZ_KINDS = ("meaning", "part", "build", "mixed")
MAX_TERM_LENGTH = 60
VOWELS = "aeiou"
# English words that make a prefix read as a place ("around the heart") rather
# than as a describing word ("slow heart").  Grammar, not medical content.
_PLACE_TEXT = (
    "above across after against around before behind below beneath beside between beyond "
    "in inside into near on out outside over through toward under upon within without"
)
_PLACE_WORDS = frozenset(_PLACE_TEXT.split())
# Uncountable nouns read without "the" ("study of blood", "vision of old age").
_MASS_TEXT = (
    "bile|birth|blood|breathing|calcium|cancer|carbon dioxide|cold|death|digestion|disease|"
    "electricity|fat|fever|fire|gall|hearing|heat|immunity|iron|life|light|lymph|menstruation|"
    "milk|movement|mucus|nitrogen|old age|oxygen|pain|poison|potassium|pregnancy|pus|saliva|"
    "sleep|sodium|sound|speech|starch|sugar|sweat|tissue|urination|urine|vision|water|x-rays"
)
_MASS_NOUNS = frozenset(_MASS_TEXT.split("|"))
_LABELS = {"prefix": "prefix", "combining_form": "combining form", "suffix": "suffix"}


@dataclass(frozen=True)
class WordPart:
    """One prefix, combining form or suffix, as students see it written."""

    part: str
    type: str
    meaning: str
    body_system: str

    @property
    def label(self) -> str:
        """The type in plain words: 'prefix', 'combining form' or 'suffix'.

        >>> WordPart("cyst/o", "combining_form", "bladder, sac", "urinary").label
        'combining form'
        """
        return _LABELS[self.type]

    @property
    def gloss(self) -> str:
        """The first sense of the meaning, used when reading a term aloud.

        >>> WordPart("chol/e", "combining_form", "gall, bile", "digestive").gloss
        'gall'
        """
        return senses(self.meaning)[0]


def senses(meaning: str) -> tuple[str, ...]:
    """The comma-separated senses of a meaning (commas inside brackets kept).

    >>> senses("sex glands (ovaries, testes), gonads")
    ('sex glands (ovaries, testes)', 'gonads')
    """
    out, depth, current = [], 0, []
    for ch in meaning:
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            out.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    out.append("".join(current).strip())
    return tuple(s for s in out if s)


@cache
def word_parts() -> tuple[WordPart, ...]:
    """Every word part in the list, in file order (cached).

    >>> len(word_parts()) >= 320
    True
    >>> word_parts()[0].type
    'prefix'
    """
    return tuple(
        WordPart(r["part"], r["type"], r["meaning"], r["body_system"])
        for r in read_csv("terminology/word_parts.csv")
    )


@cache
def _by_part() -> dict[str, WordPart]:
    return {p.part: p for p in word_parts()}


def word_part(part: str) -> WordPart | None:
    """Look up one word part by how it is written, or None.

    >>> word_part("-ectomy").meaning
    'surgical removal'
    >>> word_part("-xyz") is None
    True
    """
    return _by_part().get(part.strip().lower())


def _split_parts(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split("+") if p.strip())


@cache
def practice_terms() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Real terms for practice, each with the word parts it is built from.

    >>> dict(practice_terms())["gastritis"]
    ('gastr/o', '-itis')
    """
    return tuple(
        (r["term"], _split_parts(r["parts"]))
        for r in read_csv("terminology/terms.csv")
        if r["term"]
    )


@cache
def readings() -> dict[tuple[str, ...], str]:
    """Curated plain-English readings of common runs of word parts.

    >>> readings()[("chol/e", "cyst/o")]
    'gallbladder'
    """
    return {
        _split_parts(r["parts"]): r["meaning"]
        for r in read_csv("terminology/terms.csv")
        if r["meaning"]
    }


# --------------------------------------------------------------------------
# Splitting a term into parts
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Surface:
    """One way a word part can be spelled inside a term."""

    text: str
    part: WordPart
    vowel: str  # combining vowel ending the text ("" if none)
    needs: str  # letters the next part must start with ("" = any)
    rank: int  # 0 prefix, 1 combining form, 2 suffix


def _spellings(p: WordPart) -> list[_Surface]:
    if p.type == "prefix":
        text = p.part.rstrip("-")
        out = [_Surface(text, p, "", "", 0)]
        if len(text) >= 3 and text[-1] in VOWELS:  # "hypo-" -> "hyp" in "hypoxia"
            out.append(_Surface(text[:-1], p, "", VOWELS, 0))
        return out
    if p.type == "suffix":
        return [_Surface(p.part.lstrip("-"), p, "", "", 2)]
    root, vowel = p.part.split("/")
    out = [_Surface(root + vowel, p, vowel, "", 1), _Surface(root, p, "", "", 1)]
    if len(root) >= 3 and root[-1] in VOWELS:  # "cardi/o" -> "card" in "carditis"
        out.append(_Surface(root[:-1], p, "", root[-1], 1))
    return out


@cache
def _surfaces() -> dict[str, tuple[_Surface, ...]]:
    table: dict[str, list[_Surface]] = {}
    for p in word_parts():
        for s in _spellings(p):
            table.setdefault(s.text, []).append(s)
    return {k: tuple(v) for k, v in table.items()}


def _kind(s: _Surface) -> str:
    if s.rank == 1:
        return "vowel" if s.vowel else "bare"
    return "prefix" if s.rank == 0 else "suffix"


def _penalty(prev: str, s: _Surface) -> int:
    """Soft spelling rules: how a combining vowel is kept or dropped."""
    starts_vowel = s.text[0] in VOWELS
    if prev == "bare" and (not starts_vowel or s.rank == 1):
        return 1  # the vowel is kept before a consonant and between roots
    if prev == "vowel" and s.rank == 2 and starts_vowel:
        return 1  # ... and dropped before a suffix starting with a vowel
    return int(prev == "suffix" and s.rank == 2)


@dataclass(frozen=True)
class Segment:
    """A run of a term's letters: a word part, or letters that matched nothing."""

    text: str
    part: WordPart | None
    vowel: str = ""

    @property
    def divided(self) -> str:
        """The segment as textbooks divide it: 'chol/e', 'cyst', 'ectomy'."""
        if self.part is None:
            return f"[{self.text}]"
        return f"{self.text[: -len(self.vowel)]}/{self.vowel}" if self.vowel else self.text


# A DP state: (position, rank so far, kind of the previous segment, letters allowed next).
_State = tuple[int, int, str, str]
# Cost, compared in order: unmatched letters (+2 per unmatched run, so stray 1-2 letter
# parts inside an unknown stretch do not pay), parts*2 + spelling penalties, prefixes
# (a root beats a prefix spelled the same), -prefix letters ("anti-" beats "an-"),
# -sum(len^2) (longer parts).
_Cost = tuple[int, int, int, int, int]


def _add(a: _Cost, b: _Cost) -> _Cost:
    return tuple(x + y for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def _segment(term: str) -> list[Segment]:
    """The best segmentation of ``term`` (lowercase letters)."""
    n, surfaces = len(term), _surfaces()
    longest = max(map(len, surfaces))
    start: _State = (0, 0, "start", "")
    best: dict[_State, tuple[_Cost, _State | None, Segment | None]] = {
        start: ((0, 0, 0, 0, 0), None, None)
    }
    for i in range(n):
        for state in [s for s in best if s[0] == i]:
            cost = best[state][0]
            _, rank, prev, needs = state
            if not needs:  # an unmatched letter; opening a new run costs extra
                step = (1 if prev == "unknown" else 3, 0, 0, 0, 0)
                nxt = (i + 1, rank, "unknown", "")
                _relax(best, nxt, _add(cost, step), state, Segment(term[i], None))
            for j in range(i + 1, min(n, i + longest) + 1):
                for s in surfaces.get(term[i:j], ()):
                    if (needs and s.text[0] not in needs) or s.rank < rank:
                        continue
                    is_prefix = s.rank == 0
                    step = (
                        0,
                        2 + _penalty(prev, s),
                        int(is_prefix),
                        -len(s.text) * is_prefix,
                        -(len(s.text) ** 2),
                    )
                    seg = Segment(s.text, s.part, s.vowel)
                    _relax(best, (j, s.rank, _kind(s), s.needs), _add(cost, step), state, seg)
    return _backtrack(best, n)


def _relax(best, state, cost, prev, seg) -> None:
    if state not in best or cost < best[state][0]:
        best[state] = (cost, prev, seg)


def _backtrack(best, n: int) -> list[Segment]:
    ends = [s for s in best if s[0] == n and not s[3]]

    def final(s: _State) -> _Cost:
        return _add(best[s][0], (0, int(s[2] in ("vowel", "prefix")), 0, 0, 0))

    state = min(ends, key=final)
    segments: list[Segment] = []
    while best[state][1] is not None:
        _, prev, seg = best[state]
        segments.append(seg)
        state = prev
    return _merge_unknown(segments[::-1])


def _merge_unknown(segments: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for seg in segments:
        if seg.part is None and out and out[-1].part is None:
            out[-1] = Segment(out[-1].text + seg.text, None)
        else:
            out.append(seg)
    return out


# --------------------------------------------------------------------------
# Reading a term's meaning from its parts
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Unit:
    kind: str  # prefix, root, suffix or head (a curated reading that includes the suffix)
    gloss: str


def _units(segments: tuple[Segment, ...]) -> list[_Unit]:
    table, out, i = readings(), [], 0
    longest = max((len(k) for k in table), default=1)
    while i < len(segments):
        for k in range(min(longest, len(segments) - i), 1, -1):
            run = segments[i : i + k]
            key = tuple(s.part.part for s in run if s.part is not None)
            if len(key) == k and key in table:
                kinds = {s.part.type for s in run}
                out.append(_Unit("head" if "suffix" in kinds else "root", table[key]))
                i += k
                break
        else:
            seg = segments[i]
            if seg.part is None:
                out.append(_Unit("root", f'"{seg.text}" (unknown)'))
            else:
                kind = {"prefix": "prefix", "suffix": "suffix"}.get(seg.part.type, "root")
                out.append(_Unit(kind, seg.part.gloss))
            i += 1
    return out


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _is_place(gloss: str) -> bool:
    return gloss.split()[0] in _PLACE_WORDS


def _object(prefixes: list[str], roots: list[str]) -> str:
    """What the suffix is about: prefixes applied to the roots read right to left."""
    if not roots:
        return " ".join(prefixes)
    text, article = _join(roots[::-1]), roots[-1] not in _MASS_NOUNS
    for gloss in reversed(prefixes):
        text = f"{gloss} the {text}" if _is_place(gloss) and article else f"{gloss} {text}"
        article = False
    return f"the {text}" if article else text


def _attach(lead: str, core: str) -> str:
    words = lead.split()
    ends_open = words[-1] in ("of", "to", "for", "in")  # "study of", "view of"
    verb = len(words) > 1 and words[-2] in ("of", "for", "to") and words[-1].endswith("ing")
    if ends_open or verb:  # "process of recording", "pertaining to producing"
        return f"{lead} {core}"
    if _is_place(core):
        return f"{lead} {core}"
    return f"{lead} of {core}"


def read_meaning(segments: tuple[Segment, ...]) -> str:
    """A plain-English reading: suffix first, then prefixes, then roots right to left.

    >>> read_meaning(decompose("hepatomegaly").segments)
    'enlargement of the liver'
    """
    if all(s.part is None for s in segments):
        return ""
    units = _units(segments)
    prefixes = [u.gloss for u in units if u.kind == "prefix"]
    roots = [u.gloss for u in units if u.kind == "root"]
    heads = [u.gloss for u in units if u.kind == "head"]
    lead = " of ".join(u.gloss for u in reversed(units) if u.kind == "suffix")
    if heads:
        core = " ".join([*prefixes, heads[-1]])
        if roots:
            core += f" of the {_join(roots[::-1])}"
        return _attach(lead, core) if lead else core
    core = _object(prefixes, roots)
    if not lead or not core:
        return lead or core
    if not roots:  # "visual examination within", but "slow breathing", "without speech"
        after = _is_place(prefixes[0]) and not prefixes[0].startswith("without")
        return f"{lead} {core}" if after else f"{core} {lead}"
    return _attach(lead, core)


# --------------------------------------------------------------------------
# The public decomposition
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Decomposition:
    """A term split into word parts, with a reading of its meaning."""

    term: str
    segments: tuple[Segment, ...]
    meaning: str

    @property
    def parts(self) -> tuple[WordPart, ...]:
        """The word parts found, in order."""
        return tuple(s.part for s in self.segments if s.part is not None)

    @property
    def unmatched(self) -> tuple[str, ...]:
        """Runs of letters that matched no word part."""
        return tuple(s.text for s in self.segments if s.part is None)

    @property
    def complete(self) -> bool:
        """True when every letter belongs to a word part."""
        return not self.unmatched

    @property
    def display(self) -> str:
        """The parts as written in the list: 'chol/e + cyst/o + -ectomy'.

        Unmatched letters show in square brackets: 'gastr/o + [blorp] + -itis'.
        """
        return " + ".join(s.part.part if s.part else f"[{s.text}]" for s in self.segments)

    @property
    def divided(self) -> str:
        """The term divided as textbooks do: 'chol/e/cyst/ectomy'."""
        return "/".join(s.divided for s in self.segments)


def normalise_term(term: object) -> str:
    """Lowercase letters of one term; ValueError, with a clear message, otherwise.

    Hyphens are dropped ("electro-cardiogram" reads as "electrocardiogram").

    >>> normalise_term("  Gastritis ")
    'gastritis'
    >>> normalise_term("12")
    Traceback (most recent call last):
    ...
    ValueError: A medical term uses letters only; '12' has other characters.
    """
    if not isinstance(term, str) or not term.strip():
        raise ValueError("Type a medical term to split, for example 'gastritis'.")
    text = term.strip().lower().replace("-", "")
    if any(ch.isspace() for ch in text):
        raise ValueError("Type one medical term at a time, without spaces.")
    if not re.fullmatch(r"[a-z]+", text):
        raise ValueError(
            f"A medical term uses letters only; {term.strip()!r} has other characters."
        )
    if len(text) > MAX_TERM_LENGTH:
        raise ValueError(
            f"That is longer than any medical term ({MAX_TERM_LENGTH} letters at most)."
        )
    return text


def decompose(term: str) -> Decomposition:
    """Split a medical term into word parts and read its meaning.

    A term that cannot be fully split still returns the best partial split,
    with the unmatched letters kept as segments without a part.  Empty or
    non-letter input raises ValueError.

    >>> d = decompose("cholecystectomy")
    >>> d.display, d.divided
    ('chol/e + cyst/o + -ectomy', 'chol/e/cyst/ectomy')
    >>> d.meaning
    'surgical removal of the gallbladder'
    >>> decompose("gastroblorpitis").display
    'gastr/o + [blorp] + -itis'
    """
    text = normalise_term(term)
    segments = tuple(_segment(text))
    return Decomposition(text, segments, read_meaning(segments))


# --------------------------------------------------------------------------
# Quizzes
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """A multiple-choice question with its explanation."""

    kind: str
    prompt: str
    choices: tuple[str, ...]
    answer: str
    explanation: str


def _overlaps(a: WordPart, b: WordPart) -> bool:
    """True when two parts share a sense, so one cannot be a wrong answer for the other."""
    return bool(set(senses(a.meaning.lower())) & set(senses(b.meaning.lower())))


def _example(p: WordPart) -> str:
    for term, parts in practice_terms():
        if p.part in parts:
            return f' Example: "{term}" = {" + ".join(parts)}.'
    return ""


def _explain_part(p: WordPart) -> str:
    return f'"{p.part}" is a {p.label} meaning "{p.meaning}" ({p.body_system}).{_example(p)}'


def _distractors(p: WordPart, rng: random.Random, field: str) -> list[str]:
    pool: dict[str, None] = {}
    for q in word_parts():
        if q.type == p.type and not _overlaps(p, q):
            pool[getattr(q, field)] = None
    pool.pop(getattr(p, field), None)
    return rng.sample(list(pool), 3)


def _choices(answer: str, wrong: list[str], rng: random.Random) -> tuple[str, ...]:
    choices = [answer, *wrong]
    rng.shuffle(choices)
    return tuple(choices)


def _meaning_question(p: WordPart, rng: random.Random) -> Question:
    prompt = f'What does the {p.label} "{p.part}" mean?'
    choices = _choices(p.meaning, _distractors(p, rng, "meaning"), rng)
    return Question("meaning", prompt, choices, p.meaning, _explain_part(p))


def _part_question(p: WordPart, rng: random.Random) -> Question:
    prompt = f'Which {p.label} means "{p.meaning}"?'
    choices = _choices(p.part, _distractors(p, rng, "part"), rng)
    return Question("part", prompt, choices, p.part, _explain_part(p))


def _swap_one(parts: tuple[str, ...], rng: random.Random) -> str:
    i = rng.randrange(len(parts))
    kind = word_part(parts[i]).type
    options = [q.part for q in word_parts() if q.type == kind and q.part != parts[i]]
    return " + ".join((*parts[:i], rng.choice(options), *parts[i + 1 :]))


def _build_question(term: str, parts: tuple[str, ...], rng: random.Random) -> Question:
    answer = " + ".join(parts)
    wrong: dict[str, None] = {}
    while len(wrong) < 3:
        candidate = _swap_one(parts, rng)
        if candidate != answer:
            wrong[candidate] = None
    glossary = "; ".join(f'{p} = "{word_part(p).meaning}"' for p in parts)
    why = f'"{term}" = {answer} ({glossary}). Read suffix first: {decompose(term).meaning}.'
    prompt = f'Which word parts make up "{term}"?'
    return Question("build", prompt, _choices(answer, list(wrong), rng), answer, why)


def _pool(kind: str, body_system: str | None) -> list:
    if kind == "build":
        return [
            (t, ps)
            for t, ps in practice_terms()
            if body_system is None or any(word_part(p).body_system == body_system for p in ps)
        ]
    return [p for p in word_parts() if body_system is None or p.body_system == body_system]


def _check_quiz_args(n: object, body_system: str | None, kind: str) -> None:
    if kind not in QUIZ_KINDS:
        raise ValueError(f"kind must be one of {', '.join(QUIZ_KINDS)}; got {kind!r}.")
    if body_system is not None and body_system not in BODY_SYSTEMS:
        raise ValueError(
            f"body_system must be one of {', '.join(BODY_SYSTEMS)}; got {body_system!r}."
        )
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"n must be a whole number of questions, 1 or more; got {n!r}.")


def make_quiz(
    n: int = 10, seed: int | None = None, body_system: str | None = None, kind: str = "meaning"
) -> tuple[Question, ...]:
    """``n`` multiple-choice questions, the same ones for the same ``seed``.

    kind: "meaning" (what does -ectomy mean?), "part" (which part means
    "inflammation"?), "build" (which parts make up "gastritis"?) or "mixed"
    (the three in turn).  Each question has four distinct choices, one right;
    the wrong ones are parts of the same type that share no sense with it.

    >>> q = make_quiz(1, seed=7)[0]
    >>> len(set(q.choices)), q.answer in q.choices
    (4, True)
    """
    _check_quiz_args(n, body_system, kind)
    rng = random.Random(seed)
    kinds = (
        [("meaning", "part", "build")[i % 3] for i in range(n)] if kind == "mixed" else [kind] * n
    )
    makers = {"meaning": _meaning_question, "part": _part_question}
    questions = []
    for k in dict.fromkeys(kinds):
        pool, count = _pool(k, body_system), kinds.count(k)
        if count > len(pool):
            where = f" for {body_system}" if body_system else ""
            raise ValueError(
                f"Only {len(pool)} {k!r} questions are available{where}; asked for {count}."
            )
        for item in rng.sample(pool, count):
            questions.append(_build_question(*item, rng) if k == "build" else makers[k](item, rng))
    if kind == "mixed":
        rng.shuffle(questions)
    return tuple(questions)


def check_answer(question: Question, given: str | int | None) -> tuple[bool, str]:
    """Mark an answer (the choice's text or its 0-based index); say why.

    >>> q = make_quiz(1, seed=3, kind="part")[0]
    >>> check_answer(q, q.answer)[0], check_answer(q, q.choices.index(q.answer))[0]
    (True, True)
    """
    if isinstance(given, int) and not isinstance(given, bool):
        given = question.choices[given] if 0 <= given < len(question.choices) else None
    if not isinstance(given, str) or not given.strip():
        return False, f"No answer given. The answer is {question.answer}. {question.explanation}"
    chosen = " ".join(given.split()).casefold()
    if chosen == " ".join(question.answer.split()).casefold():
        return True, f"Correct! {question.explanation}"
    return False, f"Not quite: the answer is {question.answer}. {question.explanation}"
