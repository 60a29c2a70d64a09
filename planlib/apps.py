"""The leadership apps: the plan dashboard and the indicator explorer (ipywidgets; Voila and JupyterLab).

Three layers, top to bottom:

* :class:`Model`, the data of one version (catalogue and observations) with everything derived
  from them (assessments, projections, explorer views) computed once and cached: interactions
  never refit a model that was fitted before. :func:`load_model` returns the same
  :class:`Model` while the data do not change, and keeps its cache on disk, keyed by the data
  version and the code that computes it, so that each preheated Voila kernel reuses it.
* Pure functions that shape what the apps show: :func:`overview_table`, :func:`filter_table`,
  :func:`sort_table`, :func:`status_counts`, :func:`domain_status_counts`,
  :func:`binding_alerts`, :func:`export_table` and the small HTML builders.
* The widget classes :class:`Dashboard` and :class:`Explorer`: controls built in ``__init__``,
  one ``refresh`` method that redraws into the outputs, the layout as ``.ui``. They hold no
  analysis logic. :class:`IndicatorTable` is the keyboard-usable table (an anywidget whose
  JavaScript ships in ``planlib/static``; nothing is loaded from outside the machine).

Usage in a notebook::

    from planlib.apps import Dashboard
    Dashboard().ui
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import io
import os
import pickle
import zipfile
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import anywidget
import ipywidgets as W
import pandas as pd
import traitlets

from . import charts, i18n, report_format
from . import schema as S
from .config import COUNTY, NATIONAL, ROOT
from .errors import PlanlibError
from .targets import parse_target

STATIC = Path(__file__).parent / "static"
LATEST_YEAR, LATEST_VALUE = "latest_year", "latest_value"
PROJECTED, PROJ_LO, PROJ_HI = "projected_value", "projected_lower_95", "projected_upper_95"
ORDER, DOMAIN, DEMO = "order", "domain", "demo"
#: Statuses in the order the plans' readers count them (tiles, filters).
TILE_ORDER = list(S.STATUS_CODES)
#: Statuses that call for action, worst first.
ALERT_STATUSES = (S.OFF_TRACK, S.AT_RISK)


def _label(key: str, lang: str, **fmt) -> str:
    text = i18n.t(key, lang, i18n.APP_LABELS)
    return text.format(**fmt) if fmt else text


# --- the model layer: one data version, assessed once -------------------------------------------

def data_version(catalog: pd.DataFrame, observations: pd.DataFrame) -> str:
    """A short hash of the catalogue and observations: equal data, equal version.

    Examples:
        >>> a = pd.DataFrame({"x": [1, 2]})
        >>> data_version(a, a) == data_version(a.copy(), a.copy()), data_version(a, a) == data_version(a, a + 1)
        (True, False)
    """
    digest = hashlib.sha256()
    for frame in (catalog, observations):
        digest.update("\x1f".join(map(str, frame.columns)).encode())
        digest.update(pd.util.hash_pandas_object(frame.astype(object), index=False).values.tobytes())
    return digest.hexdigest()[:16]


class Model:
    """The catalogue and observations of one data version, and everything derived from them, cached.

    Assessments, projections, explorer views and overview figures are computed on first use and
    kept in :attr:`cache`; :meth:`prepare` computes what the dashboard needs up front.
    :func:`load_model` also keeps the cache on disk (:func:`cache_file`), so that a data version
    is assessed once, not once per kernel.

    Args:
        catalog: ``load_catalog()`` (``schema.CATALOG_COLUMNS``).
        observations: ``load_observations()`` (``schema.OBS_COLUMNS``).

    Examples:
        >>> cat = pd.DataFrame({"indicator_id": ["X1"], "plan": ["women"], "number": [1],
        ...     "domain_zh": ["妇女与健康"], "domain_en": ["Health"], "name_zh": ["某率（%）"],
        ...     "name_en": ["Some rate (%)"], "unit": ["%"], "target_text": ["≥ 90"],
        ...     "target_year": [2030], "attribute": ["binding"], "responsible_units": ["县妇联"],
        ...     "reference_indicator": [""]})
        >>> obs = pd.DataFrame({"indicator_id": ["X1"] * 3, "region": ["石柱县"] * 3,
        ...     "year": [2020, 2021, 2022], "value": [80.0, 82.0, 84.0], "source": ["demo"] * 3})
        >>> m = Model(cat, obs)
        >>> m.years, m.assessment(2022) is m.assessment(2022)
        ([2020, 2021, 2022], True)
    """

    def __init__(self, catalog: pd.DataFrame, observations: pd.DataFrame):
        self.catalog = catalog.reset_index(drop=True)
        self.observations = observations.reset_index(drop=True)
        self.version = data_version(self.catalog, self.observations)
        self.cache: dict[tuple, object] = {}
        self.cache_path: Path | None = None
        self._saved = 0

    def _cached(self, key: tuple, compute):
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]

    @property
    def years(self) -> list[int]:
        """The years with county data, ascending."""
        county = self.observations[self.observations[S.REGION] == COUNTY]
        return sorted(int(y) for y in county.dropna(subset=[S.VALUE])[S.YEAR].unique())

    @property
    def latest_year(self) -> int | None:
        """The latest year with county data (the default as-of year)."""
        return self.years[-1] if self.years else None

    def assessment(self, as_of: int | None = None) -> pd.DataFrame:
        """``planlib.assess.assess_detail`` of this data up to ``as_of``."""
        from .assess import assess_detail  # imported here: assessment pulls in statsmodels

        return self._cached(("assessment", as_of),
                            lambda: assess_detail(self.catalog, self.observations, as_of=as_of))

    def table(self, as_of: int | None = None) -> pd.DataFrame:
        """The :func:`overview_table` of the assessment up to ``as_of``."""
        return self._cached(("table", as_of), lambda: overview_table(self.catalog, self.assessment(as_of)))

    def indicator(self, indicator_id: str) -> dict:
        """The catalogue row of one indicator, as a dict."""
        rows = self.catalog[self.catalog[S.INDICATOR_ID] == indicator_id]
        return rows.iloc[0].to_dict()

    def projection(self, indicator_id: str, method: str = "auto", as_of: int | None = None) -> pd.DataFrame:
        """The county projection of one indicator to its target year, fitted once per key.

        Raises:
            PlanlibError: the method does not suit the series.
        """
        return self._cached(("projection", indicator_id, method, as_of), lambda: project_indicator(
            self.observations, self.indicator(indicator_id), method, as_of))

    def view(self, indicator_id: str, method: str = "auto", as_of: int | None = None,
             lang: str = "zh") -> ExplorerView:
        """The explorer's chart, data and words for one indicator (:func:`explorer_view`)."""
        return self._cached(("view", indicator_id, method, as_of, lang),
                            lambda: explorer_view(self, indicator_id, method, as_of, lang))

    def overview_figure(self, as_of: int | None = None, lang: str = "zh") -> str:
        """The domain-by-status chart as inline SVG (:func:`figure_html`)."""
        def draw() -> str:
            chart = charts.domain_status_chart(domain_status_counts(self.table(as_of)), lang)
            return figure_html(chart.to_dict(validate=False), _label("overview_chart_title", lang))

        return self._cached(("overview", as_of, lang), draw)

    def prepare(self, as_of: int | None = None, lang: str = "zh") -> Model:
        """Compute what the dashboard shows first, so that no interaction waits for it.

        That is every indicator's explorer view in ``lang`` and the overview in both languages;
        views in the other language are made when first asked for.
        """
        for other in i18n.LANGS:
            self.overview_figure(as_of, other)
        for ident in self.catalog[S.INDICATOR_ID]:
            self.view(ident, "auto", as_of, lang)
        return self

    def save(self) -> None:
        """Keep the cache on disk (when :func:`load_model` gave it a file and it has grown)."""
        if self.cache_path is None or len(self.cache) == self._saved:
            return
        try:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.cache_path.with_suffix(f".tmp{os.getpid()}")
            tmp.write_bytes(pickle.dumps(self.cache, protocol=pickle.HIGHEST_PROTOCOL))
            tmp.replace(self.cache_path)
            self._saved = len(self.cache)
            for old in sorted(self.cache_path.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime)[:-4]:
                old.unlink(missing_ok=True)
        except OSError:
            return

    def restore(self, path: Path) -> None:
        """Use ``path`` as this model's cache file, loading what it already holds."""
        self.cache_path = path
        try:
            self.cache.update(pickle.loads(path.read_bytes()))
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return
        self._saved = len(self.cache)


