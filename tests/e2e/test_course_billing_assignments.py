"""835 posting, the denial queue, AR aging, de-identification and the fraud lab, per course.

``exercises/`` holds templates (or, for the fraud lab, a labelled practice example);
``course init`` draws each course's items from its secret, and the keys live only in
the instructor's hidden tests.  One module course is released and autograded for
three sample students (correct, partial, blank) on the four rendered assignments.
"""

from __future__ import annotations

import ast
import datetime as dt
import gzip
import random
import re
import warnings
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from sqlalchemy.exc import SAWarning

from medbill_lab.compliance import fraud_lab
from medbill_lab.practice.aging import bucket
from medbill_lab.training import assignments, course
from medbill_lab.training.assignments import ar_aging, deidentify_notes, denial_queue, post_835

ROOT = Path(__file__).resolve().parents[2]
RENDERED = ("post_835", "denial_queue", "ar_aging", "deidentify_notes")
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)


def _template(name: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "exercises" / name / f"{name}.ipynb", 4)


def _text(nb: nbformat.NotebookNode) -> str:
    return "\n".join(c.source for c in nb.cells)


# -- exercises/ holds templates, never a key ------------------------------------------------
@pytest.mark.parametrize("name", RENDERED)
def test_the_template_in_exercises_holds_no_answer_and_no_key(name):
    nb = _template(name)
    assert "**Template.**" in nb.cells[0].source
    solutions = [r for c in nb.cells for r in SOLUTION.findall(c.source)]
    hidden = [r for c in nb.cells for r in HIDDEN.findall(c.source)]
    assert solutions and hidden
    for region in solutions:  # only placeholders, e.g. "answers = {{q1_solution}}"
        for line in filter(str.strip, region.splitlines()):
            assert re.fullmatch(r"\s*(\w+ = )?\{\{\w+\}\}", line), line
    for region in hidden:  # a grading call with the key's placeholder, no literal key
        assert assignments.TOKEN.search(region), region
        lines = [ln for ln in region.strip().splitlines() if "_log" not in ln]
        assert len(lines) <= 5, region  # short: the helper does the work (and a log line)
        assert not re.search(
            r"[\[{'\"]",
            assignments.TOKEN.sub("", region).replace('"recall"', "").replace('"precision"', ""),
        ), region


def test_the_fraud_lab_in_exercises_is_a_labelled_practice_example_with_the_public_seed():
    nb = _template("fraud_schemes")
    assert fraud_lab.PRACTICE_LABEL in nb.cells[0].source
    seeds = set(re.findall(r"_SEED = (\d+)", _text(nb)))
    assert seeds == {str(fraud_lab.EXERCISE_SEED)}  # public; a course replaces it


@pytest.mark.parametrize("name", RENDERED)
def test_two_draws_differ_and_one_draw_is_stable(name):
    gen = assignments.module(name)
    a, b = gen.draw(random.Random(1)), gen.draw(random.Random(2))
    keys = [k for k in a if k.endswith("_key") or k == "notes_seed"]
    assert keys and all(a[k] != b[k] for k in keys)
    assert gen.draw(random.Random(1)) == a
    assert assignments.fill(_template(name), a)  # every placeholder has a value, and back


# -- each draw is right by its rules ---------------------------------------------------------
def test_a_co_denial_is_never_billed_to_the_patient_and_a_pr_one_always_is():
    for seed in range(40):
        for item, _code, group, carc, _rarc, amount, _note, action in denial_queue.queue(
            random.Random(seed)
        ):
            assert (action == "bill_patient") == (group == "PR"), (item, group, carc)
            assert action in denial_queue.ACTIONS and float(amount) > 0


def test_the_835_key_posts_each_line_to_its_charge_and_bills_only_pr_denials():
    from medbill_lab.payer.explain import posting_key
    from medbill_lab.x12.x835 import parse_835

    unbalanced = 0
    for seed in range(30):
        values = post_835.draw(random.Random(seed))
        remit = parse_835(values["remit_835"])[0]
        for claim in remit.claims:
            charges = [ln.charge for ln in claim.lines] or [claim.charge]
            for (paid, contractual, patient), charge in zip(
                posting_key(remit)[claim.patient_account], charges, strict=True
            ):
                assert paid + contractual + patient == charge
        denied = [c for c in remit.claims if c.status == "4"]
        assert len(denied) == 1 and not denied[0].lines
        key = ast.literal_eval(values["q3_key"])
        assert key["bill_patient"] is (denied[0].adjustments[0].group == "PR")
        unbalanced += not remit.balances()
    assert 0 < unbalanced < 30  # some batches do not reconcile, most do


