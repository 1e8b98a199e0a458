"""The review's findings on ``x12 read`` (issue P9, #13): each rule at its edges, with a
case that must be reported and one that must not."""

from __future__ import annotations

import pytest
from x12_files import remit_text

from medbill_lab.x12.interpret import interpret
from medbill_lab.x12.reader import read_interchanges


def kinds(text: str, kind: str) -> list[dict]:
    out = interpret(read_interchanges(text))
    return [d for d in out["diagnostics"] if d["kind"] == kind]


# -- A: CLP05 is the sum of the PR adjustments (X12 RFI 2548), reversals exempt ---------------
@pytest.mark.parametrize(
    "claim",
    [
        ("CLP*A*1*100*70*30", "CAS*PR*1*30"),  # claim level
        ("CLP*A*1*100*70*30", "CAS*PR*1*10**2*20"),  # two PR reasons in one CAS
        ("CLP*A*1*100*70*30", "SVC*HC:99213*100*70", "CAS*PR*3*30"),  # line level
        ("CLP*A*1*100*70*30", "CAS*PR*1*5", "SVC*HC:99213*100*70", "CAS*PR*2*25"),  # both
        ("CLP*A*1*100*70*", "CAS*CO*45*30"),  # empty CLP05 and no PR: 0 = 0
        ("CLP*A*1*100*70", "CAS*CO*45*30"),  # no CLP05 at all
        ("CLP*A*22*-100*-70*-10", "CAS*PR*1*-30"),  # a reversal is exempt
    ],
)
def test_a_patient_responsibility_that_adds_up_is_not_reported(claim: tuple[str, ...]) -> None:
    assert kinds(remit_text("BPR*I*70*C*CHK", *claim), "patient responsibility") == []


@pytest.mark.parametrize(
    ("claim", "said"),
    [
        (("CLP*A*1*100*70*20", "CAS*PR*1*30"), "20 is not the sum of its PR adjustments"),
        (("CLP*A*1*100*70*", "CAS*PR*1*30"), "(empty, 0) is not the sum"),
        (("CLP*A*1*100*70*30", "CAS*CO*45*30"), "30 is not the sum of its PR adjustments"),
        (("CLP*A*2*100*70*30", "SVC*HC:99213*100*70", "CAS*CO*45*30"), "(off by 30)"),
        (("CLP*A*1*100*70*5", "CAS*PR*1*5", "SVC*X:1*100*70", "CAS*PR*2*25"), "(off by -25)"),
    ],
)
def test_a_patient_responsibility_that_does_not_add_up_is_a_warning(
    claim: tuple[str, ...], said: str
) -> None:
    found = kinds(remit_text("BPR*I*70*C*CHK", *claim), "patient responsibility")
    assert len(found) == 1, found
    assert found[0]["severity"] == "warning" and found[0]["segment"] == 5
    assert found[0]["loop"] == "2100" and said in found[0]["message"]
    assert "RFI 2548" in found[0]["message"]


def test_a_each_claim_is_told_apart_and_balancing_is_not_changed() -> None:
    text = remit_text(
        "BPR*I*150*C*CHK",
        "CLP*A*1*100*70*30",  # 5: right
        "CAS*PR*1*30",
        "CLP*B*1*100*80*0",  # 7: PR 20 but CLP05 0
        "CAS*PR*2*20",
        "CLP*C*1*10*0*5",  # 9: the last claim, closed by the end of the set
        "CAS*CO*45*10",
    )
    assert [d["segment"] for d in kinds(text, "patient responsibility")] == [7, 9]
    assert kinds(text, "balance") == []


# -- B: a PLB pair whose reason and amount are both empty is no adjustment -------------------
@pytest.mark.parametrize(
    "plb",
    [
        "PLB*P1*20261231*WO:A1*25.00**",  # one empty trailing pair
        "PLB*P1*20261231*WO:A1*25.00****",  # two
        "PLB*P1*20261231*WO:A1*15.00*L6*10.00**",  # an empty pair after two real ones
    ],
)
def test_b_an_empty_trailing_plb_pair_is_skipped_and_bpr02_still_checked(plb: str) -> None:
    claims = ("CLP*A*1*100*100*0",)
    right = remit_text("BPR*I*75*C*CHK", *claims, plb)  # 100 - 25
    assert kinds(right, "bad amount") == [] and kinds(right, "balance") == []
    wrong = remit_text("BPR*I*80*C*CHK", *claims, plb)
    assert kinds(wrong, "bad amount") == []
    (mismatch,) = kinds(wrong, "balance")
    assert "BPR02 total payment 80" in mismatch["message"] and "(off by 5" in mismatch["message"]


