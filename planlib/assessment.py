"""Target-risk assessment: for every indicator and region, will the target be met?

``assess(catalog, observations)`` projects each series to its target year with
:func:`planlib.forecast.project` and reads the projection frame (``loc``/``scale``/``transform``)
through :func:`planlib.forecast.p_meet` to give ``p_meet``, the probability that the value in the
target year meets the target. There is one row per indicator and region with data up to ``as_of``
(later rows are dropped before anything else, so nothing later can leak in), and a row for every
indicator in the home region (the county; else the most frequent region), ``insufficient_data``
where it has no data. A year repeated within a series keeps its last row.

Statuses follow from ``p_meet`` and :class:`AssessConfig`:

* ``achieved``: the latest value meets the target **and** ``p_meet >= on_track`` (0.75): it meets
  it now and is projected to keep meeting it.
* ``on_track``: ``p_meet >= on_track`` (0.75).
* ``at_risk``: ``at_risk <= p_meet < on_track`` (0.25 to 0.75).
* ``off_track``: ``p_meet < at_risk`` (below 0.25).
* ``insufficient_data``: fewer than ``min_points`` (2) years of data, or the series a relative
  target refers to is missing.
* ``not_assessable``: qualitative targets (保持合理比例), whatever the data.
* When the target year itself has been observed, the observation decides: ``achieved`` if it meets
  the target, ``off_track`` if not (``p_meet`` 1 or 0, method ``observed``).

How each kind of target gives ``p_meet``:

* threshold (``< 8``, ``≥ 92``, ``100``): ``p_meet(frame, op, value, target_year)``. A target at a
  natural bound (``≥ 100`` for a percentage) cannot be reached by a continuous projection, so it
  counts as met within ``bound_margin`` (0.5 units, i.e. 99.5 %) of the bound.
* approx (``45左右``): the probability of lying inside the tolerance band of the target grammar.
* balance (``趋于平衡``, the sex ratio at birth): 趋于平衡 is read as "the county's underlying sex
  ratio at birth lies in the normal range" (103-107 boys per 100 girls, ``TargetConfig``; see
  ``data/README.md`` for the source). The ratio is modelled as the share of boys among births, a
  binomial with the county's births (``RATIO_OF_COUNTS_UNITS``), pooled over the recent level,
  and ``p_meet`` is the probability that the *underlying* ratio lies in the band: one year's
  ratio among ~3,500 births swings by about ±3 by chance alone and is not read as a trend. A
  series outside the band whose projection is nearer the band than its latest value is moving
  toward it and is at worst ``at_risk``.
* A threshold, band or approx target met in every observed year (at least
  ``MIN_STEADY_POINTS``, all of them since any step change) by a series judged on its level (no
  trend carried forward), and met by the projection, is ``achieved``: its probability reflects
  year-to-year noise, not a trend away from the target, and the explanation says so.
* directional (``提高``, ``降低``): the probability that the target-year value is better than the
  base value. The **base** is the value of ``base_year`` (2020, the year before the plan) if
  observed; else the latest value before it; else the first value of the plan period.
  逐年 (``every_year``) means every year: a *decline* is a pair of consecutive observed years, the
  later one inside the plan period (2021 to the target year), whose value moved the wrong way
  (a year equal to the one before is not a decline). One decline caps the status at ``at_risk``;
  ``declines_off_track`` (2) or more make it ``off_track``. A directional target is met now when
  the latest value is better than the base (and, for 逐年, there has been no decline).
* relative (``≥县党员总数中女性比例``): the catalogue's ``reference_indicator`` is projected for the
  same region and the difference of the two target-year values is taken as normal (standard
  deviations read off the 95 % intervals); a reference with one value is used as a constant.
  Without a ``reference_indicator`` or without its data: ``insufficient_data``, reason given.

Alongside, the transparent two-point measure of Eurostat's SDG progress reports:
``observed_annual_change`` is the compound annual growth rate (% per year, signed) from the base
value to the latest value; ``required_annual_change`` the rate needed from the base value to reach
the goal in the target year (the threshold; the centre of a 左右 band; the nearest edge of the
balanced band; the reference's projected value), 0 when the base already met the target, empty
for directional targets. :func:`assess_detail` adds their ratio (observed / required) and its
category: ``significant_progress`` (ratio >= 0.95, or the latest value meets the target),
``moderate_progress`` (0.6 to 0.95), ``insufficient_progress`` (0 to 0.6), ``movement_away``
(below 0, or the base met the target and the latest does not). Directional targets have no ratio;
their category comes from the observed rate in the better direction: at least 1 % a year
significant, above 0.1 % moderate, within ±0.1 % insufficient, worse than -0.1 % movement away.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from . import schema as S
from . import series as assessed
from .config import BASE_YEAR, COUNTY, PLAN_END, PLAN_START
from .errors import PlanlibError, Problem
from .formats import format_number, format_probability, format_value, is_missing
from .i18n import ATTRIBUTE_LABELS, STATUS_ORDER, status_label
from .safecells import neutralise_frame, printable
from .targets import Target, parse_target
from .units import RATIO_OF_COUNTS_UNITS, bounds_for_unit  # noqa: F401 (re-exported)

STATUS, P_MEET = "status", "p_meet"
LATEST_YEAR, LATEST_VALUE = "latest_year", "latest_value"
PROJECTED, PROJ_LO, PROJ_HI = "projected_value", "projected_lower_95", "projected_upper_95"
REQUIRED, OBSERVED = "required_annual_change", "observed_annual_change"
BINDING_COL, EXPL_ZH, EXPL_EN = "binding", "explanation_zh", "explanation_en"
#: Extra columns of :func:`assess_detail`, after ``schema.ASSESSMENT_COLUMNS``.
DETAIL_EXTRA = ["target_kind", S.TARGET_TEXT, "base_year", "base_value", "goal_value",
                "progress_ratio", "progress_category", "declines", "n_points", "demo", "reason"]
DETAIL_COLUMNS = S.ASSESSMENT_COLUMNS + DETAIL_EXTRA
PROGRESS_CATEGORIES = ("significant_progress", "moderate_progress", "insufficient_progress",
                       "movement_away")
_Z95 = 1.959963984540054
#: Methods that carry no trend forward (a series judged on its recent level).
LEVEL_METHODS = ("level", "binomial")
#: A series that met its target in at least this many years in a row (all of them since any step)
#: and carries no trend is not flagged.
MIN_STEADY_POINTS = 3


@dataclass(frozen=True)
class AssessConfig:
    """Cut-offs of the assessment (see the module docstring for how each is used).

    Attributes:
        on_track: ``p_meet`` at or above this is on track (and achieved if met now).
        at_risk: ``p_meet`` at or above this (and below ``on_track``) is at risk; below, off track.
        min_points: fewer years of data than this is insufficient data.
        base_year: the base year of directional targets and of the two-point rates.
        plan_start: first year of the plan period (declines of 逐年 targets count from here).
        method: projection method passed to :func:`planlib.forecast.project`.
        bound_margin: a target at a natural bound counts as met this close to the bound.
        significant_ratio / moderate_ratio: Eurostat-style cut-offs of observed / required rate.
        directional_significant / stagnation: cut-offs (% per year) for directional targets.
        declines_off_track: this many declines of a 逐年 target make it off track.
        home_region: region that gets a row for every indicator; None picks the county if it is
            in the observations, else the most frequent region.

    Examples:
        >>> AssessConfig().status_for(0.8), AssessConfig().status_for(0.5), AssessConfig().status_for(0.1)
        ('on_track', 'at_risk', 'off_track')
        >>> AssessConfig(on_track=0.9).status_for(0.8)
        'at_risk'
    """

    on_track: float = 0.75
    at_risk: float = 0.25
    min_points: int = assessed.MIN_POINTS
    base_year: int = BASE_YEAR
    plan_start: int = PLAN_START
    method: str = "auto"
    bound_margin: float = 0.5
    significant_ratio: float = 0.95
    moderate_ratio: float = 0.60
    directional_significant: float = 1.0
    stagnation: float = 0.1
    declines_off_track: int = 2
    home_region: str | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.at_risk <= self.on_track <= 1 or self.min_points < 2:
            raise PlanlibError(Problem(
                "评估阈值设置有误：须 0 ≤ at_risk ≤ on_track ≤ 1，且 min_points ≥ 2。",
                "Invalid assessment cut-offs: need 0 <= at_risk <= on_track <= 1 and min_points >= 2.",
                "请检查 AssessConfig 的设置。", "Check the AssessConfig values.",
                value=(self.at_risk, self.on_track, self.min_points)))

    def status_for(self, p: float) -> str:
        """The status a probability of meeting the target gives (not achieved: see assess)."""
        if p >= self.on_track:
            return S.ON_TRACK
        return S.AT_RISK if p >= self.at_risk else S.OFF_TRACK


# --- public API -----------------------------------------------------------------------------------

def assess(catalog: pd.DataFrame, observations: pd.DataFrame, as_of: int | None = None,
           config: AssessConfig | None = None) -> pd.DataFrame:
    """Assess every indicator of a catalogue, for every region of the observations.

    Args:
        catalog: the indicator catalogue (``load_catalog()``); needs ``indicator_id``, ``unit``,
            ``target_text``; ``target_year`` defaults to 2030, ``attribute`` to expected.
        observations: tidy observations (``indicator_id``, ``year``, ``value``; ``region``
            defaults to the county; ``numerator``/``denominator`` feed count models).
        as_of: use only observations of this year or earlier (what was knowable then).
        config: cut-offs; defaults to :class:`AssessConfig`.

    Returns:
        A new frame with exactly ``schema.ASSESSMENT_COLUMNS``: one row per indicator and region
        with data, plus a row for the home region (the county) for every indicator.

    Raises:
        PlanlibError: a required column is missing, a value is not a number, a target unreadable.

    Examples:
        >>> cat = pd.DataFrame({"indicator_id": ["X1"], "name_zh": ["某率（%）"], "unit": ["%"],
        ...                     "target_text": ["保持合理比例"]})
        >>> obs = pd.DataFrame({"indicator_id": ["X1"], "year": [2021], "value": [50.0]})
        >>> assess(cat, obs)[["indicator_id", "region", "status"]].values.tolist()
        [['X1', '石柱县', 'not_assessable']]
    """
    return assess_detail(catalog, observations, as_of=as_of, config=config)[S.ASSESSMENT_COLUMNS]


def assess_detail(catalog: pd.DataFrame, observations: pd.DataFrame, as_of: int | None = None,
                  config: AssessConfig | None = None) -> pd.DataFrame:
    """Like :func:`assess`, with the working shown: ``DETAIL_COLUMNS``.

    The extra columns are the target's kind and text, the base year and value, the goal value,
    the progress ratio and category of the two-point measure, the number of declines (逐年),
    the number of years of data, whether any of it is demo data, and a reason code.

    Examples:
        >>> cat = pd.DataFrame({"indicator_id": ["X1"], "name_zh": ["某率（%）"], "unit": ["%"],
        ...                     "target_text": ["≥ 90"]})
        >>> obs = pd.DataFrame({"indicator_id": ["X1"] * 2, "year": [2020, 2030],
        ...                     "value": [81.0, 90.0]})
        >>> d = assess_detail(cat, obs).iloc[0]
        >>> d["status"], d["method"], round(float(d["observed_annual_change"]), 2), d["progress_category"]
        ('achieved', 'observed', 1.06, 'significant_progress')
    """
    config = config or AssessConfig()
    cat = _checked_catalog(catalog)
    obs = known_as_of(checked_observations(observations), as_of)
    ctx = _Context(obs, cat, config)
    rows = [_assess_row(ctx, ind, region) for ind, region in _pairs(cat, obs, ctx.home)]
    return _typed(pd.DataFrame(rows, columns=DETAIL_COLUMNS))


def known_as_of(observations: pd.DataFrame, as_of: int | None) -> pd.DataFrame:
    """The observations of ``as_of`` or earlier (all of them when ``as_of`` is None).

    Examples:
        >>> obs = pd.DataFrame({"indicator_id": ["A", "A"], "year": [2021, 2024], "value": [1.0, 2.0]})
        >>> known_as_of(obs, 2023)["year"].tolist()
        [2021]
    """
    if as_of is None:
        return observations.copy()
    return observations[observations[S.YEAR] <= int(as_of)].reset_index(drop=True)


def annual_change(start: float, end: float, years: float) -> float:
    """Compound annual growth rate from ``start`` to ``end`` over ``years``, in % per year.

    NaN when either value is missing or not positive, or ``years`` is not positive.

    Examples:
        >>> round(annual_change(100, 121, 2), 6)
        10.0
        >>> math.isnan(annual_change(0, 5, 3))
        True
    """
    if is_missing(start) or is_missing(end) or start <= 0 or end <= 0 or not years or years <= 0:
        return math.nan
    return ((end / start) ** (1.0 / years) - 1.0) * 100.0


def progress_category(observed: float, required: float, met_now: bool | None,
                      config: AssessConfig | None = None) -> tuple[float, str | None]:
    """Eurostat-style ratio of observed to required annual change, and its category.

    ``required`` NaN means a directional target: the category then comes from ``observed``
    (already signed so that positive is better). Returns ``(ratio, category)``; the category is
    None when it cannot be computed.

    Examples:
        >>> progress_category(-1.1, -4.2, False)
        (0.2619047619047619, 'insufficient_progress')
        >>> progress_category(2.0, -3.0, False)[1]
        'movement_away'
        >>> progress_category(1.5, math.nan, None)
        (nan, 'significant_progress')
    """
    config = config or AssessConfig()
    if is_missing(required):
        return math.nan, _directional_category(observed, config)
    if met_now:
        ratio = observed / required if required and not is_missing(observed) else math.nan
        return ratio, PROGRESS_CATEGORIES[0]
    if required == 0:
        return math.nan, PROGRESS_CATEGORIES[3]
    if is_missing(observed):
        return math.nan, None
    ratio = observed / required
    cuts = [(config.significant_ratio, 0), (config.moderate_ratio, 1), (0.0, 2)]
    category = next((PROGRESS_CATEGORIES[i] for cut, i in cuts if ratio >= cut), PROGRESS_CATEGORIES[3])
    return ratio, category


def _directional_category(observed: float, config: AssessConfig) -> str | None:
    if is_missing(observed):
        return None
    if observed >= config.directional_significant:
        return PROGRESS_CATEGORIES[0]
    if observed > config.stagnation:
        return PROGRESS_CATEGORIES[1]
    return PROGRESS_CATEGORIES[2] if observed >= -config.stagnation else PROGRESS_CATEGORIES[3]


# --- input checks ---------------------------------------------------------------------------------

def checked_observations(observations: pd.DataFrame) -> pd.DataFrame:
    """Observations with the columns assessment needs, typed; a clear error where they are bad.

    ``region`` defaults to the county, ``numerator``/``denominator`` to empty, ``source`` to "".

    Examples:
        >>> checked_observations(pd.DataFrame({"indicator_id": ["A"], "year": ["2021"],
        ...                                    "value": ["3.5"]})).loc[0, ["region", "value"]].astype(str).tolist()
        ['石柱县', '3.5']
    """
    missing = [c for c in S.OBS_REQUIRED if c not in observations.columns]
    if missing:
        raise PlanlibError([_column_problem(c, S.OBS_REQUIRED, "观测数据", "observations") for c in missing])
    obs = observations.copy()
    for col, default in ((S.REGION, COUNTY), (S.SOURCE, ""), (S.NUMERATOR, np.nan), (S.DENOMINATOR, np.nan)):
        if col not in obs.columns:
            obs[col] = default
    obs[S.REGION] = obs[S.REGION].fillna(COUNTY).astype(str).replace("", COUNTY)
    obs[S.INDICATOR_ID] = obs[S.INDICATOR_ID].astype(str).str.strip()
    for col in (S.YEAR, S.VALUE, S.NUMERATOR, S.DENOMINATOR):
        obs[col] = _numeric_column(obs, col)
    if (obs[S.YEAR].isna() | (obs[S.YEAR] % 1 != 0)).any():
        raise PlanlibError(_value_problem(obs, S.YEAR, obs[S.YEAR].isna() | (obs[S.YEAR] % 1 != 0)))
    obs[S.YEAR] = obs[S.YEAR].astype(int)
    return obs


def _numeric_column(obs: pd.DataFrame, col: str) -> pd.Series:
    raw = obs[col]
    blank = raw.isna() | raw.astype(str).str.strip().isin(["", "nan", "NaN", "None", "<NA>"])
    values = pd.to_numeric(raw.where(~blank), errors="coerce")
    bad = values.isna() & ~blank
    if bad.any():
        raise PlanlibError(_value_problem(obs, col, bad))
    return values.astype(float)


def _value_problem(obs: pd.DataFrame, col: str, bad: pd.Series) -> Problem:
    pos = int(np.flatnonzero(bad.to_numpy())[0])
    return Problem(
        f"“{col}”列应为数字，共 {int(bad.sum())} 处不是数字", f"Column '{col}' must hold numbers; "
        f"{int(bad.sum())} cell(s) do not", "只填数字（不带单位或文字），缺失的留空。",
        "Enter numbers only (no units or words); leave missing values empty.",
        row=pos + 2, column=col, value=obs[col].iloc[pos])


def _column_problem(col: str, required: list[str], what_zh: str, what_en: str) -> Problem:
    return Problem(
        f"{what_zh}缺少必需的列“{col}”", f"The {what_en} lack the required column '{col}'",
        f"在表头加入列“{col}”（必需列：{'、'.join(required)}）。",
        f"Add a column '{col}' (required: {', '.join(required)}).", row=1, column=col)


def _checked_catalog(catalog: pd.DataFrame) -> pd.DataFrame:
    need = [S.INDICATOR_ID, S.UNIT, S.TARGET_TEXT]
    missing = [c for c in need if c not in catalog.columns]
    if missing:
        raise PlanlibError([_column_problem(c, need, "指标目录", "catalogue") for c in missing])
    defaults = {S.TARGET_YEAR: PLAN_END, S.ATTRIBUTE: S.EXPECTED, S.REFERENCE_INDICATOR: "",
                S.NAME_ZH: "", S.NAME_EN: "", S.PLAN: ""}
    cat = catalog.assign(**{c: v for c, v in defaults.items() if c not in catalog.columns})
    cat = cat.assign(**{S.REFERENCE_INDICATOR: cat[S.REFERENCE_INDICATOR].fillna("").astype(str),
                        S.TARGET_YEAR: pd.to_numeric(cat[S.TARGET_YEAR]).fillna(PLAN_END).astype(int)})
    targets = []
    for i, text in enumerate(cat[S.TARGET_TEXT]):
        try:
            targets.append(parse_target(text))
        except PlanlibError as exc:
            raise PlanlibError([replace(p, row=i + 2) for p in exc.problems]) from None
    return cat.assign(_target=targets).reset_index(drop=True)


# --- the work -------------------------------------------------------------------------------------

class _Context:
    """Series by (indicator, region), projections computed once, and what rows need to share."""

    def __init__(self, obs: pd.DataFrame, cat: pd.DataFrame, config: AssessConfig):
        self.config = config
        self.home = config.home_region or home_region(obs[S.REGION])
        self.series = assessed.by_indicator_region(obs)
        self.units = dict(zip(cat[S.INDICATOR_ID], cat[S.UNIT]))
        self.empty = obs.iloc[:0].reset_index(drop=True)
        self._projections: dict[tuple, pd.DataFrame | None] = {}

    def get_series(self, ident: str, region: str) -> pd.DataFrame:
        return self.series.get((ident, region), self.empty)

    def projection(self, ident: str, region: str, target_year: int) -> pd.DataFrame | None:
        key = (ident, region, target_year)
        if key not in self._projections:
            series = assessed.cut(self.get_series(ident, region), target_year)
            self._projections[key] = _project(series, self.units.get(ident, ""), target_year, self.config)
        return self._projections[key]


def home_region(regions: pd.Series) -> str:
    """The region the plan is about: the county if present, else the most frequent region.

    Examples:
        >>> home_region(pd.Series(["全国", "石柱县"])), home_region(pd.Series(["甲县", "甲县", "全国"]))
        ('石柱县', '甲县')
        >>> home_region(pd.Series([], dtype=str))
        '石柱县'
    """
    values = pd.Series(regions).dropna().astype(str)
    if values.empty or COUNTY in set(values):
        return COUNTY
    return str(values.value_counts().index[0])


def _pairs(cat: pd.DataFrame, obs: pd.DataFrame, home: str) -> list[tuple[dict, str]]:
    regions_of = obs.dropna(subset=[S.VALUE]).groupby(S.INDICATOR_ID)[S.REGION].unique()
    pairs = []
    for ind in cat.to_dict("records"):
        found = regions_of.get(ind[S.INDICATOR_ID], [])
        others = sorted(r for r in found if r != home)
        pairs.extend((ind, region) for region in [home, *others])
    return pairs


def _project(series: pd.DataFrame, unit: str, target_year: int, config: AssessConfig) -> pd.DataFrame | None:
    if not assessed.projectable(series, config.min_points):
        return None
    return project_series(series, unit, target_year, config.method)


def project_series(series: pd.DataFrame, unit: str, target_year: int, method: str = "auto") -> pd.DataFrame:
    """Project one indicator's series the way the assessment does; the one place that decides it.

    The unit gives the natural bounds (percentages stay within 0-100) and, for rates with
    events and population, the multiplier (‰: 1,000; 1/10万: 100,000), so that a series with
    no events at all still has a known scale. Apps and reports call this too, so that a chart
    always shows the projection the status was judged on.

    Examples:
        >>> s = pd.DataFrame({"year": [2020, 2021, 2022], "value": [90.0, 92.0, 94.0]})
        >>> frame = project_series(s, "%", 2030)
        >>> int(frame["year"].iloc[-1]), bool(frame["upper_95"].max() <= 100)
        (2030, True)
    """
    from . import forecast  # imported here: forecasting pulls in scipy
    from .units import rate_multiplier

    frame = series.reindex(columns=assessed.PROJECTED_COLUMNS).reset_index(drop=True)
    counts = forecast.COUNTS_RATIO if unit in RATIO_OF_COUNTS_UNITS else forecast.COUNTS_RATE
    config = forecast.ForecastConfig(rate_multiplier=rate_multiplier(unit), counts=counts)
    return forecast.project(frame, target_year=target_year, method=method,
                            bounds=bounds_for_unit(unit), config=config)


def _assess_row(ctx: _Context, ind: dict, region: str) -> dict:
    target: Target = ind["_target"]
    series = ctx.get_series(ind[S.INDICATOR_ID], region)
    row = _base_facts(ind, region, series, ctx.config)
    if target.kind == "qualitative":
        return _finish(row, S.NOT_ASSESSABLE, "qualitative", ind)
    if not assessed.projectable(series, ctx.config.min_points):
        return _finish(row, S.INSUFFICIENT_DATA, "no_data" if series.empty else "few_points", ind)
    if target.kind == "relative":
        return _assess_relative(ctx, ind, region, series, row)
    if target.kind == "directional":
        return _assess_directional(ctx, ind, region, series, row)
    return _assess_level(ctx, ind, region, series, row)


def _base_facts(ind: dict, region: str, series: pd.DataFrame, config: AssessConfig) -> dict:
    row = dict.fromkeys(DETAIL_COLUMNS, math.nan)
    row.update({S.INDICATOR_ID: ind[S.INDICATOR_ID], S.REGION: region, S.TARGET_YEAR: int(ind[S.TARGET_YEAR]),
                S.METHOD: "", BINDING_COL: ind[S.ATTRIBUTE] == S.BINDING, S.TARGET_TEXT: ind[S.TARGET_TEXT],
                "target_kind": ind["_target"].kind, "n_points": len(series), "declines": 0,
                "demo": bool((series[S.SOURCE] == S.DEMO_SOURCE).any()), "progress_category": None,
                "_unit": ind[S.UNIT], "_target": ind["_target"], "_min_points": config.min_points})
    if not series.empty:
        row[LATEST_YEAR], row[LATEST_VALUE] = int(series[S.YEAR].iloc[-1]), float(series[S.VALUE].iloc[-1])
        row["base_year"], row["base_value"] = base_point(series, config)
    return row


def base_point(series: pd.DataFrame, config: AssessConfig | None = None) -> tuple[int, float]:
    """The base year and value: ``base_year`` if observed, else the latest before it, else the first.

    Examples:
        >>> s = pd.DataFrame({"year": [2018, 2019, 2021], "value": [1.0, 2.0, 3.0]})
        >>> base_point(s), base_point(s[s.year > 2019])
        ((2019, 2.0), (2021, 3.0))
    """
    config = config or AssessConfig()
    years, values = series[S.YEAR].to_numpy(), series[S.VALUE].to_numpy(dtype=float)
    before = np.flatnonzero(years <= config.base_year)
    i = before[-1] if len(before) else 0
    return int(years[i]), float(values[i])


def _assess_level(ctx: _Context, ind: dict, region: str, series: pd.DataFrame, row: dict) -> dict:
    """Threshold, approx (左右) and balance (趋于平衡) targets."""
    target, ty, cfg = ind["_target"], row[S.TARGET_YEAR], ctx.config
    met_now = bool(target.is_met(row[LATEST_VALUE]))
    row["goal_value"] = _goal(target, row["base_value"])
    row[REQUIRED] = _required(row, target.is_met(row["base_value"]))
    _two_point(row, met_now, sign=1.0, config=cfg)
    final = _value_at(series, ty)
    if not is_missing(final):
        return _observed_final(row, ind, bool(target.is_met(final)), final)
    proj = _projection_at(ctx, ind, region, row)
    if proj is None:
        return _finish(row, S.INSUFFICIENT_DATA, "no_projection", ind)
    p = _p_level(proj[0], target, ty, bounds_for_unit(ind[S.UNIT]), cfg)
    status = _status(p, met_now, cfg)
    if target.kind == "balance" and status == S.OFF_TRACK and _toward_band(target.band, row):
        status = S.AT_RISK
    steady = _met_every_year(series, proj[0], target, row)
    if steady is not None and status != S.ACHIEVED:
        status, row["_steady_since"] = S.ACHIEVED, steady
    row[P_MEET] = p
    return _finish(row, status, "projected", ind)


def _met_every_year(series: pd.DataFrame, proj: pd.DataFrame, target: Target, row: dict) -> int | None:
    """The first year of a run of ``min_steady_points`` or more years (since any step) that all
    met the target, with no trend carried forward and the projection meeting it too; else None.

    Such a series is not flagged: its probability reflects year-to-year noise, not a trend away.
    """
    step = proj.attrs.get("step_year")
    seen = series[series[S.YEAR] >= step] if step else series
    values = seen[S.VALUE].to_numpy(dtype=float)
    if len(values) < MIN_STEADY_POINTS or row[S.METHOD] not in LEVEL_METHODS:
        return None
    if not all(target.is_met(v) for v in values) or not target.is_met(row[PROJECTED]):
        return None
    return int(seen[S.YEAR].iloc[0])


def _goal(target: Target, base: float) -> float:
    if target.kind == "threshold":
        return float(target.value)
    lo, hi = target.band
    if target.kind == "approx" or is_missing(base):
        return float(target.value)
    return float(min(max(base, lo), hi))  # balance: the nearest edge of the band


def _required(row: dict, base_met: bool | None) -> float:
    if is_missing(row["base_value"]) or is_missing(row["goal_value"]):
        return math.nan
    if base_met:
        return 0.0
    return annual_change(row["base_value"], row["goal_value"], row[S.TARGET_YEAR] - row["base_year"])


def _two_point(row: dict, met_now: bool | None, sign: float, config: AssessConfig) -> None:
    """Fill the observed annual change and the Eurostat-style ratio and category (in place)."""
    if not is_missing(row[LATEST_YEAR]) and row[LATEST_YEAR] > row["base_year"]:
        row[OBSERVED] = annual_change(row["base_value"], row[LATEST_VALUE], row[LATEST_YEAR] - row["base_year"])
    observed = row[OBSERVED] * sign if is_missing(row[REQUIRED]) else row[OBSERVED]
    row["progress_ratio"], row["progress_category"] = progress_category(observed, row[REQUIRED], met_now, config)


def _observed_final(row: dict, ind: dict, met: bool, final: float) -> dict:
    row.update({P_MEET: 1.0 if met else 0.0, S.METHOD: "observed", PROJECTED: final, PROJ_LO: final,
                PROJ_HI: final})
    return _finish(row, S.ACHIEVED if met else S.OFF_TRACK, "observed", ind)


def _projection_at(ctx: _Context, ind: dict, region: str, row: dict) -> tuple[pd.DataFrame, pd.Series] | None:
    """The projection frame and its target-year row, copied into ``row``; None without one."""
    proj = ctx.projection(ind[S.INDICATOR_ID], region, row[S.TARGET_YEAR])
    if proj is None or proj.empty:
        return None
    hit = np.flatnonzero(proj[S.YEAR].to_numpy() == row[S.TARGET_YEAR])
    if not len(hit):
        return None
    at = proj.iloc[hit[-1]]
    if is_missing(float(at[S.MEAN])) or at[S.METHOD] == S.INSUFFICIENT_DATA:
        return None
    row.update({PROJECTED: float(at[S.MEAN]), PROJ_LO: float(at[S.LOWER_95]),
                PROJ_HI: float(at[S.UPPER_95]), S.METHOD: str(at[S.METHOD])})
    row["_choice"] = dict(proj.attrs.get("choice") or {}, binomial=proj.attrs.get("binomial"))
    return proj, at


def _p_level(proj: pd.DataFrame, target: Target, year: int, bounds, config: AssessConfig) -> float:
    from .forecast import p_meet

    if target.kind == "threshold":
        op, value = target.op, float(target.value)
        low, high = (bounds or (None, None))
        if op in (">=", ">") and high is not None and value >= high:
            op, value = ">=", high - config.bound_margin
        elif op in ("<=", "<") and low is not None and value <= low:
            op, value = "<=", low + config.bound_margin
        p = p_meet(proj, op, value, year)
    else:  # a band: judged on the underlying value (the ratio births are drawn from), not one year's draw
        lo, hi = target.band
        p = p_meet(proj, ">=", lo, year, noise=False) - p_meet(proj, ">", hi, year, noise=False)
    return _fallback(p, proj, target, year)


def _fallback(p: float, proj: pd.DataFrame, target: Target, year: int) -> float:
    """A degenerate projection (no spread) gives NaN: decide on its mean instead."""
    if not is_missing(p):
        return float(min(max(p, 0.0), 1.0))
    mean = proj.loc[proj[S.YEAR] == year, S.MEAN]
    return 1.0 if (not mean.empty and target.is_met(float(mean.iloc[-1]))) else 0.0


def _status(p: float, met_now: bool | None, config: AssessConfig) -> str:
    if met_now and p >= config.on_track:
        return S.ACHIEVED
    return config.status_for(p)


def _toward_band(band: tuple[float, float], row: dict) -> bool:
    lo, hi = band

    def distance(x: float) -> float:
        return max(lo - x, 0.0, x - hi)

    return distance(row[PROJECTED]) < distance(row[LATEST_VALUE])


def _assess_directional(ctx: _Context, ind: dict, region: str, series: pd.DataFrame, row: dict) -> dict:
    """提高 / 降低 / 逐年提高: better than the base, every year for 逐年."""
    from .forecast import p_meet

    target, ty, cfg = ind["_target"], row[S.TARGET_YEAR], ctx.config
    up = target.direction == "up"
    declines = declines_of(series, up, cfg.plan_start, ty) if target.every_year else []
    row["declines"], row["_decline_years"] = len(declines), declines
    op, threshold = better_than_base(row["base_value"], up, bounds_for_unit(ind[S.UNIT]), cfg)
    row["_hold"] = threshold if op in (">=", "<=") else None
    met_now = (row[LATEST_YEAR] > row["base_year"] or row["_hold"] is not None) and not declines
    met_now = met_now and _compare(row[LATEST_VALUE], op, threshold)
    _two_point(row, met_now, sign=1.0 if up else -1.0, config=cfg)
    if row["_hold"] is not None and met_now:  # at the bound and staying there: the best there is
        row["progress_category"] = PROGRESS_CATEGORIES[0]
    final = _value_at(series, ty)
    if not is_missing(final):
        return _observed_final(row, ind, bool(met_now), final)
    proj = _projection_at(ctx, ind, region, row)
    if proj is None:
        return _finish(row, S.INSUFFICIENT_DATA, "no_projection", ind)
    p = p_meet(proj[0], op, threshold, ty)
    row[P_MEET] = float(min(max(p, 0.0), 1.0)) if not is_missing(p) else float(_compare(row[PROJECTED], op, threshold))
    status = _status(row[P_MEET], met_now, cfg)
    if declines:
        status = S.OFF_TRACK if len(declines) >= cfg.declines_off_track else _worst(status, S.AT_RISK)
    return _finish(row, status, "projected", ind)


def better_than_base(base: float, up: bool, bounds, config: AssessConfig | None = None) -> tuple[str, float]:
    """The comparison a directional target asks of the target-year value.

    Better than the base (``> base`` for 提高, ``< base`` for 降低); but a base already on its
    natural bound cannot be bettered, so the target then reads as staying within
    ``bound_margin`` of the bound.

    Examples:
        >>> better_than_base(70.7, True, (0.0, 100.0)), better_than_base(100.0, True, (0.0, 100.0))
        (('>', 70.7), ('>=', 99.5))
    """
    config = config or AssessConfig()
    low, high = bounds or (None, None)
    if up:
        return (">=", high - config.bound_margin) if high is not None and base >= high else (">", base)
    return ("<=", low + config.bound_margin) if low is not None and base <= low else ("<", base)


def _compare(value: float, op: str, threshold: float) -> bool:
    return {">": value > threshold, ">=": value >= threshold, "<": value < threshold,
            "<=": value <= threshold}[op]


def _better(value: float, base: float, up: bool) -> bool:
    return value > base if up else value < base


def _worst(a: str, b: str) -> str:
    order = [S.ACHIEVED, S.ON_TRACK, S.AT_RISK, S.OFF_TRACK]
    return max(a, b, key=order.index)


def declines_of(series: pd.DataFrame, up: bool, plan_start: int, target_year: int) -> list[int]:
    """Years of the plan period whose value moved the wrong way from the previous observed year.

    Examples:
        >>> s = pd.DataFrame({"year": [2019, 2020, 2021, 2022, 2023], "value": [5, 4, 6, 5.5, 5.5]})
        >>> declines_of(s, up=True, plan_start=2021, target_year=2030)
        [2022]
    """
    years, values = series[S.YEAR].to_numpy(), series[S.VALUE].to_numpy(dtype=float)
    worse = values[1:] < values[:-1] if up else values[1:] > values[:-1]
    inside = (years[1:] >= plan_start) & (years[1:] <= target_year)
    return [int(y) for y in years[1:][worse & inside]]


def _assess_relative(ctx: _Context, ind: dict, region: str, series: pd.DataFrame, row: dict) -> dict:
    """Relative targets (≥ 参照比例): compare with the reference indicator's series."""
    target, ty, cfg, ref_id = ind["_target"], row[S.TARGET_YEAR], ctx.config, ind[S.REFERENCE_INDICATOR]
    if not ref_id:
        return _finish(row, S.INSUFFICIENT_DATA, "no_reference", ind)
    ref = ctx.get_series(ref_id, region)
    if ref.empty:
        return _finish(row, S.INSUFFICIENT_DATA, "reference_no_data", ind)
    ref_mean, ref_sd = _reference_at(ctx, ref_id, region, ref, ty)
    row.update({"goal_value": ref_mean, "_ref_id": ref_id, "_ref_value": ref_mean})
    met_now = target.is_met(row[LATEST_VALUE], _value_at_or_before(ref, row[LATEST_YEAR]))
    row[REQUIRED] = _required(row, target.is_met(row["base_value"], _value_at(ref, row["base_year"])))
    _two_point(row, met_now, sign=1.0, config=cfg)
    final = _value_at(series, ty)
    if not is_missing(final):
        return _observed_final(row, ind, bool(target.is_met(final, ref_mean)), final)
    proj = _projection_at(ctx, ind, region, row)
    if proj is None:
        return _finish(row, S.INSUFFICIENT_DATA, "no_projection", ind)
    tol = target.config.approx_tolerance(ref_mean) if target.op == "~" else 0.0
    row[P_MEET] = p_difference(row[PROJECTED] - ref_mean, math.hypot(_sd95(proj[1]), ref_sd), target.op, tol)
    return _finish(row, _status(row[P_MEET], met_now, cfg), "projected", ind)


