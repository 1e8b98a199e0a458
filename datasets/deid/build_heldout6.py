#!/usr/bin/env python3
"""Build heldout6.jsonl (beside this file): a blind, synthetic, labelled PHI test set.

Deterministic (seeded), standard library only. Every name, place, employer, number and
identifier below is invented. Run:  python3 datasets/deid/build_heldout6.py
"""

import json
import os
import random
import sys
from collections import Counter

SEED = 60606
N_PER_KIND = 26
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "heldout6.jsonl")

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

# ---------------------------------------------------------------- invented lists
FIRST = [
    "Amara",
    "Chidi",
    "Siobhan",
    "Tomasz",
    "Xiomara",
    "Haruto",
    "Priya",
    "Oluwaseun",
    "Mateus",
    "Ingrid",
    "Kwame",
    "Leilani",
    "Dmitri",
    "Fatima",
    "Yusuf",
    "Mei-Ling",
    "Anh",
    "Bogdan",
    "Esperanza",
    "Tariq",
    "Aroha",
    "Saoirse",
    "Nikolai",
    "Zainab",
    "Kofi",
    "Thandiwe",
    "Rafael",
    "Hyun-woo",
    "Ayelet",
    "Bjorn",
    "Lakshmi",
    "Ngozi",
    "Wen",
    "Ximena",
    "Emeka",
    "Giulia",
    "Omar",
    "Paora",
    "Svetlana",
    "Rukhsana",
    "Jarrah",
    "Talulah",
    "Nnamdi",
    "Ilse",
    "Marisol",
    "Teodoro",
    "Keanu",
    "Aigerim",
    "Dagny",
    "Cormac",
    "Yolanda",
    "Shreya",
    "Bartholomew",
    "Noor",
    "Eun-ji",
    "Lorcan",
    "Makana",
    "Ruslan",
    "Imani",
    "Fenella",
    "Joaquín",
    "Sione",
    "Halima",
    "Tuva",
]
LAST = [
    "Okonkwo",
    "Nakashima",
    "Villanueva",
    "Wojcik",
    "Abernathy-Lowe",
    "Raghunathan",
    "Oyelaran",
    "Castellanos",
    "Lindqvist",
    "Mensah",
    "Kahananui",
    "Petrov",
    "Haddad",
    "Yilmaz",
    "Chen-Whitaker",
    "Nguyen",
    "Dragomir",
    "Quispe",
    "Farouk",
    "Ngata",
    "O'Riordan",
    "Volkov",
    "Bello",
    "Asante",
    "Dlamini",
    "Carvalho",
    "Park",
    "Ben-David",
    "Sørensen",
    "Nuñez",
    "MacAskill",
    "Tupou",
    "Begay",
    "Szabo",
    "Achterberg",
    "Iwu",
    "Kowalczyk",
    "Delacroix",
    "Rahimi",
    "Fitzgibbon",
    "Mahlangu",
    "Ortiz-Bravo",
    "Tanaka",
    "Ekwueme",
    "Halloran",
    "Vasquez",
    "Zhou",
    "Grünewald",
    "Sato",
    "Mbatha",
    "Ferreira",
    "Lachance",
    "Oduya",
    "Pettersen",
    "Kaur",
    "Anand",
    "Whitlock",
    "Adeyemi",
]
CITIES = [
    "Marrowfield",
    "Kestrel Bay",
    "Old Tallow",
    "Quenby",
    "Fenwick Falls",
    "Saint Ormond",
    "Harlow Junction",
    "Ashgrove",
    "Pelican Rest",
    "Dunmore Heights",
    "Caddo Springs",
    "Lark Hollow",
    "Port Avery",
    "Windlass",
    "East Calloway",
    "Tennet",
    "Orrin Flats",
    "Mesa Quemada",
    "Brindle",
    "Sable Point",
]
COUNTIES = [
    "Brannock County",
    "Tillery County",
    "Oxbow Parish",
    "Kettering County",
    "Vance County",
    "Almadine County",
    "Shiloh Borough",
    "Corrigan County",
]
STREETS = [
    "Larkspur Ln",
    "Quarry Rd",
    "Benedict Ave",
    "Mariposa Way",
    "Old Mill Road",
    "Tamarack Ct",
    "Calle Alondra",
    "Heron Ridge Dr",
    "Cistern St",
    "Pemberton Blvd",
    "Whippoorwill Circle",
    "N. Tanager Street",
    "Route 9 North",
    "Fernhaven Terrace",
    "Salt Marsh Rd",
    "Juniper Hollow Lane",
    "W. 41st Avenue",
    "Copperline Pkwy",
]
STATES = ["OR", "TX", "NM", "Ohio", "GA", "Minnesota", "WA", "ME", "AZ", "Kentucky", "NC", "MI"]
EMPLOYERS = [
    "Brightwater Cannery",
    "Halvorsen Freight Lines",
    "Quillon Data Systems",
    "Tuckahoe Poultry Co-op",
    "Okafor & Daughters Bakery",
    "Sunline Transit",
    "Redhaven Casino",
    "Mosswood Elder Care",
    "Ironbark Roofing LLC",
    "Pinnacle Grain Elevator",
    "Vellum & Sons Printing",
    "Azimuth Robotics",
]
SCHOOLS = [
    "Crestline Middle School",
    "Wrenfield Elementary",
    "Thornapple High School",
    "Bellweather Academy",
]
DOMAINS = [
    "mailbox.test",
    "quickpost.example",
    "inkwell.example",
    "examplemail.com",
    "corvidnet.example",
    "lumen.example",
]
PORTALS = [
    "https://mychart.harbinhealth.example/",
    "https://portal.sablecare.example/",
    "http://www.fenwickortho.example/",
    "https://records.kestrelclinic.example/",
]
RELS = [
    "daughter",
    "son",
    "wife",
    "husband",
    "granddaughter",
    "nephew",
    "sister",
    "partner",
    "niece",
    "grandson",
    "brother",
    "mother",
]

ICD = [
    "E11.65",
    "I48.91",
    "M54.50",
    "J45.40",
    "F32.1",
    "Z79.4",
    "N18.3",
    "K80.20",
    "S72.001A",
    "G30.1",
    "I10",
    "R26.81",
    "T78.40XA",
    "M17.11",
    "F41.1",
    "Z91.81",
]
CPT = [
    "99214",
    "47562",
    "27447",
    "93000",
    "36415",
    "80053",
    "99497",
    "G0299",
    "97110",
    "27130",
    "99213",
    "85025",
    "E0143",
    "29881",
]
MEDS = [
    "metformin 500 mg BID",
    "apixaban 5 mg twice daily",
    "furosemide 40 mg PO daily",
    "sertraline 50 mg qHS",
    "insulin glargine 22 units nightly",
    "lisinopril 10 mg",
    "donepezil 10 mg at bedtime",
    "acetaminophen 650 mg q6h PRN",
    "albuterol 2 puffs PRN",
    "oxycodone 5 mg q4h PRN",
    "cefazolin 2 g IV",
    "levothyroxine 75 mcg",
]


