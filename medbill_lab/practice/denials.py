"""Working denials: corrected (frequency 7) and void (frequency 8) claims, appeal letters.

:func:`corrected_claim` and :func:`void_claim` rebuild the CMS-1500 claim for a
:class:`~medbill_lab.practice.db.ClaimRecord` with item 22 filled: the
resubmission code (7 replacement, 8 void) and the payer's claim number of the
original (CLP07 of the 835 that answered it).  :func:`appeal_letter_pdf` draws a
one-page appeal letter with reportlab.  Member IDs are masked to their last four
characters (minimum necessary).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

from reportlab.lib.pagesizes import letter as US_LETTER
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select
from sqlalchemy.orm import Session

from medbill_lab.claims import model as claims
from medbill_lab.compliance.masking import mask_member_id
from medbill_lab.payer.carc import carcs, denial_carcs
from medbill_lab.practice.billing import build_claim
from medbill_lab.practice.db import (
    Adjustment,
    ClaimRecord,
    ClaimStatusHistory,
    Encounter,
    InsurancePolicy,
    Payer,
    Practice,
    WorkItem,
    audit,
    transaction,
)

PAGE_W, PAGE_H = US_LETTER
MARGIN = 72.0


def carc_meaning(carc: str) -> str:
    """The plain-language meaning of ``carc``, or a note that it is not in the list.

    >>> carc_meaning("ZZ9")
    'CARC ZZ9 is not in the reference list.'
    """
    row = carcs().get(carc)
    return row.meaning if row is not None else f"CARC {carc} is not in the reference list."


def _record(session: Session, claim_record_id: int) -> ClaimRecord:
    record = session.get(ClaimRecord, claim_record_id)
    if record is None:
        raise LookupError(f"no claim with id {claim_record_id}")
    return record


def _resubmission(
    session: Session, claim_record_id: int, code: str, changes: dict[str, object]
) -> tuple[ClaimRecord, claims.Claim]:
    record = _record(session, claim_record_id)
    if not record.payer_claim_number:
        raise ValueError(
            f"claim {claim_record_id} has no payer claim number (item 22) yet; "
            "wait for the payer's answer, or send a new original claim"
        )
    policy = session.get(InsurancePolicy, record.policy_id)
    assert policy is not None
    claim = build_claim(session, record.encounter_id, priority=policy.priority)
    try:
        claim = dataclasses.replace(claim, **changes)  # type: ignore[arg-type]
    except TypeError as exc:
        raise ValueError(f"not a claim field: {exc}") from None
    claim.resubmission_code = code
    claim.original_reference = record.payer_claim_number
    return record, claim


def _mark(
    session: Session, record: ClaimRecord, code: str, status: str, note: str, who: str
) -> None:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with transaction(session):
        record.frequency_code = code
        record.status = status
        session.add(ClaimStatusHistory(claim_id=record.id, status=status, at=now, note=note))
        audit(session, note.split(":")[0], "claim_records", record.id, who=who, at=now, detail=note)
        session.flush()


def corrected_claim(
    session: Session, claim_record_id: int, *, who: str = "biller", **changes: object
) -> claims.Claim:
    """The replacement claim (frequency 7) for a claim, with ``changes`` applied.

    Item 22 carries resubmission code 7 and the payer's original claim number.
    The claim record gets frequency code 7, status ``ready`` and a status-history
    row whose note starts with ``corrected``, plus an audit row.  ``LookupError``
    for an unknown claim; ``ValueError`` when the payer has not numbered it yet
    or a change names no claim field.
    """
    record, claim = _resubmission(session, claim_record_id, "7", changes)
    note = f"corrected: replacement (7) of payer claim {record.payer_claim_number}"
    if changes:
        note += f"; changed {', '.join(sorted(changes))}"
    _mark(session, record, "7", "ready", note, who)
    return claim


def void_claim(session: Session, claim_record_id: int, *, who: str = "biller") -> claims.Claim:
    """The void claim (frequency 8) cancelling a claim the payer has numbered.

    The claim record gets frequency code 8, status ``closed`` and a history row
    whose note starts with ``voided``.
    """
    record, claim = _resubmission(session, claim_record_id, "8", {})
    note = f"voided: void (8) of payer claim {record.payer_claim_number}"
    _mark(session, record, "8", "closed", note, who)
    return claim


# =================================================================================
# Appeal letter
# =================================================================================
def denial_carc(session: Session, claim_record_id: int) -> str:
    """The CARC that denied a claim: its first denial work item, else its first CO
    adjustment with a denial CARC; ``""`` when there is none."""
    query = select(WorkItem.carc).where(
        WorkItem.claim_id == claim_record_id, WorkItem.kind == "denial", WorkItem.carc != ""
    )
    carc = session.scalars(query.order_by(WorkItem.id)).first()
    if carc:
        return carc
    adjustments = select(Adjustment.carc).where(
        Adjustment.claim_id == claim_record_id,
        Adjustment.group_code == "CO",
        Adjustment.carc.in_(sorted(denial_carcs())),
    )
    return session.scalars(adjustments.order_by(Adjustment.id)).first() or ""


def _denied_on(session: Session, record: ClaimRecord) -> dt.date | None:
    query = select(ClaimStatusHistory.at).where(
        ClaimStatusHistory.claim_id == record.id, ClaimStatusHistory.status == "denied"
    )
    at = session.scalars(query.order_by(ClaimStatusHistory.id)).first()
    return at.date() if at else None


def _letter_lines(
    session: Session, record: ClaimRecord, reason: str, today: dt.date
) -> list[tuple[str, str]]:
    """(style, text) pairs: style "h" heading, "b" bold, "" body, "w" wrapped, " " gap."""
    practice = session.scalars(select(Practice).order_by(Practice.id)).first()
    if practice is None:
        raise LookupError("the practice is not set up")
    enc = session.get(Encounter, record.encounter_id)
    payer = session.get(Payer, record.payer_id)
    policy = session.get(InsurancePolicy, record.policy_id)
    assert enc is not None and payer is not None and policy is not None
    carc = denial_carc(session, record.id)
    denied = _denied_on(session, record)
    prov = enc.provider
    patient = enc.patient
    return [
        ("h", practice.name),
        ("", f"{practice.street}, {practice.city}, {practice.state} {practice.zip}"),
        ("", f"Phone {practice.phone}   NPI {practice.npi}   Tax ID {practice.tax_id}"),
        (" ", ""),
        ("", today.strftime("%B %d, %Y").replace(" 0", " ")),
        (" ", ""),
        ("", f"{payer.name} - Appeals Department"),
        ("", f"{payer.street}, {payer.city}, {payer.state} {payer.zip}".strip(", ")),
        (" ", ""),
        ("b", "RE: Request for reconsideration of a denied claim"),
        (
            "",
            f"Patient: {patient.first} {patient.last}   Member ID: {mask_member_id(policy.member_id)}",
        ),
        (
            "",
            f"Payer claim number: {record.payer_claim_number or 'not assigned'}"
            f"   Patient account: {record.patient_account}",
        ),
        (
            "",
            f"Date of service: {enc.date_of_service:%m/%d/%Y}"
            f"   Submitted: {record.created_at:%m/%d/%Y}"
            + (f"   Denied: {denied:%m/%d/%Y}" if denied else ""),
        ),
        ("", f"Billed amount: ${record.total_charge:,.2f}"),
        (" ", ""),
        ("b", f"Denial reason: CARC {carc or 'none given'}"),
        ("w", carc_meaning(carc) if carc else "The remittance gave no reason code."),
        (" ", ""),
        ("", "To whom it may concern:"),
        ("w", "We ask you to reconsider the denial of the claim above for the following reasons."),
        ("w", reason),
        ("w", "Please reprocess the claim for payment. Supporting documentation is enclosed."),
        (" ", ""),
        ("", "Sincerely,"),
        (" ", ""),
        ("", "_______________________________"),
        ("", f"{prov.first} {prov.last}{', ' + prov.credential if prov.credential else ''}"),
        ("", f"Rendering provider, NPI {prov.npi}"),
        ("", practice.name),
    ]


def _draw_lines(canvas: Canvas, lines: list[tuple[str, str]]) -> None:
    y = PAGE_H - MARGIN
    width = PAGE_W - 2 * MARGIN
    for style, text in lines:
        font, size = {"h": ("Helvetica-Bold", 15), "b": ("Helvetica-Bold", 11)}.get(
            style, ("Helvetica", 10.5)
        )
        parts = simpleSplit(text, font, size, width) if style == "w" else [text]
        for part in parts or [""]:
            canvas.setFont(font, size)
            canvas.drawString(MARGIN, y, part)
            y -= size + 4 if style != " " else 6
    if y < MARGIN / 2:
        raise ValueError("the appeal argument is too long for one page; shorten it")


def appeal_letter_pdf(
    session: Session, claim_record_id: int, reason: str, *, today: dt.date | None = None
) -> bytes:
    """A one-page appeal letter for a denied claim, as PDF bytes.

    Practice letterhead, the payer, the patient with the member ID masked to its
    last four characters, the claim number and dates, the denial CARC with its
    plain-language meaning, the provider's argument (``reason``) and a signature
    block.  ``ValueError`` for an empty reason or one that does not fit a page.
    """
    if not reason.strip():
        raise ValueError("an appeal needs the provider's argument (reason)")
    record = _record(session, claim_record_id)
    lines = _letter_lines(session, record, reason.strip(), today or dt.date.today())
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=US_LETTER, invariant=True)
    canvas.setTitle(f"Appeal - claim {record.payer_claim_number or record.id}")
    _draw_lines(canvas, lines)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
