"""planlib.report.html: the self-contained page, from the Jinja2 templates."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from planlib.report import html as H
from planlib.report.build import prepare
from planlib.report.content import ReportOptions

from .report_fixtures import observations, small_catalog
from .test_report_injection import Page


@pytest.fixture(scope="module")
def page():
    data = prepare(ReportOptions(2024), small_catalog(), observations())
    specs = {"W03": {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "mark": "point",
                     "title": "</script>"}}
    return H.render_html(data, specs)


def test_templates_are_autoescaped():
    assert H._env().autoescape is True
    assert H._env().get_template("report.html.j2") is not None


def test_table_html_escapes_and_marks_numbers():
    frame = pd.DataFrame({"指标": ["<a>"], "值": ["1"]})
    assert H.table_html(frame, numeric=("值",)) == (
        '<table><thead><tr><th>指标</th><th>值</th></tr></thead>'
        '<tbody><tr><td>&lt;a&gt;</td><td class="num">1</td></tr></tbody></table>')


def test_page_outline_banner_and_indicators(page):
    parsed = Page(page)
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"zh-CN\">")
    sections = [attrs["id"] for tag, attrs in parsed.elements if tag == "section"]
    assert sections == ["summary", "plan-women", "plan-children", "units", "quality", "method"]
    articles = [attrs["id"] for tag, attrs in parsed.elements if tag == "article"]
    assert articles == ["W01", "W03", "W11", "W13", "C02"]
    assert [attrs for tag, attrs in parsed.elements if tag == "div" and attrs.get("role") == "note"] == [
        {"class": "demo-banner", "role": "note"}]
    assert ("body", {"class": "demo"}) in parsed.elements
    assert "示例数据（非官方统计）" in parsed.shown
    assert "W03 孕产妇死亡率（1/10万）✔ 已达标" in parsed.shown


def test_chart_specs_lose_their_schema_address_and_stay_in_the_script(page):
    parsed = Page(page)
    specs = json.loads(parsed.scripts[1])
    assert specs == {"W03": {"mark": "point", "title": "</script>"}}
    assert "vega.github.io" not in parsed.scripts[1] and "\\u003c/script\\u003e" in parsed.scripts[1]


def test_english_page_language():
    data = prepare(ReportOptions(2024, lang="en"), small_catalog(), observations())
    text = H.render_html(data, {})
    assert text.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<title>Shizhu County Women&#39;s and Children&#39;s Development Plans (2021-2030): " \
           "Annual Monitoring Report 2024</title>" in text
