"""Where the documentation does not say, the encoder ranks the classification's default first.

Each default is tested on several queries and with a query that documents the
other choice, which must then win.
"""

from __future__ import annotations

import pytest

from medbill_lab.codes import encoder


def first(query: str) -> str:
    return encoder.search(query, system="icd10cm", limit=1)[0].code


def hit(query: str) -> encoder.Hit:
    return encoder.search(query, system="icd10cm", limit=1)[0]


# I.C.4.a.2: "If the type of diabetes mellitus is not documented in the medical
# record the default is E11.-"
@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("diabetic neuropathy", "E11.40"),
        ("diabetic nephropathy", "E11.21"),
        ("diabetic retinopathy", "E11.319"),
        ("diabetes with hyperglycemia", "E11.65"),
        ("diabetes with ckd", "E11.22"),
        ("diabetic foot ulcer", "E11.621"),
        ("diabetic ketoacidosis", "E11.10"),
        ("diabetes with hypoglycemia", "E11.649"),
        ("diabetes", "E11.9"),
    ],
)
def test_diabetes_of_unstated_type_is_type_2(query, code):
    assert first(query) == code
    assert "I.C.4.a.2" in hit(query).via


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("type 1 diabetic neuropathy", "E10.40"),
        ("type 1 diabetes with hyperglycemia", "E10.65"),
        ("drug induced diabetes with neuropathy", "E09.40"),
        ("diabetes due to underlying condition with nephropathy", "E08.21"),
        ("other specified diabetes with hyperglycemia", "E13.65"),
    ],
)
def test_a_documented_type_of_diabetes_wins(query, code):
    assert first(query) == code
    assert "I.C.4.a.2" not in hit(query).via


# I.C.9.a: hypertension with heart disease or CKD is presumed linked.
@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("hypertension with ckd", "I12.9"),
        ("hypertension with chronic kidney disease", "I12.9"),
        ("htn with ckd stage 5", "I12.0"),
        ("hypertension and heart failure", "I11.0"),
        ("hypertension with chf", "I11.0"),
        ("hypertension with ckd and heart failure", "I13.0"),
        ("hypertensive heart disease", "I11.9"),
    ],
)
def test_hypertension_with_heart_or_kidney_disease_is_presumed_linked(query, code):
    assert first(query) == code
    assert "I.C.9.a" in hit(query).via


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("hypertension", "I10"),
        ("htn", "I10"),
        ("chf", "I50.9"),
        ("ckd", "N18.9"),
        ("pneumonia", "J18.9"),
        ("asthma", "J45.909"),
        ("copd", "J44.9"),
        ("anemia", "D64.9"),
        ("mi", "I21.9"),
        ("myocardial infarction", "I21.9"),
    ],
)
def test_unspecified_conditions_take_the_unspecified_code(query, code):
    assert first(query) == code


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("ckd stage 3 with hypertension", "I12.9"),  # before N18.30, which is added
        ("chf with htn", "I11.0"),  # before I50.9, which is added
        ("diastolic heart failure with hypertension", "I11.0"),
        ("esrd with hypertension", "I12.0"),
        ("hypertension with heart failure and ckd stage 4", "I13.0"),
    ],
)
def test_the_combination_code_comes_before_the_conditions_alone(query, code):
    assert first(query) == code


@pytest.mark.parametrize(
    ("query", "code"),
    [("ckd stage 3", "N18.30"), ("diastolic heart failure", "I50.30"), ("htn", "I10")],
)
def test_without_both_conditions_there_is_no_combination(query, code):
    assert first(query) == code


def test_a_documented_detail_beats_the_unspecified_default():
    assert first("type 2 myocardial infarction") == "I21.A1"
    assert first("old myocardial infarction") == "I25.2"
    assert first("secondary hypertension") == "I15.9"
    assert first("acute on chronic systolic heart failure") == "I50.23"


# I.C.19.c: not stated open or closed -> closed; not stated displaced -> displaced.
@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("transverse fracture of shaft of left tibia", "S82.222A"),
        ("oblique fracture of shaft of right femur", "S72.331A"),
        ("fracture of shaft of left tibia", "S82.202A"),
        ("fracture of femur", "S72.90XA"),
    ],
)
def test_a_fracture_is_closed_and_displaced_unless_documented(query, code):
    assert first(query) == code


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("nondisplaced transverse fracture of shaft of left tibia", "S82.225A"),
        ("open transverse fracture of shaft of left tibia", "S82.222B"),
        ("stress fracture of left tibia", "M84.362A"),
        ("pathological fracture of left tibia", "M84.462A"),
    ],
)
def test_a_documented_fracture_detail_wins(query, code):
    assert first(query) == code


