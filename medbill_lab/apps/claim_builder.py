"""The Claim builder app: edit a claim, see the scrubber's edits live (what-if),
and download the 837P and the CMS-1500 PDF; then read the 999 and 277CA the clearinghouse
sends back (:mod:`medbill_lab.apps.file_reader`).

The form (:mod:`medbill_lab.apps.claim_form`) has a field for every item of the claim
schema, reads dates as MM/DD/YYYY, and sends the claim as plain data through the same schema
and checks as a claim file (`claims.located_problems`), so a learner's typo gets the same
item-named message the CLI gives.  While items have problems, the scrubber still runs on what
loads and the page names the edits that could not.  No exception text reaches the page.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
from html import escape

import ipywidgets as w

from medbill_lab.apps import claim_form as form
from medbill_lab.apps.file_reader import FileReader
from medbill_lab.apps.kit import STYLE, TROUBLE, message
from medbill_lab.claims import cms1500_pdf, scrubber
from medbill_lab.claims import model as claims
from medbill_lab.codes import icd10cm, procedures
from medbill_lab.datasets import datasets_dir
from medbill_lab.x12 import x837p as x12_837p

SEVERITY_COLOURS = {"reject": "#b71c1c", "deny": "#e65100", "warn": "#8d6e00"}
INTRO = (
    "<p><small>Item 21's codes and item 24's lines are here; every other item is in the "
    "sections below. Dates: MM/DD/YYYY (YYYY-MM-DD works too).</small></p>"
)
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


NONE_ON_WHAT_LOADS = (
    "<p>No edit fires on what loads; the claim is not clean until the problems above are "
    "fixed and the edits not checked yet have run.</p>"
)


def edits_html(
    edits: list[scrubber.Edit],
    fixed: list[scrubber.Edit],
    introduced: list[scrubber.Edit],
    partial: bool = False,
) -> str:
    """The scrubber's findings as a table, with what the latest change fixed or introduced.

    ``partial``: the edits of a scrub on what loads, so no edit does not mean a clean claim.
    """
    head = f"<p><b>{len(edits)} edit(s)</b>"
    if fixed or introduced:
        head += (
            f" &middot; fixed by your changes: {len(fixed)} &middot; introduced: {len(introduced)}"
        )
    head += "</p>"
    if not edits and partial:
        body = NONE_ON_WHAT_LOADS
    elif not edits:
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


# (field, column heading, width): one row of item 24 per service line, every field of the
# line schema.  24J's NPI is apart: the item table gives 24J the claim's rendering provider.
LINE_FIELDS = (
    ("date_from", "24A from", "100px"),
    ("date_to", "24A to", "100px"),
    ("place_of_service", "24B POS", "52px"),
    ("emergency", "24C EMG", "52px"),
    ("code", "24D code", "72px"),
    ("modifiers", "24D modifiers", "96px"),
    ("pointers", "24E pointer", "70px"),
    ("charge", "24F charge", "80px"),
    ("units", "24G units", "60px"),
    ("epsdt", "24H EPSDT", "60px"),
)
ALL_LINE_FIELDS = (*LINE_FIELDS, ("rendering_npi", "24J NPI", "110px"))
LINE_LEAVES = {leaf.path[-1]: leaf for leaf in form.line_leaves()}
# The form's sections (the accordion below items 21 and 24), by top-level field; a field
# the schema gains and no section names lands in the last one.
SECTIONS = (
    ("Items 1-8: program, patient, insured", ("program", "insured_id", "patient", "relationship", "insured")),
    ("Items 9-13: other insurance, condition, plan, signatures", ("other_insurance", "employment_related", "auto_accident_state", "other_accident", "claim_codes", "insured_group", "plan_name", "another_plan", "patient_signature_on_file", "insured_signature_on_file")),
    ("Items 14-20: dates, referring provider, outside lab", ("onset_date", "other_date", "unable_to_work", "referring_provider", "hospitalized", "additional_info", "outside_lab", "outside_lab_charges")),
    ("Items 21-24: ICD indicator, unrelated pairs, resubmission, authorization, place of service", ("icd_indicator", "unrelated_dx_attested", "resubmission_code", "original_reference", "prior_authorization", "place_of_service")),
    ("Items 25-33: tax ID, totals, signature, facility, billing and rendering provider", ("tax_id", "tax_id_type", "patient_account", "accept_assignment", "total_charge", "amount_paid", "signature", "signature_date", "service_facility", "billing_provider", "rendering_provider")),
    ("Carrier block and sending: payer, date sent", ("payer", "submitted_on")),
)  # fmt: skip
MAIN_FIELDS = frozenset({"diagnoses"})  # shown above the accordion, with descriptions
MAX_DESCRIBED = claims.MAX_DIAGNOSES  # a pasted list is described up to the form's 12


def sections() -> list[tuple[str, list[form.Leaf]]]:
    """The accordion's sections and their fields: every top-level field but item 21's codes
    and item 24's lines, which sit above it."""
    out = [(title, []) for title, _ in SECTIONS] + [("Other fields", [])]
    home = {key: i for i, (_, keys) in enumerate(SECTIONS) for key in keys}
    for leaf in form.leaves(claims.claim_schema()):
        if leaf.path[0] not in MAIN_FIELDS:
            out[home.get(leaf.path[0], len(SECTIONS))][1].append(leaf)
    return [(title, fields) for title, fields in out if fields]


