"""Build the ICD-10-PCS search data: the FY2025 index, checked against the FY2026 tables, and
the FY2026 body part, device and substance keys and root-operation explanations.

**The index is FY2025 while the tables are FY2026.**  CMS's FY2026 index is not available
here (see ``../shared/codefiles/SOURCES.md``), so every index entry that points to a code,
a partial code or a table is checked against the FY2026 tables (``fy2026.json``, built by
``build_icd10pcs.py``): an entry whose target no longer exists in FY2026 is dropped and
listed, with the reason, under ``dropped`` in the artifact (counted in the build output and
in ``PROVENANCE_index.json``).

The index is flattened into entries ``{"t": [main term, subterm, ...], "code": target,
"see": text, "use": text}``: ``code`` is what the entry points to (3 to 7 characters),
``see`` a cross-reference (with or without a target), ``use`` a body part, device or
substance key entry ("Appendiceal orifice: use Appendix").  Run it again and it writes a
byte-identical ``index_fy2025.json`` (the build date lives only in the provenance).

Usage (from the repository root; CI keeps ``../shared/codefiles`` beside the clone)::

    python datasets/icd10pcs/build_pcs_index.py ../shared/codefiles

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
INDEX_YEAR = 2025
TABLES_YEAR = 2026

# Where each source file came from (see ../shared/codefiles/SOURCES.md).
SOURCES = {
    "index": {
        "file": "fy2025/icd10pcs_index_2025.xml",
        "repo": "paul2BULH/macbook_m4",
        "commit": "b756553a5dbf7b61db09406c5e9b13fdc6b8c1fe",
        "path": "data/icd10pcs_index_2025.xml",
        "version": "2025",
    },
    "definitions": {
        "file": "fy2026/icd10pcs_definitions_2026.xml",
        "repo": "GoncaloVCorreia/Deep-Agents",
        "commit": "1aa9946b63b8ec778aa4f3d27b6c0c01b30aaac9",
        "path": "data/icd10pcs_definitions_2026.xml",
        "version": "2026",
    },
}


def _text(node: ET.Element | None) -> str:
    return " ".join((node.text or "").split()) if node is not None else ""


def _target(node: ET.Element) -> str:
    """The code, partial code or table a node (or its see/use child) points to, or ''."""
    for tag in ("code", "codes", "tab"):
        child = node.find(tag)
        if child is not None:
            return _text(child).upper()
    return ""


def _entries(node: ET.Element, path: list[str], out: list[dict]) -> None:
    """Flatten one main term or subterm (and all below it) into entries."""
    title = _text(node.find("title"))
    here = [*path, title] if title else path
    target = _target(node)
    if target:
        out.append({"t": here, "code": target})
    for kind in ("see", "use"):
        for ref in node.findall(kind):
            entry = {"t": here, kind: _text(ref)}
            ref_target = _target(ref)
            if ref_target:
                entry["code"] = ref_target
            out.append(entry)
    for term in node.findall("term"):
        _entries(term, here, out)


def read_index(root: ET.Element) -> list[dict]:
    """Every entry of the index, in its printed order."""
    out: list[dict] = []
    for letter in root.findall("letter"):
        for main in letter.findall("mainTerm"):
            _entries(main, [], out)
    return out


def prefix_reason(prefix: str, tables: dict) -> str:
    """'' when some FY2026 code starts with ``prefix``, else why none does."""
    if not any(key.startswith(prefix[:3]) for key in tables):
        return f"no table starts {prefix[:3]} in FY{TABLES_YEAR}"
    if len(prefix) <= 3:
        return ""
    rows = tables[prefix[:3]]["rows"]
    if any(all(prefix[i] in row[i - 3] for i in range(3, len(prefix))) for row in rows):
        return ""
    return f"no row of table {prefix[:3]} in FY{TABLES_YEAR} allows {prefix[3:]}"


def check(entries: list[dict], tables: dict) -> tuple[list[dict], list[dict]]:
    """Split the entries into those whose target exists in the FY2026 tables and the
    dropped ones (each with its reason)."""
    kept, dropped = [], []
    for entry in entries:
        target = entry.get("code", "")
        reason = prefix_reason(target, tables) if target else ""
        if reason:
            dropped.append({**entry, "reason": reason})
        else:
            kept.append(entry)
    return kept, dropped


def read_keys(root: ET.Element) -> dict:
    """The definitions' keys and explanations: ``{section: {position: {title: {...}}}}`` with
    ``includes`` (body part, device and substance keys: the words a record uses for the
    table's value) and, for root operations, ``explanation``."""
    out: dict[str, dict[str, dict[str, dict]]] = {}
    for section in root.findall("section"):
        for axis in section.findall("axis"):
            for term in axis.findall("terms"):
                info = {}
                includes = [_text(i) for i in term.findall("includes") if _text(i)]
                if includes:
                    info["includes"] = includes
                if _text(term.find("explanation")):
                    info["explanation"] = _text(term.find("explanation"))
                if not info:
                    continue
                for title in term.findall("title"):
                    out.setdefault(section.get("code", ""), {}).setdefault(axis.get("pos", ""), {})[
                        _text(title)
                    ] = info
    return out


def build(codefiles: Path, tables: dict) -> dict:
    """The search artifact from the index and definitions XML under ``codefiles``."""
    index_root = ET.parse(codefiles / SOURCES["index"]["file"]).getroot()
    defs_root = ET.parse(codefiles / SOURCES["definitions"]["file"]).getroot()
    for kind, root in (("index", index_root), ("definitions", defs_root)):
        if _text(root.find("version")) != SOURCES[kind]["version"]:
            raise SystemExit(f"{kind}: version {_text(root.find('version'))} is not expected")
    kept, dropped = check(read_index(index_root), tables)
    return {
        "index_year": INDEX_YEAR,
        "tables_year": TABLES_YEAR,
        "index": kept,
        "dropped": dropped,
        "keys": read_keys(defs_root),
    }


def provenance(codefiles: Path, artifact: dict) -> dict:
    """Source repo, commit, path and sha256 of each input, and what was kept and dropped."""
    files = {}
    for kind, src in SOURCES.items():
        path = codefiles / src["file"]
        files[kind] = {
            "repo": src["repo"],
            "commit": src["commit"],
            "path": src["path"],
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "version": src["version"],
        }
    index = artifact["index"]
    return {
        "note": f"index FY{INDEX_YEAR} checked against the FY{TABLES_YEAR} tables",
        "sources": files,
        "counts": {
            "entries": len(index) + len(artifact["dropped"]),
            "kept": len(index),
            "with_target": sum(1 for e in index if "code" in e),
            "dropped_not_in_fy2026": len(artifact["dropped"]),
        },
        "built": dt.date.today().isoformat(),
    }


def main(argv: list[str] | None = None) -> int:
    """Build ``index_fy2025.json`` and ``PROVENANCE_index.json`` beside this script."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("codefiles", type=Path, help="folder holding fy2025/ and fy2026/")
    args = p.parse_args(argv)
    tables = json.loads((HERE / f"fy{TABLES_YEAR}.json").read_bytes())["tables"]
    artifact = build(args.codefiles, tables)
    out = HERE / f"index_fy{INDEX_YEAR}.json"
    out.write_text(
        json.dumps(artifact, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
        encoding="utf-8",
    )
    prov = provenance(args.codefiles, artifact)
    (HERE / "PROVENANCE_index.json").write_text(json.dumps(prov, indent=2) + "\n", "utf-8")
    print(f"wrote {out.name}: {prov['counts']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
