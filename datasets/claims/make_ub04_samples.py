"""Write MedBill Lab's sample UB-04 (CMS-1450) claims and ``ub04_labels.csv`` into this folder.

Every patient, physician, hospital, payer and address here is synthetic, written
for MedBill Lab.  Each broken claim is one of the clean claims with one
deliberate mistake, so it trips the edit its label names (and nothing else).
Run from anywhere:

    .venv/bin/python datasets/claims/make_ub04_samples.py

The written files are what the lab reads; this script is how they were made
(tests/claims/test_institutional.py checks that the two agree, and that every
sample behaves as labelled).
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))  # the CMS-1500 samples' script: how a sample file is written

from make_samples import json_text, sample_files, write_checked  # noqa: E402

from medbill_lab.claims import institutional  # noqa: E402
from medbill_lab.claims.model import ClaimError  # noqa: E402

# -- the cast: a synthetic hospital, its physicians and payers ---------------------------------------
HOSPITAL = {
    "name": "Harlow Community Hospital",
    "npi": "1047534783",
    "tax_id": "36-4417205",
    "taxonomy": "282N00000X",
    "address": {
        "street": "1200 Prairie Avenue",
        "city": "Harlow",
        "state": "IL",
        "zip": "629011200",  # ZIP+4: the 837I's billing provider N403 takes all nine digits
        "phone": "618-555-0100",
    },
}
OKAFOR = {"npi": "1563433493", "last": "Okafor", "first": "Adaeze"}  # hospitalist
LINDQVIST = {"npi": "1031864337", "last": "Lindqvist", "first": "Erik"}  # general surgeon
MARCHETTI = {"npi": "1231741418", "last": "Marchetti", "first": "Sofia"}  # obstetrician
BRANDT = {"npi": "1538659792", "last": "Brandt", "first": "Tobias"}  # emergency physician
MEDICARE_A = {"payer_name": "Medicare Part A (MedBill Lab MAC)", "payer_id": "MBL01", "filing_indicator": "MA"}  # fmt: skip
LAKESHORE = {"payer_name": "Lakeshore Health Plan", "payer_id": "MBL10", "filing_indicator": "CI", "group_name": "Harlow Unified Schools", "group_number": "HUS-2210", "timely_filing_days": 180}  # fmt: skip
PRAIRIE = {"payer_name": "Prairie Mutual Insurance", "payer_id": "MBL11", "filing_indicator": "CI", "timely_filing_days": 90}  # fmt: skip


def _patient(last: str, first: str, dob: str, sex: str, street: str) -> dict:
    address = {"street": street, "city": "Harlow", "state": "IL", "zip": "62901"}
    return {"last": last, "first": first, "dob": dob, "sex": sex, "address": address}


def _line(rev: str, charge: str, *, units: str = "1", desc: str = "", hcpcs: str = "", day: str = "") -> dict:  # fmt: skip
    line: dict = {"revenue_code": rev, "description": desc}
    if hcpcs:
        line["hcpcs"] = hcpcs
    if day:
        line["service_date"] = day
    return line | {"units": units, "total_charge": charge}


def _claim(**fields: object) -> dict:
    """A UB-04 claim file's data, with the marker first and the total filled in."""
    data: dict = {"form": "UB-04", **fields}
    total = sum(float(line["total_charge"]) for line in data["lines"])  # type: ignore[union-attr]
    data["total_charge"] = f"{total:.2f}"
    data.setdefault("submitted_on", data["statement_through"])
    return data


