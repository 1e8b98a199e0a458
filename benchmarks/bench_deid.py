"""Benchmark Safe Harbor de-identification of notes: speed, recall and precision.

Run on demand (not part of the test suite):

    .venv/bin/python benchmarks/bench_deid.py

Target: 500 notes per second or more (``deid.deidentify`` on one core), recall of
99% or more on the labelled sets the rules were tuned on (``datasets/deid/notes.jsonl``
and ``dev.jsonl``).  The former held-out sets (``heldout.jsonl``, ``heldout2.jsonl``,
and ``heldout3.jsonl``, written blind by another author) are development sets now and
are scored the same way (see datasets/deid/README.md for what each number means).
Speed: the 1,000 notes of ``deid_notes.FIXED_SETS`` de-identified in turn (the same
notes as every earlier run, so rates compare), the first pass (the patterns compile at
import) and the best and median of warm passes; ``heldout3``'s longer notes are timed
apart.  Results go to benchmarks/results/deid.json.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import save

from medbill_lab.compliance import deid, deid_notes

RUNS = 5
# every set scored: the generated ones, heldout3 (its own generator, now a development set)
# and heldout4, written blind by a third author and scored once before any rule saw it
SCORED_SETS = (*deid_notes.FIXED_SETS, "heldout3.jsonl", "heldout4.jsonl")


def _rate(texts: list[str]) -> float:
    start = time.perf_counter()
    for text in texts:
        deid.deidentify(text)
    return len(texts) / (time.perf_counter() - start)


def _scores(name: str) -> dict:
    score = deid.evaluate(deid_notes.fixed_set(name))
    return {
        "notes": score.notes, "gold_spans": score.gold_spans, "found_spans": score.found_spans,
        "recall": round(score.recall, 4), "precision": round(score.precision, 4),
        "char_recall": round(score.char_recall, 4), "char_precision": round(score.char_precision, 4),
        "by_category": {c: {k: round(v, 4) for k, v in s.items()} for c, s in score.by_category.items()},
        "missed_examples": score.missed[:15],
    }  # fmt: skip


def main() -> None:
    """Measure and save; print a short summary."""
    texts = [n["text"] for name in deid_notes.FIXED_SETS for n in deid_notes.fixed_set(name)]
    first = _rate(texts)
    warm = [_rate(texts) for _ in range(RUNS)]
    chars = sum(map(len, texts)) / len(texts)
    longer = [n["text"] for n in deid_notes.fixed_set("heldout3.jsonl")]
    longer_rate = statistics.median(_rate(longer) for _ in range(3))
    results = {
        "target_notes_per_second": 500,
        "notes_per_pass": len(texts),
        "mean_note_chars": round(chars),
        "notes_per_second_first": round(first),
        "notes_per_second_best": round(max(warm)),
        "notes_per_second_median": round(statistics.median(warm)),
        "heldout3_mean_note_chars": round(sum(map(len, longer)) / len(longer)),
        "heldout3_notes_per_second_median": round(longer_rate),
        **{name.removesuffix(".jsonl"): _scores(name) for name in SCORED_SETS},
    }
    path = save("deid", results)
    print(f"{len(texts)} notes of ~{round(chars)} characters: first pass {first:.0f}/s, "
          f"median {statistics.median(warm):.0f}/s, best {max(warm):.0f}/s (target 500/s)")  # fmt: skip
    print(
        f"heldout3 notes of ~{results['heldout3_mean_note_chars']} characters: median {longer_rate:.0f}/s"
    )
    for name in (n.removesuffix(".jsonl") for n in SCORED_SETS):
        s = results[name]
        print(f"{name}: recall {s['recall']:.4f} precision {s['precision']:.4f} "
              f"(characters: {s['char_recall']:.4f} / {s['char_precision']:.4f})")  # fmt: skip
    print(f"saved {path}")


if __name__ == "__main__":
    main()
