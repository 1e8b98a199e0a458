"""POA indicators of the inpatient cases and the drawn stays, read against Appendix I.

ICD-10-CM Official Guidelines FY2026, Appendix I (Present on Admission Reporting
Guidelines):

* obstetrical conditions: what decides is whether the pregnancy complication itself was
  present when the inpatient order was given; a 2nd degree laceration during delivery is
  Appendix I's own example of 'N', a patient admitted in preterm labor (a condition there
  on arrival, such as a breech presentation) of 'Y';
* external cause codes that are not on the CMS POA-exempt list take Y when the external
  cause happened before the inpatient order (Appendix I's example: a fall at home) and N
  when it happened in the hospital.  The falls W00-W19 at the initial encounter are not
  exempt (the exempt list carries their subsequent-encounter and sequela codes).

An optional code is accepted, not required, but when it is coded it goes on the claim
with its indicator, so the data's indicator must be right too.
"""

from __future__ import annotations

import random
import re

from medbill_lab.training import inpatient
from medbill_lab.training.assignments import inpatient_drg as ip

CASES = inpatient.load_cases()
DELIVERY_LACERATION = re.compile(r"^O70\.")  # perineal laceration during delivery
FALL_FIRST_SEEN = re.compile(r"^W[01]\d\.[\dX]{1,3}X*A$")  # W00-W19, initial encounter


def _dx(case: inpatient.InpatientCase) -> list[inpatient.Dx]:
    """Every diagnosis a case accepts: each accepted answer's and the optional ones."""
    keys = [d for key in case.accepted for d in (key.principal, *key.secondary)]
    return keys + list(case.optional_dx)


def test_the_fall_pattern_reads_initial_encounters_only():
    assert FALL_FIRST_SEEN.match("W19.XXXA") and FALL_FIRST_SEEN.match("W01.0XXA")
    assert not FALL_FIRST_SEEN.match("W19.XXXD")  # subsequent encounter: on the exempt list
    assert not FALL_FIRST_SEEN.match("W20.8XXA")  # struck by an object: not a fall
    assert not FALL_FIRST_SEEN.match("Y92.009")


def test_a_laceration_during_delivery_is_not_present_on_admission():
    torn = [(c.id, d) for c in CASES for d in _dx(c) if DELIVERY_LACERATION.match(d.code)]
    assert torn, "a case teaches the delivery laceration (ip-22)"
    assert all(d.poa == "N" for _, d in torn), torn


def test_a_pregnancy_condition_there_on_arrival_stays_present_on_admission():
    breech = inpatient.get_case("ip-23").answer.principal
    assert (breech.code, breech.poa) == ("O32.1XX0", "Y")


def test_the_external_cause_of_a_fall_before_admission_is_y_in_every_case():
    falls = [(c.id, d) for c in CASES for d in _dx(c) if FALL_FIRST_SEEN.match(d.code)]
    assert len(falls) >= 2, falls  # ip-08 (tripped on a rug), ip-09 (fell at home)
    assert all(d.poa == "Y" for _, d in falls), falls


def test_the_external_cause_of_a_drawn_fall_at_home_is_y_on_every_draw():
    seen = 0
    for seed in range(20):
        data, _ = ip.draw_stay(random.Random(seed), "hip-fracture", "stay")
        assert "fell at home" in data["summary"]
        for d in data["optional"]:
            if FALL_FIRST_SEEN.match(d["code"]):
                seen += 1
                assert d["poa"] == "Y", (seed, d)
    assert seen == 20


# -- the guidelines a drawn stay cites are the ones its coding rests on -----------------------
def _drawn(kind: str, seeds: range = range(20)) -> list[dict]:
    return [ip.draw_stay(random.Random(seed), kind, "stay")[0] for seed in seeds]


def test_a_drawn_severe_sepsis_cites_the_severe_sepsis_rule_and_plain_sepsis_does_not():
    """I.C.1.d.1.b codes severe sepsis (R65.2-, after the infection, with the organ
    dysfunction); I.C.1.d.1.a is sepsis without organ dysfunction."""
    severe = plain = 0
    for data in _drawn("sepsis"):
        codes = {d["code"] for d in data["answer"]["secondary"]}
        if "R65.20" in codes:
            severe += 1
            assert "I.C.1.d.1.b" in data["guidelines"], data["guidelines"]
        else:
            plain += 1
            assert "I.C.1.d.1.a" in data["guidelines"], data["guidelines"]
            assert "I.C.1.d.1.b" not in data["guidelines"], data["guidelines"]
    assert severe and plain


def test_a_drawn_hip_repair_cites_the_root_operation_rule_of_its_procedure():
    """Reduction and nailing of a displaced fracture is Reposition (PCS B3.15); a
    hemiarthroplasty is Replacement, not a case of multiple procedures (B3.2)."""
    nailed = replaced = 0
    for data in _drawn("hip-fracture"):
        pcs = data["answer"]["procedures"][0]["code"]
        assert "PCS B3.2" not in data["guidelines"]
        if pcs.startswith("0QS"):
            nailed += 1
            assert "PCS B3.15" in data["guidelines"], (pcs, data["guidelines"])
        else:
            replaced += 1
            assert pcs.startswith("0SR") and "PCS B3.15" not in data["guidelines"]
    assert nailed and replaced
