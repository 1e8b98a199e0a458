"""The class report finds the patterns planted in a simulated course of 36 students.

The course (``tests/simulated_course.py``) is written straight into a gradebook and
autograded notebooks, without a kernel: see that module for what is planted.
"""

from __future__ import annotations

import csv
import json
import statistics
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
import simulated_course as sim

from medbill_lab.cli.app import main
from medbill_lab.training import course, course_report, element_log


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return sim.build(tmp_path_factory.mktemp("sim") / "course")


@pytest.fixture(scope="module")
def report(root) -> course_report.CourseReport:
    return course_report.build(root)


def test_the_simulated_notebooks_are_valid_notebooks(root):
    nb = nbformat.read(root / "autograded" / "s01" / "icd10cm_coding" / "icd10cm_coding.ipynb", 4)
    nbformat.validate(nb)
    assert element_log.read_notebook(nb)["test_case_1"][0]["given"] == "E11.9"


def test_the_planted_top_wrong_answer_is_found_with_its_count(report):
    wrong = report.wrong_for("icd10cm_coding", "test_case_1", "E11.22")
    assert wrong[0].text == "E11.9 instead of E11.22: 14 students"
    assert (wrong[0].given, wrong[0].students) == ("E11.9", len(sim.E11_9))
    assert [(w.given, w.students) for w in wrong[1:]] == [("E11.21", 3)]
    # the element's own figures: 36 students, 19 right, the others half the points
    row = next(e for e in report.elements if (e.item, e.element) == ("test_case_1", "E11.22"))
    assert (row.n, row.expected, row.topic) == (36, "E11.22", "diagnosis coding")
    assert row.full_share == round(19 / 36, 4)
    assert row.mean == round((19 * 2 + 17 * 1) / 36, 4)
    # an element every student got right has no wrong answer at all
    assert not report.wrong_for("icd10cm_coding", "test_case_1", "no such element")


def test_the_item_nobody_gets_right_has_difficulty_zero(report):
    item = report.item("icd10cm_coding", "test_case_3")
    assert (item.n, item.mean, item.full_share, item.difficulty) == (36, 0.0, 0.0, 0.0)
    assert item.discrimination is None  # nothing varies: no correlation to report
    assert any("very hard" in f for f in item.flags)
    others = [r for r in report.items if r.item != "test_case_3"]
    assert all(r.difficulty > 0 for r in others)
    # its wrong answer is the same for all 36: the 7th character left off
    assert report.wrong_for("icd10cm_coding", "test_case_3", "S52.521A")[0].students == 36


def test_the_item_that_discriminates_negatively_is_flagged_and_the_others_are_not(report):
    coding = [r for r in report.items if r.assignment == "icd10cm_coding"]
    negative = [r.item for r in coding if r.discrimination is not None and r.discrimination < 0]
    assert negative == ["test_case_4"]
    item = report.item("icd10cm_coding", "test_case_4")
    assert item.discrimination < -0.5 and item.upper_lower < 0
    assert any("negative discrimination" in f for f in item.flags)
    assert report.item("icd10cm_coding", "test_case_1").discrimination > 0.3


def test_the_student_weak_only_in_modifiers_is_found(report):
    table = report.mastery_table()
    weak = table[sim.WEAK_IN_MODIFIERS]
    assert report.weakest_topic(sim.WEAK_IN_MODIFIERS) == "modifiers"
    assert weak["modifiers"] == 0.0
    assert min(v["modifiers"] for s, v in table.items() if s != sim.ABSENT) == 0.0
    # and strong in every other topic: at or above the class median
    for topic in ("diagnosis coding", "NCCI", "compliance/privacy"):
        median = statistics.median(v[topic] for v in table.values() if v[topic] is not None)
        assert weak[topic] >= median, topic
    # a cell that logs no elements counts under its assignment's topic
    assert report.topics == ["diagnosis coding", "modifiers", "NCCI", "compliance/privacy"]
    assert weak["compliance/privacy"] == 1.0


def test_a_missing_submission_is_left_out_not_counted_as_zero(report):
    by_name = {a.name: a for a in report.assignments}
    assert by_name["modifier_ncci"].submissions == 35
    assert sim.ABSENT not in by_name["modifier_ncci"].scores
    assert report.item("modifier_ncci", "q1_modifier_test").n == 35
    assert report.mastery_table()[sim.ABSENT]["modifiers"] is None
    # the assignment nobody handed in is named, not reported as all zeros
    assert "terminology" not in by_name
    assert report.notes == ("not graded yet: terminology",)


def test_mastery_is_the_share_of_points_over_the_topics_elements(report):
    table = report.mastery_table()
    for m in report.mastery:
        if m.possible:
            assert table[m.student][m.topic] == pytest.approx(min(1, max(0, m.earned / m.possible)))
    # a cell's elements share the cell's points: where every cell of an assignment logs its
    # elements, the topic's mastery is the student's share of that assignment's points
    coding = next(a for a in report.assignments if a.name == "icd10cm_coding")
    for student, score in coding.scores.items():
        want = score / coding.max_score
        assert table[student]["diagnosis coding"] == pytest.approx(want, abs=0.005), student
    # the strongest student: every modifier and NCCI element right
    assert table["s36"]["NCCI"] == 1.0 and table["s36"]["modifiers"] == 1.0


