#!/usr/bin/env python3
"""Build heldout5.jsonl: a blind, synthetic, labelled set of clinical notes for PHI
de-identification (HIPAA Safe Harbor, 45 CFR 164.514(b)(2)).

Written by a helper that never saw the de-identifier, its rules, its word lists or the
earlier labelled sets. Every name, place, employer and number below is invented here
(hand-written lists + seeded random numbers). Standard library only, deterministic.

    python3 build_heldout5.py            # writes heldout5.jsonl beside this file
    python3 build_heldout5.py --stats    # also prints counts per category and kind

PHI values are wrapped in markers while a note is built; the offsets are taken from the
markers, never counted by hand. Before writing, the script checks every span.
"""

import json
import os
import random
import re
import sys
from collections import Counter
from datetime import date, timedelta

SEED = 5505
N_PER_KIND = 24
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "heldout5.jsonl")

CATS = [
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

R = random.Random(SEED)

# --------------------------------------------------------------------------- markers
O_, M_, C_ = "\x01", "\x02", "\x03"


def P(cat, s):
    assert cat in CATS, cat
    s = str(s)
    assert s and s == s.strip(), repr(s)
    return f"{O_}{cat}{M_}{s}{C_}"


def unmark(marked):
    text, spans, i = [], [], 0
    pos = 0
    pat = re.compile(re.escape(O_) + r"([A-Z_]+)" + re.escape(M_) + r"(.*?)" + re.escape(C_), re.S)
    for m in pat.finditer(marked):
        chunk = marked[i : m.start()]
        text.append(chunk)
        pos += len(chunk)
        cat, val = m.group(1), m.group(2)
        spans.append({"category": cat, "start": pos, "end": pos + len(val), "text": val})
        text.append(val)
        pos += len(val)
        i = m.end()
    text.append(marked[i:])
    out = "".join(text)
    assert O_ not in out and M_ not in out and C_ not in out
    return out, spans


def ch(seq):
    return R.choice(seq)


def chance(p):
    return R.random() < p


# --------------------------------------------------------------------------- people
FIRST_F = [
    # Irish
    "Siobhán",
    "Niamh",
    "Aoife",
    "Róisín",
    "Gráinne",
    "Orla",
    "Caoimhe",
    # Vietnamese
    "Thuy",
    "Lien",
    "Ngoc Anh",
    "Hanh",
    "Phuong",
    "My Linh",
    # Nigerian
    "Ngozi",
    "Chiamaka",
    "Yetunde",
    "Oluwakemi",
    "Adaeze",
    "Funmilayo",
    "Ifeoma",
    # Hispanic
    "Ximena",
    "Guadalupe",
    "Maricela",
    "Itzel",
    "Marisol",
    "Yesenia",
    "Araceli",
    # Dutch
    "Femke",
    "Anouk",
    "Marloes",
    "Sanne",
    "Lieke",
    # Arabic
    "Layla",
    "Rania",
    "Nour",
    "Samira",
    "Hanan",
    "Dalia",
    # Indian
    "Priyanka",
    "Anjali",
    "Lakshmi",
    "Harpreet",
    "Kavitha",
    "Meenakshi",
    # Polish
    "Małgorzata",
    "Agnieszka",
    "Katarzyna",
    "Zofia",
    "Bożena",
    # Korean, Ethiopian, Greek, Hmong, Samoan, Anglo
    "Seo-yeon",
    "Ji-woo",
    "Tigist",
    "Meseret",
    "Eleni",
    "Pa Nhia",
    "Malia",
    "Hope",
    "Pearl",
    "Bernadette",
    "Delphine",
    "Wilhelmina",
    "Tallulah",
]
FIRST_M = [
    "Cathal",
    "Pádraig",
    "Ciarán",
    "Eoghan",
    "Donncha",
    "Tadhg",
    "Minh",
    "Quang",
    "Bao",
    "Hoang",
    "Duc Anh",
    "Thanh",
    "Chukwuemeka",
    "Oluwaseun",
    "Adebayo",
    "Ifeanyi",
    "Babatunde",
    "Emeka",
    "Obinna",
    "Joaquín",
    "Rodrigo",
    "Esteban",
    "Ulises",
    "Heriberto",
    "Rigoberto",
    "Maarten",
    "Sjoerd",
    "Joris",
    "Wouter",
    "Thijs",
    "Yousef",
    "Khalid",
    "Tariq",
    "Bilal",
    "Hamza",
    "Nasser",
    "Venkatesh",
    "Siddharth",
    "Rajinder",
    "Arjun",
    "Gurpreet",
    "Mahesh",
    "Wojciech",
    "Krzysztof",
    "Bartosz",
    "Przemysław",
    "Grzegorz",
    "Seung-woo",
    "Dong-hyun",
    "Abebe",
    "Dawit",
    "Evangelos",
    "Tou",
    "Tavita",
    "Augustin",
    "Ezekiel",
    "Thaddeus",
    "Lucius",
    "Cornelius",
    "Ambrose",
]
LAST = [
    "O'Sullivan",
    "Mac Giolla Phádraig",
    "Fitzmaurice",
    "Ó Dálaigh",
    "McGillicuddy",
    "Breathnach",
    "Ní Bhriain",
    "Donoghue-Kerr",
    "Nguyen",
    "Tran",
    "Pham",
    "Huynh",
    "Dang",
    "Truong",
    "Luu",
    "Okonkwo",
    "Adeyemi",
    "Nwachukwu",
    "Ogundipe",
    "Balogun",
    "Eze",
    "Olatunji-Bakare",
    "Chukwu",
    "Villaseñor",
    "de la Garza",
    "Zamora-Ruiz",
    "Quiñones",
    "del Toro",
    "Ibarra",
    "Echeverría",
    "Valenzuela",
    "van der Meulen",
    "de Vries",
    "Verhoeven",
    "ter Horst",
    "van Dijk",
    "Wijnberg",
    "Al-Masri",
    "El-Sayed",
    "Haddad",
    "bin Rashid",
    "Abu-Ghazaleh",
    "Qasim",
    "Al Zahrani",
    "Raghunathan",
    "Chatterjee",
    "Iyer",
    "Deshpande",
    "Venkataraman",
    "Sandhu",
    "Kulkarni",
    "Wiśniewski",
    "Kowalczyk",
    "Zieliński",
    "Grzybowska",
    "Szymańska",
    "Brzęczyszczykiewicz",
    "Baek",
    "Yoon",
    "Gebremedhin",
    "Tesfaye",
    "Papadakis",
    "Xiong",
    "Faleolo",
    "Fairweather",
    "Goodbody",
    "Mercer",
    "Hale",
    "Pettigrew",
    "Wickersham",
    "Thistlewood",
    "St. Croix-Abara",
    "D'Souza",
    "N'Dour",
]
NICK = {
    "Bartosz": "Bart",
    "Przemysław": "Przemek",
    "Chukwuemeka": "Emeka",
    "Oluwaseun": "Seun",
    "Guadalupe": "Lupe",
    "Małgorzata": "Gosia",
    "Wilhelmina": "Billie",
    "Rigoberto": "Rigo",
    "Krzysztof": "Krzys",
    "Heriberto": "Beto",
    "Cornelius": "Neil",
    "Siddharth": "Sid",
    "Funmilayo": "Funmi",
    "Pádraig": "Paddy",
    "Thaddeus": "Tad",
    "Oluwakemi": "Kemi",
    "Evangelos": "Vangelis",
    "Venkatesh": "Venky",
    "Yetunde": "Tunde",
    "Katarzyna": "Kasia",
}
SUFFIX = ["Jr.", "Sr.", "III", "II", "IV"]
PARTICLES = {
    "van",
    "der",
    "de",
    "del",
    "la",
    "ter",
    "bin",
    "al",
    "abu",
    "el",
    "mac",
    "ní",
    "ó",
    "st",
    "jr",
    "sr",
    "ii",
    "iii",
    "iv",
    "giolla",
}


class Person:
    def __init__(self, sex=None, allow_suffix=True):
        self.sex = sex or ch("FM")
        self.first = ch(FIRST_F if self.sex == "F" else FIRST_M)
        self.last = ch(LAST)
        self.mi = ch("ABCDEFGHJKLMNPRSTVWY")
        self.suffix = ch(SUFFIX) if (allow_suffix and self.sex == "M" and chance(0.12)) else ""
        self.nick = NICK.get(self.first) if chance(0.5) else None

    def name(self, form=None):
        """Return the marked NAME span(s) in one of many forms."""
        f, l, mi, sx = self.first, self.last, self.mi, self.suffix
        forms = ["full", "full", "full_mi", "lfm", "LFM", "CAPS", "init", "full_sfx", "initials"]
        if self.nick:
            forms += ["nick", "nick"]
        form = form or ch(forms)
        if form in ("nick", "nickonly") and not self.nick:
            form = "full" if form == "nick" else "first"
        if form == "full":
            s = f"{f} {l}" + (f" {sx}" if sx else "")
        elif form == "full_mi":
            s = f"{f} {mi}. {l}" + (f" {sx}" if sx else "")
        elif form == "lfm":
            s = f"{l}{' ' + sx if sx else ''}, {f} {mi}"
        elif form == "LFM":
            s = f"{l.upper()}{' ' + sx.upper() if sx else ''}, {f.upper()} {mi}"
        elif form == "CAPS":
            s = f"{f.upper()} {l.upper()}"
        elif form == "init":
            s = f"{f[0]}. {l}"
        elif form == "initials":
            s = f"{f[0]}.{mi}. {l}"
        elif form == "full_sfx":
            s = f"{f} {l}" + (f", {sx}" if sx else "")
        elif form == "nick":
            q = ch(['"', "'"])
            s = f"{f} {q}{self.nick}{q} {l}"
        elif form == "last":
            s = l
        elif form == "first":
            s = f
        elif form == "nickonly":
            s = self.nick or f
        elif form == "lower":
            s = f"{f} {l}".lower()
        else:
            raise ValueError(form)
        return P("NAME", s)

    def title(self):
        return "Ms." if self.sex == "F" else "Mr."

    def pron(self):
        return "she" if self.sex == "F" else "he"

    def poss(self):
        return "her" if self.sex == "F" else "his"


CRED = ["MD", "DO", "NP", "PA-C", "MBBS", "FNP-BC", "DNP"]
NURSE_CRED = ["RN", "LPN", "BSN, RN", "RN, CCRN"]


def doc(form=None):
    """A provider: title/credential outside the span."""
    p = Person(allow_suffix=False)
    style = ch(["dr", "dr", "cred", "cred", "drlast", "caps"])
    if style == "dr":
        return p, "Dr. " + p.name(form or ch(["full", "full_mi", "init"]))
    if style == "drlast":
        return p, "Dr. " + p.name("last")
    if style == "caps":
        return p, p.name("CAPS") + ", " + ch(CRED).upper()
    return p, p.name(form or ch(["full", "full_mi", "initials"])) + ", " + ch(CRED)


def nurse():
    p = Person(allow_suffix=False)
    return p, p.name(ch(["full", "init", "first", "full"])) + ", " + ch(NURSE_CRED)


REL_SEX = {
    "daughter": "F",
    "son": "M",
    "wife": "F",
    "husband": "M",
    "niece": "F",
    "grandson": "M",
    "granddaughter": "F",
    "sister": "F",
    "brother": "M",
    "son-in-law": "M",
    "daughter-in-law": "F",
}


def relative():
    r = ch(RELATIONS)
    return r, Person(sex=REL_SEX.get(r))


def rel_name(form=None, cap=False):
    r, p = relative()
    return f"{r.capitalize() if cap else r} {p.name(form)}"


def relative_pair(form=None):
    r, p = relative()
    return r, p.name(form)


def name_rel(form=None):
    r, p = relative()
    return f"{p.name(form)} ({r})"


RELATIONS = [
    "daughter",
    "son",
    "wife",
    "husband",
    "niece",
    "grandson",
    "granddaughter",
    "sister",
    "brother",
    "partner",
    "neighbour",
    "roommate",
    "son-in-law",
    "daughter-in-law",
]

EMPLOYERS = [
    "Brightwater Cannery",
    "Kettleby Logistics",
    "Okonjo & Daughters Bakery",
    "Dunmore Tool & Die",
    "Saffron Grove Restaurant",
    "Halvorsen Marine Supply",
    "Pinecrest Elementary School",
    "Vukovich Roofing LLC",
    "Golden Lotus Nail Spa",
    "Tri-Star Poultry Processing",
    "Mendoza Landscaping",
    "Quarry Hill Auto Body",
    "Ashgrove Senior Living",
    "Nakamura-Bell Engineering",
    "Blue Heron Dry Cleaners",
    "Castellan Freight Lines",
    "Sunrise Tortilleria",
    "Moreland Window & Glass",
    "Kowalski Brothers Masonry",
    "Emberlight Software",
    "Harrowby Public Library",
    "Saint Brendan's Parish School",
]

# --------------------------------------------------------------------------- places
TOWNS = [
    "Ballykeel",
    "Marrowbridge",
    "Quellport",
    "Tindall Falls",
    "East Varnum",
    "Port Anselm",
    "Cedar Hollow",
    "Lake Wintonah",
    "Fernhaven",
    "Oakhurst Mills",
    "Saint Odile",
    "Gravesend Landing",
    "Pollard Junction",
    "Little Kessock",
    "Wrenfield",
    "Upper Tamsin",
    "Harlan's Ferry",
    "Brackenridge Heights",
    "Dunmore Crossing",
    "Vasquez Flats",
    "New Lisbeth",
    "Keswick Bend",
    "Orrin Valley",
    "Mossbank",
    "Thornbury-on-Lake",
]
COUNTIES = [
    "Harlow County",
    "Tamarind County",
    "Ostrander County",
    "Bexley County",
    "Calloway Parish",
    "Merriweather County",
    "Quinault Borough",
    "Dunleavy County",
]
NEIGHBORHOODS = [
    "the Holloway district",
    "Fenwick Terrace",
    "the Old Mill quarter",
    "Sparrow Hill",
    "Kinnear Park",
    "the Riverbend flats",
]
STREET_NAMES = [
    "Quillan",
    "Ebbets",
    "Tamarack",
    "Larchmont",
    "Ossington",
    "Marigold",
    "Benbow",
    "Kilbride",
    "Yarrow",
    "Calloway",
    "Pennywhistle",
    "Hawthorne",
    "Ridgeback",
    "Old Mill",
    "Saint Agnes",
    "Fenwick",
    "Juniper Hollow",
    "Ashby",
    "Corrigan",
    "Delacroix",
    "Winterbourne",
    "Magnolia Bend",
    "Three Oaks",
]
ST_TYPES = [
    "St",
    "Street",
    "Ave",
    "Avenue",
    "Rd",
    "Road",
    "Ln",
    "Lane",
    "Blvd",
    "Dr",
    "Drive",
    "Ct",
    "Way",
    "Pl",
    "Terrace",
    "Pike",
    "Hwy",
    "Circle",
]
DIRS = ["", "", "", "N ", "S ", "E ", "W ", "NW ", "SE ", "N. ", "South "]
UNITS = [
    "Apt 3B",
    "Apt. 12",
    "Unit 4",
    "#204",
    "Ste 110",
    "Suite 300",
    "Lot 17",
    "Trlr 9",
    "Bldg C",
    "Apt 2-F",
    "Rm 6",
    "Floor 2",
]
STATES = [
    "OR",
    "PA",
    "OH",
    "MN",
    "TX",
    "NM",
    "GA",
    "WI",
    "KY",
    "ME",
    "AZ",
    "NC",
    "IA",
    "MI",
    "Vermont",
    "Ohio",
    "Nebraska",
    "Idaho",
    "Maryland",
]


def street(unit=None):
    if chance(0.08):
        return ch(
            [
                f"PO Box {R.randint(10, 9999)}",
                f"P.O. Box {R.randint(10, 999)}",
                f"RR {R.randint(1, 9)} Box {R.randint(1, 400)}",
                f"HC {R.randint(10, 90)} Box {R.randint(100, 2999)}",
            ]
        )
    s = f"{R.randint(1, 19999)} {ch(DIRS)}{ch(STREET_NAMES)} {ch(ST_TYPES)}"
    if unit is None:
        unit = chance(0.35)
    if unit:
        s += ch([", ", " "]) + ch(UNITS)
    return s


def zipc():
    z = f"{R.randint(10001, 89999)}"
    if chance(0.25):
        z += f"-{R.randint(0, 9999):04d}"
    return z


def address(oneline=None):
    town = ch(TOWNS)
    st = ch(STATES)
    oneline = True if oneline is None else oneline
    sep = ", " if oneline else "\n    "
    return (
        P("LOCATION", street())
        + sep
        + P("LOCATION", town)
        + ", "
        + st
        + " "
        + P("LOCATION", zipc())
    )


def town():
    return P("LOCATION", ch(TOWNS))


# --------------------------------------------------------------------------- dates
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
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
    "twenty-first",
    "twenty-second",
    "twenty-third",
    "twenty-fourth",
    "twenty-fifth",
    "twenty-sixth",
    "twenty-seventh",
    "twenty-eighth",
    "twenty-ninth",
    "thirtieth",
    "thirty-first",
]
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
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def words(n):
    if n < 20:
        return ONES[n]
    if n < 100:
        t, o = divmod(n, 10)
        return TENS[t] + ("-" + ONES[o] if o else "")
    h, rest = divmod(n, 100)
    return ONES[h] + " hundred" + (ch([" and ", " "]) + words(rest) if rest else "")


