"""Reading an official ICD-10-CM or ICD-10-PCS release zip and installing what it holds
(:func:`medbill_lab.codes.releases.import_release` calls :func:`install`).

The members are recognised by their official file names in any folder, or in a zip inside
the zip; each is checked for its year (file name and ``<version>``) and its root element,
then compiled by the same code as the shipped years and written, with its provenance, to
the user's data folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import tempfile
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from medbill_lab.codes import icd10cm_build, icd10pcs_build
from medbill_lab.codes.releases import (
    SYSTEMS,
    Imported,
    ReleaseError,
    installed_path,
    shipped_years,
)

#: what each system's release holds: member kind -> file-name pattern (basename, any case).
#: CDC's tabular is ``icd10cm-tabular-April-1-2026.xml``, CMS's ``icd10cm_tabular_2026.xml``.
MEMBERS = {
    "icd10cm": {"tabular": re.compile(r"^icd10cm?[-_ ]tabular([-_ ].*)?\.xml$", re.I)},
    "icd10pcs": {
        "tables": re.compile(r"^icd10pcs[-_ ]tables([-_ ].*)?\.xml$", re.I),
        "definitions": re.compile(r"^icd10pcs[-_ ]definitions([-_ ].*)?\.xml$", re.I),
    },
}
#: the root element each member must have (the official XML schemas' roots)
ROOTS = {
    "tabular": "ICD10CM.tabular",
    "tables": "ICD10PCS.tabular",
    "definitions": "ICD10PCS.definitions",
}
#: the fiscal years the command accepts (ICD-10 began in the US on October 1, 2015: FY2016)
FIRST_YEAR, LAST_YEAR = 2016, 2100
#: the largest member read (the FY2026 tabular is 10 MB): a bigger one is not a code set
MAX_MEMBER = 200 * 1024 * 1024
_YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


# -- reading a release zip ------------------------------------------------------------------
def _open_zip(source: Path | bytes, label: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except FileNotFoundError:
        raise ReleaseError(f"no such file: {label}") from None
    except IsADirectoryError:
        raise ReleaseError(f"{label} is a folder, not a release zip") from None
    except zipfile.BadZipFile:
        raise ReleaseError(f"{label} is not a zip file (a CMS/CDC code-set release is)") from None


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo, label: str) -> bytes:
    if info.file_size > MAX_MEMBER:
        raise ReleaseError(f"{info.filename} in {label} is {info.file_size:,} bytes: too big")
    try:
        return zf.read(info)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError) as exc:
        raise ReleaseError(f"cannot read {info.filename} from {label}: {exc}") from None


def _members(zf: zipfile.ZipFile, label: str, prefix: str = "") -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of every recognised member, one level of nested zips included (a nested
    member is named ``inner.zip/folder/file.xml``)."""
    for info in zf.infolist():
        base = info.filename.rsplit("/", 1)[-1]
        if info.is_dir() or base.startswith("._") or "__MACOSX/" in info.filename:
            continue
        if _kind(base):
            yield prefix + info.filename, _read(zf, info, label)
        elif base.lower().endswith(".zip") and not prefix:
            inner = _open_zip(_read(zf, info, label), f"{info.filename} in {label}")
            yield from _members(inner, f"{info.filename} in {label}", info.filename + "/")


def _kind(base: str) -> tuple[str, str] | None:
    """(system, member kind) a file name is, or None."""
    for system, kinds in MEMBERS.items():
        for kind, pattern in kinds.items():
            if pattern.match(base):
                return system, kind
    return None


def _file_names(zf: zipfile.ZipFile) -> list[str]:
    return [i.filename for i in zf.infolist() if not i.is_dir()]


def _check_name_year(name: str, year: int) -> None:
    """A member named for another year (icd10cm_tabular_2026.xml given --year 2027) is refused."""
    named = _YEAR_IN_NAME.findall(name.rsplit("/", 1)[-1])
    if named and str(year) not in named:
        raise ReleaseError(
            f"{name.rsplit('/', 1)[-1]} is the FY{named[-1]} file, not FY{year}: "
            f"check --year (or the zip: it holds FY{named[-1]})"
        )


def _parse(name: str, data: bytes, kind: str, label: str) -> ET.Element:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ReleaseError(f"{name} in {label} is not well-formed XML ({exc})") from None
    if root.tag != ROOTS[kind]:
        raise ReleaseError(f"{name} in {label} is <{root.tag}>, not the official <{ROOTS[kind]}>")
    return root


def _one(found: dict[str, list[tuple[str, bytes]]], kind: str, system: str, label: str):
    items = found.get(kind, [])
    if len(items) != 1:
        listed = ", ".join(n for n, _ in items) or "none"
        raise ReleaseError(
            f"{label} holds {len(items)} {SYSTEMS[system]} {kind} files ({listed}); expected one"
        )
    return items[0]


