"""Charts: functions that take tidy frames and return ``alt.Chart`` objects, and the project theme.

Importing this module registers and enables the ``planlib`` Altair theme: fonts that carry
Chinese glyphs (Noto Sans CJK SC first, which Debian's ``fonts-noto-cjk`` provides, then the
usual Chinese system fonts) and the Okabe-Ito palette, which stays distinguishable for readers
with colour-vision deficiency. Status colours come from :mod:`planlib.i18n`, always next to a
text label so that colour is never the only carrier of meaning.

Chart functions never call ``display``; the apps wrap them in ``alt.JupyterChart``.
:func:`render` draws a chart (or its Vega-Lite dict) to PNG or SVG offline with vl-convert, with
the fonts that carry Chinese glyphs registered, for the apps' downloads and the reports' images.

Building charts is kept cheap (about 50 ms for the explorer chart): encodings name their field
and type instead of a shorthand Altair has to parse, and data go in as inline values
(:func:`_inline`) rather than DataFrames that Altair sanitises and copies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import pandas as pd

from . import i18n
from . import schema as S
from .formats import is_missing
from .config import COUNTY, MIDTERM_YEAR, NATIONAL, PARENT_CITY, REFERENCE_REGIONS
from .render import CJK_FONT_DIRS, json_safe, register_cjk_fonts, render  # noqa: F401 (public here too)
from .targets import Target

THEME = "planlib"
FONT = ("'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', "
        "'WenQuanYi Micro Hei', sans-serif")
#: Okabe & Ito (2008), "Color Universal Design": safe for the common colour-vision deficiencies.
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]

#: Colours of the explorer's series (county blue, national reddish purple, the parent city orange,
#: target bluish green): Okabe-Ito colours, which stay apart for the common colour-vision deficiencies.
SERIES_COLORS = {"observed": "#0072B2", "later": "#999999", "trend": "#0072B2",
                 "projection": "#0072B2", "national": "#CC79A7", "city": "#E69F00", "target": "#009E73"}
#: Point shapes of the reference regions' series, so that shape too tells them apart.
REFERENCE_SHAPES = {"national": "diamond", "city": "square"}
BAND_COLOR = "#56B4E9"
MARKER_COLOR = "#555555"
#: The cache (:mod:`planlib.cache`) where :func:`render_reusing` keeps drawn charts.
RENDER_CACHE_NAME = "render-cache"
#: At most this many drawn charts are kept; the oldest go first.
RENDER_CACHE_SIZE = 2000


def __getattr__(name: str):
    # RENDER_CACHE, the folder of the drawn charts, is looked up when asked for: it depends on
    # $PLANLIB_HOME (planlib.config.cache_dir), which is not read at import time.
    if name == "RENDER_CACHE":
        from . import cache

        return cache.location(RENDER_CACHE_NAME)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@alt.theme.register(THEME, enable=True)
def planlib_theme() -> alt.theme.ThemeConfig:
    """The project theme: CJK-capable fonts, the Okabe-Ito palette, quiet axes.

    Examples:
        >>> alt.theme.active
        'planlib'
        >>> planlib_theme()["config"]["range"]["category"][0]
        '#E69F00'
    """
    return {
        "config": {
            "font": FONT,
            "title": {"font": FONT, "fontSize": 15, "anchor": "start", "subtitleFontSize": 12,
                      "subtitleColor": "#333333"},
            "axis": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 12,
                     "titleFontSize": 12, "gridColor": "#e6e6e6"},
            "legend": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 12,
                       "titleFontSize": 12, "labelLimit": 360},
            "header": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 13},
            "range": {"category": OKABE_ITO},
            "view": {"stroke": None},
        }
    }


def status_scale(lang: str = "zh") -> alt.Scale:
    """A colour scale from status labels (icon and words) to the Okabe-Ito status colours.

    Examples:
        >>> s = status_scale("en").to_dict()
        >>> s["domain"][0], s["range"][0]
        ('✖ Off track', '#D55E00')
    """
    return alt.Scale(domain=[i18n.status_label(c, lang) for c in i18n.STATUS_ORDER],
                     range=[i18n.STATUS_COLORS[c] for c in i18n.STATUS_ORDER])


def domain_status_chart(counts: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Stacked bars: how many indicators of each plan's domain are in each status.

    Args:
        counts: one row per plan, domain and status, with columns ``plan``, ``domain``
            (the short 类别, e.g. 健康), ``status`` (a code) and ``n``.
        lang: "zh" or "en".

    Returns:
        A chart faceted by plan, one bar per domain, coloured by status (legend: icon and words).

    Examples:
        >>> counts = pd.DataFrame({"plan": ["women", "women"], "domain": ["健康", "健康"],
        ...                        "status": ["achieved", "at_risk"], "n": [3, 1]})
        >>> spec = domain_status_chart(counts, "en").to_dict()
        >>> spec["facet"]["row"]["field"], spec["spec"]["encoding"]["x"]["type"]
        ('plan_label', 'quantitative')
    """
    frame = counts.assign(
        plan_label=counts[S.PLAN].map(lambda p: i18n.PLAN_LABELS[p][lang]),
        domain_label=counts["domain"].map(lambda d: _domain_label(d, lang)),
        status_label=counts["status"].map(lambda c: i18n.status_label(c, lang)),
        status_rank=counts["status"].map(i18n.STATUS_ORDER.index),
    )
    label = lambda key: i18n.t(key, lang, i18n.APP_LABELS)  # noqa: E731
    bars = alt.Chart(frame).mark_bar().encode(
        x=alt.X("sum(n):Q", title=label("n_indicators"), axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("domain_label:N", title=None, sort=None, axis=alt.Axis(labelLimit=260)),
        color=alt.Color("status_label:N", scale=status_scale(lang), title=label("status"),
                        legend=alt.Legend(orient="bottom", columns=3)),
        order=alt.Order("status_rank:Q"),
        tooltip=[alt.Tooltip("domain_label:N", title=label("domain")),
                 alt.Tooltip("status_label:N", title=label("status")),
                 alt.Tooltip("sum(n):Q", title=label("n_indicators"))],
    ).properties(width=300, height=alt.Step(18))
    return bars.facet(row=alt.Row("plan_label:N", title=None, sort=[
        i18n.PLAN_LABELS[p][lang] for p in ("women", "children")],
        header=alt.Header(labelAngle=0, labelAlign="left", labelOrient="top")),
    ).resolve_scale(y="independent").properties(title=label("overview_chart_title"))


def _domain_label(domain: str, lang: str) -> str:
    return domain if lang == "zh" else i18n.DOMAIN_LABELS.get(domain, domain)


@dataclass(frozen=True)
class ChartText:
    """The words around an indicator chart, already in the reader's language.

    Attributes:
        title: the indicator's name as printed (unit included).
        target_text: the target as printed, e.g. "≥ 92".
        target_year: the year the target is for.
        lang: "zh" or "en".
        notes: extra subtitle lines (method, demo label).
        size: the chart's width and height in pixels.
        region: the region whose plan the chart is of: its values are the observed series (the
            home county's by default; 示例县's in 示例县's explorer).
    """

    title: str
    target_text: str
    target_year: int = 2030
    lang: str = "zh"
    notes: tuple[str, ...] = ()
    size: tuple[int, int] = (560, 300)
    region: str = COUNTY


def series_frame(observed: pd.DataFrame, lang: str = "zh", region: str = COUNTY) -> pd.DataFrame:
    """Observations with the labels the chart shows: series, source and confirmation, localised.

    The rows of ``region`` (the region whose plan is shown; default the home county) are the
    observed series; those whose optional ``later`` column is true (observed after the as-of
    year) form their own series.

    Examples:
        >>> obs = pd.DataFrame({"region": ["石柱县", "全国"], "year": [2020, 2020],
        ...     "value": [1.0, 2.0], "source": ["demo", "NBS"], "confirmation": ["", "weak"]})
        >>> series_frame(obs, "en")[["series", "confirmation_label"]].values.tolist()
        [['Shizhu County (observed)', ''], ['China (national)', 'weak: no copy of the source found']]

        Every other region is a series of its own, by its own name (never the county's):

        >>> other = pd.DataFrame({"region": ["重庆市", "丰都县"], "year": [2020, 2020], "value": [1.0, 2.0]})
        >>> series_frame(other, "zh")["series"].tolist()
        ['重庆市', '丰都县（观测值）']
        >>> series_frame(other.assign(later=[False, True]), "en", region="丰都县")["series"].tolist()
        ['Chongqing (city)', '丰都县 (observed later)']
    """
    label = lambda key: i18n.t(key, lang, i18n.APP_LABELS)  # noqa: E731
    blank = pd.Series("", index=observed.index)
    conf = observed.get(S.CONFIRMATION, blank).fillna("").astype(str)
    source = observed.get(S.SOURCE, blank).fillna("").astype(str)
    later = observed.get("later", pd.Series(False, index=observed.index)).fillna(False).astype(bool)
    regions = observed[S.REGION].fillna(COUNTY).astype(str)
    series = regions.map(lambda r: label("series_region").format(region=i18n.region_label(r, lang)))
    series = series.mask(regions == region, series_name("observed", lang, region))
    series = series.mask((regions == region) & later, series_name("later", lang, region))
    series = series.mask(regions == NATIONAL, series_name("national", lang))
    series = series.mask(regions == PARENT_CITY, series_name("city", lang))
    return observed.assign(
        series=series,
        source_label=source.map(lambda s: label("demo_source") if s == S.DEMO_SOURCE else s),
        confirmation_label=conf.map(lambda c: label(f"confirmation_{c}")
                                    if i18n.has_label(f"confirmation_{c}", i18n.APP_LABELS) else c),
    )


def y_extent(observed: pd.DataFrame, projection: pd.DataFrame, target: Target | None) -> tuple[float, float]:
    """The value range the chart shows: data, both intervals and the target, padded by 8 %.

    The lower end stays at zero or above when every value is non-negative.

    Examples:
        >>> obs = pd.DataFrame({"value": [10.0, 20.0]})
        >>> proj = pd.DataFrame({"lower_95": [5.0], "upper_95": [30.0]})
        >>> y_extent(obs, proj, None)
        (3.0, 32.0)
    """
    values = [observed[S.VALUE].dropna()]
    for col in (S.MEAN, S.LOWER_95, S.UPPER_95):
        if col in projection:
            values.append(projection[col].dropna())
    extra = [v for v in _target_values(target) if v is not None]
    allv = pd.concat(values + [pd.Series(extra, dtype=float)])
    lo, hi = (float(allv.min()), float(allv.max())) if len(allv) else (0.0, 1.0)
    pad = (hi - lo) * 0.08 or max(abs(hi) * 0.08, 1.0)
    low = lo - pad if lo < 0 else max(0.0, lo - pad)
    return (_round(low), _round(hi + pad))


def _round(x: float) -> float:
    return float(round(x, 6)) if math.isfinite(x) else 0.0


def _target_values(target: Target | None) -> list[float | None]:
    if target is None or target.value is None:
        return []
    if target.band is not None:
        return list(target.band)
    return [target.value] if target.kind == "threshold" else []


def target_layers(target: Target | None, extent: tuple[float, float], lang: str = "zh") -> list[alt.Chart]:
    """The target drawn on the chart: a rule and a shaded side for ≥/≤, a band for 左右 and 趋于平衡.

    Directional, relative and qualitative targets have no line to draw (the subtitle states them).

    Examples:
        >>> from planlib.targets import parse_target
        >>> [l.mark.type for l in target_layers(parse_target("≥ 92"), (80, 100))]
        ['rect', 'rule']
        >>> target_layers(parse_target("逐年提高"), (0, 1))
        []
    """
    if target is None or target.value is None or target.kind not in ("threshold", "approx", "balance"):
        return []
    name = i18n.t("series_target", lang, i18n.APP_LABELS)
    if target.band is not None:
        lo, hi = target.band
    elif target.op in (">=", ">"):
        lo, hi = target.value, extent[1]
    else:
        lo, hi = extent[0], target.value
    zone = pd.DataFrame({"y": [lo], "y2": [hi], "label": [f"{name} {target.text}"]})
    shade = alt.Chart(_inline(zone)).mark_rect(color=SERIES_COLORS["target"], opacity=0.12).encode(
        y=_q(alt.Y, "y"), y2=alt.Y2(field="y2"), tooltip=[_n(alt.Tooltip, "label", title=name)])
    line = pd.DataFrame({"y": [target.value], "series": [name], "label": [f"{name} {target.text}"]})
    rule = alt.Chart(_inline(line)).mark_rule(strokeWidth=2, strokeDash=[6, 3]).encode(
        y=_q(alt.Y, "y"), color=_series_color(lang), tooltip=[_n(alt.Tooltip, "label", title=name)])
    return [shade, rule]


#: The reference region each named chart series is of ({region} in its label); the observed
#: series are of the region whose plan the chart shows.
_SERIES_REGIONS = {"national": NATIONAL, "city": PARENT_CITY}


def series_name(key: str, lang: str, region: str = COUNTY) -> str:
    """A chart series' name (``APP_LABELS["series_<key>"]``), its region named by
    :func:`planlib.i18n.region_label`: the observed series are of ``region`` (the region whose
    plan the chart shows), so another county's chart names that county.

    Examples:
        >>> series_name("observed", "zh"), series_name("city", "en"), series_name("trend", "en")
        ('石柱县（观测值）', 'Chongqing (city)', 'Fitted trend')
        >>> series_name("observed", "zh", "示例县")
        '示例县（演示）（观测值）'
    """
    text = i18n.t(f"series_{key}", lang, i18n.APP_LABELS)
    return text.format(region=i18n.region_label(_SERIES_REGIONS.get(key, region), lang))


def _series_scale(lang: str, region: str = COUNTY) -> alt.Scale:
    keys = ("observed", "later", "trend", "projection", "national", "city", "target")
    return alt.Scale(domain=[series_name(k, lang, region) for k in keys],
                     range=[SERIES_COLORS[k] for k in keys])


def _series_color(lang: str, shown: list[str] | None = None, region: str = COUNTY) -> alt.Color:
    legend = alt.Legend(orient="bottom", columns=3, values=shown) if shown else alt.Legend(orient="bottom", columns=3)
    return _n(alt.Color, "series", scale=_series_scale(lang, region), title=i18n.t("legend", lang, i18n.APP_LABELS),
                     legend=legend)


def _legend_of_present(layers: list, lang: str, region: str = COUNTY) -> list:
    """The layers, their legend listing only the series that are drawn (in the scale's order);
    every layer's colour is set here, with the observed series of ``region``."""
    def series_of(layer) -> set[str]:
        if not isinstance(layer, alt.Chart) or not isinstance(layer.data, dict):
            return set()
        return {row["series"] for row in layer.data.get("values", []) if "series" in row}

    present = set().union(*(series_of(layer) for layer in layers))
    shown = [s for s in _series_scale(lang, region).domain if s in present]
    color = _series_color(lang, shown, region)
    for layer in layers:
        if series_of(layer):
            # set in place: ``layer.encode(color=…)`` would deep-copy the layer and its inline
            # data, the largest cost of a chart (the layers were made here, for this chart alone)
            layer.encoding.color = color
    return layers


def _inline(frame: pd.DataFrame) -> dict:
    """``frame`` as inline Vega-Lite data: what Altair's data transformer makes of it, quicker.

    Missing values become None; Altair moves the values to the spec's top-level ``datasets``.

    Examples:
        >>> _inline(pd.DataFrame({"year": [2020, 2021], "value": [1.5, float("nan")]}))
        {'values': [{'year': 2020, 'value': 1.5}, {'year': 2021, 'value': None}]}
    """
    columns = [[None if is_missing(v) else v for v in frame[c].tolist()] for c in frame.columns]
    names = [str(c) for c in frame.columns]
    return {"values": [dict(zip(names, row)) for row in zip(*columns)]}


def _q(channel, field: str, **kwargs):
    """A quantitative encoding ``channel`` of ``field`` (no shorthand to parse: building stays cheap)."""
    return channel(field=field, type="quantitative", **kwargs)


def _n(channel, field: str, **kwargs):
    """A nominal encoding ``channel`` of ``field``."""
    return channel(field=field, type="nominal", **kwargs)


def projection_layers(projection: pd.DataFrame, lang: str = "zh") -> list[alt.Chart]:
    """The 95 % and 80 % bands, the fitted trend (solid) and the projection (dashed).

    Args:
        projection: a ``planlib.forecast.project`` frame (fitted and projected years).
        lang: "zh" or "en".

    Examples:
        >>> proj = pd.DataFrame({"year": [2020, 2021, 2022], "mean": [1.0, 2.0, 3.0],
        ...     "lower_80": [1.0, 1.5, 2.0], "upper_80": [1.0, 2.5, 4.0],
        ...     "lower_95": [1.0, 1.0, 1.5], "upper_95": [1.0, 3.0, 4.5],
        ...     "is_projection": [False, True, True]})
        >>> [l.mark.type for l in projection_layers(proj)]
        ['area', 'area', 'line', 'line']
    """
    if projection.empty:
        return []
    label = lambda key: i18n.t(key, lang, i18n.APP_LABELS)  # noqa: E731
    fitted = projection[~projection[S.IS_PROJECTION].astype(bool)]
    ahead = projection[projection[S.IS_PROJECTION].astype(bool)]
    # Start the projection where the fitted trend ends, so the two lines join.
    joined = pd.concat([fitted.tail(1), ahead]) if len(fitted) else ahead
    bands = joined.assign(band80=label("band_80"), band95=label("band_95"))
    x, bands = _q(alt.X, "year"), _inline(bands)
    band95 = alt.Chart(bands).mark_area(color=BAND_COLOR, opacity=0.18).encode(
        x=x, y=_q(alt.Y, "lower_95"), y2=alt.Y2(field="upper_95"),
        tooltip=_band_tooltip("lower_95", "upper_95", label("band_95"), lang))
    band80 = alt.Chart(bands).mark_area(color=BAND_COLOR, opacity=0.35).encode(
        x=x, y=_q(alt.Y, "lower_80"), y2=alt.Y2(field="upper_80"),
        tooltip=_band_tooltip("lower_80", "upper_80", label("band_80"), lang))
    trend = alt.Chart(_inline(fitted.assign(series=label("series_trend")))).mark_line(
        strokeWidth=2).encode(x=x, y=_q(alt.Y, "mean"), color=_series_color(lang))
    ahead_line = alt.Chart(_inline(joined.assign(series=label("series_projection")))).mark_line(
        strokeWidth=2, strokeDash=[5, 4]).encode(
        x=x, y=_q(alt.Y, "mean"), color=_series_color(lang),
        tooltip=[_q(alt.Tooltip, "year", title=label("year"), format="d"),
                 _q(alt.Tooltip, "mean", title=label("series_projection"), format=".4~r")])
    return [band95, band80, trend, ahead_line]


def _band_tooltip(lo: str, hi: str, title: str, lang: str) -> list[alt.Tooltip]:
    return [_q(alt.Tooltip, "year", title=i18n.t("year", lang, i18n.APP_LABELS), format="d"),
            _q(alt.Tooltip, lo, title=f"{title} ↓", format=".4~r"),
            _q(alt.Tooltip, hi, title=f"{title} ↑", format=".4~r")]


def observed_layers(observed: pd.DataFrame, lang: str = "zh", region: str = COUNTY) -> list[alt.Chart]:
    """The points of ``region`` (the region whose plan is shown) and, where present, each
    reference region's series (the nation, the parent city): a thin line and diamonds, hollow where the value is not confirmed, the source
    and confirmation in the tooltip.

    Examples:
        >>> obs = pd.DataFrame({"region": ["石柱县", "全国", "重庆市"], "year": [2020, 2020, 2020],
        ...     "value": [1.0, 2.0, 3.0], "source": ["demo", "NBS", "重庆日报"],
        ...     "confirmation": ["", "confirmed", "derived"]})
        >>> layers = observed_layers(obs)
        >>> [l.mark.type for l in layers]
        ['point', 'line', 'point', 'line', 'point']
        >>> [row["series"] for row in layers[0].data["values"]], layers[4].data["values"][0]["source_label"]
        (['石柱县（观测值）'], '重庆日报')
    """
    label = lambda key: i18n.t(key, lang, i18n.APP_LABELS)  # noqa: E731
    frame = series_frame(observed, lang, region)
    tooltip = [_n(alt.Tooltip, "series", title=label("series")),
               _q(alt.Tooltip, "year", title=label("year"), format="d"),
               _q(alt.Tooltip, "value", title=label("value"), format=".4~r"),
               _n(alt.Tooltip, "source_label", title=label("source"))]
    x, y = _q(alt.X, "year"), _q(alt.Y, "value")
    reference = frame[S.REGION].isin(REFERENCE_REGIONS)
    layers = [alt.Chart(_inline(frame[~reference])).mark_point(size=60, filled=True, opacity=1).encode(
        x=x, y=y, color=_series_color(lang), tooltip=tooltip)]
    tip = tooltip + [_n(alt.Tooltip, "confirmation_label", title=label("confirmation"))]
    for region, key in ((NATIONAL, "national"), (PARENT_CITY, "city")):
        rows = frame[frame[S.REGION] == region]
        if not len(rows):
            continue
        rows = _inline(rows.assign(
            confirmed=rows[S.CONFIRMATION].fillna("").isin(["confirmed", "derived"])))
        layers.append(alt.Chart(rows).mark_line(strokeWidth=1, opacity=0.7).encode(
            x=x, y=y, color=_series_color(lang)))
        layers.append(alt.Chart(rows).mark_point(shape=REFERENCE_SHAPES[key], size=50, opacity=1).encode(
            x=x, y=y, color=_series_color(lang), tooltip=tip,
            fill=alt.FillValue(value="white", condition={"test": "datum.confirmed",
                                                         "value": SERIES_COLORS[key]})))
    return layers


def year_markers(target_year: int, lang: str = "zh") -> alt.Chart:
    """Vertical rules at the 2025 mid-term review and at the target year, with their labels.

    Examples:
        >>> [row["label"] for row in year_markers(2030, "en").data["values"]]
        ['Mid-term review 2025', 'Target year 2030']
    """
    label = lambda key: i18n.t(key, lang, i18n.APP_LABELS)  # noqa: E731
    marks = pd.DataFrame({"year": [MIDTERM_YEAR, target_year],
                          "label": [f"{label('midterm')} {MIDTERM_YEAR}",
                                    f"{label('target_year')} {target_year}"]})
    base = alt.Chart(_inline(marks)).encode(x=_q(alt.X, "year"))
    rules = base.mark_rule(color=MARKER_COLOR, strokeDash=[2, 2])
    text = base.mark_text(align="right", baseline="top", dx=-4, dy=4, angle=0,
                          color=MARKER_COLOR, fontSize=11).encode(
        y=alt.YValue(0), text=_n(alt.Text, "label"))
    return alt.layer(rules, text)


def indicator_chart(observed: pd.DataFrame, projection: pd.DataFrame, target: Target | None,
                    text: ChartText) -> alt.LayerChart:
    """The explorer chart: bands, trend, projection, target, year markers, observed points.

    Args:
        observed: observations of one indicator (``schema.OBS_COLUMNS``; county and national rows).
        projection: its ``planlib.forecast.project`` frame (may be empty).
        target: the parsed target, or None.
        text: title, target text and notes in the reader's language.

    Returns:
        A layered chart with years on x (2025 and the target year marked) and values on y.

    Examples:
        >>> from planlib.targets import parse_target
        >>> obs = pd.DataFrame({"region": ["石柱县"] * 2, "year": [2021, 2022],
        ...     "value": [90.0, 91.0], "source": ["demo"] * 2, "confirmation": [""] * 2})
        >>> chart = indicator_chart(obs, pd.DataFrame(), parse_target("≥ 92"),
        ...                         ChartText("孕产妇系统管理率（%）", "≥ 92"))
        >>> spec = chart.to_dict()
        >>> spec["title"]["text"], [layer.get("mark", {}).get("type") for layer in spec["layer"]]
        ('孕产妇系统管理率（%）', ['point', 'rect', 'rule', None, 'point'])
    """
    extent = y_extent(observed, projection, target)
    first = int(min(observed[S.YEAR].min() if len(observed) else text.target_year,
                    projection[S.YEAR].min() if len(projection) else text.target_year))
    layers = (target_layers(target, extent, text.lang) + projection_layers(projection, text.lang)
              + [year_markers(text.target_year, text.lang)] + observed_layers(observed, text.lang, text.region))
    label = lambda key: i18n.t(key, text.lang, i18n.APP_LABELS)  # noqa: E731
    subtitle = [f"{label('target')}（{text.target_year}）：{text.target_text}" if text.lang == "zh"
                else f"{label('target')} ({text.target_year}): {text.target_text}", *text.notes]
    axes = frame_layer((first - 0.5, text.target_year + 0.5), extent, text.lang)
    return alt.LayerChart(layer=[axes, *_legend_of_present(layers, text.lang, text.region)],
                          title=alt.Title(text.title, subtitle=subtitle),
                          width=text.size[0], height=text.size[1])


def frame_layer(x_domain: tuple[float, float], y_domain: tuple[float, float],
                lang: str = "zh") -> alt.Chart:
    """An invisible layer that fixes both scales and names the axes for the whole layered chart.

    Vega-Lite lets one layer's explicit domain and title decide for all layers.

    Examples:
        >>> enc = frame_layer((2014.5, 2030.5), (0, 10), "en").to_dict()["encoding"]
        >>> enc["x"]["scale"]["domain"], enc["y"]["title"]
        ([2014.5, 2030.5], 'Value')
    """
    label = lambda key: i18n.t(key, lang, i18n.APP_LABELS)  # noqa: E731
    corners = pd.DataFrame({"year": list(x_domain), "value": list(y_domain)})
    return alt.Chart(_inline(corners)).mark_point(opacity=0).encode(
        x=_q(alt.X, "year", title=label("year"), scale=alt.Scale(domain=list(x_domain), nice=False),
                axis=alt.Axis(format="d", tickMinStep=1)),
        y=_q(alt.Y, "value", title=label("value"), scale=alt.Scale(domain=list(y_domain), nice=False)),
    )


# --- rendering offline ---------------------------------------------------------------------------

def render_reusing(spec: dict, fmt: str = "png", scale: float = 2.0,
                   cache: Path | None = None) -> bytes:
    """:func:`render`, reusing the file drawn before from the same specification.

    Files are kept in ``cache`` (default: the ``render-cache`` of :mod:`planlib.cache`) under a hash of the
    specification, format, scale, vl-convert version and fonts, so that a report made again
    redraws only the charts whose data changed. Without a writable cache it just renders.

    Examples:
        >>> import tempfile
        >>> spec = {"data": {"values": [{"x": 1}]}, "mark": "point",
        ...         "encoding": {"x": {"field": "x", "type": "quantitative"}}}
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     first = render_reusing(spec, "svg", cache=Path(tmp))
        ...     again = render_reusing(spec, "svg", cache=Path(tmp))
        ...     (first == again == render(spec, "svg"), len(list(Path(tmp).iterdir())))
        (True, 1)
    """
    import vl_convert as vlc

    from . import cache as disk

    folder = disk.location(RENDER_CACHE_NAME) if cache is None else cache
    name = f"{disk.key(spec, fmt, scale, vlc.__version__, register_cjk_fonts())}.{fmt}"
    return disk.get_or_make(folder, name, lambda: render(spec, fmt, scale), keep=RENDER_CACHE_SIZE)
