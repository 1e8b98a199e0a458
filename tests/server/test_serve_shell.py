"""The app shell as a visitor meets it: ``http://localhost:<port>/`` opens the gallery (not
Voila's raw file list), and ``medbill-lab serve`` starts and renders an app without the
"not trusted" and unencrypted-TCP warnings it used to print.

One server (no preheated pool, so the first page starts its kernel in front of us) serves
every test here; the log checks read what it printed while starting and rendering."""

from __future__ import annotations

import http.client
import re
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import nbformat
import pytest
from serve_helpers import lab_server

from medbill_lab.server.serve import APPS_DIR
from medbill_lab.server.voila_app import app_notebooks, trusting_notary

GALLERY = "/voila/render/index.ipynb"


@pytest.fixture(scope="module")
def shell(tmp_path_factory):
    """``medbill-lab serve`` on a free port: (port, its log file)."""
    home = tmp_path_factory.mktemp("home")
    with lab_server(home, "--pool-size", "0", "--max-kernels", "2") as (port, log):
        yield port, log


def get(port: int, path: str, host: str = "localhost") -> http.client.HTTPResponse:
    """One GET, redirects not followed; the response with its body read."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=90)
    conn.request("GET", path, headers={"Host": f"{host}:{port}"})
    resp = conn.getresponse()
    resp.body = resp.read().decode("utf-8", "replace")  # type: ignore[attr-defined]
    conn.close()
    return resp


@pytest.fixture(scope="module")
def gallery_page(shell):
    """The page ``/`` leads to, reached by following its redirect as a browser does."""
    port, _ = shell
    first = get(port, "/")
    assert first.status == 302, first.body[:300]
    return first.getheader("Location"), get(port, first.getheader("Location"))


def test_the_root_url_redirects_to_the_gallery_and_it_renders(gallery_page):
    location, page = gallery_page
    assert location == GALLERY
    assert page.status == 200
    assert "Pick an app" in page.body and "Voil\u00e0 Home" not in page.body
    # the gallery's cards (its output, sent as JSON in the page) link the apps
    assert '\\"mbl-card\\" href=\\"encoder.ipynb\\"' in page.body


@pytest.mark.parametrize("path", ["/voila/tree", "/voila/tree/", "/voila/tree/index.ipynb"])
def test_the_file_list_is_not_shown_either(shell, path):
    port, _ = shell
    resp = get(port, path)
    assert (resp.status, resp.getheader("Location")) == (302, GALLERY)


def test_a_foreign_host_still_gets_403_at_the_root(shell):
    port, _ = shell
    resp = get(port, "/", host="evil.example")
    assert resp.status == 403 and resp.getheader("Location") is None


def post(port: int, path: str, cookie: str, body: str) -> http.client.HTTPResponse:
    """A form POST as the page's leaving beacon sends it."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    conn.request("POST", path, body=body, headers=headers)
    resp = conn.getresponse()
    resp.read()
    conn.close()
    return resp


def test_leaving_a_page_shuts_its_kernel_down(shell, gallery_page):
    """The page's beacon echoes the _xsrf cookie its render set; without it, a 403."""
    port, log = shell
    _, page = gallery_page
    cookie = SimpleCookie()
    for header in page.headers.get_all("Set-Cookie") or []:
        cookie.load(header)
    assert "_xsrf" in cookie, "the app page sets no _xsrf cookie"
    kernel = re.search(r'"kernelId": "([0-9a-f-]{36})"', page.body).group(1)
    xsrf = cookie["_xsrf"].value
    path = f"/voila/api/shutdown/{kernel}"
    assert post(port, path, f"_xsrf={xsrf}", "").status == 403  # the token must be echoed
    assert f"Kernel shutdown: {kernel}" not in log.read_text()
    assert post(port, path, f"_xsrf={xsrf}", urlencode({"_xsrf": xsrf})).status == 204
    deadline = time.monotonic() + 10
    while f"Kernel shutdown: {kernel}" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert f"Kernel shutdown: {kernel}" in log.read_text()


def test_startup_and_a_render_print_no_trust_or_tcp_warnings(shell, gallery_page):
    _, log = shell
    text = log.read_text()
    assert "Kernel started" in text  # the render did start a kernel in this log
    assert "is not trusted" not in text
    assert "without encryption" not in text
    assert "DeprecationWarning" not in text  # the extension deny-list, one item an option


def test_the_pages_still_load_no_extension_the_apps_do_not_need(gallery_page):
    _, page = gallery_page
    assert '"name": "@jupyter-widgets/jupyterlab-manager"' in page.body
    assert '"name": "@jupyter/nbgrader"' not in page.body


def test_the_app_notebooks_are_trusted_as_shipped_and_not_once_edited(tmp_path):
    notebooks = app_notebooks(APPS_DIR)
    assert {p.name for p in notebooks} >= {"index.ipynb", "encoder.ipynb", "flashcards.ipynb"}
    notary = trusting_notary(notebooks)
    for path in notebooks:
        assert notary.check_signature(nbformat.read(path, as_version=4)), path.name
    edited = nbformat.read(APPS_DIR / "encoder.ipynb", as_version=4)
    edited.cells[0].source += "\nimport os"
    assert not notary.check_signature(edited)
    stranger = tmp_path / "other.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]), stranger)
    assert not notary.check_signature(nbformat.read(stranger, as_version=4))


def test_checkpoint_copies_are_not_trusted(tmp_path: Path):
    (tmp_path / ".ipynb_checkpoints").mkdir()
    for path in (tmp_path / "app.ipynb", tmp_path / ".ipynb_checkpoints" / "app-checkpoint.ipynb"):
        nbformat.write(nbformat.v4.new_notebook(), path)
    assert [p.name for p in app_notebooks(tmp_path)] == ["app.ipynb"]
