"""The reader of outside X12 files (Remittance app, Claim builder): what a learner sees after
picking a sample or uploading a 999, 277CA or 835, and the friendly answer to bad input."""

from __future__ import annotations

import csv
import datetime as dt
import html
import os
import re
from pathlib import Path

import pytest

from medbill_lab.apps.claim_builder import claim_builder
from medbill_lab.apps.file_reader import (
    MAX_BYTES,
    NO_837P,
    WRONG_837P,
    file_reader,
    read_html,
    sample_files,
    samples_dir,
)
from medbill_lab.claims import model as claims
from medbill_lab.datasets import datasets_dir
from medbill_lab.x12 import core, x837p
from medbill_lab.x12.reading import plain_lines, read_file

ACK = "own-999-rejects-charge-and-date.txt"
ACK_837P = "own-837p-bad-charge-and-date.837"
COB_ACK, COB_837P = "own-999-rejects-amt-2320.txt", "own-cob-bad-amt-for-999.837"
FRIENDLY = 'class="mbl-msg"'


def text_of(page: str) -> str:
    """The words a learner reads: tags and the style sheet removed, entities decoded."""
    body = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def upload(widget, name: str, data: bytes) -> None:
    """Set a FileUpload as the browser does after a learner chooses a file."""
    widget.value = (
        {
            "name": name,
            "type": "text/plain",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        },
    )


def sample(name: str) -> bytes:
    return (samples_dir() / name).read_bytes()


@pytest.fixture
def reader():
    return file_reader().reader


def test_picked_999_shows_verdict_and_traces_each_error_to_claim_and_item(reader):
    reader.pick.value = ACK
    page = text_of(reader.output.value)
    assert "999 acknowledgment: rejected (0 of 1 set(s) accepted)" in page
    assert "background:#b71c1c" in reader.output.value  # the verdict's badge is red
    # the SV1 charge error: claim 1, item 24F; the DTP date error: claim 2, item 24A
    assert "claim MGF-10231 (claim 1 in the 837P), CMS-1500 item 24F" in page
    assert "element 2: element has an invalid character (6), value '1S'" in page
    assert "claim CHP-5521 (claim 2 in the 837P), CMS-1500 item 24A" in page
    assert "element 3: element has an invalid date (8), value '20251134'" in page
    assert NO_837P not in page and FRIENDLY not in reader.output.value


def test_picked_accepted_999_is_green_and_names_no_error(reader):
    reader.pick.value = "ims-999-accepted.txt"
    page = text_of(reader.output.value)
    assert "999 acknowledgment: accepted (1 of 1 set(s) accepted)" in page
    assert "background:#2e7d32" in reader.output.value
    assert "segment has" not in page and NO_837P not in page


def test_uploaded_999_alone_asks_for_its_837p_then_traces_with_it(reader):
    upload(reader.upload, "ack.999", sample(ACK))
    page = text_of(reader.output.value)
    assert "ack.999" in page and "999 acknowledgment: rejected" in page
    assert "SV1 at segment 28 of the set, loop 2400" in page
    assert "CMS-1500 item 24" not in page and NO_837P in page
    upload(reader.claims_upload, "claims.837", sample(ACK_837P))
    page = text_of(reader.output.value)
    assert "CMS-1500 item 24F" in page and "CMS-1500 item 24A" in page
    assert NO_837P not in page


def test_999_with_an_837p_it_does_not_answer_says_so(reader):
    upload(reader.claims_upload, "other.837", sample(COB_837P))
    assert "Now upload the 999" in text_of(reader.output.value)
    upload(reader.upload, "ack.999", sample(ACK))
    page = text_of(reader.output.value)
    assert WRONG_837P in page and "CMS-1500 item 24" not in page
    assert "999 acknowledgment: rejected" in page


def test_cob_999_names_its_claim_in_loop_2320(reader):
    reader.pick.value = COB_ACK
    page = text_of(reader.output.value)
    assert "AMT at segment 21 of the set, loop 2320" in page
    assert "claim SMPCOB01 (claim 1 in the 837P)" in page
    assert "value '15O.00'" in page