def _reference_at(ctx: _Context, ref_id: str, region: str, ref: pd.DataFrame, year: int) -> tuple[float, float]:
    """Mean and standard deviation of the reference series in ``year``."""
    observed = _value_at(ref, year)
    if not is_missing(observed):
        return observed, 0.0
    proj = ctx.projection(ref_id, region, year) if len(ref) >= ctx.config.min_points else None
    at = None if proj is None else proj[proj[S.YEAR] == year]
    if at is None or at.empty:
        return float(ref[S.VALUE].iloc[-1]), 0.0
    return float(at[S.MEAN].iloc[-1]), _sd95(at.iloc[-1])


def _value_at(series: pd.DataFrame, year: float) -> float:
    hit = np.flatnonzero(series[S.YEAR].to_numpy() == year)
    return float(series[S.VALUE].to_numpy()[hit[-1]]) if len(hit) else math.nan


def _value_at_or_before(series: pd.DataFrame, year: float) -> float:
    hit = np.flatnonzero(series[S.YEAR].to_numpy() <= year)
    return float(series[S.VALUE].to_numpy()[hit[-1]]) if len(hit) else math.nan


def _sd95(at: pd.Series) -> float:
    return max(float(at[S.UPPER_95]) - float(at[S.LOWER_95]), 0.0) / (2 * _Z95)


