"""Counts over the X12 corpus (issue P9's closing note): files read per transaction type
and refused, and ``x12 read`` diagnostics by kind.

Run ``python tests/data/x12/corpus_report.py`` (from the project root, in the venv); it
prints the Markdown tables that the "Corpus report" section of ``tests/data/x12/README.md``
holds (``tests/x12/test_corpus_report.py`` checks they agree); ``--readme`` writes them there.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: transaction types in the order the tables show them
TYPES = ("835", "837P", "837I", "277CA", "999")
#: what each diagnostic kind covers, for the table
KIND_TEXT = {
    "envelope": "envelope counts and control numbers (SE01, GE01, IEA01, SE02/GE02/IEA02)",
    "truncation": "file cut short: an ST, GS or ISA with no trailer",
    "syntax": "not a segment ID, empty segment, text after the IEA",
    "structure": "a segment outside its envelope or loop (CAS before CLP...), an 837 set with no CLM",
    "malformed element": "a composite that is not qualifier:code (SVC01 'HC')",
    "component separator": "composites written with another separator than ISA16 declares (warning)",
    "balance": "835 line/claim/BPR02 money or 837 CLM02 vs its lines does not add up",
    "patient responsibility": "835 CLP05 is not the sum of the claim's PR adjustments (warning)",
    "bad amount": "an amount that is empty or not a number where one is needed",
    "bad date": "a date that is not CCYYMMDD, not a calendar date, or a period that ends first",
    "old version": "X12 4010 (HIPAA's version until 2012): read as 5010, with a warning",
    "unsupported version": "a version or transaction type this lab does not know or read (278)",
    "unreadable": "a transaction set that could not be read",
    "other": "anything else",
}


def corpus_files() -> list[Path]:
    """Every sample file of the corpus (the folders by type; not the golden readings)."""
    return sorted(
        p
        for p in HERE.glob("*/*")
        if p.is_file() and p.parent.name != "golden" and p.suffix not in (".py", ".md")
    )


def count() -> tuple[Counter, Counter, Counter, Counter, int]:
    """(files per type, transactions per type, diagnostics per kind, files per kind,
    refused files) over the corpus."""
    from medbill_lab.x12.interpret import interpret
    from medbill_lab.x12.reader import NotX12, read_interchanges

    files, transactions, kinds, files_with = Counter(), Counter(), Counter(), Counter()
    refused = 0
    for path in corpus_files():
        try:
            result = interpret(read_interchanges(path.read_bytes()))
        except NotX12:
            refused += 1
            continue
        types = [
            f"{tx['type']} ({tx['note']})" if "note" in tx else tx["type"]
            for tx in result["transactions"]
        ]
        transactions.update(types)
        files.update(set(types))
        found = Counter(d["kind"] for d in result["diagnostics"])
        kinds.update(found)
        files_with.update(set(found))
    return files, transactions, kinds, files_with, refused


def report() -> str:
    """The two Markdown tables: reading per type, diagnostics per kind."""
    files, transactions, kinds, files_with, refused = count()
    total = len(corpus_files())
    lines = [
        f"{total} files: {total - refused} read, {refused} refused (not X12).",
        "",
        "| type | files holding it | transaction sets |",
        "|---|---|---|",
    ]
    others = sorted(set(files) - set(TYPES))
    for kind in (*TYPES, *others):
        lines.append(f"| {kind} | {files[kind]} | {transactions[kind]} |")
    lines.append(f"| refused | {refused} | - |")
    lines += ["", "| diagnostic kind | diagnostics | files | what it covers |", "|---|---|---|---|"]
    for kind, number in sorted(kinds.items(), key=lambda item: (-item[1], item[0])):
        lines.append(f"| {kind} | {number} | {files_with[kind]} | {KIND_TEXT.get(kind, '')} |")
    lines.append(f"| total | {sum(kinds.values())} | {len(files_with)} kinds | |")
    return "\n".join(lines)


README = HERE / "README.md"
START, END = "<!-- corpus-report:start -->", "<!-- corpus-report:end -->"


def readme_section(text: str) -> str:
    """The report as the README holds it, between its two markers."""
    return text.split(START, 1)[1].split(END, 1)[0].strip("\n")


def write_readme() -> bool:
    """Put the report between the README's markers; True when that changed the README."""
    text = README.read_text(encoding="utf-8")
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    new = f"{before}{START}\n{report()}\n{END}{after}"
    README.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    if sys.argv[1:] == ["--readme"]:
        print("README updated" if write_readme() else "README already up to date")
    else:
        print(report())
    sys.exit(0)
