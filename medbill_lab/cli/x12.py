"""``medbill-lab x12``: read an X12 file as it arrived from a partner (issue P9).

``x12 read FILE`` explains an 835 like an EOB and an 837P/837I like the claim it stands
for; ``--json`` prints :func:`medbill_lab.x12.interpret.interpret`'s shape. A file that is
still X12 is always read (exit 0) with its problems listed as diagnostics; a file that is
not X12 at all is one line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from medbill_lab.cli.common import print_json, subcommands

Json = dict[str, Any]


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``x12`` group and its commands to the top-level subcommands."""
    group = sub.add_parser("x12", help="read X12 files from payers and clearinghouses")
    xsub = subcommands(group, "x12_command")
    cmd = xsub.add_parser(
        "read", help="explain an 835, 837P, 837I, 999 or 277CA file in plain words"
    )
    cmd.add_argument("file", help="an X12 file (any delimiters, BOM, several envelopes)")
    cmd.add_argument("--json", action="store_true", help="print the reading as JSON")
    cmd.add_argument("--claims", help="the 837P a 999 acknowledges, to name each error's claim")
    cmd.set_defaults(func=cmd_x12_read)


def cmd_x12_read(args: argparse.Namespace) -> int:
    """Read FILE and print it; :class:`~medbill_lab.x12.reader.NotX12` (a ``ValueError``)
    and an unreadable path become one line through :func:`medbill_lab.cli.app.main`."""
    from medbill_lab.x12.interpret import interpret, trace_999
    from medbill_lab.x12.reader import read_interchanges

    result = interpret(read_interchanges(Path(args.file).read_bytes()))
    for tx in result["transactions"]:
        if tx.get("type") != "999":
            continue
        claims = args.claims or _acknowledged_837(Path(args.file), tx)
        if claims:
            trace_999(tx, Path(claims).read_bytes())  # decoded as the 999 is (BOM, UTF-16)
    if args.json:
        print_json(result)
    else:
        print(render(result))
    return 0


def _acknowledged_837(ack_file: Path, ack: Json) -> Path | None:
    """The file beside a 999 holding the 837 it acknowledges: same group control number
    (GS06 = AK1-02) and a transaction set with ST02 = AK2-02; None if there is none."""
    from medbill_lab.x12.reader import read_interchanges

    wanted = {one["control_number"] for one in ack["sets"]}
    group = ack.get("group", {}).get("control_number", "")
    for path in sorted(ack_file.parent.iterdir()):
        if path == ack_file or not path.is_file():
            continue
        try:
            parsed = read_interchanges(path.read_bytes())
        except (ValueError, OSError):
            continue  # not X12, or unreadable: not the 837
        for interchange in parsed.interchange_list:
            for gs in interchange.groups:
                if gs.control_number.lstrip("0") != group.lstrip("0"):
                    continue
                if any(t.type == "837" and t.control_number in wanted for t in gs.transactions):
                    return path
    return None


def _cas(adjustment: Json, indent: str) -> str:
    from medbill_lab.payer.carc import carc_text
    from medbill_lab.payer.explain import group_text

    group, reason = adjustment["group"], adjustment["reason"]
    return (
        f"{indent}{group}-{reason} {adjustment['amount']}: "
        f"{group} = {group_text(group)}; CARC {reason} = {carc_text(reason)}"
    )


def _remarks(codes: list[str], indent: str) -> list[str]:
    from medbill_lab.payer.carc import rarc_text

    return [f"{indent}remark {code}: {rarc_text(code)}" for code in codes]


def _remittance(tx: Json) -> list[str]:
    payer, payee = tx["payer"], tx["payee"]
    lines = [
        f"835 remittance advice ({tx['version']})",
        f"  Payer: {payer['name']} {payer['id']}".rstrip(),
        f"  Payee: {payee['name']} {payee['id']}".rstrip(),
        f"  Payment: {tx['payment'] or '(none)'}, trace number {tx['trace_number'] or '(none)'}",
    ]
    for claim in tx["claims"]:
        lines.append(
            f"  Claim {claim['patient_control_number']}: {claim['status_text']} "
            f"(status {claim['status']}); charged {claim['charge']}, paid {claim['paid']}, "
            f"patient owes {claim['patient_responsibility'] or '0'}"
        )
        lines += [_cas(adj, "    ") for adj in claim["adjustments"]]
        lines += _remarks(claim["remarks"], "    ")
        for service in claim["services"]:
            mods = "-".join(service["modifiers"])
            code = f"{service['code']}-{mods}" if mods else service["code"]
            lines.append(
                f"    Service {code} {service['date']}: charged {service['charge']}, "
                f"paid {service['paid']}, units {service['units']}"
            )
            lines += [_cas(adj, "      ") for adj in service["adjustments"]]
            lines += _remarks(service["remarks"], "      ")
    for plb in tx["provider_adjustments"]:
        lines.append(
            f"  Provider adjustment {plb['reason']} {plb['reference']}: {plb['amount']}"
            " (negative: paid to the provider; positive: taken back)"
        )
    return lines


