"""Answers without Python: a graded cell answered as a paper form or a billing screen.

A student types plain text into the answer cell, one field per line, ``label: value``::

    %%answers cms1500_completion
    # Item 1 to 1a: the program and the insured's ID
    Item 1 Program (medicare, medicaid, tricare, champva, group, feca, other): group
    Item 1a Insured's ID number: LH123456789
    Item 21 Diagnoses A-L, in order (codes, comma between): E11.22, N18.31

Lines starting with ``#`` are instructions; a blank value is a box left empty.  Values:

========  ==============================================================================
kind      what a student may type (the normalised value the graders read)
========  ==============================================================================
text      anything (spaces collapsed: a ``str``)
code      one code as typed in an encoder, any case (upper case ``str``)
codes     codes with commas or spaces between (``list[str]``, upper case, in order)
choice    an option's answer or its word, any case (the option's answer, ``str``)
yesno     Y/N, yes/no, or x for a ticked box (``bool``)
date      MM/DD/YYYY as on the CMS-1500, also YYYY-MM-DD (ISO ``str`` ``2026-12-31``)
money     ``135.00``, ``$135``, ``$1,234.50`` (``Decimal`` with cents)
number    ``3``, ``1.5`` (``int`` when whole, else ``Decimal``)
========  ==============================================================================

:func:`parse` never raises for a student's text: every field keeps its raw text, its
normalised value (None when blank or unreadable) and its format problems in plain
language ("Item 24A line 2 from date: 13/45/2026 is not a date (MM/DD/YYYY)").  A label
the form does not have, a line that is not ``label: value``, and a field filled in twice
are reported too, never fatal.  A label may be shortened to its start ("Item 1a: ...",
"24F line 2: ...") as long as that names one field.

How to convert an assignment (``cms1500_completion`` and ``ub04_completion`` are worked examples)
------------------------------------------------------------------------------------------------
1. **The form is data** in the assignment's module: ``FORM = FormSpec(name, [Field(...),
   ...], title=...)`` (or ``FORMS = {"q1": FormSpec(...), ...}`` for several answer cells,
   named ``%%answers NAME:q1 q1``, which binds ``q1`` instead of ``answers``).  ``Field(id, label, kind, options=, repeat=, group=,
   pattern=, hint=)``: labels hold no colon and start with what names the box ("Item 24F
   line {n} charges", "Case 3 codes"); ids are unique and not the start of another's
   label.  A ``repeat=6`` field is a row of a repeating group: ``{n}`` in its label is
   the row and its keys are ``"24F.1"`` ... ``"24F.6"``; ``group`` is the ``#`` line
   printed above the fields sharing it (a group's repeating rows are laid out row by row).
   A choice prints its options after the label: ``options=(("M", "male"), ...)``.
2. **Map the answers to what the scorer takes**, e.g. ``claim_from(answers) -> dict``, so
   the scorer and its partial credit stay as they are; let the scorer accept the
   FormAnswers itself (``score_part(answers, key, part)``: ``isinstance(given,
   FormAnswers)`` -> map it), keeping the old argument for courses made before.  Read
   ``answers[key]`` / ``answers.get(key, default)`` (None when blank or unreadable) and
   ``answers.rows(ids)`` (the filled rows of a repeating group).
3. **The model answer from the key**: ``form_values(key) -> {field key: value}`` and
   ``filled_form(key) = "%%answers NAME\n" + fill_form(FORM, form_values(key))``; ``draw``
   puts ``fill_form(...)`` in the template's ``{{solution}}``.  ``partial(correct)``
   returns the demo's partly right answer as form text: ``correct[grade_id]`` is
   ``"%%answers NAME\n"`` + the filled form (``course.solutions`` keeps only the part
   below the solution marker); parse it, slip, and ``fill_form`` again.
4. **The template** (``exercises/NAME/NAME.ipynb``): the locked setup cell runs
   ``%load_ext medbill_lab.training.answer_forms``.  The answer cell (the nbgrader
   solution cell) is ``%%answers NAME``, then the text of :func:`blank_form`, then
   ``### BEGIN SOLUTION`` / ``{{solution}}`` / ``### END SOLUTION``.  A field filled
   below a blank one takes the filled value silently, so the source runs the model
   answer; ``generate_assignment`` (with ``plain_feedback.FormStub``, set by the
   course's config) releases the blank form alone.  Test cells read ``answers``: visible,
   a self-check printing whether the answer can be graded (a line saying why not, no
   traceback; the scorer then gives 0 with that reason); hidden, e.g.
   ``_score = _form.score_part(answers, {{key}}, "patient")``.  A check cell may print
   ``answers.summary()`` (the format problems) or a module's own ``check(answers)``.
5. **Tests**: the template's answer cell is ``blank_form`` (no key), model / partial /
   blank score full / between / zero in process (``tests/notebook_scoring.py`` runs
   ``%load_ext`` and ``%%answers``) and through nbgrader (``FORM_ASSIGNMENTS`` in
   ``tests/training/test_answer_forms.py``); a test comparing an old course's notebook
   with today's needs the old ``{{solution}}`` (``OLD_VALUES`` in test_old_course.py).

The ``%%answers`` magic binds the FormAnswers and shows the form as filled (an HTML
table by item, format problems highlighted): no widgets (they hang autograde), no
answer revealed, nothing from the network.  Feedback shows no test code:
:func:`plain_feedback_cells`, run by nbgrader's ``generate_feedback`` through
:mod:`medbill_lab.training.plain_feedback`.

>>> spec = FormSpec("demo", [Field("1", "Item 1 Program", "choice",
...     options=(("group", "group health plan"), ("medicare", "Medicare"))),
...     Field("3", "Item 3 Birth date", "date")])
>>> a = parse(spec, "Item 1 Program: Medicare\\nItem 3 Birth date: 02/29/2025")
>>> a["1"], a["3"], a.problems()
('medicare', None, ['Item 3 Birth date: 02/29/2025 is not a date (MM/DD/YYYY)'])
"""

