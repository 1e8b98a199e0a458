"""A truncated or corrupted file gives diagnostics through ``x12 read``, never a traceback
(issue 13, Tests): our own 837P (with a COB claim) and 835, cut at any byte, a byte flipped,
a segment dropped or duplicated, read by ``interpret`` and by ``medbill-lab x12 read --json``.
Exit 0 with the JSON when the file is still X12, 1 with one line when it is not.

tests/x12/test_reader.py already throws random bytes at the reader alone (hand-built 835s);
these go through the whole reading (837 and 835 interpretation, the CLI) of full files."""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from x12_files import OUR_835, OUR_837P

from medbill_lab.cli import main
from medbill_lab.x12.interpret import interpret
from medbill_lab.x12.reader import NotX12, read_interchanges

FILES = {"837P": OUR_837P.encode(), "835": OUR_835.encode()}
KEYS = {"severity", "segment", "loop", "message", "kind"}


def reading(data: bytes) -> dict | None:
    """``interpret``'s reading, checked for shape; None when the input is refused as not X12
    (with a one-line reason)."""
    try:
        out = interpret(read_interchanges(data))
    except NotX12 as refused:
        assert str(refused) and "\n" not in str(refused)
        return None
    assert set(out) == {"interchanges", "transactions", "diagnostics"}
    for d in out["diagnostics"]:
        assert set(d) == KEYS and d["severity"] in ("error", "warning"), d
        assert d["message"] and "\n" not in d["message"], d
    json.dumps(out)  # what --json prints
    return out


def errors(out: dict) -> list[dict]:
    return [d for d in out["diagnostics"] if d["severity"] == "error"]


def segments(data: bytes) -> list[bytes]:
    """Our files' segments, each with its ``~``."""
    return [s + b"~" for s in data.split(b"~") if s]