def ordsfx(d):
    if 11 <= d % 100 <= 13:
        return f"{d}th"
    return f"{d}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(d % 10, 'th') }"


def rdate(y0=2025, y1=2027):
    start = date(y0, 1, 1)
    return start + timedelta(days=R.randint(0, (date(y1, 12, 31) - start).days))


def dob_date(age=None, ref=None):
    ref = ref or date(2026, 6, 1)
    if age is None:
        age = R.randint(1, 88)
    y = ref.year - age
    return date(y, R.randint(1, 12), R.randint(1, 28))


def fmt_date(d, style=None, partial_ok=True):
    m, dd, y = d.month, d.day, d.year
    mon = MONTHS[m - 1]
    styles = [
        "mdy_slash",
        "mdy_slash0",
        "mdy_short",
        "iso",
        "iso_slash",
        "dmy_dot",
        "dmy_dash",
        "DD-MON-YYYY",
        "DDMONYYYY",
        "d_mon_y",
        "mon_d_y",
        "month_d_y",
        "month_ord_y",
        "CAPS_month",
        "lower_mon",
        "d-Mon-yy",
        "ymd_compact",
        "weekday_long",
        "ord_of_month_y",
        "words_full",
        "mdy_dash",
        "dmy_slash_txt",
        "mon_dot",
    ]
    if partial_ok:
        styles += [
            "md_slash",
            "mon_ord",
            "month_year",
            "the_ord_of_month",
            "mon_yy",
            "md_dash",
            "the_ord_of",
        ]
    style = style or ch(styles)
    if style == "mdy_slash":
        return f"{m}/{dd}/{y}"
    if style == "mdy_slash0":
        return f"{m:02d}/{dd:02d}/{y}"
    if style == "mdy_short":
        return f"{m}/{dd}/{y % 100:02d}"
    if style == "mdy_dash":
        return f"{m:02d}-{dd:02d}-{y}"
    if style == "iso":
        return f"{y}-{m:02d}-{dd:02d}"
    if style == "iso_slash":
        return f"{y}/{m:02d}/{dd:02d}"
    if style == "dmy_dot":
        return f"{dd:02d}.{m:02d}.{y}"
    if style == "dmy_dash":
        return f"{dd}-{m}-{y}"
    if style == "DD-MON-YYYY":
        return f"{dd:02d}-{mon[:3].upper()}-{y}"
    if style == "DDMONYYYY":
        return f"{dd:02d}{mon[:3].upper()}{y}"
    if style == "d_mon_y":
        return f"{dd} {mon[:3]} {y}"
    if style == "mon_d_y":
        return f"{mon[:3]} {dd}, {y}"
    if style == "mon_dot":
        return f"{mon[:3]}. {dd}, {y}" if mon != "May" else f"May {dd}, {y}"
    if style == "month_d_y":
        return f"{mon} {dd}, {y}"
    if style == "month_ord_y":
        return f"{mon} {ordsfx(dd)}, {y}"
    if style == "CAPS_month":
        return f"{mon.upper()} {dd} {y}"
    if style == "lower_mon":
        return f"{mon[:3].lower()} {dd} {y}"
    if style == "d-Mon-yy":
        return f"{dd}-{mon[:3]}-{y % 100:02d}"
    if style == "ymd_compact":
        return f"{y}{m:02d}{dd:02d}"
    if style == "weekday_long":
        return f"{WEEKDAYS[d.weekday()]}, {mon} {dd}, {y}"
    if style == "the_ord_of":
        return f"the {ORD_WORDS[dd - 1]} of {mon}"
    if style == "the_ord_of_month":
        return f"the {ordsfx(dd)} of {mon}"
    if style == "ord_of_month_y":
        return f"{ordsfx(dd)} of {mon} {y}"
    if style == "words_full":
        return (
            f"{mon} {ORD_WORDS[dd - 1]}, twenty {words(y - 2000)}"
            if y >= 2010
            else f"{mon} {ORD_WORDS[dd - 1]}, {y}"
        )
    if style == "dmy_slash_txt":
        return f"{dd:02d}/{mon[:3].upper()}/{y}"
    if style == "md_slash":
        return f"{m}/{dd}"
    if style == "md_dash":
        return f"{m:02d}-{dd:02d}"
    if style == "mon_ord":
        return f"{mon[:3]} {ordsfx(dd)}" if chance(0.5) else f"{mon} {dd}"
    if style == "month_year":
        return f"{mon} {y}" if chance(0.6) else f"{mon[:3]} {y}"
    if style == "mon_yy":
        return f"{mon[:3]} '{y % 100:02d}"
    raise ValueError(style)


def D(d=None, style=None, partial_ok=True):
    return P("DATE", fmt_date(d or rdate(), style, partial_ok))


def DOB(age=None):
    return P("DATE", fmt_date(dob_date(age), partial_ok=False))


