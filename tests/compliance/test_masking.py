"""Minimum-necessary masking: SSN and member IDs on statements and in exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import subprocess

import pandas as pd
import pdfplumber
import pytest
from billing_helpers import MEMBER_ID, build
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from medbill_lab.compliance import masking
from medbill_lab.practice import audit, statements
from medbill_lab.practice import db as practice_db

AS_OF = dt.date(2026, 6, 1)


@pytest.mark.parametrize(
    ("ssn", "masked"),
    [
        ("123-45-6789", "***-**-6789"),
        ("123456789", "***-**-6789"),
        (" 123 45 6789 ", "***-**-6789"),
    ],
)
def test_mask_ssn_shows_only_the_last_four(ssn, masked):
    assert masking.mask_ssn(ssn) == masked


@pytest.mark.parametrize("bad", ["", "12345", "1234567890", None])
def test_mask_ssn_refuses_what_is_not_an_ssn(bad):
    with pytest.raises(ValueError, match="not an SSN"):
        masking.mask_ssn(bad)


@given(st.text(alphabet="ABCDEFGHJKMNPQRTUVWXY0123456789", min_size=5, max_size=20))
def test_member_id_keeps_length_and_only_the_last_four(member_id):
    out = masking.mask_member_id(member_id)
    assert len(out) == len(member_id) and out.endswith(member_id[-4:])
    assert set(out[:-4]) == {"*"}


@given(st.text(alphabet="0123456789", min_size=0, max_size=4))
def test_a_value_of_four_or_fewer_characters_is_hidden_entirely(value):
    assert masking.mask_tail(value) == "*" * len(value)


def test_masked_frame_masks_identifiers_and_says_why():
    frame = pd.DataFrame(
        {
            "first": ["Esme"],
            "ssn": ["123-45-6789"],
            "member_id": ["EVG123456789"],
            "email": ["esme.okafor@example.com"],
            "balance": [20.0],
            "bad_ssn": ["12-3"],
        }
    )
    out, actions = masking.masked_frame(frame)
    assert out.iloc[0].tolist() == [
        "Esme",
        "***-**-6789",
        "********6789",
        "e***@example.com",
        20.0,
        "**-*",
    ]
    why = {a.column: a for a in actions}
    assert why["ssn"].action == "masked" and "last 4" in why["ssn"].reason
    assert why["first"].action == "kept"
    assert frame.loc[0, "ssn"] == "123-45-6789"  # the original is untouched


def test_mask_text_masks_ssn_and_member_id_only():
    text = "Pt Esme Okafor, SSN 123-45-6789, member ID EVG123456789, seen 3/4/2026."
    assert (
        masking.mask_text(text)
        == "Pt Esme Okafor, SSN ***-**-6789, member ID ********6789, seen 3/4/2026."
    )


# -- the statement PDF ----------------------------------------------------------------------------
@pytest.fixture
def statement_pdf(tmp_path):
    built = build(tmp_path / "p.sqlite")
    with built.factory() as session:
        return statements.statement_pdf(session, built.patient_id, AS_OF)


def test_statement_prints_only_the_masked_member_id(statement_pdf):
    with pdfplumber.open(io.BytesIO(statement_pdf)) as doc:
        text = "\n".join(page.extract_text() for page in doc.pages)
    assert MEMBER_ID not in text and MEMBER_ID[-5:] not in text
    assert f"Member ID: {masking.mask_member_id(MEMBER_ID)}" in text
    assert "***-**-" not in text and "SSN" not in text  # the lab keeps no SSN, so none is printed


# CI installs poppler-utils and sets MEDBILL_REQUIRE_POPPLER=1: there a missing pdftoppm fails
@pytest.mark.skipif(
    shutil.which("pdftoppm") is None and os.environ.get("MEDBILL_REQUIRE_POPPLER") != "1",
    reason="poppler-utils (pdftoppm) is not installed",
)
def test_statement_renders_to_a_png_page(statement_pdf, tmp_path):
    (tmp_path / "s.pdf").write_bytes(statement_pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-singlefile",
            str(tmp_path / "s.pdf"),
            str(tmp_path / "s"),
        ],
        check=True,
    )
    image = Image.open(tmp_path / "s.png").convert("L")
    assert image.size == (510, 660)  # US letter at 60 dpi
    # the header's right column (where "Member ID" is printed) has ink on it
    box = image.crop((270, 40, 480, 110))
    assert box.getextrema()[0] < 100


def test_cli_masked_export_shows_last_four_of_member_ids(tmp_path, run_cli):
    db = tmp_path / "p.sqlite"
    assert run_cli("practice", "generate", "--db", str(db), "--patients", "10", "--seed", "2").returncode == 0  # fmt: skip
    target = tmp_path / "masked.csv"
    out = run_cli("practice", "export", "patients", "--db", str(db), "--masked", "-o", str(target))
    assert out.returncode == 0, out.stderr
    assert "member_id: masked (member ID: last 4 characters only)" in out.stdout
    rows = list(csv.DictReader(target.read_text().splitlines()))
    assert len(rows) == 10
    insured = [r["member_id"] for r in rows if r["member_id"]]
    assert insured and all(m[:-4] == "*" * (len(m) - 4) and m[-4:].isalnum() for m in insured)


def test_an_export_is_recorded_in_the_access_audit_log(tmp_path, run_cli, monkeypatch):
    db = tmp_path / "p.sqlite"
    assert run_cli("practice", "generate", "--db", str(db), "--patients", "4", "--seed", "2").returncode == 0  # fmt: skip
    monkeypatch.setenv("MEDBILL_USER", "exporter9")
    done = run_cli(
        "practice",
        "export",
        "patients",
        "--db",
        str(db),
        "--deidentify",
        "-o",
        str(tmp_path / "o.csv"),
    )
    assert done.returncode == 0, done.stderr
    with practice_db.open_practice(db)[1]() as session:
        newest = audit.entries(session, limit=1)[0]
        assert (newest.who, newest.action, newest.table_name) == ("exporter9", "view", "patients")
        assert newest.detail == "export of 4 patients (deidentify)"
        assert audit.verify(session).ok
