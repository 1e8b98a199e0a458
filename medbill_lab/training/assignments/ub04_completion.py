"""The UB-04 completion assignment for one course: one hospital stay, drawn afresh.

``draw(rng)`` makes the course's stay with the inpatient generator
(:func:`medbill_lab.training.assignments.inpatient_drg.draw_stay`: the diagnoses with POA,
the procedures and their dates), then the hospital, the patient, the payer (Medicare
Part A from 65, else a commercial plan with a precertification number), the admission
and discharge hours, where the patient came from, and the charges from the hospital's
charge description master, itemized by revenue code.  The paperwork is what a hospital
biller reads: the face sheet, the insurance card, the coding summary from health
information management, and the itemized charges.  The UB-04 it supports is the key,
which goes only into the instructor's hidden tests (and the model answer).  Every name,
number and address is made up.

Grading is form locator by form locator (:func:`grade_claim`), each mark with its reason;
the lab's institutional edits (:mod:`medbill_lab.claims.ub04_checks`) run on the
learner's claim and each edit is shown under the part whose locator it names.

>>> import random
>>> case = draw_case(random.Random(3))
>>> institutional.claim_problems(case.claim), [e.id for e in _rejects(case.claim)]
([], [])
>>> marks = grade_claim(case.claim, case.claim)
>>> all(m.points == m.max_points for m in marks)
True
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from medbill_lab.claims import institutional, ub04_checks
from medbill_lab.claims.model import make_npi
from medbill_lab.practice.synthetic import FEMALE_NAMES, LAST_NAMES, MALE_NAMES, STREETS, TOWNS
from medbill_lab.training import answer_forms as forms
from medbill_lab.training.answer_forms import Field, FormAnswers, FormSpec
from medbill_lab.training.assignments import PartScore, assigned, earned, literal
from medbill_lab.training.assignments.inpatient_drg import KINDS, draw_stay
from medbill_lab.training.claim_grading import MarkRow, norm, scaled_elements, value_text
from medbill_lab.training.element_log import element

# part -> (title, the form locators it grades and shows edits for, points)
PARTS = {
    "stay": ("Type of bill and the stay", (4, 6, *range(12, 18), 39, 40, 41), 4),
    "people": ("Facility, patient and payer", (1, 2, 3, 5, 8, 9, 10, 11, *range(50, 66)), 3),
    "charges": ("Revenue lines and the total", tuple(range(42, 50)), 4),
    "codes": ("Diagnoses, procedures and physicians", tuple(range(66, 82)), 5),
}
TOPIC = "UB-04"  # the class report's topic of a locator that is not a code (element_log.TOPICS)
EXTRA_LINE_PENALTY = 1.0
EXTRA_CODE_PENALTY = 0.5
HOSPITALS = ("Harlow", "Prairie View", "St. Brendan", "Riverside", "Lakeland", "Oak Hollow")
HOSPITAL_KINDS = ("Community Hospital", "Medical Center", "Regional Hospital")
COMMERCIAL = (
    ("Lakeshore Health Plan", "MBL10", "Lakeshore Choice PPO"),
    ("Prairie Crest Insurance", "MBL11", "Prairie Crest Value PPO"),
    ("Riverbend Health Partners", "MBL12", "Riverbend Gold PPO"),
    ("Northfield Mutual Health", "MBL13", "Northfield Classic PPO"),
)
MEDICARE = ("Medicare Part A (MedBill Lab MAC)", "MBL01")
MBI_LETTERS = "ACDEFGHJKMNPQRTUVWXY"  # an MBI never uses S, L, O, I, B or Z
# revenue code -> (department on the charge description master, items: (name, low, high))
CDM = {
    "0250": ("Pharmacy", (("IV antibiotic, per dose", 40, 180), ("oral medicines, per day", 15, 60),
                          ("IV fluids, per bag", 25, 90))),
    "0260": ("IV therapy", (("IV infusion, first hour", 180, 320),)),
    "0272": ("Sterile supplies", (("surgical pack", 220, 480),)),
    "0278": ("Other implants", (("hip prosthesis or nail system", 3800, 7200),)),
    "0300": ("Laboratory", (("metabolic panel", 70, 160), ("complete blood count", 40, 110),
                            ("culture", 90, 210))),
    "0320": ("Diagnostic radiology", (("chest X-ray, two views", 180, 340),)),
    "0350": ("CT scan", (("CT abdomen and pelvis with contrast", 1400, 2600),)),
    "0360": ("Operating room services", (("operating room time, per 30 minutes", 1500, 2900),)),
    "0370": ("Anesthesia", (("general anesthesia, per 30 minutes", 600, 1200),)),
    "0402": ("Other imaging", (("ultrasound", 450, 900),)),
    "0410": ("Respiratory services", (("nebulizer treatment", 60, 140),
                                      ("oxygen, per day", 80, 160))),
    "0420": ("Physical therapy", (("physical therapy evaluation", 180, 320),)),
    "0450": ("Emergency room", (("emergency department visit, high severity", 1200, 2400),)),
    "0710": ("Recovery room", (("recovery room, first hour", 500, 950),)),
    "0730": ("EKG/ECG", (("12-lead ECG", 120, 260),)),
}  # fmt: skip
# items a kind of stay bills instead of the department's usual ones
OWN_ITEMS = {
    "hip-fracture": {
        "0320": (("hip X-ray, two views", 160, 300), ("chest X-ray before surgery", 180, 340))
    }
}
ANCILLARIES = {
    "pneumonia": ("0450", "0250", "0300", "0320", "0410"),
    "copd": ("0450", "0250", "0300", "0320", "0410"),
    "heart-failure": ("0450", "0250", "0300", "0320", "0730"),
    "cholecystectomy": ("0450", "0250", "0300", "0402", "0360", "0370", "0710", "0272"),
    "appendectomy": ("0450", "0250", "0300", "0350", "0360", "0370", "0710", "0272"),
    "hip-fracture": ("0450", "0250", "0300", "0320", "0360", "0370", "0710", "0278", "0420"),
    "sepsis": ("0450", "0250", "0260", "0300", "0320"),
    "cellulitis": ("0450", "0250", "0300", "0402"),
}
ROOMS = (("0120", "Semi-private room, general", (1450, 2100)),
         ("0110", "Private room, general", (1800, 2600)))  # fmt: skip
ORIGINS = {
    "1": "came from home",
    "2": "was sent in from the physician's office (a clinic referral)",
}
STATUS_WORDS = {
    "01": "discharged home to self care",
    "06": "discharged home with a home health agency's nursing visits",
    "03": "transferred to a Medicare-certified skilled nursing facility",
    "62": "transferred to an inpatient rehabilitation facility",
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Case:
    """One course's stay: the paperwork (markdown) and the UB-04 it supports (plain data)."""

    text: str
    claim: dict


