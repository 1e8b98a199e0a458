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

The hub runs as deployed (deploy/README.md): secrets from the environment, HTTPS
with its own (self-signed) certificate, the idle culler, a kernel cap per server,
and MedBill Lab installed as a wheel by ``deploy/install.py`` into a user
environment outside the checkout, with ``exercises/`` staged for the instructors'
group only.  A student's probes: instructor sources, the installed package and
shared files (no answers), many kernels, plain HTTP.

Needs root and configurable-http-proxy in .ci/node (``.ci/run`` installs it).
Without them the module skips, unless MEDBILL_REQUIRE_HUB=1 (as CI sets), which
turns the skip into a failure.  About 3 minutes on a busy 2-core machine; every
wait has a timeout.
"""

from __future__ import annotations

import asyncio
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
import psutil
import pytest
import requests
from hub_helpers import COURSE, ROOT, LocalHub, missing_prerequisites

from medbill_lab.server.hub import (
    EXCHANGE_MODES,
    SUBMISSION_DIR_MODE,
    SUBMISSION_FILE_MODE,
    prepare_exchange,
)
from medbill_lab.training.course import sample_submission

ASSIGNMENT = "terminology"
STUDENTS = {"mbl-student1": "correct", "mbl-student2": "partial", "mbl-student3": "blank"}
FORGED = "2099-01-01 00:00:00.000000 UTC"
MAX_KERNELS = 4  # per user's server (MEDBILL_MAX_KERNELS)
# The tests that take the hub are marked slow: the hub and its user environment take
# minutes to set up. The two at the end need no hub and stay in the quick loop.


@pytest.fixture(scope="module")
def hub():
    problems = missing_prerequisites()
    if problems:
        why = "; ".join(problems)
        if os.environ.get("MEDBILL_REQUIRE_HUB") == "1":
            pytest.fail(f"cannot run a local JupyterHub ({why}), and MEDBILL_REQUIRE_HUB=1")
        pytest.skip(f"cannot run a local JupyterHub: {why}")
    with LocalHub(list(STUDENTS), tls=True, max_kernels=MAX_KERNELS) as h:
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
@pytest.mark.slow
def test_hub_has_the_course_groups(hub):
    groups = {g["name"]: set(g["users"]) for g in hub.api("GET", "/groups").json()}
    assert groups["instructors"] == {hub.instructor}
    assert groups["students"] == set(STUDENTS)
    assert groups[f"formgrade-{COURSE}"] == {hub.instructor}
    assert groups[f"nbgrader-{COURSE}"] == set(STUDENTS)


@pytest.mark.slow
def test_students_see_the_released_assignment(course):
    # nbgrader asks the hub which courses the student is in (JupyterHubAuthPlugin)
    for student, result in course.listings.items():
        log = result.stdout + result.stderr
        assert f"{COURSE} {ASSIGNMENT}" in log, f"{student}'s `nbgrader list`:\n{log}"


@pytest.mark.slow
def test_grades_rank_correct_over_partial_over_blank(hub, course):
    grades = read_grades(hub)
    correct, partial, blank = (grades[s] for s in STUDENTS)
    assert correct[0] == correct[1] > 0, f"the correct submission lost points: {correct}"
    assert correct[0] > partial[0] > blank[0], grades
    assert blank[0] == 0, grades


@pytest.mark.slow
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


@pytest.mark.slow
def test_forged_submission_was_not_collected(hub, course):
    # student1 handed in correct work; a later blank "submission" in their name, written
    # by student3, must not replace it (nbgrader alone would collect the latest)
    assert course.forged in course.inbound
    assert "mbl-student3" in course.collect_log and "Ignoring" in course.collect_log
    score, max_score = read_grades(hub)["mbl-student1"]
    assert score == max_score


@pytest.mark.slow
def test_released_assignment_has_no_hidden_tests(course):
    assert "BEGIN HIDDEN TESTS" in course.source.read_text()
    assert "BEGIN HIDDEN TESTS" not in course.outbound.read_text()
    assert "_accepted(p, meaning[p])" not in course.outbound.read_text()


@pytest.mark.slow
def test_the_apps_open_in_users_servers(hub, course):
    for user in (hub.instructor, "mbl-student2"):
        r = hub.user_api(user, "GET", "/voila/render/medbill-apps/index.ipynb", timeout=120)
        assert r.status_code == 200, f"{user}: {r.status_code}"
        assert "mbl-card" in r.text and "Traceback" not in r.text


# -- the exchange's weaknesses, closed ----------------------------------------------
@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
def test_students_files_are_private(hub, course):
    # homes are 0700, and what a student's server creates is theirs alone (umask 077)
    for student in STUDENTS:
        home = hub.home(student)
        assert stat.S_IMODE(home.stat().st_mode) == 0o700, oct(home.stat().st_mode)
    r = hub.user_api("mbl-student1", "POST", f"/api/contents/{COURSE}", json={"type": "notebook"})
    assert r.status_code == 201, r.text
    created = hub.home("mbl-student1") / r.json()["path"]
    assert stat.S_IMODE(created.stat().st_mode) == 0o600, oct(created.stat().st_mode)


@pytest.mark.slow
def test_a_student_cannot_use_anothers_server(hub, course):
    token = hub.user_token("mbl-student2")
    for target in ("mbl-student1", hub.instructor):
        r = requests.get(
            f"{hub.url}/user/{target}/api/contents",
            headers={"Authorization": f"token {token}"},
            timeout=30,
            allow_redirects=False,
            verify=hub.verify,
        )
        assert r.status_code == 403, f"student2 -> {target}'s server: {r.status_code}"


# -- the deployment: TLS, culler, sources private, limits ------------------------------
@pytest.mark.slow
def test_the_hub_speaks_https_only_and_listens_on_loopback(hub):
    assert hub.url.startswith("https://")
    assert hub.api("GET", "/").ok  # verified against the hub's own certificate
    try:
        plain = requests.get(f"http://127.0.0.1:{hub.port}/hub/api", timeout=10)
        answered = plain.ok
    except requests.RequestException:
        answered = False
    assert not answered, "the hub answered plain HTTP on its TLS port"
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f"{hub.url}/hub/api", timeout=10)  # an unknown certificate is refused
    # nothing the deployment started (hub, proxy, culler, servers, kernels) listens
    # on a network interface
    pids = {hub.proc.pid, *(c.pid for c in psutil.Process(hub.proc.pid).children(recursive=True))}
    listening = {
        (c.laddr.ip, c.laddr.port)
        for c in psutil.net_connections(kind="inet")
        if c.status == psutil.CONN_LISTEN and c.pid in pids
    }
    assert (("127.0.0.1", hub.port)) in listening, listening
    public = [a for a in listening if not a[0].startswith("127.") and a[0] != "::1"]
    assert public == [], public


@pytest.mark.slow
def test_the_idle_culler_runs_beside_the_hub(hub):
    children = psutil.Process(hub.proc.pid).children()
    cullers = [p for p in children if "jupyterhub_idle_culler" in " ".join(p.cmdline())]
    assert len(cullers) == 1, [p.cmdline() for p in children]
    assert "--timeout=3600" in cullers[0].cmdline()


@pytest.mark.slow
def test_the_hubs_secrets_stay_with_root(hub, course):
    kernel = course.kernels["mbl-student1"]
    names = ("JPY_COOKIE_SECRET", "CONFIGPROXY_AUTH_TOKEN")
    leaked = kernel.execute(f"import os; print('@@', [n for n in {names!r} if n in os.environ])")
    assert leaked.rsplit("@@", 1)[1].strip() == "[]", leaked
    attempts = {
        "read the hub's environment": f"open('/proc/{hub.proc.pid}/environ', 'rb').read()",
        "read the hub's state": f"os.listdir({str(hub.base / 'hub')!r})",
    }
    assert probe(kernel, attempts) == dict.fromkeys(attempts, "denied")


@pytest.mark.slow
def test_a_student_cannot_read_instructor_sources(hub, course):
    exercises = hub.instructor_files / "exercises"
    notebook = exercises / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert notebook.is_file()
    source_dir = hub.home(hub.instructor) / COURSE / "source"
    attempts = {
        "list the instructors' files": f"os.listdir({str(hub.instructor_files)!r})",
        "list exercises/": f"os.listdir({str(exercises)!r})",
        "read an exercise's source": f"open({str(notebook)!r}).read()",
        "list the course's source/": f"os.listdir({str(source_dir)!r})",
    }
    for student in ("mbl-student1", "mbl-student2"):
        outcome = probe(course.kernels[student], attempts)
        assert outcome == dict.fromkeys(attempts, "denied"), (student, outcome)
    # the probes can tell: the instructor reads them (course init used them)
    own = {k: v for k, v in attempts.items() if k != "list the course's source/"}
    assert probe(course.instr, own) == dict.fromkeys(own, "allowed")


@pytest.mark.slow
def test_students_run_the_installed_package_not_the_checkout(hub, course):
    code = (
        "import json, os, sys, medbill_lab\n"
        "from medbill_lab import course, datasets\n"
        "_pkg = os.path.dirname(medbill_lab.__file__)\n"
        "print('@@' + json.dumps({'package': _pkg, 'exercises': str(course.exercises_dir()),\n"
        "  'exercises_exist': course.exercises_dir().exists(),\n"
        "  'datasets': str(datasets.datasets_dir()), 'path': sys.path,\n"
        "  'env': {k: v for k, v in os.environ.items() if '/' in v}}))\n"
    )
    seen = json.loads(course.kernels["mbl-student1"].execute(code).rsplit("@@", 1)[1])
    assert seen["package"].startswith(str(hub.env_dir)), seen["package"]
    assert not seen["exercises_exist"], seen["exercises"]
    assert seen["datasets"] == str(hub.share / "datasets")
    # nothing a user needs is in the checkout, so a clone in a 0700 folder works
    inside = [p for p in [*seen["path"], *seen["env"].values()] if str(ROOT) in p]
    assert inside == [], inside


SEARCH = """
import json, os
def _blocks_found(roots, blocks):
    hits = []
    for root in roots:
        for dirpath, _dirs, files in os.walk(root):
            for name in files:
                path = os.path.join(dirpath, name)
                try:
                    with open(path, encoding='utf-8') as fh:
                        text = fh.read()
                except (OSError, UnicodeDecodeError):
                    continue
                if name.endswith('.ipynb'):
                    try:
                        cells = json.loads(text).get('cells', [])
                        text += '\\n'.join(''.join(c.get('source', '')) for c in cells)
                    except (ValueError, AttributeError):
                        pass
                hits += [(path, i) for i, b in enumerate(blocks) if b in text]
    return hits
