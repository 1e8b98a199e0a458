"""The values a 0.1 template of a now form-answered billing assignment took, from today's draw.

Today's ``draw`` writes each model answer on its form (``%%answers``); a course made
before the forms has Python answer cells, whose template took the model answer as a
Python literal (and a skeleton for the blank answer).  ``tests/training/test_old_course.py``
fills those old templates with these, so both grade the same answers.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from medbill_lab.training.assignments import ar_aging, deidentify_notes, literal


def _key(values: dict[str, str], name: str) -> object:
    return ast.literal_eval(values[name])


def billing_forms_old_values() -> dict[str, dict[str, Callable[[dict[str, str]], str]]]:
    """assignment -> {placeholder: today's values -> the old template's value}."""
    return {
        "post_835": {
            "q1_blank": lambda v: literal(
                {a: [(None, None, None)] * len(ts) for a, ts in _key(v, "q1_key").items()}
            ),
            "q1_solution": lambda v: literal(
                {a: [tuple(float(x) for x in t) for t in ts] for a, ts in _key(v, "q1_key").items()}
            ),
            "q2_solution": lambda v: literal(
                {k: x if k == "balances" else float(x) for k, x in _key(v, "q2_key").items()}
            ),
            "q3_solution": lambda v: v["q3_key"],
        },
        "denial_queue": {
            "q1_blank": lambda v: literal(dict.fromkeys(_key(v, "q1_key"), "")),
            "q1_solution": lambda v: v["q1_key"],
            "q2_solution": lambda v: (
                f'patient_group = "PR"\npatient_items = {literal(set(_key(v, "q2_key")))}'
            ),
            "q3_solution": lambda v: literal({a: float(x) for a, x in _key(v, "q3_key").items()}),
        },
        "ar_aging": {  # the model answers were pandas code
            "q1_solution": lambda v: ar_aging.SOLUTION_Q1,
            "q2_solution": lambda v: ar_aging.SOLUTION_Q2,
            "q3_solution": lambda v: ar_aging.SOLUTION_Q3,
        },
        "deidentify_notes": {  # a dict of categories, and the extract in pandas
            "q1_solution": lambda v: v["q1_key"],
            "q2_solution": lambda v: deidentify_notes.SOLUTION_Q2,
        },
    }
