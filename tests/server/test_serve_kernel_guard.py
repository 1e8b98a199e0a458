"""What a browser can send an app kernel over the widget comms (kernel_guard).

A real ipykernel is started the way Voila starts one (VOILA_* in its
environment), the app module is imported, and forged comm messages are sent
on its shell channel exactly as a page's websocket would deliver them. Each
test reads everything the kernel then publishes on IOPub: what a browser
would receive.
"""

from __future__ import annotations

import os
import queue
import time
import uuid

import ipywidgets as w
import pytest
from jupyter_client.manager import start_new_kernel

from medbill_lab.apps import kernel_guard

SETUP = """
import ipywidgets as w
import medbill_lab.apps.encoder  # what every app imports first
clicks = []
nxt = w.Button(description="Next", disabled=True)
nxt.on_click(lambda _: clicks.append("next"))
go = w.Button(description="Go")
go.on_click(lambda _: clicks.append("go"))
box = w.Text()
locked = w.Text(value="kept", disabled=True)
tabs = w.Tab(children=[w.HTML("a"), w.HTML("b")])
label = w.HTML("server text")
"""


class Kernel:
    """A kernel client that can forge comm messages and read what comes back."""

    def __init__(self, km, kc):
        self.km, self.kc = km, kc

    def run(self, code: str) -> str:
        """Execute code (as the notebook's own cell would) and return its stdout."""
        out: list[str] = []
        self.kc.execute_interactive(
            code,
            timeout=60,
            output_hook=lambda m: (
                out.append(m["content"].get("text", ""))
                if m["msg_type"] == "stream" and m["content"].get("name") == "stdout"
                else None
            ),
        )
        return "".join(out)

    def send(self, msg_type: str, content: dict) -> list[dict]:
        """Send one forged shell message; return every IOPub message it caused."""
        self.drain()
        msg = self.kc.session.msg(msg_type, content)
        self.kc.shell_channel.send(msg)
        got: list[dict] = []
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            try:
                m = self.kc.get_iopub_msg(timeout=0.3)
            except queue.Empty:
                continue
            if m["msg_type"] != "status":
                got.append(m)
        return got

    def drain(self) -> None:
        while True:
            try:
                self.kc.get_iopub_msg(timeout=0.2)
            except queue.Empty:
                return

    def model_id(self, name: str) -> str:
        return self.run(f"print({name}.model_id)").strip()


def start(env_extra: dict[str, str]) -> Kernel:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VOILA_")}
    km, kc = start_new_kernel(kernel_name="python3", env={**env, **env_extra})
    k = Kernel(km, kc)
    k.run(SETUP)
    return k


@pytest.fixture(scope="module")
def voila_kernel():
    k = start({"VOILA_BASE_URL": "/", "VOILA_PREHEAT": "False"})
    yield k
    k.kc.stop_channels()
    k.km.shutdown_kernel(now=True)


def leaked(messages: list[dict]) -> list[str]:
    """Anything in the messages that would show a traceback, a path or an error."""
    bad = []
    for m in messages:
        text = repr(m["content"])
        if m["msg_type"] in ("error", "stream"):
            bad.append(f"{m['msg_type']}: {text[:200]}")
        elif "Traceback" in text or "site-packages" in text or "/work/" in text:
            bad.append(text[:200])
    return bad


FORGED = {
    "comm_open to an unknown target": (
        "comm_open",
        {"comm_id": "c1", "target_name": "no.such.target", "data": {}},
    ),
    "comm_open of a widget with a made-up model": (
        "comm_open",
        {
            "comm_id": "c2",
            "target_name": "jupyter.widget",
            "data": {"state": {"_model_name": "Nope", "_model_module": "x"}},
        },
    ),
    "comm_open without a comm id": ("comm_open", {"target_name": "jupyter.widget"}),
    "comm_msg to an unknown comm": ("comm_msg", {"comm_id": "zzz", "data": {}}),
    "comm_msg without data": ("comm_msg", {"comm_id": "BOX"}),
    "comm_msg whose data is a string": ("comm_msg", {"comm_id": "BOX", "data": "x"}),
    "update with a value of the wrong type": (
        "comm_msg",
        {"comm_id": "BOX", "data": {"method": "update", "state": {"value": 5}}},
    ),
    "update whose state is not a dict": (
        "comm_msg",
        {"comm_id": "BOX", "data": {"method": "update", "state": [1, 2]}},
    ),
    "unknown widget method": ("comm_msg", {"comm_id": "BOX", "data": {"method": "explode"}}),
    "comm_close of an unknown comm": ("comm_close", {"comm_id": "nope", "data": {}}),
}


