"""planlib.apps.publish: the static edition, its files, and the page in Chromium from a plain HTTP server."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from urllib.parse import quote, urlparse

import openpyxl
import pytest

from planlib import config, i18n
from planlib import schema as S
from planlib.apps import publish as P
from planlib.apps.edition import Edition
from planlib.apps.table import SORT_KEYS, TableFilters, filter_rows, sort_rows
from planlib.errors import PlanlibError

from .app_fixtures import OTHER_TITLE
from .conftest import ARTIFACTS, free_port, stop, wait_for_port

PUBLISHED = "2026-12-01T09:30:00+0800"
TEXT_SUFFIXES = {".html", ".js", ".css", ".json", ".csv", ".config"}
OUTSIDE = re.compile(r"https?://(?!www\.w3\.org/)")


@pytest.fixture(scope="module")
def published(small_edition, tmp_path_factory):
    """The small build published once (tests that change the folder make their own)."""
    return P.publish(tmp_path_factory.mktemp("pub") / "edition", edition=small_edition, published_at=PUBLISHED)


@pytest.fixture(scope="module")
def city_published(city_edition, tmp_path_factory):
    """The two-plan build with the city view (tests/conftest.py city_edition), published once."""
    return P.publish(tmp_path_factory.mktemp("pub-city") / "edition", edition=city_edition, published_at=PUBLISHED)


def load(folder, name):
    return json.loads((folder / "data" / name).read_text(encoding="utf-8"))


def test_folder_holds_the_page_assets_and_data_and_nothing_else(published, small_edition):
    files = {p.relative_to(published).as_posix() for p in published.rglob("*") if p.is_file()}
    years, ids = small_edition.years, small_edition.meta["indicators"]
    assert {"index.html", "data/meta.json", "assets/edition.js", "assets/indicator_table.js",
            "assets/vega_chart.js", "assets/app.css", "assets/indicator_table.css"} <= files
    assert {f"data/page-{y}-{lang}.json" for y in years for lang in ("zh", "en")} <= files
    views = {f for f in files if f.startswith("data/view/")}
    assert views == {f"data/view/{i}-{y}-{lang}.{ext}" for i in ids for y in years for lang in ("zh", "en")
                     for ext in ("json", "csv")}
    assert {f"data/indicators-{years[-1]}-en.csv", f"data/indicators-{years[-1]}-zh.xlsx"} <= files
    suffixes = {p.rsplit(".", 1)[-1] for p in files}
    assert suffixes == {"html", "js", "css", "json", "csv", "xlsx", "config"}  # no .sqlite, .db, .ipynb, .py
    assert 'mimeMap fileExtension=".json"' in (published / "web.config").read_text()  # for IIS
    assert published.stat().st_mode & 0o755 == 0o755  # readable by a web server's user


def test_nothing_points_outside(published):
    found = {p.name: OUTSIDE.findall(p.read_text(encoding="utf-8"))
             for p in published.rglob("*") if p.suffix in TEXT_SUFFIXES}
    assert not {name: urls for name, urls in found.items() if urls}
    spec = load(published, "view/W03-2023-zh.json")["spec"]
    assert spec["$schema"].startswith("vega.github.io/schema/vega-lite/")
    assert 'xmlns="http://www.w3.org/2000/svg"' in load(published, "page-2023-zh.json")["overview_html"]


def test_meta_records_the_data_version_dates_years_and_demo(published, small_edition):
    meta = load(published, "meta.json")
    assert meta["format"] == P.EDITION_FORMAT
    assert meta["data_version"] == small_edition.meta["data_version"] and len(meta["data_version"]) == 16
    assert meta["built_at"] == small_edition.meta["built_at"]
    assert meta["published_at"] == PUBLISHED
    assert meta["years"] == [2020, 2021, 2022, 2023] and meta["default_year"] == 2023
    assert meta["demo"] is True and meta["demo_years"] == [2020, 2021, 2022, 2023]
    assert meta["indicators"] == ["W03", "W04", "W30", "C21"]
    assert meta["table"]["status_order"] == i18n.STATUS_ORDER
    assert meta["labels"]["en"]["showing"] == "Showing {n} of {total} indicators"
    assert "示例数据（非官方统计）" in meta["labels"]["zh"]["banner_html"]
    assert meta["labels"]["zh"]["edition_footer"].startswith("数据版本 {version}")


def test_pages_and_views_are_the_builds(published, small_edition):
    for year, lang in ((2023, "zh"), (2021, "en")):
        page = load(published, f"page-{year}-{lang}.json")
        assert page == small_edition.page(year, lang)
        assert page["demo"] is True and len(page["rows"]) == 4
    view = load(published, "view/C21-2022-en.json")
    expected = small_edition.view("C21", 2022, "en")
    assert view["info_html"] == expected["info_html"] and view["data"] == expected["data"]
    assert view["spec"]["title"] == expected["spec"]["title"]
    data = (published / "data" / "view" / "C21-2022-en.csv").read_text(encoding="utf-8-sig").splitlines()
    assert data[0].split(",")[:4] == expected["data"]["columns"][:4] == ["Code", "Kind", "Region", "Year"]
    assert len(data) == 1 + len(expected["data"]["rows"])
    table = (published / "data" / "indicators-2023-zh.csv").read_text(encoding="utf-8-sig").splitlines()
    assert table[0].startswith("编号,规划,领域,指标") and len(table) == 5


def test_a_build_of_one_plan_lists_one_region_and_no_city_view(published):
    meta = load(published, "meta.json")
    assert [(r["name"], r["dir"], r["years"]) for r in meta["regions"]] == [(config.COUNTY, "", meta["years"])]
    assert meta["regions"][0]["labels"] == {"zh": "石柱县", "en": "Shizhu County"}
    assert meta["city"] is None and not list((published / "data").glob("city-*"))
    assert not list((published / "data").glob("region-*"))


A, B = config.COUNTY, config.DEMO_COUNTY


def test_every_regions_plan_is_published_under_a_safe_key(city_published, city_edition):
    meta = load(city_published, "meta.json")
    assert [r["name"] for r in meta["regions"]] == [A, B]
    home, other = meta["regions"]
    assert home["dir"] == "" and other["dir"] == f"region-{P.region_key(B)}/" == "region-rf13e6c3aa0/"
    assert other["labels"] == {"zh": "示例县（演示）", "en": "Example County (demo)"}
    assert other["years"] == [2020, 2021, 2022, 2023, 2024] and other["default_year"] == 2024
    assert other["indicators"] == ["C21", "W02", "W01"]
    assert other["demo"] is True and home["demo"] is False  # 示例县's values are demo, 石柱县's here are not
    assert meta["demo"] is True
    c21 = {r["id"]: r for r in load(city_published, other["dir"] + "page-2024-zh.json")["rows"]}["C21"]
    assert c21["target"] == "≥ 98"  # 示例县's own target ...
    assert {r["id"]: r for r in load(city_published, "page-2024-zh.json")["rows"]}["C21"]["target"] == "≥ 96"
    page = load(city_published, other["dir"] + "page-2022-en.json")
    assert page == city_edition.page(2022, "en", B)
    assert OTHER_TITLE in load(city_published, other["dir"] + "page-2022-zh.json")["title"]
    view = load(city_published, other["dir"] + "view/C21-2024-zh.json")
    assert view["info_html"] == city_edition.view("C21", 2024, "zh", B)["info_html"]
    assert "≥ 98" in json.dumps(view["spec"], ensure_ascii=False)
    assert (city_published / "data" / other["dir"] / "view" / "C21-2024-zh.csv").exists()
    assert (city_published / "data" / other["dir"] / "indicators-2024-en.xlsx").exists()
    files = [p.relative_to(city_published).as_posix() for p in city_published.rglob("*")]
    assert not [f for f in files if B in f or A in f]  # no file named by a region's name


def test_the_city_view_of_each_year_and_language_is_published(city_published, city_edition):
    meta = load(city_published, "meta.json")
    years = city_edition.years
    assert meta["city"] == {"members": [A, B], "years": years, "demo": True}
    data = city_published / "data"
    assert {p.name for p in data.glob("city-*")} == {f"city-{y}-{lang}.{ext}" for y in years
                                                     for lang in ("zh", "en") for ext in ("json", "xlsx")}
    page = load(city_published, "city-2024-zh.json")
    assert page == city_edition.city_page(2024, "zh")
    assert "石柱县 目标" in page["html"] and "示例县（演示） 目标" in page["html"]
    book = openpyxl.load_workbook(io.BytesIO((data / "city-2024-en.xlsx").read_bytes()))
    assert book.sheetnames == ["City view", "Binding behind", "Ranking", "Statuses"]
    assert book["City view"]["A1"].value == S.DEMO_LABEL_EN
    found = {p.name: OUTSIDE.findall(p.read_text(encoding="utf-8"))
             for p in city_published.rglob("*") if p.suffix in TEXT_SUFFIXES}
    assert not {name: urls for name, urls in found.items() if urls}


def test_an_edition_of_the_earlier_format_is_replaced(small_edition, tmp_path):
    out = tmp_path / "edition"
    (out / "data").mkdir(parents=True)
    (out / "data" / "meta.json").write_text(json.dumps({"format": "planlib-static-edition/1"}))
    P.publish(out, edition=small_edition, published_at=PUBLISHED)
    assert load(out, "meta.json")["format"] == P.EDITION_FORMAT == "planlib-static-edition/2"


def test_index_says_it_needs_a_web_server(published):
    text = (published / "index.html").read_text(encoding="utf-8")
    version = load(published, "meta.json")["code_version"]
    assert f'<script type="module" src="assets/edition.js?v={version}">' in text
    assert "python -m http.server" in text and "不能直接双击文件打开" in text
    assert "{{" not in text


def test_republish_replaces_an_edition_whole(small_edition, tmp_path):
    out = tmp_path / "edition"
    P.publish(out, edition=small_edition, published_at="2026-01-01T00:00:00+0800")
    (out / "data" / "stray.json").write_text("{}")
    P.publish(out, edition=small_edition, published_at=PUBLISHED)
    assert load(out, "meta.json")["published_at"] == PUBLISHED
    assert not (out / "data" / "stray.json").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["edition"]  # no temporary folder left


def test_a_failure_leaves_the_old_edition(small_edition, tmp_path, monkeypatch):
    out = tmp_path / "edition"
    P.publish(out, edition=small_edition, published_at=PUBLISHED)

    def broken(folder, page):
        raise OSError("disk full")

    monkeypatch.setattr(P, "_write_table_files", broken)
    with pytest.raises(OSError, match="disk full"):
        P.publish(out, edition=small_edition)
    assert load(out, "meta.json")["published_at"] == PUBLISHED
    assert [p.name for p in tmp_path.iterdir()] == ["edition"]


def test_refuses_a_folder_that_is_not_an_edition(small_edition, tmp_path):
    out = tmp_path / "documents"
    out.mkdir()
    (out / "report.docx").write_bytes(b"keep me")
    with pytest.raises(PlanlibError) as caught:
        P.publish(out, edition=small_edition)
    assert "不是一份静态版" in caught.value.text("zh") and "new or empty folder" in caught.value.text("en")
    assert [p.name for p in out.iterdir()] == ["report.docx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["documents"]


def test_a_build_without_data_is_not_published(small_edition, tmp_path, monkeypatch):
    empty = Edition(small_edition.path)
    monkeypatch.setattr(Edition, "years", property(lambda self: []))
    with pytest.raises(PlanlibError) as caught:
        P.publish(tmp_path / "edition", edition=empty)
    assert "planlib import" in caught.value.text("zh") and "nothing to publish" in caught.value.text("en")
    assert list(tmp_path.iterdir()) == []


def test_publish_reads_the_stores_build_only_when_current(small_edition, tmp_path, monkeypatch):
    with pytest.raises(FileNotFoundError):
        P.publish(tmp_path / "edition", db=tmp_path / "monitoring.sqlite")
    stale = Edition(small_edition.path)  # made with stamp "test": not the data of any store
    monkeypatch.setattr(Edition, "of_store", classmethod(lambda cls, db=None: stale))
    with pytest.raises(PlanlibError) as caught:
        P.publish(tmp_path / "edition", db=tmp_path / "monitoring.sqlite")
    assert "planlib build" in caught.value.text("zh") and "out of date" in caught.value.text("en")
    assert not (tmp_path / "edition").exists()


# --- the page in Chromium, served by python -m http.server ----------------------------------------

ROWS = "table.planlib-table tbody tr"


def serve(folder):
    """Serve ``folder`` on 127.0.0.1 with the standard library's HTTP server (yields its URL)."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                             "--directory", str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, proc, timeout=20)
        yield f"http://127.0.0.1:{port}/"
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def served(published, browser):
    """The edition served on 127.0.0.1 by the standard library's HTTP server."""
    yield from serve(published)


