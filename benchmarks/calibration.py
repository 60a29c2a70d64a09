"""Calibration of the at-risk flags: are the probabilities ``planlib assess`` gives honest?

Two parts:

* *Simulated series whose truth is known by construction* (``planlib.calibration.FAMILIES``):
  county-like series for 2015-2024 (steady near-bound rates, steps, flat noisy shares, steady
  trends, rare events among births, noisy sex ratios, drifting shares), one more ordinary year
  (2025) and the 2030 value drawn from the same process.  Every draw is assessed exactly as
  ``planlib assess`` does it (``assess_detail``), so these are the flags leadership sees.
* *Real series*: World Bank total fertility (shipped with statsmodels; fit 1993-2003, judged in
  2011 against "< 2.1") and China's national mortality series (fit to 2018, judged in 2024
  against the national 2030 targets).

For each family and data set: the Brier score of ``p_meet`` beside the three two-point
baselines (0/1 calls), the coverage of the 80% and 95% intervals, the false-alarm rate (flagged
at risk or off track where meeting is near-certain), the share flagged, and how often the flag
(none / at risk / off track) changes when one more ordinary year is added.  Writes the section
between the calibration markers of ``docs/benchmarks.md``, ``docs/calibration_reliability.png``
and ``data/calibration.csv`` (how often each flag's cases met: the evidence the report's method
note quotes).

Run: ``.venv/bin/python benchmarks/calibration.py [--draws 1000]`` (about three minutes).
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # tiny matrices: threads only contend

import argparse  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from planlib.forecast import backtest as bt  # noqa: E402
from planlib import calibration as cal  # noqa: E402
from planlib import config, schema  # noqa: E402
from planlib.assessment import AssessConfig  # noqa: E402
from planlib.files import atomic_write_bytes  # noqa: E402

DOC = config.ROOT / "docs" / "benchmarks.md"
PNG = config.ROOT / "docs" / "calibration_reliability.png"
BEGIN, END = "<!-- calibration:begin -->", "<!-- calibration:end -->"
GOALS = {"coverage_95": (0.90, 0.97), "false_alarm": 0.05, "flip": 0.10}


def simulated(draws: int, seed: int) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """Forecast frames of every simulated family, and the flag histories (2021-2025) of those
    whose flags come from ``p_meet``, for the flag with memory."""
    results, histories = {}, {}
    for family in cal.FAMILIES:
        cases = cal.draw_cases(family, draws, seed)
        results[family.name] = cal.calibration_cases(family, cases)
        if family.flags_from_p:
            histories[family.name] = cal.flag_history(family, cases, forecasts=results[family.name])
    return results, histories


def real() -> dict[str, pd.DataFrame]:
    """Forecast frames of the real data sets (fertility; the four national series together)."""
    out = {cal.FERTILITY: cal.real_calibration(bt.load_fertility(), bt.FERTILITY_TEST)}
    frames = []
    for _, series in bt.load_national_reference().groupby("series", sort=True):
        window = bt.Window(int(series[schema.YEAR].min()), 2018, 2024, op=series["op"].iloc[0],
                           threshold=float(series["threshold"].iloc[0]))
        frames.append(cal.real_calibration(series, window, key="series"))
    out[cal.NATIONAL_MORTALITY] = pd.concat(frames, ignore_index=True)
    return out


#: Bands of the flag with memory (``planlib.calibration.held_flag``, carried from 2021) whose
#: figures the reading gives beside today's; the table's ``*_held`` columns use the last.
HELD_BANDS = (0.05, 0.10)
#: A rise of the share flagged beyond this, with memory, is named in the reading.
STICKIER = 0.05


def held_lines(histories: dict[str, pd.DataFrame], frame: pd.DataFrame) -> list[str]:
    """What a flag with memory would do where the flips miss the goal, in words."""
    parts, stickier = [], []
    for name, row in frame[frame["flip"] > GOALS["flip"]].iterrows():
        if name not in histories:
            continue
        scores = [cal.held_scores(histories[name], b) for b in HELD_BANDS]
        if scores[-1]["flagged"] > row["flagged"] + STICKIER:
            stickier.append(f"`{name}` ({row['flagged']:.1%} -> {scores[-1]['flagged']:.1%} flagged, "
                            f"{scores[-1]['met_at_risk']:.1%} of its at-risk cases met)")
        flips = " / ".join(f"{s['flip']:.1%}" for s in scores)
        flagged = " / ".join(f"{s['flagged']:.1%}" for s in scores)
        met = " / ".join(f"{s['met_at_risk']:.1%}" for s in scores)
        parts.append(f"`{name}` flips {row['flip']:.1%} -> {flips}, flagged {row['flagged']:.1%} -> "
                     f"{flagged} (at-risk cases that met: {met})")
    if not parts:
        return []
    cfg = AssessConfig()

    def joined(values, form: str = ".2f") -> str:
        return " / ".join(f"{v:{form}}" for v in values)

    return [f"A flag with memory (not what `planlib assess` does): a flag changes only when `p_meet` "
            f"moves {joined(HELD_BANDS, 'g')} past the cut-off it crosses (at risk becomes on track "
            f"only from {joined(cfg.on_track + b for b in HELD_BANDS)}, on track at risk only below "
            f"{joined(cfg.on_track - b for b in HELD_BANDS)}), the memory carried from the plan's "
            f"first assessment ({cfg.plan_start}) year by year to {cal.LAST_YEAR}, each year assessed "
            f"as `planlib assess --as-of` would. Then: " + "; ".join(parts)
            + f". Columns `flip_held`, `flagged_held`: band {HELD_BANDS[-1]:g}."
            + (" The stability is bought by keeping old flags where the evidence has moved on: with "
               f"band {HELD_BANDS[-1]:g} more cases stay flagged on " + "; ".join(stickier) + "."
               if stickier else "")]


def table(results: dict[str, pd.DataFrame], histories: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """One row per family / data set: auto's figures beside the best baseline's Brier score, and
    (where ``histories`` has the family) the flag with memory's flips and share flagged."""
    rows = {}
    histories = histories or {}
    for name, forecasts in results.items():
        held = cal.held_scores(histories[name], HELD_BANDS[-1]) if name in histories else {}
        scores = cal.calibration_score(forecasts)
        auto = scores.loc[bt.AUTO]
        base = scores.loc[list(bt.BASELINES), "brier"]
        rows[name] = {
            "n": int(auto["n"]), "brier": auto["brier"],
            **{f"brier_{b}": base[b] for b in bt.BASELINES},
            "brier_known_form": scores.loc[cal.KNOWN_FORM, "brier"] if cal.KNOWN_FORM in scores.index else np.nan,
            "flip_known_form": scores.loc[cal.KNOWN_FORM, "flip"] if cal.KNOWN_FORM in scores.index else np.nan,
            "flip_held": held.get("flip", np.nan), "flagged_held": held.get("flagged", np.nan),
            "coverage_80": auto["coverage_80"], "coverage_95": auto["coverage_95"],
            "false_alarm": auto["false_alarm"], "flagged": auto["flagged"], "flip": auto["flip"],
            "mean_p_meet": forecasts.loc[forecasts[schema.METHOD] == bt.AUTO, "p_meet"].mean(),
            "share_met": forecasts.loc[forecasts[schema.METHOD] == bt.AUTO, "met"].mean(),
        }
    return pd.DataFrame(rows).T


