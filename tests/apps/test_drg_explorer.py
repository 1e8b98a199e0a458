"""The DRG explorer app, driven through its widgets as a learner uses it."""

from __future__ import annotations

import re
import time

import pytest

from medbill_lab.apps import drg_explorer as app
from medbill_lab.training import inpatient

QUERY_RULES_HEAD = "The query rules: a what-if is a question to the physician"


def page_text(box) -> str:
    """Everything the page shows, as one string."""
    parts = [box.summary, box.result, box.whatif_out, box.feedback, box.answer]
    return "\n".join(p.value for p in parts)


def code(box, principal: str, secondary: str = "", procedures: str = "") -> None:
    box.principal.value, box.secondary.value, box.procedures.value = (
        principal,
        secondary,
        procedures,
    )


def typed(case: inpatient.InpatientCase) -> tuple[str, str, str]:
    """The case's answer key as a learner types it."""
    a = case.answer
    return (
        a.principal.code,
        ", ".join(f"{d.code}:{d.poa}" if d.poa else d.code for d in a.secondary),
        " ".join(p.code for p in a.procedures),
    )


@pytest.fixture(scope="module")
def box():
    return app.drg_explorer("ip-20")


def test_the_case_is_shown_without_its_answer_until_asked():
    box = app.drg_explorer("ip-12")  # its own box: nothing coded or shown before
    case = inpatient.get_case("ip-12")
    assert case.summary.split("\n")[0][:60] in box.summary.value.replace("&#x27;", "'")
    assert case.answer.principal.code not in page_text(box)
    assert case.rationale[:40] not in page_text(box)
    box.reveal.click()
    assert "K80.00" in box.answer.value and "0FT44ZZ" in box.answer.value
    assert "MS-DRG:</b> 419" in box.answer.value
    box.case.value = "ip-13"  # another case: inputs and outputs are cleared
    assert box.answer.value == "" and box.principal.value == ""


@pytest.mark.parametrize("case_id", ["ip-04", "ip-12", "ip-18", "ip-20"])
def test_the_answer_key_groups_to_the_case_drg_with_weight_gmlos_and_teaching_payment(box, case_id):
    case = inpatient.get_case(case_id)
    box.case.value = case_id
    code(box, *typed(case))
    box.group.click()
    html = box.result.value
    assert f"MS-DRG {case.answer.drg} " in html
    row = app.drg.table()[case.answer.drg]
    assert f"relative weight <b>{row.weight}</b>" in html and f"GMLOS <b>{row.gmlos} days" in html
    assert f"$6,000.00 teaching base rate x {row.weight} weight" in html
    assert "not CMS's rate" in html
    for d in case.answer.secondary:
        assert f"<code>{d.code}</code>" in html


def test_each_secondary_shows_its_cc_mcc_level_exclusion_and_hac(box):
    box.case.value = "ip-26"  # heart failure principal: I50.23 is excluded by I50.33
    code(box, "I50.33", "J44.1:Y, I50.23:Y, N17.9:Y, I10:Y")
    box.group.click()
    rows = dict(
        re.findall(
            r"<code>([A-Z0-9.]+)</code></td><td>.*?</td><td>.*?</td><td>(.*?)</td>",
            box.result.value,
        )
    )
    assert rows["N17.9"] == "CC"
    assert rows["I10"] == "not a CC or MCC"
    assert rows["I50.23"].startswith("MCC, excluded by the principal diagnosis")
    box.case.value = "ip-20"
    code(box, "J18.9", "I10:Y, L89.153:N")  # a stage 3 pressure ulcer arising in the stay
    box.group.click()
    assert "MCC, not counted: HAC04" in box.result.value
    assert "MS-DRG 195 " in box.result.value  # its MCC is lost: not 193


def test_a_what_if_shows_the_drg_it_would_give_and_the_query_rules(box):
    box.case.value = "ip-20"
    code(box, "J18.9", "I10:Y, E03.9:Y")
    box.whatif_code.value = "E43"
    box.whatif.click()
    out = box.whatif_out.value
    assert "from DRG 195 Simple Pneumonia and Pleurisy without CC/MCC" in out
    assert "to DRG 193 Simple Pneumonia and Pleurisy with MCC" in out
    assert "(POA Y, MCC)" in out and "teaching base rate" in out
    assert QUERY_RULES_HEAD in out and "clinically undetermined" in out
    assert "False Claims Act" in out and "Never mention payment" in out
    assert "E43" not in box.secondary.value  # a what-if never adds the code
    box.secondary.value = "I10:Y"
    box.group.click()  # the coding changed: the old what-if answer goes
    assert box.whatif_out.value == ""


