"""The tolerant X12 reader: quirks of real files, envelope diagnostics, non-X12 input."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import re
import time
from importlib import resources
from pathlib import Path

import pytest
import pyx12.x12file
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from x12_files import corrupted

from medbill_lab.claims import model as claims
from medbill_lab.payer.simulator import PayerPolicy, adjudicate, remit
from medbill_lab.x12.core import segments as writer_segments
from medbill_lab.x12.reader import (
    VERSIONS,
    Delimiters,
    NotX12,
    find_delimiters,
    read_interchanges,
    split_segments,
)
from medbill_lab.x12.x835 import to_835
from medbill_lab.x12.x837p import to_837p

ROOT = Path(__file__).resolve().parents[2]
CLEAN = sorted((ROOT / "datasets" / "claims").glob("clean-*"))
SAMPLE_835 = ROOT / "datasets" / "remit" / "sample_835.txt"


# -- hand-written files ----------------------------------------------------------------
def isa(
    el: str = "*",
    comp: str = ":",
    rep: str = "^",
    term: str = "~",
    control: str = "000000001",
    padded: bool = True,
    version: str = "00501",
) -> str:
    """An ISA segment with these delimiters, padded to the standard width or not."""
    sender, receiver, blank = (
        ("A" + " " * 14, "B" + " " * 14, " " * 10) if padded else ("A", "B", "")
    )
    fields = ["00", blank, "00", blank, "ZZ", sender, "ZZ", receiver, "260201", "0930"]
    fields += [rep, version, control, "0", "T", comp]
    return "ISA" + el + el.join(fields) + term


def body_835(el: str = "*", comp: str = ":", term: str = "~", st02: str = "0001") -> list[str]:
    """One 835 transaction set's segments (ST..SE), SE01 counted right."""
    inner = [
        f"BPR{el}I{el}10{el}C{el}CHK",
        f"TRN{el}1{el}CHK1{el}1234567890",
        f"CLP{el}PCN1{el}1{el}20{el}10{el}{el}12{el}CLAIM1",
        f"SVC{el}HC{comp}99213{comp}25{el}20{el}10",
    ]
    seg_count = len(inner) + 2
    return [f"ST{el}835{el}{st02}{el}005010X221A1", *inner, f"SE{el}{seg_count}{el}{st02}"]


def interchange(
    el: str = "*",
    comp: str = ":",
    rep: str = "^",
    term: str = "~",
    control: str = "000000001",
    padded: bool = True,
    sets: int = 1,
) -> str:
    """A whole correct 835 interchange with ``sets`` transaction sets."""
    segs = [f"GS{el}HP{el}A{el}B{el}20260201{el}0930{el}7{el}X{el}005010X221A1"]
    for n in range(1, sets + 1):
        segs += body_835(el, comp, term, f"{n:04d}")
    segs += [f"GE{el}{sets}{el}7", f"IEA{el}1{el}{control}"]
    return isa(el, comp, rep, term, control, padded) + term.join(segs) + term


def ids(text: str | bytes) -> list[str]:
    return [s.id for s in read_interchanges(text).segments]


def messages(text: str | bytes) -> list[tuple[str, int, str]]:
    return [(d.severity, d.segment, d.segment_id) for d in read_interchanges(text).diagnostics]


def test_a_correct_file_reads_with_no_diagnostics() -> None:
    parsed = read_interchanges(interchange())
    assert parsed.diagnostics == [] and parsed.interchanges == 1
    (tx,) = parsed.transactions
    assert (tx.type, tx.version, tx.kind, tx.pyx12_map, tx.control_number) == (
        "835",
        "005010X221A1",
        "835",
        True,
        "0001",
    )
    assert [s.id for s in tx.segments] == ["ST", "BPR", "TRN", "CLP", "SVC", "SE"]
    assert [s.ordinal for s in tx.segments] == [3, 4, 5, 6, 7, 8]
    assert [s.ordinal_in_set for s in tx.segments] == [1, 2, 3, 4, 5, 6]
    assert tx.segments[4].elements == ("SVC", "HC:99213:25", "20", "10")
    assert parsed.segments[0].ordinal_in_set is None  # ISA is outside every set
    assert parsed.delimiters == Delimiters("*", ":", "^", "~")


