"""Safe Harbor de-identification: the labelled note sets, the rules, the scores, exports."""

from __future__ import annotations

import datetime as dt
import json
import random
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medbill_lab.compliance import deid, deid_notes
from medbill_lab.datasets import datasets_dir

NOTES = deid_notes.fixed_set("notes.jsonl")
DEV = deid_notes.fixed_set("dev.jsonl")
HELDOUT = deid_notes.fixed_set("heldout.jsonl")
HELDOUT2 = deid_notes.fixed_set("heldout2.jsonl")
SETS = {"tuning": NOTES, "dev": DEV, "heldout": HELDOUT, "heldout2": HELDOUT2}
# written blind by another author (datasets/deid/README.md); its misses were read to generalise
# the rules (round 2), so it is a development set now, scored like the others
HELDOUT3 = deid_notes.fixed_set("heldout3.jsonl")
SCORED = {**SETS, "heldout3": HELDOUT3}


# -- the labelled sets ----------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(deid_notes.FIXED_SETS))
def test_committed_sets_regenerate_byte_identically(name, tmp_path):
    deid_notes.write_fixed_sets(tmp_path, say=lambda _: None)
    assert (tmp_path / name).read_bytes() == (deid_notes.dataset_dir() / name).read_bytes()


@pytest.mark.parametrize("name", sorted(SETS))
def test_sets_label_every_category_with_exact_offsets(name):
    notes = SETS[name]
    assert len(notes) >= 200
    assert {n["kind"] for n in notes} == {"progress", "discharge", "referral", "billing", "phone"}
    seen = {s["category"] for n in notes for s in n["spans"]}
    assert seen == set(deid.CATEGORIES)
    for n in notes:
        for s in n["spans"]:
            assert n["text"][s["start"] : s["end"]] == s["text"]


@pytest.mark.parametrize("name", ["heldout", "heldout2"])
def test_heldout_sets_use_other_templates_and_names(name):
    known = (
        set(deid_notes.TUNING_FIRST)
        | set(deid_notes.TUNING_LAST)
        | set(deid_notes.DEV_FIRST)
        | set(deid_notes.DEV_LAST)
    )
    held_words = {
        w
        for n in SETS[name]
        for s in n["spans"]
        if s["category"] == "NAME"
        for w in s["text"].split()
    }
    assert not held_words & known
    first_lines = {n["text"].splitlines()[0][:12] for n in NOTES + DEV}
    assert not any(n["text"].splitlines()[0][:12] in first_lines for n in SETS[name])


def test_ages_89_and_under_are_left_in_as_distractors():
    young = [n for n in NOTES if re.search(r"\b[1-8]?\d[- ](?:yo|year-old|y/o)", n["text"])]
    assert young
    for n in young[:20]:
        out = deid.deidentify(n["text"]).text
        assert re.search(r"\b[1-8]?\d[- ](?:yo|year-old|y/o)", out)


# -- the scores -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["tuning", "dev"])
def test_recall_on_the_tuning_sets_is_at_least_99_percent_in_every_category(name):
    score = deid.evaluate(SETS[name])
    assert score.recall >= 0.99, score.missed[:10]
    assert score.char_recall >= 0.99
    assert score.precision >= 0.95
    for cat, s in score.by_category.items():
        assert s["gold"] > 0, cat
        assert s["recall"] >= 0.95, (cat, s)


def test_heldout3_offsets_match_its_text():
    assert len(HELDOUT3) == 200
    assert {s["category"] for n in HELDOUT3 for s in n["spans"]} == set(deid.CATEGORIES)
    for n in HELDOUT3:
        for s in n["spans"]:
            assert n["text"][s["start"] : s["end"]] == s["text"]


