"""The AR aging assignment for one course: its own open balances to age with pandas.

``draw(rng)`` makes the course's report date, payers and open balances (every bucket
edge among the ages: 0, 30, 31, 60, 61, 90, 91, 120, 121 days) and returns the
template's values: the data the student reads, the model answers, and the key (the
aging tables by ``medbill_lab.practice.aging.bucket``) for the hidden tests.

Students work the data with pandas in a work cell and answer on plain-text forms
(:data:`FORMS`: ``%%answers ar_aging:by_payer by_payer`` and so on), as they would fill
in an aging report: a row per payer or patient, its name and its five bucket sums.
The scorers take the form or, in a course made before the forms, the DataFrames and
numbers; the form maps to those (:func:`table_from`, :func:`summary_from`), so the
points are the same for the same answers.

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
from medbill_lab.training import answer_forms as forms
from medbill_lab.training.answer_forms import Field, FormAnswers, FormSpec
from medbill_lab.training.assignments import PartScore, literal, part_points
from medbill_lab.training.element_log import shares

PAYERS = ("Aetna", "BlueCross", "Cigna", "Humana", "Medicaid", "Medicare", "Tricare",
          "UnitedHealthcare", "Workers' comp")  # fmt: skip
EDGE_AGES = (0, 30, 31, 60, 61, 90, 91, 120, 121)
# the model answers of a course made before the forms (pandas code)
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
    by_patient = aging(rows, as_of, 0)
    summary = {"total_ar": round(total, 2), "share_over_90": round(share, 6)}
    return {
        "as_of": f"dt.date({as_of.year}, {as_of.month}, {as_of.day})",
        "payers": literal(payers),
        "rows": "[\n" + "".join(f"    {r!r},\n" for r in rows) + "]",
        "q1_solution": filled_form("by_payer", by_payer),
        "q1_key": literal(by_payer),
        "q2_solution": filled_form("by_patient", by_patient),
        "q2_key": literal(by_patient),
        "q3_solution": filled_form("summary", summary),
        "q3_key": literal(summary),
    }


# -- the answer forms: an aging report, a row per payer or patient ---------------------------------
MAX_PATIENTS = 14  # open_rows draws 8 to 14 patients
AMOUNT = r"\$?\d+(\.\d{1,2})?"
FIVE = rf"{AMOUNT}((\s*[,;|]\s*|\s+){AMOUNT}){{4}}"
# shown after the label, and in the message when a row is not five amounts
FIVE_HINT = "five amounts in the order 0-30, 31-60, 61-90, 91-120, 121+"


def _rows_form(which: str, who: str, rows: int, name: Field) -> FormSpec:
    group = (
        f"One row per {who.lower()}: its {name.label.split()[-1]}, then its five bucket "
        "sums in the order "
        "0-30, 31-60, 61-90, 91-120, 121+ (0 where none, no thousands commas); "
        "leave the rows you do not need blank"
    )
    return FormSpec(
        f"ar_aging:{which}",
        [
            Field(name.id, name.label, name.kind, repeat=rows, group=group,
                  pattern=name.pattern, hint=name.hint),
            Field("sums", f"{who} row {{n}} sums", repeat=rows, group=group, pattern=FIVE,
                  hint=FIVE_HINT),
        ],
        title=f"Aging by {who.lower()}",
    )  # fmt: skip


FORMS = {
    "by_payer": _rows_form("by_payer", "Payer", 5, Field("name", "Payer row {n} name")),
    "by_patient": _rows_form(
        "by_patient", "Patient", MAX_PATIENTS,
        Field("name", "Patient row {n} ID", "code", pattern=r"P\d{3}", hint="e.g. P004"),
    ),
    "summary": FormSpec(
        "ar_aging:summary",
        [
            Field("total_ar", "Total AR", "money"),
            Field("share_over_90", "Share of AR over 90 days, as a fraction", "number",
                  hint="between 0 and 1, e.g. 0.25"),
        ],
        title="Total AR and the share over 90 days",
    ),
}  # fmt: skip
# the name each answer cell binds, by form
BINDS = {"by_payer": "by_payer", "by_patient": "by_patient", "summary": "summary"}
# a payer typed in any case is the payer of that name
_PAYER_NAMES = {p.lower(): p for p in (*PAYERS, "Self-pay")}


def magic(which: str) -> str:
    """The answer cell's first line, e.g. ``%%answers ar_aging:by_payer by_payer``."""
    return forms.magic_line("ar_aging", which, BINDS)


def _sums(text: object) -> list[float | None]:
    """The five bucket sums of a row as typed (None each when unreadable)."""
    import re

    if text is None:
        return [None] * len(BUCKETS)
    return [float(x) for x in re.findall(r"\d+(?:\.\d+)?", str(text))]


def table_from(a: FormAnswers) -> object:
    """The aging table the form gives: a DataFrame, a row per name filled, a column per
    bucket (what :func:`score_table` and the self-check take)."""
    import pandas as pd

    rows = {}
    for n in a.rows(["name", "sums"]):
        name = str(a.get(f"name.{n}", f"row {n}"))
        rows[_PAYER_NAMES.get(name.lower(), name)] = _sums(a.get(f"sums.{n}"))
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(BUCKETS)) if rows else (
        pd.DataFrame(columns=list(BUCKETS))
    )  # fmt: skip


