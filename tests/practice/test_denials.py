"""Corrected and void claims (item 22) and the appeal letter PDF."""

from __future__ import annotations

import datetime as dt
import io

import pdfplumber
import pytest
from billing_helpers import MEMBER_ID, build
from sqlalchemy import select

from medbill_lab.practice import denials
from medbill_lab.practice.db import ClaimRecord, ClaimStatusHistory

pytestmark = pytest.mark.practice_db  # run again on PostgreSQL by ./run-tests


@pytest.fixture
def built(tmp_path):
    return build(tmp_path / "p.sqlite")


def _history(session, claim_id: int) -> list[tuple[str, str]]:
    query = select(ClaimStatusHistory).where(ClaimStatusHistory.claim_id == claim_id)
    return [(h.status, h.note) for h in session.scalars(query.order_by(ClaimStatusHistory.id))]


def test_corrected_claim_is_frequency_7_with_item_22(built):
    with built.factory() as session:
        claim = denials.corrected_claim(session, built.claim_b, prior_authorization="AUTH55")
        record = session.get(ClaimRecord, built.claim_b)
        history = _history(session, built.claim_b)
    assert (claim.resubmission_code, claim.original_reference) == ("7", "PCN-B")
    assert claim.prior_authorization == "AUTH55" and claim.insured_id == MEMBER_ID
    assert record.frequency_code == "7" and record.status == "ready"
    assert history[-1][1].startswith("corrected: replacement (7) of payer claim PCN-B")


def test_void_claim_is_frequency_8(built):
    with built.factory() as session:
        claim = denials.void_claim(session, built.claim_a)
        record = session.get(ClaimRecord, built.claim_a)
    assert (claim.resubmission_code, claim.original_reference) == ("8", "PCN-A")
    assert (record.frequency_code, record.status) == ("8", "closed")


def test_resubmission_needs_a_payer_claim_number_and_real_fields(built):
    with built.factory() as session:
        with pytest.raises(ValueError, match="no payer claim number"):
            denials.corrected_claim(session, built.claim_c)
        with pytest.raises(ValueError, match="not a claim field"):
            denials.corrected_claim(session, built.claim_b, no_such_box="x")
        with pytest.raises(LookupError):
            denials.void_claim(session, 999)
        assert session.get(ClaimRecord, built.claim_b).frequency_code == "1"


def test_appeal_letter_has_carc_meaning_masked_id_and_argument(built):
    with built.factory() as session:
        pdf = denials.appeal_letter_pdf(
            session,
            built.claim_b,
            "The visit notes document uncontrolled hypertension.",
            today=dt.date(2026, 6, 1),
        )
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 1
        text = " ".join(doc.pages[0].extract_text().split())
    assert "Denial reason: CARC 50" in text
    assert " ".join(denials.carc_meaning("50").split()) in text
    assert "********4321" in text and MEMBER_ID not in text
    assert "PCN-B" in text and "04/06/2026" in text and "uncontrolled hypertension" in text
    assert "Cedar Bluff" in text and "Sincerely," in text


def test_appeal_needs_a_reason(built):
    with built.factory() as session, pytest.raises(ValueError, match="argument"):
        denials.appeal_letter_pdf(session, built.claim_b, "  ")
