"""Files the apps offer for download, made only when asked for.

Tables come from the build as column names and rows, so a viewer's kernel writes CSV with the
standard library and Excel with openpyxl (imported on first use). Charts are drawn by
vl-convert. Reports are never built inside a viewer's kernel: :func:`report_zip` asks for the
report of a data version, as-of year and language, which one shared, low-priority process builds
once and keeps beside the store; every later request gets the same file.
"""

from __future__ import annotations

import csv
import fcntl
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from ..config import COUNTY, region_key
from ..safecells import csv_text, values_only
from .edition import build_dir

REPORTS = "reports"
REPORT_LOCK = "report.lock"
#: How long a report may take before the request gives up (seconds).
REPORT_TIMEOUT_S = 600


def csv_bytes(columns: list[str], rows: list[list]) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so that Excel opens the Chinese text correctly.

    Text that a spreadsheet would calculate gets a leading ``'`` (:func:`planlib.safecells.csv_text`).

    Examples:
        >>> csv_bytes(["指标", "值"], [["甲", 1.5], ["=1+1", None]]).decode("utf-8-sig").splitlines()
        ['指标,值', '甲,1.5', "'=1+1,"]
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_text(c) for c in columns])
    writer.writerows([["" if v is None else csv_text(v) for v in r] for r in rows])
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(columns: list[str], rows: list[list], sheet: str = "Sheet1") -> bytes:
    """An Excel workbook of one sheet; every cell a value, never a formula.

    Examples:
        >>> import openpyxl
        >>> data = xlsx_bytes(["a"], [["=HYPERLINK('http://x')"]])
        >>> cell = openpyxl.load_workbook(io.BytesIO(data)).active["A2"]
        >>> cell.data_type, cell.value
        ('s', "=HYPERLINK('http://x')")
    """
    from openpyxl import Workbook

    book = Workbook()
    page = book.active
    page.title = sheet[:31]
    page.append(columns)
    for r in rows:
        page.append(r)
    buffer = io.BytesIO()
    values_only(book).save(buffer)
    return buffer.getvalue()


def chart_file(spec: dict, fmt: str) -> bytes:
    """A chart as PNG or SVG, drawn offline (:func:`planlib.render.render`)."""
    from ..render import render

    return render(spec, fmt)


def report_zip(data_version: str, year: int, lang: str = "zh", db: str | os.PathLike | None = None,
               region: str | None = None) -> bytes:
    """The annual monitoring report of ``year`` (HTML, Word and Excel) as one zip, of ``region``'s
    plan (default the home county's).

    Built at most once per data version, year and language, by one process at a time
    (``planlib report`` at low priority), and kept in the build folder: a meeting full of
    visitors pressing the button costs one report.

    Raises:
        RuntimeError: the report could not be made (the message says so; details in the log).
    """
    folder = build_dir(db) / REPORTS
    folder.mkdir(parents=True, exist_ok=True)
    # a region's name is not a file name: it is kept apart by its key (a hash of the name)
    of = "" if region in (None, COUNTY) else "-" + region_key(region)
    target = folder / f"annual-{int(year)}-{lang}{of}-{data_version}.zip"
    with open(folder / REPORT_LOCK, "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one report at a time; the others wait, then find it
        try:
            if not target.exists():
                _make_report(target, year, lang, db, region)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return target.read_bytes()


def _make_report(target: Path, year: int, lang: str, db, region: str | None = None) -> None:
    from ..files import atomic_path

    out = target.with_name(f".{target.stem}.dir")
    command = [sys.executable, "-m", "planlib", "report", "--year", str(int(year)), "--kind", "annual",
               "--lang", lang, "--output", str(out)]
    if db is not None:
        command += ["--db", str(db)]
    if region not in (None, COUNTY):
        command += [f"--region={region}"]  # one argument, whatever the name begins with
    done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=REPORT_TIMEOUT_S, preexec_fn=lambda: os.nice(10))
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "report failed")
    with atomic_path(target) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(p.name for p in out.iterdir() if p.is_file()):
            archive.write(out / name, name)
    for path in out.iterdir():
        path.unlink()
    out.rmdir()
