"""Paths, in one place. Nothing here reads the environment at import time."""

from __future__ import annotations

import os
from pathlib import Path

#: The folder above the package: the checkout when running from it (``pip install -e .``, what
#: ``make`` does), else ``site-packages``. Only :data:`CHECKOUT` says which.
ROOT = Path(__file__).resolve().parents[1]
#: The checkout, or None when planlib runs from an installed wheel.
CHECKOUT: Path | None = ROOT if (ROOT / "pyproject.toml").is_file() and (ROOT / "data").is_dir() else None
NOTEBOOKS_DIR = ROOT / "notebooks"


def _shipped_dir() -> Path:
    """The shipped data: the package ``planlib.shipped``, which is the checkout's ``data/`` folder
    (pyproject.toml maps it) and ``planlib/shipped`` in an installed wheel."""
    try:
        from importlib.resources import files

        folder = files("planlib.shipped")
    except ModuleNotFoundError:  # the checkout imported without any install (PYTHONPATH=.)
        return ROOT / "data"
    return Path(str(folder))


#: The shipped data (read only): catalogue, baselines, national series, demo series.
DATA_DIR = _shipped_dir()

CATALOG_PATH = DATA_DIR / "catalog.csv"
BASELINES_PATH = DATA_DIR / "baselines.csv"
NATIONAL_PATH = DATA_DIR / "national.csv"
NATIONAL_TARGETS_PATH = DATA_DIR / "national_targets.csv"
DEMO_PATH = DATA_DIR / "demo_observations.csv"
#: The second, invented county's plan and its demo series (illustrative only: see planlib.demo).
DEMO_COUNTY_CATALOG_PATH = DATA_DIR / "demo_county_catalog.csv"
DEMO_COUNTY_OBSERVATIONS_PATH = DATA_DIR / "demo_county_observations.csv"
#: Real published values of the reference regions (and the county's, checked against the baselines).
REFERENCE_VALUES_PATH = DATA_DIR / "reference_values.csv"
#: How often the flags' cases met their target in the calibration benchmark (the evidence the
#: report's method note quotes): made by ``benchmarks/calibration.py``.
CALIBRATION_PATH = DATA_DIR / "calibration.csv"
#: Where those values were collected (the steering repository's ``shared/reference``, beside the
#: checkout). Read only by :func:`planlib.reference.build_reference_values`, never at run time.
SHARED_REFERENCE_PATH = ROOT.parent / "shared" / "reference" / "shizhu_real.csv"
#: The store's file name in the working directory (:func:`home_dir`).
STORE_NAME = "monitoring.sqlite"
#: The store of the checkout (``data/monitoring.sqlite``), the default when running from it.
DEFAULT_DB = ROOT / "data" / STORE_NAME
#: Environment variables: the working directory, and the store.
HOME_ENV, DB_ENV = "PLANLIB_HOME", "PLANLIB_DB"
APP_NAME = "planlib"

#: The county's own region name, used when observations carry no ``region``.
COUNTY = "石柱县"
#: Region name of the national reference series.
NATIONAL = "全国"
#: The county's parent city (a reference region).
PARENT_CITY = "重庆市"
#: An invented second county of the city, with an illustrative plan and demo series only, so that
#: the city view shows more than one member. Its name says it is not a real county. Registered
#: as a plan (planlib.demo.demo_county, planlib.plans.add_plan), it is accepted at intake.
DEMO_COUNTY = "示例县"
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