# -- the clean claims ------------------------------------------------------------------------------
def clean_claims() -> list[tuple[str, str, dict]]:
    """(file, note, data) for claims that must pass every institutional edit."""
    pneumonia = _claim(
        patient_control_number="HCH26030101",
        medical_record_number="MR448120",
        type_of_bill="0111",
        billing_provider=HOSPITAL,
        statement_from="2026-03-01",
        statement_through="2026-03-05",
        patient=_patient("Whitfield", "Harold", "1949-07-14", "M", "418 Elm Street"),
        admission_date="2026-03-01",
        admission_hour="14",
        admission_type="1",
        admission_source="1",
        discharge_hour="11",
        discharge_status="01",
        lines=[
            _line("0120", "6400.00", units="4", desc="Semi-private room, 4 days"),
            _line("0250", "1185.40", desc="Pharmacy"),
            _line("0300", "642.00", desc="Laboratory"),
            _line("0324", "310.00", desc="Chest X-ray"),
            _line("0410", "920.00", desc="Respiratory therapy"),
        ],
        payers=[MEDICARE_A | {"insured_id": "1EG4TE5MK73"}],
        principal_diagnosis={"code": "J18.9", "poa": "Y"},
        admitting_diagnosis="R06.02",
        other_diagnoses=[
            {"code": "N17.9", "poa": "Y"},
            {"code": "E87.1", "poa": "N"},
            {"code": "I48.91", "poa": "Y"},
            {"code": "Z79.01", "poa": ""},
        ],
        value_codes=[{"code": "80", "amount": "4"}],
        attending=OKAFOR,
    )
    chole = _claim(
        patient_control_number="HCH26031402",
        medical_record_number="MR502277",
        type_of_bill="0111",
        billing_provider=HOSPITAL,
        statement_from="2026-03-14",
        statement_through="2026-03-16",
        patient=_patient("Delgado", "Marisol", "1978-11-02", "F", "77 Quarry Road"),
        admission_date="2026-03-14",
        admission_hour="22",
        admission_type="1",
        admission_source="1",
        discharge_status="01",
        lines=[
            _line("0120", "3200.00", units="2", desc="Semi-private room, 2 days"),
            _line("0250", "740.25", desc="Pharmacy"),
            _line("0272", "388.00", desc="Sterile supplies"),
            _line("0360", "7850.00", desc="Operating room"),
            _line("0370", "1960.00", desc="Anesthesia"),
            _line("0710", "860.00", desc="Recovery room"),
        ],
        payers=[LAKESHORE | {"insured_id": "LHP7730115", "authorization": "AUTH-55102"}],
        principal_diagnosis={"code": "K80.00", "poa": "Y"},
        admitting_diagnosis="R10.11",
        other_diagnoses=[{"code": "E11.9", "poa": "Y"}, {"code": "I10", "poa": "Y"}],
        principal_procedure={"code": "0FT44ZZ", "date": "2026-03-15"},
        attending=LINDQVIST,
        operating=LINDQVIST,
    )
    er_visit = _claim(
        patient_control_number="HCH26020903",
        medical_record_number="MR390046",
        type_of_bill="0131",
        billing_provider=HOSPITAL,
        statement_from="2026-02-09",
        statement_through="2026-02-09",
        patient=_patient("Nakamura", "Kenji", "1967-05-21", "M", "9 Willow Court"),
        admission_date="2026-02-09",
        admission_hour="19",
        admission_type="1",
        admission_source="1",
        discharge_status="01",
        lines=[
            _line("0450", "1450.00", desc="Emergency room", hcpcs="99284", day="2026-02-09"),
            _line(
                "0301",
                "210.00",
                desc="Comprehensive metabolic panel",
                hcpcs="80053",
                day="2026-02-09",
            ),
            _line("0305", "95.00", desc="Complete blood count", hcpcs="85025", day="2026-02-09"),
            _line("0324", "280.00", desc="Chest X-ray, 2 views", hcpcs="71046", day="2026-02-09"),
            _line("0730", "160.00", desc="Electrocardiogram", hcpcs="93005", day="2026-02-09"),
        ],
        payers=[PRAIRIE | {"insured_id": "PMI-4410982"}],
        principal_diagnosis={"code": "R07.89"},
        reason_for_visit=["R07.9"],
        other_diagnoses=[{"code": "I10"}, {"code": "E78.5"}],
        attending=BRANDT,
    )
    delivery = _claim(
        patient_control_number="HCH26042004",
        medical_record_number="MR611930",
        type_of_bill="0111",
        billing_provider=HOSPITAL,
        statement_from="2026-04-20",
        statement_through="2026-04-22",
        patient=_patient("Osei", "Abena", "1997-09-30", "F", "310 Maple Lane"),
        admission_date="2026-04-20",
        admission_hour="03",
        admission_type="2",
        admission_source="1",
        discharge_status="01",
        lines=[
            _line("0122", "3600.00", units="2", desc="Obstetric room, 2 days"),
            _line("0250", "420.00", desc="Pharmacy"),
            _line("0722", "4100.00", desc="Delivery room"),
        ],
        payers=[LAKESHORE | {"insured_id": "LHP7730982"}],
        principal_diagnosis={"code": "O80", "poa": ""},
        admitting_diagnosis="Z34.83",
        other_diagnoses=[{"code": "Z3A.39", "poa": ""}, {"code": "Z37.0", "poa": ""}],
        principal_procedure={"code": "10E0XZZ", "date": "2026-04-20"},
        attending=MARCHETTI,
        operating=MARCHETTI,
    )
    heart_failure = _claim(
        patient_control_number="HCH26050705",
        medical_record_number="MR227415",
        type_of_bill="0111",
        billing_provider=HOSPITAL,
        statement_from="2026-05-07",
        statement_through="2026-05-11",
        patient=_patient("Kowalczyk", "Irene", "1941-01-23", "F", "52 Orchard Street"),
        admission_date="2026-05-07",
        admission_hour="09",
        admission_type="1",
        admission_source="2",
        discharge_status="06",
        condition_codes=["09"],
        lines=[
            _line("0120", "6400.00", units="4", desc="Semi-private room, 4 days"),
            _line("0250", "960.00", desc="Pharmacy"),
            _line("0301", "540.00", desc="Chemistry"),
            _line("0483", "1250.00", desc="Echocardiogram"),
        ],
        payers=[MEDICARE_A | {"insured_id": "3TR8WQ2JF51"}],
        principal_diagnosis={"code": "I13.0", "poa": "Y"},
        admitting_diagnosis="R06.00",
        other_diagnoses=[
            {"code": "I50.23", "poa": "Y"},
            {"code": "N18.4", "poa": "Y"},
            {"code": "E11.22", "poa": "Y"},
            {"code": "I25.2", "poa": "1"},
        ],
        value_codes=[{"code": "80", "amount": "4"}],
        attending=OKAFOR,
    )
    return [
        (
            "ub04-clean-01-pneumonia.json",
            "Medicare inpatient: pneumonia with acute kidney injury POA and hyponatremia that arose in the stay (POA N); Z79.01 left blank (Z codes are not judged)",
            pneumonia,
        ),
        (
            "ub04-clean-02-lap-chole.yaml",
            "Commercial inpatient: acute calculous cholecystitis, laparoscopic cholecystectomy 0FT44ZZ (YAML file)",
            chole,
        ),
        (
            "ub04-clean-03-er-outpatient.json",
            "Outpatient emergency visit (FL 4 0131): revenue lines with HCPCS and service dates; no POA on an outpatient claim",
            er_visit,
        ),
        (
            "ub04-clean-04-delivery.json",
            "Inpatient vaginal delivery: O80 with POA blank (exempt), outcome Z37.0 and weeks Z3A.39, PCS 10E0XZZ",
            delivery,
        ),
        (
            "ub04-clean-05-heart-failure.json",
            "Medicare inpatient: hypertensive heart and CKD with acute on chronic diastolic heart failure (I13.0 first, guideline I.C.9.a.3); old MI I25.2 with POA 1 (exempt); home health (FL 17 06)",
            heart_failure,
        ),
    ]


