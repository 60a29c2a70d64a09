"""Simultaneous viewers: the dashboard against a bare Voila page, both served as ``make app`` serves.

For each N (default 1, 10 and 20) and each kind of page, a fresh server is started literally with
``make app PORT=<free port> HOST=127.0.0.1`` (the bare page: ``APP_NOTEBOOK=<one-widget notebook>``),
left until its preheated pool is ready and the server idle (as a user finds a server that has been
up a while), then N pages are opened in Chromium at the same moment, each in a new context.
Printed per N and kind:

* pages rendered / N (dashboard: status tiles, >= 90 table rows and the overview chart; bare page:
  its ``p.minimal``); a "please wait" page (HTTP 503) that retries by itself is waited through, a
  page not rendered within ``--timeout`` counts as failed;
* median and slowest seconds from navigation start (browser clock) to rendered;
* server CPU-seconds per viewer: the voila process and all its descendants (kernels, exited ones
  through their parent's cutime/cstime), from just before the burst until all pages rendered and
  the server idle again (pool refilled), divided by N;
* memory per kernel (RSS and PSS, MB; median / max) after rendering;
* the ratios dashboard / bare, measured in the same run (the machine is shared and noisy), and the
  targets: CPU per viewer <= 1.5x bare (goal 1.2x), kernel memory <= 2x bare, at N = 10 every page
  rendered within 1.5x the bare page's time, at N = 20 no page fails.

    .venv/bin/python benchmarks/viewers.py [--n 1 10 20] [--timeout 240]

Traffic goes to 127.0.0.1 only. Server logs: build/benchmarks/viewers-<kind>-<N>.log.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from _browser import (BUILD, CHROMIUM, Visit, browser_cpu_seconds, close, known_kernels, launch,
                      load, new_viewer, scratch_dir, serving, stop_on_sigterm, wait_until_idle,
                      write_bare_notebook)

KINDS = ("bare", "dashboard")
CPU_LIMIT, CPU_GOAL, MEMORY_LIMIT, TIME_LIMIT = 1.5, 1.2, 2.0, 1.5


@dataclass(frozen=True)
class Result:
    """One (kind, N) scenario on its own fresh server."""

    kind: str
    n: int
    visits: tuple[Visit, ...]
    cpu: float  # server CPU-s from just before the burst until idle again
    browser_cpu: float  # Chromium's CPU-s over the same time (it shares the machine's cores)
    kernels: tuple[tuple[float, float], ...]  # (RSS, PSS) MB per kernel after rendering
    load: float  # 1-minute load average when the burst started
    preheat: float  # s from the server answering until its pool was ready and idle
    settle: float  # s from the last page rendered until the server was idle again

    @property
    def times(self) -> list[float]:
        return [v.seconds for v in self.visits if v.seconds is not None]

    @property
    def failed(self) -> list[Visit]:
        return [v for v in self.visits if v.seconds is None]

    def median(self, values: list[float]) -> float:
        return statistics.median(values) if values else float("nan")

    @property
    def median_s(self) -> float:
        return self.median(self.times)

    @property
    def slowest_s(self) -> float:
        return max(self.times) if len(self.times) == self.n else float("inf")

    @property
    def cpu_per_viewer(self) -> float:
        return self.cpu / self.n

    @property
    def rss(self) -> list[float]:
        return [k[0] for k in self.kernels]

    @property
    def pss(self) -> list[float]:
        return [k[1] for k in self.kernels]


async def burst(browser, kind: str, n: int, timeout: float, folder: Path) -> Result:
    """A fresh server for ``kind``; N pages at once; its cost until it is idle again."""
    notebook = write_bare_notebook(folder) if kind == "bare" else None
    async with serving(BUILD / f"viewers-{kind}-{n}.log", notebook, timeout) as server:
        viewers = [await new_viewer(browser, kind) for _ in range(n)]
        load_avg, known = os.getloadavg()[0], known_kernels(server)
        cpu0, browser0 = server.cpu_seconds(), browser_cpu_seconds(server)
        try:
            visits = await asyncio.gather(*(load(v, server.url, timeout) for v in viewers))
            settle = await asyncio.to_thread(wait_until_idle, server, timeout=timeout,
                                             new_kernels=n, known=known)
            cpu = server.cpu_seconds() - cpu0
            browser_cpu = browser_cpu_seconds(server) - browser0
            kernels = server.kernel_memory()
        finally:
            for viewer in viewers:
                await close(viewer)
    return Result(kind, n, tuple(visits), cpu, browser_cpu, tuple(kernels), load_avg,
                  server.preheat, settle)


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def table(bare: Result, dash: Result) -> str:
    """The printed comparison for one N."""
    head = (f"{'kind':<15}{'rendered':>9}{'median s':>10}{'slowest s':>11}{'CPU-s/viewer':>14}"
            f"{'kernels':>9}{'RSS MB med/max':>17}{'PSS MB med/max':>17}{'503s':>6}"
            f"{'browser CPU-s/viewer':>22}")
    lines = [head]
    for r in (bare, dash):
        lines.append(f"{r.kind:<15}{f'{len(r.times)}/{r.n}':>9}{r.median_s:>10.2f}{r.slowest_s:>11.2f}"
                     f"{r.cpu_per_viewer:>14.2f}{len(r.kernels):>9}"
                     f"{f'{r.median(r.rss):.0f} / {max(r.rss, default=0):.0f}':>17}"
                     f"{f'{r.median(r.pss):.0f} / {max(r.pss, default=0):.0f}':>17}"
                     f"{sum(v.unavailable for v in r.visits):>6}{r.browser_cpu / r.n:>22.2f}")
    lines.append(f"{'dashboard/bare':<15}{'':>9}{ratio(dash.median_s, bare.median_s):>9.2f}x"
                 f"{ratio(dash.slowest_s, bare.slowest_s):>10.2f}x"
                 f"{ratio(dash.cpu_per_viewer, bare.cpu_per_viewer):>13.2f}x{'':>9}"
                 f"{ratio(dash.median(dash.rss), bare.median(bare.rss)):>16.2f}x"
                 f"{ratio(dash.median(dash.pss), bare.median(bare.pss)):>16.2f}x")
    return "\n".join(lines)


def targets(bare: Result, dash: Result) -> list[str]:
    """The issue's targets that this N measures, each met or missed."""
    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"
    cpu = ratio(dash.cpu_per_viewer, bare.cpu_per_viewer)
    memory = ratio(dash.median(dash.pss), bare.median(bare.pss))
    found = [f"server CPU per viewer {cpu:.2f}x bare (limit {CPU_LIMIT}x, goal {CPU_GOAL}x): "
             f"{verdict(cpu <= CPU_LIMIT)}{', goal met' if cpu <= CPU_GOAL else ''}",
             f"kernel memory (median PSS) {memory:.2f}x bare (limit {MEMORY_LIMIT}x): "
             f"{verdict(memory <= MEMORY_LIMIT)}"]
    if dash.n == 10:
        # against the slowest bare page that did render: a bare page that failed is no yardstick
        yardstick = max(bare.times) if bare.times else float("nan")
        slow = ratio(dash.slowest_s, yardstick)
        note = f"; {len(bare.failed)} bare page(s) failed" if bare.failed else ""
        found.append(f"all 10 rendered within {TIME_LIMIT}x the bare page's time (slowest "
                     f"{dash.slowest_s:.2f} s vs the slowest rendered bare page {yardstick:.2f} s = "
                     f"{slow:.2f}x{note}): {verdict(not dash.failed and slow <= TIME_LIMIT)}")
    if dash.n == 20:
        found.append(f"20 simultaneous viewers, none fails ({len(dash.failed)} failed): "
                     f"{verdict(not dash.failed)}")
    return found


