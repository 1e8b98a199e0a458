"""ICD-10-PCS search: from words ("lap chole") to a code, or to a table with the axes left to choose.

Two sources are read, as a coder reads them:

1. **the index** (CMS's FY2025 ICD-10-PCS Index, the only one available: its entries are
   checked against the FY2026 tables at build time and those FY2026 dropped are left out;
   ``datasets/icd10pcs/build_pcs_index.py``): main term and subterms lead to a code, a
   partial code or a table ("Cholecystectomy, see Resection, Gallbladder 0FT4");
2. **the FY2026 tables and definitions**: a root operation with a body part ("resection
   gallbladder"), the root operations' definitions and their explanations and examples
   ("partial" reads an Excision), the approach definitions, and the body part, device and
   substance keys ("appendiceal orifice" is the Appendix).

Then the words still unused choose the remaining axes, one at a time, among the values the
tables allow after the characters already chosen (``pcs_builder``): the approach
("percutaneous endoscopic"), the device ("drug eluting intraluminal device"), the qualifier
("diagnostic").  An axis the words do not settle stops the code there; the hit is then the
table (or longer prefix) with the values still to choose, and so are body parts the words
cannot tell apart (one, two or three coronary arteries).  "No Device" and "No Qualifier"
are taken when the words name none.

Abbreviations and the words a record uses that PCS does not ("lap", "laparoscopic" for the
approach Percutaneous Endoscopic, "chole" for cholecystectomy) are rewritten from the data
file ``datasets/icd10pcs/pcs_synonyms.csv``, each row with why; the defaults a coder
applies between two root operations for one body part (Resection over Excision unless the
words say part of the organ; no Inspection beside another procedure, guideline B3.11a) are
in ``pcs_search_defaults.csv``.

>>> search("lap chole")[0].code
'0FT44ZZ'
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from medbill_lab.codes import icd10pcs, pcs_builder
from medbill_lab.datasets import read_csv, read_json

INDEX_FILE = "icd10pcs/index_fy2025.json"
MAX_QUERY = 200  # characters; the encoder's limit too (encoder.check_query calls check_query)
# fmt: off
STOPWORDS = frozenset((
    "a", "an", "and", "the", "of", "or", "in", "on", "to", "for", "with", "without", "by",
    "from", "at", "into", "as", "is", "its", "any", "other", "procedure", "using",
    "performed", "under", "see",
))
#: words of the definitions too general to say anything about a root operation or approach
GENERIC = frozenset((
    "body", "part", "parts", "site", "all", "some", "same", "device", "instrumentation",
    "entry", "reach", "necessary", "layers", "layer",
))
# fmt: on
COMMON = 100  # a word in more entries than this weighs less when choosing where to start
RARE_POOL = 100  # at most this many more starts through a rare word are refined
WEAK = 0.3  # a word found only in a definition counts this much against a label's 1
_WORD = re.compile(r"[a-z0-9]+")


class SearchError(ValueError):
    """A query PCS search refuses (empty, too long, control characters)."""


@dataclass(frozen=True)
class Remaining:
    """An axis still to choose, with the values the tables (and the words) leave open."""

    axis: str
    # (value, label): for the next axis the values still open; for a later axis, when the
    # words already chose it, that one value; else empty
    options: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class PcsHit:
    """One PCS search result: a full code when the words determine it, else a prefix."""

    code: str  # 7 characters, or the table (3+) with the rest to choose
    title: str
    complete: bool
    why: tuple[str, ...]
    remaining: tuple[Remaining, ...]
    score: float

    @property
    def description(self) -> str:
        """The title, and for an incomplete hit the axes left to choose."""
        if self.complete:
            return self.title
        return f"{self.title} (choose {', '.join(r.axis.lower() for r in self.remaining)})"

    def as_dict(self) -> dict:
        """JSON-ready."""
        return {
            "code": self.code,
            "title": self.title,
            "complete": self.complete,
            "system": "icd10pcs",
            "why": list(self.why),
            "remaining": [
                {"axis": r.axis, "options": [{"value": v, "label": lab} for v, lab in r.options]}
                for r in self.remaining
            ],
            "score": round(self.score, 3),
        }


# -- words --------------------------------------------------------------------------------
def stem(word: str) -> str:
    """Plurals to singular, conservatively: 'arteries' -> 'artery', 'bypass' stays."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@cache
