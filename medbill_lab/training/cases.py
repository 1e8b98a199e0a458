"""Coding practice cases: the shipped cases and a seeded generator of more.

Shipped cases live in ``datasets/cases/cases.json``.  The generator builds
unlimited variants of common scenarios (fractures, sprains, diabetes and
hypertension with CKD, pregnancy, otitis media, colonoscopy, uncertain
diagnoses, sepsis, burns).  Each variant draws slot values (side, encounter, CKD stage,
weeks of gestation, ...) and builds the codes from them by rule, through
tables that map a slot value to code characters, so every answer is right by
construction.  The note is written from the same slots.

>>> case = generate(7, "diabetes_ckd")
>>> case.answer[0]
'E11.22'
>>> generate(7, "diabetes_ckd") == case
True
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from medbill_lab.codes import icd10cm
from medbill_lab.datasets import datasets_dir

CASES_FILE = ("cases", "cases.json")
REQUIRED = ("id", "title", "date_of_service", "note", "answer")
FY2026_START = dt.date(2025, 10, 1)


class CaseError(KeyError):
    """An unknown case id, topic or template; the message names it.

    >>> str(CaseError("no case 'x'"))
    "no case 'x'"
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Case:
    """One coding exercise: a note and the codes it supports, in sequence."""

    id: str
    topic: str
    title: str
    date_of_service: str
    age: int | None
    sex: str
    note: str
    answer: tuple[str, ...]
    rationale: str = ""
    guideline: str = ""
    sequence_matters: bool = True
    alternatives: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def from_dict(cls, data: dict) -> Case:
        """Build a case from one JSON object; codes are normalized to dotted form.

        Raises ValueError naming the case and the missing field.
        """
        missing = [f for f in REQUIRED if not data.get(f)]
        if missing:
            raise ValueError(f"case {data.get('id', '?')!r} lacks {', '.join(missing)}")
        return cls(
            id=str(data["id"]),
            topic=str(data.get("topic") or "general"),
            title=str(data["title"]),
            date_of_service=str(data["date_of_service"]),
            age=int(data["age"]) if data.get("age") is not None else None,
            sex=str(data.get("sex") or ""),
            note=str(data["note"]),
            answer=_codes(data["answer"]),
            rationale=str(data.get("rationale") or ""),
            guideline=str(data.get("guideline") or ""),
            sequence_matters=bool(data.get("sequence_matters", True)),
            alternatives=tuple(_codes(alt) for alt in data.get("alternatives") or ()),
        )

    def as_dict(self) -> dict:
        """A JSON-ready view, in the shape of ``cases.json``."""
        return {
            "id": self.id,
            "topic": self.topic,
            "title": self.title,
            "date_of_service": self.date_of_service,
            "age": self.age,
            "sex": self.sex,
            "note": self.note,
            "answer": list(self.answer),
            "rationale": self.rationale,
            "guideline": self.guideline,
            "sequence_matters": self.sequence_matters,
            "alternatives": [list(a) for a in self.alternatives],
        }

    def to_text(self) -> str:
        """The case as a learner reads it: title, patient, date of service, note.

        >>> print(generate(0, "uncertain_diagnosis").to_text().splitlines()[0])
        Outpatient visit, diagnosis not confirmed (gen-uncertain_diagnosis-0)
        """
        who = ", ".join(
            p for p in (f"age {self.age}" if self.age is not None else "", self.sex) if p
        )
        order = "sequence matters" if self.sequence_matters else "any order"
        return (
            f"{self.title} ({self.id})\n{who}; date of service {self.date_of_service}; "
            f"{order}\n\n{self.note}"
        )

    @property
    def accepted(self) -> tuple[tuple[str, ...], ...]:
        """Every full answer accepted: the answer key first, then the alternatives."""
        return (self.answer, *self.alternatives)


def _codes(values: list[str] | tuple[str, ...] | str) -> tuple[str, ...]:
    if isinstance(values, str):
        values = [values]
    return tuple(icd10cm.normalize(v) for v in values)


# -- shipped cases --------------------------------------------------------------
def cases_path() -> Path:
    """Where the shipped cases file lives."""
    return datasets_dir().joinpath(*CASES_FILE)


def load_cases() -> tuple[Case, ...]:
    """The shipped cases, in file order (cached until the file changes).

    Returns an empty tuple while ``datasets/cases/cases.json`` is not installed.
    Raises ValueError for a malformed case or a repeated id.
    """
    path = cases_path()
    if not path.is_file():
        return ()
    return _read_cases(str(path), path.stat().st_mtime_ns)


@cache
def _read_cases(path: str, _mtime: int) -> tuple[Case, ...]:
    cases = tuple(Case.from_dict(d) for d in json.loads(Path(path).read_text("utf-8")))
    seen: set[str] = set()
    for case in cases:
        if case.id in seen:
            raise ValueError(f"case id {case.id!r} appears twice in {path}")
        seen.add(case.id)
    return cases


def get_case(case_id: str) -> Case:
    """A shipped case by id, or a generated one by its ``gen-<template>-<seed>`` id.

    >>> get_case("gen-otitis_media-3") == generate(3, "otitis_media")
    True
    """
    for case in load_cases():
        if case.id == case_id:
            return case
    generated = _parse_generated_id(case_id)
    if generated:
        return generate(generated[1], generated[0])
    raise CaseError(f"no case with id {case_id!r}")


def _parse_generated_id(case_id: str) -> tuple[str, int] | None:
    prefix, _, rest = str(case_id).partition("-")
    name, _, seed = rest.rpartition("-")
    if prefix == "gen" and name in TEMPLATES and seed.lstrip("-").isdigit():
        return name, int(seed)
    return None


def topics(include_generated: bool = False) -> list[str]:
    """Sorted topics of the shipped cases, plus the generator's when asked.

    >>> "injury" in topics(include_generated=True)
    True
    """
    found = {c.topic for c in load_cases()}
    if include_generated:
        found |= set(TEMPLATE_TOPICS.values())
    return sorted(found)


def pick_case(
    seed: int | None = None, topic: str | None = None, include_generated: bool = False
) -> Case:
    """A random shipped case (or generated variant, when asked), optionally in one topic.

    The same seed picks the same case.  Raises CaseError when nothing matches.
    """
    rng = random.Random(seed)
    shipped = [c for c in load_cases() if topic in (None, "", c.topic)]
    names = [n for n in TEMPLATES if include_generated and topic in (None, "", TEMPLATE_TOPICS[n])]
    if not shipped and not names:
        where = f" in topic {topic!r}" if topic else ""
        raise CaseError(f"No practice cases{where}")
    k = rng.randrange(len(shipped) + len(names))
    if k < len(shipped):
        return shipped[k]
    return generate(rng.randrange(1_000_000), names[k - len(shipped)])


# -- the generator --------------------------------------------------------------
@dataclass(frozen=True)
class _Draft:
    """What a template builds; ``generate`` adds the id, topic, date and alternatives."""

    title: str
    age: int
    sex: str
    note: str
    answer: tuple[str, ...]
    rationale: str
    guideline: str
    sequence_matters: bool = True
    free_from: int | None = None  # codes from this position on may be listed in any order
    # Other codes that may be listed first (then every other code is in the free part)
    leaders: tuple[str, ...] = ()
    # (a, b): a must come before b when both are listed, inside the free part
    before: tuple[tuple[str, str], ...] = ()
    # Codes of the answer that may be left out without penalty (still right when listed)
    optional: tuple[str, ...] = ()


