"""The dashboard's build, write side: everything the apps show, made once per data version.

:func:`build` runs when the data change (``planlib setup``, ``planlib import``, a confirmed import
in the intake app, and ``make app`` before it serves). For every as-of year (the county's data
years from the plans' base year on) and both languages it writes the page the dashboard shows
(tiles, alerts, overview chart, table rows and filters, the downloadable table) and every
indicator's explorer view (chart specification, words, chart data), and the chart renderer
bundled offline. It does so for every region with a plan in the store
(:func:`planlib.plans.catalogs`: the home county's and, say, the invented 示例县's), each
against its own plan and with its own as-of years: the dashboard's region picker. When the
store holds more than one plan, it also writes the city view of every as-of year and language (table
``city_pages``: the HTML sections of :func:`planlib.report.city.render_city_fragment` and the city
workbook of :func:`planlib.report.city.render_city_xlsx`, which the dashboard offers for
download). The file is written beside the store under a temporary name and renamed into
place, so a viewer sees the old build or the new one, never half of one; one process builds at a
time (a file lock), the others wait for it or find its result.

The work is spread over worker processes, one (region, as-of year, language) each.
"""

from __future__ import annotations

import concurrent.futures as cf
import fcntl
import hashlib
import json
import multiprocessing
import os
import sqlite3
import sys
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import config, i18n
from .. import schema as S
from ..config import COUNTY
from ..files import atomic_path, atomic_write_bytes
from . import edition as E
from .model import Model

#: The front-end file that draws charts; bundled with Vega, Vega-Lite and Vega-Embed (vl-convert).
CHART_SCRIPT = Path(__file__).parent / "static" / "vega_chart.js"
CHART_ASSET = "vega_chart.js"
#: Fewer views than this to compute: done in-process (starting worker processes costs more).
SMALL_BUILD = 300

_DDL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE pages (region TEXT NOT NULL, year INTEGER NOT NULL, lang TEXT NOT NULL, body BLOB NOT NULL,
                    PRIMARY KEY (region, year, lang));
CREATE TABLE views (region TEXT NOT NULL, indicator_id TEXT NOT NULL, year INTEGER NOT NULL, lang TEXT NOT NULL,
                    body BLOB NOT NULL, key TEXT NOT NULL, PRIMARY KEY (region, indicator_id, year, lang));
CREATE TABLE assets (name TEXT PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE city_pages (year INTEGER NOT NULL, lang TEXT NOT NULL, body BLOB NOT NULL, xlsx BLOB NOT NULL,
                         PRIMARY KEY (year, lang));
"""


def as_of_years(model: Model) -> list[int]:
    """The as-of years the dashboard offers: the region's data years from the plans' base year on.

    An assessment "as of" a year before the plans' base year (2020) says nothing about the plans;
    when the data hold no such year, every data year is offered.

    Examples:
        >>> cat = pd.DataFrame({"indicator_id": ["X"]})
        >>> obs = pd.DataFrame({"indicator_id": ["X"] * 3, "region": ["石柱县"] * 3,
        ...                     "year": [2010, 2020, 2021], "value": [1.0, 2.0, 3.0]})
        >>> as_of_years(Model(cat, obs))
        [2020, 2021]
    """
    years = model.years
    return [y for y in years if y >= config.BASE_YEAR] or years


def _pack(value: object) -> bytes:
    return zlib.compress(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)


# --- work of one (as-of year, language), done in a worker process ---------------------------------

_WORKER_MODELS: dict[str, Model] = {}


def _init_worker(plans: list[RegionPlan]) -> None:
    _die_with_parent()
    _WORKER_MODELS.update({plan.region: plan.model() for plan in plans})


def _die_with_parent() -> None:
    """Ask Linux to end this worker when the process that started it ends (killed builds leave none)."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _year_lang(region: str, as_of: int, lang: str, wanted: list[str], model: Model | None = None
               ) -> tuple[bytes, list[tuple[str, bytes]]]:
    """The page of one region, as-of year and language, and the views of the ``wanted``
    indicators (packed)."""
    from altair.utils.schemapi import debug_mode

    from .content import page_content, view_content

    model = model or _WORKER_MODELS[region]
    # Altair checks every object against the Vega-Lite schema as it is made ("debug mode", for
    # tracebacks while a chart is written): a fifth of the build's time. The charts are planlib's
    # own; tests/test_apps_build.py checks every chart of a build against the schema instead.
    with debug_mode(False):
        page = _pack(page_content(model, as_of, lang))
        return page, [(ident, _pack(view_content(model, ident, as_of, lang))) for ident in wanted]


