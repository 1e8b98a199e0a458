"""The 837I writer (005010X223A2): UB-04 claims written as X12 that pyx12's institutional
map accepts, each form locator in its segment, and read back by our own reader to the
same values.  One pyx12 validation for all the clean claims, one for the broken file."""

from __future__ import annotations

import copy
import csv
import dataclasses
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from ub04_claims import HOME, HOSPITAL, inpatient

from medbill_lab.claims import institutional
from medbill_lab.claims.institutional import InstitutionalClaim, from_dict
from medbill_lab.claims.model import ClaimError
from medbill_lab.cli.app import main
from medbill_lab.x12 import core, interpret, reader, x837i

ROOT = Path(__file__).resolve().parents[2]
CLAIMS = ROOT / "datasets" / "claims"
WHEN = dt.datetime(2026, 3, 10, 9, 30)

INPATIENT = inpatient(
    condition_codes=["01", "02"],
    occurrences=[{"code": "11", "date": "2026-02-28"}],
    occurrence_spans=[{"code": "74", "date_from": "2026-03-02", "date_through": "2026-03-02"}],
    value_codes=[{"code": "80", "amount": "3"}, {"code": "A1", "amount": "100.00"}],
    lines=[
        {"revenue_code": "0120", "units": "3", "total_charge": "3600.00"},
        {
            "revenue_code": "0300",
            "hcpcs": "80053",
            "modifiers": ["91"],
            "service_date": "2026-03-02",
            "total_charge": "120.00",
            "non_covered": "20.00",
        },
    ],
    payers=[
        {
            "payer_name": "Medicare Part A",
            "payer_id": "MCRA1",
            "insured_id": "1EG4TE5MK73",
            "filing_indicator": "MA",
            "authorization": "AUTH77",
        },
        {
            "payer_name": "Acme Supplement",
            "payer_id": "ACME1",
            "insured_id": "XYZ123",
            "relationship": "01",
            "insured": {"last": "Doe", "first": "Ann", "dob": "1957-01-01", "sex": "F"},
            "group_number": "GRP1",
        },
    ],
    other_diagnoses=[
        {"code": "N17.9", "poa": "N"},
        {"code": "E87.1", "poa": "U"},
        {"code": "Z79.01", "poa": "1"},
    ],
    other_procedures=[{"code": "0DTJ4ZZ", "date": "2026-03-02"}],
    remarks="Teaching claim",
)

# an outpatient visit of a child insured under a parent's plan: loop 2000C, no PCS
OUTPATIENT = {
    "form": "UB-04",
    "patient_control_number": "OP2026002",
    "type_of_bill": "0131",
    "billing_provider": {
        "name": "Harlow Community Hospital",
        "npi": "1234567893",
        "tax_id": "361234567",
        "address": HOSPITAL,
    },
    "statement_from": "2026-04-07",
    "statement_through": "2026-04-07",
    "patient": {"last": "Roe", "first": "Kim", "dob": "2015-09-09", "sex": "F", "address": HOME},
    "admission_date": "2026-04-07",
    "admission_type": "3",
    "admission_source": "1",
    "discharge_status": "01",
    "lines": [
        {
            "revenue_code": "0450",
            "hcpcs": "99283",
            "modifiers": ["25"],
            "service_date": "2026-04-07",
            "total_charge": "480.00",
        },
        {
            "revenue_code": "0320",
            "hcpcs": "73610",
            "modifiers": ["RT"],
            "service_date": "2026-04-07",
            "units": "1",
            "total_charge": "210.50",
        },
    ],
    "payers": [
        {
            "payer_name": "Acme Health Plan",
            "payer_id": "ACME1",
            "insured_id": "ACM998877",
            "relationship": "19",
            "insured": {
                "last": "Roe",
                "first": "Pat",
                "dob": "1985-02-03",
                "sex": "M",
                "address": HOME,
            },
            "group_number": "G-7731",
            "filing_indicator": "CI",
        }
    ],
    "principal_diagnosis": {"code": "S93.401A"},
    "reason_for_visit": ["M25.571"],
    "external_cause_diagnoses": [{"code": "W01.0XXA"}],
    "attending": {"npi": "1245319599", "last": "Smith", "first": "Ann"},
}


def _sample_claims() -> list[Path]:
    """The sample UB-04 claims their labels call clean (datasets/claims/ub04-*)."""
    labels = CLAIMS / "ub04_labels.csv"
    if not labels.exists():
        return sorted(CLAIMS.glob("ub04-clean-*"))
    with labels.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    name = next(k for k in rows[0] if "file" in k.lower())
    expect = next(
        k for k in rows[0] if k != name and ("edit" in k.lower() or "expect" in k.lower())
    )
    return sorted(
        CLAIMS / r[name] for r in rows if r[expect].strip().lower() in ("", "clean", "none")
    )


