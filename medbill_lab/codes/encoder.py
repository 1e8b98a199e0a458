"""The encoder: find ICD-10-CM, CPT and HCPCS codes the way students type.

A query is either a code (``E11.6``, ``e116``, ``S52.52``, ``99213``) or words.
Words are matched in any order against official descriptions and inclusion
terms, after three rewrites that a human coder does without thinking:

1. abbreviations and lay terms become the tabular's words, from the
   instructor-editable list ``datasets/synonyms/clinical_synonyms.csv``
   (``HTN`` -> "essential primary hypertension", "heart attack" -> "acute
   myocardial infarction");
2. misspelled words are corrected to the nearest word of the code sets
   (``pnuemonia`` -> "pneumonia"), or completed when typed as a prefix;
3. plurals fold to singulars.

Ranking follows the conventions a coder uses to pick the likeliest code: every
typed word should be matched; words in parentheses are nonessential modifiers
and cost nothing; a description with fewer unasked-for words is closer to what
was meant; "unspecified", "site not specified" and "without ..." describe the
default when the query is silent; billable codes come before headers.  A leaf
that needs a 7th character answers with its 7th-character code, chosen by the
query's words ("subsequent", "sequela"), else the initial encounter.

The coders' defaults (``datasets/icd10cm/coding_defaults.csv``) add the rules a
query leaves unsaid: a perinatal code needs a newborn word, a condition in
pregnancy takes the pregnancy chapter, a vehicle accident is traffic, an intent
not stated is accidental.  A transport code's injured person is who the query
names first.  When few codes hold every typed word, codes missing one compete
("community acquired pneumonia"); the index tables answer lay verbs ("took too
much", "swallowed", "didn't take"), venomous bites, and morphologies with their
own category (melanoma, lipoma) by the site's skin row.

>>> [h.code for h in search("heart attack", system="icd10cm", limit=1)]
['I21.9']
>>> search("e116", limit=1)[0].code
'E11.6'
"""

from __future__ import annotations

import hashlib
import heapq
import math
import os
import pickle
import re
import tempfile
from array import array
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from itertools import combinations
from pathlib import Path
from typing import NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA

from medbill_lab.codes import icd10cm, icd_tables, pcs_search, procedures
from medbill_lab.datasets import datasets_dir, read_csv

SYSTEMS = ("icd10cm", "cpt", "hcpcs", "icd10pcs", "all")  # all: ICD-10-CM, CPT and HCPCS
MAX_QUERY = 200
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "due",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
    ]
)
# Words that describe the default meaning: present in a description, they do
# not make it a worse answer to a query that does not mention them.
# "uncomplicated" is the classification's default when no complication is named;
# NEC ("not elsewhere classified") marks the residual entry, like NOS.
NEUTRAL = frozenset(
    ["unspecified", "nos", "nec", "site", "not", "specified", "organism", "uncomplicated"]
)
# Adjectives the tabular uses for its nouns ("Hypertensive heart disease" is
# hypertension with heart disease; "diabetic neuropathy" is diabetes with
# neuropathy): folded into one word so either spelling matches either.
LEMMAS = {
    "diabetic": "diabetes",
    "hypertensive": "hypertension",
    "pancreatic": "pancreas",
    "pleural": "pleura",
    "esophageal": "esophagus",
    "ovarian": "ovary",
    "icy": "ice",
    **{w: "occurrence" for w in ("occurred", "occurring", "occur")},
    "after": "following",  # the tabular and the index say both ("after fall", "following fall")
    # Verb forms people type for the index's nouns ("fell down the stairs" is
    # "Fall, down, stairs"; "slipped on ice" is "Slipping, on, ice").
    **{w: "fall" for w in ("fell", "falling", "fallen", "falls")},
    **{w: "slip" for w in ("slipped", "slipping")},
    **{w: "trip" for w in ("tripped", "tripping")},
    **{w: "bite" for w in ("bitten", "biting")},
    **{w: "sting" for w in ("stung", "stinging")},
    **{w: "strike" for w in ("struck", "striking")},
    **{w: "drowning" for w in ("drowned", "drown")},
    **{w: "burn" for w in ("burned", "burnt", "burning")},
}
_PUNCT = str.maketrans({c: " " for c in "!\"#$%&*+,./:;<=>?@\\^_`|~-'()[]{}"})
_NONESSENTIAL = re.compile(r"\([^)]*\)|\[[^\]]*\]")
# Scoring weights (points): matching every typed word is worth 10.
EXTRA_WORD = 0.35  # each essential word the query did not ask for
INCLUSION_TERM = 0.1  # a match on an inclusion term rather than the title
BILLABLE = 3.0  # billable codes before headers
UNSPECIFIED = 0.05  # on a tie, "unspecified" is the default meaning
PER_WORD = 0.01  # on a tie, the shorter title
MARKED = 1.5  # an unasked-for word a coder never assumes ("history", "nondisplaced")
LINKED = 2.0  # a combination code the query's conditions call for (coding_defaults.csv)
# An External Cause Index entry answers a query only as well as a diagnosis that
# matches it as fully: external causes are never first-listed (guideline I.C.20).
EXTERNAL_CAUSE = 1.0
MAX_SCORED = 150  # candidates scored in full, shortest descriptions first
# A transport code whose injured person is the query's counterpart (the car's
# driver for "pedestrian hit by car") answers a different accident.
VICTIM = 3.0
NEAR_ROOM = 50  # documents missing a word that compete: the shortest of each choice
FEW = 5  # fewer candidates than this hold every word: those missing one compete too
# A code whose chapter the query's words do not call for (a newborn's code for a
# query that says nothing of a newborn): as dear as a marked word (coding_defaults.csv).
CONTEXT = MARKED
# Words a table row's code takes when it is completed, not from the row's term:
# the encounter (7th character) and the side ("left lung" completes C34.9- to C34.92).
COMPLETION_WORDS = frozenset(
    (
        *("initial", "subsequent", "sequela", "encounter", "routine", "delayed", "healing"),
        *("nonunion", "malunion", "left", "right", "bilateral"),
    )
)
_CODE_RE = re.compile(rf"^(?:[A-Z]\d|{icd10cm.CODE_PATTERN}|\d{{3,4}}[0-9FT]?|[A-V]\d{{1,4}})$")


class QueryError(ValueError):
    """A query the encoder refuses, with a one-line reason."""


