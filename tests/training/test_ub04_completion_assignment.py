"""The UB-04 completion assignment (issue 16 part 5): one hospital stay drawn per course.

The stay's paperwork is what a hospital biller reads; the UB-04 it supports is the key,
only in the hidden tests.  These tests check that the template holds no key, that
every draw grades its own claim 16/16 (a partly right one less, a blank 0), that the
paperwork supports the key (charges add up by revenue code, room days, payer), and the
grader's partial credit and penalties locator by locator.
"""

from __future__ import annotations

import ast
import copy
import datetime as dt
import random
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import nbformat
import pytest
from notebook_scoring import max_points, scores

from medbill_lab.claims import institutional, ub04_checks
from medbill_lab.codes import icd10cm, icd10pcs
from medbill_lab.training import assignments, course
from medbill_lab.training.answer_forms import Field, blank_form, parse, shown_value
from medbill_lab.training.assignments import ub04_completion as ub

ROOT = Path(__file__).resolve().parents[2]
NAME = "ub04_completion"
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)\n\s*### END SOLUTION", re.S)
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)
CHARGE_ROW = re.compile(r"^\| (\d{4}) \| (.+?) \| \$([0-9,]+\.\d\d) \|$", re.M)


def template() -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "exercises" / NAME / f"{NAME}.ipynb", 4)


@pytest.fixture(scope="module")
def cases() -> list[ub.Case]:
    return [ub.draw_case(random.Random(seed)) for seed in range(12)]


def points(given: dict, key: dict, part: str) -> float:
    return ub.score_part(given, key, part).points


def test_the_template_holds_no_answer_and_only_calls_the_grader():
    nb = template()
    assert "**Template.**" in nb.cells[0].source
    assert sorted(p.name for p in (ROOT / "exercises" / NAME).iterdir()) == [f"{NAME}.ipynb"]
    assert [r for c in nb.cells for r in SOLUTION.findall(c.source)] == ["{{solution}}"]
    # the answer cell is the blank form (answered as on paper), then the model answer
    answer = next(c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution"))
    assert answer.split("\n### BEGIN SOLUTION")[0] == f"{ub.MAGIC}\n{blank_form(ub.FORM)}"
    hidden = [r for c in nb.cells for r in HIDDEN.findall(c.source)]
    assert len(hidden) == len(ub.PARTS)
    for region in hidden:
        assert "{{key}}" in region
        tree = ast.parse(assignments.TOKEN.sub("None", region))
        assert not [n for n in ast.walk(tree) if isinstance(n, ast.Dict | ast.List | ast.Set)]
        words = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)]
        assert all(not isinstance(w, str) or w in ub.PARTS for w in words), words
    assert not any("widgets" in c.source for c in nb.cells)


@pytest.mark.parametrize("seed", [0, "course B"])
def test_the_model_claim_earns_every_point_partial_less_blank_zero(seed):
    nb = assignments.fill(template(), ub.draw(random.Random(seed)))
    full = max_points(nb)
    assert sum(full.values()) == sum(p for _, _, p in ub.PARTS.values()) == 16
    assert scores(nb) == full
    partial = scores(nb, course._partial_answers(NAME, course.solutions(nb)))
    assert all(0 < partial[k] < full[k] for k in full), partial
    assert set(scores(nb, {}).values()) == {0.0}


def test_draws_differ_between_courses_and_repeat_within_one():
    a, b = ub.draw(random.Random("A")), ub.draw(random.Random("B"))
    assert ub.draw(random.Random("A")) == a
    assert a["key"] != b["key"] and a["case"] != b["case"]
    assert len({ub.draw(random.Random(s))["key"] for s in range(20)}) == 20


def test_every_drawn_claim_loads_passes_the_edits_and_its_codes_are_valid(cases):
    for case in cases:
        claim = institutional.from_dict(case.claim)
        assert not [e for e in ub04_checks.check(claim) if e.blocking]
        day = claim.discharge_date().isoformat()
        for dx in claim.all_diagnoses():
            assert icd10cm.validate(dx.code, day).valid
        assert icd10cm.validate(claim.admitting_diagnosis, day).valid
        assert all(icd10pcs.validate(p.code).valid for p in claim.procedures())
        assert claim.is_inpatient() and claim.type_of_bill == "0111"


def test_the_paperwork_supports_the_key(cases):
    for case in cases:
        claim = institutional.from_dict(case.claim)
        rows = CHARGE_ROW.findall(case.text)
        by_code: dict[str, Decimal] = defaultdict(Decimal)
        for code, _, amount in rows:
            by_code[code] += Decimal(amount.replace(",", ""))
        assert {ln.revenue_code: ln.total_charge for ln in claim.lines} == dict(by_code)
        assert claim.total_charge == sum(by_code.values())
        days = (claim.statement_through - claim.statement_from).days
        assert claim.lines[0].units == days  # the room: the day of discharge is not counted
        assert claim.value_codes[0].code == "80" and claim.value_codes[0].amount == days
        payer = claim.payers[0]
        age = (claim.admission_date - claim.patient.dob).days // 365.25
        assert (payer.filing_indicator == "MA") == (age >= 65)
        assert (
            (payer.authorization in case.text) if payer.authorization else "Medicare" in case.text
        )
        for value in (payer.insured_id, claim.attending.npi, claim.billing_provider.npi):
            assert value in case.text
        assert (claim.operating is not None) == ("Operating physician: Dr." in case.text)
        for dx in claim.all_diagnoses():
            assert f"| {dx.code} | {dx.poa or 'blank (exempt)'} |" in case.text


