"""MS-DRG grouping with the real grouper: CMS's MS-DRG v43 (FY2026) and v44 (FY2027) logic
and the Medicare Code Editor, as the MIT-licensed ``msdrg`` package implements them.

:func:`group` takes an inpatient stay's codes (principal diagnosis, secondary diagnoses with
their POA indicators, ICD-10-PCS procedures), the patient's age and sex, the discharge status
and the discharge date, and answers as a grouper screen does: the MDC and the MS-DRG with its
title, relative weight and geometric mean length of stay (FY2026 Table 5, ``datasets/msdrg/``),
each secondary diagnosis's CC/MCC level and whether the principal excludes it, the Medicare
Code Editor's edits, and the hospital-acquired-condition (HAC) effect of a secondary diagnosis
not present on admission.

Every grouping decision is msdrg's; this module validates the input against the lab's code
sets, picks the grouper version by the discharge date, and puts msdrg's answer into words.
What msdrg does not tell (which code set off an MCE edit) is said in the result's notes.
msdrg 1.2.0 also marks every procedure as O.R. (``is_or``), so the lab shows only whether a
procedure was used by the final DRG (msdrg's ``MARKED_FOR_FINAL``).

>>> r = group("J18.9", sdx=["N17.9"], age=70, sex="M", discharge_status="01",
...           discharge_date="2026-03-01")
>>> r.drg, r.title, r.version
('194', 'Simple Pneumonia and Pleurisy with CC', '43.0')
>>> r.secondary[0].severity, r.secondary[0].excluded
('CC', False)
"""

from __future__ import annotations

import atexit
import csv
import datetime as dt
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any, NamedTuple

from medbill_lab.codes import icd10cm, icd10pcs
from medbill_lab.datasets import datasets_dir


class DrgError(ValueError):
    """Bad input for a grouping: an invalid code, sex, age, status or a date with no grouper."""


@dataclass(frozen=True)
class GrouperVersion:
    """One MS-DRG grouper release and the discharges it covers (both dates inclusive)."""

    name: str  # "43.1"
    number: int  # msdrg's version number, 431
    fiscal_year: int
    first: dt.date
    last: dt.date


#: The releases the lab groups with, by discharge date.  CMS's v43.0 took effect with FY2026
#: (Oct 1, 2025) and v43.1 with the April 1, 2026 ICD-10 update; v44.0 with FY2027.
VERSIONS = (
    GrouperVersion("43.0", 430, 2026, dt.date(2025, 10, 1), dt.date(2026, 3, 31)),
    GrouperVersion("43.1", 431, 2026, dt.date(2026, 4, 1), dt.date(2026, 9, 30)),
    GrouperVersion("44.0", 440, 2027, dt.date(2026, 10, 1), dt.date(2027, 9, 30)),
)

#: Table 5 (weights, GMLOS) shipped per MS-DRG major version
WEIGHT_TABLES = {"43": "msdrg/v43_fy2026.csv"}

#: sex as the UB-04 writes it -> msdrg's number
SEXES = {"M": 0, "F": 1, "U": 2}
MAX_AGE = 124
#: POA indicators (UB-04/837I): Y yes, N no, U documentation insufficient, W clinically
#: undetermined; blank (None) is "exempt from POA reporting" (5010 has no '1')
POA_VALUES = ("Y", "N", "U", "W")

#: Patient discharge status codes (UB-04 FL 17) the Medicare Code Editor accepts, in our
#: words.  81-95 are 01-70 "with a planned acute-care readmission".
DISCHARGE_STATUSES: dict[int, str] = {
    1: "home or self-care",
    2: "transferred to a short-term general hospital",
    3: "transferred to a skilled nursing facility (Medicare-certified)",
    4: "transferred to a facility giving custodial or supportive care",
    5: "transferred to a designated cancer center or children's hospital",
    6: "home under the care of a home health organization",
    7: "left against medical advice",
    20: "expired",
    21: "released to court or law enforcement",
    30: "still a patient",
    43: "transferred to a federal health care facility",
    50: "hospice at home",
    51: "hospice in a medical facility",
    61: "to a swing bed in this hospital",
    62: "transferred to an inpatient rehabilitation facility or unit",
    63: "transferred to a long-term care hospital",
    64: "transferred to a nursing facility certified by Medicaid only",
    65: "transferred to a psychiatric hospital or unit",
    66: "transferred to a critical access hospital",
    69: "to a designated disaster alternative care site",
    70: "transferred to another type of institution not listed",
}
for _planned, _base in zip(
    range(81, 96), (1, 2, 3, 4, 5, 6, 21, 43, 61, 62, 63, 64, 65, 66, 70), strict=True
):
    DISCHARGE_STATUSES[_planned] = (
        f"{DISCHARGE_STATUSES[_base]}, with a planned acute-care readmission"
    )

