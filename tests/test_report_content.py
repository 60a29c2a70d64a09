"""planlib.report.content: the report's options, its outline (sections, title) and ReportData."""

from __future__ import annotations

import pytest

from planlib import schema as S
from planlib.errors import PlanlibError
from planlib.report import content
from planlib.report.build import prepare

from .report_fixtures import observations, small_catalog


@pytest.fixture(scope="module")
def annual():
    return prepare(content.ReportOptions(2024), small_catalog(), observations())


def test_options_defaults_and_earlier_years():
    annual, midterm, final = (content.ReportOptions(2024), content.ReportOptions(2025, "midterm"),
                              content.ReportOptions(2030, "final"))
    assert annual.previous_date == "2024-06-30" and annual.as_of_years == ()
    assert midterm.as_of_years == (2022, 2023) and final.as_of_years == (2022, 2025)
    assert content.ReportOptions(2024, previous_report_date="2025-01-31").previous_date == "2025-01-31"


@pytest.mark.parametrize("bad, match", [({"year": 2019}, "2019"), ({"year": 2031}, "2031"),
                                        ({"year": 2024, "kind": "weekly"}, "kind"),
                                        ({"year": 2024, "lang": "fr"}, "lang")])
def test_bad_options_are_refused_in_both_languages(bad, match):
    with pytest.raises(PlanlibError, match=match) as caught:
        content.ReportOptions(**bad)
    problem = caught.value.problems[0]
    assert problem.message_zh and problem.message_en and problem.message_zh != problem.message_en


def test_annual_outline_and_title(annual):
    assert content.sections(annual) == [
        ("summary", "一、总体情况"), ("plan:women", "二、妇女发展规划"), ("plan:children", "三、儿童发展规划"),
        ("units", "四、各责任单位指标情况"), ("quality", "五、数据质量"),
        ("method", "六、评估方法说明")]
    assert content.title(annual) == "石柱县妇女发展规划和儿童发展规划（2021—2030年）2024年度统计监测报告"


def test_english_midterm_outline_puts_the_evaluation_second():
    data = prepare(content.ReportOptions(2025, "midterm", lang="en"), small_catalog(), observations())
    assert [key for key, _ in content.sections(data)] == [
        "summary", "evaluation", "plan:women", "plan:children", "units", "quality", "method"]
    assert content.sections(data)[1][1] == "2. Mid-term evaluation: progress since the 2020 baseline"
    assert content.title(data) == ("Shizhu County Women's and Children's Development Plans (2021-2030): "
                                   "Mid-term Evaluation Report (data up to 2025)")


def test_report_data_units_demo_and_labels(annual):
    assert annual.units == ["县卫生健康委", "县教委"]
    assert annual.rows_of_unit("县教委")[S.INDICATOR_ID].tolist() == ["W11", "W13"]
    assert annual.demo and annual.demo_label() == S.DEMO_LABEL_ZH
    assert annual.label("unit_scope", unit="县教委") == "责任单位：县教委"
