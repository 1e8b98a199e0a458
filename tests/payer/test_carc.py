"""The 835 code lists in datasets/remit/: every CARC and RARC of the X12 lists (as of
carc.LIST_DATE) is recognised as valid or retired; every CARC the teaching payers send has
our text, every denial CARC says what to do, contractual and patient-share codes are not
denials, and posting, the denial tools and the KPIs read the one table; each code is
explained, "not yet explained", retired, not in the X12 list, or unknown; the claim status
(CLP02) and group code (CAS01) lists are complete."""

from __future__ import annotations

import csv
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from medbill_lab import datasets
from medbill_lab.cli.app import main
from medbill_lab.payer import carc, explain, simulator
from medbill_lab.payer import remittance as era
from medbill_lab.practice import denials, kpis, posting


def _carcs_the_simulator_sends() -> set[str]:
    """CARC literals in the teaching payers' source: Adjustment("CO", "45", ...),
    _denied(line, "197", ...), a whole-claim reason ``return "29"``, and its named codes."""
    source = Path(simulator.__file__).read_text()
    pattern = r'(?:Adjustment\("[A-Z]{2}", |_denied\(\w+, |return )"([A-Z]?\d+)"'
    found = set(re.findall(pattern, source))
    named = {simulator.DEDUCTIBLE, simulator.COINSURANCE, simulator.COPAY}
    return found | named | {simulator.EXCLUDED_CARC, simulator.GLOBAL_CARC}


def _explained(table: dict) -> set[str]:
    """The codes of a table that carry our own plain-language text (the teaching rows)."""
    return {code for code, row in table.items() if row.plain_language}


def test_every_carc_the_teaching_payers_send_has_our_text() -> None:
    sent = _carcs_the_simulator_sends()
    # the scan itself must see the payers' codes, or this test could pass on nothing
    assert {"1", "2", "3", "23", "27", "29", "45", "97", "197", "204"} <= sent
    assert sent <= _explained(carc.carcs()), sent - _explained(carc.carcs())


def test_every_denial_carc_has_a_fix_and_our_text_and_no_other_code_has_a_fix() -> None:
    rows = carc.carcs().values()
    assert [r.code for r in rows if r.denial and not r.fix.strip()] == []
    assert [r.code for r in rows if not r.denial and r.fix] == []
    assert [r.code for r in rows if r.denial and not r.plain_language] == []
    # no row carries X12's own description text: only our words, or none yet
    assert all("description" not in r._fields for r in rows)


@pytest.mark.parametrize("code", ["1", "2", "3", "23", "45", "59", "253"])
def test_patient_share_and_contractual_codes_are_not_denials(code: str) -> None:
    assert code in carc.carcs() and code not in carc.denial_carcs()
    assert kpis.is_contractual("CO", code)
    assert carc.suggested_fix(code) == carc.DEFAULT_FIX


@pytest.mark.parametrize("code", ["8", "29", "50", "97", "197", "204", "B16"])
def test_denial_codes_are_denials_with_their_own_fix(code: str) -> None:
    assert code in carc.denial_carcs()
    assert not kpis.is_contractual("CO", code)
    assert carc.suggested_fix(code) == carc.carcs()[code].fix != carc.DEFAULT_FIX


def test_a_work_item_without_a_carc_and_an_unknown_carc_get_general_fixes() -> None:
    assert carc.suggested_fix("").startswith("No reason code")
    assert carc.suggested_fix("ZZ9") == carc.DEFAULT_FIX


def test_posting_denies_by_the_table() -> None:
    def remit_claim(group: str, code: str, paid: str) -> era.RemitClaim:
        adj = era.Adjustment(group, code, Decimal("100") - Decimal(paid))
        return era.RemitClaim("A1", "1", Decimal(100), Decimal(paid), Decimal(0), "CI", "X", adjustments=[adj])  # fmt: skip

    assert posting.is_denied(remit_claim("CO", "8", "40"))  # a row added in P8: still a denial
    assert not posting.is_denied(remit_claim("CO", "45", "40"))  # a contractual reduction
    assert not posting.is_denied(remit_claim("PR", "8", "40"))  # only CO denies