#: The Medicare Code Editor's edits (msdrg's names), in our words
MCE_MESSAGES = {
    "INVALID_CODE": "a diagnosis or procedure code is not valid for the discharge date",
    "INVALID_AGE": "the age is not a valid age",
    "INVALID_SEX": "the sex is not a valid sex",
    "INVALID_DISCHARGE_STATUS": "the discharge status is not a valid status",
    "INVALID_POA": "a POA indicator is not valid",
    "INVALID_ADMIT_DX": "the admitting diagnosis is not valid",
    "E_CODE_AS_PDX": "an external-cause code cannot be the principal diagnosis",
    "DUPLICATE_OF_PDX": "a secondary diagnosis repeats the principal diagnosis",
    "AGE_CONFLICT": "a diagnosis does not fit the patient's age "
    "(newborn, pediatric, maternity or adult code)",
    "SEX_CONFLICT": "a code is for the other sex than the patient's",
    "MANIFESTATION_AS_PDX": "a manifestation code cannot be the principal diagnosis: "
    "code the underlying condition first",
    "NONSPECIFIC_PDX": "the principal diagnosis is nonspecific",
    "QUESTIONABLE_ADMISSION": "the principal diagnosis is seldom a reason for an inpatient stay",
    "QUESTIONABLE_OBSTETRIC_ADMISSION": "an obstetric admission without a delivery "
    "procedure is questionable",
    "UNACCEPTABLE_PDX": "the principal diagnosis is not acceptable as a principal diagnosis",
    "REQUIRES_SDX": "the principal diagnosis needs a secondary diagnosis with it",
    "NON_COVERED": "a procedure Medicare does not cover",
    "LIMITED_COVERAGE": "a procedure Medicare covers only in limited circumstances",
    "OPEN_BIOPSY": "an open biopsy procedure",
    "BILATERAL": "a bilateral procedure combination",
    "NONSPECIFIC_OR": "a nonspecific O.R. procedure",
    "WRONG_PROCEDURE_PERFORMED": "a wrong procedure was performed (wrong patient, "
    "body part or procedure)",
    "INCONSISTENT_WITH_LENGTH_OF_STAY": "a procedure does not fit the length of stay",
    "MEDICARE_IS_SECONDARY_PAYER": "the codes suggest another payer is primary to Medicare",
}

#: msdrg's return codes other than OK, in our words
RETURN_CODES = {
    "INVALID_PDX": "the principal diagnosis is not valid for this grouper version",
    "DX_CANNOT_BE_PDX": "this diagnosis cannot be a principal diagnosis (for example an "
    "external-cause code): the claim is ungroupable (999)",
    "HAC_MISSING_ONE_POA": "a secondary diagnosis on a HAC list has no POA indicator; "
    "without it the grouper cannot apply the HAC rule, and the claim is ungroupable (999)",
    "HAC_STATUS_INVALID_POA_N_OR_U": "a HAC-list diagnosis is not POA but the hospital's "
    "HAC status is unknown",
    "HAC_STATUS_INVALID_MULT_HACS_POA_NOT_Y_W": "several HAC-list diagnoses are not POA "
    "and the hospital's HAC status is invalid",
    "HAC_STATUS_INVALID_POA_INVALID_OR_1": "a HAC-list diagnosis has an invalid POA indicator",
}

#: the claim-level HAC status msdrg reports, in our words
HAC_STATUSES = {
    "NOT_APPLICABLE": "no hospital-acquired condition applies",
    "FINAL_DRG_NO_CHANGE": "a hospital-acquired condition applies, but the final DRG is "
    "unchanged (another CC/MCC keeps the level)",
    "FINAL_DRG_CHANGES": "a hospital-acquired condition applies: its code's CC/MCC is not "
    "counted, so the final DRG is lower",
    "FINAL_DRG_UNGROUPABLE": "a hospital-acquired condition makes the claim ungroupable",
}

