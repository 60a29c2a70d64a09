"""The monitoring store: every value ever reported, with its history, in SQLite or PostgreSQL.

All database access of the workbench goes through this module. The store is one SQLite file
by default (no set-up); ``--db postgresql://user@host/dbname`` (or ``PLANLIB_DB``) keeps the same
store in PostgreSQL for a city's shared deployment. Both are reached through SQLAlchemy Core
(psycopg 3 for PostgreSQL), with the same tables, the same queries and the same results.

Tables:
    ``schema_version``: one row per schema version applied (:data:`SCHEMA_VERSION` is the
        newest); an older store must be upgraded with ``planlib db upgrade`` before use.
    ``observations``: one row per *version* of a value. The current value of an indicator,
        region and year is the row with ``valid_to`` empty; a correction closes the old row
        (``valid_to`` = the moment of the correction) and adds a new one. The values as known
        at any moment (a *vintage*) are therefore the rows valid at that moment.
    ``submissions``: one row per imported file (name, SHA-256 of its bytes, department,
        reporting year, when, by whom, and how many values were new, changed, unchanged).
    ``revisions``: one row per changed value: old and new value, when, by which submission, why.
    ``plans``: one row per region registered with its own plan (``planlib plan add``): its
        title, its catalogue as the validated CSV text (parsed again exactly as
        :func:`planlib.catalog.load_catalog` parses a file), the source file's name and SHA-256,
        when and by whom (:mod:`planlib.plans`).

Writers on SQLite take the database lock with ``BEGIN IMMEDIATE`` and wait up to
:data:`BUSY_TIMEOUT_S` seconds for another writer, so two imports started together both
finish, one after the other; the journal is in WAL mode, so readers never wait for writers.
Writers on PostgreSQL do the same with a transaction-level advisory lock
(``pg_advisory_xact_lock``): an import reads the current values and then writes, so two imports
must not interleave (under READ COMMITTED both would close the same row; SERIALIZABLE would
abort one and need retries). Ids come from the tables' sequences, so they never collide, and
readers (MVCC) never wait. Readers open read-only connections (SQLite ``mode=ro``, PostgreSQL
``default_transaction_read_only``): the dashboards cannot write through them.
Times are stored in UTC (``YYYY-MM-DDTHH:MM:SS.ffffffZ``).
"""

from __future__ import annotations

import csv
import io
import math
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from . import i18n
from . import schema as S
from . import config
from .config import COUNTY
from .errors import PlanlibError, Problem, problem
from .safecells import csv_text

#: The newest schema version. 1: the first store (its version kept in ``meta``); 2: the version
#: in its own ``schema_version`` table (one row per version applied); 3: the ``plans`` table
#: (other regions' plans, :mod:`planlib.plans`).
SCHEMA_VERSION = 3
BUSY_TIMEOUT_S = 60.0
#: Reason recorded when a real value replaces an illustrative one.
DEMO_REPLACED_REASON = "replaces demo data"
SEED_FILE_NAME = "shipped data (data/*.csv)"
#: The advisory lock every PostgreSQL write transaction holds (an arbitrary constant: "planlib").
PG_WRITE_LOCK = 0x706C616E6C6962

_TEXT_COLUMNS = [S.SOURCE, S.STATUS, S.NOTE, S.CONFIRMATION]
_NUMBER_COLUMNS = [S.VALUE, S.NUMERATOR, S.DENOMINATOR]
_KEY = [S.INDICATOR_ID, S.REGION, S.YEAR]

_MD = sa.MetaData()
META = sa.Table("meta", _MD, sa.Column("key", sa.Text, primary_key=True),
                sa.Column("value", sa.Text, nullable=False))
VERSIONS = sa.Table("schema_version", _MD,
                    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
                    sa.Column("applied_at", sa.Text, nullable=False))
SUBMISSIONS = sa.Table(
    "submissions", _MD,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("content_sha256", sa.Text),
    sa.Column("department", sa.Text),
    sa.Column("reporting_year", sa.Integer),
    sa.Column("imported_at", sa.Text, nullable=False),
    sa.Column("imported_by", sa.Text),
    sa.Column("n_new", sa.Integer, nullable=False, server_default="0"),
    sa.Column("n_changed", sa.Integer, nullable=False, server_default="0"),
    sa.Column("n_unchanged", sa.Integer, nullable=False, server_default="0"),
    sa.Index("submissions_sha", "content_sha256"))
