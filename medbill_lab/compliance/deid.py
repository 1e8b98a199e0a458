"""Safe Harbor de-identification of free-text notes and of data exports.

**Notes.**  :func:`find_phi` runs rules over the text: patterns (dates, phone
numbers, emails, SSNs, URLs, IP addresses, VINs, image files ...), *context words*
("MRN", "member ID", "fax", "serial", "plate", "fingerprint" ...) that say what the
token after them is, name lists (the lab's synthetic first and last names, towns,
employers), cues ("Dr.", "Mr.", "daughter", "Patient:", ", MD", "lives in", "Hi"),
and general word lists shipped in ``datasets/deid/names`` (about 45,000 first and
last names from Faker, 12,000 US towns from GeoNames, English and medical words):
a run of capitalised words that are names or no English or medical word is a name
("Jessamy Abbington"), whatever the note around it.  Each hit is a :class:`Found` span with its category,
the Safe Harbor paragraph and the rule that found it, so it can be explained.
:func:`deidentify` replaces each span with a tag such as ``[NAME]``; a date keeps
its year (``[DATE 2026]``) unless the year would reveal an age over 89, and an age
over 89 becomes ``[AGE 90+]``.

**Data exports.**  :func:`deidentify_frame` applies column rules to a pandas
DataFrame: names and direct identifiers are dropped, addresses generalised to the
state, ZIP codes to 3 digits (``000`` for the restricted ZIP3 areas), dates to the
year, ages over 89 to "90 or older", free-text columns de-identified as notes.

**Scoring.**  :func:`evaluate` compares the spans found with labelled notes
(:mod:`medbill_lab.compliance.deid_notes`).  Definitions:

- a labelled (gold) span is **caught** when every letter and digit in it lies inside
  some found span, of any category (a fax number found as a phone number is still
  removed); the punctuation between the parts of a name or date is not counted;
- a found span is **correct** when it shares at least one letter or digit with a
  gold span;
- span **recall** = caught gold spans / gold spans; span **precision** = correct
  found spans / found spans; per category, recall is by the gold category and
  precision by the found category;
- **character** recall and precision count letters and digits instead of spans.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from medbill_lab.datasets import datasets_dir, read_csv, synthetic_people

if TYPE_CHECKING:
    import pandas as pd

#: Category -> (Safe Harbor paragraph letter in 45 CFR 164.514(b)(2)(i), what it covers),
#: from datasets/deid/safe_harbor_categories.csv (ages over 89 are their own category, AGE)
CATEGORIES: dict[str, tuple[str, str]] = {
    row["category"]: (row["paragraph"], row["covers"])
    for row in read_csv("deid/safe_harbor_categories.csv")
}
# The lab's own invented names, towns and employers (datasets/people/names.json): those of the
# synthetic practice and of the tuning notes, which the rules were developed on.
_PEOPLE = synthetic_people()

# Three-digit ZIP areas of 20,000 people or fewer (HHS guidance, 2000 Census): -> "000"
RESTRICTED_ZIP3 = frozenset(row["zip3"] for row in read_csv("deid/restricted_zip3.csv"))


@dataclass(frozen=True)
class Found:
    """One PHI span found in a text: where, what kind, and which rule found it."""

    start: int
    end: int
    category: str
    text: str
    rule: str

    @property
    def paragraph(self) -> str:
        """The Safe Harbor paragraph letter, 45 CFR 164.514(b)(2)(i)(A) to (R)."""
        return CATEGORIES[self.category][0]

    def explain(self) -> str:
        """Why this span is removed, for a learner.

        >>> Found(0, 10, "DATE", "03/14/2026", "a numeric date").explain()
        "'03/14/2026' is a date element other than the year (month, day): Safe Harbor (C). Found by: a numeric date."
        >>> print(Found(0, 6, "NAME", "Okafor", "a name after a title").explain())
        'Okafor' is a person's name. Safe Harbor (A) covers the names of the individual and of relatives, employers and household members; a provider's or staff member's name is removed by our stricter policy, not by Safe Harbor. Found by: a name after a title.
        """
        if (
            self.category == "NAME"
        ):  # whose name it is decides whether Safe Harbor or our policy removes it
            return (
                f"'{self.text}' is a person's name. Safe Harbor ({self.paragraph}) covers the names of the "
                "individual and of relatives, employers and household members; a provider's or staff "
                f"member's name is removed by our stricter policy, not by Safe Harbor. Found by: {self.rule}."
            )
        what = CATEGORIES[self.category][1]
        return f"'{self.text}' is {what}: Safe Harbor ({self.paragraph}). Found by: {self.rule}."


def _trie(words: Iterable[str]) -> str:
    """One regex for a list of words, factored by prefix, so that the engine tries each
    letter once rather than each word ("son|sister" -> "s(?:on|ister)").

    >>> _trie(["son", "sister", "sis"]), re.fullmatch(_trie(["a.b", "ab"]), "a.b") is not None
    ('(?:s(?:is(?:ter)?|on))', True)
    """
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if ends else body

    return f"(?:{emit(tree)})"


def _split_alternatives(alts: str) -> list[str]:
    """The top-level alternatives of a regex fragment: "a|b(?:c|d)|e" -> ["a", "b(?:c|d)", "e"]."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(alts):
        ch = alts[i]
        if ch == "\\":
            i += 1
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(alts[start:i])
            start = i + 1
        i += 1
    return [*parts, alts[start:]]


def _fast(pattern: str) -> str:
    """The same pattern, rewritten so that the regex engine can skip ahead to its first letter.

    A pattern that starts with a word boundary and case-insensitive keywords,
    ``\\b(?i:serial|sn|udi)...``, makes the engine try every position of the note.  Written
    as ``[sSuU](?<!\\w[sSuU])(?:(?<=[sS])(?i:erial|n)|(?<=[uU])(?i:di))...`` it starts with a
    set of letters, which the engine finds with a fast scan; the look-behind keeps the word
    boundary.  Patterns of any other shape are returned unchanged.

    >>> p = _fast(r"\\b(?i:serial|sn|udi)\\s*(\\d+)")
    >>> [m.group() for m in re.finditer(p, "SN 12, ssn 3, UDI 7, Serial 9")]
    ['SN 12', 'UDI 7', 'Serial 9']
    """
    if not pattern.startswith("\\b(?i:"):
        return pattern
    depth, i = 0, 2
    while True:  # the group's closing bracket
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        depth += 1 if ch in "([" else -1 if ch in ")]" else 0
        if depth == 0:
            break
        i += 1
    alts = _split_alternatives(pattern[6:i])
    if any(not a or not a[0].isascii() or not a[0].isalpha() for a in alts):
        return pattern
    groups: dict[str, list[str]] = {}
    for a in alts:
        groups.setdefault(a[0].lower(), []).append(a[1:])
    first = "".join(sorted({c for k in groups for c in (k, k.upper())}))
    branches = "|".join(f"(?<=[{k}{k.upper()}])(?i:{'|'.join(rest)})" for k, rest in groups.items())
    return f"[{first}](?<!\\w[{first}])(?:{branches}){pattern[i + 1 :]}"


_DIGITS = frozenset("0123456789")
_SPACES = frozenset(" \t\n\r\f\v")


def _first_chars(items: object, ignore_case: bool) -> tuple[frozenset[str] | None, bool]:
    """The characters a parsed regex can start with (None: any) and whether it can match empty."""
    from re import _constants as c  # the parser's op codes (stdlib, stable within a version)

    first: set[str] = set()
    for op, av in items:  # type: ignore[attr-defined]
        if op is c.LITERAL:
            ch = chr(av)
            return frozenset(first | ({ch.lower(), ch.upper()} if ignore_case else {ch})), False
        if op is c.IN:
            for kind, value in av:
                if kind is c.LITERAL:
                    first |= (
                        {chr(value).lower(), chr(value).upper()} if ignore_case else {chr(value)}
                    )
                elif kind is c.RANGE and value[1] - value[0] < 600:
                    chars = {chr(x) for x in range(value[0], value[1] + 1)}
                    first |= chars | {x.swapcase() for x in chars} if ignore_case else chars
                elif kind is c.CATEGORY and value in (c.CATEGORY_DIGIT, c.CATEGORY_SPACE):
                    first |= _DIGITS if value is c.CATEGORY_DIGIT else _SPACES
                else:
                    return None, False
            return frozenset(first), False
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero width: what follows starts the match
        if op is c.SUBPATTERN:
            sub, nullable = _first_chars(
                av[3],
                (ignore_case or bool(av[1] & c.SRE_FLAG_IGNORECASE))
                and not av[2] & c.SRE_FLAG_IGNORECASE,
            )
        elif op is c.BRANCH:
            parts = [_first_chars(b, ignore_case) for b in av[1]]
            if any(f is None for f, _ in parts):
                return None, False
            sub, nullable = frozenset().union(*(f for f, _ in parts)), any(n for _, n in parts)  # type: ignore[misc]
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            sub, nullable = _first_chars(av[2], ignore_case)
            nullable = nullable or av[0] == 0
        elif op is c.ATOMIC_GROUP:
            sub, nullable = _first_chars(av, ignore_case)
        else:
            return None, False
        if sub is None:
            return None, False
        first |= sub
        if not nullable:
            return frozenset(first), False
    return frozenset(first), True


def _lead(pattern: str) -> str:
    """The same pattern behind a look-ahead for the characters it can start with, so that the
    engine gives up at once at every other position of the note (a pattern that starts with a
    set of letters already gets a fast scan, and one that can start anywhere is kept).

    >>> _lead(r"(?:the\\s+)?\\d+(?:st|th)")
    '(?=[0123456789t])(?:the\\\\s+)?\\\\d+(?:st|th)'
    """
    from re import _parser

    parsed = _parser.parse(pattern)
    if parsed.data and parsed.data[0][0] is _parser.IN:
        return pattern
    chars, nullable = _first_chars(parsed, bool(parsed.state.flags & re.IGNORECASE))
    if chars is None or nullable or not chars:
        return pattern
    body = "".join(re.escape(ch) if ch in "\\]^-[" else ch for ch in sorted(chars))
    return f"(?=[{body}]){pattern}"


def _compile(pattern: str) -> re.Pattern[str]:
    """A rule's pattern, compiled in its fastest equivalent form (see :func:`_fast`, :func:`_lead`)."""
    return re.compile(_lead(_fast(pattern)))


# -- patterns ----------------------------------------------------------------------------
# Upper- and lower-case letters with accents (Latin-1, Latin Extended-A and B): "Muñoz", "Dąbrowski"
# and Latin Extended Additional (Vietnamese "Nguyễn Thị")
_LATIN = [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]
_UP = "A-Z" + "".join(c for c in map(chr, _LATIN) if c.isupper())
_LO = "a-z" + "".join(c for c in map(chr, _LATIN) if c.islower())
MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_M = r"(?:0?[1-9]|1[0-2])"
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?)"
_D = r"(?:0?[1-9]|[12]\d|3[01])"
# a weekday before a date, any case, maybe a comma or a bracket: "Tue, 31 Mar", "mon (6/1)"
_WEEKDAY_LEAD = rf"(?=[MTWFSmtwfs])\b(?i:{_WEEKDAY}),?\s+\(?"
# "on the 22nd", "or the 3rd": the words a day of the month follows in informal text
_DAY_LEAD = re.compile(r"\b(?:on|or|by|til|till|until|since|from|come|thru|through) $")
# month names that are no English word in lower case ("may" and "march" only with a number after)
_MONTH_WORD = (
    r"january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec"
)
# a month in any case ("JUL", "jul", "July"), except "may" and "mar" in lower case (words)
_ANY_MONTH = rf"(?:(?i:{_MONTH_WORD.replace('|may', '').replace('|mar|', '|')})|May|MAY|Mar|MAR)"
# ordinal words for a day of the month ("fifth", "twenty-first", "thirty first")
_ORD_UNIT = r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
_ORD_WORD = (
    rf"(?i:(?:twenty|thirty)[- ]?{_ORD_UNIT}|thirtieth|twentieth|{_ORD_UNIT}|tenth|eleventh|twelfth"
    r"|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth)"
)
# a year in words: "twenty twenty-six", "two thousand twenty-six", "nineteen thirty-six"
_YEAR_UNIT = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_YEAR_TENS = rf"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ]{_YEAR_UNIT})?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|oh[- ]{_YEAR_UNIT})"
_YEAR_WORDS = rf"(?i:(?:nineteen|twenty) {_YEAR_TENS}|two thousand(?:(?: and)? (?:{_YEAR_TENS}|{_YEAR_UNIT}))?)"
_ID = r"[A-Z0-9][A-Z0-9-]*\d[A-Z0-9-]*"  # an identifier token: has at least one digit
# an identifier printed in groups of digits after its label: "869 485 646", "4412 0098"
_GROUPED_ID = rf"(?:\d{{3,4}} ){{1,3}}\d{{3,4}}(?![\w/.:-])|{_ID}"
_UNIT = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_PHONE = r"(?:\+?1[-. ])?(?:\(\d{3}\)[-\s]?\d{3}[-. ]?|\d{3}[-. /]\d{3}[-. ]|\d{3} (?=\d{7}\b)\d{3})\d{4}(?:\s*(?i:x|ext\.?|extension)\s*\d{1,5})?\b(?![.-]\d)"
# "MRN: ", "Acct # ", "ID no. ", "ID is " (after "is"/"was", only an identifier of 5+ characters)
_SEP = r"\s*(?i:#|no\.?|number|num\.?|ID)?\s*(?:[:#=]|\s(?:is|was)\s(?=[A-Z0-9-]{5}))?\s*"


# the words that say a biometric reference follows: each alternative starts with a letter so
# that _fast() can rewrite the rule ("fingerprint", "palm-vein template", "face match")
_BODY = (
    "face",
    "facial",
    "voice",
    "palm",
    "iris",
    "retina",
    "retinal",
    "finger",
    "thumb",
    "vein",
    "hand",
)
_BIOMETRIC_WORDS = "|".join(
    [
        "fingerprint", "finger ?print", "thumbprint", "voiceprint", "voice print", "voice ID", "voice sample",
        "retina", "retinal", "iris", "palm ?print", "palm vein", "vein pattern", "hand geometry", "face ?print",
        "face ID", "facial (?:scan|template|recognition)", "gait", "DNA", "biometric",
        *(f"{b} scan" for b in _BODY),
        *(f"{b}[- ]?(?:match|matching|recognition)(?: template)?" for b in _BODY),
        *(f"{b}[- ]?(?:vein|print|scan|geometry)?[- ](?:template|signature|pattern|ID)" for b in _BODY),
        *(f"{b} (?:template|signature)" for b in ("biometric", "fingerprint")),
    ]
)  # fmt: skip


def _ctx(words: str, token: str = _ID) -> str:
    """A pattern: context words, optional '#'/'no.'/':' then the identifier (group 'v')."""
    return rf"\b(?i:{words}){_SEP}(?P<v>{token})\b"


