"""``medbill-lab claim`` (cli/claims.py), run through ``main([...])``: the domain functions
return what they did, and the command line prints it."""

from __future__ import annotations

import json
from pathlib import Path

from medbill_lab.datasets import datasets_dir
from medbill_lab.x12 import x837p

CLAIMS = datasets_dir() / "claims"
CLEAN = str(CLAIMS / "clean-01-htn-hld-followup.json")


def test_check_prints_every_edit_and_exits_1_when_one_denies(cli):
    run = cli("claim", "check", str(CLAIMS / "edit-ncci-ptp-therapy.json"))
    assert run.code == 1 and run.err == ""
    assert run.out.startswith("NCCI-PTP [deny] item 24D line 1\n")
    assert "  Why: " in run.out and "  Source: " in run.out
    assert run.out.endswith(": the claim would be rejected or denied.\n")


def test_check_of_a_clean_claim_exits_0(cli):
    assert cli("claim", "check", CLEAN) == (0, "No edits: the claim is clean.\n", "")
    assert cli("claim", "check", CLEAN, "--json") == (0, "[]\n", "")


def test_check_of_a_warning_only_claim_exits_0(cli):
    run = cli("claim", "check", str(CLAIMS / "edit-mod-25-no-procedure.json"), "--json")
    assert run.code == 0 and [e["severity"] for e in json.loads(run.out)] == ["warn"]


def test_check_of_a_claim_that_does_not_load_is_one_line(cli):
    run = cli("claim", "check", str(CLAIMS / "load-dangling-pointer.json"))
    run.fails_in_one_line("pointer C refers to no diagnosis")


def test_x12_says_what_it_wrote(cli, tmp_path: Path):
    out = tmp_path / "a.837"
    run = cli("claim", "x12", CLEAN, CLEAN, "-o", str(out))
    assert run.code == 0 and out.is_file()
    assert run.out.startswith(f"wrote {out}: 2 claim(s), ") and run.out.endswith(
        " segments, 0 pyx12 error(s) (999 A)\n"
    )


def test_x12_with_pyx12_errors_lists_them_and_writes_nothing(cli, tmp_path: Path, monkeypatch):
    real = x837p.to_837p

    def broken(batch, **kwargs):
        text = real(batch, **kwargs)
        date = text.split("DTP*472*D8*")[1][:8]
        return text.replace(f"DTP*472*D8*{date}", f"DTP*472*D8*{date[:4]}1399", 1)

    monkeypatch.setattr(x837p, "to_837p", broken)
    out = tmp_path / "a.837"
    run = cli("claim", "x12", CLEAN, "-o", str(out))
    lines = run.out.splitlines()
    assert run.code == 1 and not out.exists()
    assert lines[0].startswith("  claim 1 (") and "item 24A line 1 [2400 DTP03]" in lines[0]
    assert lines[-1].startswith(f"not written: {out}: 1 claim(s), ")


def test_pdf_says_what_it_wrote(cli, tmp_path: Path):
    out = tmp_path / "a.pdf"
    run = cli("claim", "pdf", CLEAN, "-o", str(out), "--png")
    assert run.code == 0 and run.err == ""
    assert run.out == (
        f"Wrote {out}, {tmp_path / 'a.png'}: CMS-1500, 1 page(s), 3 service line(s).\n"
    )


def test_pdf_into_a_missing_folder_is_one_line(cli, tmp_path: Path):
    run = cli("claim", "pdf", CLEAN, "-o", str(tmp_path / "no" / "a.pdf"))
    run.fails_in_one_line("does not exist")
    assert list(tmp_path.iterdir()) == []
