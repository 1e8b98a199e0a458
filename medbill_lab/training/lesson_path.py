"""The learning path: one table of the fifteen lessons, and the header and next link each opens
and ends with.

Every lesson notebook (``notebooks/NN_*.ipynb``) opens with ``header_markdown(n)`` as its first
cell and ends with ``footer_markdown(n)`` as its last, and the README lists the path with
``readme_markdown()``.  All three are written from ``LESSONS`` so the path, its titles and its
links cannot drift apart; ``tests/e2e/test_lesson_path.py`` checks every notebook against it.

>>> LESSONS[7].title, LESSONS[7].filename
('Remittance and payment posting', '08_remittance_and_posting.ipynb')
>>> header_markdown(8).splitlines()[0]
'# 08 · Remittance and payment posting'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat

PARTS: dict[int, str] = {
    1: "Coding foundations",
    2: "The professional claim and the revenue cycle",
    3: "Compliance",
    4: "Hospital coding and billing",
}


@dataclass(frozen=True)
class Lesson:
    """One lesson of the path: its number, file, title, part, prerequisites and outcomes."""

    number: int
    slug: str
    title: str
    part: int
    assumes: tuple[int, ...]
    teaches: tuple[str, ...]
    minutes: int
    about: str  # one line: what the lesson is for (the README list and the previous next link)

    @property
    def filename(self) -> str:
        """The notebook's file name in ``notebooks/``."""
        return f"{self.number:02d}_{self.slug}.ipynb"

    @property
    def label(self) -> str:
        """'08 · Remittance and payment posting': the title as every heading and link writes it."""
        return f"{self.number:02d} · {self.title}"


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        1,
        "medical_terminology",
        "Medical terminology",
        1,
        (),
        (
            "Name the four building blocks of a medical term: prefix, root, combining vowel, suffix.",
            "Split a term into its parts and read its meaning, suffix first.",
            "Recognise the word parts of each body system.",
            "Check yourself with the quiz and keep the parts in memory with flashcards.",
        ),
        45,
        "read a medical word by its parts, the skill every code starts from",
    ),
    Lesson(
        2,
        "icd10cm_conventions",
        "ICD-10-CM structure and conventions",
        1,
        (1,),
        (
            "Tell which fiscal year's code set applies to a date of service.",
            "Read a code's structure: category, subcategory, 7th character and placeholder X, "
            "billable code against header.",
            "Apply Excludes1, Excludes2, code first and use additional code notes.",
            "Find a code with the encoder and confirm it in the Tabular List.",
        ),
        90,
        "read a diagnosis code and the notes around it, as in the Tabular List",
    ),
    Lesson(
        3,
        "icd10cm_guidelines_by_scenario",
        "ICD-10-CM guidelines by scenario",
        1,
        (2,),
        (
            "Code diabetes with its complications, CKD stage and long-term drugs.",
            "Apply the presumed link of hypertension with CKD or heart disease.",
            "Choose the 7th character of an injury and add its external cause codes.",
            "Code pregnancy, screening and uncertain outpatient diagnoses by the Official "
            "Guidelines.",
        ),
        75,
        "apply the ICD-10-CM Official Guidelines to everyday notes, graded point by point",
    ),
    Lesson(
        4,
        "cpt_hcpcs_and_modifiers",
        "CPT, HCPCS Level II and modifiers",
        1,
        (2, 3),
        (
            "Tell the three CPT categories and the six sections of Category I apart.",
            "Find CPT and HCPCS Level II codes, and bill drug units.",
            "Choose the modifiers a coder uses every week: 25, 57, 26/TC, 50, 51, 59/X{EPSU}, "
            "76/77, 91, sides, digits and GA/GY/GZ.",
            "Choose the place of service.",
        ),
        75,
        "code what was done with CPT, HCPCS Level II, modifiers and place of service",
    ),
    Lesson(
        5,
        "em_leveling",
        "Leveling office visits (E/M)",
        1,
        (4,),
        (
            "Level the three elements of medical decision making.",
            "Combine them with the 2-of-3 rule into one MDM level.",
            "Level a visit by total time, and add prolonged time (99417).",
            "Check your own level, with the reason for each point.",
        ),
        60,
        "choose an office visit's level by medical decision making or time",
    ),
    Lesson(
        6,
        "cms1500_and_claim_scrubbing",
        "The CMS-1500 claim and claim scrubbing",
        2,
        (2, 3, 4, 5),
        (
            "Say what each part of the CMS-1500 holds.",
            "Read a claim file with the lab's claim model.",
            "Tell the three outcomes of an edit apart: reject, deny, warn.",
            "Run a scrubber's edits, read their reasons, and test a fix before resubmitting.",
        ),
        75,
        "put the codes on a CMS-1500 and catch its errors before the payer does",
    ),
    Lesson(
        7,
        "clearinghouse_and_837p",
        "The clearinghouse and the 837P",
        2,
        (6,),
        (
            "Map a CMS-1500 box to its 837P loop, segment and element.",
            "Read an 837P segment by segment.",
            "Validate it with pyx12 and read the 999.",
            "Trace a rejection back to the box to fix.",
        ),
        75,
        "send the claim as an 837P and read the clearinghouse's answers",
    ),
    Lesson(
        8,
        "remittance_and_posting",
        "Remittance and payment posting",
        2,
        (6, 7),
        (
            "Read an 835 remittance: the payment, each claim, each line and its adjustments.",
            "Say who bears each adjustment from its group code and why from its CARC and RARC.",
            "Check that a line, a claim and the whole payment balance.",
            "Post a line: paid, contractual write-off and patient responsibility.",
        ),
        60,
        "read the payer's 835 and post what it paid, adjusted and left to the patient",
    ),
    Lesson(
        9,
        "denials_and_appeals",
        "Denials and appeals",
        2,
        (7, 8),
        (
            "Tell a rejection from a denial, and Medicare's unprocessable claim from both.",
            "Work a denial queue by CARC.",
            "Choose between a new claim, a corrected claim, a void and an appeal.",
            "Write an appeal, and bill a secondary payer under coordination of benefits.",
        ),
        60,
        "work the claims that came back unpaid, and correct, void or appeal them",
    ),
    Lesson(
        10,
        "statements_and_collections",
        "Statements and collections",
        2,
        (8, 9),
        (
            "Build a patient statement from what the 835s left to the patient.",
            "Read an A/R aging report by bucket.",
            "Run the dunning cycle, a payment plan and a self-pay discount.",
            "Collect within the rules: the FDCPA, Regulation F and credit reporting.",
            "Measure the revenue cycle with its KPIs.",
        ),
        60,
        "collect what the patient owes, fairly, and measure the revenue cycle",
    ),
    Lesson(
        11,
        "fraud_waste_and_abuse",
        "Fraud, waste and abuse",
        3,
        (5, 6),
        (
            "Tell fraud, waste and abuse apart, and name the laws behind each.",
            "Say what a compliance program does.",
            "Find billing schemes in claims data with pandas and the lab's detectors.",
            "Read a detector's flag as a lead for review, not a finding.",
        ),
        60,
        "tell fraud, waste and abuse apart and find schemes in claims data",
    ),
    Lesson(
        12,
        "hipaa_and_confidentiality",
        "HIPAA and confidentiality",
        3,
        (6,),
        (
            "Say what PHI is, and when HIPAA lets it be used or disclosed.",
            "Apply the minimum necessary standard with masked views.",
            "De-identify notes and exports by the Safe Harbor method, and measure it.",
            "Recognise a breach and what notification it needs.",
        ),
        60,
        "protect the patient information a biller handles every day",
    ),
    Lesson(
        13,
        "icd10pcs",
        "ICD-10-PCS: the hospital's procedure codes",
        4,
        (2, 4),
        (
            "Read a PCS code's seven characters axis by axis.",
            "Choose the root operation by its official definition (excision against resection).",
            "Choose the approach, body part and device.",
            "Validate a code, find one from words, and build one row by row.",
        ),
        75,
        "build the hospital's seven-character procedure codes from the tables",
    ),
    Lesson(
        14,
        "inpatient_coding_and_msdrg",
        "Inpatient coding and the MS-DRG",
        4,
        (3, 13),
        (
            "Choose the principal diagnosis and the secondary diagnoses to report.",
            "Tell CCs and MCCs, and the CC exclusions.",
            "Assign POA indicators and spot hospital-acquired conditions.",
            "Group a stay to its MS-DRG and read its weight and payment.",
            "Query a physician compliantly, never upcode.",
        ),
        90,
        "code an inpatient stay and group it to the MS-DRG that pays the hospital",
    ),
    Lesson(
        15,
        "ub04_and_837i",
        "The UB-04 and the 837I: the hospital's claim",
        4,
        (6, 7, 14),
        (
            "Read the UB-04's form locators and the type of bill digit by digit.",
            "Tell what each revenue code line is.",
            "Use condition, occurrence, span and value codes.",
            "Check a hospital claim, write its 837I and draw its UB-04.",
        ),
        75,
        "bill the hospital's stay on the UB-04 and the 837I",
    ),
)

