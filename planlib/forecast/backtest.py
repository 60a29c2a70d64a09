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


def baseline_points(years: np.ndarray, values: np.ndarray, eval_year: int) -> dict[str, float]:
    h = eval_year - years[-1]
    span = years[-1] - years[0]
    slope = (values[-1] - values[0]) / span
    growth = (values[-1] / values[0]) ** (1 / span) if values[0] > 0 and values[-1] > 0 else np.nan
    return {"last_value": values[-1], "drift": values[-1] + slope * h,
            "growth_rate": values[-1] * growth ** h}


def meets(value: float, op: str, threshold: float) -> bool:
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
        met = meets(truth, window.op, window.threshold)
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
        points = baseline_points(fit[schema.YEAR].to_numpy(), fit[schema.VALUE].to_numpy(float),
                                  window.eval_year)
        for base, point in points.items():
            rows.append((name, base, base, truth, point, np.nan, np.nan,
                         float(meets(point, window.op, window.threshold)), met, np.nan, np.nan,
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
    return bool(len(values) == MET_LATELY_YEARS and all(meets(v, window.op, safe) for v in values))


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