def _rejects(data: dict) -> list[ub04_checks.Edit]:
    return [e for e in ub04_checks.check(institutional.from_dict(data)) if e.blocking]


def _money(x: Decimal) -> str:
    return f"{x:.2f}"


def _day(d: dt.date) -> str:
    return f"{WEEKDAYS[d.weekday()]} {d.isoformat()}"


def _mbi(rng: random.Random) -> str:
    """A made-up Medicare Beneficiary Identifier in the MBI's shape (11 characters)."""
    shape = "CAANAANAANN"  # C 1-9, A letter, N digit (positions 3 and 6 may be either)
    out = []
    for i, kind in enumerate(shape):
        if kind == "C":
            out.append(rng.choice("123456789"))
        elif kind == "N":
            out.append(rng.choice("0123456789"))
        else:
            pool = MBI_LETTERS + ("0123456789" if i in (2, 5) else "")
            out.append(rng.choice(pool))
    return "".join(out)


def _lines(
    rng: random.Random, kind: str, los: int
) -> tuple[list[dict], list[tuple[str, str, str]]]:
    """The revenue lines (one per revenue code) and the itemized charges behind them."""
    room, room_name, (low, high) = rng.choice(ROOMS)
    rate = Decimal(rng.randrange(low, high, 25))
    lines = [{"revenue_code": room, "description": room_name, "units": str(los),
              "total_charge": _money(rate * los)}]  # fmt: skip
    items = [(room, f"{room_name}, {los} day(s) at ${rate:,.2f} per day", _money(rate * los))]
    for code in ANCILLARIES[kind]:
        department, catalogue = CDM[code]
        catalogue = OWN_ITEMS.get(kind, {}).get(code, catalogue)
        count = rng.randint(1, 3) if len(catalogue) > 1 or code == "0250" else 1
        picked = [rng.choice(catalogue) for _ in range(count)]
        total = Decimal(0)
        for name, lo, hi in picked:
            price = Decimal(rng.randrange(lo * 100, hi * 100)) / 100
            items.append((code, f"{department}: {name}", _money(price)))
            total += price
        lines.append({"revenue_code": code, "description": department, "units": str(count),
                      "total_charge": _money(total)})  # fmt: skip
    rng.shuffle(items)
    return lines, items


def draw_case(rng: random.Random) -> Case:
    """One stay whose UB-04 loads and passes the institutional edits (drawn until it does)."""
    while True:
        case = _draw_once(rng)
        if not institutional.claim_problems(case.claim) and not _rejects(case.claim):
            return case


def _draw_once(rng: random.Random) -> Case:
    kind = rng.choice(sorted(KINDS))
    stay, facts = draw_stay(rng, kind, "stay")
    admitted = dt.date.fromisoformat(stay["admission_date"])
    discharged = dt.date.fromisoformat(stay["discharge_date"])
    los = (discharged - admitted).days
    sex = stay["sex"]
    born = admitted - dt.timedelta(
        days=stay["age"] * 365 + stay["age"] // 4 + rng.randrange(20, 340)
    )
    town, zip_code = rng.choice(TOWNS)
    patient = {
        "last": rng.choice(LAST_NAMES),
        "first": rng.choice(FEMALE_NAMES if sex == "F" else MALE_NAMES),
        "dob": born.isoformat(),
        "sex": sex,
        "address": {"street": f"{rng.randrange(10, 990)} {rng.choice(STREETS)}", "city": town,
                    "state": "IL", "zip": zip_code},
    }  # fmt: skip
    h_town, h_zip = rng.choice(TOWNS)
    hospital = {
        "name": f"{rng.choice(HOSPITALS)} {rng.choice(HOSPITAL_KINDS)}",
        "npi": make_npi(rng),
        "tax_id": f"{rng.randrange(10, 99)}-{rng.randrange(1000000, 9999999)}",
        "taxonomy": "282N00000X",
        "address": {"street": f"{rng.randrange(100, 2000)} {rng.choice(STREETS)}",
                    "city": h_town, "state": "IL", "zip": f"{h_zip}{rng.randrange(1000, 9999)}"},
    }  # fmt: skip
    medicare = stay["age"] >= 65
    if medicare:
        payer = {"payer_name": MEDICARE[0], "payer_id": MEDICARE[1], "filing_indicator": "MA",
                 "insured_id": _mbi(rng), "relationship": "18"}  # fmt: skip
        plan = "Medicare Part A (hospital insurance)"
    else:
        name, pid, plan = rng.choice(COMMERCIAL)
        payer = {"payer_name": name, "payer_id": pid, "filing_indicator": "CI",
                 "insured_id": f"{pid[-2:]}{rng.randrange(10**8, 10**9)}", "relationship": "18",
                 "group_number": f"GRP-{rng.randrange(10000, 99999)}",
                 "authorization": f"PC{rng.randrange(10**7, 10**8)}"}  # fmt: skip
    origin = rng.choice(("1", "1", "2"))
    lines, items = _lines(rng, kind, los)
    total = sum(Decimal(ln["total_charge"]) for ln in lines)
    answer = stay["answer"]
    procedures = [{"code": p["code"], "date": p["date"]} for p in answer["procedures"]]
    attending = {"npi": make_npi(rng), "last": rng.choice(LAST_NAMES),
                 "first": rng.choice(FEMALE_NAMES + MALE_NAMES)}  # fmt: skip
    operating = None
    if facts["surgeon"]:
        operating = {"npi": make_npi(rng), "last": rng.choice(LAST_NAMES),
                     "first": rng.choice(FEMALE_NAMES + MALE_NAMES)}  # fmt: skip
    sent = discharged + dt.timedelta(days=rng.randint(2, 6))
    claim = {
        "form": institutional.FORM,
        "patient_control_number": f"{hospital['name'][:2].upper()}{rng.randrange(10**6, 10**7)}",
        "medical_record_number": f"MR{rng.randrange(10**5, 10**6)}",
        "type_of_bill": "0111",
        "billing_provider": hospital,
        "statement_from": admitted.isoformat(),
        "statement_through": discharged.isoformat(),
        "patient": patient,
        "admission_date": admitted.isoformat(),
        "admission_hour": f"{facts['admission_hour']:02d}",
        "admission_type": stay["admission_type"],
        "admission_source": origin,
        "discharge_hour": f"{facts['discharge_hour']:02d}",
        "discharge_status": stay["discharge_status"],
        "value_codes": [{"code": "80", "amount": str(los)}],
        "lines": lines,
        "total_charge": _money(total),
        "payers": [payer],
        "principal_diagnosis": dict(answer["principal"]),
        "admitting_diagnosis": facts["admitting"],
        "other_diagnoses": [dict(d) for d in answer["secondary"]],
        "principal_procedure": procedures[0] if procedures else None,
        "other_procedures": procedures[1:],
        "attending": attending,
        "operating": operating,
        "submitted_on": sent.isoformat(),
    }
    minutes = (rng.randrange(60), rng.randrange(60))  # the face sheet's; FL 13 and 16 keep the hour
    text = _paperwork(claim, items, plan, stay["age"], los, minutes)
    return Case(text, claim)