@pytest.mark.parametrize("name", ["heldout4", "devfresh"])
def test_the_round3_development_sets_reach_99_5_percent_recall(name):
    # heldout4 was scored once blind (recall 0.904) and devfresh once on first look (0.853);
    # both were used to generalise the rules in round 3 (datasets/deid/README.md, step 7), so
    # these are development scores, held at the level reached: not an estimate for new notes
    notes = deid_notes.fixed_set(f"{name}.jsonl")
    assert all(n["text"][s["start"] : s["end"]] == s["text"] for n in notes for s in n["spans"])
    score = deid.evaluate(notes)
    assert score.recall >= 0.995, score.missed[:10]
    assert score.precision >= 0.99
    for cat, s in score.by_category.items():
        assert s["recall"] >= 0.98, (cat, s)
        assert s["precision"] >= 0.95, (cat, s)


# hand-written sentences in no labelled set: names, towns and forms no cue or lab list knows
UNSEEN_PHI = [
    ("Summary of stay\nEllery Quintrell, a 63 year old, stayed two nights.", "Ellery Quintrell"),
    ("Discharging physician: Tamsin Oyelaran.", "Tamsin Oyelaran"),
    ("Kind regards,\nPerpetua Vandermolen", "Perpetua Vandermolen"),
    ("Pt brought in by Grace Hill, her niece.", "Grace Hill"),
    ("Wife Quentin at bedside.", "Quentin"),
    ("Jessamy's mother called about the refill.", "Jessamy"),
    ("Hollister, Fenella was seen for follow-up.", "Hollister, Fenella"),
    ("PATIENT NAME: MARGARET O'DONOVAN", "MARGARET O'DONOVAN"),
    ("Per J. Abernathy, the dressing was changed.", "J. Abernathy"),
    ("Hi Bronwyn, your labs look fine.", "Bronwyn"),
    ("Interpreter Ahmed Al-Sayed present.", "Ahmed Al-Sayed"),
    ("Fell at work at Greystone Quarry.", "Greystone Quarry"),
    ("She moved here from Galesburg last year.", "Galesburg"),
    ("Address: 18 Maple Ave, Mahomet IL 61853", "Mahomet"),
    ("Home: 7670 County Road 1150 N, Copper Ridge, IL 61401.", "7670 County Road 1150 N"),
    ("Mail check to PO Box 147, Willow Bend 62301-7660.", "PO Box 147, Willow Bend 62301-7660"),
    ("Born 7 June 1927; currently 98.", "98"),
    ("Subjective: Daphne Northcott, 101M, c/o knee pain.", "101"),
    ("Ninety-three year old man with CHF.", "Ninety-three"),
    ("She is in her late 90s and lives alone.", "90s"),
    ("A 102-yr-old man.", "102"),
    ("DOB 14.03.1931", "14.03.1931"),
    ("Last seen on Sun Jul 28 by the NP.", "Sun Jul 28"),
    ("SSN ending in 6789 verified.", "6789"),
    ("The health plan ID is XQH16267634-03.", "XQH16267634-03"),
    ("Voice ID RS-5589-L matched.", "RS-5589-L"),
    ("NY DL 123 456 789", "123 456 789"),
]


@pytest.mark.parametrize(("text", "phi"), UNSEEN_PHI, ids=[p for _, p in UNSEEN_PHI])
def test_phi_that_no_cue_or_lab_list_knows_is_removed(text, phi):
    out = deid.deidentify(text)
    start = text.index(phi)
    removed = {i for f in out.found for i in range(f.start, f.end)}
    assert all(i in removed for i in range(start, start + len(phi)) if text[i].isalnum()), out.text
    assert all("Found by: " in line for line in out.explanations())


