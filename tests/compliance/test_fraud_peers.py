"""Peer figures leave out the provider under review: its own numbers never move the median
or the 95th percentile it is compared with, in the app's table or in the detectors' verdicts."""

from __future__ import annotations

import pandas as pd
import pytest

from medbill_lab.compliance import fraud, fraud_lab

SEED, SCALE = 11, 0.1


@pytest.fixture(scope="module")
def lab():
    return fraud_lab.generate(SEED, SCALE)


def measures(data) -> dict[str, pd.Series]:
    """Each measure the app compares, per provider, computed here from the profiles."""
    prof, mods = fraud.em_profile(data), fraud.modifier_profile(data)
    days = fraud.daily_minutes(data).groupby("provider_id")["minutes"].max() / 60
    return {
        "99215 share": prof["99215"],
        "99214 share": prof["99214"],
        "modifier 25 rate": mods["rate25"],
        "modifier 59/X rate": mods["rate59"],
        "busiest day (h)": days,
    }


def reviewed(lab) -> list[str]:
    """Providers under review: the planted upcoders and modifier overusers, and the first
    provider of each specialty."""
    truth = lab.truth[lab.truth["level"] == "provider"]
    first = lab.providers.groupby("specialty")["provider_id"].first()
    return sorted(set(truth["provider_id"]) | set(first))


def test_peer_median_and_95th_percentile_leave_the_provider_out(lab):
    data = fraud.tables(lab)
    specialty = lab.providers.set_index("provider_id")["specialty"]
    moved = 0
    checked = 0
    figures = measures(data)
    for pid in reviewed(lab):
        table = fraud.provider_vs_peers(data, pid)
        same = specialty.index[specialty == specialty[pid]]
        for name, values in figures.items():
            if pd.isna(values.get(pid)):
                continue
            others = values.reindex(same.drop(pid)).dropna()
            everyone = values.reindex(same).dropna()
            assert table.at[name, "provider"] == pytest.approx(values[pid])
            assert table.at[name, "peer median"] == pytest.approx(others.median()), (pid, name)
            assert table.at[name, "peer 95th pct"] == pytest.approx(others.quantile(0.95))
            checked += 1
            moved += everyone.median() != pytest.approx(others.median())
    # the test can fail: with the provider in, many of these peer medians would differ
    assert checked >= 30 and moved >= 10, (checked, moved)


def test_an_upcoders_own_visits_would_raise_its_peer_figures(lab):
    data = fraud.tables(lab)
    share = fraud.em_profile(data)["99215"]
    specialty = lab.providers.set_index("provider_id")["specialty"]
    upcoders = lab.truth.loc[lab.truth["scheme"] == "upcoding", "provider_id"]
    assert len(upcoders) >= 2
    for pid in upcoders:
        same = specialty.index[specialty == specialty[pid]]
        table = fraud.provider_vs_peers(data, pid)
        with_self = share.reindex(same).dropna().quantile(0.95)
        assert table.at["99215 share", "peer 95th pct"] < with_self  # its own share left out


def _em_visits(mix: dict[str, dict[str, int]]) -> dict[str, pd.DataFrame]:
    """Student tables of established E/M visits: per provider, how many at each level."""
    rows = []
    for pid, levels in mix.items():
        for code, n in levels.items():
            for _ in range(n):
                i = len(rows) + 1
                rows.append(
                    {
                        "line_id": i,
                        "claim_id": i,
                        "provider_id": pid,
                        "member_id": f"M{i:05d}",
                        "dos": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
                        "code": code,
                        "mod1": "",
                        "mod2": "",
                        "units": 1,
                    }
                )
    providers = pd.DataFrame(
        {
            "provider_id": list(mix),
            "name": [f"Dr {p}" for p in mix],
            "specialty": ["family medicine"] * len(mix),
        }
    )
    empty = pd.DataFrame()
    return {"claims": pd.DataFrame(rows), "members": empty, "providers": providers, "payers": empty}


def test_leaving_the_provider_out_changes_the_upcoding_verdict():
    # P4 bills 99215 on half its visits; peers P1, P2 on 10% and P3 on 48%.
    # Peers without P4: median 10%, so 50% is 40 points above and 5 times it: UPCODING.
    # With P4 in its own group the median would be 29%: 50% is neither 2x it nor 25 points
    # above it on 99214-99215, so the rule would stay silent.
    data = _em_visits(
        {
            "P1": {"99213": 36, "99215": 4},
            "P2": {"99213": 36, "99215": 4},
            "P3": {"99213": 26, "99215": 24},
            "P4": {"99213": 20, "99215": 20},
        }
    )
    shares = fraud.em_profile(data)["99215"]
    with_self = shares.median()
    assert shares["P4"] < fraud.UPCODING_RATIO_5 * with_self  # the verdict it would give
    assert shares["P4"] < with_self + fraud.UPCODING_GAP_45
    flagged = fraud.detect_upcoding(data)
    assert "P4" in set(flagged["provider_id"])
    text = flagged.set_index("provider_id").at["P4", "explanation"]
    assert "99215 median 10%" in text and "(3 others)" in text
    table = fraud.provider_vs_peers(data, "P4")
    assert table.at["99215 share", "peer median"] == pytest.approx(0.10)


def test_an_ordinary_provider_is_not_flagged_by_its_peers():
    data = _em_visits(
        {
            "P1": {"99213": 36, "99215": 4},
            "P2": {"99213": 34, "99215": 6},
            "P3": {"99213": 35, "99215": 5},
            "P4": {"99213": 33, "99215": 7},
        }
    )
    assert fraud.detect_upcoding(data).empty
