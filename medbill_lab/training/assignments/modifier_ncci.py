"""The modifiers and NCCI assignment for one course: scenarios drawn from reviewed pools.

Each question draws its items with the course's generator: which NCCI pair and story
(q1), which claims and edits, in which order (q2), which side had which study (q3),
which indicator-0 pair and the order of the choices (q4), which visits and where
the E/M line sits (q5).  Every answer is computed at drawing time from the story's
facts and checked against the lab's scrubber, so a key never disagrees with it; the
key goes only into the instructor's hidden tests.

Students answer on small forms (``%%answers modifier_ncci:q1 q1`` ...): a line and a
modifier, an edit id per claim, a modifier per line, a letter, a line number per visit.
:func:`plain` turns a form into the Python value the 0.1 cells held, which the graders
and the check cells take, so an old course's answers grade as before.

>>> import random
>>> values = draw(random.Random(4))
>>> plain(forms.parse(FORMS["q4"], values["q4_solution"]), "q4") in ("a", "b", "c", "d")
True
"""

from __future__ import annotations

import ast
import datetime as dt
import random
import string
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from medbill_lab.claims import scrubber
from medbill_lab.claims.model import Claim, Payer, Person, ServiceLine
from medbill_lab.codes import ncci
from medbill_lab.training import answer_forms as forms
from medbill_lab.training.answer_forms import Field, FormAnswers, FormSpec
from medbill_lab.training.assignments import PartScore, assigned, literal, part_points
from medbill_lab.training.element_log import element, shares

DAY = dt.date(2026, 4, 14)


def practice_claim(*lines: tuple, dx: tuple[str, ...] = ("M54.50",)) -> Claim:
    """A one-day claim; each line is (code, [modifiers], units).  Same as the notebook's."""
    return Claim(
        program="group",
        insured_id="PRACTICE1",
        patient=Person("Practice", "Pat", dob=dt.date(1970, 1, 1), sex="F"),
        payer=Payer("Practice Plan", "PP001"),
        diagnoses=list(dx),
        lines=[
            ServiceLine(DAY, code, Decimal("100.00"), modifiers=list(mods), units=Decimal(units))
            for code, mods, units in lines
        ],
        submitted_on=DAY,
    )


def _blocking(claim: Claim) -> list[str]:
    return [e.id for e in scrubber.scrub(claim) if e.blocking]


def _with(claim: Claim, mods: Mapping[int, list[str]]) -> Claim:
    for line, m in mods.items():
        claim = scrubber.apply_changes(claim, line=line, modifiers=m)
    return claim


# -- q1: one indicator-1 pair, one story ------------------------------------------------------
@dataclass(frozen=True)
class Story:
    """A same-day NCCI pair (column 1, column 2), what happened, and the modifier it supports."""

    column1: str
    column2: str
    text: str
    best: str
    dx: tuple[str, ...]
    units1: int = 1


STORIES = (
    Story("97530", "97140", "A physical therapist treats a patient for neck pain and a knee sprain "
          "in one visit: 15 minutes of **manual therapy** (97140) on the neck, then, in a "
          "**separate 15-minute block**, **therapeutic activities** (97530) for the knee. NCCI "
          "pays this pair on one day only when the two were done in separate time intervals; "
          "treating two body areas is not, by itself, a reason.", "XU", ("M54.2", "S83.91XA"), 2),
    Story("98940", "97140", "A chiropractor manipulates the **lumbar spine** (98940) and then gives "
          "**manual therapy** (97140) to the **right shoulder**, a region that was not "
          "manipulated. Manual therapy of the region manipulated would be part of the "
          "manipulation.", "XS", ("M99.03", "M25.511")),
    Story("45385", "45380", "During one colonoscopy the physician removes a polyp in the sigmoid "
          "colon with a **snare** (45385) and takes a **biopsy** (45380) of a **different** "
          "lesion in the ascending colon. A biopsy of the lesion that was snared would be part of "
          "the snare removal.", "XS", ("D12.5", "K63.5")),
    Story("94060", "94640", "A patient has **spirometry before and after a bronchodilator** "
          "(94060) in the morning. Two hours later, back in the office with an **asthma attack**, "
          "she is given a **nebulizer treatment** (94640). The drug given for the test is part "
          "of the test; the later treatment was a separate, non-overlapping service.", "XU",
          ("J45.901",)),
    Story("96374", "96372", "A patient gets an **IV push** of an anti-nausea drug (96374) for "
          "gastroenteritis; later in the visit, after the IV is removed, the nurse gives an "
          "**intramuscular** vitamin B12 injection (96372) for a separate deficiency. The two "
          "injections did not overlap.", "XU", ("K52.9", "D51.9")),
    Story("11400", "12001", "The physician **excises a 0.4 cm benign lesion** of the back "
          "(11400) and, at the same visit, **repairs a 2 cm laceration of the left hand** "
          "(12001) from a kitchen knife. A repair of the excision site itself would be part of "
          "the excision.", "XS", ("D23.5", "S61.412A")),
)  # fmt: skip


