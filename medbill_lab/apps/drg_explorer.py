"""The DRG explorer app: code an inpatient case, see the MS-DRG it groups to, and ask
"what if this CC/MCC were documented?" with the query rules beside every answer.

The learner picks a case from ``datasets/inpatient_cases`` (the discharge summary only: the
answer stays hidden until asked for), codes it (principal diagnosis, secondary diagnoses
with POA, ICD-10-PCS procedures) and groups it with the real grouper
(:func:`medbill_lab.training.inpatient.group_answer`, i.e. :func:`medbill_lab.codes.drg.group`):
the DRG and its title, the relative weight, the GMLOS, the teaching payment
(:mod:`medbill_lab.payer.drg_payment`, a teaching base rate) and each secondary's CC/MCC
level, CC exclusion and HAC effect.

A what-if adds one secondary diagnosis and shows the DRG it would give.  It is a question
to the physician, never a code to add: every what-if answer carries the query rules
(:data:`QUERY_RULES`).  Widgets only arrange; bad input gets a friendly sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from html import escape

import ipywidgets as w

from medbill_lab.apps.kit import STYLE, TROUBLE, message
from medbill_lab.claims.ub04_checks import poa_exempt
from medbill_lab.codes import drg, icd10cm
from medbill_lab.payer import drg_payment
from medbill_lab.training import inpatient
from medbill_lab.training.grading import points_text

POA_CHOICES = (
    ("Y: present at the inpatient order", "Y"),
    ("N: arose after the order", "N"),
    ("U: documentation insufficient", "U"),
    ("W: clinically undetermined", "W"),
)

SOURCE_QUERY = "AHIMA/ACDIS, Guidelines for Achieving a Compliant Query Practice (2022 update)"
SOURCE_CODING = "ICD-10-CM Official Guidelines for Coding and Reporting FY2026"
SOURCE_FCA = "False Claims Act, 31 U.S.C. §§ 3729-3733"

#: The rules shown beside every what-if: (the rule, in our words, its source).
QUERY_RULES: tuple[tuple[str, str], ...] = (
    (
        "A what-if is a question for the physician, not a code to add. Code only what the "
        "provider documents; a diagnosis the record does not state is queried, never assumed.",
        f"{SOURCE_CODING}, Section III and I.B.14",
    ),
    (
        "Query only when the record gives a reason: clinical indicators (results, treatment, "
        "monitoring) that point to a condition not documented, or documentation that is "
        "conflicting, incomplete or imprecise. Quote those indicators in the query.",
        SOURCE_QUERY,
    ),
    (
        "Do not lead: no query that steers the provider to one answer, and no new diagnosis "
        "without the record's clinical indicators beside it.",
        SOURCE_QUERY,
    ),
    (
        "A multiple-choice query offers every clinically reasonable option the record "
        "supports, plus 'other' and 'clinically undetermined' (or 'unable to determine'). "
        "Yes/no questions are not used to add a new diagnosis.",
        SOURCE_QUERY,
    ),
    (
        "Never mention payment: no DRG, weight, dollars or quality score in a query.",
        SOURCE_QUERY,
    ),
    (
        "Billing a CC or MCC the record does not support is upcoding: a claim known to be false "
        "(or sent in reckless disregard of the truth) is a False Claims Act matter, with "
        "damages up to three times the overpayment plus a penalty per claim.",
        SOURCE_FCA,
    ),
)

_SPLIT = re.compile(r"[,;\n]+")
_PCS_SPLIT = re.compile(r"[,;\s]+")
_DX = re.compile(r"^\s*([^:/\s]+)\s*(?:[:/\s]\s*([A-Za-z0-9]?))?\s*$")
MAX_CODES = 40  # the 837I holds 25 diagnoses and 25 procedures; more is a paste slip
MAX_CODE_LENGTH = 10  # 'T81.41XA' is 8 characters, a PCS code 7: a longer one is a paste slip


# -- reading the learner's coding ---------------------------------------------------------
def read_coding(principal: str, secondary: str = "", procedures: str = "") -> dict:
    """The learner's typed coding as an answer dict for the grader and grouper.

    ``secondary`` is 'N17.9:Y, E87.1 Y' (code, then its POA after ':', '/' or a space);
    ``procedures`` '0DTJ4ZZ 0FT44ZZ' (commas or spaces).  ValueError, in words a learner
    reads, for an empty principal, an unreadable item or a POA that is not Y, N, U or W.

    >>> read_coding("j189", "n179:y, z79.4")["secondary"]
    [('N17.9', 'Y'), ('Z79.4', '')]
    """
    if not principal.strip():
        raise ValueError("Type the principal diagnosis first (for example J18.9).")
    if len(principal.split()) > 1 or "," in principal:
        raise ValueError("The principal diagnosis box takes one code; list the others below.")
    _short(principal)
    sdx = []
    for item in (i for i in _SPLIT.split(secondary) if i.strip()):
        m = _DX.match(item)
        if m is None:
            raise ValueError(
                f"Could not read {item.strip()[:30]!r}: write each secondary as CODE:POA, "
                "for example N17.9:Y."
            )
        code, poa = icd10cm.normalize(_short(m.group(1))), (m.group(2) or "").upper()
        if poa and poa not in drg.POA_VALUES:
            raise ValueError(
                f"POA {poa!r} for {code} is not Y, N, U or W (leave it blank only for a code "
                "on the POA-exempt list)."
            )
        sdx.append((code, poa))
    pcs = [_short(p) for p in _PCS_SPLIT.split(procedures) if p]
    if len(sdx) > MAX_CODES or len(pcs) > MAX_CODES:
        raise ValueError(f"That is more than {MAX_CODES} codes; a stay's claim holds 25 of each.")
    return {"principal": principal.strip(), "secondary": sdx, "procedures": pcs}


def _short(code: str) -> str:
    """The code as typed, or ValueError when it is far too long to be one (the message must
    not echo a megabyte back to the page)."""
    if len(code.strip()) > MAX_CODE_LENGTH:
        raise ValueError(f"{code.strip()[:12]!r}... is too long to be a code.")
    return code


# -- what if ------------------------------------------------------------------------------
@dataclass(frozen=True)
class WhatIf:
    """A what-if: the stay as coded, the stay with one more documented secondary, and that
    secondary as the grouper saw it."""

    code: str
    poa: str
    before: drg.DrgResult
    after: drg.DrgResult
    added: drg.Secondary | None  # None when the code was already on the list
    already_coded: bool

    @property
    def changes_drg(self) -> bool:
        """Would the DRG change?"""
        return self.before.drg != self.after.drg


def what_if(case: inpatient.InpatientCase, coding: dict, code: str, poa: str = "Y") -> WhatIf:
    """Group the coding as it is and with ``code`` (POA ``poa``) added as a secondary.

    ValueError for an empty code, DrgError (one line) for a code the grouper refuses.
    """
    if not code.strip():
        raise ValueError("Type the diagnosis to ask about (for example E43 or N17.9).")
    if poa not in drg.POA_VALUES:
        raise ValueError(f"POA {poa!r} is not Y, N, U or W.")
    key = icd10cm.normalize(_short(code).strip())
    before = inpatient.group_answer(case, coding)
    coded = [c for c, _ in coding["secondary"]]
    already = key in coded or key == icd10cm.normalize(coding["principal"])
    if already:
        return WhatIf(key, poa, before, before, None, True)
    more = {**coding, "secondary": [*coding["secondary"], (key, poa)]}
    after = inpatient.group_answer(case, more)
    return WhatIf(key, poa, before, after, after.secondary[-1], False)


# -- what the page shows ------------------------------------------------------------------
def case_choices() -> list[tuple[str, str]]:
    """(label, case id) for every shipped inpatient case, in file order."""
    return [(f"{c.id} · {c.title}", c.id) for c in inpatient.load_cases()]


def case_html(case: inpatient.InpatientCase) -> str:
    """The case as the learner codes it: patient, admission, discharge and the summary (no
    answer)."""
    sex = {"F": "female", "M": "male"}.get(case.sex.upper(), case.sex)
    status = drg.DISCHARGE_STATUSES.get(int(case.discharge_status), "")
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in case.summary.split("\n") if p.strip())
    return (
        f"<h4>{escape(case.title)}</h4>"
        f"<p><small>Case {escape(case.id)} &middot; age {case.age}, {escape(sex)} &middot; "
        f"admitted {escape(case.admission_date)} &middot; discharged "
        f"{escape(case.discharge_date)}, status {escape(case.discharge_status)} "
        f"({escape(status)})</small></p>"
        '<blockquote style="border-left: 3px solid #90caf9; margin: 6px 0; padding: 4px 10px">'
        f"{paragraphs}</blockquote>"
    )


def _money(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def payment_html(result: drg.DrgResult) -> str:
    """The teaching payment line: base rate x weight, said to be a teaching figure."""
    pay = drg_payment.for_result(result)
    if pay is None:
        return "<p><b>Teaching payment:</b> none (this DRG has no shipped weight).</p>"
    return (
        f"<p><b>Teaching payment:</b> {escape(pay.formula)}<br><small>The base rate is a "
        "<b>teaching</b> figure, not CMS's rate or any hospital's. Left out: "
        f"{escape(', '.join(drg_payment.LEFT_OUT))}.</small></p>"
    )


def _level(s: drg.Secondary) -> str:
    if s.severity == "none":
        return "not a CC or MCC"
    if s.excluded:
        return f"{s.severity}, excluded by the principal diagnosis (CC Exclusion List)"
    met = [h for h in s.hacs if h.met]
    if met:
        return f"{s.severity}, not counted: {met[0].category} {met[0].description} not POA (HAC)"
    return s.severity


def _poa_note(s: drg.Secondary) -> str:
    if s.poa:
        return s.poa
    return "blank" if poa_exempt(s.code) else "blank (this code needs Y, N, U or W)"


def result_html(result: drg.DrgResult) -> str:
    """The grouping as a grouper screen shows it: DRG, weight, GMLOS, teaching payment, each
    secondary's CC/MCC level, the procedures, edits and notes."""
    weight = "none shipped" if result.weight is None else str(result.weight)
    gmlos = "none shipped" if result.gmlos is None else f"{result.gmlos} days"
    rows = "".join(
        f"<tr><td><code>{escape(s.code)}</code></td><td>{escape(s.description)}</td>"
        f"<td>{escape(_poa_note(s))}</td><td>{escape(_level(s))}</td>"
        f"<td>{escape(s.counts_as)}</td></tr>"
        for s in result.secondary
    )
    secondaries = (
        '<table class="mbl-table mbl-sdx"><tr><th>Secondary</th><th>Description</th><th>POA</th>'
        f"<th>CC/MCC level</th><th>Counts for the DRG</th></tr>{rows}</table>"
        if rows
        else "<p>No secondary diagnoses.</p>"
    )
    procs = "".join(
        f"<li><code>{escape(p.code)}</code> {escape(p.title)}"
        f"{' (used by the DRG)' if p.affects_drg else ''}</li>"
        for p in result.procedures
    )
    edits = "".join(f"<li>{escape(e.name)}: {escape(e.message)}</li>" for e in result.mce)
    notes = "".join(f"<li>{escape(n)}</li>" for n in result.notes)
    return (
        f"{STYLE}<h4 class='mbl-drg'>MS-DRG {escape(result.drg)} {escape(result.title)}</h4>"
        f"<p>MDC {escape(result.mdc)} {escape(result.mdc_title)} &middot; "
        f"{escape(result.drg_type or '')} &middot; relative weight <b>{escape(weight)}</b> "
        f"&middot; GMLOS <b>{escape(gmlos)}</b><br><small>{escape(result.version_reason)}; "
        f"principal {escape(result.pdx)} {escape(result.pdx_description)}</small></p>"
        f"{payment_html(result)}{secondaries}"
        + (f"<p><b>Procedures</b></p><ul>{procs}</ul>" if procs else "")
        + (f"<p><b>Medicare Code Editor</b></p><ul>{edits}</ul>" if edits else "")
        + (f"<p><b>Notes</b></p><ul>{notes}</ul>" if notes else "")
        + f"<p><small>HAC: {escape(result.hac_status)}</small></p>"
    )


