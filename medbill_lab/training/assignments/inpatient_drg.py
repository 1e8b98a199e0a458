"""The inpatient coding assignment for one course: four hospital stays drawn afresh,
coded by the learner and grouped to an MS-DRG with the real grouper.

``draw(rng)`` draws four stays from eight kinds of admission (pneumonia, COPD, heart
failure with hypertension (and CKD), cholecystitis with cholecystectomy, appendicitis
with appendectomy, hip fracture repair, sepsis, cellulitis).  Each stay is drawn as a
whole: the patient's age and sex, the dates, the side, the approach, the variant of the
principal diagnosis, which chronic conditions the physician documents and treats, and
which acute conditions appear and whether they were present on admission or began in
the hospital (POA Y or N).  The discharge summary is written from those choices, the
answer follows from them by the ICD-10-CM/PCS guidelines, and the expected DRG is
grouped from the answer with ``msdrg`` (never written by hand).  None of the stays is
one of the public practice cases in ``datasets/inpatient_cases``; the answer key goes
only into the instructor's hidden tests, which grade with
:func:`medbill_lab.training.inpatient.grade` (principal, each secondary and its POA,
PCS axis by axis, the DRG regrouped from the learner's codes).

Residual risk, as for the outpatient coding cases: this generator ships in the
package, so a student who reads it learns which words lead to which code -- which is
the coding itself; the course's secret decides the draw, and no seed or case id is
released.

>>> import random
>>> stays = draw_stays(random.Random(2))
>>> len(stays), len({s.topic for s in stays})
(4, 4)
>>> all(inpatient.grade(s, s.answer).percent == 100.0 for s in stays)
True
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from medbill_lab.codes import drg, icd10cm, icd10pcs
from medbill_lab.training import answer_forms as forms
from medbill_lab.training import inpatient
from medbill_lab.training.answer_forms import Field, FormAnswers, FormSpec
from medbill_lab.training.assignments import PartScore, assigned, earned, literal

N_CASES = 4
CASE_POINTS = 5
FIRST_DAY = dt.date(2025, 10, 1)  # FY2026 (MS-DRG v43): every discharge falls in it
LAST_DISCHARGE = dt.date(2026, 9, 25)
ADMISSION_TYPES = {"1": "through the emergency department", "3": "as a scheduled admission"}
STATUS_WORDS = {
    "01": "home (discharge status 01)",
    "06": "home with home health nursing (discharge status 06)",
    "03": "to a skilled nursing facility for rehabilitation (discharge status 03)",
    "62": "to an inpatient rehabilitation facility (discharge status 62)",
}
SEX_WORDS = {"F": ("woman", "she", "her"), "M": ("man", "he", "his")}


@dataclass(frozen=True)
class Finding:
    """A documented condition: its sentence and the codes it supports (code, POA)."""

    text: str
    codes: tuple[tuple[str, str], ...]


@dataclass
class Stay:
    """What a kind of admission contributes to one drawn stay."""

    topic: str
    reason: str  # why the patient came in, for the title (no code named)
    admitting: str  # the admitting diagnosis (FL 69 on the UB-04)
    principal: str
    paragraphs: list[str]
    secondary: list[tuple[str, str]] = field(default_factory=list)
    procedures: list[tuple[str, int]] = field(default_factory=list)  # (PCS, hospital day)
    optional: list[dict] = field(default_factory=list)
    chronic: tuple[str, ...] = ()
    acute: tuple[str, ...] = ()
    guidelines: tuple[str, ...] = ("II", "III", "Appendix I")
    los: tuple[int, int] = (2, 5)
    admission_type: str = "1"
    statuses: tuple[str, ...] = ("01", "01", "06")
    surgeon: bool = False


# -- conditions a stay may carry ----------------------------------------------------------------
def _chronic(key: str, rng: random.Random) -> Finding:
    """A chronic condition present on admission, documented and treated or monitored."""
    if key == "htn":
        drug = rng.choice(("amlodipine", "lisinopril", "losartan"))
        return Finding(f"Essential hypertension: home {drug} was continued.", (("I10", "Y"),))
    if key == "dm":
        return Finding(
            "Type 2 diabetes mellitus without complications, on metformin at home: glucose "
            "was checked before meals with sliding-scale insulin, and metformin was resumed "
            "at discharge.",
            (("E11.9", "Y"), ("Z79.84", "")),
        )
    if key == "hld":
        drug = rng.choice(("atorvastatin", "rosuvastatin", "simvastatin"))
        return Finding(f"Hyperlipidemia: {drug} was continued.", (("E78.5", "Y"),))
    if key == "hypothyroid":
        return Finding(
            "Hypothyroidism: levothyroxine was continued; TSH was normal.", (("E03.9", "Y"),)
        )
    if key == "gerd":
        return Finding(
            "Gastroesophageal reflux disease without esophagitis: omeprazole was continued.",
            (("K21.9", "Y"),),
        )
    if key == "osa":
        return Finding(
            "Obstructive sleep apnea: the patient used the home CPAP machine each night.",
            (("G47.33", "Y"),),
        )
    if key == "afib":
        return Finding(
            "Paroxysmal atrial fibrillation, in sinus rhythm throughout: long-term apixaban "
            "was managed by the team and continued at discharge.",
            (("I48.0", "Y"), ("Z79.01", "")),
        )
    if key == "smoker":
        packs = rng.choice(("half a pack", "a pack", "two packs"))
        return Finding(
            f"Nicotine dependence: smokes {packs} of cigarettes a day; a nicotine patch was "
            "given and cessation counselling provided.",
            (("F17.210", "Y"),),
        )
    if key == "ex_smoker":
        years = rng.randint(3, 25)
        return Finding(
            f"Former cigarette smoker, nicotine dependent until quitting {years} years ago; "
            "the history was weighed in the respiratory plan.",
            (("Z87.891", ""),),
        )
    raise KeyError(key)


def _acute(key: str, rng: random.Random, los: int) -> Finding:
    """An acute condition the physician documents and treats: on admission, or later."""
    later = rng.random() < 0.5 and los >= 2
    day = rng.randint(2, max(2, los)) if later else 1
    if key == "hyponatremia":
        if later:
            text = (
                f"On hospital day {day} the sodium fell to {rng.randint(126, 129)} mmol/L after "
                "a normal value on admission; the physician documented hyponatremia, treated "
                "with fluid restriction."
            )
        else:
            text = (
                f"The sodium was {rng.randint(124, 129)} mmol/L on arrival; the physician "
                "documented hyponatremia, which corrected with fluid restriction."
            )
        return Finding(text, (("E87.1", "N" if later else "Y"),))
    if key == "aki":
        base = rng.choice(("0.8", "0.9", "1.0"))
        if later:
            text = (
                f"On hospital day {day} the creatinine rose from a baseline of {base} to "
                f"{rng.choice(('1.9', '2.1', '2.4'))} mg/dL; the physician diagnosed acute "
                "kidney injury that began after admission, and it improved with fluids."
            )
        else:
            text = (
                f"The creatinine was {rng.choice(('2.0', '2.3', '2.6'))} mg/dL on arrival "
                f"against a baseline of {base}; the physician diagnosed acute kidney injury, "
                "which improved with intravenous fluids."
            )
        return Finding(text, (("N17.9", "N" if later else "Y"),))
    if key == "hypokalemia":
        value = rng.choice(("2.9", "3.0", "3.1"))
        if later:
            text = (
                f"On hospital day {day} the potassium dropped to {value} mmol/L; the physician "
                "documented hypokalemia and replaced potassium by mouth."
            )
        else:
            text = (
                f"The potassium was {value} mmol/L on arrival; the physician documented "
                "hypokalemia and replaced it intravenously."
            )
        return Finding(text, (("E87.6", "N" if later else "Y"),))
    if key == "dehydration":
        return Finding(
            "On arrival the mucous membranes were dry and the patient was orthostatic; the "
            "physician documented dehydration, treated with intravenous fluids.",
            (("E86.0", "Y"),),
        )
    if key == "blood_loss":
        day = rng.randint(2, max(2, los))
        hb = rng.choice(("7.4", "7.8", "8.1"))
        return Finding(
            f"On hospital day {day}, after surgery, the hemoglobin fell to {hb} g/dL; the "
            "physician documented acute blood loss anemia and monitored it with serial counts.",
            (("D62", "N"),),
        )
    raise KeyError(key)


# -- the kinds of admission ------------------------------------------------------------------
def _pneumonia(rng: random.Random, w: tuple[str, str, str]) -> Stay:
    lobar = rng.random() < 0.4
    side = rng.choice(("right lower", "left lower", "right middle"))
    final = (
        f"lobar pneumonia of the {side} lobe, organism not identified"
        if lobar
        else "community-acquired pneumonia, organism not identified"
    )
    return Stay(
        topic="pneumonia",
        reason="cough, fever and shortness of breath",
        admitting="R50.9",
        principal="J18.1" if lobar else "J18.9",
        paragraphs=[
            f"The patient came to the emergency department with {rng.randint(2, 6)} days of "
            f"productive cough, fever to {rng.choice(('38.6', '38.9', '39.2'))} C and shortness "
            f"of breath. A chest X-ray showed consolidation of the {side} lobe. Blood and sputum "
            "cultures grew no pathogen. Intravenous ceftriaxone and azithromycin were started.",
            f"Final diagnosis: {final}.",
        ],
        chronic=("htn", "dm", "hld", "hypothyroid", "gerd", "osa", "afib", "smoker"),
        acute=("hyponatremia", "aki", "hypokalemia", "dehydration"),
        guidelines=("II", "III", "I.C.10", "Appendix I"),
    )


def _copd(rng: random.Random, w: tuple[str, str, str]) -> Stay:
    # J44 says "use additional code" for the tobacco use or history: always documented here
    tobacco = _chronic(rng.choice(("smoker", "ex_smoker")), rng)
    return Stay(
        topic="copd",
        reason="worsening shortness of breath and wheezing",
        admitting="R06.02",
        principal="J44.1",
        paragraphs=[
            f"The patient, known to have chronic obstructive pulmonary disease, came in with "
            f"{rng.randint(2, 5)} days of increasing shortness of breath, wheezing and more "
            "sputum than usual. The chest X-ray showed hyperinflation without an infiltrate. "
            "Nebulized bronchodilators and oral prednisone were given.",
            "Final diagnosis: acute exacerbation of chronic obstructive pulmonary disease; no "
            "pneumonia or other lower respiratory infection.",
            tobacco.text,
        ],
        secondary=list(tobacco.codes),
        chronic=("htn", "dm", "hld", "gerd", "osa", "hypothyroid"),
        acute=("hyponatremia", "hypokalemia"),
        guidelines=("II", "III", "I.C.10.a", "Appendix I"),
    )


def _heart_failure(rng: random.Random, w: tuple[str, str, str]) -> Stay:
    kind, hf = rng.choice(
        (
            ("acute on chronic systolic (reduced ejection fraction)", "I50.23"),
            ("acute on chronic diastolic (preserved ejection fraction)", "I50.33"),
            ("acute systolic (reduced ejection fraction)", "I50.21"),
            ("acute diastolic (preserved ejection fraction)", "I50.31"),
        )
    )
    ckd = rng.choice((None, None, ("3a", "N18.31"), ("3b", "N18.32"), ("4", "N18.4")))
    paragraphs = [
        f"The patient came in with {rng.randint(3, 10)} days of worsening shortness of breath, "
        f"orthopnea and leg swelling, with a weight gain of {rng.randint(2, 6)} kg. BNP was "
        f"raised and the chest X-ray showed pulmonary congestion. Intravenous furosemide was "
        f"given and {w[1]} was discharged back at {w[2]} usual dry weight.",
        f"Final diagnosis: {kind} heart failure. The patient has long-standing hypertension, "
        "treated with carvedilol and lisinopril, both continued.",
    ]
    secondary = [(hf, "Y")]
    chronic: tuple[str, ...] = ("hld", "hypothyroid", "gerd", "afib", "osa", "dm")
    guidelines: tuple[str, ...] = ("II", "I.C.9.a.1", "III", "Appendix I")
    if ckd:
        paragraphs.append(
            f"Chronic kidney disease stage {ckd[0]}: renal function was followed daily during "
            "diuresis."
        )
        secondary.append((ckd[1], "Y"))
        chronic = tuple(c for c in chronic if c != "dm")  # diabetes with CKD is another lesson
        guidelines = ("II", "I.C.9.a.3", "III", "Appendix I")
    return Stay(
        topic="heart-failure",
        reason="shortness of breath and leg swelling",
        admitting="R06.00",
        principal="I13.0" if ckd else "I11.0",
        paragraphs=paragraphs,
        secondary=secondary,
        chronic=chronic,
        acute=("hyponatremia", "hypokalemia", "aki"),
        guidelines=guidelines,
        los=(3, 6),
    )


def _cholecystectomy(rng: random.Random, w: tuple[str, str, str]) -> Stay:
    found, pdx = rng.choice(
        (
            ("acute cholecystitis with gallstones, without obstruction of the ducts", "K80.00"),
            ("acute and chronic cholecystitis with gallstones, without obstruction", "K80.12"),
            ("acute cholecystitis without gallstones (acalculous)", "K81.0"),
        )
    )
    open_ = rng.random() < 0.3
    how = (
        "through a right subcostal incision (an open operation, planned because of earlier "
        "upper abdominal surgery)"
        if open_
        else "laparoscopically through four ports"
    )
    return Stay(
        topic="cholecystectomy",
        reason="right upper abdominal pain",
        admitting="R10.11",
        principal=pdx,
        paragraphs=[
            f"The patient had {rng.randint(1, 3)} days of right upper quadrant pain with fever "
            "and a positive Murphy sign. Ultrasound showed a thickened gallbladder wall; the "
            "bile ducts were not dilated and the bilirubin was normal.",
            f"On hospital day 2 the surgeon removed the whole gallbladder {how}. Pathology: "
            f"{found}.",
        ],
        procedures=[("0FT40ZZ" if open_ else "0FT44ZZ", 2)],
        chronic=("htn", "dm", "hld", "gerd", "osa", "hypothyroid", "smoker"),
        acute=("hypokalemia", "hyponatremia"),
        guidelines=("II", "I.B.9", "III", "PCS B3.1a", "PCS B5.2"),
        los=(2, 4),
        statuses=("01",),
        surgeon=True,
    )


def _appendectomy(rng: random.Random, w: tuple[str, str, str]) -> Stay:
    found, pdx = rng.choice(
        (
            ("acute appendicitis", "K35.80"),
            ("acute appendicitis with localized peritonitis, without perforation or gangrene",
             "K35.30"),
            ("acute gangrenous appendicitis with perforation and localized peritonitis, "
             "without abscess", "K35.32"),
        )
    )  # fmt: skip
    open_ = rng.random() < 0.3
    how = "through a right lower quadrant incision (open)" if open_ else "laparoscopically"
    return Stay(
        topic="appendectomy",
        reason="right lower abdominal pain",
        admitting="R10.31",
        principal=pdx,
        paragraphs=[
            f"The patient had {rng.randint(12, 40)} hours of pain that began around the navel "
            "and moved to the right lower quadrant, with nausea and a low fever. CT showed an "
            "inflamed appendix.",
            f"On the day of admission the surgeon removed the appendix {how}. The surgeon's "
            f"and the pathologist's final diagnosis: {found}.",
        ],
        procedures=[("0DTJ0ZZ" if open_ else "0DTJ4ZZ", 1)],
        chronic=("htn", "hld", "hypothyroid", "gerd", "smoker"),
        acute=("dehydration", "hypokalemia", "hyponatremia"),
        guidelines=("II", "III", "PCS B3.1a", "PCS B5.2"),
        los=(1, 4),
        statuses=("01",),
        surgeon=True,
    )


def _hip_fracture(rng: random.Random, w: tuple[str, str, str]) -> Stay:
    right = rng.random() < 0.5
    side = "right" if right else "left"
    if rng.random() < 0.5:
        cemented = rng.random() < 0.6
        found = f"displaced midcervical fracture of the {side} femoral neck"
        pdx = "S72.031A" if right else "S72.032A"
        pcs = ("0SRR0" if right else "0SRS0") + ("19" if cemented else "1A")
        repair = (
            f"a {side} hip hemiarthroplasty: the femoral head and neck were replaced with a "
            f"metal prosthesis, {'cemented' if cemented else 'press-fit without cement'}, "
            "through an open approach"
        )
        root_rule = "PCS B3.1a"  # Replacement, by the root operation's full definition
    else:
        found = f"displaced intertrochanteric fracture of the {side} femur"
        pdx = "S72.141A" if right else "S72.142A"
        pcs = "0QS636Z" if right else "0QS736Z"
        repair = (
            "closed reduction and fixation with an intramedullary nail inserted through "
            f"small incisions (percutaneous) into the {side} upper femur"
        )
        root_rule = "PCS B3.15"  # reduction of a displaced fracture is Reposition
    return Stay(
        topic="hip-fracture",
        reason=f"a fall at home with {side} hip pain",
        admitting="M25.551" if right else "M25.552",
        principal=pdx,
        paragraphs=[
            f"The patient fell at home and could not stand, with a shortened, externally "
            f"rotated {side} leg. X-rays showed a {found}; the fracture was closed.",
            f"On hospital day 2 the orthopedic surgeon performed {repair}.",
        ],
        procedures=[(pcs, 2)],
        # the fall at home came before the inpatient order: Y (Appendix I, external causes;
        # a fall's initial encounter is not on the POA-exempt list)
        optional=[{"code": "W19.XXXA", "poa": "Y"}, {"code": "Y92.009", "poa": ""}],
        chronic=("htn", "dm", "hld", "hypothyroid", "afib", "gerd"),
        acute=("blood_loss", "hyponatremia", "hypokalemia"),
        guidelines=("II", "I.C.19.a", "I.C.19.c", "III", root_rule, "PCS B6.1a"),
        los=(3, 6),
        statuses=("03", "62", "06"),
        surgeon=True,
    )


def _sepsis(rng: random.Random, w: tuple[str, str, str]) -> Stay:
    uti = rng.random() < 0.5
    severe = rng.random() < 0.5
    source = (
        "a urinary tract infection; urine and blood cultures grew Escherichia coli"
        if uti
        else "pneumonia of the right lower lobe; cultures grew no organism"
    )
    what = "severe sepsis with acute kidney injury due to the sepsis" if severe else "sepsis"
    secondary = [("N39.0", "Y")] if uti else [("J18.9", "Y")]
    if severe:
        secondary += [("R65.20", "Y"), ("N17.9", "Y")]
    return Stay(
        topic="sepsis",
        reason="fever, confusion and a fast heart rate",
        admitting="R50.9",
        principal="A41.51" if uti else "A41.9",
        paragraphs=[
            f"The patient came in with fever to {rng.choice(('38.8', '39.4', '39.9'))} C, a "
            f"heart rate of {rng.randint(112, 134)}, a respiratory rate of {rng.randint(23, 30)} "
            f"and new confusion. Lactate was {rng.choice(('2.6', '3.1', '3.4'))} mmol/L. The "
            f"source was {source}. Intravenous antibiotics and fluids were started in the "
            "emergency department; blood pressure held without vasopressors."
            + (
                f" The creatinine was {rng.choice(('2.2', '2.5'))} mg/dL on arrival and improved "
                "with treatment."
                if severe
                else ""
            ),
            f"Final diagnosis: {what}, present on admission, due to "
            + ("an E. coli urinary tract infection." if uti else "pneumonia."),
        ],
        secondary=secondary,
        optional=[{"code": "B96.20", "poa": "Y"}] if uti else [],
        chronic=("htn", "dm", "hld", "hypothyroid", "afib", "gerd"),
        acute=("hyponatremia", "hypokalemia"),
        guidelines=("II", "I.C.1.d.4", "I.C.1.d.1.b" if severe else "I.C.1.d.1.a", "III"),
        los=(3, 6),
    )


def _cellulitis(rng: random.Random, w: tuple[str, str, str]) -> Stay:
    right = rng.random() < 0.5
    side = "right" if right else "left"
    return Stay(
        topic="cellulitis",
        reason=f"a red, swollen {side} leg",
        admitting="L03.115" if right else "L03.116",
        principal="L03.115" if right else "L03.116",
        paragraphs=[
            f"The patient had {rng.randint(2, 5)} days of spreading redness, warmth and swelling "
            f"of the {side} lower leg with fever. Ultrasound showed no abscess and no deep vein "
            "thrombosis. Intravenous cefazolin was given and the redness receded.",
            f"Final diagnosis: cellulitis of the {side} lower leg.",
        ],
        chronic=("htn", "dm", "hld", "hypothyroid", "osa", "gerd"),
        acute=("hypokalemia", "hyponatremia", "aki"),
        guidelines=("II", "I.B.13", "III", "Appendix I"),
        los=(2, 5),
    )


KINDS: dict[str, Callable[[random.Random, tuple[str, str, str]], Stay]] = {
    "pneumonia": _pneumonia,
    "copd": _copd,
    "heart-failure": _heart_failure,
    "cholecystectomy": _cholecystectomy,
    "appendectomy": _appendectomy,
    "hip-fracture": _hip_fracture,
    "sepsis": _sepsis,
    "cellulitis": _cellulitis,
}
AGES = {"appendectomy": (18, 72), "cholecystectomy": (28, 82), "hip-fracture": (68, 94)}


# -- drawing one stay ------------------------------------------------------------------------
def _dates(rng: random.Random, los: int) -> tuple[dt.date, dt.date]:
    span = (LAST_DISCHARGE - FIRST_DAY).days - los
    admitted = FIRST_DAY + dt.timedelta(days=rng.randrange(span))
    return admitted, admitted + dt.timedelta(days=los)


def draw_stay(rng: random.Random, kind: str, case_id: str) -> tuple[dict, dict]:
    """One stay of ``kind`` as inpatient case data (its answer grouped), and its facts.

    The facts carry what a UB-04 needs beyond the case: the admitting diagnosis, the
    procedure dates, whether a surgeon operated, and the admission hour.
    """
    low, high = AGES.get(kind, (45, 90))
    age = rng.randint(low, high)
    sex = rng.choice("FM")
    words = SEX_WORDS[sex]
    stay = KINDS[kind](rng, words)
    los = rng.randint(*stay.los)
    admitted, discharged = _dates(rng, los)
    chronic = rng.sample(stay.chronic, rng.randint(1, min(3, len(stay.chronic))))
    acute = rng.sample(stay.acute, rng.randint(0, min(2, len(stay.acute))))
    findings = [_acute(k, rng, los) for k in acute] + [_chronic(k, rng) for k in chronic]
    secondary = list(stay.secondary)
    for f in findings:
        secondary += [c for c in f.codes if c[0] not in {s[0] for s in secondary}]
    procedures = [
        {"code": code, "date": (admitted + dt.timedelta(days=day - 1)).isoformat()}
        for code, day in stay.procedures
    ]
    status = rng.choice(stay.statuses)
    noun, _, _ = words
    course_lines = " ".join(f.text for f in rng.sample(findings, len(findings)))
    summary = "\n\n".join(
        [
            f"A {age}-year-old {noun} admitted {ADMISSION_TYPES[stay.admission_type]} with "
            f"{stay.reason}.",
            *stay.paragraphs,
            *([f"Other conditions this stay: {course_lines}"] if course_lines else []),
            f"Discharged on hospital day {los + 1}, {STATUS_WORDS[status]}.",
        ]
    )
    answer = {
        "principal": {"code": stay.principal, "poa": "Y"},
        "secondary": [{"code": c, "poa": p} for c, p in secondary],
        "procedures": procedures,
        "drg": "",
    }
    data = {
        "id": case_id,
        "topic": stay.topic,
        "title": f"Admission for {stay.reason}",
        "age": age,
        "sex": sex,
        "admission_type": stay.admission_type,
        "admission_source": "1",
        "admission_date": admitted.isoformat(),
        "discharge_date": discharged.isoformat(),
        "discharge_status": status,
        "summary": summary,
        "answer": answer,
        "optional": stay.optional,
        "guidelines": list(stay.guidelines),
    }
    case = inpatient.InpatientCase.from_dict(data)
    grouped = inpatient.group_answer(case, case.answer)
    data["answer"]["drg"] = grouped.drg
    data["rationale"] = f"Groups to MS-DRG {grouped.drg} ({grouped.title}) with msdrg v43."
    facts = {
        "admitting": stay.admitting,
        "surgeon": stay.surgeon,
        "admission_hour": rng.randint(0, 23) if stay.admission_type == "1" else 7,
        "discharge_hour": rng.randint(10, 15),
    }
    return data, facts


def draw_stays(rng: random.Random, n: int = N_CASES) -> list[inpatient.InpatientCase]:
    """``n`` stays of distinct kinds, every choice made by ``rng``; ids case-1 ... case-n."""
    kinds = rng.sample(sorted(KINDS), n)
    return [
        inpatient.InpatientCase.from_dict(draw_stay(rng, k, f"case-{i}")[0])
        for i, k in enumerate(kinds, 1)
    ]


# -- the template's values -------------------------------------------------------------------
def _label(i: int) -> str:
    return f"case {i}"


def _coded(case: inpatient.InpatientCase) -> dict:
    """A case's answer as a learner types it: 'CODE:POA' (just 'CODE' when POA is blank)."""
    a = case.answer
    return {
        "principal": a.principal.code,
        "secondary": [f"{d.code}:{d.poa}" if d.poa else d.code for d in a.secondary],
        "procedures": [p.code for p in a.procedures],
    }


