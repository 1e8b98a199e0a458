"""The de-identification assignment for one course: items, a patient table, graded notes.

``draw(rng)`` returns the template's values: twelve items to classify (eight
Safe Harbor identifiers and four details that may stay, values drawn too), five
patients to de-identify (one over 89, one born in the edge year, one restricted
ZIP3), the model answers, and the keys; the notes a student's PHI finder is graded
on come from a 128-bit seed written only into the hidden tests.  That seed comes
from its own generator (``derive``), so nothing handed out says anything of it.

>>> import random
>>> a, b = draw(random.Random(1)), draw(random.Random(2))
>>> a["items"] != b["items"] and a["notes_seed"] != b["notes_seed"]
True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

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
    return {
        "items": "[\n" + "".join(f"    {text!r},\n" for text, _ in pairs) + "]",
        "q1_solution": "{\n" + "".join(f"    {t!r}: {c!r},\n" for t, c in pairs) + "}",
        "q1_key": literal(dict(pairs)),
        "as_of": f"dt.date({as_of.year}, {as_of.month}, {as_of.day})",
        "patients": _frame_literal(table),
        "q2_solution": SOLUTION_Q2,
        "q2_key": literal(safe_key(as_of, table)),
        "q3_solution": SOLUTION_Q3,
        "notes_seed": str(hidden.getrandbits(128)),
    }


# -- grading helpers (called by the hidden tests) -------------------------------------------
def score_items(given: object, key: Mapping[str, str], points: float) -> PartScore:
    """``points`` x the share of items given their category; a line for each one missed."""
    answer = given if isinstance(given, Mapping) else {}
    right = [k for k, v in key.items() if answer.get(k) == v]
    wrong = [k for k in key if k not in right]
    notes = [f"{k!r}: you said {answer.get(k)!r}" for k in wrong]
    rows = shares([(k, v, answer.get(k), k in right) for k, v in key.items()], TOPIC, points)
    return part_points(right, wrong, points, notes, rows=rows)


def score_safe_table(given: object, key: Mapping[str, Sequence[str]], points: float) -> PartScore:
    """One share for the identifiers removed, one per generalised column right row by row."""
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
        "q3_find_phi": (
            "def find_phi_spans(text):\n"
            "    patterns = [r'[\\w.+-]+@[\\w.-]+', r'\\b\\d{3}-\\d{2}-\\d{4}\\b',\n"
            "                r'\\(?\\d{3}\\)?[-. ]\\d{3}[-.]\\d{4}', r'\\b\\d{1,2}/\\d{1,2}/\\d{2,4}\\b']\n"
            "    return [m.span() for p in patterns for m in re.finditer(p, text)]"
        ),
    }
