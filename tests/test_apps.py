"""The apps: the model layer, the pure table functions, and the widget classes driven from Python."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from planlib import apps, charts, i18n
from planlib import schema as S

CATALOG = pd.read_csv(io.StringIO("""\
indicator_id,plan,number,domain_zh,domain_en,name_zh,name_en,unit,target_text,target_year,attribute,responsible_units,reference_indicator
W03,women,3,妇女与健康,Health,孕产妇死亡率（1/10万）,Maternal mortality ratio (per 100000),1/10万,< 8,2030,binding,县卫生健康委,
W04,women,4,妇女与健康,Health,孕产妇系统管理率（%）,Systematic management rate (%),%,≥ 92,2030,expected,县卫生健康委;县妇联,
W30,women,30,妇女参与决策管理,Decision-making,女性比例（%）,Share of women (%),%,保持合理比例,2030,expected,县委组织部,
C21,children,21,儿童与教育,Education,九年义务教育巩固率（%）,Nine-year compulsory education retention (%),%,≥ 96,2030,binding,县教委,
"""), keep_default_na=False)

OBSERVATIONS = pd.read_csv(io.StringIO("""\
indicator_id,region,year,value,numerator,denominator,source,status,note,confirmation
W03,石柱县,2020,12.0,,,demo,estimated,,
W03,石柱县,2021,11.0,,,demo,estimated,,
W03,石柱县,2022,10.5,,,demo,estimated,,
W03,石柱县,2023,10.0,,,demo,estimated,,
W03,全国,2022,15.7,,,NHC statistical bulletin,reported,,confirmed
W04,石柱县,2020,91.5,,,石柱县妇女发展规划·发展基础,reported,,
W04,石柱县,2021,92.5,,,demo,estimated,,
W04,石柱县,2022,93.5,,,demo,estimated,,
W04,石柱县,2023,94.0,,,demo,estimated,,
W30,石柱县,2023,40.0,,,demo,estimated,,
C21,石柱县,2020,95.0,,,demo,estimated,,
C21,石柱县,2021,94.0,,,demo,estimated,,
C21,石柱县,2022,93.0,,,demo,estimated,,
C21,石柱县,2023,92.5,,,demo,estimated,,
"""), keep_default_na=False, na_values={"value": [""], "numerator": [""], "denominator": [""]})


@pytest.fixture(scope="module")
def model():
    return apps.Model(CATALOG, OBSERVATIONS)


@pytest.fixture(scope="module")
def table(model):
    return model.table(2023)


# --- the model layer -------------------------------------------------------------------------------

def test_data_version_follows_the_data():
    changed = OBSERVATIONS.assign(value=OBSERVATIONS["value"] + 1)
    assert apps.data_version(CATALOG, OBSERVATIONS) == apps.data_version(CATALOG.copy(), OBSERVATIONS.copy())
    assert apps.data_version(CATALOG, OBSERVATIONS) != apps.data_version(CATALOG, changed)


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
    series = apps.indicator_series(OBSERVATIONS, "W03", 2022, 2030)
    assert series[S.YEAR].tolist() == [2020, 2021, 2022]
    assert series[S.VALUE].tolist() == [12.0, 11.0, 10.5]


# --- the tables ------------------------------------------------------------------------------------

def test_overview_table_is_one_county_row_per_indicator(table):
    assert table[S.INDICATOR_ID].tolist() == ["W03", "W04", "W30", "C21"]
    assert table["domain"].tolist() == ["健康", "健康", "决策管理", "教育"]
    assert table.set_index(S.INDICATOR_ID).loc["W30", "status"] == S.NOT_ASSESSABLE
    assert table[apps.DEMO].all()
    assert table.set_index(S.INDICATOR_ID).loc["W04", "latest_value"] == 94.0


def test_filters(table):
    f = apps.filter_table
    assert f(table, apps.TableFilters(plan="children"))[S.INDICATOR_ID].tolist() == ["C21"]
    assert f(table, apps.TableFilters(binding_only=True))[S.INDICATOR_ID].tolist() == ["W03", "C21"]
    assert f(table, apps.TableFilters(unit="县妇联"))[S.INDICATOR_ID].tolist() == ["W04"]
    assert f(table, apps.TableFilters(domain="健康", plan="women"))[S.INDICATOR_ID].tolist() == ["W03", "W04"]
    assert f(table, apps.TableFilters(status=S.NOT_ASSESSABLE))[S.INDICATOR_ID].tolist() == ["W30"]


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
    back = pd.read_csv(io.BytesIO(apps.csv_bytes(export)), encoding="utf-8-sig")
    assert back["编号"].tolist() == ["W03", "W04", "W30", "C21"]
    sheet = pd.read_excel(io.BytesIO(apps.xlsx_bytes(export, "全部指标")), sheet_name="全部指标")
    assert sheet["最新值"].tolist() == export["最新值"].tolist()


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
    assert "⚠" in view.info or "✔" in view.info or "✖" in view.info or "↗" in view.info
    kinds = view.data["类型"].value_counts()
    assert kinds["观测值"] == 5 and kinds["预测值"] == 7  # 2024..2030
    assert set(view.data["地区"]) == {"石柱县", "全国"}


def test_explorer_marks_observations_after_the_as_of_year(model):
    observed = apps.explorer_observations(model.observations, "W03", 2021)
    assert observed[observed["later"]][S.YEAR].tolist() == [2022, 2023]


@pytest.mark.slow
def test_explorer_chart_renders_png_and_svg_offline(model):
    view = apps.explorer_view(model, "C21", "linear", 2023, "en")
    assert charts.render(view.spec, "svg").startswith(b"<svg")
    assert charts.render(view.spec, "png")[:8] == b"\x89PNG\r\n\x1a\n"


def test_download_button_answers_a_request():
    calls = []
    button = apps.DownloadButton(lambda: calls.append(1) or b"x,y\n", "t.csv", "CSV")
    assert button.mime == "text/csv" and button.ready == 0 and not calls
    button.request += 1
    assert button.ready == 1 and calls == [1]
    assert button.payload == ""  # sent, then cleared from the widget state


# --- the widget classes, driven from Python ---------------------------------------------------------

@pytest.fixture(scope="module")
def dashboard(model):
    return apps.Dashboard(model)


@pytest.mark.slow
def test_dashboard_starts_on_the_latest_year_with_every_indicator(dashboard):
    assert dashboard.as_of.value == 2023
    assert [r["id"] for r in dashboard.table.rows] == ["W03", "W04", "W30", "C21"]
    assert "示例数据（非官方统计）" in dashboard.banner.value
    assert dashboard.count.value == "显示 4 / 4 项指标"
    report_button = dashboard.downloads[2]
    assert report_button.filename == "年度监测报告-2023.zip" and "监测报告" in report_button.label
    assert "<svg" in dashboard.overview_chart.value
    assert dashboard.explorer.indicator.value in ("W03", "C21")  # a binding indicator in trouble, if any
    assert "title" not in dashboard.explorer.chart.spec  # hidden: its chart is not drawn yet
    dashboard.table._handle_custom_msg({"event": "drawn"}, [])  # the table is on screen
    assert dashboard.explorer.chart.spec["title"]["text"] == dashboard.model.indicator(
        dashboard.explorer.indicator.value)[S.NAME_ZH]


@pytest.mark.slow
def test_dashboard_filters_and_sorting_redraw_the_table(dashboard):
    dashboard.plan.value = "children"
    assert [r["id"] for r in dashboard.table.rows] == ["C21"]
    dashboard.plan.value = ""
    dashboard.binding.value = True
    assert [r["id"] for r in dashboard.table.rows] == ["W03", "C21"]
    dashboard.binding.value = False
    dashboard.table.sort_key = "latest"
    dashboard.table.sort_desc = True
    assert [r["id"] for r in dashboard.table.rows] == ["W04", "C21", "W30", "W03"]
    dashboard.table.sort_key, dashboard.table.sort_desc = "id", False
    assert dashboard.count.value == "显示 4 / 4 项指标"


@pytest.mark.slow
def test_selecting_a_row_opens_the_explorer(dashboard):
    dashboard.table.selected = "W04"
    dashboard.table.select_count += 1
    assert dashboard.view.value == "explorer"
    assert dashboard.explorer.indicator.value == "W04"
    assert dashboard.explorer.chart.spec["title"]["text"] == "孕产妇系统管理率（%）"
    assert dashboard.overview.layout.display == "none" and dashboard.explorer.ui.layout.display is None
    dashboard.view.value = "overview"
    assert dashboard.explorer.ui.layout.display == "none"


@pytest.mark.slow
def test_language_toggle_translates_everything(dashboard):
    dashboard.lang.value = "en"
    try:
        assert "Shizhu County" in dashboard.title.value
        assert dashboard.table.columns[1]["label"] == "Indicator"
        assert dashboard.plan.options[1] == ("Women's Development Plan", "women")
        assert dashboard.explorer.lang.value == "en"
        assert dashboard.explorer.method.options[0] == ("Automatic", "auto")
        dashboard.view.value = "explorer"
        assert dashboard.explorer.chart.spec["title"]["text"] == dashboard.model.indicator(
            dashboard.explorer.indicator.value)[S.NAME_EN]
        dashboard.view.value = "overview"
        assert "Illustrative data (not official statistics)" in dashboard.banner.value
    finally:
        dashboard.lang.value = "zh"
    assert dashboard.table.columns[1]["label"] == "指标"


@pytest.mark.slow
def test_explorer_method_and_as_of_change_the_chart(model):
    explorer = apps.Explorer(model, "C21")
    assert explorer.banner.layout.display is None  # standalone: its own demo banner
    explorer.method.value = "linear"
    assert "线性趋势" in explorer.chart.spec["title"]["subtitle"][1]
    explorer.as_of.value = 2021
    assert explorer.downloads[0].filename == "C21-2021-linear.png"
    years = [r["年份"] for _, r in explorer._view.data.iterrows() if r["类型"] == "拟合值"]
    assert max(years) == 2021
    explorer.downloads[2].request += 1
    assert explorer.downloads[2].ready == 1


@pytest.mark.slow
def test_real_catalogue_and_shipped_data(tmp_path):
    model = apps.load_model(db=str(tmp_path / "none.sqlite"))
    assert apps.load_model(db=str(tmp_path / "none.sqlite")) is model
    table = model.table(model.latest_year)
    assert len(table) == 90
    assert table[S.PLAN].value_counts().to_dict() == {"women": 50, "children": 40}
    assert set(table["status"]) <= set(S.STATUS_CODES)
    counts = apps.status_counts(table)
    assert counts.groupby(S.PLAN)["n"].sum().to_dict() == {"children": 40, "women": 50}


@pytest.mark.slow
def test_dashboard_offers_the_years_report(tmp_path):
    """The third download button of the dashboard: the annual report of the as-of year, zipped."""
    import zipfile

    data = apps.report_zip(2024, "zh", db=tmp_path / "no-store-yet.sqlite")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["data.xlsx", "report.docx", "report.html"]
        page = archive.read("report.html").decode("utf-8")
    assert "2024" in page and "示例数据（非官方统计）" in page and "C02" in page
