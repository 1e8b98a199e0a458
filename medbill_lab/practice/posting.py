"""ERA posting: submit claims, post 835 remittances, work the denials, read balances.

:func:`submit_encounters` turns encounters into submitted :class:`ClaimRecord` rows;
each stores the CLM01 patient account number exactly as :func:`build_claim` sends
it (``ClaimRecord.patient_account``, revision 0002), which the payer echoes in
CLP01.  :func:`post_remittance` posts one :class:`medbill_lab.payer.remittance.Remittance`
in ONE transaction: a payment per line, an adjustment per CAS triple, the claim
statuses, work-queue items, secondary claims and an audit row; or nothing at all.
A trace number (TRN02) is posted once per payer: the ``remittances`` table has a
unique constraint, so even two posters racing cannot both write.  A remittance
that does not balance (:func:`unbalanced`) is refused whole before anything is
written.

Balances per charge: the insurer balance (:func:`line_balance`) is the charge less
payer payments and all adjustments (contractual CO and patient-responsibility PR
alike); the patient's share (:func:`patient_balance`) is the PR adjustments less
patient payments.  A service the plan excludes comes back as PR (e.g. PR-204 with
N130), so it lands in the patient's balance and on the statement, not in a write-off.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from medbill_lab.claims import model as cms
from medbill_lab.payer import remittance as era
from medbill_lab.payer.carc import denial_carcs, suggested_fix
from medbill_lab.practice.billing import (
    build_claim,
    claim_payer,
    first_practice,
    policy_subscriber,
)
from medbill_lab.practice.db import (
    Adjustment,
    Charge,
    ClaimRecord,
    ClaimStatusHistory,
    Encounter,
    InsurancePolicy,
    Patient,
    Payer,
    Payment,
    Practice,
    SubmissionBatch,
    WorkItem,
    adjustment_columns,
    adjustment_value,
    audit,
    audit_many,
    remittance_columns,
    transaction,
)
from medbill_lab.practice.db import Remittance as RemittanceRow
from medbill_lab.x12 import x837p as x12_837p

ZERO = Decimal(0)
POSTABLE = ("submitted", "accepted")  # a claim waiting for its payer's answer
METHODS = {"ACH": "EFT", "CHK": "check", "NON": "none", "FWT": "wire"}

# Called after each line is posted (the line's rows are flushed, not committed);
# tests use it to fail or pause mid-transaction.  None in normal use.
after_line_posted: Callable[[Session, Charge], None] | None = None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def set_status(
    session: Session, claim: ClaimRecord, status: str, at: dt.datetime, note: str
) -> None:
    """Change a claim's status and add the status-history row."""
    claim.status = status
    session.add(ClaimStatusHistory(claim=claim, status=status, at=at, note=note))


# =================================================================================
# Submission
# =================================================================================
def _primary_policy(encounter: Encounter) -> InsurancePolicy:
    day = encounter.date_of_service
    return primary_policy(encounter.patient, day, f"encounter {encounter.id}")


def primary_policy(patient: Patient, day: dt.date, whose: str) -> InsurancePolicy:
    """The patient's primary (priority 1) policy active on ``day``, for a professional or a
    facility claim; ``ValueError`` naming ``whose`` claim it is when there is none."""
    active = [p for p in patient.policies if p.active_on(day)]
    policy = min(active, key=lambda p: p.priority, default=None)
    if policy is None or policy.priority != 1:
        raise ValueError(f"{whose}: no primary policy on {day}")
    return policy


def _submit_one(
    session: Session,
    encounter_id: int,
    batch: SubmissionBatch,
    when: dt.datetime,
    sent: set[tuple[int, int]],
    practice: Practice | None,
) -> tuple[dict, cms.Claim]:
    """The claim record's columns and the claim as sent, for one encounter."""
    claim = build_claim(
        session, encounter_id, submitted_on=when.date(), practice=practice
    )  # CLM01 as sent
    encounter = session.get(Encounter, encounter_id)
    assert encounter is not None  # build_claim raised LookupError otherwise
    policy = _primary_policy(encounter)
    if (encounter_id, policy.id) in sent:
        raise ValueError(f"encounter {encounter_id} already has a claim to {policy.payer.name}")
    sent.add((encounter_id, policy.id))
    record = {
        "encounter_id": encounter_id,
        "payer_id": policy.payer_id,
        "policy_id": policy.id,
        "batch_id": batch.id,
        "total_charge": claim.total_charge,
        "created_at": when,
        "patient_account": claim.patient_account,
        "status": "submitted",
        "frequency_code": "1",
        "payer_claim_number": "",
    }
    return record, claim


def _already_sent(session: Session, encounter_ids: Sequence[int]) -> set[tuple[int, int]]:
    """(encounter id, policy id) of the claims these encounters already have."""
    out: set[tuple[int, int]] = set()
    ids = list(encounter_ids)
    for start in range(0, len(ids), 500):
        query = select(ClaimRecord.encounter_id, ClaimRecord.policy_id).where(
            ClaimRecord.encounter_id.in_(ids[start : start + 500])
        )
        out.update((e, p) for e, p in session.execute(query))
    return out


def new_batch(session: Session, when: dt.datetime) -> SubmissionBatch:
    """A new submission batch with the next control number (flushed, so it has an id)."""
    number = (session.scalar(select(func.max(SubmissionBatch.control_number))) or 0) + 1
    batch = SubmissionBatch(created_at=when, control_number=number)
    session.add(batch)
    session.flush()
    return batch


