"""The 837P professional claim (ASC X12 005010X222A1): write it, check it, read it back.

A CMS-1500 paper claim becomes an 837P file here.  :func:`to_837p` writes the
file, :func:`validate_837p` runs pyx12 (the real validator) against the
005010X222A1 map and keeps its 999 acknowledgement, :func:`parse_837p` reads
the claims back, and :func:`trace` turns every pyx12 error into the claim and
the CMS-1500 item a biller has to fix.

File layout (one rule, always the same):

* one interchange (ISA/IEA) holding one functional group (GS/GE, ``HC``);
* one transaction set (ST/SE) per batch of up to 5,000 claims (the guide's
  recommended maximum), so an ordinary file has exactly one ST;
* inside it, a billing provider loop 2000A each time the billing provider
  changes from the previous claim (claims keep their order), then one
  subscriber loop 2000B per claim, a patient loop 2000C when the patient is not
  the subscriber, and the claim (2300) with its lines (2400);
* segments end with ``~`` and no line breaks; ISA is exactly 106 characters.

Text safety (the project's one text rule, :func:`medbill_lab.claims.text.x12_text`):
free text (names, addresses, notes) is written in upper case from the X12 basic
character set: accents are stripped (NFKD, so
"Zoë" becomes ``ZOE``), typographic apostrophes become ``'``, and every other
character, including the delimiters ``* ~ : ^``, control characters and
anything still not ASCII, becomes a space; runs of spaces collapse, and text is
cut to the element's maximum length.  Identifiers and codes (NPIs, member IDs,
account numbers, CPT/HCPCS, ICD-10-CM, modifiers) are never altered beyond
trimming and upper-casing codes: one that holds a delimiter or any other
character it may not have is rejected with a :class:`ClaimError` naming the
CMS-1500 item, because changing it would change its meaning.

>>> x12_text("O'Brien*~Jr"), x12_text("Zoë  Ávila")
("O'BRIEN JR", 'ZOE AVILA')
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from medbill_lab.claims import items as cms1500_items
from medbill_lab.claims.model import (
    FILING_INDICATORS,
    MAX_DIAGNOSES,
    MAX_LINES,
    MAX_MODIFIERS,
    MAX_POINTERS,
    POINTER_LETTERS,
    RELATIONSHIPS,
    Address,
    Claim,
    ClaimError,
    Organization,
    Payer,
    Person,
    Provider,
    ServiceLine,
)
from medbill_lab.claims.text import x12_text
from medbill_lab.codes.icd10cm import CODE_PATTERN
from medbill_lab.payer.remittance import Adjustment
from medbill_lab.x12 import core
from medbill_lab.x12.claim837 import (
    TRAINING_PHONE as TRAINING_PHONE,  # re-exported: 837I and callers read it here
)
from medbill_lab.x12.claim837 import (
    FieldChecks,
    Parts,
    digits,
    envelope_ids,
    interchange,
    submitter,
    write_atomically,
)
from medbill_lab.x12.core import Validation, X12Error

VERSION = "005010X222A1"
MAX_CLAIMS_PER_ST = 5000

# Item 6 -> PAT01 (2000C) individual relationship code; "self" has no 2000C.
PATIENT_RELATIONSHIP = {"spouse": "01", "child": "19", "other": "G8"}
FREQUENCIES = {"": "1", "1": "1", "7": "7", "8": "8"}  # item 22 -> CLM05-3

_ICD = re.compile(CODE_PATTERN)
_PROCEDURE = re.compile(r"[A-Z0-9]{5}")
_MODIFIER = re.compile(r"[A-Z0-9]{2}")
_POS = re.compile(r"\d{2}")
_TAXONOMY = re.compile(r"[0-9A-Z]{9}X")


# -- one claim ---------------------------------------------------------------------
@dataclass(frozen=True)
class PriorLine:
    """One service line as the prior payer paid it (loop 2430: SVD, CAS, DTP*573)."""

    paid: Decimal
    adjustments: Sequence[Adjustment] = ()


@dataclass(frozen=True)
class PriorPayer:
    """What a secondary claim tells its payer about the primary's payment.

    Written as loop 2320 (the other subscriber's SBR, claim-level CAS, AMT*D
    paid, OI), 2330A (the other subscriber), 2330B (the other payer) and, per
    service line in order, 2430 (SVD paid, CAS, DTP*573 adjudication date).
    ``relationship`` is the patient's to the other subscriber (item 6 words).
    """

    payer: Payer
    member_id: str
    subscriber: Person
    relationship: str
    group_number: str
    plan_name: str
    paid: Decimal
    adjudicated_on: dt.date
    claim_adjustments: Sequence[Adjustment] = ()
    lines: Sequence[PriorLine] = ()


def _cas_segments(adjustments: Sequence[Adjustment]) -> list[str]:
    """CAS segments: one per group code, at most six reason/amount pairs each."""
    out: list[str] = []
    for group in dict.fromkeys(a.group for a in adjustments):
        triples = [a for a in adjustments if a.group == group]
        for start in range(0, len(triples), 6):
            pairs = [(a.carc, core.amount(a.amount), "") for a in triples[start : start + 6]]
            flat = [x for triple in pairs for x in triple]
            out.append(core.segment("CAS", group, *flat[:-1]))
    return out


class _ClaimWriter(FieldChecks):
    """Builds one claim's segments, collecting every problem (by CMS-1500 item) before failing."""

    where = "item"

    def __init__(self, claim: Claim, index: int, prior: PriorPayer | None = None) -> None:
        self.claim = claim
        self.prior = prior
        account = claim.patient_account if isinstance(claim.patient_account, str) else ""
        super().__init__(
            f"claim {index + 1}" + (f" ({account.strip()})" if account.strip() else "")
        )

    # ---- shared pieces ----
    def person_name(self, qualifier: str, person: Person | Provider, item: str) -> list[str]:
        last = self.text(person.last, item, "last name", 60)
        first = self.text(person.first, item, "first name", 35, required=False)
        middle = self.text(getattr(person, "middle", ""), item, "middle name", 25, required=False)
        return [qualifier, "1", last, first, middle]

    def address(self, address: Address | None, item: str) -> list[str]:
        if address is None:
            self.problem(item, "address is required")
            return []
        return [
            core.segment("N3", self.text(address.street, item, "street", 55)),
            core.segment(
                "N4",
                self.text(address.city, item, "city", 30),
                self.state(address.state, item),
                self.zip_code(address.zip, item),
            ),
        ]

    def demographics(self, person: Person, item: str) -> str:
        sex = (person.sex or "U").strip().upper()
        if sex not in ("M", "F", "U"):
            sex = self.problem(item, f"sex {person.sex!r} must be M, F or U")
        return core.segment("DMG", "D8", self.date(person.dob, item), sex)

    def provider_nm1(self, qualifier: str, provider: Provider, item: str, npi_item: str) -> str:
        entity = "1" if provider.first.strip() else "2"
        name = self.person_name(qualifier, provider, item)
        name[1] = entity
        npi = self.npi(provider.npi, npi_item, required=False)
        return core.segment("NM1", *name, "", "", "XX" if npi else "", npi)

    # ---- loops ----
    def billing_provider(self) -> list[str]:
        org = self.claim.billing_provider
        if org is None:
            self.problem("33", "the billing provider is required")
            return []
        segments = []
        if org.taxonomy:
            taxonomy = self.code(org.taxonomy, "33b", "taxonomy", _TAXONOMY)
            segments.append(core.segment("PRV", "BI", "PXC", taxonomy))
        segments.append(self.organization_nm1("85", org, "33", "33a"))
        segments += self.address(org.address, "33")
        segments.append(self.tax_id())
        return segments

    def organization_nm1(self, qualifier: str, org: Organization, item: str, npi_item: str) -> str:
        name = self.text(org.name, item, "name", 60)
        return core.segment(
            "NM1", qualifier, "2", name, "", "", "", "", "XX", self.npi(org.npi, npi_item)
        )

    def tax_id(self) -> str:
        kind = {"EIN": "EI", "SSN": "SY"}.get((self.claim.tax_id_type or "").upper())
        if kind is None:
            kind = self.problem("25", f"tax ID type {self.claim.tax_id_type!r} must be EIN or SSN")
        number = digits(self.claim.tax_id)
        if not re.fullmatch(r"\d{9}", number):
            number = self.problem("25", f"federal tax ID {self.claim.tax_id!r} must be 9 digits")
        return core.segment("REF", kind, number)

    def subscriber_person(self) -> Person | None:
        if self.claim.relationship == "self":
            return self.claim.patient
        if self.claim.insured is None:
            self.problem("4", "the insured is required when the patient is not the insured")
        return self.claim.insured

    def subscriber(self) -> list[str]:
        claim = self.claim
        if claim.relationship not in RELATIONSHIPS:
            self.problem("6", f"relationship {claim.relationship!r} must be one of {RELATIONSHIPS}")
        filing = (claim.payer.filing_indicator or "").strip().upper()
        if filing not in FILING_INDICATORS:
            filing = self.problem("1", f"claim filing indicator {filing!r} is not an SBR09 code")
        group = self.ident(claim.insured_group, "11", "group number") if claim.insured_group else ""
        plan = "" if group else self.text(claim.plan_name, "11c", "plan name", 60, required=False)
        self_code = "18" if claim.relationship == "self" else ""
        sequence = "S" if self.prior is not None else "P"  # SBR01: this payer's turn
        segments = [core.segment("SBR", sequence, self_code, group, plan, "", "", "", "", filing)]
        return segments + self.insured() + self.payer()

    # ---- coordination of benefits (secondary claims) ----
    def other_payer(self) -> list[str]:
        """Loops 2320, 2330A and 2330B: the prior payer and what it paid."""
        prior = self.prior
        if prior is None:
            return []
        filing = (prior.payer.filing_indicator or "").strip().upper()
        if filing not in FILING_INDICATORS:
            filing = self.problem(
                "9d", f"other payer's filing indicator {filing!r} is not an SBR09 code"
            )
        relation = {"self": "18", **PATIENT_RELATIONSHIP}.get(prior.relationship)
        if relation is None:
            relation = self.problem(
                "9", f"relationship {prior.relationship!r} to the other insured"
            )
        group = (
            self.ident(prior.group_number, "9a", "other group number") if prior.group_number else ""
        )
        plan = (
            "" if group else self.text(prior.plan_name, "9d", "other plan name", 60, required=False)
        )
        member = self.ident(prior.member_id, "9a", "other insured's ID", 80)
        payer_name = self.text(prior.payer.name, "9d", "other payer name", 60)
        payer_id = self.ident(prior.payer.payer_id, "9d", "other payer ID", 80)
        return [
            core.segment("SBR", "P", relation, group, plan, "", "", "", "", filing),
            *_cas_segments(prior.claim_adjustments),
            core.segment("AMT", "D", self.money(prior.paid, "29")),
            core.segment("OI", "", "", "Y", "", "", "Y"),
            core.segment(
                "NM1", *self.person_name("IL", prior.subscriber, "9"), "", "", "MI", member
            ),
            core.segment("NM1", "PR", "2", payer_name, "", "", "", "", "PI", payer_id),
        ]

    def prior_line(self, number: int, line: ServiceLine) -> list[str]:
        """Loop 2430 for one line: the prior payer's payment and adjustments."""
        prior = self.prior
        if prior is None:
            return []
        if len(prior.lines) != len(self.claim.lines):
            if number == 1:
                self.problem("24", "the prior payer's answer needs one line per service line")
            return []
        paid_line = prior.lines[number - 1]
        procedure = core.composite(
            "HC",
            line.code.strip().upper(),
            *[m.strip().upper() for m in line.modifiers[:MAX_MODIFIERS]],
        )
        paid = self.money(paid_line.paid, f"24F line {number}")
        units = self.units(line.units, f" line {number}")
        return [
            core.segment("SVD", prior.payer.payer_id.strip(), paid, procedure, "", units),
            *_cas_segments(paid_line.adjustments),
            core.segment("DTP", "573", "D8", self.date(prior.adjudicated_on, f"24 line {number}")),
        ]

    def insured(self) -> list[str]:
        person = self.subscriber_person()
        if person is None:
            return []
        is_patient = self.claim.relationship == "self"
        member = self.ident(self.claim.insured_id, "1a", "insured's ID", 80)
        name = self.person_name("IL", person, "2" if is_patient else "4")
        segments = [core.segment("NM1", *name, "", "", "MI", member)]
        if is_patient or person.address is not None:
            segments += self.address(person.address, "5" if is_patient else "7")
        if is_patient or person.dob is not None:
            segments.append(self.demographics(person, "3" if is_patient else "11a"))
        return segments

    def payer(self) -> list[str]:
        payer = self.claim.payer
        name = self.text(payer.name, "carrier", "payer name", 60)
        payer_id = self.ident(payer.payer_id, "carrier", "payer ID", 80)
        segments = [core.segment("NM1", "PR", "2", name, "", "", "", "", "PI", payer_id)]
        if payer.address is not None:
            segments += self.address(payer.address, "carrier")
        return segments

    def patient(self) -> list[str]:
        claim = self.claim
        code = PATIENT_RELATIONSHIP.get(claim.relationship)
        if code is None:
            return []
        return [
            core.segment("PAT", code),
            core.segment("NM1", *self.person_name("QC", claim.patient, "2")),
            *self.address(claim.patient.address, "5"),
            self.demographics(claim.patient, "3"),
        ]

    def clm(self) -> str:
        claim = self.claim
        account = self.ident(claim.patient_account, "26", "patient account number", 38)
        total = claim.line_total() if claim.total_charge is None else claim.total_charge
        place = self.code(claim.place_of_service, "24B", "place of service", _POS)
        frequency = FREQUENCIES.get((claim.resubmission_code or "").strip())
        if frequency is None:
            frequency = self.problem("22", f"resubmission code {claim.resubmission_code!r}")
        return core.segment(
            "CLM",
            account,
            self.money(total, "28"),
            "",
            "",
            core.composite(place, "B", frequency),
            "Y",  # item 31: the provider's signature is on file
            "A" if claim.accept_assignment else "C",  # item 27
            "Y" if claim.insured_signature_on_file else "N",  # item 13
            "Y" if claim.patient_signature_on_file else "I",  # item 12
            "",
            self.related_causes(),
        )

    def related_causes(self) -> str:
        claim = self.claim
        causes = [
            code
            for code, flag in (
                ("EM", claim.employment_related),  # 10a
                ("AA", bool(claim.auto_accident_state)),  # 10b
                ("OA", claim.other_accident),  # 10c
            )
            if flag
        ]
        if len(causes) > 2:
            self.problem("10", "the 837P carries at most two related causes")
            causes = causes[:2]
        if not causes:
            return ""
        state = self.state(claim.auto_accident_state, "10b") if "AA" in causes else ""
        return core.composite(causes[0], causes[1] if len(causes) > 1 else "", "", state)

    def claim_dates(self) -> list[str]:
        claim = self.claim
        segments = []
        if claim.onset_date:
            segments.append(core.segment("DTP", "431", "D8", self.date(claim.onset_date, "14")))
        if claim.unable_to_work:
            start, end = claim.unable_to_work
            span = f"{self.date(start, '16')}-{self.date(end, '16')}"
            segments.append(core.segment("DTP", "314", "RD8", span))
        if claim.hospitalized:
            admitted, discharged = claim.hospitalized
            segments.append(core.segment("DTP", "435", "D8", self.date(admitted, "18")))
            segments.append(core.segment("DTP", "096", "D8", self.date(discharged, "18")))
        return segments

    def claim_references(self) -> list[str]:
        claim = self.claim
        segments = []
        if claim.amount_paid:
            segments.append(core.segment("AMT", "F5", self.money(claim.amount_paid, "29")))
        if claim.prior_authorization:
            auth = self.ident(claim.prior_authorization, "23", "prior authorization number")
            segments.append(core.segment("REF", "G1", auth))
        if (claim.resubmission_code or "").strip() in ("7", "8"):
            original = self.ident(claim.original_reference, "22", "original reference number")
            segments.append(core.segment("REF", "F8", original))
        if claim.additional_info.strip():
            segments.append(
                core.segment("NTE", "ADD", self.text(claim.additional_info, "19", "note", 80))
            )
        return segments

    def diagnoses(self) -> str:
        codes = self.claim.diagnoses
        if not codes:
            self.problem("21", "at least one diagnosis is required")
        if len(codes) > MAX_DIAGNOSES:
            self.problem("21", f"{len(codes)} diagnoses; the 837P carries {MAX_DIAGNOSES}")
        if self.claim.icd_indicator != "0":
            self.problem("21", f"ICD indicator {self.claim.icd_indicator!r}: only 0 (ICD-10)")
        elements = []
        for i, code in enumerate(codes[:MAX_DIAGNOSES]):
            letter = POINTER_LETTERS[i]
            value = self.code(str(code).replace(".", ""), f"21{letter}", "ICD-10-CM code", _ICD)
            elements.append(core.composite("ABK" if i == 0 else "ABF", value))
        return core.segment("HI", *elements)

    def claim_providers(self) -> list[str]:
        claim = self.claim
        segments = []
        referring = claim.referring_provider
        if referring is not None and referring.qualifier in ("DN", "P3"):
            segments.append(self.provider_nm1(referring.qualifier, referring, "17", "17b"))
        rendering = claim.rendering_provider
        if rendering is not None and rendering.npi.strip() != self.billing_npi():
            segments.append(self.provider_nm1("82", rendering, "24J", "24J"))
        if claim.service_facility is not None:
            facility = claim.service_facility
            segments.append(self.organization_nm1("77", facility, "32", "32a"))
            segments += self.address(facility.address, "32")
        if referring is not None and referring.qualifier == "DQ":
            segments.append(self.provider_nm1("DQ", referring, "17", "17b"))
        if referring is not None and referring.qualifier not in ("DN", "P3", "DQ", "DK"):
            self.problem("17", f"qualifier {referring.qualifier!r} must be DN, DK or DQ")
        return segments

    def billing_npi(self) -> str:
        org = self.claim.billing_provider
        return org.npi.strip() if org else ""

    def claim_rendering_npi(self) -> str:
        rendering = self.claim.rendering_provider
        return rendering.npi.strip() if rendering else self.billing_npi()

    def claim_loop(self) -> list[str]:
        claim = self.claim
        segments = [self.clm(), *self.claim_dates(), *self.claim_references(), self.diagnoses()]
        segments += self.claim_providers()
        segments += self.other_payer()
        if not claim.lines:
            self.problem("24", "at least one service line is required")
        if len(claim.lines) > MAX_LINES:
            self.problem("24", f"{len(claim.lines)} lines; the 837P carries {MAX_LINES}")
        for number, line in enumerate(claim.lines[:MAX_LINES], start=1):
            segments += self.service_line(number, line)
        return segments

    def service_line(self, number: int, line: ServiceLine) -> list[str]:
        where = f" line {number}"
        code = self.code(line.code, f"24D{where}", "procedure", _PROCEDURE)
        if len(line.modifiers) > MAX_MODIFIERS:
            self.problem(f"24D{where}", f"at most {MAX_MODIFIERS} modifiers")
        mods = [
            self.code(m, f"24D{where}", "modifier", _MODIFIER)
            for m in line.modifiers[:MAX_MODIFIERS]
        ]
        place = line.place_of_service.strip()
        if place:
            place = self.code(place, f"24B{where}", "place of service", _POS)
        if place == self.claim.place_of_service.strip():
            place = ""  # SV105 only when it differs from CLM05-1
        units = self.units(line.units, where)
        sv1 = core.segment(
            "SV1",
            core.composite("HC", code, *mods),
            self.money(line.charge, f"24F{where}"),
            "UN",
            units,
            place,
            "",
            self.pointers(line.pointers, where),
            "",
            "Y" if line.emergency else "",  # 24C
            "",
            "Y" if line.epsdt.strip() else "",  # 24H
        )
        return [
            core.segment("LX", number),
            sv1,
            self.service_date(line, where),
            *self.line_providers(line, where),
            *self.prior_line(number, line),
        ]

    def units(self, value: object, where: str) -> str:
        try:
            units = Decimal(value)  # type: ignore[arg-type]
        except (InvalidOperation, TypeError, ValueError):
            return self.problem(f"24G{where}", f"units {value!r} is not a number")
        if not units.is_finite() or units <= 0 or units >= Decimal("1e8"):
            return self.problem(f"24G{where}", f"units {value!r} must be more than 0")
        return core.quantity(units)

    def pointers(self, letters: Sequence[str], where: str) -> str:
        if not 1 <= len(letters) <= MAX_POINTERS:
            self.problem(
                f"24E{where}",
                f"{len(letters)} diagnosis pointers; a line needs 1 to {MAX_POINTERS}",
            )
        numbers = []
        for letter in letters[:MAX_POINTERS]:
            key = str(letter).strip().upper()
            if len(key) != 1 or key not in POINTER_LETTERS:
                self.problem(f"24E{where}", f"pointer {letter!r} must be a letter A-L")
                continue
            numbers.append(str(POINTER_LETTERS.index(key) + 1))
        return core.composite(*numbers)

    def service_date(self, line: ServiceLine, where: str) -> str:
        start = self.date(line.date_from, f"24A{where}")
        if line.date_to is None or line.date_to == line.date_from:
            return core.segment("DTP", "472", "D8", start)
        return core.segment(
            "DTP", "472", "RD8", f"{start}-{self.date(line.date_to, f'24A{where}')}"
        )

    def line_providers(self, line: ServiceLine, where: str) -> list[str]:
        npi = self.npi(line.rendering_npi, f"24J{where}", required=False)
        if npi and npi != self.claim_rendering_npi():
            self.problem(
                f"24J{where}",
                f"rendering NPI {npi} differs from the claim's rendering provider; "
                "the 837P needs that provider's name (loop 2420A): bill the line on its own claim",
            )
        referring = self.claim.referring_provider
        if referring is not None and referring.qualifier == "DK":
            return [self.provider_nm1("DK", referring, "17", "17b")]
        return []

    def build(self) -> Parts:
        parts = Parts(
            provider=self.billing_provider(),
            subscriber=self.subscriber(),
            patient=self.patient(),
            claim=self.claim_loop(),
        )
        return parts


