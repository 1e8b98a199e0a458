"""Rewrites the golden JSON readings: ``<file name>.json`` here is exactly what
``medbill-lab x12 read <corpus file> --json`` prints for that corpus file.

Run ``python tests/data/x12/golden/regenerate.py`` (from the project root, in the venv) after
a change to ``x12 read`` that is meant to change its output, then read the diff before
committing it: ``tests/x12/test_golden.py`` fails on any difference it did not see.
"""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent

#: the corpus files with a golden reading (folder/name), one or more of each kind
GOLDEN = (
    "835/lfh-managed-care.835",  # public: claim- and line-level CAS, a bad BPR16
    "835/lfh-medicare-part-a.835",  # public: MIA/MOA, a negative PLB, balanced
    "835/own-unbalanced-bpr.835",  # BPR02 is not the claims minus PLB
    "835/own-reversal-correction-denial.835",  # CLP02 22 with negative amounts
    "837P/lfh-cob-example3-a.837",  # public COB: 2320/2330A/2330B
    "837P/own-cob-two-clm-one-hl.837",  # two CLM under one subscriber HL
    "837I/lfh-two-claims-single-provider.837i",  # public: statement periods, line dates
    "277CA/ims-277ca-rejected.txt",  # public: a rejected claim
    "999/ims-999-rejected.txt",  # public: a rejected set with its errors
    "999/own-999-rejects-amt-2320.txt",  # IK3 in loop 2320
)


def reading(name: str) -> str:
    """What ``medbill-lab x12 read CORPUS/name --json`` prints."""
    from medbill_lab.cli.app import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["x12", "read", str(CORPUS / name), "--json"])
    if code != 0:
        raise SystemExit(f"x12 read {name} exited {code}")
    return out.getvalue()


def golden_path(name: str) -> Path:
    """The golden file of a corpus file: its file name plus ``.json``."""
    return HERE / f"{Path(name).name}.json"


def main() -> int:
    """Write every golden file; report which changed."""
    for name in GOLDEN:
        path, text = golden_path(name), reading(name)
        before = path.read_text(encoding="utf-8") if path.exists() else None
        path.write_text(text, encoding="utf-8")
        print(f"{'unchanged' if before == text else 'written'}: {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
