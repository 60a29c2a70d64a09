"""Department data intake: Excel templates out, validated values in.

``write_template`` makes the workbook a responsible unit fills in; ``import_files`` reads filled
templates and tidy CSV files (the format ``planlib export`` writes), checks every value like
DHIS2's validation rules, and imports each file as one transaction: a file with any error
imports nothing, and every problem is named with file, sheet, row, column, the value found and
what to do.

Rules (errors block the file, warnings do not):

* the value is a number, within its unit's range (``%`` 0-100, ``‰`` 0-1000, ``1/10万``
  0-100000, ``岁`` 0-120, ``小时`` 0-24, ``年`` 0-30, ``万人`` 0-100, counts 0-1000000,
  everything else 0-10⁹: a value beyond what the county can physically have is an error) and a
  value beyond the usual range of its unit (:attr:`UnitRule.plausible`, e.g. more than 100000
  people) is a warning; counts (人, 个, 张, 名, 户) are whole numbers unless they are counts
  *per* something (每千名儿童拥有床位数);
* the region is one the store monitors (``config.KNOWN_REGIONS``: the county, 全国, 重庆市);
  empty means the county;
* a note (and any other text) is at most :data:`MAX_TEXT_CHARS` characters; a formula cell
  must carry its calculated value;
* the year lies in 2010-2030 and not in the future; years before the plan period (2010-2020)
  are accepted as historical backfill with a warning;
* the indicator exists, and (templates) belongs to the sheet's department;
* numerator and denominator (events and population, for rates; boys and girls for 女=100) come
  together, are >= 0, and for a rate the numerator is not larger than the denominator; a value
  computed from them that differs from the value given is a warning; a value given only by them
  is computed;
* an indicator, region and year appears once per file (the same value reported by two
  departments' sheets of one workbook is a warning);
* changing a value already reported (not illustrative) needs a note (备注), kept as the reason
  (adding a missing numerator/denominator to the same value is not a change); illustrative
  rows never replace reported ones;
* a value that is new or changed and differs from the previous value (at most 5 years older,
  illustrative values left aside) by more than 50 %, or by more than 3 robust standard
  deviations of the past year-to-year changes (at least 2 % of the previous value), is a warning.

Every file is read within bounds: at most :data:`MAX_FILE_BYTES` bytes and :data:`MAX_ROWS`
rows, a workbook within :class:`planlib.xlsx.Limits` (no part inflating beyond 50 MB or 100
times its packed size); a file beyond them is rejected at once with one message. Summaries list
the first :data:`MAX_LISTED_PROBLEMS` problems of a file, then how many more there are.

Several files: each file is checked and imported on its own (all-or-nothing per file, one
transaction each), in the order given; the result lists every file. A file already imported
(same bytes, by SHA-256) is skipped; a file whose values are all stored already changes nothing.
"""

from __future__ import annotations

import csv
import getpass
import hashlib
import io
import math
import os
import re
import statistics
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from pathlib import Path

import pandas as pd

from . import schema as S
from . import store, units
from .config import COUNTY, KNOWN_REGIONS, PLAN_END, PLAN_START
from .errors import PlanlibError, Problem
from .i18n import INTAKE_MESSAGES
from .observations import ensure_store, load_shipped_observations
from .safecells import restore_text, values_only
from .xlsx import Cell, Limits, XlsxError, read_workbook

TEMPLATE_VERSION = "1"
META_SHEET = "_planlib"
#: Oldest year accepted (historical backfill, with a warning) and the plan period.
FIRST_YEAR = 2010
HEADER_SEARCH_ROWS = 10
_NO_CELL = Cell(None)
#: Jumps are checked against the previous value if it is at most this many years older.
MAX_JUMP_GAP = 5
#: How many years before a file's first year are read to judge its jumps.
HISTORY_YEARS = 10
#: The largest file accepted, in bytes, and the most data rows one file may hold (the whole
#: store, every indicator and region since 2010, is a few thousand rows).
MAX_FILE_BYTES = 20 * 2**20
MAX_ROWS = 20_000
#: The longest note (备注), source or confirmation accepted, in characters.
MAX_TEXT_CHARS = 500
#: Problems of one file listed in a summary; the others are counted ("and N more").
MAX_LISTED_PROBLEMS = 200
XLSX_LIMITS = Limits(rows=MAX_ROWS + HEADER_SEARCH_ROWS * 20)


@dataclass(frozen=True)
class UnitRule:
    """The range a value in one unit may take; ``scale`` turns numerator/denominator into it.

    Attributes:
        low, high: the physical limits: a value outside them is an error.
        whole: the value is a count (a whole number).
        scale: the multiplier (``%`` 100, ``‰`` 1000, ``女=100`` 100, ...), if it is a rate or ratio.
        plausible: above this a value is unusual for a county (a warning, not an error).
        share: the numerator is part of the denominator (cannot exceed it).
    """

    low: float | None = 0.0
    high: float | None = 1e9
    whole: bool = False
    scale: float | None = None
    plausible: float | None = None
    share: bool = False


def _rule(u: units.Unit) -> UnitRule:
    """The intake's range rule for a unit of :mod:`planlib.units`."""
    return UnitRule(u.low, u.high, whole=u.whole, scale=u.multiplier, plausible=u.plausible, share=u.share)


#: Counts *per* thousand children, per health centre, ...
PER_RULE = UnitRule(0, 1000, plausible=100)
UNIT_RULES: dict[str, UnitRule] = {code: _rule(u) for code, u in units.UNITS.items()}
DEFAULT_RULE = _rule(units.DEFAULT)
#: Numerators and denominators: events and populations of the county.
FRACTION_RULE = UnitRule(0, 1e8, plausible=1e7)


def unit_rule(unit: str, name: str = "") -> UnitRule:
    """The range rule for an indicator's unit (default: any number >= 0).

    A count unit (人, 个, 张, 名, 户) asks for whole numbers unless the indicator is a count
    *per* something (its name contains 每, as in 每千名儿童拥有床位数).

    Examples:
        >>> unit_rule("%").high, unit_rule("名").whole, unit_rule("万人").high, unit_rule("元").high
        (100.0, True, 100.0, 1000000000.0)
        >>> unit_rule("张", "每千名（0-14岁）儿童拥有床位数（张）")
        UnitRule(low=0, high=1000, whole=False, scale=None, plausible=100, share=False)
    """
    rule = UNIT_RULES.get(str(unit).strip(), DEFAULT_RULE)
    return PER_RULE if rule.whole and "每" in str(name) else rule


