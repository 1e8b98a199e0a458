"""The 837I institutional claim (ASC X12 005010X223A2): a UB-04 written as a file.

:func:`to_837i` writes UB-04 claims (:class:`medbill_lab.claims.institutional.InstitutionalClaim`)
as one interchange, :func:`validate_837i` runs pyx12 against its institutional map
(pyx12 files 005010X223A2 under its X223A1 map, the version it knows; the A2 errata
changed no segment it checks), and :func:`write_file` is ``medbill-lab claim x12``
for UB-04 claim files.  Segments are built with :mod:`medbill_lab.x12.core`, the
helpers the 837P writer uses, so a date or an amount is written one way in every file.

File layout (as the 837P's): one interchange, one functional group (``HC``), one
transaction set; a billing provider loop 2000A each time the facility changes,
then per claim a subscriber loop 2000B (and a patient loop 2000C when the patient
is not the insured) holding the claim loop 2300 and its revenue lines 2400.

Where each UB-04 form locator goes (loop, segment):

* FL 1, 5, 56: 2010AA NM1*85, N3, N4, REF*EI; the taxonomy (FL 81 B3) is 2000A PRV*BI.
* FL 3a: CLM01; FL 4: CLM05 (facility type = its 2nd and 3rd digits, qualifier ``A``,
  frequency = its 4th digit); FL 47 total: CLM02; FL 52: CLM09; FL 53: CLM08.
* FL 6: DTP*434 (RD8); FL 12-13: DTP*435 (DT with the hour, else D8); FL 16: DTP*096 (TM);
  FL 14, 15, 17: CL1 (admission type, point of origin, patient status).
* FL 3b: REF*EA; FL 63: REF*G1; FL 64: REF*F8; FL 80: NTE*ADD.
* HI, in the guide's order: FL 67 ``ABK`` (POA in component 9), FL 69 ``ABJ``,
  FL 70 ``APR``, FL 72 ``ABN`` (POA), FL 67A-Q ``ABF`` (POA), FL 74 ``BBR`` and
  FL 74a-e ``BBQ`` (code, D8, date), FL 35-36 ``BI`` (code, RD8, period), FL 31-34
  ``BH`` (code, D8, date), FL 39-41 ``BE`` (code, amount in component 5), FL 18-28 ``BG``.
* FL 76: 2310A NM1*71; FL 77: 2310B NM1*72; FL 78: 2310C NM1*ZZ (other operating
  physician).  FL 79 is not written: the model holds no role qualifier for it, and
  the 837I has no loop for a physician without one.
* FL 50-62: payer A is the payer the file goes to (2000B SBR, 2010BA, 2010BB); payers B
  and C are the other payers (2320 SBR*S/T, AMT*D prior payments, OI, 2330A, 2330B).
* FL 42-48: 2400 LX, SV2 (revenue code, HC:HCPCS:modifiers, charge, UN or DA for
  accommodation days, units, non-covered charge), DTP*472 (FL 45).

An element POA indicator ``1`` (exempt, as the paper form shows it) is left blank in
the 837I: its HI component 9 takes Y, N, U or W only.

Text safety is the project's one rule (:func:`medbill_lab.claims.text.x12_text`): free
text is upper-cased and cleaned; identifiers and codes are never rewritten, and one that
cannot be written as it is raises :class:`ClaimError` naming its form locator.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from medbill_lab.claims.institutional import (
    Coverage,
    Diagnosis,
    Facility,
    InstitutionalClaim,
    Physician,
    Procedure,
    RevenueLine,
)
from medbill_lab.claims.model import Address, ClaimError, Person
from medbill_lab.claims.text import x12_text
from medbill_lab.x12 import core
from medbill_lab.x12.claim837 import (
    FieldChecks,
    Parts,
    digits,
    envelope_ids,
    interchange,
    submitter,
    write_atomically,
)
from medbill_lab.x12.core import Validation

VERSION = "005010X223A2"
MAX_CLAIMS_PER_ST = 5000
HI_PER_SEGMENT = 12  # composites in one HI segment (HI01-HI12)
# HI segments the guide allows per qualifier (loop 2300 repeats)
HI_SEGMENTS = {"ABF": 2, "BBQ": 2, "BI": 2, "BH": 2, "BE": 2, "BG": 2, "ABN": 1, "APR": 1}
POA_837I = ("Y", "N", "U", "W")  # HI component 9; "1" and blank (exempt) leave it empty
SUBSCRIBER_RELATIONSHIPS = ("01", "18", "19", "20", "21", "39", "40", "53", "G8")  # 2320 SBR02
PAYER_SEQUENCE = "PST"  # SBR01 of payers A, B, C

_ICD = re.compile(r"[A-Z][0-9A-Z]{2}[0-9A-Z]{0,4}")
_PCS = re.compile(r"[0-9A-HJ-NP-Z]{7}")
_HCPCS = re.compile(r"[A-Z0-9]{5}")
_MODIFIER = re.compile(r"[A-Z0-9]{2}")
_REVENUE = re.compile(r"\d{4}")
_BILL_TYPE = re.compile(r"0(\d{2})([0-9A-Z])")
_FL_CODE = re.compile(r"[A-Z0-9]{2}")
_HOUR = re.compile(r"[01]\d|2[0-3]")
_TAXONOMY = re.compile(r"[0-9A-Z]{9}X")


def facility_code(type_of_bill: str) -> tuple[str, str]:
    """FL 4 split as CLM05 takes it: (facility type code = the 2nd and 3rd digits,
    claim frequency = the 4th); the leading 0 is not sent.

    >>> facility_code("0111"), facility_code("0131"), facility_code("0137")
    (('11', '1'), ('13', '1'), ('13', '7'))
    """
    found = _BILL_TYPE.fullmatch((type_of_bill or "").strip())
    if not found:
        raise ValueError(
            f"type of bill {type_of_bill!r} must be 0, two digits and a frequency, such as 0111"
        )
    return found.group(1), found.group(2)


def unit_basis(revenue_code: str) -> str:
    """SV204: ``DA`` (days) for accommodation revenue codes 0100-0219, ``UN`` otherwise.

    >>> unit_basis("0120"), unit_basis("0206"), unit_basis("0250")
    ('DA', 'DA', 'UN')
    """
    return "DA" if "0100" <= revenue_code <= "0219" else "UN"


# -- one claim ---------------------------------------------------------------------
class _Writer(FieldChecks):
    """Builds one UB-04 claim's segments, collecting every problem (by form locator)
    before failing."""

    where = "FL"

    def __init__(self, claim: InstitutionalClaim, index: int) -> None:
        self.claim = claim
        account = claim.patient_control_number if isinstance(claim, InstitutionalClaim) else ""
        super().__init__(
            f"claim {index + 1}" + (f" ({account.strip()})" if account.strip() else "")
        )

    # ---- checks only the UB-04 needs ----
    def icd(self, value: str | None, fl: str, what: str) -> str:
        return self.code((value or "").replace(".", ""), fl, what, _ICD)

    def units(self, value: object, fl: str) -> str:
        try:
            units = Decimal(value)  # type: ignore[arg-type]
        except (InvalidOperation, TypeError, ValueError):
            return self.problem(fl, f"units {value!r} is not a number")
        if not units.is_finite() or units <= 0 or units >= Decimal("1e8"):
            return self.problem(fl, f"units {value!r} must be more than 0")
        return core.quantity(units)

    # ---- shared pieces ----
    def address(self, address: Address | None, fl: str) -> list[str]:
        if address is None:
            self.problem(fl, "address is required")
            return []
        state = self.state(address.state, fl)
        zip_code = self.zip_code(address.zip, fl)
        return [
            core.segment("N3", self.text(address.street, fl, "street", 55)),
            core.segment("N4", self.text(address.city, fl, "city", 30), state, zip_code),
        ]

    def person_name(self, qualifier: str, person: Person, fl: str) -> list[str]:
        return [
            qualifier,
            "1",
            self.text(person.last, fl, "last name", 60),
            self.text(person.first, fl, "first name", 35, required=False),
            self.text(person.middle, fl, "middle name", 25, required=False),
        ]

    def demographics(self, person: Person, fl_dob: str, fl_sex: str) -> str:
        sex = (person.sex or "U").strip().upper()
        if sex not in ("M", "F", "U"):
            sex = self.problem(fl_sex, f"sex {person.sex!r} must be M, F or U")
        return core.segment("DMG", "D8", self.date(person.dob, fl_dob), sex)

    def physician(self, qualifier: str, doctor: Physician, fl: str) -> str:
        last = self.text(doctor.last, fl, "physician's last name", 60)
        first = self.text(doctor.first, fl, "physician's first name", 35, required=False)
        return core.segment(
            "NM1", qualifier, "1", last, first, "", "", "", "XX", self.npi(doctor.npi, fl)
        )

    # ---- loops ----
    def billing_provider(self) -> list[str]:
        facility: Facility = self.claim.billing_provider
        segments = []
        if facility.taxonomy:
            taxonomy = self.code(facility.taxonomy, "81", "taxonomy code", _TAXONOMY)
            segments.append(core.segment("PRV", "BI", "PXC", taxonomy))
        name = self.text(facility.name, "1", "facility name", 60)
        npi = self.npi(facility.npi, "56")
        segments.append(core.segment("NM1", "85", "2", name, "", "", "", "", "XX", npi))
        segments += self.address(facility.address, "1")
        if facility.address is not None and len(digits(facility.address.zip)) == 5:
            # X223A2 2010AA N403: the billing provider's ZIP code is the full nine digits
            self.problem(
                "1", f"the facility's ZIP code {facility.address.zip!r} needs its +4 (9 digits)"
            )
        tax_id = digits(facility.tax_id)
        if not re.fullmatch(r"\d{9}", tax_id):
            tax_id = self.problem("5", f"federal tax number {facility.tax_id!r} must be 9 digits")
        segments.append(core.segment("REF", "EI", tax_id))
        return segments

    def filing(self, coverage: Coverage, fl: str) -> str:
        code = (coverage.filing_indicator or "").strip().upper()
        if not re.fullmatch(r"[0-9A-Z]{2}", code):
            return self.problem(fl, f"claim filing indicator {code!r} is not an SBR09 code")
        return code

    def group(self, coverage: Coverage, letter: str) -> tuple[str, str]:
        """SBR03 (FL 62 group number) and SBR04 (FL 61 group name, only without a number)."""
        number = (
            self.ident(coverage.group_number, f"62{letter}", "insurance group number")
            if coverage.group_number.strip()
            else ""
        )
        name = (
            "" if number else self.text(coverage.group_name, f"61{letter}", "group name", 60, False)
        )
        return number, name

    def insured(self, coverage: Coverage) -> Person:
        return self.claim.patient if coverage.insured is None else coverage.insured

    def subscriber(self) -> list[str]:
        if not self.claim.payers:
            self.problem("50", "at least one payer is required")
            return []
        coverage = self.claim.payers[0]
        self_pay = coverage.relationship == "18"
        number, name = self.group(coverage, "A")
        sbr = core.segment(
            "SBR",
            "P",
            "18" if self_pay else "",
            number,
            name,
            "",
            "",
            "",
            "",
            self.filing(coverage, "50A"),
        )
        person = self.insured(coverage)
        member = self.ident(coverage.insured_id, "60A", "insured's unique ID", 80)
        segments = [
            sbr,
            core.segment("NM1", *self.person_name("IL", person, "58A"), "", "", "MI", member),
        ]
        if self_pay or person.address is not None:
            segments += self.address(person.address, "9")
        if self_pay or person.dob is not None:
            segments.append(self.demographics(person, "10", "11"))
        payer_name = self.text(coverage.payer_name, "50A", "payer name", 60)
        payer_id = self.ident(coverage.payer_id, "51A", "health plan ID", 80)
        segments.append(core.segment("NM1", "PR", "2", payer_name, "", "", "", "", "PI", payer_id))
        if coverage.address is not None:
            segments += self.address(coverage.address, "50A")
        return segments

    def patient(self) -> list[str]:
        if not self.claim.payers or self.claim.payers[0].relationship == "18":
            return []
        relationship = self.claim.payers[0].relationship
        if relationship not in SUBSCRIBER_RELATIONSHIPS or relationship == "18":
            relationship = self.problem("59A", f"relationship {relationship!r} is not a PAT01 code")
        patient = self.claim.patient
        return [
            core.segment("PAT", relationship),
            core.segment("NM1", *self.person_name("QC", patient, "8b")),
            *self.address(patient.address, "9"),
            self.demographics(patient, "10", "11"),
        ]

    def clm(self) -> str:
        claim = self.claim
        account = self.ident(claim.patient_control_number, "3a", "patient control number", 38)
        total = claim.line_total() if claim.total_charge is None else claim.total_charge
        if total != claim.line_total():
            self.problem(
                "47",
                f"the 0001 total {total} is not the sum of the revenue lines "
                f"{claim.line_total()}: the 837I's CLM02 must equal the sum of SV203",
            )
        try:
            facility, frequency = facility_code(claim.type_of_bill)
        except ValueError as exc:
            facility, frequency = self.problem("4", str(exc)), ""
        coverage = claim.payers[0] if claim.payers else None
        release = (coverage.release_of_information if coverage else "Y").strip().upper()
        if release not in ("Y", "I"):
            release = self.problem("52A", f"release of information {release!r} must be Y or I")
        assigned = coverage is None or coverage.assignment_of_benefits
        return core.segment(
            "CLM",
            account,
            self.money(total, "47"),
            "",
            "",
            core.composite(facility, "A", frequency),
            "",
            "A",  # CLM07: the provider accepts assignment (the UB-04 has no box for it)
            "Y" if assigned else "N",  # FL 53
            release,  # FL 52
        )

    def claim_dates(self) -> list[str]:
        claim = self.claim
        segments = []
        if claim.discharge_hour:
            hour = self.code(claim.discharge_hour, "16", "discharge hour", _HOUR)
            segments.append(core.segment("DTP", "096", "TM", f"{hour}00"))
        period = f"{self.date(claim.statement_from, '6')}-{self.date(claim.statement_through, '6')}"
        segments.append(core.segment("DTP", "434", "RD8", period))
        if claim.admission_date is None and claim.is_inpatient():
            self.problem(
                "12", "the admission date is required on an inpatient claim (2300 DTP*435)"
            )
        if claim.admission_date is not None:
            day = self.date(claim.admission_date, "12")
            if claim.admission_hour:
                hour = self.code(claim.admission_hour, "13", "admission hour", _HOUR)
                segments.append(core.segment("DTP", "435", "DT", f"{day}{hour}00"))
            else:
                segments.append(core.segment("DTP", "435", "D8", day))
        return segments

    def cl1(self) -> str:
        claim = self.claim
        status = (claim.discharge_status or "").strip()
        if not re.fullmatch(r"\d{2}", status):
            status = self.problem(
                "17", f"patient discharge status {status!r} is required (2 digits)"
            )
        kind = (claim.admission_type or "").strip()
        if kind and not re.fullmatch(r"\d", kind):
            kind = self.problem("14", f"admission type {kind!r} must be one digit")
        source = (claim.admission_source or "").strip().upper()
        if source and not re.fullmatch(r"[0-9A-Z]", source):
            source = self.problem("15", f"point of origin {source!r} must be one character")
        return core.segment("CL1", kind, source, status)

    def references(self) -> list[str]:
        claim = self.claim
        coverage = claim.payers[0] if claim.payers else None
        segments = []
        if coverage and coverage.authorization.strip():
            auth = self.ident(coverage.authorization, "63A", "treatment authorization code")
            segments.append(core.segment("REF", "G1", auth))
        frequency = (claim.type_of_bill or "").strip()[3:4]
        # a replacement (7), a void (8) or a reopening past the filing limit (Q) names the
        # original claim (X12 RFI 2173: Q is a replacement of an adjudicated claim)
        if coverage and frequency in ("7", "8", "Q"):
            dcn = self.ident(coverage.document_control_number, "64A", "document control number")
            segments.append(core.segment("REF", "F8", dcn))
        if claim.medical_record_number.strip():
            record = self.ident(claim.medical_record_number, "3b", "medical record number")
            segments.append(core.segment("REF", "EA", record))
        if claim.remarks.strip():
            segments.append(
                core.segment("NTE", "ADD", self.text(claim.remarks, "80", "remarks", 80))
            )
        return segments

    # ---- HI: diagnoses, procedures, occurrence, value and condition codes ----
    def hi(self, qualifier: str, composites: list[str], fl: str) -> list[str]:
        """HI segments of one qualifier, 12 composites each, as many as the guide allows."""
        allowed = HI_SEGMENTS.get(qualifier, 1) * HI_PER_SEGMENT
        if len(composites) > allowed:
            self.problem(fl, f"{len(composites)} codes; the 837I carries {allowed} ({qualifier})")
        kept = composites[:allowed]
        return [
            core.segment("HI", *kept[start : start + HI_PER_SEGMENT])
            for start in range(0, len(kept), HI_PER_SEGMENT)
        ]

    def poa(self, value: str, fl: str) -> str:
        indicator = (value or "").strip().upper()
        if indicator in ("", "1"):
            return ""  # exempt: blank in the 837I
        if indicator not in POA_837I:
            return self.problem(
                fl, f"present-on-admission indicator {value!r} must be Y, N, U, W or 1"
            )
        return indicator

    def diagnosis(self, qualifier: str, dx: Diagnosis, fl: str, with_poa: bool = True) -> str:
        code = self.icd(dx.code, fl, "ICD-10-CM code")
        poa = self.poa(dx.poa, fl) if with_poa else ""
        return core.composite(qualifier, code, "", "", "", "", "", "", poa)

    def procedure(self, qualifier: str, px: Procedure, fl: str) -> str:
        code = self.code(px.code, fl, "ICD-10-PCS code", _PCS)
        return core.composite(qualifier, code, "D8", self.date(px.date, fl))

    def diagnosis_segments(self) -> list[str]:
        claim = self.claim
        if claim.icd_indicator != "0":
            self.problem("66", f"diagnosis code qualifier {claim.icd_indicator!r}: only 0 (ICD-10)")
        segments = [core.segment("HI", self.diagnosis("ABK", claim.principal_diagnosis, "67"))]
        if claim.admitting_diagnosis.strip():
            code = self.icd(claim.admitting_diagnosis, "69", "ICD-10-CM code")
            segments.append(core.segment("HI", core.composite("ABJ", code)))
        reasons = [
            core.composite("APR", self.icd(code, f"70{'abc'[i % 3]}", "ICD-10-CM code"))
            for i, code in enumerate(claim.reason_for_visit)
        ]
        if len(reasons) > 3:
            self.problem("70", f"{len(reasons)} reason-for-visit codes; the 837I carries 3")
        segments += self.hi("APR", reasons[:3], "70")
        causes = [
            self.diagnosis("ABN", dx, _nth("72", "abc", i))
            for i, dx in enumerate(claim.external_cause_diagnoses)
        ]
        segments += self.hi("ABN", causes, "72")
        others = [
            self.diagnosis("ABF", dx, _nth("67", "ABCDEFGHIJKLMNOPQ", i))
            for i, dx in enumerate(claim.other_diagnoses)
        ]
        segments += self.hi("ABF", others, "67A-Q")
        return segments

    def procedure_segments(self) -> list[str]:
        claim = self.claim
        segments = []
        if claim.procedures() and not claim.is_inpatient():
            self.problem(
                "74",
                "ICD-10-PCS procedures go on inpatient claims only (the 837I does not use "
                "HI BBR/BBQ on outpatient claims): an outpatient procedure is its HCPCS in FL 44",
            )
        if claim.principal_procedure is not None:
            segments.append(
                core.segment("HI", self.procedure("BBR", claim.principal_procedure, "74"))
            )
        elif claim.other_procedures:
            self.problem("74", "other procedures need a principal procedure")
        others = [
            self.procedure("BBQ", px, _nth("74", "abcde", i))
            for i, px in enumerate(claim.other_procedures)
        ]
        return segments + self.hi("BBQ", others, "74a-e")

    def code_segments(self) -> list[str]:
        """Occurrence spans (BI), occurrences (BH), values (BE), conditions (BG)."""
        claim = self.claim
        spans = []
        for span in claim.occurrence_spans:
            code = self.code(span.code, "35-36", "occurrence span code", _FL_CODE)
            period = f"{self.date(span.date_from, '35-36')}-{self.date(span.date_through, '35-36')}"
            spans.append(core.composite("BI", code, "RD8", period))
        occurrences = [
            core.composite(
                "BH",
                self.code(o.code, "31-34", "occurrence code", _FL_CODE),
                "D8",
                self.date(o.date, "31-34"),
            )
            for o in claim.occurrences
        ]
        values = [
            core.composite(
                "BE",
                self.code(v.code, "39-41", "value code", _FL_CODE),
                "",
                "",
                self.signed_money(v.amount, "39-41"),
            )
            for v in claim.value_codes
        ]
        conditions = [
            core.composite("BG", self.code(c, "18-28", "condition code", _FL_CODE))
            for c in claim.condition_codes
        ]
        return (
            self.hi("BI", spans, "35-36")
            + self.hi("BH", occurrences, "31-34")
            + self.hi("BE", values, "39-41")
            + self.hi("BG", conditions, "18-28")
        )

    def signed_money(self, value: object, fl: str) -> str:
        """A value-code amount (HI component 5): any finite amount, negatives too."""
        try:
            amount = Decimal(value)  # type: ignore[arg-type]
        except (InvalidOperation, TypeError, ValueError):
            return self.problem(fl, f"amount {value!r} is not a number")
        if not amount.is_finite() or abs(amount) >= Decimal("1e10"):
            return self.problem(fl, f"amount {value!r} is out of range")
        return core.amount(amount)

    def physicians(self) -> list[str]:
        claim = self.claim
        segments = []
        if claim.attending is not None:
            segments.append(self.physician("71", claim.attending, "76"))
        if claim.operating is not None:
            segments.append(self.physician("72", claim.operating, "77"))
        if claim.other_physicians:
            segments.append(self.physician("ZZ", claim.other_physicians[0], "78"))
        return segments

    def other_payers(self) -> list[str]:
        """Loops 2320/2330A/2330B for payers B and C (FL 50-62 lines B, C)."""
        segments: list[str] = []
        for n, coverage in enumerate(self.claim.payers[1:3], start=1):
            letter = "ABC"[n]
            relationship = coverage.relationship
            if relationship not in SUBSCRIBER_RELATIONSHIPS:
                relationship = self.problem(
                    f"59{letter}", f"relationship {relationship!r} is not an SBR02 code"
                )
            number, name = self.group(coverage, letter)
            filing = self.filing(coverage, f"50{letter}")
            segments.append(
                core.segment(
                    "SBR", PAYER_SEQUENCE[n], relationship, number, name, "", "", "", "", filing
                )
            )
            if coverage.prior_payments:
                segments.append(
                    core.segment("AMT", "D", self.money(coverage.prior_payments, f"54{letter}"))
                )
            release = (coverage.release_of_information or "").strip().upper()
            if release not in ("Y", "I"):
                release = self.problem(
                    f"52{letter}", f"release of information {release!r} must be Y or I"
                )
            segments.append(
                core.segment(
                    "OI", "", "", "Y" if coverage.assignment_of_benefits else "N", "", "", release
                )
            )
            person = self.insured(coverage)
            member = self.ident(coverage.insured_id, f"60{letter}", "insured's unique ID", 80)
            segments.append(
                core.segment(
                    "NM1", *self.person_name("IL", person, f"58{letter}"), "", "", "MI", member
                )
            )
            payer_name = self.text(coverage.payer_name, f"50{letter}", "payer name", 60)
            payer_id = self.ident(coverage.payer_id, f"51{letter}", "health plan ID", 80)
            segments.append(
                core.segment("NM1", "PR", "2", payer_name, "", "", "", "", "PI", payer_id)
            )
        if len(self.claim.payers) > 3:
            self.problem("50", f"{len(self.claim.payers)} payers; the UB-04 holds 3 (A, B, C)")
        return segments

    def service_line(self, number: int, line: RevenueLine) -> list[str]:
        where = f" line {number}"
        revenue = self.code(line.revenue_code, f"42{where}", "revenue code", _REVENUE)
        procedure = ""
        if line.hcpcs.strip():
            code = self.code(line.hcpcs, f"44{where}", "HCPCS code", _HCPCS)
            if len(line.modifiers) > 4:
                self.problem(f"44{where}", "at most 4 modifiers")
            mods = [self.code(m, f"44{where}", "modifier", _MODIFIER) for m in line.modifiers[:4]]
            procedure = core.composite("HC", code, *mods)
        non_covered = self.money(line.non_covered, f"48{where}") if line.non_covered else ""
        sv2 = core.segment(
            "SV2",
            revenue,
            procedure,
            self.money(line.total_charge, f"47{where}"),
            unit_basis(revenue),
            self.units(line.units, f"46{where}"),
            "",
            non_covered,
        )
        segments = [core.segment("LX", number), sv2]
        if line.service_date is not None:
            segments.append(
                core.segment("DTP", "472", "D8", self.date(line.service_date, f"45{where}"))
            )
        return segments

    def claim_loop(self) -> list[str]:
        claim = self.claim
        segments = [self.clm(), *self.claim_dates(), self.cl1(), *self.references()]
        segments += self.diagnosis_segments() + self.procedure_segments() + self.code_segments()
        segments += self.physicians() + self.other_payers()
        if not claim.lines:
            self.problem("42", "at least one revenue line is required")
        if len(claim.lines) > 999:
            self.problem("42", f"{len(claim.lines)} lines; the 837I carries 999")
        for number, line in enumerate(claim.lines[:999], start=1):
            segments += self.service_line(number, line)
        return segments

    def build(self) -> Parts:
        return Parts(
            provider=self.billing_provider(),
            subscriber=self.subscriber(),
            patient=self.patient(),
            claim=self.claim_loop(),
        )


def _nth(number: str, letters: str, index: int) -> str:
    """The form locator of the index-th code of a list the paper letters: ``67A`` ...,
    or, past the paper's room, the locator with the code's place in the 837I.

    >>> _nth("67", "ABCDEFGHIJKLMNOPQ", 0), _nth("72", "abc", 3)
    ('67A', '72 (837I code 4; the paper holds 3)')
    """
    if index < len(letters):
        return f"{number}{letters[index]}"
    return f"{number} (837I code {index + 1}; the paper holds {len(letters)})"


def _claim_parts(claim: InstitutionalClaim, index: int) -> tuple[Parts, list[str]]:
    writer = _Writer(claim, index)
    try:
        return writer.build(), writer.problems
    except (AttributeError, TypeError) as exc:  # a field of the wrong type
        return Parts([], [], [], []), [*writer.problems, f"{writer.label}: {exc}"]


# -- the envelope ------------------------------------------------------------------
def _submitter(
    claim: InstitutionalClaim, sender: str, receiver: str, phone: str | None
) -> list[str]:
    facility = claim.billing_provider
    on_file = facility.address.phone if facility.address else ""
    return submitter(x12_text(facility.name, 60) or sender, on_file, sender, receiver, phone)


def to_837i(
    claims: Sequence[InstitutionalClaim],
    *,
    sender_id: str = "MEDBILLLAB",
    receiver_id: str = "CLEARINGHOUSE",
    control_number: int = 1,
    when: dt.datetime | None = None,
    submitter_phone: str | None = None,
) -> str:
    """Write UB-04 claims as one 837I (005010X223A2) interchange; the same input and
    ``when`` always give the same text.

    ISA13, GS06 and BHT03 come from ``control_number``.  The submitter (1000A) is the
    first claim's facility, its EDI contact phone ``submitter_phone``, else the
    facility's phone, else :data:`medbill_lab.x12.x837p.TRAINING_PHONE`.  Raises
    :class:`ClaimError` listing every problem (each naming its claim and form locator)
    when a claim cannot be written, and ``ValueError`` for a bad envelope argument.

    >>> from medbill_lab.claims.institutional import from_dict
    >>> claim = from_dict({"form": "UB-04", "patient_control_number": "IP1", "type_of_bill": "0111",
    ...     "billing_provider": {"name": "Harlow Hospital", "npi": "1234567893", "tax_id": "36-1234567",
    ...         "address": {"street": "1 Main St", "city": "Harlow", "state": "IL", "zip": "610011234"}},
    ...     "statement_from": "2026-03-01", "statement_through": "2026-03-04",
    ...     "patient": {"last": "Doe", "first": "Jan", "dob": "1955-04-02", "sex": "M",
    ...         "address": {"street": "2 Elm St", "city": "Harlow", "state": "IL", "zip": "61001"}},
    ...     "admission_date": "2026-03-01", "admission_hour": "14", "admission_type": "1",
    ...     "admission_source": "1", "discharge_status": "01",
    ...     "lines": [{"revenue_code": "0120", "units": "3", "total_charge": "3600.00"}],
    ...     "payers": [{"payer_name": "Medicare Part A", "payer_id": "MCRA1",
    ...         "insured_id": "1EG4TE5MK73", "filing_indicator": "MA"}],
    ...     "principal_diagnosis": {"code": "J18.9", "poa": "Y"}})
    >>> text = to_837i([claim], when=dt.datetime(2026, 3, 10, 9, 30))
    >>> [s for s in text.split("~") if s[:3] in ("CLM", "DTP", "CL1", "HI*", "SV2")]
    ['CLM*IP1*3600***11:A:1**A*Y*Y', 'DTP*434*RD8*20260301-20260304', 'DTP*435*DT*202603011400', 'CL1*1*1*01', 'HI*ABK:J189:::::::Y', 'SV2*0120**3600*DA*3']
    """
    batch = list(claims)
    if not batch:
        raise ValueError("no claims to write")
    sender, receiver = envelope_ids(sender_id, receiver_id, control_number)
    when = when or dt.datetime.now()
    built = [_claim_parts(claim, i) for i, claim in enumerate(batch)]
    problems = [p for _, found in built for p in found]
    if problems:
        raise ClaimError(problems)
    header = _submitter(batch[0], sender, receiver, submitter_phone)
    parts = [p for p, _ in built]
    return interchange(
        parts, header, (sender, receiver), control_number, when, VERSION, MAX_CLAIMS_PER_ST
    )


def validate_837i(text: str) -> Validation:
    """pyx12's verdict on an 837I and its 999 (:func:`medbill_lab.x12.core.validate`, which
    takes the map from GS08: 005010X223A2)."""
    return core.validate(text)


# -- pyx12 errors -> form locators ----------------------------------------------------
#: The UB-04 form locator an 837I element carries, keyed by segment (with its qualifier
#: for DTP, REF, NM1 and HI: NM101, DTP01, REF01, HI01-01) and then element; "" is
#: the whole segment.  The inverse of the table in this module's docstring.
LOCATOR_OF: dict[str, dict[str, str]] = {
    "CLM": {
        "CLM01": "3a",
        "CLM02": "47 (line 23 total)",
        "CLM05": "4",
        "CLM08": "53",
        "CLM09": "52",
    },
    "DTP*096": {"": "16"},
    "DTP*434": {"": "6"},
    "DTP*435": {"": "12-13"},
    "DTP*472": {"": "45"},
    "CL1": {"CL101": "14", "CL102": "15", "CL103": "17"},
    "REF*EA": {"": "3b"},
    "REF*G1": {"": "63"},
    "REF*F8": {"": "64"},
    "REF*EI": {"": "5"},
    "NTE": {"": "80"},
    "PRV": {"": "81 (B3 taxonomy)"},
    "NM1*85": {"": "1", "NM109": "56"},
    "NM1*IL": {"": "58", "NM109": "60"},
    "NM1*QC": {"": "8b"},
    "NM1*PR": {"": "50", "NM109": "51"},
    "NM1*71": {"": "76"},
    "NM1*72": {"": "77"},
    "NM1*ZZ": {"": "78"},
    "DMG": {"DMG02": "10", "DMG03": "11"},
    "PAT": {"": "59"},
    "SBR": {"SBR03": "62", "SBR04": "61", "": "50"},
    "HI*ABK": {"": "67"},
    "HI*ABJ": {"": "69"},
    "HI*APR": {"": "70"},
    "HI*ABN": {"": "72"},
    "HI*ABF": {"": "67A-Q"},
    "HI*BBR": {"": "74"},
    "HI*BBQ": {"": "74a-e"},
    "HI*BI": {"": "35-36"},
    "HI*BH": {"": "31-34"},
    "HI*BE": {"": "39-41"},
    "HI*BG": {"": "18-28"},
    "SV2": {"SV201": "42", "SV202": "44", "SV203": "47", "SV205": "46", "SV207": "48", "": "42"},
}
_QUALIFIED = {"DTP": 1, "REF": 1, "NM1": 1, "HI": 1}


def locator_of(segment: str, element: str = "") -> str:
    """The UB-04 form locator behind an 837I segment (its text) and element, or ``""``.

    >>> locator_of("HI*ABK:J189:::::::X", "HI01-09"), locator_of("CL1*1*1*01", "CL103")
    ('67', '17')
    >>> locator_of("SV2*0300*HC:80053*120*UN*1", "SV202-02"), locator_of("BHT*0019", "BHT04")
    ('44', '')
    """
    parts = segment.split("*")
    seg_id = parts[0]
    key = seg_id
    if seg_id in _QUALIFIED and len(parts) > 1:
        key = f"{seg_id}*{parts[1].split(':')[0]}"
    table = LOCATOR_OF.get(key) or LOCATOR_OF.get(seg_id, {})
    return table.get(element.split("-")[0], table.get("", ""))


def explain(validation: Validation, segments: Sequence[str]) -> list[str]:
    """Each pyx12 error as one line naming the segment, element and UB-04 form locator;
    ``segments`` are the file's (:func:`medbill_lab.x12.core.segments`).

    >>> explain(Validation([core.X12Error("CL1", 2, "CL103", "1", "missing")], ""), ["ST", "CL1*1*1"])
    ['segment 2 CL103 (FL 17): missing']
    """
    lines = []
    for error in validation.errors:
        segment = segments[error.position - 1] if 0 < error.position <= len(segments) else ""
        fl = locator_of(segment, error.element)
        where = f" (FL {fl})" if fl else ""
        lines.append(
            f"segment {error.position} {error.element or error.segment}{where}: {error.message}"
        )
    return lines


# -- the command line -----------------------------------------------------------------
@dataclass(frozen=True)
class Written837I:
    """What :func:`write_file` did: the file, its size and pyx12's verdict (OUT is
    written only when pyx12 found no error)."""

    output: str
    claims: int
    segments: int
    validation: Validation
    errors: tuple[str, ...] = ()  # each pyx12 error with its form locator (:func:`explain`)

    @property
    def written(self) -> bool:
        """Whether OUT was written (only when pyx12 found no error)."""
        return self.validation.ok


def write_file(files: list[str], output: str) -> Written837I:
    """``medbill-lab claim x12 FILE... -o OUT`` for UB-04 claim files: load the claims,
    write one 837I, validate it with pyx12 and save OUT only when pyx12 accepts it.

    A claim that does not load or cannot be written raises :class:`ClaimError` (the CLI
    prints it as one line); pyx12's errors come back each naming its form locator.
    """
    from medbill_lab.claims import institutional

    batch = [institutional.load(path) for path in files]
    text = to_837i(batch)
    validation = validate_837i(text)
    found = core.segments(text)
    if not validation.ok:
        return Written837I(
            output, len(batch), len(found), validation, tuple(explain(validation, found))
        )
    write_atomically(output, text)
    return Written837I(output, len(batch), len(found), validation)
