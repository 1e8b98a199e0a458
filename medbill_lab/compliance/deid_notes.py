"""Seeded synthetic clinical notes with every PHI span labelled by Safe Harbor category.

Four *styles* of note are generated, each with its own templates, phrasings, value
formats and name and place lists:

- ``"tuning"`` and ``"dev"``: the notes the de-identifier
  (:mod:`medbill_lab.compliance.deid`) was developed against
  (``datasets/deid/notes.jsonl``, ``dev.jsonl``); its name lists hold the tuning names
  only, so the dev notes pushed the rules towards cues that generalise;
- ``"heldout"`` and ``"heldout2"``: never used to tune the rules, with names and
  places the rules' lists do not hold (``heldout.jsonl``, ``heldout2.jsonl``).  Their
  scores show how the rules do on notes they were not written for.  See
  ``datasets/deid/README.md`` for the order in which the sets were written and scored.

Labelling policy (what counts as PHI here):

- Names of the patient and of the patient's relatives, employers and household members
  are PHI: that is what Safe Harbor (A) covers (45 CFR 164.514(b)(2)(i)(A)).
  **Provider and staff names are labelled too, by our own policy, which is stricter
  than Safe Harbor**: the rule does not require removing them, but in free text a
  clinician's name next to a small practice narrows down the patient, so the lab
  removes every person's name.
- Street, city, county and ZIP are PHI (B); the state is not.
- Every date element except the year is PHI (C): the whole date is one span, and the
  de-identifier keeps the year.  Ages over 89 are PHI (the number only); ages 89 and
  under are not, and are left in the notes on purpose.
- Every phone and fax number in a note is PHI, whoever it belongs to.
- Code numbers that are not about the individual (CPT, ICD-10-CM, NPI of the
  clinic, lab values, doses) are not PHI and appear as distractors.

Every note is a dict ``{"id", "style", "kind", "text", "spans"}`` where each span is
``{"start", "end", "category", "text"}`` (``text[start:end] == span text``).
Generation is deterministic: the same seed gives byte-identical JSONL.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

# CATEGORIES lives in deid; it stays importable here because the deidentify_notes exercise
# (in courses made before P8 too) reads deid_notes.CATEGORIES
from medbill_lab.compliance.deid import CATEGORIES as CATEGORIES
from medbill_lab.datasets import datasets_dir, synthetic_people

# -- value lists (all invented) ---------------------------------------------------------
# The tuning notes' names and places: the synthetic practice's, and a few more
# (datasets/people/names.json).  The de-identifier knows these lists; the other styles' it does not.
_PEOPLE = synthetic_people()
TUNING_FIRST = _PEOPLE.tuning_first
TUNING_LAST = _PEOPLE.tuning_last
TUNING_PLACES = _PEOPLE.tuning_places
TUNING_STREETS = _PEOPLE.tuning_streets
TUNING_EMPLOYERS = _PEOPLE.tuning_employers

# The held-out set uses names and places the rules were never given.
HELDOUT_FIRST = (
    "Annelise", "Bartholomew", "Clementine", "Desmond", "Evangeline", "Florian", "Guinevere",
    "Horatio", "Isadora", "Jericho", "Katarina", "Leander", "Mirabel", "Nikolai", "Ophelia",
    "Percival", "Rosamund", "Sebastien", "Tamsin", "Ulrich",
)  # fmt: skip
HELDOUT_LAST = (
    "Ashcombe", "Bellweather", "Cardenas", "Drummond", "Esterhazy", "Fitzgerald", "Grimaldi",
    "Hargreaves", "Ingersoll", "Jaworski", "Kilbride", "Lockhart", "Montague", "Novak",
    "Ostrowski", "Prendergast", "Quigley", "Rutherford", "Steinberg", "Tremblay",
)  # fmt: skip
HELDOUT_PLACES = (
    ("Ferndale Crossing", "Boone County", "61008"), ("Stillwater", "Ogle County", "61061"),
    ("Hollis Junction", "Lee County", "61021"), ("Brackenridge", "Winnebago County", "61101"),
)  # fmt: skip
HELDOUT_STREETS = (
    "Thistle Lane",
    "Foxglove Terrace",
    "Weatherby Circle",
    "Canal Street",
    "Juniper Pass",
    "Larkspur Place",
)
HELDOUT_EMPLOYERS = ("Ridgeway Logistics", "Ogle County Highway Dept", "Stillwater Creamery")

RELATIONS = ("daughter", "son", "wife", "husband", "sister", "brother", "niece", "grandson")
STATES = ("IL", "Illinois")
ICD = ("E11.9", "I10", "J45.20", "N39.0", "M54.50", "E78.5", "K21.9", "F41.1", "J06.9")
CPT = ("99213", "99214", "93000", "36415", "80053", "85025", "96372", "99204")


# -- a note under construction ------------------------------------------------------------
class _Builder:
    """Text assembled piece by piece, remembering where each PHI value went."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[dict] = []
        self.length = 0

    def text(self, piece: str) -> None:
        self.parts.append(piece)
        self.length += len(piece)

    def phi(self, piece: str, category: str) -> None:
        self.spans.append(
            {
                "start": self.length,
                "end": self.length + len(piece),
                "category": category,
                "text": piece,
            }
        )
        self.text(piece)

    def value(self) -> tuple[str, list[dict]]:
        return "".join(self.parts), self.spans