@pytest.mark.parametrize(
    "prefix",
    [codecs.BOM_UTF8, b"", b"  \r\n\t", codecs.BOM_UTF8 + b"\n\n"],
    ids=["bom", "none", "whitespace", "bom+newlines"],
)
def test_a_bom_and_leading_whitespace_are_accepted(prefix: bytes) -> None:
    parsed = read_interchanges(prefix + interchange().encode())
    assert parsed.diagnostics == [] and len(parsed.transactions) == 1


def test_utf16_with_a_bom_is_accepted() -> None:
    for codec in ("utf-16", "utf-16-be"):
        data = interchange().encode(codec)
        data = data if codec == "utf-16" else codecs.BOM_UTF16_BE + data
        assert read_interchanges(data).diagnostics == [], codec


def test_a_bom_in_a_str_is_accepted() -> None:
    assert read_interchanges("\ufeff" + interchange()).diagnostics == []


def test_delimiters_come_from_the_isa_even_unpadded() -> None:
    text = interchange("|", ">", "{", "!", padded=False)
    parsed = read_interchanges(text)
    assert parsed.delimiters == Delimiters("|", ">", "{", "!")
    assert parsed.diagnostics == []
    svc = parsed.transactions[0].segments[4]
    assert svc.elements == ("SVC", "HC>99213>25", "20", "10")
    assert len(isa(padded=False)) < 106  # really short, and still read


def test_repetition_separator_only_from_version_00501_and_not_alphanumeric() -> None:
    assert find_delimiters(isa(rep="^"))[0].repetition == "^"
    assert find_delimiters(isa(rep="U", version="00501"))[0].repetition is None
    assert find_delimiters(isa(rep="^", version="00401"))[0].repetition is None
    assert find_delimiters(isa(rep="U", version="00401"))[0].repetition is None


@pytest.mark.parametrize("brk", ["\n", "\r\n", "\r"])
def test_line_breaks_after_terminators_are_ignored(brk: str) -> None:
    text = interchange().replace("~", "~" + brk)
    parsed = read_interchanges(text)
    assert parsed.diagnostics == []
    assert ids(text) == ids(interchange())


def test_indentation_and_blank_lines_between_segments_are_ignored() -> None:
    text = interchange().replace("~", "~ \n\t").replace("~ \n\tIEA", "~\n\n   \nIEA")
    assert messages(text) == [] and ids(text) == ids(interchange())
    blank = interchange().replace("~IEA", "~ \t ~IEA")  # whitespace alone between terminators
    assert messages(blank) == [("warning", 9, "")] and ids(blank) == ids(interchange())


def test_a_ta1_between_isa_and_gs_is_no_error_and_elsewhere_is() -> None:
    ta1 = "TA1*000000001*260201*0930*A*000~"
    text = interchange()
    at_gs = text.index("GS*")
    assert messages(text[:at_gs] + ta1 + text[at_gs:]) == []
    at_se = text.index("SE*")
    assert messages(text[:at_se] + ta1 + text[at_se:]) == [("error", 9, "SE")]  # SE01 now short


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_newline_terminator_works(newline: str) -> None:
    text = interchange(term="\n").replace("\n", newline)
    parsed = read_interchanges(text)
    assert parsed.diagnostics == []
    assert parsed.delimiters.segment == newline[0]  # with CRLF, the CR ends the segment
    assert ids(text) == ids(interchange())
    assert parsed.transactions[0].segments[-1].elements == ("SE", "6", "0001")


def test_several_interchanges_groups_and_sets_in_one_file() -> None:
    two_sets = interchange(sets=2)
    second = interchange(control="000000002", sets=1).replace(
        "005010X221A1", "005010X222A1"
    )  # an ST03 wins over GS08 only when present: both say 837P here
    text = two_sets + "\n" + second.replace("ST*835*0001*005010X222A1", "ST*837*0001")
    parsed = read_interchanges(text)
    assert parsed.interchanges == 2 and parsed.diagnostics == []
    assert [t.control_number for t in parsed.transactions] == ["0001", "0002", "0001"]
    assert [t.kind for t in parsed.transactions] == ["835", "835", "837P"]
    assert parsed.transactions[2].version == "005010X222A1"  # from GS08: no ST03
    third = parsed.transactions[2].segments
    assert third[0].ordinal == 19 and third[0].ordinal_in_set == 1


