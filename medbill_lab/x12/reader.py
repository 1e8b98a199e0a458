"""A tolerant reader for X12 interchanges as they arrive from partners: the envelope
and segment layer.

It accepts what real files carry: a byte-order mark, leading whitespace, any
delimiters (taken from the ISA itself, even when its fields are not padded),
line breaks after the segment terminator, and several ISA/GS/ST in one file.
Problems inside a file that is still X12 become :class:`Diagnostic` values (a
wrong SE01 count, a control number mismatch, a truncated file...); only input
that is not X12 at all raises :class:`NotX12`.

>>> isa = ("ISA*00*          *00*          *ZZ*A              *ZZ*B              "
...        "*260201*0930*^*00501*000000001*0*T*:~")
>>> text = isa + "GS*HP*A*B*20260201*0930*1*X*005010X221A1~ST*835*0001~BPR*I*10~SE*3*0001~"
>>> parsed = read_interchanges(text + "GE*1*1~IEA*1*000000001~")
>>> (parsed.interchanges, [t.kind for t in parsed.transactions], parsed.diagnostics)
(1, ['835'], [])
>>> parsed.transactions[0].segments[1].elements
('BPR', 'I', '10')
"""

from __future__ import annotations

import codecs
import contextlib
import gc
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import itemgetter
from typing import NamedTuple

from medbill_lab.x12.core import Delimiters, same_control

ISA_ELEMENTS = 16  # ISA01..ISA16
ISA_SEARCH = 512  # an ISA longer than this (even padded with extra spaces) is not an ISA
LINE_BREAKS = "\r\n"


class NotX12(ValueError):
    """The input is not an X12 interchange at all (the message is one line)."""


class VersionInfo(NamedTuple):
    """What an implementation guide version is, and whether pyx12 can validate it."""

    kind: str  # "835", "837P", "837I", "277CA", "277", "999"
    pyx12_map: bool  # pyx12 ships a map for exactly this version


# The versions issue P9 lists, plus 837I X223A1 and the 277 X212.  ``pyx12_map`` is what
# pyx12's own pyx12/map/maps.xml enables for ICVN 00501 (tests/x12/test_reader.py checks it):
# its one 837I map answers to 005010X223A2 (the map file is named X223.A1), and its X212
# 277 map is commented out there.
VERSIONS: dict[str, VersionInfo] = {
    "005010X221A1": VersionInfo("835", True),
    "005010X222A1": VersionInfo("837P", True),
    "005010X222A2": VersionInfo("837P", False),
    "005010X222": VersionInfo("837P", False),
    "005010X223A1": VersionInfo("837I", False),
    "005010X223A2": VersionInfo("837I", True),
    "005010X223A3": VersionInfo("837I", False),
    "005010X214": VersionInfo("277CA", True),
    "005010X212": VersionInfo("277", False),
    "005010X231A1": VersionInfo("999", True),
    # 4010, HIPAA's version until 2012: old files still turn up and pyx12 has their maps
    "004010X091A1": VersionInfo("835", True),
    "004010X096A1": VersionInfo("837I", True),
    "004010X098A1": VersionInfo("837P", True),
}


# A version the table does not know still says its kind by its guide number.
GUIDE_KINDS: dict[tuple[str, str], str] = {
    ("837", "X222"): "837P",
    ("837", "X223"): "837I",
    ("277", "X214"): "277CA",
    ("837", "X098"): "837P",  # 4010's professional claim (004010X098A1)
    ("837", "X096"): "837I",  # 4010's institutional claim (004010X096A1)
}


class Segment(NamedTuple):
    """One segment: its elements (``elements[0]`` is the segment ID), its 1-based
    ordinal in the file and in its transaction set (None outside ST..SE)."""

    elements: tuple[str, ...]
    ordinal: int
    ordinal_in_set: int | None

    @property
    def id(self) -> str:
        """The segment ID (``elements[0]``), e.g. ``"CLP"``."""
        return self.elements[0]

    def element(self, position: int) -> str:
        """Element ``position`` (1-based, as in ``CLP01``); ``""`` when absent.

        >>> Segment(("CLP", "A1", "1"), 7, 3).element(2), Segment(("CLP",), 7, 3).element(9)
        ('1', '')
        """
        return self.elements[position] if 0 < position < len(self.elements) else ""