def npi(rng):
    base = [rng.randint(1, 2)] + [rng.randint(0, 9) for _ in range(8)]
    digits = [int(c) for c in "80840"] + base
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    check = (10 - total % 10) % 10
    return "".join(map(str, base)) + str(check)


class Doc:
    """Accumulates text and labelled spans."""

    def __init__(self):
        self.buf = []
        self.pos = 0
        self.spans = []

    def t(self, s):
        self.buf.append(s)
        self.pos += len(s)
        return self

    def p(self, cat, s):
        assert cat in CATS, cat
        self.spans.append({"category": cat, "start": self.pos, "end": self.pos + len(s), "text": s})
        return self.t(s)

    def text(self):
        return "".join(self.buf)


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
MON3 = [m[:3] for m in MONTHS]


def ordinal(n):
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}" + {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


class Gen:
    def __init__(self, rng):
        self.r = rng

    def pick(self, xs):
        return self.r.choice(xs)

    # ---- people and places
    def person(self):
        return self.pick(FIRST), self.pick(LAST)

    def full(self):
        f, l = self.person()
        return f"{f} {l}"

    def street(self):
        s = f"{self.r.randint(3, 9890)} {self.pick(STREETS)}"
        if self.r.random() < 0.35:
            s += self.pick(
                [
                    f", Apt {self.r.randint(1, 40)}{self.pick('ABCD')}",
                    f" Unit {self.r.randint(100, 999)}",
                    f" #{self.r.randint(2, 60)}",
                ]
            )
        return s

    def zip(self):
        z = f"{self.r.randint(10000, 99899):05d}"
        if self.r.random() < 0.3:
            z += f"-{self.r.randint(0, 9999):04d}"
        return z

    def address(self, d, oneline=True):
        d.p("LOCATION", self.street())
        d.t(", " if oneline else "\n")
        d.p("LOCATION", self.pick(CITIES))
        d.t(", " + self.pick(STATES) + " ")
        d.p("LOCATION", self.zip())

    # ---- dates
    def date(self, kind=None, year=None):
        r = self.r
        y = year or r.choice([2024, 2025, 2026])
        m = r.randint(1, 12)
        dd = r.randint(1, 28)
        k = kind if kind is not None else r.randint(0, 11)
        forms = [
            f"{m:02d}/{dd:02d}/{y}",
            f"{m}/{dd}/{y % 100:02d}",
            f"{y}-{m:02d}-{dd:02d}",
            f"{MONTHS[m - 1]} {dd}, {y}",
            f"{dd} {MON3[m - 1]} {y}",
            f"{MON3[m - 1]}. {ordinal(dd)}, {y}",
            f"{dd:02d}.{m:02d}.{y}",
            f"{dd}-{MON3[m - 1].upper()}-{y}",
            f"the {ordinal(dd)} of {MONTHS[m - 1]}, {y}",
            f"{m}/{dd}",
            f"{MONTHS[m - 1]} {ordinal(dd)}",
            f"{MONTHS[m - 1]} {y}",
        ]
        return forms[k % len(forms)]

    def full_date(self, year=None):
        return self.date(self.r.randint(0, 8), year)

    def dob(self, age=None):
        r = self.r
        y = 2026 - (age if age is not None else r.randint(2, 88)) - 1
        m, dd = r.randint(1, 12), r.randint(1, 28)
        return r.choice(
            [
                f"{m:02d}/{dd:02d}/{y}",
                f"{y}-{m:02d}-{dd:02d}",
                f"{dd} {MON3[m - 1]} {y}",
                f"{MONTHS[m - 1]} {dd}, {y}",
                f"{m}/{dd}/{y}",
            ]
        )

    # ---- numbers
    def phone(self):
        r = self.r
        a, b, c = r.randint(201, 989), r.randint(200, 989), r.randint(0, 9999)
        return r.choice(
            [
                f"({a}) {b}-{c:04d}",
                f"{a}-{b}-{c:04d}",
                f"{a}.{b}.{c:04d}",
                f"+1 {a} {b} {c:04d}",
                f"{a}{b}{c:04d}",
                f"1-{a}-{b}-{c:04d}",
                f"({a}){b}-{c:04d}",
                f"+1-{a}-{b}-{c:04d}",
            ]
        )

    def email(self, first, last):
        r = self.r
        f = first.lower().replace("-", "").replace("í", "i").replace("ú", "u").replace("'", "")
        l = (
            last.lower()
            .replace("-", "")
            .replace("'", "")
            .replace("ø", "o")
            .replace("ñ", "n")
            .replace("ü", "u")
        )
        local = r.choice(
            [f"{f}.{l}", f"{f[0]}{l}{r.randint(1, 99)}", f"{l}_{f}", f"{f}{r.randint(70, 2009)}"]
        )
        return f"{local}@{r.choice(DOMAINS)}"

    def ssn(self):
        r = self.r
        a, b, c = r.randint(101, 665), r.randint(10, 99), r.randint(1000, 9999)
        return r.choice([f"{a}-{b}-{c}", f"{a} {b} {c}", f"{a}{b}{c}"])

    def mrn(self):
        r = self.r
        return r.choice(
            [
                f"{r.randint(1000000, 9999999)}",
                f"MR{r.randint(100000, 999999)}",
                f"{r.randint(10, 99)}-{r.randint(100, 999)}-{r.randint(100, 999)}",
                f"H{r.randint(10000000, 99999999)}",
                f"000{r.randint(100000, 999999)}",
            ]
        )

    def plan(self):
        r = self.r
        L = "ABCDEFGHJKMNPQRTUVWXY"
        mbi = f"{r.randint(1, 9)}{r.choice(L)}{r.choice(L)}{r.randint(0, 9)}-{r.choice(L)}{r.choice(L)}{r.randint(0, 9)}-{r.choice(L)}{r.choice(L)}{r.randint(10, 99)}"
        return r.choice(
            [
                f"{r.choice(['XQH', 'WBK', 'ZGP', 'MDC'])}{r.randint(100000000, 999999999)}",
                mbi,
                f"{r.randint(10000000, 99999999)}{r.choice('ABCJ')}",
                f"U{r.randint(1000000, 9999999)}-0{r.randint(1, 4)}",
            ]
        )

    def account(self):
        r = self.r
        return r.choice(
            [
                f"{r.randint(4000000, 4999999)}",
                f"HB-{r.randint(10000, 99999)}-{r.randint(10, 99)}",
                f"A{r.randint(1000000, 9999999)}",
                f"PF{r.randint(100000, 999999)}",
                f"{r.randint(100, 999)}-{r.randint(1000, 9999)}-{r.randint(1, 9)}",
            ]
        )

    def dl(self):
        r = self.r
        return r.choice(
            [
                f"{r.choice('SDKMWB')}{r.randint(100, 999)}-{r.randint(1000, 9999)}-{r.randint(1000, 9999)}",
                f"{r.randint(100000000, 999999999)}",
                f"{r.choice('ABCDEFG')}{r.randint(1000000, 9999999)}",
            ]
        )

    def prof_license(self):
        r = self.r
        return r.choice(
            [
                f"RN{r.randint(100000, 999999)}",
                f"MD-{r.randint(10000, 99999)}",
                f"LCSW {r.randint(1000, 9999)}",
                f"PT{r.randint(10000, 99999)}",
                f"{r.choice(['A', 'B', 'F'])}{r.choice(['B', 'K', 'M', 'W'])}{r.randint(1000000, 9999999)}",
            ]
        )

    def plate(self):
        r = self.r
        L = "ABCDEFGHJKLMNPRSTUVWXYZ"
        return r.choice(
            [
                f"{r.randint(1, 9)}{''.join(r.choice(L) for _ in range(3))}{r.randint(100, 999)}",
                f"{''.join(r.choice(L) for _ in range(3))}-{r.randint(1000, 9999)}",
                f"{''.join(r.choice(L) for _ in range(2))} {r.randint(10000, 99999)}",
            ]
        )

    def vin(self):
        r = self.r
        A = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
        return "".join(r.choice(A) for _ in range(17))

    def device_sn(self):
        r = self.r
        return r.choice(
            [
                f"PJN{r.randint(100000, 999999)}S",
                f"{r.randint(10, 99)}-{r.randint(100, 999)}-{r.randint(1000, 9999)}",
                f"(01)0088{r.randint(1000000000, 9999999999)}(21){r.randint(100000, 999999)}",
                f"RLA{r.randint(1000000, 9999999)}H",
                f"G{r.randint(1000000, 9999999)}",
                f"NW{r.randint(100000000, 999999999)}",
            ]
        )

    def ip(self):
        r = self.r
        if r.random() < 0.2:
            return f"2001:db8:{r.randint(1, 65535):x}::{r.randint(1, 65535):x}"
        return r.choice(
            [
                f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
                f"192.168.{r.randint(0, 255)}.{r.randint(1, 254)}",
                f"172.{r.randint(16, 31)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
                f"{r.randint(23, 223)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
            ]
        )

    def url(self):
        r = self.r
        return r.choice(
            [
                f"{r.choice(PORTALS)}visit/{r.randint(100000, 999999)}",
                f"https://www.gofund.example/f/help-{r.choice(FIRST).lower()}-{r.randint(10, 99)}",
                f"www.{r.choice(LAST).lower().replace(chr(39), '').replace('ø', 'o').replace('ñ', 'n').replace('ü', 'u')}family.example/updates",
                f"https://telehealth.example/join/{r.randint(1000, 9999)}-{r.randint(1000, 9999)}",
            ]
        )

    def biometric(self):
        r = self.r
        return r.choice(
            [
                f"FP-{r.randint(100000, 999999)}-{r.choice('LR')}",
                f"VPR{r.randint(10000000, 99999999)}",
                f"{r.getrandbits(64):016x}",
                f"IRIS-{r.randint(1000, 9999)}-{r.randint(100, 999)}",
                f"PALM{r.randint(100000, 999999)}",
            ]
        )

    def photo(self):
        r = self.r
        return r.choice(
            [
                f"IMG_{r.randint(1000, 9999)}.jpg",
                f"face_front_{r.randint(100000, 999999)}.png",
                f"PT-PHOTO-{r.randint(10000, 99999)}",
                f"DSC{r.randint(10000, 99999)}.JPG",
                f"wristband_photo_{r.randint(1000, 9999)}.jpeg",
            ]
        )

    def case_id(self):
        r = self.r
        return r.choice(
            [
                f"CPS-{r.randint(2024, 2026)}-{r.randint(10000, 99999)}",
                f"APS{r.randint(100000, 999999)}",
                f"DKT {r.randint(10, 99)}-CV-{r.randint(1000, 9999)}",
                f"AR-{r.randint(10**6, 10**7 - 1)}",
            ]
        )

    def other_id(self):
        r = self.r
        return r.choice(
            [
                f"CPS-{r.randint(2024, 2026)}-{r.randint(10000, 99999)}",
                f"EMP{r.randint(10000, 99999)}",
                f"WC-{r.randint(100000, 999999)}",
                f"STU{r.randint(1000000, 9999999)}",
                f"APS{r.randint(100000, 999999)}",
                f"DKT {r.randint(10, 99)}-CV-{r.randint(1000, 9999)}",
                f"1Z{r.randint(100000, 999999)}A{r.randint(10000000, 99999999)}",
            ]
        )

    def old_age(self):
        return str(self.r.randint(90, 104))

    def young_age(self):
        return str(self.r.choice([34, 47, 52, 61, 66, 71, 74, 78, 82, 85, 88, 89]))

    def vitals(self):
        r = self.r
        return r.choice(
            [
                f"BP {r.randint(104, 168)}/{r.randint(58, 98)}, HR {r.randint(52, 112)}, SpO2 {r.randint(88, 99)}% RA",
                f"T 37.{r.randint(0, 9)} C, RR {r.randint(12, 24)}, BP {r.randint(104, 168)}/{r.randint(58, 98)}",
                f"wt {r.randint(48, 131)}.{r.randint(0, 9)} kg, BMI {r.randint(18, 41)}.{r.randint(0, 9)}",
                f"glucose {r.randint(71, 388)} mg/dL, HR {r.randint(52, 112)}",
            ]
        )

    def money(self):
        r = self.r
        return f"${r.randint(15, 48000):,}.{r.randint(0, 99):02d}"