def test_one_assignment_only(root):
    one = course_report.build(root, "modifier_ncci")
    assert [a.name for a in one.assignments] == ["modifier_ncci"]
    assert {r.assignment for r in one.items} == {"modifier_ncci"}
    assert one.topics == ["modifiers", "NCCI"]
    assert one.notes == ()


def test_csv_exports(root, report, tmp_path):
    paths = report.write_csv(tmp_path / "out")
    assert [p.name for p in paths] == list(course_report.CSV_FILES)

    def rows(name):
        with (tmp_path / "out" / name).open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    wrong = rows("wrong_answers.csv")
    assert {
        "assignment": "icd10cm_coding",
        "item": "test_case_1",
        "element": "E11.22",
        "expected": "E11.22",
        "given": "E11.9",
        "students": "14",
    } in wrong
    items = {r["item"]: r for r in rows("items.csv")}
    assert items["test_case_3"]["difficulty"] == "0"
    assert items["test_case_3"]["discrimination"] == ""
    assert float(items["test_case_4"]["discrimination"]) < 0
    mastery = {r["student"]: r for r in rows("mastery.csv")}
    assert len(mastery) == 36
    assert mastery[sim.WEAK_IN_MODIFIERS]["modifiers"] == "0"
    assert mastery[sim.ABSENT]["modifiers"] == ""
    elements = rows("elements.csv")
    assert {"element": "RT", "item": "q3_modifier_test"}.items() <= {
        "element": elements[-1]["expected"],
        "item": elements[-1]["item"],
    }.items()


class _Page(HTMLParser):
    """Collects the tags, the text and any script or external resource of a page."""

    def __init__(self):
        super().__init__()
        self.tags, self.text, self.external = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href") and value and "//" in value:
                self.external.append(value)

    def handle_data(self, data):
        self.text.append(data)


def test_the_html_report_is_a_self_contained_page(report, tmp_path):
    page = _Page()
    page.feed(report.to_html())
    page.close()
    assert page.tags[0] == "html" and "body" in page.tags and "table" in page.tags
    assert "script" not in page.tags and not page.external
    text = " ".join(page.text)
    assert "E11.9 instead of E11.22: 14 students" in text
    assert "Mastery by topic" in text and sim.WEAK_IN_MODIFIERS in text


def test_the_report_command_json_html_and_csv(root, tmp_path, capsys):
    html, folder = tmp_path / "report.html", tmp_path / "csv"
    argv = ["course", "report", str(root), "--json", "--html", str(html), "--csv", str(folder)]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["course_id"] == course.COURSE_ID
    texts = [w["text"] for w in data["wrong_answers"]]
    assert "E11.9 instead of E11.22: 14 students" in texts
    assert data["mastery"][sim.WEAK_IN_MODIFIERS]["modifiers"] == 0.0
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in folder.iterdir()) == sorted(course_report.CSV_FILES)
    assert main(["course", "report", str(root), "--assignment", "icd10cm_coding"]) == 0
    out = capsys.readouterr().out
    assert "test_case_1 E11.22: E11.9 instead of E11.22: 14 students" in out
    assert "modifier_ncci" not in out


@pytest.mark.parametrize(
    "args, says",
    [
        (["{missing}"], "is not a folder"),
        (["{plain}"], "is not a course folder"),
        (["{nogradebook}"], "has no gradebook"),
        (["{root}", "--assignment", "terminology"], "no graded submissions of 'terminology'"),
        (["{root}", "--assignment", "nope"], "no assignment 'nope' in the gradebook"),
        (["{root}", "--html", "{missing}/x/report.html"], "cannot write"),
        (["{damaged}"], "cannot read the gradebook"),
    ],
)
def test_bad_input_is_one_line_and_non_zero(root, tmp_path, capsys, args, says):
    for name in ("nogradebook", "damaged"):
        (tmp_path / name).mkdir()
        (tmp_path / name / course.CONFIG_FILE).write_text(course.config_text())
    (tmp_path / "damaged" / course.GRADEBOOK).write_bytes(b"not a database " * 100)
    paths = {
        "missing": tmp_path / "missing",
        "plain": tmp_path,
        "nogradebook": tmp_path / "nogradebook",
        "damaged": tmp_path / "damaged",
        "root": root,
    }
    argv = ["course", "report", *(a.format(**paths) for a in args)]
    assert main(argv) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and says in err, err
    assert "Traceback" not in err


