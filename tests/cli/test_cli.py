"""The ``medbill-lab codes`` contract that other tools script against."""

from __future__ import annotations

import json

import pytest


def test_search_json_contract(run_cli):
    out = run_cli(
        "codes", "search", "heart attack", "--system", "icd10cm", "--limit", "3", "--json"
    )
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert len(rows) == 3
    for row in rows:
        assert {"code", "description", "billable", "system"} <= row.keys()
        assert isinstance(row["billable"], bool) and row["system"] == "icd10cm"
    assert rows[0]["code"] == "I21.9"


def test_search_text_output_and_year(run_cli):
    out = run_cli("codes", "search", "E11.A", "--year", "2026")
    assert out.returncode == 0 and out.stdout.startswith("E11.A")


def test_show_prints_notes_and_ancestors(run_cli):
    out = run_cli("codes", "show", "e11.65", "--json")
    data = json.loads(out.stdout)
    assert data["code"] == "E11.65" and data["billable"] is True
    assert [a["code"] for a in data["ancestors"]][:2] == ["E11.6", "E11"]
    assert any(n["kind"] == "excludes1" and n["from"] == "E11" for n in data["governing_notes"])
    text = run_cli("codes", "show", "S52.521").stdout
    assert "missing 7th character" in text and "7th characters: A initial encounter" in text


def test_show_a_procedure_code(run_cli):
    data = json.loads(run_cli("codes", "show", "99213", "--json").stdout)
    assert data["system"] == "cpt"


def test_changes_report(run_cli):
    data = json.loads(
        run_cli("codes", "changes", "--from", "2025", "--to", "2026", "--json").stdout
    )
    assert data["from"] == 2025 and data["to"] == 2026
    assert any(r["code"] == "E11.A" for r in data["added"])
    assert {"added", "deleted", "revised", "now_header"} <= data.keys()


def test_validate_exit_status(run_cli):
    assert run_cli("codes", "validate", "E11.9", "--date", "2026-01-02").returncode == 0
    bad = run_cli("codes", "validate", "T78.40A", "--date", "2026-01-02")
    assert bad.returncode == 1 and "T78.40XA" in bad.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("codes", "search", ""),
        ("codes", "search", "a\x01b"),
        ("codes", "search", "x" * 10_000),
        ("codes", "search", "htn", "--year", "2031"),
        ("codes", "search", "htn", "--year", "twenty"),
        ("codes", "search", "htn", "--limit", "0"),
        ("codes", "search", "htn", "--system", "snomed"),
        ("codes", "show", "ZZZ99"),
        ("codes", "show", ""),
        ("codes", "validate", "E11.9", "--date", "someday"),
        ("codes", "changes", "--from", "2019"),
        ("codes",),
        ("nonsense",),
    ],
)
def test_bad_input_is_one_line_and_non_zero(run_cli, args):
    out = run_cli(*args)
    assert out.returncode != 0
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "error" in lines[0]
    assert out.stdout == ""


def test_lab_opens_jupyterlab_on_the_lessons(tmp_path):
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(tmp_path),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg"),
    }
    log = tmp_path / "lab.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "medbill_lab", "lab", "--no-browser", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=(err := log.open("w")),
        env=env,
    )
    try:
        deadline, body = time.monotonic() + 90, ""
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=2) as resp:
                    body = resp.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert '"version"' in body, log.read_text()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        err.close()
    assert "notebooks" in log.read_text()  # serving the lessons folder