def test_the_aging_key_puts_every_edge_age_in_its_bucket():
    values = ar_aging.draw(random.Random(5))
    rows = ast.literal_eval(values["rows"])
    as_of = eval(values["as_of"], {"dt": dt})
    ages = {(as_of - dt.date.fromisoformat(r[2])).days for r in rows}
    assert set(ar_aging.EDGE_AGES) <= ages
    key = ast.literal_eval(values["q1_key"])
    assert round(sum(map(sum, key.values())), 2) == round(sum(r[3] for r in rows), 2)
    assert [bucket(a) for a in (30, 31, 90, 91, 121)] == [
        "0-30",
        "31-60",
        "61-90",
        "91-120",
        "121+",
    ]


def test_the_deid_items_follow_safe_harbor_at_its_edges():
    from medbill_lab.compliance.deid import RESTRICTED_ZIP3

    seen = set()
    for seed in range(60):
        for text, category in deidentify_notes.items(random.Random(seed)):
            value, what = text.split(", ", 1)
            if what == "the patient's age":
                assert category == ("AGE" if int(value) > 89 else "not PHI"), text
                seen.add(int(value) == 89)
            if what.startswith("the first 3 digits of a ZIP"):
                assert category == ("LOCATION" if value in RESTRICTED_ZIP3 else "not PHI"), text
    assert seen == {True, False}  # the age of exactly 89 (not PHI) is drawn too


def test_the_deid_table_key_keeps_the_edge_birth_year_and_zeroes_a_restricted_zip():
    for seed in range(10):
        as_of, table = deidentify_notes.patients(random.Random(seed))
        key = deidentify_notes.safe_key(as_of, table)
        years = [int(d[:4]) for d in table["dob"]]
        for year, shown, age, shown_age in zip(
            years, key["dob_year"], table["age"], key["age"], strict=True
        ):
            assert shown == (
                str(year) if year >= as_of.year - 89 else f"{as_of.year - 90} or earlier"
            )
            assert shown_age == ("90 or older" if age > 89 else str(age))
        assert as_of.year - 89 in years and "000" in key["zip3"]


# -- the grading helpers ------------------------------------------------------------------------
def test_grading_helpers_give_part_points_and_never_raise_on_bad_answers():
    key = {"A-1": [["10.00", "5.00", "2.00"]], "A-2": [["0.00", "9.00", "0.00"]]}
    assert post_835.score_posting({"A-1": [(10, 5, 2)], "A-2": [(0, 9, 0)]}, key, 3).points == 3
    assert post_835.score_posting({"A-1": [("10", "5.00", 2)]}, key, 3).points == 1.5
    assert post_835.score_posting("junk", key, 3).points == 0
    assert post_835.score_posting({"A-1": [None]}, key, 3).points == 0
    rec = {"claims_paid": "20.00", "plb_total": "-1.50", "balances": False}
    assert post_835.score_reconcile({**rec, "plb_total": -1.5}, rec, 3).points == 3
    assert post_835.score_reconcile({**rec, "balances": 0}, rec, 3).points == 2  # 0 is not False
    den = {"denied_claim": "A-2", "bill_patient": False}
    assert post_835.score_denial({**den, "bill_patient": True}, den, 1).points == 0
    assert denial_queue.score_patient("pr ", ["D2", "D1"], ["D1", "D2"], 2).points == 2
    assert denial_queue.score_patient("CO", 5, ["D1"], 2).points == 0
    assert (
        denial_queue.score_totals(
            {"write_off": "$1,000.5"}, {"write_off": "1000.50", "bill_patient": "3.00"}, 2
        ).points
        == 1
    )
    table = pd.DataFrame([[1.0, 0, 0, 0, 2.004]], index=["Aetna"], columns=ar_aging.BUCKETS)
    assert (
        ar_aging.score_table(table, {"Aetna": [1, 0, 0, 0, 2], "Cigna": [1, 0, 0, 0, 0]}, 3).points
        == 1.5
    )
    assert ar_aging.score_table(None, {"Aetna": [1, 0, 0, 0, 2]}, 3).points == 0
    assert (
        ar_aging.score_summary("x", 0.25, {"total_ar": 1.0, "share_over_90": 0.2505}, 2).points == 1
    )
    safe = pd.DataFrame({"zip3": ["000"], "age": ["90 or older"], "city": ["Harlow"]})
    got = deidentify_notes.score_safe_table(safe, {"zip3": ["000"], "age": ["90 or older"]}, 3)
    assert got.points == 2.0 and "identifiers removed" in got.wrong
    assert deidentify_notes.score_phi(lambda text: [], 7, "recall", 4).points == 0
    everything = deidentify_notes.score_phi(lambda text: [(0, len(text))], 7, "recall", 4)
    assert everything.points == 0  # flagging the whole note is not de-identifying it