# --- the template's columns ------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: float
    editable: bool = False


TEMPLATE_COLUMNS = (
    Column(S.INDICATOR_ID, "指标代码", 10),
    Column(S.NAME_ZH, "指标名称", 44),
    Column(S.UNIT, "计量单位", 10),
    Column(S.TARGET_TEXT, "2030年目标", 13),
    Column("last_value", "上次报送值", 12),
    Column("last_year", "上次报送年份", 12),
    Column(S.VALUE, "数值", 12, editable=True),
    Column(S.NUMERATOR, "分子", 11, editable=True),
    Column(S.DENOMINATOR, "分母", 11, editable=True),
    Column(S.NOTE, "备注", 32, editable=True),
)
TITLE_ROW, HELP_ROW, HEADER_ROW = 1, 2, 3

#: Header labels (Chinese or English) accepted for each column of a tidy CSV file.
CSV_ALIASES = {
    S.INDICATOR_ID: ("indicator_id", "指标代码", "代码"),
    S.REGION: ("region", "地区", "区域"),
    S.YEAR: ("year", "年份", "年度"),
    S.VALUE: ("value", "数值", "值"),
    S.NUMERATOR: ("numerator", "分子"),
    S.DENOMINATOR: ("denominator", "分母"),
    S.SOURCE: ("source", "来源", "数据来源"),
    S.STATUS: ("status", "状态"),
    S.NOTE: ("note", "备注"),
    S.CONFIRMATION: ("confirmation", "核实情况"),
}
STATUS_ALIASES = {"reported": "reported", "provisional": "provisional", "estimated": "estimated",
                  "正式": "reported", "报送": "reported", "初步": "provisional", "估计": "estimated"}


# --- problems, in Chinese and English ----------------------------------------------------------------