#: the two DRGs msdrg gives no title: CMS's titles (Table 5)
UNTITLED = {"998": "Principal Diagnosis Invalid as Discharge Diagnosis", "999": "Ungroupable"}

_EXCLUSION_FLAGS = frozenset(("EXCLUDED", "CC_EXCLUDED", "MCC_EXCLUDED"))


@dataclass(frozen=True)
class Hac:
    """A HAC category a secondary diagnosis belongs to, and whether its criteria are met."""

    category: str  # "HAC04"
    description: str
    met: bool


@dataclass(frozen=True)
class Secondary:
    """One secondary diagnosis as the grouper used it.

    ``severity`` is the code's own CC/MCC level ('MCC', 'CC' or 'none'); ``excluded`` says the
    principal diagnosis excludes it (the CC Exclusion List); ``counts_as`` is what it brings to
    the final DRG: 'none' when excluded or when it is a hospital-acquired condition not present
    on admission (HAC criteria met).
    """

    code: str
    description: str
    poa: str | None
    severity: str
    excluded: bool
    hacs: tuple[Hac, ...]
    counts_as: str
    flags: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "code": self.code,
            "description": self.description,
            "poa": self.poa,
            "severity": self.severity,
            "excluded": self.excluded,
            "hac": [
                {"category": h.category, "description": h.description, "met": h.met}
                for h in self.hacs
            ],
            "counts_as": self.counts_as,
            "grouper_flags": list(self.flags),
        }


@dataclass(frozen=True)
class Procedure:
    """One ICD-10-PCS procedure and whether the final DRG used it."""

    code: str
    title: str
    affects_drg: bool

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"code": self.code, "title": self.title, "affects_drg": self.affects_drg}


@dataclass(frozen=True)
class MceEdit:
    """One Medicare Code Editor edit the claim set off."""

    name: str
    message: str
    kind: str  # "prepayment" or "postpayment"
    count: int
    code_type: str  # DIAGNOSIS, PROCEDURE, BOTH or NONE, as msdrg says

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "edit": self.name,
            "message": self.message,
            "kind": self.kind,
            "count": self.count,
            "code_type": self.code_type,
        }


@dataclass(frozen=True)
class DrgResult:
    """A grouping, as a grouper screen shows it."""

    version: str
    fiscal_year: int
    version_reason: str
    discharge_date: dt.date
    age: int
    sex: str
    discharge_status: str
    discharge_status_text: str
    drg: str
    title: str
    drg_type: str | None  # MED or SURG (Table 5); None when no table is shipped
    mdc: str  # '04'; '' when the claim did not group (JSON null)
    mdc_title: str
    weight: Decimal | None
    gmlos: Decimal | None
    amlos: Decimal | None
    post_acute: bool | None
    initial_drg: str
    initial_title: str
    hac_status: str
    return_code: str
    pdx: str
    pdx_description: str
    pdx_poa: str | None
    secondary: tuple[Secondary, ...]
    procedures: tuple[Procedure, ...]
    mce: tuple[MceEdit, ...]
    notes: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (the ``drg group --json`` contract, less the payment the CLI adds)."""
        return {
            "version": self.version,
            "fiscal_year": self.fiscal_year,
            "version_reason": self.version_reason,
            "discharge_date": self.discharge_date.isoformat(),
            "age": self.age,
            "sex": self.sex,
            "discharge_status": self.discharge_status,
            "discharge_status_text": self.discharge_status_text,
            "drg": self.drg,
            "title": self.title,
            "type": self.drg_type,
            "mdc": self.mdc or None,
            "mdc_title": self.mdc_title,
            "weight": _number(self.weight),
            "gmlos": _number(self.gmlos),
            "amlos": _number(self.amlos),
            "post_acute": self.post_acute,
            "initial_drg": self.initial_drg,
            "initial_title": self.initial_title,
            "hac_status": self.hac_status,
            "return_code": self.return_code,
            "pdx": {"code": self.pdx, "description": self.pdx_description, "poa": self.pdx_poa},
            "secondary": [s.as_dict() for s in self.secondary],
            "procedures": [p.as_dict() for p in self.procedures],
            "mce": [m.as_dict() for m in self.mce],
            "notes": list(self.notes),
        }


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# -- the grouper, opened once per process -----------------------------------------------------
_lock = threading.Lock()
_group_lock = threading.Lock()
_engines: list[Any] = []


def _engine() -> tuple[Any, Any]:
    """The process's msdrg grouper and code editor (opened once, closed at exit)."""
    if not _engines:
        with _lock:
            if not _engines:
                import msdrg

                grouper, editor = msdrg.MsdrgGrouper(), msdrg.MceEditor()
                atexit.register(_close, grouper, editor)
                _engines.extend((grouper, editor))
    return _engines[0], _engines[1]


