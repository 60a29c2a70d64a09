"""The assessment for people: sorted for action, summarised, display tables and the CLI's
table/CSV/JSON output."""

from __future__ import annotations

import unicodedata

import pandas as pd

from .. import schema as S
from ..errors import PlanlibError, Problem
from ..formats import format_number, format_probability, format_share, format_value, is_missing
from ..i18n import (ATTRIBUTE_LABELS, STATUS_LABELS, STATUS_MEANINGS, STATUS_ORDER, STATUS_RULES,
    region_label, status_label)
from ..safecells import neutralise_frame, printable
from .core import (AssessConfig, BINDING_COL, EXPL_EN, EXPL_ZH, LATEST_VALUE, LATEST_YEAR, P_MEET,
    PROJ_HI, PROJ_LO, PROJECTED, STATUS)
from .explanations import _int, _say
from .rules import home_region

_URGENT = (S.OFF_TRACK, S.AT_RISK)
#: The statuses :func:`status_meanings` defines, in the order a reader learns them.
DEFINED_STATUSES = (S.ACHIEVED, S.ON_TRACK, S.AT_RISK, S.OFF_TRACK, S.INSUFFICIENT_DATA,
                    S.NOT_ASSESSABLE)


def status_meanings(lang: str = "zh", config: AssessConfig | None = None) -> list[tuple[str, str, str]]:
    """``(status, label, meaning)`` of every status, with the cut-offs of ``config``: what the
    report's method note and the dashboard's legend say.

    Examples:
        >>> status_meanings("en")[2]
        ('at_risk', 'At risk', 'The probability of meeting the target is at least 25% and below 75%')
        >>> status_meanings("zh", AssessConfig(on_track=0.8))[1][2]
        '到目标年达标的概率不低于80%'
    """
    cfg = config or AssessConfig()
    fields = {"on": format_share(cfg.on_track), "risk": format_share(cfg.at_risk), "n": cfg.min_points}
    return [(s, STATUS_LABELS[s][lang], STATUS_MEANINGS[s][lang].format(**fields))
            for s in DEFINED_STATUSES]


def special_rules(lang: str = "zh", config: AssessConfig | None = None) -> str:
    """The rules of 逐年 and 趋于平衡 targets and of series met all along, with their numbers.

    Examples:
        >>> text = special_rules("en")
        >>> "103-107" in text and "at least 95%" in text and "off track from 97.5%" in text
        True
    """
    from ..targets import TargetConfig

    cfg, band = config or AssessConfig(), TargetConfig()
    return STATUS_RULES[lang].format(
        declines=cfg.declines_off_track, lo=f"{band.balance_low:g}", hi=f"{band.balance_high:g}",
        risk_b=format_share(cfg.balance_at_risk), off_b=format_share(cfg.balance_off_track))


def sort_for_action(result: pd.DataFrame, catalog: pd.DataFrame) -> pd.DataFrame:
    """The assessment in the order a reader should act on it.

    The home region (the county) first; within it, binding indicators at risk or off track
    first, then by status (off track, at risk, on track, achieved, insufficient data, qualitative),
    then in catalogue order.

    Examples:
        >>> cat = pd.DataFrame({"indicator_id": ["A", "B", "C"]})
        >>> res = pd.DataFrame({"indicator_id": ["A", "B", "C"], "region": ["石柱县"] * 3,
        ...                     "status": ["off_track", "at_risk", "achieved"],
        ...                     "binding": [False, True, True]})
        >>> sort_for_action(res, cat)["indicator_id"].tolist()
        ['B', 'A', 'C']
    """
    position = {ident: i for i, ident in enumerate(catalog[S.INDICATOR_ID])}
    home = home_region(result[S.REGION])
    keys = pd.DataFrame({
        "region": (result[S.REGION] != home).astype(int),
        "urgent": (~(result[BINDING_COL].astype(bool) & result[STATUS].isin(_URGENT))).astype(int),
        "status": result[STATUS].map({s: i for i, s in enumerate(STATUS_ORDER)}),
        "position": result[S.INDICATOR_ID].map(position).fillna(len(position)),
        "name": result[S.REGION],
    }, index=result.index)
    order = keys.sort_values(["region", "name", "urgent", "status", "position"], kind="stable").index
    return result.loc[order].reset_index(drop=True)