# --------------------------------------------------------------------------- ages
def old_age():
    return R.choice([90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 106])


def age_phrase(a, sex="F"):
    """Marked phrase of an age over 89 (label the number/words only)."""
    w = words(a)
    g = "woman" if sex == "F" else "man"
    forms = [
        f"{P('AGE', a)}-year-old {g}",
        f"{P('AGE', a)} y/o {sex}",
        f"{P('AGE', a)}yo {sex}",
        f"{P('AGE', a)} yo",
        f"aged {P('AGE', a)}",
        f"age {P('AGE', a)}",
        f"{P('AGE', w)}-year-old {g}",
        f"{P('AGE', w)} years of age",
        f"{P('AGE', a)} years old",
        f"{P('AGE', a)}{sex}",
        f"{P('AGE', a)} y.o. {g}",
        f"a {P('AGE', a)} yr old {g}",
        f"{P('AGE', w)} years old",
        f"AGE: {P('AGE', a)}",
        f"{P('AGE', a)}-yr-old",
        f"age {P('AGE', w)}",
        f"{P('AGE', a)} YO {sex}",
    ]
    return ch(forms)


def young_age_phrase(sex="F"):
    a = ch([89, 89, 88, 87] + list(range(19, 86)))
    g = "woman" if sex == "F" else "man"
    return ch(
        [
            f"{a}-year-old {g}",
            f"{a} y/o {sex}",
            f"{a}yo {sex}",
            f"{a} yo {g}",
            f"aged {a}",
            f"{words(a)}-year-old {g}",
            f"{a}{sex}",
        ]
    )


def some_age(sex, p_old=0.3):
    if chance(p_old):
        return age_phrase(old_age(), sex), True
    return young_age_phrase(sex), False


# --------------------------------------------------------------------------- numbers
def digits(n):
    return "".join(str(R.randint(0, 9)) for _ in range(n))


def phone_raw(style=None):
    a = R.randint(201, 989)
    while a % 100 == 11:
        a += 1
    ex = ch([555, 555, R.randint(201, 989)])
    ln = R.randint(100, 199) if ex == 555 else R.randint(1000, 9999)
    ln = f"{ln:04d}"
    style = style or ch(
        [
            "paren",
            "paren",
            "dash",
            "dash",
            "dot",
            "plus1",
            "plus1dash",
            "bare10",
            "space",
            "ext",
            "ext2",
            "x",
            "tollfree",
            "seven",
            "intl",
            "intl",
            "parenNoSpace",
            "slash",
            "one-dash",
        ]
    )
    if style == "paren":
        return f"({a}) {ex}-{ln}"
    if style == "parenNoSpace":
        return f"({a}){ex}-{ln}"
    if style == "dash":
        return f"{a}-{ex}-{ln}"
    if style == "dot":
        return f"{a}.{ex}.{ln}"
    if style == "plus1":
        return f"+1 {a} {ex} {ln}"
    if style == "plus1dash":
        return f"+1-{a}-{ex}-{ln}"
    if style == "one-dash":
        return f"1-{a}-{ex}-{ln}"
    if style == "bare10":
        return f"{a}{ex}{ln}"
    if style == "space":
        return f"{a} {ex} {ln}"
    if style == "slash":
        return f"{a}/{ex}-{ln}"
    if style == "ext":
        return f"({a}) {ex}-{ln} ext. {R.randint(2, 4999)}"
    if style == "ext2":
        return f"{a}-{ex}-{ln} ext {R.randint(10, 999)}"
    if style == "x":
        return f"{a}.{ex}.{ln} x{R.randint(10, 9999)}"
    if style == "tollfree":
        return f"1-{ch(['800', '888', '877', '866'])}-555-{R.randint(100, 199):04d}"
    if style == "seven":
        return f"{ex}-{ln}"
    if style == "intl":
        return ch(
            [
                f"+44 20 7946 {R.randint(0, 999):04d}",
                f"+353 1 555 {R.randint(1000, 9999)}",
                f"+234 803 555 {R.randint(1000, 9999)}",
                f"+91 98{digits(3)} {digits(5)}",
                f"+31 20 555 {R.randint(1000, 9999)}",
                f"+52 55 5{digits(3)} {digits(4)}",
                f"+48 22 555 {digits(2)} {digits(2)}",
                f"+84 28 3{digits(3)} {digits(4)}",
                f"+971 4 555 {digits(4)}",
                f"011 44 161 496 {digits(4)}",
                f"+251 11 555 {digits(4)}",
            ]
        )
    raise ValueError(style)


def PH():
    return P("PHONE", phone_raw())


def FX():
    return P(
        "FAX",
        phone_raw(
            ch(
                [
                    "paren",
                    "dash",
                    "dot",
                    "plus1",
                    "bare10",
                    "space",
                    "tollfree",
                    "parenNoSpace",
                    "one-dash",
                    "intl",
                    "slash",
                ]
            )
        ),
    )


MAIL_DOMAINS = [
    "kestrelmail.com",
    "postbox.net",
    "harborlight.org",
    "mailwren.co",
    "quillnet.us",
    "zephyrpost.com",
    "bluegatefp.org",
    "larkmail.net",
    "ostrander.k12.us",
    "inbox.example",
    "seamount.edu",
    "coilwire.com",
]


def ascii_fold(s):
    tbl = str.maketrans(
        "áàâäãåéèêëíìîïóòôöõúùûüñçśźżłńęąćőűøÁÉÍÓÚÑŚŻŁ",
        "aaaaaaeeeeiiiiooooouuuuncszzlneacouoAEIOUNSZL",
    )
    return re.sub(r"[^A-Za-z]", "", s.translate(tbl))


def email_for(p, domain=None):
    f, l = ascii_fold(p.first).lower(), ascii_fold(p.last).lower()
    user = ch(
        [
            f"{f}.{l}",
            f"{f[0]}{l}",
            f"{l}{f[0]}{R.randint(1, 99)}",
            f"{f}{R.randint(60, 2009)}",
            f"{f}_{l}",
            f"{l}.{f}",
            f"{f[:3]}{l[:4]}{R.randint(1, 9)}",
        ]
    )
    return P("EMAIL", f"{user}@{domain or ch(MAIL_DOMAINS)}")


def SSN(masked_ok=True):
    a = R.randint(1, 899)
    while a == 666:
        a = R.randint(1, 899)
    g, s = R.randint(1, 99), R.randint(1, 9999)
    style = ch(
        ["dash", "dash", "dash", "space", "none", "masked", "masked2", "last4"]
        if masked_ok
        else ["dash", "space", "none"]
    )
    if style == "dash":
        return P("SSN", f"{a:03d}-{g:02d}-{s:04d}")
    if style == "space":
        return P("SSN", f"{a:03d} {g:02d} {s:04d}")
    if style == "none":
        return P("SSN", f"{a:03d}{g:02d}{s:04d}")
    if style == "masked":
        return "XXX-XX-" + P("SSN", f"{s:04d}")
    if style == "masked2":
        return "***-**-" + P("SSN", f"{s:04d}")
    return "last four " + P("SSN", f"{s:04d}")


def MRN():
    return P(
        "MRN",
        ch(
            [
                digits(8),
                "00" + digits(6),
                f"H-{digits(7)}",
                f"{digits(4)}-{digits(3)}",
                f"E{digits(7)}",
                f"MR{digits(6)}",
                f"{digits(3)} {digits(3)} {digits(3)}",
                f"QX{digits(5)}",
                f"{digits(7)}",
            ]
        ),
    )


MBI_A = "ACDEFGHJKMNPQRTUVWXY"


def mbi():
    def a():
        return ch(MBI_A)

    def an():
        return ch(MBI_A + "0123456789")

    s = f"{R.randint(1, 9)}{a()}{an()}{R.randint(0, 9)}{a()}{an()}{R.randint(0, 9)}{a()}{a()}{R.randint(0, 9)}{R.randint(0, 9)}"
    return s if chance(0.6) else f"{s[:4]}-{s[4:7]}-{s[7:]}"


def plan_id():
    return ch(
        [
            f"{ch(['XKQ', 'BPH', 'ZGW', 'AMU', 'JXN'])}{digits(9)}",
            f"W{digits(9)}",
            f"{digits(9)}{ch('ABCD')}",
            mbi(),
            f"MCD-{digits(8)}",
            f"{digits(3)}-{digits(3)}-{digits(3)}-01",
            f"U{digits(8)}0{R.randint(1, 4)}",
            f"{ch(['H', 'R'])}{digits(10)}",
        ]
    )


def HP():
    return P("HEALTH_PLAN", plan_id())


def ACCT():
    return P(
        "ACCOUNT",
        ch(
            [
                digits(8),
                f"A{digits(7)}",
                f"{digits(4)}-{digits(4)}",
                f"G{digits(6)}-{digits(2)}",
                f"26{digits(8)}",
                f"ST-{digits(6)}",
                f"{digits(10)}",
            ]
        ),
    )


def dea(last):
    first = ch("ABFGMP")
    second = ascii_fold(last)[:1].upper() or "X"
    d = [R.randint(0, 9) for _ in range(6)]
    chk = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10
    return f"{first}{second}{''.join(map(str, d))}{chk}"


def dl():
    return ch(
        [
            f"D{digits(3)}-{digits(4)}-{digits(4)}",
            f"{ch('ABCDEFGHKLMNPRSTW')}{digits(7)}",
            f"S530-{digits(3)}-{digits(2)}-{digits(3)}-0",
            f"{digits(9)}",
            f"{digits(3)} {digits(3)} {digits(3)}",
            f"WDL{ch('ABCDEFGHJK')}{digits(2)}{ch('MNPQRSTUVW')}{digits(4)}",
            f"{ch('ABCDEF')}{digits(2)}-{digits(2)}-{digits(4)}",
        ]
    )


def prof_lic():
    return ch(
        [
            f"MD.{digits(6)}",
            f"RN-{digits(7)}",
            f"{digits(5)}",
            f"DO{digits(5)}",
            f"PA-{digits(4)}",
            f"C{digits(5)}",
            f"APRN.{digits(5)}",
            f"LIC-{digits(6)}",
            f"{ch('AGMP')}{digits(6)}",
        ]
    )


PLATE_CH = "ABCDEFGHJKLMNPRSTUVWXYZ"


def plate():
    return ch(
        [
            f"{R.randint(1, 9)}{''.join(ch(PLATE_CH) for _ in range(3))}{digits(3)}",
            f"{''.join(ch(PLATE_CH) for _ in range(3))}-{digits(4)}",
            f"{''.join(ch(PLATE_CH) for _ in range(3))} {digits(3)}",
            f"{digits(3)} {''.join(ch(PLATE_CH) for _ in range(3))}",
            f"{ch(PLATE_CH)}{ch(PLATE_CH)}{digits(2)}{ch(PLATE_CH)}{digits(2)}",
        ]
    )


VIN_CH = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
VIN_VAL = {
    **{str(i): i for i in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9))),
    **dict(zip("JKLMN", range(1, 6))),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10))),
}
VIN_W = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]


def vin():
    s = [ch(VIN_CH) for _ in range(17)]
    s[9] = ch("LMNPRSTV")
    tot = sum(VIN_VAL[c] * w for c, w in zip(s, VIN_W))
    r = tot % 11
    s[8] = "X" if r == 10 else str(r)
    return "".join(s)


