"""An outside 999 traced through its 837P names the patient's own item when the patient is
the insured: such a claim has no loop 2000C (X222A1: 2000C is used only when the patient is
not the subscriber), so 2010BA's name, address and birth date are items 2, 5 and 3; on a
claim for a dependant the same segments are the insured's items 4, 7 and 11a."""

from __future__ import annotations

from pathlib import Path

import pytest

from medbill_lab.x12 import x837p
from medbill_lab.x12.reading import read_file

CORPUS = Path(__file__).resolve().parents[1] / "data" / "x12" / "837P"
SELF = (CORPUS / "own-cob-bad-amt-for-999.837").read_text(encoding="utf-8")  # no 2000C
DEPENDANT = (CORPUS / "lfh-example1.837").read_text(encoding="utf-8")  # HL*3*2*23


def ack_for(claims: str, segment: str, loop: str, element: int) -> dict:
    """A 999 rejecting element ``element`` of the first ``segment`` in ``loop``."""
    rows = x837p.outline(claims)
    st = next(r for r in rows if r.segment.startswith("ST*"))
    target = next(r for r in rows if r.loop == loop and r.segment.startswith(segment + "*"))
    control = st.segment.split("*")[2]
    group = next(r for r in rows if r.segment.startswith("GS*")).segment.split("*")[6]
    body = [
        "ST*999*0001*005010X231A1",
        f"AK1*HC*{group}*005010X222A1",  # the 999 answers the claims file's group (GS06)
        f"AK2*837*{control}*005010X222A1",
        f"IK3*{segment}*{target.position - st.position + 1}*{loop}*8",
        f"IK4*{element}**7*X",
        "IK5*R*5",
        "AK9*R*1*1*0",
    ]
    body.append(f"SE*{len(body) + 1}*0001")
    text = (
        "ISA*00*          *00*          *ZZ*CLEARINGHOUSE  *ZZ*SUBMITTER      "
        "*261207*1200*^*00501*000000001*0*T*:~GS*FA*CH*SUB*20261207*1200*1*X*005010X231A1~"
        + "~".join(body)
        + "~GE*1*1~IEA*1*000000001~"
    )
    (tx,) = read_file(text, claims)["transactions"]
    (error,) = tx["sets"][0]["errors"]
    return error


@pytest.mark.parametrize(
    ("segment", "element", "item"),
    [("DMG", 2, "3"), ("DMG", 3, "3"), ("NM1", 3, "2"), ("N3", 1, "5"), ("N4", 1, "5")],
)
def test_patient_is_the_insured_2010ba_is_the_patients_item(segment, element, item) -> None:
    error = ack_for(SELF, segment, "2010BA", element)
    assert (error["traced_loop"], error["item"]) == ("2010BA", item)


def test_patient_is_the_insured_the_member_id_stays_item_1a() -> None:
    assert ack_for(SELF, "NM1", "2010BA", 9)["item"] == "1a"


@pytest.mark.parametrize(
    ("segment", "loop", "element", "item"),
    [
        ("NM1", "2010BA", 3, "4"),  # the insured's name, not the patient's
        ("NM1", "2010CA", 3, "2"),
        ("DMG", "2010CA", 2, "3"),
    ],
)
def test_a_dependants_claim_keeps_the_insureds_items(segment, loop, element, item) -> None:
    assert ack_for(DEPENDANT, segment, loop, element)["item"] == item
