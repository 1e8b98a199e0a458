"""The UB-04 (CMS-1450) form: every value is read back from the PDF with its position and
must lie inside the slot, and so the form locator, that :data:`SLOTS` says it belongs to."""

from __future__ import annotations

import copy
import io
import itertools
import json
from pathlib import Path

import pdfplumber
import pytest
from ub04_claims import PATIENT, hospital, inpatient

from medbill_lab.claims import institutional
from medbill_lab.claims import ub04_pdf as form
from medbill_lab.claims.institutional import InstitutionalClaim, from_dict
from medbill_lab.cli.app import main

ROOT = Path(__file__).resolve().parents[2]
OTHER_CODES = ["N17.9", "E87.1", "I10", "E78.5", "Z79.4", "K21.9", "J45.909", "F32.A", "G47.33"]
OTHER_CODES += ["M19.90", "N39.0", "R51.9", "D64.9", "E66.9", "Z87.891", "I25.10", "E03.9"]
DATA = inpatient(
    billing_provider=hospital(phone="815-555-0100"),
    patient={**PATIENT, "middle": "Quinn"},
    condition_codes=["01", "02", "39"],
    accident_state="IL",
    occurrences=[
        {"code": "11", "date": "2026-02-28"},
        {"code": "31", "date": "2026-02-27"},
        {"code": "50", "date": "2026-03-04"},
        {"code": "42", "date": "2026-03-04"},
        {"code": "01", "date": "2026-02-26"},
    ],
    occurrence_spans=[
        {"code": "74", "date_from": "2026-03-02", "date_through": "2026-03-02"},
        {"code": "72", "date_from": "2026-02-20", "date_through": "2026-02-22"},
        {"code": "M2", "date_from": "2026-03-03", "date_through": "2026-03-04"},
    ],
    value_codes=[
        {"code": "80", "amount": "3"},
        {"code": "A1", "amount": "100.00"},
        {"code": "01", "amount": "1200.00"},
        {"code": "02", "amount": "950.00"},
    ],
    lines=[
        {
            "revenue_code": "0120",
            "description": "Room and board semi-private",
            "units": "3",
            "total_charge": "3600.00",
        },
        {
            "revenue_code": "0300",
            "description": "Laboratory",
            "hcpcs": "80053",
            "modifiers": ["91"],
            "service_date": "2026-03-02",
            "total_charge": "120.00",
            "non_covered": "20.00",
        },
        {"revenue_code": "0250", "description": "Pharmacy", "total_charge": "750.00"},
    ],
    payers=[
        {
            "payer_name": "Medicare Part A",
            "payer_id": "MCRA1",
            "insured_id": "1EG4TE5MK73",
            "filing_indicator": "MA",
            "authorization": "AUTH77",
            "estimated_amount_due": "1600.00",
        },
        {
            "payer_name": "Acme Supplement",
            "payer_id": "ACME1",
            "insured_id": "XYZ123",
            "relationship": "01",
            "insured": {"last": "Doe", "first": "Ann", "dob": "1957-01-01", "sex": "F"},
            "group_name": "Acme Retirees",
            "group_number": "GRP1",
            "prior_payments": "0",
            "employer_name": "Harlow Mills",
        },
    ],
    other_diagnoses=[{"code": c, "poa": "Y"} for c in OTHER_CODES],
    other_procedures=[
        {"code": "0DTJ4ZZ", "date": "2026-03-02"},
        {"code": "5A1955Z", "date": "2026-03-03"},
    ],
    other_physicians=[{"npi": "1497758544", "last": "Brown", "first": "Sam"}],
    remarks="Teaching claim: synthetic patient, three days of care for pneumonia",
    submitted_on="2026-03-10",
)


