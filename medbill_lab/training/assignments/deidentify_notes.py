"""The de-identification assignment for one course: items, a patient table, graded notes.

``draw(rng)`` returns the template's values: twelve items to classify (eight
Safe Harbor identifiers and four details that may stay, values drawn too), five
patients to de-identify (one over 89, one born in the edge year, one restricted
ZIP3), the model answers, and the keys; the notes a student's PHI finder is graded
on come from a 128-bit seed written only into the hidden tests.  That seed comes
from its own generator (``derive``), so nothing handed out says anything of it.

Questions 1 and 2 are answered on plain-text forms (:data:`FORMS`): a category per
item by its name, and the Safe Harbor extract as the columns removed and, per patient,
the generalised values.  The scorers take the form or, in a course made before the
forms, the Python answers; the form maps to those (:func:`categories_from`,
:func:`safe_from`), so the points are the same for the same answers.  Question 3 stays
a program: a PHI finder graded on notes the student has not seen.

>>> import random
>>> a, b = draw(random.Random(1)), draw(random.Random(2))
>>> a["items"] != b["items"] and a["notes_seed"] != b["notes_seed"]
True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from medbill_lab.training import answer_forms as forms
from medbill_lab.training.answer_forms import Field, FormAnswers, FormSpec
from medbill_lab.training.assignments import PartScore, assigned, earned, literal, part_points
from medbill_lab.training.element_log import element, shares

TOPIC = "compliance/privacy"

if TYPE_CHECKING:  # deid compiles its rules on import: only the PHI part's cells need it
    from medbill_lab.compliance import deid

STATES = ("IL", "WY", "NM", "IA", "OH", "MT", "VT")
DIAGNOSES = ("type 2 diabetes", "asthma", "a sprained ankle", "high blood pressure")
DROPPED = ("city", "dob", "first", "last", "member_id", "visit_date", "zip")
SOLUTION_Q2 = """def _birth_year(day):
    return day.year if day.year >= AS_OF.year - 89 else f"{AS_OF.year - 90} or earlier"


def _zip3(value):
    first3 = str(value)[:3]
    return "000" if first3 in RESTRICTED_ZIP3 else first3


safe = pd.DataFrame(
    {
        "dob_year": patients["dob"].map(_birth_year),
        "age": patients["age"].map(lambda a: "90 or older" if a > 89 else a),
        "sex": patients["sex"],
        "state": patients["state"],
        "zip3": patients["zip"].map(_zip3),
        "visit_date_year": patients["visit_date"].dt.year,
        "cpt": patients["cpt"],
    }
)"""
SOLUTION_Q3 = r"""    names = sorted(FIRST_NAMES + LAST_NAMES + [n.upper() for n in FIRST_NAMES + LAST_NAMES], key=len, reverse=True)
    patterns = [
        r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # email
        r"(?:https?://|www\.)\S+[^\s.,;)]",  # URL
        r"\b\d{1,3}(?:\.\d{1,3}){3}\b",  # IP address
        r"\b\d{3}-\d{2}-\d{4}\b",  # SSN
        r"(?:\(\d{3}\) ?|\b\d{3}[-.])\d{3}[-.]\d{4}(?: x\d+)?",  # phone and fax
        r"\b\d{1,2}[/-]\d{1,2}(?:[/-]\d{2,4})?\b|\b\d{4}-\d\d-\d\d\b",  # numeric dates
        r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}(?:, \d{4})?",
        r"\b(?:9\d|1[01]\d)\b(?=[- ]?(?:yo|y/o|y\.o\.|year-old))|(?<=Age: )(?:9\d|1[01]\d)\b",
        r"\b\d+ [A-Z][a-z]+(?: [A-Z][a-z]+)? (?:St|Ave|Rd|Road|Ln|Dr|Ct|Way|Blvd)\b(?: (?:Apt|Unit) \w+)?",
        r"\b[A-Z][a-z]+ County\b",
        r"(?<=IL )\d{5}(?:-\d{4})?|(?<=Illinois )\d{5}(?:-\d{4})?",
        r"\b\d{5}(?:-\d{4})?\b(?=\n|$)",
        r"\b[\w-]+\.(?:jpg|JPG|png)\b",  # photo files
        r"\b(?:" + "|".join(map(re.escape, names + TOWNS + EMPLOYERS)) + r")\b",
        r"(?<=Dr\. )[A-Z][a-z]+(?: [A-Z][a-z]+)?",
    ]
    context = re.compile(  # the identifier after a context word
        r"(?i:MRN|MR#|medical record number|acct|account|member(?: ID)?|MBI|license|certificate no\.|"
        r"plate|VIN|serial(?: no\.)?|SN|UDI|claim|badge|ID|IP)[\s:#]*(?:no\.\s*)?([A-Z0-9][A-Z0-9().-]*\d[A-Z0-9().-]*(?: \d{3})?)"
    )
    for pattern in patterns:
        spans += [m.span() for m in re.finditer(pattern, text)]
    spans += [m.span(1) for m in context.finditer(text)]
    spans += [m.span() for m in re.finditer(r"\b[A-Z]{2,3}-?\d{4,}[A-Z\d-]*\b", text)]  # other IDs"""