def padded(seg: Segment, last: int) -> tuple[str, ...]:
    """The segment's elements with ``""`` for each absent one up to element ``last``, so a
    handler reads ``elements[n]`` as :meth:`Segment.element` would, without a call each.

    >>> padded(Segment(("DTM", "472"), 9, 4), 2), padded(Segment(("N1", "PR", "X"), 3, 2), 1)
    (('DTM', '472', ''), ('N1', 'PR', 'X'))
    """
    elements = seg.elements
    missing = last + 1 - len(elements)
    return elements + ("",) * missing if missing > 0 else elements


@dataclass(frozen=True)
class Diagnostic:
    """A problem found in a file that is still X12: where it is and what it means."""

    severity: str  # "error" or "warning"
    segment: int  # 1-based ordinal of the segment in the file
    segment_id: str  # "" when the segment is empty
    message: str
    loop: str | None = None  # unknown at the envelope layer


@dataclass
class Transaction:
    """One transaction set (ST..SE) with the envelope facts a reader needs."""

    type: str  # ST01, e.g. "835"
    control_number: str  # ST02
    version: str  # ST03, else GS08
    segments: list[Segment] = field(default_factory=list)  # ST..SE inclusive
    delimiters: Delimiters | None = None  # its interchange's (for composites, repeats)

    @property
    def kind(self) -> str:
        """``"835"``, ``"837P"``, ``"837I"``, ``"277CA"``, ``"999"``... from the
        version table, else from ST01 and the version's guide number.

        >>> Transaction("837", "0001", "005010X222A2").kind
        '837P'
        >>> Transaction("837", "0001", "005010X223").kind
        '837I'
        """
        known = VERSIONS.get(self.version)
        if known:
            return known.kind
        guide = self.version[6:10]  # "X222" of "005010X222A2"
        return GUIDE_KINDS.get((self.type, guide), self.type)

    @property
    def component(self) -> str:
        """The component separator its interchange declares (ISA16); ``":"`` when the
        transaction was made without its interchange's delimiters.

        >>> Transaction("999", "0001", "005010X231A1").component
        ':'
        """
        return self.delimiters.component if self.delimiters else ":"

    @property
    def pyx12_map(self) -> bool:
        """True when pyx12 ships a map for exactly this version."""
        known = VERSIONS.get(self.version)
        return bool(known and known.pyx12_map)


@dataclass
class Group:
    """One functional group (GS..GE)."""

    functional_id: str  # GS01, e.g. "HP"
    control_number: str  # GS06
    version: str  # GS08
    transactions: list[Transaction] = field(default_factory=list)


@dataclass
class Interchange:
    """One interchange (ISA..IEA)."""

    sender: str  # ISA06, unpadded
    receiver: str  # ISA08, unpadded
    control_number: str  # ISA13
    version: str  # ISA12
    usage: str  # ISA15: "T" test, "P" production
    delimiters: Delimiters | None = None  # its own: one file may mix senders
    groups: list[Group] = field(default_factory=list)


@dataclass
class Parsed:
    """Everything read from one file: its envelopes, every segment, and diagnostics."""

    delimiters: Delimiters
    segments: list[Segment]
    interchange_list: list[Interchange]
    diagnostics: list[Diagnostic]

    @property
    def interchanges(self) -> int:
        """How many ISA segments the file holds."""
        return len(self.interchange_list)

    @property
    def transactions(self) -> list[Transaction]:
        """Every transaction set in file order."""
        return [t for i in self.interchange_list for g in i.groups for t in g.transactions]


