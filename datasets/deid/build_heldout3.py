"""Build ``heldout3.jsonl``: an independent held-out set of labelled synthetic clinical notes.

Written from scratch by a helper who never opened the de-identifier, its note generator, its
tests, its lesson or exercise, or the other label sets (apart from the first record of
``notes.jsonl``, read only to copy the record format).  Every name, place, employer, number
and date below is invented here, from hand-written lists and a seeded random generator; no
name or address list from any package is used.

Run ``python datasets/deid/build_heldout3.py``: it rewrites ``heldout3.jsonl`` byte for byte,
checks every span (``text[start:end] == span text``, no overlaps, every later mention of a
labelled name or place is labelled too) and prints the span count per category.

How the notes are written: each note is an f-string in which every PHI value is wrapped by
``P(category, value)`` (invisible marker characters).  ``finalize`` strips the markers and
records each value's offsets, so the offsets come from the text itself, never from counting.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

SEED = 3303
N_PER_KIND = 20
STYLE = "heldout3"
OUT = Path(__file__).with_name("heldout3.jsonl")

CATEGORIES = (
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
)

_OPEN, _SEP, _CLOSE = "\x02", "\x1f", "\x03"
_MARK = re.compile("\x02([A-Z_]+)\x1f(.*?)\x03", re.S)


def P(category: str, value: str) -> str:
    """Wrap one PHI value so ``finalize`` can find it and record its offsets."""
    assert category in CATEGORIES, category
    assert value and value == value.strip(), repr(value)
    assert not any(c in value for c in (_OPEN, _SEP, _CLOSE)), repr(value)
    return f"{_OPEN}{category}{_SEP}{value}{_CLOSE}"


def finalize(marked: str, literal_fn=None) -> tuple[str, list[dict]]:
    """Strip the markers from ``marked``; return the plain text and its labelled spans.

    ``literal_fn`` (optional) rewrites only the text between PHI values (used to put typos
    into patients' own messages without touching a labelled value).
    """
    pieces = _MARK.split(marked)
    out: list[str] = []
    spans: list[dict] = []
    pos = 0
    for i in range(0, len(pieces), 3):
        literal = pieces[i]
        if literal_fn is not None:
            literal = literal_fn(literal)
        out.append(literal)
        pos += len(literal)
        if i + 2 < len(pieces):
            category, value = pieces[i + 1], pieces[i + 2]
            spans.append(
                {"category": category, "end": pos + len(value), "start": pos, "text": value}
            )
            out.append(value)
            pos += len(value)
    text = "".join(out)
    assert _OPEN not in text and _CLOSE not in text and _SEP not in text
    return text, spans


# ---------------------------------------------------------------------------------------------
# Hand-written lists (invented for this file).
# ---------------------------------------------------------------------------------------------

FEMALE = [
    "Maria",
    "Jennifer",
    "Keisha",
    "Aaliyah",
    "Mei",
    "Priya",
    "Ngozi",
    "Olena",
    "Guadalupe",
    "Siobhan",
    "Hannah",
    "Fatima",
    "Yuki",
    "Thuy",
    "Deborah",
    "Latoya",
    "Ximena",
    "Agnieszka",
    "Chiamaka",
    "Anjali",
    "Rosalind",
    "Beatrice",
    "Imani",
    "Soo-jin",
    "Marisol",
    "Dolores",
    "Esperanza",
    "Hope",
    "April",
    "June",
    "Destiny",
    "Tamsin",
    "Wren",
    "Parisa",
    "Leilani",
    "Nadia",
    "Svetlana",
    "Ifeoma",
    "Kaitlyn",
    "Gwendolyn",
    "Mildred",
    "Opal",
    "Eun-ji",
    "Lakshmi",
    "Zainab",
    "Renata",
    "Yolanda",
    "Bernadette",
    "Margaret",
    "Elizabeth",
    "Katherine",
    "Dorothy",
    "Nkechi",
    "Halina",
    "Marguerite",
    "Consuelo",
    "Rukhsana",
    "Ayesha",
    "Haruka",
    "Lien",
    "Brenda",
    "Tammy",
    "Krystal",
    "Rose",
    "Inés",
    "Mirela",
    "Adaeze",
    "LaShonda",
    "Bích",
    "Oksana",
]
MALE = [
    "James",
    "Robert",
    "DeShawn",
    "Luis",
    "Jorge",
    "Wei",
    "Hiroshi",
    "Rajesh",
    "Oluwaseun",
    "Tomasz",
    "Dmitri",
    "Kwame",
    "Mateo",
    "Santiago",
    "Ibrahim",
    "Minh",
    "Bao",
    "Arjun",
    "Emeka",
    "Kofi",
    "Bogdan",
    "Sean",
    "Patrick",
    "Darnell",
    "Tyrone",
    "Cody",
    "Travis",
    "Earl",
    "Harold",
    "Walter",
    "Eugene",
    "Mark",
    "Grant",
    "Chidi",
    "Vikram",
    "Sung-ho",
    "Kenji",
    "Amadou",
    "Yusuf",
    "Rafael",
    "Ezequiel",
    "Lorenzo",
    "Casimir",
    "Ray",
    "William",
    "Theodore",
    "Francisco",
    "Aleksandr",
    "Jose",
    "Richard",
    "Jesús",
    "Hamza",
    "Tariq",
    "Nikolai",
    "Florin",
    "Dariusz",
    "Kelechi",
    "Thanh",
    "Jae-won",
    "Rohan",
    "Delroy",
    "Alton",
    "Clyde",
    "Mohammed",
    "Ruslan",
    "Augustin",
]
NICKNAMES = {
    "Robert": ["Bobby", "Rob"],
    "William": ["Billy", "Liam"],
    "Margaret": ["Peggy", "Maggie"],
    "Elizabeth": ["Betsy", "Liz"],
    "James": ["Jimmy", "Jim"],
    "Guadalupe": ["Lupe"],
    "Dolores": ["Lola"],
    "Francisco": ["Paco", "Frankie"],
    "Aleksandr": ["Sasha"],
    "Jose": ["Pepe"],
    "Katherine": ["Kit", "Katie"],
    "Theodore": ["Teddy"],
    "Dorothy": ["Dot"],
    "Richard": ["Rick"],
    "Oluwaseun": ["Seun"],
    "Harold": ["Hal"],
    "Eugene": ["Gene"],
    "Santiago": ["Santi"],
    "Mohammed": ["Mo"],
    "Bernadette": ["Bernie"],
}
SURNAMES = [
    "Johnson",
    "Whitaker",
    "Kowalczyk",
    "Nowak",
    "Hernandez",
    "Ramirez-Ocampo",
    "de la Cruz",
    "del Rio",
    "van der Berg",
    "O'Neil",
    "O'Shaughnessy",
    "D'Amato",
    "McAllister",
    "MacGregor",
    "Nguyen",
    "Tran",
    "Pham",
    "Kim",
    "Park",
    "Choi",
    "Chen",
    "Zhang",
    "Watanabe",
    "Takahashi",
    "Patel",
    "Sharma",
    "Venkataraman",
    "Chaudhry",
    "Okafor",
    "Adeyemi",
    "Nwosu",
    "Mensah",
    "Diallo",
    "N'Diaye",
    "Abebe",
    "Haile",
    "Kuznetsov",
    "Petrenko",
    "Horvath",
    "Dvorak",
    "Popescu",
    "Al-Masri",
    "Haddad",
    "Khoury",
    "Rahimi",
    "Goldberg",
    "Rosenthal",
    "Mueller",
    "Jablonski",
    "Washington",
    "Freeman",
    "Banks",
    "Payne",
    "Cotton",
    "Walker",
    "Young",
    "Sterling",
    "Brooks",
    "Fitzgerald",
    "St. John",
    "LeBlanc",
    "Thibodeaux",
    "Begay",
    "Yazzie",
    "Kealoha",
    "Santos",
    "Oliveira",
    "Castillo",
    "Villanueva",
    "Ortiz-Whitfield",
    "Lindqvist",
    "Baptiste",
    "Jean-Louis",
    "Boateng",
    "Asante",
    "Wojcik",
    "Szabo",
    "Yilmaz",
    "Karimi",
    "Hosseini",
    "Iyer",
    "Reddy",
    "Bhattacharya",
    "Lim",
    "Wong",
    "Lau",
    "Muñoz",
    "Ibáñez",
    "Gallagher",
    "Hollingsworth",
    "Pruitt",
    "Crowder",
    "Oyelaran",
    "Tsosie",
    "Vu",
    "Alvarado",
    "Kapoor",
    "Dąbrowski",
    "Mbeki-Carter",
    "Fontaine",
    "Greer",
]

TOWNS = [
    "Harrowgate",
    "Pemberton Ridge",
    "Quillan",
    "Saddlebrook",
    "East Wyndham",
    "Lower Tansy",
    "Port Everly",
    "Greyhollow",
    "Fennimore Mills",
    "Oakvale",
    "Kestrel Point",
    "Marrowbone",
    "New Caldwell",
    "Tillman's Crossing",
    "Vireo Springs",
    "Dunmore Flats",
    "Ashgrove",
    "Larkspur Valley",
    "Halvorsen",
    "Brightwater",
    "Castine Hollow",
    "Santa Benita",
    "Villa Esperanza",
    "Rio Mercado",
    "Otterburn",
    "Wicklow Station",
    "Crane's Landing",
    "North Ebbing",
    "Sallow Creek",
    "Mount Ivey",
]
COUNTIES = [
    "Tamsett County",
    "Caldera County",
    "Windle County",
    "Birchard County",
    "Marlow County",
    "Queeney County",
    "Ostrander County",
    "Palmetto Bend Parish",
    "Sorrel County",
    "Hatchett County",
]
STREETS = [
    "Bramblewood Ct",
    "Larch Hollow Rd",
    "Quarry Ln",
    "Old Mill Pike",
    "Wexford Ave",
    "Calle Miraflores",
    "Tupelo Dr",
    "Sandpiper Way",
    "N 14th St",
    "Ferncliff Terrace",
    "Bishop's Gate Rd",
    "Martin Luther King Jr Blvd",
    "Rookery Lane",
    "Oriole Street",
    "Kinnear Avenue",
    "Pell Road",
    "S Juniper St",
    "Cottonwood Cir",
    "Veterans Memorial Hwy",
    "Ridgeback Trail",
    "W Chestnut Ave",
    "Harbison Pl",
    "Stillwater Dr",
    "Mesa Alta Rd",
    "Gully Rd",
    "Lantern Sq",
    "Pawnee Ave",
    "Elmhurst Blvd",
    "Canal St",
    "Sycamore Bend",
]
UNITS = ["Apt 3B", "Apt. 12", "Unit 4", "#204", "Lot 17", "Apt 2R", "Trlr 9", "Bldg C Apt 31"]
NEIGHBORHOODS = [
    "Fenwick Heights",
    "Southgate Commons",
    "Millrace",
    "Bellrose Gardens",
    "Cedar Knolls",
    "Harlow Terrace",
]
STATES = [
    "PA",
    "OH",
    "NM",
    "GA",
    "MN",
    "OR",
    "TX",
    "NC",
    "WI",
    "MI",
    "NY",
    "VA",
    "Oregon",
    "Ohio",
    "Kentucky",
    "Arizona",
]
EMPLOYERS = [
    "Dellwood Poultry Processing",
    "Kinsey & Ruhl Roofing",
    "Amberline Logistics",
    "Hollis Brothers Lumber",
    "Maple Leaf Diner",
    "Brisco Cold Storage",
    "Ostrowski Auto Body",
    "Greenleaf Home Care",
    "Quarrystone Casino",
    "MetroLink Couriers",
    "Holloway Paper Mill",
    "Vantara Staffing",
    "Pinecrest Middle School",
    "Tri-Star Janitorial",
    "Bhatt Brothers Grocery",
    "Sunbelt Pipe & Supply",
    "Golden Wok Express",
    "Ironclad Fitness",
    "Redline Towing",
    "Lindgren Dairy Farm",
]
# Facility and payer names are not labelled (policy in README): none contains a place name.
FACILITIES = [
    "St. Brigid Medical Center",
    "Good Shepherd Hospital",
    "Sacred Heart Surgery Center",
    "Unity Health",
    "Northside Family Practice",
    "Cornerstone Orthopedics",
    "Covenant Cardiology Associates",
    "Bluestem Internal Medicine",
]
HOME_AGENCIES = ["Beacon Home Health", "Kindred Path Home Care", "Lanternlight Visiting Nurses"]
PHARMACIES = ["Wellspring Pharmacy", "CareMart Pharmacy", "Apex Rx"]
LABS = ["Summit Diagnostic Lab", "Clearwater Reference Laboratory", "Meridian Path Lab"]
PAYERS = [
    "Keystone Mutual Health",
    "BluePeak Health Plan",
    "Harborline Advantage",
    "Crestview Choice PPO",
    "Sentinel Benefit Plans",
    "Medicare",
    "state Medicaid",
]
MAIL_DOMAINS = [
    "example.com",
    "example.net",
    "example.org",
    "mail.example.com",
    "inbox.example.net",
    "postbox.example.org",
]
RELATIONS = [
    "daughter",
    "son",
    "wife",
    "husband",
    "granddaughter",
    "grandson",
    "niece",
    "sister",
    "brother",
    "partner",
    "neighbor",
    "mother",
]
RELATION_SEX = {
    "daughter": "F",
    "wife": "F",
    "granddaughter": "F",
    "niece": "F",
    "sister": "F",
    "mother": "F",
    "son": "M",
    "husband": "M",
    "grandson": "M",
    "brother": "M",
}

DRUGS = [
    "apixaban 5 mg BID",
    "metformin 1000 mg BID",
    "lisinopril 20 mg daily",
    "atorvastatin 40 mg qHS",
    "levothyroxine 88 mcg daily",
    "furosemide 40 mg daily",
    "insulin glargine 22 units qHS",
    "sertraline 100 mg daily",
    "amlodipine 10 mg daily",
    "gabapentin 300 mg TID",
    "tamsulosin 0.4 mg daily",
    "oxycodone 5 mg q6h PRN",
    "warfarin 3 mg daily",
    "albuterol HFA 2 puffs q4h PRN",
    "semaglutide 0.5 mg weekly",
    "carvedilol 12.5 mg BID",
    "prednisone 20 mg daily x5d",
    "ondansetron 4 mg ODT PRN",
]
DX = [
    ("E11.65", "type 2 diabetes with hyperglycemia"),
    ("I50.32", "chronic diastolic heart failure"),
    ("J44.1", "COPD with acute exacerbation"),
    ("M17.11", "primary OA, right knee"),
    ("N39.0", "UTI, site not specified"),
    ("I48.91", "atrial fibrillation"),
    ("L89.153", "pressure injury, sacral region, stage 3"),
    ("S72.001A", "fracture of right femoral neck"),
    ("R07.9", "chest pain, unspecified"),
    ("K80.20", "calculus of gallbladder"),
    ("G47.33", "obstructive sleep apnea"),
    ("F32.1", "major depressive disorder, moderate"),
]
CPTS = [
    ("99284", "ED visit, moderate MDM"),
    ("99214", "office visit, est. pt"),
    ("27447", "TKA"),
    ("47562", "lap cholecystectomy"),
    ("33208", "dual-chamber pacemaker insertion"),
    ("95810", "polysomnography"),
    ("97597", "debridement, open wound"),
    ("80053", "CMP"),
    ("85025", "CBC w/ diff"),
    ("83036", "HbA1c"),
    ("80061", "lipid panel"),
    ("E0601", "CPAP device"),
    ("J1745", "infliximab 10 mg"),
    ("G0180", "HH certification"),
]
CHIEF_COMPLAINTS = [
    "chest pain x2h",
    "fell at home, R hip pain",
    "SOB worse since last night",
    "abd pain RUQ after eating",
    "laceration L hand (box cutter)",
    "dizzy, near syncope",
    "fever and flank pain",
    "MVC, restrained driver, neck pain",
    "BG 480 on home meter",
]

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
ABBR = [m[:3] for m in MONTHS]
DOT_ABBR = [
    "Jan.",
    "Feb.",
    "Mar.",
    "Apr.",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEEKDAYS_CASUAL = ["mon", "tues", "wed", "thurs", "fri", "sat", "sun"]
ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]

# Misspellings a patient might make, applied only to text outside labelled values.
TYPOS = {
    "appointment": "apointment",
    "prescription": "perscription",
    "tomorrow": "tommorow",
    "received": "recieved",
    "because": "becuase",
    "pharmacy": "pharmacey",
    "definitely": "definately",
    "insurance": "insurence",
    "medicine": "medecine",
    "separate": "seperate",
    "schedule": "schedual",
}


def ordinal(n: int) -> str:
    """``3`` -> ``3rd``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def age_words(age: int) -> str:
    """An age over 89 in words: ``92`` -> ``ninety-two``."""
    if age < 100:
        return "ninety" + (f"-{ONES[age - 90]}" if age > 90 else "")
    return "one hundred" + (f" and {ONES[age - 100]}" if age > 100 else "")


def age_on(dob: dt.date, day: dt.date) -> int:
    """Whole years between ``dob`` and ``day``."""
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def luhn_digit(payload: str) -> str:
    """Luhn check digit for ``payload`` (used to make NPIs look real)."""
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            d -= 9 if d > 9 else 0
        total += d
    return str((10 - total % 10) % 10)


DATE_FULL = [
    "mdY",
    "mdy",
    "dots",
    "iso",
    "dMonY",
    "Month d, Y",
    "d Month Y",
    "Mon d, Y",
    "m-d-Y",
    "Mon. d, Y",
]
DATE_PARTIAL = [
    "Mon-d",
    "Month dth",
    "the dth of Month",
    "dth of Month",
    "Mon d",
    "m/d",
    "Mon. d",
    "Month d",
]
DATE_MONTH_YEAR = ["Month Y", "Mon Y", "mm/Y"]


def fmt_date(d: dt.date, form: str) -> str:
    """Render ``d`` in one of the named forms above."""
    m, day, y = d.month, d.day, d.year
    return {
        "mdY": f"{m:02d}/{day:02d}/{y}",
        "mdy": f"{m}/{day}/{y % 100:02d}",
        "dots": f"{m:02d}.{day:02d}.{y % 100:02d}",
        "iso": d.isoformat(),
        "dMonY": f"{day:02d}-{ABBR[m - 1]}-{y}",
        "Month d, Y": f"{MONTHS[m - 1]} {day}, {y}",
        "d Month Y": f"{day} {MONTHS[m - 1]} {y}",
        "Mon d, Y": f"{ABBR[m - 1]} {day}, {y}",
        "Mon. d, Y": f"{DOT_ABBR[m - 1]} {day}, {y}",
        "m-d-Y": f"{m}-{day}-{y}",
        "compact": f"{y}{m:02d}{day:02d}",
        "Mon-d": f"{ABBR[m - 1]}-{day:02d}",
        "Month dth": f"{MONTHS[m - 1]} {ordinal(day)}",
        "the dth of Month": f"the {ordinal(day)} of {MONTHS[m - 1]}",
        "dth of Month": f"{ordinal(day)} of {MONTHS[m - 1]}",
        "Mon d": f"{ABBR[m - 1]} {day}",
        "m/d": f"{m}/{day}",
        "Mon. d": f"{DOT_ABBR[m - 1]} {day}",
        "Month d": f"{MONTHS[m - 1]} {day}",
        "Month Y": f"{MONTHS[m - 1]} {y}",
        "Mon Y": f"{ABBR[m - 1]} {y}",
        "mm/Y": f"{m:02d}/{y}",
    }[form]


class Gen:
    """Seeded source of invented people, places, numbers and notes."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    # -- small helpers ------------------------------------------------------------------------
    def ch(self, seq):
        return self.r.choice(seq)

    def p(self, prob: float) -> bool:
        return self.r.random() < prob

    def digits(self, n: int) -> str:
        return "".join(self.ch("0123456789") for _ in range(n))

    def letters(self, n: int, pool: str = "ABCDEFGHJKLMNPRSTUVWXYZ") -> str:
        return "".join(self.ch(pool) for _ in range(n))

    # -- people ---------------------------------------------------------------------------------
    def person(self, sex: str | None = None) -> dict:
        sex = sex or self.ch("FM")
        first = self.ch(FEMALE if sex == "F" else MALE)
        return {
            "sex": sex,
            "first": first,
            "last": self.ch(SURNAMES),
            "mi": self.ch("ABCDEFGHJKLMNPRSTW"),
            "nick": self.ch(NICKNAMES[first]) if first in NICKNAMES else None,
        }

    def relative(self, patient: dict, relation: str | None = None) -> tuple[str, dict]:
        relation = relation or self.ch(RELATIONS)
        rel = self.person(RELATION_SEX.get(relation))
        if relation in ("daughter", "son", "wife", "granddaughter", "grandson") and self.p(0.6):
            rel["last"] = patient["last"]
        return relation, rel

    def name(self, who: dict, form: str | None = None, lower: bool = False) -> str:
        """One labelled mention of ``who``; titles and credentials stay outside the span."""
        f, last, mi = who["first"], who["last"], who["mi"]
        form = form or self.ch(["full", "full", "full", "full_mi", "last_first", "init_last"])
        if form in ("nick", "nick_full") and not who["nick"]:
            form = "full"
        elif form == "nick":
            form = "nick_full"
        text = {
            "full": f"{f} {last}",
            "full_mi": f"{f} {mi}. {last}",
            "last_first": f"{last}, {f}",
            "LAST_FIRST": f"{last.upper()}, {f.upper()} {mi}",
            "init_last": f"{f[0]}. {last}",
            "first": f,
            "last": last,
            "nick_full": f'{f} "{who["nick"]}" {last}',
            "nick_only": who["nick"] or f,
        }[form]
        return P("NAME", text.lower() if lower else text)

    def doctor(self, who: dict, lower: bool = False) -> str:
        """A provider mention with its title/credential outside the span."""
        form = self.ch(["dr_last", "dr_full", "full_cred", "full_cred", "init_cred"])
        if lower:
            return f"dr {self.name(who, 'last', lower=True)}"
        if form == "dr_last":
            return f"Dr. {self.name(who, 'last')}"
        if form == "dr_full":
            return f"Dr. {self.name(who, 'full')}"
        cred = self.ch(["MD", "DO", "MD", "NP", "PA-C"])
        return f"{self.name(who, 'full' if form == 'full_cred' else 'init_last')}, {cred}"

    def employer(self, lower: bool = False) -> str:
        e = self.ch(EMPLOYERS)
        return P("NAME", e.lower() if lower else e)

    # -- places ---------------------------------------------------------------------------------
    def address(self) -> dict:
        street = f"{self.r.randint(2, 9899)} {self.ch(STREETS)}"
        if self.p(0.35):
            street += self.ch([", ", " "]) + self.ch(UNITS)
        if self.p(0.06):
            street = f"PO Box {self.r.randint(12, 9988)}"
        zipc = f"{self.r.randint(10001, 99899):05d}"
        if self.p(0.25):
            zipc += f"-{self.digits(4)}"
        return {
            "street": street,
            "town": self.ch(TOWNS),
            "county": self.ch(COUNTIES),
            "state": self.ch(STATES),
            "zip": zipc,
        }

    def addr_text(self, a: dict, form: str = "line", lower: bool = False) -> str:
        def L(s: str) -> str:
            return P("LOCATION", s.lower() if lower else s)

        if form == "line":
            return f"{L(a['street'])}, {L(a['town'])}, {a['state']} {L(a['zip'])}"
        if form == "block":
            return f"{L(a['street'])}\n{L(a['town'])}, {a['state']} {L(a['zip'])}"
        if form == "town":
            return f"{L(a['town'])}, {a['state']}"
        if form == "street":
            return L(a["street"])
        raise ValueError(form)

    # -- dates ----------------------------------------------------------------------------------
    def day(
        self, lo: dt.date = dt.date(2025, 9, 1), hi: dt.date = dt.date(2026, 11, 20)
    ) -> dt.date:
        return lo + dt.timedelta(days=self.r.randint(0, (hi - lo).days))

    def dob(self, visit: dt.date, age: int | None = None) -> dt.date:
        age = age if age is not None else self.r.randint(19, 88)
        d = visit - dt.timedelta(days=int(age * 365.25) + self.r.randint(1, 360))
        return d

    def D(self, d: dt.date, pool: list[str] | None = None, form: str | None = None) -> str:
        return P("DATE", fmt_date(d, form or self.ch(pool or DATE_FULL)))

    def time(self) -> str:
        h, m = self.r.randint(0, 23), self.ch([0, 5, 10, 12, 15, 20, 25, 30, 40, 45, 50, 55])
        return self.ch(
            [
                f"{h:02d}{m:02d}",
                f"{h:02d}:{m:02d}",
                f"{(h % 12) or 12}:{m:02d} " + ("AM" if h < 12 else "PM"),
            ]
        )

    def age_phrase(self, age: int, casual: bool = False) -> str:
        """Age with the number labelled only when over 89 (README policy)."""
        form = self.ch(
            ["y/o", "yo", "-year-old", "words", "year old"]
            if age > 89
            else ["y/o", "yo", "-year-old", "year old"]
        )
        num = age_words(age) if form == "words" else str(age)
        val = P("AGE", num) if age > 89 else num
        if form == "words":
            return f"{val}-year-old" if not casual else f"{val} years old"
        if form == "yo":
            return f"{val}yo"
        if form == "-year-old":
            return f"{val}-year-old"
        return f"{val} {form}"

    # -- numbers --------------------------------------------------------------------------------
    def phone_digits(self) -> tuple[str, str, str]:
        area = f"{self.r.randint(2, 9)}{self.r.randint(0, 8)}{self.r.randint(0, 9)}"
        exch = f"{self.r.randint(2, 9)}{self.digits(2)}"
        if exch[1:] == "11":
            exch = exch[0] + "21"
        return area, exch, self.digits(4)

    def phone_text(self, ext: bool | None = None, toll_free: bool = False) -> str:
        a, e, n = self.phone_digits()
        if toll_free:
            a = self.ch(["800", "866", "877", "888"])
        s = self.ch(
            [
                f"({a}) {e}-{n}",
                f"{a}-{e}-{n}",
                f"{a}.{e}.{n}",
                f"{a} {e} {n}",
                f"+1 {a} {e} {n}",
                f"1-{a}-{e}-{n}",
                f"{a}{e}{n}",
                f"({a}){e}-{n}",
                f"+1 ({a}) {e}-{n}",
                f"{a}/{e}-{n}",
            ]
        )
        if ext if ext is not None else self.p(0.15):
            s += self.ch(
                [
                    f" ext. {self.r.randint(2, 899)}",
                    f" x{self.r.randint(100, 4999)}",
                    f" ext {self.r.randint(2, 99)}",
                    f" Ext. {self.r.randint(1000, 7999)}",
                ]
            )
        return s

    def phone(self, local: bool = False, **kw) -> str:
        if local and self.p(0.3):  # a 7-digit local number, as families often give them
            _, e, n = self.phone_digits()
            return P("PHONE", f"{e}-{n}")
        return P("PHONE", self.phone_text(**kw))

    def fax(self) -> str:
        return P("FAX", self.phone_text(ext=False))

    def email(self, who: dict | None = None) -> str:
        dom = self.ch(MAIL_DOMAINS)
        if who is None:
            local = self.ch(["frontdesk", "billing", "pa.team", "records", "nurse.line"])
            local += self.digits(self.r.randint(0, 2))
        else:
            f = who["first"].lower().replace(" ", "").replace("'", "")
            s = who["last"].lower().replace(" ", "").replace("'", "").replace(".", "")
            f = f.encode("ascii", "ignore").decode() or "x"
            s = s.encode("ascii", "ignore").decode() or "y"
            local = self.ch(
                [
                    f"{f}.{s}",
                    f"{f[0]}{s}",
                    f"{f}{s[0]}{self.digits(2)}",
                    f"{s}_{f}",
                    f"{(who['nick'] or f).lower()}{self.digits(4)}",
                    f"{f}.{s}{self.r.randint(60, 99)}",
                ]
            )
        return P("EMAIL", f"{local}@{dom}")

    def ssn(self, form: str | None = None) -> str:
        area = self.r.randint(1, 665)
        g, s = self.r.randint(1, 99), self.r.randint(1, 9999)
        form = form or self.ch(["dash", "dash", "plain", "space"])
        sep = {"dash": "-", "plain": "", "space": " "}[form]
        return P("SSN", f"{area:03d}{sep}{g:02d}{sep}{s:04d}")

    def ssn_last4(self) -> str:
        return P("SSN", f"{self.r.randint(1, 9999):04d}")

    def mrn(self) -> str:
        return P(
            "MRN",
            self.ch(
                [
                    self.digits(8),
                    self.digits(7),
                    f"H{self.digits(8)}",
                    f"E{self.digits(7)}",
                    f"MR-{self.digits(7)}",
                    f"00{self.digits(6)}",
                    f"{self.digits(3)}-{self.digits(4)}-{self.digits(2)}",
                ]
            ),
        )

    def mbi(self) -> str:
        a = "ACDEFGHJKMNPQRTUVWXY"
        an = a + "0123456789"
        s = (
            f"{self.r.randint(1, 9)}{self.ch(a)}{self.ch(an)}{self.r.randint(0, 9)}"
            f"{self.ch(a)}{self.ch(an)}{self.r.randint(0, 9)}{self.ch(a)}{self.ch(a)}"
            f"{self.digits(2)}"
        )
        return f"{s[:4]}-{s[4:7]}-{s[7:]}" if self.p(0.5) else s

    def member_id(self, payer: str = "") -> str:
        if payer == "Medicare":
            return P("HEALTH_PLAN", self.mbi())
        return P(
            "HEALTH_PLAN",
            self.ch(
                [
                    f"{self.letters(3)}{self.digits(9)}",
                    f"W{self.digits(9)}",
                    f"{self.digits(8)}{self.ch('ABCK')}",
                    f"{self.letters(2)}{self.digits(7)}-0{self.r.randint(1, 4)}",
                    f"U{self.digits(8)}01",
                    f"{self.letters(3)}-{self.digits(4)}-{self.digits(5)}",
                ]
            ),
        )

    def group_no(self) -> str:  # distractor: not PHI per README
        return self.ch(
            [self.digits(6), f"GRP{self.digits(5)}", f"{self.digits(3)}-{self.digits(4)}"]
        )

    def account(self) -> str:
        return P(
            "ACCOUNT",
            self.ch(
                [
                    self.digits(9),
                    f"A{self.digits(8)}",
                    f"{self.digits(4)}-{self.digits(4)}-{self.digits(2)}",
                    f"PT-{self.digits(7)}",
                    self.digits(10),
                    f"{self.digits(2)}{self.letters(1)}{self.digits(6)}",
                ]
            ),
        )

    def claim_no(self) -> str:
        return P(
            "OTHER_ID",
            self.ch(
                [
                    f"{self.r.randint(1, 2)}{self.digits(12)}",
                    f"CLM-{self.digits(4)}-{self.digits(5)}",
                    f"{self.digits(2)}-{self.digits(3)}-{self.digits(5)}",
                    f"E{self.digits(11)}",
                    f"{self.letters(2)}{self.digits(10)}",
                ]
            ),
        )

    def auth_no(self) -> str:
        return P(
            "OTHER_ID",
            self.ch(
                [
                    f"PA-{self.r.randint(2025, 2026)}-{self.digits(6)}",
                    f"{self.letters(1)}{self.digits(9)}",
                    f"AUTH{self.digits(7)}",
                    f"{self.digits(3)}{self.letters(3)}{self.digits(4)}",
                ]
            ),
        )

    def rx_no(self) -> str:
        return P(
            "OTHER_ID",
            self.ch([self.digits(7), f"{self.digits(7)}-{self.digits(2)}", f"RX{self.digits(8)}"]),
        )

    def misc_id(self) -> str:
        return P(
            "OTHER_ID",
            self.ch(
                [
                    f"INC{self.digits(7)}",
                    f"CS-{self.digits(3)}-{self.digits(4)}",
                    f"{self.letters(4)}-{self.letters(2)}{self.digits(2)}",
                    f"REF{self.digits(9)}",
                    f"T{self.digits(6)}",
                ]
            ),
        )

    def accession(self) -> str:
        return P(
            "OTHER_ID",
            self.ch(
                [
                    f"S{self.r.randint(25, 26)}-{self.digits(6)}",
                    f"{self.letters(2)}{self.digits(8)}",
                    f"ACC{self.digits(9)}",
                ]
            ),
        )

    def dl(self) -> str:
        return P(
            "LICENSE",
            self.ch(
                [
                    f"{self.letters(1)}{self.digits(3)}-{self.digits(4)}-{self.digits(4)}",
                    f"{self.letters(1)}{self.digits(7)}",
                    f"{self.digits(3)} {self.digits(3)} {self.digits(3)}",
                    f"{self.letters(1)}{self.digits(4)}-{self.digits(5)}-{self.digits(5)}",
                    self.digits(8),
                ]
            ),
        )

    def dea(self, who: dict) -> str:
        d = [self.r.randint(0, 9) for _ in range(6)]
        check = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10
        initial = who["last"].replace("'", "").lstrip("dvDV ")[:1].upper() or "X"
        return P("LICENSE", f"{self.ch('ABFM')}{initial}{''.join(map(str, d))}{check}")

    def prof_license(self) -> str:
        return P(
            "LICENSE",
            self.ch(
                [
                    f"RN{self.digits(6)}",
                    f"MD.{self.digits(7)}",
                    f"{self.digits(2)}-{self.digits(6)}",
                    f"LPN-{self.digits(5)}",
                    f"RPH{self.digits(6)}",
                    f"MED{self.digits(5)}",
                ]
            ),
        )

    def plate(self) -> str:
        return P(
            "VEHICLE",
            self.ch(
                [
                    f"{self.r.randint(1, 9)}{self.letters(3)}{self.digits(3)}",
                    f"{self.letters(3)}-{self.digits(4)}",
                    f"{self.letters(3)} {self.digits(4)}",
                    f"{self.letters(2)}{self.digits(1)} {self.letters(3)}",
                    f"{self.digits(3)} {self.letters(3)}",
                ]
            ),
        )

    def vin(self) -> str:
        return P("VEHICLE", self.letters(17, "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"))

    def serial(self) -> str:
        return P(
            "DEVICE",
            self.ch(
                [
                    f"{self.letters(3)}{self.digits(6)}{self.letters(1)}",
                    f"{self.digits(2)}-{self.digits(5)}-{self.letters(1)}",
                    f"{self.letters(2)}{self.digits(7)}",
                    f"{self.digits(4)}{self.letters(2)}{self.digits(4)}",
                    f"A{self.digits(1)}X{self.digits(8)}",
                ]
            ),
        )

    def udi(self) -> str:
        exp = self.day(dt.date(2027, 1, 1), dt.date(2030, 12, 31))
        return P(
            "DEVICE",
            f"(01)0{self.digits(13)}(17){exp:%y%m%d}(10){self.letters(1)}"
            f"{self.digits(4)}(21){self.letters(2)}{self.digits(5)}",
        )

    def url(self, who: dict | None = None) -> str:
        slug = who["last"].lower().replace(" ", "-").replace("'", "") if who else "pt"
        slug = slug.encode("ascii", "ignore").decode()
        return P(
            "URL",
            self.ch(
                [
                    f"https://portal.bluestem-im.example.org/msg/{self.digits(6)}",
                    f"https://www.helpinghands.example.com/{slug}-family-{self.digits(3)}",
                    f"http://10.{self.r.randint(0, 255)}.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}/pacs/view?acc={self.digits(8)}",
                    f"www.caremap.example.net/p/{self.letters(6, 'abcdefghkmnpqrstuvwxyz23456789')}",
                    f"https://telehealth.example.org/join/{self.digits(3)}-{self.digits(3)}-{self.digits(3)}",
                ]
            ),
        )

    def ip(self) -> str:
        return P(
            "IP",
            self.ch(
                [
                    f"10.{self.r.randint(0, 255)}.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}",
                    f"192.168.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}",
                    f"{self.r.randint(24, 223)}.{self.r.randint(0, 255)}.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}",
                    f"2001:db8:{self.r.randint(0, 65535):x}:{self.r.randint(0, 65535):x}::{self.r.randint(1, 65535):x}",
                ]
            ),
        )

    def biometric(self, kind: str) -> str:
        """A reference to a stored biometric template (finger, voice, palm, iris, face)."""
        d, x = self.digits, self.letters
        value = {
            "finger": self.ch([f"FPT-{d(5)}-{d(2)}", f"FP{d(8)}"]),
            "voice": self.ch([f"VP-{d(3)}-{d(4)}-{x(1)}", f"VOX{d(7)}"]),
            "palm": self.ch([f"PV{d(6)}", f"PALM-{x(2)}{d(4)}"]),
            "iris": f"IRIS-{x(2)}{d(5)}",
            "face": x(12, "abcdef0123456789"),
        }[kind]
        return P("BIOMETRIC", value)

    def photo(self, who: dict | None = None, d: dt.date | None = None) -> str:
        d = d or self.day()
        last = (who["last"] if who else "pt").lower().replace(" ", "").replace("'", "")
        last = last.encode("ascii", "ignore").decode()
        return P(
            "PHOTO",
            self.ch(
                [
                    f"IMG_{self.digits(4)}.JPG",
                    f"{last}_face_{d:%Y%m%d}.jpg",
                    f"pt_photo_{self.digits(6)}.png",
                    f"headshot_{d:%m%d}.jpeg",
                    f"selfie_{self.digits(3)}.heic",
                    f"DSC{self.digits(5)}.JPG",
                ]
            ),
        )

    # -- distractors (never labelled) -----------------------------------------------------------
    def npi(self) -> str:
        base = self.ch("12") + self.digits(8)
        return base + luhn_digit("80840" + base)

    def vitals(self) -> str:
        t = (
            f"T {self.r.uniform(36.0, 39.4):.1f} C"
            if self.p(0.5)
            else f"T {self.r.uniform(96.8, 102.9):.1f}F"
        )
        return (
            f"{t}, HR {self.r.randint(52, 131)}, BP {self.r.randint(92, 186)}/{self.r.randint(50, 104)}, "
            f"RR {self.r.randint(12, 30)}, SpO2 {self.r.randint(85, 100)}%"
            + self.ch([" RA", " on 2L NC", "", " on RA"])
        )

    def labs(self) -> str:
        return self.ch(
            [
                f"Na {self.r.randint(128, 146)}, K {self.r.uniform(2.9, 5.6):.1f}, Cr {self.r.uniform(0.6, 2.8):.2f}",
                f"WBC {self.r.uniform(3.1, 19.9):.1f}, Hgb {self.r.uniform(7.2, 15.8):.1f}, Plt {self.r.randint(88, 455)}",
                f"INR {self.r.uniform(0.9, 4.2):.1f}, glucose {self.r.randint(64, 488)} mg/dL",
                f"A1c {self.r.uniform(5.4, 12.9):.1f}%, LDL {self.r.randint(54, 212)}",
                f"troponin {self.r.uniform(0.01, 0.9):.2f} ng/mL, BNP {self.r.randint(40, 2400)}",
            ]
        )

    def room(self) -> str:
        return self.ch(
            [
                f"Rm {self.r.randint(101, 699)}",
                f"Bed {self.r.randint(1, 40)}{self.ch('AB')}",
                f"Room {self.r.randint(2, 9)}{self.r.randint(10, 60)}-B",
                f"Pod {self.ch('ABCD')}-{self.r.randint(1, 24)}",
            ]
        )

    def ndc(self) -> str:
        return f"{self.digits(5)}-{self.digits(4)}-{self.digits(2)}"


# ---------------------------------------------------------------------------------------------
# Note writers: one function per kind, each with its own optional parts and phrasings.
# ---------------------------------------------------------------------------------------------


def note_ed_triage(g: Gen) -> str:
    visit = g.day()
    old = g.p(0.3)
    age = g.r.randint(90, 103) if old else g.r.randint(19, 89)
    pt, rn, pcp = g.person(), g.person(), g.person()
    dob = g.dob(visit, age)
    age = age_on(dob, visit)
    fac = g.ch(FACILITIES)
    cc = g.ch(CHIEF_COMPLAINTS)
    sex = pt["sex"]
    lines = [
        g.ch([f"ED TRIAGE NOTE - {fac}", f"{fac} Emergency Dept / Triage", "TRIAGE"]),
        f"Arrival {g.D(visit)} {g.time()} via {g.ch(['EMS', 'walk-in', 'private vehicle', 'police'])}"
        f"   Acuity ESI {g.r.randint(1, 5)}   {g.room()}",
        f"Pt: {g.name(pt, g.ch(['LAST_FIRST', 'last_first', 'full']))}   DOB {g.D(dob)}"
        f"   MRN {g.mrn()}" + (f"   FIN {g.account()}" if g.p(0.6) else ""),
    ]
    if g.p(0.5):
        lines.append(f"Triage RN: {g.name(rn, g.ch(['full', 'init_last']))}, RN")
    hpi = f"{g.age_phrase(age)} {'F' if sex == 'F' else 'M'} presents with {cc}."
    if "fell" in cc and g.p(0.7):
        rel_kind, rel = g.relative(pt)
        hpi += (
            f" Found on floor by {rel_kind} {g.name(rel, g.ch(['first', 'full']))} around "
            f"{g.time()}; unknown down time. Lives {g.ch(['alone', 'with ' + rel_kind])} at "
            f"{g.addr_text(g.address(), 'street')} in {g.addr_text(g.address(), 'town')}."
        )
    elif "MVC" in cc:
        hpi += (
            f" Other vehicle plate {g.plate()} per police; pt's car (VIN {g.vin()}) towed from "
            f"scene. Police report #{g.misc_id()}."
        )
    elif "laceration" in cc:
        hpi += (
            f" Injured at work ({g.employer()}); supervisor {g.name(g.person(), 'full')} at bedside,"
            f" workers comp claim {g.claim_no()}. Tdap last {g.ch(['2019', 'unknown', '2016'])}."
        )
    elif "chest" in cc:
        hpi += (
            f" Hx {g.ch(['CAD s/p PCI 2021', 'HTN, HLD', 'AF on apixaban', 'Crohn disease', 'Graves disease'])}. "
            f"Has {g.ch(['dual-chamber pacemaker', 'ICD', 'loop recorder'])}, device card SN {g.serial()}."
        )
    else:
        hpi += f" Sx since {g.D(visit - dt.timedelta(days=g.r.randint(1, 6)), DATE_PARTIAL)}."
    lines.append("HPI: " + hpi)
    lines.append(f"VS: {g.vitals()}, pain {g.r.randint(0, 10)}/10")
    if g.p(0.5):
        lines.append(f"Labs (POC): {g.labs()}")
    lines.append(
        f"Meds: {g.ch(DRUGS)}; {g.ch(DRUGS)}.  Allergies: {g.ch(['NKDA', 'PCN (hives)', 'sulfa', 'latex'])}"
    )
    if g.p(0.7):
        rel_kind, rel = g.relative(pt)
        lines.append(f"Emergency contact: {g.name(rel)} ({rel_kind}) {g.phone()}")
    if g.p(0.5):
        lines.append(
            f"PCP: {g.doctor(pcp)}, {g.ch(FACILITIES)}" + (f", ph {g.phone()}" if g.p(0.5) else "")
        )
    if g.p(0.12):
        mode = g.ch(["finger", "face", "iris"])
        lines.append(
            f"Pt confused, no ID on person; identity matched to prior visit by {mode} scan "
            f"(template {g.biometric(mode)})."
        )
    if g.p(0.25):
        lines.append(
            f"Pt ID verified with state DL {g.dl()}; photo captured to chart ({g.photo(pt, visit)})."
        )
    if g.p(0.2):
        lines.append(f"Ins: {g.ch(PAYERS)} / member {g.member_id()}; group {g.group_no()}.")
    if g.p(0.2):
        lines.append(
            f"Registration: self-pay, SSN {g.ssn(g.ch(['plain', 'dash', 'space']))} on file."
        )
    lines.append(
        f"Dispo: to {g.room()} / {g.ch(['EKG in 10 min', 'CT head ordered', 'NPO', 'sepsis screen +'])}."
        + (f" Seen by {g.doctor(g.person())} at {g.time()}." if g.p(0.6) else "")
    )
    return "\n".join(lines)


def note_nursing(g: Gen) -> str:
    d = g.day()
    pt, nurse, md = g.person(), g.person(), g.person()
    shift = g.ch(["Night shift", "Day shift", "1900-0730", "0700-1930"])
    rel_kind, rel = g.relative(pt)
    out = [f"NURSING NOTE  {g.D(d)}  {shift}"]
    if g.p(0.5):
        out[0] += g.ch(
            [f"   MRN {g.mrn()}", f"   Med Rec # {g.mrn()}", f"  (medical record number {g.mrn()})"]
        )
    intro = g.ch(
        [
            f"Pt {g.name(pt, g.ch(['full', 'last_first']))} ({g.room()}) resting in bed, A&Ox{g.r.randint(2, 4)}.",
            f"Received report on {g.ch(['Ms.' if pt['sex'] == 'F' else 'Mr.', 'pt'])} {g.name(pt, 'last')} at {g.time()}; "
            f"{g.room()}, tele box {g.r.randint(1, 48)}.",
            f"Assumed care of {g.name(pt, 'full')}, {g.age_phrase(g.r.randint(90, 101))}, admitted for "
            f"{g.ch(DX)[1]}.",
        ]
    )
    out.append(intro)
    body = [
        f"VS {g.vitals()}. Pain {g.r.randint(0, 9)}/10, {g.ch(['oxycodone 5 mg given', 'repositioned', 'declined PRN'])}.",
        f"I&O: in {g.r.randint(300, 2400)} mL / out {g.r.randint(200, 2100)} mL. Foley draining clear yellow.",
        f"Morse fall score {g.r.choice([25, 45, 55, 65])}; bed alarm on, 2 side rails up.",
        f"AM labs: {g.labs()}. {g.doctor(md)} paged at {g.time()}, orders received.",
        f"Skin: sacrum stage 2, {g.r.uniform(1.0, 4.5):.1f} x {g.r.uniform(0.5, 3.0):.1f} cm, foam dressing applied.",
        f"IV {g.ch(['20g L AC', '22g R hand', 'PICC R arm'])} patent; NS @ {g.r.randint(50, 125)} mL/h.",
        f"Hx Parkinson's disease; carbidopa-levodopa 25/100 given at {g.time()}, tremor baseline.",
        f"Braden {g.r.randint(10, 20)}, GCS {g.r.randint(13, 15)}; strength 4/5 LLE, 5/5 elsewhere.",
        "Bell's palsy (R) unchanged; eye patch at HS. Heparin 5,000 units SC q8h.",
    ]
    g.r.shuffle(body)
    out.extend(body[: g.r.randint(3, 6)])
    out.append(
        g.ch(
            [
                f"{rel_kind.capitalize()} {g.name(rel, 'first')} called {g.time()} from {g.phone(local=True)}; updated w/ pt permission.",
                f"Visitor: {rel_kind} ({g.name(rel, 'full')}), asked that calls go to cell {g.phone(local=True)} not home.",
                f"Pt asks that {g.name(rel, 'nick' if rel['nick'] else 'first')} ({'her' if pt['sex'] == 'F' else 'his'} {rel_kind}) be HIPAA contact; form signed.",
            ]
        )
    )
    if g.p(0.3):
        out.append(
            f"ID band re-verified against chart photo {g.photo(pt, d)} before blood transfusion"
            f" (unit {g.r.randint(1, 2)} of 2)."
        )
    if g.p(0.3):
        out.append(
            f"Insulin pump (S/N {g.serial()}) suspended per endo; glargine {g.r.randint(10, 30)} units given."
        )
    if g.p(0.3):
        out.append(
            f"Pt's {rel_kind} took home valuables; car in garage level 3, plate {g.plate()}."
        )
    if g.p(0.25):
        out.append(
            f"Pyxis override documented; pt enrolled in biometric ID wristband (palm scan ref {g.biometric('palm')})."
        )
    sig = g.ch(
        [
            f"-- {g.name(nurse, 'full')}, RN",
            f"{g.name(nurse, 'init_last')} RN  {g.time()}",
            f"Signed: {g.name(nurse, 'full')}, {g.ch(['RN', 'LPN', 'RN, BSN'])} (lic {g.prof_license()})",
        ]
    )
    out.append(sig)
    return "\n".join(out)


def note_prior_auth(g: Gen) -> str:
    d = g.day()
    pt, doc, nurse = g.person(), g.person(), g.person()
    fac = g.ch(FACILITIES)
    payer = g.ch(PAYERS)
    office = g.address()
    dob = g.dob(d, g.r.choice([g.r.randint(30, 88), g.r.randint(90, 97)]))
    code, desc = g.ch(DX)
    cpt, cdesc = g.ch(CPTS)
    start = d - dt.timedelta(days=g.r.randint(120, 700))
    lines = [
        fac,
        g.addr_text(office, g.ch(["line", "block"])),
        f"Tel {g.phone()}  |  Fax {g.fax()}",
        "",
        g.D(d, ["Month d, Y", "mdY", "d Month Y"]),
        "",
        f"{payer} - Utilization Management",
        "Attn: Prior Authorization Unit" + (f", fax {g.fax()}" if g.p(0.6) else ""),
        "",
        f"RE: {g.ch(['Request for prior authorization', 'Expedited PA request', 'Letter of medical necessity'])}"
        f" - {cdesc} (CPT/HCPCS {cpt})",
        f"Patient: {g.name(pt, g.ch(['full', 'full_mi']))}    DOB: {g.D(dob)}"
        + (f"    Chart # {g.mrn()}" if g.p(0.35) else ""),
        f"Member ID: {g.member_id(payer)}    Group: {g.group_no()}"
        + (f"    Case # {g.auth_no()}" if g.p(0.4) else ""),
        "",
        "To the reviewer:",
        "",
        f"I am writing on behalf of my patient, {'Ms.' if pt['sex'] == 'F' else 'Mr.'} {g.name(pt, 'last')}, "
        f"who carries a diagnosis of {desc} ({code}). "
        + g.ch(
            [
                f"{g.ch(['She' if pt['sex'] == 'F' else 'He', 'The patient'])} has been on {g.ch(DRUGS)} since {g.D(start, DATE_MONTH_YEAR)} "
                f"without adequate control ({g.labs()}).",
                f"Conservative therapy (PT x{g.r.randint(6, 18)} visits, NSAIDs, injection on "
                f"{g.D(start, DATE_FULL + DATE_PARTIAL)}) failed.",
                f"A sleep study on {g.D(start)} showed AHI {g.r.randint(16, 64)}; CPAP is indicated.",
            ]
        ),
        g.ch(
            [
                f"{'Her' if pt['sex'] == 'F' else 'His'} {g.ch(['daughter', 'son', 'spouse'])}, "
                f"{g.name(g.person(), 'full')}, manages medications and can be reached at {g.phone()}.",
                f"The patient works nights at {g.employer()} and cannot attend daily infusion visits.",
                "Delay in therapy risks admission.",
            ]
        ),
        "",
        f"Please direct questions to {g.name(nurse, 'full')}, RN, at {g.phone(ext=True)} or {g.email(nurse)}.",
        "",
        g.ch(["Sincerely,", "Respectfully,", "Thank you,"]),
        f"{g.name(doc, g.ch(['full', 'full_mi']))}, {g.ch(['MD', 'DO', 'MD, FACP'])}",
        f"NPI {g.npi()}"
        + (f"   DEA {g.dea(doc)}" if g.p(0.5) else "")
        + (f"   State lic. {g.prof_license()}" if g.p(0.3) else ""),
    ]
    if g.p(0.3):
        lines.insert(
            -4, f"Chart notes were uploaded to your portal ({g.url()}) on {g.D(d, DATE_PARTIAL)}."
        )
    return "\n".join(lines)


def note_portal(g: Gen) -> tuple[str, bool]:
    """A patient's own message: lower case, typos, casual dates."""
    d = g.day()
    pt, doc = g.person(), g.person()
    rel_kind, rel = g.relative(pt)
    last_day = d - dt.timedelta(days=g.r.randint(2, 9))
    wd = WEEKDAYS_CASUAL[last_day.weekday()]
    casual_date = g.ch(
        [
            f"last {P('DATE', f'{wd} the {ordinal(last_day.day)}')}",
            f"on {P('DATE', f'the {ordinal(last_day.day)}')}",
            f"this past {P('DATE', f'{wd} ({last_day.month}/{last_day.day})')}",
            f"on {P('DATE', f'{MONTHS[last_day.month - 1].lower()} {ordinal(last_day.day)}')}",
            f"on {P('DATE', f'{last_day.month}/{last_day.day}')}",
        ]
    )
    greet = g.ch(
        [
            f"hi {g.doctor(doc, lower=True)}",
            "hello",
            f"dear {g.doctor(doc, lower=True)},",
            "hey",
            f"hi {g.name(doc, 'first', lower=True)}!",
        ]
    )
    me = g.ch(
        [
            f"its {g.name(pt, 'full', lower=True)}",
            f"this is {g.name(pt, g.ch(['full', 'nick']), lower=True)}",
            f"{g.name(pt, 'first', lower=True)} here",
        ]
    )
    dob_txt = g.ch(["", f" (dob {g.D(g.dob(d), ['mdy', 'mdY', 'dots', 'm-d-Y'])})"])
    topic = g.ch(["refill", "bill", "device", "appt", "photo", "records"])
    if topic == "refill":
        body = (
            f"i ran out of my {g.ch(DRUGS).split()[0]} {casual_date} and the pharmacy on "
            f"{g.addr_text(g.address(), 'street', lower=True)} said they need a new prescription from you. "
            f"my {rel_kind} {g.name(rel, 'first', lower=True)} can pick it up, "
            f"{'her' if rel['sex'] == 'F' else 'his'} cell is {g.phone(local=True)}."
        )
    elif topic == "bill":
        body = (
            f"i got a bill for $ {g.r.randint(40, 2900)}.{g.r.randint(0, 99):02d} for the visit {casual_date} "
            f"but my insurance is {g.ch(PAYERS).lower()} and my id is {g.member_id()}. account "
            f"number on the bill is {g.account()}. i already paid the copay!!"
        )
    elif topic == "device":
        body = (
            f"my {g.ch(['cpap', 'glucose monitor', 'oxygen machine', 'insulin pump'])} keeps beeping, it started "
            f"{casual_date}. the number on the back says {g.serial()}. is that covered? the company "
            f"wont call me back"
        )
    elif topic == "appt":
        new = d + dt.timedelta(days=g.r.randint(3, 20))
        body = (
            f"i missed my apointment {casual_date} becuase i had to work at {g.employer(lower=True)}. "
            f"can i come {P('DATE', fmt_date(new, 'm/d'))} or {P('DATE', 'the ' + ordinal(new.day + 1 if new.day < 27 else 3))}? "
            f"my {rel_kind} {g.name(rel, 'full', lower=True)} drives me so mornings are better"
        )
    elif topic == "photo":
        body = (
            f"my face is still swollen on the left side, it started {casual_date}. i uploaded a selfie "
            f"{g.photo(pt, d)} so you can see. is this the {g.ch(['amoxicillin', 'lisinopril', 'new cream'])}??"
        )
    else:
        a = g.address()
        body = (
            f"please send my records to my new address {g.addr_text(a, 'line', lower=True)}. "
            f"i moved out of {g.addr_text(g.address(), 'town', lower=True)} "
            f"{P('DATE', MONTHS[last_day.month - 1].lower() + ' ' + str(last_day.year))}. "
            f"you can fax them to {g.fax()} too"
        )
    close = g.ch(
        [
            f"call me at {g.phone(local=True)} or email {g.email(pt)}. thx",
            f"pls call {g.phone(local=True)} after 3",
            f"thank you so much\n{g.name(pt, 'first', lower=True)}",
            f"thanks\n{g.name(pt, g.ch(['full', 'nick_only']), lower=g.p(0.5))}\nsent from {g.ip()}"
            if g.p(0.2)
            else "ty",
            f"my old email {g.email(pt)} doesnt work anymore use this one",
        ]
    )
    subject = g.ch(
        ["refill??", "question", "bill", "pls read", "urgent-ish", "appt", "re: your message"]
    )
    if body[-1] not in ".!?":
        body += g.ch([".", "!!", "."])
    text = f"Subject: {subject}\n{greet} {me}{dob_txt}. {body} {close}"
    return text, True


def portal_typos(g: Gen):
    """Return a literal-text rewriter that adds a patient's misspellings and dropped letters."""

    def rewrite(s: str) -> str:
        for right, wrong in TYPOS.items():
            if right in s and g.p(0.6):
                s = s.replace(right, wrong)
        words = s.split(" ")
        for i, w in enumerate(words):
            if len(w) >= 6 and w.isalpha() and g.p(0.05):
                j = g.r.randint(1, len(w) - 3)
                words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        return " ".join(words)

    return rewrite


def note_billing_email(g: Gen) -> str:
    d = g.day()
    pt, rep = g.person(), g.person()
    dos = d - dt.timedelta(days=g.r.randint(20, 200))
    called = d - dt.timedelta(days=g.r.randint(2, 15))
    wd = WEEKDAYS[d.weekday()][:3]
    payer = g.ch(PAYERS)
    fac = g.ch(FACILITIES)
    a = g.address()
    cpt, cdesc = g.ch(CPTS)
    header = [
        f"From: {g.name(pt, 'full')} <{g.email(pt)}>",
        f"To: {P('EMAIL', 'patient.accounts@' + g.ch(['bluestem-im', 'goodshepherd', 'unityhealth']) + '.example.org')}",
        f"Date: {P('DATE', f'{wd}, {d.day} {ABBR[d.month - 1]} {d.year}')} {g.r.randint(6, 22):02d}:"
        f"{g.r.randint(0, 59):02d}:{g.r.randint(0, 59):02d} -0{g.r.randint(4, 8)}00",
        f"Subject: {g.ch(['Dispute', 'RE: Statement', 'Billing error', 'Please fix this bill'])}"
        f" - acct {g.account()}",
        "",
    ]
    body = [
        g.ch(
            [
                "To whom it may concern,",
                "Hello,",
                f"Dear {g.name(rep, 'first')},",
                "Hi billing dept,",
            ]
        ),
        "",
        f"I was seen at {fac} on {g.D(dos)} and was billed ${g.r.randint(120, 4800):,}.00 for {cdesc} "
        f"({cpt}). {g.ch(PAYERS)} should have paid this; my member ID is {g.member_id(payer)} "
        f"(group {g.group_no()}).",
        g.ch(
            [
                f"I called on {g.D(called, DATE_PARTIAL)} and spoke to {g.name(g.person(), g.ch(['first', 'full']))}, "
                f"who gave me reference number {g.misc_id()}. Nobody called back.",
                f"The EOB says claim {g.claim_no()} was denied for 'coordination of benefits' but I only have one plan.",
                f"This is the {g.ch(['second', 'third'])} statement even though I paid ${g.r.randint(20, 300)} "
                f"at the front desk (receipt {g.misc_id()}).",
            ]
        ),
    ]
    if g.p(0.35):
        rel_kind, rel = g.relative(pt, g.ch(["wife", "husband", "daughter", "son"]))
        body.append(
            f"My {rel_kind} {g.name(rel, 'full')} is on the account too and can speak for me"
            f" ({g.phone()})."
        )
    if g.p(0.3):
        body.append(
            f"My employer ({g.employer()}) changed plans {g.D(dos - dt.timedelta(days=40), DATE_MONTH_YEAR)}"
            ", in case that matters."
        )
    if g.p(0.25):
        body.append(
            f"I also paid online at {g.url(pt)} but the page timed out"
            + (f" (it said my IP {g.ip()} was blocked)." if g.p(0.4) else ".")
        )
    if g.p(0.15):
        body.append(f"In case you need it to find me, my SSN is {g.ssn()}.")
    if g.p(0.15):
        body.append(
            f"The ER visit was from a car accident; the auto insurer has the claim (my car, plate "
            f"{g.plate()}, VIN {g.vin()}) so please bill them first."
        )
    body += [
        "",
        g.ch(["Thanks,", "Regards,", "Sincerely,", "-"]),
        g.name(pt, g.ch(["full", "nick_full", "full_mi"])),
        g.addr_text(a, "block"),
        g.ch([f"cell {g.phone()}", f"C: {g.phone()}", f"{g.phone()} (mobile)"]),
    ]
    if g.p(0.4):
        body.append("Sent from my iPhone")
    if g.p(0.5):
        reply_d = d + dt.timedelta(days=g.r.randint(1, 5))
        body += [
            "",
            f"-----Original message----- reply {g.D(reply_d, ['mdY', 'Mon d, Y'])}",
            f"Thank you for contacting Patient Financial Services. Your balance is on hold for 30 days "
            f"while we rebill. Ticket {g.misc_id()}.",
            f"{g.name(rep, 'full')} | Patient Financial Services | {fac}",
            f"Direct {g.phone(ext=True)} | Fax {g.fax()} | {g.email(rep)}",
        ]
    return "\n".join(header + body)


def note_operative(g: Gen) -> str:
    d = g.day()
    pt, surg, asst, anes = g.person(), g.person(), g.person(), g.person()
    age = g.ch([g.r.randint(41, 88), g.r.randint(90, 96)])
    dob = g.dob(d, age)
    age = age_on(dob, d)
    proc = g.ch(
        [
            ("27447", "Right total knee arthroplasty", "M17.11", "knee"),
            ("47562", "Laparoscopic cholecystectomy", "K80.20", "gb"),
            ("33208", "Dual-chamber permanent pacemaker insertion", "I49.5", "ppm"),
            ("27236", "Open treatment femoral neck fracture, hemiarthroplasty", "S72.001A", "hip"),
        ]
    )
    lines = [
        "OPERATIVE REPORT",
        f"PATIENT: {g.name(pt, 'LAST_FIRST')}    MRN: {g.mrn()}    ACCT: {g.account()}",
        f"DOB: {g.D(dob, ['mdY', 'dMonY'])}    DATE OF SURGERY: {g.D(d, ['mdY', 'dMonY', 'Month d, Y'])}",
        f"SURGEON: {g.name(surg, g.ch(['full', 'full_mi']))}, MD",
        f"ASSISTANT: {g.name(asst, 'full')}, PA-C" if g.p(0.7) else "ASSISTANT: none",
        f"ANESTHESIA: general endotracheal; {g.name(anes, 'full')}, CRNA",
        f"PREOPERATIVE DIAGNOSIS: {proc[2]}",
        f"PROCEDURE: {proc[1]} (CPT {proc[0]})",
        f"INDICATIONS: The patient is a {g.age_phrase(age)} {'woman' if pt['sex'] == 'F' else 'man'} "
        + g.ch(
            [
                f"referred by {g.doctor(g.person())} after failed conservative care.",
                f"seen in clinic on {g.D(d - dt.timedelta(days=g.r.randint(7, 60)), DATE_PARTIAL + DATE_FULL)}; "
                "risks, benefits and alternatives were discussed.",
                "with symptoms limiting ADLs.",
            ]
        ),
        f"DESCRIPTION: Time-out performed at {g.time()} in OR {g.r.randint(1, 14)}. "
        f"Cefazolin 2 g IV given. EBL {g.r.randint(10, 450)} mL. Fluids {g.r.randint(600, 2500)} mL LR.",
    ]
    if proc[3] == "knee":
        lines.append(
            f"IMPLANTS: femoral component size {g.r.randint(3, 8)}, UDI {g.udi()}; "
            f"tibial baseplate UDI {g.udi()}; poly insert {g.r.randint(9, 16)} mm, lot-controlled."
        )
    elif proc[3] == "ppm":
        lines.append(
            f"IMPLANTS: generator model PG-{g.r.randint(100, 999)} SN {g.serial()}; RA lead SN "
            f"{g.serial()}; RV lead SN {g.serial()}. Thresholds RA 0.{g.r.randint(4, 9)} V, "
            f"RV 0.{g.r.randint(4, 9)} V."
        )
        if g.p(0.5):
            lines.append(f"Remote monitor paired; transmitter reports from IP {g.ip()}.")
    elif proc[3] == "hip":
        lines.append(f"IMPLANTS: bipolar head {g.r.randint(42, 54)} mm, stem UDI {g.udi()}.")
    else:
        lines.append(f"Specimen: gallbladder to pathology, accession {g.accession()}.")
    lines.append(
        f"FINDINGS: {g.ch(['as expected', 'dense adhesions', 'grade IV chondromalacia', 'no complications'])}. "
        f"Pt to PACU in stable condition, {g.vitals()}."
    )
    if g.p(0.5):
        rel_kind, rel = g.relative(pt)
        lines.append(
            f"Family: {rel_kind} {g.name(rel, 'full')} updated in waiting area; "
            f"callback {g.phone(local=True)}."
        )
    sig_day = d + dt.timedelta(days=g.r.randint(0, 2))
    lines.append(
        f"Dictated by {g.name(surg, 'init_last')}, MD {g.D(sig_day, ['mdy', 'mdY'])} {g.time()}"
        + (f"; transcribed job #{g.misc_id()}" if g.p(0.6) else "")
    )
    return "\n".join(lines)


def note_home_health(g: Gen) -> str:
    d = g.day()
    pt, rn, sup = g.person(), g.person(), g.person()
    age = g.ch([g.r.randint(66, 89), g.r.randint(90, 104), g.r.randint(90, 98)])
    rel_kind, rel = g.relative(pt)
    a = g.address()
    agency = g.ch(HOME_AGENCIES)
    t_in = g.r.randint(8 * 60, 16 * 60)
    t_out = t_in + g.r.randint(35, 95)
    lines = [
        f"{agency.upper()} - SKILLED NURSING VISIT",
        f"Visit date: {g.D(d)}   Time in {t_in // 60:02d}{t_in % 60:02d}  Time out {t_out // 60:02d}{t_out % 60:02d}   Visit type: {g.ch(['SOC', 'routine', 'recert', 'PRN'])}",
        f"Patient: {g.name(pt, g.ch(['full', 'last_first']))}, {g.age_phrase(age)}",
        f"Address: {g.addr_text(a, 'line')}"
        + (f" ({P('LOCATION', a['county'])})" if g.p(0.5) else ""),
    ]
    if g.p(0.4):
        lines.append(
            f"Directions: {g.ch(['blue house past the church', 'second trailer on left', 'ring side door'])}, "
            f"{g.ch(['near', 'in'])} {P('LOCATION', g.ch(NEIGHBORHOODS))}."
        )
    lines.append(
        f"Caregiver: {rel_kind} {g.name(rel, g.ch(['full', 'nick']))}, cell {g.phone(local=True)}"
        + (f", work ({g.employer()}) {g.phone(ext=True)}" if g.p(0.4) else "")
    )
    wt = g.r.randint(98, 260)
    lines.append(f"VS: {g.vitals()}. Wt {wt} lb (was {wt + g.r.randint(-6, 6)}).")
    lines.append(
        g.ch(
            [
                f"Wound: L heel, {g.r.uniform(0.8, 4.0):.1f} x {g.r.uniform(0.5, 3.0):.1f} x 0.{g.r.randint(1, 6)} cm, "
                "granulating, dressing changed per orders (wound photographed to agency app).",
                f"Med rec: {g.ch(DRUGS)}; {g.ch(DRUGS)}. Pillbox filled for 7 days.",
                f"CHF teaching: daily weights, 2 g Na diet; {g.labs()} from {g.D(d - dt.timedelta(days=g.r.randint(2, 9)), DATE_PARTIAL)} draw.",
            ]
        )
    )
    if g.p(0.6):
        lines.append(
            f"DME: {g.ch(['O2 concentrator', 'hospital bed', 'CPAP', 'wheelchair'])} SN {g.serial()} "
            f"from {g.ch(['Apria', 'the DME vendor', 'Lincare'])}; {g.ch(['working', 'alarm fault, vendor called'])}."
        )
    if g.p(0.2):
        lines.append(f"Medicaid spend-down paperwork: pt SSN {g.ssn()} given to SW.")
    if g.p(0.35):
        lines.append(
            f"{rel_kind.capitalize()}'s vehicle ({g.plate()}) blocks ramp; asked to move for EMS access."
        )
    if g.p(0.5):
        lines.append(
            f"EVV: clock-in verified by caregiver voiceprint {g.biometric('voice')}; tablet IP {g.ip()}."
        )
    if g.p(0.3):
        lines.append(
            f"Pt's {P('DATE', fmt_date(d - dt.timedelta(days=g.r.randint(1, 20)), g.ch(['Mon-d', 'Month dth'])))} "
            f"fall reported to {g.doctor(g.person())}; fax to {g.fax()}."
        )
    lines.append(
        f"Next visit {g.D(d + dt.timedelta(days=g.r.randint(2, 7)), DATE_PARTIAL)}. "
        f"Medicare {g.member_id('Medicare')}"
        if g.p(0.6)
        else f"Next visit {g.D(d + dt.timedelta(days=g.r.randint(2, 7)), DATE_PARTIAL)}."
    )
    lines.append(
        f"{g.name(rn, 'full')}, RN / supervisor {g.name(sup, g.ch(['full', 'init_last']))}"
    )
    return "\n".join(lines)


def note_pharmacy(g: Gen) -> str:
    d = g.day()
    pt, doc, tech = g.person(), g.person(), g.person()
    rel_kind, rel = g.relative(pt)
    ph = g.ch(PHARMACIES)
    payer = g.ch(PAYERS)
    entries = [f"{ph} #{g.r.randint(1000, 9999)} - phone log"]
    t0 = g.D(d, ["mdy", "mdY", "dots", "iso"])
    caller = g.ch(
        [
            f"pt {g.name(pt, 'full')}",
            f"{rel_kind} {g.name(rel, 'full')} for pt {g.name(pt, 'last_first')}",
        ]
    )
    entries.append(f"{t0} {g.time()} INBOUND {caller} from {g.phone()}")
    verify = g.ch(
        [
            f"Verified DOB {g.D(g.dob(d), ['mdY', 'mdy', 'Month d, Y'])} + last 4 SSN {g.ssn_last4()}.",
            f"Verified DOB {g.D(g.dob(d, g.r.randint(90, 99)))} and address {g.addr_text(g.address(), 'street')}.",
            f"Caller passed IVR voiceprint check (ref {g.biometric('voice')}).",
            f"ID on file: DL {g.dl()}.",
        ]
    )
    entries.append("  " + verify)
    drug = g.ch(DRUGS)
    entries.append(
        g.ch(
            [
                f"  Rx #{g.rx_no()} {drug} - refill too soon, next fill {g.D(d + dt.timedelta(days=g.r.randint(2, 12)), DATE_PARTIAL)}.",
                f"  Rx# {g.rx_no()} {drug}: claim rejected 75 (PA req). {payer} member {g.member_id(payer)}, "
                f"BIN {g.digits(6)} PCN {g.ch(['ADV', 'MEDDPRIME', 'CN'])} grp {g.group_no()}.",
                f"  New Rx {drug}, NDC {g.ndc()}, qty {g.r.choice([30, 60, 90])}, {g.r.randint(0, 5)} refills.",
            ]
        )
    )
    t1 = g.time()
    entries.append(
        f"{t1} OUTBOUND to prescriber {g.doctor(doc)} office {g.phone()}; spoke w/ "
        f"{g.name(g.person(), g.ch(['first', 'full']))} ({g.ch(['MA', 'RN', 'front desk'])})."
    )
    if g.p(0.6):
        entries.append(f"  PA form faxed to {g.fax()}; payer PA ref {g.auth_no()}.")
    if "oxycodone" in drug or g.p(0.3):
        entries.append(
            f"  C-II: prescriber DEA {g.dea(doc)} verified; PDMP checked, last fill "
            f"{g.D(d - dt.timedelta(days=g.r.randint(20, 40)))} at another pharmacy."
        )
    if g.p(0.3):
        entries.append(
            f"  Pt requests delivery to {g.addr_text(g.address(), g.ch(['line', 'street']))}; "
            f"text updates to {g.phone()}."
        )
    if g.p(0.2):
        entries.append(
            f"  Pt emailed copay card photo from {g.email(pt)}; also enrolled at {g.url(pt)}."
        )
    entries.append(
        f"-- {g.name(tech, g.ch(['full', 'init_last', 'first']))}, {g.ch(['CPhT', 'PharmD', 'RPh'])}"
    )
    return "\n".join(entries)


def note_lab_req(g: Gen) -> str:
    d = g.day()
    pt, doc = g.person(), g.person()
    age = g.ch([g.r.randint(1, 89), g.r.randint(20, 80), g.r.randint(90, 99)])
    dob = g.dob(d, age)
    age = age_on(dob, d)
    lab = g.ch(LABS)
    payer = g.ch(PAYERS)
    a = g.address()
    tests = g.r.sample([c for c in CPTS if c[0].startswith("8")], k=g.r.randint(1, 4))
    dx = g.r.sample(DX, k=g.r.randint(1, 2))
    lines = [
        f"{lab.upper()}  -  TEST REQUISITION",
        f"Accession: {g.accession()}    Collected: {g.D(d, ['mdY', 'mdy', 'iso'])} {g.time()}"
        f"    Received: {g.D(d + dt.timedelta(days=g.r.randint(0, 1)), ['mdY', 'dMonY'])}",
        f"PATIENT: {g.name(pt, 'LAST_FIRST')}    SEX: {pt['sex']}    DOB: {g.D(dob, ['mdY', 'iso', 'dMonY'])}"
        + (f"    AGE: {P('AGE', str(age)) if age > 89 else age}" if g.p(0.7) else ""),
        f"ADDR: {g.addr_text(a, 'line')}    PH: {g.phone()}",
        f"PT ID/MRN: {g.mrn()}    Room: {g.room() if g.p(0.3) else 'outpt'}",
    ]
    bill = g.ch(["ins", "ins", "self", "client"])
    if bill == "ins":
        sub_rel, sub = g.relative(pt, g.ch(["wife", "husband", "mother"]))
        lines.append(f"BILL TO: {payer}   Member # {g.member_id(payer)}   Group {g.group_no()}")
        if g.p(0.6):
            lines.append(
                f"  Subscriber: {g.name(sub, 'LAST_FIRST')} ({sub_rel})  DOB {g.D(g.dob(d))}"
                + (f"  SSN {g.ssn()}" if g.p(0.5) else "")
                + (f"  Employer: {g.employer()}" if g.p(0.5) else "")
            )
    elif bill == "self":
        lines.append(f"BILL TO: patient   SSN {g.ssn()}   Acct {g.account()}")
    else:
        lines.append(f"BILL TO: client account {g.account()} ({g.ch(FACILITIES)})")
    lines.append(
        f"ORDERING: {g.name(doc, g.ch(['LAST_FIRST', 'full']))}  NPI {g.npi()}  "
        f"Fax results: {g.fax()}"
    )
    lines.append(
        "TESTS: " + "; ".join(f"{c} {n}" for c, n in tests) + ("  FASTING" if g.p(0.4) else "")
    )
    lines.append("DX: " + ", ".join(c for c, _ in dx))
    if g.p(0.3):
        lines.append(
            f"Collector verified ID: {g.ch(['DL', 'state ID'])} {g.dl()}"
            + (f"; photo {g.photo(pt, d)} on file" if g.p(0.5) else "")
        )
    if g.p(0.2):
        lines.append(f"Courier drop-off, route {g.r.randint(1, 30)}; results portal {g.url(pt)}")
    if g.p(0.15):
        lines.append(
            f"Specimen kiosk check-in: fingerprint template {g.biometric('finger')} matched."
        )
    return "\n".join(lines)


def note_appeal(g: Gen) -> str:
    d = g.day()
    pt, doc, biller = g.person(), g.person(), g.person()
    payer = g.ch(PAYERS)
    dos = d - dt.timedelta(days=g.r.randint(30, 300))
    denial = dos + dt.timedelta(days=g.r.randint(20, 60))
    cpt, cdesc = g.ch(CPTS)
    code, desc = g.ch(DX)
    payer_addr = {
        "street": f"PO Box {g.r.randint(1000, 99999)}",
        "town": g.ch(TOWNS),
        "state": g.ch(STATES),
        "zip": f"{g.r.randint(10001, 99899):05d}",
    }
    writer = g.ch(["provider", "patient"])
    lines = [g.D(d, ["Month d, Y", "mdY", "Mon. d, Y"]), ""]
    lines += [
        f"{payer}",
        f"Attn: {g.ch(['Appeals Unit', 'Provider Disputes', 'Member Grievances & Appeals'])}",
        g.addr_text(payer_addr, "block"),
        "",
    ]
    lines.append(
        f"RE: {g.ch(['First-level appeal', 'Request for reconsideration', 'Second-level appeal'])}"
    )
    lines.append(f"    Claim #: {g.claim_no()}    DOS: {g.D(dos, ['mdY', 'mdy'])}")
    lines.append(
        f"    Member: {g.name(pt, g.ch(['full', 'last_first']))}    ID: {g.member_id(payer)}"
        + (f"    Patient acct: {g.account()}" if g.p(0.5) else "")
    )
    if g.p(0.4):
        lines.append(f"    Your ref: {g.misc_id()}  (ICN {g.claim_no()})")
    lines.append("")
    if writer == "provider":
        lines.append(
            f"On behalf of {g.name(pt, 'full')}, we appeal the denial dated {g.D(denial, [*DATE_FULL, 'Month dth'])} "
            f"(CARC {g.ch(['CO-50', 'CO-197', 'CO-16', 'PR-204', 'CO-97'])}) for {cdesc} ({cpt}) with {desc} ({code}). "
            + g.ch(
                [
                    f"Prior authorization {g.auth_no()} was issued on {g.D(dos - dt.timedelta(days=5), DATE_PARTIAL)}.",
                    "The service meets the LCD criteria; chart notes are attached (pages 1-14).",
                    "Modifier 25 was appropriate; the E/M and procedure were separate (see NCCI policy).",
                ]
            )
        )
        lines.append("")
        lines.append(
            f"Please contact {g.name(biller, 'full')}, CPC, at {g.phone(ext=True)}, fax {g.fax()}, "
            f"or {g.email(biller)}."
        )
        lines += [
            "",
            "Sincerely,",
            f"{g.name(doc, 'full')}, {g.ch(['MD', 'DO'])}   NPI {g.npi()}",
            f"{g.ch(FACILITIES)}, Tax ID on file",
        ]
    else:
        age = g.r.randint(90, 99) if g.p(0.3) else g.r.randint(25, 89)
        lines.append(
            f"I am writing to appeal your denial of my {cdesc} on {g.D(dos, DATE_FULL + DATE_PARTIAL)}. "
            f"I am {P('AGE', str(age)) if age > 89 else age} years old and my doctor, {g.doctor(doc)}, "
            f"said this was medically necessary for my {desc}."
        )
        if g.p(0.5):
            rel_kind, rel = g.relative(pt)
            lines.append(
                f"My {rel_kind}, {g.name(rel, 'full')}, is helping me with this letter and is "
                f"my authorized representative (form attached). {'Her' if rel['sex'] == 'F' else 'His'} email is "
                f"{g.email(rel)}."
            )
        lines += [
            "",
            "Sincerely,",
            g.name(pt, g.ch(["full", "full_mi"])),
            g.addr_text(g.address(), "block"),
            f"{g.phone()}",
        ]
        if g.p(0.3):
            lines.append(
                f"SSN {g.ssn(g.ch(['plain', 'dash']))} (your rep asked for it on the phone)"
            )
    return "\n".join(lines)


WRITERS = {
    "ed_triage": note_ed_triage,
    "nursing_shift": note_nursing,
    "prior_auth": note_prior_auth,
    "portal_message": note_portal,
    "billing_email": note_billing_email,
    "operative_report": note_operative,
    "home_health": note_home_health,
    "pharmacy_call": note_pharmacy,
    "lab_requisition": note_lab_req,
    "appeal_letter": note_appeal,
}


# ---------------------------------------------------------------------------------------------
# Checks and output.
# ---------------------------------------------------------------------------------------------


def check_record(rec: dict) -> None:
    """Fail loudly if a span is off, overlaps another, or a labelled name/place recurs unlabelled."""
    text, spans = rec["text"], rec["spans"]
    prev_end = -1
    for s in spans:
        assert s["category"] in CATEGORIES, (rec["id"], s)
        assert 0 <= s["start"] < s["end"] <= len(text), (rec["id"], s)
        assert text[s["start"] : s["end"]] == s["text"], (rec["id"], s)
        assert s["text"] == s["text"].strip(), (rec["id"], s)
        assert s["start"] >= prev_end, (rec["id"], "overlap", s)
        prev_end = s["end"]
    covered = [False] * len(text)
    for s in spans:
        for i in range(s["start"], s["end"]):
            covered[i] = True
    for s in spans:
        if s["category"] not in ("NAME", "LOCATION"):
            continue
        # A place is checked whole ("new caldwell", not "new"); a name part by part too.
        parts = [s["text"]]
        if s["category"] == "NAME":
            parts += re.split(r"[\s,\"]+", s["text"])
        for part in parts:
            if len(part) < 3 or part.lower() in ("st.", "the", "and", "van", "der", "del"):
                continue
            for m in re.finditer(rf"(?<![\w']){re.escape(part)}(?![\w'])", text):
                assert all(covered[m.start() : m.end()]), (
                    rec["id"],
                    "unlabelled repeat",
                    part,
                    m.start(),
                )


def build(seed: int = SEED) -> list[dict]:
    """Write the notes (deterministic for a given seed)."""
    g = Gen(seed)
    kinds = [k for k in WRITERS for _ in range(N_PER_KIND)]
    g.r.shuffle(kinds)
    records = []
    for i, kind in enumerate(kinds):
        made = WRITERS[kind](g)
        if isinstance(made, tuple):
            marked, casual = made
            text, spans = finalize(marked, portal_typos(g) if casual else None)
        else:
            text, spans = finalize(made)
        rec = {
            "id": f"{STYLE}-2026-{i:04d}",
            "kind": kind,
            "spans": spans,
            "style": STYLE,
            "text": text,
        }
        check_record(rec)
        records.append(rec)
    return records


def main() -> int:
    records = build()
    counts = Counter(s["category"] for r in records for s in r["spans"])
    missing = [c for c in CATEGORIES if not counts[c]]
    if missing:
        print(f"error: no spans for {', '.join(missing)}", file=sys.stderr)
        return 1
    with OUT.open("w", encoding="utf-8", newline="\n") as fh:
        for rec in records:
            fh.write(json.dumps(rec, sort_keys=True) + "\n")
    print(f"wrote {len(records)} notes, {sum(counts.values())} spans to {OUT}")
    for c in CATEGORIES:
        print(f"  {c:<12} {counts[c]:>5}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
