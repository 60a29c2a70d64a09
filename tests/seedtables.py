"""Read the two "专栏一" indicator tables straight from the plan text, for checking the catalogue.

Independent of planlib on purpose: the catalogue is a hand transcription, and this reader is
the second, mechanical reading it is checked against.
"""

from __future__ import annotations

import re
from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_783e6206471bd0e6.txt"
_DOMAIN = re.compile(r"^(妇女|儿童)(与|参与)")


def read_tables(path: Path = SEED) -> list[dict]:
    """Rows of both tables: plan, domain, number, name, target, attribute, units (list)."""
    text = path.read_text(encoding="utf-8")
    rows = []
    for plan, start in (("women", "专栏一  2021—2030年妇女发展主要指标"),
                        ("children", "专栏一  2021—2030年儿童发展主要指标")):
        body = text[text.index(start):]
        body = body[: body.index("三、重点任务")]
        rows += _rows(plan, body.splitlines()[1:])
    return rows


def _cells(lines: list[str]) -> list[list[str]]:
    """Cells in order; a cell is a tab-led line plus the bare lines that continue it."""
    cells: list[list[str]] = []
    for line in lines:
        if line.startswith("\t"):
            cells.append([line[1:].strip()])
        elif line.strip() and cells and not _DOMAIN.match(line.strip()):
            cells[-1].append(line.strip())  # a wrapped cell or a further responsible unit
    return cells


def _rows(plan: str, lines: list[str]) -> list[dict]:
    cells = _cells(lines)[6:]  # skip the header: 类别 序号 指标名称 2030年规划 指标属性 责任单位
    out, domain, number = [], None, None
    for i in range(0, len(cells), 6):
        d, n, name, target, attr, units = cells[i: i + 6]
        domain = d[0] or domain
        number = int(n[0]) if n[0] else number
        out.append({"plan": plan, "domain": domain, "number": number, "name": name[0],
                    "target": "".join(target), "attribute": attr[0], "units": units})
    return out
