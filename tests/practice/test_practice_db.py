"""The practice database: migrations, charge entry, the generator, claims, the CLI."""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError

from medbill_lab.claims import model as claims
from medbill_lab.claims import scrubber
from medbill_lab.codes import icd10cm
from medbill_lab.practice import billing
from medbill_lab.practice import db as practice_db
from medbill_lab.practice import synthetic as practice_gen
from medbill_lab.practice.db import (
    AuditLog,
    Base,
    Charge,
    Encounter,
    EncounterDiagnosis,
    Patient,
    Payer,
    Provider,
)
from medbill_lab.x12 import x837p as x12_837p

pytestmark = pytest.mark.practice_db  # run again on PostgreSQL by ./run-tests

DOS = dt.date(2026, 3, 2)


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


@pytest.fixture(scope="module")
def practice(tmp_path_factory):
    """A migrated SQLite file with a generated practice (seed 7, 30 patients)."""
    path = tmp_path_factory.mktemp("practice") / "practice.sqlite"
    engine = practice_db.init_db(path)
    factory = practice_db.sessionmaker(engine)
    with factory() as session:
        practice_gen.generate_practice(session, seed=7, patients=30)
    return engine, factory


@pytest.fixture
def empty(tmp_path):
    """A migrated, empty database with one patient and one provider."""
    engine = practice_db.init_db(tmp_path / "empty.sqlite")
    factory = practice_db.sessionmaker(engine)
    with factory.begin() as session:
        session.add(
            Patient(
                account="T-1",
                last="Testa",
                first="Ione",
                dob=dt.date(1970, 5, 1),
                sex="F",
                street="1 Elm St",
                city="Harlow",
                state="IL",
                zip="62901",
            )
        )
        session.add(Provider(last="Abara", first="Nkem", npi="1234567893"))
    return engine, factory


def _schema(conn) -> dict[str, list[tuple]]:
    """Every table's columns as (name, type, nullable), and its indexes."""
    found = inspect(conn)
    return {
        t: [(c["name"], str(c["type"]), c["nullable"]) for c in found.get_columns(t)]
        + sorted((i["name"], tuple(i["column_names"])) for i in found.get_indexes(t))
        for t in found.get_table_names()
    }


# -- migrations ------------------------------------------------------------------------
def test_migrated_schema_matches_the_orm_and_upgrading_again_is_a_no_op(tmp_path):
    path = tmp_path / "m.sqlite"
    engine = practice_db.init_db(path)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        assert context.get_current_revision() == "0004"
        before = _schema(conn)
    assert set(before) == set(Base.metadata.tables) | {"alembic_version"}
    practice_db.init_db(path)
    with engine.connect() as conn:
        after = _schema(conn)
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").all() == [("0004",)]
    assert after == before


def test_sqlite_enforces_foreign_keys(empty):
    _, factory = empty
    with pytest.raises(IntegrityError), factory.begin() as session:
        session.add(
            Encounter(patient_id=999, provider_id=1, date_of_service=DOS, place_of_service="11")
        )


@pytest.mark.sqlite_only
def test_medbill_practice_url_is_the_default_when_set(monkeypatch, tmp_path):
    monkeypatch.setenv(
        "MEDBILL_PRACTICE_URL", "postgresql+psycopg:///medbill?host=/var/run/postgresql"
    )
    assert practice_db.database_url().get_backend_name() == "postgresql"
    # a path or URL given explicitly still wins
    assert practice_db.database_url(tmp_path / "p.sqlite").database == str(tmp_path / "p.sqlite")


@pytest.mark.sqlite_only
def test_default_path_follows_medbill_lab_home(monkeypatch, tmp_path):
    monkeypatch.setenv("MEDBILL_LAB_HOME", str(tmp_path / "home"))
    url = practice_db.database_url()
    assert url.database == str(tmp_path / "home" / "practice.sqlite")
    assert (tmp_path / "home").is_dir()


def test_urls_are_accepted_and_bad_ones_are_value_errors():
    assert (
        practice_db.database_url("postgresql+psycopg://lab@db/p").get_backend_name() == "postgresql"
    )
    with pytest.raises(ValueError, match="nosuch"):
        practice_db.make_engine("nosuch://x")


