"""A seeded synthetic practice: payers, providers, patients, a year of visits.

Every name, address, member ID and NPI is made up here from small lists and a
``random.Random(seed)``; nothing is real PHI.  The same seed gives identical rows.
The payers come from ``datasets/practice/payers.csv`` (:mod:`medbill_lab.payer.payers`).
This module only fills a database; turning its encounters into claims is the
ledger's own job (:mod:`medbill_lab.practice.billing`), whoever filled it.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from medbill_lab.claims.model import age_on, make_npi
from medbill_lab.datasets import synthetic_people
from medbill_lab.payer.payers import teaching_payers
from medbill_lab.practice.db import (
    Encounter,
    FeeSchedule,
    Guarantor,
    InsurancePolicy,
    Patient,
    Payer,
    PayerRule,
    Practice,
    Provider,
    Superbill,
    enter_superbills,
    practice_fees,
    transaction,
)

# The lab's invented names and places, shared with the fraud lab and the de-identification
# notes (datasets/people/names.json, read by one loader); seeded draws index into them.
_PEOPLE = synthetic_people()
LAST_NAMES = _PEOPLE.last_names
FEMALE_NAMES = _PEOPLE.female_names
MALE_NAMES = _PEOPLE.male_names
STREETS = _PEOPLE.streets
TOWNS = tuple((town.name, town.zip) for town in _PEOPLE.towns)
STATE = "IL"


@dataclass(frozen=True)
class Visit:
    """A kind of visit: diagnoses, the services besides the E/M, who it suits."""

    diagnoses: tuple[str, ...]
    services: tuple[tuple[str, int, str], ...]  # (code, units, pointers)
    min_age: int = 0
    max_age: int = 120
    sex: str = ""  # "" any, else M or F
    procedure: bool = False  # a same-day procedure: modifier 25 on the E/M


# Common outpatient conditions, each code billable in FY2025 and FY2026.
VISITS = (
    Visit(("I10", "E78.5"), (("36415", 1, "B"), ("80061", 1, "B")), min_age=30),
    Visit(("I10",), (("36415", 1, "A"), ("80053", 1, "A")), min_age=30),
    Visit(("E11.9", "I10"), (("36415", 1, "A"), ("83036", 1, "A")), min_age=30),
    Visit(("E03.9",), (("36415", 1, "A"), ("84443", 1, "A")), min_age=18),
    Visit(("R53.83",), (("36415", 1, "A"), ("85025", 1, "A")), min_age=18),
    Visit(("J06.9",), ()),
    Visit(("J02.0",), (("87880", 1, "A"),), min_age=3, max_age=45),
    Visit(("J11.1",), (("87804", 1, "A"),), min_age=1),
    Visit(("J20.9",), (), min_age=2),
    Visit(("H66.91",), (), max_age=12),
    Visit(("N39.0",), (("81002", 1, "A"), ("87086", 1, "A")), min_age=18, sex="F"),
    Visit(("M54.50",), (("96372", 1, "A"), ("J1885", 2, "A")), min_age=18, procedure=True),
    Visit(("J45.21",), (("94640", 1, "A"), ("J7613", 3, "A")), min_age=5, procedure=True),
    Visit(("D51.0",), (("96372", 1, "A"), ("J3420", 1, "A")), min_age=40, procedure=True),
    Visit(("F41.1",), (), min_age=18),
    Visit(("K21.9",), (), min_age=18),
    Visit(("J30.9",), (), min_age=5),
    Visit(("R07.89",), (("93000", 1, "A"),), min_age=30),
)
NEW_PATIENT_EM = ("99202", "99203", "99204", "99205")
ESTABLISHED_EM = ("99212", "99213", "99213", "99214", "99214", "99215")


# -- small deterministic helpers -------------------------------------------------------
def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def fiscal_year_days(year: int) -> tuple[dt.date, dt.date]:
    """The first and last day of fiscal year ``year`` (the ICD-10-CM code-set year).

    >>> fiscal_year_days(2026)
    (datetime.date(2025, 10, 1), datetime.date(2026, 9, 30))
    """
    return dt.date(year - 1, 10, 1), dt.date(year, 9, 30)


def _dob(rng: random.Random, age: int, on: dt.date) -> dt.date:
    return on - dt.timedelta(days=age * 365 + rng.randrange(365))


def _address(rng: random.Random) -> dict[str, str]:
    town, zip_code = rng.choice(TOWNS)
    return {
        "street": f"{rng.randrange(10, 990)} {rng.choice(STREETS)}",
        "city": town,
        "state": STATE,
        "zip": zip_code,
        "phone": f"555{rng.randrange(1000000, 9999999)}",
    }


# -- the practice, providers and payers -------------------------------------------------
def _add_practice(session: Session, rng: random.Random) -> list[Provider]:
    session.add(
        Practice(
            name="Cedar Bluff Family Medicine PC",
            npi=make_npi(rng),
            tax_id=f"47-{rng.randrange(1000000, 9999999)}",
            taxonomy="207Q00000X",
            street="400 Cedar Bluff Pkwy Ste 1",
            city="Cedar Bluff",
            state=STATE,
            zip="629034417",
            phone="5550142200",
        )
    )
    providers = [
        Provider(last=last, first=first, credential=cred, npi=make_npi(rng), taxonomy="207Q00000X")
        for last, first, cred in (
            ("Abara", "Nkem", "MD"),
            ("Lindgren", "Tove", "DO"),
            ("Marsh", "Colette", "NP"),
        )
    ]
    session.add_all(providers)
    return providers


def _add_payers(session: Session) -> dict[str, Payer]:
    payers = {}
    for plan in teaching_payers():
        payer = Payer(
            name=plan.name,
            payer_id=plan.payer_id,
            program=plan.program,
            filing_indicator=plan.filing_indicator,
            timely_filing_days=plan.timely_filing_days,
            street=f"PO Box {4100 + len(payers)}",
            city="Harlow",
            state=STATE,
            zip="62901",
        )
        payer.fees = [
            FeeSchedule(code=code, allowed=_money(fee * plan.fee_percent / 100))
            for code, fee in sorted(practice_fees().items())
        ]
        rules = [("copay", None, plan.copay), ("deductible", None, plan.deductible)]
        rules += [("coinsurance_pct", None, plan.coinsurance_pct)]
        rules += [("non_covered", code, None) for code in plan.non_covered]
        rules += [("prior_auth", code, None) for code in plan.prior_auth]
        payer.rules = [
            PayerRule(
                kind=k, code=c, amount=None if a is None else Decimal(a).quantize(Decimal("0.01"))
            )
            for k, c, a in rules
        ]
        session.add(payer)
        payers[plan.program if plan.program != "group" else plan.payer_id] = payer
    return payers


# -- patients and coverage --------------------------------------------------------------
def _pick_age(rng: random.Random) -> int:
    band = rng.random()
    if band < 0.15:
        return rng.randrange(1, 18)
    if band < 0.70:
        return rng.randrange(18, 65)
    return rng.randrange(65, 92)


def _coverage(rng: random.Random, age: int) -> tuple[str, ...]:
    """Payer keys, primary first; () is self-pay."""
    roll = rng.random()
    if age >= 65:
        if roll < 0.15:
            return ("medicare", "medicaid")  # dual eligible
        return ("medicare", "MBL04") if roll < 0.45 else ("medicare",)
    if age < 18:
        return (
            ("medicaid",)
            if roll < 0.4
            else ((rng.choice(("MBL03", "MBL04")),) if roll < 0.95 else ())
        )
    if roll < 0.15:
        return ("medicaid",)
    if roll < 0.85:
        return ("MBL03", "MBL04") if roll < 0.25 else (rng.choice(("MBL03", "MBL04")),)
    return ()


def _member_id(rng: random.Random, program: str) -> str:
    letters = "ACDEFGHJKMNPQRTUVWXY"
    if program == "medicare":  # MBI shape: 1 A N AN N A AN N A A N N
        pick = rng.choice
        return "".join(
            (str(rng.randrange(1, 10)), pick(letters), pick("0123456789"), pick(letters),
             pick("0123456789"), pick(letters), pick(letters), pick("0123456789"),
             pick(letters), pick(letters), pick("0123456789"))
        )  # fmt: skip
    prefix = {"medicaid": "PSM"}.get(program, "EVG" if rng.random() < 0.5 else "SMI")
    return f"{prefix}{rng.randrange(10**8, 10**9)}"


def _add_patient(
    session: Session, rng: random.Random, number: int, payers: dict[str, Payer], start: dt.date
) -> Patient:
    age = _pick_age(rng)
    sex = rng.choice("MF")
    last = rng.choice(LAST_NAMES)
    first = rng.choice(FEMALE_NAMES if sex == "F" else MALE_NAMES)
    address = _address(rng)
    dob = _dob(rng, age, start)
    if age < 18:  # a parent is the guarantor and the subscriber
        g_sex = rng.choice("MF")
        g_first = rng.choice(FEMALE_NAMES if g_sex == "F" else MALE_NAMES)
        guarantor = Guarantor(
            last=last,
            first=g_first,
            dob=_dob(rng, age + rng.randrange(22, 40), start),
            sex=g_sex,
            **address,
        )
        relation = "child"
    else:
        guarantor = Guarantor(last=last, first=first, dob=dob, sex=sex, **address)
        relation = "self"
    patient = Patient(
        account=f"CBF-{number:05d}",
        last=last,
        first=first,
        middle=rng.choice("ABCDEJLMRST"),
        dob=dob,
        sex=sex,
        guarantor=guarantor,
        guarantor_relationship=relation,
        **address,
    )
    for priority, key in enumerate(_coverage(rng, age), 1):
        payer = payers[key]
        child_policy = relation == "child" and payer.program == "group"
        patient.policies.append(
            InsurancePolicy(
                payer=payer,
                priority=priority,
                member_id=_member_id(rng, payer.program),
                group_number=f"G{rng.randrange(10000, 99999)}" if payer.program == "group" else "",
                plan_name=payer.name[:60],
                relationship_to_insured="child" if child_policy else "self",
                subscriber_last=guarantor.last if child_policy else "",
                subscriber_first=guarantor.first if child_policy else "",
                subscriber_dob=guarantor.dob if child_policy else None,
                subscriber_sex=guarantor.sex if child_policy else "U",
                effective_date=dt.date(start.year - 1, 1, 1),
            )
        )
    session.add(patient)
    return patient


# -- encounters ----------------------------------------------------------------------------
def _visit_for(rng: random.Random, patient: Patient, day: dt.date) -> Visit:
    age = age_on(patient.dob, day)
    fits = [v for v in VISITS if v.min_age <= age <= v.max_age and v.sex in ("", patient.sex)]
    return rng.choice(fits)


def _superbill(rng: random.Random, visit: Visit, new: bool, day: dt.date) -> tuple[list[str], list]:
    diagnoses = list(visit.diagnoses)
    services = list(visit.services)
    flu_season = day.month in (10, 11, 12, 1)
    procedure = visit.procedure
    if flu_season and rng.random() < 0.3 and len(diagnoses) < 4:
        diagnoses.append("Z23")
        letter = "ABCD"[len(diagnoses) - 1]
        services += [("90686", 1, letter), ("90471", 1, letter)]
        procedure = True
    em = rng.choice(NEW_PATIENT_EM if new else ESTABLISHED_EM)
    em_pointers = "ABCD"[: min(4, len(visit.diagnoses))]
    lines = [(em, ["25"] if procedure else [], 1, em_pointers)]
    lines += [(code, [], units, ptr) for code, units, ptr in services]
    return diagnoses, lines


def _medicare_codes(lines: list, patient: Patient) -> list:
    """Medicare pays the flu shot's administration as G0008, not 90471."""
    primary = patient.policies[0].payer.program if patient.policies else ""
    if primary != "medicare":
        return lines
    return [("G0008", *rest) if code == "90471" else (code, *rest) for code, *rest in lines]


