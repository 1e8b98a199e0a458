"""The ``medbill-lab`` command line: the only place, with ``apps``, that prints.

Modules, one per command group (each registers its subcommands and holds their handlers):

- ``app``: ``main`` and the top-level parser that assembles the groups;
- ``common``: the one-line parser, exit statuses, JSON output, argument types;
- ``codes``: ``codes search|table|show|validate|changes|import-release``;
- ``claims``: ``claim schema|check|x12|validate|pdf``;
- ``practice``: ``practice init|generate|submit|adjudicate|post|aging|statements|export|audit``;
- ``fraud``: ``fraud generate|detect|score``;
- ``course``: ``course init|roster import|release|collect|grade|feedback|report|demo``;
- ``deid``: ``deid score``;
- ``drg``: ``drg group`` (MS-DRG grouping with the teaching payment);
- ``exam``: ``exam bank|analyse|assign`` (the mock exam's bank, item analysis, a graded exam);
- ``lab``: ``lab`` and ``serve``, the commands that start a server.

May import: ``codes``, ``claims``, ``payer``, ``x12``, ``compliance``, ``practice``, ``training``, ``apps``, ``server`` (and ``medbill_lab.datasets``).
"""

from __future__ import annotations

from medbill_lab import stages_before

MAY_IMPORT: tuple[str, ...] = stages_before("cli")


def main(argv: list[str] | None = None) -> int:
    """Run ``medbill-lab`` (the console script's entry point)."""
    from medbill_lab.cli.app import main as run

    return run(argv)
