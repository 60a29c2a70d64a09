"""Assessment: statuses on constructed series of every target kind, as_of, two-point measure."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from planlib import assessment as A
from planlib import forecast  # noqa: F401  (imported at collection: statsmodels takes a while)
from planlib import schema as S
from planlib.config import COUNTY
from planlib.errors import PlanlibError


YEARS = list(range(2016, 2025))
WIGGLE = [0.3, -0.2, 0.1, -0.3, 0.2, 0.0, -0.1, 0.25, -0.15]


def catalog(*rows: tuple) -> pd.DataFrame:
    """Rows ``(id, unit, target[, attribute[, reference]])``; another plan's minimal catalogue."""
    return pd.DataFrame([{
        "indicator_id": r[0], "name_zh": f"指标{r[0]}", "unit": r[1], "target_text": r[2],
        "attribute": r[3] if len(r) > 3 else "expected", "reference_indicator": r[4] if len(r) > 4 else "",
    } for r in rows])


def series(ident: str, values: list[float], years: list[int] = YEARS, region: str = COUNTY) -> pd.DataFrame:
    return pd.DataFrame({"indicator_id": ident, "region": region, "year": years, "value": values})


def noisy(start: float, step: float) -> list[float]:
    return [start + step * i + w for i, w in enumerate(WIGGLE)]


def one(cat: pd.DataFrame, obs: pd.DataFrame, ident: str | None = None, **kw) -> pd.Series:
    out = A.assess_detail(cat, obs, **kw)
    return out.set_index("indicator_id").loc[ident or cat.indicator_id[0]]


# --- thresholds -------------------------------------------------------------------------------------

def test_threshold_met_and_staying_met_is_achieved():
    row = one(catalog(("A", "%", "≥ 90")), series("A", noisy(92, 0.5)))
    assert row.status == "achieved"
    assert row.p_meet > 0.99
    assert row.latest_year == 2024 and row.latest_value == pytest.approx(95.85)
    assert row.method in ("linear", "logit_linear")  # a line inside 0-100 by 2030 may stay straight
    assert row.required_annual_change == 0.0  # the 2020 base (94.2) already met the target
    assert row.progress_category == "significant_progress"


def test_improving_trend_that_will_cross_the_threshold_is_on_track():
    # Projected to 15.5 in 2030 against <= 23: a steady fall under white noise, so the allowance
    # for the trend changing is the smallest one (docs/benchmarks.md); on track, not achieved.
    row = one(catalog(("B", "%", "≤ 23")), series("B", noisy(40, -1.75)))
    assert row.latest_value > 23  # not met yet
    assert 0.75 <= row.p_meet < 1.0
    assert row.status == "on_track"
    assert 14.5 < row.projected_value < 16.5  # the straight line 40 - 1.75 a year (inside 0-100)
    assert row.projected_lower_95 < row.projected_value < row.projected_upper_95


def test_flat_series_far_from_the_threshold_is_off_track():
    row = one(catalog(("C", "%", "≥ 95")), series("C", [70 + w for w in WIGGLE]))
    assert row.status == "off_track"
    assert row.p_meet < 0.01
    assert row.progress_category == "movement_away"  # observed -0.12 %/yr against +3.07 needed
    assert row.required_annual_change == pytest.approx(((95 / 70.2) ** (1 / 10) - 1) * 100)


def test_trend_ending_near_the_threshold_is_at_risk():
    row = one(catalog(("D", "%", "≥ 63.6")), series("D", noisy(50, 1.0)))
    assert abs(row.projected_value - 63.6) < 0.5
    assert row.status == "at_risk"
    assert 0.25 <= row.p_meet < 0.75


def test_cut_offs_are_configurable():
    cat, obs = catalog(("D", "%", "≥ 63.6")), series("D", noisy(50, 1.0))
    p = one(cat, obs).p_meet
    assert one(cat, obs, config=A.AssessConfig(on_track=p - 0.01)).status == "on_track"
    assert one(cat, obs, config=A.AssessConfig(at_risk=p + 0.01, on_track=0.9)).status == "off_track"


def test_target_at_the_bound_is_met_near_the_bound():
    """'100' (full coverage) cannot be reached by a continuous projection: 99.5 counts."""
    row = one(catalog(("F", "%", "100")), series("F", [96, 97, 98, 99, 99.6, 99.8, 99.9, 99.9, 100]))
    assert row.status == "achieved"
    assert row.p_meet > 0.75


