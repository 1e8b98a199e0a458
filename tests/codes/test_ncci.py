"""NCCI in one place: the PTP and MUE tables and the age/sex rules are read once and shared
by the scrubber, the teaching payer and the fraud lab; the bypass modifiers are the NCCI
Policy Manual's list (ch. I, section E)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from medbill_lab.claims import model as claim_files
from medbill_lab.claims import scrubber
from medbill_lab.claims.model import Claim, Payer, Person, ServiceLine
from medbill_lab.codes import ncci
from medbill_lab.compliance import fraud_lab
from medbill_lab.payer import simulator

DAY = dt.date(2026, 2, 2)
SAMPLES = Path(__file__).resolve().parents[2] / "datasets" / "claims"
# The NCCI Policy Manual's NCCI-associated modifiers that are not anatomic.
MANUAL_NON_ANATOMIC = ["24", "25", "27", "57", "58", "59", "78", "79", "91", "XE", "XP", "XS", "XU"]
MANUAL_ANATOMIC = ["E1", "E4", "FA", "F1", "F9", "TA", "T1", "T9", "LT", "RT", "LC", "LD", "LM", "RC", "RI"]  # fmt: skip


def therapy_claim(*modifiers: list[str]) -> Claim:
    """97530 then 97140 the same day: an indicator-1 PTP pair in the teaching table."""
    lines = [
        ServiceLine(DAY, code, Decimal("60"), modifiers=list(mods))
        for code, mods in zip(("97530", "97140"), modifiers or ([], []), strict=True)
    ]
    return Claim(
        program="group",
        insured_id="W123456789",
        patient=Person("Roe", "Ann", dob=dt.date(1970, 5, 1), sex="F"),
        payer=Payer("Teaching Health Plan", "MBL01"),
        diagnoses=["M54.50"],
        lines=lines,
    )


@pytest.mark.parametrize("modifier", MANUAL_NON_ANATOMIC)
def test_every_non_anatomic_ncci_associated_modifier_bypasses(modifier: str):
    assert modifier in ncci.BYPASS_MODIFIERS
    assert ncci.bypass_modifier((modifier,), ()) == modifier
    assert (
        ncci.bypass_modifier(("GP", modifier), (modifier,)) == modifier
    )  # on both: still distinct


@pytest.mark.parametrize("modifier", MANUAL_ANATOMIC)
def test_an_anatomic_modifier_bypasses_only_for_another_site(modifier: str):
    assert modifier in ncci.ANATOMIC_MODIFIERS
    assert ncci.bypass_modifier((modifier,), ()) == modifier
    assert ncci.bypass_modifier((modifier,), (modifier,)) == ""


@pytest.mark.parametrize(
    "modifier", ["GP", "26", "TC", "50", "51", "76", "77", "KX", "GA", "X", ""]
)
def test_a_modifier_the_manual_does_not_list_never_bypasses(modifier: str):
    assert ncci.bypass_modifier((modifier,), ()) == ""
    assert modifier not in ncci.BYPASS_MODIFIERS | ncci.ANATOMIC_MODIFIERS


def test_the_distinct_service_family_is_59_and_x_epsu_within_the_one_list():
    assert {"59", "XE", "XS", "XP", "XU"} == ncci.DISTINCT_SERVICE_MODIFIERS
    assert ncci.DISTINCT_SERVICE_MODIFIERS < ncci.BYPASS_MODIFIERS
    assert not ncci.DISTINCT_SERVICE_MODIFIERS & {"25", "91", "RT"}
    assert len(ncci.BYPASS_MODIFIERS) == 13
    assert not ncci.BYPASS_MODIFIERS & ncci.ANATOMIC_MODIFIERS


def test_an_edit_applies_from_its_effective_date_until_its_deletion():
    row = ncci.PtpEdit("a", "b", "1", dt.date(2020, 1, 1), dt.date(2026, 1, 1), "")
    assert row.active_on(dt.date(2020, 1, 1)) and row.active_on(dt.date(2025, 12, 31))
    assert not row.active_on(dt.date(2019, 12, 31)) and not row.active_on(dt.date(2026, 1, 1))
    deleted = ncci.PtpEdit("a", "b", "9", dt.date(2020, 1, 1), None, "")
    assert not deleted.active_on(dt.date(2024, 6, 1))


def test_the_tables_hold_what_their_columns_promise():
    ptp = [r for rows in ncci.ptp_table().values() for r in rows]
    assert ptp and {r.modifier_indicator for r in ptp} <= {"0", "1", "9"}
    assert all((r.column1, r.column2) in ncci.ptp_table() for r in ptp)
    mue = ncci.mue_table()
    assert mue and all(m.mai in (1, 2, 3) and m.mue >= 0 and m.code == c for c, m in mue.items())
    assert [r.category for r in ncci.age_sex_rules_for("O24410")][:1] == ["maternity"]
    assert ncci.age_sex_rules_for("J069") == ()


def test_each_table_is_read_once_for_the_scrubber_the_payer_and_the_fraud_lab(monkeypatch):
    reads: list[str] = []
    real = ncci.read_csv

    def counting(name: str):
        reads.append(name)
        return real(name)

    monkeypatch.setattr(ncci, "read_csv", counting)
    for loader in (ncci.ptp_table, ncci.mue_table, ncci.age_sex_rules, ncci.age_sex_rules_for):
        loader.cache_clear()
    try:
        claim = therapy_claim()
        assert {e.id for e in scrubber.scrub(claim, today=DAY)} >= {"NCCI-PTP"}
        policy = simulator.PayerPolicy(name="Teaching Health Plan", payer_id="MBL01")
        simulator.adjudicate(claim, policy, today=DAY)
        frame, mue = fraud_lab.ptp_table(), fraud_lab.mue_table()
    finally:
        for loader in (ncci.ptp_table, ncci.mue_table, ncci.age_sex_rules, ncci.age_sex_rules_for):
            loader.cache_clear()
    assert sorted(reads) == ["edits/age_sex.csv", "ncci/mue_teaching.csv", "ncci/ptp_teaching.csv"]
    assert len(frame) == sum(len(rows) for rows in ncci.ptp_table().values())
    assert set(mue["code"]) == set(ncci.mue_table())


def test_the_fraud_labs_frames_are_the_one_tables_rows():
    frame = fraud_lab.ptp_table()
    rows = {
        (r.column1, r.column2, int(r.modifier_indicator), r.effective, r.deleted)
        for pair in ncci.ptp_table().values()
        for r in pair
    }
    framed = {
        (
            r.column1,
            r.column2,
            r.modifier_indicator,
            r.effective.date(),
            None if r.deleted is None or r.deleted != r.deleted else r.deleted.date(),
        )
        for r in frame.itertuples()
    }
    assert framed == rows
    mue = fraud_lab.mue_table().set_index("code")
    assert {c: (int(mue.at[c, "mue"]), int(mue.at[c, "mai"])) for c in mue.index} == {
        c: (m.mue, m.mai) for c, m in ncci.mue_table().items()
    }


def _payer_denies_97140(claim: Claim) -> bool:
    policy = simulator.PayerPolicy(name="Teaching Health Plan", payer_id="MBL01")
    remit = simulator.adjudicate(claim, policy, today=DAY)
    return any(a.carc == "97" for a in remit.lines[1].adjustments)


@pytest.mark.parametrize(("mods", "cleared"), [(["XS"], True), (["59"], True), (["GP"], False), ([], False)])  # fmt: skip
def test_the_scrubber_and_the_payer_apply_the_same_bypass_rule(mods: list[str], cleared: bool):
    claim = therapy_claim([], mods)
    fired = any(e.id == "NCCI-PTP" for e in scrubber.scrub(claim, today=DAY))
    assert fired is not cleared
    assert _payer_denies_97140(claim) is not cleared


def test_a_clean_sample_claim_has_no_ptp_edit():
    sample = claim_files.load(SAMPLES / "clean-07-physical-therapy.json")
    assert not [e for e in scrubber.scrub(sample, today=DAY) if e.id == "NCCI-PTP"]
