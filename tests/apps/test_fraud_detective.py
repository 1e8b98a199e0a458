"""The Fraud detective lists the claim lines of the provider under review, a line is flagged
from the list with its scheme, and the flags are scored line by line against the hidden key."""

from __future__ import annotations

import re
from html import unescape

import pytest

from medbill_lab.apps.fraud_detective import PAGE_LINES, fraud_detective, line_label
from medbill_lab.compliance import fraud_lab

SEED, SCALE = 11, 0.1


@pytest.fixture(scope="module")
def lab():
    return fraud_lab.generate(SEED, SCALE)


@pytest.fixture(scope="module")
def app():
    return fraud_detective(SEED, SCALE).parts


@pytest.fixture()
def parts(app):
    app.find.value = ""
    for kept in app.flags.values():
        kept.clear()
    return app


def text(html: str) -> str:
    return re.sub(
        r"\s+", " ", unescape(re.sub(r"<style>.*?</style>|<[^>]+>", " ", html, flags=re.S))
    )


def listed(parts) -> list[int]:
    return [value for _, value in parts.line_list.options]


@pytest.mark.parametrize("provider", ["P003", "P041"])
def test_the_list_holds_the_providers_lines_with_every_field(parts, lab, provider):
    parts.pick.value = provider
    own = lab.claims[lab.claims["provider_id"] == provider]
    assert listed(parts) == own["line_id"].head(PAGE_LINES).tolist()
    assert f"of {len(own):,}" in parts.page_note.value and parts.earlier.disabled
    first = own.iloc[0]
    label = parts.line_list.options[0][0].replace("\u00a0", " ")
    assert label.startswith("  ")  # nothing flagged yet
    for value in (first.dos, first.member_id, first.patient_dob, first.code, first.payer_id):
        assert str(value) in label
    assert f"{first.charge:,.2f}" in label and str(first.pos) in label
    parts.later.click()
    assert listed(parts) == own["line_id"].iloc[PAGE_LINES : 2 * PAGE_LINES].tolist()
    assert not parts.earlier.disabled
    parts.earlier.click()
    assert listed(parts)[0] == first.line_id


def test_find_keeps_only_the_lines_that_hold_the_text(parts, lab):
    parts.pick.value = "P003"
    parts.find.value = "99214"
    own = lab.claims[lab.claims["provider_id"] == "P003"]
    holding = [r.line_id for r in own.itertuples() if "99214" in line_label(r)]
    assert holding and listed(parts) == holding[:PAGE_LINES]
    assert all("99214" in label for label, _ in parts.line_list.options)
    parts.find.value = "no such thing"
    assert listed(parts) == [] and "of 0" in parts.page_note.value and parts.later.disabled


def planted(lab, scheme: str) -> tuple[str, int]:
    row = lab.truth[lab.truth["scheme"] == scheme].iloc[0]
    return row["provider_id"], int(row["line_id"])


def test_a_line_flagged_from_the_list_is_scored_with_the_rule_that_finds_it(parts, lab):
    provider, line = planted(lab, "duplicate")
    parts.pick.value = provider
    parts.find.value = lab.claims.set_index("line_id").at[line, "dos"]
    assert line in listed(parts)
    honest = next(x for x in listed(parts) if x not in set(lab.truth["line_id"].dropna()))
    parts.line_list.value = (line, honest)
    parts.line_scheme.value = "duplicate"
    parts.flag_selected.click()
    assert parts.flags["duplicate"] == {line, honest}
    marked = {v for label, v in parts.line_list.options if label.startswith("\u2691")}
    assert marked == {line, honest}  # the list marks the flagged lines, and only those
    assert f"Duplicate billing: {min(line, honest)}, {max(line, honest)}" in text(parts.mine.value)
    parts.score.click()
    result = text(parts.result.value)
    assert "2 flagged, 1 right; precision 0.50" in result
    assert f"Right: line {line} was planted for Duplicate billing." in result
    assert "Rule DUPLICATE" in result  # the detector's explanation of that line
    assert f"Not planted: line {honest} is not one of the planted Duplicate billing lines" in result


def test_a_line_flagged_for_the_wrong_scheme_is_not_right(parts, lab):
    provider, line = planted(lab, "impossible_date")
    parts.pick.value = provider
    parts.find.value = str(line)
    parts.line_list.value = (line,)
    parts.line_scheme.value = "phantom_patient"
    parts.flag_selected.click()
    parts.score.click()
    assert f"Not planted: line {line} is not one of the planted Phantom patient lines" in text(
        parts.result.value
    )


def test_flagging_with_no_line_picked_says_so(parts):
    parts.line_list.value = ()
    parts.flag_selected.click()
    assert "Pick a claim line in the list first" in parts.notice.value
    assert not any(parts.flags.values())


def test_the_peer_table_says_the_provider_is_left_out(parts, lab):
    parts.pick.value = "P003"
    specialty = lab.providers.set_index("provider_id")["specialty"]
    others = int((specialty == specialty["P003"]).sum()) - 1
    html = text(parts.metrics.value)
    assert f"Peer median ({others} others)" in html
    assert "P003 is left out of its own peer figures" in html


@pytest.mark.parametrize("scheme", fraud_lab.PROVIDER_SCHEMES)
def test_a_provider_flagged_wrongly_is_told_so_in_plain_words(parts, lab, scheme):
    planted = set(lab.truth.loc[lab.truth["scheme"] == scheme, "provider_id"])
    honest = next(p for p in lab.providers["provider_id"] if p not in planted)
    right = sorted(planted)[0]
    parts.flags[scheme].update({honest, right})
    parts.score.click()
    result = text(parts.result.value)
    label = {"upcoding": "E/M upcoding", "modifier_overuse": "Modifier 25/59 overuse"}[scheme]
    assert f"Right: {right} was planted for {label}." in result
    assert f"Not planted: {honest} is not one of the planted {label} providers." in result
