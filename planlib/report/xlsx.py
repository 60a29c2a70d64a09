"""The report's data tables as an Excel workbook (数据报表), written with pandas and openpyxl.

Sheets: a summary (counts by status), one sheet per plan with every indicator (id, name, unit,
target as printed, attribute, responsible units, 2020 baseline, the values of every year as
columns, latest value, projected value with its 95 % interval, status, explanation), one sheet per
responsible unit with its indicators, data quality (missing values, revisions), for the mid-term
and final evaluations the evaluation table, then the reference regions' published values and
what each status means (状态含义). Numbers stay numbers; every cell is a value, never a formula
(a note reading ``=HYPERLINK(…)`` is shown as that text).

When the report holds illustrative data, the first row of every data sheet reads
示例数据（非官方统计） and the table starts on the second row (the reference regions' real values
and the statuses' meanings are not data of the county, so they carry no such row).
"""

from __future__ import annotations

import io
import re

import pandas as pd
from openpyxl.styles import Font

from .. import i18n
from . import format as F
from . import method as M
from . import tables as T
from .. import schema as S
from .content import ReportData
from ..safecells import values_only

FIRST_YEAR = 2015
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unused Excel sheet name (at most 31 characters, no ``[]:*?/\\``).

    Examples:
        >>> sheet_name("县卫生健康委", set()), sheet_name("a/b", {"a_b"})
        ('县卫生健康委', 'a_b 2')
    """
    name = _BAD_SHEET_CHARS.sub("_", text)[:31] or "Sheet"
    base, n = name, 2
    while name in taken:
        suffix = f" {n}"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def indicator_sheet(data: ReportData, table: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``table`` as the data sheet shows them: headings in the report's language.

    Args:
        data: the report (observations, year, language).
        table: rows of its :func:`planlib.report.tables.indicator_table`.
    """
    lang = data.options.lang
    h = lambda key: F.heading(key, lang)  # noqa: E731
    years = values_frame(data, table)
    front = pd.DataFrame({
        h("indicator_id"): table[S.INDICATOR_ID].to_numpy(),
        h("name"): table[T.NAME].to_numpy(),
        h("unit"): table[S.UNIT].to_numpy(),
        h("target"): table[T.TARGET].to_numpy(),
        h("attribute"): [i18n.ATTRIBUTE_LABELS.get(a, {}).get(lang, a) for a in table[S.ATTRIBUTE]],
        h("units"): table[T.UNITS].to_numpy(),
        h("baseline"): table[T.BASELINE].to_numpy(),
    })
    back = pd.DataFrame({
        h("latest_year"): table[T.LATEST_YEAR].to_numpy(),
        h("latest_value"): table[T.LATEST_VALUE].to_numpy(),
        h("change"): table[T.CHANGE].to_numpy(),
        h("projected"): table[T.PROJECTED].to_numpy(),
        h("lower_95"): table[T.LOWER_95].to_numpy(),
        h("upper_95"): table[T.UPPER_95].to_numpy(),
        h("p_meet"): table[T.P_MEET].to_numpy(),
        h("status"): [F.status_text(s, lang) for s in table[T.STATUS]],
        h("explanation"): table[T.EXPLANATION].to_numpy(),
        h("demo"): [F.fmt_yes_no(d, lang) for d in table[T.DEMO]],
    })
    return pd.concat([front, years, back], axis=1)


def values_frame(data: ReportData, table: pd.DataFrame) -> pd.DataFrame:
    """The county's value of every year from :data:`FIRST_YEAR` (or its first value) to the report's.

    One column per year, named by the year.
    """
    county = T.county_rows(data.observations)
    first = min(FIRST_YEAR, int(county[S.YEAR].min())) if len(county) else FIRST_YEAR
    wide = T.values_by_year(data.observations, table[S.INDICATOR_ID], first, data.options.year)
    return wide.rename(columns=lambda y: str(y))


def render_xlsx(data: ReportData) -> bytes:
    """The data tables as .xlsx bytes."""
    buf = io.BytesIO()
    taken: set[str] = set()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, frame in _sheets(data):
            _write_sheet(writer, sheet_name(name, taken), frame, data)
        reference = F.reference_frame(data.observations, data.catalog, data.table[S.INDICATOR_ID],
                                      data.options.lang)
        if len(reference):  # real published values: no demo label on this sheet
            name = sheet_name(i18n.t("sheet", data.options.lang, i18n.REFERENCE_LABELS), taken)
            _write_sheet(writer, name, reference, data, demo=False)
        # what each status means: the rules, not data, so no demo label
        _write_sheet(writer, sheet_name(i18n.t("status_sheet", data.options.lang), taken),
                     M.status_meanings(data.options.lang), data, demo=False)
        values_only(writer.book)  # a department's note is text, never a live formula
    return buf.getvalue()


def _sheets(data: ReportData):
    lang, table = data.options.lang, data.table
    yield data.label("sheet_summary"), F.counts_frame(
        T.status_counts(table, [S.PLAN, T.DOMAIN]), [S.PLAN, T.DOMAIN], lang)
    for plan in ("women", "children"):
        rows = table[table[S.PLAN] == plan].reset_index(drop=True)
        if len(rows):
            yield _plan_sheet_name(plan, lang), indicator_sheet(data, rows)
    for unit in data.units:
        yield unit, indicator_sheet(data, data.rows_of_unit(unit))
    overview = T.unit_overview(table, data.catalog, data.units)
    yield data.label("sheet_quality"), F.missing_frame(overview, data.options.year, lang)
    yield data.label("sheet_revised"), F.revised_frame(data.revised, lang)
    if data.evaluation is not None:
        yield data.label("sheet_evaluation"), pd.concat(
            [F.evaluation_frame(data.evaluation, lang),
             F.earlier_frame(data.evaluation, lang).iloc[:, 2:]], axis=1)


def _plan_sheet_name(plan: str, lang: str) -> str:
    return T.label(f"sheet_{plan}", lang)


def _write_sheet(writer: pd.ExcelWriter, name: str, frame: pd.DataFrame, data: ReportData,
                 demo: bool | None = None) -> None:
    demo = data.demo if demo is None else demo
    start = 1 if demo else 0
    frame.to_excel(writer, sheet_name=name, index=False, startrow=start)
    sheet = writer.sheets[name]
    if demo:
        sheet.cell(row=1, column=1, value=data.demo_label()).font = Font(bold=True, color="D55E00")
    sheet.freeze_panes = sheet.cell(row=start + 2, column=1)
    for idx, column in enumerate(frame.columns, start=1):
        width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(50)])
        sheet.column_dimensions[sheet.cell(row=start + 1, column=idx).column_letter].width = \
            min(max(8, width * 1.6), 60)
