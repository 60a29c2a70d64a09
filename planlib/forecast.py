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
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from . import schema
from .errors import PlanlibError, Problem

LEVEL = "level"
LINEAR = "linear"
LOG_LINEAR = "log_linear"
LOGIT_LINEAR = "logit_linear"
DAMPED_TREND = "damped_trend"
ETS_DAMPED = "ets_damped"
POISSON = "poisson"
BINOMIAL = "binomial"
NAIVE_WIDE = "naive_wide"
INSUFFICIENT_DATA = schema.INSUFFICIENT_DATA
AUTO = "auto"

#: Methods :func:`project` accepts besides ``"auto"``, simplest first (ties go to the simpler).
METHODS = (LEVEL, LINEAR, LOG_LINEAR, LOGIT_LINEAR, DAMPED_TREND, ETS_DAMPED, POISSON, BINOMIAL,
           NAIVE_WIDE)
#: Methods that carry a trend forward (``auto`` needs evidence before it uses one of them).
TREND_METHODS = (LINEAR, LOG_LINEAR, LOGIT_LINEAR, DAMPED_TREND, ETS_DAMPED)
_TREND_METHODS = TREND_METHODS
_BACKTESTED = (LEVEL, *TREND_METHODS)
#: ``ForecastConfig.counts``: what numerator and denominator are.
COUNTS_RATE, COUNTS_RATIO = "rate", "ratio"
_Z80, _Z95 = float(special.ndtri(0.90)), float(special.ndtri(0.975))
_OPS = (">=", ">", "<=", "<")


@dataclass(frozen=True)
class ForecastConfig:
    """Options of :func:`project` and of the automatic choice of method.

    The interval levels are fixed at 80% and 95% by the column names of
    :data:`schema.PROJECTION_COLUMNS`.

    Attributes:
        min_points_trend: fewest points ``linear``, ``log_linear`` and ``logit_linear`` are
            fitted to (``poisson`` and ``naive_wide`` need 2; fewer falls back to ``auto``).
        short_series_max: series with 2..this many points get ``naive_wide`` under ``auto``.
        backtest_min_train: fewest points a backtest origin is trained on.
        backtest_max_origins: only the most recent origins are used (keeps ``auto`` fast).
        backtest_max_steps: each origin forecasts this many following observations.
        tie_tolerance: candidates whose backtest error is within this fraction of the best one
            count as tied; the simplest of them (order of :data:`METHODS`) wins.
        ets_min_points: ``ets_damped`` needs an annual series without gaps at least this long.
        ets_in_auto: whether ``auto`` may choose ``ets_damped``; off by default: on World Bank
            fertility series of 15 points it did not improve ``auto`` consistently and made it
            ten times slower (``docs/benchmarks.md``).
        ets_auto_min_points: ``auto`` considers ``ets_damped`` from this many points on (so
            that it is backtested from several origins; ETS fits are slow).
        recent_points: ``auto`` also tries each straight-line method fitted to only the most
            recent this many points (the recent trend); 0 switches that off.
        recent_min_points: ... but only for series at least this long, so that a change of
            trend can be told from noise (on 5-7 noisy points the recent line won backtests by
            chance and extrapolated a spurious slope).
        fit_points: an explicitly requested straight-line method is fitted to at most this
            many most recent points (None: every point).
        discrepancy_weight, discrepancy_power: widening of projected intervals by the model
            discrepancy found in the backtest (module docstring); weight 0 switches it off.
        trend_change: trends change: the projected interval also widens by this fraction of
            the distance the trend carries the value (sd ``trend_change * |slope| * h`` on the
            transform scale after ``h`` years), scaled by the evidence of a changing trend
            (``trend_change_evidence``); 0 switches it off.  1.0 (with the evidence, which is
            close to 1 on these smooth series) was chosen on World Bank fertility windows ending
            1988-2006 (``docs/benchmarks.md``); without the evidence scaling it was 0.75.
        naive_damping: fraction of the average annual change ``naive_wide`` carries forward.
        naive_widen: half-width of the 95% ``naive_wide`` interval after ``h`` years, in units of
            ``h`` times the larger of the average annual change and ``naive_floor``.
        naive_floor: smallest annual change assumed by ``naive_wide`` (on the log/logit scale,
            or relative to the level on the identity scale).
        bound_eps: the logit of a bounded quantity is taken after squeezing [lo, hi] into
            [eps, 1 - eps] of the range (and back-transformed exactly, so a constant 100 stays 100).
            0.02 is two percentage points; a much smaller value lets one reported 100%
            dominate the fit (1e-4 turned 97.5 ... 99.2, 100, 99.7 into a 95% interval of 0-100;
            0.02 gives 77.6-100 on the shipped C21 series, which stays within 97.5-100).
        rate_multiplier: value = multiplier * numerator / denominator (1000 for per mille,
            100000 for per 100,000); ``None`` infers it from rows with events.
        poisson_prior_events: pseudo-events added over the observed exposure (keeps zero counts
            finite: all-zero years give this many events over all the births observed).
        poisson_slope_prior_sd: sd of the normal prior on the annual change of the log rate
            (0.1: a rate changing by more than about 20% a year is a priori unlikely; plenty of
            events outweigh it).
        min_scale: smallest ``scale`` relative to the series' size, so that even a constant
            series gets a valid, narrow but positive interval.
        trend_margin: ``auto`` carries a trend forward only when the best trend's backtest error
            on the series itself is at least this fraction below the best ``level`` (no-trend)
            model's; otherwise the series is judged on its recent level.  1 switches trends off,
            and ``level_in_auto=False`` switches the comparison off (the former behaviour).
        trend_doubt: ``level`` and ``damped_trend`` do not carry the straight line's trend
            forward, but it may be real: their variance gains ``(trend_doubt * gap) ** 2``,
            ``gap`` the distance between their projection and the straight line's.
        trend_change_evidence: scale ``trend_change`` by the evidence that the series' trend
            has been changing (lag-1 autocorrelation of the residuals around the line, times
            ``CURVATURE_GAIN``, clipped to 0-1): a steady trend under white noise is not widened
            as much as a bending smooth series; never below ``trend_change_floor`` of it.
        trend_min_t: ``auto`` drops trend candidates whose fitted slope is within this many
            standard errors of zero (a trend read into noise).
        level_discrepancy_power: ``discrepancy_power`` of the ``level`` model for a series
            whose residuals look like white noise: a level's unexplained error then grows like
            a random walk (sd with the square root of the horizon); with evidence of a changing
            trend (``trend_change_evidence``) it moves toward ``discrepancy_power``.
        level_in_auto: whether ``auto`` considers the ``level`` model.
        damped_in_auto: whether ``auto`` considers ``damped_trend``.
        damped_min_curvature: ... for series whose trend has been changing at least this much
            (the evidence of ``trend_change_evidence``): a steady line under noise keeps its
            straight line, a smooth bending series (fertility falling ever more slowly) may get
            a damped one.
        damping: ``damped_trend`` carries ``damping ** k`` of the fitted annual change into the
            ``k``-th year ahead (so a trend adds at most ``damping / (1 - damping)`` years' worth
            of change).
        detect_steps: ``auto`` looks for a step change (:func:`find_step`) and projects from it.
        step_min_before, step_min_after: fewest points on each side of a step.
        step_jump_noise: a step is at least this many times the noise around the two levels.
        step_sse_ratio: ... and the two levels fit at least ``1 / step_sse_ratio`` times better
            (squared error) than a straight line, so a steady trend is never taken for a step.
        counts: what ``numerator`` and ``denominator`` count: ``"rate"`` (events and the
            population at risk: ``poisson``) or ``"ratio"`` (two groups of one total, e.g. boys
            and girls born: ``binomial`` on the share of the first group).
    """

    min_points_trend: int = 3
    short_series_max: int = 3
    backtest_min_train: int = 3
    backtest_max_origins: int = 6
    backtest_max_steps: int = 2
    tie_tolerance: float = 0.05
    ets_min_points: int = 10
    ets_in_auto: bool = False
    ets_auto_min_points: int = 13
    recent_points: int = 4
    recent_min_points: int = 8
    fit_points: int | None = None
    discrepancy_weight: float = 1.0
    discrepancy_power: float = 1.0
    trend_change: float = 1.0
    naive_damping: float = 0.5
    naive_widen: float = 1.5
    naive_floor: float = 0.01
    bound_eps: float = 0.02
    rate_multiplier: float | None = None
    poisson_prior_events: float = 0.5
    poisson_slope_prior_sd: float = 0.1
    min_scale: float = 1e-7
    trend_margin: float = 0.1
    level_discrepancy_power: float = 0.5
    trend_doubt: float = 1.0
    trend_min_t: float = 1.0
    trend_change_evidence: bool = True
    trend_change_floor: float = 0.33
    level_in_auto: bool = True
    damped_in_auto: bool = True
    damped_min_curvature: float = 0.5
    damping: float = 0.9
    detect_steps: bool = True
    step_min_before: int = 2
    step_min_after: int = 3
    step_jump_noise: float = 4.0
    step_sse_ratio: float = 0.2
    counts: str = COUNTS_RATE


