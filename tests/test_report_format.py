"""planlib.report.format: the report's tables as text (numbers by planlib.formats)."""

from __future__ import annotations

import pytest

from planlib import schema as S
from planlib.formats import MISSING
from planlib.report import format as F
from planlib.report import tables as T
from planlib.report.build import prepare
from planlib.report.content import ReportOptions

from .report_fixtures import observations, small_catalog


@pytest.fixture(scope="module")
def annual():
    return prepare(ReportOptions(2024), small_catalog(), observations())


@pytest.fixture(scope="module")
def midterm_en():
    return prepare(ReportOptions(2025, "midterm", lang="en"), small_catalog(), observations())


def test_small_formats():
    assert F.fmt_change(2.14, "%") == "+2.14个百分点" and F.fmt_change(-1.5, "1/10万") == "-1.5"
    assert F.fmt_change(None, "%") == MISSING
    assert F.fmt_yes_no(True) == "是" and F.fmt_yes_no(None, "en") == "Cannot tell"
    assert F.status_text(S.AT_RISK) == "⚠ 存在风险" and F.plan_text("children") == "儿童发展规划"
    assert F.id_list(["W01", "C02"]) == "W01、C02" and F.id_list([], "en") == "none"
    assert F.year_list((2022, 2023)) == "2022、2023" and F.year_list((2022, 2025), "en") == "2022, 2025"


def test_indicator_rows_show_the_one_number_format(annual):
    rows = F.indicator_rows(annual.table, "zh").values.tolist()
    assert rows[1] == ["W03", "孕产妇死亡率（1/10万）", "< 8", "6.5（2024）", "4.31（3.28–5.67）", "✔ 已达标"]
    assert rows[3][-2:] == [MISSING, "◇ 定性指标"]  # W13: nothing to project


def test_counts_frame_has_the_status_headings(annual):
    frame = F.counts_frame(T.status_counts(annual.table, [S.PLAN]), [S.PLAN], "zh")
    assert list(frame.columns) == ["规划", "✖ 难以达标", "⚠ 存在风险", "↗ 有望达标", "✔ 已达标", "？ 数据不足",
                                   "◇ 定性指标", "合计"]
    assert frame.values.tolist() == [["妇女发展规划", "0", "1", "0", "2", "0", "1", "4"],
                                     ["儿童发展规划", "0", "1", "0", "0", "0", "0", "1"]]


def test_indicator_text_in_both_languages(annual, midterm_en):
    facts, status = F.indicator_text(annual.table.to_dict("records")[1], "zh")
    assert facts == ("目标（2030年）：< 8（约束性）。最新值：6.5（2024年）；较2020年基期变化：-2；"
                     "2030年预测值：4.31（95%区间 3.28–5.67）。")
    assert status.startswith("状态：✔ 已达标。2024年为6.5/10万，已达到目标；")
    facts_en, _ = F.indicator_text(midterm_en.table.to_dict("records")[1], "en")
    assert facts_en == ("Target (2030): < 8 (Binding). Latest value: 6.5 (2024); change since 2020: -2; "
                        "projected 2030: 4.31 (95% interval 3.28–5.67).")


def test_evaluation_and_earlier_frames(midterm_en):
    evaluation = F.evaluation_frame(midterm_en.evaluation, "en").values.tolist()
    assert evaluation[1] == ["W03", "Maternal mortality ratio (per 100,000 live births)", "< 8", "8.5", "6.5",
                             "2024", "-2", "Yes", "✔ Achieved"]
    assert evaluation[0][-2:] == ["Cannot tell", "⚠ At risk"]  # W01 逐年提高
    earlier = F.earlier_frame(midterm_en.evaluation, "en")
    assert earlier.values.tolist()[1] == ["W03", "Maternal mortality ratio (per 100,000 live births)", "6.5",
                                          "2024", "✔ Achieved", "6.49 (5.74–7.33)", "Yes", "✔ Achieved",
                                          "6.52 (6.08–6.98)", "Yes"]