# (category, pattern, rule description); group "v" (if any) is the span, else the match
_RULES: tuple[tuple[str, str, str], ...] = (
    ("EMAIL", r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b", "an email address pattern"),
    (
        "EMAIL",
        r"\b[\w.+-]+\s*(?:\[at\]|\(at\)|\bat\b)\s*[\w-]+\s*(?:\[dot\]|\(dot\)|\bdot\b)\s*(?:com|org|net|edu|gov|us|io)\b",
        "an email address written out ('ann.k at gmail dot com')",
    ),
    (
        "URL",
        r"\b(?<![@\w.-])(?:[a-z0-9-]+\.)+(?:com|org|net|edu|gov|health|care|us|io|info)/[^\s<>\"')]*[^\s<>\"').,;:]",
        "a web address without http:// (a domain and a path)",
    ),
    (
        "PHONE",
        r"(?:(?<![\w+])\+(?!1\b)|\b011[ .-])\d{1,3}(?:[ .-]\(?\d{1,5}\)?){2,5}\b",
        "an international telephone number (+44 20 7946 0958)",
    ),
    (
        "URL",
        r"(?:\bhttps?://|\bwww\.)[^\s<>\"')]+[^\s<>\"').,;:]",
        "a web address (http:// or www.)",
    ),
    (
        "IP",
        r"\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b",
        "an IPv4 address pattern",
    ),
    (
        "IP",
        # groups of hex digits and colons, "::" for a run of zeros; a hex letter or 4+ colons, so
        # that a time ("12:30:45") is never one
        r"(?<![\w:.])(?=(?:[0-9a-fA-F]*:){3})(?=[0-9a-fA-F:]*[a-fA-F][0-9a-fA-F:]*(?![\w:])|(?:[0-9a-fA-F]*:){4})(?:[0-9a-fA-F]{1,4}:|:){2,7}(?:[0-9a-fA-F]{1,4}|:)(?![\w:])",
        "an IPv6 address pattern",
    ),
    ("SSN", r"\b\d{3}-\d{2}-\d{4}\b", "the SSN pattern ###-##-####"),
    (
        "OTHER_ID",
        # a taxpayer ID (TIN) in the EIN shape too: a practice's or an employer's
        r"\b(?:F?EIN|TIN|(?i:employer(?: identification| ID| tax ID)?(?: number| no\.?)?|federal (?:tax )?ID|FEIN|tax(?:payer)? ID(?:entification)?(?: number| no\.?)?))\b\s*[:#]?\s*(?:is\s+)?(?P<v>\d{2}-?\d{7})\b",
        "an employer identification number (EIN): it names the employer",
    ),
    (
        "SSN",
        _ctx(
            r"(?:SSN|SS#|Social Security(?: number| no\.?)?(?:,[^,\n]{0,40},)?)(?:\s*is)?",
            r"\d{3}[- ]?\d{2}[- ]?\d{4}",
        ),
        "a number after 'SSN'",
    ),
    (
        "SSN",
        r"(?:\b(?i:SSN|SS#|social security)\b[^.\n]{0,25}?\b(?i:ending(?: in)?|last (?:4|four)(?: digits)?(?: of)?)[:\s]*|(?<![\w*])[X*]{3}[- ]?[X*]{2}[- ]?)(?P<v>\d{4})\b",
        "the last four digits of an SSN",
    ),
    (
        "SSN",
        r"\b(?i:last (?:4|four)(?: digits)?(?: of)?(?: (?:the|his|her|their|pt's|patient's))? (?:SSN|SS#|social(?: security)?(?: number| no\.?)?))\s*(?:is\s*)?[:#]?\s*(?P<v>\d{4})\b",
        "the last four digits of an SSN",
    ),
    (
        "DATE",
        rf"(?:{_WEEKDAY_LEAD})?\b{_M}([/.-]){_D}\1(?:19|20)?\d\d\b",
        "a numeric date (month/day/year)",
    ),
    (
        "DATE",
        rf"\b(?:19|20)\d\d([/.-])(?:0?[1-9]|1[0-2])\1{_D}\b",
        "a numeric date (year/month/day)",
    ),
    ("DATE", rf"\b{_D}(?i:{MONTH})(?:19|20)\d\d\b", "a compact date (01JAN2026)"),
    # day, month name and year in any case and with any separator: "05-JUL-2026", "5 jul 26"
    (
        "DATE",
        rf"\b{_D}(?:st|nd|rd|th)?(?P<s>[-/. ]?)(?i:{_MONTH_WORD})\.?(?:(?P=s)|,? )(?:19|20)?\d\d\b(?![-/.:]\d)",
        "a date: day, month name, year (05-JUL-2026)",
    ),
    # month name, day and year: "Aug-25-36", "AUG 25 2026", "Aug/25/2026", "Dec. 3rd, 2026"
    (
        "DATE",
        rf"\b(?i:{_MONTH_WORD})\.?(?P<s>[-/. ]){_D}(?:st|nd|rd|th)?(?:(?P=s)|,? )(?:(?:19|20)\d\d|(?<=[-/.]\d\d[-/.])\d\d|(?<=[-/.]\d[-/.])\d\d)\b(?![-/.:]\d)",
        "a date: month name, day, year (Aug-25-36)",
    ),
    # year first: "2026-Jul-05", "2026 JUL 5"
    (
        "DATE",
        rf"\b(?:19|20)\d\d(?P<s>[-/. ])(?i:{_MONTH_WORD})\.?(?P=s){_D}\b(?![-/.:]\d)",
        "a date: year, month name, day (2026-Jul-05)",
    ),
    # "December the 31st", "March the 14th, 2026"
    (
        "DATE",
        rf"\b{MONTH}\.?\s+the\s+{_D}(?:st|nd|rd|th)\b(?:,?\s+(?:19|20)\d\d\b)?",
        "a date: month name, 'the', day ('December the 31st')",
    ),
    # a date in words: "July fifth twenty twenty-six", "the fifth of July", "March 5th, twenty twenty-six"
    (
        "DATE",
        rf"\b{_ANY_MONTH}\.?\s+(?:the\s+)?(?:{_ORD_WORD}|{_D}(?:st|nd|rd|th))\b(?:,?\s+(?:{_YEAR_WORDS}|(?:19|20)\d\d)\b)?",
        "a date in words ('July fifth twenty twenty-six')",
    ),
    (
        "DATE",
        rf"\b(?:the\s+)?(?:{_ORD_WORD}|{_D}(?:st|nd|rd|th))\s+(?:day\s+)?of\s+{_ANY_MONTH}\b(?:,?\s+(?:{_YEAR_WORDS}|(?:19|20)\d\d)\b)?",
        "a date in words ('the fifth of July')",
    ),
    (
        "DATE",
        rf"\b(?:1[3-9]|2\d|3[01])([/.-]){_M}\1(?:19|20)?\d\d\b",
        "a numeric date (day/month/year)",
    ),
    (
        "DATE",
        rf"\b(?:{_WEEKDAY},?\s+)?{MONTH}\.?\s+{_D}(?:st|nd|rd|th)?\b(?:,?\s+(?:19|20)\d\d\b)?",
        "a date with a month name",
    ),
    (
        "DATE",
        rf"(?:{_WEEKDAY_LEAD})?\b(?:the\s+)?{_D}(?:st|nd|rd|th)?(?:[- ]|\s+of\s+){MONTH}\.?(?:,?[- ](?:19|20)\d\d)?\b",
        "a date with a month name (day first)",
    ),
    ("DATE", rf"\b{MONTH}\.?,?\s+(?:19|20)\d\d\b", "a month and year"),
    ("DATE", rf"\b{MONTH}\.?,? ?['’]\d\d\b", "a month and a two-digit year (March '19)"),
    (
        "DATE",
        rf"(?:{_WEEKDAY_LEAD})?(?<![\d/.])(?<!BP )\b{_M}/{_D}\b(?![/\d])",
        "a month/day date",
    ),
    ("DATE", rf"\b{MONTH}-{_D}\b(?![-/.]\d)", "a month and day with a hyphen (Oct-14)"),
    (
        "DATE",
        r"\b(?i:on|appt|appointment|visit|due|start|starting|until|since|seen|dated)\s+(?P<v>(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01]))\b(?![-/.]\d|\s?(?i:mg|mcg|ml|units?|times|x\b|days?|weeks?|hours?|hrs?|min|%))",
        "a two-digit month-day after a date word ('labs on 12-04')",
    ),
    (
        "DATE",
        r"(?<![\d/.-])\b(?:0?[1-9]|1[0-2])/(?:19|20)\d\d\b(?![/\d])",
        "a month and year (08/2025)",
    ),
    (
        "DATE",
        rf"\b(?i:{_MONTH_WORD})\.?(?:\s+{_D}(?:st|nd|rd|th)\b|,?\s+(?:19|20)\d\d\b)",
        "a month name in lower case with a day or year ('july 18th', 'august 2025')",
    ),
    (
        "DATE",
        rf"\b(?:(?i:{_WEEKDAY})\s+)?the\s+{_D}(?:st|nd|rd|th)\b(?!\s+(?:of\b|[a-z]+\s+(?:digit|character|dose|time|day|week|month|floor|finger|toe|rib|trimester|percentile|grade|cycle|line|place|attempt)s?\b|(?:digit|character|dose|time|day|week|month|floor|finger|toe|rib|trimester|percentile|grade|cycle|line|place|attempt|and|or)s?\b)|-)",
        "a day of the month ('on the 22nd')",
    ),
    (
        "DATE",
        rf"\b(?P<v>the\s+{_D}(?:st|nd|rd|th))\s+of\s+(?:next|this|last|the following|the coming)\s+month\b",
        "a day of the month ('the 22nd of next month')",
    ),
    (
        "AGE",
        r"\b(?P<v>9\d|1[0-1]\d)(?=\s*(?:-?\s*(?:years?|yrs?)[- ]old|-?\s*y/?o\b|\s*y\.o\.|\s*yrs?\b|\s*years? of age))",
        "an age over 89",
    ),
    (
        "AGE",
        r"(?<!\[)\b(?i:age[d:]?|age is|currently|now|turned|turns|will be)\s*(?P<v>9\d|1[0-1]\d)\b(?![/.,]\d|\+|\s*(?:%|mg|mm|kg|lb|bpm|min|F\b|°))",
        "an age over 89 (after 'age', 'currently' or 'turned')",
    ),
    (
        "AGE",
        r"\b(?i:in (?:his|her|their) (?:early |mid |mid-|late )?)(?P<v>90s|nineties|hundreds)\b",
        "an age over 89 as a decade ('in her 90s')",
    ),
    (
        "AGE",
        r"(?<![\w.,/°-])(?<!Temp )(?<!T )(?P<v>9\d|1[0-1]\d)\s?(?:[MF]|yo|YO|y|yrs?)\b(?!\.\d)",
        "an age over 89 with a sex or 'yo' (92F, 101M)",
    ),
    (
        "AGE",
        rf"\b(?P<v>(?i:ninety(?:[- ]{_UNIT})?|(?:a |one )?hundred(?: and)?(?:[- ](?:{_UNIT}|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen))?))(?=[- ](?i:years?|yo\b|y/o)|\b(?i: year))",
        "an age over 89 in words (ninety-two)",
    ),
    (
        "AGE",
        rf"\b(?i:aged?|is|turned|turns)\s+(?P<v>(?i:ninety(?:[- ]{_UNIT})?|(?:a |one )?hundred(?: and)?(?:[- ](?:{_UNIT}|ten))?))\b",
        "an age over 89 in words (ninety-two)",
    ),
    (
        "AGE",
        rf"\((?P<v>(?i:ninety(?:[- ]{_UNIT})?|(?:a |one )?hundred(?: and)?(?:[- ](?:{_UNIT}|ten))?|9\d|1[01]\d))\)(?=[ \t]+[a-z])",
        "an age over 89 in brackets after a person ('Pt (ninety-four) fell')",
    ),
    (
        "AGE",
        r"\b(?i:(?:pt|patient|she|he|mom|dad|mother|father|grandma|grandpa|grandmother|grandfather) is|she's|he's|i'm|i am|turning|just turned)\s+(?P<v>9\d|1[0-1]\d)\b(?![/.%\d]|\s*(?:%|mg|kg|lb|bpm|percent|degrees|°))",
        "an age over 89",
    ),
    (
        "AGE",
        rf"(?:(?<=[{_LO}], )|(?<=[{_LO}] \())(?P<v>9\d|1[01]\d)(?:,[ \t]*(?=[a-z]|(?:M|F|male|female|man|woman)\b)|\)(?=[ \t]*[,.;a-z]))",
        "an age over 89 between commas after a name ('Harold Brandt, 92, presents')",
    ),
    (
        "NAME",
        r"(?<![\w.])(?!(?:U\.S|U\.K|A\.M|P\.M|M\.D|D\.O|R\.N|N\.P|P\.A|D\.C|B\.P|O\.T|P\.T|I\.V|I\.M|E\.R|E\.D|O\.R|A\.D|B\.C|E\.U|U\.N|I\.D|O\.D|O\.S|O\.U|Q\.D|P\.O|P\.R|N\.B|E\.G|I\.E|A\.S|A\.U|D\.D|S\.C|Ph\.D)\.(?![A-Z]\.)|(?:U\.S\.[AC]|C\.F\.R|D\.D\.S|D\.M\.D|M\.P\.H|R\.N\.C|L\.P\.N|C\.N\.A|A\.K\.A)\.)[A-Z]\.[A-Z]\.(?:[A-Z]\.)?(?![\w.])",
        "a person's initials ('J.R.')",
    ),
    (
        "FAX",
        rf"\b(?i:fax(?:ed)?)\b[^0-9(+\n]{{0,25}}?(?P<v>{_PHONE})",
        "a phone number after 'fax'",
    ),
    ("PHONE", rf"(?<![\w.-]){_PHONE}", "a telephone number pattern"),
    (
        "PHONE",
        _ctx(
            r"phone|tel\.?|cell|call(?: back)?|mobile|text|reach(?:ed)?(?: at)?",
            r"\d{10}|\d{3}[.-]\d{4}",
        ),
        "a 10-digit number after 'phone'",
    ),
    (
        "MRN",
        _ctx(
            r"MRN|MR#|MR|Med(?:ical)? rec(?:ord)?(?: number| no\.?)?|chart(?: number| no\.?)?|hospital no\.?",
            _GROUPED_ID,
        ),
        "a number after 'MRN' or 'medical record'",
    ),
    (
        "HEALTH_PLAN",
        _ctx(
            r"member(?: ID)?|MBI|Medicaid|Medicare|subscriber(?: ID)?|insured's ID|policy|health plan ID|plan ID",
            _GROUPED_ID,
        ),
        "a number after 'member ID' or 'MBI'",
    ),
    (
        "HEALTH_PLAN",
        r"\b[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y\d]\d[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y\d]\d[AC-HJKMNP-RT-Y]{2}\d\d\b",
        "the Medicare MBI pattern",
    ),
    (
        "HEALTH_PLAN",
        r"\b[1-9](?=[A-Z\d]{10}\b)(?:\d*[A-Z]){3}[A-Z\d]*\b",
        "an 11-character Medicare-style ID",
    ),
    ("HEALTH_PLAN", r"\b(?:EVG|SMI|PSM)\d{9}\b", "the lab's payer member-ID pattern"),
    ("ACCOUNT", _ctx(r"acct\.?|account|FIN", _GROUPED_ID), "a number after 'account' or 'FIN'"),
    ("ACCOUNT", r"\bCBF-\d{5}\b", "the practice's account-number pattern"),
    (
        "LICENSE",
        _ctx(
            r"licen[cs]e|lic\.?|DL|certificate(?: no\.?)?|cert\.?|state ID|DEA",
            rf"[{_UP}]{{1,5}}\.\d{{4,}}|[{_UP}]{{1,2}}\d{{6,}}|{_ID}(?: \d{{3,}})*",
        ),
        "a number after 'license' or 'certificate'",
    ),
    (
        "VEHICLE",
        _ctx(
            r"plate|tag|license plate",
            r"(?:[A-Z]{2}[ -](?=[A-Z0-9]*\d))?[A-Z0-9]{2,8}(?:[ -][A-Z0-9]{2,5})?",
        ),
        "a plate after 'plate'",
    ),
    (
        "VEHICLE",
        r"\b(?i:vehicle|car|truck|van|motorcycle|suv)(?:['’]s)?\s*(?:\(|:|is\s)?\s*(?P<v>(?=[A-Z0-9 -]{5,8}\b)(?=[A-Z -]*\d)(?=[0-9 -]*[A-Z])[A-Z0-9]{2,4}[ -]?[A-Z0-9]{2,5})\b",
        "a plate-shaped code after 'vehicle' or 'car'",
    ),
    (
        "VEHICLE",
        r"\b(?=[A-HJ-NPR-Z\d]*[A-HJ-NPR-Z])(?=[A-HJ-NPR-Z\d]*\d)[A-HJ-NPR-Z\d]{17}\b",
        "the 17-character VIN pattern",
    ),
    ("DEVICE", r"\(01\)\d{14}(?:\(\d\d\)[A-Za-z0-9]+)*", "a UDI (GS1 device identifier)"),
    (
        "DEVICE",
        _ctx(
            r"serial(?: no\.?| number)?|S/N|SN|UDI|transmitter|device",
            r"[A-Z0-9][A-Z0-9-]*\d[A-Z0-9-]*(?: \d{5,})?",
        ),
        "a number after 'serial' or 'device'",
    ),
    (
        "DEVICE",
        rf"\b(?i:(?:serial )?number on the (?:back|bottom|side|label|box|machine|device|pump|meter)(?: of (?:it|the \w+))?)\s+(?i:says|reads|is|shows)\s*:?\s*(?P<v>{_ID})",
        "a number read off a device ('the number on the back says')",
    ),
    (
        "BIOMETRIC",
        rf"\b(?i:{_BIOMETRIC_WORDS})\b[^.\n]{{0,35}}?\b(?P<v>(?=[a-z0-9-]{{8}})[a-z0-9-]*\d[a-z0-9-]*\b|{_ID})",
        "an ID after a biometric word",
    ),
    (
        "PHOTO",
        r"\b[\w-]+\.(?:jpe?g|JPE?G|png|PNG|gif|GIF|tiff?|TIFF?|heic|HEIC|bmp|webp|pdf|PDF)\b",
        "an image file name (photo)",
    ),
    (
        "OTHER_ID",
        r"(?:\b(?:ID|I\.D\.|No\.|Nr\.|number)|#)\s*[:#]?\s*(?:is\s+)?(?P<v>(?=[A-Z0-9-]{5})[A-Z0-9][A-Z0-9-]*\d[A-Z0-9-]*)\b",
        "an identifier after 'ID', '#' or 'No.'",
    ),
    (
        "OTHER_ID",
        r"\b(?i:rep|agent|employee|operator|staff|user|badge|tech|technician|representative|CSR|associate)\s+(?i:ID|#|no\.?|number)\s*[:#]?\s*(?P<v>[A-Z0-9][A-Z0-9-]{2,})\b",
        "the ID of a person (a representative's or employee's ID)",
    ),
    (
        "OTHER_ID",
        _ctx(
            r"auth(?:orization)?(?: on file| number| no\.?| code)?|prior auth(?:orization)?|pre-?cert(?:ification)?|specimen|requisition|encounter(?=\s*(?:#|ID\b|[Nn]o\.|[Nn]umber))|claim|ref(?:erence)?(?: number)?|study(?: ID)?|employee(?: ID)?|case(?: number)?|Rx(?=\s*#?\s*[A-Z0-9-]{5})|badge|confirmation|ticket|receipt|accession|job"
        ),
        "a number after 'claim' or 'reference'",
    ),
)
_DIGIT_ORDINALS = (
    "1st",
    "2nd",
    "3rd",
    "0th",
    "1th",
    "2th",
    "3th",
    "4th",
    "5th",
    "6th",
    "7th",
    "8th",
    "9th",
)
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "teenth", "tieth")  # fmt: skip
# Rules that cannot match unless the lower-cased note holds one of these strings: skipping
# them when it does not keeps the rules fast (the note is scanned once for each string).
_TRIGGERS: dict[str, tuple[str, ...]] = {
    "a date in words ('July fifth twenty twenty-six')": (*_ORDINALS, *_DIGIT_ORDINALS),
    "a date in words ('the fifth of July')": (*_ORDINALS, *_DIGIT_ORDINALS),
    "a date: month name, 'the', day ('December the 31st')": ("the",),
    "an ID after a biometric word": (
        "print",
        "voice",
        "retin",
        "iris",
        "palm",
        "vein",
        "geometry",
        "face",
        "facial",
        "gait",
        "dna",
        "biometric",
        "match",
        "recognition",
    ),
    "the last four digits of an SSN": ("ssn", "ss#", "social", "xx", "**"),
    "a number after 'SSN'": ("ssn", "ss#", "social"),
    "an employer identification number (EIN): it names the employer": (
        "ein",
        "employer",
        "federal",
        "tin",
        "tax",
    ),
    "a plate after 'plate'": ("plate", "tag"),
    "a plate-shaped code after 'vehicle' or 'car'": (
        "vehicle",
        "car",
        "truck",
        "van",
        "motorcycle",
        "suv",
    ),
    "a number after 'serial' or 'device'": ("serial", "s/n", "sn", "udi", "transmitter", "device"),
    "a number read off a device ('the number on the back says')": ("number on",),
    "a phone number after 'fax'": ("fax",),
    "an email address written out ('ann.k at gmail dot com')": ("dot",),
    "a web address without http:// (a domain and a path)": ("/",),
    "an international telephone number (+44 20 7946 0958)": ("+", "011"),
    "a number after 'license' or 'certificate'": ("lic", "dl", "cert", "state id", "dea"),
    "the ID of a person (a representative's or employee's ID)": (
        "rep",
        "agent",
        "employee",
        "operator",
        "staff",
        "user",
        "badge",
        "tech",
        "csr",
        "associate",
    ),
}
_COMPILED = tuple((cat, _compile(p), rule, _TRIGGERS.get(rule, ())) for cat, p, rule in _RULES)
# A leftover token with 6+ digits (or letters and 5+ digits): Safe Harbor (R), unless it is a
# known non-PHI code ("FY2026", a CPT code and an NPI after "NPI" stay).
_LONG_NUMBER = _compile(
    r"\b(?:\d{1,4}-(?=[A-Z]))?(?:[A-Z]{1,4}-?\d{5,}|[A-Z]{0,4}-?\d[\d-]{4,}\d)[A-Z]?\b"
)
_NOT_PHI_BEFORE = re.compile(r"(?:NPI|CPT|(?i:group|grp)|TIN|NDC|BIN|PCN|\$)\s*[:#]?\s*$")
_SHIFT = re.compile(
    r"(?:[01]\d|2[0-3])[0-5]\d-(?:[01]\d|2[0-3])[0-5]\d"
)  # "0700-1930": a shift, not an ID