SAMPLES = _sample_claims()


def segments_of(text: str) -> list[str]:
    return core.segments(text)


def the(text: str, start: str) -> list[str]:
    """The segments that start with ``start`` (e.g. ``"HI*ABF"``)."""
    return [s for s in segments_of(text) if s.startswith(start)]


@pytest.fixture(scope="module")
def claims() -> list[InstitutionalClaim]:
    return [from_dict(INPATIENT), from_dict(OUTPATIENT), *map(institutional.load, SAMPLES)]


@pytest.fixture(scope="module")
def text(claims: list[InstitutionalClaim]) -> str:
    return x837i.to_837i(claims, when=WHEN)


@pytest.fixture(scope="module")
def validation(text: str) -> core.Validation:
    return x837i.validate_837i(text)


@pytest.fixture(scope="module")
def read_back(text: str) -> dict:
    return interpret.interpret(reader.read_interchanges(text))


def one(data: dict, **changes: object) -> str:
    """The 837I of one claim built from ``data`` with top-level ``changes``."""
    return x837i.to_837i([from_dict({**copy.deepcopy(data), **changes})], when=WHEN)


# -- pyx12 ------------------------------------------------------------------------------
def test_the_clean_sample_claims_are_among_them() -> None:
    names = {p.name for p in SAMPLES}
    assert len(names) >= 5 and "ub04-clean-03-er-outpatient.json" in names
    assert all(name.startswith("ub04-clean-") for name in names)


def test_pyx12_accepts_every_clean_claim(validation: core.Validation, text: str) -> None:
    assert validation.errors == []
    assert validation.ok and validation.ack_code == "A"
    assert "AK1*HC*1*005010X223A2" in validation.ack_999  # judged as an 837I, not skipped


def test_pyx12_rejects_a_broken_837i(text: str) -> None:
    """Two damages a biller could make: a POA indicator that is no POA code (HI01-09 of
    the principal diagnosis) and a statement period written as one date (DTP*434 takes
    RD8 only); pyx12 names both elements."""
    position = {s: n for n, s in enumerate(segments_of(text), start=1)}
    principal = position[the(text, "HI*ABK")[0]]
    period = position[the(text, "DTP*434")[0]]
    broken = core.set_element(text, principal, "HI01-09", "X")
    broken = core.set_element(broken, period, "DTP02", "D8")
    found = x837i.validate_837i(broken)
    assert not found.ok
    assert found.ack_code in ("R", "E", "P")
    named = {(e.position, e.element) for e in found.errors}
    assert (principal, "HI01-09") in named
    assert period in {p for p, _ in named}
    said = x837i.explain(found, segments_of(broken))
    assert any(line.startswith(f"segment {principal} HI01-09 (FL 67): ") for line in said)
    assert any(line.startswith(f"segment {period} ") and "(FL 6)" in line for line in said)


@pytest.mark.parametrize(
    ("segment", "element", "locator"),
    [
        ("CLM*IP1*3600***11:A:1**A*Y*Y", "CLM05-01", "4"),
        ("CLM*IP1*3600***11:A:1**A*Y*Y", "CLM01", "3a"),
        ("DTP*435*DT*202603011400", "DTP03", "12-13"),
        ("HI*ABF:N179:::::::N*ABF:E871", "HI02-02", "67A-Q"),
        ("HI*BE:80:::3", "HI01-05", "39-41"),
        ("NM1*72*1*JONES*****XX*1679576722", "NM109", "77"),
        ("NM1*85*2*HARLOW*****XX*1234567893", "NM109", "56"),
        ("SV2*0300*HC:80053*120*UN*1**20", "SV207", "48"),
        ("LX*1", "LX01", ""),
    ],
)
def test_an_element_traces_to_its_form_locator(segment: str, element: str, locator: str) -> None:
    assert x837i.locator_of(segment, element) == locator


