"""An 835 remittance explained in plain language, for lesson 08 and the posting exercise.

Each claim and service line is listed with what was charged and paid, and every
CAS adjustment with its group code (who bears it) and its CARC from
``datasets/remit/carc.csv``; then the balancing rules are checked.

>>> group_text("PR")
'patient responsibility: bill the patient or the secondary payer'
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from medbill_lab.payer.carc import (
    carc_text,
    claim_status_text,
    group_codes,
    plb_reason_text,
    rarc_text,
)
from medbill_lab.payer.remittance import Adjustment, RemitClaim, RemitLine, Remittance

# the four 005010 group codes and what each means for the provider (datasets/remit/group_codes.csv)
GROUPS = {g.code: g.meaning for g in group_codes().values() if g.status == "valid"}


def group_text(group: str) -> str:
    """What a CAS group code means for the provider (the four 5010 codes; CR is retired).

    >>> group_text("CR")
    'not valid in 005010: group code CR (correction and reversal; in 5010 a reversal is CLP02 22) was retired'
    """
    row = group_codes().get(group)
    if row is None:
        return "unknown group code"
    if row.status == "retired":
        return f"not valid in 005010: group code {group} ({row.meaning}) was retired"
    return row.meaning


def _money(amount: Decimal) -> str:
    """Dollars with two decimals.

    >>> _money(Decimal("7.2"))
    '$7.20'
    """
    return f"${amount:,.2f}"


def _adjustment(adj: Adjustment) -> str:
    who = group_text(adj.group).split(":")[0]
    return f"      {adj.group}-{adj.carc} {_money(adj.amount)} ({who}): {carc_text(adj.carc)}"


def _line(line: RemitLine) -> list[str]:
    code = ":".join([line.code, *line.modifiers])
    ok = "balances" if line.balances() else "DOES NOT BALANCE"
    out = [f"    {code} charged {_money(line.charge)}, paid {_money(line.paid)} ({ok})"]
    out += [_adjustment(a) for a in line.adjustments]
    out += [f"      remark {r}: {rarc_text(r)}" for r in line.remarks]
    return out


def _claim(claim: RemitClaim) -> list[str]:
    status = claim_status_text(claim.status)
    out = [
        f"  Claim {claim.patient_account} ({claim.patient_first} {claim.patient_last}): {status}; "
        f"charged {_money(claim.charge)}, paid {_money(claim.paid)}, "
        f"patient owes {_money(claim.patient_responsibility)}"
    ]
    out += [_adjustment(a) for a in claim.adjustments]
    for line in claim.lines:
        out += _line(line)
    return out


def balance_lines(remittance: Remittance) -> list[str]:
    """The two balancing rules, worked out with this remittance's numbers."""
    paid = sum((c.paid for c in remittance.claims), Decimal(0))
    plb = sum((p.amount for p in remittance.provider_adjustments), Decimal(0))
    out = ["Balancing:"]
    for claim in remittance.claims:
        adjusted = sum((a.amount for a in claim.all_adjustments()), Decimal(0))
        out.append(
            f"  {claim.patient_account}: charge {_money(claim.charge)} - adjustments "
            f"{_money(adjusted)} = {_money(claim.charge - adjusted)}; paid {_money(claim.paid)}"
            f" -> {'balances' if claim.balances() else 'DOES NOT BALANCE'}"
        )
    for p in remittance.provider_adjustments:
        out.append(
            f"  PLB {p.reason} {p.reference}".rstrip()
            + f": {_money(p.amount)} ({plb_reason_text(p.reason)})"
        )
    verdict = "balances" if remittance.balances() else "DOES NOT BALANCE"
    out.append(
        f"  BPR: claims paid {_money(paid)} - PLB {_money(plb)} = {_money(paid - plb)}; "
        f"payment {_money(remittance.payment)} -> {verdict}"
    )
    return out


def explain(remittance: Remittance) -> str:
    """The whole remittance in plain language: payment, claims, lines, CAS codes, balancing."""
    out = [
        f"{remittance.payer_name} paid {remittance.payee_name} {_money(remittance.payment)} "
        f"by {remittance.method} (trace {remittance.trace_number})",
    ]
    for claim in remittance.claims:
        out += _claim(claim)
    out += ["Group codes:"] + [f"  {g} = {text}" for g, text in GROUPS.items()]
    return "\n".join(out + balance_lines(remittance))


Posting = tuple[Decimal, Decimal, Decimal]  # paid, contractual (write-off), patient responsibility


def _split(charge: Decimal, paid: Decimal, adjustments: list[Adjustment]) -> Posting:
    patient = sum((a.amount for a in adjustments if a.group == "PR"), Decimal(0))
    return paid, charge - paid - patient, patient


