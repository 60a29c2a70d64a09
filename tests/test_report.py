"""The annual, mid-term and final reports: content, the three files, marking, atomic output.

Fast tests use a few real catalogue rows and observations written inline; the tests marked
``slow`` build the full report on the shipped data once per module and check the files.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import subprocess
import zipfile

import docx
import openpyxl
import pandas as pd
import pytest
import vl_convert

from planlib import charts, report
from planlib.report import charts as report_charts
from planlib.report import docx as report_docx
from planlib.report import tables as report_tables
from planlib import schema as S
from planlib.catalog import indicators_of_unit, load_catalog, units_of
from planlib.cli import main
from planlib.errors import PlanlibError
from planlib.report import History, ReportOptions, prepare
from planlib.report.charts import ChartOptions

from .conftest import BACKENDS
from .report_fixtures import DEMO, observations, small_catalog


@pytest.fixture(scope="module")
def catalog():
    return small_catalog()


@pytest.fixture(scope="module")
def small(catalog):
    """The annual report 2024 on five indicators (no store history)."""
    return prepare(ReportOptions(2024), catalog, observations())


# --- content --------------------------------------------------------------------------------------

def test_indicator_table_values(small):
    table = small.table.set_index(S.INDICATOR_ID)
    assert list(small.table[S.INDICATOR_ID]) == ["W01", "W03", "W11", "W13", "C02"]
    assert table.loc["W03", report_tables.BASELINE] == 8.5
    assert table.loc["W03", report_tables.LATEST_VALUE] == 6.5
    assert table.loc["W03", report_tables.CHANGE] == pytest.approx(-2.0)
    assert table.loc["C02", report_tables.BASELINE] == 1.5  # the plan's figure, not demo
    assert table.loc["W11", report_tables.LATEST_YEAR] == 2023
    assert not table.loc["W11", report_tables.HAS_YEAR] and table.loc["W03", report_tables.HAS_YEAR]
    assert table.loc["W13", report_tables.STATUS] == S.NOT_ASSESSABLE  # 保持合理比例
    assert table[report_tables.STATUS].to_dict() == {
        "W01": S.AT_RISK, "W03": S.ACHIEVED, "W11": S.ACHIEVED, "W13": S.NOT_ASSESSABLE, "C02": S.AT_RISK}
    assert table.loc["W03", report_tables.BINDING] and not table.loc["W01", report_tables.BINDING]
    assert small.demo


def test_projection_reaches_the_target_year(small):
    frame = small.projections["W01"]
    assert frame[S.YEAR].max() == 2030 and frame[S.IS_PROJECTION].any()
    assert (frame[S.UPPER_95] <= 100).all()  # a percentage stays below 100
    assert small.projections["W13"].empty  # 保持合理比例: nothing to project to


def test_later_years_do_not_leak_in(catalog):
    later = observations("indicator_id,region,year,value,source\nW03,石柱县,2025,99.0,demo\n")
    extra = pd.concat([observations(), later], ignore_index=True)
    data = prepare(ReportOptions(2024), catalog, extra)
    assert data.table.set_index(S.INDICATOR_ID).loc["W03", report_tables.LATEST_VALUE] == 6.5
    assert data.observations[S.YEAR].max() == 2024


def test_previous_report_from_the_vintage(catalog):
    # Last year's report saw W03 far above the target; since then the values were corrected.
    vintage = observations().assign(value=lambda f: f[S.VALUE].where(f[S.INDICATOR_ID] != "W03", 30.0))
    revisions = pd.DataFrame({
        S.INDICATOR_ID: ["W03"], S.REGION: ["石柱县"], S.YEAR: [2023], "old_value": [30.0],
        "new_value": [7.0], "changed_at": ["2025-01-05T02:00:00.000000Z"], "reason": ["核对更正"]})
    data = prepare(ReportOptions(2024), catalog, observations(), History(vintage, revisions))
    assert data.vintage_used
    prev = report_tables.county_rows(data.previous).set_index(S.INDICATOR_ID)
    assert prev.loc["W03", "status"] == S.OFF_TRACK
    changes = report_tables.status_changes(data.table, data.previous).set_index(S.INDICATOR_ID)
    assert changes.loc["W03", "direction"] == "improved"
    assert data.revised[["old_value", "new_value", "reason"]].values.tolist() == [[30.0, 7.0, "核对更正"]]


def test_status_counts_and_binding_at_risk(small):
    counts = report_tables.status_counts(small.table, [S.PLAN]).set_index(S.PLAN)
    assert counts.loc["women", "total"] == 4 and counts.loc["children", "total"] == 1
    assert counts.loc["women", S.NOT_ASSESSABLE] == 1
    assert counts.loc["women", [S.AT_RISK, S.ACHIEVED, S.OFF_TRACK]].tolist() == [1, 2, 0]
    assert counts.loc["children", S.AT_RISK] == 1
    risky = report_tables.binding_at_risk(small.table)
    # W01 is at risk too but expected, W03 and W11 binding but achieved: only C02 (1.9‰ vs < 2.5).
    assert risky[[S.INDICATOR_ID, report_tables.STATUS]].values.tolist() == [["C02", S.AT_RISK]]
    assert risky[report_tables.BINDING].all()


def test_data_quality(small):
    overview = report_tables.unit_overview(small.table, small.catalog, small.units).set_index("unit")
    assert overview.loc["县教委", "no_data"] == ["W11"]  # no 2024 value
    assert overview.loc["县教委", "indicators"] == ["W11", "W13"]
    subs = pd.DataFrame({"department": ["县教委"], "reporting_year": [2024]})
    assert report_tables.missing_submissions(small.units, subs, 2024) == ["县卫生健康委"]
    demo = report_tables.demo_values(small.observations, small.table, 2024).set_index(S.INDICATOR_ID)
    assert demo.loc["C02", "n_demo"] == 5  # the 2020 plan figure is not demo


def test_unit_narrows_the_report(catalog):
    data = prepare(ReportOptions(2024, unit="县教委"), catalog, observations())
    assert list(data.table[S.INDICATOR_ID]) == ["W11", "W13"]
    assert data.units == ["县教委"]
    assert set(data.observations[S.INDICATOR_ID]) == {"W11", "W13"}


def test_unknown_unit_and_bad_year_are_refused(catalog):
    with pytest.raises(PlanlibError, match="县教育局"):
        prepare(ReportOptions(2024, unit="县教育局"), catalog, observations())
    with pytest.raises(PlanlibError, match="2019"):
        ReportOptions(2019)
    with pytest.raises(PlanlibError, match="kind"):
        ReportOptions(2024, kind="weekly")


def test_midterm_evaluation(catalog):
    data = prepare(ReportOptions(2025, "midterm"), catalog, observations())
    ev = data.evaluation.set_index(S.INDICATOR_ID)
    assert data.options.as_of_years == (2022, 2023)
    assert ev.loc["W03", "met"] is True  # 6.5 < 8
    assert ev.loc["W01", "met"] is None  # 逐年提高 cannot be decided from one value
    assert {"status_2022", "projected_2023", "within_2023"} <= set(ev.columns)
    # Made with data to 2022, the projection for 2024 lies beyond that data; W11's latest is 2023.
    # W03 made with data to 2022 projected 6.49 (95 % 5.74 to 7.33) for 2024; 6.5 came: within.
    assert ev.loc["W03", "projected_2022"] == pytest.approx(6.486, abs=0.001)
    assert (ev.loc["W03", "lower_2022"], ev.loc["W03", "upper_2022"]) == (
        pytest.approx(5.736, abs=0.001), pytest.approx(7.333, abs=0.001))
    assert ev.loc["W03", "within_2022"] is True
    assert ev.loc["W11", "within_2023"] is None  # nothing after 2023 to compare with
    assert ev.loc["C02", "met"] is True and ev.loc["C02", "status"] == S.AT_RISK
    assert ev.loc["W13", "status_2022"] == S.NOT_ASSESSABLE


def test_sections_follow_the_plans(small):
    keys = [k for k, _ in report.sections(small)]
    assert keys == ["summary", "plan:women", "plan:children", "units", "quality", "method"]
    headings = dict(report.sections(small))
    assert headings["plan:women"] == "二、妇女发展规划" and headings["plan:children"] == "三、儿童发展规划"
    assert report.title(small) == "石柱县妇女发展规划和儿童发展规划（2021—2030年）2024年度统计监测报告"


@pytest.mark.slow  # the first Altair chart of a process loads the Vega-Lite schema
def test_indicator_chart_spec(small):
    spec = report_charts.indicator_chart(small, "W03").to_dict()
    assert spec["title"]["text"] == "W03 孕产妇死亡率（1/10万）"
    assert DEMO in spec["title"]["subtitle"]
    assert (spec["width"], spec["height"]) == report_charts.CHART_SIZE
    assert report_charts.charted_ids(small) == ["W01", "W03", "W11", "W13", "C02"]


# --- fonts -------------------------------------------------------------------------------------

def _text_png(text: str) -> bytes:
    spec = {"data": {"values": [{"t": text}]}, "mark": {"type": "text", "fontSize": 40,
            "font": "Noto Sans CJK SC"}, "encoding": {"text": {"field": "t"}},
            "width": 200, "height": 60}
    return charts.render(spec, "png", scale=1)


def test_chinese_glyphs_are_drawn_not_boxes():
    fc = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True)
    assert "Noto Sans CJK SC" in fc.stdout, "install fonts-noto-cjk"
    assert charts.register_cjk_fonts()
    # Characters without a glyph all come out as the same box; real glyphs differ.
    assert _text_png("孕产妇") != _text_png("\U000F0001\U000F0002\U000F0003")
    assert _text_png("孕产妇") != _text_png("死亡率")
    svg = vl_convert.vegalite_to_svg(charts.json_safe(
        {"title": "孕产妇死亡率", "mark": "point", "config": {"font": "Noto Sans CJK SC"}}))
    assert 'font-family="Noto Sans CJK SC"' in svg and "孕产妇死亡率" in svg


# --- the three files ---------------------------------------------------------------------------

EXTERNAL = [re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I),
            re.compile(r"@import", re.I),
            re.compile(r"""url\(\s*["']?\s*(?:https?:)?//""", re.I)]


