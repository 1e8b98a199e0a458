"""The CMS-1500 (02/12) form: every value is read back from the PDF with its
position and must lie inside the box that :data:`BOXES` says it belongs to."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image

from medbill_lab.claims import cms1500_pdf as form
from medbill_lab.claims import model as claims
from medbill_lab.claims.model import (
    Address,
    Claim,
    Organization,
    Payer,
    Person,
    Provider,
    ServiceLine,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "datasets" / "claims"
DOS = dt.date(2025, 3, 14)


def make_claim(n_lines: int = 3) -> Claim:
    """A commercial claim with every common item filled."""
    home = Address("123 Maple Street", "Springfield", "IL", "62704", phone="217-555-0142")
    office = Address("500 Oak Ave", "Springfield", "IL", "627041234", phone="(217) 555-0100")
    codes = [
        ("99214", "185.00", ["A", "B"], ["25"]),
        ("93000", "62.50", ["B"], []),
        ("36415", "12.00", ["A"], []),
        ("81002", "8.00", ["C"], []),
        ("96372", "25.00", ["A"], []),
        ("J1885", "14.25", ["A"], ["RT"]),
        ("99213", "120.00", ["D"], []),
        ("85025", "18.00", ["A"], []),
    ]
    lines = [
        ServiceLine(DOS, code, Decimal(charge), pointers=ptrs, modifiers=mods)
        for code, charge, ptrs, mods in (codes * 7)[:n_lines]
    ]
    return Claim(
        program="group",
        insured_id="XYZ123456789",
        patient=Person("Doe", "Jane", "Quinn", dob=dt.date(1980, 6, 15), sex="F", address=home),
        payer=Payer(
            "Acme Health Plan", "ACME1", address=Address("PO Box 1", "Chicago", "IL", "60601")
        ),
        insured_group="GRP7731",
        onset_date=dt.date(2025, 3, 10),
        referring_provider=Provider("Smith", "John", npi="1679576722"),
        diagnoses=["E11.9", "I10", "R51.9", "Z79.4"],
        lines=lines,
        tax_id="12-3456789",
        patient_account="ACCT10023",
        signature_date=dt.date(2025, 3, 16),
        billing_provider=Organization("Springfield Family Medicine", "1234567893", office),
    )


def typed_words(pdf: bytes, page: int = 0) -> list[dict]:
    """The words typed in black (the value face), with their positions."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        words = document.pages[page].extract_words(extra_attrs=["fontname"])
    return [w for w in words if w["fontname"].endswith(form.VALUE_FONT)]


def inside(words: list[dict], key: str) -> list[str]:
    box = form.BOXES[key]
    return [w["text"] for w in words if box.contains(w["x0"], w["top"], w["x1"], w["bottom"])]


def boxes_holding(word: dict) -> set[str]:
    return {
        key
        for key, box in form.BOXES.items()
        if box.contains(word["x0"], word["top"], word["x1"], word["bottom"])
    }


@pytest.fixture(scope="module")
def claim() -> Claim:
    return make_claim()


@pytest.fixture(scope="module")
def words(claim: Claim) -> list[dict]:
    return typed_words(form.render_pdf(claim))


# -- values in their boxes ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("1a", ["XYZ123456789"]),
        ("2", ["DOE,", "JANE,", "Q"]),
        ("3", ["06", "15", "1980", "X"]),  # and the F checkbox inside item 3
        ("21A", ["E119"]),  # item 21 takes the code without its period
        ("21B", ["I10"]),
        ("21D", ["Z794"]),
        ("21.ind", ["0"]),  # ICD-10-CM
        ("24A.1", ["03", "14", "25", "03", "14", "25"]),
        ("24B.1", ["11"]),
        ("24D.1", ["99214", "25"]),
        ("24E.1", ["AB"]),
        ("24F.1", ["185", "00"]),
        ("24G.1", ["1"]),
        ("24F.2", ["62", "50"]),
        ("28", ["259", "50"]),  # dollars and cents of 185.00 + 62.50 + 12.00
        ("25", ["123456789", "X"]),  # and the EIN checkbox
        ("26", ["ACCT10023"]),
        ("17", ["DN", "JOHN", "SMITH"]),  # qualifier, then first name first
        ("17b", ["1679576722"]),
        ("33a", ["1234567893"]),
        ("14", ["03", "10", "25", "431"]),  # with its qualifier
        ("14.qual", ["431"]),
        ("31.date", ["03", "16", "25"]),
    ],
)
def test_value_lies_inside_its_box(words: list[dict], key: str, expected: list[str]) -> None:
    assert inside(words, key) == expected