def evidence(results: dict[str, pd.DataFrame], draws: int, seed: int) -> pd.DataFrame:
    """``data/calibration.csv``: how often each flag's cases met, pooled and per data set."""
    pooled = {pool: pd.concat([results[n] for n in names if n in results], ignore_index=True)
              for pool, names in cal.POOLS.items()}
    out = cal.flag_reliability({**pooled, **results})
    return out.round({"mean_p_meet": 4, "share_met": 4}).assign(draws=draws, seed=seed)


def verdicts(frame: pd.DataFrame) -> list[str]:
    """Which goals each family meets, in words."""
    lines = []
    lo, hi = GOALS["coverage_95"]
    for name, row in frame.iterrows():
        base = min(row[f"brier_{b}"] for b in bt.BASELINES)
        misses = []
        if row["brier"] > base + 5e-4:
            known = row.get("brier_known_form", np.nan)
            misses.append(f"Brier {row['brier']:.3f} > best baseline {base:.3f}" + (
                f" (knowing the form of the process gives {known:.3f})" if np.isfinite(known) else ""))
        if not lo <= row["coverage_95"] <= hi:
            misses.append(f"95% coverage {row['coverage_95']:.1%}")
        if np.isfinite(row["false_alarm"]) and row["false_alarm"] > GOALS["false_alarm"]:
            misses.append(f"false alarms {row['false_alarm']:.1%}")
        if row["flip"] > GOALS["flip"]:
            known = row.get("flip_known_form", np.nan)
            misses.append(f"flips {row['flip']:.1%}" + (
                f" (the known-form reference flips {known:.1%})" if np.isfinite(known) else ""))
        lines.append(f"- {name}: " + ("meets every goal" if not misses else
                                       "misses: " + "; ".join(misses)))
    return lines


