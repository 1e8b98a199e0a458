"""What every X12 file of this project shares: delimiters, segments, the text rule's use,
the ISA envelope, dates, amounts and quantities, and the pyx12 glue.

The 837P writer (:mod:`medbill_lab.x12.x837p`) and the 835/277CA writer
(:mod:`medbill_lab.x12.x835`) build their segments from these, so an amount or a
date is written one way in every file.  Free text goes through
:func:`medbill_lab.claims.text.x12_text`, the project's one text rule.

>>> from medbill_lab.claims.text import x12_text
>>> segment("NM1", "IL", "1", x12_text("Zoë O’Brien", 60), "", "")
"NM1*IL*1*ZOE O'BRIEN"
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import logging
import os
import re
import threading
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

ELEMENT, SEGMENT, COMPONENT, REPETITION = "*", "~", ":", "^"
ISA_LENGTH = 106


def amount(value: Decimal) -> str:
    """An X12 R amount: two decimals at most, no trailing zeros.

    >>> amount(Decimal("125.00")), amount(Decimal("12.50")), amount(Decimal("0"))
    ('125', '12.5', '0')
    """
    text = f"{Decimal(value).quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def quantity(value: Decimal) -> str:
    """An X12 R quantity (units): up to three decimals, no trailing zeros."""
    text = f"{Decimal(value).quantize(Decimal('0.001')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def d8(day: dt.date) -> str:
    """A date as X12 D8 (CCYYMMDD).

    >>> d8(dt.date(2026, 2, 1))
    '20260201'
    """
    return day.strftime("%Y%m%d")


def segment(*elements: object) -> str:
    """One segment: elements joined by ``*``, trailing empty elements dropped.

    >>> segment("NM1", "IL", "1", "DOE", "", "")
    'NM1*IL*1*DOE'
    """
    return ELEMENT.join(map(str, elements)).rstrip(ELEMENT)  # data never holds a "*"


def composite(*components: str) -> str:
    """A composite element: components joined by ``:``, trailing empty ones dropped.

    >>> composite("HC", "99213", "25", "")
    'HC:99213:25'
    """
    return COMPONENT.join(components).rstrip(COMPONENT)  # data never holds a ":"


def isa(sender: str, receiver: str, control: int, when: dt.datetime) -> str:
    """The fixed-width ISA segment (106 characters with its terminator);
    ISA15 is ``T``: every file of this training environment is test data.

    >>> len(isa("MEDBILLLAB", "PAYER", 1, dt.datetime(2026, 2, 1, 9, 30))) + 1
    106
    """
    text = segment(
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        "ZZ",
        f"{sender:<15}",
        "ZZ",
        f"{receiver:<15}",
        when.strftime("%y%m%d"),
        when.strftime("%H%M"),
        REPETITION,
        "00501",
        f"{control:09d}",
        "0",
        "T",
        COMPONENT,
    )
    assert len(text) + 1 == ISA_LENGTH, text
    return text


class Delimiters(NamedTuple):
    """The separators an interchange declares in its ISA (``repetition`` is None
    before version 00501 or when ISA11 is alphanumeric, i.e. a standards ID, in
    what :func:`medbill_lab.x12.reader.find_delimiters` reads)."""

    element: str
    component: str
    repetition: str | None
    segment: str


#: The fixed widths of ISA01..ISA16 (X12 control segments): what puts ISA16 at index 104.
#: the component separators seen in public files whatever their ISA16 declares
#: (tests/data/x12: ISA16 ``:`` with composites written ``HC>55669``)
COMPONENT_GUESSES = (":", ">", "^", "|")


def component_in_use(declared: str, composite: str) -> str:
    """The component separator a composite that must have two parts (SVC01, SV101: a
    qualifier and a code) is written with: ``declared`` (ISA16) when it holds it, else
    the first of :data:`COMPONENT_GUESSES` it holds, else ``declared``.

    >>> component_in_use(":", "HC:99213"), component_in_use(":", "HC>55669>26")
    (':', '>')
    >>> component_in_use(":", "HC")
    ':'
    """
    if declared in composite:
        return declared
    return next((guess for guess in COMPONENT_GUESSES if guess in composite), declared)


ISA_WIDTHS = (2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1)
#: Where a fixed-width ISA holds its element separator: before each of its 16 fields.
ISA_SEPARATORS = tuple(3 + sum(ISA_WIDTHS[:n]) + n for n in range(len(ISA_WIDTHS)))


def delimiters(text: str) -> Delimiters:
    """The delimiters of an interchange in standard form, read from its fixed-width ISA
    (our writers' files; :func:`standard_form` brings a file as it arrived to that form).
    An ISA whose fields are not padded to their widths is refused here rather than read at
    the wrong places (:func:`medbill_lab.x12.reader.find_delimiters` reads one).

    >>> isa = ("ISA*00*" + " " * 10 + "*00*" + " " * 10 + "*ZZ*A" + " " * 14
    ...        + "*ZZ*B" + " " * 14 + "*251105*0930*^*00501*000000001*0*T*:~")
    >>> delimiters(isa)
    Delimiters(element='*', component=':', repetition='^', segment='~')
    >>> delimiters(isa.replace("*ZZ*A" + " " * 14, "*ZZ*A") + "GS*HP" * 20)
    Traceback (most recent call last):
    ...
    ValueError: not an X12 interchange: it must start with a 106-character ISA (its fields are not padded to their fixed widths)
    """
    isa = text.lstrip()
    if not isa.startswith("ISA") or len(isa) < ISA_LENGTH:
        raise ValueError("not an X12 interchange: it must start with a 106-character ISA")
    if any(isa[i] != isa[3] for i in ISA_SEPARATORS):
        raise ValueError(
            "not an X12 interchange: it must start with a 106-character ISA "
            "(its fields are not padded to their fixed widths)"
        )
    return Delimiters(isa[3], isa[104], isa[82], isa[105])


def standard_form(data: bytes | str) -> str:
    r"""A file as it arrived, in the form the strict readers read (:func:`delimiters`,
    :func:`segments`, ``parse_835``, ``parse_837p``): the text decoded and its byte-order
    mark and leading whitespace dropped (:func:`medbill_lab.x12.reader.decode`), every ISA
    padded to its fixed widths (106 characters), and a later interchange written with other
    delimiters re-delimited with the first one's.  The delimiters come from
    :func:`medbill_lab.x12.reader.find_delimiters`, the one finder (a short ISA reads);
    segments, line breaks and segment numbers are kept, so a standard file comes back
    as it is (and fast: a 10 MB file is not copied).

    Raises ``ValueError`` (:class:`~medbill_lab.x12.reader.NotX12`, one line) when the
    text does not start with a readable ISA.

    >>> short = "\ufeffISA|00||00||ZZ|A|ZZ|B|260201|0930|^|00501|1|0|T|>~\r\nGS|HP~"
    >>> standard_form(short)[:106]
    'ISA|00|          |00|          |ZZ|A              |ZZ|B              |260201|0930|^|00501|000000001|0|T|>~'
    >>> delimiters(standard_form(short.encode()))
    Delimiters(element='|', component='>', repetition='^', segment='~')
    >>> standard_form("%PDF-1.7")
    Traceback (most recent call last):
    ...
    medbill_lab.x12.reader.NotX12: not an X12 file: it does not start with an ISA segment
    """
    # the reader builds on this module's Delimiters: import it when first used
    from medbill_lab.x12.reader import decode, find_delimiters

    text = decode(data).lstrip()
    first, end = find_delimiters(text)
    pieces, start, marks = [_padded_isa(text[:end], first)], end, first
    for isa_at in _later_isas(text, first.segment):
        try:
            found, isa_end = find_delimiters(text[isa_at : isa_at + 512])
        except ValueError:
            continue  # "ISA" but not a readable ISA: left as it is, as the reader does
        pieces.append(_redelimited(text[start:isa_at], marks, first))
        marks, start = found, isa_at + isa_end
        pieces.append(_redelimited(_padded_isa(text[isa_at:start], marks), marks, first))
    if len(pieces) == 1 and pieces[0] == text[:end]:
        return text  # already standard: the common case, no copy of the whole file
    pieces.append(_redelimited(text[start:], marks, first))
    return "".join(pieces)


def _later_isas(text: str, terminator: str) -> Iterator[int]:
    """Where each ISA after the first starts: "ISA" right after a segment terminator
    (whitespace between allowed).  A str.find loop, not a regex: it is the one pass over
    a standard file, and "ISA" is rare in data."""
    position = text.find("ISA", 1)
    while position > 0:
        before = position - 1
        while before > 0 and text[before] != terminator and text[before].isspace():
            before -= 1
        if text[before] == terminator:
            yield position
        position = text.find("ISA", position + 3)


def _padded_isa(isa: str, marks: Delimiters) -> str:
    """An ISA segment (with its terminator) with every field at its fixed width: text
    fields padded with spaces, the ISA13 control number with zeros.  A field longer than
    its width is cut (no strict reader reads an ISA field but the delimiters)."""
    if len(isa) == ISA_LENGTH and all(isa[i] == marks.element for i in ISA_SEPARATORS):
        return isa
    fields = isa[:-1].split(marks.element)  # "ISA", ISA01..ISA16
    padded = []
    for n, (value, width) in enumerate(zip(fields[1:16], ISA_WIDTHS, strict=False), 1):
        value = value.strip()
        number = n == 13 and value.isascii() and value.isdigit()
        padded.append((value.zfill(width) if number else value.ljust(width))[:width])
    return marks.element.join(["ISA", *padded, fields[16]]) + isa[-1]


def _redelimited(text: str, marks: Delimiters, into: Delimiters) -> str:
    """``text`` written with ``into``'s delimiters instead of ``marks``'; refused (one line)
    when its data holds one of ``into``'s delimiters, which would split it wrongly."""
    if marks == into:
        return text
    old = [marks.element, marks.component, marks.segment]
    new = [into.element, into.component, into.segment]
    if marks.repetition and into.repetition:
        old.append(marks.repetition)
        new.append(into.repetition)
    clash = sorted(c for c in set(new) - set(old) if c in text and c not in "\r\n")
    if clash:
        raise ValueError(
            f"a later interchange uses other delimiters and its data holds {clash[0]!r}, "
            "a delimiter of the first one; split the file by interchange"
        )
    return text.translate(str.maketrans(dict(zip(old, new, strict=True))))


def same_control(one: str, two: str) -> bool:
    """Control numbers match as numbers when both are numeric, else as text.

    >>> same_control("000000001", "1"), same_control("00000", "000000001"), same_control("A", "A ")
    (True, False, True)
    """
    one, two = one.strip(), two.strip()
    if one.isascii() and one.isdigit() and two.isascii() and two.isdigit():
        return int(one) == int(two)
    return one == two


class Envelopes:
    """The ISA..IEA pairing a strict reader checks, so that a file cut short is refused
    in one line instead of read as if it were whole (the tolerant reader reports the same
    as a diagnostic).  Feed it every ISA and IEA segment, then call :meth:`finish`.

    >>> check = Envelopes()
    >>> check.see(["ISA", *["00"] * 12, "000000905", "0", "T", ":"])
    >>> check.see(["IEA", "1", "00000"])
    Traceback (most recent call last):
    ...
    ValueError: IEA02: '00000' does not match ISA13 '000000905': the file is cut short, or the IEA closes another interchange
    """

    def __init__(self) -> None:
        self.isa: list[str] | None = None

    def see(self, seg: list[str]) -> None:
        """Read one ISA or IEA segment (split into its elements)."""
        if seg[0] == "ISA":
            self.finish()  # the interchange before must be closed
            self.isa = seg
        elif self.isa is None:
            raise ValueError("IEA: no ISA opens the interchange it closes")
        else:
            closed = seg[2] if len(seg) > 2 else ""
            opened = self.isa[13] if len(self.isa) > 13 else ""
            if not same_control(closed, opened):
                raise ValueError(
                    f"IEA02: {closed!r} does not match ISA13 {opened!r}: the file is cut "
                    "short, or the IEA closes another interchange"
                )
            self.isa = None

    def finish(self) -> None:
        """Raise ``ValueError`` when the last interchange has no IEA."""
        if self.isa is not None:
            opened = self.isa[13] if len(self.isa) > 13 else ""
            raise ValueError(
                f"IEA: interchange {opened!r} has no IEA trailer: the file is cut short"
            )


def segments(text: str) -> list[str]:
    """The segments of an interchange, in order, without terminators or line breaks."""
    terminator = delimiters(text).segment
    return [s.strip() for s in text.lstrip().split(terminator) if s.strip()]


def set_element(text: str, position: int, element: str, value: str) -> str:
    """A copy of an interchange with one element (or component) of the segment at
    ``position`` (1-based) replaced: how the lesson corrupts a file on purpose.

    >>> isa = ("ISA*00*" + " " * 10 + "*00*" + " " * 10 + "*ZZ*A" + " " * 14 + "*ZZ*B"
    ...        + " " * 14 + "*251105*0930*^*00501*000000001*0*T*:~")
    >>> set_element(isa + "DTP*472*D8*20251103~", 2, "DTP03", "20251131")[106:]
    'DTP*472*D8*20251131~'
    """
    marks = delimiters(text)
    parts = segments(text)
    elements = parts[position - 1].split(marks.element)
    match = re.fullmatch(re.escape(elements[0]) + r"(\d{2})(?:-(\d{2}))?", element)
    if not match:
        raise ValueError(f"{element!r} is not an element of {elements[0]}")
    index, component = int(match.group(1)), int(match.group(2) or 0)
    elements += [""] * (index + 1 - len(elements))
    if component:
        pieces = elements[index].split(marks.component)
        pieces += [""] * (component - len(pieces))
        pieces[component - 1] = value
        value = marks.component.join(pieces)
    elements[index] = value
    parts[position - 1] = marks.element.join(elements)
    return marks.segment.join(parts) + marks.segment


class X12Error(NamedTuple):
    """One pyx12 finding: where it is and what is wrong."""

    segment: str  # segment ID (ISA, GS, ST for envelope errors)
    position: int  # 1-based segment number in the file (pyx12's line)
    element: str  # e.g. "DTP03", "HI02-01"; "" for a segment-level error
    code: str  # pyx12/999 error code (IK3 segment or IK4 element syntax code)
    message: str


@dataclass(frozen=True)
class Validation:
    """What pyx12 found in an interchange, and the 999 it answered with."""

    errors: list[X12Error]
    ack_999: str
    passed: bool = True  # pyx12's own verdict

    @property
    def ok(self) -> bool:
        """True when pyx12 accepted the file without a single error."""
        return self.passed and not self.errors

    @property
    def ack_code(self) -> str:
        """AK901 of the 999: A accepted, E accepted with errors, P partially, R rejected."""
        for seg in self.ack_999.split("~"):
            if seg.strip().startswith("AK9*"):
                return seg.strip().split("*")[1]
        return ""


@contextlib.contextmanager
def quiet_pyx12() -> Iterator[None]:
    """pyx12 logs every error; keep that out of the caller's stderr while it runs."""
    logger = logging.getLogger("pyx12")
    handler, propagate = logging.NullHandler(), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _element_name(seg_id: str, found: dict) -> str:
    name = f"{seg_id}{found['ele_pos']:02d}"
    return f"{name}-{found['subele_pos']:02d}" if found.get("subele_pos") else name


def _errors_from_json(doc: dict) -> Iterator[X12Error]:
    for isa in doc.get("interchanges", []):
        for e in isa["errors"]:
            yield X12Error("ISA", isa["cur_line"], "", str(e["err_cde"]), e["err_str"])
        for gs in isa["groups"]:
            for e in gs["errors"]:
                yield X12Error("GS", gs["cur_line"], "", str(e["err_cde"]), e["err_str"])
            for st in gs["transactions"]:
                for e in st["errors"]:
                    yield X12Error("ST", st["cur_line"], "", str(e["err_cde"]), e["err_str"])
                for seg in st["segments"]:
                    yield from _segment_errors(seg)


def _segment_errors(seg: dict) -> Iterator[X12Error]:
    seg_id, line = seg["seg_id"] or "", seg["cur_line"]
    for e in seg["errors"]:
        yield X12Error(seg_id, line, "", str(e["err_cde"]), e["err_str"])
    for found in seg["elements"]:
        for e in found["errors"]:
            name = _element_name(seg_id, found)
            yield X12Error(seg_id, line, name, str(e["err_cde"]), e["err_str"])


#: pyx12's exceptions (``pyx12.errors``): in pyx12 4.0 ``EngineError`` (no map for the
#: version), ``IsValidError``, ``X12PathError``, ``IterOutOfBounds``, ``IterDone`` and
#: ``XML_Reader_Error`` derive from ``Exception``, not from ``X12Error``, so each is named.
PYX12_ERRORS = (
    "X12Error",
    "GSError",
    "EngineError",
    "IsValidError",
    "X12PathError",
    "IterOutOfBounds",
    "IterDone",
    "XML_Reader_Error",
)

_NO_MAP = re.compile(r"Map not found.*?vriic=(\S*)", re.DOTALL)


def pyx12_failure(exc: Exception) -> X12Error:
    """The one finding that replaces a pyx12 exception: which version has no map, or
    that pyx12 could not read the file at all.

    >>> pyx12_failure(Exception("Map not found.  icvn=00501, fic=HC, vriic=005010X222A2")).message
    'pyx12 has no map for 005010X222A2; read without validation'
    >>> pyx12_failure(Exception("Invalid ISA")).message
    'pyx12 could not read this file: Invalid ISA'
    """
    detail = " ".join(str(exc).split())
    found = _NO_MAP.search(detail)
    if found:
        version = found.group(1) or "this version"
        message = f"pyx12 has no map for {version}; read without validation"
        return X12Error("GS", 1, "GS08", "map", message)
    return X12Error(
        "ISA", 1, "", "X12", f"pyx12 could not read this file: {detail or type(exc).__name__}"
    )


_PYX12_PATCHED = threading.Lock()


@contextlib.contextmanager
def st03_from_gs08() -> Iterator[None]:
    """Let pyx12 acknowledge a transaction set that has no ST03, as every 835 has.

    pyx12 writes the 999's AK203 from ST03 only, and without one it stops the 999
    after AK1.  The 835 guide (005010X221A1, pyx12's map and every 835 in our corpus)
    leaves ST03 unused, and an ST03 on an 835 is itself an error.  X12 reads a missing
    ST03 as the GS08 version, so while pyx12 runs its ST reads GS08 in its place.
    """
    import pyx12.error_handler

    err_st = pyx12.error_handler.err_st
    with _PYX12_PATCHED:  # one validation at a time while pyx12's class is patched
        original = err_st.__init__

        def init(self: Any, parent: Any, seg_data: Any, src: Any) -> None:
            original(self, parent, seg_data, src)
            if not self.vriic:
                self.vriic = getattr(parent, "vriic", None)

        err_st.__init__ = init
        try:
            yield
        finally:
            err_st.__init__ = original


def _raised_inside_pyx12(exc: BaseException) -> bool:
    # only pyx12's own failures on bad input become a finding; a bug of ours still raises
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and f"{os.sep}pyx12{os.sep}" in frames[-1].filename


def validate(text: str) -> Validation:
    """Validate an interchange with pyx12 against the map its GS08 names
    (005010X222A1 for an 837P, 005010X221A1 for an 835, 005010X214 for a 277CA)
    and keep the 999 acknowledgement pyx12 writes.

    Uses ``pyx12.x12n_document.x12n_document(params, source, fd_997, fd_html,
    fd_xmldoc, fd_json)``: the 999 goes to ``fd_997`` and the structured error
    tree (segment, line, element, code) to ``fd_json``.  Never raises for a bad file:
    a version pyx12 has no map for (005010X222A2, 005010X222 ...) or a file it cannot
    read at all is one error (:func:`pyx12_failure`) and ``passed`` is False; so is
    an exception of any other class raised inside pyx12 (it trips over some corrupt
    files with an ``AttributeError``).
    A leading byte-order mark is dropped first (pyx12 does not expect one), and a
    transaction set without ST03 (an 835) is acknowledged under its GS08 version
    (:func:`st03_from_gs08`).
    """
    import pyx12.errors
    import pyx12.params
    import pyx12.x12n_document

    caught = tuple(getattr(pyx12.errors, name) for name in PYX12_ERRORS)
    ack, found = io.StringIO(), io.StringIO()
    try:
        with quiet_pyx12(), st03_from_gs08():
            passed = pyx12.x12n_document.x12n_document(
                pyx12.params.params(), io.StringIO(text.lstrip("\ufeff")), ack, None, None, found
            )
    except caught as exc:
        return Validation([pyx12_failure(exc)], "", passed=False)
    except Exception as exc:  # pyx12's own bug on a corrupt file (AttributeError ...)
        if not _raised_inside_pyx12(exc):
            raise
        failure = pyx12_failure(Exception(f"pyx12 failed on it ({type(exc).__name__}: {exc})"))
        return Validation([failure], "", passed=False)
    try:
        doc = json.loads(found.getvalue() or "{}")
    except ValueError:  # pyx12 stopped halfway through its JSON error tree
        doc = {}
    errors = list(_errors_from_json(doc))
    if not passed and not errors:
        errors.append(X12Error("ISA", 1, "", "X12", "pyx12 could not read this as X12"))
    return Validation(errors, ack.getvalue(), passed=bool(passed))
