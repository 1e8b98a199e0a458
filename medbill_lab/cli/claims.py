"""``medbill-lab claim``: the claim file's schema, the scrubber, the 837P and the printed
CMS-1500; ``claim adjudicate`` pays a UB-04 as the teaching payer and writes its 835."""

from __future__ import annotations

import argparse
import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from medbill_lab.cli.common import EXIT_INPUT, date, print_json, subcommands

if TYPE_CHECKING:
    from medbill_lab.claims.institutional import InstitutionalClaim
    from medbill_lab.codes.drg import DrgResult
    from medbill_lab.payer.facility import FacilityResult
    from medbill_lab.payer.remittance import Adjustment, RemitLine
    from medbill_lab.payer.simulator import PayerPolicy, Rejection


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``claim`` group and its commands to the top-level subcommands."""
    clm = sub.add_parser("claim", help="check, convert and print CMS-1500 claims")
    clsub = subcommands(clm, "claim_command")
    sc = clsub.add_parser("schema", help="print the JSON Schema for claim files")
    sc.add_argument(
        "--institutional", action="store_true", help="the UB-04 (CMS-1450) claim file's schema"
    )
    sc.set_defaults(func=cmd_claim_schema)
    ck = clsub.add_parser("check", help="scrub a claim file and explain every edit")
    ck.add_argument("file", metavar="FILE")
    ck.add_argument("--json", action="store_true")
    ck.set_defaults(func=cmd_claim_check)
    x12 = clsub.add_parser("x12", help="write an 837P (CMS-1500) or 837I (UB-04) file")
    x12.add_argument("files", metavar="FILE", nargs="+")
    x12.add_argument("-o", "--output", required=True, metavar="OUT")
    x12.set_defaults(func=cmd_claim_x12)
    val = clsub.add_parser("validate", help="validate an 837P or 837I file with pyx12")
    val.add_argument("file", metavar="FILE")
    val.set_defaults(func=cmd_claim_validate)
    pdf = clsub.add_parser("pdf", help="fill the CMS-1500 (02/12) or UB-04 form as a PDF")
    pdf.add_argument("file", metavar="FILE")
    pdf.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    pdf.add_argument("--png", action="store_true", help="also write OUT.png")
    pdf.set_defaults(func=cmd_claim_pdf)
    _register_adjudicate(clsub)


def _register_adjudicate(clsub: argparse._SubParsersAction) -> None:
    """``claim adjudicate FILE [--payer ID] [--out FILE.835] [--paid-on DATE] [--json]``."""
    adj = clsub.add_parser(
        "adjudicate", help="pay a UB-04 as the teaching payer (MS-DRG or fee schedule): its 835"
    )
    adj.add_argument("file", metavar="FILE", help="a UB-04 claim file (.json, .yaml)")
    adj.add_argument(
        "--payer", metavar="ID", help="a teaching payer's rules (MBL01-MBL04); default FL 51's"
    )
    adj.add_argument("--out", metavar="FILE.835", help="write the payer's 835 here")
    adj.add_argument(
        "--paid-on",
        type=date,
        metavar="YYYY-MM-DD",
        help="the 835's payment date, and the receipt date of a claim with no submitted_on "
        "(default today)",
    )
    adj.add_argument("--json", action="store_true")
    adj.set_defaults(func=cmd_claim_adjudicate)


def cmd_claim_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema for claim files (CMS-1500, or UB-04 with --institutional)."""
    if getattr(args, "institutional", False):
        from medbill_lab.claims import institutional

        print_json(institutional.institutional_schema())
        return 0
    from medbill_lab.claims import model

    print_json(model.claim_schema())
    return 0


def cmd_claim_check(args: argparse.Namespace) -> int:
    """Scrub a claim file and explain every edit; exit 1 when any would reject or deny it.

    A file that does not load raises ``ClaimError`` (a ValueError naming the item), which
    :func:`medbill_lab.cli.app.main` reports in one line.  A file with ``"form": "UB-04"``
    gets the institutional edits instead (:mod:`medbill_lab.claims.ub04_checks`).
    """
    from medbill_lab.claims import institutional

    if institutional.file_is_institutional(args.file):
        from medbill_lab.claims import ub04_checks as checks
    else:
        from medbill_lab.claims import scrubber as checks  # type: ignore[no-redef]

    edits = checks.check_file(args.file)
    if args.json:
        print_json([e.as_dict() for e in edits])
    else:
        print(checks.format_edits(edits))
    return EXIT_INPUT if any(e.blocking for e in edits) else 0