def _claim_parts(
    claim: Claim, index: int, prior: PriorPayer | None = None
) -> tuple[Parts, list[str]]:
    writer = _ClaimWriter(claim, index, prior)
    try:
        return writer.build(), writer.problems
    except (AttributeError, TypeError) as exc:  # a field of the wrong type
        return Parts([], [], [], []), [*writer.problems, f"{writer.label}: {exc}"]


# -- the envelope ------------------------------------------------------------------
def _submitter(claim: Claim, sender: str, receiver: str, phone: str | None) -> list[str]:
    org = claim.billing_provider
    name = x12_text(org.name, 60) if org else sender
    on_file = org.address.phone if org and org.address else ""
    return submitter(name, on_file, sender, receiver, phone)


def to_837p(
    claims: Sequence[Claim],
    *,
    sender_id: str = "MEDBILLLAB",
    receiver_id: str = "CLEARINGHOUSE",
    control_number: int = 1,
    when: dt.datetime | None = None,
    submitter_phone: str | None = None,
    prior_payers: dict[int, PriorPayer] | None = None,
) -> str:
    """Write claims as one 837P (005010X222A1) interchange; the same input and
    ``when`` always give the same text.

    ``prior_payers`` maps a claim's position in ``claims`` to what the primary
    paid: that claim goes as a secondary claim (SBR01 ``S``) with loops
    2320/2330A/2330B and a 2430 per line.

    ISA13, GS06 and BHT03 come from ``control_number``; ST02 counts the
    transaction sets (``0001``...).  The submitter (1000A) is the first claim's
    billing provider; its EDI contact phone (PER) is ``submitter_phone``, else that
    provider's phone, else :data:`TRAINING_PHONE`.  Raises :class:`ClaimError` listing every
    problem (each naming its claim and CMS-1500 item) when a claim cannot be
    written, and ``ValueError`` for a bad envelope argument.
    """
    batch = list(claims)
    if not batch:
        raise ValueError("no claims to write")
    sender, receiver = envelope_ids(sender_id, receiver_id, control_number)
    when = when or dt.datetime.now()
    prior = prior_payers or {}
    built = [_claim_parts(claim, i, prior.get(i)) for i, claim in enumerate(batch)]
    problems = [p for _, found in built for p in found]
    if problems:
        raise ClaimError(problems)
    header = _submitter(batch[0], sender, receiver, submitter_phone)
    parts = [p for p, _ in built]
    return interchange(
        parts, header, (sender, receiver), control_number, when, VERSION, MAX_CLAIMS_PER_ST
    )