# -- charge entry ----------------------------------------------------------------------
def test_enter_superbill_prices_from_the_practice_fee_schedule(empty):
    _, factory = empty
    with factory() as session:
        enc = practice_db.enter_superbill(
            session, 1, 1, DOS, "11", ["I10", "E78.5"],
            [("99214", [], 1), ("36415", [], 1, "B"), ("J1885", ["JZ"], 2, "A")],
            who="tester",
        )  # fmt: skip
        enc_id = enc.id
    with factory() as session:
        enc = session.get(Encounter, enc_id)
        assert enc.diagnosis_codes == ["I10", "E78.5"]
        assert [(c.code, c.amount, c.pointers) for c in enc.charges] == [
            ("99214", Decimal("185.00"), "AB"),
            ("36415", Decimal("15.00"), "B"),
            ("J1885", Decimal("24.00"), "A"),
        ]
        assert enc.charges[2].modifier_list == ["JZ"] and enc.charges[2].units == 2
        log = session.scalars(select(AuditLog)).one()
        assert (log.who, log.action, log.table_name, log.record_id) == (
            "tester",
            "enter_superbill",
            "encounters",
            enc.id,
        )
        assert log.detail == "3 charges, $224.00"


def test_a_missing_fee_names_the_code_and_writes_nothing(empty):
    _, factory = empty
    with factory() as session, pytest.raises(LookupError, match=r"'99999'.*fee schedule"):
        practice_db.enter_superbill(
            session, 1, 1, DOS, "11", ["I10"], [("99213", [], 1), ("99999", [], 1)]
        )
    with factory() as session:
        for model in (Encounter, EncounterDiagnosis, Charge, AuditLog):
            assert _count(session, model) == 0


