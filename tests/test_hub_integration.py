"""A whole course cycle on a real JupyterHub, the way a class of students runs it.

One instructor and three students get Unix accounts; JupyterHub (started with
``deploy/jupyterhub_config.py``) spawns each one's Jupyter server as that
account.  Everything after the start goes through the hub: servers are started
with its REST API, and each person's nbgrader commands run in a kernel of their
own server, reached through the hub's proxy with their own token.  The student's
work is saved through the contents API, as the browser does.

The cycle: the instructor releases an assignment through the shared exchange;
the students fetch it, work (correct, partial, blank) and submit; the instructor
collects, autogrades, generates and releases feedback; the students fetch their
feedback; the grades are exported.  Then the tests check that the exchange's
known weaknesses are closed (see deploy/README.md): no student can list
submissions, read or remove another's, hand in work in another's name, change
the released assignment, or read the instructor's source, hidden tests or
gradebook, or another student's feedback.

Needs root and configurable-http-proxy in .ci/node (``.ci/run`` installs it).
Without them the module skips, unless MEDBILL_REQUIRE_HUB=1 (as CI sets), which
turns the skip into a failure.  About 3 minutes on a busy 2-core machine; every
wait has a timeout.
"""

from __future__ import annotations

import csv
import json
import os
import stat
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
import requests
from hub_helpers import COURSE, LocalHub, missing_prerequisites

from medbill_lab.course import sample_submission
from medbill_lab.hub import (
    EXCHANGE_MODES,
    SUBMISSION_DIR_MODE,
    SUBMISSION_FILE_MODE,
    prepare_exchange,
)

ASSIGNMENT = "terminology"
STUDENTS = {"mbl-student1": "correct", "mbl-student2": "partial", "mbl-student3": "blank"}
FORGED = "2099-01-01 00:00:00.000000 UTC"


@pytest.fixture(scope="module")
def hub():
    problems = missing_prerequisites()
    if problems:
        why = "; ".join(problems)
        if os.environ.get("MEDBILL_REQUIRE_HUB") == "1":
            pytest.fail(f"cannot run a local JupyterHub ({why}), and MEDBILL_REQUIRE_HUB=1")
        pytest.skip(f"cannot run a local JupyterHub: {why}")
    with LocalHub(list(STUDENTS)) as h:
        h.start_servers(h.users, timeout=180)
        yield h


def _ok(kernel, cmd: list[str], cwd: str = "~"):
    result = kernel.run(cmd, cwd=cwd, timeout=180)
    assert result.returncode == 0, (
        f"{kernel.user}: `{' '.join(cmd)}` failed\n{result.stdout}\n{result.stderr}"
    )
    return result


def _save_notebook(hub: LocalHub, user: str, path: str, nb) -> None:
    """Save a notebook into the user's home as JupyterLab does (contents API)."""
    body = {"type": "notebook", "format": "json", "content": nb}
    r = hub.user_api(user, "PUT", f"/api/contents/{path}", json=body)
    assert r.status_code in (200, 201), f"saving {path} as {user}: {r.status_code} {r.text}"


def _each(kernels: dict, cmd: list[str]) -> dict:
    """Run the same command as every student at once, as a class does."""
    with ThreadPoolExecutor(len(kernels)) as pool:
        futures = {s: pool.submit(_ok, k, cmd) for s, k in kernels.items()}
        return {s: f.result() for s, f in futures.items()}


