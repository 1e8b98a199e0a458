"""Answers without Python: the ``%%answers`` form framework (issue 15, part 3).

A student types ``label: value`` lines; :func:`answer_forms.parse` reads each kind at its
edges, never raises for what a student typed, and names every problem in plain words.
"""

from __future__ import annotations

import datetime as dt
import html
import random
import re
from decimal import Decimal
from pathlib import Path

import nbformat
import pytest
from graded_course import cell_scores, graded_course

from medbill_lab.training import answer_forms as af
from medbill_lab.training import assignments

ROOT = Path(__file__).resolve().parents[2]
SPEC = af.FormSpec(
    "test_form",
    [
        af.Field("1", "Item 1 Program", "choice",
                 options=(("medicare", "Medicare"), ("group", "group health plan"))),
        af.Field("1a", "Item 1a Insured's ID number"),
        af.Field("3d", "Item 3 Patient's birth date", "date"),
        af.Field("3s", "Item 3 Patient's sex", "choice",
                 options=(("M", "male"), ("F", "female"))),
        af.Field("12", "Item 12 Patient's signature on file", "yesno"),
        af.Field("21", "Item 21 Diagnoses A-L", "codes"),
        af.Field("28", "Item 28 Total charge", "money"),
        af.Field("24A", "Item 24A line {n} from date", "date", repeat=3, group="Service lines"),
        af.Field("24D", "Item 24D line {n} procedure code", "code", repeat=3, group="Service lines",
                 pattern=r"[A-Z0-9]{5}", hint="a five-character CPT or HCPCS code"),
        af.Field("24G", "Item 24G line {n} days or units", "number", repeat=3,
                 group="Service lines"),
    ],
    title="A test form",
)  # fmt: skip


def one(key: str, value: str) -> af.FormAnswers:
    """The form with one field filled (by its full label)."""
    slot = next((f, line) for k, f, line in SPEC.slots() if k == key)
    return af.parse(SPEC, f"{slot[0].title(slot[1])}: {value}")


# -- each kind at its edges ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("12/31/2026", "2026-12-31"),
        ("2026-12-31", "2026-12-31"),
        ("1/5/2026", "2026-01-05"),
        ("02/29/2028", "2028-02-29"),  # a leap day
        ("  12/31/2026  ", "2026-12-31"),
        ("13/01/2026", None),  # no 13th month
        ("02/29/2025", None),  # 2025 is not a leap year
        ("12/31/26", None),  # the year has four digits
        ("yesterday", None),
    ],
)
def test_dates_are_mm_dd_yyyy_or_iso_and_a_day_that_does_not_exist_is_a_problem(typed, value):
    a = one("3d", typed)
    assert a["3d"] == value
    if value is None:
        assert a.problems() == [
            f"Item 3 Patient's birth date: {typed.strip()} is not a date (MM/DD/YYYY)"
        ]
    else:
        assert a.problems() == []


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("135.00", Decimal("135.00")),
        ("$135", Decimal("135.00")),
        ("$1,234.50", Decimal("1234.50")),
        ("1234.5", Decimal("1234.50")),
        ("0", Decimal("0.00")),
        ("12.345", None),  # a tenth of a cent
        ("1,23", None),
        ("-5.00", None),
        ("ten dollars", None),
        ("9" * 40, None),  # more dollars than any claim holds
    ],
)
def test_money_takes_dollars_and_cents_with_or_without_sign_and_commas(typed, value):
    a = one("28", typed)
    assert a["28"] == value
    assert bool(a.problems()) == (value is None)
    if value is None:
        assert "is not an amount" in a.problems()[0] and a.raw("28") == typed


@pytest.mark.parametrize(
    ("typed", "value"),
    [("y", True), ("Y", True), ("yes", True), ("x", True), ("N", False), ("no", False),
     ("maybe", None), ("", None)],
)  # fmt: skip
def test_yes_no_boxes_take_y_n_yes_no_and_x(typed, value):
    a = one("12", typed)
    assert a["12"] is value
    assert bool(a.problems()) == (typed == "maybe")


