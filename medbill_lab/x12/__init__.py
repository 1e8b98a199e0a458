"""X12 EDI: the 837P a clearinghouse receives and the 835 a payer sends, validated with pyx12.

Modules:

- ``reader``: any interchange as it arrives (BOM, any delimiters, several envelopes), with
  diagnostics instead of exceptions;
- ``interpret``: what each transaction of a read file says (835, 837P/837I, 999, 277CA), the
  shape of ``medbill-lab x12 read``;
- ``checks``: what ``x12 read`` checks in a read file: 835 and 837 money that does not
  balance, dates that are not dates;
- ``reading``: a read file said in plain words (EOB, form, 999 verdict, 277CA statuses), for
  the CLI and the apps;
- ``core``: delimiters, segments, envelopes, dates, amounts and the pyx12 glue they share;
- ``x837p``: write, read and validate the 837P; trace 999 errors to CMS-1500 items;
- ``x835``: write and read the 835 electronic remittance advice.

May import: ``codes``, ``claims``, ``payer`` (and ``medbill_lab.datasets``).
"""

from __future__ import annotations

from medbill_lab import stages_before

MAY_IMPORT: tuple[str, ...] = stages_before("x12")
