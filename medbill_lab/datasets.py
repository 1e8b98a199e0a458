"""Where MedBill Lab's shipped data lives, and small readers for it.

Everything the lab needs at run time is in the repository's ``datasets/``
folder (or the folder named by ``MEDBILL_LAB_DATASETS``); nothing is fetched.
"""

from __future__ import annotations

import csv
import os
from functools import cache
from pathlib import Path


def project_root() -> Path:
    """The checkout this package runs from: lessons, apps and exercises live beside it.

    >>> (project_root() / "medbill_lab").is_dir()
    True
    """
    return Path(__file__).resolve().parents[1]


def datasets_dir() -> Path:
    """The folder holding code sets, synonyms and cases.

    >>> (datasets_dir() / "icd10cm").is_dir()
    True
    """
    override = os.environ.get("MEDBILL_LAB_DATASETS")
    return Path(override) if override else project_root() / "datasets"


@cache
def read_csv(relative: str) -> tuple[dict[str, str], ...]:
    """Rows of a CSV file under ``datasets/``, as dicts (cached: the files are read-only data)."""
    with (datasets_dir() / relative).open(newline="", encoding="utf-8") as fh:
        return tuple(csv.DictReader(fh))
