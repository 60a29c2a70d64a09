"""How ``auto`` chooses a method: step changes (:func:`find_step`), the candidates, their backtest
scores and the rules (:func:`choose_method`)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .. import schema
from .core import (_clean, _mean, _norm_bounds, _Obs, _transform_for, BINOMIAL, COUNTS_RATIO, ETS_DAMPED,
    ForecastConfig, INSUFFICIENT_DATA, LEVEL, LINEAR, METHODS, NAIVE_WIDE, POISSON, TREND_METHODS)
from .methods import _backtest, _candidates, _infeasible, _line_slope, _ols_closed, _reason


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
        sse = float(((a - _mean(a)) ** 2).sum() + ((b - _mean(b)) ** 2).sum())
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

#: The reason (a key of :data:`planlib.i18n.FORECAST_REASONS`) of each method fixed by rule.
_RULE_REASONS = {
    INSUFFICIENT_DATA: "rule_insufficient",
    POISSON: "rule_poisson",
    BINOMIAL: "rule_binomial",
    NAIVE_WIDE: "rule_short",
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
                  dropped: dict, lang: str = "en") -> pd.DataFrame:
    rows = []
    for m in METHODS:
        for w in sorted({c[1] for c in (*scores, *dropped) if c[0] == m} or {None},
                        key=lambda v: v or 0):
            drop = dropped.get((m, w))
            reason = _reason(drop[0], lang, **drop[1]) if drop else _infeasible(m, obs, bounds, cfg, lang)
            if (m, w) == chosen:
                reason = _reason(_RULE_REASONS[ruled] if ruled else _chosen_reason(m), lang)
            elif not reason and (m, w) not in scores:
                reason = _reason("decided_by_rule" if ruled else "not_candidate", lang)
            elif not reason:
                reason = _reason("larger_error", lang)
            mae, n = scores.get((m, w), (np.nan, 0))
            rows.append((m, w or len(obs), (m, w) in scores, mae, n, (m, w) == chosen, reason))
    return pd.DataFrame(rows, columns=[schema.METHOD, "fit_points", "candidate", "mae",
                                       "n_forecasts", "chosen", "reason"])


def _chosen_reason(method: str) -> str:
    return "chosen_level" if method == LEVEL else "chosen_trend"


def _slope_t(obs: _Obs, cand: tuple[str, int | None], bounds, cfg: ForecastConfig) -> float:
    """|slope / standard error| of the straight line a candidate fits (inf for a perfect line)."""
    fit = obs.tail(cand[1])
    z = _transform_for(cand[0], bounds, cfg, obs.x).to(fit.x)
    t = fit.t - _mean(fit.t)
    if len(t) < 3:
        return math.inf
    slope = _line_slope(fit.t, z)
    resid = z - _mean(z) - slope * t
    s2 = float((resid * resid).sum()) / (len(t) - 2)
    se = math.sqrt(s2 / float((t * t).sum()))
    return math.inf if se <= 1e-12 * max(1.0, abs(slope)) else abs(slope) / se


def _choose(obs: _Obs, bounds, cfg: ForecastConfig, target_year: int | None):
    """``(method, window, scores, ruled, dropped)``: what ``auto`` fits and why."""
    ruled = _rule_method(obs, cfg)
    cands = [] if ruled else _candidates(obs, bounds, cfg)
    dropped = {c: ("leaves_bounds", {"year": target_year}) for c in cands
               if c[0] in (LINEAR, ETS_DAMPED) and _leaves_bounds(obs, bounds, target_year, c[1])}
    dropped.update({c: ("slope_noise", {"t": f"{cfg.trend_min_t:g}"})
                    for c in cands if c not in dropped and c[0] in TREND_METHODS
                    and c[0] != ETS_DAMPED and _slope_t(obs, c, bounds, cfg) < cfg.trend_min_t})
    scores = _score_candidates(obs, [c for c in cands if c not in dropped], bounds, cfg)
    chosen = (ruled, None) if ruled else (_pick(scores, cfg) if scores else (NAIVE_WIDE, None))
    return chosen, scores, ruled, dropped


def choose_method(series: pd.DataFrame, bounds=None, config: ForecastConfig | None = None, *,
                  target_year: int | None = None, lang: str = "en") -> tuple[str, pd.DataFrame]:
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
        lang: language of the table's ``reason`` (``"zh"`` or ``"en"``; the words are in
            :data:`planlib.i18n.FORECAST_REASONS`).

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
    return chosen[0], _choice_table(obs, bounds, cfg, scores, chosen, ruled, dropped, lang)