# -- text and delimiters ------------------------------------------------------------
def decode(data: bytes | str) -> str:
    """The text of a file: a UTF-8 or UTF-16 byte-order mark is dropped; bytes that
    are not UTF-8 are read as Latin-1 (X12's character sets fit in it).

    >>> decode(codecs.BOM_UTF8 + b"ISA*"), decode("\\ufeffISA*")
    ('ISA*', 'ISA*')
    >>> decode(codecs.BOM_UTF16_LE + "ISA*".encode("utf-16-le"))
    'ISA*'
    """
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def find_delimiters(text: str) -> tuple[Delimiters, int]:
    """The delimiters an ISA declares, and where the ISA ends (just after its
    terminator).  ``text`` must start with ``ISA``.  The component separator and
    terminator are found by counting the 16 ISA elements, so unpadded fields work.

    >>> find_delimiters("ISA|00||00||ZZ|A|ZZ|B|260201|0930|^|00501|1|0|T|>\\nGS|HP")
    (Delimiters(element='|', component='>', repetition='^', segment='\\n'), 50)
    """
    if len(text) < 4 or not text.startswith("ISA"):
        raise NotX12("not an X12 file: it does not start with an ISA segment")
    sep = text[3]
    if sep.isalnum() or sep.isspace():
        raise NotX12(f"not an X12 file: {sep!r} after ISA cannot be an element separator")
    position = 2  # the first find is the separator right after "ISA"
    for _ in range(ISA_ELEMENTS):
        position = text.find(sep, position + 1, ISA_SEARCH)
        if position < 0:
            raise NotX12("not an X12 file: the ISA segment is too short to find its 16 elements")
    if position + 2 >= len(text):
        raise NotX12("not an X12 file: the ISA segment ends before its segment terminator")
    component, terminator = text[position + 1], text[position + 2]
    if terminator.isalnum() or terminator == " " or len({sep, component, terminator}) < 3:
        raise NotX12(
            f"not an X12 file: ISA16 {component!r} and terminator {terminator!r} are not delimiters"
        )
    fields = text[4:position].split(sep)
    repetition = fields[10] if len(fields[10]) == 1 and fields[11] >= "00501" else None
    if repetition is not None and (
        repetition.isalnum() or repetition in (sep, component, terminator)
    ):
        repetition = None
    return Delimiters(sep, component, repetition, terminator), position + 3


def split_segments(text: str, marks: Delimiters) -> list[tuple[str, ...] | None]:
    """The segments of ``text`` as element tuples, in order; ``None`` marks an empty
    segment (nothing but whitespace between two terminators).  Whitespace after a
    terminator (line breaks, indentation) and line breaks before one are dropped;
    nothing after the last terminator counts unless it holds data.

    >>> split_segments("ST*835*1~\\r\\n~ \\nBPR*I\\r\\n~\\n", Delimiters("*", ":", None, "~"))
    [('ST', '835', '1'), None, ('BPR', 'I')]
    """
    term = marks.segment
    if "\n" in text or "\r" in text or "\t" in text:  # one pass each, in C: no per-piece strip
        if term == "\n":
            text = text.replace("\r\n", "\n")
        elif not term.isspace():  # the usual line break after each terminator: cut by replace
            text = text.replace(term + "\r\n", term).replace(term + "\n", term)
        same = term.replace("\\", "\\\\")  # the replacement, a backslash terminator escaped
        text = re.sub(re.escape(term) + r"\s+", same, text)  # what whitespace is left after
        if "\n" in text or "\r" in text:
            text = re.sub(r"[\r\n]+" + re.escape(term), same, text)
    pieces = text.split(term)
    if pieces and not pieces[-1].strip():
        pieces.pop()  # what followed the last terminator: nothing, or whitespace
    sep = marks.element
    if all(map(str.strip, pieces)):  # no empty segment: split in C, no loop in Python
        return list(map(tuple, map(str.split, pieces, repeat(sep))))
    return [tuple(p.split(sep)) if p.strip() else None for p in pieces]


