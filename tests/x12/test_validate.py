"""pyx12 validation never crashes (issue P9 item 4): a version pyx12 has no map for, a file
it cannot read, and each of pyx12's exception classes become one clear finding, through
:func:`medbill_lab.x12.core.validate` and through ``medbill-lab claim validate``."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
import pyx12.errors
import pyx12.x12n_document

from medbill_lab.cli import main
from medbill_lab.x12 import core, x837p

CORPUS = Path(__file__).resolve().parents[1] / "data" / "x12"
X222A2 = CORPUS / "837P" / "lfh-example1.837"
X222 = CORPUS / "837P" / "own-x222-gt-crlf.837"
V4010 = CORPUS / "837P" / "pyx12-simple-837p-4010.txt"
X222A1 = CORPUS / "837P" / "own-cob-two-clm-one-hl.837"
NOT_X12 = CORPUS / "README.md"


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _truncated(path: Path) -> str:
    """The first 60% of a file, cut mid-segment, as a broken transfer leaves it."""
    text = _text(path)
    return text[: int(len(text) * 0.6)]


@pytest.mark.parametrize(("path", "version"), [(X222A2, "005010X222A2"), (X222, "005010X222")])
def test_version_without_a_pyx12_map_is_one_finding(path: Path, version: str) -> None:
    result = x837p.validate_837p(_text(path))
    assert not result.ok and not result.passed
    assert [e.message for e in result.errors] == [
        f"pyx12 has no map for {version}; read without validation"
    ]
    assert result.errors[0].element == "GS08"
    assert result.ack_999 == ""


def test_4010_file_is_validated_with_pyx12s_4010_map() -> None:
    # pyx12 does ship 004010X098A1: the published file's wrong SE count is its one error
    result = core.validate(_text(V4010))
    assert not result.ok
    assert [(e.segment, e.code) for e in result.errors] == [("ST", "4")]
    assert "SE count of 78" in result.errors[0].message


def test_own_x222a1_file_passes() -> None:
    """The control case: a clean X222A1 file has no finding at all."""
    result = core.validate(_text(X222A1))
    assert result.ok, result.errors


def test_truncated_file_gives_findings_not_a_traceback() -> None:
    result = core.validate(_truncated(X222A1))
    assert not result.ok
    assert any("missing" in e.message for e in result.errors)


def test_non_x12_file_is_one_finding() -> None:
    result = core.validate(_text(NOT_X12))
    assert not result.ok
    assert [e.message for e in result.errors] == ["pyx12 could not read this as X12"]


def test_byte_order_mark_does_not_stop_pyx12() -> None:
    assert core.validate("\ufeff" + _text(X222A1)).ok


@pytest.mark.parametrize("name", core.PYX12_ERRORS)
def test_each_pyx12_exception_class_becomes_one_finding(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cls = getattr(pyx12.errors, name)

    def raise_it(*args: object, **kwargs: object) -> bool:
        raise cls("pyx12 gave up at line 7")

    monkeypatch.setattr(pyx12.x12n_document, "x12n_document", raise_it)
    result = core.validate(_text(X222A1))
    assert not result.passed and not result.ok
    assert [e.message for e in result.errors] == [
        "pyx12 could not read this file: pyx12 gave up at line 7"
    ]


def test_engine_error_is_caught_although_not_an_x12error() -> None:
    """The reason for naming every class: pyx12 4.0's EngineError is not an X12Error."""
    assert not issubclass(pyx12.errors.EngineError, pyx12.errors.X12Error)
    assert "EngineError" in core.PYX12_ERRORS


def test_an_error_that_is_not_pyx12s_still_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only pyx12's own classes are caught: a bug elsewhere is not hidden."""

    def raise_it(*args: object, **kwargs: object) -> bool:
        raise RuntimeError("a bug")

    monkeypatch.setattr(pyx12.x12n_document, "x12n_document", raise_it)
    with pytest.raises(RuntimeError):
        core.validate(_text(X222A1))


