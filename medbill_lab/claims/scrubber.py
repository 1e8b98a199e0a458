"""The claim scrubber: the edits a clearinghouse or payer runs on a CMS-1500
claim before paying it, each explained in plain words with its source.

``scrub(claim)`` returns a list of ``Edit``.  Every edit names the CMS-1500
item it concerns ("24D line 2"), says what is wrong, why (for a learner), and
where the rule comes from.  Severity follows what happens to the claim:

* ``reject``: the claim is returned unprocessed (invalid codes, pointers,
  totals, a future date of service); fix it and send it again.
* ``deny``: the claim is processed and the line or claim is not paid (NCCI,
  MUE, duplicates, timely filing, age and sex conflicts, a payer's strict
  Excludes1 rule).
* ``warn``: probably wrong, or paid only with documentation; look again (an
  Excludes1 pair, which guideline I.A.12.a allows for unrelated conditions).

The NCCI, MUE and age/sex tables are documented teaching subsets in
``datasets/ncci/`` and ``datasets/edits/``, not the complete CMS files.

>>> [e.id for e in scrub(_example_claim())]
['NCCI-PTP']
>>> what_if(_example_claim(), line=2, modifiers=["XS"])[1][0].id
'NCCI-PTP'
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from functools import cache
from typing import Any

from medbill_lab.claims.items import item_of
from medbill_lab.claims.model import POINTER_LETTERS, Claim, Payer, Person, ServiceLine, age_on
from medbill_lab.codes import icd10cm, procedures
from medbill_lab.codes.ncci import (
    AGE_SEX_SOURCE,
    BYPASS_MODIFIERS,
    MUE_SOURCE,
    PTP_SOURCE,
    AgeSexRule,
    Mue,
    PtpEdit,
    age_sex_rules_for,
    bypass_modifier,
    mue_table,
    ptp_table,
)

SEVERITIES = ("reject", "deny", "warn")
BLOCKING = frozenset({"reject", "deny"})
EDIT_IDS = (
    "ICD-INVALID",
    "ICD-7TH",
    "ICD-YEAR",
    "ICD-EXCLUDES1",
    "DX-SEX",
    "DX-AGE",
    "DX-FIRST",
    "PTR-MISSING",
    "PTR-DANGLING",
    "PROC-INVALID",
    "MOD-INVALID",
    "MOD-25",
    "MOD-LTRT",
    "MOD-50",
    "EM-GLOBAL",
    "NCCI-PTP",
    "MUE",
    "DUP-LINE",
    "TIMELY-FILING",
    "TOTAL-MISMATCH",
    "DOS-FUTURE",
)

# -- sources ------------------------------------------------------------------------
NUCC = "NUCC 1500 Claim Form Instruction Manual v13"
TIMELY_SOURCE = "Medicare Claims Processing Manual ch. 1 §70; the payer's contract"
MODIFIER_SOURCE = "CPT Appendix A and HCPCS Level II modifiers; " + NUCC + ", item 24D"


def _guidelines(fy: int, section: str) -> str:
    return f"ICD-10-CM Official Guidelines FY{fy} {section}"


# -- the edit -----------------------------------------------------------------------
@dataclass(frozen=True)
class Edit:
    """One finding on a claim: what is wrong, where on the form, why, and the rule's source."""

    id: str
    severity: str  # "reject" | "deny" | "warn"
    item: str  # the CMS-1500 item, e.g. "21C" or "24D line 2"
    message: str  # one line, starting with "Item <item>:"
    rationale: str  # plain words a learner can read
    source: str  # the citation

    def as_dict(self) -> dict[str, str]:
        """A JSON-ready view with the six fields.

        >>> Edit("MUE", "deny", "24G line 1", "m", "r", "s").as_dict()["item"]
        '24G line 1'
        """
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @property
    def blocking(self) -> bool:
        """True when the edit rejects or denies the claim (not a warning)."""
        return self.severity in BLOCKING


def _edit(id_: str, severity: str, item: str, text: str, rationale: str, source: str) -> Edit:
    item_of(item)  # an edit names an item of the CMS-1500 table ("24D line 2"), or UnknownItem
    return Edit(id_, severity, item, f"Item {item}: {text}", rationale, source)


# -- code references in Excludes1 notes ----------------------------------------------
@dataclass(frozen=True)
class CodeRef:
    """A code or range named in a tabular note: "E10.-", "O24.4-", "P70-P74", "E08-E13 with .42".

    ``lo`` and ``hi`` are undotted prefixes; a code matches when its first
    characters fall between them.  ``at`` and ``chars`` restrict the match to
    codes with ``chars`` at position ``at`` (0-based, undotted); ``at`` = -1
    means the code must end with ``chars``.
    """

    lo: str
    hi: str
    at: int | None = None
    chars: str = ""
    chars_hi: str = ""

    def matches(self, code: str) -> bool:
        """Does a (dotted or undotted) code fall under this reference?

        >>> CodeRef("E10", "E10").matches("E10.9"), CodeRef("E10", "E10").matches("E11.9")
        (True, False)
        >>> CodeRef("E08", "E13", 3, "42").matches("E11.42")
        True
        """
        raw = code.replace(".", "")
        if raw[: len(self.lo)] < self.lo or raw[: len(self.hi)] > self.hi:
            return False
        if self.at is None:
            return True
        if self.at < 0:
            return raw.endswith(self.chars)
        part = raw[self.at : self.at + len(self.chars)]
        return self.chars <= part <= (self.chars_hi or self.chars)

    def __str__(self) -> str:
        return self.lo if self.lo == self.hi else f"{self.lo}-{self.hi}"


_CODE = r"[A-Z](?:\d[0-9A-Z]|[A-Z]\d)(?:\.[0-9A-Z]{0,4})?"
_REF = re.compile(
    rf"(?<![A-Za-z0-9])(?P<a>{_CODE})"
    rf"(?:(?:\.?-)?\s*(?:-|\bto\b)\s*(?P<b>{_CODE})\.?-?|\.?-)?"
)
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
}
_NTH = r"(?P<n>\d|first|second|third|fourth|fifth|sixth|seventh)(?:st|nd|rd|th)?"
_QUALIFIERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"with \.(?P<c>[0-9A-Z]+)-?(?:\s*-\s*\.(?P<c2>[0-9A-Z]+)-?)?$"), "suffix"),
    (re.compile(rf"with {_NTH}[- ]characters? \.?(?P<c>[0-9A-Z])$"), "nth"),
    (re.compile(rf"with {_NTH} to \w+ characters (?P<c>[0-9A-Z]+)$"), "nth"),
    (re.compile(r"with final characters? -?(?P<c>[0-9A-Z]+)$"), "end"),
)


def _qualified(lo: str, hi: str, rest: str) -> CodeRef | None:
    """The reference with its "with ..." restriction, or None when it cannot be read."""
    rest = " ".join(rest.split())
    if not rest.startswith("with "):
        return CodeRef(lo, hi)
    for pattern, kind in _QUALIFIERS:
        m = pattern.match(rest)
        if not m:
            continue
        if kind == "suffix":
            return CodeRef(lo, hi, 3, m["c"], m["c2"] or "")
        if kind == "end":
            return CodeRef(lo, hi, -1, m["c"])
        n = m["n"]
        return CodeRef(lo, hi, (int(n) if n.isdigit() else _ORDINALS[n]) - 1, m["c"])
    return None