def _q1_claim(story: Story, swap: bool) -> tuple[tuple, ...]:
    one = (story.column1, [], story.units1)
    two = (story.column2, [], 1)
    return (two, one) if swap else (one, two)


@cache
def q1_pool() -> tuple[tuple[Story, bool], ...]:
    """Stories (in either line order) where the pair is denied and the best modifier clears it."""
    out = []
    for story in STORIES:
        for swap in (False, True):
            claim = practice_claim(*_q1_claim(story, swap), dx=story.dx)
            line = 1 if swap else 2
            fixed = _with(claim, {line: [story.best]})
            if _blocking(claim) == ["NCCI-PTP"] and not _blocking(fixed):
                out.append((story, swap))
    return tuple(out)


def score_q1(answer: object, key: Mapping, claim: Claim) -> PartScore:
    """2 for the best modifier on the column-2 line, 1 for 59 there, 0 otherwise."""
    answer = plain(answer, "q1")
    want = f"line {key['line']} {key['best']}"

    def rows(given: str, points: float) -> list[dict]:
        return [element("modifier that clears the pair", "modifiers", want, given, points, 2)]

    if not isinstance(answer, dict) or answer.get("line") not in (1, 2):
        return part_points([], ["line and modifier"], 2, rows=rows("", 0))
    mod = str(answer.get("modifier", "")).strip().upper()
    given = f"line {answer['line']} {mod}"
    clean = not _blocking(_with(claim, {answer["line"]: [mod]}))
    right_line = answer["line"] == key["line"]
    if clean and right_line and mod == key["best"]:
        note = f"{mod} says what happened: {key['why']}"
        return part_points(["modifier"], [], 2, [note], rows=rows(given, 2))
    if clean and right_line and mod == "59":
        note = f"59 gets it paid, but {key['best']} says more: {key['why']} (1 of 2)"
        return PartScore(1.0, (), ("modifier",), (note,), tuple(rows(given, 1)))
    note = f"line {key['line']} ({key['code']}) takes {key['best']}: {key['why']}"
    return part_points([], ["line and modifier"], 2, [note], rows=rows(given, 0))