@pytest.fixture(scope="module")
def course(hub):
    """Run the whole cycle once; the tests below check what each person got."""
    instr = hub.kernel(hub.instructor)
    kernels = {s: hub.kernel(s) for s in STUDENTS}
    course_dir = f"~/{COURSE}"
    timings: dict[str, float] = {}
    clock = time.monotonic()

    def lap(step: str) -> None:
        nonlocal clock
        timings[step] = round(time.monotonic() - clock, 1)
        clock = time.monotonic()

    try:
        # the instructor releases an assignment through the exchange
        _ok(instr, ["medbill-lab", "course", "init", COURSE])
        _ok(instr, ["nbgrader", "generate_assignment", ASSIGNMENT, "--force"], course_dir)
        _ok(instr, ["nbgrader", "release_assignment", ASSIGNMENT], course_dir)
        lap("release")
        # each student sees it, fetches it, works on it and submits
        listings = _each(kernels, ["nbgrader", "list"])
        _each(kernels, ["nbgrader", "fetch_assignment", ASSIGNMENT])
        lap("list and fetch")
        outbound = hub.exchange / COURSE / "outbound" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        source = hub.home(hub.instructor) / COURSE / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        released_nb = nbformat.read(outbound, as_version=4)
        source_nb = nbformat.read(source, as_version=4)
        for student, scenario in STUDENTS.items():
            work = sample_submission(scenario, ASSIGNMENT, released_nb, source_nb)
            _save_notebook(hub, student, f"{COURSE}/{ASSIGNMENT}/{ASSIGNMENT}.ipynb", work)
        _each(kernels, ["nbgrader", "submit", ASSIGNMENT])
        lap("work and submit")
        # a cheat: student3 drops a blank "submission" in student1's name, dated later
        forged = forge_submission(hub, kernels["mbl-student3"], "mbl-student1")
        inbound_before = sorted(p.name for p in (hub.exchange / COURSE / "inbound").iterdir())
        # the instructor collects, grades and releases feedback; grades are exported
        collect = _ok(instr, ["nbgrader", "collect", ASSIGNMENT], course_dir)
        for step in ("autograde", "generate_feedback", "release_feedback"):
            _ok(instr, ["nbgrader", step, ASSIGNMENT], course_dir)
            lap(step)
        _ok(instr, ["nbgrader", "export"], course_dir)
        _each(kernels, ["nbgrader", "fetch_feedback", ASSIGNMENT])
        lap("export and fetch feedback")
        print(f"course cycle timings (s): {timings}")
        yield SimpleNamespace(
            instr=instr,
            kernels=kernels,
            listings=listings,
            forged=forged,
            inbound=inbound_before,
            collect_log=collect.stdout + collect.stderr,
            source=source,
            outbound=outbound,
        )
    finally:
        for k in [instr, *kernels.values()]:
            k.shutdown()


def forge_submission(hub: LocalHub, kernel, victim: str) -> str:
    """As ``kernel``'s user, write a blank submission named after ``victim``; return its name."""
    name = f"{victim}+{ASSIGNMENT}+{FORGED}+forged"
    own = f"~/{COURSE}/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
    dest = hub.exchange / COURSE / "inbound" / name
    kernel.execute(
        "import os, shutil\n"
        f"d = {str(dest)!r}\n"
        "os.mkdir(d)\n"
        f"shutil.copy(os.path.expanduser({own!r}), d)\n"
        f"open(os.path.join(d, 'timestamp.txt'), 'w').write({FORGED!r})\n"
        "open(os.path.join(d, 'submission_secret.txt'), 'w').write('x')\n"
    )
    return name


def probe(kernel, attempts: dict[str, str]) -> dict[str, str]:
    """Try each statement in the user's kernel: 'allowed', 'denied' or the error's name."""
    code = (
        "import json, os\n"
        f"_attempts = {attempts!r}\n"
        "_out = {}\n"
        "for _name, _stmt in _attempts.items():\n"
        "    try:\n"
        "        exec(_stmt)\n"
        "        _out[_name] = 'allowed'\n"
        "    except PermissionError:\n"
        "        _out[_name] = 'denied'\n"
        "    except Exception as _e:\n"
        "        _out[_name] = type(_e).__name__\n"
        "print('@@' + json.dumps(_out))\n"
    )
    return json.loads(kernel.execute(code).rsplit("@@", 1)[1])


def read_grades(hub: LocalHub) -> dict[str, tuple[float, float]]:
    path = hub.home(hub.instructor) / COURSE / "grades.csv"
    with path.open(newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["assignment"] == ASSIGNMENT]
    return {r["student_id"]: (float(r["score"]), float(r["max_score"])) for r in rows}


