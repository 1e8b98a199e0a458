"""A seeded synthetic claims history with planted, labelled fraud, waste and abuse schemes.

``generate(seed)`` builds a year of professional claim lines (about 120,000 at the default
scale) for 54 providers in six specialties, their patients' member file, the payers and a
separate answer key.  The student-facing tables (``claims``, ``members``, ``providers``,
``payers``) carry no label; the ground truth lives only in ``FraudLab.truth``.

Planted schemes (``SCHEMES``) and the unit each is labelled at:

* ``upcoding`` (provider): an established-patient E/M level mix far above specialty peers;
* ``modifier_overuse`` (provider): modifier 25 or 59 appended far more often than peers;
* ``unbundling`` (line): the column-2 code of an NCCI pair billed with its column-1 code,
  same patient and day, without a modifier that may bypass the edit;
* ``duplicate`` (line): a line billed again on a later claim, identical in every field;
* ``impossible_date`` (line): a service after the member's death, before birth, or after
  the date the data were extracted;
* ``impossible_day`` (line): every time-based line of a provider-day that adds up to more
  than 24 hours;
* ``phantom_patient`` (line): a patient not in the member file, or a member ID billed for
  someone with another birth year and sex;
* ``mue`` (line): units above the medically unlikely edit (per line, or per day);
* ``noncovered`` (line): an ECG the patient's plan excludes (93000), billed as its two
  components (93005 + 93010) so the non-covered edit does not see it.

Legitimate look-alikes are planted too, so naive rules misfire: repeat services with 76, 77
or 91, right and left sides, PTP pairs with a proper 59/XU, a deleted PTP edit, visits on
the day of death, busy but possible days, providers whose patients really are complex,
dermatologists who legitimately use 25 on half their visits, an honestly billed (and
denied) non-covered ECG, and typos in birth dates.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
import re
import zlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from medbill_lab.claims.model import make_npi
from medbill_lab.codes import ncci
from medbill_lab.datasets import datasets_dir, read_csv, read_json, synthetic_people
from medbill_lab.payer.payers import teaching_payers

DEFAULT_SEED = 2026
START = np.datetime64("2025-01-16")
EXTRACT_DATE = np.datetime64("2026-01-15")  # the day the claims history was pulled
SCHEMES = (
    "upcoding",
    "modifier_overuse",
    "unbundling",
    "duplicate",
    "impossible_date",
    "impossible_day",
    "phantom_patient",
    "mue",
    "noncovered",
)
PROVIDER_SCHEMES = ("upcoding", "modifier_overuse")
EST_EM = ("99212", "99213", "99214", "99215")
NEW_EM = ("99202", "99203", "99204", "99205")
NEW_MIX = (0.15, 0.45, 0.30, 0.10)
PTP_COLUMNS = ("column1", "column2", "modifier_indicator", "effective", "deleted", "rationale")
REPEAT_MODIFIERS = frozenset({"76", "77", "91"})
# A global service and the component codes that add up to it (CPT descriptors of 93000,
# 93005 "tracing only" and 93010 "interpretation and report only").
COMPONENTS = {"93000": ("93005", "93010")}
STUDENT_FILES = ("claims.csv", "members.csv", "providers.csv", "payers.csv")
CLAIM_COLUMNS = [
    "line_id", "claim_id", "provider_id", "member_id", "patient_dob", "patient_sex",
    "payer_id", "dos", "pos", "code", "mod1", "mod2", "units", "charge", "dx1", "dx2",
]  # fmt: skip

# A line of a visit template: code, units, modifier 1, modifier 2.  "SIDE" is replaced by
# RT or LT per visit and "OTHER" by the other side.
Line = tuple[str, int, str, str]


@dataclass(frozen=True)
class Kind:
    """A kind of visit: its weight in the specialty's mix, lines besides the E/M, diagnoses."""

    name: str
    weight: float
    lines: tuple[Line, ...] = ()
    em: bool = True  # an office E/M line heads the visit
    procedure: bool = False  # a same-day procedure: the E/M carries modifier 25
    dx: tuple[str, ...] = ()
    pos: str = "11"


@dataclass(frozen=True)
class Specialty:
    """A specialty: how many providers, visits per provider a year, its E/M mix and kinds."""

    name: str
    providers: int
    visits: int
    em_mix: tuple[float, float, float, float]  # 99212..99215 among established visits
    dx: tuple[str, ...]
    kinds: tuple[Kind, ...]
    credentials: tuple[str, ...] = ("MD", "DO")


def _kind(row: dict) -> Kind:
    lines = tuple((code, int(units), m1, m2) for code, units, m1, m2 in row["lines"])
    return Kind(
        name=row["name"],
        weight=row["weight"],
        lines=lines,
        em=row["em"],
        procedure=row["procedure"],
        dx=tuple(row["dx"]),
        pos=row["pos"],
    )


def _specialty(row: dict) -> Specialty:
    return Specialty(
        name=row["name"],
        providers=row["providers"],
        visits=row["visits"],
        em_mix=tuple(row["em_mix"]),
        dx=tuple(row["dx"]),
        kinds=tuple(_kind(k) for k in row["kinds"]),
        credentials=tuple(row["credentials"]),
    )


def load_specialties() -> tuple[Specialty, ...]:
    """The lab's six specialties and their kinds of visit (datasets/fraud_lab/specialties.json).

    The order of specialties, kinds and lines is part of every generated lab: a seed draws by
    position.

    >>> [s.name for s in load_specialties()][:2]
    ['family medicine', 'internal medicine']
    """
    return tuple(_specialty(row) for row in read_json("fraud_lab/specialties.json"))


SPECIALTIES = load_specialties()

# Planted look-alikes and schemes: how many, per default-scale dataset.
N_UPCODERS = 4
N_COMPLEX = 3  # legitimately high E/M levels
N_MOD25 = 2
N_MOD59 = 2
# (specialty, column 1 line, column 2 line): PTP pairs billed with no bypass modifier
UNBUNDLE = (
    ("family medicine", ("80053", 1, "", ""), ("80048", 1, "", "")),
    ("family medicine", ("93000", 1, "", ""), ("93010", 1, "", "")),
    ("family medicine", ("96374", 1, "", ""), ("96372", 1, "", "")),
    ("internal medicine", ("80053", 1, "", ""), ("80048", 1, "", "")),
    ("internal medicine", ("93000", 1, "", ""), ("93005", 1, "", "")),
    ("physical therapy", ("97530", 2, "GP", ""), ("97140", 1, "GP", "")),
    ("physical therapy", ("97530", 1, "GP", ""), ("97164", 1, "GP", "")),
    ("dermatology", ("17000", 1, "", ""), ("11102", 1, "", "")),
    ("dermatology", ("17110", 1, "", ""), ("11055", 1, "", "")),
    ("orthopedics", ("20610", 1, "RT", ""), ("76942", 1, "", "")),
    ("orthopedics", ("73564", 1, "LT", ""), ("73562", 1, "LT", "")),
)
# codes whose units can be pushed over the MUE on an existing line
MUE_TARGETS = ("97110", "97112", "97140", "97530", "J1885", "J3301", "17003", "96372",
               "36415", "11103", "20610", "73562")  # fmt: skip
