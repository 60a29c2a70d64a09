"""Projection methods against known truths (planlib.forecast)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from planlib import forecast as fc
from planlib import schema
from planlib.errors import PlanlibError

NO_WIDENING = fc.ForecastConfig(discrepancy_weight=0.0, trend_change=0.0)


def series(years, values, **counts) -> pd.DataFrame:
    return pd.DataFrame({"year": list(years), "value": list(values), **counts})


def noisy_line(seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    years = np.arange(2012, 2025)
    return series(years, 40 + 1.5 * (years - 2012) + rng.normal(0, 0.8, len(years)))


# --- the frame ----------------------------------------------------------------------------------


def test_frame_has_the_contract_columns_and_one_row_per_year():
    out = fc.project(series([2019, 2020, 2021, 2022], [5.0, 6, 7, 8]), target_year=2030)
    assert list(out.summary_frame().columns) == schema.PROJECTION_COLUMNS
    assert out.summary_frame()["year"].tolist() == list(range(2019, 2031))
    assert out.summary_frame()["is_projection"].tolist() == [False] * 4 + [True] * 8
    assert out.bounds == (None, None)


def test_exact_line_is_projected_exactly_with_a_collapsed_interval():
    s = series(range(2015, 2023), [3.0 + 0.5 * i for i in range(8)])
    out = fc.project(s, target_year=2030, method="linear", config=NO_WIDENING)
    last = out.at()
    assert last["mean"] == pytest.approx(3.0 + 0.5 * 15, abs=1e-9)
    assert 0 < last["upper_95"] - last["lower_95"] < 1e-5
    assert out.summary_frame()["method"].unique().tolist() == ["linear"]
    # by default only the trend-change allowance remains: sd = trend_change * slope * horizon
    # (an exact line shows no evidence either way, so the full allowance is kept)
    default = fc.project(s, target_year=2030, method="linear").at()
    assert default["mean"] == pytest.approx(last["mean"])
    assert default["scale"] == pytest.approx(1.0 * 0.5 * 8, rel=1e-6)


@pytest.mark.slow  # imports statsmodels
def test_linear_interval_is_statsmodels_obs_ci():
    import statsmodels.api as sm

    s = noisy_line()
    out = fc.project(s, target_year=2030, method="linear", config=NO_WIDENING)
    exog = sm.add_constant(s["year"].to_numpy(float))
    res = sm.OLS(s["value"].to_numpy(float), exog).fit()
    years = out.summary_frame()["year"].to_numpy(float)
    ref = res.get_prediction(sm.add_constant(years)).summary_frame(alpha=0.05)
    np.testing.assert_allclose(out.summary_frame()["mean"], ref["mean"], rtol=1e-10)
    np.testing.assert_allclose(out.summary_frame()["lower_95"], ref["obs_ci_lower"], rtol=1e-10)
    np.testing.assert_allclose(out.summary_frame()["upper_95"], ref["obs_ci_upper"], rtol=1e-10)


def test_projected_intervals_widen_with_the_backtest_and_the_trend():
    s = noisy_line()
    plain = fc.project(s, target_year=2030, method="linear", config=NO_WIDENING).at()
    honest = fc.project(s, target_year=2030, method="linear").at()
    assert honest["mean"] == pytest.approx(plain["mean"])
    slope_change = 1.0 * 1.5 * 6  # trend_change * |slope| * horizon, as an sd
    full = fc.project(s, target_year=2030, method="linear",
                      config=fc.ForecastConfig(trend_change_evidence=False)).at()
    assert full["scale"] >= math.hypot(plain["scale"], slope_change * 0.9)
    # by default the allowance is scaled by the evidence that the trend has been changing,
    # never below a third of it: white noise around a line keeps a smaller one
    assert math.hypot(plain["scale"], 0.33 * slope_change * 0.9) <= honest["scale"] <= full["scale"]


def test_constant_annual_rate_is_recovered_by_log_linear():
    years = range(2016, 2025)
    out = fc.project(series(years, [30.0 * 0.94 ** i for i in range(9)]), target_year=2030,
                     method="log_linear")
    assert out.at()["mean"] == pytest.approx(30.0 * 0.94 ** 14, rel=1e-9)
    assert out.at()["transform"] == "log"
    sure = fc.project(series(years, [30.0 * 0.94 ** i for i in range(9)]), target_year=2030,
                      method="log_linear", config=NO_WIDENING)
    assert fc.p_meet(sure, "<", 30.0 * 0.94 ** 14 * 1.01) > 0.99


def test_logit_projection_and_interval_stay_within_0_100_for_a_steep_trend():
    s = series(range(2018, 2025), [60.0, 70, 79, 86, 91, 95, 97.5])
    for method in ("auto", "logit_linear", "naive_wide"):
        out = fc.project(s, target_year=2035, method=method, bounds=(0, 100))
        values = out.summary_frame()[["mean", "lower_80", "upper_80", "lower_95", "upper_95"]].to_numpy()
        assert values.min() >= 0 and values.max() <= 100, method
    out = fc.project(s, target_year=2035, method="logit_linear", bounds=(0, 100))
    assert out.at()["mean"] > 99
    assert fc.p_meet(out, ">", 100.0) == 0.0 and fc.p_meet(out, "<=", 100.0) == 1.0


def test_declining_linear_trend_is_clipped_at_the_lower_bound():
    s = series(range(2018, 2025), [12.0, 10, 8.1, 6, 4.1, 2, 1.5])
    out = fc.project(s, target_year=2035, method="linear", bounds=(0, None))
    assert out.summary_frame()["lower_95"].min() == 0.0 and out.summary_frame()["mean"].min() >= 0.0
    chosen, table = fc.choose_method(s, (0, None), target_year=2035)
    assert chosen == "log_linear"
    assert table.loc[table["method"] == "linear", "reason"].str.contains("leaves the bounds").all()
    _, zh = fc.choose_method(s, (0, None), target_year=2035, lang="zh")
    reasons = dict(zip(zh["method"], zh["reason"]))
    assert reasons["linear"] == "其趋势到2035年会超出取值范围"
    assert reasons["poisson"] == "需要2个及以上年份（含最近一年）的计数"
    assert reasons["log_linear"].startswith("回测误差最小")


def test_gaps_and_five_year_steps():
    s = series([2000, 2005, 2010, 2015, 2020], [10.0, 12, 14, 16, 18])
    out = fc.project(s, target_year=2030, method="linear")
    assert out.summary_frame()["year"].tolist() == [2000, 2005, 2010, 2015, 2020, *range(2021, 2031)]
    assert out.at()["mean"] == pytest.approx(22.0)
    auto = fc.project(series([2000, 2005, 2010, 2017, 2020], [10.0, 12.5, 14, 16.2, 18]),
                      target_year=2030)
    assert auto.at()["method"] in ("linear", "log_linear")
    assert fc.project(s, target_year=2030, method="ets_damped").method != "ets_damped"


def test_nan_values_are_dropped_and_target_before_last_year_gives_no_projection():
    s = series([2019, 2020, 2021, 2022, 2023], [1.0, np.nan, 3, 4, 5])
    out = fc.project(s, target_year=2022, method="linear")
    assert out.summary_frame()["year"].tolist() == [2019, 2021, 2022, 2023]
    assert not out.summary_frame()["is_projection"].any()


# --- auto ---------------------------------------------------------------------------------------


def test_auto_picks_linear_for_a_straight_line_with_noise():
    method, table = fc.choose_method(noisy_line(), (0, None), target_year=2030)
    assert method == "linear"
    assert table["chosen"].sum() == 1
    scores = table[table["candidate"]].set_index(["method", "fit_points"])["mae"]
    assert scores[("linear", 13)] <= scores.min() * 1.05


def test_auto_picks_log_linear_for_a_constant_rate_of_decline():
    rng = np.random.default_rng(3)
    years = np.arange(2010, 2025)
    values = 20 * 0.85 ** (years - 2010) * np.exp(rng.normal(0, 0.01, len(years)))
    out = fc.project(series(years, values), target_year=2030, bounds=(0, None))
    assert out.at()["method"] == "log_linear"
    assert out.at()["mean"] == pytest.approx(20 * 0.85 ** 20, rel=0.1)


def test_auto_rule_for_counts_short_series_and_no_data():
    counts = series(range(2018, 2023), [20.0, 0, 25, 0, 0], numerator=[1, 0, 1, 0, 0],
                    denominator=[5000, 4800, 4000, 4100, 3900])
    assert fc.choose_method(counts)[0] == "poisson"
    assert fc.choose_method(series([2020, 2022], [1.0, 2]))[0] == "naive_wide"
    assert fc.choose_method(series([2020, 2021, 2022], [1.0, 2, 3]))[0] == "naive_wide"
    assert fc.choose_method(series([2022], [1.0]))[0] == "insufficient_data"


@pytest.mark.slow  # imports statsmodels
def test_ets_is_not_chosen_by_auto_unless_asked():
    s = noisy_line()
    assert "ets_damped" not in fc.choose_method(s)[1].query("candidate")["method"].tolist()
    cfg = fc.ForecastConfig(ets_in_auto=True, ets_auto_min_points=12)
    assert "ets_damped" in fc.choose_method(s, config=cfg)[1].query("candidate")["method"].tolist()


@pytest.mark.slow  # imports statsmodels
def test_ets_damped_gives_its_own_widening_intervals_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = fc.project(noisy_line(), target_year=2030, method="ets_damped")
        flat = fc.project(series(range(2010, 2022), [5.0] * 12), target_year=2025,
                          method="ets_damped")
    proj = out.summary_frame()[out.summary_frame()["is_projection"]]
    assert proj["method"].unique().tolist() == ["ets_damped"]
    width = (proj["upper_95"] - proj["lower_95"]).to_numpy()
    assert np.all(np.diff(width) > 0)
    assert flat.at()["mean"] == pytest.approx(5.0, abs=1e-3)
    assert flat.at()["upper_95"] > flat.at()["lower_95"]


# --- short and degenerate series ----------------------------------------------------------------


def test_insufficient_data_rows_are_nan():
    one = fc.project(series([2021], [7.0]), target_year=2023)
    assert one.summary_frame()["year"].tolist() == [2021, 2022, 2023]
    assert (one.summary_frame()["method"] == "insufficient_data").all() and one.summary_frame()["mean"].isna().all()
    assert math.isnan(fc.p_meet(one, ">=", 5))
    none = fc.project(series([], []), target_year=2030)
    assert none.summary_frame()["year"].tolist() == [2030] and none.summary_frame()["is_projection"].all()


def test_naive_wide_carries_half_the_change_with_a_documented_width():
    out = fc.project(series([2020, 2022], [10.0, 11.0]), target_year=2030)
    last = out.at()
    drift = math.log(11 / 10) / 2  # on the log scale (positive values)
    assert last["method"] == "naive_wide" and last["transform"] == "log"
    assert last["mean"] == pytest.approx(11 * math.exp(0.5 * drift * 8))
    half_width = 1.5 * drift * 8  # naive_widen * |drift| * h, on the log scale
    assert math.log(last["upper_95"] / last["mean"]) == pytest.approx(half_width)


def test_constant_series_gets_a_narrow_positive_interval():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = fc.project(series(range(2018, 2025), [100.0] * 7), target_year=2030,
                         bounds=(0, 100))
    last = out.at()
    assert last["mean"] == pytest.approx(100.0, abs=0.01)
    assert last["scale"] > 0 and np.isfinite(out.summary_frame()["loc"]).all()
    assert fc.p_meet(out, ">=", 99.0) > 0.99


# --- Poisson ------------------------------------------------------------------------------------


def test_poisson_with_all_zero_counts_gives_a_finite_rate_and_a_probability():
    s = series(range(2018, 2025), [0.0] * 7, numerator=[0] * 7, denominator=[4000] * 7)
    out = fc.project(s, target_year=2030, config=fc.ForecastConfig(rate_multiplier=1e5))
    last = out.at()
    assert last["method"] == "poisson"
    # half a pseudo-event over 7 x 4000 births: 1.8 per 100,000, no trend
    assert last["mean"] == pytest.approx(0.5 / 28000 * 1e5, rel=1e-6)
    assert last["lower_95"] == 0.0 and last["upper_95"] >= 25.0  # at least one death
    assert 0.5 < fc.p_meet(out, "<", 15) < 1.0
    assert fc.p_meet(out, "<", 15) == pytest.approx(fc.p_meet(out, "<=", 0.0))


def test_poisson_with_occasional_deaths_smooths_the_zig_zag():
    deaths = [0, 1, 0, 0, 1, 0, 0]
    births = [4200, 4000, 4100, 3900, 4000, 3800, 3700]
    value = [d / b * 1e5 for d, b in zip(deaths, births)]
    out = fc.project(series(range(2018, 2025), value, numerator=deaths, denominator=births),
                     target_year=2030)
    last = out.at()
    assert 5 < last["mean"] < 15  # 2 deaths in 27,700 births is 7.2 per 100,000
    assert last["upper_95"] > 25
    assert 0.3 < fc.p_meet(out, "<", 15) < 0.99
    assert out.poisson["rate_multiplier"] == 1e5
    assert out.poisson["exposure"][2030] == 3700


@pytest.mark.slow  # imports statsmodels
def test_poisson_without_priors_equals_statsmodels_glm():
    import statsmodels.api as sm

    t = np.arange(2010, 2020, dtype=float)
    y = np.array([120, 111, 104, 99, 95, 86, 80, 77, 70, 66], dtype=float)
    d = np.full(10, 15000.0)
    beta, cov = fc.methods._poisson_coef(t, y, d, fc.ForecastConfig(poisson_prior_events=1e-9,
                                                            poisson_slope_prior_sd=1e6))
    exog = sm.add_constant(t - t.mean())
    res = sm.GLM(y, exog, family=sm.families.Poisson(), exposure=d).fit()
    np.testing.assert_allclose(beta, res.params, rtol=1e-6)
    np.testing.assert_allclose(np.sqrt(np.diag(cov)), res.bse, rtol=1e-4)


def test_poisson_uses_the_points_with_counts():
    deaths = [14.0, 12, np.nan, 9, 7]
    births = [4200.0, 4400, np.nan, 3950, 3700]
    values = [3.33, 2.73, 1.5, 2.28, 1.89]  # 2020: a published rate without counts
    s = series([2016, 2017, 2020, 2021, 2022], values, numerator=deaths, denominator=births)
    out = fc.project(s, target_year=2030)
    assert out.summary_frame()["method"].unique().tolist() == ["poisson"]
    assert out.poisson["exposure"][2020] == pytest.approx(np.mean([4200, 4400, 3950, 3700]))
    assert out.poisson["rate_multiplier"] == 1000
    latest_missing = s.assign(numerator=[14.0, 12, 10, 9, np.nan])
    assert fc.project(latest_missing, target_year=2030).method != "poisson"


def test_poisson_zero_counts_need_a_rate_multiplier():
    s = series(range(2020, 2024), [0.0] * 4, numerator=[0] * 4, denominator=[900] * 4)
    with pytest.raises(PlanlibError, match="rate_multiplier"):
        fc.project(s, target_year=2030)


# --- p_meet -------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["linear", "log_linear", "logit_linear", "naive_wide"])
def test_p_meet_is_one_half_at_the_projected_median(method):
    s = series([2019, 2020, 2021, 2022, 2023], [41.0, 44, 44.5, 48, 50])
    out = fc.project(s, target_year=2030, method=method, bounds=(0, 100))
    median = out.at()["mean"]
    assert fc.p_meet(out, ">=", median) == pytest.approx(0.5, abs=1e-9)
    below = fc.p_meet(out, "<", median - 1)
    assert 0 < below < 0.5
    assert fc.p_meet(out, ">=", median - 1) == pytest.approx(1 - below)


def test_p_meet_for_a_given_year_and_bad_input():
    out = fc.project(series([2019, 2020, 2021, 2022], [1.0, 2, 3, 4]), target_year=2030)
    assert fc.p_meet(out, ">", 5.0, year=2023) == pytest.approx(0.5, abs=1e-6)
    assert math.isnan(fc.p_meet(out, ">", 5.0, year=2040))
    with pytest.raises(PlanlibError):
        fc.p_meet(out, "=>", 5.0)


# --- input errors and the method list -----------------------------------------------------------


def test_bad_input_raises_for_people():
    with pytest.raises(PlanlibError, match="2020"):
        fc.project(series([2020, 2020, 2021], [1.0, 2, 3]), target_year=2030)
    with pytest.raises(PlanlibError, match="value"):
        fc.project(pd.DataFrame({"year": [2020]}), target_year=2030)
    with pytest.raises(PlanlibError, match="holt"):
        fc.project(series([2020, 2021], [1.0, 2]), target_year=2030, method="holt")


def test_a_method_the_series_cannot_support_falls_back_to_auto():
    s = series([2019, 2020, 2021, 2022], [-1.0, 0.5, 2, 3.4])
    out = fc.project(s, target_year=2030, method="log_linear")
    assert out.at()["method"] == "linear"


def test_compare_methods_and_backtest_errors():
    s = series(range(2016, 2024), [9.0, 8.4, 7.7, 7.3, 6.6, 6.2, 5.7, 5.3])
    both = fc.compare_methods(s, 2030, bounds=(0, None))
    assert set(both["requested"]) == {"auto", "level", "linear", "log_linear", "damped_trend",
                                      "naive_wide"}
    assert len(both) == 6 * len(range(2016, 2031))
    errs = fc.backtest_errors(s, "linear", window=4).set_index(["origin_year", "year"])
    assert errs.index[0] == (2018, 2019) and errs["horizon"].max() == 2 and len(errs) == 9
    # origin 2018, the line through 9.0, 8.4, 7.7: slope -0.65, 8.3667 in 2017 -> 7.0667 in 2019
    assert errs.loc[(2018, 2019), "forecast"] == pytest.approx(8.3 + 0.2 / 3 - 1.3)
    assert errs.loc[(2018, 2019), "abs_error"] == pytest.approx(7.3 - 7.0667, abs=1e-4)
    # origin 2021, the last 4 points 7.7, 7.3, 6.6, 6.2 (window): slope -0.52, 6.95 in 2019.5
    assert errs.loc[(2021, 2022), "forecast"] == pytest.approx(6.95 - 0.52 * 2.5)  # 5.65
    assert errs.loc[(2021, 2023), "forecast"] == pytest.approx(6.95 - 0.52 * 3.5)  # 5.13
    assert errs.loc[(2021, 2023), "abs_error"] == pytest.approx(0.17)


@pytest.mark.slow
def test_series_near_the_upper_bound_keeps_a_sane_interval():
    """Values of 97.5-100 with one reported 100: the logit must not blow the interval up to 0-100."""
    values = [97.5, 98.0, 98.7, 98.6, 99.2, 100.0, 99.7, 99.6, 99.9, 99.2]
    out = fc.project(series(range(2015, 2025), values), target_year=2030, bounds=(0, 100))
    last = out.at()
    assert 97.0 < last["mean"] <= 100.0
    assert last["lower_95"] > 70.0 and last["upper_95"] <= 100.0


# --- no trend read into noise, steps, binomial shares (issue: flags a statistician would sign) ---


def flat_noise(seed: int = 3, level: float = 40.0, sd: float = 2.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return series(range(2015, 2025), np.round(level + sd * rng.standard_normal(10), 1))


def test_auto_judges_a_flat_noisy_share_on_its_level():
    out = fc.project(flat_noise(), target_year=2030, bounds=(0, 100))
    last = out.at()
    assert last["method"] == "level" and out.choice["kind"] == "level"
    values = flat_noise()["value"]
    assert last["mean"] == pytest.approx(values.mean(), abs=0.3)  # the mean on the logit scale
    assert last["lower_95"] > 30 and last["upper_95"] < 50


def test_auto_keeps_a_clear_trend_and_says_by_how_much_it_beats_the_level():
    out = fc.project(noisy_line(), target_year=2030, bounds=(0, None))
    assert out.at()["method"] in ("linear", "log_linear")
    assert out.choice["kind"] == "trend" and out.choice["trend_gain"] > 0.5


def test_a_trend_needs_a_margin_over_the_level():
    s = flat_noise(seed=5)
    _, table = fc.choose_method(s, (0, 100), target_year=2030)
    level = table[(table["method"] == "level") & table["candidate"]]["mae"].min()
    strict = fc.ForecastConfig(trend_margin=1.0)  # trends switched off
    assert fc.choose_method(s, (0, 100), strict, target_year=2030)[0] == "level"
    assert np.isfinite(level)


def test_a_slope_within_noise_is_not_a_candidate():
    s = series(range(2015, 2025), [50.0, 50.4, 49.7, 50.2, 49.9, 50.3, 49.8, 50.1, 50.0, 50.2])
    _, table = fc.choose_method(s, (0, 100), target_year=2030)
    lines = table[table["method"].isin(["linear", "logit_linear"]) & (table["fit_points"] == 10)]
    assert len(lines) == 2 and lines["reason"].str.contains("within noise").all()


def test_step_from_0_to_100_is_found_and_projected_from():
    s = series(range(2015, 2025), [0.0] * 4 + [100.0] * 6)
    assert fc.find_step(s) == 2019
    out = fc.project(s, target_year=2030, bounds=(0, 100))
    assert out.step_year == 2019 and out.summary_frame()["year"].iloc[0] == 2019
    assert out.at()["mean"] == 100.0 and out.at()["lower_95"] > 99.9
    assert fc.p_meet(out, ">=", 99.5) > 0.999


def test_a_steady_trend_and_noise_are_not_steps():
    assert fc.find_step(noisy_line()) is None
    assert fc.find_step(flat_noise()) is None
    assert fc.find_step(series(range(2015, 2025), [1.0, 1, 1, 1, 1, 1, 1, 1, 1, 1])) is None


def test_rate_steady_near_100_keeps_a_lower_bound_near_its_range():
    values = [99.1, 99.4, 98.8, 99.6, 99.2, 98.9, 99.5, 99.3, 99.0, 99.4]
    last = fc.project(series(range(2015, 2025), values), target_year=2030, bounds=(0, 100)).at()
    assert last["method"] == "level"
    assert 97.0 < last["lower_95"] and last["upper_95"] <= 100.0


def sex_ratio(boys, girls):
    return series(range(2015, 2015 + len(boys)), [100 * b / g for b, g in zip(boys, girls)],
                  numerator=boys, denominator=girls)


def test_sex_ratio_is_a_binomial_share_of_boys_judged_on_its_underlying_value():
    rng = np.random.default_rng(7)
    births = np.full(10, 3600)
    boys = rng.binomial(births, 105 / 205)
    s = sex_ratio(boys, births - boys)
    cfg = fc.ForecastConfig(counts="ratio", rate_multiplier=100.0)
    out = fc.project(s, target_year=2030, bounds=(0, None), config=cfg)
    last = out.at()
    assert last["method"] == "binomial"
    pooled = 100 * boys[-out.fit_points:].sum() / (births - boys)[-out.fit_points:].sum()
    assert last["mean"] == pytest.approx(pooled, rel=2e-3)
    # one year's ratio swings by about +-3 with 3,600 births; the underlying ratio is known better
    annual = fc.p_meet(out, ">=", 103) - fc.p_meet(out, ">", 107)
    underlying = fc.p_meet(out, ">=", 103, noise=False) - fc.p_meet(out, ">", 107, noise=False)
    assert annual < 0.6 < underlying
    assert last["upper_95"] - last["lower_95"] > 8
    assert out.binomial["births"] == pytest.approx(births[-out.fit_points:].sum())


def test_counts_default_to_poisson_rates():
    s = sex_ratio([1900, 1950, 1880, 1920], [1800, 1850, 1790, 1810])
    assert fc.choose_method(s)[0] == "poisson"
    assert fc.choose_method(s, config=fc.ForecastConfig(counts="ratio"))[0] == "binomial"


# --- the results object -------------------------------------------------------------------------


def test_projection_is_a_results_object_with_no_state_in_the_frame():
    out = fc.project(series([2019, 2020, 2021, 2022], [50.0, 52, 54, 56]), target_year=2030,
                     method="logit_linear", bounds=(0, 100))
    assert isinstance(out, fc.Projection)
    assert (out.method, out.transform, out.bounds) == ("logit_linear", "logit", (0.0, 100.0))
    frame = out.summary_frame()
    assert frame.attrs == {}
    frame.loc[:, "mean"] = -1.0  # a copy: changing it leaves the projection alone
    assert out.at()["mean"] > 56
    assert out.p_meet(">=", 56.0) == fc.p_meet(out, ">=", 56.0) > 0.5
    with pytest.raises(AttributeError):
        out.method = "linear"


def test_a_hand_written_projection_gives_normal_probabilities():
    hand = fc.Projection.from_frame(pd.DataFrame({"year": [2029, 2030], "mean": [9.0, 10.0],
                                                  "lower_95": [7.0, 6.08], "upper_95": [11.0, 13.92]}))
    assert hand.method == "linear" and hand.transform == "identity"
    assert hand.p_meet(">=", 10.0) == pytest.approx(0.5)
    assert hand.p_meet("<", 6.08) == pytest.approx(0.025, abs=1e-4)
    assert hand.p_meet(">", 9.0, year=2029) == pytest.approx(0.5)
    assert hand.at()["upper_80"] == pytest.approx(10.0 + 1.2816 * 2.0, abs=1e-3)
    assert list(hand.summary_frame().columns) == schema.PROJECTION_COLUMNS