BY_NUMBER: dict[int, Lesson] = {lesson.number: lesson for lesson in LESSONS}


def lesson(number: int) -> Lesson:
    """The lesson with this number; ValueError naming the range for any other."""
    if number not in BY_NUMBER:
        raise ValueError(f"no lesson {number}: the path has lessons 1-{len(LESSONS)}")
    return BY_NUMBER[number]


def _link(item: Lesson, prefix: str = "") -> str:
    return f"[{item.label}]({prefix}{item.filename})"


def _part_line(item: Lesson) -> str:
    """The lessons of the part, the current one in bold: 06 → 07 → **08** → 09 → 10."""
    numbers = [f"{x.number:02d}" for x in LESSONS if x.part == item.part]
    return " → ".join(f"**{n}**" if int(n) == item.number else n for n in numbers)


def header_markdown(number: int) -> str:
    """The learning-path header that opens lesson ``number``: title, place, prerequisites,
    time and outcomes, in the one format every lesson shares."""
    item = lesson(number)
    assumes = ", ".join(_link(BY_NUMBER[n]) for n in item.assumes) or "nothing: start here"
    lines = [
        f"# {item.label}",
        "",
        f"**Lesson {item.number} of {len(LESSONS)} · Part {item.part}: {PARTS[item.part]}**",
        "",
        f"- **Where it sits:** {_part_line(item)}",
        f"- **Assumes:** {assumes}",
        f"- **Time to allow:** about {item.minutes} minutes",
        "",
        "**What you will learn**",
        "",
        *(f"{i}. {outcome}" for i, outcome in enumerate(item.teaches, start=1)),
    ]
    return "\n".join(lines)


