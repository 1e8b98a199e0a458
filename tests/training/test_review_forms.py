"""Form answers read as a student types them (review of issue 15, part 3).

A student who types an inpatient abstract's secondary diagnoses with only spaces between
(``I48.91 Y D64.9 N Z79.4``), as the procedure line and the outpatient coding form allow,
must get every code graded, each with its own POA, never a code read as the POA of the
one before it, nor a code dropped.
"""

from __future__ import annotations

import ast
import random

import pytest

from medbill_lab.training import answer_forms as af
from medbill_lab.training.assignments import inpatient_drg as ip


@pytest.fixture(scope="module")
def drawn() -> dict[str, str]:
    return ip.draw(random.Random("review b"))


def _spaces_only(solution: str) -> str:
    """The model abstract with each secondary line's commas taken out."""
    out = []
    for line in solution.splitlines():
        label, colon, value = line.partition(":")
        if colon and "secondary diagnoses" in label:
            line = f"{label}: {value.replace(',', ' ')}"
        out.append(line)
    return "\n".join(out)


def test_secondaries_with_only_spaces_between_read_as_with_commas(drawn):
    model = ip.answers_from(af.parse(ip.FORM, drawn["solution"]))
    several = [c for c in model.values() if len(c["secondary"]) > 1]
    assert several, "the draw has a stay with two or more secondary diagnoses"
    spaced = ip.answers_from(af.parse(ip.FORM, _spaces_only(drawn["solution"])))
    assert spaced == model
    for i in range(1, ip.N_CASES + 1):
        key = ast.literal_eval(drawn[f"case_{i}_key"])
        form = af.parse(ip.FORM, _spaces_only(drawn["solution"]))
        assert ip.score_case(form, key).points == ip.CASE_POINTS, key["case"]


def test_a_code_is_never_the_poa_of_the_code_before_it():
    text = "Case 1 principal diagnosis: J18.9\nCase 1 secondary diagnoses: E87.1 I48.91 y Z79.4"
    read = ip.answers_from(af.parse(ip.FORM, text))["case 1"]
    assert read["secondary"] == ["E87.1", "I48.91:Y", "Z79.4"]


def test_a_poa_that_is_not_an_indicator_stays_with_its_code_and_is_named():
    # must fail: 'X' is not Y, N, U, W or blank, and the self-check says so
    text = "Case 1 principal diagnosis: J18.9\nCase 1 secondary diagnoses: E87.1 X, I48.91 Y"
    form = af.parse(ip.FORM, text)
    assert ip.answers_from(form)["case 1"]["secondary"] == ["E87.1:X", "I48.91:Y"]
    info = {"case": "case 1", "age": 70, "sex": "F", "discharge_status": "01",
            "discharge_date": "2026-03-01"}  # fmt: skip
    assert "E87.1: POA 'X' is not Y, N, U, W or blank" in ip.self_check(form, info)


# -- feedback names what the student answered on the form, never a Python key ----------------------
def _feedback_check(score) -> str:
    """The 'Check again: ...' part of a score's first feedback line."""
    return score.to_text().splitlines()[0].split("Check again: ", 1)[1]


def test_the_835_feedback_names_the_reconciliation_in_the_forms_words():
    from medbill_lab.training.assignments import post_835

    key = {"claims_paid": "287.16", "plb_total": "-4.45", "balances": True}
    form = af.parse(
        post_835.FORMS["reconcile"],
        "Sum of the claim payments (CLP04): 287.16\n"
        "Sum of the provider-level adjustments (PLB), with its sign: 4.45\n"
        "Does the BPR payment equal claims paid minus PLB: N",
    )
    score = post_835.score_reconcile(form, key, 3)
    assert score.points == 1  # the sum right; the PLB sign and the balance wrong
    said = _feedback_check(score)
    assert said == "the PLB sum (with its sign), whether BPR equals claims paid minus PLB"
    denial = post_835.score_denial({"denied_claim": "MGF-1", "bill_patient": True},
                                   {"denied_claim": "MGF-1", "bill_patient": False}, 1)  # fmt: skip
    assert denial.points == 0 and _feedback_check(denial) == "whether the patient may be billed"


