"""The illustrative series: reproducible, realistic, and passing exactly through the plans' values."""

import numpy as np
import pandas as pd
import pytest

from planlib import config
from planlib import schema as S
from planlib.cli import main
from planlib.demo import DemoConfig, build_demo, demo_csv_text, load_demo_spec, trend
from planlib.errors import PlanlibError
from planlib.observations import baseline_observations, load_baselines, load_shipped_observations
from planlib.units import rate_multiplier
from planlib.targets import parse_target

YEARS = list(range(2015, 2025))


@pytest.fixture(scope="module")
def demo(catalog):
    return build_demo(catalog)


@pytest.fixture(scope="module")
def plan():
    return baseline_observations(load_baselines())


@pytest.fixture(scope="module")
def county(catalog):
    obs = load_shipped_observations(catalog)
    return obs[(obs[S.REGION] == config.COUNTY) & obs[S.YEAR].isin(YEARS)]


def test_the_committed_file_is_what_the_script_makes(demo):
    assert config.DEMO_PATH.read_bytes() == demo_csv_text(demo).encode("utf-8")


def test_planlib_demo_writes_the_same_file(tmp_path, capsys):
    out = tmp_path / "demo.csv"
    assert main(["demo", "--output", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    assert out.read_bytes() == config.DEMO_PATH.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["demo.csv"]  # no temporary file left


def test_every_row_is_labelled_demo(demo):
    assert set(demo[S.SOURCE]) == {"demo"}
    assert set(demo[S.STATUS]) == {"estimated"}
    assert set(demo[S.NOTE]) == {"示例数据（非官方统计）"}
    assert set(demo[S.REGION]) == {"石柱县"}
    assert not demo.duplicated([S.INDICATOR_ID, S.REGION, S.YEAR]).any()


def test_every_indicator_has_2015_to_2024_with_the_plan_values(county, catalog, plan):
    years = county.groupby(S.INDICATOR_ID)[S.YEAR].apply(sorted)
    assert set(years.index) == set(catalog[S.INDICATOR_ID])
    assert all(y == YEARS for y in years)
    merged = plan[plan[S.YEAR].isin(YEARS)].merge(county, on=[S.INDICATOR_ID, S.REGION, S.YEAR])
    assert len(merged) == 12
    assert (merged[f"{S.VALUE}_x"] == merged[f"{S.VALUE}_y"]).all()
    assert (merged[f"{S.SOURCE}_y"] != "demo").all()


def test_the_demo_never_restates_a_plan_value(demo, plan):
    keys = set(zip(plan[S.INDICATOR_ID], plan[S.YEAR]))
    assert keys & set(zip(demo[S.INDICATOR_ID], demo[S.YEAR])) == set()
    assert ("C02", 2020) in keys and ("C30", 2015) in keys


def test_neighbours_of_a_plan_value_stay_close_to_it(demo, plan):
    spec = load_demo_spec().set_index("indicator_id")
    values = demo.set_index([S.INDICATOR_ID, S.YEAR])[S.VALUE]
    for row in plan[plan[S.YEAR].isin(YEARS)].itertuples(index=False):
        ident, year, value = row.indicator_id, row.year, row.value
        if spec.loc[ident, "kind"] != "level":
            continue
        for y in (year - 1, year + 1):
            if (ident, y) in values.index:
                assert abs(values[(ident, y)] - value) <= 0.04 * value + 3 * spec.loc[ident, "noise"], (
                    ident, y)


def test_rates_are_events_over_population_exactly(demo, catalog):
    units = catalog.set_index(S.INDICATOR_ID)[S.UNIT]
    rates = demo[demo[S.NUMERATOR].notna()]
    assert sorted(rates[S.INDICATOR_ID].unique()) == ["C01", "C02", "C04", "C16", "C17", "C18",
                                                      "W03", "W41", "W42"]
    factor = rates[S.INDICATOR_ID].map(units).map(rate_multiplier)
    np.testing.assert_allclose(rates[S.VALUE], rates[S.NUMERATOR] / rates[S.DENOMINATOR] * factor,
                               rtol=1e-12)
    assert (rates[S.NUMERATOR] % 1 == 0).all() and (rates[S.DENOMINATOR] % 1 == 0).all()


def test_births_and_child_deaths_are_consistent(demo):
    wide = demo[demo[S.INDICATOR_ID].isin(["C01", "C02", "C04", "W03"])].pivot(
        index=S.YEAR, columns=S.INDICATOR_ID, values=[S.NUMERATOR, S.DENOMINATOR])
    births = wide[S.DENOMINATOR]
    assert births.nunique(axis=1).max() == 1  # one births series for all four rates
    assert births["C01"].between(3500, 4500).all()
    deaths = wide[S.NUMERATOR].dropna()  # years where all three child rates are demo
    assert (deaths["C01"] <= deaths["C02"]).all() and (deaths["C02"] <= deaths["C04"]).all()
    # 2020: the plan's infant mortality 1.5‰ is a whole number of deaths of the demo's births
    births_2020 = wide.loc[2020, (S.DENOMINATOR, "C01")]
    assert births_2020 * 1.5 / 1000 == 6
    assert wide.loc[2020, (S.NUMERATOR, "C01")] <= 6 <= wide.loc[2020, (S.NUMERATOR, "C04")]


def test_maternal_deaths_are_mostly_zero_or_one(demo):
    deaths = demo.loc[demo[S.INDICATOR_ID] == "W03", S.NUMERATOR]
    assert len(deaths) == 8 and deaths.max() <= 2
    assert deaths.isin([0, 1]).mean() >= 0.8
    assert deaths.eq(0).sum() >= 4


def test_counts_are_whole_and_shares_within_0_100(demo, catalog):
    units = demo[S.INDICATOR_ID].map(catalog.set_index(S.INDICATOR_ID)[S.UNIT])
    counts = demo[units.isin(["户", "人"]) | (demo[S.INDICATOR_ID] == "C23")]
    assert set(counts[S.INDICATOR_ID]) == {"W40", "C23", "C27"}
    assert (counts[S.VALUE] % 1 == 0).all()
    assert demo.loc[units == "%", S.VALUE].between(0, 100).all()
    assert (demo[S.VALUE] >= 0).all()


def test_year_to_year_noise_is_realistic(demo):
    values = demo.set_index([S.INDICATOR_ID, S.YEAR])[S.VALUE]
    w01 = values["W01"]
    assert w01.diff().std() > 0.5  # not a straight line
    assert values["W14"].max() - values["W14"].min() < 3.5  # schooling years move slowly
    assert values["C15"].between(9.0, 10.0).all()  # primary pupils sleep 9-10 hours


def _klass(target, last: float, projected: float, slope: float) -> str:
    """A simple reading of a series against its target: the latest value and a linear projection."""
    if target.is_met(last) and target.is_met(projected):
        return "achieved"
    if target.is_met(projected):
        return "on_track"
    return "at_risk" if np.sign(slope) == np.sign(target.value - last) else "off_track"


def test_the_mix_of_scenarios_is_what_the_recipe_says(county, catalog):
    spec = load_demo_spec().set_index("indicator_id")
    found = {}
    for row in catalog.itertuples(index=False):
        target = parse_target(row.target_text)
        if target.kind not in ("threshold", "approx") or spec.loc[row.indicator_id, "kind"] == "births":
            continue
        series = county[county[S.INDICATOR_ID] == row.indicator_id].sort_values(S.YEAR)
        slope, intercept = np.polyfit(series[S.YEAR], series[S.VALUE], 1)
        found[row.indicator_id] = _klass(target, series[S.VALUE].iloc[-1], slope * 2030 + intercept,
                                         slope)
    assert found == spec.loc[list(found), "scenario"].to_dict()
    mix = pd.Series(found).value_counts()
    assert mix["achieved"] >= 10 and mix["on_track"] >= 5
    assert mix["at_risk"] >= 5 and mix["off_track"] >= 3


def test_directional_series_go_both_ways():
    spec = load_demo_spec()
    assert {"improving", "worsening"} <= set(spec["scenario"])
    assert (spec["scenario"] == "worsening").sum() >= 3


def test_it_is_deterministic_and_the_seed_matters(demo, catalog):
    pd.testing.assert_frame_equal(build_demo(catalog), demo)
    other = build_demo(catalog, options=DemoConfig(seed=1))
    assert not np.allclose(other[S.VALUE], demo[S.VALUE])


def test_a_recipe_that_misses_an_indicator_is_refused(catalog):
    with pytest.raises(PlanlibError, match="W01"):
        build_demo(catalog, spec=load_demo_spec().iloc[1:])


def test_trend_goes_through_knots_and_anchors():
    years = np.arange(2015, 2025)
    assert trend("2015:0;2024:90", years).tolist()[:3] == [0.0, 10.0, 20.0]
    assert trend("2015:0;2024:90", years, {2020: 20.0})[5] == 20.0