def cmd_claim_x12(args: argparse.Namespace) -> int:
    """Write one 837P file for one or more claim files (nothing on any error).

    When pyx12 finds errors, each is listed with the CMS-1500 item it traces to, then
    the summary, and the exit status is 1.
    """
    from medbill_lab.x12 import x837p

    if _ub04_files(args.files):
        return _claim_x12_institutional(args)
    result = x837p.write_file(args.files, args.output)
    summary = (
        f"{result.claims} claim(s), {result.segments} segments, "
        f"{len(result.validation.errors)} pyx12 error(s)"
    )
    if not result.written:
        for traced in result.traces:
            print(f"  {traced}")
        print(f"not written: {result.output}: {summary}")
        return EXIT_INPUT
    print(f"wrote {result.output}: {summary} (999 {result.validation.ack_code or 'A'})")
    return 0


def _ub04_files(files: list[str]) -> bool:
    """Whether the claim files are UB-04s (``"form": "UB-04"``); one kind per 837, so a
    mix is refused in one line.  A file that does not parse counts as a CMS-1500 and its
    own loader reports it."""
    from medbill_lab.claims import institutional

    kinds = {path: institutional.file_is_institutional(path) for path in files}
    if len(set(kinds.values())) > 1:
        ub04 = next(p for p, k in kinds.items() if k)
        cms = next(p for p, k in kinds.items() if not k)
        raise ValueError(
            f"{ub04} is a UB-04 and {cms} a CMS-1500 claim: an 837 holds one kind "
            "(837I or 837P); write them to separate files"
        )
    return any(kinds.values())


def _claim_x12_institutional(args: argparse.Namespace) -> int:
    """``claim x12`` for UB-04 files: one 837I, written only when pyx12 accepts it."""
    from medbill_lab.x12 import x837i

    result = x837i.write_file(args.files, args.output)
    summary = (
        f"{result.claims} claim(s), {result.segments} segments, "
        f"{len(result.validation.errors)} pyx12 error(s)"
    )
    if not result.written:
        for line in result.errors:
            print(f"  {line}")
        print(f"not written: {result.output}: 837I: {summary}")
        return EXIT_INPUT
    ack = result.validation.ack_code or "A"
    print(f"wrote {result.output}: 837I (005010X223A2): {summary} (999 {ack})")
    return 0


def cmd_claim_validate(args: argparse.Namespace) -> int:
    """Validate an 837P file with pyx12: exit 0 when it passes; else list each error and
    exit 1.  A file pyx12 cannot validate at all (no map for its version, such as
    005010X222A2, or not X12) is one line on stderr and exit 1, never a traceback.
    """
    from pathlib import Path

    from medbill_lab.x12 import core, x837p

    # read as x12 read reads it (BOM, UTF-16, a short ISA padded) so pyx12 judges the content
    try:
        text = core.standard_form(Path(args.file).read_bytes())
    except ValueError as exc:  # NotX12: no readable ISA
        raise ValueError(f"{args.file}: {exc}") from None
    validation = x837p.validate_837p(text)
    if validation.ok:
        print(
            f"valid: {args.file}: pyx12 accepts it (999 {validation.ack_code or 'A'}){_kinds(text)}"
        )
        return 0
    if not validation.ack_999:  # pyx12 could not validate it at all: one finding
        raise ValueError(f"{args.file}: {validation.errors[0].message}")
    for error in validation.errors:
        where = f"segment {error.position} {error.element or error.segment}"
        print(f"  {where}: {error.message} (pyx12 code {error.code})")
    print(f"not valid: {args.file}: {len(validation.errors)} pyx12 error(s)")
    return EXIT_INPUT


def _kinds(text: str) -> str:
    """``"; it holds 835, not 837P claims"`` for a file with no 837P or 837I, else ``""``:
    claim validate judges any X12 file pyx12 has a map for, and says when it was not a claim
    file (an 837I is one: pyx12 judges it against its institutional map)."""
    from medbill_lab.x12.reader import read_interchanges

    kinds = sorted({t.kind for t in read_interchanges(text).transactions})
    return (
        ""
        if {"837P", "837I"} & set(kinds)
        else f"; it holds {', '.join(kinds) or 'no transaction'}, not 837P claims"
    )