def summary_from(a: FormAnswers) -> tuple[float | None, float | None]:
    """(total AR, share over 90 days) as numbers (None when blank or unreadable)."""
    return tuple(None if a.get(k) is None else float(a[k]) for k in ("total_ar", "share_over_90"))  # type: ignore[return-value,arg-type]


def _as_table(given: object) -> object:
    return table_from(given) if isinstance(given, FormAnswers) else given


def form_values(which: str, answer: Mapping[str, object]) -> dict[str, object]:
    """The form's values that say ``answer`` (a key): the inverse of :func:`table_from`
    and :func:`summary_from`."""
    if which == "summary":
        return dict(answer)
    values: dict[str, object] = {}
    for n, (name, sums) in enumerate(answer.items(), 1):
        values[f"name.{n}"] = name
        values[f"sums.{n}"] = ", ".join(f"{x:.2f}" for x in sums)  # type: ignore[union-attr]
    return values


def filled_form(which: str, answer: Mapping[str, object]) -> str:
    """The form ``which`` filled in with ``answer`` (the model answer is the key's)."""
    return forms.fill_form(FORMS[which], form_values(which, answer))


def _answer_cell(which: str, answer: Mapping[str, object]) -> str:
    return f"{magic(which)}\n{filled_form(which, answer)}"


# -- the self-checks (the visible part of each test cell; never an answer) ----------------------
def check_table(given: object, labels: Sequence[str] | set[str]) -> str:
    """The table's total (the sum of the balances it holds); AssertionError when its
    columns are not the buckets in order or its rows are not one per ``labels``."""
    import pandas as pd

    table = _as_table(given)
    assert isinstance(table, pd.DataFrame), "the table is a form (or a pandas DataFrame)"
    assert [str(c) for c in table.columns] == list(BUCKETS), "the columns are the five buckets"
    assert set(map(str, table.index)) == set(labels), (
        f"one row for each of: {', '.join(sorted(labels))}"
    )
    return f"Table total: {round(float(table.to_numpy(dtype=float).sum()), 2)}"


def check_summary(total: object, share: object) -> None:
    """AssertionError unless the total is an amount and the share a fraction."""
    assert isinstance(total, int | float) and total > 0, "the total AR is a number of dollars"
    assert isinstance(share, int | float) and 0 <= share <= 1, (
        "the share over 90 days is a fraction, e.g. 0.25"
    )


# -- grading helpers (called by the hidden tests) -------------------------------------------
def score_table(given: object, key: Mapping[str, Sequence[float]], points: float) -> PartScore:
    """``points`` x the share of rows whose five buckets are all within a cent of the key.

    ``given``: the form, or the DataFrame of a course made before the forms."""
    import pandas as pd

    given = _as_table(given)
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


# what the feedback calls each part of question 3: the form's words, not the key's names
SAID = {"total_ar": "the total AR", "share_over_90": "the share over 90 days"}


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
    right = [SAID[k] for k, ok in checks.items() if ok]
    wrong = [SAID[k] for k, ok in checks.items() if not ok]
    given = {"total_ar": total, "share_over_90": share}
    rows = shares([(k, key[k], given[k], ok) for k, ok in checks.items()], "AR", points)
    return part_points(right, wrong, points, rows=rows)


# the partly right submission's slip: every payer's balances but the first's aged a bucket
# too old (counted from a report date a month late), the same on the form and in pandas
SLIP = """
_t = by_payer.to_numpy(dtype=float, copy=True)
for _r in _t[1:]:
    _r[:] = [0.0, _r[0], _r[1], _r[2], _r[3] + _r[4]]
by_payer = pd.DataFrame(_t, index=by_payer.index, columns=BUCKETS)"""


def _slipped(sums: Sequence[float]) -> list[float]:
    return [0.0, sums[0], sums[1], sums[2], sums[3] + sums[4]]


def partial(correct: Mapping[str, str]) -> dict[str, str]:
    """Partly right answers: every payer's balances but the first's a bucket too old, the
    patient table right, and the share over 60 days instead of 90.

    Written on the forms (or in pandas, for a course made before the forms)."""
    source = correct["q1_by_payer"]
    if not source.lstrip().startswith("%%answers"):
        q3 = correct["q3_summary"].replace('[["91-120", "121+"]]', '[["61-90", "91-120", "121+"]]')
        return {"q1_by_payer": source + SLIP, "q3_summary": q3}
    table = table_from(forms.parse(FORMS["by_payer"], source))
    right = {str(k): [float(x) for x in v] for k, v in table.iterrows()}
    names = list(right)
    slipped = {k: (v if k == names[0] else _slipped(v)) for k, v in right.items()}
    total, _ = summary_from(forms.parse(FORMS["summary"], correct["q3_summary"]))
    over_60 = sum(sum(v[2:]) for v in slipped.values()) / (total or 1)
    return {
        "q1_by_payer": _answer_cell("by_payer", slipped),
        "q3_summary": _answer_cell(
            "summary", {"total_ar": total, "share_over_90": round(over_60, 6)}
        ),
    }
