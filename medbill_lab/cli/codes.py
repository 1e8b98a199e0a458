"""``medbill-lab codes``: search, show, validate and compare the code sets, and read the
ICD-10-CM index tables."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from medbill_lab.cli.common import EXIT_INPUT, limit, print_json, subcommands

if TYPE_CHECKING:
    from medbill_lab.codes.icd10cm import CodeSet, Item
    from medbill_lab.codes.icd_tables import Cell, Row


#: the code systems ``codes show`` and ``codes validate`` read; icd10cm also covers CPT/HCPCS
SYSTEMS = ("icd10cm", "icd10pcs")
SYSTEM_HELP = "icd10cm (default; CPT/HCPCS codes too for show) or icd10pcs"


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``codes`` group and its commands to the top-level subcommands."""
    codes = sub.add_parser("codes", help="look up, validate and compare code sets")
    csub = subcommands(codes, "codes_command")

    s = csub.add_parser("search", help="find codes from words, abbreviations, lay terms or codes")
    s.add_argument("query")
    s.add_argument("--year", type=int, default=2026, help="fiscal year (default 2026)")
    s.add_argument(
        "--system",
        default="all",
        help="icd10cm, hcpcs, cpt, icd10pcs, or all (default: ICD-10-CM, CPT and HCPCS)",
    )
    s.add_argument("--limit", type=limit, default=10)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_search)

    tb = csub.add_parser(
        "table", help="a row of the Drug, Neoplasm or External Cause table, codes completed"
    )
    tb.add_argument("table", help="drugs, neoplasm or eindex")
    tb.add_argument("term", help="words of the substance, site or external cause")
    tb.add_argument("--limit", type=limit, default=5)
    tb.add_argument("--json", action="store_true")
    tb.set_defaults(func=cmd_table)

    sh = csub.add_parser("show", help="one code with its notes, ancestors and 7th characters")
    sh.add_argument("code")
    sh.add_argument("--year", type=int, default=2026)
    sh.add_argument("--system", choices=SYSTEMS, default="icd10cm", help=SYSTEM_HELP)
    sh.add_argument("--json", action="store_true")
    sh.set_defaults(func=cmd_show)

    v = csub.add_parser("validate", help="is a code billable on a date of service?")
    v.add_argument("code")
    v.add_argument("--date", help="date of service, YYYY-MM-DD (required for icd10cm)")
    v.add_argument("--system", choices=SYSTEMS, default="icd10cm", help=SYSTEM_HELP)
    v.add_argument("--json", action="store_true")
    v.set_defaults(func=cmd_validate, parser=v)

    ch = csub.add_parser("changes", help="annual changes between two fiscal years")
    ch.add_argument("--from", dest="from_year", type=int, default=2025)
    ch.add_argument("--to", dest="to_year", type=int, default=2026)
    ch.add_argument("--show", type=int, default=10, help="rows to list per kind (text output)")
    ch.add_argument("--json", action="store_true")
    ch.set_defaults(func=cmd_changes)
    _register_import_release(csub)


def _register_import_release(csub: argparse._SubParsersAction) -> None:
    ir = csub.add_parser(
        "import-release",
        help="compile an official ICD-10-CM or ICD-10-PCS release zip (CMS/CDC) for a new year",
    )
    ir.add_argument("zip", help="the release zip as downloaded from CMS or CDC")
    ir.add_argument("--year", type=int, required=True, help="its fiscal year, e.g. 2027")
    ir.add_argument("--json", action="store_true")
    ir.set_defaults(func=cmd_import_release)


# -- search -------------------------------------------------------------------------------
def cmd_search(args: argparse.Namespace) -> int:
    """Search the code sets."""
    from medbill_lab.codes import encoder

    if args.system == "icd10pcs":
        return _search_pcs(args)
    hits = encoder.search(args.query, year=args.year, system=args.system, limit=args.limit)
    if args.json:
        print_json([h.as_dict() for h in hits])
        return 0
    if not hits:
        print(f"No codes found for {args.query!r}.")
        return 0
    for h in hits:
        flag = "billable" if h.billable else "header"
        print(f"{h.code:<9} {h.system:<7} {flag:<8} {h.description}")
    if hits[0].read_as:
        print(f"(read as: {hits[0].read_as})")
    return 0


