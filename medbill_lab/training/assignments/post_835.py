"""The 835 posting assignment for one course: a fresh remittance to post and reconcile.

``draw(rng)`` writes a synthetic 835 (three claims: two paid with one to three service
lines, one denied at claim level; provider-level adjustments) and returns the
template's values: the 835 the student reads, the model answers, and the key for the
hidden tests.  The key is read back from the 835 exactly as handed out.

Students answer on three plain-text forms (:data:`FORMS`, ``%%answers post_835:posting
posting`` and so on), laid out as a payment-posting screen: each claim's number, then
each service line's paid, contractual and patient amounts.  The scorers take the form
or, in a course made before the forms, the Python dict; the form maps to that dict
(:func:`posting_from`, :func:`reconcile_from`, :func:`denial_from`), so the points are
the same for the same answers.

>>> import random
>>> a, b = draw(random.Random(1)), draw(random.Random(2))
>>> a["remit_835"] != b["remit_835"] and a["q1_key"] != b["q1_key"]
True
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from medbill_lab.payer.remittance import (
    Adjustment,
    ProviderAdjustment,
    RemitClaim,
    RemitLine,
    Remittance,
)
from medbill_lab.training import answer_forms as forms
from medbill_lab.training.answer_forms import Field, FormAnswers, FormSpec
from medbill_lab.training.assignments import PartScore, assigned, literal, part_points
from medbill_lab.training.element_log import shares

PAYERS = (
    ("LAKESHORE HEALTH PLAN", "LHP01", "LHP"),
    ("PRAIRIE MUTUAL HEALTH", "PMH02", "PMH"),
    ("RIVERBEND CARE PLAN", "RCP03", "RCP"),
    ("SUMMIT STATE BENEFITS", "SSB04", "SSB"),
)
# code, charge per unit, modifiers, units: services a family practice bills (our own fees)
SERVICES = (
    ("99213", 110, (), 1), ("99214", 160, (), 1), ("99203", 150, (), 1), ("99396", 240, (), 1),
    ("36415", 15, (), 1), ("80061", 45, (), 1), ("85025", 32, (), 1), ("81003", 18, (), 1),
    ("93000", 60, (), 1), ("90471", 28, (), 1), ("97110", 55, ("GP",), 2), ("96372", 30, (), 1),
    ("87880", 35, (), 1), ("71046", 95, ("26",), 1), ("20610", 145, ("RT",), 1),
)  # fmt: skip
# claim-level denials (group, CARC); the patient may be billed only for a PR group
CLAIM_DENIALS = (("CO", "29"), ("CO", "109"), ("CO", "16"), ("PR", "27"), ("PR", "96"))
LAST = ("NAKAMURA", "BRANDT", "ODUYA", "LINDQVIST", "MARCHETTI", "OKAFOR", "QUINLAN", "SATO",
        "GALLOWAY", "IWASAKI", "FERREIRA", "HOLLOWAY", "ABERNATHY", "DUBOIS", "KOWALSKI")  # fmt: skip
FIRST = ("ELLEN", "OLIVER", "FRANCES", "NOOR", "KENJI", "ESME", "BRAM", "ODETTE", "RUTH",
         "MILES", "TOMAS", "IRIS", "JUNE", "AUGUST", "PEARL")  # fmt: skip
CENT = Decimal("0.01")


def cents(x: object) -> Decimal | None:
    """An amount as a Decimal rounded to cents (None if it is not a number).

    >>> cents("$1,234.5"), cents(7.2), cents("n/a"), cents(True)
    (Decimal('1234.50'), Decimal('7.20'), None, None)
    """
    if isinstance(x, bool):
        return None
    try:
        value = Decimal(str(x).replace("$", "").replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return None
    return round(value, 2) if value.is_finite() else None


# -- drawing the remittance ----------------------------------------------------------------
def _line(rng: random.Random, service: tuple, day: dt.date) -> RemitLine:
    """One paid line: CO-45 above the allowed amount, then deductible, coinsurance or copay."""
    code, fee, mods, units = service
    charge = Decimal(fee * units)
    allowed = (charge * Decimal(rng.randint(55, 90)) / 100).quantize(CENT)
    adjustments = [Adjustment("CO", "45", charge - allowed)]
    kind = rng.choice(("coinsurance", "coinsurance", "deductible", "both", "copay", "none"))
    patient = Decimal(0)
    if kind in ("deductible", "both"):
        ded = min(allowed, Decimal(rng.randint(5, 60)))
        adjustments.append(Adjustment("PR", "1", ded))
        patient += ded
    if kind in ("coinsurance", "both"):
        coins = ((allowed - patient) * Decimal("0.2")).quantize(CENT)
        adjustments.append(Adjustment("PR", "2", coins))
        patient += coins
    if kind == "copay":
        copay = min(allowed, Decimal(rng.choice((15, 20, 25, 30))))
        adjustments.append(Adjustment("PR", "3", copay))
        patient += copay
    kept = [a for a in adjustments if a.amount]
    return RemitLine(
        code, charge, allowed - patient, list(mods), Decimal(units), day, allowed, kept
    )


def _claim(rng: random.Random, account: str, denied: bool, prefix: str, paid_on: dt.date):
    day = paid_on - dt.timedelta(days=rng.randint(12, 40))
    who = {
        "patient_last": rng.choice(LAST),
        "patient_first": rng.choice(FIRST),
        "member_id": f"{prefix}{rng.randint(100_000_000, 999_999_999)}",
    }
    number = f"2026{rng.randint(10**8, 10**9 - 1)}"
    if denied:
        group, carc = rng.choice(CLAIM_DENIALS)
        charge = Decimal(rng.choice((95, 110, 145, 160, 180, 240)))
        owed = charge if group == "PR" else Decimal(0)
        return RemitClaim(account, "4", charge, Decimal(0), owed, "12", number, **who,
                          adjustments=[Adjustment(group, carc, charge)])  # fmt: skip
    lines = [_line(rng, s, day) for s in rng.sample(SERVICES, rng.randint(1, 3))]
    owed = sum((a.amount for ln in lines for a in ln.adjustments if a.group == "PR"), Decimal(0))
    return RemitClaim(
        account,
        "1",
        sum(ln.charge for ln in lines),
        sum(ln.paid for ln in lines),
        owed,
        "12",
        number,
        **who,
        lines=lines,
    )


def remittance(rng: random.Random) -> Remittance:
    """A payment of three claims (one denied at claim level) and provider-level adjustments.

    About one in four does not reconcile: the payer left the PLB out of the payment.
    """
    payer, payer_id, prefix = rng.choice(PAYERS)
    paid_on = dt.date(2026, 1, 5) + dt.timedelta(days=rng.randrange(330))
    accounts = [f"MGF-{n}" for n in sorted(rng.sample(range(10_100, 99_999), 3))]
    denied = rng.randrange(3)
    claims = [_claim(rng, a, i == denied, prefix, paid_on) for i, a in enumerate(accounts)]
    plb = [ProviderAdjustment("L6", "", -Decimal(rng.randint(50, 900)) / 100)]  # interest paid
    if rng.random() < 0.7:  # an earlier overpayment taken back
        old = f"MGF-{rng.randint(9_000, 10_099):05d}"
        plb.append(ProviderAdjustment("WO", old, Decimal(rng.randint(1_500, 6_000)) / 100))
    paid = sum(c.paid for c in claims)
    payment = paid if rng.random() < 0.25 else paid - sum(p.amount for p in plb)
    trace = f"CHK{rng.randint(10**7, 10**8 - 1)}"
    return Remittance(trace, payer, payer_id, "MAPLE GROVE FAMILY MEDICINE PC", "1748029356",
                      payment, "CHK", paid_on, claims, plb)  # fmt: skip


def _money(x: Decimal) -> str:
    return f"{x:.2f}"


def draw(rng: random.Random) -> dict[str, str]:
    """The template's values for one course: the 835, model answers and keys."""
    from medbill_lab.payer.explain import posting_key
    from medbill_lab.x12.x835 import parse_835, to_835

    text = to_835(remittance(rng), control_number=rng.randint(1, 999_999_999))
    text = text.replace("~", "~\n")
    remit = parse_835(text)[0]  # the key is what the handed-out file says
    key = {a: [[_money(x) for x in t] for t in ts] for a, ts in posting_key(remit).items()}
    denied = next(c for c in remit.claims if c.status == "4")
    bill = any(a.group == "PR" for a in denied.all_adjustments())
    reconcile = {
        "claims_paid": _money(sum(c.paid for c in remit.claims)),
        "plb_total": _money(sum(p.amount for p in remit.provider_adjustments)),
        "balances": remit.balances(),
    }
    q3 = {"denied_claim": denied.patient_account, "bill_patient": bill}
    return {
        "remit_835": text,
        "q1_solution": filled_form("posting", key),
        "q1_key": literal(key),
        "q2_solution": filled_form("reconcile", reconcile),
        "q2_key": literal(reconcile),
        "q3_solution": filled_form("denial", q3),
        "q3_key": literal(q3),
    }


