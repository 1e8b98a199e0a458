"""Diagnosis-side scrubber rules, each from its source and tested on several codes:
poisoning before manifestation (I.C.19.e.5), Excludes1 and its unrelated-conditions
exception (I.A.12.a), perinatal codes at any age (I.C.16.a), and future dates of
service (item 24A)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from medbill_lab.claims import model as claims
from medbill_lab.claims.model import Claim, Payer, Person, ServiceLine
from medbill_lab.claims.scrubber import Edit, scrub
from medbill_lab.codes import icd10cm, ncci, procedures

SAMPLES = Path(__file__).resolve().parents[2] / "datasets" / "claims"
DAY = dt.date(2026, 3, 10)
TODAY = dt.date(2026, 12, 7)
ADULT = Person("Doe", "Jane", dob=dt.date(1975, 6, 1), sex="F")


def claim(*dx: str, lines: list[ServiceLine] | None = None, **kw) -> Claim:
    """A claim for a 50-year-old woman; one 99213 line pointing at every diagnosis (up to 4)."""
    pointers = list("ABCD"[: min(len(dx), 4)])
    return Claim(
        program="group",
        insured_id="TEST123",
        patient=kw.pop("patient", ADULT),
        payer=kw.pop("payer", Payer("Test Plan", "TP001")),
        diagnoses=list(dx),
        lines=lines or [ServiceLine(DAY, "99213", Decimal("100.00"), pointers=pointers)],
        submitted_on=kw.pop("submitted_on", DAY + dt.timedelta(days=2)),
        **kw,
    )


def by_id(edits: list[Edit], edit_id: str) -> list[Edit]:
    return [e for e in edits if e.id == edit_id]


# -- I.C.19.e.5: poisoning, adverse effect, underdosing -------------------------------------
@pytest.mark.parametrize(
    ("poisoning", "manifestation"),
    [
        ("T39.1X1A", "K72.00"),  # acetaminophen, accidental -> acute hepatic failure
        ("T42.4X2A", "R40.20"),  # benzodiazepines, intentional self-harm -> coma
        ("T40.2X1A", "R40.4"),  # other opioids, accidental
        ("T40.2X4A", "R11.10"),  # other opioids, undetermined
        ("T51.0X1A", "R11.10"),  # toxic effect of ethanol
        ("T58.01XA", "R40.20"),  # carbon monoxide from motor vehicle exhaust
        ("T56.0X1A", "R11.10"),  # lead
    ],
)
def test_a_poisoning_or_toxic_effect_is_listed_before_its_manifestation(poisoning, manifestation):
    assert scrub(claim(poisoning, manifestation)) == []


@pytest.mark.parametrize(
    ("adverse", "nature"),
    [
        ("T36.0X5A", "L27.0"),  # penicillins -> drug eruption
        ("T42.4X5A", "R40.4"),  # benzodiazepines
        ("T50.995A", "R00.0"),  # other drugs -> tachycardia
        ("T36.0X5A", "T88.7XXA"),  # the note's own example: adverse effect NOS
    ],
)
def test_an_adverse_effect_follows_the_nature_of_the_effect(adverse, nature):
    [edit] = scrub(claim(adverse, nature))
    assert edit.id == "DX-FIRST" and edit.item == "21A" and edit.blocking
    assert "adverse-effect" in edit.message and "T36-T50" in edit.message
    assert edit.source.endswith("I.C.19.e.5.a") and "adverse effect" in edit.rationale
    assert scrub(claim(nature, adverse)) == []  # the nature first is right


@pytest.mark.parametrize("underdosing", ["T36.0X6A", "T45.516A"])
def test_an_underdosing_code_is_never_first(underdosing):
    [edit] = scrub(claim(underdosing, "R00.0"))
    assert edit.id == "DX-FIRST" and "underdosing" in edit.message
    assert edit.source.endswith("I.C.19.e.5.c")
    assert scrub(claim("R00.0", underdosing)) == []


@pytest.mark.parametrize(
    ("manifestation", "etiology"),
    [
        ("G63", "E85.9"),  # polyneuropathy in diseases classified elsewhere; amyloidosis
        ("H36.89", "E75.21"),  # retinal disorder in ...; Fabry disease (E75.-)
        ("F02.80", "G30.9"),  # dementia under F02's code-first note; Alzheimer's
    ],
)
def test_a_manifestation_still_never_comes_first(manifestation, etiology):
    [edit] = scrub(claim(manifestation, etiology))
    assert edit.id == "DX-FIRST" and edit.source.endswith("I.A.13")
    assert "classified elsewhere" in edit.message or "code first" in edit.message
    assert scrub(claim(etiology, manifestation)) == []


def test_the_poisoning_rule_is_read_from_the_code_first_note_at_t36_t50():
    """The scope words come from the FY2026 tabular data, not from a list of codes."""
    fy = icd10cm.load(2026)
    notes = [text for src, kind, text in fy.notes("T39.1X1A") if kind == "code_first"]
    assert notes and "for adverse effects" in notes[0]
    assert not [n for src, kind, n in fy.notes("T51.0X1A") if kind == "code_first"]


# -- I.A.12.a: Excludes1 and unrelated conditions -------------------------------------------
EXCLUDES1_PAIRS = [
    ("E11.9", "E10.9"),
    ("J45.909", "R06.2"),
    ("G47.63", "F45.8"),
    ("J02.0", "J06.9"),
    ("M54.50", "M54.41"),
]


@pytest.mark.parametrize(("a", "b"), EXCLUDES1_PAIRS)
def test_an_excludes1_pair_is_a_warning_that_explains_the_exception(a, b):
    [edit] = scrub(claim(a, b))
    assert edit.id == "ICD-EXCLUDES1" and edit.severity == "warn" and not edit.blocking
    assert "unrelated" in edit.message and "unrelated" in edit.rationale
    assert "I.A.12.a" in edit.source and edit.item == "21A, 21B"


@pytest.mark.parametrize(("a", "b"), EXCLUDES1_PAIRS)
def test_attesting_the_pair_unrelated_silences_it_in_any_order_and_form(a, b):
    pair = [b.replace(".", "").lower(), a]  # reversed, undotted, lower case
    assert scrub(claim(a, b, unrelated_dx_attested=[pair])) == []


def test_an_attestation_covers_only_its_own_pair():
    c = claim("E11.9", "E10.9", "J45.909", "R06.2", unrelated_dx_attested=[["E11.9", "E10.9"]])
    [edit] = scrub(c)
    assert edit.id == "ICD-EXCLUDES1" and edit.item == "21C, 21D"


@pytest.mark.parametrize(("a", "b"), EXCLUDES1_PAIRS[:3])
def test_a_strict_payer_denies_the_pair_even_when_attested(a, b):
    strict = Payer("Strict Plan", "SP1", excludes1_strict=True)
    for attested in ([], [[a, b]]):
        [edit] = scrub(claim(a, b, payer=strict, unrelated_dx_attested=attested))
        assert edit.id == "ICD-EXCLUDES1" and edit.severity == "deny"
        assert "Strict Plan does not accept" in edit.message and "appeal" in edit.rationale


def test_codes_without_an_excludes1_note_between_them_are_not_flagged():
    assert scrub(claim("E11.9", "I10")) == []
    assert scrub(claim("R42", "F31.9")) == []


def test_attestations_load_from_a_claim_file_and_must_name_item_21_codes():
    path = SAMPLES / "clean-11-excludes1-unrelated-attested.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    loaded = claims.load(path)
    assert loaded.unrelated_dx_attested == [["G47.63", "F45.8"]]
    assert not loaded.payer.excludes1_strict and scrub(loaded) == []
    strict = claims.load(SAMPLES / "edit-icd-excludes1-strict-payer.json")
    assert strict.payer.excludes1_strict and scrub(strict)[0].severity == "deny"
    assert claims.from_dict(claims.to_dict(loaded)) == loaded
    for pair, words in [
        (["G47.63", "E11.9"], "names E11.9, which is not in item 21"),
        (["G47.63", "g4763"], "names G47.63 twice"),
    ]:
        data["unrelated_dx_attested"] = [pair]
        with pytest.raises(claims.ClaimError, match=words):
            claims.from_dict(data)
    data["unrelated_dx_attested"] = [["G47.63"]]
    with pytest.raises(claims.ClaimError, match="Item 21"):
        claims.from_dict(data)
    schema = claims.claim_schema()["properties"]
    assert schema["unrelated_dx_attested"]["items"]["maxItems"] == 2
    assert schema["payer"]["properties"]["excludes1_strict"]["type"] == "boolean"


# -- I.C.16.a: perinatal codes for life; the age table's other rows -------------------------
@pytest.mark.parametrize("code", ["P27.1", "P59.9", "P07.30", "P91.60"])
def test_a_perinatal_code_is_valid_at_any_age(code):
    old = Person("Roe", "Al", dob=dt.date(1950, 1, 1), sex="M")
    assert scrub(claim(code)) == []
    assert scrub(claim(code, patient=old)) == []
    assert not [r for r in ncci.age_sex_rules() if r.covers(code.replace(".", ""))]


@pytest.mark.parametrize("code", ["Z38.00", "Z00.110"])
def test_birth_record_and_newborn_exam_codes_still_need_a_newborn(code):
    [edit] = scrub(claim(code))
    assert edit.id == "DX-AGE" and "age 0" in edit.message
    baby = Person("Roe", "Bo", dob=DAY - dt.timedelta(days=3), sex="M")
    assert scrub(claim(code, patient=baby)) == []


def test_every_age_and_sex_row_cites_its_source():
    rules = ncci.age_sex_rules()
    assert rules and all(r.source for r in rules)
    [edit] = scrub(claim("Z00.129"))
    assert "MCE" in edit.source and "Coding Clinic" in edit.source


@pytest.mark.parametrize("code", ["90656", "90686"])
@pytest.mark.parametrize("born", [dt.date(1940, 1, 1), dt.date(1990, 1, 1), dt.date(2020, 1, 1)])
def test_the_flu_vaccines_carry_no_age_limit(code, born):
    assert "age" not in procedures.cpt()[code].description.lower()
    patient = Person("Roe", "Kim", dob=born, sex="F")
    lines = [
        ServiceLine(DAY, "90471", Decimal("25.00")),
        ServiceLine(DAY, code, Decimal("40.00")),
    ]
    assert scrub(claim("Z23", lines=lines, patient=patient)) == []


# -- item 24A: no future dates of service ------------------------------------------------------
def test_a_date_of_service_in_the_future_is_rejected_naming_24a():
    c = claim("I10", lines=[ServiceLine(dt.date(2031, 1, 5), "99213", Decimal(100))])
    c.submitted_on = None
    [edit] = by_id(scrub(c, today=TODAY), "DOS-FUTURE")
    assert edit.item == "24A line 1" and edit.severity == "reject"
    assert "2031-01-05" in edit.message and "today, 2026-12-07" in edit.message


def test_the_date_of_service_may_be_today_but_not_tomorrow():
    for day, fires in [(TODAY - dt.timedelta(days=1), False), (TODAY, False)]:
        c = claim("I10", lines=[ServiceLine(day, "99213", Decimal(100))], submitted_on=None)
        assert bool(by_id(scrub(c, today=TODAY), "DOS-FUTURE")) is fires
    tomorrow = claim("I10", lines=[ServiceLine(DAY + dt.timedelta(days=1), "99213", Decimal(100))])
    assert by_id(scrub(tomorrow, today=DAY), "DOS-FUTURE")


def test_a_service_after_the_send_date_names_the_claim_date_and_only_its_line():
    lines = [
        ServiceLine(DAY, "99213", Decimal(100)),
        ServiceLine(DAY, "36415", Decimal(10), date_to=DAY + dt.timedelta(days=9)),
    ]
    [edit] = scrub(claim("I10", lines=lines), today=TODAY)
    assert edit.id == "DOS-FUTURE" and edit.item == "24A line 2"
    assert "'to' date 2026-03-19" in edit.message and "send date 2026-03-12" in edit.message


def test_an_attestation_and_a_strict_payer_load_from_yaml(tmp_path):
    path = SAMPLES / "edit-icd-excludes1-strict-payer.json"
    text = claims.dumps(claims.load(path), "YAML")
    assert "excludes1_strict: true" in text and "- G47.63" in text
    copy = tmp_path / "strict.yaml"
    copy.write_text(text)
    loaded = claims.load(copy)
    assert loaded == claims.load(path)
    assert [e.severity for e in scrub(loaded)] == ["deny"]