# -- reading a file back ------------------------------------------------------------
class _Where(NamedTuple):
    position: int  # 1-based segment number in the file (pyx12's "line")
    elements: list[str]  # elements[0] is the segment ID
    loop: str
    claim: int | None  # 0-based claim index in the file
    line: int | None  # 1-based service line (LX) within the claim


# NM101 entity codes -> loop, for the loops an NM1 opens.
_NM1_LOOPS = {
    "41": "1000A",
    "40": "1000B",
    "85": "2010AA",
    "IL": "2010BA",
    "PR": "2010BB",
    "QC": "2010CA",
    "DN": "2310A",
    "P3": "2310A",
    "77": "2310C",
    "DQ": "2310D",
    "DK": "2420E",
}
# After an SBR inside a claim (loop 2320, the other payer's), an NM1 opens one of the
# other payer's 2330 loops, never 2010BA/2010BB (X222A1 sections 2320-2330G).
_OTHER_PAYER_NM1_LOOPS = {
    "IL": "2330A",
    "PR": "2330B",
    "DN": "2330C",
    "P3": "2330C",
    "82": "2330D",
    "77": "2330E",
    "DQ": "2330F",
    "85": "2330G",
}
# Inside a service line (2400): the line's own provider loops.
_LINE_NM1_LOOPS = {
    "82": "2420A",
    "QB": "2420B",
    "77": "2420C",
    "DQ": "2420D",
    "DK": "2420E",
    "DN": "2420F",
    "P3": "2420F",
}
_HL_LOOPS = {"20": "2000A", "22": "2000B", "23": "2000C"}
_ENVELOPE = {"ISA", "GS", "ST", "SE", "GE", "IEA"}


