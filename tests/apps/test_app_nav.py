"""Every app has a navigation bar back to the gallery, opening in the same tab, and the
gallery's cards open their apps in the same tab too (issue 15, part 5).

The nav bar is what each app notebook shows first: its first cell is run here as Voila
runs it, and the widget it shows is read."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import ipywidgets as w
import nbformat
import pytest

from medbill_lab.apps.kit import nav_bar, nav_html
from medbill_lab.server.serve import APPS, APPS_DIR, landing_html

APP_NOTEBOOKS = sorted(p for p in APPS_DIR.glob("*.ipynb") if p.name != "index.ipynb")


class Links(HTMLParser):
    """The <a> elements of an HTML fragment, as attribute dicts."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[dict[str, str | None]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append(dict(attrs))


def shown_first(path: Path) -> object:
    """What the notebook's first cell displays (its last expression), run as Voila runs it."""
    cell = nbformat.read(path, as_version=4).cells[0]
    assert cell.cell_type == "code", f"{path.name} does not open with its nav bar"
    *body, last = cell.source.strip().splitlines()
    scope: dict = {}
    exec("\n".join(body), scope)
    return eval(last, scope)


def title(path: Path) -> str:
    """The notebook's heading (its first markdown cell's '# ...' line)."""
    md = next(c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
    return md.source.splitlines()[0].removeprefix("# ").strip()


def test_every_app_in_the_gallery_has_a_notebook_here():
    assert {p.name for p in APP_NOTEBOOKS} == {nb for _, nb, _, _ in APPS}


@pytest.mark.parametrize("path", APP_NOTEBOOKS, ids=lambda p: p.stem)
def test_each_app_opens_with_a_nav_bar_back_to_the_gallery_in_the_same_tab(path):
    bar = shown_first(path)
    assert isinstance(bar, w.HTML)
    links = Links(bar.value).links
    assert links == [{"href": "index.ipynb", "target": "_self"}]
    assert (APPS_DIR / "index.ipynb").is_file()  # the link's target exists beside the app
    assert f'aria-current="page">{title(path)}</span>' in bar.value


@pytest.mark.parametrize("path", APP_NOTEBOOKS, ids=lambda p: p.stem)
def test_the_old_inline_back_link_is_gone(path):
    text = "".join(c.source for c in nbformat.read(path, as_version=4).cells)
    assert "[Back to the gallery]" not in text


def test_an_app_title_is_shown_as_text_never_as_markup():
    value = nav_bar('<img src=x onerror="alert(1)">').value
    assert "<img" not in value and "&lt;img" in value
    assert len(Links(nav_html("A <a href='x'>B</a>")).links) == 1


def test_every_gallery_card_opens_its_app_in_the_same_tab():
    cards = [a for a in Links(landing_html()).links if a.get("class") == "mbl-card"]
    assert [a["href"] for a in cards] == [nb for _, nb, _, _ in APPS]
    assert {a["target"] for a in cards} == {"_self"}
    assert all((APPS_DIR / a["href"]).is_file() for a in cards)
