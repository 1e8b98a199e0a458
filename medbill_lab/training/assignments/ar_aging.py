"""The AR aging assignment for one course: its own open balances to age with pandas.

``draw(rng)`` makes the course's report date, payers and open balances (every bucket
edge among the ages: 0, 30, 31, 60, 61, 90, 91, 120, 121 days) and returns the
template's values: the data the student reads, the model answers, and the key (the
aging tables by ``medbill_lab.practice.aging.bucket``) for the hidden tests.

>>> import random
>>> a, b = draw(random.Random(1)), draw(random.Random(2))
>>> a["rows"] != b["rows"] and a["q1_key"] != b["q1_key"]
True
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence

from medbill_lab.practice.aging import BUCKETS, bucket
from medbill_lab.training.assignments import PartScore, literal, part_points
from medbill_lab.training.element_log import shares

PAYERS = ("Aetna", "BlueCross", "Cigna", "Humana", "Medicaid", "Medicare", "Tricare",
          "UnitedHealthcare", "Workers' comp")  # fmt: skip
EDGE_AGES = (0, 30, 31, 60, 61, 90, 91, 120, 121)
SOLUTION_Q1 = """age = (pd.Timestamp(AS_OF) - open_ar["dos"]).dt.days
aged = open_ar.assign(
    bucket=pd.cut(age, bins=[-10**6, 30, 60, 90, 120, 10**6], labels=BUCKETS)
)
by_payer = (
    aged.groupby(["payer", "bucket"], observed=False)["balance"].sum().unstack(fill_value=0)
    .reindex(columns=BUCKETS, fill_value=0)
)"""
SOLUTION_Q2 = """by_patient = (
    aged.groupby(["patient", "bucket"], observed=False)["balance"].sum().unstack(fill_value=0)
    .reindex(columns=BUCKETS, fill_value=0)
)"""
SOLUTION_Q3 = """total_ar = float(open_ar["balance"].sum())
share_over_90 = float(by_payer[["91-120", "121+"]].to_numpy().sum()) / total_ar"""


def open_rows(rng: random.Random, as_of: dt.date) -> tuple[list[str], list[tuple]]:
    """Payers (four plans and self-pay) and the open balances: patient, payer, dos, balance."""
    payers = [*sorted(rng.sample(PAYERS, 4)), "Self-pay"]
    n_patients = rng.randint(8, 14)
    ages = [*EDGE_AGES, *(rng.randint(0, 240) for _ in range(rng.randint(27, 39)))]
    rng.shuffle(ages)
    rows = [
        (
            f"P{rng.randint(1, n_patients):03d}",
            payers[n % len(payers)],
            str(as_of - dt.timedelta(days=age)),
            round(rng.uniform(15, 600), 2),
        )
        for n, age in enumerate(ages)
    ]
    return payers, rows


def aging(rows: Sequence[tuple], as_of: dt.date, by: int) -> dict[str, list[float]]:
    """Balances summed per bucket, per value of column ``by`` (0 patient, 1 payer)."""
    out: dict[str, list[float]] = {}
    for row in rows:
        sums = out.setdefault(row[by], [0.0] * len(BUCKETS))
        sums[BUCKETS.index(bucket((as_of - dt.date.fromisoformat(row[2])).days))] += row[3]
    return {k: [round(v, 2) for v in sums] for k, sums in sorted(out.items())}


def draw(rng: random.Random) -> dict[str, str]:
    """The template's values for one course: report date, payers, balances, answers and keys."""
    as_of = dt.date(2025, 1, 31) + dt.timedelta(days=rng.randrange(600))
    payers, rows = open_rows(rng, as_of)
    by_payer = aging(rows, as_of, 1)
    total = sum(r[3] for r in rows)
    share = sum(sum(v[3:]) for v in by_payer.values()) / total
    return {
        "as_of": f"dt.date({as_of.year}, {as_of.month}, {as_of.day})",
        "payers": literal(payers),
        "rows": "[\n" + "".join(f"    {r!r},\n" for r in rows) + "]",
        "q1_solution": SOLUTION_Q1,
        "q1_key": literal(by_payer),
        "q2_solution": SOLUTION_Q2,
        "q2_key": literal(aging(rows, as_of, 0)),
        "q3_solution": SOLUTION_Q3,
        "q3_key": literal({"total_ar": round(total, 2), "share_over_90": round(share, 6)}),
    }


# -- grading helpers (called by the hidden tests) -------------------------------------------
def score_table(given: object, key: Mapping[str, Sequence[float]], points: float) -> PartScore:
    """``points`` x the share of rows whose five buckets are all within a cent of the key."""
    import pandas as pd

    try:
        table = pd.DataFrame(given).copy()
        table.columns = [str(c) for c in table.columns]
        table.index = [str(i) for i in table.index]
    except (ValueError, TypeError):
        table = pd.DataFrame()

    def row_right(label: str, want: Sequence[float]) -> bool:
        if label not in table.index or any(b not in table.columns for b in BUCKETS):
            return False
        try:
            got = [float(table.at[label, b]) for b in BUCKETS]
        except (TypeError, ValueError):
            return False
        return all(abs(g - w) < 0.006 for g, w in zip(got, want, strict=True))

    right = [k for k, v in key.items() if row_right(k, v)]

    def shown(label: str) -> str:
        try:
            return ", ".join(str(table.at[label, b]) for b in BUCKETS if b in table.columns)
        except (KeyError, TypeError, ValueError):  # no such row, or a repeated label
            return ""

    rows = shares([(k, list(v), shown(k), k in right) for k, v in key.items()], "AR", points)
    return part_points(right, [k for k in key if k not in right], points, rows=rows)


def score_summary(
    total: object, share: object, key: Mapping[str, float], points: float
) -> PartScore:
    """One share for the total AR (to the cent), one for the share over 90 days (to 0.001)."""

    def near(value: object, want: float, tol: float) -> bool:
        try:
            return abs(float(value) - want) < tol  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return False

    checks = {
        "total_ar": near(total, key["total_ar"], 0.006),
        "share_over_90": near(share, key["share_over_90"], 0.001),
    }
    right = [k for k, ok in checks.items() if ok]
    given = {"total_ar": total, "share_over_90": share}
    rows = shares([(k, key[k], given[k], ok) for k, ok in checks.items()], "AR", points)
    return part_points(right, [k for k in checks if k not in right], points, rows=rows)


def partial(correct: Mapping[str, str]) -> dict[str, str]:
    """Partly right answers: aged from the report date minus a month (most rows off),
    the patient table right, and the share over 60 days instead of 90."""
    q1 = correct["q1_by_payer"].replace(
        "pd.Timestamp(AS_OF)", "(pd.Timestamp(AS_OF) - pd.Timedelta(days=30))"
    )
    q3 = correct["q3_summary"].replace('[["91-120", "121+"]]', '[["61-90", "91-120", "121+"]]')
    return {
        "q1_by_payer": q1,
        "q3_summary": q3,
        "q2_by_patient": correct["q2_by_patient"].replace(
            "aged.groupby",
            "aged.assign(bucket=pd.cut((pd.Timestamp(AS_OF) - open_ar['dos']).dt.days, "
            "bins=[-10**6, 30, 60, 90, 120, 10**6], labels=BUCKETS)).groupby",
        ),
    }
