"""The 837P writer: what a clearinghouse (pyx12 here) accepts, what a biller reads
back, and how a rejection leads to the CMS-1500 item to fix."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import claims as random_claims

from medbill_lab.claims import items as cms1500_items
from medbill_lab.claims import model as claim_files
from medbill_lab.claims.model import (
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
from medbill_lab.codes import icd10cm
from medbill_lab.x12 import core
from medbill_lab.x12 import x837p as x12_837p
from medbill_lab.x12.core import segments
from medbill_lab.x12.x837p import (
    BOX_TO_X12,
    parse_837p,
    to_837p,
    trace,
    validate_837p,
    x12_to_box,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "datasets" / "claims"
WHEN = dt.datetime(2025, 11, 5, 9, 30)


def make_claim(**changes) -> Claim:
    """A clean office-visit claim; keyword arguments replace its fields."""
    home = Address("12 Elm St", "Springfield", "IL", "62704", "2175550123")
    office = Address("400 Oak Ave", "Springfield", "IL", "627011234", "2175550100")
    claim = Claim(
        program="group",
        insured_id="XJH123456789",
        patient=Person("Rivera", "Ana", "M", dt.date(1984, 3, 9), "F", home),
        payer=Payer("Prairie Health Plan", "PHP01", "CI"),
        diagnoses=["E11.9", "I10"],
        lines=[
            ServiceLine(dt.date(2025, 11, 3), "99214", Decimal("150.00"), ["A", "B"], ["25"]),
            ServiceLine(dt.date(2025, 11, 3), "83036", Decimal("45.00"), ["A"]),
        ],
        tax_id="37-1234567",
        patient_account="ACCT1001",
        billing_provider=Organization("Springfield Family Medicine", "1234567893", office),
        rendering_provider=Provider("Chen", "Lee", "1245319599"),
    )
    return dataclasses.replace(claim, **changes)


def child_claim() -> Claim:
    parent = Person("Rivera", "Luis", "", dt.date(1980, 7, 1), "M", None)
    kid = Person("Rivera", "Sofia", "", dt.date(2016, 2, 14), "F", make_claim().patient.address)
    return make_claim(relationship="child", insured=parent, patient=kid, patient_account="ACCT2")


def ids(text: str) -> list[str]:
    return [s.split("*")[0] for s in segments(text)]


def field(text: str, seg_id: str, n: int = 0) -> list[str]:
    """The elements of the n-th segment with this ID."""
    return [s for s in segments(text) if s.split("*")[0] == seg_id][n].split("*")


def clean_samples() -> list[Path]:
    labels = SAMPLES / "labels.csv"
    with labels.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [SAMPLES / r["file"] for r in rows if not (r.get("expected_edits") or "").strip()]


# -- what pyx12 accepts ----------------------------------------------------------------
def test_a_clean_claim_passes_pyx12_with_an_accepting_999():
    text = to_837p([make_claim()], when=WHEN)
    result = validate_837p(text)
    assert result.errors == [] and result.ok
    assert result.ack_code == "A"
    assert "AK9*A*1*1*1" in result.ack_999 and "IK3" not in result.ack_999


@pytest.mark.parametrize("path", clean_samples(), ids=lambda p: p.name)
def test_every_clean_sample_claim_passes_pyx12(path):
    claim = claim_files.load(path)
    text = to_837p([claim], when=WHEN)
    result = validate_837p(text)
    assert result.errors == [], result.errors
    back = parse_837p(text)[0]
    assert back["account"] == claim.patient_account
    assert back["total"] == (
        claim.total_charge if claim.total_charge is not None else claim.line_total()
    )


def test_many_claims_go_in_one_file_under_one_billing_provider():
    batch = [make_claim(patient_account=f"A{i}") for i in range(3)] + [child_claim()]
    text = to_837p(batch, when=WHEN)
    assert validate_837p(text).ok
    hl_levels = [s.split("*")[3] for s in segments(text) if s.startswith("HL*")]
    assert hl_levels == ["20", "22", "22", "22", "22", "23"]
    assert ids(text).count("ST") == 1 and ids(text).count("CLM") == 4
    assert [c["account"] for c in parse_837p(text)] == ["A0", "A1", "A2", "ACCT2"]


def test_a_new_billing_provider_opens_a_new_2000A_and_keeps_claim_order():
    other = Organization("Lakeside Clinic", "1679576722", make_claim().billing_provider.address)
    batch = [make_claim(), make_claim(billing_provider=other, patient_account="B1"), make_claim()]
    text = to_837p(batch, when=WHEN)
    assert validate_837p(text).ok
    hl = [s.split("*") for s in segments(text) if s.startswith("HL*")]
    assert [h[3] for h in hl] == ["20", "22", "20", "22", "20", "22"]
    assert [c["billing_npi"] for c in parse_837p(text)] == [
        "1234567893",
        "1679576722",
        "1234567893",
    ]


def test_a_dependent_child_gets_a_2000C_patient_loop():
    text = to_837p([child_claim()], when=WHEN)
    assert validate_837p(text).ok
    hl = [s.split("*") for s in segments(text) if s.startswith("HL*")]
    assert hl[1][1:] == ["2", "1", "22", "1"]  # the subscriber has a child level
    assert hl[2][1:] == ["3", "2", "23", "0"]
    assert field(text, "PAT")[1] == "19"
    assert field(text, "SBR")[2] == ""  # SBR02 18 only when the patient is the subscriber
    assert field(text, "NM1", 5)[:5] == ["NM1", "QC", "1", "RIVERA", "SOFIA"]
    back = parse_837p(text)[0]
    assert back["relationship"] == "19"
    assert back["subscriber"]["first"] == "LUIS" and back["patient"]["first"] == "SOFIA"


def test_the_patient_who_is_the_insured_has_no_2000C():
    text = to_837p([make_claim()], when=WHEN)
    assert "PAT" not in ids(text)
    assert field(text, "SBR")[:3] == ["SBR", "P", "18"]
    assert field(text, "HL", 1)[4] == "0"


@pytest.mark.parametrize(("relationship", "code"), [("spouse", "01"), ("other", "G8")])
def test_spouse_and_other_patients_use_their_pat01_codes(relationship, code):
    claim = dataclasses.replace(child_claim(), relationship=relationship)
    text = to_837p([claim], when=WHEN)
    assert field(text, "PAT")[1] == code and validate_837p(text).ok


def test_the_claim_segments_carry_the_form():
    claim = make_claim(
        resubmission_code="7",
        original_reference="PAYER998877",
        prior_authorization="PA-5566",
        accept_assignment=False,
        insured_signature_on_file=False,
        patient_signature_on_file=False,
        referring_provider=Provider("Okafor", "Ngozi", "1316915987"),
        service_facility=Organization(
            "Springfield Imaging", "1831192659", Address("9 Lab Rd", "Springfield", "IL", "62702")
        ),
        lines=[
            ServiceLine(
                dt.date(2025, 11, 3), "97110", Decimal("60"), ["B", "A"], ["GP", "59"],
                units=Decimal(3), date_to=dt.date(2025, 11, 5), place_of_service="22",
            )
        ],
    )  # fmt: skip
    text = to_837p([claim], when=WHEN)
    assert validate_837p(text).ok
    assert field(text, "CLM") == ["CLM", "ACCT1001", "60", "", "", "11:B:7", "Y", "C", "N", "I"]
    assert field(text, "REF", 1) == ["REF", "G1", "PA-5566"]
    assert field(text, "REF", 2) == ["REF", "F8", "PAYER998877"]
    assert field(text, "HI") == ["HI", "ABK:E119", "ABF:I10"]
    assert field(text, "SV1") == ["SV1", "HC:97110:GP:59", "60", "UN", "3", "22", "", "2:1"]
    assert field(text, "DTP")[1:] == ["472", "RD8", "20251103-20251105"]
    nm1 = {s.split("*")[1]: s for s in segments(text) if s.startswith("NM1*")}
    assert nm1["DN"] == "NM1*DN*1*OKAFOR*NGOZI****XX*1316915987"
    assert nm1["82"] == "NM1*82*1*CHEN*LEE****XX*1245319599"
    assert nm1["77"] == "NM1*77*2*SPRINGFIELD IMAGING*****XX*1831192659"
    assert "REF*EI*371234567" in segments(text)


def test_no_2310B_when_the_billing_provider_rendered_the_care():
    claim = make_claim(rendering_provider=Provider("Clinic", "", "1234567893"))
    assert "NM1*82" not in to_837p([claim], when=WHEN)


# -- the envelope ----------------------------------------------------------------------
def test_envelope_counts_and_control_numbers_match():
    text = to_837p([make_claim(), child_claim()], control_number=4321, when=WHEN)
    isa = segments(text)[0]
    assert len(isa) + 1 == 106 and text.index("~") == 105
    assert isa.split("*")[11] == "^" and isa[-1] == ":"  # ISA11 repetition, ISA16 component
    assert isa.split("*")[13] == "000004321" == field(text, "IEA")[2]
    assert field(text, "GS")[6] == "4321" == field(text, "GE")[2]
    assert field(text, "GS")[8] == "005010X222A1" == field(text, "ST")[3]
    assert field(text, "ST")[2] == field(text, "SE")[2] == "0001"
    body = ids(text)
    assert int(field(text, "SE")[1]) == body.index("SE") - body.index("ST") + 1
    assert field(text, "GE")[1] == "1" and field(text, "IEA")[1] == "1"
    assert field(text, "BHT") == ["BHT", "0019", "00", "43210001", "20251105", "0930", "CH"]
    assert validate_837p(text).ok


def test_more_claims_than_one_transaction_holds_split_into_several_st(monkeypatch):
    monkeypatch.setattr(x12_837p, "MAX_CLAIMS_PER_ST", 2)
    text = to_837p([make_claim(patient_account=f"A{i}") for i in range(5)], when=WHEN)
    st_ids = [s.split("*")[2] for s in segments(text) if s.startswith("ST*")]
    assert st_ids == ["0001", "0002", "0003"] and field(text, "GE")[1] == "3"
    assert validate_837p(text).ok
    assert len(parse_837p(text)) == 5


def test_the_same_input_and_time_give_the_same_bytes():
    batch = [make_claim(), child_claim()]
    assert to_837p(batch, when=WHEN) == to_837p(batch, when=WHEN)
    later = to_837p(batch, when=WHEN + dt.timedelta(minutes=1))
    assert later != to_837p(batch, when=WHEN)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"sender_id": "MED*BILL"},
        {"receiver_id": "X" * 16},
        {"control_number": 0},
        {"control_number": 10**9},
    ],
)
def test_bad_envelope_arguments_are_refused(kwargs):
    with pytest.raises(ValueError):
        to_837p([make_claim()], **kwargs)


def test_no_claims_is_an_error_not_an_empty_file():
    with pytest.raises(ValueError, match="no claims"):
        to_837p([])


# -- text safety -----------------------------------------------------------------------
def test_delimiters_and_accents_never_reach_the_file_raw():
    patient = Person("O'Brien*~Jr", "Zoë", "", dt.date(1990, 1, 2), "F",
                     Address("5 Rue^Del:Mar\t#3\x00", "Montréal 🙂", "IL", "62704"))  # fmt: skip
    text = to_837p([make_claim(patient=patient)], when=WHEN)
    assert text.isascii()
    nm1 = field(text, "NM1", 3)
    assert nm1[:5] == ["NM1", "IL", "1", "O'BRIEN JR", "ZOE"]
    assert "N3*5 RUE DEL MAR 3" in segments(text)
    assert "N4*MONTREAL*IL*62704" in segments(text)
    assert validate_837p(text).ok
    assert parse_837p(text)[0]["patient"]["last"] == "O'BRIEN JR"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Zoë", "ZOE"), ("O'Brien*~Jr", "O'BRIEN JR"), ("O’Neil", "O'NEIL"),
     ("a:b^c*d~e", "A B C D E"), ("Łódź\r\nStraße", "LODZ STRASSE"), ("\x07\x1b", "")],
)  # fmt: skip
def test_the_text_rule(raw, expected):
    assert x12_text(raw) == expected


@pytest.mark.parametrize(
    ("changes", "item"),
    [
        ({"insured_id": "AB*123"}, "item 1a"),
        ({"patient_account": "A^1"}, "item 26"),
        ({"prior_authorization": "PA~1"}, "item 23"),
        ({"diagnoses": ["E11.9:"]}, "item 21A"),
        ({"tax_id": "12345"}, "item 25"),
        ({"patient_account": ""}, "item 26"),
        ({"place_of_service": "1*"}, "item 24B"),
    ],
)
def test_identifiers_that_would_change_meaning_are_refused(changes, item):
    with pytest.raises(ClaimError, match=item):
        to_837p([make_claim(**changes)])


def test_every_problem_of_every_claim_is_reported_at_once():
    bad_line = ServiceLine(dt.date(2025, 11, 3), "99:13", Decimal("10"), ["A"], ["2*"])
    first = make_claim(lines=[bad_line])
    second = make_claim(
        billing_provider=Organization("X", "12345~7890", make_claim().patient.address)
    )
    with pytest.raises(ClaimError) as caught:
        to_837p([first, second])
    problems = caught.value.problems
    assert any(p.startswith("claim 1 (ACCT1001): item 24D line 1: procedure") for p in problems)
    assert any(p.startswith("claim 1 (ACCT1001): item 24D line 1: modifier '2*'") for p in problems)
    assert any(p.startswith("claim 2 (ACCT1001): item 33a") for p in problems)


# -- reading back: random valid claims ---------------------------------------------------
def expected_fields(claim: Claim) -> dict:
    """What parse_837p must give back for a claim (text after the text rule)."""
    patient = claim.patient
    return {
        "patient": (x12_text(patient.last, 60), x12_text(patient.first, 35)),
        "member_id": claim.insured_id,
        "account": claim.patient_account,
        "total": claim.line_total() if claim.total_charge is None else claim.total_charge,
        "diagnoses": [icd10cm.normalize(d) for d in claim.diagnoses],
        "lines": [
            (
                line.code,
                line.modifiers,
                line.charge,
                line.units,
                line.date_from,
                line.date_to or line.date_from,
                line.pointers,
                line.place_of_service or claim.place_of_service,
            )
            for line in claim.lines
        ],
    }


def parsed_fields(back: dict) -> dict:
    return {
        "patient": (back["patient"]["last"], back["patient"]["first"]),
        "member_id": back["member_id"],
        "account": back["account"],
        "total": back["total"],
        "diagnoses": back["diagnoses"],
        "lines": [
            (line["code"], line["modifiers"], line["charge"], line["units"], line["date_from"],
             line["date_to"], line["pointers"], line["place_of_service"])
            for line in back["lines"]
        ],
    }  # fmt: skip


@pytest.mark.slow  # 40 drawn batches through pyx12: about 20 s, more on a busy machine
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(random_claims(), min_size=1, max_size=3))
def test_random_valid_claims_pass_pyx12_and_read_back(batch):
    text = to_837p(batch, when=WHEN)
    assert text.isascii()
    result = validate_837p(text)
    assert result.errors == [], (result.errors, text)
    back = parse_837p(text)
    assert [parsed_fields(b) for b in back] == [expected_fields(c) for c in batch]


# -- rejections traced to the form -------------------------------------------------------
def corrupt(text: str, old: str, new: str, occurrence: int = 0) -> str:
    """Replace the n-th occurrence of a whole segment."""
    parts = segments(text)
    hits = [i for i, s in enumerate(parts) if s == old]
    parts[hits[occurrence]] = new
    return "~".join(parts) + "~"


def test_an_invalid_service_date_traces_to_item_24a_of_the_right_line():
    batch = [make_claim(), child_claim()]
    text = corrupt(to_837p(batch, when=WHEN), "DTP*472*D8*20251103", "DTP*472*D8*20251341", 3)
    result = validate_837p(text)
    assert not result.ok and result.ack_code == "R"
    assert "IK4*3*1251*8*20251341" in result.ack_999
    (found,) = trace(result, text, batch)
    assert (found.claim_index, found.account, found.line) == (1, "ACCT2", 2)
    assert (found.loop, found.error.element, found.item) == ("2400", "DTP03", "24A")
    assert found.field == "lines[1].date_from/date_to"
    assert "claim 2 (ACCT2) item 24A line 2" in str(found)


def test_a_bad_hi_qualifier_traces_to_item_21_and_the_diagnosis():
    claim = make_claim()
    text = corrupt(to_837p([claim], when=WHEN), "HI*ABK:E119*ABF:I10", "HI*ABK:E119*ZZ:I10")
    result = validate_837p(text)
    (found,) = trace(result, text, [claim])
    assert (found.error.segment, found.error.element, found.error.code) == ("HI", "HI02-01", "7")
    assert (found.item, found.field, found.loop) == ("21", "diagnoses[1]", "2300")


def test_a_bad_birth_date_names_the_patient_item_when_the_patient_is_the_insured():
    claim = make_claim()
    text = corrupt(to_837p([claim], when=WHEN), "DMG*D8*19840309*F", "DMG*D8*19841309*F")
    (found,) = trace(validate_837p(text), text, [claim])
    assert (found.loop, found.item, found.field) == ("2010BA", "3", "patient.dob/sex")
    child = child_claim()
    text = corrupt(to_837p([child], when=WHEN), "DMG*D8*20160214*F", "DMG*D8*20161314*F")
    (found,) = trace(validate_837p(text), text, [child])
    assert (found.loop, found.item) == ("2010CA", "3")


def test_a_bad_procedure_qualifier_traces_to_item_24d():
    claim = make_claim()
    text = corrupt(
        to_837p([claim], when=WHEN), "SV1*HC:83036*45*UN*1***1", "SV1*ZZ:83036*45*UN*1***1"
    )
    traced = trace(validate_837p(text), text, [claim])
    assert traced  # pyx12 no longer recognises the SV1, and then misses it
    for found in traced:
        assert (found.item, found.line, found.field) == ("24D", 2, "lines[1].code/modifiers")


def test_every_item_in_the_table_maps_back_to_itself():
    for item, (loop, segment, element) in BOX_TO_X12.items():
        first = element.split("-" + segment.split("*")[0])[0]  # NM103-NM105 -> NM103
        assert x12_to_box(loop, segment, first) == item, (item, loop, segment, first)


def test_x12_to_box_knows_components_ranges_and_qualifiers():
    assert x12_to_box("2400", "SV1", "SV101-02") == "24D"
    assert x12_to_box("2300", "HI", "HI07-02") == "21"
    assert x12_to_box("2300", "CLM", "CLM05-03") == "22"
    assert x12_to_box("2300", "REF*F8", "REF02") == "22"
    assert x12_to_box("2300", "REF*G1", "REF02") == "23"
    assert x12_to_box("2010AA", "N4", "N403") == "33"
    assert x12_to_box("2000A", "HL", "HL01") is None


def test_garbage_is_an_error_result_not_an_exception():
    result = validate_837p("this is not X12")
    assert not result.ok and result.errors


# -- the command line --------------------------------------------------------------------
def test_cli_writes_a_valid_837p(run_cli, tmp_path):
    files = []
    for i, claim in enumerate([make_claim(), child_claim()]):
        files.append(tmp_path / f"claim{i}.json")
        claim_files.save(claim, files[-1])
    out = tmp_path / "batch.837"
    done = run_cli("claim", "x12", *map(str, files), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines() == [
        f"wrote {out}: 2 claim(s), {len(segments(out.read_text()))} segments, 0 pyx12 error(s) (999 A)"
    ]
    assert validate_837p(out.read_text()).ok
    assert [c["account"] for c in parse_837p(out.read_text())] == ["ACCT1001", "ACCT2"]


def test_cli_bad_input_exits_nonzero_with_one_line_and_no_output(run_cli, tmp_path):
    good = tmp_path / "good.json"
    claim_files.save(make_claim(), good)
    bad = tmp_path / "bad.json"
    bad.write_text('{"program": "group",')
    out = tmp_path / "batch.837"
    done = run_cli("claim", "x12", str(good), str(bad), "-o", str(out))
    assert done.returncode != 0
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr and "not valid JSON" in done.stderr
    assert not out.exists() and sorted(tmp_path.iterdir()) == sorted([good, bad])


def test_write_file_writes_nothing_when_pyx12_finds_errors(tmp_path, monkeypatch):
    path = tmp_path / "claim.json"
    claim_files.save(make_claim(), path)
    real = x12_837p.to_837p

    def broken(batch, **kwargs):
        return real(batch, **kwargs).replace("DTP*472*D8*20251103", "DTP*472*D8*20251399", 1)

    monkeypatch.setattr(x12_837p, "to_837p", broken)
    out = tmp_path / "out.837"
    result = x12_837p.write_file([str(path)], str(out))
    assert not result.written and (result.output, result.claims) == (str(out), 1)
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["claim.json"]
    assert len(result.traces) == len(result.validation.errors) >= 1
    assert str(result.traces[0]).startswith("claim 1 (ACCT1001) item 24A line 1 [2400 DTP03]")


def test_write_file_says_what_it_wrote(tmp_path):
    path = tmp_path / "claim.json"
    claim_files.save(make_claim(), path)
    out = tmp_path / "out.837"
    result = x12_837p.write_file([str(path), str(path)], str(out))
    assert result.written and result.traces == () and result.claims == 2
    assert result.segments == len(segments(out.read_text())) > 0


def test_write_file_leaves_no_temporary_file_when_the_folder_is_missing(tmp_path):
    path = tmp_path / "claim.json"
    claim_files.save(make_claim(), path)
    with pytest.raises(OSError):
        x12_837p.write_file([str(path)], str(tmp_path / "nope" / "out.837"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claim.json"]


# -- the tables and the lesson's widget ------------------------------------------------------
def test_every_item_has_a_name_and_a_claim_field():
    assert all(cms1500_items.item(i).field for i in BOX_TO_X12)  # every written item has a field
    assert {item for item, _ in x12_837p.ALSO_WRITTEN_AT} <= set(BOX_TO_X12)


def test_outline_labels_every_segment_with_its_loop_claim_and_line():
    rows = x12_837p.outline(to_837p([make_claim(), child_claim()], when=WHEN))
    assert [r.position for r in rows] == list(range(1, len(rows) + 1))
    clm = [r for r in rows if r.segment.startswith("CLM*")]
    assert [(r.loop, r.claim) for r in clm] == [("2300", 0), ("2300", 1)]
    dtp = [r for r in rows if r.segment.startswith("DTP*472")]
    assert [(r.claim, r.line) for r in dtp] == [(0, 1), (0, 2), (1, 1), (1, 2)]
    assert {r.loop for r in rows} >= {"1000A", "1000B", "2000A", "2010AA", "2000B", "2010BA",
                                      "2010BB", "2000C", "2010CA", "2300", "2310B", "2400"}  # fmt: skip


def test_box_to_element_view_links_boxes_and_elements_both_ways():
    from medbill_lab.apps.clearinghouse import box_to_element_view

    view = box_to_element_view(child_claim())
    view.box.value = "24A"
    assert "loop <b>2400</b>" in view.box_result.value
    assert "DTP*472*D8*<mark>20251103</mark>~" in view.box_result.value
    assert "lines[n].date_from" in view.box_result.value
    view.box.value = "16"
    assert "not in this file" in view.box_result.value
    labels = [label for label, _ in view.element.options]
    view.element.value = next(
        i for i, label in enumerate(labels) if label.startswith("2400") and "SV102" in label
    )
    assert (
        "Item 24F" in view.element_result.value and "<mark>150</mark>" in view.element_result.value
    )
    view.element.value = next(i for i, label in enumerate(labels) if "HL01" in label)
    assert "No CMS-1500 item" in view.element_result.value


def test_box_to_element_view_is_friendly_about_a_claim_it_cannot_write():
    from medbill_lab.apps.clearinghouse import box_to_element_view

    view = box_to_element_view(make_claim(insured_id="BAD*ID"))
    html = view.children[0].value
    assert "could not be written" in html and "item 1a" in html and "Traceback" not in html


def test_an_envelope_error_names_no_claim_and_no_item():
    claim = make_claim()
    text = to_837p([claim], when=WHEN)
    se = next(r for r in x12_837p.outline(text) if r.segment.startswith("SE*"))
    bad = core.set_element(text, se.position, "SE01", "99")
    result = validate_837p(bad)
    (found,) = trace(result, bad, [claim])
    assert (found.error.segment, found.error.code) == ("ST", "4")
    assert (found.claim_index, found.item) == (None, None) and result.ack_code == "R"
    assert str(found).startswith("envelope loop SE")


def test_a_billing_provider_error_names_the_claim_under_it():
    batch = [make_claim(), make_claim(patient_account="B2")]
    text = to_837p(batch, when=WHEN)
    nm1 = next(r for r in x12_837p.outline(text) if r.segment.startswith("NM1*85"))
    bad = core.set_element(text, nm1.position, "NM108", "ZZ")
    (found,) = trace(validate_837p(bad), bad, batch)
    assert (found.claim_index, found.loop, found.item) == (0, "2010AA", "33a")
