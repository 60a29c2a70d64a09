"""Assessing many regions at once: on a local process pool, or on a Dask cluster.

A city or province committee monitors many regions (Chongqing alone: 38 counties). Each region
is assessed alone, exactly as ``planlib assess`` assesses one (:func:`planlib.assessment.assess`
of its catalogue and its own observations), so the result of a region never depends on the
others, nor on how the work was spread:

* ``workers=1``: here, one region after the other;
* ``workers=N`` (default: the machine's cores): a local pool of N processes
  (:class:`concurrent.futures.ProcessPoolExecutor`, forked from a clean ``forkserver`` that has
  imported planlib once, never from this process, which may hold threads);
* ``scheduler="tcp://host:port"``: the workers of a Dask distributed cluster.

Regions are streamed: a task is given the region's name, its catalogue and a *loader*
(:class:`StoreLoader`, the store's address), and the worker reads that one region's observations
itself. So the process that hands out the work never holds more than a few regions' results, and
on a cluster the data go from the database to the worker once, not through this process (a
server store, ``postgresql://…``, must then be reachable from the workers; a SQLite file only
from workers on this machine or on a shared disk). At most :data:`IN_FLIGHT_PER_WORKER` tasks per
worker are out at a time, and results come back in the order of the regions.

On a Dask cluster, start the workers without the statistical profiler
(``DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False`` in their environment, or
``distributed.worker.profile.enabled: false`` in their configuration): it samples every running
task's stack every 10 ms, and an assessment is Python all through, so the sampling competes with
it for the GIL (12% of the wall time on 40 regions, ``benchmarks/batch_assess.py``).

An error in a region stops the run with a :class:`~planlib.errors.PlanlibError` that names the
region first, then what went wrong.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import pandas as pd

from . import i18n
from . import schema as S  # noqa: F401  (the examples use it)
from .assessment import assess, format_assessment
from .config import REFERENCE_REGIONS
from .errors import PlanlibError, Problem, problem
from .observations import is_demo

#: Tasks handed out ahead per worker: enough to keep every worker busy while results are
#: written in region order, few enough that memory does not grow with the number of regions.
IN_FLIGHT_PER_WORKER = 2

#: A region's catalogue: ``catalog_for(region) -> DataFrame`` (the shipped plans for every region
#: until each region has its own plan).
CatalogFor = Callable[[str], pd.DataFrame]
#: A region's observations: ``load(region) -> DataFrame``; called in the worker, so picklable.
Loader = Callable[[str], pd.DataFrame]


@dataclass(frozen=True)
class StoreLoader:
    """Reads one region's observations from a store; picklable, so each worker reads its own.

    Attributes:
        db: the store, as :func:`planlib.store.locate` resolved it here (a file path or a
            ``postgresql://`` URL), so a worker with another working directory or environment
            reads the same store.
        as_of_date: the values as known at the end of that day (``YYYY-MM-DD``), or the current ones.
    """

    db: str
    as_of_date: str | None = None

    def __call__(self, region: str) -> pd.DataFrame:
        from . import store

        return store.read_observations(self.db, self.as_of_date, regions=[region])


@dataclass(frozen=True)
class RegionResult:
    """One region's assessment (``schema.ASSESSMENT_COLUMNS``) and whether its data hold demo values."""

    region: str
    result: pd.DataFrame
    demo: bool


@dataclass(frozen=True)
class _Outcome:  # what a task sends back: a result, or the problems of a PlanlibError
    region: str
    result: pd.DataFrame | None
    demo: bool
    problems: tuple[Problem, ...] = ()


def store_loader(db: str | os.PathLike | None = None, as_of_date: str | None = None) -> StoreLoader:
    """The :class:`StoreLoader` of a store named as every command names it (``--db``, ``$PLANLIB_DB``)."""
    from . import store

    return StoreLoader(str(store.locate(db)), as_of_date)


def regions_to_assess(db: str | os.PathLike | None = None, as_of_date: str | None = None) -> list[str]:
    """The store's regions that are not reference regions (``config.REFERENCE_REGIONS``), sorted.

    Examples:
        >>> import tempfile, pathlib
        >>> from planlib.observations import ensure_store
        >>> db = ensure_store(pathlib.Path(tempfile.mkdtemp()) / "m.sqlite")[0]
        >>> regions_to_assess(db)
        ['石柱县']
    """
    from . import store

    return [r for r in store.list_regions(db, as_of_date) if r not in REFERENCE_REGIONS]


def assess_region(region: str, catalog: pd.DataFrame, load: Loader, as_of: int | None = None) -> RegionResult:
    """Assess one region alone: its catalogue against its own observations (what a task does).

    Raises:
        PlanlibError: naming the region, then each problem found.

    Examples:
        >>> cat = pd.DataFrame({"indicator_id": ["X1"], "name_zh": ["某率（%）"], "unit": ["%"],
        ...                     "target_text": ["保持合理比例"]})
        >>> obs = pd.DataFrame({"indicator_id": ["X1"], "region": ["甲县"], "year": [2021], "value": [5.0]})
        >>> r = assess_region("甲县", cat, lambda region: obs[obs.region == region])
        >>> r.result[["region", "status"]].values.tolist(), r.demo
        ([['甲县', 'not_assessable']], False)
    """
    return _unwrapped(_task(region, catalog, load, as_of))


def _task(region: str, catalog: pd.DataFrame, load: Loader, as_of: int | None) -> _Outcome:
    """The unit of work, top level so that it pickles. A PlanlibError comes back as its problems:
    the exception itself does not survive pickling (its only argument is a list of problems)."""
    try:
        observations = load(region)
        return _Outcome(region, assess(catalog, observations, as_of=as_of), is_demo(observations))
    except PlanlibError as exc:
        return _Outcome(region, None, False, tuple(exc.problems))


def _unwrapped(outcome: _Outcome) -> RegionResult:
    if outcome.problems:
        raise PlanlibError([region_failed(outcome.region), *outcome.problems])
    return RegionResult(outcome.region, outcome.result, outcome.demo)


def region_failed(region: str, reason: str = "") -> Problem:
    """The problem that heads every error of a run: which region failed, and that nothing was written.

    Examples:
        >>> region_failed("甲县", "ValueError: boom").text("en")
        "Assessing region '甲县' failed: ValueError: boom How to fix: The output file was not written. Fix this region's data and run again."
        >>> region_failed("甲县").text("zh")
        '区域“甲县”评估失败 处理办法：输出文件未写出。请修正该区域的数据后重试。'
    """
    key = "batch_region_failed_reason" if reason else "batch_region_failed"
    return problem(i18n.CLI_LABELS, key, {"region": region, "reason": reason})


def assess_regions(regions: Iterable[str], catalog_for: CatalogFor, load: Loader, *,
                   as_of: int | None = None, workers: int | None = None,
                   scheduler: str | None = None) -> Iterator[RegionResult]:
    """Assess each region alone, in parallel, and yield the results in the order of ``regions``.

    Args:
        regions: the regions, in the order wanted (an iterator is consumed as the work goes).
        catalog_for: the catalogue of a region (called here, once per region).
        load: a region's observations (called in the worker; must pickle, e.g. :class:`StoreLoader`).
        as_of: use only data up to this year.
        workers: local worker processes (default: the machine's cores); 1 assesses here.
        scheduler: the address of a Dask distributed scheduler (``tcp://host:port``); the work
            then runs on its workers and ``workers`` only bounds the tasks out at once (default:
            the cluster's worker threads).

    Yields:
        :class:`RegionResult` of each region, equal to :func:`assess_region` of that region.

    Raises:
        PlanlibError: the first region (in order) whose assessment failed, named, with why.
    """
    tasks = ((region, catalog_for(region)) for region in regions)
    if scheduler is not None:
        yield from _on_dask(tasks, load, as_of, workers, scheduler)
        return
    workers = workers or os.cpu_count() or 1
    if workers <= 1:
        for region, catalog in tasks:
            yield _checked(region, lambda: _task(region, catalog, load, as_of))
        return
    with cf.ProcessPoolExecutor(workers, mp_context=_pool_context()) as pool:
        submit = lambda region, catalog: pool.submit(_task, region, catalog, load, as_of)  # noqa: E731
        yield from _in_order(tasks, submit, workers * IN_FLIGHT_PER_WORKER)


def _in_order(tasks: Iterable[tuple[str, pd.DataFrame]], submit, window: int) -> Iterator[RegionResult]:
    """Keep ``window`` tasks out; yield their results in the order they were handed out."""
    pending: deque = deque()
    try:
        for region, catalog in tasks:
            pending.append((region, submit(region, catalog)))
            if len(pending) >= window:
                region_done, future = pending.popleft()
                yield _checked(region_done, future.result)
        while pending:
            region_done, future = pending.popleft()
            yield _checked(region_done, future.result)
    finally:
        for _, future in pending:  # an error, or the caller stopped reading: drop the rest
            future.cancel()


def _checked(region: str, outcome: Callable[[], _Outcome]) -> RegionResult:
    """The result of a region, or a PlanlibError naming it (a crash of any kind included)."""
    try:
        done = outcome()
    except PlanlibError:
        raise
    except Exception as exc:  # a bug or a dead worker: still say which region, keep the cause
        raise PlanlibError(region_failed(region, f"{type(exc).__name__}: {exc}")) from exc
    return _unwrapped(done)


def _pool_context():
    """Workers forked from a clean server process that has imported planlib once (Linux, macOS),
    else started afresh (Windows)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # imported once in the server, not in every worker: planlib.forecast (and scipy) is otherwise
    # imported by a worker's first projection, planlib.store (and SQLAlchemy, ~0.5 s) by its first
    # read of a region
    context.set_forkserver_preload(["planlib.batch", "planlib.forecast", "planlib.store"])
    return context


def _on_dask(tasks, load: Loader, as_of: int | None, workers: int | None,
             scheduler: str) -> Iterator[RegionResult]:
    from distributed import Client
    from distributed.comm.addressing import parse_address, parse_host_port

    def unreachable(exc: Exception) -> PlanlibError:
        return PlanlibError(problem(i18n.CLI_LABELS, "batch_no_scheduler",
                                    {"address": scheduler, "reason": str(exc)}))

    try:  # a malformed address is told at once (a Client made of it takes 20 s to give up)
        scheme, location = parse_address(scheduler)
        if scheme in ("tcp", "tls"):
            parse_host_port(location)
    except ValueError as exc:
        raise unreachable(exc) from exc
    try:
        client = Client(scheduler, set_as_default=False, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise unreachable(exc) from exc
    with client:
        window = (workers or sum(client.nthreads().values()) or 1) * IN_FLIGHT_PER_WORKER

        def submit(region: str, catalog: pd.DataFrame):
            return client.submit(_task, region, catalog, load, as_of, pure=False)

        yield from _in_order(tasks, submit, window)


# --- writing the results as they come -------------------------------------------------------------

def stream_text(results: Iterable[RegionResult], fmt: str, lang: str = "zh",
                catalog_for: CatalogFor | None = None) -> Iterator[str]:
    """The results as text, one piece per region, as ``planlib assess`` writes them.

    ``csv`` and ``json`` give one table with the region column: exactly what
    :func:`~planlib.assessment.format_assessment` gives for all the regions' rows together.
    ``table`` gives one block per region (with its demo label where its data are demo).

    Examples:
        >>> cols = S.ASSESSMENT_COLUMNS
        >>> parts = [RegionResult(r, pd.DataFrame([{c: None for c in cols}]).assign(region=r), False)
        ...          for r in ("甲县", "乙县")]
        >>> text = "".join(stream_text(parts, "csv"))
        >>> [line.split(",")[1] for line in text.splitlines()]
        ['region', '甲县', '乙县']
    """
    written = False  # anything (a CSV header, a JSON record, a block) written yet
    if fmt == "json":
        yield "["
    for part in results:
        catalog = catalog_for(part.region) if catalog_for is not None else None
        text = format_assessment(part.result, fmt, lang=lang, catalog=catalog, demo=part.demo)
        if fmt == "json":
            inner = text.strip()[1:-1].strip("\n")  # the records without the list's brackets
            text = ("\n" if not written else ",\n") + inner if inner else ""
        elif fmt == "csv" and written:
            text = text.split("\n", 1)[1]  # the header once (no header cell holds a line break)
        elif fmt == "table" and written:
            text = "\n" + text
        written = written or bool(text)
        yield text
    if fmt == "json":
        yield "\n]\n" if written else "\n\n]\n"
