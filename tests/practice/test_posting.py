"""ERA posting: submission, one-transaction posting, idempotence, crashes, balances."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import pickle
import signal
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from medbill_lab.payer import remittance as era
from medbill_lab.practice import billing, posting
from medbill_lab.practice import db as practice_db
from medbill_lab.practice import synthetic as practice_gen
from medbill_lab.practice.db import (
    Adjustment,
    AuditLog,
    Charge,
    ClaimRecord,
    ClaimStatusHistory,
    Encounter,
    Payment,
    WorkItem,
)
from medbill_lab.practice.db import Remittance as RemittanceRow

pytestmark = pytest.mark.practice_db  # run again on PostgreSQL by ./run-tests

ROOT = Path(__file__).resolve().parents[2]
WHEN = dt.datetime(2026, 10, 5, 9, 0)
CENT = Decimal("0.01")
POSTED = (RemittanceRow, Payment, Adjustment, WorkItem, ClaimStatusHistory, AuditLog, ClaimRecord)


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def _counts(factory) -> dict[str, int]:
    with factory() as session:
        return {m.__tablename__: _count(session, m) for m in POSTED}


def _new_practice(path, seed: int = 3, patients: int = 6):
    engine = practice_db.init_db(path)
    factory = practice_db.sessionmaker(engine, expire_on_commit=False)
    with factory() as session:
        practice_gen.generate_practice(session, seed=seed, patients=patients)
    return engine, factory


def _post(factory, remit: era.Remittance) -> posting.PostingResult:
    """Post in a fresh session, so post_remittance owns (and commits) the transaction."""
    with factory() as session:
        return posting.post_remittance(session, remit)


def _submit_all(factory) -> None:
    with factory() as session:
        ids = _insured_encounters(session)
    with factory() as session:
        posting.submit_encounters(session, ids, when=WHEN)


def _insured_encounters(session, policies: int = 1) -> list[int]:
    """Encounters whose patient has at least ``policies`` policies."""
    encounters = session.scalars(select(Encounter).order_by(Encounter.id))
    return [e.id for e in encounters if len(e.patient.policies) >= policies]


@pytest.fixture
def submitted(tmp_path):
    """A practice (seed 3, 6 patients) with every insured encounter submitted."""
    engine, factory = _new_practice(tmp_path / "p.sqlite")
    _submit_all(factory)
    return engine, factory


def _claims(session, payer_code: str | None = None) -> list[ClaimRecord]:
    rows = session.scalars(select(ClaimRecord).order_by(ClaimRecord.id)).all()
    return [c for c in rows if payer_code is None or _payer_code(session, c) == payer_code]


def _payer_code(session, claim: ClaimRecord) -> str:
    return session.get(practice_db.Payer, claim.payer_id).payer_id


def _split(amount: Decimal, paid_pct: int = 60, pr_pct: int = 20) -> tuple[Decimal, ...]:
    paid = (amount * paid_pct / 100).quantize(CENT)
    pr = (amount * pr_pct / 100).quantize(CENT)
    return paid, amount - paid - pr, pr


def _remit_claim(session, claim: ClaimRecord, splits=None, status: str = "1") -> era.RemitClaim:
    """A balanced 835 claim paying every charge: (paid, CO 45, PR 2) per line."""
    lines = []
    for charge in posting.session_charges(session, claim):
        paid, co, pr = splits(charge) if splits else _split(charge.amount)
        adjustments = [era.Adjustment("CO", "45", co)] if co else []
        adjustments += [era.Adjustment("PR", "2", pr)] if pr else []
        enc = session.get(Encounter, claim.encounter_id)
        lines.append(
            era.RemitLine(
                charge.code,
                charge.amount,
                paid,
                charge.modifier_list,
                charge.units,
                enc.date_of_service,
                adjustments=adjustments,
            )
        )
    paid = sum((line.paid for line in lines), Decimal(0))
    pr = sum((a.amount for line in lines for a in line.adjustments if a.group == "PR"), Decimal(0))
    return era.RemitClaim(
        claim.patient_account,
        status,
        claim.total_charge,
        paid,
        pr,
        "CI",
        f"PCN{claim.id}",
        lines=lines,
    )


def _remittance(trace: str, payer_code: str, claims: list[era.RemitClaim]) -> era.Remittance:
    paid = sum((c.paid for c in claims), Decimal(0))
    return era.Remittance(trace, "Payer", payer_code, "Cedar Bluff", "1234567893", paid,
                          paid_on=dt.date(2026, 10, 20), claims=claims)  # fmt: skip


def _balanced_remit(session, payer_code: str, trace: str = "T1", **kw) -> era.Remittance:
    rcs = [_remit_claim(session, c, **kw) for c in _claims(session, payer_code)]
    remit = _remittance(trace, payer_code, rcs)
    assert remit.balances()
    return remit


def _busiest_payer(session) -> str:
    codes = [_payer_code(session, c) for c in _claims(session)]
    return max(set(codes), key=codes.count)


# -- submission --------------------------------------------------------------------------
def test_submit_creates_claims_history_and_audit(submitted):
    _, factory = submitted
    with factory() as session:
        claims = _claims(session)
        assert claims and all(c.status == "submitted" for c in claims)
        for claim in claims:
            built = billing.build_claim(session, claim.encounter_id)
            assert claim.patient_account == built.patient_account  # CLM01 as sent
            assert claim.total_charge == built.total_charge
            assert [h.status for h in claim.history] == ["submitted"]
        log = session.scalars(select(AuditLog).where(AuditLog.action == "submit_claims")).one()
        assert log.detail.startswith(f"{len(claims)} claims")


def test_submit_is_all_or_nothing(tmp_path):
    _, factory = _new_practice(tmp_path / "s.sqlite", seed=1)  # seed 1 has self-pay patients
    with factory() as session:
        insured = _insured_encounters(session)
        self_pay = [e.id for e in session.scalars(select(Encounter)) if not e.patient.policies]
    assert insured and self_pay
    before = _counts(factory)
    for bad, error, match in (
        (self_pay[0], ValueError, "no policy"),
        (10**6, LookupError, "no encounter"),
    ):
        with factory() as session, pytest.raises(error, match=match):
            posting.submit_encounters(session, [*insured, bad], when=WHEN)
        assert _counts(factory) == before
    with factory() as session:
        batch = posting.submit_encounters(session, insured, when=WHEN)
    assert batch.control_number == 1 and _counts(factory)["claim_records"] == len(insured)
    with factory() as session, pytest.raises(ValueError, match="already has a claim"):
        posting.submit_encounters(session, insured[:1], when=WHEN)


# -- posting -------------------------------------------------------------------------------
def test_posting_a_balanced_remittance_and_again_is_a_no_op(submitted):
    _, factory = submitted
    with factory() as session:
        remit = _balanced_remit(session, _busiest_payer(session))
    result = _post(factory, remit)
    assert not result.already_posted and result.claims_posted == len(remit.claims)
    lines = sum(len(c.lines) for c in remit.claims)
    assert result.lines_posted == result.payments == lines
    assert result.adjustments == 2 * lines and result.work_items == 0
    with factory() as session:
        for rc in remit.claims:
            claim = session.scalars(
                select(ClaimRecord).where(ClaimRecord.payer_claim_number == rc.payer_claim_number)
            ).one()
            assert claim.status == "paid"
            assert [h.status for h in claim.history] == ["submitted", "paid"]
            for charge, line in zip(posting.session_charges(session, claim), rc.lines, strict=True):
                assert posting.line_balance(session, charge.id) == 0
                assert posting.patient_balance(session, charge.id) == line.adjustments[-1].amount
        paid = session.scalar(select(func.sum(Payment.amount)))
        assert paid == remit.payment
        assert session.scalars(select(AuditLog).where(AuditLog.action == "post_remittance")).one()
    before = _counts(factory)
    again = _post(factory, remit)
    assert again.already_posted and again.remittance_id == result.remittance_id
    assert again.payments == 0 and _counts(factory) == before


def test_the_trace_number_is_unique_per_payer_in_the_database(submitted):
    _, factory = submitted
    with factory() as session:
        remit = _balanced_remit(session, _busiest_payer(session))
    _post(factory, remit)
    with pytest.raises(IntegrityError), factory.begin() as session:
        session.add(RemittanceRow(payer_id=1, trace_number="T1", paid_on=WHEN.date(), total_paid=0))
        session.add(RemittanceRow(payer_id=1, trace_number="T1", paid_on=WHEN.date(), total_paid=0))


def test_losing_a_posting_race_on_the_trace_number_writes_nothing(submitted, monkeypatch):
    _, factory = submitted
    with factory() as session:
        remit = _balanced_remit(session, _busiest_payer(session))
    first = _post(factory, remit)
    before = _counts(factory)
    calls = []

    def first_miss(session, payer, trace):
        calls.append(trace)
        if len(calls) == 1:  # as if another poster commits between our check and insert
            return None
        return session.scalars(
            select(RemittanceRow).where(RemittanceRow.trace_number == trace)
        ).first()

    monkeypatch.setattr(posting, "_posted", first_miss)
    raced = _post(factory, remit)
    assert raced.already_posted and raced.remittance_id == first.remittance_id
    assert _counts(factory) == before


def test_an_error_after_some_lines_rolls_back_everything(submitted, monkeypatch):
    _, factory = submitted
    before = _counts(factory)
    seen = []

    def boom(session, charge):
        seen.append(_count(session, Payment))
        if len(seen) == 2:
            raise RuntimeError("power cut")

    monkeypatch.setattr(posting, "after_line_posted", boom)
    with factory() as session:
        remit = _balanced_remit(session, _busiest_payer(session))
    with factory() as session, pytest.raises(RuntimeError, match="power cut"):
        posting.post_remittance(session, remit)
    assert seen == [1, 2]  # rows were written inside the transaction ...
    assert _counts(factory) == before  # ... and none survived
    with factory() as session:
        assert all(c.status == "submitted" for c in _claims(session))
    monkeypatch.setattr(posting, "after_line_posted", None)
    assert not _post(factory, remit).already_posted
    assert _counts(factory)["payments"] == sum(len(c.lines) for c in remit.claims)


CHILD = """
import pickle, sys, time
from sqlalchemy import func, select
from medbill_lab.practice import posting, db as practice_db