@dataclass(frozen=True)
class Loc:
    """Where a cell is: file, sheet, row (as Excel/CSV shows it), column label."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None


def _p(kind: str, loc: Loc, found: object = None, severity: str = "error", **fmt) -> Problem:
    zh, en, fix_zh, fix_en = (text.format(**fmt) for text in INTAKE_MESSAGES[kind])
    return Problem(zh, en, fix_zh, fix_en, file=loc.file, sheet=loc.sheet, row=loc.row,
                   column=loc.column, value=found, severity=severity)


# --- the catalogue, as intake needs it ----------------------------------------------------------------

@dataclass(frozen=True)
class _Catalog:
    units: dict[str, str]              # indicator -> unit
    owners: dict[str, tuple[str, ...]]  # indicator -> responsible units
    departments: tuple[str, ...]
    rules: dict[str, UnitRule]          # indicator -> range rule

    @classmethod
    def load(cls, catalog: pd.DataFrame | None = None) -> _Catalog:
        from .catalog import load_catalog, units_of

        cat = load_catalog() if catalog is None else catalog
        ids = cat[S.INDICATOR_ID].astype(str)
        owners = {i: tuple(u.strip() for u in str(cell).split(";") if u.strip())
                  for i, cell in zip(ids, cat[S.RESPONSIBLE_UNITS])}
        rules = {i: unit_rule(u, n) for i, u, n in zip(ids, cat[S.UNIT], cat[S.NAME_ZH])}
        return cls(dict(zip(ids, cat[S.UNIT].astype(str))), owners, tuple(units_of(cat)), rules)


# --- writing templates ---------------------------------------------------------------------------------

def write_template(unit: str, year: int, output: str | os.PathLike,
                   db: str | os.PathLike | None = None) -> Path:
    """Write the Excel workbook a responsible unit fills in for one reporting year.

    One sheet per department (``unit="all"``: every department), listing its indicators with
    code, name, unit, 2030 target and the last value reported (with its year) for reference,
    and the cells to fill: 数值, 分子, 分母 (for the mortality rates) and 备注. The value cells
    carry Excel data validation by unit; the other cells are locked; a hidden sheet records
    the unit, year and template version so that ``import_files`` knows what it reads.

    Raises:
        PlanlibError: for an unknown unit or a year outside 2010-2030.

    Examples:
        >>> import tempfile, pathlib, openpyxl
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "残联.xlsx"
        >>> path = write_template("县残联", 2025, out)
        >>> ws = openpyxl.load_workbook(path)["县残联"]
        >>> [c.value for c in ws[3]][:3], ws["A4"].value, ws["A5"].value
        (['指标代码', '指标名称', '计量单位'], 'C26', 'C27')
    """
    from .catalog import indicators_of_unit, load_catalog

    catalog = load_catalog()
    info = _Catalog.load(catalog)
    departments = _departments(unit, info)
    _check_template_year(year)
    last = _last_reported(db, year)
    wb = _new_workbook()
    for dept in departments:
        _write_sheet(wb.create_sheet(_sheet_title(dept)), dept, year,
                     indicators_of_unit(catalog, dept), last)
    _write_meta(wb, year, departments)
    return _save_atomically(wb, Path(output))


def _departments(unit: str, info: _Catalog) -> list[str]:
    if str(unit).strip().lower() in ("all", "全部"):
        return list(info.departments)
    if unit in info.departments:
        return [unit]
    raise PlanlibError(Problem(
        f"指标目录中没有责任单位“{unit}”", f"No responsible unit '{unit}' in the catalogue",
        "可用的单位：" + "、".join(info.departments) + "；或用 all 生成全部单位。",
        "Known units: " + ", ".join(info.departments) + "; or 'all' for every unit.",
        column="--unit", value=unit))


def _check_template_year(year: int) -> None:
    if not (FIRST_YEAR <= int(year) <= PLAN_END):
        raise PlanlibError(Problem(
            f"报送年份须在 {FIRST_YEAR}—{PLAN_END} 年之间", f"The reporting year must be {FIRST_YEAR}-{PLAN_END}",
            "检查 --year；监测期为 2021—2030 年，历史数据最早可补录到 2010 年。",
            "Check --year: the plan period is 2021-2030; history back to 2010 may be added.",
            column="--year", value=year))


def _last_reported(db, year: int) -> dict[str, tuple[float, int]]:
    """The latest non-illustrative county value before ``year``, per indicator."""
    path = store.db_path(db)
    if path.exists():
        obs = store.read_observations(path)
    else:
        obs = load_shipped_observations()
    obs = obs[(obs[S.REGION] == COUNTY) & (obs[S.SOURCE] != S.DEMO_SOURCE)]
    obs = obs.assign(**{S.YEAR: obs[S.YEAR].astype(int), S.VALUE: pd.to_numeric(obs[S.VALUE])})
    obs = obs[obs[S.YEAR] < int(year)].sort_values(S.YEAR)
    return {r[S.INDICATOR_ID]: (r[S.VALUE], r[S.YEAR])
            for r in obs.drop_duplicates(S.INDICATOR_ID, keep="last").to_dict("records")}


def _sheet_title(name: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "_", name)[:31]


def _new_workbook():
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    return wb


def _write_sheet(ws, dept: str, year: int, rows: pd.DataFrame, last: dict) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter

    ws["A1"] = f"{COUNTY}妇女儿童发展规划监测指标数据报送表　{dept}　{year}年"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = (f"请在“数值”列填写 {year} 年数值（百分比填 0—100 的数）；死亡率可同时填写分子（死亡数）和分母"
                "（活产数）；修改以前报送过的数值须在“备注”列说明原因。不填的指标留空。")
    ws["A2"].alignment = Alignment(wrap_text=False)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for j, col in enumerate(TEMPLATE_COLUMNS, start=1):
        cell = ws.cell(HEADER_ROW, j, col.label)
        cell.font, cell.fill = Font(bold=True), header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(j)].width = col.width
    grey = PatternFill("solid", fgColor="F2F2F2")
    for i, rec in enumerate(rows.to_dict("records"), start=HEADER_ROW + 1):
        lv = last.get(rec[S.INDICATOR_ID], (None, None))
        values = {**rec, "last_value": lv[0], "last_year": lv[1]}
        rate = unit_rule(rec[S.UNIT]).share and rec[S.UNIT] != "%"  # ‰, 1/10万
        for j, col in enumerate(TEMPLATE_COLUMNS, start=1):
            cell = ws.cell(i, j, None if col.editable else values.get(col.key))
            fraction = col.key in (S.NUMERATOR, S.DENOMINATOR)
            cell.protection = Protection(locked=not col.editable or (fraction and not rate))
            if not col.editable or (fraction and not rate):
                cell.fill = grey
        ws.cell(i, 2).alignment = Alignment(wrap_text=True, vertical="center")
    _add_validations(ws, rows)
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 3)
    ws.protection.sheet = True
    ws.protection.formatColumns = ws.protection.formatRows = False


def _add_validations(ws, rows: pd.DataFrame) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    groups: dict[tuple, list[int]] = {}
    for i, (unit, name) in enumerate(zip(rows[S.UNIT], rows[S.NAME_ZH]), start=HEADER_ROW + 1):
        rule = unit_rule(unit, name)
        groups.setdefault((rule.low, rule.high, rule.whole, unit if rule != DEFAULT_RULE else ""), []).append(i)
    value_col = 1 + [c.key for c in TEMPLATE_COLUMNS].index(S.VALUE)
    letter = ws.cell(1, value_col).column_letter
    for (low, high, whole, unit), row_numbers in groups.items():
        kind = "whole" if whole else "decimal"
        dv = (DataValidation(type=kind, operator="between", formula1=_plain(low), formula2=_plain(high))
              if high is not None else
              DataValidation(type=kind, operator="greaterThanOrEqual", formula1=_plain(low)))
        bounds = f"{_fmt(low)}—{_fmt(high)}" if high is not None else f"≥ {_fmt(low)}"
        dv.error = f"请填写{'整数' if whole else '数字'}，范围 {bounds}{('（' + unit + '）') if unit else ''}。"
        dv.errorTitle, dv.showErrorMessage, dv.allow_blank = "数值超出范围", True, True
        for r in row_numbers:
            dv.add(f"{letter}{r}")
        ws.add_data_validation(dv)


def _plain(x: float) -> str:
    """A number as Excel reads it in a formula, without an exponent: ``1e9`` -> ``1000000000``."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _write_meta(wb, year: int, departments: list[str]) -> None:
    ws = wb.create_sheet(META_SHEET)
    ws.append(["key", "value", "unit"])
    ws.append(["template_version", TEMPLATE_VERSION, None])
    ws.append(["year", int(year), None])
    ws.append(["generated_at", datetime.now(timezone.utc).isoformat(timespec="seconds"), None])
    for dept in departments:
        ws.append(["sheet", _sheet_title(dept), dept])
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True


def _save_atomically(wb, output: Path) -> Path:
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    try:
        values_only(wb).save(tmp)
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)
    return output


# --- reading files into raw rows ---------------------------------------------------------------------------

@dataclass(frozen=True)
class RawRow:
    """One row as found: its location, department (templates) and the raw cells by field."""

    loc: Loc
    department: str | None
    cells: dict[str, tuple[object, str]]  # field -> (raw value, column label)
    percent_format: bool = False


@dataclass(frozen=True)
class ParsedFile:
    file: str
    rows: tuple[RawRow, ...]
    problems: tuple[Problem, ...]
    department: str | None = None
    year: int | None = None


def _parse(name: str, data: bytes) -> ParsedFile:
    suffix = Path(name).suffix.lower()
    if suffix == ".xls" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return ParsedFile(name, (), (_p("old_xls", Loc(name)),))
    if suffix in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
        return _parse_workbook(name, data)
    return _parse_csv(name, data)


def _parse_workbook(name: str, data: bytes) -> ParsedFile:
    try:
        sheets = read_workbook(data, XLSX_LIMITS)
    except XlsxError as exc:
        return ParsedFile(name, (), (_xlsx_problem(name, exc),))
    meta = _read_meta(sheets, name)
    if isinstance(meta, Problem):
        return ParsedFile(name, (), (meta,))
    year, units = meta
    rows: list[RawRow] = []
    problems: list[Problem] = []
    for title, dept in units:
        found = _read_template_sheet(sheets.get(title), Loc(name, title), dept, year)
        rows += found[0]
        problems += found[1]
    dept = units[0][1] if len(units) == 1 else None
    return ParsedFile(name, tuple(rows), tuple(problems), dept, year)


