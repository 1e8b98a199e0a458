"""``medbill-lab claim adjudicate FILE`` (cli/claims.py, issue 16 part 6): a UB-04 paid by the
teaching payer as a user runs it, inpatient by MS-DRG and outpatient by the fee schedule,
its 835 written with ``--out`` and read back by ``x12 read`` with the DRG, its title and
weight, the MIA amounts and the revenue codes; a CMS-1500 and bad input answered in one line."""

from __future__ import annotations

import json
from decimal import Decimal

from medbill_lab.claims import institutional as inst
from medbill_lab.codes import drg
from medbill_lab.datasets import datasets_dir
from medbill_lab.payer.drg_payment import TEACHING_BASE_RATE
from medbill_lab.payer.facility import TEACHING_PART_A_DEDUCTIBLE

CLAIMS = datasets_dir() / "claims"
PNEUMONIA = CLAIMS / "ub04-clean-01-pneumonia.json"  # Medicare (MBL01), 4 days, $9,457.40
ER_VISIT = CLAIMS / "ub04-clean-03-er-outpatient.json"  # outpatient 0131, FL 51 MBL11
PAID_ON = "2026-04-10"


def _variant(tmp_path, source, name: str, **changes: object) -> str:
    """A copy of a sample UB-04 with some fields changed (None: left out), as a file."""
    data = {**inst.read_data(source), **changes}
    path = tmp_path / name
    path.write_text(json.dumps({k: v for k, v in data.items() if v is not None}), "utf-8")
    return str(path)


def _adjudicate(cli, *args: str) -> dict:
    run = cli("claim", "adjudicate", *args, "--paid-on", PAID_ON, "--json")
    assert run.err == "", run
    return {"code": run.code, **json.loads(run.out)}


def test_an_inpatient_stay_reads_like_a_remittance(cli, tmp_path):
    out = tmp_path / "stay.835"
    run = cli("claim", "adjudicate", str(PNEUMONIA), "--paid-on", PAID_ON, "--out", str(out))
    assert (run.code, run.err) == (0, ""), run
    text = run.out
    assert "MS-DRG 194 Simple Pneumonia and Pleurisy with CC" in text
    assert "relative weight 0.8059" in text
    assert "$6,000.00 teaching base rate x 0.8059 weight = $4,835.40" in text
    assert "teaching figure" in text
    assert "Left out: wage index" in text and "cost outliers" in text
    assert "DRG 194 is a post-acute transfer DRG" in text  # the payer's notes, under Why
    # Medicare: the (teaching) Part A deductible, no coinsurance
    assert "allowed $4,835.40; patient owes $1,700.00; paid $3,135.40" in text
    assert f"Wrote {out}" in text and out.read_text().startswith("ISA*")


def test_the_drg_weight_and_payment_follow_the_codes(cli, tmp_path):
    """The same stay with no CC, a CC and an MCC: three DRGs, each paid at the teaching base
    rate x its Table 5 weight, less the Part A deductible."""
    paid = []
    for secondaries, expected in (
        ([], "195"),
        ([{"code": "N17.9", "poa": "Y"}], "194"),
        ([{"code": "J96.01", "poa": "Y"}], "193"),
    ):
        path = _variant(tmp_path, PNEUMONIA, f"stay-{expected}.json", other_diagnoses=secondaries)
        got = _adjudicate(cli, path)
        weight = drg.table("43")[expected].weight
        amount = (TEACHING_BASE_RATE * weight).quantize(Decimal("0.01"))
        assert (got["code"], got["outcome"], got["drg"]["code"]) == (0, "paid", expected)
        assert Decimal(got["drg"]["weight"]) == weight
        assert got["payment"]["base_rate_is_teaching"] is True
        assert Decimal(got["payment"]["amount"]) == amount == Decimal(got["allowed"])
        assert Decimal(got["paid"]) == amount - TEACHING_PART_A_DEDUCTIBLE
        paid.append(Decimal(got["paid"]))
    assert paid == sorted(paid) and len(set(paid)) == 3


def test_the_835_reads_back_with_the_drg_its_title_weight_and_mia(cli, tmp_path):
    out = tmp_path / "stay.835"
    got = _adjudicate(cli, str(PNEUMONIA), "--out", str(out))
    assert got["written"] == str(out)
    (tx,) = json.loads(cli("x12", "read", str(out), "--json").out)["transactions"]
    (claim,) = tx["claims"]
    assert (claim["drg"], claim["drg_weight"]) == ("194", "0.8059")
    assert claim["drg_title"] == "SIMPLE PNEUMONIA AND PLEURISY WITH CC"
    amounts = {a["element"]: Decimal(a["amount"]) for a in claim["inpatient"]["amounts"]}
    assert amounts == {
        "MIA02": 0,
        "MIA04": Decimal(got["payment"]["amount"]),
        "MIA06": 0,
        "MIA18": 0,
    }
    assert claim["inpatient"]["covered_days"] == "4"
    assert Decimal(claim["paid"]) == Decimal(got["paid"])
    text = cli("x12", "read", str(out)).out
    assert "    DRG 194 SIMPLE PNEUMONIA AND PLEURISY WITH CC (title from MS-DRG v43" in text
    assert "Inpatient (MIA): 4 covered day(s); operating outlier 0 (MIA02); DRG amount" in text