def external_references(html: str) -> list[str]:
    return [m.group(0) for pattern in EXTERNAL for m in pattern.finditer(html)]


def docx_text(doc: docx.document.Document) -> str:
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def xlsx_sheets(content: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


@pytest.mark.slow
def test_small_report_in_english(catalog):
    data = prepare(ReportOptions(2025, "midterm", lang="en"), catalog, observations())
    files = report.render(data, ChartOptions(workers=1))
    html = files[report.HTML_NAME].decode("utf-8")
    assert "1. Summary" in html and "Women&#39;s Development Plan" in html and "总体情况" not in html
    assert "Mid-term evaluation: progress since the 2020 baseline" in html
    doc = docx.Document(io.BytesIO(files[report.DOCX_NAME]))
    assert [s.header.paragraphs[0].text for s in doc.sections] == [S.DEMO_LABEL_EN]
    sheets = xlsx_sheets(files[report.XLSX_NAME])
    assert {"Summary", "Women", "Children", "Evaluation"} <= set(sheets)
    assert sheets["Women"][0][0] == S.DEMO_LABEL_EN
    assert "Status in 2022" in sheets["Evaluation"][1]


def test_no_demo_no_mark(catalog):
    real = observations().assign(source="县卫生健康委")
    data = prepare(ReportOptions(2024), catalog, real)
    assert not data.demo
    content = report_docx.render_docx(data, {})
    doc = docx.Document(io.BytesIO(content))
    assert all(DEMO not in p.text for s in doc.sections for p in s.header.paragraphs)
    assert DEMO not in docx_text(doc)


def test_docx_chinese_fonts(small):
    doc = docx.Document(io.BytesIO(report_docx.render_docx(small, {})))
    fonts = {name: doc.styles[name].element.rPr.rFonts.get(docx.oxml.ns.qn("w:eastAsia"))
             for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3")}
    assert fonts == {"Normal": "SimSun", "Title": "SimHei", "Heading 1": "SimHei", "Heading 2": "SimHei",
                     "Heading 3": "SimHei"}


# --- writing all or nothing -------------------------------------------------------------------

def test_write_files_all_or_nothing(tmp_path):
    out = tmp_path / "r"
    with pytest.raises(TypeError):
        report.write_files({"a.txt": b"1", "b.txt": None}, out)
    assert list(tmp_path.iterdir()) == []
    report.write_files({"a.txt": b"1"}, out)
    report.write_files({"a.txt": b"2", "b.txt": b"3"}, out)
    assert (out / "a.txt").read_bytes() == b"2" and sorted(p.name for p in tmp_path.iterdir()) == ["r"]


@pytest.mark.slow
def test_failure_midway_leaves_no_output(tmp_path, monkeypatch, catalog):
    monkeypatch.setattr(report, "load_inputs", lambda options, db=None: (catalog, observations(), History()))

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(report_docx, "render_docx", broken)
    with pytest.raises(RuntimeError):
        report.build_report(year=2024, output_dir=tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


# --- the full report on the shipped data (slow; built once per module) ---------------------------

def _corrected_store(target):
    """A store seeded with the shipped data, in which C02 2023 was corrected by the 卫健委."""
    from planlib import store
    from planlib.observations import ensure_store

    ensure_store(target)
    rows = pd.DataFrame({S.INDICATOR_ID: ["C02"], S.YEAR: [2023], S.VALUE: [1.7],
                         S.SOURCE: ["县卫生健康委"], S.STATUS: ["reported"], S.NOTE: ["核对后更正"]})
    store.import_observations(rows, store.SubmissionMeta("c02.xlsx", department="县卫生健康委",
                                                         reporting_year=2024), target)
    return target


@pytest.fixture(scope="module")
def store_db(tmp_path_factory):
    """:func:`_corrected_store` in a SQLite file."""
    return _corrected_store(tmp_path_factory.mktemp("store") / "monitoring.sqlite")


@pytest.fixture(scope="module")
def pg_store_db(pg_cluster):
    """:func:`_corrected_store` in a PostgreSQL database."""
    return _corrected_store(pg_cluster.url())


@pytest.fixture(params=BACKENDS)
def any_store_db(request):
    """:func:`_corrected_store` on each backend in turn."""
    return request.getfixturevalue("store_db" if request.param == "sqlite" else "pg_store_db")


@pytest.fixture(scope="module")
def full(tmp_path_factory, store_db):
    out = tmp_path_factory.mktemp("report") / "annual-2024"
    paths = report.build_report(year=2024, kind="annual", output_dir=out, db=store_db)
    return {p.name: p.read_bytes() for p in paths}


@pytest.mark.slow
def test_full_report_names_every_indicator(full):
    ids = load_catalog()[S.INDICATOR_ID].tolist()
    assert len(ids) == 90
    html = full[report.HTML_NAME].decode("utf-8")
    text = docx_text(docx.Document(io.BytesIO(full[report.DOCX_NAME])))
    sheets = xlsx_sheets(full[report.XLSX_NAME])
    plan_ids = {row[0] for name in ("妇女发展规划", "儿童发展规划") for row in sheets[name]}
    for iid in ids:
        assert f'id="{iid}"' in html and f'"chart-{iid}"' in html, iid
        assert f"{iid} " in text, iid
        assert iid in plan_ids, iid


@pytest.mark.slow
def test_full_html_loads_nothing_from_outside(full):
    html = full[report.HTML_NAME].decode("utf-8")
    assert external_references(html) == []
    assert external_references('<img src="https://x.org/a.png">') != []  # the check works
    assert "vegaEmbed" in html and html.count('<script type="application/json"') == 1
    assert '<div class="demo-banner" role="note">示例数据（非官方统计）</div>' in html


@pytest.mark.slow
def test_full_docx_summary_table_and_marks(full):
    doc = docx.Document(io.BytesIO(full[report.DOCX_NAME]))
    header = ["规划", "✖ 难以达标", "⚠ 存在风险", "↗ 有望达标", "✔ 已达标", "？ 数据不足", "◇ 定性指标", "合计"]
    summary = [t for t in doc.tables if [c.text for c in t.rows[0].cells] == header]
    assert len(summary) == 1
    rows = {r.cells[0].text: r.cells[-1].text for r in summary[0].rows[1:]}
    assert rows == {"妇女发展规划": "50", "儿童发展规划": "40"}
    assert all(s.header.paragraphs[0].text == DEMO for s in doc.sections)
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings.index("二、妇女发展规划") < headings.index("妇女与健康") < headings.index("三、儿童发展规划")
    assert headings.index("三、儿童发展规划") < headings.index("儿童与健康")
    html = full[report.HTML_NAME].decode("utf-8")
    specs = re.search(r'<script type="application/json" id="chart-specs">(.*?)</script>', html).group(1)
    with zipfile.ZipFile(io.BytesIO(full[report.DOCX_NAME])) as z:  # one image per chart of the page
        assert len([n for n in z.namelist() if n.startswith("word/media/")]) == len(json.loads(specs)) == 90


@pytest.mark.slow
def test_full_xlsx_sheets(full):
    sheets = xlsx_sheets(full[report.XLSX_NAME])
    units = set(units_of(load_catalog()))
    assert {"摘要", "妇女发展规划", "儿童发展规划", "数据质量"} | units <= set(sheets)
    reference = sheets.pop("参考地区数据")  # real published values: not labelled demo
    meanings = sheets.pop("状态含义")  # the rules, not data: not labelled demo either
    assert all(rows[0][0] == DEMO for rows in sheets.values())
    assert meanings[0] == ("状态", "含义") and meanings[3][0] == "存在风险" and "25%" in meanings[3][1]
    assert reference[0][0] == "地区" and ("重庆市", "C02", 2022, 2.62) in {r[:4] for r in reference}
    header = sheets["妇女发展规划"][1]
    for col in ("指标代码", "指标名称", "计量单位", "目标值", "指标属性", "责任单位", "基期值（2020年）",
                "2015", "2024", "最新值", "目标年预测值", "95%区间下限", "95%区间上限", "状态", "说明"):
        assert col in header, col
    w03 = next(r for r in sheets["妇女发展规划"] if r[0] == "W03")
    assert w03[header.index("目标值")] == "< 8" and w03[header.index("指标属性")] == "约束性"
    c02 = next(r for r in sheets["儿童发展规划"] if r[0] == "C02")
    assert c02[header.index("基期值（2020年）")] == 1.5 and c02[header.index("2023")] == 1.7
    assert [r[0] for r in sheets["县残联"][2:]] == ["C26", "C27"]


@pytest.mark.slow
def test_full_report_shows_the_revision(full):
    html = full[report.HTML_NAME].decode("utf-8")
    assert "核对后更正" in html and "县卫生健康委" in html
    rows = xlsx_sheets(full[report.XLSX_NAME])["修订记录"]
    assert any(r[0] == "C02" and r[3] == "2023" and r[5] == "1.7" for r in rows)


def _same_inputs(options, sqlite_db, server_db):
    """What the report reads from the store (catalogue, observations, history) is the same on both
    backends, but for the moments of the imports (the two stores were made apart)."""
    catalog, obs, history = report.load_inputs(options, sqlite_db)
    pg_catalog, pg_obs, pg_history = report.load_inputs(options, server_db)
    pd.testing.assert_frame_equal(pg_catalog, catalog)
    pd.testing.assert_frame_equal(pg_obs, obs)
    assert (pg_history.vintage is None) == (history.vintage is None)
    if history.vintage is not None:
        pd.testing.assert_frame_equal(pg_history.vintage, history.vintage)
    pd.testing.assert_frame_equal(pg_history.revisions.drop(columns="changed_at"),
                                  history.revisions.drop(columns="changed_at"))
    pd.testing.assert_frame_equal(pg_history.submissions.drop(columns="imported_at"),
                                  history.submissions.drop(columns="imported_at"))
    return pg_catalog, pg_obs, pg_history


@pytest.mark.slow
def test_the_report_reads_the_same_inputs_from_both_backends(store_db, pg_store_db):
    options = ReportOptions(2024)  # last year's report (2024-06-30) came before both stores
    inputs = _same_inputs(options, store_db, pg_store_db)
    assert inputs[2].vintage is None and inputs[2].submissions["file_name"].tolist()[0] == "c02.xlsx"
    revised = prepare(options, *inputs).revised  # as the report lists it
    assert revised[[S.INDICATOR_ID, S.YEAR, "new_value", "reason"]].values.tolist() == [
        ["C02", 2023, 1.7, "replaces demo data; 核对后更正"]]
    today = ReportOptions(2024, previous_report_date=datetime.date.today().isoformat())
    history = _same_inputs(today, store_db, pg_store_db)[2]
    assert history.vintage is not None and history.revisions.empty  # the correction is in the vintage


@pytest.mark.slow
def test_cli_unit_report(tmp_path, any_store_db):
    out = tmp_path / "jw"
    assert main(["report", "--year", "2024", "--unit", "县教委", "--output", str(out),
                 "--db", str(any_store_db)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["data.xlsx", "report.docx", "report.html"]
    mine = set(indicators_of_unit(load_catalog(), "县教委")[S.INDICATOR_ID])
    html = (out / "report.html").read_text(encoding="utf-8")
    shown = set(re.findall(r'<article class="indicator" id="([A-Z]\d\d[a-z]?)"', html))
    assert shown == mine
    sheets = xlsx_sheets((out / "data.xlsx").read_bytes())
    assert "县教委" in sheets and "县卫生健康委" not in sheets
    assert main(["report", "--year", "2024", "--unit", "县教育局", "--output", str(tmp_path / "x"),
                 "--db", str(any_store_db)]) == 2
    assert not (tmp_path / "x").exists()
