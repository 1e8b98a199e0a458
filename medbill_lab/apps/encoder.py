"""The Encoder app: ICD-10-CM, CPT, HCPCS and ICD-10-PCS search, the hierarchy browser, the
ICD-10-CM tables and the table-driven ICD-10-PCS builder."""

from __future__ import annotations

from html import escape

import ipywidgets as w

from medbill_lab.apps.kit import STYLE, TROUBLE, message
from medbill_lab.codes import encoder, icd10cm, icd10pcs, icd_tables, pcs_builder, procedures


def badge(billable: bool, system: str = "") -> str:
    """A small green 'billable' or grey 'header' badge ('code' or 'table' for ICD-10-PCS)."""
    words = ("code", "table") if system == "icd10pcs" else ("billable", "header")
    cls, label = ("mbl-bill", words[0]) if billable else ("mbl-head", words[1])
    return f'<span class="mbl-badge {cls}">{label}</span>'


def results_html(hits: list[encoder.Hit]) -> str:
    """Search results as an HTML table."""
    if not hits:
        return message("No codes matched. Try fewer words, a synonym, or part of a code.")
    rows = "".join(
        f"<tr><td><code>{escape(h.code)}</code></td><td>{escape(h.system)}</td>"
        f"<td>{badge(h.billable, h.system)}</td><td>{escape(h.description)}</td></tr>"
        for h in hits
    )
    note = ""
    if hits[0].read_as:
        note = f"<p><i>Read as: {escape(hits[0].read_as)}</i></p>"
    return f'{STYLE}{note}<table class="mbl-table"><tr><th>Code</th><th>Set</th><th></th><th>Description</th></tr>{rows}</table>'


def detail_html(code: str, year: int = 2026) -> str:
    """One code explained: level, billable or why not, ancestors, notes, 7th characters."""
    fy = icd10cm.load(year)
    if code not in fy:
        p = procedures.procedure(code)
        if p is None:
            return message(f"{code!r} is not in ICD-10-CM FY{year} or the CPT/HCPCS teaching sets.")
        return f"{STYLE}<h4><code>{escape(p.code)}</code> {escape(p.description)}</h4><p>{escape(p.system.upper())}: {escape(p.group)}</p>"
    item = fy.get(code)
    reason, detail, hints = fy.check(item.code)
    parts = [
        STYLE,
        f"<h4><code>{escape(item.code)}</code> {escape(item.description)} {badge(item.billable)}</h4>",
    ]
    if reason:
        hint = f" Try {', '.join(hints)}." if hints else ""
        parts.append(
            f"<p><b>Not billable ({escape(reason)}):</b> {escape(detail)}{escape(hint)}</p>"
        )
    trail = " &rsaquo; ".join(
        f"<code>{escape(a.code)}</code> {escape(a.description)}"
        for a in reversed(fy.ancestors(item.code))
    )
    parts.append(f"<p><small>{trail}</small></p>")
    for src, kind, text in fy.notes(item.code):
        origin = "" if src == item.code else f" <small>(from {escape(src)})</small>"
        parts.append(
            f'<div class="mbl-note"><span class="mbl-kind">{escape(kind.replace("_", " ").capitalize())}</span>'
            f"{origin}: {escape(text)}</div>"
        )
    seventh = fy.seventh_characters(item.code)
    if seventh:
        cells = "".join(
            f"<tr><td><code>{escape(c)}</code></td><td>{escape(t)}</td></tr>"
            for c, t in seventh.items()
        )
        parts.append(f'<p><b>7th characters</b></p><table class="mbl-table">{cells}</table>')
    kids = fy.children(item.code)
    if kids:
        listed = "".join(
            f"<tr><td><code>{escape(k.code)}</code></td><td>{badge(k.billable)}</td><td>{escape(k.description)}</td></tr>"
            for k in kids[:40]
        )
        more = f"<p><small>... and {len(kids) - 40} more</small></p>" if len(kids) > 40 else ""
        parts.append(
            f'<p><b>Below this code</b></p><table class="mbl-table">{listed}</table>{more}'
        )
    return "".join(parts)


