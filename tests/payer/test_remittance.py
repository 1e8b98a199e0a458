"""The remittance model's balancing rules (ASC X12 835 5010): per line and per claim,
charge - adjustments = paid; per remittance, BPR02 = claim payments - PLB amounts;
and the 5010 CAS group codes."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from medbill_lab.payer import remittance as era


def _line(charge="125.00", paid="80.00", *adjustments: tuple[str, str, str]) -> era.RemitLine:
    adj = [era.Adjustment(g, c, D(a)) for g, c, a in adjustments]
    return era.RemitLine("99213", D(charge), D(paid), adjustments=adj)


def _claim(
    *lines: era.RemitLine, status="1", claim_adj=(), paid=None, charge=None
) -> era.RemitClaim:
    adj = [era.Adjustment(g, c, D(a)) for g, c, a in claim_adj]
    charge = sum((ln.charge for ln in lines), D(0)) if charge is None else D(charge)
    paid = sum((ln.paid for ln in lines), D(0)) if paid is None else D(paid)
    pr = sum(
        (a.amount for a in [*adj, *(x for ln in lines for x in ln.adjustments)] if a.group == "PR"),
        D(0),
    )
    return era.RemitClaim("ACC1", status, charge, paid, pr, "CI", "PCN1", adjustments=adj, lines=list(lines))  # fmt: skip


def _remit(*claims: era.RemitClaim, payment=None, plb=()) -> era.Remittance:
    plbs = [era.ProviderAdjustment(r, ref, D(a)) for r, ref, a in plb]
    if payment is None:
        payment = sum((c.paid for c in claims), D(0)) - sum((p.amount for p in plbs), D(0))
    return era.Remittance(
        "TRN1",
        "Payer",
        "P1",
        "Practice",
        "1234567893",
        D(payment),
        claims=list(claims),
        provider_adjustments=plbs,
    )


BALANCED = _line("125.00", "80.00", ("CO", "45", "25.00"), ("PR", "2", "20.00"))


def test_a_line_balances_when_charge_less_adjustments_is_paid() -> None:
    assert BALANCED.balances()
    assert _line("125.00", "125.00").balances()  # paid in full, no CAS
    assert _line("125.00", "0.00", ("CO", "50", "125.00")).balances()  # denied whole


@pytest.mark.parametrize(
    "line",
    [
        _line("125.00", "80.00", ("CO", "45", "25.00")),  # 20.00 unexplained
        _line("125.00", "80.01", ("CO", "45", "25.00"), ("PR", "2", "20.00")),  # a cent over
        _line("125.00", "80.00"),  # reduced with no CAS at all
    ],
)
def test_an_unbalanced_line_does_not_balance(line: era.RemitLine) -> None:
    assert not line.balances()


def test_a_claim_needs_every_line_to_balance_even_when_its_totals_do() -> None:
    line = _line("125.00", "80.00", ("CO", "45", "25.00"))
    claim = _claim(line, claim_adj=[("PR", "2", "20.00")], paid="80.00")
    assert not line.balances()  # the line alone is 20.00 short ...
    assert [a.carc for a in claim.all_adjustments()] == ["2", "45"]  # claim level first
    assert not claim.balances()  # ... and a claim balances only when every line does


def test_a_claim_balances_when_its_lines_do_and_the_totals_agree() -> None:
    second = _line("40.00", "32.00", ("PR", "2", "8.00"))
    assert _claim(BALANCED, second).balances()
    assert not _claim(BALANCED, second, paid="111.99").balances()  # CLP04 off by a cent
    assert not _claim(BALANCED, second, charge="166.00").balances()  # CLP03 off by a dollar


def test_a_reversal_balances_with_everything_negated() -> None:
    negated = _line("-125.00", "-80.00", ("CO", "45", "-25.00"), ("PR", "2", "-20.00"))
    assert _claim(negated, status="22").balances()


def test_the_payment_is_claim_payments_less_provider_adjustments() -> None:
    claim = _claim(BALANCED)
    assert _remit(claim).balances()
    # PLB interest (L6) is negative: it raises the payment; a recovery (WO) lowers it
    assert _remit(claim, payment="82.50", plb=[("L6", "INT", "-2.50")]).balances()
    assert _remit(claim, payment="70.00", plb=[("WO", "PCN0", "10.00")]).balances()
    assert not _remit(claim, payment="80.00", plb=[("WO", "PCN0", "10.00")]).balances()
    assert not _remit(claim, payment="80.01").balances()


def test_a_remittance_with_an_unbalanced_claim_does_not_balance() -> None:
    bad = _claim(_line("125.00", "80.00", ("CO", "45", "25.00")))  # line 20.00 short
    assert not _remit(_claim(BALANCED), bad).balances()


@pytest.mark.parametrize("group", ["CO", "PR", "OA", "PI"])
def test_the_four_5010_group_codes_are_valid(group: str) -> None:
    assert era.group_code_problem(group) == ""


def test_retired_and_unknown_group_codes_are_explained() -> None:
    assert "retired" in era.group_code_problem("CR") and "CLP02 22" in era.group_code_problem("CR")
    assert "not a claim adjustment group code" in era.group_code_problem("XX")
    assert era.group_code_problem("co") != ""  # case matters in X12
