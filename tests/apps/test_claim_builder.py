"""The Claim builder edits every CMS-1500 item, adds and removes lines, reads MM/DD/YYYY,
describes codes as they are typed, and scrubs what loads while items have problems."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html import unescape

import pytest

from medbill_lab.apps import claim_form as form
from medbill_lab.apps.claim_builder import claim_builder
from medbill_lab.claims import model as claims
from medbill_lab.claims import scrubber

PTP_SAMPLE = "edit-ncci-ptp-cmp-bmp.json"  # 80053 + 80048 on lines 3 and 4: NCCI-PTP


@pytest.fixture(scope="module")
def box():
    return claim_builder(PTP_SAMPLE)


@pytest.fixture()
def builder(box):
    b = box.builder
    b._quiet = False
    b.pick.value = PTP_SAMPLE
    b.load()  # each test starts from the sample as it loads
    b.open_all()
    return b


def test_the_sections_unopened_hold_the_sample_and_open_showing_it():
    b = claim_builder("clean-07-physical-therapy.json").builder
    assert b.fields == {}  # no section opened yet: its fields are not made
    claim, problems = b.edited()
    assert problems == [] and claim == b.original  # every item still reaches the claim
    b.more.selected_index = 0
    assert b.fields[("patient", "last")].value == b.original.patient.last
    assert b.fields[("patient", "dob")].value == b.original.patient.dob.strftime("%m/%d/%Y")
    assert ("tax_id",) not in b.fields
    b.fields[("patient", "last")].value = "Nakamura-Ellis"
    assert b.edited()[0].patient.last == "Nakamura-Ellis"


def text(html: str) -> str:
    plain = re.sub(r"<style>.*?</style>|<[^>]+>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(plain))


def typed_and_expected(leaf: form.Leaf, widget) -> tuple[object, object]:
    """A value a learner could type in the field, and what the claim's data must then hold."""
    if leaf.kind == "bool":
        return (not widget.value), (not widget.value)
    if leaf.kind == "enum":
        choice = next(v for _, v in reversed(widget.options) if v != widget.value)
        return choice, (choice if choice != "" or "" in leaf.node["enum"] else None)
    if leaf.kind == "date":
        return "03/04/2025", "2025-03-04"
    if leaf.kind == "money":
        return "$1,234.50", "1234.50"
    if leaf.kind == "pairs":
        return "r42 f31.9; e11.9, i10", [["R42", "F31.9"], ["E11.9", "I10"]]
    if leaf.kind == "list":
        if leaf.path[-1] == "pointers":
            return "b, a", ["B", "A"]
        return "e11.9, i10", ["E11.9", "I10"]
    upper = leaf.node.get("pattern") in form.UPPER_PATTERNS
    return "ab12", ("AB12" if upper else "ab12")


def test_every_item_of_the_schema_has_a_field_and_what_is_typed_reaches_the_claim(builder):
    walked = list(form.leaves(claims.claim_schema()))
    assert len(walked) >= 90 and ("other_insurance", "plan_name") in {x.path for x in walked}
    builder._quiet = True  # only the data is read here: no scrub after each of 100 fields
    for leaf in walked:
        widget = builder.diagnoses if leaf.path == ("diagnoses",) else builder.fields[leaf.path]
        value, expected = typed_and_expected(leaf, widget)
        widget.value = value
        assert form.get(builder.form_data()[0], leaf.path) == expected, leaf.path
    builder.load()
    for leaf in form.line_leaves():
        name = leaf.path[-1]
        field = builder.rows[1][name]
        value, expected = ("Y", True) if leaf.kind == "bool" else typed_and_expected(leaf, field)
        field.value = value
        assert builder.form_data()[0]["lines"][1][name] == expected, name
    builder._quiet = False


def test_valid_values_typed_in_the_form_reach_the_claim_object(builder):
    f = builder.fields
    f[("onset_date",)].value = "11/20/2025"
    f[("prior_authorization",)].value = "PA-5512"
    f[("patient", "address", "city")].value = "Springfield"
    f[("other_insurance", "insured", "last")].value = "Okafor"
    f[("other_insurance", "insured", "first")].value = "Chidi"
    f[("other_insurance", "policy_or_group")].value = "GRP77"
    f[("other_insurance", "plan_name")].value = "Lakeside PPO"
    f[("employment_related",)].value = True
    builder.rows[1]["emergency"].value = "Y"
    builder.rows[1]["date_to"].value = "12/02/2025"
    claim, problems = builder.edited()
    assert problems == []
    assert claim.onset_date == dt.date(2025, 11, 20) and claim.prior_authorization == "PA-5512"
    assert claim.patient.address.city == "Springfield" and claim.employment_related
    assert claim.other_insurance.plan_name == "Lakeside PPO"
    assert claim.other_insurance.insured.last == "Okafor"
    assert claim.lines[1].emergency and claim.lines[1].date_to == dt.date(2025, 12, 2)
    # a blank optional section leaves the claim: item 9's other insured cleared
    for key in ("insured", "policy_or_group", "plan_name"):
        for path, widget in f.items():
            if path[:2] == ("other_insurance", key):
                widget.value = ""
    claim, problems = builder.edited()
    assert problems == [] and claim.other_insurance is None


