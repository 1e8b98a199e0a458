"""The CMS-1500 completion assignment for one course: one synthetic visit, drawn afresh.

``draw(rng)`` makes the course's case: a practice and its provider, a payer and plan,
a patient (and, for a child or a spouse's plan, the insured), one of the lab's
common outpatient visits (diagnoses, services, units, a same-day procedure that
puts 25 on the visit), a referral or a prior authorization or neither, the dates,
and the fees from the practice fee schedule.  The case is written out as the
paperwork a biller reads; the claim it supports is the key, which goes only into
the instructor's hidden tests (and the model answer).  Every name, number and
address is made up.

>>> import random
>>> case = draw_case(random.Random(3))
>>> claims.claim_problems(case.claim) == [] and not _blocking(case.claim)
True
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from medbill_lab.claims import model as claims
from medbill_lab.claims import scrubber
from medbill_lab.claims.model import make_npi
from medbill_lab.practice.db import practice_fees
from medbill_lab.practice.synthetic import (
    FEMALE_NAMES,
    LAST_NAMES,
    MALE_NAMES,
    STREETS,
    TOWNS,
    VISITS,
    Visit,
)
from medbill_lab.training import answer_forms as forms
from medbill_lab.training.answer_forms import Field, FormAnswers, FormSpec
from medbill_lab.training.assignments import PartScore, assigned, earned, literal
from medbill_lab.training.claim_grading import (
    BoxMark,
    ClaimGrade,
    MarkRow,
    grade_claim,
    scaled_elements,
)
from medbill_lab.training.element_log import element

# part -> (title, the boxes it grades, points)
PARTS = {
    "patient": ("Patient and insured", r"Item ([1-9]|1[0-4])(?![0-9])", 4),
    "diagnoses": ("Diagnoses and pointers", r"Item (21|24E)(?![0-9])", 4),
    "lines": ("Service lines", r"Item 24(?![0-9E])", 6),
    "provider": ("Referral, provider and totals", r"Item (1[5-9]|2[235-9]|3[0-3])(?![0-9])", 3),
}
TOPIC = "CMS-1500 boxes"  # the class report's topic of a box that is not a code
YOUR_LINE = re.compile(r" \(your line \d+\)")
PAYERS = (
    ("Lakeshore Health Plan", "MBL10", "PO Box 2210", "Eastbrook", "WI", "53701",
     ("Lakeshore Choice PPO", "Lakeshore Select HMO")),
    ("Prairie Crest Insurance", "MBL11", "PO Box 4417", "Dunmore", "IA", "50309",
     ("Prairie Crest Open Access", "Prairie Crest Value PPO")),
    ("Riverbend Health Partners", "MBL12", "PO Box 880", "Millbrook", "MO", "63101",
     ("Riverbend Gold PPO", "Riverbend Essential EPO")),
    ("Northfield Mutual Health", "MBL13", "PO Box 3120", "Northfield", "MN", "55057",
     ("Northfield Classic PPO", "Northfield Plus HMO")),
)  # fmt: skip
DX_WORDS = {
    "I10": "essential hypertension",
    "E78.5": "hyperlipidemia",
    "E11.9": "type 2 diabetes mellitus without complications",
    "E03.9": "hypothyroidism",
    "R53.83": "fatigue",
    "J06.9": "acute upper respiratory infection",
    "J02.0": "streptococcal pharyngitis",
    "J11.1": "influenza with respiratory symptoms, virus not identified",
    "J20.9": "acute bronchitis",
    "H66.91": "otitis media of the right ear",
    "N39.0": "urinary tract infection",
    "M54.50": "low back pain",
    "J45.21": "mild intermittent asthma with an acute flare",
    "D51.0": "pernicious anemia (vitamin B12 deficiency from lack of intrinsic factor)",
    "F41.1": "generalized anxiety disorder",
    "K21.9": "gastroesophageal reflux without esophagitis",
    "J30.9": "allergic rhinitis",
    "R07.89": "chest wall pain",
}
ACUTE = {"J06.9", "J02.0", "J11.1", "J20.9", "H66.91", "N39.0", "M54.50", "J45.21", "R07.89"}
SERVICE_WORDS = {
    "36415": "blood drawn from a vein",
    "80061": "lipid panel",
    "80053": "comprehensive metabolic panel",
    "83036": "hemoglobin A1c",
    "84443": "TSH (thyroid-stimulating hormone)",
    "85025": "complete blood count",
    "87880": "rapid strep A antigen test",
    "87804": "rapid influenza antigen test",
    "81002": "urine dipstick, read without a microscope",
    "87086": "urine culture, colony count",
    "96372": "injection into a muscle",
    "J1885": "ketorolac injection, per 15 mg",
    "94640": "nebulizer treatment",
    "J7613": "albuterol for the nebulizer, per 1 mg",
    "J3420": "vitamin B12 injection, up to 1,000 mcg",
    "93000": "ECG with reading and report",
}
EM_WORDS = {
    "99202": "office visit, new patient, straightforward decision making",
    "99203": "office visit, new patient, low decision making",
    "99204": "office visit, new patient, moderate decision making",
    "99212": "office visit, established patient, straightforward decision making",
    "99213": "office visit, established patient, low decision making",
    "99214": "office visit, established patient, moderate decision making",
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip


def _day(d: dt.date) -> str:
    """'Tuesday, November 4, 2025'."""
    return f"{WEEKDAYS[d.weekday()]}, {MONTHS[d.month - 1]} {d.day}, {d.year}"


def _born(d: dt.date) -> str:
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


@dataclass(frozen=True)
class Case:
    """One course's case: the paperwork (markdown) and the claim it supports (plain data)."""

    text: str
    claim: dict