@pytest.mark.parametrize("plb", ["PLB*P1*20261231*WO:A1*25.00*L6*", "PLB*P1*20261231*WO:A1*"])
def test_b_a_plb_reason_without_its_amount_is_still_an_error(plb: str) -> None:
    text = remit_text("BPR*I*75*C*CHK", "CLP*A*1*100*100*0", plb)
    (empty,) = kinds(text, "bad amount")
    assert "PLB amount is empty" in empty["message"]


# -- C: the 4010 warning speaks of ICD-9 only for an 837 ------------------------------------
def _old_warning(path: str) -> str:
    from pathlib import Path

    data = (Path(__file__).resolve().parents[1] / "data" / "x12" / path).read_bytes()
    out = interpret(read_interchanges(data))
    return next(d["message"] for d in out["diagnostics"] if "is X12 4010" in d["message"])


@pytest.mark.parametrize(
    ("path", "icd9"),
    [
        ("835/pyx12-835-simple-4010.txt", False),
        ("837P/pyx12-simple-837p-4010.txt", True),
    ],
)
def test_c_the_4010_warning_mentions_icd9_only_for_claims(path: str, icd9: bool) -> None:
    message = _old_warning(path)
    assert "read as 5010" in message
    assert ("ICD-9" in message) is icd9


def test_c_a_4010_835_written_here_gets_no_icd9_words() -> None:
    text = remit_text("BPR*I*10*C*CHK", "CLP*A*1*10*10").replace("005010X221A1", "004010X091A1")
    (warning,) = kinds(text, "old version")
    assert "ICD-9" not in warning["message"] and "diagnosis" not in warning["message"]


# -- E: one control-number rule, one separator guess; a separator unlike ISA16 is said ------
def test_e_the_reader_and_core_share_one_control_number_rule() -> None:
    from medbill_lab.x12 import core, reader

    assert not hasattr(reader, "_same_control")
    assert reader.same_control is core.same_control


def test_e_interpret_guesses_separators_with_core() -> None:
    from medbill_lab.x12 import core
    from medbill_lab.x12 import interpret as module

    assert not hasattr(module, "COMPONENT_GUESSES")
    assert module.component_in_use is core.component_in_use


@pytest.mark.parametrize(
    ("svc", "used"),
    [
        ("SVC*HC>55669*100*100", ">"),
        ("SVC*HC>99213>26*100*100", ">"),
        ("SVC*HC|J1100*100*100", "|"),
    ],
)
def test_e_composites_unlike_isa16_are_read_and_said(svc: str, used: str) -> None:
    text = remit_text("BPR*I*100*C*CHK", "CLP*A*1*100*100*0", svc)
    out = interpret(read_interchanges(text))
    (warning,) = [d for d in out["diagnostics"] if d["kind"] == "component separator"]
    assert warning["severity"] == "warning" and warning["segment"] == 6
    assert (
        "ISA16 declares ':'" in warning["message"]
        and f"written with {used!r}" in warning["message"]
    )
    assert out["transactions"][0]["claims"][0]["services"][0]["code"] in {"55669", "99213", "J1100"}


@pytest.mark.parametrize(
    "svcs",
    [
        ("SVC*HC:99213*100*100",),  # as declared
        ("SVC*HC>55669*50*50", "SVC*HC:99213*50*50"),  # one composite written with ISA16's
        (),  # no composite at all
    ],
)
def test_e_composites_as_declared_are_not_reported(svcs: tuple[str, ...]) -> None:
    text = remit_text("BPR*I*100*C*CHK", "CLP*A*1*100*100*0", *svcs)
    assert kinds(text, "component separator") == []