def reliability_frame(results: dict[str, pd.DataFrame], bins: int = 10) -> pd.DataFrame:
    """Binned ``p_meet`` against the share met, pooled as ``planlib.calibration.POOLS`` (the
    simulated families whose status comes from ``p_meet``; the real data sets)."""
    parts = []
    for group, names in cal.POOLS.items():
        pooled = pd.concat([results[n] for n in names if n in results], ignore_index=True)
        rel = bt.reliability(pooled, bins=bins)
        parts.append(rel.assign(group=group))
    return pd.concat(parts, ignore_index=True)


def write_png(rel: pd.DataFrame, path: Path) -> None:
    """The reliability diagram: share met against the mean probability given, per band."""
    import altair as alt
    import vl_convert as vlc

    x = alt.X("mean_p_meet:Q", title="mean p_meet in band", scale=alt.Scale(domain=[0, 1]))
    y = alt.Y("share_met:Q", title="share that met the target", scale=alt.Scale(domain=[0, 1]))
    color = alt.Color("group:N", title=None)
    line = alt.Chart(rel).mark_line().encode(x=x, y=y, color=color, order="mean_p_meet:Q")
    points = alt.Chart(rel).mark_circle(opacity=0.8).encode(
        x=x, y=y, color=color, size=alt.Size("n:Q", title="cases", scale=alt.Scale(range=[30, 600])))
    diagonal = alt.Chart(pd.DataFrame({"x": [0.0, 1.0], "y": [0.0, 1.0]})).mark_line(
        strokeDash=[4, 4], color="gray").encode(x="x:Q", y="y:Q")
    chart = (diagonal + line + points).properties(
        width=380, height=380, title="Reliability of p_meet (diagonal = calibrated)")
    path.write_bytes(vlc.vegalite_to_png(chart.to_dict(), scale=2))


