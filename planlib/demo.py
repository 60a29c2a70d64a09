"""The illustrative (demo) county series: 2015-2024 for every indicator, made by a seeded script.

The county's annual monitoring data are not public, so the workbench ships an illustrative series
to show what it does. Every row has ``source = "demo"``, ``status = "estimated"`` and the note
示例数据（非官方统计）; anything that shows or exports these rows carries that label. Real data
imported into the store replace them.

How the series are made (``data/demo_spec.csv`` holds one line per indicator):

* ``level``: a trend through the ``path`` knots (``year:value;...``), plus normal noise of sd
  ``noise``, kept inside the unit's range and rounded to ``decimals``.
* ``births`` (W03), ``infant``/``neonatal``/``under5`` (C02, C01, C04): deaths drawn from a
  Poisson (neonatal deaths a binomial share of infant deaths, under-5 deaths infant deaths plus
  more), over live births of a county of about 390,000 people (3,500-4,500 a year); the value is
  deaths / births × 1,000 (× 100,000 for maternal deaths), exactly.
* ``children`` (C16-C18): events per 1,000 children aged 0-17.
* ``sex_ratio`` (W41): boys / girls × 100 among the same births; ``toilets`` (W42): female /
  male toilet positions.

Every value the plans state (``data/baselines.csv``) is a fixed point of the trend, with no noise:
the combined series passes exactly through it. Those indicator/years are not in the demo file;
they come from the plan, with the plan as source. The ``scenario`` column says what each series
was made to show (achieved, on_track, at_risk, off_track; improving/worsening for directional
targets), giving a realistic mix of indicators doing well and badly.
"""

from __future__ import annotations

import io
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import config
from . import schema as S
from .errors import PlanlibError, Problem
from .files import atomic_path
from .observations import baseline_observations, load_baselines, validate_observations
from .units import rate_multiplier, value_range

DEMO_SPEC_PATH = config.DATA_DIR / "demo_spec.csv"
DEMO_STATUS = "estimated"
SPEC_COLUMNS = ["indicator_id", "kind", "path", "noise", "decimals", "scenario"]
_EVENT_KINDS = ("births", "infant", "neonatal", "under5", "children", "sex_ratio", "toilets")


@dataclass(frozen=True)
class DemoConfig:
    """What the demo series are built on.

    Attributes:
        seed: seed of the random generator (the date the plans were issued).
        first_year, last_year: the years covered.
        births: live births per year (knots ``year:value``), before noise.
        births_noise: sd of the year-to-year noise in births.
        births_range: births are kept inside this range.
        children: population aged 0-17 (knots), the denominator of C16-C18.
        male_positions: male positions in urban public toilets (knots), for W42.
    """

    seed: int = 20230223
    first_year: int = 2015
    last_year: int = 2024
    births: str = "2015:4330;2016:4340;2017:4300;2018:4200;2020:4000;2022:3720;2024:3600"
    births_noise: float = 60.0
    births_range: tuple[int, int] = (3500, 4500)
    children: str = "2015:89000;2024:81500"
    male_positions: str = "2015:610;2024:780"

    @property
    def years(self) -> np.ndarray:
        return np.arange(self.first_year, self.last_year + 1)


