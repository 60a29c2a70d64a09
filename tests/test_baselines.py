"""The plans' "发展基础" facts (data/baselines.csv): complete, quoted verbatim, matched carefully."""

import io
import re

import pandas as pd
import pytest

from planlib import config
from planlib import schema as S
from planlib.catalog import load_catalog
from planlib.observations import PLAN_SOURCES, baseline_observations, load_baselines, load_observations

from .seedtables import SEED

# The indicator values the two sections state, read off the text by hand.
EXPECTED = """indicator_id,year,value,derived
W03,2019,0,false
W03,2020,0,false
W04,2020,91.5,false
W11,2010,96.9,true
W11,2020,100,false
W12,2010,80.1,true
W12,2020,90.9,false
W14,2010,8,false
W14,2020,12.6,false
W15,2020,40.8,false
C02,2020,1.5,false
C19,2020,89,false
C21,2020,100,false
C30,2015,84,false
C30,2020,89.5,false
"""


@pytest.fixture(scope="module")
def baselines():
    return load_baselines()


@pytest.fixture(scope="module")
def raw():
    return pd.read_csv(config.BASELINES_PATH, dtype=str, keep_default_na=False)


def _sections() -> str:
    """The two "发展基础" sections of the plan text."""
    text = SEED.read_text(encoding="utf-8")
    parts = re.findall(r"一、发展基础\n(.*?)\n二、总体思路", text, flags=re.S)
    assert len(parts) == 2
    return "\n".join(parts)


def test_c02_2020_is_1_5_from_the_childrens_plan():
    obs = load_observations(db="/nonexistent/monitoring.sqlite")
    row = obs[(obs[S.INDICATOR_ID] == "C02") & (obs[S.REGION] == "石柱县") & (obs[S.YEAR] == 2020)]
    assert row[S.VALUE].tolist() == [1.5]
    assert row[S.SOURCE].tolist() == ["石柱县儿童发展规划（2021—2030年）·发展基础"]
    assert row[S.CONFIRMATION].tolist() == ["confirmed"]
    assert row[S.NOTE].iloc[0] == "规划原文：2020年，婴儿死亡率为1.5‰"


def test_indicator_values_are_exactly_those_the_plans_state(baselines):
    expected = pd.read_csv(io.StringIO(EXPECTED))
    got = (baselines[baselines[S.INDICATOR_ID] != ""]
           .drop_duplicates([S.INDICATOR_ID, S.YEAR])[[S.INDICATOR_ID, S.YEAR, S.VALUE, "derived"]])
    key = [S.INDICATOR_ID, S.YEAR]
    pd.testing.assert_frame_equal(got.sort_values(key).reset_index(drop=True),
                                  expected.sort_values(key).reset_index(drop=True))


def test_derived_values_are_stated_value_minus_stated_change(baselines):
    b = baselines.set_index([S.INDICATOR_ID, S.YEAR])
    assert b.loc[("W11", 2010), S.VALUE] == pytest.approx(b.loc[("W11", 2020), S.VALUE] - 3.1)
    assert b.loc[("W12", 2010), S.VALUE] == pytest.approx(b.loc[("W12", 2020), S.VALUE] - 10.8)
    assert "约3.1个百分点" in b.loc[("W11", 2010), "quote"]
    assert "近10.8个百分点" in b.loc[("W12", 2010), "quote"]


@pytest.mark.skipif(not SEED.exists(), reason="the plan text ../shared/seed is not beside this checkout")
def test_every_quote_occurs_in_the_plan_text(baselines):
    sections = _sections()
    missing = [q for q in baselines["quote"] if q not in sections]
    assert missing == []


def test_every_stated_number_is_in_its_quote(raw):
    stated = raw[raw["derived"] == "false"]
    for row in stated.to_dict("records"):
        if row[S.VALUE] == "0":
            assert "零死亡" in row["quote"]
        else:
            assert row[S.VALUE] in row["quote"], row


@pytest.mark.skipif(not SEED.exists(), reason="the plan text ../shared/seed is not beside this checkout")
def test_every_number_in_the_sections_is_transcribed(raw):
    numbers = set(re.findall(r"\d+(?:\.\d+)?", _sections()))
    years = {n for n in numbers if re.fullmatch(r"(19|20)\d\d", n)}
    changes = {"3.1", "10.8", "10"}  # the two stated changes, and "10年来"
    assert numbers - years - changes - set(raw[S.VALUE]) == set()


def test_context_facts_are_not_attached_to_an_indicator(baselines):
    context = {"新增就业人口中女性占比": "W15", "中高级专业技术人员中女性占比": "W18",
               "城乡女性居民基本医疗保险参保人数": "W34", "城乡居民基本医疗保险参保人中女性占比": "W34",
               "城镇职工基本医疗保险女性参保人数": "W34", "城镇职工基本医疗保险参保人中女性占比": "W34",
               "住院分娩率": "", "农村孕产妇住院分娩率": "", "生育保险女性参保人数": "",
               "农村卫生厕所普及率": "", "空气质量优良天数": "", "森林覆盖率（含四旁树）": "",
               "城镇污水集中处理率": "", "小学学龄儿童入学率": "", "生活垃圾无害化处理率": ""}
    b = baselines.set_index("measure_zh")
    for measure, related in context.items():
        assert b.loc[measure, S.INDICATOR_ID] == "", measure
        assert b.loc[measure, "related_indicator"] == related, measure
    assert (baselines.loc[baselines["related_indicator"] != "", S.INDICATOR_ID] == "").all()
    assert b.loc["中高级专业技术人员中女性占比", S.VALUE] == 43.6


def test_ids_and_units_agree_with_the_catalogue(baselines):
    cat = load_catalog().set_index(S.INDICATOR_ID)
    matched = baselines[baselines[S.INDICATOR_ID] != ""]
    assert set(matched[S.INDICATOR_ID]) <= set(cat.index)
    assert set(baselines["related_indicator"]) - {""} <= set(cat.index)
    for row in matched.to_dict("records"):
        assert row[S.UNIT] == cat.loc[row[S.INDICATOR_ID], S.UNIT], row
    assert set(baselines[S.REGION]) == {config.COUNTY}
    assert set(baselines["plan"]) == {"women", "children"}
    assert set(baselines["qualifier"]) == {"", "approx", "at_least"}


def test_a_fact_both_plans_state_is_one_observation_from_the_owning_plan(baselines):
    assert len(baselines[baselines[S.INDICATOR_ID] == "W03"]) == 4  # both plans, 2019 and 2020
    obs = baseline_observations(baselines)
    w03 = obs[obs[S.INDICATOR_ID] == "W03"]
    assert w03[S.YEAR].tolist() == [2019, 2020]
    assert set(w03[S.SOURCE]) == {PLAN_SOURCES["women"]}
    c30 = obs[obs[S.INDICATOR_ID] == "C30"]  # only the women's plan states it
    assert c30[[S.YEAR, S.VALUE]].values.tolist() == [[2015, 84.0], [2020, 89.5]]
    assert set(c30[S.SOURCE]) == {PLAN_SOURCES["women"]}
    assert not obs[[S.INDICATOR_ID, S.REGION, S.YEAR]].duplicated().any()
    assert set(obs[S.SOURCE]) == set(PLAN_SOURCES.values())
    assert set(obs[S.STATUS]) == {"reported"}
