"""What the dashboard and the explorer show, shaped from the data: the build's content.

Pure functions from the catalogue, the assessment and the projections to what a reader sees: the
overview table (:func:`overview_table`), status counts, the binding alerts, the formatted table
rows, the downloadable table, the HTML pieces (tiles, alerts, an indicator's words) and the
explorer's chart and data. :func:`page_content` and :func:`view_content` put them together as
the plain data (JSON) that the build keeps for every as-of year and language; the viewers'
kernels and the static edition only read those.

This module imports pandas and Altair; it runs where the build runs, never in a viewer's kernel.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from .. import charts, i18n, reference
from .. import schema as S
from ..config import COUNTY, NATIONAL, PARENT_CITY, REFERENCE_REGIONS
from ..errors import PlanlibError
from ..formats import format_number, is_missing
from ..targets import parse_target
from .table import (DEMO, DOMAIN, LATEST_VALUE, LATEST_YEAR, ORDER, PROJ_HI, PROJ_LO, PROJECTED,
                    KEY, SORT_KEYS, TABLE_COLUMNS)
from .labels import label as _label, method_label as _method_label

#: Statuses in the order the plans' readers count them (tiles, filters).
TILE_ORDER = list(S.STATUS_CODES)
#: Statuses that call for action, worst first.
ALERT_STATUSES = (S.OFF_TRACK, S.AT_RISK)


# --- what the dashboard shows: pure functions ----------------------------------------------------

def overview_table(catalog: pd.DataFrame, assessment: pd.DataFrame, region: str = COUNTY) -> pd.DataFrame:
    """One row per indicator: the catalogue joined with the assessment of ``region``.

    Args:
        catalog: ``schema.CATALOG_COLUMNS`` (the plan of ``region``).
        assessment: ``assess`` or ``assess_detail`` output (the rows of ``region`` are used; a
            ``demo`` column, when present, says whether the indicator's data are illustrative).
        region: whose plan (default the home county).

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
    county = assessment[assessment[S.REGION] == region].drop_duplicates(S.INDICATOR_ID)
    keep = [c for c in county.columns if c not in catalog.columns or c == S.INDICATOR_ID]
    table = catalog.merge(county[keep], on=S.INDICATOR_ID, how="left")
    if DEMO not in table:
        table[DEMO] = False
    return table.assign(**{
        DOMAIN: table[S.DOMAIN_ZH].map(i18n.short_domain),
        ORDER: range(len(table)),
        DEMO: table[DEMO].fillna(False).astype(bool),
        S.ASSESSMENT_STATUS: table[S.ASSESSMENT_STATUS].fillna(S.INSUFFICIENT_DATA),
    })


def sort_table(table: pd.DataFrame, key: str = "id", descending: bool = False) -> pd.DataFrame:
    """The table sorted by one of :data:`SORT_KEYS`; status sorts worst first; blanks last.

    Examples:
        >>> t = pd.DataFrame({"order": [0, 1, 2], "status": ["achieved", "off_track", "at_risk"],
        ...                   "latest_value": [1.0, None, 3.0]})
        >>> sort_table(t, "status")["order"].tolist(), sort_table(t, "latest", True)["order"].tolist()
        ([1, 2, 0], [2, 0, 1])
    """
    column = SORT_KEYS.get(key, ORDER)
    if column == S.ASSESSMENT_STATUS:
        rank = table[S.ASSESSMENT_STATUS].map(i18n.STATUS_ORDER.index)
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
    grid = pd.MultiIndex.from_product([["women", "children"], TILE_ORDER], names=[S.PLAN, S.ASSESSMENT_STATUS])
    counts = table.groupby([S.PLAN, S.ASSESSMENT_STATUS]).size().reindex(grid, fill_value=0)
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
    counts = (table.assign(_first=first).groupby([S.PLAN, DOMAIN, S.ASSESSMENT_STATUS, "_first"]).size()
              .rename("n").reset_index().sort_values(["_first", S.ASSESSMENT_STATUS], kind="stable"))
    return counts.drop(columns="_first").reset_index(drop=True)


def binding_alerts(table: pd.DataFrame) -> pd.DataFrame:
    """Binding (约束性) indicators off track or at risk, worst first, then in catalogue order.

    Examples:
        >>> t = pd.DataFrame({"indicator_id": ["A", "B", "C"], "attribute": ["binding"] * 3,
        ...     "status": ["at_risk", "achieved", "off_track"], "order": [0, 1, 2]})
        >>> binding_alerts(t)["indicator_id"].tolist()
        ['C', 'A']
    """
    hit = table[(table[S.ATTRIBUTE] == S.BINDING) & table[S.ASSESSMENT_STATUS].isin(ALERT_STATUSES)]
    return sort_table(hit, "status")


#: A value as a reader sees it: at most two decimals (three below 1), thousands separated, "—" if missing.


def fmt_latest(value: object, year: object, lang: str = "zh") -> str:
    """Latest value with its year.

    Examples:
        >>> fmt_latest(91.5, 2023), fmt_latest(91.5, 2023, "en"), fmt_latest(None, None)
        ('91.5（2023年）', '91.5 (2023)', '—')
    """
    if is_missing(value):
        return "—"
    year = int(year)
    return f"{format_number(value)}（{year}年）" if lang == "zh" else f"{format_number(value)} ({year})"


def fmt_interval(value: object, lower: object, upper: object) -> str:
    """A projected value with its 95 % interval.

    Examples:
        >>> fmt_interval(93.14, 90.2, 95.81), fmt_interval(None, None, None)
        ('93.14 (90.2–95.81)', '—')
    """
    if is_missing(value):
        return "—"
    if is_missing(lower):
        return format_number(value)
    return f"{format_number(value)} ({format_number(lower)}–{format_number(upper)})"


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
        S.ASSESSMENT_STATUS: r[S.ASSESSMENT_STATUS], "status_label": i18n.status_label(r[S.ASSESSMENT_STATUS], lang),
        "status_color": i18n.STATUS_COLORS[r[S.ASSESSMENT_STATUS]],
        "units": unit_names(r[S.RESPONSIBLE_UNITS], lang),
        KEY: row_key(r),
    } for r in table.to_dict("records")]


