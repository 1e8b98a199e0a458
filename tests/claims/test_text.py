"""The one text rule: the printed CMS-1500 and the X12 files spell a name the same way."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from medbill_lab.claims import cms1500_pdf
from medbill_lab.claims import model as claim_files
from medbill_lab.claims.text import TRANSLITERATION, ascii_letters, form_text, x12_text
from medbill_lab.x12 import x837p

SAMPLE = Path(__file__).resolve().parents[2] / "datasets" / "claims" / "clean-02-strep-child.json"

# (raw, what both outputs show): accents, letters that do not decompose, curly apostrophes
SAME_IN_BOTH = [
    ("Zoë Ávila", "ZOE AVILA"),
    ("Müller-Lüdenscheidt", "MULLER-LUDENSCHEIDT"),
    ("Çelik Nuñez", "CELIK NUNEZ"),
    ("Ørsted", "ORSTED"),
    ("Łukasz Dębski", "LUKASZ DEBSKI"),
    ("Æsa Þórsdóttir", "AESA THORSDOTTIR"),
    ("Straße", "STRASSE"),
    ("Œuvre Đokić", "OEUVRE DOKIC"),
    ("Jón Guðmundsson", "JON GUDMUNDSSON"),
    ("O\u2019Brien", "O'BRIEN"),
    ("D\u2018Angelo", "D'ANGELO"),
    ("Ta\u02bcu", "TA'U"),
]


@pytest.mark.parametrize(("raw", "expected"), SAME_IN_BOTH)
def test_letters_and_apostrophes_read_the_same_on_paper_and_in_x12(raw: str, expected: str):
    assert form_text(raw) == expected
    assert x12_text(raw) == expected


@pytest.mark.parametrize("raw", ["李", "☃", "😀", "Ω"])
def test_a_character_with_no_ascii_equivalent_never_reaches_either_output(raw: str):
    # paper drops it; X12 turns it into a space (collapsed), so a name stays readable
    assert form_text(f"Ann {raw}Lee") == "ANN LEE"
    assert x12_text(f"Ann {raw}Lee") == "ANN LEE"
    assert x12_text(f"Ann{raw}Lee") == "ANN LEE"
    assert form_text(f"Ann{raw}Lee") == "ANNLEE"
    assert ascii_letters(raw) == raw  # the shared step leaves it to the output's rule


def test_each_output_keeps_its_own_character_set():
    # the typewriter has every printable ASCII key; X12's basic set has no % # @ and
    # must never carry the delimiters * : ~ ^
    assert form_text("50% #2 a@b") == "50% #2 A@B"
    assert x12_text("50% #2 a@b") == "50 2 A B"
    assert x12_text("O'Brien*~Jr:^x") == "O'BRIEN JR X"
    assert x12_text("Ørsted", 3) == "ORS"


def test_every_transliteration_is_plain_ascii_and_changes_its_character():
    for raw, plain in TRANSLITERATION.items():
        assert plain.isascii() and plain != raw, raw
        assert x12_text(raw) == form_text(raw), raw


def test_the_pdf_and_the_837p_write_the_same_patient_name():
    claim = claim_files.load(SAMPLE)
    patient = dataclasses.replace(claim.patient, last="O\u2019Brien-Ørsted", first="Zoë")
    claim = dataclasses.replace(claim, patient=patient)
    assert cms1500_pdf.box_values(claim)["2"].startswith("O'BRIEN-ORSTED, ZOE")
    text = x837p.to_837p([claim])
    assert "*O'BRIEN-ORSTED*ZOE" in text
    assert "Ø" not in text and "\u2019" not in text
