"""Build ``heldout4.jsonl``: 200 synthetic notes with every PHI span labelled.

Written from scratch by a helper that never opened the project's de-identifier, its
note generator, its tests or its name lists. Every name, place, employer and number
below comes from hand-written lists in this file plus seeded random numbers (no Faker,
no package word lists). Run ``python datasets/deid/build_heldout4.py``; the output is
byte-for-byte deterministic.

How offsets are made: a note is written with each PHI value wrapped by ``P(category,
value)``, an invisible marker. ``unmark`` strips the markers and records the offsets,
so no offset is counted by hand. ``check`` then verifies every note before writing.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

SEED = 4404
STYLE = "heldout4"
N_NOTES = 200
OUT = Path(__file__).with_name("heldout4.jsonl")

CATEGORIES = [
    "NAME",
    "LOCATION",
    "DATE",
    "AGE",
    "PHONE",
    "FAX",
    "EMAIL",
    "SSN",
    "MRN",
    "HEALTH_PLAN",
    "ACCOUNT",
    "LICENSE",
    "VEHICLE",
    "DEVICE",
    "URL",
    "IP",
    "BIOMETRIC",
    "PHOTO",
    "OTHER_ID",
]

# --------------------------------------------------------------------------- markers
_OPEN, _MID, _CLOSE = "\x01", "\x02", "\x03"
# Employers are NAME in the output, but checked as whole strings, not token by token.
_ORG = "NAME_ORG"


def P(cat: str, value: str) -> str:
    """Wrap one PHI value in markers (category, value)."""
    assert cat in CATEGORIES or cat == _ORG, cat
    assert value == value.strip() and value, repr(value)
    return f"{_OPEN}{cat}{_MID}{value}{_CLOSE}"


def unmark(marked: str) -> tuple[str, list[dict]]:
    """Strip markers; return plain text and spans (employers flagged with ``org``)."""
    out: list[str] = []
    spans: list[dict] = []
    pos = 0
    i = 0
    while i < len(marked):
        ch = marked[i]
        if ch == _OPEN:
            mid = marked.index(_MID, i)
            close = marked.index(_CLOSE, mid)
            cat = marked[i + 1 : mid]
            value = marked[mid + 1 : close]
            assert _OPEN not in value, "nested marker"
            org = cat == _ORG
            spans.append(
                {
                    "category": "NAME" if org else cat,
                    "start": pos,
                    "end": pos + len(value),
                    "text": value,
                    "org": org,
                }
            )
            out.append(value)
            pos += len(value)
            i = close + 1
        else:
            out.append(ch)
            pos += 1
            i += 1
    return "".join(out), spans


# --------------------------------------------------------------------------- word lists
# Hand-written for this set. (first, sex, nickname or "")
FIRST = [
    ("Adaeze", "F", "Ada"),
    ("Abena", "F", ""),
    ("Efua", "F", ""),
    ("Folasade", "F", "Sade"),
    ("Mariama", "F", ""),
    ("Ngozi", "F", ""),
    ("Leilani", "F", "Lani"),
    ("Malia", "F", ""),
    ("Losana", "F", ""),
    ("Mele", "F", ""),
    ("Noor", "F", ""),
    ("Yasmeen", "F", ""),
    ("Rania", "F", ""),
    ("Layla", "F", ""),
    ("Shirin", "F", ""),
    ("Parisa", "F", ""),
    ("Roya", "F", ""),
    ("Thu", "F", ""),
    ("Ngoc Anh", "F", ""),
    ("Hoa", "F", ""),
    ("Maricel", "F", "Cel"),
    ("Rowena", "F", "Weng"),
    ("Jocelyn", "F", "Joy"),
    ("Siobhan", "F", ""),
    ("Shavonne", "F", ""),
    ("Aoife", "F", ""),
    ("Niamh", "F", ""),
    ("Giulia", "F", ""),
    ("Francesca", "F", "Frankie"),
    ("Assunta", "F", "Susie"),
    ("Ingrid", "F", ""),
    ("Solveig", "F", ""),
    ("Astrid", "F", ""),
    ("Winona", "F", ""),
    ("Aiyana", "F", ""),
    ("Tallulah", "F", "Lula"),
    ("Miriam", "F", "Mimi"),
    ("Shoshana", "F", "Shana"),
    ("Rivka", "F", "Becky"),
    ("Thaís", "F", ""),
    ("Luana", "F", ""),
    ("Conceição", "F", "Ceição"),
    ("Rose", "F", ""),
    ("Faith", "F", ""),
    ("Grace", "F", "Gracie"),
    ("Summer", "F", ""),
    ("Katheryn", "F", "Kit"),
    ("Kwabena", "M", "Kobi"),
    ("Oluwaseun", "M", "Seun"),
    ("Chidi", "M", ""),
    ("Mamadou", "M", ""),
    ("Ibrahima", "M", ""),
    ("Sione", "M", ""),
    ("Tevita", "M", ""),
    ("Keoni", "M", ""),
    ("Manaia", "M", ""),
    ("Tariq", "M", ""),
    ("Yusuf", "M", ""),
    ("Mohamed", "M", "Mo"),
    ("Muhammad", "M", ""),
    ("Karim", "M", ""),
    ("Dariush", "M", ""),
    ("Kian", "M", ""),
    ("Arash", "M", ""),
    ("Minh", "M", ""),
    ("Huy", "M", ""),
    ("Quang", "M", ""),
    ("Rodel", "M", ""),
    ("Jomar", "M", ""),
    ("Ciarán", "M", ""),
    ("Padraig", "M", "Paddy"),
    ("Eamon", "M", ""),
    ("Lorenzo", "M", "Enzo"),
    ("Salvatore", "M", "Sal"),
    ("Vito", "M", ""),
    ("Nils", "M", ""),
    ("Torbjørn", "M", "Tor"),
    ("Anders", "M", ""),
    ("Leif", "M", ""),
    ("Takoda", "M", ""),
    ("Ahanu", "M", ""),
    ("Chayton", "M", ""),
    ("Avraham", "M", "Avi"),
    ("Moshe", "M", ""),
    ("Yitzhak", "M", "Itzik"),
    ("Caio", "M", ""),
    ("Thiago", "M", ""),
    ("Joaquim", "M", "Quim"),
    ("Drew", "M", ""),
    ("Hunter", "M", ""),
    ("Rich", "M", ""),
    ("Sonny", "M", ""),
]
LAST = [
    "Okonkwo",
    "Adeyemi",
    "Mensah-Boateng",
    "Diallo",
    "Koroma",
    "Asante",
    "Fofanah",
    "Nwachukwu",
    "Fifita",
    "Tuilagi",
    "Kealoha",
    "Fonoti",
    "Vaipulu",
    "Taufa",
    "Ah Sam",
    "Al-Rashid",
    "Haddad",
    "El-Amin",
    "Abu Saleh",
    "Nasrallah",
    "Tehrani",
    "Farahani",
    "Rostami",
    "Jafari-Nia",
    "Nguyen",
    "Tran",
    "Pham",
    "Huynh",
    "Vo",
    "Bautista",
    "Macaraeg",
    "Villanueva",
    "Dimaculangan",
    "Kavanagh",
    "Ó Ceallaigh",
    "McGillycuddy",
    "Fitzmaurice",
    "Bevilacqua",
    "Lo Russo",
    "Esposito-Ferri",
    "DiMarco",
    "Santangelo",
    "Lindqvist",
    "Haugen",
    "Søndergaard",
    "Bjørnstad",
    "Eriksdottir",
    "Yazzie",
    "Begay",
    "Tsosie",
    "Two Bulls",
    "Runningwater",
    "Rosenzweig",
    "Katzenellenbogen",
    "Halevi",
    "Abramowitz",
    "Feldshuh",
    "Oliveira Santos",
    "dos Anjos",
    "Carvalho",
    "Nascimento",
    "Figueiredo",
    "Baker",
    "Hunter",
    "Love",
    "Strong",
    "Little",
    "Fox",
    "Stone",
    "Rich",
    "Bird",
    "Banks",
    "Young",
]
SUFFIXES = ["Jr.", "Sr.", "II", "III", "IV"]
EMPLOYERS = [
    "Haugen Brothers Excavating",
    "Tuilagi Moving & Storage",
    "Ridgeback Freight Lines",
    "Calder Stoneworks",
    "Nine Oaks Poultry",
    "Marlowe Textile Mill",
    "Kestrel Hardware",
    "Sunfold Solar Installers",
    "Bevilacqua Family Bakery",
    "Pinecastle Lumber Yard",
    "Oxley & Drum Plumbing",
    "Halcyon Cleaning Co.",
    "Bluejay Daycare",
    "Trident Welding Works",
    "Greenmantle Landscaping",
    "Copperline Electric",
    "Ashbury Auto Body",
    "Quayside Seafood",
    "Northfork Grain Elevator",
    "Vireo Home Care Agency",
]
TOWNS = [
    "Marrowfield",
    "Quillan Springs",
    "Tallow Creek",
    "North Orrin",
    "Bexley Ford",
    "Castine Hollow",
    "Redvane",
    "Soller Point",
    "Wynmoor",
    "Lake Abernath",
    "Halvorsen Mills",
    "Piney Reach",
    "Drummock",
    "Saltbrook",
    "Ferris Gap",
    "Emberton",
    "Cobb's Landing",
    "Vashti",
    "Port Anselm",
    "Glenharrow",
    "Mount Ivey",
    "Kettle Bend",
    "Lowerby",
    "Fennimore Station",
    "Arrowhead Junction",
    "Pocotah",
    "Wailele",
    "Okeechee",
]
COUNTIES = [
    "Harrowgate County",
    "Pell County",
    "Minnick County",
    "Sable Parish",
    "Oxbow County",
    "Carrow County",
    "Dunmore County",
    "Whitlock County",
    "Tamberlin County",
]
NEIGHBORHOODS = [
    "Eastgate",
    "Lower Kilnside",
    "Bramble Heights",
    "the Cannery District",
    "Mill Flats",
]
STREETS = [
    "Juniper Hollow Rd",
    "Old Mill Pike",
    "Kalani Loop",
    "Cedar Shoals Dr",
    "Anchorage Way",
    "Wexford Ct",
    "Lantern Hill Rd",
    "Saddle Creek Trl",
    "Bramblewood Ave",
    "Ninth St NE",
    "County Road 212",
    "Ferncliff Terrace",
    "Magnolia Bluff Ln",
    "Via Sorrento",
    "Tamarack Cir",
    "Ridgeline Blvd",
    "Quarry Spur",
    "Hibiscus Pl",
    "Sawmill Road",
    "Larkspur Street",
    "W Cottonwood Ave",
    "Kingfisher Dr",
    "Orchard Grove Pkwy",
]
STATES = ["IL", "OR", "NM", "HI", "GA", "MN", "PA", "TX", "MT", "VT", "OH", "AZ", "WA", "NY", "LA"]
FACILITIES = [
    "Riverbend Imaging Associates",
    "Northgate Family Medicine",
    "Clearwater Dental Group",
    "Sentinel Orthopedic Clinic",
    "Beacon Valley Hospital",
    "Harborlight Medical Center",
    "Cardinal Point Urgent Care",
    "Silverleaf Behavioral Health",
]
HOSPITALS = ["Beacon Valley Hospital", "Harborlight Medical Center", "Cardinal Point Urgent Care"]
PAYERS = [
    "Bluecrest Health Plan",
    "Prairie Shield Insurance",
    "Keystone Care HMO",
    "Tidewater Mutual",
    "Heartland Medicaid Managed Care",
    "Medicare Part B",
    "Evergreen Dental Benefits",
    "Ironclad Workers' Comp Trust",
]
DRUGS = [
    "Eliquis 5 mg BID",
    "metformin 1000 mg BID",
    "Lasix 40 mg daily",
    "lisinopril 10 mg daily",
    "Jardiance 25 mg daily",
    "atorvastatin 40 mg qHS",
    "Ozempic 0.5 mg weekly",
    "levothyroxine 88 mcg daily",
    "Keppra 500 mg BID",
    "sertraline 50 mg daily",
    "amoxicillin 500 mg TID",
    "ibuprofen 600 mg q6h PRN",
    "Norco 5/325 q6h PRN",
]
EPONYMS = [
    "Parkinson's disease",
    "Bell's palsy",
    "a Colles fracture",
    "Crohn's disease",
    "Raynaud's phenomenon",
    "a Baker's cyst",
    "Hashimoto's thyroiditis",
    "Graves' disease",
    "Meniere's disease",
    "a Boxer's fracture",
    "Sjögren's syndrome",
    "Dupuytren's contracture",
]
EMAIL_DOMAINS = ["mailbox.example", "post.example.net", "inbox.example.org", "letters.example.com"]

ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
ORD_WORDS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
]


def words(n: int) -> str:
    """0..199 as English words: 94 -> 'ninety-four', 101 -> 'one hundred and one'."""
    if n >= 100:
        rest = n - 100
        return "one hundred" + (f" and {words(rest)}" if rest else "")
    if n < 20:
        return ONES[n]
    t, o = divmod(n, 10)
    return TENS[t] + (f"-{ONES[o]}" if o else "")


def ord_words(n: int) -> str:
    """1..31 as ordinal words ('twenty-third')."""
    if n <= 20:
        return ORD_WORDS[n - 1]
    t, o = divmod(n, 10)
    return TENS[t] + (f"-{ORD_WORDS[o - 1]}" if o else "ieth").replace("yieth", "ieth")


def ordinal(n: int) -> str:
    """14 -> '14th', 22 -> '22nd'."""
    suf = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suf}"


def year_words(y: int) -> str:
    """1952 -> 'nineteen fifty-two', 2026 -> 'twenty twenty-six', 2005 -> 'two thousand five'."""
    hi, lo = divmod(y, 100)
    if hi == 20 and lo < 10:
        return "two thousand" + (f" {words(lo)}" if lo else "")
    return f"{words(hi)} {words(lo) if lo >= 10 else 'oh ' + words(lo)}"


def ascii_fold(s: str) -> str:
    """Strip accents and non-letters, for e-mail local parts."""
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", s.lower())


# --------------------------------------------------------------------------- people
@dataclass
class Person:
    first: str
    last: str
    middle: str
    suffix: str
    nick: str
    sex: str

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}" + (f" {self.suffix}" if self.suffix else "")

    @property
    def call(self) -> str:
        """What friends call the person: the nickname if any."""
        return self.nick or self.first


class Gen:
    """Seeded source of every invented value in one note."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.used_last: set[str] = set()

    # --- small helpers
    def pick(self, seq):
        return self.r.choice(seq)

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    def pat(self, pattern: str) -> str:
        """'#' digit, '@' letter (no I/O), '%' letter-or-digit; other chars literal."""
        letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
        out = []
        for c in pattern:
            if c == "#":
                out.append(self.r.choice("0123456789"))
            elif c == "@":
                out.append(self.r.choice(letters))
            elif c == "%":
                out.append(self.r.choice(letters + "0123456789"))
            else:
                out.append(c)
        return "".join(out)

    # --- people
    def person(self, sex: str | None = None, suffix_p: float = 0.08) -> Person:
        while True:
            first, s, nick = self.pick(FIRST)
            if sex is None or s == sex:
                break
        while True:
            last = self.pick(LAST)
            if last not in self.used_last and last != first:
                break
        self.used_last.add(last)
        middle = self.pick("ABCDEFGHJKLMNPRSTVW")
        suffix = self.pick(SUFFIXES) if (s == "M" and self.chance(suffix_p)) else ""
        if not self.chance(0.35):
            nick = ""
        return Person(first, last, middle, suffix, nick, s)

    def name(self, p: Person, style: str | None = None) -> str:
        """One rendering of a person's full name (marked)."""
        styles = ["first_last", "first_mi_last", "last_comma_first", "upper_last_comma", "nick"]
        style = style or self.pick(styles)
        sfx = f" {p.suffix}" if p.suffix else ""
        if style == "nick" and p.nick:
            v = f'{p.first} "{p.nick}" {p.last}{sfx}'
        elif style == "first_mi_last":
            v = f"{p.first} {p.middle}. {p.last}{sfx}"
        elif style == "last_comma_first":
            v = f"{p.last}{sfx}, {p.first} {p.middle}"
        elif style == "upper_last_comma":
            v = f"{p.last.upper()}{sfx}, {p.first.upper()}"
        elif style == "initial_last":
            v = f"{p.first[0]}. {p.last}"
        else:
            v = f"{p.first} {p.last}{sfx}"
        return P("NAME", v)

    def ref(self, p: Person, title: str = "") -> str:
        """A later mention: surname with title, or the first name / nickname."""
        if title:
            return f"{title} {P('NAME', p.last)}"
        return P("NAME", p.call)

    def employer(self) -> str:
        return P(_ORG, self.pick(EMPLOYERS))

    # --- dates
    def visit_date(self) -> dt.date:
        return dt.date(2026, 1, 5) + dt.timedelta(days=self.r.randrange(0, 320))

    def dob(self, age: int | None = None) -> dt.date:
        age = age if age is not None else self.r.randint(2, 88)
        return dt.date(2026 - age, 1, 1) - dt.timedelta(days=self.r.randrange(0, 365))

    def date(self, d: dt.date, fmt: str | None = None, full: bool = False) -> str:
        """A date in one of many formats (full=True keeps the year)."""
        full_fmts = [
            "iso",
            "dmy_upper",
            "dot",
            "us",
            "us_short",
            "long",
            "abbr",
            "dmy_long",
            "full_wd",
            "dash",
            "mon_yy",
            "ymd_slash",
            "us_nopad",
        ]
        partial = ["month_the_ord", "md", "wd_md", "mon_ord", "the_ord_of"]
        fmt = fmt or self.pick(full_fmts if full else full_fmts + partial)
        month, mon = d.strftime("%B"), d.strftime("%b")
        wd, wday = d.strftime("%a"), d.strftime("%A")
        value = {
            "iso": d.isoformat(),
            "dmy_upper": f"{d.day:02d}-{mon.upper()}-{d.year}",
            "dot": f"{d.day:02d}.{d.month:02d}.{d.year}",
            "us": f"{d.month:02d}/{d.day:02d}/{d.year}",
            "us_nopad": f"{d.month}/{d.day}/{d.year}",
            "us_short": f"{d.month}/{d.day}/{d.year % 100:02d}",
            "long": f"{month} {d.day}, {d.year}",
            "abbr": f"{mon} {d.day} {d.year}",
            "dmy_long": f"{d.day} {month} {d.year}",
            "full_wd": f"{wday}, {month} {d.day}, {d.year}",
            "dash": f"{d.month}-{d.day}-{d.year}",
            "mon_yy": f"{mon}-{d.day:02d}-{d.year % 100:02d}",
            "ymd_slash": f"{d.year}/{d.month:02d}/{d.day:02d}",
            "month_the_ord": f"{month} the {ordinal(d.day)}",
            "md": f"{d.month}/{d.day}",
            "wd_md": f"{wd} {d.month}/{d.day}",
            "mon_ord": f"{mon} {ordinal(d.day)}",
            "the_ord_of": f"the {ordinal(d.day)} of {month}",
            "words": f"{month} {ord_words(d.day)} {year_words(d.year)}",
            "month_year": f"{month} {d.year}",
            "compact": f"{d.year}{d.month:02d}{d.day:02d}",
        }[fmt]
        return P("DATE", value)

    # --- ages (only > 89 labelled)
    def old_age(self, a: int | None = None) -> tuple[int, str]:
        """An age over 89 in a random phrasing, the number/words marked AGE."""
        a = a if a is not None else self.r.randint(90, 104)
        form = self.pick(["num_yo", "words_yo", "age_num", "y_o", "yo_tight", "words_plain"])
        w = words(a)
        text = {
            "num_yo": f"{P('AGE', str(a))}-year-old",
            "words_yo": f"{P('AGE', w)}-year-old",
            "age_num": f"age {P('AGE', str(a))}",
            "y_o": f"{P('AGE', str(a))} y/o",
            "yo_tight": f"{P('AGE', str(a))}yo",
            "words_plain": f"{P('AGE', w)} years old",
        }[form]
        return a, text

    def young_age(self, low: int = 19) -> tuple[int, str]:
        a = self.pick([self.r.randint(low, 88), 89, 89])
        form = self.pick(["{a}-year-old", "{a} y/o", "age {a}", "{a}yo", "{a} years old"])
        return a, form.format(a=a)

    def age_phrase(self, p_old: float = 0.2, low: int = 19) -> tuple[int, str]:
        return self.old_age() if self.chance(p_old) else self.young_age(low)

    # --- contact
    def _digits10(self) -> tuple[str, str, str]:
        area = f"{self.r.randint(2, 9)}{self.r.randint(0, 9)}{self.r.randint(1, 9)}"
        while area[1:] == "11":
            area = f"{self.r.randint(2, 9)}{self.r.randint(0, 9)}{self.r.randint(2, 9)}"
        exch = f"{self.r.randint(2, 9)}{self.r.randint(0, 9)}{self.r.randint(0, 9)}"
        if self.chance(0.25):
            exch = "555"
        line = f"{self.r.randint(0, 9999):04d}"
        return area, exch, line

    def phone_str(self, allow_local: bool = True) -> str:
        a, e, n = self._digits10()
        forms = [
            f"+1.{a}.{e}.{n}",
            f"{a} {e} {n} x{self.r.randint(2, 999)}",
            f"({a}){e}{n}",
            f"({a}) {e}-{n}",
            f"{a}-{e}-{n}",
            f"{a}.{e}.{n}",
            f"1-{a}-{e}-{n}",
            f"{a}{e}{n}",
            f"{a}/{e}-{n}",
            f"+1 ({a}) {e}-{n} ext. {self.r.randint(100, 4999)}",
            f"+1 {a} {e} {n}",
            f"({a}) {e}-{n} ext {self.r.randint(2, 99)}",
        ]
        if allow_local:
            forms.append(f"{e}-{n}")
        return self.pick(forms)

    def phone(self, allow_local: bool = True) -> str:
        return P("PHONE", self.phone_str(allow_local))

    def fax(self) -> str:
        return P("FAX", self.phone_str(False))

    def email(self, p: Person) -> str:
        f, ln = ascii_fold(p.first), ascii_fold(p.last)
        local = self.pick(
            [
                f"{f}.{ln}",
                f"{f[0]}{ln}",
                f"{ln}{f[0]}{self.r.randint(1, 99)}",
                f"{f}_{ln[:5]}",
                f"{f}{self.r.randint(1950, 2010)}",
                f"{ln}.family",
            ]
        )
        return P("EMAIL", f"{local}@{self.pick(EMAIL_DOMAINS)}")

    def org_email(self, p: Person, org: str) -> str:
        dom = ascii_fold(org)[:12]
        return P("EMAIL", f"{ascii_fold(p.first)[0]}{ascii_fold(p.last)}@{dom}.example.org")

    # --- places
    def town(self) -> str:
        return self.pick(TOWNS)

    def street(self) -> str:
        kind = self.r.random()
        if kind < 0.08:
            return f"PO Box {self.r.randint(12, 9899)}"
        if kind < 0.14:
            return f"RR {self.r.randint(1, 9)} Box {self.r.randint(10, 499)}"
        if kind < 0.18:
            return f"HC {self.r.randint(60, 79)} Box {self.r.randint(100, 9999)}"
        base = f"{self.r.randint(2, 29999)} {self.pick(STREETS)}"
        unit = self.r.random()
        if unit < 0.15:
            return f"{base} Apt {self.r.randint(1, 40)}{self.pick('ABCD')}"
        if unit < 0.25:
            return f"{base}, Unit {self.r.randint(1, 300)}"
        if unit < 0.32:
            return f"{base} Lot {self.r.randint(1, 88)}"
        if unit < 0.38:
            return f"{base} #{self.r.randint(2, 40)}"
        if unit < 0.42:
            return f"{base}, Ste {self.r.randint(100, 450)}"
        return base

    def zipc(self) -> str:
        z = f"{self.r.randint(1001, 99950):05d}"
        return z + (f"-{self.r.randint(1, 9999):04d}" if self.chance(0.25) else "")

    def address(self, town: str | None = None, sep: str = ", ", county: bool = False) -> str:
        """Street, city, state ZIP (marked; the state is left unmarked)."""
        town = town or self.town()
        st = self.pick(STATES)
        cty = f"{sep}{P('LOCATION', self.pick(COUNTIES))}" if county else ""
        return (
            f"{P('LOCATION', self.street())}{sep}{P('LOCATION', town)}{cty}, {st} "
            f"{P('LOCATION', self.zipc())}"
        )

    # --- identifiers
    def ssn_digits(self) -> tuple[str, str, str]:
        a = self.r.randint(1, 899)
        while a == 666:
            a = self.r.randint(1, 899)
        return f"{a:03d}", f"{self.r.randint(1, 99):02d}", f"{self.r.randint(1, 9999):04d}"

    def ssn(self) -> str:
        a, g, s = self.ssn_digits()
        form = self.r.random()
        if form < 0.45:
            return P("SSN", f"{a}-{g}-{s}")
        if form < 0.6:
            return P("SSN", f"{a}{g}{s}")
        if form < 0.7:
            return P("SSN", f"{a} {g} {s}")
        if form < 0.85:
            return f"XXX-XX-{P('SSN', s)}"
        return f"***-**-{P('SSN', s)}"

    def ssn_last4(self) -> str:
        return P("SSN", self.ssn_digits()[2])

    def mrn(self) -> str:
        return P(
            "MRN",
            self.pat(
                self.pick(
                    ["#######", "MR######", "00######", "@-#######", "###-##-###", "E#########"]
                )
            ),
        )

    def member_id(self) -> str:
        return P(
            "HEALTH_PLAN",
            self.pat(
                self.pick(
                    [
                        "@@@#########",
                        "W#########",
                        "#########-01",
                        "%@@########",
                        "ZG######",
                        "M#######@",
                    ]
                )
            ),
        )

    def mbi(self) -> str:
        v = self.pat("#@%#-@%#-@@##")
        v = v[0].replace("0", "3") + v[1:]
        return P("HEALTH_PLAN", v if self.chance(0.6) else v.replace("-", ""))

    def medicaid(self) -> str:
        return P("HEALTH_PLAN", self.pat(self.pick(["##########", "@@#######", "########@"])))

    def account(self) -> str:
        return P(
            "ACCOUNT",
            self.pat(self.pick(["#########", "GA-######", "PA########", "##-#####-#", "C#######"])),
        )

    def claim(self) -> str:
        return P(
            "OTHER_ID",
            self.pat(
                self.pick(["##########", "CLM-#######", "##@@#####", "WC########", "2026######-##"])
            ),
        )

    def icn(self) -> str:
        return P("OTHER_ID", self.pat("#############"))

    def auth(self) -> str:
        return P(
            "OTHER_ID", self.pat(self.pick(["PA######", "AUTH-#####-@", "#######", "@#########"]))
        )

    def ref_no(self) -> str:
        return P(
            "OTHER_ID", self.pat(self.pick(["R-########", "#####-###", "REF#######", "@@#######"]))
        )

    def dl(self) -> str:
        return P(
            "LICENSE",
            self.pat(
                self.pick(["@###-####-####", "########", "@#######", "###-###-###", "@@######"])
            ),
        )

    def dea(self) -> str:
        return P("LICENSE", self.pat("@@#######"))

    def prof_license(self, kind: str) -> str:
        """A state professional licence number for a physician, dentist, nurse or medic."""
        pats = {
            "md": ["MD.######", "PN#####", "##-######", "C######"],
            "dds": ["DDS-#####", "DN####", "#####"],
            "medic": ["EMT-P-#####", "P######", "PM-####"],
        }[kind]
        return P("LICENSE", self.pat(self.pick(pats)))

    def plate(self) -> str:
        return P(
            "VEHICLE",
            self.pat(self.pick(["@@@ ####", "#@@-###", "@@# ####", "###-@@@", "@@@-###"])),
        )

    def vin(self) -> str:
        alpha = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
        return P("VEHICLE", "".join(self.r.choice(alpha) for _ in range(17)))

    def serial(self) -> str:
        return P(
            "DEVICE",
            self.pat(
                self.pick(["@@@######@", "SN########", "######-###", "@#@###@@##", "PJN#######H"])
            ),
        )

    def udi(self) -> str:
        gtin = self.pat("0##########")
        gtin += str(self.r.randint(0, 9)) * 3
        exp = dt.date(2028, 1, 1) + dt.timedelta(days=self.r.randrange(0, 900))
        return P(
            "DEVICE", f"(01){gtin}(17){exp:%y%m%d}(10){self.pat('@####')}(21){self.pat('########')}"
        )

    def ip(self) -> str:
        f = self.r.random()
        if f < 0.3:
            v = f"10.{self.r.randint(0, 255)}.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}"
        elif f < 0.5:
            v = f"192.168.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}"
        elif f < 0.85:
            v = f"{self.r.randint(24, 223)}.{self.r.randint(0, 255)}.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}"
        else:
            v = f"2001:db8:{self.r.randint(1, 0xFFFF):x}:{self.r.randint(1, 0xFFFF):x}::{self.r.randint(1, 0xFF):x}"
        return P("IP", v)

    def biometric(self, kind: str) -> str:
        """Reference of a stored voice, palm, finger, iris or face template."""
        pats = {
            "voice": ["VP-########", "VB-@@######", "VOICE-#####-%"],
            "palm": ["PV######@", "PALM-####-####"],
            "finger": ["FPT-@@####-##", "FP#########"],
            "iris": ["IRIS-#####-%"],
            "face": ["FACE-TMPL-######", "FT-%%%%%%%%"],
        }[kind]
        return P("BIOMETRIC", self.pat(self.pick(pats)))

    def photo(self, d: dt.date) -> str:
        return P(
            "PHOTO",
            self.pick(
                [
                    f"IMG_{d:%Y%m%d}_{self.r.randint(0, 235959):06d}.jpg",
                    f"face_{self.pat('######')}.png",
                    f"ID_front_{self.pat('####')}.jpeg",
                    f"pt_photo_{self.pat('@@####')}.jpg",
                    f"DSC{self.pat('#####')}.JPG",
                    f"selfie_{self.pat('####')}.heic",
                ]
            ),
        )

    def url(self, kind: str = "portal") -> str:
        tok = self.pat("%%%%%%%").lower()
        v = {
            "portal": f"https://portal.{self.pick(['mychartlite', 'carelink-pt', 'healthnest'])}.example/p/{tok}",
            "meet": f"https://meet.{self.pick(['vidcare', 'telecall', 'openvisit'])}.example/r/{tok[:4]}-{tok[4:]}",
            "short": f"https://sms.{self.pick(['rmd', 'clk', 'apt'])}.example/{tok}",
            "personal": f"www.{self.pick(['fundhelp', 'caringsite', 'mypage'])}.example/{tok}",
            "pay": f"https://pay.{self.pick(['recoverypay', 'billpoint'])}.example/acct?k={tok}",
        }[kind]
        return P("URL", v)

    def npi(self) -> str:
        """A valid-looking 10-digit NPI (Luhn over the 80840 prefix); never labelled."""
        base = str(self.r.randint(1, 2)) + "".join(str(self.r.randint(0, 9)) for _ in range(8))
        digits = [int(c) for c in "80840" + base]
        total = 0
        for i, dgt in enumerate(reversed(digits)):
            if i % 2 == 0:
                dgt *= 2
                dgt = dgt - 9 if dgt > 9 else dgt
            total += dgt
        return base + str((10 - total % 10) % 10)

    def vitals(self) -> str:
        return (
            f"BP {self.r.randint(96, 178)}/{self.r.randint(52, 102)}, HR {self.r.randint(48, 128)}, "
            f"RR {self.r.randint(12, 28)}, SpO2 {self.r.randint(86, 100)}% RA, "
            f"T {self.r.randint(963, 1024) / 10:.1f} F"
        )

    def time(self) -> str:
        return f"{self.r.randint(0, 23):02d}:{self.r.randint(0, 59):02d}"

    def time12(self) -> str:
        return f"{self.r.randint(1, 12)}:{self.r.randint(0, 59):02d} {self.pick(['AM', 'PM'])}"

    def money(self) -> str:
        return f"${self.r.randint(15, 4800)}.{self.r.randint(0, 99):02d}"


