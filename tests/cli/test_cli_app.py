"""The top-level command line (cli/app.py): it assembles one module per command group, and
turns every failure into one line and an exit status."""

from __future__ import annotations

import argparse
import ast
import inspect
from pathlib import Path

import pytest

import medbill_lab.cli
from medbill_lab.cli import app, codes

CLI = Path(medbill_lab.cli.__file__).parent
GROUPS = ["codes", "serve", "course", "claim", "practice", "fraud", "lab", "deid", "x12", "drg", "exam"]  # fmt: skip


def test_every_group_is_listed_in_order(cli, capsys):
    with pytest.raises(SystemExit) as done:
        app.main(["--help"])
    assert done.value.code == 0
    assert f"{{{','.join(GROUPS)}}}" in capsys.readouterr().out


def test_a_usage_error_is_one_line_and_status_2(cli):
    run = cli("codes", "search")
    run.fails_in_one_line("the following arguments are required: query")
    assert run.code == 2
    cli("nonsense").fails_in_one_line("invalid choice: 'nonsense'")


def test_an_unexpected_failure_is_one_line_and_status_70(cli, monkeypatch):
    def crash(args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(codes, "cmd_search", crash)
    run = cli("codes", "search", "htn")
    run.fails_in_one_line("medbill-lab: internal error: RuntimeError: a bug")
    assert run.code == 70


def test_an_interrupt_is_one_line_and_status_130(cli, monkeypatch):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(codes, "cmd_show", interrupted)
    run = cli("codes", "show", "E11.9")
    assert (run.code, run.out, run.err) == (130, "", "medbill-lab: interrupted\n")


def _functions(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (f"{path.name}:{node.name}", node.end_lineno - node.lineno + 1)
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]


def test_no_command_line_function_is_over_50_lines():
    sizes = [f for path in sorted(CLI.glob("*.py")) for f in _functions(path)]
    assert len(sizes) > 40  # every module was read
    assert [f for f in sizes if f[1] > 50] == []


def test_each_group_module_registers_its_commands_and_holds_their_handlers():
    parser = app.build_parser()
    groups = parser._subparsers._group_actions[0].choices  # argparse keeps them here
    for name, group in groups.items():
        handlers = _handlers(group)
        assert handlers, name
        modules = {inspect.getmodule(h).__name__ for h in handlers}
        assert len(modules) == 1 and modules <= {
            f"medbill_lab.cli.{m}" for m in ("codes", "claims", "practice", "fraud", "course", "deid", "lab", "x12", "drg", "exam")
        }, (name, modules)  # fmt: skip


def _handlers(parser) -> list:
    """Every handler reachable under a (sub)parser."""
    found = [parser.get_default("func")] if parser.get_default("func") else []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):  # a group's commands
            for sub in action.choices.values():
                found += _handlers(sub)
    return found
