"""The data-intake app: upload filled templates, check them, confirm, see history and revisions.

One small class, :class:`IntakeApp`: controls built in ``__init__``, one :meth:`IntakeApp.refresh`
that redraws the outputs, the layout as ``.ui``. Checking and importing are
:func:`planlib.intake.import_files` (first as a dry run, then for real); the history and the
revisions come from :mod:`planlib.store`. Nothing here decides anything about the data. After a
confirmed import it asks for the dashboard's build to be made anew (in a separate process).

This app writes to the monitoring store, so it is served only by the token-protected intake
server (``make intake``), never by the leadership dashboard's server.

Usage in a notebook::

    from planlib.apps import IntakeApp
    IntakeApp().ui
"""

from __future__ import annotations

import base64
import html
import os
import tempfile
from pathlib import Path

import ipywidgets as W
import pandas as pd

from .. import i18n, intake, observations, store
from .. import schema as S
from ..catalog import units_of
from ..config import COUNTY
from ..errors import PlanlibError
from ..i18n import (INTAKE_FILE_COLUMNS as FILE_COLUMNS, INTAKE_HISTORY_COLUMNS as HISTORY_COLUMNS,
                    INTAKE_PROBLEM_COLUMNS as PROBLEM_COLUMNS, INTAKE_REVISION_COLUMNS as REVISION_COLUMNS)
from .build import start_build
from .widgets import relabel

#: The most rows any table of the app shows (the check of a hostile file may find thousands).
PAGE_ROWS = 50
STYLE = """<style>
.planlib-intake table { border-collapse: collapse; font-size: 13px; margin: 4px 0 12px; }
.planlib-intake th, .planlib-intake td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; }
.planlib-intake th { background: #eef3f8; }
.planlib-intake tr.error td { background: #fde8e0; }
.planlib-intake tr.warning td { background: #fff6dd; }
.planlib-intake .ok { color: #00734f; } .planlib-intake .bad { color: #b33c00; font-weight: bold; }
</style>"""


def _t(key: str, lang: str) -> str:
    return i18n.t(key, lang, i18n.INTAKE_LABELS)


