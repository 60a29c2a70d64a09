"""The annual monitoring report and the mid-term and final evaluation reports.

The plans' monitoring-and-evaluation chapter (监测评估) asks for an annual statistical monitoring
report with data tables (年度统计监测报告和数据报表), a mid-term and a final evaluation.
:func:`build_report` drafts all three files of one report into a directory:

* ``report.html``: one self-contained page (charts interactive, every script inlined; it loads
  nothing from any other host, so it opens from a file share or an e-mail attachment offline);
* ``report.docx``: an editable Word document with headings that follow the plans' structure;
* ``data.xlsx``: the data tables (one sheet per plan, one per responsible unit).

What a report holds (:func:`prepare`): the assessment as of the report's year
(:func:`planlib.assessment.assess`), each indicator's projection to its target year
(:func:`planlib.forecast.project`) and, from the monitoring store, what changed since last year's
report. *Last year's report* is the assessment as of ``year - 1`` made with the data as known on
``previous_report_date`` (default: 30 June of ``year``, since the report on year Y is drafted
in the first half of year Y+1); when the store holds no data from that date (it was created
later), the current data as of ``year - 1`` stand in, and the report says so. Values revised
since then come from the store's revision history.

Mid-term (``midterm``) and final (``final``) reports add, for every indicator, the progress since
the 2020 baseline, whether the target is met, and what was projected with the data known at
earlier years (default 2022 and 2023 for the mid-term, 2022 and 2025 for the final evaluation)
against what happened.

If any value in a report is illustrative (``source == "demo"``), every page, section header and
sheet carries the mark 示例数据（非官方统计）.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd

from . import tables as T
from .. import schema as S
from ..catalog import indicators_of_unit, units_of
from ..config import COUNTY
from ..errors import PlanlibError, Problem
from ..files import process_alive, swap_folder
from .content import (EARLIER_YEARS, KINDS, History, ReportData, ReportOptions,  # noqa: F401
                          sections, title)
from .method import load_evidence

HTML_NAME, DOCX_NAME, XLSX_NAME = "report.html", "report.docx", "data.xlsx"


# --- preparing the content ---------------------------------------------------------------------

def prepare(options: ReportOptions, catalog: pd.DataFrame, observations: pd.DataFrame,
            history: History | None = None, today: date | None = None) -> ReportData:
    """Assess, project and compare: everything a report shows, for any writer.

    The same as :func:`add_comparisons` applied to :func:`prepare_current`; the two steps are
    separate so that the charts, which need only the first, can be drawn during the second.

    Args:
        options: what report to make.
        catalog: the indicator catalogue (``schema.CATALOG_COLUMNS``).
        observations: all observations (``schema.OBS_COLUMNS``); later years are ignored.
        history: what the store knows about the past (default: nothing).
        today: the report's date (default: today).

    Returns:
        The report's content.

    Raises:
        PlanlibError: the unit is not a responsible unit of the catalogue.
    """
    history = history or History()
    return add_comparisons(prepare_current(options, catalog, observations, history, today), history)


def prepare_current(options: ReportOptions, catalog: pd.DataFrame, observations: pd.DataFrame,
                    history: History | None = None, today: date | None = None) -> ReportData:
    """This year's content: the assessment, projections and indicator table (no comparisons yet).

    ``previous`` is empty and ``evaluation`` None until :func:`add_comparisons`.
    """
    history = history or History()
    catalog = _narrow(catalog, options.unit)
    obs = observations[observations[S.INDICATOR_ID].isin(catalog[S.INDICATOR_ID])
                       & (observations[S.YEAR] <= options.year)].reset_index(drop=True)
    table = T.indicator_table(catalog, obs, _assess(catalog, obs, options.year, options.region),
                              options.year, options.lang)
    return ReportData(
        options=options, catalog=catalog, observations=obs, table=table,
        previous=pd.DataFrame(columns=S.ASSESSMENT_COLUMNS), vintage_used=False,
        revised=T.revised_values(history.revisions, table, options.year),
        submissions=history.submissions, projections=projections(catalog, obs), evaluation=None,
        generated=(today or date.today()).isoformat(), evidence=load_evidence())


def add_comparisons(data: ReportData, history: History | None = None) -> ReportData:
    """``data`` with last year's report (``previous``) and, for evaluations, ``evaluation``."""
    history = history or History()
    catalog, obs, options = data.catalog, data.observations, data.options
    previous, vintage_used = _previous_assessment(catalog, obs, history, options)
    evaluation = None
    if options.kind != "annual":
        evaluation = _evaluation(catalog, obs, data.table, options.as_of_years, options.region)
    return replace(data, previous=previous, vintage_used=vintage_used, evaluation=evaluation)