def pick_age(g):
    return int(g.old_age()) if g.r.random() < 0.55 else int(g.young_age())


def maybe_age(g, d, age=None):
    """Writes an age phrase: >89 labelled, otherwise a distractor."""
    r = g.r
    if age is None:
        age = pick_age(g)
    if age > 89:
        a = str(age)
        form = r.randint(0, 4)
        if form == 0:
            d.t("a ").p("AGE", a).t("-year-old")
        elif form == 1:
            d.t("aged ").p("AGE", a)
        elif form == 2:
            d.t("a ").p("AGE", a).t(" y/o")
        elif form == 3:
            d.t("age ").p("AGE", a)
        else:
            d.t("a ").p("AGE", a).t(" yo")
        return True
    a = str(age)
    art = "an" if a.startswith("8") else "a"
    d.t(r.choice([f"{art} {a}-year-old", f"aged {a}", f"{art} {a} y/o", f"age {a}"]))
    return False


# ================================================================ kinds


def k_operative(g, d):
    r = g.r
    pf, pl = g.person()
    surg, asst, anes = g.full(), g.full(), g.full()
    d.t("OPERATIVE REPORT\n")
    d.t("Patient: ").p("NAME", f"{pl.upper()}, {pf.upper()}").t("    MRN: ").p("MRN", g.mrn()).t(
        "\n"
    )
    d.t("Account #: ").p("ACCOUNT", g.account()).t("    DOB: ")
    age = pick_age(g)
    d.p("DATE", g.dob(age)).t("\n")
    d.t("Date of surgery: ").p("DATE", g.full_date(2026)).t("\n")
    d.t("Surgeon: ").p("NAME", surg).t(", MD (NPI " + npi(r) + ")\n")
    d.t("Assistant: ").p("NAME", asst).t(", PA-C\nAnesthesia: ").p("NAME", anes).t(
        ", CRNA, general ETA\n"
    )
    proc = r.choice(
        [
            ("Laparoscopic cholecystectomy", "47562", "K80.20"),
            ("Right total knee arthroplasty", "27447", "M17.11"),
            ("Dual-chamber pacemaker insertion", "33208", "I48.91"),
            ("Left hip hemiarthroplasty", "27125", "S72.001A"),
            ("Knee arthroscopy with meniscectomy", "29881", "M23.21"),
        ]
    )
    d.t(f"Procedure: {proc[0]} (CPT {proc[1]}). Dx: {proc[2]}.\n\n")
    d.t("INDICATIONS: The patient is ")
    maybe_age(g, d, age)
    d.t(
        f" with symptomatic disease since {r.choice([2019, 2021, 2023])}. Risks reviewed with the patient and "
    )
    d.t(r.choice(RELS) + " ").p("NAME", g.full()).t(" at bedside; consent signed ").p(
        "DATE", g.date(r.choice([9, 10, 0]))
    ).t(".\n\n")
    d.t(
        f"FINDINGS/TECHNIQUE: Preop {g.vitals()}. {r.choice(MEDS)} given preop. EBL {r.randint(5, 450)} mL. "
    )
    if r.random() < 0.7:
        d.t(r.choice(["Implant lot/serial ", "Device serial number ", "Generator SN: "]))
        d.p("DEVICE", g.device_sn()).t(" recorded in the implant log. ")
    d.t("Specimen to pathology.\n\n")
    if r.random() < 0.5:
        d.t("Preop identification photo (full face) stored as ").p("PHOTO", g.photo()).t(
            "; restrict access.\n"
        )
    d.t("DISPOSITION: PACU then home with ").p("NAME", g.full()).t(". Follow up ")
    d.t("in clinic on ").p("DATE", g.date(r.choice([0, 3, 10]), 2026)).t(", or call ").p(
        "PHONE", g.phone()
    ).t(".\n")
    d.t("Dictated by ").p("NAME", surg.split()[-1] if r.random() < 0.5 else surg).t(
        "; transcription job "
    ).p("OTHER_ID", f"TJ-{r.randint(100000, 999999)}").t(".\n")


