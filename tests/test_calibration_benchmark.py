"""The calibration benchmark script: its table, verdicts and the section it keeps in the docs."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_splice_replaces_only_the_calibration_section():
    cal = _load("calibration")
    doc = f"# Benchmarks\n\nbefore\n\n{cal.BEGIN}\nold\n{cal.END}\n\nafter\n"
    out = cal.splice(doc, f"{cal.BEGIN}\nnew\n{cal.END}")
    assert "old" not in out and "new" in out and out.startswith("# Benchmarks") and "after" in out
    assert cal.splice("# B\n", f"{cal.BEGIN}\nx\n{cal.END}").endswith(f"{cal.END}\n")


def test_backtest_benchmark_keeps_the_calibration_section(tmp_path):
    cal, back = _load("calibration"), _load("backtest")
    out = tmp_path / "benchmarks.md"
    out.write_text(f"# old\n\n{cal.BEGIN}\nfigures\n{cal.END}\n", encoding="utf-8")
    text = back.keep_sections(out, "# new\n")
    assert text.startswith("# new") and f"{cal.BEGIN}\nfigures\n{cal.END}" in text


def test_backtest_benchmark_keeps_the_batch_section(tmp_path):
    back = _load("backtest")
    out = tmp_path / "benchmarks.md"
    out.write_text("# old\n\n<!-- batch:begin -->\n2 workers: 50 s\n<!-- batch:end -->\n", encoding="utf-8")
    text = back.keep_sections(out, "# new\n")
    assert text == "# new\n\n<!-- batch:begin -->\n2 workers: 50 s\n<!-- batch:end -->\n"
    assert back.keep_sections(tmp_path / "absent.md", "# new\n") == "# new\n"


def test_table_and_verdicts_name_the_missed_goals():
    cal = _load("calibration")
    auto = {"method": "auto", "p_meet": [0.9, 0.1], "met": [True, False], "p_true": [1.0, 0.0],
            "truth": [5.0, 1.0], "lower_80": [4.0, 0.5], "upper_80": [6.0, 1.5],
            "lower_95": [3.0, 0.0], "upper_95": [7.0, 2.0], "status": ["at_risk", "off_track"],
            "status_next": ["on_track", "off_track"], "p_next": [0.82, 0.1]}
    base = [pd.DataFrame({"method": b, "p_meet": [1.0, 0.0], "met": [True, False],
                          "p_true": [1.0, 0.0], "truth": [5.0, 1.0]}) for b in ("last_value", "drift", "growth_rate")]
    history = pd.DataFrame({"case": [0, 0, 1, 1], "year": [2024, 2025] * 2, "p_meet": [0.9, 0.82, 0.1, 0.1],
                            "flag": ["at_risk", "not_flagged", "off_track", "off_track"],
                            "met": [True, True, False, False], "p_true": [1.0, 1.0, 0.0, 0.0]})
    forecasts = pd.concat([pd.DataFrame(auto), *base], ignore_index=True)
    frame = cal.table({"toy": forecasts}, {"toy": history})
    row = frame.loc["toy"]
    assert row["brier"] == pytest.approx(0.01) and row["brier_last_value"] == 0.0
    assert row["false_alarm"] == 1.0 and row["flip"] == 0.5 and row["coverage_95"] == 1.0
    assert row["flip_held"] == 0.0 and row["flagged_held"] == 1.0  # at risk -> on track at 0.82 is held (band 0.10)
    assert pd.isna(cal.table({"toy": forecasts}).loc["toy", "flip_held"])  # no history: no figure
    (line,) = cal.verdicts(frame)
    assert "Brier 0.010 > best baseline 0.000" in line and "false alarms 100.0%" in line
    assert "flips 50.0%" in line and "95% coverage 100.0%" in line


@pytest.mark.slow
def test_noisy_sex_ratios_inside_the_band_are_not_flagged_and_flags_are_stable():
    """趋于平衡 on simulated counties (3,000-4,500 births): the ratios that end inside 103-107 are
    not flagged (false alarms were 83% when the status came from P(inside) with the usual cut-offs);
    most ratios that stay high are; one more year changes few flags."""
    from planlib import calibration as cal

    family = next(f for f in cal.FAMILIES if f.name == "noisy_ratio")
    scores = cal.calibration_score(cal.calibration_cases(family, cal.draw_cases(family, 40, 1)))
    auto = scores.loc["auto"]
    assert auto["false_alarm"] <= 0.05
    assert 0.25 <= auto["flagged"] <= 0.6  # about half the draws stay high (108.5-112)
    assert auto["flip"] <= 0.2
    assert auto["brier"] < 0.25


def test_the_known_form_reference_is_the_exact_predictive_and_shows_what_the_target_leaks():
    """Knowing that a family is a straight line (or a level) under normal noise, the exact
    predictive of its ten points gives the probabilities an honest method can hope for: on flat
    shares about the true 25%; on steady trends about 0.80 on average although 95% of them meet
    their target, because each target is set from that draw's own true trend."""
    import numpy as np
    from scipy import stats

    from planlib import calibration as cal

    flat, steady = (next(f for f in cal.FAMILIES if f.name == n) for n in ("flat_share", "steady_trend"))
    flat_p = [flat.known_form(c) for c in cal.draw_cases(flat, 400, 3)]
    assert abs(np.mean(flat_p) - 0.25) < 0.03
    cases = cal.draw_cases(steady, 400, 3)
    steady_p = np.array([steady.known_form(c) for c in cases])
    assert 0.75 < steady_p.mean() < 0.85 and np.mean([c.met for c in cases]) > 0.92
    # the same number statsmodels' OLS prediction interval gives, for one case
    import statsmodels.api as sm

    case = cases[0]
    fit = sm.OLS(case.series["value"].to_numpy(), sm.add_constant(case.series["year"].to_numpy(float) - 2015)).fit()
    pred = fit.get_prediction(np.array([[1.0, 15.0]])).summary_frame(alpha=0.05)
    se = (pred["obs_ci_upper"].iloc[0] - pred["mean"].iloc[0]) / stats.t.ppf(0.975, fit.df_resid)
    threshold = float(case.target_text.split()[-1])
    assert steady_p[0] == pytest.approx(stats.t.sf((threshold - pred["mean"].iloc[0]) / se, fit.df_resid))