def submit_encounters(
    session: Session,
    encounter_ids: Sequence[int],
    *,
    when: dt.datetime,
    who: str = "biller",
    built: dict[int, cms.Claim] | None = None,
    practice: Practice | None = None,
) -> SubmissionBatch:
    """Submit a primary claim per encounter in one new batch, all or nothing.

    Each :class:`ClaimRecord` gets status ``submitted``, the total of its charges,
    the primary policy's payer and ``patient_account`` as :func:`build_claim`
    fills CLM01; each gets a status-history row, the batch an audit row.  A
    self-pay encounter, an unknown one, or one already claimed to that payer
    raises (``ValueError``/``LookupError``) and nothing is written.  When
    ``built`` is given it receives each claim as sent, by :class:`ClaimRecord` id;
    ``practice`` is the billing practice when the caller already loaded it.
    """
    if not encounter_ids:
        raise ValueError("no encounters to submit")
    with transaction(session):
        batch = new_batch(session, when)
        sent = _already_sent(session, encounter_ids)
        practice = practice or first_practice(session)
        with session.no_autoflush:
            pairs = [_submit_one(session, e, batch, when, sent, practice) for e in encounter_ids]
        # one multi-row INSERT per table: a day's batch is written in a few statements
        query = insert(ClaimRecord).returning(ClaimRecord.id, sort_by_parameter_order=True)
        ids = session.scalars(query, [r for r, _ in pairs]).all()
        note = f"batch {batch.control_number}"
        history = [{"claim_id": i, "status": "submitted", "at": when, "note": note} for i in ids]
        session.execute(insert(ClaimStatusHistory), history)
        if built is not None:
            built.update((i, c) for i, (_, c) in zip(ids, pairs, strict=True))
        total = sum((r["total_charge"] for r, _ in pairs), ZERO)
        audit_many(
            session,
            [
                {
                    "action": "submit_claims",
                    "table_name": "submission_batches",
                    "record_id": batch.id,
                    "who": who,
                    "at": when,
                    "detail": f"{len(ids)} claims, ${total}",
                }
            ],
        )
    return batch


# =================================================================================
# Posting
# =================================================================================
@dataclass
class PostingResult:
    """What :func:`post_remittance` did; ``already_posted`` means nothing was written."""

    trace_number: str
    remittance_id: int | None
    already_posted: bool = False
    claims_posted: int = 0
    lines_posted: int = 0
    payments: int = 0
    adjustments: int = 0
    work_items: int = 0
    secondary_claims: list[int] = field(default_factory=list)


class _Loaded:
    """What posting one remittance reads, loaded in a few queries up front.

    Open claims by patient account, each encounter's date, the charges of every
    candidate encounter and their balances before this remittance, the patients'
    secondary policies and the secondary claims that already exist.  Posting
    then works in memory and writes its rows in bulk at the end.
    """

    def __init__(self, session: Session, payer: Payer, remit: era.Remittance) -> None:
        accounts = sorted({rc.patient_account for rc in remit.claims})
        numbers = sorted({rc.payer_claim_number[:30] for rc in remit.claims if rc.status == "22"})
        self.open: dict[str, list[ClaimRecord]] = defaultdict(list)
        self.posted: dict[tuple[str, str], ClaimRecord] = {}
        claims: list[ClaimRecord] = []
        for chunk in _chunks(accounts):
            query = select(ClaimRecord).where(
                ClaimRecord.patient_account.in_(chunk), ClaimRecord.payer_id == payer.id
            )
            claims += session.scalars(query.order_by(ClaimRecord.id))
        for claim in claims:
            if claim.status in POSTABLE:
                self.open[claim.patient_account].append(claim)
            if claim.payer_claim_number in numbers:
                self.posted[(claim.patient_account, claim.payer_claim_number)] = claim
        encounter_ids = sorted({c.encounter_id for c in claims})
        self.encounters: dict[int, Encounter] = {}
        self.charges: dict[int, list[Charge]] = defaultdict(list)
        for chunk in _chunks(encounter_ids):
            query = select(Encounter).where(Encounter.id.in_(chunk))
            query = query.options(selectinload(Encounter.patient).selectinload(Patient.policies))
            self.encounters.update((e.id, e) for e in session.scalars(query))
            rows = select(Charge).where(Charge.encounter_id.in_(chunk)).order_by(Charge.line_number)
            for charge in session.scalars(rows):
                self.charges[charge.encounter_id].append(charge)
        every = [c for rows in self.charges.values() for c in rows]
        self.balance = dict(zip([c.id for c in every], _line_balances(session, every), strict=True))
        self.has_secondary: set[int] = set()
        for chunk in _chunks([c.id for c in claims]):
            query = select(ClaimRecord.prior_claim_id).where(ClaimRecord.prior_claim_id.in_(chunk))
            self.has_secondary.update(session.scalars(query))
        # for secondary claims: what earlier payers already adjusted on each charge
        self.adjusted: dict[int, list[era.Adjustment]] = defaultdict(list)
        secondary = [c.encounter_id for c in claims if c.prior_claim_id is not None]
        for chunk in _chunks(sorted(set(secondary))):
            ids = select(Charge.id).where(Charge.encounter_id.in_(chunk))
            rows = select(Adjustment).where(Adjustment.charge_id.in_(ids)).order_by(Adjustment.id)
            for a in session.scalars(rows):
                self.adjusted[a.charge_id].append(adjustment_value(a))  # type: ignore[index]


def _chunks(ids: Sequence, size: int = 500) -> Iterator[list]:
    """``ids`` in lists of at most ``size`` (an IN list stays under SQLite's limits)."""
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