def label_words(label: str) -> frozenset[str]:
    """The content words of a table label (cached: labels repeat across rows)."""
    return frozenset(tokens(label))


def tokens(text: str) -> list[str]:
    """Content words of a text, lower case, stemmed, in order: 'Drug-eluting' -> drug, eluting."""
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


# -- the data -----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Doc:
    """A way into the code set: an index entry or a table's root operation with a body part."""

    words: frozenset[str]
    target: str
    source: str  # "index" or "tables"
    text: str


class _Data:
    """Everything search reads for one year of tables (built once per loaded code set)."""

    def __init__(self, year: int) -> None:
        self.pcs = icd10pcs.load(year)
        raw = read_json(INDEX_FILE)
        self.index_year = raw["index_year"]
        self.keys = raw["keys"]
        self.docs: list[_Doc] = []
        for entry in raw["index"]:
            target = entry.get("code", "")
            if target and _allowed(target, self.pcs.tables):
                text = " > ".join(entry["t"]) + (f", see {entry['see']}" if "see" in entry else "")
                self.docs.append(_Doc(frozenset(tokens(text)), target, "index", text))
        for key, table in self.pcs.tables.items():
            labels = table["labels"]
            parts: dict[str, str] = {}
            for row in table["rows"]:
                parts.update(row[0])
            for value, part in parts.items():
                text = f"{labels[2]}, {part} ({labels[1]})"
                self.docs.append(_Doc(frozenset(tokens(text)), key + value, "tables", text))
        # the approach labels' words choose the approach, never where to start ("open"
        # alone would reach every index entry that prints an approach)
        operations = {w for t in self.pcs.tables.values() for w in label_words(t["labels"][2])}
        self.approach_vocabulary = frozenset(
            w
            for table in self.pcs.tables.values()
            if table["titles"][4] == "Approach"
            for row in table["rows"]
            for label in row[1].values()
            for w in label_words(label)
            if w not in operations  # "assistance" is also a root operation
        )
        self.by_word: dict[str, list[int]] = defaultdict(list)
        for i, doc in enumerate(self.docs):
            for w in doc.words:
                self.by_word[w].append(i)
        self.aliases = self._aliases(raw)

    def _aliases(self, raw: dict) -> dict[str, list[tuple[tuple[str, ...], str, str]]]:
        """Key phrases by first word: (phrase words, the table's label, where it comes from)."""
        out: dict[str, list[tuple[tuple[str, ...], str, str]]] = defaultdict(list)
        for section in self.keys.values():
            for position in section.values():
                for label, info in position.items():
                    for phrase in info.get("includes", ()):
                        self._alias(out, phrase, label, "FY2026 key")
        for entry in raw["index"]:
            if "use" in entry:
                self._alias(out, entry["t"][-1], entry["use"], f"FY{self.index_year} index")
        return out

    @staticmethod
    def _alias(out: dict, phrase: str, label: str, source: str) -> None:
        words = tuple(dict.fromkeys(tokens(phrase)))
        target = re.sub(r" in (?:[A-Z][\w,]*(?: and)? ?)+$", "", label)  # "... in Heart and ..."
        if words and set(words) - set(tokens(target)):
            out[words[0]].append((words, target, source))

    def weight(self, word: str) -> float:
        """A word's worth in choosing where to start: 1, less for words in very many
        entries ("left" is in thousands, "mastectomy" in two)."""
        return min(1.0, (COMMON / max(len(self.by_word.get(word, ())), 1)) ** 0.25)

    def operation_words(self, section: str, operation: str) -> frozenset[str]:
        """Words of a root operation's definition, explanation and examples (FY2026)."""
        return self._definition_words(section, "3", operation)

    @cache  # noqa: B019 - one _Data per year, kept for the process
    def _definition_words(self, section: str, position: str, label: str) -> frozenset[str]:
        text = [self.pcs.definitions.get(section, {}).get(position, {}).get(label, "")]
        info = self.keys.get(section, {}).get(position, {}).get(label, {})
        text += [info.get("explanation", ""), *info.get("includes", ())]
        return frozenset(tokens(" ".join(text))) - GENERIC - frozenset(tokens(label))

    def approach_words(self, section: str, label: str) -> frozenset[str]:
        """Words of an approach's definition (FY2026)."""
        return self._definition_words(section, "5", label)


