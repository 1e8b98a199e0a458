"""The denial-queue assignment for one course: nine denials to work, drawn from a larger set.

``draw(rng)`` picks nine of the denial situations below (code, amount and order drawn
too) and returns the template's values: the queue the student reads, the model
answers, and the key for the hidden tests.  Each situation's action follows the
group code (only a PR amount may be billed to the patient: CO is the provider's
contractual obligation) and what the CARC itself says to do (see
``remit_explain.carc_text``).

>>> import random
>>> values = draw(random.Random(3))
>>> values["queue"].count("('D") == 9
True
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from decimal import Decimal

from medbill_lab.training.assignments import PartScore, assigned, literal, part_points
from medbill_lab.training.assignments.post_835 import cents
from medbill_lab.training.element_log import shares

ACTIONS = ("resubmit", "appeal", "write_off", "bill_patient", "bill_other_payer")
# codes, group, CARC, RARC, whole dollars (low, high), notes, the next action
SITUATIONS = (
    (("99213", "99214", "99204"), "CO", "4", "", (90, 220),
     ("Modifier 59 was keyed on the office visit by mistake; the visit itself is fine.",
      "Modifier 76 was added to a visit that was not repeated; the visit itself is fine."),
     "resubmit"),
    (("85025", "80053", "81001", "36415"), "CO", "16", "N290", (12, 60),
     ("The rendering provider's NPI was left off the claim; it is in the provider file.",),
     "resubmit"),
    (("99213", "99214", "71046"), "CO", "16", "M76", (60, 220),
     ("Item 21 went out empty; the diagnosis is documented in the note.",), "resubmit"),
    (("97110", "20610", "93000"), "CO", "11", "", (45, 200),
     ("The line points at the wrong diagnosis in item 21; the note supports the service for the "
      "other one.",), "resubmit"),
    (("11102", "17110", "11300"), "CO", "97", "M15", (80, 250),
     ("The note documents this procedure on a separate lesion at another site from the other "
      "line's; the distinct-service modifier (59 or XS) was left off.",), "resubmit"),
    (("72148", "70553", "73721"), "CO", "50", "", (300, 1200),
     ("The note documents six weeks of failed therapy and a new neurologic deficit, as the "
      "payer's imaging policy requires.",), "appeal"),
    (("99213", "99214", "99203"), "CO", "29", "", (90, 220),
     ("The clearinghouse's acceptance report shows the claim reached the payer 40 days after the "
      "visit, well within the filing limit.",), "appeal"),
    (("99213", "99214", "99203"), "CO", "29", "", (90, 220),
     ("The claim was first sent 14 months after the visit; there is no proof of an earlier "
      "filing.",), "write_off"),
    (("96372",), "CO", "97", "M15", (20, 45),
     ("Injection billed with the visit the same day; the note shows no separate, distinct "
      "service.",), "write_off"),
    (("97530", "97112", "97140"), "CO", "50", "", (60, 200),
     ("The note does not meet the payer's policy criteria, no advance notice was signed, and the "
      "physician agrees the extra service was not needed.",), "write_off"),
    (("99203", "99204", "99213", "80053"), "PR", "1", "", (80, 250),
     ("The patient has not met this year's deductible.",), "bill_patient"),
    (("99214", "99213", "93000"), "PR", "2", "", (15, 60),
     ("The plan pays 80% after the deductible.",), "bill_patient"),
    (("99212", "99213", "99214"), "PR", "3", "", (15, 40),
     ("The plan's office-visit copay was not collected at check-in.",), "bill_patient"),
    (("97750", "97530", "97140"), "PR", "204", "", (60, 200),
     ("The plan excludes this service; the patient signed a financial waiver before it was "
      "done.",), "bill_patient"),
    (("99213", "99214", "99203"), "CO", "22", "", (90, 220),
     ("At check-out the patient said a new employer plan started in January; this payer is now "
      "secondary.",), "bill_other_payer"),
    (("99214", "99215", "93000"), "CO", "109", "", (60, 260),
     ("The patient's Medicare Advantage plan, not original Medicare, covers this date of "
      "service.",), "bill_other_payer"),
)  # fmt: skip
N_QUEUE = 9


def queue(rng: random.Random) -> list[tuple[str, ...]]:
    """Nine denials (item, code, group, CARC, RARC, amount, note, action): at least two to
    bill the patient and one to write off, so every question has something to find."""
    while True:
        picked = rng.sample(SITUATIONS, N_QUEUE)
        actions = [s[6] for s in picked]
        if actions.count("bill_patient") >= 2 and "write_off" in actions:
            break
    out = []
    for i, (codes, group, carc, rarc, (low, high), notes, action) in enumerate(picked, 1):
        change = rng.randrange(100) if carc == "2" else 0  # coinsurance is rarely whole dollars
        amount = f"{rng.randint(low, high)}.{change:02d}"
        out.append(
            (f"D{i}", rng.choice(codes), group, carc, rarc, amount, rng.choice(notes), action)
        )
    return out


def draw(rng: random.Random) -> dict[str, str]:
    """The template's values for one course: the queue, model answers and keys."""
    items = queue(rng)
    key = {q[0]: q[7] for q in items}
    patient = sorted(i for i, a in key.items() if a == "bill_patient")
    totals = {
        a: f"{sum(Decimal(q[5]) for q in items if q[7] == a):.2f}"
        for a in ("write_off", "bill_patient")
    }
    return {
        "queue": "[\n" + "".join(f"    {q[:7]!r},\n" for q in items) + "]",
        "q1_blank": literal(dict.fromkeys(key, "")),
        "q1_solution": literal(key),
        "q1_key": literal(key),
        "q2_solution": f'patient_group = "PR"\npatient_items = {literal(set(patient))}',
        "q2_key": literal(patient),
        "q3_solution": literal({a: float(v) for a, v in totals.items()}),
        "q3_key": literal(totals),
    }


