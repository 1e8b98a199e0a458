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

from medbill_lab.codes import icd10pcs_build

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


def build(folder: Path, year: int) -> dict:
    """The artifact for one year from the two XML files in ``folder``."""
    tables_root = ET.parse(folder / SOURCES["tables"]["file"].format(year=year)).getroot()
    defs_root = ET.parse(folder / SOURCES["definitions"]["file"].format(year=year)).getroot()
    try:
        return icd10pcs_build.build(tables_root, defs_root, year)
    except ValueError as exc:  # a source the compiler refuses stops the build in one line
        raise SystemExit(str(exc)) from None


def write(artifact: dict, out: Path) -> None:
    """Write the artifact compactly with sorted keys, so a rebuild is byte-identical."""
    out.write_text(icd10pcs_build.dumps(artifact), encoding="utf-8")


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
    return {
        "fiscal_year": year,
        "sources": files,
        "counts": icd10pcs_build.counts(artifact),
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