def _markdown(i: int, case: inpatient.InpatientCase) -> str:
    noun = SEX_WORDS[case.sex][0]
    kind = {"1": "emergency (type 1)", "3": "elective (type 3)"}[case.admission_type]
    paragraphs = "\n>\n> ".join(case.summary.split("\n\n"))
    return (
        f"### Case {i}: {case.title.lower().replace('admission for ', 'admitted with ')}\n\n"
        f"*Patient:* {case.age}-year-old {noun} &middot; *Admitted:* {case.admission_date}, "
        f"{kind}, from home &middot; *Discharged:* {case.discharge_date}, status "
        f"{case.discharge_status}\n\n> **Discharge summary.** {paragraphs}"
    )


def _check_info(i: int, case: inpatient.InpatientCase) -> dict:
    """What a case's self-check needs, all of it shown in the case: no answer."""
    return {
        "case": _label(i),
        "age": case.age,
        "sex": case.sex,
        "discharge_status": case.discharge_status,
        "discharge_date": case.discharge_date,
    }


def draw(rng: random.Random) -> dict[str, str]:
    """The template's values for one course: four stays, the model answers and the keys."""
    kinds = rng.sample(sorted(KINDS), N_CASES)
    datas = [draw_stay(rng, k, f"case-{i}")[0] for i, k in enumerate(kinds, 1)]
    cases = [inpatient.InpatientCase.from_dict(d) for d in datas]
    values = {
        "cases": "\n\n".join(_markdown(i, c) for i, c in enumerate(cases, 1)),
        "solution": forms.fill_form(FORM, form_values({_label(i): _coded(c) for i, c in
                                                       enumerate(cases, 1)})),
    }  # fmt: skip
    for i, (case, data) in enumerate(zip(cases, datas, strict=True), 1):
        values[f"case_{i}_check"] = repr(_check_info(i, case))
        values[f"case_{i}_key"] = repr({"case": _label(i), **data})  # one line: hidden tests
    return values


