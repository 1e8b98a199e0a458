"""Review of the UB-04 teaching tables and the type-of-bill edit against CMS and NUBC facts
as the MACs publish them: a correct claim must not be returned for a code in current use,
and a table must not teach a wrong meaning."""

from __future__ import annotations

import pytest

from medbill_lab.claims import institutional as ub04
from medbill_lab.claims import ub04_checks as checks


def _tob_edits(bill: str) -> list[str]:
    claim = ub04.from_dict({**ub04._example_data(), "type_of_bill": bill})
    return [e.message for e in checks.check(claim) if e.id == "TOB-INVALID"]


@pytest.mark.parametrize("bill", ["081D", "082D", "081E", "082E", "011Q", "013Q", "021Q"])
def test_hospice_notices_and_reopenings_are_frequencies_in_use(bill):
    # 8XD notice of cancelation and 8XE change of ownership (hospice, CMS Pub. 100-04 ch. 11
    # §20.1.4-20.1.5); XXQ the reopening past the filing limit (CR 8581, from 2016-01-01)
    assert _tob_edits(bill) == []


@pytest.mark.parametrize("bill", ["011D", "013E", "071D", "011X"])
def test_a_hospice_notice_on_another_facility_or_an_unknown_frequency_is_named(bill):
    (message,) = _tob_edits(bill)
    assert f"digit 4 (frequency) {bill[3]}" in message


def test_jail_is_discharge_status_21_not_01():
    # NUBC via the MACs: 01 takes home, group home, foster care and other residential care;
    # 21 takes transfers to jail, prison or other detention facilities
    statuses = checks.table("discharge_status")
    assert "jail" not in statuses["01"]["meaning"].split(";")[0]
    assert "jail" in statuses["21"]["meaning"] and "prison" in statuses["21"]["meaning"]


def test_a_ward_is_five_or_more_beds():
    # semi-private is 2 to 4 beds (012x two, 013x three and four), a ward 5 or more
    # (42 CFR 409.22(a))
    assert "five or more beds" in checks.table("revenue_codes")["0150"]["meaning"]


def test_newborn_admission_type_covers_births_inside_and_outside_the_hospital():
    meaning = checks.table("admission_type")["4"]["meaning"]
    assert "born in this facility" not in meaning
    origins = checks.table("point_of_origin")
    for origin in ("5", "6"):
        assert origins[f"{origin}:newborn"]["meaning"].split(": ")[1] in meaning


def _ids(bill: str, pdx: str) -> set[str]:
    data = {
        **ub04._example_data(),
        "type_of_bill": bill,
        "principal_diagnosis": {"code": pdx, "poa": "Y"},
    }
    return {e.id for e in checks.check(ub04.from_dict(data))}


@pytest.mark.parametrize("bill", ["0211", "0181", "0121"])
def test_the_mce_does_not_judge_bills_ms_drg_does_not_pay(bill):
    # essential hypertension is a fine principal diagnosis for a skilled nursing stay (SNF
    # PPS) or a Part B inpatient bill (the outpatient code editor); only the MCE, which
    # edits inpatient Part A hospital bills before MS-DRG grouping, questions it
    assert "ADMIT-QUESTIONABLE" not in _ids(bill, "I10")


@pytest.mark.parametrize(
    ("bill", "pdx", "edit"),
    [("0111", "I10", "ADMIT-QUESTIONABLE"), ("0111", "W19.XXXA", "PDX-ECODE")],
)
def test_the_mce_still_edits_inpatient_hospital_bills(bill, pdx, edit):
    assert edit in _ids(bill, pdx)