def p_difference(mean: float, sd: float, op: str, tolerance: float = 0.0) -> float:
    """Probability that a normal difference ``D ~ N(mean, sd)`` satisfies ``D op 0``.

    ``op`` "~" means ``|D| <= tolerance``. A zero ``sd`` decides on the mean alone.

    Examples:
        >>> round(p_difference(1.0, 1.0, ">="), 4)
        0.8413
        >>> p_difference(-0.5, 0.0, "~", tolerance=1.0)
        1.0
    """
    if sd <= 0:
        if op == "~":
            return float(abs(mean) <= tolerance)
        return float({">=": mean >= 0, ">": mean > 0, "<=": mean <= 0, "<": mean < 0}[op])

    def phi(z: float) -> float:
        return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))

    if op == "~":
        return phi((tolerance - mean) / sd) - phi((-tolerance - mean) / sd)
    above = phi(mean / sd)
    return above if op in (">=", ">") else 1.0 - above


def _finish(row: dict, status: str, reason: str, ind: dict) -> dict:
    row[STATUS], row["reason"] = status, reason
    row[EXPL_ZH], row[EXPL_EN] = explain(row, "zh"), explain(row, "en")
    return row


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    ints = {c: "Int64" for c in (S.TARGET_YEAR, LATEST_YEAR, "base_year", "n_points", "declines")}
    floats = {c: float for c in (P_MEET, LATEST_VALUE, PROJECTED, PROJ_LO, PROJ_HI, REQUIRED, OBSERVED,
                                 "base_value", "goal_value", "progress_ratio")}
    return frame.astype({**ints, **floats, BINDING_COL: bool, "demo": bool}).reset_index(drop=True)