def test_explainer_and_denial_tools_read_the_same_meaning() -> None:
    for code in ("45", "97", "B20", "250", "P12"):
        assert explain.carc_text(code) == denials.carc_meaning(code) == carc.carcs()[code].meaning
    assert carc.carcs()["250"].meaning.startswith("not yet explained")  # never an empty meaning
    assert "not in the X12 list as of 2026-08-17" in carc.carc_text("309")
    assert denials.carc_meaning("ZZ9") == "CARC ZZ9 is not in the reference list."


@pytest.fixture
def fresh_tables():
    """Clear the cached tables before and after (a test points them at other files)."""
    caches = (
        datasets.read_csv,
        carc.carcs,
        carc.denial_carcs,
        carc.rarcs,
        carc.claim_statuses,
        carc.group_codes,
        carc.plb_reasons,
    )
    for c in caches:
        c.cache_clear()
    yield
    for c in caches:
        c.cache_clear()


def test_a_table_with_a_bad_denial_flag_is_refused(tmp_path, monkeypatch, fresh_tables) -> None:
    shutil.copytree(datasets.datasets_dir() / "remit", tmp_path / "remit")
    table = tmp_path / "remit" / "carc.csv"
    text = table.read_text()
    table.write_text(text.replace(",no,,valid,\n", ",maybe,,valid,\n", 1))
    monkeypatch.setenv("MEDBILL_LAB_DATASETS", str(tmp_path))
    with pytest.raises(ValueError, match="denial must be yes or no, not 'maybe'"):
        carc.carcs()


def _tables_in(tmp_path, monkeypatch) -> Path:
    """A copy of datasets/remit/ that the loaders read instead (for edited tables)."""
    shutil.copytree(datasets.datasets_dir() / "remit", tmp_path / "remit")
    monkeypatch.setenv("MEDBILL_LAB_DATASETS", str(tmp_path))
    return tmp_path / "remit"


@pytest.mark.parametrize("code", ["1", "45", "97", "204", "B20"])
def test_a_valid_carc_with_our_text_reads_it(code: str) -> None:
    row = carc.carcs()[code]
    assert row.status == "valid"
    assert carc.carc_text(code) == row.plain_language != ""
    assert "not yet explained" not in carc.carc_text(code)


@pytest.mark.parametrize("code", ["M15", "N130", "MA130", "N522"])
def test_a_valid_rarc_with_our_text_reads_it(code: str) -> None:
    assert carc.rarc_text(code) == carc.rarcs()[code].plain_language != ""
    assert explain.rarc_text(code) == carc.rarc_text(code)  # the explainer reads the same


@pytest.mark.parametrize(
    ("code", "prefix"), [("15", "retired code: "), ("B5", "retired code (stop date 2016-05-01): ")]
)
def test_a_retired_carc_says_so_and_still_posts_as_a_denial(code: str, prefix: str) -> None:
    # 15 (authorization number) and B5 (coverage guidelines, replaced by 272 and 273) were
    # deactivated in the X12 list; an old remittance still carries them, so they keep their fix
    row = carc.carcs()[code]
    assert row.status == "retired"
    assert carc.carc_text(code) == f"{prefix}{row.plain_language}"
    assert code in carc.denial_carcs() and carc.suggested_fix(code) == row.fix


def test_of_our_explained_carcs_only_15_and_b5_are_retired() -> None:
    explained = _explained(carc.carcs())
    assert len(explained) >= 69
    assert {c for c in explained if carc.carcs()[c].status == "retired"} == {"15", "B5"}
    assert {c for c in _explained(carc.rarcs()) if carc.rarcs()[c].status == "retired"} == set()