def _table(frame: pd.DataFrame, names: dict, lang: str, row_class: str | None = None) -> str:
    """A frame as an escaped HTML table with translated headers: its first :data:`PAGE_ROWS`
    rows, then a line saying how many more there are."""
    cols = [c for c in names if c in frame.columns]
    head = "".join(f"<th>{html.escape(names[c][0 if lang == 'zh' else 1])}</th>" for c in cols)
    rows = []
    more = (f"<p>{html.escape(_t('more_rows', lang).format(n=len(frame) - PAGE_ROWS))}</p>"
            if len(frame) > PAGE_ROWS else "")
    for rec in frame.head(PAGE_ROWS).to_dict("records"):
        cls = f' class="{html.escape(str(rec[row_class]))}"' if row_class else ""
        cells = "".join(f"<td>{html.escape(_cell(rec[c]))}</td>" for c in cols)
        rows.append(f"<tr{cls}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{more}"


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _file_part(text: str) -> str:
    """A region's or unit's name as part of a file name: every character that a file name may
    not hold (a path separator, a control character) becomes "_".

    Examples:
        >>> _file_part("示例县"), _file_part("../县/卫健委")
        ('示例县', '.._县_卫健委')
    """
    return "".join("_" if ch in '/\\:*?"<>|' or not ch.isprintable() else ch for ch in text)


def _uploaded(value) -> dict[str, bytes]:
    """FileUpload's value as ``{file name: bytes}`` (names stripped of any folder)."""
    return {Path(str(f["name"])).name or "upload": bytes(f["content"]) for f in value or ()}


class IntakeApp:
    """Upload, check and import department submissions; show the history and revisions.

    Args:
        db: the store (default ``$PLANLIB_DB`` or ``data/monitoring.sqlite``); created from the
            shipped data if it does not exist.
        lang: "zh" (default) or "en".
    """

    def __init__(self, db: str | os.PathLike | None = None, lang: str = "zh"):
        from ..plans import plan_regions

        self.db, self.lang = observations.ensure_store(db)[0], lang
        # whose plan the templates, the indicator list and region-less CSV rows are of
        regions = plan_regions(self.db)
        self.region = W.Dropdown(description=_t("region", lang), value=COUNTY,
                                 options=[(i18n.region_label(r, lang), r) for r in regions])
        self.region.layout.display = None if len(regions) > 1 else "none"
        self.files: dict[str, bytes] = {}
        self.checked: intake.ImportResult | None = None
        self.imported: intake.ImportResult | None = None
        self.upload = W.FileUpload(accept=".xlsx,.csv", multiple=True, description=_t("upload", lang))
        self.who = W.Text(description=_t("who", lang), placeholder="姓名 / name")
        self.confirm = W.Button(description=_t("confirm", lang), button_style="success",
                                icon="check", disabled=True)
        self.check_out, self.history_out, self.revisions_out = W.HTML(), W.HTML(), W.HTML()
        self.indicator = W.Dropdown(description=_t("indicator", lang), layout=W.Layout(width="560px"))
        self.unit = W.Dropdown(description=_t("unit", lang))
        self._plan_options()
        self.year = W.BoundedIntText(description=_t("year", lang), min=intake.FIRST_YEAR,
                                     max=2030, value=pd.Timestamp.today().year - 1)
        self.make = W.Button(description=_t("make", lang), icon="download")
        self.template_link = W.HTML()
        self.ui = self._layout()
        self.upload.observe(self._on_upload, names="value")
        self.confirm.on_click(self._on_confirm)
        self.make.on_click(self._on_make)
        self.indicator.observe(lambda _change: self.refresh(), names="value")
        self.region.observe(self._on_region, names="value")
        self.refresh()

    def _plan_options(self) -> None:
        """The indicators and units of the chosen region's plan (the same choice where it has it)."""
        from ..plans import catalog_for

        catalog = catalog_for(self.region.value, self.db)
        relabel(self.indicator, [(f"{i} {n}", i) for i, n in zip(catalog[S.INDICATOR_ID], catalog[S.NAME_ZH])])
        relabel(self.unit, [(u, u) for u in ["all", *units_of(catalog)]])

    def _on_region(self, _change: dict) -> None:
        self._plan_options()
        self.template_link.value = ""  # a template made for the other region is not offered on
        if self.files:  # what was uploaded is checked again: CSV rows without a region are of this one
            self.checked, self.imported = self._run(dry_run=True), None
        self.refresh()

    def _layout(self) -> W.VBox:
        lang = self.lang
        box = W.VBox([
            W.HTML(STYLE + f"<h1>{_t('title', lang)}</h1><p>{_t('intro', lang)}</p>"),
            self.region,
            W.HBox([self.upload, self.who, self.confirm]),
            W.HTML(f"<h2>{_t('check_title', lang)}</h2>"), self.check_out,
            W.HTML(f"<h2>{_t('history', lang)}</h2>"), self.history_out,
            W.HTML(f"<h2>{_t('revisions', lang)}</h2>"), self.indicator, self.revisions_out,
            W.HTML(f"<h2>{_t('template', lang)}</h2>"),
            W.HBox([self.unit, self.year, self.make, self.template_link]),
        ])
        box.add_class("planlib-intake")
        return box

    # --- events: change the state, then refresh ---------------------------------------------------

    def _on_upload(self, change) -> None:
        if not change["new"]:  # the upload was cleared after an import: keep its result shown
            return
        self.files, self.imported = _uploaded(change["new"]), None
        self.checked = self._run(dry_run=True) if self.files else None
        self.refresh()

    def _on_confirm(self, _button=None) -> None:
        if not self.files or self.checked is None or not self.checked.ok:
            return
        self.imported = self._run(dry_run=False)
        if self.imported.ok:
            start_build(self.db)  # the dashboard shows the new values once its build is made anew
        self.files, self.checked = {}, None
        self.upload.value = ()
        self.refresh()

    def _run(self, dry_run: bool) -> intake.ImportResult:
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for name, data in self.files.items():
                (Path(tmp) / name).write_bytes(data)
                paths.append(Path(tmp) / name)
            return intake.import_files(paths, db=self.db, by=self.who.value.strip() or None,
                                       dry_run=dry_run, region=self.region.value)

    def _on_make(self, _button=None) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            region = self.region.value
            name = "-".join(["报送模板", *([] if region == COUNTY else [_file_part(region)]),
                             _file_part(self.unit.value), str(self.year.value)]) + ".xlsx"
            try:
                path = intake.write_template(self.unit.value, self.year.value, Path(tmp) / name, db=self.db,
                                             region=region)
            except PlanlibError as exc:
                self.template_link.value = f"<span class='bad'>{html.escape(exc.text(self.lang))}</span>"
                return
            data = base64.b64encode(path.read_bytes()).decode()
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        self.template_link.value = (f"<a download='{html.escape(name)}' href='data:{mime};base64,{data}'>"
                                    f"{html.escape(name)}</a>")

    # --- drawing ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Redraw the check result, the history and the revisions from the current state."""
        self.confirm.disabled = self.checked is None or not self.checked.ok
        self.check_out.value = self._check_html()
        subs = store.submissions(self.db)
        subs["imported_at"] = subs["imported_at"].map(store.local_time)
        self.history_out.value = _table(subs, HISTORY_COLUMNS, self.lang)
        revs = store.revisions(self.indicator.value, self.db)
        revs["changed_at"] = revs["changed_at"].map(store.local_time)
        self.revisions_out.value = (_table(revs, REVISION_COLUMNS, self.lang) if len(revs)
                                    else f"<p>{_t('no_revisions', self.lang)}</p>")

    def _check_html(self) -> str:
        result = self.imported or self.checked
        if result is None:
            return f"<p>{_t('nothing', self.lang)}</p>"
        verdict = ("done" if self.imported else "ok") if result.ok else "errors"
        css = "ok" if result.ok else "bad"
        files = _table(result.files_frame(self.lang), FILE_COLUMNS, self.lang)
        problems = result.problems_frame(self.lang)
        problems["kind"] = problems["severity"].map(
            {"error": "✖ " + _t("error", self.lang), "warning": "⚠ " + _t("warning", self.lang)})
        table = _table(problems, PROBLEM_COLUMNS, self.lang, "severity") if len(problems) else ""
        return f"<p class='{css}'>{_t(verdict, self.lang)}</p>{files}{table}"
