"""``medbill-lab lab`` and ``serve`` (cli/lab.py), run through ``main([...])`` with the
server start replaced, so the test checks what would be started without starting it."""

from __future__ import annotations

import os

import pytest
from serve_helpers import free_port

from medbill_lab.datasets import project_root
from medbill_lab.server import serve


def test_lab_becomes_jupyterlab_on_the_lessons(cli, monkeypatch):
    started = []
    monkeypatch.setattr(os, "execv", lambda path, argv: started.append(argv))
    assert cli("lab", "--port", "8899", "--no-browser").code == 0
    [argv] = started
    assert argv[1] == "lab" and f"--notebook-dir={project_root() / 'notebooks'}" in argv
    assert "--port=8899" in argv and "--no-browser" in argv


def test_serve_checks_the_hosts_and_starts_the_gallery(cli, monkeypatch):
    calls = []
    monkeypatch.setattr(serve, "serve", lambda port, **kw: calls.append((port, kw)) or 0)
    port = free_port()
    run = cli("serve", "--port", str(port), "--no-browser", "--allow-host", "LAB.example.org.")
    assert run.code == 0
    assert calls == [
        (
            port,
            {
                "open_browser": False,
                "pool_size": 1,
                "max_kernels": 8,
                "allow_hosts": ["lab.example.org"],
            },
        ),
    ]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("serve", "--port", "99999"), "port 99999 is out of range"),
        (("serve", "--port", "{port}", "--allow-host", "http://x.org"), "without a port or scheme"),
        (("lab", "--port", "x"), "invalid int value: 'x'"),
    ],
)
def test_bad_input_is_one_line(cli, monkeypatch, args, says):
    monkeypatch.setattr(serve, "serve", lambda port, **kw: pytest.fail("must not start"))
    monkeypatch.setattr(os, "execv", lambda *a: pytest.fail("must not start"))
    port = str(free_port())
    cli(*(a.replace("{port}", port) for a in args)).fails_in_one_line(says)
