"""The values a 0.1 template of a now form-answered coding assignment took, from today's draw.

Today's ``draw`` of terminology, E/M leveling and modifiers/NCCI writes each model
answer on its form (``%%answers``) and adds placeholders the 0.1 templates do not have
(the course's forms, the items a form lists); a course made before the forms has
Python answer cells, whose template took the model answer as a Python literal (and a
skeleton for the blank answer).  ``tests/training/test_old_course.py`` fills those old
templates with these (the placeholders an old template lacks are left out), so both
grade the same answers.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from medbill_lab.training import answer_forms as forms
from medbill_lab.training.assignments import em_leveling, literal, modifier_ncci
from medbill_lab.training.assignments import terminology as terms


def _key(values: dict[str, str], name: str) -> dict:
    return ast.literal_eval(values[name])


def _em(n: int) -> Callable[[dict[str, str]], str]:
    """Vignette ``n``'s model answer as the 0.1 cell held it: ``v1 = {...}`` or ``v3 = '99213'``."""

    def old(values: dict[str, str]) -> str:
        read = forms.parse(em_leveling.FORMS[f"v{n}"], values[f"v{n}_solution"])
        return f"v{n} = {literal(em_leveling.answer_of(read))}"

    return old


def _ncci(q: str) -> Callable[[dict[str, str]], str]:
    """Question ``q``'s model answer as the 0.1 template took it (a Python literal)."""
    return lambda v: literal(
        modifier_ncci.plain(forms.parse(modifier_ncci.FORMS[q], v[f"{q}_solution"]), q)
    )


def coding_forms_old_values() -> dict[str, dict[str, Callable[[dict[str, str]], str]]]:
    """assignment -> {placeholder: today's values -> the old template's value}."""
    return {
        "terminology": {
            "q1_blank": lambda v: literal(dict.fromkeys(_key(v, "q1_key"), "")),
            "q1_solution": lambda v: literal(terms._read(v["q1_solution"])),
            "q2_blank": lambda v: literal({t: [] for t in _key(v, "q2_key")}),
            "q2_solution": lambda v: literal(_key(v, "q2_key")),
            "q3_blank": lambda v: literal(dict.fromkeys(_key(v, "q3_key"), "")),
            "q3_solution": lambda v: literal(terms._read(v["q3_solution"])),
            "q4_solution": lambda v: terms.IS_SURGICAL,
        },
        "em_leveling": {f"v{n}_solution": _em(n) for n in range(1, em_leveling.N_VISITS + 1)},
        "modifier_ncci": {f"{q}_solution": _ncci(q) for q in modifier_ncci.FORMS},
    }
