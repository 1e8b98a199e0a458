"""The teaching payer on the facility side (issue 16 part 6): an inpatient UB-04 paid by
MS-DRG, an outpatient one by the teaching fee schedule, both on 835s that pyx12 accepts,
that balance, that `x12 read` reads to the same amounts, and that the poster posts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from medbill_lab.claims import institutional as inst
from medbill_lab.codes import drg
from medbill_lab.payer import facility
from medbill_lab.payer.drg_payment import TEACHING_BASE_RATE
from medbill_lab.payer.remittance import Adjustment
from medbill_lab.payer.simulator import PayerPolicy, Rejection
from medbill_lab.practice import db as practice_db
from medbill_lab.practice import posting
from medbill_lab.practice.db import Charge, ClaimRecord, WorkItem
from medbill_lab.practice.facility import submit_institutional
from medbill_lab.x12 import core, x835
from medbill_lab.x12.reading import read_file

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "datasets" / "claims"
TODAY = dt.date(2026, 4, 1)
PAID_ON = dt.date(2026, 4, 10)
MEDICARE = PayerPolicy(name="Medicare Part A", payer_id="MBL01", plan_type="medicare")
COMMERCIAL = PayerPolicy(
    name="Prairie Mutual",
    payer_id="MBL11",
    deductible_remaining=Decimal("500.00"),
    coinsurance=Decimal("0.20"),
)


def _data(name: str) -> dict:
    return inst.read_data(SAMPLES / name)


def _pneumonia(secondaries: list[dict], **changes: object) -> inst.InstitutionalClaim:
    """The sample pneumonia stay (J18.9, 4 days, $9,457.40) with these secondary diagnoses."""
    return inst.from_dict(
        {**_data("ub04-clean-01-pneumonia.json"), "other_diagnoses": secondaries, **changes}
    )


def _er_with_unpriced_lines() -> inst.InstitutionalClaim:
    """The sample ER visit plus three lines: an X-ray revenue code without its HCPCS, a
    procedure the schedule does not price, and pharmacy priced at a percent of the charge."""
    data = _data("ub04-clean-03-er-outpatient.json")
    day = data["statement_from"]
    data["lines"] = data["lines"] + [
        {"revenue_code": "0320", "service_date": day, "total_charge": "150.00"},
        {"revenue_code": "0360", "hcpcs": "27447", "service_date": day, "total_charge": "900.00"},
        {"revenue_code": "0250", "service_date": day, "total_charge": "50.00"},
    ]
    data["total_charge"] = "3295.00"
    return inst.from_dict(data)


def _pay(claim: inst.InstitutionalClaim, policy: PayerPolicy) -> facility.FacilityResult:
    result = facility.adjudicate_facility(claim, policy, today=TODAY)
    assert isinstance(result, facility.FacilityResult), result
    assert result.claim.balances()
    return result


def _remit(claim: inst.InstitutionalClaim, result: facility.FacilityResult, payer_id: str):
    return facility.remit_facility(
        [result],
        payer_name="MedBill Lab Payer",
        payer_id=payer_id,
        payee=claim.billing_provider,
        trace_number=f"EFT{claim.patient_control_number}",
        paid_on=PAID_ON,
    )


def _segments(text: str, seg_id: str) -> list[list[str]]:
    return [s.split("*") for s in core.segments(text) if s.split("*")[0] == seg_id]


# -- inpatient: paid by MS-DRG --------------------------------------------------------------------
def test_a_cc_or_an_mcc_groups_higher_and_pays_more() -> None:
    plain = _pay(_pneumonia([]), MEDICARE)
    cc = _pay(_pneumonia([{"code": "N17.9", "poa": "Y"}]), MEDICARE)
    mcc = _pay(_pneumonia([{"code": "J96.01", "poa": "Y"}]), MEDICARE)
    assert [r.claim.drg for r in (plain, cc, mcc)] == ["195", "194", "193"]
    assert plain.claim.paid < cc.claim.paid < mcc.claim.paid
    table = drg.table("43")
    for result in (plain, cc, mcc):
        weight = table[result.claim.drg].weight
        assert result.claim.drg_weight == weight
        assert result.payment is not None
        assert result.payment.amount == (TEACHING_BASE_RATE * weight).quantize(Decimal("0.01"))
        # the whole stay is one claim-level payment: no service lines
        assert result.claim.lines == []
        assert result.claim.inpatient.drg_amount == result.payment.amount


def test_a_cc_not_present_on_admission_still_counts_unless_a_hac() -> None:
    """E87.1 with POA N is a CC and no HAC: it still moves pneumonia to DRG 194.  A stage 4
    pressure ulcer (an MCC) present on admission pays DRG 193; acquired in the hospital
    (POA N, HAC 04) its MCC is not counted and the stay pays DRG 195."""
    result = _pay(_pneumonia([{"code": "E87.1", "poa": "N"}]), MEDICARE)
    assert result.claim.drg == "194"
    present = _pay(_pneumonia([{"code": "L89.154", "poa": "Y"}]), MEDICARE)
    acquired = _pay(_pneumonia([{"code": "L89.154", "poa": "N"}]), MEDICARE)
    assert (present.claim.drg, acquired.claim.drg) == ("193", "195")
    assert acquired.claim.paid < present.claim.paid


def test_medicare_takes_the_teaching_part_a_deductible_once_and_no_coinsurance() -> None:
    result = _pay(_pneumonia([{"code": "N17.9", "poa": "Y"}]), MEDICARE)
    claim = result.claim
    allowed = Decimal("4835.40")  # 6,000 x 0.8059
    assert claim.adjustments == [
        Adjustment("CO", "45", Decimal("9457.40") - allowed),
        Adjustment("PR", "1", facility.TEACHING_PART_A_DEDUCTIBLE),
    ]
    assert claim.paid == allowed - facility.TEACHING_PART_A_DEDUCTIBLE
    assert claim.patient_responsibility == facility.TEACHING_PART_A_DEDUCTIBLE
    assert claim.filing_indicator == "MA"
    notes = " ".join(result.notes)
    assert "teaching figure" in notes and "cost outliers" in notes and "IME" in notes


def test_a_commercial_plan_takes_its_deductible_and_coinsurance() -> None:
    claim = _pneumonia([{"code": "N17.9", "poa": "Y"}])
    claim.payers[0].filing_indicator = "CI"
    result = _pay(claim, COMMERCIAL).claim
    allowed = Decimal("4835.40")
    coinsurance = ((allowed - 500) * Decimal("0.20")).quantize(Decimal("0.01"))
    assert [(a.group, a.carc, a.amount) for a in result.adjustments] == [
        ("CO", "45", Decimal("9457.40") - allowed),
        ("PR", "1", Decimal("500.00")),
        ("PR", "2", coinsurance),
    ]
    assert result.paid == allowed - 500 - coinsurance


def test_a_transfer_says_the_per_diem_policy_was_left_out() -> None:
    def notes(status: str, secondaries: list[dict]) -> str:
        return " ".join(_pay(_pneumonia(secondaries, discharge_status=status), MEDICARE).notes)

    assert "412.4(b)" in notes("02", [])  # acute transfer: any DRG
    assert "412.4(c)" in notes("03", [{"code": "N17.9", "poa": "Y"}])  # DRG 194 is post-acute
    assert "412.4" not in notes("01", [{"code": "N17.9", "poa": "Y"}])  # home: no transfer


def test_the_allowed_amount_never_exceeds_the_charges() -> None:
    lines = [{"revenue_code": "0120", "units": "4", "total_charge": "3000.00"}]
    claim = _pneumonia([{"code": "J96.01", "poa": "Y"}], lines=lines, total_charge="3000.00")
    result = _pay(claim, MEDICARE)
    assert result.payment is not None and result.payment.amount > Decimal("3000.00")
    assert not any(a.carc == "45" for a in result.claim.adjustments)
    assert result.claim.paid == Decimal("3000.00") - facility.TEACHING_PART_A_DEDUCTIBLE
    assert any("lesser of" in note for note in result.notes)


def test_the_inpatient_835_is_valid_balances_and_reads_back() -> None:
    claim = _pneumonia([{"code": "N17.9", "poa": "Y"}])
    remittance = _remit(claim, _pay(claim, MEDICARE), "MBL01")
    text = x835.to_835(remittance)
    assert core.validate(text).ok
    (clp,) = _segments(text, "CLP")
    assert clp[8:13] == ["11", "1", "", "194", "0.8059"]  # facility, frequency, DRG, weight
    (mia,) = _segments(text, "MIA")
    assert mia[1] == "4" and Decimal(mia[4]) == Decimal("4835.40")  # covered days, DRG amount
    assert (mia[2], mia[6], mia[18]) == ("0", "0", "0")  # no outlier, DSH or IME paid
    assert _segments(text, "SVC") == []
    read = read_file(text)
    assert read["diagnostics"] == []  # pyx12 aside, x12 read finds it balanced
    (got,) = read["transactions"][0]["claims"]
    assert Decimal(got["charge"]) == Decimal("9457.40")
    assert Decimal(got["paid"]) == remittance.claims[0].paid
    assert Decimal(got["patient_responsibility"]) == facility.TEACHING_PART_A_DEDUCTIBLE
    assert x835.parse_835(text) == [remittance]
    # the balance check can fail: a claim paid a cent more than its CAS allow is flagged
    paid = core.amount(remittance.claims[0].paid)
    tampered = text.replace(f"*9457.4*{paid}*", f"*9457.4*{paid}1*", 1)
    assert tampered != text and read_file(tampered)["diagnostics"]


def test_a_stay_the_grouper_refuses_is_rejected_not_paid() -> None:
    bad = facility.adjudicate_facility(
        inst.load(SAMPLES / "ub04-edit-pdx-unacceptable.json"), MEDICARE, today=TODAY
    )
    assert isinstance(bad, Rejection) and bad.reason.startswith("FL ")
    claim = _pneumonia([])
    claim.payers[0].insured_id = "!"
    member = facility.adjudicate_facility(claim, MEDICARE, today=TODAY)
    assert isinstance(member, Rejection) and "FL 60" in member.reason
    # a rejection goes back on a 277CA that pyx12 accepts, with the stay's member, total, dates
    text = x835.to_277ca([bad])
    assert core.validate(text).ok
    (stc,) = _segments(text, "STC")[2:]
    assert stc[1] == "A7:21" and Decimal(stc[4]) == bad.claim.line_total()
    (dtp,) = [d for d in _segments(text, "DTP") if d[1] == "472"]
    assert dtp[3] == f"{bad.claim.statement_from:%Y%m%d}-{bad.claim.statement_through:%Y%m%d}"


def test_a_type_of_bill_the_payer_does_not_model_is_refused_in_one_line() -> None:
    """A skilled nursing stay (021x) is not paid by MS-DRG, nor a swing bed (018x) by the
    outpatient schedule: the simulator says so rather than price it wrongly."""
    for bill in ("0211", "0181", "0831"):
        with pytest.raises(ValueError, match=f"^FL 4: type of bill {bill}: .*does not model"):
            facility.adjudicate_facility(_pneumonia([], type_of_bill=bill), MEDICARE, today=TODAY)
    inpatient_part_b = _er_with_unpriced_lines()
    inpatient_part_b.type_of_bill = "0121"
    assert _pay(inpatient_part_b, COMMERCIAL).claim.lines  # priced line by line


def test_a_claim_sent_after_the_filing_limit_is_denied_whole() -> None:
    claim = _pneumonia([])
    claim.submitted_on = None
    result = facility.adjudicate_facility(claim, MEDICARE, today=dt.date(2027, 6, 1))
    assert isinstance(result, facility.FacilityResult)
    assert result.claim.status == "4" and result.claim.paid == 0
    assert result.claim.adjustments == [Adjustment("CO", "29", Decimal("9457.40"))]


# -- outpatient: priced line by line -------------------------------------------------------------
def test_outpatient_lines_are_priced_from_the_schedule_and_unpriced_lines_denied() -> None:
    result = _pay(_er_with_unpriced_lines(), COMMERCIAL)
    lines = result.claim.lines
    assert [(ln.qualifier, ln.code, ln.revenue_code) for ln in lines[:1] + lines[5:]] == [
        ("HC", "99284", "0450"),
        ("NU", "0320", "0320"),
        ("HC", "27447", "0360"),
        ("NU", "0250", "0250"),
    ]
    assert lines[0].allowed == Decimal("480.00")  # 0450 + 99284 on the schedule
    assert lines[6].allowed is None  # 27447: no fee
    no_hcpcs, not_priced, pharmacy = lines[5], lines[6], lines[7]
    assert (no_hcpcs.paid, no_hcpcs.adjustments, no_hcpcs.remarks) == (
        0,
        [Adjustment("CO", "16", Decimal("150.00"))],
        ["M20"],
    )
    assert (not_priced.paid, not_priced.adjustments, not_priced.remarks) == (
        0,
        [Adjustment("CO", "96", Decimal("900.00"))],
        ["N130"],
    )
    assert pharmacy.allowed == Decimal("20.00")  # 40% of the charge
    assert result.claim.status == "1"
    assert result.claim.facility_code == "13"
    notes = "\n".join(result.notes)
    assert "0320: denied CO-16 with M20" in notes and "FL 44" in notes
    assert "0360 27447: denied CO-96 with N130" in notes and "not OPPS" in notes


def test_the_outpatient_835_is_valid_balances_and_reads_back() -> None:
    claim = _er_with_unpriced_lines()
    remittance = _remit(claim, _pay(claim, COMMERCIAL), "MBL11")
    text = x835.to_835(remittance)
    assert core.validate(text).ok
    svc = _segments(text, "SVC")
    assert svc[0][1:5] == ["HC:99284", "1450", "0", "0450"]  # the deductible took it all
    assert svc[5][1] == "NU:0320" and len(svc[5]) == 4  # no SVC04 beside an NU code
    read = read_file(text)
    assert read["diagnostics"] == []
    (got,) = read["transactions"][0]["claims"]
    assert Decimal(got["paid"]) == remittance.claims[0].paid
    assert [Decimal(s["paid"]) for s in got["services"]] == [
        ln.paid for ln in remittance.claims[0].lines
    ]
    assert x835.parse_835(text) == [remittance]


def test_an_outpatient_claim_with_no_priced_line_is_denied() -> None:
    data = _data("ub04-clean-03-er-outpatient.json")
    data["lines"] = [{**data["lines"][0], "hcpcs": "27447"}]
    data["total_charge"] = data["lines"][0]["total_charge"]
    result = _pay(inst.from_dict(data), COMMERCIAL)
    assert result.claim.status == "4" and result.claim.paid == 0


# -- posting --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def practice(tmp_path_factory):
    """A practice database with one facility provider, two payers and two insured patients."""
    engine = practice_db.init_db(tmp_path_factory.mktemp("facility") / "practice.db")
    factory = practice_db.sessionmaker(engine, expire_on_commit=False)
    address = {"street": "1 Main St", "city": "Harlow", "state": "IL", "zip": "62901"}
    with factory() as session, session.begin():
        session.add(
            practice_db.Practice(
                name="Harlow Community Hospital", npi="1047534783", tax_id="364417205", **address
            )
        )
        provider = practice_db.Provider(last="Brandt", first="Tobias", npi="1538659792")
        payers = [
            practice_db.Payer(name="Medicare Part A", payer_id="MBL01", program="medicare", filing_indicator="MA", timely_filing_days=365),
            practice_db.Payer(name="Prairie Mutual", payer_id="MBL11", program="group", filing_indicator="CI", timely_filing_days=90),
        ]  # fmt: skip
        session.add_all([provider, *payers])
        session.flush()
        ids = {}
        for n, (payer, member) in enumerate(
            zip(payers, ["1EG4TE5MK73", "PMI-4410982"], strict=True), 1
        ):
            patient = practice_db.Patient(
                account=f"F{n}",
                last="Doe",
                first="Pat",
                dob=dt.date(1955, 1, 1),
                sex="M",
                **address,
            )
            session.add(patient)
            session.flush()
            session.add(
                practice_db.InsurancePolicy(
                    patient_id=patient.id,
                    payer_id=payer.id,
                    priority=1,
                    member_id=member,
                    effective_date=dt.date(2020, 1, 1),
                )
            )
            ids[payer.payer_id] = patient.id
        ids["provider"] = provider.id
    return factory, ids


def _post(practice, claim: inst.InstitutionalClaim, policy: PayerPolicy):
    factory, ids = practice
    with factory() as session:
        record = submit_institutional(
            session,
            claim,
            patient_id=ids[policy.payer_id],
            provider_id=ids["provider"],
            when=dt.datetime(2026, 3, 20, 9, 0),
        )
    result = _pay(claim, policy)
    text = x835.to_835(_remit(claim, result, policy.payer_id))
    (remittance,) = x835.parse_835(text)  # post what the file says
    with factory() as session:
        posted = posting.post_remittance(session, remittance)
    return record.id, result, posted


def _balances(factory, claim_id: int) -> tuple[str, list[Decimal], Decimal]:
    with factory() as session:
        record = session.get(ClaimRecord, claim_id)
        charges = session.scalars(
            select(Charge).where(Charge.encounter_id == record.encounter_id)
        ).all()
        insurer = [posting.line_balance(session, c.id) for c in charges]
        patient = sum((posting.patient_balance(session, c.id) for c in charges), Decimal(0))
        return record.status, insurer, patient


def test_posting_an_inpatient_drg_835_leaves_only_the_patients_deductible(practice) -> None:
    claim = _pneumonia([{"code": "N17.9", "poa": "Y"}])
    claim_id, result, posted = _post(practice, claim, MEDICARE)
    assert posted.claims_posted == 1 and posted.work_items == 0
    status, insurer, patient = _balances(practice[0], claim_id)
    assert status == "paid"
    assert insurer == [0] * len(claim.lines)  # every revenue line balanced
    assert patient == facility.TEACHING_PART_A_DEDUCTIBLE
    with practice[0]() as session:
        paid = session.scalars(
            select(practice_db.Payment).where(practice_db.Payment.claim_id == claim_id)
        ).all()
        assert sum(p.amount for p in paid) == result.claim.paid


def test_posting_an_outpatient_835_posts_the_denials_to_the_work_queue(practice) -> None:
    claim = _er_with_unpriced_lines()
    claim_id, result, posted = _post(practice, claim, COMMERCIAL)
    assert posted.claims_posted == 1 and posted.lines_posted == len(claim.lines)
    status, insurer, patient = _balances(practice[0], claim_id)
    assert status == "partially paid"
    assert insurer == [0] * len(claim.lines)  # the denials are CO write-offs, not open
    assert patient == result.claim.patient_responsibility
    with practice[0]() as session:
        items = session.scalars(select(WorkItem).where(WorkItem.claim_id == claim_id)).all()
        assert sorted((i.kind, i.carc) for i in items) == [("denial", "16"), ("denial", "96")]


def test_posting_a_denied_inpatient_claim_writes_it_off_and_queues_it(practice) -> None:
    claim = _pneumonia([], patient_control_number="HCH26039999")
    claim.submitted_on = dt.date(2027, 6, 1)  # past the 365-day filing limit
    claim_id, result, _ = _post(practice, claim, MEDICARE)
    assert result.claim.status == "4"
    status, insurer, patient = _balances(practice[0], claim_id)
    assert (status, insurer, patient) == ("denied", [0] * len(claim.lines), 0)
    with practice[0]() as session:
        items = session.scalars(select(WorkItem).where(WorkItem.claim_id == claim_id)).all()
        assert [(i.kind, i.carc) for i in items] == [("denial", "29")]