def derive(rng: random.Random, label: str) -> random.Random:
    """A generator of its own: SHA-256 of ``label`` and 256 bits of ``rng``.

    What a student learns of one derived generator's outputs says nothing of ``rng``
    or of another generator derived from it.
    """
    bits = rng.getrandbits(256).to_bytes(32, "big")
    return random.Random(int.from_bytes(hashlib.sha256(label.encode() + bits).digest(), "big"))


def items(rng: random.Random) -> list[tuple[str, str]]:
    """Twelve (item, category) pairs: eight Safe Harbor identifiers, four that may stay."""
    from medbill_lab.compliance import deid, deid_notes

    town, county, _ = rng.choice(deid_notes.TUNING_PLACES)
    first, last = rng.choice(deid_notes.TUNING_FIRST), rng.choice(deid_notes.TUNING_LAST)
    day = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(365))
    small = rng.choice(sorted(deid.RESTRICTED_ZIP3))
    big = rng.choice(
        [f"{z:03d}" for z in range(100, 1000) if f"{z:03d}" not in deid.RESTRICTED_ZIP3]
    )
    area, line = rng.randint(201, 989), rng.randint(10, 99)
    plan = f"{rng.choice(('EVG', 'SMI', 'PSM'))}{rng.randint(10**8, 10**9 - 1)}"
    phi = [
        (f"{day:%m/%d/%Y}, the date of service", "DATE"),
        (f"{day:%B} {day.year}, the month and year of admission", "DATE"),
        (f"{town}, the town the patient lives in", "LOCATION"),
        (f"{county}, the patient's county", "LOCATION"),
        (
            f"{small}, the first 3 digits of a ZIP code whose area has "
            f"{rng.randint(2, 19) * 1000:,} people",
            "LOCATION",
        ),
        (f"{rng.randint(90, 104)}, the patient's age", "AGE"),
        (f"{plan}, the member ID on the insurance card", "HEALTH_PLAN"),
        (f"IMG_{rng.randint(1000, 9999)}.JPG, a photo of the patient's face", "PHOTO"),
        (f"CLM{day:%Y%m%d}{rng.randint(10, 99)}, the payer's claim number", "OTHER_ID"),
        (f"({area}) 555-01{line}, the patient's home fax number", "FAX"),
        (f"({area}) 555-01{(line + 7) % 90 + 10}, the patient's mobile phone", "PHONE"),
        (f"{first.lower()}.{last.lower()}@example.com, the patient's email", "EMAIL"),
        (f"MRN {rng.randint(10**6, 10**7 - 1)}, the patient's medical record number", "MRN"),
        (f"{first} {last}, the patient's daughter, who drove her in", "NAME"),
        (f"{rng.choice(deid_notes.TUNING_EMPLOYERS)}, the patient's employer", "NAME"),
        (
            f"SN {rng.randint(10**7, 10**8 - 1)}, the serial number of the patient's insulin pump",
            "DEVICE",
        ),
        (f"192.0.2.{rng.randint(2, 250)}, the address the patient's portal log-in came from", "IP"),
        (f"https://{last.lower()}-family.example.org, the patient's family blog", "URL"),
    ]
    may_stay = [
        (f"{day.year}, the year of service", "not PHI"),
        (f"{rng.choice(STATES)}, the patient's state", "not PHI"),
        (
            f"{big}, the first 3 digits of a ZIP code whose area has "
            f"{rng.randint(21, 900) * 1000:,} people",
            "not PHI",
        ),
        (f"{rng.choice((89, rng.randint(18, 88)))}, the patient's age", "not PHI"),
        (
            f"{rng.choice(('99213', '99214', '99203', '93000'))}, the CPT code of the visit",
            "not PHI",
        ),
        (f"{rng.choice(DIAGNOSES)}, the patient's diagnosis", "not PHI"),
        (f"{rng.choice(('female', 'male'))}, the patient's sex", "not PHI"),
    ]
    out = rng.sample(phi, 8) + rng.sample(may_stay, 4)
    rng.shuffle(out)
    return out


