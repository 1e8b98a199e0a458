"""X221A1 needs service dates at the claim level (2100 DTM*232/233) or on every service
line (2110 DTM*472).  A DRG stay is paid at the claim level with no lines, and a claim
denied whole has none either, so their claim loops carry the UB-04 statement period (FL 6),
and the reader takes it back."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

from medbill_lab.claims import institutional as inst
from medbill_lab.payer import facility
from medbill_lab.payer.remittance import RemitClaim
from medbill_lab.payer.simulator import PayerPolicy
from medbill_lab.x12 import core, x835

SAMPLES = Path(__file__).resolve().parents[2] / "datasets" / "claims"
MEDICARE = PayerPolicy(name="Medicare Part A", payer_id="MBL01", plan_type="medicare")


def _835(claim: inst.InstitutionalClaim, today: dt.date) -> str:
    result = facility.adjudicate_facility(claim, MEDICARE, today=today)
    assert isinstance(result, facility.FacilityResult), result
    remittance = facility.remit_facility(
        [result],
        payer_name="MedBill Lab Payer",
        payer_id="MBL01",
        payee=claim.billing_provider,
        trace_number="EFT1",
        paid_on=dt.date(2026, 4, 10),
    )
    text = x835.to_835(remittance)
    assert x835.parse_835(text) == [remittance]
    return text


def _claim_dates(text: str) -> list[list[str]]:
    """The DTM segments between the CLP and the first SVC (loop 2100)."""
    segments = [s.split("*") for s in core.segments(text)]
    start = next(i for i, s in enumerate(segments) if s[0] == "CLP")
    loop = []
    for seg in segments[start + 1 :]:
        if seg[0] in ("SVC", "CLP", "SE"):
            break
        loop.append(seg)
    return [s for s in loop if s[0] == "DTM"]


def test_a_drg_stay_paid_without_lines_carries_its_statement_period() -> None:
    claim = inst.load(SAMPLES / "ub04-clean-01-pneumonia.json")
    text = _835(claim, dt.date(2026, 4, 1))
    assert core.validate(text).ok
    assert "SVC" not in {s.split("*")[0] for s in core.segments(text)}
    assert _claim_dates(text) == [["DTM", "232", "20260301"], ["DTM", "233", "20260305"]]
    (read,) = x835.parse_835(text)[0].claims
    assert read.statement_period == (dt.date(2026, 3, 1), dt.date(2026, 3, 5))


def test_a_claim_denied_whole_carries_its_statement_period_too() -> None:
    claim = inst.load(SAMPLES / "ub04-clean-05-heart-failure.json")
    late = claim.statement_through + dt.timedelta(days=400)
    claim = dataclasses.replace(claim, submitted_on=late)  # past the filing limit: CO-29
    text = _835(claim, late)
    (clp,) = [s.split("*") for s in core.segments(text) if s.startswith("CLP*")]
    assert clp[2] == "4"
    start, end = claim.statement_from, claim.statement_through
    assert _claim_dates(text) == [["DTM", "232", core.d8(start)], ["DTM", "233", core.d8(end)]]


def test_a_professional_remittance_is_written_as_before() -> None:
    # only claims that carry a statement period get the claim-level dates
    claim = RemitClaim("A1", "1", Decimal(100), Decimal(80), Decimal(20), "CI", "X")
    assert not any(s.startswith("DTM") for s in x835._claim_segments(claim))
