"""Calibration of the at-risk flags: are the probabilities ``planlib assess`` gives honest?

A *family* draws a county-like series for 2015-2024 from a stated process, one more ordinary
year (2025) and the 2030 value from the same process, and knows the probability that the 2030
value meets the target.  :func:`calibration_cases` assesses every draw the way ``planlib
assess`` does (:func:`planlib.assessment.assess_detail`), so the figures are those of the flags
leadership sees; :func:`real_calibration` does the same on real series (the hold-out windows of
:mod:`planlib.forecast.backtest`).  ``benchmarks/calibration.py`` reports them.

It sits above the assessment (which sits above the forecast), so that the forecast's own
hold-out evaluation (:mod:`planlib.forecast.backtest`) never imports upwards.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from . import schema
from .assessment import AssessConfig, assess_detail, project_series
from .forecast import AUTO, ForecastConfig
from .forecast.backtest import BASELINES, Window, baseline_points, holdout_forecasts, meets
from .targets import parse_target


FIRST_YEAR, LAST_YEAR, EXTRA_YEAR, GOAL_YEAR = 2015, 2024, 2025, 2030
#: True probability of meeting at or above which a flag (at risk, off track) is a false alarm.
NEAR_CERTAIN = 0.99
FLAGGED = ("at_risk", "off_track")
#: The method name of a family's known-form reference (:class:`Family`).
KNOWN_FORM = "known_form"


@dataclass(frozen=True)
class Case:
    """One simulated series with its known future.

    Attributes:
        series: ``year``, ``value`` (and ``numerator``, ``denominator``) for 2015-2024.
        extra: the same columns for 2025 alone (one more ordinary year).
        truth: the 2030 value drawn from the same process (``noisy_ratio``: the annual ratio).
        met: whether the target is met in 2030 (``noisy_ratio``: whether the underlying ratio
            lies in the normal band, which is what 趋于平衡 is judged on).
        p_true: the probability of meeting, known by construction.
        target_text: the target as the catalogue would print it.
    """

    series: pd.DataFrame
    extra: pd.DataFrame
    truth: float
    met: bool
    p_true: float
    target_text: str


@dataclass(frozen=True)
class Family:
    """A process that draws :class:`Case` objects: its name, what it imitates, and its unit.

    ``known_form``, where the process is simple enough, gives the probability of meeting that a
    forecaster who knows the *form* of the process but not its parameters would give: for a
    straight line or a constant level under normal noise the exact predictive (Student t) of
    ten points under flat priors, the reference an honest method cannot beat on average; for
    rare events the log-linear Poisson model among births (:func:`_known_poisson`); for a
    drifting share the local-level model (:func:`_known_local_level`, a plug-in, so somewhat
    overconfident). The benchmark reports its Brier score and flip rate beside auto's.
    ``flags_from_p`` is False where the status comes from a rule of its own rather than from
    ``p_meet`` and the two cut-offs (趋于平衡: the balance rule).
    """

    name: str
    description: str
    unit: str
    draw: object  # Callable[[np.random.Generator], Case]
    known_form: object = None  # Callable[[Case], float] | None
    flags_from_p: bool = True  # False: the status comes from a rule of its own (趋于平衡)


def _case(values: np.ndarray, met: bool, p_true: float, target: str,
          counts: tuple[np.ndarray, np.ndarray] | None = None, truth: float | None = None) -> Case:
    years = np.arange(FIRST_YEAR, GOAL_YEAR + 1)
    frame = pd.DataFrame({schema.YEAR: years, schema.VALUE: values})
    if counts is not None:
        frame[schema.NUMERATOR], frame[schema.DENOMINATOR] = counts
    seen = frame[frame[schema.YEAR] <= LAST_YEAR].reset_index(drop=True)
    extra = frame[frame[schema.YEAR] == EXTRA_YEAR].reset_index(drop=True)
    return Case(seen, extra, float(values[-1] if truth is None else truth), bool(met),
                float(p_true), target)


def _norm_sf(z: float) -> float:
    from scipy import special

    return float(special.ndtr(-z))


def _n_years() -> int:
    return GOAL_YEAR - FIRST_YEAR + 1


def _near_bound(rng: np.random.Generator) -> Case:
    from scipy import special

    centre, sd = special.logit(rng.uniform(0.985, 0.995)), rng.uniform(0.25, 0.45)
    values = np.round(100 * special.expit(centre + sd * rng.standard_normal(_n_years())), 1)
    p_true = _norm_sf((special.logit(0.9595) - centre) / sd)  # >= 96 after rounding to 0.1
    return _case(values, values[-1] >= 96, p_true, "≥ 96")


def _step(rng: np.random.Generator) -> Case:
    years = np.arange(FIRST_YEAR, GOAL_YEAR + 1)
    values = np.where(years >= int(rng.integers(2017, 2022)), 100.0, 0.0)
    return _case(values, True, 1.0, "100")


def _flat_share(rng: np.random.Generator) -> Case:
    level, sd = rng.uniform(30, 50), rng.uniform(1.0, 2.5)
    values = np.round(level + sd * rng.standard_normal(_n_years()), 1)
    threshold = round(level + 0.6745 * sd, 1) - 0.05  # P(value >= threshold) = 0.25 after rounding
    p_true = _norm_sf((threshold - level) / sd)
    return _case(values, values[-1] >= threshold, p_true, f"≥ {threshold:.2f}")


def _steady_trend(rng: np.random.Generator) -> Case:
    start, slope, sd = rng.uniform(40, 60), rng.uniform(0.8, 2.0), rng.uniform(0.8, 1.5)
    mean = start + slope * np.arange(_n_years())
    values = np.round(mean + sd * rng.standard_normal(_n_years()), 1)
    threshold = round(mean[-1] - 1.6449 * sd, 1) - 0.05  # P(value >= threshold) = 0.95
    p_true = _norm_sf((threshold - mean[-1]) / sd)
    return _case(values, values[-1] >= threshold, p_true, f"≥ {threshold:.2f}")


def _p_at_least(case: Case, centre: float, se: float, df: int) -> float:
    """P(value >= the case's threshold) under a Student t predictive."""
    from scipy import stats

    threshold = parse_target(case.target_text).value
    return float(stats.t.sf((threshold - centre) / se, df))


def _known_line(case: Case) -> float:
    """The straight-line predictive of the 2030 value (OLS on year, t with n - 2 df).

    Examples:
        >>> case = _case(np.r_[np.arange(10.0) + np.tile([0.5, -0.5], 5), np.zeros(6)], True, 0.95, "≥ 12.00")
        >>> round(_known_line(case), 2)
        0.99
    """
    t = case.series[schema.YEAR].to_numpy(float) - FIRST_YEAR
    y = case.series[schema.VALUE].to_numpy(float)
    n, tc = len(t), t - t.mean()
    slope = float((tc * (y - y.mean())).sum() / (tc * tc).sum())
    resid = y - y.mean() - slope * tc
    s2 = float((resid * resid).sum()) / (n - 2)
    h = GOAL_YEAR - FIRST_YEAR - t.mean()
    se = math.sqrt(s2 * (1 + 1 / n + h * h / float((tc * tc).sum())))
    return _p_at_least(case, float(y.mean() + slope * h), se, n - 2)


def _known_level(case: Case) -> float:
    """The constant-level predictive of the 2030 value (mean and sd, t with n - 1 df)."""
    y = case.series[schema.VALUE].to_numpy(float)
    n = len(y)
    return _p_at_least(case, float(y.mean()), float(y.std(ddof=1)) * math.sqrt(1 + 1 / n), n - 1)


def _most_deaths_below(threshold: float, births: float) -> int:
    """The most deaths among ``births`` whose rate per 1,000 is still below ``threshold``.

    Examples:
        >>> _most_deaths_below(5.2, 100_000), _most_deaths_below(5.0, 1000)
        (519, 4)
    """
    return math.ceil(threshold * births / 1000 - 1e-9) - 1


def _known_poisson(case: Case) -> float:
    """The log-linear Poisson predictive of the 2030 rate among births.

    A forecaster who knows that deaths are Poisson with the births as exposure and a rate that
    changes by a constant factor a year: the maximum-likelihood fit (statsmodels ``GLM``), its
    coefficients' normal approximation integrated over (Gauss-Hermite, 40 nodes), and the 2030
    births carried on at their own average rate of change.

    Examples:
        >>> case = draw_cases(FAMILIES[4], 1)[0]
        >>> 0.0 <= _known_poisson(case) <= 1.0
        True
    """
    import statsmodels.api as sm
    from scipy import stats

    t = case.series[schema.YEAR].to_numpy(float) - FIRST_YEAR
    deaths = case.series[schema.NUMERATOR].to_numpy(float)
    births = case.series[schema.DENOMINATOR].to_numpy(float)
    design = sm.add_constant(t - t.mean())
    fit = sm.GLM(deaths, design, family=sm.families.Poisson(), offset=np.log(births)).fit()
    at = np.array([1.0, GOAL_YEAR - FIRST_YEAR - t.mean()])
    eta, se = float(at @ fit.params), math.sqrt(float(at @ fit.cov_params() @ at))
    births_goal = births[-1] * (births[-1] / births[0]) ** ((GOAL_YEAR - FIRST_YEAR - t[-1]) / (t[-1] - t[0]))
    kmax = _most_deaths_below(parse_target(case.target_text).value, births_goal)
    nodes, weights = np.polynomial.hermite_e.hermegauss(40)
    return float((weights * stats.poisson.cdf(kmax, births_goal * np.exp(eta + se * nodes))).sum()
                 / weights.sum())


def _known_local_level(case: Case) -> float:
    """The local-level predictive (a random walk under noise) of the 2030 value.

    Maximum likelihood of both variances (statsmodels ``UnobservedComponents``) and its normal
    forecast: a plug-in, which ignores how uncertain ten points leave the two variances, so it
    is somewhat overconfident (its 95% interval covers less than 95%).

    Examples:
        >>> case = draw_cases(FAMILIES[6], 1)[0]
        >>> 0.0 <= _known_local_level(case) <= 1.0
        True
    """
    import warnings

    from statsmodels.tsa.statespace.structural import UnobservedComponents

    values = case.series[schema.VALUE].to_numpy(float)
    with warnings.catch_warnings():  # ten points: the optimiser may warn of a variance at 0
        warnings.simplefilter("ignore")
        fit = UnobservedComponents(values, "local level").fit(disp=False)
    forecast = fit.get_forecast(GOAL_YEAR - int(case.series[schema.YEAR].iloc[-1]))
    centre, var = float(forecast.predicted_mean[-1]), float(forecast.var_pred_mean[-1])
    return _norm_sf((parse_target(case.target_text).value - centre) / math.sqrt(var))


def _rare_events(rng: np.random.Generator) -> Case:
    from scipy import stats

    t = np.arange(_n_years())
    births = np.round(rng.uniform(3000, 4500) * 0.98 ** t)
    rate = rng.uniform(3.0, 7.0) * rng.uniform(0.93, 1.0) ** t  # per 1000 live births
    deaths = rng.poisson(births * rate / 1000).astype(float)
    threshold = round(float(rate[-1] * rng.uniform(0.7, 1.6)), 2)
    kmax = _most_deaths_below(threshold, births[-1])
    p_true = float(stats.poisson.cdf(kmax, births[-1] * rate[-1] / 1000))
    values = deaths / births * 1000
    return _case(values, values[-1] < threshold, p_true, f"< {threshold:.2f}", (deaths, births))


def _noisy_ratio(rng: np.random.Generator) -> Case:
    years = np.arange(FIRST_YEAR, GOAL_YEAR + 1)
    births = np.round(rng.uniform(3000, 4500) * 0.98 ** (years - FIRST_YEAR))
    start = rng.uniform(102, 112)  # the county's ratio normalised, or stays high
    end = rng.uniform(103.5, 106.5) if rng.random() < 0.5 else rng.uniform(108.5, 112)
    under = np.interp(years, [FIRST_YEAR, LAST_YEAR, GOAL_YEAR], [start, end, end])
    boys = rng.binomial(births.astype(int), under / (100 + under)).astype(float)
    girls = births - boys
    met = 103 <= end <= 107
    return _case(boys / girls * 100, met, float(met), "趋于平衡", (boys, girls))


def _drifting_share(rng: np.random.Generator) -> Case:
    step_sd, noise = rng.uniform(0.4, 1.0), rng.uniform(0.5, 1.5)
    walk = np.r_[0.0, step_sd * rng.standard_normal(_n_years() - 1)]
    level = rng.uniform(30, 60) + np.cumsum(walk)
    values = np.round(level + noise * rng.standard_normal(_n_years()), 1)
    threshold = round(float(level[0]) + 2.0, 1) - 0.05
    spread = math.hypot(step_sd * math.sqrt(GOAL_YEAR - LAST_YEAR), noise)
    p_true = _norm_sf((threshold - level[LAST_YEAR - FIRST_YEAR]) / spread)
    return _case(values, values[-1] >= threshold, p_true, f"≥ {threshold:.2f}")


#: The simulated families of the calibration benchmark (``benchmarks/calibration.py``).
FAMILIES = (
    Family("near_bound", "rate steady at 97-100% (retention, coverage), logit-normal noise, "
           "target ≥ 96", "%", _near_bound),
    Family("step", "coverage switched from 0 to 100 in 2017-2021 (a new institution) and "
           "stays; target 100", "%", _step),
    Family("flat_share", "flat noisy share (30-50%, sd 1-2.5) with a 25% chance of meeting "
           "its target", "%", _flat_share, _known_level),
    Family("steady_trend", "rate rising 0.8-2 points a year, sd 0.8-1.5, meets its target "
           "in 95% of cases", "%", _steady_trend, _known_line),
    Family("rare_events", "infant deaths (Poisson) among 3,000-4,500 births a year, rate 3-7‰ "
           "falling 0-7% a year; target < 0.7-1.6 times the 2030 rate", "‰", _rare_events,
           _known_poisson),
    Family("noisy_ratio", "sex ratio at birth, boys ~ Binomial(births, p), underlying ratio "
           "moving from 102-112 into the normal band (103.5-106.5) or staying high (108.5-112); "
           "target 趋于平衡 (103-107)", "女=100", _noisy_ratio, flags_from_p=False),
    Family("drifting_share", "share whose level wanders (random walk, sd 0.4-1 a year) under "
           "noise; target its 2015 level + 2", "%", _drifting_share, _known_local_level),
)


#: The real data sets of the benchmark: its results' names and ``data/calibration.csv``'s.
FERTILITY, NATIONAL_MORTALITY = "wb_fertility", "china_mortality"
#: The pooled data sets of ``data/calibration.csv`` (and of the reliability diagram): the
#: simulated families whose status comes from ``p_meet`` and the two cut-offs, and the real
#: data sets. A family whose status comes from a rule of its own (:data:`OWN_RULE`) stays out,
#: since its ``p_meet`` is not what its status says.
SIMULATED, REAL = "simulated", "real"
POOLS = {SIMULATED: tuple(f.name for f in FAMILIES if f.flags_from_p), REAL: (FERTILITY, NATIONAL_MORTALITY)}
#: The simulated families whose status comes from a rule of their own (趋于平衡), shown apart.
OWN_RULE = tuple(f.name for f in FAMILIES if not f.flags_from_p)


def draw_cases(family: Family, n: int, seed: int = 0) -> list[Case]:
    """``n`` reproducible draws of a family.

    Examples:
        >>> cases = draw_cases(FAMILIES[1], 2)
        >>> [float(c.series["value"].iloc[-1]) for c in cases], [c.met for c in cases]
        ([100.0, 100.0], [True, True])
    """
    rng = np.random.default_rng([seed, FAMILIES.index(family) if family in FAMILIES else 99])
    return [family.draw(rng) for _ in range(n)]


def _assess_cases(cases: list[Case], unit: str, extra: bool, as_of: int | None = None) -> pd.DataFrame:
    """``assess_detail`` of every case at once (one catalogue row per case), as of ``as_of``."""

    ids = [f"S{i:04d}" for i in range(len(cases))]
    catalog = pd.DataFrame({schema.INDICATOR_ID: ids, schema.NAME_ZH: ids, schema.UNIT: unit,
                            schema.TARGET_TEXT: [c.target_text for c in cases],
                            schema.TARGET_YEAR: GOAL_YEAR})
    frames = [pd.concat([c.series, c.extra]) if extra else c.series for c in cases]
    obs = pd.concat([f.assign(**{schema.INDICATOR_ID: i}) for i, f in zip(ids, frames)],
                    ignore_index=True)
    return assess_detail(catalog, obs, as_of=as_of).set_index(schema.INDICATOR_ID).loc[ids].reset_index()


def _flag_class(status: str) -> str:
    return status if status in FLAGGED else "not_flagged"


def _known_form_row(family: Family, case: Case, target) -> dict:
    """The known-form reference's probability, and the flag it would give now and with one
    more ordinary year (the same status rule as ``planlib assess``: :func:`status_of`), so that
    its flip rate shows how often even the exact predictive changes its flag."""

    def flag(c: Case) -> tuple[float, str]:
        p = family.known_form(c)
        return p, status_of(p, bool(target.is_met(float(c.series[schema.VALUE].iloc[-1]))))

    p, status = flag(case)
    later = replace(case, series=pd.concat([case.series, case.extra], ignore_index=True))
    p_next, status_next = flag(later)
    return {"method": KNOWN_FORM, "p_meet": p, "status": status, "status_next": status_next,
            "p_next": p_next}


def calibration_cases(family: Family, cases: list[Case]) -> pd.DataFrame:
    """Every case of a family assessed as ``planlib assess`` would, beside the baselines.

    Returns:
        One row per case and method (``auto``, the three baselines and, where the family has
        one, its known-form reference): ``p_meet``, ``met``,
        ``p_true``, ``truth``; for ``auto`` and the known-form reference also ``status`` and
        ``status_next`` and ``p_next`` (with 2025 added); for ``auto`` the 80% and 95% limits.
    """

    now, later = _assess_cases(cases, family.unit, False), _assess_cases(cases, family.unit, True)
    rows = []
    for i, case in enumerate(cases):
        proj = project_series(case.series, family.unit, GOAL_YEAR).at()
        rows.append({"method": AUTO, "p_meet": now["p_meet"].iloc[i], "status": now["status"].iloc[i],
                     "status_next": later["status"].iloc[i], "p_next": later["p_meet"].iloc[i],
                     "used": now[schema.METHOD].iloc[i],
                     **{c: proj[c] for c in (schema.LOWER_80, schema.UPPER_80, schema.LOWER_95,
                                             schema.UPPER_95)}})
        target = parse_target(case.target_text)
        points = baseline_points(case.series[schema.YEAR].to_numpy(),
                                  case.series[schema.VALUE].to_numpy(float), GOAL_YEAR)
        added = [{"method": b, "p_meet": float(bool(target.is_met(v))) if np.isfinite(v) else 0.0}
                 for b, v in points.items()]
        if family.known_form is not None:
            added.append(_known_form_row(family, case, target))
        rows += added
        for row in rows[-len(added) - 1:]:
            row.update(case=i, family=family.name, met=case.met, p_true=case.p_true,
                       truth=case.truth)
    return pd.DataFrame(rows)


def calibration_score(forecasts: pd.DataFrame) -> pd.DataFrame:
    """Brier score per method, and for ``auto`` the coverage, false alarms and flips.

    ``false_alarm``: share flagged (at risk or off track) among cases whose true probability of
    meeting is at least :data:`NEAR_CERTAIN` (NaN when there are none); ``flip``: share whose
    flag (not flagged / at risk / off track) changes when one more ordinary year is added.

    Examples:
        >>> f = pd.DataFrame({"method": ["auto", "auto", "last_value", "last_value"],
        ...                   "p_meet": [0.9, 0.2, 1.0, 1.0], "met": [True, False, True, False],
        ...                   "p_true": [0.99, 0.1, 0.99, 0.1], "truth": [5.0, 1.0, 5.0, 1.0],
        ...                   "lower_80": [4.0, 2.0, None, None], "upper_80": [6.0, 3.0, None, None],
        ...                   "lower_95": [3.0, 0.0, None, None], "upper_95": [7.0, 4.0, None, None],
        ...                   "status": ["on_track", "off_track", None, None],
        ...                   "status_next": ["at_risk", "off_track", None, None]})
        >>> calibration_score(f).round(3).to_dict("index")["auto"]
        {'n': 2.0, 'brier': 0.025, 'coverage_80': 0.5, 'coverage_95': 1.0, 'false_alarm': 0.0, 'flagged': 0.5, 'flip': 0.5}
    """
    out = {}
    for method, part in forecasts.groupby("method", sort=False):
        row = {"n": float(len(part)),
               "brier": float(((part["p_meet"] - part["met"].astype(float)) ** 2).mean())}
        if method == AUTO:
            for level in ("80", "95"):
                lo, hi = part[f"lower_{level}"], part[f"upper_{level}"]
                row[f"coverage_{level}"] = float(((lo <= part["truth"]) & (part["truth"] <= hi)).mean())
            sure = part[part["p_true"] >= NEAR_CERTAIN]
            row["false_alarm"] = float(sure["status"].isin(FLAGGED).mean()) if len(sure) else np.nan
        if method in (AUTO, KNOWN_FORM):
            row["flagged"] = float(part["status"].isin(FLAGGED).mean())
            row["flip"] = float((part["status"].map(_flag_class)
                                 != part["status_next"].map(_flag_class)).mean())
        out[method] = row
    order = [m for m in (AUTO, *BASELINES, KNOWN_FORM) if m in out]
    return pd.DataFrame(out).T.loc[order]


def held_flag(previous: str | None, now: str, p: float, band: float,
              config: AssessConfig | None = None) -> str:
    """The flag (:data:`FLAG_CLASSES`) of a flag with memory: ``now``, the flag today's rule gives
    ``p_meet`` = ``p``, unless ``p`` lies within ``band`` of the cut-off between ``now`` and the
    ``previous`` flag; then ``previous``. A move across both cut-offs at once is never held.

    Not what ``planlib assess`` does: the figures behind the choice the flip goal leaves
    (``docs/benchmarks.md``). Meaningful only where the flags come from ``p_meet`` and the two
    cut-offs (``Family.flags_from_p``).

    Examples:
        >>> held_flag("not_flagged", "at_risk", 0.70, 0.10), held_flag("not_flagged", "at_risk", 0.60, 0.10)
        ('not_flagged', 'at_risk')
        >>> held_flag("off_track", "at_risk", 0.30, 0.10), held_flag("off_track", "not_flagged", 0.80, 0.10)
        ('off_track', 'not_flagged')
        >>> held_flag(None, "at_risk", 0.70, 0.10), held_flag("not_flagged", "at_risk", 0.70, 0.0)
        ('at_risk', 'at_risk')
    """
    cfg = config or AssessConfig()
    cuts = {frozenset(("not_flagged", "at_risk")): cfg.on_track,
            frozenset(("at_risk", "off_track")): cfg.at_risk}
    cut = cuts.get(frozenset((previous, now))) if previous is not None else None
    return previous if cut is not None and cut - band <= p < cut + band else now


def flag_history(family: Family, cases: list[Case], config: AssessConfig | None = None,
                 forecasts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every case assessed as ``planlib assess --as-of`` would in each year of the plan period up
    to the extra year (``plan_start``, 2021, to 2025): what a flag with memory carries.

    Args:
        forecasts: :func:`calibration_cases` of the same ``cases``, if already made: its ``auto``
            rows are the assessments of 2024 (``p_meet``, ``status``) and 2025 (``p_next``,
            ``status_next``), so those two years are taken from it instead of assessed again.

    Returns:
        One row per case and year: ``case``, ``year``, ``p_meet``, ``flag`` (:data:`FLAG_CLASSES`),
        ``met``, ``p_true``.
    """
    cfg = config or AssessConfig()
    known = {}
    if forecasts is not None:
        auto = forecasts[forecasts["method"] == AUTO].sort_values("case", kind="stable")
        known = {LAST_YEAR: (auto["p_meet"], auto["status"]),
                 EXTRA_YEAR: (auto["p_next"], auto["status_next"])}
    frames = []
    for year in range(cfg.plan_start, EXTRA_YEAR + 1):
        if year in known:
            p, status = known[year]
        else:
            out = _assess_cases(cases, family.unit, True, as_of=year)
            p, status = out["p_meet"], out["status"]
        frames.append(pd.DataFrame({"case": np.arange(len(cases)), "year": year,
                                    "p_meet": p.to_numpy(float),
                                    "flag": status.map(_flag_class).to_numpy(),
                                    "met": [c.met for c in cases], "p_true": [c.p_true for c in cases]}))
    return pd.concat(frames, ignore_index=True)


def carried_flags(history: pd.DataFrame, band: float, config: AssessConfig | None = None) -> pd.DataFrame:
    """``history`` (:func:`flag_history`) with ``held``: the flag of a flag with memory
    (:func:`held_flag`), carried from year to year from each case's first year.

    Examples:
        >>> h = pd.DataFrame({"case": 0, "year": [2021, 2022, 2023], "p_meet": [0.8, 0.7, 0.6],
        ...                   "flag": ["not_flagged", "at_risk", "at_risk"]})
        >>> carried_flags(h, 0.10)["held"].tolist()
        ['not_flagged', 'not_flagged', 'at_risk']
    """
    out = history.sort_values(["case", "year"], kind="stable").reset_index(drop=True)
    held, last_case, previous = [], None, None
    for case, flag, p in zip(out["case"], out["flag"], out["p_meet"]):
        previous = held_flag(previous if case == last_case else None, flag, p, band, config)
        held.append(previous)
        last_case = case
    return out.assign(held=held)


def held_scores(history: pd.DataFrame, band: float) -> dict[str, float]:
    """What a flag with memory (``band``) would give in the benchmark's year (2024): ``flip``, the
    share whose flag changes with the extra year (2025); ``flagged``; ``false_alarm`` (flagged
    where meeting is near-certain, NaN where there are none); ``met_at_risk``, the share of the
    at-risk cases that met (NaN where there are none).

    Examples:
        >>> h = pd.DataFrame({"case": [0, 0, 1, 1], "year": [2024, 2025] * 2, "p_meet": [0.7, 0.8, 0.5, 0.5],
        ...                   "flag": ["at_risk", "not_flagged", "at_risk", "at_risk"],
        ...                   "met": [True, True, False, False], "p_true": [0.8, 0.8, 0.4, 0.4]})
        >>> held_scores(h, 0.0)["flip"], held_scores(h, 0.10)["flip"], held_scores(h, 0.10)["met_at_risk"]
        (0.5, 0.0, 0.5)
    """
    flags = carried_flags(history, band).pivot(index="case", columns="year", values="held")
    cases = history.drop_duplicates("case").set_index("case").loc[flags.index]
    now, later = flags[LAST_YEAR], flags[EXTRA_YEAR]
    flagged = now.isin(FLAGGED)
    sure = cases["p_true"] >= NEAR_CERTAIN
    at_risk = now == schema.AT_RISK
    return {"flip": float((now != later).mean()), "flagged": float(flagged.mean()),
            "false_alarm": float(flagged[sure].mean()) if sure.any() else np.nan,
            "met_at_risk": float(cases.loc[at_risk, "met"].mean()) if at_risk.any() else np.nan}


#: The flags of :func:`flag_reliability`, in the order a report lists them.
FLAG_CLASSES = ("not_flagged", "at_risk", "off_track")
#: The columns of ``data/calibration.csv`` (:func:`flag_reliability`, one row per data set and flag).
RELIABILITY_COLUMNS = ["data", "flag", "n", "mean_p_meet", "share_met"]


def flag_reliability(results: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """How often cases met their target, by the flag ``auto`` gave them: the evidence a report
    quotes for its flags.

    Args:
        results: data set name -> forecasts (:func:`calibration_cases`, :func:`real_calibration`).

    Returns:
        :data:`RELIABILITY_COLUMNS`: for every data set, a row per flag of :data:`FLAG_CLASSES`
        that occurs and a row ``all``; ``share_met`` is the share of those cases that met.

    Examples:
        >>> f = pd.DataFrame({"method": "auto", "p_meet": [0.9, 0.5, 0.6, 0.1],
        ...                   "status": ["on_track", "at_risk", "at_risk", "off_track"],
        ...                   "met": [True, True, False, False]})
        >>> flag_reliability({"x": f})[["flag", "n", "share_met"]].to_numpy().tolist()
        [['not_flagged', 1, 1.0], ['at_risk', 2, 0.5], ['off_track', 1, 0.0], ['all', 4, 0.5]]
    """
    rows = []
    for name, forecasts in results.items():
        auto = forecasts[forecasts["method"] == AUTO]
        flags = auto["status"].map(_flag_class)
        groups = [(flag, auto[flags == flag]) for flag in FLAG_CLASSES] + [("all", auto)]
        rows += [(name, flag, len(part), float(part["p_meet"].mean()), float(part["met"].mean()))
                 for flag, part in groups if len(part)]
    return pd.DataFrame(rows, columns=RELIABILITY_COLUMNS)


def status_of(p: float, met_now: bool) -> str:
    """The status ``planlib assess`` gives a probability (achieved: met now and on track).

    Examples:
        >>> status_of(0.8, True), status_of(0.8, False), status_of(0.3, True)
        ('achieved', 'on_track', 'at_risk')
    """
    config = AssessConfig()
    if met_now and p >= config.on_track:
        return "achieved"
    return config.status_for(p)


def real_calibration(panel: pd.DataFrame, window: Window, key: str = schema.REGION,
                     forecast_config: ForecastConfig | None = None) -> pd.DataFrame:
    """Real series in the shape of :func:`calibration_cases`: ``auto`` and the baselines.

    The status is the one a probability gives (:func:`status_of`); ``status_next`` refits with
    one more observed year (``fit_end + 1``); ``p_true`` is 1 where meeting was near-certain
    (met in the evaluation year, and in each of the last :data:`MET_LATELY_YEARS` fitted years
    by :data:`MET_LATELY_MARGIN`), else NaN.
    """
    now = holdout_forecasts(panel, window, (AUTO,), forecast_config, key)
    later_window = Window(window.fit_start, window.fit_end + 1, window.eval_year, window.op,
                          window.threshold, window.bounds)
    later = holdout_forecasts(panel, later_window, (AUTO,), forecast_config, key)
    later = later[later[schema.METHOD] == AUTO].set_index(key)
    last = panel[panel[schema.YEAR] <= window.fit_end].sort_values(schema.YEAR) \
        .groupby(key)[schema.VALUE].last()
    out = now.assign(p_true=np.where(now["met"] & now["met_lately"], 1.0, np.nan))
    auto = out[schema.METHOD] == AUTO
    met_now = out[key].map(last).map(lambda v: meets(v, window.op, window.threshold))
    out.loc[auto, "status"] = [status_of(p, m) for p, m in zip(out.loc[auto, "p_meet"],
                                                               met_now[auto])]
    next_p = out.loc[auto, key].map(later["p_meet"])
    out.loc[auto, "p_next"] = next_p
    next_last = out.loc[auto, key].map(panel[panel[schema.YEAR] <= window.fit_end + 1]
                                       .sort_values(schema.YEAR).groupby(key)[schema.VALUE].last())
    out.loc[auto, "status_next"] = [
        status_of(p, meets(v, window.op, window.threshold)) if np.isfinite(p) else None
        for p, v in zip(next_p, next_last)]
    return out.dropna(subset=["truth"])
