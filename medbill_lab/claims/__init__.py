"""The professional claim (CMS-1500): its model and files, the scrubber and the printed form.

Modules:

- ``model``: the claim model, its JSON Schema, and reading and writing claim files;
- ``items``: the CMS-1500 items in one table (datasets/claims/cms1500_items.csv);
- ``text``: the one text rule (plain ASCII) for the printed form and the X12 files;
- ``scrubber``: pre-submission edits, each explained with its rule;
- ``cms1500_pdf``: the CMS-1500 (02/12) form as a PDF and PNG preview;
- ``institutional``: the UB-04 (CMS-1450) institutional claim, its JSON Schema and files;
- ``ub04_checks``: the institutional edits (Medicare Code Editor and UB-04 structure).

May import: ``codes`` (and ``medbill_lab.datasets``).
"""

from __future__ import annotations

from medbill_lab import stages_before

MAY_IMPORT: tuple[str, ...] = stages_before("claims")


def __getattr__(name: str) -> object:
    """The old ``medbill_lab.claims`` module's names, for one release (now ``claims.model``)."""
    if name.startswith("__") or name in {
        "model",
        "scrubber",
        "cms1500_pdf",
        "text",
        "items",
        "institutional",
        "ub04_checks",
    }:
        raise AttributeError(name)
    import importlib

    model = importlib.import_module("medbill_lab.claims.model")
    try:
        return getattr(model, name)
    except AttributeError:
        raise AttributeError(f"module 'medbill_lab.claims' has no attribute {name!r}") from None