def pause(session, charge):
    count = session.scalar(select(func.count()).select_from(practice_db.Payment))
    print(f"paused {count}", flush=True)
    time.sleep(120)

posting.after_line_posted = pause
engine, factory = practice_db.open_practice(sys.argv[1])
with open(sys.argv[2], "rb") as f:
    remit = pickle.load(f)
with factory() as session:
    posting.post_remittance(session, remit)
print("finished", flush=True)
"""


def test_a_killed_poster_leaves_nothing_half_posted(submitted, tmp_path):
    engine, factory = submitted
    with factory() as session:
        remit = _balanced_remit(session, _busiest_payer(session), trace="KILL1")
    engine.dispose()
    (tmp_path / "remit.pickle").write_bytes(pickle.dumps(remit))
    before = _counts(factory)
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD,
            engine.url.render_as_string(hide_password=False),
            str(tmp_path / "remit.pickle"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        line = child.stdout.readline()
        assert line.startswith("paused 1"), (line, child.stderr.read() if child.poll() else "")
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()
    engine.dispose()
    assert _counts(factory) == before
    with factory() as session:
        assert _count(session, Payment) == 0 and _count(session, Adjustment) == 0
        traces = session.scalars(select(RemittanceRow.trace_number)).all()
        assert "KILL1" not in traces
    result = _post(factory, remit)
    assert not result.already_posted and result.payments == sum(len(c.lines) for c in remit.claims)
    with factory() as session:
        assert session.scalar(select(func.sum(Payment.amount))) == remit.payment


# -- denials, the work queue and secondary claims ----------------------------------------
def test_denials_and_unmatched_claims_go_to_the_work_queue_by_carc(submitted):
    _, factory = submitted
    with factory() as session:
        payer = _busiest_payer(session)
        claims = _claims(session, payer)
        assert len(claims) >= 3
        paid = _remit_claim(session, claims[0])
        denied = _remit_claim(session, claims[1], splits=lambda c: (0, 0, 0), status="4")
        for line in denied.lines:
            line.adjustments = [era.Adjustment("CO", "16", line.charge)]
        denied.paid = denied.patient_responsibility = Decimal(0)
        bundled = _remit_claim(session, claims[2])
        extra = bundled.lines[0]
        bundled.lines[0] = era.RemitLine(
            extra.code,
            extra.charge,
            Decimal(0),
            extra.modifiers,
            extra.units,
            extra.date,
            adjustments=[era.Adjustment("CO", "97", extra.charge)],
        )
        bundled.paid -= extra.paid
        bundled.patient_responsibility -= extra.adjustments[-1].amount
        stranger = era.RemitClaim("NOPE-1", "1", Decimal(50), Decimal(50), Decimal(0), "CI", "X9",
                                  lines=[era.RemitLine("99213", Decimal(50), Decimal(50))])  # fmt: skip
        remit = _remittance("WQ1", payer, [paid, denied, bundled, stranger])
        assert remit.balances()
    result = _post(factory, remit)
    assert result.claims_posted == 3
    with factory() as session:
        groups = {g.carc: g for g in posting.work_queue(session)}
        assert set(groups) == {"", "16", "97"}
        assert [i.kind for i in groups[""].items] == ["unmatched claim"]
        assert groups[""].items[0].patient_account == "NOPE-1"
        assert {i.kind for i in groups["16"].items} == {"denial"}
        assert len(groups["16"].items) == len(denied.lines)
        assert groups["16"].total == denied.charge
        assert "missing" in groups["16"].fix and groups["97"].fix.startswith("Bundled")
        assert [i.charge_id for i in groups["97"].items] == [
            posting.session_charges(session, claims[2])[0].id
        ]
        statuses = [session.get(ClaimRecord, c.id).status for c in claims[:3]]
        assert statuses == ["paid", "denied", "partially paid"]


def test_an_unmatched_line_is_queued_and_the_claim_stays_partially_paid(submitted):
    _, factory = submitted
    with factory() as session:
        payer = _busiest_payer(session)
        claim = _claims(session, payer)[0]
        rc = _remit_claim(session, claim)
        rc.lines[0].modifiers = ["XU"]
    _post(factory, _remittance("UL1", payer, [rc]))
    with factory() as session:
        (group,) = posting.work_queue(session)
        assert [i.kind for i in group.items] == ["unmatched line"]
        assert session.get(ClaimRecord, claim.id).status == "partially paid"


def test_patient_responsibility_with_a_secondary_policy_makes_a_secondary_claim(submitted):
    _, factory = submitted
    with factory() as session:
        claim = next(
            c
            for c in _claims(session)
            if len(session.get(Encounter, c.encounter_id).patient.policies) > 1
        )
        payer = _payer_code(session, claim)
        rc = _remit_claim(session, claim)
    result = _post(factory, _remittance("SEC1", payer, [rc]))
    with factory() as session:
        (secondary_id,) = result.secondary_claims
        secondary = session.get(ClaimRecord, secondary_id)
        assert secondary.status == "ready for secondary" and secondary.prior_claim_id == claim.id
        assert secondary.payer_id != claim.payer_id
        assert secondary.patient_account == claim.patient_account
        data = posting.secondary_claim_data(session, secondary_id)
        assert data.prior_payer_id == payer and data.prior_paid == rc.paid
        assert data.patient_responsibility == rc.patient_responsibility
        assert [(ln.code, ln.paid, ln.adjustments) for ln in data.lines] == [
            (ln.code, ln.paid, ln.adjustments) for ln in rc.lines
        ]
        with pytest.raises(ValueError, match="not a secondary"):
            posting.secondary_claim_data(session, claim.id)


# -- balances (property) -------------------------------------------------------------------
@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A submitted practice file, copied fresh for each hypothesis example."""
    path = tmp_path_factory.mktemp("tpl") / "template.sqlite"
    engine, factory = _new_practice(path, seed=4, patients=5)
    _submit_all(factory)
    engine.dispose()
    return path