def test_interchanges_with_different_delimiters_in_one_file() -> None:
    first, second = interchange(), interchange("|", ">", "{", "!", "000000002", padded=False)
    parsed = read_interchanges(first + "\r\n" + second + "\n" + first)
    assert parsed.interchanges == 3 and parsed.diagnostics == []
    assert [i.delimiters.element for i in parsed.interchange_list] == ["*", "|", "*"]
    assert parsed.delimiters.element == "*"  # the first interchange's
    svc = [s.elements for s in parsed.segments if s.id == "SVC"]
    star, pipe = ("SVC", "HC:99213:25", "20", "10"), ("SVC", "HC>99213>25", "20", "10")
    assert svc == [star, pipe, star]
    assert [s.ordinal for s in parsed.segments] == list(range(1, 31))


def test_many_small_interchanges_read_in_linear_time() -> None:
    one, other = interchange(), interchange("|", ">", "{", "!")
    text = "".join(one if n % 2 else other for n in range(4000))  # ~1.6 MB, 4000 cuts
    start = time.perf_counter()
    parsed = read_interchanges(text)
    seconds = time.perf_counter() - start
    assert parsed.interchanges == 4000 and parsed.diagnostics == []
    assert seconds < 3.0, seconds


def test_st03_wins_over_gs08() -> None:
    text = interchange().replace("ST*835*0001*005010X221A1", "ST*835*0001*005010X222A2")
    assert read_interchanges(text).transactions[0].version == "005010X222A2"


# -- the version table -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("version", "st01", "kind", "mapped"),
    [
        ("005010X221A1", "835", "835", True),
        ("005010X222A1", "837", "837P", True),
        ("005010X222A2", "837", "837P", False),
        ("005010X222", "837", "837P", False),
        ("005010X223A2", "837", "837I", True),
        ("005010X223A3", "837", "837I", False),
        ("005010X214", "277", "277CA", True),
        ("005010X231A1", "999", "999", True),
    ],
)
def test_each_listed_version_says_its_kind_and_pyx12_map(version, st01, kind, mapped) -> None:
    text = interchange().replace("ST*835*0001*005010X221A1", f"ST*{st01}*0001*{version}")
    (tx,) = read_interchanges(text).transactions
    assert (tx.kind, tx.pyx12_map) == (kind, mapped)
    assert read_interchanges(text).diagnostics == []


def test_the_pyx12_flags_agree_with_the_maps_pyx12_ships() -> None:
    maps = (resources.files("pyx12") / "map" / "maps.xml").read_text()
    enabled: set[str] = set()
    for icvn in ("00501", "00401"):
        block = maps[maps.index(f'<version icvn="{icvn}">') :]
        block = re.sub(r"<!--.*?-->", "", block[: block.index("</version>")], flags=re.S)
        enabled |= set(re.findall(r'vriic="([^"]+)"', block))
    assert "005010X221A1" in enabled and "005010X212" not in enabled
    assert "004010X098A1" in enabled
    for version, info in VERSIONS.items():
        assert (version in enabled) == info.pyx12_map, version


def test_an_unknown_version_is_a_warning_and_still_read() -> None:
    text = interchange().replace("ST*835*0001*005010X221A1", "ST*837*0001*005010X223A9")
    parsed = read_interchanges(text)
    assert parsed.transactions[0].kind == "837I" and not parsed.transactions[0].pyx12_map
    assert messages(text) == [("warning", 3, "ST")]
    assert "005010X223A9" in parsed.diagnostics[0].message


# -- diagnostics: each must fail on its own fault ---------------------------------------
def test_se01_count_wrong() -> None:
    for wrong in ("SE*5*0001", "SE*7*0001", "SE**0001", "SE*X*0001", "SE*\u00b2*0001"):
        text = interchange().replace("SE*6*0001", wrong)
        assert messages(text) == [("error", 8, "SE")], wrong
        assert "SE01" in read_interchanges(text).diagnostics[0].message