# -- q2: which edit fires ----------------------------------------------------------------------
# (edit id, how the table shows it, the lines, diagnoses); each checked with the scrubber
Q2_CANDIDATES = (
    ("NCCI-PTP", "80053 (1 unit); 80048 with 59 (1 unit)",
     (("80053", [], 1), ("80048", ["59"], 1)), ("E11.9",)),
    ("NCCI-PTP", "93000 (1 unit); 93010 (1 unit)", (("93000", [], 1), ("93010", [], 1)), ("R07.9",)),
    ("NCCI-PTP", "94060 (1 unit); 94010 with XU (1 unit)",
     (("94060", [], 1), ("94010", ["XU"], 1)), ("J45.901",)),
    ("MOD-50", "20610 with 50, **2 units** (both knees)", (("20610", ["50"], 2),), ("M17.0",)),
    ("MOD-50", "69210 with 50, **2 units** (both ears)", (("69210", ["50"], 2),), ("H61.23",)),
    ("MOD-25", "99213 with 25 (1 unit), nothing else that day", (("99213", ["25"], 1),), ("I10",)),
    ("MOD-25", "99214 with 25 (1 unit); 36415 (1 unit)",
     (("99214", ["25"], 1), ("36415", [], 1)), ("E11.9",)),
    ("MOD-LTRT", "73610 with LT **and** RT on the same line",
     (("73610", ["LT", "RT"], 1),), ("M25.571",)),
    ("MOD-LTRT", "73560 with RT **and** LT on the same line",
     (("73560", ["RT", "LT"], 1),), ("M25.561",)),
    ("MOD-INVALID", "99213 with modifier **Q9** (1 unit)", (("99213", ["Q9"], 1),), ("I10",)),
    ("MOD-INVALID", "87880 with modifier **XJ** (1 unit)", (("87880", ["XJ"], 1),), ("J02.0",)),
    ("DUP-LINE", "36415 (1 unit); 36415 again (1 unit)",
     (("36415", [], 1), ("36415", [], 1)), ("E11.9",)),
    ("DUP-LINE", "87880 (1 unit); 87880 again (1 unit)",
     (("87880", [], 1), ("87880", [], 1)), ("J02.0",)),
    ("MUE", "97110, 4 units; 97110 with GP, 3 units, same day",
     (("97110", [], 4), ("97110", ["GP"], 3)), ("M54.50",)),
    ("MUE", "80048, **2 units**", (("80048", [], 2),), ("E11.9",)),
    ("MUE", "94010, **2 units**", (("94010", [], 2),), ("J45.901",)),
)  # fmt: skip


def fires(claim: Claim) -> list[str]:
    """The ids of the edits the scrubber reports on a claim."""
    return sorted({e.id for e in scrubber.scrub(claim)})


@cache
def q2_pool() -> dict[str, tuple[tuple, ...]]:
    """Edit id -> the candidate claims on which the scrubber reports that edit alone."""
    out: dict[str, list[tuple]] = {}
    for edit, shown, lines, dx in Q2_CANDIDATES:
        if fires(practice_claim(*lines, dx=dx)) == [edit]:
            out.setdefault(edit, []).append((shown, lines, dx))
    return {k: tuple(v) for k, v in out.items()}


def score_edits(answer: object, key: Mapping[str, str], points: float) -> PartScore:
    """``points`` x the share of claims whose edit id is named."""
    answer = plain(answer, "q2")
    answer = answer if isinstance(answer, dict) else {}
    right = [k for k in key if str(answer.get(k, "")).strip().upper() == key[k]]
    notes = [f"{k}: the scrubber reports {key[k]}" for k in key if k not in right]
    each = points / len(key) if key else 0.0
    rows = [
        element(k, _edit_topic(key[k]), key[k], answer.get(k), each if k in right else 0, each)
        for k in key
    ]
    return part_points(right, [k for k in key if k not in right], points, notes, rows=rows)


def _edit_topic(edit: str) -> str:
    """The report's topic of a scrubber edit: the NCCI edits (PTP pairs, MUEs) or modifiers."""
    return "NCCI" if edit in ("NCCI-PTP", "MUE") else "modifiers"


# -- q3: both sides -------------------------------------------------------------------------------
# (bigger study, smaller study, what each is in words, dx right, dx left)
SIDES = (
    (
        "73562",
        "73560",
        "a **3-view X-ray of the {a} knee** (73562)",
        "a **1-2 view X-ray of the {b} knee** (73560)",
        "S80.01XA",
        "S80.02XA",
    ),
    (
        "73564",
        "73562",
        "a **4-view X-ray of the {a} knee** (73564)",
        "a **3-view X-ray of the {b} knee** (73562)",
        "S80.01XA",
        "S80.02XA",
    ),
    (
        "73564",
        "73560",
        "a **4-view X-ray of the {a} knee** (73564)",
        "a **1-2 view X-ray of the {b} knee** (73560)",
        "S80.01XA",
        "S80.02XA",
    ),
    (
        "29880",
        "29881",
        "an arthroscopic **meniscectomy of both compartments of the {a} knee** (29880)",
        "an arthroscopic **meniscectomy of one compartment of the {b} knee** (29881)",
        "M23.221",
        "M23.222",
    ),
)
SIDE = {"RT": "right", "LT": "left"}


