"""The revenue cycle end to end: charge -> 837P -> simulated payer -> 835 -> posting -> aging.

:func:`submit_unclaimed` claims every insured encounter that has no claim yet
(one :func:`~medbill_lab.practice.posting.submit_encounters` batch and one 837P to the
clearinghouse per submission day).  :func:`adjudicate_submitted` runs the teaching
payer (:mod:`medbill_lab.payer.simulator`) over every submitted primary claim, with
the payer's policy read from the database (:func:`policy_for`): rejections go
back on a 277CA and the claim becomes ``rejected``; the rest go on one 835 per
payer.  :func:`post_835` parses an 835 text and posts it, all or nothing, like a
real ERA.  :func:`run_cycle` does all three; :func:`aging` buckets what is left.

Aging is by **date of service** (the day the charge was incurred), not by the
claim submission date.  The insurance balance of a charge is
:func:`~medbill_lab.practice.posting.line_balance` (insured charges not claimed yet show
under ``(no claim)``); the patient balance is
:func:`~medbill_lab.practice.posting.patient_balance`.  Self-pay visits are handed to
the patient by :func:`bill_self_pay`, so they age as patient AR.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, insert, or_, select
from sqlalchemy.orm import Session

from medbill_lab.claims import model as cms
from medbill_lab.payer import simulator as payer_sim
from medbill_lab.payer.remittance import RemitClaim, RemitLine, Remittance
from medbill_lab.practice import posting
from medbill_lab.practice.aging import BUCKETS, bucket
from medbill_lab.practice.billing import build_claim, encounter_loads, first_practice
from medbill_lab.practice.db import (
    Adjustment,
    Charge,
    ClaimRecord,
    ClaimStatusHistory,
    Encounter,
    InsurancePolicy,
    Patient,
    Payer,
    PayerRule,
    Payment,
    Practice,
    WorkItem,
    audit,
    transaction,
)
from medbill_lab.practice.db import Remittance as RemittanceRow
from medbill_lab.x12 import x835 as x12_835
from medbill_lab.x12 import x837p as x12_837p

ZERO = Decimal(0)
CENT = Decimal("0.01")
NO_CLAIM = "(no claim)"
Progress = Callable[[str], None] | None


def _report(progress: Progress, verb: str, done: int, total: int, what: str) -> None:
    """Call ``progress`` about every tenth of the way and at the end."""
    step = max(1, total // 10)
    if progress is not None and (done % step == 0 or done == total):
        progress(f"{verb} {done}/{total} {what}")


# =================================================================================
# The payer's policy from the database
# =================================================================================
def _rule_amount(rules: Iterable[PayerRule], kind: str) -> Decimal:
    return next((r.amount for r in rules if r.kind == kind and r.amount is not None), ZERO)


def _rule_codes(rules: Iterable[PayerRule], kind: str) -> frozenset[str]:
    return frozenset(r.code.upper() for r in rules if r.kind == kind and r.code)


def policy_for(session: Session, payer: Payer) -> payer_sim.PayerPolicy:
    """The simulator's :class:`~medbill_lab.payer.simulator.PayerPolicy` for a database payer:
    its fee schedule, copay, deductible (the full yearly amount), coinsurance,
    non-covered and prior-authorization codes and timely filing limit, and the plan
    options of :func:`medbill_lab.payer.simulator.plan_options`."""
    rules = list(session.scalars(select(PayerRule).where(PayerRule.payer_id == payer.id)))
    return payer_sim.PayerPolicy(
        name=payer.name,
        payer_id=payer.payer_id,
        allowed={f.code.upper(): Decimal(f.allowed) for f in payer.fees},
        deductible_remaining=_rule_amount(rules, "deductible"),
        coinsurance=_rule_amount(rules, "coinsurance_pct") / 100,
        copay_em=_rule_amount(rules, "copay"),
        non_covered=_rule_codes(rules, "non_covered"),
        prior_auth=_rule_codes(rules, "prior_auth"),
        timely_filing_days=payer.timely_filing_days,
        **payer_sim.plan_options(payer.payer_id),  # datasets/practice/payer_plans.csv
    )


# =================================================================================
# Submission
# =================================================================================
@dataclass
class Submission:
    """One submission batch: its payer ("" for the clearinghouse, which passes each
    claim on to its own payer), the claims sent and the 837P text."""

    payer_id: str
    control_number: int
    sent_on: dt.date
    claim_ids: list[int]
    claims: list[cms.Claim]
    text: str

    @property
    def file_name(self) -> str:
        """``837P-<payer or CLEARINGHOUSE>-<control number>.x12``."""
        return f"837P-{self.payer_id or 'CLEARINGHOUSE'}-{self.control_number:06d}.x12"


@dataclass
class SecondarySubmission(Submission):
    """A batch of secondary claims, with what the primary paid on each (by claim id)."""

    priors: dict[int, x12_837p.PriorPayer] = field(default_factory=dict)


def _primary_payer(encounter: Encounter) -> Payer | None:
    day = encounter.date_of_service
    active = [p for p in encounter.patient.policies if p.active_on(day)]
    first = min(active, key=lambda p: p.priority, default=None)
    return first.payer if first is not None and first.priority == 1 else None


def unclaimed_encounters(session: Session, through: dt.date) -> list[Encounter]:
    """Encounters on or before ``through`` with a primary policy and no claim yet."""
    claimed = select(ClaimRecord.encounter_id)
    query = (
        select(Encounter)
        .where(Encounter.date_of_service <= through, Encounter.id.not_in(claimed))
        .options(*encounter_loads())
        .order_by(Encounter.date_of_service, Encounter.id)
    )
    return [e for e in session.scalars(query) if _primary_payer(e) is not None]


def _groups(
    encounters: Sequence[Encounter], through: dt.date, lag_days: int
) -> dict[dt.date, list[int]]:
    """Encounter ids by submission day: a claim goes out ``lag_days`` after the
    visit, never after ``through``, in that day's one batch to the clearinghouse
    (an 837P names each claim's payer in its subscriber loop)."""
    groups: dict[dt.date, list[int]] = defaultdict(list)
    for enc in encounters:
        day = min(enc.date_of_service + dt.timedelta(days=lag_days), through)
        groups[day].append(enc.id)
    return groups


def _submit_batch(
    session: Session, day: dt.date, payer_id: str, ids: list[int], practice: Practice | None
) -> Submission:
    when = dt.datetime.combine(day, dt.time(9, 0))
    with transaction(session):
        sent: dict[int, cms.Claim] = {}
        batch = posting.submit_encounters(session, ids, when=when, built=sent, practice=practice)
        claim_ids = sorted(sent)
        built = [sent[cid] for cid in claim_ids]
        text = x12_837p.to_837p(built, control_number=batch.control_number, when=when)
        sub = Submission(payer_id, batch.control_number, day, claim_ids, built, text)
        batch.file_name = sub.file_name
    return sub


def submit_unclaimed(
    session: Session, *, through: dt.date, lag_days: int = 2, progress: Progress = None
) -> list[Submission]:
    """Submit every unclaimed insured encounter up to ``through``: one batch and one
    837P to the clearinghouse per submission day, each batch its own transaction."""
    with transaction(session):
        # held so the session's (weak) identity map keeps them loaded for build_claim
        encounters = unclaimed_encounters(session, through)
        groups = _groups(encounters, through, lag_days)
        practice = first_practice(session)
    total, done, out = sum(len(v) for v in groups.values()), 0, []
    for day, ids in sorted(groups.items()):
        out.append(_submit_batch(session, day, "", ids, practice))
        done += len(ids)
        _report(progress, "submitted", done, total, "encounters")
    del encounters
    return out


SELF_PAY = "SELF"  # practice-internal reason code, not a CARC: billed to the patient


def bill_self_pay(session: Session, *, through: dt.date, who: str = "biller") -> int:
    """Hand self-pay visits (no primary policy on the date of service) up to ``through``
    to the patient: each charge gets a ``PR SELF`` adjustment for its full amount.

    The insurer balance drops to 0 and the patient balance becomes the charge,
    so the visit shows in patient AR and on statements.  A charge is billed
    once; returns how many charges were handed over.  One transaction.
    """
    covered = (
        select(InsurancePolicy.id)
        .where(
            InsurancePolicy.patient_id == Encounter.patient_id,
            InsurancePolicy.priority == 1,
            InsurancePolicy.effective_date <= Encounter.date_of_service,
            or_(
                InsurancePolicy.termination_date.is_(None),
                InsurancePolicy.termination_date >= Encounter.date_of_service,
            ),
        )
        .exists()
    )
    billed = (
        select(Adjustment.id)
        .where(Adjustment.charge_id == Charge.id, Adjustment.carc == SELF_PAY)
        .exists()
    )
    query = (
        select(Charge.id, Charge.amount, Encounter.date_of_service)
        .join(Encounter, Charge.encounter_id == Encounter.id)
        .where(Encounter.date_of_service <= through, ~covered, ~billed)
        .order_by(Charge.id)
    )
    with transaction(session):
        rows = [
            {
                "claim_id": None,
                "charge_id": cid,
                "remittance_id": None,
                "group_code": "PR",
                "carc": SELF_PAY,
                "amount": amount,
                "posted_on": day,
            }
            for cid, amount, day in session.execute(query)
        ]
        if rows:
            session.execute(insert(Adjustment), rows)
            total = sum((r["amount"] for r in rows), ZERO)
            audit(
                session,
                "bill_self_pay",
                "charges",
                None,
                who=who,
                at=dt.datetime.combine(through, dt.time(9, 0)),
                detail=f"{len(rows)} charges, ${total}",
            )
    return len(rows)


def _ready_for_secondary(session: Session) -> dict[int, list[ClaimRecord]]:
    """Claims waiting for their secondary payer, by payer (oldest first)."""
    query = select(ClaimRecord).where(ClaimRecord.status == "ready for secondary")
    out: dict[int, list[ClaimRecord]] = defaultdict(list)
    for record in session.scalars(query.order_by(ClaimRecord.id)):
        out[record.payer_id].append(record)
    return out


def submit_secondaries(session: Session, *, when: dt.datetime) -> list[SecondarySubmission]:
    """Send every claim ready for secondary: one batch and one 837P per payer, all or nothing.

    Each claim goes to the patient's secondary policy (SBR01 ``S``) carrying
    what the primary paid and adjusted (loops 2320/2330/2430, from
    :func:`posting.prior_payer`), and becomes ``submitted``.
    """
    out = []
    with transaction(session):
        ready = _ready_for_secondary(session)
        # held so the (weak) identity map keeps them loaded for build_claim
        held = _claimed_encounters(session, [r.id for rows in ready.values() for r in rows])
    for records in ready.values():
        with transaction(session), session.no_autoflush:
            batch = posting.new_batch(session, when)
            built = []
            priors = posting.prior_payers(session, [r.id for r in records])
            for record in records:
                built.append(
                    build_claim(session, record.encounter_id, priority=2, submitted_on=when.date())
                )
                record.batch_id = batch.id
                posting.set_status(
                    session, record, "submitted", when, f"batch {batch.control_number}"
                )
            ids = [r.id for r in records]
            text = x12_837p.to_837p(
                built,
                control_number=batch.control_number,
                when=when,
                prior_payers={i: priors[cid] for i, cid in enumerate(ids)},
            )
            payer = session.get(Payer, records[0].payer_id)
            assert payer is not None
            sub = SecondarySubmission(
                payer.payer_id, batch.control_number, when.date(), ids, built, text, priors
            )
            batch.file_name = sub.file_name
            audit(
                session,
                "submit_secondary_claims",
                "submission_batches",
                batch.id,
                who="biller",
                at=when,
                detail=f"{len(ids)} secondary claims",
            )
        out.append(sub)
    del held
    return out


# =================================================================================
# Adjudication
# =================================================================================
@dataclass
class PayerRun:
    """One payer's answer: the 835 for adjudicated claims, the 277CA for rejected ones."""

    payer_id: str
    remittance: Remittance | None = None
    rejections: list[payer_sim.Rejection] = field(default_factory=list)
    text_835: str = ""
    text_277ca: str = ""

    @property
    def file_835(self) -> str:
        """``835-<payer>-<trace>.x12`` ('' when no claim was adjudicated)."""
        return f"835-{self.payer_id}-{self.remittance.trace_number}.x12" if self.remittance else ""

    @property
    def file_277ca(self) -> str:
        """``277CA-<payer>-<trace or count>.x12`` ('' when nothing was rejected)."""
        if not self.rejections:
            return ""
        tag = self.remittance.trace_number if self.remittance else f"R{len(self.rejections)}"
        return f"277CA-{self.payer_id}-{tag}.x12"


def _deductible_met(session: Session) -> dict[tuple[str, str, int], Decimal]:
    """PR-1 already posted, by (patient account, payer ID, calendar year of service)."""
    query = (
        select(
            ClaimRecord.patient_account,
            Payer.payer_id,
            Encounter.date_of_service,
            func.sum(Adjustment.amount),
        )
        .join(ClaimRecord, Adjustment.claim_id == ClaimRecord.id)
        .join(Payer, ClaimRecord.payer_id == Payer.id)
        .join(Encounter, ClaimRecord.encounter_id == Encounter.id)
        .where(Adjustment.group_code == "PR", Adjustment.carc == payer_sim.DEDUCTIBLE)
        .group_by(ClaimRecord.patient_account, Payer.payer_id, Encounter.date_of_service)
    )
    met: dict[tuple[str, str, int], Decimal] = defaultdict(lambda: ZERO)
    for account, payer_id, day, amount in session.execute(query):
        met[(account, payer_id, day.year)] += Decimal(amount).quantize(CENT)
    return met


def _trace(prefix: str, payer_id: str, claim_ids: Sequence[int]) -> str:
    """A trace number that names the claims it pays (the same claims, the same trace)."""
    digest = hashlib.sha256(",".join(map(str, claim_ids)).encode()).hexdigest()[:12].upper()
    return f"{prefix}{payer_id}{digest}"


def _mark_rejected(session: Session, record: ClaimRecord, why: str, at: dt.datetime) -> None:
    record.status = "rejected"
    session.add(ClaimStatusHistory(claim=record, status="rejected", at=at, note=f"277CA: {why}"))


def _submitted(session: Session) -> list[ClaimRecord]:
    query = (
        select(ClaimRecord)
        .join(Encounter, ClaimRecord.encounter_id == Encounter.id)
        .where(ClaimRecord.status == "submitted", ClaimRecord.prior_claim_id.is_(None))
        .order_by(Encounter.date_of_service, ClaimRecord.id)
    )
    return list(session.scalars(query))


class _Adjudicator:
    """Prices claims for one run, keeping each patient's deductible up to date."""

    def __init__(self, session: Session, paid_on: dt.date) -> None:
        self.session = session
        self.paid_on = paid_on
        self.policies: dict[int, payer_sim.PayerPolicy] = {}
        self.met = _deductible_met(session)

    def policy(self, payer: Payer) -> payer_sim.PayerPolicy:
        if payer.id not in self.policies:
            self.policies[payer.id] = policy_for(self.session, payer)
        return self.policies[payer.id]

    def run(self, claim: cms.Claim, payer: Payer) -> RemitClaim | payer_sim.Rejection:
        base = self.policy(payer)
        key = (claim.patient_account, payer.payer_id, claim.lines[0].date_from.year)
        left = max(ZERO, base.deductible_remaining - self.met[key])
        result = payer_sim.adjudicate(
            claim, dataclasses.replace(base, deductible_remaining=left), today=self.paid_on
        )
        if isinstance(result, RemitClaim):
            adjs = (a for ln in result.lines for a in ln.adjustments)
            self.met[key] += sum(
                (a.amount for a in adjs if a.group == "PR" and a.carc == "1"), ZERO
            )
        return result


def _payer_texts(run: PayerRun, payer: Payer, control: int, at: dt.datetime) -> None:
    if run.remittance is not None:
        run.text_835 = x12_835.to_835(run.remittance, control_number=control, when=at)
    if run.rejections:
        run.text_277ca = x12_835.to_277ca(
            run.rejections,
            payer_name=payer.name,
            payer_id=payer.payer_id,
            control_number=control,
            when=at,
        )


def adjudicate_submitted(
    session: Session,
    *,
    paid_on: dt.date,
    trace_prefix: str = "TRN",
    built: dict[int, cms.Claim] | None = None,
    progress: Progress = None,
) -> list[PayerRun]:
    """Run the teaching payer over every submitted primary claim (oldest service first).

    Rejected claims become ``rejected`` (committed here) and are listed on a 277CA;
    the others go, unposted, on one 835 per payer paid on ``paid_on``.  ``built``
    maps claim record ids to claims already built (saves rebuilding them).
    """
    at = dt.datetime.combine(paid_on, dt.time(12, 0))
    results: dict[int, list[tuple[ClaimRecord, cms.Claim, object]]] = defaultdict(list)
    with transaction(session):
        records = _submitted(session)
        judge = _Adjudicator(session, paid_on)
        for done, record in enumerate(records, 1):
            claim = (built or {}).get(record.id) or build_claim(
                session, record.encounter_id, submitted_on=record.created_at.date()
            )
            payer = session.get(Payer, record.payer_id)
            assert payer is not None
            result = judge.run(claim, payer)
            if isinstance(result, payer_sim.Rejection):
                _mark_rejected(session, record, result.reason, at)
            results[payer.id].append((record, claim, result))
            _report(progress, "adjudicated", done, len(records), "claims")
        items = enumerate(sorted(results.items()), 1)
        return [_payer_run(session, pid, rows, trace_prefix, paid_on, at, n) for n, (pid, rows) in items]  # fmt: skip


def _as_primary_answer(claim: cms.Claim, prior: x12_837p.PriorPayer) -> RemitClaim:
    """The primary's answer as a remittance claim, from what the 837P says about it."""
    lines = [
        RemitLine(
            ln.code,
            ln.charge,
            paid.paid,
            list(ln.modifiers),
            ln.units,
            ln.date_from,
            adjustments=list(paid.adjustments),
        )
        for ln, paid in zip(claim.lines, prior.lines, strict=True)
    ]
    pr = sum((a.amount for ln in lines for a in ln.adjustments if a.group == "PR"), ZERO)
    return RemitClaim(
        claim.patient_account,
        "1",
        claim.line_total(),
        prior.paid,
        pr,
        "",
        "",
        adjustments=list(prior.claim_adjustments),
        lines=lines,
    )


def _submitted_secondaries(session: Session) -> list[SecondarySubmission]:
    """Submitted secondary claims rebuilt from the database, one pseudo-batch each."""
    query = select(ClaimRecord).where(
        ClaimRecord.status == "submitted", ClaimRecord.prior_claim_id.is_not(None)
    )
    records = list(session.scalars(query.order_by(ClaimRecord.id)))
    priors = posting.prior_payers(session, [r.id for r in records])
    out = []
    for record in records:
        day = record.created_at.date()
        claim = build_claim(session, record.encounter_id, priority=2, submitted_on=day)
        out.append(
            SecondarySubmission(
                "", 0, day, [record.id], [claim], "", {record.id: priors[record.id]}
            )
        )
    return out


def adjudicate_secondaries(
    session: Session,
    subs: Sequence[SecondarySubmission] | None = None,
    *,
    paid_on: dt.date,
    trace_prefix: str = "SEC",
) -> list[PayerRun]:
    """The secondary payers' answers to submitted secondary claims: one 835 per payer.

    Each payer pays toward the patient's share the primary left by its own COB
    method (``secondary_method`` in ``datasets/practice/payer_plans.csv``; see
    :func:`payer_sim.adjudicate_secondary`).
    ``subs`` are the batches just sent; without them every submitted secondary
    claim in the database is rebuilt and answered.
    """
    at = dt.datetime.combine(paid_on, dt.time(12, 0))
    results: dict[int, list[tuple[ClaimRecord, cms.Claim, object]]] = defaultdict(list)
    with transaction(session):
        judge = _Adjudicator(session, paid_on)
        for sub in _submitted_secondaries(session) if subs is None else subs:
            for cid, claim in zip(sub.claim_ids, sub.claims, strict=True):
                record = session.get(ClaimRecord, cid)
                assert record is not None and record.status == "submitted"
                payer = session.get(Payer, record.payer_id)
                assert payer is not None
                primary = _as_primary_answer(claim, sub.priors[cid])
                result = payer_sim.adjudicate_secondary(claim, primary, judge.policy(payer))
                results[payer.id].append((record, claim, result))
        items = enumerate(sorted(results.items()), 1)
        return [_payer_run(session, pid, rows, trace_prefix, paid_on, at, 900 + n) for n, (pid, rows) in items]  # fmt: skip


def _payer_run(
    session: Session,
    payer_pk: int,
    rows: list,
    prefix: str,
    paid_on: dt.date,
    at: dt.datetime,
    control: int,
) -> PayerRun:
    payer = session.get(Payer, payer_pk)
    assert payer is not None
    run = PayerRun(payer.payer_id)
    run.rejections = [r for _, _, r in rows if isinstance(r, payer_sim.Rejection)]
    adjudicated = [(c, r) for _, c, r in rows if isinstance(r, RemitClaim)]
    if adjudicated:
        ids = [rec.id for rec, _, r in rows if isinstance(r, RemitClaim)]
        first = adjudicated[0][0]
        assert first.billing_provider is not None
        run.remittance = payer_sim.remit(
            adjudicated,
            first.payer,
            first.billing_provider,
            _trace(prefix, payer.payer_id, ids),
            paid_on,
        )
    _payer_texts(run, payer, control, at)
    return run


# =================================================================================
# Posting an 835
# =================================================================================
def post_835(
    session: Session,
    data: bytes | str,
    *,
    file_name: str = "",
    progress: Progress = None,
    payer_map: Mapping[str, str] | None = None,
) -> list[posting.PostingResult]:
    """Parse an 835 and post every remittance in it, all or nothing (``payer_map``:
    see :func:`posting.post_remittance`).  ``data`` is the file as it arrived (bytes) or
    its text: a byte-order mark, an unpadded ISA, any delimiters and line breaks post the
    same as the standard file (:func:`x12_835.parse_835`).

    A malformed file raises ``ValueError`` (from :func:`x12_835.parse_835`) and an
    unknown payer ``LookupError``; either way nothing is written.  A trace number
    already posted is a result with ``already_posted`` set.
    """
    remits = x12_835.parse_835(data)
    results = []
    with transaction(session):
        for done, remit in enumerate(remits, 1):
            result = posting.post_remittance(session, remit, payer_map=payer_map)
            if file_name and result.remittance_id and not result.already_posted:
                row = session.get(RemittanceRow, result.remittance_id)
                assert row is not None
                row.file_name = file_name[:200]
            results.append(result)
            _report(
                progress, "posted", done, len(remits), f"remittances ({len(remit.claims)} claims)"
            )
    return results


def work_summary(session: Session, remittance_ids: Iterable[int]) -> dict[str, int]:
    """Open work items created by these remittances, counted by kind.

    >>> from medbill_lab.practice.db import init_db, sessionmaker
    >>> with sessionmaker(init_db("sqlite://"))() as s:
    ...     work_summary(s, [1])
    {}
    """
    query = (
        select(WorkItem.kind, func.count())
        .where(WorkItem.remittance_id.in_(list(remittance_ids)), WorkItem.resolved_at.is_(None))
        .group_by(WorkItem.kind)
        .order_by(WorkItem.kind)
    )
    return {kind: n for kind, n in session.execute(query)}


# =================================================================================
# The whole cycle
# =================================================================================
@dataclass
class CycleReport:
    """What one :func:`run_cycle` did, and the files it produced (name -> X12 text)."""

    encounters: int = 0
    claims: int = 0
    rejected: int = 0
    paid: int = 0
    partially_paid: int = 0
    denied: int = 0
    remittances_posted: int = 0
    work_items: int = 0
    self_pay_charges: int = 0
    secondary_claims: int = 0
    secondary_paid: Decimal = ZERO
    ar: posting.Receivables = field(default_factory=lambda: posting.Receivables(ZERO, ZERO))
    files: dict[str, str] = field(default_factory=dict, repr=False)


def write_files(files: dict[str, str], folder: str | Path) -> list[Path]:
    """Write each text to ``folder/name`` (the folder is created); returns the paths."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in files.items():
        path = out / name
        path.write_text(text, encoding="ascii")
        paths.append(path)
    return paths


def submission_files(subs: Iterable[Submission]) -> dict[str, str]:
    """File name -> 837P text for submissions."""
    return {s.file_name: s.text for s in subs}


def payer_files(runs: Iterable[PayerRun]) -> dict[str, str]:
    """File name -> 835 or 277CA text for payer runs."""
    files = {}
    for run in runs:
        if run.text_835:
            files[run.file_835] = run.text_835
        if run.text_277ca:
            files[run.file_277ca] = run.text_277ca
    return files


def _statuses(session: Session, claim_ids: Sequence[int]) -> Counter[str]:
    found: Counter[str] = Counter()
    for start in range(0, len(claim_ids), 500):
        chunk = list(claim_ids[start : start + 500])
        found.update(session.scalars(select(ClaimRecord.status).where(ClaimRecord.id.in_(chunk))))
    return found


def _claimed_encounters(session: Session, claim_ids: Sequence[int]) -> list[Encounter]:
    """The encounters of these claims with what posting reads, in a few queries."""
    out: list[Encounter] = []
    for start in range(0, len(claim_ids), 500):
        chunk = list(claim_ids[start : start + 500])
        ids = select(ClaimRecord.encounter_id).where(ClaimRecord.id.in_(chunk))
        query = select(Encounter).where(Encounter.id.in_(ids)).options(*encounter_loads())
        out += session.scalars(query)
    return out


def _post_run(
    session: Session, run: PayerRun, report: CycleReport, progress: Progress
) -> list[int]:
    """Post a payer run's 835 text as a biller would; the remittance ids posted."""
    if not run.text_835:
        return []
    results = post_835(session, run.text_835, file_name=run.file_835, progress=progress)
    report.remittances_posted += sum(1 for r in results if not r.already_posted)
    return [r.remittance_id for r in results if r.remittance_id]


def run_cycle(
    session: Session,
    *,
    through: dt.date,
    trace_prefix: str = "TRN",
    progress: Progress = None,
    output: str | Path | None = None,
    lag_days: int = 2,
) -> CycleReport:
    """Charge to cash: submit unclaimed encounters up to ``through``, adjudicate every
    submitted claim (paid on ``through``), write each 835, parse it back and post
    what the file says; then bill the secondary payers for the patient shares the
    primaries left (837P with the primary's payment), adjudicate and post those.
    The texts are in ``report.files`` (and in ``output`` when given)."""
    self_pay = bill_self_pay(session, through=through)
    subs = submit_unclaimed(session, through=through, lag_days=lag_days, progress=progress)
    built = {cid: claim for s in subs for cid, claim in zip(s.claim_ids, s.claims, strict=True)}
    runs = adjudicate_submitted(
        session, paid_on=through, trace_prefix=trace_prefix, built=built, progress=progress
    )
    report = CycleReport(
        encounters=len(built), files={**submission_files(subs), **payer_files(runs)}
    )
    claim_ids = list(built)
    report.claims = len(claim_ids)
    report.self_pay_charges = self_pay
    posted_ids = []
    for run in runs:
        posted_ids += _post_run(session, run, report, progress)
    # the primaries left patient shares that secondary policies cover: bill those payers
    seconds = submit_secondaries(session, when=dt.datetime.combine(through, dt.time(15, 0)))
    report.files.update(submission_files(seconds))
    second_runs = adjudicate_secondaries(
        session, seconds, paid_on=through, trace_prefix=f"{trace_prefix}S"
    )
    report.files.update(payer_files(second_runs))
    for run in second_runs:
        posted_ids += _post_run(session, run, report, progress)
    report.secondary_claims = sum(len(s.claim_ids) for s in seconds)
    report.secondary_paid = sum((r.remittance.payment for r in second_runs if r.remittance), ZERO)
    found = _statuses(session, claim_ids)
    report.rejected, report.paid = found["rejected"], found["paid"]
    report.partially_paid, report.denied = found["partially paid"], found["denied"]
    report.work_items = sum(work_summary(session, posted_ids).values())
    report.ar = posting.accounts_receivable(session)
    if output is not None:
        write_files(report.files, output)
    return report


# =================================================================================
# Aging
# =================================================================================
def _per_charge(session: Session, column: object, *where: object) -> dict[int, Decimal]:
    query = select(column.class_.charge_id, func.sum(column)).where(column.class_.charge_id.is_not(None), *where).group_by(column.class_.charge_id)  # type: ignore[attr-defined]  # fmt: skip
    return {cid: Decimal(total).quantize(CENT) for cid, total in session.execute(query)}


def _latest_payer(session: Session) -> dict[int, str]:
    """Encounter id -> the name of the payer of its most recent claim."""
    latest = select(func.max(ClaimRecord.id)).group_by(ClaimRecord.encounter_id)
    query = (
        select(ClaimRecord.encounter_id, Payer.name)
        .join(Payer, ClaimRecord.payer_id == Payer.id)
        .where(ClaimRecord.id.in_(latest))
    )
    return {encounter_id: name for encounter_id, name in session.execute(query)}


def _empty() -> dict[str, Decimal]:
    return dict.fromkeys(BUCKETS, ZERO)


def _add(table: dict[str, dict[str, Decimal]], key: str, name: str, amount: Decimal) -> None:
    if amount:
        table.setdefault(key, _empty())[name] += amount


def aging(session: Session, as_of: dt.date) -> dict:
    """Open AR in the :mod:`~medbill_lab.practice.aging` buckets (days from the date of service).

    Returns ``{"as_of", "basis", "buckets", "insurance": {payer: {bucket: amount}},
    "patient": {account: {bucket: amount}}, "totals": {"insurance": ..., "patient": ...},
    "total"}``; insurance plus patient equals :func:`posting.accounts_receivable`.
    """
    paid = _per_charge(session, Payment.amount, Payment.source == "payer")
    pat_paid = _per_charge(session, Payment.amount, Payment.source == "patient")
    adjusted = _per_charge(session, Adjustment.amount)
    pr = _per_charge(session, Adjustment.amount, Adjustment.group_code == "PR")
    payers = _latest_payer(session)
    query = (
        select(Charge.id, Charge.amount, Encounter.id, Encounter.date_of_service, Patient.account)
        .join(Encounter, Charge.encounter_id == Encounter.id)
        .join(Patient, Encounter.patient_id == Patient.id)
    )
    insurance: dict[str, dict[str, Decimal]] = {}
    patient: dict[str, dict[str, Decimal]] = {}
    for cid, amount, enc_id, day, account in session.execute(query):
        name = bucket((as_of - day).days)
        owed = Decimal(amount) - paid.get(cid, ZERO) - adjusted.get(cid, ZERO)
        _add(insurance, payers.get(enc_id, NO_CLAIM), name, owed)
        _add(patient, account, name, pr.get(cid, ZERO) - pat_paid.get(cid, ZERO))
    totals = {k: _column_totals(t) for k, t in (("insurance", insurance), ("patient", patient))}
    return {
        "as_of": as_of,
        "basis": "date of service",
        "buckets": BUCKETS,
        "insurance": dict(sorted(insurance.items())),
        "patient": dict(sorted(patient.items())),
        "totals": totals,
        "total": sum(totals["insurance"].values(), ZERO) + sum(totals["patient"].values(), ZERO),
    }


def _column_totals(table: dict[str, dict[str, Decimal]]) -> dict[str, Decimal]:
    out = _empty()
    for row in table.values():
        for name, amount in row.items():
            out[name] += amount
    return out


def aging_table(report: dict) -> str:
    """The aging report as a fixed-width text table (insurance rows, then patients)."""
    head = f"{'':<40}" + "".join(f"{b:>12}" for b in BUCKETS) + f"{'total':>13}"
    lines = [f"A/R aging as of {report['as_of']} (by {report['basis']})", head]

    def row(label: str, cells: dict[str, Decimal]) -> str:
        total = sum(cells.values(), ZERO)
        return (
            f"{label[:40]:<40}" + "".join(f"{cells[b]:>12.2f}" for b in BUCKETS) + f"{total:>13.2f}"
        )

    for title, key in (("Insurance by payer", "insurance"), ("Patient by account", "patient")):
        lines.append(title)
        lines += [row("  " + name, cells) for name, cells in report[key].items()]
        lines.append(row(f"  {key} total", report["totals"][key]))
    lines.append(f"{'A/R total':<40}{report['total']:>73}")
    return "\n".join(lines)