def home_dir() -> Path:
    """The working directory: where the store, its dashboard build and the caches go.

    ``$PLANLIB_HOME`` if set; else the folder of ``$PLANLIB_DB`` if set; else the checkout's
    ``data/`` when running from the checkout; else the user's data directory
    (``~/.local/share/planlib`` on Linux). Never inside an installed package.

    Examples:
        >>> import os; from unittest import mock
        >>> with mock.patch.dict(os.environ, {"PLANLIB_HOME": "/srv/planlib"}):
        ...     home_dir().as_posix()
        '/srv/planlib'
        >>> with mock.patch.dict(os.environ, {"PLANLIB_DB": "/srv/c/m.sqlite"}, clear=True):
        ...     home_dir().as_posix()
        '/srv/c'
    """
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser()
    env = os.environ.get(DB_ENV)
    if env and not is_server_url(env):  # a server store has no folder of its own
        return Path(env).expanduser().parent
    if CHECKOUT is not None:
        return DEFAULT_DB.parent
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """Where the caches go (:mod:`planlib.cache`): ``$PLANLIB_HOME/cache`` if set; else the
    checkout's ``build/`` when running from it (as before); else the user's cache directory
    (``~/.cache/planlib`` on Linux). What is there can be deleted at any time.

    Examples:
        >>> import os; from unittest import mock
        >>> with mock.patch.dict(os.environ, {"PLANLIB_HOME": "/srv/planlib"}):
        ...     cache_dir().as_posix()
        '/srv/planlib/cache'
    """
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser() / "cache"
    if CHECKOUT is not None:
        return CHECKOUT / "build"
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """The monitoring database to use: an explicit path, else ``$PLANLIB_DB``, else
    ``monitoring.sqlite`` in the working directory (:func:`home_dir`; in the checkout
    ``data/monitoring.sqlite``).

    Examples:
        >>> db_path("/tmp/x.sqlite").name
        'x.sqlite'
    """
    if explicit:
        return Path(explicit)
    env = os.environ.get(DB_ENV)
    return Path(env).expanduser() if env else home_dir() / STORE_NAME


def is_server_url(db: object) -> bool:
    """Whether ``db`` names a PostgreSQL server store (``postgresql://…``) rather than a file.

    Examples:
        >>> is_server_url("postgresql://planlib@db.example/city"), is_server_url("data/monitoring.sqlite")
        (True, False)
    """
    return isinstance(db, str) and db.split(":", 1)[0].split("+", 1)[0] in ("postgresql", "postgres")


def locate_store(db: str | os.PathLike | None = None) -> str | Path:
    """The store to use: a ``postgresql://`` URL (as a string) or a SQLite file's path.

    ``db`` if given, else ``$PLANLIB_DB``, else the default file (:func:`db_path`).

    Examples:
        >>> locate_store("postgresql://planlib@db.example/city")
        'postgresql://planlib@db.example/city'
        >>> locate_store("/tmp/x.sqlite").name
        'x.sqlite'
    """
    text = os.fspath(db) if db else os.environ.get(DB_ENV)
    if is_server_url(text):
        return text
    return db_path(db)


def server_key(url: str) -> str:
    """A folder name for what is kept on this machine about a server store (its dashboard build):
    the same for the same user, host, port and database, whatever the password.

    Examples:
        >>> a = server_key("postgresql://planlib:secret@db.example:5432/city")
        >>> a == server_key("postgresql://planlib:other@db.example:5432/city"), a.startswith("server-")
        (True, True)
        >>> a == server_key("postgresql://planlib@db.example:5432/town")
        False
    """
    import hashlib
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    who = f"{parts.username or ''}@{parts.hostname or ''}:{parts.port or ''}{parts.path}?{parts.query}"
    return "server-" + hashlib.sha256(who.encode()).hexdigest()[:12]


def region_key(region: str) -> str:
    """The file-safe key of a region: a short hash of its name, for file names and links.

    A region's name could hold ``/`` or ``..``; its key cannot, and it stays the same from one
    build or edition to the next (a link to a region keeps working when plans are added). The
    dashboard's report zips and the static edition's folders are both named by it.

    Examples:
        >>> region_key("示例县")
        'rf13e6c3aa0'
        >>> region_key("../etc") != region_key("..")
        True
    """
    import hashlib

    return "r" + hashlib.sha256(region.encode("utf-8")).hexdigest()[:10]