@cache
def q3_pool() -> tuple[tuple, ...]:
    """(pair, side of the bigger study, line order) that the sides clear and nothing else does."""
    out = []
    for pair in SIDES:
        for first_side in ("RT", "LT"):
            for swap in (False, True):
                lines = [(pair[0], [], 1), (pair[1], [], 1)]
                sides = [first_side, "LT" if first_side == "RT" else "RT"]
                if swap:
                    lines, sides = lines[::-1], sides[::-1]
                dx = (pair[4], pair[5])
                claim = practice_claim(*lines, dx=dx)
                fixed = _with(claim, {1: [sides[0]], 2: [sides[1]]})
                if _blocking(claim) == ["NCCI-PTP"] and not _blocking(fixed):
                    out.append((pair, first_side, swap))
    return tuple(out)


def score_sides(answer: object, key: Mapping[int, str], claim: Claim) -> PartScore:
    """2 for the modifiers that say what was done, 1 for ones that only get paid."""
    answer = plain(answer, "q3")
    want = f"line 1 {key[1]}, line 2 {key[2]}"

    def rows(given: str, points: float) -> list[dict]:
        return [element("side modifiers", "modifiers", want, given, points, 2)]

    if not isinstance(answer, dict) or set(answer) != {1, 2}:
        return part_points([], ["modifiers"], 2, rows=rows("", 0))
    mods = {n: str(m).strip().upper() for n, m in answer.items()}
    given = f"line 1 {mods[1]}, line 2 {mods[2]}"
    clean = not _blocking(_with(claim, {n: [m] for n, m in mods.items()}))
    if clean and mods == dict(key):
        return part_points(["modifiers"], [], 2, rows=rows(given, 2))
    note = f"the story says line 1 {key[1]}, line 2 {key[2]}"
    if clean:
        paid = f"paid, but not what was done: {note}"
        return PartScore(1.0, (), ("modifiers",), (paid,), tuple(rows(given, 1)))
    return part_points([], ["modifiers"], 2, [note], rows=rows(given, 0))


# -- q4: a pair no modifier fixes --------------------------------------------------------------
NEVER = (
    (
        "80053",
        "80048",
        "a lab bills a **comprehensive metabolic panel** (80053) and a **basic "
        "metabolic panel** (80048) from the same blood draw",
    ),
    (
        "93000",
        "93010",
        "a practice bills a **complete ECG** (93000) and the **ECG interpretation "
        "and report** (93010) for the same tracing",
    ),
    (
        "94060",
        "94010",
        "a clinic bills **spirometry before and after a bronchodilator** (94060) "
        "and **spirometry** (94010) from the same session",
    ),
    (
        "47600",
        "47562",
        "a surgeon bills an **open gallbladder removal** (47600) and the "
        "**laparoscopic gallbladder removal** (47562) it was converted from",
    ),
    (
        "44950",
        "44970",
        "a surgeon bills an **open appendectomy** (44950) and the **laparoscopic "
        "appendectomy** (44970) it was converted from",
    ),
)


def q4_choices(c1: str, c2: str) -> tuple[str, tuple[str, ...]]:
    """(the right choice, the wrong ones) for an indicator-0 pair."""
    right = f"remove the {c2} line and correct the total charge in item 28"
    wrong = (
        f"add 59 to {c2}",
        f"add XU to {c1}",
        f"send {c2} on a second claim the next day",
    )
    return right, wrong


def score_choice(answer: object, key: str, why: str) -> PartScore:
    """All or nothing: the letter of the right choice."""
    answer = plain(answer, "q4")
    ok = isinstance(answer, str) and answer.strip().lower() == key
    rows = [element("pair no modifier fixes", "NCCI", key, answer, 2 if ok else 0, 2)]
    if ok:
        return part_points(["choice"], [], 2, rows=rows)
    return part_points([], ["choice"], 2, [why], rows=rows)


