"""Observations: one tidy long format for every value the workbench knows.

One row per indicator, region and year (``schema.OBS_COLUMNS``): ``indicator_id``, ``region``,
``year``, ``value``, and optionally ``numerator``/``denominator`` (events and population for
rates), ``source``, ``status`` (reported | provisional | estimated), ``note`` and
``confirmation`` (confirmed | derived | weak | unconfirmed). The shipped data are three files:

* ``data/baselines.csv``: every quantitative fact of the plans' "发展基础" sections; the rows
  whose definition matches an indicator become observations with the plan as ``source``;
* ``data/national.csv``: the national (全国) reference series, with their confirmation flags;
* ``data/reference_values.csv``: real published values of 重庆市 and 全国 (:mod:`planlib.reference`);
  its exact and derived rows become observations of those regions, the national series of
  ``national.csv`` winning where both hold an (indicator, year);
* ``data/demo_observations.csv``: an illustrative county series (``source == "demo"``).

``load_observations`` reads a file when given one, else the monitoring store if it exists, else
the shipped data. Every file is validated; every problem is reported at once with file, row
(header = row 1), column, the value found and how to fix it.
"""

from __future__ import annotations

import difflib
import math
import os
from dataclasses import replace
from pathlib import Path

import pandas as pd

from . import config
from . import schema as S
from .errors import PlanlibError, Problem, ProblemList
from .i18n import OBSERVATIONS_MESSAGES
from .reference import load_reference_values, reference_observations
from .units import Unit, agrees, rate_multiplier  # noqa: F401 (rate_multiplier re-exported)
from .units import get as unit_facts  # the facts of a unit (and of a count per something)

#: ``source`` of the rows taken from each plan's "发展基础" section.
PLAN_SOURCES = {
    "women": "石柱县妇女发展规划（2021—2030年）·发展基础",
    "children": "石柱县儿童发展规划（2021—2030年）·发展基础",
}
#: National reference indicators (as named in ``../shared/reference``) and the county indicator.
REFERENCE_INDICATORS = {"新生儿死亡率": "C01", "婴儿死亡率": "C02", "5岁以下儿童死亡率": "C04",
                        "孕产妇死亡率": "W03"}
CONFIRMATIONS = ("confirmed", "derived", "weak", "unconfirmed")

_NATIONAL_NOTES = {
    "confirmed": "全国参考数据，已在出版物中核对 / national reference, read in the publication",
    "derived": "全国参考数据，由公布的变化量推算 / national reference, derived from a published change",
    "weak": "全国参考数据，出处较弱，非官方 / national reference, weak source, not official",
    "unconfirmed": "全国参考数据，未找到出处，未经核实，非官方 / national reference, "
                   "no source found, unverified, not official",
}


def load_observations(path: str | os.PathLike | None = None, *, catalog: pd.DataFrame | None = None,
                      db: str | os.PathLike | None = None) -> pd.DataFrame:
    """The observations to work with: a file, else the monitoring store, else the shipped data.

    Args:
        path: a tidy observations file (CSV or Excel) to read and validate. ``region`` defaults
            to the county; optional columns that are absent come back empty (NA).
        catalog: the indicator catalogue to validate against (default: the shipped plans).
        db: the monitoring store (default ``config.db_path()``), used when ``path`` is not given
            and the store exists.

    Returns:
        A new frame with the columns of ``schema.OBS_COLUMNS``.

    Raises:
        PlanlibError: naming file, row and column of every problem in the data.

    Examples:
        >>> obs = load_observations(db="/nonexistent/monitoring.sqlite")
        >>> row = obs[(obs.indicator_id == "C02") & (obs.region == "石柱县") & (obs.year == 2020)]
        >>> row[["value", "source"]].values.tolist()
        [[1.5, '石柱县儿童发展规划（2021—2030年）·发展基础']]
    """
    if path is not None:
        return read_observations_file(path, catalog=catalog)
    from . import store  # imported here: the store module is optional for file/shipped use

    target = store.locate(db)
    if store.exists(target):
        return store.read_observations(target)
    return load_shipped_observations(catalog)


def ensure_store(db: str | os.PathLike | None = None) -> tuple[Path, bool]:
    """Create the monitoring store from the shipped data unless it already exists; never overwrite it.

    This is ``planlib setup``: :func:`planlib.store.create_store` seeded with
    :func:`load_shipped_observations`.

    Returns:
        The store's path and whether it was created now.

    Examples:
        >>> import tempfile, pathlib
        >>> db = pathlib.Path(tempfile.mkdtemp()) / "m.sqlite"
        >>> ensure_store(db)[1], ensure_store(db)[1]
        (True, False)
    """
    from . import store  # imported here: the store module is optional for file/shipped use

    target = store.locate(db)  # a SQLite file's path, or a postgresql:// URL
    if store.exists(target):
        return target, False
    return target, store.create_store(target, load_shipped_observations())


