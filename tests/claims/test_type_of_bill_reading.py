"""ub04_checks.read_type_of_bill reads FL 4 digit by digit as the type-of-bill edit does:
clinics (7) and special facilities (8) have their own third digits, and the hospice
notices D and E are frequencies of special facilities only (lesson 15 shows it)."""

import pytest

from medbill_lab.claims.ub04_checks import read_type_of_bill


@pytest.mark.parametrize(
    ("bill", "facility", "kind", "frequency"),
    [
        ("0111", "Hospital", "Inpatient", "Admit through discharge"),
        ("0131", "Hospital", "Outpatient", "Admit through discharge"),
        ("0117", "Hospital", "Inpatient", "Replacement of a prior claim"),
        ("0211", "Skilled nursing facility", "Inpatient", "Admit through discharge"),
        ("0721", "Clinic", "Renal dialysis facility", "Admit through discharge"),
        ("0851", "Special facility", "Critical access hospital", "Admit through discharge"),
        ("081D", "Special facility", "Hospice not based in a hospital", "Hospice notice of a void"),
    ],
)
def test_each_digit_is_read_from_the_table(bill, facility, kind, frequency):
    (_, d2, m2), (_, d3, m3), (_, d4, m4) = read_type_of_bill(bill)
    assert (d2, d3, d4) == tuple(bill[1:])
    assert m2.startswith(facility) and m3.startswith(kind) and m4.startswith(frequency)


@pytest.mark.parametrize(("bill", "blank"), [("0911", 0), ("011D", 2), ("011E", 2)])
def test_a_digit_the_table_lacks_has_no_meaning(bill, blank):
    # 9 is no facility type; D and E are hospice notices, not a hospital's frequencies
    assert read_type_of_bill(bill)[blank][2] == ""
