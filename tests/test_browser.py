"""The dashboard in a real browser: Debian's Chromium, driven by Playwright, against Voila.

One Voila server (``voila_url``) and one page serve the whole module; the tests run in order and
each puts back what it changes. Every request the page makes is recorded and must stay on
127.0.0.1. Screenshots go to ``artifacts/``.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pandas as pd
import pytest

from planlib import i18n
from planlib import schema as S
from planlib.catalog import load_catalog

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]
expect = pytest.importorskip("playwright.sync_api").expect

ROWS = "table.planlib-table tbody tr"
LOAD_TIMEOUT = 180_000  # ms: the first page waits for the preheated kernel to finish its run
TIMEOUT = 30_000


@pytest.fixture(scope="module")
def session(browser, voila_url):
    """One page on the dashboard, with every request and console error it produces recorded."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_default_timeout(TIMEOUT)
    page.goto(voila_url, timeout=LOAD_TIMEOUT)
    page.wait_for_selector(ROWS, timeout=LOAD_TIMEOUT)
    page.wait_for_selector(".planlib-w-overview-chart svg")
    yield page, requests, errors
    context.close()


def shoot(page, name: str) -> None:
    """Save the whole dashboard (Voila scrolls inside #rendered_cells, so grow the viewport)."""
    size = page.viewport_size
    height = page.evaluate("document.querySelector('#rendered_cells').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], height + 20)})
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    page.set_viewport_size(size)


def visible_rows(page) -> int:
    return page.locator(ROWS).count()


def expect_rows(page, n: int) -> None:
    page.wait_for_function(f"document.querySelectorAll({ROWS!r}).length === {n}")


def county_statuses(catalog: pd.DataFrame) -> dict[str, str]:
    """The status of each of the county's indicators, as ``planlib assess`` gives it on the
    shipped data (what the dashboard's store holds)."""
    from planlib.assessment import assess
    from planlib.config import COUNTY
    from planlib.observations import load_shipped_observations

    result = assess(catalog, load_shipped_observations())
    county = result[result[S.REGION] == COUNTY]
    return dict(zip(county[S.INDICATOR_ID], county[S.ASSESSMENT_STATUS]))


def test_dashboard_shows_all_90_indicators_with_statuses(session):
    page, _, _ = session
    catalog = load_catalog()
    assert page.locator("h1").first.inner_text() == i18n.t("title", "zh")
    assert visible_rows(page) == len(catalog) == 90
    ids = page.locator(ROWS).evaluate_all("rows => rows.map(r => r.dataset.id)")
    assert ids == catalog[S.INDICATOR_ID].tolist()
    expected = county_statuses(catalog)
    codes = page.locator(ROWS).evaluate_all("rows => rows.map(r => r.dataset.status)")
    assert dict(zip(ids, codes)) == expected, "each row shows the status planlib assess gives"
    statuses = page.locator(f"{ROWS} .planlib-status").all_inner_texts()
    assert statuses == [i18n.status_label(expected[i], "zh") for i in ids]
    tiles = page.locator(".planlib-tile")
    assert tiles.count() == 2
    for plan, total in (("women", 50), ("children", 40)):
        counts = page.locator(f'.planlib-tile[data-plan="{plan}"] li').evaluate_all(
            "items => items.map(li => Number(li.dataset.count))")
        assert len(counts) == 6 and sum(counts) == total
    shoot(page, "dashboard-1366x768")


def test_demo_banner_is_visible(session):
    page, _, _ = session
    banner = page.locator(".planlib-demo-banner").first
    expect(banner).to_be_visible()
    assert S.DEMO_LABEL_ZH in banner.inner_text()


def test_the_status_legend_opens_under_the_tiles_and_says_what_at_risk_means(session):
    page, _, _ = session
    legend = page.locator("details.planlib-legend").first
    at_risk = legend.locator('[data-status="at_risk"] dd')
    expect(legend.locator("summary")).to_have_text("各状态的含义")
    expect(at_risk).to_be_hidden()  # folded: the tiles stay at the top of the page
    legend.locator("summary").click()
    expect(at_risk).to_be_visible()
    expect(at_risk).to_have_text("达标概率不低于25%、低于75%")
    assert legend.locator("dt").all_inner_texts() == [
        i18n.status_label(code, "zh") for code in (S.ACHIEVED, S.ON_TRACK, S.AT_RISK, S.OFF_TRACK,
                                                   S.INSUFFICIENT_DATA, S.NOT_ASSESSABLE)]
    legend.locator("summary").click()
    expect(at_risk).to_be_hidden()


def test_filtering_by_plan_changes_the_table(session):
    page, _, _ = session
    plan = page.locator(".planlib-w-plan select")
    plan.select_option(label=i18n.PLAN_LABELS["women"]["zh"])
    expect_rows(page, 50)
    ids = page.locator(ROWS).evaluate_all("rows => rows.map(r => r.dataset.id)")
    assert all(i.startswith("W") for i in ids)
    plan.select_option(label=i18n.PLAN_LABELS["children"]["zh"])
    expect_rows(page, 40)
    assert "40 / 90" in page.locator(".planlib-w-count").inner_text()
    plan.select_option(label="全部")
    expect_rows(page, 90)


def test_filtering_binding_only_changes_the_table(session):
    page, _, _ = session
    catalog = load_catalog()
    binding = catalog[catalog[S.ATTRIBUTE] == S.BINDING][S.INDICATOR_ID].tolist()
    box = page.locator(".planlib-w-binding input[type=checkbox]")
    box.check()
    expect_rows(page, len(binding))
    ids = page.locator(ROWS).evaluate_all("rows => rows.map(r => r.dataset.id)")
    assert ids == binding
    box.uncheck()
    expect_rows(page, 90)


def test_sorting_by_status_puts_the_worst_first(session):
    page, _, _ = session
    heading = page.locator("table.planlib-table th button", has_text="状态")
    heading.click()
    page.wait_for_selector('table.planlib-table th[aria-sort="ascending"]')
    page.wait_for_function(f"document.querySelector({ROWS!r}).dataset.status === 'off_track'")
    order = page.locator(ROWS).evaluate_all("rows => rows.map(r => r.dataset.status)")
    ranks = [i18n.STATUS_ORDER.index(s) for s in order]
    assert ranks == sorted(ranks) and len(ranks) == 90
    page.locator("table.planlib-table th button", has_text="编号").click()
    page.wait_for_function(f"document.querySelector({ROWS!r}).dataset.id === 'W01'")


def test_downloads_give_the_filtered_table(session):
    page, _, _ = session
    page.locator(".planlib-w-plan select").select_option(label=i18n.PLAN_LABELS["children"]["zh"])
    expect_rows(page, 40)
    with page.expect_download() as info:
        page.locator("button.planlib-download", has_text="CSV").first.click()
    frame = pd.read_csv(info.value.path(), encoding="utf-8-sig")
    assert len(frame) == 40 and frame["编号"].str.startswith("C").all()
    assert (frame["数据说明"].fillna("") == S.DEMO_LABEL_ZH).any()
    with page.expect_download() as info:
        page.get_by_role("button", name="⤓ 下载 Excel", exact=True).click()
    assert info.value.suggested_filename.endswith(".xlsx")
    assert len(pd.read_excel(info.value.path())) == 40
    page.locator(".planlib-w-plan select").select_option(label="全部")
    expect_rows(page, 90)


def test_report_download_gives_the_years_report(session):
    """The whole annual report is made when asked for, in the kernel, and saved from the page."""
    import zipfile

    page, _, _ = session
    with page.expect_download(timeout=180_000) as info:
        page.locator("button.planlib-download", has_text="监测报告").click()
    assert info.value.suggested_filename == "年度监测报告-2024.zip"
    with zipfile.ZipFile(info.value.path()) as archive:
        assert sorted(archive.namelist()) == ["data.xlsx", "report.docx", "report.html"]


def test_selecting_an_indicator_shows_its_chart(session):
    page, _, _ = session
    page.locator(f'{ROWS}[data-id="W03"] button.planlib-open').click()
    chart = page.locator(".planlib-explorer-chart svg").first
    page.wait_for_function(
        "document.querySelector('.planlib-explorer-chart svg')?.textContent.includes('孕产妇死亡率')")
    expect(chart).to_be_visible()
    # Target (a rule and its shaded side), the 80 % and 95 % bands, the projection line.
    assert chart.locator("g.mark-rule path, g.mark-rule line").count() >= 1
    assert chart.locator("g.mark-area path").count() >= 2
    assert chart.locator("g.mark-rect path").count() >= 1
    text = chart.text_content()
    assert "目标" in text and "2030" in text and "中期评估 2025" in text
    assert "全国" in text  # W03 has the national series
    expect(page.locator(".planlib-info").first).to_be_visible()
    shoot(page, "explorer-1366x768")


def test_keyboard_opens_an_indicator(session):
    page, _, _ = session
    page.locator(".planlib-w-view button", has_text="总览").click()
    page.wait_for_selector(ROWS)
    button = page.locator(f'{ROWS}[data-id="C01"] button.planlib-open')
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "document.querySelector('.planlib-explorer-chart svg')?.textContent.includes('新生儿死亡率')")
    page.locator(".planlib-w-view button", has_text="总览").click()
    page.wait_for_selector(ROWS)


