"""How fast ``planlib assess --all-regions`` assesses a province, and how much memory it holds.

A synthetic province (**demo data**, labelled so: every value is ``source = demo``): ``--regions``
regions (default 200) named 示例区县001…, each with the shipped catalogue's 90 indicators and
series drawn like the demo's (:func:`planlib.demo.build_demo`, 2015-2024, one seed per region),
so 200 regions are 18,000 series; plus the national reference series, which are not assessed.
The store is a SQLite file in a temporary folder.

What is timed is the command a user runs, in a fresh process:
``planlib assess --all-regions --format csv --output … --db …`` with ``--workers 1``,
``--workers 2`` and ``--scheduler tcp://…`` of a 2-worker Dask ``LocalCluster`` (one thread per
worker) started by this script. The three CSV files must be byte for byte the same. Wall-clock
seconds and the CPU seconds of the command and its worker processes are printed, with the
speed-up of 2 workers over 1 (``t1 / t2``), per worker (``t1 / t2 / 2``) and per added worker
(``(t1 / t2 - 1) / 1``). Goals: under 60 s with 2 local workers; at least 0.8 per added worker.

Memory: the peak resident set (``VmHWM``) of the command's own process (not its workers), read
from ``/proc`` while it runs, for stores of 50, 100 and 200 regions (``--memory``) with
2 workers. Regions are streamed, so it should not grow with the number of regions.

The machine is shared: the load average is printed before and after. Run:
``.venv/bin/python benchmarks/batch_assess.py [--regions 200] [--memory 50,100,200] [--no-dask]``.

Figures (2 shared cores; ``docs/benchmarks.md``, section "Batch assessment", has them all):

* earlier release: 1 worker 115.8 s, 2 workers 72.5 s (0.60 per added worker), 2-worker
  LocalCluster 112.6 s; parent memory flat at ~93 MiB.
* 2026-12-02, machine shared with other test runs (load 1.5-7): 150-430 s on 1 worker and
  per-worker figures from -0.22 to 0.74, which measured the load more than the code; same load,
  alternating, the assessment took about 27% less CPU per region after the batch work.
* main ``82056e5``, 2026-12-03, quiet machine (load 0.56): 1 worker 95.3 s, 2 workers 49.8 s
  (0.92 per added worker), LocalCluster 58.4 s; outputs identical.
* main ``a0d4cf3``, 2026-12-03, quiet (load 0.63): 1 worker 109.3 s, 2 workers 56.5 s
  (0.93 per added worker), LocalCluster 69.8 s; parent memory 92.9 / 93.1 / 93.3 MiB for
  50 / 100 / 200 regions. Both goals met.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd

from planlib import config

GOAL_SECONDS = 60.0
GOAL_PER_ADDED_WORKER = 0.8
FIRST_SEED = 20230223
REGION_NAME = "示例区县{:03d}"  # demo/synthetic regions


def synthetic_observations(n_regions: int) -> pd.DataFrame:
    """``n_regions`` demo regions (the demo's recipe, one seed each) and the national series."""
    from planlib import config
    from planlib.demo import DemoConfig, build_demo
    from planlib.observations import load_shipped_observations

    parts = [build_demo(options=DemoConfig(seed=FIRST_SEED + i)).assign(region=REGION_NAME.format(i + 1))
             for i in range(n_regions)]
    shipped = load_shipped_observations()
    parts.append(shipped[shipped["region"].isin(config.REFERENCE_REGIONS)])
    return pd.concat(parts, ignore_index=True)


def make_store(path: Path, n_regions: int) -> Path:
    from planlib import store

    store.create_store(path, synthetic_observations(n_regions))
    return path


class PeakRss:
    """Polls ``VmHWM`` (peak resident set) of one process in ``/proc`` until it ends."""

    def __init__(self, pid: int, every: float = 0.05):
        self.pid, self.every, self.kib = pid, every, 0
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        status = Path(f"/proc/{self.pid}/status")
        while True:
            try:
                text = status.read_text()
            except OSError:
                return
            for line in text.splitlines():
                if line.startswith("VmHWM:"):
                    self.kib = max(self.kib, int(line.split()[1]))
            if "State:\tZ" in text:
                return
            time.sleep(self.every)

    def mib(self) -> float:
        self._thread.join()
        return self.kib / 1024


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_cli(db: Path, out: Path, extra: list[str]) -> dict:
    """Run ``planlib assess --all-regions`` once; wall and CPU seconds, peak RSS of the command."""
    exe = Path(sys.executable).with_name("planlib")
    # the synthetic regions share the shipped catalogue (no plan registered for each): --catalog
    cmd = [str(exe), "assess", "--all-regions", "--catalog", str(config.CATALOG_PATH), "--format", "csv",
           "--output", str(out), "--db", str(db), *extra]
    start, cpu_start = time.perf_counter(), _children_cpu()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = PeakRss(proc.pid)
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err.decode()}")
    # the CPU of the pool's processes is counted when they are reaped (the forkserver's children
    # by the forkserver); a Dask cluster's workers are not children of the command
    return {"wall": wall, "cpu": _children_cpu() - cpu_start, "rss_mib": peak.mib()}  # cpu: the command's own process (and, run alone, its work)