# --- transforms ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Transform:
    kind: str  # identity | log | logit
    lo: float | None = None
    hi: float | None = None
    eps: float = 1e-4

    def to(self, x):
        x = np.asarray(x, dtype=float)
        if self.kind == "log":
            return np.log(x - (self.lo or 0.0))
        if self.kind == "logit":  # squeezed into [eps, 1 - eps], so the bounds stay finite
            p = np.clip((x - self.lo) / (self.hi - self.lo), 0.0, 1.0)
            return special.logit(self.eps + (1 - 2 * self.eps) * p)
        return x

    def back(self, z):
        z = np.asarray(z, dtype=float)
        if self.kind == "log":
            return (self.lo or 0.0) + np.exp(z)
        if self.kind == "logit":  # the exact inverse of the squeeze: a constant 100 stays 100
            p = np.clip((special.expit(z) - self.eps) / (1 - 2 * self.eps), 0.0, 1.0)
            return self.lo + (self.hi - self.lo) * p
        return z


def _transform_for(method: str, bounds, cfg: ForecastConfig, x: np.ndarray | None = None) -> _Transform:
    lo, hi = bounds
    if method in (LEVEL, DAMPED_TREND) and x is not None:
        return _natural_transform(x, bounds, cfg)
    kind = {LOG_LINEAR: "log", LOGIT_LINEAR: "logit", POISSON: "log"}.get(method, "identity")
    return _Transform(kind, lo, hi, cfg.bound_eps)


def _natural_transform(x: np.ndarray, bounds, cfg: ForecastConfig) -> _Transform:
    """The scale ``naive_wide`` works on: logit if bounded, log if positive, else identity."""
    lo, hi = bounds
    if lo is not None and hi is not None:
        return _Transform("logit", lo, hi, cfg.bound_eps)
    if np.all(x > (lo or 0.0)):
        return _Transform("log", lo, hi, cfg.bound_eps)
    return _Transform("identity", lo, hi, cfg.bound_eps)


# --- input --------------------------------------------------------------------------------------


def _bad_series(message_zh: str, message_en: str, column: str | None = None, value=None):
    return PlanlibError(Problem(
        message_zh=message_zh, message_en=message_en, column=column, value=value,
        fix_zh="请提供按年份排列的数值序列：year 为年份，value 为数值，每年最多一行。",
        fix_en="Provide one numeric value per year: columns year and value, one row per year."))


@dataclass(frozen=True)
class _Obs:
    """A cleaned series: increasing years ``t``, values ``x``; counts (NaN where missing)."""

    t: np.ndarray
    x: np.ndarray
    events: np.ndarray | None = None
    exposure: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.t)

    @property
    def counted(self) -> np.ndarray:
        """Rows with usable counts (events >= 0, denominator > 0)."""
        if self.events is None:
            return np.zeros(len(self.t), bool)
        return np.isfinite(self.events) & np.isfinite(self.exposure) & (self.exposure > 0) \
            & (self.events >= 0)

    @property
    def has_counts(self) -> bool:
        """Counts on at least two points, the latest among them: a Poisson fit is possible."""
        counted = self.counted
        return bool(counted.sum() >= 2 and counted[-1])

    def tail(self, k: int | None) -> _Obs:
        if not k or k >= len(self.t):
            return self
        cut = slice(len(self.t) - k, None)
        counts = (self.events[cut], self.exposure[cut]) if self.events is not None else (None, None)
        return _Obs(self.t[cut], self.x[cut], *counts)


def _clean(series: pd.DataFrame) -> _Obs:
    """Numeric, NaN-free, sorted series with the counts a Poisson fit may use."""
    for col in (schema.YEAR, schema.VALUE):
        if col not in series.columns:
            raise _bad_series(f"缺少列 {col}。", f"Column {col} is missing.", column=col)
    cols = {c: pd.to_numeric(series[c], errors="coerce").to_numpy(float)
            for c in (schema.YEAR, schema.VALUE, schema.NUMERATOR, schema.DENOMINATOR)
            if c in series.columns}
    keep = np.isfinite(cols[schema.YEAR]) & np.isfinite(cols[schema.VALUE])
    order = np.argsort(cols[schema.YEAR][keep], kind="stable")
    cols = {c: v[keep][order] for c, v in cols.items()}
    t = cols[schema.YEAR]
    if len(t) > 1 and np.any(np.diff(t) == 0):
        year = int(t[1:][np.diff(t) == 0][0])
        raise _bad_series(f"年份 {year} 出现多次。", f"Year {year} appears more than once.",
                          column=schema.YEAR, value=year)
    if schema.NUMERATOR not in cols or schema.DENOMINATOR not in cols:
        return _Obs(t, cols[schema.VALUE])
    return _Obs(t, cols[schema.VALUE], cols[schema.NUMERATOR], cols[schema.DENOMINATOR])


def _norm_bounds(bounds) -> tuple[float | None, float | None]:
    if bounds is None:
        return (None, None)
    lo, hi = bounds
    return (None if lo is None else float(lo), None if hi is None else float(hi))


def _multiplier(obs: _Obs) -> float | None:
    if obs.events is None:
        return None
    rows = obs.counted & (np.nan_to_num(obs.events) > 0) & (obs.x > 0)
    if not rows.any():
        return None
    ratio = obs.x[rows] / (obs.events[rows] / obs.exposure[rows])
    return float(10.0 ** round(math.log10(float(np.median(ratio)))))


def infer_rate_multiplier(series: pd.DataFrame) -> float | None:
    """The power of ten with ``value = multiplier * numerator / denominator``, if rows show it.

    Args:
        series: rows with ``year``, ``value``, ``numerator`` and ``denominator``.

    Returns:
        e.g. ``1000.0`` for a rate per mille; ``None`` when no row has events to tell.

    Examples:
        >>> infer_rate_multiplier(pd.DataFrame({"year": [2020, 2021], "value": [25.0, 0.0],
        ...                                     "numerator": [1, 0], "denominator": [4000, 4100]}))
        100000.0
    """
    obs = _clean(series)
    return _multiplier(obs)


# --- least squares (closed form) and damped-trend ETS (statsmodels) ----------------------------


def _ols_closed(t: np.ndarray, z: np.ndarray, t_new: np.ndarray):
    """Straight-line forecast and its prediction variance, in closed form (fast backtests)."""
    n, tm = len(t), t.mean()
    sxx = float(((t - tm) ** 2).sum())
    slope = float(((t - tm) * (z - z.mean())).sum() / sxx)
    resid = z - z.mean() - slope * (t - tm)
    s2 = float(np.sum(resid * resid)) / (n - 2) if n > 2 else 0.0
    pred = z.mean() + slope * (t_new - tm)
    return pred, s2 * (1 + 1 / n + (t_new - tm) ** 2 / sxx)