def sex_words(p: Person) -> tuple[str, str, str]:
    """(noun, subject pronoun, possessive)."""
    return ("female", "she", "her") if p.sex == "F" else ("male", "he", "his")


REL_SEX = {
    "wife": "F",
    "husband": "M",
    "partner": None,
    "son": "M",
    "daughter": "F",
    "sister": "F",
    "brother": "M",
    "niece": "F",
    "nephew": "M",
    "mother": "F",
    "father": "M",
    "mom": "F",
    "dad": "M",
    "kid": None,
    "friend": None,
    "neighbor": None,
    "home aide": None,
    "granddaughter": "F",
    "grandson": "M",
    "parent": None,
    "spouse": None,
}


def relative(g: Gen, rels: list[str]) -> tuple[str, Person]:
    """A relationship word and a person whose sex fits it."""
    rel = g.pick(rels)
    return rel, g.person(REL_SEX[rel])


def title(g: Gen, p: Person) -> str:
    """A courtesy title that matches the person's sex."""
    return g.pick(["Ms.", "Mrs."] if p.sex == "F" else ["Mr."]) if g.chance(0.85) else "Mx."


def cred(g: Gen, p: Person, creds: list[str]) -> str:
    """Clinician name with credential outside the span."""
    c = g.pick(creds)
    if g.chance(0.4):
        return f"Dr. {g.name(p, g.pick(['first_last', 'first_mi_last', 'initial_last']))}"
    return f"{g.name(p, g.pick(['first_last', 'first_mi_last', 'initial_last']))}, {c}"


