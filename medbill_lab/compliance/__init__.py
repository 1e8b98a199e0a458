"""Compliance: fraud, waste and abuse detection, HIPAA de-identification, masking, audit.

Modules:

- ``fraud_lab``: the seeded synthetic claims history with planted, labelled schemes;
- ``fraud``: one detector per scheme, scored against the hidden truth, each flag explained;
- ``deid``: Safe Harbor de-identification of notes and data exports;
- ``masking``: minimum-necessary views (SSN, member ID) for statements and exports;
- ``audit``: the practice database's append-only, hash-chained access log.
"""
