"""Self-check questions on CPT, HCPCS Level II, modifiers and place of service.

Each question has one right answer, the reason it is right, and the reason behind
the usual wrong answers.  ``check(question_id, answer)`` never raises for a wrong
or blank answer: it returns feedback that says why, and, when the answer is a
modifier, code or place of service from the teaching sets, what that one means.

>>> check("e_m_with_procedure", "-25").correct
True
>>> print(check("repeat_lab", "76").to_text().splitlines()[0])
Not yet: you answered 76; the answer is 91.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from medbill_lab.codes import procedures
from medbill_lab.training.self_check import Feedback, not_yet, unanswered


@dataclass(frozen=True)
class Question:
    """A question, its answer (plus other accepted spellings), the reason and common slips."""

    id: str
    prompt: str
    answer: str
    why: str
    mistakes: dict[str, str] = field(default_factory=dict)
    also: tuple[str, ...] = ()

    def accepts(self, given: str) -> bool:
        """True when the normalised answer is the answer or another accepted spelling."""
        return given in {normalise(a) for a in (self.answer, *self.also)}


_CATEGORY_I = "Category I codes are 5 digits and describe the services and procedures paid for."
_CATEGORY_III = "Category III codes end in T: temporary codes for emerging technology."

QUESTIONS: dict[str, Question] = {
    q.id: q
    for q in (
        Question(
            "e_m_with_procedure",
            "An established patient comes in to have a common wart frozen (17110). The "
            "provider also evaluates her poorly controlled hypertension and changes her "
            "medicine, documented as its own problem. Which modifier goes on the E/M code?",
            "25",
            "25 tells the payer the E/M was significant and separately identifiable from the "
            "procedure done the same day; without it the visit is bundled into 17110.",
            {
                "59": "59 marks a distinct procedure; an E/M on the day of a procedure takes 25.",
                "51": "51 is for a second procedure in the same session, not for a visit.",
                "57": "57 is for the visit where the decision for major surgery was made.",
            },
        ),
        Question(
            "professional_component",
            "A radiologist reads a chest x-ray (71046) taken on the hospital's equipment and "
            "bills only for the reading and report. Which modifier?",
            "26",
            "26 is the professional component, the interpretation and report; the hospital "
            "bills the technical part (equipment, technologist, supplies) separately.",
            {"TC": "TC is the technical component, the hospital's part, not the reading."},
        ),
        Question(
            "bilateral",
            "The same knee injection (20610) is given in both knees in one session. Which "
            "CPT modifier says the procedure was done on both sides?",
            "50",
            "50 marks a bilateral procedure: the same service on both sides in one session. "
            "Some payers want two lines with RT and LT instead; check the payer's rule.",
            {
                "RT": "RT alone says only the right side was done.",
                "LT": "LT alone says only the left side was done.",
                "51": "51 is for different procedures in one session, not the same one twice.",
                "RTLT": "Some payers want RT and LT on two lines; the CPT modifier is 50.",
            },
        ),
        Question(
            "repeat_lab",
            "A troponin (84484) is drawn at 08:00 and again at 11:00 the same day to see "
            "whether it rises. Which modifier goes on the second test?",
            "91",
            "91 is a repeat clinical laboratory test on the same day to get a new result; "
            "it is not for a rerun because the first sample or machine failed.",
            {
                "76": "76 repeats a procedure by the same provider (a second x-ray); "
                "lab tests take 91.",
                "77": "77 repeats a procedure by another provider; lab tests take 91.",
                "59": "59 is an NCCI bypass for distinct procedures, not for serial lab values.",
            },
        ),
        Question(
            "left_great_toe",
            "An ingrown nail is removed from the left great toe (11730). Which anatomic "
            "modifier names the toe?",
            "TA",
            "Toes have their own modifiers: TA is the left great toe, T1-T4 the other left "
            "toes, T5 the right great toe and T6-T9 the other right toes.",
            {
                "LT": "LT says left side, but not which toe; use the toe modifier.",
                "T5": "T5 is the right great toe.",
                "FA": "The F modifiers are fingers; FA is the left thumb.",
            },
        ),
        Question(
            "abn",
            "Medicare is expected to deny a service as not reasonable and necessary, and the "
            "patient signed an Advance Beneficiary Notice (ABN) before it. Which modifier?",
            "GA",
            "GA says a required ABN is on file, so the patient can be billed if Medicare denies.",
            {
                "GZ": "GZ is the same situation with no ABN on file: the provider bears the loss.",
                "GY": "GY is for a service Medicare never covers by law, ABN or not.",
            },
        ),
        Question(
            "cpt_category",
            "Which CPT category is 3044F (a quality-measure code for an A1c result)? "
            "Answer I, II or III.",
            "II",
            "Category II codes are 4 digits and an F: optional codes that track quality "
            "measures and carry no payment.",
            {
                "III": _CATEGORY_III,
                "3": _CATEGORY_III,
                "I": _CATEGORY_I,
                "1": _CATEGORY_I,
            },
            also=("2",),
        ),
        Question(
            "hcpcs_drug",
            "A patient gets 30 mg of ketorolac by injection. Which HCPCS Level II code "
            "describes the drug? (Hint: search the HCPCS set.)",
            "J1885",
            "J codes are drugs given other than by mouth. J1885 is ketorolac per 15 mg, so "
            "30 mg is reported as 2 units; the injection itself is a separate CPT code (96372).",
            {"96372": "96372 is the injection service; the drug needs its own J code."},
        ),
        Question(
            "telehealth_home",
            "A video visit takes place while the patient is at home. Which place-of-service code?",
            "10",
            "POS 10 is telehealth with the patient in their home; POS 02 is telehealth with "
            "the patient anywhere else.",
            {
                "02": "02 is telehealth with the patient somewhere other than home.",
                "11": "11 is the office, where the patient is not.",
                "12": "12 is an in-person visit in the patient's home, not telehealth.",
            },
        ),
        Question(
            "separate_site",
            "A shave biopsy (11102) of a mole on the back and the destruction of a "
            "premalignant lesion (17000) on the face are done in one session. Suppose a "
            "payer edit pairs the two codes. Which X modifier says they were on separate sites?",
            "XS",
            "XS (separate structure) is the specific form of 59 for a different site or "
            "organ; CMS prefers the X modifiers to 59 when one fits.",
            {
                "59": "59 would bypass the edit too, but the more specific XS fits here.",
                "XE": "XE is a separate encounter (another visit the same day).",
                "XP": "XP is a different practitioner.",
                "XU": "XU is an unusual service that does not overlap the main one.",
            },
        ),
    )
}


def normalise(answer: object) -> str:
    """An answer in a comparable form: upper case, no spaces or "-", no leading label.

    >>> normalise(" modifier -25 "), normalise("pos 10"), normalise("Category ii"), normalise(None)
    ('25', '10', 'II', '')
    """
    if not isinstance(answer, str | int):
        return ""
    text = str(answer).strip().upper()
    text = re.sub(r"^(MODIFIER|POS|CODE|CATEGORY)\b", "", text)
    return re.sub(r"[\s\-]+", "", text)


def _short(text: str, limit: int = 160) -> str:
    """Long official text cut at its first clause.

    >>> _short("Technical component; under certain circumstances ...", limit=20)
    'Technical component'
    """
    return text if len(text) <= limit else re.split(r";|\. ", text, maxsplit=1)[0]


def _meaning(given: str) -> str | None:
    """What a modifier, code or place of service means in the teaching sets, if known."""
    if given in procedures.modifiers():
        return f"Modifier {given}: {_short(procedures.modifiers()[given].description)}"
    if given in procedures.place_of_service():
        return f"POS {given}: {procedures.place_of_service()[given].name}"
    hit = procedures.procedure(given) if given else None
    return f"{hit.code}: {hit.description}" if hit else None


def check(question_id: str, answer: object) -> Feedback:
    """Feedback on one answer: right or not, and why. Wrong or blank answers never raise.

    Raises ValueError only for an unknown ``question_id``.
    """
    if question_id not in QUESTIONS:
        raise ValueError(f"unknown question {question_id!r}; use one of {', '.join(QUESTIONS)}")
    q = QUESTIONS[question_id]
    given = normalise(answer)
    if not given:
        return unanswered(q, given, q.prompt)
    if q.accepts(given):
        return Feedback(q, given, True, [f"Right: {q.answer}.", q.why])
    lines = not_yet(given, q.answer, q.mistakes.get(given))
    meaning = _meaning(given)
    if meaning:
        lines.append(f"(For reference, {meaning}.)")
    lines.append(f"Why {q.answer}: {q.why}")
    return Feedback(q, given, False, lines)