# -- the answer forms: a payment-posting screen ------------------------------------------------
N_CLAIMS, N_LINES = 3, 3
AMOUNTS = (("paid", "paid"), ("contractual", "contractual adjustment"),
           ("patient", "patient responsibility"))  # fmt: skip
_NUMBER = r"(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?|\.\d{1,2}"
# an amount with its sign: -4.25, -$4.25, $-4.25, 12
AMOUNT_PATTERN = rf"[-+]?\$?\s*({_NUMBER})|\$[-+]({_NUMBER})"


def _claim_fields(k: int) -> list[Field]:
    group = (
        f"Claim {k} (the {('first', 'second', 'third')[k - 1]} in the 835): its number, then a "
        "row per service line; a claim without lines is one line"
    )
    return [
        Field(f"c{k}", f"Claim {k} number", "code", group=group, pattern=r"[A-Z0-9][A-Z0-9-]*",
              hint="a claim number, e.g. MGF-10560"),
        *(Field(f"c{k}_{a}", f"Claim {k} line {{n}} {word}", "money", repeat=N_LINES, group=group)
          for a, word in AMOUNTS),
    ]  # fmt: skip


FORMS = {
    "posting": FormSpec(
        "post_835:posting",
        [f for k in range(1, N_CLAIMS + 1) for f in _claim_fields(k)],
        title="Posting: amounts in dollars and cents (0.00 for none); leave unused lines blank",
    ),
    "reconcile": FormSpec(
        "post_835:reconcile",
        [
            Field("claims_paid", "Sum of the claim payments (CLP04)", "money"),
            Field("plb_total", "Sum of the provider-level adjustments (PLB), with its sign",
                  pattern=AMOUNT_PATTERN, hint="an amount with its sign, e.g. -4.25"),
            Field("balances", "Does the BPR payment equal claims paid minus PLB", "yesno"),
        ],
        title="Reconcile the batch",
    ),
    "denial": FormSpec(
        "post_835:denial",
        [
            Field("denied_claim", "The denied claim's number", "code",
                  pattern=r"[A-Z0-9][A-Z0-9-]*", hint="a claim number, e.g. MGF-10560"),
            Field("bill_patient", "May the practice bill the patient for it", "yesno"),
        ],
        title="The denied claim",
    ),
}  # fmt: skip
# the name each answer cell binds, by form
BINDS = {"posting": "posting", "reconcile": "reconcile", "denial": "q3"}


