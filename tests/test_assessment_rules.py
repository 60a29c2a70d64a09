"""The status rules of the assessment, from hand-written projections: no model is fitted here.

Each projection is a normal distribution in the target year (``Projection.from_frame``), so the
probability of meeting a target is known exactly and every cut-off of ``AssessConfig`` can be
hit from either side.
"""

from __future__ import annotations

from statistics import NormalDist

import pandas as pd
import pytest

from planlib import assessment as A
from planlib import forecast
from planlib import schema as S
from planlib.config import COUNTY
from planlib.forecast import Projection

Z95 = 1.959963984540054
YEARS = [2019, 2020, 2021, 2022, 2023, 2024]


@pytest.fixture(autouse=True)
def no_fitting(monkeypatch):
    """Every projection is given: fitting one would be a bug in these tests."""
    def refuse(*args, **kwargs):
        raise AssertionError("a model was fitted")

    monkeypatch.setattr(forecast, "project", refuse)


def catalog(*rows: tuple) -> pd.DataFrame:
    """Rows ``(id, unit, target[, attribute[, reference]])``."""
    return pd.DataFrame([{
        "indicator_id": r[0], "name_zh": f"指标{r[0]}", "unit": r[1], "target_text": r[2],
        "attribute": r[3] if len(r) > 3 else S.EXPECTED, "reference_indicator": r[4] if len(r) > 4 else "",
    } for r in rows])


def series(ident: str, values: list[float], years: list[int] = YEARS) -> pd.DataFrame:
    return pd.DataFrame({"indicator_id": ident, "region": COUNTY, "year": years[:len(values)],
                         "value": values})


def normal(mean: float, sd: float = 1.0, year: int = 2030) -> Projection:
    """A hand-written projection: Normal(mean, sd) in ``year``."""
    return Projection.from_frame(pd.DataFrame({"year": [year], "mean": [mean],
                                               "lower_95": [mean - Z95 * sd],
                                               "upper_95": [mean + Z95 * sd]}))


def meeting(p: float, threshold: float = 90.0, sd: float = 1.0) -> Projection:
    """A projection whose probability of reaching ``>= threshold`` is ``p``."""
    return normal(threshold + NormalDist().inv_cdf(p) * sd, sd)


def assess_one(cat: pd.DataFrame, obs: pd.DataFrame, projections: dict, **config) -> pd.Series:
    out = A.assess_detail(cat, obs, config=A.AssessConfig(**config), projections=projections)
    return out.set_index(S.INDICATOR_ID).loc[cat[S.INDICATOR_ID].iloc[0]]


NOT_MET = [80.0, 81, 82, 83, 84, 85]  # latest 85, below ">= 90"
MET = [88.0, 89, 90, 91, 92, 93]  # latest 93, meets ">= 90"


@pytest.mark.parametrize(("p", "status"), [(0.99, S.ON_TRACK), (0.76, S.ON_TRACK), (0.74, S.AT_RISK),
                                           (0.26, S.AT_RISK), (0.24, S.OFF_TRACK), (0.01, S.OFF_TRACK)])
def test_status_follows_p_meet_at_the_default_cut_offs(p, status):
    row = assess_one(catalog(("A", "%", "≥ 90")), series("A", NOT_MET), {("A", COUNTY): meeting(p)})
    assert row[S.ASSESSMENT_STATUS] == status
    assert row[S.P_MEET] == pytest.approx(p, abs=1e-9)
    assert row[S.PROJECTED] == pytest.approx(90 + NormalDist().inv_cdf(p))
    assert row[S.METHOD] == "linear" and row[S.LATEST_VALUE] == 85.0


def test_cut_offs_come_from_the_config():
    given = {("A", COUNTY): meeting(0.8)}
    cat, obs = catalog(("A", "%", "≥ 90")), series("A", NOT_MET)
    assert assess_one(cat, obs, given)[S.ASSESSMENT_STATUS] == S.ON_TRACK
    assert assess_one(cat, obs, given, on_track=0.9)[S.ASSESSMENT_STATUS] == S.AT_RISK
    assert assess_one(cat, obs, {("A", COUNTY): meeting(0.2)}, at_risk=0.1)[S.ASSESSMENT_STATUS] == S.AT_RISK


def test_achieved_needs_the_target_met_now_and_projected_to_stay_met():
    cat = catalog(("A", "%", "≥ 90"))
    assert assess_one(cat, series("A", MET), {("A", COUNTY): meeting(0.9)})[S.ASSESSMENT_STATUS] == S.ACHIEVED
    assert assess_one(cat, series("A", MET), {("A", COUNTY): meeting(0.6)})[S.ASSESSMENT_STATUS] == S.AT_RISK
    assert assess_one(cat, series("A", NOT_MET), {("A", COUNTY): meeting(0.9)})[S.ASSESSMENT_STATUS] == S.ON_TRACK


