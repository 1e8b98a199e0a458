"""The certification-practice question bank (datasets/exam_bank/*.json), checked as data.

Written over every domain file present, so each writer's files are checked the same way:
the format the exam engine reads (fields per item type, options A-D, the answer among
them, exams and domain), ids unique across the bank, every code answer (and accepted
alternative) valid in the lab for a date of service of 2026-03-01 in its own code set
(billable for ICD-10-CM), the per-domain minimums, and the 300-item total once all seven
domains are in.  A sample of answers is then recomputed with the lab's own engines: the
ICD-10-CM grader, the MS-DRG grouper, the ICD-10-PCS tables, the UB-04 tables and the
terminology word parts, so an item cannot mark right what the lab teaches as wrong.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from medbill_lab.claims import ub04_checks
from medbill_lab.codes import drg, icd10cm, icd10pcs, procedures, terminology
from medbill_lab.datasets import datasets_dir, read_csv
from medbill_lab.training import exam_bank
from medbill_lab.training.cases import Case
from medbill_lab.training.exam import code_is_right
from medbill_lab.training.grading import grade

BANK = datasets_dir() / "exam_bank"
DAY = "2026-03-01"
MINIMUMS = {  # domain -> (id prefix, fewest items the share asks for)
    "terminology": ("TERM", 45),
    "icd10cm": ("ICD", 55),
    "inpatient": ("INP", 45),
    "cpt": ("CPT", 45),
    "hcpcs_modifiers": ("HCM", 40),
    "compliance": ("CMP", 40),
    "billing": ("BIL", 45),
}
TOTAL_MINIMUM = 300
COMMON = {"id", "domain", "topic", "exams", "type", "stem", "answer", "rationale", "rule"}
CHOICE_KEYS = COMMON | {"choices", "difficulty", "distractors"}
CODE_KEYS = COMMON | {"system", "accept", "difficulty"}
FILES = sorted(BANK.glob("*.json"))


@cache
def raw(path: Path) -> dict:
    """One domain file as JSON."""
    return json.loads(path.read_text(encoding="utf-8"))


def all_items() -> list[dict]:
    """Every item of every file present."""
    return [item for path in FILES for item in raw(path)["items"]]


@pytest.fixture(scope="module")
def bank() -> exam_bank.Bank:
    """The shipped bank as the exam engine loads it."""
    return exam_bank.load(BANK)


def test_every_domain_file_is_known_and_named_for_its_domain():
    assert FILES, "no exam bank files"
    for path in FILES:
        data = raw(path)
        assert data["domain"] in MINIMUMS, path.name
        assert path.stem == data["domain"]
        assert data["title"].strip() and "MedBill Lab" in data["provenance"]
        assert isinstance(data["items"], list) and data["items"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_items_have_the_fields_of_their_type(path):
    data = raw(path)
    prefix = MINIMUMS[data["domain"]][0]
    for item in data["items"]:
        where = item.get("id", "?")
        assert re.fullmatch(rf"{prefix}-\d{{3}}", item["id"]), where
        assert item["domain"] == data["domain"], where
        assert item["exams"] and set(item["exams"]) <= {"CPC", "CCA", "CBCS"}, where
        assert item["difficulty"] in ("easy", "medium", "hard"), where
        for key in ("topic", "stem", "rationale", "rule"):
            assert isinstance(item[key], str) and item[key].strip(), (where, key)
        if item["type"] == "choice":
            assert set(item) <= CHOICE_KEYS, (where, set(item) - CHOICE_KEYS)
            choices = item["choices"]
            assert sorted(choices) == ["A", "B", "C", "D"], where
            texts = [choices[k].strip().casefold() for k in "ABCD"]
            assert all(texts) and len(set(texts)) == 4, where
            assert item["answer"] in choices, where
            assert set(item.get("distractors", {})) <= set("ABCD") - {item["answer"]}, where
        else:
            assert item["type"] == "code", where
            assert set(item) <= CODE_KEYS, (where, set(item) - CODE_KEYS)
            assert item["system"] in ("icd10cm", "cpt", "hcpcs", "icd10pcs", "modifier"), where
            answers = [item["answer"], *item.get("accept", [])]
            assert all(isinstance(a, list) and a for a in answers), where
            assert all(isinstance(c, str) and c.strip() for a in answers for c in a), where
            assert len({tuple(a) for a in answers}) == len(answers), where


def test_ids_are_unique_across_the_bank():
    ids = [item["id"] for item in all_items()]
    assert len(ids) == len(set(ids))


def test_the_exam_engine_loads_the_same_items(bank):
    assert [i.id for i in bank.items] == [item["id"] for item in all_items()]


def _valid(system: str, code: str) -> bool:
    """Whether the lab would accept ``code`` in ``system`` on the day of service."""
    if system == "icd10cm":
        return icd10cm.validate(code, DAY).valid
    if system == "icd10pcs":
        return icd10pcs.validate(code, icd10cm.fiscal_year(DAY)).valid
    table = {
        "cpt": procedures.cpt,
        "hcpcs": procedures.hcpcs,
        "modifier": procedures.modifiers,
    }[system]()
    return code.strip().upper() in table


def test_every_code_answer_is_valid_in_the_lab_on_the_day_of_service():
    bad = [
        (item["id"], code)
        for item in all_items()
        if item["type"] == "code"
        for answer in [item["answer"], *item.get("accept", [])]
        for code in answer
        if not _valid(item["system"], code)
    ]
    assert not bad


def test_the_validity_check_itself_refuses_what_a_payer_refuses():
    # headers, a missing placeholder, a deleted-year miss and an invalid PCS axis all fail
    assert not _valid("icd10cm", "E11")
    assert not _valid("icd10cm", "T58.01A")
    assert not _valid("icd10pcs", "10D1XZZ")
    assert not _valid("cpt", "00000")
    assert _valid("icd10cm", "T58.01XA") and _valid("icd10pcs", "0FT44ZZ")


def test_each_domain_present_has_its_minimum_and_the_bank_its_total():
    counts = {}
    for item in all_items():
        counts[item["domain"]] = counts.get(item["domain"], 0) + 1
    short = {d: (n, MINIMUMS[d][1]) for d, n in counts.items() if n < MINIMUMS[d][1]}
    assert not short
    if set(counts) == set(MINIMUMS):
        assert sum(counts.values()) >= TOTAL_MINIMUM


def test_no_icd_answer_is_shown_in_another_items_stem_or_options():
    # an ICD-10-CM or ICD-10-PCS code printed in one question must not be another's answer
    answers = {
        code.upper(): item["id"]
        for item in all_items()
        if item["type"] == "code" and item["system"] in ("icd10cm", "icd10pcs")
        for code in item["answer"]
    }
    shown = []
    for item in all_items():
        text = " ".join([item["stem"], *item.get("choices", {}).values()]).upper()
        words = {w.rstrip(".") for w in re.findall(r"[A-Z0-9][A-Z0-9.]+", text)}
        shown += [
            (item["id"], c, answers[c]) for c in words & set(answers) if answers[c] != item["id"]
        ]
    assert not shown


# -- answers recomputed with the lab's own engines -------------------------------------------
def _icd_items() -> list[dict]:
    return [i for i in all_items() if i["type"] == "code" and i["system"] == "icd10cm"]


def _case(item: dict) -> Case:
    return Case(
        id=item["id"],
        topic=item["topic"],
        title=item["id"],
        date_of_service=DAY,
        age=None,
        sex="",
        note=item["stem"],
        answer=tuple(item["answer"]),
        alternatives=tuple(tuple(a) for a in item.get("accept", [])),
    )


def test_icd10cm_code_items_pass_the_labs_grader_and_a_short_answer_does_not():
    items = _icd_items()
    assert items
    for item in items:
        case = _case(item)
        assert grade(case, item["answer"]).percent == 100.0, item["id"]
        for alternative in item.get("accept", []):
            assert grade(case, alternative).percent == 100.0, item["id"]
        assert grade(case, "").percent == 0.0, item["id"]
        first = item["answer"][0]
        if len(first) > 3:  # a code cut back to its category header is never full credit
            assert grade(case, [first[:3], *item["answer"][1:]]).percent < 100.0, item["id"]


def test_code_items_are_right_in_order_and_wrong_when_a_code_is_missing(bank):
    for item in (i for i in bank.items if i.type == "code" and i.domain in MINIMUMS):
        assert code_is_right(item, ", ".join(item.answer)), item.id
        shorter = item.answer[:-1]
        if shorter and shorter not in item.accept:
            assert not code_is_right(item, ", ".join(shorter)), item.id


def _choice(bank: exam_bank.Bank, item_id: str) -> str:
    item = bank.item(item_id)
    return item.choices[item.answer]


def _group(pdx: str, sdx: list, **kw) -> drg.DrgResult:
    return drg.group(pdx, sdx, age=70, sex="F", discharge_status="01", discharge_date=DAY, **kw)


def test_drg_tier_item_is_what_the_grouper_assigns(bank):
    assert _choice(bank, "INP-045").startswith(_group("J18.9", ["N17.9"]).drg)
    assert "J18.9" in bank.item("INP-045").stem and "N17.9" in bank.item("INP-045").stem
    # without the CC the stay falls a tier: the item's answer depends on it
    assert _group("J18.9", []).drg == "195"


def test_hac_item_the_pressure_ulcer_counts_only_when_present_on_admission(bank):
    rationale = bank.item("INP-044").rationale
    assert _group("J18.9", [("L89.153", "N")]).drg == "195" and "DRG 195" in rationale
    assert _group("J18.9", [("L89.153", "Y")]).drg == "193" and "193" in rationale
    assert "does not count" in _choice(bank, "INP-044")


def test_cc_exclusion_item_is_the_groupers_exclusion(bank):
    result = _group("J44.1", ["J44.0"])
    (secondary,) = result.secondary
    assert secondary.severity == "CC" and secondary.excluded and result.drg == "192"
    assert "DRG 192" in bank.item("INP-048").stem
    assert "Exclusion" in _choice(bank, "INP-048")


def test_discharge_status_item_the_grouper_changes_the_drg_on_death_and_ama(bank):
    right = _choice(bank, "INP-060")
    assert "death" in right and "against advice" in right

    def status(pdx: str, code: str) -> drg.DrgResult:
        return drg.group(pdx, [], age=60, sex="M", discharge_status=code, discharge_date=DAY)

    assert status("I21.4", "01").drg != status("I21.4", "20").drg
    assert "Expired" in status("I21.4", "20").title
    assert status("F10.230", "07").drg == "894" != status("F10.230", "01").drg


def test_drg_payment_item_uses_the_fy2026_weight(bank):
    weights = {r["drg"]: r["weight"] for r in read_csv("msdrg/v43_fy2026.csv")}
    item = bank.item("INP-046")
    assert weights["292"] in item.stem
    pay = round(float(weights["292"]) * 6000)
    assert _choice(bank, "INP-046") == f"${pay:,}"


def _pcs_items() -> list[dict]:
    return [i for i in all_items() if i["type"] == "code" and i["system"] == "icd10pcs"]


@pytest.mark.parametrize("item", _pcs_items(), ids=lambda i: i["id"])
def test_pcs_rationale_names_the_root_operation_and_body_part_of_its_code(item):
    # what the item teaches (root operation, body part) is what the lab's tables say the code is
    axes = icd10pcs.lookup(item["answer"][0]).axes
    root, body = axes[2].label, axes[3].label.split(",")[0]
    assert root.lower() in item["rationale"].lower(), root
    assert body.lower() in (item["stem"] + item["rationale"]).lower(), body


@pytest.mark.parametrize(
    "item", [i for i in _pcs_items() if i["answer"][0][2] == "B"], ids=lambda i: i["id"]
)
def test_a_pcs_excision_stem_says_whether_it_is_a_biopsy(item):
    # B3.4a: an Excision takes the qualifier X (Diagnostic) only for a biopsy; a stem that
    # leaves it open ("a suspicious lesion is cut out") makes the 7th character a guess
    stem, diagnostic = item["stem"].lower(), item["answer"][0][6] == "X"
    says_biopsy = "biopsy" in stem and "not call it a biopsy" not in stem
    assert says_biopsy == diagnostic and "suspicious" not in stem, item["stem"]


def test_ub04_items_match_the_labs_tables(bank):
    meanings = [m for _, _, m in ub04_checks.read_type_of_bill("0111")]
    assert meanings[0] == "Hospital" and meanings[1].startswith("Inpatient")
    right = _choice(bank, "INP-051").lower()
    assert "inpatient" in right and "admit through discharge" in right
    assert ub04_checks.read_type_of_bill(_choice(bank, "INP-052"))[2][2].startswith("Replacement")
    assert ub04_checks.read_type_of_bill(_choice(bank, "INP-053"))[1][2] == "Outpatient"
    revenue = ub04_checks.table("revenue_codes")
    assert revenue[_choice(bank, "INP-054")]["meaning"].startswith("Emergency room")
    assert revenue[_choice(bank, "INP-055")]["kind"] == "total"
    status = ub04_checks.table("discharge_status")
    assert "home health" in status[_choice(bank, "INP-059")]["meaning"]


def test_poa_exempt_item_matches_the_labs_exempt_list(bank):
    item = bank.item("INP-043")
    codes = {k: v.split(",")[0] for k, v in item.choices.items()}
    assert [k for k, c in codes.items() if ub04_checks.poa_exempt(c)] == [item.answer]


WORD_PARTS = [  # item, word part, a word of its meaning that the right answer carries
    ("TERM-005", "brady-", "slow"),
    ("TERM-008", "oligo-", "scanty"),
    ("TERM-010", "-megaly", "enlargement"),
    ("TERM-017", "phleb/o", "vein"),
    ("TERM-025", "chondr/o", "cartilage"),
    ("TERM-047", "necr/o", "death"),
]


@pytest.mark.parametrize(("item_id", "part", "word"), WORD_PARTS)
def test_terminology_items_agree_with_the_labs_word_parts(bank, item_id, part, word):
    item = bank.item(item_id)
    assert word in terminology.word_part(part).meaning
    right = (item.stem + " " + _choice(bank, item_id)).lower()
    assert part in right or part.strip("-/o") in right
    assert word in right
    wrong = [t.lower() for k, t in item.choices.items() if k != item.answer]
    assert not any(word in t for t in wrong)