# --- explanations -----------------------------------------------------------------------------------

def explain(row: dict, lang: str = "zh") -> str:
    """One sentence saying why a row has its status, with units, in Chinese or English.

    ``row`` is a row of :func:`assess_detail` plus the private keys the assessment keeps while
    working (``_unit``, ``_target``, ``_decline_years``, ``_ref_id``); see :func:`assess` for use.
    """
    reason = row["reason"]
    unit, text = row.get("_unit", ""), row[S.TARGET_TEXT]
    if reason in ("no_data", "qualitative", "no_reference", "reference_no_data"):
        return _say(reason, lang, target=text, ref=row.get("_ref_id", ""))
    if reason == "no_projection":
        return _say("no_projection", lang, n=row["n_points"])
    if reason == "few_points":
        return _say("few_points", lang, n=row["n_points"], year=_int(row[LATEST_YEAR]),
                    value=format_value(row[LATEST_VALUE], unit, lang), min=row["_min_points"])
    if reason == "observed":
        key = "observed_met" if row[STATUS] == S.ACHIEVED else "observed_missed"
        first = _say(key, lang, year=row[S.TARGET_YEAR], value=format_value(row[PROJECTED], unit, lang), target=text)
    else:
        first = _lead(row, lang) + _projection_phrase(row, lang)
    rest = [r for r in (_model_phrase(row, lang), _steady_phrase(row, lang), _rates_phrase(row, lang),
                        _declines_phrase(row, lang)) if r]
    sentence = first + ("；" if lang == "zh" else "; ").join([""] + rest) if rest else first
    sentence = sentence[0].upper() + sentence[1:]
    return sentence + ("。" if lang == "zh" else ".")