# -- the answer form: one block per stay, as on an inpatient abstract ------------------------
MAGIC = "%%answers inpatient_drg"
POA_HINT = "each code then its POA, comma between"


def _case_fields(i: int) -> list[Field]:
    group = f"Case {i}: the principal diagnosis, the secondary diagnoses with POA, the procedures"
    return [
        Field(f"{i}_principal", f"Case {i} principal diagnosis", "code", group=group),
        Field(f"{i}_secondary", f"Case {i} secondary diagnoses", group=group, hint=POA_HINT),
        Field(f"{i}_procedures", f"Case {i} ICD-10-PCS procedures, principal first", "codes",
              group=group),
    ]  # fmt: skip


FORM = FormSpec(
    "inpatient_drg",
    [f for i in range(1, N_CASES + 1) for f in _case_fields(i)],
    title="Inpatient coding: write each value after its colon; leave a line blank when none",
)


# a word that starts an ICD-10-CM code (a letter, a digit, then more): never a POA indicator
_CODE_START = re.compile(r"[A-Z]\d[0-9A-Z]")


def _secondary(text: str) -> list[str]:
    """'I48.91 Y, Z79.4' as the grader reads it: ['I48.91:Y', 'Z79.4'] (a POA after the
    code, after a space or a colon; none for a POA-exempt code).

    Each code starts an entry, so codes with only spaces between are all kept (a code
    is never read as the POA of the one before it); the first other word after a code
    is its POA (a further one is left out, as before).

    >>> _secondary("i48.91 y; d64.9:N, Z79.4,")
    ['I48.91:Y', 'D64.9:N', 'Z79.4']
    >>> _secondary("I48.91 Y D64.9 N Z79.4"), _secondary("E87.1 I48.91")
    (['I48.91:Y', 'D64.9:N', 'Z79.4'], ['E87.1', 'I48.91'])
    """
    out: list[str] = []
    for item in text.replace(";", ",").split(","):
        open_entry = False  # the last entry is a code still without its POA
        for n, word in enumerate(item.replace(":", " ").upper().split()):
            if n == 0 or _CODE_START.match(word):
                out.append(word)
                open_entry = True
            elif open_entry:
                out[-1] += f":{word}"
                open_entry = False
    return out


