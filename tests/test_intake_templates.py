"""planlib.intake.templates: the workbook a responsible unit fills in."""

import openpyxl

from planlib.intake import layout, templates


def test_a_template_has_one_sheet_per_department_with_its_indicators(tmp_path):
    path = templates.write_template("县教委", 2024, tmp_path / "t.xlsx", db=tmp_path / "none.sqlite")
    book = openpyxl.load_workbook(path)
    sheets = [s for s in book.sheetnames if s != layout.META_SHEET]
    assert sheets == ["县教委"]
    ws = book["县教委"]
    header = [ws.cell(layout.HEADER_ROW, j + 1).value for j in range(len(layout.TEMPLATE_COLUMNS))]
    assert header == [c.label for c in layout.TEMPLATE_COLUMNS]
    ids = [ws.cell(r, 1).value for r in range(layout.HEADER_ROW + 1, ws.max_row + 1)]
    assert "C21" in ids and all(i.startswith(("W", "C")) for i in ids)
    assert ws.protection.sheet
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