def test_observed_target_year_decides():
    cat = catalog(("A", "%", "≥ 90"))
    met = one(cat, series("A", [80, 85, 91], years=[2020, 2025, 2030]))
    missed = one(cat, series("A", [80, 85, 89], years=[2020, 2025, 2030]))
    assert (met.status, met.p_meet, met.method, met.projected_value) == ("achieved", 1.0, "observed", 91.0)
    assert (missed.status, missed.p_meet) == ("off_track", 0.0)
    assert missed.explanation_zh == "2030年实际为89%，未达到目标（≥ 90）；需年均提高1.2%，2020年以来实际年均提高1.1%。"


# --- approx, balance --------------------------------------------------------------------------------

def test_approx_inside_the_band_is_achieved_outside_off_track():
    cat = catalog(("H", "%", "45左右"), ("I", "%", "45左右"))
    out = A.assess(cat, pd.concat([series("H", [45 + w for w in WIGGLE]), series("I", [30 + w for w in WIGGLE])]))
    assert out.set_index("indicator_id").status.to_dict() == {"H": "achieved", "I": "off_track"}
    assert "落在目标区间（42.75–47.25）的概率" in out.explanation_zh[0]


def test_balance_moving_into_the_band():
    """Projected into the band, though not surely: not shown to be outside it, so not flagged."""
    row = one(catalog(("O", "女=100", "趋于平衡")), series("O", [118 - i for i in range(9)]))
    assert row.status == "on_track" and 0.25 <= row.p_meet < 0.75
    assert row.goal_value == 107.0  # the nearest edge of 103-107
    assert row.projected_value == pytest.approx(104.0, abs=0.01)
    assert "数据未显示潜在值超出正常范围103–107" in row.explanation_zh
    assert "the data do not show the underlying value outside the normal range 103-107" in row.explanation_en


def births(ident: str, ratios: list[float], total: int = 4000) -> pd.DataFrame:
    """A sex ratio at birth with its counts: ``total`` births a year, boys per 100 girls ``ratios``
    (in the last ``len(ratios)`` years up to 2024)."""
    boys = [round(total * r / (100 + r)) for r in ratios]
    girls = [total - b for b in boys]
    return series(ident, [100 * b / g for b, g in zip(boys, girls)], YEARS[-len(ratios):]) \
        .assign(numerator=boys, denominator=girls)


def test_balance_inside_the_band_is_not_flagged_though_the_band_is_narrower_than_the_noise():
    """A ratio of 105-106 from 3,000-4,000 births a year: P(inside 103-107) can stay below the
    on-track 0.75 (the ratio is known to about ±1.7), yet nothing shows it outside: no flag."""
    cat = catalog(("R", "女=100", "趋于平衡"), ("S", "女=100", "趋于平衡"))
    obs = pd.concat([births("R", [105 + w for w in WIGGLE], 4000),
                     births("S", [105.8 + w for w in [1.5, -1.6, 1.1, -0.5, 0.2]], 3000)])
    out = A.assess_detail(cat, obs).set_index("indicator_id")
    assert (out.method == "binomial").all()
    assert out.p_meet["R"] == pytest.approx(0.93, abs=0.03)
    assert out.p_meet["S"] == pytest.approx(0.68, abs=0.03)  # below on_track: at risk under the old rule
    assert out.status.to_dict() == {"R": "achieved", "S": "achieved"}
    assert "高于107的概率27%" in out.explanation_zh["S"]
    assert "flagged at risk only from 95% on one side, off track from 97.5%" in out.explanation_en["S"]


def test_balance_shown_outside_is_flagged_at_risk_or_off_track():
    """Nine years of 4,000 births: 110 is shown outside (95% interval above 107), 109 is at risk
    (80% interval above), 106.5 near the edge is not shown outside."""
    wobble = [0.9, -1.2, 0.4, 1.5, -0.8, -1.6, 1.1, 0.2, -0.5]
    cat = catalog(("H", "女=100", "趋于平衡"), ("M", "女=100", "趋于平衡"), ("N", "女=100", "趋于平衡"))
    obs = pd.concat([births("H", [110 + w for w in wobble]), births("M", [109 + w for w in wobble]),
                     births("N", [106.5 + w for w in wobble])])
    out = A.assess_detail(cat, obs).set_index("indicator_id")
    assert out.status.to_dict() == {"H": "off_track", "M": "at_risk", "N": "achieved"}
    assert out.p_meet["H"] < 0.01 and out.p_meet["M"] == pytest.approx(0.04, abs=0.02)
    assert "above 107 96%" in out.explanation_en["M"]


