"""A small hand-built practice with posted remittances, for statements, denials and KPIs.

The practice, providers and payers come from ``generate_practice(patients=0)``;
one patient (member ID ``MBR987654321``) has three visits, each one 99213 at
$125.00, all submitted, and one 835 posted:

- claim A (March 2): paid $80.00, CO 45 $25.00, PR 2 $20.00 (patient owes $20);
- claim B (April 6): denied, CO 50 $125.00 (payer claim number PCN-B);
- claim C (May 4): no answer yet (insurer balance $125.00).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from medbill_lab.payer import remittance as era
from medbill_lab.practice import db as practice_db
from medbill_lab.practice import posting
from medbill_lab.practice import synthetic as practice_gen
from medbill_lab.practice.db import (
    Adjustment,
    Charge,
    ClaimRecord,
    Encounter,
    InsurancePolicy,
    Patient,
    Payer,
    Payment,
    Provider,
)

MEMBER_ID = "MBR987654321"
DAYS = (dt.date(2026, 3, 2), dt.date(2026, 4, 6), dt.date(2026, 5, 4))
PAID_ON = dt.date(2026, 5, 20)
WHEN = dt.datetime(2026, 5, 10, 9, 0)


@dataclass
class Built:
    """The session factory and the ids tests need."""

    factory: object
    patient_id: int
    claim_a: int
    claim_b: int
    claim_c: int


def _patient(session, payer: Payer) -> Patient:
    patient = Patient(
        account="ACC1001",
        last="Rivera",
        first="Ana",
        dob=dt.date(1980, 4, 2),
        sex="F",
        street="12 Elm St",
        city="Springfield",
        state="IL",
        zip="62701",
    )
    session.add(patient)
    session.flush()
    session.add(
        InsurancePolicy(
            patient_id=patient.id,
            payer_id=payer.id,
            priority=1,
            member_id=MEMBER_ID,
            effective_date=dt.date(2025, 1, 1),
        )
    )
    session.commit()
    return patient


def _line(
    session, claim: ClaimRecord, paid: str, adjustments: list[era.Adjustment]
) -> era.RemitClaim:
    charge = session.scalars(select(Charge).where(Charge.encounter_id == claim.encounter_id)).one()
    day = session.get(Encounter, claim.encounter_id).date_of_service
    line = era.RemitLine(
        charge.code, charge.amount, Decimal(paid), [], charge.units, day, adjustments=adjustments
    )
    pr = sum((a.amount for a in adjustments if a.group == "PR"), Decimal(0))
    return era.RemitClaim(
        claim.patient_account,
        "1",
        claim.total_charge,
        Decimal(paid),
        pr,
        "CI",
        f"PCN-{'ABC'[claim.id - 1]}",
        lines=[line],
    )


def build(path) -> Built:
    """The practice described in the module docstring, in a SQLite file at ``path``."""
    engine = practice_db.init_db(path)
    factory = practice_db.sessionmaker(engine, expire_on_commit=False)
    with factory() as session:
        practice_gen.generate_practice(session, seed=1, patients=0)
        payer = session.scalars(select(Payer).order_by(Payer.id)).first()
        provider = session.scalars(select(Provider).order_by(Provider.id)).first()
        patient = _patient(session, payer)
        encounters = [
            practice_db.enter_superbill(
                session, patient.id, provider.id, day, "11", ["I10"], [("99213", [], 1)]
            ).id
            for day in DAYS
        ]
        session.commit()
        posting.submit_encounters(session, encounters, when=WHEN)
        session.commit()
        a, b, c = session.scalars(select(ClaimRecord).order_by(ClaimRecord.id)).all()
        co, pr = era.Adjustment("CO", "45", Decimal(25)), era.Adjustment("PR", "2", Decimal(20))
        rcs = [_line(session, a, "80", [co, pr]),
               _line(session, b, "0", [era.Adjustment("CO", "50", Decimal(125))])]  # fmt: skip
        remit = era.Remittance(
            "TR1",
            payer.name,
            payer.payer_id,
            "Practice",
            "1234567893",
            Decimal(80),
            paid_on=PAID_ON,
            claims=rcs,
        )
        assert remit.balances()
        posting.post_remittance(session, remit, at=dt.datetime(2026, 5, 20, 8, 0))
        session.commit()
        return Built(factory, patient.id, a.id, b.id, c.id)


def money_parts(session, patient_id: int) -> dict[str, Decimal]:
    """Charges and where every dollar of them went, for one patient."""
    charges = session.scalars(
        select(Charge).join(Encounter).where(Encounter.patient_id == patient_id)
    ).all()
    ids = [c.id for c in charges]
    payments = session.scalars(select(Payment).where(Payment.charge_id.in_(ids))).all()
    adjustments = session.scalars(select(Adjustment).where(Adjustment.charge_id.in_(ids))).all()
    return {
        "charges": sum((c.amount for c in charges), Decimal(0)),
        "payments": sum((p.amount for p in payments), Decimal(0)),
        "adjustments": sum((a.amount for a in adjustments if a.group_code != "PR"), Decimal(0)),
        "insurer": sum((posting.line_balance(session, i) for i in ids), Decimal(0)),
        "patient": sum((posting.patient_balance(session, i) for i in ids), Decimal(0)),
    }


def _balanced_claim(session, claim: ClaimRecord) -> era.RemitClaim:
    """Pay every line 60%, CO 45 20%, PR 2 the rest."""
    lines = []
    day = session.get(Encounter, claim.encounter_id).date_of_service
    for c in posting.session_charges(session, claim):
        paid = (c.amount * Decimal("0.6")).quantize(Decimal("0.01"))
        co = (c.amount * Decimal("0.2")).quantize(Decimal("0.01"))
        adjustments = [
            era.Adjustment("CO", "45", co),
            era.Adjustment("PR", "2", c.amount - paid - co),
        ]
        lines.append(
            era.RemitLine(
                c.code, c.amount, paid, c.modifier_list, c.units, day, adjustments=adjustments
            )
        )
    paid = sum((line.paid for line in lines), Decimal(0))
    pr = sum((line.adjustments[1].amount for line in lines), Decimal(0))
    return era.RemitClaim(
        claim.patient_account, "1", claim.total_charge, paid, pr, "CI", f"G{claim.id}", lines=lines
    )


def generated(path, seed: int = 3, patients: int = 6):
    """A generated practice with every insured encounter submitted and paid (one 835 per payer)."""
    engine = practice_db.init_db(path)
    factory = practice_db.sessionmaker(engine, expire_on_commit=False)
    with factory() as session:
        practice_gen.generate_practice(session, seed=seed, patients=patients)
        encounters = session.scalars(select(Encounter).order_by(Encounter.id)).all()
        posting.submit_encounters(
            session, [e.id for e in encounters if e.patient.policies], when=WHEN
        )
        session.commit()
        by_payer: dict[int, list[era.RemitClaim]] = {}
        for claim in session.scalars(select(ClaimRecord).order_by(ClaimRecord.id)):
            by_payer.setdefault(claim.payer_id, []).append(_balanced_claim(session, claim))
        for payer_id, rcs in by_payer.items():
            payer = session.get(Payer, payer_id)
            paid = sum((rc.paid for rc in rcs), Decimal(0))
            remit = era.Remittance(
                f"G{payer_id}",
                payer.name,
                payer.payer_id,
                "Practice",
                "1234567893",
                paid,
                paid_on=PAID_ON,
                claims=rcs,
            )
            assert remit.balances()
            posting.post_remittance(session, remit)
            session.commit()
    return factory
