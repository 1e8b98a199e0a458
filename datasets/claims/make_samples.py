"""Write MedBill Lab's sample claims and ``labels.csv`` into this folder.

Every patient, provider, payer and address here is synthetic, written for
MedBill Lab.  Each broken claim is a clean claim with one deliberate mistake,
so it should trip exactly one scrubber edit.  Run from anywhere:

    .venv/bin/python datasets/claims/make_samples.py

The written files are what the lab reads; this script is how they were made
(tests check that the two agree).
"""

from __future__ import annotations

import copy
import csv
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from medbill_lab.claims import model as claims  # noqa: E402

# -- the cast: synthetic payers, practices and clinicians --------------------------------
MEDICARE = {
    "name": "Medicare Part B (MedBill Lab MAC)",
    "payer_id": "MBL01",
    "filing_indicator": "MB",
    "timely_filing_days": 365,
    "address": {"street": "PO Box 4100", "city": "Harlow", "state": "IL", "zip": "62901"},
}
MEDICAID = {
    "name": "State Medicaid (MedBill Lab)",
    "payer_id": "MBL02",
    "filing_indicator": "MC",
    "timely_filing_days": 365,
}
LAKESHORE = {
    "name": "Lakeshore Health Plan",
    "payer_id": "MBL10",
    "filing_indicator": "CI",
    "timely_filing_days": 180,
    "address": {"street": "PO Box 2210", "city": "Eastbrook", "state": "WI", "zip": "53701"},
}
PRAIRIE = {
    "name": "Prairie Mutual Insurance",
    "payer_id": "MBL11",
    "filing_indicator": "CI",
    "timely_filing_days": 90,
}

MAPLE_GROVE = {
    "name": "Maple Grove Family Medicine PC",
    "npi": "1748029356",
    "address": {
        "street": "120 Maple Grove Rd Ste 2",
        "city": "Harlow",
        "state": "IL",
        "zip": "629014417",
        "phone": "5550142200",
    },
    "taxonomy": "207Q00000X",
}
RIVERBEND = {
    "name": "Riverbend Orthopedics & Sports Medicine",
    "npi": "1284639071",
    "address": {"street": "48 Riverbend Pkwy", "city": "Eastbrook", "state": "WI", "zip": "53703"},
    "taxonomy": "207X00000X",
}
CEDAR_HOLLOW = {
    "name": "Cedar Hollow Pediatrics",
    "npi": "1509273649",
    "address": {"street": "9 Cedar Hollow Ln", "city": "Harlow", "state": "IL", "zip": "62903"},
    "taxonomy": "208000000X",
}
NORTHGATE_PT = {
    "name": "Northgate Physical Therapy LLC",
    "npi": "1365920481",
    "address": {"street": "300 Northgate Ave", "city": "Eastbrook", "state": "WI", "zip": "53705"},
    "taxonomy": "225100000X",
}
LAKESIDE_UC = {
    "name": "Lakeside Urgent Care",
    "npi": "1928574031",
    "address": {"street": "77 Shoreline Dr", "city": "Eastbrook", "state": "WI", "zip": "53704"},
    "taxonomy": "261QU0200X",
}
TAX_IDS = {
    "Maple Grove Family Medicine PC": "47-2918365",
    "Riverbend Orthopedics & Sports Medicine": "83-4172650",
    "Cedar Hollow Pediatrics": "36-5820194",
    "Northgate Physical Therapy LLC": "39-2746108",
    "Lakeside Urgent Care": "39-6158203",
}
DR_ABARA = {"last": "Abara", "first": "Nkem", "npi": "1163409588"}
DR_LINDQVIST = {"last": "Lindqvist", "first": "Soren", "npi": "1450692839"}
DR_PATEL_ROY = {"last": "Patel-Roy", "first": "Meera", "npi": "1637284914"}
PT_OYELARAN = {"last": "Oyelaran", "first": "Tomi", "npi": "1805362740"}
DR_VASQUEZ = {"last": "Vasquez-Lind", "first": "Ana", "npi": "1092837461"}
REFERRING_ABARA = {**DR_ABARA, "qualifier": "DN"}
RENDERING = {
    "Maple Grove Family Medicine PC": DR_ABARA,
    "Riverbend Orthopedics & Sports Medicine": DR_LINDQVIST,
    "Cedar Hollow Pediatrics": DR_PATEL_ROY,
    "Northgate Physical Therapy LLC": PT_OYELARAN,
    "Lakeside Urgent Care": DR_VASQUEZ,
}