def related_indicators(catalog: pd.DataFrame) -> dict[str, list[str]]:
    """The indicators whose data an indicator's view depends on: itself and its reference indicator.

    Examples:
        >>> related_indicators(pd.DataFrame({"indicator_id": ["W20", "W21"], "reference_indicator": ["", "W20"]}))
        {'W20': ['W20'], 'W21': ['W21', 'W20']}
    """
    refs = catalog.get(S.REFERENCE_INDICATOR, pd.Series("", index=catalog.index)).fillna("").astype(str)
    return {ident: [ident, *([ref] if ref and ref != ident else [])]
            for ident, ref in zip(catalog[S.INDICATOR_ID], refs)}


def view_keys(catalog: pd.DataFrame, observations: pd.DataFrame, years: list[int],
              region: str = COUNTY) -> dict[tuple, str]:
    """A key per (region, indicator, as-of year, language): equal keys, equal views.

    It hashes the code version, the region and, for the indicator and the indicators it depends
    on (:func:`related_indicators`), their catalogue rows and every observation of every region.
    A new build reuses the views of the previous one whose keys are unchanged, so an import that
    brings one department's values recomputes only that department's views.
    """
    code = E.code_version()
    rows = {i: g.astype(str).values.tolist()
            for i, g in observations.sort_values([S.INDICATOR_ID, S.REGION, S.YEAR], kind="stable")
            .groupby(S.INDICATOR_ID, sort=False)}
    entries = {i: r.astype(str).tolist() for i, (_, r) in zip(catalog[S.INDICATOR_ID], catalog.iterrows())}
    keys = {}
    for ident, related in related_indicators(catalog).items():
        text = json.dumps([code, region, [entries.get(i) for i in related], [rows.get(i, []) for i in related]],
                          ensure_ascii=False)
        base = hashlib.sha256(text.encode("utf-8")).hexdigest()
        for year in years:
            for lang in i18n.LANGS:
                keys[(region, ident, year, lang)] = hashlib.sha256(f"{base}:{year}:{lang}".encode()).hexdigest()[:24]
    return keys


def _previous(path: Path | None) -> tuple[sqlite3.Connection | None, set[tuple], bytes | None]:
    """The previous build made by the same code: its connection, its view keys and its chart bundle."""
    if path is None or not Path(path).is_file():
        return None, set(), None
    try:
        old = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        meta = dict(old.execute("SELECT key, value FROM meta"))
        if json.loads(meta.get("code_version", "null")) != E.code_version():
            old.close()
            return None, set(), None
        keys = set(old.execute("SELECT region, indicator_id, year, lang, key FROM views"))
        bundle = old.execute("SELECT body FROM assets WHERE name = ?", (CHART_ASSET,)).fetchone()
        return old, keys, bundle[0] if bundle else None
    except sqlite3.DatabaseError:
        return None, set(), None