def test_latin1_bytes_that_look_like_digits_are_a_diagnostic_not_a_crash() -> None:
    data = interchange().replace("SE*6*0001", "SE*6*000\u00b9").encode("latin-1")
    assert [(d.segment, d.segment_id) for d in read_interchanges(data).diagnostics] == [(8, "SE")]


def test_a_lost_segment_makes_se01_wrong() -> None:
    text = interchange().replace("TRN*1*CHK1*1234567890~", "")
    assert messages(text) == [("error", 7, "SE")]


def test_se02_does_not_match_st02() -> None:
    text = interchange().replace("SE*6*0001", "SE*6*0002")
    assert messages(text) == [("error", 8, "SE")]
    assert "ST02" in read_interchanges(text).diagnostics[0].message
    assert messages(interchange().replace("SE*6*0001", "SE*6*1")) == []  # same number


def test_ge01_count_wrong() -> None:
    for wrong in ("GE*2*7", "GE*0*7"):
        text = interchange().replace("GE*1*7", wrong)
        assert messages(text) == [("error", 9, "GE")], wrong
    assert messages(interchange(sets=2).replace("GE*2*7", "GE*1*7")) == [("error", 15, "GE")]


def test_ge02_does_not_match_gs06() -> None:
    text = interchange().replace("GE*1*7", "GE*1*8")
    assert messages(text) == [("error", 9, "GE")]
    assert "GS06" in read_interchanges(text).diagnostics[0].message


def test_iea01_count_wrong() -> None:
    text = interchange().replace("IEA*1*", "IEA*2*")
    assert messages(text) == [("error", 10, "IEA")]
    assert "IEA01" in read_interchanges(text).diagnostics[0].message


def test_iea02_does_not_match_isa13() -> None:
    text = interchange().replace("IEA*1*000000001", "IEA*1*000000009")
    assert messages(text) == [("error", 10, "IEA")]
    assert "ISA13" in read_interchanges(text).diagnostics[0].message


@pytest.mark.parametrize(
    ("cut_before", "missing"),
    [("IEA*", ["IEA"]), ("GE*", ["GE", "IEA"]), ("SE*", ["SE", "GE", "IEA"])],
)
def test_truncation_reports_each_missing_trailer(cut_before: str, missing: list[str]) -> None:
    text = interchange()
    text = text[: text.index(cut_before)]
    parsed = read_interchanges(text)
    assert [d.segment_id for d in parsed.diagnostics] == missing
    assert all(d.severity == "error" and "truncated" in d.message for d in parsed.diagnostics)
    assert parsed.transactions[0].segments[1].id == "BPR"  # what is there is still read


def test_truncation_mid_segment_keeps_the_partial_segment() -> None:
    text = interchange()
    text = text[: text.index("SVC*HC") + 8]
    parsed = read_interchanges(text)
    assert parsed.segments[-1].elements == ("SVC", "HC:9")
    assert [d.segment_id for d in parsed.diagnostics] == ["SE", "GE", "IEA"]


def test_an_empty_segment_is_a_warning_and_not_counted() -> None:
    text = interchange().replace("TRN*", "~TRN*", 1)
    parsed = read_interchanges(text)
    assert messages(text) == [("warning", 4, "")]
    assert "Empty segment after segment 4" in parsed.diagnostics[0].message
    assert ids(text) == ids(interchange())


def test_garbage_after_the_iea_is_one_warning() -> None:
    text = interchange() + "this is a footer~and more~"
    assert messages(text) == [("warning", 11, "this is a footer")]
    assert read_interchanges(text).interchanges == 1
    assert messages(interchange() + "\r\n\r\n") == []  # trailing line breaks are not garbage


def test_a_bad_segment_id_inside_a_set_is_an_error() -> None:
    text = interchange().replace("TRN*", "tr n*")
    assert messages(text) == [("error", 5, "tr n")]


def test_a_segment_outside_a_transaction_set_is_an_error() -> None:
    text = interchange().replace("GE*1*7", "BPR*I~GE*1*7")
    assert messages(text) == [("error", 9, "BPR")]


def test_a_run_of_stray_segments_is_one_error() -> None:
    text = interchange().replace("GE*1*7", "BPR*I~TRN*1~CLP*X~GE*1*7")
    assert messages(text) == [("error", 9, "BPR")]