_FIELD = re.compile(r"\{(\w+)\}")


def fill(template: str, values: dict[str, tuple[str, str | None]]) -> tuple[str, list[dict]]:
    """Fill ``{field}`` placeholders; a field whose category is not None becomes a span.

    >>> text, spans = fill("Pt {name}, age {age}.", {"name": ("Esme Okafor", "NAME"),
    ...                                            "age": ("42", None)})
    >>> text, [(s["text"], s["category"]) for s in spans]
    ('Pt Esme Okafor, age 42.', [('Esme Okafor', 'NAME')])
    """
    b = _Builder()
    last = 0
    for m in _FIELD.finditer(template):
        b.text(template[last : m.start()])
        piece, category = values[m.group(1)]
        if category:
            b.phi(piece, category)
        else:
            b.text(piece)
        last = m.end()
    b.text(template[last:])
    return b.value()


def fill_parts(parts: Iterable[tuple[str, str | None]]) -> tuple[str, list[dict]]:
    """Join (text, category) pieces; pieces with a category become spans."""
    b = _Builder()
    for piece, category in parts:
        (b.phi(piece, category) if category else b.text(piece))
    return b.value()


# -- value formats --------------------------------------------------------------------------
def _fmt_date_tuning(rng: random.Random, day: dt.date, with_year: bool = True) -> str:
    if not with_year:
        return rng.choice((f"{day:%m/%d}", f"{day.month}/{day.day}", f"{day:%b} {day.day}"))
    return rng.choice(
        (
            f"{day:%m/%d/%Y}",
            f"{day.month}/{day.day}/{day:%y}",
            f"{day:%Y-%m-%d}",
            f"{day:%B} {day.day}, {day.year}",
            f"{day:%b} {day.day}, {day.year}",
            f"{day:%m-%d-%Y}",
        )
    )


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _fmt_date_heldout(rng: random.Random, day: dt.date, with_year: bool = True) -> str:
    if not with_year:
        return rng.choice(
            (f"{day:%B} {_ordinal(day.day)}", f"{day.day} {day:%b}", f"{day:%a %b} {day.day}")
        )
    return rng.choice(
        (
            f"{day.day}-{day:%b}-{day.year}",
            f"{day.day} {day:%B} {day.year}",
            f"{day:%m.%d.%Y}",
            f"{day:%Y%m%d}",
            f"{day:%b}. {day.day} {day.year}",
            f"{day:%m/%d/%Y}",
        )
    )


def _phone_digits(rng: random.Random) -> tuple[str, str, str]:
    area = rng.choice(("217", "618", "312", "309", "815", "630", "773"))
    return area, f"{rng.randrange(200, 999)}", f"{rng.randrange(0, 10000):04d}"


def _fmt_phone_tuning(rng: random.Random) -> str:
    a, b, c = _phone_digits(rng)
    return rng.choice(
        (f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}", f"{a}-{b}-{c} x{rng.randrange(10, 999)}")
    )


def _fmt_phone_heldout(rng: random.Random) -> str:
    a, b, c = _phone_digits(rng)
    return rng.choice((f"+1 {a} {b} {c}", f"1-{a}-{b}-{c}", f"({a}){b}-{c}", f"{a} {b} {c}"))


def _ssn(rng: random.Random, heldout: bool) -> str:
    area = rng.choice([n for n in range(1, 900) if n != 666])
    group, serial = rng.randrange(1, 100), rng.randrange(1, 10000)
    if heldout and rng.random() < 0.5:
        return f"{area:03d} {group:02d} {serial:04d}"
    return f"{area:03d}-{group:02d}-{serial:04d}"


def _mbi(rng: random.Random) -> str:
    letters = "ACDEFGHJKMNPQRTUVWXY"
    pick = rng.choice
    digits = "0123456789"
    both = letters + digits
    # the MBI layout: C A AN N A AN N A A N N (no S, L, O, I, B, Z)
    return "".join(
        (str(rng.randrange(1, 10)), pick(letters), pick(both), pick(digits), pick(letters),
         pick(both), pick(digits), pick(letters), pick(letters), pick(digits), pick(digits))
    )  # fmt: skip


def _vin(rng: random.Random) -> str:
    chars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    return "".join(rng.choice(chars) for _ in range(17))


