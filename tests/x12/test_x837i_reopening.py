"""A UB-04 with frequency Q (a reopening sent after the filing limit, FL 4 XXQ) names the
claim it corrects, as a replacement (7) or void (8) does: FL 64 goes in 2300 REF*F8
(X12 RFI 2173; Medicare CR 8581)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from medbill_lab.claims import institutional as inst
from medbill_lab.claims.model import ClaimError
from medbill_lab.x12 import core, x837i

WHEN = dt.datetime(2026, 3, 10, 9, 30)


def _claim(bill: str, dcn: str) -> inst.InstitutionalClaim:
    data = inst._example_data()
    data["billing_provider"]["address"]["zip"] = "610011234"  # 2010AA N403: ZIP+4
    data["patient"]["address"] = {
        "street": "2 Elm St",
        "city": "Harlow",
        "state": "IL",
        "zip": "61001",
    }
    claim = inst.from_dict({**data, "type_of_bill": bill})
    claim.payers[0] = dataclasses.replace(claim.payers[0], document_control_number=dcn)
    return claim


@pytest.mark.parametrize("bill", ["011Q", "0117", "0118"])
def test_a_reopening_replacement_or_void_names_the_original_claim(bill):
    text = x837i.to_837i([_claim(bill, "21026000123456")], when=WHEN)
    assert "REF*F8*21026000123456" in core.segments(text)
    (clm,) = [s.split("*") for s in core.segments(text) if s.startswith("CLM*")]
    assert clm[5] == f"11:A:{bill[3]}"


def test_a_reopening_without_the_original_claim_number_is_refused():
    with pytest.raises(ClaimError, match="FL 64A: document control number is required"):
        x837i.to_837i([_claim("011Q", "")], when=WHEN)


def test_an_original_claim_sends_no_claim_number():
    text = x837i.to_837i([_claim("0111", "21026000123456")], when=WHEN)
    assert not any(s.startswith("REF*F8") for s in core.segments(text))