def k_consult_letter(g, d):
    r = g.r
    pf, pl = g.person()
    ref_f, ref_l = g.person()
    cons = g.full()
    d.p("DATE", g.date(r.choice([3, 4, 8]), 2026)).t("\n\n")
    d.t("Dr. ").p("NAME", f"{ref_f} {ref_l}").t("\n")
    d.p("LOCATION", g.street()).t("\n").p("LOCATION", g.pick(CITIES)).t(
        ", " + g.pick(STATES) + " "
    ).p("LOCATION", g.zip()).t("\n")
    d.t("Fax ").p("FAX", g.phone()).t("\n\n")
    age = pick_age(g)
    d.t("Re: ").p("NAME", f"{pf} {pl}").t(", DOB ").p("DATE", g.dob(age)).t(", our ref ").p(
        "MRN", g.mrn()
    ).t("\n\n")
    d.t(f"Dear Dr. ").p("NAME", ref_l).t(",\n\n")
    d.t(
        "Thank you for asking me to see Ms. "
        if r.random() < 0.5
        else "Thank you for referring Mr. "
    )
    d.p("NAME", pl).t(", ")
    maybe_age(g, d, age)
    d.t(
        r.choice(
            [
                ", a retired machinist",
                ", a school bus driver",
                ", a hospice volunteer",
                ", a former welder",
                ", a home baker",
            ]
        )
    )
    d.t(", who came with ").p("NAME", g.full()).t(f" ({r.choice(RELS)}). ")
    d.t(f"Active problems are {r.choice(ICD)} and {r.choice(ICD)}. On exam {g.vitals()}. ")
    d.t(f"I have started {r.choice(MEDS)} and ordered an ECG (CPT 93000). ")
    if r.random() < 0.6:
        d.t("A pump was placed in " + str(r.choice([2018, 2020, 2022])) + "; serial ").p(
            "DEVICE", g.device_sn()
        ).t(". ")
    d.t("\n\nI will see the patient again the week of ").p("DATE", g.date(r.choice([10, 9]))).t(
        ". "
    )
    d.t("If the family needs me sooner, my office line is ").p("PHONE", g.phone()).t(
        " and my email is "
    )
    cf, cl = cons.split(" ", 1)
    d.p("EMAIL", g.email(cf, cl)).t(".\n\nWith kind regards,\n\n").p("NAME", cons).t(", MD, FACC\n")
    d.t(f"NPI {npi(r)} | State license ").p("LICENSE", g.prof_license()).t("\n")
    d.t("cc: ").p("NAME", g.full()).t(", NP\n")


