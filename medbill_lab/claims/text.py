"""The one text rule for what a claim prints or sends: plain ASCII from any name.

A patient called Zoë Ørsted-O’Brien has to fit two outputs that know only ASCII:
the typewriter face of the printed CMS-1500 and the X12 basic character set of
the 837P and 835.  Both start from :func:`ascii_letters`: letters with a base
letter and an accent lose the accent (Unicode NFKD, so "É" is "E"), the Latin
letters that do not decompose are spelled out from :data:`TRANSLITERATION`
("Ø" is "O", "Æ" is "AE", "ß" is "SS"), and typographic apostrophes become
``'``.  Each output then says what happens to what is still not allowed:

* :func:`form_text` (the paper form): upper case, printable ASCII only;
  anything else is dropped, and white space collapses to single spaces;
* :func:`x12_text` (the 837P and 835): upper case, the X12 basic character set
  without the delimiters ``* : ~ ^``; anything else becomes a space, runs of
  spaces collapse, and the text is cut to the element's maximum length.

>>> form_text("Zoë Ørsted-O’Brien"), x12_text("Zoë Ørsted-O’Brien")
("ZOE ORSTED-O'BRIEN", "ZOE ORSTED-O'BRIEN")
>>> form_text("Dr. Li 李"), x12_text("Dr. Li 李")
('DR. LI', 'DR. LI')
>>> form_text("50% off #2"), x12_text("50% off #2")
('50% OFF #2', '50 OFF 2')
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Characters NFKD does not reduce to an ASCII base letter, spelled the way a
#: US biller types them (Latin letters of Nordic, Polish, Croatian, German,
#: Icelandic, Turkish and French names, and the typographic apostrophes).
TRANSLITERATION: dict[str, str] = {
    "Æ": "AE",
    "æ": "ae",
    "Ø": "O",
    "ø": "o",
    "Œ": "OE",
    "œ": "oe",
    "Ð": "D",
    "ð": "d",
    "Đ": "D",
    "đ": "d",
    "Þ": "TH",
    "þ": "th",
    "Ł": "L",
    "ł": "l",
    "ß": "SS",
    "ı": "i",
    "\u2018": "'",
    "\u2019": "'",
    "\u02bc": "'",
    "`": "'",
    "\u00b4": "'",
}
_TABLE = str.maketrans(TRANSLITERATION)
# The X12 basic character set (005010 appendix B) without the delimiters an
# interchange of this project uses: "*" element, ":" component (and "~", "^").
_NOT_X12_BASIC = re.compile(r"[^A-Z0-9!\"&'()+,\-./;?= ]")


def ascii_letters(text: object) -> str:
    """``text`` with accents stripped and :data:`TRANSLITERATION` applied; what has no
    ASCII equivalent (a CJK character, a symbol) is left for the output's rule.

    >>> ascii_letters("Ávila Ørsted ß ’")
    "Avila Orsted SS '"
    >>> ascii_letters("李")
    '李'
    """
    plain = str(text)
    if plain.isascii():
        return plain.translate(_TABLE)  # only the grave accent "`" can change
    plain = unicodedata.normalize("NFKD", plain.translate(_TABLE))
    return "".join(ch for ch in plain if not unicodedata.combining(ch))


def form_text(text: object) -> str:
    """Text as the printed CMS-1500 types it: upper case, printable ASCII, one line.

    >>> form_text("  st. mary's\\tclinic\\n#2 ")
    "ST. MARY'S CLINIC #2"
    """
    ascii_only = ascii_letters(text).upper().encode("ascii", "ignore").decode("ascii")
    return " ".join("".join(ch if ch.isprintable() else " " for ch in ascii_only).split())


@lru_cache(maxsize=8192)  # names and addresses repeat across a batch
def x12_text(value: str, max_len: int | None = None) -> str:
    """Free text made safe for an X12 element: upper case, basic character set,
    delimiters and anything else as spaces, cut to ``max_len``.

    >>> x12_text(" st. mary's\\t#2 \\x00 "), x12_text("O'Brien*~Jr")
    ("ST. MARY'S 2", "O'BRIEN JR")
    >>> x12_text("Ørsted", max_len=3)
    'ORS'
    """
    text = ascii_letters(value).upper()
    text = " ".join(_NOT_X12_BASIC.sub(" ", text).split())
    return text[:max_len].rstrip() if max_len else text