def test_the_denial_queue_and_aging_feedback_name_the_totals_in_words():
    from medbill_lab.training.assignments import ar_aging, denial_queue

    totals = denial_queue.score_totals(
        {"write_off": "37.00", "bill_patient": "150.00"},
        {"write_off": "37.00", "bill_patient": "187.55"},
        2,
    )
    assert totals.points == 1 and _feedback_check(totals) == "the total moved to patients"
    summary = ar_aging.score_summary(1000.0, 0.4, {"total_ar": 1000.0, "share_over_90": 0.25}, 2)
    assert summary.points == 1 and _feedback_check(summary) == "the share over 90 days"
    # the class report still gets each element by its key
    assert [r["element"] for r in summary.element_rows()] == ["total_ar", "share_over_90"]


def test_terminology_feedback_gives_the_surgical_mark_as_y_or_n():
    from medbill_lab.training.assignments import terminology as terms

    terms.register_forms({"q4": ["Appendectomy", "gastritis"]})
    marks = af.parse(af.form("terminology:q4"), "appendectomy: n\ngastritis: n")
    score = terms.score_function(marks, {"Appendectomy": True, "gastritis": False}, 2)
    assert score.points == 0
    assert _feedback_check(score) == "Appendectomy (Y)"
    assert "True" not in score.to_text()


# -- each graded cell opens with its title, once -------------------------------------------------
TEMPLATES = ("em_leveling", "terminology", "modifier_ncci", "post_835", "denial_queue",
             "ar_aging", "deidentify_notes", "inpatient_drg", "fraud_schemes")  # fmt: skip


@pytest.mark.parametrize("name", TEMPLATES)
def test_a_graded_cell_states_its_title_once(name):
    """The title line is what plain feedback shows ('Checked: Vignette 1 (5 points)'); the
    comment under it explains the points without saying the title again."""
    import nbformat

    from medbill_lab.datasets import project_root

    nb = nbformat.read(project_root() / "exercises" / name / f"{name}.ipynb", as_version=4)
    graded = [c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade")]
    assert graded
    for cell in graded:
        comments = [ln.lstrip("# ") for ln in cell.source.splitlines() if ln.startswith("#")]
        title = comments[0].rstrip(". ")
        assert "points" in title or "point)" in title, title
        assert not any(c.startswith(title) for c in comments[1:]), cell.source[:200]


def test_the_patient_aging_form_asks_for_each_patients_id_not_a_name():
    from medbill_lab.training.assignments import ar_aging

    blank = af.blank_form(ar_aging.FORMS["by_patient"])
    assert "One row per patient: its ID, then" in blank and "its name" not in blank
    assert "One row per payer: its name, then" in af.blank_form(ar_aging.FORMS["by_payer"])


def test_a_poa_typed_after_the_principal_is_not_run_into_its_code(drawn):
    lines = []
    for line in drawn["solution"].splitlines():
        label, colon, _ = line.partition(":")
        lines.append(f"{line} Y" if colon and "principal diagnosis" in label else line)
    form = af.parse(ip.FORM, "\n".join(lines))
    model = ip.answers_from(af.parse(ip.FORM, drawn["solution"]))
    assert ip.answers_from(form) == model
    key = ast.literal_eval(drawn["case_1_key"])
    assert ip.score_case(form, key).points == ip.CASE_POINTS
    # a principal that is not a code stays as typed, for the grader to mark wrong
    wrong = af.parse(ip.FORM, "Case 1 principal diagnosis: pneumonia left lobe")
    assert ip.answers_from(wrong)["case 1"]["principal"] == "PNEUMONIALEFTLOBE"
    assert ip.score_case(wrong, key).points == 0


def test_de_identification_feedback_names_the_items_by_their_number():
    from medbill_lab.training.assignments import deidentify_notes as deid

    key = {"Odette Mbeki, the patient's daughter": "NAME", "89, the patient's age": "not PHI",
           "99, the patient's age": "AGE"}  # fmt: skip
    form = af.parse(deid.FORMS["categories"], "Item 1: NAME\nItem 2: AGE\nItem 3: AGE")
    score = deid.score_items(form, key, 3)
    assert score.points == 2
    assert _feedback_check(score) == "item 2"  # not the item's own text, which has commas
    assert score.notes == ("Item 2, \"89, the patient's age\": you said 'AGE'",)