def test_277ca_says_each_claims_category_and_status_in_words(reader):
    reader.pick.value = "own-277ca-a2-and-a7.txt"
    page = text_of(reader.output.value)
    assert "277CA claim acknowledgment: 1 accepted, 1 rejected" in page
    assert "Claim SMPCOB01 (payer claim SMPPAYERICN01): accepted" in page
    assert "A2 = acknowledged: accepted into the payer's adjudication system" in page
    assert "Claim SMPCOB02: rejected" in page
    assert "A7 = acknowledged: rejected for invalid information" in page
    assert "status 164" in page and "(IL = insured or subscriber)" in page
    assert "1 accepted" in page and "1 rejected" in page  # the badges


def test_public_277ca_with_pipe_separator_reads_its_rejection(reader):
    upload(reader.upload, "medicaid.277", sample("ims-277ca-rejected.txt"))
    page = text_of(reader.output.value)
    assert "0 accepted, 1 rejected" in page
    assert "status 562 = the entity's National Provider Identifier (NPI)" in page
    assert "(85 = billing provider)" in page
    assert ">1 rejected</span>" in reader.output.value
    assert ">0 accepted</span>" not in reader.output.value  # no badge for nothing


def test_uploaded_835_reads_like_an_eob(reader):
    upload(reader.upload, "uhc.txt", sample("edi835parser-uhc-legacy.txt"))
    page = text_of(reader.output.value)
    assert "835 remittance advice (005010X221A1)" in page
    assert "CO = contractual obligation" in page and "CARC 45 =" in page
    assert "payment 349.99" in page  # the badge: BPR02


def test_835_service_dates_read_as_dates_and_an_undated_line_has_no_gap():
    # DTM*472*D8*20201221 is said as the 837 reading says dates; lfh's lines carry only a
    # service period (DTM*150/151), said as a period, and an empty PLB reference
    # leaves no space before the colon
    uhc = plain_lines(read_file(sample("edi835parser-uhc-legacy.txt")))
    assert "    Service B4152 2020-12-21: charged 156.42, paid 88.92, units 234" in uhc
    assert not any("20201221" in line for line in uhc)
    lfh = plain_lines(read_file(sample("lfh-managed-care.835")))
    assert "    Service 99211 2002-03-01 to 2002-03-04: charged 800.00, paid 500.00, units 1" in lfh
    own = plain_lines(read_file(sample("own-status-19-20-21-23-25-moa-mia.835")))
    assert any(
        line.startswith("  Provider adjustment L6: -3.50 added to the payment") for line in own
    )
    assert not any(" :" in line for line in uhc + lfh + own)


@pytest.mark.parametrize("name", [f for _, f in sample_files()])
def test_every_sample_reads_in_the_same_words_as_the_cli(reader, name):
    reader.pick.value = name
    page = text_of(reader.output.value)
    assert FRIENDLY not in reader.output.value
    result = read_file(sample(name))
    if name in (ACK, COB_ACK):  # the CLI traces these too, with the 837P beside them
        result = read_file(sample(name), sample(ACK_837P if name == ACK else COB_837P))
    for line in plain_lines(result):
        assert html.unescape(re.sub(r"\s+", " ", line.strip())) in page


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "That file is empty"),
        (b"Dear billing office, please find our remittance attached.", "not an X12 file"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not an X12 file"),
        (b"\x89PNG\r\n\x1a\n" + os.urandom(512), "not an X12 file"),
        (b"ISA*00*", "not an X12 file"),
    ],
    ids=["empty", "letter", "pdf", "binary", "cut-isa"],
)
def test_bad_upload_gets_a_friendly_sentence(reader, data, says):
    upload(reader.upload, "upload.bin", data)
    page = reader.output.value
    assert FRIENDLY in page and says in text_of(page)
    assert "Traceback" not in page and "Error" not in text_of(page)
    assert text_of(page).count("not an X12 file") <= 1  # said once, not "not X12 (not X12: ..."


def test_oversized_upload_is_refused_politely():
    page = read_html(b"ISA" + b" " * MAX_BYTES)
    assert FRIENDLY in page and "larger than 5 MB" in text_of(page)


def test_837p_that_is_not_x12_still_shows_the_999():
    page = read_html(sample(ACK), b"\x00\x01binary")
    assert FRIENDLY in page and "837P file is not an X12 file" in text_of(page)
    assert "999 acknowledgment: rejected" in text_of(page)


