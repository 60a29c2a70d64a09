"""The city view: a parent region's member regions side by side, indicator by indicator.

A city (重庆市) follows the plans of its member regions (石柱县, 示例县, ...). Each member has its own
plan, so the same indicator id may carry a different target (or target year) in each; every member
is assessed, and shown, against **its own** target, never another member's. Indicators are matched
across plans by ``indicator_id``.

:func:`city_view` takes what the assessment already made (one row per indicator and region,
``schema.ASSESSMENT_COLUMNS``), each member's catalogue and the observations, and returns a
:class:`CityView` of tidy frames:

* ``cells``: one row per indicator and member whose plan has it: its own target, status, p_meet,
  latest value and whether that series holds illustrative (demo) data. A member whose plan has an
  indicator but whose assessment has no row for it is shown as insufficient data.
* ``reference_values``: the reference regions' (重庆市, 全国) latest observed value of each
  indicator, with year, source and confirmation.
* ``behind``: the cells of binding (约束性) targets that are at risk or off track.
* ``ranking``: the cells with their ``margin`` and ``rank`` per indicator (see :func:`margin`).

:func:`grid_frame`, :func:`behind_frame` and :func:`ranking_frame` lay them out for a reader, in
Chinese or English; the Excel sheet, the city report and the dashboard use them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from . import i18n
from . import schema as S
from .config import NATIONAL, PARENT_CITY
from .formats import is_missing
from .targets import Target, parse_target

MARGIN, RANK, DEMO = "margin", "rank", "demo"
CELL_COLUMNS = [S.INDICATOR_ID, S.REGION, S.TARGET_TEXT, S.TARGET_YEAR, S.ATTRIBUTE, S.BINDING_FLAG,
                S.ASSESSMENT_STATUS, S.P_MEET, S.LATEST_YEAR, S.LATEST_VALUE, DEMO]
REFERENCE_COLUMNS = [S.INDICATOR_ID, S.REGION, S.YEAR, S.VALUE, S.SOURCE, S.CONFIRMATION]
#: The statuses a binding target is "behind" with.
BEHIND = (S.AT_RISK, S.OFF_TRACK)


@dataclass(frozen=True)
class CityView:
    """Indicators x member regions of one city (see the module docstring for each frame).

    Attributes:
        city: the parent region (重庆市).
        members: the member regions, in the order shown.
        references: the reference regions shown beside them.
        indicators: ``indicator_id, name_zh, name_en, unit`` of every indicator of any member's
            plan, in the order of the first member's plan that has it.
        cells: one row per indicator and member (``CELL_COLUMNS``).
        reference_values: the reference regions' latest values (``REFERENCE_COLUMNS``).
        behind: binding cells at risk or off track.
        ranking: the cells with ``margin`` and ``rank``, by indicator, best first.
    """

    city: str
    members: tuple[str, ...]
    references: tuple[str, ...]
    indicators: pd.DataFrame
    cells: pd.DataFrame
    reference_values: pd.DataFrame
    behind: pd.DataFrame
    ranking: pd.DataFrame

    @property
    def demo(self) -> bool:
        """Whether any member's value shown is illustrative (demo) data."""
        return bool(self.cells[DEMO].any())


def margin(target: Target, latest: object) -> float:
    """How far the latest value is on the better side of the target, in the indicator's unit.

    Positive: the target is met with that much to spare; negative: that far short. Thresholds
    count from the number in the target's better direction (``≥ 96`` with 97 gives 1, ``< 2.5``
    with 3 gives -0.5); bands (``左右``, ``趋于平衡``) count the distance inside the band's nearer
    edge. Directional, relative, change and qualitative targets have no number to measure
    against, and a missing value has nothing to measure: both give NaN (not ranked).

    Examples:
        >>> margin(parse_target("≥ 96"), 97), margin(parse_target("< 2.5"), 3.0)
        (1.0, -0.5)
        >>> margin(parse_target("趋于平衡"), 108.0), math.isnan(margin(parse_target("逐年提高"), 50))
        (-1.0, True)
    """
    if is_missing(latest) or target.change is not None or target.value is None:
        return math.nan
    value = float(latest)
    if target.kind == "threshold":
        return value - target.value if target.op in (">=", ">") else target.value - value
    if target.kind in ("approx", "balance"):
        return target.tolerance - abs(value - target.value)
    return math.nan