def load_demo_spec(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """The per-indicator recipe of the demo series (``data/demo_spec.csv``).

    Examples:
        >>> spec = load_demo_spec()
        >>> len(spec), spec.set_index("indicator_id").loc["C02", "kind"]
        (90, 'infant')
    """
    spec = pd.read_csv(path or DEMO_SPEC_PATH, dtype=str, keep_default_na=False)
    return spec.assign(noise=spec["noise"].astype(float), decimals=spec["decimals"].astype(int))


def knots(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Read ``"2015:58;2024:79"`` into years and values.

    Examples:
        >>> knots("2015:58;2024:79.5")
        (array([2015, 2024]), array([58. , 79.5]))
    """
    pairs = [part.split(":") for part in text.split(";") if part.strip()]
    return np.array([int(y) for y, _ in pairs]), np.array([float(v) for _, v in pairs])


def trend(text: str, years: np.ndarray, anchors: dict[int, float] | None = None) -> np.ndarray:
    """A piecewise-linear trend through the knots and the fixed ``anchors`` (which win).

    Examples:
        >>> trend("2015:80;2024:98", np.arange(2015, 2025), {2020: 91.5})[[0, 5, 9]]
        array([80. , 91.5, 98. ])
    """
    points = dict(zip(*knots(text)))
    points.update(anchors or {})
    xs = np.array(sorted(points))
    return np.interp(years, xs, np.array([points[x] for x in xs]))


def plan_anchors(baselines: pd.DataFrame, years: np.ndarray, region: str = config.COUNTY
                 ) -> dict[str, dict[int, float]]:
    """The values the plans state for ``region``, by indicator and year, inside ``years``.

    Examples:
        >>> anchors = plan_anchors(baseline_observations(load_baselines()), np.arange(2015, 2025))
        >>> anchors["C02"], anchors["C30"]
        ({2020: 1.5}, {2015: 84.0, 2020: 89.5})
    """
    county = baselines[(baselines[S.REGION] == region) & baselines[S.YEAR].isin(years)]
    out: dict[str, dict[int, float]] = {}
    for row in county.itertuples(index=False):
        out.setdefault(getattr(row, S.INDICATOR_ID), {})[int(row.year)] = float(row.value)
    return out


def build_demo(catalog: pd.DataFrame | None = None, *, spec: pd.DataFrame | None = None,
               baselines: pd.DataFrame | None = None, options: DemoConfig = DemoConfig(),
               region: str = config.COUNTY) -> pd.DataFrame:
    """Build the illustrative observations (``schema.OBS_COLUMNS``) of ``region``, deterministically.

    The values the plans state for ``region`` (in ``baselines``) are fixed points of its series;
    a region the baselines do not name (the invented :data:`config.DEMO_COUNTY`) gets every year.

    Examples:
        >>> demo = build_demo()
        >>> sorted(demo.source.unique()), int(demo.year.min()), int(demo.year.max()), len(demo)
        (['demo'], 2015, 2024, 888)
        >>> bool(((demo.indicator_id == "C02") & (demo.year == 2020)).any())  # the plan states it
        False
    """
    catalog = _catalog(catalog)
    spec = load_demo_spec() if spec is None else spec
    baselines = baseline_observations(load_baselines()) if baselines is None else baselines
    anchors = plan_anchors(baselines, options.years, region)
    _check_spec(spec, catalog)
    units = dict(zip(catalog[S.INDICATOR_ID], catalog[S.UNIT]))
    population = _population(options, anchors, spec)
    parts = []
    for row in spec.to_dict("records"):
        ident = row["indicator_id"]
        rng = np.random.default_rng([options.seed, zlib.crc32(ident.encode())])
        parts.append(_series(row, units[ident], anchors.get(ident, {}), population, rng))
    order = {ident: i for i, ident in enumerate(catalog[S.INDICATOR_ID])}
    frame = pd.concat(parts, ignore_index=True)
    frame = frame.sort_values([S.INDICATOR_ID, S.YEAR], key=lambda c: c.map(order)
                              if c.name == S.INDICATOR_ID else c, kind="stable")
    return _finish(frame.reset_index(drop=True), region)


def demo_csv_text(frame: pd.DataFrame, spec: pd.DataFrame | None = None) -> str:
    """The demo frame as CSV text: whole numbers for counts, the spec's decimals for levels.

    Examples:
        >>> text = demo_csv_text(build_demo())
        >>> text.splitlines()[0]
        'indicator_id,region,year,value,numerator,denominator,source,status,note,confirmation'
    """
    spec = load_demo_spec() if spec is None else spec
    decimals = dict(zip(spec["indicator_id"], spec["decimals"]))
    kinds = dict(zip(spec["indicator_id"], spec["kind"]))
    out = frame.copy()
    out[S.VALUE] = [repr(float(v)) if kinds[i] in _EVENT_KINDS else f"{v:.{decimals[i]}f}"
                    for i, v in zip(frame[S.INDICATOR_ID], frame[S.VALUE])]
    for col in (S.NUMERATOR, S.DENOMINATOR):
        out[col] = frame[col].round().astype("Int64")
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def default_output() -> Path:
    """Where ``planlib demo`` writes without ``--output``.

    In the checkout, the shipped file itself (``data/demo_observations.csv``: regenerating it is
    how the demo series change). From an installed wheel the shipped data are read only (they sit
    in ``site-packages``), so the CSV goes into the working directory (:func:`config.home_dir`).

        >>> default_output() == config.DEMO_PATH  # run from the checkout
        True
    """
    if config.CHECKOUT is not None:
        return config.DEMO_PATH
    return config.home_dir() / config.DEMO_PATH.name


def write_demo(output: str | os.PathLike | None = None) -> Path:
    """Regenerate the demo observations and write them (atomically) as CSV.

    Args:
        output: the CSV to write; default :func:`default_output`.

    Returns:
        The path written.

    Examples:
        >>> import tempfile, pathlib
        >>> path = write_demo(pathlib.Path(tempfile.mkdtemp()) / "demo.csv")
        >>> path.read_text(encoding="utf-8") == config.DEMO_PATH.read_text(encoding="utf-8")
        True
    """
    path = Path(output) if output else default_output()
    catalog = _catalog(None)
    frame = build_demo(catalog)
    text = demo_csv_text(frame)
    validate_observations(pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False),
                          catalog, file=path.name)
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="")
    return path


# --- the second, invented county (示例县): a city view with more than one member --------------

#: Seed of the invented county's series (another draw of the same recipe).
DEMO_COUNTY_SEED = 20240101
#: What the invented county's plan changes in the Shizhu catalogue: id -> (target as printed,
#: target year). Invented, to show one indicator carrying different targets in different plans.
DEMO_COUNTY_CHANGES = {
    "W02": ("≥83", 2028),
    "W04": ("≥ 95", 2030),
    "C02": ("< 2.0", 2030),
    "C21": ("≥ 98", 2030),
    "C30": ("达到95", 2027),
}


def demo_county_catalog(catalog: pd.DataFrame | None = None) -> pd.DataFrame:
    """The invented county's catalogue: the Shizhu one with :data:`DEMO_COUNTY_CHANGES` applied.

    Examples:
        >>> cat = demo_county_catalog().set_index("indicator_id")
        >>> cat.loc["C21", "target_text"], int(cat.loc["C30", "target_year"]), len(cat)
        ('≥ 98', 2027, 90)
    """
    out = _catalog(catalog).copy()
    for ident, (text, year) in DEMO_COUNTY_CHANGES.items():
        row = out[S.INDICATOR_ID] == ident
        out.loc[row, S.TARGET_TEXT] = text
        out.loc[row, S.TARGET_YEAR] = year
    return out


def build_county_demo(region: str, catalog: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The demo series of another region's plan: the same recipe, drawn with its own seed.

    Examples:
        >>> demo = build_county_demo(config.DEMO_COUNTY, demo_county_catalog(), DEMO_COUNTY_SEED)
        >>> sorted(demo.region.unique()), sorted(demo.source.unique()), len(demo)
        (['示例县'], ['demo'], 900)
    """
    return build_demo(catalog, options=DemoConfig(seed=seed), region=region)


def write_demo_county(catalog_output: str | os.PathLike | None = None,
                      observations_output: str | os.PathLike | None = None) -> tuple[Path, Path]:
    """Write the invented county's catalogue and demo observations (atomically), as shipped.

    Returns:
        The two paths written (default: ``config.DEMO_COUNTY_CATALOG_PATH`` and
        ``config.DEMO_COUNTY_OBSERVATIONS_PATH``).
    """
    cat_path = Path(catalog_output or config.DEMO_COUNTY_CATALOG_PATH)
    obs_path = Path(observations_output or config.DEMO_COUNTY_OBSERVATIONS_PATH)
    catalog = demo_county_catalog()
    text = demo_csv_text(build_county_demo(config.DEMO_COUNTY, catalog, DEMO_COUNTY_SEED))
    validate_observations(pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False),
                          catalog, file=obs_path.name)
    buffer = io.StringIO()
    catalog[S.CATALOG_COLUMNS].to_csv(buffer, index=False, lineterminator="\n")
    with atomic_path(cat_path) as tmp:
        tmp.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    with atomic_path(obs_path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="")
    return cat_path, obs_path


def demo_county() -> tuple[str, str, Path, Path]:
    """The invented county's plan, to register at ``planlib setup``: (region, title, catalogue
    path, observations path). Everything about it is illustrative (示例/演示).

    Examples:
        >>> region, title, cat, obs = demo_county()
        >>> region, title, cat.name, obs.name
        ('示例县', '示例县妇女儿童发展规划（演示，非真实规划）', 'demo_county_catalog.csv', 'demo_county_observations.csv')
    """
    from . import i18n

    return (config.DEMO_COUNTY, i18n.t("demo_county_title", "zh", i18n.CITY_LABELS),
            config.DEMO_COUNTY_CATALOG_PATH, config.DEMO_COUNTY_OBSERVATIONS_PATH)


def register_demo_county(db: str | os.PathLike | None = None) -> bool:
    """Register the invented county's plan (:func:`demo_county`) and import its demo series, so
    that a fresh workbench shows a city with two members (``planlib setup`` on a new store).

    Nothing happens when the store already holds a plan for it (a county that removed or
    replaced it keeps its choice). Returns whether it was registered now.

    Examples:
        >>> import tempfile, pathlib
        >>> db = pathlib.Path(tempfile.mkdtemp()) / "m.sqlite"
        >>> register_demo_county(db), register_demo_county(db)
        (True, False)
    """
    from . import plans, store
    from .catalog import load_catalog
    from .observations import read_observations_file

    region, title, catalog_path, observations_path = demo_county()
    if region in plans.plan_regions(db):
        return False
    observations = read_observations_file(observations_path, catalog=load_catalog(catalog_path))
    plans.add_plan(region, catalog_path, title=title, db=db, by="planlib setup")
    store.import_observations(observations, store.SubmissionMeta(
        observations_path.name, imported_by="planlib setup"), db)
    return True


# --- the pieces ---------------------------------------------------------------------------------

def _population(options: DemoConfig, anchors: dict[str, dict[int, float]], spec: pd.DataFrame
                ) -> dict[str, np.ndarray]:
    """Births (fixed where a plan's rate needs whole deaths), child deaths, children, toilets."""
    rng = np.random.default_rng([options.seed, 0])
    years = options.years
    lo, hi = options.births_range
    births = np.clip(np.round(trend(options.births, years) + rng.normal(0, options.births_noise,
                                                                        len(years))), lo, hi)
    fixed = {}
    for year, rate in anchors.get("C02", {}).items():
        k = int(np.flatnonzero(years == year)[0])
        fixed[k], births[k] = _whole_events(rate, 1000.0, births[k], (lo, hi))
    paths = spec.set_index("indicator_id")["path"]
    deaths = _child_deaths(births, fixed, {k: trend(paths[i], years) for k, i in
                                           (("infant", "C02"), ("neonatal", "C01"), ("under5", "C04"))},
                           np.random.default_rng([options.seed, 1]))
    children = np.round(trend(options.children, years) + rng.normal(0, 300, len(years)))
    male = np.round(trend(options.male_positions, years) + rng.normal(0, 6, len(years)))
    return {"years": years, "births": births, "children": children, "male": male, **deaths}


def _whole_events(rate: float, factor: float, around: float, bounds: tuple[int, int]
                  ) -> tuple[int, float]:
    """Events and a denominator inside ``bounds`` with events / denominator × factor == rate."""
    if rate == 0:
        return 0, around
    fits = [(k, k * factor / rate) for k in range(1, 1000)]
    fits = [(k, round(d)) for k, d in fits if abs(d - round(d)) < 1e-9 and bounds[0] <= d <= bounds[1]]
    if not fits:
        raise PlanlibError(Problem(
            f"无法为规划值 {rate} 找到整数的事件数和分母", f"No whole events/denominator give {rate}",
            "检查 baselines.csv 中的数值与单位。", "Check the value and unit in baselines.csv."))
    return min(fits, key=lambda kd: (abs(kd[1] - around), kd[0]))


def _series(row: dict, unit: str, anchors: dict[int, float], population: dict,
            rng: np.random.Generator) -> pd.DataFrame:
    years = population["years"]
    kind = row["kind"]
    if kind == "level":
        value = _level(row, unit, anchors, years, rng)
        num = den = np.full(len(years), np.nan)
    else:
        num, den = _events(kind, row, years, population, rng)
        value = num / den * (rate_multiplier(unit) or 1.0)
    keep = ~np.isin(years, list(anchors))
    return pd.DataFrame({S.INDICATOR_ID: row["indicator_id"], S.YEAR: years[keep],
                         S.VALUE: value[keep], S.NUMERATOR: num[keep], S.DENOMINATOR: den[keep]})


def _level(row: dict, unit: str, anchors: dict[int, float], years: np.ndarray,
           rng: np.random.Generator) -> np.ndarray:
    noise = rng.normal(0.0, row["noise"], len(years))
    noise[np.isin(years, list(anchors))] = 0.0
    low, high = value_range(unit)
    return np.round(np.clip(trend(row["path"], years, anchors) + noise, low, high), row["decimals"])


def _events(kind: str, row: dict, years: np.ndarray, population: dict,
            rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    births = population["births"]
    rate = trend(row["path"], years)
    if kind == "births":  # maternal deaths per 100,000 live births
        return rng.poisson(births * rate / 1e5).astype(float), births
    if kind == "children":
        kids = population["children"]
        return rng.poisson(kids * rate / 1000).astype(float), kids
    if kind == "sex_ratio":
        boys = rng.binomial(births.astype(int), rate / (100 + rate)).astype(float)
        return boys, births - boys
    if kind == "toilets":
        male = population["male"]
        return np.round(male * (rate + rng.normal(0, row["noise"], len(years)))), male
    return population[kind], births


def _child_deaths(births: np.ndarray, fixed: dict[int, int], rates: dict[str, np.ndarray],
                  rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Nested deaths, neonatal <= infant <= under-5, drawn once for the three indicators."""
    infant = rng.poisson(births * rates["infant"] / 1000)
    for k, events in fixed.items():
        infant[k] = events
    neonatal = rng.binomial(infant, np.clip(rates["neonatal"] / rates["infant"], 0, 1))
    under5 = infant + rng.poisson(births * np.clip(rates["under5"] - rates["infant"], 0, None) / 1000)
    return {"infant": infant.astype(float), "neonatal": neonatal.astype(float),
            "under5": under5.astype(float)}


def _finish(frame: pd.DataFrame, region: str = config.COUNTY) -> pd.DataFrame:
    out = frame.assign(**{S.REGION: region, S.SOURCE: S.DEMO_SOURCE, S.STATUS: DEMO_STATUS,
                          S.NOTE: S.DEMO_LABEL_ZH, S.CONFIRMATION: None})
    out[S.YEAR] = out[S.YEAR].astype("int64")
    return out[S.OBS_COLUMNS]


def _check_spec(spec: pd.DataFrame, catalog: pd.DataFrame) -> None:
    missing = sorted(set(catalog[S.INDICATOR_ID]) - set(spec["indicator_id"]))
    extra = sorted(set(spec["indicator_id"]) - set(catalog[S.INDICATOR_ID]))
    if missing or extra:
        raise PlanlibError(Problem(
            f"示例数据配方与指标目录不符：缺少 {missing}，多出 {extra}",
            f"The demo recipe does not match the catalogue: missing {missing}, unknown {extra}",
            "在 data/demo_spec.csv 中为每个指标写一行。", "Give every indicator one line in data/demo_spec.csv.",
            file="demo_spec.csv"))


def _catalog(catalog: pd.DataFrame | None) -> pd.DataFrame:
    if catalog is not None:
        return catalog
    from .catalog import load_catalog

    return load_catalog()