def _refs_in(segment: str, outside: bool) -> list[CodeRef] | None:
    """References in one parenthesis (or the text outside them); None if one is unreadable."""
    out = []
    for m in _REF.finditer(segment):
        tail = segment[m.end() :]
        if outside and tail.lstrip().startswith("("):
            continue  # "any type in A15 (J65)": A15 describes, J65 is the reference
        lo = m["a"].replace(".", "")
        hi = (m["b"] or m["a"]).replace(".", "")
        ref = _qualified(lo, hi, re.split(r"[,;]", tail, maxsplit=1)[0])
        if ref is None:
            return None
        out.append(ref)
    return out


def parse_code_refs(text: str) -> tuple[CodeRef, ...]:
    """The codes and ranges a tabular note names, read robustly from its text.

    Parenthesised references are read first ("(E08.-)", "(O10-O11, O13-O16)",
    "(E08-E13 with .42)"), then codes named in the running text ("classified
    to Q87.-").  A group whose "with ..." restriction cannot be read is left
    out rather than guessed.

    >>> [str(r) for r in parse_code_refs("gestational diabetes (O24.4-)")]
    ['O244']
    >>> [str(r) for r in parse_code_refs("complicating pregnancy (O10-O11, O13-O16)")]
    ['O10-O11', 'O13-O16']
    >>> parse_code_refs("see categories E08-E10, E11, E13 with ketoacidosis")
    ()
    """
    refs: list[CodeRef] = []
    for group in re.findall(r"\(([^()]*)\)", text):
        refs.extend(_refs_in(group, outside=False) or ())
    refs.extend(_refs_in(re.sub(r"\([^()]*\)", " ( ", text), outside=True) or ())
    return tuple(refs)


@cache
def _excludes1(code: str, fy: int) -> tuple[tuple[CodeRef, str, str], ...]:
    """(reference, note source, note text) for every Excludes1 note governing a code."""
    codeset = icd10cm.load(fy)
    return tuple(
        (ref, src, text)
        for src, kind, text in codeset.notes(code)
        if kind == "excludes1"
        for ref in parse_code_refs(text)
        if ref.lo in codeset.index or icd10cm.normalize(ref.lo) in codeset.index
    )


def _conflict(key: str, other_key: str, fy: int) -> tuple[str, str] | None:
    """excludes1_conflict for codes already normalised."""
    if key not in icd10cm.load(fy).index:
        return None
    raw = other_key.replace(".", "")
    for ref, src, text in _excludes1(key, fy):
        if ref.matches(raw):
            return src, text
    return None


def excludes1_conflict(code: str, other: str, fy: int = 2026) -> tuple[str, str] | None:
    """(note source, note text) when an Excludes1 note of ``code`` names ``other``, else None.

    >>> excludes1_conflict("E11.9", "E10.9")
    ('E11', 'type 1 diabetes mellitus (E10.-)')
    >>> excludes1_conflict("E11.9", "I10") is None
    True
    """
    return _conflict(icd10cm.normalize(code), icd10cm.normalize(other), fy)


# -- diagnosis checks ---------------------------------------------------------------
_CONDITIONAL = re.compile(r"if applicable|if known|if present|^\W*any\b|any associated", re.I)


_FOR_ADVERSE_EFFECTS = re.compile(r"^\W*for adverse effects?\b", re.I)
_MANIFESTATION = "I.A.13"  # etiology/manifestation convention
_POISONING = "I.C.19.e.5"  # adverse effect, poisoning, underdosing


@cache
def _first_listed_problem(code: str, fy: int) -> tuple[str, str]:
    """(why a code may not be first-listed, guideline section), or ('', '') when it may.

    Read from the FY's tabular data: the title ("in diseases classified
    elsewhere", "Adverse effect of", "Underdosing of") and the "code first" notes
    that govern the code.  A "code first" note scoped "for adverse effects" (the
    one at T36-T50) binds only adverse-effect codes: a poisoning (T36-T50 with 6th
    character 1-4) or a toxic effect (T51-T65) is listed before its
    manifestations (guideline I.C.19.e.5.b).
    """
    if code[:1] in "VWXY":
        return (
            "an external-cause code (V00-Y99) describes how an injury happened, not the condition",
            "I.C.20",
        )
    codeset = icd10cm.load(fy)
    if code not in codeset.index:
        return "", ""
    title = codeset.get(code).description.lower()
    if "in diseases classified elsewhere" in title:
        return (
            "a manifestation code ('in diseases classified elsewhere') follows its underlying "
            "disease",
            _MANIFESTATION,
        )
    if title.startswith("underdosing of"):
        return (
            "an underdosing code is never first-listed: list the condition the missed or reduced "
            "dose affected, if any, or the reason for the visit first",
            _POISONING + ".c",
        )
    adverse = title.startswith("adverse effect of")
    groups: dict[str, list[str]] = {}
    for src, kind, text in codeset.notes(code):
        if kind == "code_first":
            groups.setdefault(src, []).append(text)
    for src, texts in groups.items():
        if _CONDITIONAL.search(texts[0]):
            continue
        if _FOR_ADVERSE_EFFECTS.search(texts[0]):
            if not adverse:
                continue  # a poisoning: the note is not about it
            return (
                f"an adverse-effect code follows the code for the nature of the effect (the "
                f"'code first' note at {src} names e.g. {_example(texts)})",
                _POISONING + ".a",
            )
        note = texts[0].strip(" :,")
        return (
            f"the 'code first' note at {src} ({note}) puts another code before it",
            _MANIFESTATION,
        )
    return "", ""


def _example(texts: list[str]) -> str:
    """A few of the codes a "code first" note's list names, e.g. "T88.7, K29.-"."""
    named = [m.group(1) for t in texts[1:] for m in [re.search(r"\(([^()]+)\)\s*$", t)] if m]
    return ", ".join(named[:3]) or "the condition"


def _seventh_problem(code: str, fy: int) -> str:
    """Detail when a 7-character code has a 7th character its table does not allow."""
    raw = code.replace(".", "")
    codeset = icd10cm.load(fy)
    stem = icd10cm.normalize(raw[:6])
    i = codeset.index.get(stem)
    if len(raw) != 7 or i is None or not codeset.needs_seventh(i):
        return ""
    table = codeset.seventh_characters(stem)
    allowed = ", ".join(f"{c} {t}" for c, t in table.items())
    return f"'{raw[6]}' is not a 7th character of {stem}; its table allows: {allowed}."


