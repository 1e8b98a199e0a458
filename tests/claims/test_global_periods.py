"""The global-period table covers the lab's procedures, and the payer simulator applies the
same E/M global-package rule as the scrubber (one function, both users)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from medbill_lab.claims.model import Claim, Payer, Person, ServiceLine
from medbill_lab.claims.scrubber import em_global_conflicts, scrub
from medbill_lab.codes import procedures
from medbill_lab.payer.remittance import RemitClaim
from medbill_lab.payer.simulator import PayerPolicy, adjudicate

DAY = dt.date(2026, 3, 10)
VALUES = {"000", "010", "090", "MMM", "XXX", "YYY", "ZZZ"}


# Left out on purpose: the lab could not confirm their value (datasets/cpt/README.md).
NOT_RECORDED = {"11981", "11982", "11983"}


def test_every_surgery_code_has_a_global_period():
    table = procedures.global_periods()
    surgery = [c for c, p in procedures.cpt().items() if p.group == "Surgery"]
    assert len(surgery) > 150
    assert {c for c in surgery if c not in table} == NOT_RECORDED


def test_every_row_is_a_known_code_with_a_fee_schedule_value():
    for code, period in procedures.global_periods().items():
        assert procedures.procedure(code), code
        assert period.days in VALUES, (code, period.days)
        assert period.bilateral in ("", "0", "1", "2", "3", "9"), code


@pytest.mark.parametrize(
    ("code", "days"),
    [("20610", "000"), ("11102", "000"), ("10060", "010"), ("17110", "010"), ("27447", "090"),
     ("47562", "090"), ("99213", "XXX"), ("80053", "XXX"), ("71046", "XXX"), ("11045", "ZZZ"),
     ("59400", "MMM")],
)  # fmt: skip
def test_spot_values(code, days):
    assert procedures.global_period(code).days == days


def test_em_lab_and_imaging_have_no_global_period():
    groups = ("Evaluation and Management", "Pathology and Laboratory", "Radiology")
    for code, p in procedures.cpt().items():
        period = procedures.global_period(code)
        if p.group in groups and period:
            assert period.days in ("XXX", "ZZZ"), code
    assert procedures.global_period("0042T") is None  # not recorded: no rule applied


def test_minor_and_major():
    assert procedures.global_period("12002").minor and not procedures.global_period("12002").major
    assert procedures.global_period("66984").major and not procedures.global_period("66984").minor
    assert (
        not procedures.global_period("93000").minor and not procedures.global_period("93000").major
    )


# -- the payer applies the same rule -----------------------------------------------------
def _claim(*lines: ServiceLine) -> Claim:
    return Claim(
        program="group",
        insured_id="TEST123",
        patient=Person("Doe", "Jane", dob=dt.date(1975, 6, 1), sex="F"),
        payer=Payer("Test Plan", "TP001", timely_filing_days=365),
        diagnoses=["M17.11"],
        lines=list(lines),
        submitted_on=DAY + dt.timedelta(days=2),
    )


def _line(code: str, *mods: str, day: dt.date = DAY) -> ServiceLine:
    return ServiceLine(day, code, Decimal("150.00"), modifiers=list(mods))


def _adjudicated(c: Claim) -> RemitClaim:
    result = adjudicate(c, PayerPolicy(), today=DAY + dt.timedelta(days=3))
    assert isinstance(result, RemitClaim), result
    assert result.balances()
    return result


def _carcs(remit_line) -> list[tuple[str, str]]:
    return [(a.group, a.carc) for a in remit_line.adjustments]


@pytest.mark.parametrize("code", ["20610", "11102", "69210", "10060", "17110"])
def test_the_payer_bundles_an_em_without_25_beside_a_minor_procedure(code):
    em, proc = _adjudicated(_claim(_line("99213"), _line(code))).lines
    assert _carcs(em) == [("CO", "97")] and em.remarks == ["M15"] and em.paid == 0
    assert proc.paid > 0
    em, proc = _adjudicated(_claim(_line("99213", "25"), _line(code))).lines
    assert em.paid > 0 and proc.paid > 0


@pytest.mark.parametrize("code", ["27447", "47562", "29881"])
def test_the_payer_pays_a_decision_for_surgery_visit_only_with_57(code):
    em, _ = _adjudicated(_claim(_line("99204"), _line(code))).lines
    assert _carcs(em) == [("CO", "97")] and em.paid == 0
    day_before = _adjudicated(_claim(_line("99204", day=DAY - dt.timedelta(days=1)), _line(code)))
    assert day_before.lines[0].paid == 0
    em, _ = _adjudicated(_claim(_line("99204", "57"), _line(code))).lines
    assert em.paid > 0


@pytest.mark.parametrize("code", ["93000", "36415", "80053", "71046"])
def test_the_payer_pays_the_visit_beside_a_service_without_a_global_period(code):
    em, other = _adjudicated(_claim(_line("99213"), _line(code))).lines
    assert em.paid > 0 and other.paid > 0


def test_scrubber_and_payer_agree_line_for_line():
    cases = [
        _claim(_line("99213"), _line("20610")),
        _claim(_line("99213", "25"), _line("20610")),
        _claim(_line("99214", "57"), _line("27447")),
        _claim(_line("99214", "57"), _line("11102")),
        _claim(_line("99214", "25"), _line("27447")),
        _claim(_line("99213"), _line("93000")),
    ]
    for c in cases:
        denied_by_scrubber = {
            int(e.item.split()[-1]) - 1 for e in scrub(c) if e.id == "EM-GLOBAL" and e.blocking
        }
        denied_by_payer = {
            i for i, ln in enumerate(_adjudicated(c).lines) if ("CO", "97") in _carcs(ln)
        }
        assert (
            denied_by_scrubber
            == denied_by_payer
            == {x.em for x in em_global_conflicts(c.lines) if x.blocking}
        )
