"""Read the cell values of an .xlsx workbook quickly and safely: the small part of the format
intake needs.

``openpyxl`` builds a full object model of every sheet (styles, validations, ...), which makes
reading thirty 19-sheet templates take seconds. Intake only needs, per sheet, each cell's value
and whether it is shown as a percentage or a date, so this module reads the workbook's XML
parts directly: the sheet list (with hidden state), shared strings, number formats and cells.

A workbook comes from outside, so reading it is bounded (:class:`Limits`):

* before anything is inflated, every part's declared size and compression ratio are checked
  (a 2 MB file whose sheet inflates to 2 GB is refused at once), and no part is ever read past
  its declared size;
* sheets and shared strings are streamed (``iterparse``), each row dropped once read, and
  reading stops at the first row or cell beyond the limits;
* a document type declaration (the door of XXE and "billion laughs") is refused
  (``defusedxml``).

A cell that cannot be what it claims (a shared-string index that does not exist) makes the
workbook "damaged"; a formula without a calculated value is kept as :attr:`Cell.formula`, so
the caller can say so instead of reading a blank. Any such failure raises :class:`XlsxError`
with a :attr:`XlsxError.kind`; an unusual but valid file that this reader does not understand
is read by ``openpyxl`` instead (under the same limits).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_BUILTIN_DATE_FORMATS = set(range(14, 23)) | {45, 46, 47}
_BUILTIN_PERCENT_FORMATS = {9, 10}
_REF = re.compile(r"([A-Z]{1,3})(\d+)")
_EXCEL_EPOCH = datetime(1899, 12, 30)
_FORBIDDEN = {"DTDForbidden": "a document type declaration", "EntitiesForbidden": "an entity declaration",
              "ExternalReferenceForbidden": "an external reference"}
#: Excel's own maximum number of columns (XFD).
MAX_COLUMNS = 16384


@dataclass(frozen=True)
class Limits:
    """How much one workbook may make this reader do.

    Attributes:
        part_bytes: largest inflated size of any one part (sheet, shared strings, ...).
        ratio: largest inflated / compressed size of a part larger than ``ratio_from`` bytes.
        ratio_from: parts smaller than this are not held to ``ratio`` (tiny XML compresses well).
        total_bytes: largest inflated size of all parts together.
        rows: most non-empty rows, all sheets together.
        cells: most non-empty cells, all sheets together (shared strings count too).
    """

    part_bytes: int = 50 * 2**20
    ratio: float = 100.0
    ratio_from: int = 2**20
    total_bytes: int = 200 * 2**20
    rows: int = 20_000
    cells: int = 400_000


DEFAULT_LIMITS = Limits()


class XlsxError(ValueError):
    """The bytes are not a workbook this reader accepts.

    Attributes:
        kind: ``damaged`` (not a workbook, truncated, or inconsistent), ``too_large`` (a part
            beyond :class:`Limits` sizes or ratio), ``too_many_rows`` or ``too_many_cells``,
            ``forbidden`` (a document type declaration or entity).
        detail: what was found, for people (English, short).
        sheet, cell: where, when known (``cell`` as Excel names it, e.g. ``B4``).
    """

    def __init__(self, kind: str, detail: str = "", sheet: str | None = None, cell: str | None = None):
        self.kind, self.detail, self.sheet, self.cell = kind, detail, sheet, cell
        super().__init__(f"{kind}: {detail}" if detail else kind)


class Cell:
    """One cell: its value (``None``, ``str``, ``int``, ``float``, ``bool`` or ``datetime``),
    whether its number format shows a percentage, and whether it is a formula that carries no
    calculated value (then ``value`` is ``None``)."""

    __slots__ = ("value", "percent", "formula")

    def __init__(self, value: object = None, percent: bool = False, formula: bool = False):
        self.value, self.percent, self.formula = value, percent, formula

    def __repr__(self) -> str:
        extra = ", formula=True" if self.formula else ""
        return f"Cell(value={self.value!r}, percent={self.percent!r}{extra})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Cell) and (self.value, self.percent, self.formula) == (
            other.value, other.percent, other.formula)


@dataclass(frozen=True)
class Sheet:
    """A worksheet: its title, visibility and non-empty rows as ``(row number, {column: Cell})``
    with 0-based column indexes, in order."""

    title: str
    state: str
    rows: tuple[tuple[int, dict[int, Cell]], ...]


def read_workbook(data: bytes, limits: Limits = DEFAULT_LIMITS) -> dict[str, Sheet]:
    """Every sheet of a workbook, by title, in workbook order, read within ``limits``.

    Raises:
        XlsxError: when the bytes are not a workbook, break a limit, or neither this reader
            nor ``openpyxl`` can read them.

    Examples:
        >>> import openpyxl
        >>> wb = openpyxl.Workbook(); ws = wb.active; ws.title = "表"
        >>> ws["A1"], ws["B2"], ws["C2"] = "指标代码", 92.5, "=B2*2"
        >>> ws["B2"].number_format = "0.0%"
        >>> buf = io.BytesIO(); wb.save(buf)
        >>> sheet = read_workbook(buf.getvalue())["表"]
        >>> sheet.rows[0], sheet.rows[1][1][1], sheet.rows[1][1][2]
        ((1, {0: Cell(value='指标代码', percent=False)}), Cell(value=92.5, percent=True), Cell(value=None, percent=False, formula=True))
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise XlsxError("damaged", "not a zip archive: truncated, or another kind of file renamed") from None
    with archive:
        check_archive(archive, limits)
        try:
            return _FastReader(archive, limits).sheets()
        except XlsxError:
            raise
        except Exception:  # noqa: BLE001 - an unusual structure: let openpyxl try
            pass
    return _read_with_openpyxl(data, limits)


