"""The Voila apps and lesson widgets: one module per app, named as the app.

Modules:

- ``kit``: what every page shares: style, friendly messages;
- ``encoder``: the Encoder app;
- ``claim_builder``: the Claim Builder app;
- ``claim_form``: the Claim builder's form, one field per item of the claim schema;
- ``file_reader``: the Remittance reader app (835, 999, 277CA from outside), also in the
  Claim builder;
- ``coding_practice``: the Coding Practice app;
- ``revenue_dashboard``: the Revenue Dashboard app;
- ``paperwork_sorter``: the Paperwork Sorter app;
- ``flashcards``: the Flashcards app and lesson 01's widgets;
- ``fraud_detective``: the Fraud Detective app;
- ``mock_exam``: the Mock exam app (timed certification practice);
- ``kernel_guard``: an app kernel hardened against forged widget messages;
- ``clearinghouse``: lesson 07's CMS-1500 box to 837P element explorer.

May import: ``codes``, ``claims``, ``payer``, ``x12``, ``compliance``, ``practice``, ``training`` (and ``medbill_lab.datasets``).
"""

from __future__ import annotations

from medbill_lab import stages_before

MAY_IMPORT: tuple[str, ...] = stages_before("apps")
