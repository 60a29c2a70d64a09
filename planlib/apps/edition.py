"""The dashboard's build, read side: what a viewer's kernel opens instead of the data.

Everything the dashboard and the explorer show is a function of the data version, the as-of year
and the language, so it is computed once, when the data change (:mod:`planlib.apps.build`), and
written as one SQLite file beside the store. A viewer's kernel only reads it: this module imports
nothing heavier than :mod:`sqlite3`, :mod:`json` and :mod:`zlib` (no pandas, no statsmodels).

The build is keyed by two stamps, and a kernel compares both before it shows anything:

* :func:`source_stamp`, the data it was made from: the catalogue file and the store's newest
  submission and value (the store only ever appends, so equal stamps mean equal data), or the
  shipped files when there is no store yet;
* :func:`code_version`, every file of the ``planlib`` package and the versions of the libraries
  that compute and draw it, so that any change of code makes a new build.

Layout of the build folder (:func:`build_dir`, beside the store)::

    monitoring.build/dashboard.sqlite   the build (replaced whole by a rename, never edited)
    (a server store's build folder is server-<key>.build in the working directory)
    monitoring.build/build.lock         held by the one process that is building
    monitoring.build/progress.json      how far that build has come
"""

from __future__ import annotations

import enum
import fcntl
import functools
import hashlib
import json
import os
import sqlite3
import zlib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .. import config

#: Bump when the layout of the build file changes.
BUILD_FORMAT = "3"
BUILD_FILE = "dashboard.sqlite"
LOCK_FILE = "build.lock"
PROGRESS_FILE = "progress.json"
#: The libraries whose results or drawings are part of the build.
LIBRARIES = ("pandas", "numpy", "scipy", "statsmodels", "altair", "vl-convert-python")
PACKAGE_DIR = Path(__file__).resolve().parents[1]
#: What a code file is: source, front-end code, styles and data shipped with the package.
CODE_SUFFIXES = (".py", ".js", ".css", ".csv", ".json", ".j2", ".html")


def build_dir(db: str | os.PathLike | None = None) -> Path:
    """The folder of the dashboard build, beside the store (``data/monitoring.build``).

    Examples:
        >>> build_dir("/srv/county/monitoring.sqlite").as_posix()
        '/srv/county/monitoring.build'
        >>> build_dir("postgresql://planlib@db.example/city").name.startswith("server-")
        True
    """
    store = config.locate_store(db)
    if isinstance(store, str):  # a server store: its build lives in the working directory
        return config.home_dir() / f"{config.server_key(store)}.build"
    return store.with_name(store.stem + ".build")


