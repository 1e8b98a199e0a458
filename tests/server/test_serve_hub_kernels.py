"""Each hub user's server: the kernel cap still holds, and an unconnected kernel is culled."""

from __future__ import annotations

import asyncio
import tempfile

import pytest
from tornado import web

from medbill_lab.server.hub_kernels import HubKernelManager


def test_unconnected_kernels_go_connected_ones_stay_and_the_cap_holds():
    async def scenario() -> dict:
        with tempfile.TemporaryDirectory() as root:
            km = HubKernelManager(
                max_kernels=3, unconnected_timeout=1, cull_idle_timeout=3600, root_dir=root
            )
            try:
                stray = await km.start_kernel(kernel_name="python3")
                page = await km.start_kernel(kernel_name="python3")
                left = await km.start_kernel(kernel_name="python3")
                with pytest.raises(web.HTTPError) as refused:
                    await km.start_kernel(kernel_name="python3")
                km.notify_connect(page)  # a page is open on it
                km.notify_connect(left)
                km.notify_disconnect(left)  # its page went away (a laptop asleep)
                # cull every half second until the stray goes: a kernel still booting on a
                # loaded machine sends its first messages late, and they restart its idle clock
                for _ in range(60):
                    await asyncio.sleep(0.5)
                    await km.cull_kernels()
                    if stray not in km.list_kernel_ids():
                        break
                return {
                    "refused": refused.value.status_code,
                    "alive": set(km.list_kernel_ids()),
                    "ids": (stray, page, left),
                }
            finally:
                await km.shutdown_all()

    got = asyncio.run(scenario())
    stray, page, left = got["ids"]
    assert stray not in got["alive"]
    assert got["refused"] == 503
    assert got["alive"] == {page, left}
