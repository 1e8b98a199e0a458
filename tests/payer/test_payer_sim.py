"""The payer simulator: every adjudication path, balancing, and coordination of benefits."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medbill_lab.claims import model as claims
from medbill_lab.claims.model import ServiceLine
from medbill_lab.payer.remittance import RemitClaim
from medbill_lab.payer.simulator import (
    PayerPolicy,
    Rejection,
    adjudicate,
    adjudicate_secondary,
    remit,
)

CLAIMS = Path(__file__).resolve().parents[2] / "datasets" / "claims"
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
        copay_and_coinsurance=True,  # atypical: both on the E/M line
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


def test_by_default_the_copay_is_the_whole_share_of_its_line() -> None:
    claim = load("clean-01-htn-hld-followup.json")  # 99214 195, 36415 15, 80061 45
    policy = PayerPolicy(
        allowed={"99214": D("110"), "36415": D("10"), "80061": D("30")},
        copay_em=D("20"),
        coinsurance=D("0.20"),
    )
    result = priced(claim, policy)
    em, draw, lipid = result.lines
    assert [(a.group, a.carc, a.amount) for a in em.adjustments] == [
        ("CO", "45", D("85")),
        ("PR", "3", D("20")),
    ]
    assert em.paid == D("90")  # 110 allowed - 20 copay, no coinsurance on top
    assert carcs(draw) == carcs(lipid) == [("CO", "45"), ("PR", "2")]  # the labs: 20 %
    assert lipid.paid == D("24.00") and result.patient_responsibility == D("20") + D("2") + D("6")
    both = priced(claim, dataclasses.replace(policy, copay_and_coinsurance=True))
    assert both.lines[0].paid == D("72.00")  # 20 copay and 20 % of the other 90


def test_non_covered_and_prior_auth() -> None:
    claim = load("clean-04-knee-injection.json")  # 99213-25, 20610-RT, J1030
    policy = PayerPolicy(non_covered=frozenset({"J1030"}), prior_auth=frozenset({"20610"}))
    result = priced(claim, policy)
    # no authorization: the provider's failure, the contract bars billing the patient
    assert carcs(result.lines[1]) == [("CO", "197")] and result.lines[1].remarks == ["M62"]
    # a plan exclusion: the patient's to pay (PR-204 with N130), not a write-off
    assert carcs(result.lines[2]) == [("PR", "204")] and result.lines[2].remarks == ["N130"]
    assert result.lines[1].paid == result.lines[2].paid == 0
    assert result.patient_responsibility >= result.lines[2].charge
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
    both=st.booleans(),
    method=st.sampled_from(["lesser_of", "standard", "non_duplication"]),
    preventive=st.booleans(),
)
def test_balancing_property(
    charges, fee, deductible, coinsurance, copay, percent, both, method, preventive
) -> None:
    base = load("clean-02-strep-child.json")
    day = base.lines[0].date_from
    codes = ["99213", "87880", "36415", "80061"]
    if preventive:  # a well visit and a vaccine: no cost sharing on those lines
        codes = ["99393", "90686", "36415", "99213"]
    lines = [ServiceLine(day, codes[i], c) for i, c in enumerate(charges)]
    claim = dataclasses.replace(base, lines=lines, total_charge=None)
    policy = PayerPolicy(
        allowed={"99213": fee},
        allowed_percent=percent,
        deductible_remaining=deductible,
        coinsurance=coinsurance,
        copay_em=copay,
        copay_and_coinsurance=both,
    )
    result = priced(claim, policy)
    for line in result.lines:
        assert line.charge == line.paid + sum(a.amount for a in line.adjustments)
        assert line.paid >= 0 and all(a.amount >= 0 for a in line.adjustments)
    pr = sum(a.amount for a in result.all_adjustments() if a.group == "PR")
    assert result.patient_responsibility == pr
    assert result.charge == result.paid + sum(a.amount for a in result.all_adjustments())
    assert sum(a.amount for a in result.all_adjustments() if a.carc == "1") <= deductible
    second_policy = PayerPolicy(
        allowed_percent=percent,
        secondary_method=method,
        deductible_remaining=deductible,
        coinsurance=coinsurance,
    )
    secondary = adjudicate_secondary(claim, result, second_policy)
    assert secondary.balances() and secondary.paid <= result.patient_responsibility
    for first, second in zip(result.lines, secondary.lines, strict=True):
        owed = sum(a.amount for a in first.adjustments if a.group == "PR")
        assert 0 <= second.paid <= owed and all(a.amount >= 0 for a in second.adjustments)


def test_secondary_needs_matching_lines() -> None:
    claim = load("clean-02-strep-child.json")
    primary = priced(claim, PayerPolicy())
    primary.lines.pop()
    with pytest.raises(ValueError, match="one line per claim line"):
        adjudicate_secondary(claim, primary, PayerPolicy())


# -- plan exclusions, preventive services, plan options, COB methods --------------------
EXCLUSIONS = [  # (claim, excluded code, plan)
    ("clean-01-htn-hld-followup.json", "80061", "commercial"),
    ("clean-04-knee-injection.json", "J1030", "commercial"),
    ("clean-07-physical-therapy.json", "97112", "medicaid"),
    ("clean-10-cerumen-removal.json", "69210", "medicare"),
]


@pytest.mark.parametrize("name,code,plan", EXCLUSIONS)
def test_a_plan_excluded_service_is_patient_responsibility(name, code, plan) -> None:
    claim = load(name)
    assert code in {ln.code for ln in claim.lines}
    policy = PayerPolicy(
        plan_type=plan, non_covered=frozenset({code}), deductible_remaining=D("30")
    )
    result = priced(claim, policy)
    for line in result.lines:
        if line.code == code:
            assert line.paid == 0 and line.remarks == ["N130"]
            assert [(a.group, a.carc, a.amount) for a in line.adjustments] == [
                ("PR", "204", line.charge)
            ]
        else:  # the other services are priced as usual
            assert ("CO", "204") not in carcs(line) and ("PR", "204") not in carcs(line)
    assert not any(a.group == "CO" and a.carc in ("96", "204") for a in result.all_adjustments())
    excluded = sum(ln.charge for ln in result.lines if ln.code == code)
    assert result.patient_responsibility >= excluded
    covered = priced(claim, PayerPolicy(plan_type=plan, deductible_remaining=D("30")))
    assert not any(a.carc == "204" for a in covered.all_adjustments())  # not excluded: priced


def test_a_claim_of_excluded_services_only_is_processed_not_denied() -> None:
    claim = load("clean-08-hand-laceration.json")
    codes = frozenset(ln.code for ln in claim.lines)
    result = priced(claim, PayerPolicy(non_covered=codes))
    assert result.paid == 0 and result.patient_responsibility == result.charge
    assert result.status == "1"  # processed: the patient owes all of it


def _one_line_claims(base: str, codes: list[str]) -> claims.Claim:
    claim = load(base)
    day = claim.lines[0].date_from
    lines = [ServiceLine(day, code, D("150")) for code in codes]
    return dataclasses.replace(claim, lines=lines, total_charge=None)


COST_SHARING = {"deductible_remaining": D("500"), "copay_em": D("30"), "coinsurance": D("0.2")}


@pytest.mark.parametrize("code", ["99385", "99396", "99391", "99401", "99404", "90686", "90471", "G0439"])  # fmt: skip
def test_preventive_services_have_no_cost_sharing_on_a_non_grandfathered_plan(code) -> None:
    claim = _one_line_claims("clean-06-preventive-adult.yaml", [code])
    line = priced(claim, PayerPolicy(allowed_percent=D("0.8"), **COST_SHARING)).lines[0]
    assert carcs(line) == [("CO", "45")] and line.paid == line.allowed == D("120.00")
    grandfathered = PayerPolicy(allowed_percent=D("0.8"), grandfathered=True, **COST_SHARING)
    charged = priced(claim, grandfathered).lines[0]
    assert ("PR", "1") in carcs(charged) and charged.paid < line.paid  # the deductible applies


def test_a_preventive_visit_leaves_the_copay_and_deductible_for_the_problem_visit() -> None:
    claim = load("clean-06-preventive-adult.yaml")
    day = claim.lines[0].date_from
    lines = [
        ServiceLine(day, "99396", D("240")),
        ServiceLine(day, "99213", D("125"), modifiers=["25"]),
    ]
    claim = dataclasses.replace(claim, lines=lines, total_charge=None)
    result = priced(
        claim, PayerPolicy(allowed_percent=D("0.8"), deductible_remaining=D("40"), copay_em=D("25"))
    )
    well, sick = result.lines
    assert carcs(well) == [("CO", "45")] and well.paid == D("192.00")
    assert carcs(sick) == [("CO", "45"), ("PR", "1"), ("PR", "3")]  # 40 deductible, 25 copay
    assert sick.paid == D("100.00") - D("40") - D("25")


def test_medicare_waives_part_b_cost_sharing_for_the_wellness_visit_and_flu_shot() -> None:
    claim = load("clean-05-annual-wellness-flu.json")  # G0439, 90662, G0008
    medicare = PayerPolicy(
        plan_type="medicare", deductible_remaining=D("283"), coinsurance=D("0.2")
    )
    result = priced(claim, medicare)
    assert all(carcs(ln) == [("CO", "45")] for ln in result.lines)
    assert result.patient_responsibility == 0
    others = _one_line_claims("clean-05-annual-wellness-flu.json", ["99214", "90750", "99396"])
    charged = priced(
        others, medicare
    )  # a sick visit; shingles and routine physicals: not Part B preventive
    assert all(("PR", "1") in carcs(ln) or ("PR", "2") in carcs(ln) for ln in charged.lines)
    medicaid = priced(claim, PayerPolicy(plan_type="medicaid", deductible_remaining=D("50")))
    assert medicaid.patient_responsibility > 0  # Medicaid's own rules are not modelled


def test_plan_options_come_from_the_payer_table_and_are_checked() -> None:
    from medbill_lab.payer.simulator import SECONDARY_METHODS, describe_plan, plan_options

    assert plan_options("MBL01")["plan_type"] == "medicare"
    assert plan_options("MBL04")["grandfathered"] is True
    assert all(
        plan_options(p)["secondary_method"] in SECONDARY_METHODS
        for p in ("MBL01", "MBL02", "MBL03", "MBL04")
    )
    assert plan_options("MBL99") == {}
    with pytest.raises(ValueError, match="secondary_method"):
        PayerPolicy(secondary_method="pro rata")
    with pytest.raises(ValueError, match="plan_type"):
        PayerPolicy(plan_type="hmo")
    both = describe_plan(PayerPolicy(copay_em=D("25"), copay_and_coinsurance=True))
    assert any("atypical: some plans apply both" in text for text in both)
    assert not any("atypical" in text for text in describe_plan(PayerPolicy(copay_em=D("25"))))


def _cob(method: str, deductible: str = "0") -> tuple[RemitClaim, RemitClaim]:
    """99214 charged $200.  Primary: allowed $150, deductible $50, 20 %: pays $80,
    CO-45 $50, the patient owes $70.  Secondary: allowed $160, 20 %, its deductible."""
    claim = _one_line_claims("clean-01-htn-hld-followup.json", ["99214"])
    claim.lines[0].charge = D("200")
    primary = priced(claim, PayerPolicy(allowed={"99214": D("150")}, deductible_remaining=D("50")))
    assert primary.paid == D("80") and primary.patient_responsibility == D("70")
    policy = PayerPolicy(
        allowed={"99214": D("160")}, deductible_remaining=D(deductible), secondary_method=method
    )
    secondary = adjudicate_secondary(claim, primary, policy)
    assert secondary.balances() and secondary.status == "2"
    return primary, secondary


@pytest.mark.parametrize(
    "method,deductible,paid",
    [
        # as primary it would pay 160 x 80 % = 128: the lesser of 128 and the 70 left
        ("standard", "0", "70"),
        # with its own $100 deductible it would pay (160 - 100) x 80 % = 48 < 70
        ("standard", "100", "48"),
        # 128 it would have paid - 80 the primary paid = 48
        ("non_duplication", "0", "48"),
        # 48 it would have paid - 80 the primary paid < 0: nothing
        ("non_duplication", "100", "0"),
        # its allowed 160 - 80 the primary paid = 80, at most the 70 left
        ("lesser_of", "0", "70"),
        ("lesser_of", "100", "70"),
    ],
)
def test_secondary_methods_by_hand(method, deductible, paid) -> None:
    _primary, secondary = _cob(method, deductible)
    line = secondary.lines[0]
    assert line.paid == D(paid)
    assert ("OA", "23", D("80")) in [(a.group, a.carc, a.amount) for a in line.adjustments]
    assert secondary.patient_responsibility == D("70") - D(paid)