def _xlsx_problem(name: str, exc: XlsxError) -> Problem:
    """Why a workbook was not read, said for the person who sent it."""
    ref = re.fullmatch(r"([A-Z]+)(\d+)", exc.cell or "")
    loc = Loc(name, exc.sheet, int(ref.group(2)) if ref else None, ref.group(1) if ref else None)
    if exc.kind == "too_many_rows":
        return _p("too_many_rows", loc, max=MAX_ROWS)
    if exc.kind == "too_many_cells":
        return _p("too_many_cells", loc, max=XLSX_LIMITS.cells)
    kind = {"too_large": "xlsx_too_large", "forbidden": "xlsx_forbidden"}.get(exc.kind, "xlsx_damaged")
    return _p(kind, loc, detail=exc.detail)


def _read_meta(sheets: dict, name: str) -> tuple[int, list[tuple[str, str]]] | Problem:
    if META_SHEET not in sheets:
        return _p("no_meta", Loc(name))
    pairs = [tuple(cells.get(j, _NO_CELL).value for j in range(3))
             for number, cells in sheets[META_SHEET].rows if number > 1]
    values = {str(r[0]): r[1] for r in pairs if r[0] not in (None, "sheet")}
    units = [(str(r[1]), str(r[2])) for r in pairs if r[0] == "sheet" and r[1] and r[2]]
    loc = Loc(name, META_SHEET)
    if str(values.get("template_version")) != TEMPLATE_VERSION:
        return _p("bad_meta", loc, values.get("template_version"), detail="template_version")
    year = values.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not units:
        return _p("bad_meta", loc, year, detail="year / sheet")
    return year, units


def _read_template_sheet(sheet, loc: Loc, dept: str, year: int) -> tuple[list[RawRow], list[Problem]]:
    if sheet is None:
        return [], [_p("missing_sheet", Loc(loc.file), sheet=loc.sheet)]
    columns, header_row = _find_header(sheet.rows)
    if columns is None:
        return [], [_p("no_header", loc)]
    out: list[RawRow] = []
    problems: list[Problem] = []
    for number, cells in sheet.rows:
        if number <= header_row:
            continue
        raw = {key: (cells.get(j, _NO_CELL).value, f"{label}（{_letter(j)}）")
               for key, (j, label) in columns.items()}
        problems += [_p("formula_no_value", Loc(loc.file, loc.sheet, number, f"{label}（{_letter(j)}）"))
                     for key, (j, label) in columns.items() if cells.get(j, _NO_CELL).formula]
        if all(_blank(v) for k, (v, _) in raw.items() if k != S.INDICATOR_ID):
            continue
        raw[S.YEAR] = (year, "年份（模板信息）")
        raw[S.SOURCE] = (dept, "责任单位（模板信息）")
        percent = cells.get(columns[S.VALUE][0], _NO_CELL).percent
        out.append(RawRow(Loc(loc.file, loc.sheet, number), dept, raw, percent))
    return out, problems


def _find_header(rows) -> tuple[dict[str, tuple[int, str]] | None, int]:
    labels = {c.label: c.key for c in TEMPLATE_COLUMNS if c.editable or c.key == S.INDICATOR_ID}
    for number, cells in rows:
        if number > HEADER_SEARCH_ROWS:
            break
        found = {labels[str(c.value).strip()]: (j, str(c.value).strip())
                 for j, c in sorted(cells.items()) if str(c.value).strip() in labels}
        if S.INDICATOR_ID in found and S.VALUE in found:
            return found, number
    return None, 0