"""


def _answer_blocks(notebook: Path) -> list[str]:
    """The solution and hidden-test blocks of the instructor's source notebook."""
    blocks = []
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        for begin, end in (
            ("BEGIN SOLUTION", "END SOLUTION"),
            ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS"),
        ):
            for part in cell.source.split(f"### {begin}")[1:]:
                block = part.split(f"### {end}")[0].strip()
                if len(block) >= 30:
                    blocks.append(block)
    return blocks


@pytest.mark.slow
def test_the_installed_package_and_shared_files_hold_no_answers(hub, course):
    blocks = _answer_blocks(course.source)
    assert blocks, "the instructor's source has no solution or hidden-test blocks to look for"

    def search(kernel, roots: list[str]) -> list:
        code = SEARCH + f"print('@@' + json.dumps(_blocks_found({roots!r}, {blocks!r})))\n"
        return json.loads(kernel.execute(code, timeout=300).rsplit("@@", 1)[1])

    package = (
        course.kernels["mbl-student2"]
        .execute("import os, medbill_lab; print('@@' + os.path.dirname(medbill_lab.__file__))")
        .rsplit("@@", 1)[1]
        .strip()
    )
    found = search(course.kernels["mbl-student2"], [package, str(hub.share)])
    assert found == [], f"a student can read the course's answers in {found}"
    # the search can find them: in the instructor's own course source it does
    source = str(hub.home(hub.instructor) / COURSE / "source")
    assert search(course.instr, [source]), "the search missed the answers where they are"