def patients(rng: random.Random) -> tuple[dt.date, dict[str, list]]:
    """AS_OF (a day in 2026) and five patients: one over 89, one born in the edge year
    (``AS_OF.year - 89``, whose birth year stays), one in a restricted ZIP3."""
    from medbill_lab.compliance import deid, deid_notes

    as_of = dt.date(2026, 2, 1) + dt.timedelta(days=rng.randrange(300))

    def born(year: int) -> dt.date:
        return dt.date(year, rng.randint(1, 12), rng.randint(1, 28))

    births = [born(rng.randint(1922, as_of.year - 91)), born(as_of.year - 89)]
    births += [born(rng.randint(1940, 2008)) for _ in range(3)]
    rng.shuffle(births)
    places = [rng.choice(deid_notes.TUNING_PLACES) for _ in births]
    zips = [p[2] + rng.choice(("", f"-{rng.randint(1000, 9999)}")) for p in places]
    zips[rng.randrange(len(zips))] = (
        rng.choice(sorted(deid.RESTRICTED_ZIP3)) + f"{rng.randint(10, 99)}"
    )

    def age(b: dt.date) -> int:
        return as_of.year - b.year - ((as_of.month, as_of.day) < (b.month, b.day))

    plans = ("EVG", "SMI", "PSM")
    return as_of, {
        "first": [rng.choice(deid_notes.TUNING_FIRST) for _ in births],
        "last": [rng.choice(deid_notes.TUNING_LAST) for _ in births],
        "dob": [str(b) for b in births],
        "age": [age(b) for b in births],
        "sex": [rng.choice("FM") for _ in births],
        "city": [p[0] for p in places],
        "state": [rng.choice(STATES) for _ in births],
        "zip": zips,
        "member_id": [f"{rng.choice(plans)}{rng.randint(10**8, 10**9 - 1)}" for _ in births],
        "visit_date": [str(as_of - dt.timedelta(days=rng.randint(1, 330))) for _ in births],
        "cpt": [rng.choice(("99212", "99213", "99214", "99215", "99203")) for _ in births],
    }


def safe_key(as_of: dt.date, table: Mapping[str, list]) -> dict[str, list[str]]:
    """The Safe Harbor columns of the lab's reference (``deid.deidentify_frame``), as text."""
    import pandas as pd

    from medbill_lab.compliance.deid import deidentify_frame

    frame = pd.DataFrame(dict(table))
    for column in ("dob", "visit_date"):
        frame[column] = pd.to_datetime(frame[column])
    ref, _ = deidentify_frame(frame, as_of=as_of)
    return {c: [str(v) for v in ref[c]] for c in ("zip3", "dob_year", "age", "visit_date_year")}


def _frame_literal(table: Mapping[str, list]) -> str:
    cols = "".join(
        f"        {c!r}: pd.to_datetime({v!r}),\n"
        if c in ("dob", "visit_date")
        else f"        {c!r}: {v!r},\n"
        for c, v in table.items()
    )
    return f"pd.DataFrame(\n    {{\n{cols}    }}\n)"


def draw(rng: random.Random) -> dict[str, str]:
    """The template's values for one course: items, patients, answers, keys, the notes seed."""
    shown, hidden = derive(rng, "deidentify_notes shown"), derive(rng, "deidentify_notes hidden")
    pairs = items(shown)
    as_of, table = patients(shown)
    safe = safe_key(as_of, table)
    return {
        "items": "[\n" + "".join(f"    {text!r},\n" for text, _ in pairs) + "]",
        "q1_solution": filled_form("categories", dict(pairs)),
        "q1_key": literal(dict(pairs)),
        "as_of": f"dt.date({as_of.year}, {as_of.month}, {as_of.day})",
        "patients": _frame_literal(table),
        "q2_solution": filled_form("safe", safe),
        "q2_key": literal(safe),
        "q3_solution": SOLUTION_Q3,
        "notes_seed": str(hidden.getrandbits(128)),
    }