# -- places -------------------------------------------------------------------------------
# the tuning places begin with the practice's towns
_CITY_NAMES = sorted({town.name for town in _PEOPLE.tuning_places}, key=len, reverse=True)
_STREET_TYPES = (
    r"St|Street|Ave|Avenue|Rd|Road|Ln|Lane|Dr|Drive|Ct|Court|Way|Blvd|Boulevard|Pl|Place|"
    r"Ter|Terrace|Cir|Circle|Pass|Hwy|Highway|Pkwy|Parkway|Trail|Trl|Row|Sq|Square|Loop|Crossing|"
    r"Xing|Run|Path|Alley|Aly|Plaza|Pike|Trace|Crescent|Grove|Close|Bend|Cove|Ridge|Point|Glen|"
    r"Heights|Commons|Walk"
    # more of the USPS street suffixes (Publication 28, appendix C1)
    r"|Spur|Hollow|Holw|Bluffs?|Creek|Crk|Crest|Hills?|Valley|Vly|View|Vw|Vista|Landing|Lndg|Ford|Gap|Knoll|Meadows?"
    r"|Orchard|Overlook|Pointe|Ranch|Shoals?|Springs?|Summit|Turnpike|Tpke|Expressway|Expy|Freeway|Fwy|Bypass"
    r"|Causeway|Harbor|Haven|Junction|Jct|Manor|Mews|Oval|Park|Shores?|Brooks?|Branch|Canyon|Dale|Estates|Falls"
    r"|Fork|Forge|Gardens?|Gateway|Greens?|Mills?|Pines|Prairie|Rapids|Reach|Cres|Cv|Rdg|Xing|Lk|Mtn"
)
# a unit after the street, any case: "Apt 3b", "Lot 17", "Bldg C Apt 31", "Trlr 9", "Unit 4"
_UNITS = r"(?:,?[ \t]+(?i:apt|apartment|unit|suite|ste|lot|trlr|trailer|bldg|building|rm|room|space|spc|fl|floor|flat)\b\.?[ \t]*#?[A-Za-z0-9-]{1,5}\b|,?[ \t]+#[ \t]?\d+[A-Za-z]?\b){0,2}"
# "1200 N 3rd St", "44 Heron Way": house number, optional direction, 1-3 words or an ordinal
_STREET = (
    rf"\b\d{{1,6}}[A-Z]?[ \t]+(?!(?:Minute|Hour|Day|Week|Month|Year|Times?|Point|Meter|Mile|Foot|Feet|Step)s?\b|Safe Harbor\b)(?:[NSEW]{{1,2}}\.?[ \t]+|(?:North|South|East|West)[ \t]+)?(?:(?:[{_UP}][{_LO}]+(?:['’]s)?|\d+(?:st|nd|rd|th))[ \t]+){{1,4}}(?:{_STREET_TYPES})\b\.?(?:[ \t]+[NSEW]{{1,2}}\b)?"
    # "9433 Calle Miraflores": the street type first
    rf"|\b\d{{1,6}}[ \t]+(?:Calle|Camino|Avenida|Via|Rue|Paseo|Avenue of the)[ \t]+[{_UP}][{_LO}]+(?:[ \t]+(?!(?i:apt|apartment|unit|suite|ste|lot|bldg)\b)[{_UP}][{_LO}]+)?"
)
# the same in lower case, as patients type it: "2216 stillwater dr", "5328 n 14th st"
_LOWER_STREET = (
    r"\b\d{1,6} (?:[nsew]{1,2}\.? )?(?:[a-z]+(?:['’]s)? |\d+(?:st|nd|rd|th) ){1,3}"
    r"(?:st|street|ave|avenue|rd|road|ln|lane|dr|drive|ct|court|blvd|boulevard|pl|ter|cir|hwy|pkwy|trl)\b\.?"
)
# rural and numbered roads, PO boxes: "7670 County Road 1150 N", "RR 2 Box 14", "PO Box 147"
_ROAD = (
    r"\b\d{1,6}\s+(?:County Road|County Rd\.?|CR|State Route|State Road|State Hwy|SR|Route|Rte\.?|"
    r"US Highway|US Hwy|US|Highway|Hwy|Farm Road|FM|Township Road|TR)\s+\d{1,5}[A-Z]?(?:\s+[NSEW]{1,2}\b)?"
)
_BOX = r"\b(?:P\.?\s?O\.?\s?(?i:box)|Post Office Box|POST OFFICE BOX|(?:RR|R\.R\.|Rural Route)\s*\d+,?\s+Box|HC\s*\d+\s+Box)\s*#?\d+"
# a street in capitals, as forms and mailing labels print it: "1420 OLD MILL RD APT 3"
_CAPS_STREET = (
    rf"\b\d{{1,6}}[A-Z]?[ \t]+(?!(?:AM|PM|HRS?|MIN|MG|ML|MCG|UNITS?|TABS?|CAPS?|X)\b)(?:[NSEW]{1, 2}\.?[ \t]+)?(?:[A-Z][A-Z'’]+[ \t]+|\d+(?:ST|ND|RD|TH)[ \t]+){{1,4}}"
    rf"(?:{_STREET_TYPES.upper()})\b\.?(?:[ \t]+[NSEW]{{1,2}}\b)?"
)
_ADDRESS = rf"(?:{_STREET}|{_ROAD}|{_BOX})"
_STATE_NAMES = (
    r"(?:Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|"
    r"Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|"
    r"Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|"
    r"New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|"
    r"South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|"
    r"Wisconsin|Wyoming)"
)
# words that label a number that is no ZIP code ("Group 30730")
_ID_WORDS = r"(?:Group|Grp|Member|Policy|Plan|Claim|Account|Acct|Auth|Ref|Case|Rx|Room|Rm|Suite|Unit|Bay|Box|Lot|Batch|Order|Invoice|Ticket|Code|Tooth|Item|Page|Job|Extension|Ext)"
# words after a place name that make it a facility, practice or payer ("Clearwater Dental Group")
_ORG_PLACE_AFTER = (
    r"Hospital|Medical|Clinic|Health|Healthcare|Dental|Imaging|Family|Urgent|Behavioral|Surgery|Surgical|Center|Care"
    r"|Group|Associates|Pharmacy|Mutual|Insurance|Plan|Orthopedics?|Pediatrics?|Radiology|Labs?|Laboratory|Diagnostics"
    r"|Rehab|Rehabilitation|Therapy|Wellness|Vision|Eye|Hearing|Sleep|Cancer|Oncology|Heart|Spine|Dermatology"
    r"|Cardiology|Women's|Children's|Hospice|Nursing|Home|Senior|Living|Manor|Village|Estates|Community|Regional"
    r"|Memorial|Physicians|Partners|Specialists|Institute|University|College|School|Bank|Credit|Savings|Choice|Advantage"
)
_CAP = rf"[{_UP}][{_LO}]+(?:['’]s)?(?:[- ](?:(?:du|de|la|of|on|upon)\s|(?:on|upon|under|in|by|the)-)?[{_UP}][{_LO}]+(?:['’]s)?){{0,2}}"  # a place of 1-3 words
_STATE = rf"(?:(?!MD|DO|NP|PA|RN)[A-Z]{{2}}|{_STATE_NAMES})"  # not a credential ("Lee, MD")
_ANY_STATE = rf"(?:[A-Z]{{2}}|{_STATE_NAMES})"  # where a street or a ZIP code makes it a state
_LOWER_PLACE = r"[a-z]+(?:['’]s)?(?: [a-z]+(?:['’]s)?)?"
_PLACE_RULES = (
    (
        rf"(?:{_STREET}){_UNITS}",
        "a street address",
    ),
    (rf"{_LOWER_STREET}{_UNITS}", "a street address in lower case"),
    (rf"{_CAPS_STREET}{_UNITS}", "a street address in capitals"),
    (
        rf"(?:{_CAPS_STREET}|{_BOX}){_UNITS},[ \t]*(?P<v>[A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+){{0,2}})(?=,?[ \t]+[A-Z]{{2}}\b)",
        "a town in capitals after a street address",
    ),
    (
        rf"(?:{_LOWER_STREET}){_UNITS},[ \t]*(?P<v>{_LOWER_PLACE}),[ \t]*(?:{_ANY_STATE}|(?i:{_STATE_NAMES})|[a-z]{{2}}(?=,?[ \t]+\d{{5}}))\b",
        "a town in lower case between a street and a state",
    ),
    (
        rf"\b(?:moved (?:out of|from|to|here from|away from)|lives? in|living in|from|in|near)[ \t]+(?P<v>{_LOWER_PLACE}),[ \t]*{_STATE}\b",
        "a town in lower case before a state",
    ),
    (rf"{_ROAD}|{_BOX}", "a rural road, route or PO box address"),
    (
        r"(?<=, )(?:Apt\.?|Unit|Suite|Ste\.?|Apartment|Lot|Rm\.?|Room|Bldg\.?|Flat)\b\s*#?\w+|(?<=\w )#\d+\b(?=,)"
        r"|\b(?:Apt\.?|Unit|Suite|Ste\.?|Apartment|Flat)[ \t]*#?[A-Za-z0-9-]{1,5}(?=,[ \t]*\d{1,6}[A-Z]?[ \t]+[A-Za-z])",
        "an apartment or unit number",
    ),
    (rf"\b{_trie(_CITY_NAMES)}\b", "a town in the lab's place list"),
    (rf"\b(?P<v>{_CAP}) County\b", "a county name"),
    # a form's fields: "City: Soller Point", "County: Sable Parish", "Street: 8024 Juniper Hollow Rd"
    (
        rf"\b(?i:city|town|city/town|village|municipality|neighbou?rhood)[ \t]*:[ \t]*(?P<v>{_CAP})",
        "a town after 'City:'",
    ),
    (
        rf"\b(?i:county|parish|borough)[ \t]*:[ \t]*(?P<v>{_CAP}(?: (?:County|Parish|Borough))?)",
        "a county after 'County:'",
    ),
    (
        r"\b(?i:street|address|addr\.?|home address|mailing address|employer address|residence|street address)[ \t]*:[ \t]*(?P<v>\d{1,6}[ \t]+[A-Za-z][^;|\n,]*?[^;|\n,\s.])(?=[ \t]{2,}|[ \t]*(?:[;|\n,]|\.?$))",
        "a street after 'Street:' or 'Address:'",
    ),
    # a place named by a geographic word: "Ferris Gap", "Tallow Creek", "Lake Abernath", "Port Anselm"
    (
        rf"(?<!\d[ \t])\b(?P<v>(?:[{_UP}][{_LO}]+(?:['’]s)? ){{1,2}}(?:Creek|Falls|Springs|Hollow|Junction|Landing|Gap|Ford|Flats|Reach|Bluffs?|Heights|Shoals|Crossing|Ferry|Forge|Rapids|Prairie|Grove|Harbou?r|Mills|Corners?))\b(?![ \t]+(?:[{_UP}][{_LO}]+ )?(?:{_STREET_TYPES}|{_ORG_PLACE_AFTER})\b)",
        "a town named by a geographic word ('Tallow Creek')",
    ),
    (
        rf"(?<!\d[ \t])\b(?!{_STATE_NAMES}\b)(?P<v>(?:Lake|Mount|Mt\.|Fort|Ft\.|Port|Glen|Cape|North|South|East|West|New) [{_UP}][{_LO}]+)\b(?![ \t]+(?:{_STREET_TYPES}|{_ORG_PLACE_AFTER})\b)",
        "a town named by a geographic word ('Lake Abernath')",
    ),
    # a named housing complex: "the Lakeview Terrace apartments", "Shady Acres mobile home park"
    (
        rf"\b(?P<v>{_CAP})[ \t]+(?i:apartments|apts|condos|condominiums|townhomes|trailer park|mobile home park|manufactured home community)\b",
        "a housing complex",
    ),
    # a neighbourhood: "in the Cannery District neighborhood of ..."
    (
        rf"\b(?P<v>{_CAP})[ \t]+(?i:neighbou?rhood|subdivision|section of town|part of town)\b",
        "a neighbourhood",
    ),
    (
        rf"\b(?P<v>{_CAP}),[ \t]+{_STATE}\b",
        "a town before a state",
    ),
    (
        rf"\((?P<v>{_CAP})[ \t]+(?i:office|clinic|branch|location|site|campus)\)",
        "a town naming an office ('(Wrenfield office)')",
    ),
    (
        rf"\b(?P<v>the[ \t]+{_CAP}[ \t]+(?i:district|quarter|ward|end|side|estate))\b",
        "a neighbourhood ('the Holloway district')",
    ),
    (
        rf"\b(?i:lives|living|resides|residing|moved)[ \t]+(?:alone[ \t]+)?(?:in|to)[ \t]+(?:the[ \t]+)?{_CAP}(?:[ \t]+(?i:district|quarter|ward|neighbou?rhood|area|section|subdivision))?,[ \t]+(?P<v>{_CAP})(?=[ \t]*[;.\n(]|[ \t]+(?:with|since|and|for)\b)",
        "a town after a neighbourhood ('lives in Kinnear Park, Quellport')",
    ),
    (
        rf"\b(?:lives in|resident of|living in|moved to|residing in|born in|lives near|moved here from)\s+(?!(?:Dr|Mr|Mrs|Ms|St|Mt)\b)(?P<v>{_CAP})(?=,\s*(?:[A-Z]{{2}}\b|Illinois)|\s+(?:with|in|on|and|since)\b|[.;\n])",
        "a town after 'lives in'",
    ),
    (
        rf"\b(?:in|near|outside(?: of)?|(?<!\d )(?<![A-Z0-9] )from|to|of)\s+(?P<v>{_CAP})\b",
        "a town after 'in', 'near' or 'from'",
    ),
    (
        rf"{_ADDRESS}{_UNITS}\.?,[ \t]*(?P<v>{_CAP})",
        "a town after a street address",
    ),
    (
        rf"{_ADDRESS}{_UNITS}\.?,?[ \t]*\n[ \t]*(?P<v>{_CAP})(?=,?[ \t]+(?:{_ANY_STATE}\b|\d{{5}}))",
        "a town after a street address",
    ),
    (
        rf"(?<=, )(?!{_STATE_NAMES}\b|{_ID_WORDS}\b)(?P<v>{_CAP}),?[ \t]+(?:{_STATE},?[ \t]+)?\d{{5}}(?:-\d{{4}})?\b",
        "a town before a ZIP code",
    ),
    (
        rf"(?:(?<=\n)|^)(?!{_STATE_NAMES}\b)(?P<v>{_CAP}),?[ \t]+{_ANY_STATE},?[ \t]+\d{{5}}(?:-\d{{4}})?\b",
        "a town before a ZIP code",
    ),
    (
        rf"\b(?:[A-Z]{{2}}|{_STATE_NAMES}|{_STATE_NAMES.lower()})\s+(?P<v>\d{{5}}(?:-\d{{4}})?)\b",
        "a ZIP code after a state",
    ),
    (
        rf"(?:\b(?i:zip(?: ?code)?|postal code)\s*[:#]?\s*|, (?!{_ID_WORDS}\b){_CAP} )(?P<v>\d{{5}}(?:-\d{{4}})?)\b",
        "a ZIP code after a town",
    ),
)
_PLACES = tuple((_compile(p), rule) for p, rule in _PLACE_RULES)
# "County" in "X County" belongs to the span: widen the county rule to the whole phrase
_COUNTY = _compile(rf"\b{_CAP} (?:County|Parish|Borough|Township)\b")

