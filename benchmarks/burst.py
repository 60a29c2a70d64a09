"""A flood of plain requests against the dashboard server as ``make app`` starts it (a benchmark).

Thirty ``GET /`` from one client at once, none of which opens the page's websocket (a script,
a crawler, someone holding F5). Prints, for the server ``make app`` starts: the answers (200 and
503 "please wait"), the most kernels alive at once, their memory, and how many are still alive
after the unclaimed-kernel timeout. Before the kernel limit, the same burst started 30 kernels
(+8.2 GB).

    .venv/bin/python benchmarks/burst.py [--requests 30] [--after 90]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _browser import ROOT, scratch_dir, start_app, stop, stop_on_sigterm, wait_until_idle, wait_until_serving  # noqa: E402


def fetch(port: int) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.request("GET", "/")
    response = conn.getresponse()
    response.read()
    return response.status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--after", type=float, default=90, help="seconds to wait before counting again")
    args = parser.parse_args()
    limits = json.loads((ROOT / "voila.json").read_text())["PlanlibKernelManager"]
    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"voila.json: max_kernels {limits['max_kernels']}")
    stop_on_sigterm()
    with scratch_dir("burst-") as tmp:
        server = start_app(tmp / "burst.log")
        try:
            wait_until_serving(server)
            wait_until_idle(server)
            peak, peak_mb = 0, 0.0
            start = time.monotonic()
            with ThreadPoolExecutor(args.requests) as pool:
                futures = [pool.submit(fetch, server.port) for _ in range(args.requests)]
                while not all(f.done() for f in futures):
                    memory = server.kernel_memory()
                    peak = max(peak, len(memory))
                    peak_mb = max(peak_mb, sum(rss for rss, _ in memory))
                    time.sleep(0.2)
            statuses = [f.result() for f in futures]
            took = time.monotonic() - start
            memory = server.kernel_memory()
            peak, peak_mb = max(peak, len(memory)), max(peak_mb, sum(rss for rss, _ in memory))
            print(f"{args.requests} requests at once, answered in {took:.1f} s: "
                  f"{statuses.count(200)} pages (200), {statuses.count(503)} 'please wait' (503), "
                  f"{len(statuses) - statuses.count(200) - statuses.count(503)} other")
            print(f"kernels alive at most: {peak} (limit {limits['max_kernels']}), "
                  f"their memory at most {peak_mb:.0f} MB RSS")
            time.sleep(args.after)
            print(f"after {args.after:.0f} s more: {len(server.kernel_memory())} kernels alive "
                  f"(the preheated one, refilled, and pages that connected)")
        finally:
            stop(server)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
