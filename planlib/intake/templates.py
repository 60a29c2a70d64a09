"""Writing the Excel template a responsible unit fills in."""

from __future__ import annotations

import os
import re
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from .. import schema as S
from .. import store
from ..config import COUNTY, PLAN_END
from ..errors import PlanlibError, Problem
from ..files import atomic_path
from ..i18n import PLAN_STORE_LABELS, t
from ..observations import load_shipped_observations
from ..safecells import values_only
from .layout import (_Catalog, DEFAULT_RULE, FIRST_YEAR, HEADER_ROW, META_SHEET, TEMPLATE_COLUMNS,
                     TEMPLATE_VERSION, unit_rule)
from .rules import _fmt


# --- writing templates ---------------------------------------------------------------------------------

def write_template(unit: str, year: int, output: str | os.PathLike,
                   db: str | os.PathLike | None = None, region: str | None = None) -> Path:
    """Write the Excel workbook a responsible unit fills in for one reporting year.

    ``region``: whose plan (default the home county; another region needs its plan registered,
    :func:`planlib.plans.add_plan`). The template lists that plan's indicators, targets (with
    the target year when it is not the plan's end) and units, and records the region.

    One sheet per department (``unit="all"``: every department), listing its indicators with
    code, name, unit, 2030 target and the last value reported (with its year) for reference,
    and the cells to fill: 数值, 分子, 分母 (for the mortality rates) and 备注. The value cells
    carry Excel data validation by unit; the other cells are locked; a hidden sheet records
    the unit, year and template version so that ``import_files`` knows what it reads.

    Raises:
        PlanlibError: for an unknown unit or region, or a year outside 2010-2030.

    Examples:
        >>> import tempfile, pathlib, openpyxl
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "残联.xlsx"
        >>> path = write_template("县残联", 2025, out)
        >>> ws = openpyxl.load_workbook(path)["县残联"]
        >>> [c.value for c in ws[3]][:3], ws["A4"].value, ws["A5"].value
        (['指标代码', '指标名称', '计量单位'], 'C26', 'C27')
    """
    from ..catalog import indicators_of_unit
    from ..plans import catalog_for, region_name

    region = region_name(region)
    catalog = catalog_for(region, db)
    info = _Catalog.load(catalog)
    departments = _departments(unit, info)
    _check_template_year(year)
    last = _last_reported(db, year, region)
    wb = _new_workbook()
    for dept in departments:
        _write_sheet(wb.create_sheet(_sheet_title(dept)), (region, dept), year,
                     indicators_of_unit(catalog, dept), last)
    _write_meta(wb, year, departments, region)
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


def _last_reported(db, year: int, region: str = COUNTY) -> dict[str, tuple[float, int]]:
    """The latest non-illustrative value of ``region`` before ``year``, per indicator."""
    target = store.locate(db)
    if store.exists(target):
        obs = store.read_observations(target)
    else:
        obs = load_shipped_observations()
    obs = obs[(obs[S.REGION] == region) & (obs[S.SOURCE] != S.DEMO_SOURCE)]
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


def _write_sheet(ws, owner: tuple[str, str], year: int, rows: pd.DataFrame, last: dict) -> None:
    """One department's sheet; ``owner``: the region and the department."""
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter

    region, dept = owner
    ws["A1"] = t("template_title", "zh", PLAN_STORE_LABELS).format(region=region, dept=dept, year=year)
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
        values = {**rec, "last_value": lv[0], "last_year": lv[1], S.TARGET_TEXT: _target(rec)}
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


def _target(rec: dict) -> str:
    """The target as the template shows it: its year added when it is not the plan's end.

    Examples:
        >>> _target({"target_text": "≥ 98", "target_year": 2028}), _target({"target_text": "≥ 98", "target_year": 2030})
        ('≥ 98（2028年）', '≥ 98')
    """
    text, year = rec[S.TARGET_TEXT], int(rec[S.TARGET_YEAR])
    if year == PLAN_END:
        return text
    return t("target_year_note", "zh", PLAN_STORE_LABELS).format(target=text, year=year)


def _plain(x: float) -> str:
    """A number as Excel reads it in a formula, without an exponent: ``1e9`` -> ``1000000000``."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _write_meta(wb, year: int, departments: list[str], region: str = COUNTY) -> None:
    ws = wb.create_sheet(META_SHEET)
    ws.append(["key", "value", "unit"])
    ws.append(["template_version", TEMPLATE_VERSION, None])
    ws.append(["year", int(year), None])
    ws.append(["region", region, None])
    ws.append(["generated_at", datetime.now(timezone.utc).isoformat(timespec="seconds"), None])
    for dept in departments:
        ws.append(["sheet", _sheet_title(dept), dept])
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True


def _save_atomically(wb, output: Path) -> Path:
    with atomic_path(output) as tmp:
        values_only(wb).save(tmp)
    return output