def test_a_missing_gs_is_one_error_and_the_set_is_still_read() -> None:
    text = interchange()
    text = text.replace(text[text.index("GS*") : text.index("ST*")], "")
    parsed = read_interchanges(text)
    assert [(d.segment, d.segment_id) for d in parsed.diagnostics] == [(2, "ST"), (8, "GE")]
    (tx,) = parsed.transactions
    assert tx.kind == "835" and [s.ordinal_in_set for s in tx.segments] == [1, 2, 3, 4, 5, 6]


def test_transactions_carry_their_interchanges_delimiters() -> None:
    parsed = read_interchanges(interchange() + interchange("|", ">", "{", "!"))
    assert [t.delimiters.component for t in parsed.transactions] == [":", ">"]


def test_envelope_trailers_without_openers_are_errors() -> None:
    for stray in ("SE*1*0009", "GE*0*1"):
        text = interchange().replace("IEA*", stray + "~IEA*")
        found = messages(text)
        assert ("error", 10, stray[:2]) in found, (stray, found)


def test_diagnostics_are_one_line_plain_sentences() -> None:
    text = interchange().replace("SE*6*0001", "SE*9*0002").replace("GE*1*7", "GE*3*8")
    text = text[: text.index("IEA")]
    for d in read_interchanges(text).diagnostics:
        assert "\n" not in d.message and d.message.endswith(".") and d.loop is None


# -- not X12 at all --------------------------------------------------------------------
@pytest.mark.parametrize(
    "data",
    [
        b"",
        "",
        b"   \n",
        b'{"claims": []}',
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        interchange()[:40],
        interchange().encode()[:40],
        codecs.BOM_UTF8 + b"GS*HP~",
        "ISAx00x",
        "ISA*00*" + "*" * 14 + "ab",  # 16 separators, but letters as delimiters
        "ISA*00*" + "*" * 14,  # ends right after ISA15
    ],
    ids=[
        "empty-bytes",
        "empty-str",
        "blank",
        "json",
        "pdf",
        "isa-40",
        "isa-40-bytes",
        "gs-first",
        "alnum-sep",
        "alnum-term",
        "no-term",
    ],
)
def test_input_that_is_not_x12_raises_notx12_with_one_line(data: bytes | str) -> None:
    with pytest.raises(NotX12) as caught:
        read_interchanges(data)
    message = str(caught.value)
    assert message and "\n" not in message and message.startswith("not an X12 file")


# -- our own writers read back ----------------------------------------------------------
def test_our_837p_reads_back_to_the_same_segments() -> None:
    batch = [claims.load(p) for p in CLEAN]
    text = to_837p(batch, when=dt.datetime(2026, 2, 1, 9, 30))
    parsed = read_interchanges(text)
    assert parsed.diagnostics == []
    assert ["*".join(s.elements) for s in parsed.segments] == writer_segments(text)
    assert {t.kind for t in parsed.transactions} == {"837P"}


def test_our_835_and_the_sample_835_read_back_to_the_same_segments() -> None:
    claim = claims.load(CLEAN[0])
    rem = remit(
        [(claim, adjudicate(claim, PayerPolicy()))],
        claim.payer,
        claim.billing_provider,
        "T1",
        dt.date(2026, 9, 1),
    )
    for text in (to_835([rem, rem]), SAMPLE_835.read_text()):
        parsed = read_interchanges(text)
        assert parsed.diagnostics == []
        assert ["*".join(s.elements) for s in parsed.segments] == writer_segments(text)
        assert {t.kind for t in parsed.transactions} == {"835"}


