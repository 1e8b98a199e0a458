"""Code-set years an instructor adds: compile an official ICD-10-CM or ICD-10-PCS release zip,
as downloaded from CMS or CDC, into the user's data folder, and find the years installed there.

The lab ships ICD-10-CM FY2025/FY2026 and ICD-10-PCS FY2026 in ``datasets/``.  A new fiscal
year starts every October 1 (a date of service on 2026-10-01 is FY2027), and the lab never
validates such a date against last year's codes: :func:`missing_year_message` says how to add
the year, and :func:`import_release` adds it.  The zip is read as CMS/CDC publish it, folders
nested or not: the ICD-10-CM tabular (``icd10cm_tabular_2027.xml``,
``icd10cm-tabular-April-1-2027.xml``) or the ICD-10-PCS tables and definitions
(``icd10pcs_tables_2027.xml`` + ``icd10pcs_definitions_2027.xml``).  The compilers are the ones
that built the shipped years (:mod:`icd10cm_build`, :mod:`icd10pcs_build`), so the artifact is
in the same format, and ``PROVENANCE.json`` beside it names the zip, its sha256, its members,
the file compiled, the year and when it was imported.

The data folder is ``$MEDBILL_LAB_HOME`` (else ``~/.medbill_lab``), where the practice
database and flashcard progress also live; code sets go under ``codesets/<system>/``.
"""

from __future__ import annotations

import importlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

SYSTEMS = {"icd10cm": "ICD-10-CM", "icd10pcs": "ICD-10-PCS"}
_ARTIFACT = re.compile(r"^fy(\d{4})\.json$")


class ReleaseError(ValueError):
    """A release zip that cannot be imported, said in one line."""


@dataclass(frozen=True)
class Imported:
    """One code set compiled from a release zip: where it went and its provenance entry."""

    system: str
    year: int
    artifact: Path
    provenance: dict = field(default_factory=dict)

    def __str__(self) -> str:
        counts = self.provenance.get("counts") or {
            k: self.provenance[k] for k in ("items", "billable") if k in self.provenance
        }
        said = ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in counts.items())
        return f"{SYSTEMS[self.system]} FY{self.year} installed ({said}): {self.artifact}"


# -- where the imported years live ----------------------------------------------------------
def lab_home() -> Path:
    """The user's data folder: ``$MEDBILL_LAB_HOME``, else ``~/.medbill_lab``."""
    home = os.environ.get("MEDBILL_LAB_HOME")
    return Path(home).expanduser() if home else Path.home() / ".medbill_lab"


def installed_dir(system: str) -> Path:
    """The folder holding a system's imported years (``<lab home>/codesets/<system>``)."""
    return lab_home() / "codesets" / system


def installed_path(system: str, year: int) -> Path:
    """Where an imported year's artifact is (whether or not it exists)."""
    return installed_dir(system) / f"fy{year}.json"


def installed_years(system: str) -> tuple[int, ...]:
    """The years of a system imported into the user's data folder, in order."""
    try:
        names = os.listdir(installed_dir(system))
    except OSError:
        return ()
    return tuple(sorted(int(m[1]) for m in map(_ARTIFACT.match, names) if m))


def missing_year_message(system: str, year: int, date_of_service: str = "") -> str:
    """One line: the year is not installed, and the command that adds it.

    >>> missing_year_message("icd10pcs", 2027)
    'no ICD-10-PCS code set for FY2027 is installed (the lab ships FY2026); add it with: medbill-lab codes import-release ZIP --year 2027, ZIP being the official release zip from CMS or CDC'
    """
    name, shipped = SYSTEMS[system], shipped_years(system)
    ships = f"FY{shipped[0]}" + (f"-FY{shipped[-1]}" if len(shipped) > 1 else "")
    where = f"date of service {date_of_service} is in FY{year}: " if date_of_service else ""
    return (
        f"{where}no {name} code set for FY{year} is installed (the lab ships {ships}); add it "
        f"with: medbill-lab codes import-release ZIP --year {year}, ZIP being the official "
        "release zip from CMS or CDC"
    )


def shipped_years(system: str) -> tuple[int, ...]:
    """The years of a system the lab ships in ``datasets/``."""
    # Imported here: icd10cm and icd10pcs import this module to find installed years.
    return importlib.import_module(f"medbill_lab.codes.{system}").YEARS


def import_release(zip_path: str | os.PathLike[str], year: int) -> list[Imported]:
    """Compile the code set(s) an official release zip holds into the user's data folder.

    Returns what was installed (one entry per system the zip holds).  Raises ReleaseError,
    in one line, for a missing file, a file that is not a zip, a zip holding no ICD-10-CM
    tabular nor ICD-10-PCS tables + definitions, a member named for or stating another
    year than ``year``, malformed XML, or a year the lab already ships.
    """
    # Imported here: the zip reader and the XML compilers are needed only to import, and
    # every code-set load imports this module for the paths above.
    from medbill_lab.codes import release_zip

    return release_zip.install(zip_path, year)