def _plate(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    return rng.choice(
        (
            f"{rng.choice(letters)}{rng.choice(letters)}{rng.randrange(10, 99)} {rng.randrange(100, 999)}",
            f"{rng.randrange(100, 999)} {rng.randrange(1000, 9999)}",
            f"{rng.choice(letters)}{rng.randrange(10000, 99999)}",
        )
    )


def _person(rng: random.Random, firsts: tuple[str, ...], lasts: tuple[str, ...]) -> tuple[str, str]:
    return rng.choice(firsts), rng.choice(lasts)


# -- the values one note draws from ------------------------------------------------------------
def _values(rng: random.Random, style: str = "tuning") -> dict[str, tuple[str, str | None]]:
    profile = PROFILES[style]
    heldout = style == "heldout"  # the first held-out style's own value shapes
    firsts, lasts = profile.firsts, profile.lasts
    places, streets, employers = profile.places, profile.streets, profile.employers
    date, phone = profile.date, profile.phone

    first, last = _person(rng, firsts, lasts)
    rel_first, _ = _person(rng, firsts, lasts)
    rel_last = last if rng.random() < 0.6 else rng.choice(lasts)
    prov_first, prov_last = _person(rng, firsts, lasts)
    prov2_last = rng.choice(lasts)
    city, county, zip5 = rng.choice(places)
    visit = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 1000))
    old = rng.random() < 0.3
    age = rng.randrange(90, 104) if old else rng.randrange(2, 89)
    dob = dt.date(visit.year - age, rng.randrange(1, 13), rng.randrange(1, 29))
    if (dob.month, dob.day) > (visit.month, visit.day):
        dob = dob.replace(year=dob.year - 1)
    later = visit + dt.timedelta(days=rng.randrange(1, 60))
    earlier = visit - dt.timedelta(days=rng.randrange(2, 400))
    email_user = rng.choice(
        (f"{first}.{last}", f"{first[0]}{last}", f"{first}{rng.randrange(10, 99)}")
    )
    email_user = re.sub(r"[^A-Za-z0-9.]", "", email_user).lower()
    domain = rng.choice(("example.com", "mailbox.example.net", "prairie-mail.example.org"))
    url_host = rng.choice(
        ("portal.harlowclinic.example", "myhealth.example.org", "caringpages.example.com")
    )
    url = rng.choice(
        (
            f"https://{url_host}/patient/{rng.randrange(10000, 99999)}",
            f"www.{url_host}/p?id={rng.randrange(100000, 999999)}",
            f"http://{url_host}/{email_user}",
        )
    )
    ip = rng.choice(
        (
            f"10.{rng.randrange(0, 255)}.{rng.randrange(0, 255)}.{rng.randrange(1, 255)}",
            f"192.168.{rng.randrange(0, 255)}.{rng.randrange(1, 255)}",
            f"172.{rng.randrange(16, 32)}.{rng.randrange(0, 255)}.{rng.randrange(1, 255)}",
        )
    )
    if heldout and rng.random() < 0.3:
        ip = f"2001:db8:{rng.randrange(0x1000, 0xFFFF):x}::{rng.randrange(1, 0xFFFF):x}"
    member = rng.choice(
        (
            _mbi(rng),
            f"EVG{rng.randrange(10**8, 10**9)}",
            f"SMI{rng.randrange(10**8, 10**9)}",
            f"PSM{rng.randrange(10**8, 10**9)}",
        )
    )
    if heldout:
        member = rng.choice((member, f"XQH{rng.randrange(10**7, 10**8)}-0{rng.randrange(1, 9)}"))
    values: dict[str, tuple[str, str | None]] = {
        "first": (first, "NAME"),
        "last": (last, "NAME"),
        "full": (f"{first} {last}", "NAME"),
        "lastfirst": (f"{last.upper()}, {first.upper()}", "NAME"),
        "title": (rng.choice(("Mr.", "Ms.", "Mrs.")), None),
        "rel": (rng.choice(RELATIONS), None),
        "rel_name": (f"{rel_first} {rel_last}", "NAME"),
        "rel_first": (rel_first, "NAME"),
        "prov": (f"{prov_first} {prov_last}", "NAME"),
        "prov_last": (prov_last, "NAME"),
        "prov2_last": (prov2_last, "NAME"),
        "employer": (rng.choice(employers), "NAME"),
        "street": (f"{rng.randrange(10, 9900)} {rng.choice(streets)}", "LOCATION"),
        "apt": (rng.choice(("Apt 4B", "Unit 12", "Apt. 207", "#3")), "LOCATION"),
        "city": (city, "LOCATION"),
        "county": (county, "LOCATION"),
        "zip": (zip5 if rng.random() < 0.7 else f"{zip5}-{rng.randrange(1000, 9999)}", "LOCATION"),
        "state": (rng.choice(STATES), None),
        "visit": (date(rng, visit), "DATE"),
        "visit_short": (date(rng, visit, with_year=False), "DATE"),
        "later": (date(rng, later), "DATE"),
        "later_short": (date(rng, later, with_year=False), "DATE"),
        "earlier": (date(rng, earlier), "DATE"),
        "earlier_short": (date(rng, earlier, with_year=False), "DATE"),
        "dob": (date(rng, dob), "DATE"),
        "year": (str(earlier.year - rng.randrange(1, 15)), None),
        "age": (str(age), "AGE" if age > 89 else None),
        "young_age": (str(rng.randrange(20, 80)), None),
        "phone": (phone(rng), "PHONE"),
        "phone2": (phone(rng), "PHONE"),
        "fax": (phone(rng), "FAX"),
        "email": (f"{email_user}@{domain}", "EMAIL"),
        "ssn": (_ssn(rng, heldout), "SSN"),
        "mrn": (
            rng.choice(
                (
                    f"{rng.randrange(10**6, 10**8):08d}",
                    f"{rng.randrange(10**6, 10**7)}",
                    f"HC-{rng.randrange(10**5, 10**6)}",
                )
            ),
            "MRN",
        ),
        "member": (member, "HEALTH_PLAN"),
        "group": (f"G{rng.randrange(10000, 99999)}", None),
        "acct": (
            rng.choice(
                (
                    f"CBF-{rng.randrange(1, 99999):05d}",
                    f"{rng.randrange(10**7, 10**9)}",
                    f"A{rng.randrange(10**5, 10**7)}",
                )
            ),
            "ACCOUNT",
        ),
        "license": (
            rng.choice(
                (
                    f"D{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}-{rng.randrange(1000, 9999)}",
                    f"{rng.choice('ABCDEFGHKLMNPRSTW')}{rng.randrange(10**7, 10**8)}",
                )
            ),
            "LICENSE",
        ),
        "cert": (
            f"{rng.randrange(100, 999)}-{rng.randrange(2015, 2026)}-{rng.randrange(100000, 999999)}",
            "LICENSE",
        ),
        "plate": (_plate(rng), "VEHICLE"),
        "vin": (_vin(rng), "VEHICLE"),
        "device_sn": (
            rng.choice(
                (
                    f"PMX{rng.randrange(100000, 999999)}",
                    f"{rng.randrange(10**7, 10**9)}",
                    f"{rng.choice(('ICD', 'IPX', 'CGM'))}-{rng.randrange(1000, 9999)}-{rng.choice('ABCDEFGH')}{rng.randrange(10, 99)}",
                )
            ),
            "DEVICE",
        ),
        "udi": (f"(01){rng.randrange(10**13, 10**14)}(21){rng.randrange(10**5, 10**7)}", "DEVICE"),
        "url": (url, "URL"),
        "ip": (ip, "IP"),
        "bio": (
            rng.choice(
                (
                    f"FP-{rng.randrange(10**5, 10**6)}",
                    f"VP{rng.randrange(10**6, 10**7)}",
                    f"RS-{rng.randrange(1000, 9999)}-{rng.choice('LR')}",
                )
            ),
            "BIOMETRIC",
        ),
        "photo": (
            rng.choice(
                (
                    f"IMG_{rng.randrange(1000, 9999)}.JPG",
                    f"pt_{rng.randrange(10**4, 10**6)}_face.jpg",
                    f"photo-{rng.randrange(10**4, 10**6)}.png",
                )
            ),
            "PHOTO",
        ),
        "other": (
            rng.choice(
                (
                    f"ONC-{visit.year}-{rng.randrange(1000, 9999)}",
                    f"CLM{rng.randrange(10**9, 10**10)}",
                    f"E-{rng.randrange(10000, 99999)}",
                    f"RX{rng.randrange(10**6, 10**7)}",
                )
            ),
            "OTHER_ID",
        ),
        "icd": (rng.choice(ICD), None),
        "icd2": (rng.choice(ICD), None),
        "cpt": (rng.choice(CPT), None),
        "npi": (f"1{rng.randrange(10**8, 10**9)}", None),
        "bp": (f"{rng.randrange(105, 170)}/{rng.randrange(60, 100)}", None),
        "hr": (str(rng.randrange(55, 110)), None),
        "a1c": (f"{rng.randrange(55, 110) / 10:.1f}", None),
        "dose": (str(rng.choice((5, 10, 20, 25, 40, 50, 500, 1000))), None),
        "weight": (str(rng.randrange(45, 130)), None),
        "amount": (f"{rng.randrange(20, 900)}.{rng.randrange(0, 100):02d}", None),
        "minutes": (str(rng.choice((10, 15, 20, 25, 30, 40))), None),
    }
    if profile.extra:  # drawn last, so the older styles' values do not change
        values.update(profile.extra(rng, values))
    return values