def test_lines_are_added_and_removed_up_to_the_models_limit(builder, monkeypatch):
    assert len(builder.rows) == 4
    builder.add_line.click()
    assert len(builder.rows) == 5 and builder.rows[4]["date_from"].value == "12/02/2025"
    builder.rows[4]["code"].value = "85025"
    builder.rows[4]["charge"].value = "18.00"
    claim, problems = builder.edited()
    assert problems == [] and [ln.code for ln in claim.lines][-1] == "85025"
    remove_fourth = builder.lines_box.children[1 + 2 * 3].children[-1]  # heading, then row+notes
    remove_fourth.click()
    claim, _ = builder.edited()
    assert [ln.code for ln in claim.lines] == ["99214", "36415", "80053", "85025"]
    assert not builder.add_line.disabled and "at most 50 (the 837P's limit)" in (
        builder.lines_note.value
    )
    monkeypatch.setattr(claims, "MAX_LINES", 8)  # the model's limit, whatever it is
    while not builder.add_line.disabled:
        builder.add_line.click()
    assert len(builder.rows) == 8
    builder.add_line.click()
    assert len(builder.rows) == 8 and len(builder.form_data()[0]["lines"]) == 8
    assert "prints on 2 pages" in builder.lines_note.value
    builder.load()
    for _ in range(3):
        builder.lines_box.children[1].children[-1].click()
    assert len(builder.rows) == 1 and builder.lines_box.children[1].children[-1].disabled
    builder.remove(builder.rows[0])
    assert len(builder.rows) == 1


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("02/29/2026", "February 2026 has 28 days"),
        ("2026-02-29", "February 2026 has 28 days"),
        ("13/01/2026", "no month 13"),
        ("04/31/2025", "April 2025 has 30 days"),
        ("12-02-25", "type MM/DD/YYYY"),
    ],
)
def test_impossible_or_unreadable_dates_are_refused_naming_the_item(builder, typed, why):
    builder.rows[0]["date_from"].value = typed
    claim, problems = builder.edited()
    assert claim is None
    assert problems[0].startswith(f"Item 24A line 1: service date '{typed}'") and why in problems[0]
    assert why in text(builder.edits.value)


@pytest.mark.parametrize("typed", ["02/28/2026", "2026-02-28", "2/28/2026"])
def test_a_real_date_is_accepted_as_mm_dd_yyyy_or_iso(builder, typed):
    builder.fields[("submitted_on",)].value = "03/02/2026"
    for row in builder.rows:
        row["date_from"].value = typed
    claim, problems = builder.edited()
    assert problems == [] and {ln.date_from for ln in claim.lines} == {dt.date(2026, 2, 28)}
    assert builder.fields[("submitted_on",)].value == "03/02/2026"
    assert claim.submitted_on == dt.date(2026, 3, 2)


def test_a_leap_day_is_a_real_date():
    assert form.read_date("02/29/2028") == dt.date(2028, 2, 29)


def test_each_code_is_described_as_it_is_typed(builder):
    builder.diagnoses.value = "E11.9, s52.501a, E11"
    notes = text(builder.dx_notes.value)
    assert "21A E11.9: Type 2 diabetes mellitus without complications" in notes
    assert "S52.501A: Unspecified fracture of the lower end of right radius" in notes
    assert "21C E11 (Type 2 diabetes mellitus) is a category header" in notes
    builder.rows[0]["code"].value = "J1885"
    builder.rows[0]["modifiers"].value = "25 RT"
    builder.rows[1]["code"].value = "ZZ999"
    line1, line2 = (text(d.value) for d in builder.descriptions[:2])
    assert "J1885 (HCPCS): Injection, ketorolac tromethamine, per 15 mg" in line1
    assert "25: Significant, separately identifiable E/M service" in line1
    assert "RT: " in line1
    assert "'ZZ999' is not a CPT or HCPCS code" in line2
    assert "80053 (CPT): " in text(builder.descriptions[2].value)