# --- directional ------------------------------------------------------------------------------------

def test_every_year_rising_is_achieved_one_decline_at_risk_two_off_track():
    cat = catalog(("E", "%", "逐年提高"), ("F", "%", "逐年提高"), ("G", "%", "逐年提高"))
    obs = pd.concat([
        series("E", [50 + i for i in range(9)]),
        series("F", [50, 51, 52, 53, 54, 53.5, 55, 56, 57]),
        series("G", [50, 51, 52, 53, 54, 53.5, 55, 54.5, 57]),
    ])
    out = A.assess_detail(cat, obs).set_index("indicator_id")
    assert out.status.to_dict() == {"E": "achieved", "F": "at_risk", "G": "off_track"}
    assert out.declines.to_dict() == {"E": 0, "F": 1, "G": 2}
    assert out.p_meet["F"] > 0.9  # the trend alone would say on track; the decline decides
    assert "2021年比上一年下降，未做到逐年提高" in out.explanation_zh["F"]
    assert "2021、2023年比上一年下降" in out.explanation_zh["G"]


def test_declines_before_the_plan_period_do_not_count():
    row = one(catalog(("E", "%", "逐年提高")), series("E", [50, 49, 51, 52, 53, 54, 55, 56, 57]))
    assert row.declines == 0 and row.status == "achieved"


def test_directional_down_against_the_base():
    up = one(catalog(("N", "‰", "降低")), series("N", [5.0, 4.9, 4.7, 4.6, 4.4, 4.3, 4.1, 4.0, 3.8]))
    flat = one(catalog(("N", "‰", "降低")), series("N", [4.4 + w for w in WIGGLE]))
    assert up.status == "achieved" and up.base_year == 2020 and up.base_value == 4.4
    # flat around 4.4 with a high 2020 base (4.6): judged on the level, 4.4 stays below 4.6 in
    # about three cases of four, and nothing more certain than that
    assert flat.method == "level" and flat.base_value == pytest.approx(4.6)
    assert 0.5 < flat.p_meet < 0.9


def test_base_is_the_latest_value_before_2020_without_a_2020_value():
    row = one(catalog(("N", "%", "提高")), series("N", [40, 42, 45, 47], years=[2017, 2019, 2022, 2024]))
    assert (row.base_year, row.base_value) == (2019, 42.0)
    assert row.observed_annual_change == pytest.approx(((47 / 42) ** (1 / 5) - 1) * 100)


def test_directional_at_the_bound_means_staying_there():
    row = one(catalog(("P", "%", "提升")), series("P", [100.0] * 9))
    assert row.status == "achieved"
    assert "保持在99.5%及以上" in row.explanation_zh


# --- relative, qualitative, insufficient -------------------------------------------------------------

def test_relative_uses_the_reference_series():
    cat = catalog(("J", "%", "≥县党员总数中女性比例", "expected", "K"), ("K", "%", "保持合理"))
    above = pd.concat([series("J", [40 + w for w in WIGGLE]), series("K", [30 + w for w in WIGGLE])])
    below = pd.concat([series("J", [25 + w for w in WIGGLE]), series("K", [30 + w for w in WIGGLE])])
    assert one(cat, above, "J").status == "achieved"
    row = one(cat, below, "J")
    assert row.status == "off_track"
    assert row.goal_value == pytest.approx(30.01, abs=0.05)  # K, flat: its level in 2030
    assert "参照指标K预计为30.01%" in row.explanation_zh


def test_relative_without_reference_or_its_data_is_insufficient_data():
    cat = catalog(("J", "%", "≥县党员总数中女性比例", "expected", "K"), ("K", "%", "保持合理"),
                  ("L", "%", "与女职工比例相适应"))
    obs = pd.concat([series("J", [40 + w for w in WIGGLE]), series("L", [30 + w for w in WIGGLE])])
    out = A.assess_detail(cat, obs).set_index("indicator_id")
    assert out.loc["J", "status"] == "insufficient_data" and out.loc["J", "reason"] == "reference_no_data"
    assert out.loc["L", "status"] == "insufficient_data" and out.loc["L", "reason"] == "no_reference"
    assert "未纳入监测" in out.loc["L", "explanation_zh"]
    assert "refers to data that is not monitored" in out.loc["L", "explanation_en"]


