"""Encounter -> claim: the ledger's own mapping (practice/billing.py), and the one
conversion per row/value pair (payer, provider, patient, practice, adjustment, remittance)."""

from __future__ import annotations

import ast
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from medbill_lab.payer import remittance as era
from medbill_lab.practice import billing, synthetic
from medbill_lab.practice import db as practice_db
from medbill_lab.practice.db import Encounter, Payer, Practice, Provider

pytestmark = pytest.mark.practice_db
PRACTICE = Path(practice_db.__file__).parent


@pytest.fixture(scope="module")
def factory(tmp_path_factory):
    engine = practice_db.init_db(tmp_path_factory.mktemp("billing") / "practice.sqlite")
    made = practice_db.sessionmaker(engine, expire_on_commit=False)
    with made() as session:
        synthetic.generate_practice(session, seed=2, patients=10)
    return made


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }


@pytest.mark.parametrize("module", ["posting", "cycle", "denials", "billing", "kpis", "statements"])
def test_the_ledger_does_not_import_its_test_data_generator(module: str) -> None:
    imported = _imports(PRACTICE / f"{module}.py")
    assert "medbill_lab.practice.synthetic" not in imported
    assert not any(
        "synthetic" in line
        for line in (PRACTICE / f"{module}.py").read_text().splitlines()
        if line.startswith(("from ", "import "))
    )


def test_the_generator_does_not_build_claims() -> None:
    assert "medbill_lab.practice.billing" not in _imports(PRACTICE / "synthetic.py")
    assert not hasattr(synthetic, "build_claim")


def test_rows_become_claim_values_field_by_field(factory) -> None:
    with factory() as session:
        payer = session.scalars(select(Payer).order_by(Payer.id)).first()
        value = billing.claim_payer(payer)
        assert (value.name, value.payer_id, value.filing_indicator) == (
            payer.name,
            payer.payer_id,
            payer.filing_indicator,
        )
        assert value.address.city == payer.city and value.address.zip == payer.zip
        provider = session.scalars(select(Provider)).first()
        assert billing.claim_provider(provider) == billing.claim_provider(provider)
        assert billing.claim_provider(provider).npi == provider.npi
        named = billing.claim_provider(provider)
        assert (named.last, named.first) == (provider.last, provider.first)
        practice = session.scalars(select(Practice)).one()
        org = billing.billing_provider(practice)
        assert (org.name, org.npi, org.taxonomy) == (practice.name, practice.npi, practice.taxonomy)


def test_build_claim_uses_the_conversions(factory) -> None:
    with factory() as session:
        insured = [e for e in session.scalars(select(Encounter)) if e.patient.policies]
        enc = insured[0]
        claim = billing.build_claim(session, enc.id, submitted_on=dt.date(2026, 10, 1))
        assert claim.patient == billing.claim_person(enc.patient)
        assert claim.rendering_provider == billing.claim_provider(enc.provider)
        assert claim.billing_provider == billing.billing_provider(billing.first_practice(session))
        assert claim.payer == billing.claim_payer(enc.patient.policies[0].payer)
        with pytest.raises(ValueError, match="no policy at priority 3"):
            billing.build_claim(session, enc.id, priority=3)


def test_an_adjustment_row_and_its_cas_triple_convert_both_ways() -> None:
    cas = era.Adjustment("CO", "45", Decimal("25.00"))
    row = practice_db.Adjustment(
        **practice_db.adjustment_columns(cas), posted_on=dt.date(2026, 5, 1)
    )
    assert practice_db.adjustment_value(row) == cas
    remit = era.Remittance("TRN9", "Payer", "MBL01", "Practice", "1234567893", Decimal("80.00"))
    payer = Payer(id=7, name="P", payer_id="MBL01")
    columns = practice_db.remittance_columns(remit, payer, dt.date(2026, 5, 2))
    assert columns == {
        "payer_id": 7,
        "trace_number": "TRN9",
        "paid_on": dt.date(2026, 5, 2),
        "total_paid": Decimal("80.00"),
    }