# -- names ---------------------------------------------------------------------------------
_KNOWN_NAMES = sorted(
    {*_PEOPLE.tuning_first, *_PEOPLE.tuning_last}
    | {n.upper() for n in (*_PEOPLE.tuning_first, *_PEOPLE.tuning_last)},
    key=len,
    reverse=True,
)
_NAME_LIST = re.compile(rf"\b{_trie(_KNOWN_NAMES)}\b")
_EMPLOYERS = re.compile(rf"(?:{'|'.join(map(re.escape, _PEOPLE.tuning_employers))})")
# a capitalised word with a lower-case letter ("Okafor", "O'Donovan", "McAdams", "Ruiz-Soto")
_L = f"{_UP}{_LO}'’"
_NAME_WORD = rf"[{_UP}][{_L}]*[{_LO}][{_L}]*(?:-[{_UP}{_LO}][{_L}]*[{_LO}][{_L}]*)?"
# particles inside a name: "van der Berg", "dos Anjos", "Lo Russo", "Ó Ceallaigh", "Ní Bhriain", "bin Zayed"
_PARTICLE_WORDS = (
    "van", "von", "der", "den", "de", "del", "della", "dei", "di", "da", "du", "la", "le", "lo", "los", "las",
    "dos", "das", "do", "ter", "ten", "op", "bin", "ibn", "bint", "al", "el", "Van", "Von", "Der", "Den", "De",
    "Del", "Della", "La", "Le", "Lo", "Da", "Di", "Du", "Dos", "Das", "Ó", "Ní", "Nic", "Mac", "Mc", "Ua", "Uí",
    "Bin", "Ibn", "Al", "El", "Abu", "Ah", "Ap",
)  # fmt: skip
_PARTICLE = f"(?:{'|'.join(_PARTICLE_WORDS)})"
# the same in capitals: "DOS ANJOS", "NÍ BHRIAIN", "VAN DER BERG"
_CAPS_PARTICLE = "|".join(sorted({p.upper() for p in _PARTICLE_WORDS} | {r"ST\."}))
# a generational suffix after a surname: "Begay IV", "Nguyen Jr.", "Banks Sr."
_GENERATION = r"(?:Jr\.?|Sr\.?|JR\.?|SR\.?|II|III|IV)"
_CREDENTIALS = (
    r"MD|DO|NP|PA-C|PA|RN|LPN|LVN|APRN|FNP|FNP-C|DNP|CNM|CNS|CRNA|DPM|DDS|DMD|OD|AuD|RPh|PharmD|CPhT|CPC|CNA"
    r"|CMA|LCSW|LMSW|MSW|LMFT|LPC|LCPC|DPT|PT|OT|OTR|SLP|RD|RDH|RRT|PhD|PsyD|EdD|FACP|FACS|BSN|MSN|MA|MPH"
    r"|EMT|EMT-B|EMT-P|NRP|Paramedic|MDiv|DMin|BCC|CCM|CHW|DC|LAc|ATC"
    # board-certified nurse practitioners and degrees from outside the US
    r"|FNP-BC|ANP-BC|ACNP-BC|AGACNP-BC|AGPCNP-BC|PMHNP-BC|AGNP-C|ANP-C|NP-C|CCRN|CNL|MBBS|MBChB|MBBCh|BDS|FRCS|MRCP"
)
# a person: "Ana", "R. Cotton", "Rosalind L. del Rio", "Margaret \"Peggy\" Ibáñez", "Kaitlyn St. John"
_PERSON = (
    rf"(?:[{_UP}]\.[ \t]?)?(?:St\. (?=[{_UP}][{_LO}]+-[{_UP}]))?(?:{_PARTICLE} )*{_NAME_WORD}"
    rf"(?:[ \t](?:[{_UP}]\.[ \t]|\"[{_UP}][{_LO}]+\"[ \t]|(?:{_PARTICLE} )+|(?:St\.|Saint) )?{_NAME_WORD}){{0,2}}"
)
_RELATION_WORDS = (
    "daughter", "son", "wife", "husband", "sister", "brother", "niece", "nephew", "grandson", "granddaughter",
    "mother", "father", "mom", "dad", "spouse", "partner", "guardian", "caregiver", "aunt", "uncle", "cousin",
    "fiance", "fiancee", "fiancé", "fiancée", "roommate", "grandmother", "grandfather", "grandma", "grandpa",
    "stepson", "stepdaughter", "neighbor", "neighbour", "friend", "boyfriend", "girlfriend", "kid", "child",
    "baby", "toddler", "grandkid", "grandchild", "stepmom", "stepdad", "stepmother", "stepfather", "housemate",
    "landlord", "landlady", "tenant", "aide", "home aide", "interpreter", "chaplain", "pastor", "priest",
    "rabbi", "imam", "coworker", "co-worker", "boss", "manager", "supervisor", "foreman", "teacher", "coach",
    "sponsor", "poa", "proxy", "sitter", "babysitter", "nanny", "ex-wife", "ex-husband",
)  # fmt: skip
_RELATIONS = _trie(_RELATION_WORDS)
# labels that a person's name follows in forms, logs and letters
_PERSON_LABELS = (
    r"[Pp]atient|PATIENT|Pt|PT|FROM|TO|CC|Cc|Caller|Guarantor|Debtor(?:/guarantor)?|Insured|Subscriber|SUBSCRIBER"
    r"|Member|Employee|EMPLOYEE|Claimant|Injured (?:worker|employee)|Witness|Supervisor|Rep|Agent|Representative"
    r"|Interpreter|Landlord|Clinician|Technician|Tech|Provider|PROVIDER|Attending|Surgeon|SURGEON|Ordering|ORDERING"
    r"|Referring|REFERRING|Referred by|Prepared by|Dictated by|Transcribed by|Reviewed by|Completed by|Logged by"
    r"|Entered by|Verified by|Electronically signed(?: by)?|[Ss]igned(?: by)?|SIGNED|REFERRAL FOR|Referral for|RE|Re"
    r"|Attn|ATTN|Contact|Emergency contact|POA|Guardian|Legal guardian(?: / POA)?|Treating (?:physician|dentist|provider|clinician)"
    r"|Crew|Driver|Owner|Tenant|Spouse|Partner|Parent|Household member|Caregiver|Aide|Chaplain|Social worker"
    r"|Case manager|Nurse|Therapist|Pharmacist|Physician|Dentist|Counselor|Paramedic|EMT|Resident|Student|Scribe"
    r"|(?:EOB|Statement|Bill|Invoice|Letter|Summary|Results?|Report|Prepared) for|EOB FOR|STATEMENT FOR"
)
# fields that hold nothing but a name: what follows is a name, whatever the word lists say
_NAME_FIELDS = (
    r"[Pp]t [Nn]ame|[Pp]atient [Nn]ame|Name|NAME|(?:Last|First|Middle|Given|Family|Preferred|Maiden|Legal) [Nn]ame|(?:[Mm]other's )?[Mm]aiden [Nn]ame"
    r"|(?:LAST|FIRST|MIDDLE|PREFERRED) NAME|Nickname|Goes by|AKA|a\.k\.a\.|Surname|SURNAME"
)
# a word of a name in any case ("Bevilacqua", "AH", "O'NEIL"), a surname of one to three words
_CAPWORD = rf"[{_UP}][{_L}]*(?:-[{_UP}{_LO}][{_L}]*)?"
_SURNAME = (
    rf"(?:{_PARTICLE} )*{_CAPWORD}(?: (?:{_PARTICLE} )*{_CAPWORD}){{0,2}}?(?: {_GENERATION})?"
)
_NAME_CUES = (
    (
        rf"\b(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Doctor|DR|MR|MRS|MS)\.?\s+(?P<v>{_PERSON})",
        "a name after a title (Dr., Mr., Ms.)",
    ),
    (rf"\b(?i:{_RELATIONS})\b,?\s*\(?(?P<v>{_PERSON})", "a name after a relationship word"),
    (
        rf"\b(?:[Pp]atient|Pt|pt|Name|Caller|Guarantor|Debtor|Insured|Subscriber|Member|RE|Re|To|From|Signed|signed by|by|Attending|Provider|Contact|kin|supervisor|prescriber|[Cc]are of)\b[\s:.]*,?[ \t]*(?P<v>{_PERSON})",
        "a name after 'Patient:', 'Name:' or 'signed by'",
    ),
    (
        rf"\b(?:Name|Pt|pt|Patient|patient|Debtor|RE|Member|Subscriber|Insured|Guarantor)\b:?[ \t]*(?P<v>(?:{_PARTICLE} )*[{_UP}][{_L}-]+,[ \t]*[{_UP}][{_L}-]+)",
        "a LAST, FIRST name",
    ),
    (
        rf"(?:^|\n|\b(?:PATIENT|Patient|Pt|ORDERING|Ordering|SUBSCRIBER|Subscriber|Member|NAME|Name|Guarantor|Insured|SURGEON|PROVIDER|RE)\b:?)[ \t]*(?P<v>(?:(?:{_CAPS_PARTICLE}) )*[{_UP}][{_UP}'’-]+, [{_UP}][{_UP}'’-]+(?: [{_UP}]\b(?![.'’-]\w))?)",
        "a LAST, FIRST M name in capitals after a label",
    ),
    (
        rf"\b(?:{_NAME_FIELDS})[ \t]*:[ \t]*(?P<v>(?:{_PARTICLE} )*{_CAPWORD}(?: (?:{_PARTICLE} )*{_CAPWORD}){{0,2}}(?: {_GENERATION})?(?:,[ \t]*{_CAPWORD}(?:[ -]{_CAPWORD})?(?: [{_UP}]\b\.?(?![\w'’-]))?)?)",
        "a name in a name field ('Last Name:'), after a label",
    ),
    (
        rf"\b(?i:{_PERSON_LABELS})[ \t]*:[ \t]*(?P<v>[{_UP}][{_UP}'’-]+(?: [{_UP}]\.?)?(?: [{_UP}][{_UP}'’-]+){{1,2}})\b(?![a-z])",
        "a name in capitals after a person's label ('EOB for: ADEBAYO T OKONJO')",
    ),
    (
        rf"\b(?:{_PERSON_LABELS})[ \t]*:[ \t]*(?P<v>{_PERSON}(?:,? {_GENERATION}(?![\w-]))?)",
        "a name after a person's label ('Rep:', 'Witness:', 'First Name:')",
    ),
    (
        rf"\b(?:{_PERSON_LABELS})\b[ \t]*:?[ \t]*(?P<v>{_SURNAME},[ \t]*(?!(?:{_CREDENTIALS})\b){_CAPWORD}(?:[ -]{_CAPWORD})?(?: {_GENERATION}(?![\w-]))?(?: [{_UP}]\b\.?(?![\w'’-]))?)",
        "a 'Last, First M' name after a person's label",
    ),
    (
        rf"\b[Ss]pell(?:ed|s|ing)?\b[^.\n]{{0,25}}?(?P<v>\b[{_UP}](?:[-. ]?[{_UP}]){{2,}})\b",
        "a name spelled out letter by letter",
    ),
    (rf"\b(?P<v>[{_UP}](?:-[{_UP}]){{3,}})\b", "a name spelled out letter by letter"),
    (
        rf"(?P<v>{_NAME_WORD}[ \t]+{_NAME_WORD})(?=,?\s+(?:phoned|called|reports|presented|states|denies|is an?\b|was\b|has been|\((?:date of birth|DOB|born|age|\d)))",
        "a name before 'reports', 'phoned' or '(DOB'",
    ),
    (r"\b(?P<v>[A-Z][A-Z'-]{2,},\s*[A-Z][A-Z'-]{2,})\b", "a LAST, FIRST name in capitals"),
    (
        rf"(?:(?:^|\n)[ \t]*-|(?:^|\s)--)-?[ \t]*\n?[ \t]*(?P<v>{_PERSON})",
        "a name signing a note ('-- Name')",
    ),
    (
        rf"\b(?:Dear|Hi|Hello|Hey|Thanks|Thank you),?[ \t]+(?P<v>{_PERSON})",
        "a name after a greeting ('Dear', 'Hi')",
    ),
    (
        rf"\b(?i:per|told|asked|informed|goes by|known as|called|prefers to be called|prefers to go by|nicknamed|a\.k\.a\.|aka|[Tt]his is|[Mm]y name is|I'm|I am|reached|paged|texted|notified|accompanied by|spoke (?:with|to|w/)|discussed with|talked (?:with|to)|left (?:a )?message for|message from|call from|visited by|driven by|on behalf of|care of|contact)[ \t]+(?P<v>{_PERSON})",
        "a name after 'spoke with', 'per' or 'told'",
    ),
    (rf"\((?P<v>{_NAME_WORD}[ \t]+{_NAME_WORD})\)", "a two-word name in parentheses"),
    (
        r"\b(?:EMPLOYER|EMPLOYED BY|WORKS AT|WORKS FOR|Employer|employer)[:,]?[ \t]+(?P<v>[A-Z][A-Z&'’-]+(?: (?:[A-Z][A-Z&'’-]+|&)){1,4})\b(?![a-z])",
        "an employer's name in capitals",
    ),
    (
        rf"\b(?:works(?: part[- ]time| full[- ]time| nights| days| weekends| as an? [a-z]+(?:[ -][a-z]+){{0,3}})? (?:at|for)|employed (?:by|at)|(?:my |his |her |the )?[Ee]mployer[:,]?|at work|driver for|job at|work \()[ \t]*\(?(?P<v>{_NAME_WORD}(?:[ \t]+(?:(?:Bros|Co|Inc|Corp|Ltd|Assoc|Mfg)\.|{_NAME_WORD}|of|&))*)",
        "an employer's name",
    ),
    # the employer of a person by the role or the history: "retired from Golden Lotus Nail Spa",
    # "adjuster at Nguyen Legal PLLC", "laid off from", "(POA) at Truong & Associates"
    (
        rf"\b(?:retired from|laid off from|quit|fired from|formerly (?:at|with)|used to work (?:at|for)|(?i:attorney|adjuster|paralegal|lawyer|counsel|case worker|claims examiner)|\((?i:POA|guardian)\)) at[ \t]+(?P<v>(?:(?:{_PARTICLE}) )*{_NAME_WORD}(?:[ \t]+(?:(?:Bros|Co|Inc|Corp|Ltd|Assoc|Mfg)\.|{_NAME_WORD}|PLLC|LLC|LLP|PC|of|&))*)".replace(
            " at[", "(?: at)?["
        ),
        "an employer's name by its cue ('retired from', 'attorney at')",
    ),
)
_NAMES = tuple((_compile(p), rule) for p, rule in _NAME_CUES)
# cues that come after the name: found first, then the name is read backwards from them (faster
# than trying a name at every capital letter)
_SUFFIX_CUES = (
    (
        rf",?[ \t]+(?:{_CREDENTIALS})\b(?!-\w)",
        "a name before a credential (MD, NP, RN)",
    ),
    (
        rf"[ \t]+\((?:his|her|their|the patient's|pt's)?[ \t]*(?i:{_RELATIONS})\)",
        "a name before '(her daughter)'",
    ),
    (
        r"(?:[ \t]+\((?i:the )?(?:patient|pt)\)|,[ \t]+\d{1,3} ?(?:[MF]\b|yo\b|y/o|y\.o\.|-year-old|-yo\b))",
        "a name before '(patient)' or an age and sex ('Hope Rivers, 34F')",
    ),
    (
        r"[ \t]+(?:reports|states|denies|phoned|presented|complains|endorses|admits|verbalized|verbalizes)\b",
        "a name before 'reports', 'denies' or 'states'",
    ),
)
_SUFFIXES = tuple((_compile(p), rule) for p, rule in _SUFFIX_CUES)
# a business named as someone's employer right before it: "of Dunmore Tool & Die (employer)";
# the cue is found first and the name read backwards from it (a scan from every capital is slow)
_EMPLOYER_AFTER = _compile(
    r"[ \t]+\((?i:employer|his employer|her employer|their employer|workplace)\)"
)
_ORG_AT_END = re.compile(
    rf"(?<![{_L}\w'’-])(?P<v>{_NAME_WORD}(?:[ \t]+(?:{_NAME_WORD}|of|&)){{0,4}})$"
)
_EMPLOYER_BEFORE_CUE = "an employer's name before '(employer)'"


def _before_employer_cue(text: str) -> Iterable[Found]:
    """Employers right before '(employer)'."""
    for m in _EMPLOYER_AFTER.finditer(text):
        if org := _ORG_AT_END.search(text, max(0, m.start() - 80), m.start()):
            yield Found(org.start("v"), org.end("v"), "NAME", org.group("v"), _EMPLOYER_BEFORE_CUE)


