"""A small plan (four indicators of both plans) and its observations, for the apps' tests."""

from __future__ import annotations

import io

import pandas as pd

CATALOG = pd.read_csv(io.StringIO("""\
indicator_id,plan,number,domain_zh,domain_en,name_zh,name_en,unit,target_text,target_year,attribute,responsible_units,reference_indicator
W03,women,3,妇女与健康,Health,孕产妇死亡率（1/10万）,Maternal mortality ratio (per 100000),1/10万,< 8,2030,binding,县卫生健康委,
W04,women,4,妇女与健康,Health,孕产妇系统管理率（%）,Systematic management rate (%),%,≥ 92,2030,expected,县卫生健康委;县妇联,
W30,women,30,妇女参与决策管理,Decision-making,女性比例（%）,Share of women (%),%,保持合理比例,2030,expected,县委组织部,
C21,children,21,儿童与教育,Education,九年义务教育巩固率（%）,Nine-year compulsory education retention (%),%,≥ 96,2030,binding,县教委,
"""), keep_default_na=False)

OBSERVATIONS = pd.read_csv(io.StringIO("""\
indicator_id,region,year,value,numerator,denominator,source,status,note,confirmation
W03,石柱县,2020,12.0,,,demo,estimated,,
W03,石柱县,2021,11.0,,,demo,estimated,,
W03,石柱县,2022,10.5,,,demo,estimated,,
W03,石柱县,2023,10.0,,,demo,estimated,,
W03,全国,2022,15.7,,,NHC statistical bulletin,reported,,confirmed
W04,石柱县,2020,91.5,,,石柱县妇女发展规划·发展基础,reported,,
W04,石柱县,2021,92.5,,,demo,estimated,,
W04,石柱县,2022,93.5,,,demo,estimated,,
W04,石柱县,2023,94.0,,,demo,estimated,,
W30,石柱县,2023,40.0,,,demo,estimated,,
C21,石柱县,2020,95.0,,,demo,estimated,,
C21,石柱县,2021,94.0,,,demo,estimated,,
C21,石柱县,2022,93.0,,,demo,estimated,,
C21,石柱县,2023,92.5,,,demo,estimated,,
"""), keep_default_na=False, na_values={"value": [""], "numerator": [""], "denominator": [""]})


# --- two plans and the city view (tests/test_city.py, tests/test_apps_publish.py) -----------------

#: A three-indicator plan of the home county; the second region (示例县) has it with C21 "≥ 98".
CITY_CATALOG = """indicator_id,plan,name_zh,name_en,unit,target_text,target_year,attribute
C21,children,九年义务教育巩固率（%）,Nine-year compulsory education retention rate (%),%,≥ 96,2030,binding
W02,women,妇女人均预期寿命（岁）,Female life expectancy (years),岁,≥82.3,2030,expected
W01,women,婚前医学检查率（%）,Premarital medical examination rate (%),%,逐年提高,2030,expected
"""
#: The title of the second region's plan in the two-plan build.
OTHER_TITLE = "示例县规划（演示）"


def city_catalogs() -> dict[str, pd.DataFrame]:
    """The two members' plans: 石柱县's, and 示例县's with its own C21 target (≥ 98)."""
    from planlib import config

    cat = pd.read_csv(io.StringIO(CITY_CATALOG), keep_default_na=False)
    other = cat.copy()
    other.loc[other.indicator_id == "C21", "target_text"] = "≥ 98"
    return {config.COUNTY: cat, config.DEMO_COUNTY: other}


def city_observations() -> pd.DataFrame:
    """Equal values in both members (示例县's are demo), and 重庆市's and 全国's for reference."""
    from planlib import config
    from planlib import schema as S

    rows = []
    for region, source in ((config.COUNTY, "县教委"), (config.DEMO_COUNTY, S.DEMO_SOURCE)):
        for year, value in zip(range(2020, 2025), (96.9, 97.1, 97.0, 96.9, 97.0)):
            rows.append(("C21", region, year, value, source))
        for year, value in zip(range(2020, 2025), (80.0, 80.2, 80.4, 80.6, 81.0)):
            rows.append(("W02", region, year, value, source))
    rows += [("C21", config.PARENT_CITY, 2021, 95.8, "重庆市教委"), ("C21", config.PARENT_CITY, 2022, 96.1, "重庆市教委"),
             ("C21", config.PARENT_CITY, 2025, 99.0, "later"), ("C21", config.NATIONAL, 2023, 95.7, "教育部统计公报")]
    return pd.DataFrame(rows, columns=[S.INDICATOR_ID, S.REGION, S.YEAR, S.VALUE, S.SOURCE])


def write_city_build(folder):
    """The dashboard build of both plans with the city view, written into ``folder`` (its path).

    Each region's page and views are of its own plan and values; the city view has both members.
    """
    from planlib import config
    from planlib.apps import build as apps_build
    from planlib.catalog import load_catalog

    home, other = config.COUNTY, config.DEMO_COUNTY
    catalogs = {}
    for region, frame in city_catalogs().items():
        path = folder / f"{region}.csv"
        frame.to_csv(path, index=False)
        catalogs[region] = load_catalog(path)
    obs = city_observations()
    plan = apps_build.RegionPlan(other, catalogs[other], obs[obs.region != home], OTHER_TITLE)
    return apps_build.write_build(catalogs[home], obs[obs.region != other], folder / "dashboard.sqlite",
                                  workers=1, city=apps_build.CityInputs(catalogs, obs), others=(plan,))