@pytest.mark.parametrize("code", ["309", "999", "A9", "B24", "C1", "Z5", "P33"])
def test_a_well_formed_carc_outside_the_x12_list_is_not_called_unknown(code: str) -> None:
    assert code not in carc.carcs()
    assert carc.carc_text(code) == carc.NOT_LISTED
    assert carc.NOT_LISTED.startswith("not in the X12 list as of 2026-08-17")


@pytest.mark.parametrize("code", ["N999", "N941", "N813", "M145", "MA135", "MA999"])
def test_a_well_formed_rarc_outside_the_x12_list_is_not_called_unknown(code: str) -> None:
    assert code not in carc.rarcs()
    assert carc.rarc_text(code) == carc.NOT_LISTED


@pytest.mark.parametrize("code", ["ZZ9", "1234", "", "CO-45", "b15", "AB"])
def test_a_code_that_is_not_a_carc_is_unknown(code: str) -> None:
    assert carc.carc_text(code).startswith(f"unknown code: {code!r} is not a CARC")


@pytest.mark.parametrize("code", ["45", "X130", "N", "N1234", "MA", "n130"])
def test_a_code_that_is_not_a_rarc_is_unknown(code: str) -> None:
    assert carc.rarc_text(code).startswith(f"unknown code: {code!r} is not a RARC")


def test_a_listed_code_without_our_text_is_not_yet_explained(
    tmp_path, monkeypatch, fresh_tables
) -> None:
    remit = _tables_in(tmp_path, monkeypatch)
    table = remit / "carc.csv"
    table.write_text(
        table.read_text().replace(
            "The contractual write-off: the charge above the allowed amount. "
            "The provider may not bill it to the patient.",
            "",
        )
    )
    rarc = remit / "rarc.csv"
    rarc.write_text(
        rarc.read_text().replace("Too many units on the line (an MUE or plan limit).", "")
    )
    assert carc.carc_text("45") == carc.UNEXPLAINED  # no X12 text to fall back on
    assert carc.rarc_text("N362") == carc.UNEXPLAINED
    assert carc.carc_text("97") == carc.carcs()["97"].plain_language  # the others keep theirs


def test_a_table_with_a_bad_status_is_refused(tmp_path, monkeypatch, fresh_tables) -> None:
    table = _tables_in(tmp_path, monkeypatch) / "carc.csv"
    table.write_text(table.read_text().replace(",valid,\n", ",active,\n", 1))
    with pytest.raises(ValueError, match="status must be valid or retired, not 'active'"):
        carc.carcs()


# --- the whole X12 lists: identity and status of every code (the facts), not X12's text ----


def _family(codes, letter: str) -> list[int]:
    """The numbers of the codes that are ``letter`` followed by digits only."""
    return sorted(int(c[len(letter) :]) for c in codes if re.fullmatch(rf"{letter}\d+", c))


def test_the_carc_list_holds_every_x12_carc() -> None:
    codes = set(carc.carcs())
    assert _family(codes, "") == list(range(1, 309))  # 1 to 308, no gaps
    assert _family(codes, "A") == list(range(0, 9))  # A0 to A8
    assert _family(codes, "B") == list(range(1, 24))  # B1 to B23
    assert _family(codes, "D") == list(range(1, 24))  # D1 to D23, all retired
    assert _family(codes, "P") == list(range(1, 33))  # P1 to P32 (property and casualty)
    assert _family(codes, "W") == list(range(1, 10))  # W1 to W9, replaced by P12 to P20
    assert _family(codes, "Y") == list(range(1, 4))  # Y1 to Y3, replaced by P21 to P23
    assert len(codes) == 407


def test_the_rarc_list_holds_every_x12_rarc() -> None:
    codes = set(carc.rarcs())
    assert _family(codes, "M") == list(range(1, 145))  # M1 to M144
    assert _family(codes, "MA") == list(range(1, 135))  # MA01 to MA134
    assert {c for c in codes if c.startswith("MA")} >= {"MA01", "MA09", "MA10", "MA134"}
    assert "MA1" not in codes  # the X12 list writes MA01
    # N1 to N940; N813 and N814 were never issued
    assert _family(codes, "N") == [n for n in range(1, 941) if n not in (813, 814)]
    assert len(codes) == 1216


