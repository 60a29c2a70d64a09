"""How long assessing the whole plan takes (goal: under 2 s for ``planlib assess`` end to end).

Measures, as medians of ``--runs`` repetitions:

* ``cli``: ``planlib assess --format csv`` in a fresh subprocess: process start, imports, loading
  the catalogue and observations, all 90+ projections (``method="auto"``) and writing the CSV;
* ``in-process``: ``assess(catalog, observations)`` alone, modules already imported;
* the slowest series of one in-process run, to show where the time goes.

CPU seconds are printed beside wall-clock seconds: on a busy machine they say what the work
itself costs.

The shipped data are used (a store that does not exist is named, so a local store cannot change
the figures). Run: ``.venv/bin/python benchmarks/assess_speed.py [--runs 5]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 2.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_cli(runs: int, env: dict) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each run of the command."""
    exe = Path(sys.executable).with_name("planlib")
    wall, cpu = [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "assessment.csv"
        for _ in range(runs):
            start, cpu_start = time.perf_counter(), _children_cpu()
            subprocess.run([str(exe), "assess", "--format", "csv", "--output", str(out)],
                           check=True, env=env, capture_output=True)
            wall.append(time.perf_counter() - start)
            cpu.append(_children_cpu() - cpu_start)
    return wall, cpu


def time_in_process(runs: int) -> tuple[list[float], list[float], int]:
    from planlib.assessment import assess
    from planlib.catalog import load_catalog
    from planlib.observations import load_observations

    catalog = load_catalog()
    observations = load_observations(catalog=catalog)
    wall, cpu, rows = [], [], 0
    for _ in range(runs):
        start, cpu_start = time.perf_counter(), time.process_time()
        rows = len(assess(catalog, observations))
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - cpu_start)
    return wall, cpu, rows


def slowest_series(top: int = 5) -> list[tuple[float, str, str, int, str]]:
    import importlib

    A = importlib.import_module("planlib.assessment")
    from planlib import forecast
    from planlib.catalog import load_catalog
    from planlib.observations import load_observations

    catalog = load_catalog()
    units = dict(zip(catalog.indicator_id, catalog.unit))
    obs = A.checked_observations(load_observations(catalog=catalog))
    found = []
    for (ident, region), part in obs.dropna(subset=["value"]).groupby(["indicator_id", "region"]):
        start = time.perf_counter()
        frame = forecast.project(part[["year", "value", "numerator", "denominator"]], target_year=2030,
                                 bounds=A.bounds_for_unit(units.get(ident, "")))
        found.append((time.perf_counter() - start, ident, region, len(part), frame.method))
    return sorted(found, reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PLANLIB_DB": str(Path(tmp) / "absent.sqlite")}
        os.environ["PLANLIB_DB"] = env["PLANLIB_DB"]
        cli_wall, cli_cpu = time_cli(args.runs, env)
        in_wall, in_cpu, rows = time_in_process(args.runs)
        slow = slowest_series()
    median_cli = statistics.median(cli_wall)
    print(f"planlib assess, whole plan ({rows} rows, method auto), median of {args.runs} runs "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):")
    print(f"  cli (subprocess, end to end): wall {median_cli:.2f} s, cpu {statistics.median(cli_cpu):.2f} s"
          f"   wall runs: {', '.join(f'{t:.2f}' for t in cli_wall)}")
    print(f"  in-process assess():          wall {statistics.median(in_wall):.2f} s, "
          f"cpu {statistics.median(in_cpu):.2f} s   wall runs: {', '.join(f'{t:.2f}' for t in in_wall)}")
    print(f"  goal: cli < {GOAL_SECONDS:.0f} s -> {'met' if median_cli < GOAL_SECONDS else 'NOT met'}")
    print("  slowest series (wall seconds, indicator, region, points, method):")
    for seconds, ident, region, n, method in slow:
        print(f"    {seconds:.2f}  {ident:5s} {region}  n={n}  {method}")


if __name__ == "__main__":
    main()
