"""The 835 writer and reader, and the 277CA, checked with pyx12."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from medbill_lab.claims import model as claims
from medbill_lab.payer.remittance import Adjustment, ProviderAdjustment, RemitClaim
from medbill_lab.payer.simulator import (
    PayerPolicy,
    Rejection,
    adjudicate,
    adjudicate_secondary,
    remit,
)
from medbill_lab.x12.core import segments
from medbill_lab.x12.x835 import parse_835, to_277ca, to_835, validate

ROOT = Path(__file__).resolve().parents[2]
CLEAN = sorted((ROOT / "datasets" / "claims").glob("clean-*"))
SAMPLE = ROOT / "datasets" / "remit" / "sample_835.txt"
D = Decimal
POLICY = PayerPolicy(
    deductible_remaining=D("60"),
    copay_em=D("20"),
    allowed={"99214": D("110.37")},
    non_covered=frozenset({"36415"}),
    prior_auth=frozenset({"20610"}),
)


@pytest.fixture(scope="module")
def remittance():
    batch = [claims.load(p) for p in CLEAN]
    results = [(c, adjudicate(c, POLICY)) for c in batch]
    first = results[0][1]
    assert isinstance(first, RemitClaim)
    secondary = adjudicate_secondary(batch[0], first, PayerPolicy())
    plb = [ProviderAdjustment("L6", "", D("-1.25")), ProviderAdjustment("WO", "X99", D("10"))]
    return remit(
        [*results, (batch[0], secondary)],
        batch[0].payer,
        batch[0].billing_provider,
        "EFT20260801",
        dt.date(2026, 8, 1),
        plb,
    )


def test_simulator_835_has_zero_pyx12_errors(remittance) -> None:
    assert len(remittance.claims) == len(CLEAN) + 1 and remittance.balances()
    validation = validate(to_835(remittance))
    assert validation.errors == [] and validation.ok


def test_round_trip(remittance) -> None:
    assert parse_835(to_835(remittance)) == [remittance]


def test_each_clean_claim_alone_round_trips_and_validates() -> None:
    for path in CLEAN:
        claim = claims.load(path)
        result = adjudicate(claim, POLICY)
        rem = remit(
            [(claim, result)], claim.payer, claim.billing_provider, "T1", dt.date(2026, 9, 1)
        )
        text = to_835(rem, control_number=7)
        assert validate(text).errors == [], path.name
        assert parse_835(text) == [rem]


def test_zero_payment_and_check() -> None:
    claim = claims.load(CLEAN[1])
    denied = adjudicate(claim, PayerPolicy(timely_filing_days=0))
    rem = remit([(claim, denied)], claim.payer, claim.billing_provider, "N1", dt.date(2026, 1, 2))
    assert rem.method == "NON" and rem.payment == 0
    assert validate(to_835(rem)).errors == []
    rem.method = "CHK"
    assert validate(to_835(rem)).errors == [] and parse_835(to_835(rem)) == [rem]


def test_many_adjustments_split_cas_segments() -> None:
    claim = claims.load(CLEAN[0])
    result = adjudicate(claim, POLICY)

    line = result.lines[0]  # 8 CO triples (kept before PR: CAS groups by code, in order)
    line.adjustments[1:1] = [Adjustment("CO", "253", D("0")) for _ in range(7)]
    rem = remit([(claim, result)], claim.payer, claim.billing_provider, "C1", dt.date(2026, 1, 2))
    text = to_835(rem)
    split = [
        s for s in segments(text) if s.startswith("CAS*CO*45*84.63*") or s.startswith("CAS*CO*253")
    ]
    assert [len(s.split("*")) for s in split] == [2 + 18 - 1, 2 + 6 - 1]  # 6 triples, then 2
    assert validate(text).errors == [] and parse_835(text) == [rem]


def test_hand_written_sample_parses_and_validates() -> None:
    text = SAMPLE.read_text()
    assert validate(text).errors == []
    (rem,) = parse_835(text)
    assert rem.trace_number == "CHK88213047" and rem.method == "CHK" and rem.payer_id == "LHP01"
    assert rem.payee_npi == "1748029356" and rem.paid_on == dt.date(2026, 3, 16)
    assert rem.balances() and rem.payment == D("236.8")
    assert [c.status for c in rem.claims] == ["1", "4", "1"]
    assert rem.claims[1].adjustments[0].carc == "29" and rem.claims[1].lines == []
    pt = rem.claims[2].lines[0]
    assert (pt.code, pt.modifiers, pt.units, pt.remarks) == ("97110", ["GP"], D(2), ["M16"])
    assert rem.claims[0].member_id == "LHP501776420"
    assert [p.reason for p in rem.provider_adjustments] == ["L6", "WO"]
    assert parse_835(to_835(rem)) == [rem]


def _corrupt(old: str, new: str) -> str:
    return SAMPLE.read_text().replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "segment"),
    [
        ("not x12 at all", "ISA"),
        (_corrupt("CLP*MGF-10560*1*300", "CLP*MGF-10560*1*3x0"), "CLP03"),
        (_corrupt("SE*", "SE*9"), "SE01"),
        (_corrupt("ST*835*0001", "ST*837*0001"), "ST"),
        (_corrupt("DTM*472*20260220", "DTM*472*20261340"), "DTM02"),
        (_corrupt("SVC*HC:99396", "SVC*99396"), "SVC01"),
        (_corrupt("LX*1~\n", "LX*1~\nCAS*CO*45*1~\n"), "CAS"),
        (_corrupt("SE*", "XX*"), "SE"),
    ],
)
def test_malformed_835_gives_one_line_value_error(text: str, segment: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_835(text)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(segment), message


def test_277ca_for_rejections_passes_pyx12() -> None:
    bad = claims.load(ROOT / "datasets" / "claims" / "edit-icd-invalid-header.json")
    rejections = [adjudicate(bad, PayerPolicy())]
    assert isinstance(rejections[0], Rejection)
    text = to_277ca(rejections)
    validation = validate(text)
    assert validation.errors == [] and validation.ok
    assert "STC*A7:255" in text and "TRN*2*MGF-10377" in text


@pytest.mark.parametrize(
    ("old", "new", "claim"),
    [
        ("CAS*CO*29", "CAS*CR*29", "MGF-10611"),  # claim level
        ("CAS*PR*1*5", "CAS*CR*1*5", "MGF-10560"),  # line level
    ],
)
def test_an_835_with_the_retired_cr_group_code_is_refused_with_a_diagnostic(
    old, new, claim
) -> None:
    text = _corrupt(old, new)
    assert new in text
    with pytest.raises(ValueError) as caught:
        parse_835(text)
    message = str(caught.value)
    assert "\n" not in message and message.startswith("CAS01: group code 'CR'")
    assert "not valid in 005010" in message and claim in message and "CLP02 22" in message


def test_every_other_invalid_group_code_is_refused_and_the_four_5010_codes_parse() -> None:
    from medbill_lab.payer.explain import GROUPS, group_text
    from medbill_lab.payer.remittance import GROUP_CODES

    assert set(GROUP_CODES) == set(GROUPS) == {"CO", "PR", "OA", "PI"}
    assert "retired" in group_text("CR")
    with pytest.raises(ValueError, match="CAS01: 'ZZ' is not a claim adjustment group code"):
        parse_835(_corrupt("CAS*CO*29", "CAS*ZZ*29"))
    for group in GROUP_CODES:
        (remit,) = parse_835(_corrupt("CAS*CO*29", f"CAS*{group}*29"))
        assert remit.claims[1].adjustments[0].group == group


def _unpad_isa(text: str) -> str:
    """The same file with the ISA's fields stripped of their padding (as some partners send)."""
    isa, rest = text.split("~", 1)
    return "*".join(f if n == 16 else f.strip() for n, f in enumerate(isa.split("*"))) + "~" + rest