@pytest.mark.parametrize(("table", "retired"), [("carc.csv", 110), ("rarc.csv", 79)])
def test_each_code_is_listed_once_with_status_valid_or_retired(table: str, retired: int) -> None:
    with (datasets.datasets_dir() / "remit" / table).open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes))
    assert {r["status"] for r in rows} == {"valid", "retired"}
    assert sum(r["status"] == "retired" for r in rows) == retired
    # a stop date only on a retired code
    assert [r["code"] for r in rows if r["stop_date"] and r["status"] != "retired"] == []


def test_retired_codes_carry_their_stop_date_where_it_is_known() -> None:
    carcs = {c: r for c, r in carc.carcs().items() if r.status == "retired"}
    rarcs = {c: r for c, r in carc.rarcs().items() if r.status == "retired"}
    # deactivated after our dated copies of the stop dates (CARC: March 2016, RARC: August 2011)
    assert {c for c, r in carcs.items() if not r.stop_date} == {"15", "138", "165", "168"}
    assert {c for c, r in rarcs.items() if not r.stop_date} == {
        *("N29", "N100", "N102", "N225", "N365", "N483", "N484"),
        *("N553", "N627", "N632", "N735", "N742", "N793"),
    }
    dates = [r.stop_date for r in [*carcs.values(), *rarcs.values()] if r.stop_date]
    assert len(dates) == 106 + 66
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) and "2000" <= d <= "2026-08-17" for d in dates)


@pytest.mark.parametrize("code", [f"N{n}" for n in range(411, 418)])
def test_a_rarc_stopped_once_but_current_on_the_list_is_valid(code: str) -> None:
    # N411-N417 had a stop date of 2009-02-01 in the 2011 copy; the 2026 list shows them
    # current again, and the current list decides
    assert (carc.rarcs()[code].status, carc.rarcs()[code].stop_date) == ("valid", "")


@pytest.mark.parametrize(
    ("code", "status", "stop"),
    [
        ("17", "retired", "2009-07-01"),
        ("38", "retired", "2013-01-01"),  # replaced by 242 and 243
        ("D1", "retired", "2003-10-16"),
        ("W1", "retired", "2014-07-01"),
        ("138", "retired", ""),
        ("45", "valid", ""),
        ("242", "valid", ""),
        ("308", "valid", ""),
        ("P32", "valid", ""),
    ],
)
def test_a_carc_has_its_x12_status(code: str, status: str, stop: str) -> None:
    assert (carc.carcs()[code].status, carc.carcs()[code].stop_date) == (status, stop)


@pytest.mark.parametrize(
    ("code", "status", "stop"),
    [
        ("M33", "retired", "2004-08-01"),
        ("M144", "valid", ""),
        ("MA03", "retired", "2006-10-01"),
        ("MA134", "valid", ""),
        ("N14", "retired", "2007-10-01"),
        ("N793", "retired", ""),
        ("N130", "valid", ""),
        ("N940", "valid", ""),
    ],
)
def test_a_rarc_has_its_x12_status(code: str, status: str, stop: str) -> None:
    assert (carc.rarcs()[code].status, carc.rarcs()[code].stop_date) == (status, stop)


@pytest.mark.parametrize("code", ["250", "300", "94", "P12", "A0", "B23", "308"])
def test_a_current_carc_without_our_text_is_not_yet_explained(code: str) -> None:
    row = carc.carcs()[code]
    assert (row.status, row.plain_language) == ("valid", "")
    assert carc.carc_text(code) == carc.UNEXPLAINED
    assert carc.UNEXPLAINED.startswith("not yet explained") and "unknown" not in carc.UNEXPLAINED
    assert code not in carc.denial_carcs() and carc.suggested_fix(code) == carc.DEFAULT_FIX


