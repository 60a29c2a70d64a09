"""The city report: a parent region's member regions side by side (:mod:`planlib.city`).

:func:`prepare_city` assesses every member against its own plan and makes the
:class:`~planlib.city.CityView`; :func:`render_city_html` lays it out as one self-contained page
(Jinja2 template ``city.html.j2``, autoescaped, no script, nothing loaded from outside) and
:func:`render_city_docx` as an editable Word draft (A4 landscape, the same tables) and
:func:`render_city_xlsx` as a workbook whose sheets are the city view (indicators x members with
the reference regions beside them), the binding targets behind, the ranking per indicator and
what each status means (the same table as the county report's method note).
:func:`write_city_report` writes the three, each whole or not at all.

The Excel sheets are made by :func:`write_city_sheets`, so any workbook a city user exports (this
one, or the dashboard's download once it has a city page) can carry them. When any member's value
is illustrative (demo), the first row of every city data sheet and a fixed banner on the page
read 示例数据（非官方统计）.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl.styles import Font

from .. import i18n
from .. import schema as S
from ..city import CityView, assess_members, behind_frame, city_view, grid_frame, label, ranking_frame
from ..config import NATIONAL, PARENT_CITY
from ..files import atomic_path
from ..formats import format_number, is_missing
from ..safecells import values_only
from .html import _env, _table
from .method import status_meanings
from .xlsx import sheet_name

CITY_HTML_NAME, CITY_XLSX_NAME, CITY_DOCX_NAME = "city.html", "city.xlsx", "city.docx"


@dataclass(frozen=True)
class CityReport:
    """What one city report shows.

    Attributes:
        view: the city view.
        year: data up to this year.
        lang: ``zh`` or ``en``.
        generated: the date the report was made (ISO).
    """

    view: CityView
    year: int
    lang: str = "zh"
    generated: str = ""

    def demo_label(self) -> str:
        """示例数据（非官方统计） in the report's language, or "" when no value is illustrative."""
        if not self.view.demo:
            return ""
        return S.DEMO_LABEL[self.lang]

    @property
    def title(self) -> str:
        return label("title", self.lang, city=i18n.region_label(self.view.city, self.lang), year=self.year)


def prepare_city(catalogs: Mapping[str, pd.DataFrame], observations: pd.DataFrame, members: Sequence[str],
                 year: int, lang: str = "zh", references: Sequence[str] = (PARENT_CITY, NATIONAL),
                 assessments: pd.DataFrame | None = None) -> CityReport:
    """The city report of ``members`` with data up to ``year``.

    Args:
        catalogs: member region -> its plan's catalogue.
        observations: every member's and reference region's observations.
        members: the member regions, in the order shown.
        year: the report's year (later observations are ignored).
        lang: ``zh`` or ``en``.
        references: the reference regions shown beside the members.
        assessments: ready assessment rows (each member against its own plan); default
            :func:`planlib.city.assess_members`.
    """
    if assessments is None:
        assessments = assess_members({m: catalogs[m] for m in members}, observations, as_of=year)
    view = city_view(assessments, catalogs, members, observations, references, as_of=year)
    return CityReport(view, int(year), lang, dt.date.today().isoformat())


def city_sections(report: CityReport) -> list[tuple[str, str, pd.DataFrame]]:
    """The report's sections: ``(anchor, heading, table)``; the sheets follow the same order."""
    lang, view = report.lang, report.view
    return [("grid", label("grid_heading", lang), grid_frame(view, lang)),
            ("behind", label("behind_heading", lang), behind_frame(view, lang)),
            ("ranking", label("ranking_heading", lang), ranking_frame(view, lang)),
            ("statuses", i18n.t("status_legend", lang), status_meanings(lang))]


def render_city_html(report: CityReport) -> str:
    """The city report as one HTML page (text)."""
    lang = report.lang
    meta = [member_line(report), label("generated", lang, date=report.generated, year=report.year)]
    return _env().get_template("city.html.j2").render(
        html_lang="zh-CN" if lang == "zh" else "en", title=report.title, demo_label=report.demo_label(),
        meta=meta, note=label("intro", lang), sections=_section_blocks(report))


def render_city_fragment(report: CityReport) -> str:
    """The city view's sections alone (no page around them): for the dashboard's city view."""
    return _env().get_template("city_sections.html.j2").render(
        note=label("intro", report.lang), sections=_section_blocks(report)).strip()