_EXAMPLES = itertools.count()


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_every_charge_balances_and_ar_is_the_sum_of_balances(
    template, tmp_path, data, copy_practice
):
    # one database per example: a drawn number could repeat and reuse a posted one
    path = tmp_path / f"p{next(_EXAMPLES)}.sqlite"
    copy_practice(template, path)
    engine, factory = practice_db.open_practice(path)

    def splits(charge):
        cents = int(charge.amount * 100)
        paid = data.draw(st.integers(0, cents), label=f"paid {charge.id}")
        pr = data.draw(st.integers(0, cents - paid), label=f"pr {charge.id}")
        return Decimal(paid) / 100, Decimal(cents - paid - pr) / 100, Decimal(pr) / 100

    with factory() as session:
        claims = _claims(session)
        chosen = data.draw(st.lists(st.sampled_from(claims), unique_by=lambda c: c.id, max_size=6))
        remits = [
            _remittance(f"H{n}", _payer_code(session, c), [_remit_claim(session, c, splits=splits)])
            for n, c in enumerate(chosen)
        ]
    for remit in remits:
        assert remit.balances()
        assert not _post(factory, remit).already_posted
    with factory() as session:
        insurance = patient = Decimal(0)
        for charge in session.scalars(select(Charge)):
            paid = sum(
                (
                    p.amount
                    for p in session.scalars(select(Payment).where(Payment.charge_id == charge.id))
                ),
                Decimal(0),
            )
            adjusted = sum(
                (
                    a.amount
                    for a in session.scalars(
                        select(Adjustment).where(Adjustment.charge_id == charge.id)
                    )
                ),
                Decimal(0),
            )
            balance = posting.line_balance(session, charge.id)
            assert charge.amount == paid + adjusted + balance
            insurance += balance
            patient += posting.patient_balance(session, charge.id)
        ar = posting.accounts_receivable(session)
        assert (ar.insurance, ar.patient, ar.total) == (insurance, patient, insurance + patient)
        posted = {c.id for c in chosen}
        for claim in _claims(session):
            charges = posting.session_charges(session, claim)
            if claim.id in posted:
                assert all(posting.line_balance(session, c.id) == 0 for c in charges)
            elif claim.prior_claim_id is None:
                assert claim.status == "submitted"
    engine.dispose()