def shown_ids(page) -> list[str]:
    return page.eval_on_selector_all(ROWS, "rows => rows.map(r => r.dataset.id)")


def expect_ids(page, ids: list[str]) -> None:
    page.wait_for_function(f"JSON.stringify([...document.querySelectorAll({ROWS!r})].map(r => r.dataset.id))"
                           f" === {json.dumps(json.dumps(ids, separators=(',', ':')))}")


def python_ids(edition, year, lang, filters=TableFilters(), key="id", desc=False) -> list[str]:
    return [r["id"] for r in sort_rows(filter_rows(edition.page(year, lang)["rows"], filters), key, desc)]


@pytest.mark.browser
@pytest.mark.slow
def test_the_static_page_in_chromium(served, browser, small_edition):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page = context.new_page()
    requests, errors, missing = [], [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("response", lambda response: response.status >= 400 and missing.append(response.url))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_default_timeout(15_000)
    try:
        page.goto(served)
        page.wait_for_selector(ROWS)
        ed = small_edition
        # overview: title, demo banner, alerts, tiles, overview chart, four rows, footer
        assert page.inner_text("h1") == i18n.t("title", "zh")
        assert page.is_visible(".planlib-demo-banner") and "示例数据" in page.inner_text(".planlib-demo-banner")
        assert page.get_attribute(".planlib-tiles", "data-as-of") == "2023"
        assert page.locator(".planlib-alerts li").count() >= 1
        assert page.locator(".planlib-w-overview-chart svg").count() == 1
        assert shown_ids(page) == python_ids(ed, 2023, "zh")
        assert page.inner_text(".planlib-w-count") == "显示 4 / 4 项指标"
        assert page.is_hidden(".planlib-w-region")  # one plan: no region picker
        assert page.locator(".planlib-w-view button").count() == 2  # and no city view
        footer = page.inner_text(".planlib-edition-footer")
        assert ed.meta["data_version"] in footer and PUBLISHED in footer and ed.meta["built_at"] in footer
        # filters: plan, then binding only, as filter_rows has them
        page.select_option(".planlib-w-plan select", "women")
        expect_ids(page, python_ids(ed, 2023, "zh", TableFilters(plan="women")))
        page.check(".planlib-w-binding input")
        expect_ids(page, python_ids(ed, 2023, "zh", TableFilters(plan="women", binding_only=True)))
        assert page.inner_text(".planlib-w-count") == "显示 1 / 4 项指标"
        page.uncheck(".planlib-w-binding input")
        page.select_option(".planlib-w-plan select", "")
        expect_ids(page, python_ids(ed, 2023, "zh"))
        # sorting: status (worst first), then latest value descending (blanks last), as sort_rows
        page.click("th:nth-child(7) button")
        expect_ids(page, python_ids(ed, 2023, "zh", key="status"))
        page.click("th:nth-child(5) button")
        page.click("th:nth-child(5) button")
        expect_ids(page, python_ids(ed, 2023, "zh", key="latest", desc=True))
        assert page.get_attribute("th:nth-child(5)", "aria-sort") == "descending"
        # the as-of year changes the tiles and the table
        before = page.inner_text(".planlib-w-table")
        page.select_option(".planlib-w-as-of select", "2021")
        page.wait_for_selector('.planlib-tiles[data-as-of="2021"]')
        expect_ids(page, python_ids(ed, 2021, "zh", key="latest", desc=True))
        assert page.inner_text(".planlib-w-table") != before
        # selecting an indicator opens the explorer with its chart and words
        page.click(f'{ROWS}[data-id="W04"] button.planlib-open')
        page.wait_for_selector(".planlib-explorer-chart svg")
        name = ed.view("W04", 2021, "zh")["spec"]["title"]["text"]
        name = name if isinstance(name, str) else name[0]
        page.wait_for_function("t => [...document.querySelectorAll('.planlib-explorer-chart svg text')]"
                               ".some(n => n.textContent === t)", arg=name)
        assert page.is_hidden(".planlib-overview")
        assert page.input_value(".planlib-explorer-indicator select") == "W04"
        assert "县卫生健康委" in page.inner_text(".planlib-explorer-info")
        assert page.get_attribute(".planlib-download-data", "href").startswith("data/view/W04-2021-zh.csv?v=")
        with page.expect_download() as saved:
            page.click(".planlib-download-svg")
        assert saved.value.suggested_filename == "W04-2021-auto.svg"
        assert "<svg" in open(saved.value.path(), encoding="utf-8").read()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "edition-explorer.png"), full_page=True)
        # English
        page.click(".planlib-lang button[data-value=en]")
        page.wait_for_function("document.querySelector('h1').textContent === %s" % json.dumps(i18n.t("title", "en")))
        page.wait_for_selector(".planlib-explorer-info >> text=County Health Commission")
        assert "Illustrative data" in page.inner_text(".planlib-demo-banner")
        page.click(".planlib-w-view button[data-value=overview]")
        page.wait_for_selector(ROWS)
        assert page.inner_text(".planlib-w-count") == "Showing 4 of 4 indicators"
        assert "Data version" in page.inner_text(".planlib-edition-footer")
        page.screenshot(path=str(ARTIFACTS / "edition-overview-en.png"), full_page=True)
        assert errors == [] and missing == []  # no page error, no file asked for that is not there
        assert requests and all(urlparse(u).hostname == "127.0.0.1" for u in requests), requests
        stamp = quote(f'{ed.meta["data_version"]}-{PUBLISHED}', safe="")
        assert f"{served}data/page-2021-en.json?v={stamp}" in requests  # no file of an older edition
    finally:
        context.close()


