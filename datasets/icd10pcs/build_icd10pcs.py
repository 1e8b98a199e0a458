"""Build MedBill Lab's compact ICD-10-PCS artifact from the official tables and definitions XML.

CMS publishes ICD-10-PCS as tables: each table fixes the first three characters (section,
body system, root operation) and its rows list the values allowed for characters 4-7.  A
valid code is any combination inside one row.  The artifact keeps the tables, not the
79,115 codes, so the package derives each code and its title (see
``medbill_lab/codes/icd10pcs.py``).  Run it again and it writes a byte-identical
``fy<YEAR>.json`` (the build date lives only in ``PROVENANCE.json``).

Usage (from the repository root; CI keeps ``../shared/codefiles`` beside the clone)::

    python datasets/icd10pcs/build_icd10pcs.py ../shared/codefiles/fy2026

Nothing here runs at MedBill Lab run time: the package only reads the JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Where each source file came from (see ../shared/codefiles/SOURCES.md).
SOURCES = {
    "tables": {
        "file": "icd10pcs_tables_{year}.xml",
        "repo": "GoncaloVCorreia/Deep-Agents",
        "commit": "1aa9946b63b8ec778aa4f3d27b6c0c01b30aaac9",
        "path": "data/icd10pcs_tables_{year}.xml",
    },
    "definitions": {
        "file": "icd10pcs_definitions_{year}.xml",
        "repo": "GoncaloVCorreia/Deep-Agents",
        "commit": "1aa9946b63b8ec778aa4f3d27b6c0c01b30aaac9",
        "path": "data/icd10pcs_definitions_{year}.xml",
    },
}


def _text(node: ET.Element | None) -> str:
    return " ".join((node.text or "").split()) if node is not None else ""


def _labels(axis: ET.Element) -> dict[str, str]:
    return {lab.get("code", ""): _text(lab) for lab in axis.findall("label")}


def read_tables(root: ET.Element) -> dict:
    """The tables as ``{key: {"titles": [7 axis names], "labels": [3], "rows": [[4 dicts]]}}``."""
    tables: dict[str, dict] = {}
    for table in root.findall("pcsTable"):
        head = table.findall("axis")
        key = "".join(a.find("label").get("code", "") for a in head)  # type: ignore[union-attr]
        if len(key) != 3 or key in tables:
            raise SystemExit(f"table {key!r}: not three axes, or a duplicate")
        titles = [_text(a.find("title")) for a in head]
        rows = []
        for row in table.findall("pcsRow"):
            axes = sorted(row.findall("axis"), key=lambda a: int(a.get("pos", "0")))
            row_titles = [_text(a.find("title")) for a in axes]
            if len(axes) != 4 or (len(titles) == 7 and titles[3:] != row_titles):
                raise SystemExit(f"table {key}: a row with other axes {row_titles}")
            titles[3:] = row_titles
            values = [_labels(a) for a in axes]
            expected = 1
            for v in values:
                expected *= len(v)
            if str(expected) != row.get("codes"):
                raise SystemExit(
                    f"table {key}: a row says {row.get('codes')} codes, has {expected}"
                )
            rows.append(values)
        tables[key] = {
            "titles": titles,
            "labels": [_text(a.find("label")) for a in head],
            "rows": rows,
        }
    return tables


def read_definitions(root: ET.Element) -> dict:
    """``{section: {position: {label: definition}}}`` for every term that has a definition."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    for section in root.findall("section"):
        for axis in section.findall("axis"):
            for term in axis.findall("terms"):
                definition = _text(term.find("definition"))
                if not definition:
                    continue
                for title in term.findall("title"):
                    out.setdefault(section.get("code", ""), {}).setdefault(axis.get("pos", ""), {})[
                        _text(title)
                    ] = definition
    return out


def build(folder: Path, year: int) -> dict:
    """The artifact for one year from the two XML files in ``folder``."""
    tables_root = ET.parse(folder / SOURCES["tables"]["file"].format(year=year)).getroot()
    defs_root = ET.parse(folder / SOURCES["definitions"]["file"].format(year=year)).getroot()
    for root in (tables_root, defs_root):
        if _text(root.find("version")) != str(year):
            raise SystemExit(f"{root.tag} is version {_text(root.find('version'))}, not {year}")
    return {
        "year": year,
        "tables": read_tables(tables_root),
        "definitions": read_definitions(defs_root),
    }


def write(artifact: dict, out: Path) -> None:
    """Write the artifact compactly with sorted keys, so a rebuild is byte-identical."""
    out.write_text(
        json.dumps(artifact, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
        encoding="utf-8",
    )


def provenance(folder: Path, year: int, artifact: dict) -> dict:
    """Source repo, commit, path and sha256 of each input, and the counts of the artifact."""
    files = {}
    for kind, src in SOURCES.items():
        path = folder / src["file"].format(year=year)
        files[kind] = {
            "repo": src["repo"],
            "commit": src["commit"],
            "path": src["path"].format(year=year),
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "version": str(year),
        }
    rows = [r for t in artifact["tables"].values() for r in t["rows"]]
    codes = 0
    for r in rows:
        n = 1
        for v in r:
            n *= len(v)
        codes += n
    return {
        "fiscal_year": year,
        "sources": files,
        "counts": {"tables": len(artifact["tables"]), "rows": len(rows), "codes": codes},
        "built": dt.date.today().isoformat(),
    }


def main(argv: list[str] | None = None) -> int:
    """Build ``fy<YEAR>.json`` (and ``PROVENANCE.json`` unless --out says elsewhere)."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("folder", type=Path, help="folder holding the tables and definitions XML")
    p.add_argument("--year", type=int, default=2026)
    p.add_argument("--out", type=Path, default=None, help="artifact path (default beside me)")
    args = p.parse_args(argv)
    artifact = build(args.folder, args.year)
    out = args.out or HERE / f"fy{args.year}.json"
    write(artifact, out)
    if args.out is None:
        prov = provenance(args.folder, args.year, artifact)
        (HERE / "PROVENANCE.json").write_text(json.dumps(prov, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {out.name}: {prov['counts']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
