"""The indicator explorer: one indicator's chart, status and explanation, as-of year and downloads.

It shows what the build holds (:mod:`planlib.apps.edition`): every indicator's view for every
as-of year and language, projected by the method the assessment chose ("auto"). Only when an
analyst picks another projection method does it read the data and fit that method (imports
pandas and statsmodels then, once).
"""

from __future__ import annotations

import ipywidgets as W

from .downloads import chart_file, csv_bytes
from .edition import Edition
from .labels import banner_html, label, method_label
from .widgets import DownloadButton, VegaChart, lang_toggle, relabel, row, set_if_changed, style_html

AUTO = "auto"


class Explorer:
    """One indicator in depth: chart, status and explanation, method picker, as-of slider, downloads.

    Args:
        edition: the build to show (default: the current build of the store, made if needed).
        indicator_id: the indicator shown first (default the first of the catalogue).
        lang: "zh" (default) or "en".
        embedded: inside the dashboard, which shows the language toggle and demo banner itself
            and drives ``lang``.
        db: the store, read only when another method than "auto" is asked for.
        region: whose plan (default the home county's; another region's registered in the store).
    """

    def __init__(self, edition: Edition | None = None, indicator_id: str | None = None, lang: str = "zh",
                 embedded: bool = False, db=None, region: str | None = None):
        if edition is None:
            from .build import current_edition

            edition = current_edition(db)
        self.edition, self.db, self._model = edition, db, None
        self.region = edition.region_of(region)
        years = edition.years_of(self.region) or [0]
        self.lang = lang_toggle(lang)
        self.lang.layout.display = "none" if embedded else None
        self.embedded = embedded
        self.visible = not embedded
        self.indicator = W.Dropdown(options=self._indicator_options(lang), layout=W.Layout(width="440px"),
                                    value=indicator_id or edition.indicators_of(self.region)[0])
        self.method = W.Dropdown(options=self._method_options(lang), value=AUTO, layout=W.Layout(width="340px"))
        self.as_of = W.IntSlider(value=years[-1], min=years[0], max=years[-1], continuous_update=False,
                                 layout=W.Layout(width="340px"))
        self.banner, self.info = W.HTML(), W.HTML()
        self.chart = VegaChart(edition.asset("vega_chart.js"))
        self.downloads = [DownloadButton(lambda: chart_file(self._view["spec"], "png"), "chart.png", ""),
                          DownloadButton(lambda: chart_file(self._view["spec"], "svg"), "chart.svg", ""),
                          DownloadButton(lambda: csv_bytes(**self._view["data"]), "chart-data.csv", "")]
        self.ui = self._layout()
        self._label_controls()
        self.refresh()
        for widget in (self.indicator, self.method, self.as_of):
            widget.observe(lambda _change: self.refresh(), names="value")
        self.lang.observe(self._on_lang, names="value")

    def _layout(self) -> W.Box:
        for widget, name in ((self.indicator, "indicator"), (self.method, "method"), (self.as_of, "as-of"),
                             (self.chart, "chart"), (self.info, "info"), (self.banner, "banner")):
            widget.add_class(f"planlib-explorer-{name}")
        top = W.Box([self.lang], layout=W.Layout(justify_content="flex-end"))
        body = row(self.chart, self.info)
        body.layout.align_items = "flex-start"
        parts = [top, row(self.indicator, self.method, self.as_of), self.banner, body, row(*self.downloads)]
        box = W.VBox(parts if self.embedded else [W.HTML(style_html()), *parts])
        box.add_class("planlib-app")
        box.add_class("planlib-explorer")
        return box

    def _indicator_options(self, lang: str) -> list[tuple[str, str]]:
        year = self.edition.years_of(self.region)[-1]
        return [tuple(o) for o in self.edition.page(year, lang, self.region)["indicators"]]

    def _method_options(self, lang: str) -> list[tuple[str, str]]:
        return [(method_label(m, lang), m) for m in self.edition.meta["methods"]]

    def _label_controls(self) -> None:
        lang = self.lang.value
        for widget, key in ((self.indicator, "indicator"), (self.method, "method"), (self.as_of, "as_of_projection")):
            widget.description = label(key, lang)
            widget.style.description_width = "initial"
        for button, key in zip(self.downloads, ("download_png", "download_svg", "download_data")):
            button.label = label(key, lang)

    def _on_lang(self, _change: dict) -> None:
        self._muted = True
        try:
            relabel(self.indicator, self._indicator_options(self.lang.value))
            relabel(self.method, self._method_options(self.lang.value))
            self._label_controls()
        finally:
            self._muted = False
        self.refresh()

    def set_region(self, region: str, as_of: int | None = None) -> None:
        """Show ``region``'s plan: its indicators and as-of years (the dashboard's region picker)."""
        region = self.edition.region_of(region)
        if region == self.region:
            return
        years = self.edition.years_of(region)
        self._muted = True
        try:
            self.region, self._model = region, None
            relabel(self.indicator, self._indicator_options(self.lang.value))  # the same indicator if it has it
            self.as_of.min, self.as_of.max = min(years[0], self.as_of.min), max(years[-1], self.as_of.max)
            self.as_of.value = as_of if as_of in years else years[-1]
            self.as_of.min, self.as_of.max = years[0], years[-1]
        finally:
            self._muted = False
        self.refresh()

    def show(self, indicator_id: str) -> None:
        """Show another indicator (the dashboard calls this when a row is selected)."""
        self.indicator.value = indicator_id

    def draw_chart(self) -> None:
        """Draw the chart even while hidden (the dashboard does so once its table is on screen)."""
        set_if_changed(self.chart, "spec", self._view["spec"])

    def set_visible(self, visible: bool) -> None:
        """Whether the explorer is on screen: while hidden, its chart is not drawn at all."""
        if visible != self.visible:
            self.visible = visible
            self.refresh()

    def view(self, indicator_id: str, method: str, as_of: int, lang: str) -> dict:
        """What is shown for one indicator, method, as-of year and language."""
        if method == AUTO:
            found = self.edition.view(indicator_id, as_of, lang, self.region)
            if found is not None:
                return found
        if self._model is None:  # asked for a method the build does not hold: fit it here
            from .model import load_model

            self._model = load_model(self.db, self.region)
        from .content import view_content

        return view_content(self._model, indicator_id, as_of, lang, method)

    _muted = False

    def refresh(self) -> None:
        """Redraw the chart and the words from the controls."""
        if self._muted:
            return
        key = (self.indicator.value, self.method.value, self.as_of.value, self.lang.value)
        self._view = view = self.view(key[0], key[1], key[2], key[3])
        if self.visible:
            set_if_changed(self.chart, "spec", view["spec"])
        set_if_changed(self.info, "value", view["info_html"])
        demo = view["demo"] and not self.embedded
        set_if_changed(self.banner, "value", banner_html(key[3]) if demo else "")
        self.banner.layout.display = None if demo else "none"
        for button, ext in zip(self.downloads, ("png", "svg", "csv")):
            button.rename(f"{key[0]}-{key[2]}-{key[1]}.{ext}" if ext != "csv" else f"{key[0]}-{key[2]}-data.csv")