_PERSON_AT_END = re.compile(rf"(?<![{_L}\w.-])(?P<v>{_PERSON})$")
# the same in capitals ("J. OKONKWO NP", "TOBIAS WREN (SON)"): kept only when a word is a name
_CAPS_PERSON_AT_END = re.compile(
    rf"(?<![\w.'’-])(?P<v>(?:[{_UP}]\.[ \t]?)?[{_UP}][{_UP}'’-]+(?: (?:(?:{_CAPS_PARTICLE}) )*[{_UP}][{_UP}'’-]+){{0,2}})$"
)
_CAPS_WORDS = re.compile(rf"[{_UP}'’-]{{2,}}")
_CAPS_PARTICLE_SET = frozenset(p.upper() for p in _PARTICLE_WORDS)


def _caps_name_kinds(name: str) -> list[str]:
    """The kinds of the words of a name in capitals, particles left out ('Ó DÁLAIGH')."""
    return [_kind(w.title()) for w in _CAPS_WORDS.findall(name) if w not in _CAPS_PARTICLE_SET]


def _caps_name_with_cue(name: str) -> bool:
    """A name in capitals next to a strong cue (a credential, a person's label): no English or
    medical word, and a word in the name lists or two long words no list knows ('HANAN WIJNBERG')."""
    kinds = _caps_name_kinds(name)
    words = _CAPS_WORDS.findall(name)
    if not kinds or "word" in kinds or "stop" in kinds:
        return False
    return "name" in kinds or (len(kinds) >= 2 and all(len(w) >= 3 for w in words))


def _before_suffix_cues(text: str) -> Iterable[Found]:
    """Names right before a credential or '(her daughter)'."""
    for pattern, rule in _SUFFIXES:
        for m in pattern.finditer(text):
            name = _PERSON_AT_END.search(text, max(0, m.start() - 60), m.start())
            if name:
                yield Found(name.start("v"), name.end("v"), "NAME", name.group("v"), rule)
            elif (
                (caps := _CAPS_PERSON_AT_END.search(text, max(0, m.start() - 60), m.start()))
                and m.group().strip(" ,(").isupper()
                and _caps_name_with_cue(caps.group("v"))
            ):
                yield Found(caps.start("v"), caps.end("v"), "NAME", caps.group("v"), rule)


# Capitalised words that cues may capture but are never names here.
_STOP = frozenset(
    ["The", "This", "That", "He", "She", "They", "It", "His", "Her", "Pt", "Patient", "Dr", "Mr", "Ms", "Mrs", "MD", "DO", "NP", "RN", "Home", "Phone", "Call", "Fax", "Date", "Plan", "Dx", "Dear", "Sincerely", "Please", "Insurance", "Medicare", "Medicaid", "Member", "Acct", "Account", "MRN", "DOB", "DOS", "SSN", "Age", "Sex", "Seen", "Signed", "Address", "Reason", "Records", "Labs", "Exam", "Assessment", "Discharge", "Admission", "Hospital", "Health", "Device", "Photo", "Claim", "Note", "Coded", "Online", "Payer", "Balance", "Statement", "Next", "Denies", "Wears", "Lives", "Advised", "Routed", "Also", "Forwarded", "Fingerprint", "Cardiology", "Family", "Medicine", "Implanted", "Dictated", "Emergency", "Billing", "Guarantor", "Debtor", "Caller", "Msg", "Best", "Chart", "Vitals", "Impression", "She", "He", "Her", "Him", "Thank", "Kind", "Regards", "Voicemail", "Message", "Hospital", "Collections", "Vehicle", "See", "PCP", "ER", "CXR", "SOAP", "HPI", "Hx", "Rx", "Tel", "Cell", "Email", "Mail", "Portal", "Pacemaker", "Attending", "Provider", "Contact", "Name", "ID"]
)  # fmt: skip


# -- general word lists: any name, any US town (datasets/deid/names, see its README) -------------
# words that follow a town in the name of a payer or facility ("Crestview Choice PPO")
_ORG_WORDS = frozenset(["Choice", "Health", "Plan", "Plans", "Medical", "Hospital", "Clinic", "Center", "Pharmacy", "Insurance", "Mutual", "Benefit", "Benefits", "Advantage", "Care", "Family", "Internal", "Surgery", "Surgical", "Orthopedics", "Cardiology", "Associates", "Practice", "Regional", "Memorial", "Community", "Bank", "Savings", "Credit", "Public", "School", "Schools", "Library", "University", "College"]) | frozenset(_ORG_PLACE_AFTER.replace("?", "").replace("(", "").replace(")", "").split("|"))  # fmt: skip
_FACILITY = frozenset(["Emergency", "Hospital", "Medical", "Clinic", "Center", "Surgery", "Surgical", "Orthopedics", "Cardiology", "Associates", "Practice", "Pharmacy"])  # fmt: skip


def _word_list(name: str) -> frozenset[str]:
    return frozenset(
        (datasets_dir() / "deid" / "names" / name).read_text(encoding="utf-8").split("\n")
    ) - {""}


_FIRST_NAMES = _word_list("first_names.txt") | set(_PEOPLE.tuning_first)  # Faker's person providers
_LAST_NAMES = _word_list("last_names.txt") | set(_PEOPLE.tuning_last)
_COMMON_WORDS = _word_list("common_words.txt")  # English (SCOWL) and the lab's medical words
_US_PLACES = _word_list("us_places.txt") | set(_CITY_NAMES)  # GeoNames, 1,000 people or more
# Capitalised words that are neither names nor towns, though a name or place list has them:
# eponyms and brand names (clinical_words.txt), months, states, payers.
_CLINICAL_WORDS = frozenset(w for w in _word_list("clinical_words.txt") if not w.startswith("#"))
_NOT_NAMES = _STOP | frozenset(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New", "Hampshire", "Jersey", "Mexico", "York", "North", "South", "Carolina", "Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania", "Rhode", "Island", "Tennessee", "Texas", "Utah", "Vermont", "Virginia", "Washington", "West", "Wisconsin", "Wyoming", "Aetna", "Cigna", "Humana", "Anthem", "Kaiser", "Tricare", "Medigap", "Evergreen", "Prairie", "UnitedHealthcare", "BlueCross", "BlueShield", "Ambetter", "Molina", "Centene", "Wellcare", "Obj", "Subj", "Tdap", "Covid", "Hgb", "Dexa", "Epic", "Cerner", "Subjective", "Objective", "Plan", "Assessment", "Hospitalist", "Nurse", "Muslim", "Christian", "Catholic", "Jewish", "Hindu", "Buddhist", "Sikh", "Baptist", "Methodist", "Lutheran", "Mormon", "Orthodox", "Protestant", "Doctor", "Dest", "Destination"]
)  # fmt: skip
_NAME_TOKEN = re.compile(_NAME_WORD)
# words of one name: one space, maybe a middle initial, a quoted nickname, particles or "St."
_RUN_GAP = re.compile(rf" (?:[{_UP}]\. |(?:{_PARTICLE} )+|St\. )?| \"|\" ")
_ORG_SUFFIX = (
    r"Inc|LLC|Ltd|Co-op|Co|Corp|Company|Cooperative|Logistics|Creamery|Dairy|Quarry|Library|Dept|"
    r"Agency|Installers|Works|Solutions|Contractors|Excavating|Welding|Seafood|Poultry|Cleaning|Moving|"
    r"Farms?|Mills?|Foods|Bank|Motors|Lumber|Hardware|Grocery|Bakery|Diner|Construction|Trucking|"
    r"Freight|Elevator|Supply|Industries|Manufacturing|Foundry|Cannery|Packing|Railroad|Mine|"
    r"Landscaping|Roofing|Plumbing|Salon|Casino|Hotel|Motel|Daycare|Orchards?|Winery|Brewery|Ranch|"
    r"Warehouse|Distributors|Steel|Plastics|Textiles|Printing|Transit|Academy|Body|Express|Storage|"
    r"Processing|Couriers|Courier|Repair|Services|Care|Auto|Tire|Paving|Masonry|Excavating|Welding|"
    r"Cleaners|Laundry|Kitchen|Grill|Cafe|Pizza|Market|Outfitters|Nursery|Greenhouse|Kennel"
)
_ORG = _compile(rf"\b(?P<v>(?:[{_UP}][{_L}&.-]*[ \t](?:&[ \t])?){{1,3}}(?:{_ORG_SUFFIX})\b\.?)")
# business words that also name a kind of care or service: with one word before them, that word
# must be a name ("Greenleaf Care"), not a plain word ("All-Inclusive Care", "Social Services")
_WEAK_ORG = frozenset(["Care", "Services", "Body", "Express", "Storage", "Processing", "Repair", "Auto", "Market", "Kitchen"])  # fmt: skip
# words anywhere in a business-word phrase that make it a payer or a care setting
_CARE_WORDS = frozenset(["Urgent", "Medicaid", "Medicare", "Managed", "Hospice", "Palliative", "Dental", "Imaging", "Behavioral", "Orthopedic", "Pediatric", "Rehabilitation", "Medical", "Hospital", "Clinic", "Health", "Healthcare", "Nursing", "Dialysis", "Radiology", "Therapy"])  # fmt: skip
# words that make a business-word phrase a care setting or a facility, not an employer
_NOT_EMPLOYER = frozenset(
    ["Primary", "Urgent", "Critical", "Intensive", "Patient", "Skilled", "Palliative", "Hospice", "Respiratory", "Wound", "Dental", "Personal", "Managed", "Acute", "Chronic", "Senior", "Child", "Nursing", "Emergency", "Health", "Medical", "Hospital", "Clinic", "Center", "Surgery", "Surgical", "Orthopedics", "Cardiology", "Associates", "Practice", "Medicare", "Medicaid", "Centers", "Department", "Programs", "Financial", "Social", "Protective", "Adult", "Human", "Customer", "Support", "Billing", "Business", "Guest", "Environmental", "Food", "Legal", "Standard", "Usual", "Routine", "Preventive", "Prenatal", "Self", "Foot", "Eye", "Skin", "Diabetic", "Ostomy", "Total", "Whole", "Entire", "Lower", "Upper", "Home", "Community", "Respite", "Foster", "Day", "Long", "Short", "Term", "Coordinated", "Continuing", "Quality", "Comfort", "Supportive", "Post", "Express", "Pharmacy", "Family"]
)  # fmt: skip


def _fold(word: str) -> str:
    """The ASCII form of a word, as the name lists hold it: 'Ibáñez' -> 'Ibanez'."""
    if word.isascii():
        return word
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()


# "Sung-ho", "Eun-ji", "Mei-ling": a short capitalised syllable, a hyphen, a lower-case syllable
_GIVEN_TAIL = re.compile(r"[A-Z][a-z]{1,4}-[a-z]{2,4}")
_ENGLISH_TAILS = frozenset(
    ["up", "in", "on", "op", "ops", "off", "out", "to", "by", "all", "end", "day", "aid", "way", "one", "men", "man", "led", "set", "run", "cut", "old", "yr", "yo", "ups", "ins", "ons", "due", "use", "age", "son", "law", "lot", "bed", "dry", "fed", "ray", "act", "and", "the", "for", "net", "like", "term", "time", "free", "rich", "wise", "less", "ever", "type", "care", "over", "back", "down", "home", "side", "line", "wide", "long", "half", "hand", "care", "made", "based"]
)  # fmt: skip
# months, states and payers that are also first or last names ("April", "Washington"): names
# only next to another name in a run of capitalised words
_NAMEY_STOP = frozenset(w for w in _NOT_NAMES - _STOP if w in _FIRST_NAMES or w in _LAST_NAMES)


_CONTRACTION = re.compile(r"['’](?:ll|m|ve|d|re|t)$")


@lru_cache(maxsize=65536)
def _kind(word: str) -> str:
    """'stop', 'word' (English or medical), 'ambiguous' (a word and a name), 'name' or 'unknown'."""
    if word in _NOT_NAMES or _CONTRACTION.search(word):
        return "stop"
    folded = _fold(word)  # the lists are in ASCII: "Muñoz" is looked up as "Munoz"
    if word in _CLINICAL_WORDS or folded in _CLINICAL_WORDS:  # "Baker cyst", "Mr. Baker"
        return "ambiguous"
    base = re.sub(r"['’]s?$", "", folded)  # "Baker's", "Workers'"
    parts = base.split("-")
    if len(parts) == 2 and parts[1].islower():
        if _GIVEN_TAIL.fullmatch(base) and parts[1] not in _ENGLISH_TAILS:
            # "Sung-ho", "Eun-ji": a given name in two syllables, whatever each syllable means
            return "name" if parts[0] in _FIRST_NAMES else "unknown"
        if parts[0].lower() in _COMMON_WORDS:
            return "word"  # "Hand-curated", "Follow-up": a word and a suffix
    common = all(p.lower() in _COMMON_WORDS for p in parts)
    listed = any(p in _FIRST_NAMES or p in _LAST_NAMES for p in parts)
    if common:
        return "ambiguous" if listed else "word"
    return "name" if listed else "unknown"


def _runs(text: str) -> Iterable[list[re.Match[str]]]:
    """Runs of capitalised words next to each other ("Rosalie K. Hollister")."""
    run: list[re.Match[str]] = []
    for m in _NAME_TOKEN.finditer(text):
        if run and m.group() == "St" and text.startswith(". ", m.end()):
            continue  # "Kaitlyn St. John": "St." joins the words around it
        if run and not _RUN_GAP.fullmatch(text, run[-1].end(), m.start()):
            yield run
            run = []
        run.append(m)
    if run:
        yield run


def _places_in(
    run: list[re.Match[str]], text: str, used: set[int], smallest: int
) -> Iterable[Found]:
    """Towns of the US place list inside a run, longest first (a one-word town must not be a word)."""
    i = 0
    while i < len(run):
        if i in used:
            i += 1
            continue
        for size in range(min(4, len(run) - i), smallest - 1, -1):
            if used & set(range(i, i + size)):
                continue
            start, end = run[i].start(), run[i + size - 1].end()
            org = i + size < len(run) and run[i + size].group() in _ORG_WORDS
            if (
                not org
                and text[start:end] in _US_PLACES
                and (size > 1 or _kind(run[i].group()) in ("name", "unknown"))
            ):
                yield Found(
                    start, end, "LOCATION", text[start:end], "a US town in the GeoNames place list"
                )
                used.update(range(i, i + size))
                i += size - 1
                break
        i += 1


def _first_last(group: list[re.Match[str]], text: str) -> bool:
    """Two words that are also English words, a first then a last name ("Grace Hill"), mid-sentence."""
    if (
        len(group) != 2
        or group[0].group() in _CLINICAL_WORDS
        or group[1].group() in _CLINICAL_WORDS
    ):
        return False
    before = text[max(0, group[0].start() - 2) : group[0].start()]
    mid_sentence = bool(before) and before[-1] == " " and before[0] not in ".:;!?\n"
    return mid_sentence and group[0].group() in _FIRST_NAMES and group[1].group() in _LAST_NAMES


def _names_in(run: list[re.Match[str]], text: str, used: set[int]) -> Iterable[Found]:
    """Names in a run of capitalised words that the word lists say are not English words."""
    group: list[re.Match[str]] = []
    raw = [_kind(m.group()) if j not in used else "stop" for j, m in enumerate(run)]
    for j, m in enumerate([*run, None]):
        kind = raw[j] if m is not None else "stop"
        if m is not None and kind == "stop" and j not in used and m.group() in _NAMEY_STOP:
            # "Mateo Washington", "June Ibáñez", "April Washington": a name next to a name
            near = raw[j - 1 : j] + raw[j + 1 : j + 2]
            pair = (
                len(run) == 2
                and _fold(run[0].group()) in _FIRST_NAMES
                and _fold(run[1].group()) in _LAST_NAMES
            )
            if pair or any(k in ("name", "unknown") for k in near):
                kind = "name" if pair else "ambiguous"
        if kind in ("name", "unknown", "ambiguous"):
            group.append(m)  # type: ignore[arg-type]
            continue
        kinds = [_kind(g.group()) for g in group]
        if 2 <= len(group) <= 4 and (
            any(k in ("name", "unknown") for k in kinds) or _first_last(group, text)
        ):
            start, end = group[0].start(), group[-1].end()
            yield Found(
                start,
                end,
                "NAME",
                text[start:end],
                "capitalised words that are names or no English or medical word",
            )
        else:
            for g, k in zip(group, kinds, strict=True):
                if k == "name":
                    yield Found(
                        g.start(),
                        g.end(),
                        "NAME",
                        g.group(),
                        "a name in the first- and last-name lists",
                    )
        group = []


_CAPS_RUN = _compile(
    rf"\b[A-Z][A-Z'’]{{2,}}(?:-[A-Z]{{2,}})?(?:,? (?!(?:{_CREDENTIALS})\b)[A-Z][A-Z'’]{{2,}}(?:-[A-Z]{{2,}})?){{1,2}}\b"
)
_COMMA_NAME = _compile(
    rf"\b({_NAME_WORD}), ({_NAME_WORD})\b(?!,? (?:[A-Z]{{2}}\b|\d|(?:{_ORG_PLACE_AFTER})\b))"
)
_POSSESSIVE = _compile(rf"\b({_NAME_WORD})['’]s\b")
_NAME_LEAD = re.compile(
    r"(?:^|[\n:,(/]\s*|--?\s*|\b(?:[Pp]er|by|with|w/|to|cc|[Ss]igned|from|supervisor|prescriber|and)\s)$"
)
_STRONG_LEAD = re.compile(r"(?:^|\n\s*|--?\s*|\b(?:by|[Ss]igned|supervisor|prescriber)\s)$")
_CREDENTIAL_AFTER = re.compile(rf",?[ \t]+(?:{_CREDENTIALS})\b(?!-\w)")
_INITIAL_NAME = _compile(
    rf"(?<![\w.])(?:[{_UP}]\.[ \t]?){{1,3}}(?P<v>(?:St\. |{_PARTICLE} )*{_NAME_WORD})"
)


