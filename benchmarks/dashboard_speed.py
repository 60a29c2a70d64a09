"""How fast the dashboard is in Chromium, served as ``make app`` serves it (a benchmark, not a test).

The server is started literally with ``make app PORT=<free port> HOST=127.0.0.1`` (its voila.json,
its preheated pool: nothing friendlier), and each visit comes to it once it is idle with its pool
ready, as a user finds a server that has been up a while. Each visit is a new browser context (an
empty cache: a first visit). Measured from the browser's own clock:

1. navigation -> dashboard rendered: status tiles, at least 90 table rows and the overview chart
   present (a "please wait" page that retries by itself is waited through). Goal: median < 2 s.
2. selecting an indicator -> its chart redrawn: pressing a name in the table until the explorer's
   SVG title is that indicator's name. Target: median < 200 ms.
3. changing the as-of year (``.planlib-w-as-of select``, each time one year further back) until
   the tiles show that year (``.planlib-tiles[data-as-of="YEAR"]``). Target: median < 500 ms.
4. for scale, navigation -> rendered for a one-widget Voila page (``ipywidgets.HTML``) served the
   same way (``make app APP_NOTEBOOK=...``): what any Voila page costs on this machine right now.

    .venv/bin/python benchmarks/dashboard_speed.py [--runs 5] [--picks 6] [--years 2]

Server logs: build/benchmarks/dashboard_speed-<kind>.log. Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
from dataclasses import dataclass, field

from _browser import (BUILD, CHROMIUM, close, known_kernels, launch, load, new_viewer,
                      scratch_dir, serving, stop_on_sigterm, wait_until_idle, write_bare_notebook)

PICKS = ["W04", "C01", "W11", "C21", "W20", "C05", "W41", "C30"]
SELECT_GOAL_MS, AS_OF_GOAL_MS, LOAD_GOAL_S = 200, 500, 2.0

SELECT = """
async ([id, title]) => {
  const t0 = performance.now();
  document.querySelector(`table.planlib-table tr[data-id="${id}"] button.planlib-open`).click();
  await new Promise((done) => {
    const check = () => {
      const heading = document.querySelector('.planlib-explorer-chart svg .role-title-text');
      if (heading && heading.textContent === title) done(); else requestAnimationFrame(check);
    };
    check();
  });
  return performance.now() - t0;
}
"""

AS_OF = """
async (timeoutMs) => {
  const select = document.querySelector('.planlib-w-as-of select');
  const yearOf = (option) => Number((option.textContent.match(/\\d{4}/) || [option.value])[0]);
  if (!select || select.options.length < 2) return {year: null, ms: null};
  const years = [...select.options].map(yearOf);
  const now = years[select.selectedIndex];
  const earlier = years.filter((y) => y < now), later = years.filter((y) => y > now);
  const year = earlier.length ? Math.max(...earlier) : Math.min(...later);  // one year back
  const t0 = performance.now();
  select.selectedIndex = years.indexOf(year);
  select.dispatchEvent(new Event('change', {bubbles: true}));
  return await new Promise((done) => {
    const check = () => {
      const ms = performance.now() - t0;
      if (document.querySelector(`.planlib-tiles[data-as-of="${year}"]`)) done({year, ms});
      else if (ms > timeoutMs) done({year, ms: null});
      else requestAnimationFrame(check);
    };
    check();
  });
}
"""
AS_OF_TIMEOUT_MS = 10_000


@dataclass
class Figures:
    """What the visits measured: seconds to rendered, milliseconds per interaction."""

    loads: list[float] = field(default_factory=list)
    selects: list[float] = field(default_factory=list)
    as_of: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


async def interact(page, titles: dict[str, str], picks: int, years: int, figures: Figures) -> str:
    """Select indicators, then change the as-of year; record the times; a line for the log."""
    selects = []
    for ident in PICKS[:picks]:
        await page.locator(".planlib-w-view button").first.click()  # back to the overview
        await page.wait_for_selector("table.planlib-table tbody tr")
        selects.append(await page.evaluate(SELECT, [ident, titles[ident]]))
    await page.locator(".planlib-w-view button").first.click()
    await page.wait_for_selector(".planlib-tiles li")
    changes = [await page.evaluate(AS_OF, AS_OF_TIMEOUT_MS) for _ in range(years)]
    figures.selects += selects
    figures.as_of += [c["ms"] for c in changes if c["ms"] is not None]
    if any(c["year"] is None for c in changes):
        figures.notes.append("as-of: no .planlib-w-as-of select with two years on this dashboard")
    elif any(c["ms"] is None for c in changes):
        figures.notes.append(f"as-of: .planlib-tiles[data-as-of=YEAR] did not appear within "
                            f"{AS_OF_TIMEOUT_MS / 1000:.0f} s")
    return ("selections " + ", ".join(f"{s:.0f}" for s in selects) + " ms; as-of "
            + ", ".join(f"{c['year']}: " + ("-" if c["ms"] is None else f"{c['ms']:.0f}")
                        for c in changes) + " ms")


async def measure(browser, kind: str, args, titles: dict[str, str], folder) -> Figures:
    """``args.runs`` visits, one after another, each to the server idle with its pool ready."""
    figures = Figures()
    notebook = write_bare_notebook(folder) if kind == "bare" else None
    async with serving(BUILD / f"dashboard_speed-{kind}.log", notebook, args.timeout) as server:
        print(f"{kind}: server pool ready {server.preheat:.0f} s after it answered", flush=True)
        known = known_kernels(server)
        for run in range(args.runs):
            if run:  # until the pool is refilled: one new kernel per earlier visit
                await asyncio.to_thread(wait_until_idle, server, timeout=args.timeout,
                                        new_kernels=run, known=known)
            viewer = await new_viewer(browser, kind)
            try:
                visit = await load(viewer, server.url, args.timeout)
                if visit.seconds is None:
                    figures.notes.append(f"run {run + 1}: {visit.error}")
                    continue
                figures.loads.append(visit.seconds)
                line = (await interact(viewer.page, titles, args.picks, args.years, figures)
                        if kind == "dashboard" else "")
            finally:
                await close(viewer)
            waited = f" (through {visit.unavailable} 'please wait' answers)" if visit.unavailable else ""
            print(f"run {run + 1}: {kind} rendered in {visit.seconds:.2f} s{waited}"
                  + (f"; {line}" if line else ""), flush=True)
    return figures


def summary(name: str, values: list[float], unit: str, goal: str = "") -> str:
    if not values:
        return f"{name}: not measured"
    fmt = (lambda v: f"{v:.0f}") if unit == "ms" else (lambda v: f"{v:.2f}")
    return (f"{name}: median {fmt(statistics.median(values))} {unit} over {len(values)} "
            f"(range {fmt(min(values))} - {fmt(max(values))}){goal}")


async def run(args) -> tuple[Figures, Figures]:
    from playwright.async_api import async_playwright

    from planlib.catalog import load_catalog

    catalog = load_catalog()
    titles = dict(zip(catalog["indicator_id"], catalog["name_zh"]))
    async with async_playwright() as p:
        browser = await launch(p)
        try:
            with scratch_dir("dashboard_speed-") as folder:
                dashboard = await measure(browser, "dashboard", args, titles, folder)
                bare = await measure(browser, "bare", args, titles, folder)
        finally:
            await browser.close()
    return dashboard, bare


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="visits per page (each a first visit)")
    parser.add_argument("--picks", type=int, default=6, help="indicators selected per visit")
    parser.add_argument("--years", type=int, default=2, help="as-of year changes per visit")
    parser.add_argument("--timeout", type=float, default=240,
                        help="seconds a page may take to render")
    args = parser.parse_args(argv)
    if not os.path.exists(CHROMIUM):
        print(f"{CHROMIUM} not found: apt-get install chromium fonts-noto-cjk", file=sys.stderr)
        return 1
    stop_on_sigterm()
    load_start = os.getloadavg()[0]
    dashboard, bare = asyncio.run(run(args))
    print(f"machine: {os.cpu_count()} cores, load average {load_start:.2f} at the start, "
          f"{os.getloadavg()[0]:.2f} at the end")
    print(summary("navigation -> dashboard rendered", dashboard.loads, "s",
                  f"; goal < {LOAD_GOAL_S:g} s"))
    print(summary("select indicator -> chart redrawn", dashboard.selects, "ms",
                  f"; target < {SELECT_GOAL_MS} ms"))
    print(summary("change as-of year -> tiles show it", dashboard.as_of, "ms",
                  f"; target < {AS_OF_GOAL_MS} ms"))
    print(summary("for scale: the bare Voila page, served the same way", bare.loads, "s"))
    if dashboard.loads and bare.loads:
        print(f"dashboard / bare page, median time to rendered: "
              f"{statistics.median(dashboard.loads) / statistics.median(bare.loads):.2f}x")
    for note in dict.fromkeys(dashboard.notes + bare.notes):
        print(f"note: {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