def test_an_upload_resets_the_picker_and_a_pick_clears_the_uploads(reader):
    reader.pick.value = ACK
    upload(reader.upload, "remit.835", sample("lfh-managed-care.835"))
    assert reader.pick.value == ""  # the page shows the upload, not the sample
    page = text_of(reader.output.value)
    assert "835 remittance advice" in page and "999 acknowledgment" not in page
    upload(reader.claims_upload, "claims.837", sample(ACK_837P))
    reader.pick.value = "own-277ca-a2-and-a7.txt"
    assert reader.upload.value == () and reader.claims_upload.value == ()
    page = text_of(reader.output.value)
    assert "277CA claim acknowledgment" in page and "remit.835" not in page


def test_clearing_the_picker_clears_the_page(reader):
    reader.pick.value = ACK
    reader.pick.value = ""
    assert reader.output.value == ""


def test_claim_builder_reads_the_clearinghouse_answers():
    box = claim_builder()
    offered = [f for _, f in box.reader.pick.options if f]
    assert offered and {f.split("-")[0] for f in offered} <= {"own", "ims"}
    kinds = {row["file"]: row["kind"] for row in samples_csv()}
    assert {kinds[f] for f in offered} == {"999", "277CA"}  # no 835 or 837P here
    box.reader.pick.value = ACK
    page = text_of(box.reader.output.value)
    assert "999 acknowledgment: rejected" in page and "CMS-1500 item 24F" in page
    assert box.builder.original is not None  # the builder itself still loads its claim


def samples_csv() -> list[dict[str, str]]:
    with (samples_dir() / "samples.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_samples_csv_lists_every_shipped_file_and_the_readme_names_each():
    listed = {row["file"] for row in samples_csv()}
    shipped = {p.name for p in samples_dir().iterdir()} - {
        "README.md",
        "samples.csv",
        "LICENSES.txt",
    }
    assert listed == shipped
    readme = (samples_dir() / "README.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in readme for name in shipped)


def test_every_public_sample_has_its_licence_text_in_the_folder():
    # datasets/ ships to learners without tests/data/x12, whose README names the licences;
    # BSD 3-clause and MIT ask that the notice and conditions go with the copies
    licences = (samples_dir() / "LICENSES.txt").read_text(encoding="utf-8")
    public = [row["file"] for row in samples_csv() if not row["file"].startswith("own-")]
    assert public and all(name in licences for name in public)
    assert "Copyright (c) 2015, Information Management Services, Inc." in licences
    assert "Neither the name of the National Cancer Institute" in licences  # BSD clause 3
    assert "The above copyright notice and this permission notice shall be included" in licences
    assert "Apache License" in licences and "Version 2.0, January 2004" in licences


def test_the_own_837p_is_our_writer_with_two_values_broken_as_the_readme_says():
    loaded = [
        claims.load(datasets_dir() / "claims" / name)
        for name in ("clean-01-htn-hld-followup.json", "clean-02-strep-child.json")
    ]
    text = x837p.to_837p(loaded, control_number=5001, when=dt.datetime(2026, 12, 1, 9, 0))
    bad = text.replace("SV1*HC:36415*15*UN", "SV1*HC:36415*1S*UN").replace(
        "DTP*472*D8*20251104~", "DTP*472*D8*20251134~", 1
    )
    assert sample(ACK_837P).decode() == bad.replace("~", "~\n")
    found = x837p.validate_837p(bad).errors
    assert [(e.element, e.code) for e in found] == [("SV102", "6"), ("DTP03", "8")]
    assert core.validate(sample(ACK).decode()).ok  # the 999 itself is a valid 999


def test_copied_samples_are_byte_for_byte_the_corpus_files():
    corpus = Path(__file__).resolve().parents[1] / "data" / "x12"
    new_here = {ACK, ACK_837P}  # written for x12_samples (the test above rebuilds them)
    for row in samples_csv():
        if row["file"] in new_here:
            continue
        (original,) = corpus.rglob(row["file"])
        assert sample(row["file"]) == original.read_bytes(), row["file"]