# -- the broken claims: (file, source clean file, expected edits, note, change) ---------------------
def _set(path: tuple, value: object) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


def _both(*changes: Callable[[dict], None]) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        for one in changes:
            one(data)

    return change


def _retotal(data: dict) -> None:
    data["total_charge"] = f"{sum(float(ln['total_charge']) for ln in data['lines']):.2f}"


BROKEN: list[tuple[str, str, str, str, Callable[[dict], None]]] = [
    ("ub04-edit-dx-invalid.json", "ub04-clean-05-heart-failure.json", "DX-INVALID",
     "FL 67C: E11.2 is a subcategory, not a billable code (diabetic CKD is E11.22)",
     _set(("other_diagnoses", 2, "code"), "E11.2")),
    ("ub04-edit-pcs-invalid.json", "ub04-clean-02-lap-chole.yaml", "PCS-INVALID",
     "FL 74: 0FT43ZZ: the gallbladder (body part 4) cannot be resected by the percutaneous approach 3; laparoscopic is 4",
     _set(("principal_procedure", "code"), "0FT43ZZ")),
    ("ub04-edit-pdx-manifestation.json", "ub04-clean-01-pneumonia.json", "PDX-MANIFESTATION",
     "FL 67: dementia in Alzheimer's disease coded with the manifestation F02.80 first; the underlying G30.9 must come first (code first note)",
     _both(_set(("principal_diagnosis",), {"code": "F02.80", "poa": "Y"}),
           _set(("other_diagnoses",), [{"code": "G30.9", "poa": "Y"}]))),
    ("ub04-edit-pdx-unacceptable.json", "ub04-clean-01-pneumonia.json", "PDX-UNACCEPTABLE",
     "FL 67: the organism B96.20 (E. coli as the cause) sequenced before the urinary tract infection N39.0 it caused",
     _both(_set(("principal_diagnosis",), {"code": "B96.20", "poa": "Y"}),
           _set(("other_diagnoses",), [{"code": "N39.0", "poa": "Y"}]))),
    ("ub04-edit-admit-questionable.json", "ub04-clean-01-pneumonia.json", "ADMIT-QUESTIONABLE",
     "FL 67: essential hypertension I10 alone as the reason for an inpatient stay",
     _both(_set(("principal_diagnosis",), {"code": "I10", "poa": "Y"}),
           _set(("other_diagnoses",), []))),
    ("ub04-edit-pdx-ecode.json", "ub04-clean-01-pneumonia.json", "PDX-ECODE",
     "FL 67: the fall W19.XXXA sequenced before the hip fracture it caused; external causes go in FL 72",
     _both(_set(("principal_diagnosis",), {"code": "W19.XXXA", "poa": "Y"}),
           _set(("other_diagnoses",), [{"code": "S72.001A", "poa": "Y"}]))),
    ("ub04-edit-dx-age.json", "ub04-clean-04-delivery.json", "DX-AGE",
     "FL 67C: the newborn's code Z38.00 put on the mother's claim (a newborn-only code at age 28)",
     lambda data: data["other_diagnoses"].append({"code": "Z38.00", "poa": ""})),
    ("ub04-edit-dx-sex.json", "ub04-clean-01-pneumonia.json", "DX-SEX",
     "FL 67D: benign prostatic hyperplasia N40.0 on a claim whose FL 11 says F (a keying error in FL 11): a warning only, as the MCE no longer edits sex",
     _both(_set(("patient", "sex"), "F"),
           _set(("other_diagnoses", 3), {"code": "N40.0", "poa": "Y"}))),
    ("ub04-edit-poa-missing.json", "ub04-clean-01-pneumonia.json", "POA-MISSING",
     "FL 67A: acute kidney injury N17.9 with POA left blank on an acute inpatient claim; it is not exempt",
     _set(("other_diagnoses", 0, "poa"), "")),
    ("ub04-edit-poa-invalid.json", "ub04-clean-05-heart-failure.json", "POA-INVALID",
     "FL 67A: POA 'X' is not a POA value (Y, N, U, W, 1 or blank)",
     _set(("other_diagnoses", 0, "poa"), "X")),
    ("ub04-edit-tob-invalid.json", "ub04-clean-03-er-outpatient.json", "TOB-INVALID",
     "FL 4: 0191 has no care classification 9 for a hospital; a hospital outpatient visit is 0131",
     _set(("type_of_bill",), "0191")),
    ("ub04-edit-status-invalid.json", "ub04-clean-05-heart-failure.json", "STATUS-INVALID",
     "FL 17: status 09 (admitted as an inpatient) belongs on the outpatient claim that led to the admission, not on the inpatient claim",
     _set(("discharge_status",), "09")),
    ("ub04-edit-admission-missing.json", "ub04-clean-02-lap-chole.yaml", "ADMISSION-INVALID",
     "FL 15: the point of origin left blank on an inpatient claim",
     _set(("admission_source",), "")),
    ("ub04-edit-dates-order.json", "ub04-clean-03-er-outpatient.json", "DATES-ORDER",
     "FL 45 line 5: the ECG keyed with the next day's date, outside the statement period",
     _set(("lines", 4, "service_date"), "2026-02-10")),
    ("ub04-edit-total-mismatch.json", "ub04-clean-02-lap-chole.yaml", "TOTAL-MISMATCH",
     "FL 47: the 0001 total left at the amount before the recovery-room line was added",
     _set(("total_charge",), "14138.25")),
    ("ub04-edit-rev-line.json", "ub04-clean-03-er-outpatient.json", "REV-LINE",
     "FL 45 line 2: an outpatient lab line without its service date",
     _set(("lines", 1, "service_date"), None)),
]  # fmt: skip