def _say(key: str, lang: str, **values) -> str:
    from .i18n import ASSESS_LABELS

    return ASSESS_LABELS[key][lang].format(**values)


def _lead(row: dict, lang: str) -> str:
    if row[STATUS] != S.ACHIEVED:
        return ""
    value = format_value(row[LATEST_VALUE], row["_unit"], lang)
    if row["target_kind"] == "directional" and row.get("_hold") is None:
        better = _say("higher" if row["_target"].direction == "up" else "lower", lang)
        return _say("met_now_dir", lang, year=_int(row[LATEST_YEAR]), value=value, better=better)
    return _say("met_now", lang, year=_int(row[LATEST_YEAR]), value=value)


def _projection_phrase(row: dict, lang: str) -> str:
    unit, target = row["_unit"], row["_target"]
    key = "projection_level" if row[S.METHOD] in LEVEL_METHODS else "projection"
    out = _say(key, lang, year=row[S.TARGET_YEAR], value=format_value(row[PROJECTED], unit, lang),
               lo=format_number(row[PROJ_LO]), hi=format_number(row[PROJ_HI]))
    p = format_probability(row[P_MEET])
    if target.kind == "threshold":
        return out + _say("p_threshold", lang, target=row[S.TARGET_TEXT], p=p)
    if target.kind in ("approx", "balance"):
        lo, hi = target.band
        return out + _say("p_band", lang, lo=format_number(lo), hi=format_number(hi), p=p)
    if target.kind == "relative":
        return out + _say("p_relative", lang, target=row[S.TARGET_TEXT], ref=row["_ref_id"], p=p,
                          ref_value=format_value(row["_ref_value"], unit, lang))
    if row.get("_hold") is not None:
        key = "p_hold_up" if target.direction == "up" else "p_hold_down"
        return out + _say(key, lang, value=format_value(row["_hold"], unit, lang), p=p)
    better = _say("higher" if target.direction == "up" else "lower", lang)
    return out + _say("p_better", lang, better=better, base_year=_int(row["base_year"]), p=p,
                      base=format_value(row["base_value"], unit, lang))