def test_the_cpt_code_is_in_24d_of_line_1_and_nowhere_else(words: list[dict]) -> None:
    (cpt,) = [w for w in words if w["text"] == "99214"]
    assert {k for k in boxes_holding(cpt) if k.startswith("24")} == {"24D.1"}
    (dx,) = [w for w in words if w["text"] == "E119"]
    assert boxes_holding(dx) == {"21A", "21"}


def test_every_box_value_is_typed_inside_that_box(claim: Claim, words: list[dict]) -> None:
    values = form.box_values(claim)
    assert len(values) > 60
    for key, text in values.items():
        found = inside(words, key)
        for token in text.split():
            assert token in found, f"{key}: {token!r} not inside the box (found {found})"


def test_every_typed_word_belongs_to_a_box_showing_it(claim: Claim, words: list[dict]) -> None:
    values = form.box_values(claim)
    for word in words:
        holders = [k for k in boxes_holding(word) if word["text"] in values.get(k, "").split()]
        assert holders, f"{word['text']!r} at {word['x0']:.0f},{word['top']:.0f} is in no box"


def test_carrier_block_and_billing_provider_are_multi_line(claim: Claim, words) -> None:
    values = form.box_values(claim)
    assert values["carrier"] == "ACME HEALTH PLAN\nPO BOX 1\nCHICAGO, IL 60601"
    assert values["33"].splitlines()[0] == "SPRINGFIELD FAMILY MEDICINE"
    assert values["33.phone"] == "217 5550100"
    assert inside(words, "carrier")[:3] == ["ACME", "HEALTH", "PLAN"]


# -- checkboxes -------------------------------------------------------------------------------
def test_checkboxes_are_marked_with_x(claim: Claim, words: list[dict]) -> None:
    values = form.box_values(claim)
    marked = {k for k, v in values.items() if form.BOXES[k].check}
    assert marked == {
        "1:group",
        "3:F",
        "6:self",
        "11a:F",
        "10a:no",
        "10b:no",
        "10c:no",
        "11d:no",
        "20:no",
        "25:EIN",
        "27:yes",
    }
    for key in marked:
        assert inside(words, key) == ["X"], key
    assert inside(words, "1:medicare") == [] and inside(words, "27:no") == []
    assert sum(w["text"] == "X" for w in words) == len(marked)


def test_checkboxes_follow_the_claim() -> None:
    claim = make_claim()
    claim.program, claim.relationship, claim.accept_assignment = "medicare", "spouse", False
    claim.insured = Person("Doe", "John", dob=dt.date(1979, 1, 2), sex="M")
    claim.auto_accident_state, claim.tax_id_type = "WI", "SSN"
    values = form.box_values(claim)
    for key in ("1:medicare", "6:spouse", "27:no", "10b:yes", "11a:M", "25:SSN"):
        assert values[key] == "X", key
    for key in ("1:group", "6:self", "27:yes", "10b:no", "11a:F", "25:EIN"):
        assert key not in values, key
    assert values["10b.state"] == "WI" and values["4"] == "DOE, JOHN"
    assert values["11a"] == "01 02 1979"


# -- formatting and fitting ---------------------------------------------------------------------
def test_long_text_is_cut_to_the_box_width() -> None:
    claim = make_claim()
    claim.patient = Person("Wolfeschlegelsteinhausenbergerdorff" * 3, "Maximiliana", "R")
    claim.additional_info = "note " * 100
    claim.billing_provider.name = "A very long practice name " * 5
    values = form.box_values(claim)
    box = form.BOXES["2"]
    assert len(values["2"]) == box.capacity < 60
    assert values["2"] == ("WOLFESCHLEGELSTEINHAUSENBERGERDORFF" * 3)[: box.capacity]
    assert len(values["19"]) == form.BOXES["19"].capacity
    words = typed_words(form.render_pdf(claim))
    for key in ("2", "19", "33"):
        right = form.BOXES[key].top_down()[2]
        assert inside(words, key) and all(
            w["x1"] <= right for w in words if key in boxes_holding(w)
        )
    (name,) = inside(words, "2")
    assert name == values["2"]  # one long word, whole, inside box 2


def test_text_is_upper_case_plain_ascii() -> None:
    claim = make_claim()
    claim.patient.last, claim.patient.first = "Ærø-Straße Jr.", "Zoë\tAnn\x00"
    assert form.box_values(claim)["2"] == "AERO-STRASSE JR, ZOE ANN, Q"  # no periods in names