def _desc(code: str) -> str:
    return icd10cm.load(2026).get(code).description


def _explain(codes: tuple[str, ...]) -> str:
    return "; ".join(f"{c} = {_desc(c)}" for c in codes) + "."


def _person(age: int, sex: str) -> str:
    nouns = ("girl", "boy") if age < 18 else ("woman", "man")
    return f"{age}-year-old {nouns[0] if sex == 'F' else nouns[1]}"


def _article(phrase: str) -> str:
    """'An' before numbers read with a vowel sound (8, 11, 18, 80-89), else 'A'.

    >>> _article("8-year-old girl"), _article("18-year-old man"), _article("28-year-old man")
    ('An', 'An', 'A')
    """
    return "An" if phrase.startswith(("8", "11-", "18-")) else "A"


def _a_person(age: int, sex: str) -> str:
    person = _person(age, sex)
    return f"{_article(person)} {person}"


def _weeks(weeks: int, days: int) -> str:
    return f"{weeks} weeks {days} day{'' if days == 1 else 's'}"


def _pronouns(sex: str) -> tuple[str, str]:
    return ("she", "her") if sex == "F" else ("he", "his")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sex(rng: random.Random) -> str:
    return rng.choice(("F", "M"))


SIDES = {"right": "1", "left": "2"}
SIDES3 = {"right": "1", "left": "2", "bilateral": "3"}

# Forearm: fracture type -> (subcategory, phrase, ages, encounters allowed)
FRACTURES = {
    "torus": ("S52.52", "torus fracture of the distal {side} radius", (4, 12)),
    "colles": ("S52.53", "Colles' fracture of the {side} radius", (30, 88)),
    "smith": ("S52.54", "Smith's fracture of the {side} radius", (30, 88)),
}
# Fracture encounter -> 7th character of the fracture code (closed fractures)
FRACTURE_ENCOUNTERS = {
    "initial": "A",
    "routine healing": "D",
    "delayed healing": "G",
    "sequela": "S",
}
# 7th character of the fracture -> 7th character of the external cause code
CAUSE_SEVENTH = {"A": "A", "B": "A", "D": "D", "G": "D", "S": "S"}
FALLS_ADULT = (
    ("slipped on ice and fell onto {poss} outstretched hand", "W00.0XX"),
    ("tripped over a garden hose and fell onto {poss} outstretched hand", "W01.0XX"),
    ("fell from a stepladder", "W11.XXX"),
    ("fell (the note does not say how)", "W19.XXX"),
)
FALLS_CHILD = (
    ("fell from a playground swing", "W09.1XX"),
    ("fell off the playground slide", "W09.0XX"),
    ("fell from a jungle gym", "W09.2XX"),
    ("tripped while running and fell onto {poss} outstretched hand", "W01.0XX"),
)
NO_PLACE_ACTIVITY = (
    " No place (Y92), activity (Y93) or status (Y99) code: the note does not state them, and "
    "the 'unspecified' codes are not used."
)
INJURY_GUIDELINE = (
    "ICD-10-CM Guidelines I.C.19.a (7th character: A active treatment, D healing or "
    "recovery phase, S sequela), I.C.19.c (fractures), I.C.20.a (an external cause "
    "code with its 7th character for each encounter, never first-listed), I.B.10 (sequela)"
)


def _forearm_fracture(rng: random.Random) -> _Draft:
    kind = rng.choice(sorted(FRACTURES))
    stem, phrase, ages = FRACTURES[kind]
    side = rng.choice(sorted(SIDES))
    allowed = ("initial", "routine healing") if kind == "torus" else tuple(FRACTURE_ENCOUNTERS)
    encounter = rng.choice(allowed)
    age, sex = rng.randint(*ages), _sex(rng)
    he, his = _pronouns(sex)
    how, cause = rng.choice(FALLS_CHILD if age < 18 else FALLS_ADULT)
    how = how.format(poss=his)
    seventh = FRACTURE_ENCOUNTERS[encounter]
    fracture = f"{stem}{SIDES[side]}{seventh}"
    external = f"{cause}{CAUSE_SEVENTH[seventh]}"
    answer = (fracture, external)
    if encounter == "sequela":
        answer = (f"M25.63{SIDES[side]}", *answer)
    what = phrase.format(side=side)
    return _Draft(
        title="Wrist injury",
        age=age,
        sex=sex,
        note=_fracture_note(encounter, _person(age, sex), he, how, what, side),
        answer=answer,
        rationale=_fracture_rationale(answer, encounter),
        guideline=INJURY_GUIDELINE,
    )


def _fracture_note(encounter: str, person: str, he: str, how: str, what: str, side: str) -> str:
    if encounter == "initial":
        return (
            f"Emergency department. {_article(person)} {person} who {how} earlier today. Swelling and "
            f"tenderness of the {side} wrist; skin intact. X-rays: {what}, closed. "
            "Treated with closed reduction and splinting; orthopedic follow-up in one week."
        )
    if encounter == "sequela":
        return (
            f"Outpatient therapy evaluation. {_article(person)} {person} with stiffness of the {side} wrist, a "
            f"late effect of a {what} sustained last year when {he} {how}. The fracture has "
            "healed. Plan: physical therapy for the wrist stiffness."
        )
    course = (
        "the fracture is healing in good position (routine healing); cast changed"
        if encounter == "routine healing"
        else "little callus has formed; assessment: delayed healing of the fracture"
    )
    return (
        f"Orthopedic follow-up. {_article(person)} {person} seen four weeks after a closed {what} sustained "
        f"when {he} {how}; active treatment was completed in the emergency department. "
        f"X-rays today: {course}."
    )


def _fracture_rationale(answer: tuple[str, ...], encounter: str) -> str:
    text = _explain(answer)
    if encounter == "sequela":
        return (
            f"{text} For a sequela the residual condition is listed first, then the injury "
            "with 7th character S, then the external cause with S."
        )
    extra = NO_PLACE_ACTIVITY if encounter == "initial" else ""
    return (
        f"{text} The fracture is listed first; its 7th character reflects this encounter "
        f"({encounter}), and the external cause code carries the matching 7th character.{extra}"
    )


# Ankle: ligament -> (6th... 5th character of S93.4-, phrase)
LIGAMENTS = {
    "unspecified": ("0", "sprain of the {side} ankle"),
    "calcaneofibular": ("1", "sprain of the calcaneofibular ligament of the {side} ankle"),
    "deltoid": ("2", "sprain of the deltoid ligament of the {side} ankle"),
    "tibiofibular": ("3", "high ankle sprain (distal tibiofibular ligament), {side} ankle"),
    "anterior talofibular": ("9", "sprain of the anterior talofibular ligament, {side} ankle"),
}
SPRAIN_ENCOUNTERS = {"initial": "A", "subsequent": "D"}
TWISTS = (
    ("stepped awkwardly off a step stool and rolled {poss} ankle without falling", "W18.43X"),
    ("stepped into a hole and twisted {poss} ankle without falling", "W18.42X"),
    ("slipped on ice and fell", "W00.0XX"),
    ("missed a step on the stairs and fell", "W10.9XX"),
)