# --------------------------------------------------------------------------- note kinds
def radiology_dictation(g: Gen) -> str:
    pt, rad, ref = g.person(), g.person(), g.person()
    d = g.visit_date()
    age, age_txt = g.age_phrase(0.25)
    sexw, _he, his = sex_words(pt)
    exam = g.pick(
        [
            (
                "CT ABDOMEN AND PELVIS WITH IV CONTRAST",
                "74177",
                "R10.31",
                "right lower quadrant pain",
            ),
            ("MRI BRAIN WITHOUT AND WITH CONTRAST", "70553", "R51.9", "new daily headache"),
            ("CHEST, 2 VIEWS", "71046", "R05.1", "cough for 3 weeks"),
            ("XR LEFT WRIST, 3 VIEWS", "73110", "S52.502A", "fall on outstretched hand"),
            ("US RENAL COMPLETE", "76770", "N18.31", "rising creatinine"),
        ]
    )
    spelled = "-".join(ch for ch in pt.last.upper() if ch.isalpha())
    lines = [
        f"{g.pick(['RADIOLOGY REPORT (DICTATED)', 'DIAGNOSTIC IMAGING - DICTATION', 'IMAGING REPORT / VOICE TRANSCRIPTION'])}",
        f"Job no. {P('OTHER_ID', g.pat('#######'))}   Dictated {g.date(d, 'dmy_upper')} {g.time()}   "
        f"Transcribed {g.date(d + dt.timedelta(days=g.r.randint(0, 1)), g.pick(['iso', 'us', 'dot']))}",
        f"PATIENT: {g.name(pt, 'upper_last_comma')}    MRN: {g.mrn()}    DOB: {g.date(g.dob(age), full=True)}",
        f"ACCESSION: {P('OTHER_ID', g.pat('RAD########'))}    ROOM: {g.r.randint(2, 9)}{g.r.randint(10, 40)}",
        f"REFERRING: {cred(g, ref, ['MD', 'DO', 'NP', 'PA-C'])}  (fax {g.fax()})",
        "",
        f'"This is {g.ref(rad, "Doctor")} dictating a {exam[0].lower()} on patient {g.name(pt, "first_last")}, '
        f'last name spelled {P("NAME", spelled)}, date of service {g.date(d, "words")}. Period. New paragraph."',
        "",
        f"EXAM: {exam[0]} (CPT {exam[1]})",
        f"CLINICAL HISTORY: {age_txt} {sexw}, {exam[3]}. ICD-10 {exam[2]}.",
    ]
    if g.chance(0.5):
        prior = d - dt.timedelta(days=g.r.randint(30, 900))
        lines.append(f"COMPARISON: Prior study dated {g.date(prior)} at an outside facility.")
    else:
        lines.append("COMPARISON: None available.")
    lines.append(
        f"TECHNIQUE: Standard protocol. {g.pick(['100 mL Omnipaque 350 IV', 'Gadavist 7.5 mL IV', 'No contrast'])}. "
        f"DLP {g.r.randint(80, 900)} mGy-cm."
    )
    find = f"FINDINGS: No acute abnormality in the visualized structures. Incidental {g.r.randint(3, 9)} mm hypodensity, likely cyst."
    if g.chance(0.45):
        find += (
            f" Left chest wall {g.pick(['dual-chamber pacemaker', 'ICD generator', 'loop recorder'])} "
            f"(patient card: model {g.pat('@@-###')}, serial {g.serial()}); leads intact."
        )
    if g.chance(0.2):
        find += f" History of {g.pick(EPONYMS)} noted."
    lines.append(find)
    lines.append(
        "IMPRESSION:\n1. No acute process.\n2. Follow-up imaging in 6 to 12 months if clinically indicated."
    )
    if age > 89:
        lines.append(
            f"Note: patient is {g.old_age(age)[1]} per registration; {his} daughter {g.name(g.person('F'), 'first_last')} accompanied."
        )
    lines.append(
        f"Electronically signed: {g.name(rad, g.pick(['first_mi_last', 'last_comma_first']))}, MD, "
        f"{g.date(d + dt.timedelta(days=1), g.pick(['us', 'iso', 'abbr']))} {g.time()}"
    )
    if g.chance(0.4):
        lines.append(
            f"Results called to {g.ref(ref, 'Dr.')} at {g.phone()} by {g.ref(rad, 'Dr.')}; read-back confirmed."
        )
    return "\n".join(lines)