def test_codes_are_upper_cased_split_on_commas_or_spaces_and_kept_in_order():
    assert one("21", "e11.22, n18.31")["21"] == ["E11.22", "N18.31"]
    assert one("21", "E11.22 N18.31;I10")["21"] == ["E11.22", "N18.31", "I10"]
    bad = one("21", "E11.22, N18/31")
    assert bad["21"] is None and "N18/31 is not a code" in bad.problems()[0]


def test_a_pattern_checks_a_code_beyond_its_kind():
    assert one("24D.2", " 99213 ")["24D.2"] == "99213"
    bad = one("24D.2", "9921")
    assert bad.problems() == [
        "Item 24D line 2 procedure code: 9921 is not a five-character CPT or HCPCS code"
    ]


def test_choices_take_the_answer_or_its_word_in_any_case():
    assert one("1", "Group")["1"] == "group"
    assert one("1", "group health plan")["1"] == "group"
    assert one("1", "MEDICARE")["1"] == "medicare"
    assert one("3s", "f")["3s"] == "F" and one("3s", "Female")["3s"] == "F"
    bad = one("3s", "woman")
    assert bad["3s"] is None and bad.problems() == [
        "Item 3 Patient's sex: woman is not one of the choices (M, F)"
    ]


def test_numbers_are_whole_or_decimal_never_negative():
    assert one("24G.1", "3")["24G.1"] == 3 and isinstance(one("24G.1", "3")["24G.1"], int)
    assert one("24G.1", "1.5")["24G.1"] == Decimal("1.5")
    assert one("24G.1", "-1")["24G.1"] is None and one("24G.1", "two")["24G.1"] is None


def test_text_keeps_what_was_typed_with_spaces_collapsed_and_blank_is_none():
    assert one("1a", "  LH 123   456 ")["1a"] == "LH 123 456"
    blank = one("1a", "   ")
    assert blank["1a"] is None and blank.problems() == [] and blank.is_blank()


# -- labels: shortened, unknown, duplicate -----------------------------------------------------
def test_a_label_may_be_shortened_to_its_item_and_matching_ignores_case_and_spacing():
    a = af.parse(SPEC, "item 1A: X1\n24a line 2 from date: 01/02/2026\n  Item 28 :  $5")
    assert (a["1a"], a["24A.2"], a["28"]) == ("X1", "2026-01-02", Decimal("5.00"))
    assert a.notes == []


def test_unknown_labels_stray_lines_and_ambiguous_labels_are_reported_not_fatal():
    a = af.parse(
        SPEC, "Item 99 Colour: red\nsomething without a colon\nItem 3: 01/01/2020\nItem 1a: X"
    )
    assert a["1a"] == "X"
    assert a.notes == [
        "Line 1: this form has no field 'Item 99 Colour'",
        "Line 2: 'something without a colon' is not 'label: value' (start a note with #)",
        "Line 3: this form has 2 fields 'Item 3'",  # birth date and sex
    ]


def test_a_field_filled_twice_keeps_the_first_and_says_so_but_a_blank_gives_way():
    twice = af.parse(SPEC, "Item 1a: A1\nItem 1a: B2")
    assert twice["1a"] == "A1"
    assert twice.notes == [
        "Line 2: Item 1a Insured's ID number is filled in twice (line 1 and line 2): "
        "the first, 'A1', is kept"
    ]
    # the blank form, then the model answer below it (a source notebook): no complaint
    filled = af.parse(SPEC, af.blank_form(SPEC) + "\n" + "Item 1a: B2\nItem 28: 10")
    assert filled["1a"] == "B2" and filled.notes == [] and filled["28"] == Decimal("10.00")
    assert af.parse(SPEC, "Item 1a: A1\nItem 1a:")["1a"] == "A1"


def test_nbgraders_stub_and_comments_are_skipped():
    text = "# instructions\n# YOUR CODE HERE\nraise NotImplementedError()\nItem 1a: Z9"
    a = af.parse(SPEC, text)
    assert a.notes == [] and a["1a"] == "Z9"
    assert af.parse(SPEC, None).is_blank()  # type: ignore[arg-type]