def test_e_an_837_written_with_another_separator_is_said() -> None:
    from pathlib import Path

    corpus = Path(__file__).resolve().parents[1] / "data" / "x12"
    odd = (corpus / "837P" / "lfh-example6-chiropractic.837").read_bytes()
    (warning,) = kinds(odd, "component separator")
    assert "CLM05 '11>B>1'" in warning["message"]
    plain = (corpus / "837P" / "lfh-example1.837").read_bytes()
    assert kinds(plain, "component separator") == []


# -- F: IK4-03 codes I11 and I13 (listed by pyx12's 999 writer) are said in words -----------
def _ack(ik4_code: str) -> dict:
    text = (
        "ISA*00*          *00*          *ZZ*A              *ZZ*B              "
        "*260201*0930*^*00501*000000001*0*T*:~GS*FA*A*B*20260201*0930*1*X*005010X231A1~"
        "ST*999*0001*005010X231A1~AK1*HC*7*005010X222A1~AK2*837*0001*005010X222A1~"
        f"IK3*NM1*5*2010BA*8~IK4*9**{ik4_code}*X~IK5*R~AK9*R*1*1*0~SE*8*0001~"
        "GE*1*1~IEA*1*000000001~"
    )
    return interpret(read_interchanges(text))["transactions"][0]["sets"][0]["errors"][0]


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("I11", "fewer times than the guide requires"),
        ("I13", "'not used' in this situation"),
        ("I10", "'not used' is present"),  # the neighbours keep their words
        ("I12", "required pattern"),
    ],
)
def test_f_ik4_codes_are_said_in_words(code: str, said: str) -> None:
    (element,) = _ack(code)["elements"]
    assert element["code"] == code and said in element["text"]
    assert "unknown code" not in element["text"]


def test_f_every_ik4_code_pyx12_writes_is_known() -> None:
    from medbill_lab.x12.interpret import ELEMENT_ERRORS

    written = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "12", "13"}
    written |= {"I6", "I9", "I10", "I11", "I12", "I13"}
    assert written <= set(ELEMENT_ERRORS)
    assert _ack("I99")["elements"][0]["text"] == "unknown code I99"


# -- D: a 999 answers a set by its group (AK1-02 = GS06) and set (AK2-02 = ST02) -------------
def _corpus(path: str) -> str:
    from pathlib import Path

    return (Path(__file__).resolve().parents[1] / "data" / "x12" / path).read_text()


def _two_groups(first: str, second: str) -> str:
    """The COB 837P's one group (GS06 2002, ST02 0001) twice in one interchange, as groups
    ``first`` and ``second``; the copy in group 1 bills claim OTHER01 instead of SMPCOB01."""
    text = _corpus("837P/own-cob-bad-amt-for-999.837").replace("\n", "")
    isa, rest = text.split("~", 1)
    body = rest[: rest.index("IEA*")]  # GS .. GE
    groups = {"1": body.replace("2002*X*", "1*X*").replace("GE*1*2002", "GE*1*1")}
    groups["1"] = groups["1"].replace("SMPCOB01", "OTHER01")
    groups["2002"] = body
    return f"{isa}~{groups[first]}{groups[second]}IEA*2*000002002~"


def _traced(ack_group: str, claims: str) -> dict:
    from medbill_lab.x12.reading import read_file

    ack = _corpus("999/own-999-rejects-amt-2320.txt").replace(
        "AK1*HC*2002*", f"AK1*HC*{ack_group}*"
    )
    return read_file(ack, claims)


@pytest.mark.parametrize(
    ("ack_group", "order", "claim_id", "claim"),
    [
        ("2002", ("1", "2002"), "SMPCOB01", 2),  # second: after group 1's two claims
        ("2002", ("2002", "1"), "SMPCOB01", 0),
        ("1", ("2002", "1"), "OTHER01", 2),
        ("0001", ("1", "2002"), "OTHER01", 0),  # control numbers compare as numbers
    ],
)
def test_d_two_groups_with_the_same_st02_are_told_apart(
    ack_group: str, order: tuple[str, str], claim_id: str, claim: int
) -> None:
    result = _traced(ack_group, _two_groups(*order))
    (error,) = result["transactions"][0]["sets"][0]["errors"]
    assert (error["claim_id"], error["claim"], error["traced_loop"]) == (claim_id, claim, "2320")
    assert not any("point at no segment" in d["message"] for d in result["diagnostics"])


