"""Read a plan document (text, Word, HTML or PDF) into an ordered list of blocks: lines and tables.

Whatever the format, a plan comes out the same way: :class:`Block` objects in reading order,
each a line of text (a heading, a paragraph, a list item) or a table (rows of cell texts, a
cell's own line breaks kept as ``"\\n"``), each with the position a person can find it by
(``第 41 行``, ``第 3 段``, ``第 2 页``). The catalogue draft (:mod:`planlib.draft`) reads only blocks,
so every format is read by the same rules.

Formats:

* ``.txt`` (and any other suffix): UTF-8 (with or without BOM), else GB18030. A table copied
  out of Word or a PDF as one cell per tab-led line (as in the Shizhu plan text) becomes a table
  block; so does a run of lines with tab-separated cells.
* ``.docx``: paragraphs and tables in body order (python-docx).
* ``.html``/``.htm``: block elements as lines, ``<table>`` as tables (the standard library's parser).
* ``.pdf`` with a text layer: per page, the tables pdfplumber finds and the text outside them. A
  scanned PDF without a text layer raises an error that says so.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from . import i18n
from .errors import PlanlibError, problem


@dataclass(frozen=True)
class Block:
    """One line of text or one table of a plan document.

    Attributes:
        kind: ``"line"`` or ``"table"``.
        text: the line (for a table, its cells joined, for searching).
        rows: for a table, its rows of cell texts; empty for a line.
        where_zh / where_en: the position, as a person finds it (``第 41 行`` / ``line 41``).
    """

    kind: str
    text: str
    rows: tuple[tuple[str, ...], ...] = ()
    where_zh: str = ""
    where_en: str = ""


SUFFIXES = (".txt", ".docx", ".html", ".htm", ".pdf")


def read_plan(path: str | os.PathLike) -> list[Block]:
    """Read a plan document into blocks.

    Args:
        path: a ``.txt`` (UTF-8 or GB18030), ``.docx``, ``.html`` or ``.pdf`` (with a text layer).

    Returns:
        The blocks in reading order.

    Raises:
        PlanlibError: the file is missing, unreadable, or has no text.

    Examples:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "plan.txt"
        >>> _ = p.write_text("（一）妇女与健康\\n孕产妇死亡率控制在8/10万以下。\\n", encoding="gb18030")
        >>> [b.text for b in read_plan(p)]
        ['（一）妇女与健康', '孕产妇死亡率控制在8/10万以下。']
        >>> read_plan(p)[1].where_en
        'line 2'
    """
    path = Path(path)
    if not path.exists():
        raise PlanlibError(problem(i18n.PLANDOC_LABELS, "not_found", {"path": path}, file=str(path)))
    suffix = path.suffix.lower()
    reader = {".docx": _read_docx, ".html": _read_html, ".htm": _read_html, ".pdf": _read_pdf}.get(suffix, _read_txt)
    try:
        blocks = reader(path)
    except PlanlibError:
        raise
    except Exception as exc:  # a corrupt .docx/.pdf: say which file and what the reader said
        kind = {"zh": suffix, "en": suffix} if suffix else i18n.PLANDOC_LABELS["kind_text"]
        raise PlanlibError(problem(i18n.PLANDOC_LABELS, "unreadable", {"reason": exc, "kind": kind},
                                   file=str(path))) from None
    if not any(b.text.strip() for b in blocks):
        raise PlanlibError(problem(i18n.PLANDOC_LABELS, "no_text", file=str(path)))
    return blocks


# --- text -----------------------------------------------------------------------------------------

def _where(key: str, **fields) -> tuple[str, str]:
    """A position in the document, in Chinese and English (:data:`planlib.i18n.PLANDOC_LABELS`)."""
    return i18n.both(key, i18n.PLANDOC_LABELS, **fields)


def decode_text(data: bytes) -> str:
    """UTF-8 (BOM or not), else GB18030; a file in neither raises.

    Examples:
        >>> decode_text("妇女".encode("gb18030")), decode_text("\\ufeff儿童".encode("utf-8"))
        ('妇女', '儿童')
    """
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlanlibError(problem(i18n.PLANDOC_LABELS, "encoding"))


def _read_txt(path: Path) -> list[Block]:
    return text_blocks(decode_text(path.read_bytes()).splitlines())


def text_blocks(lines: list[str], first_line: int = 1) -> list[Block]:
    r"""Lines of plain text as blocks; tab-led cell lines and tab-separated rows become tables.

    Two ways a table survives being copied to plain text: one row per line with tab-separated
    cells, or one cell per tab-led line (``"\t孕产妇死亡率（1/10万）"``, as Word and PDF copies
    give). In the second, the header's cell count gives the width of a row, and a bare line
    continues the cell before it (a wrapped name, a second responsible unit, "巩固" / "提高"),
    unless it repeats an earlier first-column cell: that is a merged cell reprinted at a page
    break, and is dropped.

    Examples:
        >>> lines = ["\t序号", "\t指标名称", "\t目标", "\t1", "\t孕产妇死亡率", "\t< 8", "", "\t2",
        ...          "\t婴儿", "死亡率", "\t< 4"]
        >>> text_blocks(lines)[0].rows
        (('序号', '指标名称', '目标'), ('1', '孕产妇死亡率', '< 8'), ('2', '婴儿\n死亡率', '< 4'))
    """
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        if _is_cell_line(lines[i]):
            j, rows = _cell_run(lines, i)
            if all(len(r) == 1 for r in rows):  # a boxed paragraph (专栏 of measures), not a table
                blocks += [Block("line", text.strip(), (), *_where("where_line", n=first_line + k))
                           for k in range(i, j) for text in [lines[k]] if text.strip()]
            else:
                where = _where("where_lines", first=first_line + i, last=first_line + j - 1)
                blocks.append(Block("table", "\n".join("\t".join(r) for r in rows), rows, *where))
            i = j
            continue
        if lines[i].strip():
            blocks.append(Block("line", lines[i].strip(), (), *_where("where_line", n=first_line + i)))
        i += 1
    return blocks


def _is_cell_line(line: str) -> bool:
    return line.startswith("\t") or line.count("\t") >= 2


def _cell_run(lines: list[str], start: int) -> tuple[int, tuple[tuple[str, ...], ...]]:
    """The end of a run of table lines and its rows."""
    if not lines[start].startswith("\t") or lines[start].count("\t") >= 2:  # one row per line
        i, rows = start, []
        while i < len(lines) and lines[i].count("\t") >= 2:
            rows.append(tuple(c.strip() for c in lines[i].split("\t")))
            i += 1
        return i, tuple(rows)
    cells: list[list[str]] = []
    i = start
    while i < len(lines):
        line = lines[i]
        if line.startswith("\t"):
            cells.append([line[1:].strip()])
        elif line.strip() and _continues_table(lines, i):
            cells[-1].append(line.strip())
        elif line.strip():
            break
        i += 1
    return i, _grid(cells)


def _grid(cells: list[list[str]]) -> tuple[tuple[str, ...], ...]:
    """Cells (each a list of lines) into rows, the header's cell count giving the width."""
    width = 0
    while width < len(cells) and HEADER_CELL.fullmatch("".join(cells[width]).replace(" ", "")):
        width += 1
    if width < 2:
        return tuple((("\n".join(c)),) for c in cells)
    firsts = {"".join(cells[k]) for k in range(width, len(cells), width)} - {""}
    # a bare line repeating an earlier first-column cell is a page-break reprint: drop it
    flat = ["\n".join([cell[0], *(x for x in cell[1:] if x not in firsts)]) for cell in cells]
    return tuple(tuple(flat[k: k + width]) for k in range(0, len(flat), width))


