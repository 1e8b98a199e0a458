"""Grade a coded answer against a case, element by element, with partial credit.

Each expected code is worth 2 points (1 for a reportable code of the right
category that is less specific or different), the sequence 1 point, and each
code the note does not support costs half a point.  A code that cannot be
reported on the date of service (a category or subcategory header, a code
missing its 7th character or placeholder X, a deleted or not-yet-valid code)
earns no code credit even in the right category: the claim would be rejected
for it (ICD-10-CM conventions I.A.3, Guidelines I.B.2).  The sequence row
speaks only of the learner's own codes.  Every element carries a one-line
rationale and the rule behind it.  A submission is graded against the answer
key and each accepted alternative, and the best result is kept.

>>> from medbill_lab.training.cases import generate
>>> case = generate(7, "diabetes_ckd")
>>> grade(case, case.answer).percent
100.0
>>> grade(case, "").score
0.0
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from itertools import pairwise

from medbill_lab.codes import icd10cm
from medbill_lab.training.assignments import earned
from medbill_lab.training.cases import Case

EXACT_POINTS = 2.0
PARTIAL_POINTS = 1.0
SEQUENCE_POINTS = 1.0
EXTRA_PENALTY = 0.5

RULE_SPECIFICITY = (
    "Guidelines I.B.2: code to the highest number of characters and specificity documented"
)
RULE_HEADER = (
    "ICD-10-CM conventions I.A.3 and Guidelines I.B.2: only codes are reported, not categories "
    "or subcategories; a code is invalid if it has not been coded to the full number of "
    "characters required"
)
RULE_SEVENTH = (
    "Guidelines I.A.5 and I.B.2: the 7th character is required in every category that uses "
    "one; a code without it is invalid"
)
RULE_ENCOUNTER = "Guidelines I.A.5, I.C.19.a: the 7th character reports the encounter (A, D, S ...)"
RULE_PLACEHOLDER = (
    "Guidelines I.A.4 and I.B.2: placeholder X keeps the 7th character in position 7; "
    "a code without it is invalid"
)
RULE_LATERALITY = "Guidelines I.B.13: the code must carry the documented side (or bilateral)"
RULE_VALID = (
    "Use the code set in effect on the date of service (FY Oct 1 - Sep 30, no grace period)"
)
RULE_EXTRA = "Guidelines III-IV: code only what the documentation supports"
RULE_DUPLICATE = "Report each condition once, with its most specific code"
RULE_SEQUENCE = (
    "Guidelines I.A.13 (code first / use additional code notes), II (principal diagnosis), "
    "IV.G (first-listed diagnosis)"
)
RULE_ORDER_FREE = "Order is free for this case; the point is for coding every condition"

_SPLIT = re.compile(r"[\s,;|]+")
_CODE_SHAPE = re.compile(f"^{icd10cm.CODE_PATTERN}$")
_STYLE = """<style>
.mbl-grade {border-collapse: collapse; width: 100%; font-size: 0.95em}
.mbl-grade td, .mbl-grade th {border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left;
  vertical-align: top}