def test_a_failure_at_the_last_step_rolls_back_everything(empty, monkeypatch):
    _, factory = empty

    def broken_audit(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(practice_db, "audit_many", broken_audit)
    with factory() as session, pytest.raises(RuntimeError):
        practice_db.enter_superbill(session, 1, 1, DOS, "11", ["I10"], [("99213", [], 1)])
    with factory() as session:
        for model in (Encounter, EncounterDiagnosis, Charge, AuditLog):
            assert _count(session, model) == 0


@pytest.mark.parametrize(
    ("diagnoses", "lines", "error", "match"),
    [
        (["E11"], [("99213", [], 1)], ValueError, "'E11' is not billable"),
        (["I10"], [("99213", [], 0)], ValueError, "units must be more than 0"),
        (["I10"], [("99213", [], 1, "B")], ValueError, "name no diagnosis"),
        (["I10"], [], ValueError, "at least one service line"),
    ],
)
def test_bad_superbills_are_refused(empty, diagnoses, lines, error, match):
    _, factory = empty
    with factory() as session, pytest.raises(error, match=match):
        practice_db.enter_superbill(session, 1, 1, DOS, "11", diagnoses, lines)
    with factory() as session:
        assert _count(session, Encounter) == 0


def test_unknown_patient_is_a_lookup_error(empty):
    _, factory = empty
    with factory() as session, pytest.raises(LookupError, match="no patient with id 42"):
        practice_db.enter_superbill(session, 42, 1, DOS, "11", ["I10"], [("99213", [], 1)])


def test_a_bad_superbill_in_a_batch_writes_none_of_the_batch(empty):
    _, factory = empty
    good = practice_db.Superbill(1, 1, DOS, "11", ["I10"], [("99213", [], 1)])
    bad = practice_db.Superbill(1, 99, DOS, "11", ["I10"], [("99213", [], 1)])
    with factory() as session, pytest.raises(LookupError, match="no provider with id 99"):
        practice_db.enter_superbills(session, [good, good, bad])
    with factory() as session:
        for model in (Encounter, EncounterDiagnosis, Charge, AuditLog):
            assert _count(session, model) == 0
    with factory() as session:
        made = practice_db.enter_superbills(session, [good, good], who="batch")
    with factory() as session:
        assert _count(session, Encounter) == 2 and _count(session, AuditLog) == 2
        assert {a.record_id for a in session.scalars(select(AuditLog))} == set(made)


# -- the generator ---------------------------------------------------------------------
def _dump(engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {
            t.name: [tuple(r) for r in conn.execute(t.select().order_by(*t.primary_key.columns))]
            for t in Base.metadata.sorted_tables
        }


def _generate(seed: int) -> dict[str, list[tuple]]:
    engine = practice_db.init_db("sqlite://")
    with practice_db.sessionmaker(engine)() as session:
        practice_gen.generate_practice(session, seed=seed, patients=12)
    return _dump(engine)


def test_the_same_seed_gives_identical_rows():
    first, again, other = _generate(11), _generate(11), _generate(12)
    assert first == again
    assert first["patients"] and first["charges"]
    assert first["patients"] != other["patients"]


def test_generated_practice_is_plausible(practice):
    _, factory = practice
    start, end = practice_gen.fiscal_year_days(2026)
    with factory() as session:
        patients = session.scalars(select(Patient)).all()
        assert len(patients) == 30
        ages = [claims.age_on(p.dob, start) for p in patients]
        assert all(0 <= a <= 100 for a in ages)
        assert any(a < 18 for a in ages) and any(a >= 65 for a in ages)
        programs = {p.policies[0].payer.payer_id if p.policies else "self-pay" for p in patients}
        assert programs == {"MBL01", "MBL02", "MBL03", "MBL04", "self-pay"}
        for p in patients:
            age = claims.age_on(p.dob, start)
            if p.policies and p.policies[0].payer.program == "medicare":
                assert age >= 65
            assert [pol.priority for pol in p.policies] == list(range(1, len(p.policies) + 1))
        assert all(claims.npi_is_valid(pr.npi) for pr in session.scalars(select(Provider)))
        for payer in session.scalars(select(Payer)):
            assert {f.code for f in payer.fees} == set(practice_db.practice_fees())
            assert {r.kind for r in payer.rules} >= {"copay", "deductible", "coinsurance_pct"}
        encounters = session.scalars(select(Encounter)).all()
        assert len(encounters) >= 30
        for enc in encounters:
            assert start <= enc.date_of_service <= end and enc.date_of_service.weekday() < 5
            for code in enc.diagnosis_codes:
                assert icd10cm.validate(code, enc.date_of_service).valid, code
            assert enc.charges[0].code.startswith("992")


def test_generated_encounters_build_clean_valid_837p_claims(practice):
    _, factory = practice
    built = []
    with factory() as session:
        ids = session.scalars(select(Encounter.id).order_by(Encounter.id)).all()
        for enc_id in ids:
            enc = session.get(Encounter, enc_id)
            if not enc.patient.policies:
                with pytest.raises(ValueError, match="no policy"):
                    billing.build_claim(session, enc_id)
                continue
            claim = billing.build_claim(session, enc_id)
            assert claim.line_total() == claim.total_charge
            built.append(claim)
    blocking = [
        (c.patient_account, e.message) for c in built for e in scrubber.scrub(c) if e.blocking
    ]
    assert blocking == []
    sample = built[::4][:12]
    assert any(c.other_insurance for c in built) and any(c.insured for c in built)
    result = x12_837p.validate_837p(x12_837p.to_837p(sample, when=dt.datetime(2026, 10, 1, 9, 0)))
    assert result.ok, result.errors[:3]


def test_build_claim_unknown_encounter(practice):
    _, factory = practice
    with factory() as session, pytest.raises(LookupError, match="no encounter"):
        billing.build_claim(session, 10**6)


def test_generate_refuses_a_database_that_already_has_patients(practice):
    _, factory = practice
    with factory() as session, pytest.raises(ValueError, match="already has patients"):
        practice_gen.generate_practice(session, seed=1, patients=1)


# -- the command line ------------------------------------------------------------------
@pytest.mark.sqlite_only
def test_cli_init_and_generate(run_cli, tmp_path):
    db = tmp_path / "cli" / "practice.sqlite"
    done = run_cli("practice", "init", "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert "ready" in done.stdout
    done = run_cli("practice", "generate", "--db", str(db), "--seed", "5", "--patients", "8")
    assert done.returncode == 0, done.stderr
    assert "patients: 8" in done.stdout and "payers: 4" in done.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from patients").fetchone() == (8,)
        assert conn.execute("select version_num from alembic_version").fetchone() == ("0004",)


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["generate", "--patients", "-3"], "must be 0 or more"),
        (["init", "--db", "nosuch://somewhere"], "cannot use database"),
        (["init", "--db", "{file}/practice.sqlite"], "cannot create the folder"),
        (["init", "--db", "{file}"], "cannot set up the database"),
    ],
)
def test_cli_bad_input_is_one_line(run_cli, tmp_path, args, message):
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("this is not a database\n" * 100)
    args = [a.replace("{file}", str(not_a_db)) for a in args]
    if args[0] == "generate":
        args += ["--db", str(tmp_path / "x.sqlite")]
    done = run_cli("practice", *args)
    assert done.returncode != 0
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr
