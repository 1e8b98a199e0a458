"""Aging buckets: the one definition every A/R report, chart and statement uses.

A balance's age is counted in days from the date of service to the report date.
An age of exactly 30 days is still 0-30; 31 starts 31-60; the last bucket is
121 days and older.
"""

from __future__ import annotations

BUCKETS = ("0-30", "31-60", "61-90", "91-120", "121+")
_LIMITS = (30, 60, 90, 120)  # the last day of each bucket but the last


def bucket(days: int) -> str:
    """The aging bucket for an age in days (a future date of service counts as 0).

    >>> [bucket(d) for d in (-3, 0, 30, 31, 60, 61, 90, 91, 120, 121)]
    ['0-30', '0-30', '0-30', '31-60', '31-60', '61-90', '61-90', '91-120', '91-120', '121+']
    """
    for limit, name in zip(_LIMITS, BUCKETS, strict=False):
        if days <= limit:
            return name
    return BUCKETS[-1]