@dataclass(frozen=True)
class Hit:
    """One search result."""

    code: str
    description: str
    system: str
    billable: bool
    score: float
    match: str = "words"  # how the query found it: "code", "code prefix" or "words"
    read_as: str | None = None  # words: how the query was read (spellings, synonyms, defaults)
    table: str = ""  # the index table the hit came from ("drugs", "neoplasm", "eindex"), or ""
    prefix: str = ""  # a "code prefix" match: the prefix typed, dots and spaces removed

    @property
    def via(self) -> str:
        """How the query found the hit, in one line (the ``--json`` field ``via``).

        >>> Hit("E11.6", "", "icd10cm", False, 50.0, "code prefix", prefix="E116").via
        'code prefix E116'
        >>> Hit("I10", "", "icd10cm", True, 12.0, read_as="htn -> hypertension").via
        'words; htn -> hypertension'
        """
        if self.match == "code prefix":
            return f"code prefix {self.prefix}"
        return "; ".join(x for x in (self.match, self.read_as) if x)

    def as_dict(self) -> dict:
        """JSON-ready fields (the CLI's ``--json`` contract)."""
        return {
            "code": self.code,
            "description": self.description,
            "billable": self.billable,
            "system": self.system,
            "score": round(self.score, 3),
            "via": self.via,
            "table": self.table,
        }


# -- text ------------------------------------------------------------------
@cache
def stem(word: str) -> str:
    """Fold a plural to its singular, conservatively (``radius`` stays).

    >>> stem("fractures"), stem("radius"), stem("injuries"), stem("glass")
    ('fracture', 'radius', 'injury', 'glass')
    >>> stem("diabetic") == stem("diabetes")
    True
    """
    if word in LEMMAS:
        return stem(LEMMAS[word])
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ous")):
        return word[:-1]
    return word


def raw_words(text: str) -> list[str]:
    """Lower-case words of a text, punctuation and apostrophes dropped.

    >>> raw_words("Swimmer's ear, (L)")
    ['swimmers', 'ear', 'l']
    """
    return text.lower().replace("'", "").replace("\u2019", "").translate(_PUNCT).split()


def words(text: str) -> list[str]:
    """Stemmed content words of a text (stopwords dropped).

    >>> words("Fractures of the Radius (left)")
    ['fracture', 'radius', 'left']
    """
    return [stem(w) for w in raw_words(text) if w not in STOPWORDS]


class Text(NamedTuple):
    """A description analysed for ranking.

    ``matchable`` are the words a query can match; ``negated`` the words in a
    "without ..." phrase (up to the next comma), which only a query's own
    "without" words match; ``essential`` the words that change the meaning:
    not in parentheses or brackets (the tabular's nonessential modifiers and
    alternative wording), not negated, not neutral.  ``counts`` keeps repeats
    ("first pregnancy, first trimester") for queries that repeat a word.
    """

    matchable: frozenset[str]
    negated: frozenset[str]
    essential: frozenset[str]
    counts: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> Text:
        """Analyse one description or inclusion term.

        >>> t = Text.of("Migraine without aura, not intractable, with status migrainosus")
        >>> sorted(t.negated), sorted(t.essential)
        (['aura'], ['intractable', 'migraine', 'migrainosus', 'status'])
        """
        return _analyse_text(text)


# Negated injury details after which "of ..." names the site, not part of the negation.
_SITE_AFTER = re.compile(
    r"^(foreign body|intraarticular extension|intracondylar extension|intercondylar fracture)"
    r" of "
)


# "not specified as recurrent", "not specified as traffic or nontraffic": the
# default meaning, the words after it name what was not documented.
_NOT_SPECIFIED_AS = re.compile(r"\bnot specified as [^,]*")


@lru_cache(maxsize=100_000)
def _analyse_text(text: str) -> Text:
    lower = text.lower()
    if "without" not in lower and "(" not in lower and "[" not in lower and "not spec" not in lower:
        counted = words(lower)
        matchable = frozenset(counted)
        return Text(matchable, frozenset(), matchable - NEUTRAL, tuple(counted))
    heads, tails = [], []
    for part in lower.split(","):
        head, _, tail = part.partition(" without ")
        if part.strip().startswith("without "):
            head, tail = "", part.strip()[8:]
        site = _SITE_AFTER.match(tail)
        if site:  # "without foreign body of left hand": the site is not negated
            head, tail = f"{head} {tail[site.end(1) :]}", site.group(1)
        # "without perforation or abscess with bleeding": the "with" clause is asserted
        tail, _, asserted = tail.partition(" with ")
        head = f"{head} {asserted}"
        # "not specified as recurrent" names the default: its words are not a detail
        head = _NOT_SPECIFIED_AS.sub(" unspecified ", head)
        heads.append(head)
        tails.append(tail)
    head = " ".join(heads)
    essential = frozenset(words(_NONESSENTIAL.sub(" ", head))) - NEUTRAL
    counted = words(head)
    return Text(frozenset(counted), frozenset(words(" ".join(tails))), essential, tuple(counted))


# -- the index ---------------------------------------------------------------
class _Doc(NamedTuple):
    code: str
    system: str
    billable: bool
    texts: tuple[str, ...]  # description first, then inclusion terms
    size: int  # essential words in the description: the cheap pre-rank
    end: int  # ICD headers: the document after the last one below this header


class _Docs:
    """The indexed documents, stored in columns so the cache loads in milliseconds."""

    def __init__(self) -> None:
        self.code: list[str] = []
        self.system: list[str] = []
        self.billable = bytearray()
        self.texts: list[tuple[str, ...]] = []
        self.size = array("H")
        self.end = array("i")

    def append(
        self, code: str, system: str, billable: bool, texts: tuple[str, ...], size: int
    ) -> None:
        self.code.append(code)
        self.system.append(system)
        self.billable.append(billable)
        self.texts.append(texts)
        self.size.append(min(size, 65535))
        self.end.append(0)

    def __len__(self) -> int:
        return len(self.code)

    def __getitem__(self, d: int) -> _Doc:
        return _Doc(
            self.code[d],
            self.system[d],
            bool(self.billable[d]),
            self.texts[d],
            self.size[d],
            self.end[d],
        )


