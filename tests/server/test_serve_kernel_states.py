"""Which kernels the app server may cull or evict, for each state a kernel passes through.

A kernel is listed by its manager a moment before jupyter_server sets its
``last_activity``; a burst of page opens used to read that unset trait while
choosing a seat to free, and answered HTTP 500 (seen in the burst test of
``tests/e2e/test_serve_limits.py``).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import ServerKernelManager

from medbill_lab.server.voila_app import MedbillKernelManager, idle_since


def kernel(state: str | None, idle_seconds: float | None) -> ServerKernelManager:
    """A kernel manager in ``state``, last active ``idle_seconds`` ago (None: not yet set)."""
    km = ServerKernelManager()
    km.execution_state = state
    if idle_seconds is not None:
        km.last_activity = utcnow() - timedelta(seconds=idle_seconds)
    return km


def manager(kernels: dict[str, ServerKernelManager]) -> MedbillKernelManager:
    """A gallery kernel manager holding ``kernels`` (no processes), evicting after 30 s."""
    mgr = MedbillKernelManager(evict_grace=30, unconnected_timeout=6)
    mgr._kernels.update(kernels)
    return mgr


def test_a_kernel_listed_before_its_start_finished_has_no_idle_time():
    assert idle_since(kernel(None, None)) is None  # reading the unset trait used to raise


def test_a_busy_kernel_is_not_idle_however_old_its_activity():
    assert idle_since(kernel("busy", 600)) is None


# "starting" stays until a client first talks to the kernel: one nobody ever
# talks to (a stray request) must still count as idle, or it is never culled
@pytest.mark.parametrize("state", ["idle", "starting", None])
def test_a_kernel_not_busy_is_idle_since_its_last_activity(state):
    km = kernel(state, 40)
    assert idle_since(km) == km.last_activity


def test_a_seat_is_freed_only_from_a_kernel_idle_past_the_grace():
    mgr = manager(
        {
            "new": kernel(None, None),  # just listed, start not finished
            "busy": kernel("busy", 120),
            "recent": kernel("idle", 5),
            "old": kernel("idle", 45),
            "never talked to": kernel("starting", 60),
            "oldest": kernel("idle", 90),
        }
    )
    assert mgr.pick_victim() == "oldest"  # the least recently active goes first
    assert mgr.pick_victim() == "never talked to"
    assert mgr.pick_victim() == "old"
    assert mgr.pick_victim() is None  # the rest are just listed, busy or recent


def test_a_lab_full_of_kernels_still_being_started_has_no_seat_to_free():
    mgr = manager({f"k{i}": kernel(None, None) for i in range(3)})
    assert mgr.pick_victim() is None


def test_only_an_idle_never_connected_kernel_is_culled_early():
    mgr = manager(
        {
            "new": kernel(None, None),
            "busy": kernel("busy", 60),
            "recent": kernel("idle", 2),
            "stray": kernel("idle", 10),
            "never talked to": kernel("starting", 10),
            "connected": kernel("idle", 10),
            "left": kernel("idle", 10),
        }
    )
    mgr._kernel_connections["connected"] = 1
    mgr.notify_connect("left")  # its page connected once, then went away
    mgr.notify_disconnect("left")
    culled = [k for k in mgr._kernels if mgr.never_connected_and_idle(k)]
    assert culled == ["stray", "never talked to"]
