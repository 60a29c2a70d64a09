"""How long the full annual report takes in all three formats (goal: under 20 s).

Measures:

* ``cli``: ``planlib report --year 2024 --output DIR`` in a fresh subprocess, end to end: process
  start, imports, loading, assessing (this year and last year's report), projecting, drawing the
  ~90 charts (in worker processes), and writing report.html, report.docx and data.xlsx;
* the stages of one in-process run, to show where the time goes.

CPU seconds are printed beside wall-clock seconds: on a busy machine they say what the work
itself costs. The chart workers fork from a server process whose CPU time is not counted, so a
sample of charts is also drawn in this process to show what one chart costs.

The shipped data are used (a store that does not exist is named, so a local store cannot change
the figures). Run: ``.venv/bin/python benchmarks/report_speed.py [--year 2024]``.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import replace
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 20.0
#: Charts drawn in this process to show their CPU cost (the workers' CPU is not counted above).
CPU_SAMPLE = 10


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime + _children_cpu()


def time_cli(year: int, env: dict) -> tuple[float, float, dict[str, int]]:
    """Wall-clock and CPU seconds of ``planlib report``, and the sizes of the files it wrote."""
    exe = Path(sys.executable).with_name("planlib")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report"
        start, cpu_start = time.perf_counter(), _children_cpu()
        subprocess.run([str(exe), "report", "--year", str(year), "--output", str(out)],
                       check=True, env=env, capture_output=True)
        wall, cpu = time.perf_counter() - start, _children_cpu() - cpu_start
        sizes = {p.name: p.stat().st_size for p in sorted(out.iterdir())}
    return wall, cpu, sizes


def time_stages(year: int, db: str) -> list[tuple[str, float, float]]:
    """Seconds (wall, CPU) of each stage of one in-process report."""
    from planlib import report
    from planlib.report.charts import ChartJob, ChartOptions
    from planlib.report.docx import render_docx
    from planlib.report.html import render_html, vega_bundle
    from planlib.report.xlsx import render_xlsx

    stages = []

    def timed(name, fn):
        start, cpu = time.perf_counter(), _self_cpu()
        result = fn()
        stages.append((name, time.perf_counter() - start, _self_cpu() - cpu))
        return result

    data = timed("load + assess + project", lambda: report.load(report.ReportOptions(year), db))
    specs, pngs = timed(f"charts, {os.cpu_count()} workers", lambda: ChartJob(data).result())
    sample = replace(data, table=data.table.head(CPU_SAMPLE))
    timed(f"{CPU_SAMPLE} charts in this process",
          lambda: ChartJob(sample, ChartOptions(workers=1)).result())
    timed("vega bundle", vega_bundle)
    timed("report.html", lambda: render_html(data, specs))
    timed("report.docx", lambda: render_docx(data, pngs))
    timed("data.xlsx", lambda: render_xlsx(data))
    return stages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2024)
    args = parser.parse_args()
    db = str(Path(tempfile.gettempdir()) / "planlib-bench-no-store.sqlite")
    Path(db).unlink(missing_ok=True)
    env = dict(os.environ, PLANLIB_DB=db)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    wall, cpu, sizes = time_cli(args.year, env)
    verdict = "meets" if wall < GOAL_SECONDS else "misses"
    print(f"planlib report --year {args.year}: {wall:.1f} s wall, {cpu:.1f} s CPU "
          f"({verdict} the {GOAL_SECONDS:.0f} s goal)")
    print("files: " + ", ".join(f"{name} {size / 1e6:.1f} MB" for name, size in sizes.items()))
    print("stages of one in-process run (wall s, CPU s):")
    for name, seconds, cpu_seconds in time_stages(args.year, db):
        print(f"  {name:<26} {seconds:6.1f} {cpu_seconds:6.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
