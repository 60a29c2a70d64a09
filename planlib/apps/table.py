"""The indicator table's rows: filtering and sorting them, in plain Python (no pandas).

A row is a dict made by :func:`planlib.apps.content.display_rows` at build time: the formatted
cells the table draws (``id``, ``name``, ``target`` ...) plus ``key``, the raw values it is
filtered and sorted on. Viewers' kernels filter and sort the 90 rows of a page here, so an
interaction costs microseconds and imports nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import i18n
from .. import schema as S

# The assessment's columns are named in planlib.schema; short names for the apps.
LATEST_YEAR, LATEST_VALUE = S.LATEST_YEAR, S.LATEST_VALUE
PROJECTED, PROJ_LO, PROJ_HI = S.PROJECTED, S.PROJECTED_LOWER_95, S.PROJECTED_UPPER_95
ORDER, DOMAIN, DEMO = "order", "domain", "demo"
#: The table's columns, in order.
TABLE_COLUMNS = ("id", "name", "target", "attribute", "latest", "projected", "status", "units")
#: The table's sortable columns and the raw value each sorts on.
SORT_KEYS = {"id": ORDER, "name": S.NAME_ZH, "target": S.TARGET_TEXT, "attribute": S.ATTRIBUTE,
             "latest": LATEST_VALUE, "projected": PROJECTED, "status": S.ASSESSMENT_STATUS,
             "units": S.RESPONSIBLE_UNITS}
#: Where a row keeps the raw values it is filtered and sorted on.
KEY = "key"


@dataclass(frozen=True)
class TableFilters:
    """The dashboard's table filters; ``None`` means all.

    Attributes:
        plan: "women" or "children".
        domain: a short 类别 (健康, 教育 ...), see :func:`planlib.i18n.short_domain`.
        unit: a responsible unit (an indicator matches if it is one of its units).
        binding_only: only binding (约束性) indicators.
        status: a status code.
    """

    plan: str | None = None
    domain: str | None = None
    unit: str | None = None
    binding_only: bool = False
    status: str | None = None


def filter_rows(rows: list[dict], filters: TableFilters) -> list[dict]:
    """The rows that pass the filters, in their order.

    Examples:
        >>> rows = [{"id": "W01", "key": {"plan": "women", "domain": "健康", "status": "at_risk",
        ...          "attribute": "binding", "units": ["县妇联", "县卫生健康委"]}},
        ...         {"id": "C01", "key": {"plan": "children", "domain": "健康", "status": "on_track",
        ...          "attribute": "expected", "units": ["县教委"]}}]
        >>> [r["id"] for r in filter_rows(rows, TableFilters(plan="children"))]
        ['C01']
        >>> [r["id"] for r in filter_rows(rows, TableFilters(binding_only=True, unit="县卫生健康委"))]
        ['W01']
    """
    wanted = {S.PLAN: filters.plan, DOMAIN: filters.domain, S.ASSESSMENT_STATUS: filters.status}

    def keep(row: dict) -> bool:
        key = row[KEY]
        if any(value and key[name] != value for name, value in wanted.items()):
            return False
        if filters.unit and filters.unit not in key["units"]:
            return False
        return not filters.binding_only or key[S.ATTRIBUTE] == S.BINDING

    return [row for row in rows if keep(row)]


def sort_rows(rows: list[dict], key: str = "id", descending: bool = False) -> list[dict]:
    """The rows sorted by one of :data:`SORT_KEYS`; status sorts worst first; blanks always last.

    Ties keep catalogue order.

    Examples:
        >>> rows = [{"id": i, "key": {"order": n, "status": s, "latest_value": v}} for i, n, s, v in
        ...         [("A", 0, "achieved", 1.0), ("B", 1, "off_track", None), ("C", 2, "at_risk", 3.0)]]
        >>> [r["id"] for r in sort_rows(rows, "status")], [r["id"] for r in sort_rows(rows, "latest", True)]
        (['B', 'C', 'A'], ['C', 'A', 'B'])
    """
    column = SORT_KEYS.get(key, ORDER)
    by_order = sorted(rows, key=lambda r: r[KEY][ORDER])

    def value(row: dict):
        raw = row[KEY].get(column)
        return i18n.STATUS_ORDER.index(raw) if column == S.ASSESSMENT_STATUS else raw

    present = [r for r in by_order if value(r) is not None]
    blank = [r for r in by_order if value(r) is None]
    return sorted(present, key=value, reverse=descending) + blank
