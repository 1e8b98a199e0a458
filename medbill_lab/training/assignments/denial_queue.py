"""The denial-queue assignment for one course: nine denials to work, drawn from a larger set.

``draw(rng)`` picks nine of the denial situations below (code, amount and order drawn
too) and returns the template's values: the queue the student reads, the model
answers, and the key for the hidden tests.  Each situation's action follows the
group code (only a PR amount may be billed to the patient: CO is the provider's
contractual obligation) and what the CARC itself says to do (see
``remit_explain.carc_text``).

Students answer on three plain-text forms (:data:`FORMS`: ``%%answers
denial_queue:actions actions`` and so on): an action per item by its word, the group
code and the items as typed in a billing system, the totals in dollars and cents.  The
scorers take the form or, in a course made before the forms, the Python answers; the
form maps to those (:func:`actions_from`, :func:`patient_from`, :func:`totals_from`), so
the points are the same for the same answers.

>>> import random
>>> values = draw(random.Random(3))
>>> values["queue"].count("('D") == 9
True
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from decimal import Decimal

from medbill_lab.payer.explain import group_text
from medbill_lab.training import answer_forms as forms
from medbill_lab.training.answer_forms import Field, FormAnswers, FormSpec
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
        "q1_solution": filled_form("actions", key),
        "q1_key": literal(key),
        "q2_solution": filled_form("patient", {"group": "PR", "items": patient}),
        "q2_key": literal(patient),
        "q3_solution": filled_form("totals", totals),
        "q3_key": literal(totals),
    }


# -- the answer forms ----------------------------------------------------------------------------
ITEMS = tuple(f"D{i}" for i in range(1, N_QUEUE + 1))
# an action as a student types it: its word ("write off" for write_off)
ACTION_WORDS = tuple((a.replace("_", " "), a.replace("_", " ")) for a in ACTIONS)
FORMS = {
    "actions": FormSpec(
        "denial_queue:actions",
        [Field(i, f"{i} next action", "choice", options=ACTION_WORDS) for i in ITEMS],
        title="The next action for each item of the queue, by its word",
    ),
    "patient": FormSpec(
        "denial_queue:patient",
        [
            Field("group", "Group code that means patient responsibility", "code",
                  pattern=r"[A-Z]{2}", hint="two letters, e.g. CO"),
            Field("items", "Items the practice may bill to the patient", "codes",
                  pattern=r"D[1-9]", hint="the items, comma between, e.g. D1, D4"),
        ],
        title="What the patient owes",
    ),
    "totals": FormSpec(
        "denial_queue:totals",
        [
            Field("write_off", "Total the practice writes off", "money"),
            Field("bill_patient", "Total moved to patients' balances", "money"),
        ],
        title="The queue's totals, in dollars and cents",
    ),
}  # fmt: skip
# the name each answer cell binds, by form
BINDS = {"actions": "actions", "patient": "patient", "totals": "totals"}


def magic(which: str) -> str:
    """The answer cell's first line, e.g. ``%%answers denial_queue:actions actions``."""
    return forms.magic_line("denial_queue", which, BINDS)


def actions_from(a: FormAnswers) -> dict[str, str]:
    """Item -> the action chosen ('' when blank or not one of them), as the scorer takes it."""
    return {i: str(a.get(i, "")).replace(" ", "_") for i in ITEMS}


def patient_from(a: FormAnswers) -> tuple[str, list[str]]:
    """(the group code, the items) the form gives, as :func:`score_patient` takes them."""
    return str(a.get("group", "")), list(a.get("items", []))  # type: ignore[call-overload]


def totals_from(a: FormAnswers) -> dict[str, object]:
    """The two totals (None when blank or unreadable), as :func:`score_totals` takes them."""
    return {k: a.get(k) for k in ("write_off", "bill_patient")}


def _as_given(given: object, which: str) -> object:
    """A form's answers as the Python answer of a course made before the forms."""
    if not isinstance(given, FormAnswers):
        return given
    return {"actions": actions_from, "totals": totals_from}[which](given)


def filled_form(which: str, answer: Mapping[str, object]) -> str:
    """The form ``which`` filled in with ``answer`` (a key, or the values of the form)."""
    if which == "actions":
        answer = {i: str(a).replace("_", " ") for i, a in answer.items()}
    return forms.fill_form(FORMS[which], dict(answer))


