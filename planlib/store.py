"""The monitoring store: every value ever reported, with its history, in one SQLite file.

All database access of the workbench goes through this module, so that a server database
(PostgreSQL) can be put behind the same functions later.

Tables:
    ``observations``: one row per *version* of a value. The current value of an indicator,
        region and year is the row with ``valid_to`` empty; a correction closes the old row
        (``valid_to`` = the moment of the correction) and adds a new one. The values as known
        at any moment (a *vintage*) are therefore the rows valid at that moment.
    ``submissions``: one row per imported file (name, SHA-256 of its bytes, department,
        reporting year, when, by whom, and how many values were new, changed, unchanged).
    ``revisions``: one row per changed value: old and new value, when, by which submission, why.

Writers take the database lock with ``BEGIN IMMEDIATE`` and wait up to
:data:`BUSY_TIMEOUT_S` seconds for another writer, so two imports started together both
finish, one after the other. The journal is in WAL mode, so readers never wait for writers.
Readers open the file read-only (``mode=ro``): the dashboards cannot write through them.
Times are stored in UTC (``YYYY-MM-DDTHH:MM:SS.ffffffZ``).
"""

from __future__ import annotations

import csv
import io
import math
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path

import pandas as pd

from . import schema as S
from .config import COUNTY, db_path
from .errors import PlanlibError, Problem
from .safecells import csv_text

SCHEMA_VERSION = "1"
BUSY_TIMEOUT_S = 60.0
#: Reason recorded when a real value replaces an illustrative one.
DEMO_REPLACED_REASON = "replaces demo data"
SEED_FILE_NAME = "shipped data (data/*.csv)"

_TEXT_COLUMNS = [S.SOURCE, S.STATUS, S.NOTE, S.CONFIRMATION]
_NUMBER_COLUMNS = [S.VALUE, S.NUMERATOR, S.DENOMINATOR]
_KEY = [S.INDICATOR_ID, S.REGION, S.YEAR]

_DDL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    content_sha256 TEXT,
    department TEXT,
    reporting_year INTEGER,
    imported_at TEXT NOT NULL,
    imported_by TEXT,
    n_new INTEGER NOT NULL DEFAULT 0,
    n_changed INTEGER NOT NULL DEFAULT 0,
    n_unchanged INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX submissions_sha ON submissions(content_sha256);
CREATE TABLE observations (
    id INTEGER PRIMARY KEY,
    indicator_id TEXT NOT NULL,
    region TEXT NOT NULL,
    year INTEGER NOT NULL,
    value REAL NOT NULL,
    numerator REAL,
    denominator REAL,
    source TEXT,
    status TEXT,
    note TEXT,
    confirmation TEXT,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    valid_from TEXT NOT NULL,
    valid_to TEXT
);
CREATE UNIQUE INDEX observations_current
    ON observations(indicator_id, region, year) WHERE valid_to IS NULL;