def soap_note(g: Gen) -> str:
    pt, doc = g.person(), g.person()
    relw, rel = relative(g, ["wife", "husband", "partner", "son", "sister"])
    d = g.visit_date()
    age, age_txt = g.age_phrase(0.15)
    sexw, he, his = sex_words(pt)
    town = g.town()
    hdr = g.pick(["=== SOAP NOTE ===", "[Template: Office Visit SOAP v3]", "PROGRESS NOTE (SOAP)"])
    lines = [
        hdr,
        f"Pt Name: {g.name(pt)} | DOB: {g.date(g.dob(age), full=True)} | MRN: {g.mrn()}",
        f"Visit Date: {g.date(d, full=True)} | Provider: {cred(g, doc, ['MD', 'DO', 'FNP-C', 'PA-C'])} | Ins ID: {g.member_id()}",
        f"Acct: {g.account()} | Room {g.r.randint(1, 14)} | Group #{g.pat('######')}",
        "",
        f"S: {age_txt} {sexw} from {P('LOCATION', town)} presents for {g.pick(['follow-up of HTN', 'low back pain', 'diabetes check', 'cough and fever', 'medication refill'])}. "
        f"{he.capitalize()} works at {g.employer()} as a {g.pick(['forklift driver', 'cook', 'bookkeeper', 'welder', 'home aide'])}. "
        f"Lives with {his} {relw} {g.name(rel, 'first_last')}. "
        f"Symptoms began {g.date(d - dt.timedelta(days=g.r.randint(2, 40)))}.",
        f"Meds: {'; '.join(g.r.sample(DRUGS, g.r.randint(1, 3)))}.",
        f"O: {g.vitals()}. Wt {g.r.randint(98, 310)} lb. A1c {g.r.randint(55, 110) / 10:.1f}%. "
        f"Strength 5/5 bilat. Pain {g.r.randint(0, 10)}/10.",
        f"A: {g.pick(['I10 essential hypertension', 'M54.50 low back pain', 'E11.65 T2DM w hyperglycemia', 'J20.9 acute bronchitis'])}. "
        f"{g.pick(['', 'Hx ' + g.pick(EPONYMS) + '.'])}".rstrip(),
        f"P: Continue current regimen. Labs (CPT 80053, 83036). RTC {g.date(d + dt.timedelta(days=g.r.choice([14, 28, 90])), g.pick(['md', 'wd_md', 'mon_ord', 'us_short']))}.",
    ]
    if g.chance(0.5):
        lines.append(f"   Call back # on file: {g.phone()} (cell); alt {g.ref(rel)} {g.phone()}.")
    if g.chance(0.3):
        lines.append(f"   Pt moving to {g.address(sep=', ')} next month; update registration.")
    if g.chance(0.25):
        lines.append(f"   Portal msg sent via {g.url('portal')}; pt email {g.email(pt)}.")
    if g.chance(0.2):
        lines.append(
            f"   Work note for {g.ref(pt, title(g, pt))}: off work through {g.date(d + dt.timedelta(days=5), 'the_ord_of')}."
        )
    lines.append(f"-- {g.ref(doc, 'Dr.')} / NPI {g.npi()} / e-signed {g.time()}")
    return "\n".join(lines)


