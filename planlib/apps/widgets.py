"""The apps' own widgets and small layout helpers (ipywidgets and anywidget; no pandas).

* :class:`IndicatorTable`, the keyboard-usable indicator table;
* :class:`DownloadButton`, a button that makes a file only when pressed and saves it in the page;
* :class:`VegaChart`, a Vega-Lite chart drawn in the page by the renderer kept in the build
  (bundled offline, so nothing is loaded from outside the machine).

Their JavaScript and CSS live in ``planlib/apps/static``.
"""

from __future__ import annotations

import base64
import functools
from pathlib import Path

import anywidget
import ipywidgets as W
import traitlets

from .. import i18n

STATIC = Path(__file__).parent / "static"
MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "png": "image/png", "svg": "image/svg+xml", "zip": "application/zip"}


def static_text(name: str) -> str:
    """A front-end file of ``planlib/apps/static``."""
    return (STATIC / name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def style_html() -> str:
    """The apps' style sheet, as the HTML that puts it in the page."""
    return f"<style>{static_text('app.css')}</style>"


class IndicatorTable(anywidget.AnyWidget):
    """The indicator table: sortable headings and selectable rows, all reachable by keyboard.

    Python owns the data: set ``columns`` and ``rows`` (see
    :func:`planlib.apps.content.display_rows`); the front end sets ``sort_key``/``sort_desc`` when
    a heading is pressed and ``selected`` (and increments ``select_count``) when a row is opened,
    and sends ``{"event": "drawn"}`` once it is on screen.
    """

    _esm = STATIC / "indicator_table.js"
    _css = STATIC / "indicator_table.css"
    columns = traitlets.List(traitlets.Dict()).tag(sync=True)
    rows = traitlets.List(traitlets.Dict()).tag(sync=True)
    caption = traitlets.Unicode("").tag(sync=True)
    sort_hint = traitlets.Unicode("").tag(sync=True)
    sort_key = traitlets.Unicode("id").tag(sync=True)
    sort_desc = traitlets.Bool(False).tag(sync=True)
    selected = traitlets.Unicode("").tag(sync=True)
    select_count = traitlets.Int(0).tag(sync=True)


class DownloadButton(anywidget.AnyWidget):
    """A button that makes a file when pressed and saves it in the browser.

    Args:
        producer: called with no arguments when the button is pressed; returns the file's bytes.
        filename: the name to save under; its extension picks the MIME type (see :data:`MIME`).
        label: the button's text.

    Examples:
        >>> b = DownloadButton(lambda: b"a,b", "t.csv", "CSV")
        >>> b.request += 1
        >>> b.ready, b.mime
        (1, 'text/csv')
    """

    _esm = STATIC / "download_button.js"
    label = traitlets.Unicode("").tag(sync=True)
    filename = traitlets.Unicode("").tag(sync=True)
    mime = traitlets.Unicode("").tag(sync=True)
    request = traitlets.Int(0).tag(sync=True)
    ready = traitlets.Int(0).tag(sync=True)
    payload = traitlets.Unicode("").tag(sync=True)
    #: What the page says while the file is being made, or why it could not be.
    note = traitlets.Unicode("").tag(sync=True)

    def __init__(self, producer, filename: str, label: str):
        super().__init__(label=label, filename=filename, mime=MIME[filename.rsplit(".", 1)[-1]])
        self.producer = producer
        self.observe(self._answer, names="request")

    def rename(self, filename: str) -> None:
        """Save under another name (same extension)."""
        set_if_changed(self, "filename", filename)

    def deliver(self, data: bytes) -> None:
        """Send a file that is ready to the page, which saves it."""
        with self.hold_sync():
            self.payload = base64.b64encode(data).decode("ascii")
            self.note = ""
            self.ready += 1
        self.payload = ""

    def _answer(self, _change: dict) -> None:
        data = self.producer()
        if data is not None:  # None: the producer delivers later itself (see :meth:`deliver`)
            self.deliver(data)


class VegaChart(anywidget.AnyWidget):
    """A Vega-Lite chart drawn in the page.

    Args:
        bundle: the front end with Vega bundled in (``Edition.asset("vega_chart.js")``).
    """

    spec = traitlets.Dict().tag(sync=True)

    def __init__(self, bundle: str, **kwargs):
        super().__init__(_esm=bundle, **kwargs)


def set_if_changed(widget: W.Widget, name: str, value: object) -> None:
    """Assign a trait only when it changes, so that unchanged outputs are not redrawn."""
    if getattr(widget, name) != value:
        setattr(widget, name, value)


def relabel(dropdown: W.Dropdown, options: list) -> None:
    """New option labels for a selection widget, keeping its value."""
    options = [tuple(o) for o in options]
    value = dropdown.value
    values = [v for _, v in options]
    if options != [tuple(o) for o in dropdown.options]:
        dropdown.options = options
    dropdown.value = value if value in values else values[0]


def lang_toggle(lang: str) -> W.ToggleButtons:
    """The 中文 / English toggle."""
    toggle = W.ToggleButtons(options=[(i18n.LANGUAGE_NAMES[code], code) for code in i18n.LANGS], value=lang,
                             style={"button_width": "80px"}, layout=W.Layout(width="auto"))
    toggle.add_class("planlib-lang")
    return toggle


def row(*children: W.Widget) -> W.Box:
    """Widgets side by side, wrapping on narrow screens."""
    box = W.Box(list(children), layout=W.Layout(display="flex", flex_flow="row wrap", align_items="center"))
    box.add_class("planlib-row")
    return box
