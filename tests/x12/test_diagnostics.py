"""``x12 read`` diagnostics beyond the envelope (issue P9 item 1): 835 money that does not
balance (X221A1 section 1.10.2), dates that are not dates, an 837 CLM02 that is not the sum of
its lines; each with its segment's ordinal in the file, its loop and its kind, while the rest
of the file is still read. Every check has cases that must fail and cases that must pass."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from x12_files import corrupted

from medbill_lab.x12.checks import amount, date_problem, period_problem
from medbill_lab.x12.interpret import READERS, interpret
from medbill_lab.x12.reader import NotX12, read_interchanges

CORPUS = Path(__file__).resolve().parents[1] / "data" / "x12"
ENVELOPE = (
    "ISA*00*          *00*          *ZZ*SAMPLEPAYER    *ZZ*SAMPLECLINIC   "
    "*261201*0900*^*00501*000000001*0*T*:~GS*HP*SAMPLEPAYER*SAMPLECLINIC*20261201*0900*1*X*"
    "005010X221A1~"
)
FIRST = 4  # ordinal of the first segment after ISA, GS and ST


def remit(*body: str) -> dict:
    """An 835 with these segments between ST and SE (counts right), read by ``x12 read``."""
    segments = ["ST*835*0001", *body]
    segments.append(f"SE*{len(segments) + 1}*0001")
    text = ENVELOPE + "~".join(segments) + "~GE*1*1~IEA*1*000000001~"
    return interpret(read_interchanges(text))


def of_kind(result: dict, kind: str) -> list[dict]:
    return [d for d in result["diagnostics"] if d["kind"] == kind]


def read(name: str) -> dict:
    return interpret(read_interchanges((CORPUS / name).read_bytes()))


def edited(name: str, old: str, new: str) -> dict:
    """A corpus file with the first ``old`` changed to ``new`` (the segment count unchanged)."""
    text = (CORPUS / name).read_text(encoding="utf-8")
    assert old in text, old
    return interpret(read_interchanges(text.replace(old, new, 1)))


# -- the building blocks ----------------------------------------------------------------
@pytest.mark.parametrize("text", ["12.50", "-3", "0", ".5", "1000", "-0.01", "50."])
def test_x12_amounts(text: str) -> None:
    assert amount(text) is not None


@pytest.mark.parametrize("text", ["", "1,000.00", "12.5O", "+5", "NaN", "1e3", " 5", "--1"])
def test_not_amounts(text: str) -> None:
    assert amount(text) is None


@pytest.mark.parametrize("value", ["20261110", "20240229", "20261231", "19960911", "20000229"])
def test_calendar_dates(value: str) -> None:
    assert date_problem(value) is None


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("20260230", "not a calendar date"),  # 30 February
        ("20250229", "not a calendar date"),  # 2025 is no leap year
        ("21000229", "not a calendar date"),  # nor is 2100
        ("20261341", "not a calendar date"),
        ("20002316", "not a calendar date"),  # month 23: the public managed-care BPR16
        ("20261300", "not a calendar date"),
        ("00001110", "not a calendar date"),
        ("2026111", "8 digits"),
        ("261110", "8 digits"),
        ("202611100", "8 digits"),
        ("2026-11-10", "8 digits"),
        ("", "8 digits"),
    ],
)
def test_not_dates(value: str, why: str) -> None:
    assert why in (date_problem(value) or "")


@pytest.mark.parametrize(
    ("form", "value", "ok"),
    [
        ("D8", "20261105", True),
        ("RD8", "20261101-20261105", True),
        ("RD8", "20261105-20261105", True),
        ("DT", "200506170800", True),
        ("DT", "202611052359", True),
        ("D8", "20261305", False),
        ("RD8", "20261105-20261101", False),  # ends before it starts
        ("RD8", "20261105", False),  # one date under RD8
        ("RD8", "20261101-20261131", False),
        ("DT", "202611052400", False),
        ("DT", "202611051260", False),
        ("DT", "20261105", False),
    ],
)
def test_dtp_formats(form: str, value: str, ok: bool) -> None:
    assert (period_problem(form, value) is None) is ok


# -- 835 transaction balancing: BPR02 = sum of CLP04 - sum of PLB -----------------------
def test_own_unbalanced_bpr_says_both_figures_and_the_difference() -> None:
    out = read("835/own-unbalanced-bpr.835")
    (found,) = out["diagnostics"]
    assert (found["severity"], found["segment"], found["loop"], found["kind"]) == (
        "error",
        4,
        "header",
        "balance",
    )
    for figure in ("BPR02", "228.40", "218.40", "off by 10.00", "PLB", "X221A1"):
        assert figure in found["message"]
    assert out["transactions"][0]["payment"] == "228.40"  # still read
    assert len(out["transactions"][0]["claims"]) == 2


@pytest.mark.parametrize(
    "name",
    [
        "835/lfh-managed-care.835",  # claim-level and line-level CAS on one claim
        "835/lfh-cob-contractual-adjustment.835",  # a negative OA 94
        "835/lfh-medicare-part-a.835",  # a negative PLB, no service lines
        "835/lfh-secondary-payment.835",  # two adjustments in one CAS
        "835/edi835parser-emedny.txt",
        "835/edi835parser-uhc-legacy.txt",
        "835/pyx12-835-mult-loops.txt",  # zero payment, denied claims
        "835/own-reversal-correction-denial.835",  # CLP02 22 with negative amounts
        "835/own-status-19-20-21-23-25-moa-mia.835",  # PLB WO and negative L6 interest
        "835/own-two-st-one-gs.835",
        "835/own-zero-payment-non.835",
        "835/own-pipe-caret-newline.835",
        "835/own-gt-component-separator.835",
        "835/own-bad-date.835",
    ],
)
def test_files_whose_money_balances_get_no_balance_diagnostic(name: str) -> None:
    out = read(name)
    assert out["transactions"] and all(t["type"] == "835" for t in out["transactions"])
    assert of_kind(out, "balance") == [] and of_kind(out, "bad amount") == []


def test_the_published_4010_835_is_unbalanced_as_its_readme_says() -> None:
    (found,) = of_kind(read("835/pyx12-835-simple-4010.txt"), "balance")
    assert "5950.21" in found["message"] and "467.69" in found["message"]


CLAIM_100 = ("CLP*C1*1*100.00*80.00*20.00*12", "CAS*CO*45*20.00")


@pytest.mark.parametrize(
    ("bpr", "plb", "off_by"),
    [
        ("80.00", [], None),
        ("80", [], None),  # amounts without decimals
        ("55.00", ["PLB*1234567893*20261231*WO*25.00"], None),  # taken back
        ("83.50", ["PLB*1234567893*20261231*L6*-3.50"], None),  # interest paid
        ("53.50", ["PLB*1234567893*20261231*WO*25.00*L6:X*1.50"], None),  # two in one PLB
        ("80.00", ["PLB*1234567893*20261231*WO*25.00"], "25.00"),  # the PLB forgotten
        ("80.01", [], "0.01"),  # a penny
        ("79.99", [], "-0.01"),
        ("-80.00", [], "-160.00"),
    ],
)
def test_bpr02_against_claims_and_plb(bpr: str, plb: list[str], off_by: str | None) -> None:
    out = remit(f"BPR*I*{bpr}*C*CHK", "TRN*1*T1*1", *CLAIM_100, *plb)
    found = of_kind(out, "balance")
    if off_by is None:
        assert found == []
    else:
        (one,) = found
        assert one["segment"] == FIRST and one["loop"] == "header"
        assert f"off by {off_by})" in one["message"]


# -- 835 claim and service line balancing ---------------------------------------------
@pytest.mark.parametrize(
    ("segments", "problems"),
    [
        # claim-level adjustments only
        (["CLP*C1*1*100.00*80.00*20.00*12", "CAS*PR*1*20.00"], []),
        (["CLP*C1*1*100.00*80.00*20.00*12", "CAS*PR*1*19.99"], [("2100", "-0.01")]),
        (["CLP*C1*4*100.00*0*0*12", "CAS*CO*50*100"], []),  # denied, all written off
        (["CLP*C1*1*100.00*80.00*20.00*12"], [("2100", "-20.00")]),  # no CAS at all
        # line-level adjustments, counted for the claim too
        (
            [
                "CLP*C1*1*150.00*92.40*23.10*12",
                "SVC*HC:99213*150.00*92.40**1",
                "CAS*CO*45*34.50",
                "CAS*PR*3*23.10",
            ],
            [],
        ),
        # claim level and line level on one claim (the TR3 allows both, never the same money)
        (
            [
                "CLP*C1*1*800.00*450.00*300.00*12",
                "CAS*CO*A2*50.00",
                "SVC*HC:99211*800.00*500.00**1",
                "CAS*PR*1*300.00",
            ],
            [],
        ),
        # the line is wrong, the claim (CLP03 - all CAS = CLP04) is right
        (
            [
                "CLP*C1*1*100.00*80.00*0*12",
                "SVC*HC:99213*100.00*70.00**1",
                "CAS*CO*45*20.00",
            ],
            [("2110", "-10.00")],
        ),
        # a line adjustment missing: both the line and the claim are off
        (
            [
                "CLP*C1*1*120.00*80.00*0*12",
                "SVC*HC:99213*100.00*80.00**1",
                "CAS*CO*45*20.00",
                "SVC*HC:36415*20.00*0**1",
            ],
            [("2100", "-20.00"), ("2110", "-20.00")],
        ),
        # several reasons in one CAS (CAS02-04, CAS05-07, ...)
        (
            [
                "CLP*C1*1*300.00*80.00*150.00*12",
                "SVC*HC:99214*300.00*80.00**1",
                "CAS*PR*1*100.00**2*50.00",
                "CAS*CO*45*70.00",
            ],
            [],
        ),
        # a negative adjustment (OA 94, processed in excess of charges) adds to the payment
        (["CLP*C1*2*100.00*110.00*0*12", "CAS*OA*94*-10.00"], []),
    ],
)
def test_claim_and_line_balancing(segments: list[str], problems: list[tuple[str, str]]) -> None:
    out = remit("BPR*I*0*C*NON", *segments, "PLB*1*20261231*WO*0")
    # BPR02 0 balances only when CLP04 is 0: keep that check out of this test
    found = [d for d in of_kind(out, "balance") if d["loop"] != "header"]
    assert [(d["loop"], d["message"].split("off by ")[1].split(")")[0]) for d in found] == (
        problems
    )
    for d in found:
        segment = segments[d["segment"] - FIRST - 1]  # BPR comes first
        assert segment.startswith("CLP" if d["loop"] == "2100" else "SVC")
    assert len(out["transactions"][0]["claims"]) == 1  # still read


@pytest.mark.parametrize(
    ("cas", "balanced"),
    [
        (["CAS*CO*45*-34.50", "CAS*PR*3*-23.10"], True),
        (["CAS*CO*45*34.50", "CAS*PR*3*23.10"], False),  # a reversal's CAS keep the sign
        (["CAS*CO*45*-34.50"], False),
    ],
)
def test_a_reversal_balances_with_negative_amounts(cas: list[str], balanced: bool) -> None:
    out = remit(
        "BPR*I*-92.40*C*NON",
        "CLP*C1*22*-150.00*-92.40*-23.10*12",
        "SVC*HC:99213*-150.00*-92.40**1",
        *cas,
    )
    found = of_kind(out, "balance")
    assert (found == []) is balanced
    if not balanced:
        assert {d["loop"] for d in found} == {"2100", "2110"}
        assert out["transactions"][0]["claims"][0]["status"] == "22"


def test_a_reversal_and_its_correction_net_in_the_bpr_total() -> None:
    out = read("835/own-reversal-correction-denial.835")
    (tx,) = out["transactions"]
    assert [c["status"] for c in tx["claims"]] == ["22", "1", "4"]
    assert tx["payment"] == "7.60"  # -92.40 + 100.00 + 0.00
    assert out["diagnostics"] == []


@pytest.mark.parametrize(
    ("segments", "element", "loop"),
    [
        (["CLP*C1*1*100.00*abc*0*12", "CAS*CO*45*20"], "CLP04 (paid) 'abc'", "2100"),
        (["CLP*C1*1**80*0*12", "CAS*CO*45*20"], "CLP03 (charge) is empty", "2100"),
        (["CLP*C1*1*100*80*0*12", "CAS*CO*45*2O.00"], "CAS CO-45 amount '2O.00'", "2100"),
        (["CLP*C1*1*100*80*0*12", "CAS*CO*45"], "CAS CO-45 amount is empty", "2100"),
        (
            ["CLP*C1*1*100*80*0*12", "SVC*HC:99213*1,00.00*80**1"],
            "SVC02 (charge) '1,00.00'",
            "2110",
        ),
        (["CLP*C1*1*100*80*0*12", "SVC*HC:99213*100"], "SVC03 (paid) is empty", "2110"),
        (
            ["CLP*C1*1*100*80*0*12", "SVC*HC:99213*100*80", "CAS*CO*45*2,0"],
            "CAS CO-45 amount '2,0'",
            "2110",
        ),
        (["CLP*C1*1*100*80*0*12", "CAS*CO*45*20", "PLB*1*2026*WO*x"], "PLB amount 'x'", "summary"),
        (
            ["CLP*C1*1*100*80*0*12", "CAS*CO*45*20", "PLB*1*2026*WO"],
            "PLB amount is empty",
            "summary",
        ),
        (["CLP*C1"], "CLP03 (charge) is empty", "2100"),
    ],
)
def test_amounts_that_are_not_amounts_are_diagnostics(
    segments: list[str], element: str, loop: str
) -> None:
    out = remit("BPR*I*80*C*CHK", *segments)
    (bad,) = (d for d in of_kind(out, "bad amount") if element in d["message"])
    assert "cannot be balanced" in bad["message"] and bad["loop"] == loop
    assert segments[bad["segment"] - FIRST - 1].startswith(element[:3])  # BPR comes first
    assert len(out["transactions"][0]["claims"]) == 1


def test_a_bpr02_that_is_not_an_amount() -> None:
    out = remit("BPR*I*ten*C*CHK", *CLAIM_100)
    (bad,) = of_kind(out, "bad amount")
    assert "BPR02 (total payment) 'ten'" in bad["message"] and bad["segment"] == FIRST
    assert of_kind(out, "balance") == []


# -- dates ------------------------------------------------------------------------------
def test_own_bad_date_835_names_the_dtm_its_segment_and_loop() -> None:
    out = read("835/own-bad-date.835")
    (found,) = out["diagnostics"]
    assert (found["kind"], found["segment"], found["loop"]) == ("bad date", 19, "2110")
    assert "DTM*472" in found["message"] and "20261341" in found["message"]
    service = out["transactions"][0]["claims"][0]["services"][0]
    assert service["date"] == "20261341"  # read as the file gives it


@pytest.mark.parametrize(
    ("segment", "loop", "ok"),
    [
        ("DTM*405*20261130", "header", True),
        ("DTM*405*20261131", "header", False),
        ("DTM*405*2026113", "header", False),
        ("DTM*050*20260230", "2100", False),
        ("DTM*036*20261231", "2100", True),
        ("DTM*232*20251301", "2100", False),
        ("DTM*233*", "2100", False),
        ("DTM*150*20250229", "2110", False),
        ("DTM*151*20240229", "2110", True),
        ("DTM*472*261110", "2110", False),
    ],
)
def test_835_dtm_dates(segment: str, loop: str, ok: bool) -> None:
    place = {"header": 2, "2100": 3, "2110": 5}[loop]
    body = [
        "BPR*I*80*C*CHK************20261201",
        "TRN*1*T1*1",
        "CLP*C1*1*100*80*0*12",
        "SVC*HC:99213*100*80**1",
        "CAS*CO*45*20",
    ]
    body.insert(place, segment)
    out = remit(*body)
    found = of_kind(out, "bad date")
    assert (found == []) is ok
    if not ok:
        (one,) = found
        assert (one["segment"], one["loop"]) == (FIRST + place, loop)
        assert segment.split("*")[1] in one["message"]
    assert of_kind(out, "balance") == []


@pytest.mark.parametrize(
    ("bpr16", "ok"), [("20261201", True), ("20261232", False), ("2612", False)]
)
def test_835_bpr16_payment_date(bpr16: str, ok: bool) -> None:
    out = remit(f"BPR*I*80*C*CHK************{bpr16}", "CLP*C1*1*100*80*0*12", "CAS*CO*45*20")
    found = of_kind(out, "bad date")
    assert (found == []) is ok
    assert all("BPR16" in d["message"] and d["segment"] == FIRST for d in found)


@pytest.mark.parametrize(
    ("name", "old", "new", "loop"),
    [
        ("837P/own-cob-two-clm-one-hl.837", "DTP*472*D8*20261112", "DTP*472*D8*20261131", "2400"),
        ("837P/own-cob-two-clm-one-hl.837", "DTP*472*D8*20261112", "DTP*472*RD8*20261112", "2400"),
        ("837P/lfh-example1.837", "DTP*472*D8*20061003", "DTP*472*D8*2006103", "2400"),
        (
            "837I/own-x223a2-outpatient.837i",
            "DTP*434*RD8*20261105-20261105",
            "DTP*434*RD8*20261105-20261104",
            "2300",
        ),
        (
            "837I/lfh-ppo-repriced-claim.837i",
            "DTP*435*DT*200507060800",
            "DTP*435*DT*200507062500",
            "2300",
        ),
    ],
)
def test_837_dtp_dates_that_are_not_dates(name: str, old: str, new: str, loop: str) -> None:
    assert of_kind(read(name), "bad date") == []
    out = edited(name, old, new)
    (found,) = of_kind(out, "bad date")
    assert found["loop"] == loop and new.split("*")[1] in found["message"]
    assert out["transactions"][0]["claims"]  # still read


@pytest.mark.parametrize(
    ("old", "new", "what", "loop"),
    [
        ("DMG*D8*19500202*M", "DMG*D8*19500230*M", "DMG02 (birth date)", "2010BA"),
        ("DMG*D8*19500202*M", "DMG*D8*1950022*M", "DMG02 (birth date)", "2010BA"),
        ("BHT*0019*00*SMPBATCH01*20261201", "BHT*0019*00*SMPBATCH01*20261301", "BHT04", "HEADER"),
    ],
)
def test_837_birth_and_creation_dates(old: str, new: str, what: str, loop: str) -> None:
    name = "837I/own-x223a2-outpatient.837i"
    assert of_kind(read(name), "bad date") == []
    (found,) = of_kind(edited(name, old, new), "bad date")
    assert what in found["message"] and found["loop"] == loop


def test_837_bad_dates_are_placed_at_their_segment() -> None:
    out = edited("837P/own-cob-two-clm-one-hl.837", "DTP*573*D8*20261120~", "DTP*573*D8*X~")
    (found,) = of_kind(out, "bad date")
    assert found["segment"] == 36 and found["loop"] == "2430"  # line adjudication date


# -- 837 claim totals: CLM02 = sum of SV102 / SV203 -------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        "837P/own-cob-two-clm-one-hl.837",
        "837P/lfh-example1.837",
        "837P/lfh-cob-example4.837",
        "837P/lfh-ambulance-example5.837",
        "837I/own-x223a2-outpatient.837i",
        "837I/lfh-two-claims-single-provider.837i",
        "837I/lfh-ppo-repriced-claim.837i",
    ],
)
def test_837_claims_whose_lines_add_up(name: str) -> None:
    assert of_kind(read(name), "balance") == []


@pytest.mark.parametrize(
    ("name", "old", "new", "segment", "off_by", "element"),
    [
        ("837P/own-cob-two-clm-one-hl.837", "*250.00***", "*250.01***", 20, "0.01", "SV102"),
        (
            "837P/own-cob-two-clm-one-hl.837",
            "SV1*HC:99396*95.00",
            "SV1*HC:99396*90",
            43,
            "5.00",
            "SV102",
        ),
        ("837I/own-x223a2-outpatient.837i", "*640.00***", "*520.00***", 20, "-120.00", "SV203"),
    ],
)
def test_837_claim_total_not_the_sum_of_its_lines(
    name: str, old: str, new: str, segment: int, off_by: str, element: str
) -> None:
    out = edited(name, old, new)
    (found,) = of_kind(out, "balance")
    assert (found["segment"], found["loop"]) == (segment, "2300")
    assert f"off by {off_by})" in found["message"] and element in found["message"]


def test_public_837s_whose_totals_do_not_add_up_are_reported() -> None:
    # as published: CLM02 500 for one 12.25 line (ims), 21 for two 21 lines (pyx12 4010)
    assert len(of_kind(read("837P/ims-valid.txt"), "balance")) == 2
    assert len(of_kind(read("837P/pyx12-simple-837p-4010.txt"), "balance")) == 2
    assert len(of_kind(read("837I/ims-x223-test.txt"), "balance")) == 1


@pytest.mark.parametrize(
    "name", ["837P/own-cob-two-clm-one-hl.837", "837I/own-x223a2-outpatient.837i"]
)
def test_an_837_with_no_clm_reads_as_no_claims_with_one_warning(name: str) -> None:
    segments = [s.strip() for s in (CORPUS / name).read_text(encoding="utf-8").split("~")]
    head = [s for s in segments if s[:3] in ("ISA", "GS*", "ST*", "BHT")]
    tail = [s for s in segments if s[:3] in ("GE*", "IEA")]
    out = interpret(read_interchanges("~".join([*head, "SE*3*0001", *tail]) + "~"))
    (tx,) = out["transactions"]
    assert tx["claims"] == [] and "note" not in tx
    (warning,) = out["diagnostics"]
    assert warning["severity"] == "warning" and "holds no claim" in warning["message"]
    assert (warning["segment"], warning["kind"]) == (3, "structure")


def test_837_charges_that_are_not_amounts() -> None:
    out = edited("837P/own-cob-two-clm-one-hl.837", "SV1*HC:99396*95.00", "SV1*HC:99396*9S.00")
    (bad,) = of_kind(out, "bad amount")
    assert "SV102" in bad["message"] and "9S.00" in bad["message"]
    assert (bad["segment"], bad["loop"]) == (52, "2400")
    assert of_kind(out, "balance") == []


# -- 837I dates in the reading ---------------------------------------------------------
def test_837i_lines_carry_their_service_dates_and_the_claim_its_statement_period() -> None:
    (tx,) = read("837I/own-x223a2-outpatient.837i")["transactions"]
    (claim,) = tx["claims"]
    assert (claim["statement_from"], claim["statement_to"]) == ("2026-11-05", "2026-11-05")
    assert [(ln["date_from"], ln["date_to"]) for ln in claim["lines"]] == [
        ("2026-11-05", "2026-11-05"),
        ("2026-11-05", "2026-11-05"),
    ]
    (tx,) = read("837I/ims-x223-test.txt")["transactions"]  # an RD8 line period
    (line,) = tx["claims"][0]["lines"]
    assert (line["date_from"], line["date_to"]) == ("2005-03-14", "2005-03-25")
    assert tx["claims"][0]["statement_from"] == "2012-03-30"


def test_837i_dates_stay_with_their_own_claim_and_line() -> None:
    (tx,) = read("837I/lfh-two-claims-single-provider.837i")["transactions"]
    first, second = tx["claims"]
    assert first["statement_from"] == "2005-03-15" and second["statement_from"] == "2005-04-01"
    assert [ln["date_from"] for ln in first["lines"]] == ["2005-03-15", "2005-03-15"]
    assert [ln["date_from"] for ln in second["lines"]] == ["2005-04-01"]


def test_837i_bad_date_is_left_empty_and_said() -> None:
    out = edited(
        "837I/own-x223a2-outpatient.837i",
        "DTP*434*RD8*20261105-20261105",
        "DTP*434*RD8*20261105-20261131",
    )
    claim = out["transactions"][0]["claims"][0]
    assert (claim["statement_from"], claim["statement_to"]) == ("2026-11-05", "")
    assert len(of_kind(out, "bad date")) == 1


def test_837i_text_shows_the_statement_period_and_line_dates(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from medbill_lab.cli.app import main

    assert main(["x12", "read", str(CORPUS / "837I/ims-x223-test.txt")]) == 0
    out = capsys.readouterr().out
    assert "Statement period: 2012-03-30" in out
    assert "revenue code 0300 81099 2005-03-14 to 2005-03-25 charge 73.42" in out
    assert "CLM02 total charge 500 is not the sum" in out


def test_837p_lines_keep_their_dates_and_get_no_statement_period() -> None:
    (tx,) = read("837P/own-cob-two-clm-one-hl.837")["transactions"]
    assert tx["claims"][1]["lines"][0]["date_from"] == "2026-11-12"
    assert "statement_from" not in tx["claims"][0]


# -- never a traceback -----------------------------------------------------------------
BASES = [
    (CORPUS / name).read_bytes()
    for name in (
        "835/own-status-19-20-21-23-25-moa-mia.835",
        "835/lfh-managed-care.835",
        "835/own-reversal-correction-denial.835",
        "837P/own-cob-two-clm-one-hl.837",
        "837I/own-x223a2-outpatient.837i",
        "999/own-999-rejects-amt-2320.txt",
        "277CA/own-277ca-a2-and-a7.txt",
    )
]
KEYS = {"severity", "segment", "loop", "message", "kind"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=st.sampled_from(BASES),
    bom=st.booleans(),
    cut=st.integers(0, 2000),
    flips=st.lists(st.tuples(st.integers(0, 5000), st.sampled_from(b"*~:0.-9AZ ")), max_size=8),
    inserts=st.lists(
        st.tuples(st.integers(0, 5000), st.sampled_from(b"*~:|^>.-\r\nCLPSVCAS")), max_size=6
    ),
)
def test_a_truncated_or_corrupted_file_is_interpreted_without_an_exception(
    base: bytes, bom: bool, cut: int, flips: list, inserts: list
) -> None:
    data = corrupted(base, bom, cut, flips, inserts)
    try:
        parsed = read_interchanges(data)
    except NotX12 as refused:
        assert "\n" not in str(refused)
        return
    for transaction in parsed.transactions:  # the readers, not behind interpret's safety net
        reader = READERS.get(transaction.kind)
        if reader is not None and transaction.version.startswith("005010"):
            try:
                reader(transaction)
            except ValueError as refused:  # parse_837p: cut before its first CLM, ST01 mangled
                assert "no claim" in str(refused) or "is not an 837" in str(refused)
    result = interpret(parsed)
    assert set(result) == {"interchanges", "transactions", "diagnostics"}
    for d in result["diagnostics"]:
        assert set(d) == KEYS and d["severity"] in ("error", "warning")
        assert "\n" not in d["message"] and d["kind"]


@pytest.mark.parametrize("junk", ["", "abc", "-", ".", "1.2.3", "9" * 40, "\u00bd"])
def test_every_amount_and_date_of_an_835_replaced_by_junk(junk: str) -> None:
    text = (CORPUS / "835/own-status-19-20-21-23-25-moa-mia.835").read_text(encoding="utf-8")
    for segment_id in ("BPR", "CLP", "SVC", "CAS", "PLB", "DTM"):
        spoiled = "~".join(
            "*".join([p[0], *[junk if any(c.isdigit() for c in e) else e for e in p[1:]]])
            if p[:1] == [segment_id]
            else "*".join(p)
            for p in (s.split("*") for s in text.split("~"))
        )
        result = interpret(read_interchanges(spoiled))
        assert result["transactions"][0]["type"] == "835"
        assert "note" not in result["transactions"][0]
