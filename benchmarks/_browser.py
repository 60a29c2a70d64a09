"""What the browser benchmarks share: the server as ``make app`` starts it, its processes, Chromium.

``benchmarks/viewers.py`` and ``benchmarks/dashboard_speed.py`` measure what users run: the server
started literally with ``make app`` (its configuration, voila.json, preheated pool and all), and
for scale a one-widget Voila page served the same way (``make app APP_NOTEBOOK=...``). Nothing here
changes that configuration.

The server's cost is read from ``/proc``: the voila process and every descendant (its kernels),
utime + stime + cutime + cstime, so children that exited still count through their parent.
A page is timed in the browser, from the start of its first navigation (``performance.timeOrigin``,
kept in ``sessionStorage`` so that a "please wait" page that reloads itself does not restart the
clock) to the moment everything that makes it rendered is on screen.

This module is imported by the two benchmarks; run on its own it does nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import AsyncIterator, Iterator

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build" / "benchmarks"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1366, "height": 768}
CLOCK_TICK = os.sysconf("SC_CLK_TCK")

BARE_SOURCE = "import ipywidgets\nipywidgets.HTML('<p class=\"minimal\">Voila</p>')"
BARE_NOTEBOOK = {
    "cells": [{"cell_type": "code", "execution_count": None, "id": "bare", "metadata": {},
               "outputs": [], "source": BARE_SOURCE}],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    "nbformat": 4, "nbformat_minor": 5}

#: What "rendered" means, per kind of page: (name, CSS selector, how many at least) all present.
RENDERED = {
    "dashboard": (("tiles", ".planlib-tiles li", 1), ("rows", "table.planlib-table tbody tr", 90),
                  ("chart", ".planlib-w-overview-chart svg", 1)),
    "bare": (("text", "p.minimal", 1),),
}


def rendered_js(kind: str) -> str:
    """A JavaScript expression, true once a page of ``kind`` is rendered."""
    wanted = RENDERED[kind]
    return " && ".join(f"document.querySelectorAll({sel!r}).length >= {n}" for _, sel, n in wanted)


def progress_js(kind: str) -> str:
    """A JavaScript expression: how many of each wanted element a page of ``kind`` has now."""
    counts = ", ".join(f"{name!r}: document.querySelectorAll({sel!r}).length"
                       for name, sel, _ in RENDERED[kind])
    return f"({{{counts}}})"


#: Runs in every document of a page: records when it is first rendered, counted from the first
#: navigation's start; also counts the documents the page went through (a 503 page that reloads).
MARK = """
(() => {
  if (!location.protocol.startsWith('http')) return;
  const store = window.sessionStorage;
  if (!store.getItem('benchT0')) store.setItem('benchT0', String(performance.timeOrigin));
  store.setItem('benchDocs', String(Number(store.getItem('benchDocs') || 0) + 1));
  const t0 = Number(store.getItem('benchT0'));
  window.__bench = {rendered: null, docs: Number(store.getItem('benchDocs'))};
  const check = () => {
    if (window.__bench.rendered === null && (%s)) {
      window.__bench.rendered = performance.timeOrigin + performance.now() - t0;
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, {subtree: true, childList: true});
})();
"""


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_bare_notebook(folder: Path) -> Path:
    """Write the one-widget notebook (``p.minimal``) into ``folder`` and return its path."""
    path = folder / "bare.ipynb"
    path.write_text(json.dumps(BARE_NOTEBOOK), encoding="utf-8")
    return path


@contextlib.contextmanager
def scratch_dir(prefix: str) -> Iterator[Path]:
    """A temporary folder under build/ (git-ignored, inside the repository), removed afterwards."""
    BUILD.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=prefix, dir=BUILD) as tmp:
        yield Path(tmp)


# --- processes, from /proc ---------------------------------------------------------------------

@dataclass(frozen=True)
class Proc:
    """One process as /proc shows it at one moment."""

    pid: int
    ppid: int
    cpu: float  # utime + stime + cutime + cstime, seconds
    argv: tuple[str, ...]
    state: str = "R"  # "Z": exited, waiting to be reaped


def read_proc(pid: int) -> Proc | None:
    """The process ``pid``, or None if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (OSError, IndexError):
        return None
    ticks = sum(int(f) for f in fields[11:15])  # stat fields 14-17: utime stime cutime cstime
    return Proc(pid, int(fields[1]), ticks / CLOCK_TICK,
                tuple(a.decode(errors="replace") for a in argv if a), fields[0])


def process_table() -> dict[int, Proc]:
    """Every process on the machine, keyed by pid."""
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (proc := read_proc(int(entry.name))) is not None:
            table[proc.pid] = proc
    return table


def subtree(root: int, table: dict[int, Proc]) -> list[Proc]:
    """``root`` and all its descendants in ``table``."""
    children: dict[int, list[int]] = {}
    for proc in table.values():
        children.setdefault(proc.ppid, []).append(proc.pid)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in table:
            found.append(table[pid])
            todo.extend(children.get(pid, []))
    return found


def is_voila(proc: Proc) -> bool:
    """The Python process running Voila (not the shell or make that started it).

    ``make app`` runs it as ``python -m planlib.apps.server`` (Voila behind the project's limits);
    a plain ``voila`` script is recognised too.
    """
    return (bool(proc.argv) and Path(proc.argv[0]).name.startswith("python")
            and (any(Path(a).name == "voila" for a in proc.argv[1:3]) or "planlib.apps.server" in proc.argv[1:3]))


def is_kernel(proc: Proc) -> bool:
    return any("ipykernel" in a for a in proc.argv[1:3])


def memory_mb(pids: list[int]) -> tuple[float, float]:
    """RSS and PSS (MB) of ``pids`` together, from /proc/<pid>/smaps_rollup."""
    rss = pss = 0
    for pid in pids:
        try:
            lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
        except OSError:
            continue
        for line in lines:
            key, _, rest = line.partition(":")
            if key in ("Rss", "Pss"):
                kb = int(rest.split()[0])
                rss, pss = (rss + kb, pss) if key == "Rss" else (rss, pss + kb)
    return rss / 1024, pss / 1024


# --- the server ----------------------------------------------------------------------------------

@dataclass
class Server:
    """A server started with ``make app`` in its own process group."""

    proc: subprocess.Popen
    port: int
    log: Path
    voila_pid: int | None = None
    seen: set[int] = field(default_factory=set)  # every pid of its tree ever seen (to stop them)
    kernels: set[int] = field(default_factory=set)  # every kernel pid ever seen
    startup: float = 0.0  # seconds until it accepted connections
    preheat: float = 0.0  # then seconds until it was idle (its pool ready)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def tree(self) -> list[Proc]:
        """The voila process and all its descendants now."""
        if self.voila_pid is None:
            return []
        procs = subtree(self.voila_pid, process_table())
        self.seen.update(p.pid for p in procs)
        self.kernels.update(p.pid for p in procs if is_kernel(p))
        return procs

    def cpu_seconds(self) -> float:
        return sum(p.cpu for p in self.tree())

    def kernel_memory(self) -> list[tuple[float, float]]:
        """(RSS, PSS) in MB of each kernel, counting the kernel's own children with it."""
        table = process_table()
        procs = subtree(self.voila_pid, table) if self.voila_pid else []
        return [memory_mb([p.pid for p in subtree(k.pid, table)]) for k in procs if is_kernel(k)]

    def log_tail(self, lines: int = 15) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def start_app(log: Path, notebook: Path | None = None) -> Server:
    """``make app PORT=<free> HOST=127.0.0.1 [APP_NOTEBOOK=notebook]`` in a new session."""
    port = free_port()
    cmd = ["make", "--no-print-directory", "app", f"PORT={port}", "HOST=127.0.0.1"]
    if notebook is not None:
        cmd.append(f"APP_NOTEBOOK={notebook}")
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    return Server(proc, port, log)


def wait_until_serving(server: Server, timeout: float = 300) -> float:
    """Wait until the voila process exists and accepts connections; seconds waited.

    Only a TCP connection is made: an HTTP request to the page would take the preheated kernel.
    """
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if server.proc.poll() is not None:
            raise RuntimeError(f"make app exited with code {server.proc.returncode}; "
                               f"its log ({server.log}):\n{server.log_tail()}")
        if server.voila_pid is None:
            voila = [p for p in subtree(server.proc.pid, process_table()) if is_voila(p)]
            server.voila_pid = voila[0].pid if voila else None
        if server.voila_pid is not None:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", server.port)) == 0:
                    return time.monotonic() - start
        time.sleep(0.2)
    raise TimeoutError(f"the server did not listen on port {server.port} within {timeout:.0f} s; "
                       f"its log ({server.log}):\n{server.log_tail()}")


def wait_until_idle(server: Server, quiet: float = 3.0, timeout: float = 300,
                    new_kernels: int = 0, known: frozenset[int] = frozenset(),
                    patience: float = 15.0, tolerance: float = 0.05) -> float:
    """Wait until the server tree is idle: seconds waited.

    Idle: at most ``tolerance`` CPU-s used over the last ``quiet`` s once ``new_kernels`` kernels
    not in ``known`` have been started (the pool refilled after N viewers took kernels), or over
    the last ``patience`` s however many were started (a server that starts fewer). That is how a
    user finds a server that has been up a while: its preheated pool full, the server doing nothing.
    """
    start = time.monotonic()
    samples: list[tuple[float, float]] = []  # (time, CPU-s of the tree)
    while time.monotonic() - start < timeout:
        if server.proc.poll() is not None:
            raise RuntimeError(f"make app exited with code {server.proc.returncode}; "
                               f"its log ({server.log}):\n{server.log_tail()}")
        now, tree = time.monotonic(), server.tree()
        samples.append((now, sum(p.cpu for p in tree)))
        samples = [s for s in samples if s[0] >= now - patience - 1]
        needed = quiet if len(server.kernels - known) >= new_kernels else patience
        old = [cpu for t, cpu in samples if t <= now - needed]
        if old and samples[-1][1] - old[-1] <= tolerance:
            return now - start
        time.sleep(0.25)
    raise TimeoutError(f"the server did not become idle within {timeout:.0f} s")


def browser_cpu_seconds(server: Server) -> float:
    """CPU-s of this benchmark's other children (Playwright's driver and Chromium), not the server."""
    table = process_table()
    server_pids = {p.pid for p in subtree(server.proc.pid, table)} | server.seen
    return sum(p.cpu for p in subtree(os.getpid(), table)
               if p.pid != os.getpid() and p.pid not in server_pids)


def known_kernels(server: Server) -> frozenset[int]:
    """The kernels started so far (to count, later, the ones started since)."""
    server.tree()
    return frozenset(server.kernels)


def stop(server: Server) -> None:
    """Stop what ``start_app`` started: its process group, then whatever of its tree is left.

    Kernels run in sessions of their own (jupyter_client starts them so), hence the second step;
    a pid is signalled only while it still runs voila or a kernel, the processes this server started.
    """
    server.tree()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.proc.pid, signal.SIGTERM)
    try:
        server.proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.proc.pid, signal.SIGKILL)
        server.proc.wait(timeout=10)
    deadline = time.monotonic() + 20
    while (left := _still_running(server.seen)) and time.monotonic() < deadline:
        time.sleep(0.25)
    for proc in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGKILL)