def footer_markdown(number: int) -> str:
    """The last cell of lesson ``number``: a link to the next lesson, or, after the last one,
    what comes next and the way back to the start."""
    lesson(number)  # refuses a number off the path
    if number < len(LESSONS):
        nxt = BY_NUMBER[number + 1]
        return f"---\n\n**Next:** {_link(nxt)}: {nxt.about}."
    first = LESSONS[0]
    return (
        "---\n\n"
        f"**You have reached the end of the learning path** ({len(LESSONS)} lessons). "
        "What comes next: practise in the apps (`medbill-lab serve` opens the gallery: coding "
        "practice, the claim builder, the DRG explorer) and sit the timed mock exam to see "
        "where you stand by domain. To go over the path again, start at "
        f"{_link(first)}."
    )


def readme_markdown() -> str:
    """The learning path as the README lists it, by part, each lesson linked with its time."""
    lines: list[str] = []
    for part, name in PARTS.items():
        lines.append(f"**Part {part}: {name}**")
        lines.append("")
        for item in (x for x in LESSONS if x.part == part):
            lines.append(
                f"{item.number}. {_link(item, 'notebooks/')}: {item.about} "
                f"(about {item.minutes} min)"
            )
        lines.append("")
    return "\n".join(lines).rstrip()


def _is_header(source: str) -> bool:
    return source.startswith("# ") and "**What you will learn**" in source


def _is_footer(source: str) -> bool:
    return source.startswith("---\n\n**Next:**") or source.startswith(
        "---\n\n**You have reached the end"
    )


def sync(notebooks_dir: Path) -> list[Path]:
    """Write each lesson's header and next link from ``LESSONS`` into its notebook (replacing
    the ones it has, adding them when missing); returns the notebooks changed.

    After a change to the path's table, ``sync(Path("notebooks"))`` brings every lesson in line.
    """
    changed = []
    for item in LESSONS:
        path = notebooks_dir / item.filename
        nb = nbformat.read(path, as_version=4)
        before = nbformat.writes(nb)
        header, footer = header_markdown(item.number), footer_markdown(item.number)
        if nb.cells and nb.cells[0].cell_type == "markdown" and _is_header(nb.cells[0].source):
            nb.cells[0].source = header
        else:
            nb.cells.insert(0, nbformat.v4.new_markdown_cell(header))
        if nb.cells[-1].cell_type == "markdown" and _is_footer(nb.cells[-1].source):
            nb.cells[-1].source = footer
        else:
            nb.cells.append(nbformat.v4.new_markdown_cell(footer))
        if nbformat.writes(nb) != before:
            path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
            changed.append(path)
    return changed