def encoder_search_box(year: int = 2026, limit: int = 10, value: str = "") -> w.VBox:
    """A search box over the code sets with a detail panel for the chosen result.

    Used by the ICD-10-CM lesson and the Encoder app alike.
    """
    query = w.Text(
        value=value,
        placeholder="Type a code, words, an abbreviation or a lay term",
        description="Search",
        continuous_update=False,
        layout=w.Layout(width="60%"),
    )
    system = w.Dropdown(
        options=[
            ("All code sets", "all"),
            ("ICD-10-CM", "icd10cm"),
            ("CPT", "cpt"),
            ("HCPCS", "hcpcs"),
            ("ICD-10-PCS", "icd10pcs"),
        ],
        value="all",
        description="In",
    )
    fiscal = w.Dropdown(  # the shipped years and any imported (codes import-release), newest first
        options=[(f"FY{y}", y) for y in reversed(icd10cm.years())], value=year, description="Year"
    )
    results = w.HTML()
    pick = w.Dropdown(options=[], description="Details")
    detail = w.HTML()

    def run(_=None) -> None:
        text = query.value
        if not text.strip():
            results.value, pick.options, detail.value = "", [], ""
            return
        try:
            hits = encoder.search(text, year=fiscal.value, system=system.value, limit=limit)
        except (encoder.QueryError, icd10cm.CodeSetError) as exc:
            results.value, pick.options, detail.value = message(str(exc)), [], ""
            return
        except Exception:  # the page gets a sentence, never a traceback
            results.value, pick.options, detail.value = message(TROUBLE), [], ""
            return
        results.value = results_html(hits)
        pick.options = [(f"{h.code}  {h.description[:60]}", h.code) for h in hits]
        pick.value = hits[0].code if hits else None
        show()

    def show(_=None) -> None:
        if not pick.value:
            detail.value = ""
        elif system.value == "icd10pcs":
            detail.value = pcs_detail_html(pick.value, fiscal.value)
        else:
            detail.value = detail_html(pick.value, fiscal.value)

    query.observe(run, names="value")
    system.observe(run, names="value")
    fiscal.observe(run, names="value")
    pick.observe(show, names="value")
    box = w.VBox([w.HBox([query, system, fiscal]), results, pick, detail])
    box.query, box.system, box.year, box.results, box.pick, box.detail = (
        query,
        system,
        fiscal,
        results,
        pick,
        detail,
    )
    run()
    return box


def hierarchy_browser(start: str = "", year: int = 2026) -> w.VBox:
    """Browse ICD-10-CM from the chapters down: pick a child to go deeper, "Up" to go back.

    ``start`` may be any code; empty starts at the list of chapters.
    """
    fy = icd10cm.load(year)
    state = {"code": ""}
    where = w.HTML()
    up = w.Button(description="Up", icon="arrow-up", layout=w.Layout(width="80px"))
    kids = w.Select(options=[], rows=12, layout=w.Layout(width="95%"))
    detail = w.HTML()

    def go(code: str) -> None:
        state["code"] = code
        items = fy.children(code) if code else fy.chapters()
        options = [(f"{i.code}  {i.description[:90]}", i.code) for i in items]
        kids.unobserve(on_pick, names="value")
        kids.options = options
        kids.value = None
        kids.observe(on_pick, names="value")
        up.disabled = not code
        where.value = (
            detail_html(code, year) if code else message("ICD-10-CM chapters: pick one to open it.")
        )

    def on_pick(change: dict) -> None:
        if change["new"]:
            go(change["new"])

    def on_up(_: w.Button) -> None:
        parent = fy.get(state["code"]).parent if state["code"] else None
        go(parent or "")

    kids.observe(on_pick, names="value")
    up.on_click(on_up)
    try:
        go(fy.get(start).code if start.strip() else "")
    except icd10cm.CodeSetError as exc:
        go("")
        where.value = message(str(exc))
    box = w.VBox([up, kids, where, detail])
    box.up, box.children_list, box.where = up, kids, where
    box.go = go
    return box


# -- the index tables, laid out like the printed ones --------------------------------
_CELL = w.Layout(width="118px")
_TERM = w.Layout(width="300px")
TABLE_HELP = {
    "drugs": "Type a drug or chemical (a brand name works too): its row of the Table of Drugs"
    " and Chemicals. Click a code to read it. Intent not stated? Code accidental"
    " (guideline I.C.19.e.5.b).",
    "neoplasm": "Type a site (lung, breast, colon ...): its row of the Neoplasm Table, one"
    " column per behaviour. Click a code to read it.",
    "eindex": "Type what happened (fall ladder, bitten dog, struck bat): the External Cause"
    " Index entries and their codes. Click a code to read it.",
}


def table_cell_note(row: icd_tables.Row, cell: icd_tables.Cell) -> str:
    """One line saying where a clicked code came from and how it was completed."""
    where = f"{icd_tables.TABLES[row.table]}: {row.term}"
    if row.table != "eindex":
        where += f", column {cell.column}"
    if cell.via:
        where += f" (blank in the printed row; from see also {cell.via})"
    done = "" if cell.code == cell.printed else f", completed to {cell.code}"
    why = ""
    if done and len(cell.code.replace(".", "")) == 7:
        why = " (7th character A, initial encounter: change it for later encounters)"
    elif done:
        why = " (the table gives a subcategory: pick the side or type the record documents)"
    return f"{where}: printed {cell.printed or '-'}{done}{why}."