def _ols_fit(t: np.ndarray, z: np.ndarray, t_all: np.ndarray):
    """OLS of z on year: ``loc``, and the normal ``scale`` giving statsmodels' 95% ``obs_ci``.

    Computed in closed form (the tests check it against ``OLS(...).get_prediction()
    .summary_frame()``): importing statsmodels alone takes longer than projecting a whole plan.
    """
    pred, var = _ols_closed(t, z, t_all)
    df = len(t) - 2
    factor = float(special.stdtrit(df, 0.975)) / _Z95 if df > 0 else 0.0
    return pred, np.sqrt(var) * factor


def _line_slope(t: np.ndarray, z: np.ndarray) -> float:
    """Least-squares slope of ``z`` on ``t`` (0 for fewer than two points)."""
    if len(t) < 2:
        return 0.0
    tc = t - t.mean()
    return float((tc * (z - z.mean())).sum() / (tc * tc).sum())


CURVATURE_GAIN = 3.0


def _curvature(t: np.ndarray, z: np.ndarray) -> float:
    """Evidence that the trend has been changing: lag-1 autocorrelation of the residuals
    around the straight line, clipped to [0, 1] (white noise gives about 0, a bending smooth
    series close to 1).

    Examples:
        >>> t = np.arange(10.0)
        >>> round(_curvature(t, t ** 2), 2), _curvature(t, np.where(t % 2 == 0, 1.0, -1.0))
        (1.0, 0.0)
    """
    if len(t) < 4:
        return 1.0
    tc = t - t.mean()
    resid = z - z.mean() - _line_slope(t, z) * tc
    denom = float((resid * resid).sum())
    if denom <= 1e-12 * max(1.0, float((z * z).sum())):
        return 1.0  # an exact line shows nothing either way: keep the full allowance
    return float(np.clip(CURVATURE_GAIN * (resid[1:] * resid[:-1]).sum() / denom, 0.0, 1.0))


def _beyond_noise(t: np.ndarray, z: np.ndarray, cfg: ForecastConfig) -> float:
    """Share of a fitted slope that stands out of its noise: ``max(0, 1 - trend_min_t / |t|)``."""
    if len(t) < 3:
        return 1.0
    tc = t - t.mean()
    slope = _line_slope(t, z)
    resid = z - z.mean() - slope * tc
    se = math.sqrt(float((resid * resid).sum()) / (len(t) - 2) / float((tc * tc).sum()))
    if se <= 1e-12 * max(1.0, abs(slope)):
        return 1.0
    return max(0.0, 1.0 - cfg.trend_min_t * se / abs(slope)) if slope else 0.0


def _level_closed(z: np.ndarray, n_new: int):
    """No-trend forecast: the mean of the points, and its prediction variance ``s2 (1 + 1/n)``."""
    n = len(z)
    s2 = float(np.var(z, ddof=1)) if n > 1 else 0.0
    return np.full(n_new, float(np.mean(z))), np.full(n_new, s2 * (1 + 1 / n))


def _damped_clock(t_last: float, t_new: np.ndarray, damping: float) -> np.ndarray:
    """Where a damped trend reads its fitted line: ``k`` years ahead is ``sum damping**i`` ahead.

    Examples:
        >>> _damped_clock(2020.0, np.array([2019.0, 2021.0, 2022.0]), 0.5).tolist()
        [2019.0, 2020.5, 2020.75]
    """
    t_new = np.asarray(t_new, float)
    h = np.maximum(t_new - t_last, 0.0)
    if damping >= 1:
        return t_new
    return np.where(h > 0, t_last + damping * (1 - damping ** h) / (1 - damping), t_new)


def _closed(method: str, t: np.ndarray, z: np.ndarray, t_new: np.ndarray, cfg: ForecastConfig):
    """Point forecast and prediction variance of the closed-form methods (level and lines)."""
    if method == LEVEL:
        return _level_closed(z, len(t_new))
    if method == DAMPED_TREND:
        t_new = _damped_clock(float(t[-1]), t_new, cfg.damping)
    return _ols_closed(t, z, t_new)


def _ets_fit(z: np.ndarray, steps: int):
    """Damped additive-trend ETS: fitted and projected ``loc`` and ``scale``."""
    from statsmodels.tools.sm_exceptions import ConvergenceWarning
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", UserWarning)
        res = ETSModel(pd.Series(z), error="add", trend="add", damped_trend=True).fit(disp=False)
        fitted = np.asarray(res.fittedvalues, dtype=float)
        fit_scale = np.full(len(z), math.sqrt(max(float(res.mse), 0.0)))
        if steps == 0:
            return fitted, fit_scale
        pred = res.get_prediction(start=len(z), end=len(z) + steps - 1).summary_frame(alpha=0.05)
    proj_scale = ((pred["pi_upper"] - pred["mean"]) / _Z95).to_numpy()
    return (np.concatenate([fitted, pred["mean"].to_numpy()]),
            np.concatenate([fit_scale, np.nan_to_num(proj_scale, nan=0.0)]))


def _is_annual(t: np.ndarray) -> bool:
    return len(t) > 1 and bool(np.all(np.diff(t) == 1))


# --- which methods fit which series -------------------------------------------------------------


def _infeasible(method: str, obs: _Obs, bounds, cfg: ForecastConfig) -> str:
    """Why ``method`` cannot be fitted to ``obs`` ("" when it can)."""
    n, lo, hi, x = len(obs), bounds[0], bounds[1], obs.x
    if method == POISSON:
        return "" if obs.has_counts else "needs counts on 2+ points incl. the latest"
    if method == BINOMIAL:
        if cfg.counts != COUNTS_RATIO:
            return "needs counts of two groups (ForecastConfig(counts='ratio'))"
        return "" if obs.has_counts else "needs counts on 2+ points incl. the latest"
    if method == NAIVE_WIDE:
        return "" if n >= 2 else "needs 2 points"
    if method == ETS_DAMPED:
        if n < cfg.ets_min_points or not _is_annual(obs.t):
            return f"needs {cfg.ets_min_points}+ consecutive annual points"
        return ""
    if n < cfg.min_points_trend:
        return f"needs {cfg.min_points_trend}+ points"
    if method == LOG_LINEAR and not np.all(x > (lo or 0.0)):
        return "needs every value above the lower bound (0)"
    if method == LOGIT_LINEAR and (lo is None or hi is None or not np.all((x >= lo) & (x <= hi))):
        return "needs lower and upper bounds around every value"
    return ""


def _candidates(obs: _Obs, bounds, cfg: ForecastConfig) -> list[tuple[str, int | None]]:
    """``(method, window)`` pairs ``auto`` backtests; ``window`` None fits every point.

    logit only for two-sided bounds, else linear and log_linear; each also on the most recent
    ``recent_points`` points; ``ets_damped`` for long annual series.
    """
    if bounds[0] is not None and bounds[1] is not None:
        methods = [LINEAR, LOGIT_LINEAR]  # a straight line that leaves the bounds is dropped
    else:
        ets_ok = cfg.ets_in_auto and len(obs) >= cfg.ets_auto_min_points
        methods = [LINEAR, LOG_LINEAR] + ([ETS_DAMPED] if ets_ok else [])
    bending = len(obs) >= 4 and _curvature(obs.t, _natural_transform(obs.x, bounds, cfg).to(obs.x)) \
        >= cfg.damped_min_curvature
    methods = ([LEVEL] if cfg.level_in_auto else []) + methods \
        + ([DAMPED_TREND] if cfg.damped_in_auto and bending else [])
    methods = [m for m in methods if not _infeasible(m, obs, bounds, cfg)]
    long_enough = len(obs) >= max(cfg.recent_min_points, cfg.recent_points + 1)
    recent = cfg.recent_points if long_enough and cfg.recent_points >= cfg.min_points_trend else None
    windows = [None] + ([recent] if recent else [])
    return [(m, w) for m in methods for w in windows if not (m == ETS_DAMPED and w)]


# --- rolling-origin backtest on the series itself -----------------------------------------------