def referral_fax(g: Gen) -> str:
    pt, sender, recip, staff = g.person(), g.person(), g.person(), g.person("F")
    d = g.visit_date()
    age, age_txt = g.age_phrase(0.15)
    fac_from, fac_to = g.r.sample(FACILITIES, 2)
    payer = g.pick(PAYERS[:5])
    lines = [
        "*** FAX COVER SHEET ***",
        f"DATE: {g.date(d, g.pick(['us', 'dot', 'iso', 'us_short', 'abbr']))}        PAGES: {g.r.randint(3, 14)} (incl. cover)",
        f"TO: {cred(g, recip, ['MD', 'DO'])}, {fac_to}",
        f"    FAX: {g.fax()}   PHONE: {g.phone(False)}",
        f"FROM: {g.name(staff, 'first_last')}, referral coordinator, {fac_from}",
        f"    FAX: {g.fax()}   PHONE: {g.phone(False)}   {g.org_email(staff, fac_from)}",
        f"RE: {g.pick(['URGENT referral', 'New patient referral', 'Referral - please schedule'])}",
        "CONFIDENTIAL: this facsimile contains protected health information. If received in error, "
        "notify the sender and destroy all copies.",
        "",
        "----- page 2 -----",
        f"REFERRAL FOR: {g.name(pt, g.pick(['last_comma_first', 'upper_last_comma', 'first_mi_last']))}",
        f"DOB {g.date(g.dob(age), full=True)}   Sex {pt.sex}   Chart {g.mrn()}",
        f"Home: {g.address(county=g.chance(0.3))}",
        f"Phone: {g.phone()}   Alt: {g.phone()}",
        f"Insurance: {payer}, Member {g.member_id()}, Group {g.pat('#####')}; Auth # {g.auth()} valid "
        f"{g.date(d, 'md')}-{g.date(d + dt.timedelta(days=90), 'md')}",
        f"Reason: {age_txt} with {g.pick(['worsening dyspnea, EF 35%', 'chronic knee pain, failed PT x 12 visits', 'abnormal TSH 8.2', 'suspected OSA, STOP-BANG 6/8', 'microscopic hematuria'])}.",
        f"Dx: {g.pick(['I50.22', 'M17.11', 'E03.9', 'G47.33', 'R31.29'])}. Current meds: {g.pick(DRUGS)}.",
    ]
    if g.chance(0.35):
        guardian = g.person()
        lines.append(
            f"Legal guardian / POA: {g.name(guardian, 'first_last')}, {g.phone()}, {g.email(guardian)}."
        )
    if g.chance(0.3):
        lines.append(
            f"Pt prefers {g.pick(['Tagalog', 'Vietnamese', 'Farsi', 'Samoan', 'Portuguese', 'Arabic'])} interpreter."
        )
    if age > 89:
        lines.append(f"Please note pt is {g.old_age(age)[1]}; transport arranged by family.")
    lines.append(
        f"Referring provider: {g.ref(sender, 'Dr.')}, {fac_from}; NPI {g.npi()}; DEA {g.dea()}; tel {g.phone()}."
    )
    lines.append(
        f"Signed {g.ref(sender, 'Dr.')}  {g.date(d, g.pick(['long', 'mon_yy', 'dmy_long']))}"
    )
    return "\n".join(lines)


def collection_call(g: Gen) -> str:
    debtor, agent = g.person(), g.person()
    d = g.visit_date()
    dos = d - dt.timedelta(days=g.r.randint(90, 400))
    lines = [
        f"{g.pick(['MERIDIAN RECOVERY SERVICES', 'CASCADE CREDIT PARTNERS', 'FIRSTLINE COLLECTIONS'])} - CALL SCRIPT / LOG",
        f"Agent: {g.name(agent, 'first_last')} (ext {g.r.randint(100, 899)})   Call date: {g.date(d, g.pick(['us', 'iso', 'wd_md', 'dmy_upper']))} {g.time12()}",
        f"Client acct: {g.account()}   Agency file: {g.account()}   Original creditor: {g.pick(FACILITIES)}",
        f"Debtor/guarantor: {g.name(debtor, g.pick(['upper_last_comma', 'last_comma_first', 'first_last']))}   Balance {g.money()}   DOS {g.date(dos, full=True)}",
        "",
        f"Dial 1: {g.phone()} - no answer, no VM.",
        f"Dial 2: {g.phone()} - {g.pick(['RPC', 'right party contact', 'answered by debtor'])}.",
        f'[SCRIPT] "Hello, may I speak with {g.name(debtor, "first_last")}?"',
        '[SCRIPT] "This is an attempt to collect a debt and any information obtained will be used for that purpose."',
        f"RPV: DOB given {g.date(g.dob(), full=True)}; last 4 SSN {g.ssn_last4()}; address confirmed {g.address()}.",
    ]
    if g.chance(0.45):
        lines.append(f"Voice authentication enrolled, voiceprint ref {g.biometric('voice')}.")
    if g.chance(0.4):
        lines.append(
            f"Skip-trace notes: registered vehicle plate {g.plate()}; employer {g.employer()}; alt e-mail {g.email(debtor)}."
        )
    if g.chance(0.35):
        spouse = g.person(g.pick(["F", "M"]))
        lines.append(
            f"Spouse {g.name(spouse, 'first_last')} on line; NOT authorized - did not discuss account."
        )
    lines.append(
        f"Outcome: {g.pick(['promise to pay', 'payment plan', 'dispute', 'refused'])} {g.money()} on "
        f"{g.date(d + dt.timedelta(days=g.r.randint(3, 30)), g.pick(['md', 'month_the_ord', 'mon_ord', 'us']))}."
    )
    if g.chance(0.5):
        lines.append(f"Payment link texted: {g.url('pay')}. Confirmation # {g.ref_no()}.")
        if g.chance(0.4):
            lines.append(f"Web payment posted from IP {g.ip()} at {g.time()}.")
    if g.chance(0.3):
        lines.append(
            f"Debtor states insurance should have paid: {g.pick(PAYERS[:6])} member {g.member_id()}, claim {g.claim()}."
        )
    lines.append(
        f"Next action: recall {g.date(d + dt.timedelta(days=7), g.pick(['md', 'wd_md']))} after 5 PM CT. Agent initials {agent.first[0]}{agent.last[0]}."
    )
    return "\n".join(lines)