def city_view(assessments: pd.DataFrame, catalogs: Mapping[str, pd.DataFrame], members: Sequence[str],
              observations: pd.DataFrame, references: Sequence[str] = (PARENT_CITY, NATIONAL),
              as_of: int | None = None) -> CityView:
    """The city view of ``members`` (see the module docstring).

    Args:
        assessments: assessment rows (``schema.ASSESSMENT_COLUMNS``) of every member, each made
            against that member's own catalogue (:func:`assess_members`, or ``assess --all-regions``).
        catalogs: member region -> its plan's catalogue (``load_catalog``).
        members: the member regions, in the order shown.
        observations: tidy observations: the reference regions' values and the demo flags.
        references: the reference regions shown beside the members.
        as_of: ignore observations after this year (as the assessment did).

    Ranking: per indicator, members by :func:`margin` over their own target, the largest first;
    equal margins (to 9 decimals) share the better rank (1, 1, 3); members without a latest
    value, or whose target has no number (提高, 保持合理比例, relative or change targets), get no
    rank and come last, in the members' order.

    Examples:
        >>> cat = pd.DataFrame({"indicator_id": ["C21"], "name_zh": ["巩固率（%）"], "name_en": ["Retention"],
        ...     "unit": ["%"], "target_text": ["≥ 96"], "target_year": [2030], "attribute": ["binding"]})
        >>> rows = pd.DataFrame({"indicator_id": ["C21", "C21"], "region": ["甲县", "乙县"],
        ...     "status": ["achieved", "at_risk"], "latest_year": [2024, 2024], "latest_value": [97.0, 97.0]})
        >>> obs = pd.DataFrame({"indicator_id": ["C21"], "region": ["重庆市"], "year": [2023],
        ...     "value": [96.5], "source": ["重庆市统计局"]})
        >>> view = city_view(rows, {"甲县": cat, "乙县": cat.assign(target_text="≥ 98")}, ["甲县", "乙县"], obs)
        >>> view.cells[["region", "target_text", "status"]].values.tolist()
        [['甲县', '≥ 96', 'achieved'], ['乙县', '≥ 98', 'at_risk']]
        >>> view.ranking[["region", "margin", "rank"]].values.tolist()
        [['甲县', 1.0, 1], ['乙县', -1.0, 2]]
        >>> view.behind.region.tolist(), view.reference_values[["region", "value"]].values.tolist()
        (['乙县'], [['重庆市', 96.5]])
    """
    members, references = tuple(members), tuple(references)
    obs = _until(observations, as_of)
    indicators = _indicators(catalogs, members)
    cells = pd.concat([_member_cells(assessments, catalogs[m], m, obs) for m in members], ignore_index=True)
    cells = _in_order(cells, indicators, members)
    behind = cells[cells[S.BINDING_FLAG] & cells[S.ASSESSMENT_STATUS].isin(BEHIND)].reset_index(drop=True)
    return CityView(city=PARENT_CITY if PARENT_CITY in references else references[0] if references else "",
                    members=members, references=references, indicators=indicators, cells=cells,
                    reference_values=_reference_values(obs, indicators, references),
                    behind=behind, ranking=_ranking(cells, indicators, members))


def assess_members(catalogs: Mapping[str, pd.DataFrame], observations: pd.DataFrame,
                   as_of: int | None = None) -> pd.DataFrame:
    """Assess each member against its own catalogue, as ``planlib assess --region`` does: the rows
    :func:`planlib.plans.rows_of` gives it (its own and the reference regions'), keeping only the
    member's result rows.
    """
    from .assessment import AssessConfig, assess
    from .plans import rows_of

    parts = []
    for region, catalog in catalogs.items():
        rows = assess(catalog, rows_of(observations, region), as_of=as_of, config=AssessConfig(home_region=region))
        parts.append(rows[rows[S.REGION] == region])
    return pd.concat(parts, ignore_index=True)


# --- for a reader ----------------------------------------------------------------------------------

def label(key: str, lang: str = "zh", **fields) -> str:
    """A city-view label (``i18n.CITY_LABELS``) in ``lang``."""
    return i18n.t(key, lang, i18n.CITY_LABELS).format(**fields)