from __future__ import annotations

import datetime as dt
import html
import importlib
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from medbill_lab.training import element_log

KINDS = ("text", "code", "codes", "choice", "yesno", "date", "money", "number")
# what nbgrader leaves where the model answer was (ClearSolutions' python stub): skipped
NBGRADER_STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")
YES = {"y", "yes", "x", "[x]", "true"}
NO = {"n", "no", "false", "[ ]"}
# the format printed after a label on the blank form
FORMATS = {"date": "MM/DD/YYYY", "money": "0.00", "yesno": "Y/N", "codes": "comma between"}
DATE_FORMS = (
    re.compile(r"(?P<m>\d{1,2})[/.-](?P<d>\d{1,2})[/.-](?P<y>\d{4})"),
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
    re.compile(r"(?P<m>\d{2})\s(?P<d>\d{2})\s(?P<y>\d{4})"),
    re.compile(r"(?P<m>\d{2})(?P<d>\d{2})(?P<y>\d{4})"),
)
MONEY = re.compile(r"\$?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?|\$?\s*\.\d{1,2}")
CODE = re.compile(r"[A-Z0-9][A-Z0-9.\-]*")
NUMBER = re.compile(r"(\d{1,3}(,\d{3})+|\d+)(\.\d+)?|\.\d+")
ELEMENTS_MIME = element_log.MIMETYPE  # per-element results for the instructor: not feedback


class FormError(ValueError):
    """A form that cannot be found or is ill made (an instructor's error, not a student's)."""


@dataclass(frozen=True)
class Field:
    """One field of a form: its id, the label a student sees, and the kind of value.

    ``options`` (for ``choice``) are ``(answer, word)`` pairs: a student may type either.
    ``repeat`` > 0 makes it a row of a repeating group, ``{n}`` in the label the row.
    ``pattern`` (a regex the normalised value must match in full) with ``hint`` (what it
    means, for the message) checks a format beyond the kind's.
    """

    id: str
    label: str
    kind: str = "text"
    options: tuple[tuple[str, str], ...] = ()
    repeat: int = 0
    group: str = ""
    pattern: str = ""
    hint: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise FormError(f"field {self.id}: kind {self.kind!r} is not one of {KINDS}")
        if self.kind == "choice" and not self.options:
            raise FormError(f"field {self.id}: a choice needs its options")

    def slot_keys(self) -> list[str]:
        """The answer keys: ``["1a"]``, or ``["24A.1", ..., "24A.6"]`` for a repeating field."""
        return [f"{self.id}.{n}" for n in range(1, self.repeat + 1)] if self.repeat else [self.id]

    def title(self, line: int | None = None) -> str:
        """The label of one row, without its options: 'Item 24A line 2 from date'."""
        return self.label.replace("{n}", str(line or "")).strip()

    def shown(self, line: int | None = None) -> str:
        """The label as printed on the blank form, with the options or the format to use."""
        extra = ""
        if self.options:
            extra = ", ".join(
                a if a.lower() == w.lower() else f"{a} = {w}" for a, w in self.options
            )
        elif self.kind in FORMATS:
            extra = FORMATS[self.kind]
        if self.hint and not self.options:
            extra = self.hint
        return f"{self.title(line)} ({extra})" if extra else self.title(line)