def _letter(index: int) -> str:
    """The Excel column letters of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _decode(data: bytes) -> str | None:
    """The text of a CSV file: UTF-8 (with or without BOM), UTF-16 (with or without BOM) or
    GB18030 (what Chinese Excel and WPS save as "CSV").

    Examples:
        >>> _decode("年份,值\\n2024,9".encode("utf-16-le")), _decode("年份".encode("gb18030"))
        ('年份,值\\n2024,9', '年份')
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encodings: tuple[str, ...] = ("utf-16",)
    elif 0 in data[:65536]:  # never in UTF-8 or GB18030 text: UTF-16 without a BOM
        encodings = ("utf-16-le",) if data[1::2].count(0) >= data[0::2].count(0) else ("utf-16-be",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding.startswith("utf-16") and not _looks_like_text(text):
            return None  # bytes that happen to decode, but to no text anyone wrote
        return text
    return None


def _looks_like_text(text: str) -> bool:
    """No control character (but tab and line breaks), unassigned or private code point."""
    return not any(unicodedata.category(ch) in ("Cn", "Co", "Cs") or
                   (unicodedata.category(ch) == "Cc" and ch not in "\t\r\n")
                   for ch in text[:65536])


def _parse_csv(name: str, data: bytes) -> ParsedFile:
    text = _decode(data)
    if text is None:
        return ParsedFile(name, (), (_p("decode", Loc(name)),))
    try:
        records = _csv_records(text)
    except csv.Error as exc:
        return ParsedFile(name, (), (_p("csv_broken", Loc(name), detail=str(exc)),))
    except _TooMuch as exc:
        return ParsedFile(name, (), (_p(exc.args[0], Loc(name), max=exc.args[1]),))
    if not records:
        return ParsedFile(name, (), (_p("empty_file", Loc(name)),))
    (header_line, header), body = records[0], records[1:]
    columns, problems = _csv_columns(name, header, header_line)
    if any(p.severity == "error" for p in problems):
        return ParsedFile(name, (), tuple(problems))
    rows = []
    for number, record in body:
        loc = Loc(name, None, number)
        if len(record) > len(header):
            problems.append(_p("csv_extra_cells", loc, ",".join(record)[:80]))
            continue
        raw = {key: (record[j] if j < len(record) else "", label) for key, (j, label) in columns.items()}
        rows.append(RawRow(loc, None, raw))
    return ParsedFile(name, tuple(rows), tuple(problems))


class _TooMuch(Exception):
    """``(message kind, limit)``: a file beyond the rows or cells one file may hold."""


def _csv_records(text: str) -> list[tuple[int, list[str]]]:
    """The non-empty records of a CSV text with their line numbers, the header included, each
    cell as written before ``planlib export`` protected it (:func:`planlib.safecells.restore_text`).

    Raises:
        _TooMuch: beyond :data:`MAX_ROWS` data rows or the cells of
            :data:`XLSX_LIMITS` (reading stops there).
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    records, cells = [], 0
    for record in reader:
        cells += len(record)
        if cells > XLSX_LIMITS.cells:
            raise _TooMuch("too_many_cells", XLSX_LIMITS.cells)
        if any(c.strip() for c in record):
            if len(records) > MAX_ROWS:
                raise _TooMuch("too_many_rows", MAX_ROWS)
            records.append((reader.line_num, [restore_text(c) for c in record]))
    return records


def _delimiter(text: str) -> str:
    """Comma, unless the first line has none but has tabs or semicolons (as some Excel saves)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    if "," in first:
        return ","
    return "\t" if "\t" in first else (";" if ";" in first else ",")


def _csv_columns(name: str, header: list[str], line: int = 1
                 ) -> tuple[dict[str, tuple[int, str]], list[Problem]]:
    lookup = {alias.lower(): key for key, aliases in CSV_ALIASES.items() for alias in aliases}
    columns: dict[str, tuple[int, str]] = {}
    problems: list[Problem] = []
    for j, cell in enumerate(header):
        label = unicodedata.normalize("NFKC", cell).strip()
        key = lookup.get(label.lower())
        loc = Loc(name, None, line, label or _letter(j))
        if key is None:
            if label:
                problems.append(_p("csv_unknown_column", loc, severity="warning", col=label,
                                   known=", ".join(CSV_ALIASES)))
        elif key in columns:
            problems.append(_p("csv_duplicate_column", loc, col=label))
        else:
            columns[key] = (j, label)
    for key in (S.INDICATOR_ID, S.YEAR, S.VALUE):
        if key not in columns:
            problems.append(_p("csv_missing_column", Loc(name, None, line), col=key))
    return columns, problems


# --- checking rows -------------------------------------------------------------------------------------------

def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")


def parse_number(value: object) -> float | None:
    """A cell as a number: ``None`` if it is blank; raises ``ValueError`` if it is not a number.

    Full-width digits, surrounding spaces, thousands separators and a trailing ``%`` or ``‰``
    are accepted (the number is taken as written).

    Examples:
        >>> parse_number(" ９２．５ "), parse_number("1,234"), parse_number("12.5%"), parse_number("")
        (92.5, 1234.0, 12.5, None)
        >>> parse_number("about 3")
        Traceback (most recent call last):
        ...
        ValueError: not a number: 'about 3'
    """
    if _blank(value):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = unicodedata.normalize("NFKC", value).strip().rstrip("%‰").strip()
        if _THOUSANDS.fullmatch(text):
            text = text.replace(",", "")
        if not _NUMBER.fullmatch(text):
            raise ValueError(f"not a number: {value!r}")
        number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"not a number: {value!r}")
    return number


def _at(row: RawRow, key: str) -> Loc:
    return replace(row.loc, column=row.cells.get(key, (None, key))[1])


def _raw(row: RawRow, key: str) -> object:
    return row.cells.get(key, (None, key))[0]


def _check_row(row: RawRow, info: _Catalog, this_year: int) -> tuple[dict | None, list[Problem]]:
    """One row checked on its own: the observation it gives (or ``None``) and its problems."""
    problems: list[Problem] = []
    code = _check_indicator(row, info, problems)
    year = _check_year(row, this_year, problems)
    numbers = _check_numbers(row, info.units.get(code or "", ""), info.rules.get(code or "", DEFAULT_RULE),
                             problems)
    status = _check_status(row, problems)
    region = _check_region(row, problems)
    texts = {key: _check_text(row, key, problems) for key in (S.SOURCE, S.NOTE, S.CONFIRMATION)}
    if problems and any(p.severity == "error" for p in problems):
        return None, problems
    obs = {S.INDICATOR_ID: code, S.REGION: region, S.YEAR: year, **numbers, **texts,
           S.STATUS: status, "_row": row}
    return obs, problems


def _check_region(row: RawRow, problems: list[Problem]) -> str:
    """The row's region, one of ``config.KNOWN_REGIONS`` (empty: the county)."""
    raw = _raw(row, S.REGION)
    region = unicodedata.normalize("NFKC", _text(raw) or COUNTY).strip()
    if region not in KNOWN_REGIONS:
        problems.append(_p("unknown_region", _at(row, S.REGION), raw, region=region,
                           known="、".join(KNOWN_REGIONS), county=COUNTY))
    return region


def _check_text(row: RawRow, key: str, problems: list[Problem]) -> str | None:
    text = _text(_raw(row, key))
    if text is not None and len(text) > MAX_TEXT_CHARS:
        problems.append(_p("text_too_long", _at(row, key), text[:40] + "…", max=MAX_TEXT_CHARS))
    return text


def _text(value: object) -> str | None:
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _check_indicator(row: RawRow, info: _Catalog, problems: list[Problem]) -> str | None:
    raw = _raw(row, S.INDICATOR_ID)
    code = unicodedata.normalize("NFKC", str(raw)).strip().upper() if not _blank(raw) else ""
    code = code[:-1] + code[-1].lower() if code[-1:] in ("B", "C") and len(code) == 4 else code
    if not code:
        problems.append(_p("no_code", _at(row, S.INDICATOR_ID)))
        return None
    if code not in info.units:
        problems.append(_p("unknown_indicator", _at(row, S.INDICATOR_ID), raw, code=raw))
        return None
    if row.department and row.department not in info.owners[code]:
        problems.append(_p("not_department", _at(row, S.INDICATOR_ID), raw, code=code,
                           unit=row.department, owners="、".join(info.owners[code]) or "—"))
    return code


def _check_year(row: RawRow, this_year: int, problems: list[Problem]) -> int | None:
    raw = _raw(row, S.YEAR)
    try:
        number = parse_number(raw)
    except ValueError:
        number = math.nan
    if number is None or not float(number).is_integer():
        problems.append(_p("bad_year", _at(row, S.YEAR), raw))
        return None
    year = int(number)
    if not FIRST_YEAR <= year <= PLAN_END:
        problems.append(_p("year_range", _at(row, S.YEAR), raw, year=year, first=FIRST_YEAR, last=PLAN_END))
    elif year > this_year:
        problems.append(_p("future_year", _at(row, S.YEAR), raw, year=year))
    return year