def cli(data: bytes) -> tuple[int, str, str]:
    """``medbill-lab x12 read FILE --json`` on ``data``: exit status, stdout, stderr."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "in.x12"
        path.write_bytes(data)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["x12", "read", str(path), "--json"])
    return code, out.getvalue(), err.getvalue()


def assert_cli_answers(data: bytes, out: dict | None) -> None:
    """The CLI gives the same reading as ``interpret`` (exit 0), or refuses in one line
    (exit 1) exactly when ``interpret`` refused; never a traceback."""
    code, stdout, stderr = cli(data)
    assert "Traceback" not in stdout + stderr
    if out is None:
        assert (code, stdout) == (1, "") and stderr.count("\n") == 1, stderr
    else:
        assert code == 0 and stderr == ""
        assert json.loads(stdout) == json.loads(json.dumps(out))


# -- deterministic: every kind of damage gives an error diagnostic ------------------------------
@pytest.mark.parametrize("kind", FILES)
def test_the_files_are_clean_before_they_are_damaged(kind: str) -> None:
    out = reading(FILES[kind])
    assert out is not None and out["diagnostics"] == []
    assert [t["type"] for t in out["transactions"]] in (["837P"], ["835", "835"])


@pytest.mark.parametrize("kind", FILES)
def test_every_segment_dropped_is_an_error_or_a_refusal(kind: str) -> None:
    parts = segments(FILES[kind])
    for n in range(len(parts)):
        data = b"".join(parts[:n] + parts[n + 1 :])
        out = reading(data)
        if out is None:  # only the ISA makes a file X12
            assert n == 0
        else:
            assert errors(out), (n, parts[n])


@pytest.mark.parametrize("kind", FILES)
def test_every_segment_duplicated_is_an_error(kind: str) -> None:
    parts = segments(FILES[kind])
    for n in range(len(parts)):
        out = reading(b"".join(parts[: n + 1] + parts[n:]))
        assert out is not None and errors(out), (n, parts[n])


@pytest.mark.parametrize("kind", FILES)
def test_a_cut_inside_the_file_is_an_error_and_a_cut_in_the_isa_a_refusal(kind: str) -> None:
    data = FILES[kind]
    last = data.rindex(b"IEA*")
    for cut in [*range(0, len(data) - 1, 7), last - 1, last + 5]:
        out = reading(data[:cut])
        if out is None:
            assert cut < 110  # the ISA (106 characters and its terminator) was cut
            continue
        assert errors(out), cut
        said = " ".join(d["message"] for d in out["diagnostics"])
        if cut < last:  # a trailer is missing
            assert "truncated" in said, cut
        else:  # the IEA itself was cut: no IEA, or its numbers are wrong
            assert "truncated" in said or "IEA0" in said, cut


def test_a_cut_at_the_last_terminator_is_still_read() -> None:
    # must-not-fail edge: a file missing only its last "~" has every segment whole
    out = reading(FILES["835"][:-1])
    assert out is not None and len(out["transactions"]) == 2


def test_the_cli_on_a_damaged_837p_exits_0_with_the_diagnostics(tmp_path: Path) -> None:
    parts = segments(FILES["837P"])
    dropped = b"".join(parts[:20] + parts[21:])  # a segment inside the claim set
    code, stdout, stderr = cli(dropped)
    assert code == 0 and stderr == ""
    found = json.loads(stdout)["diagnostics"]
    assert any(d["kind"] == "envelope" and "SE01" in d["message"] for d in found)
    code, stdout, stderr = cli(FILES["837P"][:50])  # the ISA cut: not X12 any more
    assert (code, stdout) == (1, "") and stderr.count("\n") == 1


# -- property: any mix of damage, never a traceback ---------------------------------------------
@st.composite
def damaged(draw) -> bytes:
    """One of our files with segments dropped or duplicated, bytes flipped, and a cut."""
    parts = segments(FILES[draw(st.sampled_from(sorted(FILES)))])
    for _ in range(draw(st.integers(0, 2))):
        n = draw(st.integers(0, len(parts) - 1))
        if draw(st.booleans()):
            del parts[n]
        else:
            parts.insert(n, parts[n])
    data = bytearray(b"".join(parts))
    for _ in range(draw(st.integers(0, 4))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    cut = draw(st.integers(0, len(data)))
    return bytes(data[: len(data) - cut if draw(st.booleans()) else len(data)])


@settings(max_examples=120, deadline=None)
@given(data=damaged())
def test_a_damaged_file_is_read_with_diagnostics_or_refused_in_one_line(data: bytes) -> None:
    reading(data)


@settings(max_examples=40, deadline=None)
@given(data=damaged())
def test_the_cli_answers_a_damaged_file_as_interpret_does(data: bytes) -> None:
    assert_cli_answers(data, reading(data))


# -- a 999 traced to a damaged 837P (x12 read ACK --claims 837P) ----------------------------------
CORPUS = Path(__file__).resolve().parents[1] / "data" / "x12"
ACK = (CORPUS / "999" / "own-999-rejects-amt-2320.txt").read_bytes()
ACKED_837P = (CORPUS / "837P" / "own-cob-bad-amt-for-999.837").read_bytes()


@settings(max_examples=60, deadline=None)
@given(
    drop=st.integers(0, 60),
    flips=st.lists(st.tuples(st.integers(0, 2000), st.integers(0, 255)), max_size=3),
    keep=st.integers(0, len(ACKED_837P)),
)
def test_a_999_traced_to_a_damaged_837p_still_reads(drop, flips, keep) -> None:
    from medbill_lab.x12.reading import read_file, render

    parts = segments(ACKED_837P.replace(b"\n", b""))
    data = bytearray(b"".join(parts[:drop] + parts[drop + 1 :]))
    for position, byte in flips:
        data[position % len(data)] = byte
    try:
        result = read_file(ACK, bytes(data[:keep]))
    except NotX12 as refused:  # the 837P is no longer X12: one line, the CLI's exit 1
        assert "\n" not in str(refused)
        return
    (tx,) = result["transactions"]
    (error,) = tx["sets"][0]["errors"]
    assert (error["segment_id"], error["loop"]) == ("AMT", "2320")  # the 999's own words
    assert "999 acknowledgment: rejected" in render(result)
