"""Review fixes to the form-answered claims (issue 15, part 3): 24E typed as on paper, and
the check cell naming an empty box in a biller's words rather than a data type's."""

from __future__ import annotations

import random
import re
from decimal import Decimal

import pytest

from medbill_lab.training import answer_forms as af
from medbill_lab.training.assignments import cms1500_completion as cms
from medbill_lab.training.assignments import ub04_completion as ub04

POINTER = "Item 24E line {n} diagnosis pointer (a pointer letter A-L): "


def _key_with_pointers(count: int) -> dict:
    """A drawn claim with a line pointing to ``count`` diagnoses or more."""
    for seed in range(200):
        claim = cms.draw_case(random.Random(seed)).claim
        if any(len(ln["pointers"]) >= count for ln in claim["lines"]):
            return claim
    raise AssertionError(f"no draw points a line to {count} diagnoses")


def _typed(key: dict, how: str) -> tuple[str, int]:
    """The model form with the first multi-pointer line's 24E typed ``how`` (letters
    joined by it: "" as on paper, ", " apart); returns the text and the line's number."""
    text = cms.filled_form(key)
    n, line = next((n, ln) for n, ln in enumerate(key["lines"], 1) if len(ln["pointers"]) > 1)
    label = POINTER.format(n=n)
    model = label + ", ".join(line["pointers"])
    assert model in text
    return text.replace(model, label + how.join(line["pointers"])), n


@pytest.mark.parametrize("how", ["", " ", ", "])
def test_24e_letters_typed_together_as_on_paper_read_and_grade_as_apart(how):
    key = _key_with_pointers(2)
    text, n = _typed(key, how)
    form = af.parse(cms.FORM, text)
    assert form.problems() == []
    assert cms.claim_from(form)["lines"][n - 1]["pointers"] == key["lines"][n - 1]["pointers"]
    assert cms.score_part(form, key, "diagnoses").points == cms.PARTS["diagnoses"][2]


@pytest.mark.parametrize("typed", ["AM", "ABCDE", "A1", "E11.9"])
def test_24e_still_refuses_what_is_not_up_to_four_pointer_letters(typed):
    key = _key_with_pointers(1)
    label = POINTER.format(n=1)
    text = re.sub(re.escape(label) + r".*", label + typed, cms.filled_form(key), count=1)
    form = af.parse(cms.FORM, text)
    assert form["24E.1"] is None
    assert form.problems() == [
        f"Item 24E line 1 diagnosis pointer: {typed} is not a pointer letter A-L"
    ]
    assert cms.score_part(form, key, "diagnoses").points < cms.PARTS["diagnoses"][2]


def test_missing_words_rewrites_only_empty_values():
    assert af.missing_words("Item 27: accept assignment must be true or false, not null") == (
        "Item 27: accept assignment is missing"
    )
    assert af.missing_words("FL 4: type of bill '' is not 4 characters") == (
        "FL 4: type of bill is missing (4 characters)"
    )
    typed = "Item 25: federal tax ID '12' is not 9 digits"  # a value typed: kept as it is
    assert af.missing_words(typed) == typed
    assert (
        af.missing_words("Item 3: sex must be text, not 12") == "Item 3: sex must be text, not 12"
    )


@pytest.mark.parametrize(
    ("module", "typed"),
    [
        (cms, "Item 1 Program: group\nItem 2 Patient's last name: Doe"),
        (ub04, "FL 1 Facility name: X"),
    ],
)
def test_the_check_cell_names_empty_boxes_without_data_types(module, typed):
    said = module.check(af.parse(module.FORM, typed))
    assert "does not load yet" in said
    assert "is missing" in said
    for jargon in ("null", "''", "an object", "true or false"):
        assert jargon not in said, jargon


def test_the_model_answer_leaves_24i_blank_as_nucc_has_it_for_an_npi_in_24j():
    # 24I's qualifier names a non-NPI ID in 24J's shaded part; "NPI" is printed on the form
    for seed in (3, 11):
        key = cms.draw_case(random.Random(seed)).claim
        form = af.parse(cms.FORM, cms.filled_form(key))
        for n in range(1, len(key["lines"]) + 1):
            assert form.raw(f"24I.{n}") == ""
            assert form[f"24J.{n}"] == key["rendering_provider"]["npi"]
        assert sum(cms.score_part(form, key, p).points for p in cms.PARTS) == 17


@pytest.mark.parametrize(("typed", "full"), [("N", True), ("no", True), ("", True), ("Y", False)])
def test_24h_n_for_a_service_that_is_not_epsdt_is_as_right_as_a_blank(typed, full):
    # NUCC: Y or N where no EPSDT reason code is required; the lab's visits are not EPSDT
    for seed in (3, 11):
        key = cms.draw_case(random.Random(seed)).claim
        values = cms.form_values(key) | {f"24H.{n}": typed for n in range(1, len(key["lines"]) + 1)}
        form = af.parse(cms.FORM, af.fill_form(cms.FORM, values))
        top = cms.PARTS["lines"][2]
        assert (cms.score_part(form, key, "lines").points == top) is full


@pytest.mark.parametrize("typed", ["1e9999999", "1" + "0" * 5000, "1e3", "NaN", "-2", "3 units"])
def test_a_number_field_refuses_what_is_not_digits_and_never_hangs_or_raises(typed):
    # "1e9999999" was read as a 10-million-digit int: a hang, then str() raising in the
    # check cell and the grader; the form says it is not a number instead
    key = cms.draw_case(random.Random(3)).claim
    form = af.parse(cms.FORM, af.fill_form(cms.FORM, cms.form_values(key) | {"24G.1": typed}))
    assert form["24G.1"] is None
    assert form.problems() == [f"Item 24G line 1 days or units: {af._short(typed)} is not a number"]
    assert "Item 24G" in cms.check(form)
    assert cms.score_part(form, key, "lines").points == 0  # the claim does not load


@pytest.mark.parametrize(
    ("typed", "value"), [("2", 2), ("1,250", 1250), ("1.5", "1.5"), (".25", ".25")]
)
def test_a_number_field_still_reads_whole_decimal_and_grouped_numbers(typed, value):
    read = af.normalise(af.Field("g", "G", "number"), typed)
    assert read == (value if isinstance(value, int) else Decimal(value), [])


@pytest.mark.parametrize("year", ["2031", "2015"])
def test_the_ub04_check_cell_says_why_its_edits_cannot_run_for_a_year_the_lab_lacks(year):
    # the edits judge codes against the discharge date's code set; a mistyped year made
    # the check cell raise CodeSetError (a traceback naming an instructor's command)
    key = ub04.draw_case(random.Random(5)).claim
    text = re.sub(r"(\d\d/\d\d/)(2025|2026)", rf"\g<1>{year}", ub04.filled_form(key))
    said = ub04.check(af.parse(ub04.FORM, text))
    assert "Your UB-04 loads" in said
    assert f"The edits were not run: date of service {year}-" in said
    assert "import-release" not in said and said.rstrip().endswith("(FL 6, 12, 45, 74).")
    right = ub04.check(af.parse(ub04.FORM, ub04.filled_form(key)))
    assert "The edits were not run" not in right  # the course's own years: the edits run