FILTER_CHOICES = [TableFilters(), TableFilters(plan="children"), TableFilters(domain="健康"),
                  TableFilters(unit="县妇联"), TableFilters(status="at_risk"), TableFilters(binding_only=True),
                  TableFilters(plan="women", unit="县卫生健康委", binding_only=True)]


@pytest.mark.browser
@pytest.mark.slow
def test_page_filters_and_sorts_as_python_does(served, browser, small_edition, published):
    """filterRows/sortRows of edition.js against filter_rows/sort_rows, every column both ways."""
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(served + "#lang=en&year=2022&view=explorer&id=C21")
        page.wait_for_selector(".planlib-explorer-chart svg")  # a link to one indicator opens it
        assert page.input_value(".planlib-explorer-indicator select") == "C21"
        assert page.inner_text("h1") == i18n.t("title", "en")
        assert page.get_attribute(".planlib-tiles", "data-as-of") == "2022"
        rows = small_edition.page(2022, "en")["rows"]
        choices = [(f, key, desc) for f in FILTER_CHOICES for key in SORT_KEYS for desc in (False, True)]
        script = page.get_attribute("script[type=module]", "src")
        got = page.evaluate("""async ([src, rows, rules, choices]) => {
            const m = await import(new URL(src, document.baseURI).href);  // the page's own module
            return choices.map(([f, key, desc]) =>
                m.sortRows(m.filterRows(rows, f, rules), key, desc, rules).map(r => r.id));
        }""", [script, rows, load(published, "meta.json")["table"],
               [[{"plan": f.plan or "", "domain": f.domain or "", "unit": f.unit or "",
                  "status": f.status or "", "binding": f.binding_only}, key, desc] for f, key, desc in choices]])
        expected = [[r["id"] for r in sort_rows(filter_rows(rows, f), key, desc)] for f, key, desc in choices]
        assert got == expected
        assert len({tuple(ids) for ids in expected}) > 10  # the choices do tell orders apart
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_no_banner_where_no_demo_data(served, browser, published):
    """A page whose data are all real (here: the 2020 page, answered as if it were) has no demo banner."""
    context = browser.new_context()
    page = context.new_page()
    real = {**load(published, "page-2020-zh.json"), "demo": False}
    page.route("**/data/page-2020-zh.json*", lambda route: route.fulfill(
        status=200, content_type="application/json", body=json.dumps(real, ensure_ascii=False)))
    try:
        page.goto(served + "#year=2023")
        page.wait_for_selector(".planlib-demo-banner")
        page.select_option(".planlib-w-as-of select", "2020")
        page.wait_for_selector('.planlib-tiles[data-as-of="2020"]')
        assert page.locator(".planlib-demo-banner").count() == 0 and page.is_hidden(".planlib-w-banner")
        page.select_option(".planlib-w-as-of select", "2021")
        page.wait_for_selector(".planlib-demo-banner")
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_the_region_picker_and_the_city_view_in_chromium(city_published, city_edition, browser):
    """Pick 示例县: its own title and C21 target; then the city view with both members and its workbook."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    errors, missing, requests = [], [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda response: response.status >= 400 and missing.append(response.url))
    page.on("request", lambda request: requests.append(request.url))
    page.set_default_timeout(15_000)
    server = serve(city_published)
    url = next(server)
    try:
        page.goto(url)
        page.wait_for_selector(ROWS)
        assert page.is_visible(".planlib-w-region select")  # two plans: the picker is shown
        assert page.inner_text(".planlib-w-region .planlib-field-label") == "规划地区"
        assert page.is_hidden(".planlib-w-banner")  # 石柱县's values here are not demo
        assert "≥ 96" in page.inner_text(f'{ROWS}[data-id="C21"]')
        page.select_option(".planlib-w-region select", P.region_key(B))
        title = city_edition.page(2024, "zh", B)["title"]
        page.wait_for_function("t => document.querySelector('h1').textContent === t", arg=title)
        assert "≥ 98" in page.inner_text(f'{ROWS}[data-id="C21"]')
        assert page.is_visible(".planlib-demo-banner")  # 示例县's values are demo
        assert f"region={P.region_key(B)}" in page.evaluate("location.hash")
        # the city view: both members side by side, the workbook to download
        page.click(".planlib-w-view button[data-value=city]")
        page.wait_for_selector(".planlib-w-city table")
        assert page.is_hidden(".planlib-overview") and page.is_hidden(".planlib-explorer")
        text = page.inner_text(".planlib-w-city")
        assert "石柱县 目标" in text and "示例县（演示） 目标" in text and "石柱县、示例县（演示）" in text
        assert page.is_visible(".planlib-demo-banner")  # the city view holds demo values
        link = page.locator(".planlib-download-city")
        assert link.inner_text() == "下载区县对比 Excel" and link.get_attribute("download") == "区县对比-2024.xlsx"
        assert link.get_attribute("href").startswith("data/city-2024-zh.xlsx?v=")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "edition-city.png"), full_page=True)
        page.click(".planlib-lang button[data-value=en]")
        page.wait_for_selector(".planlib-w-city >> text=Example County (demo) target")
        assert page.inner_text(".planlib-w-view button[data-value=city]") == "City view"
        assert page.inner_text(".planlib-w-region .planlib-field-label") == "Plan of"
        assert errors == [] and missing == []
        assert all(urlparse(u).hostname == "127.0.0.1" for u in requests), requests
    finally:
        context.close()
        server.close()