def test_laterality_not_stated_is_the_unspecified_side():
    assert first("otitis media") == "H66.90"
    assert first("fracture of shaft of tibia") == "S82.209A"
    assert first("otitis media left ear") == "H66.92"


# I.C.5.b.1: use, abuse and dependence: only the highest is coded.
@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("alcohol abuse", "F10.10"),
        ("alcohol dependence", "F10.20"),
        ("alcohol use", "F10.90"),
        ("alcohol abuse and dependence", "F10.20"),
        ("alcohol use and abuse", "F10.10"),
        ("cocaine use and abuse", "F14.10"),
        ("opioid abuse and dependence", "F11.20"),
    ],
)
def test_substance_use_abuse_dependence_hierarchy(query, code):
    assert first(query) == code


def test_the_hierarchy_is_explained_and_needs_two_levels():
    assert "I.C.5.b.1" in hit("alcohol abuse and dependence").via
    assert "I.C.5.b.1" not in hit("alcohol abuse").via
    assert first("alcohol abuse with intoxication") == "F10.129"


# Pregnancy: the trimester and control are not assumed.
@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("preeclampsia", "O14.90"),
        ("gestational diabetes", "O24.419"),
        ("preeclampsia third trimester", "O14.93"),
        ("gestational diabetes diet controlled", "O24.410"),
    ],
)
def test_pregnancy_trimester_and_control_are_unspecified_unless_stated(query, code):
    assert first(query) == code


@pytest.mark.parametrize(
    ("query", "unwanted"),
    [
        ("gestational diabetes", "Z86.32"),  # personal history of
        ("diabetic foot ulcer", "Z86.31"),
        ("fracture of left radius", "M84.334A"),  # stress fracture
        ("lung cancer", "C78.00"),  # secondary
    ],
)
def test_marked_words_are_never_assumed(query, unwanted):
    assert first(query) != unwanted


def test_marked_words_still_win_when_typed():
    assert first("personal history of gestational diabetes") == "Z86.32"
    assert first("history of diabetic foot ulcer") == "Z86.31"


def test_every_default_names_its_source():
    rules = encoder.defaults()
    assert {r.kind for r in rules} == {"implied", "marked", "hierarchy", "linked", "context"}
    assert all(r.source.startswith("ICD-10-CM") and r.note and r.scope for r in rules)


def test_adjectives_fold_to_their_nouns():
    assert encoder.stem("diabetic") == encoder.stem("diabetes")
    assert encoder.stem("hypertensive") == encoder.stem("hypertension")
    assert encoder.stem("pancreatic") == encoder.stem("pancreas")
    assert first("pancreatic cancer") == "C25.9"
    assert encoder.stem("asthmatic") != encoder.stem("asthma")  # only the listed pairs


def test_a_header_matched_by_its_inclusion_term_is_not_counted_twice():
    # Z33.1 lists "Pregnancy NOS"; a header whose inclusion term says "pregnancy"
    # must not score that word again when it resolves to a code.
    assert first("pregnancy") == "Z33.1"
    assert first("pregnant") == "Z33.1"


def test_an_external_cause_never_outranks_an_equal_diagnosis():
    # I.C.20: external cause codes are never first-listed.
    assert not first("fracture").startswith(("V", "W", "X", "Y"))
    assert first("fall from ladder") == "W11.XXXA"  # no diagnosis says that
    assert first("bitten by dog") == "W54.0XXA"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("laceration of hand", "S61.419A"),  # without foreign body, side unspecified
        ("laceration of left hand", "S61.412A"),
        ("laceration with foreign body of left hand", "S61.422A"),
    ],
)
def test_without_foreign_body_is_the_default_and_the_site_still_counts(query, code):
    assert first(query) == code


def test_the_site_after_a_negated_detail_is_matchable():
    t = encoder.Text.of("Laceration without foreign body of left hand")
    assert {"left", "hand"} <= t.matchable and t.negated == {"foreign", "body"}
    loss = encoder.Text.of("Concussion without loss of consciousness")
    assert "consciousness" in loss.negated  # "loss of consciousness" is one negated detail


def test_history_of_is_personal_unless_family_is_said():
    assert first("history of breast cancer") == "Z85.3"
    assert first("family history of breast cancer") == "Z80.3"
    assert first("history of colon polyps").startswith("Z86.010")
