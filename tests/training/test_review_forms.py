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
