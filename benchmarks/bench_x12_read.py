"""Benchmark: reading a ~10 MB 835, issue P9 item 8.

Run on demand (not part of the test suite):

    .venv/bin/python benchmarks/bench_x12_read.py
    .venv/bin/python benchmarks/bench_x12_read.py --profile  # where x12 read's time goes

``--skip-validation`` leaves out pyx12's full validation (~40 s).

Target: ``medbill_lab.x12.reader.read_interchanges`` reads a 10 MB 835 in <= 2 s, and so
does the whole ``x12 read --json`` path (the reading, then ``interpret``).
``x12_read`` times what ``medbill-lab x12 read --json`` does on top of it (every claim
as JSON, with the balance and date checks).  In the same run, on the same file, it also times the 835 reader that builds
remittances (``medbill_lab.x12.x835.parse_835``), pyx12's own segment reader
(``pyx12.x12file.X12Reader``) and, once, pyx12's full validation.

The file is written by our own 835 writer (``to_835``) from synthetic claims
drawn with a fixed seed, so every run reads the same bytes.  Our writer puts
about 285 bytes in a claim (the issue's "about 20,000 claims" assumes fuller
claims), so 10 MB takes about 35,000 claims: the size, not the claim count, is
what the target is about.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import pstats
import random
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import save, summary

from medbill_lab.payer.remittance import Adjustment, RemitClaim, RemitLine, Remittance
from medbill_lab.x12.core import validate
from medbill_lab.x12.interpret import interpret
from medbill_lab.x12.reader import read_interchanges
from medbill_lab.x12.x835 import parse_835, to_835

PAID_ON = dt.date(2026, 3, 2)
WHEN = dt.datetime(2026, 3, 2, 12, 0)
TARGET_SECONDS = 2.0
CLAIMS = 35_200  # ~10.0 MB with newlines after each segment terminator
# (code, charge, allowed): synthetic fee schedule for office services.
SERVICES = (
    ("99213", Decimal("125.00"), Decimal("92.50")),
    ("99214", Decimal("180.00"), Decimal("131.20")),
    ("36415", Decimal("20.00"), Decimal("8.46")),
    ("85025", Decimal("35.00"), Decimal("10.66")),
    ("93000", Decimal("60.00"), Decimal("17.05")),
)
LAST = ("RIVERA", "CHEN", "OKAFOR", "NOVAK", "SINGH", "LARSEN", "MORALES", "HALE")
FIRST = ("ANA", "WEI", "CHIDI", "PETRA", "ARJUN", "INGRID", "LUIS", "MAE")


def _line(rng: random.Random, day: dt.date) -> RemitLine:
    """One paid line: contractual write-off (CO-45) and a copay or coinsurance (PR)."""
    code, charge, allowed = rng.choice(SERVICES)
    if rng.random() < 0.5:
        patient = Adjustment("PR", "3", min(allowed, Decimal("20.00")))
    else:
        patient = Adjustment("PR", "2", (allowed * Decimal("0.2")).quantize(Decimal("0.01")))
    adjustments = [Adjustment("CO", "45", charge - allowed), patient]
    paid = allowed - patient.amount
    return RemitLine(code, charge, paid, [], Decimal(1), day, allowed, adjustments)


def _claim(rng: random.Random, number: int) -> RemitClaim:
    """One processed-as-primary claim of one to three lines, balanced."""
    day = PAID_ON - dt.timedelta(days=rng.randint(12, 40))
    lines = [_line(rng, day) for _ in range(rng.randint(1, 3))]
    owed = sum((a.amount for ln in lines for a in ln.adjustments if a.group == "PR"), Decimal(0))
    return RemitClaim(
        f"BENCH{number:07d}",
        "1",
        sum((ln.charge for ln in lines), Decimal(0)),
        sum((ln.paid for ln in lines), Decimal(0)),
        owed,
        "12",
        f"2026{number:010d}",
        patient_last=rng.choice(LAST),
        patient_first=rng.choice(FIRST),
        member_id=f"BEN{rng.randint(100_000_000, 999_999_999)}",
        lines=lines,
    )


def big_835(claims: int = CLAIMS, seed: int = 835) -> str:
    """A valid 835 of ``claims`` balanced claims in one payment; deterministic for a seed.

    About 285 bytes a claim, one segment a line, so the default makes a ~10 MB file.
    """
    rng = random.Random(seed)
    batch = [_claim(rng, n) for n in range(1, claims + 1)]
    paid = sum((c.paid for c in batch), Decimal(0))
    remittance = Remittance(
        "EFT20260302BENCH",
        "TEACHING HEALTH PLAN",
        "THP01",
        "MAPLE GROVE FAMILY MEDICINE PC",
        "1748029356",
        paid,
        "ACH",
        PAID_ON,
        batch,
    )
    return to_835(remittance, when=WHEN).replace("~", "~\n")


def pyx12_segments(text: str) -> int:
    """How many segments pyx12's own reader yields for the file."""
    import pyx12.x12file

    return sum(1 for _ in pyx12.x12file.X12Reader(io.StringIO(text)))


