"""The city view: members side by side, each against its own target; its sheet, report and demo county."""

from __future__ import annotations

import hashlib
import io
import json

import openpyxl
import pandas as pd
import pytest

from planlib import city, config, demo, i18n
from planlib import schema as S
from planlib.catalog import load_catalog
from planlib.observations import read_observations_file, validate_observations
from planlib.report import city as RC

from .app_fixtures import CITY_CATALOG, city_catalogs, city_observations
from .test_english import allowed_texts, leaks

A, B = config.COUNTY, config.DEMO_COUNTY  # 石柱县, 示例县
CATALOG = CITY_CATALOG


def _catalogs() -> dict[str, pd.DataFrame]:
    return city_catalogs()


def _observations() -> pd.DataFrame:
    return city_observations()


@pytest.fixture(scope="module")
def view() -> city.CityView:
    catalogs, obs = _catalogs(), _observations()
    rows = city.assess_members(catalogs, obs, as_of=2024)
    return city.city_view(rows, catalogs, [A, B], obs, as_of=2024)


def test_each_member_is_assessed_against_its_own_target(view):
    c21 = view.cells[view.cells.indicator_id == "C21"].set_index(S.REGION)
    assert c21.loc[A, S.TARGET_TEXT] == "≥ 96" and c21.loc[B, S.TARGET_TEXT] == "≥ 98"
    assert c21.loc[A, S.LATEST_VALUE] == c21.loc[B, S.LATEST_VALUE] == 97.0
    assert c21.loc[A, S.ASSESSMENT_STATUS] == S.ACHIEVED
    assert c21.loc[B, S.ASSESSMENT_STATUS] in city.BEHIND
    grid = city.grid_frame(view).set_index("指标代码")
    assert grid.loc["C21", "石柱县 目标"] == "≥ 96" and grid.loc["C21", "示例县（演示） 目标"] == "≥ 98"
    assert grid.loc["C21", "石柱县 状态"] == i18n.status_label(S.ACHIEVED)
    assert grid.loc["C21", "示例县（演示） 状态"] == i18n.status_label(c21.loc[B, S.ASSESSMENT_STATUS])


def test_binding_targets_behind_lists_only_the_member_whose_own_target_is_missed(view):
    assert view.behind[[S.INDICATOR_ID, S.REGION]].values.tolist() == [["C21", B]]
    assert city.behind_frame(view, "en")["Member region"].tolist() == ["Example County (demo)"]


def test_ranking_by_margin_over_each_members_own_target(view):
    rank = view.ranking.set_index([S.INDICATOR_ID, S.REGION])
    assert rank.loc[("C21", A), city.MARGIN] == pytest.approx(1.0)   # 97 - 96
    assert rank.loc[("C21", B), city.MARGIN] == pytest.approx(-1.0)  # 97 - 98
    assert view.ranking[view.ranking.indicator_id == "C21"][S.REGION].tolist() == [A, B]
    assert rank.loc[("C21", A), city.RANK] == 1 and rank.loc[("C21", B), city.RANK] == 2
    # equal values against an equal target share the rank; a directional target is not ranked
    assert rank.loc[("W02", A), city.MARGIN] == pytest.approx(-1.3)
    assert rank.loc[("W02", A), city.RANK] == rank.loc[("W02", B), city.RANK] == 1
    assert rank.loc[("W01", A), city.RANK] is pd.NA
    assert city.ranking_frame(view, "en").set_index(["Indicator", "Member region"]).loc[
        ("W01", "Shizhu County"), "Rank"] == "not ranked"


def test_ranking_order_puts_the_smaller_shortfall_first():
    cat = pd.read_csv(io.StringIO(CATALOG), keep_default_na=False)
    cats = {"甲县": cat.assign(target_text="< 8"), "乙县": cat.assign(target_text="< 10"), "丙县": cat}
    rows = pd.DataFrame({S.INDICATOR_ID: ["C21"] * 3, S.REGION: ["甲县", "乙县", "丙县"],
                         S.ASSESSMENT_STATUS: [S.OFF_TRACK, S.ON_TRACK, S.ACHIEVED],
                         S.LATEST_YEAR: [2024] * 3, S.LATEST_VALUE: [9.0, 9.0, 97.5]})
    v = city.city_view(rows, cats, ["甲县", "乙县", "丙县"], rows.iloc[:0].assign(**{S.YEAR: [], S.VALUE: []}))
    c21 = v.ranking[v.ranking.indicator_id == "C21"]
    assert c21[[S.REGION, city.MARGIN, city.RANK]].values.tolist() == [["丙县", 1.5, 1], ["乙县", 1.0, 2],
                                                                        ["甲县", -1.0, 3]]


