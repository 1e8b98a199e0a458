"""Compliance: fraud, waste and abuse detection, HIPAA de-identification and masking.

Modules:

- ``deid``: Safe Harbor de-identification of notes and data exports;
- ``deid_notes``: the synthetic notes the de-identifier is measured on;
- ``masking``: minimum-necessary views (SSN, member ID) for statements and exports;
- ``fraud_lab``: the seeded synthetic claims history with planted, labelled schemes;
- ``fraud``: one detector per scheme, scored against the hidden truth, each flag explained.

May import: ``codes``, ``claims``, ``payer``, ``x12`` (and ``medbill_lab.datasets``).
"""

from __future__ import annotations

from medbill_lab import stages_before

MAY_IMPORT: tuple[str, ...] = stages_before("compliance")