def k_email_thread(g, d):
    r = g.r
    pf, pl = g.person()
    a_f, a_l = g.person()
    b_f, b_l = g.person()
    mo = r.randint(1, 12)
    d.t("From: ").p("NAME", f"{b_f} {b_l}").t(" <").p("EMAIL", g.email(b_f, b_l)).t(">\n")
    d.t("Sent: " + r.choice(["Mon", "Tue", "Wed", "Thu", "Fri"]) + " ").p(
        "DATE", g.date(r.choice([0, 1, 3]), 2026)
    ).t(f" {r.randint(7, 11)}:{r.randint(10, 59)} AM\n")
    d.t("To: ").p("NAME", f"{a_f} {a_l}").t(" <").p("EMAIL", g.email(a_f, a_l)).t(">\n")
    d.t("Subject: RE: discharge plan - ").p("NAME", f"{pl}, {pf[0]}.").t(" (").p("MRN", g.mrn()).t(
        ")\n\n"
    )
    d.p("NAME", a_f).t(", quick update. Pt's ")
    rel = r.choice(RELS)
    d.t(rel + " ").p("NAME", g.full()).t(" confirmed she can stay with them at ")
    g.address(d)
    d.t(f" until follow-up. DME order for hospital bed (E0250) and O2 went in; Medicaid member ").p(
        "HEALTH_PLAN", g.plan()
    ).t(". ")
    d.t("The oxygen concentrator is serial ").p("DEVICE", g.device_sn()).t(". ")
    d.t(f"Copay estimate {g.money()}. ")
    if r.random() < 0.5:
        d.t("Patient is ")
        maybe_age(g, d)
        d.t(", so the APS referral (case ").p("OTHER_ID", g.case_id()).t(") stays open. ")
    d.t("Best number for ").p("NAME", g.pick(FIRST)).t(" is ").p("PHONE", g.phone()).t(".\n\n")
    d.p("NAME", b_f).t("\nCare Coordinator | ").p("PHONE", g.phone()).t(" | fax ").p(
        "FAX", g.phone()
    ).t("\n\n")
    d.t("-----Original Message-----\nFrom: ").p("NAME", f"{a_f} {a_l}").t("\nSent: ").p(
        "DATE", g.date(r.choice([3, 4, 5]), 2026)
    ).t("\n")
    d.t("Can we get ").p("NAME", pf).t(" home by ").p("DATE", g.date(r.choice([9, 10]))).t(
        "? Team logged in from "
    ).p("IP", g.ip())
    d.t(" to the remote monitoring dashboard (").p(
        "URL", f"{r.choice(PORTALS)}rpm/{r.randint(100000, 999999)}"
    ).t(") and vitals look stable: " + g.vitals() + ".\n")
    d.t("Sent from my phone. CONFIDENTIALITY NOTICE applies.\n")


def k_appeal(g, d):
    r = g.r
    pf, pl = g.person()
    d.t(
        r.choice(
            [
                "Level 1 Appeal",
                "REQUEST FOR RECONSIDERATION",
                "Second-level appeal of adverse determination",
            ]
        )
        + "\n"
    )
    d.p("DATE", g.full_date(2026)).t("\n\nAppeals Unit, Cedarleaf Health Plan\n")
    d.p("LOCATION", g.pick(CITIES)).t(", " + g.pick(STATES) + " ").p("LOCATION", g.zip()).t(
        "\nFax: "
    ).p("FAX", g.phone()).t("\n\n")
    d.t("Member: ").p("NAME", f"{pf} {pl}").t("\nMember ID: ").p("HEALTH_PLAN", g.plan()).t(
        f"   Group: {r.randint(10000, 99999)}-{r.choice('ABC')}\n"
    )
    d.t("Claim #: ").p("OTHER_ID", f"CLM{r.randint(10**9, 10**10 - 1)}").t("   Patient acct: ").p(
        "ACCOUNT", g.account()
    ).t("\n")
    dm, dd = r.randint(1, 9), r.randint(1, 20)
    d.t("Date(s) of service: ").p("DATE", f"{dm:02d}/{dd:02d}/2026").t(" - ").p(
        "DATE", f"{dm:02d}/{dd + r.randint(1, 8):02d}/2026"
    ).t("\n")
    d.t(
        f"Billed: CPT {r.choice(CPT)}, {r.choice(CPT)}; ICD-10 {r.choice(ICD)}; amount {g.money()}; CARC 50.\n\n"
    )
    d.t("To whom it may concern:\n\nI am writing on behalf of my patient, ").p(
        "NAME", f"{pf} {pl}"
    ).t(", ")
    maybe_age(g, d)
    d.t(", to appeal the denial dated ").p("DATE", g.date(r.choice([3, 5, 8]))).t(". ")
    d.t(
        f"The patient has used {r.choice(MEDS)} since {r.choice([2017, 2020, 2022])} without control. "
    )
    d.t(f"Latest values: {g.vitals()}. ")
    if r.random() < 0.5:
        d.t("The patient works nights at ").p("NAME", g.pick(EMPLOYERS)).t(
            " and cannot attend daytime therapy. "
        )
    d.t("Supporting records, including the notes from ").p("DATE", g.date(r.choice([9, 10, 11]))).t(
        ", are enclosed.\n\n"
    )
    d.t("Sincerely,\n").p("NAME", g.full()).t(
        ", DO\nNPI: " + npi(r) + "   Tax ID on file\nDirect: "
    ).p("PHONE", g.phone()).t("\n")
    d.t("Patient authorization on file; SSN ").p("SSN", g.ssn()).t(" redacted on copies.\n")


def k_home_health(g, d):
    r = g.r
    pf, pl = g.person()
    d.t("HOME HEALTH VISIT LOG  |  Patient: ").p("NAME", f"{pf} {pl}").t("  |  Agency MR# ").p(
        "MRN", g.mrn()
    ).t("\n")
    d.t("Address: ")
    g.address(d)
    d.t("  (").p("LOCATION", g.pick(COUNTIES)).t(")\nDog on premises; use side door.\n")
    d.t("Medicare MBI: ").p("HEALTH_PLAN", g.plan()).t("   Episode start: ").p(
        "DATE", g.date(r.choice([0, 2, 6]), 2026)
    ).t("\n\n")
    for i in range(r.randint(2, 3)):
        clin = g.full()
        d.t("Visit ").t(str(i + 1)).t(" — ").p("DATE", g.date(r.choice([9, 10, 1, 4]))).t(
            f" {r.randint(8, 16)}:{r.randint(10, 59)}  "
        )
        d.t(r.choice(["RN ", "PT ", "OT ", "HHA "])).p("NAME", clin).t(
            f" (G0299 / 97110)\n  {g.vitals()}. "
        )
        choice = r.randint(0, 4)
        if choice == 0:
            d.t("Drove agency car plate ").p("VEHICLE", g.plate()).t("; mileage 23.4.")
        elif choice == 1:
            d.t("Caregiver ").p("NAME", g.full()).t(
                " (" + r.choice(RELS) + ") present; reach at "
            ).p("PHONE", g.phone()).t(".")
        elif choice == 2:
            d.t("Check-in by fingerprint on agency tablet, template ").p(
                "BIOMETRIC", g.biometric()
            ).t(".")
        elif choice == 3:
            d.t("Updated chart face photo, file ").p("PHOTO", g.photo()).t(
                f"; {r.choice(MEDS)} reconciled."
            )
        else:
            d.t(f"Fall risk screen; {r.choice(ICD)}. Pt ")
            maybe_age(g, d)
            d.t(".")
        d.t("\n")
    d.t("Supervisory visit due ").p("DATE", g.date(r.choice([10, 9, 11]))).t(
        ". Agency after-hours: "
    ).p("PHONE", g.phone()).t("\n")