_SAINT = re.compile(r"\b(?:St\.?|Saint|San|Santa) $")
_CW = rf"[{_UP}][{_UP}'’]+(?:-[{_UP}][{_UP}'’]+)?"  # a word in capitals, any letters ("QUIÑONES")
_CAPS_FULL = rf"{_CW}(?: (?:(?:{_CAPS_PARTICLE}) )*{_CW}){{1,3}}"  # "QUANG DE LA GARZA"
_CAPS_LAST_FIRST = rf"(?:(?:{_CAPS_PARTICLE}) )*{_CW}(?: (?:(?:{_CAPS_PARTICLE}) )*{_CW})?(?: {_GENERATION})?, {_CW}(?: {_CW})?(?: [{_UP}]\b\.?)?"
# a name in capitals right after a person's label or a relation: "RPh QUANG DE LA GARZA",
# "caregiver NASSER THISTLEWOOD", "sister, BAEK, KAVITHA S", "Requestor: TALLULAH YOON"
_CAPS_AFTER_CUE = _compile(
    rf"\b(?:{_PERSON_LABELS}|RPh|R\.Ph\.|(?i:requestor|requester|prescriber|pharmacist|caregiver|(?:{_RELATIONS})(?:-in-law)?))\b[ \t]*[:,]?[ \t]*"
    rf"(?P<v>{_CAPS_LAST_FIRST}|{_CAPS_FULL})(?![{_L}\w])"
)
# "Last, First M" in any case, whatever cue: a middle initial makes the shape ("El-Sayed, Abebe R",
# "ZIELIŃSKI, PHUONG R", "van der Meulen IV, Tariq A")
_NW = rf"[{_UP}][{_L}]+(?:-[{_UP}{_LO}][{_L}]+)?"
_LAST_FIRST_MI = _compile(
    rf"(?<![{_L}\w.-])(?P<v>(?:(?:{_PARTICLE}|{_CAPS_PARTICLE}|St\.) )*{_NW}(?:[ ](?:(?:{_PARTICLE}|{_CAPS_PARTICLE}) )*{_NW})?(?: {_GENERATION})?, {_NW}(?: {_NW})? [{_UP}]\.?)(?![{_L}\w-])"
)


def _name_words(name: str) -> list[str]:
    """The words of a name that the lists can judge: no particles, suffixes or initials."""
    words = re.findall(rf"[{_L}]+(?:-[{_L}]+)?", name)
    return [
        w
        for w in words
        if len(w) > 1
        and w.upper() not in _CAPS_PARTICLE_SET
        and w.upper() not in ("JR", "SR", "II", "III", "IV")
    ]


def _shaped_names(text: str) -> Iterable[Found]:
    """Names by a strong shape or cue: capitals after a person's label, 'Last, First M'."""
    for m in _CAPS_AFTER_CUE.finditer(text):
        if _caps_name_with_cue(m.group("v")):
            yield Found(
                m.start("v"),
                m.end("v"),
                "NAME",
                m.group("v"),
                "a name in capitals after a person's label or relation",
            )
    for m in _LAST_FIRST_MI.finditer(text):
        kinds = [_kind(w if not w.isupper() else w.title()) for w in _name_words(m.group("v"))]
        if (
            kinds
            and all(k in ("name", "unknown", "ambiguous") for k in kinds)
            and ("name" in kinds or "unknown" in kinds)
        ):
            yield Found(
                m.start("v"),
                m.end("v"),
                "NAME",
                m.group("v"),
                "a 'Last, First M' name (a middle initial after a first name)",
            )


def _is_caps_name(words: list[str]) -> bool:
    """'MARGARET O'DONOVAN': no word is English or medical, and one is in the name lists."""
    kinds = [_kind(w.title()) for w in words]
    return all(k in ("name", "unknown") for k in kinds) and "name" in kinds


def _pattern_names(text: str) -> Iterable[Found]:
    """Names by their shape: in capitals, 'Last, First', 'Jessamy's', 'J. Abernathy'."""
    yield from _shaped_names(text)
    for m in _CAPS_RUN.finditer(text):
        if _is_caps_name(re.findall(r"[A-Z'’-]+", m.group())):
            yield Found(
                m.start(), m.end(), "NAME", m.group(), "a name in capitals (the name lists)"
            )
    for m in _COMMA_NAME.finditer(text):
        kinds = [_kind(m.group(1)), _kind(m.group(2))]
        line_start = m.start() == 0 or text[m.start() - 1] == "\n"
        if all(k in ("name", "unknown", "ambiguous") for k in kinds) and (
            "name" in kinds or (line_start and "unknown" in kinds)
        ):
            yield Found(
                m.start(), m.end(), "NAME", m.group(), "a 'Last, First' name (the name lists)"
            )
    for m in _POSSESSIVE.finditer(text):
        if _kind(m.group(1)) in ("name", "unknown") and not _SAINT.search(
            text, max(0, m.start() - 6), m.start()
        ):
            yield Found(
                m.start(),
                m.end(1),
                "NAME",
                m.group(1),
                "a possessive of a word that is no English or medical word",
            )
    for m in _INITIAL_NAME.finditer(text):
        kind = _kind(m.group("v").split()[-1])
        before = text[max(0, m.start() - 12) : m.start()]
        if (
            kind == "name"
            or (kind == "unknown" and _NAME_LEAD.search(before))
            # "R. Cotton, DO", "supervisor A. Young": a surname that is also a word, with a cue
            or (
                kind != "stop"
                and (_CREDENTIAL_AFTER.match(text, m.end()) or _STRONG_LEAD.search(before))
            )
        ):
            yield Found(
                m.start(), m.end(), "NAME", m.group(), "an initial and a name ('J. Abernathy')"
            )


# -- informal, all-lower-case text (portal messages): names only after a cue ---------------------
_W = rf"[{_LO}][{_LO}'’]+(?:-[{_LO}]+)?"
_FUNCTION = frozenset(
    ["is", "was", "will", "can", "may", "might", "must", "should", "would", "could", "has", "had", "have", "and", "or", "but", "so", "if", "the", "a", "an", "my", "me", "i", "you", "he", "she", "they", "we", "it", "its", "to", "at", "on", "in", "of", "for", "from", "with", "not", "no", "yes", "just", "also", "still", "here", "there", "this", "that", "been", "be", "am", "are", "do", "does", "did", "said", "says", "want", "wants", "need", "needs", "called", "calls", "pick", "picks", "drive", "drives", "work", "works", "live", "lives", "get", "gets", "got", "cant", "wont", "please", "thanks", "thank", "again", "all", "everyone", "team", "folks", "guys", "doc", "doctor", "sorry", "ok", "okay"]
)  # fmt: skip
_INFORMAL = (
    (
        rf"(?:\b(?:this is|i'?m|im|my name is)|(?:^|[\n.!?,]|\b(?:hi|hello|hey))[ \t]*it'?s)\s+(?P<v>{_W}(?: \"{_W}\")?(?: {_W})?)",
        "self",
    ),
    (
        rf"(?:^|\n|[.!?]\s+)(?:hi|hello|hey|dear|good morning|good afternoon)[ ,]+(?P<dr>(?:dr\.?|doctor|nurse) )?(?P<v>{_W})(?=[\s!,.]|$)",
        "greeting",
    ),
    (rf"\b(?P<v>{_W}) here\b", "here"),
    (rf"\bmy (?:{_RELATIONS}) (?P<v>{_W}(?: \"{_W}\")?(?: {_W})?)", "relation"),
    (
        rf"\b(?:(?:thanks|thank you)(?: so much| again)?|ty|thx|regards|sincerely|best|cheers|love)[!.,]*[ \t]*\n[ \t]*(?P<v>{_W}(?: {_W})?)[ \t]*(?=\n|$)",
        "signature",
    ),
    (rf"\bdr\.? (?P<v>{_W})\b", "doctor"),
)
_INFORMAL_RULES = tuple((_compile(p), how) for p, how in _INFORMAL)
_HERE_LEAD = re.compile(r"(?:^|[\n.!?,]\s*|\b(?:hi|hello|hey|dear)\s+|\bdr\.?\s+[\w'’-]+\s+)$")
_INFORMAL_RULE = "a lower-case name after a cue in informal text ('this is', 'hi', 'my son')"


def _lower_kind(word: str) -> str:
    """The kind of a lower-case word as a name: 'first', 'last', 'unknown', 'word' or 'function'."""
    if word in _FUNCTION:
        return "function"
    title = _fold(word.title())
    if title in _FIRST_NAMES:
        return "first"
    kind = _kind(word.title())
    return "last" if kind == "name" else "unknown" if kind == "unknown" else "word"


# a lower-case signature on its own line at the end of a message: after 'thank u' on the line
# before, after 'thanks,' or after a dash ("thank u\nzofia iyer", "- ngoc anh", "thanks, dalia")
_SIGNATURE = _compile(
    rf"(?:(?<=\n)|^)(?:(?i:thank u|thank you|thanks|thx|ty|regards|best|love|sincerely)[,!.]?[ \t]*\n|(?i:thanks|thx|love),[ \t]*|-[ \t]?)"
    rf"(?P<v>{_W}(?: (?:(?:{'|'.join(p for p in _PARTICLE_WORDS if p.islower())}) )*{_W}){{0,2}})[ \t]*(?=\n|$)"
)
_SIGNATURE_RULE = "a lower-case signature at the end of a message ('thank u' then 'zofia iyer')"


def _signatures(text: str) -> Iterable[Found]:
    """Lower-case names signing a message: every word a name or no English word, one a name."""
    for m in _SIGNATURE.finditer(text):
        words = [w for w in m.group("v").split() if w not in _PARTICLE_WORDS]
        kinds = [_lower_kind(w) for w in words]
        if all(k in ("first", "last", "unknown") for k in kinds) and (
            "first" in kinds or "last" in kinds
        ):
            yield Found(m.start("v"), m.end("v"), "NAME", m.group("v"), _SIGNATURE_RULE)


def _informal_names(text: str) -> Iterable[Found]:
    """Names in lower-case messages: 'this is amadou banks', 'hi dr payne', 'my niece maria',
    'kelechi here', a one-word signature after 'thanks'."""
    for pattern, how in _INFORMAL_RULES:
        for m in pattern.finditer(text):
            words = list(re.finditer(r"[^\s\"]+", m.group("v")))
            kinds = [_lower_kind(w.group()) for w in words]
            if how in ("self", "relation"):
                ok = kinds[0] == "first" or (
                    kinds[0] == "unknown" and len(words) > 1 and kinds[-1] != "word"
                )
                # "my mom ravindra, her ...": one word no list knows, right after "my mom"
                ok = ok or (
                    how == "relation"
                    and kinds == ["unknown"]
                    and _kind(_fold(words[0].group()).title()) == "unknown"
                )
                keep = (
                    1 + sum(1 for k in kinds[1:2] if k in ("first", "last", "unknown"))
                    if len(words) > 1
                    else 1
                )
                if m.group("v").count('"') == 2 and len(words) == 3:
                    keep = 3 if kinds[2] != "function" else 2  # a nickname, then the surname
            elif how == "greeting":
                after = text[m.end() : m.end() + 1]
                ok = kinds[0] in ("first", "last", "unknown") or (kinds[0] == "word" and (bool(m.group("dr")) or after in ("!", ",")))  # fmt: skip
                keep = 1
            elif how == "here":
                ok = kinds[0] in ("first", "last", "unknown") and bool(
                    _HERE_LEAD.search(text, max(0, m.start() - 30), m.start())
                )
                keep = 1
            elif how == "signature":
                ok = kinds[0] not in ("function",) and (kinds[0] != "word" or len(words) == 1)
                keep = len(words) if all(k != "function" for k in kinds) else 1
            else:  # "dr payne"
                ok, keep = kinds[0] in ("last", "unknown", "first"), 1
            if ok and kinds[0] != "function":
                start = m.start("v")
                if keep > 1 and _LOWER_PARTICLE_TAIL.match(" " + words[keep - 1].group() + " xx"):
                    keep -= 1  # "jo van": the particle belongs to the surname after it
                end = start + words[keep - 1].end()
                tail = _LOWER_PARTICLE_TAIL.match(text, end)  # "jo van houten", "bobby de souza"
                end = tail.end() if tail else end
                yield Found(start, end, "NAME", text[start:end], _INFORMAL_RULE)


_MOVED_TOWN = re.compile(
    r"\b(?i:(?:flew|drove|came|moved|relocated|travell?ed|visiting|visits?|returns?|returned|went|headed|going)"
    r"(?: in| here| back| down| up| over| home)? (?:from|to)|grew up in|raised in|lives? in|living in|born in|stays? in)"
    rf"[ \t]+(?P<v>[{_UP}][{_LO}]+(?:[ -][{_UP}][{_LO}]+)?|[a-z]{{3,}}(?: [a-z]{{3,}})?)\b"
)
_CAPS_EMPLOYER = "an employer's name in capitals"
_CAPS_TOWN = re.compile(
    r"\b(?:IN|NEAR|FROM|OF|TO)[ \t]+(?P<v>[A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+)?)\b(?![a-z])"
)
_LOWER_PARTICLE_TAIL = re.compile(
    rf"(?: (?:van|von|de|da|del|der|den|di|dos|du|la|le|lo|ni|ní|ó|mc|mac|st\.?|al|el|bin|abu))+ {_W}"
)
_LOWER_EMPLOYER = _compile(
    rf"\bwork(?:s|ed|ing)?(?: (?:nights|days|weekends|part[- ]time|full[- ]time))? (?:at|for) (?P<v>{_W}(?: (?:&|and|{_W})){{0,3}}? (?:{_ORG_SUFFIX.lower()}))\b"
)


def _word_scan(text: str) -> list[Found]:
    """Names and towns found by the general word lists, not by a cue."""
    out: list[Found] = list(_pattern_names(text))
    for run in _runs(text):
        used: set[int] = set()
        if _SAINT.search(text, max(0, run[0].start() - 6), run[0].start()):
            used.add(0)  # "St. Joseph Medical Center" is a saint, not a person
        out.extend(_places_in(run, text, used, smallest=2))  # "Elk Grove Village" before names
        names = list(_names_in(run, text, used))
        out.extend(names)
        used.update(j for j, m in enumerate(run) for f in names if f.start <= m.start() < f.end)
        out.extend(_places_in(run, text, used, smallest=1))  # "Peoria", unless part of a name
    return out


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z'’-]{2,}\b")
_SHORT_YEAR = re.compile(r"[/-](\d\d)$")
_ALNUM = re.compile(r"[A-Za-z0-9]")


def _spans(pattern: re.Pattern[str], text: str, category: str, rule: str) -> Iterable[Found]:
    for m in pattern.finditer(text):
        start, end = m.span("v") if "v" in pattern.groupindex else m.span()
        if end > start:
            yield Found(start, end, category, text[start:end], rule)


_PARTICLE_TITLES = frozenset(p.title() for p in _PARTICLE_WORDS)


def _trim_name(found: Found) -> Found | None:
    """Drop leading/trailing stop words from a cue-captured name; None if nothing is left."""
    words = list(re.finditer(r"\S+", found.text))
    while (
        words
        and words[0].group().strip(",.()") in _STOP
        and not (len(words) > 1 and words[0].group().title() in _PARTICLE_TITLES)
    ):
        words.pop(0)  # but "DOS REIS, MARISOL": a particle, not "date of service"
    while words and words[-1].group().strip(",.()") in _STOP:
        words.pop()
    if not words:
        return None
    start = found.start + words[0].start()
    text = found.text[words[0].start() : words[-1].end()].rstrip(",.")
    return Found(start, start + len(text), found.category, text, found.rule) if text else None


_WEAK_PLACE = "a town after 'in', 'near' or 'from'"
_OFFICE_TOWN = "a town naming an office ('(Wrenfield office)')"
_PHOTO_RULE = "an image file name (photo)"
_NOT_FACE = re.compile(
    r"(?i:scene|intraoral|tooth|teeth|dental|xray|x-ray|radiograph|wound|ulcer|rash|lesion|incision|burn|ecg|ekg|receipt|label|invoice)"
)
_PHOTO_PDF = re.compile(r"(?i:photo|selfie|face|headshot|portrait|picture|pic_)")
_FACE = re.compile(r"(?i:face|selfie|headshot|portrait|id)")
_GEO_TOWN = "a town named by a geographic word ('Tallow Creek')"
# generic words that also end ordinary phrases: the words before them must not all be English
_WEAK_GEO = frozenset(["Harbor", "Harbour", "Grove", "Mills", "Corners", "Corner", "Ferry", "Forge", "Rapids", "Prairie", "Reach", "Bluff", "Bluffs", "Shoals", "Heights", "Crossing"])  # fmt: skip
_PREFIX_TOWN = "a town named by a geographic word ('Lake Abernath')"
_LOWER_STREET_RULE = "a street address in lower case"
_GENERIC_ID = "an identifier after 'ID', '#' or 'No.'"
_MONTH_DAY = "a month/day date"
_PLATE_RULE = "a plate-shaped code after 'vehicle' or 'car'"
_DAY_OF_MONTH = "a day of the month ('on the 22nd')"
_SCORE_BEFORE = re.compile(
    r"(?i:pain|strength|power|score|scale|grade[ds]?|rated?|rates|motor|reflexes|grip|\d/\d\s*[LR][LU]E,|STOP-?BANG|PHQ-?\d*|GAD-?\d*|MMSE|MoCA|SLUMS|CAGE|AUDIT(?:-C)?|GCS|NIHSS|Apgars?|Braden|Morse|Epworth|ESS|PEG|ASA|Mallampati|Tinetti|Katz|Lawton|Barthel|CIWA|COWS|EPDS|ODI|DASH|KOOS|WOMAC|Beighton|Gleason|NYHA|Wells|CURB-?65|qSOFA|Hb?A1c)[\s:]*(?:(?:is|of|at|now|was|like|about|around|maybe|from|to|improved|down|up|\d{1,2}/10,?)\s+){0,4}$"
)
_SCORE_AFTER = re.compile(r"\s*(?:[LR][LU]E|elsewhere|throughout|bilat|in all)\b")
_CODE_BEFORE = re.compile(
    r"(?i:NPI|CPT|HCPCS|ICD|group|grp|TIN|EIN|NDC|tax|code|lot|room|suite|page|item|step|version|store|pharmacy|bed|bay|pod|station|Walgreens|CVS|Rite Aid|Walmart|Kroger|Costco|Publix|Safeway|Meijer)\b[^\n]{0,8}$"
)