# -- tuning templates ---------------------------------------------------------------------------
TUNING_TEMPLATES: dict[str, tuple[str, ...]] = {
    "progress": (
        "PROGRESS NOTE\nPatient: {full}    DOB: {dob}    MRN: {mrn}\nDate of service: {visit}\n"
        "Provider: Dr. {prov}\n\nS: {age} yo presents for f/u of HTN and DM2. Pt reports good "
        "adherence to metformin {dose} mg BID. Lives in {city} with {rel} {rel_name}.\n"
        "O: BP {bp}, HR {hr}, wt {weight} kg. A1c {a1c}% (drawn {earlier}).\n"
        "A/P: {icd} - continue current regimen. Labs ({cpt}) ordered. RTC {later_short}.\n"
        "Call back number on file: {phone}.\nElectronically signed by {prov}, MD on {visit}.",
        "Clinic Visit - {visit}\nName: {lastfirst}\nMRN {mrn} | Acct # {acct}\n"
        "Chief complaint: low back pain x 2 wks after lifting at work ({employer}).\n"
        "HPI: {title} {last} is a {age}-year-old who was seen by Dr. {prov2_last} in {year}. "
        "Denies fever. Wears continuous glucose monitor, serial {device_sn}.\n"
        "Exam: BP {bp}. Lumbar paraspinal tenderness.\nAssessment: {icd}; plan {cpt}.\n"
        "Next appt {later}. Pt prefers email: {email}\n-- {prov}, DO",
        "Pt: {full} (MRN: {mrn})\nDOS {visit}   Age: {age}   Sex: F\n\n"
        "| Test | Result | Date |\n|------|--------|------|\n| A1c | {a1c} | {earlier} |\n"
        "| BP | {bp} | {visit_short} |\n\nPlan discussed with pt and {rel} ({rel_first}), "
        "who can be reached at {phone2}. Device: insulin pump SN {device_sn}.\n"
        "Seen with Dr. {prov_last}. Dx {icd}, {icd2}.",
    ),
    "discharge": (
        "DISCHARGE SUMMARY\nPatient name: {full}\nMedical record number: {mrn}\n"
        "Admission date: {earlier}\nDischarge date: {visit}\nAttending: {prov}, MD\n\n"
        "HOSPITAL COURSE: {age} y/o admitted with CAP ({icd}). Pacemaker model PM-2 "
        "(UDI {udi}) interrogated, normal function.\n"
        "DISPOSITION: home at {street}, {city}, {state} {zip} with {rel} {rel_name}.\n"
        "FOLLOW-UP: PCP Dr. {prov2_last} on {later}; call {phone} with questions.\n"
        "Health plan: member ID {member}, group {group}.",
        "Discharge Summary -- {lastfirst}\nMR#: {mrn}   DOB: {dob}   Adm {earlier} / D/C {visit}\n"
        "Dx: {icd}, {icd2}\nPatient is a {age}-year-old resident of {county} who presented via EMS. "
        "Next of kin: {rel_name} ({rel}), tel {phone2}.\n"
        "Discharge meds reviewed. Implanted defibrillator serial no. {device_sn}.\n"
        "Photo ID on file: {photo}. Dictated by Dr. {prov_last}.",
    ),
    "referral": (
        "{city} Family Medicine\n{street}, {city}, {state} {zip}\nPhone {phone}   Fax {fax}\n\n"
        "{visit}\n\nRE: {full}   DOB {dob}   SSN {ssn}\n\nDear Dr. {prov2_last},\n\n"
        "I am referring {title} {last}, a {age}-year-old with {icd}, for evaluation. "
        "Insurance: Medicare, MBI {member}. Records are available on our portal at {url}.\n\n"
        "Sincerely,\n{prov}, MD",
        "REFERRAL\nTo: Dr. {prov2_last}, Cardiology\nFrom: Dr. {prov}\nDate: {visit}\n"
        "Patient: {full}, {age} y.o.\nAddress: {street} {apt}, {city} {zip}\n"
        "Home phone: {phone}  Fax results to: {fax}\nMember ID: {member}\n"
        "Reason: abnormal ECG ({cpt}) on {earlier}. Please call {rel} {rel_name} "
        "for scheduling at {phone2}.",
    ),
    "billing": (
        "BILLING NOTE {visit}\nAcct: {acct}  Pt: {lastfirst}  DOB: {dob}\n"
        "Payer: Summit Mutual, member {member}, grp {group}\n"
        "Claim {other} denied CARC 197 for DOS {earlier}; resubmitted with auth.\n"
        "Guarantor {rel_name} ({rel}) called from {phone}; SSN on file {ssn}.\n"
        "Balance ${amount}. Statement mailed to {street}, {city}, {state} {zip}.\n-- {prov_last}, billing",
        "Acct # {acct}\nPatient {full} / MRN {mrn}\n"
        "Online payment from IP {ip} on {visit} via {url}.\n"
        "Pt emailed {email} re: balance ${amount}. Member ID {member}.\n"
        "Note: auto accident claim - vehicle plate {plate} (VIN {vin}), driver license {license}.\n"
        "Coded {cpt} / {icd}. Rendering NPI {npi}.",
    ),
    "phone": (
        "TELEPHONE ENCOUNTER {visit} {minutes}:15\nCaller: {rel_name} ({rel} of {full})\n"
        "Call back: {phone}\nMsg: pt {age} y/o c/o dizziness since {visit_short}. "
        "Advised ER if worse. Pt's voiceprint verification ID {bio} confirmed.\n"
        "Routed to Dr. {prov_last}. -- RN",
        "Phone msg {visit}: {title} {last} called about refill of lisinopril {dose} mg. "
        "DOB {dob}. Best # {phone}. Also asked for copy of birth certificate no. {cert} "
        "for school forms. Fingerprint badge {bio} used at kiosk.\nForwarded to {prov}.",
    ),
}