def cmd_claim_pdf(args: argparse.Namespace) -> int:
    """Fill the CMS-1500 form for a claim file as PDF (and PNG with --png)."""
    from medbill_lab.claims import cms1500_pdf

    if _ub04_files([args.file]):
        from medbill_lab.claims import ub04_pdf

        form = ub04_pdf.write_file(args.file, args.output, png=args.png)
        written = ", ".join(str(p) for p in form.paths)
        print(f"Wrote {written}: UB-04, {form.pages} page(s), {form.lines} revenue line(s).")
        return 0
    result = cms1500_pdf.write_file(args.file, args.output, png=args.png)
    written = ", ".join(str(p) for p in result.paths)
    print(f"Wrote {written}: CMS-1500, {result.pages} page(s), {result.lines} service line(s).")
    return 0


# -- claim adjudicate: the facility side of the teaching payer -----------------------------
PROFESSIONAL_PATH = (
    "is a CMS-1500 (professional) claim; claim adjudicate pays UB-04 facility claims. "
    "A professional claim is paid through the practice's revenue cycle: "
    "medbill-lab practice submit, then practice adjudicate"
)


def cmd_claim_adjudicate(args: argparse.Namespace) -> int:
    """Adjudicate a UB-04 file as the teaching payer (:mod:`medbill_lab.payer.facility`):
    inpatient by MS-DRG, outpatient by the teaching fee schedule.  Prints a remittance-like
    summary (or ``--json``) and, with ``--out``, writes the 835.  Exit 0 when the payer
    processed the claim (paid or denied), 1 when its front end rejected it (no 835: a
    rejection goes back on a 277CA).  A CMS-1500 file, or one that does not load, is one
    line on stderr and exit 1."""
    from medbill_lab.claims import institutional
    from medbill_lab.payer import facility

    data = institutional.read_data(args.file)
    if not institutional.is_institutional(data):
        raise ValueError(f"{args.file} {PROFESSIONAL_PATH}")
    claim = institutional.from_dict(data)
    policy, rules = _facility_policy(claim, args.payer)
    paid_on = args.paid_on or dt.date.today()
    result = facility.adjudicate_facility(claim, policy, today=paid_on)
    summary = _adjudication(claim, policy, rules, result)
    if args.out and isinstance(result, facility.FacilityResult):
        summary["written"] = _write_835(claim, policy, result, paid_on, args.out)
    if args.json:
        print_json(summary)
    else:
        print("\n".join(_adjudication_lines(summary)))
    return EXIT_INPUT if summary["outcome"] == "rejected" else 0


def _facility_policy(claim: InstitutionalClaim, payer: str | None) -> tuple[PayerPolicy, str]:
    """The plan the claim is paid under, and its rules in words: the teaching payer named by
    ``--payer`` or by FL 51 (``datasets/practice/payers.csv``, the deductible not yet met);
    for an FL 51 payer that is not a teaching payer, the lab's default plan."""
    from medbill_lab.payer.payers import teaching_payers
    from medbill_lab.payer.simulator import PayerPolicy, plan_options

    plans = {p.payer_id: p for p in teaching_payers()}
    billed = claim.payers[0] if claim.payers else None
    wanted = (payer or (billed.payer_id if billed else "")).strip().upper()
    if payer and wanted not in plans:
        raise ValueError(f"--payer {payer}: not a teaching payer ({', '.join(plans)})")
    plan = plans.get(wanted)
    if plan is None:
        medicare = billed is not None and billed.filing_indicator == "MA"
        name = billed.payer_name if billed else "MedBill Lab Health Plan"
        kind = "medicare" if medicare else "commercial"
        policy = PayerPolicy(name=name, payer_id=wanted or "MBLHP", plan_type=kind)
        rules = (
            f"FL 51 payer {wanted or '(none)'} is not a teaching payer: the lab's default "
            f"{policy.plan_type} plan (deductible met, {policy.coinsurance:.0%} coinsurance); "
            f"--payer picks one of {', '.join(plans)}"
        )
        return policy, rules
    same = billed is not None and billed.payer_id.strip().upper() == plan.payer_id
    policy = PayerPolicy(
        name=billed.payer_name if same and billed else plan.name,
        payer_id=plan.payer_id,
        deductible_remaining=Decimal(plan.deductible),
        coinsurance=Decimal(plan.coinsurance_pct) / 100,
        timely_filing_days=plan.timely_filing_days,
        **plan_options(plan.payer_id),  # type: ignore[arg-type]
    )
    return policy, _plan_rules(policy, plan.payer_id, plan.timely_filing_days)