@pytest.mark.parametrize("name", list(FORGED))
def test_no_traceback_or_error_reaches_the_browser(voila_kernel, name):
    msg_type, content = FORGED[name]
    if content.get("comm_id") == "BOX":
        content = {**content, "comm_id": voila_kernel.model_id("box")}
    got = voila_kernel.send(msg_type, content)
    assert not leaked(got), got
    # the kernel is still alive and answering
    assert voila_kernel.run("print(1 + 1)").strip() == "2"


def test_a_callback_error_is_logged_not_sent(voila_kernel):
    voila_kernel.run(
        "boom = w.Button(description='Boom')\n"
        "boom.on_click(lambda _: open('/definitely/not/here.txt'))"
    )
    got = voila_kernel.send(
        "comm_msg",
        {
            "comm_id": voila_kernel.model_id("boom"),
            "data": {"method": "custom", "content": {"event": "click"}},
        },
    )
    assert not leaked(got), got
    assert not any("/definitely" in repr(m["content"]) for m in got)


def test_a_widget_opened_by_the_page_is_refused(voila_kernel):
    before = int(voila_kernel.run("print(len(w.Widget.widgets))"))
    state = {
        "_model_name": "ButtonModel",
        "_model_module": "@jupyter-widgets/controls",
        "_model_module_version": "2.0.0",
        "_view_name": "ButtonView",
        "_view_module": "@jupyter-widgets/controls",
        "_view_module_version": "2.0.0",
    }
    got = voila_kernel.send(
        "comm_open",
        {"comm_id": uuid.uuid4().hex, "target_name": "jupyter.widget", "data": {"state": state}},
    )
    assert [m["msg_type"] for m in got] == ["comm_close"]
    assert int(voila_kernel.run("print(len(w.Widget.widgets))")) == before


def test_a_disabled_button_stays_disabled_and_ignores_clicks(voila_kernel):
    nxt = voila_kernel.model_id("nxt")
    got = voila_kernel.send(
        "comm_msg", {"comm_id": nxt, "data": {"method": "update", "state": {"disabled": False}}}
    )
    # the page is sent the server's state back: still disabled
    assert any(m["content"]["data"].get("state") == {"disabled": True} for m in got), got
    voila_kernel.send(
        "comm_msg", {"comm_id": nxt, "data": {"method": "custom", "content": {"event": "click"}}}
    )
    assert voila_kernel.run("print(nxt.disabled, clicks)").strip() == "True []"


def test_an_enabled_button_still_works(voila_kernel):
    voila_kernel.run("clicks.clear()")
    go = voila_kernel.model_id("go")
    voila_kernel.send(
        "comm_msg", {"comm_id": go, "data": {"method": "custom", "content": {"event": "click"}}}
    )
    assert voila_kernel.run("print(clicks)").strip() == "['go']"


def test_typing_and_switching_tabs_still_work_but_server_state_is_kept(voila_kernel):
    box, locked = voila_kernel.model_id("box"), voila_kernel.model_id("locked")
    tabs, label = voila_kernel.model_id("tabs"), voila_kernel.model_id("label")

    def update(comm_id: str, state: dict) -> None:
        voila_kernel.send(
            "comm_msg", {"comm_id": comm_id, "data": {"method": "update", "state": state}}
        )

    update(box, {"value": "E11.9", "placeholder": "forged"})
    update(locked, {"value": "changed"})
    update(tabs, {"selected_index": 1})
    update(label, {"value": "<script>forged</script>"})
    shown = voila_kernel.run(
        "print(repr(box.value), box.placeholder == w.Text().placeholder, locked.value, "
        "tabs.selected_index, label.value)"
    )
    assert shown.strip() == "'E11.9' True kept 1 server text"


def test_the_rules_split_an_update():
    button, text = w.Button(disabled=True), w.Text()
    assert kernel_guard.allowed_update(button, {"disabled": False}) == ({}, ["disabled"])
    assert kernel_guard.allowed_update(text, {"value": "a", "options": [1]}) == (
        {"value": "a"},
        ["options"],
    )
    text.disabled = True
    assert kernel_guard.allowed_update(text, {"value": "a"}) == ({}, ["value"])
    assert kernel_guard.allowed_update(w.Dropdown(options=["a", "b"]), {"index": 1}) == (
        {"index": 1},
        [],
    )
    assert kernel_guard.allowed_update(w.VBox(), {"selected_index": 1}) == ({}, ["selected_index"])
    assert kernel_guard.allowed_update(w.Output(), {"outputs": []}) == ({"outputs": []}, [])
    assert kernel_guard.allowed_update(w.HTML(), {"value": "x"}) == ({}, ["value"])


def test_only_voila_kernels_hide_tracebacks():
    assert kernel_guard.in_voila_kernel({"VOILA_PREHEAT": "True"})
    assert not kernel_guard.in_voila_kernel({"JUPYTERHUB_USER": "ana"})
