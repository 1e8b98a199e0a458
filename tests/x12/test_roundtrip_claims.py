"""Our writers' files read back by ``x12 read`` (``interpret``, the JSON of
``medbill-lab x12 read --json``) as the claims and payments they were written from, in any
valid delimiters, with line breaks after the terminators and with a UTF-8 BOM (issue 13,
Tests: "our writer's output read back by the reader gives the same claims, through every
delimiter set and with a BOM")."""

from __future__ import annotations

import codecs
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from x12_files import BATCH, COB, OUR_835, OUR_837P, PRIOR, REMITTANCES

from medbill_lab.claims import model as claims
from medbill_lab.payer.remittance import RemitClaim
from medbill_lab.x12.interpret import interpret
from medbill_lab.x12.reader import Delimiters, read_interchanges
from medbill_lab.x12.x837p import PriorPayer


def read(data: bytes | str) -> dict:
    return interpret(read_interchanges(data))


def errors(out: dict) -> list[dict]:
    return [d for d in out["diagnostics"] if d["severity"] == "error"]


def money(value: object) -> Decimal:
    return Decimal(str(value))


# -- what a user relies on: the claims and payments, field by field ----------------------------
def claim_facts(found: dict) -> tuple:
    """One 837P claim of ``x12 read --json`` as the values a biller checks."""
    return (
        found["patient_control_number"],
        money(found["charge"]),
        found["subscriber"]["member_id"],
        found["payer"]["id"],
        [
            (o["sequence"], o["member_id"], o["payer_id"], money(o["paid"]))
            for o in found["other_payers"]
        ],
        found["diagnoses"],
        [
            (ln["code"], ln["modifiers"], money(ln["charge"]), money(ln["units"]), ln["date_from"])
            for ln in found["lines"]
        ],
    )


def written_facts(claim: claims.Claim, prior: PriorPayer | None) -> tuple:
    """The same values from the claim model our 837P was written from."""
    total = claim.line_total() if claim.total_charge is None else claim.total_charge
    others = [("P", prior.member_id, prior.payer.payer_id, prior.paid)] if prior else []
    return (
        claim.patient_account,
        total,
        claim.insured_id,
        claim.payer.payer_id,
        others,
        claim.diagnoses,
        [
            (ln.code, ln.modifiers, ln.charge, ln.units, ln.date_from.isoformat())
            for ln in claim.lines
        ],
    )


def remit_facts(found: dict) -> tuple:
    """One 835 claim payment of ``x12 read --json`` as the values a poster checks."""
    return (
        found["patient_control_number"],
        found["status"],
        money(found["charge"]),
        money(found["paid"]),
        money(found["patient_responsibility"]),
        [(a["group"], a["reason"], money(a["amount"])) for a in found["adjustments"]],
        found["remarks"],
        [
            (
                s["code"],
                money(s["paid"]),
                [(a["group"], a["reason"], money(a["amount"])) for a in s["adjustments"]],
                s["remarks"],
            )
            for s in found["services"]
        ],
    )


def paid_facts(claim: RemitClaim) -> tuple:
    """The same values from the simulator's remittance."""
    return (
        claim.patient_account,
        claim.status,
        claim.charge,
        claim.paid,
        claim.patient_responsibility,
        [(a.group, a.carc, a.amount) for a in claim.adjustments],
        [],
        [
            (
                ln.code,
                ln.paid,
                [(a.group, a.carc, a.amount) for a in ln.adjustments],
                ln.remarks,
            )
            for ln in claim.lines
        ],
    )


def test_our_837p_reads_back_as_the_claims_it_was_written_from() -> None:
    out = read(OUR_837P)
    assert out["diagnostics"] == []
    found = [c for t in out["transactions"] for c in t["claims"]]
    assert [t["type"] for t in out["transactions"]] == ["837P"]
    assert [claim_facts(c) for c in found] == [
        written_facts(c, PRIOR if n == COB else None) for n, c in enumerate(BATCH)
    ]
    assert len(found) == len(BATCH) > 5 and found[COB]["other_payers"]  # the COB claim is there