@dataclass(frozen=True)
class FormSpec:
    """A form: its name, its fields in the order printed, and a title line."""

    name: str
    fields: Sequence[Field]
    title: str = ""

    def __post_init__(self) -> None:
        keys = [k for f in self.fields for k in f.slot_keys()]
        if len(keys) != len(set(keys)):
            raise FormError(f"form {self.name}: two fields share an id")

    def slots(self) -> list[tuple[str, Field, int | None]]:
        """Every (key, field, row) in the order of the blank form (repeating groups row by row)."""
        out: list[tuple[str, Field, int | None]] = []
        done: set[str] = set()
        for f in self.fields:
            if f.id in done:
                continue
            if not f.repeat:
                out.append((f.id, f, None))
                done.add(f.id)
                continue
            rows = [g for g in self.fields if g.repeat and g.group == f.group]
            for n in range(1, f.repeat + 1):
                out += [(f"{g.id}.{n}", g, n) for g in rows if n <= g.repeat]
            done |= {g.id for g in rows}
        return out


@dataclass
class Answer:
    """One field (or one row of it) as the student filled it."""

    key: str
    field: Field
    line: int | None = None
    raw: str = ""
    value: object = None
    problems: list[str] = field(default_factory=list)
    where: int = 0  # the line of the cell it was read from (0: not written)

    @property
    def title(self) -> str:
        """The field's label for this row."""
        return self.field.title(self.line)

    @property
    def blank(self) -> bool:
        """Nothing typed after the colon."""
        return not self.raw.strip()


@dataclass
class FormAnswers:
    """A form as filled: every field's raw text, normalised value and format problems."""

    spec: FormSpec
    entries: dict[str, Answer]
    notes: list[str] = field(default_factory=list)  # unknown labels, duplicates, stray lines

    def __getitem__(self, key: str) -> object:
        return self.entries[key].value

    def get(self, key: str, default: object = None) -> object:
        """The normalised value of ``key`` (``default`` when blank, unreadable or not a key)."""
        entry = self.entries.get(key)
        return default if entry is None or entry.value is None else entry.value

    def raw(self, key: str) -> str:
        """What the student typed for ``key`` ('' when nothing)."""
        return self.entries[key].raw

    def rows(self, ids: Iterable[str]) -> list[int]:
        """The rows (1-based) of a repeating group in which any of ``ids`` is filled."""
        ids = list(ids)
        top = max(f.repeat for f in self.spec.fields if f.id in ids)
        return [
            n
            for n in range(1, top + 1)
            if any(not self.entries[f"{i}.{n}"].blank for i in ids if f"{i}.{n}" in self.entries)
        ]

    def problems(self) -> list[str]:
        """Every problem: the lines that could not be read, then each field's, in form order."""
        return [*self.notes, *(p for a in self.entries.values() for p in a.problems)]

    def is_blank(self) -> bool:
        """Nothing filled in at all."""
        return all(a.blank for a in self.entries.values())

    def filled(self) -> int:
        """How many fields (rows) hold something."""
        return sum(not a.blank for a in self.entries.values())

    def values(self) -> dict[str, object]:
        """Every key's normalised value (None for blanks)."""
        return {k: a.value for k, a in self.entries.items()}

    def summary(self) -> str:
        """'Your answers: 12 of 80 fields filled; no format problems.' (or the problems)."""
        found = self.problems()
        head = f"Your answers: {self.filled()} of {len(self.entries)} fields filled; "
        if not found:
            return head + "no format problems."
        return head + f"{len(found)} to fix:\n" + "\n".join(f"- {p}" for p in found)

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        return to_html(self)


# -- reading a student's text -----------------------------------------------------------------
def _words(text: str) -> list[str]:
    """A label's words for matching: lower case, parentheses and punctuation dropped."""
    text = re.sub(r"\([^)]*\)", " ", text.lower())
    return re.findall(r"[a-z0-9]+", text)


