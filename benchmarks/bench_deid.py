"""Benchmark Safe Harbor de-identification of notes: speed, recall and precision.

Run on demand (not part of the test suite):

    .venv/bin/python benchmarks/bench_deid.py

Target: 500 notes per second or more (``deid.deidentify`` on one core), recall of
99% or more on the labelled sets the rules were tuned on (``datasets/deid/notes.jsonl``
and ``dev.jsonl``).  The two held-out sets (``heldout.jsonl``, ``heldout2.jsonl``:
other templates, phrasings and names) are scored the same way and reported next to
them (see datasets/deid/README.md for what each held-out number means).  Speed: all
the committed notes de-identified in turn, the first pass (the patterns compile at
import) and the best and median of warm passes.  Results go to
benchmarks/results/deid.json.
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
    results = {
        "target_notes_per_second": 500,
        "notes_per_pass": len(texts),
        "mean_note_chars": round(chars),
        "notes_per_second_first": round(first),
        "notes_per_second_best": round(max(warm)),
        "notes_per_second_median": round(statistics.median(warm)),
        **{name.removesuffix(".jsonl"): _scores(name) for name in deid_notes.FIXED_SETS},
    }
    path = save("deid", results)
    print(f"{len(texts)} notes of ~{round(chars)} characters: first pass {first:.0f}/s, "
          f"median {statistics.median(warm):.0f}/s, best {max(warm):.0f}/s (target 500/s)")  # fmt: skip
    for name in (n.removesuffix(".jsonl") for n in deid_notes.FIXED_SETS):
        s = results[name]
        print(f"{name}: recall {s['recall']:.4f} precision {s['precision']:.4f} "
              f"(characters: {s['char_recall']:.4f} / {s['char_precision']:.4f})")  # fmt: skip
    print(f"saved {path}")


if __name__ == "__main__":
    main()
