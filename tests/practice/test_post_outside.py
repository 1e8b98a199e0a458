"""``practice post FILE.835 --payer-map ID=OURS``: an 835 from a payer the practice does not
know is refused with how to map it, and posts once mapped (issue P9 item 7)."""

from __future__ import annotations

import codecs
import sqlite3
from pathlib import Path

import pytest
from x12_files import adjudicated_practice

from medbill_lab.cli import main

pytestmark = pytest.mark.sqlite_only  # drives the CLI on a SQLite file

TABLES = ("remittances", "payments", "adjustments", "work_items", "claim_status_history")


@pytest.fixture(scope="module")
def practice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A small practice with its claims adjudicated: (database, one of its 835 files)."""
    return adjudicated_practice(tmp_path_factory.mktemp("outside"))


def _outside(src: Path, dest: Path, bom: bool = False) -> Path:
    """The 835 as a UnitedHealthcare file: its payer ID and name are not the practice's."""
    text = src.read_text(encoding="ascii")
    text = text.replace("N1*PR*MEDICARE PART B (MEDBILL LAB MAC)", "N1*PR*UNITEDHEALTHCARE")
    text = text.replace("REF*2U*MBL01", "REF*2U*87726")
    assert "REF*2U*87726" in text and "REF*2U*MBL01" not in text
    dest.write_bytes((codecs.BOM_UTF8 if bom else b"") + text.encode("ascii"))
    return dest


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def _copy(db: Path, dest: Path) -> Path:
    """A fresh copy of the practice for one test (SQLite's backup: WAL pages included)."""
    with sqlite3.connect(db) as src, sqlite3.connect(dest) as out:
        src.backup(out)
    return dest


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_an_unknown_payer_says_how_to_map_it_and_posts_nothing(practice, tmp_path, capsys):
    db = _copy(practice[0], tmp_path / "p.sqlite")
    before = _counts(db)
    f835 = _outside(practice[1], tmp_path / "uhc.835")
    code, out, err = _run(capsys, "practice", "post", str(f835), "--db", str(db))
    assert code == 1 and out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert "payer 87726 (UNITEDHEALTHCARE) is not one of this practice's payers" in err
    assert (
        "Medicare Part B (MedBill Lab MAC)=MBL01" in err and "Summit Mutual Insurance=MBL04" in err
    )
    assert "--payer-map 87726=" in err
    assert _counts(db) == before


def test_a_map_to_one_of_ours_posts_it_once(practice, tmp_path, capsys):
    db = _copy(practice[0], tmp_path / "p.sqlite")
    before = _counts(db)
    f835 = _outside(practice[1], tmp_path / "uhc.835", bom=True)  # a BOM does not break it
    code, out, err = _run(
        capsys, "practice", "post", str(f835), "--db", str(db), "--payer-map", "87726=MBL01"
    )
    assert code == 0, err
    assert out.startswith("Trace TRNMBL01") and " posted " in out.splitlines()[0]
    after = _counts(db)
    assert (
        after["remittances"] == before["remittances"] + 1 and after["payments"] > before["payments"]
    )
    with sqlite3.connect(db) as con:
        payer = con.execute(
            "SELECT p.payer_id FROM remittances r JOIN payers p ON p.id = r.payer_id "
            "ORDER BY r.id DESC LIMIT 1"
        ).fetchone()[0]
    assert payer == "MBL01"
    # the same trace again, mapped by the payer's name this time: a no-op
    code, out, _ = _run(
        capsys,
        "practice",
        "post",
        str(f835),
        "--db",
        str(db),
        "--payer-map",
        "87726=medicare part b (medbill lab mac)",
    )
    assert code == 0 and "already posted" in out and _counts(db) == after


def test_the_practices_own_835_still_posts_without_a_map(practice, tmp_path, capsys):
    db = _copy(practice[0], tmp_path / "p.sqlite")
    code, out, err = _run(capsys, "practice", "post", str(practice[1]), "--db", str(db))
    assert code == 0 and " posted " in out, err


@pytest.mark.parametrize(
    ("pair", "says"),
    [
        ("87726=UHC", "--payer-map 87726=UHC: UHC is not one of this practice's payers"),
        ("87726", "write it as OUTSIDE_ID=OUR_PAYER_ID"),
        ("=MBL01", "write it as OUTSIDE_ID=OUR_PAYER_ID"),
    ],
)
def test_a_bad_map_is_refused_in_one_line(practice, tmp_path, capsys, pair, says):
    db = _copy(practice[0], tmp_path / "p.sqlite")
    before = _counts(db)
    f835 = _outside(practice[1], tmp_path / "uhc.835")
    code, out, err = _run(
        capsys, "practice", "post", str(f835), "--db", str(db), "--payer-map", pair
    )
    assert code == 1 and out == "" and err.count("\n") == 1 and says in err, err
    assert _counts(db) == before


def test_a_utf16_file_with_its_bom_posts_like_the_ascii_one(practice, tmp_path, capsys):
    """Windows tools save 'Unicode' text as UTF-16 with a BOM: the post reads it as the
    X12 reader does (one decoder), instead of turning every byte into garbage."""
    db = _copy(practice[0], tmp_path / "p.sqlite")
    before = _counts(db)
    text = practice[1].read_text(encoding="ascii")
    f835 = tmp_path / "utf16.835"
    f835.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    code, out, err = _run(capsys, "practice", "post", str(f835), "--db", str(db))
    assert code == 0 and out.startswith("Trace TRNMBL01") and " posted " in out, err
    assert _counts(db)["remittances"] == before["remittances"] + 1
