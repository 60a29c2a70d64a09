"""Read a plan's indicator tables (专栏: 序号, 指标名称, 目标, 属性, 责任单位) into found targets.

A table is an indicator table when its header names at least an indicator column and a target
column. Columns are found by their header words, so their order and number do not matter.
Rows continue over page breaks: a table that follows another of the same width without a
header of its own continues it, a header reprinted at the top of a page is dropped, and a row
with no number and no name (or no target and no attribute) is the rest of the row before it,
cut by the page break. A row without a number but with its own name and target is a
sub-indicator: it shares the number of the row above (W05 / W05b).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import i18n
from ..plandoc import Block
from .found import Found, Place, Skipped, plan_of_domain

_COLUMNS = {  # column -> header words, most specific first
    "domain": ("类别", "领域", "分类"),
    "number": ("序号", "编号"),
    "name": ("指标名称", "指标", "名称"),
    "target": ("目标值", "规划目标", "目标", "规划"),
    "attribute": ("指标属性", "属性", "性质"),
    "units": ("责任单位", "牵头单位", "责任部门", "牵头部门", "主要责任单位"),
    "unit": ("计量单位", "单位"),
    "base": ("基期", "现状", "基数"),
}
_ATTRIBUTES = {"约束性": "binding", "预期性": "expected"}
_YEAR = re.compile(r"(20\d{2})\s*年")


@dataclass(frozen=True)
class Layout:
    """Which column holds what in one indicator table; ``year`` from a header like "2030年目标"."""

    columns: dict
    width: int
    year: int | None


def layout_of(header: tuple[str, ...]) -> Layout | None:
    """The columns of an indicator table from its header row; None if it is not one.

    Examples:
        >>> layout_of(("类别", "序号", "指标名称", "2030年\\n规划", "指标\\n属性", "责任单位")).columns
        {'domain': 0, 'number': 1, 'name': 2, 'target': 3, 'attribute': 4, 'units': 5}
        >>> layout_of(("项目", "内容")) is None
        True
    """
    cells = [re.sub(r"\s+", "", c) for c in header]
    columns: dict[str, int] = {}
    for i, cell in enumerate(cells):
        for column, words in _COLUMNS.items():
            if column in columns or not any(w in cell for w in words):
                continue
            if column == "unit" and any(w in cell for w in _COLUMNS["units"]):
                continue  # 责任单位 is not 单位
            if column == "name" and any(w in cell for w in ("属性", "目标", "规划", "基期", "现状")):
                continue
            if column == "target" and any(w in cell for w in ("基期", "现状", "基数")):
                continue
            columns[column] = i
            break
    if "name" not in columns or "target" not in columns:
        return None
    columns["target"] = _latest_target(cells, columns["target"])
    year = _YEAR.search(cells[columns["target"]])
    return Layout(columns, len(header), int(year[1]) if year else None)


def _latest_target(cells: list[str], first: int) -> int:
    """Of several target columns ("2025年目标", "2030年目标"), the one for the latest year."""
    def year(i: int) -> int:
        m = _YEAR.search(cells[i])
        return int(m[1]) if m else 0

    targets = [i for i, c in enumerate(cells) if i >= first and any(w in c for w in _COLUMNS["target"])
               and not any(w in c for w in ("基期", "现状", "基数", "属性", "指标名称"))]
    return max(targets, key=lambda i: (year(i), -i)) if targets else first


def read_tables(items: list[tuple[Block, Place]]) -> tuple[list[Found], list[Skipped]]:
    """Every indicator table's rows, in order, as found targets; other tables are left alone."""
    found: list[Found] = []
    skipped: list[Skipped] = []
    layout: Layout | None = None
    state = _RowState()
    for block, place in items:
        if block.kind != "table" or not block.rows:
            continue
        rows = list(block.rows)
        new = layout_of(rows[0])
        if new is not None:
            same_table = layout is not None and new.columns == layout.columns
            layout, rows = new, rows[1:]
            if not same_table:  # a header reprinted on the next page keeps the rows going
                state.flush(skipped)
                state = _RowState()
        elif layout is None or len(rows[0]) != layout.width:
            continue  # not an indicator table, nor the continuation of one
        for row in rows:
            if layout_of(row) is not None:
                continue  # the header reprinted on a new page
            state.add(_cells(row, layout), block, place, layout, found, skipped)
    state.flush(skipped)
    return found, skipped