def build_file(db: str | os.PathLike | None = None) -> Path:
    """The build file of the store ``db``."""
    return build_dir(db) / BUILD_FILE


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of every code file of the package and of the libraries' versions.

    Not a hand-kept list of modules: whatever file of ``planlib`` changes, the build is made anew.

    Examples:
        >>> len(code_version())
        16
    """
    digest = hashlib.sha256(BUILD_FORMAT.encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)};".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none;".encode())
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.suffix in CODE_SUFFIXES and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def source_stamp(db: str | os.PathLike | None = None) -> str:
    """What the data are made of, cheaply: equal stamps, equal catalogue and observations.

    Reads one row of the store (its newest submission and value), never the values themselves.

    Examples:
        >>> a = source_stamp("/nonexistent/monitoring.sqlite")
        >>> a == source_stamp("/nonexistent/monitoring.sqlite"), a.startswith("shipped:")
        (True, True)
    """
    digest = hashlib.sha256(config.CATALOG_PATH.read_bytes())
    store = config.locate_store(db)
    if isinstance(store, str):  # a server store: read through the store module (SQLAlchemy, psycopg)
        from .. import store as server

        digest.update(json.dumps(server.change_stamp(store), default=str).encode())
        return f"store:{digest.hexdigest()[:16]}"
    if not store.exists():
        for path in (config.BASELINES_PATH, config.NATIONAL_PATH, config.DEMO_PATH):
            digest.update(path.read_bytes() if path.exists() else b"")
        return f"shipped:{digest.hexdigest()[:16]}"
    conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=30)
    try:
        meta = conn.execute("SELECT key, value FROM meta ORDER BY key").fetchall()
        row = conn.execute("SELECT (SELECT max(id) FROM submissions), (SELECT max(id) FROM observations),"
                           " (SELECT count(*) FROM observations),"
                           " (SELECT imported_at FROM submissions ORDER BY id DESC LIMIT 1)").fetchone()
        try:  # the plans (schema 3): registering or replacing one changes what the dashboard shows
            row = (*row, *conn.execute("SELECT count(*), max(added_at), group_concat(source_sha256)"
                                       " FROM (SELECT * FROM plans ORDER BY region)").fetchone())
        except sqlite3.OperationalError:  # an older store, before its upgrade
            pass
    finally:
        conn.close()
    # the store's own identity (when it was created) and its newest change; not its path, so a
    # store copied with its build folder keeps its build
    digest.update(json.dumps([meta, *row]).encode())
    return f"store:{digest.hexdigest()[:16]}"


class State(enum.Enum):
    """Where the build of a store stands."""

    FRESH = "fresh"
    STALE = "stale"
    MISSING = "missing"


@dataclass(frozen=True)
class Progress:
    """How far a running build has come.

    Attributes:
        running: whether a process holds the build lock now.
        done: steps done.
        total: steps in all (0 before the build has counted them).
    """

    running: bool
    done: int = 0
    total: int = 0

    @property
    def fraction(self) -> float:
        """Done as a share of all, 0 to 1."""
        return min(1.0, self.done / self.total) if self.total else 0.0


def build_running(db: str | os.PathLike | None = None) -> bool:
    """Whether some process is building the dashboard of ``db`` right now (it holds the lock)."""
    lock = build_dir(db) / LOCK_FILE
    if not lock.exists():
        return False
    with open(lock, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    return False


def progress(db: str | os.PathLike | None = None) -> Progress:
    """The progress of the build of ``db`` (``running=False`` when none runs)."""
    running = build_running(db)
    try:
        data = json.loads((build_dir(db) / PROGRESS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Progress(running)
    return Progress(running, int(data.get("done", 0)), int(data.get("total", 0)))


class Edition:
    """One build of the dashboard, opened read-only.

    Args:
        path: the build file (:func:`build_file`).

    Raises:
        FileNotFoundError: there is no build there.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(self.path)
        # immutable: the file is never changed in place, only replaced whole by a rename.
        self._conn = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True,
                                     check_same_thread=False)
        self.meta: dict = {k: json.loads(v) for k, v in self._conn.execute("SELECT key, value FROM meta")}
        self._pages: dict[tuple[str, int, str], dict] = {}

    @classmethod
    def of_store(cls, db: str | os.PathLike | None = None) -> Edition:
        """The build beside the store ``db``."""
        return cls(build_file(db))

    @property
    def regions(self) -> list[str]:
        """The regions whose plans it shows, the home county first (the dashboard's region picker)."""
        return list(self.meta["regions"])

    def region_of(self, region: str | None) -> str:
        """``region``, or the home county when None; a region it does not hold is a KeyError."""
        region = region or config.COUNTY
        if region not in self.meta["regions"]:
            raise KeyError(region)
        return region

    def years_of(self, region: str | None = None) -> list[int]:
        """The as-of years it holds for ``region`` (default the home county), ascending."""
        return list(self.meta["regions"][self.region_of(region)]["years"])

    def indicators_of(self, region: str | None = None) -> list[str]:
        """The indicators of ``region``'s plan (default the home county's), in catalogue order."""
        return list(self.meta["regions"][self.region_of(region)]["indicators"])

    def data_version_of(self, region: str | None = None) -> str:
        """The version of the data behind ``region``'s pages (the dashboard's report zips carry it)."""
        return self.meta["regions"][self.region_of(region)]["data_version"]

    @property
    def years(self) -> list[int]:
        """The as-of years it holds for the home county, ascending."""
        return list(self.meta["years"])

    @property
    def default_year(self) -> int | None:
        """The as-of year shown first: the latest with county data."""
        return self.years[-1] if self.years else None

    def state(self, db: str | os.PathLike | None = None) -> State:
        """Whether this build still shows the data and code of now."""
        fresh = (self.meta.get("format") == BUILD_FORMAT and self.meta.get("code_version") == code_version()
                 and self.meta.get("source_stamp") == source_stamp(db))
        return State.FRESH if fresh else State.STALE

    def page(self, year: int, lang: str, region: str | None = None) -> dict:
        """What the dashboard shows for one as-of year and language of ``region``'s plan
        (default the home county's; kept once read)."""
        key = (self.region_of(region), int(year), lang)
        if key not in self._pages:
            self._pages[key] = self._body("SELECT body FROM pages WHERE region = ? AND year = ? AND lang = ?", key)
        return self._pages[key]

    def view(self, indicator_id: str, year: int, lang: str, region: str | None = None) -> dict | None:
        """The explorer's chart, words and chart data of one indicator of ``region``'s plan
        (default the home county's; None if it has none)."""
        try:
            return self._body("SELECT body FROM views WHERE region = ? AND indicator_id = ? AND year = ?"
                              " AND lang = ?", (self.region_of(region), indicator_id, int(year), lang))
        except KeyError:
            return None

    @property
    def city_members(self) -> list[str]:
        """The member regions of the city view it holds ([] when it holds none)."""
        return list(self.meta.get("city_members") or [])

    def city_page(self, year: int, lang: str) -> dict | None:
        """The city view of one as-of year and language (title, members, demo, html), or None."""
        if not self.city_members:
            return None
        try:
            return self._body("SELECT body FROM city_pages WHERE year = ? AND lang = ?", (int(year), lang))
        except KeyError:
            return None

    def city_xlsx(self, year: int, lang: str) -> bytes | None:
        """The city workbook (city view, binding behind, ranking) of one as-of year and language."""
        if not self.city_members:
            return None
        row = self._conn.execute("SELECT xlsx FROM city_pages WHERE year = ? AND lang = ?",
                                 (int(year), lang)).fetchone()
        return None if row is None else bytes(row[0])

    def asset(self, name: str) -> str:
        """A front-end file kept in the build (the chart renderer, bundled offline)."""
        row = self._conn.execute("SELECT body FROM assets WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise KeyError(name)
        return zlib.decompress(row[0]).decode("utf-8")

    def _body(self, sql: str, key: tuple) -> dict:
        row = self._conn.execute(sql, key).fetchone()
        if row is None:
            raise KeyError(key)
        return json.loads(zlib.decompress(row[0]))

    def close(self) -> None:
        """Close the file."""
        self._conn.close()


def open_current(db: str | os.PathLike | None = None) -> tuple[Edition | None, State]:
    """The build of ``db`` and whether it is fresh, stale or missing."""
    try:
        edition = Edition.of_store(db)
    except (FileNotFoundError, sqlite3.DatabaseError):
        return None, State.MISSING
    try:
        return edition, edition.state(db)
    except (sqlite3.DatabaseError, OSError):
        return edition, State.STALE
