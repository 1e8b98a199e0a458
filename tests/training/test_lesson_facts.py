"""Rules the lessons state, with the exceptions their source names: a lesson that teaches a rule
without them teaches the wrong trade (review of issue 15)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def _section(filename: str, heading: str) -> str:
    """The markdown of one lesson from ``heading`` to the next ``## `` heading."""
    nb = nbformat.read(NOTEBOOKS / filename, as_version=4)
    text = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    start = text.index(heading)
    end = text.find("\n## ", start + len(heading))
    return re.sub(r"\s+", " ", text[start : end if end > 0 else None])


def test_lesson_12_states_minimum_necessary_with_its_exceptions():
    # 45 CFR 164.502(b)(2): treatment, the individual, authorizations, HHS, required by law,
    # and the standard transactions are outside the standard
    text = _section("12_hipaa_and_confidentiality.ipynb", "## Minimum necessary")
    assert "164.502(b)(2)" in text
    assert "For any use or disclosure other than treatment" not in text
    for exception in ("treatment", "to the patient", "authorized", "HHS", "required by law"):
        assert exception in text, exception
    # masking a statement mailed to the patient is a safeguard, not minimum necessary
    assert "164.530(c)" in text


def test_lesson_10_does_not_cite_minimum_necessary_for_what_goes_to_the_patient():
    text = _section("10_statements_and_collections.ipynb", "## The statement")
    assert "164.502(b)(2)(ii)" in text and "164.530(c)" in text
    assert "carries only the minimum necessary (45 CFR 164.502(b))" not in text


def test_lesson_10_names_the_fdcpa_third_party_exceptions_where_the_act_puts_them():
    # 15 U.S.C. 1692c(b) lists the third parties; 1692c(d) counts the spouse as the consumer
    text = _section("10_statements_and_collections.ipynb", "## Collecting within the rules")
    assert "1692c(b), (d)" in text and "spouse" in text


def test_lesson_07_names_the_segment_its_999_names():
    # the 999's IK3-02 is the segment's position in the transaction set; the prose after it
    # must not send the learner to another one
    text = _section("07_clearinghouse_and_837p.ipynb", "## 4. A rejection")
    ik3 = re.search(r"IK3\*DTP\*(\d+)\*", text).group(1)
    said = re.findall(r"DTP03 of segment (\d+)", text)
    assert said and set(said) == {ik3}


def test_lesson_11_gives_the_60_day_rule_with_its_pause_for_related_overpayments():
    # 42 CFR 401.305(b)(2) (CY2025 physician fee schedule rule): a timely, good-faith
    # investigation of related overpayments suspends the deadline for up to 180 days
    from medbill_lab.training.lesson_checks import check

    text = _section("11_fraud_waste_and_abuse.ipynb", "## From a flag to a finding")
    assert "401.305(b)(2)" in text and "180 days" in text
    credit = _section("10_statements_and_collections.ipynb", "## Collecting within the rules")
    assert "1320a-7k(d)" in credit and "180 days" in credit
    right = check("l11_overpayment_days", "60")
    assert right.correct and "180 days" in right.to_text()
    slip = check("l11_overpayment_days", "180")
    assert not slip.correct and "suspended" in slip.lines[1]