def _ankle_sprain(rng: random.Random) -> _Draft:
    ligament = rng.choice(sorted(LIGAMENTS))
    fifth, phrase = LIGAMENTS[ligament]
    side, encounter = rng.choice(sorted(SIDES)), rng.choice(sorted(SPRAIN_ENCOUNTERS))
    age, sex = rng.randint(14, 70), _sex(rng)
    he, his = _pronouns(sex)
    how, cause = rng.choice(TWISTS)
    seventh = SPRAIN_ENCOUNTERS[encounter]
    answer = (f"S93.4{fifth}{SIDES[side]}{seventh}", f"{cause}{seventh}")
    what = phrase.format(side=side)
    person = _person(age, sex)
    if encounter == "initial":
        note = (
            f"Urgent care. {_article(person)} {person} who {how.format(poss=his)} yesterday. Swelling and "
            f"bruising over the {side} ankle; x-rays negative for fracture. Assessment: {what}. "
            "Plan: rest, ice, compression, elevation and an ankle brace."
        )
    else:
        note = (
            f"Follow-up visit. {_article(person)} {person} returns two weeks after a {what}, sustained when {he} "
            f"{how.format(poss=his)}. Swelling is improving and {he} walks with a brace. "
            "Assessment: the sprain is healing. Plan: start physical therapy."
        )
    return _Draft(
        title="Ankle injury",
        age=age,
        sex=sex,
        note=note,
        answer=answer,
        rationale=f"{_explain(answer)} The 7th character is {seventh} for the {encounter} "
        "encounter; the external cause code takes the same 7th character."
        + (NO_PLACE_ACTIVITY if encounter == "initial" else ""),
        guideline=INJURY_GUIDELINE,
    )


# CKD stage as documented -> (N18 code, wording, lab sentence)
CKD_STAGES = {
    "1": ("N18.1", "stage 1", "eGFR 95 with persistent albuminuria"),
    "2": ("N18.2", "stage 2", "eGFR 72 with persistent albuminuria"),
    "3": ("N18.30", "stage 3", "eGFR 41 to 48 on recent checks"),
    "3a": ("N18.31", "stage 3a", "eGFR 52"),
    "3b": ("N18.32", "stage 3b", "eGFR 38"),
    "4": ("N18.4", "stage 4", "eGFR 22"),
    "5": ("N18.5", "stage 5", "eGFR 12; not yet on dialysis, access planning under way"),
    "ESRD": ("N18.6", "end-stage renal disease", "on hemodialysis three times a week"),
}
# Stage -> hypertensive CKD code (I12.0 for stage 5 and ESRD)
HTN_CKD = {stage: ("I12.0" if stage in ("5", "ESRD") else "I12.9") for stage in CKD_STAGES}
HTN_HEART_CKD = {stage: ("I13.2" if stage in ("5", "ESRD") else "I13.0") for stage in CKD_STAGES}
# Diabetes treatment -> (long-term drug code or None, wording)
DM_TREATMENTS = {
    "diet": (None, "managed with diet and exercise alone"),
    "insulin": ("Z79.4", "on insulin glargine nightly"),
    "oral": ("Z79.84", "on oral linagliptin daily"),
    "injectable": ("Z79.85", "on weekly semaglutide injections (a non-insulin injectable)"),
}


def _ckd_codes(stage: str) -> tuple[str, ...]:
    """The stage code, plus dialysis status for ESRD (use additional code note at N18.6)."""
    code = CKD_STAGES[stage][0]
    return (code, "Z99.2") if stage == "ESRD" else (code,)


def _ckd_phrase(stage: str, rng: random.Random) -> str:
    wording = CKD_STAGES[stage][1]
    if stage == "ESRD" and rng.random() < 0.5:
        return "chronic kidney disease stage 5, now end-stage renal disease, on hemodialysis"
    if stage == "ESRD":
        return "end-stage renal disease on hemodialysis"
    return f"chronic kidney disease {wording}"


def _diabetes_ckd(rng: random.Random) -> _Draft:
    stage = rng.choice(list(CKD_STAGES))
    treatment = rng.choice(list(DM_TREATMENTS))
    drug, wording = DM_TREATMENTS[treatment]
    age, sex = rng.randint(40, 88), _sex(rng)
    answer = ("E11.22", *_ckd_codes(stage), *((drug,) if drug else ()))
    note = (
        f"Primary care follow-up. {_a_person(age, sex)} with type 2 diabetes mellitus, "
        f"{wording}. Renal status: {CKD_STAGES[stage][2]}; A1c {rng.randint(62, 95) / 10:.1f}%. "
        f"Assessment: 1. Type 2 diabetes mellitus. 2. {_sentence(_ckd_phrase(stage, rng))}. "
        "Plan: continue current regimen; recheck renal panel in three months."
    )
    drug_text = (
        f" {drug} records the long-term drug therapy."
        if drug
        else " No Z79 code: no diabetes drug is taken."
    )
    return _Draft(
        title="Diabetes follow-up",
        age=age,
        sex=sex,
        note=note,
        answer=answer,
        rationale=f"{_explain(answer)} ICD-10-CM presumes the link between diabetes and CKD "
        "('with'), so the combination code E11.22 comes first and N18 adds the stage." + drug_text,
        guideline="ICD-10-CM Guidelines I.A.15 ('with'), I.C.4.a (diabetes combination codes; "
        "use additional code for the CKD stage), I.C.4.a.3 (Z79.4/Z79.84/Z79.85), "
        "I.C.14.a.1 (ESRD: N18.6 only)",
        free_from=1,
    )


def _hypertension_ckd(rng: random.Random) -> _Draft:
    stage = rng.choice(list(CKD_STAGES))
    age, sex = rng.randint(35, 90), _sex(rng)
    answer = (HTN_CKD[stage], *_ckd_codes(stage))
    note = (
        f"Nephrology visit. {_a_person(age, sex)} with hypertension and "
        f"{_ckd_phrase(stage, rng)}. Blood pressure {rng.randint(136, 168)}/"
        f"{rng.randint(82, 98)}. Renal status: {CKD_STAGES[stage][2]}. Assessment: hypertension; "
        "chronic kidney disease as above. Plan: adjust antihypertensives, low-sodium diet."
    )
    return _Draft(
        title="Kidney clinic visit",
        age=age,
        sex=sex,
        note=note,
        answer=answer,
        rationale=f"{_explain(answer)} Hypertension and CKD are presumed linked, so I12 is "
        "listed first; I12.0 covers stage 5 and ESRD, I12.9 stages 1-4. N18 adds the stage.",
        guideline="ICD-10-CM Guidelines I.C.9.a.2 (hypertensive CKD, presumed causal; "
        "use additional code for the stage), I.C.14.a.1 (ESRD: N18.6 only)",
        free_from=1,
    )


# Heart failure: type -> (5th character of I50.-, wordings)
HF_TYPES = {
    "systolic": (
        "2",
        ("systolic heart failure", "heart failure with reduced ejection fraction (HFrEF)"),
    ),
    "diastolic": (
        "3",
        ("diastolic heart failure", "heart failure with preserved ejection fraction (HFpEF)"),
    ),
    "combined": ("4", ("combined systolic and diastolic heart failure",)),
}
HF_ACUITY = {"acute": "1", "chronic": "2", "acute on chronic": "3"}