def test_language_toggle_switches_to_english(session):
    page, _, _ = session
    page.locator(".planlib-lang button:visible", has_text="English").click()
    page.wait_for_function("document.querySelector('h1').textContent.startsWith('Shizhu County')")
    expect(page.locator("table.planlib-table th button", has_text="Indicator")).to_have_count(1)
    ids = page.locator(ROWS).evaluate_all("rows => rows.map(r => r.dataset.id)")
    expected = county_statuses(load_catalog())
    statuses = page.locator(f"{ROWS} .planlib-status").all_inner_texts()
    assert statuses == [i18n.status_label(expected[i], "en") for i in ids]
    assert S.DEMO_LABEL_EN in page.locator(".planlib-demo-banner").first.inner_text()
    assert "Women's Development Plan" in page.locator(".planlib-tiles").inner_text()
    shoot(page, "dashboard-english")
    page.locator(".planlib-w-view button", has_text="Indicator explorer").click()
    page.wait_for_function(
        "document.querySelector('.planlib-explorer-chart svg')?.textContent.includes('Mid-term review')")
    page.locator(".planlib-w-view button", has_text="Overview").click()
    page.locator(".planlib-lang button:visible", has_text="中文").click()
    page.wait_for_function("document.querySelector('h1').textContent.startsWith('石柱县')")