def summarize(result: pd.DataFrame, catalog: pd.DataFrame, region: str | None = None) -> pd.DataFrame:
    """Counts of indicators by plan and status for one region (default: the home region).

    Returns a tidy frame with columns ``plan``, ``status``, ``count``, ``binding`` (how many
    of them are binding), every status listed, worst first, so binding indicators at risk or off
    track come first.

    Examples:
        >>> cat = pd.DataFrame({"indicator_id": ["A", "B"], "plan": ["women", "women"]})
        >>> res = pd.DataFrame({"indicator_id": ["A", "B"], "region": ["石柱县"] * 2,
        ...                     "status": ["at_risk", "at_risk"], "binding": [True, False]})
        >>> summarize(res, cat).iloc[1].astype(str).tolist()
        ['women', 'at_risk', '2', '1']
    """
    region = region or home_region(result[S.REGION])
    plans = catalog.assign(**({S.PLAN: ""} if S.PLAN not in catalog.columns else {}))[[S.INDICATOR_ID, S.PLAN]]
    mine = result[result[S.REGION] == region].merge(plans, on=S.INDICATOR_ID, how="left")
    mine[S.PLAN] = mine[S.PLAN].fillna("")
    grid = pd.MultiIndex.from_product([list(dict.fromkeys(plans[S.PLAN])), STATUS_ORDER], names=[S.PLAN, STATUS])
    counts = mine.groupby([S.PLAN, STATUS]).agg(count=(S.INDICATOR_ID, "size"), binding=(BINDING_COL, "sum"))
    out = counts.reindex(grid, fill_value=0).reset_index()
    return out.astype({"count": int, "binding": int})


