"""Reading 837Ps from outside: COB loops 2320/2330A/2330B stay the other payer's, and
every CLM is its own claim (issue P9 item 3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from medbill_lab.claims.model import (
    Address,
    Claim,
    Organization,
    Payer,
    Person,
    Provider,
    ServiceLine,
)
from medbill_lab.x12.x837p import (
    PriorLine,
    PriorPayer,
    outline,
    parse_837p,
    to_837p,
    trace,
    validate_837p,
)

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "x12" / "837P"
WHEN = dt.datetime(2026, 12, 1, 9, 0)


def read(name: str) -> list[dict]:
    return parse_837p((CORPUS / name).read_text(encoding="utf-8"))


def ids(claim: dict) -> tuple[str, str, str, list[tuple[str, str, str]]]:
    """Account, own member ID, own payer ID and each other payer's (SBR01, member, payer)."""
    others = [(o["sequence"], o["member_id"], o["payer_id"]) for o in claim["other_payers"]]
    return claim["account"], claim["member_id"], claim["payer_id"], others


# -- COB: the other payer's loops stay out of 2010BA/2010BB ------------------------------
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # secondary claim: 2010BA/BB are JACK SMITH / 567890, 2330A/B the primary's
        ("lfh-cob-example3-b.837", ("26407789", "222334444", "567890", [("P", "JS00111223333", "999996666")])),
        # the same with a 2330D other-payer rendering provider
        ("lfh-cob-example3-c.837", ("26407789", "22233444", "567890", [("P", "JS00111223333", "999996666")])),
        # Medicare secondary: 2320 with AMT*D and AMT*F2
        ("lfh-cob-example4.837", ("101KEN6055", "102200221B1", "10234", [("P", "COM188-404777", "59999")])),
        # primary claim whose 2320 comes after 2310C and has no 2330B
        ("lfh-cob-example3-a.837", ("26407789", "111223333", "999996666", [("S", "T55TY666", "")])),
    ],
)  # fmt: skip
def test_cob_claim_reports_its_own_member_and_payer_and_the_other_payer_apart(name, expected):
    (claim,) = read(name)
    assert ids(claim) == expected


def test_other_payer_paid_amount_and_subscriber_are_read_from_2320_and_2330a():
    (claim,) = read("lfh-cob-example3-b.837")
    (other,) = claim["other_payers"]
    assert other["paid"] == Decimal("39.15")
    assert other["subscriber"]["last"] == "SMITH" and other["subscriber"]["first"] == "JANE"
    assert claim["subscriber"]["first"] == "JACK"


def test_a_claim_without_cob_has_no_other_payers():
    (claim,) = read("lfh-example1.837")
    assert claim["other_payers"] == []
    assert (claim["member_id"], claim["payer_id"]) == ("JS00111223333", "999996666")


# -- claim boundaries: one claim per CLM -------------------------------------------------
def test_two_clm_under_one_subscriber_hl_are_two_claims_with_their_own_cob():
    first, second = read("own-cob-two-clm-one-hl.837")
    assert ids(first) == ("SMPCOB01", "SECMBR002", "SECPAY02", [("P", "PRIMBR001", "PRIPAY01")])
    assert ids(second) == ("SMPCOB02", "SECMBR002", "SECPAY02", [("P", "PRIMBR001", "PRIPAY01")])
    assert [o["paid"] for c in (first, second) for o in c["other_payers"]] == [
        Decimal("150.00"),
        Decimal("0"),
    ]
    assert [len(first["lines"]), len(second["lines"])] == [2, 1]
    assert (first["total"], second["total"]) == (Decimal("250.00"), Decimal("95.00"))
    assert second["diagnoses"] == ["Z00.00"]
    assert second["subscriber"] == first["subscriber"]
    assert second["billing_npi"] == first["billing_npi"] == "1234567893"


def test_4010_file_with_two_clm_under_one_hl_keeps_cob_on_the_first_claim_only():
    first, second = read("pyx12-simple-837p-4010.txt")
    assert ids(first) == ("3215338", "1212121", "8888888", [("P", "0000000004", "12128909")])
    assert ids(second) == ("5555", "1212121", "8888888", [])


def test_duplicate_hl_numbers_still_give_one_claim_per_clm():
    claims = read("ims-valid.txt")
    assert [c["account"] for c in claims] == ["A37YH556", "A37YH667"]
    assert all(len(c["lines"]) == 1 for c in claims)