def _narrow(catalog: pd.DataFrame, unit: str | None) -> pd.DataFrame:
    if not unit:
        return catalog.reset_index(drop=True)
    mine = indicators_of_unit(catalog, unit)
    if mine.empty:
        units = "、".join(units_of(catalog))
        raise PlanlibError(Problem(
            f"“{unit}”不是任何指标的责任单位", f"'{unit}' is not a responsible unit of any indicator",
            f"请使用指标目录中的责任单位名称：{units}。",
            f"Use a responsible unit as named in the catalogue: {units}.",
            column="--unit", value=unit))
    return mine


def _assess(catalog: pd.DataFrame, obs: pd.DataFrame, as_of: int, region: str) -> pd.DataFrame:
    """The assessment of the report's region (a row for every indicator, with data or not)."""
    from ..assessment import AssessConfig, assess

    return assess(catalog, obs, as_of=as_of, config=AssessConfig(home_region=region))


def _previous_assessment(catalog: pd.DataFrame, obs: pd.DataFrame, history: History,
                         options: ReportOptions) -> tuple[pd.DataFrame, bool]:
    vintage = history.vintage
    used = vintage is not None and not vintage.empty
    source = vintage[vintage[S.INDICATOR_ID].isin(catalog[S.INDICATOR_ID])] if used else obs
    return _assess(catalog, source, options.year - 1, options.region), used


def _evaluation(catalog: pd.DataFrame, obs: pd.DataFrame, table: pd.DataFrame,
                years: tuple[int, ...], region: str) -> pd.DataFrame:
    parts = [T.earlier_projections(table, _assess(catalog, obs, year, region),
                                   projections(catalog, obs, as_of=year), year) for year in years]
    earlier = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["as_of"])
    return T.evaluation_table(catalog, table, earlier)


def projections(catalog: pd.DataFrame, observations: pd.DataFrame,
                as_of: int | None = None) -> dict[str, pd.DataFrame]:
    """Each indicator's county series projected to its target year, as the assessment does it.

    Each series goes through :func:`planlib.assessment.project_series` (method ``auto``, natural bounds
    and rate multiplier of the unit) on :func:`planlib.series.assessed_series`, cut at the
    indicator's own target year; an indicator with fewer than ``AssessConfig.min_points`` values
    or a qualitative target (保持合理比例) gets an empty frame.

    Examples:
        >>> cat = pd.DataFrame({"indicator_id": ["A"], "unit": ["%"], "target_text": ["≥ 60"],
        ...                     "target_year": [2030]})
        >>> obs = pd.DataFrame({"indicator_id": ["A"] * 3, "region": ["石柱县"] * 3,
        ...                     "year": [2021, 2022, 2023], "value": [50.0, 52.0, 54.0]})
        >>> frame = projections(cat, obs)["A"]
        >>> int(frame["year"].max()), bool((frame["upper_95"] <= 100).all())
        (2030, True)
    """
    from ..assessment import AssessConfig, project_series
    from ..series import assessed_series, projectable
    from ..targets import parse_target

    min_points = AssessConfig().min_points
    obs = T.county_rows(observations).assign(**{S.REGION: COUNTY})  # the report's region, as one series
    out = {}
    for ind in catalog.to_dict("records"):
        iid, target_year = ind[S.INDICATOR_ID], int(ind[S.TARGET_YEAR])
        series = assessed_series(obs, iid, COUNTY, target_year, as_of)
        if not projectable(series, min_points) or parse_target(ind[S.TARGET_TEXT]).kind == "qualitative":
            out[iid] = pd.DataFrame(columns=S.PROJECTION_COLUMNS)
            continue
        out[iid] = project_series(series, ind[S.UNIT], target_year).summary_frame()
    return out


