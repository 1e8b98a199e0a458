"""The Claim builder app: edit a claim, see the scrubber's edits live (what-if),
and download the 837P and the CMS-1500 PDF; then read the 999 and 277CA the clearinghouse
sends back (:mod:`medbill_lab.apps.file_reader`).

The form edits the claim as plain data and sends it through the same schema
and checks as a claim file (`claims.claim_problems`), so a learner's typo gets
the same item-named message the CLI gives.  No exception text reaches the page.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
from html import escape

import ipywidgets as w

from medbill_lab.apps.file_reader import FileReader
from medbill_lab.apps.kit import STYLE, TROUBLE, message
from medbill_lab.claims import cms1500_pdf, scrubber
from medbill_lab.claims import model as claims
from medbill_lab.datasets import datasets_dir
from medbill_lab.x12 import x837p as x12_837p

SEVERITY_COLOURS = {"reject": "#b71c1c", "deny": "#e65100", "warn": "#8d6e00"}
ACK_KINDS = ("999", "277CA")  # what the clearinghouse sends back for a claim
MAX_PROBLEMS_SHOWN = 20  # a learner fixes the first few; a page of hundreds helps nobody


def problems_html(problems: list[str], limit: int = MAX_PROBLEMS_SHOWN) -> str:
    """What stops the claim loading, the first ``limit`` of them and how many more.

    >>> "and 5 more" in problems_html([f"Item 24D: bad {i}" for i in range(25)])
    True
    """
    items = "".join(f"<li>{escape(p)}</li>" for p in problems[:limit])
    more = len(problems) - limit
    if more > 0:
        items += f"<li>and {more} more; fix these first and the rest will show</li>"
    return f'{STYLE}<div class="mbl-msg">Fix these first:<ul>{items}</ul></div>'


def problems_text(problems: list[str], limit: int = MAX_PROBLEMS_SHOWN) -> str:
    """The same as one line of text, for the 837P and PDF buttons."""
    more = len(problems) - limit
    return "; ".join(problems[:limit]) + (f"; and {more} more" if more > 0 else "")


def sample_claims() -> list[tuple[str, str]]:
    """(label, file name) of every sample claim that loads, clean ones first."""
    with (datasets_dir() / "claims" / "labels.csv").open(newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["expected_edits"] != "LOAD-ERROR"]
    rows.sort(key=lambda r: (bool(r["expected_edits"]), r["file"]))
    return [(f"{r['file']}  ({r['expected_edits'] or 'clean'})", r["file"]) for r in rows]


def edits_html(
    edits: list[scrubber.Edit], fixed: list[scrubber.Edit], introduced: list[scrubber.Edit]
) -> str:
    """The scrubber's findings as a table, with what the latest change fixed or introduced."""
    head = f"<p><b>{len(edits)} edit(s)</b>"
    if fixed or introduced:
        head += (
            f" &middot; fixed by your changes: {len(fixed)} &middot; introduced: {len(introduced)}"
        )
    head += "</p>"
    if not edits:
        body = '<p style="color:#2e7d32"><b>Clean:</b> no edit would reject, deny or warn on this claim.</p>'
    else:
        new = {(e.id, e.item) for e in introduced}
        rows = "".join(
            f'<tr><td><span class="mbl-badge" style="background:{SEVERITY_COLOURS.get(e.severity, "#555")}">'
            f"{escape(e.severity)}</span></td><td><code>{escape(e.id)}</code>{' (new)' if (e.id, e.item) in new else ''}"
            f"</td><td>{escape(e.item)}</td><td>{escape(e.message)}<br><small>{escape(e.rationale)}</small>"
            f"<br><small><i>{escape(e.source)}</i></small></td></tr>"
            for e in edits
        )
        body = f'<table class="mbl-table"><tr><th></th><th>Edit</th><th>Item</th><th>Why</th></tr>{rows}</table>'
    gone = "".join(f"<li><code>{escape(e.id)}</code> {escape(e.item)}</li>" for e in fixed)
    return STYLE + head + body + (f"<p>Fixed: <ul>{gone}</ul></p>" if gone else "")