# round 2: general forms (own sentences, in no labelled set): names in capitals with a middle
# initial, accents, hyphenated given names, particles, initials, nicknames, lower-case messages,
# employers, address units, extensions, more date shapes, last-4 SSNs, plates, licence prefixes
MORE_FORMS = [
    ("REFERRING: KOWALSKI, BEATRIX Q  NPI 1234567893", "KOWALSKI, BEATRIX Q"),
    ("Patient: VAN HOUTEN, MILO R   DOB 02/03/1950", "VAN HOUTEN, MILO R"),
    ("Guarantor: ÅKESSON, ZOË L", "ÅKESSON, ZOË L"),
    ("Seen with her son, Tomás Quiñones, at bedside.", "Tomás Quiñones"),
    ("Consult requested by Dr. Wójcik for chest pain.", "Wójcik"),
    ("Called back by Min-seo Albrecht, RN.", "Min-seo Albrecht"),
    ("Caregiver: grandson Hye-jin Park, cell 217-555-0100", "Hye-jin Park"),
    ("Member: Lucinda de los Santos   ID: ABC1234567", "Lucinda de los Santos"),
    ("Family asked for Ezra van den Heuvel to be updated.", "Ezra van den Heuvel"),
    ("Case discussed with Callum St. Clair, PharmD.", "Callum St. Clair"),
    ("Wound checked by T. Marchetti, RN this morning.", "T. Marchetti"),
    ("Supervising: J. van der Linde", "J. van der Linde"),
    ('Contact: Josephine "Jo" Okonkwo (sister)', 'Josephine "Jo" Okonkwo'),
    ("hi this is bartholomew quist, can you call me back", "bartholomew quist"),
    ("hello dr abernethy, my knee is still sore", "abernethy"),
    ("my grandson elias can bring the forms friday", "elias"),
    ("thanks so much\nthaddeus", "thaddeus"),
    ("cant make it, i work at fenwick lumber on weekends", "fenwick lumber"),
    ("He drives for Tillbrook Fresh Express on weekdays.", "Tillbrook Fresh Express"),
    ("Employer: Harwell Cold Storage", "Harwell Cold Storage"),
    ("Address: 418 Juniper Hollow Rd Lot 22, Fernmoor, Ohio 44102", "418 Juniper Hollow Rd Lot 22"),
    ("Address: 418 Juniper Hollow Rd Lot 22, Fernmoor, Ohio 44102", "Fernmoor"),
    ("Mail to 77 Kestrel Ct Bldg D Apt 12\nOsprey's Rest, KY 40311", "77 Kestrel Ct Bldg D Apt 12"),
    ("Mail to 77 Kestrel Ct Bldg D Apt 12\nOsprey's Rest, KY 40311", "Osprey's Rest"),
    ("please mail it to 903 quarry hill rd apt 2, dunmore, PA 18509", "903 quarry hill rd apt 2"),
    ("please mail it to 903 quarry hill rd apt 2, dunmore, PA 18509", "dunmore"),
    ("call my cell (217) 555-0188 Ext. 42 after 5", "(217) 555-0188 Ext. 42"),
    ("Reached at 2175550199 extension 7", "2175550199 extension 7"),
    ("Date: Wed, 4 Feb 2026 09:12:00 -0600", "Wed, 4 Feb 2026"),
    ("Next fill due Nov-03.", "Nov-03"),
    ("On metformin since 03/2021.", "03/2021"),
    ("we moved in september 2024", "september 2024"),
    ("my appointment on march 9th got moved", "march 9th"),
    ("can i come in on the 14th?", "the 14th"),
    ("it started last fri (2/6)", "fri (2/6)"),
    ("Verified DOB and last 4 SSN 4417.", "4417"),
    ("her SSN is 512 33 0921", "512 33 0921"),
    ("Son's car (7KQW214) is parked in the bay.", "7KQW214"),
    ("State lic. RN.4471902 on file", "RN.4471902"),
    ("FIN 88Q120045 opened at triage.", "88Q120045"),
    ("Ticket QWR-7781 opened for the refund.", "QWR-7781"),
    ("matched by face scan (template a9f3c27e81bd)", "a9f3c27e81bd"),
    ("the serial number on the back says KX4471-220", "KX4471-220"),
]


