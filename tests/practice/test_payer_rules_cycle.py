"""The payer rules end to end: simulated payers -> 835 files -> posting -> patient balances.

A small generated practice runs one revenue cycle with a plan exclusion added
to every payer; the 835s are the files the payers wrote, parsed back and posted.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from medbill_lab.practice import cycle as rc
from medbill_lab.practice import db as practice_db
from medbill_lab.practice import posting, statements
from medbill_lab.practice import synthetic as practice_gen
from medbill_lab.practice.db import Adjustment, Charge, ClaimRecord, Encounter, Payer, PayerRule

pytestmark = pytest.mark.practice_db  # run again on PostgreSQL by ./run-tests

THROUGH = dt.date(2026, 10, 15)
EXCLUDED = "36415"  # venipuncture: excluded by every plan in this test
PREVENTIVE = ("90686", "90471", "G0008")  # the generated flu shots and their administration


@pytest.fixture(scope="module")
def cycled(tmp_path_factory):
    path = tmp_path_factory.mktemp("rules") / "p.sqlite"
    engine = practice_db.init_db(path)
    factory = practice_db.sessionmaker(engine, expire_on_commit=False)
    with factory() as session:
        practice_gen.generate_practice(session, seed=4, patients=16)  # all four payers
        for payer in session.scalars(select(Payer)):
            session.add(PayerRule(payer_id=payer.id, kind="non_covered", code=EXCLUDED))
        session.commit()
        report = rc.run_cycle(session, through=THROUGH)
        session.commit()
    return factory, report


def _lines(session, code: str) -> list[tuple[Charge, ClaimRecord, str]]:
    """Charges of ``code`` with their primary claim and its payer ID."""
    query = (
        select(Charge, ClaimRecord, Payer.payer_id)
        .join(Encounter, Charge.encounter_id == Encounter.id)
        .join(ClaimRecord, ClaimRecord.encounter_id == Encounter.id)
        .join(Payer, ClaimRecord.payer_id == Payer.id)
        .where(Charge.code == code, ClaimRecord.prior_claim_id.is_(None))
    )
    return [tuple(row) for row in session.execute(query)]


def _adjustments(session, charge: Charge, claim: ClaimRecord) -> list[tuple[str, str]]:
    query = select(Adjustment).where(
        Adjustment.charge_id == charge.id, Adjustment.claim_id == claim.id
    )
    return [(a.group_code, a.carc) for a in session.scalars(query)]


def test_excluded_services_reach_the_patient_balance_on_every_plan(cycled):
    factory, report = cycled
    assert report.claims > 0
    with factory() as session:
        lines = [row for row in _lines(session, EXCLUDED) if row[1].status != "rejected"]
        payers = {payer for _, _, payer in lines}
        assert len(payers) >= 3, payers  # several plans, each excluding the code
        for charge, claim, payer in lines:
            assert _adjustments(session, charge, claim) == [("PR", "204")], payer
            assert posting.line_balance(session, charge.id) == 0
            has_secondary = session.scalars(
                select(ClaimRecord).where(ClaimRecord.prior_claim_id == claim.id)
            ).first()
            owed = posting.patient_balance(session, charge.id)
            if has_secondary is None:
                assert owed == charge.amount, payer  # the patient's, not a write-off
            else:
                assert 0 <= owed <= charge.amount
            patient = session.get(Encounter, charge.encounter_id).patient_id
            on_statement = [
                ln for ln in statements.statement_lines(session, patient) if ln.code == EXCLUDED
            ]
            assert any(ln.balance == owed for ln in on_statement)
        carcs = session.scalars(select(Adjustment.carc).where(Adjustment.group_code == "CO"))
        assert "204" not in set(carcs) and "96" not in set(carcs)


def test_flu_shots_have_no_cost_sharing_except_on_the_grandfathered_plan(cycled):
    factory, _ = cycled
    with factory() as session:
        rows = [
            r for code in PREVENTIVE for r in _lines(session, code) if r[1].status != "rejected"
        ]
        payers = {payer for _, _, payer in rows}
        assert "MBL04" in payers and payers & {"MBL01", "MBL03"}, payers  # both branches
        for charge, claim, payer in rows:
            groups = {group for group, _ in _adjustments(session, charge, claim)}
            if payer in ("MBL01", "MBL03"):  # Medicare; a non-grandfathered plan
                assert "PR" not in groups, (payer, charge.code)
            elif payer == "MBL04":  # grandfathered: the usual deductible/copay/coinsurance
                assert "PR" in groups, (payer, charge.code)


def test_every_charge_still_balances(cycled):
    factory, _ = cycled
    with factory() as session:
        for charge in session.scalars(select(Charge)):
            paid = sum(
                (
                    p.amount
                    for p in session.scalars(
                        select(practice_db.Payment).where(
                            practice_db.Payment.charge_id == charge.id
                        )
                    )
                ),
                Decimal(0),
            )
            adjusted = sum(
                (
                    a.amount
                    for a in session.scalars(
                        select(Adjustment).where(Adjustment.charge_id == charge.id)
                    )
                    if a.group_code != "PR"
                ),
                Decimal(0),
            )
            rest = posting.line_balance(session, charge.id) + posting.patient_balance(
                session, charge.id
            )
            assert charge.amount == paid + adjusted + rest, charge.code
