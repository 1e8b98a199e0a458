"""Minimum-necessary views: show a user only the part of an identifier their task needs.

HIPAA's minimum-necessary standard (45 CFR 164.502(b), 164.514(d)) asks a practice
to limit what it uses and discloses to what the purpose needs.  A patient checking
a statement, or a front-desk clerk matching a caller, needs the last four
characters of an SSN or member ID, not the whole number.  These helpers make the
masked form, and :func:`masked_frame` applies them to a data export.  Masking is
*not* de-identification (:mod:`medbill_lab.compliance.deid`): a masked export
still holds PHI and stays inside the practice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

KEEP = 4  # characters left visible


def mask_tail(value: object, keep: int = KEEP, fill: str = "*") -> str:
    """Every character but the last ``keep`` replaced by ``fill`` (separators kept).

    >>> mask_tail("D123-4567-8901")
    '****-****-8901'
    >>> mask_tail("123"), mask_tail(None)
    ('***', '')
    """
    text = "" if value is None else str(value)
    positions = [i for i, ch in enumerate(text) if ch.isalnum()]
    # a value no longer than `keep` is hidden entirely: showing all of it would show everything
    shown = set(positions[len(positions) - keep :]) if len(positions) > keep else set()
    return "".join(ch if (i in shown or not ch.isalnum()) else fill for i, ch in enumerate(text))


def mask_ssn(ssn: object) -> str:
    """An SSN as ``***-**-1234`` (the last four digits only).

    >>> mask_ssn("123-45-6789"), mask_ssn("123456789"), mask_ssn("123 45 6789")
    ('***-**-6789', '***-**-6789', '***-**-6789')
    >>> mask_ssn("12-34")
    Traceback (most recent call last):
    ValueError: not an SSN (9 digits): '12-34'
    """
    digits = re.sub(r"\D", "", "" if ssn is None else str(ssn))
    if len(digits) != 9:
        raise ValueError(f"not an SSN (9 digits): {ssn!r}")
    return f"***-**-{digits[-4:]}"


def mask_member_id(member_id: object, keep: int = KEEP) -> str:
    """A health plan member ID with only its last ``keep`` characters shown.

    >>> mask_member_id("W123456789")
    '******6789'
    >>> mask_member_id("1EG4-TE5-MK73")
    '****-***-MK73'
    """
    return mask_tail(member_id, keep)


def mask_phone(phone: object) -> str:
    """A phone number with only its last four digits shown.

    >>> mask_phone("(217) 555-0143")
    '(***) ***-0143'
    """
    return mask_tail(phone)


def mask_email(email: object) -> str:
    """An email address with the mailbox hidden but its first letter.

    >>> mask_email("esme.okafor@example.com")
    'e***@example.com'
    """
    text = "" if email is None else str(email)
    user, at, domain = text.partition("@")
    return f"{user[:1]}***@{domain}" if at else mask_tail(text)


# Column name pattern -> (masking function, why)
_MASKS = (
    (r"(^|_)(ssn|social_security)($|_)", mask_ssn, "SSN: last 4 digits only"),
    (
        r"(^|_)(member_id|member|mbi|subscriber_id|policy_number|beneficiary)($|_)",
        mask_member_id,
        "member ID: last 4 characters only",
    ),
    (
        r"(^|_)(license|licence|dl|certificate)($|_)",
        mask_tail,
        "license number: last 4 characters only",
    ),
    (r"(^|_)(card|card_number|pan)($|_)", mask_tail, "card number: last 4 digits only"),
    (r"(^|_)(email|e_mail)($|_)", mask_email, "email: mailbox hidden"),
)


@dataclass(frozen=True)
class MaskAction:
    """What :func:`masked_frame` did to one column."""

    column: str
    action: str  # "masked" or "kept"
    reason: str


def _mask_cell(func: object, value: object) -> object:
    if value is None or (isinstance(value, float) and value != value):  # None or NaN
        return value
    try:
        return func(value)  # type: ignore[operator]
    except ValueError:  # not a well-formed SSN: hide it all rather than show it
        return mask_tail(value, keep=0)


def masked_frame(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[MaskAction]]:
    """A copy of ``frame`` with SSN, member ID, license, card and email columns masked."""
    out = frame.copy()
    actions = []
    for column in frame.columns:
        key = re.sub(r"[^a-z0-9]+", "_", str(column).lower()).strip("_")
        for pattern, func, why in _MASKS:
            if re.search(pattern, key):
                out[column] = frame[column].map(lambda v, f=func: _mask_cell(f, v))
                actions.append(MaskAction(str(column), "masked", why))
                break
        else:
            actions.append(MaskAction(str(column), "kept", "needed for the task"))
    return out, actions


def mask_text(text: str) -> str:
    """A note with SSNs and member IDs masked in place (other PHI left: a minimum-necessary
    view for staff who may see the note, not a de-identified copy).

    >>> mask_text("SSN 123-45-6789, member ID EVG123456789.")
    'SSN ***-**-6789, member ID ********6789.'
    """
    from medbill_lab.compliance.deid import find_phi

    parts, last = [], 0
    for f in find_phi(text):
        if f.category in ("SSN", "HEALTH_PLAN"):
            masked = _mask_cell(mask_ssn if f.category == "SSN" else mask_member_id, f.text)
            parts += [text[last : f.start], str(masked)]
            last = f.end
    parts.append(text[last:])
    return "".join(parts)
