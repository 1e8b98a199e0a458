"""The 835 explained, the posting key, and the post_835 exercise's partial credit."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from medbill_lab.datasets import datasets_dir
from medbill_lab.remit_explain import check_line, explain, posting_key
from medbill_lab.x12_835 import parse_835

ROOT = Path(__file__).resolve().parents[1]


def sample():
    return parse_835((datasets_dir() / "remit" / "sample_835.txt").read_text())[0]


def test_explain_names_every_claim_carc_and_the_balance():
    text = explain(sample())
    for needle in ("MGF-10560", "MGF-10611", "MGF-10640", "CO-29", "PR-1", "M16", "denied"):
        assert needle in text
    assert "filing deadline" in text  # CARC 29 in plain language
    assert "claims paid $266.80 - PLB $30.00 = $236.80; payment $236.80 -> balances" in text


def test_posting_key_splits_each_charge_three_ways():
    remit = sample()
    key = posting_key(remit)
    assert key["MGF-10560"][2] == (Decimal("29.2"), Decimal("8.5"), Decimal("7.3"))
    assert key["MGF-10611"] == [(Decimal(0), Decimal(180), Decimal(0))]
    for claim in remit.claims:
        charges = [ln.charge for ln in claim.lines] or [claim.charge]
        assert [sum(t) for t in key[claim.patient_account]] == charges


def test_check_line_feedback():
    remit = sample()
    assert check_line(remit, "MGF-10560", 3, (29.2, 8.5, 7.3)).startswith("Right")
    assert "patient responsibility" in check_line(remit, "MGF-10560", 3, (29.2, 8.5, 5))
    assert "no line 4" in check_line(remit, "MGF-10560", 4, (0, 0, 0))
    assert "three amounts" in check_line(remit, "MGF-10560", 1, ("x", 1, 2))


def _run_with(posting: str) -> float:
    """Execute the source exercise with another q1 answer; the q1 test cell's score."""
    nb = nbformat.read(ROOT / "exercises" / "post_835" / "post_835.ipynb", 4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q1_posting":
            cell.source = re.sub(
                r"### BEGIN SOLUTION\n.*### END SOLUTION", posting, cell.source, flags=re.S
            )
    NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    test = next(
        c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q1_posting_test"
    )
    return float(
        next(o for o in test.outputs if o.output_type == "execute_result").data["text/plain"]
    )


def test_exercise_gives_one_point_per_claim_posted_right():
    # the denial posted as the patient's balance, and the PT line's coinsurance written off
    partial = (
        'posting = {"MGF-10560": [(160, 40, 40), ("7.20", "6.00", "1.80"), (29.2, 8.5, 7.3)],\n'
        '           "MGF-10611": [(0, 0, 180)], "MGF-10640": [(70.4, 39.6, 0)]}'
    )
    assert _run_with(partial) == 1.0