def _close(*engines: Any) -> None:
    for engine in engines:
        engine.close()


# -- the shipped table ---------------------------------------------------------------------
@dataclass(frozen=True)
class TableRow:
    """One MS-DRG of Table 5."""

    drg: str
    mdc: str
    drg_type: str
    title: str
    weight: Decimal | None
    gmlos: Decimal | None
    amlos: Decimal | None
    post_acute: bool
    special_pay: bool


@cache
def table(major: str = "43") -> dict[str, TableRow]:
    """Table 5 of an MS-DRG major version, by DRG ('194'); DrgError if it is not shipped.

    >>> table()["194"].weight
    Decimal('0.8059')
    """
    name = WEIGHT_TABLES.get(major)
    if name is None:
        raise DrgError(
            f"no MS-DRG weight table for v{major}; shipped: "
            + ", ".join(f"v{v}" for v in WEIGHT_TABLES)
        )
    with (datasets_dir() / name).open(newline="", encoding="utf-8") as fh:
        return {
            r["drg"]: TableRow(
                r["drg"],
                r["mdc"],
                r["type"],
                r["title"],
                Decimal(r["weight"]) if r["weight"] else None,
                Decimal(r["gmlos"]) if r["gmlos"] else None,
                Decimal(r["amlos"]) if r["amlos"] else None,
                r["post_acute"] == "Yes",
                r["special_pay"] == "Yes",
            )
            for r in csv.DictReader(fh)
        }


# -- input checks ----------------------------------------------------------------------------
def version_for(discharge_date: dt.date | str) -> tuple[GrouperVersion, str]:
    """The grouper release for a discharge date, and why; DrgError outside them.

    >>> version_for("2026-10-01")[0].name
    '44.0'
    """
    return _version_for(_date(discharge_date))


@lru_cache(maxsize=4096)
def _version_for(day: dt.date) -> tuple[GrouperVersion, str]:
    for v in VERSIONS:
        if v.first <= day <= v.last:
            why = (
                f"discharge {day.isoformat()} falls in FY{v.fiscal_year}; MS-DRG v{v.name} "
                f"groups discharges {v.first.isoformat()} to {v.last.isoformat()}"
            )
            return v, why
    spans = "; ".join(f"v{v.name} {v.first.isoformat()} to {v.last.isoformat()}" for v in VERSIONS)
    raise DrgError(f"no MS-DRG grouper for a discharge on {day.isoformat()}; available: {spans}")


def _date(value: dt.date | str) -> dt.date:
    try:
        return icd10cm.as_date(value)
    except ValueError:
        raise DrgError(f"discharge date {value!r} is not a date (YYYY-MM-DD)") from None


def _sex(sex: str) -> str:
    key = str(sex).strip().upper()
    if key not in SEXES:
        raise DrgError(f"sex {sex!r} is not M, F or U")
    return key


def _age(age: int) -> int:
    if isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= MAX_AGE:
        raise DrgError(f"age {age!r} is not a whole number of years from 0 to {MAX_AGE}")
    return age


def _status(status: int | str) -> int:
    text = str(status).strip()
    number = int(text) if text.isdigit() and len(text) <= 2 else -1
    if number not in DISCHARGE_STATUSES:
        raise DrgError(
            f"discharge status {status!r} is not a patient discharge status code "
            "(01 home, 02 short-term hospital, 03 SNF, 06 home health, 07 left AMA, 20 expired, "
            "... 95; see medbill_lab.codes.drg.DISCHARGE_STATUSES)"
        )
    return number


def _poa(poa: str | None, code: str) -> str | None:
    if poa in POA_VALUES:  # the common case, checked first: grouping is a hot loop
        return poa
    if poa is None or str(poa).strip() == "":
        return None
    value = str(poa).strip().upper()
    if value not in POA_VALUES:
        raise DrgError(f"POA {poa!r} for {code} is not Y, N, U, W or blank (exempt)")
    return value


