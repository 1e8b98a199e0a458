"""Benchmark the revenue cycle: about 10,000 encounters from charge entry to posted 835.

Run on demand (not part of the test suite):

    .venv/bin/python benchmarks/bench_revenue_cycle.py [ENCOUNTERS] [--profile]

Target: 10,000 encounters in 30 s or less on SQLite.  Charge entry is
``practice_gen.generate_practice`` (every superbill through ``enter_superbill``);
the cycle is ``revenue_cycle.run_cycle`` (submit + 837P per batch, adjudicate,
write each 835, parse it back, post it).  Each phase is timed; with
``--profile`` the cycle also runs under cProfile (slower) and the report says
where the time goes by function family.
Results go to benchmarks/results/revenue_cycle.json.
"""

from __future__ import annotations

import cProfile
import datetime as dt
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import save

from medbill_lab.practice import cycle as revenue_cycle
from medbill_lab.practice import db as practice_db
from medbill_lab.practice import synthetic as practice_gen

ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
ENCOUNTERS = int(ARGS[0]) if ARGS else 10_000
PROFILE = "--profile" in sys.argv
PATIENTS_PER_ENCOUNTER = 1 / 3  # each patient has 1-5 visits, 3 on average
THROUGH = dt.date(2026, 10, 15)
TARGET_S = 30.0
FAMILIES = {
    "build_claim": "billing.py:.*build_claim",
    "to_837p": "x837p.py:.*to_837p",
    "submit_encounters": "posting.py:.*submit_encounters",
    "adjudicate": "simulator.py:.*adjudicate",
    "to_835": "x835.py:.*to_835",
    "parse_835": "x835.py:.*parse_835",
    "post_remittance": "posting.py:.*post_remittance",
    "accounts_receivable": "posting.py:.*accounts_receivable",
}


def _cumulative(stats: pstats.Stats) -> dict[str, float]:
    import re

    out = {}
    for name, pattern in FAMILIES.items():
        rx = re.compile(pattern)
        best = 0.0
        for (file, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
            if rx.search(f"{Path(file).name}:{func}"):
                best = max(best, ct)
        out[name] = round(best, 2)
    return out


def main() -> None:
    """Generate, run the cycle under the profiler, print and save the numbers."""
    folder = Path(tempfile.mkdtemp(prefix="bench_cycle_"))
    engine = practice_db.init_db(folder / "p.sqlite")
    factory = practice_db.sessionmaker(engine, expire_on_commit=False)
    patients = round(ENCOUNTERS * PATIENTS_PER_ENCOUNTER)
    start = time.perf_counter()
    with factory() as session:
        counts = practice_gen.generate_practice(session, seed=7, patients=patients)
    charge_entry = time.perf_counter() - start
    profiler = cProfile.Profile()
    start = time.perf_counter()
    with factory() as session:
        if PROFILE:
            profiler.enable()
        report = revenue_cycle.run_cycle(session, through=THROUGH, output=folder / "out")
        profiler.disable()
    cycle = time.perf_counter() - start
    with factory() as session:
        start = time.perf_counter()
        aging = revenue_cycle.aging(session, dt.date(2026, 11, 1))
        aging_s = time.perf_counter() - start
    where = _cumulative(pstats.Stats(profiler)) if PROFILE else {}
    data = {
        "encounters": counts["encounters"],
        "charges": counts["charges"],
        "claims": report.claims,
        "paid": report.paid,
        "denied": report.denied,
        "partially_paid": report.partially_paid,
        "rejected": report.rejected,
        "remittances": report.remittances_posted,
        "charge_entry_s": round(charge_entry, 2),
        "cycle_s": round(cycle, 2),
        "total_s": round(charge_entry + cycle, 2),
        "aging_s": round(aging_s, 2),
        "ar_total": str(aging["total"]),
        "target_s": TARGET_S,
        "cycle_cumulative_s_profiled": where,
        "profiled": PROFILE,
    }
    path = save("revenue_cycle", data)
    for key, value in data.items():
        print(f"{key:>28}: {value}")
    print(f"saved {path}")


if __name__ == "__main__":
    main()