def magic(which: str) -> str:
    """The answer cell's first line, e.g. ``%%answers post_835:posting posting``."""
    return forms.magic_line("post_835", which, BINDS)


def posting_from(a: FormAnswers) -> dict[str, list[tuple[object, ...]]]:
    """The posting the form says: claim number -> one (paid, contractual, patient) per
    line filled (None for an amount left blank or unreadable), as :func:`score_posting` takes."""
    out: dict[str, list[tuple[object, ...]]] = {}
    for k in range(1, N_CLAIMS + 1):
        ids = [f"c{k}_{x}" for x, _ in AMOUNTS]
        rows = [tuple(a.get(f"{i}.{n}") for i in ids) for n in a.rows(ids)]
        if a.get(f"c{k}") is not None or rows:
            out[str(a.get(f"c{k}", f"claim {k}"))] = rows
    return out


def reconcile_from(a: FormAnswers) -> dict[str, object]:
    """The reconciliation the form says, as :func:`score_reconcile` takes it."""
    return {k: a.get(k) for k in ("claims_paid", "plb_total", "balances")}


def denial_from(a: FormAnswers) -> dict[str, object]:
    """The denied claim and whether to bill its patient, as :func:`score_denial` takes them."""
    return {"denied_claim": a.get("denied_claim", ""), "bill_patient": a.get("bill_patient")}