def test_the_reference_columns_carry_the_latest_value_up_to_the_year_and_its_source(view):
    grid = city.grid_frame(view).set_index("指标代码")
    assert grid.loc["C21", "重庆市 最新值"] == 96.1 and grid.loc["C21", "重庆市 年份"] == 2022
    assert grid.loc["C21", "重庆市 来源"] == "重庆市教委"
    assert grid.loc["C21", "全国 最新值"] == 95.7 and grid.loc["C21", "全国 来源"] == "教育部统计公报"
    assert pd.isna(grid.loc["W02", "重庆市 来源"]) and pd.isna(grid.loc["W02", "重庆市 最新值"])


def test_a_member_without_the_indicator_reads_not_in_this_plan():
    cats = _catalogs()
    cats[B] = cats[B][cats[B].indicator_id != "W02"]
    obs = _observations()
    v = city.city_view(city.assess_members(cats, obs, as_of=2024), cats, [A, B], obs)
    grid = city.grid_frame(v, "en").set_index("Indicator")
    assert grid.loc["W02", "Example County (demo) target"] == "not in this plan"
    assert grid.loc["W02", "Shizhu County target"] == "≥82.3"


def _report(view, lang="zh") -> RC.CityReport:
    return RC.CityReport(view, 2024, lang, "2025-03-01")


