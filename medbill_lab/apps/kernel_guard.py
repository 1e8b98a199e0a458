"""Harden an app kernel against what a browser can send it over the widget comms.

A Voila page talks to its kernel only through comm messages, and anyone who
can open the page can forge them. Without this module a malformed message
sends a full Python traceback (with server paths) back to the page, and a
forged state update can re-enable a button the app disabled. ``install()``
makes three rules hold:

* **Nothing from the front end is trusted that it could not have set.** A
  browser changes a widget only by typing, picking or switching a tab, so a
  front-end ``update`` keeps only ``value``/``index`` on an enabled input widget,
  ``selected_index`` on a tab or accordion and ``outputs`` on an Output widget.
  Anything else (``disabled``,
  ``options``, ``description``, ...) is dropped, logged, and the page is sent
  the server's state back.
* **A disabled button ignores clicks**, whatever the page shows.
* **In a Voila kernel, no traceback reaches the browser**: errors in widget
  callbacks, comm handling or logging go to the server log (the kernel's
  real stderr), and the browser receives nothing. A page cannot open new
  widgets from its side in a Voila kernel either (the apps never do).

The first two rules hold wherever the widgets run; the third only in a Voila
kernel (``VOILA_*`` in the environment), so a student's own notebook keeps
its tracebacks.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from typing import Any

# What a person can change through a widget's view, by kind of widget.
INPUT_KEYS = frozenset({"value", "index"})
CONTAINER_KEYS = frozenset({"selected_index"})
GENERIC_ERROR = "Something went wrong in this app; the details are in the server log."

log = logging.getLogger("medbill_lab.apps.kernel_guard")
_installed = {"widgets": False, "voila": False}


def in_voila_kernel(environ: dict[str, str] | None = None) -> bool:
    """True in a kernel that Voila started (it sets VOILA_* variables for its kernels).

    >>> in_voila_kernel({"VOILA_BASE_URL": "/"}), in_voila_kernel({})
    (True, False)
    """
    env = os.environ if environ is None else environ
    return any(key in env for key in ("VOILA_BASE_URL", "VOILA_PREHEAT", "VOILA_KERNEL_ID"))


def allowed_update(widget: Any, state: dict) -> tuple[dict, list[str]]:
    """Split a front-end state update into what is accepted and what is refused.

    Accepted: ``value``/``index`` on an input widget (one with a ``disabled``
    trait) that is enabled on the server; ``selected_index`` on a tab or
    accordion. Everything else is refused.
    """
    import ipywidgets as w

    accepted: dict = {}
    refused: list[str] = []
    is_input = widget.has_trait("disabled")
    enabled = is_input and not widget.disabled
    switchable = isinstance(widget, (w.Tab, w.Accordion))
    output = isinstance(widget, w.Output)  # its view reports what it captured
    for key, value in state.items():
        if (
            (key in INPUT_KEYS and enabled)
            or (key in CONTAINER_KEYS and switchable)
            or (key == "outputs" and output)
        ):
            accepted[key] = value
        else:
            refused.append(str(key))
    return accepted, refused


def _guarded_handle_msg(original):
    """Wrap ``Widget._handle_msg`` so a front-end update cannot set server-owned state."""

    def handle_msg(self, msg):
        try:
            data = msg["content"]["data"]
            method = data["method"]
        except (KeyError, TypeError):
            log.warning("ignored a malformed widget message for %s", type(self).__name__)
            return None
        if method == "update":
            state = data.get("state")
            if not isinstance(state, dict):
                log.warning("ignored a widget update without a state dict")
                return None
            accepted, refused = allowed_update(self, state)
            if refused:
                log.info(
                    "refused front-end update of %s on %s", ", ".join(refused), type(self).__name__
                )
                _resend(self, refused)
            if not accepted:
                return None
            data = {**data, "state": accepted}
            if "buffer_paths" in data:  # only the buffers of accepted keys are kept
                paths = [p for p in data["buffer_paths"] if p and p[0] in accepted]
                data["buffer_paths"] = paths
            msg = {**msg, "content": {**msg["content"], "data": data}}
        return original(self, msg)

    handle_msg.__wrapped__ = original
    return handle_msg


def _resend(widget: Any, keys: list[str]) -> None:
    """Send the server's own value of ``keys`` back, so the page shows the truth."""
    known = [k for k in keys if widget.has_trait(k) and k in widget.keys]
    if known:
        try:
            widget.send_state(known)
        except Exception:  # a closed comm: nothing to correct
            log.debug("could not resend state", exc_info=True)


