"""The ICD-10-CM coding assignment's answer form: one line of codes per case.

The notebook itself is built by :mod:`medbill_lab.training.coding_assignment` from a
course's cases (it is not a template with placeholders); this module holds what its
answer cell and test cells use: ``%%answers icd10cm_coding`` reads lines such as
``Case 2 codes: <first code>, <second code>`` into :data:`FORM`, and the test cells
take each case's codes with :func:`typed`, the text the grader scores as before.

>>> from medbill_lab.training import answer_forms as forms
>>> a = forms.parse(FORM, "Case 1 codes: r42\\nCase 2: i11.0 i50.22")
>>> typed(a, 1), typed(a, 2), typed(a, 3), codes(a, 2)
('r42', 'i11.0 i50.22', '', ['I11.0', 'I50.22'])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from medbill_lab.training.answer_forms import Field, FormAnswers, FormSpec, fill_form, parse

NAME = "icd10cm_coding"
MAGIC = f"%%answers {NAME}"
MAX_CASES = 20  # coding_assignment.MAX_CASES: an instructor's file holds up to 20 cases
GROUP = (
    "Your codes: one line per case, in sequence (the first-listed diagnosis first), a comma "
    "between codes; leave a case blank if you have no answer yet"
)


def _spec(n: int) -> FormSpec:
    field = Field("case", "Case {n} codes", "codes", repeat=n, group=GROUP)
    return FormSpec(NAME, [field])


# the form the magic reads: room for the largest set, so any course's notebook parses
FORM = _spec(MAX_CASES)


def blank(n: int) -> str:
    """The answer cell's text before the solution region: the form for ``n`` cases."""
    return f"{MAGIC}\n{fill_form(_spec(n), {})}"


def filled(answers: Sequence[str]) -> str:
    """The form's lines with each case's codes filled in (no magic line), case 1 first."""
    values = {f"case.{i}": list(_split(a)) for i, a in enumerate(answers, 1)}
    return fill_form(_spec(len(answers)), values)


def _split(text: str) -> list[str]:
    return [c.strip() for c in str(text).replace(";", ",").split(",") if c.strip()]


def typed(answers: object, case: int) -> str:
    """What the student typed for ``case``, as the grader reads it ('' when blank).

    Takes the form (:class:`FormAnswers`) or, in a course made before the form, the
    ``{"case 1": "codes"}`` dict of its answer cell."""
    if isinstance(answers, FormAnswers):
        return answers.raw(f"case.{case}") if f"case.{case}" in answers.entries else ""
    if isinstance(answers, Mapping):
        return str(answers.get(f"case {case}", "") or "")
    return ""


def codes(answers: object, case: int) -> list[str]:
    """The codes typed for ``case``, normalised (upper case, split on commas or spaces)."""
    from medbill_lab.training.grading import parse_codes

    return parse_codes(typed(answers, case))


def key_of(source: str) -> dict[str, str]:
    """``{"case 1": "codes", ...}`` from a filled answer cell (the form's text).

    >>> key_of("%%answers icd10cm_coding\\nCase 1 codes: R42\\nCase 2 codes: I11.0, I50.22")
    {'case 1': 'R42', 'case 2': 'I11.0, I50.22'}
    """
    read = parse(FORM, source)
    top = max([n for n in range(1, MAX_CASES + 1) if read.entries[f"case.{n}"].where] or [0])
    return {f"case {n}": read.raw(f"case.{n}") for n in range(1, top + 1)}