class _Index:
    """Inverted index over one ICD year plus the CPT and HCPCS teaching sets."""

    def __init__(self, year: int) -> None:
        self.year = year
        self.icd = icd10cm.load(year)
        self.docs = _Docs()
        self.postings: dict[str, array] = {}
        self._sets: dict[str, set[int]] = {}
        self.surface: dict[str, int] = {}  # unstemmed word -> document frequency, for spelling
        self.sorted_icd: list[str] = []  # undotted ICD codes, sorted, for prefix look-ups
        # The index tables' rows are documents too ("@drugs:12"), with postings of
        # their own so they leave the tabular's word weights alone.
        self.tpostings: dict[str, array] = {}
        self.tcells: dict[int, tuple[str, ...]] = {}
        self.tranges: dict[str, tuple[int, int]] = {}
        self._tsets: dict[str, set[int]] = {}
        self.spelling: dict[str, str | None] = {}  # typed word -> correction, memoized
        self._texts: dict[int, tuple[Text, ...]] = {}
        self._build_or_load()
        self.n = len(self.docs)
        self.vocab = sorted(self.surface)

    # Building tokenizes ~50,000 descriptions (~0.5 s); a pickle in the user's
    # cache lets later processes start in a few tens of ms.  The key covers the
    # data and this module's source, so a change to either rebuilds it.
    def _cache_path(self) -> Path:
        h = hashlib.sha256(Path(__file__).read_bytes())
        h.update(Path(icd_tables.__file__).read_bytes())
        # The year's file is in datasets/, or in the user's data folder for an imported year.
        for p in (
            icd10cm.artifact_path(self.year),
            *(
                datasets_dir() / rel
                for rel in (
                    "cpt/cpt_teaching.csv",
                    "hcpcs/hcpcs_level2.csv",
                    "icd10cm/tables_fy2026.json",
                )
            ),
        ):
            st = p.stat()
            h.update(f"{p}:{st.st_size}:{st.st_mtime_ns}".encode())
        root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "medbill_lab"
        return root / f"encoder-fy{self.year}-{h.hexdigest()[:16]}.pickle"

    # what the cache holds, in order
    _CACHED = ("docs", "postings", "surface", "sorted_icd", "tpostings", "tcells", "tranges")

    def _build_or_load(self) -> None:
        path = self._cache_path()
        try:
            for name, value in zip(self._CACHED, pickle.loads(path.read_bytes()), strict=True):
                setattr(self, name, value)
            return
        # A cache written under another module name (``python -m doctest
        # encoder.py`` pickles ``encoder._Docs``) is rebuilt, like a corrupt one.
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, ImportError, AttributeError):
            pass
        self._build()
        try:  # best effort: a read-only home only means no cache
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
                state = tuple(getattr(self, name) for name in self._CACHED)
                tmp.write(pickle.dumps(state, protocol=5))
            os.replace(tmp.name, path)
            for stale in path.parent.glob(f"encoder-fy{self.year}-*.pickle"):
                if stale != path:
                    stale.unlink(missing_ok=True)
        except OSError:
            pass

    def _add(self, code: str, system: str, billable: bool, texts: tuple[str, ...]) -> None:
        d = len(self.docs)
        self.docs.append(code, system, billable, texts, len(Text.of(texts[0]).essential))
        seen: set[str] = set()
        for t in texts:
            for w in raw_words(t):
                if w in STOPWORDS or w in seen:
                    continue
                seen.add(w)
                self.surface[w] = self.surface.get(w, 0) + 1
                posting = self.postings.setdefault(stem(w), array("i"))
                if not posting or posting[-1] != d:
                    posting.append(d)

    def _build(self) -> None:
        icd = self.icd
        for i, code in enumerate(icd.codes):
            # Chapters are not codes; 7th-character codes are reached through their stem.
            if icd.level_of(i) == "chapter" or icd.is_extension(i):
                continue
            # Inclusion terms and "includes" notes both name conditions classified here.
            notes = icd._notes.get(str(i), {})
            incl = (*notes.get("inclusion_terms", ()), *notes.get("includes", ()))
            self._add(code, "icd10cm", icd.billable_at(i), (icd.descriptions[i], *incl))
        self._mark_subtrees()
        # 7th-character meanings are not documents, but their words ("sequela",
        # "subsequent") are real words that spelling correction must not touch.
        for table in icd._seventh.values():
            for _, text in table:
                for w in raw_words(text):
                    self.surface.setdefault(w, 1)
        self.sorted_icd = sorted(c.replace(".", "") for c in icd.codes if "-" not in c)
        for table in (procedures.cpt(), procedures.hcpcs()):
            for p in table.values():
                self._add(p.code, p.system, True, (p.description,))
        if self.year in icd_tables.YEARS:
            for name in icd_tables.TABLES:
                self._add_table(name)

    def _add_table(self, name: str) -> None:
        """Index the rows of one table that give a code, by their full term.

        Neoplasm rows are indexed by site: the main term ("Neoplasm,
        neoplastic") is what every row shares, and the query's behaviour words
        choose the column instead.
        """
        start = len(self.docs)
        width = len(icd_tables.columns(name))
        for n in icd_tables.rows(name):
            row = icd_tables.row(name, n)
            cells = tuple(icd_tables.effective_cell(name, n, c)[0] for c in range(width))
            if not any(cells):
                continue
            path = row.path[1:] if name == "neoplasm" else row.path
            if not path:
                continue
            d = len(self.docs)
            text = ", ".join(path)
            self.docs.append(f"@{name}:{n}", "icd10cm", False, (text,), 0)
            self.docs.size[d] = min(len(Text.of(text).essential), 65535)
            self.tcells[d] = cells
            for w in set(raw_words(text)) - STOPWORDS:
                self.tpostings.setdefault(stem(w), array("i")).append(d)
        self.tranges[name] = (start, len(self.docs))

    def _mark_subtrees(self) -> None:
        """Set each ICD document's ``end``: documents are in tabular (preorder)
        order, so everything below a header is the run of documents up to ``end``."""
        depth: dict[str, int] = {}
        open_docs: list[int] = []
        codes, end = self.docs.code, self.docs.end
        for d, code in enumerate(codes):
            parent = self.icd.parent_at(self.icd.index[code])
            here = depth[code] = depth.get(self.icd.codes[parent], -1) + 1 if parent >= 0 else 0
            while open_docs and depth[codes[open_docs[-1]]] >= here:
                end[open_docs.pop()] = d
            open_docs.append(d)
        for d in open_docs:
            end[d] = len(codes)

    def below(self, d: int, word: str) -> bool:
        """Does any document under ICD header ``d`` hold ``word``?"""
        posting = self.postings.get(word)
        if not posting:
            return False
        k = bisect_left(posting, d + 1)
        return k < len(posting) and posting[k] < self.docs.end[d]

    def texts(self, d: int) -> tuple[Text, ...]:
        """Analysed texts of document ``d`` (memoized per document)."""
        found = self._texts.get(d)
        if found is None:
            found = self._texts[d] = tuple(Text.of(t) for t in self.docs.texts[d])
        return found

    @cached_property
    def tvocab(self) -> list[str]:
        """The index tables' own words, the spelling dictionary of last resort."""
        return sorted(w for w in self.tpostings if w.isalpha() and len(w) > 4)

    def table_of(self, d: int) -> str:
        """The index table document ``d`` is a row of, or "" for a code."""
        code = self.docs.code[d]
        return code[1 : code.index(":")] if code.startswith("@") else ""

    def tposting(self, word: str) -> set[int]:
        """Table rows holding ``word``."""
        found = self._tsets.get(word)
        if found is None:
            found = self._tsets[word] = set(self.tpostings.get(word, ()))
        return found

    def tposting_in(self, table: str, word: str) -> set[int]:
        """Rows of ``table`` holding ``word`` (memoized)."""
        key = f"{table}:{word}"
        found = self._tsets.get(key)
        if found is None:
            start, end = self.tranges[table]
            found = self._tsets[key] = {d for d in self.tposting(word) if start <= d < end}
        return found

    def posting(self, word: str) -> set[int]:
        """Documents holding ``word``; stored as arrays, turned into sets on first use."""
        found = self._sets.get(word)
        if found is None:
            found = self._sets[word] = set(self.postings.get(word, ()))
        return found

    def idf(self, word: str) -> float:
        return math.log(1 + self.n / (1 + len(self.postings.get(word, ()))))

    def icd_prefix(self, raw: str) -> list[str]:
        """ICD codes (dotted) whose undotted form starts with ``raw``, in code order."""
        codes = self.sorted_icd
        out, k = [], bisect_left(codes, raw)
        while k < len(codes) and codes[k].startswith(raw) and len(out) < 500:
            out.append(icd10cm.normalize(codes[k]))
            k += 1
        return out

    def default_code(self, code: str, wanted: frozenset[str]) -> str | None:
        """The billable code a header stands for when the query says no more."""
        return default_code(self.icd, code, wanted)


