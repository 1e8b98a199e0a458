"""The element log: what a hidden test displays for the class report, and reading it back."""

from __future__ import annotations

import IPython.display
import nbformat
from IPython.core.interactiveshell import InteractiveShell

from medbill_lab.training import element_log
from medbill_lab.training.assignments import part_points
from medbill_lab.training.cases import generate
from medbill_lab.training.grading import grade


def test_a_coding_report_lists_each_code_with_what_was_given():
    case = generate(7, "diabetes_ckd")
    rows = element_log.elements_of(grade(case, ["E11.9", *case.answer[1:], "I10"]))
    by_name = {r["element"]: r for r in rows}
    first = by_name[case.answer[0]]
    assert (first["expected"], first["given"], first["earned"], first["max"]) == (
        "E11.22",
        "E11.9",
        1.0,
        2.0,
    )
    assert all(r["topic"] == "diagnosis coding" for r in rows)
    # a code the note does not support is a row of its own, expecting nothing, costing points
    extra = by_name["I10"]
    assert extra["expected"] == "" and extra["given"] == "I10" and extra["earned"] < 0
    # a code not coded at all: nothing given
    blank = element_log.elements_of(grade(case, ""))
    assert blank[0]["given"] == "" and blank[0]["earned"] == 0.0


def test_a_part_score_keeps_its_rows_and_a_score_without_rows_logs_nothing():
    rows = element_log.shares([("CO-45", "CO-45", "PR-45", False), ("PR-2", 20, 20, True)], "AR", 2)
    score = part_points(["PR-2"], ["CO-45"], 2, rows=rows)
    assert element_log.elements_of(score) == rows
    assert [r["earned"] for r in rows] == [0.0, 1.0]
    assert rows[1]["expected"] == "20" and rows[1]["given"] == "20"
    assert element_log.elements_of(part_points(["a"], [], 1)) == []
    assert element_log.elements_of("not a score") == []
    assert element_log.elements_of([{"no": "element"}, 3]) == []


def test_log_displays_one_output_in_a_kernel_and_nothing_elsewhere(monkeypatch, capsys):
    row = element_log.element("25", "modifiers", "25", "59", 0, 1)
    element_log.log([row])  # plain Python: IPython would print the dict, so nothing at all
    assert capsys.readouterr().out == ""
    shown = []
    monkeypatch.setattr(InteractiveShell, "initialized", classmethod(lambda cls: True))
    monkeypatch.setattr(IPython.display, "display", lambda obj, raw: shown.append((obj, raw)))
    element_log.log([row])
    assert shown == [({element_log.MIMETYPE: [row]}, True)]
    # a broken score never raises in a hidden test (the grade must not depend on the log)
    monkeypatch.setattr(IPython.display, "display", lambda obj, raw: 1 / 0)
    assert element_log.log([row]) is None


def test_rows_are_read_back_from_a_notebook_and_stripped_for_feedback():
    row = element_log.element("Box 21A", "CMS-1500 boxes", "E11.22", None, 0, 1)
    logged = nbformat.v4.new_output("display_data", data=element_log.payload([row]))
    printed = nbformat.v4.new_output("stream", text="Right: 0 of 1\n")
    cell = nbformat.v4.new_code_cell("_log(_score)", outputs=[printed, logged])
    cell.metadata["nbgrader"] = {"grade_id": "q1", "grade": True, "points": 1}
    plain = nbformat.v4.new_code_cell("x = 1", outputs=[logged])  # not a graded cell
    nb = nbformat.v4.new_notebook(cells=[cell, plain])
    nbformat.validate(nb)
    back = nbformat.reads(nbformat.writes(nb), as_version=4)
    assert element_log.read_notebook(back) == {"q1": [row]}
    assert element_log.strip_outputs(back) == 2
    assert element_log.read_notebook(back) == {}
    assert back.cells[0].outputs[0]["text"] == "Right: 0 of 1\n"
