"""The synthetic practice generator: seeded and deterministic, every visit valid for its
date and its patient, and payers, policies and rules as the teaching payers' table says."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlalchemy import select

from medbill_lab.claims.model import age_on
from medbill_lab.codes import icd10cm
from medbill_lab.payer.payers import teaching_payers
from medbill_lab.practice import db as practice_db
from medbill_lab.practice import synthetic
from medbill_lab.practice.db import Base, Encounter, Patient, Payer

pytestmark = pytest.mark.practice_db


def _new(path, seed: int, year: int = 2026, through: dt.date | None = None, patients: int = 15):
    """A generated practice in a new database at ``path`` (PostgreSQL on that test pass)."""
    engine = practice_db.init_db(path)
    factory = practice_db.sessionmaker(engine, expire_on_commit=False)
    with factory() as session:
        synthetic.generate_practice(
            session, seed=seed, patients=patients, year=year, through=through
        )
    return engine, factory


def _rows(engine, table: str) -> list[tuple]:
    t = Base.metadata.tables[table]
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(t.select().order_by(*t.primary_key.columns))]


@pytest.fixture(scope="module")
def fy2026(tmp_path_factory):
    return _new(tmp_path_factory.mktemp("fy2026") / "p.sqlite", seed=3, patients=40)


def test_a_seed_gives_the_same_rows_and_another_seed_other_rows(tmp_path) -> None:
    (a, _), (b, _), (c, _) = (
        _new(tmp_path / f"{n}.sqlite", seed) for n, seed in enumerate((5, 5, 6))
    )
    for table in ("patients", "insurance_policies", "encounters", "charges"):
        assert _rows(a, table) == _rows(b, table), table
    assert _rows(a, "patients") != _rows(c, "patients")


def _visits(factory, through: dt.date | None = None) -> list[tuple]:
    with factory() as session:
        return [
            (
                e.patient_id,
                e.provider_id,
                e.date_of_service,
                e.diagnosis_codes,
                [(c.code, c.modifier_list, c.units, c.amount) for c in e.charges],
            )
            for e in session.scalars(select(Encounter).order_by(Encounter.id))
            if through is None or e.date_of_service <= through
        ]


def test_through_gives_no_visit_after_it_and_the_same_patients(tmp_path) -> None:
    # What is promised: the same seed and ``through`` give the same rows, no visit falls
    # after ``through``, and the patients are those of the whole year.  The visits before
    # ``through`` are not those of the whole year: a skipped visit is not drawn, so later
    # draws shift (the demo practice's rows depend on this; kept as it is).
    day = dt.date(2026, 3, 31)
    whole_engine, whole = _new(tmp_path / "whole.sqlite", 8)
    part_engine, part = _new(tmp_path / "part.sqlite", 8, through=day)
    _, again = _new(tmp_path / "again.sqlite", 8, through=day)
    kept = _visits(part)
    assert kept and all(v[2] <= day for v in kept)
    assert len(kept) < len(_visits(whole))
    assert kept == _visits(again)
    assert _rows(whole_engine, "patients") == _rows(part_engine, "patients")


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_encounter_is_valid_for_its_date_and_fits_its_patient(tmp_path, year: int) -> None:
    _, factory = _new(tmp_path / "p.sqlite", seed=11, year=year, patients=25)
    first, last = synthetic.fiscal_year_days(year)
    fees = practice_db.practice_fees()
    with factory() as session:
        encounters = session.scalars(select(Encounter)).all()
        assert len(encounters) >= 25
        for enc in encounters:
            day, patient = enc.date_of_service, enc.patient
            assert first <= day <= last and day.weekday() < 5
            for code in enc.diagnosis_codes:
                assert icd10cm.validate(code, day).valid, (code, day)
            kinds = [v for v in synthetic.VISITS if set(v.diagnoses) <= set(enc.diagnosis_codes)]
            age = age_on(patient.dob, day)
            fits = [
                v for v in kinds if v.min_age <= age <= v.max_age and v.sex in ("", patient.sex)
            ]
            assert fits, (enc.diagnosis_codes, age, patient.sex)
            em, *others = enc.charges
            assert em.code in synthetic.NEW_PATIENT_EM + synthetic.ESTABLISHED_EM
            assert em.modifier_list in ([], ["25"]) and (not em.modifier_list or others)
            assert all(c.code in fees for c in enc.charges)
            medicare = bool(patient.policies) and patient.policies[0].payer.program == "medicare"
            codes = {c.code for c in enc.charges}
            assert ("90471" not in codes) if medicare else ("G0008" not in codes)


def test_payer_rows_are_the_teaching_payers_table(fy2026) -> None:
    _, factory = fy2026
    fees = practice_db.practice_fees()
    with factory() as session:
        rows = session.scalars(select(Payer).order_by(Payer.id)).all()
        assert [p.payer_id for p in rows] == [t.payer_id for t in teaching_payers()]
        for row, plan in zip(rows, teaching_payers(), strict=True):
            assert (row.name, row.program, row.filing_indicator, row.timely_filing_days) == (
                plan.name,
                plan.program,
                plan.filing_indicator,
                plan.timely_filing_days,
            )
            rules = {(r.kind, r.code): r.amount for r in row.rules}
            assert rules[("copay", None)] == plan.copay
            assert rules[("deductible", None)] == plan.deductible
            assert rules[("coinsurance_pct", None)] == plan.coinsurance_pct
            assert {c for k, c in rules if k == "non_covered"} == set(plan.non_covered)
            assert {c for k, c in rules if k == "prior_auth"} == set(plan.prior_auth)
            for fee in row.fees:
                want = (fees[fee.code] * plan.fee_percent / 100).quantize(
                    Decimal("0.01"), ROUND_HALF_UP
                )
                assert fee.allowed == want, (row.payer_id, fee.code)


def test_policies_are_consistent_with_their_payers_and_patients(fy2026) -> None:
    _, factory = fy2026
    start = synthetic.fiscal_year_days(2026)[0]
    with factory() as session:
        patients = session.scalars(select(Patient)).all()
        assert any(len(p.policies) > 1 for p in patients) and any(not p.policies for p in patients)
        for p in patients:
            policies = sorted(p.policies, key=lambda x: x.priority)
            assert [x.priority for x in policies] == list(range(1, len(policies) + 1))
            assert len({x.payer_id for x in policies}) == len(policies)  # no payer twice
            for pol in policies:
                assert pol.plan_name == pol.payer.name[:60] and pol.effective_date <= start
                if pol.payer.program == "medicare":
                    assert pol.priority == 1 and age_on(p.dob, start) >= 65
                    assert len(pol.member_id) == 11  # the MBI's shape
                if pol.payer.program != "group":
                    assert pol.group_number == "" and pol.relationship_to_insured == "self"
                if pol.relationship_to_insured == "child":  # a parent's group plan
                    assert p.guarantor_relationship == "child"
                    assert (pol.subscriber_last, pol.subscriber_first) == (
                        p.guarantor.last,
                        p.guarantor.first,
                    )
            if any(x.payer.program == "medicaid" for x in policies[1:]):
                assert policies[0].payer.program == "medicare"  # Medicaid pays last


def test_bad_arguments_are_refused_before_anything_is_written(tmp_path) -> None:
    engine = practice_db.init_db(tmp_path / "empty.sqlite")
    with practice_db.sessionmaker(engine)() as session:
        with pytest.raises(ValueError, match="patients must be 0 or more"):
            synthetic.generate_practice(session, patients=-1)
        with pytest.raises(ValueError, match="no ICD-10-CM code set"):
            synthetic.generate_practice(session, year=2019)
        assert synthetic.counts(session)["payers"] == 0