def _allowed(target: str, tables: dict) -> bool:
    """Does some code of this year start with an index target?  (The build checked FY2026;
    a year imported later may lack what FY2026 had.)"""
    table = tables.get(target[:3])
    return table is not None and any(
        all(target[i] in row[i - 3] for i in range(3, len(target))) for row in table["rows"]
    )


_DATA: dict[tuple[int, int], _Data] = {}


def _data(year: int) -> _Data:
    """The search data of a year, built once per loaded code set (a year imported again is
    a new code set, and gets new data)."""
    key = (year, id(icd10pcs.load(year)))
    if key not in _DATA:
        _DATA[key] = _Data(year)
    return _DATA[key]


@cache
def _synonyms() -> tuple[tuple[tuple[str, ...], tuple[str, ...], str, str], ...]:
    """(words, meaning, the row as typed, why), longest phrases first."""
    rows = [
        (tuple(tokens(r["words"])), tuple(tokens(r["means"])), r["words"], r["why"])
        for r in read_csv("icd10pcs/pcs_synonyms.csv")
    ]
    return tuple(sorted((r for r in rows if r[0]), key=lambda r: -len(r[0])))


@cache
def _defaults() -> tuple[tuple[str, str, frozenset[str], str], ...]:
    """(preferred operation, the other one, words that reverse it, why)."""
    return tuple(
        (r["prefer"], r["over"], frozenset(tokens(r["unless"])), r["why"])
        for r in read_csv("icd10pcs/pcs_search_defaults.csv")
    )


# -- the query ----------------------------------------------------------------------------
def check_query(query: str) -> str:
    """The query stripped; SearchError for what no search should run on (the encoder's
    check too, which raises it as its QueryError)."""
    if not isinstance(query, str):
        raise SearchError("the query must be text")
    if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in query):
        raise SearchError("the query contains control characters")
    q = query.strip()
    if not q:
        raise SearchError("the query is empty")
    if len(q) > MAX_QUERY:
        raise SearchError(f"the query is {len(q)} characters long; the limit is {MAX_QUERY}")
    return q


def _read_query(query: str, data: _Data) -> tuple[list[str], list[str]]:
    """The query's words after the synonyms and the keys, and how each rewrite read it."""
    typed = tokens(query)
    words: list[str] = []
    notes: list[str] = []
    i = 0
    while i < len(typed):
        for phrase, means, shown, why in _synonyms():
            if tuple(typed[i : i + len(phrase)]) == phrase:
                words.extend(means)
                notes.append(f"{shown} -> {' '.join(means)} ({why})")
                i += len(phrase)
                break
        else:
            words.append(typed[i])
            i += 1
    present = set(words)
    for word in list(dict.fromkeys(words)):
        for phrase, label, source in data.aliases.get(word, ()):
            new = [w for w in tokens(label) if w not in present]
            if set(phrase) <= present and new:
                words.extend(new)
                present.update(new)
                notes.append(f"{' '.join(phrase)}: use {label} ({source})")
    return list(dict.fromkeys(words)), notes


# -- ranking ------------------------------------------------------------------------------
@dataclass
class _Build:
    """A candidate being refined: the prefix so far, the words used, the reasons."""

    code: str
    used: set[str]  # words matched by the index entry or table, and by each axis chosen
    score: float
    why: list[str]
    remaining: tuple[Remaining, ...] = ()
    chosen: set[str] = field(default_factory=set)  # words an axis chose (not reused)
    merged: list[str] = field(default_factory=list)  # the hits it stands for (see _undecided)