def _name(p: dict) -> str:
    return f"{p['first']} {p['last']}"


def _paperwork(
    c: dict, items: list[tuple[str, str, str]], plan: str, age: int, los: int, minutes: tuple
) -> str:
    """The stay as the biller reads it: face sheet, card, coding summary, charges."""
    p, h, pay = c["patient"], c["billing_provider"], c["payers"][0]
    a = p["address"]
    ha = h["address"]
    admitted = dt.date.fromisoformat(c["admission_date"])
    discharged = dt.date.fromisoformat(c["statement_through"])
    kind = {"1": "an emergency admission through the emergency department",
            "3": "an elective, scheduled admission"}[c["admission_type"]]  # fmt: skip
    card = (
        f"> **{pay['payer_name']}** · {plan}\n> Member: {p['first'].upper()} {p['last'].upper()}"
        f" · ID **{pay['insured_id']}**"
    )
    if pay.get("group_number"):
        card += f" · Group {pay['group_number']}"
    card += f"\n> Payer ID for electronic claims: {pay['payer_id']}"
    precert = (
        f"The plan precertified the admission: authorization **{pay['authorization']}**."
        if pay.get("authorization")
        else "Medicare needs no precertification for this admission."
    )
    dx = "\n".join(
        f"| {'principal' if i == 0 else 'other'} | {d['code']} | {d['poa'] or 'blank (exempt)'} |"
        for i, d in enumerate([c["principal_diagnosis"], *c["other_diagnoses"]])
    )
    procs = [x for x in [c["principal_procedure"], *c["other_procedures"]] if x]
    proc_text = (
        "\n".join(f"| {x['code']} | {x['date']} |" for x in procs) if procs else "| none | |"
    )
    op = c["operating"]
    surgeon = (
        f"Operating physician: Dr. {_name(op)}, NPI **{op['npi']}**."
        if op
        else "No operation: no operating physician."
    )
    charge_rows = "\n".join(
        f"| {code} | {what} | ${Decimal(amount):,.2f} |" for code, what, amount in items
    )
    middle = "no middle name"
    return f"""**Face sheet ({h["name"]}, admitting office)**

| | |
|---|---|
| Patient | {_name(p)} ({middle}) |
| Date of birth, sex | {p["dob"]}; {"female" if p["sex"] == "F" else "male"}; {age} years old on admission |
| Address | {a["street"]}, {a["city"]}, {a["state"]} {a["zip"]} |
| Patient control (account) number | {c["patient_control_number"]} |
| Medical record number | {c["medical_record_number"]} |
| Admitted | {_day(admitted)} at {c["admission_hour"]}:{minutes[0]:02d} as {kind}; the patient {ORIGINS[c["admission_source"]]} |
| Inpatient order | written on arrival, so the inpatient stay begins {c["admission_date"]} |
| Discharged | {_day(discharged)} at {c["discharge_hour"]}:{minutes[1]:02d}; {STATUS_WORDS[c["discharge_status"]]} |
| Insured | the patient is the insured (the subscriber on the card) |
| Signatures | release of information and assignment of benefits signed and on file |

**Insurance card**

{card}

{precert}

**Coding summary (health information management, final)**

Admitting diagnosis (the reason given on the inpatient order): **{c["admitting_diagnosis"]}**.

| Diagnosis | ICD-10-CM | POA |
|---|---|---|
{dx}

| Procedure (ICD-10-PCS) | Date |
|---|---|
{proc_text}

Attending physician: Dr. {_name(c["attending"])}, NPI **{c["attending"]["npi"]}**. {surgeon}

**Itemized charges** (from the charge description master; every charge of the stay, in the
order posted)

| Revenue code | Item | Charge |
|---|---|---|
{charge_rows}

**The hospital (the billing provider)**

> {h["name"]}, {ha["street"]}, {ha["city"]}, {ha["state"]} {ha["zip"]}
> NPI {h["npi"]} · federal tax ID (EIN) {h["tax_id"]} · taxonomy {h["taxonomy"]} (general acute care hospital)

The hospital reports value code 80 (covered days) on every inpatient claim: all {los} day(s) of
this stay are covered. You prepare the claim on **{c["submitted_on"]}**; it is the only claim for
the stay (admission through discharge)."""


# -- the answer form: the UB-04 form locators the assignment grades, by FL number ---------------
LINE_ROWS = 15  # revenue lines (the paper form has 22; a drawn stay uses at most 10)
DX_ROWS = 17  # FL 67A-Q
PROC_ROWS = 5  # FL 74a-e
VALUE_ROWS = 4  # FL 39-41, a-d
STAY = "FL 1-17: the facility, the patient and the stay"
VALUES = "FL 39-41: value codes and amounts (code 80: the covered days)"
LINES = (
    "FL 42-47: one line per revenue code, the room first (FL 46 units: the room's days, the "
    "day of discharge not counted; FL 47 the sum of that code's items); leave the rows you do "
    "not need blank"
)
TOTAL = "FL 45 and 47 on line 23 (revenue code 0001): the day the claim is made, and the total"
PAYER = "FL 50-65: the payer (line A, the primary payer)"
CODES = (
    "FL 66-81: diagnoses with their POA (blank for a code exempt from POA reporting), "
    "procedures with their dates, and the physicians"
)
POA = (("Y", "yes"), ("N", "no"), ("U", "unknown"), ("W", "clinically undetermined"))
DIGITS = {"pattern": r"[0-9]{2}", "hint": "two digits"}


def _fl_address(fl: str, whose: str, group: str) -> list[Field]:
    return [
        Field(f"{fl}_street", f"FL {fl} {whose} street", group=group),
        Field(f"{fl}_city", f"FL {fl} {whose} city", group=group),
        Field(f"{fl}_state", f"FL {fl} {whose} state", group=group, pattern=r"[A-Za-z]{2}",
              hint="2 letters"),
        Field(f"{fl}_zip", f"FL {fl} {whose} ZIP code", group=group),
    ]  # fmt: skip


def _rows(id_: str, label: str, rows: int, group: str, kind: str = "text", **kw: object) -> Field:
    return Field(id_, label, kind, repeat=rows, group=group, **kw)  # type: ignore[arg-type]


