"""The fraud detectors: precision and recall per scheme over several seeds, without the
truth, each flag explained with its rule and benchmark; naive rules do worse."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medbill_lab.compliance import fraud, fraud_lab
from medbill_lab.compliance.fraud_lab import SCHEMES, generate

SEEDS = (11, 2026, 90210)  # full-size labs (about 150,000 lines each)
TARGET = 0.9


@pytest.fixture(scope="module", params=SEEDS)
def scored(request):
    lab = generate(request.param)
    flags = fraud.detect_all(lab)
    return lab, flags, fraud.score(flags, lab.truth).set_index("scheme")


def test_every_scheme_meets_the_precision_and_recall_target(scored):
    _, _, result = scored
    assert set(result.index) == set(SCHEMES)
    assert (result["planted"] > 0).all()
    low = result[(result["precision"] < TARGET) | (result["recall"] < TARGET)]
    assert low.empty, low


@pytest.mark.parametrize("seed", [3, 7, 19, 23])
def test_target_holds_on_smaller_labs_too(seed):
    lab = generate(seed, scale=0.25)
    result = fraud.score(fraud.detect_all(lab), lab.truth)
    assert (result["precision"] >= TARGET).all() and (result["recall"] >= TARGET).all(), result


def test_detectors_never_read_the_truth(scored, tmp_path):
    lab, flags, _ = scored
    blind = fraud_lab.FraudLab(
        lab.seed, lab.claims, lab.members, lab.providers, lab.payers, truth=pd.DataFrame()
    )
    pd.testing.assert_frame_equal(fraud.detect_all(blind), flags)
    # and from the released CSV files alone
    small = generate(4, scale=0.2)
    fraud_lab.write_release(small, tmp_path / "students", tmp_path / "key")
    from_files = fraud.detect_all(fraud_lab.load_student_data(tmp_path / "students"))
    result = fraud.score(from_files, small.truth)
    assert (result["precision"] >= TARGET).all() and (result["recall"] >= TARGET).all(), result


def test_provider_level_explanations_name_the_rule_numbers_and_peers(scored):
    lab, flags, _ = scored
    names = lab.providers.set_index("provider_id")["name"]
    for scheme, rule in (("upcoding", "UPCODING"), ("modifier_overuse", "MODIFIER-OVERUSE")):
        rows = flags[flags["scheme"] == scheme]
        assert len(rows) >= 3
        for row in rows.itertuples():
            text = row.explanation
            assert row.level == "provider" and pd.isna(row.line_id)
            assert names[row.provider_id] in text and f"Rule {rule}" in text
            assert "peers" in text and "median" in text and "95th pct" in text
            assert "%" in text


def test_line_level_explanations_name_the_rule_and_the_line(scored):
    _, flags, _ = scored
    lines = flags[flags["level"] == "line"]
    rules = {
        "unbundling": "NCCI-PTP",
        "duplicate": "DUPLICATE",
        "impossible_date": "DATE-",
        "impossible_day": "IMPOSSIBLE-DAY",
        "phantom_patient": "PHANTOM-PATIENT",
        "mue": "MUE",
        "noncovered": "NONCOVERED-DISGUISED",
    }
    for scheme, rule in rules.items():
        rows = lines[lines["scheme"] == scheme]
        assert len(rows) > 0
        assert rows["explanation"].str.contains(rule, regex=False).all(), scheme
    mue = lines.loc[lines["scheme"] == "mue", "explanation"]
    assert mue.str.contains("the MUE is").all() and mue.str.contains("MAI").all()
    day = lines.loc[lines["scheme"] == "impossible_day", "explanation"]
    # the two peer figures are named for what they are, so a median above a 99th percentile
    # (of different things) does not read as an error
    assert day.str.contains("each peer's busiest day, median", regex=False).all()
    assert day.str.contains("99 in 100 of their days with such codes under", regex=False).all()
    assert day.str.contains("more than 24 hours").all() and day.str.contains("peers").all()


def test_upcoding_explanation_numbers_match_the_claims(scored):
    lab, flags, _ = scored
    row = flags[flags["scheme"] == "upcoding"].iloc[0]
    c = lab.claims.drop_duplicates(fraud.DUP_KEY)
    em = c[(c["provider_id"] == row.provider_id) & c["code"].isin(fraud_lab.EST_EM)]
    share = (em["code"] == "99215").mean()
    assert f"billed 99215 on {share:.0%}" in row.explanation
    assert f"of {len(em)} established-patient visits" in row.explanation


def _precision(ids: set[int], lab: fraud_lab.FraudLab, scheme: str) -> float:
    truth = set(lab.truth.loc[lab.truth["scheme"] == scheme, "line_id"].dropna().astype(int))
    return len(ids & truth) / len(ids)


def test_naive_rules_are_fooled_by_the_legitimate_look_alikes():
    lab = generate(31, scale=0.3)
    c, m = lab.claims, lab.members
    # same patient, code and day, ignoring provider, modifiers and units
    naive_dup = set(c.loc[c.duplicated(["member_id", "code", "dos"]), "line_id"])
    assert _precision(naive_dup, lab, "duplicate") < 0.5
    # NCCI pairs ignoring modifiers and deleted edits
    ptp = fraud_lab.ptp_table()
    pairs = c.merge(ptp, left_on="code", right_on="column2").merge(
        c[["provider_id", "member_id", "dos", "code"]].rename(columns={"code": "column1"}),
        on=["provider_id", "member_id", "dos", "column1"],
    )
    assert _precision(set(pairs["line_id"]), lab, "unbundling") < 0.5
    # MUE summed per day for every code, MAI 1 included
    mue = c.merge(fraud_lab.mue_table(), on="code")
    day = mue.groupby(["provider_id", "member_id", "dos", "code"])["units"].transform("sum")
    assert _precision(set(mue.loc[day > mue["mue"], "line_id"]), lab, "mue") < 0.9
    # any ECG code billed to the plan that excludes the ECG
    ecg = c[(c["payer_id"] == fraud_lab.NONCOVERED_PAYER) & c["code"].str.startswith("930")]
    assert _precision(set(ecg["line_id"]), lab, "noncovered") < 0.5
    # "not enrolled on the date of service" instead of "not a member / another person"
    x = c.merge(m, on="member_id", how="left")
    lapsed = x["dob"].isna() | ((x["enroll_end"] != "") & (x["dos"] > x["enroll_end"]))
    assert _precision(set(x.loc[lapsed, "line_id"]), lab, "phantom_patient") < 0.5
    # a 12-hour day is long, not impossible
    days = fraud.daily_minutes(lab)
    long = days[days["minutes"] > 12 * 60]
    timed = c[c["code"].isin(fraud_lab.time_based_codes()["code"])]
    ids = set(timed.merge(long, on=["provider_id", "dos"])["line_id"])
    assert _precision(ids, lab, "impossible_day") < 0.9


def test_naive_modifier_25_rate_across_all_specialties_flags_dermatologists():
    lab = generate(31, scale=0.3)
    per = fraud.modifier_profile(lab)
    overall = per["rate25"].median()
    naive = set(per.index[per["rate25"] >= overall + fraud.MODIFIER_GAP])
    truth = set(lab.truth.loc[lab.truth["scheme"] == "modifier_overuse", "provider_id"])
    derm = set(lab.providers.loc[lab.providers["specialty"] == "dermatology", "provider_id"])
    assert (naive - truth) & derm  # legitimate procedure-heavy peers caught by a global rule
    assert not (set(fraud.detect_modifier_overuse(lab)["provider_id"]) - truth)


def test_visit_on_the_day_of_death_is_not_flagged(scored):
    lab, flags, _ = scored
    died = lab.claims["dos"] == lab.claims["member_id"].map(
        lab.members.set_index("member_id")["death_date"]
    )
    same_day = set(lab.claims.loc[died, "line_id"])
    assert same_day and not same_day & set(
        flags.loc[flags["scheme"] == "impossible_date", "line_id"]
    )


def test_tables_refuses_incomplete_input():
    with pytest.raises(ValueError, match="payers"):
        fraud.tables(
            {"claims": pd.DataFrame(), "members": pd.DataFrame(), "providers": pd.DataFrame()}
        )
    with pytest.raises(TypeError):
        fraud.tables(42)


truth_rows = st.lists(
    st.tuples(
        st.sampled_from([s for s in SCHEMES if fraud.UNIT[s] == "line"]), st.integers(1, 200)
    ),
    min_size=1,
    max_size=40,
    unique=True,
)


def _frame(rows: list[tuple[str, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        {"scheme": [s for s, _ in rows], "provider_id": "P001", "line_id": [i for _, i in rows]}
    )


@settings(max_examples=50, deadline=None)
@given(truth=truth_rows, extra=truth_rows, keep=st.floats(0, 1))
def test_score_counts_hits_at_the_right_unit(truth, extra, keep):
    t = _frame(truth)
    kept = truth[: round(len(truth) * keep)]
    flags = _frame(kept + [r for r in extra if r not in truth])
    result = fraud.score(flags, t).set_index("scheme")
    for scheme in {s for s, _ in truth}:
        want = {i for s, i in truth if s == scheme}
        got = {i for s, i in zip(flags["scheme"], flags["line_id"], strict=True) if s == scheme}
        assert result.at[scheme, "recall"] == pytest.approx(len(got & want) / len(want))
        if got:
            assert result.at[scheme, "precision"] == pytest.approx(len(got & want) / len(got))
    perfect = fraud.score(t, t)
    assert (perfect["precision"] == 1).all() and (perfect["recall"] == 1).all()


def test_provider_schemes_are_scored_by_provider_not_by_line():
    truth = pd.DataFrame({"scheme": ["upcoding"], "provider_id": ["P007"], "line_id": [pd.NA]})
    flags = pd.DataFrame(
        {
            "scheme": ["upcoding", "upcoding"],
            "provider_id": ["P007", "P007"],
            "line_id": [pd.NA, pd.NA],
        }
    )
    row = fraud.score(flags, truth).set_index("scheme").loc["upcoding"]
    assert (row["unit"], row["flagged"], row["precision"], row["recall"]) == ("provider", 1, 1, 1)
    missed = fraud.score(flags.iloc[:0], truth).set_index("scheme").loc["upcoding"]
    assert (missed["precision"], missed["recall"]) == (0.0, 0.0)


# -- the command line -------------------------------------------------------------------
def test_cli_generate_detect_and_score(tmp_path, run_cli):
    out = run_cli("fraud", "generate", str(tmp_path / "lab"), "--seed", "8", "--scale", "0.2")
    assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in (tmp_path / "lab" / "student").iterdir()) == sorted(
        fraud_lab.STUDENT_FILES
    )
    truth = tmp_path / "lab" / "truth" / "truth.csv"
    assert truth.is_file() and "hand these out" in out.stdout
    flags = tmp_path / "flags.csv"
    det = run_cli("fraud", "detect", str(tmp_path / "lab" / "student"), "--out", str(flags))
    assert det.returncode == 0, det.stderr
    assert "upcoding" in det.stdout and flags.is_file()
    assert "Rule" in pd.read_csv(flags)["explanation"].iloc[0]
    score = run_cli("fraud", "score", str(flags), "--truth", str(truth), "--json")
    assert score.returncode == 0, score.stderr
    import json

    rows = {r["scheme"]: r for r in json.loads(score.stdout)}
    assert set(rows) == set(SCHEMES)
    assert all(r["precision"] >= TARGET and r["recall"] >= TARGET for r in rows.values())


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("fraud", "generate", "x", "--scale", "9"), "between 0.05 and 4"),
        (("fraud", "detect", "/nonexistent/folder"), "lacks claims.csv"),
        (("fraud", "score", "/nonexistent/flags.csv", "--truth", "t.csv"), "No such file"),
        (("fraud", "score", "pyproject.toml", "--truth", "pyproject.toml"), "flags"),
        (("fraud",), "required"),
    ],
)
def test_cli_bad_input_is_one_line_and_non_zero(args, needle, run_cli):
    out = run_cli(*args)
    assert out.returncode != 0
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], out.stderr
    assert "Traceback" not in out.stderr


def test_score_file_with_unknown_scheme_is_refused(tmp_path):
    bad = tmp_path / "flags.csv"
    bad.write_text("scheme,line_id\nkickbacks,3\n")
    with pytest.raises(ValueError, match="unknown scheme 'kickbacks'"):
        fraud.read_flags(bad)
    bad.write_text("scheme,line_id\nduplicate,three\n")
    with pytest.raises(ValueError, match="whole numbers"):
        fraud.read_flags(bad)


def test_exercise_release_text_holds_no_answer_key():
    import re

    import nbformat

    path = Path(__file__).resolve().parents[2] / "exercises/fraud_schemes/fraud_schemes.ipynb"
    nb = nbformat.read(path, as_version=4)
    visible = "\n".join(
        re.sub(
            r"### BEGIN (HIDDEN TESTS|SOLUTION)\n.*?### END (HIDDEN TESTS|SOLUTION)",
            "",
            c.source,
            flags=re.S,
        )
        for c in nb.cells
    )
    assert 'load_student_data("fraud_data")' in visible
    assert ".truth" not in visible and "generate(" not in visible and "grade_answer" not in visible
    assert (
        "SEED" not in visible and str(fraud_lab.EXERCISE_SEED) not in visible
    )  # no way back to the key
    assert not any("widget" in c.source.lower() for c in nb.cells if c.cell_type == "code")


def test_each_course_gets_its_own_lab_whose_seed_only_the_hidden_tests_hold(tmp_path):
    import nbformat

    from medbill_lab.training import course

    root = course.init_course(tmp_path / "c1", students=["s1"])
    folder = root / "source" / "fraud_schemes"
    text = (folder / "fraud_schemes.ipynb").read_text()
    seeds = set(re.findall(r"_SEED = (\d+)", text))
    assert len(seeds) == 1 and seeds != {str(fraud_lab.EXERCISE_SEED)}
    seed = int(seeds.pop())
    # the student files are that seed's lab, and nothing a student sees names the seed
    shipped = fraud_lab.load_student_data(folder / "fraud_data")
    want = fraud_lab.generate(seed, fraud_lab.EXERCISE_SCALE).claims
    assert list(shipped["claims.csv"]["line_id"]) == list(want["line_id"])
    nb = nbformat.read(folder / "fraud_schemes.ipynb", as_version=4)
    visible = "\n".join(
        re.sub(r"### BEGIN HIDDEN TESTS\n.*?### END HIDDEN TESTS", "", c.source, flags=re.S)
        for c in nb.cells
    )
    assert str(seed) not in visible
    # running init again keeps the course's lab; another course draws another one
    course.init_course(root, students=["s1"])
    assert f"_SEED = {seed}" in (folder / "fraud_schemes.ipynb").read_text()
    other = course.init_course(tmp_path / "c2", students=["s1"])
    assert f"_SEED = {seed}" not in (other / "source/fraud_schemes/fraud_schemes.ipynb").read_text()
    with pytest.raises(ValueError, match="prepared already"):
        fraud_lab.prepare_exercise(folder, 5)


# -- impossible days at the CPT minimum times ---------------------------------------------
def _one_day(lines: list[tuple[str, str, int]]) -> dict[str, pd.DataFrame]:
    """Student tables for one date: (provider, code, units) per line, two providers per specialty."""
    claims = pd.DataFrame(
        [
            {
                "line_id": i,
                "claim_id": i,
                "provider_id": p,
                "member_id": f"M{i}",
                "dos": "2025-03-04",
                "code": code,
                "mod1": "",
                "mod2": "",
                "units": units,
            }
            for i, (p, code, units) in enumerate(lines, 1)
        ]
    )
    providers = pd.DataFrame(
        {"provider_id": ["PT1", "PT2", "PSY1", "PSY2"], "name": ["A", "B", "C", "D"],
         "specialty": ["physical therapy"] * 2 + ["psychiatry"] * 2}
    )  # fmt: skip
    empty = pd.DataFrame()
    return {"claims": claims, "members": empty, "providers": providers, "payers": empty}


@pytest.mark.parametrize(
    ("code", "units", "impossible"),
    [
        ("97110", 100, False),  # 25 h at 15 minutes, but 13.3 h at the 8-minute minimum
        ("97110", 181, True),  # 181 x 8 = 1,448 minutes: over 24 h even at the minimum
        ("97140", 180, False),  # exactly 24 h at the minimum is not more than 24 h
        ("90837", 25, False),  # 25 h at 60 minutes, 22.1 h at the 53-minute minimum
        ("90837", 28, True),  # 28 x 53 = 1,484 minutes
        ("90834", 36, False),  # 27 h at 45 minutes, 22.8 h at 38
        ("90832", 91, True),  # 91 x 16 = 1,456 minutes
    ],
)
def test_impossible_day_counts_each_unit_at_its_cpt_minimum_time(code, units, impossible):
    pt = code.startswith("97")
    me, peer = ("PT1", "PT2") if pt else ("PSY1", "PSY2")
    data = _one_day([(me, code, units), (peer, code, 4)])
    flags = fraud.detect_impossible_days(data)
    assert (len(flags) == 1) is impossible, flags
    if impossible:
        row = flags.iloc[0]
        assert row.provider_id == me and row.line_id == 1
        assert "even if every unit took only its CPT minimum time" in row.explanation
        assert "more than 24 hours" in row.explanation


def test_the_time_table_gives_minimums_below_the_nominal_times():
    table = fraud_lab.time_based_codes().set_index("code")
    assert (table["minimum_minutes"] > 0).all()
    assert (table["minimum_minutes"] <= table["minutes_per_unit"]).all()
    assert table.loc[["97110", "97140", "97530"], "minimum_minutes"].eq(8).all()
    assert table.loc[["90832", "90834", "90837"], "minimum_minutes"].tolist() == [16, 38, 53]
