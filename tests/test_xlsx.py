import io
import zipfile
from datetime import datetime

import openpyxl
import pytest

from planlib import xlsx

from .intake_fixtures import blank_templates, seeded_store  # noqa: F401

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _handmade() -> bytes:
    """A workbook written the way Excel and WPS write them: shared strings with rich-text runs,
    inline strings, errors, booleans, cells without ``r`` and a custom percent format."""
    parts = {
        "[Content_Types].xml": "<Types/>",
        "xl/workbook.xml": f'<workbook {_NS} {_R}><sheets><sheet name="数据" sheetId="1" r:id="rId1"/>'
                           f'<sheet name="隐藏" sheetId="2" state="veryHidden" r:id="rId2"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Target="/xl/worksheets/sheet2.xml"/></Relationships>',
        "xl/sharedStrings.xml": f'<sst {_NS}><si><t>指标代码</t></si><si><r><t>数</t></r><r><t>值</t></r>'
                                f'<rPh><t>shu</t></rPh></si></sst>',
        "xl/styles.xml": f'<styleSheet {_NS}><numFmts><numFmt numFmtId="170" formatCode="0.0%"/>'
                         f'<numFmt numFmtId="171" formatCode="yyyy-mm-dd"/></numFmts><cellXfs>'
                         f'<xf numFmtId="0"/><xf numFmtId="170"/><xf numFmtId="171"/><xf numFmtId="10"/>'
                         f'</cellXfs></styleSheet>',
        "xl/worksheets/sheet1.xml":
            f'<worksheet {_NS}><sheetData>'
            '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="G1" t="s"><v>1</v></c></row>'
            '<row r="3"><c r="A3" t="inlineStr"><is><t>W04</t></is></c><c r="G3" s="1"><v>0.955</v></c>'
            '<c r="H3" s="3"><v>12</v></c><c r="I3" s="2"><v>45292</v></c><c r="J3" t="e"><v>#DIV/0!</v></c></row>'
            '<row><c t="b"><v>1</v></c><c><v>7</v></c><c s="9"/><c><f>SUM(A1:B1)</f></c></row>'
            '</sheetData></worksheet>',
        "xl/worksheets/sheet2.xml": f'<worksheet {_NS}><sheetData/></worksheet>',
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return buf.getvalue()


def test_reads_what_excel_writes():
    sheets = xlsx.read_workbook(_handmade())
    assert list(sheets) == ["数据", "隐藏"] and sheets["隐藏"].state == "veryHidden"
    rows = {n: {c: (cell.value, cell.percent) for c, cell in cells.items()} for n, cells in sheets["数据"].rows}
    assert rows[1] == {0: ("指标代码", False), 6: ("数值", False)}
    assert rows[3] == {0: ("W04", False), 6: (0.955, True), 7: (12, True),
                       8: (datetime(2024, 1, 1), False), 9: ("#DIV/0!", False)}
    assert rows[4] == {0: (True, False), 1: (7, False), 3: (None, False)}
    assert sheets["数据"].rows[2][1][3].formula  # a formula without its value is not a blank
    assert sheets["隐藏"].rows == ()


def test_fast_reader_agrees_with_openpyxl(blank_templates):
    wb = openpyxl.load_workbook(blank_templates["all"])
    ws = wb["县卫生健康委"]
    ws["G4"], ws["H6"], ws["J4"], ws["G5"] = 95.5, 1, "更正", "abc"
    ws["G7"].number_format = "0.0%"
    ws["G7"] = 0.92
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as archive:
        fast = xlsx._FastReader(archive).sheets()
    slow = xlsx._read_with_openpyxl(buf.getvalue())
    assert list(fast) == list(slow) and len(fast) == 20
    for title in fast:
        assert fast[title].state == slow[title].state
        assert fast[title].rows == slow[title].rows, title


def test_falls_back_to_openpyxl(blank_templates, monkeypatch):
    data = blank_templates["县教委"].read_bytes()
    expected = xlsx.read_workbook(data)

    def broken(self, archive):
        raise KeyError("xl/workbook.xml")

    monkeypatch.setattr(xlsx._FastReader, "__init__", broken)
    assert xlsx.read_workbook(data)["县教委"].rows == expected["县教委"].rows


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04junk", b"not a zip at all", _handmade()[:200]])
def test_unreadable_bytes_raise_xlsx_error(data):
    with pytest.raises(xlsx.XlsxError):
        xlsx.read_workbook(data)


def _with_sheet(xml: str) -> bytes:
    """The hand-made workbook with another first sheet."""
    src = zipfile.ZipFile(io.BytesIO(_handmade()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in src.namelist():
            z.writestr(name, xml if name == "xl/worksheets/sheet1.xml" else src.read(name))
    return buf.getvalue()


def test_a_shared_string_index_that_does_not_exist_is_damage_not_a_value():
    data = _with_sheet(f'<worksheet {_NS}><sheetData><row r="4"><c r="B4" t="s"><v>99</v></c></row>'
                       '</sheetData></worksheet>')
    with pytest.raises(xlsx.XlsxError) as err:
        xlsx.read_workbook(data)
    assert (err.value.kind, err.value.sheet, err.value.cell) == ("damaged", "数据", "B4")


def test_row_and_cell_limits_stop_reading_early():
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 101))
    data = _with_sheet(f"<worksheet {_NS}><sheetData>{rows}</sheetData></worksheet>")
    assert len(xlsx.read_workbook(data)["数据"].rows) == 100
    with pytest.raises(xlsx.XlsxError) as err:
        xlsx.read_workbook(data, xlsx.Limits(rows=50))
    assert err.value.kind == "too_many_rows" and err.value.sheet == "数据"
    with pytest.raises(xlsx.XlsxError) as err:
        xlsx.read_workbook(data, xlsx.Limits(cells=10))
    assert err.value.kind == "too_many_cells"


def test_a_part_that_inflates_too_far_is_refused_before_inflating(monkeypatch):
    rows = "<row><c><v>1</v></c></row>" * 60_000  # 1.6 MB that packs to a few kB
    data = _with_sheet(f"<worksheet {_NS}><sheetData>{rows}</sheetData></worksheet>")
    opened = []
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, *a, **k: opened.append(a) or 1 / 0)
    with pytest.raises(xlsx.XlsxError) as err:
        xlsx.read_workbook(data)
    assert err.value.kind == "too_large" and "ratio" in err.value.detail and opened == []


def test_a_document_type_declaration_is_refused():
    data = _with_sheet('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
                       f'<worksheet {_NS}><sheetData><row><c t="inlineStr"><is><t>&a;</t></is></c></row>'
                       '</sheetData></worksheet>')
    with pytest.raises(xlsx.XlsxError) as err:
        xlsx.read_workbook(data)
    assert err.value.kind == "forbidden"