def _as_given(given: object, which: str) -> object:
    """A form's answers as the Python answer of a course made before the forms."""
    if not isinstance(given, FormAnswers):
        return given
    return {"posting": posting_from, "reconcile": reconcile_from, "denial": denial_from}[which](
        given
    )


def form_values(which: str, answer: Mapping[str, object]) -> dict[str, object]:
    """The form's values that say ``answer`` (a key, or a Python answer): the inverse of
    :func:`posting_from`, :func:`reconcile_from` and :func:`denial_from`."""
    if which != "posting":
        return {k: (str(v) if k == "plb_total" else v) for k, v in answer.items()}
    values: dict[str, object] = {}
    for k, (account, lines) in enumerate(answer.items(), 1):
        values[f"c{k}"] = account
        for n, amounts in enumerate(lines, 1):
            for (x, _), amount in zip(AMOUNTS, amounts, strict=True):
                values[f"c{k}_{x}.{n}"] = None if amount is None else cents(amount)
    return values


def filled_form(which: str, answer: Mapping[str, object]) -> str:
    """The form ``which`` filled in with ``answer`` (the model answer is the key's)."""
    return forms.fill_form(FORMS[which], form_values(which, answer))


def _answer_cell(which: str, answer: Mapping[str, object] | None) -> str:
    """A whole answer cell: the magic line and the form (blank when ``answer`` is None)."""
    text = filled_form(which, answer) if answer is not None else forms.blank_form(FORMS[which])
    return f"{magic(which)}\n{text}"


# -- the self-checks (the visible part of each test cell; never an answer) ----------------------
def check_posting(given: object, remit: Remittance) -> str:
    """Each posted line against its charge (the 835 shows both); AssertionError, saying
    what to fix, when a claim, a line or an amount is missing."""
    posting = _as_given(given, "posting")
    charges = {c.patient_account: [ln.charge for ln in c.lines] or [c.charge] for c in remit.claims}
    assert isinstance(posting, dict) and set(posting) == set(charges), (
        f"give each of the three claims by its number: {', '.join(charges)}"
    )
    out = []
    for account, lines in posting.items():
        want = len(charges[account])
        assert len(lines) == want, f"{account} needs {want} line(s)"
        assert all(len(t) == 3 and all(cents(x) is not None for x in t) for t in lines), (
            f"{account}: give three amounts on every line, e.g. paid 7.20, contractual 6.00, "
            "patient 1.80"
        )
        for n, (t, charge) in enumerate(zip(lines, charges[account], strict=True), 1):
            total = sum(cents(x) for x in t)  # type: ignore[misc]
            said = (
                "adds up to the charge" if total == charge else f"adds up to {total}, not {charge}"
            )
            out.append(f"{account} line {n} {said}")
    return "\n".join(out)


def check_reconcile(given: object, remit: Remittance) -> str:
    """The BPR payment to compare with; AssertionError when an answer is missing."""
    answer = _as_given(given, "reconcile")
    assert isinstance(answer, dict) and set(answer) == {"claims_paid", "plb_total", "balances"}, (
        "keep the keys claims_paid, plb_total and balances"
    )
    assert cents(answer["claims_paid"]) is not None and cents(answer["plb_total"]) is not None, (
        "give both sums as amounts"
    )
    assert isinstance(answer["balances"], bool), "answer whether it balances with Y or N"
    return f"payment in BPR: {remit.payment}"


def check_denial(given: object, remit: Remittance) -> None:
    """AssertionError unless the answer names a claim of the 835 and says Y or N."""
    answer = _as_given(given, "denial")
    assert isinstance(answer, dict) and set(answer) == {"denied_claim", "bill_patient"}, (
        "keep the keys"
    )
    assert answer["denied_claim"] in {c.patient_account for c in remit.claims}, (
        "give a claim number from the 835, e.g. MGF-10560"
    )
    assert isinstance(answer["bill_patient"], bool), "answer whether to bill with Y or N"


# -- grading helpers (called by the hidden tests) -------------------------------------------
def _posted(lines: object) -> list[tuple[Decimal | None, ...]] | None:
    try:
        return [tuple(cents(x) for x in t) for t in lines]  # type: ignore[union-attr]
    except TypeError:
        return None


