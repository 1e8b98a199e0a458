"""The table-driven PCS builder (codes/pcs_builder.py) offers exactly what the FY2026 tables allow."""

from __future__ import annotations

import pytest

from medbill_lab.codes import icd10pcs, pcs_builder
from medbill_lab.codes.icd10pcs import PcsCodeError


def values(prefix: str) -> list[str]:
    return [c.value for c in pcs_builder.choices(prefix)]


def test_the_first_axes_come_from_the_tables_with_their_labels():
    sections = {c.value: c.label for c in pcs_builder.choices("")}
    assert sections["0"] == "Medical and Surgical" and sections["1"] == "Obstetrics"
    assert "I" not in sections and "O" not in sections  # PCS never uses I or O
    systems = {c.value: c.label for c in pcs_builder.choices("0")}
    assert systems["F"] == "Hepatobiliary System and Pancreas" and "A" not in systems
    assert values("1") == ["0"] and "D" in values("10")  # pregnancy; extraction


def test_root_operations_and_approaches_carry_their_definitions():
    ops = {c.label: c for c in pcs_builder.choices("0F")}
    assert ops["Resection"].value == "T"
    assert ops["Resection"].definition.startswith("Cutting out or off, without replacement, all")
    assert ops["Excision"].definition.startswith("Cutting out or off, without replacement, a por")
    approach = {c.value: c for c in pcs_builder.choices("0FT4")}
    assert approach["4"].label == "Percutaneous Endoscopic"
    assert approach["4"].definition.startswith("Entry, by puncture or minor incision")
    assert all(c.definition == "" for c in pcs_builder.choices("0FT"))  # body parts have none


def test_rows_matter_not_only_the_table():
    # 0DT: body part J (appendix) allows approaches 0, 4, 7, 8 but not 3 (percutaneous)
    assert values("0DTJ") == ["0", "4", "7", "8"]
    # 0SR: a synthetic (J) hip allows qualifiers 9/A/Z, a metal-on-poly knee (C, 7) D/E/Z,
    # and the same device 7 in a hip (9) only Z: each row reads on its own
    assert values("0SR90J") == ["9", "A", "Z"]
    assert values("0SRC07") == ["D", "E", "Z"]
    assert values("0SR907") == ["Z"]
    assert "2" in values("0SR90") and "2" not in values("0SRC0")


@pytest.mark.parametrize(
    ("prefix", "says"),
    [
        ("0DTJ3", "approach 3 is not allowed with body part J in table 0DT"),
        ("0FT44X", "device X is not allowed with body part 4 and approach 4 in table 0FT"),
        ("0SRC07C", "qualifier C is not allowed with body part C, approach 0 and device 7"),
        ("0FTZ", "body part Z is not in table 0FT"),
        ("0XZ", "no table 0XZ"),
        ("0A", "no body system A in section 0"),
        ("I", "no section I"),
        ("0FT44ZZZ", "a code has 7 characters"),
    ],
)
def test_a_value_not_offered_is_refused_with_the_axis_named(prefix, says):
    with pytest.raises(PcsCodeError, match=says):
        pcs_builder.choices(prefix)
    with pytest.raises(PcsCodeError):
        pcs_builder.complete(prefix)


def test_complete_gives_the_code_and_title_only_at_seven_characters():
    assert pcs_builder.complete("0FT44Z") is None
    code = pcs_builder.complete("0ft4 4zz")
    assert code.code == "0FT44ZZ"
    assert code.title == "Resection of Gallbladder, Percutaneous Endoscopic Approach"
    assert code.axes[2].definition.startswith("Cutting out or off")
    assert pcs_builder.choices("0FT44ZZ") == []


def test_axis_names_follow_the_chosen_table():
    assert pcs_builder.axis_name("") == "Section"
    assert pcs_builder.axis_name("0") == "Body System"
    assert pcs_builder.axis_name("0F") == "Operation"
    assert pcs_builder.axis_name("0FT44") == "Device"
    assert pcs_builder.axis_name("B") == "Body System"
    assert pcs_builder.axis_name("BF1") == "Body Part"
    assert pcs_builder.axis_name("BF10") == "Contrast"  # imaging's 5th axis is no approach
    assert pcs_builder.axis_name("0FT44ZZ") == ""


def _walk(prefix: str) -> list[str]:
    if len(prefix) == 7:
        return [prefix]
    return [code for c in pcs_builder.choices(prefix) for code in _walk(prefix + c.value)]


# tables from many sections: surgery, obstetrics, placement, administration, imaging,
# osteopathic, new technology, and the row-rich joint replacement tables
SAMPLE = ("0DT", "0FT", "0SR", "0RG", "027", "10D", "2W0", "302", "3E1", "BF1", "7W0", "XW0", "GZ1")


def test_every_path_the_builder_offers_ends_in_a_valid_code_and_reaches_them_all():
    everything = list(icd10pcs.codes())
    for table in SAMPLE:
        built = _walk(table)
        assert len(built) == len(set(built)), table
        assert set(built) == {c for c in everything if c.startswith(table)}, table
        assert all(icd10pcs.validate(c).valid for c in built), table


def test_the_builder_reaches_exactly_the_79115_codes_of_fy2026():
    assert pcs_builder.count() == 79_115 == icd10pcs.load().counts()["codes"]
    assert pcs_builder.count("0FT4") == len([c for c in _walk("0FT4")])
    assert pcs_builder.count("0FT44ZZ") == 1
