"""Importing files: each checked and imported as one transaction, with a summary per file."""

from __future__ import annotations

import getpass
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from .. import schema as S
from .. import store
from ..errors import Problem
from ..observations import ensure_store
from .layout import _Plans, HISTORY_YEARS, Loc, MAX_FILE_BYTES, MAX_LISTED_PROBLEMS, _p
from .readers import _parse, ParsedFile
from .rules import check_against_store, check_rows


# --- importing -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FileResult:
    """What happened to one file.

    ``status``: ``imported``, ``unchanged`` (every value already stored), ``already_imported``
    (the same bytes were imported before), ``rejected`` (errors: nothing imported) or
    ``checked`` (a dry run found no error).
    """

    file: str
    status: str
    problems: tuple[Problem, ...] = ()
    counts: store.ImportCounts | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


_STATUS_TEXT = {
    "imported": ("已导入", "imported"),
    "unchanged": ("所有数值均已存在，无改动", "every value already stored, nothing changed"),
    "already_imported": ("此前已导入，无改动", "imported before, nothing changed"),
    "rejected": ("有错误，本文件未导入任何数据", "has errors: nothing from this file was imported"),
    "checked": ("检查通过（试运行，未导入）", "passed the checks (dry run, nothing imported)"),
}


@dataclass(frozen=True)
class ImportResult:
    """The outcome of :func:`import_files`: one :class:`FileResult` per file, in order."""

    files: tuple[FileResult, ...]
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        """True when no file had an error (warnings allowed)."""
        return all(f.ok for f in self.files)

    @property
    def problems(self) -> list[Problem]:
        return [p for f in self.files for p in f.problems]

    def problems_frame(self, lang: str = "zh") -> pd.DataFrame:
        """Every problem as a table: severity, file, sheet, row, column, value, message, fix."""
        cols = ["severity", "file", "sheet", "row", "column", "value", "message", "fix"]
        return pd.DataFrame([p.as_dict(lang) for p in self.problems], columns=cols)

    def files_frame(self, lang: str = "zh") -> pd.DataFrame:
        """One row per file: what happened, the counts, and how many errors and warnings."""
        rows = []
        for f in self.files:
            c = f.counts or store.ImportCounts(None, 0, 0, 0)
            rows.append({"file": f.file, "status": _STATUS_TEXT[f.status][0 if lang == "zh" else 1],
                         "submission_id": c.submission_id if f.status == "imported" else None,
                         "n_new": c.n_new, "n_changed": c.n_changed, "n_unchanged": c.n_unchanged,
                         "errors": len(f.errors), "warnings": len(f.problems) - len(f.errors)})
        cols = ["file", "status", "submission_id", "n_new", "n_changed", "n_unchanged", "errors", "warnings"]
        return pd.DataFrame(rows, columns=cols)

    def summary(self, lang: str = "zh") -> str:
        """A plain-language report of every file and every problem."""
        lines = [line for f in self.files for line in _file_summary(f, lang)]
        n_bad = sum(not f.ok for f in self.files)
        if lang == "zh":
            lines.append(f"共 {len(self.files)} 个文件，其中 {n_bad} 个有错误。")
        else:
            lines.append(f"{len(self.files)} file(s), {n_bad} with errors.")
        return "\n".join(lines)


def _file_summary(result: FileResult, lang: str) -> list[str]:
    zh = lang == "zh"
    text = _STATUS_TEXT[result.status][0 if zh else 1]
    c = result.counts
    if c is not None and result.status in ("imported", "checked", "unchanged"):
        shown = c.submission_id if result.status == "imported" else None
        sid = (f"（提交 #{shown}）" if zh else f" (submission #{shown})") if shown else ""
        text += sid + (f"：新增 {c.n_new} 个、修改 {c.n_changed} 个、未变 {c.n_unchanged} 个数值" if zh
                       else f": {c.n_new} new, {c.n_changed} changed, {c.n_unchanged} unchanged")
    lines = [f"{result.file}{'：' if zh else ': '}{text}"]
    ordered = sorted(result.problems, key=lambda p: p.severity != "error")
    for p in ordered[:MAX_LISTED_PROBLEMS]:
        icon = "✖" if p.severity == "error" else "⚠"
        lines.append(f"  {icon} {p.text(lang)}")
    if len(ordered) > MAX_LISTED_PROBLEMS:
        lines.append("  " + more_problems(len(ordered) - MAX_LISTED_PROBLEMS, lang))
    return lines