@lru_cache(maxsize=65_536)  # table rows share codes: many resolve the same header
def default_code(icd: icd10cm.CodeSet, code: str, wanted: frozenset[str]) -> str | None:
    """The billable code a header stands for when the query says no more.

    Walks down from a header, at each level taking the child that matches
    the most query words, then the one whose unasked-for words cost least (so
    "unspecified" and "without ..." children, and the coders' defaults, win); a
    leaf that needs a 7th character takes the one the query's words point
    to, else the first (the initial encounter; for fractures, closed).
    """
    i = icd.index[code]
    while not icd.billable_at(i):
        kids = icd.children_at(i)
        if not kids:
            return None
        if icd.needs_seventh(i):  # pick the 7th character the query's other words name
            stem_len = len(icd.descriptions[i])
            left = wanted - set(words(icd.descriptions[i]))
            i = max(
                kids, key=lambda j: (len(left & set(words(icd.descriptions[j][stem_len:]))), -j)
            )
            continue
        here = Text.of(icd.descriptions[i]).essential | wanted

        def fit(j: int, here: frozenset[str] = here) -> tuple:
            t = Text.of(icd.descriptions[j])
            cost = _extra_cost(icd.codes[j], t.essential, here)
            return (len(wanted & t.matchable), -cost, "unspecified" in t.matchable, -j)

        i = max(kids, key=fit)
    return icd.codes[i]


def complete(code: str, year: int = 2026, query: str = "") -> str | None:
    """The billable code a printed index code stands for ("C34.9-" -> C34.90,
    "T39.1X1" -> T39.1X1A), read with the query's words; None if there is none.

    >>> complete("T39.1X1"), complete("C34.9-"), complete("W11")
    ('T39.1X1A', 'C34.90', 'W11.XXXA')
    """
    icd = icd10cm.load(year)
    key = icd10cm.normalize(code.rstrip("-")) if code.rstrip("-") else ""
    if key not in icd.index:
        return None
    return default_code(icd, key, frozenset(words(query)))


@cache
def _index(year: int) -> _Index:
    return _Index(year)


@cache
def synonyms() -> dict[tuple[str, ...], tuple[str, str]]:
    """The synonym list as {term words: (expansion, kind)}; the first row of a term wins."""
    out: dict[tuple[str, ...], tuple[str, str]] = {}
    for row in read_csv("synonyms/clinical_synonyms.csv"):
        key = tuple(raw_words(row["term"]))
        for k in (key, tuple(stem(w) for w in key)):  # "kidney stones" finds "kidney stone"
            if k and k not in out:
                out[k] = (row["expansion"].strip().lower(), row["kind"])
    return out


@cache
def _synonym_words() -> frozenset[str]:
    return frozenset(w for key in synonyms() for w in key)


def _rewrite(typed: list[str]) -> tuple[list[str], list[str]]:
    """Replace synonym terms (longest first) by their expansions; return words and notes."""
    table = synonyms()
    out, notes, i = [], [], 0
    while i < len(typed):
        for n in range(min(6, len(typed) - i), 0, -1):
            key = tuple(typed[i : i + n])
            if key not in table:
                key = tuple(stem(w) for w in key)
            if key in table:
                expansion, kind = table[key]
                out.extend(raw_words(expansion))
                notes.append(f"{' '.join(key)} -> {expansion} ({kind})")
                i += n
                break
        else:
            out.append(typed[i])
            i += 1
    return out, notes


# -- coders' defaults -----------------------------------------------------------
class Default(NamedTuple):
    """One row of ``datasets/icd10cm/coding_defaults.csv``.

    ``implied``: in codes under ``scope`` the ``words`` cost nothing when the
    query does not say them (they name what the classification assumes).
    ``marked``: the ``words`` are never assumed: a description holding them
    ranks well below one that does not, unless the query says them.
    ``hierarchy``: of the ``words`` (highest first) only the highest typed counts.
    ``linked``: when the query holds a word of every ``+`` group of ``words``
    ("hypertension+kidney|renal"), the combination codes under ``scope`` rank
    before the conditions coded alone (the link is presumed, I.C.9.a).
    ``context``: codes under ``scope`` rank below others unless the query holds
    one of the ``words`` (a newborn's P code for "pneumonia", I.C.16).
    """

    kind: str
    scope: tuple[str, ...]  # code prefixes; ("",) means every code
    words: tuple[str, ...]  # stemmed words
    source: str
    note: str
    groups: tuple[frozenset[str], ...] = ()  # ``linked``: every group must be in the query

    def covers(self, code: str) -> bool:
        """Is ``code`` under this rule's scope?"""
        return code.startswith(self.scope)

    def fires(self, wanted: frozenset[str]) -> bool:
        """Does a ``linked`` rule apply to a query of ``wanted`` words?

        A rule of one group ("pregnancy") links it to another condition, so the
        query must name something else too ("UTI in pregnancy", not "pregnancy").
        """
        if len(self.groups) == 1 and not wanted - self.groups[0]:
            return False
        return bool(self.groups) and all(wanted & g for g in self.groups)