def test_d_a_claims_file_without_the_answered_group_is_said_by_read_file() -> None:
    result = _traced("7777", _two_groups("1", "2002"))
    (error,) = result["transactions"][0]["sets"][0]["errors"]
    assert "traced_loop" not in error
    (warning,) = [d for d in result["diagnostics"] if "point at no segment" in d["message"]]
    assert (
        warning["severity"] == "warning" and "the claims file: 1 of the 999's" in warning["message"]
    )
    assert "AK1-02" in warning["message"]


def test_d_the_app_says_it_too() -> None:
    from medbill_lab.apps.file_reader import read_html

    ack = _corpus("999/own-999-rejects-amt-2320.txt").encode()
    wrong = _corpus("837P/lfh-example1.837").encode()
    assert "point at no segment of an 837 set" in read_html(ack, wrong)
    right = _corpus("837P/own-cob-bad-amt-for-999.837").encode()
    assert "point at no segment" not in read_html(ack, right)


# -- H: a service period DTM*150/151 is read as the line's date and date_to ------------------
@pytest.mark.parametrize(
    ("dtms", "date", "date_to", "said"),
    [
        (
            ("DTM*150*20261101", "DTM*151*20261105"),
            "20261101",
            "20261105",
            "2026-11-01 to 2026-11-05",
        ),
        (
            ("DTM*151*20261130", "DTM*150*20261128"),
            "20261128",
            "20261130",
            "2026-11-28 to 2026-11-30",
        ),
        (("DTM*472*20261103",), "20261103", "", "99213 2026-11-03:"),
        (("DTM*150*20261101", "DTM*151*20261101"), "20261101", "20261101", "99213 2026-11-01:"),
        (("DTM*036*20261231",), "", "", "99213: charged"),  # not a service date
    ],
)
def test_h_a_service_period_is_read(
    dtms: tuple[str, ...], date: str, date_to: str, said: str
) -> None:
    from medbill_lab.x12.reading import render

    text = remit_text("BPR*I*100*C*CHK", "CLP*A*1*100*100*0", "SVC*HC:99213*100*100", *dtms)
    result = interpret(read_interchanges(text))
    (service,) = result["transactions"][0]["claims"][0]["services"]
    assert (service["date"], service["date_to"]) == (date, date_to)
    assert said in render(result)


# -- G: the 835 names the claim's patient (NM1*QC) -------------------------------------------
@pytest.mark.parametrize(
    ("nm1", "patient", "said"),
    [
        (
            "NM1*QC*1*DOE*JANE****MI*SYN123",
            {"last": "DOE", "first": "JANE", "id": "SYN123"},
            "Patient: DOE, JANE, member ID SYN123",
        ),
        (
            "NM1*QC*1*ROE*RICHARD",
            {"last": "ROE", "first": "RICHARD", "id": ""},
            "Patient: ROE, RICHARD\n",
        ),
        (
            "NM1*IL*1*DOE*JOHN****MI*SUB9",
            {"last": "", "first": "", "id": ""},
            "Claim A",
        ),  # the insured
    ],
)
def test_g_the_patient_is_read_onto_the_claim(nm1: str, patient: dict, said: str) -> None:
    from medbill_lab.x12.reading import render

    text = remit_text("BPR*I*100*C*CHK", "CLP*A*1*100*100*0", nm1, "SVC*HC:99213*100*100")
    result = interpret(read_interchanges(text))
    assert result["transactions"][0]["claims"][0]["patient"] == patient
    assert said in render(result) + "\n"
    assert ("Patient:" in render(result)) is bool(patient["last"])


def test_g_each_claim_keeps_its_own_patient() -> None:
    text = remit_text(
        "BPR*I*150*C*CHK",
        "CLP*A*1*100*100*0",
        "NM1*QC*1*DOE*JANE",
        "CLP*B*1*50*50*0",
        "NM1*QC*1*POE*EDGAR****MI*SYN9",
    )
    claims = interpret(read_interchanges(text))["transactions"][0]["claims"]
    assert [(c["patient"]["last"], c["patient"]["id"]) for c in claims] == [
        ("DOE", ""),
        ("POE", "SYN9"),
    ]


