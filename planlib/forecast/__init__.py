"""Trend projection to a target year, with honest uncertainty.

:func:`project` takes one tidy series (``year``, ``value`` and, for rates built from counts,
``numerator`` and ``denominator``) and returns a :class:`Projection` results object (as a
statsmodels fit returns its results): its ``summary_frame()`` has one row per observed year (the
fitted values) and per projected year up to the target year, in the columns of
:data:`schema.PROJECTION_COLUMNS`; ``method``, ``transform`` and ``p_meet(op, threshold, year)``
say how it was made and how likely a target is met.

Methods (:data:`METHODS`):

- ``level``: no trend: the mean of the (recent) points on the natural scale (logit for a
  percentage, log for a positive quantity), with its prediction interval.  ``auto`` judges a
  series on its level unless a trend proves itself (below).
- ``linear``: ordinary least squares on year; its prediction intervals are statsmodels'
  ``OLS(...).get_prediction().summary_frame()`` ``obs_ci_*`` (computed in closed form, which the
  tests check against statsmodels, because importing statsmodels alone is slower than projecting
  a whole plan).
- ``log_linear``: the same on ``log(value - lo)``: a constant annual rate of change, for strictly
  positive quantities that change multiplicatively (mortality rates).
- ``logit_linear``: the same on ``logit((value - lo) / (hi - lo))`` for quantities bounded on both
  sides (percentages 0-100); neither the projection nor its interval can leave the bounds.
- ``damped_trend``: the straight line on the natural scale, its annual change carried forward
  damped (``damping ** k`` of it in the ``k``-th year ahead): trends that fade.  ``auto``
  considers it for series whose trend has been bending.
- ``ets_damped``: exponential smoothing with a damped additive trend (statsmodels ``ETSModel``)
  for annual series without gaps of at least ``ForecastConfig.ets_min_points`` points.
- ``poisson``: a Poisson log-linear model of the counts with the log denominator as offset, for
  rare events (maternal or infant deaths), fitted to the points that have counts (at least two,
  the latest among them; a point with a rate only is shown but does not inform the fit).  A
  weak prior (half an event added over the observed exposure and a normal prior on the annual
  trend) keeps all-zero series finite; over-dispersion
  widens the parameter uncertainty (quasi-Poisson).  The interval of a projected year mixes the
  parameter uncertainty with the Poisson noise of the count at the latest denominator.
- ``binomial``: two groups of one total (``ForecastConfig(counts="ratio")``: boys and girls
  born): the pooled share of the first group, no trend, quasi-binomial; ``loc`` is the log of
  the ratio (boys per 100 girls).  The frame's intervals include one year's binomial noise;
  ``p_meet(..., noise=False)`` asks about the underlying ratio instead
  (``Projection.binomial``).
- ``naive_wide``: for 2-3 points: half the average annual change since the first point is carried
  forward, with a wide interval (see :class:`ForecastConfig`, ``naive_*``).
- ``insufficient_data``: 0-1 point; every number is NaN.

How ``auto`` avoids reading a trend into noise: first a step change of the level (a new
institution, a rate switched from 0 to 100) is looked for (:func:`find_step`) and the series is
projected from the step on (``Projection.step_year``).  Then every candidate, ``level`` among
them, is backtested on the series itself; trend candidates whose slope is within
``trend_min_t`` standard errors of zero are dropped, and a trend wins only if its backtest error
is at least ``trend_margin`` below the best level's.  ``Projection.choice`` records the kind of
choice (``level``, ``trend``, ``rule``), the trend's gain over the level and the step year, for
the explanations.

How intervals are made honest: a straight-line model fitted to a few smooth points believes its
own line too much.  Two terms are added to the predictive variance of a year ``h`` years after
the last observation (on the transform scale; ``naive_wide`` and ``poisson`` have their own):

- the *model discrepancy*: each method is backtested on the series itself (rolling origin, see
  :func:`backtest_errors`); the part of its out-of-sample errors that its own prediction variance
  does not explain gives ``sigma_d``, and the variance gains
  ``(discrepancy_weight * sigma_d * h ** discrepancy_power) ** 2``;
- the *trend change*: trends slow down, stall or speed up, so the variance also gains
  ``(trend_change * e * |slope| * h) ** 2``, a share of the distance the trend carries the
  value, where ``e`` is the series' own evidence of a changing trend (autocorrelated residuals
  around the line; at least ``trend_change_floor``).  ``level`` and ``damped_trend`` use the
  straight line's slope here and also gain ``trend_doubt`` times their distance from that line:
  a trend not carried forward may still be there.

Both were calibrated on real series (``benchmarks/backtest.py``, ``docs/benchmarks.md``): World
Bank fertility rates, 11 points projected 8 years ahead, where plain OLS intervals held the
truth about 70% of the time instead of 95%.

``loc``/``scale``/``transform`` give the predictive distribution of the value in a year as
``g^{-1}(Normal(loc, scale))``; the bounds used by the transform are in
``Projection.bounds`` (``log`` is of ``value - lo`` with ``lo = 0`` when no lower bound is
given).  ``mean`` is the point projection ``g^{-1}(loc)`` (the median for ``log``/``logit``).
For ``poisson`` rows ``loc``/``scale`` describe the log of the expected rate; the Poisson noise is added from
``Projection.poisson`` (exposure per year and rate multiplier), which :meth:`Projection.p_meet` uses.

Modules: :mod:`~planlib.forecast.core` (method names, :class:`ForecastConfig`, transforms, the
cleaned series), :mod:`~planlib.forecast.methods` (the fits and the rolling-origin backtest of a
method on its own series), :mod:`~planlib.forecast.selection` (``auto``: steps, candidates, rules),
:mod:`~planlib.forecast.results` (:class:`Projection`), :mod:`~planlib.forecast.backtest` (hold-out
evaluation on real panels beside simple baselines; imported on its own, it uses the assessment).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import schema
from ..errors import PlanlibError, Problem
from .core import (AUTO, BINOMIAL, COUNTS_RATE, COUNTS_RATIO, DAMPED_TREND, ETS_DAMPED, INSUFFICIENT_DATA,
                   LEVEL, LINEAR, LOG_LINEAR, LOGIT_LINEAR, METHODS, NAIVE_WIDE, POISSON, TREND_METHODS,
                   ForecastConfig, _clean, _norm_bounds, _Obs, infer_rate_multiplier)
from .methods import _fit, _floored, _infeasible, _insufficient, _projection, backtest_errors
from .results import Projection
from .selection import _after_step, _choose, choose_method, find_step, trend_gain

__all__ = [
    "AUTO", "BINOMIAL", "COUNTS_RATE", "COUNTS_RATIO", "DAMPED_TREND", "ETS_DAMPED", "INSUFFICIENT_DATA",
    "LEVEL", "LINEAR", "LOG_LINEAR", "LOGIT_LINEAR", "METHODS", "NAIVE_WIDE", "POISSON", "TREND_METHODS",
    "ForecastConfig", "Projection", "backtest_errors", "choose_method", "compare_methods", "find_step",
    "infer_rate_multiplier", "p_meet", "project", "trend_gain",
]


def _years(obs: _Obs, target_year: int) -> np.ndarray:
    seen = obs.t.astype(int)
    last = int(seen[-1]) if len(seen) else int(target_year) - 1
    return np.concatenate([seen, np.arange(last + 1, int(target_year) + 1)]).astype(int)


def project(series: pd.DataFrame, *, target_year: int, method: str = AUTO,
            bounds: tuple[float | None, float | None] | None = None,
            config: ForecastConfig | None = None) -> Projection:
    """Project one series to ``target_year`` with 80% and 95% prediction intervals.

    Args:
        series: tidy frame with ``year`` and ``value``; optionally ``numerator`` and
            ``denominator`` (events and population of a rate).  Rows with NaN are dropped;
            years may have gaps or 5-year steps.
        target_year: the last year projected.
        method: ``"auto"`` (see :func:`choose_method`) or one of :data:`METHODS`; a method the
            series cannot support falls back to ``auto``.  The ``method`` column says what was used.
        bounds: ``(lo, hi)`` natural bounds of the value, e.g. ``(0, 100)`` for a percentage;
            either may be ``None``.  Nothing projected leaves them.
        config: options; defaults to :class:`ForecastConfig`.

    Returns:
        A :class:`Projection`: its :meth:`~Projection.summary_frame` has the columns
        :data:`schema.PROJECTION_COLUMNS`, one row per observed year (fitted, ``is_projection``
        False) and per year after the last observation up to ``target_year``; it also holds the
        bounds, how many of the most recent observations the trend was fitted to
        (``fit_points``), why the method was chosen (``choice``, ``step_year``) and, for a
        ``poisson`` projection, the exposure per year and the rate multiplier.

    Examples:
        >>> s = pd.DataFrame({"year": [2018, 2019, 2020, 2021], "value": [10.0, 12.0, 14.0, 16.0]})
        >>> out = project(s, target_year=2023, method="linear")
        >>> out.summary_frame()[["year", "mean", "is_projection"]].round(6).to_numpy().tolist()[-2:]
        [[2022, 18.0, True], [2023, 20.0, True]]
        >>> out.method, round(out.p_meet(">=", 20.0), 2)
        ('linear', 0.5)
    """
    cfg, bounds, obs = config or ForecastConfig(), _norm_bounds(bounds), _clean(series)
    if method != AUTO and method not in METHODS:
        raise PlanlibError(Problem(
            message_zh=f"未知的预测方法：{method}。", message_en=f"Unknown method: {method}.",
            fix_zh=f"可用：auto、{'、'.join(METHODS)}。", fix_en=f"Use auto or one of {METHODS}.",
            value=method))
    used, window, choice = method, cfg.fit_points, {"kind": "requested"}
    if method == AUTO or _infeasible(method, obs, bounds, cfg):
        obs, step = _after_step(obs, cfg)
        (used, window), scores, ruled, _ = _choose(obs, bounds, cfg, target_year)
        choice = {"kind": "rule" if ruled else ("trend" if used in TREND_METHODS else "level"),
                  "trend_gain": trend_gain(scores), "step_year": step}
    years = _years(obs, target_year)
    if used == INSUFFICIENT_DATA:
        return _insufficient(obs, years, bounds)
    fit = _floored(_fit(used, obs, years, bounds, cfg, window), cfg)
    return _projection(years, len(obs), fit, used, bounds, choice)


def p_meet(projection: Projection, op: str, threshold: float, year: int | None = None, *,
           noise: bool = True) -> float:
    """Probability that the value in ``year`` (default: the last row) satisfies ``op threshold``.

    The same as ``projection.p_meet(op, threshold, year, noise=noise)``
    (:meth:`Projection.p_meet`).

    Examples:
        >>> s = pd.DataFrame({"year": [2019, 2020, 2021, 2022], "value": [50.0, 52, 54, 56]})
        >>> out = project(s, target_year=2030, method="logit_linear", bounds=(0, 100))
        >>> round(p_meet(out, "<=", 100.0), 3), round(p_meet(out, ">", 100.0), 3)
        (1.0, 0.0)
    """
    return projection.p_meet(op, threshold, year, noise=noise)


def compare_methods(series: pd.DataFrame, target_year: int, bounds=None,
                    config: ForecastConfig | None = None,
                    target: tuple[str, float] | None = None) -> pd.DataFrame:
    """Every method that fits the series, and ``auto``, side by side (tidy long).

    Args:
        series: tidy frame with ``year`` and ``value`` (optionally counts).
        target_year: the last year projected.
        bounds: ``(lo, hi)`` natural bounds, either may be ``None``.
        config: options; defaults to :class:`ForecastConfig`.
        target: ``(op, threshold)``, e.g. ``("<", 5.0)``: adds ``p_meet`` for every row.

    Returns:
        The summary frames of :func:`project` stacked, with a column ``requested`` (the method asked
        for, or ``"auto"``); methods the series cannot support are left out.

    Examples:
        >>> s = pd.DataFrame({"year": [2018, 2019, 2020, 2021, 2022],
        ...                   "value": [9.0, 8, 7.2, 6.1, 5.5]})
        >>> both = compare_methods(s, 2025, bounds=(0, None), target=("<", 5.0))
        >>> sorted(both["requested"].unique())
        ['auto', 'damped_trend', 'level', 'linear', 'log_linear', 'naive_wide']
        >>> both[both["year"] == 2025].set_index("requested")["p_meet"].round(2).to_dict()
        {'auto': 0.98, 'level': 0.34, 'linear': 0.98, 'log_linear': 0.97, 'damped_trend': 0.88, 'naive_wide': 0.62}
    """
    frames = []
    for requested in (AUTO, *METHODS):
        proj = project(series, target_year=target_year, method=requested, bounds=bounds,
                       config=config)
        if requested != AUTO and proj.method != requested:
            continue
        out = proj.summary_frame()
        if target is not None:
            out["p_meet"] = [proj.p_meet(target[0], target[1], y) for y in out[schema.YEAR]]
        frames.append(out.assign(requested=requested))
    return pd.concat(frames, ignore_index=True)