@dataclass
class _Context:
    """One posting run: the remittance row, the payer, when, the rows to write, the tally."""

    session: Session
    row: RemittanceRow
    payer: Payer
    at: dt.datetime
    method: str
    result: PostingResult
    loaded: _Loaded
    pending: dict[type, list[dict]] = field(default_factory=lambda: defaultdict(list))
    secondaries: list[ClaimRecord] = field(default_factory=list)

    def add(self, model: type, **values: object) -> None:
        """Queue one row for the bulk insert at the end of the run."""
        self.pending[model].append(values)

    def work(self, kind: str, claim: ClaimRecord | None, **fields: object) -> None:
        """Queue a work item on this remittance."""
        values = {
            "group_code": "",
            "carc": "",
            "amount": ZERO,
            "patient_account": "",
            "detail": "",
            "charge_id": None,
        }
        self.add(
            WorkItem,
            **{**values, **fields},
            remittance_id=self.row.id,
            claim_id=claim.id if claim else None,
            kind=kind,
            created_at=self.at,
        )
        self.result.work_items += 1

    def status(self, claim: ClaimRecord, status: str, note: str) -> None:
        """Set a claim's status and queue its history row."""
        claim.status = status
        self.add(ClaimStatusHistory, claim_id=claim.id, status=status, at=self.at, note=note)

    def write(self) -> None:
        """Insert every queued row (one executemany per table) and flush the ORM."""
        self.session.flush()
        for model in (Payment, Adjustment, WorkItem, ClaimStatusHistory):
            if self.pending[model]:
                self.session.execute(insert(model), self.pending[model])
        self.pending.clear()


def _our_payers(session: Session) -> str:
    """The practice's payers as ``NAME=ID, ...`` for a message."""
    payers = session.scalars(select(Payer).order_by(Payer.payer_id))
    return ", ".join(f"{p.name}={p.payer_id}" for p in payers) or "none yet"


def resolve_payer_map(session: Session, pairs: Iterable[str]) -> dict[str, str]:
    """Read ``--payer-map OUTSIDE=OURS`` pairs into ``{outside ID: our payer ID}``.

    OURS is one of the practice's payer IDs, or a payer's name (any case).  A
    malformed pair or an OURS the practice does not know raises ``LookupError``
    with one line listing the practice's payers.  Reads in its own transaction,
    so a caller's posting that follows is still one transaction that commits.
    """
    with transaction(session):
        return {outside: ours for outside, ours in (_map_one(session, p) for p in pairs)}


def _map_one(session: Session, pair: str) -> tuple[str, str]:
    """One ``OUTSIDE=OURS`` pair as (outside ID, our payer ID)."""
    outside, sep, ours = (part.strip() for part in pair.partition("="))
    if not (sep and outside and ours):
        raise LookupError(f"--payer-map {pair!r}: write it as OUTSIDE_ID=OUR_PAYER_ID")
    query = select(Payer).where((Payer.payer_id == ours) | (func.upper(Payer.name) == ours.upper()))
    payer = session.scalars(query).first()
    if payer is None:
        raise LookupError(
            f"--payer-map {outside}={ours}: {ours} is not one of this practice's payers "
            f"({_our_payers(session)})"
        )
    return outside, payer.payer_id


def _find_payer(
    session: Session, remit: era.Remittance, payer_map: Mapping[str, str] | None = None
) -> Payer:
    payer_id = (payer_map or {}).get(remit.payer_id, remit.payer_id)
    payer = session.scalars(select(Payer).where(Payer.payer_id == payer_id)).first()
    if payer is None:
        name = f" ({remit.payer_name})" if remit.payer_name else ""
        raise LookupError(
            f"remittance {remit.trace_number}: payer {remit.payer_id}{name} is not one of this "
            f"practice's payers ({_our_payers(session)}): post again with "
            f"--payer-map {remit.payer_id}=OUR_PAYER_ID; nothing posted"
        )
    return payer


def _posted(session: Session, payer: Payer, trace: str) -> RemittanceRow | None:
    query = select(RemittanceRow).where(
        RemittanceRow.payer_id == payer.id, RemittanceRow.trace_number == trace
    )
    return session.scalars(query).first()


def _is_denial(adj: era.Adjustment) -> bool:
    return adj.group == "CO" and adj.carc in denial_carcs()


def is_denied(remit_claim: era.RemitClaim) -> bool:
    """A denial: status 4, a CO denial CARC, or nothing paid with CO other than 45.

    >>> co45 = era.Adjustment("CO", "45", Decimal(40))
    >>> is_denied(era.RemitClaim("A1", "1", Decimal(100), Decimal(60), ZERO, "CI", "X", adjustments=[co45]))
    False
    >>> co97 = era.Adjustment("CO", "97", Decimal(100))
    >>> is_denied(era.RemitClaim("A1", "1", Decimal(100), ZERO, ZERO, "CI", "X", adjustments=[co97]))
    True
    """
    adjustments = remit_claim.all_adjustments()
    if remit_claim.status == "4" or any(_is_denial(a) for a in adjustments):
        return True
    other_co = any(a.group == "CO" and a.carc != "45" for a in adjustments)
    return remit_claim.paid == 0 and other_co


def _line_denials(line: era.RemitLine) -> list[era.Adjustment]:
    """The adjustments that deny this line (all CO but 45 when nothing was paid)."""
    if line.paid == 0:
        return [a for a in line.adjustments if a.group == "CO" and a.carc != "45"]
    return [a for a in line.adjustments if _is_denial(a)]


def _narrow(claims: list[ClaimRecord], keep: Callable[[ClaimRecord], bool]) -> list[ClaimRecord]:
    narrowed = [c for c in claims if keep(c)]
    return narrowed if narrowed else claims