# -- blank and filled forms ---------------------------------------------------------------------
def test_the_blank_form_has_every_label_once_and_reads_back_all_blank():
    text = af.blank_form(SPEC)
    assert text.splitlines()[0] == "# A test form"
    assert "# Service lines" in text and text.count("# Service lines") == 1
    labels = [ln for ln in text.splitlines() if not ln.startswith("#")]
    assert len(labels) == len(SPEC.slots()) == 7 + 3 * 3
    assert all(ln.endswith(":") for ln in labels)
    assert "Item 1 Program (medicare, group = group health plan):" in labels
    assert "Item 3 Patient's birth date (MM/DD/YYYY):" in labels
    back = af.parse(SPEC, text)
    assert back.is_blank() and back.problems() == [] and set(back.values().values()) == {None}
    # service lines row by row: line 1's fields, then line 2's
    rows = [ln.split(" ")[1] + ln.split(" ")[3] for ln in labels if ln.startswith("Item 24")]
    assert rows[:4] == ["24A1", "24D1", "24G1", "24A2"]


def test_a_filled_form_reads_back_the_same_values():
    values = {"1": "group", "1a": "LH1", "3d": "2001-02-03", "3s": "F", "12": False,
              "21": ["E11.22", "I10"], "28": Decimal("1234.50"), "24A.2": "2026-12-31",
              "24D.2": "99213", "24G.2": 2}  # fmt: skip
    text = af.fill_form(SPEC, values)
    assert "Item 3 Patient's birth date (MM/DD/YYYY): 02/03/2001" in text
    assert "Item 12 Patient's signature on file (Y/N): N" in text
    back = af.parse(SPEC, text)
    assert {k: v for k, v in back.values().items() if v is not None} == values
    assert back.rows(["24A", "24D", "24G"]) == [2]
    assert back.filled() == len(values)


# -- the magic and the rendering ------------------------------------------------------------------
def test_run_binds_answers_or_the_name_given_and_finds_forms_by_name():
    af.register(SPEC)
    ns: dict = {}
    a = af.run("test_form", "Item 1a: Q", ns)
    assert ns["answers"] is a and a["1a"] == "Q"
    af.run("test_form q1", "Item 1a: R", ns)
    assert ns["q1"]["1a"] == "R"
    # a problem names the line as the cell numbers it (line 1 is %%answers)
    assert af.run("test_form", "Item 1a: R\nnonsense", ns).notes[0].startswith("Line 3: ")
    with pytest.raises(af.FormError, match="no answer form"):
        af.form("no_such_assignment")
    with pytest.raises(af.FormError, match="needs the form's name"):
        af.run("  ", "", ns)


def test_the_html_shows_what_was_typed_and_each_problem_escaped_and_no_empty_rows():
    a = af.parse(
        SPEC,
        "Item 1a: <b>X</b>\nItem 3 patient's birth date: 13/45/2026\nItem 24D line 1 procedure code: 99213",
    )
    page = a._repr_html_()
    assert "&lt;b&gt;X&lt;/b&gt;" in page and "<b>X</b>" not in page
    assert 'class="mbl-bad"><td>Item 3 Patient&#x27;s birth date</td><td>13/45/2026' in page
    assert "Item 24D line 1" in page and "line 2" not in page  # empty rows are left out
    # the fields left blank are named on one line per group, not a row each
    assert "Left blank: Item 1 Program; Item 3 Patient&#x27;s sex;" in page
    assert (
        "Left blank: Item 24A line 1 from date; Item 24G line 1 days or units; the other rows"
        in page
    )
    assert "<td>Item 1 Program</td>" not in page
    assert a.summary().startswith("Your answers: 3 of 16 fields filled; 1 to fix:")


def test_the_magic_runs_in_ipython_and_binds_the_answers():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        af.register(SPEC)
        shell.run_line_magic("load_ext", "medbill_lab.training.answer_forms")
        shell.run_cell_magic("answers", "test_form", "Item 1a: M1\nItem 28: $2")
        assert shell.user_ns["answers"]["28"] == Decimal("2.00")
    finally:  # no shell left behind for the next test module on this worker
        InteractiveShell.clear_instance()