# -- a course ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A course: the four assignments and the fraud lab released, three samples autograded
    (their answers written on the forms) and given feedback."""
    root = course.init_course(tmp_path_factory.mktemp("billing") / "c1", timeout=60)
    with course._tools_on_path(), warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)
        api = course.nbgrader_api(root)
        for name in (*RENDERED, "fraud_schemes"):
            course._check(api.generate_assignment(name, force=True), f"generate {name}")
        scenarios = {"student01": "correct", "student02": "partial", "student03": "blank"}
        course.write_sample_submissions(root, RENDERED, scenarios)
        for name in RENDERED:
            for student in scenarios:
                course._check(api.autograde(name, student, force=True), f"autograde {student}")
            course._check(api.generate_feedback(name, force=True), f"feedback {name}")
    return root


def _source(root: Path, name: str) -> nbformat.NotebookNode:
    return nbformat.read(root / "source" / name / f"{name}.ipynb", 4)


def _keys(source: nbformat.NotebookNode) -> list[str]:
    """The literal keys in a source notebook's hidden tests (the second argument onwards)."""
    found = []
    for region in (r for c in source.cells for r in HIDDEN.findall(c.source)):
        found += re.findall(r"\((?:\w+, )+(.+?), points=", region, re.S)
    return found


@pytest.mark.slow  # a course with every billing assignment generated and autograded (~40 s)
@pytest.mark.parametrize("name", RENDERED)
def test_a_courses_release_holds_no_key_and_no_secret(graded, name):
    src = _source(graded, name)
    assert not assignments.TOKEN.search(_text(src)) and "**Template.**" not in _text(src)
    keys = _keys(src)
    assert keys
    released = "\n".join(
        p.read_text("utf-8", "replace")
        for p in (graded / "release" / name).rglob("*")
        if p.is_file()
    )
    assert "HIDDEN" not in released and "BEGIN SOLUTION" not in released
    for key in keys:
        assert key not in released
    assert course.course_secret(graded).hex() not in released
    assert str(course.assignment_seed(graded, name)) not in released


@pytest.mark.slow  # a course with every billing assignment generated and autograded (~40 s)
@pytest.mark.parametrize("name", RENDERED)
def test_correct_sample_full_marks_partial_less_blank_zero(graded, name):
    rows = {r.student: r for r in course.grade_table(graded) if r.assignment == name}
    full = rows["student01"]
    assert full.status == "graded" and full.auto_score == full.max_auto_score > 0
    assert 0 < rows["student02"].auto_score < full.auto_score
    assert rows["student03"].auto_score == 0


