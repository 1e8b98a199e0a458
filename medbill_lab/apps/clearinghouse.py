"""ipywidgets for the clearinghouse lesson: a CMS-1500 box and its 837P element, linked.

Choose a box and see its loop, segment and element and the real segment text
in an 837P written from a sample claim; choose an element of that file and see
which box it came from.  The answers come from :mod:`medbill_lab.x12.x837p`
(``BOX_TO_X12``, ``x12_to_box``, ``outline``); this module only arranges them.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import NamedTuple

import ipywidgets as w

from medbill_lab.apps.kit import STYLE, message
from medbill_lab.claims import model as claims
from medbill_lab.claims.items import item as cms1500_item
from medbill_lab.claims.model import Claim
from medbill_lab.datasets import datasets_dir
from medbill_lab.x12.x837p import (
    ALSO_WRITTEN_AT,
    BOX_TO_X12,
    Row,
    outline,
    to_837p,
    x12_to_box,
)

SAMPLE = "clean-02-strep-child.json"  # a child on a parent's plan: every loop shows
WHEN = dt.datetime(2025, 11, 6, 8, 0)  # a fixed time, so the file reads the same each run
_QUALIFIED = ("REF", "DTP", "AMT")  # segments told apart by their first element


class Element(NamedTuple):
    """One element (or component) of one segment in a file."""

    row: Row
    name: str  # e.g. "CLM02" or "CLM05-03"
    value: str


def _segment_key(row: Row) -> str:
    parts = row.segment.split("*")
    return f"{parts[0]}*{parts[1]}" if parts[0] in _QUALIFIED and len(parts) > 1 else parts[0]


def _matches(row: Row, loop: str, segment: str) -> bool:
    seg_id, _, qualifier = segment.partition("*")
    key = _segment_key(row)
    return row.loop == loop and key.split("*")[0] == seg_id and (not qualifier or key == segment)


def _positions(seg_id: str, spec: str) -> set[tuple[int, int]]:
    """(element, component) pairs a table entry names; component 0 = whole element."""
    low_text, *high = spec.split("-" + seg_id)
    number = low_text[len(seg_id) :]
    element, _, component = number.partition("-")
    last = int(high[0]) if high and high[0].isdigit() else int(element)
    if component:
        return {(int(element), int(component))}
    return {(n, 0) for n in range(int(element), last + 1)}


def _highlight(segment: str, marked: set[tuple[int, int]]) -> str:
    """Segment text as HTML with the named elements or components marked."""
    parts = segment.split("*")
    out = [escape(parts[0])]
    for n, value in enumerate(parts[1:], start=1):
        if (n, 0) in marked:
            out.append(f"<mark>{escape(value)}</mark>")
            continue
        pieces = value.split(":")
        out.append(
            ":".join(
                f"<mark>{escape(v)}</mark>" if (n, i) in marked else escape(v)
                for i, v in enumerate(pieces, start=1)
            )
        )
    return "*".join(out)


def sample_claim() -> Claim:
    """The lesson's sample claim (a child on a parent's commercial plan)."""
    return claims.load(datasets_dir() / "claims" / SAMPLE)


def _locations(item: str) -> list[tuple[str, str, str]]:
    return [BOX_TO_X12[item], *(where for name, where in ALSO_WRITTEN_AT if name == item)]


def box_html(item: str, rows: list[Row]) -> str:
    """Where an item lives in the 837P, and the matching segments of this file."""
    if item not in BOX_TO_X12:
        return message(f"Item {item} is not one the 837P writer fills.")
    field = cms1500_item(item).field.format(line="n")
    parts = [
        f"<p><b>Item {escape(item)}</b>: {escape(cms1500_item(item).name)} "
        f"&rarr; claim field <code>{escape(field)}</code></p><ul>"
    ]
    for loop, segment, spec in _locations(item):
        found = [r for r in rows if _matches(r, loop, segment)]
        marked = _positions(segment.split("*")[0], spec)
        shown = "".join(
            f"<br><code>{r.position:>3}: {_highlight(r.segment, marked)}~</code>" for r in found
        )
        if not found:
            shown = "<br><i>not in this file: the sample claim leaves it empty</i>"
        parts.append(
            f"<li>loop <b>{escape(loop)}</b>, segment <b>{escape(segment)}</b>, "
            f"element <b>{escape(spec)}</b>{shown}</li>"
        )
    return STYLE + "".join(parts) + "</ul>"


def elements(rows: list[Row]) -> list[Element]:
    """Every non-empty element (each component of a composite) in a file."""
    out = []
    for row in rows:
        seg_id, *values = row.segment.split("*")
        for n, value in enumerate(values, start=1):
            if not value.strip():
                continue
            pieces = value.split(":") if seg_id != "ISA" else [value]
            if len(pieces) == 1:
                out.append(Element(row, f"{seg_id}{n:02d}", value))
                continue
            out += [
                Element(row, f"{seg_id}{n:02d}-{i:02d}", v)
                for i, v in enumerate(pieces, start=1)
                if v
            ]
    return out


def element_html(found: Element) -> str:
    """Which CMS-1500 item an element of the file came from."""
    seg_id = found.row.segment.split("*")[0]
    item = x12_to_box(found.row.loop, _segment_key(found.row), found.name)
    number, _, component = found.name[len(seg_id) :].partition("-")
    marked = {(int(number), int(component or 0))}
    text = f"<code>{found.row.position:>3}: {_highlight(found.row.segment, marked)}~</code>"
    if item is None:
        where = (
            "<p>No CMS-1500 item: this element is part of the envelope or the file's "
            "structure (control numbers, hierarchy, qualifiers, counts).</p>"
        )
    else:
        field = cms1500_item(item).field.format(line=(found.row.line or 1) - 1)
        where = (
            f"<p>&rarr; <b>Item {escape(item)}</b>: {escape(cms1500_item(item).name)} "
            f"(claim field <code>{escape(field)}</code>)</p>"
        )
    head = f"<p>loop <b>{escape(found.row.loop)}</b>, element <b>{escape(found.name)}</b></p>"
    return STYLE + head + text + where


def box_to_element_view(claim: Claim | None = None) -> w.VBox:
    """Linked views over one claim's 837P: choose a CMS-1500 box to see its loop,
    segment, element and segment text; choose an element to see its box."""
    try:
        claim = claim or sample_claim()
        rows = outline(to_837p([claim], when=WHEN))
    except (OSError, ValueError) as exc:  # ClaimError is a ValueError
        return w.VBox([w.HTML(message(f"The claim could not be written as an 837P: {exc}"))])
    found = elements(rows)
    box = w.Dropdown(
        options=[(f"{item}: {cms1500_item(item).name}", item) for item in BOX_TO_X12],
        description="CMS-1500",
        layout=w.Layout(width="60%"),
    )
    element = w.Dropdown(
        options=[(f"{e.row.loop:6} {e.name:9} = {e.value}", i) for i, e in enumerate(found)],
        description="837P",
        layout=w.Layout(width="60%"),
    )
    box_result, element_result = w.HTML(), w.HTML()

    def show_box(_=None) -> None:
        box_result.value = box_html(box.value, rows)

    def show_element(_=None) -> None:
        element_result.value = element_html(found[element.value])

    box.observe(show_box, names="value")
    element.observe(show_element, names="value")
    view = w.VBox(
        [
            w.HTML("<b>From the form to the file</b>"),
            box,
            box_result,
            w.HTML("<b>From the file back to the form</b>"),
            element,
            element_result,
        ]
    )
    view.box, view.box_result, view.element, view.element_result = (
        box,
        box_result,
        element,
        element_result,
    )
    view.rows, view.elements = rows, found
    show_box()
    show_element()
    return view