@cache
def defaults() -> tuple[Default, ...]:
    """The coders' defaults, each with its source (the instructor-readable CSV)."""
    rows = []
    for row in read_csv("icd10cm/coding_defaults.csv"):
        scope = tuple("" if p == "*" else p for p in row["scope"].split("|"))
        groups = tuple(
            frozenset(stem(w) for alt in g.split("|") for w in raw_words(alt))
            for g in row["words"].split("+")
        )
        stems = tuple(w for g in groups for w in sorted(g))
        if row["kind"] != "linked":
            stems = tuple(stem(w) for alt in row["words"].split("|") for w in raw_words(alt))
            groups = ()
        rows.append(Default(row["kind"], scope, stems, row["source"], row["note"], groups))
    return tuple(rows)


@lru_cache(maxsize=50_000)
def _scoped(code: str) -> tuple[frozenset[str], frozenset[str]]:
    """(implied, marked) words for a code."""
    implied: set[str] = set()
    marked: set[str] = set()
    for rule in defaults():
        if rule.kind in ("implied", "marked") and rule.covers(code):
            (implied if rule.kind == "implied" else marked).update(rule.words)
    return frozenset(implied), frozenset(marked)


def _extra_cost(code: str, essential: frozenset[str], wanted: frozenset[str]) -> float:
    """What a description's unasked-for words cost: implied words are free, marked dear."""
    implied, marked = _scoped(code)
    extra = essential - wanted - implied
    return EXTRA_WORD * len(extra) + (MARKED - EXTRA_WORD) * len(extra & marked)


def _apply_hierarchy(typed: list[str]) -> tuple[list[str], list[str]]:
    """Keep only the highest of the words a hierarchy rule ranks (dependence > abuse > use)."""
    notes = []
    for rule in defaults():
        if rule.kind != "hierarchy":
            continue
        present = [w for w in rule.words if w in {stem(t) for t in typed}]
        if len(present) > 1:
            drop = set(present[1:])
            typed = [t for t in typed if stem(t) not in drop]
            notes.append(f"{' and '.join(present)}: only {present[0]} is coded ({rule.source})")
    return typed, notes


def default_notes(code: str, wanted: frozenset[str], description: str = "") -> list[str]:
    """The defaults that chose ``code`` for a query of ``wanted`` words, with their sources.

    Given the code's ``description``, an implied default is named only where the
    description says it ("in traffic accident"), not on every code of its scope.
    """
    said = set(words(description)) if description else None
    return [
        f"default: {rule.note} ({rule.source})"
        for rule in defaults()
        if rule.covers(code)
        and (
            (
                rule.kind == "implied"
                and not wanted & set(rule.words)
                and (said is None or said & set(rule.words))
            )
            or (rule.kind == "linked" and rule.fires(wanted))
        )
    ]


def _out_of_context(wanted: frozenset[str]) -> tuple[str, ...]:
    """Code prefixes of the chapters (``context`` rules) the query's words do not call for."""
    return tuple(
        p for r in defaults() if r.kind == "context" and not wanted & set(r.words) for p in r.scope
    )


def _linked(wanted: frozenset[str]) -> tuple[str, ...]:
    """Code prefixes of the combination codes a query's words call for (``linked`` rules)."""
    return tuple(p for r in defaults() if r.kind == "linked" and r.fires(wanted) for p in r.scope)


def _known(word: str, index: _Index) -> bool:
    # Table words (drug names) are known, but not offered as corrections: the
    # tabular's own vocabulary stays the spelling dictionary.
    return (
        word in index.surface
        or stem(word) in index.postings
        or stem(word) in index.tpostings
        or word in _synonym_words()
        or word in _column_words()
    )


@cache
def _column_words() -> frozenset[str]:
    """Words that choose a table's column ("drank", "swallowed"): known words."""
    return frozenset(w for t in icd_tables.TABLES for w in icd_tables.triggers(t))


def _correct(word: str, index: _Index) -> str | None:
    """The word a misspelled or half-typed word most likely is, or None (memoized per index)."""
    try:
        return index.spelling[word]
    except KeyError:
        fixed = index.spelling[word] = _nearest(word, index)
        return fixed


def _nearest(word: str, index: _Index) -> str | None:
    """The word a misspelled or half-typed word most likely is, or None.

    Only words of five or more letters are touched: shorter ones are too often
    abbreviations, and an abbreviation is never "corrected" into a word.
    """
    if len(word) < 5 or not word.isalpha() or _known(word, index):
        return None
    k = bisect_left(index.vocab, word)
    completions = []
    while k < len(index.vocab) and index.vocab[k].startswith(word) and len(completions) < 200:
        completions.append(index.vocab[k])
        k += 1
    if completions:
        return max(completions, key=lambda w: index.surface[w])
    limit = 1 if len(word) < 8 else 2
    choices = list(_synonym_words()) + index.vocab
    found = process.extract(word, choices, scorer=OSA.distance, score_cutoff=limit, limit=10)
    # A slip rarely hits the first letter; dropping it ("neumonia") is the exception.
    found = [f for f in found if f[0][0] == word[0] or f[0][1:] == word]
    if not found and len(word) >= 6:
        # Letters typed in the wrong order ("athsma"): the same letters, two edits away.
        found = process.extract(word, choices, scorer=OSA.distance, score_cutoff=2, limit=20)
        found = [f for f in found if f[0][0] == word[0] and sorted(f[0]) == sorted(word)]
    if not found and index.tvocab:  # last, the index tables' words ("acetaminofen")
        found = process.extract(
            word, index.tvocab, scorer=OSA.distance, score_cutoff=limit, limit=10
        )
        found = [f for f in found if f[0][0] == word[0]]
    if not found:
        return None

    def closeness(f: tuple) -> tuple:
        w = f[0]
        shared_end = len(w) - len(w.rstrip(word[-1])) > 0
        return (f[1], w[0] != word[0], not shared_end, -index.surface.get(w, 1))

    return min(found, key=closeness)[0]


def check_query(query: str) -> str:
    """Reject what no search should run on; return the query stripped.

    >>> check_query("  htn ")
    'htn'
    """
    # One check for both searches: the ICD-10-PCS search's, said as this module's error.
    try:
        return pcs_search.check_query(query)
    except pcs_search.SearchError as exc:
        raise QueryError(str(exc)) from None


