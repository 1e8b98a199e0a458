"""Fixture release zips for ``codes import-release``, built from small official files.

``tests/data/releases/`` holds the sources (see its README):

- ``icd10cm_tabular_2026.xml``: the official CDC April 1, 2026 ICD-10-CM tabular (the file the
  shipped FY2026 was compiled from, inside the pinned simple-icd-10-cm 1.5.0 wheel), trimmed
  by :func:`trim_tabular` to four chapters and a few categories, S06 with its 7th-character
  restriction among them;
- ``icd10pcs_tables_2026.xml`` / ``icd10pcs_definitions_2026.xml``: the official CMS FY2026
  files (``../shared/codefiles/fy2026``) trimmed by :func:`trim_pcs` to four tables and the
  definitions their labels use.

The zips lay the files out as CMS and CDC publish them: nested folders, other files beside
(an index, a PDF), or the XML inside a zip inside the zip.  A zip "for 2027" is the FY2026
content with its ``<version>`` and file names set to 2027: the lab has no FY2027 files, and
what is tested is that an imported year is compiled, recorded and found.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data" / "releases"
CM_SOURCE = DATA / "icd10cm_tabular_2026.xml"
PCS_TABLES = DATA / "icd10pcs_tables_2026.xml"
PCS_DEFINITIONS = DATA / "icd10pcs_definitions_2026.xml"
#: The command a refusal names for a year that is not here (FY2027).
ADD_2027 = "medbill-lab codes import-release ZIP --year 2027"


def empty_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the lab at an empty user data folder (nothing imported) and return it."""
    folder = tmp_path / "lab-home"
    monkeypatch.setenv("MEDBILL_LAB_HOME", str(folder))
    return folder


#: what the CM fixture keeps: chapter -> section -> the categories kept in it (None: all)
CM_KEEP = {
    "4": {"E08-E13": {"E11": None}},
    "9": {"I10-I1A": {"I10": None, "I11": None, "I13": None}},
    "10": {"J09-J18": {"J18": None}},
    "19": {"S00-S09": {"S06": ("S06.0", "S06.1")}},
}
#: the PCS tables the fixture keeps (lap chole, appendectomy, a delivery, a chest X-ray)
PCS_KEEP = ("0FT", "0DT", "10E", "BW0")


def _version(xml: bytes, year: int) -> bytes:
    """The same file stating another fiscal year in its ``<version>``."""
    return re.sub(rb"<version>\d{4}</version>", f"<version>{year}</version>".encode(), xml, count=1)


def cm_tabular(year: int = 2026) -> bytes:
    """The fixture tabular, stating ``year``."""
    return _version(CM_SOURCE.read_bytes(), year)


def pcs_files(year: int = 2026) -> tuple[bytes, bytes]:
    """The fixture tables and definitions, stating ``year``."""
    return _version(PCS_TABLES.read_bytes(), year), _version(PCS_DEFINITIONS.read_bytes(), year)


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    """A zip holding ``members`` (name -> bytes), folders as the names say."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def cm_zip(folder: Path, year: int = 2027, layout: str = "cms", version: int | None = None) -> Path:
    """An ICD-10-CM release zip: ``cms`` (``<year>-code-tables-tabular-and-index.zip``, the
    tabular in a folder beside the index and a PDF) or ``cdc`` (the April update's names)."""
    xml = cm_tabular(version or year)
    if layout == "cdc":
        return write_zip(
            folder / f"icd10cm-April-1-{year}-XML.zip",
            {f"icd10cm-tabular-April-1-{year}.xml": xml, "icd10cm-index-April-1-2027.pdf": b"%PDF"},
        )
    return write_zip(
        folder / f"{year}-code-tables-tabular-and-index.zip",
        {
            f"Table and Index/icd10cm_tabular_{year}.xml": xml,
            f"Table and Index/icd10cm_index_{year}.xml": b"<ICD10CM.index/>",
            f"Table and Index/icd10cm_tabular_{year}.pdf": b"%PDF",
        },
    )


def pcs_zip(
    folder: Path, year: int = 2027, nested: bool = False, version: int | None = None
) -> Path:
    """An ICD-10-PCS release zip (``<year>-icd-10-pcs-code-tables-and-index.zip``); with
    ``nested`` the XML sits in a zip inside it, as some CMS downloads ship."""
    tables, definitions = pcs_files(version or year)
    inner = {
        f"icd10pcs_tables_{year}.xml": tables,
        f"icd10pcs_definitions_{year}.xml": definitions,
        f"icd10pcs_index_{year}.xml": b"<ICD10PCS.index/>",
        "icd10pcs_tables.xsd": b"<xs:schema/>",
    }
    name = folder / f"{year}-icd-10-pcs-code-tables-and-index.zip"
    if not nested:
        return write_zip(name, inner)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, data in inner.items():
            zf.writestr(member, data)
    return write_zip(
        name, {f"Zip File 1 {year} Code Tables.zip": buf.getvalue(), "README.txt": b""}
    )


# -- how the committed sources were trimmed (run once; the tests only read the results) ----------
def trim_tabular(xml: bytes) -> bytes:
    """The official tabular reduced to :data:`CM_KEEP`, every element kept as CDC wrote it."""
    root = ET.fromstring(xml)
    for chapter in root.findall("chapter"):
        keep = CM_KEEP.get(chapter.findtext("name", ""))
        if keep is None:
            root.remove(chapter)
            continue
        index = chapter.find("sectionIndex")
        if index is not None:
            for ref in index.findall("sectionRef"):
                if ref.get("id") not in keep:
                    index.remove(ref)
        for section in chapter.findall("section"):
            cats = keep.get(section.get("id", ""))
            if cats is None:
                chapter.remove(section)
                continue
            for diag in section.findall("diag"):
                name = diag.findtext("name", "")
                if name not in cats:
                    section.remove(diag)
                elif cats[name] is not None:
                    for sub in diag.findall("diag"):
                        if sub.findtext("name") not in cats[name]:
                            diag.remove(sub)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")


def trim_pcs(tables: bytes, definitions: bytes) -> tuple[bytes, bytes]:
    """The official tables reduced to :data:`PCS_KEEP`, and the definitions to the terms whose
    title is a label of those tables (by section and axis position)."""
    troot = ET.fromstring(tables)
    used: set[tuple[str, str, str]] = set()
    for table in troot.findall("pcsTable"):
        key = "".join(a.find("label").get("code", "") for a in table.findall("axis"))
        if key not in PCS_KEEP:
            troot.remove(table)
            continue
        for axis in table.iter("axis"):
            for label in axis.findall("label"):
                used.add((key[0], axis.get("pos", ""), " ".join((label.text or "").split())))
    droot = ET.fromstring(definitions)
    for section in droot.findall("section"):
        if section.get("code") not in {k[0] for k in PCS_KEEP}:
            droot.remove(section)
            continue
        for axis in section.findall("axis"):
            for term in axis.findall("terms"):
                titles = {" ".join((t.text or "").split()) for t in term.findall("title")}
                if not any((section.get("code"), axis.get("pos"), t) in used for t in titles):
                    axis.remove(term)
            if not axis.findall("terms"):
                section.remove(axis)
    head = b'<?xml version="1.0" encoding="utf-8"?>\n'
    return head + ET.tostring(troot, encoding="utf-8"), head + ET.tostring(droot, encoding="utf-8")
