"""One CMS-1500 item table (datasets/claims/cms1500_items.csv): the schema, the printed form,
the 837P crosswalk, the 999 tracing and the claim grader all name items from it."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import typing
from decimal import Decimal
from pathlib import Path

import pytest

from medbill_lab.claims import cms1500_pdf, items
from medbill_lab.claims import model as claim_files
from medbill_lab.claims.model import Claim
from medbill_lab.datasets import datasets_dir
from medbill_lab.payer.remittance import Adjustment
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
    # the other insurance has its 837P places (loops 2320/2330A/2330B, written for a
    # secondary claim from PriorPayer), but a claim file's items 9-9d and 11d are not written
    assert {"9", "9a", "9d", "11d"} <= set(listed)
    assert all(BOX.get(i) for i in ("9", "9a", "9d", "11d"))


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


# -- the other insurance (items 9, 9a, 9d, 11d, 29) in loops 2320/2330A/2330B --------------
@pytest.mark.parametrize(("loop", "segment", "element", "item"), [
    ("2330A", "NM1", "NM103", "9"),  # the other insured's name
    ("2330A", "NM1", "NM105", "9"),
    ("2330A", "NM1", "NM109", "9a"),  # the other insured's ID (its policy number)
    ("2320", "SBR", "SBR03", "9a"),  # the other insured's group number
    ("2320", "SBR", "SBR04", "9d"),  # the other plan's name
    ("2320", "SBR", "SBR09", "9d"),  # the other plan's program (claim filing indicator)
    ("2330B", "NM1", "NM103", "9d"),  # the other payer
    ("2330B", "NM1", "NM109", "9d"),
    ("2320", "SBR", "", "11d"),  # the 2320 SBR itself: there is another plan
    ("2320", "SBR", "SBR01", "11d"),  # ... paying first, second or third
    ("2320", "AMT*D", "AMT02", "29"),  # paid by the other payer (NUCC item 29)
    ("2300", "AMT*F5", "AMT02", "29"),  # paid by the patient
])  # fmt: skip
def test_the_other_insurance_loops_map_to_their_items(
    loop: str, segment: str, element: str, item: str
):
    assert x837p.x12_to_box(loop, segment, element) == item
    assert x837p.no_item(loop, segment, element) == ""


@pytest.mark.parametrize(("loop", "segment", "element"), [
    ("2320", "AMT*F2", "AMT02"),  # the patient's share by the other payer: not item 29
    ("2320", "AMT*A8", "AMT02"),  # non-covered by the other payer
    ("2320", "AMT*EAF", "AMT02"),
    ("2320", "CAS", "CAS02"),  # the other payer's claim adjustments
    ("2430", "SVD", "SVD02"),  # its line payments
    ("2430", "CAS", "CAS03"),
])  # fmt: skip
def test_the_other_payers_adjudication_has_no_item_and_says_so(
    loop: str, segment: str, element: str
):
    assert x837p.x12_to_box(loop, segment, element) is None
    assert x837p.no_item(loop, segment, element) == (
        "no CMS-1500 item: the paper claim attaches the other payer's EOB"
    )


def test_a_qualifier_or_loop_that_is_not_the_tables_is_no_item():
    # must-fail cases: the same segment with another qualifier, or in another loop
    assert x837p.x12_to_box("2300", "AMT*D", "AMT02") is None  # AMT*D belongs to 2320
    assert x837p.x12_to_box("2320", "AMT*F5", "AMT02") is None
    assert x837p.x12_to_box("2010BA", "NM1", "NM103") == "4"  # the insured, not item 9
    assert x837p.x12_to_box("2000B", "SBR", "SBR03") == "11"  # this plan's group, not 9a
    assert x837p.no_item("2300", "CAS", "CAS02") == ""  # no reason given where none is known
    # the other insured's relationship to the patient: no box of the form, and not 11d
    assert x837p.x12_to_box("2320", "SBR", "SBR02") is None
    assert "relationship to the other insured" in x837p.no_item("2320", "SBR", "SBR02")
    assert x837p.x12_to_box("2000B", "SBR", "SBR02") == "6"  # this plan's: item 6


PRIOR = x837p.PriorPayer(
    payer=claim_files.Payer("First Health Plan", "FHP01", "CI"),
    member_id="FHPMBR77",
    subscriber=claim_files.Person("Brandtley", "Rowan", "", dt.date(1984, 5, 1), "M", None),
    relationship="child",
    group_number="GRP77",
    plan_name="",
    paid=Decimal("100.00"),
    adjudicated_on=dt.date(2025, 11, 20),
    claim_adjustments=[Adjustment("PR", "1", Decimal("67.00"))],
    lines=[
        x837p.PriorLine(Decimal("80.00"), [Adjustment("CO", "45", Decimal("55.00"))]),
        x837p.PriorLine(Decimal("20.00")),
    ],
)


def secondary_837p() -> tuple[Claim, str]:
    """The strep sample billed to its second plan after the first paid 100.00."""
    claim = claim_files.load(SAMPLE)
    return claim, x837p.to_837p(
        [claim], when=dt.datetime(2025, 11, 21, 8, 0), prior_payers={0: PRIOR}
    )


def test_a_claim_files_other_insurance_is_not_written_and_the_table_says_so():
    claim = claim_files.load(SAMPLE)
    other = claim_files.OtherInsurance(claim.patient, "GRP9", "OTHER PLAN")
    filled = dataclasses.replace(claim, other_insurance=other, another_plan=True)
    text = x837p.to_837p([filled], when=dt.datetime(2025, 11, 21, 8, 0))
    assert not {r.loop for r in x837p.outline(text)} & {"2320", "2330A", "2330B"}
    assert "GRP9" not in text and "OTHER PLAN" not in text
    assert x837p.NOT_WRITTEN["9, 9a, 9d, 11d"].startswith(
        "a claim file's other insurance is not written"
    )
    # the same claim billed as a secondary claim does carry the loops
    _, secondary = secondary_837p()
    assert {"2320", "2330A", "2330B"} <= {r.loop for r in x837p.outline(secondary)}


def test_our_secondary_claim_is_clean_before_it_is_corrupted():
    _, text = secondary_837p()
    assert x837p.validate_837p(text).errors == []
    loops = {r.loop for r in x837p.outline(text)}
    assert {"2320", "2330A", "2330B", "2430"} <= loops


@pytest.mark.parametrize(("loop", "segment", "element", "value", "item", "field"), [
    ("2330A", "NM1*IL", "NM103", "X" * 61, "9", "other_insurance.insured"),
    ("2330A", "NM1*IL", "NM109", "Y" * 81, "9a", "other_insurance.policy_or_group"),
    ("2320", "SBR", "SBR03", "G" * 51, "9a", "other_insurance.policy_or_group"),
    ("2320", "SBR", "SBR09", "Q9", "9d", "other_insurance.plan_name"),
    ("2330B", "NM1*PR", "NM109", "P" * 81, "9d", "other_insurance.plan_name"),
    ("2320", "AMT*D", "AMT02", "10O.00", "29", "amount_paid"),
])  # fmt: skip
def test_a_999_error_in_the_other_insurance_traces_to_its_item(
    loop: str, segment: str, element: str, value: str, item: str, field: str
):
    claim, text = secondary_837p()
    target = next(
        r for r in x837p.outline(text) if r.loop == loop and r.segment.startswith(segment)
    )
    bad = core.set_element(text, target.position, element, value)
    traced = x837p.trace(x837p.validate_837p(bad), bad, [claim])
    assert traced, (loop, element)
    assert all((t.loop, t.claim_index) == (loop, 0) for t in traced)
    assert (item, field) in {(t.item, t.field) for t in traced}
    assert f"item {item} " in " ".join(str(t) for t in traced)


@pytest.mark.parametrize(("loop", "segment", "element", "value"), [
    ("2320", "CAS", "CAS03", "6T.00"),  # the other payer's claim adjustment
    ("2430", "SVD", "SVD02", "8O.00"),  # its line payment
    ("2430", "CAS", "CAS03", "1X"),
])  # fmt: skip
def test_a_999_error_in_the_other_payers_adjudication_names_the_loop_and_the_eob(
    loop: str, segment: str, element: str, value: str
):
    claim, text = secondary_837p()
    target = next(
        r for r in x837p.outline(text) if r.loop == loop and r.segment.startswith(segment)
    )
    bad = core.set_element(text, target.position, element, value)
    traced = x837p.trace(x837p.validate_837p(bad), bad, [claim])
    assert traced and all(t.loop == loop and t.item is None for t in traced)
    said = str(traced[0])
    assert f"loop {loop} (no CMS-1500 item: the paper claim attaches the other payer's EOB)" in said


# -- an outside 999 traced to the 837P it answers (x12 read --claims) -----------------------
X12_CORPUS = Path(__file__).resolve().parents[1] / "data" / "x12"
COB_837 = (X12_CORPUS / "837P" / "own-cob-bad-amt-for-999.837").read_text(encoding="utf-8")
ACK = (X12_CORPUS / "999" / "own-999-rejects-amt-2320.txt").read_text(encoding="utf-8")


def traced_999(segment: str, element: int) -> dict:
    """The corpus 999 pointed at element ``element`` of the first ``segment`` (``AMT*EAF``)
    of the COB 837P."""
    from medbill_lab.x12.reading import read_file

    rows = x837p.outline(COB_837)
    start = next(r.position for r in rows if r.segment.startswith("ST*"))
    target = next(r for r in rows if r.segment.startswith(segment))
    seg_id, position = segment.split("*")[0], target.position - start + 1
    ack = ACK.replace("IK3*AMT*21*2320*8", f"IK3*{seg_id}*{position}*{target.loop}*8")
    (tx,) = read_file(ack.replace("IK4*2*", f"IK4*{element}*"), COB_837)["transactions"]
    (error,) = tx["sets"][0]["errors"]
    return error


@pytest.mark.parametrize(("segment", "element", "loop", "item"), [
    ("AMT*D", 2, "2320", "29"),
    ("SBR*P", 3, "2320", "9a"),
    ("SBR*P", 9, "2320", "9d"),
    ("NM1*IL*1*DOE*JANE****MI*PRIMBR", 4, "2330A", "9"),
    ("NM1*IL*1*DOE*JANE****MI*PRIMBR", 9, "2330A", "9a"),
    ("NM1*PR*2*SAMPLE PRIMARY", 9, "2330B", "9d"),
    ("SBR*S", 3, "2000B", "11"),  # the claim's own plan, before the CLM: not the other's
    ("NM1*IL*1*DOE*JANE****MI*SECMBR", 9, "2010BA", "1a"),
])  # fmt: skip
def test_an_outside_999_on_the_other_insurance_names_its_item(segment, element, loop, item):
    error = traced_999(segment, element)
    assert (error["traced_loop"], error["item"]) == (loop, item)
    assert "no_item" not in error


@pytest.mark.parametrize("segment", ["AMT*EAF", "CAS*PR*96", "SVD*PRIPAY01", "DTP*573"])
def test_an_outside_999_on_the_other_payers_adjudication_says_there_is_no_item(segment):
    error = traced_999(segment, 2)
    assert error["traced_loop"] in ("2320", "2430") and error["item"] is None
    assert error["no_item"] == "no CMS-1500 item: the paper claim attaches the other payer's EOB"


def test_x12_read_text_names_the_loop_and_the_eob_for_a_2320_amt(tmp_path, capsys):
    from medbill_lab.cli import main

    rows = x837p.outline(COB_837)
    start = next(r.position for r in rows if r.segment.startswith("ST*"))
    eaf = next(r for r in rows if r.segment.startswith("AMT*EAF"))
    ack = tmp_path / "ack.999"
    ack.write_text(ACK.replace("IK3*AMT*21*", f"IK3*AMT*{eaf.position - start + 1}*"))
    claims = tmp_path / "claims.837"
    claims.write_text(COB_837)
    assert main(["x12", "read", str(ack), "--claims", str(claims)]) == 0
    out = capsys.readouterr().out
    assert (
        "claim SMPCOB01 (claim 1 in the 837P), loop 2320 (no CMS-1500 item: the paper claim "
        "attaches the other payer's EOB): AMT*EAF*40.00"
    ) in out
    assert "CMS-1500 item 29" not in out  # AMT*EAF is not item 29's AMT*D