def workers_comp_froi(g: Gen) -> str:
    emp, sup, doc = g.person(), g.person(), g.person()
    injury = g.pick(
        [
            ("fell from 8 ft ladder, landed on L side", "L wrist", "S62.102A"),
            ("lifting 60 lb box, felt pop in low back", "lumbar spine", "S39.012A"),
            ("laceration to R hand from box cutter, 4 cm", "R hand", "S61.411A"),
            ("rear-ended in company van at 25 mph", "neck", "S13.4XXA"),
        ]
    )
    d = g.visit_date()
    doi = d - dt.timedelta(days=g.r.randint(0, 6))
    age = g.r.randint(18, 70)
    town = g.town()
    lines = [
        "EMPLOYER'S FIRST REPORT OF INJURY OR ILLNESS",
        f"Carrier: {PAYERS[-1]}   WC claim no.: {g.claim()}   Policy: {P('OTHER_ID', g.pat('WCP-#######'))}",
        f"1. Employee: {g.name(emp, g.pick(['last_comma_first', 'first_mi_last']))}",
        f"2. SSN: {g.ssn()}   3. DOB: {g.date(g.dob(age), full=True)}   4. Age: {age}",
        f"5. Home address: {g.address(town=town)}",
        f"6. Phone: {g.phone()}   7. Occupation: {g.pick(['roofer', 'CNA', 'line cook', 'warehouse picker', 'delivery driver'])}",
        f"8. Employer: {g.employer()}, FEIN {P('OTHER_ID', g.pat('##-#######'))}",
        f"9. Employer address: {g.address()}",
        f"10. Supervisor: {g.name(sup, 'first_last')}  tel {g.phone()}",
        f"11. Date of injury: {g.date(doi, g.pick(['us', 'full_wd', 'dmy_upper', 'iso']))}  Time: {g.time12()}  "
        f"Date employer notified: {g.date(doi, g.pick(['md', 'us_short', 'mon_ord']))}",
        f"12. Place of accident: {g.pick(['loading dock', 'job site at', 'customer home at'])} {P('LOCATION', g.street())}, {P('LOCATION', town)}",
        f"13. Description: {injury[0]}.",
        f"14. Body part: {injury[1]}; ICD-10 {injury[2]}.",
    ]
    if g.chance(0.45):
        lines.append(
            f"15. Vehicle involved: plate {g.plate()}, VIN {g.vin()} (company van {g.r.randint(1, 40)})."
        )
    if g.chance(0.4):
        lines.append(
            f"16. Photos attached: {g.photo(doi)} (face/forehead laceration), scene_{g.r.randint(1, 9)}.jpg."
        )
    if g.chance(0.3):
        wit = g.person()
        lines.append(f"17. Witness: {g.name(wit, 'first_last')}, {g.phone()}.")
    lines.append(
        f"18. Treating physician: {cred(g, doc, ['MD', 'DO'])}, {g.pick(FACILITIES)}; state lic. {g.prof_license('md')}."
    )
    lines.append(
        f"19. Return to work: {g.pick(['light duty', 'full duty', 'off work'])} {g.date(doi + dt.timedelta(days=g.r.randint(2, 21)), full=True)}."
    )
    lines.append(
        f"Prepared by {P('NAME', sup.first)} {P('NAME', sup.last)} on {g.date(d, 'iso')}; employee DL {g.dl()}."
    )
    return "\n".join(lines)


def telehealth_summary(g: Gen) -> str:
    pt, clin = g.person(), g.person()
    d = g.visit_date()
    age, age_txt = g.age_phrase(0.15)
    sexw, _he, _his = sex_words(pt)
    lines = [
        f"TELEHEALTH VISIT SUMMARY - {g.pick(['video', 'audio-only', 'video (converted to audio)'])}",
        f"Patient: {g.name(pt)}   DOB {g.date(g.dob(age), full=True)}   MRN {g.mrn()}",
        f"Visit: {g.date(d, g.pick(['full_wd', 'iso', 'us', 'long']))}, start {g.time12()} (POS 10, modifier 95)",
        f"Clinician: {cred(g, clin, ['MD', 'NP', 'PA-C', 'LCSW'])}",
        f"Session link: {g.url('meet')}   Session ID {P('OTHER_ID', g.pat('TH-########'))}",
        f"Connection: patient IP {g.ip()}, {g.pick(['iOS app', 'Chrome 128', 'Android app'])}, bitrate {g.r.randint(300, 2500)} kbps",
        f"Patient location at time of visit (verified): {g.address(county=g.chance(0.25))}",
        f"Callback if disconnected: {g.phone()}",
    ]
    if g.chance(0.45):
        lines.append(
            f"Identity verified against photo on file ({g.photo(d)}) and {g.pick(['DL', 'state ID'])} # {g.dl()}."
        )
    lines.append(
        f"HPI: {age_txt} {sexw} with {g.pick(['T1DM on pump', 'anxiety follow-up', 'UTI symptoms x 2 days', 'rash on forearm', 'CHF weight check'])}. "
        f"Home readings: {g.vitals()}."
    )
    if g.chance(0.45):
        lines.append(
            f"Device data reviewed: {g.pick(['Dexcom G7 transmitter', 'insulin pump', 'home BP cuff (Bluetooth)', 'CPAP'])} SN {g.serial()}; time in range {g.r.randint(40, 95)}%."
        )
    if g.chance(0.3):
        relw, helper = relative(g, ["daughter", "son", "neighbor", "home aide", "grandson"])
        lines.append(
            f"{g.name(helper, 'first_last')} ({relw}) helped with camera; reachable at {g.phone()}."
        )
    lines.append(
        f"Assessment/Plan: {g.pick(['N39.0', 'F41.1', 'E10.65', 'L30.9', 'I50.9'])}; e-Rx {g.pick(DRUGS)} to pharmacy on file. Follow up {g.date(d + dt.timedelta(days=g.r.randint(7, 60)), g.pick(['md', 'month_the_ord', 'wd_md', 'us']))}."
    )
    if g.chance(0.35):
        lines.append(f"After-visit summary e-mailed to {g.email(pt)}.")
    lines.append(
        f"Total time {g.r.randint(12, 45)} min. {g.ref(clin, g.pick(['Dr.', 'Provider']))} attests to consent for telehealth."
    )
    return "\n".join(lines)


def eligibility_call(g: Gen) -> str:
    pt, rep, biller = g.person(), g.person(), g.person()
    subw, sub = relative(g, ["spouse", "parent", "mother", "father", "husband", "wife"])
    d = g.visit_date()
    payer = g.pick(PAYERS[:6])
    is_self = g.chance(0.5)
    age, _ = g.age_phrase(0.15)
    lines = [
        f"ELIGIBILITY & BENEFITS CALL LOG  ({g.date(d, g.pick(['us', 'iso', 'dmy_upper', 'full_wd']))} {g.time12()})",
        f"Caller: {g.name(biller, 'first_last')}, billing office    Payer: {payer}",
        f"Payer line dialed: {g.phone(False)}, option {g.r.randint(1, 5)} then {g.r.randint(1, 5)}",
        f"Rep: {P('NAME', rep.first)} (rep ID {P('OTHER_ID', g.pat('####'))})   Call ref #: {g.ref_no()}",
        f"Patient: {g.name(pt, g.pick(['last_comma_first', 'first_last', 'upper_last_comma']))}  DOB {g.date(g.dob(age), full=True)}",
    ]
    if is_self:
        lines.append(f"Subscriber: self   Member ID: {g.member_id()}   Group: {g.pat('GRP#####')}")
    else:
        lines.append(
            f"Subscriber: {g.name(sub, 'first_mi_last')} ({subw}), DOB {g.date(g.dob(), full=True)}, "
            f"ID {g.member_id()}"
        )
    if payer == "Medicare Part B" or g.chance(0.2):
        lines.append(f"Medicare MBI: {g.mbi()}   Secondary: {g.pick(['Medigap Plan G', 'none'])}")
    if payer.startswith("Heartland") or g.chance(0.15):
        lines.append(
            f"Medicaid ID {g.medicaid()}, recert due {g.date(d + dt.timedelta(days=120), g.pick(['month_year', 'us']))}"
        )
    lines += [
        f"Eff date {g.date(dt.date(2026, 1, 1), g.pick(['us', 'iso', 'us_short']))}, active. Deductible $1,500 / met {g.money()}. "
        f"Copay $35 specialist, coins 20%. OOP max $6,350.",
        f"CPT 97110 x {g.r.randint(8, 20)} visits/yr; prior auth {g.pick(['required', 'not required'])} for 72148.",
    ]
    if g.chance(0.4):
        lines.append(
            f"Auth on file {g.auth()} for DOS {g.date(d + dt.timedelta(days=5), 'md')}-{g.date(d + dt.timedelta(days=35), 'md')}."
        )
    if g.chance(0.35):
        lines.append(f"Rep confirmed address on file: {g.address()}; phone {g.phone()}.")
    if g.chance(0.35):
        lines.append(f"Caller verified via IVR voice-biometric, token {g.biometric('voice')}.")
    if g.chance(0.3):
        lines.append(
            f"Portal screenshot saved; portal URL {g.url('portal')}; payer fax for records {g.fax()}."
        )
    lines.append(
        f"Call length {g.r.randint(6, 48)} min. Logged by {biller.first[0]}{biller.last[0]}; acct {g.account()}."
    )
    return "\n".join(lines)