# --- loading, rendering, writing ---------------------------------------------------------------

def load_history(options: ReportOptions, db: str | os.PathLike | None = None) -> History:
    """What the store knows about the past: the vintage at the previous report, later revisions.

    Without a store (the shipped data are used), the history is empty.
    """
    from .. import store
    from ..plans import rows_of

    path = store.locate(db)
    if not store.exists(path):
        return History()
    vintage = rows_of(store.read_observations(path, as_of_date=options.previous_date), options.region)
    revisions = rows_of(store.revisions(db=path), options.region)
    later = revisions[revisions["changed_at"] > store.vintage_cutoff(options.previous_date)]
    return History(vintage=vintage if len(vintage) else None,
                   revisions=later.reset_index(drop=True), submissions=store.submissions(path))


def load_inputs(options: ReportOptions, db: str | os.PathLike | None = None
                ) -> tuple[pd.DataFrame, pd.DataFrame, History]:
    """The catalogue of the report's region (:func:`planlib.plans.catalog_for`), its
    observations with the reference regions' (the store, else the shipped data) and the history."""
    from ..observations import load_observations
    from ..plans import catalog_for, rows_of

    catalog = catalog_for(options.region, db)
    observations = rows_of(load_observations(catalog=catalog, db=db), options.region)
    return catalog, observations, load_history(options, db)


def load(options: ReportOptions, db: str | os.PathLike | None = None) -> ReportData:
    """Read everything (:func:`load_inputs`) and :func:`prepare` the report."""
    return prepare(options, *load_inputs(options, db))


def render(data: ReportData, charts=None) -> dict[str, bytes]:
    """The three files of a report as bytes: ``report.html``, ``report.docx``, ``data.xlsx``.

    Args:
        data: the report's content (:func:`prepare`).
        charts: a :class:`planlib.report.charts.ChartJob` already started on ``data`` (or on
            its :func:`prepare_current` part), or :class:`planlib.report.charts.ChartOptions`
            for a new one (default: PNGs, drawn in worker processes).
    """
    from .charts import ChartJob
    from .docx import render_docx
    from .html import render_html, vega_bundle
    from .xlsx import render_xlsx

    job = charts if isinstance(charts, ChartJob) else ChartJob(data, charts)
    try:
        xlsx = render_xlsx(data)
        vega_bundle()  # made while the charts are drawn elsewhere
        specs, pngs = job.result()
    finally:
        job.close()
    return {HTML_NAME: render_html(data, specs).encode("utf-8"),
            DOCX_NAME: render_docx(data, pngs), XLSX_NAME: xlsx}


def build_report_bytes(year: int, kind: str = "annual", unit: str | None = None, lang: str = "zh",
                       db: str | os.PathLike | None = None, region: str | None = None) -> dict[str, bytes]:
    """A report's three files in memory (for a download button): name -> bytes.

    Same arguments as :func:`build_report`, without the directory. The charts are drawn in
    worker processes while last year's report is re-assessed here.
    """
    from ..plans import region_name, title_of
    from .charts import ChartJob

    region = region_name(region)
    options = ReportOptions(year, kind, unit, lang, region=region, plan_title=title_of(region, db))
    catalog, observations, history = load_inputs(options, db)
    current = prepare_current(options, catalog, observations, history)
    job = ChartJob(current)
    try:
        return render(add_comparisons(current, history), job)
    finally:
        job.close()