def demo_county_statuses() -> dict[str, str]:
    """The status of each of the invented 示例县's indicators against its own plan, as
    ``planlib assess --region 示例县`` gives it on what ``planlib setup`` registered."""
    from planlib import config
    from planlib.assessment import assess
    from planlib.observations import load_shipped_observations, read_observations_file
    from planlib.plans import rows_of

    catalog = load_catalog(config.DEMO_COUNTY_CATALOG_PATH)
    obs = pd.concat([load_shipped_observations(),
                     read_observations_file(config.DEMO_COUNTY_OBSERVATIONS_PATH, catalog=catalog)])
    result = assess(catalog, rows_of(obs, config.DEMO_COUNTY))
    mine = result[result[S.REGION] == config.DEMO_COUNTY]
    return dict(zip(mine[S.INDICATOR_ID], mine[S.ASSESSMENT_STATUS]))


def test_region_picker_shows_another_countys_plan(session):
    """``make app`` registers the invented 示例县 beside 石柱县: picking it shows its own plan's
    targets and statuses; the city view shows both; picking 石柱县 again puts everything back."""
    page, _, _ = session
    picker = page.locator(".planlib-w-region select")
    expect(picker).to_be_visible()
    picker.select_option(label=i18n.region_label("示例县", "zh"))
    page.wait_for_function("document.querySelector('h1').textContent.startsWith('示例县')")
    expect(page.locator(f'{ROWS}[data-id="C21"]')).to_contain_text("≥ 98")  # 示例县's target (石柱县: ≥ 96)
    expect_rows(page, 90)
    ids = page.locator(ROWS).evaluate_all("rows => rows.map(r => r.dataset.id)")
    codes = page.locator(ROWS).evaluate_all("rows => rows.map(r => r.dataset.status)")
    assert dict(zip(ids, codes)) == demo_county_statuses(), "each row: 示例县 judged against its own plan"
    shoot(page, "dashboard-region-demo-county")
    page.locator(".planlib-w-view button", has_text="区县对比").click()
    city = page.locator(".planlib-w-city")
    expect(city).to_contain_text("石柱县 目标")
    expect(city).to_contain_text("示例县（演示） 目标")
    page.locator(".planlib-w-view button", has_text="总览").click()
    picker.select_option(label=i18n.region_label("石柱县", "zh"))
    page.wait_for_function(f"document.querySelector('h1').textContent === {i18n.t('title', 'zh')!r}")
    expect(page.locator(f'{ROWS}[data-id="C21"]')).to_contain_text("≥ 96")  # the table follows the title


def test_tablet_width_is_readable(session):
    page, _, _ = session
    page.set_viewport_size({"width": 820, "height": 1180})
    try:
        # The page itself never scrolls sideways (the table may, inside its own box).
        page.wait_for_function("document.querySelector('#rendered_cells').scrollWidth <= 821")
        expect(page.locator(".planlib-tiles")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "dashboard-820x1180.png"))
    finally:
        page.set_viewport_size({"width": 1366, "height": 768})


def test_no_error_output(session):
    page, _, errors = session
    assert page.locator(".jp-OutputArea-error").count() == 0
    assert page.locator('[data-mime-type="application/vnd.jupyter.stderr"]').count() == 0
    assert "Traceback" not in page.locator("body").inner_text()
    assert not errors


def test_no_request_leaves_the_machine(session):
    _, requests, _ = session
    assert requests
    outside = [u for u in requests
               if urlparse(u).scheme not in ("data", "blob") and urlparse(u).hostname not in ("127.0.0.1", "localhost")]
    assert outside == []


@pytest.mark.parametrize("path", ["00-dashboard.ipynb", "02-data-intake.ipynb", "..%2Fdata%2Fcatalog.csv",
                                  "..%2Fdata%2Fmonitoring.sqlite", "..%2Fplanlib%2Fstore.py",
                                  "..%2Fvoila.json"])
def test_server_does_not_serve_data_notebooks_or_source(voila_url, path):
    """voila.json's file rules: Voila serves files below the notebook's folder, and refuses (403,
    not merely 404) the notebooks, the data, the database and the source, even by a path that
    climbs out of that folder."""
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(f"{voila_url}voila/files/{path}", timeout=10)
    assert info.value.code == 403
