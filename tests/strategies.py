"""Hypothesis strategies for MedBill Lab tests: random *valid* claims and their parts.

Every claim ``claims()`` draws is one a clean billing office could send: NPIs
carry a correct Luhn check digit, diagnoses are FY2026 billable ICD-10-CM codes
(``icd10cm.load(2026)``), procedures come from ``procedures.cpt()``, pointers
name existing diagnoses, dates of service fall in FY2026.  Free text is made
awkward on purpose (accents, apostrophes, X12 delimiters, control characters,
emoji), because writers and forms must cope with what people type.

Reuse: ``from strategies import claims, npis, awkward_names`` (tests/ is on the
path when pytest runs).
"""

from __future__ import annotations

import datetime as dt
import string
from decimal import Decimal
from functools import cache

from hypothesis import strategies as st

from medbill_lab.claims.model import (
    POINTER_LETTERS,
    Address,
    Claim,
    Organization,
    Payer,
    Person,
    Provider,
    ServiceLine,
)
from medbill_lab.codes import icd10cm, procedures

# Characters people really type into names and addresses, including the X12
# delimiters (* ~ : ^), control characters, accents and emoji.
AWKWARD = "'’-. *~:^\t\n\r\x00\x1féèëñçøØßÆœ🙂Ж漢"
STATES = ("AL", "CA", "IL", "NY", "TX", "WA", "FL", "OH", "MA", "PA")
FILING = ("CI", "MB", "MC", "BL", "HM", "CH")
FY2026 = (dt.date(2025, 10, 1), dt.date(2026, 9, 30))


def npi_check_digit(first_nine: str) -> str:
    """The Luhn check digit of an NPI, computed over "80840" + its first 9 digits."""
    total = 0
    for i, ch in enumerate(reversed("80840" + first_nine)):
        d = int(ch) * (1 if i % 2 else 2)  # the check digit's neighbour is doubled
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def npis() -> st.SearchStrategy[str]:
    """Valid 10-digit NPIs (first digit 1 or 2, Luhn check digit)."""
    nine = st.tuples(st.sampled_from("12"), st.text(string.digits, min_size=8, max_size=8))
    return nine.map(lambda t: t[0] + t[1]).map(lambda n: n + npi_check_digit(n))


@cache
def _billable_icd10() -> list[str]:
    codes = icd10cm.load(2026)
    return [code for i, code in enumerate(codes.codes) if codes.billable_at(i)]


def icd10_codes() -> st.SearchStrategy[str]:
    """FY2026 billable ICD-10-CM codes, dotted (E11.9)."""
    return st.sampled_from(_billable_icd10())


def cpt_codes() -> st.SearchStrategy[str]:
    """CPT codes from the teaching set."""
    return st.sampled_from(sorted(procedures.cpt()))


def modifier_codes() -> st.SearchStrategy[str]:
    """Two-character modifiers from the modifier list."""
    return st.sampled_from(sorted(m for m in procedures.modifiers() if len(m) == 2))


def awkward_names(max_size: int = 12) -> st.SearchStrategy[str]:
    """A name with at least one plain letter, then awkward characters mixed in."""
    core = st.text(string.ascii_letters, min_size=1, max_size=max_size)
    junk = st.text(AWKWARD + string.ascii_letters, max_size=6)
    return st.tuples(core, junk, core).map(lambda t: t[0] + t[1] + t[2])


def identifiers(min_size: int = 1, max_size: int = 20) -> st.SearchStrategy[str]:
    """Account numbers, member IDs, payer IDs: letters, digits, then maybe '-'."""
    head = st.text(string.ascii_uppercase + string.digits, min_size=min_size, max_size=max_size)
    tail = st.sampled_from(["", "-01", "-A"])
    return st.tuples(head, tail).map("".join)


def addresses() -> st.SearchStrategy[Address]:
    """US addresses with awkward street and city text and a 10-digit phone."""
    return st.builds(
        Address,
        street=st.tuples(st.integers(1, 99999), awkward_names()).map(lambda t: f"{t[0]} {t[1]}"),
        city=awkward_names(),
        state=st.sampled_from(STATES),
        zip=st.one_of(
            st.text(string.digits, min_size=5, max_size=5),
            st.text(string.digits, min_size=9, max_size=9),
        ),
        phone=st.text(string.digits, min_size=10, max_size=10).filter(lambda p: p[0] != "0"),
    )


def people(adult: bool = True) -> st.SearchStrategy[Person]:
    """Patients and insureds with awkward names, a date of birth and an address."""
    born = (
        (dt.date(1930, 1, 1), dt.date(2000, 1, 1))
        if adult
        else (dt.date(2008, 1, 1), dt.date(2025, 1, 1))
    )
    return st.builds(
        Person,
        last=awkward_names(),
        first=awkward_names(),
        middle=st.sampled_from(["", "A", "J", "Ñ"]),
        dob=st.dates(*born),
        sex=st.sampled_from("MFU"),
        address=addresses(),
    )