def _match(spec_index: dict[tuple[str, ...], list[str]], label: str) -> list[str]:
    """The keys a student's label names: the whole label, else the fields it is the start of."""
    words = tuple(_words(label))
    if not words:
        return []
    if words in spec_index:
        return spec_index[words]
    if words[0] != "item" and ("item", *words) in spec_index:
        return spec_index[("item", *words)]
    n = len(words)
    starts = {k for full, keys in spec_index.items() if full[:n] == words for k in keys}
    return sorted(starts)


def _index(spec: FormSpec) -> dict[tuple[str, ...], list[str]]:
    index: dict[tuple[str, ...], list[str]] = {}
    for key, f, line in spec.slots():
        for name in {f.title(line), key, f"item {key}"}:
            keys = index.setdefault(tuple(_words(name)), [])
            if key not in keys:
                keys.append(key)
    return index


def parse(spec: FormSpec, text: str, start: int = 1) -> FormAnswers:
    """Read a filled form; never raises for what a student typed (see the module docstring).

    ``start`` is the number of the text's first line in messages (2 in a ``%%answers``
    cell, whose first line is the magic's).

    >>> spec = FormSpec("d", [Field("28", "Item 28 Total charge", "money")])
    >>> parse(spec, "Item 28 Total charge: $1,234.50")["28"]
    Decimal('1234.50')
    >>> parse(spec, "Item 29: 5\\nnonsense").notes
    ["Line 1: this form has no field 'Item 29'", "Line 2: 'nonsense' is not 'label: value' (start a note with #)"]
    """
    entries = {key: Answer(key, f, line) for key, f, line in spec.slots()}
    index = _index(spec)
    notes: list[str] = []
    for number, line in enumerate(str(text or "").splitlines(), start):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped in NBGRADER_STUB:
            continue
        if stripped.startswith("%%answers"):
            continue  # the magic's own line, when a whole cell is passed in
        label, colon, value = stripped.partition(":")
        if not colon:
            notes.append(
                f"Line {number}: '{_short(stripped)}' is not 'label: value' (start a note with #)"
            )
            continue
        keys = _match(index, label)
        if len(keys) != 1:
            what = "no field" if not keys else f"{len(keys)} fields"
            notes.append(f"Line {number}: this form has {what} '{_short(label.strip())}'")
            continue
        _take(entries[keys[0]], value.strip(), number, notes)
    for entry in entries.values():
        if not entry.blank:
            entry.value, entry.problems = normalise(entry.field, entry.raw, entry.title)
    return FormAnswers(spec, entries, notes)


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _take(entry: Answer, value: str, number: int, notes: list[str]) -> None:
    """Record a value; a field filled in twice keeps the first (a blank gives way)."""
    if entry.where and not entry.blank and value and value != entry.raw:
        notes.append(
            f"Line {number}: {entry.title} is filled in twice (line {entry.where} and line "
            f"{number}): the first, '{_short(entry.raw)}', is kept"
        )
        return
    if value or not entry.where:
        entry.raw, entry.where = value, number


def normalise(f: Field, raw: str, where: str = "") -> tuple[object, list[str]]:
    """(the normalised value, format problems) of one value; (None, []) when blank.

    >>> normalise(Field("x", "X", "yesno"), " y ")
    (True, [])
    >>> normalise(Field("x", "Item 3", "date"), "13/01/2026")
    (None, ['Item 3: 13/01/2026 is not a date (MM/DD/YYYY)'])
    """
    raw = " ".join(raw.split())
    where = where or f.title()
    if not raw:
        return None, []
    try:
        value, problem = READERS[f.kind](raw, f)
    except (ArithmeticError, ValueError):  # e.g. an amount too large for cents: never raise
        value, problem = None, f"{_short(raw)} cannot be read as {FORMATS.get(f.kind, f.kind)}"
    if problem:
        return None, [f"{where}: {problem}"]
    if f.pattern and value is not None:
        bad = [
            v
            for v in (value if isinstance(value, list) else [value])
            if not re.fullmatch(f.pattern, str(v))
        ]
        if bad:
            return None, [f"{where}: {bad[0]} is not {f.hint or 'in the right format'}"]
    return value, []


def _text(raw: str, _f: Field) -> tuple[object, str]:
    return raw, ""