@pytest.mark.slow
def test_a_forged_host_or_a_direct_connection_gets_nothing(hub, course):
    # DNS rebinding reaches the hub with a foreign Host and without the hub's
    # cookies (they belong to the hub's own name): it must get no page and no kernel
    forged = {"Host": "evil.example.org"}
    app = f"{hub.url}/user/mbl-student1/voila/render/medbill-apps/index.ipynb"
    r = requests.get(app, headers=forged, timeout=60, allow_redirects=False, verify=hub.verify)
    assert r.status_code in (302, 401, 403) and "mbl-card" not in r.text, r.status_code

    async def websocket(kernel_id: str) -> int:
        from tornado.httpclient import HTTPClientError, HTTPRequest
        from tornado.websocket import websocket_connect

        url = f"wss://127.0.0.1:{hub.port}/user/mbl-student1/api/kernels/{kernel_id}/channels"
        try:
            conn = await websocket_connect(HTTPRequest(url, headers=forged, ca_certs=str(hub.ca)))
        except HTTPClientError as exc:
            return exc.code
        conn.close()
        return 101

    assert asyncio.run(websocket(course.kernels["mbl-student1"].id)) in (302, 401, 403)
    # another student on the same machine goes straight to student1's server port,
    # past the proxy, with a forged Host: the server wants the hub's login too
    port = next(
        c.laddr.port
        for c in psutil.Process(hub.server_pid("mbl-student1")).net_connections(kind="inet")
        if c.status == psutil.CONN_LISTEN
    )
    code = (
        "import http.client\n"
        f"_c = http.client.HTTPConnection('127.0.0.1', {port}, timeout=30)\n"
        "_c.request('GET', '/user/mbl-student1/api/contents', headers={'Host': 'evil.example.org'})\n"
        "print('@@', _c.getresponse().status)\n"
    )
    status = int(course.kernels["mbl-student2"].execute(code).rsplit("@@", 1)[1])
    assert status in (302, 401, 403), status