# -- reversals, partial denials, posting dates ------------------------------------------
def _negated(rc: era.RemitClaim) -> era.RemitClaim:
    """The CLP 22 reversal of a posted 835 claim: every amount negated."""
    lines = [
        era.RemitLine(
            ln.code,
            -ln.charge,
            -ln.paid,
            ln.modifiers,
            ln.units,
            ln.date,
            adjustments=[era.Adjustment(a.group, a.carc, -a.amount) for a in ln.adjustments],
        )
        for ln in rc.lines
    ]
    return era.RemitClaim(
        rc.patient_account,
        "22",
        -rc.charge,
        -rc.paid,
        -rc.patient_responsibility,
        rc.filing_indicator,
        rc.payer_claim_number,
        lines=lines,
    )


def test_a_reversal_undoes_the_payment_and_the_corrected_claim_is_posted(submitted):
    _, factory = submitted
    with factory() as session:
        payer = _busiest_payer(session)
        first = _balanced_remit(session, payer, trace="T1")
        claim_id = _claims(session, payer)[0].id
        original = next(rc for rc in first.claims if rc.payer_claim_number == f"PCN{claim_id}")
    _post(factory, first)
    with factory() as session:
        claim = session.get(ClaimRecord, claim_id)
        corrected = _remit_claim(session, claim, splits=lambda c: _split(c.amount, 70, 10))
    takeback = _remittance("T2", payer, [_negated(original), corrected])
    assert takeback.balances()
    result = _post(factory, takeback)
    assert result.claims_posted == 2 and result.work_items == 0
    with factory() as session:
        claim = session.get(ClaimRecord, claim_id)
        assert [h.status for h in claim.history] == ["submitted", "paid", "accepted", "paid"]
        for charge in posting.session_charges(session, claim):
            paid, _, pr = _split(charge.amount, 70, 10)
            assert posting.line_balance(session, charge.id) == 0
            assert posting.patient_balance(session, charge.id) == pr  # only the corrected share
            got = session.scalar(
                select(func.sum(Payment.amount)).where(Payment.charge_id == charge.id)
            )
            assert got == paid