def test_qualitative_is_not_assessable_whatever_the_data():
    out = A.assess(catalog(("K", "%", "保持合理比例")), series("K", [30 + w for w in WIGGLE]))
    assert out.status.tolist() == ["not_assessable"]
    assert math.isnan(out.p_meet[0])
    assert out.explanation_zh[0] == "目标“保持合理比例”为定性表述，不能仅凭数据判定是否达标。"


def test_zero_or_one_point_is_insufficient_data():
    cat = catalog(("M", "‰", "< 8"), ("N", "%", "提高"))
    out = A.assess(cat, series("M", [9.0], years=[2024])).set_index("indicator_id")
    assert out.status.to_dict() == {"M": "insufficient_data", "N": "insufficient_data"}
    assert out.loc["M", "latest_value"] == 9.0 and pd.isna(out.loc["N", "latest_year"])
    assert out.loc["M", "explanation_zh"] == "仅有1个年度的数据（2024年为9‰），至少需要2个年度才能判断趋势。"
    assert out.loc["N", "explanation_en"] == "No data yet, so it cannot be assessed."


# --- rows, columns, regions ---------------------------------------------------------------------------

def test_columns_and_one_row_per_indicator_and_region():
    cat = catalog(("A", "%", "≥ 90", "binding"), ("B", "%", "≤ 20"))
    obs = pd.concat([series("A", noisy(92, 0.5)), series("A", noisy(80, 1.0), region="全国")])
    out = A.assess(cat, obs)
    assert list(out.columns) == S.ASSESSMENT_COLUMNS
    assert list(zip(out.indicator_id, out.region)) == [("A", COUNTY), ("A", "全国"), ("B", COUNTY)]
    assert out.binding.tolist() == [True, True, False]
    assert set(out.status) <= set(S.STATUS_CODES)


def test_another_region_is_home_when_the_county_is_absent():
    cat = catalog(("A", "%", "≥ 90"), ("B", "%", "≤ 20"))
    out = A.assess(cat, series("A", noisy(92, 0.5), region="甲县"))
    assert list(zip(out.indicator_id, out.region)) == [("A", "甲县"), ("B", "甲县")]


def test_counts_feed_the_poisson_model():
    obs = series("W", [25.0, 0.0, 0.0, 24.0, 0.0, 0.0, 26.0, 0.0, 0.0]).assign(
        numerator=[1, 0, 0, 1, 0, 0, 1, 0, 0], denominator=[4000, 4100, 4050, 4150, 4000, 3900, 3850, 3900, 3800])
    row = one(catalog(("W", "1/10万", "< 8")), obs)
    assert row.method == "poisson"
    assert 0 < row.p_meet < 1
    assert row.projected_lower_95 >= 0


# --- as_of -------------------------------------------------------------------------------------------

def _plan() -> tuple[pd.DataFrame, pd.DataFrame]:
    cat = catalog(("A", "%", "≥ 90", "binding"), ("E", "%", "逐年提高"), ("J", "%", "≥党员中女性比例", "expected", "K"),
                  ("K", "%", "保持合理"), ("O", "女=100", "趋于平衡"), ("N", "‰", "降低"))
    obs = pd.concat([series("A", noisy(85, 0.8)), series("E", [50 + i for i in range(9)]),
                     series("J", [40 + w for w in WIGGLE]), series("K", [30 + w for w in WIGGLE]),
                     series("O", [118 - i for i in range(9)]), series("A", noisy(70, 1), region="全国")],
                    ignore_index=True)
    return cat, obs


def test_as_of_never_sees_later_data():
    cat, obs = _plan()
    later = obs.year > 2021
    poisoned = obs.copy()
    poisoned.loc[later, "value"] = poisoned.loc[later, "value"] * 0.01 + 3  # wildly different
    extra = pd.concat([series("N", [9.0, 1.0], years=[2023, 2024]),          # data only after as_of
                       series("E", [1.0, 2.0], years=[2022, 2024], region="乙县")])
    poisoned = pd.concat([poisoned, extra], ignore_index=True)
    expected = A.assess_detail(cat, obs[~later], as_of=None)
    for frame in (obs, poisoned):
        got = A.assess_detail(cat, frame, as_of=2021)
        pd.testing.assert_frame_equal(got, expected)
    assert expected.latest_year.max() == 2021
    assert "乙县" not in set(expected.region)


def test_as_of_changes_the_picture():
    cat, obs = _plan()
    early, now = A.assess(cat, obs, as_of=2019), A.assess(cat, obs)
    assert early.latest_year.max() == 2019 and now.latest_year.max() == 2024
    assert early.loc[0, "latest_value"] != now.loc[0, "latest_value"]