def test_an_outpatient_claim_is_paid_line_by_line_and_its_835_names_the_revenue_codes(
    cli, tmp_path
):
    data = inst.read_data(ER_VISIT)
    extra = {
        "revenue_code": "0320",
        "service_date": data["statement_from"],
        "total_charge": "150.00",
    }
    path = _variant(
        tmp_path, ER_VISIT, "er.json", lines=[*data["lines"], extra], total_charge="2345.00"
    )
    out = tmp_path / "er.835"
    got = _adjudicate(cli, path, "--payer", "MBL03", "--out", str(out))
    assert (got["code"], got["drg"], got["payment"]) == (0, None, None)
    assert got["lines"][0] == {
        "revenue_code": "0450",
        "hcpcs": "99284",
        "charge": "1450.00",
        "allowed": "480.00",
        "paid": "0.00",  # Evergreen's $1,500 deductible takes every allowed dollar
        "adjustments": [
            {"group": "CO", "reason": "45", "amount": "970.00"},
            {"group": "PR", "reason": "1", "amount": "480.00"},
        ],
        "remarks": [],
    }
    assert got["lines"][-1]["hcpcs"] == "" and got["lines"][-1]["remarks"] == ["M20"]
    assert (got["paid"], got["patient_responsibility"]) == ("0.00", "641.00")
    (claim,) = json.loads(cli("x12", "read", str(out), "--json").out)["transactions"][0]["claims"]
    services = claim["services"]
    assert [s["revenue_code"] for s in services] == [line["revenue_code"] for line in got["lines"]]
    assert (services[-1]["qualifier"], services[-1]["code"]) == ("NU", "0320")
    assert "drg" not in claim and "inpatient" not in claim
    text = cli("x12", "read", str(out)).out
    assert "Service revenue code 0450 99284 2026-02-09: charged 1450" in text
    assert "Service revenue code 0320 (no HCPCS) 2026-02-09" in text


def test_the_plan_is_the_teaching_payer_or_the_default_and_says_which(cli):
    default = _adjudicate(cli, str(ER_VISIT))  # FL 51 MBL11 is not a teaching payer
    assert "MBL11 is not a teaching payer" in default["rules"]
    assert default["payer"] == {
        "id": "MBL11",
        "name": "Prairie Mutual Insurance",
        "plan_type": "commercial",
    }
    assert Decimal(default["patient_responsibility"]) == Decimal("641.00") * Decimal("0.20")
    medicaid = _adjudicate(cli, str(ER_VISIT), "--payer", "mbl02")
    assert medicaid["payer"]["plan_type"] == "medicaid"
    assert (medicaid["patient_responsibility"], medicaid["paid"]) == ("0.00", "641.00")


def test_a_claim_sent_too_late_is_denied_and_still_gets_an_835(cli, tmp_path):
    path = _variant(tmp_path, PNEUMONIA, "late.json", submitted_on=None)
    out = tmp_path / "late.835"
    run = cli("claim", "adjudicate", path, "--paid-on", "2027-06-01", "--out", str(out))
    assert run.code == 0 and "CO-29 $9,457.40" in run.out and "paid $0.00" in run.out
    assert "*CO*29*9457.4" in out.read_text()


def test_a_rejected_claim_exits_1_and_writes_no_835(cli, tmp_path):
    out = tmp_path / "rejected.835"
    source = CLAIMS / "ub04-edit-pdx-unacceptable.json"
    run = cli("claim", "adjudicate", str(source), "--paid-on", PAID_ON, "--out", str(out))
    assert (run.code, run.err) == (1, "")
    assert (
        "Rejected at the front end, not adjudicated: FL 67: principal diagnosis B96.20" in run.out
    )
    assert "277CA (STC A7:21)" in run.out and not out.exists()
    got = _adjudicate(cli, str(source))
    assert (got["code"], got["outcome"], got["status_codes"]) == (1, "rejected", ["A7:21"])
    payer = {**inst.read_data(PNEUMONIA)["payers"][0], "insured_id": "!"}
    bad_member = _variant(tmp_path, PNEUMONIA, "member.json", payers=[payer])
    assert _adjudicate(cli, bad_member)["reason"].startswith("FL 60: member ID '!'")


def test_a_cms1500_file_points_to_the_professional_path_in_one_line(cli):
    run = cli("claim", "adjudicate", str(CLAIMS / "clean-01-htn-hld-followup.json"))
    run.fails_in_one_line("is a CMS-1500 (professional) claim")
    assert "practice adjudicate" in run.err


def test_bad_input_is_one_line(cli, tmp_path):
    cli("claim", "adjudicate", str(CLAIMS / "ub04-load-revenue-code.json")).fails_in_one_line(
        "FL 42 line 1: revenue code '450' is not 4 digits"
    )
    cli("claim", "adjudicate", str(tmp_path / "none.json")).fails_in_one_line("No such file")
    cli("claim", "adjudicate", str(PNEUMONIA), "--payer", "XYZ").fails_in_one_line(
        "--payer XYZ: not a teaching payer (MBL01, MBL02, MBL03, MBL04)"
    )
    snf = _variant(tmp_path, PNEUMONIA, "snf.json", type_of_bill="0211")
    cli("claim", "adjudicate", snf).fails_in_one_line("FL 4: type of bill 0211")
    cli("claim", "adjudicate", str(PNEUMONIA), "--paid-on", "2026-13-01").fails_in_one_line(
        "not a date"
    )