def k_lab_req(g, d):
    r = g.r
    pf, pl = g.person()
    d.t("LABORATORY REQUISITION\n")
    d.t("PATIENT LAST: ").p("NAME", pl.upper()).t("  FIRST: ").p("NAME", pf.upper()).t(
        "  SEX: " + r.choice("MFX") + "\n"
    )
    age = pick_age(g)
    d.t("DOB: ").p("DATE", g.dob(age)).t("   SSN: ").p("SSN", g.ssn()).t("\n")
    d.t("ADDR: ").p("LOCATION", g.street().upper()).t("  CITY: ").p(
        "LOCATION", g.pick(CITIES).upper()
    ).t(f"  ST: {g.pick(STATES)}  ZIP: ").p("LOCATION", g.zip()).t("\n")
    d.t("PHONE: ").p("PHONE", g.phone()).t("\n")
    d.t("INSURANCE: Blue Fennel PPO  ID: ").p("HEALTH_PLAN", g.plan()).t(
        f"  GRP: {r.randint(100000, 999999)}\n"
    )
    d.t("BILL TO ACCT: ").p("ACCOUNT", g.account()).t("\n")
    d.t("ORDERING: ").p("NAME", g.full()).t(f"  NPI {npi(r)}  FAX RESULTS TO ").p(
        "FAX", g.phone()
    ).t("\n")
    d.t("COLLECTION DATE: ").p("DATE", g.date(r.choice([0, 2, 7]), 2026)).t(
        f"  TIME {r.randint(6, 11)}:{r.randint(10, 59)}  FASTING: Y\n"
    )
    d.t(f"TESTS: 80053 CMP, 85025 CBC, 83036 HbA1c   DX: {r.choice(ICD)}, {r.choice(ICD)}\n")
    d.t("SPECIMEN ID: ").p("OTHER_ID", f"SPC{r.randint(10**7, 10**8 - 1)}").t("  Collector: ").p(
        "NAME", g.full()
    ).t("\n")
    d.t("Patient ID verified with driver license ").p("LICENSE", g.dl()).t("\n")
    if r.random() < 0.5:
        d.t("Note: patient is ")
        maybe_age(g, d, age)
        d.t(f"; hard stick, used 23g butterfly. Draw fee {g.money()}.\n")
    d.t("Results portal: ").p("URL", f"{r.choice(PORTALS)}results/{r.randint(100000, 999999)}").t(
        "\n"
    )


def k_voicemail(g, d):
    r = g.r
    cf, cl = g.person()
    pf, pl = g.person()
    d.t("[Transcribed voicemail — received ").p("DATE", g.date(r.choice([0, 1, 3]), 2026)).t(
        f" {r.randint(1, 11)}:{r.randint(10, 59)} PM, from "
    ).p("PHONE", g.phone()).t("]\n\n")
    d.t('"Hi, um, this is ').p("NAME", f"{cf} {cl}").t(
        ", I'm calling about my " + r.choice(RELS) + ", "
    )
    d.p("NAME", f"{pf} {pl}").t(", date of birth ")
    age = pick_age(g)
    d.p("DATE", g.dob(age)).t(". ")
    if age > 89:
        d.t("They're ").p("AGE", str(age)).t(" now and ")
    else:
        d.t("They're " + str(age) + " and ")
    d.t(
        r.choice(
            [
                "she fell again Tuesday",
                "the swelling is worse",
                "he ran out of the water pill",
                "she's been confused since the new pill",
            ]
        )
    )
    d.t(". The chart number is ").p("MRN", g.mrn()).t(", I think. ")
    d.t("The dose was " + r.choice(MEDS) + ". ")
    if r.random() < 0.5:
        d.t("We're at our daughter's now, ").p("LOCATION", g.street()).t(" in ").p(
            "LOCATION", g.pick(CITIES)
        ).t(". ")
    d.t("Can someone call me back at ").p("PHONE", g.phone()).t(", or my work, ").p(
        "NAME", g.pick(EMPLOYERS)
    ).t(", ")
    d.p("PHONE", g.phone()).t(" extension " + str(r.randint(10, 999)) + ". ")
    d.t("Or email ").p("EMAIL", g.email(cf, cl)).t(". The appointment is on ").p(
        "DATE", g.date(r.choice([10, 9, 3]))
    ).t(" with Dr. ").p("NAME", g.pick(LAST)).t('. Okay. Thanks. Bye."\n\n')
    d.t("Triaged by ").p("NAME", g.full()).t(", RN. Callback attempted ").p(
        "DATE", g.date(r.choice([9, 1]))
    ).t(" — no answer; left msg.\n")


def k_school_nurse(g, d):
    r = g.r
    sf, sl = g.person()
    d.t(g.pick(SCHOOLS) + " — Health Office Note\n")
    d.t("Student: ").p("NAME", f"{sf} {sl}").t(
        "   Grade " + str(r.randint(1, 12)) + "   Student ID: "
    ).p("OTHER_ID", f"STU{r.randint(10**6, 10**7 - 1)}").t("\n")
    d.t("DOB: ").p("DATE", g.dob(r.randint(6, 17))).t("   Date/time seen: ").p(
        "DATE", g.date(r.choice([0, 1, 6]), 2026)
    ).t(f" {r.randint(8, 14)}:{r.randint(10, 59)}\n\n")
    d.t(
        f"Reason: {r.choice(['asthma flare at recess', 'low blood sugar in PE', 'head bump on playground', 'stomach ache, fever', 'allergic reaction, hives'])}. "
    )
    d.t(
        f"{g.vitals()}. Given {r.choice(['albuterol 2 puffs PRN', 'glucose tabs 16 g', 'cetirizine 10 mg', 'ice pack only'])} per plan ({r.choice(['J45.40', 'E10.649', 'Z91.010', 'S09.90XA'])}).\n"
    )
    if r.random() < 0.5:
        d.t("CGM receiver serial ").p("DEVICE", g.device_sn()).t(" read 64 then 102.\n")
    pg_f, pg_l = g.person()
    d.t("Parent/guardian ").p("NAME", f"{pg_f} {pg_l}").t(" notified at ").p("PHONE", g.phone()).t(
        "; works at "
    ).p("NAME", g.pick(EMPLOYERS)).t(".\n")
    d.t("Picked up by grandparent ").p("NAME", g.full()).t(", ")
    maybe_age(g, d)
    d.t(", ID checked (DL ").p("LICENSE", g.dl()).t("), car plate ").p("VEHICLE", g.plate()).t(
        ".\n"
    )
    d.t("Emergency card lists home at ")
    g.address(d)
    d.t(".\nPhoto on emergency card: ").p("PHOTO", g.photo()).t(". Follow-up with PCP ").p(
        "NAME", g.full()
    ).t(" by ").p("DATE", g.date(r.choice([9, 10]))).t(".\n")
    d.t("— ").p("NAME", g.full()).t(", RN, BSN (school nurse); email ").p(
        "EMAIL", g.email(g.pick(FIRST), g.pick(LAST))
    ).t("\n")


