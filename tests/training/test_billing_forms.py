"""835 posting, the denial queue, AR aging and de-identification answered on plain-text forms.

Each answer cell is a ``%%answers`` form (issue 15, part 3): the model answer a course
draws reads back as its key, what a student types loosely (any case, ``$``, shortened
labels, a word for a choice) grades the same, a slip loses only its own share, and a
value the form cannot read is named in plain words.  The form maps to the structure
the scorer took before the forms, so the points for the same answers are unchanged.
The nbgrader cycle (full, partial, blank) is in tests/e2e/test_course_billing_assignments.py.
"""

from __future__ import annotations

import ast
import random
from decimal import Decimal
from pathlib import Path

import nbformat
import pytest

from medbill_lab.training import answer_forms as af
from medbill_lab.training import assignments, course
from medbill_lab.training.assignments import ar_aging, deidentify_notes, denial_queue, post_835

ROOT = Path(__file__).resolve().parents[2]
FORM_CELLS = {
    "post_835": {"q1_posting": "posting", "q2_reconcile": "reconcile", "q3_denial": "denial"},
    "denial_queue": {"q1_actions": "actions", "q2_patient": "patient", "q3_totals": "totals"},
    "ar_aging": {"q1_by_payer": "by_payer", "q2_by_patient": "by_patient", "q3_summary": "summary"},
    "deidentify_notes": {"q1_categories": "categories", "q2_safe_table": "safe"},
}
SEEDS = range(4)


def _key(values: dict[str, str], name: str) -> object:
    return ast.literal_eval(values[name])


def _parse(mod, which: str, text: str) -> af.FormAnswers:
    return af.parse(mod.FORMS[which], text)


# -- the templates: each answer cell is its blank form ------------------------------------------
@pytest.mark.parametrize("name", FORM_CELLS)
def test_each_answer_cell_of_the_template_is_the_blank_form_then_the_model_answer(name):
    nb = nbformat.read(ROOT / "exercises" / name / f"{name}.ipynb", 4)
    mod = assignments.module(name)
    text = "\n".join(c.source for c in nb.cells)
    assert "NotImplementedError" not in text.replace("raise NotImplementedError()", "")
    assert "delete the line" not in text and "skeleton" not in text
    assert "%load_ext medbill_lab.training.answer_forms" in nb.cells[1].source
    for grade_id, which in FORM_CELLS[name].items():
        cell = next(
            c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id
        )
        head, _, region = cell.source.partition("### BEGIN SOLUTION\n")
        assert head == f"{mod.magic(which)}\n{af.blank_form(mod.FORMS[which])}\n"
        assert region.strip().startswith("{{") and region.strip().endswith("### END SOLUTION")


# -- the model answer reads back as the key ------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
def test_the_835_model_forms_read_back_as_the_key(seed):
    v = post_835.draw(random.Random(seed))
    posting = post_835.posting_from(_parse(post_835, "posting", v["q1_solution"]))
    key = _key(v, "q1_key")
    assert posting == {a: [tuple(Decimal(x) for x in t) for t in ts] for a, ts in key.items()}
    reconcile = post_835.reconcile_from(_parse(post_835, "reconcile", v["q2_solution"]))
    want = _key(v, "q2_key")
    assert Decimal(reconcile["claims_paid"]) == Decimal(want["claims_paid"])
    assert post_835.cents(reconcile["plb_total"]) == Decimal(want["plb_total"])
    assert reconcile["balances"] is want["balances"]
    assert post_835.denial_from(_parse(post_835, "denial", v["q3_solution"])) == _key(v, "q3_key")


@pytest.mark.parametrize("seed", SEEDS)
def test_the_denial_queue_model_forms_read_back_as_the_key(seed):
    v = denial_queue.draw(random.Random(seed))
    actions = denial_queue.actions_from(_parse(denial_queue, "actions", v["q1_solution"]))
    assert actions == _key(v, "q1_key")
    group, items = denial_queue.patient_from(_parse(denial_queue, "patient", v["q2_solution"]))
    assert (group, items) == ("PR", _key(v, "q2_key"))
    totals = denial_queue.totals_from(_parse(denial_queue, "totals", v["q3_solution"]))
    assert totals == {k: Decimal(x) for k, x in _key(v, "q3_key").items()}


@pytest.mark.parametrize("seed", SEEDS)
def test_the_aging_model_forms_read_back_as_the_key(seed):
    v = ar_aging.draw(random.Random(seed))
    for which, key in (("by_payer", "q1_key"), ("by_patient", "q2_key")):
        table = ar_aging.table_from(_parse(ar_aging, which, v[key.replace("key", "solution")]))
        assert {k: list(r) for k, r in table.iterrows()} == _key(v, key)
        assert list(table.columns) == list(ar_aging.BUCKETS)
    summary = _key(v, "q3_key")
    total, share = ar_aging.summary_from(_parse(ar_aging, "summary", v["q3_solution"]))
    assert (total, share) == (summary["total_ar"], summary["share_over_90"])


