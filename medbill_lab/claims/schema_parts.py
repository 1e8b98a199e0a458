"""The pieces both claim schemas are built from: the CMS-1500's (:mod:`medbill_lab.claims.model`)
and the UB-04's (:mod:`medbill_lab.claims.institutional`), and the jsonschema plumbing
both validate with.

Every property's title names the place on its form (``Item 24F: charge``,
``FL 42: revenue code``); problem messages are built from it.  :class:`SchemaParts`
makes those properties; a form whose titles must be checked (the CMS-1500's, against
its item table) passes the check in.

>>> parts = SchemaParts()
>>> parts.text("FL 3a: patient control number", "FL 3a: the account.", maxLength=38)["description"]
'FL 3a: the account (at most 38 characters).'
>>> parts.money("FL 47: total", "FL 47: the charge")["type"]
['string', 'number']
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
MONEY_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"
MAX_TEXT = 200  # any free text the X12 files do not carry

JsonPath = tuple[str | int, ...]  # keys and list indexes from the claim's root

#: A schema ``type`` in the words a message uses ("must be text, not 12").
TYPE_WORDS = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
    "null": "null",
}


class SchemaParts:
    """Makes a form's schema properties; ``check_title`` (if given) vets each title."""

    def __init__(self, check_title: Callable[[str], object] | None = None) -> None:
        self.check_title = check_title

    def p(self, title: str, description: str, **schema: Any) -> dict:
        """One property: its title names the place on the form, and so do messages."""
        if self.check_title is not None:
            self.check_title(title)
        return {"title": title, "description": description, **schema}

    def text(self, title: str, description: str, *, required: bool = False, **schema: Any) -> dict:
        """A text property; one without a pattern, enum, const or its own maxLength is
        capped at :data:`MAX_TEXT`, and the description says the cap."""
        if "pattern" not in schema and "enum" not in schema and "const" not in schema:
            schema.setdefault("maxLength", MAX_TEXT)
        if "maxLength" in schema and "characters" not in description:
            description = f"{description.rstrip('.')} (at most {schema['maxLength']} characters)."
        required_length = {"minLength": 1} if required else {}
        return self.p(title, description, type="string", **required_length, **schema)

    def date(self, title: str, description: str, *, nullable: bool = True) -> dict:
        """A date property (YYYY-MM-DD text)."""
        kind = ["string", "null"] if nullable else "string"
        return self.p(
            title, description + " (YYYY-MM-DD)", type=kind, pattern=DATE_PATTERN, format="date"
        )

    def money(self, title: str, description: str, *, nullable: bool = False) -> dict:
        """A dollar amount, as a number or numeric text."""
        kind = ["string", "number", "null"] if nullable else ["string", "number"]
        return self.p(
            title,
            description + ' (dollars, e.g. "125.00"; at most 2 decimals; never negative)',
            type=kind,
            pattern=MONEY_PATTERN,
        )

    def boolean(self, title: str, description: str) -> dict:
        """A true/false property."""
        return self.p(title, description, type="boolean")

    def array(
        self, title: str, description: str, items: dict, limit: int, *, least: int = 0
    ) -> dict:
        """A list of at most ``limit`` (and at least ``least``) ``items``."""
        extra = {"minItems": least} if least else {}
        return self.p(title, description, type="array", maxItems=limit, items=items, **extra)

    def object(
        self,
        title: str,
        description: str,
        properties: dict,
        required: list[str],
        *,
        nullable: bool = True,
    ) -> dict:
        """An object with exactly these ``properties`` (no others)."""
        return self.p(
            title,
            description,
            type=["object", "null"] if nullable else "object",
            properties=properties,
            required=required,
            additionalProperties=False,
        )


def node_at(schema: dict, path: JsonPath) -> dict | None:
    """The schema of the value at ``path`` (None when the path leaves the schema).

    >>> node_at({"properties": {"lines": {"items": {"title": "t"}}}}, ("lines", 0))
    {'title': 't'}
    """
    node: dict | None = schema
    for key in path:
        if node is None:
            return None
        node = node.get("items") if isinstance(key, int) else node.get("properties", {}).get(key)
    return node


def value_at(data: Any, path: JsonPath) -> Any:
    """The value at ``path`` in a claim's plain data (None when absent or of another shape).

    >>> value_at({"lines": [{"code": "99213"}]}, ("lines", 0, "code")), value_at({}, ("x", 1))
    ('99213', None)
    """
    for key in path:
        if isinstance(key, int):
            data = data[key] if isinstance(data, list) and key < len(data) else None
        else:
            data = data.get(key) if isinstance(data, dict) else None
        if data is None:
            return None
    return data


def order_key(schema: dict, path: JsonPath) -> tuple[int, ...]:
    """Sort key for a problem: the schema's order of properties (roughly the form's),
    then the index in a list."""
    key: list[int] = []
    node: dict | None = schema
    for part in path:
        if isinstance(part, int):
            key.append(part)
            node = node.get("items", {}) if node else {}
            continue
        names = list((node or {}).get("properties", {}))
        key.append(names.index(part) if part in names else len(names))
        node = (node or {}).get("properties", {}).get(part, {})
    return tuple(key)


def shown(value: Any) -> str:
    """A value quoted for a one-line message, cut when long.

    >>> shown("x" * 50), shown(None), shown([1])
    ("'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'", 'null', 'a list')
    """
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    text = type(value).__name__ if isinstance(value, (dict, list)) else repr(value)
    return {"dict": "an object", "list": "a list"}.get(text, text)


def as_decimal(value: Any) -> Decimal | None:
    """A JSON number or numeric string as a Decimal (None when it is neither).

    >>> as_decimal("12.50"), as_decimal(True), as_decimal("twelve")
    (Decimal('12.50'), None, None)
    """
    if isinstance(value, bool):
        return None
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None


def draft_validator(schema: dict) -> Any:
    """A draft 2020-12 validator for ``schema``, importing jsonschema on first use.

    jsonschema's optional "iri" format checker imports rfc3987_syntax, which builds a
    grammar for seconds at import time; claim files use no such format, so that one
    optional import is skipped (jsonschema itself tolerates its absence) and
    ``medbill-lab claim check`` starts in a fraction of a second.
    """
    import sys

    hidden = "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules
    if hidden:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]
    try:
        from jsonschema import Draft202012Validator
    finally:
        if hidden:
            del sys.modules["rfc3987_syntax"]
    return Draft202012Validator(schema)