def _hypertensive_heart_failure(rng: random.Random) -> _Draft:
    kind, acuity = rng.choice(list(HF_TYPES)), rng.choice(list(HF_ACUITY))
    fifth, wordings = HF_TYPES[kind]
    hf = f"I50.{fifth}{HF_ACUITY[acuity]}"
    stage = rng.choice(list(CKD_STAGES)) if rng.random() < 0.4 else None
    age, sex = rng.randint(45, 92), _sex(rng)
    if stage:
        answer = (HTN_HEART_CKD[stage], hf, *_ckd_codes(stage))
        ckd = f" and {_ckd_phrase(stage, rng)}"
    else:
        answer, ckd = ("I11.0", hf), ""
    setting = "Hospital admission" if acuity != "chronic" else "Cardiology office visit"
    note = (
        f"{setting}. {_a_person(age, sex)} with long-standing hypertension{ckd}. "
        f"Assessment: {acuity} {rng.choice(wordings)}"
        f"{'; volume overloaded, IV diuresis started' if acuity != 'chronic' else '; euvolemic'}. "
        "Plan: optimize guideline-directed medical therapy."
    )
    return _Draft(
        title="Heart failure and hypertension",
        age=age,
        sex=sex,
        note=note,
        answer=answer,
        rationale=f"{_explain(answer)} Hypertension with heart failure is presumed linked: the "
        "combination code comes first and I50 adds the type and acuity (HFrEF = systolic, "
        "HFpEF = diastolic)."
        + (" With CKD too, I13 replaces I11 and N18 adds the stage." if stage else ""),
        guideline="ICD-10-CM Guidelines I.C.9.a.1 (hypertension with heart disease; use "
        "additional code I50.-), I.C.9.a.3 (hypertensive heart and chronic kidney disease)",
        free_from=1,
    )


def _trimester(weeks: int) -> int:
    """Trimester from completed weeks: 1st < 14w0d, 2nd < 28w0d, 3rd after.

    >>> _trimester(13), _trimester(14), _trimester(27), _trimester(28)
    (1, 2, 2, 3)
    """
    return 1 if weeks < 14 else 2 if weeks < 28 else 3


def _gravida(rng: random.Random) -> tuple[int, int]:
    g = rng.choice((1, 1, 2, 3, 4))
    return g, rng.randint(0, g - 1)


PREGNANCY_GUIDELINE = (
    "ICD-10-CM Guidelines I.C.15.a.3 (final character for trimester), I.C.15.b "
    "(Z34 for routine visits, never with chapter 15 codes; O09 first for high-risk "
    "supervision), Z3A note (weeks of gestation as an additional code)"
)
# Z3A is required with chapter 15 codes (chapter note: use additional code from Z3A),
# but only allowed with Z34: Z3A's own note is 'code first' an O code, 'if known'.
Z3A_WITH_Z34 = (
    " With Z34 the Z3A code may be reported but is not required (Z3A's note asks for an "
    "obstetric code first; the chapter 15 'use additional code' note does not reach Z34)."
)


def _prenatal_visit(rng: random.Random) -> _Draft:
    weeks, days = rng.randint(8, 40), rng.randint(0, 6)
    g, p = _gravida(rng)
    age = rng.choice((rng.randint(18, 33), rng.randint(36, 43)))
    tri = _trimester(weeks)
    first = g == 1
    if age >= 35:
        visit = f"O09.5{'1' if first else '2'}{tri}"
        risk = f" Advanced maternal age ({age}); supervised as a high-risk pregnancy."
    else:
        visit = f"Z34.{'0' if first else '8'}{tri}"
        risk = " No complications; the pregnancy is progressing normally."
    answer = (visit, f"Z3A.{weeks:02d}")
    note = (
        f"Prenatal visit. {_a_person(age, 'F')}, G{g}P{p}, at {_weeks(weeks, days)} by "
        f"last menstrual period. Fetal heart tones {rng.randint(130, 160)}; fundal height "
        f"appropriate.{risk} Plan: routine prenatal care; return in four weeks."
    )
    return _Draft(
        title="Prenatal visit",
        age=age,
        sex="F",
        note=note,
        answer=answer,
        rationale=f"{_explain(answer)} G{g} means a {'first' if first else 'later'} pregnancy"
        f"{'; at 35 or older at delivery O09.5- (high-risk supervision) replaces Z34' if age >= 35 else ''}; "
        f"{_weeks(weeks, days)} is the {('first', 'second', 'third')[tri - 1]} trimester "
        "(1st < 14w0d, 2nd < 28w0d). Z3A reports completed weeks."
        + ("" if age >= 35 else Z3A_WITH_Z34),
        guideline=PREGNANCY_GUIDELINE,
        optional=() if age >= 35 else (answer[1],),
    )


# Gestational diabetes treatment -> (6th character of O24.41-, wording)
GDM_CONTROL = {
    "diet": ("0", "controlled with diet"),
    "insulin": ("4", "treated with insulin"),
    "oral": ("5", "treated with metformin"),
    "diet and insulin": ("4", "managed with diet and insulin"),
    "diet and oral": ("5", "managed with diet and glyburide"),
}


def _gestational_diabetes(rng: random.Random) -> _Draft:
    weeks, days = rng.randint(24, 38), rng.randint(0, 6)
    control = rng.choice(list(GDM_CONTROL))
    sixth, wording = GDM_CONTROL[control]
    g, p = _gravida(rng)
    age = rng.randint(20, 34)
    answer = (f"O24.41{sixth}", f"Z3A.{weeks:02d}")
    note = (
        f"Prenatal visit. {_a_person(age, 'F')}, G{g}P{p}, at {_weeks(weeks, days)}, "
        f"with gestational diabetes diagnosed at {rng.randint(24, weeks)} weeks, {wording}. "
        "Glucose log reviewed; fasting values at goal. Plan: continue current management; "
        "growth ultrasound in four weeks."
    )
    return _Draft(
        title="Prenatal visit with diabetes",
        age=age,
        sex="F",
        note=note,
        answer=answer,
        rationale=f"{_explain(answer)} O24.41- codes gestational diabetes in pregnancy by "
        "control; diet plus a drug is coded by the drug alone. Do not add Z79.4, Z79.84 "
        "or Z79.85 with O24.4-.",
        guideline="ICD-10-CM Guidelines I.C.15 (gestational diabetes: O24.4-, no Z79.4/Z79.84/"
        "Z79.85 with it; diet plus insulin codes as insulin controlled), Z3A note",
    )


# Otitis media type -> (stem, takes 'recurrent', wording); 6th/5th char from side (+3 recurrent)
OTITIS = {
    "suppurative": (
        "H66.00",
        True,
        "acute suppurative otitis media",
        "a bulging, red tympanic membrane",
    ),
    "ruptured": (
        "H66.01",
        True,
        "acute suppurative otitis media with spontaneous rupture of the ear drum",
        "purulent drainage through a spontaneous perforation of the tympanic membrane",
    ),
    "serous": (
        "H65.0",
        True,
        "acute serous otitis media",
        "a clear effusion behind the tympanic membrane",
    ),
    "nos": ("H66.9", False, "acute otitis media", "a red, dull tympanic membrane"),
}
EAR_SIDES = {"right": "the right ear", "left": "the left ear", "bilateral": "both ears"}


def _ear_exam(exam: str, side: str) -> str:
    if side == "bilateral":
        exam = exam.removeprefix("a ").replace("membrane", "membranes")
    return f"{exam} in {EAR_SIDES[side]}"


