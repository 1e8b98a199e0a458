"""``medbill-lab exam bank|analyse``: the bank's counts, and item analysis over stored attempts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medbill_lab.cli.app import main
from medbill_lab.training import exam, exam_bank
from medbill_lab.training.exam_attempts import Attempts

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "exam_bank_fixture"


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_bank_counts_by_domain_and_type(capsys):
    status, out, _ = run(capsys, "exam", "bank", "--bank", str(FIXTURE))
    assert status == 0
    rows = {line.split()[0]: line.split()[1:4] for line in out.splitlines()[1:]}
    assert rows["icd10cm"] == ["3", "3", "6"] and rows["billing"] == ["6", "0", "6"]
    assert rows["all"] == ["9", "3", "12"]
    status, out, _ = run(capsys, "exam", "bank", "--bank", str(FIXTURE), "--json")
    data = json.loads(out)
    assert data["total"] == 12 and data["domains"]["icd10cm"] == {
        "choice": 3,
        "code": 3,
        "total": 6,
    }


def test_a_broken_bank_is_one_line_and_exit_1(capsys, tmp_path):
    (tmp_path / "billing.json").write_text('{"domain": "billing", "title": "B", "items": []}')
    status, out, err = run(capsys, "exam", "bank", "--bank", str(tmp_path))
    assert status == 1 and out == ""
    assert err == "medbill-lab: error: billing.json: 'provenance' must be non-empty text\n"


def _class(db: Path) -> exam.Form:
    """Four learners sit one form: learner k answers the first k items right; s3 then
    re-sits it with everything right (a review, which analysis must leave out)."""
    bank = exam_bank.load(FIXTURE)
    form = exam.new_form(bank, "CBCS", n=5, seed=3)
    store = Attempts(db)

    def sit(learner: str, n_right: int) -> None:
        s = exam.Sitting(form, learner)
        for p, fi in enumerate(form.items):
            key = fi.shown(fi.item.answer)
            s.answer(key if p < n_right else next(x for x in "ABCD" if x != key), p)
        store.record(s.submit())

    for k in range(4):
        sit(f"s{k}", k + 1)
    sit("s3", 5)
    return form


def test_analyse_reads_first_sittings_only(capsys, tmp_path):
    db = tmp_path / "progress.sqlite"
    form = _class(db)
    status, out, _ = run(
        capsys, "exam", "analyse", "--db", str(db), "--bank", str(FIXTURE), "--json"
    )
    assert status == 0
    data = json.loads(out)
    assert data["learners"] == 4 and "only 4 learner(s)" in data["notes"][0]
    stats = {s["item_id"]: s for s in data["items"]}
    first, last = form.items[0].item.id, form.items[4].item.id
    assert stats[first]["difficulty"] == 1.0 and stats[first]["n"] == 4
    assert stats[last]["difficulty"] == 0.0  # s3's all-right review is not counted
    assert {o["option"] for o in stats[first]["options"]} == set("ABCD")
    status, out, _ = run(capsys, "exam", "analyse", "--db", str(db), "--bank", str(FIXTURE))
    assert status == 0 and "4 learner(s), 5 item(s)" in out and "Note: only 4" in out
    assert any(line.startswith(last) and "very hard" in line for line in out.splitlines())


@pytest.mark.parametrize("name", ["missing.sqlite", "junk.sqlite"])
def test_analyse_refuses_a_missing_or_broken_file_in_one_line(capsys, tmp_path, name):
    (tmp_path / "junk.sqlite").write_text("not a database" * 100)
    status, out, err = run(capsys, "exam", "analyse", "--db", str(tmp_path / name))
    assert status == 1 and out == "" and err.count("\n") == 1
    assert err.startswith("medbill-lab: error: ")
