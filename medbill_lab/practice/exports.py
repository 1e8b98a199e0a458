"""Patient data exports from the practice database: de-identified or masked, never raw.

``medbill-lab practice export patients --deidentify|--masked`` calls
:func:`export_patients`.  There is deliberately no mode that hands out every
identifier in full: a de-identified export (Safe Harbor, for teaching or analysis
outside the practice) or a masked, minimum-necessary one (for staff inside it).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from medbill_lab.claims.model import age_on
from medbill_lab.compliance.deid import ColumnAction, deidentify_frame
from medbill_lab.compliance.masking import MaskAction, masked_frame
from medbill_lab.practice.audit import record_view
from medbill_lab.practice.db import Encounter, Patient, transaction

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy.orm import Session

MODES = ("deidentify", "masked")


def patients_frame(session: Session, as_of: dt.date) -> pd.DataFrame:
    """Every patient with address, coverage and visits: the full (PHI) table, for internal use."""
    import pandas as pd

    visits = {
        pid: (first, last, n)
        for pid, first, last, n in session.execute(
            select(
                Encounter.patient_id,
                func.min(Encounter.date_of_service),
                func.max(Encounter.date_of_service),
                func.count(Encounter.id),
            ).group_by(Encounter.patient_id)
        )
    }
    rows = []
    for p in session.scalars(select(Patient).order_by(Patient.id)):
        policy = p.policies[0] if p.policies else None
        first, last, n = visits.get(p.id, (None, None, 0))
        rows.append(
            {
                "account": p.account,
                "last": p.last,
                "first": p.first,
                "middle": p.middle,
                "dob": p.dob,
                "age": age_on(p.dob, as_of),
                "sex": p.sex,
                "street": p.street,
                "city": p.city,
                "state": p.state,
                "zip": p.zip,
                "phone": p.phone,
                "payer": policy.payer.name if policy else "self-pay",
                "member_id": policy.member_id if policy else "",
                "first_visit": first,
                "last_visit": last,
                "visits": n,
            }
        )
    return pd.DataFrame(rows)


def export_patients(
    session: Session, mode: str, as_of: dt.date | None = None
) -> tuple[pd.DataFrame, list[ColumnAction] | list[MaskAction]]:
    """The patient table in ``mode`` ("deidentify" or "masked"), and what was done per column.

    The read is logged in the access audit log (who, how many patients, which mode) and,
    on a session with no transaction open (as the CLI calls it), committed before any
    patient row is read.  Inside a caller's open transaction the log row joins that unit
    of work: the caller must commit it (a rollback would drop the log of an export).
    """
    if mode not in MODES:
        raise ValueError(f"unknown export mode {mode!r}; use one of {', '.join(MODES)}")
    as_of = as_of or dt.date.today()
    # the export reads every patient's record: that access is logged (and committed) first
    with transaction(session):
        count = session.scalar(select(func.count()).select_from(Patient)) or 0
        record_view(session, "patients", None, detail=f"export of {count} patients ({mode})")
    frame = patients_frame(session, as_of)
    if mode == "deidentify":
        return deidentify_frame(frame, as_of)
    return masked_frame(frame)