def _backtest(t: np.ndarray, x: np.ndarray, method: str, tf: _Transform, cfg: ForecastConfig,
              window: int | None = None):
    """Rows ``(origin, index, h, x_hat, z_err, var_model)`` of out-of-sample forecasts."""
    n, z = len(t), tf.to(x)
    first = cfg.ets_min_points if method == ETS_DAMPED else cfg.backtest_min_train
    rows = []
    for k in range(max(first, n - cfg.backtest_max_origins), n):
        ahead = np.arange(k, min(n, k + cfg.backtest_max_steps))
        start = max(0, k - window) if window else 0
        if method == ETS_DAMPED:
            loc, scale = _ets_fit(z[:k], len(ahead))
            pred, var = loc[k:], scale[k:] ** 2
        else:
            pred, var = _closed(method, t[start:k], z[start:k], t[ahead], cfg)
        for j, p, v in zip(ahead, pred, var):
            rows.append((k, j, t[j] - t[k - 1], float(tf.back(p)), z[j] - p, v))
    return rows


def backtest_errors(series: pd.DataFrame, method: str, bounds=None,
                    config: ForecastConfig | None = None,
                    window: int | None = None) -> pd.DataFrame:
    """Out-of-sample forecasts of ``method`` from rolling origins on the series itself.

    Each origin trains on the first ``k`` points (only the last ``window`` of them when given)
    and forecasts the next ``config.backtest_max_steps`` observations; only the most recent
    ``config.backtest_max_origins`` origins are used.

    Args:
        series: tidy frame with ``year`` and ``value``.
        method: one of ``linear``, ``log_linear``, ``logit_linear``, ``ets_damped``.
        bounds: ``(lo, hi)`` natural bounds of the value, either may be ``None``.
        config: options; defaults to :class:`ForecastConfig`.
        window: fit only the most recent this many points at each origin (None: all).

    Returns:
        One row per forecast: ``origin_year`` (last training year), ``year``, ``horizon``
        (years), ``value``, ``forecast``, ``abs_error``.

    Examples:
        >>> s = pd.DataFrame({"year": [2016, 2017, 2018, 2019, 2020], "value": [1.0, 2, 3, 4, 5]})
        >>> backtest_errors(s, "linear")[["origin_year", "year", "forecast"]].to_numpy().tolist()
        [[2018.0, 2019.0, 4.0], [2018.0, 2020.0, 5.0], [2019.0, 2020.0, 5.0]]
    """
    cfg, bounds, obs = config or ForecastConfig(), _norm_bounds(bounds), _clean(series)
    t, x = obs.t, obs.x
    reason = _infeasible(method, obs, bounds, cfg) if method in _BACKTESTED else "not backtested"
    tf = _transform_for(method, bounds, cfg, x)
    rows = [] if reason else _backtest(t, x, method, tf, cfg, window)
    out = pd.DataFrame(
        [(t[k - 1], t[j], h, x[j], xh) for k, j, h, xh, _, _ in rows],
        columns=["origin_year", schema.YEAR, "horizon", schema.VALUE, "forecast"], dtype=float)
    return out.assign(abs_error=(out[schema.VALUE] - out["forecast"]).abs())


def _discrepancy(rows, cfg: ForecastConfig, power: float | None = None) -> float:
    """Sd per year**power of the backtest errors the model's own variance does not explain."""
    if not rows:
        return 0.0
    h = np.array([r[2] for r in rows], float) ** (cfg.discrepancy_power if power is None else power)
    err = np.array([r[4] for r in rows], float)
    var = np.array([r[5] for r in rows], float)
    return math.sqrt(max(0.0, float(np.mean((err ** 2 - var) / h ** 2))))


# --- step changes -------------------------------------------------------------------------------


def _step_index(obs: _Obs, cfg: ForecastConfig) -> int | None:
    """Index of the first point after a step change in the level, or None.

    The split into two constant levels with the least squared error is a step when the two
    groups of values do not overlap, the jump is at least ``step_jump_noise`` times the noise
    around the two levels, and the two levels fit ``1 / step_sse_ratio`` times better than a
    straight line.
    """
    n, x, t = len(obs), obs.x, obs.t
    if not cfg.detect_steps or n < cfg.step_min_before + cfg.step_min_after:
        return None
    best = None
    for k in range(cfg.step_min_before, n - cfg.step_min_after + 1):
        a, b = x[:k], x[k:]
        sse = float(((a - a.mean()) ** 2).sum() + ((b - b.mean()) ** 2).sum())
        if best is None or sse < best[1]:
            best = (k, sse)
    k, sse = best
    a, b = x[:k], x[k:]
    line = np.polyfit(t - t.mean(), x, 1)
    line_sse = float(((x - np.polyval(line, t - t.mean())) ** 2).sum())
    separated = a.max() < b.min() or a.min() > b.max()
    jump = abs(float(b.mean() - a.mean()))
    noise = math.sqrt(sse / (n - 2))
    if separated and jump >= cfg.step_jump_noise * noise and sse <= cfg.step_sse_ratio * line_sse:
        return k
    return None


def find_step(series: pd.DataFrame, config: ForecastConfig | None = None) -> int | None:
    """The first year after a step change of the series' level (a new institution, a policy
    that switched a rate from 0 to 100), or None.

    ``auto`` projects from that year on (``project(...).step_year``).

    Examples:
        >>> s = pd.DataFrame({"year": range(2015, 2025), "value": [0.0] * 4 + [100.0] * 6})
        >>> find_step(s)
        2019
        >>> find_step(pd.DataFrame({"year": range(2015, 2025), "value": [float(v) for v in range(10)]}))
    """
    cfg, obs = config or ForecastConfig(), _clean(series)
    k = _step_index(obs, cfg)
    return None if k is None else int(obs.t[k])


def _after_step(obs: _Obs, cfg: ForecastConfig) -> tuple[_Obs, int | None]:
    k = _step_index(obs, cfg)
    return (obs, None) if k is None else (obs.tail(len(obs) - k), int(obs.t[k]))


# --- choosing a method --------------------------------------------------------------------------

_RULE_REASONS = {
    INSUFFICIENT_DATA: "rule: 0-1 point",
    POISSON: "rule: counts (numerator, denominator) on 2+ points including the latest",
    BINOMIAL: "rule: counts of two groups on 2+ points including the latest",
    NAIVE_WIDE: "rule: 2 to short_series_max points",
}


def _leaves_bounds(obs: _Obs, bounds, target_year: int | None, window: int | None) -> bool:
    """Whether the straight line through the (recent) series leaves the bounds by then."""
    if target_year is None or (bounds[0] is None and bounds[1] is None):
        return False
    fit = obs.tail(window)
    t, x = fit.t, fit.x
    end = float(_ols_closed(t, x, np.array([float(max(target_year, t[-1]))]))[0][0])
    below = bounds[0] is not None and end < bounds[0]
    return below or (bounds[1] is not None and end > bounds[1])


def _score_candidates(obs: _Obs, cands: list, bounds, cfg: ForecastConfig) -> dict:
    """Mean absolute backtest error per candidate over the forecasts all candidates share."""
    t, x = obs.t, obs.x
    errors = {}
    for m, w in cands:
        rows = _backtest(t, x, m, _transform_for(m, bounds, cfg, x), cfg, w)
        errors[(m, w)] = {(r[0], r[1]): abs(x[r[1]] - r[3]) for r in rows}
    shared = set.intersection(*(set(e) for e in errors.values())) if errors else set()
    return {c: (float(np.mean([e[k] for k in shared])) if shared else np.nan, len(shared))
            for c, e in errors.items()}


def _simplicity(cand: tuple[str, int | None]) -> tuple[int, int]:
    return METHODS.index(cand[0]), int(cand[1] is not None)


def _simplest_best(finite: dict, cfg: ForecastConfig) -> tuple[str, int | None]:
    best = min(finite.values())
    tied = [c for c, s in finite.items() if s <= best * (1 + cfg.tie_tolerance) + 1e-12]
    return min(tied, key=_simplicity)


