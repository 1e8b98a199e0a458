"""The practice: its database and the revenue cycle from encounter to collection.

Modules:

- ``db``: the practice database (SQLAlchemy models, migrations, transactions);
- ``billing``: encounter -> claim: the CMS-1500 claim built from the database rows;
- ``synthetic``: synthetic patients, policies and encounters for a practice (test and
  teaching data: the ledger never imports it);
- ``posting``: claims out, remittances posted, balances;
- ``facility``: a UB-04 recorded as a submitted claim, so its 835 posts;
- ``cycle``: a practice's months lived through: submit, adjudicate, post, follow up;
- ``statements``: patient statements and collections;
- ``denials``: the denial work queue and appeals;
- ``kpis``: revenue-cycle key performance indicators;
- ``aging``: accounts-receivable aging buckets;
- ``audit``: the append-only, hash-chained access log;
- ``exports``: de-identified and masked data exports, logged;
- ``demo``: a cached demo practice for the dashboard;
- ``migrations``: Alembic migrations of the practice database.

May import: ``codes``, ``claims``, ``payer``, ``x12``, ``compliance`` (and ``medbill_lab.datasets``).
"""

from __future__ import annotations

from medbill_lab import stages_before

MAY_IMPORT: tuple[str, ...] = stages_before("practice")