def test_money_too_long_for_its_box_shows_asterisks_not_fewer_digits() -> None:
    claim = make_claim(n_lines=1)
    claim.lines[0].charge = Decimal("12345678.90")
    values = form.box_values(claim)
    assert values["24F.1"] == "****** 90"
    assert values["28"] == "******* 90"


def test_dates_units_and_pointers() -> None:
    claim = make_claim(n_lines=2)
    claim.lines[1].date_to = dt.date(2025, 3, 16)
    claim.lines[1].units = Decimal("1.50")
    claim.lines[1].pointers = ["A", "B", "C", "D", "E"]
    claim.lines[1].modifiers = ["RT", "59", "XU", "76", "77"]
    values = form.box_values(claim)
    assert values["24A.2"] == "03 14 25 03 16 25"
    assert values["24G.2"] == "1.5"
    assert values["24E.2"] == "ABCD"  # at most 4 pointers
    assert values["24D.2"] == "93000 RT 59 XU 76"  # at most 4 modifiers


def test_a_bare_claim_renders() -> None:
    bare = Claim(program="other", insured_id="", patient=Person("", ""), payer=Payer("", ""))
    assert form.page_count(bare) == 1
    assert form.render_pdf(bare).startswith(b"%PDF")
    assert form.box_values(bare)["28"] == "0 00"


# -- more than six lines ----------------------------------------------------------------------
def test_more_than_six_lines_continue_on_another_page() -> None:
    claim = make_claim(n_lines=8)
    pdf = form.render_pdf(claim)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == form.page_count(claim) == 2
    first, second = form.box_values(claim, 1), form.box_values(claim, 2)
    assert first["page"] == "PAGE 1 OF 2" and second["page"] == "PAGE 2 OF 2"
    assert first["28"] == "CONTINUED"
    assert second["28"] == "444 75"  # the claim total, on the last page only
    assert second["24D.1"] == "99213" and second["24D.2"] == "85025"
    assert "24D.3" not in second
    words = typed_words(pdf, page=1)
    assert inside(words, "24D.1") == ["99213"] and inside(words, "28") == ["444", "75"]
    assert inside(typed_words(pdf, page=0), "28") == ["CONTINUED"]
    with pytest.raises(ValueError, match="page 3"):
        form.box_values(claim, 3)


# -- geometry -------------------------------------------------------------------------------
def test_boxes_lie_on_the_page_and_the_service_rows_stack() -> None:
    for key, box in form.BOXES.items():
        x0, top, x1, bottom = box.top_down()
        assert 0 <= x0 < x1 <= form.PAGE_W and 0 <= top < bottom <= form.PAGE_H, key
        assert box.caption, f"{key} has no caption for the apps to show"
    tops = [form.BOXES[f"24D.{n}"].top_down()[1] for n in range(1, 7)]
    assert tops == sorted(tops) and len(set(tops)) == 6
    assert form.BOXES["21L"].top_down()[3] <= form.BOXES["24A"].top_down()[1]
    assert form.BOXES["28"].top_down()[1] >= form.BOXES["24F.6"].top_down()[3]


def test_the_form_prints_its_captions() -> None:
    with pdfplumber.open(io.BytesIO(form.render_pdf(make_claim()))) as document:
        text = document.pages[0].extract_text()
    for caption in (
        "HEALTH INSURANCE CLAIM FORM",
        "APPROVED BY NATIONAL UNIFORM CLAIM COMMITTEE (NUCC) 02/12",
        "1a. INSURED'S I.D. NUMBER",
        "2. PATIENT'S NAME",
        "21. DIAGNOSIS OR NATURE OF ILLNESS OR INJURY",
        "ICD Ind.",
        "25. FEDERAL TAX I.D. NUMBER",
        "28. TOTAL CHARGE",
        "33. BILLING PROVIDER INFO",
    ):
        assert caption in text, caption


def test_rendering_is_deterministic() -> None:
    assert form.render_pdf(make_claim()) == form.render_pdf(make_claim())