def _in_other_payer(loop: str) -> bool:
    """Whether ``loop`` is the other payer's claim-level part (2320 or a 2330)."""
    return loop == "2320" or loop.startswith("2330")


def _loop_of(elements: list[str], loop: str, line: int | None) -> str:
    """The loop a segment opens, or the current loop when it opens none.

    >>> _loop_of(["SBR", "P"], "2300", None), _loop_of(["NM1", "IL"], "2320", None)
    ('2320', '2330A')
    >>> _loop_of(["NM1", "PR"], "2330A", None), _loop_of(["NM1", "IL"], "2000B", None)
    ('2330B', '2010BA')
    >>> _loop_of(["SVD", "PAYER1"], "2400", 1), _loop_of(["NM1", "82"], "2400", 1)
    ('2430', '2420A')
    """
    seg_id = elements[0]
    qualifier = elements[1] if len(elements) > 1 else ""
    if seg_id in _ENVELOPE:
        return seg_id
    if seg_id == "HL":
        return _HL_LOOPS.get(elements[3] if len(elements) > 3 else "", loop)
    if seg_id == "SBR" and loop.startswith("23"):
        return "2320"  # an SBR after CLM (2300-2330x) is another payer's; 2000B's precedes CLM
    if seg_id == "SVD" and line:
        return "2430"
    if seg_id == "NM1" and _in_other_payer(loop):
        return _OTHER_PAYER_NM1_LOOPS.get(qualifier, loop)
    if seg_id == "NM1" and line:
        return _LINE_NM1_LOOPS.get(qualifier, loop)
    if seg_id == "NM1" and qualifier == "82":
        return "2310B"
    if seg_id == "NM1":
        return _NM1_LOOPS.get(qualifier, loop)
    return {"BHT": "HEADER", "CLM": "2300", "LX": "2400"}.get(seg_id, loop)