FORM = FormSpec(
    "ub04_completion",
    [
        Field("1", "FL 1 Facility name", group=STAY),
        *_fl_address("1", "Facility", STAY),
        Field("2", "FL 2 Pay-to name and address (when not FL 1)", group=STAY),
        Field("3a", "FL 3a Patient control number", group=STAY),
        Field("3b", "FL 3b Medical record number", group=STAY),
        Field("4", "FL 4 Type of bill", group=STAY, pattern=r"[0-9]{4}",
              hint="four digits with the leading 0"),
        Field("5", "FL 5 Federal tax number", group=STAY),
        Field("6_from", "FL 6 Statement covers period, from", "date", group=STAY),
        Field("6_through", "FL 6 Statement covers period, through", "date", group=STAY),
        Field("8_last", "FL 8 Patient's last name", group=STAY),
        Field("8_first", "FL 8 Patient's first name", group=STAY),
        *_fl_address("9", "Patient's", STAY),
        Field("10", "FL 10 Patient's birth date", "date", group=STAY),
        Field("11", "FL 11 Patient's sex", "choice", group=STAY,
              options=(("M", "male"), ("F", "female"), ("U", "unknown"))),
        Field("12", "FL 12 Admission date", "date", group=STAY),
        Field("13", "FL 13 Admission hour", group=STAY, pattern=r"[0-9]{2}", hint="two digits, 00-23"),
        Field("14", "FL 14 Priority (type) of admission", "code", group=STAY,
              pattern=r"[0-9]", hint="one digit"),
        Field("15", "FL 15 Point of origin for admission", "code", group=STAY,
              pattern=r"[0-9A-Z]", hint="one digit or letter"),
        Field("16", "FL 16 Discharge hour", group=STAY, pattern=r"[0-9]{2}", hint="two digits, 00-23"),
        Field("17", "FL 17 Patient discharge status", group=STAY, **DIGITS),
        _rows("39_code", "FL 39-41 line {n} value code", VALUE_ROWS, VALUES, "code", **DIGITS),
        _rows("39_amount", "FL 39-41 line {n} value amount", VALUE_ROWS, VALUES, "number"),
        _rows("42", "FL 42 line {n} revenue code", LINE_ROWS, LINES, pattern=r"[0-9]{4}",
              hint="four digits with the leading 0"),
        _rows("43", "FL 43 line {n} description", LINE_ROWS, LINES),
        _rows("46", "FL 46 line {n} service units", LINE_ROWS, LINES, "number"),
        _rows("47", "FL 47 line {n} total charges", LINE_ROWS, LINES, "money"),
        Field("45_created", "FL 45 line 23 Creation date", "date", group=TOTAL),
        Field("47_total", "FL 47 line 23 Total charges (revenue code 0001)", "money", group=TOTAL),
        Field("50", "FL 50A Payer name", group=PAYER),
        Field("51", "FL 51A Health plan ID", group=PAYER),
        Field("56", "FL 56 Facility NPI", group=PAYER),
        Field("59", "FL 59A Patient's relationship to insured", group=PAYER, pattern=r"[0-9]{2}",
              hint="two digits, 18 = self"),
        Field("60", "FL 60A Insured's unique ID", group=PAYER),
        Field("62", "FL 62A Insurance group number", group=PAYER),
        Field("63", "FL 63A Treatment authorization code", group=PAYER),
        Field("67", "FL 67 Principal diagnosis code", "code", group=CODES),
        Field("67_poa", "FL 67 Principal diagnosis POA", "choice", options=POA, group=CODES),
        _rows("67x", "FL 67A-Q line {n} other diagnosis code", DX_ROWS, CODES, "code"),
        _rows("67x_poa", "FL 67A-Q line {n} other diagnosis POA", DX_ROWS, CODES, "choice",
              options=POA),
        Field("69", "FL 69 Admitting diagnosis code", "code", group=CODES),
        Field("74", "FL 74 Principal procedure code", "code", group=CODES),
        Field("74_date", "FL 74 Principal procedure date", "date", group=CODES),
        _rows("74x", "FL 74a-e line {n} other procedure code", PROC_ROWS, CODES, "code"),
        _rows("74x_date", "FL 74a-e line {n} other procedure date", PROC_ROWS, CODES, "date"),
        Field("76_npi", "FL 76 Attending physician NPI", group=CODES),
        Field("76_last", "FL 76 Attending physician last name", group=CODES),
        Field("76_first", "FL 76 Attending physician first name", group=CODES),
        Field("77_npi", "FL 77 Operating physician NPI", group=CODES),
        Field("77_last", "FL 77 Operating physician last name", group=CODES),
        Field("77_first", "FL 77 Operating physician first name", group=CODES),
        Field("81", "FL 81 Code-code (B3 taxonomy)", group=CODES),
    ],
    title="UB-04 (CMS-1450): write each value after its colon; dates MM/DD/YYYY",
)  # fmt: skip
MAGIC = "%%answers ub04_completion"


def _t(a: FormAnswers, key: str) -> str:
    return str(a.get(key, ""))


def _addr(a: FormAnswers, fl: str) -> dict | None:
    parts = {k: _t(a, f"{fl}_{k}") for k in ("street", "city", "state", "zip")}
    return {**parts, "state": parts["state"].upper()} if any(parts.values()) else None


def _amount(value: object) -> str:
    """A number as the claim file writes it ('2', '1.5'); '' when blank."""
    return "" if value is None else str(value)


def _doctor(a: FormAnswers, fl: str) -> dict | None:
    doc = {"npi": _t(a, f"{fl}_npi"), "last": _t(a, f"{fl}_last"), "first": _t(a, f"{fl}_first")}
    return doc if any(doc.values()) else None


