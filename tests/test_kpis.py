"""KPIs on the hand-built practice, checked against hand arithmetic; figures render."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from billing_helpers import build

from medbill_lab import kpis

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
    # payments 80 / (charges 375 - CO 45 contractual 25)
    with factory() as session:
        assert kpis.net_collection_rate(session) == pytest.approx(80 / 350)


def test_ar_aging(factory):
    with factory() as session:
        buckets = kpis.ar_aging(session, dt.date(2026, 6, 1))
    assert buckets == {"0-30": Decimal(125), "31-60": 0, "61-90": 0, "over 90": Decimal(20)}


def test_figures_render_to_png(factory):
    with factory() as session:
        figures = kpis.kpi_figures(session, dt.date(2026, 6, 1))
    assert set(figures) == {"aging", "denials"}
    for fig in figures.values():
        out = io.BytesIO()
        fig.savefig(out, format="png")
        assert out.getvalue().startswith(b"\x89PNG")