def _match(loaded: _Loaded, rc: era.RemitClaim) -> tuple[ClaimRecord | None, int]:
    """The open claim an 835 claim pays, and how many candidates were left.

    Matches CLP01 to ``ClaimRecord.patient_account`` for this payer among claims
    awaiting an answer; several (a patient's many visits) are narrowed by total
    charge (CLP03) and then by the lines' service dates.  ``(None, n)`` when
    ``n`` is 0 (unmatched) or more than 1 (ambiguous).
    """
    found = loaded.open.get(rc.patient_account, [])
    if len(found) > 1:
        found = _narrow(found, lambda c: c.total_charge == rc.charge)
    dates = {line.date for line in rc.lines if line.date}
    if len(found) > 1 and dates:
        found = _narrow(found, lambda c: loaded.encounters[c.encounter_id].date_of_service in dates)
    return (found[0], 1) if len(found) == 1 else (None, len(found))


def match_line(line: era.RemitLine, charges: Iterable[Charge]) -> Charge | None:
    """The charge a service line pays: same code and modifiers; among several,
    the same charge amount, then the same units, then the first.

    >>> c = [Charge(id=1, code="99213", modifiers="25", amount=Decimal(125), units=1),
    ...      Charge(id=2, code="99213", modifiers="", amount=Decimal(125), units=1)]
    >>> match_line(era.RemitLine("99213", Decimal(125), Decimal(80)), c).id
    2
    """
    want = sorted(m.upper() for m in line.modifiers)
    found = [c for c in charges if c.code == line.code.upper() and sorted(c.modifier_list) == want]
    for keep in (lambda c: c.amount == abs(line.charge), lambda c: c.units == abs(line.units)):
        found = [c for c in found if keep(c)] or found
    return found[0] if found else None


def _post_money(
    ctx: _Context,
    claim: ClaimRecord,
    charge: Charge | None,
    amount: Decimal,
    adjustments: Sequence[era.Adjustment],
) -> None:
    """A payer payment (when not zero) and one adjustment row per CAS triple."""
    charge_id = charge.id if charge else None
    day = ctx.row.paid_on
    if amount and charge is not None:
        patient_id = ctx.loaded.encounters[charge.encounter_id].patient_id
        ctx.add(
            Payment,
            source="payer",
            remittance_id=ctx.row.id,
            claim_id=claim.id,
            charge_id=charge_id,
            patient_id=patient_id,
            method=ctx.method,
            amount=amount,
            received_on=day,
        )
        ctx.result.payments += 1
    for adj in adjustments:
        ctx.add(
            Adjustment,
            claim_id=claim.id,
            charge_id=charge_id,
            remittance_id=ctx.row.id,
            posted_on=day,
            **adjustment_columns(adj),
        )
        ctx.result.adjustments += 1
    if charge is not None:
        ctx.loaded.balance[charge.id] -= amount + sum((a.amount for a in adjustments), ZERO)


def _secondary_adjustments(
    ctx: _Context, charge: Charge, line: era.RemitLine
) -> list[era.Adjustment]:
    """What a secondary payer's line adds to the ledger.

    Its CAS restates the prior payer's answer: OA 23 (the prior payment) and
    the prior payer's own write-offs are already posted, so they are skipped.
    The patient's share is re-decided: the PR the primary posted is taken back
    (PR 23, negative) and the secondary's PR is posted instead, so the patient
    owes what the secondary did not pay, and the line still balances.
    """
    earlier = list(ctx.loaded.adjusted.get(charge.id, []))
    new: list[era.Adjustment] = []
    for adj in line.adjustments:
        repeat = next(
            (
                a
                for a in earlier
                if a.group != "PR"
                and (a.group, a.carc, a.amount) == (adj.group, adj.carc, adj.amount)
            ),
            None,
        )
        if repeat is not None:
            earlier.remove(repeat)
        elif not (adj.group == "OA" and adj.carc == "23"):
            new.append(adj)
    owed = sum((a.amount for a in ctx.loaded.adjusted.get(charge.id, []) if a.group == "PR"), ZERO)
    if owed:
        new.append(era.Adjustment("PR", "23", -owed))
    return new


def _post_line(ctx: _Context, claim: ClaimRecord, line: era.RemitLine, charge: Charge) -> None:
    if claim.prior_claim_id is not None:
        _post_money(ctx, claim, charge, line.paid, _secondary_adjustments(ctx, charge, line))
    else:
        _post_money(ctx, claim, charge, line.paid, line.adjustments)
    for adj in _line_denials(line):
        ctx.work(
            "denial",
            claim,
            charge_id=charge.id,
            group_code=adj.group,
            carc=adj.carc,
            amount=adj.amount,
            patient_account=claim.patient_account,
            detail=f"{line.code} remarks {','.join(line.remarks) or '-'}",
        )
    ctx.result.lines_posted += 1
    if after_line_posted is not None:
        ctx.write()
        after_line_posted(ctx.session, charge)


def _post_lines(
    ctx: _Context, claim: ClaimRecord, rc: era.RemitClaim, charges: list[Charge]
) -> int:
    """Post every line that matches a charge; the rest go to the work queue."""
    free = list(charges)
    unmatched = 0
    for line in rc.lines:
        charge = match_line(line, free)
        if charge is None:
            unmatched += 1
            mods = ",".join(line.modifiers)
            ctx.work(
                "unmatched line",
                claim,
                amount=line.paid,
                patient_account=rc.patient_account,
                detail=f"{line.code} {mods} charge {line.charge} paid {line.paid}",
            )
            continue
        free.remove(charge)
        _post_line(ctx, claim, line, charge)
    return unmatched


def session_charges(session: Session, claim: ClaimRecord) -> list[Charge]:
    """The charges (service lines) of a claim's encounter, in line order."""
    query = select(Charge).where(Charge.encounter_id == claim.encounter_id)
    return list(session.scalars(query.order_by(Charge.line_number)))