def _principal(text: str) -> str:
    """The principal diagnosis as typed, upper case; a POA indicator after it (the
    principal has one on a claim, but it is not graded here) is left out, never run
    into the code ('J18.9 Y' is J18.9, not J18.9Y).

    >>> _principal("j18.9 y"), _principal("J18.9:N"), _principal("J18.9"), _principal("J 18.9")
    ('J18.9', 'J18.9', 'J18.9', 'J18.9')
    """
    words = text.replace(":", " ").upper().split()
    if len(words) == 2 and words[1] in (*inpatient.POA_VALUES, "1"):
        words = words[:1]
    return "".join(words)


def answers_from(form: FormAnswers) -> dict:
    """The ``{"case 1": {"principal", "secondary", "procedures"}}`` the grader takes,
    from the form (a case left blank is an empty dict, which scores 0)."""
    out: dict = {}
    for i in range(1, N_CASES + 1):
        if not any(form.raw(f"{i}_{k}") for k in ("principal", "secondary", "procedures")):
            out[_label(i)] = {}
            continue
        out[_label(i)] = {
            "principal": _principal(form.raw(f"{i}_principal")),
            "secondary": _secondary(form.raw(f"{i}_secondary")),
            "procedures": list(form.get(f"{i}_procedures", [])),
        }
    return out


