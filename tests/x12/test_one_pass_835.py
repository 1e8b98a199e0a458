"""The 835 checks run in the same pass as the reading (issue P9 item 8, speed): each claim is
balanced when the next CLP ends it, yet the diagnostics come out as before, in file order;
an SVC or CAS in an odd place still counts where it always did; the reader's paused_gc
leaves the collector as it found it and cyclic garbage made meanwhile is still collected."""

from __future__ import annotations

import gc

import pytest
from x12_files import remit_text

from medbill_lab.x12.checks import Check835, balance_835, dates_835
from medbill_lab.x12.interpret import interpret
from medbill_lab.x12.reader import paused_gc, read_interchanges


def balance_at(text: str) -> list[tuple[int, str]]:
    out = interpret(read_interchanges(text))
    return [(d["segment"], d["loop"]) for d in out["diagnostics"] if d["kind"] == "balance"]


def test_unbalanced_claims_around_a_balanced_one_are_each_reported_in_order() -> None:
    text = remit_text(
        "BPR*I*160*C*CHK",  # 4: 70 + 40 + 50, balances
        "CLP*A*1*100*70",  # 5: 100 - 20 = 80, not 70
        "CAS*CO*45*20",  # 6
        "CLP*B*1*50*40",  # 7: balances
        "CAS*PR*1*10",  # 8
        "CLP*C*1*60*50",  # 9: 60 - 5 = 55, not 50
        "SVC*HC:99213*60*50",  # 10: 60 - 5 = 55, not 50
        "CAS*CO*45*5",  # 11
    )
    assert balance_at(text) == [(5, "2100"), (9, "2100"), (10, "2110")]


@pytest.mark.parametrize(
    ("line", "said"), [("CAS*CO*45*10", []), ("CAS*CO*45*0", [(5, "2100"), (8, "2110")])]
)
def test_a_service_line_after_a_plb_still_belongs_to_the_last_claim(line: str, said: list) -> None:
    # the balance check has always put an SVC after a PLB under the last claim (its CAS
    # count for the claim), while a CAS right after the PLB adjusts nothing
    text = remit_text(
        "BPR*I*80*C*CHK",  # 90 paid minus the PLB's 10
        "CLP*A*1*100*90",  # 5: balances with the line's 10 only
        "PLB*1*20261231*WO:X*10",  # 6
        "CAS*CO*45*99",  # 7: adjusts nothing
        "SVC*HC:99213*30*20",  # 8
        line,  # 9
    )
    assert balance_at(text) == said


def test_the_check_alone_gives_what_read_835_reports() -> None:
    text = remit_text("BPR*I*9*C*CHK", "CLP*A*1*10*9", "DTM*050*20260230", "CAS*CO*45*x")
    transaction = read_interchanges(text).transactions[0]
    check = Check835().walk(transaction.segments)
    assert [d["kind"] for d in dates_835(transaction)] == ["bad date"]
    assert balance_835(transaction) == check.balance()
    assert [d["kind"] for d in check.balance()] == ["bad amount"]  # CAS03 'x', nothing more
    said = interpret(read_interchanges(text))["diagnostics"]
    assert [d for d in said if d["kind"] in ("bad date", "bad amount")] == (
        check.dates + check.balance()
    )


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_paused_gc_restores_the_collector_and_cycles_are_still_collected() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        _Cycle()  # unreachable at once, kept alive only by its own cycle
    assert gc.isenabled()
    assert gc.collect() >= 1
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()


def test_paused_gc_leaves_objects_the_process_froze_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with paused_gc():
            pass
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