def field_widget(leaf: form.Leaf) -> w.Widget:
    """The widget that edits one CMS-1500 field, labelled with its item."""
    style = {"description_width": "300px"}
    layout = w.Layout(width="680px")
    if leaf.kind == "bool":
        return w.Checkbox(description=leaf.title, style=style, layout=layout)
    if leaf.kind == "enum":
        choices = [(v if v else "(blank)", v) for v in leaf.node["enum"]]
        if not leaf.required and "" not in leaf.node["enum"]:
            choices.insert(0, ("(blank)", ""))
        return w.Dropdown(options=choices, description=leaf.title, style=style, layout=layout)
    hint = {"date": form.DATE_INPUT, "money": "0.00", "pairs": "R42 F31.9; ..."}.get(leaf.kind, "")
    return w.Text(
        description=leaf.title,
        placeholder=hint,
        continuous_update=False,
        style=style,
        layout=layout,
    )


# -- descriptions as the codes are typed ---------------------------------------------
def _icd_text(code: str, day: dt.date) -> str:
    try:
        return icd10cm.validate(code, day).detail
    except Exception:  # a year not installed: describe with the newest shipped year
        try:
            return icd10cm.load(max(icd10cm.years())).check(code)[1]
        except Exception:
            return "not read as an ICD-10-CM code"


def dx_descriptions(codes: list[str], day: dt.date) -> str:
    """Item 21's codes, each with its ICD-10-CM description for the date's fiscal year.

    >>> "Type 2 diabetes mellitus without complications" in dx_descriptions(["E11.9"], dt.date(2026, 1, 5))
    True
    """
    rows = [
        f"<li><b>21{claims.POINTER_LETTERS[i]}</b> {escape(_icd_text(code, day))}</li>"
        for i, code in enumerate(codes[:MAX_DESCRIBED])
    ]
    more = len(codes) - MAX_DESCRIBED
    if more > 0:
        rows.append(f"<li>and {more} more: item 21 holds {MAX_DESCRIBED}</li>")
    return f'<ul class="mbl-codes" style="margin:2px 0">{"".join(rows)}</ul>' if rows else ""


def code_description(code: str) -> str:
    """A 24D code in words: CPT (in our own words) or HCPCS Level II.

    >>> code_description("J1885")
    'J1885 (HCPCS): Injection, ketorolac tromethamine, per 15 mg'
    """
    code = code.strip().upper()
    if not code:
        return ""
    found = procedures.procedure(code) if len(code) == 5 else None
    if found is None:
        return f"{form.shown(code, 12)} is not a CPT or HCPCS code in the lab's sets"
    return f"{code} ({found.system.upper()}): {found.description}"


