"""Benchmark for issue 16: MS-DRG grouping throughput through the lab's API.

Run on demand (not part of the test suite):

    .venv/bin/python benchmarks/bench_drg.py

Target: >= 5,000 cases/s through ``medbill_lab.codes.drg.group`` (code-set validation, the
grouper, the Medicare Code Editor, the result in words).  Reference in the same run: msdrg
called directly on claims built beforehand, the grouper alone and the grouper with the MCE,
which is the floor our API adds its checks to.

The cases are 5,000 synthetic stays drawn with a fixed seed: a principal diagnosis, 0-8
secondary diagnoses with POA indicators, 0-2 procedures, ages, sexes and discharge statuses.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import machine, save, summary

PRINCIPAL = [
    "J18.9",
    "J15.9",
    "J44.1",
    "J96.01",
    "I50.23",
    "I50.33",
    "I11.0",
    "I21.4",
    "I21.09",
    "I48.91",
    "I63.9",
    "A41.9",
    "N39.0",
    "N17.9",
    "K80.00",
    "K80.10",
    "K81.0",
    "K35.80",
    "K57.30",
    "E11.65",
    "E87.1",
    "L03.116",
    "M17.11",
    "S72.001A",
    "R55",
    "I26.99",
    "K92.2",
    "C34.90",
    "N18.6",
    "F10.239",
]
SECONDARY = [
    "N17.9",
    "E87.1",
    "E11.9",
    "E11.65",
    "I10",
    "E78.5",
    "Z79.01",
    "K21.9",
    "F32.A",
    "M10.9",
    "E03.9",
    "N40.0",
    "G47.33",
    "E66.9",
    "Z87.891",
    "I48.0",
    "Z95.0",
    "J44.9",
    "D64.9",
    "I25.10",
    "Z79.82",
    "F17.210",
    "J96.01",
    "E43",
    "R65.20",
    "I50.9",
    "N18.4",
    "L89.153",
    "T83.511A",
    "E83.42",
    "D69.6",
    "G93.41",
    "J90",
    "E87.0",
]
PROCEDURES = [
    "0FT44ZZ",
    "0DTJ4ZZ",
    "02703DZ",
    "0SRC0J9",
    "5A1955Z",
    "0BH17EZ",
    "3E0234Z",
    "0W9930Z",
    "30233N1",
]
STATUSES = ("01", "01", "01", "03", "06", "20", "02", "62")


def cases(n: int = 5000, seed: int = 16) -> list[dict]:
    """``n`` reproducible synthetic stays, as keyword arguments of ``drg.group``."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        pdx = rng.choice(PRINCIPAL)
        sdx = [
            (code, rng.choice("YYYYN"))
            for code in rng.sample([c for c in SECONDARY if c != pdx], rng.randint(0, 8))
        ]
        pcs = rng.sample(PROCEDURES, rng.choice((0, 0, 1, 1, 2)))
        out.append(
            {
                "pdx": pdx,
                "pdx_poa": "Y",
                "sdx": sdx,
                "pcs": pcs,
                "age": rng.randint(40, 95),
                "sex": rng.choice("MF"),
                "discharge_status": rng.choice(STATUSES),
                "discharge_date": "2026-03-01",
            }
        )
    return out


def _raw_claim(case: dict) -> dict:
    """The same stay as msdrg's own claim (v43.0), for the reference."""
    return {
        "version": 430,
        "age": case["age"],
        "sex": 0 if case["sex"] == "M" else 1,
        "discharge_status": int(case["discharge_status"]),
        "hospital_status": "NOT_EXEMPT",
        "pdx": {"code": case["pdx"].replace(".", ""), "poa": "Y"},
        "sdx": [{"code": c.replace(".", ""), "poa": p} for c, p in case["sdx"]],
        "procedures": [{"code": c} for c in case["pcs"]],
        "discharge_date": 20260301,
    }


def _rate(n: int, seconds: list[float]) -> dict:
    stats = summary(seconds)
    return {"seconds": stats, "cases_per_second_median": round(n / (stats["median_ms"] / 1000))}


def _timed(run: Callable[[], None]) -> tuple[float, float]:
    """Wall and CPU seconds of one call of ``run`` (CPU time is the fairer figure on a
    shared machine, where other processes take the wall clock)."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def bench(rounds: int = 5) -> dict:
    """Our API (first pass and repeated) and the msdrg references, on the same cases."""
    from medbill_lab.codes import drg

    work = cases()
    start = time.perf_counter()
    drg.group("J18.9", age=70, sex="M", discharge_status="01", discharge_date="2026-03-01")
    first_call = time.perf_counter() - start  # loads ICD-10-CM/PCS and opens the grouper
    start, cpu = time.perf_counter(), time.process_time()
    drgs = [drg.group(**c).drg for c in work]
    first_pass = (time.perf_counter() - start, time.process_time() - cpu)
    grouper, editor = drg._engine()  # the same open instances: the reference pays no set-up
    claims = [_raw_claim(c) for c in work]

    def ours() -> None:
        for c in work:
            drg.group(**c)

    def group_only() -> None:
        for claim in claims:
            grouper.group(claim)

    def group_mce() -> None:
        for claim in claims:
            grouper.group(claim)
            editor.edit(claim)

    n = len(work)
    result = {
        "cases": n,
        "distinct_drgs": len(set(drgs)),
        "first_call_ms": round(first_call * 1000, 1),
        "medbill_lab_group_first_pass": {
            "seconds": round(first_pass[0], 3),
            "cpu_seconds": round(first_pass[1], 3),
            "cases_per_second": round(n / first_pass[0]),
            "cases_per_cpu_second": round(n / first_pass[1]),
        },
    }
    runs = {
        "medbill_lab_group_repeated": ours,
        "reference_msdrg_group": group_only,
        "reference_msdrg_group_and_mce": group_mce,
    }
    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in runs}
    for _ in range(rounds):  # interleaved, so a burst of load falls on all three alike
        for name, run in runs.items():
            wall, cpu = _timed(run)
            times[name][0].append(wall)
            times[name][1].append(cpu)
    for name, (wall, cpu) in times.items():
        result[name] = {"wall": _rate(n, wall), "cpu": _rate(n, cpu)}
    result["target_cases_per_second"] = 5000
    result["load_average_1min_after"] = round(os.getloadavg()[0], 2)  # others on the machine
    return result


def main() -> None:
    """Run, print and save."""
    result = bench()
    path = save("drg", result)
    print(f"Machine: {machine()}")
    print(
        f"{result['cases']} stays, {result['distinct_drgs']} distinct DRGs; "
        f"first call {result['first_call_ms']} ms"
    )
    first = result["medbill_lab_group_first_pass"]
    print(
        f"drg.group, first pass: {first['cases_per_second']:,} cases/s "
        f"({first['cases_per_cpu_second']:,} per CPU second)"
    )
    for key in (
        "medbill_lab_group_repeated",
        "reference_msdrg_group",
        "reference_msdrg_group_and_mce",
    ):
        row = result[key]
        print(
            f"{key}: {row['wall']['cases_per_second_median']:,} cases/s wall, "
            f"{row['cpu']['cases_per_second_median']:,} per CPU second"
        )
    print(f"load average after: {result['load_average_1min_after']}; saved {path}")


if __name__ == "__main__":
    main()