def member_line(report: CityReport) -> str:
    """成员区县：石柱县、示例县（演示）"""
    names = [i18n.region_label(m, report.lang) for m in report.view.members]
    return label("members", report.lang, members=("、" if report.lang == "zh" else ", ").join(names))


def _section_blocks(report: CityReport) -> list[dict]:
    lang = report.lang
    sections = []
    for anchor, heading, frame in city_sections(report):
        blocks = [_table(_as_text(frame), numeric=_numeric(frame))] if len(frame) else []
        if anchor == "behind" and not len(frame):
            blocks = [{"kind": "p", "text": label("behind_none", lang), "cls": ""}]
        if anchor == "ranking":
            blocks.insert(0, {"kind": "p", "text": label("ranking_note", lang), "cls": "note"})
        sections.append({"anchor": anchor, "heading": heading, "blocks": blocks})
    return sections


def write_city_sheets(writer: pd.ExcelWriter, report: CityReport, taken: set[str]) -> list[str]:
    """Add the city sheets to an open workbook; returns their names."""
    names = []
    keys = {"grid": "sheet", "behind": "sheet_behind", "ranking": "sheet_ranking"}
    for anchor, _heading, frame in city_sections(report):
        if anchor == "statuses":  # the rules, not data: no demo label
            name = sheet_name(i18n.t("status_sheet", report.lang), taken)
            _write_sheet(writer, name, frame, "")
        else:
            name = sheet_name(label(keys[anchor], report.lang), taken)
            _write_sheet(writer, name, frame, report.demo_label())
        names.append(name)
    return names


def render_city_xlsx(report: CityReport) -> bytes:
    """The city sheets as .xlsx bytes (every cell a value, never a formula)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        write_city_sheets(writer, report, set())
        values_only(writer.book)
    return buf.getvalue()


def render_city_docx(report: CityReport) -> bytes:
    """The city report as an editable Word draft (.docx bytes): A4 landscape, Chinese fonts, the
    three tables; the demo label in the header of every page when any member's value is demo."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import RGBColor

    from .docx import DocxFonts, _set_styles, add_table, mark_headers

    doc = Document()
    _set_styles(doc, DocxFonts(table_size=7.5))
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    doc.add_heading(report.title, level=0)
    if report.demo_label():
        run = doc.add_paragraph().add_run(report.demo_label())
        run.bold, run.font.color.rgb = True, RGBColor(0xD5, 0x5E, 0x00)
    for line in (member_line(report), label("generated", report.lang, date=report.generated, year=report.year),
                 label("intro", report.lang)):
        doc.add_paragraph(line)
    for anchor, heading, frame in city_sections(report):
        doc.add_heading(heading, level=1)
        if anchor == "ranking":
            doc.add_paragraph(label("ranking_note", report.lang))
        if len(frame):
            add_table(doc, _as_text(frame))
        elif anchor == "behind":
            doc.add_paragraph(label("behind_none", report.lang))
    if report.demo_label():
        mark_headers(doc, report.demo_label())
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def write_city_report(report: CityReport, output: str | os.PathLike) -> list[Path]:
    """Write ``city.html``, ``city.docx`` and ``city.xlsx`` into the folder ``output`` (each atomically)."""
    folder = Path(output)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in ((CITY_HTML_NAME, render_city_html(report).encode("utf-8")),
                          (CITY_DOCX_NAME, render_city_docx(report)), (CITY_XLSX_NAME, render_city_xlsx(report))):
        with atomic_path(folder / name) as tmp:
            tmp.write_bytes(content)
        written.append(folder / name)
    return written


def _write_sheet(writer: pd.ExcelWriter, name: str, frame: pd.DataFrame, demo_label: str) -> None:
    start = 1 if demo_label else 0
    frame.to_excel(writer, sheet_name=name, index=False, startrow=start)
    sheet = writer.sheets[name]
    if demo_label:
        sheet.cell(row=1, column=1, value=demo_label).font = Font(bold=True, color="D55E00")
    sheet.freeze_panes = sheet.cell(row=start + 2, column=3)
    for idx, column in enumerate(frame.columns, start=1):
        width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(50)])
        sheet.column_dimensions[sheet.cell(row=start + 1, column=idx).column_letter].width = \
            min(max(8, width * 1.4), 50)


def _numeric(frame: pd.DataFrame) -> tuple[str, ...]:
    return tuple(c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c]))


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy().astype(object)
    for c in frame.columns:
        out[c] = ["—" if is_missing(v) else format_number(v) if isinstance(v, float) else str(v)
                  for v in frame[c]]
    return out
