"""The strict readers (parse_835 for posting, parse_837p for claims) read what the tolerant
reader reads (issue P9): a file in any valid delimiters, with a byte-order mark, CRLF line
breaks or an ISA whose fields are not padded gives the same remittances and claims as the
standard file, and a file that is not X12, cut short or empty of what the caller expects is
one line of ValueError, never another exception."""

from __future__ import annotations

import codecs
import datetime as dt
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from x12_files import adjudicated_practice

from medbill_lab.claims import model as claims
from medbill_lab.cli import main
from medbill_lab.payer.remittance import ProviderAdjustment
from medbill_lab.payer.simulator import PayerPolicy, adjudicate, remit
from medbill_lab.x12.core import Delimiters, delimiters, standard_form
from medbill_lab.x12.reader import read_interchanges
from medbill_lab.x12.x835 import parse_835, to_835
from medbill_lab.x12.x837p import parse_837p, to_837p

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "x12"
CLEAN = sorted((ROOT / "datasets" / "claims").glob("clean-*"))
D = Decimal
STANDARD = Delimiters("*", ":", "^", "~")


def _our_835() -> str:
    """Our writer's 835: every clean claim adjudicated, plus the hand-written sample's
    remittance (PLB, LQ, check) written again, as two transaction sets."""
    batch = [claims.load(p) for p in CLEAN]
    policy = PayerPolicy(deductible_remaining=D("60"), copay_em=D("20"))
    plb = [ProviderAdjustment("L6", "", D("-1.25")), ProviderAdjustment("WO", "X99", D("10"))]
    first = remit(
        [(c, adjudicate(c, policy)) for c in batch],
        batch[0].payer,
        batch[0].billing_provider,
        "EFT20260801",
        dt.date(2026, 8, 1),
        plb,
    )
    (sample,) = parse_835((ROOT / "datasets" / "remit" / "sample_835.txt").read_text())
    return to_835([first, sample], control_number=7)


OUR_835 = _our_835()
OUR_837P = to_837p([claims.load(p) for p in CLEAN], when=dt.datetime(2026, 2, 1, 9, 30))
WANT_835 = parse_835(OUR_835)
WANT_837P = parse_837p(OUR_837P)


def _data_characters(text: str) -> set[str]:
    """Characters the file's data uses (a delimiter may not be one of them)."""
    return set(text) - set("*:^~")


POOL = "*|^:>~!`{}+#@"


@st.composite
def delimiter_sets(draw, text: str) -> Delimiters:
    """Four distinct delimiters none of which the file's data holds; the terminator may
    be a line break."""
    pool = [c for c in POOL if c not in _data_characters(text)]
    element, component, repetition = draw(st.permutations(pool))[:3]
    ends = [c for c in [*pool, "\n"] if c not in (element, component, repetition)]
    return Delimiters(element, component, repetition, draw(st.sampled_from(ends)))


def _unpad_isa(text: str) -> str:
    """The ISA with its fixed-width fields stripped (ISA01-ISA15), as some senders write it."""
    isa, rest = text[:105], text[105:]
    fields = isa.split("*")
    return "*".join([*(f.strip() for f in fields[:16]), fields[16]]) + rest


def reshaped(
    text: str, marks: Delimiters, *, bom: bool, crlf: bool, unpadded: bool, as_bytes: bool
) -> bytes | str:
    """One of our standard files (``* : ^ ~``, padded ISA) as an outside sender writes it."""
    if unpadded:
        text = _unpad_isa(text)
    text = text.translate(str.maketrans("*:^~", "".join(marks)))
    if crlf and marks.segment != "\n":
        text = text.replace(marks.segment, marks.segment + "\r\n")
    text = ("\ufeff" if bom else "") + text
    return text.encode() if as_bytes else text


SHAPES = {
    "bom": st.booleans(),
    "crlf": st.booleans(),
    "unpadded": st.booleans(),
    "as_bytes": st.booleans(),
}