def _visit_days(rng: random.Random, year: int, count: int) -> list[dt.date]:
    first, last = fiscal_year_days(year)
    span = (last - first).days
    days = set()
    while len(days) < count:
        day = first + dt.timedelta(days=rng.randrange(span + 1))
        if day.weekday() < 5:
            days.add(day)
    return sorted(days)


def _superbills(
    rng: random.Random,
    patient: Patient,
    providers: list[Provider],
    year: int,
    through: dt.date | None = None,
) -> list[Superbill]:
    """One to five visits in the year for a patient (none after ``through``), as
    superbills for charge entry."""
    new = rng.random() < 0.25
    provider = rng.choice(providers)
    bills = []
    for day in _visit_days(rng, year, rng.randrange(1, 6)):
        if through is not None and day > through:
            # the day was drawn, its visit is not: the draws after it (and the next
            # patients' visits) differ from a whole-year practice of the same seed
            continue
        visit = _visit_for(rng, patient, day)
        diagnoses, lines = _superbill(rng, visit, new, day)
        at = dt.datetime.combine(day, dt.time(17, 0))
        lines = _medicare_codes(lines, patient)
        bills.append(Superbill(patient.id, provider.id, day, "11", diagnoses, lines, at))
        new = False
    return bills


def generate_practice(
    session: Session,
    seed: int = 0,
    patients: int = 50,
    year: int = 2026,
    through: dt.date | None = None,
) -> dict[str, int]:
    """Fill an empty (migrated) database with a synthetic practice; returns row counts.

    Encounters fall in fiscal year ``year`` (Oct 1 of ``year - 1`` to Sep 30 of
    ``year``), the span one ICD-10-CM code set covers, and none after ``through``
    (a practice seen on a day in the year has no visits in its future).  The same
    seed, patient count, year and ``through`` give identical rows.  Everything is
    one transaction.
    """
    if patients < 0:
        raise ValueError(f"patients must be 0 or more, not {patients}")
    from medbill_lab.codes import icd10cm

    if year not in icd10cm.YEARS:
        raise ValueError(f"year {year} has no ICD-10-CM code set (the lab ships {icd10cm.YEARS})")
    rng = random.Random(seed)
    with transaction(session):
        if session.scalar(select(func.count()).select_from(Patient)):
            raise ValueError("the practice database already has patients; use a new database")
        providers = _add_practice(session, rng)
        payers = _add_payers(session)
        start = fiscal_year_days(year)[0]
        made = [_add_patient(session, rng, n, payers, start) for n in range(1, patients + 1)]
        session.flush()
        bills = [b for p in made for b in _superbills(rng, p, providers, year, through)]
        enter_superbills(session, bills, who="practice-generator")
    return counts(session)


def counts(session: Session) -> dict[str, int]:
    """Rows per main table: patients, encounters, charges, payers, providers, policies."""
    from medbill_lab.practice.db import Charge

    tables = {
        "patients": Patient,
        "encounters": Encounter,
        "charges": Charge,
        "payers": Payer,
        "providers": Provider,
        "policies": InsurancePolicy,
    }
    return {k: session.scalar(select(func.count()).select_from(t)) or 0 for k, t in tables.items()}
