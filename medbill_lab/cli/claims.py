"""``medbill-lab claim``: the claim file's schema, the scrubber, the 837P and the printed
CMS-1500."""

from __future__ import annotations

import argparse

from medbill_lab.cli.common import EXIT_INPUT, print_json, subcommands


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

    def is_ub04(path: str) -> bool:
        try:
            return institutional.is_institutional(institutional.read_data(path))
        except (ValueError, OSError):
            return False

    kinds = {path: is_ub04(path) for path in files}
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