def _plan_rules(policy: PayerPolicy, payer_id: str, filing_days: int) -> str:
    """A teaching payer's rules in words: a Medicare plan charges an inpatient stay the Part A
    deductible (a teaching figure), other claims its own deductible and coinsurance."""
    from medbill_lab.payer.facility import TEACHING_PART_A_DEDUCTIBLE

    share = (
        f"${policy.deductible_remaining:,.2f} deductible not yet met, "
        f"{policy.coinsurance:.0%} coinsurance"
    )
    if policy.plan_type == "medicare":
        share = (
            f"an inpatient stay pays the Part A deductible (${TEACHING_PART_A_DEDUCTIBLE:,.2f}, "
            f"a teaching figure) and no coinsurance in days 1-60; an outpatient claim {share}"
        )
    return (
        f"teaching payer {payer_id}'s rules (datasets/practice/payers.csv), a "
        f"{policy.plan_type} plan: {share}; filing limit {filing_days} days"
    )


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def _adjudication(
    claim: InstitutionalClaim,
    policy: PayerPolicy,
    rules: str,
    result: FacilityResult | Rejection,
) -> dict[str, Any]:
    """The adjudication in ``--json``'s shape (money as exact strings)."""
    from medbill_lab.payer.carc import claim_status_text
    from medbill_lab.payer.facility import FacilityResult

    out: dict[str, Any] = {
        "patient_control_number": claim.patient_control_number,
        "type_of_bill": claim.type_of_bill,
        "payer": {"id": policy.payer_id, "name": policy.name, "plan_type": policy.plan_type},
        "rules": rules,
        "charge": _money(claim.line_total()),
    }
    if not isinstance(result, FacilityResult):
        codes = list(result.status_codes)
        return out | {"outcome": "rejected", "reason": result.reason, "status_codes": codes}
    remit, grouping = result.claim, result.grouping
    return out | {
        "outcome": "denied" if remit.status == "4" else "paid",
        "status": remit.status,
        "status_text": claim_status_text(remit.status),
        "payer_claim_number": remit.payer_claim_number,
        "drg": None if grouping is None else _drg_json(grouping),
        "payment": None if result.payment is None else result.payment.as_dict(),
        "allowed": _money(remit.paid + remit.patient_responsibility),
        "patient_responsibility": _money(remit.patient_responsibility),
        "paid": _money(remit.paid),
        "adjustments": [_adjustment_json(a) for a in remit.adjustments],
        "lines": [_line_json(line) for line in remit.lines],
        "notes": list(result.notes),
        "written": None,
    }


def _drg_json(grouping: DrgResult) -> dict[str, Any]:
    """The grouping's headline: DRG, title, MDC, grouper version, weight and GMLOS."""
    return {
        "code": grouping.drg,
        "title": grouping.title,
        "mdc": grouping.mdc,
        "version": grouping.version,
        "weight": None if grouping.weight is None else str(grouping.weight),
        "gmlos": None if grouping.gmlos is None else str(grouping.gmlos),
    }


def _adjustment_json(adjustment: Adjustment) -> dict[str, str]:
    return {
        "group": adjustment.group,
        "reason": adjustment.carc,
        "amount": _money(adjustment.amount),
    }


def _line_json(line: RemitLine) -> dict[str, Any]:
    """One outpatient line as paid: revenue code, HCPCS (none for an NU line), amounts."""
    return {
        "revenue_code": line.revenue_code,
        "hcpcs": line.code if line.qualifier == "HC" else "",
        "charge": _money(line.charge),
        "allowed": None if line.allowed is None else _money(line.allowed),
        "paid": _money(line.paid),
        "adjustments": [_adjustment_json(a) for a in line.adjustments],
        "remarks": list(line.remarks),
    }