def rows_of(html: str) -> list[str]:
    return [text(r) for r in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)]


def test_a_structural_problem_and_a_scrubber_edit_show_together(builder):
    builder.fields[("billing_provider", "address", "zip")].value = "ABCDE"
    html = builder.edits.value
    assert "Item 33: ZIP code 'ABCDE' is not a 5- or 9-digit ZIP code" in text(html)
    assert any("NCCI-PTP" in r and "24D line 4" in r for r in rows_of(html))


def test_a_bad_line_is_left_out_and_the_others_still_scrubbed(builder):
    builder.rows[0]["charge"].value = "12.345"  # line 1 (99214), not part of the PTP pair
    html = builder.edits.value
    assert "Item 24F line 1: charge 12.345 has more than 2 decimal places" in text(html)
    assert any("NCCI-PTP" in r and "24D line 4" in r for r in rows_of(html))  # form's numbering
    assert "Line 1 was left out of the scrub" in text(html)
    # item 28 still says 310.00 for four lines: with one left out, the sum no longer matches
    assert not any("TOTAL-MISMATCH" in r for r in rows_of(html))
    assert "TOTAL-MISMATCH, TIMELY-FILING could not run" in text(html)
    # the bad line is one of the pair: the pair's edit cannot run, and the page says why
    builder.load()
    builder.rows[3]["units"].value = "0"
    html = builder.edits.value
    assert not any("NCCI-PTP" in r for r in rows_of(html))
    assert "Line 4 was left out of the scrub" in text(html) and "NCCI-PTP" in text(html)


def test_an_edit_that_reads_a_bad_value_is_named_as_not_run(builder):
    builder.pick.value = "edit-dx-age.yaml"
    assert any("DX-AGE" in r for r in rows_of(builder.edits.value))
    builder.fields[("patient", "dob")].value = "02/30/1968"
    html = text(builder.edits.value)
    assert "Items 2, 3, 5: date of birth '02/30/1968' is not a real date" in html or (
        "date of birth '02/30/1968'" in html
    )
    assert not any("DX-AGE" in r for r in rows_of(builder.edits.value))
    assert "DX-AGE could not run" in html
    builder.pick.value = PTP_SAMPLE


def test_a_bad_diagnosis_leaves_its_slot_empty_and_the_rest_checked(builder):
    builder.diagnoses.value = "E11.65, 1234"
    html = builder.edits.value
    assert "Item 21B: diagnosis '1234' is not shaped like an ICD-10-CM code" in text(html)
    assert "Item 21B was not checked" in text(html)
    assert any("NCCI-PTP" in r for r in rows_of(html))
    assert not any("PTR-DANGLING" in r for r in rows_of(html))  # line 1 points at B


def test_bad_input_gets_a_sentence_never_a_traceback(builder):
    for row in builder.rows:
        for field in row.values():
            field.value = "\x00" * 3 + "<script>"
    builder.diagnoses.value = ""
    html = builder.edits.value
    assert "Traceback" not in html and "<script>" not in html
    assert "The scrubber needs a service line that loads" in text(html)


def test_a_procedure_line_left_out_does_not_make_modifier_25_look_alone(builder):
    builder.pick.value = "clean-04-knee-injection.json"  # 99213-25 and 20610 the same day
    assert "Clean:" in builder.edits.value
    procedure = next(r for r in builder.rows if r["code"].value == "20610")
    procedure["charge"].value = "-5"
    html = builder.edits.value
    assert "charge -5 is negative" in text(html)
    assert not any("MOD-25" in r for r in rows_of(html))
    assert "MOD-25" in text(html).split("Not checked yet:")[1]
    builder.pick.value = PTP_SAMPLE


def test_clearing_the_referring_provider_leaves_item_17_out_whatever_its_qualifier():
    b = claim_builder("clean-07-physical-therapy.json").builder
    b.open_all()
    assert b.fields[("referring_provider", "qualifier")].value == "DN"
    for part in ("last", "first", "npi"):
        b.fields[("referring_provider", part)].value = ""
    claim, problems = b.edited()
    assert problems == [] and claim.referring_provider is None
    b.fields[("referring_provider", "last")].value = "Abara"
    assert b.edited()[0].referring_provider.qualifier == "DN"


def test_an_attested_pair_naming_a_changed_code_sets_the_excludes1_check_aside(builder):
    builder.pick.value = "clean-11-excludes1-unrelated-attested.json"  # G47.63 + F45.8 attested
    assert "Clean:" in builder.edits.value
    builder.diagnoses.value = builder.diagnoses.value.replace("F45.8", "F45.9")
    html = text(builder.edits.value)
    assert "attested pair names F45.8, which is not in item 21" in html
    assert "ICD-EXCLUDES1 could not run" in html and "Traceback" not in html
    assert "The scrubber on what loads" in html
    builder.pick.value = PTP_SAMPLE