.mbl-full {background: #e8f5e9} .mbl-part {background: #fff8e1} .mbl-zero {background: #ffebee}
.mbl-rule {color: #555; font-size: 0.85em}
</style>"""


@dataclass(frozen=True)
class Element:
    """One graded element: a code, the sequence, or an extra code."""

    element: str
    points: float
    max_points: float
    rationale: str
    rule: str
    given: str = ""  # what the learner reported for it ("" when nothing matched it)

    def as_dict(self) -> dict:
        """A JSON-ready view."""
        return {
            "element": self.element,
            "points": self.points,
            "max_points": self.max_points,
            "rationale": self.rationale,
            "rule": self.rule,
        }


@dataclass(frozen=True)
class GradeReport:
    """The graded answer: the total, each element and the codes as read."""

    case_id: str
    score: float
    max_score: float
    percent: float
    elements: list[Element]
    submitted: list[str]
    answer_used: tuple[str, ...] = ()
    invalid: tuple[tuple[str, str], ...] = ()
    alternative: bool = False

    def as_dict(self) -> dict:
        """A JSON-ready view."""
        return {
            "case_id": self.case_id,
            "score": self.score,
            "max_score": self.max_score,
            "percent": self.percent,
            "elements": [e.as_dict() for e in self.elements],
            "submitted": list(self.submitted),
            "answer_used": list(self.answer_used),
            "invalid": [list(i) for i in self.invalid],
            "alternative": self.alternative,
        }

    def element_rows(self, topic: str = "diagnosis coding") -> list[dict]:
        """Each element as data for the class report (``element_log.element``).

        A code's row is the expected code and the code given for it; the sequence
        row compares the whole lists; a code the note does not support is its own
        row with nothing expected.  Points are the grader's (a case's 7 are scaled to
        the cell's points only in the gradebook).

        >>> from medbill_lab.training.cases import generate
        >>> case = generate(7, "diabetes_ckd")
        >>> rows = grade(case, ["E11.9", *case.answer[1:]]).element_rows()
        >>> rows[0]["expected"], rows[0]["given"], rows[0]["earned"], rows[0]["max"]
        ('E11.22', 'E11.9', 1.0, 2.0)
        """
        from medbill_lab.training.element_log import element

        rows = []
        for e in self.elements:
            if e.element == "sequence":
                expected, given = ", ".join(self.answer_used), ", ".join(self.submitted)
            elif e.max_points == 0:
                expected, given = "", e.element  # a code the answer does not need
            else:
                expected, given = e.element, e.given
            rows.append(element(e.element, topic, expected, given, e.points, e.max_points))
        return rows

    def summary(self) -> str:
        """One line: the score out of the maximum and the percentage.

        >>> GradeReport("c1", 4.0, 5.0, 80.0, [], []).summary()
        'c1: 4/5 points (80.0%)'
        """
        return f"{self.case_id}: {points_text(self.score)}/{points_text(self.max_score)} points ({self.percent}%)"

    def points(self, out_of: float) -> float:
        """What the case earns in an assignment where it is worth ``out_of`` points:
        ``out_of`` x the percent, to the hundredth, never below 0 nor above ``out_of``.

        >>> GradeReport("c1", 2.0, 3.0, 66.7, [], []).points(3)
        2.0
        >>> GradeReport("c1", 0.0, 3.0, 0.0, [], []).points(3), GradeReport("c1", 1, 1, 100.0, [], []).points(3)
        (0.0, 3.0)
        """
        return earned(out_of, out_of * self.percent / 100)

    def to_text(self) -> str:
        """The score, then one line per element: label, points, rationale."""
        width = max((len(e.element) for e in self.elements), default=8)
        lines = [self.summary()]
        if self.alternative:
            lines.append(f"(graded against an accepted alternative: {', '.join(self.answer_used)})")
        for e in self.elements:
            points = f"{points_text(e.points)}/{points_text(e.max_points)}"
            lines.append(f"{e.element.ljust(width)}  {points.ljust(7)}  {e.rationale}")
        if self.invalid:
            listed = ", ".join(f"{code} ({reason})" for code, reason in self.invalid)
            lines.append(f"Not billable on the date of service: {listed}")
        return "\n".join(lines)

    def to_html(self) -> str:
        """An HTML table of the elements; every piece of text is escaped."""
        rows = "".join(_row_html(e) for e in self.elements)
        note = ""
        if self.alternative:
            note = f"<p><i>Graded against an accepted alternative: {escape(', '.join(self.answer_used))}</i></p>"
        invalid = ""
        if self.invalid:
            listed = ", ".join(f"<code>{escape(c)}</code> ({escape(r)})" for c, r in self.invalid)
            invalid = f"<p><b>Not billable on the date of service:</b> {listed}</p>"
        return (
            f"{_STYLE}<p><b>Score: {points_text(self.score)} / {points_text(self.max_score)} "
            f"({self.percent}%)</b></p>{note}"
            '<table class="mbl-table mbl-grade"><tr><th>Element</th><th>Points</th><th>Why</th></tr>'
            f"{rows}</table>{invalid}"
        )


def _row_html(e: Element) -> str:
    if e.max_points > 0 and e.points >= e.max_points:
        cls = "mbl-full"
    elif e.points > 0 or (e.points == 0 and e.max_points == 0):
        cls = "mbl-part"
    else:
        cls = "mbl-zero"
    return (
        f'<tr class="{cls}"><td><code>{escape(e.element)}</code></td>'
        f"<td>{points_text(e.points)}/{points_text(e.max_points)}</td>"
        f'<td>{escape(e.rationale)}<div class="mbl-rule">{escape(e.rule)}</div></td></tr>'
    )


def points_text(x: float) -> str:
    """Points as shown to learners, without a needless '.0'.

    >>> points_text(2.0), points_text(0.5), points_text(-0.5)
    ('2', '0.5', '-0.5')
    """
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


# -- reading the submission ------------------------------------------------------
def parse_codes(submitted: str | Sequence[str] | None) -> list[str]:
    """Codes as typed, split on commas, spaces or semicolons, and normalized.

    Anything that is not shaped like a code is kept as typed, so it can be
    reported back.

    >>> parse_codes("e1122 n1831")
    ['E11.22', 'N18.31']
    >>> parse_codes(["E11.22, n18.31", "hello"])
    ['E11.22', 'N18.31', 'hello']
    >>> parse_codes(42)
    ['42']
    """
    if submitted is None:
        return []
    if isinstance(submitted, str):
        chunks = [submitted]
    else:
        try:
            chunks = [str(s) for s in submitted]
        except TypeError:  # a single non-text value: read it as text
            chunks = [str(submitted)]
    tokens = [t for chunk in chunks for t in _SPLIT.split(chunk) if t]
    return [_normalize(t) for t in tokens]


def _normalize(token: str) -> str:
    code = icd10cm.normalize(token)
    return code if _is_code_shaped(code) else token


def _is_code_shaped(token: str) -> bool:
    """Does a normalized token look like an ICD-10-CM code (3 to 7 characters)?

    >>> _is_code_shaped("QA0"), _is_code_shaped("W19.XXXA"), _is_code_shaped("HELLO")
    (True, True, False)
    """
    return len(_raw(token)) >= 3 and bool(_CODE_SHAPE.match(_raw(token)))


def _raw(code: str) -> str:
    return code.replace(".", "")


def _less_specific(token: str, code: str) -> bool:
    """Is ``token`` an incomplete form of ``code`` (a header, or missing X or 7th character)?

    >>> _less_specific("E11.2", "E11.22"), _less_specific("W19.A", "W19.XXXA")
    (True, True)
    >>> _less_specific("E11.29", "E11.22")
    False
    """
    t, c = _raw(token), _raw(code)
    if t == c or not _is_code_shaped(token):
        return False
    return c.startswith(t) or c.replace("X", "").startswith(t.replace("X", ""))


@dataclass(frozen=True)
class _Check:
    """Validity of one submitted token on the date of service."""

    reason: str
    detail: str

    @property
    def valid(self) -> bool:
        return not self.reason


def _check(token: str, day: str) -> _Check:
    if not _is_code_shaped(token):
        return _Check("unknown", f"{token!r} is not an ICD-10-CM code.")
    v = icd10cm.validate(token, day)
    return _Check(v.reason, v.detail)


# -- grading -----------------------------------------------------------------------
@dataclass
class _Context:
    case: Case
    key: tuple[str, ...]
    tokens: list[str]
    checks: list[_Check]
    day: str
    codeset: icd10cm.CodeSet


def grade(case: Case, submitted: str | Sequence[str], year: int | None = None) -> GradeReport:
    """Grade ``submitted`` codes against ``case``, element by element.

    The submission is graded against the answer key and every accepted
    alternative; the best percentage wins (the answer key on a tie).

    A submitted code that cannot be reported on the date of service earns no
    code credit, even in the right category: a category or subcategory header,
    a code short of its 7th character or placeholder X, a deleted or not yet
    valid code.  Only codes are reported, never categories or subcategories
    (conventions I.A.3), and a code not coded to the full number of characters
    required is invalid (Guidelines I.B.2), so a claim carrying it is rejected;
    the 1-point category credit is for a reportable code that is less specific
    or different.  Such a code is still matched to its expected code, so its
    row gives the reason and it costs no extra-code penalty.

    ``year`` grades against another fiscal year's code set instead of the one
    in effect on the case's date of service (CodeSetError for a year the lab
    does not ship).  Never raises for odd submissions: empty and garbage input
    earn 0 with reasons.
    """
    day = case.date_of_service if year is None else f"{year - 1}-10-01"
    codeset = icd10cm.load(icd10cm.fiscal_year(day))
    tokens = parse_codes(submitted)
    checks = [_check(t, day) for t in tokens]
    reports = [
        _grade_key(_Context(case, key, tokens, checks, day, codeset)) for key in case.accepted
    ]
    best = max(range(len(reports)), key=lambda i: (reports[i].percent, reports[i].score, -i))
    report = reports[best]
    invalid = tuple(
        dict.fromkeys((t, c.reason) for t, c in zip(tokens, checks, strict=True) if not c.valid)
    )
    return GradeReport(
        case_id=report.case_id,
        score=report.score,
        max_score=report.max_score,
        percent=report.percent,
        elements=report.elements,
        submitted=tokens,
        answer_used=report.answer_used,
        invalid=invalid,
        alternative=best > 0,
    )


def _grade_key(ctx: _Context) -> GradeReport:
    matches = _match(ctx)
    elements = [_code_element(ctx, i, matches.get(i)) for i in range(len(ctx.key))]
    elements.append(_sequence_element(ctx, matches))
    used = set(matches.values())
    elements += [_extra_element(ctx, j) for j in range(len(ctx.tokens)) if j not in used]
    max_score = EXACT_POINTS * len(ctx.key) + SEQUENCE_POINTS
    score = max(0.0, sum(e.points for e in elements))
    return GradeReport(
        case_id=ctx.case.id,
        score=score,
        max_score=max_score,
        percent=round(100 * score / max_score, 1),
        elements=elements,
        submitted=ctx.tokens,
        answer_used=ctx.key,
    )


def _match(ctx: _Context) -> dict[int, int]:
    """Expected position -> submitted position: exact valid codes first, then
    same-category candidates (a reportable code before one that is not, and a
    different code before an incomplete form, since incomplete duplicates are
    never penalised)."""
    matches: dict[int, int] = {}
    used: set[int] = set()
    for i, code in enumerate(ctx.key):
        for j, token in enumerate(ctx.tokens):
            if j not in used and token == code and ctx.checks[j].valid:
                matches[i] = j
                used.add(j)
                break
    for i, code in enumerate(ctx.key):
        if i in matches:
            continue
        candidates = [
            j
            for j, token in enumerate(ctx.tokens)
            if j not in used and _same_category(token, code, ctx.checks[j])
        ]
        if candidates:
            j = min(
                candidates,
                key=lambda j: (not ctx.checks[j].valid, _less_specific(ctx.tokens[j], code), j),
            )
            matches[i] = j
            used.add(j)
    return matches


def _same_category(token: str, code: str, check: _Check) -> bool:
    if not _is_code_shaped(token) or token[:3] != code[:3]:
        return False
    return token == code or _less_specific(token, code) or check.reason != "unknown"


def _description(ctx: _Context, code: str) -> str:
    if code in ctx.codeset:
        return ctx.codeset.get(code).description
    for year in icd10cm.YEARS:
        if code in icd10cm.load(year):
            return icd10cm.load(year).get(code).description
    return "not an ICD-10-CM code"


def _code_element(ctx: _Context, i: int, j: int | None) -> Element:
    code = ctx.key[i]
    desc = _description(ctx, code)
    rule = ctx.case.guideline or RULE_SPECIFICITY
    if j is None:
        return Element(
            code, 0.0, EXACT_POINTS, f"not coded: the note supports {code} ({desc})", rule
        )
    token, check = ctx.tokens[j], ctx.checks[j]
    if token == code and check.valid:
        return Element(code, EXACT_POINTS, EXACT_POINTS, f"exact code: {desc}", rule, token)
    why, partial_rule = _partial_reason(ctx, token, code, check)
    if not check.valid:
        # Not reportable on the date of service (a header, a code short of its 7th
        # character or placeholder X, deleted or not yet valid): the claim would be
        # rejected, so the right category earns nothing (I.A.3, I.B.2).
        why = f"no code credit for {token}: {why}"
        return Element(code, 0.0, EXACT_POINTS, why, partial_rule, token)
    return Element(
        code,
        PARTIAL_POINTS,
        EXACT_POINTS,
        f"partial credit for {token}: {why}",
        partial_rule,
        token,
    )


def _partial_reason(ctx: _Context, token: str, code: str, check: _Check) -> tuple[str, str]:
    """Why a same-category code earns partial or no credit, and the rule."""
    desc = _description(ctx, code)
    if token == code:
        return f"{code} is not valid on {ctx.day}: {check.detail}", RULE_VALID
    if _less_specific(token, code):
        return _incomplete_reason(ctx, token, code, check, desc)
    if not check.valid:
        return (
            f"right category, but {token} is not billable on {ctx.day}; "
            f"the documentation supports {code} ({desc})",
            RULE_VALID,
        )
    return _different_code_reason(ctx, token, code, desc)


def _incomplete_reason(
    ctx: _Context, token: str, code: str, check: _Check, desc: str
) -> tuple[str, str]:
    t, c = _raw(token), _raw(code)
    table = ctx.codeset.seventh_characters(code) if code in ctx.codeset else {}
    if table and len(c) == 7 and t.replace("X", "") == c[:6].replace("X", ""):
        meaning = table.get(c[6], "")
        return (
            f"{token} lacks its 7th character {c[6]} ({meaning}), and a code without it is "
            f"invalid; the full code is {code}",
            RULE_SEVENTH,
        )
    if check.reason == "missing placeholder X" or t.replace("X", "") == c.replace("X", ""):
        return (
            f"{token} lacks the placeholder X, and a code without it is invalid; "
            f"the full code is {code}",
            RULE_PLACEHOLDER,
        )
    if check.reason == "header not billable":
        row = ctx.codeset.index.get(token)
        level = ctx.codeset.level_of(row) if row is not None else "category"
        return (
            f"{token} is a {level} header, not billable: it needs more characters to be a code; "
            f"the documentation supports {code} ({desc})",
            RULE_HEADER,
        )
    return (
        f"{token} is incomplete: it needs more characters to be a code; the documentation "
        f"supports {code} ({desc})",
        RULE_HEADER,
    )


def _side(description: str) -> str | None:
    """The side a description names, if any.

    >>> _side("Otitis media, unspecified, bilateral"), _side("Pain in left wrist")
    ('bilateral', 'left')
    """
    words = set(re.findall(r"[a-z]+", description.lower()))
    for side in ("bilateral", "right", "left"):
        if side in words:
            return side
    return None


def _different_code_reason(ctx: _Context, token: str, code: str, desc: str) -> tuple[str, str]:
    got = _description(ctx, token)
    want_side, got_side = _side(desc), _side(got)
    if want_side and got_side != want_side:
        said = f"is {got_side}" if got_side else "leaves the side unspecified"
        return (
            f"right category, wrong laterality: {token} {said}; the note documents "
            f"{want_side} ({code})",
            RULE_LATERALITY,
        )
    t, c = _raw(token), _raw(code)
    table = ctx.codeset.seventh_characters(code) if code in ctx.codeset else {}
    if table and len(t) == len(c) == 7 and t[:6] == c[:6]:
        return (
            f"right code, wrong 7th character: {t[6]} means {table.get(t[6], '?')}; this "
            f"encounter calls for {c[6]} ({table.get(c[6], '?')})",
            RULE_ENCOUNTER,
        )
    return (
        f"right category, different code: {token} is '{got}'; the documentation supports "
        f"{code} ({desc})",
        ctx.case.guideline or RULE_SPECIFICITY,
    )


def _sequence_element(ctx: _Context, matches: dict[int, int]) -> Element:
    """The sequence point, judged on the learner's own codes only.

    Only the submitted codes that match an expected code are compared (in the
    order typed); codes the learner did not enter are never named here, since
    their "not coded" rows already cover them.
    """
    if not ctx.tokens:
        return Element("sequence", 0.0, SEQUENCE_POINTS, "nothing submitted", RULE_SEQUENCE)
    if not ctx.case.sequence_matters:
        return _order_free_element(ctx, matches)
    typed = sorted((j, i) for i, j in matches.items())  # (submitted position, expected position)
    if not typed:
        why = (
            "none of your codes matches a condition this case needs, so there is no order to credit"
        )
        return Element("sequence", 0.0, SEQUENCE_POINTS, why, RULE_SEQUENCE)
    if 0 not in matches:
        why = (
            "none of your codes is for the condition that must be listed first (see the "
            "'not coded' row), so the order earns no point"
        )
        return Element("sequence", 0.0, SEQUENCE_POINTS, why, RULE_SEQUENCE)
    lead = ctx.tokens[matches[0]]
    if typed[0][1] != 0:
        ahead = ctx.tokens[typed[0][0]]
        why = (
            f"{ahead} is listed before {lead}, but {lead} is for the condition that must come first"
        )
        return Element("sequence", 0.0, SEQUENCE_POINTS, why, RULE_SEQUENCE)
    for (ja, a), (jb, b) in pairwise(typed):
        if a > b:
            why = f"out of order: {ctx.tokens[jb]} must be listed before {ctx.tokens[ja]}"
            return Element("sequence", 0.0, SEQUENCE_POINTS, why, RULE_SEQUENCE)
    why = f"{lead} is listed first and your codes follow the required order"
    unmatched = [t for t in ctx.tokens[: matches[0]] if t not in ctx.tokens[matches[0] :]]
    if unmatched:
        why += (
            f" (typed ahead of it: {', '.join(unmatched)}, not a code this case needs; see its row)"
        )
    return Element("sequence", SEQUENCE_POINTS, SEQUENCE_POINTS, why, RULE_SEQUENCE)


def _order_free_element(ctx: _Context, matches: dict[int, int]) -> Element:
    """Order is free: the point is for coding every condition (counted, never named)."""
    found, needed = len(matches), len(ctx.key)
    if found < needed:
        why = (
            f"order is free here, but the point needs every condition coded; your codes cover "
            f"{found} of {needed} (see the 'not coded' rows)"
        )
        return Element("sequence", 0.0, SEQUENCE_POINTS, why, RULE_ORDER_FREE)
    why = f"order is free here; all {needed} expected code(s) are present, in any order"
    return Element("sequence", SEQUENCE_POINTS, SEQUENCE_POINTS, why, RULE_ORDER_FREE)


def _exact(ctx: _Context, i: int) -> bool:
    """Was expected code ``i`` submitted exactly, and valid?"""
    code = ctx.key[i]
    return any(t == code and c.valid for t, c in zip(ctx.tokens, ctx.checks, strict=True))


def _extra_element(ctx: _Context, j: int) -> Element:
    """A submitted code that matched nothing.

    A repeat of a listed code, or an incomplete form of an expected code that
    already earned only partial credit, is flagged without cost; anything else
    costs half a point.
    """
    token, check = ctx.tokens[j], ctx.checks[j]
    if token in ctx.tokens[:j]:
        return Element(
            token, 0.0, 0.0, "listed more than once; report each code once", RULE_DUPLICATE
        )
    covered = [i for i, c in enumerate(ctx.key) if _less_specific(token, c)]
    if covered and not _exact(ctx, covered[0]):
        why = (
            f"a less specific duplicate of {ctx.key[covered[0]]}, which already lost credit "
            "for it; not penalised again, but leave it off the claim"
        )
        return Element(token, 0.0, 0.0, why, RULE_DUPLICATE)
    if covered:
        why = (
            f"a less specific duplicate of {ctx.key[covered[0]]}, which is already coded; "
            f"report each condition once: -{points_text(EXTRA_PENALTY)}"
        )
        return Element(token, -EXTRA_PENALTY, 0.0, why, RULE_DUPLICATE)
    if not check.valid:
        why = (
            f"not valid on {ctx.day} ({check.reason}): {check.detail} "
            f"Extra code: -{points_text(EXTRA_PENALTY)}"
        )
        return Element(token, -EXTRA_PENALTY, 0.0, why, RULE_VALID)
    why = (
        f"extra code: {token} ({_description(ctx, token)}) is not supported for this case: "
        f"-{points_text(EXTRA_PENALTY)}"
    )
    return Element(token, -EXTRA_PENALTY, 0.0, why, RULE_EXTRA)