def k_social_work(g, d):
    r = g.r
    pf, pl = g.person()
    d.t("SOCIAL WORK ASSESSMENT\n")
    d.t("Client: ").p("NAME", f"{pf} {pl}").t("  MRN ").p("MRN", g.mrn()).t("  Date: ").p(
        "DATE", g.full_date(2026)
    ).t("\n\n")
    d.t("Client is ")
    maybe_age(g, d)
    d.t(f", lives alone since spouse ").p("NAME", g.pick(FIRST)).t(
        f" died in {r.choice([2015, 2019, 2023])}. "
    )
    d.t("Current address ")
    g.address(d)
    d.t(" in ").p("LOCATION", g.pick(COUNTIES)).t(". ")
    d.t(f"Income: SSI {g.money()}/mo; SSN ").p("SSN", g.ssn()).t(" verified for benefits. ")
    d.t("Former employer ").p("NAME", g.pick(EMPLOYERS)).t(" (employee no. ").p(
        "OTHER_ID", f"EMP{r.randint(10000, 99999)}"
    ).t(").\n")
    d.t("Transportation: drives a 2009 sedan, plate ").p("VEHICLE", g.plate()).t(", VIN ").p(
        "VEHICLE", g.vin()
    ).t("; registration lapsed.\n")
    d.t(f"Dx on chart: {r.choice(ICD)}, {r.choice(ICD)}. Meds include {r.choice(MEDS)}.\n")
    if r.random() < 0.6:
        d.t("APS case ").p("OTHER_ID", g.case_id()).t(" opened ").p(
            "DATE", g.date(r.choice([9, 10, 11]))
        ).t("; worker ").p("NAME", g.full()).t(" ").p("PHONE", g.phone()).t(".\n")
    d.t("Niece ").p("NAME", g.full()).t(" started a fundraiser at ").p("URL", g.url()).t(".\n")
    d.t("Plan: SNAP renewal, Meals on Wheels (").p("PHONE", g.phone()).t("), reassess ").p(
        "DATE", g.date(r.choice([3, 4, 0]), 2026)
    ).t(".\n")
    d.p("NAME", g.full()).t(", LCSW, license ").p("LICENSE", g.prof_license()).t("\n")


def k_disability(g, d):
    r = g.r
    pf, pl = g.person()
    d.t("ATTENDING PHYSICIAN STATEMENT OF DISABILITY\n")
    d.t("Part A — Claimant\n1. Name: ").p("NAME", f"{pl}, {pf}").t("\n2. SSN: ").p(
        "SSN", g.ssn()
    ).t("\n3. DOB: ").p("DATE", g.dob()).t("\n")
    d.t("4. Address: ")
    g.address(d)
    d.t("\n5. Employer: ").p("NAME", g.pick(EMPLOYERS)).t("   Employee ID: ").p(
        "OTHER_ID", f"EMP{r.randint(10000, 99999)}"
    ).t("\n")
    d.t("6. Policy/certificate no.: ").p("HEALTH_PLAN", g.plan()).t("\n7. Claim reference: ").p(
        "OTHER_ID",
        r.choice([f"WC-{r.randint(100000, 999999)}", f"STD-{r.randint(10**7, 10**8 - 1)}"]),
    ).t("\n\n")
    d.t("Part B — Physician\n8. Diagnosis: " + r.choice(ICD) + " / " + r.choice(ICD) + "\n")
    d.t("9. Date symptoms began: ").p("DATE", g.date(r.choice([10, 11, 9]))).t(
        "\n10. Last day worked: "
    ).p("DATE", g.date(r.choice([0, 2, 4]), 2026)).t("\n")
    d.t("11. Expected return to work: ").p("DATE", g.date(r.choice([11, 5, 1]), 2026)).t("\n")
    d.t(f"12. Restrictions: no lifting > 10 lb; {g.vitals()}; meds {r.choice(MEDS)}.\n")
    d.t("13. Identity verified against photo ID file ").p("PHOTO", g.photo()).t(
        " and driver license "
    ).p("LICENSE", g.dl()).t("\n")
    d.t("14. Physician: ").p("NAME", g.full()).t(f", MD  NPI {npi(r)}  Lic. ").p(
        "LICENSE", g.prof_license()
    ).t("\n")
    d.t("    Phone ").p("PHONE", g.phone()).t("   Fax ").p("FAX", g.phone()).t("\n")
    d.t("15. Signed electronically ").p("DATE", g.date(0, 2026)).t(" from IP ").p("IP", g.ip()).t(
        "; signer biometric template "
    ).p("BIOMETRIC", g.biometric()).t("\n")


def k_telehealth_audit(g, d):
    r = g.r
    pf, pl = g.person()
    cl = g.full()
    d.t("TELEHEALTH SESSION RECORD / AUDIT\n")
    d.t("session_id=").p("OTHER_ID", f"TH-{r.randint(10**7, 10**8 - 1)}").t(" start=").p(
        "DATE", g.date(2, 2026)
    ).t(f"T{r.randint(10, 23)}:{r.randint(10, 59)}:00Z\n")
    d.t('patient="').p("NAME", f"{pf} {pl}").t('" mrn=').p("MRN", g.mrn()).t(" plan_id=").p(
        "HEALTH_PLAN", g.plan()
    ).t("\n")
    d.t("patient_ip=").p("IP", g.ip()).t(" clinician_ip=").p("IP", g.ip()).t(" join_url=").p(
        "URL", g.url()
    ).t("\n")
    d.t("identity_check=face_match ref_photo=").p("PHOTO", g.photo()).t(" biometric_hash=").p(
        "BIOMETRIC", g.biometric()
    ).t("\n")
    d.t('clinician="').p("NAME", cl).t(
        '" npi=' + npi(r) + f" cpt=99213 pos=10 dx={r.choice(ICD)}\n"
    )
    d.t("callback_phone=").p("PHONE", g.phone()).t(" email=").p("EMAIL", g.email(pf, pl)).t("\n")
    d.t("note: patient ")
    maybe_age(g, d)
    d.t(
        f" joined from car in parking lot, connection dropped x2; {g.vitals()} self-reported; {r.choice(MEDS)} refilled.\n"
    )
    d.t("rpm_device=").p("DEVICE", g.device_sn()).t(
        f" bytes={r.randint(10000, 999999)} duration_s={r.randint(300, 2400)}\n"
    )