def _otitis_media(rng: random.Random) -> _Draft:
    kind, side = rng.choice(list(OTITIS)), rng.choice(list(SIDES3))
    stem, can_recur, dx, exam = OTITIS[kind]
    recurrent = can_recur and rng.random() < 0.3
    digit = int(SIDES3[side]) + (3 if recurrent else 0)
    smoke = rng.random() < 0.3
    answer = (f"{stem}{digit}", *(("Z77.22",) if smoke else ()))
    age, sex = rng.randint(1, 10), _sex(rng)
    label = "bilateral" if side == "bilateral" else f"{side} ear"
    note = (
        f"Pediatric sick visit. {_a_person(age, sex)} with ear pain and fever for two days"
        f"{'; this is the fourth episode this year' if recurrent else ''}. Exam: "
        f"{_ear_exam(exam, side)}."
        f"{' Both parents smoke inside the home.' if smoke else ''} Assessment: "
        f"{'recurrent ' if recurrent else ''}{dx}, {label}. Plan: amoxicillin; recheck in "
        "two to three weeks."
    )
    return _Draft(
        title="Ear pain",
        age=age,
        sex=sex,
        note=note,
        answer=answer,
        rationale=f"{_explain(answer)} The type of otitis media and the side (or bilateral) "
        "pick the code."
        + (
            " 'Acute otitis media' with no type is an inclusion term of H66.9-."
            if kind == "nos"
            else ""
        )
        + (" The category note asks for Z77.22 for exposure to tobacco smoke." if smoke else ""),
        guideline="ICD-10-CM Guidelines I.B.13 (laterality; bilateral code when both sides), "
        "H65/H66 use-additional-code notes (Z77.22)",
    )


SYMPTOMS_FOR_COLONOSCOPY = {
    "rectal bleeding": "K62.5",
    "a change in bowel habit": "R19.4",
    "iron deficiency anemia": "D50.9",
}


def _colonoscopy(rng: random.Random) -> _Draft:
    age, sex = rng.randint(45, 75), _sex(rng)
    family = rng.random() < 0.35
    history = " Mother had colon cancer at 58." if family else ""
    if rng.random() < 0.6:
        polyp = rng.random() < 0.5
        answer = ("Z12.11", *(("Z80.0",) if family else ()), *(("K63.5",) if polyp else ()))
        finding = (
            "a 6 mm sessile polyp in the sigmoid colon, removed with cold snare; pathology pending"
            if polyp
            else "normal colon to the cecum"
        )
        note = (
            f"Outpatient colonoscopy. {_a_person(age, sex)} with no gastrointestinal symptoms, "
            f"here for screening colonoscopy.{history} Findings: {finding}."
        )
        why = (
            "A screening colonoscopy is coded Z12.11 first, even when a finding turns up; "
            "the finding is an additional code."
        )
    else:
        symptom = rng.choice(list(SYMPTOMS_FOR_COLONOSCOPY))
        answer = (SYMPTOMS_FOR_COLONOSCOPY[symptom], *(("Z80.0",) if family else ()))
        note = (
            f"Outpatient colonoscopy. {_a_person(age, sex)} referred for diagnostic colonoscopy "
            f"to evaluate {symptom}.{history} Findings: normal colonic mucosa to the cecum; no "
            f"source identified. Impression: normal colonoscopy; {symptom}, cause undetermined."
        )
        why = (
            "A colonoscopy for a symptom is diagnostic: code the sign, symptom or condition, "
            "not Z12.11 (Z12 Excludes1)."
        )
    return _Draft(
        title="Colonoscopy",
        age=age,
        sex=sex,
        note=note,
        answer=answer,
        rationale=f"{_explain(answer)} {why}"
        + (
            " Z80.0 records the family history (use additional code note at Z12)." if family else ""
        ),
        guideline="ICD-10-CM Guidelines I.C.21.c.5 (screening: Z12 first; findings as additional "
        "codes), Z12 Excludes1 (diagnostic examination: code the sign or symptom)",
        free_from=1,
    )


# Uncertain diagnosis: (symptoms as documented, their codes, suspected condition, work-up)
UNCERTAIN = (
    (("chest pain",), ("R07.9",), "angina", "ECG and troponin ordered"),
    (("epigastric pain",), ("R10.13",), "gastritis", "trial of a proton pump inhibitor"),
    (("headache",), ("R51.9",), "migraine", "headache diary; return in two weeks"),
    (("cough", "fever"), ("R05.9", "R50.9"), "community-acquired pneumonia", "chest x-ray ordered"),
    (("nausea with vomiting",), ("R11.2",), "viral gastroenteritis", "oral rehydration"),
    (("right lower quadrant abdominal pain",), ("R10.31",), "appendicitis", "CT abdomen ordered"),
    (("dizziness",), ("R42",), "benign paroxysmal positional vertigo", "vestibular testing"),
    (("fatigue",), ("R53.83",), "hypothyroidism", "TSH ordered"),
    (("shortness of breath",), ("R06.02",), "asthma", "spirometry ordered"),
)
UNCERTAIN_TERMS = ("rule out", "probable", "suspected", "likely", "questionable", "possible")


def _uncertain_diagnosis(rng: random.Random) -> _Draft:
    symptoms, codes, condition, workup = rng.choice(UNCERTAIN)
    term = rng.choice(UNCERTAIN_TERMS)
    age, sex = rng.randint(18, 80), _sex(rng)
    said = " and ".join(symptoms)
    note = (
        f"{rng.choice(('Office visit', 'Urgent care visit'))}. {_a_person(age, sex)} presents "
        f"with {said}. Vital signs stable. Assessment: {said}, "
        f"{term} {condition}. Plan: {workup}."
    )
    return _Draft(
        title="Outpatient visit, diagnosis not confirmed",
        age=age,
        sex=sex,
        note=note,
        answer=codes,
        rationale=f"{_explain(codes)} In the outpatient setting a diagnosis qualified as "
        f"'{term}' is not coded; code the documented signs and symptoms instead.",
        guideline="ICD-10-CM Guidelines Section IV.H (outpatient: do not code probable, "
        "suspected, questionable, rule out or working diagnoses; code the signs and symptoms), "
        "I.B.4",
        sequence_matters=False,
    )