def check_archive(archive: zipfile.ZipFile, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse an archive whose parts, as declared, would inflate beyond ``limits``.

    Nothing is inflated here; the reader never reads a part past its declared size.

    Examples:
        >>> buf = io.BytesIO()
        >>> with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        ...     z.writestr("xl/worksheets/sheet1.xml", b" " * 3_000_000)
        >>> check_archive(zipfile.ZipFile(buf))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        planlib.xlsx.XlsxError: too_large: part xl/worksheets/sheet1.xml inflates 3000000 bytes from ...(ratio ... > 100)
    """
    total = 0
    for info in archive.infolist():
        size, packed = info.file_size, max(info.compress_size, 1)
        if size > limits.part_bytes:
            raise XlsxError("too_large", f"part {info.filename} inflates to {size} bytes "
                                         f"(limit {limits.part_bytes})")
        if size > limits.ratio_from and size / packed > limits.ratio:
            raise XlsxError("too_large", f"part {info.filename} inflates {size} bytes from {packed} "
                                         f"(ratio {size / packed:.0f} > {limits.ratio:g})")
        total += size
    if total > limits.total_bytes:
        raise XlsxError("too_large", f"the parts inflate to {total} bytes (limit {limits.total_bytes})")


class _FastReader:
    def __init__(self, archive: zipfile.ZipFile, limits: Limits = DEFAULT_LIMITS):
        self.zip, self.limits = archive, limits
        self.names = set(archive.namelist())
        self.n_rows = self.n_cells = 0
        if "xl/workbook.xml" not in self.names:
            raise XlsxError("damaged", "no xl/workbook.xml: this is not an Excel workbook")
        self.targets = self._relationships("xl/_rels/workbook.xml.rels", "xl")
        self.strings = self._shared_strings()
        self.formats = self._formats()

    def _events(self, name: str, tag: str):
        """The elements ``tag`` of part ``name``, streamed: every element is dropped from the
        tree once it has been read (with its children), so memory stays that of one element."""
        try:
            with self.zip.open(name) as stream:
                open_elements, inside = [], 0
                for event, elem in iterparse(stream, events=("start", "end"), forbid_dtd=True):
                    if event == "start":
                        open_elements.append(elem)
                        inside += elem.tag == tag
                        continue
                    open_elements.pop()
                    if elem.tag == tag:
                        inside -= 1
                        if not inside:
                            yield elem
                    if not inside and open_elements:
                        open_elements[-1].remove(elem)
        except DefusedXmlException as exc:
            raise XlsxError("forbidden", f"{name}: {_FORBIDDEN.get(type(exc).__name__, 'a forbidden construct')}") from None
        except (ParseError, zipfile.BadZipFile, EOFError, OSError) as exc:
            raise XlsxError("damaged", f"{name}: {exc}") from None

    def _relationships(self, name: str, base: str) -> dict[str, str]:
        out = {}
        for rel in self._events(name, f"{_PKG_REL}Relationship"):
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(base, target))
            out[rel.get("Id")] = path
        return out

    def _shared_strings(self) -> list[str]:
        if "xl/sharedStrings.xml" not in self.names:
            return []
        out = []
        for si in self._events("xl/sharedStrings.xml", f"{_MAIN}si"):
            out.append("".join(t.text or "" for t in si.findall(f"{_MAIN}t") + si.findall(f"{_MAIN}r/{_MAIN}t")))
            self._count(cells=1)
        return out

    def _count(self, rows: int = 0, cells: int = 0, sheet: str | None = None) -> None:
        self.n_rows += rows
        self.n_cells += cells
        if self.n_rows > self.limits.rows:
            raise XlsxError("too_many_rows", f"more than {self.limits.rows} rows", sheet)
        if self.n_cells > self.limits.cells:
            raise XlsxError("too_many_cells", f"more than {self.limits.cells} cells", sheet)

    def _formats(self) -> list[tuple[bool, bool]]:
        """(percent, date) for each cell style index."""
        if "xl/styles.xml" not in self.names:
            return []
        codes, out = {}, []
        for elem in self._events("xl/styles.xml", f"{_MAIN}styleSheet"):
            codes = {int(f.get("numFmtId")): f.get("formatCode", "") for f in elem.iter(f"{_MAIN}numFmt")}
            xfs = elem.find(f"{_MAIN}cellXfs")
            for xf in ([] if xfs is None else xfs.findall(f"{_MAIN}xf")):
                fid = int(xf.get("numFmtId", "0"))
                code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", codes.get(fid, ""))
                out.append((fid in _BUILTIN_PERCENT_FORMATS or "%" in code,
                            fid in _BUILTIN_DATE_FORMATS or bool(re.search(r"[ymdhs]", code, re.I))))
        return out

    def sheets(self) -> dict[str, Sheet]:
        found = [(node.get("name"), node.get("state", "visible"), node.get(f"{_REL}id"))
                 for node in self._events("xl/workbook.xml", f"{_MAIN}sheet")]
        out = {}
        for title, state, rid in found:
            if self.targets.get(rid) not in self.names:
                raise XlsxError("damaged", f"the part of sheet {title!r} is missing", title)
            out[title] = Sheet(title, state, self._rows(self.targets[rid], title))
        return out

    def _rows(self, path: str, title: str) -> tuple:
        rows, number = [], 0
        for row in self._events(path, f"{_MAIN}row"):
            number = int(row.get("r", number + 1))  # without "r", a row follows the one before
            cells, col = {}, -1
            for c in row.iter(f"{_MAIN}c"):
                ref = _REF.fullmatch(c.get("r", ""))
                col = _column(ref.group(1)) if ref else col + 1
                if col >= MAX_COLUMNS:
                    raise XlsxError("damaged", f"column {col + 1} is beyond Excel's last column", title)
                if len(c):  # a cell with no child has a style but no value
                    cells[col] = self._cell(c, title, f"{_letters(col)}{number}")
            if cells:
                rows.append((number, cells))
                self._count(rows=1, cells=len(cells), sheet=title)
        return tuple(rows)

    def _cell(self, c, title: str, ref: str) -> Cell:
        try:
            return self._value_of(c)
        except IndexError:
            raise XlsxError("damaged", "a shared-string index that does not exist", title, ref) from None
        except (ValueError, OverflowError, TypeError):
            raise XlsxError("damaged", "a cell whose value cannot be read", title, ref) from None

    def _value_of(self, c) -> Cell:
        kind, v = c.get("t", "n"), c.find(f"{_MAIN}v")
        if kind == "inlineStr":
            return Cell("".join(t.text or "" for t in c.iter(f"{_MAIN}t")))
        if v is None or v.text is None:
            return Cell(None, formula=c.find(f"{_MAIN}f") is not None)
        text = v.text
        if kind == "s":
            index = int(text)
            if index < 0:
                raise IndexError(index)
            return Cell(self.strings[index])
        if kind in ("str", "e", "d"):
            return Cell(text)
        if kind == "b":
            return Cell(text.strip() == "1")
        percent, date = self.formats[int(c.get("s", "0"))] if self.formats else (False, False)
        number = float(text) if re.search(r"[.eEnN]", text) else int(text)
        if date:
            return Cell(_EXCEL_EPOCH + timedelta(days=float(number)))
        return Cell(number, percent)


def _column(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _letters(index: int) -> str:
    """Excel's column letters of a 0-based index: 0 -> A, 27 -> AB."""
    out, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _read_with_openpyxl(data: bytes, limits: Limits = DEFAULT_LIMITS) -> dict[str, Sheet]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file becomes an XlsxError
        raise XlsxError("damaged", "neither reader understands its structure") from None
    try:
        counter = [0, 0]
        return {ws.title: Sheet(ws.title, ws.sheet_state, _openpyxl_rows(ws, limits, counter))
                for ws in wb.worksheets}
    except XlsxError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise XlsxError("damaged", "neither reader understands its structure") from None
    finally:
        wb.close()


def _openpyxl_rows(ws, limits: Limits, counter: list[int]) -> tuple:
    rows = []
    for cells in ws.iter_rows():
        found = {j: Cell(c.value, "%" in str(getattr(c, "number_format", "") or ""))
                 for j, c in enumerate(cells) if c.value is not None}
        if found:
            rows.append((next(c.row for c in cells if getattr(c, "row", None)), found))
            counter[0], counter[1] = counter[0] + 1, counter[1] + len(found)
            if counter[0] > limits.rows:
                raise XlsxError("too_many_rows", f"more than {limits.rows} rows", ws.title)
            if counter[1] > limits.cells:
                raise XlsxError("too_many_cells", f"more than {limits.cells} cells", ws.title)
    return tuple(rows)
