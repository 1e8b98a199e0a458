"""One CMS-1500 item table (datasets/claims/cms1500_items.csv): the schema, the printed form,
the 837P crosswalk, the 999 tracing and the claim grader all name items from it."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import typing
from pathlib import Path

import pytest

from medbill_lab.claims import cms1500_pdf, items
from medbill_lab.claims import model as claim_files
from medbill_lab.claims.model import Claim
from medbill_lab.datasets import datasets_dir
from medbill_lab.training.claim_grading import BoxMark
from medbill_lab.x12 import core, x837p

SAMPLE = Path(datasets_dir()) / "claims" / "clean-02-strep-child.json"
TABLE = items.items()


def schema_items() -> set[str]:
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("title"), str):
                found.update(items.items_named(node["title"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(claim_files.claim_schema())
    return found


def field_exists(path: str) -> bool:
    """Does a field of the table ("patient.last/first", "lines[{line}].charge") exist in Claim?"""
    head, _, leaves = path.rpartition(".")
    cls: type = Claim
    for step in filter(None, head.split(".")):
        name = step.split("[")[0]
        hints = typing.get_type_hints(cls)
        if name not in hints:
            return False
        kind = hints[name]
        args = [a for a in typing.get_args(kind) if dataclasses.is_dataclass(a)]
        if typing.get_origin(kind) is list:
            args = [a for a in typing.get_args(kind) if dataclasses.is_dataclass(a)]
        cls = args[0] if args else kind
        if not dataclasses.is_dataclass(cls):
            return False
    names = {f.name for f in dataclasses.fields(cls)}
    return all(leaf in names for leaf in leaves.split("/"))


def test_every_row_is_one_item_with_a_name():
    with (Path(datasets_dir()) / "claims" / "cms1500_items.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(TABLE) > 60  # no id twice
    assert all(r["item"] and r["name"] for r in rows)
    assert [r["item"] for r in rows][:4] == ["1", "1a", "2", "3"] and rows[-1]["item"] == "carrier"


def test_every_item_in_the_model_is_named_by_the_schema_and_no_other():
    named = schema_items()
    for i in TABLE.values():
        if i.in_model:
            assert i.id in named or set(items.parts(i.id)) & named, i.id
        else:
            assert i.id not in named, i.id
    assert named <= set(TABLE)


def test_every_item_is_a_box_of_the_printed_form():
    boxed = {items.item_of(key) for key in cms1500_pdf.BOXES if key != "page"}
    for i in TABLE.values():
        assert i.id in boxed or (set(items.parts(i.id)) <= boxed and items.parts(i.id)), i.id
    assert boxed <= set(TABLE)


def test_every_model_field_the_table_names_exists():
    fields = [i.field for i in TABLE.values() if i.field]
    assert len(fields) > 50
    for field in fields:
        assert field_exists(field), field
    assert not field_exists("patient.nose") and not field_exists("lines[{line}].colour")


def test_every_item_the_model_holds_has_an_837p_answer():
    # written where the table says, carried with another item, or left out for a stated reason
    for i in TABLE.values():
        if not i.in_model:
            assert i.x12 is None and not i.also_written_at, i.id
            continue
        heading = items.parts(i.id) and i.x12 is None
        assert i.x12 or i.not_written or i.written_with or heading, i.id
        if i.written_with:
            assert items.item(i.written_with).x12 is not None, i.id


def test_the_837p_crosswalk_is_the_tables_view():
    assert {i.id: i.x12 for i in TABLE.values() if i.x12} == BOX
    assert {item for item, _ in x837p.ALSO_WRITTEN_AT} <= set(BOX)
    listed = [part for key in x837p.NOT_WRITTEN for part in key.split(", ")]
    assert sorted(listed) == sorted(i.id for i in TABLE.values() if i.not_written)
    assert x837p.NOT_WRITTEN["9, 9a, 9d, 11d"].startswith("other insurance")


BOX = x837p.BOX_TO_X12


@pytest.mark.parametrize(("element", "value", "item", "field"), [
    ("DTP03", "20251131", "24A", "lines[1].date_from/date_to"),
    ("SV102", "13O", "24F", "lines[1].charge"),
    ("NM108", "ZZ", "24J", "rendering_provider"),
])  # fmt: skip
def test_a_999_error_traces_to_an_item_of_the_table(
    element: str, value: str, item: str, field: str
):
    claim = claim_files.load(SAMPLE)
    rendering = claim_files.Provider("Lane", "Ada", npi="1234567893")
    claim = dataclasses.replace(claim, rendering_provider=rendering)
    text = x837p.to_837p([claim], when=dt.datetime(2025, 11, 6, 8, 0))
    rows = x837p.outline(text)
    if element == "NM108":
        target = next(r for r in rows if r.loop == "2310B" and r.segment.startswith("NM1"))
    else:
        seg = element[:3]
        target = [r for r in rows if r.loop == "2400" and r.segment.startswith(seg)][-1]
    bad = core.set_element(text, target.position, element, value)
    traced = [t for t in x837p.trace(x837p.validate_837p(bad), bad, [claim]) if t.item]
    assert traced, element
    assert {t.item for t in traced} <= set(TABLE)
    assert (item, field) in {(t.item, t.field) for t in traced}
    assert items.item(item).x12[0] == target.loop


@pytest.mark.parametrize("made_up", ["24Z", "34", "0", "9e", "", "Box 21", "item 2"])
def test_a_made_up_item_is_refused(made_up: str):
    with pytest.raises(items.UnknownItem):
        items.item(made_up)
    with pytest.raises(KeyError, match="CMS-1500 item"):
        items.item_of(made_up if made_up.startswith(("Box", "item")) else f"Item {made_up}: x")


def test_a_schema_title_or_a_grade_naming_a_made_up_item_is_refused():
    with pytest.raises(items.UnknownItem):
        items.items_named("Items 2, 34: patient")
    with pytest.raises(items.UnknownItem):
        BoxMark("Item 24K line 1", 1, 1, "ok")
    assert BoxMark("Item 24F line 2", 0, 1, "no").item == "24F"
    assert BoxMark("Item 21 extra", -0.5, 0, "no").item == "21"


def test_every_scrubber_edit_on_the_samples_names_an_item_of_the_table():
    from medbill_lab.claims import scrubber

    named = set()
    for path in sorted((Path(datasets_dir()) / "claims").glob("edit-*")):
        for edit in scrubber.scrub(claim_files.load(path), today=dt.date(2026, 9, 30)):
            named.add(items.item_of(edit.item))
            assert edit.message.startswith(f"Item {edit.item}: ")
    assert {"21", "24D", "24G"} <= named <= set(TABLE)


def test_the_claim_builders_line_columns_are_the_tables_items_and_fields():
    from medbill_lab.apps.claim_builder import LINE_FIELDS

    for name, heading, _ in LINE_FIELDS:
        field = items.item(items.item_of(heading)).field
        assert field.startswith("lines[{line}].") and name in field.split(".")[1].split("/"), (
            heading
        )