def test_the_files_under_test_are_standard_and_hold_what_the_properties_compare() -> None:
    assert delimiters(OUR_835) == STANDARD and delimiters(OUR_837P) == STANDARD
    assert len(WANT_835) == 2 and sum(len(r.claims) for r in WANT_835) > len(CLEAN)
    assert len(WANT_837P) == len(CLEAN) and all(c["lines"] for c in WANT_837P)
    assert standard_form(OUR_835) is OUR_835  # a standard file is not copied


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(marks=delimiter_sets(OUR_835), **SHAPES)
def test_our_835_in_any_shape_posts_the_same_remittances(marks, bom, crlf, unpadded, as_bytes):
    data = reshaped(OUR_835, marks, bom=bom, crlf=crlf, unpadded=unpadded, as_bytes=as_bytes)
    assert read_interchanges(data).delimiters == marks  # the tolerant reader agrees
    assert parse_835(data) == WANT_835


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(marks=delimiter_sets(OUR_837P), **SHAPES)
def test_our_837p_in_any_shape_gives_the_same_claims(marks, bom, crlf, unpadded, as_bytes):
    data = reshaped(OUR_837P, marks, bom=bom, crlf=crlf, unpadded=unpadded, as_bytes=as_bytes)
    assert parse_837p(data) == WANT_837P


def test_a_utf16_file_reads_as_its_utf8_twin() -> None:
    data = codecs.BOM_UTF16_LE + OUR_835.replace("~", "~\r\n").encode("utf-16-le")
    assert parse_835(data) == WANT_835
    assert parse_837p(codecs.BOM_UTF16_BE + OUR_837P.encode("utf-16-be")) == WANT_837P


def test_two_interchanges_in_different_delimiters_read_as_both() -> None:
    pipe = Delimiters("|", ">", "^", "!")
    second = reshaped(OUR_835, pipe, bom=False, crlf=True, unpadded=True, as_bytes=False).replace(
        "000000007", "000000008"
    )
    both = parse_835(OUR_835 + "\r\n" + second)
    assert both == WANT_835 + WANT_835
    assert parse_837p(OUR_837P + reshaped(OUR_837P, pipe, **_PLAIN)) == WANT_837P + WANT_837P


_PLAIN = {"bom": False, "crlf": False, "unpadded": False, "as_bytes": False}


def test_a_later_interchange_whose_data_holds_the_first_ones_delimiter_is_refused() -> None:
    # "*" is the first interchange's element separator and data of the second: it cannot be
    # written with the first one's delimiters without splitting an element in two
    second = reshaped(OUR_835, Delimiters("|", ">", "^", "!"), **_PLAIN)
    second = second.replace("N1|PR|", "N1|PR|A*B ", 1)
    with pytest.raises(ValueError) as caught:
        parse_835(OUR_835 + second)
    message = str(caught.value)
    assert message.startswith("ISA: a later interchange uses other delimiters") and "'*'" in message


# -- must fail: one line of ValueError, nothing else ------------------------------------
@pytest.mark.parametrize(
    "data",
    [
        b"",
        "   \r\n",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3",
        "hello",
        "ISA",
        "ISA*garbage~",
        "GS*HP*A*B*20260201*0930*1*X*005010X221A1~ST*835*0001~",  # no ISA
        codecs.BOM_UTF8 + b"ISA1*00",  # a letter where the separator goes
        b"\x00\x01\x02ISA*" * 40,
    ],
)
@pytest.mark.parametrize("reader", [parse_835, parse_837p])
def test_what_is_not_x12_is_one_line_at_the_isa(reader, data) -> None:
    with pytest.raises(ValueError) as caught:
        reader(data)
    message = str(caught.value)
    assert message.startswith("ISA: not an X12 file") and "\n" not in message, message


@pytest.mark.parametrize(
    ("reader", "text", "step"),
    [(parse_835, OUR_835, 7), (parse_837p, OUR_837P, 5)],
    ids=["835", "837P"],
)
def test_a_file_cut_anywhere_is_one_line_of_value_error(reader, text, step) -> None:
    # every cut in the ISA, then every step-th character to the end: never a partial
    # read passed off as the whole file, never another exception type
    outside = reshaped(text, Delimiters("|", ">", "^", "\n"), **{**_PLAIN, "bom": True})
    for data, every in ((text, 1), (outside, 9)):
        whole = data.rstrip("~\n")  # a file may end without its last terminator
        assert reader(whole) == reader(data) == reader(text)
        for cut in [*range(0, 120), *range(120, len(whole), step)][::every]:
            try:
                reader(data[:cut])
            except ValueError as refused:
                assert "\n" not in str(refused), (cut, str(refused))
            else:
                raise AssertionError(f"cut at {cut} of {len(data)} read as a whole file")