def chart_bundle() -> str:
    """The chart widget's front end with Vega, Vega-Lite and Vega-Embed bundled in: nothing from outside."""
    import vl_convert as vlc

    return vlc.javascript_bundle(CHART_SCRIPT.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class RegionPlan:
    """One region's plan as the build shows it: the dashboard's region picker offers each.

    Attributes:
        region: the region (the home county, or one with a plan registered by ``planlib plan add``).
        catalog: its own plan's catalogue.
        observations: its values and the reference regions' (:func:`planlib.plans.rows_of`).
        title: the registered plan's title (None for the home county's shipped plans).
    """

    region: str
    catalog: pd.DataFrame
    observations: pd.DataFrame
    title: str | None = None

    def model(self) -> Model:
        """The :class:`Model` of this plan."""
        return Model(self.catalog, self.observations, self.region, self.title)


def write_build(catalog: pd.DataFrame, observations: pd.DataFrame, path: str | os.PathLike, *,
                stamp: str = "", workers: int | None = None,
                progress: Callable[[int, int], None] | None = None, previous: Path | None = None,
                city: CityInputs | None = None, others: tuple[RegionPlan, ...] = ()) -> Path:
    """Compute everything the apps show from ``catalog`` and ``observations`` and write it to ``path``.

    Args:
        catalog: the home county's plans' indicators (``load_catalog()``).
        observations: their values (``load_observations()``; the home county's and the
            reference regions', :func:`planlib.plans.rows_of`).
        path: the build file to write (replaced whole when done).
        stamp: the :func:`planlib.apps.edition.source_stamp` the data were read at.
        workers: worker processes (default: the machine's cores, at most 4; 1 computes in-process).
        progress: called with (steps done, steps in all) as the work goes on.
        previous: an earlier build whose unchanged views are reused (:func:`view_keys`).
        city: the city's members, their plans and observations (:func:`city_inputs`); None
            (or one member) writes no city view.
        others: the other regions' plans, each shown against its own (:func:`region_plans`).
    """
    from ..forecast import METHODS

    plans = [RegionPlan(COUNTY, catalog, observations), *others]
    models = {plan.region: plan.model() for plan in plans}
    years = {region: as_of_years(model) for region, model in models.items()}
    keys: dict[tuple, str] = {}
    for region, model in models.items():
        keys.update(view_keys(model.catalog, model.observations, years[region], region))
    old, old_keys, bundle = _previous(previous)
    reuse = {(r, i, y, lang) for r, i, y, lang, key in old_keys if keys.get((r, i, y, lang)) == key}
    tasks = [(region, year, lang, [i for i in model.catalog[S.INDICATOR_ID] if (region, i, year, lang) not in reuse])
             for region, model in models.items() for year in years[region] for lang in i18n.LANGS]
    city_years = years[COUNTY] if city is not None and len(city.catalogs) > 1 else []
    total = len(tasks) + 1 + len(city_years)
    report = progress or (lambda done, total: None)
    report(0, total)
    with atomic_path(path) as tmp:
        conn = sqlite3.connect(tmp)
        try:
            conn.executescript(_DDL)
            conn.execute("INSERT INTO assets VALUES (?, ?)",
                         (CHART_ASSET, bundle or zlib.compress(chart_bundle().encode("utf-8"), 6)))
            report(1, total)
            if reuse:
                conn.executemany("INSERT INTO views VALUES (?, ?, ?, ?, ?, ?)", [
                    (r, i, y, lang, body, key) for r, i, y, lang, body, key in
                    old.execute("SELECT region, indicator_id, year, lang, body, key FROM views")
                    if (r, i, y, lang) in reuse])
            fresh_views = sum(len(wanted) for *_, wanted in tasks)
            for done, ((region, year, lang), (page, views)) in enumerate(
                    _compute(plans, models, tasks, workers if fresh_views > SMALL_BUILD else 1), start=2):
                conn.execute("INSERT INTO pages VALUES (?, ?, ?, ?)", (region, year, lang, page))
                conn.executemany("INSERT INTO views VALUES (?, ?, ?, ?, ?, ?)",
                                 [(region, ident, year, lang, body, keys[(region, ident, year, lang)])
                                  for ident, body in views])
                report(done, total)
            for k, year in enumerate(city_years, start=len(tasks) + 2):
                conn.executemany("INSERT INTO city_pages VALUES (?, ?, ?, ?)",
                                 city_pages(city.catalogs, city.observations, year))
                report(k, total)
            home = models[COUNTY]
            meta = {"format": E.BUILD_FORMAT, "code_version": E.code_version(), "source_stamp": stamp,
                    "data_version": home.version, "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    "years": years[COUNTY], "methods": ["auto", *METHODS],
                    "indicators": catalog[S.INDICATOR_ID].tolist(), "city_members": list(city.catalogs)
                    if city_years else [],
                    "regions": {region: {"years": years[region], "data_version": model.version,
                                         "indicators": model.catalog[S.INDICATOR_ID].tolist()}
                                for region, model in models.items()}}
            conn.executemany("INSERT INTO meta VALUES (?, ?)",
                             [(k, json.dumps(v, ensure_ascii=False)) for k, v in meta.items()])
            conn.commit()
        finally:
            conn.close()
            if old is not None:
                old.close()
        os.chmod(tmp, 0o644)  # readable like the store: the server may run as another user
    return Path(path)


def region_plans(db: str | os.PathLike | None, observations: pd.DataFrame) -> tuple[RegionPlan, ...]:
    """The plans of the store's other regions (:func:`planlib.plans.catalogs`, not the home
    county's), each with its own rows of ``observations`` (every region's) and its title."""
    from ..plans import catalogs, rows_of, title_of

    return tuple(RegionPlan(region, catalog, rows_of(observations, region), title_of(region, db))
                 for region, catalog in catalogs(db).items() if region != COUNTY)


@dataclass(frozen=True)
class CityInputs:
    """What the city view is made of.

    Attributes:
        catalogs: member region -> its own plan's catalogue (the members in the order shown).
        observations: every member's and reference region's observations.
    """

    catalogs: dict[str, pd.DataFrame]
    observations: pd.DataFrame


def city_inputs(db: str | os.PathLike | None, observations: pd.DataFrame) -> CityInputs | None:
    """The city's members: every region with a plan in the store (:func:`planlib.plans.catalogs`,
    the home county first), or None when there is only the home county's (a city view of one
    member shows nothing new)."""
    from ..plans import catalogs

    plans = catalogs(db)
    return CityInputs(plans, observations) if len(plans) > 1 else None


def city_pages(catalogs: dict[str, pd.DataFrame], observations: pd.DataFrame, year: int
               ) -> list[tuple[int, str, bytes, bytes]]:
    """The city view of one as-of year in both languages: rows of the ``city_pages`` table."""
    from ..city import assess_members
    from ..report.city import member_line, prepare_city, render_city_fragment, render_city_xlsx

    members = list(catalogs)
    rows = assess_members(catalogs, observations, as_of=year)
    out = []
    for lang in i18n.LANGS:
        city = prepare_city(catalogs, observations, members, year, lang, assessments=rows)
        body = {"year": int(year), "lang": lang, "title": city.title, "members": member_line(city),
                "demo": city.view.demo, "html": render_city_fragment(city)}
        out.append((int(year), lang, _pack(body), render_city_xlsx(city)))
    return out


def _compute(plans: list[RegionPlan], models: dict[str, Model], tasks: list[tuple[str, int, str, list[str]]],
             workers: int | None):
    """Each task's (page, views), in-process with ``models`` or in worker processes that make
    their own models of ``plans``."""
    workers = workers or min(4, os.cpu_count() or 1)
    if workers <= 1 or len(tasks) <= 1:
        for region, year, lang, wanted in tasks:
            yield (region, year, lang), _year_lang(region, year, lang, wanted, models[region])
        return
    context = multiprocessing.get_context("forkserver" if sys.platform != "win32" else "spawn")
    if context.get_start_method() == "forkserver":
        # imported once in the server, not in every worker: Altair alone takes seconds to import
        # (its jsonschema compiles the IRI grammars of rfc3987-syntax at import)
        context.set_forkserver_preload(["planlib.apps.content", "planlib.assessment"])
    with cf.ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                                initargs=(plans,)) as pool:
        futures = {pool.submit(_year_lang, region, year, lang, wanted): (region, year, lang)
                   for region, year, lang, wanted in tasks}
        for future in cf.as_completed(futures):
            yield futures[future], future.result()


