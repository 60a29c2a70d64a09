"""The charts of a report: Vega-Lite specifications for the HTML page, PNG images for Word.

Each indicator's chart is :func:`planlib.charts.indicator_chart` (the explorer's chart: observed
points, trend, projection with 80 % and 95 % bands, target, 2025 and 2030 markers, the national
series), sized for a report. Images are rendered offline by :func:`planlib.charts.render`
(vl-convert, with the Noto CJK fonts of Debian's ``fonts-noto-cjk`` registered, so no glyph
becomes a missing-glyph box); a PNG drawn before from the same specification is reused
(:func:`planlib.charts.render_reusing`), so a report made again redraws only what changed.

Building and rendering some 90 charts is the slow part of a report, so it runs in worker
processes (one per core, at most :data:`MAX_WORKERS`) while the main process writes the rest;
:class:`ChartOptions` ``workers=1`` keeps it in the calling process. A worker ends by itself
when the process that started it is gone (killed, say), so no worker outlives its report.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

import pandas as pd

from . import tables as T
from .. import schema as S
from ..files import process_alive
from .content import ReportData

#: Size of the chart shown with each indicator (pixels, before scaling).
CHART_SIZE = (420, 190)
MAX_WORKERS = 4
# Only the columns the chart draws or shows: every column handed to Altair is copied into the spec.
_OBSERVED = [S.REGION, S.YEAR, S.VALUE, S.SOURCE, S.CONFIRMATION]
_PROJECTED = [S.YEAR, S.MEAN, S.LOWER_80, S.UPPER_80, S.LOWER_95, S.UPPER_95, S.IS_PROJECTION]
#: Below this many charts, starting worker processes costs more than it saves.
MIN_PARALLEL = 16


@dataclass(frozen=True)
class ChartOptions:
    """How the charts of a report are made.

    Attributes:
        png: also render PNG images (for the Word document).
        scale: PNG pixels per chart pixel (2 gives about 200 dpi at 14.5 cm).
        workers: processes to use; None = one per core (at most :data:`MAX_WORKERS`), 1 = here.
        reuse: reuse PNGs drawn before from the same specification
            (:func:`planlib.charts.render_reusing`); False draws every one anew.
    """

    png: bool = True
    scale: float = 2.0
    workers: int | None = None
    reuse: bool = True


def indicator_chart(data: ReportData, indicator_id: str):
    """The chart of one indicator, as :func:`planlib.charts.indicator_chart` draws it.

    The title is the indicator's code and name; the subtitle the target and, for illustrative
    data, 示例数据（非官方统计）.
    """
    from .. import charts
    from ..targets import parse_target

    row = data.table.set_index(S.INDICATOR_ID).loc[indicator_id]
    observed = data.observations.loc[data.observations[S.INDICATOR_ID] == indicator_id, _OBSERVED]
    notes = (data.demo_label(),) if row[T.DEMO] else ()
    text = charts.ChartText(title=f"{indicator_id} {row[T.NAME]}", target_text=row[T.TARGET],
                            target_year=int(row[S.TARGET_YEAR]), lang=data.options.lang, notes=notes,
                            size=CHART_SIZE, region=data.options.region)
    projection = data.projections.get(indicator_id, pd.DataFrame(columns=S.PROJECTION_COLUMNS))
    projection = projection.reindex(columns=_PROJECTED)
    return charts.indicator_chart(observed.reset_index(drop=True), projection,
                                  parse_target(row[T.TARGET]), text)


def charted_ids(data: ReportData) -> list[str]:
    """The indicators that get a chart: those with at least one county value."""
    county = T.county_rows(data.observations)
    return [i for i in data.table[S.INDICATOR_ID] if i in set(county[S.INDICATOR_ID])]


def _render(data: ReportData, ids: list[str], options: ChartOptions) -> list[tuple]:
    from ..charts import json_safe, render, render_reusing  # imported here: Altair takes seconds

    out = []
    for iid in ids:
        spec = json_safe(indicator_chart(data, iid).to_dict(validate=False))
        draw = render_reusing if options.reuse else render
        out.append((iid, spec, draw(spec, "png", options.scale) if options.png else None))
    return out


# --- worker processes ----------------------------------------------------------------------------

_WORKER_DATA: ReportData | None = None
#: How often (seconds) a worker checks that the process that made the report still lives.
WATCH_INTERVAL_S = 0.5


def _init_worker(data: ReportData, owner: int) -> None:
    global _WORKER_DATA
    _WORKER_DATA = data
    threading.Thread(target=_exit_with, args=(owner, os.getppid()), daemon=True,
                     name="planlib-exit-with-owner").start()


def _exit_with(owner: int, parent: int) -> None:
    """End this worker as soon as the report's process (``owner``) or this worker's parent is
    gone: a report killed with ``kill -9`` leaves no chart worker behind."""
    while True:
        time.sleep(WATCH_INTERVAL_S)
        if os.getppid() != parent or not process_alive(owner):
            os._exit(1)


def _work(ids: list[str], options: ChartOptions) -> list[tuple]:
    return _render(_WORKER_DATA, ids, options)


class ChartJob:
    """Charts being made (in worker processes, or here); :meth:`result` waits for them.

    Start it, do other work, then ``specs, pngs = job.result()``. With fewer than
    :data:`MIN_PARALLEL` charts or ``workers=1`` the charts are made here, at once.
    """

    def __init__(self, data: ReportData, options: ChartOptions | None = None):
        self.options = options or ChartOptions()
        ids = charted_ids(data)
        workers = self.options.workers or min(os.cpu_count() or 1, MAX_WORKERS)
        self._pool: ProcessPoolExecutor | None = None
        self._futures: list[Future] = []
        self._local: list[tuple] | None = None
        if workers <= 1 or len(ids) < MIN_PARALLEL:
            self._local = _render(data, ids, self.options)
            return
        context = _worker_context()
        self._pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                                         initargs=(data, os.getpid()))
        for chunk in _chunks(ids, workers * 3):
            self._futures.append(
                self._pool.submit(_work, chunk, self.options))

    def result(self) -> tuple[dict[str, dict], dict[str, bytes]]:
        """``(specs, pngs)``: indicator id -> Vega-Lite spec, and -> PNG bytes (if asked for)."""
        try:
            rows = self._local if self._local is not None else [
                r for f in self._futures for r in f.result()]
        finally:
            self.close()
        specs = {iid: spec for iid, spec, _ in rows}
        pngs = {iid: png for iid, _, png in rows if png is not None}
        return specs, pngs

    def close(self) -> None:
        """Stop the worker processes (unfinished charts are dropped)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _worker_context():
    """Fork workers from a clean server process (never from this one, which may hold threads)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")  # Windows
    context = multiprocessing.get_context("forkserver")
    # Workers fork from a server that has imported pandas and Altair once (if it starts now).
    context.set_forkserver_preload(["planlib.report.worker"])
    return context


def _chunks(items: list[str], n: int) -> list[list[str]]:
    """``items`` in about ``n`` consecutive chunks.

    Examples:
        >>> _chunks(["a", "b", "c", "d", "e"], 2)
        [['a', 'b', 'c'], ['d', 'e']]
    """
    size = max(1, -(-len(items) // n))
    return [items[i:i + size] for i in range(0, len(items), size)]
