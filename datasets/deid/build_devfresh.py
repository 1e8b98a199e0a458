"""Write ``devfresh.jsonl``: labelled notes in styles no earlier set has (a development set).

Written by the helper who generalised the de-identifier in round 3, AFTER reading the
misses of heldout3 and heldout4, to check that the rules hold on other layouts: it is a
development set, not a held-out one (the rules' author wrote it). Every name, street, town,
employer and number comes from the lists below and seeded random numbers; none is taken
from another set. Offsets come from markers, never counted by hand.

    python datasets/deid/build_devfresh.py      # rewrites devfresh.jsonl byte for byte
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

SEED = 5505
N_PER_KIND = 10
OUT = Path(__file__).with_name("devfresh.jsonl")

FIRST = ["Harold", "Margaret", "Eilidh", "Tomasz", "Nkechi", "Ravindra", "Solange", "Bartholomew", "Ingeborg", "Yusuf", "Catalina", "Dmitri", "Aroha", "Kofi", "Lucinda", "Matthias", "Oyelaran", "Perpetua", "Quentin", "Wanjiru"]  # fmt: skip
NICK = {"Robert": "Bobby", "Elizabeth": "Liz", "Margaret": "Peggy", "William": "Billy", "Katherine": "Kit", "Theodore": "Teddy", "Josephine": "Jo", "Alexander": "Sasha"}  # fmt: skip
LAST = ["Brandt", "Ní Bhriain", "van Houten", "de Souza", "O'Rourke", "McAllister", "Okoro-Bello", "Szymańska", "Fairweather", "Lindqvist", "Abernethy", "Tshabalala", "Delacroix", "Ferreira", "Whitcombe", "Haugland", "Nakashima", "Ogunleye", "Castellanos", "Vukovic"]  # fmt: skip
TOWNS = ["Marrowfield", "Quenby Falls", "Ostrander Bluff", "Lake Tamsin", "Port Gilroy", "Hazelden Crossing", "Wickersham", "Fort Ardley"]  # fmt: skip
STREETS = ["Larkspur Way", "Old Mill Rd", "Tern Hollow Ln", "Briarcliff Ave", "Quarrystone Dr", "Sycamore Bend", "Kettle Run Rd", "Heron Point Ct"]  # fmt: skip
EMPLOYERS = ["Halvorsen Bros. Roofing", "Kestrel Valley Creamery", "Tamsin Lake Boatworks", "Gilroy Precision Castings", "Wickersham Grain Co-op", "Ardley Transit Authority"]  # fmt: skip
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]  # fmt: skip
ORD = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth", "twenty-first", "twenty-second", "twenty-third", "twenty-fourth", "twenty-fifth", "twenty-sixth", "twenty-seventh", "twenty-eighth"]  # fmt: skip
SUFFIX = ["Jr.", "Sr.", "III", "II"]


def _m(cat: str, text: str) -> str:
    """A marked PHI value: replaced by its text, with its span recorded."""
    return f"\x01{cat}\x02{text}\x03"


def _unmark(marked: str) -> tuple[str, list[dict]]:
    out, spans, pos = [], [], 0
    for m in re.finditer(r"\x01(\w+)\x02(.*?)\x03", marked, re.S):
        out.append(marked[pos : m.start()])
        start = sum(map(len, out))
        out.append(m.group(2))
        spans.append({"category": m.group(1), "start": start, "end": start + len(m.group(2)), "text": m.group(2)})  # fmt: skip
        pos = m.end()
    out.append(marked[pos:])
    return "".join(out), spans


class Maker:
    """Random values for one note."""

    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    def digits(self, n: int) -> str:
        return "".join(self.r.choice("0123456789") for _ in range(n))

    def phone(self) -> str:
        a, b, c = self.r.randint(201, 989), self.r.randint(201, 989), self.digits(4)
        return self.r.choice([f"({a}){b}{c}", f"{a}.{b}.{c}", f"+1 {a} {b} {c}", f"{a}-{b}-{c}", f"({a}) {b}-{c}"])  # fmt: skip

    def date_numeric(self, year: int) -> str:
        m, d = self.r.randint(1, 12), self.r.randint(1, 28)
        return self.r.choice([f"{m}/{d}/{year}", f"{year}-{m:02d}-{d:02d}", f"{d:02d}-{MONTHS[m - 1][:3].upper()}-{year}", f"{MONTHS[m - 1][:3]} {d}, {year}"])  # fmt: skip

    def date_words(self, year: int) -> str:
        m, d = self.r.randint(0, 11), self.r.randint(0, 27)
        return self.r.choice([f"the {ORD[d]} of {MONTHS[m]}, {year}", f"{MONTHS[m]} {ORD[d]}", f"the {d + 1}{'st' if d in (0, 20) else 'nd' if d in (1, 21) else 'rd' if d in (2, 22) else 'th'} day of {MONTHS[m]}, {year}"])  # fmt: skip

    def person(self) -> tuple[str, str]:
        return self.r.choice(FIRST), self.r.choice(LAST)


def ltc_note(k: Maker) -> str:
    """A nursing-facility note: resident, nickname, age over 89 between commas."""
    first, nick = k.r.choice(list(NICK.items()))
    last, age = k.r.choice(LAST), k.r.randint(90, 104)
    rel_first, rel_last = k.person()
    return (
        f"LONG-TERM CARE NURSING NOTE  Unit: Birch 2  Room 214-B\n"
        f"Resident: {_m('NAME', f'{last}, {first}')} ({_m('NAME', nick)})  MR# {_m('MRN', 'LT' + k.digits(6))}\n"
        f"{_m('NAME', nick)}, {_m('AGE', str(age))}, was up in the chair for lunch, ate 75%. BP 128/76, HR 71, "
        f"SpO2 95% RA. Pain 2/10. Family: {_m('NAME', f'{rel_first} {rel_last}')} (grandson) visited "
        f"{_m('DATE', k.date_numeric(2026))}; best number {_m('PHONE', k.phone())}.\n"
        f"-- {_m('NAME', 'T.K.')}, LPN"
    )


def hl7_message(k: Maker) -> str:
    """An HL7 v2 ADT message: names LAST^FIRST^M, dates YYYYMMDD, address components."""
    first, last = k.person()
    last_u, first_u = last.upper().replace(" ", " "), first.upper()
    y, mo, d = k.r.randint(1930, 1990), k.r.randint(1, 12), k.r.randint(1, 28)
    town, street = k.r.choice(TOWNS), k.r.choice(STREETS)
    num, zipc, ph = k.r.randint(10, 9999), k.digits(5), k.digits(3) + k.digits(7)
    msg = "MSG" + k.digits(8)
    hl7_name = f"{last_u}^{first_u}^{k.r.choice('ABCDEFG')}"
    return (
        f"Interface error log, ADT^A08 rejected (segment PID):\n"
        f"MSH|^~\\&|REGADT|MBH|BILLING|MBH|{_m('DATE', '20260314' + k.digits(4))}||ADT^A08|{_m('OTHER_ID', msg)}|P|2.5.1\n"
        f"PID|1||{_m('MRN', k.digits(8))}^^^MBH^MR||{_m('NAME', hl7_name)}||"
        f"{_m('DATE', f'{y}{mo:02d}{d:02d}')}|F|||{_m('LOCATION', f'{num} {street.upper()}')}^^{_m('LOCATION', town.upper())}^IL^{_m('LOCATION', zipc)}||"
        f"^PRN^PH^^1^{_m('PHONE', ph[:3])}^{_m('PHONE', ph[3:])}\n"
        f"Error: PID-7 date of birth before 1900? No. Fix the ZIP in PID-11 and resend."
    )


def email_reply(k: Maker) -> str:
    """A billing email reply with a quoted header and a signature."""
    first, nick = k.r.choice(list(NICK.items()))
    last = k.r.choice(LAST)
    staff_first, staff_last = k.person()
    user = f"{nick.lower()}.{re.sub(r'[^a-z]', '', last.lower())}"
    day, mo = k.r.randint(1, 28), k.r.randint(1, 12)
    return (
        f"Thanks, I'll resubmit with modifier 25 today.\n\n"
        f"On Tue, {_m('DATE', f'{MONTHS[mo - 1][:3]} {day}, 2026')} at 10:14 AM, {_m('NAME', f'{nick} {last}')} "
        f"<{_m('EMAIL', user + '@gmail.com')}> wrote:\n"
        f"> Hi, my dad {_m('NAME', f'{first} {last} {k.r.choice(SUFFIX)}')} got a bill for CPT 99214 on "
        f"{_m('DATE', k.date_numeric(2026))}. His member ID is {_m('HEALTH_PLAN', 'XQH' + k.digits(9))}.\n"
        f"> Call me at {_m('PHONE', k.phone())}.\n\n"
        f"{_m('NAME', f'{staff_first} {staff_last}')} | Patient Accounts | Claims 837P desk"
    )


def release_form(k: Maker) -> str:
    """A records-release authorization: dates in words, an employer and its EIN."""
    first, last = k.person()
    emp = k.r.choice(EMPLOYERS)
    ein = f"{k.digits(2)}-{k.digits(7)}"
    return (
        f"AUTHORIZATION TO RELEASE HEALTH INFORMATION\n"
        f"I, {_m('NAME', f'{first} {last}')}, born {_m('DATE', k.date_words(1938))}, authorize release of my "
        f"records of injury (ICD-10-CM S13.4XXA) to my employer, {_m('NAME', emp)} "
        f"(employer tax ID {_m('OTHER_ID', ein)}), for the claim of {_m('DATE', k.date_words(2026))}.\n"
        f"Signed on {_m('DATE', k.date_words(2026))}. Witness: {_m('NAME', ' '.join(k.person()))}."
    )


def telehealth_log(k: Maker) -> str:
    """A telehealth connection log: IPv6 and IPv4 addresses, a session URL, a device."""
    first, last = k.person()
    v6 = ":".join(f"{k.r.randint(0, 65535):x}" for _ in range(3))
    ip6 = k.r.choice([f"2001:db8::{v6}", f"fe80::{v6}:{k.r.randint(1, 65535):x}"])
    ip4 = ".".join(str(k.r.randint(1, 254)) for _ in range(4))
    return (
        f"[video visit] connected 14:02:11 from {_m('IP', ip6)} (fallback {_m('IP', ip4)}); "
        f"link {_m('URL', 'https://visit.example.org/r/' + k.digits(6))}\n"
        f"Pt {_m('NAME', f'{first} {last}')} confirmed DOB {_m('DATE', k.date_numeric(1944))} and location "
        f"{_m('LOCATION', str(k.r.randint(10, 999)) + ' ' + k.r.choice(STREETS))}, {_m('LOCATION', k.r.choice(TOWNS))}. "
        f"CGM transmitter SN {_m('DEVICE', '8G' + k.digits(8))}. HbA1c 7.9. Next visit {_m('DATE', k.date_numeric(2026))}."
    )


def voicemail(k: Maker) -> str:
    """A lower-case voicemail transcript: a nickname, a relative, a date in words."""
    _first, nick = k.r.choice(list(NICK.items()))
    last = k.r.choice(LAST)
    mom = k.r.choice(FIRST)
    return (
        f"voicemail (auto-transcribed): hi this is {_m('NAME', nick.lower())} {_m('NAME', last.lower())} "
        f"calling about my mom {_m('NAME', mom.lower())}, her appointment on {_m('DATE', k.date_words(2026).lower())} "
        f"at the wound clinic. she's {_m('AGE', str(k.r.randint(90, 99)))} and can't do mornings. "
        f"call me back at {_m('PHONE', k.phone())}. thanks bye"
    )


def pharmacy_label(k: Maker) -> str:
    """A pharmacy label transcription: initials, a prescriber with a particle, short dates."""
    first, last = k.person()
    pres_first, pres_last = k.person()
    mo, d = k.r.randint(1, 12), k.r.randint(1, 28)
    return (
        f"RX LABEL (transcribed)  Rx# {_m('OTHER_ID', k.digits(7))}  QTY 30  RF 2\n"
        f"{_m('NAME', f'{last.upper()}, {first.upper()}')}  metformin ER 500 mg, 1 tab PO BID with meals\n"
        f"Prescriber: Dr. {_m('NAME', f'{pres_first[0]}. {pres_last}')}  DEA {_m('LICENSE', 'B' + k.r.choice('ABFM') + k.digits(7))}  "
        f"NPI 1234567893\nFilled {_m('DATE', f'{mo}.{d}.26')}  Discard after {_m('DATE', f'{mo}/{d}/2027')}  "
        f"RPh {_m('NAME', k.r.choice(['J.R.', 'A.M.K.', 'D.L.']))}"
    )


def wc_statement(k: Maker) -> str:
    """A workers' comp injury statement: employer, supervisor, age 89 and under on purpose."""
    first, last = k.person()
    sup_first, sup_last = k.person()
    emp = k.r.choice(EMPLOYERS)
    full = f"{last}, {first} {k.r.choice('ABCDEFGH')}"
    return (
        f"EMPLOYEE STATEMENT OF INJURY\n"
        f"Name: {_m('NAME', full)}   Age: {k.r.randint(22, 89)}   "
        f"Employer: {_m('NAME', emp)}, FEIN {_m('OTHER_ID', k.digits(2) + '-' + k.digits(7))}\n"
        f"I was hurt on {_m('DATE', k.date_numeric(2026))} at about 3 pm lifting a 40 lb box. "
        f"My supervisor {_m('NAME', f'{sup_first} {sup_last}')} saw it. Home: {_m('LOCATION', str(k.r.randint(10, 9999)) + ' ' + k.r.choice(STREETS))}, "
        f"{_m('LOCATION', k.r.choice(TOWNS))}, IL {_m('LOCATION', k.digits(5))}. Claim # {_m('OTHER_ID', 'WC' + k.digits(8))}."
    )


KINDS = {
    "ltc_note": ltc_note,
    "hl7_message": hl7_message,
    "email_reply": email_reply,
    "release_form": release_form,
    "telehealth_log": telehealth_log,
    "voicemail": voicemail,
    "pharmacy_label": pharmacy_label,
    "wc_statement": wc_statement,
}


def build() -> list[dict]:
    """The notes, in order, with their spans."""
    rng = random.Random(SEED)
    k, notes = Maker(rng), []
    for kind, make in KINDS.items():
        for _ in range(N_PER_KIND):
            text, spans = _unmark(make(k))
            for s in spans:
                assert text[s["start"] : s["end"]] == s["text"] and s["text"] == s["text"].strip()
            nid = f"devfresh-2026-{len(notes):04d}"
            notes.append(
                {"id": nid, "kind": kind, "style": "devfresh", "text": text, "spans": spans}
            )
    return notes


def main() -> None:
    """Write the file."""
    notes = build()
    OUT.write_text("".join(json.dumps(n, sort_keys=True, ensure_ascii=False) + "\n" for n in notes), encoding="utf-8")  # fmt: skip
    print(f"wrote {OUT} ({len(notes)} notes, {sum(len(n['spans']) for n in notes)} spans)")


if __name__ == "__main__":
    main()
