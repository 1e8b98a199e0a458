"""The fraud lab's synthetic claims history: deterministic, big enough, realistic codes,
every scheme planted and labelled, and the labels kept out of what students get."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medbill_lab.claims import model as claims
from medbill_lab.codes import icd10cm, procedures
from medbill_lab.compliance import fraud_lab
from medbill_lab.compliance.fraud_lab import SCHEMES, generate, write_release
from medbill_lab.payer.payers import teaching_payers

SEED = 2026
LABEL_WORDS = ("scheme", "origin", "truth", "level", "detail", *SCHEMES)


@pytest.fixture(scope="module")
def lab():
    return generate(SEED)


def test_same_seed_same_lab_and_another_seed_another(lab):
    again = generate(SEED)
    for name, table in lab.student_tables().items():
        pd.testing.assert_frame_equal(table, again.student_tables()[name], obj=name)
    pd.testing.assert_frame_equal(lab.truth, again.truth)
    other = generate(SEED + 1)
    assert not other.claims.equals(lab.claims)
    assert set(other.truth["line_id"].dropna()) != set(lab.truth["line_id"].dropna())


def test_size_providers_and_specialties(lab):
    assert len(lab.claims) >= 100_000
    assert lab.claims["line_id"].is_unique
    assert lab.providers["provider_id"].nunique() >= 50
    per_specialty = lab.providers["specialty"].value_counts()
    assert len(per_specialty) >= 6 and per_specialty.min() >= 5  # everyone has peers
    assert set(lab.claims["provider_id"]) <= set(lab.providers["provider_id"])
    assert all(claims.npi_is_valid(n) for n in lab.providers["npi"])


def test_a_year_of_dates_and_real_payers(lab):
    dos = pd.to_datetime(lab.claims["dos"])
    assert (dos.max() - dos.min()).days >= 365
    assert set(lab.claims["payer_id"]) == {p.payer_id for p in teaching_payers()}


def test_members_have_birth_dates_and_some_died(lab):
    m = lab.members
    assert m["member_id"].is_unique
    assert (m["dob"] != "").all()
    died = m[m["death_date"] != ""]
    assert 50 <= len(died) < len(m) // 10
    assert (died["death_date"] > died["dob"]).all()


def test_codes_come_from_the_teaching_sets(lab):
    codes = set(lab.claims["code"])
    assert all(procedures.procedure(c) is not None for c in codes), codes
    assert {"99213", "97110", "90834", "17000", "20610", "J3301"} <= codes
    modifiers = set(procedures.modifiers())
    used = set(lab.claims["mod1"]) | set(lab.claims["mod2"])
    assert used - {""} <= modifiers


def test_diagnoses_are_billable_on_the_date_of_service(lab):
    sample = lab.claims.drop_duplicates(["dx1", "dx2", "dos"]).head(3000)
    for row in sample.itertuples():
        for dx in (row.dx1, row.dx2):
            if dx:
                assert icd10cm.validate(dx, row.dos).valid, (dx, row.dos)


def test_every_scheme_is_planted_and_points_at_real_rows(lab):
    truth = lab.truth
    counts = truth["scheme"].value_counts()
    assert set(counts.index) == set(SCHEMES)
    for scheme in fraud_lab.PROVIDER_SCHEMES:
        rows = truth[truth["scheme"] == scheme]
        assert (rows["level"] == "provider").all() and len(rows) >= 3
        assert set(rows["provider_id"]) <= set(lab.providers["provider_id"])
    lines = truth[truth["level"] == "line"]
    assert set(lines["scheme"]) == set(SCHEMES) - set(fraud_lab.PROVIDER_SCHEMES)
    assert (lines.groupby("scheme").size() >= 40).all()
    assert set(lines["line_id"]) <= set(lab.claims["line_id"])


def test_planted_rows_look_like_their_scheme(lab):
    c = lab.claims.set_index("line_id")
    t = lab.truth
    ghosts = t[(t["scheme"] == "phantom_patient")]["line_id"]
    members = set(lab.members["member_id"])
    unknown = ~c.loc[ghosts, "member_id"].isin(members)
    assert unknown.any() and (~unknown).any()  # both kinds: invented IDs and borrowed ones
    dead = lab.members.set_index("member_id")["death_date"]
    dates = c.loc[t[t["scheme"] == "impossible_date"]["line_id"]]
    after = dates["dos"] > dates["member_id"].map(dead).replace("", "9999")
    assert after.sum() >= 20
    noncovered = c.loc[t[t["scheme"] == "noncovered"]["line_id"]]
    assert set(noncovered["code"]) == {"93005", "93010"}
    assert set(noncovered["payer_id"]) == {fraud_lab.NONCOVERED_PAYER}


def test_legitimate_look_alikes_are_present(lab):
    c = lab.claims
    mods = set(zip(c["code"], c["mod1"], strict=True))
    assert {("93000", "76"), ("85025", "91")} <= mods  # repeat services
    assert {("20610", "RT"), ("20610", "LT")} <= mods  # both sides
    members = lab.members.set_index("member_id")
    died_that_day = c["dos"] == c["member_id"].map(members["death_date"])
    assert died_that_day.sum() >= 5  # a visit on the day of death is possible
    honest = c[(c["payer_id"] == fraud_lab.NONCOVERED_PAYER) & (c["code"] == "93000")]
    assert len(honest) >= 20  # the non-covered ECG billed honestly (and denied)


def test_noncovered_codes_reuse_the_payer_simulator_table():
    table = fraud_lab.payers_table().set_index("payer_id")["non_covered"]
    for payer in teaching_payers():
        assert table[payer.payer_id].split() == list(payer.non_covered)


def test_time_based_codes_table_is_documented_and_in_the_teaching_set():
    table = fraud_lab.time_based_codes()
    assert table["code"].is_unique and (table["minutes_per_unit"] > 0).all()
    assert all(procedures.procedure(c) is not None for c in table["code"])
    assert "90853" not in set(table["code"])  # group time is shared, not per patient
    readme = (fraud_lab.dataset_dir() / "README.md").read_text()
    assert "time_based_codes.csv" in readme and "Written by" in readme


def test_student_tables_carry_no_label(lab):
    for name, table in lab.student_tables().items():
        assert not set(table.columns) & {"scheme", "origin", "detail", "level", "truth"}, name
    assert "truth" not in lab.student_tables()


def test_release_writes_students_and_truth_apart(lab, tmp_path):
    small = generate(5, scale=0.1)
    written = write_release(small, tmp_path / "release", tmp_path / "key")
    student_files = sorted(p.name for p in (tmp_path / "release").iterdir())
    assert student_files == sorted(fraud_lab.STUDENT_FILES)
    for name in student_files:
        text = (tmp_path / "release" / name).read_text().lower()
        assert not any(word in text for word in LABEL_WORDS), name
    assert (tmp_path / "key" / "truth.csv") in written
    key = pd.read_csv(tmp_path / "key" / "truth.csv")
    assert set(key["scheme"]) == set(SCHEMES)
    back = fraud_lab.load_student_data(tmp_path / "release")
    pd.testing.assert_frame_equal(
        back["claims.csv"], small.claims.astype({"units": "int64"}), check_dtype=False
    )


@pytest.mark.parametrize("nested", ["same", "inside", "around"])
def test_release_refuses_truth_in_or_around_the_student_folder(tmp_path, nested):
    small = generate(5, scale=0.05)
    student = tmp_path / "out"
    key = {"same": student, "inside": student / "key", "around": tmp_path}[nested]
    with pytest.raises(ValueError, match="separate"):
        write_release(small, student, key)
    assert not (student / "truth.csv").exists()


def test_missing_student_files_and_bad_scale_are_refused(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"claims\.csv"):
        fraud_lab.load_student_data(tmp_path)
    with pytest.raises(ValueError, match="scale"):
        generate(1, scale=0)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31 - 1), scale=st.sampled_from([0.05, 0.1, 0.2]))
def test_any_seed_is_deterministic_and_plants_every_scheme(seed, scale):
    lab = generate(seed, scale)
    assert set(lab.truth["scheme"]) == set(SCHEMES)
    assert set(lab.truth["line_id"].dropna()) <= set(lab.claims["line_id"])
    assert lab.claims["line_id"].is_unique
    fraud_lab._build.cache_clear()  # really rebuild, not a cache hit
    pd.testing.assert_frame_equal(generate(seed, scale).claims, lab.claims)
