"""The Claim builder's form, walked from the claim schema: one field per CMS-1500 item.

Every property of :func:`medbill_lab.claims.model.claim_schema` (but ``$schema``) gets a
field, so an item added to the model appears in the form.  A field reads what a biller
types (dates as MM/DD/YYYY or YYYY-MM-DD, "$1,250.00", "E11.9, I10", "Y" for a box) and
turns it into the claim's plain data; what it cannot read becomes a problem naming the item.

:func:`scrub_what_loads` runs the scrubber on a claim with structural problems: it sets each
bad value aside (a bad service line is left out, a bad diagnosis slot left empty, any other
bad value replaced by the sample's) and says which edits could not run, and why.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from medbill_lab.claims import model as claims
from medbill_lab.claims import scrubber
from medbill_lab.claims.schema_parts import order_key
from medbill_lab.claims.schema_parts import value_at as get  # the value at a path, or None

JsonPath = tuple  # ("patient", "dob"), ("lines", 2, "code")
SCHEMA = claims.claim_schema()
SKIPPED = frozenset({"$schema"})  # not a CMS-1500 item: a hint for editors
UPPER_PATTERNS = frozenset(
    {
        claims.STATE_PATTERN,
        claims.OPTIONAL_STATE_PATTERN,
        claims.PROCEDURE_PATTERN,
        claims.MODIFIER_PATTERN,
        claims.POINTER_PATTERN,
        claims.ICD_PATTERN,
    }
)
DATE_INPUT = "MM/DD/YYYY"
THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d*)?$")  # 1,250.00 or -12,000
YES = {"Y", "YES", "X", "TRUE"}
NO = {"", "N", "NO", "FALSE"}
# The scrubber's edits that read a value: set aside, that value cannot be checked.
SCRUBBER_READS: dict[JsonPath, tuple[str, ...]] = {
    ("patient", "dob"): ("DX-AGE",),
    ("patient", "sex"): ("DX-SEX",),
    ("payer", "timely_filing_days"): ("TIMELY-FILING",),
    ("payer", "excludes1_strict"): ("ICD-EXCLUDES1",),
    ("submitted_on",): ("TIMELY-FILING", "DOS-FUTURE"),
    ("place_of_service",): ("DUP-LINE",),
    ("total_charge",): ("TOTAL-MISMATCH",),
    ("unrelated_dx_attested",): ("ICD-EXCLUDES1",),
}
DX_EDITS = ("ICD-INVALID", "ICD-7TH", "ICD-YEAR", "ICD-EXCLUDES1", "DX-SEX", "DX-AGE", "DX-FIRST")
PAIR_EDITS = ("NCCI-PTP", "MUE", "DUP-LINE", "EM-GLOBAL", "MOD-25")
# Edits that a line left out would make fire wrongly: 25 with "no procedure" when the
# procedure's line is the one left out, a total that no longer adds up, a later first date.
WHOLE_CLAIM_EDITS = ("MOD-25", "TOTAL-MISMATCH", "TIMELY-FILING")
# what each of them reads of every line, as the page says when a line is left out
_WHOLE_CLAIM_READS = {
    "MOD-25": "a same-day procedure",
    "TOTAL-MISMATCH": "item 28's sum of 24F",
    "TIMELY-FILING": "the earliest date of service",
}


@dataclass(frozen=True)
class Leaf:
    """One field of the form: where its value goes, its schema, and how it is read."""

    path: JsonPath  # from the claim (or, for a line field, from the line)
    node: dict
    kind: str  # text, date, money, bool, enum, list, pairs
    required: bool

    @property
    def title(self) -> str:
        """The schema's title: "Item 3: date of birth"."""
        return self.node.get("title", "/".join(map(str, self.path)))


def _kind(node: dict) -> str:
    types = node.get("type")
    types = [types] if isinstance(types, str) else list(types or [])
    if "boolean" in types:
        return "bool"
    if "enum" in node:
        return "enum"
    if node.get("format") == "date":
        return "date"
    if node.get("pattern") == claims.MONEY_PATTERN and "number" in types:
        return "money"
    if "array" in types:
        items = node.get("items", {})
        return "pairs" if "array" in str(items.get("type")) else "list"
    return "text"