def _model_phrase(row: dict, lang: str) -> str:
    """Which model the projection used and why, from the projection's ``attrs["choice"]``."""
    choice, method = row.get("_choice") or {}, row[S.METHOD]
    parts = []
    if choice.get("step_year"):
        parts.append(_say("model_step", lang, year=choice["step_year"]))
    if method == "binomial" and choice.get("binomial"):
        info, (lo, hi) = choice["binomial"], row["_target"].band or (math.nan, math.nan)
        parts.append(_say("model_binomial", lang, births=f"{info['births']:,.0f}", first=info["first_year"],
                          last=info["last_year"], lo=format_number(lo), hi=format_number(hi)))
    elif method == "poisson":
        parts.append(_say("model_poisson", lang))
    elif method == "naive_wide":
        parts.append(_say("model_short", lang))
    elif choice.get("kind") == "level":
        parts.append(_say("model_level", lang))
    elif choice.get("kind") == "trend":
        gain = choice.get("trend_gain")
        if not is_missing(gain):
            parts.append(_say("model_trend", lang, gain=f"{gain:.0%}"))
        if method == "damped_trend":
            parts.append(_say("model_damped", lang))
    return ("，" if lang == "zh" else ", ").join(parts)


def _steady_phrase(row: dict, lang: str) -> str:
    since = row.get("_steady_since")
    return "" if since is None else _say("steady", lang, year=since)