def person(last: str, first: str, dob: str, sex: str, street: str, city: str, **more: str) -> dict:
    """A synthetic person with a home address in the lab's two made-up towns."""
    state, zip_code = ("IL", "62902") if city == "Harlow" else ("WI", "53706")
    return {
        "last": last,
        "first": first,
        **({"middle": more["middle"]} if "middle" in more else {}),
        "dob": dob,
        "sex": sex,
        "address": {"street": street, "city": city, "state": state, "zip": zip_code},
    }


def line(day: str, code: str, charge: str, pointers: str = "A", **more: object) -> dict:
    """One service line; ``pointers`` is letters such as "AB"."""
    return {"date_from": day, "code": code, "charge": charge, "pointers": list(pointers), **more}


def claim(
    *,
    program: str,
    insured_id: str,
    patient: dict,
    payer: dict,
    provider: dict,
    diagnoses: list[str],
    lines: list[dict],
    account: str,
    submitted_on: str,
    **more: object,
) -> dict:
    """A claim as written in a sample file: what a biller would fill in."""
    total = sum(float(item["charge"]) for item in lines)
    data = {
        "program": program,
        "insured_id": insured_id,
        "patient": patient,
        "payer": payer,
        "relationship": "self",
        "insured_signature_on_file": True,
        "diagnoses": diagnoses,
        "place_of_service": "11",
        "lines": lines,
        "tax_id": TAX_IDS[provider["name"]],
        "patient_account": account,
        "accept_assignment": True,
        "total_charge": f"{total:.2f}",
        "signature_date": submitted_on,
        "billing_provider": provider,
        "rendering_provider": RENDERING[provider["name"]],
        "submitted_on": submitted_on,
    }
    data.update(more)
    return data


# -- the patients (synthetic) ----------------------------------------------------------
HALVORSEN = person("Halvorsen", "Mirela", "1953-04-17", "F", "14 Quarry Hill Rd", "Harlow")
OKONKWO = person("Okonkwo", "Desmond", "1950-09-02", "M", "802 Linden Ct", "Harlow", middle="T")
BRANDT_CHILD = person("Brandtley", "Juniper", "2016-06-21", "F", "55 Birchwood Ter", "Harlow")
BRANDT_PARENT = person("Brandtley", "Colm", "1984-02-10", "M", "55 Birchwood Ter", "Harlow")
SATO = person("Sato-Reyes", "Lucinda", "1967-12-05", "F", "3107 Orchard Way", "Eastbrook")
FARROW = person("Farrow", "Idris", "1980-07-30", "M", "61 Kestrel Run", "Eastbrook")
MWANGI = person("Mwangi", "Priya", "1973-03-14", "F", "1188 Tamarack Blvd", "Eastbrook")
DELACROIX = person("Delacroix", "Benedikt", "1991-11-08", "M", "42 Harbor Mill St", "Eastbrook")
QUILL = person("Quillon", "Mateo", "2018-01-25", "M", "907 Sorrel Ave", "Harlow")
VANTERPOOL = person("Vanterpool", "Ezra", "1957-05-19", "M", "23 Fennimore Pl", "Eastbrook")
AUGUSTIN = person("Augustin", "Rhea", "1972-08-11", "F", "750 Windward Ln", "Eastbrook")