def test_outline_gives_each_clm_its_own_claim_index_and_the_cob_loops():
    rows = outline((CORPUS / "own-cob-two-clm-one-hl.837").read_text())
    clm = [r for r in rows if r.segment.startswith("CLM*")]
    assert [r.claim for r in clm] == [0, 1]
    loops = {r.segment: r.loop for r in rows if r.claim == 0}
    assert loops["SBR*S*18*GRP2002******CI"] == "2000B"  # the claim's own subscriber
    assert loops["NM1*IL*1*DOE*JANE****MI*SECMBR002"] == "2010BA"
    assert loops["NM1*PR*2*SAMPLE SECONDARY PLAN*****PI*SECPAY02"] == "2010BB"
    assert loops["SBR*P*18*GRP1001******CI"] == "2320"
    assert loops["AMT*D*150.00"] == "2320"
    assert loops["NM1*IL*1*DOE*JANE****MI*PRIMBR001"] == "2330A"
    assert loops["NM1*PR*2*SAMPLE PRIMARY PLAN*****PI*PRIPAY01"] == "2330B"
    assert loops["SVD*PRIPAY01*110.00*HC:99214**1"] == "2430"
    assert loops["LX*1"] == "2400"


def test_a_line_provider_after_cob_is_in_its_2420_loop_not_2330():
    rows = outline((CORPUS / "lfh-cob-example4.837").read_text())
    by_segment = {r.segment: r.loop for r in rows}
    assert by_segment["AMT*F2*15.00"] == "2320"
    assert by_segment["NM1*DN*1*BRYHT*LEE*T"] == "2310A"  # before 2320: the claim's own
    assert by_segment["CAS*CO*42*25.00"] == "2430"


# -- the 999 tracer names loop 2320 ------------------------------------------------------
def test_999_error_on_amt_in_2320_is_traced_to_loop_2320_of_its_claim():
    text = (CORPUS / "own-cob-bad-amt-for-999.837").read_text()
    (error,) = validate_837p(text).errors
    # segment 23 of the file is segment 21 of the transaction: the 999's IK3*AMT*21*2320
    assert error.position == 23 and error.segment == "AMT"
    (found,) = trace(validate_837p(text), text, [])
    assert (found.loop, found.claim_index) == ("2320", 0)
    assert found.segment_text == "AMT*D*15O.00"


def test_999_error_on_the_second_claim_under_one_hl_is_traced_to_that_claim():
    text = (CORPUS / "own-cob-two-clm-one-hl.837").read_text()
    bad = text.replace("AMT*D*0~", "AMT*D*X~")
    (found,) = trace(validate_837p(bad), bad, [])
    assert (found.loop, found.claim_index) == ("2320", 1)


# -- our writer's secondary claims read back ---------------------------------------------
def secondary_claim(account: str = "SEC1", insured_id: str = "SECMBR9") -> Claim:
    home = Address("12 Elm St", "Springfield", "IL", "62704", "2175550123")
    office = Address("400 Oak Ave", "Springfield", "IL", "627011234", "2175550100")
    return Claim(
        program="group",
        insured_id=insured_id,
        patient=Person("Rivera", "Ana", "M", dt.date(1984, 3, 9), "F", home),
        payer=Payer("Second Plan", "SEC02", "CI"),
        diagnoses=["J06.9"],
        lines=[ServiceLine(dt.date(2026, 11, 3), "99213", Decimal("120.00"), ["A"])],
        tax_id="37-1234567",
        patient_account=account,
        billing_provider=Organization("Springfield Family Medicine", "1234567893", office),
        rendering_provider=Provider("Chen", "Lee", "1245319599"),
    )


def prior() -> PriorPayer:
    return PriorPayer(
        payer=Payer("First Plan", "PRI01", "CI"),
        member_id="PRIMBR7",
        subscriber=Person("Rivera", "Ana", "M", dt.date(1984, 3, 9), "F", None),
        relationship="self",
        group_number="G100",
        plan_name="",
        paid=Decimal("80.00"),
        adjudicated_on=dt.date(2026, 11, 20),
        lines=[PriorLine(Decimal("80.00"))],
    )


def test_our_secondary_claim_reads_back_with_both_payers_apart():
    batch = [secondary_claim(), secondary_claim("PLAIN2", "OWN22")]
    text = to_837p(batch, when=WHEN, prior_payers={0: prior()})
    assert validate_837p(text).errors == []
    first, second = parse_837p(text)
    assert ids(first) == ("SEC1", "SECMBR9", "SEC02", [("P", "PRIMBR7", "PRI01")])
    assert first["other_payers"][0]["paid"] == Decimal("80.00")
    assert ids(second) == ("PLAIN2", "OWN22", "SEC02", [])
    assert [line["code"] for line in first["lines"]] == ["99213"]
