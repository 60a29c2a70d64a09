"""The report as an editable Word document (python-docx), for officials to finish.

Headings follow the plans' structure: 妇女发展规划 → 妇女与健康 → each indicator, 儿童发展规划 →
儿童与健康 → …; tables use Word's "Table Grid" style; each indicator has its chart as a PNG image.

Chinese fonts: Word picks the font of Chinese characters from the ``w:eastAsia`` attribute of a
run's ``w:rFonts``, not from the font name python-docx sets, so both are set on the Normal, Title,
Heading and Header styles (:class:`DocxFonts`). The defaults are 宋体 (SimSun) for text and 黑体
(SimHei) for headings, which every Chinese edition of Windows and Office has; on Linux
(LibreOffice) fontconfig substitutes Noto Serif/Sans CJK SC (Debian package ``fonts-noto-cjk``).
Pass ``DocxFonts(body_east_asia="Noto Sans CJK SC", ...)`` for a document meant for machines
that have the Noto fonts.

When the report holds illustrative data, the header of every section (so every page) reads
示例数据（非官方统计）.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from . import format as F
from . import method as M
from . import tables as T
from .. import schema as S
from .content import ReportData, sections, title

TABLE_STYLE = "Table Grid"
TABLE_TEXT_STYLE = "Report Table Text"
CHART_WIDTH = Cm(14.5)


@dataclass(frozen=True)
class DocxFonts:
    """Fonts of the Word document.

    Attributes:
        body_east_asia: Chinese text of the body (``w:eastAsia``).
        heading_east_asia: Chinese text of the title and headings.
        latin: Latin letters and digits.
        body_size: body text size in points.
        table_size: table text size in points.
    """

    body_east_asia: str = "SimSun"
    heading_east_asia: str = "SimHei"
    latin: str = "Times New Roman"
    body_size: float = 11
    table_size: float = 9


def render_docx(data: ReportData, pngs: dict[str, bytes], fonts: DocxFonts | None = None) -> bytes:
    """The whole report as a .docx file.

    Args:
        data: the report's content (:func:`planlib.report.build.prepare`).
        pngs: indicator id -> its chart as PNG bytes (indicators without one get no image).
        fonts: fonts to set; default :class:`DocxFonts`.

    Returns:
        The document's bytes.
    """
    fonts = fonts or DocxFonts()
    doc = Document()
    _set_styles(doc, fonts)
    _front_matter(doc, data)
    for key, heading in sections(data):
        doc.add_heading(heading, level=1)
        _section(doc, data, key, pngs)
    if data.demo:
        mark_headers(doc, data.demo_label())
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def set_east_asian_font(style, east_asia: str, latin: str) -> None:
    """Set a style's fonts for Latin (``w:ascii``/``w:hAnsi``) and Chinese (``w:eastAsia``) text.

    Examples:
        >>> doc = Document()
        >>> set_east_asian_font(doc.styles["Normal"], "SimSun", "Times New Roman")
        >>> doc.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia"))
        'SimSun'
    """
    style.font.name = latin
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _set_styles(doc, fonts: DocxFonts) -> None:
    for section in doc.sections:  # A4, as Chinese official documents are printed
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)
        section.top_margin = section.bottom_margin = Mm(25)
    normal = doc.styles["Normal"]
    set_east_asian_font(normal, fonts.body_east_asia, fonts.latin)
    normal.font.size = Pt(fonts.body_size)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        style = doc.styles[name]
        set_east_asian_font(style, fonts.heading_east_asia, fonts.latin)
        style.font.color.rgb = RGBColor(0, 0, 0)
    set_east_asian_font(doc.styles["Header"], fonts.heading_east_asia, fonts.latin)
    table_text = doc.styles.add_style(TABLE_TEXT_STYLE, 1)
    table_text.base_style = normal
    table_text.font.size = Pt(fonts.table_size)
    table_text.paragraph_format.space_after = Pt(0)


def mark_headers(doc, text: str) -> None:
    """Put ``text`` in the header of every section of ``doc`` (so on every page), in red, bold.

    Examples:
        >>> doc = Document()
        >>> mark_headers(doc, "示例数据（非官方统计）")
        >>> doc.sections[0].header.paragraphs[0].text
        '示例数据（非官方统计）'
    """
    for section in doc.sections:
        header = section.header
        header.is_linked_to_previous = False
        para = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        para.text = ""
        run = para.add_run(text)
        run.bold = True
        run.font.color.rgb = RGBColor(0xD5, 0x5E, 0x00)
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _front_matter(doc, data: ReportData) -> None:
    doc.add_heading(title(data), level=0)
    if data.demo:
        para = doc.add_paragraph()
        run = para.add_run(data.demo_label())
        run.bold = True
        run.font.color.rgb = RGBColor(0xD5, 0x5E, 0x00)
    if data.options.unit:
        doc.add_paragraph(data.label("unit_scope", unit=data.options.unit))
    doc.add_paragraph(data.label("generated", date=data.generated, year=data.options.year))
    doc.add_paragraph(data.label("draft_note"))


def add_table(doc, frame: pd.DataFrame) -> None:
    """A frame of text as a Word table with a header row (style :data:`TABLE_STYLE`).

    Examples:
        >>> doc = Document()
        >>> doc.styles.add_style("Report Table Text", 1) is not None
        True
        >>> add_table(doc, pd.DataFrame({"指标": ["W03"], "状态": ["⚠ 存在风险"]}))
        >>> [c.text for c in doc.tables[0].rows[1].cells]
        ['W03', '⚠ 存在风险']
    """
    table = doc.add_table(rows=1, cols=len(frame.columns))
    table.style = doc.styles[TABLE_STYLE]
    style_id = doc.styles[TABLE_TEXT_STYLE].style_id
    _fill_row(table.rows[0].cells, [str(c) for c in frame.columns], style_id, bold=True)
    for values in frame.itertuples(index=False):
        _fill_row(table.add_row().cells, [str(v) for v in values], style_id)
    doc.add_paragraph()


def _fill_row(cells, texts: list[str], style_id: str, bold: bool = False) -> None:
    for cell, text in zip(cells, texts):
        para = cell.paragraphs[0]
        para._p.style = style_id  # by id: looking a style up by name for every cell is slow
        run = para.add_run(text)
        run.bold = bold or None


def _section(doc, data: ReportData, key: str, pngs: dict[str, bytes]) -> None:
    if key == "summary":
        _summary(doc, data)
    elif key == "evaluation":
        _evaluation(doc, data)
    elif key.startswith("plan:"):
        _plan(doc, data, key[5:], pngs)
    elif key == "units":
        _units(doc, data)
    elif key == "method":
        _method(doc, data)
    else:
        _quality(doc, data)


def _summary(doc, data: ReportData) -> None:
    lang, table = data.options.lang, data.table
    risky = T.binding_at_risk(table)
    doc.add_heading(data.label("binding_risk"), level=2)
    if len(risky):
        add_table(doc, F.indicator_rows(risky, lang))
    else:
        doc.add_paragraph(data.label("binding_none"))
    doc.add_heading(data.label("counts_plan"), level=2)
    add_table(doc, F.counts_frame(T.status_counts(table, [S.PLAN]), [S.PLAN], lang))
    doc.add_heading(data.label("counts_domain"), level=2)
    by_domain = [S.PLAN, T.DOMAIN]
    add_table(doc, F.counts_frame(T.status_counts(table, by_domain), by_domain, lang))
    doc.add_heading(data.label("changes"), level=2)
    _changes(doc, data)


def _changes(doc, data: ReportData) -> None:
    opts, lang = data.options, data.options.lang
    key = "changes_basis" if data.vintage_used else "changes_no_vintage"
    doc.add_paragraph(data.label(key, date=opts.previous_date, year=opts.year - 1))
    doc.add_heading(data.label("status_changes"), level=3)
    changes = T.status_changes(data.table, data.previous)
    if len(changes):
        add_table(doc, F.changes_frame(changes, lang))
    else:
        doc.add_paragraph(data.label("no_status_changes"))
    doc.add_heading(data.label("revised"), level=3)
    _revised(doc, data)


def _revised(doc, data: ReportData) -> None:
    if len(data.revised):
        add_table(doc, F.revised_frame(data.revised, data.options.lang))
    else:
        doc.add_paragraph(data.label("no_revised"))


def _plan(doc, data: ReportData, plan: str, pngs: dict[str, bytes]) -> None:
    rows = data.table[data.table[S.PLAN] == plan]
    for domain, group in rows.groupby(T.DOMAIN, sort=False):
        doc.add_heading(str(domain), level=2)
        for row in group.to_dict("records"):
            _indicator(doc, data, row, pngs.get(row[S.INDICATOR_ID]))


def _indicator(doc, data: ReportData, row: dict, png: bytes | None) -> None:
    doc.add_heading(f"{row[S.INDICATOR_ID]} {row[T.NAME]}", level=3)
    facts, status = F.indicator_text(row, data.options.lang)
    doc.add_paragraph(facts)
    doc.add_paragraph(status)
    if png:
        doc.add_picture(io.BytesIO(png), width=CHART_WIDTH)
    references = F.reference_line(data.observations, row[S.INDICATOR_ID], row.get(S.UNIT) or "", data.options.lang)
    if references:
        doc.add_paragraph(references)
    context = F.context_text(row[S.INDICATOR_ID], data.options.lang)
    if context:
        heading, intro, lines = context
        doc.add_paragraph().add_run(heading).bold = True
        doc.add_paragraph(intro)
        for line in lines:
            doc.add_paragraph(line, style="List Bullet")


def _units(doc, data: ReportData) -> None:
    lang, year = data.options.lang, data.options.year
    for unit in T.unit_overview(data.table, data.catalog, data.units).to_dict("records"):
        doc.add_heading(unit["unit"], level=2)
        add_table(doc, F.indicator_rows(data.rows_of_unit(unit["unit"]), lang))
        doc.add_paragraph(data.label("unit_behind") + F.id_list(unit["behind"], lang))
        doc.add_paragraph(data.label("unit_no_data", year=year) + F.id_list(unit["no_data"], lang))


def _quality(doc, data: ReportData) -> None:
    lang, year = data.options.lang, data.options.year
    doc.add_heading(data.label("missing_submissions", year=year), level=2)
    missing_units = T.missing_submissions(data.units, data.submissions, year)
    doc.add_paragraph(data.label("no_submission_units", year=year) + F.id_list(missing_units, lang))
    doc.add_heading(data.label("missing_values", year=year), level=3)
    missing = F.missing_frame(T.unit_overview(data.table, data.catalog, data.units), year, lang)
    if len(missing):
        add_table(doc, missing)
    else:
        doc.add_paragraph(data.label("no_missing_values", year=year))
    doc.add_heading(data.label("revised_quality"), level=2)
    _revised(doc, data)
    doc.add_heading(data.label("demo_values"), level=2)
    demo = T.demo_values(data.observations, data.table, year)
    doc.add_paragraph(data.label("demo_count", n=int(demo["n_demo"].sum()), k=len(demo))
                      if len(demo) else data.label("no_demo"))


def _method(doc, data: ReportData) -> None:
    lang, evidence = data.options.lang, data.evidence
    doc.add_heading(data.label("method_statuses"), level=2)
    add_table(doc, M.status_meanings(lang))
    doc.add_paragraph(M.special_rules(lang))
    doc.add_heading(data.label("method_how"), level=2)
    for line in M.how_lines(lang):
        doc.add_paragraph(line, style="List Bullet")
    doc.add_heading(data.label("method_evidence"), level=2)
    intro, note = M.evidence_texts(evidence, lang)
    doc.add_paragraph(intro)
    if note:
        add_table(doc, M.evidence_table(evidence, lang))
        doc.add_paragraph(note)


def _evaluation(doc, data: ReportData) -> None:
    lang = data.options.lang
    doc.add_heading(data.label("progress"), level=2)
    add_table(doc, F.evaluation_frame(data.evaluation, lang))
    doc.add_heading(data.label("earlier"), level=2)
    doc.add_paragraph(data.label("earlier_note", years=F.year_list(data.options.as_of_years, lang)))
    add_table(doc, F.earlier_frame(data.evaluation, lang))