# -- held-out templates (written separately; never used to tune the rules) --------------------
HELDOUT_TEMPLATES: dict[str, tuple[str, ...]] = {
    "progress": (
        "OFFICE VISIT\n============\nSeen today, {visit}, for diabetes follow-up. The patient, "
        "{full}, is {age} years of age and arrives accompanied by her {rel}, {rel_name}. "
        "Chart number {mrn}.\nVitals: BP {bp}; pulse {hr}.\nImpression: {icd}.\n"
        "She was last evaluated by {prov2_last}, NP on {earlier_short}.\nSigned: {prov}",
        "SOAP -- {full} -- encounter {visit}\nS) {age}yo here for cough. Husband {rel_name} "
        "reports fevers. Works as a driver for {employer}.\nO) T 38.1, RR 18, BP {bp}\n"
        "A) {icd2}\nP) CXR; return {later}. Reachable on cell {phone}.\nCGM transmitter {device_sn}.",
    ),
    "discharge": (
        "Hospital discharge record for {lastfirst} (hospital no. {mrn}).\nAdmitted {earlier}, "
        "discharged {visit}. Born {dob}; currently {age}.\nHome address: {street}, {apt}, "
        "{city}, {county}, {state} {zip}.\nEmergency contact: {rel} {rel_name} at {phone}.\n"
        "A facial photograph ({photo}) was added to the chart for identification.\n"
        "Discharging physician: {prov}.",
    ),
    "referral": (
        "Dear colleague,\n\nThank you for seeing {full} (born {dob}), who lives in {city}. "
        "{first} is a {age}-year-old retiree with {icd}. Please send the consult note by fax to "
        "{fax} or secure e-mail to {email}. The patient's Social Security number, needed by your "
        "intake office, is {ssn}, and the health plan ID is {member}.\n\nKind regards,\n{prov}",
    ),
    "billing": (
        "Billing follow-up for account {acct}: statement returned from {street}, {city}. "
        "Insured's ID {member}. Guarantor {rel_name} disputes DOS {visit}. Her driver's licence "
        "{license} was copied at check-in. Patient portal login came from {ip}; "
        "reference number {other}.",
        "Collections memo - {visit}\nDebtor: {lastfirst}, acct {acct}, SSN {ssn}\n"
        "Vehicle on record (parking permit): tag {plate}, VIN {vin}.\nSee {url} for the payment plan.",
    ),
    "phone": (
        "Voicemail received {visit} from {full}, tel. {phone}: needs a letter for "
        "{employer} stating she was seen on {earlier}. Callback after 3 pm. Retina scan "
        "template {bio} re-enrolled. Message taken by {prov_last}.",
    ),
}


