"""Revenue-cycle KPIs from the practice database, and their charts.

- clean-claim rate: adjudicated original claims never rejected or denied, with
  no denial work item and never replaced or voided, over adjudicated originals;
- denial rate: adjudicated claims (paid, partially paid or denied) with a
  denial, overall and by CARC (a claim counts once per CARC that denied it);
- days in AR: open AR (insurer + patient) / average daily charges over the last
  ``days`` days (by date of service, ending on ``as_of``);
- net collection rate: payments (payer and patient) / (charges - contractual
  adjustments, CO 45).

Rates are floats (``None`` when the denominator is 0).  :func:`kpi_figures`
draws matplotlib figures on the headless Agg backend.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from medbill_lab.posting import accounts_receivable, line_balance, patient_balance
from medbill_lab.practice_db import (
    Adjustment,
    Charge,
    ClaimRecord,
    ClaimStatusHistory,
    Encounter,
    Payment,
    WorkItem,
)
from medbill_lab.statements import AGING_BUCKETS, aging_bucket

ADJUDICATED = ("paid", "partially paid", "denied")
CONTRACTUAL = ("45",)


def _ratio(num: float | Decimal, den: float | Decimal) -> float | None:
    return float(num) / float(den) if den else None


def _statuses(session: Session) -> dict[int, set[str]]:
    """Every status each claim has had."""
    seen: dict[int, set[str]] = {}
    for claim_id, status in session.execute(select(ClaimStatusHistory.claim_id, ClaimStatusHistory.status)):  # fmt: skip
        seen.setdefault(claim_id, set()).add(status)
    return seen


def denial_carcs(session: Session) -> dict[int, set[str]]:
    """The CARCs of each claim's denial work items ('' when none was given)."""
    query = select(WorkItem.claim_id, WorkItem.carc).where(
        WorkItem.kind == "denial", WorkItem.claim_id.is_not(None)
    )
    found: dict[int, set[str]] = {}
    for claim_id, carc in session.execute(query):
        found.setdefault(claim_id, set()).add(carc)
    return found


def clean_claim_rate(session: Session) -> float | None:
    """Share of adjudicated original claims paid on first pass: never rejected or
    denied, no denial work item, never replaced or voided (frequency still 1)."""
    originals = set(
        session.scalars(select(ClaimRecord.id).where(ClaimRecord.prior_claim_id.is_(None)))
    )
    done = originals & _adjudicated(session)
    statuses, denied = _statuses(session), denial_carcs(session)
    frequency = dict(session.execute(select(ClaimRecord.id, ClaimRecord.frequency_code)).all())
    bad = {"rejected", "denied"}
    clean = [c for c in done if not statuses[c] & bad and c not in denied and frequency[c] == "1"]
    return _ratio(len(clean), len(done))


def _adjudicated(session: Session) -> set[int]:
    return {c for c, seen in _statuses(session).items() if seen & set(ADJUDICATED)}


def _denied(session: Session) -> dict[int, set[str]]:
    statuses, carcs = _statuses(session), denial_carcs(session)
    denied = {c for c, seen in statuses.items() if "denied" in seen} | set(carcs)
    return {c: carcs.get(c, {""}) for c in denied}


def denial_rate(session: Session) -> float | None:
    """Share of adjudicated claims that were denied (in whole or in part)."""
    done = _adjudicated(session)
    return _ratio(len(set(_denied(session)) & done), len(done))


def denial_counts(session: Session) -> Counter[str]:
    """How many adjudicated claims each CARC denied ('' for no reason code)."""
    done = _adjudicated(session)
    return Counter(carc for c, carcs in _denied(session).items() if c in done for carc in carcs)


def denial_rate_by_carc(session: Session) -> dict[str, float]:
    """Denied claims per CARC over adjudicated claims, most frequent first."""
    done = len(_adjudicated(session))
    return {carc: n / done for carc, n in denial_counts(session).most_common()} if done else {}


def _total(session: Session, column: object, *where: object) -> Decimal:
    query = select(func.coalesce(func.sum(column), 0)).where(*where)  # type: ignore[call-overload]
    return Decimal(session.scalar(query))


def days_in_ar(session: Session, as_of: dt.date, days: int = 90) -> float | None:
    """Open AR divided by the average daily charges of the ``days`` days to ``as_of``."""
    if days <= 0:
        raise ValueError(f"days must be more than 0, not {days}")
    start = as_of - dt.timedelta(days=days - 1)
    charged = _total(
        session, Charge.amount, Charge.encounter_id == Encounter.id,
        Encounter.date_of_service.between(start, as_of),
    )  # fmt: skip
    return _ratio(accounts_receivable(session).total, charged / days)


def net_collection_rate(session: Session) -> float | None:
    """Payments / (charges - contractual adjustments)."""
    paid = _total(session, Payment.amount)
    charged = _total(session, Charge.amount)
    contractual = _total(
        session, Adjustment.amount, Adjustment.group_code == "CO", Adjustment.carc.in_(CONTRACTUAL)
    )
    return _ratio(paid, charged - contractual)


def ar_aging(session: Session, as_of: dt.date) -> dict[str, Decimal]:
    """Open AR (insurer + patient balance per charge) by days since the service."""
    buckets = {label: Decimal(0) for _, _, label in AGING_BUCKETS}
    for charge_id, day in session.execute(select(Charge.id, Encounter.date_of_service).join(Encounter)):  # fmt: skip
        open_ = line_balance(session, charge_id) + patient_balance(session, charge_id)
        buckets[aging_bucket((as_of - day).days)] += open_
    return buckets


def _aging_figure(buckets: dict[str, Decimal]) -> Figure:
    fig = Figure(figsize=(6, 3.5))
    ax = fig.subplots()
    ax.bar(list(buckets), [float(v) for v in buckets.values()], color="#3b6ea5")
    ax.set(
        title="Accounts receivable aging", xlabel="Days since service", ylabel="Open balance ($)"
    )
    fig.tight_layout()
    return fig


def _pareto_figure(counts: Counter[str]) -> Figure:
    fig = Figure(figsize=(6, 3.5))
    ax = fig.subplots()
    ranked = counts.most_common()
    labels = [c or "none" for c, _ in ranked]
    values = [n for _, n in ranked]
    ax.bar(labels, values, color="#c0504d")
    ax.set(title="Denials by CARC (Pareto)", xlabel="CARC", ylabel="Denied claims")
    if values:
        running = [sum(values[: i + 1]) / sum(values) * 100 for i in range(len(values))]
        twin = ax.twinx()
        twin.plot(labels, running, color="black", marker="o")
        twin.set(ylim=(0, 105), ylabel="Cumulative %")
    fig.tight_layout()
    return fig


def kpi_figures(session: Session, as_of: dt.date | None = None) -> dict[str, Figure]:
    """``{"aging": ..., "denials": ...}``: AR aging bars and the denial Pareto by CARC."""
    day = as_of or dt.date.today()
    return {
        "aging": _aging_figure(ar_aging(session, day)),
        "denials": _pareto_figure(denial_counts(session)),
    }
