"""Shared pytest fixtures. Each section belongs to the tests named in its heading."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


# --- the Voila server and Chromium (tests/test_browser.py) ----------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "artifacts"


def free_port() -> int:
    """A TCP port nobody listens on right now (bind port 0 and let the system choose)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def voila_command(notebook: str, port: int) -> list[str]:
    """The command ``make app`` runs, on another port (voila.json is read from the repo root)."""
    return [sys.executable, "-m", "planlib.apps.server", notebook, "--template=planlib", f"--port={port}",
            "--Voila.ip=127.0.0.1", "--no-browser"]


def voila_env(db: Path) -> dict[str, str]:
    """The environment ``make app`` gives Voila: the project's template path and a database."""
    env = dict(os.environ, JUPYTER_PATH=str(ROOT / "share" / "jupyter"), PLANLIB_DB=str(db))
    env.pop("JUPYTER_CONFIG_DIR", None)
    return env


def stop(proc: subprocess.Popen) -> None:
    """End a server this test suite started: politely, then for good."""
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"voila exited with code {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"voila did not listen on port {port} within {timeout} s")


def chromium_or_skip() -> str:
    """Chromium's path; skip without it, except under CI=true, where its absence is a failure."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    reason = f"{CHROMIUM} is not installed (apt-get install chromium fonts-noto-cjk)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def prepared_store(tmp_path_factory) -> Path:
    """A folder with a store of the shipped data and its dashboard build, as ``planlib setup``
    makes them on a fresh machine (the invented 示例县's plan registered beside the county's),
    made once for the whole session: building both plans' dashboards takes minutes."""
    folder = tmp_path_factory.mktemp("prepared")
    env = dict(os.environ, PLANLIB_DB=str(folder / "monitoring.sqlite"))
    done = subprocess.run([sys.executable, "-m", "planlib", "setup"], env=env, capture_output=True, text=True,
                          timeout=1800, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return folder


def copy_prepared(prepared: Path, folder: Path) -> Path:
    """A copy of the prepared store with its build in ``folder`` (a store copied with its build
    folder keeps its build: the build's stamp is of the data, not of the path); the store's path."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    for path in prepared.glob("monitoring.sqlite*"):  # with a -wal or -shm file, if any is left
        shutil.copy(path, folder / path.name)
    shutil.copytree(prepared / "monitoring.build", folder / "monitoring.build", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("build.lock", "progress.json"))
    return folder / "monitoring.sqlite"


@pytest.fixture(scope="module")
def voila_url(tmp_path_factory, prepared_store):
    """A Voila server on a free port serving the dashboard as ``make app`` does: ``planlib setup``
    (here on a copy of the session's prepared store, so it finds its build fresh), then the
    dashboard notebook with the project's template."""
    chromium_or_skip()
    tmp = tmp_path_factory.mktemp("voila")
    copy_prepared(prepared_store, tmp)
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / "voila-test.log").open("w")
    subprocess.run([sys.executable, "-m", "planlib", "setup", "--db", str(tmp / "monitoring.sqlite")], cwd=ROOT,
                   env=voila_env(tmp / "monitoring.sqlite"), check=True, stdout=log, stderr=subprocess.STDOUT,
                   timeout=1800)
    proc = subprocess.Popen(voila_command("notebooks/00-dashboard.ipynb", port), cwd=ROOT,
                            env=voila_env(tmp / "monitoring.sqlite"), stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}/"
    finally:
        stop(proc)
        log.close()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright."""
    executable = chromium_or_skip()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def catalog():
    """The shipped catalogue, loaded once (tests that need another one define their own)."""
    from planlib.catalog import load_catalog

    return load_catalog()


# --- a small dashboard build (tests/test_apps_*.py) -------------------------------------------------

@pytest.fixture(scope="session")
def small_edition(tmp_path_factory):
    """The dashboard build of the small plan in tests/app_fixtures.py, made once."""
    from planlib.apps.build import write_build
    from planlib.apps.edition import Edition

    from .app_fixtures import CATALOG, OBSERVATIONS

    path = write_build(CATALOG, OBSERVATIONS, tmp_path_factory.mktemp("build") / "dashboard.sqlite",
                       stamp="test", workers=1)
    return Edition(path)


@pytest.fixture(scope="session")
def city_edition(tmp_path_factory):
    """The build of two plans (石柱县's, 示例县's) with the city view (tests/app_fixtures.py), made once."""
    from planlib.apps.edition import Edition

    from .app_fixtures import write_city_build

    edition = Edition(write_city_build(tmp_path_factory.mktemp("city-build")))
    yield edition
    edition.close()


# --- a throwaway PostgreSQL cluster (every test of a server store; see tests/pg.py) ---------------

@pytest.fixture(scope="session")
def pg_cluster():
    """The session's own PostgreSQL cluster; skips without PostgreSQL (fails under CI=true)."""
    from . import pg

    cluster = pg.start_cluster()
    if cluster is None:
        pg.unavailable("PostgreSQL is not installed (apt-get install postgresql)")
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster):
    """A new, empty PostgreSQL database of the session's cluster."""
    return pg_cluster.url()


