"""Facility claims in the practice database: a UB-04 recorded as a submitted claim, so the
payer's 835 for it posts with :func:`medbill_lab.practice.posting.post_remittance`.

The database keeps one charge per revenue line (FL 42-48): its code is the line's HCPCS
(FL 44), or the revenue code when the line has none, which is how the 835 names the line
(SVC01 ``HC:code`` or ``NU:revenue code``), so the poster matches lines as it does for a
CMS-1500.  An inpatient (DRG) claim is paid for the whole stay, at the claim level; the
poster lays that payment and its adjustments over the revenue lines in line order
(account-level posting), so every line ends balanced and the totals are the 835's.

The revenue cycle's ``practice adjudicate`` (:mod:`medbill_lab.practice.cycle`) rebuilds
CMS-1500 claims from encounters and does not know these records: a UB-04 is adjudicated
with :func:`medbill_lab.payer.facility.adjudicate_facility` and its 835 posted as any other.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from medbill_lab.claims.institutional import InstitutionalClaim
from medbill_lab.practice.db import (
    Charge,
    ClaimRecord,
    Encounter,
    EncounterDiagnosis,
    Patient,
    audit,
    transaction,
)
from medbill_lab.practice.posting import new_batch, primary_policy, set_status

#: place of service for the encounter row: 21 inpatient hospital, 22 on-campus outpatient
INPATIENT_POS, OUTPATIENT_POS = "21", "22"
MAX_DIAGNOSES = 12  # the encounter keeps the first 12 (principal first)


def submit_institutional(
    session: Session,
    claim: InstitutionalClaim,
    *,
    patient_id: int,
    provider_id: int,
    when: dt.datetime,
    who: str = "biller",
) -> ClaimRecord:
    """Record a UB-04 as submitted to the patient's primary payer, in one transaction.

    Adds the encounter (dated FL 6's from date), one charge per revenue line and the claim
    (CLM01 = FL 3a, the frequency from FL 4) in a new batch, with its status history and an
    audit row.  Raises ``LookupError`` for an unknown patient and ``ValueError`` when the
    claim has no patient control number or the patient no primary policy; nothing is written.
    """
    if not claim.patient_control_number:
        raise ValueError("FL 3a: the patient control number is needed to match the 835 (CLP01)")
    with transaction(session):
        patient = session.get(Patient, patient_id)
        if patient is None:
            raise LookupError(f"no patient with id {patient_id}")
        policy = primary_policy(patient, claim.statement_from, f"patient {patient.account}")
        pos = INPATIENT_POS if claim.is_inpatient() else OUTPATIENT_POS
        encounter = Encounter(
            patient_id=patient_id,
            provider_id=provider_id,
            date_of_service=claim.statement_from,
            place_of_service=pos,
        )
        session.add(encounter)
        session.flush()
        for position, dx in enumerate(claim.all_diagnoses()[:MAX_DIAGNOSES], 1):
            code = dx.code.replace(".", "").upper()
            session.add(EncounterDiagnosis(encounter_id=encounter.id, position=position, code=code))
        for number, line in enumerate(claim.lines, 1):
            session.add(
                Charge(
                    encounter_id=encounter.id,
                    line_number=number,
                    code=(line.hcpcs or line.revenue_code).upper(),
                    modifiers=",".join(m.upper() for m in line.modifiers),
                    units=line.units,
                    amount=line.total_charge,
                    pointers="",
                )
            )
        batch = new_batch(session, when)
        record = ClaimRecord(
            encounter_id=encounter.id,
            payer_id=policy.payer_id,
            policy_id=policy.id,
            batch_id=batch.id,
            total_charge=claim.line_total(),
            created_at=when,
            patient_account=claim.patient_control_number,
            frequency_code=claim.type_of_bill[3],
            payer_claim_number="",
        )
        session.add(record)
        session.flush()
        set_status(session, record, "submitted", when, f"UB-04 {claim.type_of_bill}")
        audit(
            session,
            "submit_institutional",
            "claim_records",
            record.id,
            who=who,
            at=when,
            detail=f"UB-04 {claim.type_of_bill} {claim.patient_control_number} ${claim.line_total()}",
        )
    return record
