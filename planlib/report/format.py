"""The report's tables as people read them: localised headings, formatted numbers, status labels.

The HTML and Word writers show the same text tables, built here from the frames of
:mod:`planlib.report.tables`; every cell is a string. (The Excel writer keeps numbers as numbers.)
"""

from __future__ import annotations


import pandas as pd

from .. import i18n, reference
from . import tables as T
from .. import schema as S
from ..formats import MISSING, format_number, is_missing



def fmt_change(value: object, unit: str, lang: str = "zh") -> str:
    """A signed change; percentages in percentage points (个百分点).

    Examples:
        >>> fmt_change(2.14, "%"), fmt_change(-1.5, "‰", "en"), fmt_change(float("nan"), "%")
        ('+2.14个百分点', '-1.5', '—')
    """
    if is_missing(value):
        return MISSING
    text = format_number(value)
    signed = text if text.startswith("-") or text == "0" else f"+{text}"
    if unit != "%":
        return signed
    return f"{signed}{T.label('percentage_points', lang)}" if lang == "zh" else f"{signed} pp"


def fmt_interval(lower: object, upper: object) -> str:
    """A 95 % interval as ``lower–upper``.

    Examples:
        >>> fmt_interval(1.234, 5.0), fmt_interval(None, 2)
        ('1.23–5', '—')
    """
    if is_missing(lower) or is_missing(upper):
        return MISSING
    return f"{format_number(lower)}–{format_number(upper)}"


def fmt_year(value: object) -> str:
    """A year, or "—".

    Examples:
        >>> fmt_year(2024.0), fmt_year(pd.NA)
        ('2024', '—')
    """
    return MISSING if is_missing(value) else str(int(float(value)))


def fmt_yes_no(value: object, lang: str = "zh") -> str:
    """True/False/None as 是/否/无法判断.

    Examples:
        >>> fmt_yes_no(True), fmt_yes_no(None, "en")
        ('是', 'Cannot tell')
    """
    if value is None or is_missing(value):
        return T.label("unknown", lang)
    return T.label("yes" if bool(value) else "no", lang)


def status_text(code: str, lang: str = "zh") -> str:
    """A status code as icon and words.

    Examples:
        >>> status_text("off_track", "en")
        '✖ Off track'
    """
    return i18n.status_label(code, lang) if code in i18n.STATUS_LABELS else str(code)


def plan_text(plan: str, lang: str = "zh") -> str:
    """A plan code as its name.

    Examples:
        >>> plan_text("children")
        '儿童发展规划'
    """
    return i18n.PLAN_LABELS.get(plan, {}).get(lang, plan)


def heading(key: str, lang: str = "zh") -> str:
    """The heading of a report column ``key`` (``col_<key>`` in the report labels).

    Examples:
        >>> heading("latest_value", "en")
        'Latest value'
    """
    return T.label(f"col_{key}", lang)


def id_list(ids: list[str], lang: str = "zh") -> str:
    """Indicator codes as a list in running text; 无 / none when there are none.

    Examples:
        >>> id_list(["W01", "C02"]), id_list([], "en")
        ('W01、C02', 'none')
    """
    if not ids:
        return T.label("none", lang)
    return T.label("list_sep", lang).join(ids)


def year_list(years: tuple[int, ...], lang: str = "zh") -> str:
    """Years as a list in running text.

    Examples:
        >>> year_list((2022, 2023)), year_list((2022, 2025), "en")
        ('2022、2023', '2022, 2025')
    """
    return T.label("list_sep", lang).join(str(y) for y in years)


def counts_frame(counts: pd.DataFrame, by: list[str], lang: str = "zh") -> pd.DataFrame:
    """:func:`planlib.report.tables.status_counts` with plan names and status labels as headings.

    Examples:
        >>> c = pd.DataFrame({"plan": ["women"], "off_track": [1], "at_risk": [0], "on_track": [2],
        ...     "achieved": [3], "insufficient_data": [0], "not_assessable": [1], "total": [7]})
        >>> counts_frame(c, ["plan"], "en").iloc[0].tolist()
        ["Women's Development Plan", '1', '0', '2', '3', '0', '1', '7']
    """
    out = pd.DataFrame()
    for col in by:
        values = counts[col].map(lambda p: plan_text(p, lang)) if col == S.PLAN else counts[col]
        out[heading(col, lang)] = values.astype(str).to_numpy()
    for code in i18n.STATUS_ORDER:
        out[status_text(code, lang)] = counts[code].astype(int).astype(str).to_numpy()
    out[heading("total", lang)] = counts["total"].astype(int).astype(str).to_numpy()
    return out


