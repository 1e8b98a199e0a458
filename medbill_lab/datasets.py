"""Where MedBill Lab's shipped data lives, and small readers for it.

Everything the lab needs at run time is in the repository's ``datasets/``
folder (or the folder named by ``MEDBILL_LAB_DATASETS``); nothing is fetched.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple


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


@cache
def read_json(relative: str) -> object:
    """A JSON file under ``datasets/``, parsed (cached: do not mutate the result)."""
    with (datasets_dir() / relative).open(encoding="utf-8") as fh:
        return json.load(fh)


class Town(NamedTuple):
    """An invented town of the lab's synthetic practice area (unpacks as name, county, ZIP)."""

    name: str
    county: str
    zip: str


@dataclass(frozen=True)
class People:
    """The lab's invented people and places (``datasets/people/names.json``), in file order.

    Seeded generators draw from these lists by position, so their order is part of every
    generated practice, fraud lab and note set: append, never reorder.  The ``tuning_*``
    lists are those of the de-identifier's tuning notes: the practice's lists first, then
    the extras the file gives them.
    """

    female_names: tuple[str, ...]
    male_names: tuple[str, ...]
    last_names: tuple[str, ...]
    streets: tuple[str, ...]
    towns: tuple[Town, ...]
    tuning_first: tuple[str, ...]
    tuning_last: tuple[str, ...]
    tuning_streets: tuple[str, ...]
    tuning_places: tuple[Town, ...]
    tuning_employers: tuple[str, ...]


@cache
def synthetic_people() -> People:
    """The one reader of the invented name and town lists every generator and the
    de-identifier use.

    >>> people = synthetic_people()
    >>> people.towns[0]
    Town(name='Harlow', county='Jackson County', zip='62901')
    >>> people.tuning_first[: len(people.female_names)] == people.female_names
    True
    """
    data = read_json("people/names.json")
    extra = data["deid_tuning_extra"]
    towns = tuple(Town(**t) for t in data["towns"])
    firsts = (*data["female_names"], *data["male_names"])
    return People(
        female_names=tuple(data["female_names"]),
        male_names=tuple(data["male_names"]),
        last_names=tuple(data["last_names"]),
        streets=tuple(data["streets"]),
        towns=towns,
        tuning_first=(*firsts, *extra["first_names"]),
        tuning_last=(*data["last_names"], *extra["last_names"]),
        tuning_streets=(*data["streets"], *extra["streets"]),
        tuning_places=(*towns, *(Town(**t) for t in extra["towns"])),
        tuning_employers=tuple(extra["employers"]),
    )