def download_link(data: bytes, filename: str, mime: str, label: str) -> str:
    """An HTML link that downloads ``data`` (works in Voila without a server round trip)."""
    payload = base64.b64encode(data).decode()
    return (
        f'<a download="{escape(filename)}" href="data:{mime};base64,{payload}">{escape(label)}</a>'
    )


# (field, column heading, width): one row of item 24 per service line.
LINE_FIELDS = (
    ("date_from", "24A date", "120px"),
    ("code", "24D code", "90px"),
    ("modifiers", "24D modifiers", "120px"),
    ("pointers", "24E pointer", "90px"),
    ("charge", "24F charge", "90px"),
    ("units", "24G units", "90px"),
)


def _line_row(line: dict) -> dict[str, w.Text]:
    values = {
        "date_from": line.get("date_from", ""),
        "code": line.get("code", ""),
        "modifiers": " ".join(line.get("modifiers", [])),
        "pointers": "".join(line.get("pointers", [])),
        "charge": str(line.get("charge", "")),
        "units": str(line.get("units", "1")),
    }
    return {
        name: w.Text(value=values[name], placeholder=heading, layout=w.Layout(width=width))
        for name, heading, width in LINE_FIELDS
    }


def _heading_row() -> w.HBox:
    return w.HBox(
        [
            w.HTML(f"<b>{escape(heading)}</b>", layout=w.Layout(width=width))
            for _, heading, width in LINE_FIELDS
        ]
    )


