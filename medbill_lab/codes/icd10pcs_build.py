"""Compile the official ICD-10-PCS tables and definitions XML (CMS ``icd10pcs_tables_YYYY.xml``
and ``icd10pcs_definitions_YYYY.xml``) into MedBill Lab's compact artifact, which
:mod:`icd10pcs` loads.

CMS publishes ICD-10-PCS as tables: each fixes the first three characters (section, body
system, root operation) and its rows list the values allowed for characters 4-7.  The
artifact keeps the tables, not the codes; the package derives each code and its title.
One piece serves both the shipped year (``datasets/icd10pcs/build_icd10pcs.py``) and the
years an instructor imports from a release zip (:mod:`medbill_lab.codes.releases`).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from medbill_lab.codes import icd10pcs


def _text(node: ET.Element | None) -> str:
    return " ".join((node.text or "").split()) if node is not None else ""


def _labels(axis: ET.Element) -> dict[str, str]:
    return {lab.get("code", ""): _text(lab) for lab in axis.findall("label")}


def _first_code(axis: ET.Element) -> str:
    label = axis.find("label")
    return label.get("code", "") if label is not None else ""


def version(root: ET.Element) -> str:
    """The ``<version>`` a tables or definitions file states (its fiscal year)."""
    return _text(root.find("version"))


def read_tables(root: ET.Element) -> dict:
    """The tables as ``{key: {"titles": [7 axis names], "labels": [3], "rows": [[4 dicts]]}}``.

    ValueError when a table is not three axes, repeats a key, has a row whose axes differ
    from the others' or a row whose stated code count differs from its values.
    """
    tables: dict[str, dict] = {}
    for table in root.findall("pcsTable"):
        head = table.findall("axis")
        key = "".join(_first_code(a) for a in head)
        if len(key) != 3 or key in tables:
            raise ValueError(f"table {key!r}: not three axes, or a duplicate")
        titles = [_text(a.find("title")) for a in head]
        rows = []
        for row in table.findall("pcsRow"):
            axes = sorted(row.findall("axis"), key=lambda a: int(a.get("pos", "0")))
            row_titles = [_text(a.find("title")) for a in axes]
            if len(axes) != 4 or (len(titles) == 7 and titles[3:] != row_titles):
                raise ValueError(f"table {key}: a row with other axes {row_titles}")
            titles[3:] = row_titles
            values = [_labels(a) for a in axes]
            expected = icd10pcs.row_size(values)
            if str(expected) != row.get("codes"):
                raise ValueError(
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


def build(tables_root: ET.Element, definitions_root: ET.Element, year: int) -> dict:
    """The artifact for one year; ValueError when a file states another version than ``year``."""
    for root in (tables_root, definitions_root):
        if version(root) != str(year):
            raise ValueError(f"{root.tag} is version {version(root) or 'unstated'}, not {year}")
    return {
        "year": year,
        "tables": read_tables(tables_root),
        "definitions": read_definitions(definitions_root),
    }


def dumps(artifact: dict) -> str:
    """Compact JSON with sorted keys and a final newline, so a rebuild is byte-identical."""
    return json.dumps(artifact, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def counts(artifact: dict) -> dict[str, int]:
    """Tables, rows and codes (every combination inside one row) of an artifact."""
    return icd10pcs.table_counts(artifact["tables"])