# -- the public corpus (tests/data/x12, sources in its README) ---------------------------
CORPUS = ROOT / "tests" / "data" / "x12"
CORPUS_FILES = sorted(
    p for p in CORPUS.rglob("*") if p.is_file() and p.suffix not in (".md", ".py", ".json")
)  # .json: the golden readings of x12 read (tests/data/x12/golden)


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_corpus_file_reads_and_only_the_one_without_an_isa_is_refused(path: Path) -> None:
    if "no-isa" in path.name:
        with pytest.raises(NotX12):
            read_interchanges(path.read_bytes())
        return
    parsed = read_interchanges(path.read_bytes())
    assert parsed.transactions and all(t.segments[0].id == "ST" for t in parsed.transactions)


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("837P/ims-valid.txt", [(36, "SE", "SE01")]),  # README: SE01 says 25 for 34
        ("837P/ims-valid-different-separators.txt", [(36, "SE", "SE01")]),
        ("999/ims-999-accepted.txt", [(10, "IEA", "IEA02")]),
        ("837I/ims-x223-test.txt", [(50, "SE", "SE01")]),  # and its '~ ' lines are fine
        ("835/own-wrong-se-count.835", [(33, "SE", "SE01")]),
        (
            "835/own-truncated.835",
            [(29, "SE", "no SE"), (29, "GE", "no GE"), (29, "IEA", "no IEA")],
        ),
        ("835/own-bom-crlf-short-isa.835", []),
        ("835/own-pipe-caret-newline.835", []),
        ("835/own-two-isa-envelopes.835", []),
        ("837P/own-x222a2-bom-short-isa.837", []),
    ],
)
def test_the_corpus_faults_its_readme_documents_are_found(name: str, found: list) -> None:
    diagnostics = read_interchanges((CORPUS / name).read_bytes()).diagnostics
    got = [(d.segment, d.segment_id) for d in diagnostics]
    assert got == [(n, seg_id) for n, seg_id, _ in found]
    assert all(word in d.message for d, (_, _, word) in zip(diagnostics, found, strict=True))


# -- property tests ---------------------------------------------------------------------
DELIMITER_POOL = "*|^:>~!'`{}+#@"
DATA = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .-", min_size=0, max_size=8)


@st.composite
def delimiter_sets(draw) -> Delimiters:
    """Four distinct delimiters; the terminator may be a newline."""
    el, comp, rep = draw(st.permutations(DELIMITER_POOL))[:3]
    others = [c for c in DELIMITER_POOL + "\n" if c not in (el, comp, rep)]
    return Delimiters(el, comp, rep, draw(st.sampled_from(others)))


@st.composite
def body_segments(draw) -> list[list[str]]:
    """Random data segments: an ID and a few elements, last element non-empty."""
    segs = []
    for _ in range(draw(st.integers(1, 8))):
        seg_id = draw(st.sampled_from(["BPR", "TRN", "CLP", "CAS", "NM1", "SVC", "DTM", "REF"]))
        elements = draw(st.lists(DATA, min_size=0, max_size=5))
        segs.append([seg_id, *elements, draw(DATA.filter(lambda s: s.strip()))])
    return segs


def write(marks: Delimiters, bodies: list[list[list[str]]], crlf: bool) -> str:
    """An interchange with one transaction set per body, counts right."""
    el, comp = marks.element, marks.component
    segs = [["GS", "HP", "A", "B", "20260201", "0930", "1", "X", "005010X221A1"]]
    for n, body in enumerate(bodies, 1):
        inner = [[s[0], *s[1:-1], s[-1] + comp + "X"] for s in body]
        segs += [["ST", "835", f"{n:04d}"], *inner, ["SE", str(len(inner) + 2), f"{n:04d}"]]
    segs += [["GE", str(len(bodies)), "1"], ["IEA", "1", "000000001"]]
    term = marks.segment + ("\r\n" if crlf and marks.segment != "\n" else "")
    head = isa(el, comp, marks.repetition, marks.segment)[:-1] + term
    return head + term.join(el.join(s) for s in segs) + term


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    marks=delimiter_sets(),
    bodies=st.lists(body_segments(), min_size=1, max_size=3),
    bom=st.booleans(),
    crlf=st.booleans(),
)
def test_any_delimiters_bom_and_crlf_read_back_the_same_segments(
    marks: Delimiters, bodies: list[list[list[str]]], bom: bool, crlf: bool
) -> None:
    text = write(marks, bodies, crlf)
    data = (codecs.BOM_UTF8 if bom else b"") + text.encode()
    parsed = read_interchanges(data)
    assert parsed.diagnostics == [] and parsed.delimiters == marks
    got = [[list(s.elements) for s in t.segments[1:-1]] for t in parsed.transactions]
    want = [[[s[0], *s[1:-1], s[-1] + marks.component + "X"] for s in b] for b in bodies]
    assert got == want