# -- compiling ----------------------------------------------------------------------------
def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _compile_cm(found: dict, year: int, label: str) -> tuple[str, dict]:
    name, data = _one(found, "tabular", "icd10cm", label)
    _check_name_year(name, year)
    _parse(name, data, "tabular", label)
    try:
        artifact = icd10cm_build.build_from_xml(data)
    except (ValueError, KeyError, TypeError) as exc:
        raise ReleaseError(f"{name} in {label} cannot be compiled: {exc}") from None
    if artifact["tabular_version"] != str(year):
        raise ReleaseError(
            f"{name} in {label} is the ICD-10-CM tabular version "
            f"{artifact['tabular_version'] or '(unstated)'}, not {year}"
        )
    base = name.rsplit("/", 1)[-1].lower()
    release = f"FY{year}, April 1, {year} update" if "april" in base else f"FY{year}"
    artifact["fiscal_year"] = year
    artifact["release"] = f"{release} (imported from {label})"
    entry = {
        "fiscal_year": year,
        "release": artifact["release"],
        "source_file": name,
        "source_file_sha256": _sha(data),
        "tabular_version": artifact["tabular_version"],
        **icd10cm_build.counts(artifact),
        "build_date": dt.date.today().isoformat(),
    }
    return icd10cm_build.dumps(artifact), entry


def _compile_pcs(found: dict, year: int, label: str) -> tuple[str, dict]:
    roots, sources = {}, {}
    files = {kind: _one(found, kind, "icd10pcs", label) for kind in ("tables", "definitions")}
    for kind, (name, data) in files.items():
        _check_name_year(name, year)
        roots[kind] = _parse(name, data, kind, label)
        stated = icd10pcs_build.version(roots[kind])
        if stated != str(year):
            raise ReleaseError(
                f"{name} in {label} is ICD-10-PCS version {stated or '(unstated)'}, not {year}"
            )
        sources[kind] = {"zip": label, "path": name, "sha256": _sha(data), "version": stated}
    try:
        artifact = icd10pcs_build.build(roots["tables"], roots["definitions"], year)
    except (ValueError, KeyError, TypeError) as exc:
        raise ReleaseError(f"the ICD-10-PCS files in {label} cannot be compiled: {exc}") from None
    entry = {
        "fiscal_year": year,
        "sources": sources,
        "counts": icd10pcs_build.counts(artifact),
        "built": dt.date.today().isoformat(),
    }
    return icd10pcs_build.dumps(artifact), entry


_COMPILERS = {"icd10cm": _compile_cm, "icd10pcs": _compile_pcs}


def _write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False) as tmp:
        tmp.write(text)
    os.replace(tmp.name, path)


def install(zip_path: str | os.PathLike[str], year: int) -> list[Imported]:
    """Compile the code set(s) an official release zip holds into the user's data folder.

    Returns what was installed (one entry per system the zip holds).  Raises ReleaseError,
    in one line, for a missing file, a file that is not a zip, a zip holding no ICD-10-CM
    tabular nor ICD-10-PCS tables + definitions, a member named for or stating another
    year than ``year``, malformed XML, or a year the lab already ships.
    """
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ReleaseError(f"--year {year}: a fiscal year from {FIRST_YEAR} on, like 2027")
    path = Path(zip_path).expanduser()
    label = path.name
    with _open_zip(path, str(zip_path)) as zf:
        names = _file_names(zf)
        found: dict[str, dict[str, list[tuple[str, bytes]]]] = {}
        for name, data in _members(zf, label):
            system, kind = _kind(name.rsplit("/", 1)[-1])  # type: ignore[misc]
            found.setdefault(system, {}).setdefault(kind, []).append((name, data))
    if not found:
        raise ReleaseError(
            f"{label} holds no ICD-10-CM tabular (icd10cm_tabular_{year}.xml) nor ICD-10-PCS "
            f"tables and definitions (icd10pcs_tables_{year}.xml, icd10pcs_definitions_{year}.xml)"
        )
    for system in found:
        if year in shipped_years(system):
            raise ReleaseError(
                f"{SYSTEMS[system]} FY{year} ships with the lab (datasets/{system}); "
                "import-release adds the years it does not ship"
            )
    compiled = {s: _COMPILERS[s](found[s], year, label) for s in sorted(found)}
    zip_sha = _sha(path.read_bytes())
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    return [
        _install(s, year, text, entry, label, zip_sha, names, now)
        for s, (text, entry) in compiled.items()
    ]


def _install(
    system: str, year: int, text: str, entry: dict, label: str, zip_sha: str, names: list, now: str
) -> Imported:
    """Write the artifact, then its PROVENANCE.json entry (keyed by year, as the shipped ones)."""
    out = installed_path(system, year)
    _write_atomic(out, text)
    entry = {
        **entry,
        "artifact": out.name,
        "artifact_sha256": _sha(text.encode("utf-8")),
        "source_zip": label,
        "source_zip_sha256": zip_sha,
        "members": names,
        "imported_at": now,
    }
    prov_path = out.parent / "PROVENANCE.json"
    try:
        provenance = json.loads(prov_path.read_text("utf-8")) if prov_path.exists() else {}
    except ValueError:
        provenance = {}  # a damaged record is rewritten from what is installed now
    provenance[str(year)] = entry
    _write_atomic(prov_path, json.dumps(dict(sorted(provenance.items())), indent=2) + "\n")
    return Imported(system, year, out, entry)