# -- PNG --------------------------------------------------------------------------------------
def test_png_is_a_letter_page_in_red_and_black() -> None:
    data = form.render_png(make_claim(), dpi=100)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(data)).convert("RGB")
    assert image.size == (850, 1100)
    pixels = [image.getpixel((x, y)) for x in range(0, 850, 2) for y in range(0, 1100, 2)]
    red = sum(r > 150 and g < 110 and b < 110 for r, g, b in pixels)
    black = sum(r < 60 and g < 60 and b < 60 for r, g, b in pixels)
    assert red > 6_000 and black > 1_500  # about 11,000 and 2,700 measured
    half = Image.open(io.BytesIO(form.render_png(make_claim(), dpi=50)))
    assert half.size == (425, 550)


# -- files and the CLI ------------------------------------------------------------------------
def sample_files(expected: str) -> list[Path]:
    with (SAMPLES / "labels.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [SAMPLES / r["file"] for r in rows if r["expected_edits"] == expected]


def test_write_file_writes_the_pdf_and_says_what_it_wrote(tmp_path: Path) -> None:
    sample = sample_files("")[0]
    result = form.write_file(sample, tmp_path / "claim.pdf", png=False)
    assert result.paths == (tmp_path / "claim.pdf",)
    assert (result.pages, result.lines) == (1, len(claims.load(sample).lines))
    assert (tmp_path / "claim.pdf").read_bytes().startswith(b"%PDF")
    assert not (tmp_path / "claim.png").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["claim.pdf"]  # no temporary files left


def test_write_file_continued_claim_writes_a_png_per_page(tmp_path: Path) -> None:
    source = tmp_path / "long.json"
    source.write_text(json.dumps(claims.to_dict(make_claim(n_lines=8))))
    result = form.write_file(source, tmp_path / "long.pdf", png=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "long-2.png",
        "long.json",
        "long.pdf",
        "long.png",
    ]
    assert (result.pages, result.lines) == (2, 8)
    assert result.paths == tuple(tmp_path / n for n in ("long.pdf", "long.png", "long-2.png"))
    with pdfplumber.open(tmp_path / "long.pdf") as document:
        assert len(document.pages) == 2


def test_write_file_leaves_nothing_when_rendering_fails(tmp_path: Path, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise OSError("disk on fire")

    monkeypatch.setattr(form, "render_png", broken)
    with pytest.raises(OSError, match="disk on fire"):
        form.write_file(sample_files("")[0], tmp_path / "claim.pdf", png=True)
    assert list(tmp_path.iterdir()) == []


def test_cli_writes_the_pdf_and_png(run_cli, tmp_path: Path) -> None:
    sample = sample_files("")[1]
    out = tmp_path / "claim.pdf"
    result = run_cli("claim", "pdf", str(sample), "-o", str(out), "--png")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1 and "claim.pdf" in result.stdout
    claim = claims.load(sample)
    words = typed_words(out.read_bytes())
    assert inside(words, "1a") == [claim.insured_id.upper()]
    assert inside(words, "24D.1")[0] == claim.lines[0].code
    with Image.open(tmp_path / "claim.png") as png:
        assert png.format == "PNG" and png.size == (850, 1100)


@pytest.mark.parametrize("sample", sample_files("LOAD-ERROR"), ids=lambda p: p.name)
def test_a_claim_that_does_not_load_writes_nothing(tmp_path: Path, sample: Path) -> None:
    with pytest.raises(claims.ClaimError):
        form.write_file(sample, tmp_path / "claim.pdf", png=True)
    assert list(tmp_path.iterdir()) == []


def test_cli_bad_claim_is_one_line_and_no_file(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "claim.pdf"
    result = run_cli("claim", "pdf", str(SAMPLES / "load-malformed.json"), "-o", str(out), "--png")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("medbill-lab: error:")
    assert "not valid JSON" in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_missing_file_and_bad_output_dir(run_cli, tmp_path: Path) -> None:
    missing = run_cli("claim", "pdf", str(tmp_path / "nope.json"), "-o", str(tmp_path / "a.pdf"))
    assert missing.returncode != 0 and missing.stderr.count("\n") == 1
    sample = str(sample_files("")[0])
    nowhere = run_cli("claim", "pdf", sample, "-o", str(tmp_path / "no" / "dir" / "a.pdf"))
    assert nowhere.returncode != 0 and nowhere.stderr.count("\n") == 1
    assert "does not exist" in nowhere.stderr
    clash = run_cli("claim", "pdf", sample, "-o", str(tmp_path / "a.png"), "--png")
    assert clash.returncode != 0 and clash.stderr.count("\n") == 1
    assert "Traceback" not in missing.stderr + nowhere.stderr + clash.stderr
    assert list(tmp_path.iterdir()) == []
