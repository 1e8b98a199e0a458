"""Serving the lab: the Voila app gallery and the hardened class server (JupyterHub, nbgrader exchange).

Modules:

- ``serve``: the app gallery on localhost with preheated kernels;
- ``voila_app``: Voila with a classroom server's limits;
- ``hub``: nbgrader's exchange, locked down for a shared server;
- ``hub_kernels``: each hub user's kernel manager: a cap and quick culling.

May import: ``codes``, ``claims``, ``payer``, ``x12``, ``compliance``, ``practice``, ``training``, ``apps`` (and ``medbill_lab.datasets``).
"""

from __future__ import annotations

from medbill_lab import stages_before

MAY_IMPORT: tuple[str, ...] = stages_before("server")