# --- a seeded monitoring store, on SQLite or on both backends (store, intake, report tests) -------

#: The backends a store-exercising test runs on (the ``any_db`` fixture's parameters).
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def seeded_store(tmp_path_factory) -> Path:
    """A SQLite store seeded from the shipped data (``planlib setup``), made once."""
    from planlib import observations

    path = tmp_path_factory.mktemp("seed") / "seed.sqlite"
    observations.ensure_store(path)
    return path


@pytest.fixture
def db(seeded_store: Path, tmp_path: Path) -> Path:
    """A fresh copy of a SQLite store seeded from the shipped data (for what only SQLite has:
    its file, its rowid, its WAL; a test of the store's behaviour takes ``any_db``)."""
    import shutil

    target = tmp_path / "store" / "monitoring.sqlite"
    target.parent.mkdir()
    shutil.copy(seeded_store, target)
    return target


@pytest.fixture(scope="session")
def seeded_pg(pg_cluster) -> str:
    """The name of a PostgreSQL database seeded from the shipped data, made once; nobody
    connects to it afterwards, so that ``any_db`` can copy it."""
    from planlib import observations

    observations.ensure_store(pg_cluster.url("seed"))
    return "seed"


@pytest.fixture(params=BACKENDS)
def any_db(request):
    """A fresh store seeded from the shipped data, on each backend in turn: a copy of the
    seeded SQLite file (a ``Path``), or a PostgreSQL database copied from the seeded one (a
    ``postgresql://`` URL). Both hold the same rows with the same ids. What planlib keeps on
    this machine about a server store (its dashboard build) goes to the test's ``tmp_path``
    (``PLANLIB_HOME``), never into the checkout's data/."""
    if request.param == "sqlite":
        return request.getfixturevalue("db")
    request.getfixturevalue("monkeypatch").setenv("PLANLIB_HOME", str(request.getfixturevalue("tmp_path")))
    return request.getfixturevalue("pg_cluster").url(template=request.getfixturevalue("seeded_pg"))


@pytest.fixture
def empty_db(any_db, request, tmp_path):
    """Where no store is yet, on the backend of ``any_db``: a new file name, or an empty database."""
    if isinstance(any_db, Path):
        return tmp_path / "fresh.sqlite"
    return request.getfixturevalue("pg_cluster").url()


def snapshot(target) -> tuple:
    """Every row of every table of the store's history, in key order, on either backend: to
    compare a store before and after something that must not change it."""
    import sqlalchemy as sa

    from planlib import store

    with store._reader(target) as conn:
        return tuple(tuple(tuple(r) for r in conn.execute(sa.select(t).order_by(*t.primary_key.columns)))
                     for t in store.HISTORY_TABLES)
