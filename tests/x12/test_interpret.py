"""``medbill_lab.x12.interpret``: the transactions of a file read by the tolerant reader,
in the JSON shape of ``medbill-lab x12 read`` (issue P9 item 2), checked on corpus files."""

from __future__ import annotations

import codecs
import re
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
    # its money balances; its BPR16 (payment date) is 20002316, month 23: the one problem
    (bad_date,) = out["diagnostics"]
    assert (bad_date["kind"], bad_date["segment"], bad_date["loop"]) == ("bad date", 4, "header")
    assert "BPR16" in bad_date["message"] and "20002316" in bad_date["message"]


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


def test_a_kind_still_not_read_gets_a_note_and_a_warning() -> None:
    from medbill_lab.x12.interpret import interpret_transaction

    text = (CORPUS / "999/ims-999-accepted.txt").read_text().replace("005010X231A1", "004010X231")
    (tx,) = read_interchanges(text).transactions  # a 4010 999: only 5010 is read
    note, found = interpret_transaction(tx)
    assert note["note"] == NOT_YET_READ
    assert found[0]["severity"] == "warning" and NOT_YET_READ in found[0]["message"]


def test_999_rejection_names_segment_loop_element_and_codes_in_words() -> None:
    out = read("999/own-999-rejects-amt-2320.txt")
    (tx,) = out["transactions"]
    assert (tx["status"], tx["status_text"]) == ("R", "rejected")
    assert (tx["accepted_sets"], tx["received_sets"]) == ("0", "1")
    (one,) = tx["sets"]
    assert one["status_text"] == "rejected"
    (error,) = one["errors"]
    assert (error["segment_id"], error["position"], error["loop"]) == ("AMT", 21, "2320")
    assert error["text"] == "segment has data element errors"
    assert error["claim_id"] == "SMPCOB01"  # from the CTX business context
    (element,) = error["elements"]
    assert (element["position"], element["code"], element["bad_value"]) == ("2", "6", "15O.00")
    assert element["text"] == "element has an invalid character"
    assert "claim" not in error  # no 837P given: only the segment position and loop


def test_999_error_traced_to_the_claim_of_the_837p() -> None:
    from medbill_lab.x12.interpret import trace_999

    (tx,) = read("999/own-999-rejects-amt-2320.txt")["transactions"]
    trace_999(tx, (CORPUS / "837P/own-cob-bad-amt-for-999.837").read_text())
    (error,) = tx["sets"][0]["errors"]
    assert (error["claim"], error["claim_id"], error["segment"]) == (0, "SMPCOB01", "AMT*D*15O.00")


def test_999_accepted_and_unknown_segment_errors() -> None:
    (ok,) = read("999/ims-999-accepted.txt")["transactions"]
    assert ok["status_text"] == "accepted" and ok["sets"][0]["errors"] == []
    (bad,) = read("999/ims-999-rejected-with-ta1.txt")["transactions"]
    assert [e["position"] for e in bad["sets"][0]["errors"]] == [289, 381]
    assert {e["text"] for e in bad["sets"][0]["errors"]} == {
        "segment is not defined in this transaction set"
    }
    (nm,) = read("999/ims-999-rejected.txt")["transactions"]
    assert nm["sets"][0]["errors"][0]["text"] == "segment ID not recognized"


def test_277ca_claims_with_category_status_and_counts() -> None:
    (tx,) = read("277CA/own-277ca-a2-and-a7.txt")["transactions"]
    assert (tx["accepted"], tx["rejected"]) == (1, 1)
    first, second = tx["claims"]
    assert (first["patient_control_number"], first["payer_claim_number"]) == (
        "SMPCOB01",
        "SMPPAYERICN01",
    )
    assert first["statuses"][0]["category"] == "A2" and first["outcome"] == "accepted"
    assert first["statuses"][0]["status_code"] == "20"
    assert first["statuses"][0]["status_text"] == "accepted for processing"
    assert second["patient_control_number"] == "SMPCOB02" and second["outcome"] == "rejected"
    assert (second["statuses"][0]["status_code"], second["statuses"][0]["entity"]) == ("164", "IL")
    assert "invalid information" in second["statuses"][0]["category_text"]