def _installed(fiscal_year: int) -> tuple[bool, bool]:
    """Are that year's ICD-10-CM and ICD-10-PCS here (shipped, or imported by the user)?
    Part of the code caches' key, so a year imported mid-session is used from then on."""
    return icd10cm.available(fiscal_year), icd10pcs.available(fiscal_year)


@lru_cache(maxsize=65536)
def _diagnosis(code: str, fiscal_year: int, installed: bool, role: str) -> tuple[str, str, str]:
    """(dotted code, grouper code, description) of a diagnosis valid in the code set; '' for
    the description when that year's ICD-10-CM is not installed.  DrgError when invalid."""
    if not isinstance(code, str) or not code.strip():
        raise DrgError(f"the {role} is empty")
    key = icd10cm.normalize(code)
    if not installed:
        return key, key.replace(".", ""), ""  # checked by the grouper's own code list
    codeset = icd10cm.load(fiscal_year)
    i = codeset.index.get(key)
    if i is None or not codeset.billable_at(i):
        _, detail, _ = codeset.check(key)
        raise DrgError(f"{role} {key} is not valid in ICD-10-CM FY{fiscal_year}: {detail}")
    return key, key.replace(".", ""), codeset.descriptions[i]


@lru_cache(maxsize=65536)
def _procedure(code: str, fiscal_year: int, installed: bool) -> tuple[str, str]:
    """(code, title) of a valid ICD-10-PCS code; '' title when that year is not installed."""
    if not isinstance(code, str) or not code.strip():
        raise DrgError("a procedure code is empty")
    key = icd10pcs.normalize(code)
    if not installed:
        return key, ""  # checked by the grouper's own code editor
    check = icd10pcs.validate(key, fiscal_year)
    if not check.valid:
        raise DrgError(f"procedure {key} is not an ICD-10-PCS code: {check.reason}")
    return key, icd10pcs.lookup(key, fiscal_year).title


def _secondaries(
    sdx: Iterable[str | tuple[str, str | None]], fiscal_year: int, installed: bool
) -> list[tuple[str, str, str, str | None]]:
    out = []
    for item in sdx:
        code, poa = (item[0], item[1]) if isinstance(item, (tuple, list)) else (item, None)
        dotted, raw, desc = _diagnosis(code, fiscal_year, installed, "secondary diagnosis")
        out.append((dotted, raw, desc, _poa(poa, dotted)))
    return out


# -- grouping ------------------------------------------------------------------------------------
def group(
    pdx: str,
    sdx: Sequence[str | tuple[str, str | None]] = (),
    pcs: Sequence[str] = (),
    *,
    age: int,
    sex: str,
    discharge_status: int | str,
    discharge_date: dt.date | str,
    pdx_poa: str | None = None,
) -> DrgResult:
    """Group one inpatient stay to an MS-DRG with the grouper of its discharge date.

    ``sdx`` are codes ('N17.9' or 'N179') or (code, POA) pairs; POA is Y, N, U, W or None
    (blank: exempt).  ``sex`` is M, F or U; ``age`` 0-124 years; ``discharge_status`` a UB-04
    status code ('01', 20 ...).  Raises :class:`DrgError`, one line, for any bad input.

    >>> group("I21.4", age=80, sex="F", discharge_status="20",
    ...       discharge_date="2026-05-02").title
    'Acute Myocardial Infarction, Expired without CC/MCC'
    """
    stay = _stay(pdx, sdx, pcs, age, sex, discharge_status, discharge_date, pdx_poa)
    grouper, editor = _engine()
    with _group_lock:  # msdrg promises thread safety for its code editor, not its grouper
        out = grouper.group(stay.claim)  # one claim for both: the grouper ignores the date
    _check_principal(out, stay)
    secondary = _secondary_rows(out["sdx_output"], stay)  # DrgError for a code it lacks
    edits = editor.edit(stay.claim)
    _check_procedures(edits, stay)
    return _result(stay, out, edits, secondary)


class _Stay(NamedTuple):
    """A stay's checked input, and the claim msdrg groups."""

    version: GrouperVersion
    why: str
    day: dt.date
    age: int
    sex: str
    status: int
    pdx: tuple[str, str, str]  # dotted, grouper code, description
    pdx_poa: str | None
    secondaries: list[tuple[str, str, str, str | None]]  # dotted, grouper code, desc, POA
    procedures: list[tuple[str, str]]  # code, title
    claim: dict[str, Any]