# -- the envelope walk --------------------------------------------------------------
class _Walk:
    """The state of one pass over the segments: open envelopes and what was found."""

    def __init__(self) -> None:
        self.segments: list[Segment] = []
        self.interchanges: list[Interchange] = []
        self.diagnostics: list[Diagnostic] = []
        self.isa: Segment | None = None
        self.gs: Segment | None = None
        self.st: Segment | None = None
        self.ended = False  # the last interchange was closed by its IEA
        self.garbage = False  # text after the IEA was already reported
        self.stray = False  # a segment outside every transaction set was reported
        self.marks: Delimiters | None = None  # the delimiters of the text being read

    def report(self, severity: str, seg: Segment | int, message: str, seg_id: str = "") -> None:
        """Add one diagnostic at a segment (or at an ordinal with no segment).  A bad
        segment ID is kept short and every line break escaped: a diagnostic is one line."""
        ordinal, seg_id = (seg.ordinal, seg.id) if isinstance(seg, Segment) else (seg, seg_id)
        if not _valid_id(seg_id):
            seg_id = _one_line(seg_id[:20])
        self.diagnostics.append(Diagnostic(severity, ordinal, seg_id, _one_line(message)))

    @property
    def transaction(self) -> Transaction:
        """The transaction set being read."""
        return self.interchanges[-1].groups[-1].transactions[-1]


def _one_line(text: str) -> str:
    r"""``text`` with CR and LF written as ``\r`` and ``\n``.

    >>> _one_line("A\r\nB")
    'A\\r\\nB'
    """
    return text.replace("\r", "\\r").replace("\n", "\\n")


def _shown(value: str, limit: int = 30) -> str:
    """A value from the file as a message shows it: quoted, on one line, cut short.

    >>> _shown("0001"), _shown("A\\nB"), _shown("9" * 40)
    ("'0001'", "'A\\\\nB'", "'999999999999999999999999999999...'")
    """
    return repr(value if len(value) <= limit else value[:limit] + "...")


def _said(value: str) -> str:
    """What an element says, for a message: the value shown, or "no" when it is empty."""
    return _shown(value) if value else "no"


def _count(value: str) -> int | None:
    """A count or control number element as an integer (None when not numeric).

    >>> _count(" 12"), _count("1A"), _count("\u00b2")  # a superscript two is no count
    (12, None, None)
    """
    value = value.strip()
    return int(value) if value.isascii() and value.isdigit() else None


def _open_isa(walk: _Walk, seg: Segment) -> None:
    _close_open(walk, seg.ordinal, "isa")
    walk.ended = walk.garbage = False
    walk.isa = seg
    walk.interchanges.append(
        Interchange(
            seg.element(6).strip(),
            seg.element(8).strip(),
            seg.element(13).strip(),
            seg.element(12).strip(),
            seg.element(15).strip(),
            walk.marks,
        )
    )
    if len(seg.elements) != ISA_ELEMENTS + 1:
        walk.report("error", seg, f"ISA has {len(seg.elements) - 1} elements; it must have 16.")


# The envelopes from the innermost out: the walk's attribute, the element holding its
# control number, what a student calls it, its opening and closing segments.
_ENVELOPES = (
    ("st", 2, "Transaction set", "ST", "SE"),
    ("gs", 6, "Functional group", "GS", "GE"),
    ("isa", 13, "Interchange", "ISA", "IEA"),
)


def _close_open(walk: _Walk, ordinal: int, outermost: str) -> None:
    """Report and close every envelope still open, from the innermost out to ``outermost``."""
    for attr, element, name, opener, trailer in _ENVELOPES:
        opened = getattr(walk, attr)
        if opened is not None:
            walk.report(
                "error",
                ordinal,
                f"{name} {_shown(opened.element(element))} ({opener} at segment "
                f"{opened.ordinal}) has no {trailer}: "
                f"the file is truncated or the {trailer} was lost.",
                trailer,
            )
            setattr(walk, attr, None)
        if attr == outermost:
            return


def _open_gs(walk: _Walk, seg: Segment) -> None:
    if walk.isa is None:
        walk.report("error", seg, "GS outside an interchange: no ISA opens it.")
        return
    _close_open(walk, seg.ordinal, "gs")
    walk.gs = seg
    walk.interchanges[-1].groups.append(Group(seg.element(1), seg.element(6), seg.element(8)))


def _missing_gs(walk: _Walk, seg: Segment) -> None:
    """An ST with no GS before it: still read, in a group (and interchange) of its own."""
    walk.report(
        "error",
        seg,
        "ST outside a functional group: no GS opens it. The transaction set is read "
        "without its group's facts (GS08 version, GS06 control number).",
    )
    if walk.isa is None or not walk.interchanges:
        walk.interchanges.append(Interchange("", "", "", "", "", walk.marks))
    walk.interchanges[-1].groups.append(Group("", "", ""))


