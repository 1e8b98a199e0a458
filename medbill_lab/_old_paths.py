"""Old import paths (before 0.2) kept working for one release, as aliases.

``medbill_lab.posting`` is now ``medbill_lab.practice.posting``, and so on.  An
instructor's course made before the move re-runs autograde on notebooks that
import the old names, and a hub's config may still name
``medbill_lab.hub.PrivateSubmit`` or run ``python -m medbill_lab.hub``.  The
finder below answers an old name with the very module object of the new one
(``sys.modules`` holds both names), so attributes, monkeypatching and
``python -m`` behave exactly as before.  The repository's own code, notebooks
and exercises use the new paths; a test checks that none imports an old one.

>>> import importlib
>>> importlib.import_module("medbill_lab.posting") is importlib.import_module(
...     "medbill_lab.practice.posting")
True
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from types import CodeType, ModuleType

#: old module path (under ``medbill_lab.``) -> new module path
MOVED: dict[str, str] = {
    "icd10cm": "codes.icd10cm",
    "icd_tables": "codes.icd_tables",
    "procedures": "codes.procedures",
    "terminology": "codes.terminology",
    "encoder": "codes.encoder",
    "claims": "claims.model",
    "scrubber": "claims.scrubber",
    "cms1500_pdf": "claims.cms1500_pdf",
    "remittance": "payer.remittance",
    "payer_sim": "payer.simulator",
    "remit_explain": "payer.explain",
    "x12_837p": "x12.x837p",
    "x12_835": "x12.x835",
    "compliance.audit": "practice.audit",
    "compliance.exports": "practice.exports",
    "compliance.fraud_widgets": "apps.fraud_detective",
    "practice_db": "practice.db",
    "practice_gen": "practice.synthetic",
    "posting": "practice.posting",
    "revenue_cycle": "practice.cycle",
    "statements": "practice.statements",
    "denials": "practice.denials",
    "kpis": "practice.kpis",
    "aging": "practice.aging",
    "demo_practice": "practice.demo",
    "migrations": "practice.migrations",
    "cases": "training.cases",
    "grading": "training.grading",
    "claim_grading": "training.claim_grading",
    "em_level": "training.em_level",
    "em_practice": "training.em_practice",
    "flashcards": "training.flashcards",
    "procedure_quiz": "training.quizzes",
    "paperwork": "training.paperwork",
    "course": "training.course",
    "coding_assignment": "training.coding_assignment",
    "assignments": "training.assignments",
    "widgets": "apps.encoder",
    "claim_widgets": "apps.claim_builder",
    "practice_widgets": "apps.coding_practice",
    "dashboard_widgets": "apps.revenue_dashboard",
    "paperwork_widgets": "apps.paperwork_sorter",
    "terminology_widgets": "apps.flashcards",
    "x12_widgets": "apps.clearinghouse",
    "serve": "server.serve",
    "voila_app": "server.voila_app",
    "kernel_guard": "apps.kernel_guard",
    "hub": "server.hub",
    "hub_kernels": "server.hub_kernels",
    "cli": "cli.app",
}
# Old names that are now a package with the same name: the package itself
# answers for the old module (``medbill_lab.claims``, ``medbill_lab.cli``).
MOVED.pop("claims")
MOVED.pop("cli")


def new_name(fullname: str) -> str | None:
    """The new dotted path for an old one (a moved module or anything under it), else None.

    >>> new_name("medbill_lab.assignments.ar_aging")
    'medbill_lab.training.assignments.ar_aging'
    >>> new_name("medbill_lab.practice.posting") is None
    True
    """
    if not fullname.startswith("medbill_lab."):
        return None
    rest = fullname[len("medbill_lab.") :]
    for old, new in MOVED.items():
        if rest == old or rest.startswith(old + "."):
            return "medbill_lab." + new + rest[len(old) :]
    return None


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target: str) -> None:
        self.target = target

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return importlib.import_module(self.target)

    def exec_module(self, module: ModuleType) -> None:
        """The new module ran when it was imported; nothing more to do."""

    def get_code(self, fullname: str) -> CodeType | None:
        # ``python -m medbill_lab.hub`` runs the new module's code as __main__.
        spec = importlib.util.find_spec(self.target)
        return spec.loader.get_code(self.target) if spec and spec.loader else None  # type: ignore[attr-defined]

    def is_package(self, fullname: str) -> bool:
        spec = importlib.util.find_spec(self.target)
        return bool(spec and spec.submodule_search_locations is not None)


class _OldPathFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        new = new_name(fullname)
        if new is None:
            return None
        return importlib.util.spec_from_loader(fullname, _AliasLoader(new))


def install() -> None:
    """Put the old-path finder first on ``sys.meta_path`` (once)."""
    if not any(isinstance(f, _OldPathFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _OldPathFinder())
