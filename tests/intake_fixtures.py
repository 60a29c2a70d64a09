"""Helpers shared by the intake tests: fill a template the way a department does."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from planlib.intake import HEADER_ROW, TEMPLATE_COLUMNS

_COL = {c.label: j for j, c in enumerate(TEMPLATE_COLUMNS, start=1)}


def fill_template(path: Path, values: dict, output: Path | None = None, sheet: str | None = None) -> Path:
    """Type values into a template: ``{code: value}`` or ``{code: {"数值": v, "备注": n, ...}}``."""
    wb = openpyxl.load_workbook(path)
    sheets = [wb[sheet]] if sheet else [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    for ws in sheets:
        for row in range(HEADER_ROW + 1, ws.max_row + 1):
            code = ws.cell(row, _COL["指标代码"]).value
            if code not in values:
                continue
            cells = values[code] if isinstance(values[code], dict) else {"数值": values[code]}
            for label, value in cells.items():
                ws.cell(row, _COL[label]).value = value
    out = Path(output or path)
    wb.save(out)
    return out


def template_row(path: Path, code: str, sheet: str) -> int:
    """The Excel row of an indicator in a template sheet."""
    ws = openpyxl.load_workbook(path, read_only=True)[sheet]
    for i, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if row and row[0] == code:
            return i
    raise KeyError(code)


# --- templates, built once and copied per test (the stores they go into: tests/conftest.py) -------

import pytest  # noqa: E402

from planlib import intake  # noqa: E402

from .conftest import db, seeded_store, snapshot  # noqa: E402,F401 - the stores live in conftest.py

YEAR = 2024
HEALTH, EDUCATION = "县卫生健康委", "县教委"


@pytest.fixture(scope="session")
def blank_templates(tmp_path_factory, seeded_store: Path) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("templates")
    return {unit: intake.write_template(unit, YEAR, folder / f"{unit}.xlsx", db=seeded_store)
            for unit in (HEALTH, EDUCATION, "all")}


@pytest.fixture
def template(blank_templates: dict[str, Path], tmp_path: Path):
    """``template(unit, values, name=None)``: a filled copy of the unit's blank 2024 template."""
    def make(unit: str, values: dict, name: str | None = None) -> Path:
        out = tmp_path / (name or f"{unit}-{len(list(tmp_path.iterdir()))}.xlsx")
        return fill_template(blank_templates[unit], values, out)
    return make