_MODELS: dict[str, Model] = {}
CACHE_DIR = ROOT / "build" / "app-cache"
#: The modules whose code decides what the cache holds.
CACHED_BY = ("apps", "assess", "charts", "config", "errors", "forecast", "i18n", "report_format", "schema",
             "targets")


def code_version() -> str:
    """A hash of the code that computes what the cache holds: new code, new cache.

    Examples:
        >>> len(code_version())
        12
    """
    digest = hashlib.sha256(f"{alt.__version__} {pd.__version__}".encode())
    for name in CACHED_BY:
        digest.update((Path(__file__).parent / f"{name}.py").read_bytes())
    return digest.hexdigest()[:12]


def cache_file(model: Model) -> Path:
    """Where the cache of a model's data version lives (``build/app-cache``, not in git)."""
    return CACHE_DIR / f"{model.version}-{code_version()}.pickle"


def load_model(db: str | None = None) -> Model:
    """The shipped catalogue and the current observations (store, else shipped), as a :class:`Model`.

    The same object comes back while the data are unchanged, so its cache is shared by every app
    in the kernel; across kernels the cache is kept in :func:`cache_file`.
    """
    from .catalog import load_catalog
    from .observations import load_observations

    catalog = load_catalog()
    observations = load_observations(catalog=catalog, db=db)
    version = data_version(catalog, observations)
    if version not in _MODELS:
        model = Model(catalog, observations)
        model.restore(cache_file(model))
        _MODELS[version] = model
    return _MODELS[version]


def indicator_series(observations: pd.DataFrame, indicator_id: str, as_of: int | None,
                     target_year: int) -> pd.DataFrame:
    """The county series the assessment projects: one value per year, up to ``as_of``.

    Examples:
        >>> obs = pd.DataFrame({"indicator_id": ["A"] * 4, "region": ["石柱县"] * 3 + ["全国"],
        ...     "year": [2021, 2022, 2023, 2022], "value": [1.0, 2.0, 3.0, 9.0]})
        >>> indicator_series(obs, "A", 2022, 2030)[["year", "value"]].values.tolist()
        [[2021.0, 1.0], [2022.0, 2.0]]
    """
    rows = observations[(observations[S.INDICATOR_ID] == indicator_id)
                        & (observations[S.REGION] == COUNTY)].dropna(subset=[S.VALUE])
    if as_of is not None:
        rows = rows[rows[S.YEAR] <= as_of]
    rows = rows[rows[S.YEAR] <= target_year].sort_values(S.YEAR, kind="stable")
    rows = rows.drop_duplicates(S.YEAR, keep="last")
    cols = [S.YEAR, S.VALUE, S.NUMERATOR, S.DENOMINATOR]
    return rows.reindex(columns=cols).reset_index(drop=True)


def project_indicator(observations: pd.DataFrame, indicator: dict, method: str = "auto",
                      as_of: int | None = None) -> pd.DataFrame:
    """Project one catalogue indicator as the assessment does (empty when it cannot be projected).

    Qualitative targets and series of fewer than two years give an empty frame; the rest is
    :func:`planlib.assess.project_series`, the one place that decides how an indicator is projected.
    """
    from .assess import project_series  # imported here: assessment pulls in statsmodels

    empty = pd.DataFrame(columns=S.PROJECTION_COLUMNS)
    if parse_target(indicator[S.TARGET_TEXT]).kind == "qualitative":
        return empty
    target_year = int(indicator[S.TARGET_YEAR])
    series = indicator_series(observations, indicator[S.INDICATOR_ID], as_of, target_year)
    if len(series) < 2:
        return empty
    return project_series(series, indicator[S.UNIT], target_year, method)


# --- what the dashboard shows: pure functions ----------------------------------------------------