class _RowState:
    """Carries the domain and number down the rows and joins rows cut by page breaks.

    A row with a name but no target yet is held: the next row, if it has no number of its own,
    is the rest of it (a name wrapped over a page break). A row with no number and no name, or
    no target and no attribute, completes the row before it.
    """

    def __init__(self) -> None:
        self.domain = ""
        self.number = ""
        self.pending: tuple[dict, Block, Place] | None = None

    def add(self, cells: dict, block: Block, place: Place, layout: Layout,
            found: list[Found], skipped: list[Skipped]) -> None:
        if not any(cells.values()):
            return
        if self.pending is not None:
            held, held_block, held_place = self.pending
            self.pending = None
            if not cells["number"]:
                cells = {k: held[k] + ("\n" if held[k] and v else "") + v for k, v in cells.items()}
                block, place = held_block, held_place
            else:
                self._skip(held, held_block, skipped)
        if cells["domain"]:
            self.domain = _oneline(cells["domain"])
        continues = (not cells["number"] and not cells["name"]) or (not cells["target"] and not cells["attribute"]
                                                                     and not cells["number"])
        if continues and found and found[-1].form == "table":
            found[-1] = _joined(found[-1], cells)
            return
        if cells["number"]:
            self.number = _oneline(cells["number"])
        if cells["name"] and not cells["target"]:
            self.pending = (cells, block, place)
            return
        if not cells["name"] or not cells["target"]:
            self._skip(cells, block, skipped)
            return
        found.append(_found(cells, self, block, place, layout))

    def flush(self, skipped: list[Skipped]) -> None:
        if self.pending is not None:
            self._skip(self.pending[0], self.pending[1], skipped)
            self.pending = None

    @staticmethod
    def _skip(cells: dict, block: Block, skipped: list[Skipped]) -> None:
        skipped.append(Skipped("\t".join(_oneline(v) for v in cells.values() if v), block.where_zh, block.where_en,
                               *i18n.both("skip_table_row", i18n.DRAFT_LABELS)))


def _cells(row: tuple[str, ...], layout: Layout) -> dict:
    return {column: (row[i].strip() if i < len(row) else "") for column, i in
            {c: layout.columns.get(c, 10**6) for c in _COLUMNS}.items()}


def _oneline(text: str) -> str:
    return "".join(line.strip() for line in text.splitlines())


def _units(text: str) -> tuple[str, ...]:
    parts = re.split(r"[\n、，,；;/ ]+", text)
    return tuple(p.strip() for p in parts if p.strip())


_UNIT_IN_NAME = re.compile(r"[（(]([^（）()]{1,8})[）)]$")
_UNIT_WORDS = re.compile(r"^(?:%|‰|‱|1/10万|1/万|1/千|/10万|[\u4e00-\u9fff]{1,2}|万[\u4e00-\u9fff]{1,2}|女=100)$")


def unit_of_name(name: str) -> str:
    """The unit printed in brackets at the end of a name, or "".

    Examples:
        >>> unit_of_name("孕产妇死亡率（1/10万）"), unit_of_name("每千名（0-14岁）儿童拥有床位数（张）")
        ('1/10万', '张')
        >>> unit_of_name("出生人口性别比"), unit_of_name("村（社区）党组织书记中女性比例（%）")
        ('', '%')
    """
    m = _UNIT_IN_NAME.search(name)
    if m and _UNIT_WORDS.match(m[1]) and m[1] not in ("社区", "村", "街道", "居"):
        return m[1]
    return ""


def _found(cells: dict, state: _RowState, block: Block, place: Place, layout: Layout) -> Found:
    name = _oneline(cells["name"])
    target = _oneline(cells["target"])
    unit = _oneline(cells["unit"]) or unit_of_name(name)
    attribute = _ATTRIBUTES.get(_oneline(cells["attribute"]), "")
    domain = state.domain or place.domain
    row = "\t".join(_oneline(v) for v in cells.values() if v)
    start = row.find(target)
    notes = []
    if cells["attribute"] and not attribute:
        notes.append(i18n.both("note_unknown_attribute", i18n.DRAFT_LABELS, attribute=_oneline(cells["attribute"])))
    return Found(
        name=name, target_text=target, unit=unit, target_year=layout.year or place.end,
        attribute=attribute, units=_units(cells["units"]), domain=domain,
        plan=place.plan or plan_of_domain(domain), number=state.number, form="table", source=row,
        span=(start, start + len(target)) if start >= 0 else (0, 0),
        where_zh=f"{block.where_zh}，序号 {state.number or '（无）'}",
        where_en=f"{block.where_en}, number {state.number or '(none)'}", notes=tuple(notes))


def _joined(prev: Found, cells: dict) -> Found:
    """The previous row completed by the rest of it printed after a page break."""
    def more(old: str, new: str) -> str:
        return old + _oneline(new)

    name = more(prev.name, cells["name"])
    target = more(prev.target_text, cells["target"])
    attribute = prev.attribute or _ATTRIBUTES.get(_oneline(cells["attribute"]), "")
    return Found(
        name=name, target_text=target, unit=prev.unit or unit_of_name(name), target_year=prev.target_year,
        attribute=attribute, units=prev.units + _units(cells["units"]), domain=prev.domain, plan=prev.plan,
        number=prev.number, form=prev.form, source=prev.source + " / " + "\t".join(v for v in cells.values() if v),
        span=prev.span, where_zh=prev.where_zh, where_en=prev.where_en, notes=prev.notes)