def grid_frame(view: CityView, lang: str = "zh") -> pd.DataFrame:
    """Indicators x members: each member's own target, status and latest value, then each
    reference region's latest value, year and source. Numbers stay numbers (None where absent).

    An indicator that a member's plan lacks reads "不在该规划中 / not in this plan" there.
    """
    out = _names(view.indicators, lang)
    cells = view.cells.set_index([S.INDICATOR_ID, S.REGION])
    ids = view.indicators[S.INDICATOR_ID]
    absent = label("not_in_plan", lang)
    for m in view.members:
        name = i18n.region_label(m, lang)
        get = lambda col: [cells.at[(i, m), col] if (i, m) in cells.index else None for i in ids]  # noqa: E731
        out[label("col_target", lang, region=name)] = [absent if t is None else t for t in get(S.TARGET_TEXT)]
        out[label("col_status", lang, region=name)] = [
            absent if s is None else i18n.status_label(s, lang) for s in get(S.ASSESSMENT_STATUS)]
        out[label("col_latest", lang, region=name)] = [_number(v) for v in get(S.LATEST_VALUE)]
    refs = view.reference_values.set_index([S.INDICATOR_ID, S.REGION])
    for r in view.references:
        name = i18n.region_label(r, lang)
        get = lambda col: [refs.at[(i, r), col] if (i, r) in refs.index else None for i in ids]  # noqa: E731
        out[label("col_ref_value", lang, region=name)] = [_number(v) for v in get(S.VALUE)]
        out[label("col_ref_year", lang, region=name)] = pd.array(
            [None if is_missing(y) else int(y) for y in get(S.YEAR)], dtype="Int64")
        out[label("col_ref_source", lang, region=name)] = [None if is_missing(s) else s for s in get(S.SOURCE)]
    return out


def behind_frame(view: CityView, lang: str = "zh") -> pd.DataFrame:
    """The binding targets at risk or off track: member, indicator, own target, status, latest."""
    return _cell_frame(view, view.behind, lang)


def ranking_frame(view: CityView, lang: str = "zh") -> pd.DataFrame:
    """Per indicator, the members by rank, with own target, latest value and margin."""
    out = _cell_frame(view, view.ranking, lang)
    out[label("col_margin", lang)] = [_number(v) for v in view.ranking[MARGIN]]
    out[label("col_rank", lang)] = [label("unranked", lang) if is_missing(r) else int(r)
                                    for r in view.ranking[RANK]]
    return out


# --- the pieces ------------------------------------------------------------------------------------

def _until(observations: pd.DataFrame, as_of: int | None) -> pd.DataFrame:
    if as_of is None:
        return observations
    return observations[pd.to_numeric(observations[S.YEAR]) <= as_of]


def _indicators(catalogs: Mapping[str, pd.DataFrame], members: tuple[str, ...]) -> pd.DataFrame:
    cols = [S.INDICATOR_ID, S.NAME_ZH, S.NAME_EN, S.UNIT]
    frames = [catalogs[m].reindex(columns=cols) for m in members]
    return pd.concat(frames, ignore_index=True).drop_duplicates(S.INDICATOR_ID).reset_index(drop=True)


def _member_cells(assessments: pd.DataFrame, catalog: pd.DataFrame, member: str,
                  observations: pd.DataFrame) -> pd.DataFrame:
    plan = catalog.reindex(columns=[S.INDICATOR_ID, S.TARGET_TEXT, S.TARGET_YEAR, S.ATTRIBUTE])
    plan = plan.assign(**{S.REGION: member, S.BINDING_FLAG: plan[S.ATTRIBUTE] == S.BINDING})
    rows = assessments[assessments[S.REGION] == member].reindex(
        columns=[S.INDICATOR_ID, S.ASSESSMENT_STATUS, S.P_MEET, S.LATEST_YEAR, S.LATEST_VALUE])
    cells = plan.merge(rows.drop_duplicates(S.INDICATOR_ID), on=S.INDICATOR_ID, how="left")
    cells[S.ASSESSMENT_STATUS] = cells[S.ASSESSMENT_STATUS].fillna(S.INSUFFICIENT_DATA)
    mine = observations[observations[S.REGION] == member]
    if S.SOURCE in mine:
        demo_ids = set(mine.loc[mine[S.SOURCE] == S.DEMO_SOURCE, S.INDICATOR_ID])
    else:
        demo_ids = set()
    cells[DEMO] = cells[S.INDICATOR_ID].isin(demo_ids)
    return cells[CELL_COLUMNS]