def test_the_corpus_truncated_835_is_refused_at_its_missing_se() -> None:
    data = (CORPUS / "835" / "own-truncated.835").read_bytes()
    assert read_interchanges(data).transactions  # the tolerant reader reads what is there
    with pytest.raises(ValueError, match=r"^SE: the last transaction set has no SE trailer$"):
        parse_835(data)


def test_an_835_reader_says_when_the_file_holds_no_835() -> None:
    for name, kind in [("837P/ims-valid.txt", "837"), ("999/ims-999-accepted.txt", "999")]:
        with pytest.raises(ValueError, match=f"^ST: transaction set '{kind}' is not an 835$"):
            parse_835((CORPUS / name).read_bytes())
    envelope_only = OUR_835[:106] + "IEA*0*000000007~"
    with pytest.raises(ValueError, match=r"^ST: no 835 transaction set \(ST\*835\)"):
        parse_835(envelope_only)


def test_an_837p_without_a_claim_is_refused_not_read_as_zero_claims() -> None:
    # the ISA, GS, ST, header and 2000A/2010AA loops with the claim loops taken out
    segs = OUR_837P.split("~")
    first_subscriber = next(n for n, s in enumerate(segs) if s.startswith("HL*2*"))
    se = next(n for n, s in enumerate(segs) if s.startswith("SE*"))
    kept = [*segs[:first_subscriber], f"SE*{first_subscriber - 2 + 1}*0001", *segs[se + 1 :]]
    no_claim = "~".join(kept)
    assert read_interchanges(no_claim).transactions[0].kind == "837P"
    for data in (no_claim, "\ufeff" + _unpad_isa(no_claim)):
        with pytest.raises(ValueError, match=r"^CLM: the 837 holds no claim"):
            parse_837p(data)
    for name, kind in [("835/own-utf8-bom.835", "835"), ("277CA/ims-277ca-accepted.txt", "277")]:
        with pytest.raises(ValueError, match=f"^ST: transaction set '{kind}' is not an 837$"):
            parse_837p((CORPUS / name).read_bytes())


@pytest.mark.parametrize(
    "name",
    ["own-x222a2-bom-short-isa.837", "own-x222-gt-crlf.837", "ims-valid-different-separators.txt"],
)
def test_the_corpus_837ps_in_outside_shapes_give_their_claims(name: str) -> None:
    data = (CORPUS / "837P" / name).read_bytes()
    got = parse_837p(data)
    # the tolerant reader counts the same claims, and each has its charge and lines
    clms = [s for t in read_interchanges(data).transactions for s in t.segments if s.id == "CLM"]
    assert [c["account"] for c in got] == [s.element(1) for s in clms]
    assert [c["total"] for c in got] == [D(s.element(2)) for s in clms]
    assert all(c["lines"] and c["member_id"] for c in got)


# -- practice post through the CLI -------------------------------------------------------
TABLES = ("remittances", "payments", "adjustments")


@pytest.fixture(scope="module")
def practice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A small practice with its claims adjudicated: (database, one of its 835 files)."""
    return adjudicated_practice(tmp_path_factory.mktemp("tolerant"))


def _copy(db: Path, dest: Path) -> Path:
    with sqlite3.connect(db) as src, sqlite3.connect(dest) as out:
        src.backup(out)
    return dest


def _posted(db: Path) -> dict[str, object]:
    """What posting wrote: the remittance, and each claim's payments and adjustments."""
    with sqlite3.connect(db) as con:
        remits = con.execute("SELECT trace_number, paid_on, total_paid FROM remittances").fetchall()
        payments = con.execute(
            "SELECT claim_id, charge_id, amount FROM payments WHERE remittance_id IS NOT NULL "
            "ORDER BY claim_id, charge_id, amount"
        ).fetchall()
        adjustments = con.execute(
            "SELECT claim_id, charge_id, group_code, carc, amount FROM adjustments "
            "WHERE remittance_id IS NOT NULL ORDER BY claim_id, charge_id, group_code, carc, amount"
        ).fetchall()
    return {"remittances": remits, "payments": payments, "adjustments": adjustments}


