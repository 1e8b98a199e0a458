"""Benchmark the claim scrubber: 100,000 service lines (20,000 claims x 5 lines).

Run on demand (not part of the test suite):

    .venv/bin/python benchmarks/bench_scrubber.py

Target: ``scrubber.scrub`` over 100,000 lines in 3 s or less.  The claims are
synthetic and seeded: diagnoses drawn from 3,000 billable FY2025/FY2026 codes
plus some headers and invalid codes, procedures from the CPT/HCPCS teaching
sets with NCCI pairs, MUE codes, modifiers, repeated lines and late claims, so
most edits fire somewhere.  Reported: the first pass in a new process (it
loads the code sets and fills the caches), the best and median of warm passes,
the edits found, and the per-claim time.  Results go to
benchmarks/results/scrubber.json.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import save, summary

from medbill_lab.claims.model import Claim, Payer, Person, ServiceLine
from medbill_lab.codes import icd10cm, procedures

CLAIMS = 20_000
LINES = 5
WARM_RUNS = 3
SEED = 20260203
PAIRS = [("97530", "97140"), ("93000", "93010"), ("45380", "45378"), ("20610", "76942")]
MODIFIERS = ["", "", "", "", "59", "XS", "25", "RT", "LT", "50", "GP", "ZZ"]


def code_pool(rng: random.Random) -> list[str]:
    """3,000 billable diagnosis codes, plus headers and non-codes that must be caught."""
    fy = icd10cm.load(2026)
    billable = [c for i, c in enumerate(fy.codes) if fy.billable_at(i) and "." in c]
    return [*rng.sample(billable, 3000), "E11", "S52.521", "T78.40A", "ZZZ.9", "V43.52XA"]


def make_claim(rng: random.Random, dx_pool: list[str], procs: list[str], n: int) -> Claim:
    """One synthetic claim with LINES service lines on one or two days."""
    day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(600))
    diagnoses = rng.sample(dx_pool, rng.randrange(1, 5))
    letters = "ABCD"[: len(diagnoses) + (rng.random() < 0.02)]  # sometimes one too many
    lines = []
    codes = [rng.choice(procs) for _ in range(LINES)]
    if rng.random() < 0.3:
        codes[:2] = rng.choice(PAIRS)
    for k, code in enumerate(codes):
        mod = rng.choice(MODIFIERS)
        lines.append(
            ServiceLine(
                date_from=day + dt.timedelta(days=k // 3),
                code=code,
                charge=Decimal(rng.randrange(20, 400)),
                pointers=rng.sample(letters, min(len(letters), rng.randrange(1, 3))),
                modifiers=[mod] if mod else [],
                units=Decimal(rng.choice([1, 1, 1, 2, 3])),
            )
        )
    if rng.random() < 0.05:
        lines[-1] = lines[0]
    return Claim(
        program="group",
        insured_id=f"M{n:08d}",
        patient=Person(
            "Synthetic",
            f"Patient{n}",
            dob=dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(30000)),
            sex=rng.choice("MF"),
        ),
        payer=Payer("Bench Plan", "BP001", timely_filing_days=rng.choice([90, 180, 365])),
        diagnoses=diagnoses,
        lines=lines,
        submitted_on=day + dt.timedelta(days=rng.randrange(200)),
        total_charge=None if rng.random() < 0.9 else Decimal(1),
    )


def make_claims() -> list[Claim]:
    """The seeded workload."""
    rng = random.Random(SEED)
    dx_pool = code_pool(rng)
    procs = sorted(procedures.cpt())[:400] + [c for pair in PAIRS for c in pair] + ["99999"]
    return [make_claim(rng, dx_pool, procs, n) for n in range(CLAIMS)]


def timed_pass(claims: list[Claim]) -> tuple[float, Counter[str]]:
    """Seconds to scrub every claim once, and the edits found by id."""
    from medbill_lab.claims import scrubber

    found: Counter[str] = Counter()
    start = time.perf_counter()
    for claim in claims:
        found.update(e.id for e in scrubber.scrub(claim))
    return time.perf_counter() - start, found


def per_claim(claims: list[Claim]) -> dict[str, float]:
    """Latency of single scrub calls (warm), for the apps that scrub one claim at a time."""
    from medbill_lab.claims import scrubber

    samples = []
    for claim in claims[:2000]:
        start = time.perf_counter()
        scrubber.scrub(claim)
        samples.append(time.perf_counter() - start)
    return summary(samples)


def main() -> None:
    claims = make_claims()
    lines = sum(len(c.lines) for c in claims)
    first, found = timed_pass(claims)  # loads FY2025/FY2026 and fills the caches
    warm = [timed_pass(claims)[0] for _ in range(WARM_RUNS)]
    result = {
        "claims": len(claims),
        "lines": lines,
        "target_s": 3.0,
        "first_pass_s": round(first, 3),
        "warm_best_s": round(min(warm), 3),
        "warm_median_s": round(statistics.median(warm), 3),
        "lines_per_s_warm": round(lines / min(warm)),
        "per_claim_warm": per_claim(claims),
        "edits_found": dict(found.most_common()),
    }
    path = save("scrubber", result)
    for key, value in result.items():
        print(f"{key}: {value}")
    print(f"saved {path}")


if __name__ == "__main__":
    main()
