"""The dashboard and the explorer driven from Python, on the small plan's build; and how thin they are."""

from __future__ import annotations

import subprocess
import sys

import pytest

from planlib.apps.dashboard import Dashboard
from planlib.apps.explorer import Explorer
from planlib.apps.widgets import DownloadButton

from .app_fixtures import CATALOG


@pytest.fixture()
def dashboard(small_edition):
    """A new dashboard for each test: no test sees what another changed."""
    return Dashboard(small_edition)


def ids(dashboard) -> list[str]:
    return [r["id"] for r in dashboard.table.rows]


def test_dashboard_starts_on_the_latest_year_with_every_indicator(dashboard):
    assert dashboard.as_of.value == 2023
    assert ids(dashboard) == ["W03", "W04", "W30", "C21"]
    assert "示例数据（非官方统计）" in dashboard.banner.value
    assert dashboard.count.value == "显示 4 / 4 项指标"
    report_button = dashboard.downloads[2]
    assert report_button.filename == "年度监测报告-2023.zip" and "监测报告" in report_button.label
    assert "<svg" in dashboard.overview_chart.value and 'data-as-of="2023"' in dashboard.tiles.value
    # the explorer opens on the first binding indicator in trouble: C21 (off track) in the small plan
    assert dashboard.edition.page(2023, "zh")["first_alert"] == "C21"
    assert dashboard.explorer.indicator.value == "C21"
    assert "title" not in dashboard.explorer.chart.spec  # hidden: its chart is not drawn yet
    dashboard.table._handle_custom_msg({"event": "drawn"}, [])  # the table is on screen
    name = CATALOG.set_index("indicator_id").loc[dashboard.explorer.indicator.value, "name_zh"]
    assert dashboard.explorer.chart.spec["title"]["text"] == name


def test_dashboard_filters_and_sorting_redraw_the_table(dashboard):
    dashboard.plan.value = "children"
    assert ids(dashboard) == ["C21"] and dashboard.count.value == "显示 1 / 4 项指标"
    dashboard.plan.value = ""
    dashboard.binding.value = True
    assert ids(dashboard) == ["W03", "C21"]
    dashboard.binding.value = False
    dashboard.table.sort_key = "latest"
    dashboard.table.sort_desc = True
    assert ids(dashboard) == ["W04", "C21", "W30", "W03"]
    assert "key" not in dashboard.table.rows[0]  # the page gets the cells, not the sort keys


def test_as_of_year_redraws_tiles_table_and_explorer(dashboard):
    dashboard.as_of.value = 2021
    assert 'data-as-of="2021"' in dashboard.tiles.value
    w04 = next(r for r in dashboard.table.rows if r["id"] == "W04")
    assert w04["latest"] == "92.5（2021年）"
    assert dashboard.explorer.as_of.value == 2021


def test_selecting_a_row_opens_the_explorer(dashboard):
    dashboard.table.selected = "W04"
    dashboard.table.select_count += 1
    assert dashboard.view.value == "explorer"
    assert dashboard.explorer.indicator.value == "W04"
    assert dashboard.explorer.chart.spec["title"]["text"] == "孕产妇系统管理率（%）"
    assert dashboard.overview.layout.display == "none" and dashboard.explorer.ui.layout.display is None
    dashboard.view.value = "overview"
    assert dashboard.explorer.ui.layout.display == "none"


def test_language_toggle_translates_everything(dashboard):
    dashboard.lang.value = "en"
    assert "Shizhu County" in dashboard.title.value
    assert dashboard.table.columns[1]["label"] == "Indicator"
    assert dashboard.plan.options[1] == ("Women's Development Plan", "women")
    assert dashboard.view.options[1] == ("Indicator explorer", "explorer")
    assert dashboard.explorer.lang.value == "en"
    assert dashboard.explorer.method.options[0] == ("Automatic", "auto")
    dashboard.view.value = "explorer"
    name = CATALOG.set_index("indicator_id").loc[dashboard.explorer.indicator.value, "name_en"]
    assert dashboard.explorer.chart.spec["title"]["text"] == name
    assert "Illustrative data (not official statistics)" in dashboard.banner.value
    dashboard.lang.value = "zh"
    assert dashboard.table.columns[1]["label"] == "指标"


def test_table_downloads_give_the_shown_rows(dashboard):
    import io

    import pandas as pd

    dashboard.plan.value = "women"
    data = dashboard.downloads[0].producer()
    table = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert table["编号"].tolist() == ["W03", "W04", "W30"]
    assert (table["数据说明"] == "示例数据（非官方统计）").all()
    sheet = pd.read_excel(io.BytesIO(dashboard.downloads[1].producer()), sheet_name="indicators")
    assert sheet["编号"].tolist() == ["W03", "W04", "W30"]


@pytest.mark.slow
def test_explorer_method_and_as_of_change_the_chart(small_edition, monkeypatch):
    from planlib.apps import explorer as X
    from planlib.apps.model import Model

    from .app_fixtures import OBSERVATIONS

    monkeypatch.setattr("planlib.apps.model.load_model", lambda db=None, region=None: Model(CATALOG, OBSERVATIONS))
    explorer = Explorer(small_edition, "C21")
    assert explorer.banner.layout.display is None  # standalone: its own demo banner
    assert explorer._model is None  # "auto" comes from the build: no data read, nothing fitted
    explorer.method.value = "linear"
    assert explorer._model is not None and X.AUTO == "auto"
    assert "线性趋势" in explorer.chart.spec["title"]["subtitle"][1]
    explorer.as_of.value = 2021
    assert explorer.downloads[0].filename == "C21-2021-linear.png"
    years = [r[3] for r in explorer._view["data"]["rows"] if r[1] == "拟合值"]
    assert max(years) == 2021
    explorer.downloads[2].request += 1
    assert explorer.downloads[2].ready == 1
    assert explorer.downloads[1].producer().startswith(b"<svg")


def test_download_button_answers_a_request():
    calls = []
    button = DownloadButton(lambda: calls.append(1) or b"x,y\n", "t.csv", "CSV")
    assert button.mime == "text/csv" and button.ready == 0 and not calls
    button.request += 1
    assert button.ready == 1 and calls == [1]
    assert button.payload == ""  # sent, then cleared from the widget state


def test_a_missing_build_shows_progress_instead_of_a_blank_page(tmp_path, monkeypatch):
    from planlib.apps import build as B

    started = []
    monkeypatch.setattr(B, "start_build", lambda db=None: started.append(db) or True)
    monkeypatch.setattr("planlib.apps.dashboard.WAIT_S", 0.0)  # do not keep polling in this test
    db = tmp_path / "monitoring.sqlite"
    dashboard = Dashboard(db=db)
    assert started == [db]
    assert "仪表板数据尚未生成" in dashboard.waiting.value
    assert dashboard.bar.value == 0 and not hasattr(dashboard, "table")


THIN = """
import sys, time
t = time.process_time()
from planlib.apps.dashboard import Dashboard
from planlib.apps.edition import Edition
d = Dashboard(Edition(sys.argv[1]))
d.as_of.value = d.as_of.options[-1][1]
d.table.selected = "C21"; d.table.select_count += 1
heavy = [m for m in ("statsmodels", "altair", "scipy", "planlib.report", "planlib.assessment", "planlib.forecast", "pandas",
                     "openpyxl", "planlib.apps.model", "planlib.apps.content") if m in sys.modules]
print(repr(heavy))
"""


def test_a_viewers_kernel_imports_nothing_heavy(small_edition):
    done = subprocess.run([sys.executable, "-c", THIN, str(small_edition.path)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