def test_a_reversal_of_an_unknown_payer_claim_goes_to_the_work_queue(submitted):
    _, factory = submitted
    with factory() as session:
        payer = _busiest_payer(session)
        rc = _remit_claim(session, _claims(session, payer)[0])
    before = _counts(factory)
    result = _post(factory, _remittance("T9", payer, [_negated(rc)]))
    assert result.work_items == 1 and result.payments == 0
    with factory() as session:
        item = session.scalars(select(WorkItem).where(WorkItem.kind == "reversal")).one()
        assert "no posted claim to reverse" in item.detail
    assert _counts(factory)["payments"] == before["payments"]


def test_one_denied_line_leaves_the_claim_partially_paid_and_dates_follow_the_835(submitted):
    _, factory = submitted
    with factory() as session:
        payer = _busiest_payer(session)
        claim = next(
            c for c in _claims(session, payer) if len(posting.session_charges(session, c)) > 1
        )
        first = posting.session_charges(session, claim)[0].id
        rc = _remit_claim(
            session,
            claim,
            splits=lambda c: (
                (Decimal(0), c.amount, Decimal(0)) if c.id == first else _split(c.amount)
            ),
        )
        rc.lines[0].adjustments = [era.Adjustment("CO", "97", rc.lines[0].charge)]
        remit = _remittance("T3", payer, [rc])
    _post(factory, remit)
    with factory() as session:
        claim = session.get(ClaimRecord, claim.id)
        assert claim.status == "partially paid"
        assert claim.history[-1].at.date() == remit.paid_on  # the 835's date, not today
        items = session.scalars(select(WorkItem).where(WorkItem.claim_id == claim.id)).all()
        assert [(i.kind, i.carc) for i in items] == [("denial", "97")]


