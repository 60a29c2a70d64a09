"""Read the cell values of an .xlsx workbook quickly: the small part of the format intake needs.

``openpyxl`` builds a full object model of every sheet (styles, validations, ...), which makes
reading thirty 19-sheet templates take seconds. Intake only needs, per sheet, each cell's value
and whether it is shown as a percentage or a date, so this module reads the workbook's XML
parts directly: the sheet list (with hidden state), shared strings, number formats and cells.
Anything it cannot read raises :class:`XlsxError`; :func:`read_workbook` then falls back to
``openpyxl``, so an unusual but valid file is still read.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from xml.etree import ElementTree as ET

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_BUILTIN_DATE_FORMATS = set(range(14, 23)) | {45, 46, 47}
_BUILTIN_PERCENT_FORMATS = {9, 10}
_REF = re.compile(r"([A-Z]+)(\d+)")
_EXCEL_EPOCH = datetime(1899, 12, 30)


class XlsxError(ValueError):
    """The bytes are not a workbook this reader understands."""


class Cell:
    """One cell: its value (``None``, ``str``, ``int``, ``float``, ``bool`` or ``datetime``)
    and whether its number format shows a percentage. Read from the XML when first asked for,
    so the cells nobody looks at cost (almost) nothing."""

    __slots__ = ("_node", "_reader", "_value", "_percent")

    def __init__(self, value: object = None, percent: bool = False, node=None, reader=None):
        self._node, self._reader = node, reader
        self._value, self._percent = value, percent

    def _load(self) -> None:
        if self._node is not None:
            self._value, self._percent = self._reader._convert(self._node)
            self._node = self._reader = None

    @property
    def value(self) -> object:
        self._load()
        return self._value

    @property
    def percent(self) -> bool:
        self._load()
        return self._percent

    def __repr__(self) -> str:
        return f"Cell(value={self.value!r}, percent={self.percent!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Cell) and (self.value, self.percent) == (other.value, other.percent)


@dataclass(frozen=True)
class Sheet:
    """A worksheet: its title, visibility and non-empty rows as ``(row number, {column: Cell})``
    with 0-based column indexes, in order."""

    title: str
    state: str
    rows: tuple[tuple[int, dict[int, Cell]], ...]


def read_workbook(data: bytes) -> dict[str, Sheet]:
    """Every sheet of a workbook, by title, in workbook order.

    Raises:
        XlsxError: when neither this reader nor ``openpyxl`` can read the bytes.

    Examples:
        >>> import openpyxl
        >>> wb = openpyxl.Workbook(); ws = wb.active; ws.title = "表"
        >>> ws["A1"], ws["B2"], ws["C2"] = "指标代码", 92.5, "=B2*2"
        >>> ws["B2"].number_format = "0.0%"
        >>> buf = io.BytesIO(); wb.save(buf)
        >>> sheet = read_workbook(buf.getvalue())["表"]
        >>> sheet.rows[0], sheet.rows[1][1][1]
        ((1, {0: Cell(value='指标代码', percent=False)}), Cell(value=92.5, percent=True))
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _FastReader(archive).sheets()
    except Exception:  # noqa: BLE001 - any failure: let openpyxl try
        return _read_with_openpyxl(data)