# -- search -------------------------------------------------------------------
def _code_hits(q: str, index: _Index, systems: set[str], limit: int) -> list[Hit]:
    raw = "".join(q.split()).upper().replace(".", "")
    if not _CODE_RE.match(raw):
        return []
    hits: list[Hit] = []
    if "icd10cm" in systems:
        icd = index.icd
        for code in index.icd_prefix(raw):
            i = icd.index[code]
            exact = code.replace(".", "") == raw
            score = 100.0 if exact else 50.0 + icd.billable_at(i) - len(code) / 100
            hits.append(
                Hit(
                    code,
                    icd.descriptions[i],
                    "icd10cm",
                    icd.billable_at(i),
                    score,
                    "code" if exact else "code prefix",
                    prefix="" if exact else raw,
                )
            )
    for system, table in (("cpt", procedures.cpt()), ("hcpcs", procedures.hcpcs())):
        if system in systems:
            for code, p in table.items():
                if code.startswith(raw):
                    exact = code == raw
                    hits.append(
                        Hit(
                            code,
                            p.description,
                            system,
                            True,
                            100.0 if exact else 50.0,
                            "code" if exact else "code prefix",
                            prefix="" if exact else raw,
                        )
                    )
    hits.sort(key=lambda h: -h.score)
    return hits[:limit]


@dataclass(frozen=True)
class _Query:
    """Analysed query words: asked-for words, "without" words, and their idf weights."""

    wanted: frozenset[str]
    negated: frozenset[str]
    weights: dict[str, float]
    repeats: tuple[tuple[str, int], ...] = ()  # words typed more than once
    raw: tuple[str, ...] = ()  # the words as typed, in order ("metastatic from ...")

    @cached_property
    def total(self) -> float:
        return sum(self.weights.values()) or 1.0


def _title_score(d: int, q: _Query, index: _Index) -> float:
    """How well document ``d``'s title or inclusion terms answer the query."""
    best = -1e9
    code = index.docs.code[d]
    # A table row's column words ("overdose", "metastatic") choose its column: matched.
    columns = (
        _column_words_of(index.table_of(d), index.tcells[d][0].startswith("T63"))
        if code.startswith("@")
        else frozenset()
    )
    for k, t in enumerate(index.texts(d)):
        matched = (q.wanted & t.matchable) | (q.negated & t.negated) | (q.wanted & columns)
        got = sum(q.weights[w] for w in matched)
        for w, n in q.repeats:  # "first ... first": a text with one "first" matches half
            got -= q.weights[w] * (n - min(n, t.counts.count(w))) / n
        s = 10 * got / q.total - _extra_cost(code, t.essential, q.wanted)
        s -= PER_WORD * (len(t.counts) + len(t.negated)) + (INCLUSION_TERM if k else 0.0)
        # A row that names a column word itself ("liver, primary") is more specific
        # than one whose column the word only chose ("liver").
        s += UNSPECIFIED * len(q.wanted & columns & t.matchable)
        if "unspecified" in t.matchable:
            s += UNSPECIFIED
        best = max(best, s)
    return best


@cache
def _column_words_of(table: str, venomous: bool) -> frozenset[str]:
    """Words a table row counts as matched: its column words, the completion's, and
    on a T63 row "bite" and "sting" (they choose the toxic effect)."""
    words_ = icd_tables.triggers(table) | COMPLETION_WORDS
    return words_ | icd_tables.VENOM_WORDS if venomous else words_


def _is_header(d: int, index: _Index) -> bool:
    docs = index.docs
    code = docs.code[d]
    return (
        not docs.billable[d]
        and docs.system[d] == "icd10cm"
        and "-" not in code
        and not code.startswith("@")
    )


def _ceiling(d: int, base: float, q: _Query, index: _Index) -> float:
    """The most document ``d`` can score once a header is resolved to its code."""
    if d in index.tcells:
        return base + BILLABLE
    if not _is_header(d, index):
        return base + (BILLABLE if index.docs.billable[d] else 0.0)
    unmatched = [w for w in q.wanted - index.texts(d)[0].matchable if index.below(d, w)]
    return base + BILLABLE + 10 * sum(q.weights[w] for w in unmatched) / q.total


def _table_code(d: int, q: _Query, index: _Index) -> tuple[str, str, str]:
    """(printed code, billable code, why) a table row gives for the query's column words."""
    table = index.table_of(d)
    col, _ = icd_tables.column_for(table, q.wanted, list(q.raw))
    printed = index.tcells[d][col]
    if not printed:
        return "", "", ""
    code = icd10cm.normalize(printed.rstrip("-")) if printed.rstrip("-") else ""
    if code not in index.icd.index:
        return printed, "", ""
    found = index.default_code(code, q.wanted) or ""
    for word, (_, categories) in icd_tables.MORPHOLOGY.items():
        if table == "neoplasm" and word in q.wanted and found[:3] in categories:
            return printed, _morphology_code(found, categories[found[:3]], index), word
    return printed, found, ""


@lru_cache(maxsize=4096)
def _morphology_code(code: str, category: str, index: _Index) -> str:
    """The code of ``category`` for the same site as ``code`` (C44.509, skin of
    other part of trunk -> C43.59, melanoma of other part of trunk): the billable
    code sharing the rarest words of its description."""
    icd = index.icd
    site = Text.of(icd.descriptions[icd.index[code]]).essential

    def fit(j: int) -> tuple:
        t = Text.of(icd.descriptions[j]).essential
        return (sum(index.idf(w) for w in t & site), -len(t - site), -j)

    start = icd.index[category]
    leaves = [j for j in range(start, len(icd.codes)) if icd.codes[j].startswith(category)]
    return icd.codes[max((j for j in leaves if icd.billable_at(j)), key=fit)]


def _resolve(d: int, base: float, q: _Query, index: _Index) -> tuple[float, str, str, bool]:
    """Final (score, code, description, billable): a header answers with its default code."""
    if d in index.tcells:  # a table row answers with its column's code, completed
        printed, code, _ = _table_code(d, q, index)
        if not code:
            return -1e9, "", "", False
        desc = index.icd.descriptions[index.icd.index[code]]
        cost = EXTERNAL_CAUSE if index.table_of(d) == "eindex" else 0.0
        # The row's words the code's defaults mark ("undetermined") cost what they
        # cost in the code's own description.
        implied, marked = _scoped(code)
        extra = index.texts(d)[0].essential - q.wanted
        cost += (MARKED - EXTRA_WORD) * len(extra & marked) - EXTRA_WORD * len(extra & implied)
        if len(code) == 8 and len(printed.rstrip("-")) < 8:  # completed with a 7th character
            # its meaning's unasked-for words cost what they cost a tabular code
            meaning = index.icd.seventh_characters(code).get(code[-1], "")
            cost += EXTRA_WORD * len(Text.of(meaning).essential - q.wanted)
        return base + BILLABLE - cost, code, desc, True
    doc = index.docs[d]
    if not _is_header(d, index):
        return base + (BILLABLE if doc.billable else 0.0), doc.code, doc.texts[0], doc.billable
    child = index.default_code(doc.code, q.wanted)
    if not child:
        return base, doc.code, doc.texts[0], False
    title = index.texts(d)[0]
    desc = index.icd.descriptions[index.icd.index[child]]
    t = Text.of(desc)
    # Words the header's own texts (title or inclusion terms) matched are in ``base``
    # already: only the words the code adds are a gain.
    matched = frozenset().union(*(x.matchable for x in index.texts(d)))
    gained = sum(q.weights[w] for w in (q.wanted & t.matchable) - matched)
    added = _extra_cost(child, t.essential - title.essential, q.wanted)
    return base + BILLABLE + 10 * gained / q.total - added, child, desc, True


