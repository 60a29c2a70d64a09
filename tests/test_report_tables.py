"""planlib.report.tables: the report's tables as data (values, not text)."""

from __future__ import annotations

import pandas as pd
import pytest

from planlib import schema as S
from planlib.report import tables as T
from planlib.report.build import prepare
from planlib.report.content import ReportOptions

from .report_fixtures import observations, small_catalog


@pytest.fixture(scope="module")
def table():
    return prepare(ReportOptions(2024), small_catalog(), observations()).table


def test_label_fills_fields_and_never_invents_a_text():
    assert T.label("unit_scope", "en", unit="县教委") == "Responsible unit: 县教委"
    assert T.label("list_sep", "zh") == "、" and T.label("list_sep", "en") == ", "
    with pytest.raises(KeyError, match="no-such-label"):  # i18n.t has no silent fallback
        T.label("no-such-label", "en")


def test_county_rows_keep_only_the_county():
    frame = pd.DataFrame({S.REGION: ["石柱县", "全国", "石柱县"], S.VALUE: [1, 2, 3]})
    assert T.county_rows(frame)[S.VALUE].tolist() == [1, 3]


def test_indicator_table_columns_and_values(table):
    w01 = table.set_index(S.INDICATOR_ID).loc["W01"]
    assert (w01[T.BASELINE], w01[T.LATEST_VALUE], w01[T.LATEST_YEAR], w01[T.CHANGE]) == (64.0, 70.0, 2024, 6.0)
    assert w01[T.UNITS] == "县卫生健康委" and w01[T.TARGET] == "逐年提高" and not w01[T.BINDING]
    assert table[T.DOMAIN].tolist() == ["妇女与健康", "妇女与健康", "妇女与教育", "妇女与教育", "儿童与健康"]


def test_values_by_year_spreads_the_county_series():
    obs = observations()
    wide = T.values_by_year(obs, pd.Series(["W03", "W11"]), 2019, 2024)
    assert list(wide.columns) == [2019, 2020, 2021, 2022, 2023, 2024]
    assert wide.iloc[0].tolist() == [9.0, 8.5, 8.0, 7.5, 7.0, 6.5]
    assert wide.iloc[1, 1:5].tolist() == [95.0, 95.5, 96.0, 96.2]
    assert pd.isna(wide.iloc[1, 0]) and pd.isna(wide.iloc[1, 5])  # W11: nothing for 2019 or 2024


def test_status_counts_per_plan(table):
    counts = T.status_counts(table, [S.PLAN]).set_index(S.PLAN)
    assert counts.loc["women"].to_dict() == {
        S.OFF_TRACK: 0, S.AT_RISK: 1, S.ON_TRACK: 0, S.ACHIEVED: 2, S.INSUFFICIENT_DATA: 0,
        S.NOT_ASSESSABLE: 1, "total": 4}
    assert counts.loc["children", "total"] == 1


def test_status_changes_name_the_direction(table):
    previous = pd.DataFrame({S.INDICATOR_ID: ["W03", "C02"], S.REGION: ["石柱县", "石柱县"],
                             "status": [S.OFF_TRACK, S.ACHIEVED]})
    changes = T.status_changes(table, previous).set_index(S.INDICATOR_ID)
    # W03 and C02 moved one way; the others were not in last year's report at all.
    assert changes["direction"].to_dict() == {"W01": "changed", "W03": "improved", "W11": "changed",
                                              "W13": "changed", "C02": "worsened"}


def test_missing_submissions_and_target_met(table):
    subs = pd.DataFrame({"department": ["县教委", "县卫生健康委"], "reporting_year": [2024, 2023]})
    assert T.missing_submissions(["县卫生健康委", "县教委"], subs, 2024) == ["县卫生健康委"]
    met = T.target_met(small_catalog(), table)
    assert met.tolist() == [None, True, True, None, True]