# -- our reader reads it back ------------------------------------------------------------
def test_reader_reads_every_claim_back(read_back: dict, claims: list[InstitutionalClaim]) -> None:
    assert read_back["diagnostics"] == []
    (transaction,) = read_back["transactions"]
    assert transaction["type"] == "837I" and transaction["version"] == "005010X223A2"
    assert len(transaction["claims"]) == len(claims)
    for got, claim in zip(transaction["claims"], claims, strict=True):
        payer = claim.payers[0]
        assert got["patient_control_number"] == claim.patient_control_number
        assert Decimal(got["charge"]) == claim.line_total()
        assert got["subscriber"]["member_id"] == payer.insured_id
        assert got["payer"]["id"] == payer.payer_id
        assert got["statement_from"] == claim.statement_from.isoformat()
        assert got["statement_to"] == claim.statement_through.isoformat()
        # HI order: principal, admitting, reason for visit, external cause, others
        expected = [claim.principal_diagnosis.code]
        expected += [claim.admitting_diagnosis] if claim.admitting_diagnosis else []
        expected += claim.reason_for_visit
        expected += [d.code for d in claim.external_cause_diagnoses + claim.other_diagnoses]
        assert got["diagnoses"] == expected
        for line, model in zip(got["lines"], claim.lines, strict=True):
            assert line["revenue_code"] == model.revenue_code
            assert line["code"] == model.hcpcs
            assert line["modifiers"] == model.modifiers
            assert Decimal(line["charge"]) == model.total_charge
            assert Decimal(line["units"]) == model.units
            day = model.service_date.isoformat() if model.service_date else ""
            assert (line["date_from"], line["date_to"]) == (day, day)


def test_other_payer_is_read_as_cob(read_back: dict) -> None:
    first = read_back["transactions"][0]["claims"][0]
    assert first["other_payers"] == [
        {
            "sequence": "S",
            "member_id": "XYZ123",
            "payer_id": "ACME1",
            "payer_name": "ACME SUPPLEMENT",
            "paid": "",
        }
    ]


# -- each form locator in its segment ----------------------------------------------------
@pytest.mark.parametrize(
    ("bill", "clm05"),
    [("0111", "11:A:1"), ("0131", "13:A:1"), ("0117", "11:A:7"), ("0851", "85:A:1")],
)
def test_clm05_is_the_type_of_bill(bill: str, clm05: str) -> None:
    payers = copy.deepcopy(INPATIENT["payers"])
    payers[0]["document_control_number"] = "ORIG123"  # a replacement (7) names its original
    procedures = {"principal_procedure": None, "other_procedures": []}  # outpatient: no PCS
    text = one(INPATIENT, type_of_bill=bill, payers=payers, **procedures)
    (clm,) = the(text, "CLM*")
    assert clm.split("*")[5] == clm05
    assert ("REF*F8*ORIG123" in segments_of(text)) == bill.endswith("7")


def test_claim_dates_and_cl1(text: str) -> None:
    first = segments_of(text)[segments_of(text).index(the(text, "CLM*IP2026001")[0]) :]
    assert first[1:5] == [
        "DTP*096*TM*1100",  # FL 16
        "DTP*434*RD8*20260301-20260304",  # FL 6
        "DTP*435*DT*202603011400",  # FL 12 + 13
        "CL1*1*1*01",  # FL 14, 15, 17
    ]


def test_admission_without_hour_is_a_d8_date() -> None:
    text = one(INPATIENT, admission_hour="", discharge_hour="")
    assert the(text, "DTP*435") == ["DTP*435*D8*20260301"]
    assert the(text, "DTP*096") == []


def test_hi_segments_in_the_guides_order_with_poa(text: str) -> None:
    his = [s for s in segments_of(text) if s.startswith("HI*")][:10]
    assert his == [
        "HI*ABK:J189:::::::Y",  # FL 67, POA in component 9
        "HI*ABJ:R059",  # FL 69: no POA
        "HI*ABN:W19XXXA:::::::Y",  # FL 72
        "HI*ABF:N179:::::::N*ABF:E871:::::::U*ABF:Z7901",  # 67A-C; POA 1 (exempt) is blank
        "HI*BBR:0FT44ZZ:D8:20260302",  # FL 74
        "HI*BBQ:0DTJ4ZZ:D8:20260302",  # FL 74a
        "HI*BI:74:RD8:20260302-20260302",  # FL 35
        "HI*BH:11:D8:20260228",  # FL 31
        "HI*BE:80:::3*BE:A1:::100",  # FL 39-41: amount in component 5
        "HI*BG:01*BG:02",  # FL 18-28
    ]


def test_outpatient_reason_for_visit_and_patient_loop(text: str) -> None:
    assert "HI*APR:M25571" in segments_of(text)
    assert "PAT*19" in segments_of(text)  # FL 59: child of the insured
    start = segments_of(text).index("PAT*19")
    assert segments_of(text)[start + 1] == "NM1*QC*1*ROE*KIM"