def _starts(wanted: set[str], data: _Data, limit: int) -> list[_Build]:
    """The index entries and tables worth refining, best first: the best by the words they
    match (rare words weigh more, unasked-for words cost a little, the index is read first),
    and every one through a rare word ("thoracentesis" is worth more after its refinement
    than its start shows)."""
    scores: dict[int, float] = defaultdict(float)
    matched: dict[int, int] = defaultdict(int)
    for w in wanted - data.approach_vocabulary:
        weight = data.weight(w)
        for i in data.by_word.get(w, ()):
            scores[i] += weight
            matched[i] += 1
    for i in scores:
        doc = data.docs[i]
        extra = len(doc.words) - matched[i]
        scores[i] += (0.1 if doc.source == "index" else 0.0) - 0.02 * extra
    ranked = sorted(scores, key=lambda i: (-scores[i], i))
    pool = ranked[: max(60, 6 * limit)]
    rare = {w for w in wanted - data.approach_vocabulary if data.weight(w) == 1.0}
    pool += [i for i in ranked[len(pool) :] if data.docs[i].words & rare][:RARE_POOL]
    return [_start(data.docs[i], wanted, data) for i in pool]


def _start(doc: _Doc, query: set[str], data: _Data) -> _Build:
    """A doc the words matched, as a candidate to refine, saying what matched.  Its score
    holds what is not the words (those count once all axes are chosen, see ``_score``)."""
    strong = doc.words & query
    score = (0.1 if doc.source == "index" else 0.0) - 0.02 * len(doc.words - query)
    source = f"FY{data.index_year} index" if doc.source == "index" else f"FY{data.pcs.year} tables"
    why = [f"{source}: {doc.text} -> {doc.target} ({', '.join(sorted(strong))})"]
    return _Build(doc.target, set(strong), score, why)


def _definition(build: _Build, query: set[str], data: _Data) -> None:
    """Words no label matched that the root operation's definition, explanation or examples
    hold ("partial" is in Excision's) count a little."""
    operation = data.pcs.tables[build.code[:3]]["labels"][2]
    weak = (data.operation_words(build.code[0], operation) & query) - build.used - build.chosen
    if weak:
        build.score += WEAK * len(weak)
        build.why.append(f"the definition of {operation} says {', '.join(sorted(weak))}")


def _refine(build: _Build, query: set[str], data: _Data) -> _Build:
    """Choose the remaining axes with the words, as far as they determine them.

    A value is chosen by the words of its label (a word the index entry already matched
    counts half: "percutaneous" of PTCA is also the approach), of its definition (approaches,
    a little), and by what its rows allow further on (approach Open is the only one whose
    row offers qualifier Low).  A tie stops the code there.
    """
    pcs = data.pcs
    table = pcs.tables[build.code[:3]]
    while len(build.code) < 7:
        pos = len(build.code)
        offered = pcs_builder.offered(build.code, pcs)
        free = query - build.used
        reusable = build.used - build.chosen
        scored = []
        for value, label in offered.items():
            words = label_words(label)
            own = words & free
            weak = (data.approach_words(build.code[0], label) & free) - own if pos == 4 else set()
            ahead, seen, later = _ahead(build.code + value, free, pcs)
            gain = len(own) + WEAK * len(weak) - 0.01 * len(words - query)
            pick = gain + 0.5 * len(words & reusable) + 0.9 * ahead
            scored.append((round(pick, 6), value, label, own, weak, seen, later))
        best = max(scored)
        tied = [x for x in scored if x[0] == best[0]]
        name = table["titles"][pos].lower()
        if best[0] > 0 and len(tied) == 1:
            build.used |= best[3]
            build.chosen |= best[3] | best[4]
            build.score += WEAK * len(best[4])
            said = ", ".join(sorted(best[3] | best[4])) or f"its row allows {best[5]}"
            build.why.append(f"{name} {best[1]} {best[2]}: {said}")
        elif len(offered) == 1:
            build.why.append(f"{name} {best[1]} {best[2]}: the only value the table allows here")
        elif pos >= 5 and "Z" in offered and offered["Z"].startswith("No "):
            best = next(x for x in scored if x[1] == "Z")
            build.why.append(f"{name} Z {best[2]}: the words name none")
        else:
            # the values the words leave open: those as good as the best but for the
            # length of their labels
            narrowed = [x for x in scored if x[0] > best[0] - 0.5] if best[0] > 0 else scored
            options = tuple((x[1], x[2]) for x in sorted(narrowed, key=lambda x: x[1]))
            later = tuple(Remaining(t) for t in table["titles"][pos + 1 :])
            build.remaining = (Remaining(table["titles"][pos], options), *later)
            # the words the open values (and their rows further on) hold still count, less
            if best[0] > 0:
                build.score += 0.9 * sum(data.weight(w) for w in best[3] | best[6])
            return build
        build.code += best[1]
    return build