@pytest.mark.parametrize("seed", SEEDS)
def test_the_deid_model_forms_read_back_as_the_key(seed):
    v = deidentify_notes.draw(random.Random(seed))
    items = _key(v, "items")
    answers = _parse(deidentify_notes, "categories", v["q1_solution"])
    assert deidentify_notes.categories_from(answers, items) == _key(v, "q1_key")
    safe = deidentify_notes.safe_from(_parse(deidentify_notes, "safe", v["q2_solution"]))
    assert list(safe.columns) == list(deidentify_notes.SAFE_COLUMNS)
    assert {c: list(safe[c]) for c in deidentify_notes.GENERALISED} == _key(v, "q2_key")


# -- what a student types ------------------------------------------------------------------------
def _typed_posting(key: dict) -> str:
    """The key's posting as a student might type it: short labels, $ signs, lower case."""
    lines = []
    for k, (account, rows) in enumerate(key.items(), 1):
        lines.append(f"claim {k} number: {account.lower()}")
        for n, (paid, contractual, patient) in enumerate(rows, 1):
            lines += [f"Claim {k} line {n} paid: ${paid}", f"claim {k} line {n} contractual: {contractual}",
                      f"Claim {k} line {n} patient: {float(patient)}"]  # fmt: skip
    return "\n".join(lines)


def test_a_posting_typed_loosely_grades_full_and_a_swapped_claim_loses_its_share():
    v = post_835.draw(random.Random(11))
    key = _key(v, "q1_key")
    typed = _parse(post_835, "posting", _typed_posting(key))
    assert typed.problems() == []
    assert post_835.score_posting(typed, key, points=3).points == 3
    first = next(iter(key))
    slipped = {a: ([[c, p, r] for p, c, r in ts] if a == first else ts) for a, ts in key.items()}
    if slipped != key:  # a paid-nothing line swaps into itself
        score = post_835.score_posting(_parse(post_835, "posting", _typed_posting(slipped)), key, 3)
        assert score.points == 2 and score.wrong == (first,)
    # the same answer as the Python dict of a course made before the forms: the same points
    as_dict = {a: [tuple(float(x) for x in t) for t in ts] for a, ts in slipped.items()}
    assert (
        post_835.score_posting(as_dict, key, 3).points
        == post_835.score_posting(
            _parse(post_835, "posting", _typed_posting(slipped)), key, 3
        ).points
    )


@pytest.mark.parametrize(
    ("typed", "read"),
    [("-4.25", Decimal("-4.25")), ("$-4.25", Decimal("-4.25")), ("-$1,004.5", Decimal("-1004.50")),
     ("12", Decimal("12.00")), ("minus 4", None), ("4.255", None), ("-$-4", None),
     ("1,2,3", None)],
)  # fmt: skip
def test_the_plb_total_keeps_its_sign_and_a_value_that_is_no_amount_is_named(typed, read):
    answers = _parse(post_835, "reconcile", f"Sum of the provider-level adjustments: {typed}")
    got = post_835.reconcile_from(answers)["plb_total"]
    assert (None if got is None else post_835.cents(got)) == read
    assert bool(answers.problems()) is (read is None)
    if read is None:
        assert "an amount with its sign" in answers.problems()[0]


def test_the_self_checks_say_what_is_missing_and_never_the_answer():
    from medbill_lab.x12.x835 import parse_835

    v = post_835.draw(random.Random(5))
    remit = parse_835(v["remit_835"])[0]
    blank = _parse(post_835, "posting", af.blank_form(post_835.FORMS["posting"]))
    with pytest.raises(AssertionError, match="give each of the three claims by its number"):
        post_835.check_posting(blank, remit)
    model = _parse(post_835, "posting", v["q1_solution"])
    said = post_835.check_posting(model, remit)
    assert said.count("adds up to the charge") == sum(len(ts) for ts in _key(v, "q1_key").values())
    one = next(iter(_key(v, "q1_key")))
    short = "\n".join(
        ln for ln in v["q1_solution"].splitlines() if not ln.startswith("Claim 1 line")
    )
    with pytest.raises(AssertionError, match=f"{one} needs"):
        post_835.check_posting(_parse(post_835, "posting", short), remit)
    with pytest.raises(AssertionError, match="claim number from the 835"):
        post_835.check_denial(_parse(post_835, "denial", "The denied claim's number: MGF-1\n"
                                     "May the practice bill the patient for it: N"), remit)  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "action"),
    [("write off", "write_off"), ("Write-Off", "write_off"), ("write_off", "write_off"),
     ("BILL OTHER PAYER", "bill_other_payer"), (" appeal ", "appeal"), ("refund", "")],
)  # fmt: skip
def test_an_action_is_typed_as_its_word_in_any_case(typed, action):
    answers = _parse(denial_queue, "actions", f"D3: {typed}")
    assert denial_queue.actions_from(answers)["D3"] == action
    assert bool(answers.problems()) is (not action)