def _still_running(pids: set[int]) -> list[Proc]:
    procs = [read_proc(pid) for pid in pids]
    return [p for p in procs if p is not None and p.state != "Z" and (is_voila(p) or is_kernel(p))]


@contextlib.asynccontextmanager
async def serving(log: Path, notebook: Path | None = None,
                  timeout: float = 300) -> AsyncIterator[Server]:
    """A ``make app`` server, answering and idle; stopped afterwards, also on error or Ctrl-C."""
    server = start_app(log, notebook)
    try:
        server.startup = await asyncio.to_thread(wait_until_serving, server, timeout)
        server.preheat = await asyncio.to_thread(wait_until_idle, server, timeout=timeout)
        yield server
    finally:
        stop(server)


def stop_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, so that ``finally`` blocks stop the servers."""
    def handler(signum, frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, handler)


# --- pages in Chromium ----------------------------------------------------------------------------

@dataclass
class Visit:
    """One page: seconds from navigation start to rendered (None: never), documents, 503s."""

    seconds: float | None = None
    documents: int = 0
    unavailable: int = 0  # HTTP 503 answers to its navigations
    error: str = ""


async def launch(playwright):
    """Debian's Chromium, headless, with nothing that talks to the internet."""
    return await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@dataclass
class Viewer:
    """One browser page (in a context of its own) and what it went through."""

    page: object
    visit: Visit
    kind: str


