"""What a payer does with a claim: adjudication and the remittance that explains it.

Modules:

- ``remittance``: the remittance model (claims, lines, CAS adjustments, provider adjustments);
- ``simulator``: teaching payers that adjudicate claims by their published rules;
- ``carc``: the CARC table: meanings, which codes deny, and what to do about each;
- ``payers``: the teaching payers' table (IDs, programs, benefits, exclusions);
- ``explain``: a remittance explained in plain words, with CARC/RARC and group codes;
- ``drg_payment``: a teaching MS-DRG payment (teaching base rate x relative weight);
- ``facility``: UB-04 claims paid by MS-DRG (inpatient) or a teaching fee schedule (outpatient).

May import: ``codes``, ``claims`` (and ``medbill_lab.datasets``).
"""

from __future__ import annotations

from medbill_lab import stages_before

MAY_IMPORT: tuple[str, ...] = stages_before("payer")
