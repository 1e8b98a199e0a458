"""Encounter -> claim: the practice's rows turned into the CMS-1500 claim it sends.

The ledger (posting, the revenue cycle, denials) builds every claim here, from the
database, whoever filled it: charge entry, the synthetic practice generator or an
instructor's own rows.  :func:`build_claim` reads an encounter, its patient, the
policies in force on the date of service and the practice; the other functions turn
one database row into the claim model's value for it.

Rows and values: :mod:`medbill_lab.practice.db` holds the practice's **rows**
(``Payer``, ``Provider`` ..., tables ``payers``, ``providers``) and
:mod:`medbill_lab.claims.model` the **values** a claim carries (``claims.Payer``,
``claims.Provider``).  They are different things: a row has an id, relationships
and rules; a value is what the CMS-1500 and the 837P print.  Each pair has one
conversion here (:func:`claim_payer`, :func:`claim_provider`, :func:`claim_person`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from medbill_lab.claims import model as claims
from medbill_lab.practice.db import (
    Encounter,
    Guarantor,
    InsurancePolicy,
    Patient,
    Payer,
    Practice,
    Provider,
)


def _person_address(row: Patient | Guarantor) -> claims.Address:
    return claims.Address(row.street, row.city, row.state, row.zip, row.phone)


def _policies_on(patient: Patient, day: dt.date) -> list[InsurancePolicy]:
    return sorted((p for p in patient.policies if p.active_on(day)), key=lambda p: p.priority)


def policy_subscriber(policy: InsurancePolicy, patient: Patient) -> claims.Person:
    """The policy's subscriber (the patient when the relationship is ``self``)."""
    if policy.relationship_to_insured == "self":
        return claims.Person(patient.last, patient.first, patient.middle, patient.dob, patient.sex)
    address = _person_address(patient.guarantor) if patient.guarantor else None
    return claims.Person(
        policy.subscriber_last,
        policy.subscriber_first,
        "",
        policy.subscriber_dob,
        policy.subscriber_sex,
        address,
    )


def claim_payer(payer: Payer) -> claims.Payer:
    """A payer row as the claim model's payer (carrier block and 2010BB)."""
    return claims.Payer(
        payer.name,
        payer.payer_id,
        payer.filing_indicator,
        payer.timely_filing_days,
        claims.Address(payer.street, payer.city, payer.state, payer.zip),
    )


def claim_provider(provider: Provider) -> claims.Provider:
    """A provider row as the claim's rendering provider (item 24J, loop 2310B)."""
    return claims.Provider(provider.last, provider.first, provider.npi)


def claim_person(patient: Patient) -> claims.Person:
    """A patient row as the claim's patient, with the home address (items 2, 3, 5)."""
    return claims.Person(
        patient.last,
        patient.first,
        patient.middle,
        patient.dob,
        patient.sex,
        _person_address(patient),
    )


def billing_provider(practice: Practice) -> claims.Organization:
    """The practice row as the claim's billing provider (item 33, loop 2010AA)."""
    address = claims.Address(
        practice.street, practice.city, practice.state, practice.zip, practice.phone
    )
    return claims.Organization(practice.name, practice.npi, address, practice.taxonomy)


def first_practice(session: Session) -> Practice | None:
    """The practice (billing provider), or None when it is not set up."""
    return session.scalars(select(Practice).order_by(Practice.id)).first()


def encounter_loads() -> list:
    """Loader options for everything :func:`build_claim` reads from an encounter."""
    patient = selectinload(Encounter.patient)
    return [
        patient.selectinload(Patient.policies).selectinload(InsurancePolicy.payer),
        patient.selectinload(Patient.guarantor),
        selectinload(Encounter.provider),
        selectinload(Encounter.diagnoses),
        selectinload(Encounter.charges),
    ]


def build_claim(
    session: Session,
    encounter_id: int,
    *,
    priority: int = 1,
    submitted_on: dt.date | None = None,
    practice: Practice | None = None,
) -> claims.Claim:
    """The CMS-1500 claim for an encounter to the payer at ``priority`` (1 primary).

    ``submitted_on`` defaults to two days after the date of service.  Raises
    ``LookupError`` for an unknown encounter and ``ValueError`` when no policy at
    that priority covers the date of service (a self-pay visit has no claim).
    ``practice`` is the billing practice when the caller already loaded it.
    """
    enc = session.get(Encounter, encounter_id)
    if enc is None:
        raise LookupError(f"no encounter with id {encounter_id}")
    patient, day = enc.patient, enc.date_of_service
    active = _policies_on(patient, day)
    policy = next((p for p in active if p.priority == priority), None)
    if policy is None:
        raise ValueError(f"encounter {encounter_id}: no policy at priority {priority} on {day}")
    if practice is None:
        practice = first_practice(session)
    if practice is None:
        raise LookupError("the practice (billing provider) is not set up")
    others = [p for p in active if p is not policy]
    other = others[0] if others else None
    sent = submitted_on or day + dt.timedelta(days=2)
    self_insured = policy.relationship_to_insured == "self"
    return claims.Claim(
        program=policy.payer.program,
        insured_id=policy.member_id,
        patient=claim_person(patient),
        payer=claim_payer(policy.payer),
        relationship=policy.relationship_to_insured,
        insured=None if self_insured else policy_subscriber(policy, patient),
        other_insurance=None
        if other is None
        else claims.OtherInsurance(
            policy_subscriber(other, patient), other.member_id, other.plan_name
        ),
        insured_group=policy.group_number,
        plan_name=policy.plan_name,
        another_plan=other is not None,
        diagnoses=enc.diagnosis_codes,
        place_of_service=enc.place_of_service,
        lines=[
            claims.ServiceLine(
                date_from=day,
                code=c.code,
                charge=c.amount,
                pointers=list(c.pointers),
                modifiers=c.modifier_list,
                units=c.units.normalize(),
            )
            for c in enc.charges
        ],
        tax_id=practice.tax_id,
        patient_account=patient.account,
        total_charge=sum((c.amount for c in enc.charges), Decimal(0)),
        signature_date=sent,
        billing_provider=billing_provider(practice),
        rendering_provider=claim_provider(enc.provider),
        submitted_on=sent,
    )