def test_the_known_form_reference_has_a_flag_now_and_one_year_later():
    """The known-form reference is flagged by the same rule as ``planlib assess`` and its flag is
    recomputed with the extra year, so its flip rate says how often even the exact predictive
    changes its flag: a steady line that collapses in 2025 flips, one that carries on does not."""
    import numpy as np

    from planlib import calibration as cal

    steady = next(f for f in cal.FAMILIES if f.name == "steady_trend")
    line = 50 + 1.5 * np.arange(16) + np.tile([0.4, -0.4], 8)
    carries_on = cal._case(line, True, 0.95, "≥ 70.00")
    collapses = cal._case(np.r_[line[:10], 40.0, line[11:]], True, 0.95, "≥ 70.00")
    frame = cal.calibration_cases(steady, [carries_on, collapses])
    known = frame[frame["method"] == cal.KNOWN_FORM].set_index("case")
    assert known.loc[0, "p_meet"] > 0.9 and known.loc[0, "status"] == known.loc[0, "status_next"] == "on_track"
    assert known.loc[1, "status"] == "on_track" and known.loc[1, "status_next"] in cal.FLAGGED
    scores = cal.calibration_score(frame)
    assert scores.loc[cal.KNOWN_FORM, "flip"] == 0.5 and scores.loc[cal.KNOWN_FORM, "flagged"] == 0.0
    bench = _load("calibration")
    table = bench.table({"steady_trend": frame})
    assert table.loc["steady_trend", "flip_known_form"] == 0.5
    assert "the known-form reference flips 50.0%" in bench.verdicts(table)[0]


def test_the_poisson_and_local_level_references_give_the_probabilities_their_models_imply():
    """The rare-events reference is the Poisson probability of the fitted rate among the 2030
    births (nearly exact when the data pin the rate down); the drifting-share reference on a
    series without drift is about the constant level's predictive."""
    import numpy as np
    from scipy import stats

    from planlib import calibration as cal

    births = np.full(16, 100_000.0)
    # 5‰ on average and no trend: a pattern symmetric in time has no slope
    deaths = np.r_[510.0, 490, 495, 505, 500, 500, 505, 495, 490, 510, np.full(6, 500.0)]
    pinned = cal._case(deaths / births * 1000, True, 0.8, "< 5.20", (deaths, births))
    # by hand: the fitted log rate in 2030 has variance 1/5000 + 10.5**2 / (500 * 82.5) (Fisher
    # information of ten years of 500 deaths); at most 519 deaths of a mean of 500 then has
    # about a normal chance with variance 500 + (500 * se)**2
    se2 = 1 / 5000 + 10.5 ** 2 / (500 * 82.5)
    by_hand = stats.norm.cdf((519.5 - 500) / np.sqrt(500 + 500 ** 2 * se2))
    assert cal._known_poisson(pinned) == pytest.approx(by_hand, abs=0.02)
    falling = cal._case(deaths * 0.9 ** np.arange(16) / births * 1000, True, 0.5, "< 5.20",
                        (deaths * 0.9 ** np.arange(16), births))
    assert cal._known_poisson(falling) > 0.999  # 2030 is far below 5.2‰ on that trend

    # noise that swings back every year shows no wandering: the level's predictive
    flat = cal._case(40 + np.tile([1.5, -1.5], 8), True, 0.25, "≥ 41.00")
    assert cal._known_local_level(flat) == pytest.approx(cal._known_level(flat), abs=0.05)
    walked = cal._case(np.r_[np.linspace(30, 48, 10), np.full(6, 48.0)], True, 0.9, "≥ 41.00")
    assert cal._known_local_level(walked) > 0.9  # the level now is 48: far above 41


def test_the_evidence_file_pools_the_families_and_keeps_each():
    cal = _load("calibration")

    def frame(statuses, met):
        return pd.DataFrame({"method": "auto", "p_meet": [0.9 if s == "on_track" else 0.5 for s in statuses],
                             "status": statuses, "met": met})

    results = {"flat_share": frame(["at_risk", "at_risk", "on_track"], [True, False, True]),
               "steady_trend": frame(["at_risk", "achieved"], [True, True]),
               "wb_fertility": frame(["off_track"], [False]),
               "noisy_ratio": frame(["at_risk", "on_track"], [False, False])}
    out = cal.evidence(results, draws=3, seed=7).set_index(["data", "flag"])
    assert out.loc[("simulated", "at_risk"), "n"] == 3  # the sex ratio's own rule is not pooled
    assert out.loc[("noisy_ratio", "at_risk"), "n"] == 1
    assert out.loc[("simulated", "at_risk"), "share_met"] == pytest.approx(2 / 3, abs=1e-4)
    assert out.loc[("simulated", "not_flagged"), "n"] == 2  # on track and achieved
    assert out.loc[("real", "off_track"), "share_met"] == 0.0 and ("real", "at_risk") not in out.index
    assert out.loc[("steady_trend", "all"), "n"] == 2 and set(out["draws"]) == {3} and set(out["seed"]) == {7}
