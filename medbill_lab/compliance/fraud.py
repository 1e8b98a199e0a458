"""Fraud, waste and abuse detectors: one per planted scheme, each flag explained.

Every detector reads only the student-facing tables (claims, members, providers, payers)
and the lab's public reference tables (NCCI PTP and MUE teaching tables, the time-based
code table); none reads the answer key.  Each returns a flags table with the columns of
:data:`FLAG_COLUMNS`: the scheme, the unit flagged (a provider, or a claim line), the rule
that fired and an explanation that gives the numbers and the benchmark they were compared
with.

Scoring (:func:`score`) is done at the unit natural to each scheme: **providers** for
``upcoding`` and ``modifier_overuse`` (a pattern across many visits, not one bad line),
**claim lines** for every other scheme.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from medbill_lab.codes.ncci import DISTINCT_SERVICE_MODIFIERS, bypass_modifier
from medbill_lab.compliance import fraud_lab as lab

FLAG_COLUMNS = ["scheme", "level", "provider_id", "line_id", "rule", "explanation"]
DUP_KEY = ["provider_id", "member_id", "dos", "code", "mod1", "mod2", "units"]
UNIT = {s: "provider" if s in lab.PROVIDER_SCHEMES else "line" for s in lab.SCHEMES}

# Thresholds (documented in each explanation).
UPCODING_GAP_5 = 0.18  # 99215 share at least this far above the peer median ...
UPCODING_RATIO_5 = 2.0  # ... and at least twice it
UPCODING_GAP_45 = 0.25  # or the 99214-99215 share this far above the peer median
MODIFIER_GAP = 0.25  # modifier rate this far above the peer median
MIN_VISITS = 30  # too few visits give no reliable rate
DAY_MINUTES = 24 * 60


@dataclass(eq=False)
class Tables:
    """The student-facing tables a detector may read (claims kept in line order)."""

    claims: pd.DataFrame
    members: pd.DataFrame
    providers: pd.DataFrame
    payers: pd.DataFrame

    def __post_init__(self) -> None:
        if not self.claims["line_id"].is_monotonic_increasing:
            self.claims = self.claims.sort_values("line_id", ignore_index=True)

    @cached_property
    def line_group(self) -> np.ndarray:
        """A number per distinct (provider, patient, date, code, modifiers, units)."""
        return self.claims.groupby(DUP_KEY, sort=False, dropna=False).ngroup().to_numpy()

    @cached_property
    def unique_lines(self) -> pd.DataFrame:
        """Claims without exact repeats (a duplicate is reported once, as a duplicate)."""
        return self.claims[~pd.Series(self.line_group).duplicated().to_numpy()]


def tables(data: object) -> Tables:
    """The student tables of a FraudLab, a dict from ``load_student_data``, or Tables.

    The answer key of a FraudLab is never passed on.
    """
    if isinstance(data, Tables):
        return data
    if isinstance(data, lab.FraudLab):
        data = data.student_tables()
    if isinstance(data, Mapping):
        got = {k.removesuffix(".csv"): v for k, v in data.items()}
        missing = [n for n in ("claims", "members", "providers", "payers") if n not in got]
        if missing:
            raise ValueError(f"missing table(s): {', '.join(missing)}")
        return Tables(got["claims"], got["members"], got["providers"], got["payers"])
    raise TypeError("pass a FraudLab, Tables, or a dict of claims/members/providers/payers")


def _flags(scheme: str, rule: str, rows: pd.DataFrame, text: pd.Series | list[str]) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "scheme": scheme,
            "level": UNIT[scheme],
            "provider_id": rows["provider_id"].to_numpy() if len(rows) else [],
            "line_id": rows["line_id"].to_numpy() if "line_id" in rows else pd.NA,
            "rule": rule,
            "explanation": list(text),
        }
    )
    out["line_id"] = out["line_id"].astype("Int64")
    return out[FLAG_COLUMNS]


def _pct(x: float) -> str:
    return f"{x:.0%}"


def _names(t: Tables) -> pd.Series:
    return t.providers.set_index("provider_id")["name"]


def _specialty(t: Tables) -> pd.Series:
    return t.providers.set_index("provider_id")["specialty"]


def _mods(claims: pd.DataFrame) -> pd.DataFrame:
    return claims[["mod1", "mod2"]].fillna("").astype(str)


def _peer_stats(values: pd.Series, specialty: pd.Series) -> pd.DataFrame:
    """Per provider: its specialty peers' (everyone else's) median and 95th percentile."""
    rows = []
    for pid, value in values.items():
        peers = values[(specialty.reindex(values.index) == specialty[pid]) & (values.index != pid)]
        peers = peers.dropna()
        rows.append(
            {
                "provider_id": pid,
                "value": value,
                "peers": len(peers),
                "median": peers.median() if len(peers) else np.nan,
                "p95": peers.quantile(0.95) if len(peers) else np.nan,
            }
        )
    return pd.DataFrame(rows).set_index("provider_id")


# -- provider-level patterns ------------------------------------------------------------
def em_profile(data: object) -> pd.DataFrame:
    """Per provider: established-patient E/M visits and the share billed at each level.

    Columns: ``visits``, ``99212`` ... ``99215`` (shares), ``high`` (99214 + 99215 share).
    """
    t = tables(data)
    em = t.unique_lines
    em = em[em["code"].isin(lab.EST_EM)]
    counts = pd.crosstab(em["provider_id"], em["code"]).reindex(
        columns=list(lab.EST_EM), fill_value=0
    )
    shares = counts.div(counts.sum(axis=1), axis=0)
    shares.insert(0, "visits", counts.sum(axis=1))
    shares["high"] = shares["99214"] + shares["99215"]
    return shares


def detect_upcoding(data: object) -> pd.DataFrame:
    """UPCODING: an established-patient E/M level mix far above the same specialty's peers.

    Fires when the 99215 share is at least 18 points above the peer median and at least twice
    it, or the 99214-99215 share is at least 25 points above the peer median.  Peers are the
    other providers of the same specialty (leave-one-out, so an outlier does not hide itself).
    """
    t = tables(data)
    prof = em_profile(t)
    prof = prof[prof["visits"] >= MIN_VISITS]
    spec, names = _specialty(t), _names(t)
    top = _peer_stats(prof["99215"], spec)
    high = _peer_stats(prof["high"], spec)
    fire = (
        (top["value"] >= top["median"] + UPCODING_GAP_5)
        & (top["value"] >= UPCODING_RATIO_5 * top["median"])
    ) | (high["value"] >= high["median"] + UPCODING_GAP_45)
    fire &= top["peers"] >= 3
    rows = prof[fire.reindex(prof.index, fill_value=False)].reset_index()
    text = [
        f"{names[p]} ({spec[p]}) billed 99215 on {_pct(top.at[p, 'value'])} and 99214-99215 on "
        f"{_pct(high.at[p, 'value'])} of {int(prof.at[p, 'visits'])} established-patient visits; "
        f"{spec[p]} peers ({int(top.at[p, 'peers'])} others): 99215 median "
        f"{_pct(top.at[p, 'median'])}, 95th pct {_pct(top.at[p, 'p95'])}; 99214-99215 median "
        f"{_pct(high.at[p, 'median'])}, 95th pct {_pct(high.at[p, 'p95'])}. Rule UPCODING fires "
        f"at a 99215 share {UPCODING_GAP_5 * 100:.0f} percentage points above the peer median and "
        f"twice it, or a 99214-99215 share {UPCODING_GAP_45 * 100:.0f} points above it. Ask for records: the notes "
        "must support the level (MDM or time)."
        for p in rows["provider_id"]
    ]
    return _flags("upcoding", "UPCODING", rows, text)


def modifier_profile(data: object) -> pd.DataFrame:
    """Per provider: E/M lines with modifier 25, claims with 59/X{EPSU}, and their rates.

    ``no_procedure_25`` is the share of 25-modified E/M lines on a claim with no other
    service besides lab draws: a 25 with nothing separate to be distinct from.
    """
    t = tables(data)
    c = t.unique_lines
    mods = _mods(c)
    em = c["code"].isin(lab.EST_EM + lab.NEW_EM)
    has25 = (mods == "25").any(axis=1)
    has59 = mods.isin(DISTINCT_SERVICE_MODIFIERS).any(axis=1)
    others = c[~em & ~c["code"].isin(["36415"])].groupby("claim_id").size()
    alone = ~c["claim_id"].isin(others.index)
    g = pd.DataFrame(
        {
            "provider_id": c["provider_id"],
            "em": em,
            "em25": em & has25,
            "em25_alone": em & has25 & alone,
            "claim_id": c["claim_id"],
            "has59": has59,
        }
    )
    per = g.groupby("provider_id").agg(
        em_lines=("em", "sum"), em25=("em25", "sum"), em25_alone=("em25_alone", "sum")
    )
    claims59 = g.groupby(["provider_id", "claim_id"])["has59"].any().groupby("provider_id")
    per["claims"] = claims59.size()
    per["claims59"] = claims59.sum()
    per["rate25"] = (per["em25"] / per["em_lines"]).where(per["em_lines"] >= MIN_VISITS)
    per["no_procedure_25"] = (per["em25_alone"] / per["em25"]).where(per["em25"] > 0, 0.0)
    per["rate59"] = (per["claims59"] / per["claims"]).where(per["claims"] >= MIN_VISITS)
    return per


def detect_modifier_overuse(data: object) -> pd.DataFrame:
    """MODIFIER-25 / MODIFIER-59 OVERUSE: a provider's modifier rate far above specialty peers.

    The 25 rate is per E/M line, the 59 rate per claim (any line with 59 or XE/XS/XP/XU).
    Fires when the rate is at least 25 points above the same specialty's peer median.
    """
    t = tables(data)
    per = modifier_profile(t)
    spec, names = _specialty(t), _names(t)
    texts: dict[str, list[str]] = {}
    for col, label, base in (("rate25", "25", "E/M lines"), ("rate59", "59/X{EPSU}", "claims")):
        stats = _peer_stats(per[col], spec)
        fire = (stats["value"] >= stats["median"] + MODIFIER_GAP) & (stats["peers"] >= 3)
        for p in stats.index[fire]:
            extra = (
                f" ({_pct(per.at[p, 'no_procedure_25'])} of them on claims with no procedure)"
                if col == "rate25"
                else ""
            )
            texts.setdefault(p, []).append(
                f"{names[p]} ({spec[p]}) used modifier {label} on {_pct(stats.at[p, 'value'])} of "
                f"{base}{extra}; {spec[p]} peers ({int(stats.at[p, 'peers'])} others): median "
                f"{_pct(stats.at[p, 'median'])}, 95th pct {_pct(stats.at[p, 'p95'])}."
            )
    rows = pd.DataFrame({"provider_id": sorted(texts)})
    text = [
        " ".join(texts[p]) + f" Rule MODIFIER-OVERUSE fires {MODIFIER_GAP * 100:.0f} percentage "
        "points above the "
        "peer median: 25 claims a separately identifiable E/M, 59 a distinct service; each must be "
        "true of the visit, not a habit."
        for p in rows["provider_id"]
    ]
    return _flags("modifier_overuse", "MODIFIER-OVERUSE", rows, text)


# -- line-level rules -------------------------------------------------------------------
def detect_unbundling(data: object) -> pd.DataFrame:
    """NCCI-PTP: a column-2 code billed with its column-1 code, same provider, patient and day.

    Indicator 0 pairs are never paid together; indicator 1 pairs need a bypass modifier on the
    column-2 line (59, XE/XS/XP/XU, or an anatomic modifier the column-1 line lacks); deleted
    edits (indicator 9) and edits not yet effective on the date of service do not apply.
    """
    t = tables(data)
    ptp = lab.ptp_table()
    c = t.claims[["line_id", "provider_id", "member_id", "dos", "code", "mod1", "mod2"]].copy()
    c[["mod1", "mod2"]] = _mods(c)
    col2 = c[c["code"].isin(ptp["column2"])].merge(ptp, left_on="code", right_on="column2")
    key = ["provider_id", "member_id", "dos"]
    pairs = col2.merge(
        c[c["code"].isin(ptp["column1"])],
        left_on=[*key, "column1"],
        right_on=[*key, "code"],
        suffixes=("", "_c1"),
    )
    dos = pd.to_datetime(pairs["dos"])
    active = (pairs["effective"] <= dos) & (pairs["deleted"].isna() | (dos < pairs["deleted"]))
    pairs = pairs[active & (pairs["modifier_indicator"] != 9)]
    bypass = [
        "" if ind == 0 else bypass_modifier((m1, m2), (n1, n2))
        for ind, m1, m2, n1, n2 in zip(pairs["modifier_indicator"], pairs["mod1"], pairs["mod2"],
                                       pairs["mod1_c1"], pairs["mod2_c1"], strict=True)
    ]  # fmt: skip
    pairs = pairs[(pairs["modifier_indicator"] == 0) | (np.array(bypass, dtype=object) == "")]
    pairs = pairs.drop_duplicates("line_id")
    text = [
        f"{r.code} (column 2) billed with {r.column1} (column 1, line {r.line_id_c1}) for "
        f"{r.member_id} on {r.dos} by {r.provider_id}. "
        + (
            "NCCI indicator 0: never paid together, no modifier bypasses it."
            if r.modifier_indicator == 0
            else "NCCI indicator 1: paid together only with 59, XE/XS/XP/XU or a different "
            "anatomic modifier on the column-2 line, and it has none."
        )
        + f" Rule NCCI-PTP; benchmark: the NCCI PTP teaching table ({r.rationale.split(':')[0]})."
        for r in pairs.itertuples()
    ]
    return _flags("unbundling", "NCCI-PTP", pairs, text)


def detect_duplicates(data: object) -> pd.DataFrame:
    """DUPLICATE: a line identical to an earlier one (provider, patient, date, code, modifiers, units).

    A true repeat carries 76, 77 or 91, another side (RT/LT) or other units, so it is not flagged.
    """
    t = tables(data)
    c = t.claims
    group = pd.Series(t.line_group, index=c.index)
    dup = group.duplicated()
    first = c["line_id"].groupby(group).transform("first")
    firstclaim = c["claim_id"].groupby(group).transform("first")
    rows = c[dup].assign(first=first[dup], firstclaim=firstclaim[dup])
    rows[["mod1", "mod2"]] = _mods(rows)
    text = [
        f"Line {r.line_id} (claim {r.claim_id}) repeats line {r.first} (claim {r.firstclaim}): same "
        f"provider {r.provider_id}, patient {r.member_id}, date {r.dos}, code {r.code}"
        f"{' ' + '-'.join(m for m in (r.mod1, r.mod2) if m) if r.mod1 or r.mod2 else ''}, "
        f"{r.units} unit(s). Rule DUPLICATE: a real repeat service says so with 76, 77 or 91."
        for r in rows.itertuples()
    ]
    return _flags("duplicate", "DUPLICATE", rows, text)


def detect_impossible_dates(data: object, extracted: str = str(lab.EXTRACT_DATE)) -> pd.DataFrame:
    """DATE-AFTER-DEATH / DATE-BEFORE-BIRTH / DATE-IN-FUTURE against the member file.

    A visit on the day of death or of birth is possible; the day after death is not.
    ``extracted`` is the day the claims history was pulled.
    """
    t = tables(data)
    c = t.claims.merge(t.members[["member_id", "dob", "death_date"]], on="member_id", how="left")
    dos = pd.to_datetime(c["dos"])
    dob = pd.to_datetime(c["dob"].replace("", None))
    death = pd.to_datetime(c["death_date"].replace("", None))
    after = dos > death
    before = dos < dob
    future = dos > pd.Timestamp(extracted)
    rows = c[after | before | future]
    text = []
    for r, a, b in zip(rows.itertuples(), after[rows.index], before[rows.index], strict=True):
        if a:
            days = (pd.Timestamp(r.dos) - pd.Timestamp(r.death_date)).days
            text.append(
                f"Line {r.line_id}: date of service {r.dos} is {days} day(s) after {r.member_id}'s "
                f"date of death {r.death_date} (member file). Rule DATE-AFTER-DEATH."
            )
        elif b:
            days = (pd.Timestamp(r.dob) - pd.Timestamp(r.dos)).days
            text.append(
                f"Line {r.line_id}: date of service {r.dos} is {days} day(s) before "
                f"{r.member_id}'s date of birth {r.dob} (member file). Rule DATE-BEFORE-BIRTH."
            )
        else:
            text.append(
                f"Line {r.line_id}: date of service {r.dos} is after {extracted}, the day this "
                "claims history was extracted: the service had not happened. Rule DATE-IN-FUTURE."
            )
    return _flags("impossible_date", "IMPOSSIBLE-DATE", rows, text)


def daily_minutes(data: object) -> pd.DataFrame:
    """Per provider and date: the minutes billed with time-based codes.

    ``minutes`` counts each unit at its nominal time (15 per therapy unit, 30/45/60 per
    psychotherapy session); ``min_minutes`` at the least time CPT lets one unit be billed
    for (8 minutes of a 15-minute unit; 16, 38 and 53 minutes for 90832, 90834, 90837).
    """
    t = tables(data)
    table = lab.time_based_codes().set_index("code")
    c = t.claims[t.claims["code"].isin(table.index)]
    units = c["units"].astype(int)
    c = c.assign(
        minutes=units * c["code"].map(table["minutes_per_unit"]),
        min_minutes=units * c["code"].map(table["minimum_minutes"]),
    )
    return c.groupby(["provider_id", "dos"], as_index=False)[["minutes", "min_minutes"]].sum()


def detect_impossible_days(data: object) -> pd.DataFrame:
    """IMPOSSIBLE-DAY: time-based units that need more than 24 hours for one provider-day
    even if every unit took only its CPT minimum time (8 minutes of a 15-minute therapy unit,
    16/38/53 minutes for 90832/90834/90837), so a busy day of short units is never flagged.

    Every time-based line of such a day is flagged: which ones were never given cannot be told
    from the claims.  The benchmark is the specialty peers' busiest days.
    """
    t = tables(data)
    minutes = lab.time_based_codes().set_index("code")["minutes_per_unit"]
    days = daily_minutes(t)
    spec = _specialty(t)
    days["specialty"] = days["provider_id"].map(spec)
    bad = days[days["min_minutes"] > DAY_MINUTES]
    c = t.claims[t.claims["code"].isin(minutes.index)]
    rows = c.merge(bad, on=["provider_id", "dos"])
    bench = {}
    for p in bad["provider_id"].unique():
        peers = days[(days["specialty"] == spec[p]) & (days["provider_id"] != p)]
        busiest = peers.groupby("provider_id")["min_minutes"].max()
        bench[p] = (busiest.median() / 60, peers["min_minutes"].quantile(0.99) / 60)
    text = [
        f"Line {r.line_id} ({r.code} x{r.units}): {r.provider_id} billed time-based services "
        f"needing at least {r.min_minutes:,} minutes ({r.min_minutes / 60:.1f} h; "
        f"{r.minutes / 60:.1f} h at the nominal times) on {r.dos}, more than 24 hours even if "
        "every unit took only its CPT minimum time. "
        f"{r.specialty.capitalize()} peers at the same minimum times: each peer's busiest day, "
        f"median {bench[r.provider_id][0]:.1f} h; 99 in 100 of their days with such codes under "
        f"{bench[r.provider_id][1]:.1f} h. Rule IMPOSSIBLE-DAY (minimum minutes per unit "
        "from datasets/fraud_lab/time_based_codes.csv)."
        for r in rows.itertuples()
    ]
    return _flags("impossible_day", "IMPOSSIBLE-DAY", rows, text)


def detect_phantom_patients(data: object) -> pd.DataFrame:
    """PHANTOM-PATIENT: a member ID missing from the member file, or billed for another person.

    "Another person" means the claim's birth year or sex differ from the member file; a
    birth date with day and month swapped (same year) is a typo, not a phantom.  A member whose
    coverage ended is still a real person (a coverage denial, not fraud).
    """
    t = tables(data)
    m = t.members[["member_id", "dob", "sex"]]
    c = t.claims.merge(m, on="member_id", how="left", suffixes=("", "_file"), indicator=True)
    unknown = c["_merge"] == "left_only"
    year_claim = c["patient_dob"].astype(str).str[:4]
    year_file = c["dob"].astype(str).str[:4]
    other = ~unknown & ((year_claim != year_file) | (c["patient_sex"] != c["sex"]))
    rows = c[unknown | other]
    text = [
        f"Line {r.line_id}: member ID {r.member_id} is not in the member file; nobody by that ID "
        "is enrolled with any payer. Rule PHANTOM-PATIENT."
        if u
        else f"Line {r.line_id}: the claim says {r.member_id} was born {r.patient_dob} ({r.patient_sex}); "
        f"the member file says {r.dob} ({r.sex}). Another birth year or sex is another person "
        "billed under a real member's ID. Rule PHANTOM-PATIENT."
        for r, u in zip(rows.itertuples(), unknown[rows.index], strict=True)
    ]
    return _flags("phantom_patient", "PHANTOM-PATIENT", rows, text)


def detect_mue(data: object) -> pd.DataFrame:
    """MUE: units above the medically unlikely edit.

    MAI 1: each line on its own; MAI 2 and 3: the units of all lines with the code for one
    provider, patient and date, added up (exact duplicate lines are counted once: they are
    duplicates, reported by the DUPLICATE rule).
    """
    t = tables(data)
    mue = lab.mue_table()
    c = t.unique_lines.merge(mue, on="code")
    c["units"] = c["units"].astype(int)
    day = c.groupby(["provider_id", "member_id", "dos", "code"])["units"].transform("sum")
    c["day_units"] = day
    over = np.where(c["mai"] == 1, c["units"] > c["mue"], c["day_units"] > c["mue"])
    rows = c[over]
    mai = {1: "per line", 2: "per day, by policy", 3: "per day, clinical limit"}
    text = [
        f"Line {r.line_id}: {r.code} billed "
        + (
            f"{r.units} units on one line"
            if r.mai == 1
            else f"{r.day_units} units on {r.dos} for {r.member_id} ({r.units} on this line)"
        )
        + f"; the MUE is {r.mue} (MAI {r.mai}: {mai[r.mai]}). Rule MUE; benchmark: the MUE "
        "teaching table."
        for r in rows.itertuples()
    ]
    return _flags("mue", "MUE", rows, text)


def detect_noncovered(data: object) -> pd.DataFrame:
    """NONCOVERED-DISGUISED: the components of a service the patient's plan excludes.

    The payers table lists each plan's non-covered codes; a global code billed honestly is
    simply denied (not fraud).  Billing all its components instead, same provider, patient
    and day, gets the excluded service past the payer's edit.
    """
    t = tables(data)
    rows_out = []
    texts = []
    for payer in t.payers.itertuples():
        for code in str(payer.non_covered or "").split():
            parts = lab.COMPONENTS.get(code)
            if not parts:
                continue
            c = t.claims[(t.claims["payer_id"] == payer.payer_id) & t.claims["code"].isin(parts)]
            key = ["provider_id", "member_id", "dos"]
            n = c.groupby(key)["code"].transform("nunique")
            hit = c[n == len(parts)]
            rows_out.append(hit)
            texts += [
                f"Line {r.line_id}: {r.code} billed with {' + '.join(p for p in parts if p != r.code)} "
                f"for {r.member_id} on {r.dos} by {r.provider_id}; together they are {code}, which "
                f"{payer.payer_name} ({payer.payer_id}) does not cover (payers table). Billing the "
                "components hides a non-covered service. Rule NONCOVERED-DISGUISED."
                for r in hit.itertuples()
            ]
    rows = pd.concat(rows_out) if rows_out else t.claims.iloc[:0]
    return _flags("noncovered", "NONCOVERED-DISGUISED", rows, texts)


def provider_vs_peers(data: object, provider_id: str) -> pd.DataFrame:
    """One provider's patterns beside its specialty peers' median and 95th percentile.

    Rows: the share of established visits at each E/M level, the modifier 25 rate (per E/M
    line), the 59/X{EPSU} rate (per claim) and the busiest day's time-based hours.  Peers are
    the *other* providers of its specialty: the provider under review is never in its own peer
    group, so an outlier cannot pull the benchmark towards itself (as in the detectors).
    """
    t = tables(data)
    spec = _specialty(t)
    if provider_id not in spec.index:
        raise LookupError(f"no provider {provider_id!r} in the providers table")
    prof = em_profile(t)
    mods = modifier_profile(t)
    days = daily_minutes(t).groupby("provider_id")["minutes"].max() / 60
    metrics = {
        **{f"{code} share": prof[code] for code in lab.EST_EM},
        "modifier 25 rate": mods["rate25"],
        "modifier 59/X rate": mods["rate59"],
        "busiest day (h)": days,
    }
    peers = spec.index[(spec == spec[provider_id]) & (spec.index != provider_id)]
    rows = []
    for name, values in metrics.items():
        others = values.reindex(peers).dropna()
        rows.append(
            {
                "metric": name,
                "provider": values.get(provider_id, np.nan),
                "peer median": others.median() if len(others) else np.nan,
                "peer 95th pct": others.quantile(0.95) if len(others) else np.nan,
            }
        )
    return pd.DataFrame(rows).set_index("metric")


DETECTORS: dict[str, Callable[[object], pd.DataFrame]] = {
    "upcoding": detect_upcoding,
    "modifier_overuse": detect_modifier_overuse,
    "unbundling": detect_unbundling,
    "duplicate": detect_duplicates,
    "impossible_date": detect_impossible_dates,
    "impossible_day": detect_impossible_days,
    "phantom_patient": detect_phantom_patients,
    "mue": detect_mue,
    "noncovered": detect_noncovered,
}


def detect_all(data: object) -> pd.DataFrame:
    """Every detector's flags in one table (student tables only; the truth is never read)."""
    t = tables(data)
    return pd.concat([f(t) for f in DETECTORS.values()], ignore_index=True)