@pytest.mark.parametrize(
    "path",
    [
        SAMPLE,
        ROOT / "tests/data/x12/835/lfh-medicare-part-a.835",
        ROOT / "tests/data/x12/835/edi835parser-emedny.txt",
        ROOT / "tests/data/x12/835/own-tilde-crlf.835",
    ],
)
def test_an_unpadded_isa_reads_the_same_as_the_padded_one(path: Path) -> None:
    # the ISA's fields are found by counting its separators, not at fixed columns: read
    # at the fixed columns, an unpadded ISA gave the wrong delimiters and a missing ST*835
    text = path.read_text(encoding="utf-8")
    padded = parse_835(text)
    assert padded and parse_835(_unpad_isa(text)) == padded
    assert parse_835(_unpad_isa(text).encode()) == padded  # the bytes of a file too


@pytest.mark.parametrize(
    "name",
    [
        "own-utf8-bom.835",
        "own-short-isa.835",
        "own-bom-crlf-short-isa.835",
        "own-gt-component-separator.835",
        "own-pipe-caret-newline.835",
    ],
)
def test_a_corpus_quirk_file_reads_as_its_standard_twin(name: str) -> None:
    # the corpus writes one 835 body (tests/data/x12/generate_own.py) in several shapes;
    # own-tilde-crlf.835 is its standard shape: a padded ISA, * : ~
    corpus = ROOT / "tests/data/x12/835"
    (standard,) = parse_835((corpus / "own-tilde-crlf.835").read_text(encoding="ascii"))
    assert standard.payment == D("218.40") and standard.trace_number == "SAMPLETRACE01"
    assert parse_835((corpus / name).read_bytes()) == [standard]


def test_a_rejected_cms1500_names_its_member_total_and_service_span_in_the_277ca() -> None:
    import dataclasses

    from medbill_lab.x12.x835 import _rejected_claim

    claim = claims.load(ROOT / "datasets" / "claims" / "edit-icd-invalid-header.json")
    first = claim.lines[0]
    lines = [
        dataclasses.replace(first, date_from=dt.date(2026, 3, 4), charge=Decimal("10.50")),
        dataclasses.replace(
            first, date_from=dt.date(2026, 3, 2), date_to=dt.date(2026, 3, 9), charge=Decimal(5)
        ),
        dataclasses.replace(first, date_from=dt.date(2026, 3, 6), date_to=None, charge=Decimal(1)),
    ]
    member, charge, span = _rejected_claim(dataclasses.replace(claim, lines=lines))
    assert member == claim.insured_id.strip().upper()
    assert (charge, span) == (Decimal("16.50"), (dt.date(2026, 3, 2), dt.date(2026, 3, 9)))
    assert _rejected_claim(dataclasses.replace(claim, lines=[]))[1:] == (Decimal(0), None)
    assert _rejected_claim(None) == ("", Decimal(0), None)