# -- the clean claims ---------------------------------------------------------------------
def clean_claims() -> list[tuple[str, str, dict]]:
    """(file, note, claim) for the claims that should pass every edit."""
    return [
        (
            "clean-01-htn-hld-followup.json",
            "Medicare established visit for hypertension and hyperlipidemia with a lipid panel",
            claim(
                program="medicare",
                insured_id="3TW7XK2MA48",
                patient=OKONKWO,
                payer=MEDICARE,
                provider=MAPLE_GROVE,
                diagnoses=["I10", "E78.5"],
                lines=[
                    line("2025-10-07", "99214", "195.00", "AB"),
                    line("2025-10-07", "36415", "15.00", "B"),
                    line("2025-10-07", "80061", "45.00", "B"),
                ],
                account="MGF-10231",
                submitted_on="2025-10-09",
            ),
        ),
        (
            "clean-02-strep-child.json",
            "Child on a parent's commercial plan; established visit and rapid strep test",
            claim(
                program="group",
                insured_id="LHP448201937",
                patient=BRANDT_CHILD,
                payer=LAKESHORE,
                provider=CEDAR_HOLLOW,
                relationship="child",
                insured=BRANDT_PARENT,
                insured_group="GRP-20417",
                plan_name="Lakeshore Choice PPO",
                diagnoses=["J02.0"],
                onset_date="2025-11-02",
                lines=[
                    line("2025-11-04", "99213", "135.00"),
                    line("2025-11-04", "87880", "32.00"),
                ],
                account="CHP-5521",
                submitted_on="2025-11-06",
            ),
        ),
        (
            "clean-03-diabetes-a1c.yaml",
            "Type 2 diabetes with hyperglycemia and hypertension; office A1c (YAML file)",
            claim(
                program="group",
                insured_id="PMI-7730215",
                patient=SATO,
                payer=PRAIRIE,
                provider=MAPLE_GROVE,
                insured_group="SCH-DIST-41",
                diagnoses=["E11.65", "I10"],
                lines=[
                    line("2025-12-02", "99214", "195.00", "AB"),
                    line("2025-12-02", "83036", "38.00", "A"),
                ],
                account="MGF-10377",
                submitted_on="2025-12-05",
            ),
        ),
        (
            "clean-04-knee-injection.json",
            (
                "Medicare: E/M with modifier 25 and a right-knee steroid injection the same day. "
                "25 is justified because the visit was significant and separately identifiable: "
                "beyond the usual check before the injection (20610 has a 0-day global period "
                "that already pays for it), the physician evaluated the worsening knee, reviewed "
                "treatment options and documented that work in its own note; a different "
                "diagnosis is not required. Without 25 the visit is bundled into the injection "
                "(EM-GLOBAL, CO-97)"
            ),
            claim(
                program="medicare",
                insured_id="6HN4RC8PD21",
                patient=VANTERPOOL,
                payer=MEDICARE,
                provider=RIVERBEND,
                diagnoses=["M17.11"],
                lines=[
                    line("2026-01-13", "99213", "135.00", modifiers=["25"]),
                    line("2026-01-13", "20610", "160.00", modifiers=["RT"]),
                    line("2026-01-13", "J1030", "18.00"),
                ],
                account="ROS-88012",
                submitted_on="2026-01-16",
            ),
        ),
        (
            "clean-05-annual-wellness-flu.json",
            "Medicare subsequent annual wellness visit with a high-dose flu shot",
            claim(
                program="medicare",
                insured_id="9FJ2UW5GE63",
                patient=HALVORSEN,
                payer=MEDICARE,
                provider=MAPLE_GROVE,
                diagnoses=["Z00.00", "Z23"],
                lines=[
                    line("2025-10-14", "G0439", "210.00", "A"),
                    line("2025-10-14", "90662", "72.00", "B"),
                    line("2025-10-14", "G0008", "30.00", "B"),
                ],
                account="MGF-10245",
                submitted_on="2025-10-20",
            ),
        ),
        (
            "clean-06-preventive-adult.yaml",
            "Commercial preventive visit, established patient age 40-64, with a lipid panel (YAML)",
            claim(
                program="group",
                insured_id="LHP501776420",
                patient=FARROW,
                payer=LAKESHORE,
                provider=MAPLE_GROVE,
                insured_group="GRP-31190",
                plan_name="Lakeshore Choice PPO",
                diagnoses=["Z00.00"],
                lines=[
                    line("2026-02-18", "99396", "240.00"),
                    line("2026-02-18", "36415", "15.00"),
                    line("2026-02-18", "80061", "45.00"),
                ],
                account="MGF-10560",
                submitted_on="2026-02-23",
            ),
        ),
        (
            "clean-07-physical-therapy.json",
            "Physical therapy follow-up for low back pain on referral; timed codes",
            claim(
                program="group",
                insured_id="PMI-6612984",
                patient=MWANGI,
                payer=PRAIRIE,
                provider=NORTHGATE_PT,
                referring_provider=REFERRING_ABARA,
                diagnoses=["M54.50"],
                onset_date="2026-02-26",
                lines=[
                    line("2026-03-10", "97110", "110.00", units="2"),
                    line("2026-03-10", "97112", "58.00"),
                ],
                account="NPT-2093",
                submitted_on="2026-03-12",
            ),
        ),
        (
            "clean-08-hand-laceration.json",
            "Urgent care: simple repair of a hand laceration from glass, with Tdap",
            claim(
                program="group",
                insured_id="LHP390155862",
                patient=DELACROIX,
                payer=LAKESHORE,
                provider=LAKESIDE_UC,
                place_of_service="20",
                diagnoses=["S61.411A", "W25.XXXA", "Z23"],
                onset_date="2026-04-11",
                lines=[
                    line("2026-04-11", "12002", "310.00", "AB"),
                    line("2026-04-11", "90715", "58.00", "C"),
                    line("2026-04-11", "90471", "28.00", "C"),
                ],
                account="LUC-77120",
                submitted_on="2026-04-14",
            ),
        ),
        (
            "clean-09-asthma-nebulizer.json",
            "Medicaid child: asthma exacerbation, E/M with 25, nebulizer treatment and albuterol",
            claim(
                program="medicaid",
                insured_id="MCD00482216A",
                patient=QUILL,
                payer=MEDICAID,
                provider=CEDAR_HOLLOW,
                diagnoses=["J45.901"],
                lines=[
                    line("2026-05-19", "99214", "195.00", modifiers=["25"]),
                    line("2026-05-19", "94640", "45.00"),
                    line("2026-05-19", "J7613", "8.00"),
                ],
                account="CHP-6034",
                submitted_on="2026-05-21",
            ),
        ),
        (
            "clean-10-cerumen-removal.json",
            "Hypertension follow-up plus removal of impacted cerumen, right ear (E/M with 25)",
            claim(
                program="group",
                insured_id="PMI-5901347",
                patient=AUGUSTIN,
                payer=PRAIRIE,
                provider=MAPLE_GROVE,
                diagnoses=["I10", "H61.21"],
                lines=[
                    line("2026-07-08", "99213", "135.00", "A", modifiers=["25"]),
                    line("2026-07-08", "69210", "95.00", "B"),
                ],
                account="MGF-11102",
                submitted_on="2026-07-10",
            ),
        ),
    ]


