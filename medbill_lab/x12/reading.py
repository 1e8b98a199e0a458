"""A file from a partner, read and said in plain words: what ``medbill-lab x12 read`` prints
and what the Remittance and Claim builder apps show (issue P9).

:func:`read_file` reads the bytes (:func:`~medbill_lab.x12.reader.read_interchanges`),
interprets them (:func:`~medbill_lab.x12.interpret.interpret`) and traces each 999 to the
837P it acknowledges when that file is given. :func:`plain_lines` says the result in words,
one line per fact, indented by two spaces per level: an 835 like an EOB (every CARC, RARC and
group code in words), an 837 like the form it stands for, a 999's verdict with each error
traced to its claim and CMS-1500 item, and a 277CA's status of each claim. The CLI joins the
lines; an app lays them out.

>>> result = read_file(
...     "ISA*00*          *00*          *ZZ*A              *ZZ*B              "
...     "*260201*0930*^*00501*000000001*0*T*:~GS*FA*A*B*20260201*0930*1*X*005010X231A1~"
...     "ST*999*0001*005010X231A1~AK1*HC*7*005010X222A1~AK2*837*0001*005010X222A1~"
...     "IK5*A~AK9*A*1*1*1~SE*6*0001~GE*1*1~IEA*1*000000001~")
>>> print(render(result))
1 interchange(s), 1 transaction(s)
999 acknowledgment: accepted (1 of 1 set(s) accepted)
  837 set 0001: accepted
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from medbill_lab.payer.carc import carc_text, plb_reason_text, rarc_text
from medbill_lab.payer.explain import group_text
from medbill_lab.x12.interpret import DRG_TITLE_SOURCE, diagnostic, interpret, trace_999
from medbill_lab.x12.reader import read_interchanges

Json = dict[str, Any]


def read_file(data: bytes | str, claims: bytes | str | None = None) -> Json:
    """``data`` read and interpreted, in ``x12 read --json``'s shape; with ``claims`` (the
    837P file a 999 acknowledges), each 999 error is traced to its claim and CMS-1500 item.
    Raises :class:`~medbill_lab.x12.reader.NotX12` (a ``ValueError``) for input that is not
    X12 at all."""
    result = interpret(read_interchanges(data))
    if claims is not None:
        for tx in acknowledgments(result):
            trace_claims(result, tx, claims, "the claims file")
    return result


def untraced_errors(ack: Json) -> int:
    """How many of a 999's errors that name a segment position were not traced to a
    segment of the claims file (:func:`~medbill_lab.x12.interpret.trace_999` sets
    ``traced_loop`` on each one it finds)."""
    return sum(
        error.get("position") is not None and "traced_loop" not in error
        for one_set in ack["sets"]
        for error in one_set["errors"]
    )


def trace_claims(result: Json, ack: Json, claims: bytes | str, source: str) -> None:
    """Trace the 999 ``ack`` of ``result`` to ``claims`` (:func:`trace_999`, in place) and,
    when some of its errors point at no segment of the 837 sets it answers (the claims file
    is X12 but an 835, or another batch), add a warning naming ``source`` to the result's
    diagnostics: the one place the CLI and the apps say it.  Raises
    :class:`~medbill_lab.x12.reader.NotX12` when ``claims`` is not X12 at all."""
    trace_999(ack, claims)
    untraced = untraced_errors(ack)
    if untraced:
        why = (
            f"{source}: {untraced} of the 999's errors point at no segment of an 837 set "
            "with the group and set control numbers the 999 acknowledges (AK1-02 and AK2-02); "
            "they are read without naming their claims"
        )
        result["diagnostics"].append(diagnostic("warning", None, None, why, "unreadable"))


def acknowledgments(result: Json) -> list[Json]:
    """The 999 transactions of a read file (the ones :func:`trace_999` can trace)."""
    return [tx for tx in result["transactions"] if tx.get("type") == "999" and "note" not in tx]


def acknowledged_837(ack_file: Path, ack: Json) -> Path | None:
    """The file beside a 999 holding the 837 it acknowledges: same group control number
    (GS06 = AK1-02) and a transaction set with ST02 = AK2-02; None if there is none."""
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
    group, reason = adjustment["group"], adjustment["reason"]
    return (
        f"{indent}{group}-{reason} {adjustment['amount']}: "
        f"{group} = {group_text(group)}; CARC {reason} = {carc_text(reason)}"
    )


def _remarks(codes: list[str], indent: str) -> list[str]:
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
        lines += _patient(claim.get("patient"))
        lines += _drg(claim) + _inpatient(claim.get("inpatient"))
        lines += [_cas(adj, "    ") for adj in claim["adjustments"]]
        lines += _remarks(claim["remarks"], "    ")
        for service in claim["services"]:
            span = _span(_ccyymmdd(service["date"]), _ccyymmdd(service.get("date_to", "")))
            when = f" {span}" if span else ""
            lines.append(
                f"    Service {_service_code(service)}{when}: charged {service['charge']}, "
                f"paid {service['paid']}, units {service['units']}"
            )
            lines += [_cas(adj, "      ") for adj in service["adjustments"]]
            lines += _remarks(service["remarks"], "      ")
    for plb in tx["provider_adjustments"]:
        lines.append(
            f"  Provider adjustment {plb['reason']} {plb['reference']}".rstrip()
            + f": {plb['amount']} {_plb_effect(plb['amount'])}; "
            f"{plb['reason']} = {plb_reason_text(plb['reason'])}"
        )
    return lines


def _service_code(service: Json) -> str:
    """A service line's code as the remittance names it: the procedure and its modifiers,
    after the revenue code on an institutional line (SVC04; a line with qualifier NU is
    the revenue code alone).

    >>> _service_code({"qualifier": "HC", "code": "99284", "modifiers": [], "revenue_code": "0450"})
    'revenue code 0450 99284'
    >>> _service_code({"qualifier": "NU", "code": "0320", "modifiers": [], "revenue_code": "0320"})
    'revenue code 0320 (no HCPCS)'
    >>> _service_code({"qualifier": "HC", "code": "99214", "modifiers": ["25"]})
    '99214-25'
    """
    mods = "-".join(service["modifiers"])
    code = f"{service['code']}-{mods}" if mods else service["code"]
    revenue = service.get("revenue_code")
    if not revenue:
        return code
    if service.get("qualifier") == "NU":
        return f"revenue code {revenue} (no HCPCS)"
    return f"revenue code {revenue} {code}"


def _drg(claim: Json) -> list[str]:
    """CLP11-13 as a line: the DRG and its title (from the lab's MS-DRG table, said as such),
    the relative weight, the discharge fraction.

    >>> print(*_drg({"drg": "194", "drg_title": "SIMPLE PNEUMONIA AND PLEURISY WITH CC",
    ...       "drg_weight": "0.8059", "drg_title_source": "Table 5"}))
        DRG 194 SIMPLE PNEUMONIA AND PLEURISY WITH CC (title from Table 5), relative weight 0.8059
    >>> print(*_drg({"drg": "8001", "drg_title": "", "drg_weight": ""}))
        DRG 8001 (not in MS-DRG v43 (FY2026) Table 5: a DRG of another grouper?)
    >>> _drg({})
    []
    """
    if "drg" not in claim:
        return _fraction(claim)
    code, title = claim["drg"] or "(none)", claim["drg_title"]
    if title:
        named = f" {title} (title from {claim['drg_title_source']})"
    elif claim["drg"]:
        named = f" (not in {DRG_TITLE_SOURCE}: a DRG of another grouper?)"
    else:
        named = ""
    weight = f", relative weight {claim['drg_weight']}" if claim["drg_weight"] else ""
    return [f"    DRG {code}{named}{weight}", *_fraction(claim)]


def _fraction(claim: Json) -> list[str]:
    if "discharge_fraction" not in claim:
        return []
    return [f"    Discharge fraction (CLP13): {claim['discharge_fraction']}"]


def _inpatient(mia: Json | None) -> list[str]:
    """The MIA segment in words: covered days, then each amount the payer wrote.

    >>> print(*_inpatient({"covered_days": "4", "amounts": [
    ...     {"element": "MIA04", "meaning": "DRG amount", "amount": "4835.40"},
    ...     {"element": "MIA02", "meaning": "operating outlier", "amount": "0"}], "remarks": []}))
        Inpatient (MIA): 4 covered day(s); DRG amount 4835.40 (MIA04); operating outlier 0 (MIA02)
    """
    if mia is None:
        return []
    parts = [f"{mia['covered_days'] or '(no)'} covered day(s)"]
    if mia.get("lifetime_psychiatric_days"):
        parts.append(f"{mia['lifetime_psychiatric_days']} lifetime psychiatric day(s)")
    if mia.get("cost_report_days"):
        parts.append(f"{mia['cost_report_days']} cost report day(s)")
    parts += [f"{a['meaning']} {a['amount']} ({a['element']})" for a in mia["amounts"]]
    return ["    Inpatient (MIA): " + "; ".join(parts)]


def _patient(patient: Json | None) -> list[str]:
    """The claim's patient (NM1*QC) as a line, when the 835 names one.

    >>> _patient({"last": "DOE", "first": "JANE", "id": "M123"})
    ['    Patient: DOE, JANE, member ID M123']
    >>> _patient({"last": "", "first": "", "id": ""})
    []
    """
    if not patient or not any(patient.values()):
        return []
    name = ", ".join(part for part in (patient["last"], patient["first"]) if part)
    member = f"member ID {patient['id']}" if patient["id"] else ""
    return ["    Patient: " + ", ".join(part for part in (name, member) if part)]


def _plb_effect(amount: str) -> str:
    """What a PLB04 amount does to the payment: a positive one is taken from it, a negative
    one added to it (BPR02 = the claims' payments minus the PLB amounts).

    >>> _plb_effect("25.00"), _plb_effect("-3.50")
    ('taken from the payment', 'added to the payment (a negative PLB)')
    >>> _plb_effect("x")  # a damaged amount: the rule, not a guess
    '(negative: added to the payment; positive: taken from it)'
    """
    try:
        value = Decimal(amount)
    except ArithmeticError:
        return "(negative: added to the payment; positive: taken from it)"
    if value < 0:
        return "added to the payment (a negative PLB)"
    return "taken from the payment"


def _ccyymmdd(value: str) -> str:
    """An 835 date (DTM02, CCYYMMDD) written as the 837 reading writes dates, ``2026-11-05``;
    anything else as the file gives it (the date checks report a bad one).

    >>> _ccyymmdd("20201221"), _ccyymmdd("2020122")
    ('2020-12-21', '2020122')
    """
    if len(value) == 8 and value.isdigit():
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"
    return value


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
        if "statement_from" in claim:  # 837I: UB-04 form locator 6
            period = _span(claim["statement_from"], claim["statement_to"]) or "(none)"
            lines.append(f"    Statement period: {period}")
        for other in claim["other_payers"]:
            lines.append(
                f"    Other payer ({other['sequence']}): {other['payer_name']} "
                f"{other['payer_id']}, member {other['member_id']}, paid {other['paid'] or '-'}"
            )
        for number, line in enumerate(claim["lines"], 1):
            mods = "-".join(line["modifiers"])
            code = f"{line['code']}-{mods}" if mods else line["code"]
            revenue = f"revenue code {line['revenue_code']} " if "revenue_code" in line else ""
            lines.append(
                f"    Line {number}: {revenue}{code} "
                f"{_span(line['date_from'], line['date_to']) or '(no date)'} "
                f"charge {line['charge']} units {line['units']}"
            )
    return lines


def _span(start: str, end: str) -> str:
    """A date or a period as the text says it: ``2026-11-05``, ``2026-11-01 to 2026-11-05``."""
    return f"{start} to {end}" if end and end != start else start


def _ack_error(error: Json) -> list[str]:
    """One IK3 error and its IK4 elements; the claim and item when traced to the 837P."""
    loop = f", loop {error['loop']}" if error["loop"] else ""
    out = [
        f"    {error['segment_id']} at segment {error['position']} of the set{loop}: "
        f"{error['text']} ({error['code']})"
    ]
    item = f", CMS-1500 item {error['item']}" if error.get("item") else ""
    if not item and error.get("no_item"):  # e.g. the other payer's CAS in loop 2320
        item = f", loop {error['traced_loop']} ({error['no_item']})"
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
    batch = tx.get("batch")
    if batch and batch["statuses"]:  # the receiver's level (HL 21): the batch as a whole
        trace = f" {batch['trace_number']}" if batch["trace_number"] else ""
        by = f" (submitter {batch['name']})" if batch["name"] else ""
        out.append(f"  Batch{trace}{by}{_verdict(batch)}")
        out += _statuses(batch["statuses"])
    for provider in tx.get("providers", []):
        if provider["statuses"]:  # HL 19: a rejection here turns back all its claims
            who = f"{provider['name']} {provider['id']}".strip() or "(not named)"
            out.append(f"  Billing provider {who}{_verdict(provider)}")
            out += _statuses(provider["statuses"])
    for claim in tx["claims"]:
        payer = (
            f" (payer claim {claim['payer_claim_number']})" if claim["payer_claim_number"] else ""
        )
        out.append(f"  Claim {claim['patient_control_number']}{payer}: {claim['outcome']}")
        out += _statuses(claim["statuses"])
    return out


def _verdict(level: Json) -> str:
    """``: accepted`` or ``: rejected`` for a 277CA level; a status that is neither (A1
    received, A3 returned...) is said by its own line, so ``:`` alone."""
    return f": {level['outcome']}" if level["outcome"] in ("accepted", "rejected") else ":"


def _statuses(statuses: list[Json]) -> list[str]:
    """Each STC status of a 277CA level in words: category, status code, entity."""
    out = []
    for st in statuses:
        entity = f" ({st['entity']} = {st['entity_text']})" if st["entity"] else ""
        out.append(
            f"    {st['category']} = {st['category_text']}; "
            f"status {st['status_code']} = {st['status_text']}{entity}"
        )
    return out


def transaction_lines(tx: Json) -> list[str]:
    """One transaction of :func:`read_file`'s result in plain words, one line per fact."""
    if "note" in tx:
        return [f"{tx['type']} ({tx['version'] or 'no version'}): {tx['note']}"]
    if tx["type"] == "835":
        return _remittance(tx)
    if tx["type"] == "999":
        return _acknowledgment(tx)
    if tx["type"] == "277CA":
        return _claim_acknowledgment(tx)
    return _claim(tx)


def diagnostic_lines(result: Json) -> list[str]:
    """The file's diagnostics, a heading and one line each (nothing when there are none)."""
    if not result["diagnostics"]:
        return []
    out = [f"Diagnostics ({len(result['diagnostics'])}):"]
    for d in result["diagnostics"]:
        where = f"segment {d['segment']}" if d["segment"] is not None else "file"
        loop = f", loop {d['loop']}" if d["loop"] else ""
        out.append(f"  {d['severity']} at {where}{loop}: {d['message']}")
    return out


def plain_lines(result: Json) -> list[str]:
    """The whole reading in plain words: a count line, each transaction, the diagnostics."""
    out = [f"{result['interchanges']} interchange(s), {len(result['transactions'])} transaction(s)"]
    for tx in result["transactions"]:
        out += transaction_lines(tx)
    return out + diagnostic_lines(result)


def render(result: Json) -> str:
    """The plain-language reading of :func:`read_file`'s result as one text."""
    return "\n".join(plain_lines(result))
