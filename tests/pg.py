"""A throwaway PostgreSQL cluster for the tests: initdb in a temporary directory as the
``postgres`` user, ``pg_ctl`` on a free local port with its unix socket in that directory,
one database per test (empty, or copied from a template database), stopped (only the server
this started) at the end of the session.

Without PostgreSQL (no ``initdb`` under /usr/lib/postgresql/*/bin) the PostgreSQL tests skip,
except under ``CI=true``, where that is a failure: CI installs Debian's ``postgresql``.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest


def pg_bin() -> Path | None:
    """The newest installed PostgreSQL's bin directory, if any."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    return Path(found[-1]).parent if found else None


def unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL is required under CI=true: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a PostgreSQL program as the ``postgres`` user (initdb refuses root)."""
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)


class Cluster:
    """One running throwaway cluster; ``url()`` gives a fresh database on it."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="planlib-pg-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        self.user = "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")
        self._n = 0
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        os.chmod(self.dir, 0o755)

    def start(self) -> None:
        _as_postgres([str(self.bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", self.user,
                      "-E", "UTF8", "--locale=C.UTF-8"])
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100"
        _as_postgres([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", opts,
                      "-l", str(self.dir / "server.log"), "-w", "-t", "60", "start"])

    def url(self, name: str | None = None, template: str | None = None) -> str:
        """A new database on the cluster, as a ``postgresql://`` URL: empty, or a copy of the
        database ``template`` (which nobody may be connected to), as a test copies a file."""
        self._n += 1
        name = name or f"t{self._n}"
        copy = ["-T", template] if template else []
        _as_postgres([str(self.bindir / "createdb"), "-h", str(self.dir), "-p", str(self.port),
                      "-U", self.user, *copy, name])
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            _as_postgres([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])
        shutil.rmtree(self.dir, ignore_errors=True)


def start_cluster() -> Cluster | None:
    bindir = pg_bin()
    if bindir is None:
        return None
    cluster = Cluster(bindir)
    try:
        cluster.start()
    except subprocess.CalledProcessError as err:
        cluster.stop()
        raise RuntimeError(f"could not start PostgreSQL: {err.stderr or err.stdout}") from err
    return cluster
