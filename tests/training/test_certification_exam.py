"""The certification exam as an nbgrader assignment: drawn per course from the bank, answered
on a form, scored one point a question; the key only where nbgrader strips it.

Notebooks are scored in process here (fast), as autograde scores them; one real
nbgrader cycle was run by hand (course init, exam assign, release, grade, feedback).
"""

from __future__ import annotations

import ast
import random
import re
from pathlib import Path

import pytest
from notebook_scoring import blank, max_points, meta, scores

from medbill_lab.cli.app import main
from medbill_lab.training import course, exam_bank
from medbill_lab.training.answer_forms import parse
from medbill_lab.training.assignments import certification_exam as ce

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "exam_bank_fixture"
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)\n### END SOLUTION", re.S)
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n.*?### END HIDDEN TESTS", re.S)


@pytest.fixture(scope="module")
def bank() -> exam_bank.Bank:
    return exam_bank.load(FIXTURE)


@pytest.fixture(scope="module")
def nb(bank):
    return ce.notebook(random.Random(5), bank, style="CPC", n=8)


def _answer_cell(nb) -> str:
    return next(c.source for c in nb.cells if meta(c).get("grade_id") == "exam_answers")


def _drawn(nb, bank) -> list[exam_bank.Item]:
    test = next(c.source for c in nb.cells if meta(c).get("grade_id") == "exam_test")
    return [bank.item(i) for i in re.findall(r"'id': '([A-Z]+-\d+)'", test)]


def test_model_answers_score_full_half_of_them_half_and_blank_zero(nb):
    assert max_points(nb) == {"exam_test": 8.0}
    assert scores(nb) == {"exam_test": 8.0}
    source = _answer_cell(nb)
    head = source.split("\n")[0]
    model = SOLUTION.search(source).group(1).split("\n")
    half = [line if i < 4 else line.split(":")[0] + ":" for i, line in enumerate(model)]
    assert scores(nb, {"exam_answers": "\n".join([head, *half])}) == {"exam_test": 4.0}
    assert scores(nb, {}) == {"exam_test": 0.0}  # as released: the blank form


def test_the_students_copy_holds_no_answer_rule_or_rationale(nb, bank):
    visible = "\n".join(
        blank(c.source) if meta(c).get("solution") else HIDDEN.sub("", c.source) for c in nb.cells
    )
    items = _drawn(nb, bank)
    assert len(items) == 8 and len({i.id for i in items}) == 8
    for item in items:
        assert item.stem in visible  # the question is there ...
        assert item.rationale not in visible and item.rule not in visible  # ... not its key
        if item.type == "code":
            assert not any(code in visible for code in item.answer)
    assert "'answer'" not in visible and "### BEGIN" not in visible


def test_code_answers_are_normalised_and_ordered(bank):
    nb = ce.notebook(random.Random(2), bank, style="CPC", n=6)
    test = next(c.source for c in nb.cells if meta(c).get("grade_id") == "exam_test")
    key = ast.literal_eval(
        re.search(r"_exam.score\(answers, (\{.*\}), points", test, re.S).group(1)
    )
    code_q = next(q for q, e in key.items() if "answers" in e)
    codes = key[code_q]["answers"][0]
    layout = re.search(r"%%answers certification_exam:([ck]+)", _answer_cell(nb)).group(1)
    spec = ce.form_spec(layout)

    def points(typed: str) -> float:
        answers = parse(spec, f"Question {code_q} codes: {typed}")
        rows = {r["element"].split(" (")[0]: r["earned"] for r in ce.score(answers, key, 6).rows}
        return rows[f"Question {code_q}"]

    assert points(" ".join(c.lower() for c in codes)) == 1.0
    assert points(", ".join(c.replace(".", "") for c in codes)) == 1.0
    if len(codes) > 1:
        assert points(", ".join(reversed(codes))) == 0.0
    assert points("R69") == 0.0


def test_each_question_is_logged_with_its_domain_topic(nb, bank):
    key_items = _drawn(nb, bank)
    answers = parse(ce.form_spec("c" * 8), "")  # a blank form of the right length
    score = ce.score(answers, {str(i): {"id": x.id, "domain": x.domain, "rule": x.rule, "answer": "A"} for i, x in enumerate(key_items, 1)}, 8)  # fmt: skip
    assert score.points == 0 and len(score.rows) == 8
    assert {r["topic"] for r in score.rows} <= {"diagnosis coding", "billing"}
    assert all(f"review {x.rule}" in score.to_text() for x in key_items)


def _course(tmp_path: Path, name: str, secret: str) -> Path:
    root = tmp_path / name
    root.mkdir()
    (root / "nbgrader_config.py").write_text(course.config_text())
    (root / course.SECRET_FILE).write_text(f"# secret\n{secret}\n")
    return root


def test_each_course_draws_its_own_exam_and_keeps_it(tmp_path):
    a = _course(tmp_path, "a", "11" * 32)
    b = _course(tmp_path, "b", "22" * 32)
    path = ce.add_to_course(a, FIXTURE, "CPC", 6)
    first = path.read_text()
    assert path == a / "source" / "certification_exam" / "certification_exam.ipynb"
    with pytest.raises(FileExistsError, match="already has its exam"):
        ce.add_to_course(a, FIXTURE, "CPC", 6)
    assert ce.add_to_course(a, FIXTURE, "CPC", 6, replace=True).read_text() == first
    assert ce.add_to_course(b, FIXTURE, "CPC", 6).read_text() != first


def test_the_cli_adds_the_exam_and_names_the_next_step(tmp_path, capsys):
    root = _course(tmp_path, "c", "33" * 32)
    status = main(["exam", "assign", str(root), "--style", "cbcs", "--questions", "4", "--bank", str(FIXTURE)])  # fmt: skip
    out = capsys.readouterr().out
    assert status == 0 and "(4 questions, CBCS-style)" in out
    assert out.splitlines()[-1].endswith(f"course release certification_exam {root}")
    for args, message in (
        ([str(root)], "already has its exam"),
        ([str(tmp_path / "nowhere")], "not a course folder"),
        ([str(root), "--replace", "--questions", "0"], "from 1 to 200"),
    ):
        assert main(["exam", "assign", *args, "--bank", str(FIXTURE)]) == 1
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1


def test_a_bad_layout_is_no_form():
    with pytest.raises(ValueError, match="not an exam layout"):
        ce.form_spec("cx")
    assert ce.FORMS.get("ckc").fields[1].kind == "codes" and ce.FORMS.get("") is None


def test_an_exam_from_the_public_bank_says_its_answers_are_readable(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("MEDBILL_LAB_EXAM_BANK", raising=False)
    root = _course(tmp_path, "d", "44" * 32)
    assert main(["exam", "assign", str(root), "--questions", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and "public bank" in lines[1] and "--bank DIR" in lines[1]
    assert lines[-1].endswith(f"course release certification_exam {root}")
    # a private bank (the fixture folder, by --bank or by the variable) draws no note
    monkeypatch.setenv("MEDBILL_LAB_EXAM_BANK", str(FIXTURE))
    assert main(["exam", "assign", str(root), "--questions", "3", "--replace"]) == 0
    out = capsys.readouterr().out
    assert "public bank" not in out and len(out.splitlines()) == 2
    assert exam_bank.is_public(exam_bank.datasets_dir() / "exam_bank" / ".." / "exam_bank")
    assert not exam_bank.is_public(FIXTURE)
