"""The part cells' self-checks moved into the package say exactly what the cells said.

The CMS-1500 and E/M test cells repeated a self-check (does the claim load; is the
answer an office visit code with level words) four and five times.  It is now
``cms1500_completion.self_check`` and ``em_leveling.self_check``.  Each visible
cell of the 0.1 exercise (``tests/data/old_course/``) says what the helper says on
right, odd and wrong answers: the same lines printed, and the same failure with the
same message (the CMS-1500's cells now check the answer form the same way).
"""

from __future__ import annotations

import contextlib
import io
import random
import re
from pathlib import Path

import nbformat
import pytest
from notebook_scoring import meta, run_cell

from medbill_lab.training import answer_forms
from medbill_lab.training.assignments import cms1500_completion, em_leveling

ROOT = Path(__file__).resolve().parents[2]


def _visible_tests(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Each graded cell's code as released (the hidden tests cut off), by grade id."""
    return {
        meta(c)["grade_id"]: c.source.split("### BEGIN HIDDEN TESTS")[0]
        for c in nb.cells
        if meta(c).get("grade") and not meta(c).get("solution")
    }


def _said(source: str, ns: dict) -> tuple[str, str]:
    """(what the cell printed, the failure it raised as 'Type: message', or '')."""
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            run_cell(source, dict(ns))
    except Exception as exc:  # the student sees the failure: compare it
        return out.getvalue(), f"{type(exc).__name__}: {exc}"
    return out.getvalue(), ""


def _pair(name: str) -> tuple[dict[str, str], dict[str, str]]:
    old = nbformat.read(ROOT / "tests" / "data" / "old_course" / f"{name}.ipynb", 4)
    new = nbformat.read(ROOT / "exercises" / name / f"{name}.ipynb", 4)
    return _visible_tests(old), _visible_tests(new)


V1 = {"code": "99214", "problems": "moderate", "data": "limited", "risk": "moderate"}
EM_ANSWERS = [
    V1,
    {**V1, "code": " 99203 "},
    {**V1, "data": "lots", "risk": ""},  # two level words that are not ones
    {"code": "99214"},  # the elements left out
    {**V1, "code": "99285"},  # an emergency visit, not an office visit
    {**V1, "code": None},
    "99214",  # a code where the dict belongs, and the reverse
    None,
]


@pytest.mark.parametrize("answer", EM_ANSWERS, ids=repr)
def test_the_em_self_check_says_what_the_cells_said(answer):
    old, new = _pair("em_leveling")
    assert old.keys() == new.keys() and len(new) == 5
    for grade_id, source in new.items():
        assert "self_check" in source and len(source.strip().splitlines()) <= 7
        ns = {f"v{i}": answer for i in range(1, 6)}
        assert _said(source, ns) == _said(old[grade_id], ns), grade_id


def test_the_em_self_check_refuses_and_warns_as_documented():
    assert em_leveling.self_check(4, "99215") == "Vignette 4: 99215 is an office visit code."
    with pytest.raises(AssertionError, match="got '99285'"):
        em_leveling.self_check(3, "99285")
    with pytest.raises(AssertionError, match="v2 must stay a dict"):
        em_leveling.self_check(2, "99214", elements=True)
    warned = em_leveling.self_check(1, {**V1, "risk": "big"}, elements=True).splitlines()
    assert len(warned) == 2 and warned[0].startswith("Check this before you submit")


def _claims() -> list[object]:
    model = cms1500_completion.draw_case(random.Random(3)).claim
    no_lines = {**model, "lines": []}
    bad_date = {**model, "signature_date": "yesterday"}
    return [model, no_lines, bad_date, {}, None, "a claim"]


def _said_by(claim: object) -> tuple[str, str]:
    """What ``self_check(claim)`` says, as a cell printing it would."""
    return _said("print(_form.self_check(claim))", {"_form": cms1500_completion, "claim": claim})


def test_the_cms1500_self_check_says_what_the_old_cells_said_on_a_claim_dict():
    # a course of 0.1 passes the claim dict; today's cells pass the form (below)
    old, new = _pair("cms1500_completion")
    assert old.keys() == new.keys() and len(new) == 4
    for claim in _claims():
        for grade_id, source in old.items():
            assert _said(source, {"claim": claim}) == _said_by(claim), (grade_id, claim)
    model = _claims()[0]
    assert cms1500_completion.self_check(model) == cms1500_completion.LOADS
    with pytest.raises(AssertionError, match="does not load yet"):
        cms1500_completion.self_check({**model, "lines": []})


def test_the_cms1500_cells_check_the_form_the_same_way():
    _, new = _pair("cms1500_completion")
    model = _claims()[0]
    filled = answer_forms.parse(cms1500_completion.FORM, cms1500_completion.filled_form(model))
    blank = answer_forms.parse(cms1500_completion.FORM, "")
    no_lines = answer_forms.parse(
        cms1500_completion.FORM,
        "\n".join(ln for ln in cms1500_completion.filled_form(model).splitlines()
                  if not ln.startswith("Item 24")),
    )  # fmt: skip
    for grade_id, source in new.items():
        assert "self_check(answers)" in source and len(source.strip().splitlines()) <= 7
        assert _said(source, {"answers": filled}) == (cms1500_completion.LOADS + "\n", "")
        for answers in (blank, no_lines):  # a line saying why, not an error with a traceback
            said = _said(source, {"answers": answers})
            assert said == (f"Not yet: {cms1500_completion.NOT_LOADED}\n", ""), grade_id


def _finders() -> dict[str, object]:
    """Right, partial, sloppy and wrong PHI finders a student might write."""
    from medbill_lab.compliance import deid

    return {
        "the lab's own rules": lambda text: [(f.start, f.end) for f in deid.find_phi(text)],
        "dates only": lambda text: [m.span() for m in re.finditer(r"\d+/\d+/\d+", text)],
        "spans past the ends, reversed": lambda text: [(-3, 4), (9, 2), (5, len(text) + 9)],
        "nothing": lambda text: [],
        "not pairs": lambda text: [(1, 2, 3)],
        "not a list": lambda text: None,
    }


@pytest.mark.parametrize("finder", list(_finders()), ids=str)
def test_the_phi_self_check_says_what_the_cell_said(finder):
    # the cell's own score_on moved to deidentify_notes.score_spans, which the grader uses too
    from medbill_lab.compliance import deid_notes

    old, new = _pair("deidentify_notes")
    assert old.keys() == new.keys()
    source = new["q3_recall_test"]
    assert "score_spans" in source and "def " not in source
    ns = {"find_phi_spans": _finders()[finder], "PRACTICE": deid_notes.generate_notes(6, seed=7)}
    assert _said(source, ns) == _said(old["q3_recall_test"], ns), finder