#: How to read the goals that are missed (checked against the figures when this was written).
READING = [
    "Reading the misses:",
    "",
    "The table has 1000 draws of each family. The experiments quoted below were run on the first "
    "300 (or fewer, as each says) draws of seed 0, which are the table's first 300, before the "
    "table went to 1000 draws: their figures compare with each other, not with the table's. On "
    "1000 draws some goals that 300 had left within their noise are missed clearly (the verdicts "
    "above): `noisy_ratio`'s false alarms, `drifting_share`'s coverage.",
    "",
    "- `near_bound`, `china_mortality`: every case met (or the growth-rate call was right in "
    "all four), so the baselines' 0/1 calls score 0; an honest probability of 0.98 cannot.",
    "- `step`: a constant 100 has a degenerate interval (100-100), so its coverage is 100% by "
    "construction.",
    "- `steady_trend`: each target is set from that draw's own true trend (its 2030 mean less "
    "1.645 sd), which a forecaster must estimate from ten noisy points. A forecaster who knows "
    "that the series is a straight line under normal noise (`brier_known_form`, the exact t "
    "predictive) gives these cases 0.80 on average although 95% of them meet, and scores "
    "0.077, only a little better than the growth-rate baseline's 0.087 (300 draws): the goal "
    "asks for nearly that ideal. On `flat_share` the same reference scores 0.192 and `auto` "
    "0.206. The growth-rate baseline "
    "gets there by overshooting every rising series, so always saying \"met\". `auto` adds "
    "allowances for model error and for trends changing, which the real fertility series need: "
    "without the floor of the trend-change allowance (`trend_change_floor=0`, 150 draws) Brier "
    "0.153 instead of 0.161 and 95% coverage 98.0% instead of 99.3%, fertility coverage 91.9% "
    "instead of 92.9%; without both allowances Brier 0.137 and coverage 94.0%, but fertility "
    "coverage 83.8%.",
    "- `noisy_ratio`: 趋于平衡 is read as \"not shown to be outside the normal range 103-107\" "
    "(`planlib.assessment.rules.balance_status`): `p_meet` is the probability that the "
    "underlying ratio (the share of boys births are drawn from, binomial posterior of the pooled "
    "recent years) lies in the band, and the case counts as met when the underlying 2030 ratio "
    "does (the family's `met`), so Brier and false alarms are judged on the same quantity the "
    "status is. With 3,000-4,500 births a year that ratio is known to about ±1.7, so `p_meet` "
    "rarely exceeds 0.75 even in the middle of the band; the flag therefore needs evidence of "
    "being outside on one side: at risk from a probability of 0.95 beyond an edge (the 90% "
    "interval of the underlying ratio wholly outside: a one-sided test at the 5% level, so "
    "that at most about 5% of ratios that are in fact normal are flagged, the false-alarm "
    "goal), off track from 0.975 (the 95% interval wholly outside). With 0.90 (the 80% "
    "interval) false alarms were 6.9% on 1000 draws (seed 0; 4.5% on seed 1) against 3.6% "
    "(2.8%) with 0.95, flagged 29.7% against 23.0%. The cost: a ratio that stays at 108-108.5 "
    "is not flagged unless enough births show it (nine years of 4,000 births at 108.3 give 87% "
    "above 107: not flagged).",
    "- flips: where the true probability sits at a cut-off (0.25 for `flat_share` by "
    "design, about 0.75 for `steady_trend`, rare events whose target is near their rate), one "
    "more year moves it across the cut-off about as often as not. Measured on 80 draws "
    "(seed 0): the method `auto` uses changes with the extra year in 0% of `rare_events` "
    "(always poisson), 4% of `flat_share`, 10% of `steady_trend` and 10% of `drifting_share` "
    "cases; a change of method goes with 0%, 28%, 12% and 41% of their flips. Most flips of the "
    "first three are `p_meet` moving 0.1-0.2 across 0.25 or 0.75 (80%, 82% and 69% of them "
    "start within 0.1 of a cut-off): one more year's information, not model switching; in "
    "`drifting_share` switching between the level and a line is a real part (not fixed yet). "
    "The known-form reference (`flip_known_form`: flagged by the same rule, refitted with the "
    "extra year; 300 draws) flips 18.0% of `steady_trend`, 20.7% of `rare_events` and 8.3% of "
    "`flat_share` cases: on steady trends and rare events the 10% goal is out of reach of any "
    "honest probability with cut-offs at 0.25 and 0.75, since the information of one more year "
    "moves even that forecaster's flag so often (on `rare_events` `auto` is level with it: "
    "Brier 0.225 against 0.226, flips 22.0% against 20.7%). On `drifting_share` the "
    "local-level model flips 10.3% against `auto`'s 19.3%, with Brier 0.132 against 0.139 "
    "(but a 95% coverage of 86.7%: its plug-in variances are too sure): a random walk under "
    "noise is a form `auto` does not have, and switching between the level and a line costs "
    "it the difference. Adding such a model (simple exponential smoothing, the local level) "
    "to `auto` is the open lead; a statsmodels fit costs about 5.5 ms (600 fits "
    "in 3.3 s), so with auto's six backtest origins about 40 ms a series, some 700 CPU seconds "
    "for the batch benchmark's 200 regions, which the batch goal cannot afford as it stands.",
    "- tried and not adopted (150 draws, seed 0, same families, fertility test window): fitting "
    "the recent window only when it beats every point by 15% / 30% (`flat_share` flips 11.3% "
    "-> 10.7% / 12.0%, `drifting_share` 20.7% -> 21.3% / 20.0%, `steady_trend` 30.0% -> 27.3% / "
    "22.7%, but fertility median error 0.136 -> 0.143 / 0.147 and Brier 0.051 -> 0.055 / "
    "0.054); `trend_margin` 0.2 or `trend_min_t` 2 (flips within a point of today's; "
    "`trend_min_t` 2 costs fertility 0.007 of median error); a tighter Poisson slope prior "
    "(sd 0.05 / 0.03: `rare_events` flips 23.0% -> 21.5% / 16.5%, but 80% coverage 0.805 -> "
    "0.790 / 0.770 and flagged 73% -> 80% / 87%: stability bought by ignoring real trends); "
    "t-quantiles for the backtest discrepancy (`drifting_share` 95% coverage unchanged at "
    "0.893, fertility 0.929 -> 0.949); `trend_change_floor` 0 or 0.15 (`steady_trend` Brier "
    "0.168 -> 0.164 at 100 draws, coverage 0.99 -> 0.97); for `noisy_ratio` (200 draws) pooling "
    "always the recent four years (flips 17.5% -> 19.5%), always every year (15.0%, but false "
    "alarms 9.5% and Brier 0.230 from the lag behind a moving ratio) or the recent years only "
    "when 15% better (18.5%, false alarms 8.4%); a wider tie between candidates, so that the "
    "simplest of them wins more often (`tie_tolerance` 0.15 / 0.3 instead of 0.05: `steady_trend` "
    "Brier 0.161 -> 0.147 / 0.147 and flips 30.0% -> 24.7% / 23.3%, but fertility Brier 0.051 "
    "-> 0.056 / 0.057 and flips 6.1% -> 7.1% / 9.6%, `drifting_share` Brier 0.139 -> 0.144 / "
    "0.149); the constant level replaced by a local level (a random walk under noise: a "
    "closed-form Kalman filter averaged over the signal-to-noise ratio q in 0, 0.01, 0.03, "
    "0.1, 0.3, 1, 3, with prior mass 1/7 / 0.5 / 0.75 on q = 0; 300 draws): `drifting_share` "
    "95% coverage 0.893 -> 0.933 / 0.917 / 0.910 and fertility 0.929 -> 0.949 / 0.944 / "
    "0.949 with flips 6.1% -> 4.1% / 4.6% / 4.6%, but `flat_share` coverage 0.963 -> 0.980 "
    "/ 0.977 / 0.970, `near_bound` 0.963 -> 0.983 / 0.973 / 0.970, and `drifting_share` "
    "flips 19.3% -> 19.7% / 19.7% / 21.7%: the flips the local-level reference avoids come "
    "from switching between the level and a line, which this does not change, and the "
    "coverage it buys on one family it costs on two others (with `trend_margin` 0.25 beside it, "
    "prior 0.5: `drifting_share` flips 17.3%, `flat_share` 8.7%, but `flat_share` coverage "
    "0.980 and `steady_trend` Brier 0.165). None of them is an honest fix.",
    "- why the allowance for changing trends stays, although the simulated steady trends never "
    "change: in real series a straight past does not promise a straight future. Of the 197 "
    "fertility series of the test window, 13 have residuals around their line that look like "
    "white noise (curvature evidence below the floor 0.33, as in `steady_trend`); `auto`'s 95% "
    "interval held the 2011 value for 7 of them with the floor and for 5 without it (all 197: "
    "92.9%). Cote d'Ivoire fell in a straight line from 6.0 to 5.13 over 1993-2003 and then "
    "stalled: 4.91 in 2011 against a projected 4.52 (4.17-4.90 even with the floor).",
    "- tried this stop and not adopted (seed 0): the backtest discrepancy counted only where it "
    "stands out of its own noise (its mean less 1 / 2 standard errors, 150 draws): `steady_trend` "
    "Brier 0.161 -> 0.154 / 0.150, but `drifting_share` 95% coverage 0.893 -> 0.853 / 0.813 and "
    "fertility 0.929 -> 0.898 / 0.878; the discrepancy of straight-line fits scaled by the "
    "evidence of a changing trend (floor 0 / 0.33, 300 draws): `steady_trend` Brier 0.154 -> "
    "0.142 / 0.144, and 0.125 (coverage 0.937, flagged 45.7%) with `trend_change_floor` 0 as "
    "well, but `drifting_share` coverage 0.857 / 0.867 / 0.850 and fertility 0.914 / 0.919 / "
    "0.909: a random walk read as a line needs exactly that widening; the logit line tried only "
    "where a share comes within 5% (or 10%) of a bound or bends (300 draws): `steady_trend` Brier "
    "0.154 -> 0.143 and flips 26.0% -> 25.0%, other families unchanged, but on the shipped data "
    "全国's C19 went from a logit line (p 0.92, 90.5-100) to a level with a 95% interval of "
    "2.4-100, and the county's C22 from off track to at risk on a straight line cut off at 100: "
    "the logit line is what keeps intervals near a bound honest.",
    "- a flag with memory that holds only against a worsening (a new flag, or a worse one, needs "
    "`p_meet` a band past the cut-off; a flag is lifted as soon as `p_meet` is past it), carried "
    "from 2021 like the one above (band 0.10 / 0.15, 300 draws, seed 0): it does not keep old "
    "flags (`steady_trend` flagged 75.7% -> 71.7% / 70.3%), but the flips stay above the goal "
    "(`steady_trend` 26.0% -> 18.0% / 16.7%, `rare_events` 22.0% -> 12.3% / 9.3%, "
    "`drifting_share` 19.3% -> 15.0% / 14.7%; `flat_share` 10.3% -> 5.3% / 5.0%): half of the "
    "flips are flags lifted, and lifting them late is what makes the symmetric memory sticky.",
    "- `drifting_share` coverage (89.3% on the first 300 draws, within two standard errors of "
    "90%; below 90% on 1000, see the table): the level on the recent four points covers 87% of cases, the straight line that `auto` "
    "sometimes reads into a random walk 76% (its error 4.4 against an interval sd of 2.5, "
    "200 draws); the level on every point covers 95%. Letting the level's model-error allowance "
    "grow faster with the horizon (`level_discrepancy_power` 0.75 / 1.0 instead of 0.5, 1000 "
    "draws) lifts that coverage from 87.9% to 89.2% / 90.1%, but flips rise from 17.2% to "
    "18.1% / 20.3% and Brier from 0.140 to 0.143 / 0.147, and with 1.0 `near_bound`'s Brier goes "
    "from 0.002 to 0.007 (300 draws): rates steady near 100% get the wider intervals the issue "
    "began with. Not adopted.",
]