def _candidates(q: _Query, index: _Index, systems: set[str]) -> list[int]:
    """Documents of the chosen code sets with every query word, else with as
    many as any has; at most MAX_SCORED, preferring short descriptions (the
    cheap proxy for fewer extra words)."""
    system = index.docs.system

    def keep(docs: set[int]) -> set[int]:
        return docs if len(systems) == 3 else {d for d in docs if system[d] in systems}

    # Neutral words ("site not specified") describe the default: not required.
    required = [w for w in q.weights if w not in NEUTRAL] or list(q.weights)
    sets = sorted((index.posting(w) for w in required), key=len)
    typed = len(sets)
    sets = [x for x in sets if x] or sets[:1]  # a word found nowhere cannot be matched
    found = keep(set.intersection(*sets)) if sets and sets[0] else set()
    # Few documents hold the words the code sets know, and a typed word is in none
    # ("community"): it may be a modifier the classification does not use.
    dropped = len(sets) < typed and len(found) < FEW
    if (not found or dropped) and len(sets) > 1:
        counts = Counter(d for x in sets if len(x) < 20000 for d in keep(x))
        top = max(counts.values(), default=0)
        found = {d for d, c in counts.items() if c == top} if top else set()
        # Few hold the most words: those holding one word fewer compete too.
        n = len(sets) - 1 if dropped else top - 1
        if n > 0 and len(found) < FEW and len(sets) <= 6:
            found |= _near(sets, n, NEAR_ROOM, keep, index)
    if len(found) > MAX_SCORED:
        found = set(sorted(found, key=index.docs.size.__getitem__)[:MAX_SCORED])
    if "icd10cm" in systems:
        found |= _table_candidates(q, index)
    return sorted(found)