CREATE INDEX observations_indicator ON observations(indicator_id, region, year);
CREATE TABLE revisions (
    id INTEGER PRIMARY KEY,
    indicator_id TEXT NOT NULL,
    region TEXT NOT NULL,
    year INTEGER NOT NULL,
    old_value REAL,
    new_value REAL,
    changed_at TEXT NOT NULL,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    reason TEXT
);
CREATE INDEX revisions_indicator ON revisions(indicator_id);
"""

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


# --- connections ---------------------------------------------------------------------------------

def _missing_store(path: Path) -> PlanlibError:
    return PlanlibError(Problem(
        f"监测数据库 {path} 不存在", f"The monitoring store {path} does not exist",
        "先运行 planlib setup（或 make data）创建数据库，或用 --db / PLANLIB_DB 指定已有的数据库。",
        "Run `planlib setup` (or `make data`) first, or point --db / PLANLIB_DB to an existing store.",
        file=str(path)))


def connect_readonly(db: str | os.PathLike | None = None) -> sqlite3.Connection:
    """Open the store read-only: any attempt to write through it fails.

    Every reader (assessment, dashboards, exports) uses this connection.

    Raises:
        PlanlibError: if the store does not exist.
    """
    path = db_path(db)
    if not path.exists():
        raise _missing_store(path)
    uri = path.resolve().as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)
    conn.execute("PRAGMA query_only = ON")
    return _checked(conn, path)


def _checked(conn: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    """The connection, if the file is a monitoring store of this schema version."""
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError:
        row = None
    if row is None or row[0] != SCHEMA_VERSION:
        conn.close()
        raise PlanlibError(Problem(
            f"{path} 不是本系统的监测数据库（或版本不符）",
            f"{path} is not a monitoring store of this version",
            "检查 --db / PLANLIB_DB 指向的文件；需要新数据库时指定一个不存在的文件名，系统会自动创建。",
            "Check the file --db / PLANLIB_DB points to; name a file that does not exist to get a new store.",
            file=str(path), value=row[0] if row else None))
    return conn


def _connect_writer(path: Path, existing: bool = True) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    if existing:
        _checked(conn, path)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def _commit(conn: sqlite3.Connection) -> None:
    conn.execute("COMMIT")


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
    """Create a store at ``path`` holding ``seed`` as its first submission, unless one exists there.

    The store is built in a temporary file beside the target and moved into place only when
    complete, so an interrupted set-up leaves nothing half-made; a store that exists (or that
    another process put there first) is never touched. ``planlib setup`` calls it with the
    shipped data (:func:`planlib.observations.ensure_store`).

    Returns:
        Whether it was created now.
    """
    path = Path(path)
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.building")
    try:
        _build(tmp, seed)
        return _move_into_place(tmp, path)
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal")):
            leftover.unlink(missing_ok=True)


def _build(tmp: Path, seed: pd.DataFrame) -> None:
    tmp.unlink(missing_ok=True)
    conn = _connect_writer(tmp, existing=False)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("BEGIN IMMEDIATE")
        for statement in _DDL.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.executemany("INSERT INTO meta VALUES (?, ?)",
                         [("schema_version", SCHEMA_VERSION), ("created_at", _utc_text())])
        Writer(conn).apply(seed, SubmissionMeta(SEED_FILE_NAME, imported_by="planlib setup"))
        _commit(conn)
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()


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


# --- reading -------------------------------------------------------------------------------------

def _query(sql: str, params: tuple, db) -> pd.DataFrame:
    conn = connect_readonly(db)
    try:
        cur = conn.execute(sql, params)
        cols = [d[0] for d in cur.description]
        return pd.DataFrame(cur.fetchall(), columns=cols)
    finally:
        conn.close()


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.astype({S.YEAR: "int64", S.VALUE: "float64", S.NUMERATOR: "float64",
                        S.DENOMINATOR: "float64"})
    for col in [S.INDICATOR_ID, S.REGION, *_TEXT_COLUMNS]:
        out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out[S.OBS_COLUMNS].reset_index(drop=True)


def read_observations(db: str | os.PathLike | None = None,
                      as_of_date: str | date | None = None) -> pd.DataFrame:
    """The current observations, or those known at the end of ``as_of_date`` (a vintage).

    Args:
        db: the store (default ``$PLANLIB_DB`` or ``data/monitoring.sqlite``).
        as_of_date: ``YYYY-MM-DD``; the values as they stood at the end of that day (local
            time), so a report made then can be reproduced after later corrections.

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
    """
    cols = ", ".join(S.OBS_COLUMNS)
    if as_of_date is None:
        where, params = "valid_to IS NULL", ()
    else:
        cut = vintage_cutoff(as_of_date)
        where, params = "valid_from < ? AND (valid_to IS NULL OR valid_to >= ?)", (cut, cut)
    sql = f"SELECT {cols} FROM observations WHERE {where} ORDER BY indicator_id, region, year"
    return _tidy(_query(sql, params, db))


def submissions(db: str | os.PathLike | None = None) -> pd.DataFrame:
    """Every imported file, newest first (columns :data:`SUBMISSION_COLUMNS`).

    Examples:
        >>> import tempfile, pathlib
        >>> from planlib.observations import ensure_store
        >>> db = ensure_store(pathlib.Path(tempfile.mkdtemp()) / "m.sqlite")[0]
        >>> submissions(db)[["id", "file_name", "n_changed"]].values.tolist()
        [[1, 'shipped data (data/*.csv)', 0]]
    """
    cols = ", ".join(SUBMISSION_COLUMNS)
    return _query(f"SELECT {cols} FROM submissions ORDER BY id DESC", (), db)


def revisions(indicator_id: str | None = None,
              db: str | os.PathLike | None = None) -> pd.DataFrame:
    """Every change to a value (of one indicator, or all), newest first.

    Columns :data:`REVISION_COLUMNS`: old and new value, when, by which submission, and why.
    """
    cols = ", ".join(REVISION_COLUMNS)
    where, params = ("WHERE indicator_id = ?", (indicator_id,)) if indicator_id else ("", ())
    return _query(f"SELECT {cols} FROM revisions {where} ORDER BY id DESC", params, db)


def export_csv(db: str | os.PathLike | None = None,
               as_of_date: str | date | None = None) -> str:
    """All observations (or a vintage) as tidy CSV text, the format ``planlib import`` reads.

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
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(S.OBS_COLUMNS)
    for row in frame.itertuples(index=False):
        writer.writerow([_csv_cell(v) for v in row])
    return buf.getvalue()


