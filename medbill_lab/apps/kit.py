"""What every app page shares: the style sheet, friendly messages, the kernel guard, the
navigation bar back to the gallery.

Widgets only arrange inputs and outputs; every answer comes from the package's
tested functions.  No exception text ever reaches the page: bad input is met
with a friendly sentence.

>>> "mbl-msg" in message("No such code")
True
"""

from __future__ import annotations

from html import escape

import ipywidgets as w

from medbill_lab.apps import kernel_guard

# Every app imports this module: what the browser may send its kernel is limited
# here (see kernel_guard), once per process.
kernel_guard.install()

STYLE = """
<style>
.mbl-table {border-collapse: collapse; width: 100%; font-size: 0.95em}
.mbl-table td, .mbl-table th {border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left}
.mbl-badge {border-radius: 4px; padding: 1px 6px; font-size: 0.8em; color: white}
.mbl-bill {background: #2e7d32} .mbl-head {background: #9e9e9e}
.mbl-note {margin: 2px 0 2px 12px} .mbl-kind {font-weight: bold}
.mbl-msg {color: #8a4b00; background: #fff4e5; padding: 6px 10px; border-radius: 4px}
.mbl-term {font-weight: bold; margin-top: 6px} .mbl-ref {color: #555; font-style: italic}
.mbl-colhead {font-size: 0.8em; font-weight: bold; text-align: center; line-height: 1.2}
</style>
"""


TROUBLE = (
    "Sorry, that did not work. Try other words, or tell your instructor if it keeps happening."
)


def message(text: str) -> str:
    """A friendly, escaped notice for the page."""
    return f'{STYLE}<div class="mbl-msg">{escape(text)}</div>'


GALLERY = "index.ipynb"  # the gallery notebook, beside every app notebook

NAV_STYLE = (
    "<style>.mbl-nav{display:flex;gap:10px;align-items:baseline;padding:6px 12px;"
    "margin-bottom:8px;border-bottom:1px solid #ccd;background:#f7faf7;font-size:0.95em}"
    ".mbl-nav a{color:#1b5e20;font-weight:bold;text-decoration:none}"
    ".mbl-nav a:hover{text-decoration:underline}.mbl-nav .mbl-here{color:#444}</style>"
)


def nav_html(title: str) -> str:
    """The navigation bar over an app: a link back to the gallery, then the app's name.

    The link opens in the same tab (``target="_self"``: a link in a page's output
    would otherwise open a new one) and is relative, so it works under any base URL.

    >>> 'href="index.ipynb" target="_self"' in nav_html("Encoder")
    True
    >>> '<span class="mbl-here" aria-current="page">A &amp; B</span>' in nav_html("A & B")
    True
    """
    return (
        f'{NAV_STYLE}<nav class="mbl-nav" aria-label="MedBill Lab">'
        f'<a href="{GALLERY}" target="_self">\u2190 MedBill Lab apps</a>'
        f'<span aria-hidden="true">/</span>'
        f'<span class="mbl-here" aria-current="page">{escape(title)}</span></nav>'
    )


def nav_bar(title: str) -> w.HTML:
    """The navigation bar widget each app notebook shows first (see :func:`nav_html`)."""
    return w.HTML(nav_html(title), layout=w.Layout(width="100%"))