def table_lookup_box(table: str, year: int = 2026, limit: int = 8, value: str = "") -> w.VBox:
    """Look a term up in one index table; each cell is a button with its completed code."""
    if table not in icd_tables.TABLES:
        raise ValueError(f"unknown table {table!r}")
    query = w.Text(
        value=value,
        placeholder={"drugs": "acetaminophen", "neoplasm": "lung", "eindex": "fall ladder"}[table],
        description="Look up",
        continuous_update=False,
        layout=w.Layout(width="60%"),
    )
    rows_box = w.VBox()
    detail = w.HTML()
    status = w.HTML()
    heads = icd_tables.columns(table) if table != "eindex" else ["Code"]
    header = w.HBox(
        [w.HTML("<div class='mbl-colhead'>Term</div>", layout=_TERM)]
        + [w.HTML(f"<div class='mbl-colhead'>{escape(h)}</div>", layout=_CELL) for h in heads]
    )

    def pick(found: icd_tables.Row, cell: icd_tables.Cell) -> None:
        note = f"<p class='mbl-ref'>{escape(table_cell_note(found, cell))}</p>"
        detail.value = note + detail_html(cell.code, year)

    def row_widget(found: icd_tables.Row) -> w.HBox:
        refs = "".join(
            f"<div class='mbl-ref'>{label} {escape(text)}</div>"
            for label, text in (("see", found.see), ("see also", found.see_also))
            if text
        )
        parts = [w.HTML(f"<div>{escape(found.term)}</div>{refs}", layout=_TERM)]
        for cell in icd_tables.cells(found, year):
            button = w.Button(
                description=cell.code or "\u2014",
                disabled=not cell.code,
                tooltip=f"{cell.column}: {cell.printed} {cell.description}".strip(),
                layout=_CELL,
            )
            button.add_class("mbl-cell")
            if cell.code:
                button.on_click(lambda _b, c=cell: pick(found, c))
            parts.append(button)
        return w.HBox(parts)

    def run(_=None) -> None:
        text = query.value
        detail.value = ""
        if not text.strip():
            rows_box.children, status.value = (), message(TABLE_HELP[table])
            return
        try:
            found = icd_tables.find(table, encoder.check_query(text), limit=limit)
        except encoder.QueryError as exc:
            rows_box.children, status.value = (), message(str(exc))
            return
        except Exception:  # the page gets a sentence, never a traceback
            rows_box.children, status.value = (), message(TROUBLE)
            return
        if not found:
            rows_box.children = ()
            status.value = message(
                f"No row of the {icd_tables.TABLES[table]} holds those words. Try fewer words."
            )
            return
        status.value = ""
        rows_box.children = (header, *(row_widget(r) for r in found))

    query.observe(run, names="value")
    box = w.VBox([query, status, rows_box, detail])
    box.query, box.rows, box.detail, box.status = query, rows_box, detail, status
    run()
    return box


# -- ICD-10-PCS: one code explained, and the table-driven builder ---------------------
def pcs_detail_html(code: str, year: int = 2026) -> str:
    """A PCS code's seven axes with their definitions, or a prefix with the next choices."""
    try:
        found = pcs_builder.complete(code, year)
        offered = [] if found else pcs_builder.choices(code, year)
        axis = "" if found else pcs_builder.axis_name(code, year)
    except (icd10pcs.PcsCodeError, ValueError) as exc:
        return message(str(exc))
    if found is None:
        rows = "".join(
            f"<tr><td><code>{escape(c.value)}</code></td><td>{escape(c.label)}</td></tr>"
            for c in offered
        )
        head = f"<h4><code>{escape(icd10pcs.normalize(code))}</code>: choose the {escape(axis.lower())}</h4>"
        return f'{STYLE}{head}<table class="mbl-table">{rows}</table>'
    rows = "".join(
        f"<tr><td>{a.position}</td><td>{escape(a.name)}</td><td><code>{escape(a.value)}</code></td>"
        f"<td>{escape(a.label)}</td><td><small>{escape(a.definition)}</small></td></tr>"
        for a in found.axes
    )
    return (
        f"{STYLE}<h4><code>{escape(found.code)}</code> {escape(found.title)}</h4>"
        f"<p>ICD-10-PCS FY{found.fiscal_year}, table {escape(found.code[:3])}</p>"
        f'<table class="mbl-table">{rows}</table>'
    )


BUILDER_HELP = (
    "Build an ICD-10-PCS code as the printed tables are read: section, body system and root"
    " operation pick the table, then body part, approach, device and qualifier are read across"
    " one of its rows. Each list offers only what the FY2026 tables allow after your earlier"
    " choices; changing one clears the ones after it."
)
_PICK = "— choose —"