def _pick(scores: dict, cfg: ForecastConfig) -> tuple[str, int | None]:
    """The best level model, unless the best trend beats it by ``trend_margin``."""
    finite = {c: s for c, (s, _) in scores.items() if np.isfinite(s)}
    if not finite:
        return min(scores, key=_simplicity)
    levels = {c: s for c, s in finite.items() if c[0] == LEVEL}
    trends = {c: s for c, s in finite.items() if c[0] != LEVEL}
    if not levels or not trends:
        return _simplest_best(levels or trends, cfg)
    level, trend = _simplest_best(levels, cfg), _simplest_best(trends, cfg)
    return trend if trends[trend] < (1 - cfg.trend_margin) * levels[level] else level


def trend_gain(scores: dict) -> float:
    """How much smaller the best trend's backtest error is than the best level's (a fraction).

    Examples:
        >>> trend_gain({("level", None): (2.0, 8), ("linear", None): (1.5, 8)})
        0.25
    """
    levels = [s for (m, _), (s, _) in scores.items() if m == LEVEL and np.isfinite(s)]
    trends = [s for (m, _), (s, _) in scores.items() if m != LEVEL and np.isfinite(s)]
    if not levels or not trends or min(levels) <= 0:
        return math.nan
    return float(1 - min(trends) / min(levels))


def _rule_method(obs: _Obs, cfg: ForecastConfig) -> str | None:
    """The method fixed by the size and kind of the series, before any backtest."""
    if len(obs) <= 1:
        return INSUFFICIENT_DATA
    if obs.has_counts:
        return BINOMIAL if cfg.counts == COUNTS_RATIO else POISSON
    if len(obs) <= cfg.short_series_max:
        return NAIVE_WIDE
    return None


def _choice_table(obs: _Obs, bounds, cfg, scores: dict, chosen: tuple, ruled: str | None,
                  dropped: dict) -> pd.DataFrame:
    rows = []
    for m in METHODS:
        for w in sorted({c[1] for c in (*scores, *dropped) if c[0] == m} or {None},
                        key=lambda v: v or 0):
            reason = dropped.get((m, w)) or _infeasible(m, obs, bounds, cfg)
            if (m, w) == chosen:
                reason = _RULE_REASONS[ruled] if ruled else _chosen_reason(m)
            elif not reason and (m, w) not in scores:
                reason = "decided by rule" if ruled else "not a candidate for this series"
            elif not reason:
                reason = "larger backtest error"
            mae, n = scores.get((m, w), (np.nan, 0))
            rows.append((m, w or len(obs), (m, w) in scores, mae, n, (m, w) == chosen, reason))
    return pd.DataFrame(rows, columns=[schema.METHOD, "fit_points", "candidate", "mae",
                                       "n_forecasts", "chosen", "reason"])


def _chosen_reason(method: str) -> str:
    if method == LEVEL:
        return "no trend beat the level by trend_margin in backtests (ties: simpler)"
    return "smallest backtest error, by trend_margin below the level's (ties: simpler)"


def _slope_t(obs: _Obs, cand: tuple[str, int | None], bounds, cfg: ForecastConfig) -> float:
    """|slope / standard error| of the straight line a candidate fits (inf for a perfect line)."""
    fit = obs.tail(cand[1])
    z = _transform_for(cand[0], bounds, cfg, obs.x).to(fit.x)
    t = fit.t - fit.t.mean()
    if len(t) < 3:
        return math.inf
    slope = _line_slope(fit.t, z)
    resid = z - z.mean() - slope * t
    s2 = float((resid * resid).sum()) / (len(t) - 2)
    se = math.sqrt(s2 / float((t * t).sum()))
    return math.inf if se <= 1e-12 * max(1.0, abs(slope)) else abs(slope) / se


def _choose(obs: _Obs, bounds, cfg: ForecastConfig, target_year: int | None):
    """``(method, window, scores, ruled, dropped)``: what ``auto`` fits and why."""
    ruled = _rule_method(obs, cfg)
    cands = [] if ruled else _candidates(obs, bounds, cfg)
    dropped = {c: f"its trend leaves the bounds by {target_year}" for c in cands
               if c[0] in (LINEAR, ETS_DAMPED) and _leaves_bounds(obs, bounds, target_year, c[1])}
    dropped.update({c: f"its slope is within noise of zero (|t| < {cfg.trend_min_t:g})"
                    for c in cands if c not in dropped and c[0] in TREND_METHODS
                    and c[0] != ETS_DAMPED and _slope_t(obs, c, bounds, cfg) < cfg.trend_min_t})
    scores = _score_candidates(obs, [c for c in cands if c not in dropped], bounds, cfg)
    chosen = (ruled, None) if ruled else (_pick(scores, cfg) if scores else (NAIVE_WIDE, None))
    return chosen, scores, ruled, dropped


def choose_method(series: pd.DataFrame, bounds=None, config: ForecastConfig | None = None, *,
                  target_year: int | None = None) -> tuple[str, pd.DataFrame]:
    """The method ``auto`` uses for this series, and the backtest scores behind the choice.

    Rule: 0-1 point gives ``insufficient_data``; counts on two or more points, the latest
    among them, give ``poisson``; 2..``short_series_max`` points give ``naive_wide``.
    Otherwise the candidates are ``logit_linear`` for a quantity bounded on both sides, else
    ``linear`` and ``log_linear`` (all values above the lower bound, 0 by default), each fitted
    to every point and to the most recent ``recent_points`` only, and ``ets_damped`` when
    ``ets_in_auto`` is set, for annual series of at least ``ets_auto_min_points``.  With
    ``target_year``, straight lines that leave the bounds by then are dropped.  Each candidate
    forecasts the series from rolling origins (:func:`backtest_errors`); the smallest mean
    absolute error over the forecasts all candidates share wins; candidates within
    ``tie_tolerance`` of it count as tied and the simplest wins (order of :data:`METHODS`,
    every point before the recent ones).

    Args:
        series: tidy frame with ``year``, ``value`` (optionally ``numerator``, ``denominator``).
        bounds: ``(lo, hi)`` natural bounds of the value, either may be ``None``.
        config: options; defaults to :class:`ForecastConfig`.
        target_year: the year projected to (enables the bounds check).

    Returns:
        ``(method, table)``; the table has a row per method of :data:`METHODS` and window,
        with ``fit_points`` (how many recent points are fitted), ``candidate``, ``mae``
        (backtest mean absolute error), ``n_forecasts``, ``chosen`` and ``reason``.

    Examples:
        >>> s = pd.DataFrame({"year": range(2015, 2023),
        ...                   "value": [10.0, 11.2, 11.9, 13.1, 14.0, 15.1, 15.9, 17.1]})
        >>> method, table = choose_method(s)
        >>> method
        'linear'
        >>> table[table["candidate"]][["method", "fit_points", "mae"]].round(2).to_numpy().tolist()
        [['level', 8, 3.41], ['level', 4, 2.87], ['linear', 8, 0.1], ['linear', 4, 0.12], ['log_linear', 8, 0.43], ['log_linear', 4, 0.3]]
    """
    cfg, bounds, obs = config or ForecastConfig(), _norm_bounds(bounds), _clean(series)
    obs, _ = _after_step(obs, cfg)
    chosen, scores, ruled, dropped = _choose(obs, bounds, cfg, target_year)
    return chosen[0], _choice_table(obs, bounds, cfg, scores, chosen, ruled, dropped)


# --- fitting ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Fit:
    """``loc``/``scale`` on the scale of ``tf`` for every row; ``exposure`` for Poisson rows."""

    loc: np.ndarray
    scale: np.ndarray
    tf: _Transform
    exposure: np.ndarray | None = None
    multiplier: float | None = None
    fit_points: int | None = None
    under: np.ndarray | None = None  # binomial: sd of the underlying log ratio (no annual noise)
    info: dict | None = None  # binomial: births pooled and years