def overview_table(catalog: pd.DataFrame, assessment: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator: the catalogue joined with its county assessment.

    Args:
        catalog: ``schema.CATALOG_COLUMNS``.
        assessment: ``assess`` or ``assess_detail`` output (county rows are used; a ``demo``
            column, when present, says whether the indicator's data are illustrative).

    Returns:
        A new frame in catalogue order with the catalogue's columns, ``domain`` (the short
        类别), ``order``, ``demo`` and the assessment's status and numbers.

    Examples:
        >>> cat = pd.DataFrame({"indicator_id": ["W01"], "plan": ["women"], "domain_zh": ["妇女与健康"],
        ...     "attribute": ["binding"], "target_text": ["< 8"]})
        >>> ass = pd.DataFrame({"indicator_id": ["W01", "W01"], "region": ["石柱县", "全国"],
        ...     "status": ["at_risk", "achieved"], "latest_value": [9.0, 7.0]})
        >>> overview_table(cat, ass)[["indicator_id", "domain", "status", "latest_value", "demo"]].values.tolist()
        [['W01', '健康', 'at_risk', 9.0, False]]
    """
    county = assessment[assessment[S.REGION] == COUNTY].drop_duplicates(S.INDICATOR_ID)
    keep = [c for c in county.columns if c not in catalog.columns or c == S.INDICATOR_ID]
    table = catalog.merge(county[keep], on=S.INDICATOR_ID, how="left")
    if DEMO not in table:
        table[DEMO] = False
    return table.assign(**{
        DOMAIN: table[S.DOMAIN_ZH].map(i18n.short_domain),
        ORDER: range(len(table)),
        DEMO: table[DEMO].fillna(False).astype(bool),
        "status": table["status"].fillna(S.INSUFFICIENT_DATA),
    })


@dataclass(frozen=True)
class TableFilters:
    """The dashboard's table filters; ``None`` means all.

    Attributes:
        plan: "women" or "children".
        domain: a short 类别 (健康, 教育 ...), see :func:`planlib.i18n.short_domain`.
        unit: a responsible unit (an indicator matches if it is one of its units).
        binding_only: only binding (约束性) indicators.
        status: a status code.
    """

    plan: str | None = None
    domain: str | None = None
    unit: str | None = None
    binding_only: bool = False
    status: str | None = None


def filter_table(table: pd.DataFrame, filters: TableFilters) -> pd.DataFrame:
    """The rows of an :func:`overview_table` that pass the filters.

    Examples:
        >>> t = pd.DataFrame({"plan": ["women", "children"], "domain": ["健康", "健康"],
        ...     "responsible_units": ["县妇联;县卫生健康委", "县教委"],
        ...     "attribute": ["binding", "expected"], "status": ["at_risk", "on_track"]})
        >>> len(filter_table(t, TableFilters(plan="children"))), len(filter_table(t, TableFilters(binding_only=True)))
        (1, 1)
        >>> filter_table(t, TableFilters(unit="县卫生健康委"))["plan"].tolist()
        ['women']
    """
    keep = pd.Series(True, index=table.index)
    for column, wanted in ((S.PLAN, filters.plan), (DOMAIN, filters.domain), ("status", filters.status)):
        if wanted:
            keep &= table[column] == wanted
    if filters.unit:
        keep &= table[S.RESPONSIBLE_UNITS].fillna("").map(lambda cell: filters.unit in cell.split(";"))
    if filters.binding_only:
        keep &= table[S.ATTRIBUTE] == S.BINDING
    return table[keep]


#: The table's sortable columns and the value each sorts on.
SORT_KEYS = {"id": ORDER, "name": S.NAME_ZH, "target": S.TARGET_TEXT, "attribute": S.ATTRIBUTE,
             "latest": LATEST_VALUE, "projected": PROJECTED, "status": "status",
             "units": S.RESPONSIBLE_UNITS}


def sort_table(table: pd.DataFrame, key: str = "id", descending: bool = False) -> pd.DataFrame:
    """The table sorted by one of :data:`SORT_KEYS`; status sorts worst first; blanks last.

    Examples:
        >>> t = pd.DataFrame({"order": [0, 1, 2], "status": ["achieved", "off_track", "at_risk"],
        ...                   "latest_value": [1.0, None, 3.0]})
        >>> sort_table(t, "status")["order"].tolist(), sort_table(t, "latest", True)["order"].tolist()
        ([1, 2, 0], [2, 0, 1])
    """
    column = SORT_KEYS.get(key, ORDER)
    if column == "status":
        rank = table["status"].map(i18n.STATUS_ORDER.index)
        return table.assign(_rank=rank).sort_values(["_rank", ORDER], ascending=[not descending, True],
                                                     kind="stable").drop(columns="_rank")
    return table.sort_values([column, ORDER], ascending=[not descending, True], na_position="last",
                             kind="stable")


def status_counts(table: pd.DataFrame) -> pd.DataFrame:
    """How many indicators of each plan are in each status (every status, zeros included).

    Examples:
        >>> t = pd.DataFrame({"plan": ["women", "women", "children"],
        ...                   "status": ["at_risk", "at_risk", "achieved"]})
        >>> c = status_counts(t)
        >>> c[(c.plan == "women") & (c.status == "at_risk")]["n"].item(), len(c)
        (2, 12)
    """
    grid = pd.MultiIndex.from_product([["women", "children"], TILE_ORDER], names=[S.PLAN, "status"])
    counts = table.groupby([S.PLAN, "status"]).size().reindex(grid, fill_value=0)
    return counts.rename("n").reset_index()


def domain_status_counts(table: pd.DataFrame) -> pd.DataFrame:
    """How many indicators of each plan's domain are in each status (non-zero rows only).

    Examples:
        >>> t = pd.DataFrame({"plan": ["women"] * 3, "domain": ["健康", "健康", "教育"],
        ...                   "status": ["at_risk", "at_risk", "achieved"], "order": [0, 1, 2]})
        >>> domain_status_counts(t).values.tolist()
        [['women', '健康', 'at_risk', 2], ['women', '教育', 'achieved', 1]]
    """
    first = table.groupby([S.PLAN, DOMAIN])[ORDER].transform("min")
    counts = (table.assign(_first=first).groupby([S.PLAN, DOMAIN, "status", "_first"]).size()
              .rename("n").reset_index().sort_values(["_first", "status"], kind="stable"))
    return counts.drop(columns="_first").reset_index(drop=True)


def binding_alerts(table: pd.DataFrame) -> pd.DataFrame:
    """Binding (约束性) indicators off track or at risk, worst first, then in catalogue order.

    Examples:
        >>> t = pd.DataFrame({"indicator_id": ["A", "B", "C"], "attribute": ["binding"] * 3,
        ...     "status": ["at_risk", "achieved", "off_track"], "order": [0, 1, 2]})
        >>> binding_alerts(t)["indicator_id"].tolist()
        ['C', 'A']
    """
    hit = table[(table[S.ATTRIBUTE] == S.BINDING) & table["status"].isin(ALERT_STATUSES)]
    return sort_table(hit, "status")


#: A value as a reader sees it: at most two decimals (three below 1), thousands separated, "—" if missing.
fmt_number = functools.partial(report_format.fmt_number, digits=None)


def fmt_latest(value: object, year: object, lang: str = "zh") -> str:
    """Latest value with its year.

    Examples:
        >>> fmt_latest(91.5, 2023), fmt_latest(91.5, 2023, "en"), fmt_latest(None, None)
        ('91.5（2023年）', '91.5 (2023)', '—')
    """
    if fmt_number(value) == "—":
        return "—"
    year = int(year)
    return f"{fmt_number(value)}（{year}年）" if lang == "zh" else f"{fmt_number(value)} ({year})"


def fmt_interval(value: object, lower: object, upper: object) -> str:
    """A projected value with its 95 % interval.

    Examples:
        >>> fmt_interval(93.14, 90.2, 95.81), fmt_interval(None, None, None)
        ('93.14 (90.2–95.81)', '—')
    """
    if fmt_number(value) == "—":
        return "—"
    if fmt_number(lower) == "—":
        return fmt_number(value)
    return f"{fmt_number(value)} ({fmt_number(lower)}–{fmt_number(upper)})"


def unit_names(cell: object, lang: str = "zh") -> str:
    """Responsible units as a reader sees them.

    Examples:
        >>> unit_names("县妇联;县教委"), unit_names("县妇联;县教委", "en")
        ('县妇联、县教委', "County Women's Federation; County Education Commission")
    """
    units = [u for u in str(cell or "").split(";") if u]
    if lang == "zh":
        return "、".join(units)
    return "; ".join(i18n.RESPONSIBLE_UNIT_LABELS.get(u, u) for u in units)


def display_rows(table: pd.DataFrame, lang: str = "zh") -> list[dict]:
    """The rows the table widget draws: formatted strings keyed by column, plus id and status.

    Examples:
        >>> t = pd.DataFrame({"indicator_id": ["W03"], "name_zh": ["孕产妇死亡率（1/10万）"],
        ...     "name_en": ["Maternal mortality"], "target_text": ["< 8"], "attribute": ["binding"],
        ...     "latest_value": [9.1], "latest_year": [2023], "projected_value": [7.5],
        ...     "projected_lower_95": [5.0], "projected_upper_95": [10.0], "status": ["at_risk"],
        ...     "responsible_units": ["县卫生健康委"]})
        >>> r = display_rows(t)[0]
        >>> r["name"], r["latest"], r["status_label"], r["attribute"]
        ('孕产妇死亡率（1/10万）', '9.1（2023年）', '⚠ 存在风险', '约束性')
    """
    name = S.NAME_ZH if lang == "zh" else S.NAME_EN
    return [{
        "id": r[S.INDICATOR_ID], "name": r[name], "target": r[S.TARGET_TEXT],
        "attribute": i18n.ATTRIBUTE_LABELS[r[S.ATTRIBUTE]][lang],
        "latest": fmt_latest(r[LATEST_VALUE], r[LATEST_YEAR], lang),
        "projected": fmt_interval(r[PROJECTED], r[PROJ_LO], r[PROJ_HI]),
        "status": r["status"], "status_label": i18n.status_label(r["status"], lang),
        "status_color": i18n.STATUS_COLORS[r["status"]],
        "units": unit_names(r[S.RESPONSIBLE_UNITS], lang),
    } for r in table.to_dict("records")]


TABLE_COLUMNS = ("id", "name", "target", "attribute", "latest", "projected", "status", "units")


def table_columns(lang: str = "zh") -> list[dict]:
    """Headings of the table widget.

    Examples:
        >>> [c["label"] for c in table_columns("en")][:3]
        ['Code', 'Indicator', 'Target']
    """
    keys = {"id": "col_id", "name": "col_name", "target": "col_target", "attribute": "col_attribute",
            "latest": "col_latest", "projected": "col_projected", "status": "col_status",
            "units": "col_units"}
    return [{"key": k, "label": _label(keys[k], lang)} for k in TABLE_COLUMNS]


def export_table(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The table as downloaded: tidy numbers, localised headings, the demo label where it applies.

    Examples:
        >>> t = pd.DataFrame({"indicator_id": ["W03"], "plan": ["women"], "domain": ["健康"],
        ...     "name_zh": ["孕产妇死亡率（1/10万）"], "name_en": ["Maternal mortality"],
        ...     "target_text": ["< 8"], "target_year": [2030], "attribute": ["binding"],
        ...     "latest_value": [9.1], "latest_year": [2023], "projected_value": [7.5],
        ...     "projected_lower_95": [5.0], "projected_upper_95": [10.0], "p_meet": [0.4],
        ...     "status": ["at_risk"], "method": ["poisson"], "explanation_zh": ["说明"],
        ...     "explanation_en": ["why"], "responsible_units": ["县卫生健康委"], "demo": [True]})
        >>> e = export_table(t, "en").iloc[0]
        >>> e["Status"], e["Data note"], e["Plan"]
        ('At risk', 'Illustrative data (not official statistics)', "Women's Development Plan")
    """
    name = S.NAME_ZH if lang == "zh" else S.NAME_EN
    columns = {
        "col_id": table[S.INDICATOR_ID],
        "col_plan": table[S.PLAN].map(lambda p: i18n.PLAN_LABELS[p][lang]),
        "col_domain": table[DOMAIN].map(lambda d: d if lang == "zh" else i18n.DOMAIN_LABELS.get(d, d)),
        "col_name": table[name], "col_target": table[S.TARGET_TEXT],
        "col_target_year": table[S.TARGET_YEAR],
        "col_attribute": table[S.ATTRIBUTE].map(lambda a: i18n.ATTRIBUTE_LABELS[a][lang]),
        "col_latest_value": table[LATEST_VALUE], "col_latest_year": table[LATEST_YEAR],
        "col_projected_value": table[PROJECTED], "col_lower_95": table[PROJ_LO],
        "col_upper_95": table[PROJ_HI], "col_p_meet": table["p_meet"],
        "col_status": table["status"].map(lambda c: i18n.status_label(c, lang, icon=False)),
        "col_method": table[S.METHOD].map(lambda m: _method_label(m, lang)),
        "col_explanation": table[f"explanation_{lang}"],
        "col_units": table[S.RESPONSIBLE_UNITS].map(lambda u: unit_names(u, lang)),
        "col_data_note": table[DEMO].map(lambda d: i18n.t("demo_banner", lang) if d else ""),
    }
    return pd.DataFrame({_label(k, lang): v.to_numpy() for k, v in columns.items()})


def _method_label(method: object, lang: str) -> str:
    if not isinstance(method, str) or not method:
        return ""
    entry = i18n.METHOD_LABELS.get(method)
    return entry[lang] if entry else method


# --- downloads: files made on request and saved from the page (blob: URLs, never the network) ---

MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "png": "image/png", "svg": "image/svg+xml", "zip": "application/zip"}