def submission_of(hub: LocalHub, course, student: str) -> Path:
    """The student's genuine submission folder in inbound (the test runs as root)."""
    names = [n for n in course.inbound if n.startswith(f"{student}+") and n != course.forged]
    assert len(names) == 1, names
    return hub.exchange / COURSE / "inbound" / names[0]


def feedback_file(hub: LocalHub, student: str) -> Path:
    found = sorted(
        (hub.home(student) / COURSE / ASSIGNMENT / "feedback").glob(f"*/{ASSIGNMENT}.html")
    )
    assert found, f"{student} has no fetched feedback"
    return found[-1]


# -- the cycle -------------------------------------------------------------------------
def test_hub_has_the_course_groups(hub):
    groups = {g["name"]: set(g["users"]) for g in hub.api("GET", "/groups").json()}
    assert groups["instructors"] == {hub.instructor}
    assert groups["students"] == set(STUDENTS)
    assert groups[f"formgrade-{COURSE}"] == {hub.instructor}
    assert groups[f"nbgrader-{COURSE}"] == set(STUDENTS)


def test_students_see_the_released_assignment(course):
    # nbgrader asks the hub which courses the student is in (JupyterHubAuthPlugin)
    for student, result in course.listings.items():
        log = result.stdout + result.stderr
        assert f"{COURSE} {ASSIGNMENT}" in log, f"{student}'s `nbgrader list`:\n{log}"


def test_grades_rank_correct_over_partial_over_blank(hub, course):
    grades = read_grades(hub)
    correct, partial, blank = (grades[s] for s in STUDENTS)
    assert correct[0] == correct[1] > 0, f"the correct submission lost points: {correct}"
    assert correct[0] > partial[0] > blank[0], grades
    assert blank[0] == 0, grades


def test_every_student_fetched_their_own_feedback(hub, course):
    grades = read_grades(hub)
    for student in STUDENTS:
        html = feedback_file(hub, student).read_text()
        score, max_score = grades[student]
        assert ASSIGNMENT in html
        assert f"{score:g}" in html and f"{max_score:g}" in html, (
            f"{student}'s feedback does not show their score {score:g} / {max_score:g}"
        )
        # and the student sees it in their own server
        listing = hub.user_api(student, "GET", f"/api/contents/{COURSE}/{ASSIGNMENT}/feedback")
        assert listing.status_code == 200 and listing.json()["content"], listing.text


def test_forged_submission_was_not_collected(hub, course):
    # student1 handed in correct work; a later blank "submission" in their name, written
    # by student3, must not replace it (nbgrader alone would collect the latest)
    assert course.forged in course.inbound
    assert "mbl-student3" in course.collect_log and "Ignoring" in course.collect_log
    score, max_score = read_grades(hub)["mbl-student1"]
    assert score == max_score


def test_released_assignment_has_no_hidden_tests(course):
    assert "BEGIN HIDDEN TESTS" in course.source.read_text()
    assert "BEGIN HIDDEN TESTS" not in course.outbound.read_text()
    assert "_accepted(p, meaning[p])" not in course.outbound.read_text()


def test_the_apps_open_in_users_servers(hub, course):
    for user in (hub.instructor, "mbl-student2"):
        r = hub.user_api(user, "GET", "/voila/render/medbill-apps/index.ipynb", timeout=120)
        assert r.status_code == 200, f"{user}: {r.status_code}"
        assert "mbl-card" in r.text and "Traceback" not in r.text


# -- the exchange's weaknesses, closed ----------------------------------------------
def test_exchange_modes(hub, course):
    course_root = hub.exchange / COURSE
    for kind in ("inbound", "outbound", "feedback"):
        mode = stat.S_IMODE((course_root / kind).stat().st_mode)
        assert mode == EXCHANGE_MODES[kind], f"{kind}: {oct(mode)}"
    sub = submission_of(hub, course, "mbl-student2")
    assert stat.S_IMODE(sub.stat().st_mode) == SUBMISSION_DIR_MODE
    assert sub.group() == hub.graders
    for f in sub.iterdir():
        assert stat.S_IMODE(f.stat().st_mode) == SUBMISSION_FILE_MODE, f.name


