"""The revenue-cycle dashboard for the Voila "Revenue cycle dashboard" app.

Given a practice database (or, by default, a small demo practice built in a
temporary directory and run through one claim cycle), it shows the AR aging by
payer and by patient, the KPIs, the denial Pareto and aging charts, and the
open work queue grouped by CARC.  The "As of" box re-computes everything that
depends on the date.  Every number comes from :mod:`medbill_lab.practice.cycle`,
:mod:`medbill_lab.practice.kpis` and :mod:`medbill_lab.practice.posting`; no exception text ever
reaches the page.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import tempfile
from decimal import Decimal
from html import escape

import ipywidgets as w
from matplotlib.figure import Figure
from sqlalchemy.orm import Session, sessionmaker

from medbill_lab.apps.kit import STYLE, message
from medbill_lab.practice import cycle as revenue_cycle
from medbill_lab.practice import db as practice_db
from medbill_lab.practice import demo as demo_practice
from medbill_lab.practice import kpis, posting
from medbill_lab.practice.aging import BUCKETS

log = logging.getLogger(__name__)

DEMO_AS_OF = demo_practice.AS_OF  # the day the demo practice is seen on
BAD_DATE = "Type the as-of date as YYYY-MM-DD, for example 2026-07-31."
TROUBLE = "Sorry, the dashboard could not read the practice data. Please try again or tell your instructor."
DEMO_TROUBLE = (
    "Sorry, the demo practice could not be built. Please reload the page or tell your instructor."
)
WORK_ITEMS_SHOWN = 5


def percent(rate: float | None) -> str:
    """A rate as a percentage with one decimal ('n/a' when there is none).

    >>> percent(0.9751), percent(None)
    ('97.5%', 'n/a')
    """
    return "n/a" if rate is None else f"{rate * 100:.1f}%"


def days(value: float | None) -> str:
    """Days in AR with one decimal ('n/a' when there were no recent charges).

    >>> days(52.2), days(None)
    ('52.2', 'n/a')
    """
    return "n/a" if value is None else f"{value:.1f}"


def money(amount: Decimal) -> str:
    """Dollars with thousands separators.

    >>> money(Decimal("7011.26"))
    '7,011.26'
    """
    return f"{amount:,.2f}"


def parse_as_of(text: str) -> dt.date | None:
    """An ISO date from the as-of box, or None when it is not one.

    >>> parse_as_of(" 2026-07-31 "), parse_as_of("July")
    (datetime.date(2026, 7, 31), None)
    """
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def _kpi_value(kpi: kpis.Kpi, value: float | None) -> str:
    return percent(value) if kpi.unit == "%" else days(value)


def kpi_html(session: Session, as_of: dt.date) -> str:
    """The KPIs as a small HTML table (class ``mbl-kpis``): each value beside its
    usual range, whether it is inside it, and what it means in plain words."""
    rows = []
    for key, value in kpis.kpi_values(session, as_of).items():
        kpi = kpis.KPIS[key]
        label = f"{kpi.label} (90 days to {as_of})" if key == "days_in_ar" else kpi.label
        inside = kpi.within(value)
        verdict = "n/a" if inside is None else ("within range" if inside else "outside range")
        rows.append(
            f"<tr><td>{escape(label)}</td><td>{escape(_kpi_value(kpi, value))}</td>"
            f"<td>{escape(kpi.typical())}</td><td>{verdict}</td><td>{escape(kpi.plain)}</td></tr>"
        )
    return (
        f'{STYLE}<table class="mbl-table mbl-kpis"><tr><th>KPI</th><th>Value</th>'
        f"<th>Typical</th><th></th><th>What it means</th></tr>{''.join(rows)}</table>"
    )


def _aging_rows(
    title: str, table: dict[str, dict[str, Decimal]], totals: dict[str, Decimal]
) -> str:
    head = "".join(f"<th>{b}</th>" for b in BUCKETS)

    def row(label: str, cells: dict[str, Decimal], tag: str = "td") -> str:
        total = sum(cells.values(), Decimal(0))
        values = "".join(f"<{tag}>{money(cells[b])}</{tag}>" for b in BUCKETS)
        return f"<tr><{tag}>{escape(label)}</{tag}>{values}<{tag}>{money(total)}</{tag}></tr>"

    body = "".join(row(name, cells) for name, cells in table.items())
    if not table:
        body = f'<tr><td colspan="{len(BUCKETS) + 2}">Nothing open.</td></tr>'
    return (
        f"<h4>{escape(title)}</h4>"
        f'<table class="mbl-table mbl-aging"><tr><th></th>{head}<th>Total</th></tr>'
        f"{body}{row('Total', totals, 'th')}</table>"
    )


def aging_html(report: dict, key: str) -> str:
    """One side of :func:`revenue_cycle.aging` (``"insurance"`` or ``"patient"``) as HTML."""
    title = "Insurance AR by payer" if key == "insurance" else "Patient AR by account"
    return STYLE + _aging_rows(title, report[key], report["totals"][key])


def work_queue_html(groups: list[posting.WorkGroup]) -> str:
    """The open work queue grouped by CARC, each group with its suggested fix."""
    if not groups:
        return message("The work queue is empty: no open denials or unmatched payments.")
    parts = [STYLE]
    for group in groups:
        carc = f"CARC {group.carc}" if group.carc else "No CARC"
        items = "".join(
            f"<tr><td>{escape(i.kind)}</td><td>{escape(i.patient_account)}</td>"
            f"<td>{money(i.amount)}</td><td>{escape(i.detail)}</td></tr>"
            for i in group.items[:WORK_ITEMS_SHOWN]
        )
        more = len(group.items) - WORK_ITEMS_SHOWN
        extra = f"<p><i>and {more} more</i></p>" if more > 0 else ""
        parts.append(
            f"<h4>{escape(carc)}: {len(group.items)} open, {money(group.total)}</h4>"
            f"<p>{escape(group.fix)}</p>"
            f'<table class="mbl-table mbl-work"><tr><th>Kind</th><th>Account</th>'
            f"<th>Amount</th><th>Detail</th></tr>{items}</table>{extra}"
        )
    return "".join(parts)


def png(fig: Figure) -> bytes:
    """A matplotlib figure as PNG bytes."""
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=80)
    return out.getvalue()


def build_demo(
    folder: str | os.PathLike[str], seed: int = 2, patients: int = 120
) -> sessionmaker[Session]:
    """The demo practice (:mod:`medbill_lab.practice.demo`) in ``folder``."""
    _, factory = practice_db.open_practice(demo_practice.demo_file(folder, seed, patients))
    return factory


class RevenueDashboard(w.VBox):
    """The dashboard box; its parts are attributes so tests can read and drive them."""

    demo_folder: tempfile.TemporaryDirectory[str] | None = None

    def __init__(self, factory: sessionmaker[Session] | None, as_of: dt.date, notice: str = ""):
        self.factory = factory
        self.unavailable = notice or TROUBLE
        self.as_of = w.Text(value=as_of.isoformat(), description="As of", continuous_update=False)
        self.update_button = w.Button(description="Update", icon="refresh")
        self.status = w.HTML(message(notice) if notice else "")
        self.kpis = w.HTML()
        self.aging_payer = w.HTML()
        self.aging_patient = w.HTML()
        self.aging_chart = w.Image(format="png")
        self.denial_chart = w.Image(format="png")
        self.work_queue = w.HTML()
        charts = w.HBox([self.aging_chart, self.denial_chart])
        super().__init__(
            [
                w.HBox([self.as_of, self.update_button]),
                self.status,
                w.HTML("<h3>Key performance indicators</h3>"),
                self.kpis,
                w.HTML("<h3>Accounts receivable aging</h3>"),
                self.aging_payer,
                self.aging_patient,
                charts,
                w.HTML("<h3>Work queue by CARC</h3>"),
                self.work_queue,
            ]
        )
        self.as_of.observe(lambda _change: self.refresh(), names="value")
        self.update_button.on_click(lambda _button: self.refresh())
        if factory is not None:
            self.refresh()

    def refresh(self) -> bool:
        """Re-read the practice for the as-of date; False (and a friendly note) on trouble."""
        day = parse_as_of(self.as_of.value)
        if day is None:
            self.status.value = message(BAD_DATE)
            return False
        if self.factory is None:
            self.status.value = message(self.unavailable)
            return False
        try:
            with self.factory() as session:
                report = revenue_cycle.aging(session, day)
                kpi_table = kpi_html(session, day)
                figures = kpis.kpi_figures(session, day)
                queue = work_queue_html(posting.work_queue(session))
            aging_png, denial_png = png(figures["aging"]), png(figures["denials"])
        except Exception:  # the page gets a sentence; the log gets the detail
            log.exception("revenue dashboard refresh failed")
            self.status.value = message(TROUBLE)
            return False
        self.kpis.value = kpi_table
        self.aging_payer.value = aging_html(report, "insurance")
        self.aging_patient.value = aging_html(report, "patient")
        self.aging_chart.value = aging_png
        self.denial_chart.value = denial_png
        self.work_queue.value = queue
        self.status.value = ""
        return True


def revenue_dashboard(
    db: str | os.PathLike[str] | None = None,
    seed: int = 2,  # a seed whose demo year includes denials, so every panel has content
    patients: int = 120,
    as_of: dt.date | None = None,
) -> RevenueDashboard:
    """The revenue-cycle dashboard for the practice database ``db`` (a path or URL).

    Without ``db`` the demo practice (``seed``, ``patients``;
    :mod:`medbill_lab.practice.demo`) is copied to a temporary directory and seen
    as of :data:`DEMO_AS_OF`; with ``db`` the as-of date defaults to today.
    """
    if db is not None:
        try:
            _, factory = practice_db.open_practice(db)
        except Exception:
            log.exception("opening the practice database failed")
            return RevenueDashboard(None, as_of or dt.date.today(), TROUBLE)
        return RevenueDashboard(factory, as_of or dt.date.today())
    folder = tempfile.TemporaryDirectory(prefix="medbill-dashboard-")
    try:
        demo: sessionmaker[Session] | None = build_demo(folder.name, seed, patients)
    except Exception:
        log.exception("building the demo practice failed")
        demo = None
    box = RevenueDashboard(demo, as_of or DEMO_AS_OF, "" if demo else DEMO_TROUBLE)
    box.demo_folder = folder  # removed when the dashboard goes away
    return box