def test_the_queue_forms_grade_as_the_python_answers_did():
    v = denial_queue.draw(random.Random(8))
    key, items = _key(v, "q1_key"), _key(v, "q2_key")
    co = [i for i, a in key.items() if a in ("write_off", "appeal")]
    wrong = {**key, **dict.fromkeys(co, "bill_patient")}
    form = _parse(denial_queue, "actions", denial_queue.filled_form("actions", wrong))
    for given in (form, wrong):
        got = denial_queue.score_actions(given, key, points=3)
        assert got.points == round(3 * (9 - len(co)) / 9, 2) and set(got.wrong) == set(co)
    typed = _parse(denial_queue, "patient", f"Group code: pr\nItems: {' '.join(items[1:]).lower()}")
    assert typed.problems() == []
    assert denial_queue.score_patient(*denial_queue.patient_from(typed), items, 2).points == 1
    bad = _parse(denial_queue, "patient", "Group code: P\nItems: D1, X9")
    assert [p.split(": ", 1)[1] for p in bad.problems()] == [
        "P is not two letters, e.g. CO",
        "X9 is not the items, comma between, e.g. D1, D4",
    ]
    totals = _parse(denial_queue, "totals", "Total the practice writes off: $1,000.5")
    assert (
        denial_queue.score_totals(
            totals, {"write_off": "1000.50", "bill_patient": "3.00"}, 2
        ).points
        == 1
    )


def test_an_aging_row_needs_five_amounts_and_a_payer_in_any_case_is_that_payer():
    v = ar_aging.draw(random.Random(3))
    key = _key(v, "q1_key")
    rows = [f"Payer row {n} name: {p.upper()}\nPayer row {n} sums: {' '.join(map(str, s))}"
            for n, (p, s) in enumerate(key.items(), 1)]  # fmt: skip
    typed = _parse(ar_aging, "by_payer", "\n".join(rows))
    assert typed.problems() == []
    assert ar_aging.score_table(typed, key, points=3).points == 3
    assert ar_aging.check_table(typed, list(key)).startswith("Table total: ")
    four = _parse(ar_aging, "by_payer", "Payer row 1 name: Aetna\nPayer row 1 sums: 1, 2, 3, 4")
    assert four.problems() == [
        "Payer row 1 sums: 1, 2, 3, 4 is not five amounts in the order 0-30, 31-60, 61-90, 91-120, 121+"
    ]
    assert ar_aging.score_table(four, {"Aetna": [1, 2, 3, 4, 0]}, points=1).points == 0
    with pytest.raises(AssertionError, match="one row for each of"):
        ar_aging.check_table(four, ["Aetna", "Cigna"])
    share = _parse(ar_aging, "summary", "Total AR: 1200\nShare of AR over 90 days: 25%")
    assert (
        ar_aging.summary_from(share) == (1200.0, None)
        and "25% is not a number" in share.problems()[0]
    )
    with pytest.raises(AssertionError, match="a fraction"):
        ar_aging.check_summary(*ar_aging.summary_from(share))


# -- the demo's partly right answers are written on the forms -----------------------------------
@pytest.mark.parametrize("name", FORM_CELLS)
def test_the_partly_right_answers_are_forms_with_no_format_problem(name):
    mod = assignments.module(name)
    nb = assignments.fill(
        nbformat.read(ROOT / "exercises" / name / f"{name}.ipynb", 4), mod.draw(random.Random(2))
    )
    correct = course.solutions(nb)
    partial = course._partial_answers(name, correct)
    assert partial != correct
    for grade_id, which in FORM_CELLS[name].items():
        text = partial[grade_id]
        assert text.startswith(mod.magic(which) + "\n") and " = {" not in text
        assert _parse(mod, which, text).problems() == [], grade_id


