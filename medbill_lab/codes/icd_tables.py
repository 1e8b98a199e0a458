"""The ICD-10-CM index tables: Drugs and Chemicals, Neoplasms, External Causes.

Compiled from the official FY2026 XML by ``datasets/icd10cm/build_tables.py``
into ``datasets/icd10cm/tables_fy2026.json`` (loaded lazily, on first use).
A row keeps its place in the printed table: the terms it is nested under, its
cells (one code per column, as printed: "C34.9-" or "T39.1X1" still need
completing) and its "see"/"see also" references.

Which column a query means is a coding rule, written here with its source:

- Drugs (guideline I.C.19.e.5): an adverse effect of a drug correctly
  prescribed and properly taken, a poisoning (overdose, wrong drug, wrong
  route), or underdosing; "If the intent of the poisoning is unknown or
  unspecified, code the intent as accidental" (I.C.19.e.5.b).
- Neoplasms (guideline I.C.2 and the table's own columns): malignant primary,
  secondary ("metastatic to" a site), in situ, benign, uncertain or
  unspecified behaviour; "cancer", "carcinoma" and "adenocarcinoma" are
  malignant and "adenoma" benign (the Alphabetic Index sends them to the
  table's malignant and benign columns by site: written from memory, as the
  Index itself is not in the lab), a "tumor" or "growth" with no behaviour
  stated is of unspecified behaviour.

>>> row = find("drugs", "tylenol")[0]
>>> row.term, row.cells[0], cells(row)[0].code
('Acetaminophen', 'T39.1X1', 'T39.1X1A')
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

from medbill_lab.datasets import datasets_dir

TABLES = {
    "drugs": "Table of Drugs and Chemicals",
    "neoplasm": "Neoplasm Table",
    "eindex": "External Cause of Injuries Index",
}
YEARS = (2026,)  # the official tables compiled here; FY2025's are not in the lab

# Column -> the words that ask for it, in the order a query is tested against
# them: an explicit intent beats the default (accidental), which applies to any
# poisoning word.  Adverse effect and underdosing are not poisonings.
DRUG_COLUMNS = (
    (1, ("intentional", "self", "harm", "suicide", "suicidal", "attempt", "selfharm")),
    (2, ("assault", "assaulted", "homicide", "homicidal")),
    (3, ("undetermined",)),
    (5, ("underdosing", "underdose", "underdosed", "underdosage")),
    (0, ("poisoning", "poisoned", "overdose", "overdosed", "toxicity", "toxic", "accidental")),
    # Lay verbs of a poisoning: a substance taken in ("child swallowed bleach").
    (0, ("ingestion", "ingested", "swallowed", "drank")),
    (4, ("adverse", "side", "effect", "reaction", "allergic", "intolerance")),
)
DRUG_DEFAULT = 0  # accidental: I.C.19.e.5.b
# A bite or sting is a toxic effect where the Drug table lists the animal in T63
# ("Rattlesnake (venom)", "Bee (sting)"): the stemmed words that ask for it.
VENOM_WORDS = frozenset(("bite", "sting", "venom", "envenomation"))
NEOPLASM_COLUMNS = (
    (2, ("situ",)),
    (3, ("benign", "adenoma", "adenomatous", "lipoma")),
    (4, ("uncertain",)),
    (1, ("secondary", "metastatic", "metastasis", "metastase", "met", "metastasized")),
    (
        0,
        (
            *("malignant", "cancer", "carcinoma", "adenocarcinoma", "malignancy", "primary"),
            *("ca", "melanoma"),
        ),
    ),
    (5, ("neoplasm", "neoplastic", "tumor", "tumour", "growth")),
)
NEOPLASM_DEFAULT = 5  # unspecified behaviour
# Morphologies whose category is the morphology itself (Tabular, chapter 2 note:
# "for malignant melanoma ... the morphology is included in the category"): the
# site is read from the table's skin rows, and the skin category it gives is
# read as the morphology's own: word -> (site row word, {table category: category}).
MORPHOLOGY = {
    "melanoma": ("skin", {"C44": "C43", "D04": "D03"}),
    "lipoma": ("skin", {"D23": "D17"}),
}
SOURCES = {
    "drugs": "ICD-10-CM Official Guidelines I.C.19.e.5",
    "neoplasm": "ICD-10-CM Official Guidelines I.C.2; Neoplasm Table",
    "eindex": "ICD-10-CM Official Guidelines I.C.20; External Cause of Injuries Index",
}


@dataclass(frozen=True)
class Row:
    """One row of an index table."""

    table: str
    number: int
    path: tuple[str, ...]  # the titles from the main term down to this row
    cells: tuple[str, ...]
    see: str
    see_also: str

    @property
    def term(self) -> str:
        """The full term as the printed index reads it: "Fall, falling (accidental), from, ladder"."""
        return ", ".join(self.path)

    def as_dict(self) -> dict:
        """JSON-ready fields, with the columns named."""
        columns = load()[self.table]["columns"]
        return {
            "table": self.table,
            "term": self.term,
            "cells": dict(zip(columns, self.cells, strict=True)),
            "see": self.see,
            "see_also": self.see_also,
        }


@cache
def load() -> dict[str, dict]:
    """The three tables ({key: {"title", "version", "columns", "rows"}}), read once."""
    path = datasets_dir() / "icd10cm" / "tables_fy2026.json"
    return json.loads(path.read_bytes())["tables"]


def columns(table: str) -> list[str]:
    """The column headings of a table."""
    return load()[table]["columns"]


def row(table: str, number: int) -> Row:
    """Row ``number`` of ``table`` with its path from the main term."""
    rows = load()[table]["rows"]
    path, k = [], number
    while k >= 0:
        path.append(rows[k][2])
        k = rows[k][0]
    _, _, _, cells, see, see_also = rows[number]
    return Row(table, number, tuple(reversed(path)), tuple(cells), see, see_also)


def rows(table: str) -> range:
    """The row numbers of a table."""
    return range(len(load()[table]["rows"]))


@cache
def _children(table: str) -> dict[int, list[int]]:
    """Row number -> the rows nested directly under it (-1: the main terms)."""
    out: dict[int, list[int]] = {}
    for n, raw in enumerate(load()[table]["rows"]):
        out.setdefault(raw[0], []).append(n)
    return out


@cache
def _alternatives(title: str) -> frozenset[str]:
    """The ways a title is referred to: "intestine, intestinal (tract)" -> {intestine, intestinal}."""
    bare = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", title).lower()
    out = set()
    for part in bare.split(","):
        kept = [w for w in part.split() if w not in ("nec", "nos")]  # "skin NOS" is "skin"
        if kept:
            out.add(" ".join(kept))
    return frozenset(out)


@cache
def follow(table: str, reference: str) -> int | None:
    """The row a "see" or "see also" reference names within the same table, or None."""
    rows_ = load()[table]["rows"]
    children = _children(table)
    node = -1
    for part in (" ".join(p.split()).lower() for p in reference.split(",")):
        kids = [k for k in children.get(node, ()) if part in _alternatives(rows_[k][2])]
        if kids:
            node = kids[0]
        elif node < 0 or part not in _alternatives(rows_[node][2]):
            return None  # another table or index ("see Mesothelioma")
    return node if node >= 0 else None


def effective_cell(table: str, number: int, col: int) -> tuple[str, str]:
    """(code, reference followed): the printed cell, or where the row is blank
    there, the same column of the row its "see"/"see also" names (preferring a
    row of the same name below it: "colon, see also intestine, large" -> "intestine,
    large, colon")."""
    rows_ = load()[table]["rows"]
    printed = rows_[number][3][col]
    if printed:
        return printed, ""
    mine = _alternatives(rows_[number][2])
    for ref in (*rows_[number][4].split("; "), *rows_[number][5].split("; ")):
        target = follow(table, ref) if ref else None
        if target is None or target == number:
            continue
        same = [k for k in _children(table).get(target, ()) if _alternatives(rows_[k][2]) & mine]
        for k in (*same, target):
            if rows_[k][3][col]:
                return rows_[k][3][col], ref
    return "", ""


@cache
def _row_words(table: str) -> tuple[frozenset[str], ...]:
    from medbill_lab.codes.encoder import words  # the encoder's word rules, one definition

    return tuple(frozenset(words(row(table, n).term)) for n in rows(table))


def find(table: str, text: str, limit: int = 50) -> list[Row]:
    """Rows whose full term holds every word of ``text`` (abbreviations and brand
    names read through the synonym list); rows under a main term the query
    names first, then the shortest."""
    from medbill_lab.codes import encoder

    typed, _ = encoder._rewrite(encoder.raw_words(text))
    wanted = set(encoder.words(" ".join(typed)))
    if table == "neoplasm":  # every row is a "Neoplasm, neoplastic" row
        wanted -= {"neoplasm", "neoplastic"}
    if not wanted:
        return []
    found = []
    for n, have in enumerate(_row_words(table)):
        if wanted <= have:
            r = row(table, n)
            # A row under a main term the query names comes first ("Fall, ..., ladder"
            # before "Breakage, ladder (causing fall)").
            named = bool(wanted & set(encoder.words(r.path[0])))
            found.append((not named, len(r.path), len(have), n, r))
    found.sort(key=lambda f: f[:4])
    return [f[4] for f in found[:limit]]


@dataclass(frozen=True)
class Cell:
    """One cell of a row: the code as printed and the billable code it completes to."""

    column: str
    printed: str
    code: str  # "" when the cell is empty or the printed code is not in the year's tabular
    description: str
    via: str = ""  # the "see"/"see also" reference that filled a blank cell


def cells(found: Row, year: int = 2026) -> list[Cell]:
    """A row's cells, each completed to its billable code (the initial encounter
    for codes that need a 7th character, the unspecified child of a subcategory);
    a blank cell takes the code of the row its "see"/"see also" names, and says so."""
    from medbill_lab.codes import encoder, icd10cm

    icd = icd10cm.load(year)
    out = []
    for col, heading in enumerate(columns(found.table)):
        printed = found.cells[col]
        source, via = effective_cell(found.table, found.number, col)
        code = encoder.complete(source, year) if source else None
        desc = icd.descriptions[icd.index[code]] if code else ""
        out.append(Cell(heading, printed, code or "", desc, via))
    return out


def column_for(table: str, wanted: set[str] | frozenset[str], raw: list[str]) -> tuple[int, str]:
    """The column a query's words ask for, and why (the default when none does).

    ``wanted`` are the query's stemmed words; ``raw`` its words in order, for
    "metastatic from" (the primary site) versus "metastatic to" (secondary).
    """
    if table == "eindex":
        return 0, ""
    if table == "neoplasm":
        for i, w in enumerate(raw[:-1]):
            if w.startswith("metasta") and raw[i + 1] == "from":
                return 0, '"metastatic from" names the primary site'
    spec = DRUG_COLUMNS if table == "drugs" else NEOPLASM_COLUMNS
    for col, triggers in spec:
        if wanted & set(triggers):
            return col, ""
    if table == "drugs":
        return DRUG_DEFAULT, "intent not stated: accidental (I.C.19.e.5.b)"
    return NEOPLASM_DEFAULT, "behaviour not stated: unspecified behaviour"


@cache
def triggers(table: str) -> frozenset[str]:
    """Every word that chooses a column of ``table``."""
    spec = {"drugs": DRUG_COLUMNS, "neoplasm": NEOPLASM_COLUMNS}.get(table, ())
    return frozenset(w for _, ws in spec for w in ws)
