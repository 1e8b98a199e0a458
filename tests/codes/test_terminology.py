"""Medical terminology: the word-part list, term splitting, quizzes and their widgets."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from medbill_lab.apps.flashcards import decompose_box, quiz_widget
from medbill_lab.codes.terminology import (
    BODY_SYSTEMS,
    check_answer,
    decompose,
    make_quiz,
    practice_terms,
    readings,
    senses,
    word_part,
    word_parts,
)

ROOT = Path(__file__).resolve().parents[2]
WORD_PARTS = ROOT / "datasets" / "terminology" / "word_parts.csv"
FORMATS = {
    "prefix": r"[a-z]+-",
    "combining_form": r"[a-z]+/[aeiou]",
    "suffix": r"-[a-z]+",
}


# --- the word-part list -----------------------------------------------------


def test_word_part_file_has_the_documented_columns_and_size():
    with WORD_PARTS.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    assert reader.fieldnames == ["part", "type", "meaning", "body_system"]
    assert len(rows) >= 320
    counts = {t: sum(r["type"] == t for r in rows) for t in FORMATS}
    assert counts["prefix"] >= 75
    assert counts["combining_form"] >= 180
    assert counts["suffix"] >= 65


def test_every_row_is_well_formed():
    for p in word_parts():
        assert re.fullmatch(FORMATS[p.type], p.part), p
        assert p.body_system in BODY_SYSTEMS, p
        assert p.meaning == p.meaning.strip() and p.meaning, p
        assert all(senses(p.meaning)), p


def test_no_part_is_listed_twice():
    parts = [p.part for p in word_parts()]
    assert len(parts) == len(set(parts))


def test_every_body_system_is_covered_by_combining_forms():
    for system in BODY_SYSTEMS:
        forms = [p for p in word_parts() if p.type == "combining_form" and p.body_system == system]
        assert len(forms) >= 10, system


def test_the_suffixes_every_coder_needs_are_there():
    listed = (
        "-ectomy -otomy -ostomy -plasty -scopy -itis -osis -emia -algia -megaly -logy -pathy "
        "-rrhea -rrhage -rrhaphy -pexy -centesis -gram -graphy -oma -penia -plegia -ptosis "
        "-stenosis -tripsy -uria -cele -desis -lysis -malacia -sclerosis"
    )
    needed = listed.split()
    assert [s for s in needed if word_part(s) is None or word_part(s).type != "suffix"] == []


@pytest.mark.parametrize(
    ("part", "words"),
    [
        ("-ectomy", ["surgical removal"]),
        ("-otomy", ["incision"]),
        ("-ostomy", ["opening"]),
        ("-itis", ["inflammation"]),
        ("-megaly", ["enlargement"]),
        ("-rrhaphy", ["suture"]),
        ("-tripsy", ["crushing"]),
        ("-penia", ["deficiency"]),
        ("chol/e", ["gall", "bile"]),
        ("cyst/o", ["bladder", "sac"]),
        ("hyster/o", ["uterus"]),
        ("nephr/o", ["kidney"]),
        ("hyper-", ["excessive"]),
        ("brady-", ["slow"]),
        ("peri-", ["around"]),
        ("endo-", ["within"]),
    ],
)
def test_key_meanings(part, words):
    meaning = word_part(part).meaning
    assert all(w in meaning for w in words), meaning


def test_curated_and_practice_rows_use_listed_parts():
    for key in readings():
        assert all(word_part(p) for p in key), key
    for term, parts in practice_terms():
        assert all(word_part(p) for p in parts), term


@pytest.mark.parametrize(("term", "parts"), practice_terms(), ids=lambda v: str(v))
def test_every_practice_term_splits_as_the_file_says(term, parts):
    d = decompose(term)
    assert d.complete
    assert tuple(p.part for p in d.parts) == parts


# --- decomposition ----------------------------------------------------------

CASES = [
    ("cholecystectomy", "chol/e + cyst/o + -ectomy", ["surgical removal", "gallbladder"]),
    ("gastritis", "gastr/o + -itis", ["inflammation", "stomach"]),
    ("gastroenterology", "gastr/o + enter/o + -logy", ["study", "stomach", "intestine"]),
    ("osteoarthritis", "oste/o + arthr/o + -itis", ["inflammation", "joint", "bone"]),
    ("electrocardiogram", "electr/o + cardi/o + -gram", ["record", "heart", "electric"]),
    ("hysterectomy", "hyster/o + -ectomy", ["surgical removal", "uterus"]),
    ("tachycardia", "tachy- + -cardia", ["fast", "heart"]),
    ("nephrolithiasis", "nephr/o + lith/o + -iasis", ["condition", "kidney", "stone"]),
    ("laparoscopy", "lapar/o + -scopy", ["visual examination", "abdomen"]),
    ("arthroplasty", "arthr/o + -plasty", ["surgical repair", "joint"]),
    ("hepatomegaly", "hepat/o + -megaly", ["enlargement", "liver"]),
    ("bradycardia", "brady- + -cardia", ["slow", "heart"]),
    ("hematuria", "hemat/o + -uria", ["blood", "urine"]),
    ("pericarditis", "peri- + cardi/o + -itis", ["inflammation", "around", "heart"]),
    ("colonoscopy", "colon/o + -scopy", ["visual examination", "colon"]),
    ("hypoglycemia", "hypo- + glyc/o + -emia", ["deficient", "sugar", "blood"]),
    ("leukocytosis", "leuk/o + cyt/o + -osis", ["abnormal condition", "white", "cell"]),
]


@pytest.mark.parametrize(("term", "display", "words"), CASES, ids=[c[0] for c in CASES])
def test_decompositions(term, display, words):
    d = decompose(term)
    assert d.complete
    assert d.display == display
    assert all(w in d.meaning for w in words), d.meaning


def test_meanings_are_built_from_the_parts_suffix_first_roots_right_to_left():
    # None of these has a curated reading: the words come from word_parts.csv.
    for term in ("gastritis", "gastroenterology", "osteoarthritis", "pericarditis"):
        d = decompose(term)
        assert not any(k == tuple(p.part for p in d.parts) for k in readings())
    assert decompose("gastroenterology").meaning == "study of the intestine and stomach"
    assert decompose("osteoarthritis").meaning == "inflammation of the joint and bone"
    assert decompose("pericarditis").meaning == "inflammation around the heart"
    assert decompose("bradycardia").meaning == "slow heart condition"


def test_curated_readings_apply_inside_longer_terms():
    assert decompose("cholecystitis").meaning == "inflammation of the gallbladder"
    assert decompose("hyperglycemia").meaning == "excessive sugar in the blood"


def test_combining_vowel_is_dropped_before_a_vowel_and_kept_before_a_consonant():
    assert decompose("gastritis").divided == "gastr/itis"
    assert decompose("gastroscopy").divided == "gastr/o/scopy"
    assert decompose("cholecystectomy").divided == "chol/e/cyst/ectomy"
    assert decompose("gastroenterology").divided == "gastr/o/enter/o/logy"


def test_input_is_normalised():
    assert decompose("  Electro-Cardiogram ").display == "electr/o + cardi/o + -gram"


def test_unknown_letters_give_a_partial_decomposition_not_an_exception():
    d = decompose("gastrozzzitis")
    assert not d.complete
    assert d.unmatched == ("zzz",)
    assert d.display == "gastr/o + [zzz] + -itis"
    assert "inflammation" in d.meaning and "stomach" in d.meaning
    nothing = decompose("qwxz")
    assert nothing.parts == () and nothing.unmatched == ("qwxz",) and nothing.meaning == ""


@pytest.mark.parametrize("bad", ["", "   ", None, 42, "123", "gastr1tis", "gall bladder", "x" * 61])
def test_garbage_input_raises_a_clear_value_error(bad):
    with pytest.raises(ValueError, match=r"medical term|letters"):
        decompose(bad)


# --- quizzes ----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["meaning", "part", "build", "mixed"])
def test_quiz_is_deterministic_for_a_seed(kind):
    assert make_quiz(10, seed=42, kind=kind) == make_quiz(10, seed=42, kind=kind)
    assert make_quiz(10, seed=42, kind=kind) != make_quiz(10, seed=43, kind=kind)


def test_quiz_is_the_same_in_another_process():
    code = "from medbill_lab.codes.terminology import make_quiz; print(repr(make_quiz(8, seed=5, kind='mixed')))"
    env = {**os.environ, "PYTHONHASHSEED": "123"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True
    ).stdout.strip()
    assert out == repr(make_quiz(8, seed=5, kind="mixed"))


@pytest.mark.parametrize("kind", ["meaning", "part", "build"])
def test_four_distinct_choices_exactly_one_correct(kind):
    for q in make_quiz(40, seed=1, kind=kind):
        assert q.kind == kind
        assert len(q.choices) == 4 and len(set(q.choices)) == 4
        assert sum(c == q.answer for c in q.choices) == 1
        assert q.explanation


def test_wrong_choices_share_no_sense_with_the_answer():
    for q in make_quiz(60, seed=2, kind="part"):
        right = word_part(q.answer)
        for c in q.choices:
            other = word_part(c)
            assert other.type == right.type
            if c != q.answer:
                assert not set(senses(other.meaning)) & set(senses(right.meaning)), (q, c)


def test_build_questions_are_answered_by_decompose():
    for q in make_quiz(20, seed=3, kind="build"):
        term = re.search(r'"(.+)"', q.prompt).group(1)
        assert decompose(term).display == q.answer
        assert term in q.explanation


def test_quiz_filtered_by_body_system():
    for q in make_quiz(10, seed=4, body_system="cardiovascular", kind="part"):
        assert word_part(q.answer).body_system == "cardiovascular"


def test_mixed_quiz_has_all_three_kinds():
    assert {q.kind for q in make_quiz(9, seed=0, kind="mixed")} == {"meaning", "part", "build"}


@pytest.mark.parametrize(
    "kwargs",
    [{"kind": "essay"}, {"body_system": "liver"}, {"n": 0}, {"n": "3"}, {"n": 10_000}],
)
def test_bad_quiz_settings_raise_value_error(kwargs):
    with pytest.raises(ValueError):
        make_quiz(**kwargs)


def test_check_answer():
    q = make_quiz(1, seed=9, kind="meaning")[0]
    wrong = next(c for c in q.choices if c != q.answer)
    assert check_answer(q, q.answer) == (True, f"Correct! {q.explanation}")
    assert check_answer(q, f"  {q.answer.upper()} ")[0]
    assert check_answer(q, q.choices.index(q.answer))[0]
    ok, why = check_answer(q, wrong)
    assert not ok and q.answer in why and q.explanation in why
    assert check_answer(q, None)[0] is False
    assert check_answer(q, 7)[0] is False


def test_explanations_say_why():
    every = make_quiz(len(word_parts()), seed=0, kind="meaning")  # one question per part
    q = next(q for q in every if q.answer == "surgical removal")
    assert '"-ectomy" is a suffix meaning "surgical removal"' in q.explanation
    assert "Example:" in q.explanation


# --- widgets ----------------------------------------------------------------


def test_decompose_box_shows_a_table_and_friendly_messages():
    box = decompose_box()
    assert box.result.value == ""
    box.text.value = "cholecystectomy"
    assert "<table" in box.result.value and "gallbladder" in box.result.value
    box.text.value = "gastrozzzitis"
    assert "zzz" in box.result.value and "matched no word part" in box.result.value
    box.text.value = "123 <script>"
    assert "letters only" in box.result.value
    assert "<script>" not in box.result.value
    assert "Error" not in box.result.value and "Traceback" not in box.result.value


def test_quiz_widget_checks_and_explains():
    box = quiz_widget(n=3, seed=0)
    first = box.items[0]
    first.check.click()
    assert "Pick an answer first" in first.feedback.value
    first.radio.value = first.question.answer
    first.check.click()
    assert "Correct" in first.feedback.value
    assert "1 of 3" in box.score.value
    second = box.items[1]
    second.radio.value = next(c for c in second.question.choices if c != second.question.answer)
    second.check.click()
    assert "Not quite" in second.feedback.value
    assert "1 of 3" in box.score.value


def test_quiz_widget_with_bad_settings_is_friendly():
    box = quiz_widget(n=10_000)
    html = box.children[0].value
    assert "could not be built" in html and "ValueError" not in html