_GENERATION_WORD = re.compile(_GENERATION)


def _plausible_name(found: Found) -> bool:
    """A name a cue found, unless every word is an English or medical word and no name
    ("Patient Education"), or it is two abbreviations in capitals ("HTN, HLD")."""
    if found.rule == _CAPS_EMPLOYER:  # "KINGSTON GLASS WORKS", not "SELF EMPLOYED"
        return not all(w.lower() in _COMMON_WORDS for w in found.text.split() if w != "&")
    if "employer" in found.rule or "after a label" in found.rule or "spelled out" in found.rule:
        return True  # employers are ordinary words ("Copper Ridge Public Library"); labels say it
    if re.match(rf"[{_UP}]\. ?[{_UP}]", found.text):
        return True  # an initial and a surname: "R. Cotton"
    words = [
        w
        for w in re.findall(rf"[{_UP}{_LO}][{_L}-]*", found.text)
        if len(w) > 1 and not _GENERATION_WORD.fullmatch(w)
    ]
    kinds = [_kind(w.title() if w.isupper() else w) for w in words]
    kinds = [
        "ambiguous" if k == "stop" and w in _NAMEY_STOP else k
        for w, k in zip(words, kinds, strict=True)
    ]
    if (
        "person's label" in found.rule
        and "word" in kinds
        and "name" not in kinds
        and "unknown" not in kinds
    ):
        return False  # "Attn: Prior Authorization Unit": words, one of them also a surname
    if (
        found.text.isupper()
        and "word" in kinds
        and not ("person's label" in found.rule and ("name" in kinds or "unknown" in kinds))
    ):
        return False  # "OSA, STOP-BANG": an abbreviation and a word in capitals
    if found.text.isupper() and "name" not in kinds and "ambiguous" not in kinds:
        return all(len(w) >= 5 for w in words) and "word" not in kinds
    return any(k not in ("word", "stop") for k in kinds)


def _keep(found: Found, text: str) -> bool:
    """The weaker rules need more: a town word no list knows, an ID that is not a code, a
    month/day that is not a score ("pain 4/10", "strength 4/5 LLE")."""
    if found.rule == _DAY_OF_MONTH and found.text[:3].lower() == "the":
        return bool(_DAY_LEAD.search(text, max(0, found.start - 8), found.start))
    if found.rule == _MONTH_DAY:
        return not (
            _SCORE_BEFORE.search(text, max(0, found.start - 32), found.start)
            or _SCORE_AFTER.match(text, found.end)
        )
    if found.rule == _PLATE_RULE:  # "vehicle HKW 529", not the model year of "vehicle 2017 Honda"
        return any(c.isalpha() for c in found.text) and any(c.isdigit() for c in found.text)
    if found.rule == _LOWER_STREET_RULE:
        return not any(w in _FUNCTION for w in found.text.split()[1:-1])
    if (
        found.rule == _PHOTO_RULE
    ):  # a scene or a body part other than the face is no comparable image
        if found.text.lower().endswith(".pdf"):  # a PDF is a photo when its name says so
            return bool(_PHOTO_PDF.search(found.text))
        return not (_NOT_FACE.search(found.text) and not _FACE.search(found.text))
    if found.rule == _GEO_TOWN:  # "Tallow Creek", "Ferris Gap"; not "Safe Harbor" or "Pine Grove"
        *words, generic = found.text.split()
        return generic not in _WEAK_GEO or any(_kind(w) != "word" for w in words)
    if found.rule == _PREFIX_TOWN:  # "Lake Abernath", "Port Anselm"; not "South Asian"
        return _kind(found.text.split()[-1]) in ("name", "unknown", "ambiguous")
    if found.rule == _WEAK_PLACE or found.rule == _OFFICE_TOWN:
        kinds = [_kind(w) for w in found.text.split()]
        return "stop" not in kinds and any(k in ("name", "unknown") for k in kinds)
    if found.rule == _GENERIC_ID:
        return not _CODE_BEFORE.search(text[max(0, found.start - 20) : found.start])
    return True


# an eponym: a name the word lists know, before "syndrome", "disease", "sign" ("Sjögren's syndrome")
_EPONYM_AFTER = re.compile(
    r"(?:['’]s?)?[ \t]+(?i:syndrome|disease|sign|palsy|phenomenon|reflex|test|maneuver|manoeuvre|fracture|cyst|node"
    r"|ulcer|tumou?r|lymphoma|sarcoma|anomaly|procedure|operation|classification|criteria|triad|pouch|contracture"
    r"|thyroiditis|encephalopathy|dystrophy|ataxia|chorea|neuroma|esophagus|diverticulum|hernia|bodies|cells?|gland"
    r"|canal|duct|membrane|law|formula|method|position|incision|repair|block|splint|cast|score|scale|index"
    r"|classification|criteria)\b"
)
_LIST_RULES = frozenset(
    [
        "a name in the first- and last-name lists",
        "a name in the lab's name list",
        "capitalised words that are names or no English or medical word",
        "a possessive of a word that is no English or medical word",
    ]
)


def _not_eponym(found: Found, text: str) -> bool:
    """False for a name found only by the word lists that is an eponym ("Sjögren's syndrome")."""
    return not (
        found.category == "NAME"
        and found.rule in _LIST_RULES
        and _EPONYM_AFTER.match(text, found.end)
    )


# -- HL7 v2 messages pasted into a note: the PHI is in known fields, whatever their shape ----------
# (segment, field number) -> what the field holds: a category for the whole field, or
# "address" (XAD: street, other, city, state, ZIP, ..., county) or "phone" (XTN) for components
_HL7_FIELDS: dict[tuple[str, int], str] = {
    ("MSH", 7): "DATE", ("MSH", 10): "OTHER_ID",
    ("PID", 2): "MRN", ("PID", 3): "MRN", ("PID", 4): "MRN", ("PID", 5): "NAME", ("PID", 6): "NAME",
    ("PID", 7): "DATE", ("PID", 9): "NAME", ("PID", 11): "address", ("PID", 13): "phone",
    ("PID", 14): "phone", ("PID", 18): "ACCOUNT", ("PID", 19): "SSN", ("PID", 20): "LICENSE",
    ("PID", 29): "DATE",
    ("NK1", 2): "NAME", ("NK1", 4): "address", ("NK1", 5): "phone", ("NK1", 6): "phone",
    ("GT1", 2): "ACCOUNT", ("GT1", 3): "NAME", ("GT1", 5): "address", ("GT1", 6): "phone",
    ("GT1", 7): "phone", ("GT1", 8): "DATE", ("GT1", 12): "SSN",
    ("IN1", 16): "NAME", ("IN1", 18): "DATE", ("IN1", 19): "address", ("IN1", 36): "HEALTH_PLAN",
    ("IN1", 49): "HEALTH_PLAN", ("PV1", 19): "ACCOUNT", ("PV1", 44): "DATE", ("PV1", 45): "DATE",
}  # fmt: skip
_HL7_ADDRESS = {0: "LOCATION", 1: "LOCATION", 2: "LOCATION", 4: "LOCATION", 8: "LOCATION"}
_HL7_PHONE = {0: "PHONE", 3: "EMAIL", 5: "PHONE", 6: "PHONE"}
_HL7_SEGMENT = re.compile(r"(?m)^(MSH|PID|NK1|GT1|IN1|PV1)\|[^\n]*")
_HL7_RULE = "an HL7 v2 field that holds this identifier (HL7 v2.5.1 segment definitions)"


def _hl7(text: str) -> Iterable[Found]:
    """PHI in the fields of HL7 v2 segments (PID-5 the name, PID-7 the birth date, ...)."""
    for seg in _HL7_SEGMENT.finditer(text):
        name, pos = seg.group(1), seg.start()
        fields = seg.group().split("|")
        offset = 1 if name == "MSH" else 0  # MSH-1 is the separator itself
        for i, value in enumerate(fields):
            what = _HL7_FIELDS.get((name, i + offset)) if i else None
            if what and value.strip("^~ "):
                parts = {"address": _HL7_ADDRESS, "phone": _HL7_PHONE}.get(what)
                if parts is None:
                    yield Found(pos, pos + len(value), what, value, _HL7_RULE)
                else:
                    comp_pos = pos
                    for j, comp in enumerate(value.split("^")):
                        if j in parts and comp.strip():
                            yield Found(comp_pos, comp_pos + len(comp), parts[j], comp, _HL7_RULE)
                        comp_pos += len(comp) + 1
            pos += len(value) + 1


def _candidates(text: str) -> list[Found]:
    out: list[Found] = []
    lower = text.lower()
    for cat, pattern, rule, triggers in _COMPILED:
        if triggers and not any(t in lower for t in triggers):
            continue
        out.extend(f for f in _spans(pattern, text, cat, rule) if _keep(f, text))
    for pattern, rule in _PLACES:
        out.extend(f for f in _spans(pattern, text, "LOCATION", rule) if _keep(f, text))
    out.extend(_spans(_COUNTY, text, "LOCATION", "a county name"))
    out.extend(_spans(_NAME_LIST, text, "NAME", "a name in the lab's name list"))
    out.extend(_spans(_EMPLOYERS, text, "NAME", "an employer in the lab's list"))
    out.extend(f for f in _word_scan(text) if _not_eponym(f, text))
    out.extend(_informal_names(text))
    out.extend(_signatures(text))
    for m in _MOVED_TOWN.finditer(text):  # "flew in from Anchorage", "moved here from tulsa"
        words = m.group("v").split(" ")
        for n in (len(words), 1) if len(words) > 1 else (1,):
            town = " ".join(words[:n])
            name = town.title() if town.islower() else town
            if (
                name in _US_PLACES
                and name not in _NOT_NAMES
                and not (town.islower() and town in _COMMON_WORDS)
            ):
                start = m.start("v")
                out.append(
                    Found(
                        start,
                        start + len(town),
                        "LOCATION",
                        town,
                        "a listed town after 'moved from', 'flew in from' or 'grew up in'",
                    )
                )
                break
    for m in _CAPS_TOWN.finditer(text):  # "LIVES WITH DAUGHTER IN FAIRMONT"
        town = m.group("v").title()
        if (
            town in _US_PLACES
            and town not in _NOT_NAMES
            and not all(w.lower() in _COMMON_WORDS for w in town.split())
        ):
            out.append(
                Found(
                    m.start("v"),
                    m.end("v"),
                    "LOCATION",
                    m.group("v"),
                    "a town in capitals after 'IN' or 'FROM' (the US place list)",
                )
            )
    if "|" in text:
        out.extend(_hl7(text))
    out.extend(
        _spans(
            _LOWER_EMPLOYER,
            text,
            "NAME",
            "an employer in lower case after 'work at' (a business word)",
        )
    )
    for f in _spans(_ORG, text, "NAME", "an employer's name (a business word such as 'Logistics')"):
        trimmed = _trim_name(f)
        words = [w for w in trimmed.text.split() if w != "&"] if trimmed else []
        weak = (
            bool(words)
            and words[-1] in _WEAK_ORG
            and not any(_kind(w) in ("name", "unknown") for w in words[:-1])
        )
        if trimmed and (
            len(words) < 2
            or (weak and len(words) < 3)
            or words[0] in _NOT_EMPLOYER
            or any(w in _FACILITY or w in _CARE_WORDS for w in words)
        ):
            continue  # "Primary Care", "Emergency Dept", "Home Health Care"
        if trimmed:
            out.append(trimmed)
    cue_names = [f for pattern, rule in _NAMES for f in _spans(pattern, text, "NAME", rule)]
    for f in [*cue_names, *_before_suffix_cues(text), *_before_employer_cue(text)]:
        if "person's label" in f.rule and any(w in _ORG_WORDS for w in f.text.split()):
            continue  # "BILL TO: BluePeak Health Plan": a payer, not a person
        if _PAYER_AFTER.match(text, f.end) or _PAYER_IN.search(f.text):
            continue  # "Called Cobaltline PPO", "To: Keystone Workers' Comp", "-- Walgrove Drug"
        trimmed = _trim_name(f)
        if trimmed and _plausible_name(trimmed):
            out.append(trimmed)
    covered = _coverage(out, len(text))
    for m in _LONG_NUMBER.finditer(text):
        if (
            not all(covered[m.start() : m.end()])
            and not _NOT_PHI_BEFORE.search(text[max(0, m.start() - 12) : m.start()])
            and not _SHIFT.fullmatch(m.group())
            and not _is_range(m.group())
        ):
            out.append(
                Found(
                    m.start(),
                    m.end(),
                    "OTHER_ID",
                    m.group(),
                    "a long number no other rule explains",
                )
            )
    return out


# a payer's or a pharmacy's name: the word after it, or in it, says so (neither is labelled)
_PAYER_AFTER = re.compile(
    r"[ \t]+\(?(?:PPO|HMO|EPO|POS|Health|Healthcare|Advantage|Mutual|Insurance|Assurance|Workers['’] Comp|Medicaid|Medicare|Pharmacy|Drugs?|Rx)\b"
)
_PAYER_IN = re.compile(
    r"\b(?:PPO|HMO|EPO|Workers['’] Comp|Mutual|Insurance|Assurance|Pharmacy|Drugs?)\b"
)
_RANGE = re.compile(r"(\d{2,4})-(\d{2,4})")


def _is_range(token: str) -> bool:
    """A range of values, not an identifier: "280-350" (glucose), "2000-2499" (grams).

    >>> _is_range("280-350"), _is_range("26-931838"), _is_range("350-280"), _is_range("385-9518")
    (True, False, False, False)
    """
    m = _RANGE.fullmatch(token)
    if not m or (len(m[1]), len(m[2])) == (3, 4):  # "385-9518" is a local phone number
        return False
    return abs(len(m[1]) - len(m[2])) <= 1 and int(m[1]) < int(m[2])


def _coverage(spans: Iterable[Found], n: int) -> bytearray:
    mask = bytearray(n)
    for s in spans:
        mask[s.start : s.end] = b"\x01" * (s.end - s.start)
    return mask


_PRIORITY = {c: i for i, c in enumerate(("EMAIL", "URL", "SSN", "IP", "PHOTO", "DEVICE", "AGE", "FAX",
                                          "PHONE", "DATE", "VEHICLE", "BIOMETRIC", "MRN", "HEALTH_PLAN",
                                          "ACCOUNT", "LICENSE", "OTHER_ID", "LOCATION", "NAME"))}  # fmt: skip


def _merge(found: list[Found], text: str) -> list[Found]:
    """Overlapping spans become one (the widest wins the category, ties by priority)."""
    found.sort(key=lambda f: (f.start, -(f.end - f.start), _PRIORITY[f.category]))
    merged: list[Found] = []
    for f in found:
        last = merged[-1] if merged else None
        if last and last.category == f.category == "NAME" and text[last.end : f.start] == " ":
            merged[-1] = Found(last.start, f.end, "NAME", text[last.start : f.end], last.rule)
            continue  # "Priya" + "Okafor": one name
        if merged and f.start < merged[-1].end:
            last = merged[-1]
            if f.end > last.end:
                merged[-1] = Found(
                    last.start, f.end, last.category, text[last.start : f.end], last.rule
                )
            continue
        merged.append(f)
    return merged


def _is_name_word(word: str) -> bool:
    """A found word worth looking for again: not a stop word; in capitals, 4+ letters."""
    if word.isupper():
        return len(word) > 3 and word.title() not in _STOP and _kind(word.title()) != "word"
    return word not in _STOP and _kind(word) != "word"


def _mentions(found: list[Found], text: str) -> list[Found]:
    """Other mentions of a name or town already found ("Louisa" after "Whitfield, Louisa")."""
    words = {
        w
        for f in found
        if f.category == "NAME" or (f.category == "LOCATION" and "town" in f.rule)
        for w in re.findall(r"[A-Z][A-Za-z'’-]{2,}", f.text)
        if _is_name_word(w)
    }
    if not words:
        return []
    category = {w: f.category for f in found for w in re.findall(r"[A-Za-z'’-]+", f.text)}
    return [
        Found(
            m.start(),
            m.end(),
            category.get(m.group(), "NAME"),
            m.group(),
            "another mention of a name or town found in this note",
        )
        for m in _CAPITALISED.finditer(text)
        if m.group() in words
    ]