@pytest.mark.parametrize(("text", "phi"), MORE_FORMS, ids=[p for _, p in MORE_FORMS])
def test_general_forms_of_names_places_dates_and_ids_are_removed(text, phi):
    out = deid.deidentify(text)
    start = text.index(phi)
    removed = {i for f in out.found for i in range(f.start, f.end)}
    assert all(i in removed for i in range(start, start + len(phi)) if text[i].isalnum()), out.text
    assert all(re.search(r"Found by: \w", line) for line in out.explanations())


# informal and clinical sentences that look like the forms above but hold no PHI
INFORMAL_LOOKALIKES = [
    "this is a follow-up visit for knee pain",
    "hi, my pain is worse today and i need a refill",
    "my son is driving me to the appointment",
    "Pain 6/10 at rest. Strength 4/5 RLE, 5/5 elsewhere.",
    "Return on the 3rd day after surgery. Use the 7th character for the encounter.",
    "Referred to Primary Care and Urgent Care. Home Health Care arranged.",
    "Follow-up in 2 weeks. Walk-in clinic hours. X-ray of the wrist. Roux-en-Y bypass.",
    "take 1 tab by mouth at bedtime and 2 tabs in the morning",
    "Patient Financial Services reviewed the balance. Social Services consulted.",
    "Upper Body strength training. Whole Body scan negative.",
    "Dear Team, thanks for the help.",
    "Good morning, doctor. I have a question.",
    "Prior authorization was requested in March and approved in April.",
    "Pt is a 45 yo with HTN, seen by the NP. Plan: PT/OT evaluation, Rx for PT.",
    "Non-smoker. Self-pay. Post-op day 2. Pre-op labs normal. Check-in at 7.",
    "stage 2 pressure injury, 3.2 x 1.1 cm; on the 2nd floor; the 1st dose given",
    "Centers for Medicare & Medicaid Services; Programs of All-Inclusive Care for the Elderly.",
]


@pytest.mark.parametrize("text", INFORMAL_LOOKALIKES)
def test_informal_and_clinical_lookalikes_are_not_taken_for_phi(text):
    assert [(f.text, f.rule) for f in deid.find_phi(text)] == []


CLINICAL_LOOKALIKES = [
    "Glasgow Coma Scale 15. Epworth Sleepiness Scale 12. Morse Fall Scale 45.",
    "Apgar 9 and 9. Tanner stage II. Gleason 3+4. Bishop score 8.",
    "Hashimoto thyroiditis, Crohn disease, Parkinson disease, Bell palsy, Baker cyst.",
    "Advair Diskus 250/50 one puff BID, Spiriva Respimat, ProAir HFA as needed.",
    "Metoprolol Succinate ER 50 mg. Lasix 40 mg. Norco 5/325 for pain. Keflex 500 mg QID.",
    "Started Xarelto and Jardiance; continue Synthroid. Ozempic held before surgery.",
    "Mayo Clinic protocol. Cleveland Clinic criteria. Johns Hopkins guideline.",
    "Whipple procedure in 2019. Nissen fundoplication. Roux-en-Y gastric bypass.",
    "Patient uses a Dexcom G7 and Omnipod 5. FreeStyle Libre readings reviewed.",
    "Referred to Physical Therapy. Discharged to Skilled Nursing Facility. Patient Education given.",
    "Good Samaritan Hospital and St. Joseph Medical Center are in network.",
    "Check CBC, CMP, Lipid Panel, TSH. HTN, HLD, DM2. Group #88213 on the claim.",
    "Temp 98.6 F, HR 92, RR 18, BP 142/90, SpO2 96% on room air. Glucose 95 mg/dL.",
]


@pytest.mark.parametrize("text", CLINICAL_LOOKALIKES)
def test_eponyms_brands_and_clinical_capitals_are_not_taken_for_phi(text):
    assert [(f.text, f.rule) for f in deid.find_phi(text)] == []