# -- q5: where does 25 go --------------------------------------------------------------------------
# (E/M code, what the visit was for, dx) and (service, what it was, dx, procedure?)
EM_REASONS = (
    ("99214", "diabetes and blood pressure reviewed, medicines changed", "E11.9"),
    ("99213", "cough evaluated", "R05.9"),
    ("99213", "asthma flare evaluated, plan changed", "J45.901"),
    ("99213", "blood pressure follow-up, medicine adjusted", "I10"),
    ("99214", "new abdominal pain evaluated, tests ordered", "R10.9"),
    ("99212", "sore throat evaluated", "J02.9"),
)
SERVICES = (
    ("20610", ["RT"], "steroid injection, right knee", "M17.11"),
    ("20610", ["LT"], "steroid injection, left knee", "M17.12"),
    ("17110", [], "destruction of warts on the hand", "B07.8"),
    ("69210", ["LT"], "impacted earwax removed with instruments, left ear", "H61.22"),
    ("11102", [], "biopsy of a skin lesion of the arm", "L98.9"),
    ("12001", [], "simple repair of a 2 cm scalp laceration", "S01.01XA"),
    ("10060", [], "incision and drainage of a skin abscess", "L02.412"),
    ("94640", [], "nebulizer treatment", "J45.901"),
    ("36415", [], "blood drawn for labs", "R53.83"),
    ("81002", [], "urine dipstick test", "R30.0"),
    ("87880", [], "rapid strep test", "J02.9"),
    ("85025", [], "complete blood count", "R53.83"),
)


def needs_25(claim: Claim, em_line: int) -> int:
    """The E/M line when 25 on it raises no MOD-25 edit (a same-day procedure), else 0."""
    _, _, new = scrubber.what_if(claim, line=em_line, modifiers=["25"])
    return 0 if any(e.id == "MOD-25" for e in new) else em_line


def score_mod25(answer: object, key: Mapping[str, int], points: float) -> PartScore:
    """``points`` x the share of visits with the right line number (0 for none)."""
    answer = plain(answer, "q5")
    answer = answer if isinstance(answer, dict) else {}
    right = [k for k in key if answer.get(k) == key[k]]
    rows = shares([(k, key[k], answer.get(k), k in right) for k in key], "modifiers", points)
    return part_points(right, [k for k in key if k not in right], points, rows=rows)


# -- drawing ------------------------------------------------------------------------------------
def _lines_text(lines: tuple) -> str:
    return "; ".join(
        f"{c}{' with ' + ' and '.join(m) if m else ''} ({u} unit{'s' if u != 1 else ''})"
        for c, m, u in lines
    )


def _claim_source(lines: tuple, dx: tuple[str, ...]) -> str:
    return f"practice_claim({', '.join(repr(tuple(ln)) for ln in lines)}, dx={tuple(dx)!r})"


def _q1(rng: random.Random) -> dict[str, str]:
    story, swap = rng.choice(q1_pool())
    lines = _q1_claim(story, swap)
    line = 1 if swap else 2
    key = {"line": line, "best": story.best, "code": story.column2, "why": _WHY[story.best]}
    return {
        "q1_story": story.text,
        "q1_claim": _claim_source(lines, story.dx),
        "q1_solution": literal({"line": line, "modifier": story.best}),
        "q1_key": literal(key),
    }


_WHY = {
    "XU": "a separate service that did not overlap the other",
    "XS": "a separate site or structure (another lesion, region or organ)",
    "XE": "a separate encounter the same day",
}


def _q2(rng: random.Random) -> dict[str, str]:
    pool = q2_pool()
    edits = rng.sample(sorted(pool), 5)
    picked = {k: rng.choice(pool[e]) for k, e in zip("abcde", edits, strict=True)}
    table = "\n".join(f"| {k} | {shown} |" for k, (shown, _, _) in picked.items())
    claims = "\n".join(f'    "{k}": {_claim_source(ln, dx)},' for k, (_, ln, dx) in picked.items())
    key = dict(zip("abcde", edits, strict=True))
    return {
        "q2_ids": ", ".join(f"`{e}`" for e in sorted({e for e, *_ in Q2_CANDIDATES})),
        "q2_table": table,
        "q2_claims": "claims2 = {\n" + claims + "\n}",
        "q2_solution": literal(key),
        "q2_key": literal(key),
    }