def form_values(answers: Mapping) -> dict[str, object]:
    """The form's values that say ``answers`` (the inverse of :func:`answers_from`)."""
    values: dict[str, object] = {}
    for i in range(1, N_CASES + 1):
        coded = answers.get(_label(i)) or {}
        secondary = [s.replace(":", " ") for s in coded.get("secondary", [])]
        values |= {f"{i}_principal": coded.get("principal", ""),
                   f"{i}_secondary": ", ".join(secondary),
                   f"{i}_procedures": list(coded.get("procedures", []))}  # fmt: skip
    return values


def filled_form(answers: Mapping) -> str:
    """The answer cell filled in with ``answers`` (the model answer; the demo's samples)."""
    return f"{MAGIC}\n{forms.fill_form(FORM, form_values(answers))}"


def _as_dict(answers: object) -> object:
    """The answers as the grader takes them: the form mapped, a dict (an old course) as is."""
    return answers_from(answers) if isinstance(answers, FormAnswers) else answers


# -- the self-check (what a student sees before grading: nothing of the key) ---------------
def self_check(answers: object, info: Mapping) -> str:
    """Each code of one case checked for the discharge date, and the DRG the codes group to.

    AssertionError (the cell fails, and the case would score 0) when the case has no
    principal diagnosis or the answers are not in the asked shape.
    """
    label = info["case"]
    form = answers if isinstance(answers, FormAnswers) else None
    answers = _as_dict(answers)
    assert isinstance(answers, dict), "answers must stay a dict: {case: {...}}"
    given = answers.get(label)
    assert isinstance(given, dict), (
        f'answers["{label}"] must be a dict with principal, secondary, procedures'
    )
    where = f" on the form above ({label.capitalize()} principal diagnosis: ...)" if form else ""
    assert str(given.get("principal") or "").strip(), (
        f"Type the principal diagnosis for {label}{where}."
    )
    coded = inpatient.InpatientAnswer.from_any(given)
    day = info["discharge_date"]
    lines = [f"{label}: codes checked for the discharge date {day}"]
    for dx in (coded.principal, *coded.secondary):
        try:
            lines.append(f"  {icd10cm.validate(dx.code, day)}")
        except icd10cm.CodeSetError as exc:
            lines.append(f"  {dx.code}: {exc}")
        if dx is not coded.principal and dx.poa not in (*inpatient.POA_VALUES, ""):
            lines.append(f"  {dx.code}: POA {dx.poa!r} is not Y, N, U, W or blank")
    for p in coded.procedures:
        v = icd10pcs.validate(p.code)
        lines.append(
            f"  {p.code}: " + ("valid ICD-10-PCS" if v.valid else f"not valid: {v.reason}")
        )
    try:
        result = drg.group(
            coded.principal.code,
            sdx=[
                (d.code, d.poa if d.poa in inpatient.POA_VALUES else None) for d in coded.secondary
            ],
            pcs=[p.code for p in coded.procedures],
            age=info["age"],
            sex=info["sex"],
            discharge_status=info["discharge_status"],
            discharge_date=day,
        )
        lines.append(f"  your codes group to MS-DRG {result.drg} ({result.title})")
    except drg.DrgError as exc:
        lines.append(f"  your codes cannot be grouped yet: {exc}")
    return "\n".join(lines)