def _locate(text: str) -> list[_Where]:
    """Every segment with the loop, claim and service line it belongs to.

    Each CLM is its own claim, even when several follow one subscriber HL; the HL
    loops (2000A/B/C and their 2010 loops) belong to the claim that follows them.
    The envelopes and the header belong to no claim.
    """
    marks = core.delimiters(text)
    found: list[_Where] = []
    loop, claim, line, opened = "ISA", None, None, 0  # opened: CLMs seen so far
    for position, raw in enumerate(core.segments(text), start=1):
        elements = raw.split(marks.element)
        loop = _loop_of(elements, loop, line)
        if elements[0] == "HL":
            claim, line = opened, None
        elif elements[0] == "CLM":
            claim, line = opened, None
            opened += 1
        elif elements[0] == "LX":
            line = (line or 0) + 1
        elif loop in _ENVELOPE or loop in ("HEADER", "1000A", "1000B"):
            claim, line = None, None
        found.append(_Where(position, elements, loop, claim, line))
    return found


class Row(NamedTuple):
    """One segment of a file, with the loop it belongs to."""

    position: int  # 1-based segment number (pyx12's line)
    loop: str
    claim: int | None  # 0-based claim index, None outside the claims
    line: int | None  # 1-based service line (LX) inside a claim's 2400 loops
    segment: str


def outline(text: str) -> list[Row]:
    """Every segment of an interchange with its loop and claim, for reading a file
    segment by segment.

    >>> outline("ISA*00*" + " " * 10 + "*00*" + " " * 10 + "*ZZ*A" + " " * 14
    ...         + "*ZZ*B" + " " * 14 + "*251105*0930*^*00501*000000001*0*T*:~IEA*1*000000001~")[1]
    Row(position=2, loop='IEA', claim=None, line=None, segment='IEA*1*000000001')
    """
    marks = core.delimiters(text)
    return [
        Row(
            w.position,
            w.loop,
            w.claim,
            w.line if w.loop.startswith("24") else None,
            marks.element.join(w.elements),
        )
        for w in _locate(text)
    ]


def _element(elements: list[str], position: int, component: int = 0, sep: str = ":") -> str:
    value = elements[position] if len(elements) > position else ""
    if component:
        parts = value.split(sep)
        return parts[component - 1] if len(parts) >= component else ""
    return value


def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        return None


def _parse_decimal(value: str) -> Decimal | None:
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


def _name(elements: list[str]) -> dict[str, str]:
    return {
        "last": _element(elements, 3),
        "first": _element(elements, 4),
        "middle": _element(elements, 5),
    }


def dotted(code: str) -> str:
    """A diagnosis code as an 837 HI element carries it (no dot) written with its dot
    after the third character, as the CMS-1500 and the code set show it; a code of
    three characters or fewer has none.

    >>> dotted("E1165"), dotted("I10"), dotted("4019")
    ('E11.65', 'I10', '401.9')
    """
    return f"{code[:3]}.{code[3:]}" if len(code) > 3 else code


