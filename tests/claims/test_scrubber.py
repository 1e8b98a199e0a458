"""The claim scrubber: every edit fires on a minimal claim and not on a clean one,
the NCCI and MUE rules behave as the tables say, Excludes1 is read from the real
notes, what-if shows fixes, and ``medbill-lab claim check`` keeps its contract."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import claims as random_claims

from medbill_lab.claims import model as claims
from medbill_lab.claims import scrubber
from medbill_lab.claims.model import Claim, Payer, Person, ServiceLine
from medbill_lab.claims.scrubber import Edit, scrub, what_if
from medbill_lab.codes import ncci

ROOT = Path(__file__).resolve().parents[2]
CLAIMS_DIR = ROOT / "datasets" / "claims"
LABELS = CLAIMS_DIR / "labels.csv"
DAY = dt.date(2026, 3, 10)


def line(code: str = "99213", day: dt.date = DAY, **kw) -> ServiceLine:
    """A service line with sensible defaults (one unit, pointer A)."""
    kw.setdefault("charge", Decimal("100.00"))
    if "units" in kw:
        kw["units"] = Decimal(str(kw["units"]))
    return ServiceLine(date_from=day, code=code, **kw)


def claim(*lines: ServiceLine, dx: tuple[str, ...] = ("I10",), **kw) -> Claim:
    """A minimal claim: a 50-year-old woman, a 365-day payer, sent two days after the visit."""
    patient = kw.pop("patient", Person("Doe", "Jane", dob=dt.date(1975, 6, 1), sex="F"))
    return Claim(
        program="group",
        insured_id="TEST123",
        patient=patient,
        payer=kw.pop("payer", Payer("Test Plan", "TP001", timely_filing_days=365)),
        diagnoses=list(dx),
        lines=list(lines) or [line()],
        submitted_on=kw.pop("submitted_on", DAY + dt.timedelta(days=2)),
        **kw,
    )


def ids(edits: list[Edit]) -> set[str]:
    return {e.id for e in edits}


def test_a_clean_claim_has_no_edits():
    clean = claim(
        line("99214", modifiers=["25"]),
        line("20610", modifiers=["RT"], pointers=["B"]),
        line("J1030", pointers=["B"]),
        dx=("I10", "M17.11"),
        total_charge=Decimal("300.00"),
    )
    assert scrub(clean) == []


# -- every edit fires on a minimal claim -------------------------------------------------
MAN = Person("Roe", "John", dob=dt.date(1960, 1, 1), sex="M")
ADULT_WOMAN = Person("Doe", "Ann", dob=dt.date(1968, 4, 4), sex="F")
BROKEN: dict[str, Callable[[], Claim]] = {
    "ICD-INVALID header": lambda: claim(dx=("E11",)),
    "ICD-INVALID deleted/expanded": lambda: claim(dx=("E78.01",)),
    "ICD-7TH missing": lambda: claim(dx=("S93.401",)),
    "ICD-7TH placeholder": lambda: claim(dx=("T78.40A",)),
    "ICD-7TH invalid character": lambda: claim(dx=("S93.401Z",)),
    "ICD-EXCLUDES1": lambda: claim(line(pointers=["A", "B"]), dx=("E11.9", "E10.9")),
    "DX-SEX": lambda: claim(dx=("N40.0",), patient=ADULT_WOMAN),
    "DX-AGE": lambda: claim(dx=("Z00.129",)),
    "DX-FIRST external cause": lambda: claim(
        line(pointers=["A", "B"]), dx=("W19.XXXA", "S93.401A")
    ),
    "DX-FIRST manifestation": lambda: claim(line(pointers=["A", "B"]), dx=("F02.80", "G30.9")),
    "PTR-MISSING": lambda: claim(line(pointers=[])),
    "PTR-DANGLING": lambda: claim(line(pointers=["C"])),
    "PROC-INVALID": lambda: claim(line("99219")),
    "MOD-INVALID": lambda: claim(line(modifiers=["5O"])),
    "MOD-25 not E/M": lambda: claim(line("20610", modifiers=["25", "RT"]), dx=("M17.11",)),
    "MOD-25 no procedure": lambda: claim(line(modifiers=["25"])),
    "MOD-LTRT": lambda: claim(line("73610", modifiers=["LT", "RT"])),
    "MOD-50": lambda: claim(line("20610", modifiers=["50"], units=2), dx=("M17.0",)),
    "EM-GLOBAL": lambda: claim(line(), line("20610", modifiers=["RT"]), dx=("M17.11",)),
    "NCCI-PTP": lambda: claim(line("97530"), line("97140"), dx=("M54.50",)),
    "MUE": lambda: claim(line("99203", units=2)),
    "DUP-LINE": lambda: claim(line("97110"), line("97110"), dx=("M54.50",)),
    "TIMELY-FILING": lambda: claim(
        payer=Payer("Quick Plan", "QP1", timely_filing_days=90),
        submitted_on=DAY + dt.timedelta(days=137),
    ),
    "TOTAL-MISMATCH": lambda: claim(total_charge=Decimal("90.00")),
    "ICD-YEAR": lambda: claim(line(day=dt.date(2023, 5, 2)), submitted_on=dt.date(2023, 5, 4)),
    "DOS-FUTURE": lambda: claim(line(day=DAY + dt.timedelta(days=5))),  # after submitted_on
}


@pytest.mark.parametrize("case", BROKEN, ids=str)
def test_each_edit_fires_alone_on_its_minimal_claim(case):
    edits = scrub(BROKEN[case]())
    assert ids(edits) == {case.split()[0]}, [e.message for e in edits]


def test_every_edit_id_is_exercised_and_documented():
    assert {case.split()[0] for case in BROKEN} == set(scrubber.EDIT_IDS)


def _all_edits() -> list[Edit]:
    edits = [e for make in BROKEN.values() for e in scrub(make())]
    if LABELS.is_file():
        for path in sorted(CLAIMS_DIR.glob("edit-*")):
            edits.extend(scrub(claims.load(path)))
    return edits


def test_every_message_names_its_item_in_one_line():
    for e in _all_edits():
        assert e.message.startswith(f"Item {e.item}: "), e
        assert "\n" not in e.message and e.rationale and e.source
        assert e.severity in scrubber.SEVERITIES and e.id in scrubber.EDIT_IDS


def test_severity_says_what_happens_to_the_claim():
    severity = {e.id: e.severity for e in _all_edits() if e.id != "MOD-25"}
    assert severity["ICD-INVALID"] == severity["PTR-DANGLING"] == "reject"
    assert severity["NCCI-PTP"] == severity["TIMELY-FILING"] == "deny"
    assert severity["ICD-YEAR"] == "warn"
    mod25 = {e.message: e.severity for e in scrub(BROKEN["MOD-25 no procedure"]())}
    assert list(mod25.values()) == ["warn"]  # unnecessary, not wrong
    assert [e.severity for e in scrub(BROKEN["MOD-25 not E/M"]())] == ["deny"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_claims())
def test_any_valid_claim_scrubs_without_error_and_names_items(c):
    edits = scrub(c, today=dt.date(2026, 10, 1))
    for e in edits:
        assert e.message.startswith(f"Item {e.item}: ") and e.severity in scrubber.SEVERITIES
    # pointers always name a diagnosis in these claims, and no change changes nothing
    assert not ids(edits) & {"PTR-DANGLING", "PTR-MISSING"}
    after, fixed, introduced = what_if(c, diagnoses=list(c.diagnoses))
    assert ids(after) == ids(scrub(c)) and fixed == introduced == []


# -- diagnoses ----------------------------------------------------------------------------
def test_validity_follows_the_fiscal_year_of_the_date_of_service():
    # E78.01 was billable in FY2025 and became a header on October 1, 2025.
    before = claim(line(day=dt.date(2025, 9, 30)), dx=("E78.01",))
    after = claim(line(day=dt.date(2025, 10, 1)), dx=("E78.01",))
    assert scrub(before) == []
    [edit] = scrub(after)
    assert edit.id == "ICD-INVALID" and edit.item == "21A"
    assert "FY2026" in edit.message and "header" in edit.message
    assert "FY2026" in edit.source


def test_seventh_character_edits_give_the_reason():
    messages = {dx: scrub(claim(dx=(dx,)))[0].message for dx in ("S93.401", "T78.40A", "S93.401Z")}
    assert "missing 7th character" in messages["S93.401"]
    assert "missing placeholder X" in messages["T78.40A"] and "T78.40XA" in messages["T78.40A"]
    assert "invalid 7th character" in messages["S93.401Z"] and "A initial" in messages["S93.401Z"]


@pytest.mark.parametrize(
    ("a", "b", "note_at"),
    [
        ("E11.9", "E10.9", "E11"),  # type 1 diabetes mellitus (E10.-)
        ("E10.9", "E11.9", "E10"),  # and the other way round
        ("E11.9", "O24.410", "E11"),  # gestational diabetes (O24.4-)
        ("G63", "E11.42", "G63"),  # diabetes mellitus (E08-E13 with .42)
        ("I10", "O10.011", "I10"),  # (O10-O11, O13-O16)
        ("M54.50", "M54.41", "M54.5"),  # lumbago with sciatica (M54.4-)
        ("Z00.00", "Z00.129", "Z00.0"),  # (Z00.12.-)
        ("J45.909", "R06.2", "J45"),  # wheezing NOS (R06.2)
    ],
)
def test_excludes1_is_read_from_the_real_notes(a, b, note_at):
    src, text = scrubber.excludes1_conflict(a, b)
    assert src == note_at and text
    [edit] = [
        e for e in scrub(claim(line(pointers=["A", "B"]), dx=(a, b))) if e.id == "ICD-EXCLUDES1"
    ]
    assert edit.item == "21A, 21B" and f"Excludes1 note at {note_at}" in edit.message


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("E11.9", "I10"),
        ("E11.42", "G62.9"),
        ("G63", "E11.40"),
        ("E87.2", "E11.9"),
        ("I10", "I12.9"),
    ],
)
def test_codes_not_named_by_an_excludes1_note_pass(a, b):
    assert scrubber.excludes1_conflict(a, b) is None
    assert scrubber.excludes1_conflict(b, a) is None


def test_code_references_are_parsed_from_note_text():
    refs = scrubber.parse_code_refs
    assert [str(r) for r in refs("diabetes due to underlying condition (E08.-)")] == ["E08"]
    assert [str(r) for r in refs("hypertensive disease (O10-O11, O13-O16)")] == [
        "O10-O11",
        "O13-O16",
    ]
    assert [str(r) for r in refs("pancreas (K85-K86.-)")] == ["K85-K86"]
    [qualified] = refs("polyneuropathy in diabetes (E08-E13 with .42)")
    assert qualified.matches("E11.42") and not qualified.matches("E11.40")
    [fifth] = refs("mononucleosis (B27.0-B27.9 with fifth character 1)")
    assert fifth.matches("B27.01") and not fifth.matches("B27.09")
    assert [str(r) for r in refs("hearing loss as classified in H90.-")] == ["H90"]
    assert [str(r) for r in refs("pneumoconiosis with tuberculosis, any type in A15 (J65)")] == [
        "J65"
    ]
    assert refs("diabetic acidosis - see categories E08-E10, E11, E13 with ketoacidosis") == ()


def test_manifestation_first_is_fixed_by_sequencing_the_etiology_first():
    wrong = claim(line(pointers=["A", "B"]), dx=("F02.80", "G30.9"))
    [edit] = scrub(wrong)
    assert edit.item == "21A" and "code first" in edit.message
    assert scrub(claim(line(pointers=["A", "B"]), dx=("G30.9", "F02.80"))) == []
    assert (
        "in diseases classified elsewhere"
        in scrub(claim(line(pointers=["A", "B"]), dx=("H36.89", "E11.9")))[0].message
    )


def test_age_and_sex_edits_need_the_patient_facts():
    boy = Person("Roe", "Sam", dob=dt.date(2018, 2, 1), sex="M")
    assert ids(scrub(claim(dx=("Z00.129",), patient=boy))) == set()
    assert ids(scrub(claim(dx=("Z00.00",), patient=boy))) == {"DX-AGE"}
    assert ids(scrub(claim(dx=("O24.410",), patient=MAN))) == {"DX-SEX", "DX-AGE"}
    unknown = Person("Roe", "Pat", dob=None, sex="U")
    assert scrub(claim(dx=("O24.410",), patient=unknown)) == []
    [edit] = scrub(claim(dx=("Z00.129",)))
    assert edit.id == "DX-AGE" and "is 50" in edit.message and "item 3" in edit.message


# -- modifiers and NCCI ---------------------------------------------------------------------
THERAPY = ("M54.50",)


@pytest.mark.parametrize("modifier", ["59", "XE", "XS", "XP", "XU"])
def test_a_bypass_modifier_on_column_2_clears_an_indicator_1_edit(modifier):
    assert scrub(claim(line("97530"), line("97140", modifiers=[modifier]), dx=THERAPY)) == []


@pytest.mark.parametrize("modifier", ["59", "XS", "XU"])
def test_no_modifier_clears_an_indicator_0_edit(modifier):
    lab = claim(line("80053"), line("80048", modifiers=[modifier]), dx=("E78.5",))
    [edit] = scrub(lab)
    assert edit.id == "NCCI-PTP" and edit.severity == "deny"
    assert edit.item == "24D line 2" and "indicator 0" in edit.message


def test_the_indicator_1_message_names_the_pair_and_the_fix():
    [edit] = scrub(claim(line("97530"), line("97140"), dx=THERAPY))
    assert edit.message == (
        "Item 24D line 2: 97140 with 97530 (line 1) on the same day needs modifier 59 or "
        "X{EPSU} on 97140 (NCCI indicator 1)"
    )
    assert edit.source.startswith("NCCI PTP practitioner edits, teaching table 2026Q1")


def test_a_bypass_modifier_on_the_column_1_code_only_warns():
    [edit] = scrub(claim(line("97530", modifiers=["59"]), line("97140"), dx=THERAPY))
    assert edit.severity == "warn" and "column-1" in edit.message


def test_anatomic_modifiers_bypass_only_for_different_sites():
    knees = ("M17.0",)
    sides = claim(line("73562", modifiers=["RT"]), line("73560", modifiers=["LT"]), dx=knees)
    same = claim(line("73562", modifiers=["RT"]), line("73560", modifiers=["RT"]), dx=knees)
    one = claim(line("73562", modifiers=["RT"]), line("73560"), dx=knees)
    assert scrub(sides) == []
    assert ids(scrub(same)) == {"NCCI-PTP"}
    assert [e.severity for e in scrub(one)] == ["deny"]  # RT on line 1 says nothing of line 2


def test_pairs_on_different_days_and_deleted_edits_do_not_fire():
    other_day = claim(line("97530"), line("97140", day=DAY + dt.timedelta(days=1)), dx=THERAPY)
    assert scrub(other_day) == []
    deleted = claim(line("97530"), line("97161"), dx=THERAPY)  # indicator 9
    assert scrub(deleted) == []
    [row] = ncci.ptp_table()["20610", "76942"]
    assert row.active_on(dt.date(2015, 1, 1)) and not row.active_on(dt.date(2014, 12, 31))


def test_the_teaching_tables_are_well_formed():
    ptp = [r for rows in ncci.ptp_table().values() for r in rows]
    assert len([r for r in ptp if r.modifier_indicator in "01"]) >= 40
    assert {r.modifier_indicator for r in ptp} == {"0", "1", "9"}
    mue = ncci.mue_table()
    assert all(m.mue >= 1 and m.mai in (1, 2, 3) and m.rationale for m in mue.values())
    codes = {c for r in ptp for c in (r.column1, r.column2)}
    assert all(scrubber.procedures.procedure(c) for c in codes | set(mue))
    if LABELS.is_file():
        used = {ln.code for p in sorted(CLAIMS_DIR.glob("[ce]*-*")) for ln in claims.load(p).lines}
        valid = {c for c in used if scrubber.procedures.procedure(c)}
        assert valid <= set(mue), "every valid code in the sample claims needs an MUE row"


# -- MUE -----------------------------------------------------------------------------------
def test_mue_mai_1_is_per_line():
    knees = ("M17.0",)
    split = claim(
        line("20610", modifiers=["RT"], units=2), line("20610", modifiers=["LT"], units=2), dx=knees
    )
    assert scrub(split) == []  # 4 units on the day, 2 per line: allowed per line
    [edit] = scrub(claim(line("20610", modifiers=["RT"], units=3), dx=knees))
    assert edit.id == "MUE" and edit.item == "24G line 1" and "per line (MAI 1)" in edit.message


def test_mue_mai_2_and_3_sum_the_units_of_one_day():
    [edit] = scrub(
        claim(line("97110", units=4), line("97110", units=3, modifiers=["GP"]), dx=THERAPY)
    )
    assert edit.id == "MUE" and edit.item == "24G lines 1, 2"
    assert "7 units of 97110" in edit.message and "per day (MAI 3)" in edit.message
    spread = claim(
        line("97110", units=4), line("97110", units=3, day=DAY + dt.timedelta(days=1)), dx=THERAPY
    )
    assert scrub(spread) == []
    [policy] = scrub(claim(line("99203", units=2)))
    assert "MAI 2" in policy.message and "never paid" in policy.rationale


# -- other claim edits -------------------------------------------------------------------
def test_duplicate_lines_need_the_same_code_date_and_modifiers():
    assert ids(scrub(claim(line("97110"), line("97110"), dx=THERAPY))) == {"DUP-LINE"}
    assert scrub(claim(line("97110"), line("97110", modifiers=["76"]), dx=THERAPY)) == []


def test_timely_filing_counts_from_the_earliest_date_of_service():
    plan = Payer("Quick Plan", "QP1", timely_filing_days=90)
    on_time = claim(payer=plan, submitted_on=DAY + dt.timedelta(days=90))
    late = claim(payer=plan, submitted_on=DAY + dt.timedelta(days=91))
    assert scrub(on_time) == []
    [edit] = scrub(late)
    assert "91 days" in edit.message and "Quick Plan allows 90 days" in edit.message
    unsent = claim(payer=plan, submitted_on=None)
    assert scrub(unsent, today=DAY + dt.timedelta(days=30)) == []
    assert ids(scrub(unsent, today=DAY + dt.timedelta(days=200))) == {"TIMELY-FILING"}


def test_total_charge_must_equal_the_line_charges():
    assert scrub(claim(line(), line("36415"), total_charge=Decimal("200.00"))) == []
    [edit] = scrub(claim(line(), line("36415"), total_charge=Decimal("210.00")))
    assert edit.item == "28" and "210.00" in edit.message and "200.00" in edit.message


def test_empty_claims_and_blank_slots_do_not_crash():
    empty = claim()
    empty.lines = []
    assert scrub(empty) == []
    assert scrub(claim(line(pointers=["A"]), dx=("I10", ""))) == []


# -- what if ---------------------------------------------------------------------------------
def test_what_if_adding_xs_fixes_the_ncci_edit():
    original = claim(line("97530"), line("97140"), dx=THERAPY)
    after, fixed, introduced = what_if(original, line=2, modifiers=["XS"])
    assert after == [] and ids(fixed) == {"NCCI-PTP"} and introduced == []
    assert original.lines[1].modifiers == []  # the claim itself is untouched


def test_what_if_reports_edits_it_introduces_and_leaves_the_rest():
    original = claim(line("99203", units=2))
    after, fixed, introduced = what_if(original, line=1, units=1, modifiers="LT RT")
    assert ids(fixed) == {"MUE"} and ids(introduced) == {"MOD-LTRT"} and ids(after) == {"MOD-LTRT"}
    after, fixed, introduced = what_if(original, line=1, units="3")
    assert ids(after) == {"MUE"} and fixed == [] and introduced == []
    after, fixed, _ = what_if(claim(dx=("E11",)), diagnoses=["E11.9"])
    assert after == [] and ids(fixed) == {"ICD-INVALID"}
    later = what_if(claim(), line=1, date="2025-09-30", submitted_on="2025-10-02")[0]
    assert later == []


def test_what_if_rejects_unknown_changes():
    with pytest.raises(ValueError, match="unknown change"):
        what_if(claim(), line=1, colour="red")
    with pytest.raises(ValueError, match="say which line"):
        what_if(claim(), units=2)
    with pytest.raises(ValueError, match="line 4 does not exist"):
        what_if(claim(), line=4, units=2)


# -- the sample claims -----------------------------------------------------------------------
def _labels() -> list[dict[str, str]]:
    with LABELS.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


LOADABLE = [r for r in _labels() if r["expected_edits"] != "LOAD-ERROR"]


@pytest.mark.parametrize("row", LOADABLE, ids=lambda r: r["file"])
def test_each_sample_claim_gets_exactly_its_labelled_edits(row):
    edits = scrub(claims.load(CLAIMS_DIR / row["file"]))
    expected = {e for e in row["expected_edits"].split("|") if e}
    assert ids(edits) == expected, [e.message for e in edits]
    if not expected:
        assert not any(e.blocking for e in edits)


def test_check_file_returns_the_edits_of_the_file_and_prints_nothing(capsys):
    edits = scrubber.check_file(str(CLAIMS_DIR / "edit-ncci-ptp-therapy.json"))
    assert [(e.id, e.severity, e.item) for e in edits][:1] == [("NCCI-PTP", "deny", "24D line 1")]
    assert any(e.blocking for e in edits)
    text = scrubber.format_edits(edits)
    assert "NCCI-PTP [deny] item 24D line 1" in text and "Why: " in text and "Source: " in text
    assert text.rstrip().endswith("the claim would be rejected or denied.")
    assert scrubber.check_file(str(CLAIMS_DIR / "clean-01-htn-hld-followup.json")) == []
    with pytest.raises(claims.ClaimError):
        scrubber.check_file(str(CLAIMS_DIR / "load-dangling-pointer.json"))
    assert capsys.readouterr() == ("", "")


# -- the command line -------------------------------------------------------------------------
def test_claim_check_text(run_cli):
    out = run_cli("claim", "check", "datasets/claims/edit-ncci-ptp-cmp-bmp.json")
    assert out.returncode == 1 and out.stderr == ""
    assert "NCCI-PTP [deny] item 24D line 4" in out.stdout
    out = run_cli("claim", "check", "datasets/claims/edit-icd-excludes1.json")
    assert out.returncode == 0 and out.stderr == ""  # Excludes1 warns (guideline I.A.12.a)
    assert "ICD-EXCLUDES1 [warn] item 21A, 21B" in out.stdout
    assert "Source: ICD-10-CM Official Guidelines FY2026 I.A.12.a" in out.stdout
    clean = run_cli("claim", "check", "datasets/claims/clean-04-knee-injection.json")
    assert clean.returncode == 0 and clean.stdout.strip() == "No edits: the claim is clean."


def test_claim_check_json(run_cli):
    out = run_cli("claim", "check", "datasets/claims/edit-timely-filing.json", "--json")
    assert out.returncode == 1
    [edit] = json.loads(out.stdout)
    assert set(edit) == {"id", "severity", "item", "message", "rationale", "source"}
    assert edit["id"] == "TIMELY-FILING" and edit["message"].startswith(f"Item {edit['item']}: ")


def test_claim_check_warnings_alone_exit_zero(run_cli):
    out = run_cli("claim", "check", "datasets/claims/edit-mod-25-no-procedure.json", "--json")
    assert out.returncode == 0
    assert [e["severity"] for e in json.loads(out.stdout)] == ["warn"]


@pytest.mark.parametrize(
    "path",
    [
        "datasets/claims/load-malformed.json",
        "datasets/claims/load-negative-charge.json",
        "missing.json",
    ],
)
def test_claim_check_bad_file_is_one_line_and_non_zero(run_cli, path):
    out = run_cli("claim", "check", path)
    assert out.returncode != 0 and out.stdout == ""
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