def leaves(node: dict, path: JsonPath = (), required: bool = True) -> Iterator[Leaf]:
    """Every field under ``node`` (an object schema), in the schema's order.

    Service lines are an array of objects: their fields are walked from the line schema
    (``leaves(schema["properties"]["lines"]["items"])``), not here.

    >>> schema = claims.claim_schema()
    >>> [leaf.path for leaf in leaves(schema)][:3]
    [('program',), ('insured_id',), ('patient', 'last')]
    """
    needed = set(node.get("required", []))
    for key, child in node.get("properties", {}).items():
        if key in SKIPPED or (key == "lines" and not path):
            continue
        here = (*path, key)
        if "properties" in child:
            yield from leaves(child, here, required and key in needed)
        else:
            yield Leaf(here, child, _kind(child), required and key in needed)


def line_leaves() -> list[Leaf]:
    """The fields of one service line (item 24A-24J)."""
    return list(leaves(SCHEMA["properties"]["lines"]["items"]))


def order(path: JsonPath) -> tuple[int, ...]:
    """Sort key of a value's path: the form's order, then the line number."""
    return order_key(SCHEMA, path)


def where(title: str, line: int | None = None) -> tuple[str, str]:
    """(item, label) from a schema title, the line number added: ("Item 24A line 2", "service date").

    >>> where("Item 24A: service date", 1)
    ('Item 24A line 2', 'service date')
    """
    item, _, label = title.partition(": ")
    return (item + (f" line {line + 1}" if line is not None else "")), label or item


def shown(raw: str, width: int = 40) -> str:
    """A typed value quoted for a message, cut to ``width`` characters."""
    raw = raw.strip()
    return repr(raw if len(raw) <= width else raw[: width - 3] + "...")


# -- reading what was typed ------------------------------------------------------------
DATE_FORMS = (
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), ("m", "d", "y")),
    (re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$"), ("m", "d", "y")),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
)


def read_date(raw: str) -> dt.date:
    """A date typed as MM/DD/YYYY (the form's way) or YYYY-MM-DD (a claim file's).

    Raises ValueError in words when it is neither, or not a real day.

    >>> read_date("02/28/2026"), read_date("2026-02-28")
    (datetime.date(2026, 2, 28), datetime.date(2026, 2, 28))
    >>> read_date("02/29/2026")
    Traceback (most recent call last):
      ...
    ValueError: is not a real date (February 2026 has 28 days)
    """
    text = raw.strip()
    for pattern, order in DATE_FORMS:
        found = pattern.match(text)
        if found:
            parts = dict(zip(order, map(int, found.groups()), strict=True))
            try:
                return dt.date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                return _not_real(parts["y"], parts["m"])
    raise ValueError(f"is not a date; type {DATE_INPUT} (or YYYY-MM-DD)")