def test_a_student_cannot_reach_others_work(hub, course):
    inbound = hub.exchange / COURSE / "inbound"
    victim_sub = submission_of(hub, course, "mbl-student1")
    victim_home = hub.home("mbl-student1")
    instr_course = hub.home(hub.instructor) / COURSE
    attempts = {
        "list the submissions": f"os.listdir({str(inbound)!r})",
        "read another's submission": f"open({str(victim_sub / (ASSIGNMENT + '.ipynb'))!r}).read()",
        "overwrite another's submission": f"open({str(victim_sub / 'timestamp.txt')!r}, 'w')",
        "remove another's submission": f"os.rename({str(victim_sub)!r}, {str(inbound / 'gone')!r})",
        "change the released assignment": f"open({str(course.outbound)!r}, 'a')",
        "add to the released assignment": f"open({str(course.outbound.parent / 'extra.py')!r}, 'w')",
        "read the instructor's source": f"open({str(course.source)!r}).read()",
        "read the gradebook": f"open({str(instr_course / 'gradebook.db')!r}, 'rb').read()",
        "list the released feedback": f"os.listdir({str(hub.exchange / COURSE / 'feedback')!r})",
        "read another's feedback": f"open({str(feedback_file(hub, 'mbl-student1'))!r}).read()",
        "read another's notebook": f"open({str(victim_home / COURSE / ASSIGNMENT / (ASSIGNMENT + '.ipynb'))!r}).read()",
    }
    outcome = probe(course.kernels["mbl-student2"], attempts)
    assert outcome == dict.fromkeys(attempts, "denied"), outcome


def test_the_same_probes_pass_for_the_rightful_owner(hub, course):
    # the probes can tell allowed from denied: the owner and the instructor get in
    own = {
        "read the released assignment": f"open({str(course.outbound)!r}).read()",
        "read own feedback": f"open({str(feedback_file(hub, 'mbl-student1'))!r}).read()",
        "read own submission": f"open({str(submission_of(hub, course, 'mbl-student1') / 'timestamp.txt')!r}).read()",
    }
    assert probe(course.kernels["mbl-student1"], own) == dict.fromkeys(own, "allowed")
    instructor = {
        "list the submissions": f"os.listdir({str(hub.exchange / COURSE / 'inbound')!r})",
        "read a submission": f"open({str(submission_of(hub, course, 'mbl-student2') / (ASSIGNMENT + '.ipynb'))!r}).read()",
    }
    assert probe(course.instr, instructor) == dict.fromkeys(instructor, "allowed")


def test_students_files_are_private(hub, course):
    # homes are 0700, and what a student's server creates is theirs alone (umask 077)
    for student in STUDENTS:
        home = hub.home(student)
        assert stat.S_IMODE(home.stat().st_mode) == 0o700, oct(home.stat().st_mode)
    r = hub.user_api("mbl-student1", "POST", f"/api/contents/{COURSE}", json={"type": "notebook"})
    assert r.status_code == 201, r.text
    created = hub.home("mbl-student1") / r.json()["path"]
    assert stat.S_IMODE(created.stat().st_mode) == 0o600, oct(created.stat().st_mode)


def test_a_student_cannot_use_anothers_server(hub, course):
    token = hub.user_token("mbl-student2")
    for target in ("mbl-student1", hub.instructor):
        r = requests.get(
            f"{hub.url}/user/{target}/api/contents",
            headers={"Authorization": f"token {token}"},
            timeout=30,
            allow_redirects=False,
        )
        assert r.status_code == 403, f"student2 -> {target}'s server: {r.status_code}"


# -- the exchange tool, without a hub -------------------------------------------------
def test_prepare_exchange_names_a_missing_account(tmp_path):
    with pytest.raises(LookupError, match="no Unix user 'no-such-instructor'"):
        prepare_exchange(tmp_path / "exchange", COURSE, "no-such-instructor", "root")
    assert not (tmp_path / "exchange").exists()


def test_exchange_command_gives_one_line_error(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "medbill_lab.hub", str(tmp_path), COURSE, "root", "no-such-group"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == "error: no Unix group 'no-such-group'; create the graders' group first"
    )
    assert "Traceback" not in result.stderr