def serial():
    return ch(
        [
            f"SN{digits(9)}",
            f"{ch(['PJM', 'RKT', 'XVA', 'HGN'])}{digits(6)}{ch('ABCHKS')}",
            f"{digits(4)}-{''.join(ch(VIN_CH) for _ in range(4))}-{digits(4)}",
            f"{digits(11)}",
            f"{''.join(ch(PLATE_CH) for _ in range(2))}{digits(8)}",
            f"22{ch('ABCDEF')}{digits(7)}",
        ]
    )


def udi():
    gtin = "0" + digits(13)
    exp = date(R.randint(2027, 2031), R.randint(1, 12), R.randint(1, 28))
    return f"(01){gtin}(17){exp:%y%m%d}(10){ch(['LOT', 'L', ''])}{digits(5)}(21){digits(8)}"


def npi():
    base = [R.randint(1, 2)] + [R.randint(0, 9) for _ in range(8)]
    dig = [8, 0, 8, 4, 0] + base
    tot = 0
    for i, dgt in enumerate(reversed(dig)):
        v = dgt * 2 if i % 2 == 0 else dgt
        tot += v - 9 if v > 9 else v
    chk = (10 - tot % 10) % 10
    return "".join(map(str, base)) + str(chk)


def ein():
    return f"{R.randint(10, 99)}-{digits(7)}"


def claim_no():
    return ch(
        [
            f"{R.randint(2025, 2027)}{digits(9)}",
            f"CLM-{digits(8)}",
            f"{digits(13)}",
            f"A{digits(2)}{ch('BCDEFG')}{digits(7)}",
        ]
    )


def auth_no():
    return ch(
        [
            f"PA{digits(8)}",
            f"AUTH-{digits(6)}-{ch('ABCX')}",
            f"{digits(3)}{ch(PLATE_CH)}{digits(5)}",
            f"UM{digits(7)}",
        ]
    )


def rx_no():
    return ch([f"{digits(7)}", f"RX{digits(7)}", f"{digits(2)}-{digits(6)}"])


def bio_ref():
    return ch(
        [
            f"FP-{digits(5)}-{ch('ABC')}",
            f"VP{digits(7)}",
            f"IRX-{digits(4)}-{''.join(ch(VIN_CH) for _ in range(4))}",
            f"PV{digits(6)}",
            f"FT-{digits(3)}{ch(PLATE_CH)}{digits(4)}",
            f"BIO{digits(8)}",
            f"{''.join(ch('0123456789abcdef') for _ in range(12))}",
        ]
    )


BIO_KIND = [
    "fingerprint template",
    "voiceprint",
    "palm-vein scan",
    "iris template",
    "face template",
    "retina scan",
    "right index fingerprint",
    "voice biometric enrollment",
]


def photo_file(p):
    l = ascii_fold(p.last).lower()
    return ch(
        [
            f"face_{l}_{digits(4)}.jpg",
            f"IMG_{digits(4)}_headshot.jpeg",
            f"selfie_{digits(6)}.png",
            f"id_photo_{digits(7)}.jpg",
            f"{l}_portrait.jpg",
            f"DLfront_{digits(5)}.png",
            f"pt_photo_{digits(8)}.heic",
            f"ins_card_face_{digits(4)}.jpg",
            f"Photo_ID_{l.upper()}.PDF",
        ]
    )


def ipv4():
    return ch(
        [
            f"10.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}",
            f"192.168.{R.randint(0, 255)}.{R.randint(1, 254)}",
            f"172.{R.randint(16, 31)}.{R.randint(0, 255)}.{R.randint(1, 254)}",
            f"203.0.113.{R.randint(1, 254)}",
            f"198.51.100.{R.randint(1, 254)}",
            f"{R.randint(23, 223)}.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}",
        ]
    )


def ipv6():
    g = [f"{R.randint(0, 0xFFFF):x}" for _ in range(8)]
    return ch(
        [
            f"2001:db8:{g[0]}:{g[1]}::{g[2]}",
            ":".join(g),
            f"fe80::{g[3]}:{g[4]}:{g[5]}:{g[6]}",
            f"2600:{g[1]}:{g[2]}:{g[3]}:{g[4]}::{g[7]}",
            f"2001:0db8:{g[0]}:0000:0000:{g[1]}:{g[2]}:{g[3]}",
        ]
    )


def IP():
    return P("IP", ipv6() if chance(0.35) else ipv4())


PORTAL_HOSTS = [
    "mychart.summitcrest.org",
    "portal.harborlight.org",
    "connect.bluegatefp.org",
    "patients.greenleafdialysis.com",
    "my.northstarmg.net",
    "visit.quillhealth.io",
    "telecare.larchview.health",
]