# -- the answer forms ------------------------------------------------------------------------------
N_ITEMS, N_PATIENTS = 12, 5
CATEGORY_NAMES = (
    "NAME", "LOCATION", "DATE", "AGE", "PHONE", "FAX", "EMAIL", "SSN", "MRN", "HEALTH_PLAN",
    "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE", "URL", "IP", "BIOMETRIC", "PHOTO", "OTHER_ID",
    "not PHI",
)  # fmt: skip
# the columns of the patient table, and those of the Safe Harbor extract
TABLE_COLUMNS = ("first", "last", "dob", "age", "sex", "city", "state", "zip", "member_id",
                 "visit_date", "cpt")  # fmt: skip
SAFE_COLUMNS = ("dob_year", "age", "sex", "state", "zip3", "visit_date_year", "cpt")
GENERALISED = ("dob_year", "age", "zip3", "visit_date_year")


_NAMES = "|".join(TABLE_COLUMNS)


@dataclass(frozen=True)
class _ListedChoice(Field):
    """A choice whose options are listed once above the fields (the group line), not on
    every line: twenty categories on each of twelve lines would bury the items."""

    def shown(self, line: int | None = None) -> str:
        return f"{self.title(line)} ({self.hint})"


def _item_fields() -> list[Field]:
    group = "Categories: " + ", ".join(CATEGORY_NAMES)
    options = tuple((c, c) for c in CATEGORY_NAMES)
    return [
        _ListedChoice(f"item{n}", f"Item {n} category", "choice", options=options, group=group,
                      hint="a category above")
        for n in range(1, N_ITEMS + 1)
    ]  # fmt: skip


def _patient_fields() -> list[Field]:
    words = {"dob_year": "birth year", "age": "age", "zip3": "ZIP3",
             "visit_date_year": "year of the visit"}  # fmt: skip
    return [
        Field(f"p{n}_{c}", f"Patient {n} {w}", group=f"Patient {n} (row {n} of patients)")
        for n in range(1, N_PATIENTS + 1)
        for c, w in words.items()
    ]


FORMS = {
    "categories": FormSpec(
        "deidentify_notes:categories", _item_fields(),
        title="Which identifier is it? The category of each item of ITEMS, in order",
    ),
    "safe": FormSpec(
        "deidentify_notes:safe",
        [
            Field("removed", "Columns removed", group=(
                "The columns of patients that may not go out as they are (removed, or replaced "
                "by a generalised value below), comma between"),
                pattern=rf"(?i)({_NAMES})(\s*[,;]\s*({_NAMES})|\s+({_NAMES}))*",
                hint="column names of patients, comma between, e.g. first, last"),
            *_patient_fields(),
        ],
        title="The Safe Harbor extract: sex, state and cpt go out as they are",
    ),
}  # fmt: skip
# the name each answer cell binds, by form
BINDS = {"categories": "answers", "safe": "safe"}


def magic(which: str) -> str:
    """The answer cell's first line, e.g. ``%%answers deidentify_notes:safe safe``."""
    return forms.magic_line("deidentify_notes", which, BINDS)


def categories_from(a: FormAnswers, items: Sequence[str]) -> dict[str, str]:
    """Item -> the category given ('' when blank or not one), in the order of ``items``."""
    return {item: str(a.get(f"item{n}", "")) for n, item in enumerate(items, 1)}


def _text(value: object) -> str:
    return " ".join(str(value).lower().split()) if value is not None else ""


def safe_from(a: FormAnswers) -> object:
    """The extract the form says, as a DataFrame: the Safe Harbor columns with the values
    typed (sex, state and cpt go out as they are: not typed), and any column of the
    patient table not given as removed still in it.  No value typed: an empty table."""
    import pandas as pd

    if all(a.get(k) is None for k in a.entries):
        return pd.DataFrame()
    removed = set(re.split(r"[,;\s]+", str(a.get("removed", "")).lower()))
    rows = range(1, N_PATIENTS + 1)
    table = {c: [_text(a.get(f"p{n}_{c}")) if c in GENERALISED else "" for n in rows]
             for c in SAFE_COLUMNS}  # fmt: skip
    for c in TABLE_COLUMNS:
        if c not in removed and c not in table:
            table[c] = [""] * N_PATIENTS
    return pd.DataFrame(table)


def _as_given(given: object, which: str, items: Sequence[str] = ()) -> object:
    if not isinstance(given, FormAnswers):
        return given
    return categories_from(given, items) if which == "categories" else safe_from(given)


