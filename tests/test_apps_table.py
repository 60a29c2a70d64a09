"""Filtering and sorting the indicator table's rows (planlib.apps.table), on the small plan's build."""

from __future__ import annotations

import pytest

from planlib import i18n
from planlib.apps.table import TableFilters, filter_rows, sort_rows


@pytest.fixture(scope="module")
def rows(small_edition):
    return small_edition.page(2023, "zh")["rows"]


def ids(rows) -> list[str]:
    return [r["id"] for r in rows]


def test_filters(rows):
    assert ids(filter_rows(rows, TableFilters(plan="children"))) == ["C21"]
    assert ids(filter_rows(rows, TableFilters(binding_only=True))) == ["W03", "C21"]
    assert ids(filter_rows(rows, TableFilters(unit="县妇联"))) == ["W04"]
    assert ids(filter_rows(rows, TableFilters(domain="健康", plan="women"))) == ["W03", "W04"]
    assert ids(filter_rows(rows, TableFilters(status="not_assessable"))) == ["W30"]
    assert ids(filter_rows(rows, TableFilters())) == ["W03", "W04", "W30", "C21"]


def test_sorting_by_value_and_by_status(rows):
    assert ids(sort_rows(rows, "latest", descending=True)) == ["W04", "C21", "W30", "W03"]
    assert ids(sort_rows(rows, "latest")) == ["W03", "W30", "C21", "W04"]
    ranks = [i18n.STATUS_ORDER.index(r["status"]) for r in sort_rows(rows, "status")]
    assert ranks == sorted(ranks)
    assert ids(sort_rows(rows, "no-such-key")) == ["W03", "W04", "W30", "C21"]


def test_blank_values_sort_last_both_ways(rows):
    # W30 (qualitative) has no projection: last whichever way the column is sorted
    assert ids(sort_rows(rows, "projected"))[-1] == "W30"
    assert ids(sort_rows(rows, "projected", descending=True))[-1] == "W30"