def _open_st(walk: _Walk, seg: Segment) -> Segment:
    if walk.gs is None:
        _missing_gs(walk, seg)
    _close_open(walk, seg.ordinal, "st")
    seg = seg._replace(ordinal_in_set=1)
    walk.st = seg
    version = seg.element(3) or walk.interchanges[-1].groups[-1].version
    walk.interchanges[-1].groups[-1].transactions.append(
        Transaction(seg.element(1), seg.element(2), version, [seg], walk.marks)
    )
    return seg


def _close_st(walk: _Walk, seg: Segment) -> Segment:
    if walk.st is None:
        walk.report("error", seg, "SE without an ST: no transaction set is open.")
        return seg
    st, walk.st = walk.st, None
    seg = seg._replace(ordinal_in_set=seg.ordinal - st.ordinal + 1)
    walk.transaction.segments.append(seg)
    written, actual = _count(seg.element(1)), seg.ordinal_in_set
    if written != actual:
        walk.report(
            "error",
            seg,
            f"SE01 says the transaction set has {_said(seg.element(1))} segments; it has "
            f"{actual} (ST through SE). A segment was added or lost, or SE01 is miscounted.",
        )
    if not same_control(seg.element(2), st.element(2)):
        walk.report(
            "error",
            seg,
            f"SE02 {_shown(seg.element(2))} does not match ST02 {_shown(st.element(2))} "
            f"(segment {st.ordinal}): the SE closes a different transaction set.",
        )
    return seg


def _close_gs(walk: _Walk, seg: Segment) -> None:
    _close_open(walk, seg.ordinal, "st")
    if walk.gs is None:
        walk.report("error", seg, "GE without a GS: no functional group is open.")
        return
    gs, walk.gs = walk.gs, None
    count = len(walk.interchanges[-1].groups[-1].transactions)
    if _count(seg.element(1)) != count:
        walk.report(
            "error",
            seg,
            f"GE01 says the group has {_said(seg.element(1))} transaction sets; it has {count}.",
        )
    if not same_control(seg.element(2), gs.element(6)):
        walk.report(
            "error",
            seg,
            f"GE02 {_shown(seg.element(2))} does not match GS06 {_shown(gs.element(6))} "
            f"(segment {gs.ordinal}): the GE closes a different group.",
        )


def _close_isa(walk: _Walk, seg: Segment) -> None:
    _close_open(walk, seg.ordinal, "gs")
    if walk.isa is None:
        walk.report("error", seg, "IEA without an ISA: no interchange is open.")
        return
    isa, walk.isa = walk.isa, None
    walk.ended = True
    count = len(walk.interchanges[-1].groups)
    if _count(seg.element(1)) != count:
        walk.report(
            "error",
            seg,
            f"IEA01 says the interchange has {_said(seg.element(1))} functional groups; "
            f"it has {count}.",
        )
    if not same_control(seg.element(2), isa.element(13)):
        walk.report(
            "error",
            seg,
            f"IEA02 {_shown(seg.element(2))} does not match ISA13 {_shown(isa.element(13))} "
            f"(segment {isa.ordinal}): the IEA closes a different interchange.",
        )


def _body(walk: _Walk, seg: Segment) -> Segment:
    """A segment inside a transaction set (or a stray one outside every envelope)."""
    if walk.st is not None:
        seg = seg._replace(ordinal_in_set=seg.ordinal - walk.st.ordinal + 1)
        walk.transaction.segments.append(seg)
    elif not walk.stray:  # one error per run of stray segments, not one each
        walk.stray = True
        where = "functional group" if walk.gs is not None else "interchange"
        walk.report(
            "error",
            seg,
            f"{_shown(seg.id)} is outside a transaction set (inside the {where}): from here to the "
            "next envelope segment nothing is read.",
        )
    return seg