@pytest.mark.parametrize(
    ("principal", "secondary", "ask", "poa", "says"),
    [
        ("J18.9", "I10:Y", "E03.9", "Y", "would not change the DRG: it stays DRG 195"),
        ("J18.9", "I10:Y", "N17.9", "Y", "to DRG 194 Simple Pneumonia and Pleurisy with CC"),
        ("I50.33", "J44.1:Y", "I50.23", "Y", "excluded by the principal diagnosis"),
        ("J18.9", "I10:Y", "L89.153", "N", "not counted: HAC04"),
        ("J18.9", "I10:Y, N17.9:Y", "N17.9", "Y", "already in your coding"),
    ],
)
def test_every_what_if_answer_carries_the_query_rules(box, principal, secondary, ask, poa, says):
    box.case.value = "ip-26" if principal == "I50.33" else "ip-20"
    code(box, principal, secondary)
    box.whatif_code.value, box.whatif_poa.value = ask, poa
    box.whatif.click()
    assert says in box.whatif_out.value
    assert QUERY_RULES_HEAD in box.whatif_out.value


@pytest.mark.parametrize(
    ("principal", "secondary", "procedures", "says"),
    [
        ("", "", "", "Type the principal diagnosis first"),
        ("J18", "", "", "J18 (Pneumonia, unspecified organism) is a category header"),
        ("J18.9", "I10:X", "", "POA &#x27;X&#x27; for I10 is not Y, N, U or W"),
        ("J18.9", "E11.99:Y", "", "secondary diagnosis E11.99 is not valid"),
        ("J18.9", "", "0DTJ3ZZ", "approach 3 is not allowed with body part J in table 0DT"),
        ("J18.9 I10", "", "", "takes one code"),
        ("J18.9", ", ".join(["I10:Y"] * 500), "", "more than 40 codes"),
    ],
)
def test_bad_input_gets_a_friendly_sentence_not_a_traceback(
    box, principal, secondary, procedures, says
):
    box.case.value = "ip-20"
    code(box, principal, secondary, procedures)
    box.group.click()
    assert 'class="mbl-msg"' in box.result.value and says in box.result.value
    box.whatif_code.value = "E43"
    box.whatif.click()  # the what-if says the same, with the query rules
    assert says in box.whatif_out.value and QUERY_RULES_HEAD in box.whatif_out.value
    assert "Traceback" not in page_text(box)


def test_an_invalid_what_if_code_is_refused_with_the_query_rules(box):
    box.case.value = "ip-20"
    code(box, "J18.9", "I10:Y")
    for bad in ("E4", "not a code", ""):
        box.whatif_code.value = bad
        box.whatif.click()
        assert 'class="mbl-msg"' in box.whatif_out.value, bad
        assert QUERY_RULES_HEAD in box.whatif_out.value


def test_grading_explains_each_element_and_a_missing_cc_costs_points(box):
    case = inpatient.get_case("ip-02")
    box.case.value = "ip-02"
    code(box, *typed(case))
    box.grade.click()
    assert "(100.0%)" in box.feedback.value
    code(box, "J15.0", "E87.1:Y")  # N17.9 (CC) and E86.0 left out
    box.grade.click()
    assert "(100.0%)" not in box.feedback.value
    assert "N17.9" in box.feedback.value and "Section III" in box.feedback.value


def test_a_blank_poa_on_a_code_that_needs_one_is_pointed_out(box):
    box.case.value = "ip-01"
    code(box, "J18.9", "E11.9, Z79.84")
    box.group.click()
    assert "blank (this code needs Y, N, U or W)" in box.result.value  # E11.9
    assert "<td>blank</td>" in box.result.value  # Z79.84 is exempt


def test_a_megabyte_paste_is_answered_fast_and_briefly(box):
    box.case.value = "ip-20"
    for principal, secondary, procedures in (
        ("J" * 1_000_000, "", ""),
        ("J18.9", "N17.9" * 200_000 + ":Y", ""),
        ("J18.9", "", "0DTJ4ZZ" * 150_000),
    ):
        code(box, principal, secondary, procedures)
        started = time.perf_counter()
        box.group.click()
        assert time.perf_counter() - started < 2
        assert "too long to be a code" in box.result.value and len(box.result.value) < 5_000
    code(box, "J18.9", "I10:Y")
    box.whatif_code.value = "E" * 1_000_000
    box.whatif.click()
    assert "too long to be a code" in box.whatif_out.value and len(box.whatif_out.value) < 8_000