def parse_837p(data: bytes | str) -> list[dict]:
    """Read the claims of an 837P back, one dict per claim, in file order.

    The file may be as it arrived or text: it is first put in standard form
    (:func:`medbill_lab.x12.core.standard_form`: a byte-order mark, an ISA with unpadded
    fields, any delimiters, line breaks and several interchanges read as the standard
    file).  A file that is not X12, holds a transaction set other than an 837, holds no
    claim (CLM) or is cut short (an interchange without its IEA) raises ``ValueError``
    with one line naming the segment: a caller that expects claims never gets an empty
    list.

    Keys: ``patient`` and ``subscriber`` (last/first/middle), ``member_id``,
    ``payer_id``, ``relationship`` (PAT01, or ``"18"`` for self), ``account``,
    ``total`` (Decimal), ``place_of_service``, ``frequency``, ``diagnoses``
    (dotted ICD-10-CM), ``prior_authorization``, ``original_reference``,
    ``billing_npi``, ``rendering_npi``, ``referring_npi`` and ``lines``; each
    line has ``code``, ``modifiers``, ``charge``, ``units``, ``place_of_service``,
    ``date_from``, ``date_to`` and ``pointers`` (letters A-L, as on the form).
    ``other_payers`` lists the other payers of a COB claim (loops 2320/2330A/2330B),
    each with ``sequence`` (SBR01), ``member_id``, ``subscriber``, ``payer_id``,
    ``payer_name`` and ``paid`` (AMT*D, Decimal or None): they never replace the
    claim's own subscriber and payer.  Each CLM is its own claim; claims under one
    subscriber HL share its patient, subscriber and payer.

    >>> parse_837p(b"\\xef\\xbb\\xbfISA*00**00**ZZ*A*ZZ*B*260201*0930*^*00501*1*0*T*:~IEA*0*1~")
    Traceback (most recent call last):
    ...
    ValueError: ST: no 837 transaction set (ST*837) in this interchange
    """
    try:
        text = core.standard_form(data)
        marks = core.delimiters(text)
    except ValueError as exc:
        raise ValueError(f"ISA: {exc}") from None
    located = _locate(text)
    _check_837(located)
    claims: list[dict] = []
    billing_npi = ""
    for where in located:
        if where.claim is None:
            continue
        seg_id, qualifier = where.elements[0], _element(where.elements, 1)
        if where.claim >= len(claims):
            same_hl = seg_id == "CLM" and claims  # a further CLM under the same HL
            claims.append(_next_claim(claims[-1]) if same_hl else _new_claim(billing_npi))
        if seg_id == "NM1" and where.loop == "2010AA":
            billing_npi = claims[where.claim]["billing_npi"] = _element(where.elements, 9)
        _read_segment(claims[where.claim], where, seg_id, qualifier, marks.component)
    return claims


def _check_837(located: list[_Where]) -> None:
    """Refuse (one line) what parse_837p cannot read as claims: a transaction set that is
    not an 837, none at all, no CLM, or an interchange cut short (no IEA)."""
    envelopes, sets, claims = core.Envelopes(), 0, 0
    for where in located:
        seg_id = where.elements[0]
        if seg_id in ("ISA", "IEA"):
            envelopes.see(where.elements)
        elif seg_id == "ST":
            if _element(where.elements, 1) != "837":
                raise ValueError(
                    f"ST: transaction set {_element(where.elements, 1)!r} is not an 837"
                )
            sets += 1
        elif seg_id == "CLM":
            claims += 1
    envelopes.finish()
    if not sets:
        raise ValueError("ST: no 837 transaction set (ST*837) in this interchange")
    if not claims:
        raise ValueError("CLM: the 837 holds no claim (no CLM segment in loop 2300)")


# What the HL loops (2000A-2010CA) give a claim, shared by every CLM under them.
_HL_FIELDS = ("patient", "subscriber", "member_id", "payer_id", "relationship", "billing_npi")


def _next_claim(previous: dict) -> dict:
    """A new claim for a further CLM under the previous claim's HL: same parties."""
    claim = _new_claim(previous["billing_npi"])
    claim.update({key: previous[key] for key in _HL_FIELDS})
    return claim


def _new_claim(billing_npi: str) -> dict:
    return {
        "patient": {},
        "subscriber": {},
        "member_id": "",
        "payer_id": "",
        "relationship": "18",
        "account": "",
        "total": None,
        "place_of_service": "",
        "frequency": "",
        "diagnoses": [],
        "prior_authorization": "",
        "original_reference": "",
        "billing_npi": billing_npi,
        "rendering_npi": "",
        "referring_npi": "",
        "lines": [],
        "other_payers": [],
    }


def _read_segment(claim: dict, where: _Where, seg_id: str, qualifier: str, sep: str) -> None:
    elements = where.elements
    if _in_other_payer(where.loop):
        _read_other_payer(claim["other_payers"], where.loop, seg_id, elements)
    elif seg_id == "NM1":
        _read_nm1(claim, where.loop, elements)
    elif seg_id == "PAT":
        claim["relationship"] = qualifier
    elif seg_id == "CLM":
        claim["account"] = qualifier
        claim["total"] = _parse_decimal(_element(elements, 2))
        claim["place_of_service"] = _element(elements, 5, 1, sep)
        claim["frequency"] = _element(elements, 5, 3, sep)
    elif seg_id == "REF" and where.loop == "2300" and qualifier in ("G1", "F8"):
        key = "prior_authorization" if qualifier == "G1" else "original_reference"
        claim[key] = _element(elements, 2)
    elif seg_id == "HI":
        claim["diagnoses"] = [dotted(e.split(sep)[1]) for e in elements[1:] if sep in e]
    elif seg_id == "SV1":
        claim["lines"].append(_read_sv1(elements, sep, claim["place_of_service"]))
    elif seg_id == "DTP" and where.loop == "2400" and qualifier == "472" and claim["lines"]:
        span = _element(elements, 3).split("-")
        claim["lines"][-1]["date_from"] = _parse_date(span[0])
        claim["lines"][-1]["date_to"] = _parse_date(span[-1])


