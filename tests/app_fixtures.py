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