def _blocking(data: dict) -> list[str]:
    return [e.id for e in scrubber.scrub(claims.from_dict(data)) if e.blocking]


def _person(rng: random.Random, sex: str, last: str | None = None) -> dict:
    first = rng.choice(FEMALE_NAMES if sex == "F" else MALE_NAMES)
    middle = rng.choice(("", "", rng.choice("ABCDEGJKLMRST")))
    return {"last": last or rng.choice(LAST_NAMES), "first": first, "middle": middle}


def _dob(rng: random.Random, age: int, on: dt.date) -> dt.date:
    return on - dt.timedelta(days=age * 365 + age // 4 + rng.randrange(30, 330))


def _address(rng: random.Random) -> dict:
    town, zip_code = rng.choice(TOWNS)
    street = f"{rng.randrange(10, 990)} {rng.choice(STREETS)}"
    return {"street": street, "city": town, "state": "IL", "zip": zip_code}


def _address_text(a: dict) -> str:
    return f"{a['street']}, {a['city']}, {a['state']} {a['zip']}"


def _name_text(p: dict) -> str:
    middle = f" (middle initial {p['middle']})" if p["middle"] else " (no middle name)"
    return f"{p['first']} {p['last']}{middle}"


def _visit(rng: random.Random, age: int, sex: str) -> Visit:
    fits = [v for v in VISITS if v.min_age <= age <= v.max_age and v.sex in ("", sex)]
    return rng.choice(fits)


def _lines(visit: Visit, new: bool, rng: random.Random, dos: dt.date) -> list[dict]:
    fees = practice_fees()
    em = rng.choice(("99202", "99203", "99204") if new else ("99212", "99213", "99214"))
    letters = "ABCD"[: len(visit.diagnoses)]
    rows = [(em, ["25"] if visit.procedure else [], 1, list(letters))]
    rows += [(code, [], units, list(ptr)) for code, units, ptr in visit.services]
    return [
        {
            "date_from": dos.isoformat(),
            "code": code,
            "modifiers": mods,
            "pointers": pointers,
            "charge": f"{fees[code] * units:.2f}",
            "units": str(units),
        }
        for code, mods, units, pointers in rows
    ]


def draw_case(rng: random.Random) -> Case:
    """One case whose claim loads and passes the scrubber (drawn again until it does)."""
    while True:
        case = _draw_once(rng)
        if not _blocking(case.claim):
            return case


def _draw_once(rng: random.Random) -> Case:
    dos = dt.date(2025, 10, 1) + dt.timedelta(days=rng.randrange(270))
    while dos.weekday() > 4:
        dos += dt.timedelta(days=1)
    sent = dos + dt.timedelta(days=rng.randint(1, 4))
    while sent.weekday() > 4:
        sent += dt.timedelta(days=1)
    age = rng.choice((rng.randint(3, 17), rng.randint(19, 80), rng.randint(19, 80)))
    sex = rng.choice("FM")
    patient = {**_person(rng, sex), "dob": _dob(rng, age, dos).isoformat(), "sex": sex}
    patient["address"] = _address(rng)
    relationship = "child" if age < 18 else rng.choice(("self", "self", "spouse"))
    insured = None
    if relationship != "self":
        isex = rng.choice("FM")
        iage = age + rng.randint(24, 40) if relationship == "child" else age + rng.randint(-4, 4)
        same_last = relationship == "child" or rng.random() < 0.6
        insured = {**_person(rng, isex, patient["last"] if same_last else None)}
        insured |= {"dob": _dob(rng, max(iage, 19), dos).isoformat(), "sex": isex}
        insured["address"] = dict(patient["address"])
    payer_row = rng.choice(PAYERS)
    plan = rng.choice(payer_row[6])
    member = f"{payer_row[1][:1]}{rng.choice('HKPRT')}{rng.randrange(10**8, 10**9)}"
    group = f"GRP-{rng.randrange(10000, 99999)}"
    visit = _visit(rng, age, sex)
    new = rng.random() < 0.25
    lines = _lines(visit, new, rng, dos)
    town, zip_code = rng.choice(TOWNS)
    kind = "Pediatrics" if age < 18 else rng.choice(("Family Medicine", "Internal Medicine"))
    taxonomy = {"Pediatrics": "208000000X", "Family Medicine": "207Q00000X"}.get(kind, "207R00000X")
    practice = {
        "name": f"{rng.choice(('Cedar', 'Birch', 'Heron', 'Quarry', 'Orchard', 'Linden'))} "
        f"{rng.choice(('Hollow', 'Ridge', 'Valley', 'Park'))} {kind}",
        "npi": make_npi(rng),
        "address": {
            "street": f"{rng.randrange(1, 400)} {rng.choice(STREETS)}",
            "city": town,
            "state": "IL",
            "zip": zip_code,
        },
    }
    ein = f"{rng.randrange(10, 99)}-{rng.randrange(1000000, 9999999)}"
    doctor = {**_person(rng, rng.choice("FM")), "npi": make_npi(rng)}
    referral = None
    if rng.random() < 0.3:
        ref = _person(rng, rng.choice("FM"))
        while (ref["first"], ref["last"]) == (doctor["first"], doctor["last"]):
            ref = _person(rng, rng.choice("FM"))  # a referral is from another doctor
        referral = {"last": ref["last"], "first": ref["first"], "npi": make_npi(rng)}
    prior_auth = ""
    if visit.procedure and rng.random() < 0.5:
        prior_auth = f"PA{rng.randrange(10**7, 10**8)}"
    acute = visit.diagnoses[0] in ACUTE
    onset = dos - dt.timedelta(days=rng.randint(1, 5)) if acute else None
    account = "".join(w[0] for w in practice["name"].split()[:2]) + f"-{rng.randrange(1000, 9999)}"
    total = sum(Decimal(ln["charge"]) for ln in lines)
    claim = {
        "payer": {
            "name": payer_row[0],
            "payer_id": payer_row[1],
            "address": dict(zip(("street", "city", "state", "zip"), payer_row[2:6], strict=True)),
        },
        "program": "group",
        "insured_id": member,
        "patient": patient,
        "insured": insured,
        "relationship": relationship,
        "employment_related": False,
        "auto_accident_state": "",
        "other_accident": False,
        "insured_group": group,
        "plan_name": plan,
        "patient_signature_on_file": True,
        "insured_signature_on_file": True,
        "onset_date": onset.isoformat() if onset else None,
        "referring_provider": referral,
        "diagnoses": list(visit.diagnoses),
        "resubmission_code": "",
        "prior_authorization": prior_auth,
        "place_of_service": "11",
        "lines": lines,
        "rendering_provider": {
            "last": doctor["last"],
            "first": doctor["first"],
            "npi": doctor["npi"],
        },
        "tax_id": ein,
        "tax_id_type": "EIN",
        "patient_account": account,
        "accept_assignment": True,
        "total_charge": f"{total:.2f}",
        "signature_date": sent.isoformat(),
        "service_facility": None,
        "billing_provider": practice,
        "submitted_on": sent.isoformat(),
    }
    facts = {
        "age": age,
        "new": new,
        "visit": visit,
        "onset": onset,
        "referral": referral,
        "prior_auth": prior_auth,
        "doctor": doctor,
        "taxonomy": taxonomy,
        "dos": dos,
        "sent": sent,
        "fees": practice_fees(),
        "member": member,
    }
    return Case(_paperwork(claim, facts), claim)


def _paperwork(c: dict, f: dict) -> str:
    """The case as the biller reads it: registration, card, note, ticket, practice."""
    p, ins, rel = c["patient"], c["insured"], c["relationship"]
    she = "she" if p["sex"] == "F" else "he"
    sex_word = {"F": "female", "M": "male"}
    holder = ins or p
    responsible = (
        "the patient (the subscriber on the insurance card)"
        if rel == "self"
        else f"the patient's {'parent' if rel == 'child' else 'spouse'}, **{_name_text(ins)}**, "
        f"born {_born(dt.date.fromisoformat(ins['dob']))}, {sex_word[ins['sex']]}, same address"
    )
    signatures = {
        "self": "The patient signed the release of information and the assignment of benefits",
        "child": f"{ins['first'] if ins else ''} {ins['last'] if ins else ''} signed the release "
        "of information and the assignment of benefits for the child",
        "spouse": "The patient signed the release of information and "
        f"{ins['first'] if ins else ''} {ins['last'] if ins else ''} the assignment of benefits",
    }[rel]
    payer = c["payer"]
    card_dependent = (
        ""
        if rel == "self"
        else f"\n> Dependents covered: {p['first'].upper()} ({rel})"
        "\n> Dependents use the subscriber's member ID."
    )
    dx = c["diagnoses"]
    assessment = "; ".join(
        f"{i}. {DX_WORDS[code]} (ICD-10-CM **{code}**)" for i, code in enumerate(dx, 1)
    )
    onset = (
        f"Symptoms began on {_day(f['onset'])}."
        if f["onset"]
        else "A long-standing condition; no date of onset applies to this visit."
    )
    ref = f["referral"]
    referral = (
        f"Referred by Dr. {ref['first']} {ref['last']} (NPI {ref['npi']}) for this visit."
        if ref
        else f"{'She' if she == 'she' else 'He'} came in on {'her' if she == 'she' else 'his'} "
        "own; no referral."
    )
    auth = (
        f"The plan approved these services under prior authorization number **{f['prior_auth']}**."
        if f["prior_auth"]
        else "The plan needs no prior authorization for these services."
    )
    separate = (
        " The visit addressed the condition as a whole and was significant and separately "
        "identifiable from the procedure done the same day."
        if f["visit"].procedure
        else ""
    )
    ticket = "\n".join(
        f"| {ln['code']} | {EM_WORDS.get(ln['code']) or SERVICE_WORDS[ln['code']]} | "
        f"{', '.join(DX_WORDS[dx['ABCD'.index(x)]] for x in ln['pointers'])} | "
        f"${f['fees'][ln['code']]:.2f} | {ln['units']} |"
        for ln in c["lines"]
    )
    doc = f["doctor"]
    bp = c["billing_provider"]
    who = "new patient" if f["new"] else "established patient"
    return f"""**Registration sheet (front desk, {bp["name"]})**

| | |
|---|---|
| Patient | {_name_text(p)} |
| Date of birth, sex | {_born(dt.date.fromisoformat(p["dob"]))}; {sex_word[p["sex"]]} |
| Address | {_address_text(p["address"])} |
| Patient account number | {c["patient_account"]} |
| Responsible party | {responsible} |
| Signatures | {signatures}; both are on file |
| Accident or employment | the condition is not related to employment, an auto accident or any other accident |
| Other insurance | none |

**Insurance card (front and back)**

> **{payer["name"]}** · {c["plan_name"]} · employer group health plan
> Subscriber: {holder["first"].upper()} {holder["last"].upper()} · Member ID: {f["member"]} · Group: {c["insured_group"]}{card_dependent}
> Send claims to: {payer["name"]}, {_address_text(payer["address"])} · Payer ID for electronic claims: {payer["payer_id"]}

**Visit note, {_day(f["dos"])}** (office visit, {who}; {doc["first"]} {doc["last"]}, MD)

> {f["age"]}-year-old {sex_word[p["sex"]]} patient. {onset}
> **Assessment:** {assessment}.{separate}
> {referral} {auth} Not an emergency.

**Charge ticket** (the fee is per unit; 24F is the charge for the whole line)

| Code | Service | For | Fee | Units |
|---|---|---|---|---|
{ticket}

All services were performed by Dr. {doc["first"]} {doc["last"]} (NPI **{doc["npi"]}**), an employee of the practice.

**The practice (the billing provider)**

> {bp["name"]}, {_address_text(bp["address"])}
> Group NPI {bp["npi"]} · federal tax ID (EIN) {c["tax_id"]} · taxonomy {f["taxonomy"]}
> The visit took place in this office (place of service 11). The practice is in {payer["name"]}'s
> network and accepts assignment.

You complete the claim, sign it and send it on **{_day(f["sent"])}**. It is the first claim
for this visit."""


# -- the answer form: the CMS-1500 (02/12), all 33 items, as a student fills it in ------------
SEX = (("M", "male"), ("F", "female"))
YES_NO = "yesno"
LINE_GROUP = (
    "Item 24: one row per service, line 1 first (24A dates, 24B place, 24C EMG, 24D code and "
    "modifiers, 24E pointer letters, 24F charge for the whole line, 24G units, 24J rendering "
    "NPI); leave the rows you do not need blank"
)
PEOPLE = (
    "Items 1-13: the patient and the insured (leave 4, 7 and 11a blank when the patient is the "
    "insured; a reserved or an unused box stays blank)"
)
CLAIM = "Items 14-23: the condition, the referral and the claim (blank when the case gives none)"
PROVIDER = (
    "Items 25-33: the provider and the totals (leave 32 blank when the service was given at "
    "the billing provider's address, item 33)"
)


def _address_fields(item: str, whose: str, group: str, phone: bool = False) -> list[Field]:
    out = [
        Field(f"{item}_street", f"{whose} street", group=group),
        Field(f"{item}_city", f"{whose} city", group=group),
        Field(f"{item}_state", f"{whose} state", group=group, pattern=r"[A-Za-z]{2}",
              hint="2 letters"),
        Field(f"{item}_zip", f"{whose} ZIP code", group=group),
    ]  # fmt: skip
    if phone:
        out.append(Field(f"{item}_phone", f"{whose} telephone", group=group))
    return out


def _name_fields(item: str, whose: str, group: str, middle: bool = True) -> list[Field]:
    out = [
        Field(f"{item}_last", f"Item {item} {whose} last name", group=group),
        Field(f"{item}_first", f"Item {item} {whose} first name", group=group),
    ]
    if middle:
        out.append(Field(f"{item}_mi", f"Item {item} {whose} middle initial", group=group))
    return out


# 24E: up to four letters, typed as the NUCC instructions have them on paper ("AB", no commas
# between) or apart ("A, B"); claim_from splits "AB" into A, B
POINTERS = r"[A-L]{1,4}"


def _line(id_: str, label: str, kind: str = "text", **kw: object) -> Field:
    return Field(id_, f"Item {id_[:3]} line {{n}} {label}", kind, repeat=claims.MAX_PAPER_LINES,
                 group=LINE_GROUP, **kw)  # type: ignore[arg-type]  # fmt: skip


CARRIER = "Carrier block (top of the form): the payer the claim goes to"
FORM = FormSpec(
    "cms1500_completion",
    [
        Field("payer", "Carrier payer name", group=CARRIER),
        Field("payer_id", "Carrier electronic payer ID", group=CARRIER),
        *_address_fields("carrier", "Carrier", CARRIER),
        Field("1", "Item 1 Program", "choice", group=PEOPLE, options=(
            ("medicare", "Medicare"), ("medicaid", "Medicaid"), ("tricare", "TRICARE"),
            ("champva", "CHAMPVA"), ("group", "group health plan"),
            ("feca", "FECA black lung"), ("other", "other"))),
        Field("1a", "Item 1a Insured's ID number", group=PEOPLE),
        *_name_fields("2", "Patient's", PEOPLE),
        Field("3_dob", "Item 3 Patient's birth date", "date", group=PEOPLE),
        Field("3_sex", "Item 3 Patient's sex", "choice", options=SEX, group=PEOPLE),
        *_name_fields("4", "Insured's", PEOPLE),
        *_address_fields("5", "Item 5 Patient's", PEOPLE, phone=True),
        Field("6", "Item 6 Patient relationship to insured", "choice", group=PEOPLE,
              options=tuple((r, r) for r in claims.RELATIONSHIPS)),
        *_address_fields("7", "Item 7 Insured's", PEOPLE, phone=True),
        Field("8", "Item 8 Reserved for NUCC use", group=PEOPLE),
        Field("9", "Item 9 Other insured's name (last, first)", group=PEOPLE),
        Field("9a", "Item 9a Other insured's policy or group number", group=PEOPLE),
        Field("9b", "Item 9b Reserved for NUCC use", group=PEOPLE),
        Field("9c", "Item 9c Reserved for NUCC use", group=PEOPLE),
        Field("9d", "Item 9d Other insured's insurance plan name or program name", group=PEOPLE),
        Field("10a", "Item 10a Condition related to employment", YES_NO, group=PEOPLE),
        Field("10b", "Item 10b Condition related to an auto accident", YES_NO, group=PEOPLE),
        Field("10b_state", "Item 10b Auto accident state", group=PEOPLE, pattern=r"[A-Za-z]{2}",
              hint="2 letters"),
        Field("10c", "Item 10c Condition related to another accident", YES_NO, group=PEOPLE),
        Field("10d", "Item 10d Claim codes (designated by NUCC)", group=PEOPLE),
        Field("11", "Item 11 Insured's policy group or FECA number", group=PEOPLE),
        Field("11a_dob", "Item 11a Insured's birth date", "date", group=PEOPLE),
        Field("11a_sex", "Item 11a Insured's sex", "choice", options=SEX, group=PEOPLE),
        Field("11b", "Item 11b Other claim ID (designated by NUCC)", group=PEOPLE),
        Field("11c", "Item 11c Insurance plan name or program name", group=PEOPLE),
        Field("11d", "Item 11d Is there another health benefit plan", YES_NO, group=PEOPLE),
        Field("12", "Item 12 Patient's or authorized person's signature on file", YES_NO,
              group=PEOPLE),
        Field("13", "Item 13 Insured's or authorized person's signature on file", YES_NO,
              group=PEOPLE),
        Field("14", "Item 14 Date of current illness, injury or pregnancy", "date", group=CLAIM),
        Field("15", "Item 15 Other date", "date", group=CLAIM),
        Field("16_from", "Item 16 Dates patient unable to work, from", "date", group=CLAIM),
        Field("16_to", "Item 16 Dates patient unable to work, to", "date", group=CLAIM),
        *_name_fields("17", "Referring provider's", CLAIM, middle=False),
        Field("17a", "Item 17a Referring provider's other ID", group=CLAIM),
        Field("17b", "Item 17b Referring provider's NPI", group=CLAIM),
        Field("18_from", "Item 18 Hospitalization dates, from", "date", group=CLAIM),
        Field("18_to", "Item 18 Hospitalization dates, to", "date", group=CLAIM),
        Field("19", "Item 19 Additional claim information", group=CLAIM),
        Field("20", "Item 20 Outside lab", YES_NO, group=CLAIM),
        Field("20_charges", "Item 20 Outside lab charges", "money", group=CLAIM),
        Field("21_ind", "Item 21 ICD indicator", "choice", options=(("0", "ICD-10-CM"),),
              group=CLAIM),
        Field("21", "Item 21 Diagnoses A-L, in order", "codes", group=CLAIM),
        Field("22", "Item 22 Resubmission code", "choice", group=CLAIM,
              options=(("7", "replacement"), ("8", "void"))),
        Field("22_ref", "Item 22 Original reference number", group=CLAIM),
        Field("23", "Item 23 Prior authorization number", group=CLAIM),
        _line("24A_from", "date of service from", "date"),
        _line("24A_to", "date of service to", "date"),
        _line("24B", "place of service", pattern=r"[0-9]{2}", hint="two digits, e.g. 11"),
        _line("24C", "EMG", YES_NO),
        _line("24D", "procedure code", "code", pattern=claims.PROCEDURE_PATTERN[1:-1],
              hint="a five-character CPT or HCPCS code"),
        _line("24D_mod", "modifiers", "codes", pattern=claims.MODIFIER_PATTERN[1:-1],
              hint="a two-character modifier"),
        _line("24E", "diagnosis pointer", "codes", pattern=POINTERS, hint="a pointer letter A-L"),
        _line("24F", "charges", "money"),
        _line("24G", "days or units", "number"),
        _line("24H", "EPSDT or family plan"),
        _line("24I", "ID qualifier"),
        _line("24J", "rendering provider NPI"),
        Field("25", "Item 25 Federal tax ID number", group=PROVIDER),
        Field("25_type", "Item 25 Federal tax ID type", "choice", group=PROVIDER,
              options=(("EIN", "EIN"), ("SSN", "SSN"))),
        Field("26", "Item 26 Patient's account number", group=PROVIDER),
        Field("27", "Item 27 Accept assignment", YES_NO, group=PROVIDER),
        Field("28", "Item 28 Total charge", "money", group=PROVIDER),
        Field("29", "Item 29 Amount paid", "money", group=PROVIDER),
        Field("30", "Item 30 Reserved for NUCC use", group=PROVIDER),
        Field("31", "Item 31 Signature of physician or supplier", group=PROVIDER),
        Field("31_date", "Item 31 Date signed", "date", group=PROVIDER),
        Field("32", "Item 32 Service facility name", group=PROVIDER),
        *_address_fields("32", "Item 32 Service facility", PROVIDER),
        Field("32a", "Item 32a Service facility NPI", group=PROVIDER),
        Field("32b", "Item 32b Service facility other ID", group=PROVIDER),
        Field("33", "Item 33 Billing provider name", group=PROVIDER),
        *_address_fields("33", "Item 33 Billing provider", PROVIDER, phone=True),
        Field("33a", "Item 33a Billing provider NPI", group=PROVIDER),
        Field("33b", "Item 33b Billing provider other ID", group=PROVIDER),
    ],
    title="CMS-1500 (02/12): write each value after its colon; dates MM/DD/YYYY, Y or N",
)  # fmt: skip
LINE_IDS = ("24A_from", "24A_to", "24B", "24C", "24D", "24D_mod", "24E", "24F", "24G", "24H",
            "24I", "24J")  # fmt: skip
MAGIC = "%%answers cms1500_completion"


def _s(a: FormAnswers, key: str) -> str:
    """A text value ('' when blank or unreadable)."""
    return str(a.get(key, ""))


def _form_address(a: FormAnswers, item: str) -> dict | None:
    keys = ("street", "city", "state", "zip")
    if all(a.get(f"{item}_{k}") is None for k in keys):
        return None
    out = {k: _s(a, f"{item}_{k}") for k in keys}
    out["state"] = out["state"].upper()
    if a.get(f"{item}_phone") is not None:
        out["phone"] = _s(a, f"{item}_phone")
    return out


def _form_person(a: FormAnswers, name: str, born: str, home: str) -> dict:
    return {"last": _s(a, f"{name}_last"), "first": _s(a, f"{name}_first"),
            "middle": _s(a, f"{name}_mi"), "dob": a.get(f"{born}_dob"),
            "sex": _s(a, f"{born}_sex"), "address": _form_address(a, home)}  # fmt: skip


def _filled(a: FormAnswers, *keys: str) -> bool:
    return any(a.get(k) is not None for k in keys)


def _line_dict(a: FormAnswers, n: int) -> dict:
    v = {i: a.get(f"{i}.{n}") for i in LINE_IDS}
    line = {
        "date_from": v["24A_from"],
        "date_to": v["24A_to"] if v["24A_to"] != v["24A_from"] else None,
        "place_of_service": v["24B"] or "",
        "code": v["24D"] or "",
        "modifiers": v["24D_mod"] or [],
        "pointers": _pointers(v["24E"]),
        "charge": f"{v['24F']:.2f}" if v["24F"] is not None else "",
        "units": str(v["24G"]) if v["24G"] is not None else "",
        "epsdt": v["24H"] or "",
        "rendering_npi": v["24J"] or "",
    }
    if v["24C"] is not None:
        line["emergency"] = v["24C"]
    return line


def _pointers(typed: object) -> list[str]:
    """24E's letters one by one: "AB" as on the paper form (no commas) is A, B.

    >>> _pointers(["AB"]), _pointers(["A", "C"]), _pointers(None)
    (['A', 'B'], ['A', 'C'], [])
    """
    return [letter for entry in typed or [] for letter in str(entry)]


def claim_from(a: FormAnswers) -> dict:
    """The claim file the form says (what :func:`score_part` grades).  A box left blank
    stays empty, so a claim missing what it needs does not load, and the check cell says
    which item; a yes/no box the lab's claims default (24C, 11d, 20) may stay blank."""
    insured = None
    if _filled(a, "4_last", "4_first", "11a_dob", "11a_sex", "7_street", "7_city"):
        insured = _form_person(a, "4", "11a", "7")
    other = None
    if _filled(a, "9", "9a", "9d"):
        last, _, first = _s(a, "9").partition(",")
        other = {"insured": {"last": last.strip(), "first": first.strip()},
                 "policy_or_group": _s(a, "9a"), "plan_name": _s(a, "9d")}  # fmt: skip
    lines = [_line_dict(a, n) for n in a.rows(LINE_IDS)]
    referral = None
    if _filled(a, "17_last", "17_first", "17b"):
        referral = {"last": _s(a, "17_last"), "first": _s(a, "17_first"), "npi": _s(a, "17b")}
    claim: dict = {
        "payer": {"name": _s(a, "payer"), "payer_id": _s(a, "payer_id"),
                  "address": _form_address(a, "carrier")},
        "program": _s(a, "1"),
        "insured_id": _s(a, "1a"),
        "patient": _form_person(a, "2", "3", "5"),
        "insured": insured,
        "relationship": _s(a, "6"),
        "other_insurance": other,
        "employment_related": a.get("10a"),
        "auto_accident_state": _s(a, "10b_state").upper(),
        "other_accident": a.get("10c"),
        "claim_codes": _s(a, "10d"),
        "insured_group": _s(a, "11"),
        "plan_name": _s(a, "11c"),
        "patient_signature_on_file": a.get("12"),
        "insured_signature_on_file": a.get("13"),
        "onset_date": a.get("14"),
        "other_date": a.get("15"),
        "referring_provider": referral,
        "additional_info": _s(a, "19"),
        "diagnoses": a.get("21", []),
        "resubmission_code": _s(a, "22"),
        "original_reference": _s(a, "22_ref"),
        "prior_authorization": _s(a, "23"),
        "place_of_service": _claim_place(lines),
        "lines": lines,
        "tax_id": _s(a, "25"),
        "tax_id_type": _s(a, "25_type"),
        "patient_account": _s(a, "26"),
        "accept_assignment": a.get("27"),
        "total_charge": f"{a['28']:.2f}" if a.get("28") is not None else "",
        "signature": _s(a, "31") or "SIGNATURE ON FILE",
        "signature_date": a.get("31_date"),
        "service_facility": _organization(a, "32") if _filled(a, "32", "32a", "32_street")
        else None,
        "billing_provider": _organization(a, "33"),
        "submitted_on": a.get("31_date"),  # not on the form: the claim goes out when signed
    }  # fmt: skip
    for key, item in (("unable_to_work", "16"), ("hospitalized", "18")):
        if _filled(a, f"{item}_from", f"{item}_to"):
            claim[key] = {"from": a.get(f"{item}_from"), "to": a.get(f"{item}_to")}
    for key, item in (("another_plan", "11d"), ("outside_lab", "20"), ("icd_indicator", "21_ind"),
                      ("outside_lab_charges", "20_charges"), ("amount_paid", "29")):  # fmt: skip
        if a.get(item) is not None:
            value = a[item]
            claim[key] = f"{value:.2f}" if isinstance(value, Decimal) else value
    return claim


def _claim_place(lines: list[dict]) -> str:
    """The claim's place of service: line 1's 24B, or '' (the claim does not load, and the
    check names item 24B) when a line leaves 24B blank, as a paper claim would be returned.

    >>> _claim_place([{"place_of_service": "11"}, {"place_of_service": ""}])
    ''
    """
    places = [ln["place_of_service"] for ln in lines]
    return places[0] if places and all(places) else ""


def _organization(a: FormAnswers, item: str) -> dict:
    org = {"name": _s(a, item), "npi": _s(a, f"{item}a"), "address": _form_address(a, item)}
    if a.get(f"{item}b") is not None:
        org["taxonomy"] = _s(a, f"{item}b")
    return org


def form_values(claim: dict) -> dict[str, object]:
    """The form's values (key -> value) that say ``claim``: the inverse of :func:`claim_from`."""
    c = claim
    v: dict[str, object] = {"payer": c["payer"]["name"], "payer_id": c["payer"]["payer_id"]}
    v |= _address_values("carrier", c["payer"].get("address"))
    v |= {"1": c["program"], "1a": c["insured_id"], "6": c["relationship"]}
    p = c["patient"]
    v |= {"2_last": p["last"], "2_first": p["first"], "2_mi": p.get("middle", ""),
          "3_dob": p["dob"], "3_sex": p["sex"]}  # fmt: skip
    v |= _address_values("5", p.get("address"))
    ins = c.get("insured")
    if ins:
        v |= {"4_last": ins["last"], "4_first": ins["first"], "4_mi": ins.get("middle", ""),
              "11a_dob": ins.get("dob"), "11a_sex": ins.get("sex")}  # fmt: skip
        v |= _address_values("7", ins.get("address"))
    v |= {"10a": c["employment_related"], "10b": bool(c["auto_accident_state"]),
          "10b_state": c["auto_accident_state"], "10c": c["other_accident"],
          "11": c["insured_group"], "11c": c["plan_name"],
          "12": c["patient_signature_on_file"], "13": c["insured_signature_on_file"],
          "14": c.get("onset_date"), "21_ind": "0", "21": list(c["diagnoses"]),
          "22": c.get("resubmission_code", ""), "23": c.get("prior_authorization", "")}  # fmt: skip
    ref = c.get("referring_provider")
    if ref:
        v |= {"17_last": ref["last"], "17_first": ref["first"], "17b": ref["npi"]}
    # 24I stays blank: its qualifier names a non-NPI ID in 24J's shaded part (NUCC)
    rendering = (c.get("rendering_provider") or {}).get("npi", "")
    for n, ln in enumerate(c["lines"], 1):
        v |= {f"24A_from.{n}": ln["date_from"], f"24A_to.{n}": ln.get("date_to") or ln["date_from"],
              f"24B.{n}": ln.get("place_of_service") or c["place_of_service"],
              f"24D.{n}": ln["code"], f"24D_mod.{n}": list(ln.get("modifiers", [])),
              f"24E.{n}": list(ln["pointers"]), f"24F.{n}": ln["charge"],
              f"24G.{n}": ln["units"],
              f"24J.{n}": ln.get("rendering_npi") or rendering}  # fmt: skip
    doctor = c.get("rendering_provider") or {}
    v |= {"25": c["tax_id"], "25_type": c["tax_id_type"], "26": c["patient_account"],
          "27": c["accept_assignment"], "28": c["total_charge"],
          "31": f"{doctor.get('first', '')} {doctor.get('last', '')}".strip()
          or c.get("signature", ""),
          "31_date": c.get("signature_date")}  # fmt: skip
    for item, org in (("32", c.get("service_facility")), ("33", c["billing_provider"])):
        if org:
            v |= {item: org["name"], f"{item}a": org["npi"]}
            v |= _address_values(item, org.get("address"))
    return v


def _address_values(item: str, address: dict | None) -> dict[str, object]:
    if not address:
        return {}
    return {f"{item}_{k}": address.get(k, "") for k in ("street", "city", "state", "zip")}


def filled_form(key: dict) -> str:
    """The answer cell filled in right for ``key`` (the model answer; the demo's correct one)."""
    return f"{MAGIC}\n{forms.fill_form(FORM, form_values(key))}"


def draw(rng: random.Random) -> dict[str, str]:
    """The template's values for one course: the paperwork, the model form and the key."""
    case = draw_case(rng)
    # the key on one line: four hidden tests repeat it
    model = forms.fill_form(FORM, form_values(case.claim))
    return {"case": case.text, "solution": model, "key": repr(case.claim)}


# -- the check cell and the part cells' self-check (what a student sees before grading) --------
LOADS = "Your claim loads; this part is graded when you submit."
NOT_LOADED = "your claim does not load yet: see the check cell"


def check(answers: FormAnswers) -> str:
    """What the check cell says: the form's format problems, whether the claim it makes
    loads (each problem with its item), a few format points, and the scrubber's edits.
    Never an answer: only what the student's own form says."""
    out = [answers.summary()]
    if answers.is_blank():
        return out[0] + "\nFill in the form above, run its cell, then run this one again."
    claim = claim_from(answers)
    problems = claims.claim_problems(claim)
    if problems:
        out += ["", "Your claim does not load yet; fix these and run the form again:"]
        return "\n".join(out + [f"- {forms.missing_words(p)}" for p in problems])
    loaded = claims.from_dict(claim)
    notes = []
    if loaded.total_charge is not None and loaded.total_charge != loaded.line_total():
        notes.append(f"- item 28 ({loaded.total_charge}) is not the sum of 24F "
                     f"({loaded.line_total()})")  # fmt: skip
    notes += [f"- line {n}: no pointer in 24E" for n, ln in enumerate(loaded.lines, 1)
              if not ln.pointers]  # fmt: skip
    out += ["", f"Your claim loads: {len(loaded.diagnoses)} diagnosis code(s), "
            f"{len(loaded.lines)} line(s), total charge {loaded.line_total()}."]  # fmt: skip
    out += ["Check these:", *notes] if notes else []
    return "\n".join([*out, "", scrubber.format_edits(scrubber.scrub(loaded))])


def self_check(claim: object) -> str:
    """What a part's test cell says before grading: whether the claim loads (no answer in it).

    The form (:class:`FormAnswers`): a line saying so either way, never an error (a part
    whose claim does not load scores 0 with its reason when graded).  The claim dict of a
    course made before the form: AssertionError when it does not load, as its cells did.

    >>> self_check({"payer": {}})
    Traceback (most recent call last):
    ...
    AssertionError: your claim does not load yet: see the check cell
    >>> self_check(forms.parse(FORM, ""))
    'Not yet: your claim does not load yet: see the check cell'
    """
    form = isinstance(claim, FormAnswers)
    if form:
        claim = claim_from(claim)  # type: ignore[arg-type]
    if claims.claim_problems(claim) != []:
        if form:
            return f"Not yet: {NOT_LOADED}"
        raise AssertionError(NOT_LOADED)
    claims.from_dict(claim)  # type: ignore[arg-type]
    return LOADS


# -- grading (called by the hidden tests) ----------------------------------------------------
def score_part(given: dict | FormAnswers, key: dict, part: str) -> PartScore:
    """One part's points: its points x the share of its boxes' points earned, with reasons.

    ``given`` is the student's form (a form whose claim does not load scores 0, with
    one line saying so), or the claim dict of a course made before the form."""
    title, boxes, points = PARTS[part]
    if isinstance(given, FormAnswers):
        blank = given.is_blank()
        given = claim_from(given)
        if problems := claims.claim_problems(given):
            why = f"{title}: your claim does not load (see the check cell), 0 of {points} points"
            row = element(title, TOPIC, "a claim that loads", _unloaded(blank, problems), 0, points)
            return PartScore(0.0, (), (title,), (why,), (row,))
    pattern = re.compile(boxes)
    graded = grade_claim(claims.from_dict(key), claims.from_dict(given))
    mine = ClaimGrade(tuple(m for m in graded.marks if pattern.match(m.box)))
    share = mine.score / mine.max_score if mine.max_score else 0.0
    scored = earned(points, points * share)
    full = tuple(m.box for m in mine.marks if m.full)
    lost = tuple(m.box for m in mine.marks if not m.full)
    notes = (
        f"{title}: {mine.score:g} of {mine.max_score:g} box points, {scored:g} of {points} points",
        *("  " + r for r in mine.lost()),
        "",
        *mine.to_text().splitlines()[1:],
    )
    rows = scaled_elements([_mark_row(m) for m in mine.marks], points)
    return PartScore(scored, full, lost, notes, tuple(rows))


def _unloaded(blank: bool, problems: list[str]) -> str:
    """What a form that makes no claim gave, for the class report: blank, or its first problem."""
    return (
        "a blank form"
        if blank
        else f"a claim that does not load ({forms.missing_words(problems[0])})"
    )


def box_topic(box: str) -> str:
    """The topic a box's points are mastery of: the codes in item 21 are diagnosis coding,
    24D's code procedure coding and its modifiers modifiers; every other box the form's.

    >>> [box_topic(b) for b in ("Item 21 order", "Item 24D line 2", "Item 24D line 2 modifiers",
    ...                         "Item 24E line 1")]
    ['diagnosis coding', 'procedure coding', 'modifiers', 'CMS-1500 boxes']
    """
    if box.startswith("Item 21"):
        return "diagnosis coding"
    if box.startswith("Item 24D"):
        return "modifiers" if box.endswith("modifiers") else "procedure coding"
    return TOPIC


def _mark_row(m: BoxMark) -> MarkRow:
    """A box mark as an element, named by the key's line ("(your line 3)" dropped), so
    every student's 24F line 2 is one element of the report."""
    name = YOUR_LINE.sub("", m.box)
    return (name, box_topic(m.box), m.expected, m.given, m.points, m.max_points)


# -- a partly right sample submission (course demo) -----------------------------------------
def partial(correct: Mapping[str, str]) -> dict[str, str]:
    """The course's claim with a slip in each part: a name, the group number, an extra
    diagnosis, one line's charge (and the total with it), and assignment not accepted.

    Written as the form (or as the claim dict, for a course made before the form)."""
    source = correct["claim"]
    is_form = source.lstrip().startswith("%%answers")
    data = claim_from(forms.parse(FORM, source)) if is_form else assigned(source, "claim")
    who = data["insured"] or data["patient"]
    who["first"] = who["first"] + "e"
    data["insured_group"] = ""
    data["diagnoses"] = [
        *data["diagnoses"],
        "R50.9" if "R50.9" not in data["diagnoses"] else "R51.9",
    ]
    line = data["lines"][-1]
    line["charge"] = f"{Decimal(line['charge']) + 9:.2f}"
    data["total_charge"] = f"{sum(Decimal(ln['charge']) for ln in data['lines']):.2f}"
    data["accept_assignment"] = False
    if is_form:
        return {"claim": f"{MAGIC}\n{forms.fill_form(FORM, form_values(data))}"}
    return {"claim": f"claim = {literal(data)}"}
