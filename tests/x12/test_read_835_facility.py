"""``x12 read`` on a facility 835 (issue 16 part 6): the DRG of CLP11 with its title from the
lab's MS-DRG table, the weight (CLP12) and discharge fraction (CLP13), the MIA days and amounts
with its remarks (MIA05, MIA20-23; MIA24 is an amount), and each line's revenue code (SVC04, or
the code of an NU line), in JSON and in words; a professional 835 gets none of them."""

from __future__ import annotations

from medbill_lab.x12.reading import read_file, render

ISA = (
    "ISA*00*          *00*          *ZZ*PAYER          *ZZ*HOSPITAL       "
    "*260410*1200*^*00501*000000001*0*T*:~GS*HP*PAYER*HOSPITAL*20260410*1200*1*X*005010X221A1~"
)


def _835(payment: str, *claim_segments: str) -> str:
    body = [
        "ST*835*0001",
        f"BPR*I*{payment}*C*CHK************20260410",
        "TRN*1*CHK1*1999999999",
        "N1*PR*TEACHING PAYER",
        "N1*PE*HARLOW COMMUNITY HOSPITAL*XX*1047534783",
        "LX*1",
        *claim_segments,
    ]
    body.append(f"SE*{len(body) + 1}*0001")
    return ISA + "~".join(body) + "~GE*1*1~IEA*1*000000001~"


def _claims(text: str) -> list[dict]:
    result = read_file(text)
    assert result["diagnostics"] == [], result["diagnostics"]
    return result["transactions"][0]["claims"]


def test_clp11_to_13_give_the_drg_its_title_weight_and_fraction() -> None:
    text = _835(
        "5000",
        "CLP*HIP1*1*30000*5000*0*MA*PCN1*11*1**470*1.9289*0.5",
        "CAS*CO*45*25000",
        "CLP*APR1*1*9000*0*0*MC*PCN2*11*1**8001*0.9",
        "CAS*CO*45*9000",
        "CLP*HF1*1*12000*0*0*MA*PCN3*11*1**291",
        "CAS*CO*45*12000",
    )
    hip, apr, heart = _claims(text)
    assert {k: v for k, v in hip.items() if k.startswith(("drg", "discharge"))} == {
        "drg": "470",
        "drg_title": (
            "MAJOR HIP AND KNEE JOINT REPLACEMENT OR REATTACHMENT OF LOWER EXTREMITY WITHOUT MCC"
        ),
        "drg_weight": "1.9289",
        "drg_title_source": "MS-DRG v43 (FY2026) Table 5",
        "discharge_fraction": "0.5",
    }
    # a code that is not one of the table's MS-DRGs gets no title, and says so
    assert (apr["drg"], apr["drg_title"], apr["drg_weight"]) == ("8001", "", "0.9")
    assert "drg_title_source" not in apr
    assert (heart["drg"], heart["drg_title"], heart["drg_weight"]) == (
        "291",
        "HEART FAILURE AND SHOCK WITH MCC",
        "",
    )
    words = render(read_file(text))
    assert (
        "    DRG 470 MAJOR HIP AND KNEE JOINT REPLACEMENT OR REATTACHMENT OF LOWER EXTREMITY "
        "WITHOUT MCC (title from MS-DRG v43 (FY2026) Table 5), relative weight 1.9289\n"
        "    Discharge fraction (CLP13): 0.5\n"
    ) in words
    assert "    DRG 8001 (not in MS-DRG v43 (FY2026) Table 5: a DRG of another grouper?)" in words
    assert "    DRG 291 HEART FAILURE AND SHOCK WITH MCC (title from MS-DRG v43" in words
    assert ", relative weight" not in words.split("DRG 291")[1].split("\n")[0]


def test_mia_days_amounts_and_remarks_are_read_and_mia24_is_an_amount() -> None:
    values = {1: "6", 2: "125.5", 3: "2", 4: "4800", 5: "MA01", 6: "310", 15: "7"}
    values |= {17: "95", 18: "0", 20: "N89", 24: "250"}
    mia = "*".join(["MIA", *(values.get(n, "") for n in range(1, 25))])
    text = _835(
        "5000",
        "CLP*PSY1*1*9000*5000*175*MA*PCN1*11*1**885*1.2",
        "CAS*CO*45*3825",
        "CAS*PR*1*175",
        mia,
    )
    (claim,) = _claims(text)
    assert claim["remarks"] == ["MA01", "N89"]
    assert claim["inpatient"] == {
        "covered_days": "6",
        "lifetime_psychiatric_days": "2",
        "cost_report_days": "7",
        "amounts": [
            {"element": "MIA02", "meaning": "operating outlier", "amount": "125.5"},
            {"element": "MIA04", "meaning": "DRG amount", "amount": "4800"},
            {"element": "MIA06", "meaning": "disproportionate share (DSH)", "amount": "310"},
            {"element": "MIA17", "meaning": "capital outlier", "amount": "95"},
            {"element": "MIA18", "meaning": "indirect teaching (IME)", "amount": "0"},
            {"element": "MIA24", "meaning": "capital exception amount", "amount": "250"},
        ],
        "remarks": ["MA01", "N89"],
    }
    words = render(read_file(text))
    assert (
        "    Inpatient (MIA): 6 covered day(s); 2 lifetime psychiatric day(s); 7 cost report "
        "day(s); operating outlier 125.5 (MIA02); DRG amount 4800 (MIA04)"
    ) in words
    assert "capital exception amount 250 (MIA24)" in words and "remark 250" not in words


def test_each_line_names_its_revenue_code_from_svc04_or_an_nu_code() -> None:
    text = _835(
        "504",
        "CLP*ER1*1*1600*504*126*12*PCN1*13*1",
        "SVC*HC:99284*1450*384*0450",
        "DTM*472*20260209",
        "CAS*CO*45*970",
        "CAS*PR*2*96",
        "SVC*NU:0320*150*120",
        "CAS*PR*2*30",
    )
    (claim,) = _claims(text)
    visit, xray = claim["services"]
    assert (visit["qualifier"], visit["code"], visit["revenue_code"]) == ("HC", "99284", "0450")
    assert (xray["qualifier"], xray["code"], xray["revenue_code"]) == ("NU", "0320", "0320")
    assert "drg" not in claim and "inpatient" not in claim
    words = render(read_file(text))
    assert "    Service revenue code 0450 99284 2026-02-09: charged 1450, paid 384" in words
    assert "    Service revenue code 0320 (no HCPCS): charged 150, paid 120" in words


def test_a_professional_835_gets_no_facility_fields() -> None:
    text = _835(
        "92.40",
        "CLP*SMP1*1*150*92.40*23.10*12*PCN1*11*1",
        "SVC*HC:99213:25*150*92.40**1",
        "CAS*CO*45*34.50",
        "CAS*PR*2*23.10",
    )
    (claim,) = _claims(text)
    assert not {"drg", "drg_weight", "inpatient", "discharge_fraction"} & set(claim)
    assert "revenue_code" not in claim["services"][0]
    words = render(read_file(text))
    assert "    Service 99213-25: charged 150" in words and "DRG" not in words