def _plain(value: object) -> object:
    """A cell as JSON has it: None for missing, Python numbers and strings."""
    if not isinstance(value, (list, dict)) and pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


def row_key(row: dict) -> dict:
    """The raw values a table row is filtered and sorted on (:mod:`planlib.apps.table`).

    Examples:
        >>> row_key({"order": 3, "plan": "women", "domain": "健康", "status": "at_risk",
        ...          "attribute": "binding", "responsible_units": "县妇联;县教委", "name_zh": "甲",
        ...          "target_text": "< 8", "latest_value": float("nan"), "projected_value": 7.5})["units"]
        ['县妇联', '县教委']
    """
    key = {column: _plain(row.get(column)) for column in set(SORT_KEYS.values()) | {S.PLAN, DOMAIN}}
    key["units"] = [u for u in str(row.get(S.RESPONSIBLE_UNITS) or "").split(";") if u]
    return key


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
        "col_status": table[S.ASSESSMENT_STATUS].map(lambda c: i18n.status_label(c, lang, icon=False)),
        "col_method": table[S.METHOD].map(lambda m: _method_label(m, lang)),
        "col_explanation": table[S.EXPLANATION_BY_LANG[lang]],
        "col_units": table[S.RESPONSIBLE_UNITS].map(lambda u: unit_names(u, lang)),
        "col_data_note": table[DEMO].map(lambda d: i18n.t("demo_banner", lang) if d else ""),
    }
    return pd.DataFrame({_label(k, lang): v.to_numpy() for k, v in columns.items()})


# --- HTML pieces ---------------------------------------------------------------------------------

def tiles_html(counts: pd.DataFrame, lang: str = "zh", as_of: int | None = None) -> str:
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
    year = f' data-as-of="{int(as_of)}"' if as_of is not None else ""
    return (f'<h2>{heading}</h2><div class="planlib-tiles"{year}>{"".join(cards)}</div>'
            + legend_html(lang))