# -- development templates: a second tuning set, for rules that generalise -----------------------
DEV_FIRST = (
    "Tobias", "Marguerite", "Cyrus", "Henrietta", "Ignatius", "Louisa", "Raymond", "Philippa",
    "Augustin", "Beatrice", "Caleb", "Dorothea", "Everett", "Felicity", "Gregor", "Harriet",
)  # fmt: skip
DEV_LAST = (
    "Whitfield", "Okonkwo", "Lindgren", "Carrasco", "Demir", "Holloway", "Sato", "Kristiansen",
    "Mahoney", "Pruitt", "Renner", "Szabo", "Talbot", "Varga", "Wexler", "Yoder",
)  # fmt: skip
DEV_PLACES = (
    ("Maple Grove", "Macon County", "62521"), ("Riverbend", "Sangamon County", "62704"),
    ("Oak Hollow", "Peoria County", "61602"), ("Prairie du Lac", "Madison County", "62025"),
)  # fmt: skip
DEV_STREETS = (
    "Elmhurst Avenue",
    "Cottonwood Drive",
    "Briar Patch Lane",
    "Gristmill Road",
    "Sumac Court",
    "Bluff Street",
)
DEV_EMPLOYERS = (
    "Riverbend Tool & Die",
    "Macon County Sheriff's Office",
    "Oak Hollow Nursing Center",
)


def _fmt_date_dev(rng: random.Random, day: dt.date, with_year: bool = True) -> str:
    if not with_year:
        return rng.choice(
            (
                f"{day.month}/{day.day}",
                f"{day:%b} {_ordinal(day.day)}",
                f"the {_ordinal(day.day)} of {day:%B}",
            )
        )
    return rng.choice(
        (
            f"{day:%b} {_ordinal(day.day)}, {day.year}",
            f"{day:%Y/%m/%d}",
            f"{day:%d%b%Y}".upper(),
            f"{day.month}.{day.day}.{day.year}",
            f"{day:%A}, {day:%B} {day.day}, {day.year}",
            f"{day:%m/%d/%Y}",
        )
    )


def _fmt_phone_dev(rng: random.Random) -> str:
    a, b, c = _phone_digits(rng)
    return rng.choice((f"({a}){b}-{c}", f"{a}/{b}-{c}", f"{a} {b}-{c}", f"{a}.{b}.{c}"))


DEV_TEMPLATES: dict[str, tuple[str, ...]] = {
    "progress": (
        "ID: {first} {last} is a {age} y.o. woman seen in clinic on {visit}. Accompanied by grandson "
        "{rel_name}. She still works part time at {employer}. Vitals stable, BP {bp}.\n"
        "A&P: {icd}. Refilled meds. RTC in 3 months, around {later_short}.\n{prov}, PA-C",
        "Follow-up visit\nPatient: {last}, {first}   Chart #: {mrn}\nSeen {visit} by {prov}, MD.\n"
        "{first} reports fatigue since {earlier_short}. Lives alone at {street}, {city}. Her son "
        "{rel_first} checks in daily; his cell is {phone}.\nPlan: CBC ({cpt}). Next visit {later}.",
    ),
    "discharge": (
        "ADMISSION/DISCHARGE RECORD\nName ........ {full}\nMRN ......... {mrn}\n"
        "DOB ......... {dob} (age {age})\nAdmitted .... {earlier}\nDischarged .. {visit}\n"
        "PCP ......... Dr. {prov2_last}\nCourse: {icd} treated with IV abx. Insulin pump (serial "
        "number {device_sn}) managed by pt.\nD/C to home with {rel} {rel_name}; home phone {phone}.",
        "Mr. {last} ({age} years old) was discharged on {visit} to {city}, {state}. Wound photo saved "
        "as {photo}. Social work contacted his {rel}, {rel_name}, at {phone2}. The patient's Medicaid "
        "number is {member}. -- {prov}, NP",
    ),
    "referral": (
        "To whom it may concern:\n{full} (date of birth {dob}) has been under my care since {earlier}. "
        "Please contact our office at {phone} or by fax at {fax}. Address on file: {street}, {apt}, "
        "{city} {zip}.\nRespectfully, {prov}, MD\nLicense #{license}",
    ),
    "billing": (
        "Patient account {acct} -- {lastfirst}\nEOB received {visit}. Subscriber ID: {member}. "
        "SSN: {ssn}.\nPatient paid online from {ip} on {later_short}; confirmation {other}. Portal: {url}",
        "Auto claim: patient {full} was the driver of a vehicle with tag # {plate}, VIN: {vin}. "
        "Accident date {earlier}. Adjuster email {email}. Acct {acct}.",
    ),
    "phone": (
        "Call log {visit}: {full} phoned from {phone} asking about results. Verified with DOB {dob} "
        "and voice print ID {bio}. Told to expect a letter. -- {prov_last}",
        "Message for Dr. {prov_last}: {rel} of patient {full} ({rel_name}) called {visit_short}, "
        "callback {phone2}. Pt is {age} and confused since {earlier_short}. Her fingerprint scan {bio} "
        "was used to open the med cart.",
    ),
}

