"""What every part of the forecast shares: the method names, :class:`ForecastConfig`, the
transforms (identity, log, logit), the cleaned series and the Poisson-lognormal mixture."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from .. import schema
from ..errors import PlanlibError, Problem


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
    cols = {c: _as_floats(series[c]) for c in (schema.YEAR, schema.VALUE, schema.NUMERATOR, schema.DENOMINATOR)
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


def _mean(a: np.ndarray) -> np.float64:
    """The mean of a 1-D float array: ``a.mean()`` without its overhead, the same number (a
    NumPy float, as ``a.mean()`` gives).

    ``ndarray.mean`` sums with the same ``np.add.reduce`` and divides by the count; its
    bookkeeping (counting the items, checking the dtype) costs more than the sum of a few
    points, and the forecasts take tens of thousands of such means per plan.

    Examples:
        >>> a = np.array([0.1, 0.2, 0.7, 1e-17, 3.3])
        >>> bool(_mean(a) == a.mean()), float(_mean(np.array([2.0, 4.0])))
        (True, 3.0)
    """
    return a.sum() / len(a)


def _var(a: np.ndarray) -> np.float64:
    """The sample variance (``ddof=1``) of a 1-D float array: ``np.var(a, ddof=1)``, the same
    number, computed the way NumPy does (the mean, the squared deviations summed, divided).

    Examples:
        >>> a = np.array([0.1, 0.2, 0.7, 1e-17, 3.3])
        >>> bool(_var(a) == np.var(a, ddof=1))
        True
    """
    d = a - _mean(a)
    return (d * d).sum() / (len(a) - 1)


def _as_floats(column: pd.Series) -> np.ndarray:
    """A column as floats, anything that is not a number NaN.

    A column that already holds NumPy floats or integers (what the store and the assessment
    give) is converted directly: ``pd.to_numeric`` would return it unchanged, and it is a
    quarter of the time of a whole projection.

    Examples:
        >>> _as_floats(pd.Series([2020, 2021])).tolist(), _as_floats(pd.Series(["1.5", "x"])).tolist()
        ([2020.0, 2021.0], [1.5, nan])
    """
    if isinstance(column.dtype, np.dtype) and column.dtype.kind in "fiu":
        return column.to_numpy(float)
    return pd.to_numeric(column, errors="coerce").to_numpy(float)


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