def test_a_target_below_is_judged_on_the_lower_tail():
    row = assess_one(catalog(("M", "‰", "< 8")), series("M", [12.0, 11, 10, 10, 9, 9]),
                     {("M", COUNTY): normal(8.0 - 1.0, sd=1.0)})  # P(value < 8) = P(Z < 1)
    assert row[S.P_MEET] == pytest.approx(NormalDist().cdf(1.0), abs=1e-9)
    assert row[S.ASSESSMENT_STATUS] == S.ON_TRACK


@pytest.mark.parametrize("points", [0, 1])
def test_fewer_than_min_points_is_insufficient_data_whatever_the_projection(points):
    obs = series("A", NOT_MET[:points]) if points else series("B", NOT_MET)
    row = assess_one(catalog(("A", "%", "≥ 90")), obs, {("A", COUNTY): meeting(0.99)})
    assert row[S.ASSESSMENT_STATUS] == S.INSUFFICIENT_DATA
    assert row["reason"] == ("few_points" if points else "no_data")
    assert pd.isna(row[S.P_MEET])


def test_min_points_comes_from_the_config():
    cat, obs, given = catalog(("A", "%", "≥ 90")), series("A", NOT_MET[:3]), {("A", COUNTY): meeting(0.99)}
    assert assess_one(cat, obs, given)[S.ASSESSMENT_STATUS] == S.ON_TRACK
    row = assess_one(cat, obs, given, min_points=4)
    assert row[S.ASSESSMENT_STATUS] == S.INSUFFICIENT_DATA
    assert "4" in row["explanation_en"]


def test_binding_and_expected_targets_get_the_same_rule():
    cat = catalog(("A", "%", "≥ 90", S.BINDING), ("B", "%", "≥ 90", S.EXPECTED))
    obs = pd.concat([series("A", NOT_MET), series("B", NOT_MET)])
    out = A.assess(cat, obs, projections={("A", COUNTY): meeting(0.5), ("B", COUNTY): meeting(0.5)})
    out = out.set_index(S.INDICATOR_ID)
    assert out[S.BINDING_FLAG].to_dict() == {"A": True, "B": False}
    assert out[S.ASSESSMENT_STATUS].to_dict() == {"A": S.AT_RISK, "B": S.AT_RISK}


def test_relative_target_compares_with_the_reference_projection():
    cat = catalog(("J", "%", "≥县党员总数中女性比例", S.EXPECTED, "K"), ("K", "%", "保持合理"))
    obs = pd.concat([series("J", [26.0, 27, 27, 28, 28, 29]), series("K", [30.0] * 6)])
    given = {("J", COUNTY): normal(32.0, sd=1.0), ("K", COUNTY): normal(30.0, sd=1.0)}
    row = assess_one(cat, obs, given)
    # J - K ~ Normal(2, sqrt(2)): P(J >= K) = Phi(2 / sqrt(2))
    assert row[S.P_MEET] == pytest.approx(NormalDist().cdf(2 / 2 ** 0.5), abs=1e-6)
    assert row["goal_value"] == pytest.approx(30.0)
    assert row[S.ASSESSMENT_STATUS] == S.ON_TRACK  # latest 29 < 30: not met now, so not achieved
    behind = assess_one(cat, obs, {**given, ("J", COUNTY): normal(28.0, sd=1.0)})
    assert behind[S.ASSESSMENT_STATUS] == S.OFF_TRACK
    assert behind[S.P_MEET] == pytest.approx(NormalDist().cdf(-2 / 2 ** 0.5), abs=1e-6)


def test_directional_target_is_the_chance_of_beating_the_base():
    row = assess_one(catalog(("N", "%", "提高")), series("N", [40.0, 41, 42, 43, 44, 45]),
                     {("N", COUNTY): normal(41.0 + 1.0, sd=1.0)})  # base 2020: 41; P(value > 41) = Phi(1)
    assert row[S.P_MEET] == pytest.approx(NormalDist().cdf(1.0), abs=1e-9)
    assert row[S.ASSESSMENT_STATUS] == S.ACHIEVED  # 45 > 41 now, and on track


def test_an_observed_target_year_decides_over_any_projection():
    years = [2025, 2026, 2027, 2028, 2029, 2030]
    row = assess_one(catalog(("A", "%", "≥ 90")), series("A", NOT_MET, years), {("A", COUNTY): meeting(0.99)})
    assert (row[S.ASSESSMENT_STATUS], row[S.P_MEET], row[S.METHOD]) == (S.OFF_TRACK, 0.0, "observed")