def for_display(result: pd.DataFrame, catalog: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The assessment as a reader sees it, in the order of :func:`sort_for_action`.

    Columns (in ``lang``): id, indicator name, region, type (binding/expected), status (icon and
    words), latest value (year), target, projected value (95 % interval), probability, and the
    explanation.

    Examples:
        >>> cat = pd.DataFrame({"indicator_id": ["A"], "name_zh": ["某率（%）"], "unit": ["%"],
        ...                     "target_text": ["≥ 90"]})
        >>> obs = pd.DataFrame({"indicator_id": ["A"] * 2, "year": [2020, 2030], "value": [81.0, 90.0]})
        >>> from planlib.assessment import assess
        >>> for_display(assess(cat, obs), cat).iloc[0, :5].tolist()
        ['A', '某率（%）', '石柱县', '预期性', '✔ 已达标']
    """
    info = catalog.drop_duplicates(S.INDICATOR_ID).set_index(S.INDICATOR_ID)
    rows = []
    for rec in sort_for_action(result, catalog).to_dict("records"):
        ident = rec[S.INDICATOR_ID]
        cells = _cells(rec, _lookup(info, ident, S.UNIT), lang)
        rows.append([ident, _name(info, rec, lang), rec[S.REGION], cells["attribute"], cells["status"],
                     cells["latest"], _lookup(info, ident, S.TARGET_TEXT), cells["projected"], cells["p"],
                     rec[EXPL_ZH] if lang == "zh" else rec[EXPL_EN]])
    keys = ["col_id", "col_indicator", "col_region", "col_attribute", "col_status", "col_latest",
            "col_target", "col_projected", "col_p", "col_explanation"]
    return pd.DataFrame(rows, columns=[_say(k, lang) for k in keys])


def _cells(rec: dict, unit: str, lang: str) -> dict[str, str]:
    """The formatted cells of one assessment row (shared by the table and :func:`for_display`)."""
    latest = "" if is_missing(rec[LATEST_VALUE]) else (
        f"{format_value(rec[LATEST_VALUE], unit, lang)} ({_int(rec[LATEST_YEAR])})")
    projected = "" if is_missing(rec[PROJECTED]) else (
        f"{format_value(rec[PROJECTED], unit, lang)} ({format_number(rec[PROJ_LO])}–{format_number(rec[PROJ_HI])})")
    return {"latest": latest, "projected": projected,
            "attribute": ATTRIBUTE_LABELS[S.BINDING if rec[BINDING_COL] else S.EXPECTED][lang],
            "status": status_label(rec[STATUS], lang),
            "p": "" if is_missing(rec[P_MEET]) else format_probability(rec[P_MEET])}


def format_assessment(result: pd.DataFrame, fmt: str = "table", lang: str = "zh",
                      catalog: pd.DataFrame | None = None, demo: bool = False) -> str:
    """The assessment as text: ``csv`` and ``json`` carry exactly ``schema.ASSESSMENT_COLUMNS``.

    ``table`` is for a terminal: the binding indicators at risk first, then every row in the
    order of :func:`sort_for_action`; ``catalog`` adds indicator names, ``demo`` the demo label.

    Examples:
        >>> res = pd.DataFrame([{c: None for c in S.ASSESSMENT_COLUMNS}]).assign(indicator_id="A")
        >>> format_assessment(res, "csv").splitlines()[0] == ",".join(S.ASSESSMENT_COLUMNS)
        True
    """
    out = result[S.ASSESSMENT_COLUMNS]
    if fmt == "csv":
        return neutralise_frame(out).to_csv(index=False, float_format="%.6g")
    if fmt == "json":
        return out.to_json(orient="records", force_ascii=False, indent=1, double_precision=6) + "\n"
    if fmt == "table":
        return _table(out, catalog, lang, demo)
    raise PlanlibError(Problem(f"未知的输出格式“{fmt}”", f"Unknown output format '{fmt}'",
                               "使用 table、csv 或 json。", "Use table, csv or json.", value=fmt))


def _table(result: pd.DataFrame, catalog: pd.DataFrame | None, lang: str, demo: bool) -> str:
    catalog = catalog if catalog is not None else pd.DataFrame({S.INDICATOR_ID: result[S.INDICATOR_ID]})
    info = catalog.drop_duplicates(S.INDICATOR_ID).set_index(S.INDICATOR_ID)
    ordered = sort_for_action(result, catalog)
    home = home_region(result[S.REGION])
    own = result[result[S.REGION] == home]  # the data of the plan's region date the table, not 全国's
    lines = [_say("table_title", lang, year=_int((own if own[LATEST_YEAR].notna().any() else result)[LATEST_YEAR].max()))]
    if demo:
        lines.append(S.DEMO_LABEL[lang])
    urgent = ordered[(ordered[S.REGION] == home) & ordered[BINDING_COL].astype(bool) & ordered[STATUS].isin(_URGENT)]
    lines.append(_say("table_urgent", lang, n=len(urgent)) if len(urgent) else _say("table_urgent_none", lang))
    for rec in urgent.to_dict("records"):
        lines.append(f"  {status_label(rec[STATUS], lang)}  {rec[S.INDICATOR_ID]} {_name(info, rec, lang)}")
        lines.append(f"      {rec[EXPL_ZH] if lang == 'zh' else rec[EXPL_EN]}")
    for region, part in ordered.groupby(S.REGION, sort=False):
        lines += ["", f"【{region}】" if lang == "zh" else f"[{region_label(region, 'en')}]"] + _grid(part, info, lang)
    return printable("\n".join(lines) + "\n")  # names and notes never drive the terminal


def _grid(part: pd.DataFrame, info: pd.DataFrame, lang: str) -> list[str]:
    keys = ["col_id", "col_indicator", "col_attribute", "col_status", "col_latest", "col_target",
            "col_projected", "col_p"]
    rows = [[_say(k, lang) for k in keys]]
    for rec in part.to_dict("records"):
        ident = rec[S.INDICATOR_ID]
        cells = _cells(rec, _lookup(info, ident, S.UNIT), lang)
        rows.append([ident, _clip(_name(info, rec, lang), 34), cells["attribute"], cells["status"],
                     cells["latest"], _clip(_lookup(info, ident, S.TARGET_TEXT), 14), cells["projected"],
                     cells["p"]])
    widths = [max(_width(r[i]) for r in rows) for i in range(len(keys))]
    return ["  ".join(_pad(cell, w) for cell, w in zip(r, widths)).rstrip() for r in rows]


def _lookup(info: pd.DataFrame, ident: str, column: str) -> str:
    if column not in info.columns or ident not in info.index:
        return ""
    value = info.at[ident, column]
    return "" if is_missing(value) else str(value)


def _name(info: pd.DataFrame, rec: dict, lang: str) -> str:
    name = _lookup(info, rec[S.INDICATOR_ID], S.NAME_EN) if lang == "en" else ""
    return name or _lookup(info, rec[S.INDICATOR_ID], S.NAME_ZH)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in str(text))


def _pad(text: str, width: int) -> str:
    return str(text) + " " * (width - _width(text))


def _clip(text: str, width: int) -> str:
    if _width(text) <= width:
        return text
    while _width(text) > width - 1:
        text = text[:-1]
    return text + "…"
