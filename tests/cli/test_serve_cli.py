"""``medbill-lab serve`` options for the limits: bad values get one line and a non-zero exit."""

from __future__ import annotations

import subprocess
import sys

import pytest
from serve_helpers import free_port

from medbill_lab.server import serve


@pytest.mark.parametrize(
    "args, says",
    [
        (["--max-kernels", "0"], "at least 1"),
        (["--pool-size", "5"], "pool size must be 0 to 2"),
        (["--allow-host", "http://lab.example.org"], "without a port or scheme"),
        (["--allow-host", "lab.example.org:8866"], "without a port or scheme"),
        (["--allow-host", "two words"], "without a port or scheme"),
    ],
)
def test_bad_limits_get_one_line_and_exit_non_zero(args, says):
    cmd = [sys.executable, "-m", "medbill_lab", "serve", "--port", str(free_port())]
    done = subprocess.run([*cmd, "--no-browser", *args], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0], done.stderr
    assert "Traceback" not in done.stderr


def test_the_limits_reach_the_server_command():
    cmd = serve.voila_command(9000, pool_size=2, max_kernels=5, allow_hosts=["lab.example.org"])
    assert "--MedbillKernelManager.max_app_kernels=5" in cmd
    assert "--MedbillVoila.allowed_hosts=lab.example.org" in cmd
    assert f"--MedbillKernelManager.unconnected_timeout={serve.UNCONNECTED_SECONDS}" in cmd
    assert cmd[1:3] == ["-m", "medbill_lab.server.voila_app"]
    assert serve.UNCONNECTED_SECONDS + serve.CULL_INTERVAL_SECONDS <= 120  # culled within 2 min


@pytest.mark.parametrize("name", ["localhost", "lab.example.org", "10.0.0.5", "[::1]", "LAB.org."])
def test_good_host_names_are_accepted(name):
    assert serve.validate_host(name) == name.lower().strip("[]").rstrip(".")