def _after_end(walk: _Walk, seg: Segment) -> None:
    """Text after the last IEA: one warning for the whole run, the text is ignored."""
    if not walk.garbage:
        walk.garbage = True
        walk.report(
            "warning",
            seg,
            "Text after the IEA that closed the interchange (from this segment on) "
            "is not part of any interchange and is ignored.",
        )


_ENVELOPE = {"GS": _open_gs, "GE": _close_gs, "IEA": _close_isa}


def _step(walk: _Walk, seg: Segment) -> None:
    """Read one segment into the walk."""
    seg_id = seg.id
    if seg_id in _CONTROL:
        walk.stray = False
    if seg_id == "ISA":
        _open_isa(walk, seg)
    elif seg_id == "ST":
        seg = _open_st(walk, seg)
    elif seg_id == "SE":
        seg = _close_st(walk, seg)
    elif seg_id in _ENVELOPE:
        _ENVELOPE[seg_id](walk, seg)
    elif seg_id == "TA1" and walk.isa is not None and walk.gs is None:
        pass  # an interchange acknowledgment: it belongs between ISA and the groups
    elif walk.ended and walk.isa is None:
        _after_end(walk, seg)
    else:
        if not _valid_id(seg_id):
            message = f"{_shown(seg_id)} is not a segment ID (2-3 letters/digits)."
            walk.report("error", seg, message)
        seg = _body(walk, seg)
    walk.segments.append(seg)


def _valid_id(seg_id: str) -> bool:
    """A segment ID is 2-3 upper-case letters or digits, starting with a letter."""
    return 2 <= len(seg_id) <= 3 and seg_id.isalnum() and seg_id.isupper() and seg_id.isascii()


def _check_version(walk: _Walk, transaction: Transaction, st: Segment) -> None:
    if transaction.version not in VERSIONS:
        walk.report(
            "warning",
            st,
            f"Transaction set {_shown(transaction.control_number)} "
            f"({_shown(transaction.type)}) has version "
            f"{_said(transaction.version)}, which this lab does not know; it is read as "
            f"{transaction.kind} without a guide.",
        )


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a big file is walked: the reader makes
    ~1,000,000 tuples for a 10 MB file and no cycles, and the collector's passes over them
    cost more than the reading itself (measured: 1.05 s -> 0.5 s; the balance checks on
    20,000 claims: 0.7 s -> 0.5 s).

    On the way out, what was made meanwhile goes straight to the oldest generation
    (``gc.freeze`` then ``gc.unfreeze``): it is mostly the result the caller keeps, and the
    young generation's next pass would otherwise walk all of it at once (0.15 s after reading
    10 MB).  Nothing is lost: garbage with cycles is found by the next full collection.  When
    the process froze objects itself (``gc.freeze``, before forking), they stay frozen and
    this step is skipped."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if was_enabled:
            gc.enable()


_CONTROL = frozenset({"ISA", "TA1", "GS", "ST", "SE", "GE", "IEA"})


def _drop_empty(
    walk: _Walk, pieces: list[tuple[str, ...] | None], offset: int
) -> list[tuple[str, ...]]:
    """The segments without the empty ones, each of which becomes a warning (an empty
    segment gets no ordinal: SE01 counts segments, and it is none)."""
    if None not in pieces:
        return pieces  # type: ignore[return-value]
    kept: list[tuple[str, ...]] = []
    for elements in pieces:
        if elements is None:
            where = offset + len(kept)
            walk.report(
                "warning", where, f"Empty segment after segment {where}: two terminators in a row."
            )
        else:
            kept.append(elements)
    return kept


def _walk(walk: _Walk, pieces: list[tuple[str, ...] | None], offset: int) -> None:
    """Read every segment into the walk.  Only envelope segments and bad IDs are
    stepped one by one; the runs of data segments between them (~500,000 in a 10 MB
    file) are built in bulk.  ``offset`` is how many segments came before these."""
    elements = _drop_empty(walk, pieces, offset)
    ids = list(map(itemgetter(0), elements))
    stops = _CONTROL | {i for i in set(ids) if not _valid_id(i)}
    marks = list(compress(range(len(ids)), map(stops.__contains__, ids)))
    everything, previous = walk.segments, 0
    for index in [*marks, len(elements)]:
        if previous < index and walk.st is not None:  # a run inside a transaction set
            base = walk.st.ordinal - offset - 2  # the n-th piece is segment offset + n + 1
            run = _segments(elements[previous:index], offset + previous + 1, previous - base)
            walk.transaction.segments.extend(run)
            everything.extend(run)
        else:
            for n in range(previous, index):  # outside every set: each gets a diagnostic
                _step(walk, Segment(elements[n], offset + n + 1, None))
        if index < len(elements):
            _step(walk, Segment(elements[index], offset + index + 1, None))
        previous = index + 1