def _guarded_button_msg(original):
    """Wrap ``Button._handle_button_msg`` so a disabled button ignores clicks."""

    def handle_button_msg(self, widget, content, buffers):
        if self.disabled:
            log.info("ignored a click on the disabled button %r", self.description)
            return None
        return original(self, widget, content, buffers)

    handle_button_msg.__wrapped__ = original
    return handle_button_msg


def install_widget_rules() -> None:
    """Apply the front-end rules to ipywidgets (idempotent)."""
    if _installed["widgets"]:
        return
    import ipywidgets as w

    w.Widget._handle_msg = _guarded_handle_msg(w.Widget._handle_msg)
    w.Button._handle_button_msg = _guarded_button_msg(w.Button._handle_button_msg)
    _installed["widgets"] = True


def server_log_stream() -> Any:
    """A text stream to the kernel process's real stderr (Voila's log), never the page.

    ipykernel captures file descriptor 2 and forwards it to the page; it keeps
    a copy of the original descriptor, which is where this stream writes.
    """
    original = getattr(sys.stderr, "_original_stdstream_copy", None)
    if isinstance(original, int):
        return os.fdopen(os.dup(original), "w", buffering=1, encoding="utf-8", errors="replace")
    return sys.__stderr__


def _log_handler(stream: Any) -> logging.Handler:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("[app kernel] %(levelname)s %(name)s: %(message)s"))
    return handler


def _quiet_showtraceback(shell: Any, stream: Any):
    """A replacement for the shell's ``_showtraceback``: details to the log only."""

    def show(etype, evalue, stb):
        try:
            text = "\n".join(stb) if stb else "".join(traceback.format_exception(evalue))
        except Exception:
            text = repr(evalue)
        print(f"[app kernel] error: {text}", file=stream, flush=True)
        # the shell keeps the last traceback for execute_reply; keep it generic too
        shell._last_traceback = []

    return show


def _refuse_frontend_widget(comm: Any, msg: dict) -> None:
    """Comm target for ``jupyter.widget`` opened by a page: refused and closed."""
    log.warning("refused a widget opened from the browser")
    try:
        comm.close()
    except Exception:
        log.debug("could not close the refused comm", exc_info=True)


def install_voila_rules() -> None:
    """In a Voila kernel: keep tracebacks and log lines off the wire (idempotent)."""
    if _installed["voila"]:
        return
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return
    stream = server_log_stream()
    handler = _log_handler(stream)
    # Loggers without handlers (comm's, ipykernel.comm's) fall back to
    # logging.lastResort, which writes to sys.stderr: the page. Point them here.
    logging.lastResort = handler
    for name in ("Comm", "ipykernel.comm", "medbill_lab"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.propagate = False
    # refusals are logged at INFO: kept in Voila's log, silent in a student's notebook
    log.setLevel(logging.INFO)
    sys.stderr = stream  # warnings and stray prints go to the log
    shell._showtraceback = _quiet_showtraceback(shell, stream)
    from ipywidgets import comm as widget_comm  # the manager ipywidgets registers with

    manager = widget_comm.get_comm_manager()
    if manager is not None:
        manager.register_target("jupyter.widget", _refuse_frontend_widget)
    _installed["voila"] = True


def install() -> None:
    """Apply every rule that fits this process: widget rules always, Voila rules in Voila."""
    install_widget_rules()
    if in_voila_kernel():
        install_voila_rules()