def test_general_word_lists_ship_with_their_provenance():
    folder = deid_notes.dataset_dir() / "names"
    readme = (folder / "README.md").read_text()
    for name, at_least in [("first_names.txt", 10_000), ("last_names.txt", 10_000),
                           ("us_places.txt", 10_000), ("common_words.txt", 50_000)]:  # fmt: skip
        words = (folder / name).read_text(encoding="utf-8").split("\n")
        assert len(words) > at_least and f"`{name}`" in readme
    assert "MIT" in readme and "CC BY 4.0" in readme and "Kevin Atkinson" in readme
    assert "faker" not in (datasets_dir().parent / "pyproject.toml").read_text().lower()


def test_evaluate_definitions_on_a_hand_made_note():
    note = {
        "text": "Pt Esme Okafor, fax 217-555-0199, seen 3/4/2026. BP 120/80.",
        "spans": [
            {"start": 3, "end": 14, "category": "NAME"},
            {"start": 20, "end": 32, "category": "FAX"},
            {"start": 39, "end": 47, "category": "DATE"},
        ],
    }
    score = deid.evaluate([note])
    assert score.recall == 1 and score.precision == 1

    # a finder that misses the date and flags the blood pressure
    def half(text):
        return [deid.Found(3, 14, "NAME", "", "x"), deid.Found(20, 32, "PHONE", "", "x"),
                deid.Found(52, 58, "DATE", "", "x")]  # fmt: skip

    score = deid.evaluate([note], find=half)
    assert score.recall == pytest.approx(2 / 3)
    assert score.precision == pytest.approx(2 / 3)
    assert score.by_category["FAX"]["recall"] == 1  # removed, though found as a phone
    assert score.by_category["DATE"]["recall"] == 0 and score.by_category["DATE"]["precision"] == 0
    assert [m[1:] for m in score.missed] == [("DATE", "3/4/2026")]


# -- explanations and tags ----------------------------------------------------------------------
def test_each_span_is_explained_with_its_safe_harbor_paragraph():
    out = deid.deidentify(
        "Seen 03/14/2026. SSN 123-45-6789. Daughter Priya Okafor, ph (217) 555-0143."
    )
    lines = out.explanations()
    assert lines[0].startswith("'03/14/2026' is a date element other than the year")
    assert "Safe Harbor (C)" in lines[0]
    assert any("'123-45-6789' is a Social Security number: Safe Harbor (G)" in x for x in lines)
    assert any("'Priya Okafor'" in x and "Safe Harbor (A)" in x for x in lines)
    assert any("'(217) 555-0143' is a telephone number: Safe Harbor (D)" in x for x in lines)
    assert all("Found by: " in x for x in lines)


def test_dates_keep_the_year_unless_it_shows_an_age_over_89():
    text = "DOB 02/11/1931. Seen 3/14/2026 and on Mar 20. Age: 95."
    out = deid.deidentify(text).text
    assert out == "DOB [DATE]. Seen [DATE 2026] and on [DATE]. Age: [AGE 90+]."


def test_distractors_are_not_phi():
    text = "Dx E11.9, I10; CPT 99214, 36415. BP 132/84, HR 72. Metformin 500 mg. State: IL. In 2019. NPI 1234567893. 45 yo."
    assert deid.find_phi(text) == []


def test_phi_free_clinical_text_is_left_alone():
    # the 101 coding cases: vignettes, rationales and guidelines without any identifier
    data = json.loads((datasets_dir() / "cases" / "cases.json").read_text())
    cases = data if isinstance(data, list) else data["cases"]
    texts = [v for c in cases for v in c.values() if isinstance(v, str) and len(v) > 40]
    assert sum(map(len, texts)) > 40_000
    flagged = [f.text for t in texts for f in deid.find_phi(t)]
    assert flagged == []


@pytest.mark.parametrize("note", NOTES[:60], ids=lambda n: n["id"])
def test_deidentifying_twice_changes_nothing(note):
    once = deid.deidentify_text(note["text"])
    assert deid.deidentify_text(once) == once


def test_no_labelled_value_survives_in_the_output():
    for n in NOTES:
        out = deid.deidentify_text(n["text"])
        for s in n["spans"]:
            if s["category"] != "DATE" and len(s["text"]) > 3:
                assert s["text"] not in out, (n["id"], s)


