"""Read an X12 file from outside: an 835 from a payer, a 999 or 277CA from the clearinghouse.

The Remittance app is this reader on its own; the Claim builder carries it for the 999 and
277CA that answer a claim. A learner picks a sample from ``datasets/x12_samples`` or uploads
a file (for a 999, also the 837P it answers, so each error names its claim and CMS-1500 item).
Every word comes from :mod:`medbill_lab.x12.reading`, the same text ``medbill-lab x12 read``
prints; this module only lays it out. Bad input (empty, too big, not X12, binary) gets a
friendly sentence, never a traceback.
"""

from __future__ import annotations

import csv
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as w

from medbill_lab.apps.kit import STYLE, TROUBLE, message
from medbill_lab.datasets import datasets_dir
from medbill_lab.x12.reader import NotX12
from medbill_lab.x12.reading import (
    acknowledged_837,
    acknowledgments,
    diagnostic_lines,
    read_file,
    trace_claims,
    transaction_lines,
)

Json = dict[str, Any]
MAX_BYTES = 5_000_000  # a day's remittances for a practice; a bigger file is not a lesson
ALL_KINDS = ("835", "999", "277CA")
OUTCOME_COLOURS = {"accepted": "#2e7d32", "rejected": "#b71c1c"}
STYLE_READER = """
<style>
.mbl-read {font-family: inherit; line-height: 1.45}
.mbl-read .mbl-l0 {font-weight: bold; margin-top: 10px}
.mbl-read .mbl-hint {color: #555; font-style: italic; margin: 4px 0}
.mbl-read .mbl-diag {color: #6d4c00}
</style>
"""


def samples_dir() -> Path:
    """The folder of sample files the reader offers (shipped with the datasets)."""
    return datasets_dir() / "x12_samples"