def write_export(output: str | os.PathLike, db: str | os.PathLike | None = None,
                 as_of_date: str | date | None = None) -> Path:
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
        tmp.write_text(export_csv(db, as_of_date), encoding="utf-8")
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

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def find_submission(self, content_sha256: str) -> dict | None:
        """The earlier submission of a file with these bytes, if any."""
        cur = self.conn.execute(
            "SELECT id, file_name, imported_at FROM submissions WHERE content_sha256 = ? "
            "ORDER BY id LIMIT 1", (content_sha256,))
        row = cur.fetchone()
        return dict(zip(["id", "file_name", "imported_at"], row)) if row else None

    def current(self, indicator_ids: list[str] | None = None) -> pd.DataFrame:
        """The current observations (all, or of some indicators), ``OBS_COLUMNS``."""
        return _tidy(pd.DataFrame(self.current_records(indicator_ids), columns=["id"] + S.OBS_COLUMNS))

    def current_records(self, indicator_ids: list[str] | None = None,
                        regions: list[str] | None = None,
                        years: tuple[int, int] | None = None) -> list[dict]:
        """The same as :meth:`current` (optionally of some regions and a span of years), as
        plain dicts with the row ``id``; pass them on to :meth:`apply` to spare reading twice."""
        cols = ", ".join(["id"] + S.OBS_COLUMNS)
        sql = f"SELECT {cols} FROM observations WHERE valid_to IS NULL"
        params: list = []
        for column, values in ((S.INDICATOR_ID, indicator_ids), (S.REGION, regions)):
            if values is not None:
                values = sorted(set(values))
                sql += f" AND {column} IN ({', '.join('?' * len(values))})"
                params += values
        if years is not None:
            sql += " AND year BETWEEN ? AND ?"
            params += [int(years[0]), int(years[1])]
        keys = ["id"] + S.OBS_COLUMNS
        return [dict(zip(keys, r)) for r in self.conn.execute(sql, params)]

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
        cur = self.conn.execute(
            "INSERT INTO submissions (file_name, content_sha256, department, reporting_year, "
            "imported_at, imported_by, n_new, n_changed, n_unchanged) VALUES (?,?,?,?,?,?,?,?,?)",
            (meta.file_name, meta.content_sha256, meta.department, meta.reporting_year, now,
             meta.imported_by, *counts))
        return int(cur.lastrowid)

    def _write(self, new: list[dict], changed: list[tuple[dict, dict]], sid: int, now: str) -> None:
        self.conn.executemany("UPDATE observations SET valid_to = ? WHERE id = ?",
                              [(now, old["id"]) for old, _ in changed])
        inserts = new + [row for _, row in changed]
        cols = S.OBS_COLUMNS + ["submission_id", "valid_from"]
        self.conn.executemany(
            f"INSERT INTO observations ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [tuple(r[c] for c in S.OBS_COLUMNS) + (sid, now) for r in inserts])
        self.conn.executemany(
            "INSERT INTO revisions (indicator_id, region, year, old_value, new_value, changed_at, "
            "submission_id, reason) VALUES (?,?,?,?,?,?,?,?)",
            [(row[S.INDICATOR_ID], row[S.REGION], row[S.YEAR], old[S.VALUE], row[S.VALUE], now,
              sid, _reason(old, row)) for old, row in changed])


@contextmanager
def write_connection(db: str | os.PathLike | None = None) -> Iterator[sqlite3.Connection]:
    """A connection for writing to an existing store.

    Keep it open for a batch of transactions: closing the last connection checkpoints the
    write-ahead log, which is the slow part of a small import. (``planlib import`` creates the
    store first when there is none: :func:`planlib.observations.ensure_store`.)

    Raises:
        PlanlibError: if the store does not exist.
    """
    path = db_path(db)
    if not path.exists():
        raise _missing_store(path)
    conn = _connect_writer(path)
    try:
        yield conn
    finally:
        conn.close()


@contextmanager
def transaction(conn: sqlite3.Connection, dry_run: bool = False) -> Iterator[Writer]:
    """One write transaction (``BEGIN IMMEDIATE``): committed at the end, rolled back on error.

    Waits (up to :data:`BUSY_TIMEOUT_S`) for another writer to finish. With ``dry_run``
    everything is done and then rolled back.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield Writer(conn)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    if dry_run:
        conn.execute("ROLLBACK")
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