def _claim_status(rc: era.RemitClaim, open_lines: bool) -> str:
    """``denied`` when the claim or every line was denied; ``partially paid`` when some
    line was denied or still has an insurer balance; else ``paid``."""
    denied_lines = [bool(_line_denials(line)) for line in rc.lines]
    if rc.status == "4" or (denied_lines and all(denied_lines)) or (is_denied(rc) and rc.paid == 0):
        return "denied"
    return "partially paid" if any(denied_lines) or is_denied(rc) or open_lines else "paid"


def _post_claim_adjustments(ctx: _Context, claim: ClaimRecord, rc: era.RemitClaim) -> None:
    """Claim-level CAS: posted without a line, and queued for a person to allocate."""
    _post_money(ctx, claim, None, ZERO, rc.adjustments)
    for adj in rc.adjustments:
        ctx.work(
            "claim adjustment",
            claim,
            group_code=adj.group,
            carc=adj.carc,
            amount=adj.amount,
            patient_account=rc.patient_account,
            detail="claim-level CAS: allocate to a line",
        )


def _spread_claim_level(
    ctx: _Context, claim: ClaimRecord, rc: era.RemitClaim, charges: list[Charge]
) -> list[tuple[Charge, Decimal, list[era.Adjustment]]] | None:
    """A claim paid only at the claim level (no SVC lines, as an inpatient DRG claim comes
    back: X221A1 sends lines only when one is adjusted on its own), laid over its charges.

    The payment and then each CAS amount fill the charges in line order, so every charge
    ends balanced and the totals are the 835's.  None (post at the claim level, for a person
    to allocate) when the claim has lines, is a secondary claim, carries a negative amount,
    or its amounts do not add up to the charges' open balance.
    """
    if rc.lines or not charges or claim.prior_claim_id is not None:
        return None
    pieces: list[tuple[era.Adjustment | None, Decimal]] = [(None, rc.paid)]
    pieces += [(adj, adj.amount) for adj in rc.adjustments]
    balances = [ctx.loaded.balance[c.id] for c in charges]
    if any(amount < 0 for _, amount in pieces) or any(b < 0 for b in balances):
        return None
    if sum((amount for _, amount in pieces), ZERO) != sum(balances, ZERO):
        return None
    queue = [[adj, amount] for adj, amount in pieces if amount]
    out = []
    for charge, room in zip(charges, balances, strict=True):
        paid, adjustments = ZERO, []
        while room and queue:
            adj, left = queue[0]
            take = min(room, left)
            if adj is None:
                paid += take
            else:
                adjustments.append(era.Adjustment(adj.group, adj.carc, take, adj.quantity))
            room -= take
            queue[0][1] = left - take
            if queue[0][1] == 0:
                queue.pop(0)
        out.append((charge, paid, adjustments))
    return out


def _post_reversal(ctx: _Context, rc: era.RemitClaim) -> None:
    """CLP02 22: take back an earlier payment, line by line, and reopen the claim.

    The reversal carries the original amounts negated; posting them as they are
    undoes the earlier payment and adjustments, and the claim waits again for
    the payer's corrected answer (usually the next CLP in the same 835).
    """
    claim = ctx.loaded.posted.get((rc.patient_account, rc.payer_claim_number[:30]))
    if claim is None:
        ctx.work(
            "reversal",
            None,
            amount=rc.paid,
            patient_account=rc.patient_account,
            detail=f"payer claim {rc.payer_claim_number}: no posted claim to reverse",
        )
        return
    unmatched = _post_lines(ctx, claim, rc, ctx.loaded.charges[claim.encounter_id])
    _post_money(ctx, claim, None, ZERO, rc.adjustments)
    if unmatched:
        ctx.work(
            "reversal",
            claim,
            amount=rc.paid,
            patient_account=rc.patient_account,
            detail=f"payer claim {rc.payer_claim_number}: {unmatched} lines not reversed",
        )
    ctx.status(claim, "accepted", f"835 {ctx.row.trace_number}: reversed {rc.paid}")
    ctx.loaded.open[claim.patient_account].append(claim)
    ctx.result.claims_posted += 1


def _post_claim(ctx: _Context, rc: era.RemitClaim) -> None:
    if rc.status == "22":
        _post_reversal(ctx, rc)
        return
    claim, count = _match(ctx.loaded, rc)
    if claim is None:
        kind = "ambiguous claim" if count else "unmatched claim"
        ctx.work(
            kind,
            None,
            amount=rc.paid,
            patient_account=rc.patient_account,
            detail=f"CLP {rc.patient_account} charge {rc.charge} paid {rc.paid}: {count} candidates",
        )
        return
    ctx.loaded.open[claim.patient_account].remove(claim)
    claim.payer_claim_number = rc.payer_claim_number[:30]
    charges = ctx.loaded.charges[claim.encounter_id]
    unmatched = _post_lines(ctx, claim, rc, charges)
    spread = _spread_claim_level(ctx, claim, rc, charges)
    if spread is None:
        _post_claim_adjustments(ctx, claim, rc)
    else:  # a claim paid for as a whole (an inpatient DRG stay): account-level posting
        for charge, paid, adjustments in spread:
            _post_money(ctx, claim, charge, paid, adjustments)
    if rc.status == "4" and not any(_line_denials(line) for line in rc.lines):
        carc = next((a.carc for a in rc.all_adjustments() if a.group == "CO"), "")
        ctx.work(
            "denial",
            claim,
            group_code="CO" if carc else "",
            carc=carc,
            amount=rc.charge,
            patient_account=rc.patient_account,
            detail="claim denied",
        )
    open_lines = unmatched > 0 or any(ctx.loaded.balance[c.id] != 0 for c in charges)
    status = _claim_status(rc, open_lines)
    ctx.status(claim, status, f"835 {ctx.row.trace_number}: paid {rc.paid}")
    ctx.result.claims_posted += 1
    if rc.patient_responsibility > 0 and status != "denied" and claim.prior_claim_id is None:
        _maybe_secondary(ctx, claim)