def claim_from(a: FormAnswers) -> dict:
    """The UB-04 claim file the form says (what :func:`score_part` grades); a blank stays
    empty, so a claim missing what it needs does not load and the check cell says which FL.
    The claim filing indicator (837I, not on the paper form) follows the payer: MA for
    Medicare Part A, else CI."""
    lines = []
    for n in a.rows(("42", "43", "46", "47")):
        line = {"revenue_code": _t(a, f"42.{n}"), "description": _t(a, f"43.{n}"),
                "total_charge": f"{a[f'47.{n}']:.2f}" if a.get(f"47.{n}") is not None else ""}  # fmt: skip
        line["units"] = _amount(a.get(f"46.{n}"))  # blank: the UB-04 does not load (FL 46)
        lines.append(line)
    payer_name = _t(a, "50")
    payer = {"payer_name": payer_name, "payer_id": _t(a, "51"),
             "filing_indicator": "MA" if "medicare" in payer_name.lower() else "CI",
             "insured_id": _t(a, "60"), "relationship": _t(a, "59"),
             "group_number": _t(a, "62"), "authorization": _t(a, "63")}  # fmt: skip
    provider = {"name": _t(a, "1"), "npi": _t(a, "56"), "tax_id": _t(a, "5"),
                "address": _addr(a, "1")}  # fmt: skip
    if a.get("81") is not None:
        provider["taxonomy"] = _t(a, "81")
    principal = None
    if a.get("74") is not None or a.get("74_date") is not None:
        principal = {"code": _t(a, "74"), "date": a.get("74_date")}
    total = a.get("47_total")
    return {
        "form": institutional.FORM,
        "patient_control_number": _t(a, "3a"),
        "medical_record_number": _t(a, "3b"),
        "type_of_bill": _t(a, "4"),
        "billing_provider": provider,
        "statement_from": a.get("6_from"),
        "statement_through": a.get("6_through"),
        "patient": {"last": _t(a, "8_last"), "first": _t(a, "8_first"), "dob": a.get("10"),
                    "sex": _t(a, "11"), "address": _addr(a, "9")},
        "admission_date": a.get("12"),
        "admission_hour": _t(a, "13"),
        "admission_type": _t(a, "14"),
        "admission_source": _t(a, "15"),
        "discharge_hour": _t(a, "16"),
        "discharge_status": _t(a, "17"),
        "value_codes": [{"code": _t(a, f"39_code.{n}"), "amount": _amount(a.get(f"39_amount.{n}"))}
                        for n in a.rows(("39_code", "39_amount"))],
        "lines": lines,
        "total_charge": f"{total:.2f}" if total is not None else None,
        "payers": [payer],
        "principal_diagnosis": {"code": _t(a, "67"), "poa": _t(a, "67_poa")},
        "admitting_diagnosis": _t(a, "69"),
        "other_diagnoses": [{"code": _t(a, f"67x.{n}"), "poa": _t(a, f"67x_poa.{n}")}
                            for n in a.rows(("67x", "67x_poa"))],
        "principal_procedure": principal,
        "other_procedures": [{"code": _t(a, f"74x.{n}"), "date": a.get(f"74x_date.{n}")}
                             for n in a.rows(("74x", "74x_date"))],
        "attending": _doctor(a, "76"),
        "operating": _doctor(a, "77"),
        "submitted_on": a.get("45_created"),
    }  # fmt: skip


def form_values(claim: dict) -> dict[str, object]:
    """The form's values (key -> value) that say ``claim``: the inverse of :func:`claim_from`."""
    c, bp, p = claim, claim["billing_provider"], claim["patient"]
    payer = c["payers"][0]
    v: dict[str, object] = {
        "1": bp["name"], "3a": c.get("patient_control_number", ""),
        "3b": c.get("medical_record_number", ""), "4": c["type_of_bill"], "5": bp.get("tax_id"),
        "6_from": c["statement_from"], "6_through": c["statement_through"],
        "8_last": p["last"], "8_first": p["first"], "10": p["dob"], "11": p["sex"],
        "12": c.get("admission_date"), "13": c.get("admission_hour"), "14": c.get("admission_type"),
        "15": c.get("admission_source"), "16": c.get("discharge_hour"),
        "17": c.get("discharge_status"), "47_total": c.get("total_charge"),
        "45_created": c.get("submitted_on"), "50": payer["payer_name"], "51": payer["payer_id"],
        "56": bp["npi"], "59": payer.get("relationship"), "60": payer["insured_id"],
        "62": payer.get("group_number"), "63": payer.get("authorization"),
        "67": c["principal_diagnosis"]["code"], "67_poa": c["principal_diagnosis"].get("poa"),
        "69": c.get("admitting_diagnosis"), "81": bp.get("taxonomy"),
    }  # fmt: skip
    for fl, address in (("1", bp.get("address")), ("9", p.get("address"))):
        v |= {f"{fl}_{k}": (address or {}).get(k) for k in ("street", "city", "state", "zip")}
    for n, vc in enumerate(c.get("value_codes", []), 1):
        v |= {f"39_code.{n}": vc["code"], f"39_amount.{n}": vc["amount"]}
    for n, ln in enumerate(c["lines"], 1):
        v |= {f"42.{n}": ln["revenue_code"], f"43.{n}": ln.get("description"),
              f"46.{n}": ln.get("units"), f"47.{n}": ln["total_charge"]}  # fmt: skip
    for n, dx in enumerate(c.get("other_diagnoses", []), 1):
        v |= {f"67x.{n}": dx["code"], f"67x_poa.{n}": dx.get("poa")}
    if c.get("principal_procedure"):
        v |= {"74": c["principal_procedure"]["code"], "74_date": c["principal_procedure"]["date"]}
    for n, pr in enumerate(c.get("other_procedures", []), 1):
        v |= {f"74x.{n}": pr["code"], f"74x_date.{n}": pr["date"]}
    for fl, doc in (("76", c.get("attending")), ("77", c.get("operating"))):
        if doc:
            v |= {
                f"{fl}_npi": doc["npi"],
                f"{fl}_last": doc["last"],
                f"{fl}_first": doc.get("first"),
            }
    return v


def filled_form(key: dict) -> str:
    """The answer cell filled in right for ``key`` (the model answer; the demo's correct one)."""
    return f"{MAGIC}\n{forms.fill_form(FORM, form_values(key))}"


def draw(rng: random.Random) -> dict[str, str]:
    """The template's values for one course: the paperwork, the model form and the key."""
    case = draw_case(rng)
    model = forms.fill_form(FORM, form_values(case.claim))
    return {"case": case.text, "solution": model, "key": repr(case.claim)}


# -- the check cell and the self-check (what a student sees before grading) --------------------
LOADS = "Your UB-04 loads; this part is graded when you submit."
NOT_LOADED = "your UB-04 does not load yet: see the check cell"


def check(answers: FormAnswers) -> str:
    """What the check cell says: the values it cannot read, whether the UB-04 the form makes
    loads (each problem with its form locator), and the lab's institutional edits on it."""
    head = answers.summary()
    if answers.is_blank():
        return head + "\nFill in the form above, run its cell, then run this one again."
    claim = claim_from(answers)
    problems = institutional.claim_problems(claim)
    if problems:
        return "\n".join([head, "", "Your UB-04 does not load yet; fix these and run the form "
                           "again:", *(f"- {forms.missing_words(p)}" for p in problems)])  # fmt: skip
    loaded = institutional.from_dict(claim)
    total = "no total (FL 47, line 23)" if loaded.total_charge is None else (
        f"total {loaded.total_charge}")  # fmt: skip
    said = (f"Your UB-04 loads: type of bill {loaded.type_of_bill}, "
            f"{len(loaded.all_diagnoses())} diagnosis code(s), {len(loaded.procedures())} "
            f"procedure(s), {len(loaded.lines)} revenue line(s), {total}.")  # fmt: skip
    return "\n".join([head, "", said, "", _edit_report(loaded)])