def test_the_city_sheet_cells(view):
    book = openpyxl.load_workbook(io.BytesIO(RC.render_city_xlsx(_report(view))))
    assert book.sheetnames == ["区县对比", "约束性指标滞后", "区县排名", "状态含义"]
    meanings = list(book["状态含义"].iter_rows(values_only=True))  # the rules, not data: no demo row
    assert meanings[0] == ("状态", "含义") and meanings[3] == ("存在风险", "达标概率不低于25%、低于75%")
    sheet = book["区县对比"]
    assert sheet["A1"].value == S.DEMO_LABEL_ZH  # 示例县's values are demo
    header = [c.value for c in sheet[2]]
    rows = {r[0]: dict(zip(header, r)) for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["C21"]["石柱县 目标"] == "≥ 96" and rows["C21"]["示例县（演示） 目标"] == "≥ 98"
    assert rows["C21"]["石柱县 最新值"] == 97.0
    assert rows["C21"]["重庆市 最新值"] == 96.1 and rows["C21"]["重庆市 来源"] == "重庆市教委"
    assert rows["C21"]["全国 年份"] == 2023
    behind = list(book["约束性指标滞后"].iter_rows(min_row=3, values_only=True))
    assert [(r[0], r[2]) for r in behind] == [("C21", "示例县（演示）")]


def test_no_demo_label_when_no_member_value_is_demo():
    catalogs, obs = _catalogs(), _observations()
    obs = obs.assign(source=obs.source.replace(S.DEMO_SOURCE, "县统计局"))
    v = city.city_view(city.assess_members(catalogs, obs, as_of=2024), catalogs, [A, B], obs)
    sheet = openpyxl.load_workbook(io.BytesIO(RC.render_city_xlsx(_report(v))))["区县对比"]
    assert sheet["A1"].value == "指标代码"
    html = RC.render_city_html(_report(v))
    assert 'class="demo-banner"' not in html and S.DEMO_LABEL_ZH not in html


def test_the_city_report_html_holds_both_members_and_escapes(view):
    html = RC.render_city_html(_report(view))
    assert "石柱县 目标" in html and "示例县（演示） 目标" in html and "重庆市 来源" in html
    assert 'class="demo-banner"' in html and "<script" not in html
    hostile = city.CityView(**{**view.__dict__, "indicators": view.indicators.assign(
        name_zh="<img src=x onerror=alert(1)>")})
    text = RC.render_city_html(_report(hostile))
    assert "<img" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text


def test_the_english_city_report_has_no_chinese_but_the_data(view):
    html = RC.render_city_html(_report(view, "en"))
    assert "Example County (demo) target" in html and "Chongqing source" in html
    allowed = allowed_texts(pd.concat(_catalogs().values()), _observations())
    assert leaks(html, allowed) == []


def test_write_city_report_writes_the_three_files(view, tmp_path):
    paths = RC.write_city_report(_report(view), tmp_path / "city")
    assert sorted(p.name for p in paths) == ["city.docx", "city.html", "city.xlsx"]
    assert all(p.stat().st_size > 1000 for p in paths)


def test_the_city_word_draft_holds_both_members_own_targets(view):
    import docx

    doc = docx.Document(io.BytesIO(RC.render_city_docx(_report(view))))
    grid = doc.tables[0]
    header = [c.text for c in grid.rows[0].cells]
    c21 = next(dict(zip(header, (c.text for c in r.cells))) for r in grid.rows[1:] if r.cells[0].text == "C21")
    assert c21["石柱县 目标"] == "≥ 96" and c21["示例县（演示） 目标"] == "≥ 98"
    assert c21["重庆市 最新值"] == "96.1" and c21["重庆市 来源"] == "重庆市教委"
    assert doc.sections[0].header.paragraphs[0].text == S.DEMO_LABEL_ZH


# --- the second, invented county ------------------------------------------------------------------

def test_the_demo_county_files_are_labelled_demo_and_load():
    region, title, cat_path, obs_path = demo.demo_county()
    assert region == "示例县" and "演示" in title and "示例" in title
    assert i18n.region_label(region) == "示例县（演示）" and "demo" in i18n.region_label(region, "en")
    catalog = load_catalog(cat_path)
    raw = pd.read_csv(obs_path, dtype=str, keep_default_na=False)
    validate_observations(raw, catalog, file=obs_path.name)
    obs = read_observations_file(obs_path, catalog=catalog)
    assert set(obs[S.REGION]) == {region} and set(obs[S.SOURCE]) == {S.DEMO_SOURCE}
    assert set(obs[S.NOTE]) == {S.DEMO_LABEL_ZH} and len(obs) == 900
    targets = catalog.set_index(S.INDICATOR_ID)
    shizhu = load_catalog().set_index(S.INDICATOR_ID)
    assert (targets.loc["C21", S.TARGET_TEXT], shizhu.loc["C21", S.TARGET_TEXT]) == ("≥ 98", "≥ 96")
    changed = targets.index[(targets[S.TARGET_TEXT] != shizhu[S.TARGET_TEXT])
                            | (targets[S.TARGET_YEAR] != shizhu[S.TARGET_YEAR])]
    assert sorted(changed) == sorted(demo.DEMO_COUNTY_CHANGES)


def test_the_demo_county_registers_as_a_plan_and_its_values_import(tmp_path):
    from planlib import intake, plans
    from planlib.apps.build import city_inputs
    from planlib.observations import load_observations

    db = tmp_path / "monitoring.sqlite"
    region, title, cat_path, obs_path = demo.demo_county()
    plans.add_plan(region, cat_path, title=title, db=db)
    assert region in plans.known_regions(db) and plans.list_plans(db)["title"].tolist().count(title) == 1
    result = intake.import_files([obs_path], db=db)
    assert result.ok and result.files[0].counts.n_new == 900
    inputs = city_inputs(db, load_observations(db=db))
    assert list(inputs.catalogs) == [A, B]
    assert inputs.catalogs[B].set_index(S.INDICATOR_ID).loc["C21", S.TARGET_TEXT] == "≥ 98"
    assert city_inputs(tmp_path / "other.sqlite", load_observations(db=db)) is None  # one plan: no city view


def test_the_shipped_demo_county_files_are_what_the_generator_makes(tmp_path):
    cat, obs = demo.write_demo_county(tmp_path / "c.csv", tmp_path / "o.csv")
    assert cat.read_bytes() == config.DEMO_COUNTY_CATALOG_PATH.read_bytes()
    assert obs.read_bytes() == config.DEMO_COUNTY_OBSERVATIONS_PATH.read_bytes()


def test_the_first_demo_file_is_unchanged(tmp_path):
    # the sha256 of data/demo_observations.csv before the generator took a region and a seed
    digest = "fcb0e48ded0bb92e2d60d3aa9ec0063564f5413267ce66bff092bda0b22a1f74"
    assert hashlib.sha256(config.DEMO_PATH.read_bytes()).hexdigest() == digest
    assert demo.write_demo(tmp_path / "d.csv").read_bytes() == config.DEMO_PATH.read_bytes()


def test_the_shipped_city_shows_both_counties_with_chongqing_and_china():
    from planlib.observations import load_shipped_observations

    catalogs = {A: load_catalog(), B: load_catalog(config.DEMO_COUNTY_CATALOG_PATH)}
    obs = pd.concat([load_shipped_observations(catalogs[A]),
                     read_observations_file(config.DEMO_COUNTY_OBSERVATIONS_PATH, catalog=catalogs[B])])
    report = RC.prepare_city(catalogs, obs, [A, B], 2024)
    grid = city.grid_frame(report.view).set_index("指标代码")
    assert len(grid) == 90
    assert grid.loc["C21", "石柱县 目标"] == "≥ 96" and grid.loc["C21", "示例县（演示） 目标"] == "≥ 98"
    assert grid.loc["C02", "重庆市 最新值"] == 2.62 and grid.loc["C02", "重庆市 年份"] == 2022
    assert grid.loc["C02", "全国 最新值"] == 4.0
    assert report.view.demo


# --- the dashboard's city view (precomputed in the build) ---------------------------------------

# city_edition: the session's two-plan build (tests/conftest.py, tests/app_fixtures.write_city_build)


@pytest.mark.slow
def test_the_build_holds_the_city_view_of_every_year_and_language(city_edition):
    assert city_edition.city_members == [A, B]
    page = city_edition.city_page(2024, "zh")
    assert page["demo"] and "石柱县 目标" in page["html"] and "示例县（演示） 目标" in page["html"]
    assert "重庆市 来源" in page["html"] and "全国 最新值" in page["html"]
    assert "Example County (demo) target" in city_edition.city_page(2020, "en")["html"]
    book = openpyxl.load_workbook(io.BytesIO(city_edition.city_xlsx(2024, "en")))
    assert book.sheetnames == ["City view", "Binding behind", "Ranking", "Statuses"]
    assert "各状态的含义" in page["html"] and "达标概率不低于25%、低于75%" in page["html"]
    assert book["City view"]["A1"].value == S.DEMO_LABEL_EN


@pytest.mark.slow
def test_the_dashboard_shows_the_city_view(city_edition):
    from planlib.apps.dashboard import Dashboard

    dash = Dashboard(city_edition)
    assert [v for _, v in dash.view.options] == ["overview", "city", "explorer"]
    dash.view.value = "city"
    assert dash.city.layout.display is None and dash.overview.layout.display == "none"
    assert "示例县（演示）" in dash.city_html.value
    # 石柱县's values here are not demo, so the page has no banner and the city view carries the label
    assert dash.banner.layout.display == "none" and S.DEMO_LABEL_ZH in dash.city_html.value
    assert openpyxl.load_workbook(io.BytesIO(dash._city_xlsx())).sheetnames[0] == "区县对比"
    dash.lang.value = "en"
    assert "Example County (demo)" in dash.city_html.value


@pytest.mark.slow
def test_the_dashboard_shows_each_regions_plan_against_its_own_targets(city_edition):
    """The region picker: 示例县's page, table, explorer and report are of 示例县's own plan."""
    from planlib.apps.dashboard import Dashboard
    from planlib.assessment import assess

    assert city_edition.regions == [A, B] and city_edition.years_of(B) == [2020, 2021, 2022, 2023, 2024]
    dash = Dashboard(city_edition)
    assert dash.region.layout.display is None  # two plans: the picker is shown
    assert [v for _, v in dash.region.options] == [A, B] and dash.region.value == A
    status = {r["id"]: r["status"] for r in dash.table.rows}
    dash.region.value = B
    assert dash.title.value == "<h1>示例县（演示）：示例县规划（演示）（监测）</h1>"
    assert S.DEMO_LABEL_ZH in dash.banner.value and dash.banner.layout.display is None  # 示例县's data are demo
    c21 = {r["id"]: r for r in dash.table.rows}["C21"]
    assert c21["target"] == "≥ 98"  # 示例县's target, not 石柱县's ≥ 96
    expected = assess(_catalogs()[B], _observations().query("region != @A"), as_of=2024).query("region == @B")
    assert {r["id"]: r["status"] for r in dash.table.rows} == dict(zip(expected.indicator_id, expected.status))
    assert status["C21"] == S.ACHIEVED and c21["status"] != S.ACHIEVED
    # the explorer follows: 示例县's chart, its series named after 示例县
    assert dash.explorer.region == B
    dash.explorer.show("C21")
    dash.explorer.draw_chart()
    assert "示例县（演示）（观测值）" in json.dumps(dash.explorer.chart.spec, ensure_ascii=False)
    assert "≥ 98" in json.dumps(dash.explorer.chart.spec, ensure_ascii=False)
    # the download is the shown region's table, and the report asks for the shown region
    rows = dash._export()["rows"]
    assert any("≥ 98" in map(str, r) for r in rows)
    dash.region.value = A
    assert {r["id"]: r["status"] for r in dash.table.rows} == status and dash.explorer.region == A
    dash.lang.value = "en"
    assert [label for label, _ in dash.region.options] == ["Shizhu County", "Example County (demo)"]


@pytest.mark.slow
def test_a_build_of_one_member_has_no_city_view(small_edition):
    from planlib.apps.dashboard import Dashboard

    assert small_edition.city_members == [] and small_edition.city_page(2024, "zh") is None
    dash = Dashboard(small_edition)
    assert "city" not in [v for _, v in dash.view.options]
    assert small_edition.regions == [A] and dash.region.layout.display == "none"  # one plan: no picker


def test_the_demo_county_registers_once_and_report_city_writes_both_members(tmp_path, capsys):
    """The registration ``planlib setup`` makes (demo.register_demo_county; the wheel test runs
    setup itself) and ``planlib report --city``."""
    from planlib import cli, plans

    db = tmp_path / "monitoring.sqlite"
    assert cli.main(["report", "--city", "--year", "2024", "--output", str(tmp_path / "none"),
                     "--db", str(db), "--lang", "en"]) == 2
    assert "needs the plans of two or more member regions" in capsys.readouterr().err
    assert demo.register_demo_county(db) and not demo.register_demo_county(db)
    assert plans.plan_regions(db) == (A, B)
    out = tmp_path / "city"
    assert cli.main(["report", "--city", "--year", "2024", "--output", str(out), "--db", str(db)]) == 0
    assert capsys.readouterr().out.split() == [str(out / n) for n in ("city.html", "city.docx", "city.xlsx")]
    html = (out / "city.html").read_text(encoding="utf-8")
    for name in (A, B, config.PARENT_CITY, S.DEMO_LABEL_ZH):
        assert name in html, name
    assert cli.main(["report", "--city", "--region", B, "--year", "2024", "--output", str(out),
                     "--db", str(db)]) == 2


def test_the_demo_county_can_be_unregistered_its_values_kept(tmp_path, capsys):
    """A county that does not want the invented member removes it; nothing is deleted."""
    from planlib import cli, plans, store

    db = tmp_path / "monitoring.sqlite"
    demo.register_demo_county(db)
    n_values = len(store.read_observations(db))
    assert cli.main(["plan", "remove", "--region", B, "--db", str(db), "--lang", "en"]) == 0
    assert "values stay in the monitoring store" in capsys.readouterr().out
    assert plans.plan_regions(db) == (A,) and B not in plans.known_regions(db)
    assert len(store.read_observations(db)) == n_values
    assert cli.main(["plan", "remove", "--region", B, "--db", str(db), "--lang", "en"]) == 2
    assert "no registered plan for 示例县" in capsys.readouterr().err


def test_years_in_the_city_view_are_printed_as_years():
    """A member without data for an indicator leaves its year missing; the others' years stay
    whole numbers (2024, never 2,024) in the tables, HTML and the workbook alike."""
    catalogs, obs = _catalogs(), _observations()
    obs = obs[~((obs[S.REGION] == B) & (obs[S.INDICATOR_ID] == "W02"))]  # 示例县 has no W02
    report = RC.prepare_city(catalogs, obs, [A, B], 2024)
    ranking = city.ranking_frame(report.view)
    assert str(ranking["最新年份"].dtype) == "Int64" and 2024 in ranking["最新年份"].tolist()
    html_text = RC.render_city_fragment(report)
    assert "2,024" not in html_text and ">2024<" in html_text