def report_zip(year: int, lang: str = "zh", db: str | os.PathLike | None = None) -> bytes:
    """The annual monitoring report of ``year`` (HTML, Word and Excel) as one zip, for download.

    It reads the store read-only, like everything the dashboard shows, and is made only when
    asked for (a whole report takes some 10-30 s), never while the dashboard loads.
    """
    from .report import build_report_bytes

    files = build_report_bytes(year=year, kind="annual", lang=lang, db=db)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(name, data)
    return buffer.getvalue()


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so that Excel opens the Chinese text correctly.

    Examples:
        >>> csv_bytes(pd.DataFrame({"指标": ["甲"]}))[:3] == b"\\xef\\xbb\\xbf"
        True
    """
    return frame.to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "Sheet1") -> bytes:
    """An Excel workbook of one sheet.

    Examples:
        >>> xlsx_bytes(pd.DataFrame({"a": [1]}))[:2]
        b'PK'
    """
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=sheet[:31])
    return buffer.getvalue()


# --- HTML pieces ---------------------------------------------------------------------------------

def banner_html(lang: str = "zh") -> str:
    """The demo-data banner.

    Examples:
        >>> "示例数据（非官方统计）" in banner_html()
        True
    """
    return (f'<div class="planlib-demo-banner" role="note">⚠ <strong>'
            f'{html.escape(i18n.t("demo_banner", lang))}</strong></div>')


def tiles_html(counts: pd.DataFrame, lang: str = "zh") -> str:
    """Per-plan status counts as tiles: icon, words and number, with the status colour as a border.

    Examples:
        >>> t = pd.DataFrame({"plan": ["women"], "status": ["at_risk"]})
        >>> 'data-status="at_risk" data-count="1"' in tiles_html(status_counts(t))
        True
    """
    cards = []
    for plan in ("women", "children"):
        rows = counts[counts[S.PLAN] == plan]
        items = "".join(
            f'<li data-status="{r.status}" data-count="{r.n}" style="border-left-color:'
            f'{i18n.STATUS_COLORS[r.status]}"><span class="planlib-tile-label">'
            f'{html.escape(i18n.status_label(r.status, lang))}</span>'
            f'<span class="planlib-tile-n">{r.n}</span></li>' for r in rows.itertuples())
        total = _label("n_of_total", lang, n=int(rows["n"].sum()))
        cards.append(f'<section class="planlib-tile" data-plan="{plan}"><h3>'
                     f'{html.escape(i18n.PLAN_LABELS[plan][lang])} <small>{total}</small></h3>'
                     f'<ul>{items}</ul></section>')
    heading = html.escape(_label("at_a_glance", lang))
    return f'<h2>{heading}</h2><div class="planlib-tiles">{"".join(cards)}</div>'


def alerts_html(alerts: pd.DataFrame, lang: str = "zh") -> str:
    """The binding indicators that need action, listed first on the dashboard.

    Examples:
        >>> a = pd.DataFrame({"indicator_id": ["W03"], "name_zh": ["孕产妇死亡率（1/10万）"],
        ...                   "name_en": ["MMR"], "status": ["off_track"]})
        >>> "✖ 难以达标" in alerts_html(a)
        True
    """
    title = html.escape(_label("binding_alert_title", lang))
    if alerts.empty:
        body = f'<p>{html.escape(_label("binding_alert_none", lang))}</p>'
    else:
        name = S.NAME_ZH if lang == "zh" else S.NAME_EN
        body = "<ul>" + "".join(
            f'<li data-id="{r[S.INDICATOR_ID]}"><span class="planlib-status" style="border-color:'
            f'{i18n.STATUS_COLORS[r["status"]]}">{html.escape(i18n.status_label(r["status"], lang))}</span> '
            f'{r[S.INDICATOR_ID]} {html.escape(str(r[name]))}</li>'
            for r in alerts.to_dict("records")) + "</ul>"
    return f'<section class="planlib-alerts" aria-label="{title}"><h2>{title}</h2>{body}</section>'


def info_html(indicator: dict, row: dict | None, lang: str = "zh") -> str:
    """The explorer's words about one indicator: status, numbers, method and explanation.

    Args:
        indicator: its catalogue row.
        row: its county assessment row (``assess_detail``), or None.
        lang: "zh" or "en".
    """
    status = (row or {}).get("status") or S.INSUFFICIENT_DATA
    parts = [f'<p class="planlib-info-status"><span class="planlib-status" style="border-color:'
             f'{i18n.STATUS_COLORS[status]}">{html.escape(i18n.status_label(status, lang))}</span></p>']
    lines = [_label("attribute", lang, attribute=i18n.ATTRIBUTE_LABELS[indicator[S.ATTRIBUTE]][lang]),
             _label("responsible", lang, units=unit_names(indicator[S.RESPONSIBLE_UNITS], lang))]
    if row:
        lines += _number_lines(row, lang)
    parts.append("<ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in lines) + "</ul>")
    if row and isinstance(row.get(f"explanation_{lang}"), str):
        parts.append(f'<p class="planlib-explanation"><strong>{html.escape(_label("explanation", lang))}'
                     f'</strong>：{html.escape(row[f"explanation_{lang}"])}</p>'.replace(
                         "：", "：" if lang == "zh" else ": ", 1))
    return f'<div class="planlib-info">{"".join(parts)}</div>'


def _number_lines(row: dict, lang: str) -> list[str]:
    lines = []
    if fmt_number(row.get(LATEST_VALUE)) != "—":
        lines.append(_label("latest", lang, value=fmt_number(row[LATEST_VALUE]), year=int(row[LATEST_YEAR])))
    else:
        lines.append(_label("no_latest", lang))
    if fmt_number(row.get(PROJECTED)) != "—":
        lines.append(_label("projected", lang, year=int(row[S.TARGET_YEAR]), value=fmt_number(row[PROJECTED]),
                            lower=fmt_number(row.get(PROJ_LO)), upper=fmt_number(row.get(PROJ_HI))))
    if fmt_number(row.get("p_meet")) != "—":
        lines.append(_label("p_meet", lang, p=f"{float(row['p_meet']):.0%}"))
    if fmt_number(row.get("required_annual_change")) != "—":
        lines.append(_label("required_change", lang, req=_percent(row["required_annual_change"]),
                            obs=_percent(row.get("observed_annual_change"))))
    if row.get(S.METHOD):
        lines.append(_label("method_assessed", lang, method=_method_label(row[S.METHOD], lang)))
    return lines


def _percent(x: object) -> str:
    text = fmt_number(x)
    return text if text == "—" else f"{text}%"


STYLE = """<style>
.planlib-app { font-size: 14px; color: #1a1a1a; max-width: 1320px; }
.planlib-app h1 { font-size: 22px; margin: 4px 0 8px; line-height: 1.3; }
.planlib-app h2 { font-size: 17px; margin: 12px 0 6px; }
.planlib-demo-banner { background: #fff4d6; border: 2px solid #E69F00; border-radius: 4px;
  padding: 6px 12px; margin: 4px 0 8px; font-size: 15px; }
.planlib-tiles { display: flex; flex-wrap: wrap; gap: 12px; }
.planlib-tile { border: 1px solid #d0d0d0; border-radius: 6px; padding: 8px 12px; min-width: 250px; flex: 1 1 250px; }
.planlib-tile h3 { font-size: 15px; margin: 0 0 6px; }
.planlib-tile h3 small { font-weight: normal; color: #444; }
.planlib-tile ul, .planlib-alerts ul, .planlib-info ul { list-style: none; margin: 0; padding: 0; }
.planlib-tile li { display: flex; justify-content: space-between; border-left: 6px solid;
  padding: 3px 8px; margin: 3px 0; background: #fafafa; }
.planlib-tile-n { font-weight: 700; font-size: 16px; }
.planlib-alerts { border: 2px solid #D55E00; border-radius: 6px; padding: 6px 12px; margin-bottom: 10px; }
.planlib-alerts h2 { margin-top: 2px; }
.planlib-alerts li { margin: 4px 0; }
.planlib-status { display: inline-block; white-space: nowrap; padding: 1px 6px; border-left: 6px solid;
  border-radius: 3px; background: #fafafa; }
.planlib-info { max-width: 480px; line-height: 1.6; }
.planlib-figure { margin: 0; max-width: 100%; overflow-x: auto; }
.planlib-row { gap: 6px 16px; }
.planlib-info li { margin: 2px 0; }
.planlib-download { display: inline-block; margin: 4px 12px 4px 0; padding: 4px 10px; border: 1px solid #0072B2;
  border-radius: 4px; color: #0b5394; text-decoration: none; }
.planlib-download:focus-visible { outline: 3px solid #0072B2; }
.planlib-app .widget-dropdown > select, .planlib-app .widget-label { font-size: 14px; }
</style>"""


# --- the explorer's content: pure functions -------------------------------------------------------

@dataclass(frozen=True)
class ExplorerView:
    """What the explorer shows for one indicator, method, as-of year and language.

    Attributes:
        spec: the chart as a Vega-Lite dict (what the page draws and vl-convert renders).
        data: the numbers behind the chart (:func:`chart_data`).
        info: the words beside it (:func:`info_html`).
        demo: whether illustrative data are shown.
    """

    spec: dict
    data: pd.DataFrame
    info: str
    demo: bool


def explorer_view(model: Model, indicator_id: str, method: str = "auto", as_of: int | None = None,
                  lang: str = "zh") -> ExplorerView:
    """The explorer's chart, chart data and words; the projection comes from the model's cache.

    A method that does not suit the series gives a chart without projection, and the reason in
    the chart's subtitle.
    """
    indicator = model.indicator(indicator_id)
    observed = explorer_observations(model.observations, indicator_id, as_of)
    notes: list[str] = []
    try:
        projection = model.projection(indicator_id, method, as_of)
    except PlanlibError as exc:
        projection = pd.DataFrame(columns=S.PROJECTION_COLUMNS)
        notes.append(exc.text(lang))
    rows = model.assessment(as_of)
    match = rows[(rows[S.INDICATOR_ID] == indicator_id) & (rows[S.REGION] == COUNTY)]
    row = match.iloc[0].to_dict() if len(match) else None
    demo = bool((observed[S.SOURCE] == S.DEMO_SOURCE).any())
    if (observed[S.REGION] == NATIONAL).any():
        notes.append(_label("national_note", lang))
    if observed["later"].any():
        notes.append(_label("later_points", lang))
    text = chart_text(indicator, projection, demo, lang, notes)
    chart = charts.indicator_chart(observed, projection, parse_target(indicator[S.TARGET_TEXT]), text)
    return ExplorerView(chart.to_dict(validate=False), chart_data(observed, projection, indicator_id, lang),
                        info_html(indicator, row, lang), demo)


def chart_text(indicator: dict, projection: pd.DataFrame, demo: bool, lang: str,
               notes: list[str] | None = None) -> charts.ChartText:
    """Title and subtitle lines of the explorer chart.

    Examples:
        >>> ind = {"name_zh": "孕产妇死亡率（1/10万）", "name_en": "MMR", "target_text": "< 8",
        ...        "target_year": 2030}
        >>> proj = pd.DataFrame({"method": ["poisson"]})
        >>> chart_text(ind, proj, True, "zh").notes
        ('图中预测方法：泊松模型（罕见事件计数）；阴影：80% 与 95% 预测区间', '示例数据（非官方统计）')
    """
    name = indicator[S.NAME_ZH if lang == "zh" else S.NAME_EN]
    lines = list(notes or [])
    if len(projection):
        sep = "；" if lang == "zh" else "; "
        method = _label("method_used", lang, method=_method_label(projection[S.METHOD].iloc[-1], lang))
        lines.insert(0, method + sep + _label("bands_note", lang))
    if demo:
        lines.append(i18n.t("demo_banner", lang))
    return charts.ChartText(name, indicator[S.TARGET_TEXT], int(indicator[S.TARGET_YEAR]), lang, tuple(lines))


def explorer_observations(observations: pd.DataFrame, indicator_id: str, as_of: int | None) -> pd.DataFrame:
    """One indicator's observations (county and national); county years after ``as_of`` marked ``later``.

    Examples:
        >>> obs = pd.DataFrame({"indicator_id": ["A"] * 3, "region": ["石柱县", "石柱县", "全国"],
        ...                     "year": [2021, 2023, 2023], "value": [1.0, 2.0, 3.0]})
        >>> explorer_observations(obs, "A", 2022)["later"].tolist()
        [False, True, False]
    """
    rows = observations[observations[S.INDICATOR_ID] == indicator_id].dropna(subset=[S.VALUE])
    later = (rows[S.REGION] != NATIONAL) & (rows[S.YEAR] > as_of) if as_of is not None else False
    return rows.reindex(columns=S.OBS_COLUMNS).assign(later=later).reset_index(drop=True)


def chart_data(observed: pd.DataFrame, projection: pd.DataFrame, indicator_id: str,
               lang: str = "zh") -> pd.DataFrame:
    """The numbers behind an explorer chart, tidy: observations, fitted and projected years.

    Examples:
        >>> obs = pd.DataFrame({"indicator_id": ["A"], "region": ["石柱县"], "year": [2021],
        ...                     "value": [1.0], "source": ["demo"], "confirmation": [""]})
        >>> proj = pd.DataFrame({"year": [2021, 2022], "mean": [1.0, 1.5], "lower_80": [1.0, 1.2],
        ...     "upper_80": [1.0, 1.8], "lower_95": [1.0, 1.0], "upper_95": [1.0, 2.0],
        ...     "method": ["linear"] * 2, "is_projection": [False, True]})
        >>> chart_data(obs, proj, "A", "en")[["Kind", "Year", "Value"]].values.tolist()
        [['Observed', 2021, 1.0], ['Fitted', 2021, 1.0], ['Projected', 2022, 1.5]]
    """
    kinds = {False: _label("kind_fitted", lang), True: _label("kind_projection", lang)}
    obs = pd.DataFrame({"kind": _label("kind_observed", lang), "region": observed[S.REGION],
                        "year": observed[S.YEAR], "value": observed[S.VALUE],
                        "source": observed[S.SOURCE].fillna(""),
                        "confirmation": observed[S.CONFIRMATION].fillna("")})
    proj = pd.DataFrame({"kind": projection[S.IS_PROJECTION].astype(bool).map(kinds), "region": COUNTY,
                         "year": projection[S.YEAR], "value": projection[S.MEAN]})
    for col in (S.LOWER_80, S.UPPER_80, S.LOWER_95, S.UPPER_95, S.METHOD):
        proj[col] = projection[col].to_numpy()
    frame = pd.concat([obs, proj], ignore_index=True).assign(indicator_id=indicator_id)
    frame["data_note"] = frame["source"].map(lambda s: i18n.t("demo_banner", lang) if s == S.DEMO_SOURCE else "")
    headings = {"indicator_id": "col_id", "kind": "col_kind", "region": "col_region", "year": "col_year",
                "value": "col_value", "source": "col_source", "confirmation": "col_confirmation",
                "method": "col_method", "data_note": "col_data_note"}
    ordered = ["indicator_id", "kind", "region", "year", "value", S.LOWER_80, S.UPPER_80, S.LOWER_95,
               S.UPPER_95, "method", "source", "confirmation", "data_note"]
    frame = frame[ordered].astype({"year": int})
    return frame.rename(columns={k: _label(v, lang) for k, v in headings.items()})


def figure_html(spec: dict, description: str) -> str:
    """A chart drawn once, offline, as inline SVG: for charts that need no interaction.

    Examples:
        >>> spec = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q").to_dict()
        >>> figure_html(spec, "一个点").startswith('<figure class="planlib-figure" role="img" aria-label="一个点"><svg')
        True
    """
    svg = charts.render(spec, "svg").decode("utf-8")
    return (f'<figure class="planlib-figure" role="img" aria-label="{html.escape(description)}">'
            f'{svg}</figure>')


# --- the widgets ---------------------------------------------------------------------------------

class IndicatorTable(anywidget.AnyWidget):
    """The indicator table: sortable headings and selectable rows, all reachable by keyboard.

    Python owns the data: set ``columns`` and ``rows`` (see :func:`display_rows`); the front end
    sets ``sort_key``/``sort_desc`` when a heading is pressed and ``selected`` (and increments
    ``select_count``) when a row is opened, and sends ``{"event": "drawn"}`` once it is on screen.
    """

    _esm = (STATIC / "indicator_table.js").read_text(encoding="utf-8")
    _css = (STATIC / "indicator_table.css").read_text(encoding="utf-8")
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

    _esm = (STATIC / "download_button.js").read_text(encoding="utf-8")
    label = traitlets.Unicode("").tag(sync=True)
    filename = traitlets.Unicode("").tag(sync=True)
    mime = traitlets.Unicode("").tag(sync=True)
    request = traitlets.Int(0).tag(sync=True)
    ready = traitlets.Int(0).tag(sync=True)
    payload = traitlets.Unicode("").tag(sync=True)

    def __init__(self, producer, filename: str, label: str):
        super().__init__(label=label, filename=filename, mime=MIME[filename.rsplit(".", 1)[-1]])
        self.producer = producer
        self.observe(self._answer, names="request")

    def rename(self, filename: str) -> None:
        """Save under another name (same extension)."""
        _set(self, "filename", filename)

    def _answer(self, _change: dict) -> None:
        data = self.producer()
        with self.hold_sync():
            self.payload = base64.b64encode(data).decode("ascii")
            self.ready += 1
        self.payload = ""


def _set(widget: W.Widget, name: str, value: object) -> None:
    """Assign a trait only when it changes, so that unchanged outputs are not redrawn."""
    if getattr(widget, name) != value:
        setattr(widget, name, value)


def _relabel(dropdown: W.Dropdown, options: list[tuple[str, object]]) -> None:
    """New option labels for a selection widget, keeping its value."""
    value = dropdown.value
    values = [v for _, v in options]
    if [tuple(o) for o in options] != [tuple(o) for o in dropdown.options]:
        dropdown.options = options
    dropdown.value = value if value in values else values[0]


def _lang_toggle(lang: str) -> W.ToggleButtons:
    toggle = W.ToggleButtons(options=[("中文", "zh"), ("English", "en")], value=lang,
                             style={"button_width": "80px"}, layout=W.Layout(width="auto"))
    toggle.add_class("planlib-lang")
    return toggle


def _chart_widget() -> alt.JupyterChart:
    alt.JupyterChart.enable_offline()
    return alt.JupyterChart(alt.Chart(pd.DataFrame({"x": []})).mark_point(),
                            embed_options={"renderer": "svg", "actions": False})


def _row(*children: W.Widget) -> W.Box:
    box = W.Box(list(children), layout=W.Layout(display="flex", flex_flow="row wrap", align_items="center"))
    box.add_class("planlib-row")
    return box


class Explorer:
    """One indicator in depth: chart, status and explanation, method picker, as-of slider, downloads.

    Args:
        model: the data (default :func:`load_model`).
        indicator_id: the indicator shown first (default the first of the catalogue).
        lang: "zh" (default) or "en".
        embedded: inside the dashboard, which shows the language toggle and demo banner itself
            and drives ``lang``.
    """

    def __init__(self, model: Model | None = None, indicator_id: str | None = None, lang: str = "zh",
                 embedded: bool = False):
        from .forecast import METHODS

        self.model = model or load_model()
        years = self.model.years or [2020]
        self.methods = ["auto", *METHODS]
        self.lang = _lang_toggle(lang)
        self.lang.layout.display = "none" if embedded else None
        self.embedded = embedded
        self.visible = not embedded
        self.indicator = W.Dropdown(options=self._indicator_options(lang), layout=W.Layout(width="440px"),
                                    value=indicator_id or self.model.catalog[S.INDICATOR_ID].iloc[0])
        self.method = W.Dropdown(options=self._method_options(lang), value="auto", layout=W.Layout(width="340px"))
        self.as_of = W.IntSlider(value=years[-1], min=years[0], max=years[-1], continuous_update=False,
                                 layout=W.Layout(width="340px"))
        self.banner, self.info, self.chart = W.HTML(), W.HTML(), _chart_widget()
        self.downloads = [DownloadButton(lambda: charts.render(self._view.spec, "png"), "chart.png", ""),
                          DownloadButton(lambda: charts.render(self._view.spec, "svg"), "chart.svg", ""),
                          DownloadButton(lambda: csv_bytes(self._view.data), "chart-data.csv", "")]
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
        body = _row(self.chart, self.info)
        body.layout.align_items = "flex-start"
        box = W.VBox([W.HTML(STYLE), top, _row(self.indicator, self.method, self.as_of), self.banner, body,
                      _row(*self.downloads)])
        box.add_class("planlib-app")
        box.add_class("planlib-explorer")
        return box

    def _indicator_options(self, lang: str) -> list[tuple[str, str]]:
        name = S.NAME_ZH if lang == "zh" else S.NAME_EN
        return [(f"{r[S.INDICATOR_ID]} {r[name]}", r[S.INDICATOR_ID]) for r in self.model.catalog.to_dict("records")]

    def _method_options(self, lang: str) -> list[tuple[str, str]]:
        return [(_method_label(m, lang), m) for m in self.methods]

    def _label_controls(self) -> None:
        lang = self.lang.value
        for widget, key in ((self.indicator, "indicator"), (self.method, "method"), (self.as_of, "as_of_projection")):
            widget.description = _label(key, lang)
            widget.style.description_width = "initial"
        for button, key in zip(self.downloads, ("download_png", "download_svg", "download_data")):
            button.label = _label(key, lang)

    def _on_lang(self, _change: dict) -> None:
        self._muted = True
        try:
            _relabel(self.indicator, self._indicator_options(self.lang.value))
            _relabel(self.method, self._method_options(self.lang.value))
            self._label_controls()
        finally:
            self._muted = False
        self.refresh()

    def show(self, indicator_id: str) -> None:
        """Show another indicator (the dashboard calls this when a row is selected)."""
        self.indicator.value = indicator_id

    def draw_chart(self) -> None:
        """Draw the chart even while hidden (the dashboard does so once its table is on screen)."""
        _set(self.chart, "spec", self._view.spec)

    def set_visible(self, visible: bool) -> None:
        """Whether the explorer is on screen: while hidden, its chart is not drawn at all."""
        if visible != self.visible:
            self.visible = visible
            self.refresh()

    _muted = False

    def refresh(self) -> None:
        """Redraw the chart and the words from the controls (views are built once, then reused)."""
        if self._muted:
            return
        key = (self.indicator.value, self.method.value, self.as_of.value, self.lang.value)
        self._view = view = self.model.view(*key)
        if self.visible:
            _set(self.chart, "spec", view.spec)
        _set(self.info, "value", view.info)
        demo = view.demo and not self.embedded
        _set(self.banner, "value", banner_html(key[3]) if demo else "")
        self.banner.layout.display = None if demo else "none"
        for button, ext in zip(self.downloads, ("png", "svg", "csv")):
            button.rename(f"{key[0]}-{key[2]}-{key[1]}.{ext}" if ext != "csv" else f"{key[0]}-{key[2]}-data.csv")


class Dashboard:
    """The plans at a glance: status tiles, binding alerts, domain overview, the indicator table.

    Selecting an indicator in the table opens it in the embedded :class:`Explorer`.

    Args:
        model: the data (default :func:`load_model`).
        lang: "zh" (default) or "en".
    """

    def __init__(self, model: Model | None = None, lang: str = "zh"):
        self.model = model or load_model()
        self.model.prepare(self.model.latest_year, lang)
        self.model.save()
        years = self.model.years or [None]
        options = self._filter_options(lang)
        self.lang = _lang_toggle(lang)
        self.as_of = W.Dropdown(options=[(str(y), y) for y in reversed(years)], value=years[-1],
                                layout=W.Layout(width="200px"))
        self.view = W.ToggleButtons(options=options["view"], value="overview", style={"button_width": "150px"})
        self.plan = W.Dropdown(options=options["plan"], layout=W.Layout(width="260px"))
        self.domain = W.Dropdown(options=options["domain"], layout=W.Layout(width="260px"))
        self.unit = W.Dropdown(options=options["unit"], layout=W.Layout(width="340px"))
        self.status = W.Dropdown(options=options["status"], layout=W.Layout(width="230px"))
        self.binding = W.Checkbox(value=False, indent=False, layout=W.Layout(width="auto"))
        self.title, self.banner, self.alerts, self.tiles = W.HTML(), W.HTML(), W.HTML(), W.HTML()
        self.table_title, self.count = W.HTML(), W.HTML()
        self.table, self.overview_chart = IndicatorTable(), W.HTML()
        self.downloads = [DownloadButton(lambda: csv_bytes(self._export()), "indicators.csv", ""),
                          DownloadButton(lambda: xlsx_bytes(self._export(), "indicators"), "indicators.xlsx", ""),
                          DownloadButton(lambda: report_zip(self.as_of.value, self.lang.value),
                                         "report.zip", "")]
        self.explorer = Explorer(self.model, self._first_alert(years[-1]), lang, embedded=True)
        self._label_controls()
        self.ui = self._layout()
        self.refresh()
        self._observe()

    def _first_alert(self, as_of: int | None) -> str | None:
        alerts = binding_alerts(self.model.table(as_of))
        return alerts[S.INDICATOR_ID].iloc[0] if len(alerts) else None

    def _layout(self) -> W.Box:
        names = {"plan": self.plan, "domain": self.domain, "unit": self.unit, "status": self.status,
                 "binding": self.binding, "as-of": self.as_of, "view": self.view, "table": self.table,
                 "tiles": self.tiles, "alerts": self.alerts, "banner": self.banner, "count": self.count,
                 "overview-chart": self.overview_chart}
        for name, widget in names.items():
            widget.add_class(f"planlib-w-{name}")
        head = _row(self.title, self.lang)
        head.layout.justify_content = "space-between"
        glance = _row(self.tiles, self.overview_chart)
        glance.layout.align_items = "flex-start"
        self.overview = W.VBox([self.alerts, glance, self.table_title,
                                _row(self.plan, self.domain, self.unit, self.status, self.binding),
                                _row(self.count, *self.downloads), self.table])
        box = W.VBox([W.HTML(STYLE), head, self.banner, _row(self.view, self.as_of), self.overview,
                      self.explorer.ui])
        box.add_class("planlib-app")
        box.add_class("planlib-dashboard")
        return box

    def _observe(self) -> None:
        for widget in (self.plan, self.domain, self.unit, self.status, self.binding, self.as_of, self.view):
            widget.observe(lambda _change: self.refresh(), names="value")
        self.table.observe(lambda _change: self.refresh(), names=["sort_key", "sort_desc"])
        self.table.observe(self._on_select, names="select_count")
        self.table.on_msg(self._on_table_message)
        self.lang.observe(self._on_lang, names="value")
        self.as_of.observe(lambda change: setattr(self.explorer.as_of, "value", change["new"]), names="value")

    def _filter_options(self, lang: str) -> dict[str, list[tuple[str, object]]]:
        from .catalog import units_of

        every = [(_label("all", lang), "")]
        domains = list(dict.fromkeys(self.model.catalog[S.DOMAIN_ZH].map(i18n.short_domain)))
        return {
            "plan": every + [(i18n.PLAN_LABELS[p][lang], p) for p in ("women", "children")],
            "domain": every + [(d if lang == "zh" else i18n.DOMAIN_LABELS.get(d, d), d) for d in domains],
            "unit": every + [(unit_names(u, lang), u) for u in units_of(self.model.catalog)],
            "status": every + [(i18n.status_label(c, lang), c) for c in TILE_ORDER],
            "view": [(_label("view_overview", lang), "overview"), (_label("view_explorer", lang), "explorer")],
        }

    def _label_controls(self) -> None:
        lang = self.lang.value
        options = self._filter_options(lang)
        for key in ("plan", "domain", "unit", "status", "view"):
            widget = getattr(self, key)
            _relabel(widget, options[key])
            if key != "view":
                widget.description = _label(f"filter_{key}", lang)
                widget.style.description_width = "initial"
        self.binding.description = _label("binding_only", lang)
        self.as_of.description = _label("as_of", lang)
        self.as_of.style.description_width = "initial"
        self.table.sort_hint = _label("table_hint", lang)
        for button, key in zip(self.downloads, ("download_csv", "download_xlsx", "download_report")):
            button.label = _label(key, lang)

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

    def _export(self) -> pd.DataFrame:
        return export_table(self._shown, self.lang.value)

    _muted = False

    def filters(self) -> TableFilters:
        """The table filters the controls describe."""
        return TableFilters(plan=self.plan.value or None, domain=self.domain.value or None,
                            unit=self.unit.value or None, binding_only=self.binding.value,
                            status=self.status.value or None)

    def refresh(self) -> None:
        """Redraw every output from the controls (outputs that do not change are left alone)."""
        if self._muted:
            return
        if ("table", self.as_of.value) not in self.model.cache:
            self.count.value = _label("computing", self.lang.value, year=self.as_of.value)
        lang, table = self.lang.value, self.model.table(self.as_of.value)
        self._shown = shown = sort_table(filter_table(table, self.filters()), self.table.sort_key,
                                         self.table.sort_desc)
        demo = bool(table[DEMO].any())
        _set(self.title, "value", f"<h1>{html.escape(i18n.t('title', lang))}</h1>")
        _set(self.banner, "value", banner_html(lang) if demo else "")
        self.banner.layout.display = None if demo else "none"
        _set(self.alerts, "value", alerts_html(binding_alerts(table), lang))
        _set(self.tiles, "value", tiles_html(status_counts(table), lang))
        _set(self.overview_chart, "value", self.model.overview_figure(self.as_of.value, lang))
        _set(self.table_title, "value", f"<h2>{html.escape(_label('table_title', lang))}</h2>")
        _set(self.count, "value", _label("showing", lang, n=len(shown), total=len(table)))
        self.downloads[2].rename(f"{_label('report_file', lang)}-{self.as_of.value}.zip")
        with self.table.hold_sync():
            _set(self.table, "columns", table_columns(lang))
            _set(self.table, "rows", display_rows(shown, lang))
            _set(self.table, "caption", _label("table_hint", lang))
        self.overview.layout.display = None if self.view.value == "overview" else "none"
        self.explorer.ui.layout.display = None if self.view.value == "explorer" else "none"
        self.explorer.set_visible(self.view.value == "explorer")