def test_an_edit_set_aside_for_two_reasons_is_named_once(builder):
    """A service date after the send date sets TIMELY-FILING aside for that reason; a line left
    out as well does not name it a second time, and the edits it adds keep their reasons."""
    builder.fields[("submitted_on",)].value = "01/02/2020"  # before every service date
    builder.rows[0]["charge"].value = "12.345"  # and line 1 left out
    notes = text(builder.edits.value)
    assert notes.count("TIMELY-FILING") == 1, notes
    assert (
        "MOD-25, TOTAL-MISMATCH could not run: they read every line (a same-day procedure,"
        " item 28's sum of 24F)." in notes
    )
    builder.load()
    builder.rows[0]["charge"].value = "12.345"  # only the line: all three named, once
    notes = text(builder.edits.value)
    assert "MOD-25, TOTAL-MISMATCH, TIMELY-FILING could not run: they read every line" in notes
    assert notes.count("TIMELY-FILING") == 1


@pytest.mark.parametrize("typed", ["1,95", "3,10", "1,2.3", "12,34,567.00", ",500"])
def test_a_comma_out_of_place_in_an_amount_is_refused_not_read_as_dollars(builder, typed):
    """'1,95' (a decimal comma, or a slip) must not become $195: the page names the item."""
    builder.rows[1]["charge"].value = typed
    builder.fields[("total_charge",)].value = typed
    claim, problems = builder.edited()
    assert claim is None
    assert f"Item 24F line 2: charge '{typed}' has a comma out of place" in problems[0]
    assert any(p.startswith(f"Item 28: total charge '{typed}' has a comma") for p in problems)


def test_units_with_a_decimal_comma_are_refused_not_read_as_ten_times_more(builder):
    builder.rows[1]["units"].value = "1,5"  # one and a half, or a slip: never 15 units
    claim, problems = builder.edited()
    assert claim is None and problems[0].startswith(
        "Item 24G line 2: days or units '1,5' has a comma"
    )
    builder.rows[1]["units"].value = "1.5"
    assert builder.edited()[0].lines[1].units == Decimal("1.5")


@pytest.mark.parametrize(("typed", "amount"), [("$1,250.00", "1250.00"), ("12,000", "12000")])
def test_a_comma_grouping_thousands_is_read(builder, typed, amount):
    builder.rows[1]["charge"].value = typed
    assert str(builder.edited()[0].lines[1].charge) == amount


def test_an_edit_naming_several_lines_keeps_the_forms_numbers_when_a_line_is_left_out(builder):
    builder.rows[3]["code"].value = "80053"  # 80053 on lines 3 and 4: MUE 1 a day (MAI 2)
    builder.rows[0]["charge"].value = "12.345"  # line 1 left out of the scrub
    mue = [r for r in rows_of(builder.edits.value) if "MUE" in r]
    assert len(mue) == 1 and "24G lines 3, 4" in mue[0], mue


def test_renumbering_never_takes_a_global_periods_days_for_a_line():
    edit = scrubber.Edit(
        "EM-GLOBAL",
        "deny",
        "24D line 1",
        "99213 is billed the same day as 20680 (line 2, 90-day global) without modifier 57",
        "why",
        "source",
    )
    moved = form._renumbered(edit, [0])  # the form's line 1 was left out
    assert moved.item == "24D line 2"
    assert "(line 3, 90-day global)" in moved.message


def test_a_scrub_on_what_loads_never_calls_the_claim_clean(builder):
    builder.pick.value = "clean-01-htn-hld-followup.json"
    assert "Clean:" in builder.edits.value  # as loaded, the claim is clean
    builder.rows[2]["charge"].value = "1,95"  # its only problem: line 3 left out
    html = text(builder.edits.value)
    assert "Fix these first:" in html and "0 edit(s)" in html
    assert "Clean:" not in html and "the claim is not clean until the problems above" in html
    builder.pick.value = PTP_SAMPLE


@pytest.mark.parametrize(("typed", "count"), [("E11.65", 1), ("E11.65 I10 R42", 3)])
def test_an_attested_pair_of_the_wrong_size_is_named_in_words(builder, typed, count):
    builder.fields[("unrelated_dx_attested",)].value = typed
    problems = builder.edited()[1]
    assert problems == [
        f"Item 21: attested pair names {count} code(s); a pair is two item 21 codes"
    ], problems