# -- through the CLI -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "message"),
    [
        (X222A2, "pyx12 has no map for 005010X222A2; read without validation"),
        (X222, "pyx12 has no map for 005010X222; read without validation"),
        (NOT_X12, "not an X12 file: it does not start with an ISA segment"),
    ],
)
def test_cli_unvalidatable_file_is_one_line_exit_1(
    path: Path, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["claim", "validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"medbill-lab: error: {path}: {message}\n"


def test_cli_4010_file_lists_its_error_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["claim", "validate", str(V4010)]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert "SE count of 78" in lines[0]
    assert lines[-1] == f"not valid: {V4010}: 1 pyx12 error(s)"
    assert err == ""


def test_cli_truncated_file_exit_1_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cut = tmp_path / "cut.837"
    cut.write_text(_truncated(X222A1), encoding="utf-8")
    assert main(["claim", "validate", str(cut)]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines()[-1].startswith(f"not valid: {cut}: ")
    assert "Traceback" not in out + err and err == ""


def test_cli_valid_file_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["claim", "validate", str(X222A1)]) == 0
    out, _ = capsys.readouterr()
    assert out == f"valid: {X222A1}: pyx12 accepts it (999 A)\n"


def test_pyx12_crash_on_a_cut_file_is_one_finding() -> None:
    """pyx12 itself trips (AttributeError in its error handler) on this 999 cut after
    its TA1: that too is one finding, not a traceback."""
    cut = _text(CORPUS / "999" / "ims-999-rejected-with-ta1.txt")[:181]
    result = core.validate(cut)
    assert not result.ok and result.ack_999 == ""
    assert [e.message for e in result.errors] == [
        "pyx12 could not read this file: pyx12 failed on it "
        "(AttributeError: 'NoneType' object has no attribute 'children')"
    ]


def test_cli_pyx12_crash_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cut = tmp_path / "cut.999"
    cut.write_text(_text(CORPUS / "999" / "ims-999-rejected-with-ta1.txt")[:181], encoding="utf-8")
    assert main(["claim", "validate", str(cut)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1
    assert err.startswith(f"medbill-lab: error: {cut}: pyx12 could not read this file: ")


def test_cli_utf16_file_is_validated_like_its_utf8_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the file is decoded as ``x12 read`` decodes it (reader.decode), not as UTF-8 with
    # replacement characters that pyx12 cannot read
    utf16 = tmp_path / "claims.837"
    utf16.write_bytes(codecs.BOM_UTF16_LE + _text(X222A1).encode("utf-16-le"))
    assert main(["claim", "validate", str(utf16)]) == 0
    assert capsys.readouterr().out.startswith(f"valid: {utf16}: pyx12 accepts it")


# -- pyx12 acknowledges our own 835s (issue P9 item 5) ------------------------------
SAMPLE_835 = Path(__file__).resolve().parents[2] / "datasets" / "remit" / "sample_835.txt"
PUBLIC_835 = CORPUS / "835" / "edi835parser-emedny.txt"  # a public 835 pyx12 accepts


def _segments_of(ack: str) -> list[str]:
    return [s.strip() for s in ack.split("~") if s.strip()]


def _ack_of(text: str) -> dict:
    from medbill_lab.x12.interpret import interpret
    from medbill_lab.x12.reader import read_interchanges

    return interpret(read_interchanges(core.validate(text).ack_999))["transactions"][0]


@pytest.mark.parametrize("path", [SAMPLE_835, PUBLIC_835])
def test_pyx12_writes_a_whole_999_for_an_835_without_st03(path: Path) -> None:
    text = _text(path)
    assert not any(s.startswith("ST*835*") and s.count("*") > 2 for s in text.split("~"))
    ack = _segments_of(core.validate(text).ack_999)
    ids = [s.split("*")[0] for s in ack]
    assert ids[ids.index("ST") :] == ["ST", "AK1", "AK2", "IK5", "AK9", "SE", "GE", "IEA"]
    ak2 = next(s for s in ack if s.startswith("AK2*")).split("*")
    assert ak2[1] == "835" and ak2[3] == "005010X221A1"  # GS08 stands in for ST03
    se = next(s for s in ack if s.startswith("SE*")).split("*")
    assert int(se[1]) == ids.index("SE") - ids.index("ST") + 1  # SE01 counts ST..SE
    verdict = _ack_of(text)
    assert (verdict["status"], verdict["received_sets"], verdict["accepted_sets"]) == (
        "A",
        "1",
        "1",
    )


def test_pyx12_rejects_a_bad_835_in_a_whole_999() -> None:
    text = _text(SAMPLE_835)
    clp = next(s for s in text.split("~") if s.strip().startswith("CLP*"))
    bad = clp.split("*")
    bad[2] = "99"  # not a claim status code
    verdict = _ack_of(text.replace(clp, "*".join(bad), 1))
    assert verdict["status"] == "R" and verdict["accepted_sets"] == "0"
    errors = verdict["sets"][0]["errors"]
    assert any(e["segment_id"] == "CLP" for e in errors), errors


def test_an_837p_still_takes_its_999_version_from_st03() -> None:
    ack = _segments_of(core.validate(_text(X222A1)).ack_999)
    ak2 = next(s for s in ack if s.startswith("AK2*")).split("*")
    assert ak2[1] == "837" and ak2[3] == "005010X222A1"


def test_an_st03_on_an_835_is_refused_which_is_why_ours_has_none() -> None:
    text = _text(SAMPLE_835).replace("ST*835*0001~", "ST*835*0001*005010X221A1~", 1)
    assert "ST*835*0001*005010X221A1~" in text
    assert not core.validate(text).ok


def test_pyx12_is_left_as_it_was_after_validating() -> None:
    import pyx12.error_handler

    before = pyx12.error_handler.err_st.__init__
    core.validate(_text(SAMPLE_835))
    assert pyx12.error_handler.err_st.__init__ is before


@pytest.mark.parametrize(
    ("path", "pyx12_alone_reads_it"),
    [
        (CORPUS / "835" / "own-short-isa.835", False),
        (CORPUS / "835" / "own-bom-crlf-short-isa.835", False),
        (CORPUS / "835" / "own-pipe-caret-newline.835", True),
    ],
)
def test_cli_validates_an_outside_shaped_file_by_its_content(
    path: Path, pyx12_alone_reads_it: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    # pyx12 alone cannot read an unpadded ISA; claim validate reads it as x12 read does
    assert core.validate(path.read_bytes().decode("utf-8-sig")).ok == pyx12_alone_reads_it
    assert main(["claim", "validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"valid: {path}: pyx12 accepts it")
    assert out.rstrip().endswith("; it holds 835, not 837P claims")  # said, as it is no claim


def test_validations_in_threads_each_get_a_whole_999_and_leave_pyx12_as_it_was() -> None:
    from concurrent.futures import ThreadPoolExecutor

    import pyx12.error_handler

    before = pyx12.error_handler.err_st.__init__
    texts = [_text(SAMPLE_835), _text(X222A1)] * 3
    with ThreadPoolExecutor(max_workers=3) as pool:
        acks = list(pool.map(lambda t: core.validate(t).ack_999, texts))
    assert all("IK5*" in ack and "IEA*" in ack for ack in acks)
    assert pyx12.error_handler.err_st.__init__ is before
