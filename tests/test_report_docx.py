"""planlib.report.docx: the editable Word document."""

from __future__ import annotations

import io

import docx
import pytest

from planlib import schema as S
from planlib.report import docx as D
from planlib.report.build import prepare
from planlib.report.content import ReportOptions

from .report_fixtures import observations, small_catalog


@pytest.fixture(scope="module")
def document():
    data = prepare(ReportOptions(2024), small_catalog(), observations())
    return docx.Document(io.BytesIO(D.render_docx(data, {})))


def test_headings_follow_the_outline(document):
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == ("Title", "石柱县妇女发展规划和儿童发展规划（2021—2030年）2024年度统计监测报告")
    level1 = [text for style, text in headings if style == "Heading 1"]
    assert level1 == ["一、总体情况", "二、妇女发展规划", "三、儿童发展规划", "四、各责任单位指标情况", "五、数据质量",
                      "六、评估方法说明"]
    assert "W03 孕产妇死亡率（1/10万）" in [text for _, text in headings]


def test_every_page_is_marked_as_illustrative(document):
    assert [s.header.paragraphs[0].text for s in document.sections] == [S.DEMO_LABEL_ZH] * len(document.sections)
    run = next(r for r in document.sections[0].header.paragraphs[0].runs if r.text)
    assert run.bold and str(run.font.color.rgb) == "D55E00"


def test_pages_are_a4_with_25_mm_margins(document):
    section = document.sections[0]
    assert (section.page_width.mm, section.page_height.mm) == (pytest.approx(210, abs=0.1), pytest.approx(297, abs=0.1))
    assert section.left_margin.mm == pytest.approx(25, abs=0.1) and section.top_margin.mm == pytest.approx(25, abs=0.1)


def test_summary_table_counts(document):
    header = ["规划", "✖ 难以达标", "⚠ 存在风险", "↗ 有望达标", "✔ 已达标", "？ 数据不足", "◇ 定性指标", "合计"]
    table = next(t for t in document.tables if [c.text for c in t.rows[0].cells] == header)
    assert [[c.text for c in row.cells] for row in table.rows[1:]] == [
        ["妇女发展规划", "0", "1", "0", "2", "0", "1", "4"], ["儿童发展规划", "0", "1", "0", "0", "0", "0", "1"]]
    assert table.style.name == D.TABLE_STYLE


def test_fonts_can_be_chosen():
    data = prepare(ReportOptions(2024), small_catalog(), observations())
    fonts = D.DocxFonts(body_east_asia="FangSong", heading_east_asia="KaiTi", latin="Arial")
    doc = docx.Document(io.BytesIO(D.render_docx(data, {}, fonts)))
    east = docx.oxml.ns.qn("w:eastAsia")
    assert doc.styles["Normal"].element.rPr.rFonts.get(east) == "FangSong"
    assert doc.styles["Heading 1"].element.rPr.rFonts.get(east) == "KaiTi"
    assert doc.styles["Normal"].font.name == "Arial"
