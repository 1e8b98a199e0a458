"""The Encoder app's PCS builder tab and PCS search, driven through their widgets."""

from __future__ import annotations

import pytest
from traitlets import TraitError

from medbill_lab.apps import encoder as app
from medbill_lab.codes import pcs_builder
from medbill_lab.codes.icd10pcs import PcsCodeError


def offered(drop) -> list[str]:
    return [value for _, value in drop.options if value is not None]


def test_each_dropdown_offers_only_what_the_tables_allow_after_the_earlier_ones():
    box = app.pcs_builder_box()
    drops = box.drops
    assert drops[0].description == "Section" and all(d.disabled for d in drops[1:])
    assert offered(drops[0]) == [c.value for c in pcs_builder.choices("")]
    for i, ch in enumerate("0DTJ"):
        drops[i].value = ch
        assert offered(drops[i + 1]) == [c.value for c in pcs_builder.choices("0DTJ"[: i + 1])]
    assert drops[4].description == "Approach" and offered(drops[4]) == list("0478")  # not 3
    assert "<code>0DTJ___</code>" in box.code.value


def test_a_complete_code_shows_its_title_and_the_root_operation_definition():
    box = app.pcs_builder_box()
    for i, ch in enumerate("0FT44ZZ"):
        box.drops[i].value = ch
    assert "<code>0FT44ZZ</code> Resection of Gallbladder, Percutaneous Endoscopic Approach" in (
        box.code.value
    )
    assert "<b>Operation Resection:</b> Cutting out or off, without replacement, all" in (
        box.definition.value
    )
    assert "<b>Approach Percutaneous Endoscopic:</b> Entry, by puncture" in box.definition.value


def test_changing_an_earlier_choice_resets_the_later_ones():
    box = app.pcs_builder_box()
    box.set_code("0FT44ZZ")
    box.drops[2].value = "B"  # Excision instead of Resection
    assert [d.value for d in box.drops[3:]] == [None] * 4
    assert all(d.disabled for d in box.drops[4:]) and not box.drops[3].disabled
    assert offered(box.drops[3]) == [c.value for c in pcs_builder.choices("0FB")]
    assert "<code>0FB____</code>" in box.code.value and "Resection" not in box.definition.value
    assert "<b>Operation Excision:</b>" in box.definition.value


def test_a_value_the_row_does_not_allow_cannot_be_set():
    box = app.pcs_builder_box()
    with pytest.raises(PcsCodeError, match="approach 3 is not allowed with body part J"):
        box.set_code("0DTJ3")
    box.set_code("0DTJ")
    with pytest.raises(TraitError):  # the list holds only what the row allows
        box.drops[4].value = "3"
    assert box.drops[4].value is None


def test_the_encoder_app_has_the_builder_beside_the_search_and_searches_pcs():
    tabs = app.encoder_app()
    titles = [tabs.get_title(i) for i in range(len(tabs.children))]
    assert titles[0] == "Search" and titles[-1] == "PCS builder"
    search = tabs.children[0]
    search.system.value = "icd10pcs"
    search.query.value = "lap chole"
    assert "<code>0FT44ZZ</code>" in search.results.value and ">code</span>" in search.results.value
    assert "Read as: lap -&gt; percutaneous endoscopic" in search.results.value
    assert search.pick.value == "0FT44ZZ" and "Percutaneous Endoscopic" in search.detail.value
    search.query.value = "appendectomy"
    assert ">table</span>" in search.results.value and "choose the approach" in search.detail.value


def test_a_year_without_pcs_says_so_on_the_page():
    search = app.encoder_search_box()
    search.system.value = "icd10pcs"
    search.year.value = 2025
    search.query.value = "lap chole"
    assert "no ICD-10-PCS code set for FY2025" in search.results.value
    assert "Traceback" not in search.results.value and search.pick.options == ()


def test_a_pcs_result_opens_in_the_builder_with_the_open_axes_to_choose():
    tabs = app.encoder_app()
    search, builder = tabs.children[0], tabs.children[-1]
    assert search.open_in_builder.disabled  # ICD-10-CM search: nothing to build
    search.system.value = "icd10pcs"
    search.query.value = "appendectomy"
    assert search.pick.value == "0DTJ" and not search.open_in_builder.disabled
    search.open_in_builder.click()
    assert tabs.selected_index == len(tabs.children) - 1
    assert [d.value for d in builder.drops[:4]] == list("0DTJ")
    assert offered(builder.drops[4]) == list("0478") and builder.drops[4].value is None
    search.system.value = "icd10cm"
    assert search.open_in_builder.disabled