# Sepsis: organism -> (its name in the note, systemic code, organism code for a localized infection)
SEPSIS_ORGANISMS = {
    "unknown": ("", "A41.9", None),
    "E. coli": ("Escherichia coli", "A41.51", "B96.20"),
    "Pseudomonas": ("Pseudomonas aeruginosa", "A41.52", "B96.5"),
    "MSSA": ("methicillin-susceptible Staphylococcus aureus (MSSA)", "A41.01", "B95.61"),
    "MRSA": ("methicillin-resistant Staphylococcus aureus (MRSA)", "A41.02", "B95.62"),
    "pneumococcus": ("Streptococcus pneumoniae", "A40.3", "B95.3"),
    "group A strep": ("group A streptococcus", "A40.0", "B95.0"),
}
SPECIMENS = {
    "pneumonia": "Sputum and blood cultures",
    "UTI": "Urine and blood cultures",
    "pyelonephritis": "Urine and blood cultures",
    "cellulitis right leg": "Wound and blood cultures",
    "cellulitis left leg": "Wound and blood cultures",
}
# Localized infection -> (phrase, organisms it may have, code by organism, or one code
# plus the organism's B95-B97 code, which its 'use additional code' note asks for)
PNEUMONIA_CODES = {
    "unknown": "J18.9",
    "E. coli": "J15.5",
    "Pseudomonas": "J15.1",
    "MSSA": "J15.211",
    "MRSA": "J15.212",
    "pneumococcus": "J13",
}
LOCAL_INFECTIONS = {
    "pneumonia": (
        "community-acquired pneumonia",
        "cough, fever and a consolidation on chest x-ray",
    ),
    "UTI": ("urinary tract infection", "dysuria, fever and pyuria"),
    "pyelonephritis": ("acute pyelonephritis", "flank pain, fever and pyuria"),
    "cellulitis right leg": (
        "cellulitis of the right lower leg",
        "a hot, red, swollen right lower leg",
    ),
    "cellulitis left leg": (
        "cellulitis of the left lower leg",
        "a hot, red, swollen left lower leg",
    ),
}
LOCAL_CODES = {
    "UTI": "N39.0",
    "pyelonephritis": "N10",
    "cellulitis right leg": "L03.115",
    "cellulitis left leg": "L03.116",
}
LOCAL_ORGANISMS = {
    "pneumonia": tuple(PNEUMONIA_CODES),
    "UTI": ("unknown", "E. coli", "Pseudomonas"),
    "pyelonephritis": ("unknown", "E. coli", "Pseudomonas"),
    "cellulitis right leg": ("unknown", "MSSA", "MRSA", "group A strep"),
    "cellulitis left leg": ("unknown", "MSSA", "MRSA", "group A strep"),
}
# Acute organ dysfunction -> (code, wording)
ORGAN_DYSFUNCTIONS = {
    "kidney": ("N17.9", "acute kidney injury (creatinine 2.7 from a baseline of 0.9)"),
    "lungs": ("J96.01", "acute hypoxic respiratory failure (SpO2 84% on room air)"),
    "brain": ("G93.41", "septic encephalopathy (new confusion)"),
    "clotting": ("D65", "disseminated intravascular coagulation"),
}
SEPSIS_SEVERITY = ("sepsis", "severe sepsis", "septic shock")
SEPSIS_GUIDELINE = (
    "ICD-10-CM Guidelines I.C.1.d.1 (sepsis: the systemic infection code, A41.9 when the "
    "organism is not known; severe sepsis adds R65.2- and the organ dysfunction), I.C.1.d.2 "
    "(septic shock: R65.21, never first), I.C.1.d.3 (severe sepsis not present on admission: "
    "secondary), I.C.1.d.4 (sepsis with a localized infection: systemic infection first; "
    "localized infection first when sepsis develops after admission); R65.2 notes"
)


def _local_codes(local: str, organism: str) -> tuple[tuple[str, ...], str | None]:
    """The localized infection's code(s), and the organism code that may be added to it.

    Pneumonia codes name the organism.  The other infections take a B95-B97 code by
    their 'use additional code' notes; it is optional here because the sepsis code
    already names the organism.
    """
    if local == "pneumonia":
        return (PNEUMONIA_CODES[organism],), None
    return (LOCAL_CODES[local],), SEPSIS_ORGANISMS[organism][2]


def _sepsis(rng: random.Random) -> _Draft:
    """Organism x localized infection x sepsis, severe sepsis or shock x on admission or after."""
    local = rng.choice(list(LOCAL_INFECTIONS))
    organism = rng.choice(LOCAL_ORGANISMS[local])
    severity = rng.choice(SEPSIS_SEVERITY)
    on_admission = rng.random() < 0.7
    bug_name, systemic, _ = SEPSIS_ORGANISMS[organism]
    if bug_name:
        cultures = f"{SPECIMENS[local]} grew {bug_name}. Both infections are due to {bug_name}"
    else:
        cultures = f"{SPECIMENS[local]} showed no growth; organism not identified"
    local_codes, bug = _local_codes(local, organism)
    organ = None
    if severity == "severe sepsis" or (severity == "septic shock" and rng.random() < 0.5):
        organ = rng.choice(list(ORGAN_DYSFUNCTIONS))
    dysfunction = (ORGAN_DYSFUNCTIONS[organ][0],) if organ else ()
    r65 = {"sepsis": (), "severe sepsis": ("R65.20",), "septic shock": ("R65.21",)}[severity]
    extra = (bug,) if bug else ()
    if on_admission:
        answer = (systemic, *local_codes, *extra, *r65, *dysfunction)
    else:
        answer = (*local_codes, *extra, systemic, *r65, *dysfunction)
    before = [(local_codes[0], bug)] if bug else []
    before += [(r65[0], d) for d in dysfunction] if r65 else []
    before += [(systemic, r65[0])] if r65 else []
    age, sex = rng.randint(30, 92), _sex(rng)
    return _Draft(
        title="Hospital admission with infection",
        age=age,
        sex=sex,
        note=_sepsis_note(rng, age, sex, local, cultures, severity, organ, on_admission),
        answer=answer,
        rationale=_sepsis_rationale(answer, severity, on_admission, bug, organism),
        guideline=SEPSIS_GUIDELINE,
        free_from=1,
        before=tuple(before),
        optional=extra,
    )


def _sepsis_note(
    rng: random.Random,
    age: int,
    sex: str,
    local: str,
    cultures: str,
    severity: str,
    organ: str | None,
    on_admission: bool,
) -> str:
    phrase, signs = LOCAL_INFECTIONS[local]
    how_sick = {
        "sepsis": "no acute organ dysfunction",
        "severe sepsis": f"severe sepsis with {ORGAN_DYSFUNCTIONS[organ][1] if organ else ''} due to the sepsis",
        "septic shock": "septic shock, hypotension persisting after fluids, norepinephrine started"
        + (f", with {ORGAN_DYSFUNCTIONS[organ][1]} due to the sepsis" if organ else ""),
    }[severity]
    temp, pulse = rng.choice(("38.9", "39.4", "39.8", "38.6")), rng.randint(112, 134)
    if on_admission:
        course = (
            f"presented with {signs}; temperature {temp} C, heart rate {pulse}. "
            f"{_sentence(cultures)}. Assessment: sepsis due to {phrase}, present on "
            f"admission; {how_sick}."
        )
    else:
        course = (
            f"was admitted for {phrase} ({signs}); on arrival vital signs were stable, with no "
            f"sign of sepsis. On hospital day 2: temperature {temp} C, heart rate {pulse}. "
            f"{_sentence(cultures)}. Assessment: sepsis due to the {phrase.split(' of ')[0]}, "
            f"developed after admission; {how_sick}."
        )
    return f"Inpatient admission. {_a_person(age, sex)} {course} IV antibiotics and fluids."


def _sepsis_rationale(
    answer: tuple[str, ...], severity: str, on_admission: bool, bug: str | None, organism: str
) -> str:
    order = (
        "Sepsis present on admission with a localized infection: the systemic infection "
        "is listed first and the localized infection after it."
        if on_admission
        else "The localized infection occasioned the admission and the sepsis developed "
        "later, so the localized infection is listed first and the sepsis codes follow."
    )
    parts = [_explain(answer), order]
    if severity != "sepsis":
        parts.append(
            f"{'R65.21 (septic shock)' if severity == 'septic shock' else 'R65.20'} follows "
            "the systemic infection (its 'code first' note) and is never first; each acute "
            "organ dysfunction is added after it."
        )
    else:
        parts.append("No R65.2- code: no acute organ dysfunction is documented.")
    if organism == "unknown":
        parts.append("The organism is not identified, so the sepsis is A41.9.")
    if organism == "MRSA":
        parts.append("MRSA codes include the drug resistance, so no Z16 code is added.")
    if bug:
        parts.append(
            f"{bug} for the organism of the localized infection may be added (not required)."
        )
    return " ".join(parts)


