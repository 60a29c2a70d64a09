"""Tests for planlib.plandoc and the draft from every format: text (UTF-8, GB18030), Word, HTML, PDF.

Every fixture is made here, at test time: the same small children's plan, with a 主要目标 sentence
and an indicator table whose rows break over a page (a name cut in two, the header reprinted, a
merged domain cell, two responsible units in one cell, a sub-indicator without a number).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import pytest

from planlib import schema as S
from planlib.cli import main
from planlib.draft import DraftConfig, draft_catalog
from planlib.errors import PlanlibError
from planlib.plandoc import decode_text, read_plan, text_blocks

TITLE = "某县儿童发展规划（2021—2030年）"
HEADINGS = ["一、发展基础", "2020年，全县婴儿死亡率为3.2‰。", "二、主要目标", "（一）儿童与健康",
            "主要目标：", "1. 儿童青少年总体近视率每年降低0.5到1个百分点。"]
HEADER = ("类别", "序号", "指标名称", "2030年目标", "指标属性", "责任单位")
PAGE_1 = [
    ("儿童与健康", "1", "婴儿死亡率（‰）", "< 5", "约束性", "县卫生健康委"),
    ("", "2", "5岁以下儿童死亡率（‰）", "控制在6‰以下", "约束性", "县卫生健康委\n县公安局"),
    ("", "3", "适龄儿童免疫规划疫苗接种率（%）", "以乡镇为单位保持在95%以上", "预期性", "县卫生健康委"),
    ("", "", "0—6岁儿童眼保健和视力检查覆盖率（%）", "≥ 90", "预期性", "县卫生健康委"),
    ("儿童与教育", "4", "学前教育毛入园率（%）", "达到并保持在90%以上", "预期性", "县教委"),
    ("", "5", "某县儿童阅读推广", "", "", ""),
]
PAGE_2 = [  # after the page break: the header again, then the rest of row 5
    ("", "", "覆盖率（%）", "比2020年提高10个百分点", "", "县教委"),
    ("", "6", "每千名儿童拥有床位数（张）", "增至3.17", "预期性", "县卫生健康委"),
]
# (id, name, target, attribute, units, domain)
EXPECTED = [
    ("C02", "婴儿死亡率（‰）", "< 5", "binding", "县卫生健康委", "儿童与健康"),
    ("C04", "5岁以下儿童死亡率（‰）", "控制在6‰以下", "binding", "县卫生健康委;县公安局", "儿童与健康"),
    ("C07", "适龄儿童免疫规划疫苗接种率（%）", "以乡镇为单位保持在95%以上", "expected", "县卫生健康委", "儿童与健康"),
    ("NC11", "0—6岁儿童眼保健和视力检查覆盖率（%）", "≥ 90", "expected", "县卫生健康委", "儿童与健康"),
    ("C19", "学前教育毛入园率（%）", "达到并保持在90%以上", "expected", "县教委", "儿童与教育"),
    ("CX05", "某县儿童阅读推广覆盖率（%）", "比2020年提高10个百分点", "expected", "县教委", "儿童与教育"),
    ("C12", "每千名儿童拥有床位数（张）", "增至3.17", "expected", "县卫生健康委", "儿童与教育"),
]
PROSE = ("CX01", "儿童青少年总体近视率", "每年降低0.5到1个百分点", "expected", "", "儿童与健康")


def _rows(draft) -> list[tuple]:
    cols = [S.INDICATOR_ID, S.NAME_ZH, S.TARGET_TEXT, S.ATTRIBUTE, S.RESPONSIBLE_UNITS, S.DOMAIN_ZH]
    return [tuple(r) for r in draft.catalog[cols].itertuples(index=False)]


def _txt(path: Path, encoding: str = "utf-8") -> Path:
    cells = [c for row in (HEADER, *PAGE_1, HEADER, *PAGE_2) for c in row]
    lines = [TITLE, *HEADINGS, "专栏一  2021—2030年儿童发展主要指标"]
    for cell in cells:  # one cell per tab-led line, a cell's second line bare (as PDF copies give)
        first, *more = cell.split("\n")
        lines += [f"\t{first}", *more]
    lines.append("三、重点任务")
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def _docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    for line in [TITLE, *HEADINGS]:
        document.add_paragraph(line)
    for rows in ((HEADER, *PAGE_1), (HEADER, *PAGE_2)):  # one table per page
        table = document.add_table(rows=len(rows), cols=len(HEADER))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
        if rows[1][0] == "儿童与健康":  # the domain cell merged down over its rows, as Word prints it
            merged = table.cell(1, 0).merge(table.cell(4, 0))
            merged.text = "儿童与健康"
    document.add_paragraph("三、重点任务")
    document.save(path)
    return path


def _html(path: Path) -> Path:
    def table(rows):
        body = "".join("<tr>" + "".join(f"<td>{escape(c).replace(chr(10), '<br>')}</td>" for c in row) + "</tr>"
                       for row in rows)
        return f"<table>{body}</table>"

    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in HEADINGS)
    html = (f"<html><head><title>{TITLE}</title><style>p{{margin:0}}</style></head><body><h1>{TITLE}</h1>"
            f"{paragraphs}{table((HEADER, *PAGE_1))}{table((HEADER, *PAGE_2))}<h2>三、重点任务</h2></body></html>")
    path.write_text(html, encoding="utf-8")
    return path


def _pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    width, height = landscape(A4)
    pdf = canvas.Canvas(str(path), pagesize=(width, height))
    xs = [40, 110, 150, 400, 560, 620, 780]

    def grid(rows, top):
        y = top
        for row in rows:
            lines = max(len(c.split("\n")) for c in row)
            h = 16 * lines
            for x in xs:
                pdf.line(x, y, x, y - h)
            pdf.line(xs[0], y, xs[-1], y)
            for i, cell in enumerate(row):
                for k, line in enumerate(cell.split("\n")):
                    pdf.drawString(xs[i] + 3, y - 12 - 16 * k, line)
            y -= h
        pdf.line(xs[0], y, xs[-1], y)

    pdf.setFont("STSong-Light", 10)
    y = height - 40
    for line in [TITLE, *HEADINGS]:
        pdf.drawString(40, y, line)
        y -= 18
    grid((HEADER, *PAGE_1), y - 10)
    pdf.showPage()
    pdf.setFont("STSong-Light", 10)
    grid((HEADER, *PAGE_2), height - 40)
    pdf.drawString(40, height - 160, "三、重点任务")
    pdf.save()
    return path


MAKERS = {"utf-8.txt": _txt, "gb18030.txt": lambda p: _txt(p, "gb18030"), "plan.docx": _docx,
          "plan.html": _html, "plan.pdf": _pdf}


@pytest.mark.parametrize("name", MAKERS)
def test_every_format_drafts_the_same_catalogue(tmp_path, name):
    path = MAKERS[name](tmp_path / name)
    draft = draft_catalog(path)
    assert _rows(draft) == EXPECTED
    # the prose goal is listed (the plan has tables), and drafted on request
    assert any("近视率" in s.text for s in draft.skipped)
    with_prose = draft_catalog(path, DraftConfig(with_prose=True))
    assert _rows(with_prose) == [*EXPECTED, PROSE]
    assert with_prose.catalog[S.TARGET_YEAR].tolist() == [2030] * 8


def test_gb18030_and_utf8_read_alike(tmp_path):
    a = read_plan(_txt(tmp_path / "a.txt"))
    b = read_plan(_txt(tmp_path / "b.txt", "gb18030"))
    assert [x.text for x in a] == [x.text for x in b]
    with pytest.raises(PlanlibError, match="UTF-8"):
        decode_text(b"\xff\xfe\xfa\xfb\x81")


def test_tab_separated_rows_are_a_table():
    blocks = text_blocks(["序号\t指标名称\t目标", "1\t孕产妇死亡率\t< 8", "正文"])
    assert blocks[0].rows == (("序号", "指标名称", "目标"), ("1", "孕产妇死亡率", "< 8"))
    assert (blocks[1].kind, blocks[1].where_en) == ("line", "line 3")


def test_positions_name_line_paragraph_and_page(tmp_path):
    txt = draft_catalog(_txt(tmp_path / "p.txt"))
    assert txt.rows[0].where_en.startswith("lines 9-") and txt.rows[0].where_en.endswith("number 1")
    docx_draft = draft_catalog(_docx(tmp_path / "p.docx"))
    assert docx_draft.rows[0].where_en.startswith("table 1")
    pdf = draft_catalog(_pdf(tmp_path / "p.pdf"))
    assert pdf.rows[0].where_en.startswith("page 1") and pdf.rows[-1].where_en.startswith("page 2")


def test_unreadable_files_raise_and_write_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip file")
    out = tmp_path / "c.csv"
    assert main(["catalog", "draft", str(bad), "--output", str(out)]) == 2
    assert "bad.docx" in capsys.readouterr().err and not out.exists()
    empty = tmp_path / "scan.pdf"
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(empty))
    c.rect(100, 100, 200, 200)  # a page with no text layer, as a scan
    c.save()
    with pytest.raises(PlanlibError, match="OCR"):
        read_plan(empty)
    nothing = tmp_path / "nothing.txt"
    nothing.write_text("某县妇女发展规划\n（一）妇女与健康\n主要目标：\n妇女健康水平不断提高。\n", encoding="utf-8")
    assert main(["catalog", "draft", str(nothing), "--output", str(out), "--lang", "en"]) == 2
    assert "No target found" in capsys.readouterr().err and not out.exists()
    assert main(["catalog", "draft", str(tmp_path / "missing.txt"), "--output", str(out)]) == 2