# --- two-point measure --------------------------------------------------------------------------------

def test_two_point_rates_and_ratio():
    obs = series("M", [10.0, 9.6, 9.0], years=[2020, 2022, 2024])
    row = one(catalog(("M", "‰", "< 8")), obs)
    required = ((8 / 10) ** (1 / 10) - 1) * 100
    observed = ((9 / 10) ** (1 / 4) - 1) * 100
    assert row.required_annual_change == pytest.approx(required)   # -2.21 %/yr
    assert row.observed_annual_change == pytest.approx(observed)   # -2.60 %/yr
    assert row.progress_ratio == pytest.approx(observed / required)
    assert row.progress_category == "significant_progress"
    assert "需年均下降2.2%，2020年以来实际年均下降2.6%" in row.explanation_zh


@pytest.mark.parametrize("observed, required, met, category", [
    (-1.0, -2.0, False, "insufficient_progress"),   # ratio 0.5
    (-1.5, -2.0, False, "moderate_progress"),       # ratio 0.75
    (-2.0, -2.0, False, "significant_progress"),
    (0.5, -2.0, False, "movement_away"),
    (0.5, 0.0, False, "movement_away"),             # base met, latest does not
    (0.5, -2.0, True, "significant_progress"),
    (1.2, math.nan, None, "significant_progress"),  # directional, in the better direction
    (0.5, math.nan, None, "moderate_progress"),
    (0.05, math.nan, None, "insufficient_progress"),
    (-0.5, math.nan, None, "movement_away"),
])
def test_progress_categories(observed, required, met, category):
    assert A.progress_category(observed, required, met)[1] == category


# --- summaries and output -------------------------------------------------------------------------------

def _result() -> tuple[pd.DataFrame, pd.DataFrame]:
    cat = catalog(("A", "%", "≥ 90"), ("C", "%", "≥ 95", "binding"), ("E", "%", "逐年提高", "binding"),
                  ("K", "%", "保持合理")).assign(plan=["women", "women", "children", "children"])
    obs = pd.concat([series("A", noisy(92, 0.5)), series("C", [70 + w for w in WIGGLE]),
                     series("E", [50, 51, 52, 53, 54, 53.5, 55, 56, 57]), series("A", noisy(60, 1), region="全国")])
    return cat, A.assess(cat, obs)


def test_sort_for_action_puts_binding_at_risk_first():
    cat, res = _result()
    ordered = A.sort_for_action(res, cat)
    assert list(zip(ordered.indicator_id, ordered.status)) == [
        ("C", "off_track"), ("E", "at_risk"), ("A", "achieved"), ("K", "not_assessable"), ("A", "off_track")]
    assert ordered.region.tolist()[-1] == "全国"


def test_summarize_counts_by_plan_and_status():
    cat, res = _result()
    summary = A.summarize(res, cat)
    assert list(summary.columns) == ["plan", "status", "count", "binding"]
    got = summary[summary["count"] > 0].values.tolist()
    assert got == [["women", "off_track", 1, 1], ["women", "achieved", 1, 0],
                   ["children", "at_risk", 1, 1], ["children", "not_assessable", 1, 0]]
    assert len(summary) == 2 * len(S.STATUS_CODES)


def test_format_csv_and_json_carry_exactly_the_columns():
    cat, res = _result()
    csv_text = A.format_assessment(A.assess_detail(cat, pd.DataFrame(columns=["indicator_id", "year", "value"])), "csv")
    assert csv_text.splitlines()[0].split(",") == S.ASSESSMENT_COLUMNS
    records = json.loads(A.format_assessment(res, "json"))
    assert [list(r) for r in records] == [S.ASSESSMENT_COLUMNS] * len(res)
    assert [r["binding"] for r in records] == [False, False, True, True, False]


def test_format_table_shows_binding_at_risk_first_in_chinese_and_english():
    cat, res = _result()
    zh = A.format_assessment(res, "table", catalog=cat, demo=True)
    lines = zh.splitlines()
    assert lines[0] == "规划指标达标评估（数据截至2024年）"
    assert lines[1] == S.DEMO_LABEL_ZH
    assert lines[2] == "约束性指标中存在风险或难以达标的：2项"
    assert lines[3].startswith("  ✖ 难以达标  C 指标C") and lines[5].startswith("  ⚠ 存在风险  E 指标E")
    assert "【全国】" in lines
    en = A.format_assessment(res, "table", lang="en", catalog=cat)
    assert en.splitlines()[1] == "Binding indicators at risk or off track: 2"
    with pytest.raises(PlanlibError):
        A.format_assessment(res, "xml")