def more_problems(n: int, lang: str = "zh") -> str:
    """The line that stands for the problems not listed.

    Examples:
        >>> more_problems(12), more_problems(1, "en")
        ('……另有 12 个问题未列出（同类问题请一并修改）', '... and 1 more problem(s) not listed (correct them alike)')
    """
    return (f"……另有 {n} 个问题未列出（同类问题请一并修改）" if lang == "zh"
            else f"... and {n} more problem(s) not listed (correct them alike)")


def import_files(files: Iterable[str | os.PathLike], db: str | os.PathLike | None = None,
                 by: str | None = None, dry_run: bool = False, region: str | None = None) -> ImportResult:
    """Validate and import filled templates (.xlsx) and tidy CSV files, each all-or-nothing.

    Each file is one transaction: if any error is found, nothing of that file is imported;
    other files are not affected. Values that change what is stored record a revision (the
    note is the reason; replacing illustrative data says so). Importing the same file again
    changes nothing. The store is created from the shipped data on first use.

    Args:
        files: paths of ``.xlsx`` templates (from :func:`write_template`) or ``.csv`` files
            with the columns of ``planlib export`` (indicator_id, region, year, value, ...).
        db: the store (default ``$PLANLIB_DB`` or ``data/monitoring.sqlite``).
        by: who imports (recorded); default the operating-system user.
        dry_run: check everything, including against the store, but import nothing.
        region: the region of a CSV row whose ``region`` is empty (default the county); a row
            naming its region, and a template (which records its region), decide for themselves.

    Returns:
        An :class:`ImportResult`; ``.ok`` is False if any file had an error.

    Examples:
        >>> import tempfile, pathlib
        >>> tmp = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (tmp / "c02.csv").write_text("indicator_id,year,value\\nC02,2024,abc\\n")
        >>> result = import_files([tmp / "c02.csv"], db=tmp / "m.sqlite")
        >>> result.ok, result.problems[0].row, result.problems[0].column
        (False, 2, 'value')
    """
    who = by or _user()
    ensure_store(db)  # the first import into no store yet starts from the shipped data, as setup does
    info = replace(_Plans.load(db), default=region)  # every row is checked against its region's plan
    with store.write_connection(db) as conn:
        results = tuple(_import_one(Path(f), info, conn, who, dry_run) for f in files)
    return ImportResult(results, dry_run)


def _user() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


def _import_one(path: Path, info: _Plans, conn, by: str | None, dry_run: bool) -> FileResult:
    name = path.name
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return FileResult(name, "rejected", (_p("file_too_large", Loc(name), max=MAX_FILE_BYTES >> 20),))
        data = path.read_bytes()
    except OSError:
        return FileResult(name, "rejected", (_p("missing_file", Loc(str(path))),))
    try:
        parsed = _parse(name, data)
        observations, problems = check_rows(parsed, info)
    except MemoryError:
        return FileResult(name, "rejected", (_p("file_too_large", Loc(name), max=MAX_FILE_BYTES >> 20),))
    if any(p.severity == "error" for p in problems):
        return FileResult(name, "rejected", tuple(problems))
    sha = hashlib.sha256(data).hexdigest()
    meta = store.SubmissionMeta(name, sha, _department(parsed, observations), parsed.year, by)
    with store.transaction(conn, dry_run=dry_run) as writer:
        earlier = writer.find_submission(sha)
        if earlier is not None:
            note = _p("already_imported", Loc(name), severity="warning",
                      when=store.local_time(earlier["imported_at"]), sid=earlier["id"])
            return FileResult(name, "already_imported", tuple(problems) + (note,))
        years = [o[S.YEAR] for o in observations]
        current = writer.current_records([o[S.INDICATOR_ID] for o in observations],
                                         [o[S.REGION] for o in observations],
                                         (min(years) - HISTORY_YEARS, max(years)))
        problems += check_against_store(observations, current)
        if any(p.severity == "error" for p in problems):
            return FileResult(name, "rejected", tuple(problems))
        counts = writer.apply(observations, meta, current)
    status = "checked" if dry_run else ("imported" if counts.submission_id else "unchanged")
    return FileResult(name, status, tuple(problems), counts)


def _department(parsed: ParsedFile, observations: list[dict]) -> str | None:
    """The department the file declares (a template's information sheet, else the rows'
    sources). It is recorded as declared: nothing proves who sent a file."""
    if parsed.department:
        return parsed.department
    names = list(dict.fromkeys(o["_row"].department for o in observations if o["_row"].department))
    return ";".join(names) or None