def _in_order(cells: pd.DataFrame, indicators: pd.DataFrame, members: tuple[str, ...]) -> pd.DataFrame:
    order = {i: k for k, i in enumerate(indicators[S.INDICATOR_ID])}
    rank = {m: k for k, m in enumerate(members)}
    keys = cells[S.INDICATOR_ID].map(order) * len(members) + cells[S.REGION].map(rank)
    return cells.iloc[keys.argsort(kind="stable")].reset_index(drop=True)


def _reference_values(observations: pd.DataFrame, indicators: pd.DataFrame,
                      references: tuple[str, ...]) -> pd.DataFrame:
    rows = observations[observations[S.REGION].isin(references)
                        & observations[S.INDICATOR_ID].isin(indicators[S.INDICATOR_ID])]
    rows = S.with_columns(rows, REFERENCE_COLUMNS).dropna(subset=[S.VALUE])
    rows = rows.sort_values([S.INDICATOR_ID, S.REGION, S.YEAR], kind="stable")
    return rows.groupby([S.INDICATOR_ID, S.REGION], sort=False).tail(1).reset_index(drop=True)


def _ranking(cells: pd.DataFrame, indicators: pd.DataFrame, members: tuple[str, ...]) -> pd.DataFrame:
    margins = [round(margin(parse_target(t), v), 9) if isinstance(t, str) and t.strip() else math.nan
               for t, v in zip(cells[S.TARGET_TEXT], cells[S.LATEST_VALUE])]
    out = cells.assign(**{MARGIN: margins})
    out[RANK] = out.groupby(S.INDICATOR_ID)[MARGIN].rank(method="min", ascending=False).astype("Int64")
    order = {i: k for k, i in enumerate(indicators[S.INDICATOR_ID])}
    member = {m: k for k, m in enumerate(members)}
    out = out.assign(_i=out[S.INDICATOR_ID].map(order), _r=out[RANK].fillna(len(members) + 1),
                     _m=out[S.REGION].map(member))
    return out.sort_values(["_i", "_r", "_m"], kind="stable").drop(columns=["_i", "_r", "_m"]).reset_index(drop=True)


def _names(indicators: pd.DataFrame, lang: str) -> pd.DataFrame:
    names = indicators[S.NAME_ZH].fillna("")
    if lang == "en":
        english = indicators[S.NAME_EN].fillna("").astype(str)
        names = english.where(english.str.strip() != "", names)
    return pd.DataFrame({label("col_indicator", lang): indicators[S.INDICATOR_ID].to_numpy(),
                         label("col_name", lang): names.to_numpy(),
                         label("col_unit", lang): indicators[S.UNIT].to_numpy()})


def _cell_frame(view: CityView, cells: pd.DataFrame, lang: str) -> pd.DataFrame:
    names = _names(view.indicators, lang).set_index(label("col_indicator", lang))
    return pd.DataFrame({
        label("col_indicator", lang): cells[S.INDICATOR_ID].to_numpy(),
        label("col_name", lang): cells[S.INDICATOR_ID].map(names[label("col_name", lang)]).to_numpy(),
        label("col_region", lang): [i18n.region_label(r, lang) for r in cells[S.REGION]],
        label("col_own_target", lang): cells[S.TARGET_TEXT].to_numpy(),
        label("col_status_one", lang): [i18n.status_label(s, lang) for s in cells[S.ASSESSMENT_STATUS]],
        label("col_latest_one", lang): [_number(v) for v in cells[S.LATEST_VALUE]],
        # a year stays a whole number when some are missing (as floats, 2024 would print as 2,024)
        label("col_latest_year", lang): pd.array([None if is_missing(y) else int(y) for y in cells[S.LATEST_YEAR]],
                                                 dtype="Int64"),
        label("col_demo", lang): [label("yes" if d else "no", lang) for d in cells[DEMO]],
    })


def _number(value: object) -> float | None:
    return None if is_missing(value) else float(value)
