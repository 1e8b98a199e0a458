"""``medbill_lab.x12.interpret``: the transactions of a file read by the tolerant reader,
in the JSON shape of ``medbill-lab x12 read`` (issue P9 item 2), checked on corpus files."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from medbill_lab.x12.interpret import NOT_YET_READ, interpret
from medbill_lab.x12.reader import NotX12, read_interchanges

CORPUS = Path(__file__).resolve().parents[1] / "data" / "x12"


def read(name: str) -> dict:
    return interpret(read_interchanges((CORPUS / name).read_bytes()))


def test_public_835_managed_care_reads_like_the_file() -> None:
    out = read("835/lfh-managed-care.835")
    assert out["interchanges"] == 1
    (tx,) = out["transactions"]
    assert (tx["type"], tx["version"]) == ("835", "005010X221A1")
    assert tx["payment"] == "945.00" and isinstance(tx["payment"], str)
    assert tx["trace_number"] == "7170066655"
    assert tx["payer"]["name"] == "RUSHMORE LIFE"
    assert tx["payee"] == {"name": "ACME MEDICAL CENTER", "id_qualifier": "XX", "id": "5544667733"}
    first, second = tx["claims"]
    assert first["patient_control_number"] == "5554555444"
    assert (first["status"], first["status_text"]) == ("1", "processed as primary")
    assert (first["charge"], first["paid"], first["patient_responsibility"]) == (
        "800.00",
        "450.00",
        "300.00",
    )
    assert first["adjustments"] == [{"group": "CO", "reason": "A2", "amount": "50.00"}]
    assert first["services"][0]["code"] == "99211"
    assert second["patient_control_number"] != first["patient_control_number"]
    assert out["diagnostics"] == []


def test_own_835_statuses_19_to_25_and_moa_mia_remarks() -> None:
    (tx,) = read("835/own-status-19-20-21-23-25-moa-mia.835")["transactions"]
    claims = {c["patient_control_number"]: c for c in tx["claims"]}
    assert [c["status"] for c in tx["claims"]] == ["19", "20", "21", "23", "25", "19"]
    assert claims["SMP2023"]["status_text"] == "not our claim, forwarded to another payer"
    assert claims["SMP2025"]["status_text"].startswith("predetermination")
    assert not any(c["status_text"].startswith("unknown") for c in tx["claims"])
    assert claims["SMP2021"]["remarks"] == ["MA18", "N89"]  # MOA03, MOA04
    assert claims["SMP2026"]["remarks"] == ["MA01", "MA18"]  # MIA05, MIA21
    assert claims["SMP2026"]["adjustments"] == [
        {"group": "CO", "reason": "45", "amount": "500.00"},
        {"group": "PR", "reason": "1", "amount": "200.00"},
    ]
    assert claims["SMP2023"]["services"][0]["adjustments"] == [
        {"group": "OA", "reason": "109", "amount": "150.00"}
    ]
    assert tx["payment"] == "1928.50"
    assert tx["provider_adjustments"] == [
        {"reason": "WO", "reference": "", "amount": "25.00"},
        {"reason": "L6", "reference": "", "amount": "-3.50"},
    ]


def test_cob_837p_keeps_the_other_payer_out_of_subscriber_and_payer() -> None:
    (tx,) = read("837P/own-cob-two-clm-one-hl.837")["transactions"]
    assert (tx["type"], tx["version"]) == ("837P", "005010X222A1")
    first, second = tx["claims"]  # two CLM under one subscriber HL: two claims
    assert [first["patient_control_number"], second["patient_control_number"]] == [
        "SMPCOB01",
        "SMPCOB02",
    ]
    for claim in (first, second):
        assert claim["subscriber"]["member_id"] == "SECMBR002"
        assert claim["payer"] == {"id": "SECPAY02"}
        (other,) = claim["other_payers"]
        assert (other["member_id"], other["payer_id"]) == ("PRIMBR001", "PRIPAY01")
    assert first["charge"] == "250.00" and first["other_payers"][0]["paid"] == "150.00"
    assert first["diagnoses"] == ["J06.9", "R50.9"]
    assert [line["code"] for line in first["lines"]] == ["99214", "87880"]


def test_837p_with_gt_components_and_unmapped_version() -> None:
    (tx,) = read("837P/own-x222-gt-crlf.837")["transactions"]
    assert (tx["type"], tx["version"]) == ("837P", "005010X222")
    assert tx["claims"][0]["lines"] and all(line["code"] for line in tx["claims"][0]["lines"])


def test_837i_reads_sv2_lines() -> None:
    (tx,) = read("837I/own-x223a2-outpatient.837i")["transactions"]
    assert tx["type"] == "837I"
    (claim,) = tx["claims"]
    assert len(claim["lines"]) == 2
    assert all(line["revenue_code"] for line in claim["lines"])
    (tx,) = read("837I/lfh-ppo-repriced-claim.837i")["transactions"]
    # HI*BK>38181, HI*BF>38900 are diagnoses; HI*BH>11>D8>... is an occurrence code
    assert tx["claims"][0]["diagnoses"] == ["381.81", "389.00"]


def test_a_bom_file_reads_the_same_as_without() -> None:
    raw = (CORPUS / "835/lfh-managed-care.835").read_bytes()
    with_bom = interpret(read_interchanges(codecs.BOM_UTF8 + raw))
    assert with_bom == interpret(read_interchanges(raw))
    (tx,) = read("835/own-utf8-bom.835")["transactions"]
    assert tx["type"] == "835" and len(tx["claims"]) == 2


def test_277ca_and_999_are_noted_not_read_with_a_warning() -> None:
    for name, kind in (
        ("277CA/own-277ca-a2-and-a7.txt", "277CA"),
        ("999/ims-999-rejected.txt", "999"),
    ):
        out = read(name)
        (tx,) = out["transactions"]
        assert tx == {"type": kind, "version": tx["version"], "note": NOT_YET_READ}
        assert tx["version"].startswith("005010X")
        assert any(
            d["severity"] == "warning" and NOT_YET_READ in d["message"] for d in out["diagnostics"]
        )


def test_truncated_and_corrupted_files_give_diagnostics_not_exceptions() -> None:
    out = read("835/own-truncated.835")
    assert len(out["transactions"][0]["claims"]) == 2
    assert {d["severity"] for d in out["diagnostics"]} == {"error"}
    assert any("truncated" in d["message"] for d in out["diagnostics"])
    malformed = read("835/lfh-tertiary-payment.835")  # SVC01 a bare "HC"
    assert any(d["loop"] == "2110" and "SVC01" in d["message"] for d in malformed["diagnostics"])
    raw = (CORPUS / "835/own-status-19-20-21-23-25-moa-mia.835").read_bytes()
    for cut in range(120, len(raw), 97):  # every cut, and garbage in the middle
        for data in (raw[:cut], raw[:cut] + b"CAS*ZZ~SVC~CLP~PLB*1*2*X~" + raw[cut:]):
            result = interpret(read_interchanges(data))
            assert set(result) == {"interchanges", "transactions", "diagnostics"}


def test_segments_out_of_place_are_diagnostics() -> None:
    isa = (
        "ISA*00*          *00*          *ZZ*A              *ZZ*B              "
        "*260201*0930*^*00501*000000001*0*T*:~GS*HP*A*B*20260201*0930*1*X*005010X221A1~"
    )
    body = "ST*835*0001~BPR*I*0*C*NON~CAS*CO*45*5~LQ*HE*N1~SVC*HC:99213*5*0~SE*6*0001~"
    out = interpret(read_interchanges(isa + body + "GE*1*1~IEA*1*000000001~"))
    messages = [d["message"] for d in out["diagnostics"]]
    assert len(messages) == 3 and all("before any" in m for m in messages)
    assert out["transactions"][0]["claims"] == []


def test_not_x12_is_refused() -> None:
    with pytest.raises(NotX12):
        interpret(read_interchanges(b"PATIENT,CHARGE\nDOE,100\n"))
