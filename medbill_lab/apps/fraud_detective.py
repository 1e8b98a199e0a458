"""The Fraud detective app: a provider against its peers, flags, and a score with feedback.

Widgets only arrange inputs and outputs; the numbers come from ``fraud`` (profiles,
detectors, ``grade_answer``) and the data from ``fraud_lab``.  The answer key stays in the
kernel: the page shows only whether a flag was right, and why.
"""

from __future__ import annotations

import base64
import io
from html import escape

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
        "</th><th>Peer median</th><th>Peer 95th pct</th></tr>" + rows + "</table>"
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
                        f'<li class="mbl-wrong">Not planted: {escape(pid)} is not an '
                        f"{escape(LABELS[scheme])} case. Compare its numbers with the "
                        "peer 95th percentile: an unusual provider is not always a "
                        "dishonest one.</li>"
                    )
    parts.append("</ul>")
    return "".join(parts)


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
    line_box = w.Text(placeholder="line IDs, e.g. 1204, 1210", description="Lines")
    flag_lines = w.Button(description="Flag these lines", button_style="warning")
    clear = w.Button(description="Clear my flags")
    score = w.Button(description="Score my flags", button_style="success")
    mine = w.HTML()
    notice = w.HTML()  # bad line IDs: a sentence next to the box, the score stays
    result = w.HTML()
    flags: dict[str, set] = {s: set() for s in fraud_lab.SCHEMES}

    def show_flags() -> None:
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
    flag_provider.on_click(on_flag_provider)
    flag_lines.on_click(on_flag_lines)
    line_box.on_submit(on_flag_lines)
    clear.on_click(on_clear)
    score.on_click(on_score)
    show()
    show_flags()
    intro = w.HTML(
        f"{STYLE}<p>{len(data.claims):,} claim lines from {len(providers)} providers "
        "(synthetic). Pick a provider and compare it with its specialty peers: the red bars are "
        "the provider, the grey bars the peer median, the black ticks the peers' 95th percentile.</p>"
    )
    return w.VBox(
        [
            intro,
            pick,
            chart,
            metrics,
            w.HTML("<b>Flag the provider</b>"),
            w.HBox([provider_scheme, flag_provider]),
            w.HTML(
                "<b>Flag claim lines</b> (find them with pandas in the lesson, or in the exercise)"
            ),
            w.HBox([line_scheme, line_box, flag_lines]),
            notice,
            mine,
            w.HBox([score, clear]),
            result,
        ]
    )