@cache
def _dx_status(code: str, fy: int) -> tuple[str, str, str]:
    """(edit id or '', reason, detail) for a normalised code in a fiscal year (cached)."""
    v = icd10cm.validate(code, dt.date(fy, 1, 1))  # January 1 of year N is in FY N
    if v.valid:
        return "", "", ""
    if v.reason in ("missing 7th character", "missing placeholder X"):
        return "ICD-7TH", v.reason, v.detail
    bad = _seventh_problem(code, fy) if v.reason == "unknown" else ""
    if bad:
        return "ICD-7TH", "invalid 7th character", bad
    return "ICD-INVALID", v.reason, v.detail


# -- the claim, prepared once ---------------------------------------------------------
_normalize = cache(icd10cm.normalize)


def _upper(values: list[str]) -> tuple[str, ...]:
    return tuple(v.strip().upper() for v in values)


@dataclass
class _Context:
    """What every check needs, computed once per claim."""

    claim: Claim
    today: dt.date
    dx: list[str]  # normalised codes, "" for an empty slot
    codes: list[str]  # 24D codes, upper-case
    mods: list[tuple[str, ...]]  # 24D modifiers, upper-case
    pointers: list[tuple[str, ...]]  # 24E letters, upper-case
    first_dos: dt.date | None

    @classmethod
    def of(cls, claim: Claim, today: dt.date | None) -> _Context:
        lines = claim.lines
        return cls(
            claim=claim,
            today=today or dt.date.today(),
            dx=[_normalize(d) if d and d.strip() else "" for d in claim.diagnoses],
            codes=[ln.code.strip().upper() for ln in lines],
            mods=[_upper(ln.modifiers) if ln.modifiers else () for ln in lines],
            pointers=[_upper(ln.pointers) for ln in lines],
            first_dos=min((ln.date_from for ln in lines), default=None),
        )

    def letter(self, i: int) -> str:
        return POINTER_LETTERS[i] if i < len(POINTER_LETTERS) else str(i + 1)

    def dates_for(self, i: int) -> list[dt.date]:
        """Dates of the lines pointing at diagnosis ``i`` (the first date if none do)."""
        letter = self.letter(i)
        lines = zip(self.claim.lines, self.pointers, strict=True)
        days = {ln.date_from for ln, p in lines if letter in p}
        return sorted(days) or ([self.first_dos] if self.first_dos else [])


def _fy(day: dt.date) -> int:
    return day.year + 1 if day.month >= 10 else day.year


def _icd_edits(ctx: _Context) -> Iterator[Edit]:
    """ICD-INVALID, ICD-7TH and ICD-YEAR for each diagnosis in item 21."""
    for i, code in enumerate(ctx.dx):
        if not code:
            continue
        done: set[int] = set()
        for day in ctx.dates_for(i):
            fy = _fy(day)
            if fy in done or not icd10cm.available(fy):
                continue
            done.add(fy)
            edit_id, reason, detail = _dx_status(code, fy)
            if edit_id:
                yield _icd_edit(edit_id, f"21{ctx.letter(i)}", code, day, fy, reason, detail)


def _icd_edit(
    edit_id: str, item: str, code: str, day: dt.date, fy: int, reason: str, why: str
) -> Edit:
    text = f"{code} is not valid on {day.isoformat()} (FY{fy}): {reason}. {why}"
    if edit_id == "ICD-7TH":
        rationale = (
            "Injury, poisoning and some other codes need a 7th character for the episode of care "
            "(A initial, D subsequent, S sequela). When the code is shorter than 6 characters, the "
            "placeholder X fills the gap so the 7th character stays in position 7 (T78.40XA)."
        )
        return _edit(
            edit_id, "reject", item, text, rationale, _guidelines(fy, "I.A.4-I.A.5, I.B.2")
        )
    rationale = (
        "Only complete (billable) codes valid on the date of service may be reported. The code-set "
        "year runs October 1 to September 30 and there is no grace period: a deleted or expanded "
        "code is rejected from October 1, and a new code cannot be used before it starts."
    )
    return _edit(
        edit_id,
        "reject",
        item,
        text,
        rationale,
        _guidelines(fy, "I.A.3, I.B.2; code set valid on the date of service (45 CFR 162.1002)"),
    )


def _year_edits(ctx: _Context) -> Iterator[Edit]:
    """ICD-YEAR: a date of service in a fiscal year neither shipped nor imported (codes
    unchecked: never against another year's code set); the message names the command that
    adds the year."""
    seen: set[int] = set()
    for n, ln in enumerate(ctx.claim.lines, 1):
        fy = _fy(ln.date_from)
        if icd10cm.available(fy) or fy in seen or not any(ctx.dx):
            continue
        seen.add(fy)
        yield _edit(
            "ICD-YEAR",
            "warn",
            f"24A line {n}",
            f"{icd10cm.not_installed(fy, ln.date_from)}. Item 21 was not checked for that year",
            "Diagnosis codes are checked against the code set of the date of service. The lab "
            "cannot tell whether these codes were valid in that year.",
            "ICD-10-CM code-set effective dates (45 CFR 162.1002)",
        )


def _future_edits(ctx: _Context) -> Iterator[Edit]:
    """DOS-FUTURE: a 24A date after the check date (``today``) or after the send date."""
    sent = ctx.claim.submitted_on
    limit = min(ctx.today, sent) if sent else ctx.today
    for n, ln in enumerate(ctx.claim.lines, 1):
        last = max(ln.date_from, ln.date_to or ln.date_from)
        if last <= limit:
            continue
        if sent and sent < ctx.today:
            when = f"the claim's send date {sent.isoformat()} (submitted_on)"
        else:
            when = f"today, {ctx.today.isoformat()}"
        which = "service date" if last == ln.date_from else "'to' date"
        yield _edit(
            "DOS-FUTURE",
            "reject",
            f"24A line {n}",
            f"{which} {last.isoformat()} is after {when}: a service is billed only once it "
            "has been given",
            "A claim bills care already given: every date of service must be on or before the "
            "day the claim is created and sent. A future date is usually a typing error in the "
            "year or month; payers return such claims unprocessed (CARC 110: billing date "
            "predates service date).",
            NUCC + ", item 24A; X12 CARC 110",
        )


def _excludes1_edits(ctx: _Context) -> Iterator[Edit]:
    """ICD-EXCLUDES1: two diagnoses where one's Excludes1 note names the other.

    A warning by default: guideline I.A.12.a lets both be reported when the two
    conditions are unrelated.  A pair the claim attests as unrelated
    (``unrelated_dx_attested``) is not flagged; a payer with ``excludes1_strict``
    denies every pair, attested or not.
    """
    if not ctx.first_dos or not icd10cm.available(_fy(ctx.first_dos)):
        return
    fy = _fy(ctx.first_dos)
    strict = bool(getattr(ctx.claim.payer, "excludes1_strict", False))
    attested = _attested_pairs(ctx.claim)
    present = [(i, c) for i, c in enumerate(ctx.dx) if c]
    for x, (i, a) in enumerate(present):
        for j, b in present[x + 1 :]:
            if a == b or (not strict and frozenset((a, b)) in attested):
                continue
            hit = _conflict(a, b, fy)
            pair = (a, b) if hit else (b, a)
            hit = hit or _conflict(b, a, fy)
            if hit:
                yield _excludes1_edit(ctx, i, j, pair, hit, fy, strict)


