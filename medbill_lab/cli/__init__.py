"""The ``medbill-lab`` command line: the only place, with ``apps``, that prints.

Modules:

- ``app``: the parser, ``main`` and every command.

May import: ``codes``, ``claims``, ``payer``, ``x12``, ``compliance``, ``practice``, ``training``, ``apps``, ``server`` (and ``medbill_lab.datasets``).
"""

from __future__ import annotations

MAY_IMPORT: tuple[str, ...] = (
    "codes",
    "claims",
    "payer",
    "x12",
    "compliance",
    "practice",
    "training",
    "apps",
    "server",
)


def main(argv: list[str] | None = None) -> int:
    """Run ``medbill-lab`` (the console script's entry point)."""
    from medbill_lab.cli.app import main as run

    return run(argv)
