"""KPIs on the hand-built practice, checked against hand arithmetic; figures render."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from billing_helpers import build
from sqlalchemy import select

from medbill_lab.practice import cycle as revenue_cycle
from medbill_lab.practice import kpis
from medbill_lab.practice.aging import BUCKETS
from medbill_lab.practice.db import Adjustment, Charge, ClaimRecord, WorkItem

pytestmark = pytest.mark.practice_db  # run again on PostgreSQL by ./run-tests


@pytest.fixture(scope="module")
def factory(tmp_path_factory):
    return build(tmp_path_factory.mktemp("kpi") / "p.sqlite").factory


def test_clean_claim_and_denial_rates(factory):
    # adjudicated: A (paid clean) and B (denied CO 50); C has no answer yet
    with factory() as session:
        assert kpis.clean_claim_rate(session) == pytest.approx(1 / 2)
        assert kpis.denial_rate(session) == pytest.approx(1 / 2)
        assert kpis.denial_rate_by_carc(session) == {"50": pytest.approx(1 / 2)}


def test_days_in_ar(factory):
    # AR = patient 20 (A) + insurer 125 (C) = 145.  The 90 days to May 31 start on
    # March 3, so they hold B and C: 250 -> 145 / (250 / 90) = 52.2
    with factory() as session:
        assert kpis.days_in_ar(session, dt.date(2026, 5, 31)) == pytest.approx(52.2)
        # 100 days reach back to Feb 20: all three, 375 -> 145 / 3.75
        assert kpis.days_in_ar(session, dt.date(2026, 5, 31), 100) == pytest.approx(145 / 3.75)
        # 30 days to May 31: only C's 125 -> 145 / (125 / 30)
        assert kpis.days_in_ar(session, dt.date(2026, 5, 31), 30) == pytest.approx(34.8)
        assert kpis.days_in_ar(session, dt.date(2025, 1, 1)) is None


def test_net_collection_rate(factory):
    # payments 80 / (charges 375 - CO 45 contractual 25); B's CO 50 is a denial
    with factory() as session:
        assert kpis.net_collection_rate(session) == pytest.approx(80 / 350)


def test_net_collection_rate_counts_every_contractual_adjustment(tmp_path):
    built = build(tmp_path / "p.sqlite")
    with built.factory() as session:
        claim = session.get(ClaimRecord, built.claim_a)
        a = session.scalars(select(Charge).where(Charge.encounter_id == claim.encounter_id)).one()
        for group, carc, amount in (("CO", "253", "1.60"), ("CO", "59", "3.40"),
                                    ("CO", "16", "7.00"), ("OA", "23", "2.00")):  # fmt: skip
            session.add(
                Adjustment(
                    charge_id=a.id,
                    claim_id=built.claim_a,
                    group_code=group,
                    carc=carc,
                    amount=Decimal(amount),
                    posted_on=dt.date(2026, 5, 20),
                )
            )
        session.commit()
        # sequestration (253) and multiple-procedure (59) reductions are contractual;
        # a CO 16 denial written off and an OA adjustment are not
        assert kpis.net_collection_rate(session) == pytest.approx(80 / (375 - 25 - 1.60 - 3.40))


@pytest.mark.parametrize(
    ("group", "carc", "contractual"),
    [("CO", "45", True), ("CO", "253", True), ("CO", "59", True), ("CO", "42", True),
     ("CO", "16", False), ("CO", "50", False), ("CO", "97", False), ("CO", "29", False),
     ("PR", "1", False), ("PR", "96", False), ("OA", "23", False), ("PI", "45", False)],
)  # fmt: skip
def test_is_contractual(group, carc, contractual):
    assert kpis.is_contractual(group, carc) is contractual


def test_net_collection_rate_over_mature_charges(factory):
    # on June 15 only A (March 2) and B (April 6) are 60+ days old: 80 / (250 - 25)
    with factory() as session:
        assert kpis.net_collection_rate(session, dt.date(2026, 6, 15)) == pytest.approx(80 / 225)
        # on May 1 only A is: its payment (May 20) had not come yet
        assert kpis.net_collection_rate(session, dt.date(2026, 5, 1)) == 0
        assert kpis.net_collection_rate(session, dt.date(2026, 3, 1)) is None


def test_ar_aging(factory):
    with factory() as session:
        buckets = kpis.ar_aging(session, dt.date(2026, 6, 1))
    assert list(buckets) == ["0-30", "31-60", "61-90", "91-120", "121+"]
    assert buckets == {
        "0-30": Decimal(125),
        "31-60": 0,
        "61-90": 0,
        "91-120": Decimal(20),
        "121+": 0,
    }


@pytest.mark.parametrize(
    ("as_of", "where_a"),
    [(dt.date(2026, 4, 1), "0-30"), (dt.date(2026, 4, 2), "31-60"),  # A is 30, then 31 days old
     (dt.date(2026, 5, 1), "31-60"), (dt.date(2026, 5, 2), "61-90"),
     (dt.date(2026, 5, 31), "61-90"), (dt.date(2026, 6, 1), "91-120"),
     (dt.date(2026, 6, 30), "91-120"), (dt.date(2026, 7, 1), "121+")],
)  # fmt: skip
def test_aging_edges_and_chart_matches_table(factory, as_of, where_a):
    with factory() as session:
        chart = kpis.ar_aging(session, as_of)
        table = revenue_cycle.aging(session, as_of)
    assert chart[where_a] >= Decimal(20)  # A's $20 patient balance
    both = {b: table["totals"]["insurance"][b] + table["totals"]["patient"][b] for b in BUCKETS}
    assert chart == both  # the chart and the table bucket the same balances the same way


def _deny(session, claim_id: int, carc: str, amount: str, n: int = 1) -> None:
    for _ in range(n):
        session.add(
            WorkItem(
                remittance_id=1,
                claim_id=claim_id,
                kind="denial",
                group_code="CO",
                carc=carc,
                amount=Decimal(amount),
                created_at=dt.datetime(2026, 5, 20),
            )
        )


def test_denial_pareto_counts_whole_claims(tmp_path):
    built = build(tmp_path / "p.sqlite")
    with built.factory() as session:
        _deny(session, built.claim_b, "50", "10", n=3)  # three more CARC 50 lines on claim B
        _deny(session, built.claim_b, "16", "5")  # and a smaller CARC 16 denial
        _deny(session, built.claim_a, "97", "40")  # A: one bundled line, A now partly denied
        session.commit()
        counts = kpis.denial_counts(session)
        assert counts == {"50": 1, "97": 1}  # each claim once, under its main reason
        assert sum(counts.values()) == 2
        assert sum(kpis.denial_rate_by_carc(session).values()) == pytest.approx(
            kpis.denial_rate(session)
        )


def test_kpi_ranges_say_what_they_mean():
    assert kpis.KPIS["days_in_ar"].typical() == "30-50 days"
    assert kpis.KPIS["net_collection_rate"].typical() == "95-99%"
    ncr = kpis.KPIS["net_collection_rate"]
    assert (
        ncr.within(0.95) and ncr.within(0.99) and not ncr.within(0.949) and ncr.within(None) is None
    )
    assert all(k.plain.endswith(".") and len(k.plain) > 40 for k in kpis.KPIS.values())


def test_figures_render_to_png(factory):
    with factory() as session:
        figures = kpis.kpi_figures(session, dt.date(2026, 6, 1))
    assert set(figures) == {"aging", "denials"}
    for fig in figures.values():
        out = io.BytesIO()
        fig.savefig(out, format="png")
        assert out.getvalue().startswith(b"\x89PNG")