# -- a second held-out set, written before the rules were generalised on the dev set -----------
HELDOUT2_FIRST = (
    "Ambrose", "Bronwyn", "Cornelius", "Daphne", "Emrys", "Fenella", "Gaspard", "Honora", "Ivo",
    "Jessamy", "Lazarus", "Morwenna", "Octavian", "Petronella", "Quentin", "Rosalie",
)  # fmt: skip
HELDOUT2_LAST = (
    "Abbington", "Blackwood", "Corrigan", "Dunleavy", "Eberhardt", "Fairweather", "Gallagher",
    "Hollister", "Isherwood", "Kavanagh", "Lancaster", "Mulcahy", "Northcott", "Pemberton",
    "Radcliffe", "Sinclair",
)  # fmt: skip
HELDOUT2_PLACES = (
    ("Greystone", "Coles County", "61938"), ("Willow Bend", "Adams County", "62301"),
    ("Copper Ridge", "Knox County", "61401"), ("Elk Prairie", "Vermilion County", "61832"),
)  # fmt: skip
HELDOUT2_STREETS = (
    "Chestnut Hill Rd",
    "Ironwood Blvd",
    "Meadowlark Ln",
    "Harbor View Dr",
    "County Road 1150 N",
)
HELDOUT2_EMPLOYERS = ("Greystone Quarry", "Copper Ridge Public Library", "Adams County Co-op")


def _fmt_date_heldout2(rng: random.Random, day: dt.date, with_year: bool = True) -> str:
    if not with_year:
        return rng.choice(
            (f"{day.month}/{day.day}", f"{day:%B} {day.day}", f"{_ordinal(day.day)} {day:%B}")
        )
    return rng.choice(
        (
            f"{day:%b}. {day.day}, {day.year}",
            f"{day:%m-%d-%y}",
            f"{day:%Y.%m.%d}",
            f"{_ordinal(day.day)} {day:%B} {day.year}",
            f"{day:%B} {day.year}",
            f"{day:%m/%d/%Y}",
        )
    )


def _fmt_phone_heldout2(rng: random.Random) -> str:
    a, b, c = _phone_digits(rng)
    return rng.choice((f"{a}-{b}-{c}", f"({a}) {b} {c}", f"+1 ({a}) {b}-{c}", f"{a}{b}{c}"))


def _heldout2_extra(rng: random.Random, values: dict) -> dict[str, tuple[str, str | None]]:
    return {"pobox": (str(rng.randrange(10, 2000)), "LOCATION")}


HELDOUT2_TEMPLATES: dict[str, tuple[str, ...]] = {
    "progress": (
        "Subjective: {first} {last}, {age}M, c/o knee pain x3d after a fall at {employer}. Wife "
        "{rel_first} at bedside.\nObjective: afebrile, BP {bp}.\nPlan: XR ordered {visit}; f/u with "
        "Dr {prov2_last} {later_short}.\nPt can be texted at {phone}. — {prov}",
        "Encounter date: {visit} | Patient ID {mrn} | {lastfirst}\nPt seen w/ granddaughter "
        "{rel_name} who is POA. Pt states she was born in {city} and moved to {county} in {year}.\n"
        "Assessment: {icd}. — electronically signed {prov}",
    ),
    "discharge": (
        "Summary of stay\n{full}, a {age} year old, stayed from {earlier} until {visit}. He was "
        "brought in by his neighbor {rel_name} (not family). Home: {street}, {city}, {state} {zip}. "
        "Identification: hospital bracelet photo {photo}, biometric palm scan {bio}. Pacemaker S/N "
        "{device_sn}. Attending {prov}.",
    ),
    "referral": (
        "Consult request — Dr. {prov2_last}\nRegarding: {full}; born {dob}; insurance ID {member}; "
        "SSN {ssn}\nReferring clinician: {prov}\nOur fax: {fax}; our email {email}\n"
        "The patient asks that you call {rel} {rel_name} on {phone2}.",
    ),
    "billing": (
        "Refund request {visit}: {lastfirst}, account no. {acct}, overpaid ${amount}. Mail check to "
        "PO Box {pobox}, {city} {zip}. Claim ref {other}. Online statement {url} viewed from {ip}.",
        "Patient {full} presented driver's license {license} and vehicle registration (plate {plate}, "
        "VIN {vin}) for the parking validation on {visit}.",
    ),
    "phone": (
        "Nurse line, {visit}: {full} (DOB {dob}) calling from {phone}. Reports chest tightness since "
        "{earlier_short}. Spouse {rel_name} present. Voice ID {bio} matched. Sent to ED.",
    ),
}


