"""Hold-out evaluation of the projection methods on real series, beside simple baselines.

A *window* fits each series on ``fit_start..fit_end``, projects to ``eval_year`` and compares with
the value observed then: the error of the point projection, whether the 95% interval holds the
truth, and the Brier score of the probability of meeting a target (``op threshold``).

The three baselines are the transparent two-point measures used in progress reports: the last
value carried forward, the straight line from the first to the last fitted point, and the
two-point compound annual growth rate.  They give no probability, so their Brier score is that
of the 0/1 forecast "the point projection meets the target" (the share of wrong calls).

Data shipped for the benchmark: :func:`load_fertility` (World Bank total fertility rates of 219
countries, shipped offline with statsmodels) and :func:`load_national_reference` (the national
mortality series of China, from ``data/national.csv`` or the shared reference folder).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import config, schema
from . import AUTO, METHODS, ForecastConfig, p_meet, project

BASELINES = ("last_value", "drift", "growth_rate")


@dataclass(frozen=True)
class Window:
    """One hold-out experiment.

    Attributes:
        fit_start, fit_end: the years fitted (inclusive).
        eval_year: the year projected to and compared with.
        op, threshold: the target, e.g. ``"<"`` and ``2.1``.
        bounds: natural bounds passed to :func:`planlib.forecast.project`.
    """

    fit_start: int
    fit_end: int
    eval_year: int
    op: str = "<"
    threshold: float = 2.1
    bounds: tuple[float | None, float | None] | None = (0.0, None)


def load_fertility() -> pd.DataFrame:
    """World Bank total fertility rates (births per woman), tidy: ``region``, ``year``, ``value``.

    Examples:
        >>> tfr = load_fertility()
        >>> tfr["region"].nunique(), int(tfr["year"].max())
        (210, 2011)
    """
    from statsmodels.datasets import fertility

    wide = fertility.load_pandas().data
    years = [c for c in wide.columns if c.isdigit()]
    tidy = wide.melt(id_vars=["Country Name"], value_vars=years,
                     var_name=schema.YEAR, value_name=schema.VALUE)
    tidy = tidy.rename(columns={"Country Name": schema.REGION}).dropna(subset=[schema.VALUE])
    return tidy.astype({schema.YEAR: int}).sort_values([schema.REGION, schema.YEAR]) \
        .reset_index(drop=True)


def load_national_reference() -> pd.DataFrame:
    """National mortality series with their 2030 national targets, tidy.

    Reads the project's ``data/national.csv`` and ``data/national_targets.csv`` (series named by
    indicator id); without them, the shared reference folder next to the project (series named
    by the Chinese indicator name).

    Returns:
        Columns ``series``, ``year``, ``value``, ``confirmation``, ``op``, ``threshold``.
    """
    if config.NATIONAL_PATH.exists() and config.NATIONAL_TARGETS_PATH.exists():
        values = pd.read_csv(config.NATIONAL_PATH).rename(columns={schema.INDICATOR_ID: "series"})
        targets = pd.read_csv(config.NATIONAL_TARGETS_PATH).rename(
            columns={schema.INDICATOR_ID: "series"})
    else:
        shared = config.ROOT.parent / "shared" / "reference"
        values = pd.read_csv(shared / "china_national_mortality.csv").rename(
            columns={"indicator": "series"})
        targets = pd.read_csv(shared / "national_targets_2030.csv").rename(
            columns={"indicator": "series"})
    parsed = targets["target_text"].str.extract(r"^\s*([<>]=?)\s*([\d.]+)")
    targets = targets.assign(op=parsed[0], threshold=parsed[1].astype(float))
    out = values.merge(targets[["series", "op", "threshold"]], on="series")
    return out[["series", schema.YEAR, schema.VALUE, schema.CONFIRMATION, "op", "threshold"]]


def _baseline_points(years: np.ndarray, values: np.ndarray, eval_year: int) -> dict[str, float]:
    h = eval_year - years[-1]
    span = years[-1] - years[0]
    slope = (values[-1] - values[0]) / span
    growth = (values[-1] / values[0]) ** (1 / span) if values[0] > 0 and values[-1] > 0 else np.nan
    return {"last_value": values[-1], "drift": values[-1] + slope * h,
            "growth_rate": values[-1] * growth ** h}


def _meets(value: float, op: str, threshold: float) -> bool:
    return {"<": value < threshold, "<=": value <= threshold,
            ">": value > threshold, ">=": value >= threshold}[op]


def _complete_regions(panel: pd.DataFrame, window: Window, key: str):
    """(region, series) pairs with every fitted year and the evaluation year present."""
    needed = set(range(window.fit_start, window.fit_end + 1)) | {window.eval_year}
    for region, series in panel.groupby(key, sort=True):
        series = series[series[schema.YEAR].isin(needed)].dropna(subset=[schema.VALUE])
        if set(series[schema.YEAR]) == needed:
            yield region, series.sort_values(schema.YEAR)


def holdout_forecasts(panel: pd.DataFrame, window: Window, methods=(AUTO, *METHODS),
                      forecast_config: ForecastConfig | None = None,
                      key: str = schema.REGION) -> pd.DataFrame:
    """Forecasts of every method and baseline for every series of ``panel`` with complete data.

    Args:
        panel: tidy frame with ``key`` (the series), ``year``, ``value``.
        window: the years fitted, the year evaluated and the target.
        methods: projection methods to run (``"auto"`` and those of :data:`METHODS`).
        forecast_config: options passed to :func:`planlib.forecast.project`.
        key: the column naming the series.

    Returns:
        One row per series and method: ``key``, ``method`` (requested; a method the series
        cannot support is left out), ``used`` (the method actually used), ``truth``,
        ``forecast``, ``lower_95``, ``upper_95``, ``p_meet``, ``met`` (whether the truth meets
        the target), ``lower_80``, ``upper_80`` and ``met_lately`` (the last
        :data:`MET_LATELY_YEARS` fitted values all met the target).  Series missing a fitted year or the
        evaluation year are left out.

    Examples:
        >>> panel = pd.DataFrame({"region": "A", "year": range(2000, 2012),
        ...                       "value": [3.0 - 0.1 * i for i in range(12)]})
        >>> out = holdout_forecasts(panel, Window(2000, 2005, 2011), methods=("linear",))
        >>> out[["method", "forecast", "met"]].round(3).to_numpy().tolist()
        [['linear', 1.9, True], ['last_value', 2.5, True], ['drift', 1.9, True], ['growth_rate', 2.009, True]]
    """
    rows = []
    for name, series in _complete_regions(panel, window, key):
        fit = series[series[schema.YEAR] <= window.fit_end]
        truth = float(series.loc[series[schema.YEAR] == window.eval_year, schema.VALUE].iloc[0])
        met = _meets(truth, window.op, window.threshold)
        for method in methods:
            proj = project(fit, target_year=window.eval_year, method=method, bounds=window.bounds,
                           config=forecast_config)
            last = proj.at()
            if method != AUTO and last[schema.METHOD] != method:
                continue  # the series cannot support this method; project fell back to auto
            rows.append((name, method, last[schema.METHOD], truth, last[schema.MEAN],
                         last[schema.LOWER_95], last[schema.UPPER_95],
                         p_meet(proj, window.op, window.threshold), met,
                         last[schema.LOWER_80], last[schema.UPPER_80], _met_lately(fit, window)))
        points = _baseline_points(fit[schema.YEAR].to_numpy(), fit[schema.VALUE].to_numpy(float),
                                  window.eval_year)
        for base, point in points.items():
            rows.append((name, base, base, truth, point, np.nan, np.nan,
                         float(_meets(point, window.op, window.threshold)), met, np.nan, np.nan,
                         _met_lately(fit, window)))
    return pd.DataFrame(rows, columns=[key, schema.METHOD, "used", "truth", "forecast",
                                       schema.LOWER_95, schema.UPPER_95, "p_meet", "met",
                                       schema.LOWER_80, schema.UPPER_80, "met_lately"])


#: A real series whose last this many fitted years all met the target, and which met it in the
#: evaluation year, counts as one where meeting was near-certain (for the false-alarm rate).
MET_LATELY_YEARS = 5
#: ... each by at least this share of the threshold (1.89 or less against "< 2.1").
MET_LATELY_MARGIN = 0.10


def _met_lately(fit: pd.DataFrame, window: Window) -> bool:
    values = fit[schema.VALUE].to_numpy(float)[-MET_LATELY_YEARS:]
    sign = -1.0 if window.op in ("<", "<=") else 1.0
    safe = window.threshold * (1 + sign * MET_LATELY_MARGIN)
    return bool(len(values) == MET_LATELY_YEARS and all(_meets(v, window.op, safe) for v in values))


def score(forecasts: pd.DataFrame) -> pd.DataFrame:
    """Median absolute error, 95% coverage and Brier score per method.

    Args:
        forecasts: a frame from :func:`holdout_forecasts` (several may be concatenated).

    Returns:
        One row per method (projection methods first, then baselines): ``n``,
        ``median_abs_error``, ``coverage_95`` (NaN for baselines), ``brier``.

    Examples:
        >>> f = pd.DataFrame({"method": ["auto", "auto"], "truth": [1.0, 2.0],
        ...                   "forecast": [1.5, 2.0], "lower_95": [0.0, 2.5], "upper_95": [2.0, 3.0],
        ...                   "p_meet": [0.8, 0.4], "met": [True, False]})
        >>> score(f).round(3).to_dict("records")
        [{'n': 2, 'median_abs_error': 0.25, 'coverage_95': 0.5, 'brier': 0.1}]
    """
    f = forecasts.assign(
        abs_error=(forecasts["forecast"] - forecasts["truth"]).abs(),
        covered=((forecasts[schema.LOWER_95] <= forecasts["truth"])
                 & (forecasts["truth"] <= forecasts[schema.UPPER_95])).astype(float),
        sq=(forecasts["p_meet"] - forecasts["met"].astype(float)) ** 2)
    f.loc[f[schema.LOWER_95].isna(), "covered"] = np.nan
    out = f.groupby(schema.METHOD, sort=False).agg(
        n=("truth", "size"), median_abs_error=("abs_error", "median"),
        coverage_95=("covered", "mean"), brier=("sq", "mean"))
    order = [m for m in (AUTO, *METHODS, *BASELINES) if m in out.index]
    return out.loc[order].astype(float).astype({"n": int})


#: The test window: fit 11 annual points, project 8 years ahead (the plan's 2022 -> 2030).
#: The shipped series end in 2011, so the window is 1993-2003 -> 2011.
FERTILITY_TEST = Window(1993, 2003, 2011)
#: Earlier windows, used to choose ``trend_change``, ``recent_points`` and ``naive_*``.
FERTILITY_CALIBRATION = (Window(1970, 1980, 1988), Window(1975, 1985, 1993),
                         Window(1983, 1993, 2001), Window(1988, 1998, 2006))
#: Short series: three points, the same 8-year horizon (``auto`` uses ``naive_wide``).
FERTILITY_SHORT = Window(2001, 2003, 2011)


def national_forecasts(fit_end: int = 2018, eval_year: int = 2024, methods=(AUTO, *METHODS),
                       forecast_config: ForecastConfig | None = None) -> pd.DataFrame:
    """Hold-out forecasts for the national mortality series against their 2030 targets.

    Each series is fitted from its first year to ``fit_end`` and compared in ``eval_year``
    with its own national target (``< 5.0`` for infant mortality ...).

    Returns:
        The frame of :func:`holdout_forecasts` with a ``series`` column.
    """
    frames = []
    for name, series in load_national_reference().groupby("series", sort=True):
        window = Window(int(series[schema.YEAR].min()), fit_end, eval_year,
                        op=series["op"].iloc[0], threshold=float(series["threshold"].iloc[0]))
        frames.append(holdout_forecasts(series, window, methods, forecast_config, key="series"))
    return pd.concat(frames, ignore_index=True)


def markdown_table(frame: pd.DataFrame, digits: int = 3) -> str:
    """A GitHub-flavoured Markdown table of ``frame`` (index included), numbers rounded.

    Examples:
        >>> print(markdown_table(pd.DataFrame({"brier": [0.0612]}, index=["auto"])))
        |  | brier |
        |---|---|
        | auto | 0.061 |
    """
    def cell(v) -> str:
        if isinstance(v, float):
            return "" if np.isnan(v) else f"{v:.{digits}f}"
        return str(v)

    head = "| " + (frame.index.name or "") + " | " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|---" * (len(frame.columns) + 1) + "|"
    body = ["| " + " | ".join(cell(v) for v in (idx, *row)) + " |"
            for idx, row in zip(frame.index, frame.itertuples(index=False))]
    return "\n".join([head.replace("|  |", "|  |", 1), rule, *body])


def reliability(forecasts: pd.DataFrame, method: str = AUTO, bins: int = 5) -> pd.DataFrame:
    """How often the target was met, by band of the probability ``method`` gave.

    A calibrated method meets the target about as often as it said: in the band 0.8-1.0, about
    90% of the time.

    Args:
        forecasts: a frame from :func:`holdout_forecasts`.
        method: the method whose ``p_meet`` is binned.
        bins: the number of equal-width probability bands.

    Returns:
        One row per band: ``band`` (e.g. ``"0.8-1.0"``), ``n``, ``mean_p_meet``, ``share_met``.

    Examples:
        >>> f = pd.DataFrame({"method": "auto", "p_meet": [0.05, 0.1, 0.9, 0.95],
        ...                   "met": [False, False, True, False]})
        >>> reliability(f, bins=2).round(3).to_dict("records")
        [{'band': '0.0-0.5', 'n': 2, 'mean_p_meet': 0.075, 'share_met': 0.0}, {'band': '0.5-1.0', 'n': 2, 'mean_p_meet': 0.925, 'share_met': 0.5}]
    """
    rows = forecasts[forecasts[schema.METHOD] == method]
    edges = np.linspace(0.0, 1.0, bins + 1)
    band = pd.cut(rows["p_meet"], edges, include_lowest=True,
                  labels=[f"{a:.1f}-{b:.1f}" for a, b in zip(edges[:-1], edges[1:])])
    out = rows.assign(band=band, met=rows["met"].astype(float)).groupby("band", observed=True)
    return out.agg(n=("met", "size"), mean_p_meet=("p_meet", "mean"),
                   share_met=("met", "mean")).reset_index().astype({"band": str})



# --- calibration: simulated series whose truth is known, and real series -------------------------
#
# A *family* draws a county-like series for 2015-2024 from a stated process, one more ordinary
# year (2025) and the 2030 value from the same process, and knows the probability that the 2030
# value meets the target.  :func:`calibration_cases` assesses every draw the way ``planlib
# assess`` does (:func:`planlib.assessment.assess_detail`), so the figures are those of the flags
# leadership sees.

FIRST_YEAR, LAST_YEAR, EXTRA_YEAR, GOAL_YEAR = 2015, 2024, 2025, 2030
#: True probability of meeting at or above which a flag (at risk, off track) is a false alarm.
NEAR_CERTAIN = 0.99
FLAGGED = ("at_risk", "off_track")


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
    """A process that draws :class:`Case` objects: its name, what it imitates, and its unit."""

    name: str
    description: str
    unit: str
    draw: object  # Callable[[np.random.Generator], Case]


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


def _rare_events(rng: np.random.Generator) -> Case:
    from scipy import stats

    t = np.arange(_n_years())
    births = np.round(rng.uniform(3000, 4500) * 0.98 ** t)
    rate = rng.uniform(3.0, 7.0) * rng.uniform(0.93, 1.0) ** t  # per 1000 live births
    deaths = rng.poisson(births * rate / 1000).astype(float)
    threshold = round(float(rate[-1] * rng.uniform(0.7, 1.6)), 2)
    kmax = math.ceil(threshold * births[-1] / 1000 - 1e-9) - 1  # deaths/births*1000 < threshold
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
           "its target", "%", _flat_share),
    Family("steady_trend", "rate rising 0.8-2 points a year, sd 0.8-1.5, meets its target "
           "in 95% of cases", "%", _steady_trend),
    Family("rare_events", "infant deaths (Poisson) among 3,000-4,500 births a year, rate 3-7‰ "
           "falling 0-7% a year; target < 0.7-1.6 times the 2030 rate", "‰", _rare_events),
    Family("noisy_ratio", "sex ratio at birth, boys ~ Binomial(births, p), underlying ratio "
           "moving from 102-112 into the normal band (103.5-106.5) or staying high (108.5-112); "
           "target 趋于平衡 (103-107)", "女=100", _noisy_ratio),
    Family("drifting_share", "share whose level wanders (random walk, sd 0.4-1 a year) under "
           "noise; target its 2015 level + 2", "%", _drifting_share),
)


def draw_cases(family: Family, n: int, seed: int = 0) -> list[Case]:
    """``n`` reproducible draws of a family.

    Examples:
        >>> cases = draw_cases(FAMILIES[1], 2)
        >>> [float(c.series["value"].iloc[-1]) for c in cases], [c.met for c in cases]
        ([100.0, 100.0], [True, True])
    """
    rng = np.random.default_rng([seed, FAMILIES.index(family) if family in FAMILIES else 99])
    return [family.draw(rng) for _ in range(n)]


def _assess_cases(cases: list[Case], unit: str, extra: bool) -> pd.DataFrame:
    """``assess_detail`` of every case at once (one catalogue row per case)."""
    from ..assessment import assess_detail

    ids = [f"S{i:04d}" for i in range(len(cases))]
    catalog = pd.DataFrame({schema.INDICATOR_ID: ids, schema.NAME_ZH: ids, schema.UNIT: unit,
                            schema.TARGET_TEXT: [c.target_text for c in cases],
                            schema.TARGET_YEAR: GOAL_YEAR})
    frames = [pd.concat([c.series, c.extra]) if extra else c.series for c in cases]
    obs = pd.concat([f.assign(**{schema.INDICATOR_ID: i}) for i, f in zip(ids, frames)],
                    ignore_index=True)
    return assess_detail(catalog, obs).set_index(schema.INDICATOR_ID).loc[ids].reset_index()


def _flag_class(status: str) -> str:
    return status if status in FLAGGED else "not_flagged"


def calibration_cases(family: Family, cases: list[Case]) -> pd.DataFrame:
    """Every case of a family assessed as ``planlib assess`` would, beside the baselines.

    Returns:
        One row per case and method (``auto`` and the three baselines): ``p_meet``, ``met``,
        ``p_true``, ``truth``; for ``auto`` also ``status``, ``status_next`` (with 2025 added),
        the 80% and 95% limits.
    """
    from ..assessment import project_series
    from ..targets import parse_target

    now, later = _assess_cases(cases, family.unit, False), _assess_cases(cases, family.unit, True)
    rows = []
    for i, case in enumerate(cases):
        proj = project_series(case.series, family.unit, GOAL_YEAR).at()
        rows.append({"method": AUTO, "p_meet": now["p_meet"].iloc[i], "status": now["status"].iloc[i],
                     "status_next": later["status"].iloc[i], "used": now[schema.METHOD].iloc[i],
                     **{c: proj[c] for c in (schema.LOWER_80, schema.UPPER_80, schema.LOWER_95,
                                             schema.UPPER_95)}})
        target = parse_target(case.target_text)
        points = _baseline_points(case.series[schema.YEAR].to_numpy(),
                                  case.series[schema.VALUE].to_numpy(float), GOAL_YEAR)
        rows += [{"method": b, "p_meet": float(bool(target.is_met(v))) if np.isfinite(v) else 0.0}
                 for b, v in points.items()]
        for row in rows[-4:]:
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
            row["flagged"] = float(part["status"].isin(FLAGGED).mean())
            row["flip"] = float((part["status"].map(_flag_class)
                                 != part["status_next"].map(_flag_class)).mean())
        out[method] = row
    order = [m for m in (AUTO, *BASELINES) if m in out]
    return pd.DataFrame(out).T.loc[order]


def status_of(p: float, met_now: bool) -> str:
    """The status ``planlib assess`` gives a probability (achieved: met now and on track).

    Examples:
        >>> status_of(0.8, True), status_of(0.8, False), status_of(0.3, True)
        ('achieved', 'on_track', 'at_risk')
    """
    from ..assessment import AssessConfig

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
    met_now = out[key].map(last).map(lambda v: _meets(v, window.op, window.threshold))
    out.loc[auto, "status"] = [status_of(p, m) for p, m in zip(out.loc[auto, "p_meet"],
                                                               met_now[auto])]
    next_p = out.loc[auto, key].map(later["p_meet"])
    next_last = out.loc[auto, key].map(panel[panel[schema.YEAR] <= window.fit_end + 1]
                                       .sort_values(schema.YEAR).groupby(key)[schema.VALUE].last())
    out.loc[auto, "status_next"] = [
        status_of(p, _meets(v, window.op, window.threshold)) if np.isfinite(p) else None
        for p, v in zip(next_p, next_last)]
    return out.dropna(subset=["truth"])