def _horizons(obs: _Obs, years: np.ndarray) -> np.ndarray:
    return np.maximum(years - obs.t[-1], 0).astype(float)


def _fit_trend(method: str, obs: _Obs, years: np.ndarray, bounds, cfg,
               window: int | None = None) -> _Fit:
    """linear / log_linear / logit_linear / ets_damped, widened by the backtest discrepancy."""
    t, x = obs.t, obs.x
    tf = _transform_for(method, bounds, cfg, x)
    z = tf.to(x)
    window = window if window and method != ETS_DAMPED and window < len(t) else None
    start = len(t) - window if window else 0
    if method == ETS_DAMPED:
        loc, scale = _ets_fit(z, len(years) - len(t))
    elif method == LEVEL:
        loc, var = _level_closed(z[start:], len(years))
        df = len(t) - start - 1
        factor = float(special.stdtrit(df, 0.975)) / _Z95 if df > 0 else 0.0
        loc, scale = loc, np.sqrt(var) * factor
    else:
        read_at = years.astype(float)
        if method == DAMPED_TREND:
            read_at = _damped_clock(float(t[-1]), read_at, cfg.damping)
        loc, scale = _ols_fit(t[start:], z[start:], read_at)
    power = cfg.discrepancy_power
    if method == LEVEL:  # between a random walk's sqrt(h) and a trend's h, by the evidence
        bend = _curvature(t, z) if cfg.trend_change_evidence else 1.0
        power = cfg.level_discrepancy_power + (cfg.discrepancy_power - cfg.level_discrepancy_power) * bend
    sigma_d = _discrepancy(_backtest(t, x, method, tf, cfg, window), cfg, power) \
        if cfg.discrepancy_weight else 0.0
    h = _horizons(obs, years)
    widen = cfg.discrepancy_weight * sigma_d * h ** power
    gap = np.zeros(len(years))
    if method in (LEVEL, DAMPED_TREND):  # the trend not carried forward may still be there
        slope = _line_slope(t[start:], z[start:])
        line = _ols_closed(t[start:], z[start:], years.astype(float))[0] if len(t) - start > 2 \
            else loc
        real = _beyond_noise(t[start:], z[start:], cfg)  # a slope of pure noise is no trend
        slope *= real
        gap = cfg.trend_doubt * real * np.where(h > 0, np.abs(line - loc), 0.0)
    else:
        slope = (loc[-1] - loc[len(t) - 1]) / h[-1] if h[-1] > 0 else 0.0
    evidence = max(cfg.trend_change_floor, _curvature(t, z)) if cfg.trend_change_evidence else 1.0
    change = cfg.trend_change * evidence
    turn = np.hypot(change * abs(slope) * h, gap)
    return _Fit(loc, np.sqrt(scale ** 2 + widen ** 2 + turn ** 2), tf, fit_points=len(t) - start)


def _fit_naive(obs: _Obs, years: np.ndarray, bounds, cfg: ForecastConfig) -> _Fit:
    """Part of the average annual change carried forward, with a wide interval (2-3 points)."""
    t, x = obs.t, obs.x
    tf = _natural_transform(x, bounds, cfg)
    z = tf.to(x)
    drift = (z[-1] - z[0]) / (t[-1] - t[0])
    floor = cfg.naive_floor * (max(abs(z[-1]), 1e-12) if tf.kind == "identity" else 1.0)
    h = _horizons(obs, years)
    loc = np.concatenate([z, z[-1] + cfg.naive_damping * drift * h[len(z):]])
    scale = cfg.naive_widen * max(abs(drift), floor) * h / _Z95
    return _Fit(loc, scale, tf)


def _poisson_coef(t: np.ndarray, y: np.ndarray, d: np.ndarray, cfg: ForecastConfig):
    """Penalised Poisson GLM ``log E[y] = log d + b0 + b1 (t - mean t)``: coefficients, covariance.

    statsmodels' GLM has no penalised fit with standard errors, and the plain maximum-likelihood
    fit diverges for all-zero counts.  This Newton solver adds ``poisson_prior_events`` to the
    events (without exposure: a rate of that many events over all the observed exposure when
    none occurred) and a normal prior on ``b1``, and scales the covariance by the Pearson
    dispersion when it exceeds 1 (quasi-Poisson).  Without the priors it equals statsmodels' GLM.
    """
    n, tc = len(t), t - t.mean()
    prior_events, prior_prec = cfg.poisson_prior_events, cfg.poisson_slope_prior_sd ** -2
    beta = np.array([math.log((y.sum() + prior_events) / d.sum()), 0.0])
    for _ in range(100):
        mu = d * np.exp(beta[0] + beta[1] * tc)
        grad = np.array([np.sum(y - mu) + prior_events,
                         np.sum(tc * (y - mu)) - prior_prec * beta[1]])
        step = np.clip((_inverse_hessian(mu, tc, prior_prec) * grad).sum(axis=1), -5, 5)
        beta = beta + step
        if np.max(np.abs(step)) < 1e-10:
            break
    mu = d * np.exp(beta[0] + beta[1] * tc)
    phi = max(1.0, float(np.sum((y - mu) ** 2 / mu)) / (n - 2)) if n > 2 else 1.0
    return beta, _inverse_hessian(mu, tc, prior_prec) * phi


def _inverse_hessian(mu: np.ndarray, tc: np.ndarray, prior_prec: float) -> np.ndarray:
    """Inverse of the 2x2 information matrix, written out (no BLAS threads for tiny matrices)."""
    h00, h01 = float(np.sum(mu)), float(np.sum(mu * tc))
    h11 = float(np.sum(mu * tc * tc)) + prior_prec
    det = h00 * h11 - h01 * h01
    return np.array([[h11, -h01], [-h01, h00]]) / det


def _fit_poisson(obs: _Obs, years: np.ndarray, bounds, cfg: ForecastConfig) -> _Fit:
    """Rate from counts; ``loc``/``scale``: log expected rate (value units) and its sd."""
    rows = obs.counted
    t, y, d = obs.t[rows], obs.events[rows], obs.exposure[rows]
    mult = cfg.rate_multiplier or _multiplier(obs)
    if mult is None:
        raise PlanlibError(Problem(
            message_zh="无法从数据推断率的单位：所有年份的事件数都是 0。",
            message_en="Cannot infer the rate's unit: every year has zero events.",
            fix_zh="请在 ForecastConfig(rate_multiplier=...) 中给出倍数，如 ‰ 为 1000，1/10万 为 100000。",
            fix_en="Pass ForecastConfig(rate_multiplier=...): 1000 per mille, 100000 per 100,000.",
            column=schema.NUMERATOR))
    beta, cov = _poisson_coef(t, y, d, cfg)
    dt = years - t.mean()
    loc = beta[0] + beta[1] * dt + math.log(mult)
    scale = np.sqrt(cov[0, 0] + 2 * cov[0, 1] * dt + cov[1, 1] * dt ** 2)
    seen = np.where(rows, obs.exposure, d.mean()) if obs.exposure is not None else d
    exposure = np.concatenate([seen, np.full(len(years) - len(obs), d[-1])])
    return _Fit(loc, scale, _Transform("log", 0.0, None), exposure, float(mult))


def _binomial_level(y: np.ndarray, m: np.ndarray) -> tuple[float, float, float]:
    """Pooled share of the first group: ``(logit p, variance of logit p, dispersion)``."""
    p = float((y.sum() + 0.5) / (m.sum() + 1.0))
    k = len(y)
    chi2 = float(np.sum((y - m * p) ** 2 / (m * p * (1 - p))))
    phi = max(1.0, chi2 / (k - 1)) if k > 1 else 1.0
    return float(special.logit(p)), phi / (float(m.sum()) * p * (1 - p)), phi