def _stay(
    pdx: str,
    sdx: Sequence[str | tuple[str, str | None]],
    pcs: Sequence[str],
    age: int,
    sex: str,
    discharge_status: int | str,
    discharge_date: dt.date | str,
    pdx_poa: str | None,
) -> _Stay:
    """Check every input (DrgError on the first bad one) and build msdrg's claim."""
    day = _date(discharge_date)
    version, why = _version_for(day)
    sex_key, years, status = _sex(sex), _age(age), _status(discharge_status)
    fy = version.fiscal_year
    cm, pcs_here = _installed(fy)
    principal = _diagnosis(pdx, fy, cm, "principal diagnosis")
    p_poa = _poa(pdx_poa, principal[0])
    secondaries = _secondaries(sdx, fy, cm)
    procedures = [_procedure(c, fy, pcs_here) for c in pcs]
    claim: dict[str, Any] = {
        "version": version.number,
        "age": years,
        "sex": SEXES[sex_key],
        "discharge_status": status,
        "hospital_status": "NOT_EXEMPT",  # a hospital under the HAC rule (not Maryland's)
        "pdx": {"code": principal[1], "poa": p_poa} if p_poa else {"code": principal[1]},
        "sdx": [
            {"code": raw, "poa": poa} if poa else {"code": raw} for _, raw, _, poa in secondaries
        ],
        "procedures": [{"code": code} for code, _ in procedures],
        "discharge_date": day.year * 10000 + day.month * 100 + day.day,  # the MCE's
    }
    return _Stay(
        version, why, day, years, sex_key, status, principal, p_poa, secondaries, procedures, claim
    )


def _check_principal(out: dict, stay: _Stay) -> None:
    """The grouper's own code list has the last word: a principal it lacks is an error."""
    if out.get("pdx_output") is None or "VALID" not in out["pdx_output"].get("flags", ()):
        raise DrgError(
            f"principal diagnosis {stay.pdx[0]} is not in MS-DRG v{stay.version.name}'s code list"
        )


def _check_procedures(edits: dict, stay: _Stay) -> None:
    """Every diagnosis is known to the grouper by now, so the code editor's invalid-code
    edit means a procedure it lacks (msdrg does not say which)."""
    if any(e["name"] == "INVALID_CODE" for e in edits.get("edits", ())):
        codes = ", ".join(code for code, _ in stay.procedures)
        raise DrgError(
            f"a procedure code ({codes}) is not in MS-DRG v{stay.version.name}'s code list "
            "(the Medicare Code Editor's invalid-code edit)"
        )


def _result(stay: _Stay, out: dict, edits: dict, secondary: tuple[Secondary, ...]) -> DrgResult:
    """msdrg's answer, with the shipped Table 5 row, in the lab's terms."""
    version = stay.version
    drg = f"{out['final_drg']:03d}"
    major = version.name.split(".")[0]
    row = table(major).get(drg) if major in WEIGHT_TABLES else None
    mce = tuple(_mce(e) for e in edits.get("edits", ()))
    hac_status = out["grouper_flags"]["hac_status_value"]
    initial = f"{out['initial_drg']:03d}" if out["initial_drg"] is not None else ""
    return DrgResult(
        version=version.name,
        fiscal_year=version.fiscal_year,
        version_reason=stay.why,
        discharge_date=stay.day,
        age=stay.age,
        sex=stay.sex,
        discharge_status=f"{stay.status:02d}",
        discharge_status_text=DISCHARGE_STATUSES[stay.status],
        drg=drg,
        title=out["final_drg_description"] or UNTITLED.get(drg, ""),
        drg_type=(row.drg_type or None) if row else None,
        mdc=f"{out['final_mdc']:02d}" if out["final_mdc"] else "",
        mdc_title=out["final_mdc_description"] or "",
        weight=row.weight if row else None,
        gmlos=row.gmlos if row else None,
        amlos=row.amlos if row else None,
        post_acute=row.post_acute if row else None,
        initial_drg=initial,
        initial_title=out["initial_drg_description"] or UNTITLED.get(initial, ""),
        hac_status=HAC_STATUSES.get(hac_status, hac_status),
        return_code=out["return_code"],
        pdx=stay.pdx[0],
        pdx_description=stay.pdx[2],
        pdx_poa=stay.pdx_poa,
        secondary=secondary,
        procedures=_procedure_rows(out["proc_output"], stay.procedures),
        mce=mce,
        notes=_notes(stay, out, row, bool(mce)),
    )


