"""The revenue-cycle dashboard: its numbers match kpis/aging on the same session."""

from __future__ import annotations

import datetime as dt

import pytest

from medbill_lab.apps import revenue_dashboard as dw
from medbill_lab.practice import cycle as revenue_cycle
from medbill_lab.practice import kpis, posting

AS_OF = dt.date(2026, 7, 31)
PNG = b"\x89PNG"


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    """The dashboard on its own demo practice (seed 2 has a CARC 197 denial)."""
    factory = dw.build_demo(tmp_path_factory.mktemp("dash"))
    return dw.RevenueDashboard(factory, AS_OF)


def test_kpi_table_matches_kpis(dashboard):
    html = dashboard.kpis.value
    assert 'class="mbl-table mbl-kpis"' in html
    with dashboard.factory() as session:
        expected = [
            dw.percent(kpis.clean_claim_rate(session)),
            dw.percent(kpis.denial_rate(session)),
            dw.days(kpis.days_in_ar(session, AS_OF)),
            dw.percent(kpis.net_collection_rate(session, AS_OF)),
        ]
        assert kpis.denial_rate(session) > 0
    for value in expected:
        assert f"<td>{value}</td>" in html
    assert "n/a" not in expected
    for kpi in kpis.KPIS.values():  # each beside its usual range, in plain words
        assert f"<td>{kpi.typical()}</td>" in html and kpi.plain in html
    assert html.count("<td>within range</td>") == len(kpis.KPIS)


def test_aging_tables_match_aging(dashboard):
    with dashboard.factory() as session:
        report = revenue_cycle.aging(session, AS_OF)
    payer, patient = dashboard.aging_payer.value, dashboard.aging_patient.value
    for key, html in (("insurance", payer), ("patient", patient)):
        assert report[key]
        for name, cells in report[key].items():
            assert name in html
            total = sum(cells.values())
            assert f"<td>{dw.money(total)}</td>" in html
        grand = sum(report["totals"][key].values())
        assert f"<th>{dw.money(grand)}</th>" in html


def test_charts_are_pngs(dashboard):
    assert bytes(dashboard.aging_chart.value).startswith(PNG)
    assert bytes(dashboard.denial_chart.value).startswith(PNG)


def test_work_queue_grouped_by_carc(dashboard):
    with dashboard.factory() as session:
        groups = posting.work_queue(session)
    assert groups
    for group in groups:
        assert f"CARC {group.carc}: {len(group.items)} open" in dashboard.work_queue.value


def test_as_of_recomputes_aging(dashboard):
    before = dashboard.aging_patient.value
    dashboard.as_of.value = "2027-06-30"  # a year on: everything is 121+
    try:
        assert dashboard.status.value == ""
        with dashboard.factory() as session:
            report = revenue_cycle.aging(session, dt.date(2027, 6, 30))
            expected = dw.days(kpis.days_in_ar(session, dt.date(2027, 6, 30)))
        assert dashboard.aging_patient.value != before
        assert all(set(c) == set(revenue_cycle.BUCKETS) for c in report["patient"].values())
        assert all(sum(c.values()) == c["121+"] for c in report["patient"].values())
        assert f"<td>{expected}</td>" in dashboard.kpis.value
    finally:
        dashboard.as_of.value = AS_OF.isoformat()
    assert dashboard.aging_patient.value == before


def test_bad_as_of_gives_a_friendly_message(dashboard):
    kept = dashboard.kpis.value
    dashboard.as_of.value = "next Tuesday"
    try:
        assert 'class="mbl-msg"' in dashboard.status.value
        assert "YYYY-MM-DD" in dashboard.status.value
        assert "Error" not in dashboard.status.value
        assert dashboard.kpis.value == kept
    finally:
        dashboard.as_of.value = AS_OF.isoformat()
    assert dashboard.status.value == ""


def test_unreadable_database_gives_a_friendly_message(tmp_path):
    box = dw.revenue_dashboard(db=tmp_path / "empty.sqlite")  # no tables
    assert "could not read the practice data" in box.status.value
    assert "Traceback" not in box.status.value and "sqlite" not in box.status.value.lower()
    assert box.kpis.value == ""


def test_default_demo_builds():
    box = dw.revenue_dashboard(patients=3)
    assert box.status.value == ""
    assert box.as_of.value == dw.DEMO_AS_OF.isoformat()
    assert "mbl-kpis" in box.kpis.value
    assert bytes(box.aging_chart.value).startswith(PNG)
    assert box.demo_folder is not None


def test_cli_practice_statements(run_cli, tmp_path):
    from sqlalchemy import select

    from medbill_lab.practice import db as practice_db
    from medbill_lab.practice import statements
    from medbill_lab.practice.db import Patient

    dw.build_demo(tmp_path)
    db = str(tmp_path / "demo-practice.sqlite")
    _, factory = practice_db.open_practice(db)
    with factory() as session:
        owing = [
            p.account
            for p in session.scalars(select(Patient).order_by(Patient.id))
            if statements.patient_total(session, p.id) > 0
        ]
    assert owing
    out = tmp_path / "statements"
    done = run_cli("practice", "statements", "--db", db, "--out", str(out), "--as-of", "2026-07-31")  # fmt: skip
    assert done.returncode == 0, done.stderr
    files = sorted(out.glob("*.pdf"))
    assert [f.name for f in files] == sorted(f"statement-{a}.pdf" for a in owing)
    assert all(f.read_bytes().startswith(b"%PDF") for f in files)
    assert f"Wrote {len(owing)} statement PDF(s)" in done.stdout
    assert "dunning:" in done.stdout
