"""Benchmarks for the 837P writer: generation rate and pyx12 validation time.

Run on demand (not part of the test suite):

    .venv/bin/python benchmarks/bench_x12.py

Target: ``to_837p`` writes >= 5,000 claims per second.  pyx12 validation is
measured separately (it loads the 005010X222A1 map on every call, so a
one-claim file already costs a fixed amount).  The claims are the clean sample
claims in datasets/claims, repeated with distinct account numbers.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import save, summary

from medbill_lab.claims import model as claim_files
from medbill_lab.x12.core import segments
from medbill_lab.x12.x837p import to_837p, validate_837p

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "datasets" / "claims"
WHEN = dt.datetime(2025, 11, 6, 8, 0)


def sample_claims() -> list:
    """The clean sample claims (labels.csv rows with no expected edit)."""
    with (SAMPLES / "labels.csv").open(newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if not r["expected_edits"].strip()]
    return [claim_files.load(SAMPLES / r["file"]) for r in rows]


def batch(n: int) -> list:
    """``n`` claims cycled from the samples, each with its own account number."""
    base = sample_claims()
    return [
        dataclasses.replace(base[i % len(base)], patient_account=f"BENCH{i:07d}") for i in range(n)
    ]


def bench_generation(n: int = 5000, runs: int = 7) -> dict:
    claims = batch(n)
    to_837p(claims[:10], when=WHEN)  # warm up
    samples, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        text = to_837p(claims, when=WHEN)
        samples.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    stats, cpu_stats = summary(samples), summary(cpu)
    return {
        "claims_per_file": n,
        "segments_per_file": len(segments(text)),
        "bytes_per_file": len(text),
        "seconds_per_file": stats,
        "cpu_seconds_per_file": cpu_stats,
        "claims_per_second_median": round(n / (stats["median_ms"] / 1000)),
        "cpu_claims_per_second_median": round(n / (cpu_stats["median_ms"] / 1000)),
        "target_claims_per_second": 5000,
    }


def bench_validation(sizes: tuple[int, ...] = (1, 10, 100, 1000), runs: int = 3) -> dict:
    out = {}
    for n in sizes:
        text = to_837p(batch(n), when=WHEN)
        samples, ok = [], True
        for _ in range(runs):
            start = time.perf_counter()
            ok &= validate_837p(text).ok
            samples.append(time.perf_counter() - start)
        stats = summary(samples)
        out[f"{n}_claims"] = {
            "seconds": stats,
            "ms_per_claim_median": round(stats["median_ms"] / n, 3),
            "pyx12_ok": ok,
        }
    return out


def main() -> None:
    """Run both benchmarks, print and save them."""
    result = {"generation": bench_generation(), "pyx12_validation": bench_validation()}
    path = save("x12", result)
    gen = result["generation"]
    print(
        f"to_837p: {gen['claims_per_second_median']:,} claims/s "
        f"({gen['claims_per_file']} claims, median {gen['seconds_per_file']['median_ms']} ms; "
        f"{gen['cpu_claims_per_second_median']:,} claims per CPU second)"
    )
    for size, row in result["pyx12_validation"].items():
        print(
            f"pyx12 {size}: median {row['seconds']['median_ms']} ms "
            f"({row['ms_per_claim_median']} ms/claim), ok={row['pyx12_ok']}"
        )
    print(f"saved {path}")


if __name__ == "__main__":
    main()