# Burns: site -> (category, 5th character, takes a side, % of body surface range, phrase)
BURN_SITES = {
    "forearm": ("T22", "1", True, (2, 3), "{side} forearm"),
    "upper arm": ("T22", "3", True, (2, 4), "{side} upper arm"),
    "back of hand": ("T23", "6", True, (1, 2), "back of the {side} hand"),
    "palm": ("T23", "5", True, (1, 1), "{side} palm"),
    "thigh": ("T24", "1", True, (4, 9), "{side} thigh"),
    "lower leg": ("T24", "3", True, (3, 7), "{side} lower leg"),
    "foot": ("T25", "2", True, (1, 3), "{side} foot"),
    "lower limb": (
        "T24",
        "9",
        True,
        (10, 18),
        "{side} lower limb at multiple sites (thigh, knee and lower leg)",
    ),
    "chest wall": ("T21", "1", False, (4, 9), "chest wall"),
    "abdominal wall": ("T21", "2", False, (4, 9), "abdominal wall"),
    "upper back": ("T21", "3", False, (4, 9), "upper back"),
    "lower back": ("T21", "4", False, (4, 9), "lower back"),
    "forehead and cheek": ("T20", "6", False, (1, 3), "forehead and cheek"),
}
# Sites that overlap on one side: never coded twice on the same side
LEG_SITES = frozenset({"thigh", "lower leg", "lower limb"})
FLAMES = frozenset({"X00.0XX", "X03.0XX", "X04.XXX"})
BURN_DEGREES = {
    1: "first degree (erythema, no blisters)",
    2: "second degree (blistered, partial thickness)",
    3: "third degree (full thickness)",
}
# Source -> (how it happened, external cause without its 7th character, highest degree)
BURN_SOURCES = (
    ("spilled a cup of hot coffee", "X10.0XX", 2),
    ("was splashed by hot cooking oil", "X10.2XX", 3),
    ("spilled a pot of boiling water from the stove", "X12.XXX", 2),
    ("was scalded by hot bath water", "X11.0XX", 2),
    ("was burned by steam from a pressure cooker", "X13.1XX", 2),
    ("leaned against a motorcycle's hot exhaust pipe", "X17.XXX", 3),
    ("was burned by the flames of a campfire", "X03.0XX", 3),
    ("was caught in a house fire", "X00.0XX", 3),
    ("was burned when gasoline poured on a brush pile ignited", "X04.XXX", 3),
)
BURN_ENCOUNTERS = {"initial": "A", "subsequent": "D", "sequela": "S"}
BURN_SEQUELAE = {"L91.0": "a hypertrophic scar", "L90.5": "an adherent, disfiguring scar"}
BURN_GUIDELINE = (
    "ICD-10-CM Guidelines I.C.19.d (burns: a code for each site, I.C.19.d.5; the highest "
    "degree first, I.C.19.d.1.a; T31 extent: 4th character = total body surface, 5th = "
    "third-degree part, I.C.19.d.6; sequela, I.C.19.d.7; external cause of the source, "
    "I.C.19.d.9), I.C.19.a (7th character), I.C.20 (external cause never first); T20-T25 "
    "note: use additional code from T31"
)


def _burn_code(site: str, degree: int, side: str, seventh: str) -> str:
    """The burn code: category, degree, site, side (or placeholder X), 7th character."""
    category, fifth, sided, _, _ = BURN_SITES[site]
    sixth = SIDES[side] if sided else "X"
    return f"{category}.{degree}{fifth}{sixth}{seventh}"


