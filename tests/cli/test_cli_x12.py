"""``medbill-lab x12 read FILE [--json]`` (cli/x12.py): an 835 as an EOB, an 837 as its claim,
exit 0 with diagnostics, exit 1 with one line when the file is not X12."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medbill_lab.cli.app import main

CORPUS = Path(__file__).resolve().parents[1] / "data" / "x12"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["x12", "read", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_835_text_reads_like_an_eob(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(CORPUS / "835/own-status-19-20-21-23-25-moa-mia.835"))
    assert code == 0 and err == ""
    assert "Claim SMP2023: not our claim, forwarded to another payer (status 23)" in out
    assert "OA-109 150.00: OA = other adjustment" in out
    assert "CARC 109 = Wrong payer" in out
    assert "remark MA18: Crossover" in out
    assert "Payment: 1928.50" in out


def test_837p_text_reads_like_the_claim(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(CORPUS / "837P/own-cob-two-clm-one-hl.837"))
    assert code == 0
    assert "CMS-1500" in out
    assert "Claim SMPCOB01" in out and "Claim SMPCOB02" in out
    assert "member ID SECMBR002" in out and "Payer ID: SECPAY02" in out
    assert "Diagnoses: J06.9, R50.9" in out
    assert "Line 1: 99214" in out


def test_json_output_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(CORPUS / "835/lfh-cob-contractual-adjustment.835"), "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"interchanges", "transactions", "diagnostics"}
    (tx,) = data["transactions"]
    assert tx["type"] == "835" and tx["claims"][0]["status"] == "2"
    assert tx["claims"][0]["services"][0]["code"] == "55669"  # SVC01 written with ">"


def test_bom_file_reads(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(CORPUS / "835/own-utf8-bom.835"), "--json")
    assert code == 0 and json.loads(out)["transactions"][0]["type"] == "835"


def test_corrupted_file_exits_0_with_diagnostics(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(CORPUS / "835/own-truncated.835"), "--json")
    assert code == 0 and err == ""
    diagnostics = json.loads(out)["diagnostics"]
    assert diagnostics and all(
        set(d) == {"severity", "segment", "loop", "message", "kind"} for d in diagnostics
    )
    code, out, _ = run(capsys, str(CORPUS / "835/own-truncated.835"))
    assert code == 0 and "Diagnostics (4):" in out  # SE, GE, IEA missing; a claim cut short


def test_not_x12_is_one_line_and_exit_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "claims.csv"
    bad.write_text("PATIENT,CHARGE\nDOE,100\n")
    code, out, err = run(capsys, str(bad))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "not an X12 file" in err and "Traceback" not in err
    code, _, err = run(capsys, str(tmp_path / "missing.835"))
    assert code == 1 and err.count("\n") == 1


def test_999_text_with_claims_names_the_claim(capsys: pytest.CaptureFixture[str]) -> None:
    ack = str(CORPUS / "999/own-999-rejects-amt-2320.txt")
    claims = str(CORPUS / "837P/own-cob-bad-amt-for-999.837")
    code, out, err = run(capsys, ack, "--claims", claims)
    assert code == 0 and err == ""
    assert "999 acknowledgment: rejected (0 of 1 set(s) accepted)" in out
    assert "AMT at segment 21 of the set, loop 2320: segment has data element errors (8)" in out
    assert "claim SMPCOB01 (claim 1 in the 837P)" in out
    assert "element 2: element has an invalid character (6), value '15O.00'" in out
    code, alone, _ = run(capsys, ack)
    assert code == 0 and "in the 837P" not in alone and "loop 2320" in alone


def test_277ca_text_counts_and_explains(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(CORPUS / "277CA/own-277ca-a2-and-a7.txt"))
    assert code == 0
    assert "277CA claim acknowledgment: 1 accepted, 1 rejected" in out
    assert "Claim SMPCOB01 (payer claim SMPPAYERICN01): accepted" in out
    assert (
        "A7 = acknowledged: rejected for invalid information; status 164 = the entity's "
        "contract or member number (IL = insured or subscriber)"
    ) in out
    data = json.loads(run(capsys, str(CORPUS / "277CA/own-277ca-a2-and-a7.txt"), "--json")[1])
    assert data["transactions"][0]["rejected"] == 1


def test_999_finds_its_837p_in_the_same_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ack = tmp_path / "ack.999"
    ack.write_bytes((CORPUS / "999/own-999-rejects-amt-2320.txt").read_bytes())
    (tmp_path / "notes.txt").write_text("not an X12 file")
    code, out, _ = run(capsys, str(ack))
    assert code == 0 and "in the 837P" not in out  # no 837P beside it yet
    claims = (CORPUS / "837P/own-cob-bad-amt-for-999.837").read_bytes()
    (tmp_path / "batch.837").write_bytes(claims)
    code, out, err = run(capsys, str(ack))
    assert code == 0 and err == ""
    assert "claim SMPCOB01 (claim 1 in the 837P), CMS-1500 item 29: AMT*D*15O.00" in out


def test_999_with_a_claims_file_that_is_not_x12_still_reads(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ack = str(CORPUS / "999/own-999-rejects-amt-2320.txt")
    notes = tmp_path / "claims.txt"
    notes.write_text("these are my notes, not an 837P")
    code, out, err = run(capsys, ack, "--claims", str(notes), "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    (error,) = data["transactions"][0]["sets"][0]["errors"]
    assert "claim" not in error and error["segment_id"] == "AMT"
    (warning,) = [d for d in data["diagnostics"] if str(notes) in d["message"]]
    assert warning["severity"] == "warning" and "without naming their claims" in warning["message"]
    code, text, _ = run(capsys, ack, "--claims", str(notes))
    assert code == 0 and "999 acknowledgment: rejected" in text and "without naming" in text


@pytest.mark.parametrize(
    "claims",
    [
        "835/own-utf8-bom.835",  # X12, but no 837 at all
        "837P/lfh-example1.837",  # an 837P, but not the batch the 999 answers
    ],
)
def test_999_with_a_claims_file_it_does_not_answer_says_so(
    capsys: pytest.CaptureFixture[str], claims: str
) -> None:
    ack = str(CORPUS / "999/own-999-rejects-amt-2320.txt")
    code, out, err = run(capsys, ack, "--claims", str(CORPUS / claims), "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    (error,) = data["transactions"][0]["sets"][0]["errors"]
    assert "traced_loop" not in error and "item" not in error
    (warning,) = [d for d in data["diagnostics"] if claims in d["message"]]
    assert warning["severity"] == "warning"
    assert "1 of the 999's errors point at no segment of an 837 set" in warning["message"]


def test_999_with_its_own_claims_file_has_no_tracing_warning(
    capsys: pytest.CaptureFixture[str],
) -> None:
    ack = str(CORPUS / "999/own-999-rejects-amt-2320.txt")
    claims = str(CORPUS / "837P/own-cob-bad-amt-for-999.837")
    code, out, _ = run(capsys, ack, "--claims", claims, "--json")
    data = json.loads(out)
    assert code == 0 and data["transactions"][0]["sets"][0]["errors"][0]["traced_loop"] == "2320"
    assert not [d for d in data["diagnostics"] if claims in d["message"]]
