"""Short office-visit notes to level for practice, with their MDM and time kept out of sight.

A learner reads ``show(vignette_id)``, picks a code (and, if asked, each MDM
element's level) and runs ``check(...)``: the feedback gives the points per part
and the calculator's full reasoning (``medbill_lab.training.em_level``).  All patients are
synthetic.

>>> check("sc-1", "99214", {"problems": "moderate", "data": "limited", "risk": "moderate"}).points
5.0
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass

from medbill_lab.training.em_level import (
    MDM,
    AnswerGrade,
    Data,
    EMResult,
    Problem,
    grade_answer,
    level,
)


@dataclass(frozen=True)
class Vignette:
    """A visit note and what it supports: patient type, MDM and/or total minutes."""

    id: str
    note: str
    new_patient: bool
    mdm: MDM | None = None
    minutes: int | None = None

    def expected(self) -> EMResult:
        """The calculator's result for this visit."""
        return level(self.new_patient, self.mdm, self.minutes)


VIGNETTES: dict[str, Vignette] = {
    v.id: v
    for v in (
        Vignette(
            "sc-1",
            "Established patient, 58, for type 2 diabetes. Her A1c today is 8.9%; her goal "
            "is below 7%, and it was 8.7% three months ago. The provider reviews the A1c "
            "result, orders a lipid panel, and raises the metformin dose. Nothing else is "
            "addressed.",
            new_patient=False,
            mdm=MDM(
                problems=[Problem("chronic illness with exacerbation", "diabetes not at goal")],
                data=Data(tests_reviewed=1, tests_ordered=1),
                risk="prescription drug management",
            ),
        ),
        Vignette(
            "sc-2",
            "New patient, 24, twisted his ankle playing football yesterday. He can bear "
            "weight; the exam shows a mild sprain. The provider orders an ankle x-ray to "
            "be safe, and recommends rest, ice and over-the-counter ibuprofen. The provider "
            "documents 25 minutes of total time on the date.",
            new_patient=True,
            mdm=MDM(
                problems=[Problem("acute uncomplicated illness or injury", "ankle sprain")],
                data=Data(tests_ordered=1),
                risk="over-the-counter drugs",
            ),
            minutes=25,
        ),
        Vignette(
            "sc-3",
            "Established patient, 71, with well-controlled hypothyroidism, here to talk "
            "through a new diagnosis in her husband and how she will manage her own care. "
            "Levothyroxine is continued unchanged after the provider reviews today's TSH "
            "(normal). The provider documents 42 minutes of total time on the date, most "
            "of it counselling.",
            new_patient=False,
            mdm=MDM(
                problems=[Problem("stable chronic illness", "hypothyroidism")],
                data=Data(tests_reviewed=1),
                risk="prescription drug management",
            ),
            minutes=42,
        ),
    )
}


def vignette(vignette_id: str) -> Vignette:
    """One vignette by id; ValueError names the ids.

    >>> vignette("sc-2").new_patient
    True
    """
    if vignette_id not in VIGNETTES:
        raise ValueError(f"unknown vignette {vignette_id!r}; use one of {', '.join(VIGNETTES)}")
    return VIGNETTES[vignette_id]


def show(vignette_id: str) -> str:
    """The note as a learner reads it: id, patient type and the text, wrapped."""
    v = vignette(vignette_id)
    who = "new patient" if v.new_patient else "established patient"
    return f"{v.id} ({who})\n" + textwrap.fill(v.note, 88)


def check(
    vignette_id: str, code: object, elements: Mapping[str, object] | None = None
) -> AnswerGrade:
    """Grade an answer to one vignette: the code, and each MDM element when given.

    Wrong or blank answers are graded with reasons, never an exception.
    """
    return grade_answer(vignette(vignette_id).expected(), code, elements)