def _edit_report(loaded: institutional.InstitutionalClaim) -> str:
    """The edits on the UB-04, or why they cannot run: dates in a fiscal year whose code set
    the lab does not have (a mistyped year, most often) make the edits raise CodeSetError."""
    try:
        return ub04_checks.format_edits(ub04_checks.check(loaded))
    except ValueError as exc:  # icd10cm.CodeSetError
        why = str(exc).split("; add it with")[0]
        return f"The edits were not run: {why}. Check the years you typed (FL 6, 12, 45, 74)."


def self_check(claim: object) -> str:
    """What a part's test cell says before grading: whether the claim loads (no answer in it).

    The form (:class:`FormAnswers`): a line saying so either way, never an error (a part
    whose UB-04 does not load scores 0 with its reason when graded); a claim dict:
    AssertionError when it does not load.

    >>> self_check({"form": "UB-04"})
    Traceback (most recent call last):
    ...
    AssertionError: your UB-04 does not load yet: see the check cell
    >>> self_check(forms.parse(FORM, ""))
    'Not yet: your UB-04 does not load yet: see the check cell'
    """
    form = isinstance(claim, FormAnswers)
    if form:
        claim = claim_from(claim)  # type: ignore[arg-type]
    if institutional.claim_problems(claim) != []:
        if form:
            return f"Not yet: {NOT_LOADED}"
        raise AssertionError(NOT_LOADED)
    institutional.from_dict(claim)  # type: ignore[arg-type]
    return LOADS


# -- grading ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Mark:
    """The points for one form locator (or one line or code of it) and why.

    ``expected`` and ``given``: the key's and the claim's values as text ("" for a blank
    locator), for the class report; the reason says the same to a person.
    """

    locator: str
    points: float
    max_points: float
    reason: str
    expected: str = ""
    given: str = ""

    @property
    def full(self) -> bool:
        """Did the locator earn everything it could (and cost nothing)?"""
        return self.points >= self.max_points and self.points >= 0

    @property
    def number(self) -> int:
        """The form locator's number ("FL 67A" -> 67)."""
        return int(re.match(r"FL (\d+)", self.locator).group(1))  # type: ignore[union-attr]

    def to_text(self) -> str:
        """'FL 14  1/1  right: 1 (emergency)'."""
        return f"{self.locator:<16} {self.points:g}/{self.max_points:g}  {self.reason}"


def _same(a: object, b: object) -> bool:
    return norm(a) == norm(b)


def _mark(
    locator: str, points: float, want: object, got: object, what: str, meaning: str = ""
) -> Mark:
    """A locator compared as a human grader would: case, spaces and punctuation aside."""
    expected = _shown(want) + (f" ({meaning})" if meaning else "")
    texts = (value_text(want), value_text(got))
    if _same(want, got):
        return Mark(locator, points, points, f"right: {what} {expected}", *texts)
    return Mark(
        locator,
        0.0,
        points,
        f"{what}: you entered {_shown(got)}, the paperwork supports {expected}",
        *texts,
    )


def _shown(value: object) -> str:
    if value is None or value == "" or value == []:
        return "(blank)"
    return str(value)


def _meaning(name: str, code: str) -> str:
    """A NUBC code's meaning from the lab's teaching table, shortened ('' when not there)."""
    row = ub04_checks.table(name).get(code)
    return row["meaning"].split(":")[0].split(" (")[0].lower() if row else ""


def _stay_marks(
    k: institutional.InstitutionalClaim, g: institutional.InstitutionalClaim
) -> list[Mark]:
    covered = lambda c: next((v.amount for v in c.value_codes if v.code == "80"), None)  # noqa: E731
    return [
        _mark("FL 4", 1, k.type_of_bill, g.type_of_bill, "type of bill", "hospital, inpatient, admit through discharge"),
        _mark("FL 6 from", 0.5, k.statement_from, g.statement_from, "statement from"),
        _mark("FL 6 through", 0.5, k.statement_through, g.statement_through, "statement through"),
        _mark("FL 12", 0.5, k.admission_date, g.admission_date, "admission date"),
        _mark("FL 13", 0.5, k.admission_hour, g.admission_hour, "admission hour"),
        _mark("FL 14", 1, k.admission_type, g.admission_type, "priority (type) of admission", _meaning("admission_type", k.admission_type)),
        _mark("FL 15", 1, k.admission_source, g.admission_source, "point of origin", _meaning("point_of_origin", k.admission_source)),
        _mark("FL 16", 0.5, k.discharge_hour, g.discharge_hour, "discharge hour"),
        _mark("FL 17", 1, k.discharge_status, g.discharge_status, "patient discharge status", _meaning("discharge_status", k.discharge_status)),
        _mark("FL 39", 1, covered(k), covered(g), "value code 80 (covered days)"),
    ]  # fmt: skip


def _person_name(p: object) -> str:
    return f"{getattr(p, 'last', '')} {getattr(p, 'first', '')}"


def _address(a: object) -> str:
    if a is None:
        return ""
    return " ".join(str(getattr(a, f, "")) for f in ("street", "city", "state", "zip"))


def _people_marks(
    k: institutional.InstitutionalClaim, g: institutional.InstitutionalClaim
) -> list[Mark]:
    kp, gp = k.payers[0], g.payers[0]
    kb, gb = k.billing_provider, g.billing_provider
    return [
        _mark("FL 1", 1, f"{kb.name} {_address(kb.address)}", f"{gb.name} {_address(gb.address)}", "facility name and address"),
        _mark("FL 3a", 0.5, k.patient_control_number, g.patient_control_number, "patient control number"),
        _mark("FL 3b", 0.5, k.medical_record_number, g.medical_record_number, "medical record number"),
        _mark("FL 5", 0.5, kb.tax_id, gb.tax_id, "federal tax number"),
        _mark("FL 8", 1, _person_name(k.patient), _person_name(g.patient), "patient name (last, first)"),
        _mark("FL 9", 0.5, _address(k.patient.address), _address(g.patient.address), "patient address"),
        _mark("FL 10", 1, k.patient.dob, g.patient.dob, "birth date"),
        _mark("FL 11", 0.5, k.patient.sex, g.patient.sex, "sex"),
        _mark("FL 50", 0.5, kp.payer_name, gp.payer_name, "payer name"),
        _mark("FL 51", 0.5, kp.payer_id, gp.payer_id, "health plan ID"),
        _mark("FL 56", 1, kb.npi, gb.npi, "facility NPI"),
        _mark("FL 59", 0.5, kp.relationship, gp.relationship, "patient's relationship to the insured (18 self)"),
        _mark("FL 60", 1, kp.insured_id, gp.insured_id, "insured's unique ID"),
        _mark("FL 62", 0.5, kp.group_number, gp.group_number, "insurance group number"),
        _mark("FL 63", 0.5, kp.authorization, gp.authorization, "treatment authorization code"),
    ]  # fmt: skip