def _maybe_secondary(ctx: _Context, primary: ClaimRecord) -> None:
    """A ``ready for secondary`` claim when the patient has a secondary policy."""
    encounter = ctx.loaded.encounters[primary.encounter_id]
    day = encounter.date_of_service
    policy = next(
        (p for p in encounter.patient.policies if p.priority == 2 and p.active_on(day)), None
    )
    if policy is None or primary.id in ctx.loaded.has_secondary:
        return
    secondary = ClaimRecord(
        encounter_id=primary.encounter_id,
        payer_id=policy.payer_id,
        policy_id=policy.id,
        total_charge=primary.total_charge,
        created_at=ctx.at,
        patient_account=primary.patient_account,
        prior_claim_id=primary.id,
    )
    ctx.session.add(secondary)
    set_status(ctx.session, secondary, "ready for secondary", ctx.at, f"after claim {primary.id}")
    ctx.loaded.has_secondary.add(primary.id)
    ctx.secondaries.append(secondary)  # its id comes with the flush in ctx.write()


def _post(
    session: Session,
    remit: era.Remittance,
    who: str,
    at: dt.datetime,
    payer_map: Mapping[str, str] | None = None,
) -> PostingResult:
    payer = _find_payer(session, remit, payer_map)
    result = PostingResult(remit.trace_number, None)
    done = _posted(session, payer, remit.trace_number)
    if done is not None:
        result.remittance_id, result.already_posted = done.id, True
        return result
    row = RemittanceRow(**remittance_columns(remit, payer, at.date()))
    session.add(row)
    session.flush()  # a concurrent poster of the same trace fails here (unique constraint)
    result.remittance_id = row.id
    loaded = _Loaded(session, payer, remit)
    method = METHODS.get(remit.method, remit.method[:10])
    ctx = _Context(session, row, payer, at, method, result, loaded)
    with session.no_autoflush:
        for rc in remit.claims:
            _post_claim(ctx, rc)
        for plb in remit.provider_adjustments:
            ctx.work(
                "provider adjustment",
                None,
                carc=plb.reason[:5],
                amount=plb.amount,
                detail=f"PLB {plb.reason} {plb.reference}",
            )
    ctx.write()
    result.secondary_claims = [c.id for c in ctx.secondaries]
    audit(
        session,
        "post_remittance",
        "remittances",
        row.id,
        who=who,
        at=at,
        detail=f"trace {remit.trace_number}: {result.claims_posted} claims, "
        f"{result.payments} payments, {result.adjustments} adjustments, "
        f"{result.work_items} work items",
    )
    session.flush()
    return result