# -- the broken claims: one deliberate mistake each -----------------------------------------
def _variant(base: str, change: Callable[[dict], None]) -> dict:
    data = copy.deepcopy(dict((f, c) for f, _, c in clean_claims())[base])
    change(data)
    _retotal(data)
    return data


def _retotal(data: dict) -> None:
    if "total_charge" in data and not data.pop("_keep_total", False):
        data["total_charge"] = f"{sum(float(x['charge']) for x in data['lines']):.2f}"


def _set(**values: object) -> Callable[[dict], None]:
    return lambda data: data.update(copy.deepcopy(values))


def _ankle_visit(
    diagnoses: list[str], pointers: str, xray_modifiers: list[str]
) -> Callable[[dict], None]:
    """A new-patient ankle visit with an x-ray, on the orthopedic practice's claim."""
    return _set(
        diagnoses=diagnoses,
        onset_date="2026-03-01",
        submitted_on="2026-03-06",
        signature_date="2026-03-06",
        lines=[
            line("2026-03-03", "99203", "170.00", pointers),
            line("2026-03-03", "73610", "88.00", pointers, modifiers=xray_modifiers),
        ],
    )


def _no_pointer_on_line_3(data: dict) -> None:
    data["lines"][2]["pointers"] = []


def _typo_modifier(data: dict) -> None:
    data["lines"][1]["modifiers"] = ["5O"]