def test_our_835_reads_back_as_the_payments_the_simulator_made() -> None:
    out = read(OUR_835)
    assert out["diagnostics"] == []
    first, second = out["transactions"]
    for tx, rem in zip((first, second), REMITTANCES, strict=True):
        assert (tx["type"], tx["trace_number"], money(tx["payment"])) == (
            "835",
            rem.trace_number,
            rem.payment,
        )
        assert [remit_facts(c) for c in tx["claims"]] == [paid_facts(c) for c in rem.claims]
    # the payments carry what the property test below needs to compare
    assert any(c["services"] and c["paid"] != c["charge"] for c in first["claims"])
    assert {c["status"] for c in second["claims"]} == {"2"}
    assert any(s["remarks"] for c in first["claims"] for s in c["services"])
    assert second["provider_adjustments"] == [
        {"reason": "L6", "reference": "INT1", "amount": "-1.25"}
    ]


# -- every valid delimiter set, line breaks, a BOM ----------------------------------------------
# Characters the X12 basic and extended sets allow as delimiters that our files never hold as
# data (letters, digits, space and & ( ) - . occur in names, amounts and addresses).
DELIMITER_POOL = "*|^:>~!`{}+#@\\/%;=<?[]"


@st.composite
def delimiter_sets(draw) -> Delimiters:
    """Four distinct delimiters; the segment terminator may also be a newline."""
    element, component, repetition = draw(st.permutations(DELIMITER_POOL))[:3]
    others = [c for c in DELIMITER_POOL + "\n" if c not in (element, component, repetition)]
    return Delimiters(element, component, repetition, draw(st.sampled_from(others)))


def redelimited(text: str, marks: Delimiters, line_break: str, bom: bool) -> bytes:
    """``text`` (written with ``* : ^ ~``) in other delimiters, a line break after each
    terminator, and a UTF-8 BOM in front when asked."""
    moved = text.translate(str.maketrans("*:^~", "".join(marks)))
    if marks.segment != "\n":  # a newline terminator takes no second line break
        moved = moved.replace(marks.segment, marks.segment + line_break)
    return (codecs.BOM_UTF8 if bom else b"") + moved.encode()


STANDARD_837P = read(OUR_837P)
STANDARD_835 = read(OUR_835)
LINE_BREAKS = st.sampled_from(["", "\n", "\r\n"])


@settings(max_examples=150, deadline=None)
@given(marks=delimiter_sets(), line_break=LINE_BREAKS, bom=st.booleans())
def test_our_837p_in_any_delimiters_reads_as_the_same_claims(
    marks: Delimiters, line_break: str, bom: bool
) -> None:
    out = read(redelimited(OUR_837P, marks, line_break, bom))
    assert errors(out) == []
    assert out["transactions"] == STANDARD_837P["transactions"]


@settings(max_examples=150, deadline=None)
@given(marks=delimiter_sets(), line_break=LINE_BREAKS, bom=st.booleans())
def test_our_835_in_any_delimiters_reads_as_the_same_payments(
    marks: Delimiters, line_break: str, bom: bool
) -> None:
    out = read(redelimited(OUR_835, marks, line_break, bom))
    assert errors(out) == []
    assert out["transactions"] == STANDARD_835["transactions"]


# Two delimiter sets the property found broken, kept as plain cases:
def test_a_backslash_terminator_with_line_breaks_reads_as_the_same_claims() -> None:
    # the reader's line-break removal used the terminator as a re.sub template: "\\" crashed
    for text, standard in ((OUR_837P, STANDARD_837P), (OUR_835, STANDARD_835)):
        out = read(redelimited(text, Delimiters("/", "|", "^", "\\"), "\r\n", True))
        assert errors(out) == [] and out["transactions"] == standard["transactions"]


def test_a_star_or_tilde_component_separator_reads_as_the_same_claims() -> None:
    # valid when the element separator and terminator are others; the 837 reading rewrote
    # the set with "*" and "~" and lost its composites (every claim "could not be read")
    for marks in (Delimiters("|", "*", "^", ":"), Delimiters("!", "~", "^", "\n")):
        out = read(redelimited(OUR_837P, marks, "", False))
        assert errors(out) == [] and out["transactions"] == STANDARD_837P["transactions"]
        assert (
            read(redelimited(OUR_835, marks, "", False))["transactions"]
            == (STANDARD_835["transactions"])
        )


def test_a_delimiter_the_data_holds_does_not_read_as_the_same_claims() -> None:
    # must fail: with "-" as element separator, account numbers such as MGF-10231 split
    clash = read(OUR_837P.translate(str.maketrans("*", "-")))
    assert clash["transactions"] != STANDARD_837P["transactions"]
    first = clash["transactions"][0]["claims"][0]["patient_control_number"]
    assert first == "MGF" != BATCH[0].patient_account
