"""Reading files (filled templates, tidy CSV) into raw rows, within bounds, naming every problem's place."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .. import schema as S
from ..errors import Problem
from ..safecells import restore_text
from ..xlsx import XlsxError, read_workbook
from .layout import (_blank, CSV_ALIASES, HEADER_SEARCH_ROWS, Loc, MAX_ROWS, META_SHEET, _NO_CELL, _p,
                     TEMPLATE_COLUMNS, TEMPLATE_VERSION, XLSX_LIMITS)


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
    region: str | None = None


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
    year, units, region = meta
    rows: list[RawRow] = []
    problems: list[Problem] = []
    for title, dept in units:
        found = _read_template_sheet(sheets.get(title), Loc(name, title), dept, (year, region))
        rows += found[0]
        problems += found[1]
    dept = units[0][1] if len(units) == 1 else None
    return ParsedFile(name, tuple(rows), tuple(problems), dept, year, region)


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


def _read_meta(sheets: dict, name: str) -> tuple[int, list[tuple[str, str]], str | None] | Problem:
    """The template's year, its sheets with their units, and its region (``None``: a template
    made before templates recorded one, i.e. the home county's)."""
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
    region = values.get("region")
    return year, units, (str(region).strip() or None) if region is not None else None


def _read_template_sheet(sheet, loc: Loc, dept: str, made_for: tuple[int, str | None]
                         ) -> tuple[list[RawRow], list[Problem]]:
    """The filled rows of one sheet; ``made_for``: the template's year and region."""
    year, region = made_for
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
        if region is not None:
            raw[S.REGION] = (region, "地区（模板信息）")
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