def report(bare: Result, dash: Result) -> str:
    lines = [f"\n== N = {dash.n} simultaneous viewers (load average at the burst: bare "
             f"{bare.load:.2f}, dashboard {dash.load:.2f}; pool ready after {bare.preheat:.0f} s / "
             f"{dash.preheat:.0f} s; idle again {bare.settle:.0f} s / {dash.settle:.0f} s after the "
             f"last page)", table(bare, dash)]
    lines += [f"  target: {t}" for t in targets(bare, dash)]
    for r in (bare, dash):
        if r.failed:
            lines.append(f"  {r.kind}: {len(r.failed)} failed, e.g. "
                         + " | ".join(sorted({v.error for v in r.failed})[:3]))
        reloads = [v.documents for v in r.visits if v.documents > 1]
        if reloads:
            lines.append(f"  {r.kind}: {len(reloads)} pages went through a waiting page "
                         f"(up to {max(reloads)} documents)")
    return "\n".join(lines)


async def run(ns: list[int], timeout: float) -> int:
    from playwright.async_api import async_playwright

    missed = 0
    async with async_playwright() as p:
        browser = await launch(p)
        try:
            with scratch_dir("viewers-") as folder:
                for n in ns:
                    results = {}
                    for kind in KINDS:
                        print(f"N = {n}: {kind} ...", flush=True)
                        results[kind] = await burst(browser, kind, n, timeout, folder)
                    text = report(results["bare"], results["dashboard"])
                    missed += text.count("MISSED")
                    print(text, flush=True)
        finally:
            await browser.close()
    return missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1, 10, 20],
                        help="simultaneous viewers per scenario (default: 1 10 20)")
    parser.add_argument("--timeout", type=float, default=240,
                        help="seconds a page may take to render before it counts as failed")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not found: apt-get install chromium fonts-noto-cjk", file=sys.stderr)
        return 1
    stop_on_sigterm()
    start = time.monotonic()
    print(f"machine: {os.cpu_count()} cores, load average "
          + " ".join(f"{v:.2f}" for v in os.getloadavg()) + " at start", flush=True)
    missed = asyncio.run(run(args.n, args.timeout))
    print(f"\n{missed} target(s) missed; whole run {time.monotonic() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