def ambulance_run(g: Gen) -> str:
    pt, medic, emt = g.person(), g.person(), g.person()
    famw, fam = relative(g, ["wife", "husband", "son", "granddaughter", "neighbor"])
    d = g.visit_date()
    age, age_txt = g.age_phrase(0.3)
    _sexw, _he, _his = sex_words(pt)
    town = g.town()
    unit = g.r.randint(1, 30)
    t0 = g.r.randint(0, 22 * 60)
    steps = [0] + [g.r.randint(1, 25) for _ in range(4)]
    times = []
    for st in steps:
        t0 += st
        times.append(f"{t0 // 60 % 24:02d}:{t0 % 60:02d}")
    lines = [
        f"PATIENT CARE REPORT - Medic {unit}   Incident #{P('OTHER_ID', g.pat('26-######'))}   PCR {P('OTHER_ID', g.pat('########'))}",
        f"Date: {g.date(d, g.pick(['us', 'iso', 'dmy_upper', 'dot']))}   Disp {times[0]}  Enr {times[1]}  OnSc {times[2]}  Tx {times[3]}  AtDest {times[4]}",
        f"Scene: {P('LOCATION', g.street())}, {P('LOCATION', town)} ({g.pick(['residence', 'roadway', 'nursing facility', 'parking lot'])})",
        f"Pt: {g.name(pt, g.pick(['upper_last_comma', 'last_comma_first']))}  {age_txt}  DOB {g.date(g.dob(age), full=True)}  Wt {g.r.randint(45, 140)} kg",
        f"CC: {g.pick(['fall with hip pain', 'chest pain', 'SOB', 'MVC restrained driver', 'AMS'])}. GCS {g.r.randint(9, 15)}. "
        f"Vitals: {g.vitals()}. BGL {g.r.randint(60, 380)} mg/dL. 12-lead: {g.pick(['NSR', 'AF RVR 140s', 'STE II/III/aVF'])}.",
        f"Tx: O2 {g.r.randint(2, 15)} L NC, IV 18g L AC, {g.pick(['aspirin 324 mg PO', 'NS 500 mL', 'fentanyl 50 mcg IV', 'albuterol 2.5 mg neb'])}.",
    ]
    if g.chance(0.4):
        lines.append(
            f"MVC: pt vehicle {g.pick(['2017 Honda CR-V', '2012 Ford F-150', '2020 Toyota Corolla'])}, plate {g.plate()}, VIN {g.vin()}; PD report {P('OTHER_ID', g.pat('##-#####'))}."
        )
    if g.chance(0.3):
        lines.append(
            f"Pt has {g.pick(['LVAD', 'implanted defibrillator', 'insulin pump'])}; controller serial {g.serial()} transported with pt."
        )
    if g.chance(0.5):
        lines.append(f"Family: {famw} {g.name(fam, 'first_last')} on scene, cell {g.phone()}.")
    if age > 89:
        lines.append(f"Facility staff report pt is {g.old_age(age)[1]}, DNR/POLST present.")
    lines += [
        f"Dest: {g.pick(HOSPITALS)}, Bay {g.r.randint(1, 20)}. Pt belongings incl. {g.pick(['wallet', 'glasses', 'cane'])} given to RN.",
        f"Billing: {g.pick(PAYERS[:6])} ID {g.member_id()}; SSN {g.ssn()}; HCPCS A0427 + A0425 x {g.r.randint(2, 30)} mi.",
        f"Crew: {g.name(medic, 'first_last')}, Paramedic (lic {g.prof_license('medic')}); {g.name(emt, 'first_last')}, EMT.",
    ]
    return "\n".join(lines)


def dental_attachment(g: Gen) -> str:
    pt, sub, dds = g.person(), g.person(), g.person()
    d = g.visit_date()
    age, _ = g.age_phrase(0.1)
    tooth = g.r.randint(1, 32)
    lines = [
        f"DENTAL CLAIM ATTACHMENT - NARRATIVE  ({g.pick(['NEA', 'DentalXChange', 'paper'])} attachment #{P('OTHER_ID', g.pat('NEA#######'))})",
        f"Payer: {g.pick(['Evergreen Dental Benefits', 'Bluecrest Health Plan', 'Tidewater Mutual'])}   Claim #{g.claim()}",
        f"Patient: {g.name(pt)}   DOB {g.date(g.dob(age), full=True)}   Pt ID {g.mrn()}",
        f"Subscriber: {g.name(sub, 'last_comma_first')}   Subscriber ID {g.member_id()}   Employer: {g.employer()}",
        f"DOS: {g.date(d, g.pick(['us', 'iso', 'dot', 'dmy_upper']))}   Tooth #{tooth}   Surfaces {g.pick(['MOD', 'DO', 'MODBL'])}",
        f"Procedure: {g.pick(['D2740 porcelain crown', 'D6010 implant body', 'D4341 SRP 4+ teeth', 'D7140 extraction'])}. Prior placement: {g.pick(['none', 'crown on #' + str(tooth) + ' placed ' + g.date(d - dt.timedelta(days=g.r.randint(1900, 4000)), 'month_year')])}.",
        f"Narrative: Fractured cusp, recurrent decay under existing MOD amalgam. Perio probing 3-4 mm, BOP {g.r.randint(5, 40)}%. "
        f"Radiographs (2 BWX, 1 PA) dated {g.date(d - dt.timedelta(days=g.r.randint(0, 20)), g.pick(['md', 'us_short', 'mon_ord']))} attached.",
    ]
    if g.chance(0.45):
        lines.append(f"Implant: lot/serial {g.serial()}; UDI {g.udi()}.")
    if g.chance(0.5):
        lines.append(
            f"Images: intraoral_{g.r.randint(1, 12)}.jpg (teeth only); full-face smile photo {g.photo(d)}."
        )
    lines.append(
        f"Treating dentist: {g.name(dds, g.pick(['first_last', 'first_mi_last']))}, DDS  NPI {g.npi()}  lic {g.prof_license('dds')}"
    )
    lines.append(f"Office: {g.address()}  tel {g.phone()}  fax {g.fax()}")
    if g.chance(0.3):
        lines.append(
            f"Questions: {g.org_email(dds, 'smileworks')}. Pt guarantor acct {g.account()}."
        )
    if age > 89:
        lines.append(
            f"Pt is {g.old_age(age)[1]}; nursing home resident, consent by {g.name(g.person(), 'first_last')} (POA)."
        )
    return "\n".join(lines)


def social_work_note(g: Gen) -> str:
    pt, sw = g.person(), g.person()
    kinw, kin = relative(g, ["daughter", "son", "niece", "nephew", "brother", "sister"])
    d = g.visit_date()
    age, age_txt = g.age_phrase(0.35, low=55)
    _sexw, he, his = sex_words(pt)
    town = g.town()
    role = g.pick(["Chaplain", "Social Work", "Spiritual Care", "Case Management / SW"])
    lines = [
        f"{role.upper()} NOTE    {g.date(d, g.pick(['long', 'full_wd', 'us', 'dmy_long']))} {g.time()}",
        f"Pt: {g.name(pt)}  MRN {g.mrn()}  Rm {g.r.randint(200, 799)}-{g.pick('AB')}",
        "",
        f"Visited {g.ref(pt, title(g, pt))} at bedside per {g.pick(['RN request', 'family request', 'palliative consult'])}. "
        f"Pt ({age_txt}) is a {g.pick(['retired teacher', 'widowed farmer', 'former machinist', 'homemaker', 'veteran'])} from {P('LOCATION', town)}, "
        f"{g.pick(['Catholic', 'Muslim', 'Jewish', 'Baptist', 'Buddhist', 'no religious affiliation'])}.",
        f"{he.capitalize()} asked for {his} {kinw} {g.name(kin, g.pick(['first_last', 'nick']))}, who lives in {P('LOCATION', g.town())}; "
        f"reached {g.ref(kin)} at {g.phone()}.",
    ]
    if g.chance(0.5):
        lines.append(
            f"Housing: pt lived alone at {P('LOCATION', g.street())} in {g.pick(['', 'the '])}{P('LOCATION', g.pick(NEIGHBORHOODS).replace('the ', ''))} "
            f"neighborhood of {P('LOCATION', town)}; landlord {g.name(g.person(), 'first_last')} ({g.phone()}) filed eviction notice dated {g.date(d - dt.timedelta(days=g.r.randint(5, 60)))}."
        )
    if g.chance(0.4):
        lines.append(
            f"Income: SSDI; pt provided SSN {g.ssn()} for Medicaid application, Medicaid pending #{P('OTHER_ID', g.pat('MA-########'))}."
        )
    if g.chance(0.35):
        lines.append(f"Former employer {g.employer()} pension contact: {g.phone()}.")
    if age > 89 or g.chance(0.2):
        lines.append(
            f"Advance directive signed {g.date(d - dt.timedelta(days=g.r.randint(100, 3000)), full=True)}; HCPOA is {g.ref(kin)}."
        )
    lines.append(
        f"Plan: {g.pick(['prayer offered, will follow', 'APS referral placed', 'SNF list given', 'hospice info given', 'bus voucher + food bank list'])}. "
        f"PHQ-2 = {g.r.randint(0, 6)}. {g.pick(['', 'Eponym note: hx ' + g.pick(EPONYMS) + '.'])}".rstrip()
    )
    lines.append(
        f"{g.name(sw, 'first_last')}, {g.pick(['BCC', 'LCSW', 'MSW', 'MDiv'])}  office {g.phone()}"
    )
    return "\n".join(lines)