def query_rules_html() -> str:
    """The query rules, each with its source: shown beside every what-if."""
    items = "".join(
        f"<li>{escape(rule)} <span class='mbl-ref'>({escape(source)})</span></li>"
        for rule, source in QUERY_RULES
    )
    return (
        '<div class="mbl-query" style="border:1px solid #f0c36d;background:#fffaf0;'
        'padding:6px 10px;margin-top:6px"><b>The query rules: a what-if is a question to the '
        f"physician</b><ul>{items}</ul></div>"
    )


def _drg_line(result: drg.DrgResult) -> str:
    weight = "" if result.weight is None else f", weight {result.weight}"
    return f"DRG {result.drg} {result.title}{weight}"


def what_if_html(answer: WhatIf) -> str:
    """What one more documented secondary would do to the DRG, with the query rules."""
    code = escape(answer.code)
    if answer.already_coded:
        head = f"<p><code>{code}</code> is already in your coding: nothing to ask about.</p>"
        return f"{STYLE}{head}{query_rules_html()}"
    s = answer.added
    assert s is not None
    level = _level(s)
    before, after = answer.before, answer.after
    if answer.changes_drg:
        verdict = f"would move the stay from {_drg_line(before)} to {_drg_line(after)}"
        old, new = drg_payment.for_result(before), drg_payment.for_result(after)
        if old is not None and new is not None:
            verdict += (
                f" (teaching payment {_money(old.amount)} to {_money(new.amount)}; "
                "teaching base rate)"
            )
    else:
        verdict = f"would not change the DRG: it stays {_drg_line(before)}"
    return (
        f"{STYLE}<p class='mbl-whatif'><b>If the physician documented</b> <code>{code}</code> "
        f"{escape(s.description)} (POA {escape(answer.poa)}, {escape(level)}): it "
        f"{escape(verdict)}.</p>"
        "<p><small>Only the physician's documentation can put it on the claim. If the record "
        "already shows clinical indicators for it, write a compliant query; if it does not, "
        "there is nothing to ask.</small></p>"
        f"{query_rules_html()}"
    )