def legend_html(lang: str = "zh") -> str:
    """What each status means (:func:`planlib.assessment.status_meanings`), folded under the
    tiles: a native ``<details>``, so it opens without any script, also in the static edition.

    Examples:
        >>> legend = legend_html("en")
        >>> legend.startswith('<details class="planlib-legend"><summary>What the statuses mean')
        True
        >>> 'data-status="at_risk"' in legend and "at least 25% and below 75%" in legend
        True
    """
    from ..assessment import special_rules, status_meanings

    items = "".join(
        f'<div data-status="{code}"><dt style="border-left-color:{i18n.STATUS_COLORS[code]}">'
        f'{html.escape(i18n.status_label(code, lang))}</dt><dd>{html.escape(meaning)}</dd></div>'
        for code, _, meaning in status_meanings(lang))
    return (f'<details class="planlib-legend"><summary>{html.escape(i18n.t("status_legend", lang))}'
            f'</summary><dl>{items}</dl><p>{html.escape(special_rules(lang))}</p></details>')


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
            f'{i18n.STATUS_COLORS[r[S.ASSESSMENT_STATUS]]}">{html.escape(i18n.status_label(r[S.ASSESSMENT_STATUS], lang))}</span> '
            f'{r[S.INDICATOR_ID]} {html.escape(str(r[name]))}</li>'
            for r in alerts.to_dict("records")) + "</ul>"
    return f'<section class="planlib-alerts" aria-label="{title}"><h2>{title}</h2>{body}</section>'


