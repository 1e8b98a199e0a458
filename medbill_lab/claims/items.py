"""The CMS-1500 (02/12) items in one table: what each holds, the claim field behind it,
and where the 837P carries it.

The table is ``datasets/claims/cms1500_items.csv`` (its provenance is in the README
beside it); every other description of an item reads it:

* the claim file's JSON Schema (:mod:`medbill_lab.claims.model`) names only items of
  the table in its titles, so a message never names an item the form does not have;
* the printed form (:mod:`medbill_lab.claims.cms1500_pdf`) keys every box by an item
  of the table;
* the 837P crosswalk and the 999 error tracing (:mod:`medbill_lab.x12.x837p`:
  ``BOX_TO_X12``, ``ALSO_WRITTEN_AT``, ``NOT_WRITTEN``) are views of its 837P columns;
* the Clearinghouse app shows its names and fields.

An item is ``1``, ``1a`` ... ``33b``, ``24A`` ... ``24J``, or ``carrier`` (the
payer's block at the top of the form).  A box of the form, or a label in a message,
names its item with a suffix: ``21C`` (diagnosis C of item 21), ``24F.2`` (line 2),
``5.city``, ``1:medicare`` (a checkbox), ``Item 24D line 2``; :func:`item_of`
reads the item out of any of them.

>>> item("24F").name, item("24F").x12
('charges', ('2400', 'SV1', 'SV102'))
>>> item("24Z")
Traceback (most recent call last):
  ...
medbill_lab.claims.items.UnknownItem: '24Z' is not a CMS-1500 item (items: 1, 1a, 2 ... 33a, 33b, carrier)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from medbill_lab.datasets import read_csv

SOURCE = "datasets/claims/cms1500_items.csv"
X12Location = tuple[str, str, str]  # (loop, segment with an optional qualifier, element)


class UnknownItem(KeyError):
    """An item id the CMS-1500 does not have (a ``KeyError`` with a readable message)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown CMS-1500 item"


@dataclass(frozen=True)
class Item:
    """One CMS-1500 item: its id, what it holds, and where the model and the 837P keep it.

    ``field`` is the claim-model field(s) it fills (``lines[{line}].charge``: format
    ``line`` with the 0-based service line); ``x12`` its main 837P location and
    ``also_written_at`` the others; ``written_with`` the item whose 837P element
    carries it too (10a and 10c go in item 10's CLM11); ``not_written`` why the
    837P writer leaves it out, ``not_in_model`` why the claim model has no field for it.
    """

    id: str
    name: str
    field: str
    x12: X12Location | None
    also_written_at: tuple[X12Location, ...]
    written_with: str
    not_written: str
    not_in_model: str

    @property
    def in_model(self) -> bool:
        """Does the claim model (and so the claim file's schema) hold this item?"""
        return not self.not_in_model


def _locations(text: str) -> tuple[X12Location, ...]:
    """``"2010CA N4 N401-N403; 2300 REF*F8 REF02"`` as location triples."""
    out = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        loop, segment, element = part.split()
        out.append((loop, segment, element))
    return tuple(out)


@cache
def items() -> dict[str, Item]:
    """Every item of the form, in the table's order (the form's, the carrier block last)."""
    table: dict[str, Item] = {}
    for r in read_csv("claims/cms1500_items.csv"):
        where = (r["loop"], r["segment"], r["element"]) if r["loop"] else None
        table[r["item"]] = Item(
            r["item"],
            r["name"],
            r["field"],
            where,
            _locations(r["also_written_at"]),
            r["written_with"],
            r["not_written"],
            r["not_in_model"],
        )
    return table


def item(item_id: str) -> Item:
    """The item with this id; a made-up id raises :class:`UnknownItem`.

    >>> item("33b").name
    'billing provider taxonomy'
    """
    found = items().get(item_id)
    if found is None:
        ids = list(items())
        shown = ", ".join(ids[:3]) + " ... " + ", ".join(ids[-3:])
        raise UnknownItem(f"{item_id!r} is not a CMS-1500 item (items: {shown})")
    return found


def parts(item_id: str) -> list[str]:
    """The lettered items under a heading item: item 24 is 24A-24J, item 10 is 10a-10d.

    >>> parts("10"), parts("24")[:3], parts("21")
    (['10a', '10b', '10c', '10d'], ['24A', '24B', '24C'], [])
    """
    item(item_id)
    return [i for i in items() if re.fullmatch(re.escape(item_id) + r"[a-zA-L]", i)]


_LABEL = re.compile(r"^(?:Items? )?(?P<id>carrier|[0-9]{1,2}[a-dA-L]?)(?=$|[ .:,]|line|[A-L]$)")


def item_of(label: str) -> str:
    """The item a box key or a message label names; :class:`UnknownItem` when none of the table.

    >>> [item_of(k) for k in ("21C", "24F.2", "5.city", "1:medicare", "Item 24D line 2", "carrier")]
    ['21', '24F', '5', '1', '24D', 'carrier']
    >>> item_of("Item 11b: other claim ID"), item_of("Items 9, 9a, 9d: other insured")
    ('11b', '9')
    """
    match = _LABEL.match(label.strip())
    if match is None:
        raise UnknownItem(f"{label!r} names no CMS-1500 item")
    raw = match.group("id")
    if raw in items():
        return raw
    if re.fullmatch(r"21[A-L]", raw):  # one of the twelve diagnosis letters of item 21
        return "21"
    return item(raw).id  # raises UnknownItem


def items_named(title: str) -> list[str]:
    """Every item a schema title or message names (``"Items 2, 3, 5: patient"`` names three);
    :class:`UnknownItem` for a number the form does not have.

    >>> items_named("Items 32, 32a: service facility"), items_named("Item 24J: NPI")
    (['32', '32a'], ['24J'])
    >>> items_named("Carrier block: payer"), items_named("Not a CMS-1500 item")
    (['carrier'], [])
    """
    head = title.partition(":")[0]
    if head.startswith("Carrier block"):
        return ["carrier"]
    if not head.startswith("Item"):
        return []
    ids = head.split(" ", 1)[1] if " " in head else ""
    return [item_of(part) for part in (p.strip() for p in ids.split(",")) if part]
