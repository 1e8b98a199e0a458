"""The 835 explained, the posting key, and the post_835 exercise's partial credit."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from medbill_lab.datasets import datasets_dir
from medbill_lab.payer.explain import check_line, explain, posting_key
from medbill_lab.x12.x835 import parse_835

ROOT = Path(__file__).resolve().parents[2]


def sample():
    return parse_835((datasets_dir() / "remit" / "sample_835.txt").read_text())[0]


def test_explain_names_every_claim_carc_and_the_balance():
    text = explain(sample())
    for needle in ("MGF-10560", "MGF-10611", "MGF-10640", "CO-29", "PR-1", "M16", "denied"):
        assert needle in text
    assert "filing deadline" in text  # CARC 29 in plain language
    assert "claims paid $266.80 - PLB $30.00 = $236.80; payment $236.80 -> balances" in text


def test_posting_key_splits_each_charge_three_ways():
    remit = sample()
    key = posting_key(remit)
    assert key["MGF-10560"][2] == (Decimal("29.2"), Decimal("8.5"), Decimal("7.3"))
    assert key["MGF-10611"] == [(Decimal(0), Decimal(180), Decimal(0))]
    for claim in remit.claims:
        charges = [ln.charge for ln in claim.lines] or [claim.charge]
        assert [sum(t) for t in key[claim.patient_account]] == charges


def test_check_line_feedback():
    remit = sample()
    assert check_line(remit, "MGF-10560", 3, (29.2, 8.5, 7.3)).startswith("Right")
    assert "patient responsibility" in check_line(remit, "MGF-10560", 3, (29.2, 8.5, 5))
    assert "no line 4" in check_line(remit, "MGF-10560", 4, (0, 0, 0))
    assert "three amounts" in check_line(remit, "MGF-10560", 1, ("x", 1, 2))


# -- lesson 09's self-check: what to send after a CO-16 ------------------------------------
def test_medicare_unprocessable_co16_ma130_needs_a_new_claim():
    from medbill_lab.payer.explain import resubmission_feedback, resubmission_for

    assert resubmission_for("16", ["MA130"]) == "1"
    assert resubmission_for("16", ["N290", "ma130 "]) == "1"  # among other remarks, any case
    assert resubmission_feedback("1", "16", ["MA130"]).startswith("Correct")
    for wrong in ("7", "8", "appeal", " APPEAL "):
        feedback = resubmission_feedback(wrong, "16", ["MA130"])
        assert feedback.startswith("Not"), wrong
        assert "new claim (1)" in feedback
    assert "no appeal rights" in resubmission_feedback("appeal", "16", ["MA130"])


def test_an_adjudicated_co16_without_ma130_needs_a_corrected_claim():
    from medbill_lab.payer.explain import resubmission_feedback, resubmission_for

    assert resubmission_for("16", []) == resubmission_for("16", ["N290"]) == "7"
    assert resubmission_feedback("7", "16", []).startswith("Correct")
    assert "duplicate (CARC 18)" in resubmission_feedback("1", "16", [])
    assert resubmission_feedback("8", "16", []).endswith("replace it (7).")
    assert resubmission_feedback("9", "16", []) == "Choose one of: 1, 7, 8, appeal."
    with pytest.raises(ValueError, match="CARC 16"):
        resubmission_for("50", ["MA130"])