def read_observations_file(path: str | os.PathLike, *, catalog: pd.DataFrame | None = None
                           ) -> pd.DataFrame:
    """Read one tidy observations file (CSV or Excel) and validate it.

    Examples:
        >>> import tempfile, pathlib
        >>> f = pathlib.Path(tempfile.mkdtemp()) / "obs.csv"
        >>> _ = f.write_text("indicator_id,year,value\\nC02,2023,1.9\\n", encoding="utf-8")
        >>> read_observations_file(f)[["indicator_id", "region", "year", "value"]].values.tolist()
        [['C02', '石柱县', 2023, 1.9]]
    """
    path = Path(path)
    if not path.exists():
        raise PlanlibError(Problem(
            f"找不到观测数据文件 {path}", f"Observations file {path} not found",
            "检查路径是否正确。", "Check the path.", file=str(path)))
    if path.suffix.lower() in (".xlsx", ".xls"):
        raw = pd.read_excel(path, dtype=str).fillna("")
    else:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return validate_observations(raw, _catalog(catalog), file=path.name)


def load_shipped_observations(catalog: pd.DataFrame | None = None) -> pd.DataFrame:
    """The shipped observations: the plans' baselines, the national series, the reference
    regions' published values and the demo series.

    Examples:
        >>> obs = load_shipped_observations()
        >>> obs.groupby("region").size().to_dict()
        {'全国': 105, '石柱县': 903, '重庆市': 27}
        >>> obs[obs.source != "demo"].groupby("region").size().to_dict()  # plan baselines, national, city
        {'全国': 105, '石柱县': 15, '重庆市': 27}
    """
    catalog = _catalog(catalog)
    national = _read_csv(config.NATIONAL_PATH)
    parts = [
        (config.BASELINES_PATH, baseline_observations(load_baselines())),
        (config.NATIONAL_PATH, national),
        (config.REFERENCE_VALUES_PATH, shipped_reference_observations(national)),
        (config.DEMO_PATH, _read_csv(config.DEMO_PATH)),
    ]
    frames = [validate_observations(frame, catalog, file=path.name) for path, frame in parts]
    _check_no_overlap(frames, [path.name for path, _ in parts])
    return pd.concat(frames, ignore_index=True)


def shipped_reference_observations(national: pd.DataFrame | None = None) -> pd.DataFrame:
    """The published 重庆市 and 全国 values of ``data/reference_values.csv`` as observations,
    without any (indicator, region, year) the national series (``national``, default
    ``data/national.csv``) already holds: that series wins.

    Examples:
        >>> ref = shipped_reference_observations()
        >>> ref[(ref.region == "重庆市") & (ref.indicator_id == "C02")][["year", "value", "confirmation"]].values.tolist()
        [[2011, 6.44, 'confirmed'], [2016, 4.3, 'confirmed'], [2021, 2.82, 'derived'], [2022, 2.62, 'confirmed']]
    """
    national = _read_csv(config.NATIONAL_PATH) if national is None else national
    national = national.assign(**{S.YEAR: national[S.YEAR].astype(int)})
    return reference_observations(load_reference_values(), national)


