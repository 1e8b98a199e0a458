"""The corpus report (issue P9's closing note): ``tests/data/x12/corpus_report.py`` counts
files read per type and diagnostics by kind, and the corpus README shows what it prints."""

from __future__ import annotations

from pathlib import Path

import pytest
from x12_files import load_script

from medbill_lab.x12.interpret import interpret, kind_of
from medbill_lab.x12.reader import NotX12, read_interchanges

CORPUS = Path(__file__).resolve().parents[1] / "data" / "x12"


REPORT = load_script(CORPUS / "corpus_report.py")


def test_the_readme_shows_what_the_report_prints() -> None:
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert REPORT.readme_section(readme) == REPORT.report(), (
        "run python tests/data/x12/corpus_report.py --readme"
    )


def test_counts_add_up_to_the_corpus() -> None:
    files, transactions, kinds, files_with, refused = REPORT.count()
    paths = REPORT.corpus_files()
    assert len(paths) > 50 and not any(p.parent.name == "golden" for p in paths)
    assert refused == 1  # the 835 with no ISA
    assert files["835"] == 26 and files["837I"] == 6  # 25 in 835/ (one refused) + mixed/
    assert set(transactions) >= {"835", "837P", "837I", "277CA", "999"}
    assert kinds["balance"] >= 2 and kinds["bad date"] == 2
    assert all(files_with[k] <= kinds[k] for k in kinds)


def test_every_corpus_diagnostic_has_a_known_kind() -> None:
    for path in REPORT.corpus_files():
        try:
            result = interpret(read_interchanges(path.read_bytes()))
        except NotX12:
            continue
        for d in result["diagnostics"]:
            assert d["kind"] in REPORT.KIND_TEXT and d["kind"] != "other", (path.name, d)


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        (
            "SE: SE01 says the transaction set has '7' segments; it has 31 (ST through SE).",
            "envelope",
        ),
        ("IEA: IEA02 '1' does not match ISA13 '286' (segment 1): ...", "envelope"),
        (
            "SE: Transaction set '0001' (ST at segment 3) has no SE: the file is truncated",
            "truncation",
        ),
        ("CAS_CO: 'CAS_CO' is not a segment ID (2-3 letters/digits).", "syntax"),
        ("ST outside a functional group: no GS opens it.", "structure"),
        ("CAS found before any CLP claim; its adjustments are not counted", "structure"),
        ("SVC01 'HC' is not a qualifier:code composite; the line's code ...", "malformed element"),
        (
            "004010X091A1 is X12 4010, replaced by 5010 for HIPAA in 2012: read as 5010",
            "old version",
        ),
        (
            "transaction set 1 (278 004010X094A1) is not yet read: this command reads",
            "unsupported version",
        ),
        ("transaction set 1 (837P) could not be read: CLM: the 837 holds no claim", "unreadable"),
        ("something new", "other"),
    ],
)
def test_kind_of_a_message(message: str, kind: str) -> None:
    assert kind_of(message) == kind