def _search_pcs(args: argparse.Namespace) -> int:
    """ICD-10-PCS search: codes, or tables with the axes left to choose, and why the first
    one matched (its reasons name the FY2025 index or the FY2026 tables they come from)."""
    from medbill_lab.codes import encoder, pcs_search

    hits = pcs_search.search(encoder.check_query(args.query), year=args.year, limit=args.limit)
    if args.json:
        print_json([{**h.as_dict(), "description": h.description} for h in hits])
        return 0
    if not hits:
        print(f"No ICD-10-PCS codes found for {args.query!r}.")
        return 0
    for h in hits:
        print(f"{h.code:<9} {'code' if h.complete else 'table':<6} {h.description}")
    first = hits[0]
    if first.remaining:
        r = first.remaining[0]
        print(f"{first.code}: choose the {r.axis.lower()}:")
        for value, label in r.options:
            print(f"    {value}  {label}")
    print(f"Why {first.code}:")
    for reason in first.why:
        print(f"    {reason}")
    print(f"(ICD-10-PCS FY{args.year} tables; the index is FY2025's, the only one available)")
    return 0


# -- the index tables ---------------------------------------------------------------------
def cmd_table(args: argparse.Namespace) -> int:
    """Look a term up in the Drug, Neoplasm or External Cause table, cells completed."""
    from medbill_lab.codes import encoder, icd_tables

    if args.table not in icd_tables.TABLES:
        raise ValueError(
            f"unknown table {args.table!r}; choose one of {', '.join(icd_tables.TABLES)}"
        )
    text = encoder.check_query(args.term)
    found = [(r, icd_tables.cells(r)) for r in icd_tables.find(args.table, text, limit=args.limit)]
    if args.json:
        print_json([_row_dict(r, cells) for r, cells in found])
        return 0
    if not found:
        print(f"No row of the {icd_tables.TABLES[args.table]} holds {text!r}.")
        return 0
    for r, cells in found:
        _print_row(r, cells)
    return 0


def _row_dict(row: Row, cells: list[Cell]) -> dict:
    """A table row and its cells, JSON-ready (the ``codes table --json`` contract)."""
    return {
        "table": row.table,
        "term": row.term,
        "see": row.see,
        "see_also": row.see_also,
        "cells": [{"column": c.column, "printed": c.printed, "code": c.code} for c in cells],
    }


def _print_row(row: Row, cells: list[Cell]) -> None:
    """A table row as printed: the term and its cross-references, then each filled cell."""
    refs = "".join(f"  (see {x})" for x in (row.see,) if x) + (
        f"  (see also {row.see_also})" if row.see_also else ""
    )
    print(f"{row.term}{refs}")
    for c in cells:
        if c.printed:
            done = "" if c.code == c.printed else f" -> {c.code or 'not in this year'}"
            print(f"    {c.column:<38} {c.printed}{done}")


# -- one code -----------------------------------------------------------------------------
def cmd_show(args: argparse.Namespace) -> int:
    """Show one code with its notes and ancestors."""
    from medbill_lab.codes import icd10cm

    if args.system == "icd10pcs":
        return _show_pcs(args.code, args.year, args.json)
    fy = icd10cm.load(args.year)
    if not args.code.strip():
        raise LookupError("the code is empty")
    if args.code not in fy:
        return _show_procedure(args.code, args.json)
    item = fy.get(args.code)
    if args.json:
        print_json(_show_dict(fy, item))
    else:
        _print_show(fy, item)
    return 0


def _show_dict(fy: CodeSet, item: Item) -> dict:
    """An ICD-10-CM code with everything ``codes show`` tells, JSON-ready."""
    reason, detail, hints = fy.check(item.code)
    data = item.as_dict()
    data.update(
        system="icd10cm",
        fiscal_year=fy.year,
        ancestors=[
            {"code": a.code, "description": a.description, "level": a.level}
            for a in fy.ancestors(item.code)
        ],
        governing_notes=[{"from": c, "kind": k, "text": t} for c, k, t in fy.notes(item.code)],
        seventh_characters=fy.seventh_characters(item.code),
        billable_reason=reason or "billable",
        detail=detail,
        suggestions=list(hints),
    )
    return data


def _print_show(fy: CodeSet, item: Item) -> None:
    """An ICD-10-CM code as text: status, ancestors, notes and 7th characters."""
    reason, detail, hints = fy.check(item.code)
    status = "billable" if item.billable else f"not billable: {reason}"
    print(f"{item.code}  {item.description}")
    print(f"  {item.level}, {status} (ICD-10-CM FY{fy.year})")
    if not item.billable:
        print(f"  {detail}" + (f" Try: {', '.join(hints)}" if hints else ""))
    for a in fy.ancestors(item.code):
        print(f"  in {a.level} {a.code}: {a.description}")
    for src, kind, text in fy.notes(item.code):
        where = "" if src == item.code else f" [from {src}]"
        print(f"  {kind.replace('_', ' ')}{where}: {text}")
    seventh = fy.seventh_characters(item.code)
    if seventh:
        print("  7th characters: " + "; ".join(f"{c} {t}" for c, t in seventh.items()))