def test_277ca_with_another_component_separator_and_receipt_only() -> None:
    (rej,) = read("277CA/ims-277ca-rejected.txt")["transactions"]  # composites split on "|"
    (claim,) = rej["claims"]
    assert claim["statuses"][0]["category"] == "A7" and claim["statuses"][0]["entity"] == "85"
    assert claim["statuses"][0]["entity_text"] == "billing provider"
    assert "NPI" in claim["statuses"][0]["status_text"]
    assert (rej["accepted"], rej["rejected"]) == (0, 1)
    (acc,) = read("277CA/ims-277ca-accepted.txt")["transactions"]
    assert (acc["accepted"], acc["rejected"]) == (1, 0)  # the A1 receipt is not a claim level


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


def _837i_with(hi_segments: list[str], second_claim_hi: str = "") -> dict:
    """Our outpatient 837I with its one ``HI*ABK:R079`` replaced by ``hi_segments``, and
    optionally a second CLM (same subscriber HL) whose only HI is ``second_claim_hi``."""
    text = (CORPUS / "837I/own-x223a2-outpatient.837i").read_text(encoding="utf-8")
    claim_start, claim_end = text.index("~CLM*") + 1, text.index("~SE*") + 1
    second = text[claim_start:claim_end].replace("CLM*SMPINST01*", "CLM*SMPINST02*")
    text = text.replace("HI*ABK:R079~", "".join(s + "~" for s in hi_segments))
    if second_claim_hi:
        second = second.replace("HI*ABK:R079~", second_claim_hi + "~")
        claim_end = text.index("~SE*") + 1
        text = text[:claim_end] + second + text[claim_end:]
    st, se = text.index("~ST*") + 1, text.index("~SE*") + 1
    text = f"{text[:se]}SE*{text[st:se].count('~') + 1}{text[text.index('*', se + 3) :]}"
    result = interpret(read_interchanges(text))
    assert result["diagnostics"] == []
    (tx,) = result["transactions"]
    assert tx["type"] == "837I"
    return tx


def test_837i_diagnoses_are_every_icd10_qualifier_and_nothing_else() -> None:
    # ABK principal, ABJ admitting, APR patient's reason for visit, ABN external cause,
    # ABF other: all diagnoses (X223A2 loop 2300 HI).  BE value, BG condition, BH
    # occurrence, BBR principal procedure (ICD-10-PCS): UB-04 fields, not diagnoses.
    tx = _837i_with(
        [
            "HI*ABK:S82201A*ABJ:R079",
            "HI*APR:R0602",
            "HI*ABN:W010XXA",
            "HI*ABF:I10*ABF:E1165",
            "HI*BBR:0QSG04Z:D8:20261105",
            "HI*BH:11:D8:20261101",
            "HI*BE:A2:::100",
            "HI*BG:07",
        ]
    )
    assert tx["claims"][0]["diagnoses"] == [
        "S82.201A",
        "R07.9",
        "R06.02",
        "W01.0XXA",
        "I10",
        "E11.65",
    ]


def test_837i_with_no_diagnosis_qualifier_has_no_diagnoses() -> None:
    tx = _837i_with(["HI*BG:07", "HI*BE:A2:::100"])
    assert tx["claims"][0]["diagnoses"] == []


def test_837i_diagnoses_stay_with_their_own_claim() -> None:
    tx = _837i_with(["HI*ABK:R079*ABF:I10"], second_claim_hi="HI*ABK:J069*BG:07")
    assert [c["patient_control_number"] for c in tx["claims"]] == ["SMPINST01", "SMPINST02"]
    assert [c["diagnoses"] for c in tx["claims"]] == [["R07.9", "I10"], ["J06.9"]]
    assert [len(c["lines"]) for c in tx["claims"]] == [2, 2]