# -- grading helpers (called by the hidden tests) -------------------------------------------
def score_actions(given: object, key: Mapping[str, str], points: float) -> PartScore:
    """``points`` x the share of items whose action is right."""
    answer = given if isinstance(given, Mapping) else {}
    right = [i for i, a in key.items() if str(answer.get(i, "")).strip() == a]
    rows = shares([(i, a, answer.get(i), i in right) for i, a in key.items()], "denials", points)
    return part_points(right, [i for i in key if i not in right], points, rows=rows)


def score_patient(group: object, items: object, key: list[str], points: float) -> PartScore:
    """One share for the group code of patient responsibility (PR), one for the items."""
    try:
        given = {str(i) for i in items}  # type: ignore[union-attr]
    except TypeError:
        given = set()
    checks = {"group code": str(group).strip().upper() == "PR", "items": given == set(key)}
    right = [k for k, ok in checks.items() if ok]
    items_given = sorted(given) if given else None
    rows = shares(
        [
            ("group code", "PR", group, checks["group code"]),
            ("items", sorted(key), items_given, checks["items"]),
        ],
        "denials",
        points,
    )
    return part_points(right, [k for k in checks if k not in right], points, rows=rows)


def score_totals(given: object, key: Mapping[str, str], points: float) -> PartScore:
    """One share for each total (to the cent)."""
    answer = given if isinstance(given, Mapping) else {}
    right = [a for a, v in key.items() if cents(answer.get(a)) == Decimal(v)]
    rows = shares([(a, v, answer.get(a), a in right) for a, v in key.items()], "AR", points)
    return part_points(right, [a for a in key if a not in right], points, rows=rows)


def partial(correct: Mapping[str, str]) -> dict[str, str]:
    """Partly right answers from the course's own: every CO item billed to the patient
    (the classic mistake), the PR group right but one item missing, totals blank."""
    actions = assigned(correct["q1_actions"], "actions")
    fixed = {i: ("bill_patient" if a in ("write_off", "appeal") else a) for i, a in actions.items()}
    items = sorted(assigned(correct["q2_patient"], "patient_items"))[1:]
    return {
        "q1_actions": f"actions = {literal(fixed)}",
        "q2_patient": f'patient_group = "PR"\npatient_items = {literal(set(items))}',
        "q3_totals": 'totals = {"write_off": None, "bill_patient": None}',
    }
