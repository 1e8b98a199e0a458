"""The lessons' self-checks say why an answer is right or wrong and name the rule, for every
item: its answer, each listed slip, an answer outside the choices and a blank."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from medbill_lab.claims import model as claims
from medbill_lab.claims import scrubber
from medbill_lab.compliance import deid, fraud
from medbill_lab.datasets import datasets_dir
from medbill_lab.training import lesson_checks
from medbill_lab.training.lesson_checks import CHECKS, check
from medbill_lab.x12 import core as x12_core
from medbill_lab.x12 import x837p

ITEMS = list(CHECKS.values())


@pytest.mark.parametrize("item", ITEMS, ids=lambda c: c.id)
def test_the_answer_is_right_with_its_reason_and_rule(item):
    feedback = check(item.id, f"  {item.answer.upper()}. ")
    assert feedback.correct
    text = feedback.to_text()
    assert text.startswith(f"Right: {item.answer}.") and item.why in text
    assert f"(Rule: {item.source}.)" in text


@pytest.mark.parametrize("item", ITEMS, ids=lambda c: c.id)
def test_each_known_slip_is_wrong_and_says_why(item):
    assert item.mistakes, "every item explains at least one usual wrong answer"
    for slip, reason in item.mistakes.items():
        feedback = check(item.id, slip)
        assert not feedback.correct, slip
        assert feedback.lines[0] == f"Not yet: you answered {slip}; the answer is {item.answer}."
        assert feedback.lines[1] == reason
        assert f"Why {item.answer}: {item.why}" in feedback.lines
        assert feedback.lines[-1] == f"(Rule: {item.source}.)"


@pytest.mark.parametrize("item", ITEMS, ids=lambda c: c.id)
def test_the_choices_hold_the_answer_and_the_slips(item):
    if item.choices:
        assert item.answer in item.choices
        assert set(item.mistakes) <= set(item.choices)


@pytest.mark.parametrize("answer", ["", "   ", None, ["no"], True])
def test_a_blank_or_odd_answer_asks_for_one(answer):
    feedback = check("l08_co_write_off", answer)
    assert not feedback.correct
    assert feedback.lines[0] == "No answer yet: type one between the quotes."


def test_an_answer_outside_the_choices_lists_them_without_the_answer():
    feedback = check("l08_copay", "the patient")
    assert not feedback.correct
    assert feedback.to_text() == "Answer one of: deductible, coinsurance, copay."


def test_amounts_compare_as_numbers_and_words_ignore_case_and_hyphens():
    for given in ("80", "80.00", "$80.00", 80):
        assert check("l08_line_paid", given).correct, given
    assert not check("l08_line_paid", "80.01").correct
    assert check("l08_copay", "Copayment").correct
    assert check("l10_bucket", "61-90").correct and not check("l10_bucket", "6190").correct
    feedback = check("l09_timely_filing_proof", "Write-off")  # a slip, spelled another way
    assert not feedback.correct and "gives up money" in feedback.lines[1]


def test_a_wrong_answer_not_listed_still_gets_the_reason_and_rule():
    feedback = check("l10_days_in_ar", "45")
    assert not feedback.correct
    assert feedback.lines[1] == "That answer does not fit this situation."
    assert feedback.lines[-1].startswith("(Rule: ")


@pytest.mark.parametrize("odd", ["snan", "sNaN", "nan", "Infinity", "-inf"])
def test_a_word_decimal_reads_as_a_number_is_a_wrong_answer_not_a_crash(odd):
    # Decimal parses these; "snan" used to raise InvalidOperation when compared
    for check_id in ("l08_line_paid", "l10_days_in_ar", "l08_co_write_off"):
        feedback = check(check_id, odd)
        assert not feedback.correct, (check_id, odd)
        assert feedback.lines[-1].startswith("(Rule: ") or feedback.lines[0].startswith("Answer")


def test_each_deepened_lesson_has_checks_and_the_report_counts_them():
    for lesson in (8, 9, 10):
        assert len(lesson_checks.checks(lesson)) >= 5
    text, right = lesson_checks.report({"l10_bucket": "61-90", "l10_plan_payments": "2"})
    assert right == 1 and text.endswith("1 of 2 right")
    assert "[l10_plan_payments]\nNot yet: you answered 2; the answer is 3." in text


def test_an_unknown_check_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown self-check 'l99'"):
        check("l99", "yes")


def test_lessons_06_07_11_12_have_checks_that_cite_their_rules():
    cites = {
        6: ("NUCC", "Guidelines", "NCCI"),
        7: ("837P", "999"),
        11: ("31 U.S.C. 3729", "1320a-7b(b)", "1395nn", "1320a-7"),
        12: ("164.514(b)(2)", "164.502(b)", "164.400-414"),
    }
    for lesson, rules in cites.items():
        items = lesson_checks.checks(lesson)
        assert len(items) >= 6, lesson
        sources = " ".join(c.source for c in items)
        assert all(rule in sources for rule in rules), (lesson, rules)


def _scrubbed(name: str, **changes) -> dict[str, str]:
    """The scrubber's edits (id -> severity) on a sample claim with ``changes`` made."""
    claim = claims.load(datasets_dir() / "claims" / name)
    return {e.id: e.severity for e in scrubber.scrub(dataclasses.replace(claim, **changes))}