def posting_key(remittance: Remittance) -> dict[str, list[Posting]]:
    """Per claim, per service line: (paid, contractual write-off, patient responsibility).

    Everything that is not PR is written off.  A claim paid without service
    lines (a claim-level denial) is posted as one line at claim level.
    """
    key: dict[str, list[Posting]] = {}
    for claim in remittance.claims:
        if claim.lines:
            key[claim.patient_account] = [
                _split(ln.charge, ln.paid, ln.adjustments) for ln in claim.lines
            ]
        else:
            key[claim.patient_account] = [_split(claim.charge, claim.paid, claim.adjustments)]
    return key


def check_line(remittance: Remittance, account: str, line: int, answer: Posting) -> str:
    """Feedback on one posted line (``line`` counts from 1): right, or which amount is off."""
    lines = posting_key(remittance).get(account, [])
    if not 1 <= line <= len(lines):
        return f"Claim {account} has no line {line}."
    try:
        given = [Decimal(str(x)) for x in answer]
    except (ArithmeticError, ValueError, TypeError):
        return "Give three amounts: paid, contractual adjustment, patient responsibility."
    names = ("paid", "contractual adjustment", "patient responsibility")
    wrong = [n for n, g, k in zip(names, given, lines[line - 1], strict=False) if g != k]
    if len(given) != 3:
        return "Give three amounts: paid, contractual adjustment, patient responsibility."
    if not wrong:
        return "Right: paid + contractual + patient = the charge, and each part is in its place."
    return f"Not yet: check the {' and the '.join(wrong)} (CO is written off, PR is billed to the patient)."


# -- what to send after a CO-16 (lesson 09's self-check) ----------------------------------
# MA130: "your claim contains incomplete and/or invalid information, and no appeal
# rights are afforded because the claim is unprocessable; submit a new claim".
UNPROCESSABLE = "MA130"
ANSWERS = ("1", "7", "8", "appeal")


def resubmission_for(carc: str, remarks: Sequence[str] = ()) -> str:
    """What to send after a claim came back lacking information (CARC 16).

    With RARC MA130 (Medicare: *unprocessable*) the claim was returned, not
    denied: it has no appeal rights and nothing to replace, so a NEW claim
    (frequency 1) goes out with the missing information (Medicare Claims
    Processing Manual ch. 1, 80.3.2).  Without MA130 the payer adjudicated and
    numbered the claim: a replacement (frequency 7) with its claim number.

    >>> resubmission_for("16", ["MA130"]), resubmission_for("16", ["N290"])
    ('1', '7')
    """
    if carc != "16":
        raise ValueError(f"only CARC 16 (claim lacks information) is covered here, not {carc!r}")
    return "1" if UNPROCESSABLE in {r.strip().upper() for r in remarks} else "7"


_WHY = {
    ("1", "1"): "Correct: MA130 means Medicare returned the claim as unprocessable. It was never "
    "adjudicated, so there is nothing to correct or appeal: send a NEW claim (frequency 1) with "
    "the missing information.",
    ("1", "7"): "Not for this one: MA130 says the claim was unprocessable, so Medicare keeps no "
    "adjudicated claim for a replacement (7) to replace. Send a new claim (1) with the information added.",
    ("1", "appeal"): "Not quite: MA130 says no appeal rights are afforded for an unprocessable "
    "claim. Fix it and send a new claim (1).",
    ("7", "7"): "Correct: this payer processed the claim and gave it a claim number, so you send a "
    "replacement (7) with that number in item 22.",
    ("7", "1"): "Not quite: this payer adjudicated and numbered the claim (no MA130), so a second "
    "original would be denied as a duplicate (CARC 18). Send a replacement (7).",
    ("7", "appeal"): "Not quite: an appeal argues the payer was wrong. Here the claim itself was "
    "incomplete; the fix is a corrected claim (7).",
}


def resubmission_feedback(answer: object, carc: str, remarks: Sequence[str] = ()) -> str:
    """Feedback on a learner's choice of what to send after a CARC 16 claim.

    >>> resubmission_feedback("1", "16", ["MA130"]).startswith("Correct")
    True
    >>> resubmission_feedback("7", "16", ["MA130"]).startswith("Not")
    True
    """
    given = str(answer).strip().lower()
    if given not in ANSWERS:
        return "Choose one of: 1, 7, 8, appeal."
    right = resubmission_for(carc, remarks)
    if given == "8":
        return (
            "Not quite: a void (8) cancels a claim the payer holds; the services were rendered "
            "and are billable, so "
            + ("send a new claim (1)." if right == "1" else "replace it (7).")
        )
    return _WHY[(right, given)]