OBSERVATIONS = sa.Table(
    "observations", _MD,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("indicator_id", sa.Text, nullable=False),
    sa.Column("region", sa.Text, nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("value", sa.Double, nullable=False),
    sa.Column("numerator", sa.Double),
    sa.Column("denominator", sa.Double),
    sa.Column("source", sa.Text),
    sa.Column("status", sa.Text),
    sa.Column("note", sa.Text),
    sa.Column("confirmation", sa.Text),
    sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id"), nullable=False),
    sa.Column("valid_from", sa.Text, nullable=False),
    sa.Column("valid_to", sa.Text),
    sa.Index("observations_current", "indicator_id", "region", "year", unique=True,
             sqlite_where=sa.text("valid_to IS NULL"), postgresql_where=sa.text("valid_to IS NULL")),
    sa.Index("observations_indicator", "indicator_id", "region", "year"))
REVISIONS = sa.Table(
    "revisions", _MD,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("indicator_id", sa.Text, nullable=False),
    sa.Column("region", sa.Text, nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("old_value", sa.Double),
    sa.Column("new_value", sa.Double),
    sa.Column("changed_at", sa.Text, nullable=False),
    sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id"), nullable=False),
    sa.Column("reason", sa.Text),
    sa.Index("revisions_indicator", "indicator_id"))
PLANS = sa.Table(
    "plans", _MD,
    sa.Column("region", sa.Text, primary_key=True),
    sa.Column("title", sa.Text),
    sa.Column("catalog_csv", sa.Text, nullable=False),
    sa.Column("n_indicators", sa.Integer, nullable=False),
    sa.Column("source_name", sa.Text),
    sa.Column("source_sha256", sa.Text),
    sa.Column("added_at", sa.Text, nullable=False),
    sa.Column("added_by", sa.Text))
#: The tables holding the store's history, in the order they are filled (``planlib db copy``).
HISTORY_TABLES = (META, PLANS, SUBMISSIONS, OBSERVATIONS, REVISIONS)
#: The columns of :func:`read_plans`, in order.
PLAN_COLUMNS = ["region", "title", "catalog_csv", "n_indicators", "source_name", "source_sha256",
                "added_at", "added_by"]

SUBMISSION_COLUMNS = ["id", "file_name", "content_sha256", "department", "reporting_year",
                      "imported_at", "imported_by", "n_new", "n_changed", "n_unchanged"]
REVISION_COLUMNS = [S.INDICATOR_ID, S.REGION, S.YEAR, "old_value", "new_value", "changed_at",
                    "submission_id", "reason"]


@dataclass(frozen=True)
class SubmissionMeta:
    """What is recorded about one imported file.

    Attributes:
        file_name: the file's name as the department sent it.
        content_sha256: SHA-256 of the file's bytes (a file already imported is recognised).
        department: the responsible unit the file declares (a template's information sheet, or
            the sources of its rows), else ``None``. Self-declared by the file, never verified:
            shown as 申报单位（文件自报） / "unit (as declared)".
        reporting_year: the year the template was made for, else ``None``.
        imported_by: who imported it.
        imported_at: the moment to record (UTC); default now. Must not go back in time.
    """

    file_name: str
    content_sha256: str | None = None
    department: str | None = None
    reporting_year: int | None = None
    imported_by: str | None = None
    imported_at: datetime | None = None


@dataclass(frozen=True)
class ImportCounts:
    """What one import did. ``submission_id`` is ``None`` when nothing changed."""

    submission_id: int | None
    n_new: int
    n_changed: int
    n_unchanged: int


# --- where the store is, and connections ---------------------------------------------------------

Target = str | Path


#: Whether ``db`` names a server store, and which store a command uses (:mod:`planlib.config`).
is_server_url = config.is_server_url
locate = config.locate_store


def describe(target: Target) -> str:
    """How to name the store in a message (a server URL without its password)."""
    if isinstance(target, str):
        return sa.engine.make_url(target).render_as_string(hide_password=True)
    return str(target)


_SERVER_ENGINES: dict[tuple[str, bool], sa.Engine] = {}


def _server_engine(url: str, readonly: bool) -> sa.Engine:
    key = (url, readonly, os.getpid())
    if key not in _SERVER_ENGINES:
        parsed = sa.engine.make_url(url).set(drivername="postgresql+psycopg")
        options = "-c default_transaction_read_only=on" if readonly else ""
        _SERVER_ENGINES[key] = sa.create_engine(
            parsed, poolclass=NullPool, isolation_level="AUTOCOMMIT",
            connect_args={"options": options, "connect_timeout": 30})
    return _SERVER_ENGINES[key]


def _file_engine(path: Path, readonly: bool) -> sa.Engine:
    def open_file() -> sqlite3.Connection:
        if readonly:
            uri = path.resolve().as_uri() + "?mode=ro"
            conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                   check_same_thread=False)
            conn.execute("PRAGMA query_only = ON")
        else:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                   check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    return sa.create_engine("sqlite://", creator=open_file, poolclass=NullPool,
                            isolation_level="AUTOCOMMIT")


def _open(target: Target, readonly: bool) -> sa.Connection:
    engine = _server_engine(target, readonly) if isinstance(target, str) else _file_engine(target, readonly)
    try:
        return engine.connect()
    except sa.exc.DBAPIError as err:
        raise _unreachable(target, err) from None


def _unreachable(target: Target, err: Exception) -> PlanlibError:
    return PlanlibError(Problem(
        f"无法连接监测数据库 {describe(target)}", f"Cannot connect to the monitoring store {describe(target)}",
        "检查 --db / PLANLIB_DB 中的服务器地址、端口、数据库名和用户；数据库须已由管理员建好。",
        "Check the server, port, database name and user in --db / PLANLIB_DB; the database must exist.",
        file=describe(target), value=str(getattr(err, "orig", err)).strip()[:200]))


def _missing_store(target: Target) -> PlanlibError:
    return PlanlibError(Problem(
        f"监测数据库 {describe(target)} 不存在", f"The monitoring store {describe(target)} does not exist",
        "先运行 planlib setup（或 make data；服务器数据库用 planlib db upgrade --db …）创建数据库，"
        "或用 --db / PLANLIB_DB 指定已有的数据库。",
        "Run `planlib setup` (or `make data`; for a server database `planlib db upgrade --db …`) first, "
        "or point --db / PLANLIB_DB to an existing store.",
        file=describe(target)))


def _not_a_store(target: Target, found: object = None) -> PlanlibError:
    return PlanlibError(Problem(
        f"{describe(target)} 不是本系统的监测数据库（或版本不符）",
        f"{describe(target)} is not a monitoring store of this version",
        "检查 --db / PLANLIB_DB 指向的文件；需要新数据库时指定一个不存在的文件名，系统会自动创建。",
        "Check the file --db / PLANLIB_DB points to; name a file that does not exist to get a new store.",
        file=describe(target), value=found))


def _needs_upgrade(target: Target, found: int) -> PlanlibError:
    return PlanlibError(Problem(
        f"监测数据库 {describe(target)} 的结构是旧版本（{found}），需要升级到第 {SCHEMA_VERSION} 版",
        f"The monitoring store {describe(target)} has an older schema (version {found}); "
        f"this planlib needs version {SCHEMA_VERSION}",
        f"先备份，再运行 planlib db upgrade --db {describe(target)}（数据不会丢失）。",
        f"Back it up, then run `planlib db upgrade --db {describe(target)}` (no data is lost).",
        file=describe(target), value=found))


def _version(conn: sa.Connection) -> int | None:
    """The schema version of the store behind ``conn``; ``None`` if it holds no store (no tables).

    Raises:
        PlanlibError: (via the caller) never; a database that is not a store gives ``-1``.
    """
    try:
        names = set(sa.inspect(conn).get_table_names())
        if VERSIONS.name in names:
            return conn.execute(sa.select(sa.func.max(VERSIONS.c.version))).scalar()
        if META.name in names:
            found = conn.execute(sa.select(META.c.value).where(META.c.key == "schema_version")).scalar()
            return int(found) if found and str(found).isdigit() else -1
        return None if not names else -1
    except sa.exc.DBAPIError:
        return -1


def _exists(target: Target) -> bool:
    if isinstance(target, Path):
        return target.exists()
    with _open(target, readonly=True) as conn:
        return _version(conn) is not None


def exists(db: str | os.PathLike | None = None) -> bool:
    """Whether a store is there (a file, or a server database holding the store's tables)."""
    return _exists(locate(db))


def _checked(conn: sa.Connection, target: Target) -> sa.Connection:
    """The connection, if it leads to a monitoring store of this schema version."""
    found = _version(conn)
    if found == SCHEMA_VERSION:
        return conn
    conn.close()
    if found is None and isinstance(target, str):
        raise _missing_store(target)
    if found is not None and 0 < found < SCHEMA_VERSION:
        raise _needs_upgrade(target, found)
    raise _not_a_store(target, found)


def connect_readonly(db: str | os.PathLike | None = None):
    """Open the store read-only: any attempt to write through it fails.

    Returns the driver's own connection (``sqlite3.Connection``, or a psycopg connection for a
    server store), for ad-hoc SQL; close it after use. The module's readers use
    :func:`_reader`, the same connection behind SQLAlchemy.

    Raises:
        PlanlibError: if the store does not exist, is not a store, or needs ``planlib db upgrade``.
    """
    conn = _reader(db)
    raw = conn.connection.driver_connection
    conn.detach()
    return raw


def _reader(db: str | os.PathLike | None = None) -> sa.Connection:
    """A read-only SQLAlchemy connection to a store of this schema version (see
    :func:`connect_readonly`)."""
    target = locate(db)
    if isinstance(target, Path) and not target.exists():
        raise _missing_store(target)
    return _checked(_open(target, readonly=True), target)


def change_stamp(db: str | os.PathLike | None = None) -> list:
    """What identifies the store's contents cheaply: its ``meta`` rows (when it was created),
    its newest submission and value, how many value versions it holds, when the last import
    happened and which plans it holds. Equal stamps, equal contents (the dashboard's build
    compares them).
    """
    with _reader(db) as conn:
        meta = [list(r) for r in conn.execute(sa.select(META.c.key, META.c.value).order_by(META.c.key))]
        row = conn.execute(sa.select(
            sa.select(sa.func.max(SUBMISSIONS.c.id)).scalar_subquery(),
            sa.select(sa.func.max(OBSERVATIONS.c.id)).scalar_subquery(),
            sa.select(sa.func.count()).select_from(OBSERVATIONS).scalar_subquery(),
            sa.select(SUBMISSIONS.c.imported_at).order_by(SUBMISSIONS.c.id.desc()).limit(1).scalar_subquery(),
        )).one()
        plans = [list(r) for r in conn.execute(
            sa.select(PLANS.c.region, PLANS.c.added_at, PLANS.c.source_sha256).order_by(PLANS.c.region))]
    return [meta, *row, plans]


def _connect_writer(target: Target, existing: bool = True) -> sa.Connection:
    conn = _open(target, readonly=False)
    return _checked(conn, target) if existing else conn


def _begin(conn: sa.Connection) -> None:
    """Start a write transaction holding the store's write lock (see the module's notes)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(BUSY_TIMEOUT_S)}s'")
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(PG_WRITE_LOCK)))


def _commit(conn: sa.Connection) -> None:
    conn.exec_driver_sql("COMMIT")


def _rollback(conn: sa.Connection) -> None:
    conn.exec_driver_sql("ROLLBACK")


def _utc_text(moment: datetime | None = None) -> str:
    moment = moment or datetime.now(timezone.utc)
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def local_time(stored: str, tz: tzinfo | None = None) -> str:
    """A stored UTC time as local time (``tz``, default this machine's), to the minute.

    Examples:
        >>> local_time("2025-03-01T16:30:00.000000Z", timezone(timedelta(hours=8)))
        '2025-03-02 00:30'
    """
    moment = datetime.strptime(stored, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def vintage_cutoff(as_of_date: str | date, tz: tzinfo | None = None) -> str:
    """The end of ``as_of_date`` in time zone ``tz`` (default: this machine's), as stored UTC.

    Examples:
        >>> china = timezone(timedelta(hours=8))
        >>> vintage_cutoff("2025-03-01", china)
        '2025-03-01T16:00:00.000000Z'
    """
    try:
        day = date.fromisoformat(str(as_of_date)) if not isinstance(as_of_date, date) else as_of_date
    except ValueError:
        raise PlanlibError(Problem(
            "日期格式不正确", "The date is not in the expected format",
            "按 YYYY-MM-DD 填写日期，例如 2025-03-31。", "Write the date as YYYY-MM-DD, e.g. 2025-03-31.",
            value=as_of_date)) from None
    end = datetime.combine(day + timedelta(days=1), time.min)
    return _utc_text(end.replace(tzinfo=tz) if tz else end.astimezone())


# --- creating the store --------------------------------------------------------------------------

def create_store(path: str | os.PathLike, seed: pd.DataFrame) -> bool:
    """Create a store at ``path`` (a file, or a ``postgresql://`` URL) holding ``seed`` as its
    first submission, unless one exists there.

    A file store is built in a temporary file beside the target and moved into place only when
    complete, so an interrupted set-up leaves nothing half-made; a server store is created in
    one transaction (PostgreSQL's DDL is transactional). A store that exists (or that another
    process put there first) is never touched. ``planlib setup`` calls it with the shipped data
    (:func:`planlib.observations.ensure_store`).

    Returns:
        Whether it was created now.
    """
    def fill(conn: sa.Connection) -> None:
        Writer(conn).apply(seed, SubmissionMeta(SEED_FILE_NAME, imported_by="planlib setup"))

    if not is_server_url(path) and is_server_url(str(path).replace(":/", "://", 1)):
        # a URL that went through Path() (which folds "//"): never make a file of that name
        raise PlanlibError(Problem(
            f"此命令尚不能创建服务器数据库 {path}", f"This command cannot create the server store {path} yet",
            "服务器数据库请用 planlib db upgrade --db postgresql://… 创建（不会生成同名文件）。",
            "Create a server store with `planlib db upgrade --db postgresql://…` (no file of that name is made).",
            file=str(path)))
    return _create(path if is_server_url(path) else Path(path), fill)


def _create(target: Target, fill: Callable[[sa.Connection], None]) -> bool:
    if isinstance(target, str):
        return _create_on_server(target, fill)
    if target.exists():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.building")
    try:
        _build(tmp, fill)
        return _move_into_place(tmp, target)
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal")):
            leftover.unlink(missing_ok=True)


def _schema(conn: sa.Connection) -> None:
    _MD.create_all(conn)
    now = _utc_text()
    conn.execute(META.insert(), [{"key": "created_at", "value": now}])
    conn.execute(VERSIONS.insert(), [{"version": SCHEMA_VERSION, "applied_at": now}])


def _build(tmp: Path, fill: Callable[[sa.Connection], None]) -> None:
    tmp.unlink(missing_ok=True)
    conn = _connect_writer(tmp, existing=False)
    try:
        conn.exec_driver_sql("PRAGMA journal_mode = DELETE")
        _begin(conn)
        _schema(conn)
        fill(conn)
        _commit(conn)
        conn.exec_driver_sql("PRAGMA journal_mode = WAL")
    finally:
        conn.close()


def _create_on_server(url: str, fill: Callable[[sa.Connection], None]) -> bool:
    with _open(url, readonly=False) as conn:
        _begin(conn)
        try:
            if _version(conn) is not None:
                _rollback(conn)
                return False
            _schema(conn)
            fill(conn)
        except BaseException:
            _rollback(conn)
            raise
        _commit(conn)
    return True


def _move_into_place(tmp: Path, path: Path) -> bool:
    """Link the finished file to its name; if another process got there first, keep theirs."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        return False
    except OSError:  # file systems without hard links
        if path.exists():
            return False
        os.replace(tmp, path)
    return True


# --- upgrading and copying (planlib db upgrade / planlib db copy) ---------------------------------

def upgrade(db: str | os.PathLike | None = None, seed: pd.DataFrame | None = None) -> tuple[int | None, int]:
    """Bring the store to :data:`SCHEMA_VERSION` in one transaction (``planlib db upgrade``).

    A store that does not exist yet is created, holding ``seed`` (the shipped data) if given.

    Returns:
        The version found (``None``: created now) and the version it has now.

    Raises:
        PlanlibError: if the database holds something that is not a monitoring store.
    """
    target = locate(db)
    if not _exists(target):
        if seed is not None:
            create_store(target, seed)
        else:
            _create(target, lambda conn: None)
        return None, SCHEMA_VERSION
    with _connect_writer(target, existing=False) as conn:
        _begin(conn)
        try:
            found = _version(conn)
            if found is None or found < 1:
                raise _not_a_store(target, found)
            if found == 1:  # 1 -> 2: the version moves from meta into its own table
                VERSIONS.create(conn)
                conn.execute(VERSIONS.insert(), [{"version": 1, "applied_at": _utc_text()},
                                                 {"version": 2, "applied_at": _utc_text()}])
                conn.execute(META.delete().where(META.c.key == "schema_version"))
            if found < 3:  # 2 -> 3: the plans of other regions
                PLANS.create(conn, checkfirst=True)
                conn.execute(VERSIONS.insert(), [{"version": 3, "applied_at": _utc_text()}])
        except BaseException:
            _rollback(conn)
            raise
        _commit(conn)
    return found, SCHEMA_VERSION


def copy_store(source: str | os.PathLike, target: str | os.PathLike) -> dict[str, int]:
    """Copy a store with its whole history (every submission, value version and revision, with
    their ids and times) into a new store: any backend to any (``planlib db copy``).

    The target must not hold a store yet; it is filled in one transaction (a file target is
    built beside and moved into place), so an interrupted copy leaves nothing.

    Returns:
        How many rows each table received.

    Raises:
        PlanlibError: if the source is missing or old, or the target already holds a store.
    """
    src, dst = locate(source), locate(target)
    rows: dict[str, list[dict]] = {}
    with _reader(src) as conn:
        for table in HISTORY_TABLES:
            query = sa.select(table).where(table.c.key != "created_at") if table is META else \
                sa.select(table).order_by(*table.primary_key.columns)
            rows[table.name] = [dict(r._mapping) for r in conn.execute(query)]
    if _exists(dst):
        raise PlanlibError(Problem(
            f"目标数据库 {describe(dst)} 已有数据", f"The target store {describe(dst)} already holds a store",
            "复制只写入空的目标：另选一个不存在的文件，或一个新建的空服务器数据库。",
            "A copy is written only into an empty target: name a new file, or a new empty server database.",
            file=describe(dst)))

    def fill(conn: sa.Connection) -> None:
        for table in HISTORY_TABLES:
            if rows[table.name]:
                conn.execute(table.insert(), rows[table.name])
        if conn.dialect.name == "postgresql":
            for table in (SUBMISSIONS, OBSERVATIONS, REVISIONS):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)")

    if not _create(dst, fill):
        raise PlanlibError(Problem(
            f"目标数据库 {describe(dst)} 已有数据", f"The target store {describe(dst)} already holds a store",
            "另选一个不存在的目标。", "Name a target that does not exist.", file=describe(dst)))
    return {name: len(r) for name, r in rows.items() if name != META.name}


# --- reading -------------------------------------------------------------------------------------

def _query(statement, db) -> pd.DataFrame:
    conn = _reader(db)
    try:
        result = conn.execute(statement)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    finally:
        conn.close()


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.astype({S.YEAR: "int64", S.VALUE: "float64", S.NUMERATOR: "float64",
                        S.DENOMINATOR: "float64"})
    for col in [S.INDICATOR_ID, S.REGION, *_TEXT_COLUMNS]:
        out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out[S.OBS_COLUMNS].reset_index(drop=True)


def _valid(as_of_date: str | date | None):
    """The rows holding the current values, or those valid at the end of ``as_of_date``."""
    o = OBSERVATIONS.c
    if as_of_date is None:
        return o.valid_to.is_(None)
    cut = vintage_cutoff(as_of_date)
    return sa.and_(o.valid_from < cut, sa.or_(o.valid_to.is_(None), o.valid_to >= cut))


def list_regions(db: str | os.PathLike | None = None, as_of_date: str | date | None = None) -> list[str]:
    """The regions the store holds values for (now, or at the end of ``as_of_date``), sorted.

    Examples:
        >>> import tempfile, pathlib
        >>> from planlib.observations import ensure_store
        >>> db = ensure_store(pathlib.Path(tempfile.mkdtemp()) / "m.sqlite")[0]
        >>> list_regions(db)
        ['全国', '石柱县', '重庆市']
    """
    o = OBSERVATIONS.c
    found = _query(sa.select(o.region).where(_valid(as_of_date)).distinct(), db)
    return sorted(str(r) for r in found[S.REGION])  # code-point order on both backends


def read_observations(db: str | os.PathLike | None = None,
                      as_of_date: str | date | None = None,
                      regions: Iterable[str] | None = None) -> pd.DataFrame:
    """The current observations, or those known at the end of ``as_of_date`` (a vintage).

    Args:
        db: the store (default ``$PLANLIB_DB`` or ``data/monitoring.sqlite``).
        as_of_date: ``YYYY-MM-DD``; the values as they stood at the end of that day (local
            time), so a report made then can be reproduced after later corrections.
        regions: only these regions (default: all), so that one region of many can be read
            without holding the others (``planlib assess --all-regions``).

    Returns:
        A new frame with the columns ``schema.OBS_COLUMNS``, sorted by indicator, region, year;
        missing text is ``None``, missing numbers ``NaN`` (as ``planlib.observations`` gives).

    Examples:
        >>> import tempfile, pathlib
        >>> from planlib.observations import ensure_store
        >>> db = ensure_store(pathlib.Path(tempfile.mkdtemp()) / "m.sqlite")[0]
        >>> obs = read_observations(db)
        >>> obs.query("indicator_id == 'C02' and region == '石柱县' and year == 2020")["value"].tolist()
        [1.5]
        >>> len(read_observations(db, as_of_date="2000-01-01"))
        0
        >>> read_observations(db, regions=["全国"])["region"].unique().tolist()
        ['全国']
    """
    o = OBSERVATIONS.c
    where = _valid(as_of_date)
    if regions is not None:
        where = sa.and_(where, o.region.in_(list(regions)))
    query = sa.select(*(o[c] for c in S.OBS_COLUMNS)).where(where)
    # sorted here, not by the database: a server's collation may order text otherwise than
    # SQLite's (code points), and the frame must be the same on both
    frame = _query(query, db).sort_values(_KEY, kind="stable")
    return _tidy(frame)


def submissions(db: str | os.PathLike | None = None) -> pd.DataFrame:
    """Every imported file, newest first (columns :data:`SUBMISSION_COLUMNS`).

    Examples:
        >>> import tempfile, pathlib
        >>> from planlib.observations import ensure_store
        >>> db = ensure_store(pathlib.Path(tempfile.mkdtemp()) / "m.sqlite")[0]
        >>> submissions(db)[["id", "file_name", "n_changed"]].values.tolist()
        [[1, 'shipped data (data/*.csv)', 0]]
    """
    s = SUBMISSIONS.c
    return _query(sa.select(*(s[c] for c in SUBMISSION_COLUMNS)).order_by(s.id.desc()), db)


def revisions(indicator_id: str | None = None,
              db: str | os.PathLike | None = None) -> pd.DataFrame:
    """Every change to a value (of one indicator, or all), newest first.

    Columns :data:`REVISION_COLUMNS`: old and new value, when, by which submission, and why.
    """
    r = REVISIONS.c
    query = sa.select(*(r[c] for c in REVISION_COLUMNS)).order_by(r.id.desc())
    if indicator_id:
        query = query.where(r.indicator_id == indicator_id)
    return _query(query, db)


def read_plans(db: str | os.PathLike | None = None) -> pd.DataFrame:
    """Every registered region's plan (columns :data:`PLAN_COLUMNS`), by region.

    A store that does not exist yet holds no plan (an empty frame), so that the shipped
    catalogue works before ``planlib setup``.
    """
    if not exists(db):
        return pd.DataFrame(columns=PLAN_COLUMNS)
    p = PLANS.c
    frame = _query(sa.select(*(p[c] for c in PLAN_COLUMNS)), db)
    # sorted here, not by the database (a server's collation may differ from SQLite's)
    return frame.sort_values("region", kind="stable").reset_index(drop=True)


def export_csv(db: str | os.PathLike | None = None,
               as_of_date: str | date | None = None, region: str | None = None) -> str:
    """All observations (or a vintage) as tidy CSV text, the format ``planlib import`` reads.

    ``region``: only that region's rows (``planlib export --region``); default every region.

    Columns are ``schema.OBS_COLUMNS`` in that order, UTF-8, one row per indicator, region and
    year. Illustrative rows keep ``source`` = ``demo``. Text a spreadsheet would calculate
    (``=…``, ``+…``, ``-…``, ``@…``) carries a leading ``'`` (:func:`planlib.safecells.csv_text`),
    which ``planlib import`` removes again.

    Examples:
        >>> import tempfile, pathlib
        >>> from planlib.observations import ensure_store
        >>> db = ensure_store(pathlib.Path(tempfile.mkdtemp()) / "m.sqlite")[0]
        >>> export_csv(db).splitlines()[0]
        'indicator_id,region,year,value,numerator,denominator,source,status,note,confirmation'
    """
    frame = read_observations(db, as_of_date)
    if region is not None:
        frame = frame[frame[S.REGION] == region]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(S.OBS_COLUMNS)
    for row in frame.itertuples(index=False):
        writer.writerow([_csv_cell(v) for v in row])
    return buf.getvalue()


def write_export(output: str | os.PathLike, db: str | os.PathLike | None = None,
                 as_of_date: str | date | None = None, region: str | None = None) -> Path:
    """Write :func:`export_csv` to a file, atomically (a temporary file renamed into place).

    Examples:
        >>> import tempfile, pathlib
        >>> tmp = pathlib.Path(tempfile.mkdtemp())
        >>> from planlib.observations import ensure_store
        >>> db = ensure_store(tmp / "m.sqlite")[0]
        >>> text = write_export(tmp / "backup.csv", db).read_text(encoding="utf-8")
        >>> text.splitlines()[0].startswith("indicator_id,region,year,value")
        True
    """
    output = Path(output)
    tmp = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(export_csv(db, as_of_date, region), encoding="utf-8")
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)
    return output


def _csv_cell(value: object) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return repr(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return "" if value is None else csv_text(str(value))


# --- writing -------------------------------------------------------------------------------------

class Writer:
    """Inside one write transaction: read the current values and apply a submission."""

    def __init__(self, conn: sa.Connection):
        self.conn = conn

    def find_submission(self, content_sha256: str) -> dict | None:
        """The earlier submission of a file with these bytes, if any."""
        s = SUBMISSIONS.c
        row = self.conn.execute(sa.select(s.id, s.file_name, s.imported_at)
                                .where(s.content_sha256 == content_sha256).order_by(s.id).limit(1)).first()
        return dict(row._mapping) if row else None

    def current(self, indicator_ids: list[str] | None = None) -> pd.DataFrame:
        """The current observations (all, or of some indicators), ``OBS_COLUMNS``."""
        return _tidy(pd.DataFrame(self.current_records(indicator_ids), columns=["id"] + S.OBS_COLUMNS))

    def current_records(self, indicator_ids: list[str] | None = None,
                        regions: list[str] | None = None,
                        years: tuple[int, int] | None = None) -> list[dict]:
        """The same as :meth:`current` (optionally of some regions and a span of years), as
        plain dicts with the row ``id``; pass them on to :meth:`apply` to spare reading twice."""
        o = OBSERVATIONS.c
        query = sa.select(*(o[c] for c in ["id"] + S.OBS_COLUMNS)).where(o.valid_to.is_(None))
        for column, values in ((o.indicator_id, indicator_ids), (o.region, regions)):
            if values is not None:
                query = query.where(column.in_(sorted(set(values))))
        if years is not None:
            query = query.where(o.year.between(int(years[0]), int(years[1])))
        return [dict(r._mapping) for r in self.conn.execute(query)]

    def apply(self, frame: pd.DataFrame | list[dict], meta: SubmissionMeta,
              current: list[dict] | None = None) -> ImportCounts:
        """Record the rows of ``frame`` (a frame or dicts) as one submission; unchanged rows stay.

        A changed value closes the old version and records a revision whose reason is the
        row's note (or :data:`DEMO_REPLACED_REASON` when an illustrative value is replaced).
        Nothing is recorded when nothing is new or changed. ``current``: the stored rows of
        these indicators and regions, if already read in this transaction
        (:meth:`current_records`).
        """
        rows = _normalise(frame)
        if current is None:
            current = self.current_records(sorted({r[S.INDICATOR_ID] for r in rows}))
        existing = {(r[S.INDICATOR_ID], r[S.REGION], r[S.YEAR]): r for r in current}
        new, changed = [], []
        for row in rows:
            old = existing.get((row[S.INDICATOR_ID], row[S.REGION], row[S.YEAR]))
            if old is None:
                new.append(row)
            elif not _same(old, row):
                changed.append((old, row))
        n_unchanged = len(rows) - len(new) - len(changed)
        if not new and not changed:
            return ImportCounts(None, 0, 0, n_unchanged)
        now = _utc_text(meta.imported_at)
        sid = self._insert_submission(meta, now, (len(new), len(changed), n_unchanged))
        self._write(new, changed, sid, now)
        return ImportCounts(sid, len(new), len(changed), n_unchanged)

    def _insert_submission(self, meta: SubmissionMeta, now: str, counts: tuple) -> int:
        result = self.conn.execute(SUBMISSIONS.insert().values(
            file_name=meta.file_name, content_sha256=meta.content_sha256, department=meta.department,
            reporting_year=meta.reporting_year, imported_at=now, imported_by=meta.imported_by,
            n_new=counts[0], n_changed=counts[1], n_unchanged=counts[2]))
        return int(result.inserted_primary_key[0])

    def _write(self, new: list[dict], changed: list[tuple[dict, dict]], sid: int, now: str) -> None:
        o = OBSERVATIONS.c
        if changed:
            self.conn.execute(sa.update(OBSERVATIONS).where(o.id == sa.bindparam("old_id"))
                              .values(valid_to=sa.bindparam("now")),
                              [{"old_id": old["id"], "now": now} for old, _ in changed])
        inserts = new + [row for _, row in changed]
        if inserts:
            self.conn.execute(OBSERVATIONS.insert(), [
                {**{c: r[c] for c in S.OBS_COLUMNS}, "submission_id": sid, "valid_from": now}
                for r in inserts])
        if changed:
            self.conn.execute(REVISIONS.insert(), [
                {S.INDICATOR_ID: row[S.INDICATOR_ID], S.REGION: row[S.REGION], S.YEAR: row[S.YEAR],
                 "old_value": old[S.VALUE], "new_value": row[S.VALUE], "changed_at": now,
                 "submission_id": sid, "reason": _reason(old, row)} for old, row in changed])


def save_plan(plan: dict, replace: bool = False, db: str | os.PathLike | None = None) -> bool:
    """Register a region's plan (a row of ``plans``: the keys of :data:`PLAN_COLUMNS` but
    ``added_at``, which is now), in one write transaction.

    Returns:
        Whether a plan of that region was replaced.

    Raises:
        PlanlibError: the region has a plan already and ``replace`` is false (nothing changed).
    """
    p = PLANS.c
    with writing(db) as writer:
        old = writer.conn.execute(sa.select(p.title, p.n_indicators, p.added_at)
                                  .where(p.region == plan["region"])).first()
        if old is not None and not replace:
            raise PlanlibError(problem(i18n.PLAN_STORE_LABELS, "plan_exists", {
                "region": plan["region"], "title": old.title or "—", "n": old.n_indicators,
                "added_at": local_time(old.added_at)}, file=describe(locate(db)), value=plan["region"]))
        if old is not None:
            writer.conn.execute(PLANS.delete().where(p.region == plan["region"]))
        writer.conn.execute(PLANS.insert().values(
            **{c: plan.get(c) for c in PLAN_COLUMNS if c != "added_at"}, added_at=_utc_text()))
    return old is not None


def remove_plan(region: str, db: str | os.PathLike | None = None) -> bool:
    """Unregister ``region``'s plan, in one write transaction; its values stay in the store (the
    history is never deleted), but the region is no longer a member nor accepted at intake.
    Returns whether there was a plan to remove."""
    with writing(db) as writer:
        done = writer.conn.execute(PLANS.delete().where(PLANS.c.region == region))
    return bool(done.rowcount)


@contextmanager
def write_connection(db: str | os.PathLike | None = None) -> Iterator[sa.Connection]:
    """A connection for writing to an existing store.

    Keep it open for a batch of transactions: closing the last connection checkpoints the
    write-ahead log, which is the slow part of a small import. (``planlib import`` creates the
    store first when there is none: :func:`planlib.observations.ensure_store`.)

    Raises:
        PlanlibError: if the store does not exist, is not a store, or needs ``planlib db upgrade``.
    """
    target = locate(db)
    if isinstance(target, Path) and not target.exists():
        raise _missing_store(target)
    conn = _connect_writer(target)
    try:
        yield conn
    finally:
        conn.close()


@contextmanager
def transaction(conn: sa.Connection, dry_run: bool = False) -> Iterator[Writer]:
    """One write transaction holding the store's write lock (SQLite ``BEGIN IMMEDIATE``,
    PostgreSQL an advisory lock): committed at the end, rolled back on error.

    Waits (up to :data:`BUSY_TIMEOUT_S`) for another writer to finish. With ``dry_run``
    everything is done and then rolled back.
    """
    _begin(conn)
    try:
        yield Writer(conn)
    except BaseException:
        _rollback(conn)
        raise
    if dry_run:
        _rollback(conn)
    else:
        _commit(conn)


@contextmanager
def writing(db: str | os.PathLike | None = None, dry_run: bool = False) -> Iterator[Writer]:
    """One write transaction on its own connection (see :func:`transaction`)."""
    with write_connection(db) as conn, transaction(conn, dry_run) as writer:
        yield writer


def import_observations(frame: pd.DataFrame, submission_meta: SubmissionMeta,
                        db: str | os.PathLike | None = None) -> ImportCounts:
    """Apply already validated observations as one submission, in one transaction.

    Examples:
        >>> import tempfile, pathlib
        >>> from planlib.observations import ensure_store
        >>> db = ensure_store(pathlib.Path(tempfile.mkdtemp()) / "m.sqlite")[0]
        >>> rows = pd.DataFrame({"indicator_id": ["C02"], "year": [2024], "value": [1.2],
        ...                      "source": ["县卫生健康委"], "status": ["reported"]})
        >>> import_observations(rows, SubmissionMeta("c02.csv"), db)
        ImportCounts(submission_id=2, n_new=0, n_changed=1, n_unchanged=0)
        >>> revisions("C02", db)["reason"].tolist()
        ['replaces demo data']
    """
    with writing(db) as writer:
        return writer.apply(frame, submission_meta)


def _normalise(frame: pd.DataFrame | list[dict]) -> list[dict]:
    out = []
    for rec in (frame.to_dict("records") if isinstance(frame, pd.DataFrame) else frame):
        row = {S.INDICATOR_ID: str(rec[S.INDICATOR_ID]),
               S.REGION: _text(rec.get(S.REGION)) or COUNTY,
               S.YEAR: int(rec[S.YEAR])}
        for col in _NUMBER_COLUMNS:
            row[col] = _number(rec.get(col))
        for col in _TEXT_COLUMNS:
            row[col] = _text(rec.get(col))
        out.append(row)
    return out


def _same(old: dict, new: dict) -> bool:
    numbers = all(_same_number(old[c], new[c]) for c in _NUMBER_COLUMNS)
    return numbers and all((old[c] or None) == new[c] for c in _TEXT_COLUMNS)


def _same_number(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def _reason(old: dict, new: dict) -> str | None:
    if old[S.SOURCE] == S.DEMO_SOURCE and new[S.SOURCE] != S.DEMO_SOURCE:
        return DEMO_REPLACED_REASON + (f"; {new[S.NOTE]}" if new[S.NOTE] else "")
    return new[S.NOTE]


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


def _number(value: object) -> float | None:
    if value is None or value is pd.NA or value == "":
        return None
    number = float(value)
    return None if math.isnan(number) else number