def _write_835(
    claim: InstitutionalClaim,
    policy: PayerPolicy,
    result: FacilityResult,
    paid_on: dt.date,
    out: str,
) -> str:
    """Write the payer's 835 for one adjudicated claim; returns the path written."""
    from pathlib import Path

    from medbill_lab.payer.facility import remit_facility
    from medbill_lab.x12 import x835

    remittance = remit_facility(
        [result],
        payer_name=policy.name,
        payer_id=policy.payer_id,
        payee=claim.billing_provider,
        trace_number=f"EFT{result.claim.payer_claim_number}",
        paid_on=paid_on,
    )
    Path(out).write_text(x835.to_835(remittance), encoding="utf-8")
    return str(out)


def _adjudication_lines(summary: dict[str, Any]) -> list[str]:
    """The adjudication said like a remittance: outcome, DRG and teaching payment, the money,
    what the payment leaves out, the payer's reasons, and the 835 written."""
    head = (
        f"Claim {summary['patient_control_number']} (UB-04, type of bill "
        f"{summary['type_of_bill']}), payer {summary['payer']['name']} {summary['payer']['id']}"
    )
    lines = [head, f"  Rules: {summary['rules']}"]
    if summary["outcome"] == "rejected":
        codes = ", ".join(summary["status_codes"])
        lines.append(f"  Rejected at the front end, not adjudicated: {summary['reason']}")
        lines.append(
            f"  No 835: the payer returns it on a 277CA (STC {codes}); correct it and resend"
        )
        return lines
    lines.append(f"  {summary['status_text'].capitalize()} (CLP02 {summary['status']})")
    lines += _drg_lines(summary)
    lines.append(
        f"  Charged ${Decimal(summary['charge']):,.2f}; allowed ${Decimal(summary['allowed']):,.2f}; "
        f"patient owes ${Decimal(summary['patient_responsibility']):,.2f}; "
        f"paid ${Decimal(summary['paid']):,.2f}"
    )
    lines += [f"    {_adjustment_text(a)}" for a in summary["adjustments"]]
    lines += [f"  {text}" for text in _line_texts(summary["lines"])]
    lines += ["  Why:"] + [f"    {note}" for note in _reasons(summary)]
    written = summary.get("written")
    lines.append(
        f"Wrote {written}: the 835 for this claim"
        if written
        else "No 835 written (--out FILE.835 writes it)"
    )
    return lines


def _adjustment_text(adjustment: dict[str, str]) -> str:
    return f"{adjustment['group']}-{adjustment['reason']} ${Decimal(adjustment['amount']):,.2f}"


def _drg_lines(summary: dict[str, Any]) -> list[str]:
    """MS-DRG, weight and the teaching payment, with what it leaves out (inpatient only)."""
    grouping, payment = summary["drg"], summary["payment"]
    if grouping is None or payment is None:
        return []
    return [
        f"  MS-DRG {grouping['code']} {grouping['title']} (MDC {grouping['mdc']}, grouper "
        f"v{grouping['version']}), relative weight {grouping['weight']}",
        f"  DRG amount: {payment['formula']} (the base rate is a teaching figure, not CMS's)",
        f"  Left out: {', '.join(payment['left_out'])}",
    ]


def _line_texts(lines: list[dict[str, Any]]) -> list[str]:
    """Each outpatient line's amounts: revenue code, HCPCS, charged, allowed, paid, CAS."""
    out = []
    for number, line in enumerate(lines, 1):
        allowed = "-" if line["allowed"] is None else f"${Decimal(line['allowed']):,.2f}"
        cas = ", ".join(_adjustment_text(a) for a in line["adjustments"])
        out.append(
            f"Line {number} {line['revenue_code']} {line['hcpcs']}".rstrip()
            + f": charged ${Decimal(line['charge']):,.2f}, allowed {allowed}, "
            f"paid ${Decimal(line['paid']):,.2f}" + (f" ({cas})" if cas else "")
        )
    return out


def _reasons(summary: dict[str, Any]) -> list[str]:
    """The payer's notes, less those the DRG lines already said (the headline, the base rate
    as a teaching figure, what is left out); a post-acute or transfer note stays."""
    drg = summary["drg"]
    said = (f"MS-DRG {drg['code']} ",) if drg else ()
    said += ("the base rate is a teaching figure", "left out: ")
    return [note for note in summary["notes"] if not note.startswith(said)]