def _answer_cell(which: str, answer: Mapping[str, object] | None) -> str:
    """A whole answer cell: the magic line and the form (blank when ``answer`` is None)."""
    text = filled_form(which, answer) if answer is not None else forms.blank_form(FORMS[which])
    return f"{magic(which)}\n{text}"


# -- the self-checks (the visible part of each test cell; never an answer) ----------------------
def check_actions(given: object, queue: list[tuple]) -> str:
    """That every item has one of the actions; AssertionError naming what to fix."""
    actions = _as_given(given, "actions")
    assert isinstance(actions, dict) and set(actions) == {q[0] for q in queue}, (
        "give an action for each of the nine items D1 to D9"
    )
    for item, action in actions.items():
        assert action in ACTIONS, f"{item}: choose one of {', '.join(w for _, w in ACTION_WORDS)}"
    return "Every item has an action."


def check_patient(group: object, items: object, queue: list[tuple]) -> str:
    """The group code given and what it means; AssertionError when it or the items are
    not in the right form."""
    assert isinstance(group, str) and len(group.strip()) == 2, (
        "a group code has two letters, e.g. CO"
    )
    assert isinstance(items, set | list | tuple), "give the items, e.g. D1, D2"
    assert set(items) <= {q[0] for q in queue}, "use the item names D1 to D9"
    code = group.strip().upper()
    return f"Patient responsibility: {code} - {group_text(code)}"


def check_totals(given: object, queue: list[tuple]) -> str:
    """The whole queue's total, to check the two against; AssertionError when one is missing."""
    totals = _as_given(given, "totals")
    assert isinstance(totals, dict) and set(totals) == {"write_off", "bill_patient"}, (
        "keep the keys write_off and bill_patient"
    )
    assert all(cents(v) is not None for v in totals.values()), "give two amounts, e.g. 12.50"
    return f"queue total: {sum(Decimal(q[5]) for q in queue)}"


# -- grading helpers (called by the hidden tests) -------------------------------------------
def score_actions(given: object, key: Mapping[str, str], points: float) -> PartScore:
    """``points`` x the share of items whose action is right (``given``: the form, or a dict)."""
    given = _as_given(given, "actions")
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
    given = _as_given(given, "totals")
    answer = given if isinstance(given, Mapping) else {}
    ok = {a: cents(answer.get(a)) == Decimal(v) for a, v in key.items()}
    rows = shares([(a, v, answer.get(a), ok[a]) for a, v in key.items()], "AR", points)
    said = {"write_off": "the total written off", "bill_patient": "the total moved to patients"}
    right = [said.get(a, a) for a in key if ok[a]]
    return part_points(right, [said.get(a, a) for a in key if not ok[a]], points, rows=rows)


def partial(correct: Mapping[str, str]) -> dict[str, str]:
    """Partly right answers from the course's own: every CO item billed to the patient
    (the classic mistake), the PR group right but one item missing, totals blank.

    Written on the forms (or in Python, for a course made before the forms)."""
    source = correct["q1_actions"]
    if not source.lstrip().startswith("%%answers"):
        return _partial_python(correct)
    actions = actions_from(forms.parse(FORMS["actions"], source))
    _, items = patient_from(forms.parse(FORMS["patient"], correct["q2_patient"]))
    return {
        "q1_actions": _answer_cell("actions", _co_billed(actions)),
        "q2_patient": _answer_cell("patient", {"group": "PR", "items": sorted(items)[1:]}),
        "q3_totals": _answer_cell("totals", None),
    }


def _co_billed(actions: Mapping[str, str]) -> dict[str, str]:
    return {i: ("bill_patient" if a in ("write_off", "appeal") else a) for i, a in actions.items()}


def _partial_python(correct: Mapping[str, str]) -> dict[str, str]:
    actions = assigned(correct["q1_actions"], "actions")
    items = sorted(assigned(correct["q2_patient"], "patient_items"))[1:]
    return {
        "q1_actions": f"actions = {literal(_co_billed(actions))}",
        "q2_patient": f'patient_group = "PR"\npatient_items = {literal(set(items))}',
        "q3_totals": 'totals = {"write_off": None, "bill_patient": None}',
    }