def answer_html(case: inpatient.InpatientCase) -> str:
    """The case's answer key, rationale, guidelines and query (shown only on request)."""
    a = case.answer
    sdx = ", ".join(f"{d.code} (POA {d.poa or 'blank'})" for d in a.secondary) or "none"
    pcs = ", ".join(p.code for p in a.procedures) or "none"
    alternatives = "".join(
        f"<li>principal <code>{escape(alt.principal.code)}</code>, DRG {escape(alt.drg)}</li>"
        for alt in case.alternatives
    )
    query = (
        f"<p><b>Query:</b> {escape(case.query.about)}: {escape(case.query.text)}</p>"
        if case.query
        else ""
    )
    return (
        "<details open><summary>The answer</summary>"
        f"<p><b>Principal:</b> <code>{escape(a.principal.code)}</code> &middot; "
        f"<b>Secondary:</b> {escape(sdx)} &middot; <b>Procedures:</b> {escape(pcs)} &middot; "
        f"<b>MS-DRG:</b> {escape(a.drg)}</p>"
        + (f"<p>Also accepted:</p><ul>{alternatives}</ul>" if alternatives else "")
        + f"<p>{escape(case.rationale)}</p>{query}"
        f"<p><small>{escape('; '.join(case.guidelines))}</small></p></details>"
    )