def build_report(year: int, kind: str = "annual", unit: str | None = None, lang: str = "zh",
                 output_dir: str | os.PathLike = "report", db: str | os.PathLike | None = None,
                 region: str | None = None) -> list[Path]:
    """Write the annual, mid-term or final report into ``output_dir``.

    Args:
        year: the report's year (data up to it are used).
        kind: ``annual``, ``midterm`` (the 2025 mid-term evaluation) or ``final`` (2030).
        unit: narrow the report to one responsible unit, e.g. 县卫生健康委.
        lang: ``zh`` or ``en``.
        output_dir: the directory to write ``report.html``, ``report.docx`` and ``data.xlsx`` to.
        db: the monitoring store (default ``$PLANLIB_DB`` or ``data/monitoring.sqlite``); without
            one the shipped data are used.
        region: whose plan (default the home county; another region's plan must be registered,
            :func:`planlib.plans.add_plan`): its catalogue and targets, its values.

    Returns:
        The paths written.

    Raises:
        PlanlibError: bad arguments (year outside the plan period, unknown unit).
    """
    return write_files(build_report_bytes(year, kind, unit, lang, db, region), output_dir)


def write_files(files: dict[str, bytes], output_dir: str | os.PathLike) -> list[Path]:
    """Write ``files`` into ``output_dir`` whole: readers see the old folder or the new one,
    never a mixture.

    The files are written into a new hidden folder beside ``output_dir``
    (``.NAME.PID.XXXX.tmp``); any other file already in ``output_dir`` is linked into it too.
    Then one rename puts it in place: ``output_dir`` is created by renaming, or exchanged with
    the old folder in one step (Linux ``renameat2(RENAME_EXCHANGE)``; elsewhere the old folder
    is renamed aside first and back on failure). On any error ``output_dir`` is left as it was
    and the hidden folder is removed; one left behind by a killed run is removed by the next.

    Examples:
        >>> import tempfile, pathlib
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "r"
        >>> [p.name for p in write_files({"a.txt": b"1"}, out)]
        ['a.txt']
        >>> _ = (out / "mine.txt").write_text("kept")
        >>> _ = write_files({"a.txt": b"2"}, out)
        >>> (out / "a.txt").read_text(), (out / "mine.txt").read_text(), len(list(out.parent.iterdir()))
        ('2', 'kept', 1)
    """
    out = Path(output_dir)
    if out.exists() and not out.is_dir():
        raise PlanlibError(Problem(
            f"{out} 是一个文件，不是目录", f"{out} is a file, not a directory",
            "请为报告指定一个目录。", "Give a directory for the report.", file=str(out)))
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(out)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.{os.getpid()}.", suffix=".tmp", dir=out.parent))
    try:
        for name, content in files.items():
            (tmp / name).write_bytes(content)
        if not out.exists():
            os.rename(tmp, out)
        else:
            _keep_others(out, tmp, set(files))
            swap_folder(tmp, out)  # tmp now holds the old folder
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [out / name for name in files]


def _keep_others(old: Path, new: Path, replaced: set[str]) -> None:
    """Link (or copy) into ``new`` what ``old`` holds besides the files being replaced."""
    for entry in old.iterdir():
        if entry.name in replaced or entry.name in {e.name for e in new.iterdir()}:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, new / entry.name, symlinks=True)
        else:
            try:
                os.link(entry, new / entry.name, follow_symlinks=False)
            except OSError:
                shutil.copy2(entry, new / entry.name, follow_symlinks=False)


def _remove_abandoned(out: Path) -> None:
    """Remove hidden folders left beside ``out`` by report runs that were killed."""
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(\d+)\.[^.]+\.tmp(\.old)?")
    for entry in out.parent.iterdir():
        match = pattern.fullmatch(entry.name)
        if match and entry.is_dir() and not process_alive(int(match.group(1))):
            shutil.rmtree(entry, ignore_errors=True)
