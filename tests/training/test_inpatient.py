"""The inpatient cases and their grading (issue 16, part 4).

Every case's codes are checked against the FY2026 code sets on its discharge date, for
Excludes1 conflicts, and regrouped with the real MS-DRG grouper (medbill_lab.codes.drg) to
the DRG the case expects.  The grader is tested on what a learner relies on: a right answer
scores full, each kind of mistake loses exactly its points and says why, and a wrong answer
fails."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import time

from medbill_lab.codes import drg, icd10cm, icd10pcs
from medbill_lab.training import inpatient
from medbill_lab.training.inpatient import get_case, grade

CASES = inpatient.load_cases()
FY = icd10cm.load(2026)

# Categories and codes the CMS POA-exempt list (FY2025 list; unchanged for these in FY2026)
# carries, among those the cases use: their POA indicator is left blank.
POA_EXEMPT = re.compile(r"^(O80|Z3A\.|Z37\.|Z79\.|Z87\.891|Z91\.12|Z99\.81|I69\.)")


def accepted_dx(case):
    for key in case.accepted:
        yield key, [key.principal.code] + [d.code for d in key.secondary]


def answer_dict(case, **change):
    a = case.answer.as_dict()
    a.update(change)
    return a


def element(report, label):
    return next(e for e in report.elements if e.element == label)


# -- the cases -------------------------------------------------------------------------------
def test_there_are_at_least_forty_cases_with_unique_ids():
    ids = [c.id for c in CASES]
    assert len(ids) >= 40
    assert len(set(ids)) == len(ids)


def test_every_stay_is_a_fy2026_discharge_with_a_patient_and_a_status():
    for c in CASES:
        admit, leave = (
            dt.date.fromisoformat(c.admission_date),
            dt.date.fromisoformat(c.discharge_date),
        )
        assert dt.date(2025, 10, 1) <= admit <= leave <= dt.date(2026, 9, 30), c.id
        assert c.sex in ("M", "F") and 0 < c.age < 110, c.id
        assert int(c.discharge_status) in drg.DISCHARGE_STATUSES, c.id
        assert c.admission_type in ("1", "2", "3") and c.admission_source in ("1", "2", "4", "5")
        assert c.summary.count("\n\n") >= 1, c.id  # paragraphs, not a line


def test_every_diagnosis_code_is_billable_on_the_discharge_date():
    for c in CASES:
        codes = {code for _, codes in accepted_dx(c) for code in codes}
        codes |= {d.code for d in c.optional_dx}
        for code in codes:
            assert icd10cm.validate(code, c.discharge_date).valid, (c.id, code)


def test_every_procedure_code_is_a_valid_pcs_code():
    for c in CASES:
        for p in (*c.answer.procedures, *c.optional_pcs):
            assert icd10pcs.validate(p.code).valid, (c.id, p.code)
            assert dt.date.fromisoformat(c.admission_date) <= dt.date.fromisoformat(p.date)
            assert p.date <= c.discharge_date, (c.id, p.code)


def _named(text: str) -> list[tuple[str, str]]:
    pattern = r"\b([A-Z]\d[\dA-Z](?:\.[\dA-Z]{1,4})?)(?:-([A-Z]\d[\dA-Z](?:\.[\dA-Z]{1,4})?))?"
    return [(a.replace(".", ""), (b or a).replace(".", "")) for a, b in re.findall(pattern, text)]


def _excluded(text: str, code: str) -> bool:
    raw = code.replace(".", "")
    return any(raw.startswith(a) or a <= raw[: len(b)] <= b for a, b in _named(text))


def test_the_excludes1_check_finds_a_known_conflict():
    assert any(_excluded(t, "Z21") for _, k, t in FY.notes("B20") if k == "excludes1")
    assert not any(_excluded(t, "J18.9") for _, k, t in FY.notes("A41.9") if k == "excludes1")


def test_no_accepted_answer_pairs_codes_an_excludes1_note_separates():
    for c in CASES:
        for _, codes in accepted_dx(c):
            for code in codes:
                for _, kind, text in FY.notes(code):
                    if kind == "excludes1":
                        clash = [o for o in codes if o != code and _excluded(text, o)]
                        assert not clash, (c.id, code, clash, text)


def test_poa_indicators_are_valid_and_blank_exactly_for_exempt_codes():
    for c in CASES:
        for key in c.accepted:
            for d in (key.principal, *key.secondary):
                assert d.poa in ("Y", "N", "U", "W", ""), (c.id, d)
                assert (d.poa == "") == bool(POA_EXEMPT.match(d.code)), (c.id, d)


def test_regrouping_every_case_gives_its_expected_drg_fast():
    inpatient.regroup_all()  # the grouper's first load is not what is measured
    inpatient._group.cache_clear()
    start = time.perf_counter()
    regrouped = inpatient.regroup_all()
    elapsed = time.perf_counter() - start
    for c in CASES:
        assert regrouped[c.id] == tuple(a.drg for a in c.accepted), c.id
    assert elapsed < 1.0, elapsed


def test_optional_codes_neither_change_the_drg_nor_cost_points():
    with_optional = [c for c in CASES if c.optional_dx or c.optional_pcs]
    assert len(with_optional) >= 5
    for c in with_optional:
        extra = answer_dict(
            c,
            secondary=[
                {"code": d.code, "poa": d.poa} for d in (*c.answer.secondary, *c.optional_dx)
            ],
            procedures=[p.code for p in (*c.answer.procedures, *c.optional_pcs)],
        )
        report = grade(c, extra)
        assert report.percent == 100.0, (c.id, report.to_text())


def test_each_rationale_explains_every_code_and_cites_the_guidelines():
    for c in CASES:
        for code in [c.answer.principal.code] + [d.code for d in c.answer.secondary]:
            assert code in c.rationale, (c.id, code)
        for p in c.answer.procedures:
            assert p.code in c.rationale, (c.id, p.code)
        assert f"DRG {int(c.answer.drg)}" in c.rationale or c.answer.drg in c.rationale, c.id
        assert c.guidelines, c.id


def _with(guideline: str) -> list:
    return [c for c in CASES if any(g.startswith(guideline) for g in c.guidelines)]


def test_the_cases_cover_what_the_issue_asks():
    assert _with("II.C") and all(c.alternatives for c in _with("II.C"))  # two equal diagnoses
    assert _with("II.D") and all(c.alternatives for c in _with("II.D"))  # contrasting diagnoses
    assert len(_with("II.H")) >= 2  # inpatient uncertain diagnosis
    sepsis = [c for c in CASES if c.topic == "sepsis"]
    assert any(c.answer.principal.code.startswith("A41") and c.answer.secondary for c in sepsis)
    assert any(d.code == "R65.21" for c in sepsis for d in c.answer.secondary)
    assert any(
        d.code.startswith("A41") and d.poa == "N" for c in sepsis for d in c.answer.secondary
    )
    assert any(c.answer.principal.code.startswith("I13") for c in CASES)
    obstetric = [c for c in CASES if c.answer.principal.code.startswith("O")]
    assert obstetric and all(p.code[0] == "1" for c in obstetric for p in c.answer.procedures[:1])
    assert any(
        d.code.startswith(("K91.7", "T81")) for c in CASES for d in c.answer.secondary
    ) or any(c.answer.principal.code.startswith("T81") for c in CASES)
    assert len([c for c in CASES if c.query]) >= 2
    procedures = {p.code for c in CASES for p in c.answer.procedures}
    assert {"0FT44ZZ", "0DTJ4ZZ", "027034Z", "0SRC0J9", "10E0XZZ"} <= procedures
    principals = {c.answer.principal.code[:3] for c in CASES}
    assert {"J18", "J44", "I21", "I63", "K26", "S72", "E10"} <= principals


def test_query_cases_code_only_what_is_documented():
    for c in (c for c in CASES if c.query):
        codes = {d.code for d in c.answer.secondary} | {c.answer.principal.code}
        assert not any(c.query.covers(code) for code in codes), c.id
        assert "not leading" in c.query.text or "not lead" in c.query.text, c.id


# -- grading -------------------------------------------------------------------------------
def test_the_answer_key_scores_full_on_every_case():
    for c in CASES:
        report = grade(c, c.answer)
        assert report.percent == 100.0 and report.drg == c.answer.drg, (c.id, report.to_text())


def test_an_accepted_alternative_scores_full_and_says_so():
    c = get_case("ip-26")
    alt = c.alternatives[0]
    report = grade(c, {"principal": alt.principal.code, "secondary": ["I50.33:Y"]})
    assert report.percent == 100.0 and report.alternative
    assert report.drg == "190" and report.expected_drg == "190"


def test_a_missing_mcc_loses_its_code_poa_and_the_drg_and_names_the_mcc():
    c = get_case("ip-18")
    secondary = [{"code": d.code, "poa": d.poa} for d in c.answer.secondary if d.code != "I50.23"]
    report = grade(c, answer_dict(c, secondary=secondary))
    assert report.max_score - report.score == SECONDARY_AND_POA + inpatient.DRG_POINTS
    row = element(report, "DRG 291")
    assert row.points == 0 and "your DRG 292" in row.rationale
    assert "the MCC I50.23 was missing" in row.rationale
    assert element(report, "I50.23").rationale.startswith("not coded")


SECONDARY_AND_POA = inpatient.SECONDARY_POINTS + inpatient.POA_POINTS


def test_a_wrong_poa_loses_exactly_the_poa_point_and_says_what_the_record_says():
    c = get_case("ip-08")  # D62 arose after the operation: POA N
    secondary = [
        {"code": d.code, "poa": "Y" if d.code == "D62" else d.poa} for d in c.answer.secondary
    ]
    report = grade(c, answer_dict(c, secondary=secondary))
    assert report.max_score - report.score == inpatient.POA_POINTS
    row = element(report, "D62 POA")
    assert row.points == 0 and "the record says N" in row.rationale and "Appendix I" in row.rule


def test_a_poa_on_an_exempt_code_loses_the_poa_point():
    c = get_case("ip-03")
    secondary = [{"code": d.code, "poa": d.poa or "Y"} for d in c.answer.secondary]
    report = grade(c, answer_dict(c, secondary=secondary))
    assert report.max_score - report.score == 2 * inpatient.POA_POINTS
    assert "POA-exempt" in element(report, "Z99.81 POA").rationale


def test_an_unsupported_extra_code_loses_a_little_and_says_why():
    c = get_case("ip-01")
    secondary = [*(d.__dict__ for d in c.answer.secondary), {"code": "E78.5", "poa": "Y"}]
    report = grade(c, answer_dict(c, secondary=secondary))
    assert report.max_score - report.score == inpatient.EXTRA_PENALTY
    assert "not supported" in element(report, "E78.5").rationale


def test_a_wrong_approach_gets_partial_pcs_credit_naming_the_axis():
    c = get_case("ip-12")
    report = grade(c, answer_dict(c, procedures=["0FT40ZZ"]))
    row = element(report, "0FT44ZZ")
    assert row.points == 6 * inpatient.AXIS_POINTS and row.max_points == 7 * inpatient.AXIS_POINTS
    assert "approach: you coded 0 Open, the record says 4 Percutaneous Endoscopic" in row.rationale
    # the open approach also moves the stay to another DRG (415-417 are not laparoscopic)
    assert report.drg != c.answer.drg and "0FT44ZZ" in element(report, "DRG 419").rationale


def test_two_wrong_axes_are_both_named_and_cost_two_axes():
    c = get_case("ip-13")  # 0SRC0J9: right knee, cemented
    report = grade(c, answer_dict(c, procedures=["0SRD0JA"]))  # left knee, uncemented
    row = element(report, "0SRC0J9")
    assert row.points == 5 * inpatient.AXIS_POINTS
    assert "body part: you coded D" in row.rationale and "qualifier: you coded A" in row.rationale


def test_an_invalid_pcs_code_earns_nothing_and_names_the_failing_axis():
    c = get_case("ip-10")
    report = grade(c, answer_dict(c, procedures=["0DTJ3ZZ"]))
    row = element(report, "0DTJ4ZZ")
    assert row.points == 0 and "approach 3 is not allowed" in row.rationale


def test_a_sepsis_sequenced_first_when_it_developed_after_admission_loses_the_principal():
    c = get_case("ip-17")
    report = grade(c, {"principal": "A41.9", "secondary": ["J18.9:Y", "I10:Y"]})
    row = element(report, "principal J18.9")
    assert row.points == 0 and "secondary diagnosis" in row.rationale and "I.C.1.d.4" in row.rule
    assert report.drg == "871" and report.percent < 60


def test_coding_an_undocumented_diagnosis_points_to_a_query():
    c = get_case("ip-19")
    report = grade(c, answer_dict(c, secondary=["I50.23:Y", "E78.5:Y"]))
    row = element(report, "I50.9")
    assert row.points == 0 and "query" in row.rationale and "Compliant Query" in row.rule
    assert element(report, "I50.9 POA").points == 0
    assert "your I50.23 counts as an MCC" in element(report, "DRG 293").rationale
    c = get_case("ip-20")
    extra = [*(d.__dict__ for d in c.answer.secondary), {"code": "E43", "poa": "Y"}]
    report = grade(c, answer_dict(c, secondary=extra))
    assert element(report, "E43").points == -inpatient.EXTRA_PENALTY
    assert report.drg == "193" and element(report, "DRG 195").points == 0


def test_a_wrong_answer_fails_and_odd_input_never_raises():
    c = get_case("ip-16")
    wrong = grade(c, {"principal": "J18.9", "secondary": ["I10:Y"], "procedures": ["0FT44ZZ"]})
    assert wrong.percent < 25
    for odd in ({}, {"principal": "XX", "secondary": [None, 5], "procedures": ["zzz"]}, "junk"):
        report = grade(c, odd)
        assert report.score == 0 and report.drg == ""
        assert "cannot be grouped" in report.elements[-1].rationale


def test_grading_every_case_is_fast():
    start = time.perf_counter()
    for c in CASES:
        grade(c, {"principal": c.answer.principal.code, "secondary": [], "procedures": []})
    assert time.perf_counter() - start < 1.0


def test_a_procedure_coded_exactly_is_never_spent_as_partial_credit_for_another():
    base = get_case("ip-24")
    procs = (inpatient.Proc("0DQ94ZZ"), inpatient.Proc("0DQ98ZZ"))
    case = dataclasses.replace(base, answer=dataclasses.replace(base.answer, procedures=procs))
    report = grade(case, answer_dict(base, procedures=["0DQ98ZZ", "0DQ90ZZ"]))
    assert element(report, "0DQ98ZZ").points == 7 * inpatient.AXIS_POINTS
    row = element(report, "0DQ94ZZ")
    assert row.points == 6 * inpatient.AXIS_POINTS and "you coded 0 Open" in row.rationale
