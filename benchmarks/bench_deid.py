"""Benchmark Safe Harbor de-identification of notes: speed, recall and precision.

Run on demand (not part of the test suite):

    .venv/bin/python benchmarks/bench_deid.py            # every set in datasets/deid
    .venv/bin/python benchmarks/bench_deid.py FILE.jsonl # also score a set given by path

Target: 300 notes per second or more on 2 cores for notes of about 330 to 650 characters,
and recall of 99% or more at precision of 95% or more.  Speed is measured three ways on
the same notes: ``deid.deidentify`` in one process (one core: the best and median of warm
passes, and the first pass, when the patterns compile), ``deid.deidentify_many`` over 2
worker processes (the 2-core figure the target is about, pool start included), and CPU
time in one process (what the machine's other load does not change much).  The note sets:
the 1,000 notes of ``deid_notes.FIXED_SETS`` (about 330 characters, the same notes as every
earlier run), ``heldout3`` (about 650), ``heldout4`` (about 850), ``devfresh`` and
``heldout5`` (about 620, a fourth author's set, development since round 4).

Every labelled set is scored; all of them are development sets now (datasets/deid/README.md
says when each was scored blind and what it scored then).  A set given on the command line
is scored too, once, with ``deid.score`` (the same as ``medbill-lab deid score FILE``).
Results go to benchmarks/results/deid.json.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import save

from medbill_lab.compliance import deid, deid_notes

RUNS = 5
TARGET = 300
SCORED_SETS = (
    *deid_notes.FIXED_SETS,
    "heldout3.jsonl",
    "heldout4.jsonl",
    "devfresh.jsonl",
    "heldout5.jsonl",
)


def _rate(texts: list[str]) -> float:
    start = time.perf_counter()
    for text in texts:
        deid.deidentify(text)
    return len(texts) / (time.perf_counter() - start)


def _cpu_rate(texts: list[str]) -> float:
    start = time.process_time()
    for text in texts:
        deid.deidentify(text)
    return len(texts) / (time.process_time() - start)


def _rate_2_cores(texts: list[str]) -> float:
    start = time.perf_counter()
    deid.deidentify_many(texts, processes=2)
    return len(texts) / (time.perf_counter() - start)


def _speed(texts: list[str]) -> dict:
    """One-core and two-core rates for one group of notes (several passes, median and best)."""
    one = [_rate(texts) for _ in range(RUNS)]
    two = [
        _rate_2_cores(texts * 2) for _ in range(3)
    ]  # twice the notes: the pool's start counts less
    return {
        "notes": len(texts),
        "mean_note_chars": round(sum(map(len, texts)) / len(texts)),
        "one_core_median": round(statistics.median(one)),
        "one_core_best": round(max(one)),
        "one_core_cpu_time": round(max(_cpu_rate(texts) for _ in range(2))),
        "two_cores_median": round(statistics.median(two)),
        "two_cores_best": round(max(two)),
    }


def _scores(score: deid.Score) -> dict:
    return {
        "notes": score.notes,
        "gold_spans": score.gold_spans,
        "found_spans": score.found_spans,
        "recall": round(score.recall, 4),
        "precision": round(score.precision, 4),
        "char_recall": round(score.char_recall, 4),
        "char_precision": round(score.char_precision, 4),
        "by_category": {
            c: {k: round(v, 4) for k, v in s.items()} for c, s in score.by_category.items()
        },
        "missed_examples": score.missed[:15],
    }


def main(extra: list[str]) -> None:
    """Measure and save; print a short summary."""
    fixed = [n["text"] for name in deid_notes.FIXED_SETS for n in deid_notes.fixed_set(name)]
    first = _rate(fixed)
    groups = {
        "fixed_sets": fixed,
        **{
            n: [x["text"] for x in deid_notes.fixed_set(f"{n}.jsonl")]
            for n in ("heldout3", "heldout4", "devfresh", "heldout5")
        },
    }
    speed = {name: _speed(texts) for name, texts in groups.items()}
    results = {
        # other work on the machine slows the wall-clock rates; CPU time is the steadier figure
        "load_average_1min_at_end": None,
        "target_notes_per_second": TARGET,
        "target_note_chars": "330 to 650",
        "notes_per_second_first_pass": round(first),
        "speed": speed,
        **{
            name.removesuffix(".jsonl"): _scores(deid.evaluate(deid_notes.fixed_set(name)))
            for name in SCORED_SETS
        },
        **{f"file:{path}": _scores(deid.score(path)) for path in extra},
    }
    results["load_average_1min_at_end"] = round(os.getloadavg()[0], 2)
    path = save("deid", results)
    print(f"first pass over the 1,000 fixed notes: {first:.0f} notes/s")
    for name, s in speed.items():
        print(
            f"{name:10} ~{s['mean_note_chars']} chars: one core median {s['one_core_median']}/s "
            f"(best {s['one_core_best']}, CPU time {s['one_core_cpu_time']}), "
            f"2 cores median {s['two_cores_median']}/s (best {s['two_cores_best']}); target {TARGET}/s"
        )
    for name, s in results.items():
        if isinstance(s, dict) and "recall" in s:
            print(
                f"{name}: recall {s['recall']:.4f} precision {s['precision']:.4f} "
                f"(characters: {s['char_recall']:.4f} / {s['char_precision']:.4f})"
            )
    print(f"saved {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