@pytest.mark.parametrize("code", ["M1", "MA01", "N206", "N89", "N940"])
def test_a_current_rarc_without_our_text_is_not_yet_explained(code: str) -> None:
    assert carc.rarcs()[code].plain_language == ""
    assert carc.rarc_text(code) == carc.UNEXPLAINED


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("17", "retired code (stop date 2009-07-01): not yet explained"),
        ("A7", "retired code (stop date 2015-07-01): not yet explained"),
        ("Y3", "retired code (stop date 2014-07-01): not yet explained"),
        ("138", "retired code: not yet explained"),
    ],
)
def test_a_retired_carc_without_our_text_says_retired_and_not_yet_explained(
    code: str, said: str
) -> None:
    assert carc.carc_text(code).startswith(said)


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("M33", "retired code (stop date 2004-08-01): "),
        ("MA03", "retired code (stop date 2006-10-01): "),
        ("N14", "retired code (stop date 2007-10-01): "),
        ("N793", "retired code: "),
    ],
)
def test_a_retired_rarc_without_our_text_says_retired_and_not_yet_explained(
    code: str, said: str
) -> None:
    assert carc.rarc_text(code) == f"{said}{carc.UNEXPLAINED}"


def _write_rows(table: Path, edit) -> None:
    """Rewrite a copied table with ``edit`` applied to its list of row dicts."""
    with table.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, list(reader)
    edit(rows)
    with table.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_a_code_listed_twice_is_refused(tmp_path, monkeypatch, fresh_tables) -> None:
    _write_rows(
        _tables_in(tmp_path, monkeypatch) / "rarc.csv", lambda rows: rows.append(dict(rows[0]))
    )
    with pytest.raises(ValueError, match="code M1 is listed twice"):
        carc.rarcs()


@pytest.mark.parametrize("bad", ["1234", "B 5", "b5", ""])
def test_a_row_whose_code_is_not_shaped_like_a_carc_is_refused(
    tmp_path, monkeypatch, fresh_tables, bad: str
) -> None:
    def edit(rows):
        rows[-1]["code"] = bad

    _write_rows(_tables_in(tmp_path, monkeypatch) / "carc.csv", edit)
    with pytest.raises(ValueError, match="is not shaped like a code of this list"):
        carc.carcs()


@pytest.mark.parametrize(
    ("code", "stop", "message"),
    [
        ("45", "2020-01-01", "a stop date \\(2020-01-01\\) needs status retired"),
        ("17", "07/01/2009", "stop date must be YYYY-MM-DD, not '07/01/2009'"),
        ("17", "2009-13-01", "stop date must be YYYY-MM-DD"),
    ],
)
def test_a_bad_stop_date_is_refused(
    tmp_path, monkeypatch, fresh_tables, code, stop, message
) -> None:
    def edit(rows):
        next(r for r in rows if r["code"] == code)["stop_date"] = stop

    _write_rows(_tables_in(tmp_path, monkeypatch) / "carc.csv", edit)
    with pytest.raises(ValueError, match=message):
        carc.carcs()


def test_the_835_explainer_never_calls_a_real_code_unknown_or_unlisted() -> None:
    adjustments = [era.Adjustment("CO", "250", Decimal(10)), era.Adjustment("OA", "A7", Decimal(5))]
    line = era.RemitLine(
        "99213", Decimal(100), Decimal(80), adjustments=adjustments, remarks=["N206", "N14"]
    )
    claim = era.RemitClaim(
        "ACC1", "1", Decimal(100), Decimal(80), Decimal(0), "CI", "P1", lines=[line]
    )
    claim.adjustments.append(era.Adjustment("CO", "309", Decimal(5)))  # not in the list: a typo
    remittance = era.Remittance("T1", "Payer", "P", "Clinic", "1234567893", Decimal(80))
    remittance.claims.append(claim)
    text = explain.explain(remittance)
    assert f"CO-250 $10.00 (contractual obligation): {carc.UNEXPLAINED}" in text
    assert (
        "OA-A7 $5.00 (other adjustment): retired code (stop date 2015-07-01): not yet explained"
        in text
    )
    assert f"remark N206: {carc.UNEXPLAINED}" in text
    assert f"remark N14: retired code (stop date 2007-10-01): {carc.UNEXPLAINED}" in text
    assert f"CO-309 $5.00 (contractual obligation): {carc.NOT_LISTED}" in text
    assert "teaching list" not in text and "unknown" not in text


