"""X12 4010 files, HIPAA's version until 2012, are read where their meaning is clear
(issue P9: "other versions are read where their meaning is clear, with diagnostics"):
an 835 or 837 is read as 5010 with one warning; a 4010 kind this lab does not read
(278, a 4010 acknowledgement) keeps its "not yet read" note."""

from __future__ import annotations

from pathlib import Path

from medbill_lab.x12.interpret import NOT_YET_READ, interpret
from medbill_lab.x12.reader import read_interchanges

CORPUS = Path(__file__).resolve().parents[1] / "data" / "x12"
OLD_835 = CORPUS / "835" / "pyx12-835-simple-4010.txt"
OLD_837P = CORPUS / "837P" / "pyx12-simple-837p-4010.txt"
MIXED = CORPUS / "mixed" / "pyx12-mult-isa-4010.txt"


def read(path: Path) -> dict:
    return interpret(read_interchanges(path.read_bytes()))


def _old_warnings(out: dict) -> list[dict]:
    return [d for d in out["diagnostics"] if "is X12 4010" in d["message"]]


def test_a_4010_835_reads_as_an_eob_with_one_warning() -> None:
    out = read(OLD_835)
    (tx,) = out["transactions"]
    assert (tx["type"], tx["version"]) == ("835", "004010X091A1")
    assert tx["payment"] == "5950.21"
    assert [c["status"] for c in tx["claims"]] == ["22", "1", "22"]
    assert tx["claims"][1]["charge"] == "300" and tx["claims"][1]["paid"] == "200"
    (warning,) = _old_warnings(out)
    assert warning["severity"] == "warning" and warning["segment"] == 3
    assert not any("does not know" in d["message"] for d in out["diagnostics"])


def test_a_4010_837p_reads_its_claims_and_says_diagnoses_may_be_icd9() -> None:
    out = read(OLD_837P)
    (tx,) = out["transactions"]
    assert tx["type"] == "837P"
    assert [c["patient_control_number"] for c in tx["claims"]] == ["3215338", "5555"]
    assert all(c["diagnoses"] == ["317"] for c in tx["claims"])  # ICD-9, shown as sent
    assert all(c["subscriber"]["member_id"] == "1212121" for c in tx["claims"])
    (warning,) = _old_warnings(out)
    assert "ICD-9" in warning["message"]


def test_4010_kinds_the_lab_does_not_read_keep_their_note() -> None:
    out = read(MIXED)
    kinds = [(t["type"], t.get("note")) for t in out["transactions"]]
    assert ("278", NOT_YET_READ) in kinds
    assert all(note is None for kind, note in kinds if kind in ("835", "837P"))
    assert len(_old_warnings(out)) == sum(1 for kind, _ in kinds if kind in ("835", "837P"))


def test_a_5010_file_gets_no_4010_warning() -> None:
    assert _old_warnings(read(CORPUS / "835" / "own-tilde-crlf.835")) == []
