"""Benchmark the fraud lab: generate the claims history, then run every detector.

Run on demand (not part of the test suite):

    .venv/bin/python benchmarks/bench_fraud.py [SEED ...]

Target: all nine detectors (``fraud.detect_all``) over at least 100,000 claim lines in
5 s or less.  Also reported: the generation time of ``fraud_lab.generate`` (cold: the
cache is cleared first), the time of each detector, and precision and recall per scheme
for each seed with the worst over the seeds.  Results go to benchmarks/results/fraud.json.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import save, summary

from medbill_lab.compliance import fraud, fraud_lab

SEEDS = (11, 2026, 90210, 7, 123)
TARGET_S = 5.0


def one_seed(seed: int) -> dict:
    """Generate one lab (cold), run each detector, score it."""
    fraud_lab._build.cache_clear()
    t0 = time.perf_counter()
    lab = fraud_lab.generate(seed)
    gen = time.perf_counter() - t0
    per_detector, frames = {}, []
    t1 = time.perf_counter()
    tables = fraud.tables(lab)
    for scheme, detector in fraud.DETECTORS.items():
        t = time.perf_counter()
        frames.append(detector(tables))
        per_detector[scheme] = round(time.perf_counter() - t, 3)
    total = time.perf_counter() - t1
    import pandas as pd

    result = fraud.score(pd.concat(frames, ignore_index=True), lab.truth)
    return {
        "seed": seed,
        "lines": len(lab.claims),
        "providers": int(lab.providers["provider_id"].nunique()),
        "generate_s": round(gen, 3),
        "detect_all_s": round(total, 3),
        "per_detector_s": per_detector,
        "score": result.to_dict(orient="records"),
    }


def main(seeds: tuple[int, ...]) -> dict:
    runs = [one_seed(s) for s in seeds]
    worst: dict[str, dict[str, float]] = {}
    for run in runs:
        for row in run["score"]:
            w = worst.setdefault(row["scheme"], {"precision": 1.0, "recall": 1.0})
            w["precision"] = min(w["precision"], row["precision"])
            w["recall"] = min(w["recall"], row["recall"])
    detect = [r["detect_all_s"] for r in runs]
    data = {
        "target": f"detect_all over >= 100,000 lines in <= {TARGET_S} s",
        "seeds": list(seeds),
        "lines_min": min(r["lines"] for r in runs),
        "generate": summary([r["generate_s"] for r in runs]),
        "detect_all": summary(detect),
        "meets_target": max(detect) <= TARGET_S and min(r["lines"] for r in runs) >= 100_000,
        "worst_over_seeds": worst,
        "runs": runs,
    }
    path = save("fraud", data)
    print(f"lines per lab: {data['lines_min']:,} or more; seeds {list(seeds)}")
    print(
        f"generate:   median {data['generate']['median_ms'] / 1000:.2f} s, max {data['generate']['max_ms'] / 1000:.2f} s"
    )
    print(
        f"detect_all: median {data['detect_all']['median_ms'] / 1000:.2f} s, max {data['detect_all']['max_ms'] / 1000:.2f} s (target {TARGET_S} s)"
    )
    for scheme, w in worst.items():
        print(
            f"  {scheme:17s} worst precision {w['precision']:.3f}  worst recall {w['recall']:.3f}"
        )
    print(f"saved {path}")
    return data


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SEEDS)
