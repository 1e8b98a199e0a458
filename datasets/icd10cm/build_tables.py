"""Build the compact FY2026 ICD-10-CM index tables from the official XML.

Three official CDC/NCHS files (April 1, 2026 update of FY2026):

- the Table of Drugs and Chemicals (``icd10cm-drug-April-1-2026-XML.xml``),
- the Neoplasm Table (``icd10cm-neoplasm-April-1-2026-XML.xml``),
- the External Cause of Injuries Index (``icd10cm-eindex-April-1-2026-XML.xml``).

Each becomes a table in ``tables_fy2026.json`` beside this script: its column
headings and its rows in index order, each row ``[parent, level, title, cells,
see, see_also]`` where ``parent`` is the row number of the term it is nested
under (-1 for a main term), ``title`` keeps the nonessential modifiers in
parentheses, ``cells`` holds one code per column ("" where the printed table
has a dash) exactly as printed (a trailing "-" or a missing 7th character
means the code must be completed), and ``see``/``see_also`` are the
cross-references.  The full term is the titles on the way down joined by
commas ("Fall, falling (accidental), from, ladder").

The files were committed unchanged to a public GitHub repository; SOURCES
pins the repository, commit, path and sha256 of each.  The script reads them
from ``--source`` (default: the lab's shared copy) or downloads them from that
commit, and stops if a sha256 differs.  Run it again and the artifact is
byte-identical; only ``build_date`` in ``PROVENANCE_tables.json`` changes.

Usage (from the repository root)::

    python datasets/icd10cm/build_tables.py [--source DIR]

Nothing here runs at MedBill Lab run time: the package only reads the JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARTIFACT = "tables_fy2026.json"
REPO = "seanreed1111/icd10-codes"
COMMIT = "c4cad6be9e23491651d4c64e9f5b14dfaae225cd"
# table key -> (file name, sha256 of the official file, title)
SOURCES = {
    "drugs": (
        "icd10cm-drug-April-1-2026-XML.xml",
        "5fb3c6d65a7924027e02b89d4234a9ea960e3d48e407b1bc26f0d3ccbfeb9fcc",
        "Table of Drugs and Chemicals",
    ),
    "neoplasm": (
        "icd10cm-neoplasm-April-1-2026-XML.xml",
        "2968606b90795f5a49fa4be6b6c876fb59cae9f04e4f203f8cf566d5926303a5",
        "Neoplasm Table",
    ),
    "eindex": (
        "icd10cm-eindex-April-1-2026-XML.xml",
        "ffe081c4cfb9b10396f6933f8411a0b221752d7fcf47bc28e08935d9bc3564b6",
        "External Cause of Injuries Index",
    ),
}
DEFAULT_SOURCE = Path("/work/shared/codefiles/fy2026")


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _code(text: str | None) -> str:
    """A printed code, "" for a dash; "C56.-" (a category to complete) becomes "C56-"."""
    code = _clean(text)
    if code.strip("-") == "":
        return ""
    return code.replace(".-", "-")


def _title(node: ET.Element) -> str:
    """The term's words with its nonessential modifiers (and any manifestation) kept."""
    title = node.find("title")
    parts = [_clean(title.text if title is not None else "")]
    if title is not None:
        for child in title:
            if child.tag == "nemod":
                parts.append(_clean("".join(child.itertext())))
            parts.append(_clean(child.tail))
    manif = node.find("manif")
    if manif is not None:
        parts.append(f"[{_clean(''.join(manif.itertext()))}]")
    return " ".join(p for p in parts if p)


def _refs(node: ET.Element, tag: str) -> str:
    return "; ".join(_clean("".join(n.itertext())) for n in node.findall(tag))


def _cells(node: ET.Element, columns: int) -> list[str]:
    if columns == 1:  # the External Cause Index: one code, or a subcategory to complete
        for tag in ("code", "subcat"):
            found = node.find(tag)
            if found is not None:
                return [_code(found.text)]
        return [""]
    cells = [""] * columns
    for cell in node.findall("cell"):
        col = int(cell.get("col", "0")) - 2  # column 1 is the term itself
        if 0 <= col < columns:
            cells[col] = _code(cell.text)
    return cells


def _walk(node: ET.Element, parent: int, level: int, columns: int, rows: list) -> None:
    see = _refs(node, "see")
    seecat = _refs(node, "seecat")
    if seecat:  # "see category T71": the tabular category to look in
        see = "; ".join(x for x in (see, f"category {seecat}") if x)
    rows.append([parent, level, _title(node), _cells(node, columns), see, _refs(node, "seeAlso")])
    here = len(rows) - 1
    for term in node.findall("term"):
        _walk(term, here, level + 1, columns, rows)


def build_table(xml_bytes: bytes, title: str) -> dict:
    """One index table as {"title", "version", "columns", "rows"}."""
    root = ET.fromstring(xml_bytes)
    heads = [_clean(h.text) for h in root.findall("indexHeading/head")][1:]
    columns = heads or ["Code"]
    rows: list = []
    for letter in root.findall("letter"):
        for main in letter.findall("mainTerm"):
            _walk(main, -1, 0, len(columns), rows)
    return {
        "title": title,
        "version": _clean(root.findtext("version")),
        "columns": columns,
        "rows": rows,
    }


def read_source(name: str, sha256: str, source: Path | None) -> bytes:
    """The official file, from ``source`` or downloaded from the pinned commit; sha256 checked."""
    if source is not None and (source / name).is_file():
        data = (source / name).read_bytes()
    else:
        url = f"https://raw.githubusercontent.com/{REPO}/{COMMIT}/data/raw/xml/{name}"
        with urllib.request.urlopen(url, timeout=60) as fh:
            data = fh.read()
    got = hashlib.sha256(data).hexdigest()
    if got != sha256:
        raise SystemExit(f"{name}: sha256 {got} differs from the pinned {sha256}")
    return data


def main(argv: list[str] | None = None) -> None:
    """Build ``tables_fy2026.json`` and ``PROVENANCE_tables.json``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args(argv)
    tables, sources = {}, {}
    for key, (name, sha256, title) in SOURCES.items():
        tables[key] = build_table(read_source(name, sha256, args.source), title)
        sources[key] = {
            "source_repo": REPO,
            "source_commit": COMMIT,
            "source_path": f"data/raw/xml/{name}",
            "source_sha256": sha256,
            "version": tables[key]["version"],
            "rows": len(tables[key]["rows"]),
        }
    artifact = {"fiscal_year": 2026, "release": "FY2026, April 1, 2026 update", "tables": tables}
    out = args.out / ARTIFACT
    out.write_text(json.dumps(artifact, separators=(",", ":"), ensure_ascii=False), "utf-8")
    provenance = {
        "artifact": ARTIFACT,
        "artifact_sha256": hashlib.sha256(out.read_bytes()).hexdigest(),
        "release": artifact["release"],
        "publisher": "CDC/NCHS (ICD-10-CM, public domain in the United States)",
        "tables": sources,
        "build_date": dt.date.today().isoformat(),
    }
    (args.out / "PROVENANCE_tables.json").write_text(json.dumps(provenance, indent=2) + "\n")
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