def _number_or_problem(row: RawRow, key: str, problems: list[Problem]) -> float | None:
    try:
        return parse_number(_raw(row, key))
    except ValueError:
        problems.append(_p("not_number", _at(row, key), _raw(row, key)))
        return math.nan


def _check_numbers(row: RawRow, unit: str, rule: UnitRule, problems: list[Problem]) -> dict:
    value = _number_or_problem(row, S.VALUE, problems)
    if value is not None and row.percent_format and unit == "%" and not math.isnan(value):
        value = round(value * 100, 10)
    num = _number_or_problem(row, S.NUMERATOR, problems)
    den = _number_or_problem(row, S.DENOMINATOR, problems)
    if any(x is not None and math.isnan(x) for x in (value, num, den)):
        return {}
    n_before = len(problems)
    computed = _check_fraction(row, num, den, rule, problems)
    if len(problems) > n_before:
        return {}
    if value is None:
        if computed is None:
            problems.append(_p("missing_value", _at(row, S.VALUE)))
            return {}
        value = computed
    elif computed is not None and not math.isclose(value, computed, rel_tol=0.01, abs_tol=0.051):
        problems.append(_p("fraction_mismatch", _at(row, S.VALUE), value, severity="warning",
                           value=_fmt(value), computed=_fmt(computed)))
    _check_range(row, value, unit, rule, problems)
    return {S.VALUE: value, S.NUMERATOR: num, S.DENOMINATOR: den}


def _check_fraction(row: RawRow, num, den, rule: UnitRule, problems: list[Problem]) -> float | None:
    if num is None and den is None:
        return None
    loc = _at(row, S.NUMERATOR if num is None else S.DENOMINATOR)
    if num is None or den is None:
        problems.append(_p("half_fraction", loc))
    elif num < 0 or den < 0:
        problems.append(_p("negative_part", loc, f"{_fmt(num)}/{_fmt(den)}"))
    elif max(num, den) > FRACTION_RULE.high:
        key = S.NUMERATOR if num > FRACTION_RULE.high else S.DENOMINATOR
        problems.append(_p("above", _at(row, key), _raw(row, key), value=_fmt(max(num, den)),
                           high=_fmt(FRACTION_RULE.high), unit="分子/分母"))
    elif den == 0:
        problems.append(_p("zero_denominator", _at(row, S.DENOMINATOR), den))
    elif rule.share and num > den:
        problems.append(_p("numerator_too_big", _at(row, S.NUMERATOR), num, num=_fmt(num), den=_fmt(den)))
    elif rule.scale is not None:
        return round(num / den * rule.scale, 6)
    return None


def _check_range(row: RawRow, value: float, unit: str, rule: UnitRule, problems: list[Problem]) -> None:
    loc = _at(row, S.VALUE)
    if rule.low is not None and value < rule.low:
        problems.append(_p("below", loc, _raw(row, S.VALUE), value=_fmt(value), low=_fmt(rule.low), unit=unit))
    elif rule.high is not None and value > rule.high:
        problems.append(_p("above", loc, _raw(row, S.VALUE), value=_fmt(value), high=_fmt(rule.high), unit=unit))
    elif rule.whole and not float(value).is_integer():
        problems.append(_p("not_whole", loc, _raw(row, S.VALUE), unit=unit))
    elif rule.plausible is not None and value > rule.plausible:
        problems.append(_p("implausible", loc, _raw(row, S.VALUE), severity="warning", value=_fmt(value),
                           plausible=_fmt(rule.plausible), unit=unit))


def _check_status(row: RawRow, problems: list[Problem]) -> str:
    raw = _text(_raw(row, S.STATUS))
    if raw is None:
        return "reported"
    status = STATUS_ALIASES.get(raw.lower())
    if status is None:
        problems.append(_p("bad_status", _at(row, S.STATUS), raw, status=raw))
        return "reported"
    return status


def _fmt(x: float) -> str:
    """A number for a message: whole numbers in full, others to 6 significant digits.

    Examples:
        >>> _fmt(1_000_000), _fmt(95.5), _fmt(1e308)
        ('1000000', '95.5', '1e+308')
    """
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else f"{x:.6g}"


def check_rows(parsed: ParsedFile, info: _Catalog, this_year: int | None = None
               ) -> tuple[list[dict], list[Problem]]:
    """Every row of a file checked on its own and against the file's other rows.

    Returns the observations found (duplicates dropped) and all problems, in row order.
    """
    this_year = this_year or date.today().year
    problems = list(parsed.problems)
    observations: list[dict] = []
    seen: dict[tuple, tuple[dict, Loc]] = {}
    for row in parsed.rows:
        obs, found = _check_row(row, info, this_year)
        problems += found
        if obs is None:
            continue
        key = (obs[S.INDICATOR_ID], obs[S.REGION], obs[S.YEAR])
        if key in seen:
            problems.append(_duplicate(row, obs, *seen[key]))
            continue
        seen[key] = (obs, row.loc)
        observations.append(obs)
    problems += _backfill_warning(parsed, observations)
    if not observations and not any(p.severity == "error" for p in problems):
        problems.append(_p("empty_file", Loc(parsed.file)))
    return observations, problems


def _duplicate(row: RawRow, obs: dict, first: dict, first_loc: Loc) -> Problem:
    where = " ".join(str(x) for x in (first_loc.sheet, first_loc.row and f"#{first_loc.row}") if x)
    same = row.loc.sheet != first_loc.sheet and all(
        first[c] == obs[c] for c in (S.VALUE, S.NUMERATOR, S.DENOMINATOR))
    return _p("duplicate_same" if same else "duplicate", _at(row, S.INDICATOR_ID), obs[S.VALUE],
              severity="warning" if same else "error", code=obs[S.INDICATOR_ID],
              region=obs[S.REGION], year=obs[S.YEAR], first=where)


def _backfill_warning(parsed: ParsedFile, observations: list[dict]) -> list[Problem]:
    years = sorted({o[S.YEAR] for o in observations if o[S.YEAR] < PLAN_START})
    if not years:
        return []
    n = sum(o[S.YEAR] < PLAN_START for o in observations)
    span = f"{years[0]}" if len(years) == 1 else f"{years[0]}—{years[-1]}"
    return [_p("backfill", Loc(parsed.file), severity="warning", n=n, years=span)]


