"""The revenue cycle end to end: submit, adjudicate, 835 round trip, posting, aging, CLI."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from medbill_lab.practice import cycle as rc
from medbill_lab.practice import db as practice_db
from medbill_lab.practice import posting
from medbill_lab.practice import synthetic as practice_gen
from medbill_lab.practice.db import (
    Charge,
    ClaimRecord,
    InsurancePolicy,
    Payer,
    Payment,
    WorkItem,
)
from medbill_lab.practice.db import Remittance as RemittanceRow
from medbill_lab.x12 import x835 as x12_835
from medbill_lab.x12 import x837p as x12_837p

pytestmark = pytest.mark.practice_db  # run again on PostgreSQL by ./run-tests

THROUGH = dt.date(2026, 10, 15)
AS_OF = dt.date(2026, 11, 1)


def _practice(path, seed: int = 1, patients: int = 8):
    engine = practice_db.init_db(path)
    factory = practice_db.sessionmaker(engine, expire_on_commit=False)
    with factory() as session:
        practice_gen.generate_practice(session, seed=seed, patients=patients)
    return factory


@pytest.fixture(scope="module")
def cycled(tmp_path_factory):
    """A practice (seed 1, 8 patients) after one full cycle; one member ID is malformed
    so that payer's front end rejects that patient's claims."""
    path = tmp_path_factory.mktemp("cycle")
    factory = _practice(path / "p.sqlite")
    with factory() as session, session.begin():
        policy = session.scalars(select(InsurancePolicy).order_by(InsurancePolicy.id)).first()
        policy.member_id = "X.1"  # sendable in an 837P, not in the payer format
        bad_account = policy.patient.account
    messages: list[str] = []
    with factory() as session:
        report = rc.run_cycle(
            session, through=THROUGH, progress=messages.append, output=path / "out"
        )
    return factory, report, messages, path / "out", bad_account


def test_policy_for_reads_fee_schedule_and_rules(tmp_path):
    factory = _practice(tmp_path / "p.sqlite", patients=0)
    with factory() as session:
        payer = session.scalars(select(Payer).where(Payer.payer_id == "MBL03")).one()
        policy = rc.policy_for(session, payer)
    assert policy.payer_id == "MBL03" and policy.timely_filing_days == 90
    assert policy.copay_em == Decimal("25.00") and policy.deductible_remaining == Decimal("1500.00")
    assert policy.coinsurance == Decimal("0.20")
    assert policy.non_covered == {"93000"} and policy.prior_auth == {"J3420"}
    fee = next(f for f in payer.fees if f.code == "99213")
    assert policy.allowed["99213"] == fee.allowed


def test_cycle_submits_adjudicates_and_posts(cycled):
    factory, report, messages, _, _ = cycled
    assert report.claims == report.encounters > 0
    assert report.rejected > 0
    assert report.paid > 0
    assert report.denied + report.partially_paid > 0
    assert report.remittances_posted >= 2
    assert report.rejected + report.paid + report.denied + report.partially_paid == report.claims
    with factory() as session:
        assert (
            session.scalar(select(func.count()).select_from(RemittanceRow))
            == report.remittances_posted
        )
        unclaimed = rc.unclaimed_encounters(session, THROUGH)
        assert unclaimed == []
    assert any(m.startswith("posted ") for m in messages)
    assert any(m == f"adjudicated {report.claims}/{report.claims} claims" for m in messages)


def test_rejected_claims_are_on_a_277ca_and_keep_their_balance(cycled):
    factory, report, _, _, bad_account = cycled
    acks = [t for name, t in report.files.items() if name.startswith("277CA-")]
    assert acks and all(x12_835.validate(t).ok for t in acks)
    assert any(f"TRN*2*{bad_account}~" in t for t in acks)
    with factory() as session:
        rejected = session.scalars(
            select(ClaimRecord).where(ClaimRecord.status == "rejected")
        ).all()
        assert {c.patient_account for c in rejected} == {bad_account}
        for claim in rejected:
            for charge in posting.session_charges(session, claim):
                assert posting.line_balance(session, charge.id) == charge.amount


def test_every_file_passes_pyx12(cycled):
    _, report, _, out, _ = cycled
    names = sorted(report.files)
    assert any(n.startswith("835-") for n in names) and any(n.startswith("837P-") for n in names)
    for name in names:
        assert (out / name).read_text() == report.files[name]
        verdict = x12_837p.validate_837p(report.files[name])
        assert verdict.ok, (name, verdict.errors[:3])


def test_posting_follows_the_835_file(cycled):
    factory, report, _, _, _ = cycled
    parsed = [
        r for n, t in report.files.items() if n.startswith("835-") for r in x12_835.parse_835(t)
    ]
    with factory() as session:
        for remit in parsed:
            row = session.scalars(
                select(RemittanceRow).where(RemittanceRow.trace_number == remit.trace_number)
            ).one()
            paid = session.scalar(
                select(func.sum(Payment.amount)).where(Payment.remittance_id == row.id)
            )
            assert row.total_paid == remit.payment == Decimal(paid or 0).quantize(Decimal("0.01"))


def test_money_invariants_after_the_cycle(cycled):
    factory, report, _, _, _ = cycled
    cent = Decimal("0.01")
    with factory() as session:
        insurance = patient = Decimal(0)
        for charge in session.scalars(select(Charge)):
            paid = sum(
                (
                    p.amount
                    for p in session.scalars(
                        select(Payment).where(
                            Payment.charge_id == charge.id, Payment.source == "payer"
                        )
                    )
                ),
                Decimal(0),
            )
            adjusted = sum(
                (
                    a.amount
                    for a in session.scalars(
                        select(practice_db.Adjustment).where(
                            practice_db.Adjustment.charge_id == charge.id
                        )
                    )
                ),
                Decimal(0),
            )
            balance = posting.line_balance(session, charge.id)
            assert charge.amount == (paid + adjusted + balance).quantize(cent)
            assert balance >= 0
            insurance += balance
            patient += posting.patient_balance(session, charge.id)
        ar = posting.accounts_receivable(session)
        assert (ar.insurance, ar.patient) == (insurance.quantize(cent), patient.quantize(cent))
        assert report.ar == ar
        adjudicated = select(ClaimRecord).where(ClaimRecord.status.in_(("paid", "denied")))
        for claim in session.scalars(adjudicated):  # fully answered: nothing left for the payer
            assert all(
                posting.line_balance(session, c.id) == 0
                for c in posting.session_charges(session, claim)
            )


def test_aging_buckets_sum_to_ar(cycled):
    factory, _, _, _, _ = cycled
    with factory() as session:
        report = rc.aging(session, AS_OF)
        ar = posting.accounts_receivable(session)
    assert report["basis"] == "date of service"
    assert sum(report["totals"]["insurance"].values()) == ar.insurance
    assert sum(report["totals"]["patient"].values()) == ar.patient
    assert report["total"] == ar.total > 0
    by_payer = sum((sum(row.values()) for row in report["insurance"].values()), Decimal(0))
    assert by_payer == ar.insurance
    assert any(name != rc.NO_CLAIM for name in report["insurance"])  # the rejected claims' payer
    table = rc.aging_table(report)
    assert "121+" in table and f"{ar.total:.2f}" in table


def test_a_second_cycle_has_nothing_new(cycled):
    factory, _, _, _, _ = cycled
    with factory() as session:
        again = rc.run_cycle(session, through=THROUGH)
    assert again.claims == 0 and again.remittances_posted == 0


def test_malformed_835_posts_nothing(cycled):
    factory, _, _, _, _ = cycled
    with factory() as session:
        before = session.scalar(select(func.count()).select_from(RemittanceRow))
        with pytest.raises(ValueError, match="ISA"):
            rc.post_835(session, "ISA*garbage~")
        assert session.scalar(select(func.count()).select_from(RemittanceRow)) == before


def test_bucket_edges():
    assert [rc.bucket(d) for d in (0, 30, 31, 60, 61, 90, 91, 120, 121)] == [
        "0-30", "0-30", "31-60", "31-60", "61-90", "61-90", "91-120", "91-120", "121+",
    ]  # fmt: skip


# -- the command line ------------------------------------------------------------------
@pytest.mark.sqlite_only
def test_cli_full_cycle(run_cli, tmp_path):
    db, out = str(tmp_path / "p.sqlite"), tmp_path / "out"
    assert run_cli("practice", "init", "--db", db).returncode == 0
    assert run_cli("practice", "generate", "--db", db, "--seed", "1", "--patients", "8").returncode == 0  # fmt: skip
    sub = run_cli("practice", "submit", "--db", db, "--out", str(out), "--through", str(THROUGH))
    assert sub.returncode == 0, sub.stderr
    assert "Submitted" in sub.stdout and "submitted" in sub.stderr
    files_837 = list(out.glob("837P-*.x12"))
    assert files_837 and x12_837p.validate_837p(files_837[0].read_text()).ok
    adj = run_cli("practice", "adjudicate", "--db", db, "--out", str(out), "--paid-on", "2026-10-20")  # fmt: skip
    assert adj.returncode == 0, adj.stderr
    eras = sorted(out.glob("835-*.x12"))
    assert eras
    for era in eras:
        post = run_cli("practice", "post", "--db", db, str(era))
        assert post.returncode == 0, post.stderr
        assert "posted" in post.stdout and "already posted" not in post.stdout
    again = run_cli("practice", "post", "--db", db, str(eras[0]))
    assert again.returncode == 0 and "already posted" in again.stdout

    # the next round bills the secondary payers, with the primary's payment on each claim
    out2 = tmp_path / "round2"
    sub2 = run_cli("practice", "submit", "--db", db, "--out", str(out2), "--through", str(THROUGH))
    assert sub2.returncode == 0 and "secondary claims" in sub2.stdout, sub2.stdout + sub2.stderr
    texts = [f.read_text() for f in out2.glob("837P-*.x12")]
    assert texts and all("SBR*S*" in t and x12_837p.validate_837p(t).ok for t in texts)
    adj2 = run_cli("practice", "adjudicate", "--db", db, "--out", str(out2), "--paid-on", "2026-10-27")  # fmt: skip
    assert adj2.returncode == 0, adj2.stderr
    for era in sorted(out2.glob("835-*.x12")):
        assert run_cli("practice", "post", "--db", db, str(era)).returncode == 0
    with practice_db.open_practice(db)[1]() as session:
        seconds = session.scalars(
            select(ClaimRecord).where(ClaimRecord.prior_claim_id.is_not(None))
        ).all()
        assert seconds and all(c.status in ("paid", "partially paid") for c in seconds)

    bad = tmp_path / "bad.835"
    bad.write_text("this is not an 835")
    failed = run_cli("practice", "post", "--db", db, str(bad))
    assert failed.returncode != 0 and len(failed.stderr.strip().splitlines()) == 1
    assert "Traceback" not in failed.stderr

    remit = x12_835.parse_835(eras[0].read_text())[0]
    stray = dataclasses.replace(remit.claims[0], patient_account="NOSUCH-1")
    unknown = dataclasses.replace(remit, trace_number="STRAY1", claims=[stray], payment=stray.paid)
    (tmp_path / "stray.835").write_text(x12_835.to_835(unknown))
    post = run_cli("practice", "post", "--db", db, str(tmp_path / "stray.835"))
    assert post.returncode == 0 and "1 unmatched claim" in post.stdout

    aging = run_cli("practice", "aging", "--db", db, "--as-of", str(AS_OF))
    assert aging.returncode == 0, aging.stderr
    assert "A/R aging as of 2026-11-01" in aging.stdout and "A/R total" in aging.stdout
    factory = practice_db.open_practice(db)[1]
    with factory() as session:
        total = posting.accounts_receivable(session).total
        assert (
            session.scalar(
                select(func.count()).select_from(WorkItem).where(WorkItem.kind == "unmatched claim")
            )
            == 1
        )
    assert f"{total:.2f}" in aging.stdout.splitlines()[-1]


def test_secondary_payers_are_billed_with_the_primary_payment_and_pay_the_patient_share(cycled):
    factory, report, _, _, _ = cycled
    assert report.secondary_claims > 0 and report.secondary_paid > 0
    with factory() as session:
        seconds = session.scalars(
            select(ClaimRecord).where(ClaimRecord.prior_claim_id.is_not(None))
        ).all()
        assert len(seconds) == report.secondary_claims
        assert {c.status for c in seconds} <= {"paid", "partially paid"}
        texts = [t for n, t in report.files.items() if n.startswith("837P-") and "SBR*S*" in t]
        assert texts, "no 837P billed a secondary payer"
        for claim in seconds:
            assert [h.status for h in claim.history] == ["ready for secondary", "submitted", "paid"]
            prior = posting.prior_payer(session, claim.id)
            # the 837P carries the primary's payment (2320 AMT*D) and one SVD per line (2430)
            assert (prior.paid, [line.paid for line in prior.lines]) in _cob_blocks(
                texts, claim.patient_account
            )
            for charge in posting.session_charges(session, claim):
                assert posting.line_balance(session, charge.id) == 0
                paid_by = {
                    p.claim_id: p.amount
                    for p in session.scalars(select(Payment).where(Payment.charge_id == charge.id))
                }
                pr_first = sum(
                    (
                        a.amount
                        for a in session.scalars(
                            select(practice_db.Adjustment).where(
                                practice_db.Adjustment.charge_id == charge.id,
                                practice_db.Adjustment.claim_id == claim.prior_claim_id,
                                practice_db.Adjustment.group_code == "PR",
                            )
                        )
                    ),
                    Decimal(0),
                )
                # what the patient owes now is the primary's share less the secondary's payment
                assert posting.patient_balance(session, charge.id) == pr_first - paid_by.get(
                    claim.id, 0
                )


def _cob_blocks(texts: list[str], account: str) -> list[tuple[Decimal, list[Decimal]]]:
    """(2320 AMT*D, the 2430 SVD02 of each line) of every claim billed under ``account``."""
    blocks = []
    for text in texts:
        current = None
        for seg in text.split("~"):
            fields = seg.split("*")
            if fields[0] in ("CLM", "SE"):
                current = [None, []] if fields[0] == "CLM" and fields[1] == account else None
                if current is not None:
                    blocks.append(current)
            elif current is not None and fields[:2] == ["AMT", "D"]:
                current[0] = Decimal(fields[2])
            elif current is not None and fields[0] == "SVD":
                current[1].append(Decimal(fields[2]))
    return [tuple(b) for b in blocks]


def test_self_pay_visits_are_patient_ar_not_insurance(cycled):
    factory, report, _, _, _ = cycled
    assert report.self_pay_charges > 0
    with factory() as session:
        self_pay = [
            c
            for c in session.scalars(select(Charge))
            if c.encounter.date_of_service <= THROUGH
            and not any(
                p.active_on(c.encounter.date_of_service) for p in c.encounter.patient.policies
            )
        ]
        assert len(self_pay) == report.self_pay_charges
        for charge in self_pay:
            assert posting.line_balance(session, charge.id) == 0
            assert posting.patient_balance(session, charge.id) == charge.amount
        aged = rc.aging(session, AS_OF)
        assert rc.NO_CLAIM not in aged["insurance"]
        assert rc.bill_self_pay(session, through=THROUGH) == 0  # billed once