def _near(sets: list[set[int]], n: int, room: int, keep, index: _Index) -> set[int]:
    """Documents holding ``n`` of the query's words, the shortest for each choice of words.

    A typed word may be a modifier the classification does not use ("community
    acquired pneumonia") or name what a code says otherwise ("flu shot" is an
    encounter for immunization): documents without it compete too, whichever it is.
    """
    size = index.docs.size.__getitem__
    chosen = list(combinations(range(len(sets)), n))
    share = max(1, room // len(chosen))
    out: set[int] = set()
    for combo in chosen:
        held = sorted((sets[k] for k in combo), key=len)
        if len(held[0]) < 20000:
            out.update(heapq.nsmallest(share, keep(set.intersection(*held)), key=size))
    return out


def _table_candidates(q: _Query, index: _Index) -> set[int]:
    """Table rows holding every query word other than the words that choose a column.

    A Drugs or Neoplasm row needs one of its column words in the query ("lung"
    alone is not a neoplasm); an External Cause row only its words.
    """
    out: set[int] = set()
    for table in index.tranges:
        columns = icd_tables.triggers(table)
        venom = table == "drugs" and bool(q.wanted & icd_tables.VENOM_WORDS)
        if columns and not q.wanted & columns and not venom:
            continue
        rest = q.wanted - columns - COMPLETION_WORDS - (icd_tables.VENOM_WORDS if venom else set())
        if not rest:
            continue
        if table == "neoplasm":  # "melanoma of back": the skin row for the back
            rest |= {s for w, (s, _) in icd_tables.MORPHOLOGY.items() if w in q.wanted}
        sets = [index.tposting_in(table, w) for w in rest]
        rows = set.intersection(*sets)
        if not rows and len(sets) > (1 if columns else 2):
            # A word no row of the table holds ("child swallowed bleach", "his
            # metformin"): the rows holding all the other words compete.  An
            # External Cause row (no column word asked for it) must hold two.
            counts = Counter(d for x in sets for d in x)
            rows = {d for d, c in counts.items() if c == len(sets) - 1}
        if venom and not q.wanted & columns:  # a bite or sting is a toxic effect only in T63
            rows = {d for d in rows if index.tcells[d][0].startswith("T63")}
        out |= set(sorted(rows, key=index.docs.size.__getitem__)[: MAX_SCORED // 3])
    return out


def _rank(
    q: _Query, index: _Index, systems: set[str], limit: int
) -> list[tuple[float, int, str, str, bool]]:
    """Best-first: resolve headers only while they can still reach the top ``limit``."""
    queue = []
    linked = _linked(q.wanted)
    context = _out_of_context(q.wanted)
    for d in _candidates(q, index, systems):
        base = _title_score(d, q, index)
        bonus = LINKED if linked and index.docs.code[d].startswith(linked) else 0.0
        queue.append((-_ceiling(d, base, q, index) - bonus, d, base))
    heapq.heapify(queue)
    best: dict[str, tuple[float, int, str, str, bool]] = {}
    floor: list[float] = []  # min-heap of the top ``limit`` scores so far
    while queue:
        neg_ceiling, d, base = heapq.heappop(queue)
        if len(floor) >= limit and -neg_ceiling < floor[0]:
            break  # nothing left can reach the top
        score, code, desc, billable = _resolve(d, base, q, index)
        if not code:
            continue
        if linked and code.startswith(linked):
            score += LINKED
        if context and code.startswith(context):
            score -= CONTEXT
        if code.startswith("V") and not _victim_named_first(desc, q):
            score -= VICTIM
        if code not in best or best[code][0] < score:
            best[code] = (score, d, code, desc, billable)
            heapq.heappush(floor, score)
            if len(floor) > limit:
                heapq.heappop(floor)
    return sorted(best.values(), key=lambda r: (-r[0], r[1]))[:limit]


def _victim_named_first(description: str, q: _Query) -> bool:
    """Does a transport code's injured person match who the query names first?

    V00-V89 are classified by the victim's mode of transport, named before
    "injured" ("Pedestrian ... injured in collision with car"); a query names the
    victim first ("pedestrian hit by car"), the counterpart after (Tabular,
    V00-V99 note).  True when the code has no such split or the first query word
    it holds is in the victim's part.
    """
    victim_words, counterpart_words = _transport_parties(description)
    for w in q.raw:
        w = stem(w)
        if w in victim_words:
            return True
        if w in counterpart_words:
            return False
    return True


@lru_cache(maxsize=8192)
def _transport_parties(description: str) -> tuple[frozenset[str], frozenset[str]]:
    """(victim's words, counterpart's words) of a transport description; both empty
    when it has no "injured" to split at."""
    victim, sep, counterpart = description.lower().partition(" injured ")
    if not sep:
        return frozenset(), frozenset()
    return frozenset(words(victim)), frozenset(words(counterpart))


def _spell(q: str, index: _Index) -> tuple[list[str], list[str]]:
    """Typed words with misspellings corrected, and notes saying which."""
    fixed_words, notes = [], []
    for w in raw_words(q):
        fixed = _correct(w, index)
        if fixed:
            notes.append(f"{w} -> {fixed} (spelling)")
        fixed_words.append(fixed or w)
    return fixed_words, notes


def _as_query(typed: list[str], index: _Index) -> _Query:
    """Weights, "without" words and repeats of a list of typed words."""
    head, negated, seen_without = [], [], False
    for w in typed:
        if w == "without":
            seen_without = True
        elif w not in STOPWORDS:
            (negated if seen_without else head).append(stem(w))
    wanted = frozenset(head)
    weights = {w: index.idf(w) for w in (*head, *negated)}
    repeats = tuple((w, n) for w, n in Counter(head).items() if n > 1)
    return _Query(wanted, frozenset(negated) - wanted, weights, repeats, tuple(typed))


def search(query: str, year: int = 2026, system: str = "all", limit: int = 10) -> list[Hit]:
    """Search the code sets; best first.

    ``system`` is one of icd10cm, cpt, hcpcs, icd10pcs or all (ICD-10-CM, CPT and
    HCPCS; ICD-10-PCS is asked for by name, see ``pcs_search``).  Raises QueryError for
    an empty, over-long or control-character query, or an unknown system, and
    icd10cm.CodeSetError for a year the lab does not ship.
    """
    q = check_query(query)
    if system not in SYSTEMS:
        raise QueryError(f"unknown code system {system!r}; choose one of {', '.join(SYSTEMS)}")
    if limit < 1:
        raise QueryError("the limit must be at least 1")
    if system == "icd10pcs":
        return pcs_hits(q, year, limit)
    systems = {"icd10cm", "cpt", "hcpcs"} if system == "all" else {system}
    icd10cm.load(year)  # raises the clear error for a year the lab does not ship
    index = _index(year)
    hits = _code_hits(q, index, systems, limit)
    if hits:
        return hits
    typed, notes = _spell(q, index)
    rewritten, synonym_notes = _rewrite(typed)
    rewritten, rule_notes = _apply_hierarchy(rewritten)
    query = _as_query(rewritten, index)
    read_as = [*notes, *synonym_notes, *rule_notes]
    hits = [_hit(r, query, index, read_as) for r in _rank(query, index, systems, limit)]
    settled = len(hits) == limit and hits[0].score >= 10 + BILLABLE - 1  # a full, billable match
    if synonym_notes and not settled:  # the typed words may be the code set's own ("flu vaccine")
        seen = {h.code for h in hits}
        literal_query = _as_query(typed, index)
        literal = [
            _hit(r, literal_query, index, notes)
            for r in _rank(literal_query, index, systems, limit)
            if r[2] not in seen
        ]
        hits = sorted(hits + literal, key=lambda h: -h.score)[:limit]
    return hits


def pcs_hits(query: str, year: int, limit: int) -> list[Hit]:
    """ICD-10-PCS results as Hits: ``billable`` is a complete 7-character code (else the
    table or prefix with axes left to choose, named in the description), ``read_as`` why
    it matched.  icd10cm.CodeSetError (naming how to add it) for a year without ICD-10-PCS."""
    try:
        found = pcs_search.search(query, year=year, limit=limit)
    except pcs_search.SearchError as exc:
        raise QueryError(str(exc)) from None
    except ValueError as exc:
        raise icd10cm.CodeSetError(str(exc)) from None
    hits = []
    for h in found:
        match = h.why[0] if h.why[0] in ("code", "code prefix") else "words"
        why = None if match != "words" else "; ".join(h.why)
        prefix = h.code if match == "code prefix" else ""
        hits.append(
            Hit(h.code, h.description, "icd10pcs", h.complete, h.score, match, why, prefix=prefix)
        )
    return hits


def _hit(ranked: tuple, q: _Query, index: _Index, read_as: list[str]) -> Hit:
    """A ranked words result as a Hit whose ``read_as`` (the query's rewrites) also names
    its table and the defaults used."""
    score, d, code, desc, billable = ranked
    extra, table = [], index.table_of(d)
    if table:
        extra.append(table_note(d, q, index, code))
    if index.docs.system[d] == "icd10cm" and billable:
        extra.extend(default_notes(code, q.wanted, desc))
    notes = "; ".join(read_as + extra) or None
    return Hit(code, desc, index.docs.system[d], billable, score, "words", notes, table)


def table_note(d: int, q: _Query, index: _Index, code: str) -> str:
    """How a table row gave ``code``: the table, the row, the column, and any completion."""
    table = index.table_of(d)
    n = int(index.docs.code[d].split(":")[1])
    row = icd_tables.row(table, n)
    col, why = icd_tables.column_for(table, q.wanted, list(q.raw))
    printed, ref = icd_tables.effective_cell(table, n, col)
    heading = icd_tables.columns(table)[col]
    where = f"{icd_tables.TABLES[table]}: {row.term}"
    note = where if table == "eindex" else f"{where}, column {heading}"
    if ref:
        note += f" (blank here; see {ref})"
    note += f" -> {printed}"
    if why:
        note += f" ({why})"
    _, _, morphology = _table_code(d, q, index)
    if morphology:
        return note + (
            f"; {morphology} of this site is {code}, its own category (the morphology is"
            " in the category: Tabular, chapter 2 note)"
        )
    if printed != code:
        note += f"; completed to {code}" + _completion(printed, code, index.icd)
    return note


def _completion(printed: str, code: str, icd: icd10cm.CodeSet) -> str:
    """Why a printed code was completed: the 7th character, or the unspecified child."""
    stem_ = printed.rstrip("-").replace(".", "")
    if len(code.replace(".", "")) == 7 and len(stem_) < 7:
        meaning = icd.seventh_characters(code).get(code[-1], "")
        return (
            f" (7th character {code[-1]}: {meaning or 'the encounter'}; the code is invalid"
            " without its 7th character, guideline I.A.5)"
        )
    return " (the table gives a subcategory: its default code when the query says no more)"