def _not_real(year: int, month: int) -> dt.date:
    if not 1 <= year <= 9998:
        raise ValueError(f"is not a real date (no year {year})")
    if not 1 <= month <= 12:
        raise ValueError(f"is not a real date (there is no month {month})")
    after = dt.date(year + month // 12, month % 12 + 1, 1)
    days = (after - dt.timedelta(days=1)).day
    raise ValueError(
        f"is not a real date ({after.replace(month=month).strftime('%B')} {year} has {days} days)"
    )


def show_date(value: str) -> str:
    """A claim file's YYYY-MM-DD as the form shows it, MM/DD/YYYY.

    >>> show_date("2026-02-03")
    '02/03/2026'
    """
    try:
        return dt.date.fromisoformat(value).strftime("%m/%d/%Y")
    except (TypeError, ValueError):
        return str(value or "")


def split_codes(raw: str) -> list[str]:
    """Codes typed with commas, semicolons or spaces between them."""
    return [c for c in re.split(r"[,;\s]+", raw.strip()) if c]


def read_value(leaf: Leaf, raw: Any) -> Any:
    """The claim's plain value for what was typed (None: left blank).  ValueError in words."""
    if leaf.kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().upper()
        if text in YES or text in NO:
            return text in YES
        raise ValueError(f"{shown(str(raw))} is Y (checked) or blank")
    if leaf.kind == "enum":
        return raw if raw != "" or "" in leaf.node["enum"] else None
    text = str(raw).strip()
    if not text:
        return None
    if leaf.kind == "date":
        try:
            return read_date(text).isoformat()
        except ValueError as exc:
            raise ValueError(f"{shown(text)} {exc}") from None
    if leaf.kind == "money":
        amount = text.replace("$", "").strip()
        if "," in amount and not THOUSANDS.match(amount):  # 1,95 is not $195 (nor $1.95)
            raise ValueError(
                f"{shown(text)} has a comma out of place (a comma only groups thousands, as in 1,250)"
            )
        return amount.replace(",", "")
    if leaf.kind == "list":
        if leaf.path[-1] == "pointers":
            return list(text.upper().replace(",", "").replace(" ", ""))
        return [c.upper() for c in split_codes(text)]
    if leaf.kind == "pairs":
        return [split_codes(pair.upper()) for pair in text.split(";") if pair.strip()]
    return text.upper() if leaf.node.get("pattern") in UPPER_PATTERNS else text


def show_value(leaf: Leaf, value: Any) -> Any:
    """What a field shows for a claim's plain value (the reverse of :func:`read_value`)."""
    if leaf.kind == "bool":
        return bool(value)
    if leaf.kind == "enum":
        return value if value in leaf.node["enum"] else ""
    if value is None:
        return ""
    if leaf.kind == "date":
        return show_date(value)
    if leaf.kind == "list":
        return ("" if leaf.path[-1] == "pointers" else " ").join(value)
    if leaf.kind == "pairs":
        return "; ".join(" ".join(pair) for pair in value)
    return str(value)


def put(data: dict, path: JsonPath, value: Any) -> None:
    """Set ``value`` at ``path``, making the objects on the way; None leaves it out."""
    if value is None:
        return
    for key in path[:-1]:
        data = data.setdefault(key, {})
    data[path[-1]] = value


def prune(data: dict, schema: dict) -> dict:
    """Leave out every optional object whose fields were all left blank (item 9 unused...),
    or hold only a choice from a list (a qualifier, a sex) with nothing to qualify."""
    props = schema.get("properties", {})
    for key in list(data):
        node = props.get(key, {})
        if isinstance(data[key], dict) and "properties" in node:
            prune(data[key], node)
            nullable = "null" in node.get("type", [])
            inner = node["properties"]
            # a choice left standing (item 17's qualifier DN) is no content without a name
            choices_only = all("enum" in inner.get(k, {}) for k in data[key])
            if (not data[key] or choices_only) and (
                nullable or key not in schema.get("required", [])
            ):
                del data[key]
    return data


# -- scrubbing what loads ----------------------------------------------------------------
@dataclass
class Scrubbed:
    """The scrubber's edits on the claim as far as it loads, and what could not be checked."""

    edits: list[scrubber.Edit]
    notes: list[str]  # which edits could not run, and why
    ran: bool  # False: nothing loads, so no edit ran


def _optional(path: JsonPath) -> bool:
    """Can the value at ``path`` be left out of the claim?"""
    node: dict = SCHEMA
    for key in path[:-1]:
        node = (
            node.get("properties", {}).get(key, {})
            if isinstance(key, str)
            else node.get("items", {})
        )
    return isinstance(path[-1], str) and path[-1] not in node.get("required", [])


def _set_aside(work: dict, path: JsonPath, sample: dict) -> None:
    """Replace the value at ``path`` by the sample's, or leave it out (the scrubber reads neither)."""
    top = path[:1]
    stand_in = get(sample, path)
    parent = get(work, path[:-1]) if len(path) > 1 else work
    if stand_in is not None and isinstance(parent, dict):
        parent[path[-1]] = copy.deepcopy(stand_in)
    elif isinstance(parent, dict) and _optional(path):
        parent.pop(path[-1], None)
    elif get(sample, top) is not None:
        work[top[0]] = copy.deepcopy(get(sample, top))
    else:
        work.pop(top[0], None)


def scrub_what_loads(
    data: dict, located: list[tuple[JsonPath, str]], sample: dict, today: dt.date | None = None
) -> Scrubbed:
    """Scrub ``data`` with every value named in ``located`` set aside; say what could not run.

    A bad service line is left out (its own edits, and the edits comparing it with other
    lines, cannot run); a bad diagnosis leaves its slot empty (no diagnosis edit checks it,
    and a pointer at it is not reported as dangling); any other bad value is replaced by the
    ``sample``'s (the claim the form was loaded with) or left out, and the edits that read
    it are not shown (see ``SCRUBBER_READS``).
    """
    work = copy.deepcopy(data)
    notes: dict[str, None] = {}
    hidden: set[str] = set()
    bad_lines: set[int] = set()
    empty: set[int] = set()
    for path, problem in located:
        if path[:1] == ("lines",) and len(path) > 1 and isinstance(path[1], int):
            bad_lines.add(path[1])
        elif path[:1] == ("diagnoses",) and len(path) > 1 and isinstance(path[1], int):
            empty.add(path[1])
        elif path in (("lines",), ("diagnoses",)):
            continue  # too many were cut to the limit (claims.claim_problems); too few: below
        else:
            ids = _reads(path)
            hidden.update(ids)
            if ids:
                notes[f"{', '.join(ids)} could not run: {problem}"] = None
            _set_aside(work, path, sample)
    lines = work.get("lines") if isinstance(work.get("lines"), list) else []
    work["lines"] = [ln for i, ln in enumerate(lines[: claims.MAX_LINES]) if i not in bad_lines]
    for i in sorted(bad_lines):
        notes[
            f"Line {i + 1} was left out of the scrub until its problems are fixed: its own edits, "
            f"and {', '.join(PAIR_EDITS)} against the other lines, did not run."
        ] = None
    if bad_lines:  # without every line these would judge a claim that is not the one sent
        unnamed = [e for e in WHOLE_CLAIM_EDITS if e not in hidden]  # not named above already
        hidden.update(WHOLE_CLAIM_EDITS)
        if unnamed:
            read = "it reads" if len(unnamed) == 1 else "they read"
            why = ", ".join(_WHOLE_CLAIM_READS[e] for e in unnamed)
            notes[f"{', '.join(unnamed)} could not run: {read} every line ({why})."] = None
    dx = work.get("diagnoses") if isinstance(work.get("diagnoses"), list) else []
    dx = dx[: claims.MAX_DIAGNOSES]
    letters = [claims.POINTER_LETTERS[i] for i in sorted(empty) if i < len(dx)]
    for letter in letters:
        notes[f"Item 21{letter} was not checked ({', '.join(DX_EDITS)}): fix its code first."] = (
            None
        )
    if not work["lines"] or not dx:
        missing = "a service line" if not work["lines"] else "a diagnosis"
        return Scrubbed([], [f"The scrubber needs {missing} that loads; no edit ran."], False)
    work["diagnoses"] = ["Z00.00" if i in empty else c for i, c in enumerate(dx)]
    for ln in work["lines"]:  # pointers past the cut list are set aside with it
        if isinstance(ln.get("pointers"), list):
            ln["pointers"] = [p for p in ln["pointers"] if p in claims.POINTER_LETTERS[: len(dx)]]
    for whole in (False, True):  # what a stand-in could not mend (a pair naming a set-aside code)
        left = claims.located_problems(work)
        if any(path[:1] in (("lines",), ("diagnoses",)) for path, _ in left):
            break  # a line or code the stand-ins made wrong: say so rather than guess
        for path, problem in left:
            ids = _reads(path)
            hidden.update(ids)
            if ids:
                notes[f"{', '.join(ids)} could not run: {problem}"] = None
            if whole and _optional(path[:1]):
                work.pop(path[0], None)
            else:
                _set_aside(work, path[:1] if whole else path, sample)
    left = claims.located_problems(work)
    if left:
        return Scrubbed([], [f"The scrubber could not run: {left[0][1]}"], False)
    claim = claims.from_dict(work)
    for i in empty:
        claim.diagnoses[i] = ""  # an empty slot: the scrubber checks the others
    edits = [
        e
        for e in scrubber.scrub(claim, today=today)
        if e.id not in hidden and not _at_empty_slot(e, letters)
    ]
    if bad_lines:
        edits = [_renumbered(e, sorted(bad_lines)) for e in edits]
    return Scrubbed(edits, list(notes), True)


def _reads(path: JsonPath) -> tuple[str, ...]:
    """The scrubber's edits that read the value at ``path`` (or a value inside it)."""
    return tuple(
        dict.fromkeys(
            i
            for read, ids in SCRUBBER_READS.items()
            if path[: len(read)] == read or read[: len(path)] == path
            for i in ids
        )
    )


def _at_empty_slot(edit: scrubber.Edit, letters: list[str]) -> bool:
    return edit.id == "PTR-DANGLING" and any(f"pointer '{x}'" in edit.message for x in letters)


# "line 3", "lines 3, 4" (MUE per day), never the days of "(line 3, 90-day global)"
_LINE_REF = re.compile(r"\b(lines?) (\d+(?:, \d+)*)(?![\d-])")


def _renumbered(edit: scrubber.Edit, left_out: list[int]) -> scrubber.Edit:
    """An edit on the shortened claim, its line numbers those of the form."""

    def on_form(n: int) -> int:
        for i in left_out:  # n is 1-based in the scrubbed claim
            if i < n:
                n += 1
        return n

    def form_line(match: re.Match) -> str:
        numbers = (on_form(int(n)) for n in match.group(2).split(", "))
        return f"{match.group(1)} {', '.join(map(str, numbers))}"

    return scrubber.Edit(
        edit.id,
        edit.severity,
        _LINE_REF.sub(form_line, edit.item),
        _LINE_REF.sub(form_line, edit.message),
        edit.rationale,
        edit.source,
    )