def _attested_pairs(claim: Claim) -> set[frozenset[str]]:
    """The diagnosis pairs the claim attests are unrelated, normalised (E11.9, not e119)."""
    pairs = getattr(claim, "unrelated_dx_attested", None) or []
    return {frozenset(_normalize(c) for c in pair if c and c.strip()) for pair in pairs}


def _excludes1_edit(
    ctx: _Context,
    i: int,
    j: int,
    pair: tuple[str, str],
    hit: tuple[str, str],
    fy: int,
    strict: bool,
) -> Edit:
    src, note = hit
    item = f"21{ctx.letter(i)}, 21{ctx.letter(j)}"
    text = f"{pair[0]} and {pair[1]}: the Excludes1 note at {src} lists '{note}'; " + (
        f"{ctx.claim.payer.name} does not accept the unrelated-conditions exception"
        if strict
        else "report both only if the conditions are unrelated, and attest it"
    )
    why = (
        "Excludes1 means 'not coded here': the two codes describe conditions that cannot occur "
        "together (one code is usually wrong, e.g. a form and its own variant). Exception: when "
        "the two conditions are unrelated to each other, both may be reported; if the record "
        "does not make that clear, query the provider. Mark the pair in unrelated_dx_attested "
        "when the record shows it."
    )
    if strict:
        why += (
            " This payer's rule denies the pair anyway: correct the codes, or appeal with the "
            "record showing the conditions are unrelated."
        )
    return _edit(
        "ICD-EXCLUDES1",
        "deny" if strict else "warn",
        item,
        text,
        why,
        _guidelines(fy, f"I.A.12.a; Tabular List Excludes1 note at {src}"),
    )


def _first_listed_edits(ctx: _Context) -> Iterator[Edit]:
    """DX-FIRST: a manifestation, external-cause, adverse-effect or underdosing code in 21A."""
    if not ctx.dx or not ctx.dx[0] or not ctx.first_dos:
        return
    fy = _fy(ctx.first_dos)
    if not icd10cm.available(fy):
        return
    problem, section = _first_listed_problem(ctx.dx[0], fy)
    if not problem:
        return
    yield _edit(
        "DX-FIRST",
        "deny",
        "21A",
        f"{ctx.dx[0]} cannot be listed first: {problem}",
        _FIRST_WHY[section[:10]],
        _guidelines(fy, section) + ("; MCE edit 2" if section == "I.C.20" else ""),
    )


_FIRST_WHY = {
    "I.C.20": "Item 21A holds the main reason for the visit. External-cause codes (V00-Y99) only "
    "add how an injury happened, so they never come first.",
    _MANIFESTATION: "Item 21A holds the main reason for the visit. A manifestation is sequenced "
    "after its underlying condition (etiology first, then manifestation), so it never comes "
    "first.",
    _POISONING: "Drugs and chemicals are sequenced by what happened. A poisoning (wrong drug or "
    "dose, overdose: T36-T50 with 6th character 1-4) or a toxic effect (T51-T65) comes first, "
    "then its manifestations. An adverse effect of a drug taken as prescribed (6th character 5) "
    "comes after the nature of the effect (e.g. rash, T88.7). Underdosing (6th character 6) is "
    "never first-listed.",
}


def _age_sex_edits(ctx: _Context) -> Iterator[Edit]:
    """DX-SEX and DX-AGE from the age/sex teaching table."""
    patient, day = ctx.claim.patient, ctx.first_dos
    age = age_on(patient.dob, day) if patient.dob and day else None
    sex = (patient.sex or "").strip().upper()
    for i, code in enumerate(ctx.dx):
        rules = age_sex_rules_for(code.replace(".", "")) if code else ()
        item = f"21{ctx.letter(i)}"
        bad_sex = next((r for r in rules if r.sex and sex in ("M", "F") and r.sex != sex), None)
        if bad_sex:
            yield _sex_edit(item, code, bad_sex, sex)
        bad_age = next((r for r in rules if age is not None and not _age_ok(r, age)), None)
        if bad_age and age is not None and day:
            yield _age_edit(item, code, bad_age, age, day)


def _age_ok(rule: AgeSexRule, age: int) -> bool:
    low = rule.min_age if rule.min_age is not None else 0
    high = rule.max_age if rule.max_age is not None else 200
    return low <= age <= high


def _sex_edit(item: str, code: str, rule: AgeSexRule, sex: str) -> Edit:
    need = {"M": "male", "F": "female"}[rule.sex]
    return _edit(
        "DX-SEX",
        "deny",
        item,
        f"{code} ({rule.category}) is for a {need} patient; item 3 gives sex {sex}",
        f"{rule.rationale}. Check the code and the patient's recorded sex: many payers deny codes "
        "that conflict with it (recent CMS MCE versions no longer apply their own sex edit).",
        _row_source(rule),
    )


def _age_edit(item: str, code: str, rule: AgeSexRule, age: int, day: dt.date) -> Edit:
    low, high = rule.min_age or 0, rule.max_age if rule.max_age is not None else 124
    ages = f"age {low}" if low == high else f"age {low}-{high}"
    return _edit(
        "DX-AGE",
        "deny",
        item,
        f"{code} ({rule.category}) needs {ages}; the patient (item 3) is {age} on {day.isoformat()}",
        f"{rule.rationale}. A code that cannot fit the patient's age points to a wrong code or a "
        "wrong date of birth.",
        _row_source(rule),
    )


def _row_source(rule: AgeSexRule) -> str:
    """The table, then the row's own source."""
    return f"{AGE_SEX_SOURCE}; {rule.source}" if rule.source else AGE_SEX_SOURCE


# -- line checks ----------------------------------------------------------------------
def _pointer_edits(ctx: _Context) -> Iterator[Edit]:
    """PTR-MISSING and PTR-DANGLING for item 24E."""
    filled = len(ctx.dx)
    for n, letters in enumerate(ctx.pointers, 1):
        if not any(letters):
            yield _edit(
                "PTR-MISSING",
                "reject",
                f"24E line {n}",
                f"{ctx.codes[n - 1]} has no diagnosis pointer",
                "Each service line must point (letters A-L) to the item 21 diagnosis that "
                "justifies it; without one the payer cannot link the service to a reason.",
                NUCC + ", item 24E",
            )
            continue
        for letter in letters:
            i = POINTER_LETTERS.find(letter) if len(letter) == 1 else -1
            if letter and (i < 0 or i >= filled or not ctx.dx[i]):
                yield _dangling(f"24E line {n}", letter, ctx.codes[n - 1])


def _dangling(item: str, letter: str, code: str) -> Edit:
    return _edit(
        "PTR-DANGLING",
        "reject",
        item,
        f"pointer {letter!r} on {code} refers to no diagnosis in item 21",
        "A pointer is the letter of a filled item 21 slot (A-L). Pointing at an empty slot "
        "links the service to nothing.",
        NUCC + ", item 24E",
    )


