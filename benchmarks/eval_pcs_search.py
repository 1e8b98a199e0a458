"""How often PCS search finds the code a coder means, on a set written blind.

``benchmarks/data/pcs_blind.csv`` was written by someone who had not seen the
search code (see ``benchmarks/data/PCS_BLIND.md``): 60 queries as a coder types
them, each with the FY2026 code it most exactly describes and any other readings
the words allow. This script scores ``medbill_lab.codes.pcs_search.search``:

* top-1 / top-5: a full code in the first one / five hits is the expected one or
  an acceptable one;
* table in top 5: a hit in the first five (full code, or a table with axes left to
  choose) starts with the expected code's first four characters.

Run: ``.venv/bin/python benchmarks/eval_pcs_search.py [CSV] [--misses]``
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from medbill_lab.codes import pcs_search

DEFAULT = Path(__file__).resolve().parent / "data" / "pcs_blind.csv"


def score(rows: list[dict]) -> tuple[dict[str, int], list[tuple[str, str, list[str]]]]:
    """Counts of top-1, top-5 and table-in-top-5 hits, and the queries missed at top 5."""
    counts = {"rows": len(rows), "top1": 0, "top5": 0, "table5": 0}
    misses = []
    for row in rows:
        good = {row["expected"], *filter(None, row["acceptable"].split("|"))}
        hits = pcs_search.search(row["query"], limit=5)
        full = [h.code for h in hits if h.complete]
        counts["top1"] += bool(hits and hits[0].complete and hits[0].code in good)
        counts["top5"] += bool(good & set(full))
        counts["table5"] += any(h.code[:4] == row["expected"][:4] for h in hits)
        if not good & set(full):
            misses.append((row["query"], row["expected"], [h.code for h in hits]))
    return counts, misses


def main(argv: list[str]) -> int:
    """Print the hit rates (and, with --misses, each query missed at top 5)."""
    paths = [a for a in argv if not a.startswith("--")]
    with open(paths[0] if paths else DEFAULT, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    counts, misses = score(rows)
    n = counts["rows"]
    for key in ("top1", "top5", "table5"):
        print(f"{key:>7}: {counts[key]}/{n} ({counts[key] / n:.0%})")
    if "--misses" in argv:
        for query, expected, got in misses:
            print(f"  {query!r}: expected {expected}, got {' '.join(got) or 'nothing'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