def typed_words(pdf: bytes, page: int = 0) -> list[dict]:
    """The words typed in black (the value face), with their positions."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        words = document.pages[page].extract_words(extra_attrs=["fontname"])
    return [w for w in words if w["fontname"].endswith(form.VALUE_FONT)]


def slots_holding(word: dict) -> list[str]:
    box = (word["x0"], word["top"], word["x1"], word["bottom"])
    return [key for key, slot in form.SLOTS.items() if slot.area.contains(*box)]


def read_slot(words: list[dict], key: str) -> str:
    """The text typed in one slot, line by line, as the form shows it."""
    area = form.SLOTS[key].area
    inside = [w for w in words if area.contains(w["x0"], w["top"], w["x1"], w["bottom"])]
    rows: dict[int, list[dict]] = {}
    for w in inside:
        rows.setdefault(round((w["top"] - area.top) // form.ROW), []).append(w)
    return "\n".join(
        " ".join(w["text"] for w in sorted(row, key=lambda w: w["x0"]))
        for _, row in sorted(rows.items())
    )


@pytest.fixture(scope="module")
def claim() -> InstitutionalClaim:
    return from_dict(DATA)


@pytest.fixture(scope="module")
def pdf(claim: InstitutionalClaim) -> bytes:
    return form.render_pdf(claim)


@pytest.fixture(scope="module")
def words(pdf: bytes) -> list[dict]:
    return typed_words(pdf)


# -- the layout ----------------------------------------------------------------------------
def test_every_form_locator_1_to_81_is_drawn() -> None:
    numbers = {
        n.rstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") for n in form.LOCATORS
    }
    assert numbers == {str(n) for n in range(1, 82)}


def test_each_slot_lies_in_its_locator_and_none_overlap() -> None:
    for key, slot in form.SLOTS.items():
        assert slot.area.inside(form.LOCATORS[slot.locator].area), key
    for (a, one), (b, two) in itertools.combinations(form.SLOTS.items(), 2):
        apart = (
            one.area.x1 <= two.area.x0 + 0.01
            or two.area.x1 <= one.area.x0 + 0.01
            or one.area.bottom <= two.area.top + 0.01
            or two.area.bottom <= one.area.top + 0.01
        )
        assert apart, (a, b)


def test_the_form_fits_the_page() -> None:
    for loc in form.LOCATORS.values():
        assert 0 < loc.area.x0 < loc.area.x1 <= form.PAGE_W - 12
        assert 0 < loc.area.top < loc.area.bottom <= form.PAGE_H - 24


# -- values in their slots -----------------------------------------------------------------
def test_every_typed_word_lies_in_exactly_one_slot(words: list[dict]) -> None:
    assert words
    for word in words:
        assert len(slots_holding(word)) == 1, word


def test_every_value_reads_back_from_its_slot(claim: InstitutionalClaim, words: list[dict]) -> None:
    values = form.slot_values(claim)
    assert len(values) > 100
    for key, text in values.items():
        assert read_slot(words, key) == text, key
    filled = {k for w in words for k in slots_holding(w)}
    assert filled == set(values)  # and nothing typed anywhere else


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("1", "HARLOW COMMUNITY HOSPITAL\n100 MAIN ST\nHARLOW, IL 610011234\n815-555-0100"),
        ("3a", "IP2026001"),
        ("3b", "MR555"),
        ("4", "0111"),
        ("5", "36-1234567"),
        ("6.from", "030126"),
        ("6.through", "030426"),
        ("8b", "DOE, JAN Q"),
        ("9d", "61001"),
        ("10", "04021955"),
        ("12", "030126"),
        ("13", "14"),
        ("17", "01"),
        ("20", "39"),  # the third condition code
        ("29", "IL"),
        ("32a.code", "31"),  # occurrences fill across row a first
        ("31b.code", "01"),  # then row b
        ("31b.date", "022626"),
        ("36a.code", "72"),
        ("35b.through", "030426"),
        ("40a.amount", "100.00"),
        ("39b.code", "02"),  # values: 39a 40a 41a, then 39b
        ("42.1", "0120"),
        ("43.1", "ROOM AND BOARD SEMI-PRIVATE"),
        ("44.2", "80053 91"),
        ("45.2", "030226"),
        ("46.1", "3"),
        ("47.1", "3600.00"),
        ("48.2", "20.00"),
        ("42.23", "0001"),
        ("43.23", "PAGE 1 OF 1"),
        ("45.23", "031026"),
        ("47.23", "4470.00"),
        ("48.23", "20.00"),
        ("50B", "ACME SUPPLEMENT"),
        ("55A", "1600.00"),
        ("56", "1234567893"),
        ("58B", "DOE, ANN"),
        ("59B", "01"),
        ("60A", "1EG4TE5MK73"),
        ("62B", "GRP1"),
        ("63A", "AUTH77"),
        ("65B", "HARLOW MILLS"),
        ("66", "0"),
        ("67", "J189"),  # codes without their period
        ("67.poa", "Y"),
        ("67A", "N179"),
        ("67Q", "E039"),  # the 17th other diagnosis: the last the paper holds
        ("69", "R059"),
        ("72a", "W19XXXA"),
        ("74.code", "0FT44ZZ"),
        ("74.date", "030226"),
        ("74b.code", "5A1955Z"),
        ("76.npi", "1245319599"),
        ("76.last", "SMITH"),
        ("77.first", "LEE"),
        ("78.last", "BROWN"),
        ("80", "TEACHING CLAIM: SYNTHETIC\nPATIENT, THREE DAYS OF CARE\nFOR PNEUMONIA"),
        ("81a.qual", "B3"),
        ("81a.code", "282N00000X"),
    ],
)
def test_value_in_its_form_locator(words: list[dict], key: str, expected: str) -> None:
    assert read_slot(words, key) == expected


def test_empty_locators_stay_empty(claim: InstitutionalClaim) -> None:
    values = form.slot_values(claim)
    for key in ("2", "8a", "38", "57", "71", "42.4", "74c.code", "79.npi"):
        assert key not in values


def test_a_number_too_long_shows_asterisks_never_fewer_digits() -> None:
    assert form.fit("47.1", "123456789012.50") == "*" * form.SLOTS["47.1"].capacity
    assert form.fit("46.1", "12345678") == "*" * 7
    assert form.fit("46.1", "1234567") == "1234567"
    assert form.fit("43.1", "x" * 40) == "X" * form.SLOTS["43.1"].capacity  # text is cut


CLEAN_SAMPLES = sorted((ROOT / "datasets" / "claims").glob("ub04-clean-*"))


@pytest.mark.parametrize("path", CLEAN_SAMPLES, ids=lambda p: p.stem)
def test_each_clean_sample_reads_back_from_its_slots(path: Path) -> None:
    claim = institutional.load(path)
    values = form.slot_values(claim)
    words = typed_words(form.render_pdf(claim))
    assert all(len(slots_holding(w)) == 1 for w in words)
    assert {key: read_slot(words, key) for key in values} == values
    assert values["4"] == claim.type_of_bill
    assert values["67"] == claim.principal_diagnosis.code.replace(".", "")


def test_there_are_clean_samples() -> None:
    assert len(CLEAN_SAMPLES) >= 5


# -- more than 22 revenue lines -------------------------------------------------------------
def test_lines_continue_on_a_second_page() -> None:
    data = copy.deepcopy(DATA)
    line = {"revenue_code": "0250", "description": "Pharmacy", "total_charge": "10.00"}
    data["lines"] = [dict(line, total_charge=f"{n}.00") for n in range(1, 31)]
    claim = from_dict(data)
    assert form.page_count(claim) == 2
    first, second = form.slot_values(claim, 1), form.slot_values(claim, 2)
    assert first["47.22"] == "22.00" and second["47.1"] == "23.00" and second["47.8"] == "30.00"
    assert "47.9" not in second
    assert first["43.23"] == "PAGE 1 OF 2" and "47.23" not in first  # totals on the last page
    assert second["47.23"] == "465.00"
    assert first["4"] == second["4"] == "0111"  # each page repeats the claim
    pdf = form.render_pdf(claim)
    assert read_slot(typed_words(pdf, 1), "47.1") == "23.00"
    with pytest.raises(ValueError, match="page 3 is out of range"):
        form.slot_values(claim, 3)


# -- the command line ------------------------------------------------------------------------
def test_cli_draws_the_ub04_for_a_ub04_file(tmp_path: Path, capsys) -> None:
    source = tmp_path / "ip.json"
    source.write_text(json.dumps(DATA))
    out = tmp_path / "ub04.pdf"
    assert main(["claim", "pdf", str(source), "-o", str(out)]) == 0
    assert capsys.readouterr().out == f"Wrote {out}: UB-04, 1 page(s), 3 revenue line(s).\n"
    assert read_slot(typed_words(out.read_bytes()), "4") == "0111"


def test_cli_pdf_of_a_bad_ub04_is_one_line(tmp_path: Path, capsys) -> None:
    source = tmp_path / "bad.json"
    source.write_text(json.dumps({**DATA, "type_of_bill": "111"}))
    out = tmp_path / "bad.pdf"
    assert main(["claim", "pdf", str(source), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "FL 4" in err
    assert not out.exists()


def test_write_file_draws_the_form_once_for_the_pdf_and_its_png(
    tmp_path: Path, monkeypatch
) -> None:
    source = tmp_path / "ip.json"
    source.write_text(json.dumps(DATA))
    drawn = []
    render_pdf = form.render_pdf
    monkeypatch.setattr(form, "render_pdf", lambda claim: drawn.append(1) or render_pdf(claim))
    result = form.write_file(source, tmp_path / "ub04.pdf", png=True)
    assert len(drawn) == 1
    assert result.paths == (tmp_path / "ub04.pdf", tmp_path / "ub04.png")
    claim = institutional.load(source)
    assert (tmp_path / "ub04.png").read_bytes() == form.render_png(claim)
