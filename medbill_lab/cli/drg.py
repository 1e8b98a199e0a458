"""``medbill-lab drg group``: group an inpatient stay to an MS-DRG with the real grouper, and
show it as a grouper screen (or JSON), with the teaching payment."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from medbill_lab.cli.common import date, print_json, subcommands

if TYPE_CHECKING:
    from medbill_lab.codes.drg import DrgResult
    from medbill_lab.payer.drg_payment import DrgPayment


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``drg`` group and its command to the top-level subcommands."""
    group = sub.add_parser("drg", help="group an inpatient stay to an MS-DRG")
    dsub = subcommands(group, "drg_command")
    g = dsub.add_parser(
        "group",
        help="MS-DRG, weight, CC/MCC, code-editor edits and HAC effects of one stay",
        description="Group one inpatient stay with the MS-DRG grouper of its discharge date "
        "(v43 for FY2026, v44 for FY2027). Give a POA indicator after a colon: "
        "--sdx N17.9:Y (Y, N, U or W; none means blank, exempt).",
    )
    g.add_argument("--pdx", required=True, metavar="CODE[:POA]", help="principal diagnosis")
    g.add_argument(
        "--sdx", action="append", default=[], metavar="CODE[:POA]", help="secondary (repeat)"
    )
    g.add_argument("--pcs", action="append", default=[], metavar="CODE", help="ICD-10-PCS (repeat)")
    g.add_argument("--age", type=int, required=True, help="age in years (0-124)")
    g.add_argument("--sex", required=True, help="M, F or U")
    g.add_argument("--discharge-status", required=True, help="UB-04 status code, e.g. 01 or 20")
    g.add_argument("--discharge-date", type=date, required=True, help="YYYY-MM-DD")
    g.add_argument("--json", action="store_true", help="print the grouping as JSON")
    g.set_defaults(func=cmd_drg_group)


def _code_poa(text: str) -> tuple[str, str | None]:
    """'N17.9:Y' -> ('N17.9', 'Y'); 'N17.9' -> ('N17.9', None)."""
    code, _, poa = text.partition(":")
    return code, (poa or None)


def cmd_drg_group(args: argparse.Namespace) -> int:
    """Group the stay; bad input raises DrgError (a ValueError), reported in one line."""
    from medbill_lab.codes import drg
    from medbill_lab.payer import drg_payment

    pdx, pdx_poa = _code_poa(args.pdx)
    result = drg.group(
        pdx,
        sdx=[_code_poa(s) for s in args.sdx],
        pcs=args.pcs,
        age=args.age,
        sex=args.sex,
        discharge_status=args.discharge_status,
        discharge_date=args.discharge_date,
        pdx_poa=pdx_poa,
    )
    payment = drg_payment.for_result(result)
    if args.json:
        print_json({**result.as_dict(), "payment": payment.as_dict() if payment else None})
    else:
        print("\n".join(screen(result, payment)))
    return 0


def _poa(poa: str | None) -> str:
    return poa or "-"


def screen(r: DrgResult, payment: DrgPayment | None) -> list[str]:
    """The grouping as a grouper screen, line by line."""
    kind = f"  ({r.drg_type})" if r.drg_type else ""
    lines = [
        f"MS-DRG grouper v{r.version} (FY{r.fiscal_year}): {r.version_reason}",
        f"Patient: age {r.age}, sex {r.sex}, "
        f"discharge status {r.discharge_status} ({r.discharge_status_text})",
        "",
        f"MDC {r.mdc}  {r.mdc_title}" if r.mdc else "MDC: none (the claim did not group)",
        f"DRG {r.drg}  {r.title}{kind}",
    ]
    if r.weight is not None:
        lines.append(f"  relative weight {r.weight}   GMLOS {r.gmlos} days   AMLOS {r.amlos} days")
    elif r.drg_type is None and r.post_acute is None:
        lines.append("  relative weight and GMLOS: not shipped for this version (see notes)")
    else:
        lines.append(f"  no relative weight or GMLOS: Table 5 gives none for DRG {r.drg}")
    if r.initial_drg != r.drg:
        lines.append(f"  before the HAC rule: DRG {r.initial_drg} {r.initial_title}")
    lines += ["", "Principal diagnosis", f"  {r.pdx:<9} POA {_poa(r.pdx_poa)}  {r.pdx_description}"]
    lines += _secondary_lines(r)
    if r.procedures:
        lines.append("Procedures")
        for p in r.procedures:
            used = "used by the DRG" if p.affects_drg else "not used by the DRG"
            lines.append(f"  {p.code:<9} {used:<19}  {p.title}")
    lines.append("")
    if r.mce:
        lines.append("Medicare Code Editor")
        for e in r.mce:
            lines.append(f"  {e.name} ({e.kind}, x{e.count}): {e.message}")
    else:
        lines.append("Medicare Code Editor: no edits")
    lines.append(f"HAC: {r.hac_status}")
    lines.append("")
    if payment is None:
        lines.append("Teaching payment: none (no weight for this DRG and version)")
    else:
        lines.append(f"Teaching payment: {payment.formula}")
        lines += [f"  {note}" for note in payment.notes]
    if r.notes:
        lines += ["", "Notes"] + [f"  - {n}" for n in r.notes]
    return lines


def _secondary_lines(r: DrgResult) -> list[str]:
    if not r.secondary:
        return ["Secondary diagnoses: none"]
    lines = ["Secondary diagnoses", "  code      POA  level  counts as"]
    for s in r.secondary:
        why = []
        if s.excluded:
            why.append("excluded by the principal diagnosis (CC exclusion)")
        why += [
            f"hospital-acquired, not POA: {h.category} {h.description}" for h in s.hacs if h.met
        ]
        tail = f"  [{'; '.join(why)}]" if why else ""
        lines.append(
            f"  {s.code:<9} {_poa(s.poa):<4} {s.severity:<6} {s.counts_as:<9} {s.description}{tail}"
        )
    return lines