def _code(raw: str, _f: Field) -> tuple[object, str]:
    code = raw.upper().replace(" ", "")
    if not CODE.fullmatch(code):
        return None, f"{raw} is not a code (letters and digits, e.g. E11.22)"
    return code, ""


def _codes(raw: str, _f: Field) -> tuple[object, str]:
    codes = [c for c in re.split(r"[,;\s]+", raw.upper()) if c]
    bad = [c for c in codes if not CODE.fullmatch(c)]
    if bad:
        return None, f"{bad[0]} is not a code (codes, comma between: E11.22, N18.31)"
    return codes, ""


def _choice(raw: str, f: Field) -> tuple[object, str]:
    said = " ".join(_words(raw)) or raw.lower()
    for answer, word in f.options:
        if said in (" ".join(_words(answer)) or answer.lower(), " ".join(_words(word))):
            return answer, ""
    allowed = ", ".join(a for a, _ in f.options)
    return None, f"{raw} is not one of the choices ({allowed})"


def _yesno(raw: str, _f: Field) -> tuple[object, str]:
    said = raw.lower().rstrip(".")
    if said in YES:
        return True, ""
    if said in NO:
        return False, ""
    return None, f"{raw} is not Y or N"


def _date(raw: str, _f: Field) -> tuple[object, str]:
    for form in DATE_FORMS:
        m = form.fullmatch(raw)
        if m:
            try:
                day = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                break
            return day.isoformat(), ""
    return None, f"{raw} is not a date (MM/DD/YYYY)"


def _money(raw: str, _f: Field) -> tuple[object, str]:
    text = raw.replace(" ", "")
    if not MONEY.fullmatch(text) or len(re.sub(r"\D", "", text.split(".")[0])) > 12:
        return None, f"{_short(raw)} is not an amount (dollars and cents, e.g. 135.00)"
    return Decimal(text.lstrip("$").replace(",", "")).quantize(Decimal("0.01")), ""


def _number(raw: str, _f: Field) -> tuple[object, str]:
    # digits as typed, at most 12 before the point: "1e9999999" would be an int too large
    # to write back (str() refuses over 4,300 digits) or even to build in reasonable time
    if not NUMBER.fullmatch(raw) or len(re.sub(r"\D", "", raw.split(".")[0])) > 12:
        return None, f"{_short(raw)} is not a number"
    try:
        value = Decimal(raw.replace(",", ""))
    except InvalidOperation:
        return None, f"{_short(raw)} is not a number"
    return (int(value) if value == value.to_integral_value() else value), ""


READERS = {
    "text": _text,
    "code": _code,
    "codes": _codes,
    "choice": _choice,
    "yesno": _yesno,
    "date": _date,
    "money": _money,
    "number": _number,
}


# A claim validator's words for an empty value ("must be true or false, not null", "'' is not
# 9 digits"): the check cells say "is missing" instead, the rule kept
_NULL = re.compile(r"^(?P<head>.+?: .+?) must be .+, not null$")
_EMPTY = re.compile(r"^(?P<head>.+?: .+?) '' is not (?P<rule>.+)$")


def missing_words(problem: str) -> str:
    """A claim's load problem about an empty value in a student's words; others unchanged.

    A form's blank or unreadable box reaches the claim as null or ''; the validators name
    the data type ("must be text, not null"), which a biller does not think in.

    >>> missing_words("Item 12: patient's signature on file must be true or false, not null")
    "Item 12: patient's signature on file is missing"
    >>> missing_words("Item 3: sex '' is not one of M, F, U")
    'Item 3: sex is missing (one of M, F, U)'
    >>> missing_words("Item 24: no service lines")
    'Item 24: no service lines'
    """
    if m := _NULL.match(problem):
        return f"{m['head']} is missing"
    if m := _EMPTY.match(problem):
        return f"{m['head']} is missing ({m['rule']})"
    return problem


# -- writing forms ------------------------------------------------------------------------------
def blank_form(spec: FormSpec) -> str:
    """The text an answer cell starts with: every label with an empty value, a ``#`` line
    above each group.

    >>> print(blank_form(FormSpec("d", [Field("1", "Item 1 Name", group="Who")])))
    # Who
    Item 1 Name:
    """
    return fill_form(spec, {})