_LEFT_OF_NAME = re.compile(
    rf"(?<![\w.'’])(?:[{_UP}]\.[ \t]?)?(?:(?:{_PARTICLE}|VAN|VON|DE|DEL|DER|DA|DI|DU|LA|LE|ST\.) )+$|(?<![\w.])[{_UP}]\.[ \t]?$"
)
_RIGHT_OF_NAME = re.compile(
    rf" (?:(?:{_PARTICLE} )+|(?:St\.|Saint) )[{_UP}][{_L}-]*[{_LO}][{_L}-]*"
)
_CAPS_INITIAL = re.compile(rf" [{_UP}]\b(?![.'’-]?\w)")
_SHORT_YEAR_AFTER = re.compile(r",? ?['’]\d\d\b")
_WEEKDAY_BEFORE = re.compile(rf"(?<![\w])(?i:{_WEEKDAY}),?[ \t]+\(?$")
_GENERATION_AFTER = re.compile(
    rf",? {_GENERATION}(?![\w-])(?! (?:fluids?|access|push|line|drip|x\b|\d))"
)
_NICKNAME_AFTER = re.compile(rf" \([\"'“]?([{_UP}][{_LO}]+)[\"'”]?\)")
_EXTENSION = re.compile(r"\s*,?\s*(?i:x|ext\.?|extension)\s*\d{1,5}\b")


def _widen(found: list[Found], text: str) -> list[Found]:
    """Parts a rule leaves out: particles and initials ("M. van der Berg"), "St. John", the
    middle initial of "HOSSEINI, THEODORE A", a phone extension ("Ext. 6495")."""
    out = []
    for f in found:
        start, end = f.start, f.end
        if f.category == "NAME":
            left = _LEFT_OF_NAME.search(text, max(0, start - 16), start)
            if left:
                start = left.start()
            right = _RIGHT_OF_NAME.match(text, end)
            if right:
                end = right.end()
            if ", " in f.text:  # "HOSSEINI, THEODORE A", "Bevilacqua, Noor V"
                caps = _CAPS_INITIAL.match(text, end)
                end = caps.end() if caps else end
            gen = _GENERATION_AFTER.match(text, end)  # "Arash J. Young IV"
            end = gen.end() if gen else end
            nick = _NICKNAME_AFTER.match(text, end)  # "Nakashima, William (Billy)"
            if nick and _kind(nick.group(1)) in ("name", "unknown", "ambiguous"):
                end = nick.end()
        elif f.category == "DATE":  # "Sat 3/14", "Tuesday, March 3", "14th Feb '26"
            day = _WEEKDAY_BEFORE.search(text, max(0, start - 14), start)
            start = day.start() if day else start
            short = _SHORT_YEAR_AFTER.match(text, end)
            end = short.end() if short else end
        elif f.category in ("PHONE", "FAX") or (
            f.category == "OTHER_ID" and len(f.text) == 10 and f.text.isdigit()
        ):
            ext = _EXTENSION.match(text, end)
            end = ext.end() if ext else end
        out.append(
            f
            if (start, end) == (f.start, f.end)
            else Found(start, end, f.category, text[start:end], f.rule)
        )
    return out


_AND_NAME_BEFORE = re.compile(rf"(?<![\w.'’-])({_NAME_WORD}) (?:and|&) $")


def _coordinated(found: list[Found], text: str) -> list[Found]:
    """A name joined by 'and' to a name found ("DeShawn and LaToya Pettiford (parents)")."""
    out = []
    for f in found:
        m = (
            _AND_NAME_BEFORE.search(text, max(0, f.start - 30), f.start)
            if f.category == "NAME"
            else None
        )
        if m and _kind(m.group(1)) in ("name", "unknown"):
            out.append(
                Found(
                    m.start(1),
                    m.end(1),
                    "NAME",
                    m.group(1),
                    "a name joined by 'and' to a name found",
                )
            )
    return out


def find_phi(text: str) -> list[Found]:
    """Every PHI span in ``text``, in order, non-overlapping, each with its reason.

    >>> [(f.text, f.category) for f in find_phi("Seen 03/14/2026 by Dr. Okafor; call (217) 555-0143.")]
    [('03/14/2026', 'DATE'), ('Okafor', 'NAME'), ('(217) 555-0143', 'PHONE')]
    """
    found = _merge(_widen(_merge(_candidates(text), text), text), text)
    found = _merge(found + _coordinated(found, text), text)
    return _merge(found + _mentions(found, text), text)


# -- replacing ---------------------------------------------------------------------------------
def _reference_year(found: Sequence[Found]) -> int:
    years = [int(y) for f in found if f.category == "DATE" for y in _YEAR.findall(f.text)]
    return max(years) if years else dt.date.today().year


def _date_year(text: str) -> int | None:
    m = _YEAR.search(text)
    if m:
        return int(m.group())
    short = _SHORT_YEAR.search(text)
    return 2000 + int(short.group(1)) if short else None


def tag(found: Found, reference_year: int) -> str:
    """The replacement for one span: ``[NAME]``, ``[DATE 2026]``, ``[AGE 90+]`` ...

    The year of a date stays unless it shows an age over 89 (more than 89 years
    before ``reference_year``, the latest year in the note).

    >>> tag(Found(0, 10, "DATE", "03/14/2026", "x"), 2026), tag(Found(0, 4, "DATE", "2/3/31", "x"), 2026)
    ('[DATE 2026]', '[DATE]')
    """
    if found.category == "AGE":
        return "[AGE 90+]"
    if found.category == "DATE":
        year = _date_year(found.text)
        if year and year > reference_year:  # a two-digit year read as the future: 19xx
            year -= 100
        if year and year >= reference_year - 89:
            return f"[DATE {year}]"
        return "[DATE]"
    return f"[{found.category}]"


@dataclass
class Deidentified:
    """A de-identified text, with the spans removed and why."""

    original: str
    text: str
    found: list[Found] = field(default_factory=list)

    def explanations(self) -> list[str]:
        """One line per span removed."""
        return [f.explain() for f in self.found]


def deidentify(text: str) -> Deidentified:
    """Replace every PHI span in ``text`` with its tag.

    >>> deidentify("Mr. Okafor, 93 yo, seen 3/14/2026, MRN 00482913.").text
    'Mr. [NAME], [AGE 90+] yo, seen [DATE 2026], MRN [MRN].'
    """
    found = find_phi(text)
    ref = _reference_year(found)
    parts, last = [], 0
    for f in found:
        parts += [text[last : f.start], tag(f, ref)]
        last = f.end
    parts.append(text[last:])
    return Deidentified(text, "".join(parts), found)


def deidentify_text(text: str) -> str:
    """Just the de-identified text (see :func:`deidentify`)."""
    return deidentify(text).text


def deidentify_many(
    texts: Iterable[str], processes: int | None = None, chunksize: int = 32
) -> list[Deidentified]:
    """:func:`deidentify` for many notes, in order, spread over ``processes`` worker
    processes (default: every core).  Few notes, or one process, run in this process.
    """
    texts = list(texts)
    procs = processes or os.cpu_count() or 1
    if procs <= 1 or len(texts) < 2 * chunksize:
        return [deidentify(t) for t in texts]
    # fork shares the compiled rules and word lists with the workers (no second import)
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(procs) as pool:
        return pool.map(deidentify, texts, chunksize)


# -- scoring ----------------------------------------------------------------------------------------
@dataclass
class Score:
    """Recall and precision, overall and by category (see the module docstring)."""

    notes: int
    gold_spans: int
    found_spans: int
    recall: float
    precision: float
    char_recall: float
    char_precision: float
    by_category: dict[str, dict[str, float]]
    missed: list[tuple[str, str, str]]  # (note id, category, text) of gold spans not caught

    def table(self) -> str:
        """A plain-text table: category, gold, recall, found, precision."""
        rows = [f"{'category':<12} {'gold':>5} {'recall':>7} {'found':>6} {'precision':>9}"]
        for cat, s in self.by_category.items():
            rows.append(
                f"{cat:<12} {int(s['gold']):>5} {s['recall']:>7.3f} {int(s['found']):>6} {s['precision']:>9.3f}"
            )
        rows.append(
            f"{'overall':<12} {self.gold_spans:>5} {self.recall:>7.3f} {self.found_spans:>6} {self.precision:>9.3f}"
        )
        return "\n".join(rows)


def _alnum_mask(text: str, spans: Iterable[tuple[int, int]]) -> bytearray:
    mask = bytearray(len(text))
    for start, end in spans:
        for i in range(start, end):
            if _ALNUM.match(text[i]):
                mask[i] = 1
    return mask


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def evaluate(notes: Iterable[dict], find: object = None) -> Score:
    """Score :func:`find_phi` (or ``find``, a text -> spans function) on labelled notes.

    ``notes`` are dicts with ``text`` and ``spans`` (``start``, ``end``, ``category``).
    """
    finder = find or find_phi
    counts = {c: {"gold": 0, "caught": 0, "found": 0, "correct": 0} for c in CATEGORIES}
    chars = {"gold": 0, "caught": 0, "found": 0, "correct": 0}
    missed: list[tuple[str, str, str]] = []
    n = 0
    for note in notes:
        n += 1
        text = note["text"]
        found = [(f.start, f.end, f.category) for f in finder(text)]  # type: ignore[operator]
        gold = [(s["start"], s["end"], s["category"]) for s in note["spans"]]
        found_mask = _alnum_mask(text, ((s, e) for s, e, _ in found))
        gold_mask = _alnum_mask(text, ((s, e) for s, e, _ in gold))
        for start, end, cat in gold:
            need = [i for i in range(start, end) if _ALNUM.match(text[i])]
            counts[cat]["gold"] += 1
            if all(found_mask[i] for i in need):
                counts[cat]["caught"] += 1
            else:
                missed.append((note.get("id", ""), cat, text[start:end]))
        for start, end, cat in found:
            counts[cat]["found"] += 1
            counts[cat]["correct"] += any(gold_mask[start:end])
        chars["gold"] += sum(gold_mask)
        chars["caught"] += sum(a & b for a, b in zip(gold_mask, found_mask, strict=True))
        chars["found"] += sum(found_mask)
    chars["correct"] = chars["caught"]
    by_cat = {
        c: {
            "gold": v["gold"],
            "recall": _ratio(v["caught"], v["gold"]),
            "found": v["found"],
            "precision": _ratio(v["correct"], v["found"]),
        }
        for c, v in counts.items()
    }
    total = {k: sum(v[k] for v in counts.values()) for k in ("gold", "caught", "found", "correct")}
    return Score(
        notes=n, gold_spans=total["gold"], found_spans=total["found"],
        recall=_ratio(total["caught"], total["gold"]), precision=_ratio(total["correct"], total["found"]),
        char_recall=_ratio(chars["caught"], chars["gold"]), char_precision=_ratio(chars["correct"], chars["found"]),
        by_category=by_cat, missed=missed,
    )  # fmt: skip


def read_notes(path: str | Path) -> list[dict]:
    """Labelled notes from a JSONL file (one ``{"id", "text", "spans": [...]}`` a line).

    Raises ``ValueError`` with the line number when a line is not such a note.
    """
    notes = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            note = json.loads(line)
            text, spans = note["text"], note["spans"]
            for span in spans:
                if (
                    not (0 <= span["start"] < span["end"] <= len(text))
                    or span["category"] not in CATEGORIES
                ):
                    raise ValueError(f"span {span!r} is outside the text or has no known category")
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path}, line {n}: not a labelled note ({exc})") from None
        notes.append(note)
    return notes


def score(notes: str | Path | Iterable[dict]) -> Score:
    """Recall, precision and per-category scores of :func:`find_phi` on labelled notes: a
    list of note dicts or the path of a JSONL file in the ``datasets/deid`` format."""
    if isinstance(notes, (str, Path)):
        notes = read_notes(notes)
    return evaluate(notes)


# -- data exports ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ColumnAction:
    """What :func:`deidentify_frame` did to one column, and why."""

    column: str
    action: str  # "kept", "dropped", "generalised", "de-identified text"
    reason: str


_DROP = (
    (
        r"^(first|last|middle)$|^(patient|subscriber|guarantor|insured|relative)_(first|last|middle)$|(^|_)(name|names|fullname|surname)($|_)",
        "A",
        "names",
    ),
    (
        r"(^|_)(street|address|address1|address2|addr|city|county|town)($|_)",
        "B",
        "geographic subdivisions smaller than a state",
    ),
    (r"(^|_)(phone|telephone|tel|cell|mobile)($|_)", "D", "telephone numbers"),
    (r"(^|_)fax($|_)", "E", "fax numbers"),
    (r"(^|_)(email|e_mail)($|_)", "F", "email addresses"),
    (r"(^|_)(ssn|social_security)($|_)", "G", "Social Security numbers"),
    (r"(^|_)(mrn|medical_record)($|_)", "H", "medical record numbers"),
    (
        r"(^|_)(member_id|member|mbi|subscriber_id|policy_number|beneficiary)($|_)",
        "I",
        "health plan beneficiary numbers",
    ),
    (r"(^|_)(account|acct|account_number)($|_)", "J", "account numbers"),
    (r"(^|_)(license|licence|certificate|dl)($|_)", "K", "certificate and license numbers"),
    (r"(^|_)(vin|plate|vehicle)($|_)", "L", "vehicle identifiers"),
    (r"(^|_)(device|serial|udi)($|_)", "M", "device identifiers and serial numbers"),
    (r"(^|_)(url|website)($|_)", "N", "URLs"),
    (r"(^|_)(ip|ip_address)($|_)", "O", "IP addresses"),
    (r"(^|_)(fingerprint|voiceprint|biometric)($|_)", "P", "biometric identifiers"),
    (r"(^|_)(photo|image|picture)($|_)", "Q", "full-face photographs"),
)
_TEXT_COLUMNS = re.compile(r"(^|_)(note|notes|text|comment|comments|message|memo|narrative)($|_)")
_DATE_COLUMN = re.compile(
    r"(^|_)(date|dob|dos|birth|birthdate|admitted|discharged|day|visit)($|_)|_on$|_at$"
)


def generalise_zip(value: object) -> str:
    """A ZIP code cut to its first 3 digits, ``000`` for a restricted area, ``""`` if none.

    >>> generalise_zip("62901-1234"), generalise_zip("03601"), generalise_zip(None)
    ('629', '000', '')
    """
    digits = re.sub(r"\D", "", "" if value is None else str(value))
    if len(digits) < 5:
        return ""
    zip3 = digits[:3]
    return "000" if zip3 in RESTRICTED_ZIP3 else zip3


def generalise_age(value: object) -> object:
    """An age over 89 becomes "90 or older"; other ages are kept.

    >>> generalise_age(93), generalise_age(45)
    ('90 or older', 45)
    """
    try:
        return "90 or older" if float(value) > 89 else value  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return value


def _year_of(value: object, as_of: dt.date) -> object:
    """The year of a date, or "<year - 90> or earlier" when it shows an age over 89."""
    import pandas as pd

    stamp = pd.to_datetime(value, errors="coerce")
    if pd.isna(stamp):
        return None
    return stamp.year if stamp.year >= as_of.year - 89 else f"{as_of.year - 90} or earlier"


def _drop_rule(column: str) -> tuple[str, str] | None:
    key = re.sub(r"[^a-z0-9]+", "_", column.lower()).strip("_")
    for pattern, letter, what in _DROP:
        if re.search(pattern, key):
            return letter, what
    return None


def deidentify_frame(
    frame: pd.DataFrame, as_of: dt.date | None = None
) -> tuple[pd.DataFrame, list[ColumnAction]]:
    """A Safe Harbor copy of ``frame`` and what was done to each column.

    Names, street, city, county, phone, fax, email, SSN, MRN, member ID, account,
    license, vehicle, device, URL, IP, biometric and photo columns are dropped; a
    ``zip`` column becomes ``zip3``; ``state`` is kept; date columns become the year
    (or "YYYY or earlier" when the year shows an age over 89); ``age`` over 89
    becomes "90 or older"; note/comment columns are de-identified as text.
    """
    import pandas as pd

    as_of = as_of or dt.date.today()
    out = pd.DataFrame(index=frame.index)
    actions: list[ColumnAction] = []
    for column in frame.columns:
        name = str(column)
        key = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
        series = frame[column]
        drop = _drop_rule(name)
        if key in ("zip", "zip_code", "zipcode", "postal_code"):
            out["zip3"] = series.map(generalise_zip)
            actions.append(
                ColumnAction(
                    name,
                    "generalised",
                    "ZIP to its first 3 digits (000 where the 3-digit area has 20,000 people or fewer): Safe Harbor (B)",
                )
            )
        elif drop:
            actions.append(ColumnAction(name, "dropped", f"{drop[1]}: Safe Harbor ({drop[0]})"))
        elif key == "age" or key.endswith("_age"):
            out[name] = series.map(generalise_age)
            actions.append(
                ColumnAction(
                    name, "generalised", "ages over 89 become '90 or older': Safe Harbor (C)"
                )
            )
        elif pd.api.types.is_datetime64_any_dtype(series) or _DATE_COLUMN.search(key):
            out[f"{name}_year"] = series.map(lambda v: _year_of(v, as_of))
            actions.append(
                ColumnAction(
                    name,
                    "generalised",
                    "dates to the year (a year showing an age over 89 is aggregated): Safe Harbor (C)",
                )
            )
        elif _TEXT_COLUMNS.search(key):
            out[name] = series.map(lambda v: deidentify_text(v) if isinstance(v, str) else v)
            actions.append(
                ColumnAction(
                    name, "de-identified text", "free text: each PHI span replaced by its tag"
                )
            )
        else:
            out[name] = series
            actions.append(ColumnAction(name, "kept", "not one of the 18 identifiers"))
    return out, actions