def load_baselines(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Every quantitative fact of the two "发展基础" sections (``data/baselines.csv``).

    Rows whose ``indicator_id`` is empty are context: a figure close to but not the same as
    an indicator (``related_indicator`` names the close one) or not an indicator at all.

    Examples:
        >>> b = load_baselines()
        >>> b[(b.indicator_id == "C02")][["year", "value", "unit", "plan"]].values.tolist()
        [[2020, 1.5, '‰', 'children']]
        >>> b[b.measure_zh == "中高级专业技术人员中女性占比"][["indicator_id", "related_indicator"]].values.tolist()
        [['', 'W18']]
    """
    frame = pd.read_csv(path or config.BASELINES_PATH, dtype=str, keep_default_na=False,
                        encoding="utf-8-sig")
    return frame.assign(year=frame["year"].astype(int), value=frame["value"].astype(float),
                        derived=frame["derived"].str.lower().eq("true"))


def baseline_observations(baselines: pd.DataFrame) -> pd.DataFrame:
    """Observation rows for the baselines that match an indicator, with the plan as source.

    A fact both plans state (maternal deaths) is kept once, from the plan the indicator
    belongs to. Context facts (no ``indicator_id``) are left out.

    Examples:
        >>> obs = baseline_observations(load_baselines())
        >>> w03 = obs[obs.indicator_id == "W03"]
        >>> w03[["year", "value", "source"]].values.tolist()
        [[2019, 0.0, '石柱县妇女发展规划（2021—2030年）·发展基础'], [2020, 0.0, '石柱县妇女发展规划（2021—2030年）·发展基础']]
        >>> obs[obs.indicator_id == "W11"][["year", "value", "confirmation"]].values.tolist()
        [[2010, 96.9, 'derived'], [2020, 100.0, 'confirmed']]
    """
    rows = baselines[baselines[S.INDICATOR_ID] != ""].copy()
    owner = rows[S.INDICATOR_ID].str[0].map({"W": "women", "C": "children"})
    rows = (rows.assign(_own=(rows["plan"] != owner).astype(int))
            .sort_values([S.INDICATOR_ID, S.REGION, S.YEAR, "_own"], kind="stable")
            .drop_duplicates([S.INDICATOR_ID, S.REGION, S.YEAR]))
    notes = "规划原文：" + rows["quote"] + rows["note"].map(lambda n: f"（{n}）" if n else "")
    out = pd.DataFrame({
        S.INDICATOR_ID: rows[S.INDICATOR_ID], S.REGION: rows[S.REGION], S.YEAR: rows[S.YEAR],
        S.VALUE: rows[S.VALUE], S.NUMERATOR: math.nan, S.DENOMINATOR: math.nan,
        S.SOURCE: rows["plan"].map(PLAN_SOURCES), S.STATUS: "reported", S.NOTE: notes,
        S.CONFIRMATION: rows["derived"].map({True: "derived", False: "confirmed"}),
    })
    return out.reset_index(drop=True)


def national_observations(reference: pd.DataFrame) -> pd.DataFrame:
    """The national reference series (``../shared/reference``) in the tidy observation format.

    Source texts and confirmation flags are kept; the note says in words how far the value can
    be trusted, so nothing unconfirmed is shown as official.

    Examples:
        >>> ref = pd.DataFrame({"region": ["全国"], "indicator": ["婴儿死亡率"], "year": [2020],
        ...     "value": [5.4], "unit": ["‰"], "confirmation": ["confirmed"], "source": ["NBS"]})
        >>> national_observations(ref)[["indicator_id", "region", "year", "value", "status"]].values.tolist()
        [['C02', '全国', 2020, 5.4, 'reported']]
    """
    ids = reference["indicator"].map(REFERENCE_INDICATORS)
    out = pd.DataFrame({
        S.INDICATOR_ID: ids, S.REGION: config.NATIONAL, S.YEAR: reference["year"].astype(int),
        S.VALUE: reference["value"].astype(float), S.NUMERATOR: math.nan, S.DENOMINATOR: math.nan,
        S.SOURCE: reference["source"], S.STATUS: "reported",
        S.NOTE: reference["confirmation"].map(_NATIONAL_NOTES),
        S.CONFIRMATION: reference["confirmation"],
    })
    order = {ident: i for i, ident in enumerate(REFERENCE_INDICATORS.values())}
    return out.sort_values([S.INDICATOR_ID, S.YEAR], key=lambda c: c.map(order) if
                           c.name == S.INDICATOR_ID else c, kind="stable").reset_index(drop=True)


def national_targets(reference_targets: pd.DataFrame) -> pd.DataFrame:
    """The national programmes' 2030 targets, matched to the county's indicators.

    Examples:
        >>> t = pd.DataFrame({"region": ["全国"], "indicator": ["孕产妇死亡率"],
        ...     "target_text": ["< 12"], "target_year": [2030], "source": ["Women's Programme"]})
        >>> national_targets(t).values.tolist()
        [['W03', '全国', '< 12', 2030, "Women's Programme"]]
    """
    return pd.DataFrame({
        S.INDICATOR_ID: reference_targets["indicator"].map(REFERENCE_INDICATORS),
        S.REGION: reference_targets["region"], S.TARGET_TEXT: reference_targets["target_text"],
        S.TARGET_YEAR: reference_targets["target_year"].astype(int),
        S.SOURCE: reference_targets["source"],
    })


def load_national_targets(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """The national 2030 targets shipped in ``data/national_targets.csv``.

    Examples:
        >>> load_national_targets().set_index("indicator_id").loc["C02", "target_text"]
        '< 5.0'
    """
    frame = pd.read_csv(path or config.NATIONAL_TARGETS_PATH, dtype=str, keep_default_na=False)
    return frame.assign(**{S.TARGET_YEAR: frame[S.TARGET_YEAR].astype(int)})


def is_demo(frame: pd.DataFrame) -> bool:
    """Whether any row of ``frame`` is illustrative (``source == "demo"``).

    Examples:
        >>> is_demo(pd.DataFrame({"source": ["demo", "NBS"]})), is_demo(pd.DataFrame({"source": ["NBS"]}))
        (True, False)
    """
    return S.SOURCE in frame.columns and bool((frame[S.SOURCE] == S.DEMO_SOURCE).any())


def demo_label(frame: pd.DataFrame, lang: str = "zh") -> str | None:
    """The label anything showing ``frame`` must carry, or ``None`` when it holds no demo data.

    Examples:
        >>> demo_label(pd.DataFrame({"source": ["demo"]})), demo_label(pd.DataFrame({"source": ["demo"]}), "en")
        ('示例数据（非官方统计）', 'Illustrative data (not official statistics)')
        >>> demo_label(pd.DataFrame({"source": ["NBS"]})) is None
        True
    """
    if not is_demo(frame):
        return None
    return S.DEMO_LABEL[lang]



# --- validation -----------------------------------------------------------------------------------

def validate_observations(frame: pd.DataFrame, catalog: pd.DataFrame, file: str | None = None,
                          *, first_row: int = 2) -> pd.DataFrame:
    """Check a frame of observations and return it typed, with the columns of ``OBS_COLUMNS``.

    Every problem is collected, then all are raised together: a missing required column, an
    unknown indicator, a year that is not a whole number, a missing or non-numeric value, a
    percentage outside 0-100 (‰ 0-1000, 1/10万 0-100000), a negative value, count or
    population, a value that does not equal numerator / denominator × multiplier, an unknown
    status or confirmation, and a repeated indicator/region/year.

    Args:
        frame: the observations; cells may be text (as read from a file) or numbers.
        catalog: the indicator catalogue (``load_catalog()``).
        file: the file name to name in messages.
        first_row: the row number a person sees for the first data row (header = row 1).

    Raises:
        PlanlibError: listing every problem with file, row, column, value and fix.

    Examples:
        >>> from planlib.catalog import load_catalog
        >>> bad = pd.DataFrame({"indicator_id": ["C02", "X99"], "year": ["2021", "2021"],
        ...                     "value": ["1.8", "abc"]})
        >>> try:
        ...     validate_observations(bad, load_catalog(), file="obs.csv")
        ... except PlanlibError as exc:
        ...     print([(p.row, p.column) for p in exc.problems])
        [(3, 'indicator_id'), (3, 'value')]
    """
    problems = ProblemList()
    missing = [c for c in S.OBS_REQUIRED if c not in frame.columns]
    for col in missing:
        problems.add(_problem("missing_column", file, 1, col, None, col=col))
    problems.raise_if_errors()
    rows = _with_defaults(frame)
    names = catalog[S.NAME_ZH] if S.NAME_ZH in catalog.columns else [""] * len(catalog)
    units = {i: unit_facts(u, n) for i, u, n in zip(catalog[S.INDICATOR_ID], catalog[S.UNIT], names)}
    for i, row in enumerate(rows.to_dict("records")):
        for p in _row_problems(row, units):
            problems.add(replace(p, file=file, row=i + first_row))
    for p in _duplicates(rows, first_row):
        problems.add(replace(p, file=file))
    problems.raise_if_errors()
    return _typed(rows)


def _with_defaults(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in S.OBS_COLUMNS:
        if col not in out.columns:
            out[col] = ""
        out[col] = out[col].map(_cell)
    out.loc[out[S.REGION] == "", S.REGION] = config.COUNTY
    return out[S.OBS_COLUMNS].reset_index(drop=True)


def _cell(x: object) -> str:
    """A cell as trimmed text; missing values become ''. Whole floats lose their '.0'."""
    if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA:
        return ""
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return str(x).strip()


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _row_problems(row: dict, units: dict) -> list[Problem]:
    out = []
    ident = row[S.INDICATOR_ID]
    if ident not in units:
        out.append(_problem("unknown_indicator", None, None, S.INDICATOR_ID, ident,
                            hint=_suggest(ident, units)))
    year = _number(row[S.YEAR])
    if year is None or not year.is_integer() or not 1949 <= year <= 2100:
        out.append(_problem("bad_year", None, None, S.YEAR, row[S.YEAR]))
    out += _value_problems(row, units.get(ident))
    out += _code_problems(row)
    return out


def _value_problems(row: dict, unit: Unit | None) -> list[Problem]:
    """A value against its unit (:func:`planlib.units.get`, the same facts the intake checks)."""
    text = row[S.VALUE]
    value = _number(text)
    if value is None:
        return [_problem("missing_value" if text == "" else "not_number", None, None, S.VALUE, text)]
    out = []
    unit = unit or unit_facts("")
    if value < 0:
        out.append(_problem("negative", None, None, S.VALUE, text))
    elif value > unit.high or value < unit.low:
        out.append(_problem("out_of_range", None, None, S.VALUE, text, unit=unit.code, low=unit.low,
                            high=unit.high))
    elif unit.whole and not value.is_integer():
        out.append(_problem("not_whole", None, None, S.VALUE, text, unit=unit.code))
    counts = {}
    for col in (S.NUMERATOR, S.DENOMINATOR):
        if row[col] == "":
            continue
        counts[col] = _number(row[col])
        if counts[col] is None:
            out.append(_problem("not_number", None, None, col, row[col]))
        elif counts[col] < 0:
            out.append(_problem("negative", None, None, col, row[col]))
    if None not in counts.values() and len(counts) == 2 and not out:
        out += _rate_problems(value, counts[S.NUMERATOR], counts[S.DENOMINATOR], unit, text)
    return out


def _rate_problems(value: float, numerator: float, denominator: float, unit: Unit,
                   text: str) -> list[Problem]:
    if denominator == 0:
        return [_problem("zero_denominator", None, None, S.DENOMINATOR, "0")]
    factor = unit.multiplier
    if factor is None:
        return []
    expected = numerator / denominator * factor
    if not agrees(value, expected):
        return [_problem("rate_mismatch", None, None, S.VALUE, text, expected=round(expected, 4),
                         factor=f"{factor:g}")]
    return []


def _code_problems(row: dict) -> list[Problem]:
    out = []
    if row[S.STATUS] and row[S.STATUS] not in S.OBS_STATUSES:
        out.append(_problem("bad_code", None, None, S.STATUS, row[S.STATUS],
                            allowed=" / ".join(S.OBS_STATUSES)))
    if row[S.CONFIRMATION] and row[S.CONFIRMATION] not in CONFIRMATIONS:
        out.append(_problem("bad_code", None, None, S.CONFIRMATION, row[S.CONFIRMATION],
                            allowed=" / ".join(CONFIRMATIONS)))
    return out


def _duplicates(rows: pd.DataFrame, first_row: int) -> list[Problem]:
    seen: dict[tuple, int] = {}
    out = []
    for i, key in enumerate(zip(rows[S.INDICATOR_ID], rows[S.REGION], rows[S.YEAR])):
        line = i + first_row
        if key in seen:
            out.append(_problem("duplicate", None, line, S.YEAR, "/".join(key), first=seen[key]))
        seen.setdefault(key, line)
    return out


def _check_no_overlap(frames: list[pd.DataFrame], names: list[str]) -> None:
    seen: dict[tuple, str] = {}
    problems = ProblemList()
    for frame, name in zip(frames, names):
        for key in zip(frame[S.INDICATOR_ID], frame[S.REGION], frame[S.YEAR]):
            if key in seen:
                problems.add(_problem("overlap", name, None, S.YEAR, f"{key[0]}/{key[1]}/{key[2]}",
                                      other=seen[key]))
            seen.setdefault(key, name)
    problems.raise_if_errors()


def _typed(rows: pd.DataFrame) -> pd.DataFrame:
    out = rows.copy()
    out[S.YEAR] = out[S.YEAR].astype(float).astype("int64")
    for col in (S.VALUE, S.NUMERATOR, S.DENOMINATOR):
        out[col] = pd.to_numeric(out[col].replace("", math.nan), errors="raise").astype("float64")
    for col in S.OBS_TEXT_COLUMNS:
        out[col] = out[col].astype(object).where(out[col] != "", None)
    return out[S.OBS_COLUMNS]


def _suggest(ident: str, units: dict) -> str:
    close = difflib.get_close_matches(str(ident).upper(), list(units), n=1, cutoff=0.6)
    return close[0] if close else ""


def _catalog(catalog: pd.DataFrame | None) -> pd.DataFrame:
    if catalog is not None:
        return catalog
    from .catalog import load_catalog

    return load_catalog()


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _problem(kind: str, file: str | None, row: int | None, column: str, value: object,
             **fields: object) -> Problem:
    hint = fields.pop("hint", "")
    fields.update(hint_zh=f"；是否应为 {hint}" if hint else "", hint_en=f"; did you mean {hint}?" if hint else "")
    zh, en, fix_zh, fix_en = (s.format(**fields) for s in OBSERVATIONS_MESSAGES[kind])
    return Problem(zh, en, fix_zh, fix_en, file=file, row=row, column=column, value=value)