def _ahead(prefix: str, free: set[str], pcs: icd10pcs.PcsSet) -> tuple[float, str, frozenset]:
    """How well the best row still open after ``prefix`` matches the free words on its later
    axes: the score, the labels that matched (for the reason) and the words they hold."""
    if len(prefix) >= 7 or not free:
        return 0.0, "", frozenset()
    best, said, found = 0.0, "", frozenset()
    for row in pcs.tables[prefix[:3]]["rows"]:
        if not all(prefix[i] in row[i - 3] for i in range(3, len(prefix))):
            continue
        total, labels, matched = 0.0, [], set()
        for values in row[len(prefix) - 3 :]:
            top, top_label = 0.0, ""
            for label in values.values():
                words = label_words(label)
                hit = len(words & free) - 0.01 * len(words - free) if words & free else 0.0
                if hit > top:
                    top, top_label = hit, label
            total += top
            if top_label:
                labels.append(top_label)
                matched |= label_words(top_label) & free
        if total > best:
            best, said, found = total, ", ".join(labels), frozenset(matched)
    return best, said, found


def _prefer(builds: list[_Build], query: set[str], data: _Data) -> None:
    """The coder's defaults between two root operations for the same body part, applied where
    both are among the candidates (``*``: any other root operation)."""
    tables = data.pcs.tables

    def operation(b: _Build) -> str:
        return tables[b.code[:3]]["labels"][2]

    for prefer, over, unless, why in _defaults():
        said = query & unless
        loser, winner = (prefer, over) if said else (over, prefer)
        rivals = {
            (b.code[:2], b.code[3:4])
            for b in builds
            if operation(b) == winner or (winner == "*" and operation(b) != loser)
        }
        for b in builds:
            if operation(b) == loser and len(b.code) > 3 and (b.code[:2], b.code[3:4]) in rivals:
                b.score -= 0.25
                reason = why if not said else f"the words say {', '.join(sorted(said))}"
                other = "another root operation" if winner == "*" else winner
                b.why.append(f"{other} is read before {loser}: {reason}")


def _merge(builds: list[_Build], query: set[str], data: _Data) -> list[_Build]:
    """One hit per code; body parts the words cannot tell apart become the table with those
    body parts to choose; a prefix that only one longer hit extends is that hit."""
    best: dict[str, _Build] = {}
    for b in builds:
        if b.code not in best or b.score > best[b.code].score:
            best[b.code] = b
    for b in _undecided(list(best.values()), query, data):
        for part in b.merged:
            best.pop(part, None)
        if b.code not in best or b.score >= best[b.code].score:
            best[b.code] = b
    for code in sorted(best, key=len):
        longer = [c for c in best if c != code and c.startswith(code)]
        if len(longer) == 1 and not best[code].merged:
            kept = best[longer[0]]
            kept.score = max(kept.score, best.pop(code).score)
    return list(best.values())


def _undecided(builds: list[_Build], query: set[str], data: _Data) -> list[_Build]:
    """Hits alike but for the body part, reached by the same words: the words did not choose
    it (unless one body part's label is all in the words: "large intestine" is not "right
    large intestine"), so the hit is the table, with those body parts to choose and the
    later values as found."""
    groups: dict[tuple, list[_Build]] = defaultdict(list)
    for b in builds:
        if len(b.code) > 3:
            groups[(b.code[:3], b.code[4:], frozenset(b.used))].append(b)
    out = []
    for (table_key, _rest, _words), group in groups.items():
        parts = pcs_builder.offered(table_key, data.pcs)
        exact = [b for b in group if label_words(parts[b.code[3]]) <= query]
        if len(group) < 2 or exact:
            continue
        top = max(group, key=lambda b: b.score)
        alike = sorted(group, key=lambda b: b.code)
        table = data.pcs.tables[table_key]
        options = tuple((b.code[3], parts[b.code[3]]) for b in alike)
        later = []
        for pos in range(4, 7):
            if pos < len(top.code):
                value = top.code[pos]
                found = pcs_builder.offered(top.code[:pos], data.pcs)
                later.append(Remaining(table["titles"][pos], ((value, found[value]),)))
            elif pos == len(top.code) and top.remaining:
                later.append(top.remaining[0])
            else:
                later.append(Remaining(table["titles"][pos]))
        labels = " / ".join(label for _, label in options)
        merged = _Build(
            table_key,
            set(top.used),
            top.score,
            [*top.why, f"the words do not tell the body parts apart: {labels}"],
            (Remaining(table["titles"][3], options), *later),
        )
        merged.merged = [b.code for b in alike]
        out.append(merged)
    return out