def _procedure_edits(ctx: _Context) -> Iterator[Edit]:
    """PROC-INVALID: a 24D code in neither teaching code set."""
    cpt, hcpcs = procedures.cpt(), procedures.hcpcs()
    for n, code in enumerate(ctx.codes, 1):
        if code not in cpt and code not in hcpcs:
            yield _edit(
                "PROC-INVALID",
                "reject",
                f"24D line {n}",
                f"{code or '(blank)'} is not a CPT or HCPCS code in the lab's teaching sets",
                "Item 24D needs a valid CPT or HCPCS Level II code for the date of service; an "
                "unknown code cannot be priced.",
                "CPT and HCPCS Level II code sets (45 CFR 162.1002); " + NUCC + ", item 24D",
            )


_EM = range(99202, 99500)
# General ophthalmological services take 25 and 57 like an E/M (NCCI Policy Manual ch. XI).
_EYE_EXAMS = range(92002, 92015)
# Services that make modifier 25 on a same-day E/M appropriate (lab teaching rule):
# surgery (not blood draws), vaccine and drug administration, nebulizer treatment,
# allergy testing and immunotherapy, osteopathic and chiropractic manipulation.
_PROCEDURE_RANGES = (
    range(10004, 36415),
    range(36417, 69991),
    range(90460, 90475),
    range(94640, 94641),
    range(95004, 95200),
    range(96360, 96550),
    range(98925, 98944),
)
_PROCEDURE_HCPCS = frozenset({"G0008", "G0009", "G0010"})
# A preventive visit is the "other service" of a same-day problem-oriented E/M: CPT's
# Preventive Medicine guidelines put 25 on the office visit (99202-99215) billed beside
# 99381-99397; Medicare does the same beside the IPPE (G0402) and the annual wellness
# visit (G0438, G0439) (Claims Processing Manual ch. 12 §30.6.6, ch. 18 §80 and §140).
_PREVENTIVE_CPT = range(99381, 99398)
_PREVENTIVE_HCPCS = frozenset({"G0402", "G0438", "G0439"})


def _is_em(code: str) -> bool:
    return code.isdigit() and (int(code) in _EM or int(code) in _EYE_EXAMS)


def _is_preventive(code: str) -> bool:
    return code in _PREVENTIVE_HCPCS or (code.isdigit() and int(code) in _PREVENTIVE_CPT)


def _is_procedure(code: str) -> bool:
    if code in _PROCEDURE_HCPCS:
        return True
    period = procedures.global_period(code)
    if period and (period.minor or period.major):
        return True
    return code.isdigit() and any(int(code) in r for r in _PROCEDURE_RANGES)


def _modifier_edits(ctx: _Context) -> Iterator[Edit]:
    """MOD-INVALID, MOD-25, MOD-LTRT and MOD-50 for item 24D."""
    known = procedures.modifiers()
    for n, (ln, code, mods) in enumerate(zip(ctx.claim.lines, ctx.codes, ctx.mods, strict=True), 1):
        for m in mods:
            if m not in known:
                yield _unknown_modifier(n, m)
        if "25" in mods:
            yield from _mod25(ctx, n, ln, code)
        if "LT" in mods and "RT" in mods:
            yield _both_sides(n, code)
        if "50" in mods and ln.units != 1:
            yield _bilateral_units(n, code, ln.units)


def _unknown_modifier(n: int, modifier: str) -> Edit:
    return _edit(
        "MOD-INVALID",
        "reject",
        f"24D line {n}",
        f"{modifier or '(blank)'} is not a CPT or HCPCS modifier",
        "Modifiers are two characters from the CPT or HCPCS Level II lists; an unknown one "
        "makes the line unreadable to the payer.",
        MODIFIER_SOURCE,
    )


def _both_sides(n: int, code: str) -> Edit:
    return _edit(
        "MOD-LTRT",
        "deny",
        f"24D line {n}",
        f"{code} carries both LT and RT on one line",
        "One line describes one side. A procedure done on both sides is one line with modifier "
        "50 (or RT and LT on two lines, as the payer asks).",
        "Medicare Claims Processing Manual ch. 12 §40.7; " + MODIFIER_SOURCE,
    )


def _bilateral_units(n: int, code: str, units: Decimal) -> Edit:
    return _edit(
        "MOD-50",
        "deny",
        f"24G line {n}",
        f"{code} with modifier 50 must be 1 unit, not {units}",
        "A bilateral procedure with modifier 50 is billed on one line with 1 unit; the payer "
        "adds the bilateral payment. Two units double-count the second side.",
        "Medicare Claims Processing Manual ch. 12 §40.7; " + NUCC + ", item 24G",
    )


def _mod25(ctx: _Context, n: int, ln: ServiceLine, code: str) -> Iterator[Edit]:
    """MOD-25: 25 only on an E/M with a same-day procedure or preventive visit on the claim
    (and on the problem-oriented visit, not the preventive one)."""
    source = "CPT Appendix A, modifier 25; Medicare Claims Processing Manual ch. 12 §30.6.6"
    if not _is_em(code):
        yield _edit(
            "MOD-25",
            "deny",
            f"24D line {n}",
            f"modifier 25 is on {code}, which is not an E/M code (99202-99499)",
            "Modifier 25 marks a significant, separately identifiable E/M visit on the day of a "
            "procedure. It belongs on the E/M code, never on the procedure.",
            source,
        )
        return
    others = [
        c
        for other, c in zip(ctx.claim.lines, ctx.codes, strict=True)
        if other is not ln and other.date_from == ln.date_from
    ]
    problem_visits = [c for c in others if _is_em(c) and not _is_preventive(c)]
    if _is_preventive(code) and problem_visits and not any(map(_is_procedure, others)):
        yield _edit(
            "MOD-25",
            "warn",
            f"24D line {n}",
            f"modifier 25 is on the preventive visit {code}; it belongs on the problem-oriented "
            f"visit {problem_visits[0]} billed the same day",
            "When a problem is addressed during a preventive visit, the office visit for the "
            "problem is reported too, and modifier 25 goes on that office visit.",
            source + "; CPT Preventive Medicine Services guidelines",
        )
        return
    if not any(_is_procedure(c) or _is_preventive(c) for c in others):
        yield _edit(
            "MOD-25",
            "warn",
            f"24D line {n}",
            f"{code} has modifier 25 but no procedure or preventive visit is billed on "
            f"{ln.date_from.isoformat()}",
            "Modifier 25 says the visit was separate from a same-day procedure or other service "
            "(such as a preventive visit). With neither on the claim it is not needed, and payers "
            "watch for its overuse.",
            source,
        )


# -- E/M inside a procedure's global package -------------------------------------------------
GLOBAL_SOURCE = (
    "Medicare Claims Processing Manual (Pub. 100-04) ch. 12 §30.6.6 and §40.1-40.2; NCCI Policy "
    "Manual ch. I §D and ch. XI; global days from the CMS MPFS relative value file, column GLOB "
    "DAYS (datasets/cpt/global_periods.csv)"
)