def _read_other_payer(others: list[dict], loop: str, seg_id: str, elements: list[str]) -> None:
    """One segment of loops 2320/2330x: SBR opens another payer, the rest fill it."""
    if seg_id == "SBR" and loop == "2320":
        others.append(
            {
                "sequence": _element(elements, 1),
                "member_id": "",
                "subscriber": {},
                "payer_id": "",
                "payer_name": "",
                "paid": None,
            }
        )
    if not others:
        return
    other = others[-1]
    if seg_id == "AMT" and _element(elements, 1) == "D":
        other["paid"] = _parse_decimal(_element(elements, 2))
    elif seg_id == "NM1" and loop == "2330A":
        other["subscriber"] = _name(elements)
        other["member_id"] = _element(elements, 9)
    elif seg_id == "NM1" and loop == "2330B":
        other["payer_name"] = _element(elements, 3)
        other["payer_id"] = _element(elements, 9)


def _read_nm1(claim: dict, loop: str, elements: list[str]) -> None:
    if loop == "2010BA":
        claim["subscriber"] = _name(elements)
        claim["patient"] = claim["subscriber"]
        claim["member_id"] = _element(elements, 9)
    elif loop == "2010CA":
        claim["patient"] = _name(elements)
    elif loop == "2010BB":
        claim["payer_id"] = _element(elements, 9)
    elif loop == "2310B":
        claim["rendering_npi"] = _element(elements, 9)
    elif loop == "2310A":
        claim["referring_npi"] = _element(elements, 9)


def _read_sv1(elements: list[str], sep: str, claim_place: str) -> dict:
    procedure = _element(elements, 1).split(sep)
    pointers = [p for p in _element(elements, 7).split(sep) if p]
    return {
        "code": procedure[1] if len(procedure) > 1 else "",
        "modifiers": [m for m in procedure[2:6] if m],
        "charge": _parse_decimal(_element(elements, 2)),
        "units": _parse_decimal(_element(elements, 4)),
        "place_of_service": _element(elements, 5) or claim_place,
        "pointers": [
            POINTER_LETTERS[int(p) - 1] if p.isdigit() and 0 < int(p) <= 12 else p for p in pointers
        ],
        "date_from": None,
        "date_to": None,
    }


# -- validation with pyx12 -----------------------------------------------------------
def validate_837p(text: str) -> Validation:
    """pyx12's verdict on an 837P and its 999 (:func:`medbill_lab.x12.core.validate`, which
    takes the map from GS08); the name the lessons, apps and CLI call."""
    return core.validate(text)


# -- CMS-1500 item <-> 837P element ---------------------------------------------------
# Views of the one item table (datasets/claims/cms1500_items.csv, read by
# medbill_lab.claims.items).  Where each CMS-1500 item this writer fills lives in the
# 837P: (loop, segment, element).  A segment written with a qualifier (REF*G1) is the
# one segment with that qualifier; an element range (NM103-NM105) covers every element
# between.
BOX_TO_X12: dict[str, tuple[str, str, str]] = {
    i.id: i.x12 for i in cms1500_items.items().values() if i.x12 is not None
}
# Other places the same items are written (the table above holds the main one).
ALSO_WRITTEN_AT: list[tuple[str, tuple[str, str, str]]] = [
    (i.id, where) for i in cms1500_items.items().values() for where in i.also_written_at
]
# When the patient is the insured, loop 2010BA carries the patient's items.
_SELF_ITEMS = {"4": "2", "7": "5", "11a": "3"}


def _not_written() -> dict[str, str]:
    """Items the model holds that this writer does not put in the 837P, grouped by why."""
    grouped: dict[str, list[str]] = {}
    for i in cms1500_items.items().values():
        if i.not_written:
            grouped.setdefault(i.not_written, []).append(i.id)
    return {", ".join(ids): why for why, ids in grouped.items()}


NOT_WRITTEN: dict[str, str] = _not_written()

# 837P segments no CMS-1500 item carries: the other payer's adjudication (its claim-level
# CAS and amounts in loop 2320 other than AMT*D, which is item 29's "paid by other payers",
# and its line answers in loop 2430) goes on paper as the EOB attached to the claim.
# A key is (loop, segment ID) or, for one element, (loop, element).
_EOB = "no CMS-1500 item: the paper claim attaches the other payer's EOB"
NO_ITEM: dict[tuple[str, str], str] = {
    ("2320", "SBR02"): "no CMS-1500 item: the form does not ask the patient's relationship "
    "to the other insured",
    ("2320", "AMT"): _EOB,
    ("2320", "CAS"): _EOB,
    ("2430", "SVD"): _EOB,
    ("2430", "CAS"): _EOB,
    ("2430", "DTP"): _EOB,
}


def _parse_element(seg_id: str, element: str) -> tuple[int, int]:
    """(position, component) of an element name such as ``SV101-02``."""
    match = re.fullmatch(re.escape(seg_id) + r"(\d{2})(?:-(\d{2}))?", element)
    if not match:
        return (-1, 0)
    return int(match.group(1)), int(match.group(2) or 0)


def _element_score(seg_id: str, wanted: str, element: str) -> tuple[int, int]:
    """How well a table element (maybe a range) covers an error's element, as a
    sortable pair; (0, 0) means not at all.  For a whole-segment error the
    table's earliest element wins (SV101, the procedure, for an SV1 error)."""
    low_text, *high_text = wanted.split("-" + seg_id)
    low, low_component = _parse_element(seg_id, low_text)
    if not element:
        return (1, -low)
    if wanted == element:
        return (4, 0)
    position, component = _parse_element(seg_id, element)
    high = int(high_text[0]) if high_text and high_text[0].isdigit() else low
    if low_component:  # the table names one component: the element itself matches too
        return (3, 0) if position == low and component in (0, low_component) else (0, 0)
    return (2, 0) if low <= position <= high else (0, 0)


def _segment_matches(wanted: str, segment: str) -> bool:
    want_id, _, want_qualifier = wanted.partition("*")
    seg_id, _, qualifier = segment.partition("*")
    if want_id != seg_id:
        return False
    return not want_qualifier or not qualifier or want_qualifier == qualifier