def _claim(tx: Json) -> list[str]:
    form = "UB-04" if tx["type"] == "837I" else "CMS-1500"
    lines = [f"{tx['type']} claim file ({tx['version']}), read as the {form} it stands for"]
    for claim in tx["claims"]:
        sub = claim["subscriber"]
        lines += [
            f"  Claim {claim['patient_control_number']}: total charge {claim['charge']}",
            f"    Insured: {sub['last']}, {sub['first']} member ID {sub['member_id']}",
            f"    Payer ID: {claim['payer']['id']}",
            f"    Diagnoses: {', '.join(claim['diagnoses']) or '(none)'}",
        ]
        for other in claim["other_payers"]:
            lines.append(
                f"    Other payer ({other['sequence']}): {other['payer_name']} "
                f"{other['payer_id']}, member {other['member_id']}, paid {other['paid'] or '-'}"
            )
        for number, line in enumerate(claim["lines"], 1):
            mods = "-".join(line["modifiers"])
            code = f"{line['code']}-{mods}" if mods else line["code"]
            lines.append(
                f"    Line {number}: {code} {line['date_from']} charge {line['charge']} "
                f"units {line['units']}"
            )
    return lines


def _ack_error(error: Json) -> list[str]:
    """One IK3 error and its IK4 elements; the claim and item when traced to the 837P."""
    loop = f", loop {error['loop']}" if error["loop"] else ""
    out = [
        f"    {error['segment_id']} at segment {error['position']} of the set{loop}: "
        f"{error['text']} ({error['code']})"
    ]
    item = f", CMS-1500 item {error['item']}" if error.get("item") else ""
    if error.get("claim") is not None:
        out.append(
            f"      claim {error.get('claim_id', '')} (claim {error['claim'] + 1} in the 837P)"
            f"{item}: {error['segment']}"
        )
    elif "segment" in error:  # traced to the 837P, outside every claim (header, 1000A/B)
        out.append(f"      in the 837P outside any claim{item}: {error['segment']}")
    elif "claim_id" in error:
        out.append(f"      claim {error['claim_id']}")
    for element in error["elements"]:
        out.append(
            f"      element {element['position']}: {element['text']} ({element['code']})"
            + (f", value '{element['bad_value']}'" if element["bad_value"] else "")
        )
    return out


def _acknowledgment(tx: Json) -> list[str]:
    """A 999: the group's verdict, then each acknowledged transaction set and its errors."""
    out = [
        f"999 acknowledgment: {tx.get('status_text', 'no AK9 verdict')} "
        f"({tx.get('accepted_sets', '?')} of {tx.get('received_sets', '?')} set(s) accepted)"
    ]
    for one in tx["sets"]:
        out.append(
            f"  {one['kind']} set {one['control_number']}: {one.get('status_text', 'no IK5')}"
        )
        for error in one["errors"]:
            out += _ack_error(error)
    return out


def _claim_acknowledgment(tx: Json) -> list[str]:
    """A 277CA: accepted and rejected counts, then each claim's status in words."""
    out = [f"277CA claim acknowledgment: {tx['accepted']} accepted, {tx['rejected']} rejected"]
    for claim in tx["claims"]:
        payer = (
            f" (payer claim {claim['payer_claim_number']})" if claim["payer_claim_number"] else ""
        )
        out.append(f"  Claim {claim['patient_control_number']}{payer}: {claim['outcome']}")
        for st in claim["statuses"]:
            entity = f" ({st['entity']} = {st['entity_text']})" if st["entity"] else ""
            out.append(
                f"    {st['category']} = {st['category_text']}; "
                f"status {st['status_code']} = {st['status_text']}{entity}"
            )
    return out


def render(result: Json) -> str:
    """The plain-language reading of :func:`~medbill_lab.x12.interpret.interpret`'s result."""
    out = [f"{result['interchanges']} interchange(s), {len(result['transactions'])} transaction(s)"]
    for tx in result["transactions"]:
        if "note" in tx:
            out.append(f"{tx['type']} ({tx['version'] or 'no version'}): {tx['note']}")
        elif tx["type"] == "835":
            out += _remittance(tx)
        elif tx["type"] == "999":
            out += _acknowledgment(tx)
        elif tx["type"] == "277CA":
            out += _claim_acknowledgment(tx)
        else:
            out += _claim(tx)
    if result["diagnostics"]:
        out.append(f"Diagnostics ({len(result['diagnostics'])}):")
    for d in result["diagnostics"]:
        where = f"segment {d['segment']}" if d["segment"] is not None else "file"
        loop = f", loop {d['loop']}" if d["loop"] else ""
        out.append(f"  {d['severity']} at {where}{loop}: {d['message']}")
    return "\n".join(out)