def _new_patient_visit_twice(data: dict) -> None:
    _ankle_visit(["S93.401A"], "A", ["RT"])(data)
    data["lines"][0].update(units="2", charge="340.00")


def _sent_late(data: dict) -> None:
    data.update(submitted_on="2026-11-22", signature_date="2026-11-22")


def _unrelated_excludes1(*, strict: bool) -> Callable[[dict], None]:
    """Bruxism in sleep and psychogenic dysmenorrhea (F45.8): an Excludes1 pair whose
    conditions the record shows to be unrelated (the guideline I.A.12.a example)."""

    def change(data: dict) -> None:
        data.update(
            diagnoses=["G47.63", "F45.8"],
            unrelated_dx_attested=[["G47.63", "F45.8"]],
            lines=[line("2026-07-08", "99213", "135.00", "AB")],
        )
        if strict:
            data["payer"] = {**data["payer"], "excludes1_strict": True}

    return change


def broken_claims() -> list[tuple[str, str, str, dict]]:
    """(file, edit ids, note, claim) for variants of the clean claims.

    Each trips exactly its labelled edit ("" for a variant that must stay clean).
    """
    htn = "clean-01-htn-hld-followup.json"
    strep = "clean-02-strep-child.json"
    dm = "clean-03-diabetes-a1c.yaml"
    knee = "clean-04-knee-injection.json"
    pt = "clean-07-physical-therapy.json"
    wax = "clean-10-cerumen-removal.json"
    return [
        ("edit-icd-invalid-header.json", "ICD-INVALID",
         "E11 is a category header, not a billable code (E11.9 or more specific)",
         _variant(dm, _set(diagnoses=["E11", "I10"]))),
        ("edit-icd-invalid-fy2026.json", "ICD-INVALID",
         "E78.01 was billable in FY2025 but is a header in FY2026 (expanded); no grace period",
         _variant(htn, _set(diagnoses=["I10", "E78.01"]))),
        ("edit-icd-7th-missing.json", "ICD-7TH",
         "S93.401 (ankle sprain) lacks its 7th character (A initial encounter)",
         _variant(knee, _ankle_visit(["S93.401"], "A", ["RT"]))),
        ("edit-icd-excludes1.json", "ICD-EXCLUDES1",
         "J06.9 and J02.0 together: J06 Excludes1 streptococcal pharyngitis (J02.0); a warning, "
         "since unrelated conditions may both be reported (I.A.12.a), but here they are one "
         "infection: code J02.0 alone",
         _variant(strep, _set(diagnoses=["J02.0", "J06.9"], lines=[
             line("2025-11-04", "99213", "135.00", "AB"),
             line("2025-11-04", "87880", "32.00", "A"),
         ]))),
        ("edit-dx-sex.json", "DX-SEX",
         "N40.0 (benign prostatic hyperplasia) on a female patient",
         _variant(wax, _set(diagnoses=["N40.0"], lines=[line("2026-07-08", "99213", "135.00")]))),
        ("edit-dx-age.yaml", "DX-AGE",
         "Z00.129 (routine child health exam) on a 57-year-old; the MCE pediatric range is 0-17 "
         "(YAML file)",
         _variant(dm, _set(diagnoses=["Z00.129"], lines=[line("2025-12-02", "99213", "135.00")]))),
        ("clean-11-excludes1-unrelated-attested.json", "",
         "G47.63 and F45.8 share an Excludes1 note, but the record shows bruxism in sleep and "
         "psychogenic dysmenorrhea are unrelated; the claim attests it (unrelated_dx_attested)",
         _variant(wax, _unrelated_excludes1(strict=False))),
        ("edit-icd-excludes1-strict-payer.json", "ICD-EXCLUDES1",
         "The same attested unrelated pair sent to a payer whose rule (excludes1_strict) denies "
         "every Excludes1 pair",
         _variant(wax, _unrelated_excludes1(strict=True))),
        ("edit-dx-first.json", "DX-FIRST",
         "External-cause code W19.XXXA (fall) listed first, before the ankle sprain",
         _variant(knee, _ankle_visit(["W19.XXXA", "S93.401A"], "B", ["RT"]))),
        ("edit-ptr-missing.json", "PTR-MISSING",
         "Line 3 (lipid panel) has no diagnosis pointer in 24E",
         _variant(htn, _no_pointer_on_line_3)),
        ("edit-proc-invalid.json", "PROC-INVALID",
         "99219 (initial observation care) was deleted from CPT in 2023 and is in no code set",
         _variant(wax, _set(diagnoses=["I10"], lines=[line("2026-07-08", "99219", "180.00")]))),
        ("edit-mod-invalid.json", "MOD-INVALID",
         "Modifier 5O: the letter O typed for a zero; no such modifier",
         _variant(knee, _typo_modifier)),
        ("edit-mod-25-no-procedure.json", "MOD-25",
         "Modifier 25 on an E/M with no procedure the same day",
         _variant(wax, _set(diagnoses=["I10"],
                            lines=[line("2026-07-08", "99213", "135.00", modifiers=["25"])]))),
        ("edit-mod-ltrt-one-line.json", "MOD-LTRT",
         "LT and RT on one ankle x-ray line; bill two lines (or 50 where the payer wants it)",
         _variant(knee, _ankle_visit(["S93.401A", "S93.402A"], "AB", ["LT", "RT"]))),
        ("edit-mod-50-units.json", "MOD-50",
         "Bilateral knee injection billed 20610-50 with 2 units; modifier 50 goes with 1 unit",
         _variant(knee, _set(diagnoses=["M17.0"],
                             lines=[line("2026-01-13", "20610", "240.00", modifiers=["50"], units="2")]))),
        ("edit-ncci-ptp-cmp-bmp.json", "NCCI-PTP",
         "80053 (CMP) with 80048 (BMP) the same day: the BMP is part of the CMP (indicator 0)",
         _variant(dm, _set(lines=[
             line("2025-12-02", "99214", "195.00", "AB"),
             line("2025-12-02", "36415", "15.00", "A"),
             line("2025-12-02", "80053", "60.00", "A"),
             line("2025-12-02", "80048", "40.00", "A"),
         ]))),
        ("edit-ncci-ptp-therapy.json", "NCCI-PTP",
         "97140 with 97530 the same day without a bypass modifier (indicator 1; 59/XU when distinct)",
         _variant(pt, _set(lines=[
             line("2026-03-10", "97140", "52.00"),
             line("2026-03-10", "97530", "60.00"),
         ]))),
        ("edit-mue-em-units.json", "MUE",
         "New-patient visit 99203 billed with 2 units; it happens once a day (MUE 1)",
         _variant(knee, _new_patient_visit_twice)),
        ("edit-dup-line.json", "DUP-LINE",
         "The same 97110 line (code, modifiers, date) entered twice",
         _variant(pt, _set(lines=[
             line("2026-03-10", "97110", "55.00"),
             line("2026-03-10", "97110", "55.00"),
         ]))),
        ("edit-timely-filing.json", "TIMELY-FILING",
         "Prairie Mutual allows 90 days; sent 137 days after the date of service",
         _variant(wax, _sent_late)),
        ("edit-total-mismatch.json", "TOTAL-MISMATCH",
         "Item 28 says 210.00 but the lines in 24F add up to 230.00",
         _variant(wax, _set(total_charge="210.00", _keep_total=True))),
    ]  # fmt: skip