def shown_value(f: Field, value: object) -> str:
    """A normalised value written back as a student would type it (dates MM/DD/YYYY).

    >>> shown_value(Field("d", "D", "date"), "2026-12-31"), shown_value(Field("y", "Y", "yesno"), False)
    ('12/31/2026', 'N')
    """
    if value is None or value == "" or value == []:
        return ""
    if f.kind == "yesno":
        return "Y" if value else "N"
    if f.kind == "date":
        day = dt.date.fromisoformat(str(value))
        return f"{day.month:02d}/{day.day:02d}/{day.year}"
    if f.kind == "codes":
        return ", ".join(value) if isinstance(value, list | tuple) else str(value)
    if f.kind == "money":
        return f"{Decimal(str(value)):.2f}"
    return str(value)


def fill_form(spec: FormSpec, values: Mapping[str, object]) -> str:
    """The form's text with ``values`` (key -> value, as the graders read them) filled in."""
    out: list[str] = [f"# {spec.title}"] if spec.title else []
    group = None
    for key, f, line in spec.slots():
        if f.group != group:
            group = f.group
            if group:
                out.append(f"# {group}")
        value = shown_value(f, values.get(key))
        out.append(f"{f.shown(line)}: {value}".rstrip())
    return "\n".join(out)


# -- showing the form as filled -----------------------------------------------------------------
_STYLE = (
    "<style>.mbl-form{border-collapse:collapse;font-size:.92em}"
    ".mbl-form td,.mbl-form th{border:1px solid #ddd;padding:2px 6px;text-align:left;"
    "vertical-align:top}.mbl-form .mbl-bad{background:#ffebee}"
    ".mbl-form .mbl-group{background:#f3f6fa;font-weight:600}"
    ".mbl-form .mbl-blank{color:#666;font-size:.9em}</style>"
)


def to_html(answers: FormAnswers) -> str:
    """The form as filled, compact: by group, a row per field filled in (a format problem
    highlighted beside its field), then one line naming the fields left blank; rows of a
    repeating group that hold nothing are left out.  The lines that could not be read
    come first."""
    e = html.escape
    parts = [_STYLE, f"<p><b>{e(answers.summary().splitlines()[0])}</b></p>"]
    if answers.notes:
        notes = "".join(f'<li class="mbl-bad">{e(n)}</li>' for n in answers.notes)
        parts.append(f"<ul>{notes}</ul>")
    used = {(a.field.group, a.line) for a in answers.entries.values() if a.line and not a.blank}
    rows: list[str] = []
    for group, slots in itertools.groupby(answers.spec.slots(), key=lambda s: s[1].group):
        if group:
            rows.append(f'<tr><td colspan="3" class="mbl-group">{e(group)}</td></tr>')
        blank, rows_left_out = [], False
        for key, _field, line in slots:
            a = answers.entries[key]
            if line and (group, line) not in used:
                rows_left_out = True
            elif a.blank:
                blank.append(a.title)
            else:
                cls = ' class="mbl-bad"' if a.problems else ""
                note = "; ".join(p.split(": ", 1)[-1] for p in a.problems)
                rows.append(
                    f"<tr{cls}><td>{e(a.title)}</td><td>{e(a.raw)}</td><td>{e(note)}</td></tr>"
                )
        if rows_left_out:
            blank.append("the other rows" if any(g == group for g, _ in used) else "every row")
        if blank:
            rows.append(
                f'<tr class="mbl-blank"><td colspan="3">Left blank: {e("; ".join(blank))}</td></tr>'
            )
    parts.append(f'<table class="mbl-form">{"".join(rows)}</table>')
    return "".join(parts)


# -- the %%answers magic --------------------------------------------------------------------------
_FORMS: dict[str, FormSpec] = {}


def magic_line(assignment: str, which: str, binds: Mapping[str, str]) -> str:
    """An answer cell's first line for one of an assignment's several forms.

    >>> magic_line("post_835", "denial", {"denial": "q3"})
    '%%answers post_835:denial q3'
    """
    return f"%%answers {assignment}:{which} {binds[which]}"


def register(spec: FormSpec) -> FormSpec:
    """Make ``spec`` known to ``%%answers`` by its name (modules' FORM/FORMS are found alone)."""
    _FORMS[spec.name] = spec
    return spec