class ClaimBuilder:
    """State and widgets of the Claim builder (one per page)."""

    def __init__(self, sample: str | None = None) -> None:
        options = sample_claims()
        self.pick = w.Dropdown(options=options, description="Claim", layout=w.Layout(width="70%"))
        if sample in {f for _, f in options}:
            self.pick.value = sample
        self.header = w.HTML()
        self.diagnoses = w.Text(
            description="21 A-L",
            layout=w.Layout(width="70%"),
            placeholder="ICD-10-CM codes in order, e.g. E11.9, I10",
        )
        self.lines_box = w.VBox()
        self.edits = w.HTML()
        self.x12_button = w.Button(description="837P file", icon="file-code")
        self.pdf_button = w.Button(description="CMS-1500 PDF", icon="file-pdf")
        self.output = w.HTML()
        self.rows: list[dict[str, w.Text]] = []
        self.original: claims.Claim | None = None
        self.baseline: list[scrubber.Edit] = []
        self.pick.observe(lambda _: self.load(), names="value")
        self.diagnoses.observe(lambda _: self.check(), names="value")
        self.x12_button.on_click(lambda _: self.make_x12())
        self.pdf_button.on_click(lambda _: self.make_pdf())
        self.widget = w.VBox(
            [
                self.pick,
                self.header,
                self.diagnoses,
                self.lines_box,
                self.edits,
                w.HBox([self.x12_button, self.pdf_button]),
                self.output,
            ]
        )
        self.load()

    # -- data in and out -------------------------------------------------------------
    def load(self) -> None:
        """Show the chosen sample claim in the form."""
        try:
            self.original = claims.load(datasets_dir() / "claims" / self.pick.value)
        except (claims.ClaimError, OSError) as exc:
            self.original = None
            self.edits.value = message(f"This sample does not load: {exc}")
            return
        data = claims.to_dict(self.original)
        self.baseline = scrubber.scrub(self.original)
        p = self.original.patient
        self.header.value = (
            f"{STYLE}<p><b>{escape(p.last)}, {escape(p.first)}</b> &middot; born {p.dob} &middot; {escape(p.sex)}"
            f" &middot; {escape(self.original.payer.name)} ({escape(self.original.program)}) &middot; "
            f"submitted {self.original.submitted_on or 'not yet'}</p>"
        )
        self.diagnoses.value = ", ".join(data["diagnoses"])
        self.rows = [_line_row(line) for line in data["lines"][: claims.MAX_PAPER_LINES]]
        for row in self.rows:
            for field in row.values():
                field.continuous_update = False
                field.observe(lambda _: self.check(), names="value")
        self.lines_box.children = [
            _heading_row(),
            *(w.HBox(list(row.values())) for row in self.rows),
        ]
        self.output.value = ""
        self.check()

    def edited(self) -> tuple[claims.Claim | None, list[str]]:
        """The claim as the form now shows it, or the problems that stop it loading."""
        if self.original is None:
            return None, ["no claim loaded"]
        data = claims.to_dict(self.original)
        data["diagnoses"] = [
            c.strip() for c in self.diagnoses.value.replace(";", ",").split(",") if c.strip()
        ]
        for line, row in zip(data["lines"], self.rows, strict=False):
            line["date_from"] = row["date_from"].value.strip()
            line["code"] = row["code"].value.strip().upper()
            line["modifiers"] = row["modifiers"].value.upper().replace(",", " ").split()
            line["pointers"] = list(row["pointers"].value.upper().replace(",", "").replace(" ", ""))
            line["charge"] = row["charge"].value.strip()
            line["units"] = row["units"].value.strip()
        problems = claims.claim_problems(data)
        if problems:
            return None, problems
        return claims.from_dict(data), []

    # -- actions ---------------------------------------------------------------------
    def check(self) -> None:
        """Scrub the edited claim and show what changed against the sample as loaded."""
        try:
            claim, problems = self.edited()
            if claim is None:
                self.edits.value = problems_html(problems)
                return
            after = scrubber.scrub(claim)
            fixed, introduced = scrubber.compare(self.baseline, after)
            self.edits.value = edits_html(after, fixed, introduced)
        except Exception:  # the page gets a sentence, never a traceback
            self.edits.value = message(TROUBLE)

    def make_x12(self) -> None:
        """Write the 837P for the edited claim, validate it with pyx12, offer it for download."""
        try:
            claim, problems = self.edited()
            if claim is None:
                self.output.value = message("Fix the claim first: " + problems_text(problems))
                return
            text = x12_837p.to_837p([claim], when=dt.datetime(2026, 1, 1, 12, 0))
            result = x12_837p.validate_837p(text)
            verdict = (
                "pyx12 accepts it (999 AK9 " + escape(result.ack_code) + ")"
                if result.ok
                else f"pyx12 found {len(result.errors)} error(s)"
            )
            pretty = escape(text.replace("~", "~\n"))
            self.output.value = (
                f"{STYLE}<p><b>837P:</b> {verdict} &middot; "
                f"{download_link(text.encode(), 'claim-837p.txt', 'text/plain', 'download the 837P')}</p>"
                f'<pre style="max-height:320px;overflow:auto;font-size:0.85em">{pretty}</pre>'
            )
        except ValueError as exc:  # text the 837P cannot carry, named by item
            self.output.value = message(str(exc))
        except Exception:
            self.output.value = message(TROUBLE)

    def make_pdf(self) -> None:
        """Fill the CMS-1500 for the edited claim; show a preview and offer the PDF."""
        try:
            claim, problems = self.edited()
            if claim is None:
                self.output.value = message("Fix the claim first: " + problems_text(problems))
                return
            pdf = cms1500_pdf.render_pdf(claim)
            png = cms1500_pdf.render_png(claim, dpi=80)
            link = download_link(pdf, "cms1500.pdf", "application/pdf", "download the CMS-1500 PDF")
            image = base64.b64encode(png).decode()
            self.output.value = (
                f"{STYLE}<p><b>CMS-1500:</b> {link}</p>"
                f'<img alt="CMS-1500 preview" style="max-width:100%;border:1px solid #ccc" '
                f'src="data:image/png;base64,{image}">'
            )
        except Exception:
            self.output.value = message(TROUBLE)


ANSWERS_HEADING = (
    f"{STYLE}<h3>The clearinghouse answers</h3><p>A sent 837P comes back as a 999 (was the file "
    "well formed?) and a 277CA (did the payer take each claim in?). Pick a sample or upload "
    "one; for a 999, upload the 837P it answers too, to see each error's claim and "
    "CMS-1500 item.</p>"
)


def claim_builder(sample: str | None = None) -> w.VBox:
    """The Claim builder: pick a sample claim, edit it, scrub it live, download 837P and PDF;
    below it, a reader of the 999 and 277CA the clearinghouse sends back."""
    builder = ClaimBuilder(sample)
    reader = FileReader(ACK_KINDS)
    box = w.VBox([builder.widget, w.HTML(ANSWERS_HEADING), reader.widget])
    box.builder = builder
    box.reader = reader
    return box