def _charge_marks(
    k: institutional.InstitutionalClaim, g: institutional.InstitutionalClaim
) -> list[Mark]:
    marks, used = [], set()
    accommodation = {
        c for c, r in ub04_checks.table("revenue_codes").items() if r["kind"] == "accommodation"
    }
    for want in k.lines:
        j = next(
            (
                j
                for j, ln in enumerate(g.lines)
                if j not in used and ln.revenue_code == want.revenue_code
            ),
            None,
        )
        where = f"FL 42 {want.revenue_code}"
        if j is None:
            marks.append(
                Mark(
                    where,
                    0.0,
                    1.0,
                    f"no line for revenue code {want.revenue_code} ({want.description}): roll its items up into one line",
                    want.revenue_code,
                )
            )
            marks.append(
                Mark(
                    f"FL 47 {want.revenue_code}",
                    0.0,
                    1.0,
                    f"no charge: the {want.revenue_code} items add up to {want.total_charge:.2f}",
                    f"{want.total_charge:.2f}",
                )
            )
            if want.revenue_code in accommodation:
                marks.append(
                    Mark(
                        f"FL 46 {want.revenue_code}",
                        0.0,
                        1.0,
                        f"no days: the room line carries {want.units:g} day(s)",
                        f"{want.units:g}",
                    )
                )
            continue
        used.add(j)
        got = g.lines[j]
        marks.append(
            Mark(
                where,
                1.0,
                1.0,
                f"right: revenue code {want.revenue_code} ({want.description})",
                want.revenue_code,
                got.revenue_code,
            )
        )
        if got.total_charge == want.total_charge:
            marks.append(
                Mark(
                    f"FL 47 {want.revenue_code}",
                    1.0,
                    1.0,
                    f"right: {want.total_charge:.2f}, the sum of its items",
                    f"{want.total_charge:.2f}",
                    f"{got.total_charge:.2f}",
                )
            )
        else:
            marks.append(
                Mark(
                    f"FL 47 {want.revenue_code}",
                    0.0,
                    1.0,
                    f"you entered {got.total_charge:.2f}; the {want.revenue_code} items add up to {want.total_charge:.2f}",
                    f"{want.total_charge:.2f}",
                    f"{got.total_charge:.2f}",
                )
            )
        if want.revenue_code in accommodation:
            ok = got.units == want.units
            why = (
                f"right: {want.units:g} day(s)"
                if ok
                else f"you entered {got.units:g}; the room was used {want.units:g} day(s) (the day of discharge is not counted)"
            )
            days = (f"{want.units:g}", f"{got.units:g}")
            marks.append(Mark(f"FL 46 {want.revenue_code}", 1.0 if ok else 0.0, 1.0, why, *days))
    for j, ln in enumerate(g.lines):
        if j not in used:
            marks.append(
                Mark(
                    f"FL 42 {ln.revenue_code}",
                    -EXTRA_LINE_PENALTY,
                    0.0,
                    f"a line the charges do not support (or a revenue code twice: one line per code): -{EXTRA_LINE_PENALTY:g}",
                    "",
                    ln.revenue_code,
                )
            )
    stated = g.total_charge if g.total_charge is not None else None
    want_total = k.total_charge if k.total_charge is not None else k.line_total()
    ok = stated == want_total
    why = (
        f"right: {want_total:.2f}"
        if ok
        else f"you entered {_shown(stated)}; every item of the stay adds up to {want_total:.2f}"
    )
    totals = (f"{want_total:.2f}", "" if stated is None else f"{stated:.2f}")
    marks.append(Mark("FL 47 total (0001)", 1.0 if ok else 0.0, 1.0, why, *totals))
    return marks  # fmt: skip


def _bare(code: str) -> str:
    return code.replace(".", "").strip().upper()


def _poa_word(poa: str) -> str:
    return poa if poa not in ("", "1") else "blank (exempt)"


def _code_marks(
    k: institutional.InstitutionalClaim, g: institutional.InstitutionalClaim
) -> list[Mark]:
    marks = []
    kp, gp = k.principal_diagnosis, g.principal_diagnosis
    marks.append(_mark("FL 67", 2, kp.code, gp.code, "principal diagnosis"))
    marks.append(
        _mark(
            "FL 67 POA", 0.5, _poa_word(kp.poa), _poa_word(gp.poa), "POA of the principal diagnosis"
        )
    )
    given = {_bare(d.code): d for d in g.other_diagnoses}
    for d in k.other_diagnoses:
        got = given.pop(_bare(d.code), None)
        if got is None:
            marks.append(
                Mark(
                    f"FL 67A-Q {d.code}",
                    0.0,
                    1.0,
                    f"missing: {d.code} is on the coding summary",
                    d.code,
                )
            )
            marks.append(
                Mark(
                    f"FL 67A-Q {d.code} POA", 0.0, 0.5, "no POA without the code", _poa_word(d.poa)
                )
            )
            continue
        marks.append(Mark(f"FL 67A-Q {d.code}", 1.0, 1.0, f"right: {d.code}", d.code, got.code))
        marks.append(
            _mark(f"FL 67A-Q {d.code} POA", 0.5, _poa_word(d.poa), _poa_word(got.poa), "POA")
        )
    for extra in given.values():
        marks.append(
            Mark(
                f"FL 67A-Q {extra.code}",
                -EXTRA_CODE_PENALTY,
                0.0,
                f"not on the coding summary: -{EXTRA_CODE_PENALTY:g}",
                "",
                extra.code,
            )
        )
    marks.append(
        _mark(
            "FL 69",
            1,
            k.admitting_diagnosis,
            g.admitting_diagnosis,
            "admitting diagnosis",
        )
    )
    want = k.procedures()
    have = {p.code.upper(): p for p in g.procedures()}
    first = g.principal_procedure.code.upper() if g.principal_procedure else ""
    for i, p in enumerate(want):
        where = "FL 74" if i == 0 else f"FL 74{'abcde'[i - 1] if i <= 5 else ''}"
        got = have.pop(p.code, None)
        if got is None:
            marks.append(
                Mark(
                    where,
                    0.0,
                    1.5,
                    f"missing: {p.code} on {p.date} is on the coding summary",
                    f"{p.code} on {p.date}",
                )
            )
            continue
        place = i > 0 or first == p.code
        date_ok = got.date == p.date
        pts = (1.0 if place else 0.5) + (0.5 if date_ok else 0.0)
        why = [f"{p.code}"]
        why.append("right place" if place else "it is the principal procedure: FL 74, not 74a-e")
        why.append(
            f"date {p.date}"
            if date_ok
            else f"date: you entered {got.date}, the summary says {p.date}"
        )
        given = f"{got.code} on {got.date}" + ("" if place else " in FL 74a-e")
        marks.append(Mark(where, pts, 1.5, "; ".join(why), f"{p.code} on {p.date}", given))
    for code in have:
        marks.append(
            Mark(
                "FL 74",
                -EXTRA_CODE_PENALTY,
                0.0,
                f"{code} is not on the coding summary: -{EXTRA_CODE_PENALTY:g}",
                "",
                code,
            )
        )
    marks.append(
        _mark(
            "FL 76",
            1,
            k.attending.npi if k.attending else "",
            g.attending.npi if g.attending else "",
            "attending physician NPI",
        )
    )
    marks.append(
        _mark(
            "FL 76 name",
            0.5,
            _person_name(k.attending),
            _person_name(g.attending),
            "attending physician name",
        )
    )
    if k.operating:
        marks.append(
            _mark(
                "FL 77",
                1,
                k.operating.npi,
                g.operating.npi if g.operating else "",
                "operating physician NPI",
            )
        )
    elif g.operating:
        marks.append(
            Mark(
                "FL 77",
                -EXTRA_CODE_PENALTY,
                0.0,
                f"no operation on this stay, so no operating physician: -{EXTRA_CODE_PENALTY:g}",
                "",
                g.operating.npi,
            )
        )
    return marks  # fmt: skip


