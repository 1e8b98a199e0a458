"""The kernel manager of each hub user's Jupyter server: the per-user cap plus quick culling.

:class:`medbill_lab.server.hub.CappedKernelManager` keeps one person's server to a few
kernels; :class:`medbill_lab.server.voila_app.UnconnectedCuller` shuts down, within two
minutes, a kernel no page ever connected to (an app page opened by a stray
request), while a kernel a page did connect to keeps the usual idle timeout.
``deploy/jupyter/jupyter_server_config.py`` selects this class.
"""

from __future__ import annotations

from medbill_lab.server.hub import CappedKernelManager
from medbill_lab.server.voila_app import UnconnectedCuller


class HubKernelManager(UnconnectedCuller, CappedKernelManager):
    """A user's server kernels: capped in number, unconnected ones culled quickly."""