def grade_html(report: inpatient.InpatientGrade) -> str:
    """The grader's report: the score and one explained row per element."""
    rows = "".join(
        f"<tr><td>{escape(e.element)}</td><td>{points_text(e.points)}/"
        f"{points_text(e.max_points)}</td><td>{escape(e.rationale)}<br>"
        f"<span class='mbl-ref'>{escape(e.rule)}</span></td></tr>"
        for e in report.elements
    )
    alt = (
        "<p><i>Graded against an accepted alternative answer.</i></p>" if report.alternative else ""
    )
    return (
        f"{STYLE}<p class='mbl-score'><b>Score: {points_text(report.score)} / "
        f"{points_text(report.max_score)} ({report.percent}%)</b></p>{alt}"
        '<table class="mbl-table mbl-grade"><tr><th>Element</th><th>Points</th><th>Why</th>'
        f"</tr>{rows}</table>"
    )


# -- the app ------------------------------------------------------------------------------
def drg_explorer(case_id: str | None = None) -> w.VBox:
    """The DRG explorer box.

    Child widgets are attributes of the box so tests can drive it: ``case`` (dropdown),
    ``summary``, ``principal``, ``secondary``, ``procedures``, ``group`` (button),
    ``result``, ``whatif_code``, ``whatif_poa``, ``whatif`` (button), ``whatif_out``,
    ``grade`` (button), ``feedback``, ``reveal`` (button) and ``answer``.
    """
    try:
        options = case_choices()
    except (OSError, ValueError):
        return w.VBox(
            [w.HTML(message("The inpatient cases could not be read; ask your instructor."))]
        )
    picker = w.Dropdown(
        options=options,
        value=case_id if case_id in {v for _, v in options} else options[0][1],
        description="Case",
        layout=w.Layout(width="80%"),
    )
    summary = w.HTML()
    wide = {"layout": w.Layout(width="70%"), "style": {"description_width": "110px"}}
    principal = w.Text(
        placeholder="one ICD-10-CM code, e.g. A00.0", description="Principal dx", **wide
    )
    secondary = w.Textarea(
        placeholder="one per line or comma-separated, each with its POA: N17.9:Y, E87.1:N",
        description="Secondary dx",
        **wide,
    )
    procedures = w.Text(
        placeholder="7-character codes, space-separated", description="ICD-10-PCS", **wide
    )
    group_button = w.Button(description="Group", button_style="primary", icon="calculator")
    result = w.HTML()
    whatif_code = w.Text(
        placeholder="e.g. E43", description="What if", layout=w.Layout(width="220px")
    )
    whatif_poa = w.Dropdown(options=POA_CHOICES, value="Y", description="POA")
    whatif_button = w.Button(
        description="What if documented?", icon="question", layout=w.Layout(width="200px")
    )
    whatif_out = w.HTML()
    grade_button = w.Button(description="Grade my coding", icon="check")
    feedback = w.HTML()
    reveal = w.Button(description="Show the answer", icon="eye")
    answer = w.HTML()

    def current() -> inpatient.InpatientCase:
        return inpatient.get_case(picker.value)

    def coding() -> dict:
        return read_coding(principal.value, secondary.value, procedures.value)

    def guarded(action, out: w.HTML) -> None:
        try:
            out.value = action()
        except (drg.DrgError, ValueError) as exc:
            out.value = message(str(exc))
        except Exception:  # the page must never show a traceback
            out.value = message(TROUBLE)

    def on_case(_=None) -> None:
        for box in (principal, secondary, procedures, whatif_code):
            box.value = ""
        for out in (result, whatif_out, feedback, answer):
            out.value = ""
        guarded(lambda: case_html(current()), summary)

    def on_group(_=None) -> None:
        whatif_out.value = ""  # a what-if answered the coding as it was; ask again
        guarded(lambda: result_html(inpatient.group_answer(current(), coding())), result)

    def on_whatif(_=None) -> None:
        def answer_text() -> str:
            try:
                return what_if_html(
                    what_if(current(), coding(), whatif_code.value, whatif_poa.value)
                )
            except (drg.DrgError, ValueError) as exc:
                return message(str(exc)) + query_rules_html()

        guarded(answer_text, whatif_out)

    def on_grade(_=None) -> None:
        guarded(lambda: grade_html(inpatient.grade(current(), coding())), feedback)

    def on_reveal(_=None) -> None:
        guarded(lambda: answer_html(current()), answer)

    picker.observe(on_case, names="value")
    group_button.on_click(on_group)
    whatif_button.on_click(on_whatif)
    grade_button.on_click(on_grade)
    reveal.on_click(on_reveal)
    box = w.VBox(
        [
            picker,
            summary,
            principal,
            secondary,
            procedures,
            w.HBox([group_button, grade_button, reveal]),
            result,
            w.HTML("<b>What if a CC or MCC were documented?</b> (a question for the physician)"),
            w.HBox([whatif_code, whatif_poa, whatif_button]),
            whatif_out,
            feedback,
            answer,
        ]
    )
    box.case, box.summary, box.principal, box.secondary = picker, summary, principal, secondary
    box.procedures, box.group, box.result = procedures, group_button, result
    box.whatif_code, box.whatif_poa, box.whatif, box.whatif_out = (
        whatif_code,
        whatif_poa,
        whatif_button,
        whatif_out,
    )
    box.grade, box.feedback, box.reveal, box.answer = grade_button, feedback, reveal, answer
    on_case()
    return box
