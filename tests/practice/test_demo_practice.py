"""The demo practice behind the Revenue cycle dashboard looks like a running one."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from medbill_lab.practice import db as practice_db
from medbill_lab.practice import demo as demo_practice
from medbill_lab.practice import kpis
from medbill_lab.practice.db import ClaimRecord, Encounter, Payer, Payment

AS_OF = demo_practice.AS_OF


def _open(folder, seed):
    path = demo_practice.demo_file(folder, seed=seed)
    return practice_db.open_practice(path)[1]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The dashboard's own demo (seed 2, 120 patients)."""
    return _open(tmp_path_factory.mktemp("demo"), 2)


def test_no_service_after_the_as_of_date(demo):
    with demo() as session:
        last = session.scalar(select(func.max(Encounter.date_of_service)))
    assert AS_OF - dt.timedelta(days=14) <= last <= AS_OF


def test_patients_pay(demo):
    with demo() as session:
        paid = session.execute(
            select(func.count(func.distinct(Payment.patient_id)), func.sum(Payment.amount)).where(
                Payment.source == "patient"
            )
        ).one()
        latest = session.scalar(select(func.max(Payment.received_on)))
    assert paid[0] >= 20 and paid[1] > 1000
    assert latest <= AS_OF  # nobody pays in the future either


def test_claims_in_flight_with_every_payer(demo):
    with demo() as session:
        waiting = dict(
            session.execute(
                select(Payer.name, func.count())
                .join(ClaimRecord, ClaimRecord.payer_id == Payer.id)
                .where(ClaimRecord.status == "submitted")
                .group_by(Payer.name)
            ).all()
        )
        payers = set(session.scalars(select(Payer.name)))
    assert set(waiting) == payers


def _inside(factory) -> dict[str, float | None]:
    with factory() as session:
        values = kpis.kpi_values(session, AS_OF)
    outside = {k: v for k, v in values.items() if not kpis.KPIS[k].within(v)}
    assert not outside, f"outside their usual ranges: {outside}"
    return values


def test_kpis_inside_their_usual_ranges(demo):
    values = _inside(demo)
    assert 30 <= values["days_in_ar"] <= 50
    assert 0.95 <= values["net_collection_rate"] <= 0.99


@pytest.mark.parametrize("seed", [3, 7])
def test_kpis_inside_their_usual_ranges_for_other_seeds(tmp_path, seed):
    _inside(_open(tmp_path, seed))


def test_demo_is_cached_and_copied(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = demo_practice.demo_file(tmp_path / "a", seed=5, patients=4)
    assert len(list((tmp_path / "cache" / "medbill_lab").glob("demo-5-4-*.sqlite"))) == 1

    def no_rebuild(*_args):
        raise AssertionError("the cached demo should have been copied")

    monkeypatch.setattr(demo_practice, "_build_file", no_rebuild)
    second = demo_practice.demo_file(tmp_path / "b", seed=5, patients=4)
    assert first != second
    for path in (first, second):
        with practice_db.open_practice(path)[1]() as session:
            assert session.scalar(select(func.count()).select_from(Encounter)) > 0


def test_new_code_or_data_builds_a_new_demo(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    cache = tmp_path / "cache" / "medbill_lab"
    monkeypatch.setattr(demo_practice, "_fingerprint", lambda: "0000000000000000")
    demo_practice.demo_file(tmp_path / "a", seed=5, patients=3)
    monkeypatch.setattr(demo_practice, "_fingerprint", lambda: "1111111111111111")
    demo_practice.demo_file(tmp_path / "b", seed=5, patients=3)
    assert [p.name for p in cache.glob("demo-*.sqlite")] == [
        "demo-5-3-2026-07-31-1111111111111111.sqlite"
    ]


def test_same_arguments_same_practice(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # build twice, no cache
    counts = []
    for name in ("x", "y"):
        folder = tmp_path / name
        folder.mkdir()
        demo_practice._build_file(folder / "p.sqlite", 9, 6, AS_OF)
        with practice_db.open_practice(folder / "p.sqlite")[1]() as session:
            counts.append(session.execute(select(func.count(), func.sum(Payment.amount))).one())
    assert counts[0] == counts[1]