def _notes(stay: _Stay, out: dict, row: TableRow | None, edited: bool) -> tuple[str, ...]:
    """What the reader should know beside the DRG: what is not shipped, not told, or special."""
    version, notes = stay.version, []
    major = version.name.split(".")[0]
    if major not in WEIGHT_TABLES:
        notes.append(
            f"FY{version.fiscal_year} weights and GMLOS (Table 5 for v{major}) are not "
            "shipped with the lab: no weight or GMLOS, and no payment, is given"
        )
    if version.number == 440 and stay.day >= dt.date(2027, 4, 1):
        notes.append(
            "grouped with v44.0: an April 1, 2027 update (v44.1), if CMS issues one, "
            "is not in this grouper"
        )
    add = f"add it with: medbill-lab codes import-release ZIP --year {version.fiscal_year}"
    if stay.pdx[2] == "":
        notes.append(
            f"ICD-10-CM FY{version.fiscal_year} is not installed in the lab: the diagnoses "
            f"were checked against MS-DRG v{version.name}'s own code list only ({add})"
        )
    if stay.procedures and stay.procedures[0][1] == "":
        notes.append(
            f"ICD-10-PCS FY{version.fiscal_year} is not installed in the lab: the procedures "
            f"were checked by MS-DRG v{version.name}'s code editor only ({add})"
        )
    if edited:
        notes.append(
            "msdrg reports each code-editor edit with a count, not the codes that set it off"
        )
    code = out["return_code"]
    if code != "OK":
        notes.append(RETURN_CODES.get(code, code.lower().replace("_", " ")))
    if row is not None and row.mdc == "PRE":
        notes.append(
            f"DRG {row.drg} is a pre-MDC DRG: it is assigned before the principal "
            "diagnosis's MDC is considered"
        )
    return tuple(notes)


def _secondary_rows(outputs: list[dict], stay: _Stay) -> tuple[Secondary, ...]:
    """msdrg's per-code output (sorted by code) matched back to the input order; DrgError
    for a code the grouper's own code list lacks."""
    by_code: dict[str, list[dict]] = {}
    for o in outputs:
        by_code.setdefault(o["code"], []).append(o)
    rows = []
    for dotted, raw, desc, poa in stay.secondaries:
        o = by_code[raw].pop(0)
        flags = tuple(o.get("flags", ()))
        if "VALID" not in flags:
            raise DrgError(
                f"secondary diagnosis {dotted} is not in MS-DRG v{stay.version.name}'s code list"
            )
        hacs = (
            tuple(
                Hac(h["hac_list"], h["description"], h["hac_status"] == "HAC_CRITERIA_MET")
                for h in o["hacs"]
                if h["hac_list"].startswith("HAC")  # msdrg also lists 'hacNN_show' duplicates
            )
            if o.get("hacs")
            else ()
        )
        severity = o["severity"] if o["severity"] in ("CC", "MCC") else "none"
        excluded = not _EXCLUSION_FLAGS.isdisjoint(flags)
        lost = excluded or any(h.met for h in hacs)
        rows.append(
            Secondary(
                dotted, desc, poa, severity, excluded, hacs, "none" if lost else severity, flags
            )
        )
    return tuple(rows)


def _procedure_rows(
    outputs: list[dict], procedures: list[tuple[str, str]]
) -> tuple[Procedure, ...]:
    by_code: dict[str, list[dict]] = {}
    for o in outputs:
        by_code.setdefault(o["code"], []).append(o)
    rows = []
    for code, title in procedures:
        o = by_code[code].pop(0) if by_code.get(code) else {}
        rows.append(Procedure(code, title, "MARKED_FOR_FINAL" in o.get("flags", ())))
    return tuple(rows)


def _mce(edit: dict) -> MceEdit:
    name = edit["name"]
    base = "LIMITED_COVERAGE" if name.startswith("LIMITED_COVERAGE") else name
    message = MCE_MESSAGES.get(base, name.lower().replace("_", " "))
    if base != name:
        message += f" ({name[len(base) + 1 :].lower().replace('_', ' ')})"
    return MceEdit(name, message, edit["edit_type"].lower(), edit["count"], edit["code_type"])