# -- the 999 tracer reads the 837P as tolerantly as the 999 --------------------------------
ACK_AMT = CORPUS / "999/own-999-rejects-amt-2320.txt"
COB_837 = CORPUS / "837P/own-cob-bad-amt-for-999.837"


def _traced(claims_text: str, ack_text: str | None = None) -> dict:
    from medbill_lab.x12.interpret import trace_999

    ack = interpret(read_interchanges(ack_text or ACK_AMT.read_text(encoding="utf-8")))
    (tx,) = ack["transactions"]
    trace_999(tx, claims_text)
    (error,) = tx["sets"][0]["errors"]
    return error


def _unpadded_isa(text: str) -> str:
    """The same interchange with its ISA fields unpadded (ISA06, ISA08 ... as partners send)."""
    isa, rest = text.split("~", 1)
    fields = isa.split("*")
    return "*".join(f if n == 16 else f.strip() for n, f in enumerate(fields)) + "~" + rest


def test_999_tracing_reads_an_837p_with_any_delimiters_or_an_unpadded_isa() -> None:
    text = COB_837.read_text(encoding="utf-8")
    expected = _traced(text)
    assert (expected["claim"], expected["claim_id"]) == (0, "SMPCOB01")
    assert _unpadded_isa(text)[:60] != text[:60]
    for variant in (
        _unpadded_isa(text),
        text.replace("*", "|"),
        "\ufeff" + text.replace("~", "~\r\n"),
    ):
        assert _traced(variant) == expected


def test_999_tracing_counts_claims_across_the_transaction_sets_of_the_837p() -> None:
    text = COB_837.read_text(encoding="utf-8")
    start, end = text.index("ST*837*0001"), re.search(r"~\s*(GE\*)", text).start(1)
    second = text[start:end].replace("*0001", "*0002")
    two_sets = text[:end] + second + text[end:].replace("GE*1*", "GE*2*", 1)
    assert read_interchanges(two_sets).diagnostics == []
    ack = ACK_AMT.read_text(encoding="utf-8").replace("AK2*837*0001", "AK2*837*0002")
    error = _traced(two_sets, ack)
    # the first set holds two claims (SMPCOB01, SMPCOB02): the second set's first is claim 2
    assert (error["claim"], error["claim_id"], error["segment"]) == (2, "SMPCOB01", "AMT*D*15O.00")


def test_999_error_in_the_837p_header_is_traced_outside_any_claim(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from medbill_lab.cli import main

    ack_text = ACK_AMT.read_text(encoding="utf-8").replace("IK3*AMT*21*2320*8", "IK3*BHT*2**8")
    error = _traced(COB_837.read_text(encoding="utf-8"), ack_text)
    assert error["claim"] is None and error["segment"].startswith("BHT*0019*")
    ack = tmp_path / "ack.999"
    ack.write_text(ack_text, encoding="utf-8")
    assert main(["x12", "read", str(ack), "--claims", str(COB_837)]) == 0
    out = capsys.readouterr().out
    assert "in the 837P outside any claim: BHT*0019*" in out


@pytest.mark.parametrize("given", [True, False])
def test_x12_read_traces_a_999_to_an_utf16_837p_given_or_beside_it(
    given: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from medbill_lab.cli import main

    claims = tmp_path / "claims.837"
    claims.write_bytes(
        codecs.BOM_UTF16_LE + COB_837.read_text(encoding="utf-8").encode("utf-16-le")
    )
    ack = tmp_path / "ack.999"
    ack.write_bytes(ACK_AMT.read_bytes())
    assert main(["x12", "read", str(ack), *(["--claims", str(claims)] if given else [])]) == 0
    assert (
        "claim SMPCOB01 (claim 1 in the 837P), CMS-1500 item 29: AMT*D*15O.00"
        in capsys.readouterr().out
    )
