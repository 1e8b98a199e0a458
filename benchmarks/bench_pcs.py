"""Benchmarks for issue 16: ICD-10-PCS validation latency and cold load.

Run on demand (not part of the test suite):

    .venv/bin/python benchmarks/bench_pcs.py

Targets: ``icd10pcs.validate`` p95 <= 1 ms; loading FY2026 ICD-10-PCS <= 150 ms cold (a new
process: import and ``load(2026)``).  The codes validated are 2,000 valid codes drawn with a
fixed seed from all 79,115, and 2,000 invalid ones made by changing one character, so the
search for the failing axis is timed too.  Reference in the same run: a Python set of all
79,115 codes (membership only, no reason) and the time to build it.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import in_fresh_process as fresh_runs
from _common import machine, save, summary

ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # PCS uses no I or O


def in_fresh_process(code: str, runs: int = 9) -> list[float]:
    """Time ``code`` in 9 new interpreters (or ``runs``)."""
    return fresh_runs(code, runs)


def sample_codes(n: int = 2000, seed: int = 16) -> tuple[list[str], list[str]]:
    """``n`` valid codes and ``n`` one-character variants that are not valid."""
    from medbill_lab.codes import icd10pcs

    every = list(icd10pcs.codes())
    valid_set = set(every)
    rng = random.Random(seed)
    valid = rng.sample(every, n)
    invalid: list[str] = []
    while len(invalid) < n:
        code = list(rng.choice(every))
        code[rng.randrange(7)] = rng.choice(ALPHABET)
        text = "".join(code)
        if text not in valid_set:
            invalid.append(text)
    return valid, invalid


def bench_validate(rounds: int = 5) -> dict:
    """Per-call latency of validate on valid and invalid codes, repeated ``rounds`` times."""
    from medbill_lab.codes import icd10pcs

    valid, invalid = sample_codes()
    out = {}
    for name, codes in (("valid", valid), ("invalid", invalid)):
        samples = []
        for _ in range(rounds):
            for code in codes:
                start = time.perf_counter()
                icd10pcs.validate(code)
                samples.append(time.perf_counter() - start)
        out[f"validate_{name}"] = summary(samples)
    start = time.perf_counter()
    every = set(icd10pcs.codes())
    out["reference_build_set_of_all_codes_ms"] = round((time.perf_counter() - start) * 1000, 1)
    samples = []
    for code in valid + invalid:
        start = time.perf_counter()
        _ = code in every
        samples.append(time.perf_counter() - start)
    out["reference_set_membership"] = summary(samples)
    out["target_p95_ms"] = 1.0
    return out


def bench_load() -> dict:
    """Cold load in a new process: the import and load(2026)."""
    load = in_fresh_process(
        "import time; t=time.perf_counter(); from medbill_lab.codes import icd10pcs; "
        "icd10pcs.load(2026); print(time.perf_counter()-t)"
    )
    first = in_fresh_process(
        "import time; t=time.perf_counter(); from medbill_lab.codes import icd10pcs; "
        "icd10pcs.lookup('0FT44ZZ'); print(time.perf_counter()-t)"
    )
    return {
        "cold_load_fy2026": summary(load),
        "cold_load_and_first_lookup": summary(first),
        "target_ms": 150,
    }


def main() -> None:
    """Run, print and save."""
    result = {"load": bench_load(), "validate": bench_validate()}
    path = save("pcs", result)
    print(f"Machine: {machine()}")
    for group in result.values():
        for key, value in group.items():
            print(f"{key}: {value}")
    print(f"saved {path}")


if __name__ == "__main__":
    main()
