"""The methods themselves: closed-form least squares, damped trend, statsmodels ETS, Poisson and
binomial counts, the naive wide interval; the rolling-origin backtest of a method on the series
itself (its discrepancy widens the intervals) and the :class:`~planlib.forecast.results.Projection`
each fit becomes."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from .. import i18n, schema
from ..errors import PlanlibError, Problem
from .core import (_BACKTESTED, _clean, _mean, _var, _multiplier, _natural_transform, _norm_bounds, _Obs,
    _poisson_cdf, _poisson_lambdas, _Transform, _transform_for, _Z80, _Z95, BINOMIAL, COUNTS_RATIO,
    DAMPED_TREND, ETS_DAMPED, ForecastConfig, INSUFFICIENT_DATA, LEVEL, LINEAR, LOG_LINEAR,
    LOGIT_LINEAR, NAIVE_WIDE, POISSON)
from .results import Projection


# --- least squares (closed form) and damped-trend ETS (statsmodels) ----------------------------


def _ols_closed(t: np.ndarray, z: np.ndarray, t_new: np.ndarray):
    """Straight-line forecast and its prediction variance, in closed form (fast backtests)."""
    # the means and the centred years once each (this runs some 30 times per projection)
    n, tm, zm = len(t), _mean(t), _mean(z)
    tc = t - tm
    sxx = float((tc ** 2).sum())
    slope = float((tc * (z - zm)).sum() / sxx)
    resid = z - zm - slope * tc
    s2 = float(np.sum(resid * resid)) / (n - 2) if n > 2 else 0.0
    ahead = t_new - tm
    pred = zm + slope * ahead
    return pred, s2 * (1 + 1 / n + ahead ** 2 / sxx)


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
    tc = t - _mean(t)
    return float((tc * (z - _mean(z))).sum() / (tc * tc).sum())


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
    tc = t - _mean(t)
    resid = z - _mean(z) - _line_slope(t, z) * tc
    denom = float((resid * resid).sum())
    if denom <= 1e-12 * max(1.0, float((z * z).sum())):
        return 1.0  # an exact line shows nothing either way: keep the full allowance
    return float(np.clip(CURVATURE_GAIN * (resid[1:] * resid[:-1]).sum() / denom, 0.0, 1.0))


def _beyond_noise(t: np.ndarray, z: np.ndarray, cfg: ForecastConfig) -> float:
    """Share of a fitted slope that stands out of its noise: ``max(0, 1 - trend_min_t / |t|)``."""
    if len(t) < 3:
        return 1.0
    tc = t - _mean(t)
    slope = _line_slope(t, z)
    resid = z - _mean(z) - slope * tc
    se = math.sqrt(float((resid * resid).sum()) / (len(t) - 2) / float((tc * tc).sum()))
    if se <= 1e-12 * max(1.0, abs(slope)):
        return 1.0
    return max(0.0, 1.0 - cfg.trend_min_t * se / abs(slope)) if slope else 0.0


def _level_closed(z: np.ndarray, n_new: int):
    """No-trend forecast: the mean of the points, and its prediction variance ``s2 (1 + 1/n)``."""
    n = len(z)
    s2 = float(_var(z)) if n > 1 else 0.0
    return np.full(n_new, float(_mean(z))), np.full(n_new, s2 * (1 + 1 / n))


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


def _reason(key: str, lang: str = "en", **values) -> str:
    """A reason of :data:`planlib.i18n.FORECAST_REASONS` in ``lang``, filled in."""
    return i18n.t(key, lang, i18n.FORECAST_REASONS).format(**values)


def _infeasible(method: str, obs: _Obs, bounds, cfg: ForecastConfig, lang: str = "en") -> str:
    """Why ``method`` cannot be fitted to ``obs`` ("" when it can), in ``lang``."""
    key, values = _infeasible_key(method, obs, bounds, cfg)
    return _reason(key, lang, **values) if key else ""


def _infeasible_key(method: str, obs: _Obs, bounds, cfg: ForecastConfig) -> tuple[str, dict]:
    n, lo, hi, x = len(obs), bounds[0], bounds[1], obs.x
    if method == POISSON:
        return ("", {}) if obs.has_counts else ("needs_counts", {})
    if method == BINOMIAL:
        if cfg.counts != COUNTS_RATIO:
            return "needs_ratio_counts", {}
        return ("", {}) if obs.has_counts else ("needs_counts", {})
    if method == NAIVE_WIDE:
        return ("", {}) if n >= 2 else ("needs_two", {})
    if method == ETS_DAMPED:
        if n < cfg.ets_min_points or not _is_annual(obs.t):
            return "needs_annual", {"n": cfg.ets_min_points}
        return "", {}
    if n < cfg.min_points_trend:
        return "needs_points", {"n": cfg.min_points_trend}
    if method == LOG_LINEAR and not np.all(x > (lo or 0.0)):
        return "needs_positive", {}
    if method == LOGIT_LINEAR and (lo is None or hi is None or not np.all((x >= lo) & (x <= hi))):
        return "needs_bounds", {}
    return "", {}


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
        # back-transformed for the whole horizon at once (element-wise: the same numbers)
        for j, p, back, v in zip(ahead, pred, tf.back(pred), var):
            rows.append((k, j, t[j] - t[k - 1], float(back), z[j] - p, v))
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
    reason = _infeasible(method, obs, bounds, cfg) if method in _BACKTESTED else _reason("not_backtested")
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


# --- the projection frame -----------------------------------------------------------------------


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