@dataclass(frozen=True)
class _Profile:
    """One style of note: its templates, value lists and formats."""

    templates: dict[str, tuple[str, ...]]
    firsts: tuple[str, ...]
    lasts: tuple[str, ...]
    places: tuple[tuple[str, str, str], ...]
    streets: tuple[str, ...]
    employers: tuple[str, ...]
    date: Callable[..., str]
    phone: Callable[[random.Random], str]
    extra: Callable[[random.Random, dict], dict] | None = None


PROFILES: dict[str, _Profile] = {
    "tuning": _Profile(TUNING_TEMPLATES, TUNING_FIRST, TUNING_LAST, TUNING_PLACES, TUNING_STREETS,
                       TUNING_EMPLOYERS, _fmt_date_tuning, _fmt_phone_tuning),
    "dev": _Profile(DEV_TEMPLATES, DEV_FIRST, DEV_LAST, DEV_PLACES, DEV_STREETS, DEV_EMPLOYERS,
                    _fmt_date_dev, _fmt_phone_dev),
    "heldout": _Profile(HELDOUT_TEMPLATES, HELDOUT_FIRST, HELDOUT_LAST, HELDOUT_PLACES,
                        HELDOUT_STREETS, HELDOUT_EMPLOYERS, _fmt_date_heldout, _fmt_phone_heldout),
    "heldout2": _Profile(HELDOUT2_TEMPLATES, HELDOUT2_FIRST, HELDOUT2_LAST, HELDOUT2_PLACES,
                         HELDOUT2_STREETS, HELDOUT2_EMPLOYERS, _fmt_date_heldout2,
                         _fmt_phone_heldout2, _heldout2_extra),
}  # fmt: skip


def _templates(style: str) -> dict[str, tuple[str, ...]]:
    if style not in PROFILES:
        raise ValueError(f"unknown note style {style!r}; use one of {', '.join(PROFILES)}")
    return PROFILES[style].templates


def generate_note(rng: random.Random, style: str = "tuning", kind: str | None = None) -> dict:
    """One labelled synthetic note of ``style`` (and ``kind``, or a random kind).

    >>> note = generate_note(random.Random(1))
    >>> all(note["text"][s["start"]:s["end"]] == s["text"] for s in note["spans"])
    True
    """
    templates = _templates(style)
    values = _values(rng, style)
    kind = kind or rng.choice(sorted(templates))
    text, spans = fill(rng.choice(templates[kind]), values)
    return {"style": style, "kind": kind, "text": text, "spans": spans}


def generate_notes(n: int, seed: int = 0, style: str = "tuning") -> list[dict]:
    """``n`` labelled notes, deterministic for a seed, the kinds in rotation."""
    kinds = sorted(_templates(style))
    rng = random.Random(f"deid-{style}-{seed}")
    notes = []
    for i in range(n):
        note = generate_note(rng, style, kinds[i % len(kinds)])
        notes.append({"id": f"{style}-{seed}-{i:04d}", **note})
    return notes


def to_jsonl(notes: Iterable[dict]) -> str:
    """The notes as JSON Lines, one note per line, keys sorted (byte-stable)."""
    return "".join(json.dumps(n, sort_keys=True, ensure_ascii=False) + "\n" for n in notes)


def read_jsonl(path: str | Path) -> list[dict]:
    """Read a JSONL file of labelled notes."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


# The committed evaluation sets: file name -> (count, seed, style)
FIXED_SETS: dict[str, tuple[int, int, str]] = {
    "notes.jsonl": (400, 2026, "tuning"),
    "dev.jsonl": (200, 2026, "dev"),
    "heldout.jsonl": (200, 2026, "heldout"),
    "heldout2.jsonl": (200, 2026, "heldout2"),
}


def dataset_dir() -> Path:
    """``datasets/deid/``, where :func:`medbill_lab.datasets.datasets_dir` finds the data
    (a hub's shared copy when ``MEDBILL_LAB_DATASETS`` names one), as the name lists are."""
    return datasets_dir() / "deid"


def fixed_set(name: str = "notes.jsonl") -> list[dict]:
    """A committed labelled set, by file name (see :data:`FIXED_SETS`)."""
    return read_jsonl(dataset_dir() / name)


def write_fixed_sets(folder: str | Path | None = None, say: Callable[[str], None] = print) -> None:
    """(Re)write the committed sets; byte-identical to the committed files."""
    out = Path(folder) if folder else dataset_dir()
    out.mkdir(parents=True, exist_ok=True)
    for name, (n, seed, style) in FIXED_SETS.items():
        (out / name).write_text(to_jsonl(generate_notes(n, seed, style)), encoding="utf-8")
        say(f"wrote {out / name} ({n} {style} notes, seed {seed})")


if __name__ == "__main__":
    write_fixed_sets()
