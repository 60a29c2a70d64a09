"""planlib.report.xlsx: the data tables as an Excel workbook."""

from __future__ import annotations

import io

import openpyxl
import pytest

from planlib.report import xlsx as X
from planlib.report.build import prepare
from planlib.report.content import ReportOptions

from .report_fixtures import observations, small_catalog


def sheets(content: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


@pytest.fixture(scope="module")
def annual():
    return prepare(ReportOptions(2024), small_catalog(), observations())


def test_sheet_names_are_valid_and_unique():
    taken: set[str] = set()
    assert X.sheet_name("县卫生健康委", taken) == "县卫生健康委"
    assert X.sheet_name("a/b:c", taken) == "a_b_c" and X.sheet_name("a?b*c", taken) == "a_b_c 2"
    assert X.sheet_name("x" * 40, taken) == "x" * 31 and X.sheet_name("x" * 40, taken) == "x" * 29 + " 2"
    assert X.sheet_name("", taken) == "Sheet"


def test_workbook_sheets_and_demo_mark(annual):
    book = sheets(X.render_xlsx(annual))
    assert list(book) == ["摘要", "妇女发展规划", "儿童发展规划", "县卫生健康委", "县教委", "数据质量", "修订记录",
                          "参考地区数据", "状态含义"]
    demo = {name: rows for name, rows in book.items() if name not in ("参考地区数据", "状态含义")}
    assert all(rows[0][0] == "示例数据（非官方统计）" for rows in demo.values())


def test_reference_sheet_lists_the_reference_values_with_their_source(annual):
    rows = sheets(X.render_xlsx(annual))["参考地区数据"]
    assert rows[0][:4] == ("地区", "指标", "年份", "数值") and rows[0][6] == "来源"
    assert rows[0][0] != "示例数据（非官方统计）"  # real published values are not labelled demo
    assert [r[:5] + (r[6],) for r in rows[1:]] == [
        ("全国", "W03", 2020, 16.9, "1/10万", "国家卫生健康委"), ("全国", "W03", 2021, 16.1, "1/10万", "国家卫生健康委")]


def test_plan_sheet_keeps_numbers_as_numbers(annual):
    rows = sheets(X.render_xlsx(annual))["妇女发展规划"]
    header = list(rows[1])
    assert header[:7] == ["指标代码", "指标名称", "计量单位", "目标值", "指标属性", "责任单位", "基期值（2020年）"]
    assert header[7] == "2015" and header[header.index("2024")] == "2024"
    w03 = dict(zip(header, next(r for r in rows if r[0] == "W03")))
    assert (w03["基期值（2020年）"], w03["2019"], w03["2024"], w03["最新值"]) == (8.5, 9.0, 6.5, 6.5)
    assert w03["2015"] is None and w03["状态"] == "✔ 已达标" and w03["含示例数据"] == "是"
    assert w03["95%区间下限"] == pytest.approx(3.280, abs=0.001)


def test_english_workbook_names_the_plan_sheets_short():
    data = prepare(ReportOptions(2025, "midterm", lang="en"), small_catalog(), observations())
    assert list(sheets(X.render_xlsx(data))) == [
        "Summary", "Women", "Children", "县卫生健康委", "县教委", "Data quality", "Revisions", "Evaluation",
        "Reference regions", "Statuses"]