def URL(kind=None, p=None):
    h = ch(PORTAL_HOSTS)
    tok = "".join(ch("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(R.randint(6, 10)))
    forms = [
        f"https://{h}/pt/{digits(7)}",
        f"https://{h}/v/{tok}",
        f"http://{h}/records?id={digits(8)}",
        f"www.{h.split('.', 1)[1]}/u/{tok}",
        f"https://{h}/join/{tok}?pwd={digits(6)}",
        f"{h}/s/{tok}",
    ]
    if p is not None:
        l = ascii_fold(p.last).lower()
        forms += [
            f"https://www.facebook-like.example/{ascii_fold(p.first).lower()}.{l}.{digits(2)}",
            f"https://gofund.example/help-{l}-{digits(3)}",
        ]
    return P("URL", ch(forms))


# distractors -------------------------------------------------------------------------
ICD = [
    ("I10", "essential hypertension"),
    ("E11.9", "type 2 diabetes"),
    ("E11.22", "T2DM with CKD"),
    ("N18.31", "CKD stage 3a"),
    ("J44.1", "COPD exacerbation"),
    ("I48.91", "atrial fibrillation"),
    ("M17.11", "R knee OA"),
    ("F32.A", "depression"),
    ("K21.9", "GERD"),
    ("E78.5", "hyperlipidemia"),
    ("G20.A1", "Parkinson's disease"),
    ("G51.0", "Bell's palsy"),
    ("R55", "syncope"),
    ("S72.001A", "hip fracture"),
    ("I50.32", "chronic diastolic HF"),
    ("G47.33", "obstructive sleep apnea"),
    ("L89.153", "sacral pressure injury, stage 3"),
    ("N39.0", "UTI"),
    ("J18.9", "pneumonia"),
    ("E03.9", "hypothyroidism"),
    ("M81.0", "osteoporosis"),
    ("C50.911", "breast cancer R"),
    ("Z79.4", "long-term insulin"),
    ("R07.9", "chest pain"),
    ("G30.1", "late-onset Alzheimer's"),
]
CPT = [
    ("99213", "office visit, est."),
    ("99214", "office visit, est."),
    ("99204", "new pt visit"),
    ("93000", "ECG"),
    ("71046", "CXR 2 views"),
    ("80053", "CMP"),
    ("85025", "CBC"),
    ("E0601", "CPAP device"),
    ("A7030", "CPAP full face mask"),
    ("G0439", "AWV subsequent"),
    ("97110", "therapeutic exercise"),
    ("J1885", "ketorolac inj"),
    ("36415", "venipuncture"),
    ("99285", "ED visit, high"),
    ("70450", "CT head w/o"),
    ("E0114", "crutches"),
    ("99497", "ACP"),
    ("73721", "MRI knee"),
    ("G0180", "home health cert"),
    ("E0470", "BiPAP"),
]
MEDS = [
    "metformin 500 mg PO BID",
    "lisinopril 10 mg daily",
    "apixaban 5 mg BID",
    "furosemide 40 mg daily",
    "atorvastatin 40 mg qHS",
    "levothyroxine 75 mcg daily",
    "insulin glargine 22 units qHS",
    "carbidopa-levodopa 25/100 TID",
    "sertraline 50 mg daily",
    "tamsulosin 0.4 mg daily",
    "acetaminophen 650 mg q6h PRN",
    "donepezil 10 mg qHS",
    "metoprolol succinate 25 mg daily",
    "ceftriaxone 1 g IV q24h",
    "enoxaparin 40 mg SC daily",
    "prednisone 40 mg x5 days",
    "albuterol 2 puffs q4h PRN",
    "pantoprazole 40 mg daily",
    "alendronate 70 mg weekly",
]
PAYERS = [
    "Aster Mutual",
    "BluePeak Health Plan",
    "Medicare Part B",
    "State Medicaid",
    "Cobaltline PPO",
    "Evergrain Health",
    "Tidewell Advantage (HMO)",
    "Keystone Workers' Comp",
]
FACILITIES = [
    "Summit Crest Internal Medicine",
    "Harborlight Cardiology",
    "Greenleaf Dialysis Unit",
    "Bluegate Family Practice",
    "Northstar Medical Group",
    "Quillmont Orthopedics",
    "Larchview Sleep Center",
    "Brightpath Home Health",
    "St. Ambrose Regional Medical Center",
    "Meadowlark Urgent Care",
]
PHARMACIES = [
    "CareMart Pharmacy #4471",
    "Walgrove Drug",
    "Apex Rx store 112",
    "Kindred Corner Pharmacy",
]


def icd():
    return ch(ICD)


def cpt():
    return ch(CPT)


def vitals():
    return ch(
        [
            f"BP {R.randint(98, 178)}/{R.randint(56, 98)}, HR {R.randint(52, 118)}, RR {R.randint(12, 26)}, T {R.uniform(96.8, 101.9):.1f} F, SpO2 {R.randint(86, 100)}%",
            f"Vitals: T {R.uniform(36.2, 38.9):.1f} C | P {R.randint(50, 120)} | R {R.randint(12, 28)} | BP {R.randint(90, 180)}/{R.randint(50, 100)} | O2 {R.randint(88, 100)}% RA",
            f"BP {R.randint(100, 170)}/{R.randint(60, 95)} sitting, {R.randint(90, 160)}/{R.randint(50, 90)} standing; pulse {R.randint(55, 110)}; wt {R.uniform(45, 130):.1f} kg",
        ]
    )


def money():
    return f"${R.randint(12, 9800):,}.{R.randint(0, 99):02d}"


def bare_year():
    return str(R.randint(1968, 2024))


def group_no():
    return ch(
        [f"GRP {digits(6)}", f"group #{digits(5)}-{digits(3)}", f"Group: {ch(PLATE_CH)}{digits(5)}"]
    )


# --------------------------------------------------------------------------- helpers
def lower_marked(m):
    """Lower-case a marked string, PHI values included, keeping the category tags."""
    return re.sub(
        O_ + r"([A-Z_]+)" + M_ + "|([^" + O_ + "]+)",
        lambda g: g.group(0) if g.group(1) else g.group(2).lower(),
        m,
    )


def lines(*xs):
    return "\n".join(x for x in xs if x is not None and x != "")


def maybe(p, s):
    return s if chance(p) else ""


def shuffled(xs):
    xs = [x for x in xs if x]
    R.shuffle(xs)
    return xs


def bio_line():
    return ch(
        [
            f"Identity confirmed at check-in by {ch(BIO_KIND)} (ref {P('BIOMETRIC', bio_ref())}).",
            f"{ch(BIO_KIND).capitalize()} on file: {P('BIOMETRIC', bio_ref())}.",
            f"Pt enrolled in {ch(BIO_KIND)} sign-in; template ID {P('BIOMETRIC', bio_ref())}.",
            f"Caller verified by {ch(BIO_KIND)} match, enrollment {P('BIOMETRIC', bio_ref())}.",
        ]
    )


def photo_line(p):
    return ch(
        [
            f"Face photo on file: {P('PHOTO', photo_file(p))}.",
            f"Photo ID scanned to chart as {P('PHOTO', photo_file(p))}.",
            f"Patient photo (for ID band) saved: {P('PHOTO', photo_file(p))}",
            f"Uploaded picture of driver's license: {P('PHOTO', photo_file(p))}.",
        ]
    )


def vehicle_line(p):
    if chance(0.5):
        return ch(
            [
                f"Pt's car (plate {P('VEHICLE', plate())}) left in the garage, level 2.",
                f"Vehicle: {ch(['gray', 'silver', 'red', 'black', 'white'])} {ch(['sedan', 'pickup', 'minivan', 'SUV'])}, tag {P('VEHICLE', plate())}.",
                f"Family member parked in ED bay, license plate {P('VEHICLE', plate())} ({ch(STATES[:14])}).",
            ]
        )
    return ch(
        [
            f"MVC: pt's vehicle VIN {P('VEHICLE', vin())} per police report {P('OTHER_ID', f'{R.randint(2025, 2027)}-{digits(6)}')}.",
            f"Accessible parking placard issued for vehicle {P('VEHICLE', plate())}, VIN {P('VEHICLE', vin())}.",
        ]
    )


# --------------------------------------------------------------------------- note kinds
def k_progress():
    pt = Person()
    prov, pv = doc()
    visit = rdate()
    age, old = some_age(pt.sex, 0.3)
    code1, code2 = icd(), icd()
    head = ch(
        [
            "CLINIC VISIT",
            "Office Visit Note",
            "FOLLOW-UP VISIT",
            "Progress Note - Internal Medicine",
            "OUTPATIENT ENCOUNTER",
        ]
    )
    fac = ch(FACILITIES)
    hdr = ch(
        [
            lines(
                f"{head} | {fac}",
                f"Patient: {pt.name(ch(['lfm', 'LFM', 'full']))}   DOB: {DOB()}   MRN: {MRN()}",
                f"Date of service: {D(visit, partial_ok=False)}  {R.randint(7, 17)}:{R.choice(['00', '15', '30', '45'])}   Exam room {R.randint(1, 22)}",
            ),
            lines(
                f"{head}",
                f"{fac} -- {pv} (NPI {npi()})",
                f"Pt {pt.name()} | MR# {MRN()} | seen {D(visit, partial_ok=False)}",
            ),
        ]
    )
    subj = (
        f"S: {pt.title()} {pt.name('last')} is a {age} here for f/u of {code1[1]} ({code1[0]}) and "
        f"{code2[1]} ({code2[0]}), dx {bare_year()}. "
    )
    subj += ch(
        [
            f"{pt.pron().capitalize()} reports fewer symptoms since last visit on {D()}. ",
            f"Was in the ED at St. Ambrose on {D()} for a fall at home, no fracture. ",
            "No new complaints. Sleeping 6-7 h. ",
            f"Pain 4/10, improved from 7/10. ",
        ]
    )
    if chance(0.6):
        subj += f"Accompanied by {rel_name(ch(['full', 'first', 'nick', 'full']))}. "
    soc = ch(
        [
            f"Social: lives alone at {address()}; works part-time at {P('NAME', ch(EMPLOYERS))}.",
            f"Social: retired from {P('NAME', ch(EMPLOYERS))} in {bare_year()}; lives with {ch(RELATIONS)} in {town()}.",
            f"SH: never smoker, 2 drinks/week. Moved to {town()} ({P('LOCATION', ch(COUNTIES))}) in {bare_year()}.",
            f"Social: lives in {P('LOCATION', ch(NEIGHBORHOODS))}, {town()}; {ch(RELATIONS)} checks in daily.",
        ]
    )
    obj = f"O: {vitals()}. A1c {R.uniform(5.4, 10.9):.1f}% on {D()}; eGFR {R.randint(22, 95)}."
    plan = ch(
        [
            f"A/P: continue {ch(MEDS)}; start {ch(MEDS)}. Labs before next visit. RTC 3 months (~{D(style='month_year')}).",
            f"Plan: {ch(MEDS)}. Referred to cardiology. Follow up {D(style=ch(['md_slash', 'mon_ord', 'the_ord_of_month']))}.",
            f"A/P: stable. Billed {cpt()[0]} + {cpt()[0]}. Next appt {D()} with {doc()[1]}.",
        ]
    )
    extra = shuffled(
        [
            maybe(0.15, bio_line()),
            maybe(0.12, photo_line(pt)),
            maybe(0.25, f"Best contact: {PH()} (cell); {rel_name()} at {PH()}."),
            maybe(
                0.15,
                f"Device check: pacemaker model PM-{R.randint(1000, 4999)}, serial {P('DEVICE', serial())}, battery 7.1 yr.",
            ),
            maybe(0.1, f"Ins: {ch(PAYERS)} ID {HP()}, {group_no()}."),
        ]
    )
    sign = ch(
        [
            f"Electronically signed by {pv} on {D(visit, partial_ok=False)} at {R.randint(12, 20)}:{R.randint(10, 59)}",
            f"-- {pv}",
            f"Attending: {pv}. Scribe: {Person().name(ch(['full', 'init']))}.",
        ]
    )
    return lines(hdr, "", subj.strip(), soc, obj, plan, *extra, sign)


def k_discharge():
    pt = Person()
    att, av = doc()
    adm = rdate()
    dis = adm + timedelta(days=R.randint(2, 14))
    age, old = some_age(pt.sex, 0.35)
    d1 = icd()
    pcp, pcpv = doc()
    hc = Person()
    parts = [
        ch(["DISCHARGE SUMMARY", "Hospital Discharge Summary", "D/C SUMMARY -- Hospital Medicine"]),
        f"{ch(['Name', 'Patient', 'PT NAME'])}: {pt.name(ch(['LFM', 'lfm', 'full_mi']))}",
        f"MRN {MRN()}   FIN/Acct {ACCT()}   Room {R.randint(200, 799)}-{ch('AB')}",
        f"Admitted: {D(adm, partial_ok=False)}   Discharged: {D(dis, partial_ok=False)}",
        f"Attending: {av}   PCP: {pcpv} ({P('LOCATION', ch(TOWNS))} office)",
        "",
        f"HPI/Course: {age} with hx {d1[1]} ({d1[0]}) admitted from {ch(['home', 'a nursing facility', 'clinic'])} "
        f"with {icd()[1]}. Treated with {ch(MEDS)}; transitioned to {ch(MEDS)} on {D(adm + timedelta(days=1), style=ch(['md_slash', 'mon_ord', 'd_mon_y', 'mdy_slash']))}. "
        f"{ch(['Echo EF 35-40%.', 'CT head negative.', 'Cultures grew E. coli, pan-sensitive.', 'Troponin peak 0.08.'])}",
        f"Procedures: {ch(['PICC placed', 'TEE', 'ORIF left hip', 'thoracentesis 1.2 L'])} on {D(adm + timedelta(days=2))} by {doc()[1]}.",
    ]
    if chance(0.35):
        parts.append(
            f"Implant: {ch(['cemented hemiarthroplasty', 'dual-chamber pacemaker', 'IVC filter', 'port-a-cath'])}, UDI {P('DEVICE', udi())}."
        )
    parts += [
        f"Discharge vitals: {vitals()}.",
        f"Disposition: {ch(['home with home health', 'SNF', 'home with daughter', 'assisted living'])}"
        + ch([f" -- {address()}.", f" at {P('LOCATION', street())}, {town()}.", "."]),
        f"Health care proxy: {hc.name()} ({ch(['daughter', 'son', 'niece', 'spouse', 'friend', 'nephew'])}), {PH()}"
        + maybe(0.4, f", {email_for(hc)}"),
        f"Follow-up: {pcpv} within 7 days; {ch(['cardiology', 'ortho', 'nephrology'])} {D(dis + timedelta(days=R.randint(5, 40)))}. "
        f"Labs (BMP) on {D(dis + timedelta(days=3), style=ch(['md_slash', 'mon_ord', 'md_dash']))}.",
        f"Code status: {ch(['Full code', 'DNR/DNI', 'DNR, selective treatment'])}. {pt.title()} {pt.name('last')} understands plan.",
        maybe(0.2, photo_line(pt)),
        maybe(0.15, f"Ins: {ch(PAYERS)} member {HP()}."),
        maybe(
            0.15,
            f"Dictated {D(dis, partial_ok=False)}; job #{P('OTHER_ID', digits(7))}; transcribed by {Person().name('init')}.",
        ),
        f"{av}",
    ]
    return lines(*parts)


def k_referral():
    pt = Person()
    ref, rv = doc()
    to, tv = doc(form="full")
    sent = rdate()
    age, old = some_age(pt.sex, 0.3)
    fac = ch(FACILITIES)
    fac2 = ch(FACILITIES)
    sal = ch(
        ["Dear Dr. " + to.name("last") + ",", "Dear Colleague,", "To Dr. " + to.name("full") + ":"]
    )
    body = [
        f"{fac}\n{address(oneline=False)}\nTel {PH()}  Fax {FX()}",
        "",
        D(sent, style=ch(["month_d_y", "weekday_long", "d_mon_y", "mdy_slash0", "DD-MON-YYYY"])),
        "",
        f"{tv}\n{fac2}\n{address(oneline=False)}",
        "",
        f"RE: {pt.name(ch(['full', 'CAPS', 'lfm']))}, DOB {DOB()}"
        + ch([f", MRN {MRN()}", f" (chart {MRN()})", ""]),
        "",
        sal,
        "",
        f"Thank you for seeing this {age} for {ch(['evaluation of', 'a second opinion on', 'management of'])} "
        "{0[1]} (ICD-10 {0[0]}). ".format(icd())
        + f"{pt.pron().capitalize()} was last seen here on {D()} and has "
        f"{ch(['lost 4 kg since ' + bare_year(), 'had two falls in the last month', 'worsening dyspnea on exertion'])}. "
        f"Current meds: {ch(MEDS)}, {ch(MEDS)}.",
        f"{ch(['Her', 'The patient' + chr(39) + 's']) if pt.sex == 'F' else ch(['His', 'The patient' + chr(39) + 's'])} "
        + "{0}, {1}".format(*relative_pair())
        + f", will bring {pt.name('first') if chance(0.5) else 'them'} to appointments and can be reached at {PH()}.",
        maybe(
            0.3,
            f"{pt.pron().capitalize()} works nights at {P('NAME', ch(EMPLOYERS))} and prefers afternoon slots.",
        ),
        maybe(
            0.35,
            f"Insurance: {ch(PAYERS)}, ID {HP()}; referral auth {P('OTHER_ID', auth_no())} valid until {D()}.",
        ),
        maybe(0.2, f"Imaging can be viewed at {URL()}."),
        "",
        ch(["Sincerely,", "With thanks,", "Kind regards,"]),
        rv,
        f"NPI {npi()} | {ch(['State license', 'Lic.', 'Medical license no.'])} {P('LICENSE', prof_lic())}"
        + maybe(
            0.5,
            f" | {P('EMAIL', ascii_fold(ref.first).lower()[0] + ascii_fold(ref.last).lower() + '@' + ch(MAIL_DOMAINS))}",
        ),
    ]
    return lines(*[b for b in body if b is not None])


def k_billing():
    pt = Person()
    rep = Person()
    biller = Person()
    dos = rdate()
    c1, c2 = cpt(), cpt()
    payer = ch(PAYERS)
    parts = [
        ch(
            [
                "BILLING NOTE",
                "Patient Accounts -- Activity Note",
                "A/R follow-up",
                "BILLING OFFICE LOG",
            ]
        ),
        f"Acct {ACCT()} | Guarantor: {pt.name(ch(['LFM', 'lfm', 'full']))} | DOB {DOB()}",
        f"DOS {D(dos, partial_ok=False)}; CPT {c1[0]} ({c1[1]}) {money()}, {c2[0]} {money()}; Dx {icd()[0]}, {icd()[0]}",
        f"Payer: {payer}, member ID {HP()}, {group_no()}; claim {P('OTHER_ID', claim_no())} denied CARC {ch(['16', '27', '29', '50', '97', '197'])}.",
        f"Called {payer} at {PH()}, spoke with {rep.name(ch(['first', 'full', 'nickonly', 'init']))} (ref# {P('OTHER_ID', 'R' + digits(9))}) on "
        f"{D(dos + timedelta(days=R.randint(20, 90)))} -- {ch(['needs corrected claim with modifier 25', 'COB on file shows other primary', 'timely filing appeal allowed w/ proof', 'auth missing, retro auth requested'])}.",
        f"Rendering NPI {npi()}, billing NPI {npi()}, TIN {P('OTHER_ID', ein())}. Total charges {money()}; paid {money()}; pt resp {money()}.",
    ]
    parts += shuffled(
        [
            maybe(
                0.4,
                f"Statement sent to {address()}; returned mail {D()}."
                if chance(0.5)
                else f"Mailing address updated to {address()}.",
            ),
            maybe(
                0.3,
                f"Pt {pt.name('first')} phoned from {PH()} asking about a payment plan; set up $50/mo starting {D(style='month_year')}.",
            ),
            maybe(
                0.25,
                f"Subscriber is {ch(['spouse', 'parent'])} {Person().name('lfm')}, SSN {SSN()}, employer {P('NAME', ch(EMPLOYERS))}.",
            ),
            maybe(
                0.2,
                f"Paid {money()} by card at the front desk; receipt {P('OTHER_ID', 'RC' + digits(8))}.",
            ),
            maybe(0.2, f"EOB emailed to {email_for(pt)}."),
            maybe(0.2, f"Secondary: {ch(PAYERS)} {HP()}."),
            maybe(0.15, f"Collections agency account {ACCT()} -- hold placed until {D()}."),
        ]
    )
    parts.append(
        f"-- {biller.name(ch(['full', 'init', 'first']))}, {ch(['billing specialist', 'PFS rep', 'CPC'])}, ext {R.randint(200, 899)}"
    )
    return lines(*parts)


def k_phone():
    pt = Person()
    rel, caller = relative()
    took = Person()
    when = rdate()
    prov, pv = doc(form=ch(["last", "full"]))
    parts = [
        ch(["TELEPHONE ENCOUNTER", "Phone msg", "MESSAGE / CALL BACK", "Tel. note"]),
        f"{D(when, style=ch(['mdy_slash', 'mdy_short', 'DD-MON-YYYY', 'iso', 'dmy_dot', 'mon_d_y']), partial_ok=False)} "
        + ch(
            [
                f"{R.randint(8, 11)}:{R.randint(10, 59)} AM",
                f"{R.randint(1, 5)}:{R.randint(10, 59)} PM",
                f"{R.randint(8, 17)}:{R.randint(10, 59)}",
            ]
        ),
        f"Re: {pt.name(ch(['full', 'lfm', 'LFM', 'CAPS']))} (DOB {DOB()}, MRN {MRN()})",
        ch(
            [
                f"Caller: {caller.name()} ({rel}) -- cb {PH()}",
                f"{rel.capitalize()} {caller.name()} called, callback {PH()} {ch(['', 'or work '])}".strip(),
                f"Pt called from {PH()}",
            ]
        ),
        f"Message: {ch(['Needs refill of ' + ch(MEDS), 'Asking whether to hold ' + ch(MEDS) + ' before procedure on ' + fmt_date(rdate(), 'md_slash'), 'Reports BP 168/94 at home this am', 'Fell Sunday, bruised L hip, walking ok'])}".replace(
            " on ", " on "
        ),
    ]
    # the md_slash date above is PHI too: re-label it properly
    parts[-1] = re.sub(r"on (\d{1,2}/\d{1,2})$", lambda m: "on " + P("DATE", m.group(1)), parts[-1])
    parts += shuffled(
        [
            maybe(
                0.4,
                f"Pharmacy: {ch(PHARMACIES)}, ph {PH()}, fax {FX()}; Rx #{P('OTHER_ID', rx_no())}.",
            ),
            maybe(
                0.3,
                f"Pt is {age_phrase(old_age(), pt.sex)}, hard of hearing -- speak slowly."
                if chance(0.6)
                else f"Caller says pt is {young_age_phrase(pt.sex)}; {ch(['lives alone', 'has a home aide'])}.",
            ),
            maybe(0.25, bio_line()),
            maybe(0.2, f"Prefers email: {email_for(caller)}."),
            maybe(0.25, f"Pt lives at {address()}; home health via {ch(FACILITIES)}."),
            maybe(
                0.15,
                f"Pt asked for records to be sent to new address in {town()} ({P('LOCATION', ch(COUNTIES))}).",
            ),
        ]
    )
    parts.append(
        ch(
            [
                f"Routed to {pv}. Taken by {took.name(ch(['first', 'init', 'full']))}.",
                f"Per {pv}: {ch(['ok to refill x90 days', 'come in tomorrow', 'go to ED if worse'])}. Called back {D(when, style='md_slash')} -- left VM.",
                f"-- {took.name('full')}, {ch(['MA', 'RN', 'front desk'])}",
            ]
        )
    )
    return lines(*parts)


def k_ed_triage():
    pt = Person()
    arr = rdate()
    age, old = some_age(pt.sex, 0.4)
    rn, rnv = nurse()
    cc = ch(
        [
            "chest pain x2h",
            "fall from ladder",
            "SOB, worse lying flat",
            "confusion since this am",
            "MVC, restrained driver",
            "laceration R hand",
            "abd pain RLQ",
            "syncope at church",
        ]
    )
    parts = [
        ch(["ED TRIAGE", "EMERGENCY DEPT - TRIAGE ASSESSMENT", "Triage Note (ESI)"]),
        f"Arrival {D(arr, style=ch(['mdy_slash0', 'iso', 'DD-MON-YYYY', 'DDMONYYYY', 'ymd_compact', 'dmy_slash_txt']), partial_ok=False)} "
        f"{R.randint(0, 23):02d}{R.randint(0, 59):02d} by {ch(['private vehicle', 'EMS (Medic 7)', 'walk-in', 'police'])}  ESI {R.randint(1, 4)}",
        f"Pt: {pt.name(ch(['LFM', 'lfm', 'CAPS', 'full']))}  {age}  MRN {MRN()}  Bay {R.randint(1, 30)}",
        f"CC: {cc}. {vitals()}. Pain {R.randint(0, 10)}/10. GCS 15. Wt {R.randint(45, 140)} kg.",
        f"Hx: {icd()[1]}, {icd()[1]}; {ch(MEDS)}. NKDA. Last tetanus {bare_year()}.",
    ]
    parts += shuffled(
        [
            maybe(0.45, vehicle_line(pt)),
            maybe(0.5, f"Emergency contact: {name_rel()} {PH()}"),
            maybe(0.3, f"Home: {address()}."),
            maybe(0.3, bio_line()),
            maybe(0.3, photo_line(pt)),
            maybe(
                0.2,
                f"Pt has insulin pump, serial {P('DEVICE', serial())}; CGM transmitter {P('DEVICE', serial())}.",
            ),
            maybe(
                0.2,
                f"Brought in by {Person().name()} of {P('NAME', ch(EMPLOYERS))} (employer), work injury; WC claim {P('OTHER_ID', claim_no())}"
                + maybe(0.5, f", employer FEIN {P('OTHER_ID', ein())}")
                + ".",
            ),
            maybe(
                0.25, f"DL {P('LICENSE', dl())} ({ch(STATES[:14])}) used for ID; no insurance card."
            ),
            maybe(0.15, f"Registration: self-pay, SSN {SSN()} given verbally."),
            maybe(
                0.2,
                f"Last seen well {D(arr, style=ch(['md_slash', 'mon_ord']))} at 2100 by {ch(RELATIONS)}.",
            ),
        ]
    )
    parts.append(f"Triage RN: {rnv}  Assigned MD: {doc()[1]}")
    return lines(*parts)


def k_portal():
    pt = Person()
    prov = Person(allow_suffix=False)
    sent = rdate()
    fn = pt.name(ch(["first", "nickonly", "lower", "first"]))
    casual = ch(
        [
            P(
                "DATE",
                ch(["tues", "thurs", "mon", "fri", "wed"]) + " the " + ordsfx(R.randint(1, 28)),
            ),
            P("DATE", fmt_date(rdate(), ch(["md_slash", "mon_ord", "the_ord_of_month"])).lower()),
            P("DATE", fmt_date(rdate(), "mdy_short")),
            P("DATE", fmt_date(rdate(), "the_ord_of")),
        ]
    )
    body_lc = chance(0.5)
    msg = [
        f"hi dr {P('NAME', prov.last.lower())}," if body_lc else f"Dear Dr. {prov.name('last')},",
        ch(
            [
                f"my blood sugars have been 250s since {casual}, is that ok? still taking {ch(MEDS)}",
                f"i need to move my appt from {casual} bc my ride fell through. can do any afternoon",
                f"mom is {P('AGE', old_age())} now and keeps forgetting her pills, can we talk about a pill pack",
                f"I was at urgent care on {casual} for my cough, they gave me {ch(MEDS)}. should I still come in?",
                f"my knee is swollen again since {casual}. ice isnt helping. pain like 6/10",
            ]
        ),
        maybe(
            0.35,
            ch(
                [
                    f"you can text me at {PH()}",
                    f"call my cell {PH()} after 3",
                    f"my daughter {Person().name(ch(['first', 'lower']))} can answer too {PH()}",
                ]
            ),
        ),
        maybe(
            0.3,
            f"i uploaded a pic of my new insurance card and my face for the id thing: {P('PHOTO', photo_file(pt))}",
        ),
        maybe(0.25, f"new address is {address(oneline=True)}"),
        maybe(0.2, f"my new email is {email_for(pt)}"),
        maybe(
            0.15,
            f"my {ch(['cpap', 'hearing aid', 'pump'])} serial on the bottom says {P('DEVICE', serial())} if that helps",
        ),
        ch([f"thanks, {fn}", f"- {fn}", f"{pt.name('full')}", f"thank u\n{fn}"]),
    ]
    if body_lc:
        msg = [lower_marked(m) for m in msg]
    head = [
        ch(["PATIENT PORTAL MESSAGE", "MyChart msg (inbound)", "Secure message from patient"]),
        f"From: {pt.name(ch(['full', 'lfm']))} <{email_for(pt)}>"
        if chance(0.5)
        else f"From: {pt.name('full')} (MRN {MRN()})",
        f"To: {prov.name('full')}" + ch([", MD", ", NP", ""]) + f" | {ch(FACILITIES)}",
        f"Sent: {D(sent, style=ch(['weekday_long', 'mdy_slash', 'iso', 'mon_dot']), partial_ok=False)} {R.randint(1, 12)}:{R.randint(10, 59)} {ch(['AM', 'PM'])}",
        f"Subject: {ch(['question', 'sugar readings', 'reschedule', 'refill??', 'knee'])}",
        "",
    ]
    audit = []
    if chance(0.55):
        audit.append(
            f"[audit] login from {IP()} via {URL()} ; device {ch(['iPhone', 'Android', 'Chrome/Win'])}"
        )
    if chance(0.15):
        audit.append(
            f"[audit] 2FA by {ch(['face template', 'voiceprint'])} ref {P('BIOMETRIC', bio_ref())}"
        )
    reply = maybe(
        0.4,
        f"\nReply ({D(sent + timedelta(days=1), style=ch(['md_slash', 'mdy_slash']))}) {Person().name('init')}, RN: "
        f"Please keep a log and bring it {D(sent + timedelta(days=R.randint(3, 30)), style=ch(['mon_ord', 'the_ord_of_month', 'md_slash']))}.",
    )
    return lines(*head, *msg, reply, *audit)


def k_prior_auth():
    pt = Person()
    prov, pv = doc()
    d_req = rdate()
    svc = ch(
        [
            ("E0601", "CPAP"),
            ("73721", "MRI knee w/o contrast"),
            ("J0897", "denosumab 60 mg"),
            ("E0470", "BiPAP"),
            ("27447", "total knee arthroplasty"),
            ("G0180", "home health"),
        ]
    )
    dx = icd()
    payer = ch(PAYERS)
    age, old = some_age(pt.sex, 0.3)
    parts = [
        ch(
            [
                "PRIOR AUTHORIZATION REQUEST",
                "Pre-certification request",
                "Letter of Medical Necessity / PA",
            ]
        ),
        f"To: {payer} UM dept.  Fax {FX()}  Phone {PH()}",
        f"From: {pv}, {ch(FACILITIES)}  Fax {FX()}",
        f"Date: {D(d_req, partial_ok=False)}",
        "",
        f"Member: {pt.name(ch(['LFM', 'lfm', 'full_mi', 'full']))}   Member ID: {HP()}   {group_no()}   DOB: {DOB()}",
        maybe(0.5, f"Member address: {address()}"),
        f"Requested: {svc[0]} {svc[1]} x{R.randint(1, 13)} units, start {D(d_req + timedelta(days=7))}; Dx {dx[0]} ({dx[1]}).",
        f"Rationale: {age} with {dx[1]}; failed {ch(MEDS)} since {bare_year()}. "
        + ch(
            [
                f"AHI {R.randint(15, 80)} on sleep study {D()}.",
                f"Xray {D()} shows KL grade 4.",
                f"T-score -{R.uniform(2.5, 4.1):.1f} on DXA {D(style='month_year')}.",
            ]
        ),
        f"Prescriber NPI {npi()}; DEA {P('LICENSE', dea(prov.last))}; state lic {P('LICENSE', prof_lic())}; TIN {P('OTHER_ID', ein())}.",
        maybe(
            0.3 if svc[0].startswith("E") else 0,
            f"Existing device: {svc[1]} unit serial {P('DEVICE', serial())} (out of warranty).",
        ),
        maybe(
            0.35,
            f"Prior case {P('OTHER_ID', auth_no())} denied {D()}; peer-to-peer with Dr. {Person().name('last')} requested.",
        ),
        maybe(
            0.25,
            f"Contact {Person().name('full')}, PA coordinator, {PH()} / {email_for(Person())}.",
        ),
        maybe(0.2, f"Portal submission ref {P('OTHER_ID', auth_no())} at {URL()}"),
        f"Signed: {pv}  {D(d_req, style=ch(['mdy_slash', 'iso', 'mdy_short']), partial_ok=False)}",
    ]
    return lines(*parts)


def k_handoff():
    pt = Person()
    rn1, v1 = nurse()
    rn2, v2 = nurse()
    d0 = rdate()
    age, old = some_age(pt.sex, 0.45)
    parts = [
        ch(["NURSING HANDOFF (SBAR)", "Shift report 1900", "RN-to-RN handoff", "I-PASS handoff"]),
        f"{D(d0, style=ch(['mdy_slash', 'iso', 'DD-MON-YYYY', 'd_mon_y', 'lower_mon']), partial_ok=False)} | Unit 4W rm {R.randint(401, 440)}{ch('AB')} | {v1} -> {v2}",
        f"S: {pt.name(ch(['full', 'lfm', 'nick', 'LFM']))}, {age}, MRN {MRN()}, POD {R.randint(0, 5)} {ch(['L hip ORIF', 'lap chole', 'CABG x3', 'TURP'])}. {ch(['Full code', 'DNR'])}.",
        "B: {0[1]} ({0[0]}); ".format(icd())
        + f"{ch(MEDS)}; allergic to PCN. Lives with {ch(RELATIONS)} in {town()}.",
        f"A: {vitals()}. UO 40 mL/h. Braden 14. {ch(['Confused overnight, CAM+', 'Alert, oriented x3', 'Sundowning after 1800'])}.",
        f"R: {ch(['recheck K at 0400', 'PT eval in am', 'wean O2 to 2 L', 'bladder scan q6h'])}. {ch(['Bed alarm on.', 'Sitter at bedside.', ''])}",
    ]
    parts += shuffled(
        [
            maybe(
                0.45,
                f"Pump: PCA serial {P('DEVICE', serial())}"
                + maybe(0.5, f"; feeding pump SN {P('DEVICE', serial())}"),
            ),
            maybe(
                0.5,
                f"Family: {name_rel(ch(['full', 'nick', 'first']))} {PH()} -- {ch(['update after rounds', 'wants call if any change', 'visiting tomorrow'])}.",
            ),
            maybe(0.25, vehicle_line(pt)),
            maybe(
                0.2,
                f"Belongings: wallet w/ DL {P('LICENSE', dl())}, phone, glasses -- locked in security, envelope {P('OTHER_ID', 'SEC-' + digits(5))}.",
            ),
            maybe(0.25, photo_line(pt)),
            maybe(0.2, bio_line()),
            maybe(0.3, f"Surgeon {doc()[1]} wants page {PH()} for SBP < 90."),
            maybe(0.2, f"D/C planning: SNF referral sent {D()}; home is {address()}."),
        ]
    )
    return lines(*parts)


def k_fax_cover():
    pt = Person()
    sender = Person(allow_suffix=False)
    to = Person(allow_suffix=False)
    d0 = rdate()
    fac1, fac2 = ch(FACILITIES), ch(FACILITIES)
    tiny = chance(0.4)
    sep = " " if tiny else "\n"
    parts = [
        ch(["FAX COVER SHEET", "*** F A X ***", "FACSIMILE TRANSMITTAL", "Fax"])
        + (" -- scanned, OCR text" if chance(0.3) else ""),
        f"DATE: {D(d0, style=ch(['mdy_slash0', 'DD-MON-YYYY', 'dmy_dot', 'iso_slash', 'mon_d_y', 'CAPS_month', 'mdy_dash']), partial_ok=False)}"
        f"   TIME: {R.randint(1, 12)}:{R.randint(10, 59)}{ch(['am', 'pm', ' PM'])}   PAGES: {R.randint(2, 19)} (incl. cover)",
        f"TO: {to.name(ch(['full', 'CAPS', 'init', 'LFM']))}"
        + ch([", MD", ", RN", "", " (records)"])
        + f" @ {fac2}",
        f"FAX: {FX()}   PHONE: {PH()}",
        f"FROM: {sender.name(ch(['full', 'CAPS', 'first', 'init']))} @ {fac1}",
        f"FAX: {FX()}   PHONE: {PH()}" + maybe(0.4, f"   EMAIL: {email_for(sender)}"),
        f"{fac1} -- {address(oneline=True)}" if chance(0.5) else "",
        f"RE: {pt.name(ch(['LFM', 'lfm', 'CAPS', 'full']))}  DOB {DOB()}  "
        + ch([f"MRN {MRN()}", f"Acct {ACCT()}", f"Member {HP()}"]),
        "[x] Urgent  [ ] For review  [x] Please reply  [ ] Please recycle",
        f"Comments: {ch(['Records requested for', 'Labs attached re', 'Signed orders for', 'Consult note for'])} visit {D()}; "
        + ch(
            [
                f"please fax results back to {FX()}.",
                "call w/ questions.",
                f"attn {Person().name('first')} in HIM.",
                f"order #{P('OTHER_ID', digits(9))}.",
            ]
        ),
        maybe(
            0.25,
            f"Accession {P('OTHER_ID', ch(['A', 'S', 'LAB']) + digits(8))} collected {D(d0, style='md_slash')}.",
        ),
        maybe(
            0.15,
            f"Enclosed: {ch(['face sheet', 'copy of photo ID'])} ({P('PHOTO', photo_file(pt))}).",
        ),
        "CONFIDENTIAL: This facsimile contains protected health information. If received in error, notify the sender and destroy all copies.",
    ]
    return sep.join(x for x in parts if x)


def k_telehealth():
    pt = Person()
    prov, pv = doc()
    d0 = rdate()
    age, old = some_age(pt.sex, 0.3)
    parts = [
        ch(["TELEHEALTH VISIT (video)", "Virtual Visit Note", "Telemedicine encounter - POS 10"]),
        f"Patient: {pt.name(ch(['full', 'lfm', 'LFM', 'full_mi']))}  DOB {DOB()}  MRN {MRN()}",
        f"Date {D(d0, partial_ok=False)}; start {R.randint(8, 17)}:{R.randint(10, 59)}, {R.randint(12, 44)} min; CPT {ch(['99213', '99214', '98006'])}-95.",
        f"Session link: {URL()}"
        + maybe(
            0.5, f"  (session ID {P('OTHER_ID', digits(3) + '-' + digits(3) + '-' + digits(4))})"
        ),
        f"Patient connected from IP {IP()}" + maybe(0.35, f"; provider from {IP()}") + ".",
        f"Patient location verified: {address()}"
        if chance(0.7)
        else f"Patient located in {town()}, {ch(STATES)} at time of visit.",
        ch(
            [
                f"Identity verified with DL {P('LICENSE', dl())} held to camera.",
                f"Identity verified via {ch(BIO_KIND)}, ref {P('BIOMETRIC', bio_ref())}.",
                f"Identity verified by photo on file ({P('PHOTO', photo_file(pt))}).",
                f"Identity confirmed by name + DOB.",
            ]
        ),
        f"HPI: {age}; "
        + "{0[1]} ({0[0]}). ".format(icd())
        + ch(
            [
                f"Home BP log avg {R.randint(120, 160)}/{R.randint(70, 95)}.",
                f"Home glucose {R.randint(90, 300)} mg/dL fasting.",
                "Rash improved on photos sent.",
            ]
        ),
        maybe(
            0.4,
            f"Home monitor: BP cuff serial {P('DEVICE', serial())}, readings sync'd since {D()}.",
        ),
        maybe(0.3, f"{rel_name(cap=True)} present and assisting."),
        maybe(0.25, bio_line()),
        f"Plan: {ch(MEDS)}; f/u video in 4 wks ({D(d0 + timedelta(days=28), style=ch(['md_slash', 'mon_ord', 'the_ord_of_month', 'mdy_slash']))}).",
        f"Consent for telehealth obtained. {pv}" + maybe(0.4, f", lic {P('LICENSE', prof_lic())}"),
    ]
    return lines(*parts)


def k_dme():
    pt = Person()
    tech = Person(allow_suffix=False)
    d0 = rdate()
    item = ch(
        [
            ("E0601", "CPAP"),
            ("E0470", "BiPAP"),
            ("E1390", "oxygen concentrator"),
            ("E0260", "hospital bed"),
            ("K0823", "power wheelchair"),
            ("E0784", "insulin pump"),
        ]
    )
    parts = [
        ch(
            ["DME DELIVERY TICKET", "Home Medical Equipment - Proof of Delivery", "DME set-up note"]
        ),
        f"Order {P('OTHER_ID', 'SO-' + digits(7))}  Delivered {D(d0, partial_ok=False)}",
        f"Patient: {pt.name(ch(['LFM', 'full', 'CAPS', 'lfm']))}  DOB {DOB()}  Acct {ACCT()}",
        f"Deliver to: {address()}" + maybe(0.4, f" (gate code 4{digits(3)}#)"),
        f"Contact: {PH()}" + maybe(0.5, f" / alt {PH()}"),
        f"Item: {item[0]} {item[1]}, model {ch(['AS-10', 'DS500', 'VX-2200', 'Q7'])}, serial {P('DEVICE', serial())}",
        maybe(0.5, f"UDI: {P('DEVICE', udi())}"),
        maybe(0.3, f"Humidifier SN {P('DEVICE', serial())}; mask {ch(['A7030', 'A7034'])} size M."),
        f"Payer: {ch(PAYERS)}  ID {HP()}  "
        + maybe(0.5, f"CMN on file, signed {D()} by {doc()[1]}"),
        maybe(
            0.3,
            f"Set-up with {rel_name()} present; pt {age_phrase(old_age(), pt.sex) if chance(0.5) else young_age_phrase(pt.sex)}.",
        ),
        maybe(0.25, f"Modem reports to cloud from {IP()}; portal {URL()}"),
        maybe(
            0.2,
            f"Pt signature replaced by {ch(['thumbprint', 'fingerprint'])} capture, ref {P('BIOMETRIC', bio_ref())}.",
        ),
        maybe(0.15, f"Pt's van plate {P('VEHICLE', plate())} for power chair lift install."),
        f"Tech: {tech.name(ch(['full', 'first', 'init']))} ({ch(['RRT', 'CRT', 'delivery'])})  Truck {R.randint(1, 40)}",
    ]
    return lines(*parts)


def k_roi():
    pt = Person()
    req = Person()
    d0 = rdate()
    parts = [
        ch(
            [
                "RELEASE OF INFORMATION REQUEST",
                "HIM - Authorization to Disclose",
                "Records request log",
            ]
        ),
        f"Received {D(d0, partial_ok=False)}  Log #{P('OTHER_ID', 'ROI-' + digits(6))}",
        f"Patient: {pt.name(ch(['LFM', 'lfm', 'full_mi', 'nick']))}  DOB {DOB()}  SSN {SSN()}  MRN {MRN()}",
        f"Address on file: {address()}",
        f"Requestor: {req.name()}, {ch(['attorney', 'paralegal', 'adjuster', 'daughter (POA)'])}"
        + ch(
            [f" at {P('NAME', req.last + ch([' & Associates', ' Law Group', ' Legal PLLC']))}", ""]
        )
        + f", fax {FX()}, {email_for(req)}",
        f"Records: {ch(['all', 'ED', 'imaging', 'billing'])} from {D(style=ch(['month_year', 'mdy_slash']))} to {D()}.",
        ch(
            [
                f"ID verified: DL {P('LICENSE', dl())}, photo copy {P('PHOTO', photo_file(pt))}.",
                f"ID verified: state ID {P('LICENSE', dl())}.",
                f"ID verified by {ch(BIO_KIND)} on kiosk, ref {P('BIOMETRIC', bio_ref())}.",
            ]
        ),
        maybe(
            0.3,
            f"Pt states {pt.pron()} is {age_phrase(old_age(), pt.sex)}; signed by POA {Person().name()}.",
        ),
        maybe(0.25, f"Send via secure link {URL()} (expires {D()})."),
        maybe(
            0.2,
            f"Related police report {P('OTHER_ID', digits(2) + '-' + digits(6))}; vehicle VIN {P('VEHICLE', vin())}.",
        ),
        maybe(0.2, f"Fee {money()} invoiced to acct {ACCT()}."),
        f"Processed by {Person().name(ch(['full', 'init']))}, HIM, {D(d0 + timedelta(days=R.randint(1, 20)), style=ch(['md_slash', 'mdy_slash', 'iso']))}",
    ]
    return lines(*parts)


def k_pharmacy_call():
    pt = Person()
    rph = Person(allow_suffix=False)
    presc, pv = doc()
    d0 = rdate()
    parts = [
        ch(["PHARMACY CALL LOG", "Rx clarification call", "Pharmacist note"]),
        f"{D(d0, partial_ok=False)} -- {ch(PHARMACIES)} ({PH()}, fax {FX()})",
        f"RPh {rph.name(ch(['full', 'init', 'CAPS']))} re: {pt.name(ch(['full', 'lfm', 'LFM']))}, DOB {DOB()}, Rx #{P('OTHER_ID', rx_no())}",
        f"Issue: {ch(['dose of ' + ch(MEDS) + ' unclear', 'interaction with warfarin', 'quantity exceeds plan limit', 'needs new PA'])}; "
        f"prescriber {pv}, DEA {P('LICENSE', dea(presc.last))}, NPI {npi()}.",
        f"Plan BIN 610{digits(3)} PCN {ch(['ADV', 'MEDDPRIME', 'RXGRP'])} member {HP()}.",
        maybe(
            0.35,
            f"Pt {age_phrase(old_age(), pt.sex)}; caregiver {Person().name()} picks up ({PH()}).",
        ),
        maybe(0.3, f"Delivery to {address()}."),
        maybe(0.2, f"Call recording voice-verified, voiceprint ID {P('BIOMETRIC', bio_ref())}."),
        maybe(0.2, f"Pt email for refill alerts: {email_for(pt)}"),
        f"Resolved {D(d0, style=ch(['md_slash', 'mdy_short']))}: {ch(['changed to 90-day supply', 'callback to prescriber office', 'sent to ' + pv])}.",
    ]
    return lines(*parts)


KINDS = [
    ("progress_note", k_progress),
    ("discharge_summary", k_discharge),
    ("referral_letter", k_referral),
    ("billing_note", k_billing),
    ("phone_message", k_phone),
    ("ed_triage", k_ed_triage),
    ("portal_message", k_portal),
    ("prior_auth", k_prior_auth),
    ("nursing_handoff", k_handoff),
    ("fax_cover", k_fax_cover),
    ("telehealth_visit", k_telehealth),
    ("dme_delivery", k_dme),
    ("records_release", k_roi),
    ("pharmacy_call", k_pharmacy_call),
]


# --------------------------------------------------------------------------- checks
WORD = r"[^\W\d_]"


def check(text, spans, nid):
    for s in spans:
        assert text[s["start"] : s["end"]] == s["text"], (nid, s)
        assert s["text"] == s["text"].strip(), (nid, s)
    ss = sorted(spans, key=lambda s: s["start"])
    for a, b in zip(ss, ss[1:]):
        assert a["end"] <= b["start"], (nid, a, b)

    def covered(i, j):
        return any(s["start"] <= i and j <= s["end"] for s in spans)

    # every mention of a labelled name token / place must be labelled
    toks = set()
    for s in spans:
        if s["category"] == "NAME":
            for t in re.findall(WORD + "+", s["text"]):
                if len(t) >= 3 and t.lower() not in PARTICLES:
                    toks.add(t)
        if (
            s["category"] == "LOCATION"
            and re.search(WORD, s["text"])
            and not s["text"][0].isdigit()
        ):
            toks.add(s["text"])
    for t in toks:
        for m in re.finditer(r"(?<![^\W\d_])" + re.escape(t) + r"(?![^\W\d_])", text, re.I):
            if not covered(m.start(), m.end()):
                raise AssertionError(
                    f"{nid}: unlabelled mention {t!r} at {m.start()}: "
                    f"{text[max(0, m.start() - 40) : m.end() + 40]!r}"
                )
    # a few fixed distractors must never be inside a span
    for m in re.finditer(r"\bNPI:? (\d{10})\b", text):
        assert not covered(m.start(1), m.end(1)), (nid, m.group())


def build():
    notes = []
    i = 0
    for rnd in range(N_PER_KIND):
        for kind, fn in KINDS:
            marked = fn()
            marked = re.sub(r"\n{3,}", "\n\n", marked).strip()
            text, spans = unmark(marked)
            nid = f"heldout5-{i:04d}"
            check(text, spans, nid)
            notes.append(
                {"id": nid, "kind": kind, "style": "heldout5", "text": text, "spans": spans}
            )
            i += 1
    return notes


def main():
    notes = build()
    cat = Counter(s["category"] for n in notes for s in n["spans"])
    for c in CATS:
        assert cat[c] >= 15, (c, cat[c])
    with open(OUT, "w", encoding="utf-8") as f:
        for n in notes:
            f.write(json.dumps(n, sort_keys=True, ensure_ascii=False) + "\n")
    if "--stats" in sys.argv:
        notes_with = Counter(c for n in notes for c in {s["category"] for s in n["spans"]})
        total = sum(cat.values())
        print(
            f"{len(notes)} notes, {total} spans, {total / len(notes):.1f} spans/note, "
            f"{sum(len(n['text']) for n in notes) / len(notes):.0f} chars/note"
        )
        print("| category | spans | notes with it |\n| --- | ---: | ---: |")
        for c in CATS:
            print(f"| `{c}` | {cat[c]} | {notes_with[c]} |")
        kinds = Counter(n["kind"] for n in notes)
        ks = Counter()
        for n in notes:
            ks[n["kind"]] += len(n["spans"])
        print("| kind | notes | spans |\n| --- | ---: | ---: |")
        for k, _ in KINDS:
            print(f"| `{k}` | {kinds[k]} | {ks[k]} |")
    else:
        print(f"wrote {len(notes)} notes to {OUT}")


if __name__ == "__main__":
    main()