def x12_to_box(
    loop: str, segment: str, element: str = "", *, patient_is_insured: bool = False
) -> str | None:
    """The CMS-1500 item an 837P element carries, or None.

    ``segment`` may carry its qualifier (``REF*G1``); ``element`` may be a
    component (``SV101-02``) or empty for the whole segment.  When the patient is the
    insured, the claim has no loop 2000C and 2010BA carries the patient's own items
    (X222A1 2000C: "used only when the patient is not the subscriber"), so a birth date
    there is item 3, not 11a.

    >>> x12_to_box("2400", "DTP", "DTP03"), x12_to_box("2300", "HI", "HI02-01")
    ('24A', '21')
    >>> x12_to_box("2300", "REF*F8", "REF02"), x12_to_box("2010BA", "NM1", "NM109")
    ('22', '1a')
    >>> x12_to_box("2010BA", "DMG", "DMG02"), x12_to_box("2010BA", "DMG", "DMG02", patient_is_insured=True)
    ('11a', '3')
    """
    best, best_score = None, (0, 0)
    for item, (where, wanted_segment, wanted) in [*BOX_TO_X12.items(), *ALSO_WRITTEN_AT]:
        if where != loop or not _segment_matches(wanted_segment, segment):
            continue
        score = _element_score(segment.partition("*")[0], wanted, element)
        if score > best_score:
            best, best_score = item, score
    if patient_is_insured and loop == "2010BA":
        return _SELF_ITEMS.get(best or "", best)
    return best


def no_item(loop: str, segment: str, element: str = "") -> str:
    """Why no CMS-1500 item carries an 837P element, when :func:`x12_to_box` finds none
    and the reason is known (:data:`NO_ITEM`); ``""`` otherwise.

    >>> no_item("2320", "AMT*F2", "AMT02")
    "no CMS-1500 item: the paper claim attaches the other payer's EOB"
    >>> no_item("2320", "AMT*D", "AMT02"), no_item("2000A", "HL", "HL01")
    ('', '')
    """
    if x12_to_box(loop, segment, element):
        return ""
    return NO_ITEM.get((loop, element), "") or NO_ITEM.get((loop, segment.partition("*")[0]), "")


@dataclass(frozen=True)
class Trace:
    """One pyx12 error traced back to its claim, model field and CMS-1500 item."""

    error: X12Error
    loop: str
    segment_text: str
    claim_index: int | None  # 0-based, in the order claims were given; None = envelope
    account: str  # item 26 of that claim
    line: int | None  # 1-based service line for loop 2400 errors
    item: str | None  # the CMS-1500 item, or None when no item carries it
    field: str  # the claim-model field(s) to fix
    no_item: str = ""  # why no item carries it, when known (see NO_ITEM)

    def __str__(self) -> str:
        who = (
            "envelope"
            if self.claim_index is None
            else (f"claim {self.claim_index + 1} ({self.account})")
        )
        where = f"item {self.item}" if self.item else f"loop {self.loop}"
        if not self.item and self.no_item:
            where += f" ({self.no_item})"
        line = f" line {self.line}" if self.line else ""
        what = self.error.element or self.error.segment
        return f"{who} {where}{line} [{self.loop} {what}]: {self.error.message}"


def trace(validation: Validation, text: str, claims: Sequence[Claim]) -> list[Trace]:
    """Map every pyx12 error of a file written from ``claims`` to the claim, its
    model field and the CMS-1500 item a biller fixes."""
    located = _locate(text)
    return [_trace_one(error, located, claims) for error in validation.errors]


def _field_for(item: str | None, element: str, line: int | None) -> str:
    """The claim-model field behind an item (one diagnosis for an HI element)."""
    match = re.fullmatch(r"HI(\d{2})(-\d{2})?", element)
    if item == "21" and match:
        return f"diagnoses[{int(match.group(1)) - 1}]"
    template = cms1500_items.item(item).field if item else ""
    return template.format(line=(line or 1) - 1) if template else ""


# Segments the item table tells apart by their first element (REF*G1, DTP*431, AMT*D).
_QUALIFIED = ("REF", "DTP", "AMT")


def _trace_one(error: X12Error, located: list[_Where], claims: Sequence[Claim]) -> Trace:
    if not 1 <= error.position <= len(located):
        return Trace(error, "", "", None, "", None, None, "")
    where = located[error.position - 1]
    seg_id = where.elements[0]
    qualified = seg_id in _QUALIFIED and len(where.elements) > 1
    qualifier = where.elements[1] if qualified else ""
    if error.segment and error.segment != seg_id:  # e.g. "SV1 missing", reported at the next
        seg_id, qualifier = error.segment, ""
    segment = f"{seg_id}*{qualifier}" if qualifier else seg_id
    claim = claims[where.claim] if where.claim is not None and where.claim < len(claims) else None
    self_claim = claim is not None and claim.relationship == "self"
    item = x12_to_box(where.loop, segment, error.element, patient_is_insured=self_claim)
    line = where.line if where.loop.startswith("24") else None
    field_name = _field_for(item, error.element, line)
    account = claim.patient_account if claim is not None else ""
    text = "*".join(where.elements)
    reason = "" if item else no_item(where.loop, segment, error.element)
    return Trace(error, where.loop, text, where.claim, account, line, item, field_name, reason)


# -- the command line -----------------------------------------------------------------
@dataclass(frozen=True)
class Written837:
    """What :func:`write_file` did: the file, its size, pyx12's verdict and, when pyx12
    found errors, each traced to its CMS-1500 item (then nothing was written)."""

    output: str
    claims: int
    segments: int
    validation: Validation
    traces: tuple[Trace, ...] = ()

    @property
    def written(self) -> bool:
        """Whether OUT was written (only when pyx12 found no error)."""
        return self.validation.ok


def write_file(files: list[str], output: str) -> Written837:
    """``medbill-lab claim x12 FILE... -o OUT``: load the claims, write one 837P,
    validate it with pyx12 and save OUT only when everything succeeded.

    A claim that does not load or cannot be written raises :class:`ClaimError`
    (the CLI prints it as one line).  When pyx12 reports errors, nothing is
    written and the result carries each error traced to its CMS-1500 item.
    Otherwise OUT is written atomically.
    """
    from medbill_lab.claims import model as claim_files

    batch = [claim_files.load(path) for path in files]
    text = to_837p(batch)
    validation = validate_837p(text)
    count = len(core.segments(text))
    if not validation.ok:
        traces = tuple(trace(validation, text, batch))
        return Written837(output, len(batch), count, validation, traces)
    write_atomically(output, text)
    return Written837(output, len(batch), count, validation)