def _tbsa_code(total: int, third: int) -> str:
    """T31 by tens: total body surface, then the third-degree part (never above the total).

    >>> _tbsa_code(3, 0), _tbsa_code(17, 13), _tbsa_code(24, 9), _tbsa_code(95, 91)
    ('T31.0', 'T31.11', 'T31.20', 'T31.99')
    """
    tens, third_tens = min(total // 10, 9), min(third // 10, 9)
    return "T31.0" if tens == 0 else f"T31.{tens}{third_tens}"


def _burns(rng: random.Random) -> _Draft:
    """Source x 1-3 sites x degree x side x encounter (A, D, S), with T31 for the extent."""
    how, cause, top = rng.choice(BURN_SOURCES)
    encounter = rng.choice(list(BURN_ENCOUNTERS))
    flames = cause in FLAMES and encounter == "initial"
    count = 1 if encounter == "sequela" else rng.choice((1, 2, 3) if flames else (1, 2, 2))
    burns = []  # (site, side, degree, percent)
    leg_sides: set[str] = set()
    for n, site in enumerate(rng.sample(sorted(BURN_SITES), count)):
        side = rng.choice(sorted(set(SIDES) - leg_sides if site in LEG_SITES else SIDES))
        side = side if BURN_SITES[site][2] else ""
        leg_sides |= {side} if site in LEG_SITES else set()
        # at least one burn beyond first degree; flames burn deep
        degree = rng.choice((2, 3, 3)) if flames else rng.randint(2 if n == 0 else 1, top)
        burns.append((site, side, degree, rng.randint(*BURN_SITES[site][3])))
    burns.sort(key=lambda b: -b[2])  # highest degree first
    seventh = BURN_ENCOUNTERS[encounter]
    codes = tuple(_burn_code(s, d, side, seventh) for s, side, d, _ in burns)
    total = sum(b[3] for b in burns if b[2] > 1)  # the extent counts partial and full thickness
    third = sum(b[3] for b in burns if b[2] == 3)
    cause_code = f"{cause}{seventh}"
    age, sex = rng.randint(3, 85), _sex(rng)
    leaders = tuple(c for c, b in zip(codes, burns, strict=True) if b[2] == burns[0][2])
    if encounter == "sequela":
        residual = rng.choice(sorted(BURN_SEQUELAE))
        answer = (residual, *codes, cause_code)
        leaders = ()
    elif encounter == "initial":
        answer = (*codes, _tbsa_code(total, third), cause_code)
    else:
        answer = (*codes, cause_code)
    return _Draft(
        title="Burn",
        age=age,
        sex=sex,
        note=_burn_note(rng, _person(age, sex), how, burns, encounter, total, third, answer[0]),
        answer=answer,
        rationale=_burn_rationale(answer, encounter, len(burns), total, third),
        guideline=BURN_GUIDELINE,
        free_from=1,
        leaders=leaders if len(leaders) > 1 else (),
    )


def _burn_site_text(site: str, side: str, degree: int) -> str:
    return f"{BURN_DEGREES[degree]} burn of the {BURN_SITES[site][4].format(side=side)}"


def _burn_note(
    rng: random.Random,
    person: str,
    how: str,
    burns: list[tuple[str, str, int, int]],
    encounter: str,
    total: int,
    third: int,
    first: str,
) -> str:
    shuffled = rng.sample(burns, len(burns))  # the note need not list the worst burn first
    sites = "; ".join(_burn_site_text(s, side, d) for s, side, d, _ in shuffled)
    if encounter == "sequela":
        site, side, degree, _ = burns[0]
        return (
            f"Plastic surgery clinic. {_article(person)} {person} who {how} a year ago, "
            f"with a {_burn_site_text(site, side, degree)} "
            f"that has healed. Assessment: {BURN_SEQUELAE[first]} of the "
            f"{BURN_SITES[site][4].format(side=side)}, a late effect of the burn. "
            "Plan: silicone sheeting and pressure garment; consider revision."
        )
    if encounter == "subsequent":
        return (
            f"Burn clinic follow-up. {_article(person)} {person} who {how} ten days ago "
            f"and was treated in the emergency department. Burns: {sites}. The wounds are "
            "healing well with new epithelium and no infection. Routine dressing change; "
            "return in one week."
        )
    extent = f"{total}% of body surface in partial- or full-thickness burns" + (
        f", of which {third}% is third degree" if third else ", none of it third degree"
    )
    return (
        f"Emergency department. {_article(person)} {person} who {how} an hour ago. Exam: "
        f"{sites}. Burn diagram: {extent}. Wounds cleansed and dressed; analgesia."
    )


def _burn_rationale(
    answer: tuple[str, ...], encounter: str, count: int, total: int, third: int
) -> str:
    parts = [_explain(answer)]
    if encounter == "sequela":
        parts.append(
            "For a late effect the residual condition is listed first, then the burn with "
            "7th character S, then the external cause with S."
        )
        return " ".join(parts)
    if count > 1:
        parts.append("Each site is coded; the burn of the highest degree is listed first.")
    if encounter == "initial":
        parts.append(
            f"T31 gives the extent: {total}% of body surface with {third}% third degree "
            "(4th character: total by tens; 5th: the third-degree part by tens; "
            "T31.0 under 10%)."
        )
    else:
        parts.append(
            "Healing burns seen for routine dressing changes take 7th character D, and so "
            "does the external cause."
        )
    parts.append("The external cause code is never listed first.")
    return " ".join(parts)


_BUILDERS: dict[str, tuple[str, Callable[[random.Random], _Draft]]] = {
    "forearm_fracture": ("injury", _forearm_fracture),
    "ankle_sprain": ("injury", _ankle_sprain),
    "diabetes_ckd": ("diabetes", _diabetes_ckd),
    "hypertension_ckd": ("hypertension", _hypertension_ckd),
    "hypertensive_heart_failure": ("hypertension", _hypertensive_heart_failure),
    "prenatal_visit": ("pregnancy", _prenatal_visit),
    "gestational_diabetes": ("pregnancy", _gestational_diabetes),
    "otitis_media": ("laterality", _otitis_media),
    "colonoscopy": ("z-codes", _colonoscopy),
    "uncertain_diagnosis": ("signs-symptoms", _uncertain_diagnosis),
    "sepsis": ("sepsis", _sepsis),
    "burns": ("burns", _burns),
}
TEMPLATES: tuple[str, ...] = tuple(_BUILDERS)
TEMPLATE_TOPICS: dict[str, str] = {name: topic for name, (topic, _) in _BUILDERS.items()}


def _reorderings(answer: tuple[str, ...], free_from: int | None) -> tuple[tuple[str, ...], ...]:
    """Other orders of the codes whose order no rule fixes (after ``free_from``).

    >>> _reorderings(("E11.22", "N18.6", "Z99.2"), 1)
    (('E11.22', 'Z99.2', 'N18.6'),)
    """
    if free_from is None or len(answer) - free_from < 2:
        return ()
    head, tail = answer[:free_from], answer[free_from:]
    return tuple(head + p for p in itertools.permutations(tail) if p != tail)


def _orders(draft: _Draft) -> list[tuple[str, ...]]:
    """Every order the rules allow, the answer key first."""
    answer = draft.answer
    if draft.free_from is None:
        return [answer]
    heads = [answer[: draft.free_from]]
    if draft.leaders and draft.free_from == 1:
        heads += [(lead,) for lead in draft.leaders if lead != answer[0]]
    found = [answer]
    for head in heads:
        rest = [c for c in answer if c not in head]
        for tail in itertools.permutations(rest):
            order = (*head, *tail)
            if order not in found and _respects(order, draft.before):
                found.append(order)
    return found


def _respects(order: tuple[str, ...], before: tuple[tuple[str, str], ...]) -> bool:
    """Does ``order`` put each ``a`` before its ``b`` (when both are listed)?

    >>> _respects(("A41.9", "R65.20", "N17.9"), (("R65.20", "N17.9"),))
    True
    >>> _respects(("A41.9", "N17.9", "R65.20"), (("R65.20", "N17.9"),))
    False
    """
    where = {code: i for i, code in enumerate(order)}
    return all(where[a] < where[b] for a, b in before if a in where and b in where)


def _validated(draft: _Draft, day: dt.date) -> _Draft:
    """The draft, once every code it assembled is billable on ``day`` (a template bug otherwise).

    >>> _validated(_Draft("t", 30, "F", "n", ("T31.2",), "r", "g"), dt.date(2026, 1, 5))
    Traceback (most recent call last):
    ...
    ValueError: template built T31.2, not valid on 2026-01-05: header not billable
    """
    for code in draft.answer:
        check = icd10cm.validate(code, day.isoformat())
        if not check.valid:
            raise ValueError(f"template built {code}, not valid on {day}: {check.reason}")
    return draft


def _alternatives(draft: _Draft) -> tuple[tuple[str, ...], ...]:
    """Other complete answers: allowed reorderings, each also without any optional codes.

    >>> draft = _Draft("t", 30, "F", "n", ("Z34.01", "Z3A.10"), "r", "g", optional=("Z3A.10",))
    >>> _alternatives(draft)
    (('Z34.01',),)
    """
    found: list[tuple[str, ...]] = []
    subsets = [
        set(drop)
        for k in range(len(draft.optional) + 1)
        for drop in itertools.combinations(draft.optional, k)
    ]
    for order in _orders(draft):
        for drop in subsets:
            key = tuple(c for c in order if c not in drop)
            if key and key != draft.answer and key not in found:
                found.append(key)
    return tuple(found)


def generate(seed: int, template: str | None = None) -> Case:
    """A generated case; the same seed and template always give the same case.

    Without a template the seed also picks one.  Raises CaseError for an
    unknown template.

    >>> generate(1, "prenatal_visit").answer[1].startswith("Z3A.")
    True
    """
    name = template or random.Random(seed).choice(TEMPLATES)
    return generate_with(random.Random(f"{name}:{seed}"), name, f"gen-{name}-{seed}")


def generate_with(rng: random.Random, template: str, case_id: str) -> Case:
    """A case from ``template`` drawn with the caller's ``rng``, named ``case_id``.

    For graded sets: the caller's generator (a course's own, derived from a secret)
    decides every slot and the date, so unlike ``generate`` nothing in the case (its
    id included) leads back to a seed anyone can replay.  Raises CaseError for an
    unknown template.

    >>> generate_with(random.Random(5), "otitis_media", "case-1").id
    'case-1'
    """
    if template not in _BUILDERS:
        raise CaseError(f"no case template {template!r}; choose from {', '.join(TEMPLATES)}")
    day = FY2026_START + dt.timedelta(days=rng.randrange(365))
    topic, build = _BUILDERS[template]
    draft = _validated(build(rng), day)
    return Case(
        id=case_id,
        topic=topic,
        title=draft.title,
        date_of_service=day.isoformat(),
        age=draft.age,
        sex=draft.sex,
        note=draft.note,
        answer=draft.answer,
        rationale=draft.rationale,
        guideline=draft.guideline,
        sequence_matters=draft.sequence_matters,
        alternatives=_alternatives(draft),
    )