@pytest.mark.slow
def test_a_student_cannot_start_kernels_without_limit(hub, course):
    student = "mbl-student3"
    started, refused = [], []
    for _ in range(MAX_KERNELS + 2):
        r = hub.user_api(student, "POST", "/api/kernels", json={"name": "python3"}, timeout=120)
        (started if r.status_code == 201 else refused).append(r)
    try:
        running = hub.user_api(student, "GET", "/api/kernels").json()
        assert len(running) <= MAX_KERNELS, len(running)
        assert len(refused) >= 2 and {r.status_code for r in refused} == {503}
        assert "shut down a notebook or app" in refused[0].json()["message"]
        # the others' servers are untouched
        assert hub.user_api("mbl-student1", "GET", "/api/status").ok
    finally:
        for r in started:
            hub.user_api(student, "DELETE", f"/api/kernels/{r.json()['id']}")
    # a place freed is a place to use again
    again = hub.user_api(student, "POST", "/api/kernels", json={"name": "python3"}, timeout=120)
    assert again.status_code == 201, again.text
    hub.user_api(student, "DELETE", f"/api/kernels/{again.json()['id']}")


# -- the exchange tool, without a hub -------------------------------------------------
def test_prepare_exchange_names_a_missing_account(tmp_path):
    with pytest.raises(LookupError, match="no Unix user 'no-such-instructor'"):
        prepare_exchange(tmp_path / "exchange", COURSE, "no-such-instructor", "root")
    assert not (tmp_path / "exchange").exists()


def test_exchange_command_gives_one_line_error(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "medbill_lab.server.hub",
            str(tmp_path),
            COURSE,
            "root",
            "no-such-group",
        ],
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