@dataclass(frozen=True)
class GlobalConflict:
    """An E/M line that a procedure's global surgery package may already include.

    ``kind`` is one of:

    * ``minor-no-25``: E/M the same day as a 0/10-day procedure without 25 (bundled);
    * ``minor-57``: 57 with only a 0/10-day procedure: the decision for minor surgery is
      part of it (use 25 for a significant, separately identifiable visit);
    * ``major-no-57``: E/M the day of or the day before a 90-day procedure with neither 57
      nor 25 (the pre-operative visit is part of the package);
    * ``major-25``: 25 rather than 57 by a 90-day procedure: paid, but only right for a
      separate problem (a warning);
    * ``57-no-major``: 57 with no 90-day procedure that day or the next (a warning).
    """

    em: int  # 0-based index of the E/M line
    procedure: int | None  # 0-based index of the procedure line, None for 57-no-major
    days: str
    kind: str

    @property
    def blocking(self) -> bool:
        """True when the E/M is not paid (the others are warnings)."""
        return self.kind in ("minor-no-25", "minor-57", "major-no-57")


def _same_provider(a: ServiceLine, b: ServiceLine) -> bool:
    # The package covers the surgeon's own visits; another rendering provider's visit is outside it.
    return not (a.rendering_npi and b.rendering_npi and a.rendering_npi != b.rendering_npi)


def _global_lines(
    lines: list[ServiceLine], codes: list[str], em: int, days: tuple[dt.date, ...], major: bool
) -> int | None:
    """The first line on one of ``days`` with a minor (or major) global, by the same provider."""
    for k, (ln, code) in enumerate(zip(lines, codes, strict=True)):
        period = procedures.global_period(code)
        if k == em or period is None or ln.date_from not in days:
            continue
        if (period.major if major else period.minor) and _same_provider(lines[em], ln):
            return k
    return None


def _em_conflict(lines: list[ServiceLine], codes: list[str], i: int) -> GlobalConflict | None:
    mods = {m.strip().upper() for m in lines[i].modifiers}
    day = lines[i].date_from
    major = _global_lines(lines, codes, i, (day, day + dt.timedelta(days=1)), major=True)
    if major is not None:
        if "57" in mods:
            return None
        kind = "major-25" if "25" in mods else "major-no-57"
        return GlobalConflict(i, major, "090", kind)
    minor = _global_lines(lines, codes, i, (day,), major=False)
    if minor is not None:
        if "25" in mods:
            return None
        kind = "minor-57" if "57" in mods else "minor-no-25"
        days = procedures.global_periods()[codes[minor]].days
        return GlobalConflict(i, minor, days, kind)
    if "57" in mods:
        return GlobalConflict(i, None, "", "57-no-major")
    return None


def em_global_conflicts(lines: list[ServiceLine]) -> list[GlobalConflict]:
    """E/M lines that a same-day (or next-day major) procedure's global package includes.

    One rule for the scrubber and the payer simulator: an E/M the same day as a 0- or
    10-day procedure is part of it unless a significant, separately identifiable visit is
    marked with 25; an E/M the day of or the day before a 90-day procedure is part of it
    unless it was the decision for surgery (57).  Codes with no global period (XXX, such
    as an ECG or a lab test) never bundle a visit this way.

    >>> d = dt.date(2026, 3, 2)
    >>> em = ServiceLine(d, "99213", Decimal("100"))
    >>> [c.kind for c in em_global_conflicts([em, ServiceLine(d, "11102", Decimal("90"))])]
    ['minor-no-25']
    """
    codes = [ln.code.strip().upper() for ln in lines]
    found = (_em_conflict(lines, codes, i) for i in range(len(lines)) if _visit(codes[i]))
    return [c for c in found if c is not None]


def _visit(code: str) -> bool:
    # An add-on E/M (99292, 99417: global ZZZ) follows its primary visit and is not checked alone.
    period = procedures.global_period(code)
    return _is_em(code) and not (period and period.days == "ZZZ")


_GLOBAL_TEXT = {
    "minor-no-25": (
        "{em} is billed the same day as {proc} (line {p}, {days}-day global) without modifier 25",
        "A 0- or 10-day procedure already pays for the usual check before it and for the "
        "decision to do it. A visit is paid as well only when it was significant and separately "
        "identifiable (a separate problem, or the same problem well beyond the usual "
        "pre-procedure assessment), documented, and marked with 25 on the E/M. A different "
        "diagnosis is not required. Without 25 the payer bundles the visit (CO-97).",
    ),
    "minor-57": (
        "{em} carries 57 but {proc} (line {p}) has a {days}-day global; 57 is for major surgery",
        "The decision to do a minor (0- or 10-day) procedure is part of the procedure, so 57 "
        "does not apply. If the visit was significant and separately identifiable, use 25; if "
        "not, do not bill the visit.",
    ),
    "major-no-57": (
        "{em} is in the global package of {proc} (line {p}, 90-day global) without modifier 57",
        "A 90-day (major) procedure includes the visits from the day before through the day of "
        "surgery. The visit at which the decision to operate was made is paid separately with "
        "57 on the E/M; other pre-operative visits are not billed.",
    ),
    "major-25": (
        "{em} has 25 beside {proc} (line {p}, 90-day global); if this visit decided the surgery "
        "it takes 57",
        "For a major procedure the decision-for-surgery visit takes 57, not 25. Keep 25 only for "
        "a significant, separately identifiable problem unrelated to the decision to operate.",
    ),
    "57-no-major": (
        "{em} carries 57 but no 90-day procedure is billed that day or the next",
        "Modifier 57 marks the visit at which the decision for major surgery was made, the day "
        "before or the day of the surgery. With no such procedure on the claim it is not needed.",
    ),
}


def _global_edits(ctx: _Context) -> Iterator[Edit]:
    """EM-GLOBAL: an E/M inside a same-day procedure's global package (25 and 57)."""
    for c in em_global_conflicts(ctx.claim.lines):
        proc = ctx.codes[c.procedure] if c.procedure is not None else ""
        p = c.procedure + 1 if c.procedure is not None else 0
        text, why = _GLOBAL_TEXT[c.kind]
        message = text.format(em=ctx.codes[c.em], proc=proc, p=p, days=c.days.lstrip("0") or "0")
        severity = "deny" if c.blocking else "warn"
        yield _edit("EM-GLOBAL", severity, f"24D line {c.em + 1}", message, why, GLOBAL_SOURCE)


# -- NCCI -------------------------------------------------------------------------------
def _ptp_edits(ctx: _Context) -> Iterator[Edit]:
    """NCCI-PTP: same-day code pairs in the teaching table."""
    table = ptp_table()
    lines = ctx.claim.lines
    for i in range(len(lines)):
        for j in range(len(lines)):
            if i == j or lines[i].date_from != lines[j].date_from:
                continue
            for row in table.get((ctx.codes[i], ctx.codes[j]), ()):
                if row.active_on(lines[i].date_from):
                    edit = _ptp_edit(ctx, row, i, j)
                    if edit:
                        yield edit