MARKERS = {
    "stay": _stay_marks,
    "people": _people_marks,
    "charges": _charge_marks,
    "codes": _code_marks,
}


def grade_claim(key: dict, given: dict, part: str | None = None) -> list[Mark]:
    """Every mark of one part (all parts when None): the learner's UB-04 against the key."""
    k, g = institutional.from_dict(key), institutional.from_dict(given)
    names = [part] if part else list(PARTS)
    return [m for name in names for m in MARKERS[name](k, g)]


def _edits_for(given: dict, part: str) -> list[str]:
    """The institutional edits on the learner's claim whose locator belongs to ``part``."""
    numbers = set(PARTS[part][1])
    try:
        edits = ub04_checks.check(institutional.from_dict(given))
    except ValueError:
        return []
    out = []
    for e in edits:
        found = re.match(r"FL (\d+)", e.locator)
        if found and int(found.group(1)) in numbers:
            out.append(f"  edit {e.id} [{e.severity}]: {e.message}")
    return out


def score_part(given: object, key: dict, part: str) -> PartScore:
    """One part's points: its points x the share of its locators' points earned, with reasons.

    ``given`` is the student's form, or a claim dict."""
    title, _, points = PARTS[part]
    blank = False
    if isinstance(given, FormAnswers):
        blank = given.is_blank()
        given = claim_from(given)
    problems = institutional.claim_problems(given) if isinstance(given, dict) else ["no claim"]
    if problems:
        shown = (
            "a blank form"
            if blank
            else f"a UB-04 that does not load ({forms.missing_words(problems[0])})"
        )
        row = element(title, TOPIC, "a UB-04 that loads", shown, 0, points)
        return PartScore(
            0.0,
            (),
            (title,),
            (f"{title}: your UB-04 does not load, 0 of {points} points",),
            (row,),
        )
    marks = grade_claim(key, given, part)
    top = sum(m.max_points for m in marks)
    got = max(0.0, sum(m.points for m in marks))
    scored = earned(points, points * got / top if top else 0.0)
    edits = _edits_for(given, part)
    notes = (
        f"{title}: {got:g} of {top:g} locator points, {scored:g} of {points} points",
        *(m.to_text() for m in marks),
        *(["The lab's institutional edits on these locators:", *edits] if edits else []),
    )
    return PartScore(
        scored,
        tuple(m.locator for m in marks if m.full),
        tuple(m.locator for m in marks if not m.full),
        notes,
        tuple(scaled_elements([_mark_row(m) for m in marks], points)),
    )


def locator_topic(locator: str) -> str:
    """The topic a locator's points are mastery of: the diagnoses (FL 67, 67A-Q with their
    POA, 69) are diagnosis coding, the ICD-10-PCS procedures (FL 74) procedure coding,
    every other locator the form's.

    >>> [locator_topic(x) for x in ("FL 67 POA", "FL 69", "FL 74b", "FL 76", "FL 47 0120")]
    ['diagnosis coding', 'diagnosis coding', 'procedure coding', 'UB-04', 'UB-04']
    """
    number = re.match(r"FL (\d+)", locator)
    found = int(number.group(1)) if number else 0
    if found in (67, 69):
        return "diagnosis coding"
    return "procedure coding" if found == 74 else TOPIC


def _mark_row(m: Mark) -> MarkRow:
    """A mark as an element; a penalty's named apart from the key's locator ("FL 74 extra")."""
    name = m.locator if m.max_points > 0 else f"{m.locator} extra"
    return (name, locator_topic(m.locator), m.expected, m.given, m.points, m.max_points)


# -- a partly right sample submission (course demo) -----------------------------------------
def partial(correct: Mapping[str, str]) -> dict[str, str]:
    """The course's UB-04 with a slip in each part: the discharge hour, the patient's birth
    date, the room line counting the day of discharge, and one POA left blank.

    Written as the form (or as the claim dict, for a source written before the form)."""
    source = correct["claim"]
    is_form = source.lstrip().startswith("%%answers")
    data = claim_from(forms.parse(FORM, source)) if is_form else assigned(source, "claim")
    data["discharge_hour"] = f"{(int(data['discharge_hour']) + 2) % 24:02d}"
    born = dt.date.fromisoformat(data["patient"]["dob"])
    data["patient"]["dob"] = born.replace(day=1 if born.day != 1 else 2).isoformat()
    room = data["lines"][0]
    room["units"] = str(int(room["units"]) + 1)
    others = [d for d in data["other_diagnoses"] if d["poa"]]
    if others:
        others[0]["poa"] = ""
    else:
        data["admitting_diagnosis"] = ""
    if is_form:
        return {"claim": f"{MAGIC}\n{forms.fill_form(FORM, form_values(data))}"}
    return {"claim": f"claim = {literal(data)}"}