def form_values(which: str, answer: Mapping[str, object]) -> dict[str, object]:
    """The form's values that say ``answer`` (a key): the inverse of :func:`categories_from`
    and :func:`safe_from`."""
    if which == "categories":
        return {f"item{n}": c for n, c in enumerate(answer.values(), 1)}
    values: dict[str, object] = {"removed": ", ".join(c for c in TABLE_COLUMNS if c in DROPPED)}
    for c in GENERALISED:
        for n, v in enumerate(answer[c], 1):  # type: ignore[arg-type]
            values[f"p{n}_{c}"] = v
    return values


def filled_form(which: str, answer: Mapping[str, object]) -> str:
    """The form ``which`` filled in with ``answer`` (the model answer is the key's)."""
    return forms.fill_form(FORMS[which], form_values(which, answer))


def _answer_cell(which: str, values: Mapping[str, object]) -> str:
    return f"{magic(which)}\n{forms.fill_form(FORMS[which], dict(values))}"


# -- the self-checks (the visible part of each test cell; never an answer) ----------------------
def check_items(given: object, items: Sequence[str], categories: Sequence[str]) -> None:
    """AssertionError unless every item has one of the categories."""
    answers = _as_given(given, "categories", items)
    assert isinstance(answers, dict) and set(answers) == set(items), "answer every item"
    assert all(v in categories for v in answers.values()), (
        "give each item one of the categories listed above the form"
    )


def check_safe(given: object, patients: object) -> None:
    """AssertionError unless the extract has the Safe Harbor columns and a row per patient."""
    import pandas as pd

    safe = _as_given(given, "safe")
    assert isinstance(safe, pd.DataFrame), "the extract is a form (or a pandas DataFrame)"
    assert list(safe.columns) == list(SAFE_COLUMNS), (
        "the extract has exactly the columns listed above: give every other column as removed"
    )
    assert len(safe) == len(patients), "a row for each patient"  # type: ignore[arg-type]


# -- grading helpers (called by the hidden tests) -------------------------------------------
def score_items(given: object, key: Mapping[str, str], points: float) -> PartScore:
    """``points`` x the share of items given their category; a line for each one missed.

    ``given``: the form (its items in the key's order), or a dict of a course made before it."""
    given = _as_given(given, "categories", list(key))
    answer = given if isinstance(given, Mapping) else {}
    ok = {k: answer.get(k) == v for k, v in key.items()}
    # items by their number, as the form and ITEMS list them (an item's text has commas)
    number = {k: f"item {n}" for n, k in enumerate(key, 1)}
    notes = [f"Item {number[k][5:]}, {k!r}: you said {answer.get(k)!r}" for k in key if not ok[k]]
    rows = shares([(k, v, answer.get(k), ok[k]) for k, v in key.items()], TOPIC, points)
    right = [number[k] for k in key if ok[k]]
    return part_points(right, [number[k] for k in key if not ok[k]], points, notes, rows=rows)


def score_safe_table(given: object, key: Mapping[str, Sequence[str]], points: float) -> PartScore:
    """One share for the identifiers removed, one per generalised column right row by row."""
    given = _as_given(given, "safe")
    columns = [str(c) for c in getattr(given, "columns", [])]

    def same(name: str) -> bool:
        try:
            return name in columns and [str(v) for v in given[name]] == list(key[name])  # type: ignore[index]
        except (KeyError, TypeError):
            return False

    checks = {"identifiers removed": bool(columns) and not set(columns) & set(DROPPED)}
    checks.update({c: same(c) for c in key})
    right = [k for k, ok in checks.items() if ok]
    kept = sorted(set(columns) & set(DROPPED))
    left = ", ".join(kept) or ("none kept" if columns else "no table")
    items = [("identifiers removed", "none kept", left, checks["identifiers removed"])]
    items += [(c, key[c], _column(given, c), checks[c]) for c in key]
    rows = shares(items, TOPIC, points)
    return part_points(right, [k for k in checks if k not in right], points, rows=rows)


def _column(table: object, name: str) -> list[str] | None:
    """A column of a student's table as text (None when it has none)."""
    try:
        return [str(v) for v in table[name]]  # type: ignore[index]
    except (KeyError, TypeError, IndexError):
        return None