def modifier_description(modifier: str) -> str:
    """A 24D modifier in words.

    >>> modifier_description("25").startswith("25: Significant, separately identifiable E/M")
    True
    """
    found = procedures.modifiers().get(modifier.strip().upper())
    if found is None:
        return f"{form.shown(modifier, 8)} is not a modifier in the lab's list"
    return f"{found.modifier}: {found.description}"


def line_description(code: str, modifiers: str) -> str:
    """What the line's code and modifiers mean, shown under the line."""
    parts = [code_description(code)] if code.strip() else []
    parts += [modifier_description(m) for m in form.split_codes(modifiers)[: claims.MAX_MODIFIERS]]
    return (
        f'<div style="font-size:0.85em;color:#37474f;margin:0 0 4px 8px">'
        f"{' &middot; '.join(escape(p) for p in parts)}</div>"
        if parts
        else ""
    )


def _line_row(line: dict) -> dict[str, w.Text]:
    row = {}
    for name, heading, width in ALL_LINE_FIELDS:
        leaf = LINE_LEAVES[name]
        value = line.get(name)
        shown = ("Y" if value else "") if leaf.kind == "bool" else form.show_value(leaf, value)
        row[name] = w.Text(
            value=shown,
            placeholder=form.DATE_INPUT if leaf.kind == "date" else "",
            tooltip=heading,
            continuous_update=name in ("code", "modifiers"),
            layout=w.Layout(width=width),
        )
    return row


def _heading_row() -> w.HBox:
    return w.HBox(
        [
            w.HTML(f"<b>{escape(heading)}</b>", layout=w.Layout(width=width))
            for _, heading, width in ALL_LINE_FIELDS
        ]
    )