def _local_cluster(workers: int):
    """``workers`` worker processes of one thread each, without Dask's statistical profiler.

    The profiler samples the stack of every running task every 10 ms; an assessment is Python
    all through (small pandas frames, no long NumPy calls), so the sampling takes the GIL from
    the task: on 40 regions it cost 12% of the wall time (102 s against 90 s, same load). A
    cluster of one's own is started the same way with ``DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False``
    (see :mod:`planlib.batch`).
    """
    import dask
    from distributed import LocalCluster

    with dask.config.set({"distributed.worker.profile.enabled": False}):  # passed on to the workers
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                            host="127.0.0.1")


def _line(name: str, r: dict) -> str:
    return f"  {name:<28} {r['wall']:7.1f} s wall  {r['cpu']:7.1f} s CPU  parent peak RSS {r['rss_mib']:6.1f} MiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--regions", type=int, default=200)
    parser.add_argument("--memory", default="50,100,200", help="region counts for the memory runs")
    parser.add_argument("--no-dask", action="store_true", help="skip the LocalCluster run")
    args = parser.parse_args(argv)
    sizes = sorted({int(n) for n in args.memory.split(",") if n} | {args.regions})
    print(f"synthetic province (demo data): {args.regions} regions x 90 indicators; "
          f"load average before {os.getloadavg()[0]:.2f}; {os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        stores = {}
        for n in sizes:
            start = time.perf_counter()
            stores[n] = make_store(tmp / f"province-{n}.sqlite", n)
            print(f"  store of {n} regions made in {time.perf_counter() - start:.1f} s", flush=True)
        db = stores[args.regions]
        runs = {}
        runs["1 local worker"] = run_cli(db, tmp / "w1.csv", ["--workers", "1"])
        print(_line("1 local worker", runs["1 local worker"]), flush=True)
        runs["2 local workers"] = run_cli(db, tmp / "w2.csv", ["--workers", "2"])
        print(_line("2 local workers", runs["2 local workers"]), flush=True)
        outputs = [tmp / "w1.csv", tmp / "w2.csv"]
        if not args.no_dask:
            with _local_cluster(2) as cluster:
                runs["LocalCluster, 2 workers"] = run_cli(db, tmp / "dask.csv",
                                                          ["--scheduler", cluster.scheduler_address])
            print(_line("LocalCluster, 2 workers", runs["LocalCluster, 2 workers"])
                  + "  (the cluster's CPU not counted)", flush=True)
            outputs.append(tmp / "dask.csv")
        same = len({p.read_bytes() for p in outputs}) == 1
        rows = len(pd.read_csv(outputs[0]))
        print(f"  outputs identical: {same} ({rows} rows, "
              f"{pd.read_csv(outputs[0])['region'].nunique()} regions)")
        t1, t2 = runs["1 local worker"]["wall"], runs["2 local workers"]["wall"]
        speedup = t1 / t2
        print(f"speed-up with 2 local workers: {speedup:.2f}x; per worker {speedup / 2:.2f}; "
              f"per added worker {speedup - 1:.2f} (goal >= {GOAL_PER_ADDED_WORKER})")
        if "LocalCluster, 2 workers" in runs:
            td = runs["LocalCluster, 2 workers"]["wall"]
            print(f"speed-up on the 2-worker LocalCluster: {t1 / td:.2f}x; per worker {t1 / td / 2:.2f}; "
                  f"per added worker {t1 / td - 1:.2f}")
        print(f"2 local workers: {t2:.1f} s (goal < {GOAL_SECONDS:.0f} s): {'met' if t2 < GOAL_SECONDS else 'NOT met'}")
        print("memory (parent's peak RSS, 2 local workers):")
        for n in sizes:
            r = runs["2 local workers"] if n == args.regions else run_cli(stores[n], tmp / f"m{n}.csv",
                                                                          ["--workers", "2"])
            print(f"  {n:4d} regions: {r['rss_mib']:6.1f} MiB  ({r['wall']:.1f} s)", flush=True)
        print(f"load average after {os.getloadavg()[0]:.2f}")
        return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