def k_ems_handoff(g, d):
    r = g.r
    pf, pl = g.person()
    d.t("EMS PATIENT CARE REPORT — HANDOFF\n")
    d.t(f"Unit M{r.randint(10, 99)}  Run no. ").p(
        "OTHER_ID", f"R{r.randint(2026000000, 2026999999)}"
    ).t("  Date ").p("DATE", g.date(r.choice([0, 7, 2]), 2026)).t("\n")
    d.t("Pt: ").p("NAME", f"{pf} {pl}").t(", ")
    old = maybe_age(g, d)
    d.t(", found at ").p("LOCATION", g.street()).t(", ").p("LOCATION", g.pick(CITIES)).t(
        " near mile marker 14.\n"
    )
    d.t("MVC: pt was driver of vehicle plate ").p("VEHICLE", g.plate()).t(" (VIN ").p(
        "VEHICLE", g.vin()
    ).t("). Airbag deployed.\n")
    d.t(
        f"Vitals: {g.vitals()}; GCS 14. Given {r.choice(['ondansetron 4 mg IV', 'fentanyl 50 mcg IV', 'NS 500 mL bolus'])}.\n"
    )
    d.t("Medic alert bracelet: pacemaker, card serial ").p("DEVICE", g.device_sn()).t(".\n")
    d.t("Wallet ID: DL ").p("LICENSE", g.dl()).t("; insurance card ").p("HEALTH_PLAN", g.plan()).t(
        ".\n"
    )
    d.t("Spouse ").p("NAME", g.full()).t(" reached at ").p("PHONE", g.phone()).t(
        "; meeting us at ED.\n"
    )
    d.t("Crew: ").p("NAME", g.full()).t(" (Paramedic, lic ").p("LICENSE", g.prof_license()).t(
        "), "
    ).p("NAME", g.full()).t(" (EMT-B).\n")
    d.t(f"Transport to ED, arrival {r.randint(0, 23):02d}:{r.randint(10, 59)}. Billing acct ").p(
        "ACCOUNT", g.account()
    ).t(f"; HCPCS A0427, A0425 x {r.randint(3, 30)} mi.\n")


def k_pharmacy_fax(g, d):
    r = g.r
    pf, pl = g.person()
    d.t("FAX COVER — PRIOR AUTHORIZATION / REFILL REQUEST\n")
    d.t("To: Dr. ").p("NAME", g.full()).t("   Fax: ").p("FAX", g.phone()).t("\n")
    d.t("From: ").p("NAME", g.full()).t(
        ", PharmD, Greenleaf Pharmacy #" + str(r.randint(100, 999)) + "   Ph: "
    ).p("PHONE", g.phone()).t("   Fax: ").p("FAX", g.phone()).t("\n")
    d.t("Date: ").p("DATE", g.date(r.choice([0, 1, 7]), 2026)).t(
        "   Pages: " + str(r.randint(2, 5)) + "\n\n"
    )
    age = pick_age(g)
    d.t("Patient: ").p("NAME", f"{pf} {pl}").t("   DOB: ").p("DATE", g.dob(age)).t("\n")
    d.t("Rx#: ").p("OTHER_ID", f"RX{r.randint(10**6, 10**7 - 1)}").t("   Pharmacy acct: ").p(
        "ACCOUNT", g.account()
    ).t("\n")
    d.t("Plan: Part D, ID ").p("HEALTH_PLAN", g.plan()).t(
        f"  BIN 610{r.randint(100, 999)} PCN {r.choice(['MEDDPRIME', 'A4', 'CTRXMEDD'])}\n"
    )
    d.t(f"Drug: {r.choice(MEDS)}, qty 90, refills 3. Dx {r.choice(ICD)}. Cost to pt {g.money()}.\n")
    d.t("Patient lives at ")
    g.address(d)
    d.t("; delivery by courier tracking ").p(
        "OTHER_ID", f"1Z{r.randint(100000, 999999)}A{r.randint(10**7, 10**8 - 1)}"
    ).t(".\n")
    d.t("Note: patient is ")
    maybe_age(g, d, age)
    d.t(" and asked that ").p("NAME", g.full()).t(" be allowed to pick up.\n")
    d.t("Please reply via ePA or web: ").p(
        "URL", f"{r.choice(PORTALS)}pa/{r.randint(100000, 999999)}?ref={r.randint(1000, 9999)}"
    ).t("\n")


KINDS = [
    ("operative_report", k_operative),
    ("consult_letter", k_consult_letter),
    ("care_email_thread", k_email_thread),
    ("insurance_appeal", k_appeal),
    ("home_health_log", k_home_health),
    ("lab_requisition", k_lab_req),
    ("voicemail_transcript", k_voicemail),
    ("school_nurse_note", k_school_nurse),
    ("social_work_assessment", k_social_work),
    ("disability_form", k_disability),
    ("telehealth_audit", k_telehealth_audit),
    ("ems_handoff", k_ems_handoff),
    ("pharmacy_fax", k_pharmacy_fax),
]


def main():
    rng = random.Random(SEED)
    g = Gen(rng)
    records = []
    order = [k for k in KINDS for _ in range(N_PER_KIND)]
    rng.shuffle(order)
    for i, (kind, fn) in enumerate(order):
        d = Doc()
        fn(g, d)
        text = d.text()
        for s in d.spans:
            if text[s["start"] : s["end"]] != s["text"]:
                sys.exit(f"offset mismatch in note {i}: {s}")
            if s["text"] != s["text"].strip() or not s["text"]:
                sys.exit(f"untrimmed span in note {i}: {s}")
        spans = sorted(d.spans, key=lambda s: (s["start"], s["end"]))
        for a, b in zip(spans, spans[1:]):
            if b["start"] < a["end"]:
                sys.exit(f"overlapping spans in note {i}: {a} {b}")
        records.append(
            {
                "id": f"heldout6-{i:04d}",
                "kind": kind,
                "style": "heldout6",
                "text": text,
                "spans": spans,
            }
        )
    with open(OUT, "w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, sort_keys=True, ensure_ascii=False) + "\n")
    cats = Counter(s["category"] for r in records for s in r["spans"])
    kinds = Counter(r["kind"] for r in records)
    nsp = sum(cats.values())
    print(f"wrote {len(records)} notes, {nsp} spans ({nsp / len(records):.1f}/note) to {OUT}")
    for c in CATS:
        print(f"  {c:12s} {cats.get(c, 0)}")
    for k, v in sorted(kinds.items()):
        print(f"  kind {k:24s} {v}")
    low = [c for c in CATS if cats.get(c, 0) < 12]
    if low:
        sys.exit(f"categories under 12: {low}")


if __name__ == "__main__":
    main()
