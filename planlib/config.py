"""Paths, in one place. Nothing here reads the environment at import time."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
NOTEBOOKS_DIR = ROOT / "notebooks"

CATALOG_PATH = DATA_DIR / "catalog.csv"
BASELINES_PATH = DATA_DIR / "baselines.csv"
NATIONAL_PATH = DATA_DIR / "national.csv"
NATIONAL_TARGETS_PATH = DATA_DIR / "national_targets.csv"
DEMO_PATH = DATA_DIR / "demo_observations.csv"
DEFAULT_DB = DATA_DIR / "monitoring.sqlite"

#: The county's own region name, used when observations carry no ``region``.
COUNTY = "石柱县"
#: Region name of the national reference series.
NATIONAL = "全国"
#: The county's parent city (a reference region).
PARENT_CITY = "重庆市"
#: The regions the county's values are compared with.
REFERENCE_REGIONS = (NATIONAL, PARENT_CITY)
#: The regions whose values the monitoring store accepts: the home county and its reference
#: regions. A region registered with its own plan would be added here; anything else is refused
#: at intake, so that one typo (石柱县 城关镇) cannot become a new region.
KNOWN_REGIONS = (COUNTY, *REFERENCE_REGIONS)
#: Plan period.
PLAN_START, PLAN_END = 2021, 2030
BASE_YEAR = 2020
MIDTERM_YEAR = 2025


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """The monitoring database to use: an explicit path, else ``$PLANLIB_DB``, else the default.

    Examples:
        >>> db_path("/tmp/x.sqlite").name
        'x.sqlite'
    """
    if explicit:
        return Path(explicit)
    env = os.environ.get("PLANLIB_DB")
    return Path(env) if env else DEFAULT_DB