def _binomial_backtest(t: np.ndarray, y: np.ndarray, m: np.ndarray, cfg: ForecastConfig,
                       window: int | None) -> list[tuple[float, float, float]]:
    """``(h, error, predicted variance)`` of the pooled level on the logit share, rolling origins."""
    n, rows = len(t), []
    for k in range(max(cfg.backtest_min_train, n - cfg.backtest_max_origins), n):
        start = max(0, k - window) if window else 0
        loc, var, phi = _binomial_level(y[start:k], m[start:k])
        p = special.expit(loc)
        for j in range(k, min(n, k + cfg.backtest_max_steps)):
            share = min(max(y[j] / m[j], 1e-9), 1 - 1e-9)
            rows.append((t[j] - t[k - 1], float(special.logit(share)) - loc,
                         var + phi / (m[j] * p * (1 - p))))
    return rows


def _fit_binomial(obs: _Obs, years: np.ndarray, cfg: ForecastConfig) -> _Fit:
    """Two groups of one total (boys and girls born): the pooled share of the first, no trend.

    ``loc`` is the log of ``multiplier * p / (1 - p)`` (the ratio, e.g. boys per 100 girls);
    ``under`` its sd from the pooled estimate and the level's drift found in the backtest;
    ``scale`` adds the binomial noise of one year's births.  The pooling window (every point,
    or the ``recent_points`` most recent ones) is the one with the smaller backtest error.
    """
    rows = obs.counted
    t, y = obs.t[rows], obs.events[rows]
    m = y + obs.exposure[rows]
    mult = cfg.rate_multiplier or _multiplier(obs) or 100.0
    windows = [None] + ([cfg.recent_points] if len(t) >= max(cfg.recent_min_points,
                                                            cfg.recent_points + 1) else [])
    errors = {w: _binomial_backtest(t, y, m, cfg, w) for w in windows}
    mae = {w: np.mean([abs(e) for _, e, _ in r]) if r else np.inf for w, r in errors.items()}
    window = min(windows, key=lambda w: (mae[w] > mae[None] * (1 - cfg.tie_tolerance), w or 0))
    start = len(t) - window if window else 0
    loc, var, phi = _binomial_level(y[start:], m[start:])
    rows_bt = errors[window]
    excess = np.array([(e * e - v) / h for h, e, v in rows_bt], float)
    # the drift of the underlying share per year, counted only where it stands out of its noise
    drift = max(0.0, float(excess.mean() - excess.std(ddof=1) / math.sqrt(len(excess)))) \
        if len(excess) > 1 else 0.0
    h = _horizons(obs, years)
    under = np.sqrt(var + drift * h)
    births = np.concatenate([np.where(rows, obs.events + obs.exposure, m[-1]),
                             np.full(len(years) - len(obs), m[-1])])
    p = float(special.expit(loc))
    scale = np.sqrt(under ** 2 + phi / (births * p * (1 - p)))
    return _Fit(np.full(len(years), loc + math.log(mult)), scale, _Transform("log", 0.0, None),
                fit_points=len(t) - start, under=under,
                info={"births": float(m[start:].sum()), "first_year": int(t[start]),
                      "last_year": int(t[-1]), "dispersion": phi})


def _fit(method: str, obs: _Obs, years: np.ndarray, bounds, cfg: ForecastConfig,
         window: int | None) -> _Fit:
    if method == NAIVE_WIDE:
        return _fit_naive(obs, years, bounds, cfg)
    if method == POISSON:
        return _fit_poisson(obs, years, bounds, cfg)
    if method == BINOMIAL:
        return _fit_binomial(obs, years, cfg)
    return _fit_trend(method, obs, years, bounds, cfg, window)


# --- Poisson-lognormal predictive distribution --------------------------------------------------

_GH_X, _GH_W = np.polynomial.hermite_e.hermegauss(32)
_GH_W = _GH_W / _GH_W.sum()


def _poisson_lambdas(loc, scale, exposure, mult) -> np.ndarray:
    """Expected counts at the Gauss-Hermite nodes of the log rate, shape (rows, nodes)."""
    loc, scale = np.atleast_1d(loc), np.atleast_1d(scale)
    eta = loc[:, None] + scale[:, None] * _GH_X[None, :]
    return np.atleast_1d(exposure)[:, None] / mult * np.exp(np.minimum(eta, 700.0))


def _poisson_cdf(k: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """P(count <= k) under the mixture; ``k`` (rows, m), ``lam`` (rows, nodes)."""
    k = np.asarray(k, float)
    cdf = special.gammaincc(np.maximum(k, 0)[..., None] + 1, lam[:, None, :])
    return np.where(k < 0, 0.0, (cdf * _GH_W).sum(axis=-1))


def _poisson_quantiles(fit: _Fit, probs) -> np.ndarray:
    """Rate quantiles of the mixture (rows, probs), by bisection on the count."""
    lam = _poisson_lambdas(fit.loc, fit.scale, fit.exposure, fit.multiplier)
    top = np.ceil(lam.max(axis=1) + 10 * np.sqrt(lam.max(axis=1)) + 20)
    lo = np.full((len(lam), len(probs)), -1.0)
    hi = np.repeat(top[:, None], len(probs), axis=1)
    p = np.asarray(probs, float)[None, :]
    while np.any(hi - lo > 1):
        mid = np.floor((lo + hi) / 2)
        ok = _poisson_cdf(mid, lam) >= p
        hi, lo = np.where(ok, mid, hi), np.where(ok, lo, mid)
    return hi * fit.multiplier / fit.exposure[:, None]


# --- the projection: a results object ----------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Projection:
    """What :func:`project` returns: the projection of one series, as a results object.

    ``frame`` holds one row per year in the columns of :data:`schema.PROJECTION_COLUMNS`
    (``loc``/``scale`` on the ``transform`` scale: the predictive distribution of the value is
    ``g^{-1}(Normal(loc, scale))``); read it through :meth:`summary_frame`, which gives a copy.
    The other fields are what :meth:`p_meet` and the explanations need besides the frame.

    Attributes:
        frame: the projection table (do not change it; :meth:`summary_frame` gives a copy).
        bounds: ``(lo, hi)`` natural bounds the transform used; either may be ``None``.
        bound_eps: how close to a bound the ``log``/``logit`` transform goes.
        fit_points: how many of the most recent observations the model was fitted to.
        choice: why the method was used: ``kind`` (``requested``, ``level``, ``trend``,
            ``rule``), ``trend_gain`` and ``step_year`` (``auto``); None when not projected.
        binomial: for ``binomial``: the scale of the underlying ratio per year, the births
            pooled and the years pooled (``births``, ``first_year``, ``last_year``).
        poisson: for ``poisson``: ``rate_multiplier`` and ``exposure`` per year.

    A projection can be written by hand (tests of the assessment need no model): see
    :meth:`from_frame`.
    """

    frame: pd.DataFrame
    bounds: tuple[float | None, float | None] = (None, None)
    bound_eps: float = 0.0
    fit_points: int | None = None
    choice: dict | None = None
    binomial: dict | None = None
    poisson: dict | None = None

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, bounds=None, method: str = LINEAR) -> Projection:
        """A projection written by hand: ``year``, ``mean``, ``lower_95``/``upper_95`` at least.

        Missing columns are filled in on the natural scale: ``loc`` is the mean, ``scale`` half
        the 95% interval over 1.96, the 80% interval follows from them, ``method`` is ``method``,
        ``transform`` identity, and every row is a projected year.

        Examples:
            >>> p = Projection.from_frame(pd.DataFrame({"year": [2030], "mean": [10.0],
            ...                                         "lower_95": [8.04], "upper_95": [11.96]}))
            >>> round(p.p_meet(">=", 10.0), 3), round(p.p_meet("<", 8.04), 3), p.method
            (0.5, 0.025, 'linear')
        """
        out = frame.reset_index(drop=True).copy()
        if schema.LOC not in out:
            out[schema.LOC] = out[schema.MEAN]
        if schema.SCALE not in out:
            out[schema.SCALE] = (out[schema.UPPER_95] - out[schema.LOWER_95]) / (2 * _Z95)
        for col, z in ((schema.LOWER_80, -_Z80), (schema.UPPER_80, _Z80)):
            if col not in out:
                out[col] = out[schema.LOC] + z * out[schema.SCALE]
        defaults = {schema.METHOD: method, schema.TRANSFORM: "identity", schema.IS_PROJECTION: True}
        for col, value in defaults.items():
            if col not in out:
                out[col] = value
        return cls(out[schema.PROJECTION_COLUMNS], bounds=_norm_bounds(bounds),
                   choice={"kind": "requested"})

    @property
    def method(self) -> str:
        """The method used (``insufficient_data`` when nothing could be projected)."""
        return str(self.frame[schema.METHOD].iloc[-1]) if len(self.frame) else INSUFFICIENT_DATA

    @property
    def transform(self) -> str:
        """The scale of ``loc``/``scale``: ``identity``, ``log`` or ``logit``."""
        return str(self.frame[schema.TRANSFORM].iloc[-1]) if len(self.frame) else "identity"

    @property
    def step_year(self) -> int | None:
        """The year of a step change the projection starts from (``auto``), else None."""
        return (self.choice or {}).get("step_year")

    def summary_frame(self) -> pd.DataFrame:
        """One row per year: ``year``, ``mean``, the 80% and 95% limits, ``method``, ``loc``,
        ``scale``, ``transform``, ``is_projection`` (:data:`schema.PROJECTION_COLUMNS`); a copy."""
        return self.frame.copy()

    def at(self, year: int | None = None) -> pd.Series | None:
        """The row of ``year`` (default: the last row, the target year); None if there is none."""
        return _row(self.frame, year)

    def p_meet(self, op: str, threshold: float, year: int | None = None, *, noise: bool = True) -> float:
        """Probability that the value in ``year`` (default: the last row) satisfies ``op threshold``.

        Args:
            op: one of ``>=``, ``>``, ``<=``, ``<``.
            threshold: the target value, in the units of the series.
            year: the year asked about; ``None`` means the last row (the target year).
            noise: include the year's sampling noise.  ``False`` asks about the underlying value
                instead (for ``binomial``: the ratio the births are drawn from, which is what
                趋于平衡 is judged on); other methods have no separate underlying value.

        Returns:
            A probability in [0, 1], from ``loc``/``scale``/``transform``; NaN when the year is
            missing or the projection has no distribution (``insufficient_data``).
        """
        if op not in _OPS:
            raise PlanlibError(Problem(
                message_zh=f"未知的比较符：{op}。", message_en=f"Unknown comparison: {op}.",
                fix_zh="请用 >=、>、<=、< 之一。", fix_en="Use one of >=, >, <=, <.", value=op))
        row = _row(self.frame, year)
        if row is None or not (np.isfinite(row[schema.LOC]) and np.isfinite(row[schema.SCALE])):
            return np.nan
        if not noise and self.binomial and row[schema.METHOD] == BINOMIAL:
            row = row.copy()
            row[schema.SCALE] = self.binomial["underlying_scale"].get(int(row[schema.YEAR]), row[schema.SCALE])
        strict = op in ("<", ">=")  # P(value < t) is needed for "<" and for ">=" = 1 - P(< t)
        if self.poisson and row[schema.METHOD] == POISSON:
            below = _p_below_poisson(row, float(threshold), self.poisson, strict)
        else:
            below = _p_below_continuous(row, float(threshold), self.bounds, strict, self.bound_eps)
        return below if op in ("<", "<=") else 1.0 - below