def pcs_builder_box(year: int = 2026) -> w.VBox:
    """Seven dropdowns, one per character: each offers only the values the tables allow after
    the earlier ones, a change clears the later ones, and the code, its title and the chosen
    root operation's definition show as they are known.

    ``box.set_code("0FT4")`` fills the dropdowns from a code or prefix (the search uses it).
    """
    style = {"description_width": "110px"}
    drops = [
        w.Dropdown(options=[(_PICK, None)], value=None, style=style, layout=w.Layout(width="70%"))
        for _ in range(7)
    ]
    code_html, definition, status = w.HTML(), w.HTML(), w.HTML()

    def prefix_upto(i: int) -> str:
        return "".join(d.value for d in drops[:i])

    def fill(i: int) -> None:
        """Offer position i's values after the characters chosen before it."""
        prefix = prefix_upto(i)
        drops[i].description = pcs_builder.axis_name(prefix, year)
        drops[i].options = [(_PICK, None)] + [
            (f"{c.value}  {c.label}", c.value) for c in pcs_builder.choices(prefix, year)
        ]
        drops[i].value = None
        drops[i].disabled = False

    def clear(i: int) -> None:
        drops[i].options, drops[i].value, drops[i].disabled = [(_PICK, None)], None, True
        drops[i].description = ""

    busy = {"on": False}  # set while the lists after a change are being reset

    def on_change(i: int) -> None:
        if busy["on"]:
            return
        busy["on"] = True
        try:
            for j in range(i + 1, 7):
                clear(j)
            if drops[i].value is not None and i < 6:
                fill(i + 1)
        except Exception:  # the page gets a sentence, never a traceback
            status.value = message(TROUBLE)
            return
        finally:
            busy["on"] = False
        show()

    def show() -> None:
        chosen = "".join(d.value or "" for d in drops)
        filled = len([d for d in drops if d.value is not None])
        shown = chosen[:filled].ljust(7, "_")
        done = pcs_builder.complete(chosen, year) if filled == 7 else None
        title = f" {escape(done.title)}" if done else ""
        code_html.value = f"{STYLE}<h3><code>{escape(shown)}</code>{title}</h3>"
        parts = []
        for pos in (2, 4):
            if drops[pos].value is not None:
                picked = next(
                    c
                    for c in pcs_builder.choices(chosen[:pos], year)
                    if c.value == drops[pos].value
                )
                if picked.definition:
                    parts.append(
                        f"<p><b>{escape(drops[pos].description)} {escape(picked.label)}:</b>"
                        f" {escape(picked.definition)}</p>"
                    )
        definition.value = "".join(parts)
        status.value = ""

    def set_code(code: str) -> None:
        """Choose the characters of a code or prefix, one dropdown after the other."""
        norm = pcs_builder.check(code, year)
        drops[0].value = None
        for i, ch in enumerate(norm):
            drops[i].value = ch

    fill(0)
    for i in range(7):
        if i:
            clear(i)
        drops[i].observe(lambda _c, i=i: on_change(i), names="value")
    show()
    box = w.VBox([w.HTML(f"<p>{escape(BUILDER_HELP)}</p>"), *drops, code_html, definition, status])
    box.drops, box.code, box.definition, box.set_code = drops, code_html, definition, set_code
    return box


def encoder_app(year: int = 2026) -> w.Tab:
    """The Encoder app: search, the three index tables, the tabular browser and the PCS
    builder, as tabs."""
    search, builder = encoder_search_box(year), pcs_builder_box()
    tabs = w.Tab(
        children=[
            search,
            table_lookup_box("drugs", year),
            table_lookup_box("neoplasm", year),
            table_lookup_box("eindex", year),
            hierarchy_browser(year=year),
            builder,
        ]
    )
    _link_search_to_builder(search, builder, tabs)
    for i, title in enumerate(
        [
            "Search",
            "Drugs and chemicals",
            "Neoplasms",
            "External causes",
            "Browse the tabular",
            "PCS builder",
        ]
    ):
        tabs.set_title(i, title)
    return tabs


def _link_search_to_builder(search: w.VBox, builder: w.VBox, tabs: w.Tab) -> None:
    """An ICD-10-PCS result opens in the builder, its characters chosen there, so the student
    picks the axes the words left open from the values the table allows."""
    button = w.Button(description="Open in the PCS builder", icon="wrench", disabled=True)
    button.layout.width = "220px"

    def able(_=None) -> None:
        button.disabled = search.system.value != "icd10pcs" or not search.pick.value

    def open_it(_: w.Button) -> None:
        try:
            builder.set_code(search.pick.value)
        except Exception:  # the page gets a sentence, never a traceback
            search.detail.value = message(TROUBLE)
            return
        tabs.selected_index = list(tabs.children).index(builder)

    search.pick.observe(able, names="value")
    search.system.observe(able, names="value")
    button.on_click(open_it)
    search.children = (*search.children[:3], button, *search.children[3:])
    search.open_in_builder = button