def not_run_html(notes: list[str]) -> str:
    """What the scrubber could not check while the claim has structural problems."""
    if not notes:
        return ""
    items = "".join(f"<li>{escape(n)}</li>" for n in notes[:MAX_PROBLEMS_SHOWN])
    return f"<p><b>Not checked yet:</b></p><ul>{items}</ul>"


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
        self.dx_notes = w.HTML()
        self.lines_box = w.VBox()
        self.add_line = w.Button(description="Add a line", icon="plus")
        self.lines_note = w.HTML()
        # The sections' fields are made when a section is first opened (a page shows sooner);
        # until then a field's value is the sample's, read from self.sample.
        self.groups = sections()
        self.fields: dict[tuple, w.Widget] = {}
        self.leaves: dict[tuple, form.Leaf] = {
            leaf.path: leaf for _, group in self.groups for leaf in group
        }
        self.more = w.Accordion(
            children=[w.VBox() for _ in self.groups], titles=tuple(t for t, _ in self.groups)
        )
        self.more.selected_index = None
        self.more.observe(lambda change: self.open_section(change["new"]), names="selected_index")
        self.edits = w.HTML()
        self.x12_button = w.Button(description="837P file", icon="file-code")
        self.output = w.HTML()
        self.pdf_button = w.Button(description="CMS-1500 PDF", icon="file-pdf")
        self.rows: list[dict[str, w.Text]] = []
        self.descriptions: list[w.HTML] = []
        self.heading = _heading_row()
        self.boxes: dict[int, tuple[w.HBox, w.HTML, w.Button]] = {}
        self.original: claims.Claim | None = None
        self.sample: dict = {}
        self.baseline: list[scrubber.Edit] = []
        self._quiet = False  # filling the form from a sample: check once, at the end
        self.pick.observe(lambda _: self.load(), names="value")
        self.diagnoses.observe(lambda _: self.check(), names="value")
        self.add_line.on_click(lambda _: self.add())
        self.x12_button.on_click(lambda _: self.make_x12())
        self.pdf_button.on_click(lambda _: self.make_pdf())
        self.widget = w.VBox(
            [
                self.pick,
                self.header,
                w.HTML(INTRO),
                self.diagnoses,
                self.dx_notes,
                self.lines_box,
                w.HBox([self.add_line, self.lines_note]),
                self.more,
                self.edits,
                w.HBox([self.x12_button, self.pdf_button]),
                self.output,
            ]
        )
        self.load()

    # -- the form --------------------------------------------------------------------
    def load(self) -> None:
        """Show the chosen sample claim in the form."""
        try:
            self.original = claims.load(datasets_dir() / "claims" / self.pick.value)
        except (claims.ClaimError, OSError) as exc:
            self.original = None
            self.edits.value = message(f"This sample does not load: {exc}")
            return
        data = claims.to_dict(self.original)
        self.sample = data
        self.baseline = scrubber.scrub(self.original)
        p = self.original.patient
        self.header.value = (
            f"{STYLE}<p><b>{escape(p.last)}, {escape(p.first)}</b> &middot; born "
            f"{form.show_date(p.dob.isoformat())} &middot; {escape(p.sex)}"
            f" &middot; {escape(self.original.payer.name)} ({escape(self.original.program)}) "
            f"&middot; submitted {form.show_date(data.get('submitted_on', '')) or 'not yet'}</p>"
        )
        self._quiet = True
        try:
            for path, widget in self.fields.items():
                widget.value = form.show_value(self.leaves[path], form.get(data, path))
            self.diagnoses.value = ", ".join(data["diagnoses"])
            self.rows = [_line_row(line) for line in data["lines"][: claims.MAX_LINES]]
            self.boxes = {}
            for row in self.rows:
                self._watch(row)
        finally:
            self._quiet = False
        self.output.value = ""
        self.show_lines()
        self.check()

    def open_section(self, index: int | None) -> None:
        """Make the fields of section ``index`` (once), showing the values the claim holds."""
        if index is None or self.more.children[index].children:
            return
        boxes = []
        for leaf in self.groups[index][1]:
            widget = field_widget(leaf)
            widget.value = form.show_value(leaf, form.get(self.sample, leaf.path))
            widget.observe(lambda _: self.check(), names="value")
            self.fields[leaf.path] = widget
            boxes.append(widget)
        self.more.children[index].children = boxes

    def open_all(self) -> None:
        """Make every section's fields (a lesson or a test that fills the whole form)."""
        for index in range(len(self.groups)):
            self.open_section(index)

    def _watch(self, row: dict[str, w.Text]) -> None:
        for field in row.values():
            field.observe(lambda _: self.check(), names="value")

    def show_lines(self) -> None:
        """Lay out item 24: a heading, then each line with its remove button and descriptions."""
        boxes: list[w.Widget] = [self.heading]
        self.descriptions = []
        for i, row in enumerate(self.rows):
            if id(row) not in self.boxes:  # a line's widgets are made once, then reused
                remove = w.Button(icon="trash", layout=w.Layout(width="36px"))
                remove.on_click(lambda _, row=row: self.remove(row))
                self.boxes[id(row)] = (w.HBox([*row.values(), remove]), w.HTML(), remove)
            line, notes, remove = self.boxes[id(row)]
            remove.tooltip = f"Remove line {i + 1}"
            remove.disabled = len(self.rows) == 1
            boxes += [line, notes]
            self.descriptions.append(notes)
        self.lines_box.children = boxes
        self.add_line.disabled = len(self.rows) >= claims.MAX_LINES
        pages = -(-len(self.rows) // claims.MAX_PAPER_LINES)
        self.lines_note.value = (
            f"<small>{len(self.rows)} line(s) of at most {claims.MAX_LINES} (the 837P's limit); "
            f"the paper form holds {claims.MAX_PAPER_LINES} a page"
            + (f", so this claim prints on {pages} pages" if pages > 1 else "")
            + "</small>"
        )

    def add(self) -> None:
        """Add a service line (same date as the last one, pointer A, 1 unit)."""
        if len(self.rows) >= claims.MAX_LINES:
            return
        last = self.rows[-1] if self.rows else {}
        date = last["date_from"].value if last else ""
        self.rows.append(_line_row({"pointers": ["A"], "units": "1"}))
        self.rows[-1]["date_from"].value = date
        self._watch(self.rows[-1])
        self.show_lines()
        self.check()

    def remove(self, row: dict[str, w.Text]) -> None:
        """Remove a service line (one always stays: item 24 needs a line)."""
        if len(self.rows) > 1 and row in self.rows:
            self.rows.remove(row)
            self.show_lines()
            self.check()

    def form_data(self) -> tuple[dict, list[tuple[tuple, str]]]:
        """The claim's plain data as the form shows it, and what the form could not read."""
        data: dict = {}
        unread: list[tuple[tuple, str]] = []

        def take(target: dict, leaf: form.Leaf, raw: object, path: tuple, line=None) -> None:
            try:
                form.put(target, leaf.path, form.read_value(leaf, raw))
            except ValueError as exc:
                item, label = form.where(leaf.title, line)
                unread.append((path, f"{item}: {label} {exc}"))

        for path, leaf in self.leaves.items():
            widget = self.fields.get(path)
            raw = (
                form.show_value(leaf, form.get(self.sample, path))
                if widget is None
                else widget.value
            )
            take(data, leaf, raw, path)
        diagnoses = form.Leaf(("diagnoses",), {}, "list", True)
        take(data, diagnoses, self.diagnoses.value, ("diagnoses",))
        data.setdefault("diagnoses", [])
        data["lines"] = []
        for i, row in enumerate(self.rows):
            line: dict = {}
            for name, field in row.items():
                take(line, LINE_LEAVES[name], field.value, ("lines", i, name), i)
            data["lines"].append(line)
        return form.prune(data, form.SCHEMA), unread

    def located(self) -> tuple[dict, list[tuple[tuple, str]]]:
        """The form's data and every problem with it (what it could not read first)."""
        data, unread = self.form_data()
        seen = {path for path, _ in unread}
        found = [(p, t) for p, t in claims.located_problems(data) if p not in seen]
        return data, sorted(unread + found, key=lambda pair: form.order(pair[0]))

    def edited(self) -> tuple[claims.Claim | None, list[str]]:
        """The claim as the form now shows it, or the problems that stop it loading."""
        if self.original is None:
            return None, ["no claim loaded"]
        data, located = self.located()
        if located:
            return None, list(dict.fromkeys(text for _, text in located))
        return claims.from_dict(data), []

    def day(self) -> dt.date:
        """The first readable date of service (the code sets' year), else today."""
        for row in self.rows:
            try:
                return form.read_date(row["date_from"].value)
            except ValueError:
                continue
        return dt.date.today()

    def describe(self) -> None:
        """Each code's description beside it: item 21's, and each line's code and modifiers."""
        codes = form.split_codes(self.diagnoses.value[:2000])
        self.dx_notes.value = dx_descriptions(codes, self.day())
        for row, notes in zip(self.rows, self.descriptions, strict=False):
            notes.value = line_description(row["code"].value[:40], row["modifiers"].value[:40])

    # -- actions ---------------------------------------------------------------------
    def check(self) -> None:
        """Scrub the edited claim and show what changed against the sample as loaded.

        With structural problems, list them (each naming its item) and scrub what loads.
        """
        if self._quiet or self.original is None:
            return
        try:
            self.describe()
            data, located = self.located()
            if not located:
                after = scrubber.scrub(claims.from_dict(data))
                fixed, introduced = scrubber.compare(self.baseline, after)
                self.edits.value = edits_html(after, fixed, introduced)
                return
            texts = list(dict.fromkeys(text for _, text in located))
            partial = form.scrub_what_loads(data, located, self.sample)
            scrubbed = (
                "<p><b>The scrubber on what loads</b> (the problems above set aside):</p>"
                + edits_html(partial.edits, [], [], partial=True)
                if partial.ran
                else ""
            )
            self.edits.value = problems_html(texts) + scrubbed + not_run_html(partial.notes)
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