# --- bad input --------------------------------------------------------------------------------------------

def test_text_in_the_value_column_names_row_and_column():
    obs = series("A", noisy(92, 0.5)).astype({"value": object})
    obs.loc[3, "value"] = "九十"
    with pytest.raises(PlanlibError) as err:
        A.assess(catalog(("A", "%", "≥ 90")), obs)
    problem = err.value.problems[0]
    assert (problem.row, problem.column, problem.value) == (5, "value", "九十")


def test_missing_columns_and_unreadable_targets_are_errors():
    with pytest.raises(PlanlibError) as err:
        A.assess(catalog(("A", "%", "≥ 90")), pd.DataFrame({"indicator_id": ["A"], "year": [2020]}))
    assert err.value.problems[0].column == "value"
    with pytest.raises(PlanlibError) as err:
        A.assess(catalog(("A", "%", "≥ 90"), ("B", "%", "好好干")), series("A", noisy(92, 0.5)))
    assert (err.value.problems[0].row, err.value.problems[0].column) == (3, "target_text")


def test_inputs_are_not_changed():
    cat, obs = _plan()
    before_cat, before_obs = cat.copy(), obs.copy()
    A.assess(cat, obs, as_of=2022)
    pd.testing.assert_frame_equal(cat, before_cat)
    pd.testing.assert_frame_equal(obs, before_obs)


# --- flags a statistician would sign (shipped data and the rules behind them) -------------------

def test_met_every_year_with_no_trend_is_not_flagged():
    # p_meet about 0.9 (year-to-year noise around 2%); with on_track at 0.95 it would be at risk
    strict = A.AssessConfig(on_track=0.95)
    row = one(catalog(("S", "%", "< 3", "binding")),
              series("S", [2.1, 1.7, 2.6, 1.9, 2.4, 1.5, 2.2, 2.7, 1.6]), config=strict)
    assert row.method == "level" and 0.75 < row.p_meet < 0.95
    assert row.status == "achieved"
    once_missed = one(catalog(("S", "%", "< 3", "binding")),
                      series("S", [2.1, 1.7, 3.2, 1.9, 2.4, 1.5, 2.2, 2.7, 1.6]), config=strict)
    assert once_missed.status == "at_risk"
    assert "2016年以来每年均达到目标" in row.explanation_zh
    assert "met the target every year since 2016" in row.explanation_en


def test_level_explanation_says_no_reliable_trend():
    row = one(catalog(("C", "%", "≥ 95")), series("C", [70 + w for w in WIGGLE]))
    assert row.method == "level"
    assert "未发现可靠趋势：按近年水平判断" in row.explanation_zh
    assert "no reliable trend: judged on the recent level" in row.explanation_en


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    from planlib.catalog import load_catalog
    from planlib.observations import load_observations

    out = A.assess_detail(load_catalog(), load_observations())
    return out[out.region == COUNTY].set_index("indicator_id")


def test_shipped_w10_stepped_to_100_is_achieved(shipped):
    row = shipped.loc["W10"]
    assert row.status == "achieved" and row.p_meet > 0.99
    assert row.projected_lower_95 > 99
    assert "该序列在2019年发生阶跃变化：按2019年起的数据预测" in row.explanation_zh
    assert "the series changed step in 2019: projected from 2019 on" in row.explanation_en


def test_shipped_c06_below_its_ceiling_every_year_is_not_flagged(shipped):
    row = shipped.loc["C06"]  # 1.3-2.6% against "< 3" since 2015, no trend
    assert row.method == "level" and row.status == "achieved" and row.p_meet >= 0.75


def test_shipped_c21_near_100_is_not_flagged(shipped):
    row = shipped.loc["C21"]
    assert row.status in ("achieved", "on_track") and row.p_meet >= 0.75
    assert row.projected_lower_95 > 85


def test_shipped_w41_sex_ratio_is_judged_on_the_normal_range(shipped):
    row = shipped.loc["W41"]
    assert row.method == "binomial"
    assert row.status in ("achieved", "on_track")
    assert 103 <= row.projected_value <= 107
    assert "男婴占比" in row.explanation_zh and "正常范围103–107" in row.explanation_zh
    assert "share of boys among births" in row.explanation_en