def _q3(rng: random.Random) -> dict[str, str]:
    pair, first_side, swap = rng.choice(q3_pool())
    other = "LT" if first_side == "RT" else "RT"
    big = pair[2].format(a=SIDE[first_side])
    small = pair[3].format(b=SIDE[other])
    lines = [(pair[0], [], 1), (pair[1], [], 1)]
    sides, said = [first_side, other], [big, small]
    if swap:
        lines, sides, said = lines[::-1], sides[::-1], said[::-1]
    story = f"The same day, the claim has {said[0]} on line 1 and {said[1]} on line 2."
    key = {1: sides[0], 2: sides[1]}
    return {
        "q3_story": story,
        "q3_claim": _claim_source(tuple(lines), (pair[4], pair[5])),
        "q3_solution": literal(key),
        "q3_key": literal(key),
    }


def _q4(rng: random.Random) -> dict[str, str]:
    c1, c2, story = rng.choice(NEVER)
    right, wrong = q4_choices(c1, c2)
    choices = [right, *wrong]
    rng.shuffle(choices)
    letter = string.ascii_lowercase[choices.index(right)]
    row = ncci.ptp_table()[(c1, c2)][0]
    why = (
        f"Indicator 0: no modifier bypasses the edit, and splitting the claim is unbundling. "
        f"{row.rationale}: {right}."
    )
    return {
        "q4_story": story[0].upper() + story[1:],
        "q4_choices": "\n".join(
            f"* **{string.ascii_lowercase[i]}** {c}" for i, c in enumerate(choices)
        ),
        "q4_solution": repr(letter),
        "q4_key": f"{letter!r}, {why!r}",
    }


def _q5(rng: random.Random) -> dict[str, str]:
    procs = [s for s in SERVICES if scrubber._is_procedure(s[0])]
    others = [s for s in SERVICES if not scrubber._is_procedure(s[0])]
    n_procs = rng.choice((1, 2))  # so some visits get 25 and some do not
    services = rng.sample(procs, n_procs) + rng.sample(others, 3 - n_procs)
    rng.shuffle(services)
    rows, claims, key = [], [], {}
    for k, (code, mods, what, dx) in zip("abc", services, strict=True):
        em, reason, em_dx = rng.choice(EM_REASONS)
        em_at = 1 if rng.random() < 0.6 else 2
        lines = [(em, [], 1), (code, mods, 1)]
        shown = [f"{em}: {reason}", f"{code}{' with ' + ' '.join(mods) if mods else ''}: {what}"]
        if em_at == 2:
            lines, shown = lines[::-1], shown[::-1]
        rows.append(f"| {k} | {shown[0]} | {shown[1]} |")
        claims.append(f'    "{k}": {_claim_source(tuple(lines), (em_dx, dx))},')
        key[k] = needs_25(practice_claim(*lines, dx=(em_dx, dx)), em_at)
    return {
        "q5_table": "\n".join(rows),
        "q5_claims": "visits5 = {\n" + "\n".join(claims) + "\n}",
        "q5_solution": literal(key),
        "q5_key": literal(key),
    }


def draw(rng: random.Random) -> dict[str, str]:
    """The template's values for one course: scenarios, model answers (on the forms) and keys."""
    values = {**_q1(rng), **_q2(rng), **_q3(rng), **_q4(rng), **_q5(rng)}
    for q in FORMS:
        values[f"{q}_solution"] = _form_text(q, ast.literal_eval(values[f"{q}_solution"]))
    return values


# -- the answer forms ------------------------------------------------------------------------------
LINE = (("1", "line 1"), ("2", "line 2"))
FORMS = {
    "q1": FormSpec("modifier_ncci:q1", [
        Field("line", "Question 1 line that gets the modifier", "choice", options=LINE),
        Field("modifier", "Question 1 modifier", "code", hint="two characters")]),
    "q2": FormSpec("modifier_ncci:q2", [
        Field(k, f"Claim {k} edit id", "code", hint="an edit id from the list above")
        for k in "abcde"]),
    "q3": FormSpec("modifier_ncci:q3", [
        Field(f"line{n}", f"Line {n} modifier", "code", hint="two characters") for n in (1, 2)]),
    "q4": FormSpec("modifier_ncci:q4", [
        Field("choice", "Question 4 answer", "choice", options=tuple((c, c) for c in "abcd"))]),
    "q5": FormSpec("modifier_ncci:q5", [
        Field(k, f"Visit {k} line that gets 25", "choice", options=(("0", "none"), *LINE))
        for k in "abc"]),
}  # fmt: skip
ANSWER_CELLS = {"q1": "q1_modifier", "q2": "q2_edits", "q3": "q3_sides", "q4": "q4_fix",
                "q5": "q5_mod25"}  # fmt: skip