def score_spans(find: Callable[[str], object], notes: Sequence[dict]) -> deid.Score:
    """A student's PHI finder (text -> ``(start, end)`` pairs) scored on labelled notes:
    recall of the labelled spans, precision of the flagged characters.  The practice
    self-check and the grader both score through it.  Spans are clipped to the text;
    an empty or reversed one is dropped.

    >>> from medbill_lab.compliance.deid_notes import generate_notes
    >>> notes = generate_notes(2, seed=7)
    >>> score_spans(lambda text: [(-5, len(text) + 5), (3, 1)], notes).recall
    1.0
    >>> score_spans(lambda text: [], notes).recall
    0.0
    """
    from medbill_lab.compliance import deid

    def finder(text: str) -> list[deid.Found]:
        return [
            deid.Found(max(0, int(s)), min(len(text), int(e)), "OTHER_ID", "", "you")
            for s, e in find(text)  # type: ignore[attr-defined]
            if int(e) > int(s)
        ]

    return deid.evaluate(notes, find=finder)


def score_phi(find: Callable[[str], object], seed: int, part: str, points: float) -> PartScore:
    """A PHI finder on 60 notes of this course's ``seed``.

    "recall": ``points`` x recall / 0.95, counted only at precision >= 0.5;
    "precision": ``points`` x precision / 0.90, counted only at recall >= 0.5.
    """
    from medbill_lab.compliance import deid_notes

    notes = deid_notes.generate_notes(60, seed=seed, style="tuning")
    for i, note in enumerate(notes):
        note["id"] = f"graded-{i:02d}"  # the seed stays out of the feedback
    score = score_spans(find, notes)
    line = f"graded notes: recall {score.recall:.3f}, precision {score.char_precision:.3f}"
    if part == "recall":
        share = 0.0 if score.char_precision < 0.5 else score.recall / 0.95
    elif part == "precision":
        share = 0.0 if score.recall < 0.5 else score.char_precision / 0.9
    else:
        raise ValueError(f"part is 'recall' or 'precision', not {part!r}")
    scored = earned(points, float(points) * share)
    full = (part,) if scored == points else ()
    value = score.recall if part == "recall" else score.char_precision
    want = "0.95" if part == "recall" else "0.90"
    rows = (element(f"PHI finder {part}", TOPIC, want, f"{value:.3f}", scored, points),)
    return PartScore(scored, full, () if full else (part,), (line,), rows)


def partial(correct: Mapping[str, str]) -> dict[str, str]:
    """Partly right answers from the course's own: four items marked "not PHI", the ZIP
    and birth year left unsafe, and patterns for only emails, SSNs, phones and numeric dates."""
    q3 = _PARTIAL_Q3
    if correct["q1_categories"].lstrip().startswith("%%answers"):
        values = forms.parse(FORMS["categories"], correct["q1_categories"]).values()
        for key in list(values)[:4]:
            values[key] = "not PHI" if values[key] != "not PHI" else "DATE"
        safe = forms.parse(FORMS["safe"], correct["q2_safe_table"]).values()
        for key, value in safe.items():  # the ZIP and the birth year left unsafe, ages raw
            if value == "000":
                safe[key] = "036"
            elif str(value).endswith(" or earlier"):
                safe[key] = str(int(str(value)[:4]) - 3)
            elif value == "90 or older":
                safe[key] = "93"
        return {
            "q1_categories": _answer_cell("categories", values),
            "q2_safe_table": _answer_cell("safe", safe),
            "q3_find_phi": q3,
        }
    answers = assigned(correct["q1_categories"], "answers")
    for item in list(answers)[:4]:
        answers[item] = "not PHI" if answers[item] != "not PHI" else "DATE"
    return {
        "q1_categories": f"answers = {literal(answers)}",
        "q2_safe_table": (
            "safe = pd.DataFrame({\n"
            '    "dob_year": patients["dob"].dt.year, "age": patients["age"],\n'
            '    "sex": patients["sex"], "state": patients["state"], "zip3": patients["zip"].str[:3],\n'
            '    "visit_date_year": patients["visit_date"].dt.year, "cpt": patients["cpt"]})'
        ),
        "q3_find_phi": q3,
    }


_PARTIAL_Q3 = (
    "def find_phi_spans(text):\n"
    "    patterns = [r'[\\w.+-]+@[\\w.-]+', r'\\b\\d{3}-\\d{2}-\\d{4}\\b',\n"
    "                r'\\(?\\d{3}\\)?[-. ]\\d{3}[-.]\\d{4}', r'\\b\\d{1,2}/\\d{1,2}/\\d{2,4}\\b']\n"
    "    return [m.span() for p in patterns for m in re.finditer(p, text)]"
)