# -- plain feedback ---------------------------------------------------------------------------------
def test_feedback_cells_keep_outputs_and_points_but_lose_code_and_element_logs():
    test = nbformat.v4.new_code_cell(
        "# Part 1: patient and insured (4 points).\nfrom x import y as _form\n"
        "### BEGIN HIDDEN TESTS\n_form.score_part(answers, {}, 'patient')\n### END HIDDEN TESTS"
    )
    test.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "t1", "points": 4}
    test.outputs = [
        nbformat.v4.new_output("stream", text="Right: 3 of 4\n"),
        nbformat.v4.new_output("display_data", data={af.ELEMENTS_MIME: {"x": 1}}),
    ]
    answer = nbformat.v4.new_code_cell("%%answers f\nItem 1: x")
    answer.metadata["nbgrader"] = {"solution": True, "grade": False, "grade_id": "a"}
    nb = af.plain_feedback_cells(nbformat.v4.new_notebook(cells=[answer, test]))
    assert nb.cells[1].source == "Checked: Part 1: patient and insured (4 points)"
    assert [o.output_type for o in nb.cells[1].outputs] == ["stream"]
    assert nb.cells[0].source == "%%answers f\nItem 1: x"  # the student's own answer stays


def test_dates_written_back_are_mm_dd_yyyy():
    f = af.Field("d", "D", "date")
    assert af.shown_value(f, dt.date(2026, 1, 2).isoformat()) == "01/02/2026"
    assert af.normalise(f, af.shown_value(f, "2026-01-02")) == ("2026-01-02", [])


# -- form-answered assignments graded by nbgrader, and their feedback ------------------------------
FORM_ASSIGNMENTS = ("cms1500_completion", "ub04_completion")
SAMPLES = {"student01": "correct", "student02": "partial", "student03": "blank"}


