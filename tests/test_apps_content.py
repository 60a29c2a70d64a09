"""What the apps show, shaped from the data (planlib.apps.content) and the data model behind it (planlib.apps.model)."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from planlib import charts, i18n
from planlib import schema as S
from planlib.apps import content as apps
from planlib.apps import downloads
from planlib.apps.model import Model, data_version, indicator_series
from planlib.apps.table import DEMO

from .app_fixtures import CATALOG, OBSERVATIONS


@pytest.fixture(scope="module")
def model():
    return Model(CATALOG, OBSERVATIONS)


@pytest.fixture(scope="module")
def table(model):
    return model.table(2023)


# --- the model layer -------------------------------------------------------------------------------

def test_data_version_follows_the_data():
    changed = OBSERVATIONS.assign(value=OBSERVATIONS["value"] + 1)
    assert data_version(CATALOG, OBSERVATIONS) == data_version(CATALOG.copy(), OBSERVATIONS.copy())
    assert data_version(CATALOG, OBSERVATIONS) != data_version(CATALOG, changed)


def test_model_assesses_once_per_as_of_year(model):
    assert model.years == [2020, 2021, 2022, 2023]
    assert model.latest_year == 2023
    assert model.assessment(2023) is model.assessment(2023)
    assert model.assessment(2021) is not model.assessment(2023)
    assert model.table(2023) is model.table(2023)


def test_projection_is_fitted_once_and_agrees_with_the_assessment(model):
    first = model.projection("C21", "auto", 2023)
    assert model.projection("C21", "auto", 2023) is first
    row = model.assessment(2023).set_index(S.INDICATOR_ID).loc["C21"]
    at_target = first[first[S.YEAR] == 2030].iloc[0]
    assert at_target[S.MEAN] == pytest.approx(row["projected_value"])
    assert at_target[S.UPPER_95] == pytest.approx(row["projected_upper_95"])
    assert at_target[S.METHOD] == row[S.METHOD]


def test_projection_respects_as_of_and_skips_qualitative_targets(model):
    early = model.projection("C21", "auto", 2022)
    fitted = early[~early[S.IS_PROJECTION].astype(bool)]
    assert fitted[S.YEAR].max() == 2022
    assert model.projection("W30", "auto", 2023).empty


def test_indicator_series_uses_county_rows_up_to_as_of_only():
    series = indicator_series(OBSERVATIONS, "W03", 2022, 2030)
    assert series[S.YEAR].tolist() == [2020, 2021, 2022]
    assert series[S.VALUE].tolist() == [12.0, 11.0, 10.5]


# --- the tables ------------------------------------------------------------------------------------

def test_overview_table_is_one_county_row_per_indicator(table):
    assert table[S.INDICATOR_ID].tolist() == ["W03", "W04", "W30", "C21"]
    assert table["domain"].tolist() == ["健康", "健康", "决策管理", "教育"]
    assert table.set_index(S.INDICATOR_ID).loc["W30", "status"] == S.NOT_ASSESSABLE
    assert table[DEMO].all()
    assert table.set_index(S.INDICATOR_ID).loc["W04", "latest_value"] == 94.0


def test_sorting_by_value_and_by_status(table):
    by_latest = apps.sort_table(table, "latest", descending=True)[S.INDICATOR_ID].tolist()
    assert by_latest == ["W04", "C21", "W30", "W03"]
    ranks = apps.sort_table(table, "status")["status"].map(i18n.STATUS_ORDER.index).tolist()
    assert ranks == sorted(ranks)
    assert apps.sort_table(table, "no-such-key")[S.INDICATOR_ID].tolist() == ["W03", "W04", "W30", "C21"]


def test_status_counts_cover_every_status_of_both_plans(table):
    counts = apps.status_counts(table)
    assert len(counts) == 12
    women = counts[counts[S.PLAN] == "women"].set_index("status")["n"]
    assert women.sum() == 3 and women[S.NOT_ASSESSABLE] == 1
    assert counts[counts[S.PLAN] == "children"]["n"].sum() == 1


def test_domain_status_counts_keep_catalogue_order(table):
    counts = apps.domain_status_counts(table)
    assert counts[[S.PLAN, "domain"]].drop_duplicates().values.tolist() == [
        ["women", "健康"], ["women", "决策管理"], ["children", "教育"]]
    assert counts["n"].sum() == 4


def test_binding_alerts_list_binding_indicators_in_trouble_worst_first():
    t = pd.DataFrame({"indicator_id": ["A", "B", "C", "D"], "attribute": ["binding", "binding", "expected", "binding"],
                      "status": ["at_risk", "on_track", "off_track", "off_track"], "order": [0, 1, 2, 3]})
    assert apps.binding_alerts(t)[S.INDICATOR_ID].tolist() == ["D", "A"]


def test_display_rows_format_numbers_and_statuses(table):
    rows = {r["id"]: r for r in apps.display_rows(table, "en")}
    assert rows["W04"]["latest"] == "94 (2023)"
    assert rows["W04"]["units"] == "County Health Commission; County Women's Federation"
    assert rows["W30"]["status_label"] == "◇ Qualitative"
    assert rows["W30"]["projected"] == "—"
    assert rows["C21"]["attribute"] == "Binding"


def test_export_table_is_localised_and_labels_demo_data(table):
    zh = apps.export_table(table, "zh")
    assert zh.columns[:4].tolist() == ["编号", "规划", "领域", "指标"]
    assert (zh["数据说明"] == S.DEMO_LABEL_ZH).all()
    en = apps.export_table(table, "en")
    assert en.loc[0, "Plan"] == "Women's Development Plan" and en.loc[0, "Attribute"] == "Binding"
    assert en.loc[2, "Status"] == "Qualitative"


def test_csv_and_excel_round_trip(table):
    export = apps.export_table(table, "zh")
    columns, rows = list(export.columns), apps.json_rows(export)
    back = pd.read_csv(io.BytesIO(downloads.csv_bytes(columns, rows)), encoding="utf-8-sig")
    assert back["编号"].tolist() == ["W03", "W04", "W30", "C21"]
    sheet = pd.read_excel(io.BytesIO(downloads.xlsx_bytes(columns, rows, "全部指标")), sheet_name="全部指标")
    assert sheet["最新值"].tolist() == export["最新值"].tolist()
    assert sheet["95%区间下限"].isna().tolist() == export["95%区间下限"].isna().tolist()


def test_html_pieces_carry_icon_text_and_colour(table):
    tiles = apps.tiles_html(apps.status_counts(table), "zh")
    assert 'data-plan="women"' in tiles and "共 3 项" in tiles and "◇ 定性指标" in tiles
    assert 'data-status="not_assessable" data-count="1" style="border-left-color:#CC79A7"' in tiles
    alerts = apps.alerts_html(table.iloc[0:0], "en")
    assert "No binding indicator is at risk or off track." in alerts


# --- the explorer's content -----------------------------------------------------------------------

def test_explorer_view_shows_target_projection_and_demo_label(model):
    view = apps.explorer_view(model, "W03", "auto", 2023, "zh")
    assert view.demo
    assert view.spec["title"]["text"] == "孕产妇死亡率（1/10万）"
    assert "示例数据（非官方统计）" in view.spec["title"]["subtitle"]
    rows = model.assessment(2023)
    status = rows[(rows[S.REGION] == "石柱县") & (rows[S.INDICATOR_ID] == "W03")]["status"].item()
    assert f">{i18n.status_label(status, 'zh')}</span>" in view.info  # the assessment's own status
    kinds = view.data["类型"].value_counts()
    assert kinds["观测值"] == 5 and kinds["预测值"] == 7  # 2024..2030
    assert set(view.data["地区"]) == {"石柱县", "全国"}


def test_explorer_marks_observations_after_the_as_of_year(model):
    observed = apps.explorer_observations(model.observations, "W03", 2021)
    assert observed[observed["later"]][S.YEAR].tolist() == [2022, 2023]


def test_explorer_observations_without_text_columns_keep_them_text():
    """A researcher's frame without ``source`` or ``confirmation`` (only the required columns):
    the missing columns come back as text, so the chart's series and the export fill them with ""
    without the float-NaN fill that pandas 4 refuses."""
    import warnings

    obs = pd.DataFrame({S.INDICATOR_ID: ["C21"] * 3, S.REGION: ["石柱县", "石柱县", "全国"],
                        S.YEAR: [2021, 2022, 2022], S.VALUE: [97.0, 97.5, 95.7]})
    observed = apps.explorer_observations(obs, "C21", 2022)
    assert observed[S.CONFIRMATION].dtype == object and observed[S.NUMERATOR].dtype == "float64"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        series = charts.series_frame(observed, "zh", "石柱县")
    assert series["series"].tolist() == ["石柱县（观测值）", "石柱县（观测值）", "全国"]


@pytest.mark.slow
def test_explorer_chart_renders_png_and_svg_offline(model):
    view = apps.explorer_view(model, "C21", "linear", 2023, "en")
    assert charts.render(view.spec, "svg").startswith(b"<svg")
    assert charts.render(view.spec, "png")[:8] == b"\x89PNG\r\n\x1a\n"




def test_report_zips_are_kept_apart_by_region_key_never_by_name(tmp_path, monkeypatch):
    """Each region's report is made once and named by its key: a name holding ``/`` or ``..``
    stays inside the build folder."""
    from planlib.config import region_key

    made = []

    def fake_report(target, year, lang, db, region=None):
        made.append((target, region))
        target.write_bytes(f"{region}".encode())

    monkeypatch.setattr(downloads, "_make_report", fake_report)
    monkeypatch.setattr(downloads, "build_dir", lambda db: tmp_path)
    odd = "../示例县/x"
    assert downloads.report_zip("v1", 2024, "zh", None, odd) == odd.encode()
    assert downloads.report_zip("v1", 2024, "zh", None, odd) == odd.encode()  # found, not made again
    assert downloads.report_zip("v1", 2024, "zh", None, None) == b"None"
    (target, region), (home, _) = made
    assert region == odd and target.parent == home.parent == tmp_path / downloads.REPORTS
    assert target.name == f"annual-2024-zh-{region_key(odd)}-v1.zip" and home.name == "annual-2024-zh-v1.zip"