NONCOVERED_PAYER = "MBL03"


@dataclass
class FraudLab:
    """One generated claims history: student-facing tables and the hidden answer key."""

    seed: int
    claims: pd.DataFrame
    members: pd.DataFrame
    providers: pd.DataFrame
    payers: pd.DataFrame
    truth: pd.DataFrame = field(repr=False)

    def student_tables(self) -> dict[str, pd.DataFrame]:
        """The tables a learner may see, by file name (no labels among them)."""
        return {
            "claims.csv": self.claims,
            "members.csv": self.members,
            "providers.csv": self.providers,
            "payers.csv": self.payers,
        }


# -- reference tables -----------------------------------------------------------------
def time_based_codes() -> pd.DataFrame:
    """Time-based codes and the minutes one unit stands for (datasets/fraud_lab).

    >>> int(time_based_codes().set_index("code").loc["97110", "minutes_per_unit"])
    15
    """
    table = pd.DataFrame(read_csv("fraud_lab/time_based_codes.csv"))
    table["minutes_per_unit"] = table["minutes_per_unit"].astype(int)
    table["minimum_minutes"] = table["minimum_minutes"].astype(int)
    return table


def ptp_table() -> pd.DataFrame:
    """The NCCI PTP teaching pairs as a frame, dates parsed, built from the one loader
    (:func:`medbill_lab.codes.ncci.ptp_table`): column1, column2, modifier_indicator (int),
    effective, deleted (NaT when in force), rationale."""
    rows = [dataclasses.asdict(r) for pair in ncci.ptp_table().values() for r in pair]
    table = pd.DataFrame(rows, columns=list(PTP_COLUMNS))
    table["modifier_indicator"] = table["modifier_indicator"].astype(int)
    for column in ("effective", "deleted"):
        table[column] = pd.to_datetime(table[column]).astype("datetime64[us]")
    return table


def mue_table() -> pd.DataFrame:
    """The MUE teaching table as a frame (code, mue, mai, rationale), built from the one
    loader (:func:`medbill_lab.codes.ncci.mue_table`)."""
    rows = [dataclasses.asdict(m) for m in ncci.mue_table().values()]
    return pd.DataFrame(rows, columns=["code", "mue", "mai", "rationale"])


def payers_table() -> pd.DataFrame:
    """The synthetic practice's payers, with the codes each plan does not cover.

    Reuses the teaching payers (``datasets/practice/payers.csv``), the table the payer
    simulator adjudicates with.

    >>> payers_table().set_index("payer_id").loc["MBL03", "non_covered"]
    '93000'
    """
    rows = [
        {
            "payer_id": p.payer_id,
            "payer_name": p.name,
            "program": p.program,
            "non_covered": " ".join(p.non_covered),
        }
        for p in teaching_payers()
    ]
    return pd.DataFrame(rows)


def _fee(code: str) -> float:
    """A deterministic charge per unit: the practice fee schedule, else a stable made-up fee."""
    fees = {r["code"]: float(r["charge"]) for r in read_csv("practice/fee_schedule.csv")}
    if code in fees:
        return fees[code]
    base = 40.0 if code[0] in "JG" else 160.0 if code[0] in "12" else 90.0
    return base + zlib.crc32(code.encode()) % 120


# -- generation helpers -----------------------------------------------------------------
def _weekdays() -> np.ndarray:
    days = np.arange(START, EXTRACT_DATE + np.timedelta64(1, "D"))
    return days[np.is_busday(days)]


def names_rng(seed: int) -> random.Random:
    """The generator of the provider names: seeded with SHA-256 of the lab's seed, apart
    from the numpy generator of everything else.

    The names are handed out, so they must not be outputs of ``random.Random(seed)``:
    with a small seed a search by the first name found the seed (and with it the key),
    and a Mersenne Twister's outputs lead back to its state.  Through the hash, they
    say nothing of ``seed``.
    """
    digest = hashlib.sha256(f"fraud_lab provider names:{int(seed)}".encode()).digest()
    return random.Random(int.from_bytes(digest, "big"))


def _providers(rng: np.random.Generator, seed: int) -> pd.DataFrame:
    names, people = names_rng(seed), synthetic_people()
    rows = []
    for spec in SPECIALTIES:
        for _ in range(spec.providers):
            n = len(rows) + 1
            first = names.choice(people.female_names + people.male_names)
            last = names.choice(people.last_names)
            rows.append(
                {
                    "provider_id": f"P{n:03d}",
                    "name": f"{first} {last}, {names.choice(spec.credentials)}",
                    "specialty": spec.name,
                    "npi": make_npi(names),
                }
            )
    return pd.DataFrame(rows)


def _members(rng: np.random.Generator, n: int) -> pd.DataFrame:
    ids = 10_000_000 + rng.choice(89_999_999, size=n, replace=False)
    band = rng.random(n)
    age = np.where(
        band < 0.12,
        rng.integers(1, 18, n),
        np.where(band < 0.66, rng.integers(18, 65, n), rng.integers(65, 95, n)),
    )
    dob = (EXTRACT_DATE - (age * 365.25).astype("timedelta64[D]") - rng.integers(0, 365, n)).astype(
        "datetime64[D]"
    )
    newborn = rng.random(n) < 0.015  # born during the year
    dob = np.where(newborn, START + rng.integers(20, 330, n).astype("timedelta64[D]"), dob)
    age = np.where(newborn, 0, age)
    roll = rng.random(n)
    payer = np.where(
        age >= 65,
        np.where(roll < 0.85, "MBL01", "MBL04"),
        np.where(roll < 0.2, "MBL02", np.where(roll < 0.62, "MBL03", "MBL04")),
    )
    dies = rng.random(n) < np.where(age >= 75, 0.03, 0.004)
    death = np.where(
        dies & ~newborn,
        START + rng.integers(30, 340, n).astype("timedelta64[D]"),
        np.datetime64("NaT"),
    ).astype("datetime64[D]")
    termed = rng.random(n) < 0.04  # coverage ended mid-year: a billing problem, not fraud
    end = np.where(
        termed,
        START + rng.integers(60, 330, n).astype("timedelta64[D]"),
        np.datetime64("NaT"),
    ).astype("datetime64[D]")
    sex = np.where(rng.random(n) < 0.52, "F", "M")
    people = synthetic_people()
    first_pool = np.array(people.female_names + people.male_names)
    half = len(people.female_names)
    first = np.where(
        sex == "F",
        first_pool[rng.integers(0, half, n)],
        first_pool[half + rng.integers(0, len(first_pool) - half, n)],
    )
    last = np.array(people.last_names)[rng.integers(0, len(people.last_names), n)]
    return pd.DataFrame(
        {
            "member_id": np.char.add("M", ids.astype(str)),
            "first_name": first,
            "last_name": last,
            "dob": dob,
            "sex": sex,
            "death_date": death,
            "payer_id": payer,
            "enroll_start": np.datetime64("2020-01-01"),
            "enroll_end": end,
        }
    )