# --- the projection frame -----------------------------------------------------------------------


def _clip(values: np.ndarray, bounds) -> np.ndarray:
    lo, hi = bounds
    return np.clip(values, -np.inf if lo is None else lo, np.inf if hi is None else hi)


def _projection(years: np.ndarray, n_obs: int, fit: _Fit, method: str, bounds, choice: dict) -> Projection:
    scale = fit.scale
    if fit.exposure is not None:
        q = _poisson_quantiles(fit, [0.10, 0.90, 0.025, 0.975])
    else:
        q = np.column_stack([fit.tf.back(fit.loc + z * scale) for z in (-_Z80, _Z80, -_Z95, _Z95)])
    mean = _clip(fit.tf.back(fit.loc), bounds)
    q = _clip(q, bounds)
    frame = pd.DataFrame({
        schema.YEAR: years.astype(int), schema.MEAN: mean,
        schema.LOWER_80: q[:, 0], schema.UPPER_80: q[:, 1],
        schema.LOWER_95: q[:, 2], schema.UPPER_95: q[:, 3],
        schema.METHOD: method, schema.LOC: fit.loc, schema.SCALE: scale,
        schema.TRANSFORM: fit.tf.kind, schema.IS_PROJECTION: np.arange(len(years)) >= n_obs,
    })
    binomial = poisson = None
    if fit.under is not None:
        binomial = {"underlying_scale": dict(zip(years.astype(int).tolist(), fit.under.tolist())),
                    **(fit.info or {})}
    if fit.exposure is not None:
        poisson = {"rate_multiplier": fit.multiplier,
                   "exposure": dict(zip(years.astype(int).tolist(), fit.exposure.tolist()))}
    return Projection(frame, bounds=bounds, bound_eps=fit.tf.eps, fit_points=fit.fit_points or n_obs,
                      choice=choice, binomial=binomial, poisson=poisson)


def _floored(fit: _Fit, cfg: ForecastConfig) -> _Fit:
    """The fit with ``scale`` at least ``min_scale`` times the size of the series."""
    size = float(np.nanmax(np.abs(fit.loc))) if np.isfinite(fit.loc).any() else 1.0
    scale = np.maximum(fit.scale, cfg.min_scale * max(size, 1.0))
    under = None if fit.under is None else np.maximum(fit.under, cfg.min_scale * max(size, 1.0))
    return _Fit(fit.loc, scale, fit.tf, fit.exposure, fit.multiplier, fit.fit_points, under, fit.info)


def _insufficient(obs: _Obs, years: np.ndarray, bounds) -> Projection:
    n = len(years)
    frame = pd.DataFrame({
        schema.YEAR: years.astype(int), **{c: np.full(n, np.nan) for c in (
            schema.MEAN, schema.LOWER_80, schema.UPPER_80, schema.LOWER_95, schema.UPPER_95)},
        schema.METHOD: INSUFFICIENT_DATA, schema.LOC: np.nan, schema.SCALE: np.nan,
        schema.TRANSFORM: "identity", schema.IS_PROJECTION: np.arange(n) >= len(obs),
    })
    return Projection(frame, bounds=bounds)


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


# --- probability of meeting a threshold ---------------------------------------------------------


def _row(frame: pd.DataFrame, year: int | None):
    if frame.empty:
        return None
    if year is None:
        return frame.iloc[-1]
    hit = frame[frame[schema.YEAR] == int(year)]
    return None if hit.empty else hit.iloc[0]


def _p_below_continuous(row, threshold: float, bounds, strict: bool, eps: float) -> float:
    """P(value < threshold) (``strict``) or P(value <= threshold) on a normal/log/logit scale."""
    lo, hi = bounds
    kind = row[schema.TRANSFORM]
    if lo is not None and (threshold < lo or (strict and threshold == lo)):
        return 0.0
    if hi is not None and (threshold > hi or (not strict and threshold == hi)):
        return 1.0
    if kind == "log" and threshold <= (lo or 0.0):
        return 0.0
    zt = float(_Transform(kind, lo, hi, eps).to(threshold))
    return float(special.ndtr((zt - row[schema.LOC]) / row[schema.SCALE]))


def _p_below_poisson(row, threshold: float, info: dict, strict: bool) -> float:
    exposure = info["exposure"].get(int(row[schema.YEAR]))
    if exposure is None:
        return np.nan
    count = threshold * exposure / info["rate_multiplier"]
    kmax = math.ceil(count - 1e-9) - 1 if strict else math.floor(count + 1e-9)
    lam = _poisson_lambdas(row[schema.LOC], row[schema.SCALE], exposure, info["rate_multiplier"])
    return float(_poisson_cdf(np.array([[kmax]]), lam)[0, 0])


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