# -- files that must not load ------------------------------------------------------------------
def load_errors() -> list[tuple[str, str, str]]:
    """(file, note, text) for files that from_dict/load must reject with ClaimError."""
    base = dict((f, c) for f, _, c in clean_claims())
    many = copy.deepcopy(base["clean-01-htn-hld-followup.json"])
    many["diagnoses"] = [
        "I10", "E78.5", "E11.9", "E66.9", "Z68.30", "K21.9", "F41.1",
        "E55.9", "D64.9", "E03.9", "M19.90", "R05.9", "J45.909",
    ]  # fmt: skip
    negative = copy.deepcopy(base["clean-02-strep-child.json"])
    negative["lines"][1]["charge"] = "-32.00"
    negative["total_charge"] = "103.00"
    bad_npi = copy.deepcopy(base["clean-06-preventive-adult.yaml"])
    bad_npi["billing_provider"]["npi"] = "1748029357"
    dangling = copy.deepcopy(base["clean-10-cerumen-removal.json"])
    dangling["lines"][1]["pointers"] = ["C"]
    malformed = json_text(base["clean-05-annual-wellness-flu.json"]).replace(
        '"insured_id": "9FJ2UW5GE63",', '"insured_id": "9FJ2UW5GE63"', 1
    )
    return [
        ("load-13-diagnoses.json", "13 diagnoses; item 21 holds 12 (A-L)", json_text(many)),
        ("load-negative-charge.json", "Item 24F line 2 charge is negative", json_text(negative)),
        ("load-bad-npi.yaml", "Item 33a NPI fails the check digit (YAML file)", yaml_text(bad_npi)),
        ("load-malformed.json", "Not valid JSON: a comma is missing after insured_id", malformed),
        ("load-dangling-pointer.json",
         "Item 24E line 2 points at C, but item 21 has only A and B", json_text(dangling)),
    ]  # fmt: skip