# --- the build of a store: once per data version, one builder at a time ---------------------------

def build(db: str | os.PathLike | None = None, *, workers: int | None = None, force: bool = False,
          echo: Callable[[str], None] | None = None) -> Path:
    """Make the dashboard's build for the store ``db`` unless a fresh one exists; its path.

    One process builds at a time: a second caller waits for the first and then finds its build.

    Args:
        db: the store (default ``config.db_path()``); without a store, the shipped data are built.
        workers: worker processes (see :func:`write_build`).
        force: build even when the build is fresh.
        echo: called with a line of progress now and then (the CLI prints them).
    """
    from ..observations import load_observations
    from ..plans import catalog_for, rows_of

    folder = E.build_dir(db)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / E.BUILD_FILE
    with open(folder / E.LOCK_FILE, "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            current, state = E.open_current(db)
            if current is not None:
                current.close()
            if state is E.State.FRESH and not force:
                return target
            for stale in folder.glob(f".{E.BUILD_FILE}.*.tmp*"):  # left by a build that was killed
                stale.unlink(missing_ok=True)
            stamp = E.source_stamp(db)
            catalog = catalog_for(COUNTY, db)  # the home county's plan: registered, else shipped
            every = load_observations(catalog=catalog, db=db)
            observations = rows_of(every)  # no other plan's rows

            def progress(done: int, total: int) -> None:
                atomic_write_bytes(folder / E.PROGRESS_FILE,
                                   json.dumps({"done": done, "total": total, "pid": os.getpid()}).encode())
                if echo:
                    echo(f"{done}/{total}")

            write_build(catalog, observations, target, stamp=stamp, workers=workers, progress=progress,
                        previous=None if force else target, city=city_inputs(db, every),
                        others=region_plans(db, every))
            return target
        finally:
            (folder / E.PROGRESS_FILE).unlink(missing_ok=True)
            fcntl.flock(lock, fcntl.LOCK_UN)


def start_build(db: str | os.PathLike | None = None) -> bool:
    """Start :func:`build` in a separate, low-priority process unless one is running; whether it started.

    For the apps: a kernel that finds the build missing or stale asks for it and goes on showing
    the progress, and the intake app asks for it after a confirmed import.
    """
    import subprocess

    if E.build_running(db):
        return False
    command = [sys.executable, "-m", "planlib", "build"]
    if db is not None:
        command += ["--db", str(db)]
    subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True, preexec_fn=lambda: os.nice(5))
    return True


def current_edition(db: str | os.PathLike | None = None) -> E.Edition:
    """The fresh build of the store ``db``, made first if it is missing or stale (for notebooks)."""
    edition, state = E.open_current(db)
    if state is E.State.FRESH:
        return edition
    if edition is not None:
        edition.close()
    return E.Edition(build(db))