def _kind_table() -> tuple[pd.DataFrame, pd.DataFrame]:
    """All kinds (one row each) and all template lines (one row per line), numbered."""
    kinds, lines = [], []
    for s, spec in enumerate(SPECIALTIES):
        for kind in spec.kinds:
            k = len(kinds)
            kinds.append(
                {
                    "kind": k,
                    "spec": s,
                    "name": kind.name,
                    "weight": kind.weight,
                    "em": kind.em,
                    "procedure": kind.procedure,
                    "pos": kind.pos,
                    "dx": kind.dx[0] if kind.dx else "",
                    "n": len(kind.lines) + kind.em,
                }
            )
            for order, (code, units, m1, m2) in enumerate(kind.lines, start=1):
                lines.append(
                    {
                        "kind": k,
                        "order": order,
                        "code": code,
                        "units": units,
                        "mod1": m1,
                        "mod2": m2,
                    }
                )
    return pd.DataFrame(kinds), pd.DataFrame(lines)


@dataclass
class _Build:
    """Generation state: the tables, the answer key so far and the random stream."""

    rng: np.random.Generator
    providers: pd.DataFrame
    members: pd.DataFrame
    lines: pd.DataFrame
    truth: list[dict] = field(default_factory=list)
    next_visit: int = 0
    used: set[int] = field(default_factory=set)  # visits already hosting a plant
    special: set[str] = field(default_factory=set)  # providers with a provider-level role
    ghosts: pd.DataFrame = field(default_factory=pd.DataFrame)

    def spec_of(self) -> pd.Series:
        return self.providers.set_index("provider_id")["specialty"]


def _visits(b: _Build, scale: float, em_mix: np.ndarray, kind_w: np.ndarray) -> pd.DataFrame:
    """Base visits: provider, patient (from the provider's panel), weekday, kind, E/M level."""
    rng, members = b.rng, b.members
    days = _weekdays()
    kinds, _ = _kind_table()
    adult = (EXTRACT_DATE - members["dob"].to_numpy()).astype(int) > 365 * 18
    infant_ok = np.ones(len(members), bool)
    frames = []
    for p, row in b.providers.iterrows():
        spec = next(s for s in SPECIALTIES if s.name == row["specialty"])
        n = max(20, round(spec.visits * scale * rng.lognormal(0, 0.12)))
        pool = np.flatnonzero(infant_ok if spec.name == "family medicine" else adult)
        panel = rng.choice(pool, size=min(len(pool), max(60, round(700 * scale))), replace=False)
        spec_kinds = kinds.index[kinds["spec"] == SPECIALTIES.index(spec)].to_numpy()
        w = kind_w[p, : len(spec_kinds)]
        u = rng.random(n)
        level = (u[:, None] > np.cumsum(em_mix[p])[None, :-1]).sum(1)
        new = rng.random(n) < 0.12
        new_level = (rng.random(n)[:, None] > np.cumsum(NEW_MIX)[None, :-1]).sum(1)
        frames.append(
            pd.DataFrame(
                {
                    "provider_id": row["provider_id"],
                    "patient": rng.choice(panel, n),
                    "dos": rng.choice(days, n),
                    "kind": rng.choice(spec_kinds, n, p=w / w.sum()),
                    "em_code": np.where(new, np.array(NEW_EM)[new_level], np.array(EST_EM)[level]),
                }
            )
        )
    visits = pd.concat(frames, ignore_index=True)
    dob = members["dob"].to_numpy()[visits["patient"]]
    death = members["death_date"].to_numpy()[visits["patient"]]
    alive = ~(visits["dos"].to_numpy() > death)  # NaT compares False: no death, alive
    visits = visits[alive & (visits["dos"].to_numpy() >= dob)]
    return visits.drop_duplicates(["provider_id", "patient", "dos"]).reset_index(drop=True)


def _explode(b: _Build, visits: pd.DataFrame, origin: str = "base") -> pd.DataFrame:
    """Claim lines for visits: the E/M line (if the kind has one) and the kind's lines."""
    kinds, tlines = _kind_table()
    visits = visits.reset_index(drop=True).copy()
    visits["visit"] = np.arange(b.next_visit, b.next_visit + len(visits))
    b.next_visit += len(visits)
    kv = kinds.loc[visits["kind"].to_numpy()].reset_index(drop=True)
    em = visits[kv["em"].to_numpy()].copy()
    em["code"] = em["em_code"]
    em["units"] = 1
    em["mod1"] = np.where(kv.loc[kv["em"], "procedure"].to_numpy(), "25", "")
    em["mod2"] = ""
    em["order"] = 0
    rest = visits.merge(tlines, on="kind")
    out = pd.concat([em, rest], ignore_index=True)
    side = np.where(b.rng.random(b.next_visit) < 0.5, "RT", "LT")
    other = np.where(side == "RT", "LT", "RT")
    vs = out["visit"].to_numpy()
    out["mod1"] = np.where(
        out["mod1"] == "SIDE", side[vs], np.where(out["mod1"] == "OTHER", other[vs], out["mod1"])
    )
    # timed therapy and drug units vary a little around the template
    bump = out["code"].isin(["97110", "97140", "97530", "J3301", "17003"]).to_numpy()
    out["units"] = out["units"] + (bump & (b.rng.random(len(out)) < 0.3))
    limit = out["code"].map(mue_table().set_index("code")["mue"]).fillna(999).astype(int)
    out["units"] = np.minimum(out["units"], limit)  # legitimate lines stay within the MUE
    kdx = kinds["dx"].to_numpy()[out["kind"].to_numpy()]
    spec_dx = {p: s for p, s in b.spec_of().items()}
    dx_pool = {s.name: np.array(s.dx) for s in SPECIALTIES}
    dx2 = np.empty(len(out), dtype=object)
    for name, pool in dx_pool.items():
        mask = out["provider_id"].map(spec_dx).to_numpy() == name
        dx2[mask] = pool[b.rng.integers(0, len(pool), mask.sum())]
    out["dx1"] = np.where(kdx != "", kdx, dx2)
    out["dx2"] = np.where((kdx != "") & (b.rng.random(len(out)) < 0.5), dx2, "")
    out["dx2"] = np.where(out["dx2"] == out["dx1"], "", out["dx2"])
    out["pos"] = kinds["pos"].to_numpy()[out["kind"].to_numpy()]
    out["origin"] = origin
    return out.drop(columns=["em_code"])