def _rates_phrase(row: dict, lang: str) -> str:
    parts = []
    required, observed = row[REQUIRED], row[OBSERVED]
    if not is_missing(required):
        key = "required_none" if required == 0 else "required_up" if required > 0 else "required_down"
        parts.append(_say(key, lang, r=f"{abs(required):.1f}%"))
    if not is_missing(observed):
        key = "observed_flat" if abs(observed) < 0.05 else "observed_up" if observed > 0 else "observed_down"
        parts.append(_say(key, lang, r=f"{abs(observed):.1f}%", base_year=_int(row["base_year"])))
    return ("，" if lang == "zh" else ", ").join(parts)


def _declines_phrase(row: dict, lang: str) -> str:
    years = row.get("_decline_years") or []
    if not years:
        return ""
    joined = ("、" if lang == "zh" else ", ").join(str(y) for y in years)
    return _say("declines_up" if row["_target"].direction == "up" else "declines_down", lang, years=joined)


def _int(x: object) -> str:
    return "" if is_missing(x) else str(int(x))


# --- summaries and output ---------------------------------------------------------------------------

_URGENT = (S.OFF_TRACK, S.AT_RISK)


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
    lines = [_say("table_title", lang, year=_int(result[LATEST_YEAR].max()))]
    if demo:
        lines.append(S.DEMO_LABEL_ZH if lang == "zh" else S.DEMO_LABEL_EN)
    home = home_region(result[S.REGION])
    urgent = ordered[(ordered[S.REGION] == home) & ordered[BINDING_COL].astype(bool) & ordered[STATUS].isin(_URGENT)]
    lines.append(_say("table_urgent", lang, n=len(urgent)) if len(urgent) else _say("table_urgent_none", lang))
    for rec in urgent.to_dict("records"):
        lines.append(f"  {status_label(rec[STATUS], lang)}  {rec[S.INDICATOR_ID]} {_name(info, rec, lang)}")
        lines.append(f"      {rec[EXPL_ZH] if lang == 'zh' else rec[EXPL_EN]}")
    for region, part in ordered.groupby(S.REGION, sort=False):
        lines += ["", f"【{region}】" if lang == "zh" else f"[{region}]"] + _grid(part, info, lang)
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