def score_posting(
    given: object, key: Mapping[str, Sequence[Sequence[str]]], points: float
) -> PartScore:
    """One share of ``points`` per claim whose every line (paid, contractual, patient) is right.

    ``given``: the posting form, or the dict of a course made before the forms."""
    given = _as_given(given, "posting")
    answer = given if isinstance(given, Mapping) else {}
    right, wrong, items = [], [], []
    for account, lines in key.items():
        want = [tuple(Decimal(x) for x in t) for t in lines]
        ok = _posted(answer.get(account, [])) == want
        (right if ok else wrong).append(account)
        items.append((account, _lines(want), _lines(_posted(answer.get(account, [])) or []), ok))
    return part_points(right, wrong, points, rows=shares(items, "posting", points))


def _lines(posted: Sequence[Sequence[Decimal | None]]) -> str:
    """Posted lines as text, e.g. '80.00/20.00/10.00; 45.00/5.00/0.00'."""
    return "; ".join("/".join("?" if x is None else f"{x:.2f}" for x in t) for t in posted)


# what the feedback calls each checked part: the form's words, not the key's names
SAID = {
    "claims_paid": "the sum of the claim payments",
    "plb_total": "the PLB sum (with its sign)",
    "balances": "whether BPR equals claims paid minus PLB",
    "denied_claim": "the denied claim",
    "bill_patient": "whether the patient may be billed",
}


def score_reconcile(given: object, key: Mapping[str, object], points: float) -> PartScore:
    """One share per part: the claims paid, the PLB total, whether BPR balances."""
    given = _as_given(given, "reconcile")
    answer = given if isinstance(given, Mapping) else {}
    checks = {
        "claims_paid": cents(answer.get("claims_paid")) == Decimal(str(key["claims_paid"])),
        "plb_total": cents(answer.get("plb_total")) == Decimal(str(key["plb_total"])),
        "balances": answer.get("balances") is key["balances"],
    }
    rows = shares([(k, key[k], answer.get(k), ok) for k, ok in checks.items()], "posting", points)
    return part_points(
        [SAID[k] for k, ok in checks.items() if ok],
        [SAID[k] for k, ok in checks.items() if not ok],
        points,
        rows=rows,
    )


def score_denial(given: object, key: Mapping[str, object], points: float) -> PartScore:
    """All or nothing: the denied claim, and whether its patient may be billed (PR only)."""
    given = _as_given(given, "denial")
    answer = given if isinstance(given, Mapping) else {}
    checks = {
        "denied_claim": answer.get("denied_claim") == key["denied_claim"],
        "bill_patient": answer.get("bill_patient") is key["bill_patient"],
    }
    right = [SAID[k] for k, ok in checks.items() if ok]
    wrong = [SAID[k] for k, ok in checks.items() if not ok]
    rows = shares([(k, key[k], answer.get(k), ok) for k, ok in checks.items()], "denials", points)
    return part_points(right, wrong, points, all_or_nothing=True, rows=rows)


def partial(correct: Mapping[str, str]) -> dict[str, str]:
    """Partly right answers from the course's own: the first claim posted right, the others
    with paid and contractual swapped; claims paid right, the PLB sign flipped; Q3 blank.

    Written on the forms (or in Python, for a course made before the forms)."""
    source = correct["q1_posting"]
    if not source.lstrip().startswith("%%answers"):
        return _partial_python(correct)
    posting = posting_from(forms.parse(FORMS["posting"], source))
    for account in list(posting)[1:]:
        posting[account] = [(c, p, r) for p, c, r in posting[account]]
    reconcile = reconcile_from(forms.parse(FORMS["reconcile"], correct["q2_reconcile"]))
    reconcile["plb_total"] = str(-cents(reconcile["plb_total"]) or Decimal("1.00"))  # type: ignore[operator]
    return {
        "q1_posting": _answer_cell("posting", posting),
        "q2_reconcile": _answer_cell("reconcile", reconcile),
        "q3_denial": _answer_cell("denial", None),
    }


def _partial_python(correct: Mapping[str, str]) -> dict[str, str]:
    posting = assigned(correct["q1_posting"], "posting")
    for account in list(posting)[1:]:
        posting[account] = [(c, p, r) for p, c, r in posting[account]]
    reconcile = assigned(correct["q2_reconcile"], "reconcile")
    reconcile["plb_total"] = -reconcile["plb_total"] or 1.0
    return {
        "q1_posting": f"posting = {literal(posting)}",
        "q2_reconcile": f"reconcile = {literal(reconcile)}",
        "q3_denial": 'q3 = {"denied_claim": "", "bill_patient": None}',
    }