#: What a table's header cell says (序号, 指标名称, 2030年目标, 指标属性, 责任单位 ...).
HEADER_CELL = re.compile(
    r"类别|领域|序号|编号|指标名称|指标|名称|(?:20\d\d年)?(?:规划)?(?:目标|规划)值?|(?:20\d\d年)?(?:基期|现状)值?"
    r"|指标属性|属性|指标性质|性质|责任单位|牵头单位|责任部门|牵头部门|备注|单位|计量单位")


def _continues_table(lines: list[str], i: int) -> bool:
    """A short bare line followed (after blank lines) by more cells is a wrapped cell, not prose."""
    text = lines[i].strip()
    if len(text) > 25 or text.endswith(("。", "：", ":")) or _HEADING.match(text):
        return False
    for later in lines[i + 1: i + 16]:  # past blank lines and further short bare lines
        if _is_cell_line(later):
            return True
        if later.strip() and (len(later.strip()) > 25 or _HEADING.match(later.strip())):
            return False
    return False


_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]+[章节部分])")


# --- docx -----------------------------------------------------------------------------------------

def _read_docx(path: Path) -> list[Block]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    blocks: list[Block] = []
    paragraph, table = 0, 0
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph += 1
            text = Paragraph(child, document).text
            blocks += [Block("line", line.strip(), (), *_where("where_paragraph", n=paragraph))
                       for line in text.splitlines() if line.strip()]
        elif tag == "tbl":
            table += 1
            rows = tuple(tuple(cell.text.strip() for cell in row.cells) for row in Table(child, document).rows)
            blocks.append(Block("table", "\n".join("\t".join(r) for r in rows), rows,
                                *_where("where_table_after", n=table, paragraph=paragraph)))
    return blocks