def form(name: str) -> FormSpec:
    """The form ``%%answers NAME`` names: a registered one, else ``FORM`` of the assignment
    module NAME (``FORMS[q]`` for ``NAME:q``); a dotted NAME is a module path."""
    if name in _FORMS:
        return _FORMS[name]
    mod_name, _, which = name.partition(":")
    path = mod_name if "." in mod_name else f"medbill_lab.training.assignments.{mod_name}"
    try:
        mod = importlib.import_module(path)
    except ImportError as exc:
        raise FormError(f"no answer form {name!r}: {exc}") from None
    found = getattr(mod, "FORMS", {}).get(which) if which else getattr(mod, "FORM", None)
    if not isinstance(found, FormSpec):
        raise FormError(
            f"no answer form {name!r} (the module has no FORM{'S' if which else ''} for it)"
        )
    return found


def run(line: str, cell: str, namespace: dict) -> FormAnswers:
    """What ``%%answers FORM [NAME]`` does, display aside: parse ``cell`` with the form and
    bind the result to NAME (``answers`` by default) in ``namespace``."""
    words = line.split()
    if not words:
        raise FormError("%%answers needs the form's name, e.g. %%answers cms1500_completion")
    answers = parse(form(words[0]), cell, start=2)  # line 1 of the cell is %%answers
    namespace[words[1] if len(words) > 1 else "answers"] = answers
    return answers


def _answers_magic(line: str, cell: str) -> None:
    from IPython import get_ipython
    from IPython.display import display

    shell = get_ipython()
    answers = run(line, cell, shell.user_ns)
    display({"text/html": to_html(answers), "text/plain": answers.summary()}, raw=True)


def load_ipython_extension(ipython: object) -> None:
    """``%load_ext medbill_lab.training.answer_forms``: register the ``%%answers`` cell magic."""
    ipython.register_magic_function(_answers_magic, magic_kind="cell", magic_name="answers")  # type: ignore[attr-defined]


# -- plain feedback ---------------------------------------------------------------------------------
def plain_feedback_cells(nb: object, say: str = "Checked") -> object:
    """The notebook as a student's feedback shows it: no code of the assignment's own.

    Each graded test cell's source becomes one plain line ("Checked: Part 1: patient and
    insured (4 points)"), each other locked code cell its first comment (what it does);
    an error in them keeps its message but not its traceback (which quotes the code);
    outputs of mimetype :data:`ELEMENTS_MIME` (per-element logs for the instructor) are
    dropped.  The printed explanations, the points and the student's own cells stay.
    Works on an nbformat node in place, and returns it."""
    for cell in nb.cells:  # type: ignore[attr-defined]
        if cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata", {}).get("nbgrader", {})
        outputs = [o for o in cell.get("outputs", []) if ELEMENTS_MIME not in o.get("data", {})]
        if meta.get("solution") and cell["source"].startswith("%%answers"):
            kept = [ln for ln in cell["source"].split("\n") if ln.strip() not in NBGRADER_STUB]
            cell["source"] = "\n".join(kept)  # a form released before the stub was taken out
        if meta and not meta.get("solution"):
            if meta.get("grade"):
                cell["source"] = f"{say}: {cell_title(cell['source'], meta)}"
            else:
                cell["source"] = _first_comment(cell["source"]) or "(the assignment's own code)"
            outputs = [_plain_error(o) for o in outputs]
        cell["outputs"] = outputs
    return nb


def _first_comment(source: str) -> str:
    return next((ln.lstrip("# ") for ln in source.splitlines() if ln.startswith("#")), "")


def _plain_error(output: dict) -> dict:
    """An error output as one printed line, its message without the traceback."""
    if output.get("output_type") != "error":
        return output
    from nbformat.v4 import new_output

    text = f"Not passed: {output.get('evalue') or output.get('ename', 'error')}\n"
    return new_output("stream", name="stdout", text=text)


def cell_title(source: str, meta: Mapping) -> str:
    """A test cell's plain title: its first comment line, else its grade id, with its points.

    >>> cell_title("# Part 1: patient and insured (4 points).\\nx = 1", {"points": 4})
    'Part 1: patient and insured (4 points)'
    >>> cell_title("x = 1", {"grade_id": "test_q2", "points": 2})
    'test q2 (2 points)'
    """
    first = next((ln for ln in source.splitlines() if ln.startswith("#")), "")
    title = first.lstrip("# ").rstrip(". ")
    if "BEGIN" in title or not title:
        title = str(meta.get("grade_id", "a graded cell")).replace("_", " ")
    if "point" not in title:
        points = meta.get("points", 0)
        title += f" ({points:g} point{'s' if points != 1 else ''})"
    return title
