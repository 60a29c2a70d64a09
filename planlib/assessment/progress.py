"""Required against observed change: the base point, the goal, the compound annual rates, the
Eurostat-style progress ratio and category, and the declines of a 逐年 target."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .. import schema as S
from ..formats import is_missing
from ..targets import Target
from .core import AssessConfig, LATEST_VALUE, LATEST_YEAR, OBSERVED, PROGRESS_CATEGORIES, REQUIRED

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