@pytest.mark.slow  # a course with every billing assignment generated and autograded (~40 s)
@pytest.mark.parametrize("name", RENDERED)
def test_the_samples_answered_on_forms_and_their_feedback_shows_no_code(graded, name):
    mod = assignments.module(name)
    for student in ("student01", "student02", "student03"):
        nb = nbformat.read(graded / "submitted" / student / name / f"{name}.ipynb", 4)
        answers = [c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
        forms = [a for a in answers if a.startswith("%%answers ")]
        assert len(forms) == len(mod.FORMS) and all(" = {" not in a for a in forms), student
        page = (graded / "feedback" / student / name / f"{name}.html").read_text("utf-8")
        shown = _page_text(page)
        # (question 3 of the de-identification is a program: the student's own code stays)
        own_code = name == "deidentify_notes"
        hidden = ("BEGIN HIDDEN", "_a.", "score_", "import ", "_log")
        for code in (*hidden, *("Traceback",) * (not own_code)):
            assert code not in shown, (student, code)
        assert "Checked: 1. " in shown and "Checked: 2. " in shown
    partial = (graded / "feedback" / "student02" / name / f"{name}.html").read_text("utf-8")
    assert "Check again: " in _page_text(partial)  # the graders' explanation, in plain words


def _page_text(page: str) -> str:
    """An HTML page's text as a reader sees it (tags and styles dropped)."""
    import html

    page = re.sub(r"<(style|script)\b.*?</\1>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


@pytest.fixture(scope="module")
def other(tmp_path_factory):
    """A second course, initialised only."""
    return course.init_course(tmp_path_factory.mktemp("billing") / "c2", students=["s1"])


@pytest.mark.slow  # a course with every billing assignment generated and autograded (~40 s)
@pytest.mark.parametrize("name", RENDERED)
def test_two_courses_get_different_items(graded, other, name):
    mine, theirs = _source(graded, name), _source(other, name)
    data = {
        "post_835": "setup",
        "denial_queue": "setup",
        "ar_aging": "setup",
        "deidentify_notes": "items",
    }[name]

    def cell(nb: nbformat.NotebookNode) -> str:
        return next(
            c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == data
        )

    assert cell(mine) != cell(theirs)
    assert _keys(mine) != _keys(theirs)


# -- the fraud lab's seed cannot be searched ----------------------------------------------------
def _first_names(path: Path, n: int = 3) -> list[str]:
    with gzip.open(path, "rt") as fh:
        return list(pd.read_csv(fh)["name"][:n])


def _first_name(rng: random.Random) -> str:
    """The first provider name ``fraud_lab._providers`` makes from a names generator."""
    from medbill_lab.practice import synthetic as practice_gen

    first = rng.choice(practice_gen.FEMALE_NAMES + practice_gen.MALE_NAMES)
    last = rng.choice(practice_gen.LAST_NAMES)
    return f"{first} {last}, {rng.choice(fraud_lab.SPECIALTIES[0].credentials)}"


@pytest.mark.slow  # a course with every billing assignment generated and autograded (~40 s)
def test_the_fraud_seed_is_128_bits_and_no_small_seed_gives_the_handed_out_files(graded):
    text = _text(_source(graded, "fraud_schemes"))
    seed = int(re.search(r"_SEED = (\d+)", text).group(1))
    assert seed.bit_length() > 100 and seed != fraud_lab.EXERCISE_SEED
    assert fraud_lab.PRACTICE_LABEL not in text  # the course's own lab, not the practice one
    handed = _first_names(graded / "release" / "fraud_schemes" / "fraud_data" / "providers.csv.gz")
    assert handed == list(fraud_lab.generate(seed, fraud_lab.EXERCISE_SCALE).providers["name"][:3])
    # a student's search: every small seed, and a sample of the 31-bit window, both ways of
    # seeding the names (the lab's, and plain random.Random(seed) as it used to be)
    window = random.Random(0).sample(range(2**31), 50_000)
    hits = [
        s
        for s in [*range(100_000), *window]
        if handed[0] in (_first_name(fraud_lab.names_rng(s)), _first_name(random.Random(s)))
    ]
    assert all(_first_names_of(s) != handed for s in hits)  # a lone name may repeat; 3 do not
    # and the method finds a seed when there is one to find (a positive control)
    small = _first_name(fraud_lab.names_rng(77_777))
    assert 77_777 in [
        s for s in range(70_000, 80_000) if _first_name(fraud_lab.names_rng(s)) == small
    ]


def _first_names_of(seed: int) -> list[str]:
    return list(fraud_lab._providers(None, seed)["name"][:3])


@pytest.mark.slow  # a course with every billing assignment generated and autograded (~40 s)
def test_two_courses_fraud_files_share_nothing_derivable(graded, other):
    mine = _first_names(graded / "source" / "fraud_schemes" / "fraud_data" / "providers.csv.gz", 54)
    theirs = _first_names(
        other / "source" / "fraud_schemes" / "fraud_data" / "providers.csv.gz", 54
    )
    assert mine != theirs
    seeds = [
        int(re.search(r"_SEED = (\d+)", _text(_source(r, "fraud_schemes"))).group(1))
        for r in (graded, other)
    ]
    assert seeds[0] != seeds[1] and all(s.bit_length() > 100 for s in seeds)
    for root, seed in zip((graded, other), seeds, strict=True):
        for path in (root / "source" / "fraud_schemes" / "fraud_data").iterdir():
            raw = gzip.decompress(path.read_bytes()).decode()
            assert str(seed) not in raw and f"{seed:x}" not in raw


def test_a_small_seed_is_refused_for_a_course(tmp_path):
    folder = tmp_path / "fraud_schemes"
    folder.mkdir()
    (folder / "fraud_schemes.ipynb").write_bytes(
        (ROOT / "exercises" / "fraud_schemes" / "fraud_schemes.ipynb").read_bytes()
    )
    with pytest.raises(ValueError, match="128 bits"):
        fraud_lab.prepare_exercise(folder, 2**31 - 1)
    assert not (folder / "fraud_data").exists()
