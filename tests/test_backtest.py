"""Hold-out evaluation and baselines (planlib.forecast.backtest)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from planlib.forecast import backtest as bt
from planlib import calibration as cal

PANEL = pd.DataFrame({
    "region": ["A"] * 6 + ["B"] * 6 + ["C"] * 5,
    "year": [2000, 2001, 2002, 2003, 2004, 2008] * 2 + [2000, 2001, 2002, 2003, 2008],
    "value": [4.0, 3.6, 3.2, 2.8, 2.4, 1.9,      # falls below 2.1
              2.5, 2.52, 2.49, 2.51, 2.5, 2.6,   # flat above
              3.0, 2.9, 2.8, 2.7, 2.3],          # 2004 missing: left out
})
WINDOW = bt.Window(2000, 2004, 2008, op="<", threshold=2.1)


def test_baselines_are_the_three_two_point_measures():
    points = bt.baseline_points(np.array([2000, 2004]), np.array([4.0, 2.4]), 2008)
    assert points["last_value"] == 2.4
    assert points["drift"] == pytest.approx(0.8)
    assert points["growth_rate"] == pytest.approx(2.4 * (2.4 / 4.0))


def test_holdout_forecasts_rows_and_truths():
    out = bt.holdout_forecasts(PANEL, WINDOW, methods=("auto", "linear", "ets_damped"))
    assert sorted(out["region"].unique()) == ["A", "B"]  # C lacks 2004
    a = out[out["region"] == "A"].set_index("method")
    # ets_damped needs 10 points: left out rather than silently replaced
    assert a.index.tolist() == ["auto", "linear", "last_value", "drift", "growth_rate"]
    assert a.loc["linear", "forecast"] == pytest.approx(0.8)
    assert a.loc["linear", "lower_95"] >= 0  # bounded below by 0
    assert a["truth"].eq(1.9).all() and a["met"].all()
    assert a.loc["last_value", "p_meet"] == 0.0 and a.loc["drift", "p_meet"] == 1.0
    b = out[out["region"] == "B"].set_index("method")
    assert b.loc["auto", "p_meet"] < 0.05 and not b["met"].any()


def test_score_medians_coverage_and_brier():
    out = bt.holdout_forecasts(PANEL, WINDOW, methods=("linear",))
    scores = bt.score(out)
    assert scores.index.tolist() == ["linear", "last_value", "drift", "growth_rate"]
    last = scores.loc["last_value"]
    assert last["n"] == 2
    assert last["median_abs_error"] == pytest.approx(np.median([0.5, 0.1]))
    assert math.isnan(last["coverage_95"])
    assert last["brier"] == pytest.approx(0.5)  # wrong about A, right about B
    assert scores.loc["linear", "coverage_95"] == 0.5  # B jumps to 2.6, above its interval


def test_national_reference_series_carry_their_targets():
    nat = bt.load_national_reference()
    assert nat.groupby("series").size().min() >= 15
    targets = nat.groupby("series")["threshold"].first()
    assert sorted(targets.tolist()) == [3.0, 5.0, 6.0, 12.0]
    assert set(nat["op"]) == {"<"}


def test_national_forecasts_fit_to_2018_and_compare_with_2024():
    out = bt.national_forecasts(methods=("auto",))
    auto = out[out["method"] == "auto"]
    assert len(auto) == 4
    assert auto["p_meet"].between(0, 1).all()
    assert (auto["lower_95"] < auto["truth"]).all() and (auto["truth"] < auto["upper_95"]).all()


def test_markdown_table():
    text = bt.markdown_table(pd.DataFrame({"n": [3], "brier": [float("nan")]}, index=["auto"]))
    assert text.splitlines() == ["|  | n | brier |", "|---|---|---|", "| auto | 3 |  |"]


@pytest.mark.slow  # imports statsmodels' datasets
def test_fertility_data_are_shipped_and_tidy():
    tfr = bt.load_fertility()
    assert tfr["region"].nunique() == 210
    assert tfr.loc[(tfr["region"] == "China") & (tfr["year"] == 2003), "value"].iloc[0] < 2.1
    assert not tfr.duplicated(["region", "year"]).any()


# --- calibration: simulated families and real series -----------------------------------------------

def test_families_draw_reproducible_county_like_series_with_their_truth():
    for family in cal.FAMILIES:
        a, b = cal.draw_cases(family, 3, seed=4), cal.draw_cases(family, 3, seed=4)
        for x, y in zip(a, b):
            pd.testing.assert_frame_equal(x.series, y.series)
            assert x.series["year"].tolist() == list(range(2015, 2025))
            assert x.extra["year"].tolist() == [2025]
            assert 0.0 <= x.p_true <= 1.0 and x.target_text
    step = cal.draw_cases(cal.FAMILIES[1], 5)
    assert all(c.met and c.p_true == 1.0 and set(c.series["value"]) == {0.0, 100.0} for c in step)


def test_family_probabilities_are_what_they_say():
    flat = [c for c in cal.draw_cases(next(f for f in cal.FAMILIES if f.name == "flat_share"), 400)]
    assert np.mean([c.p_true for c in flat]) == pytest.approx(0.25, abs=0.02)
    assert np.mean([c.met for c in flat]) == pytest.approx(0.25, abs=0.06)
    ratio = cal.draw_cases(next(f for f in cal.FAMILIES if f.name == "noisy_ratio"), 50)
    for c in ratio:  # value = 100 * boys / girls
        assert np.allclose(c.series["value"], 100 * c.series["numerator"] / c.series["denominator"])


def test_calibration_cases_assess_like_planlib_assess():
    family = next(f for f in cal.FAMILIES if f.name == "step")
    out = cal.calibration_cases(family, cal.draw_cases(family, 4))
    auto = out[out["method"] == "auto"]
    assert len(out) == 4 * 4 and set(out["method"]) == {"auto", *bt.BASELINES}
    assert (auto["status"] == "achieved").all() and (auto["p_meet"] > 0.99).all()
    assert (auto["used"] == "level").all()
    scores = cal.calibration_score(out)
    assert scores.loc["auto", "false_alarm"] == 0.0 and scores.loc["auto", "flip"] == 0.0
    assert scores.loc["growth_rate", "brier"] == 1.0  # 0 -> 100 has no two-point growth rate


def test_real_calibration_has_statuses_and_flips():
    nat = bt.load_national_reference()
    c02 = nat[nat["series"] == "C02"]
    window = bt.Window(int(c02["year"].min()), 2018, 2024, op="<", threshold=5.0)
    out = cal.real_calibration(c02, window, key="series")
    auto = out[out["method"] == "auto"].iloc[0]
    assert auto["status"] in ("on_track", "at_risk", "off_track", "achieved")
    assert auto["status_next"] in ("on_track", "at_risk", "off_track", "achieved")
    assert auto["lower_80"] >= auto["lower_95"] and auto["upper_80"] <= auto["upper_95"]
    assert auto["met"] and auto["truth"] == 4.0


def test_a_flag_with_memory_carried_from_2021_flips_less_and_a_zero_band_changes_nothing():
    """The flag history is assessed as planlib assess --as-of would: with band 0 its flags in 2024
    and 2025 are exactly the benchmark's plain statuses; a band of 0.10 keeps flags across years."""
    family = next(f for f in cal.FAMILIES if f.name == "steady_trend")
    cases = cal.draw_cases(family, 40)
    out = cal.calibration_cases(family, cases)
    plain = cal.calibration_score(out).loc["auto"]
    history = cal.flag_history(family, cases)
    assert sorted(history["year"].unique()) == list(range(2021, 2026)) and len(history) == 5 * 40
    assert out.loc[out["method"] == "auto", "p_next"].between(0, 1).all()
    none, held = cal.held_scores(history, 0.0), cal.held_scores(history, 0.10)
    assert none["flip"] == pytest.approx(plain["flip"]) and none["flagged"] == pytest.approx(plain["flagged"])
    assert held["flip"] < none["flip"]
    carried = cal.carried_flags(history, 0.10)
    assert (carried["held"] != carried["flag"]).any()  # some flags are kept from an earlier year
    kept = carried[carried["held"] != carried["flag"]]
    assert ((kept["p_meet"] - 0.75).abs().lt(0.10) | (kept["p_meet"] - 0.25).abs().lt(0.10)).all()