CORRUPTIBLE = [
    interchange(sets=2),
    interchange() + interchange("|", ">", "{", "!"),
    interchange(term="\n"),
    interchange().replace("~", "~\r\n"),
]


@settings(max_examples=300, deadline=None)
@given(
    base=st.sampled_from(CORRUPTIBLE),
    bom=st.booleans(),
    cut=st.integers(0, 400),
    flips=st.lists(st.tuples(st.integers(0, 799), st.integers(0, 255)), max_size=6),
    inserts=st.lists(
        st.tuples(st.integers(0, 799), st.sampled_from(b"*~:|!>^\r\nISAGE")), max_size=4
    ),
)
def test_a_truncated_or_corrupted_file_raises_nothing_but_notx12(
    base, bom, cut, flips, inserts
) -> None:
    data = corrupted(base.encode(), bom, cut, flips, inserts)
    try:
        parsed = read_interchanges(data)
    except NotX12 as refused:
        assert "\n" not in str(refused)
    else:
        for d in parsed.diagnostics:
            assert d.severity in ("error", "warning") and d.segment >= 0
            assert "\n" not in d.message and "\n" not in d.segment_id, d


def our_837p() -> str:
    batch = [claims.load(p) for p in CLEAN]
    return to_837p(batch, when=dt.datetime(2026, 2, 1, 9, 30))


OUR_837P = our_837p()


@settings(max_examples=60, deadline=None)
@given(marks=delimiter_sets(), bom=st.booleans())
def test_our_837p_in_any_delimiters_and_a_bom_reads_back_the_same_segments(
    marks: Delimiters, bom: bool
) -> None:
    table = str.maketrans("*:^~", "".join(marks))
    text = OUR_837P.translate(table)
    parsed = read_interchanges((codecs.BOM_UTF8 if bom else b"") + text.encode())
    assert parsed.diagnostics == [] and parsed.delimiters == marks
    got = [marks.element.join(s.elements) for s in parsed.segments]
    assert got == [seg.translate(table) for seg in writer_segments(OUR_837P)]


# -- speed ------------------------------------------------------------------------------
def test_a_10_mb_835_reads_faster_than_pyx12_splits_it() -> None:
    # timed beside a reference in the same run (pyx12's own segment reader), not against a
    # wall-clock limit that a busy 2-core machine can break
    claim = (
        "CLP*PCN{n}*1*150*110.37**12*CLAIM{n}~CAS*CO*45*39.63~NM1*QC*1*DOE*JANE****MI*M{n}~"
        "DTM*232*20260201~SVC*HC:99214:25*150*110.37**1~DTM*472*20260201~"
        "CAS*PR*1*20~AMT*B6*130.37~LQ*HE*N130~"
    )
    head = "ST*835*0001*005010X221A1~BPR*I*1*C*CHK~TRN*1*CHK1*1234567890~"
    body, n = [], 0
    size = len(head)
    while size < 10_000_000:
        n += 1
        block = claim.format(n=n)
        body.append(block)
        size += len(block)
    count = 3 + sum(b.count("~") for b in body) + 1
    text = (
        isa()
        + "GS*HP*A*B*20260201*0930*7*X*005010X221A1~"
        + head
        + "".join(body)
        + f"SE*{count}*0001~GE*1*7~IEA*1*000000001~"
    )
    split = split_segments(text, Delimiters("*", ":", "^", "~"))
    start = time.perf_counter()
    parsed = read_interchanges(text.encode())
    read_seconds = time.perf_counter() - start
    start = time.perf_counter()
    theirs = sum(1 for _ in pyx12.x12file.X12Reader(io.StringIO(text)))
    pyx12_seconds = time.perf_counter() - start
    print(
        f"\n10 MB 835, {n} claims, {len(split)} segments: read {read_seconds:.3f} s, "
        f"pyx12's reader {pyx12_seconds:.3f} s"
    )
    assert parsed.diagnostics == [] and len(parsed.segments) == len(split) == theirs
    assert read_seconds < pyx12_seconds