class _FastReader:
    def __init__(self, archive: zipfile.ZipFile):
        self.zip = archive
        self.targets = self._relationships("xl/_rels/workbook.xml.rels", "xl")
        self.strings = self._shared_strings()
        self.formats = self._formats()

    def _xml(self, name: str) -> ET.Element:
        return ET.fromstring(self.zip.read(name))

    def _relationships(self, name: str, base: str) -> dict[str, str]:
        out = {}
        for rel in self._xml(name).iter(f"{_PKG_REL}Relationship"):
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(base, target))
            out[rel.get("Id")] = path
        return out

    def _shared_strings(self) -> list[str]:
        if "xl/sharedStrings.xml" not in self.zip.namelist():
            return []
        return ["".join(t.text or "" for t in si.findall(f"{_MAIN}t") + si.findall(f"{_MAIN}r/{_MAIN}t"))
                for si in self._xml("xl/sharedStrings.xml").iter(f"{_MAIN}si")]

    def _formats(self) -> list[tuple[bool, bool]]:
        """(percent, date) for each cell style index."""
        if "xl/styles.xml" not in self.zip.namelist():
            return []
        root = self._xml("xl/styles.xml")
        codes = {int(f.get("numFmtId")): f.get("formatCode", "")
                 for f in root.iter(f"{_MAIN}numFmt")}
        xfs = root.find(f"{_MAIN}cellXfs")
        out = []
        for xf in ([] if xfs is None else xfs.findall(f"{_MAIN}xf")):
            fid = int(xf.get("numFmtId", "0"))
            code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", codes.get(fid, ""))
            out.append((fid in _BUILTIN_PERCENT_FORMATS or "%" in code,
                        fid in _BUILTIN_DATE_FORMATS or bool(re.search(r"[ymdhs]", code, re.I))))
        return out

    def sheets(self) -> dict[str, Sheet]:
        out = {}
        for node in self._xml("xl/workbook.xml").iter(f"{_MAIN}sheet"):
            title, state = node.get("name"), node.get("state", "visible")
            out[title] = Sheet(title, state, self._rows(self.targets[node.get(f"{_REL}id")]))
        return out

    def _rows(self, path: str) -> tuple:
        rows, number = [], 0
        for row in self._xml(path).iter(f"{_MAIN}row"):
            number = int(row.get("r", number + 1))  # without "r", a row follows the one before
            cells, col = {}, -1
            for c in row.iter(f"{_MAIN}c"):
                ref = _REF.fullmatch(c.get("r", ""))
                col = _column(ref.group(1)) if ref else col + 1
                if len(c):  # a cell with no child has a style but no value
                    cells[col] = Cell(node=c, reader=self)
            if cells:
                rows.append((number, cells))
        return tuple(rows)

    def _convert(self, c: ET.Element) -> tuple[object, bool]:
        """A cell's value; never raises: what cannot be read comes back as its text."""
        try:
            return self._value_of(c)
        except (ValueError, IndexError, OverflowError, TypeError):
            v = c.find(f"{_MAIN}v")
            return (None if v is None else v.text), False

    def _value_of(self, c: ET.Element) -> tuple[object, bool]:
        kind, v = c.get("t", "n"), c.find(f"{_MAIN}v")
        if kind == "inlineStr":
            return "".join(t.text or "" for t in c.iter(f"{_MAIN}t")), False
        if v is None or v.text is None:
            return None, False
        text = v.text
        if kind == "s":
            return self.strings[int(text)], False
        if kind in ("str", "e", "d"):
            return text, False
        if kind == "b":
            return text.strip() == "1", False
        percent, date = self.formats[int(c.get("s", "0"))] if self.formats else (False, False)
        number = float(text) if re.search(r"[.eE]", text) else int(text)
        if date:
            return _EXCEL_EPOCH + timedelta(days=float(number)), False
        return number, percent


def _column(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _read_with_openpyxl(data: bytes) -> dict[str, Sheet]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file becomes an XlsxError
        raise XlsxError(type(exc).__name__) from None
    try:
        return {ws.title: Sheet(ws.title, ws.sheet_state, _openpyxl_rows(ws)) for ws in wb.worksheets}
    except Exception as exc:  # noqa: BLE001
        raise XlsxError(type(exc).__name__) from None
    finally:
        wb.close()


def _openpyxl_rows(ws) -> tuple:
    rows = []
    for cells in ws.iter_rows():
        found = {j: Cell(c.value, "%" in str(getattr(c, "number_format", "") or ""))
                 for j, c in enumerate(cells) if c.value is not None}
        if found:
            rows.append((next(c.row for c in cells if getattr(c, "row", None)), found))
    return tuple(rows)