def _money(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def _sum_adjustments(adjustments: Iterable[era.Adjustment]) -> Decimal:
    return sum((a.amount for a in adjustments), ZERO)


def invalid_group_code(remit: era.Remittance) -> str:
    """The first CAS group code that is not valid in 5010 (e.g. the retired CR), as
    one line naming the claim; ``""`` when every group code is CO, PR, OA or PI."""
    for claim in remit.claims:
        for adj in claim.all_adjustments():
            problem = era.group_code_problem(adj.group)
            if problem:
                return f"remittance {remit.trace_number}: claim {claim.patient_account}: {problem}"
    return ""


def unbalanced(remit: era.Remittance) -> str:
    """Why a remittance does not balance, in one line naming the claim (CLP01) and
    the amounts; ``""`` when it balances.

    The 835 balancing rules (005010X221A1): per service line, SVC02 charge -
    SVC03 paid = the line's CAS total; per claim, CLP03 charge - CLP04 paid = the
    claim's CAS plus all its lines' CAS; and BPR02 = the claims' CLP04 - PLB.
    """
    trace = remit.trace_number
    for claim in remit.claims:
        for number, line in enumerate(claim.lines, 1):
            cas = _sum_adjustments(line.adjustments)
            if line.charge - line.paid != cas:
                return (
                    f"remittance {trace}: claim {claim.patient_account} line {number} ({line.code}) "
                    f"does not balance: charge {_money(line.charge)} - paid {_money(line.paid)} = "
                    f"{_money(line.charge - line.paid)}, but its adjustments total {_money(cas)}"
                )
        cas = _sum_adjustments(claim.all_adjustments())
        if claim.charge - claim.paid != cas:
            return (
                f"remittance {trace}: claim {claim.patient_account} does not balance: charge "
                f"{_money(claim.charge)} - paid {_money(claim.paid)} = "
                f"{_money(claim.charge - claim.paid)}, but its adjustments (claim and lines) "
                f"total {_money(cas)}"
            )
    paid = sum((c.paid for c in remit.claims), ZERO)
    plb = sum((p.amount for p in remit.provider_adjustments), ZERO)
    if remit.payment != paid - plb:
        return (
            f"remittance {trace}: the payment (BPR02) {_money(remit.payment)} is not the claims' "
            f"payments {_money(paid)} - provider adjustments (PLB) {_money(plb)} = {_money(paid - plb)}"
        )
    return ""


def post_remittance(
    session: Session,
    remit: era.Remittance,
    *,
    who: str = "poster",
    at: dt.datetime | None = None,
    payer_map: Mapping[str, str] | None = None,
) -> PostingResult:
    """Post an 835 in ONE transaction; posting the same trace number again does nothing.

    ``payer_map`` (from :func:`resolve_payer_map`) posts an outside payer's 835
    as one of ours: ``{outside payer ID: our payer ID}``.

    A remittance that does not balance (:func:`unbalanced`) is refused whole:
    ``ValueError`` with one line naming the claim and the amounts, nothing written.

    Status changes are dated ``at``: by default noon on the 835's payment date
    (BPR16), the day the money moved, else now.  Commits when the session had no
    open transaction, else works in a SAVEPOINT.  Any error (``LookupError`` for
    an unknown payer) leaves nothing written.  A concurrent poster that loses the
    race on the unique trace number gets a result with ``already_posted`` set.
    """
    problem = invalid_group_code(remit) or unbalanced(remit)
    if problem:
        raise ValueError(f"{problem}; nothing posted")
    if at is None:
        at = dt.datetime.combine(remit.paid_on, dt.time(12, 0)) if remit.paid_on else _now()
    try:
        with transaction(session):
            return _post(session, remit, who, at, payer_map)
    except IntegrityError:
        with transaction(session):
            payer = _find_payer(session, remit, payer_map)
            done = _posted(session, payer, remit.trace_number)
        if done is None:
            raise
        return PostingResult(remit.trace_number, done.id, already_posted=True)


# =================================================================================
# The work queue and secondary claims
# =================================================================================
@dataclass
class WorkGroup:
    """Open work items sharing a CARC ('' when there is none), with a suggested fix."""

    carc: str
    fix: str
    items: list[WorkItem]

    @property
    def total(self) -> Decimal:
        """The sum of the items' amounts."""
        return sum((i.amount for i in self.items), ZERO)


def work_queue(session: Session) -> list[WorkGroup]:
    """Unresolved work items grouped by CARC (sorted), oldest first in each group."""
    query = select(WorkItem).where(WorkItem.resolved_at.is_(None)).order_by(WorkItem.id)
    groups: dict[str, list[WorkItem]] = {}
    for item in session.scalars(query):
        groups.setdefault(item.carc, []).append(item)
    return [WorkGroup(carc, suggested_fix(carc), groups[carc]) for carc in sorted(groups)]


@dataclass
class SecondaryClaimData:
    """What a secondary claim reports about the primary payer (837P 2320/2430).

    ``lines`` are the primary's answers per charge, in line order, as remittance lines
    (code, charge, paid, CAS); the 837P carries them as
    :class:`medbill_lab.x12.x837p.PriorLine` (loop 2430: paid and CAS only).
    """

    claim_id: int
    prior_claim_id: int
    prior_payer_id: str
    prior_paid: Decimal
    patient_responsibility: Decimal
    claim_adjustments: list[era.Adjustment]
    lines: list[era.RemitLine]


class _PriorAnswers:
    """The primary claims' posted answers, for many secondary claims in a few queries:
    adjustments by (claim, charge) with their dates, payments by (claim, charge)."""

    def __init__(self, session: Session, prior_ids: Sequence[int]) -> None:
        self.adjusted: dict[tuple[int, int | None], list[era.Adjustment]] = defaultdict(list)
        self.paid: dict[tuple[int, int], Decimal] = {}
        self.last_day: dict[int, dt.date] = {}
        for chunk in _chunks(sorted(set(prior_ids))):
            rows = select(Adjustment).where(Adjustment.claim_id.in_(chunk)).order_by(Adjustment.id)
            for a in session.scalars(rows):
                assert a.claim_id is not None
                self.adjusted[(a.claim_id, a.charge_id)].append(adjustment_value(a))
                self.last_day[a.claim_id] = max(
                    a.posted_on, self.last_day.get(a.claim_id, a.posted_on)
                )
            sums = (
                select(
                    Payment.claim_id,
                    Payment.charge_id,
                    func.sum(Payment.amount),
                    func.max(Payment.received_on),
                )
                .where(Payment.claim_id.in_(chunk), Payment.source == "payer")
                .group_by(Payment.claim_id, Payment.charge_id)
            )
            for claim_id, charge_id, total, day in session.execute(sums):
                self.paid[(claim_id, charge_id)] = Decimal(total)
                self.last_day.setdefault(claim_id, day)


def _secondary_data(
    claim: ClaimRecord,
    prior: ClaimRecord,
    payer_id: str,
    charges: Sequence[Charge],
    answers: _PriorAnswers,
) -> SecondaryClaimData:
    lines = [
        era.RemitLine(
            c.code,
            c.amount,
            answers.paid.get((prior.id, c.id), ZERO),
            c.modifier_list,
            c.units,
            adjustments=answers.adjusted.get((prior.id, c.id), []),
        )
        for c in charges
    ]
    claim_adjustments = answers.adjusted.get((prior.id, None), [])
    every = claim_adjustments + [a for line in lines for a in line.adjustments]
    return SecondaryClaimData(
        claim_id=claim.id,
        prior_claim_id=prior.id,
        prior_payer_id=payer_id,
        prior_paid=sum((line.paid for line in lines), ZERO),
        patient_responsibility=sum((a.amount for a in every if a.group == "PR"), ZERO),
        claim_adjustments=claim_adjustments,
        lines=lines,
    )


def _secondary_claims(session: Session, claim_record_id: int) -> tuple[ClaimRecord, ClaimRecord]:
    claim = session.get(ClaimRecord, claim_record_id)
    if claim is None:
        raise LookupError(f"no claim with id {claim_record_id}")
    if claim.prior_claim_id is None:
        raise ValueError(f"claim {claim_record_id} is not a secondary claim")
    prior = session.get(ClaimRecord, claim.prior_claim_id)
    assert prior is not None
    return claim, prior


def secondary_claim_data(session: Session, claim_record_id: int) -> SecondaryClaimData:
    """The primary payer's payment and CAS for a secondary claim, claim and lines.

    Raises ``LookupError`` for an unknown claim and ``ValueError`` for a claim
    that follows no prior claim.
    """
    claim, prior = _secondary_claims(session, claim_record_id)
    payer = session.get(Payer, prior.payer_id)
    assert payer is not None
    answers = _PriorAnswers(session, [prior.id])
    return _secondary_data(claim, prior, payer.payer_id, session_charges(session, prior), answers)


def prior_payers(
    session: Session, claim_record_ids: Sequence[int]
) -> dict[int, x12_837p.PriorPayer]:
    """What each secondary claim's 837P says about its primary (loops 2320-2430), by
    claim id, read in a few queries however many claims there are.

    Errors are those of :func:`secondary_claim_data`.
    """
    pairs = [_secondary_claims(session, cid) for cid in claim_record_ids]
    answers = _PriorAnswers(session, [prior.id for _, prior in pairs])
    charges: dict[int, list[Charge]] = defaultdict(list)
    for chunk in _chunks(sorted({prior.encounter_id for _, prior in pairs})):
        rows = select(Charge).where(Charge.encounter_id.in_(chunk)).order_by(Charge.line_number)
        for charge in session.scalars(rows):
            charges[charge.encounter_id].append(charge)
    out = {}
    for claim, prior in pairs:
        policy = session.get(InsurancePolicy, prior.policy_id)
        encounter = session.get(Encounter, prior.encounter_id)
        assert policy is not None and encounter is not None
        data = _secondary_data(
            claim, prior, policy.payer.payer_id, charges[prior.encounter_id], answers
        )
        out[claim.id] = x12_837p.PriorPayer(
            payer=claim_payer(policy.payer),
            member_id=policy.member_id,
            subscriber=policy_subscriber(policy, encounter.patient),
            relationship=policy.relationship_to_insured,
            group_number=policy.group_number,
            plan_name=policy.plan_name,
            paid=data.prior_paid,
            adjudicated_on=answers.last_day.get(prior.id) or _now().date(),
            claim_adjustments=data.claim_adjustments,
            lines=[x12_837p.PriorLine(line.paid, line.adjustments) for line in data.lines],
        )
    return out


def prior_payer(session: Session, claim_record_id: int) -> x12_837p.PriorPayer:
    """What one secondary claim's 837P says about the primary (see :func:`prior_payers`)."""
    return prior_payers(session, [claim_record_id])[claim_record_id]


# =================================================================================
# Balances
# =================================================================================
class Receivables(NamedTuple):
    """Open balances: owed by insurers, owed by patients, and both."""

    insurance: Decimal
    patient: Decimal

    @property
    def total(self) -> Decimal:
        """Insurance plus patient balances."""
        return self.insurance + self.patient


def _sum(column: object, *where: object) -> Decimal:
    return select(func.coalesce(func.sum(column), 0)).where(*where)  # type: ignore[arg-type,return-value]


def line_balance(session: Session, charge_id: int) -> Decimal:
    """The insurer balance of a charge: amount - payer payments - all adjustments."""
    charge = session.get(Charge, charge_id)
    if charge is None:
        raise LookupError(f"no charge with id {charge_id}")
    paid = session.scalar(_sum(Payment.amount, Payment.charge_id == charge_id, Payment.source == "payer"))  # type: ignore[call-overload]  # fmt: skip
    adjusted = session.scalar(_sum(Adjustment.amount, Adjustment.charge_id == charge_id))  # type: ignore[call-overload]
    return charge.amount - Decimal(paid) - Decimal(adjusted)


def _line_balances(session: Session, charges: Sequence[Charge]) -> list[Decimal]:
    """:func:`line_balance` of each charge, in two queries for all of them."""
    ids = [c.id for c in charges]
    paid = dict(
        session.execute(
            select(Payment.charge_id, func.sum(Payment.amount))
            .where(Payment.charge_id.in_(ids), Payment.source == "payer")
            .group_by(Payment.charge_id)
        ).all()
    )
    adjusted = dict(
        session.execute(
            select(Adjustment.charge_id, func.sum(Adjustment.amount))
            .where(Adjustment.charge_id.in_(ids))
            .group_by(Adjustment.charge_id)
        ).all()
    )
    return [c.amount - Decimal(paid.get(c.id, 0)) - Decimal(adjusted.get(c.id, 0)) for c in charges]


def patient_balance(session: Session, charge_id: int) -> Decimal:
    """The patient's share of a charge: PR adjustments - patient payments."""
    owed = session.scalar(_sum(Adjustment.amount, Adjustment.charge_id == charge_id, Adjustment.group_code == "PR"))  # type: ignore[call-overload]  # fmt: skip
    paid = session.scalar(_sum(Payment.amount, Payment.charge_id == charge_id, Payment.source == "patient"))  # type: ignore[call-overload]  # fmt: skip
    return Decimal(owed) - Decimal(paid)


def accounts_receivable(session: Session) -> Receivables:
    """All open balances over every charge: insurance and patient (one query each part).

    Claim-level adjustments (no charge) are not in any balance; they wait in the
    work queue to be allocated to a line.
    """
    charged = session.scalar(select(func.coalesce(func.sum(Charge.amount), 0)))
    paid = session.scalar(_sum(Payment.amount, Payment.charge_id.is_not(None), Payment.source == "payer"))  # type: ignore[call-overload]  # fmt: skip
    adjusted = session.scalar(_sum(Adjustment.amount, Adjustment.charge_id.is_not(None)))  # type: ignore[call-overload]
    pr = session.scalar(_sum(Adjustment.amount, Adjustment.charge_id.is_not(None), Adjustment.group_code == "PR"))  # type: ignore[call-overload]  # fmt: skip
    patient_paid = session.scalar(_sum(Payment.amount, Payment.charge_id.is_not(None), Payment.source == "patient"))  # type: ignore[call-overload]  # fmt: skip
    insurance = Decimal(charged) - Decimal(paid) - Decimal(adjusted)
    return Receivables(insurance, Decimal(pr) - Decimal(patient_paid))