def render(frame: pd.DataFrame, rel: pd.DataFrame, draws: int, seed: int,
           held: list[str] = ()) -> str:
    descriptions = [f"- `{f.name}`: {f.description}" for f in cal.FAMILIES]
    return "\n".join([
        BEGIN,
        "## Calibration of the at-risk flags",
        "",
        "_Generated by `benchmarks/calibration.py`; do not edit by hand._",
        "",
        f"Simulated families ({draws} draws each, seed {seed}), series 2015-2024 assessed by "
        "`assess_detail` for 2030; one more ordinary year (2025) drawn from the same process "
        "for the flip rate:",
        "",
        *descriptions,
        "",
        "Real data: `wb_fertility` (World Bank total fertility, fit 1993-2003, judged in 2011 "
        "against \"< 2.1\"; one more year = 2004) and `china_mortality` (national neonatal, "
        "infant, under-5 and maternal mortality, fit to 2018, judged in 2024 against the "
        "national 2030 targets; one more year = 2019).",
        "",
        "Columns: `brier` of `p_meet` and of the three baselines' 0/1 calls; `brier_known_form`: "
        "the Brier score of a forecaster who knows the form of the process but not its "
        "parameters (where the family is that simple): for a straight line or a constant level "
        "the exact Student t predictive of the ten points; for rare events the log-linear "
        "Poisson model among births (maximum likelihood, its coefficients' normal approximation "
        "integrated over); for a drifting share the local-level model, a random walk under "
        "noise (maximum likelihood plug-in, so somewhat overconfident); `flip_known_form`: how "
        "often that forecaster's flag (same rule) changes with one more year; `flip_held`, "
        f"`flagged_held`: `auto`'s flips and share flagged if a flag changed only when `p_meet` "
        f"moved {HELD_BANDS[-1]:g} past the cut-off it crosses, the memory carried from "
        f"{AssessConfig().plan_start} (a flag with memory, not what `planlib assess` does; "
        "simulated families whose status comes from `p_meet` only); `coverage_80/95` of "
        "the projection intervals; `false_alarm` = share flagged at risk or off track among "
        f"cases whose true probability of meeting is at least {cal.NEAR_CERTAIN:.0%} (real data: "
        f"met in the evaluation year and in each of the last {bt.MET_LATELY_YEARS} fitted years "
        f"with a {bt.MET_LATELY_MARGIN:.0%} margin; empty where there are none); `flagged` = "
        "share flagged at all; `flip` = share whose flag (none / at risk / off track) changes "
        "when one more ordinary year is added; `mean_p_meet` beside `share_met`.",
        "",
        bt.markdown_table(frame),
        "",
        "Goals: Brier at most the best baseline's, 95% coverage 90-97%, false alarms at most 5%, "
        "flips at most 10%.",
        "",
        *verdicts(frame),
        "",
        *held,
        "",
        "How often the cases of each flag met their target (pooled and per data set) is in "
        "`data/calibration.csv`, written by the same run; the report's method note "
        "(评估方法说明) quotes it. The pooled figures and the reliability diagram leave out "
        + ", ".join(f"`{n}`" for n in cal.OWN_RULE) + ", whose status comes from a rule of its "
        "own rather than from `p_meet` (its `p_meet` is the probability that the underlying "
        "ratio lies in the band, not what its status says).",
        "",
        *READING,
        "",
        "![Reliability diagram](calibration_reliability.png)",
        "",
        bt.markdown_table(rel.set_index("group")),
        "",
        END,
    ])


def splice(doc: str, section: str) -> str:
    """``doc`` with the calibration section replaced (or appended)."""
    if BEGIN in doc and END in doc:
        head, rest = doc.split(BEGIN, 1)
        return head + section + rest.split(END, 1)[1]
    return doc.rstrip("\n") + "\n\n" + section + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000, help="draws per simulated family")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", default=str(DOC), help="Markdown file to update")
    parser.add_argument("--png", default=str(PNG), help="reliability diagram to write")
    parser.add_argument("--csv", default=str(config.CALIBRATION_PATH),
                        help="evidence file the report's method note quotes")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    results, histories = simulated(args.draws, args.seed)
    results.update(real())
    frame, rel = table(results, histories), reliability_frame(results)
    section = render(frame, rel, args.draws, args.seed, held_lines(histories, frame))
    print(section)
    write_png(rel, Path(args.png))
    out = Path(args.output)
    text = splice(out.read_text(encoding="utf-8") if out.exists() else "", section)
    atomic_write_bytes(out, text.encode("utf-8"))
    atomic_write_bytes(Path(args.csv), evidence(results, args.draws, args.seed)
                       .to_csv(index=False, lineterminator="\n").encode("utf-8"))
    print(f"wrote {out}, {args.png} and {args.csv} in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