# --- checks against the store ------------------------------------------------------------------------------

def check_against_store(observations: list[dict], current: list[dict]) -> list[Problem]:
    """Checks that need what is already stored, for the values this file adds or changes.

    A changed reported value needs a note; illustrative data never replaces a reported value;
    unusual jumps from the previous year are warnings.

    Args:
        observations: checked rows of one file (each with its ``"_row"``, a :class:`RawRow`).
        current: the stored observations of the same indicators, as dicts keyed by
            ``schema.OBS_COLUMNS`` (``Writer.current_records``).
    """
    stored = {(r[S.INDICATOR_ID], r[S.REGION], int(r[S.YEAR])): r for r in current}
    fresh = [obs for obs in observations if not _same_numbers(
        stored.get((obs[S.INDICATOR_ID], obs[S.REGION], obs[S.YEAR])), obs)]
    problems = [p for obs in fresh if (p := _change_problem(obs, stored)) is not None]
    series = _series(current, observations)
    return problems + [p for obs in fresh if (p := _jump_problem(obs, series)) is not None]


def _same_numbers(old: dict | None, obs: dict) -> bool:
    """Whether ``obs`` reports what is stored (adding a missing numerator/denominator is not a change)."""
    if old is None or not store._same_number(_nan_none(old[S.VALUE]), obs[S.VALUE]):
        return False
    return all(_nan_none(old[c]) is None or store._same_number(_nan_none(old[c]), obs[c])
               for c in (S.NUMERATOR, S.DENOMINATOR))


def _change_problem(obs: dict, stored: dict) -> Problem | None:
    old = stored.get((obs[S.INDICATOR_ID], obs[S.REGION], obs[S.YEAR]))
    if old is None or old[S.SOURCE] == S.DEMO_SOURCE:
        return None
    row = obs["_row"]
    if obs[S.SOURCE] == S.DEMO_SOURCE:
        return _p("demo_over_real", _at(row, S.SOURCE), S.DEMO_SOURCE, old=_fmt(old[S.VALUE]))
    if obs[S.NOTE]:
        return None
    return _p("change_needs_note", _at(row, S.NOTE), _raw(row, S.VALUE), old=_fmt(old[S.VALUE]),
              source=old[S.SOURCE] or "—")


def _nan_none(x: object) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def _series(current: list[dict], observations: list[dict]) -> dict[tuple, dict[int, float]]:
    """Non-illustrative values by indicator and region, with this file's values laid over them."""
    series: dict[tuple, dict[int, float]] = {}
    for rec in (*current, *observations):
        if rec[S.SOURCE] != S.DEMO_SOURCE:
            series.setdefault((rec[S.INDICATOR_ID], rec[S.REGION]), {})[int(rec[S.YEAR])] = float(rec[S.VALUE])
    return series


def _jump_problem(obs: dict, series: dict[tuple, dict[int, float]]) -> Problem | None:
    values = series.get((obs[S.INDICATOR_ID], obs[S.REGION]), {})
    earlier = sorted(y for y in values if y < obs[S.YEAR])
    if not earlier or obs[S.YEAR] - earlier[-1] > MAX_JUMP_GAP:
        return None
    prev_year, value = earlier[-1], obs[S.VALUE]
    prev = values[prev_year]
    diffs = [values[b] - values[a] for a, b in zip(earlier, earlier[1:]) if b - a == 1]
    loc, fmt = _at(obs["_row"], S.VALUE), dict(prev=_fmt(prev), prev_year=prev_year)
    if len(diffs) >= 4:
        centre = statistics.median(diffs)
        sd = max(1.4826 * statistics.median(abs(d - centre) for d in diffs), 0.02 * abs(prev))
        if sd > 0 and abs(value - prev - centre) > 3 * sd and abs(value - prev) > abs(centre):
            return _p("jump_sd", loc, _raw(obs["_row"], S.VALUE), severity="warning", diff=f"{value - prev:+.4g}",
                      sd=f"{sd:.3g}", **fmt)
    if prev != 0 and abs(value - prev) / abs(prev) > 0.5:
        return _p("jump_relative", loc, _raw(obs["_row"], S.VALUE), severity="warning",
                  rel=f"{(value - prev) / abs(prev):+.0%}", **fmt)
    return None


# --- importing -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FileResult:
    """What happened to one file.

    ``status``: ``imported``, ``unchanged`` (every value already stored), ``already_imported``
    (the same bytes were imported before), ``rejected`` (errors: nothing imported) or
    ``checked`` (a dry run found no error).
    """

    file: str
    status: str
    problems: tuple[Problem, ...] = ()
    counts: store.ImportCounts | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


_STATUS_TEXT = {
    "imported": ("已导入", "imported"),
    "unchanged": ("所有数值均已存在，无改动", "every value already stored, nothing changed"),
    "already_imported": ("此前已导入，无改动", "imported before, nothing changed"),
    "rejected": ("有错误，本文件未导入任何数据", "has errors: nothing from this file was imported"),
    "checked": ("检查通过（试运行，未导入）", "passed the checks (dry run, nothing imported)"),
}


@dataclass(frozen=True)
class ImportResult:
    """The outcome of :func:`import_files`: one :class:`FileResult` per file, in order."""

    files: tuple[FileResult, ...]
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        """True when no file had an error (warnings allowed)."""
        return all(f.ok for f in self.files)

    @property
    def problems(self) -> list[Problem]:
        return [p for f in self.files for p in f.problems]

    def problems_frame(self, lang: str = "zh") -> pd.DataFrame:
        """Every problem as a table: severity, file, sheet, row, column, value, message, fix."""
        cols = ["severity", "file", "sheet", "row", "column", "value", "message", "fix"]
        return pd.DataFrame([p.as_dict(lang) for p in self.problems], columns=cols)

    def files_frame(self, lang: str = "zh") -> pd.DataFrame:
        """One row per file: what happened, the counts, and how many errors and warnings."""
        rows = []
        for f in self.files:
            c = f.counts or store.ImportCounts(None, 0, 0, 0)
            rows.append({"file": f.file, "status": _STATUS_TEXT[f.status][0 if lang == "zh" else 1],
                         "submission_id": c.submission_id if f.status == "imported" else None,
                         "n_new": c.n_new, "n_changed": c.n_changed, "n_unchanged": c.n_unchanged,
                         "errors": len(f.errors), "warnings": len(f.problems) - len(f.errors)})
        cols = ["file", "status", "submission_id", "n_new", "n_changed", "n_unchanged", "errors", "warnings"]
        return pd.DataFrame(rows, columns=cols)

    def summary(self, lang: str = "zh") -> str:
        """A plain-language report of every file and every problem."""
        lines = [line for f in self.files for line in _file_summary(f, lang)]
        n_bad = sum(not f.ok for f in self.files)
        if lang == "zh":
            lines.append(f"共 {len(self.files)} 个文件，其中 {n_bad} 个有错误。")
        else:
            lines.append(f"{len(self.files)} file(s), {n_bad} with errors.")
        return "\n".join(lines)