# --- html -----------------------------------------------------------------------------------------

_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "tr", "section", "article", "title"}


class _HtmlBlocks(HTMLParser):
    """Collects block-level text as lines and ``<table>`` contents as rows of cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._text: list[str] = []
        self._rows: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self._skip = 0
        self._tables = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "table":
            self._flush()
            self._rows = []
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")
        elif tag in _BLOCK_TAGS and self._rows is None:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in ("td", "th") and self._cell is not None and self._rows is not None:
            if not self._rows:
                self._rows.append([])
            self._rows[-1].append(re.sub(r"[ \t\r\f\v]+", " ", "".join(self._cell)).strip())
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self._tables += 1
            rows = tuple(tuple(r) for r in self._rows if r)
            n = self._tables
            self.blocks.append(Block("table", "\n".join("\t".join(r) for r in rows), rows,
                                     *_where("where_table", n=n)))
            self._rows = None
        elif tag in _BLOCK_TAGS and self._rows is None:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
        elif self._rows is None:
            self._text.append(data)

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self._text)).strip()
        self._text = []
        if text:
            n = sum(b.kind == "line" for b in self.blocks) + 1
            self.blocks.append(Block("line", text, (), *_where("where_paragraph", n=n)))

    def close(self) -> None:
        super().close()
        self._flush()


def _read_html(path: Path) -> list[Block]:
    parser = _HtmlBlocks()
    parser.feed(decode_text(path.read_bytes()))
    parser.close()
    return parser.blocks


# --- pdf ------------------------------------------------------------------------------------------

def _read_pdf(path: Path) -> list[Block]:
    import pdfplumber

    blocks: list[Block] = []
    with pdfplumber.open(str(path)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]
            outside = page.filter(lambda obj, boxes=boxes: not any(_inside(obj, b) for b in boxes))
            where = _where("where_page", n=number)
            text = outside.extract_text() or ""
            items = [(t.bbox[1], Block("table", "", tuple(tuple((c or "").strip() for c in row)
                                                          for row in t.extract()), *where)) for t in tables]
            lines = outside.extract_text_lines() if text else []
            items += [(line["top"], Block("line", line["text"].strip(), (), *where))
                      for line in lines if line["text"].strip()]
            blocks += [b for _, b in sorted(items, key=lambda pair: pair[0])]
    return [b if b.kind == "line" else Block("table", "\n".join("\t".join(r) for r in b.rows), b.rows,
                                             b.where_zh, b.where_en) for b in blocks]


def _inside(obj: dict, box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    cx, cy = (obj.get("x0", 0) + obj.get("x1", 0)) / 2, (obj.get("top", 0) + obj.get("bottom", 0)) / 2
    return x0 <= cx <= x1 and top <= cy <= bottom
