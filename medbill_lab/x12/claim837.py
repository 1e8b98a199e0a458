"""What the 837P and 837I writers share: field checks, the hierarchy, the envelope.

Both writers (:mod:`medbill_lab.x12.x837p` for the CMS-1500, :mod:`medbill_lab.x12.x837i`
for the UB-04) check a claim's fields the same way and lay out a file the same way; only
the name of the place on the paper form differs (a CMS-1500 ``item``, a UB-04 ``FL``).
:class:`FieldChecks` is that one set of checks, parametrised by the label, and
:func:`interchange` the one envelope (ISA/GS, an ST per batch of claims, GE/IEA).

>>> class _Checks(FieldChecks):
...     where = "FL"
>>> checks = _Checks("claim 1")
>>> checks.npi("12345", "56"), checks.problems
('', ["claim 1: FL 56: NPI '12345' must be 10 digits"])
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from medbill_lab.claims.text import x12_text
from medbill_lab.x12 import core
from medbill_lab.x12.core import SEGMENT

IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-./]*")
NPI = re.compile(r"\d{10}")
ZIP = re.compile(r"\d{5}(\d{4})?")
STATE = re.compile(r"[A-Z]{2}")
_NOT_DIGIT = re.compile(r"[\s().\-]")
_ENVELOPE_ID = re.compile(r"[A-Z0-9]{2,15}")
# 1000A PER needs a phone; with none on file, this fictional 555-01xx number stands
# in (MedBill Lab is a training environment; a real submitter puts its EDI desk here).
TRAINING_PHONE = "8005550100"


def digits(value: str) -> str:
    """``value`` without the spaces, parentheses, dots and dashes people type in numbers.

    >>> digits("(555) 010-0100"), digits("36-1234567"), digits(None)
    ('5550100100', '361234567', '')
    """
    return _NOT_DIGIT.sub("", value or "")


class FieldChecks:
    """Checks one claim's fields, collecting every problem (``label: where place: why``)
    before the writer fails; each check returns the value to write, or ``""``.

    A subclass sets :attr:`where`, the name of a place on its paper form.
    """

    where = "item"

    def __init__(self, label: str) -> None:
        self.label = label
        self.problems: list[str] = []

    def problem(self, place: str, message: str) -> str:
        """Record a problem at ``place`` (an item or form locator); returns ``""``."""
        self.problems.append(f"{self.label}: {self.where} {place}: {message}")
        return ""

    def text(
        self, value: str | None, place: str, what: str, max_len: int, required: bool = True
    ) -> str:
        """Free text in the X12 character set, cut to ``max_len``."""
        cleaned = x12_text(value or "", max_len)
        if required and not cleaned:
            return self.problem(place, f"{what} is required (letters or digits)")
        return cleaned

    def ident(self, value: str | None, place: str, what: str, max_len: int = 50) -> str:
        """An identifier, written as it is or refused (never rewritten)."""
        raw = (value or "").strip()
        if not raw:
            return self.problem(place, f"{what} is required")
        if len(raw) > max_len or not IDENTIFIER.fullmatch(raw):
            return self.problem(
                place,
                f"{what} {raw!r} may hold only letters, digits, '-', '.' and '/' "
                f"(at most {max_len}); it is not rewritten because that would change it",
            )
        return raw

    def code(self, value: str | None, place: str, what: str, pattern: re.Pattern[str]) -> str:
        """A code, trimmed and upper-cased, that must match ``pattern`` whole."""
        raw = (value or "").strip().upper()
        if not pattern.fullmatch(raw):
            return self.problem(place, f"{what} {value!r} is not a valid code")
        return raw

    def npi(self, value: str | None, place: str, required: bool = True) -> str:
        """A 10-digit NPI (``""`` when it is optional and absent)."""
        raw = (value or "").strip()
        if not raw and not required:
            return ""
        if not NPI.fullmatch(raw):
            return self.problem(place, f"NPI {value!r} must be 10 digits")
        return raw

    def zip_code(self, value: str, place: str) -> str:
        """A 5- or 9-digit ZIP code."""
        raw = digits(value)
        if not ZIP.fullmatch(raw):
            return self.problem(place, f"ZIP code {value!r} must be 5 or 9 digits")
        return raw

    def state(self, value: str, place: str) -> str:
        """A two-letter state code."""
        raw = (value or "").strip().upper()
        if not STATE.fullmatch(raw):
            return self.problem(place, f"state {value!r} must be a two-letter code")
        return raw

    def date(self, value: object, place: str) -> str:
        """A date as CCYYMMDD."""
        if not isinstance(value, dt.date):
            return self.problem(place, f"date {value!r} is required (a date)")
        return core.d8(value)

    def money(self, value: object, place: str) -> str:
        """An amount from 0 to under ten billion."""
        try:
            amount = Decimal(value)  # type: ignore[arg-type]
        except (InvalidOperation, TypeError, ValueError):
            return self.problem(place, f"amount {value!r} is not a number")
        if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
            return self.problem(place, f"amount {value!r} must be 0 or more")
        return core.amount(amount)


# -- the hierarchy and the envelope ---------------------------------------------------
@dataclass
class Parts:
    """The segments of one claim, split where the hierarchy (HL) goes."""

    provider: list[str]  # 2000A PRV + 2010AA
    subscriber: list[str]  # 2000B SBR + 2010BA + 2010BB
    patient: list[str]  # 2000C PAT + 2010CA, empty when the patient is the subscriber
    claim: list[str]  # 2300 and its loops (2310x, 2320/2330x, 2400)


def envelope_ids(sender_id: str, receiver_id: str, control_number: int) -> tuple[str, str]:
    """The sender and receiver IDs, checked with the control number (``ValueError``).

    >>> envelope_ids("MEDBILLLAB", "CLEARINGHOUSE", 1)
    ('MEDBILLLAB', 'CLEARINGHOUSE')
    """
    for value, what in ((sender_id, "sender_id"), (receiver_id, "receiver_id")):
        if not _ENVELOPE_ID.fullmatch(value or ""):
            raise ValueError(f"{what} {value!r} must be 2-15 upper-case letters or digits")
    if not 1 <= control_number <= 999_999_999:
        raise ValueError(f"control_number {control_number} must be 1 to 999999999")
    return sender_id, receiver_id


def submitter(name: str, on_file: str, sender: str, receiver: str, phone: str | None) -> list[str]:
    """Loops 1000A (submitter ``name``, its EDI contact phone: ``phone``, else the one
    ``on_file``, else the training number) and 1000B (the receiver)."""
    if phone is None:
        phone = digits(on_file) or TRAINING_PHONE
    if not re.fullmatch(r"\d{10}", digits(phone)):
        raise ValueError(f"submitter_phone {phone!r} must be 10 digits")
    return [
        core.segment("NM1", "41", "2", name, "", "", "", "", "46", sender),
        core.segment("PER", "IC", "EDI CONTACT", "TE", digits(phone)),
        core.segment("NM1", "40", "2", receiver, "", "", "", "", "46", receiver),
    ]


def _transaction(
    parts: Sequence[Parts],
    header: list[str],
    number: int,
    control: int,
    when: dt.datetime,
    version: str,
) -> list[str]:
    st_id = f"{number:04d}"
    segments = [
        core.segment("ST", "837", st_id, version),
        core.segment(
            "BHT", "0019", "00", f"{control}{st_id}", core.d8(when), when.strftime("%H%M"), "CH"
        ),
        *header,
    ]
    hl, provider_hl = 0, 0
    previous: list[str] | None = None
    for part in parts:
        if part.provider != previous:  # a new 2000A each time the billing provider changes
            hl += 1
            provider_hl, previous = hl, part.provider
            segments += [core.segment("HL", hl, "", "20", "1"), *part.provider]
        hl += 1
        subscriber_hl = hl
        segments.append(core.segment("HL", hl, provider_hl, "22", "1" if part.patient else "0"))
        segments += part.subscriber
        if part.patient:
            hl += 1
            segments += [core.segment("HL", hl, subscriber_hl, "23", "0"), *part.patient]
        segments += part.claim
    segments.append(core.segment("SE", len(segments) + 1, st_id))
    return segments


def interchange(
    parts: Sequence[Parts],
    header: list[str],
    ids: tuple[str, str],
    control_number: int,
    when: dt.datetime,
    version: str,
    per_transaction: int,
) -> str:
    """One interchange (ISA/GS ... GE/IEA) holding an ST per ``per_transaction`` claims,
    each with the submitter/receiver ``header``; ``ids`` are (sender, receiver)."""
    sender, receiver = ids
    hhmm = when.strftime("%H%M")
    segments = [
        core.isa(sender, receiver, control_number, when),
        core.segment(
            "GS", "HC", sender, receiver, core.d8(when), hhmm, control_number, "X", version
        ),
    ]
    chunks = [parts[i : i + per_transaction] for i in range(0, len(parts), per_transaction)]
    for number, chunk in enumerate(chunks, start=1):
        segments += _transaction(chunk, header, number, control_number, when, version)
    segments += [
        core.segment("GE", len(chunks), control_number),
        core.segment("IEA", 1, f"{control_number:09d}"),
    ]
    return SEGMENT.join(segments) + SEGMENT


def write_atomically(output: str, text: str) -> None:
    """Write ``output`` whole or not at all (a temporary file, then a rename)."""
    target = Path(output)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # umask applies
    try:
        with os.fdopen(handle, "w", encoding="ascii", newline="") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
