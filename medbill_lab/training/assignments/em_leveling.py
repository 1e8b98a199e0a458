"""The E/M leveling assignment for one course: five office visits written from parts.

``draw(rng)`` writes each course's five visit notes from small, reviewed parts: the
problems addressed (each worded so it names one problem kind of the AMA table),
the data (tests ordered or reviewed by name, outside records, a parent giving the
history, a tracing read by the provider), the management (each sentence one risk
example), the patient type and age, and sometimes the total time.  The expected
code and element levels come from ``medbill_lab.training.em_level``, and go only into the
instructor's hidden tests as the visit's structured facts.

Each vignette is answered on a small form (``%%answers em_leveling:v1 v1``): its code,
and for vignettes 1 and 2 each MDM element's level word, as on an E/M audit sheet.
The grader and the self-check take the form, or the code (or dict) an old course's
Python cell held.

>>> import random
>>> spec = draw_visit(random.Random(2))
>>> expected(spec).code in ("99202", "99203", "99204", "99205", "99212", "99213", "99214", "99215")
True
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass

from medbill_lab.training import answer_forms as forms
from medbill_lab.training import em_level
from medbill_lab.training.answer_forms import Field, FormAnswers, FormSpec
from medbill_lab.training.assignments import assigned, literal
from medbill_lab.training.em_level import MDM, AnswerGrade, Data, EMResult, Problem

N_VISITS = 5
WITH_ELEMENTS = (1, 2)  # vignettes that also ask for each MDM element
RX = "prescription drug management"
OTC = "over-the-counter drugs"
REST = "rest, gargles or bandages"
HOSPITAL = "decision regarding hospitalization"


@dataclass(frozen=True)
class Part:
    """One problem as the note says it, and the ways the provider may manage it."""

    kind: str
    note: str
    text: str  # a sentence ending in a full stop
    managements: tuple[tuple[str, str], ...]  # (risk example, sentence)
    ages: tuple[int, int] = (18, 85)
    sex: str = ""  # "" either, else "F" or "M"


PARTS = (
    Part("stable chronic illness", "hypertension at goal",
         "Her hypertension is at goal: blood pressure {bp_ok} today and at home.",
         ((RX, "The provider continues lisinopril at the same dose and sends refills."),)),
    Part("stable chronic illness", "hypothyroidism at goal",
         "Hypothyroidism is at goal on levothyroxine, with no symptoms.",
         ((RX, "Levothyroxine is continued unchanged, with refills sent to the pharmacy."),)),
    Part("stable chronic illness", "hyperlipidemia at goal",
         "Hyperlipidemia is at goal on atorvastatin.",
         ((RX, "Atorvastatin is continued at the same dose, with refills."),)),
    Part("stable chronic illness", "reflux controlled",
         "Gastroesophageal reflux is controlled on omeprazole; no symptoms for months.",
         ((RX, "Omeprazole is continued unchanged, with refills."),)),
    Part("chronic illness with exacerbation", "diabetes not at goal",
         "Type 2 diabetes is not at goal: the A1c is {a1c}%, against a goal below 7%.",
         ((RX, "The provider raises the metformin dose."),)),
    Part("chronic illness with exacerbation", "hypertension above goal",
         "Hypertension is above goal: {bp_high} today and at the last two visits.",
         ((RX, "The provider increases the lisinopril dose."),)),
    Part("chronic illness with exacerbation", "knee osteoarthritis worse",
         "Osteoarthritis of the right knee has been more painful over the past month.",
         ((OTC, "The provider recommends acetaminophen from the pharmacy shelf as needed."),)),
    Part("acute uncomplicated illness or injury", "ankle sprain",
         "A mild ankle sprain from a misstep yesterday; the patient can bear weight.",
         ((OTC, "The provider recommends rest, ice and over-the-counter ibuprofen."),),
         ages=(12, 70)),
    Part("acute uncomplicated illness or injury", "bladder infection",
         "An uncomplicated bladder infection: burning on urination for two days, no fever.",
         ((RX, "The provider prescribes nitrofurantoin for five days."),), ages=(18, 60), sex="F"),
    Part("acute uncomplicated illness or injury", "otitis media",
         "Acute otitis media of the left ear: a red, bulging eardrum, with no complications.",
         ((RX, "The provider prescribes amoxicillin."),), ages=(1, 4)),
    Part("self-limited or minor problem", "poison ivy rash",
         "A mild, itchy poison ivy rash on both forearms since gardening at the weekend.",
         ((OTC, "The provider recommends over-the-counter hydrocortisone cream."),
          (REST, "The provider recommends cool compresses only.")), ages=(5, 80)),
    Part("self-limited or minor problem", "common cold",
         "A common cold: runny nose and mild sore throat for three days, no fever.",
         ((REST, "The provider recommends rest, fluids and salt-water gargles."),), ages=(5, 80)),
    Part("acute illness with systemic symptoms", "pyelonephritis with fever",
         "Pyelonephritis: flank pain with a fever of {fever} and chills since yesterday.",
         ((RX, "The provider prescribes an oral antibiotic for ten days."),), ages=(18, 70)),
    Part("threat to life or bodily function", "possible heart attack",
         "Pressure-like chest pain began 40 minutes before arrival; the provider is concerned "
         "about a heart attack.",
         ((HOSPITAL, "The provider arranges immediate transfer to the hospital for admission."),),
         ages=(45, 85)),
)  # fmt: skip

# tests by name: (text, CPT family), each one unique test
TESTS = ("a lipid panel", "a TSH", "a basic metabolic panel", "a complete blood count", "an A1c")


def _fill(text: str, rng: random.Random) -> str:
    return text.format(
        bp_ok=f"{rng.randint(116, 128)}/{rng.randint(70, 79)}",
        bp_high=f"{rng.randint(148, 162)}/{rng.randint(92, 99)}",
        a1c=f"{rng.randint(81, 99) / 10:.1f}",
        fever=f"{rng.randint(386, 395) / 10:.1f} °C",
    )


def _problems(rng: random.Random) -> list[Part]:
    """One or two problems a single patient can have (ages and sex overlap)."""
    while True:
        chosen = rng.sample(PARTS, rng.choice((1, 1, 2)))
        low = max(p.ages[0] for p in chosen)
        high = min(p.ages[1] for p in chosen)
        sexes = {p.sex for p in chosen} - {""}
        threat = any(p.kind == "threat to life or bodily function" for p in chosen)
        if low <= high and len(sexes) <= 1 and not (threat and len(chosen) > 1):
            return chosen


def _data(rng: random.Random, child: bool, threat: bool, new: bool) -> tuple[dict, list[str]]:
    """The data facts and the sentences that say them."""
    facts: dict = {}
    text = []
    if threat:
        facts["independent_interpretation"] = True
        text.append(
            "He brings the ECG tracing done an hour ago at an urgent care clinic, which bills "
            "for it; the provider reads the tracing herself and finds new ST changes."
        )
        return facts, text
    if child:
        facts["independent_historian"] = True
        text.append("The child is too young to give a history; a parent gives it.")
    tests = rng.sample(TESTS, 3)
    # a toddler's visit: the parent's history, and at most a test ordered
    reviewed, ordered = (0 if child else rng.randint(0, 2)), rng.randint(0, 1)
    if reviewed:
        facts["tests_reviewed"] = reviewed
        # ordered by someone else: a test this provider ordered counts once, when ordered
        text.append(
            f"The provider reviews the results of {' and '.join(tests[:reviewed])}, "
            "ordered by another clinician and drawn last week."
        )
    if ordered:
        facts["tests_ordered"] = ordered
        text.append(f"The provider orders {tests[2]}.")
    if new and rng.random() < 0.4:
        facts["external_notes"] = 1
        text.append("The provider reviews the records sent by the previous physician.")
    if not text:
        text.append("No tests are ordered or reviewed.")
    return facts, text


def draw_visit(rng: random.Random) -> dict:
    """One visit: the note and the structured facts the key is computed from."""
    parts = _problems(rng)
    age = rng.randint(max(p.ages[0] for p in parts), min(p.ages[1] for p in parts))
    sex = next((p.sex for p in parts if p.sex), rng.choice("FM"))
    threat = parts[0].kind == "threat to life or bodily function"
    sex = "M" if threat else sex
    new = rng.random() < 0.45
    data, data_text = _data(rng, age < 5, threat, new)
    managements = [rng.choice(p.managements) for p in parts]
    minutes = None
    if rng.random() < 0.45:
        minutes = rng.randint(15, 70) if new else rng.randint(10, 50)
    who = "New patient" if new else "Established patient"
    person = {"F": "woman" if age >= 18 else "girl", "M": "man" if age >= 18 else "boy"}[sex]
    article = "an" if str(age).startswith("8") or age in (11, 18) else "a"
    text = [f"{who}, {article} {age}-year-old {person}."]
    text += [_fill(p.text, rng) for p in parts] + data_text + [m for _, m in managements]
    text.append("Nothing else is addressed.")
    if minutes is None:
        text.append("Total time is not documented.")
    else:
        text.append(f"The note documents {minutes} minutes of total time on the date of the visit.")
    note = " ".join(text)
    if sex == "M":
        note = note.replace("Her hypertension", "His hypertension")
    else:
        note = note.replace("He brings", "She brings")
    return {
        "note": note,
        "new_patient": new,
        "problems": [[p.kind, p.note] for p in parts],
        "data": data,
        "risk": sorted({r for r, _ in managements}),
        "minutes": minutes,
    }


# -- the answer forms: the code, and each MDM element's level for vignettes 1 and 2 ----------
CODE_HINT = "99202-99205 new patient, 99212-99215 established"
WORD_HINT = {
    e: ", ".join(list(words.values())[:-1]) + " or " + list(words.values())[-1]
    for e, words in em_level.ELEMENT_WORDS.items()
}


def _form(n: int) -> FormSpec:
    fields = [Field("code", f"Vignette {n} code", "code", hint=CODE_HINT)]
    if n in WITH_ELEMENTS:
        fields += [
            Field(e, f"Vignette {n} {em_level.ELEMENT_TITLES[e].lower()}", hint=WORD_HINT[e])
            for e in ("problems", "data", "risk")
        ]
    return FormSpec(f"em_leveling:v{n}", fields)


FORMS = {f"v{n}": _form(n) for n in range(1, N_VISITS + 1)}


def answer_of(answer: object) -> object:
    """What the grader and the self-check take: the code ('' when blank), or for a form
    with the MDM elements a dict of the code and each level word, as typed.  Anything
    but a form (an old course's code or dict) is returned as it is."""
    if not isinstance(answer, FormAnswers):
        return answer
    typed = {k: str(answer.get(k) or answer.raw(k)) for k in answer.entries}
    return typed if len(typed) > 1 else typed["code"]


def _magic(n: int) -> str:
    return f"%%answers em_leveling:v{n} v{n}"


def filled_form(n: int, answer: object) -> str:
    """Vignette ``n``'s answer cell filled in with ``answer`` (a code, or a dict of the code
    and the level words)."""
    values = answer if isinstance(answer, Mapping) else {"code": answer}
    return f"{_magic(n)}\n{forms.fill_form(FORMS[f'v{n}'], values)}"


def expected(spec: Mapping) -> EMResult:
    """The calculator's result for a visit's structured facts."""
    mdm = MDM(
        problems=[Problem(k, n) for k, n in spec["problems"]],
        data=Data(**spec["data"]),
        risk=list(spec["risk"]),
    )
    return em_level.level(spec["new_patient"], mdm, spec["minutes"])


def grade(spec: Mapping, code: object, elements: Mapping | None = None) -> AnswerGrade:
    """Grade one vignette's answer against its facts (see ``em_level.grade_answer``).

    ``code`` and ``elements`` may be the vignette's form (``v1["code"], v1`` or ``v3``)."""
    if isinstance(code, FormAnswers):
        code = answer_of(code)
        code = code.get("code", "") if isinstance(code, dict) else code
    if isinstance(elements, FormAnswers):
        elements = answer_of(elements)
        elements = elements if isinstance(elements, dict) else {}
    return em_level.grade_answer(expected(spec), code, elements)


def self_check(n: int, answer: object, elements: bool = False) -> str:
    """What vignette ``n``'s test cell says before grading: the answer's format, no grade.

    ``answer`` is a code, or (``elements``) a dict with the code and each MDM
    element's level word.  AssertionError (the cell fails, and would score 0) for a
    dict that is not one or a code that is not an office visit; a level word that is
    not one gets a line saying it would score 0.

    >>> print(self_check(3, " 99213"))
    Vignette 3: 99213 is an office visit code.
    >>> print(self_check(1, {"code": "99214", "problems": "low", "data": "lots", "risk": "low"}, True))
    Check this before you submit (it would score 0): data: 'lots' is not a level word; use "minimal or none", "limited", "moderate", "extensive"
    Vignette 1: 99214 is an office visit code.
    """
    answer = answer_of(answer)
    if elements and not isinstance(answer, dict):
        raise AssertionError(f"v{n} must stay a dict with code, problems, data, risk")
    given = answer if isinstance(answer, dict) and elements else {"code": answer}
    code = given.get("code")
    office = em_level.CODES[True] + em_level.CODES[False]
    if not (isinstance(code, str) and code.strip() in office):
        raise AssertionError(
            f"Type one office visit code, 99202-99205 or 99212-99215; got {code!r}"
        )
    lines = []
    for element in ("problems", "data", "risk") if elements else ():
        try:
            em_level.element_level(element, given.get(element, ""))
        except ValueError as problem:
            lines.append(f"Check this before you submit (it would score 0): {problem}")
    return "\n".join([*lines, f"Vignette {n}: {code.strip()} is an office visit code."])


def _varied(visits: list[dict]) -> bool:
    codes = [expected(v).code for v in visits]
    return (
        len(set(codes)) >= 3
        and any(v["new_patient"] for v in visits)
        and not all(v["new_patient"] for v in visits)
        and any(v["minutes"] for v in visits)
    )


def draw(rng: random.Random) -> dict[str, str]:
    """The template's values for one course: five notes, model answers and keys."""
    while True:
        visits = [draw_visit(rng) for _ in range(N_VISITS)]
        if _varied(visits):
            break
    values = {}
    for i, visit in enumerate(visits, 1):
        result = expected(visit)
        key = {k: visit[k] for k in ("new_patient", "problems", "data", "risk", "minutes")}
        values[f"v{i}_note"] = visit["note"]
        values[f"v{i}_key"] = literal(key)
        answer: object = result.code
        if i in WITH_ELEMENTS:
            answer = {"code": result.code, **{e.name: e.word for e in result.elements}}
        values[f"v{i}_solution"] = forms.fill_form(
            FORMS[f"v{i}"], answer if isinstance(answer, dict) else {"code": answer}
        )
    return values


# -- a partly right sample submission (course demo) -----------------------------------------
def _other_family(code: str) -> str:
    new, est = em_level.CODES[True], em_level.CODES[False]
    return est[new.index(code)] if code in new else new[est.index(code)]


def _one_off(code: str) -> str:
    family = em_level.CODES[code in em_level.CODES[True]]
    i = family.index(code)
    return family[i - 1] if i else family[i + 1]


def partial(correct: Mapping[str, str]) -> dict[str, str]:
    """Partly right answers from the course's own: a wrong element, a wrong family,
    one right code, one blank and one a level off.

    Written on the forms (or in Python, for a course made before the forms)."""
    is_form = correct["answer_v1"].lstrip().startswith("%%answers")

    def model(n: int) -> object:
        source = correct[f"answer_v{n}"]
        if is_form:
            return answer_of(forms.parse(FORMS[f"v{n}"], source))
        return assigned(source, f"v{n}")

    v1, v2 = model(1), model(2)
    words = em_level.ELEMENT_WORDS["problems"]
    v1["problems"] = next(w for w in words.values() if w != v1["problems"])
    v2["code"] = _other_family(v2["code"])
    v5 = _one_off(model(5))
    if is_form:
        return {"answer_v1": filled_form(1, v1), "answer_v2": filled_form(2, v2),
                "answer_v4": filled_form(4, ""), "answer_v5": filled_form(5, v5)}  # fmt: skip
    return {
        "answer_v1": f"v1 = {literal(v1)}",
        "answer_v2": f"v2 = {literal(v2)}",
        "answer_v4": 'v4 = ""',
        "answer_v5": f"v5 = {v5!r}",
    }