def _ptp_edit(ctx: _Context, row: PtpEdit, i: int, j: int) -> Edit | None:
    """The edit for column-1 line ``i`` and column-2 line ``j``, or None when bypassed."""
    c1, c2, n1, n2 = row.column1, row.column2, i + 1, j + 1
    item = f"24D line {n2}"
    if row.modifier_indicator == "0":
        text = (
            f"{c2} is not paid with {c1} (line {n1}) on the same day; no modifier bypasses "
            "this edit (NCCI indicator 0)"
        )
        why = (
            f"{row.rationale}. Indicator 0: the pair is never paid together, whatever the modifier."
        )
        return _edit("NCCI-PTP", "deny", item, text, why, PTP_SOURCE)
    if bypass_modifier(ctx.mods[j], ctx.mods[i]):
        return None
    on_col1 = next((m for m in ctx.mods[i] if m in BYPASS_MODIFIERS), "")  # not anatomic
    why = (
        f"{row.rationale}. Indicator 1: both are paid only when the services were truly distinct "
        "(another session, site, practitioner or non-overlapping service) and a modifier on the "
        "column-2 code says so: 59, XE/XS/XP/XU, or an anatomic modifier such as RT/LT when the "
        "sites differ."
    )
    if on_col1:
        text = (
            f"{c2} with {c1} (line {n1}): the bypass modifier {on_col1} is on the column-1 code; "
            f"put it on {c2} (NCCI indicator 1)"
        )
        why += " Medicare accepts the modifier on either code; many payers want it on column 2."
        return _edit("NCCI-PTP", "warn", item, text, why, PTP_SOURCE)
    text = (
        f"{c2} with {c1} (line {n1}) on the same day needs modifier 59 or X{{EPSU}} on {c2} "
        "(NCCI indicator 1)"
    )
    return _edit("NCCI-PTP", "deny", item, text, why, PTP_SOURCE)


_MAI = {
    1: "MAI 1 is a per-line limit: documented extra units go on another line with a modifier "
    "such as 59, 76 or RT/LT.",
    2: "MAI 2 is a per-day limit set by policy: units above it are never paid, on appeal or not.",
    3: "MAI 3 is a per-day clinical limit: units above it are denied, and an appeal with "
    "documentation may succeed.",
}


def _mue_edits(ctx: _Context) -> Iterator[Edit]:
    """MUE: units over the limit per line (MAI 1) or per day summed over lines (MAI 2, 3)."""
    table = mue_table()
    per_day: dict[tuple[str, dt.date], list[int]] = {}
    for n, (ln, code) in enumerate(zip(ctx.claim.lines, ctx.codes, strict=True), 1):
        mue = table.get(code)
        if mue is None:
            continue
        if mue.mai == 1 and ln.units > mue.mue:
            yield _mue_edit(mue, [n], ln.units, "per line", ln.date_from)
        elif mue.mai != 1:
            per_day.setdefault((code, ln.date_from), []).append(n)
    for (code, day), numbers in per_day.items():
        total = sum((ctx.claim.lines[n - 1].units for n in numbers), Decimal(0))
        if total > table[code].mue:
            yield _mue_edit(table[code], numbers, total, "per day", day)


def _mue_edit(mue: Mue, numbers: list[int], units: Decimal, per: str, day: dt.date) -> Edit:
    label = "line" if len(numbers) == 1 else "lines"
    item = f"24G {label} {', '.join(map(str, numbers))}"
    return _edit(
        "MUE",
        "deny",
        item,
        f"{units} units of {mue.code} on {day.isoformat()} exceed the MUE of {mue.mue} {per} "
        f"(MAI {mue.mai})",
        f"{mue.rationale}. A medically unlikely edit is the most units one provider reports for "
        f"one patient on one day in almost every case. {_MAI[mue.mai]}{_bilateral_note(mue.code)}",
        MUE_SOURCE,
    )


def _bilateral_note(code: str) -> str:
    """For a bilateral-indicator-1 code: both sides are one line with 50 and 1 unit."""
    period = procedures.global_period(code)
    if period is None or period.bilateral != "1":
        return ""
    return (
        f" {code} has bilateral indicator 1 in the Medicare fee schedule: done on both sides "
        "it is billed once, on one line with modifier 50 and 1 unit (not RT and LT lines, not "
        "2 units); the payer adds the bilateral payment (Medicare Claims Processing Manual "
        "ch. 12 §40.7)."
    )


def _duplicate_edits(ctx: _Context) -> Iterator[Edit]:
    """DUP-LINE: a line repeating another's date, code, modifiers and place."""
    seen: dict[tuple[Any, ...], int] = {}
    for n, (ln, code, mods) in enumerate(zip(ctx.claim.lines, ctx.codes, ctx.mods, strict=True), 1):
        key = (
            ln.date_from,
            ln.date_to or ln.date_from,
            code,
            tuple(sorted(mods)),
            ln.place_of_service or ctx.claim.place_of_service,
            ln.rendering_npi,
        )
        if key in seen:
            yield _edit(
                "DUP-LINE",
                "deny",
                f"24D line {n}",
                f"{code} on {ln.date_from.isoformat()} repeats line {seen[key]}",
                "The same service on the same day twice is denied as a duplicate (CARC 18). Put "
                "all units on one line, or add 76/77 (repeat procedure) or 91 (repeat lab test) "
                "when it really was done again.",
                "Payer duplicate-line editing (CARC 18); " + NUCC + ", item 24",
            )
        else:
            seen[key] = n


def _timely_edits(ctx: _Context) -> Iterator[Edit]:
    """TIMELY-FILING: sent after the payer's limit from the earliest date of service."""
    first = ctx.first_dos
    if first is None:
        return
    sent = ctx.claim.submitted_on or ctx.today
    limit = ctx.claim.payer.timely_filing_days
    deadline = first + dt.timedelta(days=limit)
    if sent <= deadline:
        return
    n = next(k for k, ln in enumerate(ctx.claim.lines, 1) if ln.date_from == first)
    yield _edit(
        "TIMELY-FILING",
        "deny",
        f"24A line {n}",
        f"sent {sent.isoformat()}, {(sent - first).days} days after the date of service "
        f"{first.isoformat()}; {ctx.claim.payer.name} allows {limit} days (deadline "
        f"{deadline.isoformat()})",
        "Each payer sets a filing limit from the date of service (Medicare: 12 months; "
        "commercial plans often 90-180 days). A late claim is denied (CARC 29) and the patient "
        "may not be billed for it.",
        TIMELY_SOURCE,
    )


def _total_edits(ctx: _Context) -> Iterator[Edit]:
    """TOTAL-MISMATCH: item 28 differs from the sum of 24F."""
    total = ctx.claim.total_charge
    if total is None or total == ctx.claim.line_total():
        return
    yield _edit(
        "TOTAL-MISMATCH",
        "reject",
        "28",
        f"total charge {total} does not equal the sum of the line charges {ctx.claim.line_total()}",
        "Item 28 must be the sum of the charges in 24F; the 837P rejects a claim whose CLM02 "
        "differs from the sum of its lines.",
        NUCC + ", item 28",
    )