# -- unbalanced remittances are refused whole ---------------------------------------------
def _two_claim_remit(session, trace: str) -> tuple[str, era.Remittance]:
    payer = _busiest_payer(session)
    claims = _claims(session, payer)
    assert len(claims) >= 2
    multi = next(c for c in claims if len(posting.session_charges(session, c)) >= 2)
    other = next(c for c in claims if c.id != multi.id)
    remit = _remittance(trace, payer, [_remit_claim(session, other), _remit_claim(session, multi)])
    assert remit.balances() and posting.unbalanced(remit) == ""
    return payer, remit


def test_a_claim_off_by_one_cent_refuses_the_whole_remittance(submitted):
    _, factory = submitted
    with factory() as session:
        _, remit = _two_claim_remit(session, "UB1")
    bad = remit.claims[1]
    bad.paid += CENT  # CLP04 one cent more than charge - adjustments; BPR kept consistent
    remit.payment += CENT
    before = _counts(factory)
    with factory() as session, pytest.raises(ValueError) as caught:
        posting.post_remittance(session, remit)
    message = str(caught.value)
    assert "\n" not in message and f"claim {bad.patient_account} does not balance" in message
    charge, paid = bad.charge, bad.paid
    assert f"charge ${charge:,.2f} - paid ${paid:,.2f} = ${charge - paid:,.2f}" in message
    assert f"total ${charge - paid + CENT:,.2f}" in message and "nothing posted" in message
    assert _counts(factory) == before  # not even the balanced first claim
    bad.paid -= CENT
    remit.payment -= CENT
    result = _post(factory, remit)  # balanced again: posts
    assert not result.already_posted and result.claims_posted == 2
    assert _counts(factory)["payments"] > before["payments"]


def test_a_line_level_imbalance_refuses_the_remittance(submitted):
    _, factory = submitted
    with factory() as session:
        _, remit = _two_claim_remit(session, "UB2")
    claim = remit.claims[1]
    first, second = claim.lines[0], claim.lines[1]
    first.paid += CENT  # the claim still balances; its lines do not
    second.paid -= CENT
    assert claim.charge - claim.paid == sum(a.amount for a in claim.all_adjustments())
    before = _counts(factory)
    with (
        factory() as session,
        pytest.raises(
            ValueError,
            match=rf"claim {claim.patient_account} line 1 \({first.code}\) does not balance",
        ),
    ):
        posting.post_remittance(session, remit)
    assert _counts(factory) == before


def test_a_payment_that_is_not_the_claims_less_plb_is_refused(submitted):
    _, factory = submitted
    with factory() as session:
        _, remit = _two_claim_remit(session, "UB3")
    remit.payment -= Decimal("10")
    before = _counts(factory)
    with factory() as session, pytest.raises(ValueError, match=r"payment \(BPR02\)"):
        posting.post_remittance(session, remit)
    assert _counts(factory) == before