def test_an_extract_that_keeps_an_identifier_loses_that_share_and_the_check_says_so():
    v = deidentify_notes.draw(random.Random(4))
    key = _key(v, "q2_key")
    model = v["q2_solution"]
    removed = next(ln for ln in model.splitlines() if ln.startswith("Columns removed"))
    typed = model.replace(removed, "Columns removed: FIRST last; dob city member_id visit_date")
    typed = typed.replace("or earlier", "  OR   Earlier")  # case and spaces do not matter
    answers = _parse(deidentify_notes, "safe", typed)
    assert answers.problems() == []
    got = deidentify_notes.score_safe_table(answers, key, points=3)
    assert got.points == 2.4 and got.wrong == ("identifiers removed",)  # zip is still in it
    with pytest.raises(AssertionError, match="give every other column as removed"):
        deidentify_notes.check_safe(answers, range(5))
    bad = _parse(deidentify_notes, "safe", "Columns removed: first, name")
    assert bad.problems() == [
        "Columns removed: first, name is not column names of patients, comma "
        "between, e.g. first, last"
    ]
    blank = _parse(deidentify_notes, "safe", "")
    assert deidentify_notes.score_safe_table(blank, key, points=3).points == 0


def test_a_category_is_typed_by_its_name_in_any_case_and_a_wrong_one_loses_its_share():
    v = deidentify_notes.draw(random.Random(6))
    key = _key(v, "q1_key")
    cats = list(key.values())
    lines = [f"Item {n}: {c.lower().replace('_', ' ')}" for n, c in enumerate(cats, 1)]
    answers = _parse(deidentify_notes, "categories", "\n".join(lines))
    assert answers.problems() == []
    assert deidentify_notes.score_items(answers, key, points=3).points == 3
    lines[0] = "Item 1: " + ("DATE" if cats[0] != "DATE" else "not PHI")
    lines[1] = "Item 2: a name"
    answers = _parse(deidentify_notes, "categories", "\n".join(lines))
    assert answers.problems()[0].startswith("Item 2 category: a name is not one of the choices")
    got = deidentify_notes.score_items(answers, key, points=3)
    assert got.points == 2.5 and got.wrong == ("item 1", "item 2")  # by number, as on the form
    with pytest.raises(AssertionError, match="one of the categories"):
        deidentify_notes.check_items(answers, list(key), deidentify_notes.CATEGORY_NAMES)


# -- the fraud lab's referral form ----------------------------------------------------------------
def test_a_courses_fraud_lab_names_its_own_upcoders_in_the_model_referral_only(tmp_path):
    from medbill_lab.compliance import fraud_lab
    from medbill_lab.training.assignments import fraud_schemes

    folder = tmp_path / "fraud_schemes"
    folder.mkdir()
    source = ROOT / "exercises" / "fraud_schemes" / "fraud_schemes.ipynb"
    (folder / source.name).write_bytes(source.read_bytes())
    seed = random.Random("a course").getrandbits(128)
    fraud_lab.prepare_exercise(folder, seed)
    truth = fraud_lab.generate(seed, fraud_lab.EXERCISE_SCALE).truth
    want = set(truth.loc[truth["scheme"] == "upcoding", "provider_id"].astype(str))
    nb = nbformat.read(folder / source.name, 4)
    cell = next(c for c in nb.cells if c.source.startswith(fraud_schemes.magic()))
    blank, _, model = cell.source.partition("### BEGIN SOLUTION\n")
    spec = fraud_schemes.FORMS["upcoding"]
    assert af.parse(spec, blank).is_blank()  # the line students see stays empty
    assert fraud_schemes.providers_from(af.parse(spec, model)) == want
    public = nbformat.read(source, 4)
    other = next(c for c in public.cells if c.source.startswith(fraud_schemes.magic()))
    assert other.source.partition("### BEGIN SOLUTION\n")[2] != model  # the practice's own


def test_the_referral_form_takes_provider_ids_in_any_case_and_names_one_that_is_not():
    from medbill_lab.compliance.fraud import grade_answer
    from medbill_lab.compliance.fraud_lab import EXERCISE_SCALE, EXERCISE_SEED
    from medbill_lab.training.assignments import fraud_schemes

    spec = fraud_schemes.FORMS["upcoding"]
    typed = af.parse(spec, "Providers referred: p003 P004; P011")
    assert typed.problems() == [] and fraud_schemes.providers_from(typed) == {
        "P003",
        "P004",
        "P011",
    }
    got = grade_answer(
        fraud_schemes.providers_from(typed), "upcoding", EXERCISE_SEED, EXERCISE_SCALE
    )
    as_set = grade_answer({"P003", "P004", "P011"}, "upcoding", EXERCISE_SEED, EXERCISE_SCALE)
    assert got == as_set and 0 < got[0] < 1  # three of the practice lab's four: F1 6/7
    bad = af.parse(spec, "Providers referred: P003, Dr. Ames")
    assert bad.problems()[0].endswith("is not provider IDs, comma between, e.g. P012, P040")
    assert fraud_schemes.providers_from({"P001"}) == {"P001"}  # an old course's set as it was
