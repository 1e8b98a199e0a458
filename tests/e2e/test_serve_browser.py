"""The gallery's limits seen from headless Chromium: a lab of one seat.

``medbill-lab serve --max-kernels 1 --pool-size 0``: the first visitor gets the
flashcards app (progress saved for the computer's user, a disabled button that
stays inert even when the page is tampered with, no traceback for a malformed
comm message); a second visitor gets the "busy" page with HTTP 503.
"""

from __future__ import annotations

import getpass
import os
import re
import time

import pytest
from serve_helpers import READY, lab_server


@pytest.fixture(scope="module")
def one_seat(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    with lab_server(home, "--max-kernels", "1", "--pool-size", "0") as (port, _):
        yield f"http://127.0.0.1:{port}", home


@pytest.fixture(scope="module")
def first_visitor(browser, one_seat):
    base, _ = one_seat
    page = browser.new_page(viewport={"width": 1100, "height": 800})
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{base}/voila/render/flashcards.ipynb", timeout=90_000)
    page.wait_for_selector(READY, timeout=90_000)
    yield page, problems
    page.close()


def save(page, home, name: str) -> None:
    page.screenshot(path=str(home / name), full_page=True)
    if os.environ.get("MEDBILL_SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["MEDBILL_SCREENSHOT_DIR"], name))


def test_progress_is_saved_for_the_computer_user(first_visitor):
    page, problems = first_visitor
    page.wait_for_selector("text=Progress is saved for", timeout=30_000)
    assert f"Progress is saved for {getpass.getuser()}" in page.inner_text("body")
    assert page.locator("input[type=text]").count() == 0  # no name box to type into
    assert not problems, problems


def test_a_disabled_button_tampered_with_in_the_page_does_nothing(first_visitor):
    page, _ = first_visitor
    knew = page.get_by_role("button", name="I knew it")
    assert knew.is_disabled()
    counts = page.locator("text=answered today").inner_text()
    # a visitor strips the disabled attribute in the developer tools and clicks
    knew.evaluate("b => { b.disabled = false; b.removeAttribute('disabled'); b.click(); }")
    page.wait_for_timeout(1500)
    assert page.locator("text=answered today").inner_text() == counts
    assert "next review" not in page.inner_text("body")


def test_a_malformed_comm_open_gets_no_traceback(first_visitor, one_seat):
    page, _ = first_visitor
    base, _ = one_seat
    kernel = re.search(r'"kernelId":\s*"([0-9a-f-]+)"', page.content()).group(1)
    url = base.replace("http", "ws") + f"/api/kernels/{kernel}/channels"
    received = page.evaluate(
        """url => new Promise(resolve => {
            const got = [];
            const ws = new WebSocket(url);
            const send = (type, content) => ws.send(JSON.stringify({
                header: {msg_id: "probe-" + type + Math.random(), username: "probe", session: "probe",
                         msg_type: type, version: "5.3", date: new Date().toISOString()},
                parent_header: {}, metadata: {}, channel: "shell", buffers: [], content}));
            ws.onopen = () => {
                send("comm_open", {comm_id: "x1", target_name: "jupyter.widget",
                                   data: {state: {_model_name: "Nope"}}});
                send("comm_open", {target_name: "jupyter.widget"});
                send("comm_open", {comm_id: "x2", target_name: "no.such.target", data: {}});
                send("comm_msg", {comm_id: "x3", data: {method: "update", state: {value: 1}}});
            };
            ws.onmessage = e => got.push(typeof e.data === "string" ? e.data : "binary");
            setTimeout(() => { try { ws.close(); } catch (err) {} resolve(got); }, 4000);
        })""",
        url,
    )
    text = "\n".join(received)
    assert "Traceback" not in text and "site-packages" not in text, text[:2000]
    assert '"msg_type": "error"' not in text and '"name": "stderr"' not in text, text[:2000]


def test_a_second_visitor_gets_the_busy_page(browser, one_seat, first_visitor):
    base, home = one_seat
    page = browser.new_page(viewport={"width": 900, "height": 500})
    started = time.monotonic()
    response = page.goto(f"{base}/voila/render/encoder.ipynb", timeout=30_000)
    assert time.monotonic() - started < 5
    assert response.status == 503 and response.headers.get("retry-after") == "60"
    body = page.inner_text("body")
    assert "The lab is busy" in body and "try again in a minute" in body.lower()
    assert "Traceback" not in body
    save(page, home, "busy-page.png")
    page.close()