def test_names_and_addresses_differing_only_by_case_or_punctuation_are_accepted(cases):
    key = cases[0].claim
    given = copy.deepcopy(key)
    given["patient"]["last"] = given["patient"]["last"].upper() + "."
    given["billing_provider"]["name"] = given["billing_provider"]["name"].lower()
    assert points(given, key, "people") == 3
    given["patient"]["first"] = "Zzz"
    marks = {m.locator: m for m in ub.grade_claim(key, given, "people")}
    assert marks["FL 8"].points == 0 and "you entered" in marks["FL 8"].reason


def test_other_diagnoses_in_any_order_keep_full_marks_and_a_wrong_poa_costs_half(cases):
    case = next(c for c in cases if len(c.claim["other_diagnoses"]) >= 2)
    key = case.claim
    given = copy.deepcopy(key)
    given["other_diagnoses"].reverse()
    assert points(given, key, "codes") == 5
    poa = next(d for d in given["other_diagnoses"] if d["poa"] in ("Y", "N"))
    poa["poa"] = ""
    score = ub.score_part(given, key, "codes")
    marks = [m for m in ub.grade_claim(key, given, "codes") if not m.full]
    assert [m.max_points for m in marks] == [0.5] and 0 < score.points < 5
    assert "edit POA-MISSING [reject]" in score.to_text()  # the edit, under its part


def test_a_revenue_code_split_over_two_lines_costs_the_extra_line_and_its_sum(cases):
    key = cases[1].claim
    given = copy.deepcopy(key)
    line = given["lines"][1]
    half = (Decimal(line["total_charge"]) / 2).quantize(Decimal("0.01"))
    given["lines"].insert(2, {**line, "total_charge": str(half)})
    line["total_charge"] = str(Decimal(line["total_charge"]) - half)
    marks = {m.locator: m for m in ub.grade_claim(key, given, "charges")}
    code = line["revenue_code"]
    assert marks[f"FL 47 {code}"].points == 0
    extra = [m for m in ub.grade_claim(key, given, "charges") if m.points < 0]
    assert len(extra) == 1 and extra[0].points == -1
    assert marks["FL 47 total (0001)"].points == 1  # the total still adds up
    # counting the day of discharge as a room day costs FL 46
    given = copy.deepcopy(key)
    given["lines"][0]["units"] = str(int(given["lines"][0]["units"]) + 1)
    room = next(m for m in ub.grade_claim(key, given, "charges") if m.locator.startswith("FL 46"))
    assert room.points == 0 and "day of discharge" in room.reason


def test_procedures_physicians_and_codes_not_on_the_summary(cases):
    surgical = next(c for c in cases if c.claim["principal_procedure"])
    key = surgical.claim
    given = copy.deepcopy(key)
    given["other_procedures"] = [given["principal_procedure"], *given["other_procedures"]]
    given["principal_procedure"] = None
    fl74 = next(m for m in ub.grade_claim(key, given, "codes") if m.locator == "FL 74")
    assert fl74.points == 1.0 and "FL 74, not 74a-e" in fl74.reason
    medical = next(c for c in cases if not c.claim["operating"])
    key = medical.claim
    given = copy.deepcopy(key)
    given["operating"] = dict(given["attending"])
    given["other_diagnoses"].append({"code": "R51.9", "poa": "Y"})
    penalties = [m for m in ub.grade_claim(key, given, "codes") if m.points < 0]
    assert sorted(m.locator for m in penalties) == ["FL 67A-Q R51.9", "FL 77"]
    assert points(given, key, "codes") < 5


def test_a_claim_that_does_not_load_scores_nothing_with_one_line(cases):
    key = cases[0].claim
    broken = {**key, "type_of_bill": "111"}
    for part in ub.PARTS:
        score = ub.score_part(broken, key, part)
        assert score.points == 0 and "does not load" in score.to_text()
    assert ub.score_part(None, key, "stay").points == 0
    with pytest.raises(AssertionError, match="does not load"):
        ub.self_check(broken)
    assert ub.self_check(key) == ub.LOADS


def test_dates_and_hours_are_graded_each_in_its_locator(cases):
    key = cases[2].claim
    given = copy.deepcopy(key)
    day = dt.date.fromisoformat(key["statement_through"]) + dt.timedelta(days=1)
    given["statement_through"] = day.isoformat()
    given["admission_hour"] = f"{(int(key['admission_hour']) + 1) % 24:02d}"
    lost = {m.locator for m in ub.grade_claim(key, given, "stay") if not m.full}
    assert lost == {"FL 6 through", "FL 13"}


def test_the_form_filled_from_the_key_grades_as_the_key_itself(cases):
    """The form is only another way to write the claim: filled from the key, every part's
    points and every locator's line are those of the claim dict itself."""
    for case in cases[:4]:
        form = parse(ub.FORM, ub.filled_form(case.claim))
        assert form.problems() == []
        for part in ub.PARTS:
            by_form = ub.score_part(form, case.claim, part)
            assert by_form == ub.score_part(case.claim, case.claim, part), part


def test_a_value_the_form_cannot_read_is_named_and_costs_only_its_locator(cases):
    key = cases[0].claim
    born = shown_value(Field("dob", "dob", "date"), key["patient"]["dob"])
    label = "FL 10 Patient's birth date (MM/DD/YYYY): "
    text = ub.filled_form(key).replace(label + born, label + "02/30/1970")
    form = parse(ub.FORM, text)
    assert form.problems() == ["FL 10 Patient's birth date: 02/30/1970 is not a date (MM/DD/YYYY)"]
    assert "FL 10 Patient's birth date: 02/30/1970 is not a date" in ub.check(form)
    # a blank birth date: the UB-04 does not load (the patient needs one), so nothing is scored
    assert ub.score_part(form, key, "people").points == 0
    assert ub.self_check(form) == f"Not yet: {ub.NOT_LOADED}"  # a line, not an error