def test_the_lesson_06_answers_are_what_the_lab_s_scrubber_does():
    # l06_excludes1: the pair is a warning
    assert _scrubbed("edit-icd-excludes1.json")["ICD-EXCLUDES1"] == CHECKS["l06_excludes1"].answer
    # l06_external_cause_first: the knife first is an edit, the injury first is not
    assert "DX-FIRST" in _scrubbed("edit-dx-first.json", diagnoses=["W26.0XXA", "S61.411A"])
    assert "DX-FIRST" not in _scrubbed("edit-dx-first.json", diagnoses=["S61.411A", "W26.0XXA"])
    # l06_no_grace: E78.01 passes on September 30, 2025 (FY2025), not on October 6, 2025
    claim = claims.load(datasets_dir() / "claims" / "edit-icd-invalid-fy2026.json")
    assert "E78.01" in claim.diagnoses
    for day, invalid in ((dt.date(2025, 9, 30), False), (dt.date(2025, 10, 6), True)):
        lines = [dataclasses.replace(x, date_from=day) for x in claim.lines]
        edits = _scrubbed("edit-icd-invalid-fy2026.json", lines=lines)
        assert ("ICD-INVALID" in edits) is invalid, day
    # l06_total_charge: an item 28 other than the lines' sum is an edit
    clean = claims.load(datasets_dir() / "claims" / "clean-02-strep-child.json")
    assert "TOTAL-MISMATCH" not in _scrubbed("clean-02-strep-child.json")
    wrong = clean.line_total() - clean.lines[-1].charge
    assert "TOTAL-MISMATCH" in _scrubbed("clean-02-strep-child.json", total_charge=wrong)


def test_the_lesson_07_answers_are_what_the_lab_s_837p_writes():
    strep = claims.load(datasets_dir() / "claims" / "clean-02-strep-child.json")
    line = dataclasses.replace(strep.lines[0], pointers=["A", "C"])
    claim = dataclasses.replace(
        strep, diagnoses=["J02.0", "R50.9", "R07.0"], lines=[line, *strep.lines[1:]]
    )
    text = x837p.to_837p([claim], control_number=1, when=dt.datetime(2025, 11, 6, 8, 0))
    segments = x12_core.segments(text)
    sv1 = next(s for s in segments if s.startswith("SV1*"))
    assert sv1.split("*")[7] == CHECKS["l07_pointer_number"].answer  # SV107 for A and C
    hi = next(s for s in segments if s.startswith("HI*")).split("*")
    assert hi[1].startswith(CHECKS["l07_principal_qualifier"].answer + ":")
    assert all(x.startswith("ABF:") for x in hi[2:])
    # l07_no_patient_loop: the strep patient is a child (HL 23); a self-insured one has none
    assert any(s.startswith("HL*3*2*23") for s in segments)
    self_insured = claims.load(datasets_dir() / "claims" / "clean-04-knee-injection.json")
    assert self_insured.relationship == "self"
    mine = x12_core.segments(x837p.to_837p([self_insured], control_number=2))
    assert not any(s.split("*")[3:4] == ["23"] for s in mine if s.startswith("HL*"))
    assert any(s.startswith("SBR*P*18") for s in mine)


def test_the_lesson_07_ik4_check_reads_the_999_pyx12_writes():
    strep = claims.load(datasets_dir() / "claims" / "clean-02-strep-child.json")
    text = x837p.to_837p([strep], control_number=1, when=dt.datetime(2025, 11, 6, 8, 0))
    charge = next(r for r in x837p.outline(text) if r.segment.startswith("SV1") and r.line == 1)
    typo = x12_core.set_element(text, charge.position, "SV102", "13O")
    ack = x12_core.segments(x837p.validate_837p(typo).ack_999)
    assert next(s for s in ack if s.startswith("IK3*")).split("*")[1] == "SV1"
    ik4 = next(s for s in ack if s.startswith("IK4*")).split("*")
    assert ik4[1:] == ["2", "782", "6", "13O"]  # the values the check's prompt quotes
    assert f"SV1{int(ik4[1]):02d}" == CHECKS["l07_ik4_element"].answer
    assert "IK4*2*782*6*13O" in CHECKS["l07_ik4_element"].prompt
    assert any(s.startswith("IK5*R") for s in ack)  # the whole set is rejected


def test_the_lesson_12_answers_are_what_the_lab_s_de_identifier_does():
    assert deid.generalise_zip("62901-1234") == CHECKS["l12_zip3"].answer
    assert deid.generalise_zip("82301") == "000"  # a restricted area, the other side of the rule
    assert deid.generalise_age(91) == CHECKS["l12_age_over_89"].answer
    assert deid.generalise_age(89) == 89


def test_the_lesson_11_repeat_check_is_what_the_duplicate_detector_does():
    def flagged(second_modifier: str) -> list[int]:
        line = dict(provider_id="P1", member_id="M1", dos="2025-03-04", code="82947", mod2="")
        line |= dict(units=1, claim_id=1, charge=20.0, pos="11", payer_id="X", dx1="E11.65")
        rows = [line | {"line_id": 1, "mod1": ""}, line | {"line_id": 2, "mod1": second_modifier}]
        empty = pd.DataFrame()
        data = {"claims": pd.DataFrame(rows), "members": empty, "providers": empty}
        return fraud.detect_duplicates(data | {"payers": empty})["line_id"].tolist()

    assert CHECKS["l11_repeat_91"].answer == "no" and "91" in CHECKS["l11_repeat_91"].prompt
    assert flagged("91") == []  # the glucose repeated with 91 is a second service
    assert flagged("") == [2]  # the same line again with nothing to say so is a duplicate