def _show_procedure(code: str, as_json: bool) -> int:
    """A CPT or HCPCS code (``codes show`` for a code not in ICD-10-CM)."""
    from medbill_lab.codes import procedures

    p = procedures.procedure(code)
    if p is None:
        raise LookupError(
            f"unknown code {code.strip()!r} (not in ICD-10-CM or the CPT/HCPCS teaching sets)"
        )
    data = {
        "code": p.code,
        "description": p.description,
        "system": p.system,
        "group": p.group,
        "billable": True,
    }
    if as_json:
        print_json(data)
    else:
        print(f"{p.code}  {p.description}\n  {p.system.upper()} - {p.group}")
    return 0


# -- validate and changes -----------------------------------------------------------------
def cmd_validate(args: argparse.Namespace) -> int:
    """Validate a code for a date of service; exit 1 when it is not billable."""
    from medbill_lab.codes import icd10cm

    if args.system == "icd10pcs":
        # A date of service names its fiscal year (2026-10-01 is FY2027), as for ICD-10-CM.
        year = icd10cm.fiscal_year(args.date) if args.date else 2026
        return _validate_pcs(args.code, args.json, year)
    if args.date is None:
        args.parser.error("the following arguments are required: --date")
    v = icd10cm.validate(args.code, args.date)
    if args.json:
        print_json(
            {
                "code": v.code,
                "valid": v.valid,
                "fiscal_year": v.fiscal_year,
                "year_reason": v.year_reason,
                "reason": v.reason,
                "detail": v.detail,
                "suggestions": list(v.suggestions),
            }
        )
    else:
        print(v)
        print(f"  {v.year_reason}")
    return 0 if v.valid else EXIT_INPUT


def _show_pcs(code: str, year: int, as_json: bool) -> int:
    """An ICD-10-PCS code: its title and seven axes, each with value, label and definition."""
    from medbill_lab.codes import icd10pcs

    pcs = icd10pcs.lookup(code, year)
    if as_json:
        print_json(pcs.as_dict())
        return 0
    print(f"{pcs.code}  {pcs.title}")
    print(f"  ICD-10-PCS FY{pcs.fiscal_year}, table {pcs.code[:3]}")
    for a in pcs.axes:
        print(f"  {a.position} {a.name:<14} {a.value}  {a.label}")
        if a.definition:
            print(f"      {a.definition}")
    return 0


def _validate_pcs(code: str, as_json: bool, year: int = 2026) -> int:
    """Validate an ICD-10-PCS code; exit 1 with the failing axis when it is not valid."""
    from medbill_lab.codes import icd10pcs

    v = icd10pcs.validate(code, year)
    if as_json:
        print_json({"code": v.code, "system": "icd10pcs", "valid": v.valid, "reason": v.reason})
        return 0 if v.valid else EXIT_INPUT
    if not v.valid:
        raise icd10pcs.PcsCodeError(
            f"{v.code or code.strip()!r} is not an ICD-10-PCS code: {v.reason}"
        )
    print(v)
    return 0


#: the kinds of annual change, in the order ``codes changes`` lists them
CHANGE_LABELS = {
    "added": "Added",
    "deleted": "Deleted",
    "revised": "Description revised",
    "now_header": "Billable code that became a header",
}


def cmd_changes(args: argparse.Namespace) -> int:
    """List annual changes between two fiscal years."""
    from medbill_lab.codes import icd10cm

    report = icd10cm.changes(args.from_year, args.to_year)
    if args.json:
        print_json({"from": args.from_year, "to": args.to_year, **report})
        return 0
    for key, label in CHANGE_LABELS.items():
        rows = report[key]
        print(f"{label}: {len(rows)}")
        for r in rows[: args.show]:
            text = f"{r['old']} -> {r['new']}" if key == "revised" else r["description"]
            print(f"  {r['code']:<9} {text}")
        if len(rows) > args.show:
            print(f"  ... and {len(rows) - args.show} more (--show N, or --json for all)")
    return 0


# -- a new year's code set ----------------------------------------------------------------
def cmd_import_release(args: argparse.Namespace) -> int:
    """Compile an official release zip into the user's data folder; say what was installed."""
    from medbill_lab.codes import releases

    done = releases.import_release(args.zip, args.year)
    if args.json:
        print_json(
            [
                {
                    "system": d.system,
                    "fiscal_year": d.year,
                    "artifact": str(d.artifact),
                    "provenance": d.provenance,
                }
                for d in done
            ]
        )
        return 0
    for d in done:
        print(d)
    return 0
