"""The status rules: one row per indicator and region from its series and its projection
(threshold, band, directional and relative targets; an observed target year decides)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import math
from dataclasses import replace

import numpy as np
import pandas as pd

from .. import schema as S
from .. import series as assessed
from ..config import COUNTY, REFERENCE_REGIONS
from ..formats import is_missing
from ..targets import Target
from .core import (AssessConfig, BINDING_COL, bounds_for_unit, DETAIL_COLUMNS, EXPL_EN, EXPL_ZH,
    Facts, LATEST_VALUE, LATEST_YEAR, LEVEL_METHODS, MIN_STEADY_POINTS, OBSERVED, P_MEET,
    PROGRESS_CATEGORIES, PROJ_HI, PROJ_LO, PROJECTED, Projections, RATIO_OF_COUNTS_UNITS, REQUIRED,
    STATUS)
from .progress import _goal, _required, _two_point, base_point, declines_of
from .explanations import explain

if TYPE_CHECKING:
    from ..forecast import Projection


_Z95 = 1.959963984540054


class _Context:
    """Series by (indicator, region), projections computed once, and what rows need to share."""

    def __init__(self, obs: pd.DataFrame, cat: pd.DataFrame, config: AssessConfig,
                 given: Projections | None = None):
        self.config = config
        self.given = dict(given or {})
        self.home = config.home_region or home_region(obs[S.REGION])
        self.series = assessed.by_indicator_region(obs)
        self.units = dict(zip(cat[S.INDICATOR_ID], cat[S.UNIT]))
        self.empty = obs.iloc[:0].reset_index(drop=True)
        self._projections: dict[tuple, Projection | None] = {}

    def get_series(self, ident: str, region: str) -> pd.DataFrame:
        return self.series.get((ident, region), self.empty)

    def projection(self, ident: str, region: str, target_year: int) -> Projection | None:
        if (ident, region) in self.given:
            return self.given[(ident, region)]
        key = (ident, region, target_year)
        if key not in self._projections:
            series = assessed.cut(self.get_series(ident, region), target_year)
            self._projections[key] = _project(series, self.units.get(ident, ""), target_year, self.config)
        return self._projections[key]


def home_region(regions: pd.Series) -> str:
    """The region the plan is about: the county if present, else the most frequent region that
    is not a reference region (全国 and 重庆市 are never a plan's subject: ``planlib plan add``
    refuses them), else the most frequent region.

    A caller that knows its region says so (``AssessConfig(home_region=…)``): a region whose plan
    has no data yet is not among ``regions`` at all.

    Examples:
        >>> home_region(pd.Series(["全国", "石柱县"])), home_region(pd.Series(["甲县", "甲县", "全国"]))
        ('石柱县', '甲县')
        >>> home_region(pd.Series(["全国", "全国", "重庆市", "丰都县"])), home_region(pd.Series(["全国"]))
        ('丰都县', '全国')
        >>> home_region(pd.Series([], dtype=str))
        '石柱县'
    """
    values = pd.Series(regions).dropna().astype(str)
    if values.empty or COUNTY in set(values):
        return COUNTY
    subjects = values[~values.isin(REFERENCE_REGIONS)]
    return str((subjects if len(subjects) else values).value_counts().index[0])


def _pairs(cat: pd.DataFrame, obs: pd.DataFrame, home: str) -> list[tuple[dict, str]]:
    regions_of = obs.dropna(subset=[S.VALUE]).groupby(S.INDICATOR_ID)[S.REGION].unique()
    pairs = []
    for ind in cat.to_dict("records"):
        found = regions_of.get(ind[S.INDICATOR_ID], [])
        others = sorted(r for r in found if r != home)
        pairs.extend((ind, region) for region in [home, *others])
    return pairs


def _project(series: pd.DataFrame, unit: str, target_year: int, config: AssessConfig) -> Projection | None:
    if not assessed.projectable(series, config.min_points):
        return None
    return project_series(series, unit, target_year, config.method)


def project_series(series: pd.DataFrame, unit: str, target_year: int, method: str = "auto") -> Projection:
    """Project one indicator's series the way the assessment does; the one place that decides it.

    The unit gives the natural bounds (percentages stay within 0-100) and, for rates with
    events and population, the multiplier (‰: 1,000; 1/10万: 100,000), so that a series with
    no events at all still has a known scale. Apps and reports call this too, so that a chart
    always shows the projection the status was judged on.

    Examples:
        >>> s = pd.DataFrame({"year": [2020, 2021, 2022], "value": [90.0, 92.0, 94.0]})
        >>> frame = project_series(s, "%", 2030).summary_frame()
        >>> int(frame["year"].iloc[-1]), bool(frame["upper_95"].max() <= 100)
        (2030, True)
    """
    from .. import forecast  # imported here: forecasting pulls in scipy
    from ..units import rate_multiplier

    frame = series.reindex(columns=assessed.PROJECTED_COLUMNS).reset_index(drop=True)
    counts = forecast.COUNTS_RATIO if unit in RATIO_OF_COUNTS_UNITS else forecast.COUNTS_RATE
    config = forecast.ForecastConfig(rate_multiplier=rate_multiplier(unit), counts=counts)
    return forecast.project(frame, target_year=target_year, method=method,
                            bounds=bounds_for_unit(unit), config=config)


def _assess_row(ctx: _Context, ind: dict, region: str) -> dict:
    target: Target = ind["_target"]
    series = ctx.get_series(ind[S.INDICATOR_ID], region)
    row = _base_facts(ind, region, series, ctx.config)
    facts = Facts(unit=ind[S.UNIT], target=target, min_points=ctx.config.min_points,
                  comparison=region if region != ctx.home and region in REFERENCE_REGIONS else "")
    if target.kind == "qualitative":
        return _finish(row, S.NOT_ASSESSABLE, "qualitative", facts)
    if not assessed.projectable(series, ctx.config.min_points):
        return _finish(row, S.INSUFFICIENT_DATA, "no_data" if series.empty else "few_points", facts)
    if target.kind == "relative":
        return _assess_relative(ctx, ind, region, series, row, facts)
    if target.kind == "directional":
        return _assess_directional(ctx, ind, region, series, row, facts)
    return _assess_level(ctx, ind, region, series, row, facts)


def _base_facts(ind: dict, region: str, series: pd.DataFrame, config: AssessConfig) -> dict:
    row = dict.fromkeys(DETAIL_COLUMNS, math.nan)
    row.update({S.INDICATOR_ID: ind[S.INDICATOR_ID], S.REGION: region, S.TARGET_YEAR: int(ind[S.TARGET_YEAR]),
                S.METHOD: "", BINDING_COL: ind[S.ATTRIBUTE] == S.BINDING, S.TARGET_TEXT: ind[S.TARGET_TEXT],
                "target_kind": ind["_target"].kind, "n_points": len(series), "declines": 0,
                "demo": bool((series[S.SOURCE] == S.DEMO_SOURCE).any()), "progress_category": None})
    if not series.empty:
        row[LATEST_YEAR], row[LATEST_VALUE] = int(series[S.YEAR].iloc[-1]), float(series[S.VALUE].iloc[-1])
        row["base_year"], row["base_value"] = base_point(series, config)
    return row


def _assess_level(ctx: _Context, ind: dict, region: str, series: pd.DataFrame, row: dict, facts: Facts) -> dict:
    """Threshold, approx (左右) and balance (趋于平衡) targets."""
    target, ty, cfg = ind["_target"], row[S.TARGET_YEAR], ctx.config
    met_now = bool(target.is_met(row[LATEST_VALUE]))
    row["goal_value"] = _goal(target, row["base_value"])
    row[REQUIRED] = _required(row, target.is_met(row["base_value"]))
    _two_point(row, met_now, sign=1.0, config=cfg)
    final = _value_at(series, ty)
    if not is_missing(final):
        return _observed_final(row, facts, bool(target.is_met(final)), final)
    proj = _projection_at(ctx, ind, region, row)
    if proj is None:
        return _finish(row, S.INSUFFICIENT_DATA, "no_projection", facts)
    facts = replace(facts, choice=proj[0].choice or {}, binomial=proj[0].binomial)
    p = _p_level(proj[0], target, ty, bounds_for_unit(ind[S.UNIT]), cfg)
    status = _status(p, met_now, cfg)
    if target.kind == "balance":
        outside = p_outside(proj[0], target.band, ty)
        status = balance_status(outside, met_now, cfg)
        facts = replace(facts, outside={"below": outside[0], "above": outside[1],
                                        "at_risk": cfg.balance_at_risk, "off_track": cfg.balance_off_track})
        if status == S.OFF_TRACK and _toward_band(target.band, row):
            status = S.AT_RISK
    steady = _met_every_year(series, proj[0], target, row)
    if steady is not None and status != S.ACHIEVED:
        status, facts = S.ACHIEVED, replace(facts, steady_since=steady)
    row[P_MEET] = p
    return _finish(row, status, "projected", facts)


def _met_every_year(series: pd.DataFrame, proj: Projection, target: Target, row: dict) -> int | None:
    """The first year of a run of ``min_steady_points`` or more years (since any step) that all
    met the target, with no trend carried forward and the projection meeting it too; else None.

    Such a series is not flagged: its probability reflects year-to-year noise, not a trend away.
    """
    step = proj.step_year
    seen = series[series[S.YEAR] >= step] if step else series
    values = seen[S.VALUE].to_numpy(dtype=float)
    if len(values) < MIN_STEADY_POINTS or row[S.METHOD] not in LEVEL_METHODS:
        return None
    if not all(target.is_met(v) for v in values) or not target.is_met(row[PROJECTED]):
        return None
    return int(seen[S.YEAR].iloc[0])


def _observed_final(row: dict, facts: Facts, met: bool, final: float) -> dict:
    row.update({P_MEET: 1.0 if met else 0.0, S.METHOD: "observed", PROJECTED: final, PROJ_LO: final,
                PROJ_HI: final})
    return _finish(row, S.ACHIEVED if met else S.OFF_TRACK, "observed", facts)


def _projection_at(ctx: _Context, ind: dict, region: str, row: dict) -> tuple[Projection, pd.Series] | None:
    """The projection and its target-year row, copied into ``row``; None without one."""
    proj = ctx.projection(ind[S.INDICATOR_ID], region, row[S.TARGET_YEAR])
    if proj is None or proj.frame.empty:
        return None
    hit = np.flatnonzero(proj.frame[S.YEAR].to_numpy() == row[S.TARGET_YEAR])
    if not len(hit):
        return None
    at = proj.frame.iloc[hit[-1]]
    if is_missing(float(at[S.MEAN])) or at[S.METHOD] == S.INSUFFICIENT_DATA:
        return None
    row.update({PROJECTED: float(at[S.MEAN]), PROJ_LO: float(at[S.LOWER_95]),
                PROJ_HI: float(at[S.UPPER_95]), S.METHOD: str(at[S.METHOD])})
    return proj, at


def _p_level(proj: Projection, target: Target, year: int, bounds, config: AssessConfig) -> float:
    if target.kind == "threshold":
        op, value = target.op, float(target.value)
        low, high = (bounds or (None, None))
        if op in (">=", ">") and high is not None and value >= high:
            op, value = ">=", high - config.bound_margin
        elif op in ("<=", "<") and low is not None and value <= low:
            op, value = "<=", low + config.bound_margin
        p = proj.p_meet(op, value, year)
    else:  # a band: judged on the underlying value (the ratio births are drawn from), not one year's draw
        lo, hi = target.band
        p = proj.p_meet(">=", lo, year, noise=False) - proj.p_meet(">", hi, year, noise=False)
    return _fallback(p, proj, target, year)


def p_outside(proj: Projection, band: tuple[float, float], year: int) -> tuple[float, float]:
    """Probabilities that the underlying value lies below and above ``band`` in ``year``.

    The underlying value is the one births are drawn from (``binomial``: the sex ratio without
    one year's chance swing); other methods have no separate one and use their full spread.
    A degenerate projection (no spread) decides on its mean.
    """
    lo, hi = band
    below = proj.p_meet("<", lo, year, noise=False)
    above = proj.p_meet(">", hi, year, noise=False)
    if is_missing(below) or is_missing(above):
        mean = proj.frame.loc[proj.frame[S.YEAR] == year, S.MEAN]
        value = float(mean.iloc[-1]) if not mean.empty else math.nan
        return float(value < lo), float(value > hi)
    return float(min(max(below, 0.0), 1.0)), float(min(max(above, 0.0), 1.0))


def balance_status(outside: tuple[float, float], met_now: bool, config: AssessConfig) -> str:
    """The status of a ``趋于平衡`` target: met unless the data show the value is outside the band.

    A statistician reads 趋于平衡 (tending to balance) as "not shown to be outside the normal
    range" (103-107 boys per 100 girls, :class:`planlib.targets.TargetConfig`): a county's
    3,000-4,500 births a year pin the ratio down only to about ±1.7, so a ratio in the middle of
    a band four wide cannot be shown to be inside it either, and is not flagged for that.  The
    flag needs evidence of being outside on one side: at risk from ``balance_at_risk`` (0.95,
    the 90% interval of the underlying ratio wholly beyond an edge: shown at the one-sided 5%
    level), off track from
    ``balance_off_track`` (0.975, the 95% interval wholly beyond it).  Not flagged, it is
    achieved when the latest value is inside the band, else on track.

    Examples:
        >>> cfg = AssessConfig()
        >>> balance_status((0.0, 0.2), True, cfg), balance_status((0.0, 0.2), False, cfg)
        ('achieved', 'on_track')
        >>> balance_status((0.0, 0.96), False, cfg), balance_status((0.99, 0.0), False, cfg)
        ('at_risk', 'off_track')
    """
    evidence = max(outside)
    if evidence >= config.balance_off_track:
        return S.OFF_TRACK
    if evidence >= config.balance_at_risk:
        return S.AT_RISK
    return S.ACHIEVED if met_now else S.ON_TRACK


def _fallback(p: float, proj: Projection, target: Target, year: int) -> float:
    """A degenerate projection (no spread) gives NaN: decide on its mean instead."""
    if not is_missing(p):
        return float(min(max(p, 0.0), 1.0))
    mean = proj.frame.loc[proj.frame[S.YEAR] == year, S.MEAN]
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


def _assess_directional(ctx: _Context, ind: dict, region: str, series: pd.DataFrame, row: dict,
                        facts: Facts) -> dict:
    """提高 / 降低 / 逐年提高: better than the base, every year for 逐年."""
    target, ty, cfg = ind["_target"], row[S.TARGET_YEAR], ctx.config
    up = target.direction == "up"
    declines = declines_of(series, up, cfg.plan_start, ty) if target.every_year else []
    row["declines"] = len(declines)
    op, threshold = better_than_base(row["base_value"], up, bounds_for_unit(ind[S.UNIT]), cfg)
    hold = threshold if op in (">=", "<=") else None
    facts = replace(facts, decline_years=tuple(declines), hold=hold)
    met_now = (row[LATEST_YEAR] > row["base_year"] or hold is not None) and not declines
    met_now = met_now and _compare(row[LATEST_VALUE], op, threshold)
    _two_point(row, met_now, sign=1.0 if up else -1.0, config=cfg)
    if hold is not None and met_now:  # at the bound and staying there: the best there is
        row["progress_category"] = PROGRESS_CATEGORIES[0]
    final = _value_at(series, ty)
    if not is_missing(final):
        return _observed_final(row, facts, bool(met_now), final)
    proj = _projection_at(ctx, ind, region, row)
    if proj is None:
        return _finish(row, S.INSUFFICIENT_DATA, "no_projection", facts)
    facts = replace(facts, choice=proj[0].choice or {}, binomial=proj[0].binomial)
    p = proj[0].p_meet(op, threshold, ty)
    row[P_MEET] = float(min(max(p, 0.0), 1.0)) if not is_missing(p) else float(_compare(row[PROJECTED], op, threshold))
    status = _status(row[P_MEET], met_now, cfg)
    if declines:
        status = S.OFF_TRACK if len(declines) >= cfg.declines_off_track else _worst(status, S.AT_RISK)
    return _finish(row, status, "projected", facts)


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


def _assess_relative(ctx: _Context, ind: dict, region: str, series: pd.DataFrame, row: dict,
                     facts: Facts) -> dict:
    """Relative targets (≥ 参照比例): compare with the reference indicator's series."""
    target, ty, cfg, ref_id = ind["_target"], row[S.TARGET_YEAR], ctx.config, ind[S.REFERENCE_INDICATOR]
    if not ref_id:
        return _finish(row, S.INSUFFICIENT_DATA, "no_reference", facts)
    ref = ctx.get_series(ref_id, region)
    if ref.empty:
        return _finish(row, S.INSUFFICIENT_DATA, "reference_no_data", facts)
    ref_mean, ref_sd = _reference_at(ctx, ref_id, region, ref, ty)
    row["goal_value"] = ref_mean
    facts = replace(facts, ref_id=ref_id, ref_value=ref_mean)
    met_now = target.is_met(row[LATEST_VALUE], _value_at_or_before(ref, row[LATEST_YEAR]))
    row[REQUIRED] = _required(row, target.is_met(row["base_value"], _value_at(ref, row["base_year"])))
    _two_point(row, met_now, sign=1.0, config=cfg)
    final = _value_at(series, ty)
    if not is_missing(final):
        return _observed_final(row, facts, bool(target.is_met(final, ref_mean)), final)
    proj = _projection_at(ctx, ind, region, row)
    if proj is None:
        return _finish(row, S.INSUFFICIENT_DATA, "no_projection", facts)
    facts = replace(facts, choice=proj[0].choice or {}, binomial=proj[0].binomial)
    tol = target.config.approx_tolerance(ref_mean) if target.op == "~" else 0.0
    row[P_MEET] = p_difference(row[PROJECTED] - ref_mean, math.hypot(_sd95(proj[1]), ref_sd), target.op, tol)
    return _finish(row, _status(row[P_MEET], met_now, cfg), "projected", facts)


def _reference_at(ctx: _Context, ref_id: str, region: str, ref: pd.DataFrame, year: int) -> tuple[float, float]:
    """Mean and standard deviation of the reference series in ``year``."""
    observed = _value_at(ref, year)
    if not is_missing(observed):
        return observed, 0.0
    proj = ctx.projection(ref_id, region, year) if len(ref) >= ctx.config.min_points else None
    at = None if proj is None else proj.frame[proj.frame[S.YEAR] == year]
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


def _finish(row: dict, status: str, reason: str, facts: Facts) -> dict:
    row[STATUS], row["reason"] = status, reason
    row[EXPL_ZH], row[EXPL_EN] = explain(row, facts, "zh"), explain(row, facts, "en")
    return row


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    ints = {c: "Int64" for c in (S.TARGET_YEAR, LATEST_YEAR, "base_year", "n_points", "declines")}
    floats = {c: float for c in (P_MEET, LATEST_VALUE, PROJECTED, PROJ_LO, PROJ_HI, REQUIRED, OBSERVED,
                                 "base_value", "goal_value", "progress_ratio")}
    return frame.astype({**ints, **floats, BINDING_COL: bool, "demo": bool}).reset_index(drop=True)
