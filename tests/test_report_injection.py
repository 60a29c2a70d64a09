"""Markup in the data stays text: in report.html and in the dashboard's build.

Indicator names (zh and en), measurement units, responsible units, observation notes and
sources, revision reasons and submitting departments carry ``<script>alert(1)</script>`` and
``"><img src=x onerror=alert(1)>``. The page must hold no element made from them (no extra
``<script>``, no ``<img>``, no ``on*`` attribute) and must show them as the text they are.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pandas as pd
import pytest

from planlib import schema as S
from planlib.catalog import load_catalog
from planlib.report import History, ReportOptions, prepare, render
from planlib.report.charts import ChartOptions
from planlib.report.html import script_json

from .report_fixtures import observations

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
IDS = ["W01", "W03", "W11", "C02"]  # of report_fixtures.IDS



@pytest.fixture(scope="module")
def hostile_catalog():
    cat = load_catalog()
    cat = cat[cat[S.INDICATOR_ID].isin(IDS)].reset_index(drop=True)
    w03 = cat[S.INDICATOR_ID] == "W03"
    w01 = cat[S.INDICATOR_ID] == "W01"
    cat.loc[w03, S.NAME_ZH] = f"孕产妇死亡率{SCRIPT}"
    cat.loc[w03, S.NAME_EN] = f"Maternal mortality{IMG}"
    cat.loc[w03, S.UNIT] = f"1/10万{IMG}"
    cat.loc[w01, S.NAME_ZH] = f"婚前医学检查率{IMG}"
    cat.loc[w01, S.NAME_EN] = f"Premarital examination{SCRIPT}"
    cat.loc[w01, S.RESPONSIBLE_UNITS] = f"县卫生健康委;县{SCRIPT}委;县{IMG}局"
    assert cat[S.INDICATOR_ID].tolist() == IDS
    return cat


@pytest.fixture(scope="module")
def hostile_observations():
    frame = observations()  # the report tests' observations, with markup in every text
    frame = frame[frame[S.INDICATOR_ID].isin(IDS)].reset_index(drop=True)
    rising = (frame[S.INDICATOR_ID] == "W03") & (frame[S.REGION] == "石柱县")  # binding, off track:
    frame.loc[rising, S.VALUE] = 6.0 + frame.loc[rising, S.YEAR] - 2018  # the dashboard's first alert
    frame[S.NOTE] = f"备注{SCRIPT}{IMG}"
    frame.loc[frame[S.INDICATOR_ID] == "C02", S.SOURCE] = f"统计公报{IMG}"  # not demo: a source name
    return frame


@pytest.fixture(scope="module")
def history(hostile_observations):
    revisions = pd.DataFrame({
        S.INDICATOR_ID: ["W03"], S.REGION: ["石柱县"], S.YEAR: [2023], "old_value": [30.0],
        "new_value": [11.0], "changed_at": ["2025-01-05T02:00:00.000000Z"],
        "reason": [f"核对更正{SCRIPT}{IMG}"]})
    submissions = pd.DataFrame({"department": [f"县{SCRIPT}委"], "reporting_year": [2024]})
    return History(hostile_observations, revisions, submissions)


class Page(HTMLParser):
    """Every element (tag, attributes), the text outside scripts and each script's content."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements, self.text, self.scripts, self._script = [], [], [], False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._script = tag == "script"

    def handle_endtag(self, tag):
        self._script = False

    def handle_data(self, data):
        (self.scripts if self._script else self.text).append(data)

    @property
    def shown(self) -> str:
        return "".join(self.text)


def assert_inert(page: Page, scripts: int) -> None:
    tags = [tag for tag, _ in page.elements]
    assert tags.count("script") == scripts
    assert "img" not in tags
    handlers = [(tag, name) for tag, attrs in page.elements for name in attrs if name.lower().startswith("on")]
    assert handlers == []


@pytest.fixture(scope="module", params=[("annual", "zh"), ("midterm", "en")])
def report_page(request, hostile_catalog, hostile_observations, history):
    kind, lang = request.param
    year = 2024 if kind == "annual" else 2025
    data = prepare(ReportOptions(year, kind, None, lang), hostile_catalog, hostile_observations, history)
    files = render(data, ChartOptions(png=False, workers=1))
    return lang, files["report.html"].decode("utf-8")


def test_report_html_holds_no_element_made_from_the_data(report_page):
    lang, text = report_page
    page = Page(text)
    assert_inert(page, scripts=3)  # the Vega bundle, the chart specifications, the drawing code
    assert [attrs for tag, attrs in page.elements if tag == "script"] == [
        {}, {"type": "application/json", "id": "chart-specs"}, {}]
    # The markup is shown as text, escaped in the source.
    name = f"孕产妇死亡率{SCRIPT}" if lang == "zh" else f"Maternal mortality{IMG}"
    assert name in page.shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in text
    assert f"县{SCRIPT}委" in page.shown and f"县{IMG}局" in page.shown  # units section
    assert f"核对更正{SCRIPT}{IMG}" in page.shown  # revised values
    ours = text.replace(page.scripts[0], "")  # vl-convert's bundle builds <img> in its own code
    assert SCRIPT not in ours and "<img" not in ours


def test_report_chart_specs_cannot_end_their_script(report_page):
    lang, text = report_page
    page = Page(text)
    payload = page.scripts[1]
    assert "<" not in payload and ">" not in payload and "&" not in payload
    specs = json.loads(payload)
    titles = {iid: spec["title"]["text"] for iid, spec in specs.items()}
    assert titles["W03"] == ("W03 孕产妇死亡率" + SCRIPT if lang == "zh" else "W03 Maternal mortality" + IMG)


def test_script_json_escapes_what_html_would_read():
    assert script_json({"a": "</script><!--&"}) == '{"a":"\\u003c/script\\u003e\\u003c!--\\u0026"}'
    assert json.loads(script_json({"a": "</script><!--&"})) == {"a": "</script><!--&"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_dashboard_build_content_is_inert(lang, hostile_catalog, hostile_observations):
    from planlib.apps import content
    from planlib.apps.model import Model

    model = Model(hostile_catalog, hostile_observations)
    page = content.page_content(model, 2024, lang)
    name = f"孕产妇死亡率{SCRIPT}" if lang == "zh" else f"Maternal mortality{IMG}"
    alerts = Page(page["alerts_html"])
    assert_inert(alerts, scripts=0)
    assert name in alerts.shown  # W03 is binding and off track: the first alert
    assert page["first_alert"] == "W03"
    for key in ("tiles_html", "overview_html"):
        assert_inert(Page(page[key]), scripts=0)
    # Table rows and the indicator list are plain data that the page puts in with textContent.
    assert [f"W03 {name}", "W03"] in page["indicators"]
    for iid in ("W01", "W03"):
        view = content.view_content(model, iid, 2024, lang)
        info = Page(view["info_html"])
        assert_inert(info, scripts=0)
    w01 = Page(content.view_content(model, "W01", 2024, lang)["info_html"])
    assert SCRIPT in w01.shown and IMG in w01.shown  # the responsible units, as text