def test_cli_post_refuses_an_unbalanced_835_in_one_line(submitted, run_cli, tmp_path):
    from medbill_lab.x12 import x835 as x12_835

    _, factory = submitted
    with factory() as session:
        _, remit = _two_claim_remit(session, "UB4")
    remit.claims[0].paid += CENT
    remit.payment += CENT
    path = tmp_path / "unbalanced.835"
    path.write_text(x12_835.to_835(remit))
    db = practice_db.database_url(tmp_path / "p.sqlite").render_as_string(hide_password=False)
    before = _counts(factory)
    done = run_cli("practice", "post", "--db", db, str(path))
    assert done.returncode == 1 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert f"claim {remit.claims[0].patient_account} does not balance" in done.stderr
    assert "Traceback" not in done.stderr and _counts(factory) == before
    remit.claims[0].paid -= CENT
    remit.payment -= CENT
    retired = tmp_path / "retired-group.835"  # the 4010 group code CR: not valid in 5010
    retired.write_text(x12_835.to_835(remit).replace("CAS*CO*45", "CAS*CR*45", 1))
    cr = run_cli("practice", "post", "--db", db, str(retired))
    assert cr.returncode == 1 and len(cr.stderr.strip().splitlines()) == 1
    assert "group code 'CR'" in cr.stderr and _counts(factory) == before
    path.write_text(x12_835.to_835(remit))
    ok = run_cli("practice", "post", "--db", db, str(path))
    assert ok.returncode == 0 and "posted 2 claims" in ok.stdout, ok.stderr


# -- a plan exclusion is the patient's balance ----------------------------------------------
def test_a_plan_excluded_line_posts_to_the_patient_balance(submitted):
    from medbill_lab.practice import statements

    _, factory = submitted
    with factory() as session:
        payer = _busiest_payer(session)
        claims = _claims(session, payer)[:3]
        excluded = {c.id: posting.session_charges(session, c)[0] for c in claims}
        rcs = [_remit_claim(session, c) for c in claims]
        for rc in rcs:
            line = rc.lines[0]  # the first service of each claim is excluded
            rc.paid -= line.paid
            rc.patient_responsibility += line.charge - sum(
                a.amount for a in line.adjustments if a.group == "PR"
            )
            line.paid = Decimal(0)
            line.adjustments = [era.Adjustment("PR", "204", line.charge)]
            line.remarks = ["N130"]
        remit = _remittance("EX1", payer, rcs)
        assert remit.balances()
        patients = {c.id: session.get(Encounter, c.encounter_id).patient_id for c in claims}
    result = _post(factory, remit)
    with factory() as session:
        for claim in claims:
            charge = excluded[claim.id]
            assert posting.line_balance(session, charge.id) == 0  # nothing left with the insurer
            assert (
                posting.patient_balance(session, charge.id) == charge.amount
            )  # the patient owes it
            lines = statements.statement_lines(session, patients[claim.id])
            assert any(ln.code == charge.code and ln.balance == charge.amount for ln in lines)
        kinds = {i.carc for g in posting.work_queue(session) for i in g.items}
        assert "204" not in kinds  # not a denial to work: the patient is billed
    assert result.claims_posted == 3


def test_a_contractual_non_covered_denial_is_not_the_patients(submitted):
    _, factory = submitted
    with factory() as session:
        payer = _busiest_payer(session)
        claim = _claims(session, payer)[0]
        rc = _remit_claim(session, claim)
        line = rc.lines[0]
        rc.paid -= line.paid
        rc.patient_responsibility -= sum(a.amount for a in line.adjustments if a.group == "PR")
        line.paid = Decimal(0)
        line.adjustments = [era.Adjustment("CO", "96", line.charge)]  # e.g. Medicare, no ABN
        charge = posting.session_charges(session, claim)[0]
    _post(factory, _remittance("EX2", payer, [rc]))
    with factory() as session:
        assert posting.patient_balance(session, charge.id) == 0
        assert [i.carc for g in posting.work_queue(session) for i in g.items] == ["96"]


def test_a_remittance_with_the_retired_cr_group_code_is_refused(submitted):
    _, factory = submitted
    with factory() as session:
        _, remit = _two_claim_remit(session, "CR1")
    line = remit.claims[0].lines[0]
    line.adjustments = [
        era.Adjustment("CR" if a.group == "CO" else a.group, a.carc, a.amount)
        for a in line.adjustments
    ]
    assert remit.balances()  # balanced, but CR is not a 5010 group code
    before = _counts(factory)
    with (
        factory() as session,
        pytest.raises(
            ValueError, match=rf"claim {remit.claims[0].patient_account}: CAS01: group code 'CR'"
        ),
    ):
        posting.post_remittance(session, remit)
    assert _counts(factory) == before
