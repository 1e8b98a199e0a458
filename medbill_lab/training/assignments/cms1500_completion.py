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
from medbill_lab.training.assignments import PartScore, assigned, earned, literal
from medbill_lab.training.claim_grading import ClaimGrade, grade_claim

# part -> (title, the boxes it grades, points)
PARTS = {
    "patient": ("Patient and insured", r"Item ([1-9]|1[0-4])(?![0-9])", 4),
    "diagnoses": ("Diagnoses and pointers", r"Item (21|24E)(?![0-9])", 4),
    "lines": ("Service lines", r"Item 24(?![0-9E])", 6),
    "provider": ("Referral, provider and totals", r"Item (1[5-9]|2[235-9]|3[0-3])(?![0-9])", 3),
}
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


def draw(rng: random.Random) -> dict[str, str]:
    """The template's values for one course: the paperwork, the model claim and the key."""
    case = draw_case(rng)
    # the key on one line: four hidden tests repeat it
    return {"case": case.text, "solution": literal(case.claim), "key": repr(case.claim)}


# -- the part cells' self-check (what a student sees before grading) --------------------------
LOADS = "Your claim loads; this part is graded when you submit."
NOT_LOADED = "your claim does not load yet: see the check cell"


def self_check(claim: object) -> str:
    """What a part's test cell says before grading: that the claim loads (no answer in it).

    AssertionError (the cell fails, and the part would score 0) when it does not load.

    >>> self_check({"payer": {}})
    Traceback (most recent call last):
    ...
    AssertionError: your claim does not load yet: see the check cell
    """
    if claims.claim_problems(claim) != []:
        raise AssertionError(NOT_LOADED)
    claims.from_dict(claim)  # type: ignore[arg-type]
    return LOADS


# -- grading (called by the hidden tests) ----------------------------------------------------
def score_part(given: dict, key: dict, part: str) -> PartScore:
    """One part's points: its points x the share of its boxes' points earned, with reasons."""
    title, boxes, points = PARTS[part]
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
    return PartScore(scored, full, lost, notes)


# -- a partly right sample submission (course demo) -----------------------------------------
def partial(correct: Mapping[str, str]) -> dict[str, str]:
    """The course's claim with a slip in each part: a name, the group number, an extra
    diagnosis, one line's charge (and the total with it), and assignment not accepted."""
    data = assigned(correct["claim"], "claim")
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
    return {"claim": f"claim = {literal(data)}"}