# -- I: a 277CA's batch (HL 21) and billing provider (HL 19) statuses are kept ---------------
def _ack_277(provider_stc: str = "", batch_stc: str = "STC*A1:19*20261202*WQ*100") -> str:
    body = [
        "ST*277*0001*005010X214",
        "BHT*0085*08*SYNBATCH*20261202*0800*TH",
        "HL*1**20*1",
        "NM1*PR*2*SYNTHETIC PAYER*****PI*SYNPAY",
        "HL*2*1*21*1",
        "NM1*41*2*SYNTHETIC CLINIC*****46*SUB01",
        "TRN*2*SYNBATCH",
        *([batch_stc] if batch_stc else []),
        "HL*3*2*19*1",
        "NM1*85*2*SYNTHETIC CLINIC*****XX*1234567893",
        "TRN*1*SYNPROV",
        *([provider_stc] if provider_stc else []),
        "HL*4*3*PT",
        "NM1*QC*1*DOE*JANE****MI*SYN1",
        "TRN*2*SYNCLM1",
        "STC*A2:20*20261202*WQ*100",
    ]
    body.append(f"SE*{len(body) + 1}*0001")
    return (
        "ISA*00*          *00*          *ZZ*SYNCLEAR       *ZZ*SYNCLINIC      "
        "*261202*0800*^*00501*000000001*0*T*:~GS*HN*SYNCLEAR*SYNCLINIC*20261202*0800*1*X*"
        "005010X214~" + "~".join(body) + "~GE*1*1~IEA*1*000000001~"
    )


def test_i_the_batch_status_is_kept_and_said() -> None:
    from medbill_lab.x12.reading import render

    result = interpret(read_interchanges(_ack_277()))
    tx = result["transactions"][0]
    (status,) = tx["batch"]["statuses"]
    assert (status["category"], status["status_code"]) == ("A1", "19")
    assert (tx["batch"]["trace_number"], tx["batch"]["name"]) == ("SYNBATCH", "SYNTHETIC CLINIC")
    assert tx["providers"][0]["statuses"] == [] and tx["accepted"] == 1
    text = render(result)
    assert "  Batch SYNBATCH (submitter SYNTHETIC CLINIC):\n    A1 = " in text
    assert "Billing provider" not in text  # a provider level with no status says nothing


@pytest.mark.parametrize(
    ("stc", "outcome"),
    [
        ("STC*A7:562:85*20261202*U*100", "rejected"),
        ("STC*A3:21:85*20261202*U*100", "rejected"),
        ("STC*A1:19**WQ*100", None),
    ],
)
def test_i_a_provider_level_status_is_kept_and_said(stc: str, outcome: str | None) -> None:
    from medbill_lab.apps.file_reader import read_html
    from medbill_lab.x12.reading import render

    text = _ack_277(provider_stc=stc, batch_stc="")
    result = interpret(read_interchanges(text))
    (provider,) = result["transactions"][0]["providers"]
    assert (provider["name"], provider["id"], provider["trace_number"]) == (
        "SYNTHETIC CLINIC",
        "1234567893",
        "SYNPROV",
    )
    assert provider["statuses"][0]["category"] == stc[4:6]
    assert result["transactions"][0]["batch"]["statuses"] == []
    line = "  Billing provider SYNTHETIC CLINIC 1234567893:" + (f" {outcome}" if outcome else "")
    assert line + "\n" in render(result)
    assert "Billing provider SYNTHETIC CLINIC 1234567893" in read_html(text.encode())
    assert "Batch" not in render(result)


# -- a line break inside an element (a damaged GS08) stays out of the diagnostic's one line -
@pytest.mark.parametrize("version", ["\n005010X221A1", "0050\r\n10X221A1", "00\n5010X221A1"])
def test_a_line_break_in_a_quoted_element_keeps_the_diagnostic_on_one_line(version: str) -> None:
    text = remit_text("BPR*I*10*C*CHK").replace("*005010X221A1~", f"*{version}~", 1)
    out = interpret(read_interchanges(text))
    (note,) = [d for d in out["diagnostics"] if "not yet read" in d["message"]]
    assert "\n" not in note["message"] and "\r" not in note["message"]
    assert "\\n" in note["message"]