def sample_files(kinds: tuple[str, ...] = ALL_KINDS) -> list[tuple[str, str]]:
    """(label, file name) of the shipped samples of these kinds, in ``samples.csv`` order.

    >>> [f for _, f in sample_files(("277CA",))]
    ['own-277ca-a2-and-a7.txt', 'ims-277ca-rejected.txt']
    """
    with (samples_dir() / "samples.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [(r["label"], r["file"]) for r in rows if r["kind"] in kinds]


def _badge(text: str, colour: str) -> str:
    return f'<span class="mbl-badge" style="background:{colour}">{escape(text)}</span>'


def verdict_badge(tx: Json) -> str:
    """A coloured summary of one transaction: a 999's verdict, a 277CA's counts."""
    if "note" in tx:
        return _badge(tx["note"], "#757575")
    if tx["type"] == "999":
        status = tx.get("status", "")
        colour = {"A": "#2e7d32", "E": "#8d6e00", "P": "#8d6e00"}.get(status, "#b71c1c")
        return _badge(tx.get("status_text", "no verdict (AK9 missing)"), colour)
    if tx["type"] == "277CA":
        counts = [(tx["accepted"], "accepted"), (tx["rejected"], "rejected")]
        shown = [_badge(f"{n} {outcome}", OUTCOME_COLOURS[outcome]) for n, outcome in counts if n]
        return " ".join(shown) or _badge("no claim status", "#757575")
    if tx["type"] == "835":
        return _badge(f"payment {tx['payment'] or '0'}", "#1565c0")
    return _badge(f"{len(tx['claims'])} claim(s)", "#1565c0")


def _line_html(line: str, css: str = "") -> str:
    """One plain-language line, indented by its depth (two spaces a level)."""
    depth = (len(line) - len(line.lstrip(" "))) // 2
    cls = f"mbl-l{depth} {css}".strip()
    return f'<div class="{cls}" style="margin-left:{depth * 18}px">{escape(line.strip())}</div>'


def untraced(tx: Json) -> bool:
    """True for a 999 with errors that name no 837P segment (its 837P was not given)."""
    return tx.get("type") == "999" and any(
        "segment" not in error for one in tx.get("sets", []) for error in one["errors"]
    )


def _hint(text: str) -> str:
    return f'<div class="mbl-hint">{escape(text)}</div>'


NO_837P = "Add the 837P this 999 answers to see each error's claim and CMS-1500 item."
WRONG_837P = (
    "The 837P given does not hold the transaction set this 999 answers (its group and set "
    "control numbers, AK1-02 and AK2-02, are not in it), so the errors name no claim."
)


def reading_html(result: Json, claims_given: bool = False) -> str:
    """The whole reading laid out: per transaction a badge and its lines, then diagnostics.
    ``claims_given`` says an 837P was given for the 999s (it changes the hint when an error
    could not be traced)."""
    parts = [STYLE, STYLE_READER, '<div class="mbl-read">']
    parts.append(
        f"<p>{result['interchanges']} interchange(s), "
        f"{len(result['transactions'])} transaction(s)</p>"
    )
    for tx in result["transactions"]:
        parts.append(f"<div>{verdict_badge(tx)}</div>")
        parts += [_line_html(line) for line in transaction_lines(tx)]
        if untraced(tx):
            parts.append(_hint(WRONG_837P if claims_given else NO_837P))
    parts += [_line_html(line, "mbl-diag") for line in diagnostic_lines(result)]
    if not result["transactions"]:
        parts.append(_hint("The file holds no transaction set to explain."))
    parts.append("</div>")
    return "".join(parts)


def why_not_x12(exc: NotX12) -> str:
    """The reader's refusal as the end of a sentence, saying "not an X12 file" once.

    >>> why_not_x12(NotX12("not an X12 file: it does not start with an ISA segment"))
    'not an X12 file: it does not start with an ISA segment'
    """
    reason = str(exc).removeprefix("not an X12 file").lstrip(": ")
    return f"not an X12 file: {reason}" if reason else "not an X12 file"


def read_html(data: bytes, claims: bytes | None = None) -> str:
    """A file's bytes (and, for a 999, its 837P's) as the page shows them: the reading, or a
    friendly sentence for an empty, oversized or non-X12 file. Never raises."""
    if not data:
        return message("That file is empty. Choose an X12 file: an 835, 999 or 277CA.")
    if len(data) > MAX_BYTES or (claims is not None and len(claims) > MAX_BYTES):
        return message(
            f"That file is larger than {MAX_BYTES // 1_000_000} MB; this page reads one "
            "practice's files. Use medbill-lab x12 read for bigger ones."
        )
    try:
        result = read_file(data)
    except NotX12 as exc:
        return message(f"This is {why_not_x12(exc)}. An 835, 999 or 277CA starts with ISA.")
    except Exception:  # the page gets a sentence, never a traceback
        return message(TROUBLE)
    if not claims or not acknowledgments(result):
        return reading_html(result)
    try:
        for tx in acknowledgments(result):
            trace_claims(result, tx, claims, "The 837P given")
    except NotX12:
        return message(
            "The 837P file is not an X12 file, so the errors below name no claim."
        ) + reading_html(result)
    except Exception:  # an 837P the tracer cannot follow: the 999 still reads
        return message("The 837P could not be matched to this 999.") + reading_html(result)
    return reading_html(result, claims_given=True)


def read_sample(name: str) -> str:
    """A shipped sample read as the page shows it; a 999 is traced to the 837P beside it."""
    path = samples_dir() / name
    try:
        data = path.read_bytes()
        result = read_file(data)
        for tx in acknowledgments(result):
            claims = acknowledged_837(path, tx)
            if claims is not None:
                trace_claims(result, tx, claims.read_bytes(), claims.name)
    except NotX12 as exc:
        return message(f"This sample is {why_not_x12(exc)}.")
    except Exception:
        return message(TROUBLE)
    return reading_html(result)


def uploaded(upload: w.FileUpload) -> tuple[str, bytes] | None:
    """The (name, bytes) of a FileUpload's file, or None when nothing is uploaded."""
    if not upload.value:
        return None
    first = upload.value[0]
    return str(first.get("name", "")), bytes(first.get("content", b""))


class FileReader:
    """The widgets of one reader: a sample picker, two uploads and the reading."""

    def __init__(self, kinds: tuple[str, ...] = ALL_KINDS) -> None:
        self.kinds = kinds
        self.pick = w.Dropdown(
            options=[("Pick a sample file...", ""), *sample_files(kinds)],
            description="Sample",
            layout=w.Layout(width="90%"),
        )
        self.upload = w.FileUpload(description="Upload a file", multiple=False)
        self.claims_upload = w.FileUpload(
            description="its 837P (for a 999)", multiple=False, layout=w.Layout(width="auto")
        )
        self.output = w.HTML()
        self._switching = False  # set while one source clears the other
        self.pick.observe(lambda _: self.show_sample(), names="value")
        self.upload.observe(lambda _: self.show_upload(), names="value")
        self.claims_upload.observe(lambda _: self.show_upload(), names="value")
        self.widget = w.VBox([self.pick, w.HBox([self.upload, self.claims_upload]), self.output])

    def _quietly(self, widget: w.ValueWidget, value: object) -> None:
        """Set another source's value without its observer reading it."""
        self._switching = True
        try:
            widget.value = value
        finally:
            self._switching = False

    def show_sample(self) -> None:
        """Read the picked sample (nothing picked clears the page). The uploads are
        cleared, so the page shows one file under one chosen source."""
        if self._switching:
            return
        self._quietly(self.upload, ())
        self._quietly(self.claims_upload, ())
        self.output.value = read_sample(self.pick.value) if self.pick.value else ""

    def show_upload(self) -> None:
        """Read the uploaded file, traced to the uploaded 837P when there is one; the
        sample picker goes back to its prompt."""
        if self._switching:
            return
        self._quietly(self.pick, "")
        try:
            got = uploaded(self.upload)
            if got is None:
                if uploaded(self.claims_upload) is not None:
                    self.output.value = message(
                        "Now upload the 999 (or 277CA) with the first button."
                    )
                return
            name, data = got
            claims = uploaded(self.claims_upload)
            body = read_html(data, claims[1] if claims else None)
            self.output.value = f"{STYLE}<p><b>{escape(name)}</b></p>{body}"
        except Exception:  # the page gets a sentence, never a traceback
            self.output.value = message(TROUBLE)


def file_reader(kinds: tuple[str, ...] = ALL_KINDS) -> w.VBox:
    """The reader of outside X12 files (``kinds`` limits the samples offered)."""
    reader = FileReader(kinds)
    box = reader.widget
    box.reader = reader
    return box