def broken_claims() -> list[tuple[str, str, str, dict]]:
    """(file, expected edits, note, data): each a clean claim with one mistake."""
    base = {name: data for name, _, data in clean_claims()}
    out = []
    for name, source, expected, note, change in BROKEN:
        data = copy.deepcopy(base[source])
        change(data)
        for line in data["lines"]:
            if line.get("service_date", "") is None:
                del line["service_date"]
        out.append((name, expected, note, data))
    return out


def load_errors() -> list[tuple[str, str, str]]:
    """(file, note, text) for files the loader must reject, naming the form locator."""
    base = {name: data for name, _, data in clean_claims()}
    short = copy.deepcopy(base["ub04-clean-03-er-outpatient.json"])
    short["lines"][0]["revenue_code"] = "450"
    return [
        (
            "ub04-load-revenue-code.json",
            "FL 42 line 1: revenue code 450 keyed without its leading 0",
            json_text(short),
        ),
    ]


def samples() -> dict[str, str]:
    """Every sample file's name and text, including ub04_labels.csv."""
    return sample_files(clean_claims(), broken_claims(), load_errors(), "ub04_labels.csv")


def main() -> int:
    """Write the files, checking that each load error fails to load as labelled."""
    errors = [name for name, _, _ in load_errors()]
    return write_checked(samples(), [], errors, institutional.load, ClaimError)


if __name__ == "__main__":
    raise SystemExit(main())