def intake_form(g: Gen) -> str:
    pt, pcp = g.person(), g.person()
    ecw, ec = relative(g, ["spouse", "mother", "friend", "son", "daughter"])
    d = g.visit_date()
    age, _ = g.age_phrase(0.12)
    town = g.town()
    sep = g.pick([" | ", "; ", "  "])
    fields = [
        f"Last Name: {P('NAME', pt.last)}",
        f"First Name: {P('NAME', pt.first)}",
        f"MI: {pt.middle}",
        f"Preferred name: {P('NAME', pt.nick) if pt.nick else 'same'}",
        f"Suffix: {pt.suffix or 'n/a'}",
        f"DOB: {g.date(g.dob(age), full=True)}",
        f"Sex: {pt.sex}",
        f"SSN: {g.ssn()}",
        f"Street: {P('LOCATION', g.street())}",
        f"City: {P('LOCATION', town)}",
        f"County: {P('LOCATION', g.pick(COUNTIES))}",
        f"State: {g.pick(STATES)}",
        f"Zip: {P('LOCATION', g.zipc())}",
        f"Home Ph: {g.phone()}",
        f"Cell: {g.phone()}",
        f"Work Ph: {g.phone() if g.chance(0.5) else 'none'}",
        f"Email: {g.email(pt)}",
        f"Employer: {g.employer() if g.chance(0.7) else 'retired'}",
        f"Emergency contact: {g.name(ec, 'first_last')} ({ecw}) {g.phone()}",
        f"PCP: {cred(g, pcp, ['MD', 'NP', 'DO'])}",
        f"Primary ins: {g.pick(PAYERS[:6])} ID {g.member_id()} Grp {g.pat('######')}",
        f"Driver lic #: {g.dl()}",
    ]
    if g.chance(0.3):
        fields.append(f"Medicare #: {g.mbi()}")
    if g.chance(0.45):
        kind = g.pick(["palm", "finger", "iris", "face"])
        label = {
            "palm": "Kiosk palm-vein template",
            "finger": "Fingerprint check-in ID",
            "iris": "Iris enrollment ref",
            "face": "Face-match template",
        }[kind]
        fields.append(f"{label}: {g.biometric(kind)}")
    if g.chance(0.45):
        fields.append(f"Photo on file: {g.photo(d)}")
    if g.chance(0.3):
        fields.append(f"Vehicle (valet/parking permit): plate {g.plate()}")
    if age > 89:
        fields.append(f"Age: {P('AGE', str(age))}")
    fields += [
        f"Allergies: {g.pick(['NKDA', 'PCN (hives)', 'sulfa', 'latex'])}",
        f"Height {g.r.randint(58, 76)} in  Weight {g.r.randint(95, 290)} lb",
        f"Signature date: {g.date(d, g.pick(['us', 'us_short', 'iso', 'dash']))}"
        + (f" (e-signed on tablet, IP {g.ip()})" if g.chance(0.2) else ""),
        f"Patient acct #: {g.account()}",
    ]
    return "NEW PATIENT INTAKE FORM (scanned, OCR text)\n" + sep.join(fields)


def sms_thread(g: Gen) -> str:
    pt, doc, staff = g.person(), g.person(), g.person()
    d = g.visit_date()
    appt = d + dt.timedelta(days=g.r.randint(1, 10))
    clinic = g.pick(FACILITIES)
    pt_num = g.phone_str(False)
    relw, rel = relative(g, ["mom", "husband", "wife", "kid", "friend", "dad"])

    def stamp(day: dt.date) -> str:
        return f"[{g.date(day, g.pick(['md', 'us', 'wd_md', 'iso']))} {g.time12()}]"

    lines = [
        f"SMS thread export - {clinic} text line {g.phone(False)} <-> {P('PHONE', pt_num)}",
        f"{stamp(d)} Clinic: Hi {P('NAME', pt.call)}, this is {P('NAME', staff.first)} at {clinic}. Reminder: appt with {g.ref(doc, 'Dr.')} on "
        f"{g.date(appt, g.pick(['wd_md', 'month_the_ord', 'mon_ord', 'md', 'full_wd']))} at {g.time12()}. Reply C to confirm, R to reschedule.",
        f"{stamp(d)} {P('PHONE', pt_num)}: C. can i bring my {relw} {P('NAME', rel.first)}?",
        f"{stamp(d)} Clinic: Of course! Check in online first: {g.url('short')}",
    ]
    if g.chance(0.5):
        lines.append(
            f"{stamp(d)} {P('PHONE', pt_num)}: here is my new insurance card (attachment {g.photo(d)}). member id is {g.member_id()}"
        )
    if g.chance(0.4):
        lines.append(f"{stamp(d)} {P('PHONE', pt_num)}: also we moved, new addr {g.address()}")
    if g.chance(0.35):
        lines.append(
            f"{stamp(d)} Clinic: Thanks! Your balance of {g.money()} can be paid at {g.url('pay')} (acct {g.account()})."
        )
    if g.chance(0.3):
        lines.append(
            f"{stamp(d)} {P('PHONE', pt_num)}: pls email the school form to {g.email(pt)}, its for {P('NAME', g.person().first)} ({g.pick(['7', '12', '15'])}yo)"
        )
    if g.chance(0.25):
        lines.append(
            f"{stamp(d)} {P('PHONE', pt_num)}: my dr is still {g.ref(doc, 'dr')} right? lost my pump, serial was {g.serial()}"
        )
    lines.append(
        f"{stamp(appt)} Clinic: {P('NAME', pt.call)}, we have you checked in for today. Room {g.r.randint(1, 12)}. Questions: {g.phone()}"
    )
    lines.append("-- end of export (STOP to opt out) --")
    return "\n".join(lines)


KINDS = {
    "radiology_dictation": radiology_dictation,
    "soap_note": soap_note,
    "referral_fax": referral_fax,
    "collection_call": collection_call,
    "workers_comp_froi": workers_comp_froi,
    "telehealth_summary": telehealth_summary,
    "eligibility_call": eligibility_call,
    "ambulance_run": ambulance_run,
    "dental_attachment": dental_attachment,
    "social_work_note": social_work_note,
    "intake_form": intake_form,
    "sms_thread": sms_thread,
}


# --------------------------------------------------------------------------- checks
SUFFIX_TOKENS = {"Jr", "Sr", "II", "III", "IV"}
TOKEN = re.compile(r"[A-ZÀ-ÞØ][\w'’\-]+")


def _covered(spans: list[dict], start: int, end: int) -> bool:
    return any(s["start"] <= start and end <= s["end"] for s in spans)


def check(text: str, spans: list[dict]) -> list[str]:
    """Problems in one note: offsets, overlaps, spaces, unlabelled repeat mentions."""
    problems = []
    ordered = sorted(spans, key=lambda s: s["start"])
    for s in ordered:
        if text[s["start"] : s["end"]] != s["text"]:
            problems.append(f"offset mismatch {s}")
        if s["text"] != s["text"].strip():
            problems.append(f"edge space {s}")
    for a, b in itertools.pairwise(ordered):
        if b["start"] < a["end"]:
            problems.append(f"overlap {a['text']!r} / {b['text']!r}")
    for s in spans:
        if s["category"] == "NAME" and not s["org"]:
            needles = [t.rstrip(".") for t in TOKEN.findall(s["text"])]
            needles = [t for t in needles if len(t) > 1 and t not in SUFFIX_TOKENS]
        elif s["category"] == "LOCATION" or s["org"]:
            needles = [s["text"]]
        else:
            continue
        for n in needles:
            for m in re.finditer(rf"(?<![\w]){re.escape(n)}(?![\w])", text, re.IGNORECASE):
                if not _covered(spans, m.start(), m.end()):
                    problems.append(f"unlabelled mention {n!r} at {m.start()}")
    return problems


def build() -> list[dict]:
    """All notes, checked; raises if any check fails."""
    records = []
    kinds = list(KINDS)
    failures = []
    for i in range(N_NOTES):
        kind = kinds[i % len(kinds)]
        g = Gen(SEED * 1000 + i)
        text, spans = unmark(KINDS[kind](g))
        for p in check(text, spans):
            failures.append(f"{i} {kind}: {p}")
        clean = [
            {k: s[k] for k in ("category", "end", "start", "text")}
            for s in sorted(spans, key=lambda s: s["start"])
        ]
        records.append(
            {
                "id": f"{STYLE}-2026-{i:04d}",
                "kind": kind,
                "spans": clean,
                "style": STYLE,
                "text": text,
            }
        )
    if failures:
        raise SystemExit("self-check failed:\n" + "\n".join(failures[:40]))
    return records


def main() -> None:
    records = build()
    with OUT.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, sort_keys=True, ensure_ascii=False) + "\n")
    spans = Counter(s["category"] for r in records for s in r["spans"])
    notes = Counter(c for r in records for c in {s["category"] for s in r["spans"]})
    missing = [c for c in CATEGORIES if not spans[c]]
    print(f"wrote {OUT.name}: {len(records)} notes, {sum(spans.values())} spans")
    for c in CATEGORIES:
        print(f"| `{c}` | {spans[c]} | {notes[c]} |")
    if missing:
        raise SystemExit(f"categories missing: {missing}")


if __name__ == "__main__":
    sys.exit(main())