def providers(qualifier: str = "DN") -> st.SearchStrategy[Provider]:
    """People who refer or render care, with valid NPIs."""
    return st.builds(
        Provider,
        last=awkward_names(),
        first=awkward_names(),
        npi=npis(),
        qualifier=st.just(qualifier),
    )


def organizations() -> st.SearchStrategy[Organization]:
    """Billing providers and service facilities with valid NPIs (some with a taxonomy)."""
    return st.builds(
        Organization,
        name=awkward_names(20),
        npi=npis(),
        address=addresses(),
        taxonomy=st.sampled_from(["", "207Q00000X", "208D00000X", "261QU0200X"]),
    )


def periods() -> st.SearchStrategy[tuple[dt.date, dt.date]]:
    """(from, to) date pairs in FY2026, for items 16 and 18."""
    start = st.dates(*FY2026)
    return st.tuples(start, st.integers(0, 30)).map(
        lambda t: (t[0], t[0] + dt.timedelta(days=t[1]))
    )


def money(low: str = "0.01", high: str = "9999.99") -> st.SearchStrategy[Decimal]:
    """Amounts in cents."""
    return st.decimals(Decimal(low), Decimal(high), places=2)


@st.composite
def service_lines(draw: st.DrawFn, diagnoses: int) -> ServiceLine:
    """One service line whose pointers name some of ``diagnoses`` diagnoses."""
    start = draw(st.dates(*FY2026))
    span = draw(st.sampled_from([0, 0, 0, 1, 3]))
    letters = POINTER_LETTERS[:diagnoses]
    return ServiceLine(
        date_from=start,
        date_to=start + dt.timedelta(days=span) if span else None,
        code=draw(cpt_codes()),
        charge=draw(money()),
        pointers=draw(st.lists(st.sampled_from(letters), min_size=1, max_size=4, unique=True)),
        modifiers=draw(st.lists(modifier_codes(), max_size=4, unique=True)),
        units=Decimal(draw(st.integers(1, 12))),
        place_of_service=draw(st.sampled_from(["", "", "11", "22"])),
        emergency=draw(st.booleans()),
    )


@st.composite
def claims(draw: st.DrawFn) -> Claim:
    """A random valid CMS-1500 claim."""
    relationship = draw(st.sampled_from(["self", "self", "spouse", "child", "other"]))
    dx = draw(st.lists(icd10_codes(), min_size=1, max_size=12, unique=True))
    resubmission = draw(st.sampled_from(["", "", "7", "8"]))
    billing = draw(organizations())
    rendering = draw(st.one_of(st.none(), providers("DN")))
    # Items 10a-c: the 837P carries at most two related causes.
    causes = draw(st.lists(st.booleans(), min_size=3, max_size=3).filter(lambda c: sum(c) <= 2))
    return Claim(
        program="group",
        insured_id=draw(identifiers(5, 20)),
        patient=draw(people(adult=relationship != "child")),
        payer=Payer(
            draw(awkward_names(20)), draw(identifiers(5, 10)), draw(st.sampled_from(FILING))
        ),
        relationship=relationship,
        insured=None if relationship == "self" else draw(people()),
        insured_group=draw(st.one_of(st.just(""), identifiers(3, 10))),
        plan_name=draw(st.one_of(st.just(""), awkward_names())),
        onset_date=draw(st.one_of(st.none(), st.dates(dt.date(2025, 1, 1), FY2026[0]))),
        referring_provider=draw(st.one_of(st.none(), *map(providers, ("DN", "DK", "DQ")))),
        employment_related=causes[0],
        auto_accident_state=draw(st.sampled_from(STATES)) if causes[1] else "",
        other_accident=causes[2],
        unable_to_work=draw(st.one_of(st.none(), periods())),
        hospitalized=draw(st.one_of(st.none(), periods())),
        diagnoses=dx,
        resubmission_code=resubmission,
        original_reference=draw(identifiers(5, 15)) if resubmission else "",
        prior_authorization=draw(st.one_of(st.just(""), identifiers(4, 12))),
        place_of_service=draw(st.sampled_from(["11", "11", "02", "12"])),
        lines=draw(st.lists(service_lines(len(dx)), min_size=1, max_size=6)),
        tax_id=draw(st.text(string.digits, min_size=9, max_size=9)),
        tax_id_type=draw(st.sampled_from(["EIN", "SSN"])),
        patient_account=draw(identifiers(1, 20)),
        accept_assignment=draw(st.booleans()),
        insured_signature_on_file=draw(st.booleans()),
        patient_signature_on_file=draw(st.booleans()),
        additional_info=draw(st.one_of(st.just(""), awkward_names(30))),
        amount_paid=draw(st.one_of(st.just(Decimal(0)), money("1", "50"))),
        service_facility=draw(st.one_of(st.none(), organizations())),
        billing_provider=billing,
        rendering_provider=rendering,
    )