_CHECKS: tuple[Callable[[_Context], Iterator[Edit]], ...] = (
    _icd_edits,
    _year_edits,
    _future_edits,
    _excludes1_edits,
    _first_listed_edits,
    _age_sex_edits,
    _pointer_edits,
    _procedure_edits,
    _modifier_edits,
    _global_edits,
    _ptp_edits,
    _mue_edits,
    _duplicate_edits,
    _timely_edits,
    _total_edits,
)


def scrub(claim: Claim, today: dt.date | None = None) -> list[Edit]:
    """Every edit that fires on a claim, in form order (item 21, then 24, then 28).

    ``today`` stands in for the submission date when ``claim.submitted_on`` is
    not set (default: the real date).
    """
    ctx = _Context.of(claim, today)
    return [edit for check in _CHECKS for edit in check(ctx)]


# -- what if ----------------------------------------------------------------------------
_LINE_FIELDS = {f.name for f in fields(ServiceLine)}
_CLAIM_FIELDS = {f.name for f in fields(Claim)}
_ALIASES = {"date": "date_from", "dos": "date_from"}


def _coerce(name: str, value: Any) -> Any:
    """A what-if value in the model's type (units as Decimal, dates from text, lists from text)."""
    if name in ("units", "charge", "total_charge", "amount_paid") and value is not None:
        return Decimal(str(value))
    if name in ("date_from", "date_to", "submitted_on") and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if name in ("modifiers", "pointers", "diagnoses") and isinstance(value, str):
        return [v for v in re.split(r"[,\s]+", value) if v]
    if name in ("modifiers", "pointers", "diagnoses"):
        return list(value)
    return value


def apply_changes(claim: Claim, line: int | None = None, **changes: Any) -> Claim:
    """A copy of the claim with changes applied; ``line`` (1-based) selects a service line.

    Line fields (modifiers, units, date/date_from, code, pointers, charge, ...)
    need ``line``; claim fields (diagnoses, submitted_on, total_charge, ...)
    do not.  Raises ValueError for an unknown field or line.
    """
    new = copy.deepcopy(claim)
    target = None
    if line is not None:
        if not 1 <= line <= len(new.lines):
            raise ValueError(f"line {line} does not exist; the claim has {len(new.lines)} lines")
        target = new.lines[line - 1]
    for key, value in changes.items():
        name = _ALIASES.get(key, key)
        if target is not None and name in _LINE_FIELDS:
            setattr(target, name, _coerce(name, value))
        elif name in _CLAIM_FIELDS:
            setattr(new, name, _coerce(name, value))
        elif name in _LINE_FIELDS:
            raise ValueError(f"{key} is a service-line field: say which line, e.g. line=2")
        else:
            raise ValueError(f"unknown change {key!r}: use a ServiceLine or Claim field name")
    return new


def _keys(edits: list[Edit]) -> Counter[tuple[str, str]]:
    return Counter((e.id, e.item) for e in edits)


def compare(before: list[Edit], after: list[Edit]) -> tuple[list[Edit], list[Edit]]:
    """(fixed, introduced): edits of ``before`` gone from ``after``, and edits new in ``after``.

    An edit counts as the same when its id and item match, so a message that only
    changes its numbers is neither fixed nor new.

    >>> a = Edit("MUE", "deny", "24G line 1", "Item 24G line 1: 2 units", "r", "s")
    >>> b = Edit("MOD-50", "deny", "24G line 1", "Item 24G line 1: 50", "r", "s")
    >>> [[e.id for e in side] for side in compare([a], [b])]
    [['MUE'], ['MOD-50']]
    """
    old, new = _keys(before), _keys(after)
    return _take(before, old - new), _take(after, new - old)


def what_if(
    claim: Claim, line: int | None = None, **changes: Any
) -> tuple[list[Edit], list[Edit], list[Edit]]:
    """Scrub a changed copy of the claim: (edits after, edits fixed, edits introduced).

    ``line`` (1-based) selects the service line that line fields change;
    see ``apply_changes``.  Fixed and introduced follow ``compare``.  The claim
    itself is not changed.
    """
    after = scrub(apply_changes(claim, line, **changes))
    fixed, introduced = compare(scrub(claim), after)
    return after, fixed, introduced


def _take(edits: list[Edit], wanted: Counter[tuple[str, str]]) -> list[Edit]:
    out = []
    for e in edits:
        key = (e.id, e.item)
        if wanted[key] > 0:
            wanted[key] -= 1
            out.append(e)
    return out


# -- reporting ------------------------------------------------------------------------
def format_edits(edits: list[Edit]) -> str:
    """Edits as text: one block per edit, then a one-line verdict.

    >>> print(format_edits([]))
    No edits: the claim is clean.
    """
    blocks = [
        f"{e.id} [{e.severity}] item {e.item}\n"
        f"  {e.message}\n"
        f"  Why: {e.rationale}\n"
        f"  Source: {e.source}"
        for e in edits
    ]
    if not edits:
        return "No edits: the claim is clean."
    return edits_report(blocks, edits, SEVERITIES, "the claim would be rejected or denied")


def edits_report(
    blocks: list[str], edits: Sequence[Any], severities: Sequence[str], blocked: str
) -> str:
    """The edit ``blocks`` and a verdict line counting ``edits`` by severity (in the order of
    ``severities``): ``blocked`` when any edit blocks the claim, else "warnings only".
    Either form's report (the UB-04's edits name form locators, the CMS-1500's items).

    >>> from types import SimpleNamespace as E
    >>> print(edits_report(["A"], [E(severity="warn", blocking=False)], ("reject", "warn"), "x"))
    A
    <BLANKLINE>
    1 edit (1 warn): warnings only.
    """
    counts = Counter(e.severity for e in edits)
    summary = ", ".join(f"{counts[s]} {s}" for s in severities if counts[s])
    verdict = blocked if any(e.blocking for e in edits) else "warnings only"
    noun = "edit" if len(edits) == 1 else "edits"
    return "\n\n".join(blocks) + f"\n\n{len(edits)} {noun} ({summary}): {verdict}."


def check_file(path: str) -> list[Edit]:
    """Load a claim file (JSON or YAML) and scrub it: its edits, as :func:`scrub` gives them.

    Load errors (``claims.ClaimError``, a ValueError naming the item) are not
    caught: the command line (``medbill-lab claim check``) turns them into one
    line on stderr, and prints the edits with :func:`format_edits`.
    """
    from medbill_lab.claims import model as claims

    return scrub(claims.load(path))


def _example_claim() -> Claim:
    """A small claim for the examples: therapeutic activities and manual therapy, same day."""
    day = dt.date(2026, 2, 3)
    return Claim(
        program="group",
        insured_id="XYZ123456",
        patient=Person("Rivera", "Ana", dob=dt.date(1980, 5, 1), sex="F"),
        payer=Payer("Teaching Health Plan", "TH001", timely_filing_days=180),
        diagnoses=["M54.50"],
        lines=[
            ServiceLine(day, "97530", Decimal("60.00"), units=Decimal(2)),
            ServiceLine(day, "97140", Decimal("45.00")),
        ],
        submitted_on=dt.date(2026, 2, 10),
    )
