"""How fast the dashboard is in Chromium, served by Voila with preheated kernels (a benchmark, not a test).

Measures, from the browser's own clock (``performance.now()``):

1. navigation -> dashboard fully rendered: status tiles, all table rows and the overview chart
   present. Each run is a new browser context (empty cache: a first visit) and takes a freshly
   preheated kernel. Goal: median under 2 s.
2. selecting an indicator -> its chart redrawn: pressing a name in the table until the explorer's
   SVG title is that indicator's name. Goal: median under 300 ms.
3. for scale, the same for Voila's own minimal page (one ipywidgets.HTML in a notebook), served
   the same way: what any Voila page costs on this machine at this moment.

Voila is started as ``make app`` starts it, with a pool of preheated kernels for all the runs and
the refill delayed, so that refilling the pool does not compete with the runs. The script waits
for every kernel to finish its run of the notebook before measuring.

    .venv/bin/python benchmarks/dashboard_speed.py [--runs 5] [--picks 6]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PICKS = ["W04", "C01", "W11", "C21", "W20", "C05", "W41", "C30"]

MARKS = """
window.__marks = {};
const wanted = {tiles: '.planlib-tiles li', rows: 'table.planlib-table tbody tr',
                chart: '.planlib-w-overview-chart svg'};
const observer = new MutationObserver(() => {
  for (const [key, sel] of Object.entries(wanted)) {
    if (window.__marks[key]) continue;
    const n = document.querySelectorAll(sel).length;
    if ((key === 'rows' && n >= 90) || (key !== 'rows' && n > 0)) window.__marks[key] = performance.now();
  }
});
document.addEventListener('DOMContentLoaded', () =>
  observer.observe(document.body, {subtree: true, childList: true, characterData: true}));
"""

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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


BASELINE = {"cells": [{"cell_type": "code", "execution_count": None, "id": "baseline", "metadata": {},
                       "outputs": [], "source": "import ipywidgets\nipywidgets.HTML('<p class=\"minimal\">Voila</p>')"}],
            "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
            "nbformat": 4, "nbformat_minor": 5}


def start_voila(notebook: str, runs: int, db: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ, JUPYTER_PATH=str(ROOT / "share" / "jupyter"), PLANLIB_DB=str(db))
    cmd = [sys.executable, "-m", "voila", notebook, "--template=planlib",
           f"--port={port}", "--Voila.ip=127.0.0.1", "--no-browser",
           f"--VoilaConfiguration.default_pool_size={runs}", "--VoilaKernelManager.fill_delay=3600"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, f"http://127.0.0.1:{port}/"


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            continue
    return total / os.sysconf("SC_CLK_TCK")


def wait_for_pool(proc: subprocess.Popen, kernels: int, timeout: float = 900) -> float:
    """Wait until ``kernels`` kernels exist and none has used CPU for 3 s (their notebook runs done)."""
    start = time.monotonic()
    quiet_since, last = None, -1.0
    while time.monotonic() - start < timeout:
        if proc.poll() is not None:
            raise RuntimeError("voila exited")
        pids = children(proc.pid)
        used = cpu_seconds(pids)
        if len(pids) >= kernels and used == last:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= 3:
                return time.monotonic() - start
        else:
            quiet_since = None
        last = used
        time.sleep(0.5)
    raise TimeoutError("the kernel pool did not settle")


def load_once(context, url: str, titles: dict[str, str], picks: int) -> tuple[float, list[float]]:
    """One page load in ``context``: seconds to fully rendered, then milliseconds per selection."""
    page = context.new_page()
    page.add_init_script(MARKS)
    page.goto(url, timeout=120_000)
    page.wait_for_function("window.__marks.tiles && window.__marks.rows && window.__marks.chart",
                           timeout=120_000)
    loaded = page.evaluate("Math.max(window.__marks.tiles, window.__marks.rows, window.__marks.chart)")
    clicks = []
    for ident in PICKS[:picks]:
        page.locator(".planlib-w-view button").first.click()  # back to the overview
        page.wait_for_selector("table.planlib-table tbody tr")
        clicks.append(page.evaluate(SELECT, [ident, titles[ident]]))
    page.close()
    return loaded / 1000, clicks


def baseline_once(context, url: str) -> float:
    page = context.new_page()
    page.add_init_script("window.__t = 0; new MutationObserver(() => { if (!window.__t && "
                         "document.querySelector('p.minimal')) window.__t = performance.now(); })"
                         ".observe(document, {subtree: true, childList: true});")
    page.goto(url, timeout=120_000)
    page.wait_for_function("window.__t > 0", timeout=120_000)
    loaded = page.evaluate("window.__t") / 1000
    page.close()
    return loaded


def serve(notebook: str, kernels: int, db: Path):
    proc, url = start_voila(notebook, kernels, db)
    print(f"{Path(notebook).name}: preheating {kernels} kernels ...", flush=True)
    print(f"pool ready after {wait_for_pool(proc, kernels):.0f} s", flush=True)
    return proc, url


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=30)


def summary(name: str, values: list[float], unit: str, goal: str) -> str:
    scale = 1000 if unit == "ms" else 1
    fmt = (lambda v: f"{v * scale:.0f}") if unit == "ms" else (lambda v: f"{v:.2f}")
    return (f"{name}: median {fmt(statistics.median(values))} {unit} over {len(values)} "
            f"(min {fmt(min(values))}, max {fmt(max(values))}){goal}")


def measure_dashboard(browser, runs: int, picks: int, tmp: Path) -> tuple[list, list]:
    from planlib.catalog import load_catalog

    catalog = load_catalog()
    titles = dict(zip(catalog["indicator_id"], catalog["name_zh"]))
    proc, url = serve("notebooks/00-dashboard.ipynb", runs, tmp / "monitoring.sqlite")
    loads, clicks = [], []
    try:
        for run in range(runs):
            context = browser.new_context(viewport={"width": 1366, "height": 768})
            loaded, picked = load_once(context, url, titles, picks)
            context.close()
            loads.append(loaded)
            clicks.extend(c / 1000 for c in picked)
            print(f"run {run + 1}: dashboard {loaded:.2f} s; selections "
                  + ", ".join(f"{c:.0f}" for c in picked) + " ms", flush=True)
    finally:
        stop(proc)
    return loads, clicks


def measure_baseline(browser, runs: int, tmp: Path) -> list[float]:
    notebook = tmp / "minimal.ipynb"
    notebook.write_text(json.dumps(BASELINE), encoding="utf-8")
    proc, url = serve(str(notebook), runs, tmp / "monitoring.sqlite")
    try:
        loads = []
        for _ in range(runs):
            context = browser.new_context()
            loads.append(baseline_once(context, url))
            context.close()
    finally:
        stop(proc)
    return loads


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="page loads (each takes a preheated kernel)")
    parser.add_argument("--picks", type=int, default=6, help="indicators selected per page load")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not found: apt-get install chromium fonts-noto-cjk", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        loads, clicks = measure_dashboard(browser, args.runs, args.picks, Path(tmp))
        baseline = measure_baseline(browser, args.runs, Path(tmp))
        browser.close()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end")
    print(summary("navigation -> dashboard rendered", loads, "s", "; goal < 2 s"))
    print(summary("select indicator -> chart redrawn", clicks, "ms", "; goal < 300 ms"))
    print(summary("for scale: Voila's minimal page, same server set-up", baseline, "s", ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