# -- writing (make_ub04_samples.py writes its files with these too) -------------------------------
def json_text(data: dict) -> str:
    """``data`` as an indented JSON claim file."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def yaml_text(data: dict) -> str:
    """``data`` as a YAML claim file."""
    import yaml

    plain = json.loads(json.dumps(data))  # no shared objects, so no YAML aliases
    return yaml.safe_dump(plain, sort_keys=False, allow_unicode=True, width=100)


def file_text(name: str, data: dict) -> str:
    """``data`` as the file ``name`` holds it: YAML for .yaml/.yml, else JSON."""
    return yaml_text(data) if name.endswith((".yaml", ".yml")) else json_text(data)


def sample_files(clean: list, broken: list, errors: list, labels: str) -> dict[str, str]:
    """Every sample file's name and text: the ``clean`` (name, note, data), the ``broken``
    (name, expected edits, note, data), the load ``errors`` (name, note, text), and the
    ``labels`` CSV that says what each should give."""
    out = {name: file_text(name, data) for name, _, data in clean}
    out |= {name: file_text(name, data) for name, _, _, data in broken}
    out |= {name: text for name, _, text in errors}
    rows = [(name, "", note) for name, note, _ in clean]
    rows += [(name, edit, note) for name, edit, note, _ in broken]
    rows += [(name, "LOAD-ERROR", note) for name, note, _ in errors]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["file", "expected_edits", "note"])
    writer.writerows(rows)
    out[labels] = buffer.getvalue()
    return out


def write_checked(
    files: dict[str, str],
    loadable: list[str],
    errors: list[str],
    load: Callable[[Path], object],
    error: type[Exception],
) -> int:
    """Write the files, checking that each ``loadable`` loads and each of ``errors`` fails."""
    for name, text in files.items():
        (HERE / name).write_text(text, encoding="utf-8")
    for name in loadable:
        load(HERE / name)
    for name in errors:
        try:
            load(HERE / name)
        except error:
            continue
        raise SystemExit(f"{name} loaded, but it is labelled LOAD-ERROR")
    print(f"wrote {len(files)} files to {HERE}")
    return 0


def samples() -> dict[str, str]:
    """Every sample file's name and text, including labels.csv."""
    return sample_files(clean_claims(), broken_claims(), load_errors(), "labels.csv")


def main() -> int:
    """Write the files, checking that each loads (or fails to) as labelled."""
    loadable = [n for n, _, _ in clean_claims()] + [n for n, _, _, _ in broken_claims()]
    errors = [n for n, _, _ in load_errors()]
    return write_checked(samples(), loadable, errors, claims.load, claims.ClaimError)


if __name__ == "__main__":
    raise SystemExit(main())
