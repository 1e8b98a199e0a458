"""Every lesson opens with the learning-path header and ends with a link to the next lesson,
both as the path's one table (medbill_lab.training.lesson_path) writes them, and the README
lists the same path.  A self-learner can follow 01 to 15 by the links alone."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from medbill_lab.training import lesson_path
from medbill_lab.training.lesson_path import LESSONS

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+\.ipynb)\)")
FIX = "run lesson_path.sync(Path('notebooks')) after changing the path's table"
WORD = re.compile(r"[A-Za-z0-9][\w'’.-]*")
# Lessons brought to the depth of 01-05 (issue 15, part 6): at least this many words of prose
DEEP = {8: 1100, 9: 1100, 10: 1100, 11: 1100, 12: 1100}


def _lesson(number: int) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / lesson_path.lesson(number).filename, as_version=4)


def _markdown(nb: nbformat.NotebookNode) -> str:
    """The lesson's markdown with fenced code blocks taken out."""
    text = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return re.sub(r"```.*?```", "", text, flags=re.S)


def test_the_path_is_exactly_the_lesson_notebooks_in_order():
    on_disk = sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    assert [x.filename for x in LESSONS] == on_disk
    assert [x.number for x in LESSONS] == list(range(1, len(LESSONS) + 1))


def test_each_lesson_assumes_only_earlier_lessons_and_teaches_three_to_five_things():
    for item in LESSONS:
        assert all(1 <= n < item.number for n in item.assumes), item.label
        assert 3 <= len(item.teaches) <= 5, item.label
        assert 15 <= item.minutes <= 120 and item.about and item.part in lesson_path.PARTS
    assert LESSONS[0].assumes == () and all(x.assumes for x in LESSONS[1:])


@pytest.mark.parametrize("item", LESSONS, ids=lambda x: f"{x.number:02d}")
def test_the_lesson_opens_with_the_path_header(item):
    first = _lesson(item.number).cells[0]
    assert first.cell_type == "markdown"
    assert first.source == lesson_path.header_markdown(item.number), FIX
    header = first.source
    assert header.startswith(f"# {item.number:02d} · {item.title}\n")
    assert f"**Lesson {item.number} of 15 · Part {item.part}: " in header
    for label in ("**Where it sits:**", "**Assumes:**", "**Time to allow:**"):
        assert label in header
    # every lesson it assumes is a link that opens that lesson's file
    assumed = [NOTEBOOKS / target for _, target in LINK.findall(header)]
    assert assumed == [NOTEBOOKS / lesson_path.lesson(n).filename for n in item.assumes]
    assert all(p.is_file() for p in assumed)


@pytest.mark.parametrize("item", LESSONS, ids=lambda x: f"{x.number:02d}")
def test_the_lesson_has_one_title_in_the_one_style(item):
    titles = re.findall(r"^# .*$", _markdown(_lesson(item.number)), flags=re.M)
    assert titles == [f"# {item.number:02d} · {item.title}"]


@pytest.mark.parametrize("item", LESSONS, ids=lambda x: f"{x.number:02d}")
def test_the_lesson_ends_with_a_link_to_the_next(item):
    last = _lesson(item.number).cells[-1]
    assert last.cell_type == "markdown"
    assert last.source == lesson_path.footer_markdown(item.number), FIX
    links = LINK.findall(last.source)
    if item.number < len(LESSONS):
        nxt = lesson_path.lesson(item.number + 1)
        assert links == [(nxt.label, nxt.filename)]
        # the link opens the next lesson, whose own header names it the same way
        assert _lesson(nxt.number).cells[0].source.startswith(f"# {links[0][0]}\n")
    else:  # the last lesson says what comes next and links back to the start
        assert links == [(LESSONS[0].label, LESSONS[0].filename)]
        assert "mock exam" in last.source and "medbill-lab serve" in last.source
    assert all((NOTEBOOKS / target).is_file() for _, target in links)


def test_following_the_next_links_from_01_visits_every_lesson_once():
    seen, path = [], LESSONS[0].filename
    while path not in seen:
        seen.append(path)
        nb = nbformat.read(NOTEBOOKS / path, as_version=4)
        path = LINK.findall(nb.cells[-1].source)[0][1]
    assert seen == [x.filename for x in LESSONS] and path == LESSONS[0].filename


def test_the_readme_lists_the_same_path():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- learning-path:[^>]*-->\n(.*?)\n<!-- /learning-path -->", readme, re.S)
    assert block, "README has no learning-path block"
    assert block.group(1) == lesson_path.readme_markdown()
    targets = [target for _, target in LINK.findall(block.group(1))]
    assert targets == [f"notebooks/{x.filename}" for x in LESSONS]
    assert all((ROOT / t).is_file() for t in targets)


def test_an_unknown_lesson_number_is_refused():
    with pytest.raises(ValueError, match="lessons 1-15"):
        lesson_path.header_markdown(16)
    with pytest.raises(ValueError, match="no lesson 0"):
        lesson_path.footer_markdown(0)


def test_sync_puts_back_a_header_and_link_that_drifted(tmp_path):
    for item in LESSONS:
        (tmp_path / item.filename).write_bytes((NOTEBOOKS / item.filename).read_bytes())
    nb = nbformat.read(tmp_path / LESSONS[7].filename, as_version=4)
    nb.cells[0].source = nb.cells[0].source.replace("about 60 minutes", "about 5 minutes")
    nb.cells.pop()  # the next link lost
    nbformat.write(nb, tmp_path / LESSONS[7].filename)
    assert lesson_path.sync(tmp_path) == [tmp_path / LESSONS[7].filename]
    fixed = nbformat.read(tmp_path / LESSONS[7].filename, as_version=4)
    assert fixed.cells[0].source == lesson_path.header_markdown(8)
    assert fixed.cells[-1].source == lesson_path.footer_markdown(8)
    assert len(fixed.cells) == len(_lesson(8).cells)
    assert lesson_path.sync(tmp_path) == []  # nothing left to change


@pytest.mark.parametrize("number", sorted(DEEP), ids=lambda n: f"{n:02d}")
def test_a_deepened_lesson_has_the_words_of_lessons_01_to_05(number):
    nb = _lesson(number)
    body = nbformat.v4.new_notebook(cells=nb.cells[1:-1])  # without the header and next link
    words = len(WORD.findall(_markdown(body)))
    assert DEEP[number] <= words <= 2100, f"lesson {number:02d} has {words} words of prose"
