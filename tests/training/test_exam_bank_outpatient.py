"""The outpatient and billing items of the exam bank (cpt, hcpcs_modifiers) agree with
the lab's own rule engines, so a learner is never marked wrong for what the lab teaches.

The generic format, validity and count checks are in test_exam_bank.py; these tests
recompute a sample of answers with the lab: E/M levels with ``em_level``, global periods
with ``procedures.global_period``, drug units from the HCPCS dosage descriptors, and
anatomic modifiers from the modifier table.  Each names the item it checks.
"""

from __future__ import annotations

import re

import pytest

from medbill_lab.codes import procedures
from medbill_lab.training import em_level, exam_bank
from medbill_lab.training.em_level import MDM, Data
from medbill_lab.training.exam import code_is_right


@pytest.fixture(scope="module")
def bank() -> exam_bank.Bank:
    """The shipped bank, loaded once."""
    return exam_bank.load()


def _right_choice(item: exam_bank.Item) -> str:
    return item.choices[item.answer]


# -- E/M levels: the items' answers are what the lab's E/M engine computes ------------
EM_CASES = [
    # item, new patient, MDM (or None), minutes (or None)
    (
        "CPT-001",
        True,
        MDM(
            problems=["acute uncomplicated illness or injury"],
            data=Data(),
            risk="over-the-counter drugs",
        ),
        None,
    ),
    (
        "CPT-002",
        False,
        MDM(
            problems=["stable chronic illness", "stable chronic illness"],
            data=Data(),
            risk="prescription drug management",
        ),
        None,
    ),
    ("CPT-003", False, None, 42),
]


@pytest.mark.parametrize(("item_id", "new", "mdm", "minutes"), EM_CASES)
def test_em_code_items_match_the_lab_leveler(bank, item_id, new, mdm, minutes):
    item = bank.item(item_id)
    code = em_level.level(new_patient=new, mdm=mdm, minutes=minutes).code
    assert item.answer == (code,)
    assert code_is_right(item, code)


def test_em_time_choice_matches_the_lab_and_a_neighbouring_level_is_wrong(bank):
    item = bank.item("CPT-004")  # new patient, 50 minutes
    assert _right_choice(item) == em_level.level(new_patient=True, minutes=50).code == "99204"
    # the tempting 99205 needs 60 minutes: the lab gives it only from there
    assert em_level.level(new_patient=True, minutes=59).code == "99204"
    assert em_level.level(new_patient=True, minutes=60).code == "99205"


def test_prolonged_service_threshold_is_the_labs(bank):
    item = bank.item("CPT-009")
    minutes = int(re.match(r"(\d+) minutes", _right_choice(item)).group(1))
    assert em_level.level(new_patient=True, minutes=minutes).claim_lines() == [
        ("99205", 1),
        ("99417", 1),
    ]
    assert em_level.level(new_patient=True, minutes=minutes - 1).claim_lines() == [("99205", 1)]


# -- global surgery: the package periods the items state are the lab's table ---------
def test_global_period_items_match_the_lab_table(bank):
    major = bank.item("CPT-025")  # total knee replacement, 090
    assert "27447" in major.stem and procedures.global_period("27447").major
    assert "90 days after" in _right_choice(major)
    minor = bank.item("CPT-026")  # benign lesion excision, 010: a day-8 check is included
    assert procedures.global_period("11402").days == "010"
    assert "included" in _right_choice(minor)
    assert not procedures.global_period("11402").major


# -- drug units: dose given / the lab's HCPCS dosage descriptor ------------------------
UNIT_CASES = [  # item, HCPCS code, milligrams given
    ("HCM-007", "J2405", 4),
    ("HCM-008", "J3301", 40),
    ("HCM-011", "J1100", 10),
]


@pytest.mark.parametrize(("item_id", "code", "dose_mg"), UNIT_CASES)
def test_drug_unit_items_follow_the_hcpcs_descriptor(bank, item_id, code, dose_mg):
    item = bank.item(item_id)
    per = re.search(r"(?:per )?(\d+(?:\.\d+)?) mg$", procedures.hcpcs()[code].description)
    assert per, procedures.hcpcs()[code].description
    units = dose_mg / float(per.group(1))
    assert units == int(units)
    assert _right_choice(item) == str(int(units))


def test_up_to_descriptor_is_one_unit(bank):
    item = bank.item("HCM-010")  # promethazine 25 mg, "up to 50 mg"
    assert "up to 50 mg" in procedures.hcpcs()["J2550"].description
    assert _right_choice(item) == "1"


# -- anatomic modifiers: the answer's meaning in the lab's table is the stem's site ----
SITE_CASES = [  # item, words the lab's description of the answer must carry
    ("HCM-050", ("right", "great toe")),
    ("HCM-051", ("left", "thumb")),
    ("HCM-052", ("lower right", "eyelid")),
]


@pytest.mark.parametrize(("item_id", "words"), SITE_CASES)
def test_anatomic_modifier_items_name_the_site_in_the_stem(bank, item_id, words):
    item = bank.item(item_id)
    (modifier,) = item.answer
    description = procedures.modifiers()[modifier].description.lower()
    stem = item.stem.lower()
    for word in words:
        assert word in description
        assert word.split()[-1] in stem
    assert not code_is_right(item, "T9" if modifier != "T9" else "T5")
