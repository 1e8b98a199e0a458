"""The teaching payers: who they are and the benefits they apply, one table.

``datasets/practice/payers.csv`` (provenance in that folder's README) lists the
four invented payers of the generated practice: the synthetic practice gives
them rows in its database, the payer simulator adjudicates by their rules and
the fraud lab's claims go to them.  Read it with :func:`teaching_payers`; fields
are named, never read by position.

>>> [p.payer_id for p in teaching_payers()]
['MBL01', 'MBL02', 'MBL03', 'MBL04']
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from medbill_lab.datasets import read_csv

PAYERS_CSV = "practice/payers.csv"


class TeachingPayer(NamedTuple):
    """One teaching payer (a row of ``payers.csv``)."""

    payer_id: str  # NM109 of 2010BB, the payer's ID on the claim
    name: str
    program: str  # CMS-1500 item 1: medicare, medicaid, group ...
    filing_indicator: str  # SBR09 claim filing indicator (MB, MC, CI ...)
    timely_filing_days: int  # days after the date of service a claim may arrive
    fee_percent: int  # allowed amount as a % of the practice's charge
    copay: int  # dollars per E/M visit
    deductible: int  # dollars per year
    coinsurance_pct: int  # the patient's % of the allowed amount after the deductible
    non_covered: tuple[str, ...]  # codes the plan excludes (PR-204)
    prior_auth: tuple[str, ...]  # codes the plan pays only with an authorization (item 23)


def _codes(cell: str) -> tuple[str, ...]:
    return tuple(cell.split())


def _whole(row: dict[str, str], column: str) -> int:
    """A whole-number cell, or a message naming the file, payer and column."""
    value = row[column]
    if not value.strip().isdigit():
        raise ValueError(
            f"{PAYERS_CSV}: payer {row['payer_id']}: {column} must be a whole number, not {value!r}"
        )
    return int(value)


@cache
def teaching_payers() -> tuple[TeachingPayer, ...]:
    """The teaching payers in file order (the generator's order: keep it).

    >>> teaching_payers()[2].non_covered, teaching_payers()[2].prior_auth
    (('93000',), ('J3420',))
    """
    return tuple(
        TeachingPayer(
            payer_id=r["payer_id"],
            name=r["name"],
            program=r["program"],
            filing_indicator=r["filing_indicator"],
            timely_filing_days=_whole(r, "timely_filing_days"),
            fee_percent=_whole(r, "fee_percent"),
            copay=_whole(r, "copay"),
            deductible=_whole(r, "deductible"),
            coinsurance_pct=_whole(r, "coinsurance_pct"),
            non_covered=_codes(r["non_covered"]),
            prior_auth=_codes(r["prior_auth"]),
        )
        for r in read_csv(PAYERS_CSV)
    )
