"""planlib.report.charts: which indicators get a chart, the chart, and the chart job."""

from __future__ import annotations

import pytest

from planlib import schema as S
from planlib.report import charts as C
from planlib.report.build import prepare, prepare_current
from planlib.report.content import ReportOptions

from .report_fixtures import observations, small_catalog


@pytest.fixture(scope="module")
def annual():
    return prepare(ReportOptions(2024), small_catalog(), observations())


def test_only_indicators_with_a_county_value_are_charted(annual):
    obs = observations()
    data = prepare(ReportOptions(2024), small_catalog(), obs[obs[S.INDICATOR_ID] != "W11"])
    assert C.charted_ids(annual) == ["W01", "W03", "W11", "W13", "C02"]
    assert C.charted_ids(data) == ["W01", "W03", "W13", "C02"]


def test_chunks_cover_every_item_in_order():
    items = [f"X{i}" for i in range(10)]
    chunks = C._chunks(items, 3)
    assert chunks == [["X0", "X1", "X2", "X3"], ["X4", "X5", "X6", "X7"], ["X8", "X9"]]
    assert C._chunks([], 4) == []


@pytest.mark.slow  # the first Altair chart of a process loads the Vega-Lite schema
def test_chart_job_in_process_gives_specs_and_no_pngs():
    data = prepare_current(ReportOptions(2024, lang="en"), small_catalog(), observations())
    job = C.ChartJob(data, C.ChartOptions(png=False, workers=1))
    specs, pngs = job.result()
    assert sorted(specs) == ["C02", "W01", "W03", "W11", "W13"] and pngs == {}
    w03 = specs["W03"]
    assert w03["title"]["text"] == "W03 Maternal mortality ratio (per 100,000 live births)"
    assert w03["title"]["subtitle"][-1] == S.DEMO_LABEL_EN
    assert (w03["width"], w03["height"]) == C.CHART_SIZE == (420, 190)


def test_worker_preload_is_the_package_module(monkeypatch):
    import importlib.util
    import multiprocessing

    preloaded = []
    context = multiprocessing.get_context("forkserver")
    monkeypatch.setattr(type(context), "set_forkserver_preload", lambda self, names: preloaded.extend(names))
    monkeypatch.setattr(multiprocessing, "get_context", lambda method: context)
    C._worker_context()
    assert preloaded == ["planlib.report.worker"]  # imported in the server, not here (it hides a module)
    assert importlib.util.find_spec("planlib.report.worker") is not None
