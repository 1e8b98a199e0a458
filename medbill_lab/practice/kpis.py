"""Revenue-cycle KPIs from the practice database, and their charts.

- clean-claim rate: adjudicated original claims never rejected or denied, with
  no denial work item and never replaced or voided, over adjudicated originals;
- denial rate: adjudicated claims (paid, partially paid or denied) with a
  denial, overall and by CARC (a claim counts once per CARC that denied it);
- days in AR: open AR (insurer + patient) / average daily charges over the last
  ``days`` days (by date of service, ending on ``as_of``);
- net collection rate: payments (payer and patient) / (charges - contractual
  adjustments), over the charges old enough to have been paid (see
  :func:`net_collection_rate`).

Each KPI has a :class:`Kpi` entry in :data:`KPIS`: a plain-language line and the
range a healthy practice usually shows.

Rates are floats (``None`` when the denominator is 0).  :func:`kpi_figures`
draws matplotlib figures on the headless Agg backend.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from medbill_lab.payer import carc as carc_table
from medbill_lab.practice import cycle
from medbill_lab.practice.aging import BUCKETS
from medbill_lab.practice.db import (
    Adjustment,
    Charge,
    ClaimRecord,
    ClaimStatusHistory,
    Encounter,
    Payment,
    WorkItem,
)
from medbill_lab.practice.posting import accounts_receivable

ADJUDICATED = ("paid", "partially paid", "denied")
MATURE_DAYS = 60  # a charge younger than this is usually still being paid


@dataclass(frozen=True)
class Kpi:
    """What a KPI means, in a line a biller can say out loud, and its usual range."""

    key: str
    label: str
    plain: str
    low: float
    high: float
    unit: str  # "%" (the value is a rate) or "days"

    def typical(self) -> str:
        """The usual range as text.

        >>> KPIS["days_in_ar"].typical(), KPIS["net_collection_rate"].typical()
        ('30-50 days', '95-99%')
        """
        if self.unit == "%":
            return f"{self.low * 100:g}-{self.high * 100:g}%"
        return f"{self.low:g}-{self.high:g} days"

    def within(self, value: float | None) -> bool | None:
        """Whether ``value`` is inside the usual range (None without a value)."""
        return None if value is None else self.low <= value <= self.high


# Usual ranges: the general industry rules of thumb that billing courses teach (MGMA
# and HFMA benchmarks for physician practices); a practice compares itself with its
# own specialty's survey figures.
KPIS = {
    k.key: k
    for k in (
        Kpi(
            "clean_claim_rate",
            "Clean-claim rate",
            "Of the claims the payers have answered, the share paid the first time, "
            "with no rejection, denial or correction.",
            0.90,
            1.0,
            "%",
        ),
        Kpi(
            "denial_rate",
            "Denial rate",
            "Of the claims the payers have answered, the share with a service denied.",
            0.0,
            0.10,
            "%",
        ),
        Kpi(
            "days_in_ar",
            "Days in A/R",
            "How many days of charges are still owed: everything open (insurers and "
            "patients) divided by the average charges per day of the last 90 days.",
            30,
            50,
            "days",
        ),
        Kpi(
            "net_collection_rate",
            "Net collection rate",
            "Of what the practice could collect (its charges less the contractual "
            "adjustments its payer contracts write off), the share it did collect; "
            f"charges of the last {MATURE_DAYS} days are left out, still being paid.",
            0.95,
            0.99,
            "%",
        ),
    )
}


def _ratio(num: float | Decimal, den: float | Decimal) -> float | None:
    return float(num) / float(den) if den else None


def _statuses(session: Session) -> dict[int, set[str]]:
    """Every status each claim has had."""
    seen: dict[int, set[str]] = {}
    for claim_id, status in session.execute(
        select(ClaimStatusHistory.claim_id, ClaimStatusHistory.status)
    ):
        seen.setdefault(claim_id, set()).add(status)
    return seen


def denial_carcs(session: Session) -> dict[int, dict[str, Decimal]]:
    """The CARCs of each claim's denial work items ('' when none was given), each
    with the amount it denied."""
    query = select(WorkItem.claim_id, WorkItem.carc, WorkItem.amount).where(
        WorkItem.kind == "denial", WorkItem.claim_id.is_not(None)
    )
    found: dict[int, dict[str, Decimal]] = {}
    for claim_id, carc, amount in session.execute(query):
        reasons = found.setdefault(claim_id, {})
        reasons[carc] = reasons.get(carc, Decimal(0)) + Decimal(amount or 0)
    return found


def main_reason(reasons: dict[str, Decimal]) -> str:
    """The reason a denied claim is counted under: the CARC that denied the most
    dollars (the lowest code on a tie; '' when no reason was given).

    >>> main_reason({"97": Decimal(40), "16": Decimal(90)}), main_reason({"50": Decimal(0), "4": Decimal(0)})
    ('16', '4')
    """
    return min(reasons, key=lambda c: (-reasons[c], c.zfill(5))) if reasons else ""


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


def _denied(session: Session) -> dict[int, str]:
    """Each denied claim (in whole or in part) with its main reason."""
    statuses, carcs = _statuses(session), denial_carcs(session)
    denied = {c for c, seen in statuses.items() if "denied" in seen} | set(carcs)
    return {c: main_reason(carcs.get(c, {})) for c in denied}


def denial_rate(session: Session) -> float | None:
    """Share of adjudicated claims that were denied (in whole or in part)."""
    done = _adjudicated(session)
    return _ratio(len(set(_denied(session)) & done), len(done))


def denial_counts(session: Session) -> Counter[str]:
    """Denied adjudicated claims by main reason (:func:`main_reason`; '' for none).

    Whole claims: a claim with several denied lines counts once, so the counts add
    up to the claims the denial rate counts, and a Pareto's last bar reaches 100%.
    """
    done = _adjudicated(session)
    return Counter(carc for c, carc in _denied(session).items() if c in done)


def denial_rate_by_carc(session: Session) -> dict[str, float]:
    """Denied claims by main reason over adjudicated claims, most frequent first;
    they add up to :func:`denial_rate`."""
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
        session,
        Charge.amount,
        Charge.encounter_id == Encounter.id,
        Encounter.date_of_service.between(start, as_of),
    )
    return _ratio(accounts_receivable(session).total, charged / days)


def is_contractual(group: str, carc: str) -> bool:
    """A contractual adjustment: group CO with a reason that reduces the payment under
    the payer contract (45 fee schedule, 253 sequestration, 59 multiple procedures,
    ...), not one that denies the service.  Denials written off are lost revenue and
    stay in the net collection rate's denominator.

    >>> [is_contractual(g, c) for g, c in (("CO", "45"), ("CO", "253"), ("CO", "16"), ("PR", "1"))]
    [True, True, False, False]
    """
    return group == "CO" and carc not in carc_table.denial_carcs()


def net_collection_rate(
    session: Session, as_of: dt.date | None = None, mature_days: int = MATURE_DAYS
) -> float | None:
    """Payments / (charges - contractual adjustments), from payers and patients.

    With ``as_of``: over the charges whose service is at least ``mature_days`` old
    on that date, counting what was paid and adjusted on them by then (younger
    charges are still in the claim cycle and would read as uncollected).  Every
    contractual adjustment counts (:func:`is_contractual`), whatever its CARC.
    """
    charges = select(Charge.id, Charge.amount).join(Encounter)
    if as_of is not None:
        charges = charges.where(Encounter.date_of_service <= as_of - dt.timedelta(days=mature_days))
    amounts = dict(session.execute(charges).all())
    if not amounts:
        return None
    paid = select(Payment.charge_id, Payment.amount).where(Payment.charge_id.is_not(None))
    adjusted = select(
        Adjustment.charge_id, Adjustment.group_code, Adjustment.carc, Adjustment.amount
    ).where(Adjustment.charge_id.is_not(None))
    if as_of is not None:
        paid = paid.where(Payment.received_on <= as_of)
        adjusted = adjusted.where(Adjustment.posted_on <= as_of)
    collected = sum((Decimal(a) for cid, a in session.execute(paid) if cid in amounts), Decimal(0))
    contractual = sum(
        (
            Decimal(a)
            for cid, g, c, a in session.execute(adjusted)
            if cid in amounts and is_contractual(g, c)
        ),
        Decimal(0),
    )
    return _ratio(collected, sum(amounts.values(), Decimal(0)) - contractual)


def kpi_values(session: Session, as_of: dt.date) -> dict[str, float | None]:
    """Every KPI of :data:`KPIS` for the practice as seen on ``as_of``."""
    return {
        "clean_claim_rate": clean_claim_rate(session),
        "denial_rate": denial_rate(session),
        "days_in_ar": days_in_ar(session, as_of),
        "net_collection_rate": net_collection_rate(session, as_of),
    }


def ar_aging(session: Session, as_of: dt.date) -> dict[str, Decimal]:
    """Open AR (insurer + patient balance per charge) by days since the service: the
    column totals of the aging report (:func:`medbill_lab.practice.cycle.aging`), read
    in a few queries rather than two per charge."""
    totals = cycle.aging(session, as_of)["totals"]
    return {name: totals["insurance"][name] + totals["patient"][name] for name in BUCKETS}


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
