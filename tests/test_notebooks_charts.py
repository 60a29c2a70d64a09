"""The charts the curated notebooks draw, checked as Vega-Lite dicts (``to_dict()``): marks, fields, data.

Each notebook runs with ``alt.JupyterChart`` replaced by a recorder that keeps every chart it is
given, as its ``to_dict()``, so the test sees exactly what the analyst sees.
"""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from .test_notebooks import ROOT

RECORDER = """
import json as _json, altair as _alt
_PLANLIB_CHARTS = []
class _Recorder:
    enable_offline = staticmethod(lambda *a, **k: None)
    def __init__(self, chart, **kwargs):
        _PLANLIB_CHARTS.append(chart.to_dict())
        self.chart = chart
    def _repr_mimebundle_(self, *a, **k):
        return {"text/plain": "chart"}
_alt.JupyterChart = _Recorder
"""
DUMP = "import json as _json; print('PLANLIB_CHARTS=' + _json.dumps(_PLANLIB_CHARTS, default=str))"


def run_charts(name: str, store, tmp_path, monkeypatch) -> list[dict]:
    shutil.copy(store / "monitoring.sqlite", tmp_path / "monitoring.sqlite")
    shutil.copytree(store / "monitoring.build", tmp_path / "monitoring.build")
    monkeypatch.setenv("PLANLIB_DB", str(tmp_path / "monitoring.sqlite"))
    path = ROOT / "notebooks" / name
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(RECORDER))
    nb.cells.append(nbformat.v4.new_code_cell(DUMP))
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    return json.loads(text.split("PLANLIB_CHARTS=", 1)[1])


def layers(spec: dict) -> list[dict]:
    """Every single-view spec in ``spec`` (layers, concatenations, facets), in order."""
    found = [spec] if "mark" in spec else []
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for part in spec.get(key, []):
            found += layers(part)
    if "spec" in spec:
        found += layers(spec["spec"])
    return found


def mark(view: dict) -> str:
    return view["mark"] if isinstance(view["mark"], str) else view["mark"]["type"]


def fields(view: dict) -> dict[str, str]:
    return {channel: enc.get("field") for channel, enc in view.get("encoding", {}).items()
            if isinstance(enc, dict) and "field" in enc}


def values(spec: dict, view: dict) -> list[dict]:
    data = view.get("data") or spec.get("data") or {}
    if "values" in data:
        return data["values"]
    return spec.get("datasets", {}).get(data.get("name"), [])


@pytest.mark.slow
def test_trend_forecast_notebook_draws_band_and_line(prepared_store, tmp_path, monkeypatch):
    (spec,) = run_charts("10-trend-forecast.ipynb", prepared_store, tmp_path, monkeypatch)
    assert spec["facet"]["field"] == "requested"  # one panel per projection method
    band, line, dots = layers(spec)
    assert (mark(band), mark(line), mark(dots)) == ("area", "line", "point")
    assert fields(band) == {"x": "year", "y": "lower_95", "y2": "upper_95"}
    assert fields(line) == {"x": "year", "y": "mean", "strokeDash": "is_projection"}
    assert fields(dots) == {"x": "year", "y": "value"}
    rows = values(spec, spec)
    methods = {r["requested"] for r in rows}
    assert len(methods) >= 2  # the methods side by side
    for method in methods:
        mine = [r for r in rows if r["requested"] == method]
        years = [r["year"] for r in mine]
        assert years == sorted(years) and max(years) == 2030, method
        assert all(r["lower_95"] <= r["mean"] <= r["upper_95"] for r in mine if r["lower_95"] is not None), method
    assert any(r["value"] is not None for r in rows)  # the observed values are drawn too


@pytest.mark.slow
def test_assessment_notebook_draws_the_domain_status_bars(prepared_store, tmp_path, monkeypatch):
    (spec,) = run_charts("11-at-risk-assessment.ipynb", prepared_store, tmp_path, monkeypatch)
    (bars, *_) = [v for v in layers(spec) if mark(v) == "bar"]
    assert {"x", "y", "color"} <= set(fields(bars))
    rows = values(spec, bars)
    counted = fields(bars)["x"] if fields(bars)["x"] not in ("domain", "domain_label") else fields(bars)["y"]
    assert sum(r[counted] for r in rows) == 90  # every indicator of both plans, once


@pytest.mark.slow
def test_backtest_notebook_draws_calibration_points_on_the_diagonal(prepared_store, tmp_path, monkeypatch):
    (spec,) = run_charts("20-backtest.ipynb", prepared_store, tmp_path, monkeypatch)
    diagonal, points = layers(spec)
    assert (mark(diagonal), mark(points)) == ("line", "circle")
    assert fields(points) == {"x": "mean_p_meet", "y": "share_met", "size": "n"}
    assert values(spec, diagonal) == [{"p": 0.0}, {"p": 1.0}]
    rows = values(spec, points)
    assert rows and all(0 <= r["mean_p_meet"] <= 1 and 0 <= r["share_met"] <= 1 and r["n"] > 0 for r in rows)
