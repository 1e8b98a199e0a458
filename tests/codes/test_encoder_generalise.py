"""Encoder round 2: the causes behind the blind p7 set's first-look misses, each
rule tested on several codes, at its edges, and with a case that must not change.

The blind p7 set (``tests/data/encoder_queries_blind_p7.csv``) was measured once
blind (top-1 82.3%, top-5 87.6%) and then used for development: its floor here
is a development figure, not a blind one.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from test_encoder import hit_rates, load_queries

from medbill_lab.codes import encoder

BLIND_P7 = Path(__file__).resolve().parents[1] / "data" / "encoder_queries_blind_p7.csv"


def top(query: str, k: int = 5) -> list[str]:
    return [h.code for h in encoder.search(query, limit=k, system="icd10cm")]


def first(query: str) -> str:
    return top(query, 1)[0]


# -- perinatal codes need a newborn word (I.C.16) -------------------------------
@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("community acquired pneumonia", "J18.9"),
        ("hypoglycemia", "E16.2"),
        ("jaundice", "R17"),
        ("respiratory distress", "R06.03"),
    ],
)
def test_a_newborn_code_needs_a_newborn_word(query, code):
    assert first(query) == code
    assert not first(query).startswith("P")


@pytest.mark.parametrize(
    ("query", "code"),
    [("congenital pneumonia", "P23.9"), ("preterm newborn 32 completed weeks", "P07.35")],
)
def test_a_query_that_says_newborn_still_gets_the_perinatal_code(query, code):
    assert first(query) == code


# -- the pregnancy chapter first (I.C.15.a.1) ------------------------------------
@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("UTI in pregnancy", "O23.40"),
        ("anemia in pregnancy", "O99.019"),
        ("diabetes in pregnancy", "O24.919"),
        ("morning sickness", "O21.0"),
    ],
)
def test_a_condition_in_pregnancy_takes_the_pregnancy_chapter(query, code):
    assert first(query) == code


def test_pregnancy_alone_is_not_a_linked_condition():
    assert first("pregnancy") == "Z33.1"
    assert first("UTI") == "N39.0"  # no pregnancy word: the plain code


# -- description wording --------------------------------------------------------
def test_a_with_clause_after_without_is_asserted():
    # "without perforation or abscess with bleeding": bleeding is present.
    assert first("diverticulitis") == "K57.92"
    assert first("diverticulitus") == "K57.92"
    assert first("diverticulitis with bleeding") == "K57.93"


def test_not_specified_as_names_the_default():
    assert first("c diff colitis") == "A04.72"
    assert first("c diff") == "A04.72"
    assert first("recurrent c diff") == "A04.71"


@pytest.mark.parametrize(
    ("typed", "code"), [("athsma", "J45.909"), ("hernai", "K46.9"), ("migriane", "G43.909")]
)
def test_letters_in_the_wrong_order_are_corrected(typed, code):
    assert first(typed) == code


def test_the_same_letters_are_required_two_edits_away():
    assert encoder._nearest("athsma", encoder._index(2026)) == "asthma"
    assert encoder._nearest("xyzzyq", encoder._index(2026)) is None


# -- poisoning in lay words (I.C.19.e.5) -----------------------------------------
@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("took too much tylenol", "T39.1X1A"),
        ("overdosed on aspirin", "T39.011A"),
        ("child swallowed bleach", "T54.91XA"),
        ("drank antifreeze", "T65.91XA"),
        ("took too many water pills", "T50.2X1A"),
    ],
)
def test_lay_verbs_of_poisoning_reach_the_poisoning_column(query, code):
    assert first(query) == code


def test_swallowing_something_that_is_no_drug_is_not_a_poisoning():
    assert not any(c.startswith(("T3", "T4", "T5", "T6")) for c in top("swallowed a coin"))


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("didn't take his metformin", "T38.3X6A"),
        ("missed doses of lisinopril", "T46.4X6A"),
        ("stopped taking warfarin", "T45.516A"),
    ],
)
def test_underdosing_phrasing_reaches_the_underdosing_column(query, code):
    assert first(query) == code


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("intentional overdose of sertraline", "T43.222A"),
        ("suicide attempt with acetaminophen", "T39.1X2A"),
    ],
)
def test_a_stated_self_harm_takes_the_self_harm_column(query, code):
    assert first(query) == code


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("rattlesnake bite", "T63.011A"),
        ("bee sting", "T63.441A"),
        ("black widow spider bite", "T63.311A"),
    ],
)
def test_a_venomous_bite_or_sting_is_a_toxic_effect(query, code):
    assert first(query) == code


@pytest.mark.parametrize("query", ["dog bite", "bitten by dog", "insect bite"])
def test_a_bite_by_an_animal_the_drug_table_does_not_list_is_not_t63(query):
    assert not first(query).startswith("T63")


# -- external causes ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("fell out of bed", "W06.XXXA"),
        ("fell down the stairs", "W10.9XXA"),
        ("slipped on ice", "W00.0XXA"),
        ("slipped on icy sidewalk fell same level", "W00.0XXA"),
        ("bitten by neighbor's pit bull", "W54.0XXA"),
    ],
)
def test_injury_verbs_fold_to_the_index_nouns(query, code):
    assert first(query) == code


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("pedestrian hit by car", {"V03.10XA", "V03.90XA"}),
        ("bicyclist hit by car", {"V13.4XXA"}),
        ("driver in car collision with another car", {"V43.52XA"}),
    ],
)
def test_the_victim_is_who_the_query_names_first(query, codes):
    assert first(query) in codes
    # the car's occupant (the counterpart) is not the injured person
    assert not any(c.startswith(("V40", "V41")) for c in top(query, 2))


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("car driver hit by bicyclist", "V41.5XXA"),
        ("car occupant collision with pedestrian", "V40.9XXA"),
    ],
)
def test_the_same_words_in_the_other_order_name_the_other_victim(query, code):
    assert first(query) == code


def test_traffic_is_the_default_and_nontraffic_is_coded_when_said():
    assert first("driver in car collision with another car") == "V43.52XA"  # traffic
    assert first("car driver collision with other car nontraffic") == "V43.02XA"


def test_external_cause_intent_not_stated_is_accidental():
    assert first("drowned in swimming pool after falling in") == "W16.011A"
    assert first("undetermined intent drowning in swimming pool after fall") == "Y21.3XXA"
    assert first("assault by knife") == "X99.1XXA"


def test_place_and_activity_codes():
    assert first("injury occurred in kitchen at home") == "Y92.000"
    assert first("injured while at work for pay") == "Y99.0"


# -- other defaults ---------------------------------------------------------------
def test_a_subsequent_mi_is_not_assumed():
    assert first("inferior wall STEMI") == "I21.19"
    assert first("subsequent STEMI inferior wall") == "I22.1"


def test_a_vaccination_is_an_encounter_for_immunization():
    assert first("flu shot") == "Z23"
    assert first("flu vaccine") == "Z23"
    assert first("adverse reaction to flu vaccine") == "T50.B95A"
    assert first("unvaccinated for covid") == "Z28.310"  # a status when it is said


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("glioblastoma", "C71.9"),
        ("malignant pleural mesothelioma", "C45.0"),
        ("esophageal cancer", "C15.9"),
        ("ovarian cancer left", "C56.2"),
        ("adenomatous polyp of sigmoid colon", "D12.5"),
        ("acute myeloid leukemia", "C92.00"),
        ("primary liver cancer", "C22.8"),
        ("liver cancer", "C22.9"),
    ],
)
def test_neoplasm_morphology_and_site_adjectives(query, code):
    assert first(query) == code


@pytest.mark.parametrize(
    ("query", "code"), [("pleural effusion", "J90"), ("esophageal varices", "I85.00")]
)
def test_site_adjectives_fold_without_changing_other_answers(query, code):
    assert first(query) == code


def test_a_default_is_named_only_where_the_code_says_it():
    accidental = "I.C.19.e.5.b"  # intent not stated is accidental: poisoning codes only
    poison = encoder.search("took too much tylenol", limit=1, system="icd10cm")[0]
    assert poison.code == "T39.1X1A" and accidental in poison.via
    under = encoder.search("didn't take his metformin", limit=1, system="icd10cm")[0]
    assert under.code == "T38.3X6A" and accidental not in under.via
    car = encoder.search("driver in car collision with another car", limit=1)[0]
    assert "public highway (traffic)" in car.via
    bus = encoder.search("person injured while boarding streetcar", limit=1)[0]
    assert bus.code.startswith("V82") and "public highway" not in bus.via


def test_lay_words_for_common_conditions():
    assert first("lockjaw") == "A35"
    assert first("belly button hernia") == "K42.9"
    assert first("2nd degree burn right hand") == "T23.201A"


# -- the development set ------------------------------------------------------------
def test_blind_p7_development_set_floor():
    # Blind once (82.3% / 87.6%), then used for development: not a blind figure.
    rows = load_queries(BLIND_P7)
    assert len(rows) == 226
    rate1, rate5, misses = hit_rates(rows)
    # Reached at the end of round 2: top-1 98.7%, top-5 100%.
    assert rate5 >= 0.99, f"top-5 {rate5:.3f}; misses:\n" + "\n".join(misses)
    assert rate1 >= 0.98, f"top-1 {rate1:.3f}"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("malignant melanoma of back", "C43.59"),
        ("melanoma of back", "C43.59"),
        ("melanoma of left arm", "C43.62"),
        ("melanoma in situ of back", "D03.59"),
        ("lipoma of back", "D17.1"),
        ("lipoma of neck", "D17.0"),
    ],
)
def test_a_morphology_with_its_own_category_takes_the_site_from_the_skin_rows(query, code):
    assert first(query) == code


def test_morphology_without_a_site_and_skin_cancer_stay_as_they_were():
    assert first("melanoma") == "C43.9"
    assert first("lipoma") == "D17.9"
    assert first("skin cancer of back") == "C44.509"  # not a melanoma: C44 stays


def test_the_morphology_translation_explains_itself():
    hit = encoder.search("melanoma of back", limit=1, system="icd10cm")[0]
    assert "-> C44.509" in hit.via and "chapter 2 note" in hit.via


@pytest.mark.parametrize("query", ["down syndrome", "heart murmur", "kidney cyst"])
def test_an_index_row_holding_one_of_two_words_does_not_answer(query):
    # Only a Drug or Neoplasm row (asked for by a column word) may miss one of two words.
    assert not any(c.startswith(("V", "W", "X", "Y")) for c in top(query))


def test_a_cache_pickled_under_another_module_name_is_rebuilt(tmp_path, monkeypatch):
    # ``python -m doctest medbill_lab/codes/encoder.py`` pickles classes as ``encoder._Docs``;
    # a later process must rebuild the index, not fail with ModuleNotFoundError.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = encoder._Index._cache_path(SimpleNamespace(year=2026))
    path.parent.mkdir(parents=True)
    path.write_bytes(b"cno_such_module_for_medbill\nThing\n.")
    index = encoder._Index(2026)
    assert index.n > 60_000 and "pneumonia" in index.surface
    assert path.read_bytes() != b"cno_such_module_for_medbill\nThing\n."  # rewritten