# -- property tests: any identifier in any template is removed ------------------------------------
TEMPLATES = [
    t
    for set_ in (deid_notes.TUNING_TEMPLATES, deid_notes.DEV_TEMPLATES)
    for kind in set_.values()
    for t in kind
]
ssns = st.builds(
    lambda a, g, s: f"{a:03d}-{g:02d}-{s:04d}",
    st.integers(1, 899),
    st.integers(1, 99),
    st.integers(1, 9999),
)
phones = st.builds(
    lambda fmt, a, b, c: fmt.format(a=a, b=b, c=c),
    st.sampled_from(["({a}) {b}-{c}", "{a}-{b}-{c}", "{a}.{b}.{c}", "+1 {a}-{b}-{c}"]),
    st.integers(201, 989), st.integers(200, 999), st.integers(0, 9999).map(lambda n: f"{n:04d}"),
)  # fmt: skip
emails = st.builds(
    lambda u, d, t: f"{u}@{d}.{t}",
    st.from_regex(r"[a-z][a-z0-9._]{0,12}[a-z0-9]", fullmatch=True),
    st.from_regex(r"[a-z][a-z0-9-]{1,10}[a-z]", fullmatch=True),
    st.sampled_from(["com", "org", "net", "example"]),
)


DEV_SET = {t for kind in deid_notes.DEV_TEMPLATES.values() for t in kind}


def _note_with(template: str, field: str, value: str, seed: int) -> tuple[str, list[dict]]:
    values = deid_notes._values(random.Random(seed), "dev" if template in DEV_SET else "tuning")
    values[field] = (value, values[field][1])
    return deid_notes.fill(template, values)


@settings(max_examples=60, deadline=None)
@given(
    template=st.sampled_from([t for t in TEMPLATES if "{ssn}" in t]),
    ssn=ssns,
    seed=st.integers(0, 10**6),
)
def test_any_ssn_in_any_template_is_removed(template, ssn, seed):
    text, _ = _note_with(template, "ssn", ssn, seed)
    out = deid.deidentify_text(text)
    assert ssn not in out and ssn[-4:] + "\n" not in out


@settings(max_examples=60, deadline=None)
@given(
    template=st.sampled_from([t for t in TEMPLATES if "{phone}" in t]),
    phone=phones,
    seed=st.integers(0, 10**6),
)
def test_any_phone_in_any_template_is_removed(template, phone, seed):
    text, _ = _note_with(template, "phone", phone, seed)
    out = deid.deidentify_text(text)
    digits = re.sub(r"\D", "", phone)[-10:]
    assert digits not in re.sub(r"\D", "", out)


@settings(max_examples=60, deadline=None)
@given(
    template=st.sampled_from([t for t in TEMPLATES if "{email}" in t]),
    email=emails,
    seed=st.integers(0, 10**6),
)
def test_any_email_in_any_template_is_removed(template, email, seed):
    text, _ = _note_with(template, "email", email, seed)
    assert "@" not in deid.deidentify_text(text)


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 10**9), style=st.sampled_from(sorted(deid_notes.PROFILES)))
def test_deidentify_is_stable_on_any_generated_note(seed, style):
    note = deid_notes.generate_note(random.Random(seed), style)
    once = deid.deidentify_text(note["text"])
    assert deid.deidentify_text(once) == once


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=300))
def test_any_text_is_handled_and_stable(text):
    once = deid.deidentify_text(text)
    assert deid.deidentify_text(once) == once
    for f in deid.find_phi(text):
        assert text[f.start : f.end] == f.text and f.category in deid.CATEGORIES