def _mix(rng: np.random.Generator, base: np.ndarray, concentration: float) -> np.ndarray:
    return rng.dirichlet(base * concentration)


def _clone(b: _Build, source: pd.DataFrame, visits: pd.DataFrame, origin: str) -> pd.DataFrame:
    """Copy the lines of ``visits['visit']`` (rows of ``source``) onto new visits.

    ``visits`` holds the visit to copy and the new ``patient``/``dos``/``provider_id``.
    """
    lines = source.merge(
        visits.rename(columns={"visit": "src"}),
        left_on="visit",
        right_on="src",
        suffixes=("_old", ""),
    )
    lines = lines.drop(columns=[c for c in lines.columns if c.endswith("_old")] + ["src"])
    new_ids = {v: b.next_visit + i for i, v in enumerate(visits["new"])}
    b.next_visit += len(visits)
    lines["visit"] = lines["new"].map(new_ids)
    lines["origin"] = origin
    return lines.drop(columns=["new"])


def _mark(b: _Build, scheme: str, keys: pd.Series | np.ndarray, detail: str = "") -> None:
    b.truth.extend({"scheme": scheme, "key": int(k), "detail": detail} for k in np.asarray(keys))


# -- the schemes ------------------------------------------------------------------------
def _pick_providers(b: _Build, specs: tuple[str, ...], n: int, taken: set[str]) -> list[str]:
    pool = b.providers[
        b.providers["specialty"].isin(specs) & ~b.providers["provider_id"].isin(taken)
    ]
    picked = b.rng.choice(pool["provider_id"].to_numpy(), size=n, replace=False).tolist()
    taken.update(picked)
    return picked


def _plant_modifier_overuse(b: _Build, m25: list[str], m59: list[str]) -> None:
    lines, rng = b.lines, b.rng
    em = lines["code"].isin(EST_EM + NEW_EM) & lines["provider_id"].isin(m25)
    add25 = em & (lines["mod1"] == "") & (rng.random(len(lines)) < 0.9)
    lines.loc[add25, "mod1"] = "25"
    # 59 on one non-E/M line of most visits
    cand = lines[lines["provider_id"].isin(m59) & ~lines["code"].isin(EST_EM + NEW_EM)]
    one = cand.groupby("visit").head(1)
    one = one[rng.random(len(one)) < 0.88]
    free1 = one["mod1"] == ""
    lines.loc[one.index[free1], "mod1"] = "59"
    lines.loc[one.index[~free1 & (one["mod2"] == "")], "mod2"] = "59"
    for p in m25:
        b.truth.append({"scheme": "modifier_overuse", "provider": p, "detail": "modifier 25"})
    for p in m59:
        b.truth.append({"scheme": "modifier_overuse", "provider": p, "detail": "modifier 59"})


def _host_visits(b: _Build, spec: str, n: int) -> pd.DataFrame:
    """n base visits of a specialty with no NCCI-paired or ECG code and no other plant."""
    lines = b.lines
    ptp = ptp_table()
    avoid = {*ptp["column1"], *ptp["column2"], "93000", "93005", "93010"}
    provs = b.providers.loc[b.providers["specialty"] == spec, "provider_id"]
    mine = lines[lines["provider_id"].isin(provs)]
    bad = set(mine.loc[mine["code"].isin(avoid) | (mine["origin"] != "base"), "visit"])
    ok = mine.drop_duplicates("visit")
    ok = ok[~ok["visit"].isin(bad) & ~ok["visit"].isin(b.used)]
    pick = ok.iloc[b.rng.choice(len(ok), size=min(n, len(ok)), replace=False)]
    b.used.update(pick["visit"])
    return pick


def _add_lines(b: _Build, hosts: pd.DataFrame, line: Line, origin: str) -> pd.DataFrame:
    code, units, m1, m2 = line
    new = hosts[["visit", "provider_id", "patient", "dos", "kind", "dx1", "dx2", "pos"]].copy()
    new[["code", "units", "mod1", "mod2"]] = code, units, m1, m2
    new["order"] = 50
    new["origin"] = origin
    return new


def _plant_unbundling(b: _Build, per_pair: int) -> list[pd.DataFrame]:
    out = []
    for spec, col1, col2 in UNBUNDLE:
        hosts = _host_visits(b, spec, per_pair)
        first = _add_lines(b, hosts, col1, "unbundling-col1")
        second = _add_lines(b, hosts, col2, "unbundling")
        out += [first, second]
    return out


def _plant_noncovered(b: _Build, n: int) -> list[pd.DataFrame]:
    payer = b.members["payer_id"].to_numpy()
    lines = b.lines
    evergreen = lines[payer[lines["patient"].to_numpy()] == NONCOVERED_PAYER]
    provs = b.providers.loc[
        b.providers["specialty"].isin(["family medicine", "internal medicine"]), "provider_id"
    ]
    splitters = b.rng.choice(provs.to_numpy(), size=4, replace=False)
    mine = evergreen[evergreen["provider_id"].isin(splitters) & (evergreen["origin"] == "base")]
    bad = set(mine.loc[mine["code"].str.startswith("930"), "visit"]) | b.used
    ok = mine.drop_duplicates("visit")
    ok = ok[~ok["visit"].isin(bad)]
    hosts = ok.iloc[b.rng.choice(len(ok), size=min(n, len(ok)), replace=False)]
    b.used.update(hosts["visit"])
    tracing, reading = COMPONENTS["93000"]
    return [
        _add_lines(b, hosts, (tracing, 1, "", ""), "noncovered"),
        _add_lines(b, hosts, (reading, 1, "", ""), "noncovered"),
    ]