def _file_summary(result: FileResult, lang: str) -> list[str]:
    zh = lang == "zh"
    text = _STATUS_TEXT[result.status][0 if zh else 1]
    c = result.counts
    if c is not None and result.status in ("imported", "checked", "unchanged"):
        shown = c.submission_id if result.status == "imported" else None
        sid = (f"（提交 #{shown}）" if zh else f" (submission #{shown})") if shown else ""
        text += sid + (f"：新增 {c.n_new} 个、修改 {c.n_changed} 个、未变 {c.n_unchanged} 个数值" if zh
                       else f": {c.n_new} new, {c.n_changed} changed, {c.n_unchanged} unchanged")
    lines = [f"{result.file}{'：' if zh else ': '}{text}"]
    ordered = sorted(result.problems, key=lambda p: p.severity != "error")
    for p in ordered[:MAX_LISTED_PROBLEMS]:
        icon = "✖" if p.severity == "error" else "⚠"
        lines.append(f"  {icon} {p.text(lang)}")
    if len(ordered) > MAX_LISTED_PROBLEMS:
        lines.append("  " + more_problems(len(ordered) - MAX_LISTED_PROBLEMS, lang))
    return lines


def more_problems(n: int, lang: str = "zh") -> str:
    """The line that stands for the problems not listed.

    Examples:
        >>> more_problems(12), more_problems(1, "en")
        ('……另有 12 个问题未列出（同类问题请一并修改）', '... and 1 more problem(s) not listed (correct them alike)')
    """
    return (f"……另有 {n} 个问题未列出（同类问题请一并修改）" if lang == "zh"
            else f"... and {n} more problem(s) not listed (correct them alike)")


def import_files(files: Iterable[str | os.PathLike], db: str | os.PathLike | None = None,
                 by: str | None = None, dry_run: bool = False) -> ImportResult:
    """Validate and import filled templates (.xlsx) and tidy CSV files, each all-or-nothing.

    Each file is one transaction: if any error is found, nothing of that file is imported;
    other files are not affected. Values that change what is stored record a revision (the
    note is the reason; replacing illustrative data says so). Importing the same file again
    changes nothing. The store is created from the shipped data on first use.

    Args:
        files: paths of ``.xlsx`` templates (from :func:`write_template`) or ``.csv`` files
            with the columns of ``planlib export`` (indicator_id, region, year, value, ...).
        db: the store (default ``$PLANLIB_DB`` or ``data/monitoring.sqlite``).
        by: who imports (recorded); default the operating-system user.
        dry_run: check everything, including against the store, but import nothing.

    Returns:
        An :class:`ImportResult`; ``.ok`` is False if any file had an error.

    Examples:
        >>> import tempfile, pathlib
        >>> tmp = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (tmp / "c02.csv").write_text("indicator_id,year,value\\nC02,2024,abc\\n")
        >>> result = import_files([tmp / "c02.csv"], db=tmp / "m.sqlite")
        >>> result.ok, result.problems[0].row, result.problems[0].column
        (False, 2, 'value')
    """
    info = _Catalog.load()
    who = by or _user()
    ensure_store(db)  # the first import into no store yet starts from the shipped data, as setup does
    with store.write_connection(db) as conn:
        results = tuple(_import_one(Path(f), info, conn, who, dry_run) for f in files)
    return ImportResult(results, dry_run)


def _user() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


def _import_one(path: Path, info: _Catalog, conn, by: str | None, dry_run: bool) -> FileResult:
    name = path.name
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return FileResult(name, "rejected", (_p("file_too_large", Loc(name), max=MAX_FILE_BYTES >> 20),))
        data = path.read_bytes()
    except OSError:
        return FileResult(name, "rejected", (_p("missing_file", Loc(str(path))),))
    try:
        parsed = _parse(name, data)
        observations, problems = check_rows(parsed, info)
    except MemoryError:
        return FileResult(name, "rejected", (_p("file_too_large", Loc(name), max=MAX_FILE_BYTES >> 20),))
    if any(p.severity == "error" for p in problems):
        return FileResult(name, "rejected", tuple(problems))
    sha = hashlib.sha256(data).hexdigest()
    meta = store.SubmissionMeta(name, sha, _department(parsed, observations), parsed.year, by)
    with store.transaction(conn, dry_run=dry_run) as writer:
        earlier = writer.find_submission(sha)
        if earlier is not None:
            note = _p("already_imported", Loc(name), severity="warning",
                      when=store.local_time(earlier["imported_at"]), sid=earlier["id"])
            return FileResult(name, "already_imported", tuple(problems) + (note,))
        years = [o[S.YEAR] for o in observations]
        current = writer.current_records([o[S.INDICATOR_ID] for o in observations],
                                         [o[S.REGION] for o in observations],
                                         (min(years) - HISTORY_YEARS, max(years)))
        problems += check_against_store(observations, current)
        if any(p.severity == "error" for p in problems):
            return FileResult(name, "rejected", tuple(problems))
        counts = writer.apply(observations, meta, current)
    status = "checked" if dry_run else ("imported" if counts.submission_id else "unchanged")
    return FileResult(name, status, tuple(problems), counts)


def _department(parsed: ParsedFile, observations: list[dict]) -> str | None:
    """The department the file declares (a template's information sheet, else the rows'
    sources). It is recorded as declared: nothing proves who sent a file."""
    if parsed.department:
        return parsed.department
    names = list(dict.fromkeys(o["_row"].department for o in observations if o["_row"].department))
    return ";".join(names) or None