# -- data exports ----------------------------------------------------------------------------------
def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account": ["CBF-00001", "CBF-00002", "CBF-00003"],
            "first": ["Esme", "Bram", "Odette"], "last": ["Okafor", "Galloway", "Iwasaki"],
            "dob": [dt.date(1931, 2, 11), dt.date(1980, 4, 2), dt.date(2001, 12, 30)],
            "age": [95, 46, 24], "sex": ["F", "M", "F"],
            "street": ["12 Heron Way", "4 Quarry Ln", "9 Orchard St"],
            "city": ["Harlow", "Cedar Bluff", "Wren Falls"], "state": ["IL", "IL", "WY"],
            "zip": ["62901-1234", "62903", "82301"], "phone": ["2175550143", "", None],
            "ssn": ["123-45-6789", "234-56-7890", "345-67-8901"],
            "member_id": ["EVG123456789", "SMI987654321", ""],
            "date_of_service": pd.to_datetime(["2026-03-14", "2026-04-01", "2025-12-31"]),
            "cpt": ["99214", "99213", "99203"],
            "note": ["Seen by Dr. Okafor on 3/14/2026.", "Call (217) 555-0143.", ""],
        }
    )  # fmt: skip


def test_export_is_deidentified_column_by_column():
    out, actions = deid.deidentify_frame(_frame(), as_of=dt.date(2026, 6, 1))
    assert list(out.columns) == ["dob_year", "age", "sex", "state", "zip3", "date_of_service_year", "cpt", "note"]  # fmt: skip
    assert out["zip3"].tolist() == ["629", "629", "000"]  # 823 is a restricted ZIP3
    assert out["dob_year"].tolist() == ["1936 or earlier", 1980, 2001]
    assert out["age"].tolist() == ["90 or older", 46, 24]
    assert out["date_of_service_year"].tolist() == [2026, 2026, 2025]
    assert out["note"].tolist() == ["Seen by Dr. [NAME] on [DATE 2026].", "Call [PHONE].", ""]
    csv = out.to_csv(index=False)
    assert not any(z in csv for z in ("62901", "62903", "82301", "1234"))  # no ZIP5 or ZIP+4
    assert not re.search(r"\d{1,2}/\d{1,2}/|\d{4}-\d\d-\d\d", csv)  # no full dates
    assert "Okafor" not in csv and "6789" not in csv and "Harlow" not in csv
    why = {a.column: a for a in actions}
    assert why["ssn"].action == "dropped" and "Safe Harbor (G)" in why["ssn"].reason
    assert why["zip"].action == "generalised" and why["cpt"].action == "kept"


@pytest.mark.parametrize(
    ("value", "expected"), [("62901", "629"), ("03601-0001", "000"), ("893", ""), ("", ""), (62901, "629")]
)  # fmt: skip
def test_generalise_zip(value, expected):
    assert deid.generalise_zip(value) == expected


def test_cli_export_deidentified_has_no_identifiers(tmp_path, run_cli):
    db = tmp_path / "p.sqlite"
    assert run_cli("practice", "generate", "--db", str(db), "--patients", "12", "--seed", "4").returncode == 0  # fmt: skip
    out = run_cli("practice", "export", "patients", "--db", str(db), "--deidentify", "--as-of", "2026-11-01")  # fmt: skip
    assert out.returncode == 0, out.stderr
    header, *rows = out.stdout.strip().splitlines()
    assert header.split(",") == ["dob_year", "age", "sex", "state", "zip3", "payer", "first_visit_year", "last_visit_year", "visits"]  # fmt: skip
    assert len(rows) == 12
    assert not re.search(r"\b\d{5}\b|\d{4}-\d\d-\d\d|CBF-", out.stdout)


def test_cli_export_requires_a_mode_and_reports_bad_input_in_one_line(tmp_path, run_cli):
    db = tmp_path / "p.sqlite"
    out = run_cli("practice", "export", "patients", "--db", str(db))
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1
    assert "--deidentify" in out.stderr and "--masked" in out.stderr
    bad = run_cli(
        "practice",
        "export",
        "patients",
        "--db",
        str(db),
        "--masked",
        "-o",
        str(tmp_path / "no" / "x.csv"),
    )
    assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 1
    assert "Traceback" not in bad.stderr