# -- grading (called by the hidden tests) ----------------------------------------------------
def score_case(answers: object, key: Mapping) -> PartScore:
    """One case's points: CASE_POINTS x the inpatient grader's percent, with its lines."""
    case = inpatient.InpatientCase.from_dict({k: v for k, v in key.items() if k != "case"})
    answers = _as_dict(answers)
    given = answers.get(key["case"]) if isinstance(answers, dict) else None
    report = inpatient.grade(case, given if isinstance(given, dict) else {})
    points = earned(CASE_POINTS, CASE_POINTS * report.percent / 100)
    right = tuple(e.element for e in report.elements if e.max_points and e.points >= e.max_points)
    wrong = tuple(e.element for e in report.elements if e.points < e.max_points or e.points < 0)
    notes = (f"{key['case']}: {points:g} of {CASE_POINTS} points", *report.to_text().splitlines())
    rows = element_rows(case, report, given if isinstance(given, dict) else {})
    return PartScore(points, right, wrong, notes, tuple(rows))


def element_rows(
    case: inpatient.InpatientCase, report: inpatient.InpatientGrade, given: Mapping
) -> list[dict]:
    """The grader's elements as data for the class report (``element_log``).

    The grader names the expected code of each element; what the learner gave is read
    from their answer: the principal and the DRG as given, a secondary diagnosis or a
    procedure as given when they listed that very code ("(other or none)" otherwise),
    a POA as they marked it for that code.  Procedures are procedure coding, the rest
    inpatient coding.
    """
    from medbill_lab.training.element_log import element

    try:
        learner = inpatient.InpatientAnswer.from_any(given)
    except (ValueError, icd10cm.CodeSetError):
        learner = inpatient.InpatientAnswer(inpatient.Dx(""))
    poa = {d.code: d.poa for d in learner.secondary}
    listed = set(poa) | {p.code for p in learner.procedures}
    pcs = {p.code for p in learner.procedures}
    pcs |= {p.code for key in case.accepted for p in key.procedures}
    want_poa: dict[str, str] = {}
    for key in case.accepted:
        for d in key.secondary:
            want_poa.setdefault(d.code, d.poa)
    rows = []
    for e in report.elements:
        label = e.element
        if label.startswith("principal "):
            expected, got = label.split(" ", 1)[1], learner.principal.code
        elif label.startswith("DRG "):
            expected, got = label.split(" ", 1)[1], report.drg
        elif label.endswith(" POA"):
            code = label.removesuffix(" POA")
            expected, got = want_poa.get(code, ""), poa.get(code, "")
        elif e.max_points == 0:
            expected, got = "", label  # a code the record does not support
        else:
            expected, got = label, label if label in listed else "(other or none)"
        topic = "procedure coding" if label in pcs else "inpatient coding"
        rows.append(element(label, topic, expected, got, e.points, e.max_points))
    return rows