@pytest.mark.sqlite_only  # drives the CLI on a SQLite file
def test_practice_post_of_an_outside_shaped_835_posts_what_the_standard_one_posts(
    practice, tmp_path, capsys
) -> None:
    db, standard_file = practice
    standard = standard_file.read_text(encoding="ascii")
    assert standard_form(standard) is standard  # our own 835 is the standard shape
    outside = tmp_path / "outside.835"
    outside.write_bytes(
        reshaped(
            standard,
            Delimiters("|", ">", "^", "~"),
            bom=True,
            crlf=True,
            unpadded=True,
            as_bytes=True,
        )
    )
    assert outside.read_bytes().startswith(codecs.BOM_UTF8 + b"ISA|00||00||ZZ|")
    (expected,) = parse_835(standard)
    results = {}
    for name, path in (("standard", standard_file), ("outside", outside)):
        copy = _copy(db, tmp_path / f"{name}.sqlite")
        capsys.readouterr()
        assert main(["practice", "post", str(path), "--db", str(copy)]) == 0
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        results[name] = (out, _posted(copy))
    assert results["outside"] == results["standard"]
    out, posted = results["outside"]
    assert f"Trace {expected.trace_number}: posted {len(expected.claims)} claims" in out
    ((trace, _, total),) = posted["remittances"]
    assert trace == expected.trace_number and D(str(total)) == expected.payment
    # every dollar the 835 paid and adjusted is in the ledger
    paid = sum((D(str(p[-1])) for p in posted["payments"]), D(0))
    assert paid == sum((c.paid for c in expected.claims), D(0)) > 0
    adjusted = sum((D(str(a[-1])) for a in posted["adjustments"]), D(0))
    assert adjusted == sum((a.amount for c in expected.claims for a in c.all_adjustments()), D(0))


@pytest.mark.parametrize(
    "name", ["lfh-cob-contractual-adjustment.835", "lfh-secondary-payment.835"]
)
def test_public_835s_whose_composites_ignore_isa16_post_what_x12_read_reads(name: str) -> None:
    # ISA16 says ":" but SVC01 is written "HC>55669": posting reads it as x12 read does
    from medbill_lab.x12.interpret import interpret

    data = (CORPUS / "835" / name).read_bytes()
    assert delimiters(standard_form(data)).component == ":"
    (remit_,) = parse_835(data)
    (read,) = interpret(read_interchanges(data))["transactions"]
    got = [
        (ln.code, ln.modifiers, str(ln.charge), str(ln.paid))
        for claim in remit_.claims
        for ln in claim.lines
    ]
    want = [
        (s["code"], s["modifiers"], s["charge"], s["paid"])
        for claim in read["claims"]
        for s in claim["services"]
    ]
    assert got == want and got and all(code.isdigit() for code, *_ in got)


def test_the_composite_separator_in_use_reaches_the_plb_and_resets_per_transaction() -> None:
    isa, body = OUR_835[:106], OUR_835[106:]
    assert isa.endswith(":~") and ">" not in body
    first, second = parse_835(isa + body.replace(":", ">"))  # ISA16 still says ":"
    assert [ln.code for c in first.claims for ln in c.lines] == [
        ln.code for c in WANT_835[0].claims for ln in c.lines
    ]
    assert [(a.reason, a.reference) for a in first.provider_adjustments] == [
        ("L6", ""),
        ("WO", "X99"),
    ]
    assert [ln.code for c in second.claims for ln in c.lines] == [
        ln.code for c in WANT_835[1].claims for ln in c.lines
    ]
    # an SVC01 with no component at all is still refused, in one line
    bad = OUR_835.replace("SVC*HC:", "SVC*HC", 1)
    with pytest.raises(ValueError, match=r"^SVC01: 'HC\d"):
        parse_835(bad)