def indicator_rows(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A short list of indicators: code, name, target, latest value, projection, status.

    Examples:
        >>> t = pd.DataFrame({"indicator_id": ["W03"], "name": ["孕产妇死亡率（1/10万）"],
        ...     "target": ["< 8"], "target_year": [2030], "latest_value": [9.5], "latest_year": [2024],
        ...     "projected": [8.2], "lower_95": [5.0], "upper_95": [12.0], "status": ["at_risk"]})
        >>> indicator_rows(t).iloc[0].tolist()
        ['W03', '孕产妇死亡率（1/10万）', '< 8', '9.5（2024）', '8.2（5–12）', '⚠ 存在风险']
    """
    open_, close = ("（", "）") if lang == "zh" else (" (", ")")
    latest = [MISSING if is_missing(v) else f"{format_number(v)}{open_}{fmt_year(y)}{close}"
              for v, y in zip(table[T.LATEST_VALUE], table[T.LATEST_YEAR])]
    projected = [MISSING if is_missing(v) else f"{format_number(v)}{open_}{fmt_interval(lo, hi)}{close}"
                 for v, lo, hi in zip(table[T.PROJECTED], table[T.LOWER_95], table[T.UPPER_95])]
    return pd.DataFrame({
        heading("indicator_id", lang): table[S.INDICATOR_ID].astype(str).to_numpy(),
        heading("name", lang): table[T.NAME].astype(str).to_numpy(),
        heading("target", lang): table[T.TARGET].astype(str).to_numpy(),
        heading("latest_value", lang): latest,
        heading("projected", lang): projected,
        heading("status", lang): [status_text(s, lang) for s in table[T.STATUS]],
    })


def changes_frame(changes: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """:func:`planlib.report.tables.status_changes` for reading.

    Examples:
        >>> c = pd.DataFrame({"indicator_id": ["A"], "name": ["a"], "previous_status": ["on_track"],
        ...                   "status": ["at_risk"], "direction": ["worsened"]})
        >>> changes_frame(c, "en").iloc[0].tolist()
        ['A', 'a', '↗ On track', '⚠ At risk', 'Worse']
    """
    return pd.DataFrame({
        heading("indicator_id", lang): changes[S.INDICATOR_ID].astype(str).to_numpy(),
        heading("name", lang): changes[T.NAME].astype(str).to_numpy(),
        heading("previous_status", lang): [status_text(s, lang) for s in changes["previous_status"]],
        heading("current_status", lang): [status_text(s, lang) for s in changes[T.STATUS]],
        heading("direction", lang): [T.label(d, lang) for d in changes["direction"]],
    })


def revised_frame(revised: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """:func:`planlib.report.tables.revised_values` for reading (time shown to the minute, UTC).

    Examples:
        >>> r = pd.DataFrame({"indicator_id": ["A"], "name": ["a"], "region": ["石柱县"],
        ...     "year": [2022], "old_value": [1.0], "new_value": [3.0],
        ...     "changed_at": ["2025-03-04T05:06:07.000000Z"], "reason": ["final figure"]})
        >>> revised_frame(r).iloc[0].tolist()
        ['A', 'a', '石柱县', '2022', '1', '3', '2025-03-04 05:06', 'final figure']
    """
    return pd.DataFrame({
        heading("indicator_id", lang): revised[S.INDICATOR_ID].astype(str).to_numpy(),
        heading("name", lang): revised[T.NAME].astype(str).to_numpy(),
        heading("region", lang): revised[S.REGION].astype(str).to_numpy(),
        heading("year", lang): [fmt_year(y) for y in revised[S.YEAR]],
        heading("old_value", lang): [format_number(v) for v in revised["old_value"]],
        heading("new_value", lang): [format_number(v) for v in revised["new_value"]],
        heading("changed_at", lang): [str(v)[:16].replace("T", " ") for v in revised["changed_at"]],
        heading("reason", lang): revised["reason"].fillna("").astype(str).to_numpy(),
    })


def missing_frame(overview: pd.DataFrame, year: int, lang: str = "zh") -> pd.DataFrame:
    """Per responsible unit, the indicators without a value for ``year`` (units with none left out).

    Examples:
        >>> o = pd.DataFrame({"unit": ["甲", "乙"], "n": [2, 1], "indicators": [["A", "B"], ["C"]],
        ...     "behind": [[], []], "no_data": [["B"], []]})
        >>> missing_frame(o, 2024).values.tolist()
        [['甲', '1', 'B']]
    """
    rows = overview[overview["no_data"].map(len) > 0]
    return pd.DataFrame({
        heading("units", lang): rows["unit"].astype(str).to_numpy(),
        heading("n_missing", lang): rows["no_data"].map(lambda ids: str(len(ids))).to_numpy(),
        heading("missing_ids", lang): rows["no_data"].map(lambda ids: id_list(ids, lang)).to_numpy(),
    })


def evaluation_frame(evaluation: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """:func:`planlib.report.tables.evaluation_table`: progress, target met, status.

    Examples:
        >>> e = pd.DataFrame({"indicator_id": ["A"], "name": ["a"], "target": ["≥ 90"],
        ...     "baseline": [80.0], "latest_year": [2025], "latest_value": [91.0], "change": [11.0],
        ...     "status": ["achieved"], "met": [True]})
        >>> evaluation_frame(e).iloc[0].tolist()
        ['A', 'a', '≥ 90', '80', '91', '2025', '+11', '是', '✔ 已达标']
    """
    return pd.DataFrame({
        heading("indicator_id", lang): evaluation[S.INDICATOR_ID].astype(str).to_numpy(),
        heading("name", lang): evaluation[T.NAME].astype(str).to_numpy(),
        heading("target", lang): evaluation[T.TARGET].astype(str).to_numpy(),
        heading("baseline", lang): [format_number(v) for v in evaluation[T.BASELINE]],
        heading("latest_value", lang): [format_number(v) for v in evaluation[T.LATEST_VALUE]],
        heading("latest_year", lang): [fmt_year(v) for v in evaluation[T.LATEST_YEAR]],
        heading("change", lang): [fmt_change(v, "", lang) for v in evaluation[T.CHANGE]],
        heading("met", lang): [fmt_yes_no(v, lang) for v in evaluation["met"]],
        heading("status", lang): [status_text(s, lang) for s in evaluation[T.STATUS]],
    })


def earlier_frame(evaluation: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Earlier projections against the latest actual value, one column group per earlier year.

    Examples:
        >>> e = pd.DataFrame({"indicator_id": ["A"], "name": ["a"], "latest_year": [2025],
        ...     "latest_value": [91.0], "status_2022": ["on_track"], "projected_2022": [89.0],
        ...     "lower_2022": [85.0], "upper_2022": [93.0], "within_2022": [True]})
        >>> earlier_frame(e, "en").iloc[0].tolist()
        ['A', 'a', '91', '2025', '↗ On track', '89 (85–93)', 'Yes']
    """
    years = sorted(int(c.split("_")[1]) for c in evaluation.columns if c.startswith("projected_"))
    out = pd.DataFrame({
        heading("indicator_id", lang): evaluation[S.INDICATOR_ID].astype(str).to_numpy(),
        heading("name", lang): evaluation[T.NAME].astype(str).to_numpy(),
        heading("actual", lang): [format_number(v) for v in evaluation[T.LATEST_VALUE]],
        heading("actual_year", lang): [fmt_year(v) for v in evaluation[T.LATEST_YEAR]],
    })
    open_, close = ("（", "）") if lang == "zh" else (" (", ")")
    for year in years:
        out[T.label("col_status_at", lang, as_of=year)] = [
            status_text(s, lang) for s in evaluation[f"status_{year}"]]
        out[T.label("col_projected_at", lang, as_of=year)] = [
            MISSING if is_missing(v) else f"{format_number(v)}{open_}{fmt_interval(lo, hi)}{close}"
            for v, lo, hi in zip(evaluation[f"projected_{year}"], evaluation[f"lower_{year}"],
                                 evaluation[f"upper_{year}"])]
        out[T.label("col_within_at", lang, as_of=year)] = [
            fmt_yes_no(v, lang) for v in evaluation[f"within_{year}"]]
    return out


def indicator_text(row: dict, lang: str = "zh") -> tuple[str, str]:
    """The two sentences under an indicator's heading: the facts, then the status and why.

    Examples:
        >>> row = {"target": "< 8", "target_year": 2030, "attribute": "binding", "latest_value": 9.5,
        ...        "latest_year": 2024, "change": -1.0, "unit": "1/10万", "projected": 8.2,
        ...        "lower_95": 5.0, "upper_95": 12.0, "status": "at_risk", "explanation": "按近年趋势……"}
        >>> facts, status = indicator_text(row)
        >>> facts
        '目标（2030年）：< 8（约束性）。最新值：9.5（2024年）；较2020年基期变化：-1；2030年预测值：8.2（95%区间 5–12）。'
        >>> indicator_text({**row, "latest_value": None, "change": None, "projected": None}, "en")[0]
        'Target (2030): < 8 (Binding). No data yet.'
        >>> status
        '状态：⚠ 存在风险。按近年趋势……'
    """
    attribute = i18n.ATTRIBUTE_LABELS.get(row[S.ATTRIBUTE], {}).get(lang, row[S.ATTRIBUTE])
    facts = T.label("target_clause", lang, target_year=int(row[S.TARGET_YEAR]), target=row[T.TARGET],
                    attribute=attribute)
    facts += _join_clauses(_value_clauses(row, lang), lang)
    status = T.label("status_line", lang, status=status_text(row[T.STATUS], lang),
                     explanation=row[T.EXPLANATION] or "")
    return facts, status.strip()


def reference_frame(observations: pd.DataFrame, catalog: pd.DataFrame, ids, lang: str = "zh") -> pd.DataFrame:
    """The reference regions' values (重庆市, 全国) of the indicators ``ids``, each with its
    unit, confirmation, source and note (the quoted sentence and the address read).

    Examples:
        >>> obs = pd.DataFrame({"indicator_id": ["C02", "C02"], "region": ["重庆市", "石柱县"],
        ...     "year": [2022, 2022], "value": [2.62, 1.9], "source": ["重庆日报", "demo"],
        ...     "confirmation": ["confirmed", None], "note": ["公开发布值：…", None]})
        >>> cat = pd.DataFrame({"indicator_id": ["C02"], "unit": ["‰"]})
        >>> reference_frame(obs, cat, ["C02"], "en").values.tolist()
        [['Chongqing', 'C02', 2022, 2.62, '‰', 'confirmed', '重庆日报', '公开发布值：…']]
    """
    from ..config import REFERENCE_REGIONS

    rows = observations[observations[S.REGION].isin(REFERENCE_REGIONS)
                        & observations[S.INDICATOR_ID].isin(list(ids))]
    rows = rows.sort_values([S.INDICATOR_ID, S.REGION, S.YEAR], kind="stable")
    units = dict(zip(catalog[S.INDICATOR_ID], catalog[S.UNIT]))
    label = lambda key: i18n.t(key, lang, i18n.REFERENCE_LABELS)  # noqa: E731
    return pd.DataFrame({
        label("col_region"): [i18n.region_label(r, lang) for r in rows[S.REGION]],
        label("col_indicator"): rows[S.INDICATOR_ID].to_numpy(),
        label("col_year"): rows[S.YEAR].astype(int).to_numpy(),
        label("col_value"): rows[S.VALUE].to_numpy(),
        label("col_unit"): rows[S.INDICATOR_ID].map(units).to_numpy(),
        i18n.t("confirmation", lang, i18n.APP_LABELS): rows.get(S.CONFIRMATION).fillna("").to_numpy(),
        label("col_source"): rows[S.SOURCE].fillna("").to_numpy(),
        i18n.t("col_note", lang, i18n.REFERENCE_LABELS): rows.get(S.NOTE).fillna("").to_numpy(),
    })


def reference_line(observations: pd.DataFrame, indicator_id: str, unit: str, lang: str = "zh") -> str | None:
    """The reference regions' latest value of an indicator, each with its year and source, or None.

    Examples:
        >>> obs = pd.DataFrame({"indicator_id": ["C02"] * 3, "region": ["重庆市", "重庆市", "全国"],
        ...     "year": [2021, 2022, 2024], "value": [2.82, 2.62, 4.0],
        ...     "source": ["重庆日报", "重庆日报", "国家卫生健康委"], "confirmation": ["derived", "confirmed", "confirmed"]})
        >>> reference_line(obs, "C02", "‰")
        '参考地区：全国 2024年 4‰（来源：国家卫生健康委）；重庆市 2022年 2.62‰（来源：重庆日报）'
        >>> reference_line(obs, "C02", "‰", "en")
        'Reference regions: China (national) 2024: 4‰ (source: 国家卫生健康委); Chongqing 2022: 2.62‰ (source: 重庆日报)'
    """
    from ..config import REFERENCE_REGIONS
    from ..formats import format_value

    label = lambda key: i18n.t(key, lang, i18n.REFERENCE_LABELS)  # noqa: E731
    rows = observations[(observations[S.INDICATOR_ID] == indicator_id)
                        & observations[S.REGION].isin(REFERENCE_REGIONS)].dropna(subset=[S.VALUE])
    parts = []
    for region in REFERENCE_REGIONS:
        mine = rows[rows[S.REGION] == region].sort_values(S.YEAR)
        if not len(mine):
            continue
        last = mine.iloc[-1]
        value, name = format_value(last[S.VALUE], unit, lang), i18n.region_label(region, lang)
        source, derived = last.get(S.SOURCE) or "—", last.get(S.CONFIRMATION) == "derived"
        tag = f"，{label('match_derived')}" if lang == "zh" else f", {label('match_derived')}"
        if lang == "zh":
            parts.append(f"{name} {int(last[S.YEAR])}年 {value}（{label('col_source')}：{source}"
                         f"{tag if derived else ''}）")
        else:
            parts.append(f"{name} {int(last[S.YEAR])}: {value} (source: {source}{tag if derived else ''})")
    if not parts:
        return None
    return label("line") + ("：" + "；".join(parts) if lang == "zh" else ": " + "; ".join(parts))


def context_text(indicator_id: str, lang: str = "zh") -> tuple[str, str, list[str]] | None:
    """Heading, one sentence and one line per row of the reference table's similar measures and
    background figures for an indicator (:func:`planlib.reference.shipped_context`), or None.

    They are shown as "context (not the indicator's definition)", never as its value.

    Examples:
        >>> heading, intro, lines = context_text("W14", "en")
        >>> heading, len(lines), lines[0].split(" (")[0]
        ("Context (not the indicator's definition)", 1, 'Chongqing 2016: 9.76 years')
        >>> context_text("C02") is None
        True
    """
    context = reference.shipped_context(indicator_id)
    if not len(context):
        return None
    label = lambda key: i18n.t(key, lang, i18n.REFERENCE_LABELS)  # noqa: E731
    return label("context_heading"), label("context_intro"), reference.context_lines(context, lang)


def _value_clauses(row: dict, lang: str) -> list[str]:
    if is_missing(row[T.LATEST_VALUE]):
        return [T.label("no_data_clause", lang)]
    clauses = [T.label("latest_clause", lang, latest=format_number(row[T.LATEST_VALUE]),
                       latest_year=fmt_year(row[T.LATEST_YEAR]))]
    if not is_missing(row[T.CHANGE]):
        change = fmt_change(row[T.CHANGE], row[S.UNIT], lang)
        clauses.append(T.label("change_clause", lang, change=change))
    if not is_missing(row[T.PROJECTED]):
        clauses.append(T.label("projection_clause", lang, target_year=int(row[S.TARGET_YEAR]),
                               projected=format_number(row[T.PROJECTED]),
                               lower=format_number(row[T.LOWER_95]), upper=format_number(row[T.UPPER_95])))
    return clauses


def _join_clauses(clauses: list[str], lang: str) -> str:
    return T.label("clause_sep", lang).join(clauses) + T.label("sentence_end", lang)