def title_of(code: str, year: int = 2026) -> str:
    """The full title of a code, or the labels chosen so far of a prefix."""
    pcs = icd10pcs.load(year)
    if len(code) == 7:
        return icd10pcs.lookup(code, year).title
    table = pcs.tables[code[:3]]
    labels = [table["labels"][2]]
    for pos in range(3, len(code)):
        labels.append(pcs_builder.offered(code[:pos], pcs)[code[pos]])
    head = f"{labels[0]} of {labels[1]}" if len(labels) > 1 else labels[0]
    return ", ".join([head, *labels[2:]]) + f" ({table['labels'][1]})"


def _code_hits(query: str, year: int) -> list[PcsHit] | None:
    """A query that looks like a code: the code itself, or the prefix with what comes next;
    None when the query is words."""
    norm = icd10pcs.normalize(query)
    if not (norm.isalnum() and 3 <= len(norm) <= 7 and any(c.isdigit() for c in norm)):
        return None
    if len(query.split()) > 2:
        return None
    pcs = icd10pcs.load(year)
    if icd10pcs.prefix_reason(norm, pcs):
        return []
    if len(norm) == 7:
        return [PcsHit(norm, title_of(norm, year), True, ("code",), (), 100.0)]
    table = pcs.tables[norm[:3]]
    options = tuple(pcs_builder.offered(norm, pcs).items())
    rest = (
        Remaining(table["titles"][len(norm)], options),
        *(Remaining(t) for t in table["titles"][len(norm) + 1 :]),
    )
    return [PcsHit(norm, title_of(norm, year), False, ("code prefix",), rest, 50.0)]


def _typed_prefix(word: str) -> str:
    """The first word of a query when it is typed as the start of a code ('0ft4'), else ''."""
    norm = icd10pcs.normalize(word)
    looks = norm.isalnum() and 3 <= len(norm) <= 6 and any(c.isdigit() for c in norm)
    return norm if looks else ""


def search(query: str, year: int = 2026, limit: int = 10) -> list[PcsHit]:
    """PCS codes (or tables with the axes left) for a query, best first; [] when nothing fits.

    SearchError for an empty, over-long or control-character query; ValueError for a year
    without ICD-10-PCS.
    """
    q = check_query(query)
    if limit < 1:
        raise SearchError("the limit must be at least 1")
    by_code = _code_hits(q, year)
    if by_code is not None:
        return by_code
    data = _data(year)
    head, _, rest = q.partition(" ")
    typed = _typed_prefix(head)  # "0FT4 laparoscopic": the words finish the code typed
    if typed and icd10pcs.prefix_reason(typed, data.pcs):
        typed = ""  # not a code after all ("24-96 hours")
    words, notes = _read_query(rest if typed else q, data)
    wanted = set(words)
    if typed:
        starts = [_Build(typed, set(), 0.0, [f"code prefix {typed}"])]
    else:
        starts = _starts(wanted, data, limit)
    done = [_refine(build, wanted, data) for build in starts]
    for build in done:
        _definition(build, wanted, data)
        build.score += 0.01 * len(build.code) + sum(data.weight(w) for w in build.used)
    _prefer(done, wanted, data)
    ranked = sorted(_merge(done, wanted, data), key=lambda b: (-b.score, b.code))[:limit]
    return [
        PcsHit(
            b.code,
            title_of(b.code, year),
            len(b.code) == 7,
            (*notes, *b.why),
            b.remaining,
            round(b.score, 3),
        )
        for b in ranked
    ]