# -- scoring ----------------------------------------------------------------------------
def _units(frame: pd.DataFrame, scheme: str) -> set:
    rows = frame[frame["scheme"] == scheme]
    if UNIT[scheme] == "provider":
        return set(rows["provider_id"].dropna().astype(str))
    return {int(x) for x in rows["line_id"].dropna()}


def score(flags: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """Precision and recall per scheme, at the scheme's natural unit (provider or line).

    ``flags`` needs columns ``scheme`` and ``line_id`` (line schemes) or ``provider_id``
    (provider schemes).  Precision is 1.0 when nothing was flagged and nothing was planted,
    0.0 when nothing was flagged but something was.

    >>> truth = pd.DataFrame({"scheme": ["duplicate", "duplicate"], "provider_id": ["P1", "P1"],
    ...                       "line_id": [3, 4]})
    >>> flags = pd.DataFrame({"scheme": ["duplicate"], "provider_id": ["P1"], "line_id": [3]})
    >>> score(flags, truth).set_index("scheme").loc["duplicate", ["precision", "recall"]].tolist()
    [1.0, 0.5]
    """
    rows = []
    for scheme in lab.SCHEMES:
        got, want = _units(flags, scheme), _units(truth, scheme)
        hit = len(got & want)
        rows.append(
            {
                "scheme": scheme,
                "unit": UNIT[scheme],
                "flagged": len(got),
                "planted": len(want),
                "correct": hit,
                "precision": hit / len(got) if got else float(not want),
                "recall": hit / len(want) if want else 1.0,
            }
        )
    return pd.DataFrame(rows)


def read_flags(path: str | Path, what: str = "flags") -> pd.DataFrame:
    """A flags (or truth) CSV with a ``scheme`` column and ``line_id`` and/or ``provider_id``.

    Raises ValueError, in one sentence, when the file is not such a table.
    """
    try:
        frame = pd.read_csv(path, dtype={"provider_id": str}, keep_default_na=True)
    except (pd.errors.ParserError, UnicodeDecodeError):
        raise ValueError(f"{path}: not a CSV {what} file") from None
    except pd.errors.EmptyDataError:
        raise ValueError(f"{path}: the {what} file is empty") from None
    if "scheme" not in frame.columns or not {"line_id", "provider_id"} & set(frame.columns):
        raise ValueError(
            f"{path}: a {what} file needs a 'scheme' column and 'line_id' or 'provider_id'"
        )
    unknown = sorted(set(frame["scheme"].astype(str)) - set(lab.SCHEMES))
    if unknown:
        raise ValueError(f"{path}: unknown scheme {unknown[0]!r}; use {', '.join(lab.SCHEMES)}")
    for col in ("line_id", "provider_id"):
        if col not in frame.columns:
            frame[col] = pd.NA
    ids = pd.to_numeric(frame["line_id"], errors="coerce")
    if (ids.isna() & frame["line_id"].notna()).any():
        raise ValueError(f"{path}: line_id must hold whole numbers")
    frame["line_id"] = ids.astype("Int64")
    return frame


def explain(flags: pd.DataFrame, scheme: str, n: int = 3) -> list[str]:
    """The first ``n`` explanations a detector gave for ``scheme``."""
    return flags.loc[flags["scheme"] == scheme, "explanation"].head(n).tolist()


def grade_answer(
    answer: object, scheme: str, seed: int, scale: float = 1.0, points: float = 1.0
) -> tuple[float, str]:
    """Points for a learner's flags on one scheme: ``points`` x F1 (precision and recall).

    ``answer`` is a collection of line IDs (or provider IDs for provider-level schemes).
    Used by the graded exercise's hidden tests and the Fraud detective app.

    >>> demo = lab.generate(7, scale=0.1)
    >>> want = demo.truth.loc[demo.truth["scheme"] == "duplicate", "line_id"].tolist()
    >>> grade_answer(want, "duplicate", 7, 0.1, points=2)[0]
    2.0
    >>> grade_answer([], "duplicate", 7, 0.1, points=2)[0]
    0.0
    """
    if scheme not in UNIT:
        raise ValueError(f"unknown scheme {scheme!r}; use one of {', '.join(lab.SCHEMES)}")
    truth = lab.generate(seed, scale).truth
    truth = truth[truth["scheme"] == scheme]
    if UNIT[scheme] == "provider":
        want = set(truth["provider_id"].astype(str))
        got = {str(a).strip() for a in answer}  # type: ignore[attr-defined]
    else:
        want = {int(x) for x in truth["line_id"]}
        got = {int(a) for a in answer}  # type: ignore[attr-defined]
    hit = len(got & want)
    precision = hit / len(got) if got else 0.0
    recall = hit / len(want) if want else 1.0
    f1 = 2 * precision * recall / (precision + recall) if hit else 0.0
    earned = round(points * f1, 2)
    note = (
        f"{scheme}: {len(got)} flagged, {hit} right; precision {precision:.2f} (of what you "
        f"flagged, the share that was planted), recall {recall:.2f} (of what was planted, the "
        f"share you found); {earned} of {points:g} points"
    )
    return earned, note