def _typed(form: FormAnswers, key: str) -> str:
    """A field's value as the graders read text ('' when blank; as typed when unreadable)."""
    value = form.get(key)
    return str(value) if value is not None else form.raw(key).strip()


def _number(form: FormAnswers, key: str) -> int | None:
    value = form.get(key)
    return int(value) if value is not None else None


def plain(answer: object, question: str) -> object:
    """The answer as the 0.1 cells held it (what the graders and checks take): the form
    read into ``{"line": 2, "modifier": "XU"}``, ``{"a": "MUE", ...}``, ``{1: "RT", 2:
    "LT"}``, ``"b"`` or ``{"a": 1, ...}``; anything but a form as it is.

    >>> plain(forms.parse(FORMS["q1"], "Question 1 line: line 2\\nQuestion 1 modifier: xu"), "q1")
    {'line': 2, 'modifier': 'XU'}
    >>> plain(forms.parse(FORMS["q5"], "Visit a: none\\nVisit b: 1"), "q5")
    {'a': 0, 'b': 1, 'c': None}
    """
    if not isinstance(answer, FormAnswers):
        return answer
    if question == "q1":
        return {"line": _number(answer, "line"), "modifier": _typed(answer, "modifier")}
    if question == "q2":
        return {k: _typed(answer, k) for k in "abcde"}
    if question == "q3":
        return {n: _typed(answer, f"line{n}") for n in (1, 2)}
    if question == "q4":
        return _typed(answer, "choice")
    return {k: _number(answer, k) for k in "abc"}


def _form_values(question: str, value: object) -> dict[str, object]:
    """The form's values that say ``value`` (the inverse of :func:`plain`)."""
    if question == "q1":
        return {"line": str(value["line"]), "modifier": value["modifier"]}  # type: ignore[index]
    if question == "q3":
        return {f"line{n}": m for n, m in value.items()}  # type: ignore[union-attr]
    if question == "q4":
        return {"choice": value}
    return {k: (None if v is None else str(v)) for k, v in value.items()}  # type: ignore[union-attr]


def _form_text(question: str, value: object) -> str:
    return forms.fill_form(FORMS[question], _form_values(question, value))


def filled_form(question: str, value: object) -> str:
    """The answer cell of ``question`` filled in with ``value`` (as :func:`plain` gives it)."""
    return f"%%answers modifier_ncci:{question} {question}\n{_form_text(question, value)}"


# -- a partly right sample submission (course demo) -----------------------------------------
def partial(correct: Mapping[str, str]) -> dict[str, str]:
    """Partly right answers from the course's own: 59 for q1, two edits wrong, the sides
    swapped (paid, not what was done), the wrong letter, and one visit wrong.

    Written on the forms (or in Python, for a course made before the forms)."""
    is_form = correct["q1_modifier"].lstrip().startswith("%%answers")

    def model(q: str) -> object:
        source = correct[ANSWER_CELLS[q]]
        return plain(forms.parse(FORMS[q], source), q) if is_form else assigned(source, q)

    q1, q2, q3, q4, q5 = (model(q) for q in FORMS)
    q2["a"], q2["b"] = q2["b"], q2["a"]
    q5["a"] = 0 if q5["a"] else (1 if q5["b"] != 1 else 2)
    answers = {"q1": {"line": q1["line"], "modifier": "59"}, "q2": q2, "q3": {1: q3[2], 2: q3[1]},
               "q4": "a" if q4 != "a" else "b", "q5": q5}  # fmt: skip
    if is_form:
        return {ANSWER_CELLS[q]: filled_form(q, v) for q, v in answers.items()}
    return {ANSWER_CELLS[q]: f"{q} = {literal(v)}" for q, v in answers.items()}