async def new_viewer(browser, kind: str) -> Viewer:
    """A page in a fresh context (empty cache: a first visit) that marks when ``kind`` is rendered."""
    context = await browser.new_context(viewport=VIEWPORT)
    page = await context.new_page()
    await page.add_init_script(MARK % rendered_js(kind))
    viewer = Viewer(page, Visit(), kind)

    def on_response(response) -> None:
        if response.status == 503 and response.request.is_navigation_request():
            viewer.visit.unavailable += 1
    page.on("response", on_response)
    return viewer


async def load(viewer: Viewer, url: str, timeout: float) -> Visit:
    """Navigate to ``url`` and wait (polling lightly) until the page is rendered or times out."""
    from playwright.async_api import Error

    page, visit, deadline = viewer.page, viewer.visit, time.monotonic() + timeout
    try:
        await page.goto(url, wait_until="commit", timeout=timeout * 1000)
    except Error as exc:
        visit.error = str(exc).splitlines()[0]
        return visit
    while time.monotonic() < deadline:
        try:
            state = await page.evaluate("window.__bench || null")
        except Error:  # the page is between documents (a reload)
            state = None
        if state:
            visit.documents = state["docs"]
            if state["rendered"] is not None:
                visit.seconds = state["rendered"] / 1000
                return visit
        await asyncio.sleep(0.5)
    try:
        found = await page.evaluate(progress_js(viewer.kind))
        found = ", ".join(f"{name} {count}" for name, count in found.items())
    except Error as exc:
        found = str(exc).splitlines()[0]
    visit.error = f"not rendered within {timeout:g} s (then: {found}; {visit.documents} documents)"
    return visit


async def close(viewer: Viewer) -> None:
    await viewer.page.context.close()
