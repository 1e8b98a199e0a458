"""The package's shape: each stage imports only the stages before it, no module
takes another's private names, and the repository's own code uses no old path."""

from __future__ import annotations

import ast
import functools
import importlib
import json
import re
from pathlib import Path

import pytest

import medbill_lab
from medbill_lab import _old_paths

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "medbill_lab"


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations/versions" not in p.as_posix())


def _name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(tree: ast.AST, here: str, is_package: bool) -> list[tuple[str, list[str], int]]:
    """(module, imported names, line) for every import of the package in a tree."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = here.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                module = ".".join([*base, module] if module else base)
            found.append((module, [a.name for a in node.names], node.lineno))
    return [f for f in found if f[0] == "medbill_lab" or f[0].startswith("medbill_lab.")]


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in medbill_lab.STAGES else None


def _resolved(module: str, names: list[str]) -> list[str]:
    """The modules an import really reaches ('from medbill_lab.codes import encoder' reaches
    'medbill_lab.codes.encoder')."""
    out = [module]
    for n in names:
        candidate = f"{module}.{n}"
        if (PACKAGE.parent / (candidate.replace(".", "/") + ".py")).exists() or (
            PACKAGE.parent / candidate.replace(".", "/")
        ).is_dir():
            out.append(candidate)
    return out


@functools.cache  # two tests read its two lists: parse the package once
def _violations() -> tuple[list[str], list[str]]:
    order = {s: i for i, s in enumerate(medbill_lab.STAGES)}
    backwards, private = [], []
    for path in _modules():
        here = _name(path)
        stage = _stage(here)
        tree = ast.parse(path.read_text(), str(path))
        for module, names, line in _imports(tree, here, path.name == "__init__.py"):
            where = f"{path.relative_to(ROOT)}:{line}"
            for target in _resolved(module, names):
                other = _stage(target)
                if stage and other and order[other] > order[stage]:
                    backwards.append(f"{where}: {stage} imports {target} (a later stage)")
            if module != here and module.startswith("medbill_lab"):
                for n in names:
                    if n.startswith("_") and not n.startswith("__") and n != "_old_paths":
                        private.append(f"{where}: imports {module}.{n}, a private name")
    return backwards, private


def test_every_stage_imports_only_the_stages_before_it() -> None:
    backwards, _ = _violations()
    assert not backwards, "\n".join(backwards)


def test_no_module_imports_another_modules_private_name() -> None:
    _, private = _violations()
    assert not private, "\n".join(private)


def test_each_subpackage_states_what_it_may_import_and_it_matches_the_order() -> None:
    for i, stage in enumerate(medbill_lab.STAGES):
        package = importlib.import_module(f"medbill_lab.{stage}")
        assert medbill_lab.STAGES[:i] == package.MAY_IMPORT, stage
        # the sentence a reader sees says the same as the constant the checker uses
        said = (package.__doc__ or "").split("May import:")[1].split("(and")[0]
        assert tuple(re.findall(r"``(\w+)``", said)) == package.MAY_IMPORT, stage


def test_the_checker_catches_a_backward_import_and_a_private_name(tmp_path: Path) -> None:
    # must-fail case for the checker itself: codes importing practice, and a private name
    tree = ast.parse(
        "from medbill_lab.practice import posting\nfrom medbill_lab.x12.x837p import _segment\n"
    )
    found = _imports(tree, "medbill_lab.codes.encoder", False)
    targets = [t for m, n, _ in found for t in _resolved(m, n)]
    assert "medbill_lab.practice.posting" in targets
    assert any(n.startswith("_") for _, names, _ in found for n in names)


def _repo_sources() -> list[tuple[Path, str]]:
    out = []
    for folder in ("medbill_lab", "tests", "benchmarks", "datasets", "deploy", "scripts"):
        for p in (ROOT / folder).rglob("*.py"):
            if p.name != "_old_paths.py" and p not in {
                Path(__file__).resolve(),
                PACKAGE / "__init__.py",
            }:
                out.append((p, p.read_text()))
    for folder in ("notebooks", "exercises"):
        for p in (ROOT / folder).rglob("*.ipynb"):
            cells = json.loads(p.read_text())["cells"]
            code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
            out.append((p, code))
    return out


def _old_path_uses(text: str) -> list[str]:
    hits = []
    for line in text.splitlines():
        stripped = line.strip()
        for word in stripped.replace("(", " ").replace(",", " ").split():
            word = word.strip("\"'`:")
            if word.startswith("medbill_lab.") and _old_paths.new_name(word.split(":")[0]):
                hits.append(stripped)
        if stripped.startswith("from medbill_lab import") or stripped.startswith(
            "from medbill_lab.compliance import"
        ):
            base = stripped.split()[1]
            for name in stripped.split("import", 1)[1].replace(",", " ").split():
                if name not in {"as", "(", ")"} and _old_paths.new_name(f"{base}.{name}"):
                    hits.append(stripped)
    return hits


def test_the_repository_uses_no_old_import_path() -> None:
    found = [
        f"{p.relative_to(ROOT)}: {hit}"
        for p, text in _repo_sources()
        for hit in _old_path_uses(text)
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    "line",
    [
        "from medbill_lab import posting",
        "from medbill_lab.posting import post_remittance",
        "import medbill_lab.hub",
        "from medbill_lab.compliance import audit",
    ],
)
def test_the_old_path_check_catches(line: str) -> None:
    assert _old_path_uses(line)


@pytest.mark.parametrize("old", sorted(_old_paths.MOVED))
def test_every_old_path_still_imports_as_the_new_module(old: str) -> None:
    new = _old_paths.MOVED[old]
    assert importlib.import_module(f"medbill_lab.{old}") is importlib.import_module(
        f"medbill_lab.{new}"
    )


def test_old_claims_and_cli_paths_still_work() -> None:
    from medbill_lab import claims, cli
    from medbill_lab.claims import model

    assert claims.Claim is model.Claim
    assert callable(cli.main)
