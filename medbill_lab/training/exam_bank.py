"""The certification-practice question bank: load it, check it, count it.

The bank is a folder of JSON files, one per domain (``datasets/exam_bank/<domain>.json``
by default; ``$MEDBILL_LAB_EXAM_BANK`` or a ``folder`` argument points elsewhere, e.g.
an instructor's private bank in the same format).  Each file is::

    {"domain": "icd10cm", "title": "ICD-10-CM", "provenance": "...", "items": [...]}

and each item has an ``id`` (``ICD-001``; the prefix names the domain), ``domain``,
``topic``, ``exams`` (a subset of CPC, CCA, CBCS), ``type`` (``choice``: options A-D,
one right; ``code``: the learner types codes, ``system`` saying which code set),
``stem``, ``answer`` (a letter, or codes in reporting order), optional ``accept``
(other complete code answers), ``rationale``, optional ``distractors`` (why each
wrong option is wrong), ``rule`` (the guideline or manual behind the answer) and
``difficulty``.  A file that breaks the format is refused with one line naming the
file, the item and the field.

>>> bank = load(datasets_dir().parent / "tests" / "data" / "exam_bank_fixture")
>>> sorted(bank.domains()), len(bank.items)
(['billing', 'icd10cm'], 12)
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from medbill_lab.datasets import datasets_dir

DOMAINS = {  # domain -> (id prefix, what it covers)
    "terminology": ("TERM", "Medical terminology and anatomy"),
    "icd10cm": ("ICD", "ICD-10-CM"),
    "cpt": ("CPT", "CPT sections"),
    "hcpcs_modifiers": ("HCM", "HCPCS Level II and modifiers"),
    "compliance": ("CMP", "Compliance and regulation"),
    "billing": ("BIL", "Billing and reimbursement"),
    "inpatient": ("INP", "Inpatient coding (ICD-10-PCS, MS-DRG, POA, UB-04)"),
}
EXAMS = ("CPC", "CCA", "CBCS")
TYPES = ("choice", "code")
SYSTEMS = ("icd10cm", "cpt", "hcpcs", "icd10pcs", "modifier")
LETTERS = ("A", "B", "C", "D")
DIFFICULTIES = ("easy", "medium", "hard")
_ID = re.compile(r"^([A-Z]+)-(\d{3,})$")


class BankError(ValueError):
    """A bank file or item that breaks the format; the message is one line."""


@dataclass(frozen=True)
class Item:
    """One question of the bank (see the module docstring for the fields)."""

    id: str
    domain: str
    topic: str
    exams: tuple[str, ...]
    type: str
    stem: str
    answer: str | tuple[str, ...]
    rationale: str
    rule: str
    difficulty: str
    choices: Mapping[str, str] | None = None
    distractors: Mapping[str, str] | None = None
    system: str | None = None
    accept: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Bank:
    """The loaded bank: its items (in file, then item order) and each domain's title."""

    items: tuple[Item, ...]
    titles: Mapping[str, str]
    folder: Path

    def domains(self) -> list[str]:
        """The domains that have items, in the order of :data:`DOMAINS`."""
        present = {i.domain for i in self.items}
        return [d for d in DOMAINS if d in present]

    def item(self, item_id: str) -> Item:
        """The item with this id (``KeyError`` if the bank has none)."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def counts(self) -> dict[str, dict[str, int]]:
        """Items by domain and type: ``{"icd10cm": {"choice": 30, "code": 20, "total": 50}, ...}``."""
        out: dict[str, dict[str, int]] = {}
        for domain in self.domains():
            types = Counter(i.type for i in self.items if i.domain == domain)
            out[domain] = {t: types.get(t, 0) for t in TYPES} | {"total": sum(types.values())}
        return out


def default_folder() -> Path:
    """Where the bank is read from: ``$MEDBILL_LAB_EXAM_BANK``, else ``datasets/exam_bank``."""
    override = os.environ.get("MEDBILL_LAB_EXAM_BANK")
    return Path(override) if override else datasets_dir() / "exam_bank"


def is_public(folder: str | Path | None) -> bool:
    """Whether ``folder`` (``None``: the default one) is the bank shipped with the lab,
    whose answers anyone who has the lab can read."""
    chosen = Path(folder) if folder is not None else default_folder()
    return chosen.resolve() == (datasets_dir() / "exam_bank").resolve()


def _text(raw: Mapping, key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise BankError(f"{where}: '{key}' must be non-empty text")
    return value.strip()


def _codes(value: object, where: str, key: str) -> tuple[str, ...]:
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(c, str) and c.strip() for c in value)
    ):
        raise BankError(f"{where}: '{key}' must be a non-empty list of codes")
    return tuple(c.strip() for c in value)


def _choice_fields(raw: Mapping, where: str) -> dict:
    choices = raw.get("choices")
    if not isinstance(choices, dict) or sorted(choices) != list(LETTERS):
        raise BankError(f"{where}: 'choices' must have exactly the options A, B, C and D")
    texts = [_text(choices, k, f"{where} choice") for k in LETTERS]
    if len({t.casefold() for t in texts}) != len(texts):
        raise BankError(f"{where}: two choices have the same text")
    answer = raw.get("answer")
    if answer not in LETTERS:
        raise BankError(f"{where}: 'answer' must be one of A, B, C, D")
    distractors = raw.get("distractors") or {}
    if not isinstance(distractors, dict) or not set(distractors) <= set(LETTERS) - {answer}:
        raise BankError(f"{where}: 'distractors' may explain only the wrong options")
    return {
        "choices": dict(zip(LETTERS, texts, strict=True)),
        "answer": answer,
        "distractors": {k: _text(distractors, k, f"{where} distractor") for k in distractors}
        or None,
    }


def _code_fields(raw: Mapping, where: str) -> dict:
    system = raw.get("system")
    if system not in SYSTEMS:
        raise BankError(f"{where}: 'system' must be one of {', '.join(SYSTEMS)}")
    accept = raw.get("accept") or []
    if not isinstance(accept, list):
        raise BankError(f"{where}: 'accept' must be a list of code lists")
    return {
        "system": system,
        "answer": _codes(raw.get("answer"), where, "answer"),
        "accept": tuple(_codes(a, where, "accept") for a in accept),
    }


def parse_item(raw: object, domain: str, where: str) -> Item:
    """One item from its JSON object, checked against the format (``BankError`` if not)."""
    if not isinstance(raw, dict):
        raise BankError(f"{where}: an item must be a JSON object")
    item_id = _text(raw, "id", where)
    where = f"{where} {item_id}"
    match = _ID.match(item_id)
    if not match or match.group(1) != DOMAINS[domain][0]:
        raise BankError(f"{where}: the id must look like {DOMAINS[domain][0]}-001 in {domain}")
    if raw.get("domain") != domain:
        raise BankError(f"{where}: 'domain' must be the file's domain, {domain}")
    exams = raw.get("exams")
    if not isinstance(exams, list) or not exams or not set(exams) <= set(EXAMS):
        raise BankError(f"{where}: 'exams' must be a non-empty list from {', '.join(EXAMS)}")
    kind = raw.get("type")
    if kind not in TYPES:
        raise BankError(f"{where}: 'type' must be choice or code")
    if raw.get("difficulty") not in DIFFICULTIES:
        raise BankError(f"{where}: 'difficulty' must be easy, medium or hard")
    fields = _choice_fields(raw, where) if kind == "choice" else _code_fields(raw, where)
    return Item(
        id=item_id,
        domain=domain,
        topic=_text(raw, "topic", where),
        exams=tuple(e for e in EXAMS if e in exams),
        type=kind,
        stem=_text(raw, "stem", where),
        rationale=_text(raw, "rationale", where),
        rule=_text(raw, "rule", where),
        difficulty=raw["difficulty"],
        **fields,
    )


def load_file(path: Path) -> tuple[str, str, list[Item]]:
    """A domain file's (domain, title, items), or ``BankError`` naming what is wrong."""
    where = path.name
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BankError(f"{where}: cannot be read ({exc.__class__.__name__})") from None
    except json.JSONDecodeError as exc:
        raise BankError(f"{where}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(raw, dict):
        raise BankError(f"{where}: must be a JSON object with domain, title and items")
    domain = raw.get("domain")
    if domain not in DOMAINS:
        raise BankError(f"{where}: 'domain' must be one of {', '.join(DOMAINS)}")
    if path.stem != domain:
        raise BankError(f"{where}: a {domain} bank must be named {domain}.json")
    title = _text(raw, "title", where)
    _text(raw, "provenance", where)
    items = raw.get("items")
    if not isinstance(items, list) or not items:
        raise BankError(f"{where}: 'items' must be a non-empty list")
    return domain, title, [parse_item(r, domain, f"{where}: item") for r in items]


def load(folder: str | Path | None = None) -> Bank:
    """Every ``*.json`` domain file of the folder, checked: ids unique across the bank."""
    folder = Path(folder) if folder is not None else default_folder()
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not files:
        raise BankError(f"no exam bank files (*.json) in {folder}")
    items: list[Item] = []
    titles: dict[str, str] = {}
    seen: dict[str, str] = {}
    for path in files:
        domain, title, file_items = load_file(path)
        titles[domain] = title
        for item in file_items:
            if item.id in seen:
                raise BankError(f"{path.name}: item id {item.id} is also in {seen[item.id]}")
            seen[item.id] = path.name
        items += file_items
    return Bank(items=tuple(items), titles=titles, folder=folder)
