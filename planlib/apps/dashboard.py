"""The leadership dashboard: status tiles, binding alerts, domain overview, the indicator table.

A viewer's kernel reads the build (:mod:`planlib.apps.edition`) and creates the widgets; every
interaction (filters, sorting, as-of year, language, an indicator) redraws from it. Nothing here
imports pandas, statsmodels or the report code, and the store is read only for its stamp (is the
build still current?). When the build is missing or stale, the page says so, shows the progress
of the build it asked for, and opens the dashboard when that build is ready.

Usage in a notebook::

    from planlib.apps import Dashboard
    Dashboard().ui
"""

from __future__ import annotations

import html
import threading
import time

import ipywidgets as W

from .. import i18n
from ..config import COUNTY
from . import edition as E
from .downloads import csv_bytes, report_zip, xlsx_bytes
from .explorer import Explorer
from .labels import banner_html, label
from .table import KEY, TableFilters, filter_rows, sort_rows
from .widgets import DownloadButton, IndicatorTable, lang_toggle, relabel, row, set_if_changed, style_html

#: How often a waiting page looks at the build's progress (seconds), and for how long at most.
POLL_S, WAIT_S = 1.0, 3600.0


class Dashboard:
    """The plans at a glance; selecting an indicator in the table opens it in the embedded explorer.

    Args:
        edition: the build to show (default: the current build of the store ``db``).
        lang: "zh" (default) or "en".
        db: the store (default ``config.db_path()``).
    """

    def __init__(self, edition: E.Edition | None = None, lang: str = "zh", db=None):
        self.db, self.start_lang = db, lang
        self.ui = W.VBox([W.HTML(style_html())])
        self.ui.add_class("planlib-app")
        self.ui.add_class("planlib-dashboard")
        if edition is None:
            edition, state = E.open_current(db)
            if state is not E.State.FRESH:
                self._wait(state)
                return
        self._open(edition)

    # --- while the build is being made ---------------------------------------------------------

    def _wait(self, state: E.State) -> None:
        from .build import start_build

        lang = self.start_lang
        key = "build_missing" if state is E.State.MISSING else "build_stale"
        self.waiting = W.HTML(f'<div class="planlib-building" role="status"><h1>{html.escape(i18n.t("title", lang))}'
                              f'</h1><p>{html.escape(label(key, lang))}</p></div>')
        self.bar = W.FloatProgress(value=0, min=0, max=1, description=label("build_progress", lang),
                                   style={"description_width": "initial"})
        self.ui.children = [*self.ui.children, self.waiting, self.bar]
        start_build(self.db)
        threading.Thread(target=self._poll, daemon=True).start()

    def _poll(self) -> None:
        from .build import start_build

        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            time.sleep(POLL_S)
            edition, state = E.open_current(self.db)
            if state is E.State.FRESH:
                self.ui.children = self.ui.children[:1]
                self._open(edition)
                return
            step = E.progress(self.db)
            self.bar.value = step.fraction
            if not step.running:  # the builder ended without a fresh build (or another import came)
                start_build(self.db)
        self.waiting.value += f"<p>{html.escape(label('build_failed', self.start_lang))}</p>"

    # --- the dashboard -----------------------------------------------------------------------------

    def _open(self, edition: E.Edition) -> None:
        self.edition = edition
        lang, years = self.start_lang, edition.years
        self.lang = lang_toggle(lang)
        # whose plan is shown: the home county's, or another region's registered in the store
        self.region = W.Dropdown(options=self._region_options(lang), value=COUNTY, layout=W.Layout(width="300px"))
        self.region.layout.display = None if len(edition.regions) > 1 else "none"
        self.as_of = W.Dropdown(options=[(str(y), y) for y in reversed(years)], value=years[-1],
                                layout=W.Layout(width="200px"))
        self.has_city = bool(edition.city_members)
        self.view = W.ToggleButtons(options=self._view_options(lang), value="overview",
                                    style={"button_width": "150px"})
        self.plan = W.Dropdown(layout=W.Layout(width="260px"))
        self.domain = W.Dropdown(layout=W.Layout(width="260px"))
        self.unit = W.Dropdown(layout=W.Layout(width="340px"))
        self.status = W.Dropdown(layout=W.Layout(width="230px"))
        self.binding = W.Checkbox(value=False, indent=False, layout=W.Layout(width="auto"))
        self.title, self.banner, self.alerts, self.tiles = W.HTML(), W.HTML(), W.HTML(), W.HTML()
        self.table_title, self.count = W.HTML(), W.HTML()
        self.table, self.overview_chart = IndicatorTable(), W.HTML()
        self.downloads = [DownloadButton(lambda: csv_bytes(**self._export()), "indicators.csv", ""),
                          DownloadButton(lambda: xlsx_bytes(**self._export(), sheet="indicators"),
                                         "indicators.xlsx", ""),
                          DownloadButton(self._report, "report.zip", "")]
        self.city_html = W.HTML()
        self.city_download = DownloadButton(self._city_xlsx, "city.xlsx", "")
        self.city = W.VBox([row(self.city_download), self.city_html])
        first = edition.page(years[-1], lang)["first_alert"]
        self.explorer = Explorer(edition, first, lang, embedded=True, db=self.db)
        self._label_controls()
        self._layout()
        self.refresh()
        self._observe()

    def _layout(self) -> None:
        names = {"region": self.region, "plan": self.plan, "domain": self.domain, "unit": self.unit, "status": self.status,
                 "binding": self.binding, "as-of": self.as_of, "view": self.view, "table": self.table,
                 "tiles": self.tiles, "alerts": self.alerts, "banner": self.banner, "count": self.count,
                 "overview-chart": self.overview_chart, "city": self.city}
        for name, widget in names.items():
            widget.add_class(f"planlib-w-{name}")
        head = row(self.title, self.lang)
        head.layout.justify_content = "space-between"
        glance = row(self.tiles, self.overview_chart)
        glance.layout.align_items = "flex-start"
        self.overview = W.VBox([self.alerts, glance, self.table_title,
                                row(self.plan, self.domain, self.unit, self.status, self.binding),
                                row(self.count, *self.downloads), self.table])
        self.ui.children = [*self.ui.children, head, self.banner, row(self.view, self.region, self.as_of), self.overview,
                            self.city, self.explorer.ui]

    def _observe(self) -> None:
        for widget in (self.plan, self.domain, self.unit, self.status, self.binding, self.as_of, self.view):
            widget.observe(lambda _change: self.refresh(), names="value")
        self.table.observe(lambda _change: self.refresh(), names=["sort_key", "sort_desc"])
        self.table.observe(self._on_select, names="select_count")
        self.table.on_msg(self._on_table_message)
        self.lang.observe(self._on_lang, names="value")
        self.region.observe(self._on_region, names="value")
        self.as_of.observe(self._on_as_of, names="value")

    def _on_as_of(self, change: dict) -> None:
        if change["new"] is not None:
            self.explorer.as_of.value = change["new"]

    def _region_options(self, lang: str) -> list[tuple[str, str]]:
        return [(i18n.region_label(r, lang), r) for r in self.edition.regions]

    def _on_region(self, _change: dict) -> None:
        """Another region's plan: its own as-of years, indicators and views (the city view stays)."""
        region, years = self.region.value, self.edition.years_of(self.region.value)
        self._muted = True
        try:
            relabel(self.as_of, [(str(y), y) for y in reversed(years)])  # the same year if it has it, else the latest
            self.explorer.set_region(region, self.as_of.value)
            self._label_controls()
        finally:
            self._muted = False
        self.refresh()

    def _view_options(self, lang: str) -> list[tuple[str, str]]:
        city = [(label("view_city", lang), "city")] if self.has_city else []
        return [(label("view_overview", lang), "overview"), *city, (label("view_explorer", lang), "explorer")]

    def _city_xlsx(self) -> bytes:
        """The city workbook of the as-of year, made by the build (the viewer only serves it)."""
        return self.edition.city_xlsx(self.as_of.value, self.lang.value) or b""

    def _label_controls(self) -> None:
        lang = self.lang.value
        options = self._page(lang)["filters"]
        for key in ("plan", "domain", "unit", "status"):
            widget = getattr(self, key)
            relabel(widget, options[key])
            widget.description = label(f"filter_{key}", lang)
            widget.style.description_width = "initial"
        relabel(self.view, self._view_options(lang))
        relabel(self.region, self._region_options(lang))
        self.region.description = label("region_picker", lang)
        self.region.style.description_width = "initial"
        self.binding.description = label("binding_only", lang)
        self.as_of.description = label("as_of", lang)
        self.as_of.style.description_width = "initial"
        self.table.sort_hint = label("table_hint", lang)
        for button, key in zip(self.downloads, ("download_csv", "download_xlsx", "download_report")):
            button.label = label(key, lang)
        self.city_download.label = label("download_city_xlsx", lang)

    def _on_lang(self, _change: dict) -> None:
        self._muted = True
        try:
            self._label_controls()
            self.explorer.lang.value = self.lang.value
        finally:
            self._muted = False
        self.refresh()

    def _on_table_message(self, _widget: W.Widget, content: dict, _buffers: list) -> None:
        if content.get("event") == "drawn":
            self.explorer.draw_chart()

    def _on_select(self, _change: dict) -> None:
        self.explorer.set_visible(True)
        self.explorer.show(self.table.selected)
        self.view.value = "explorer"

    def _export(self) -> dict:
        """The shown rows of the downloadable table (columns and rows)."""
        export = self._page(self.lang.value)["export"]
        by_id = {r[0]: r for r in export["rows"]}
        return {"columns": export["columns"], "rows": [by_id[r["id"]] for r in self._shown]}

    def _report(self) -> None:
        """Ask for the as-of year's report; it is delivered to the page when it is ready."""
        button, lang, year, region = self.downloads[2], self.lang.value, self.as_of.value, self.region.value
        version = self.edition.data_version_of(region)
        button.note = label("report_building", lang)

        def work() -> None:
            try:
                data = report_zip(version, year, lang, self.db, region)
            except Exception:  # noqa: BLE001 (any failure: say so in the page, never a traceback)
                button.note = label("report_failed", lang)
                return
            button.deliver(data)

        threading.Thread(target=work, daemon=True).start()

    _muted = False

    def _refresh_city(self, lang: str, banner_shown: bool) -> None:
        city = self.edition.city_page(self.as_of.value, lang) if self.has_city else None
        if city is None:
            set_if_changed(self.city_html, "value", "")
            return
        head = (f"<h1>{html.escape(city['title'])}</h1><p>{html.escape(city['members'])}</p>"
                + (banner_html(lang) if city["demo"] and not banner_shown else ""))  # one banner is enough
        set_if_changed(self.city_html, "value", head + city["html"])
        self.city_download.rename(f"{label('view_city', lang)}-{self.as_of.value}.xlsx")

    def _page(self, lang: str) -> dict:
        """The build's page of the shown region, as-of year and language."""
        return self.edition.page(self.as_of.value, lang, self.region.value)

    def filters(self) -> TableFilters:
        """The table filters the controls describe."""
        return TableFilters(plan=self.plan.value or None, domain=self.domain.value or None,
                            unit=self.unit.value or None, binding_only=self.binding.value,
                            status=self.status.value or None)

    def refresh(self) -> None:
        """Redraw every output from the controls (outputs that do not change are left alone)."""
        if self._muted:
            return
        lang = self.lang.value
        page = self._page(lang)
        self._shown = shown = sort_rows(filter_rows(page["rows"], self.filters()), self.table.sort_key,
                                        self.table.sort_desc)
        set_if_changed(self.title, "value", f"<h1>{html.escape(page['title'])}</h1>")
        set_if_changed(self.banner, "value", banner_html(lang) if page["demo"] else "")
        self.banner.layout.display = None if page["demo"] else "none"
        set_if_changed(self.alerts, "value", page["alerts_html"])
        set_if_changed(self.tiles, "value", page["tiles_html"])
        set_if_changed(self.overview_chart, "value", page["overview_html"])
        set_if_changed(self.table_title, "value", f"<h2>{html.escape(label('table_title', lang))}</h2>")
        set_if_changed(self.count, "value", label("showing", lang, n=len(shown), total=len(page["rows"])))
        self.downloads[2].rename(f"{label('report_file', lang)}-{self.as_of.value}.zip")
        with self.table.hold_sync():
            set_if_changed(self.table, "columns", page["columns"])
            set_if_changed(self.table, "rows", [{k: v for k, v in r.items() if k != KEY} for r in shown])
            set_if_changed(self.table, "caption", label("table_hint", lang))
        self._refresh_city(lang, page["demo"])
        self.overview.layout.display = None if self.view.value == "overview" else "none"
        self.city.layout.display = None if self.view.value == "city" else "none"
        self.explorer.ui.layout.display = None if self.view.value == "explorer" else "none"
        self.explorer.set_visible(self.view.value == "explorer")