# -- a partly right sample submission (course demo) -----------------------------------------
def partial(correct: Mapping[str, str]) -> dict[str, str]:
    """The course's answers with one slip per case: a secondary left out, a POA turned
    round, the procedures left out, a principal in the wrong category.

    Written as the form (or as the dict, for a course made before the form)."""
    source = correct["answers"]
    is_form = source.lstrip().startswith("%%answers")
    answers = answers_from(forms.parse(FORM, source)) if is_form else assigned(source, "answers")
    for i, (label, coded) in enumerate(sorted(answers.items()), 1):
        slip = i % 4
        if slip == 1 and coded["secondary"]:
            coded["secondary"] = coded["secondary"][:-1]
        elif slip == 2 and any(":" in s for s in coded["secondary"]):
            j = next(j for j, s in enumerate(coded["secondary"]) if ":" in s)
            code, poa = coded["secondary"][j].split(":")
            coded["secondary"][j] = f"{code}:{'N' if poa == 'Y' else 'Y'}"
        elif slip == 3 and coded["procedures"]:
            coded["procedures"] = []
        else:
            coded["principal"] = "R69"  # illness, unspecified: never the principal here
        answers[label] = coded
    if is_form:
        return {"answers": filled_form(answers)}
    return {"answers": f"answers = {literal(answers)}"}