def _segments(elements: list[tuple[str, ...]], ordinal: int, in_set: int) -> list[Segment]:
    """Segments of consecutive ``elements``, the first at file ordinal ``ordinal`` and
    ordinal ``in_set`` in its transaction set; built in C (map over zip), no Python loop.

    >>> _segments([("BPR", "I"), ("TRN", "1")], 5, 2)[1]
    Segment(elements=('TRN', '1'), ordinal=6, ordinal_in_set=3)
    """
    count = len(elements)
    fields = zip(
        elements, range(ordinal, ordinal + count), range(in_set, in_set + count), strict=True
    )
    return list(map(tuple.__new__, repeat(Segment), fields))


def _interchange_end(text: str, marks: Delimiters, start: int) -> int | None:
    """Where the first IEA segment from ``start`` on ends (after its terminator), or None."""
    iea = re.compile(re.escape(marks.segment) + r"[\r\n]*IEA" + re.escape(marks.element))
    found = iea.search(text, start)
    if found is None:
        return None
    end = text.find(marks.segment, found.end())
    return None if end < 0 else end + 1


_SPACE = re.compile(r"\s*")


def _next_isa(text: str, position: int) -> tuple[int, Delimiters] | None:
    """The readable ISA starting at ``position`` (after whitespace), if there is one."""
    start = _SPACE.match(text, position).end()  # type: ignore[union-attr]
    head = text[start : start + ISA_SEARCH]
    if not head.startswith("ISA"):
        return None
    try:
        return start, find_delimiters(head)[0]
    except NotX12:
        return None  # not a readable ISA: it stays text after the IEA


def _chunks(text: str) -> list[tuple[Delimiters, str]]:
    """The file cut where an interchange ends and an ISA with other delimiters begins,
    each piece with its own delimiters: interchanges from different senders may use
    different ones.  Raises :class:`NotX12` when the file does not start with a
    readable ISA.

    >>> [m.element for m, _ in _chunks("ISA*" + "*" * 15 + ":~IEA*0*1~ISA|" + "|" * 15 + ">!")]
    ['*', '|']
    """
    marks, _ = find_delimiters(text)
    chunks, start, position = [], 0, 0
    while (end := _interchange_end(text, marks, position)) is not None:
        following = _next_isa(text, end)
        if following is None:
            break
        if following[1] != marks:  # another sender's delimiters: a new piece
            chunks.append((marks, text[start:end]))
            start, marks = following
        position = following[0]
    chunks.append((marks, text[start:]))
    return chunks


def read_interchanges(data: bytes | str) -> Parsed:
    """Read every interchange in a file as it arrived; problems become diagnostics.

    Raises :class:`NotX12` (one line) only when the input is not X12 at all.

    >>> read_interchanges(b"%PDF-1.7")
    Traceback (most recent call last):
    ...
    medbill_lab.x12.reader.NotX12: not an X12 file: it does not start with an ISA segment
    """
    walk = _Walk()
    chunks = _chunks(decode(data).lstrip())
    with paused_gc():
        for marks, chunk in chunks:
            walk.marks = marks
            _walk(walk, split_segments(chunk, marks), len(walk.segments))
    _close_open(walk, len(walk.segments), "isa")
    for transaction in (t for i in walk.interchanges for g in i.groups for t in g.transactions):
        _check_version(walk, transaction, transaction.segments[0])
    walk.diagnostics.sort(key=lambda d: d.segment)
    return Parsed(chunks[0][0], walk.segments, walk.interchanges, walk.diagnostics)
