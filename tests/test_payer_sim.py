"""The payer simulator: every adjudication path, balancing, and coordination of benefits."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medbill_lab import claims
from medbill_lab.claims import ServiceLine
from medbill_lab.payer_sim import PayerPolicy, Rejection, adjudicate, adjudicate_secondary, remit
from medbill_lab.remittance import RemitClaim

CLAIMS = Path(__file__).resolve().parents[1] / "datasets" / "claims"
D = Decimal


def load(name: str) -> claims.Claim:
    return claims.load(CLAIMS / name)


def carcs(line) -> list[tuple[str, str]]:
    return [(a.group, a.carc) for a in line.adjustments]


def priced(claim, policy) -> RemitClaim:
    result = adjudicate(claim, policy)
    assert isinstance(result, RemitClaim), result
    assert result.balances()
    return result


def test_allowed_deductible_copay_coinsurance() -> None:
    claim = load("clean-01-htn-hld-followup.json")  # 99214 195, 36415 15, 80061 45
    policy = PayerPolicy(
        allowed={"99214": D("110"), "36415": D("10"), "80061": D("30")},
        deductible_remaining=D("50"),
        copay_em=D("20"),
        coinsurance=D("0.20"),
    )
    result = priced(claim, policy)
    em = result.lines[0]
    assert em.allowed == D("110")
    assert [(a.group, a.carc, a.amount) for a in em.adjustments] == [
        ("CO", "45", D("85")),
        ("PR", "1", D("50")),
        ("PR", "3", D("20")),
        ("PR", "2", D("8.00")),
    ]
    assert em.paid == D("32.00")
    assert carcs(result.lines[1]) == [("CO", "45"), ("PR", "2")]  # deductible already met
    assert result.status == "1"
    assert result.patient_responsibility == D("50") + D("20") + D("8") + D("2") + D("6")


def test_non_covered_and_prior_auth() -> None:
    claim = load("clean-04-knee-injection.json")  # 99213-25, 20610-RT, J1030
    policy = PayerPolicy(non_covered=frozenset({"J1030"}), prior_auth=frozenset({"20610"}))
    result = priced(claim, policy)
    assert carcs(result.lines[1]) == [("CO", "197")] and result.lines[1].remarks == ["M62"]
    assert carcs(result.lines[2]) == [("CO", "96")] and result.lines[2].remarks == ["N130"]
    assert result.lines[1].paid == result.lines[2].paid == 0
    authorized = dataclasses.replace(claim, prior_authorization="PA123456")
    assert priced(authorized, policy).lines[1].paid > 0


def test_ncci_column2_without_bypass_is_bundled() -> None:
    claim = load("clean-07-physical-therapy.json")
    day = claim.lines[0].date_from
    lines = [
        ServiceLine(day, "97530", D("120")),
        ServiceLine(day, "97140", D("90")),
    ]
    result = priced(dataclasses.replace(claim, lines=lines, total_charge=None), PayerPolicy())
    assert carcs(result.lines[1]) == [("CO", "97")] and result.lines[1].remarks == ["M15"]
    assert result.lines[0].paid > 0
    lines[1] = ServiceLine(day, "97140", D("90"), modifiers=["59"])
    bypassed = priced(dataclasses.replace(claim, lines=lines, total_charge=None), PayerPolicy())
    assert bypassed.lines[1].paid > 0


def test_timely_filing_and_terminated_coverage_deny_the_claim() -> None:
    claim = load("clean-02-strep-child.json")
    late = priced(claim, PayerPolicy(timely_filing_days=1))
    assert late.status == "4" and late.paid == 0
    assert all(carcs(ln) == [("CO", "29")] for ln in late.lines)
    ended = claim.lines[0].date_from - dt.timedelta(days=1)
    terminated = priced(claim, PayerPolicy(terminated_on=ended))
    assert terminated.status == "4" and terminated.patient_responsibility == 0
    assert all(carcs(ln) == [("CO", "27")] for ln in terminated.lines)


def test_front_end_rejections() -> None:
    bad_id = dataclasses.replace(load("clean-02-strep-child.json"), insured_id="12")
    result = adjudicate(bad_id, PayerPolicy())
    assert isinstance(result, Rejection)
    assert result.status_codes == ("A7:164:IL",) and "1a" in result.reason
    bad_dx = adjudicate(load("edit-icd-invalid-header.json"), PayerPolicy())
    assert isinstance(bad_dx, Rejection) and bad_dx.status_codes == ("A7:255",)
    assert "21A" in bad_dx.reason


def test_every_clean_claim_balances() -> None:
    policy = PayerPolicy(deductible_remaining=D("40"), copay_em=D("25"))
    for path in sorted(CLAIMS.glob("clean-*")):
        result = priced(claims.load(path), policy)
        assert all(line.balances() for line in result.lines), path.name


def test_secondary_pays_at_most_the_remaining_patient_share() -> None:
    claim = load("clean-01-htn-hld-followup.json")
    primary = priced(claim, PayerPolicy(deductible_remaining=D("100"), copay_em=D("20")))
    secondary = adjudicate_secondary(claim, primary, PayerPolicy(allowed_percent=D("0.5")))
    assert secondary.status == "2" and secondary.balances()
    assert 0 < secondary.paid <= primary.patient_responsibility
    for first, second in zip(primary.lines, secondary.lines, strict=True):
        owed = sum(a.amount for a in first.adjustments if a.group == "PR")
        assert second.paid <= owed
        assert second.paid <= max(D(0), second.allowed - first.paid)
        if first.paid:
            assert ("OA", "23") in carcs(second)
    assert secondary.patient_responsibility == primary.patient_responsibility - secondary.paid


def test_remit_is_balanced_and_leaves_out_rejections() -> None:
    good, bad = load("clean-01-htn-hld-followup.json"), load("edit-icd-invalid-header.json")
    results = [(c, adjudicate(c, PayerPolicy())) for c in (good, bad)]
    payment = remit(results, good.payer, good.billing_provider, "EFT1", dt.date(2026, 1, 5))
    assert payment.balances() and len(payment.claims) == 1
    assert payment.payment == payment.claims[0].paid and payment.method == "ACH"
    again = remit(results, good.payer, good.billing_provider, "EFT1", dt.date(2026, 1, 5))
    assert again == payment


money = st.decimals(min_value=D("0.01"), max_value=D("5000"), places=2)
share = st.decimals(min_value=D("0"), max_value=D("1"), places=2)


@settings(max_examples=60, deadline=None)
@given(
    charges=st.lists(money, min_size=1, max_size=4),
    fee=money,
    deductible=st.decimals(min_value=D("0"), max_value=D("3000"), places=2),
    coinsurance=share,
    copay=st.decimals(min_value=D("0"), max_value=D("100"), places=2),
    percent=share,
)
def test_balancing_property(charges, fee, deductible, coinsurance, copay, percent) -> None:
    base = load("clean-02-strep-child.json")
    day = base.lines[0].date_from
    codes = ["99213", "87880", "36415", "80061"]
    lines = [ServiceLine(day, codes[i], c) for i, c in enumerate(charges)]
    claim = dataclasses.replace(base, lines=lines, total_charge=None)
    policy = PayerPolicy(
        allowed={"99213": fee},
        allowed_percent=percent,
        deductible_remaining=deductible,
        coinsurance=coinsurance,
        copay_em=copay,
    )
    result = priced(claim, policy)
    for line in result.lines:
        assert line.charge == line.paid + sum(a.amount for a in line.adjustments)
        assert line.paid >= 0 and all(a.amount >= 0 for a in line.adjustments)
    pr = sum(a.amount for a in result.all_adjustments() if a.group == "PR")
    assert result.patient_responsibility == pr
    assert result.charge == result.paid + sum(a.amount for a in result.all_adjustments())
    assert sum(a.amount for a in result.all_adjustments() if a.carc == "1") <= deductible
    secondary = adjudicate_secondary(claim, result, PayerPolicy(allowed_percent=percent))
    assert secondary.balances() and secondary.paid <= result.patient_responsibility


def test_secondary_needs_matching_lines() -> None:
    claim = load("clean-02-strep-child.json")
    primary = priced(claim, PayerPolicy())
    primary.lines.pop()
    with pytest.raises(ValueError, match="one line per claim line"):
        adjudicate_secondary(claim, primary, PayerPolicy())