def timed(work: Callable[[], object], runs: int) -> tuple[dict, object]:
    """Median/p95/max of ``runs`` calls of ``work`` and its last result."""
    samples, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        samples.append(time.perf_counter() - start)
    return summary(samples), result


def bench(claims: int = CLAIMS, runs: int = 5, validate_too: bool = True) -> dict:
    """Time every reader on the same generated file."""
    start = time.perf_counter()
    text = big_835(claims)
    generated = time.perf_counter() - start
    data = text.encode()
    ours, parsed = timed(lambda: read_interchanges(data), runs)
    # what `x12 read --json` does: the reading above, then every claim as JSON with its
    # balance and date checks
    whole, reading = timed(lambda: interpret(read_interchanges(data)), runs)
    remits, found = timed(lambda: parse_835(text), runs)
    theirs, count = timed(lambda: pyx12_segments(text), runs)
    out = {
        "claims": claims,
        "bytes": len(data),
        "megabytes": round(len(data) / 1_000_000, 2),
        "segments": len(parsed.segments),
        "generate_seconds": round(generated, 2),
        "read_interchanges": {
            **ours,
            "diagnostics": len(parsed.diagnostics),
            "meets_target": ours["median_ms"] <= TARGET_SECONDS * 1000,
        },
        "x12_read": {
            **whole,
            "claims_read": sum(len(t.get("claims", [])) for t in reading["transactions"]),
            "diagnostics": len(reading["diagnostics"]),
            "meets_target": whole["median_ms"] <= TARGET_SECONDS * 1000,
        },
        "parse_835": {**remits, "claims_read": sum(len(r.claims) for r in found)},
        "pyx12_x12reader": {**theirs, "segments": count},
        "target_seconds": TARGET_SECONDS,
    }
    if validate_too:  # once: pyx12 walks its map for every segment
        check, verdict = timed(lambda: validate(text), 1)
        out["pyx12_validation"] = {**check, "ok": verdict.ok, "errors": len(verdict.errors)}
    return out


def profile(claims: int = CLAIMS, top: int = 25) -> None:
    """Print where one ``x12 read --json`` pass (reading, then interpreting) spends its time
    on the generated file: cProfile, the ``top`` functions by their own time."""
    data = big_835(claims).encode()
    profiler = cProfile.Profile()
    profiler.runcall(lambda: interpret(read_interchanges(data)))
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def main() -> None:
    """Run the benchmark, print and save it (or, with --profile, profile x12 read)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="store_true", help="profile x12 read instead")
    parser.add_argument("--skip-validation", action="store_true", help="no pyx12 validation")
    args = parser.parse_args()
    if args.profile:
        profile()
        return
    result = bench(validate_too=not args.skip_validation)
    path = save("x12_read", result)
    print(
        f"835 of {result['claims']:,} claims, {result['megabytes']} MB, "
        f"{result['segments']:,} segments"
    )
    for name in (
        "read_interchanges",
        "x12_read",
        "parse_835",
        "pyx12_x12reader",
        "pyx12_validation",
    ):
        row = result.get(name)
        if row:
            print(f"{name}: median {row['median_ms'] / 1000:.2f} s over {row['n']} run(s)")
    for name in ("read_interchanges", "x12_read"):
        print(f"{name} target <= {TARGET_SECONDS} s: {result[name]['meets_target']}")
    print(f"saved {path}")


if __name__ == "__main__":
    main()