def test_a_cell_still_waiting_for_a_grade_by_hand_is_not_called_very_hard():
    """nbgrader scores only the blank written answers (0); the filled ones wait for the
    instructor. The item says how many are graded instead of 'very hard' from the blanks."""
    students = [f"s{i}" for i in range(5)]
    grades = [
        course_report._Grade(s, "a", "test_case_1", 3.0 * (i > 1), 3.0)
        for i, s in enumerate(students)
    ]
    grades += [course_report._Grade("s0", "a", "explain_case", 0.0, 2.0)]
    rows, _ = course_report._items("a", grades, {})
    by_item = {r.item: r for r in rows}
    assert by_item["explain_case"].flags == (
        "graded for 1 of 5 so far: the rest wait for a grade by hand",
    )
    assert not any("so far" in f for f in by_item["test_case_1"].flags)
    # once every student's answer is graded, the usual analysis flags it
    grades += [course_report._Grade(s, "a", "explain_case", 0.0, 2.0) for s in students[1:]]
    rows, _ = course_report._items("a", grades, {})
    flags = next(r for r in rows if r.item == "explain_case").flags
    assert flags and all("so far" not in f for f in flags)


def test_items_are_named_by_their_cell_titles_and_a_written_answer_shows_no_model_answer(tmp_path):
    """A graded test cell's first line ('# Case 1 (3 points).') names the item for the teacher;
    a written answer's markdown cell, which may open with its model answer, names nothing."""

    def cell(kind: str, grade_id: str, source: str) -> dict:
        meta = {"nbgrader": {"grade": True, "grade_id": grade_id, "points": 3}}
        return {"cell_type": kind, "metadata": meta, "source": source}

    folder = tmp_path / "source" / "icd10cm_coding"
    folder.mkdir(parents=True)
    cells = [
        cell("code", "test_case_1", "# Case 1 (3 points).\nassert True\n"),
        cell("code", "test_case_2", ["assert True\n"]),  # no title: the id stays
        cell("markdown", "explain_case", "Model answer (instructor only): H66.92."),
    ]
    (folder / "icd10cm_coding.ipynb").write_text(json.dumps({"cells": cells}), encoding="utf-8")
    titles = course_report._cell_titles(tmp_path, "icd10cm_coding")
    assert titles == {"test_case_1": "Case 1 (3 points)"}
    grades = [
        course_report._Grade(s, "icd10cm_coding", item, score, 3.0)
        for s, score in (("s1", 3.0), ("s2", 0.0))
        for item in ("test_case_1", "test_case_2", "explain_case")
    ]
    rows, _ = course_report._items("icd10cm_coding", grades, {}, titles)
    labels = {r.item: r.label for r in rows}
    assert labels["test_case_1"] == "Case 1 (3 points) [test_case_1]"
    assert labels["test_case_2"] == "test_case_2"
    assert labels["explain_case"] == "explain_case"
    report = course_report.CourseReport(
        course_id="c",
        assignments=(course_report._summary("icd10cm_coding", 9.0, grades),),
        items=tuple(rows),
        elements=(
            course_report.ElementRow(
                "icd10cm_coding",
                "test_case_1",
                "Z3A.29",
                "diagnosis coding",
                "Z3A.29",
                1,
                2,
                0.5,
                0.5,
            ),
        ),
        wrong_answers=(
            course_report.WrongAnswer("icd10cm_coding", "test_case_1", "Z3A.29", "Z3A.29", "", 1),
        ),
        mastery=(),
        notes=(),
    )
    html, text = report.to_html(), report.to_text()
    assert "<td>Case 1 (3 points) <span" in html and "H66.92" not in html
    assert "  Case 1 (3 points) [test_case_1]: mean 1.50/3" in text and "H66.92" not in text
    # the rows under an item name it by its title without the points
    assert "<tr><td>Case 1</td><td>Z3A.29</td>" in html
    assert "    Case 1, Z3A.29: (blank) instead of Z3A.29: 1 student" in text


def test_a_small_class_gets_one_caution_line_naming_every_assignment(tmp_path):
    """Under 20 learners item analysis is a first look; the report says so once, naming each
    assignment it covers, instead of repeating the sentence for each one."""
    report = course_report.build(sim.build(tmp_path / "small", students=sim.STUDENTS[:4]))
    cautions = [n for n in report.notes if "unstable below 20" in n]
    assert len(cautions) == 1
    assert all(a.name in cautions[0] for a in report.assignments)
    assert len(report.assignments) > 1


def test_a_student_s_answer_that_looks_like_a_formula_is_exported_as_text(tmp_path):
    """The given answers are the students' own text, and the CSVs are meant for a
    spreadsheet: one starting with = + - or @ must not run there as a formula."""
    given = ['=HYPERLINK("http://x.example","E11.22")', "+A1+B1", "@SUM(A1)", "-3.10", "E11.9"]
    wrong = tuple(course_report.WrongAnswer("post_835", "q1", "paid", "80.00", g, 1) for g in given)
    report = course_report.CourseReport("c", (), (), (), wrong, ())
    report.write_csv(tmp_path)
    with (tmp_path / "wrong_answers.csv").open(encoding="utf-8", newline="") as fh:
        written = [r["given"] for r in csv.DictReader(fh)]
    assert written == [
        '\'=HYPERLINK("http://x.example","E11.22")',
        "'+A1+B1",
        "'@SUM(A1)",
        "-3.10",
        "E11.9",
    ]