def _plant_mue(b: _Build, n_single: int, n_split: int) -> list[pd.DataFrame]:
    lines, rng = b.lines, b.rng
    mue = mue_table().set_index("code")
    used = b.used
    cand = lines[
        lines["code"].isin(MUE_TARGETS)
        & (lines["origin"] == "base")
        & ~lines["visit"].isin(used)
        & (lines["mod2"] == "")
    ]
    cand = cand.drop_duplicates("visit")  # one plant per visit
    pick = cand.iloc[rng.choice(len(cand), size=min(len(cand), n_single + n_split), replace=False)]
    single, split = pick.iloc[:n_single], pick.iloc[n_single:]
    limit = mue.loc[single["code"], "mue"].to_numpy()
    lines.loc[single.index, "units"] = limit + rng.integers(1, 4, len(single)) + (limit // 3)
    lines.loc[single.index, "origin"] = "mue"
    # per-day codes (MAI 2/3): a second line with the same code, each line under the MUE
    split = split[mue.loc[split["code"], "mai"].to_numpy() != 1]
    limit = mue.loc[split["code"], "mue"].to_numpy()
    lines.loc[split.index, "units"] = np.maximum(1, limit - 1)
    lines.loc[split.index, "origin"] = "mue"
    extra = split.copy()
    extra["units"] = np.maximum(2, limit // 2 + 1)
    extra["mod2"] = np.where(extra["mod1"] == "", "", "59")
    extra["mod1"] = np.where(extra["mod1"] == "", "59", extra["mod1"])
    extra["order"] = 60
    extra["origin"] = "mue"
    b.used.update(pick["visit"])
    return [extra]


def _plant_duplicates(b: _Build, n: int) -> list[pd.DataFrame]:
    lines = b.lines
    used = b.used
    cand = lines[(lines["origin"] == "base") & ~lines["visit"].isin(used)]
    pick = cand.iloc[b.rng.choice(len(cand), size=n, replace=False)].copy()
    pick["visit"] = np.arange(b.next_visit, b.next_visit + len(pick))  # billed on a new claim
    b.next_visit += len(pick)
    pick["origin"] = "duplicate"
    return [pick]


def _alive_members(b: _Build) -> np.ndarray:
    m = b.members
    ok = m["death_date"].isna() & (m["dob"] < START)
    return np.flatnonzero(ok.to_numpy())


def _plant_impossible_dates(
    b: _Build, n_dead: int, n_unborn: int, n_future: int
) -> list[pd.DataFrame]:
    lines, rng, m = b.lines, b.rng, b.members
    base = lines[lines["origin"] == "base"]
    last = base.sort_values("dos").drop_duplicates("patient", keep="last")
    out = []
    dead = np.flatnonzero(m["death_date"].notna().to_numpy())
    seen = last[last["patient"].isin(dead)]
    seen = seen.iloc[rng.choice(len(seen), size=min(n_dead, len(seen)), replace=False)]
    death = m["death_date"].to_numpy()[seen["patient"].to_numpy()]
    after = death + rng.integers(3, 90, len(seen)).astype("timedelta64[D]")
    after = np.minimum(after, EXTRACT_DATE)
    out.append(
        _clone(
            b,
            base,
            pd.DataFrame(
                {
                    "visit": seen["visit"].to_numpy(),
                    "new": np.arange(len(seen)),
                    "patient": seen["patient"].to_numpy(),
                    "dos": after,
                    "provider_id": seen["provider_id"].to_numpy(),
                }
            ),
            "after death",
        )
    )
    # legitimate: a visit on the day of death
    died_on = m["death_date"].to_numpy()[last["patient"].to_numpy()]
    seen2 = last[
        last["patient"].isin(dead)
        & ~last["visit"].isin(seen["visit"])
        & (last["dos"].to_numpy() != died_on)
    ].head(n_dead // 2)
    if len(seen2):
        out.append(_clone(b, base, pd.DataFrame({"visit": seen2["visit"].to_numpy(), "new": np.arange(len(seen2)),
                   "patient": seen2["patient"].to_numpy(),
                   "dos": m["death_date"].to_numpy()[seen2["patient"].to_numpy()],
                   "provider_id": seen2["provider_id"].to_numpy()}), "day of death"))  # fmt: skip
    babies = np.flatnonzero((m["dob"] > START + np.timedelta64(40, "D")).to_numpy())
    fm = base[base["provider_id"].map(b.spec_of()) == "family medicine"].drop_duplicates("visit")
    src = fm.iloc[rng.choice(len(fm), size=n_unborn * 2, replace=False)]
    kids = rng.choice(babies, size=n_unborn * 2, replace=len(babies) < n_unborn * 2)
    dob = m["dob"].to_numpy()[kids]
    before = dob - rng.integers(5, 40, len(kids)).astype("timedelta64[D]")
    when = np.where(np.arange(len(kids)) < n_unborn, before, dob)  # the rest: born that day
    origin = np.where(np.arange(len(kids)) < n_unborn, "before birth", "day of birth")
    for tag in ("before birth", "day of birth"):
        sel = origin == tag
        out.append(_clone(b, base, pd.DataFrame({"visit": src["visit"].to_numpy()[sel],
                   "new": np.arange(sel.sum()), "patient": kids[sel], "dos": when[sel],
                   "provider_id": src["provider_id"].to_numpy()[sel]}), tag))  # fmt: skip
    src = base.drop_duplicates("visit")
    src = src.iloc[rng.choice(len(src), size=n_future, replace=False)]
    future = EXTRACT_DATE + rng.integers(1, 75, n_future).astype("timedelta64[D]")
    out.append(
        _clone(
            b,
            base,
            pd.DataFrame(
                {
                    "visit": src["visit"].to_numpy(),
                    "new": np.arange(n_future),
                    "patient": src["patient"].to_numpy(),
                    "dos": future,
                    "provider_id": src["provider_id"].to_numpy(),
                }
            ),
            "future date",
        )
    )
    return out


def _plant_phantoms(b: _Build, n_ghosts: int, n_borrowed: int) -> list[pd.DataFrame]:
    lines, rng, m = b.lines, b.rng, b.members
    base = lines[lines["origin"] == "base"]
    mills = _pick_providers(
        b,
        ("family medicine", "internal medicine", "psychiatry", "physical therapy"),
        4,
        set(b.special),
    )
    known = set(m["member_id"])
    ghost_ids = 10_000_000 + rng.choice(89_999_999, size=n_ghosts * 2, replace=False)
    ghost_ids = [f"M{g}" for g in ghost_ids if f"M{g}" not in known][:n_ghosts]
    ghosts = pd.DataFrame(
        {
            "member_id": ghost_ids,
            "dob": (
                EXTRACT_DATE - rng.integers(20 * 365, 80 * 365, n_ghosts).astype("timedelta64[D]")
            ),
            "sex": np.where(rng.random(n_ghosts) < 0.5, "F", "M"),
            "payer_id": rng.choice(["MBL01", "MBL02", "MBL03", "MBL04"], n_ghosts),
        }
    )
    b.ghosts = ghosts
    out = []
    visits_per = rng.integers(2, 6, n_ghosts)
    g = np.repeat(np.arange(n_ghosts), visits_per)
    prov = np.array(mills)[rng.integers(0, len(mills), n_ghosts)][g]
    src_rows = []
    for p in sorted(mills):
        mine = base[base["provider_id"] == p].drop_duplicates("visit")
        src_rows.append(mine.iloc[rng.choice(len(mine), size=(prov == p).sum(), replace=False)])
    src = pd.concat(src_rows)
    order = np.argsort(prov, kind="stable")
    vis = pd.DataFrame(
        {
            "visit": src["visit"].to_numpy(),
            "provider_id": np.sort(prov),
            "patient": -1 - g[order],
            "dos": rng.choice(_weekdays(), len(g)),
        }
    )
    vis["new"] = np.arange(len(vis))
    out.append(_clone(b, base, vis, "ghost"))
    # borrowed identities: a real member's ID billed for someone else (other birth year and sex)
    alive = _alive_members(b)
    victims = rng.choice(alive, size=n_borrowed, replace=False)
    src = base.drop_duplicates("visit")
    src = src[src["provider_id"].isin(mills)]
    src = src.iloc[rng.choice(len(src), size=n_borrowed, replace=False)]
    vis = pd.DataFrame(
        {
            "visit": src["visit"].to_numpy(),
            "provider_id": src["provider_id"].to_numpy(),
            "patient": victims,
            "dos": rng.choice(_weekdays(), n_borrowed),
            "new": np.arange(n_borrowed),
        }
    )
    out.append(_clone(b, base, vis, "borrowed identity"))
    return out


def _plant_impossible_days(
    b: _Build,
    n_days: int,
    minutes_target: tuple[int, int],
    origin: str = "impossible day",
    column: str = "minutes_per_unit",
) -> list[pd.DataFrame]:
    """Provider-days padded with copied visits up to ``minutes_target`` time-based minutes,
    counted with ``column`` of the time-based code table (nominal or minimum minutes)."""
    lines, rng = b.lines, b.rng
    minutes = time_based_codes().set_index("code")[column]
    base = lines[lines["origin"] == "base"]
    provs = b.providers.loc[
        b.providers["specialty"].isin(["physical therapy", "psychiatry"])
        & ~b.providers["provider_id"].isin(b.special),
        "provider_id",
    ].to_numpy()
    who = rng.choice(provs, size=max(1, n_days // 2), replace=False)
    alive = _alive_members(b)
    out = []
    for i in range(n_days):
        p = who[i % len(who)]
        mine = base[base["provider_id"] == p]
        day = rng.choice(np.unique(mine["dos"].to_numpy()))
        today = mine[mine["dos"] == day]
        have = (today["units"] * today["code"].map(minutes).fillna(0)).sum()
        per_visit = (
            (mine["units"] * mine["code"].map(minutes).fillna(0)).groupby(mine["visit"]).sum()
        )
        per_visit = per_visit[per_visit > 0]
        target = rng.integers(*minutes_target)
        n = int(np.ceil(max(0, target - have) / per_visit.mean())) + 1
        src = rng.choice(per_visit.index.to_numpy(), size=n, replace=len(per_visit) < n)
        taken = set(today["patient"])
        pats = [x for x in rng.choice(alive, size=n + 20, replace=False) if x not in taken][:n]
        vis = pd.DataFrame(
            {"visit": src, "provider_id": p, "patient": pats, "dos": day, "new": np.arange(n)}
        )
        out.append(_clone(b, base, vis, origin))
        if origin == "impossible day":
            b.truth.append({"scheme": "impossible_day_marker", "provider": p, "dos": day})
    return out


# -- assembly ---------------------------------------------------------------------------
@cache
def _build(seed: int, scale: float) -> FraudLab:
    rng = np.random.default_rng(seed)
    providers = _providers(rng, seed)
    members = _members(rng, max(2000, round(30_000 * scale)))
    b = _Build(rng, providers, members, pd.DataFrame())
    spec_idx = providers["specialty"].map({s.name: i for i, s in enumerate(SPECIALTIES)})
    taken: set[str] = set()
    em_specs = ("family medicine", "internal medicine", "dermatology", "orthopedics")
    upcoders = _pick_providers(b, em_specs, N_UPCODERS, taken)
    complex_ = _pick_providers(b, em_specs, N_COMPLEX, taken)
    m25 = _pick_providers(b, em_specs, N_MOD25, taken)
    m59 = _pick_providers(b, ("physical therapy",), 1, taken)
    m59 += _pick_providers(b, ("dermatology", "orthopedics"), N_MOD59 - 1, taken)
    b.special = set(taken)
    em_mix = np.zeros((len(providers), 4))
    kind_w = np.zeros((len(providers), 12))
    for p, s in enumerate(spec_idx):
        spec = SPECIALTIES[s]
        mix = np.array(spec.em_mix)
        pid = providers.at[p, "provider_id"]
        if pid in upcoders:
            mix = np.array([mix[0] * 0.3, mix[1] * 0.35, 0.0, mix[3] + 0.30])
            mix[2] = 1 - mix.sum()
        elif pid in complex_:
            mix = mix + np.array([-mix[0] * 0.5, -0.15 + mix[0] * 0.5, 0.08, 0.07])
        em_mix[p] = _mix(rng, mix, 400)
        w = np.array([k.weight for k in spec.kinds])
        kind_w[p, : len(w)] = _mix(rng, w / w.sum(), 150)
    visits = _visits(b, scale, em_mix, kind_w)
    b.lines = _explode(b, visits)
    for p in upcoders:
        b.truth.append({"scheme": "upcoding", "provider": p, "detail": "E/M levels shifted up"})
    _plant_modifier_overuse(b, m25, m59)
    k = max(1, round(scale * 100)) / 100  # counts scale with the data
    extra = _plant_mue(b, round(110 * k), round(60 * k))
    extra += _plant_unbundling(b, max(2, round(14 * k)))
    extra += _plant_noncovered(b, max(4, round(50 * k)))
    extra += _plant_duplicates(b, max(10, round(220 * k)))
    extra += _plant_impossible_dates(
        b, max(4, round(60 * k)), max(3, round(20 * k)), max(3, round(25 * k))
    )
    extra += _plant_phantoms(b, max(5, round(40 * k)), max(3, round(20 * k)))
    # impossible even if every unit took only its CPT minimum time (the detector's rule)
    extra += _plant_impossible_days(b, max(2, round(6 * k)), (1700, 2300), column="minimum_minutes")
    # legitimate: long but possible days (13 to 16 hours)
    extra += _plant_impossible_days(b, max(2, round(8 * k)), (780, 960), "long day")
    return _assemble(b, extra)


def _assemble(b: _Build, extra: list[pd.DataFrame]) -> FraudLab:
    lines = pd.concat([b.lines, *extra], ignore_index=True)
    # a legitimate clone may land on a visit that exists already: keep one copy
    legit = lines["origin"].isin(["base", "day of death", "day of birth", "long day"])
    key = ["provider_id", "patient", "dos", "code", "mod1", "mod2", "units"]
    lines = lines[~(legit & lines.duplicated(key))]
    # a copied visit must not land on a provider-patient-day that has a visit already
    clones = ["day of death", "day of birth", "after death", "before birth", "future date",
              "ghost", "borrowed identity", "impossible day", "long day"]  # fmt: skip
    heads = lines.drop_duplicates("visit").sort_values("visit")
    clash = heads.duplicated(["provider_id", "patient", "dos"]) & heads["origin"].isin(clones)
    lines = lines[~lines["visit"].isin(heads.loc[clash, "visit"])]
    m, ghosts = b.members, b.ghosts
    real = lines["patient"].to_numpy() >= 0
    idx = np.where(real, lines["patient"].to_numpy(), 0)
    gidx = np.where(real, 0, -1 - lines["patient"].to_numpy())
    lines["member_id"] = np.where(
        real, m["member_id"].to_numpy()[idx], ghosts["member_id"].to_numpy()[gidx]
    )
    lines["patient_dob"] = np.where(real, m["dob"].to_numpy()[idx], ghosts["dob"].to_numpy()[gidx])
    lines["patient_sex"] = np.where(real, m["sex"].to_numpy()[idx], ghosts["sex"].to_numpy()[gidx])
    lines["payer_id"] = np.where(
        real, m["payer_id"].to_numpy()[idx], ghosts["payer_id"].to_numpy()[gidx]
    )
    # a borrowed identity: the claim shows another person's birth year and sex
    borrowed = (lines["origin"] == "borrowed identity").to_numpy()
    shift = (b.rng.integers(8, 30, len(lines)) * 365.25).astype("timedelta64[D]")
    dob = lines["patient_dob"].to_numpy().astype("datetime64[D]")
    older = dob - shift
    other = np.where(older >= np.datetime64("1930-01-01"), older, dob + shift)
    lines["patient_dob"] = np.where(borrowed, other, dob)
    lines.loc[borrowed, "patient_sex"] = np.where(
        lines.loc[borrowed, "patient_sex"] == "F", "M", "F"
    )
    # clerical typos (not fraud): day and month swapped in a few birth dates
    dob = pd.to_datetime(lines["patient_dob"])
    typo_ok = (dob.dt.day <= 12) & (dob.dt.day != dob.dt.month) & (lines["origin"] == "base")
    visit_typo = pd.Series(b.rng.random(b.next_visit) < 0.004)
    typo = typo_ok & lines["visit"].map(visit_typo).to_numpy()
    swapped = pd.to_datetime(
        pd.DataFrame(
            {"year": dob.dt.year[typo], "month": dob.dt.day[typo], "day": dob.dt.month[typo]}
        )
    )
    lines.loc[typo, "patient_dob"] = swapped.to_numpy()
    lines["patient_dob"] = pd.to_datetime(lines["patient_dob"]).dt.date.astype(str)
    fee = {c: _fee(c) for c in lines["code"].unique()}
    lines["charge"] = (lines["code"].map(fee) * lines["units"]).round(2)
    # claims in submission order; a duplicate (new visit number) lands on a later claim
    lines = lines.sort_values(["dos", "provider_id", "patient", "visit", "order"], kind="stable")
    lines = lines.reset_index(drop=True)
    lines["line_id"] = np.arange(1, len(lines) + 1)
    lines["claim_id"] = pd.factorize(lines["visit"])[0] + 1
    lines["dos"] = pd.to_datetime(lines["dos"]).dt.date.astype(str)
    truth = _truth(b, lines)
    members = m.copy()
    for col in ("dob", "death_date", "enroll_start", "enroll_end"):
        members[col] = pd.to_datetime(members[col]).dt.strftime("%Y-%m-%d").fillna("")
    claims = lines[CLAIM_COLUMNS].copy()
    claims["units"] = claims["units"].astype(int)
    return FraudLab(0, claims, members, b.providers.copy(), payers_table(), truth)


def _truth(b: _Build, lines: pd.DataFrame) -> pd.DataFrame:
    rows = [
        {
            "scheme": t["scheme"],
            "level": "provider",
            "provider_id": t["provider"],
            "line_id": pd.NA,
            "detail": t["detail"],
        }
        for t in b.truth
        if t["scheme"] in PROVIDER_SCHEMES
    ]
    by_origin = {
        "unbundling": ("unbundling", "column-2 code billed with its column-1 code, no bypass"),
        "duplicate": ("duplicate", "the same line billed again on a later claim"),
        "after death": ("impossible_date", "service after the member's date of death"),
        "before birth": ("impossible_date", "service before the member's date of birth"),
        "future date": ("impossible_date", "service dated after the data were extracted"),
        "ghost": ("phantom_patient", "member ID not in the member file"),
        "borrowed identity": ("phantom_patient", "member ID billed for another person"),
        "noncovered": ("noncovered", "components of a service the plan does not cover"),
    }
    frames = [pd.DataFrame(rows)]
    for origin, (scheme, detail) in by_origin.items():
        sel = lines[lines["origin"] == origin]
        frames.append(
            pd.DataFrame(
                {
                    "scheme": scheme,
                    "level": "line",
                    "provider_id": sel["provider_id"],
                    "line_id": sel["line_id"],
                    "detail": detail,
                }
            )
        )
    sel = lines[lines["origin"] == "mue"]  # the line pushed over, or both lines of a split day
    frames.append(
        pd.DataFrame(
            {
                "scheme": "mue",
                "level": "line",
                "provider_id": sel["provider_id"],
                "line_id": sel["line_id"],
                "detail": "units above the MUE",
            }
        )
    )
    timed = set(time_based_codes()["code"])
    for t in (t for t in b.truth if t["scheme"] == "impossible_day_marker"):
        day = str(pd.Timestamp(t["dos"]).date())
        sel = lines[
            (lines["provider_id"] == t["provider"])
            & (lines["dos"] == day)
            & lines["code"].isin(timed)
        ]
        frames.append(
            pd.DataFrame(
                {
                    "scheme": "impossible_day",
                    "level": "line",
                    "provider_id": sel["provider_id"],
                    "line_id": sel["line_id"],
                    "detail": f"time-based services over 24 hours on {day}",
                }
            )
        )
    truth = pd.concat(frames, ignore_index=True)
    truth["line_id"] = truth["line_id"].astype("Int64")
    return truth.drop_duplicates(["scheme", "provider_id", "line_id"]).reset_index(drop=True)


def generate(seed: int = DEFAULT_SEED, scale: float = 1.0) -> FraudLab:
    """A claims history with planted schemes; the same ``seed`` and ``scale`` give the same lab.

    ``scale`` 1.0 gives about 120,000 lines from 54 providers; smaller scales (down to 0.05)
    give faster, smaller labs with proportionally fewer planted lines.  The result is cached
    per (seed, scale); each call returns fresh copies.

    >>> lab = generate(7, scale=0.1)
    >>> sorted(set(lab.truth["scheme"])) == sorted(SCHEMES)
    True
    >>> "scheme" in lab.claims.columns
    False
    """
    if not 0.05 <= scale <= 4:
        raise ValueError(f"scale must be between 0.05 and 4, not {scale}")
    lab = _build(int(seed), float(scale))
    return FraudLab(
        int(seed),
        lab.claims.copy(),
        lab.members.copy(),
        lab.providers.copy(),
        lab.payers.copy(),
        lab.truth.copy(),
    )


def student_data(seed: int = DEFAULT_SEED, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Only the student-facing tables of a lab: ``claims``, ``members``, ``providers``, ``payers``.

    What an exercise hands to learners: the answer key is not among them.

    >>> sorted(student_data(7, scale=0.1))
    ['claims', 'members', 'payers', 'providers']
    """
    lab = generate(seed, scale)
    return {name.removesuffix(".csv"): table for name, table in lab.student_tables().items()}


def write_release(lab: FraudLab, student_dir: str | Path, truth_dir: str | Path) -> list[Path]:
    """Write the student-facing CSV files and the answer key to two separate folders.

    The two folders must differ and neither may sit inside the other, so that handing out
    ``student_dir`` can never hand out the truth.  Returns the paths written.
    """
    student, key = Path(student_dir).resolve(), Path(truth_dir).resolve()
    if student == key or student in key.parents or key in student.parents:
        raise ValueError("the student folder and the truth folder must be separate, not nested")
    student.mkdir(parents=True, exist_ok=True)
    key.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in lab.student_tables().items():
        table.to_csv(student / name, index=False)
        written.append(student / name)
    lab.truth.to_csv(key / "truth.csv", index=False)
    written.append(key / "truth.csv")
    return written


def _student_file(folder: Path, name: str) -> Path | None:
    for candidate in (folder / name, folder / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    return None


def load_student_data(folder: str | Path) -> dict[str, pd.DataFrame]:
    """Read the student CSV files (plain or gzipped) written by :func:`write_release`
    or :func:`prepare_exercise`, keyed by file name (``claims.csv`` ...), codes kept as text."""
    folder = Path(folder)
    found = {n: _student_file(folder, n) for n in STUDENT_FILES}
    missing = [n for n, path in found.items() if path is None]
    if missing:
        raise FileNotFoundError(f"{folder} lacks {', '.join(missing)}")
    text = {
        "code": str,
        "mod1": str,
        "mod2": str,
        "dx1": str,
        "dx2": str,
        "pos": str,
        "non_covered": str,
        "npi": str,
    }
    return {n: pd.read_csv(path, dtype=text, keep_default_na=False) for n, path in found.items()}


# The graded exercise's lab: the source in exercises/ ships this seed's student files;
# `medbill-lab course init` draws a fresh seed for each course (prepare_exercise), so the
# seed, and with it the answer key, lives only in the instructor's hidden tests.
EXERCISE_SEED, EXERCISE_SCALE = 4242, 0.2
EXERCISE_DATA = "fraud_data"
_HIDDEN_SEED = "_SEED = {}  # this course's lab; course init draws it, students never see it"
# exercises/ ships the lab of the public EXERCISE_SEED as a practice example, labelled so;
# a course's copy loses the label when it gets its own lab
PRACTICE_LABEL = (
    "> **Practice example — never graded.** These claims and the seed in the hidden tests are "
    "public. `medbill-lab course init` gives each course its own lab, drawn with a 128-bit seed "
    "from a secret only the instructor holds; a course never grades this example."
)
MIN_COURSE_SEED_BITS = 100  # a course's seed has 128 random bits: below 2**100 it was not drawn
# the model answer of the upcoding question, on its referral form: the providers after the
# label (training.assignments.fraud_schemes); a course's copy names its own lab's upcoders
_MODEL_UPCODERS = re.compile(r"(Providers referred for E/M upcoding[^:\n]*: )P\d+(?:, P\d+)*")


def prepare_exercise(folder: str | Path, seed: int) -> list[Path]:
    """Give an exercise folder (holding ``fraud_schemes.ipynb``) its own lab: the student
    files of ``seed`` in ``fraud_data/`` (gzipped CSV), ``seed`` in the hidden tests, and
    its lab's upcoders in the model answer of the upcoding referral (a solution region).

    Returns the files written.  ``ValueError`` when the notebook's hidden tests do not
    hold the exercise's seed line (already prepared, or edited by hand).
    """
    folder = Path(folder)
    notebook = folder / "fraud_schemes.ipynb"
    text = notebook.read_text(encoding="utf-8")
    old = _HIDDEN_SEED.format(EXERCISE_SEED)
    if old not in text:
        raise ValueError(f"{notebook} does not hold {old!r}; was it prepared already?")
    if int(seed).bit_length() < MIN_COURSE_SEED_BITS:
        raise ValueError(
            f"a course's lab needs a seed drawn from its secret (128 bits), not {seed}: a small "
            "seed is found by trying them all, and it gives the answer key"
        )
    data = folder / EXERCISE_DATA
    data.mkdir(parents=True, exist_ok=True)
    written = []
    course_lab = generate(seed, EXERCISE_SCALE)
    for name, table in course_lab.student_tables().items():
        path = data / f"{name}.gz"
        table.to_csv(path, index=False, compression={"method": "gzip", "mtime": 0})
        (data / name).unlink(missing_ok=True)
        written.append(path)
    text = text.replace(old, _HIDDEN_SEED.format(int(seed)))
    upcoders = course_lab.truth.loc[course_lab.truth["scheme"] == "upcoding", "provider_id"]
    model = ", ".join(sorted(set(upcoders.astype(str))))
    text = _MODEL_UPCODERS.sub(lambda m: m.group(1) + model, text)  # only a filled line matches
    notebook.write_text(text, encoding="utf-8")
    _unlabel(notebook)
    return [*written, notebook]


def _unlabel(path: Path) -> None:
    """Take the practice-example label off a course's copy of the notebook."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    intro = nb.cells[0]
    kept = [p for p in intro.source.split("\n\n") if not p.startswith(PRACTICE_LABEL[:40])]
    if len(kept) != len(intro.source.split("\n\n")):
        intro.source = "\n\n".join(kept)
        nbformat.write(nb, path)


def dataset_dir() -> Path:
    """The folder of the fraud lab's small reference tables."""
    return datasets_dir() / "fraud_lab"
