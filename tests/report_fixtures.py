"""Five real catalogue rows and their observations (inline), shared by the report's tests."""

from __future__ import annotations

import io

import pandas as pd

from planlib import schema as S
from planlib.catalog import load_catalog

DEMO = S.DEMO_LABEL_ZH
PLAN_SOURCE = "石柱县儿童发展规划（2021—2030年）·发展基础"
OBSERVATIONS_CSV = f"""indicator_id,region,year,value,source
W03,石柱县,2018,10.0,demo
W03,石柱县,2019,9.0,demo
W03,石柱县,2020,8.5,demo
W03,石柱县,2021,8.0,demo
W03,石柱县,2022,7.5,demo
W03,石柱县,2023,7.0,demo
W03,石柱县,2024,6.5,demo
W03,全国,2020,16.9,国家卫生健康委
W03,全国,2021,16.1,国家卫生健康委
W01,石柱县,2019,62.0,demo
W01,石柱县,2020,64.0,demo
W01,石柱县,2021,66.0,demo
W01,石柱县,2022,65.0,demo
W01,石柱县,2023,68.0,demo
W01,石柱县,2024,70.0,demo
W11,石柱县,2020,95.0,demo
W11,石柱县,2021,95.5,demo
W11,石柱县,2022,96.0,demo
W11,石柱县,2023,96.2,demo
W13,石柱县,2020,45.0,demo
W13,石柱县,2024,46.0,demo
C02,石柱县,2019,2.8,demo
C02,石柱县,2020,1.5,{PLAN_SOURCE}
C02,石柱县,2021,2.4,demo
C02,石柱县,2022,2.2,demo
C02,石柱县,2023,2.0,demo
C02,石柱县,2024,1.9,demo
"""
IDS = ["W01", "W03", "W11", "W13", "C02"]


def observations(text: str = OBSERVATIONS_CSV) -> pd.DataFrame:
    """Observations as the loaders return them: every column, empty text as ""."""
    frame = pd.read_csv(io.StringIO(text)).reindex(columns=S.OBS_COLUMNS)
    texts = [S.STATUS, S.NOTE, S.CONFIRMATION]
    return frame.assign(**{c: frame[c].astype(object).fillna("") for c in texts})


def small_catalog() -> pd.DataFrame:
    """The catalogue rows of :data:`IDS`, in catalogue order."""
    cat = load_catalog()
    return cat[cat[S.INDICATOR_ID].isin(IDS)].reset_index(drop=True)