@pytest.mark.parametrize("name", FORM_ASSIGNMENTS)
def test_the_template_answer_cell_is_the_blank_form_and_every_draw_fits_the_form(name):
    module = assignments.module(name)
    nb = nbformat.read(ROOT / "exercises" / name / f"{name}.ipynb", 4)
    answer = next(c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution"))
    blank, _, model = answer.partition("\n### BEGIN SOLUTION\n")
    assert blank == f"%%answers {name}\n{af.blank_form(module.FORM)}"
    assert model == "{{solution}}\n### END SOLUTION"
    assert "%load_ext medbill_lab.training.answer_forms" in nb.cells[1].source
    for seed in range(6):  # the key's rows fit the form's rows, and read back without a problem
        key = module.draw_case(random.Random(seed)).claim
        form = af.parse(module.FORM, module.filled_form(key))
        assert form.problems() == [], seed
        assert len(module.claim_from(form)["lines"]) == len(key["lines"])
        assert module.score_part(form, key, next(iter(module.PARTS))).points > 0


GARBAGE = ("13/45/2026", "-5", "NaN", "Infinity", "1e5", "??", "E11.9, ,", "9" * 40, "ÄÖ",
           "01/01/0001", "A, Z", "25, 59, 76, 91, XS", "$1,23")  # fmt: skip


@pytest.mark.parametrize("name", FORM_ASSIGNMENTS)
def test_no_typed_value_makes_the_form_the_check_or_the_grader_raise(name):
    module = assignments.module(name)
    key = module.draw_case(random.Random(5)).claim
    good = module.filled_form(key).splitlines()
    rng = random.Random(name)
    for _ in range(40):
        lines = list(good)
        for _ in range(6):
            i = rng.randrange(1, len(lines))
            lines[i] = f"{lines[i].split(':')[0]}: {rng.choice(GARBAGE)}"
        form = af.parse(module.FORM, "\n".join(lines))
        assert form.problems() and module.check(form)
        for part in module.PARTS:
            assert 0 <= module.score_part(form, key, part).points <= module.PARTS[part][2]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A course with only the form-answered assignments: released, three sample students
    handed in (correct, partly right, blank), autograded and given feedback by ``course``."""
    root = tmp_path_factory.mktemp("forms") / "course"
    return graded_course(root, FORM_ASSIGNMENTS, SAMPLES, feedback=FORM_ASSIGNMENTS)


def _answer_cell(path) -> str:
    nb = nbformat.read(path, 4)
    return next(c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution"))


@pytest.mark.parametrize("name", FORM_ASSIGNMENTS)
def test_the_released_form_is_blank_and_the_handed_in_ones_are_plain_text(graded, name):
    released = _answer_cell(graded / "release" / name / f"{name}.ipynb")
    spec = assignments.module(name).FORM
    assert released.startswith(f"%%answers {name}\n")
    read = af.parse(spec, released)
    assert read.is_blank() and read.problems() == []
    assert "NotImplementedError" not in released and "YOUR CODE" not in released  # no stub
    for student in SAMPLES:
        typed = _answer_cell(graded / "submitted" / student / name / f"{name}.ipynb")
        assert typed.startswith(f"%%answers {name}\n") and "= {" not in typed
        assert af.parse(spec, typed).problems() == [], student


@pytest.mark.parametrize("name", FORM_ASSIGNMENTS)
def test_a_form_answer_graded_by_nbgrader_scores_full_partial_and_zero(graded, name):
    full, part, blank = (cell_scores(graded, name, s) for s in SAMPLES)
    assert full and all(score == top for score, top in full.values())
    assert all(score == 0 for score, _ in blank.values())
    assert all(0 < score < top for score, top in part.values()), part
    # box-level partial credit: a part earns a share of its points, not all or nothing
    assert any(score != int(score) for score, _ in part.values()), part


def _page(path) -> str:
    """A feedback page as its reader sees it: the text, without markup, styles or scripts."""
    page = re.sub(r"<style.*?</style>|<script.*?</script>", "", path.read_text("utf-8"), flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


@pytest.mark.parametrize("name", FORM_ASSIGNMENTS)
def test_feedback_shows_the_explanation_and_points_but_no_test_code(graded, name):
    for student in SAMPLES:
        path = graded / "feedback" / student / name / f"{name}.html"
        raw, page = path.read_text("utf-8"), _page(path)
        for code in ("BEGIN HIDDEN", "END HIDDEN", "_form.", "score_part", "self_check"):
            assert code not in raw, (student, code)
        for code in ("import ", "Traceback (most recent", "NotImplementedError", "print("):
            assert code not in page, (student, code)
        assert "Checked: Part 1" in page and "Checked: Part 4" in page
    partial = _page(graded / "feedback" / "student02" / name / f"{name}.html")
    for grade_id, (score, top) in cell_scores(graded, name, "student02").items():
        assert f"Grade cell: {grade_id}" in partial
        assert f"Score: {score:g} / {top:g}" in partial or f"Score: {score} / {top}" in partial
    assert "box points" in partial or "locator points" in partial  # the graders' explanation
    assert "Check again" in partial
    blank = _page(graded / "feedback" / "student03" / name / f"{name}.html")
    # the reason a part scored nothing, in words: the claim the blank form makes does not load
    assert "Not yet: your" in blank and re.search(r"does not load[^\n]*, 0 of \d+ points", blank)


def test_a_cms1500_line_left_without_24b_is_not_given_line_1s_place():
    from medbill_lab.claims import model as claims
    from medbill_lab.training.assignments import cms1500_completion as cms

    key = next(
        c.claim for s in range(20) if len((c := cms.draw_case(random.Random(s))).claim["lines"]) > 1
    )
    label = "Item 24B line 2 place of service (two digits, e.g. 11): "
    text = cms.filled_form(key).replace(label + key["place_of_service"], label)
    form = af.parse(cms.FORM, text)
    assert form.problems() == [] and form["24B.2"] is None
    assert any(p.startswith("Item 24B") for p in claims.claim_problems(cms.claim_from(form)))
    assert "Item 24B" in cms.check(form)
    assert cms.score_part(form, key, "lines").points == 0