CORPUS_835 = sorted((Path(__file__).resolve().parents[1] / "data" / "x12" / "835").iterdir())


def _codes_in(node, carcs: set[str], rarcs: set[str]) -> None:
    """Collect the CAS reasons and the remarks anywhere in ``x12 read --json`` output."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "adjustments":
                carcs.update(a["reason"] for a in value)
            elif key == "remarks":
                rarcs.update(value)
            else:
                _codes_in(value, carcs, rarcs)
    elif isinstance(node, list):
        for value in node:
            _codes_in(value, carcs, rarcs)


def test_x12_read_recognises_every_carc_and_rarc_of_the_835_corpus(capsys) -> None:
    carcs: set[str] = set()
    rarcs: set[str] = set()
    read = 0
    for path in CORPUS_835:
        if main(["x12", "read", "--json", str(path)]) != 0:  # a file that is not X12 at all
            assert "not an X12 file" in capsys.readouterr().err
            continue
        read += 1
        out = capsys.readouterr().out
        assert "teaching list" not in out
        _codes_in(json.loads(out)["transactions"], carcs, rarcs)
        assert main(["x12", "read", str(path)]) == 0, path
        text = capsys.readouterr().out
        for said in ("teaching list", "not in the X12 list", "unknown code"):
            assert said not in text, (path.name, said)
    # the scan must see the corpus's files and codes, or this test could pass on nothing
    assert read >= 20
    assert {"45", "94", "A2", "A7", "42"} <= carcs and {"MA01", "N14", "N206"} <= rarcs
    assert carcs <= set(carc.carcs()) and rarcs <= set(carc.rarcs())


CLP02 = {
    "1": "processed as primary",
    "2": "processed as secondary",
    "3": "processed as tertiary",
    "4": "denied",
    "19": "processed as primary, and forwarded to another payer",
    "20": "processed as secondary, and forwarded to another payer",
    "21": "processed as tertiary, and forwarded to another payer",
    "22": "reversal of previous payment",
    "23": "not our claim, forwarded to another payer",
    "25": "predetermination pricing only, no payment",
}


@pytest.mark.parametrize("code", sorted(CLP02, key=int))
def test_every_clp02_claim_status_code_has_its_meaning(code: str) -> None:
    assert carc.claim_status_text(code) == CLP02[code]


def test_the_clp02_list_is_exactly_the_005010_codes() -> None:
    assert carc.claim_statuses() == CLP02


@pytest.mark.parametrize("code", ["0", "5", "24", "26", "", "01", "D"])
def test_a_code_that_is_not_a_claim_status_is_unknown(code: str) -> None:
    assert carc.claim_status_text(code).startswith(f"unknown claim status code {code!r}")


def _pyx12_plb_reasons() -> list[str]:
    """The PLB03-1 codes pyx12's 005010X221A1 map accepts (the guide's list, as pyx12 ships it)."""
    import xml.etree.ElementTree as ET
    from importlib.resources import files

    root = ET.fromstring(files("pyx12").joinpath("map/835.5010.X221.A1.xml").read_bytes())
    (element,) = [e for e in root.iter("element") if e.get("xid") == "PLB03-01"]
    return [code.text for code in element.iter("code")]


def test_the_plb_reason_list_is_exactly_the_codes_of_the_835_guide() -> None:
    guide = _pyx12_plb_reasons()
    assert len(guide) == 41 and {"L6", "WO", "FB", "CS", "72"} <= set(guide)
    assert sorted(carc.plb_reasons()) == sorted(guide)
    assert all(carc.plb_reasons().values())  # every code has our words


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("L6", "interest owed"),
        ("WO", "an overpayment recovery"),
        ("FB", "a forwarding balance"),
        ("72", "an authorized return"),
        ("CT", "a capitation payment"),
    ],
)
def test_a_plb_reason_is_said_in_words(code: str, said: str) -> None:
    assert carc.plb_reason_text(code).startswith(said)


@pytest.mark.parametrize("code", ["ZZ", "", "wo", "L7", "45"])
def test_a_code_that_is_not_a_plb_reason_is_unknown(code: str) -> None:
    assert carc.plb_reason_text(code).startswith(f"unknown provider adjustment reason {code!r}")


def test_the_explainer_and_x12_read_say_what_a_plb_is() -> None:
    from medbill_lab.x12.reading import plain_lines, read_file

    remittance = era.Remittance("T1", "Payer", "P", "Clinic", "1234567893", Decimal(-5))
    remittance.provider_adjustments.append(era.ProviderAdjustment("L6", "C1", Decimal(5)))
    text = explain.explain(remittance)
    assert "PLB L6 C1: $5.00 (interest owed: interest the payer adds" in text
    sample = datasets.datasets_dir() / "x12_samples" / "own-status-19-20-21-23-25-moa-mia.835"
    lines = plain_lines(read_file(sample.read_bytes()))
    (wo,) = [line for line in lines if line.startswith("  Provider adjustment WO")]
    assert (
        wo
        == "  Provider adjustment WO: 25.00 taken from the payment; WO = "
        + carc.plb_reasons()["WO"]
    )


def test_the_explainer_names_a_forwarded_claims_status() -> None:
    claim = era.RemitClaim("ACC19", "19", Decimal(100), Decimal(80), Decimal(20), "MB", "P1")
    remittance = era.Remittance("T1", "Payer", "P", "Clinic", "1234567893", Decimal(80))
    remittance.claims.append(claim)
    text = explain.explain(remittance)
    assert "Claim ACC19 ( ): processed as primary, and forwarded to another payer;" in text


@pytest.mark.parametrize(
    ("group", "who"),
    [
        ("CO", "contractual obligation"),
        ("PR", "patient responsibility"),
        ("OA", "other adjustment"),
        ("PI", "payer-initiated reduction"),
    ],
)
def test_every_valid_group_code_is_explained_and_accepted(group: str, who: str) -> None:
    assert carc.group_codes()[group].status == "valid"
    assert explain.group_text(group).startswith(who + ":")
    assert era.group_code_problem(group) == ""


def test_cr_is_the_one_retired_group_code_and_is_refused() -> None:
    assert {g.code: g.status for g in carc.group_codes().values()} == {
        "CO": "valid",
        "PR": "valid",
        "OA": "valid",
        "PI": "valid",
        "CR": "retired",
    }
    assert explain.group_text("CR").startswith("not valid in 005010: group code CR")
    assert "was retired" in era.group_code_problem("CR")


@pytest.mark.parametrize("group", ["XX", "co", "", "CRR", "DE"])
def test_a_group_code_that_is_not_one_is_unknown_and_refused(group: str) -> None:
    assert explain.group_text(group) == "unknown group code"
    assert "is not a claim adjustment group code" in era.group_code_problem(group)


def test_both_group_code_refusals_name_the_same_valid_list_read_from_the_table() -> None:
    valid = [g.code for g in carc.group_codes().values() if g.status == "valid"]
    listed = f"{', '.join(valid[:-1])} or {valid[-1]}"
    assert listed == "CO, PR, OA or PI"
    assert era.group_code_problem("XX").endswith(f"({listed})")
    assert era.group_code_problem("CR").endswith(f"use {listed}")