def info_html(indicator: dict, row: dict | None, lang: str = "zh",
              context: pd.DataFrame | None = None) -> str:
    """The explorer's words about one indicator: status, numbers, method and explanation, and
    the similar measures and background figures of the reference table, labelled as context.

    Args:
        indicator: its catalogue row.
        row: its county assessment row (``assess_detail``), or None.
        lang: "zh" or "en".
        context: its close and context rows (:func:`planlib.reference.context_for`), or None.
    """
    status = (row or {}).get(S.ASSESSMENT_STATUS) or S.INSUFFICIENT_DATA
    parts = [f'<p class="planlib-info-status"><span class="planlib-status" style="border-color:'
             f'{i18n.STATUS_COLORS[status]}">{html.escape(i18n.status_label(status, lang))}</span></p>']
    lines = [_label("attribute", lang, attribute=i18n.ATTRIBUTE_LABELS[indicator[S.ATTRIBUTE]][lang]),
             _label("responsible", lang, units=unit_names(indicator[S.RESPONSIBLE_UNITS], lang))]
    if row:
        lines += _number_lines(row, lang)
    parts.append("<ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in lines) + "</ul>")
    if row and isinstance(row.get(S.EXPLANATION_BY_LANG[lang]), str):
        parts.append(f'<p class="planlib-explanation"><strong>{html.escape(_label("explanation", lang))}'
                     f'</strong>：{html.escape(row[S.EXPLANATION_BY_LANG[lang]])}</p>'.replace(
                         "：", "：" if lang == "zh" else ": ", 1))
    if context is not None and len(context):
        parts.append(context_html(context, lang))
    return f'<div class="planlib-info">{"".join(parts)}</div>'


def context_html(context: pd.DataFrame, lang: str = "zh") -> str:
    """The reference table's similar measures for one indicator, under the heading
    "context (not the indicator's definition)", each with its source.

    Examples:
        >>> from planlib.reference import shipped_context
        >>> text = context_html(shipped_context("W14"), "en")
        >>> "Context (not the indicator&#x27;s definition)" in text, text.count("<li>")
        (True, 1)
    """
    label = lambda key: i18n.t(key, lang, i18n.REFERENCE_LABELS)  # noqa: E731
    items = "".join(f"<li>{html.escape(line)}</li>" for line in reference.context_lines(context, lang))
    return (f'<div class="planlib-context"><p><strong>{html.escape(label("context_heading"))}</strong></p>'
            f'<p>{html.escape(label("context_intro"))}</p><ul>{items}</ul></div>')


def _number_lines(row: dict, lang: str) -> list[str]:
    lines = []
    if not is_missing(row.get(LATEST_VALUE)):
        lines.append(_label("latest", lang, value=format_number(row[LATEST_VALUE]), year=int(row[LATEST_YEAR])))
    else:
        lines.append(_label("no_latest", lang))
    if not is_missing(row.get(PROJECTED)):
        lines.append(_label("projected", lang, year=int(row[S.TARGET_YEAR]), value=format_number(row[PROJECTED]),
                            lower=format_number(row.get(PROJ_LO)), upper=format_number(row.get(PROJ_HI))))
    if not is_missing(row.get("p_meet")):
        lines.append(_label("p_meet", lang, p=f"{float(row['p_meet']):.0%}"))
    if not is_missing(row.get("required_annual_change")):
        lines.append(_label("required_change", lang, req=_percent(row["required_annual_change"]),
                            obs=_percent(row.get("observed_annual_change"))))
    if row.get(S.METHOD):
        lines.append(_label("method_assessed", lang, method=_method_label(row[S.METHOD], lang)))
    return lines


def _percent(x: object) -> str:
    text = format_number(x)
    return text if text == "—" else f"{text}%"


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


def explorer_view(model, indicator_id: str, method: str = "auto", as_of: int | None = None,
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
    match = rows[(rows[S.INDICATOR_ID] == indicator_id) & (rows[S.REGION] == model.region)]
    row = match.iloc[0].to_dict() if len(match) else None
    demo = bool((observed[S.SOURCE] == S.DEMO_SOURCE).any())
    if (observed[S.REGION] == NATIONAL).any():
        notes.append(_label("national_note", lang))
    if (observed[S.REGION] == PARENT_CITY).any():
        notes.append(i18n.t("city_note", lang, i18n.REFERENCE_LABELS).format(
            region=i18n.region_label(PARENT_CITY, lang)))
    if observed["later"].any():
        notes.append(_label("later_points", lang))
    text = chart_text(indicator, projection, demo, lang, notes, model.region)
    chart = charts.indicator_chart(observed, projection, parse_target(indicator[S.TARGET_TEXT]), text)
    return ExplorerView(chart.to_dict(validate=False),
                        chart_data(observed, projection, indicator_id, lang, model.region),
                        info_html(indicator, row, lang, reference.shipped_context(indicator_id)), demo)


def chart_text(indicator: dict, projection: pd.DataFrame, demo: bool, lang: str,
               notes: list[str] | None = None, region: str = COUNTY) -> charts.ChartText:
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
    return charts.ChartText(name, indicator[S.TARGET_TEXT], int(indicator[S.TARGET_YEAR]), lang, tuple(lines),
                            region=region)


def explorer_observations(observations: pd.DataFrame, indicator_id: str, as_of: int | None) -> pd.DataFrame:
    """One indicator's observations (county and reference regions); county years after ``as_of``
    marked ``later``.

    Examples:
        >>> obs = pd.DataFrame({"indicator_id": ["A"] * 3, "region": ["石柱县", "石柱县", "全国"],
        ...                     "year": [2021, 2023, 2023], "value": [1.0, 2.0, 3.0]})
        >>> explorer_observations(obs, "A", 2022)["later"].tolist()
        [False, True, False]
    """
    rows = observations[observations[S.INDICATOR_ID] == indicator_id].dropna(subset=[S.VALUE])
    later = ~rows[S.REGION].isin(REFERENCE_REGIONS) & (rows[S.YEAR] > as_of) if as_of is not None else False
    return S.with_columns(rows).assign(later=later).reset_index(drop=True)


def chart_data(observed: pd.DataFrame, projection: pd.DataFrame, indicator_id: str,
               lang: str = "zh", region: str = COUNTY) -> pd.DataFrame:
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
    obs = pd.DataFrame({"kind": _label("kind_observed", lang),
                        "region": observed[S.REGION].map(lambda r: i18n.region_label(r, lang)),
                        "year": observed[S.YEAR], "value": observed[S.VALUE],
                        "source": observed[S.SOURCE].fillna(""),
                        "confirmation": observed[S.CONFIRMATION].fillna("")})
    proj = pd.DataFrame({"kind": projection[S.IS_PROJECTION].astype(bool).map(kinds), "region": i18n.region_label(region, lang),
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
        >>> import altair as alt
        >>> spec = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q").to_dict()
        >>> figure_html(spec, "一个点").startswith('<figure class="planlib-figure" role="img" aria-label="一个点"><svg')
        True
    """
    svg = charts.render(spec, "svg").decode("utf-8")
    return (f'<figure class="planlib-figure" role="img" aria-label="{html.escape(description)}">'
            f'{svg}</figure>')




# --- the build's content: plain data for every as-of year and language ---------------------------

def json_rows(frame: pd.DataFrame) -> list[list]:
    """A frame's rows as JSON-ready lists: missing values become None, numpy scalars Python ones.

    Examples:
        >>> json_rows(pd.DataFrame({"a": [1, None], "b": ["x", "y"]}))
        [[1.0, 'x'], [None, 'y']]
    """
    return [[_plain(v) for v in row] for row in frame.astype(object).itertuples(index=False, name=None)]


def filter_options(catalog: pd.DataFrame, lang: str = "zh") -> dict[str, list[list]]:
    """The choices of the dashboard's filters, as ``[label, value]`` pairs; ``""`` means all.

    Examples:
        >>> cat = pd.DataFrame({"domain_zh": ["妇女与健康"], "responsible_units": ["县妇联"]})
        >>> filter_options(cat, "en")["domain"]
        [['All', ''], ['Health', '健康']]
    """
    from ..catalog import units_of

    every = [[_label("all", lang), ""]]
    domains = list(dict.fromkeys(catalog[S.DOMAIN_ZH].map(i18n.short_domain)))
    return {
        "plan": every + [[i18n.PLAN_LABELS[p][lang], p] for p in ("women", "children")],
        "domain": every + [[d if lang == "zh" else i18n.DOMAIN_LABELS.get(d, d), d] for d in domains],
        "unit": every + [[unit_names(u, lang), u] for u in units_of(catalog)],
        S.ASSESSMENT_STATUS: every + [[i18n.status_label(c, lang), c] for c in TILE_ORDER],
    }


def page_title(region: str = COUNTY, title: str | None = None, lang: str = "zh") -> str:
    """The dashboard's heading: the home county's plans, or another region's registered plan.

    Examples:
        >>> page_title(lang="en")
        "Shizhu County Women's and Children's Development Plans (2021-2030): Monitoring"
        >>> page_title("丰都县", "丰都县妇女儿童发展规划")
        '丰都县：丰都县妇女儿童发展规划（监测）'
    """
    if region == COUNTY and title is None:
        return i18n.t("title", lang)
    return _label("title_of_region", lang, region=i18n.region_label(region, lang),
                  title=title or _label("plans_untitled", lang))


def page_content(model, as_of: int, lang: str = "zh") -> dict:
    """Everything the dashboard shows for one as-of year and language, as plain data.

    Args:
        model: a :class:`planlib.apps.model.Model`.
        as_of: the as-of year.
        lang: "zh" or "en".
    """
    table = model.table(as_of)
    alerts = binding_alerts(table)
    overview = charts.domain_status_chart(domain_status_counts(table), lang).to_dict(validate=False)
    name = S.NAME_ZH if lang == "zh" else S.NAME_EN
    export = export_table(table, lang)
    return {
        "year": int(as_of), "lang": lang, "demo": bool(table[DEMO].any()),
        "title": page_title(model.region, model.title, lang),
        "alerts_html": alerts_html(alerts, lang),
        "tiles_html": tiles_html(status_counts(table), lang, as_of),
        "overview_html": figure_html(overview, _label("overview_chart_title", lang)),
        "columns": table_columns(lang),
        "rows": display_rows(table, lang),
        "first_alert": alerts[S.INDICATOR_ID].iloc[0] if len(alerts) else None,
        "filters": filter_options(model.catalog, lang),
        "indicators": [[f"{r[S.INDICATOR_ID]} {r[name]}", r[S.INDICATOR_ID]]
                       for r in model.catalog.to_dict("records")],
        "export": {"columns": list(export.columns), "rows": json_rows(export)},
    }


def view_content(model, indicator_id: str, as_of: int, lang: str = "zh", method: str = "auto") -> dict:
    """The explorer's chart, words and chart data for one indicator, as plain data."""
    view = model.view(indicator_id, method, as_of, lang)
    return {"spec": charts.json_safe(view.spec), "info_html": view.info, "demo": view.demo,
            "data": {"columns": list(view.data.columns), "rows": json_rows(view.data)}}
