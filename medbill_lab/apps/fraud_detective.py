"""The Fraud detective app: a provider against its peers, flags, and a score with feedback.

Widgets only arrange inputs and outputs; the numbers come from ``fraud`` (profiles,
detectors, ``grade_answer``) and the data from ``fraud_lab``.  The answer key stays in the
kernel: the page shows only whether a flag was right, and why.
"""

from __future__ import annotations

import base64
import io
from html import escape
from types import SimpleNamespace

import ipywidgets as w
import numpy as np
import pandas as pd

from medbill_lab.apps.kit import STYLE, TROUBLE, message
from medbill_lab.compliance import fraud, fraud_lab

APP_SCALE = 0.5  # about 75,000 lines: quick to generate on a page load
LABELS = {
    "upcoding": "E/M upcoding",
    "modifier_overuse": "Modifier 25/59 overuse",
    "unbundling": "Unbundling (NCCI pairs)",
    "duplicate": "Duplicate billing",
    "impossible_date": "Impossible date of service",
    "impossible_day": "Impossible day (over 24 h)",
    "phantom_patient": "Phantom patient",
    "mue": "Units beyond the MUE",
    "noncovered": "Non-covered service disguised",
}


def peer_chart(data: object, provider_id: str) -> bytes:
    """A PNG: the provider's E/M level mix, modifier rates and busiest day beside its peers."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = fraud.provider_vs_peers(data, provider_id)
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.2), constrained_layout=True)
    panels = (
        ("E/M level (established visits)", [f"{c} share" for c in fraud_lab.EST_EM], 100, "%"),
        ("Modifier rates", ["modifier 25 rate", "modifier 59/X rate"], 100, "%"),
        ("Busiest day, time-based codes", ["busiest day (h)"], 1, "hours"),
    )
    for ax, (title, rows, factor, unit) in zip(axes, panels, strict=True):
        part = table.loc[rows] * factor
        x = np.arange(len(rows))
        ax.bar(x - 0.2, part["provider"].fillna(0), 0.4, label=provider_id, color="#c62828")
        ax.bar(x + 0.2, part["peer median"].fillna(0), 0.4, label="peer median", color="#90a4ae")
        ax.scatter(
            x + 0.2,
            part["peer 95th pct"],
            marker="_",
            s=300,
            color="#263238",
            label="peer 95th pct",
            zorder=3,
        )
        ax.set_xticks(x, [r.split(" ")[0] if "share" in r else r.split(" rate")[0] for r in rows])
        ax.set_title(title, fontsize=10)
        ax.set_ylabel(unit)
        if unit == "hours":
            ax.axhline(24, color="#c62828", linestyle="--", linewidth=1)
            ax.set_xlim(-0.7, 0.7)
            ax.text(-0.65, 24.4, "24 h: impossible above", color="#c62828", fontsize=8)
        if part["provider"].isna().all():
            ax.text(0.5, 0.5, "not billed", transform=ax.transAxes, ha="center", color="#555")
    axes[0].legend(fontsize=8, loc="upper right")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    plt.close(fig)
    return buf.getvalue()


def _metrics_html(data: object, provider_id: str) -> str:
    table = fraud.provider_vs_peers(data, provider_id)
    t = fraud.tables(data)
    specialty = t.providers.set_index("provider_id")["specialty"]
    others = int((specialty == specialty[provider_id]).sum()) - 1  # the provider left out

    def fmt(name: str, v: float) -> str:
        if pd.isna(v):
            return "&ndash;"
        return f"{v:.1f} h" if "(h)" in name else f"{v:.0%}"

    rows = "".join(
        f"<tr><td>{escape(m)}</td><td><b>{fmt(m, r['provider'])}</b></td>"
        f"<td>{fmt(m, r['peer median'])}</td><td>{fmt(m, r['peer 95th pct'])}</td></tr>"
        for m, r in table.iterrows()
    )
    return (
        f'{STYLE}<table class="mbl-table mbl-peers"><tr><th>Pattern</th><th>{escape(provider_id)}'
        f"</th><th>Peer median ({others} others)</th><th>Peer 95th pct</th></tr>"
        + rows
        + "</table>"
        + f"<small>Peers: the other {others} {escape(specialty[provider_id])} providers; "
        f"{escape(provider_id)} is left out of its own peer figures.</small>"
    )


def parse_line_ids(text: str) -> list[int]:
    """Line IDs typed as "12, 40 77" (commas or spaces).

    >>> parse_line_ids("12, 40 77")
    [12, 40, 77]
    """
    parts = [p for p in text.replace(",", " ").split() if p]
    if not parts or not all(p.isdigit() for p in parts):
        raise ValueError(
            "Line IDs are whole numbers from the claims table, separated by commas or spaces "
            "(for example: 1204, 1210)."
        )
    return [int(p) for p in parts]


LIST_STYLE = (
    "<style>.mbl-lines select, .mbl-linehead{font-family:monospace;font-size:12px}"
    ".mbl-linehead{margin:0;padding-left:5px;color:#37474f;white-space:pre}</style>"
)
PAGE_LINES = 40  # claim lines a page of the list shows
FLAG_MARK = "\u2691\u00a0"  # before a line of the list the learner has flagged
LINE_HEAD = (
    f"  {'line':>6}  {'claim':>6}  {'date':<10}  {'patient':<9}  {'born':<10} sex payer "
    f"pos  {'code':<5} {'mods':<5} {'units':>5} {'charge':>9}  diagnoses"
)
MAX_LINE_FEEDBACK = 40  # flagged lines explained one by one after scoring, then a count


def line_label(r: object) -> str:
    """One claim line as a row of the list: every field a reviewer reads, in fixed columns.

    >>> from types import SimpleNamespace as R
    >>> line_label(R(line_id=7, claim_id=3, dos="2025-02-03", member_id="M1", patient_dob="1970-01-02",
    ...     patient_sex="F", payer_id="MBL01", pos="11", code="99214", mod1="25", mod2="",
    ...     units=1, charge=130.0, dx1="I10", dx2=""))[:59]
    '     7       3  2025-02-03  M1         1970-01-02  F  MBL01'
    """
    mods = "-".join(m for m in (str(r.mod1 or ""), str(r.mod2 or "")) if m)
    dx = " ".join(d for d in (str(r.dx1 or ""), str(r.dx2 or "")) if d)
    return (
        f"{r.line_id:>6}  {r.claim_id:>6}  {r.dos:<10}  {r.member_id:<9}  {r.patient_dob:<10} "
        f"{r.patient_sex:^3} {r.payer_id:<5} {r.pos:>3}  {r.code:<5} {mods:<5} {r.units:>5} "
        f"{r.charge:>9,.2f}  {dx}"
    )


def provider_lines(data: object, provider_id: str, find: str = "") -> pd.DataFrame:
    """The claim lines of one provider, in line order; ``find`` keeps the lines whose row
    holds it (a code, a date, a member ID, a modifier...), any case.

    >>> from medbill_lab.compliance import fraud_lab as fl
    >>> lab = fl.generate(7, scale=0.1)
    >>> rows = provider_lines(lab, "P001")
    >>> set(rows["provider_id"]) == {"P001"} and rows["line_id"].is_monotonic_increasing
    True
    """
    claims = fraud.tables(data).claims
    rows = claims[claims["provider_id"] == provider_id]
    find = find.strip().upper()
    if find:
        labels = rows.apply(line_label, axis=1).str.upper()
        rows = rows[labels.str.contains(find, regex=False)]
    return rows


def score_flags_html(flags: dict[str, set], seed: int, scale: float, data: object) -> str:
    """Precision and recall for each scheme flagged, with feedback on every provider flag."""
    if not any(flags.values()):
        return message("Flag a provider or some lines first, then score your flags.")
    t = fraud.tables(data)
    explained = {}
    parts = [STYLE, "<h4>Your score against the planted schemes</h4><ul>"]
    for scheme, got in flags.items():
        if not got:
            continue
        _, note = fraud.grade_answer(got, scheme, seed, scale, points=1.0)
        parts.append(f"<li>{escape(LABELS[scheme])}: {escape(note.split(': ', 1)[1])}</li>")
        if fraud.UNIT[scheme] == "provider":
            if scheme not in explained:
                found = fraud.DETECTORS[scheme](t)
                explained[scheme] = dict(
                    zip(found["provider_id"], found["explanation"], strict=True)
                )
            truth = fraud_lab.generate(seed, scale).truth
            planted = set(truth.loc[truth["scheme"] == scheme, "provider_id"])
            for pid in sorted(got):
                why = explained[scheme].get(pid, "")
                if pid in planted:
                    parts.append(
                        f'<li class="mbl-right">Right: {escape(pid)} was planted for '
                        f"{escape(LABELS[scheme])}. {escape(why)}</li>"
                    )
                else:
                    parts.append(
                        f'<li class="mbl-wrong">Not planted: {escape(pid)} is not one of the '
                        f"planted {escape(LABELS[scheme])} providers. Compare its numbers with the "
                        "peer 95th percentile: an unusual provider is not always a "
                        "dishonest one.</li>"
                    )
        else:
            parts += _line_feedback(t, scheme, got, seed, scale)
    parts.append("</ul>")
    return "".join(parts)


def _line_feedback(t: fraud.Tables, scheme: str, got: set, seed: int, scale: float) -> list[str]:
    """Each flagged line of a line scheme: right (with the rule that finds it) or not planted."""
    truth = fraud_lab.generate(seed, scale).truth
    planted = set(truth.loc[truth["scheme"] == scheme, "line_id"].dropna().astype(int))
    found = fraud.DETECTORS[scheme](t)
    why = dict(zip(found["line_id"].astype(int), found["explanation"], strict=True))
    out = []
    for line in sorted(got)[:MAX_LINE_FEEDBACK]:
        if line in planted:
            out.append(
                f'<li class="mbl-right">Right: line {line} was planted for '
                f"{escape(LABELS[scheme])}. {escape(why.get(line, ''))}</li>"
            )
        else:
            out.append(
                f'<li class="mbl-wrong">Not planted: line {line} is not one of the planted '
                f"{escape(LABELS[scheme])} lines. Read it against the rule: a look-alike "
                "(a repeat with 76/77/91, a proper 59, a day-of-death visit) is billed "
                "honestly.</li>"
            )
    more = len(got) - MAX_LINE_FEEDBACK
    if more > 0:
        out.append(f"<li>and {more} more flagged line(s), counted in the score above</li>")
    return out


def fraud_detective(seed: int = fraud_lab.DEFAULT_SEED, scale: float = APP_SCALE) -> w.VBox:
    """The Fraud detective app: pick a provider, compare it with peers, flag, get scored."""
    lab = fraud_lab.generate(seed, scale)
    data = fraud.tables(lab.student_tables())  # the page's numbers never touch the key
    providers = data.providers
    options = [
        (f"{r.provider_id} · {r.name} ({r.specialty})", r.provider_id)
        for r in providers.itertuples()
    ]
    pick = w.Dropdown(options=options, description="Provider", layout=w.Layout(width="60%"))
    chart = w.HTML()
    metrics = w.HTML()
    provider_scheme = w.Dropdown(
        options=[(LABELS[s], s) for s in fraud_lab.PROVIDER_SCHEMES], description="Scheme"
    )
    flag_provider = w.Button(description="Flag this provider", button_style="warning")
    line_scheme = w.Dropdown(
        options=[(LABELS[s], s) for s in fraud_lab.SCHEMES if fraud.UNIT[s] == "line"],
        description="Scheme",
    )
    line_box = w.Text(
        placeholder="line IDs, e.g. 1204, 1210", description="Line IDs", continuous_update=False
    )
    flag_lines = w.Button(description="Flag these lines", button_style="warning")
    lines_title = w.HTML()
    find = w.Text(
        placeholder="a code, date, member ID, modifier...",
        description="Find",
        continuous_update=False,
    )
    line_list = w.SelectMultiple(options=[], rows=16, layout=w.Layout(width="100%"))
    line_list.add_class("mbl-lines")
    earlier = w.Button(description="Earlier lines", icon="arrow-left")
    later = w.Button(description="Later lines", icon="arrow-right")
    page_note = w.HTML()
    flag_selected = w.Button(description="Flag selected lines", button_style="warning")
    listing = {"rows": data.claims.iloc[:0], "page": 0}
    clear = w.Button(description="Clear my flags")
    score = w.Button(description="Score my flags", button_style="success")
    mine = w.HTML()
    notice = w.HTML()  # bad line IDs: a sentence next to the box, the score stays
    result = w.HTML()
    flags: dict[str, set] = {s: set() for s in fraud_lab.SCHEMES}

    def show_flags() -> None:
        show_page()  # the list marks the flagged lines
        listed = [
            f"<li>{escape(LABELS[s])}: {escape(', '.join(str(x) for x in sorted(v)[:20]))}"
            f"{' ...' if len(v) > 20 else ''}</li>"
            for s, v in flags.items()
            if v
        ]
        mine.value = (
            f"<b>My flags</b><ul>{''.join(listed)}</ul>" if listed else "<i>No flags yet.</i>"
        )

    def show(_=None) -> None:
        try:
            png = base64.b64encode(peer_chart(data, pick.value)).decode()
            chart.value = f'<img alt="Peer comparison chart" src="data:image/png;base64,{png}"/>'
            metrics.value = _metrics_html(data, pick.value)
        except Exception:  # the page gets a sentence, never a traceback
            chart.value, metrics.value = message(TROUBLE), ""

    def show_page() -> None:
        rows, page = listing["rows"], listing["page"]
        part = rows.iloc[page * PAGE_LINES : (page + 1) * PAGE_LINES]
        flagged = set().union(*(v for k, v in flags.items() if fraud.UNIT[k] == "line"))
        line_list.options = [
            (
                (FLAG_MARK if r.line_id in flagged else "\u00a0\u00a0")
                + line_label(r).replace(" ", "\u00a0"),
                int(r.line_id),
            )
            for r in part.itertuples()
        ]
        first = page * PAGE_LINES + 1 if len(rows) else 0
        page_note.value = f"lines {first:,}-{page * PAGE_LINES + len(part):,} of {len(rows):,}"
        earlier.disabled = page == 0
        later.disabled = (page + 1) * PAGE_LINES >= len(rows)

    def list_lines(_=None) -> None:
        try:
            listing["rows"] = provider_lines(data, pick.value, find.value[:100])
        except Exception:
            listing["rows"] = data.claims.iloc[:0]
        listing["page"] = 0
        found = f" holding {escape(find.value.strip()[:100])!r}" if find.value.strip() else ""
        lines_title.value = (
            f"<b>Claim lines of {escape(pick.value)}</b>{found}: pick one or more (Ctrl or Shift "
            "to pick several), choose the scheme, and flag them."
        )
        show_page()

    def turn(step: int) -> None:
        listing["page"] = max(0, listing["page"] + step)
        show_page()

    def on_flag_selected(_=None) -> None:
        if not line_list.value:
            notice.value = message("Pick a claim line in the list first.")
            return
        flags[line_scheme.value].update(int(x) for x in line_list.value)
        notice.value, result.value = "", ""
        show_flags()

    def on_flag_provider(_=None) -> None:
        flags[provider_scheme.value].add(pick.value)
        result.value = ""
        show_flags()

    def on_flag_lines(_=None) -> None:
        try:
            ids = parse_line_ids(line_box.value)
        except ValueError as exc:
            notice.value = message(str(exc))
            return
        unknown = sorted(set(ids) - set(data.claims["line_id"]))
        if unknown:
            notice.value = message(
                f"No claim line has ID {unknown[0]}; pick IDs from the claims table."
            )
            return
        flags[line_scheme.value].update(ids)
        line_box.value, notice.value, result.value = "", "", ""
        show_flags()

    def on_clear(_=None) -> None:
        for v in flags.values():
            v.clear()
        result.value = ""
        show_flags()

    def on_score(_=None) -> None:
        try:
            result.value = score_flags_html(flags, seed, scale, data)
        except Exception:
            result.value = message(TROUBLE)

    pick.observe(show, names="value")
    pick.observe(list_lines, names="value")
    find.observe(list_lines, names="value")
    earlier.on_click(lambda _: turn(-1))
    later.on_click(lambda _: turn(1))
    flag_selected.on_click(on_flag_selected)
    flag_provider.on_click(on_flag_provider)
    flag_lines.on_click(on_flag_lines)
    line_box.observe(  # Enter (or leaving the box) flags the typed IDs, as the button does
        lambda change: on_flag_lines() if change["new"].strip() else None, names="value"
    )
    clear.on_click(on_clear)
    score.on_click(on_score)
    show()
    list_lines()
    show_flags()
    intro = w.HTML(
        f"{STYLE}<p>{len(data.claims):,} claim lines from {len(providers)} providers "
        "(synthetic). Pick a provider and compare it with its specialty peers: the red bars are "
        "the provider, the grey bars the peer median, the black ticks the peers' 95th percentile.</p>"
    )
    box = w.VBox(
        [
            intro,
            pick,
            chart,
            metrics,
            w.HTML("<b>Flag the provider</b>"),
            w.HBox([provider_scheme, flag_provider]),
            w.HTML("<b>Flag claim lines</b>"),
            lines_title,
            w.HBox([find, earlier, later, page_note]),
            w.HTML(
                LIST_STYLE
                + f'<div class="mbl-linehead">{escape(LINE_HEAD).replace(" ", "&nbsp;")}</div>'
            ),
            line_list,
            w.HBox([line_scheme, flag_selected]),
            w.HTML(
                "<small>or type line IDs (found with pandas in lesson 11 or the exercise):</small>"
            ),
            w.HBox([line_box, flag_lines]),
            notice,
            mine,
            w.HBox([score, clear]),
            result,
        ]
    )
    box.parts = SimpleNamespace(  # the widgets, for tests and lessons that drive the app
        pick=pick,
        metrics=metrics,
        provider_scheme=provider_scheme,
        flag_provider=flag_provider,
        find=find,
        line_list=line_list,
        earlier=earlier,
        later=later,
        page_note=page_note,
        line_scheme=line_scheme,
        flag_selected=flag_selected,
        line_box=line_box,
        flag_lines=flag_lines,
        notice=notice,
        mine=mine,
        score=score,
        result=result,
        flags=flags,
        data=data,
    )
    return box