def test_more_than_twelve_other_diagnoses_take_a_second_hi() -> None:
    codes = ["E11.9", "I10", "E78.5", "Z79.4", "K21.9", "J45.909", "F32.A", "G47.33"]
    codes += ["M19.90", "N39.0", "R51.9", "D64.9", "E66.9", "Z87.891"]
    others = [{"code": c, "poa": "Y"} for c in codes]
    text = one(INPATIENT, other_diagnoses=others)
    his = the(text, "HI*ABF")
    assert [s.count("ABF:") for s in his] == [12, 2]


def test_physicians_and_revenue_lines(text: str) -> None:
    segs = segments_of(text)
    assert "NM1*71*1*SMITH*ANN****XX*1245319599" in segs  # FL 76 attending
    assert "NM1*72*1*JONES*LEE****XX*1679576722" in segs  # FL 77 operating
    assert "SV2*0120**3600*DA*3" in segs  # room and board: days, no HCPCS
    assert "SV2*0300*HC:80053:91*120*UN*1**20" in segs  # FL 48 non-covered in SV207
    assert "SV2*0450*HC:99283:25*480*UN*1" in segs
    after = segs[segs.index("SV2*0300*HC:80053:91*120*UN*1**20") + 1]
    assert after == "DTP*472*D8*20260302"  # FL 45


def test_references_and_remarks(text: str) -> None:
    segs = segments_of(text)
    assert "REF*G1*AUTH77" in segs  # FL 63
    assert "REF*EA*MR555" in segs  # FL 3b
    assert "NTE*ADD*TEACHING CLAIM" in segs  # FL 80
    assert "PRV*BI*PXC*282N00000X" in segs  # FL 81 B3 taxonomy


def test_same_input_same_text(claims: list[InstitutionalClaim], text: str) -> None:
    assert x837i.to_837i(claims, when=WHEN) == text


# -- what cannot be written is refused, naming the form locator ---------------------------
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"principal_diagnosis": {"code": "J18.9", "poa": "X"}}, "FL 67: present-on-admission"),
        ({"discharge_status": ""}, "FL 17: patient discharge status"),
        ({"admission_hour": "7"}, "FL 13: admission hour"),
        ({"type_of_bill": "0117"}, "FL 64A: document control number is required"),
        ({"admission_date": None}, "FL 12: the admission date is required on an inpatient"),
        ({"total_charge": "3600.00"}, "FL 47: the 0001 total 3600.00 is not the sum"),
        (
            {"other_diagnoses": [{"code": "N17.9", "poa": "Y"}, {"code": "E87.1", "poa": "Q"}]},
            "FL 67B: present-on-admission indicator 'Q'",
        ),
        ({"type_of_bill": "0131"}, "FL 74: ICD-10-PCS procedures go on inpatient claims only"),
    ],
)
def test_a_claim_that_cannot_be_written_names_its_locator(change: dict, message: str) -> None:
    with pytest.raises(ClaimError, match=message):
        one(INPATIENT, **change)


def test_facility_zip_needs_nine_digits() -> None:
    provider = {**INPATIENT["billing_provider"], "address": HOME}
    with pytest.raises(ClaimError, match=r"FL 1: the facility's ZIP code '61001' needs its \+4"):
        one(INPATIENT, billing_provider=provider)


def test_a_model_value_the_loader_never_gives_is_refused_too() -> None:
    claim = dataclasses.replace(from_dict(INPATIENT), type_of_bill="111")
    with pytest.raises(ClaimError, match="FL 4: type of bill '111'"):
        x837i.to_837i([claim], when=WHEN)


# -- the command line --------------------------------------------------------------------
def test_cli_writes_an_837i_for_ub04_files(tmp_path: Path, capsys) -> None:
    source = tmp_path / "ip.json"
    source.write_text(json.dumps(INPATIENT))
    out = tmp_path / "claim.837i"
    assert main(["claim", "x12", str(source), "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"wrote {out}: 837I (005010X223A2): 1 claim(s)")
    assert "GS*HC*MEDBILLLAB*CLEARINGHOUSE" in out.read_text()
    assert "*005010X223A2~" in out.read_text()
    assert main(["claim", "validate", str(out)]) == 0  # an 837I is a claim file too
    assert capsys.readouterr().out == f"valid: {out}: pyx12 accepts it (999 A)\n"


def test_cli_refuses_a_mix_of_ub04_and_cms1500(tmp_path: Path, capsys) -> None:
    source = tmp_path / "ip.json"
    source.write_text(json.dumps(INPATIENT))
    out = tmp_path / "mixed.x12"
    cms = CLAIMS / "clean-01-htn-hld-followup.json"
    assert main(["claim", "x12", str(source), str(cms), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "an 837 holds one kind" in err
    assert not out.exists()
