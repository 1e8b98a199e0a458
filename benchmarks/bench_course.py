"""Benchmark the nbgrader course cycle: ``course demo`` whole, and generate and autograde
time per submission.

Run on demand (not part of the test suite):

    PATH=.venv/bin:$PATH .venv/bin/python benchmarks/bench_course.py [--demo-only]

``medbill-lab course demo`` (three assignments) and ``course demo --all`` run as an
instructor types them, each timed for wall-clock and CPU seconds (its kernels
included), with the load average when it started: the target is <= 90 s on 2 cores.
Before P11 the demo graded every assignment with a 30 s timeout for the endless loop:
9 min 0 s, 354 s of CPU (``/usr/bin/time``, load average about 4-7).

Then, in a temporary course (``medbill_lab.training.course.init_course``), for each
assignment, ``generate_assignment`` and ``autograde`` of correct submissions through
nbgrader's Python API (what the course commands use), one submission with an infinite
loop (the cell timeout is set to 3 s here), and the ``nbgrader autograde`` command for
one student, which adds the cost of starting nbgrader in a new process.  Results go
to benchmarks/results/course.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import save, summary

from medbill_lab.training import course

STUDENTS = 5
LOOP_TIMEOUT = 3


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    """Seconds taken by one call, and its result."""
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def seconds(samples: list[float]) -> dict[str, float]:
    """The usual summary, plus the median in seconds."""
    return {"median_s": round(sorted(samples)[len(samples) // 2], 2), **summary(samples)}


def autograde_times(api, name: str, students: list[str]) -> list[float]:
    """Autograde each student's submission once; fail loudly if any is not graded."""
    out = []
    for student in students:
        took, result = timed(api.autograde, name, student, force=True)
        if not result["success"]:
            raise SystemExit(f"autograde {name} {student} failed:\n{result['log'][-2000:]}")
        out.append(took)
    return out


def cli_autograde(root: Path, name: str, student: str, runs: int = 3) -> list[float]:
    """Wall time of ``nbgrader autograde NAME --student S --force`` in a new process."""
    cmd = [sys.executable, "-m", "nbgrader", "autograde", name, "--student", student, "--force"]
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=root, capture_output=True, check=True)
        out.append(time.perf_counter() - start)
    return out


def bench_assignment(api, root: Path, name: str) -> dict:
    generate = [timed(api.generate_assignment, name, force=True)[0] for _ in range(3)]
    correct = {f"bench{i:02d}": "correct" for i in range(1, STUDENTS + 1)}
    course.write_sample_submissions(root, [name], {**correct, "loop01": "infinite loop"})
    per_submission = autograde_times(api, name, list(correct))
    loop = autograde_times(api, name, ["loop01"])
    return {
        "generate_assignment": seconds(generate),
        "autograde_per_submission_api": seconds(per_submission),
        f"autograde_infinite_loop_timeout_{LOOP_TIMEOUT}s": seconds(loop),
        "autograde_one_student_cli_process": seconds(cli_autograde(root, name, "bench01")),
    }


def bench_demo(*extra: str) -> dict:
    """``medbill-lab course demo [EXTRA]`` in a new process: wall and CPU seconds (its
    children, the grading kernels, included), the load average at its start, and
    whether stderr held anything but the demo's own progress lines."""
    script = Path(sys.executable).parent / "medbill-lab"
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    run = subprocess.run([str(script), "course", "demo", *extra], capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode:
        raise SystemExit(f"course demo {' '.join(extra)} failed:\n{run.stderr[-2000:]}")
    other = [ln for ln in run.stderr.splitlines() if not ln.startswith("medbill-lab: ")]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "load_average_at_start": round(load, 2),
        "graded_rows": len(run.stdout.strip().splitlines()) - 3,
        "stderr_lines_not_progress": other,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo-only", action="store_true", help="time course demo only")
    demo_only = parser.parse_args().demo_only
    results: dict = {}
    for label, extra in (("course_demo", ()), ("course_demo_all", ("--all",))):
        results[label] = bench_demo(*extra)
        print(label, json.dumps(results[label]), flush=True)
    if demo_only:
        print(f"saved {save('course_demo', results)}")
        return
    took_import, _ = timed(__import__, "nbgrader.apps")
    results |= {"import_nbgrader_apps_s": round(took_import, 2), "students": STUDENTS}
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        root = course.init_course(Path(tmp) / "course", timeout=LOOP_TIMEOUT)
        with course._tools_on_path():
            api = course.nbgrader_api(root)
            for name in course.assignments():
                results[name] = bench_assignment(api, root, name)
                print(name, results[name]["autograde_per_submission_api"], flush=True)
    print(f"saved {save('course', results)}")


if __name__ == "__main__":
    main()
