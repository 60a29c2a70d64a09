"""The store on a server: schema upgrades, copies between backends, concurrent and killed imports."""

import multiprocessing
import signal
import sqlite3
import subprocess
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from planlib import cli, observations, store
from planlib import schema as S
from planlib.errors import PlanlibError
from planlib.config import COUNTY

from .conftest import snapshot

ROOT = Path(__file__).resolve().parents[1]


def _rows(values: dict, source="县卫生健康委", note=None) -> pd.DataFrame:
    """``{(indicator, year): value}`` as tidy rows of the home county."""
    keys = list(values)
    return pd.DataFrame({S.INDICATOR_ID: [k[0] for k in keys], S.YEAR: [k[1] for k in keys],
                         S.VALUE: list(values.values()), S.SOURCE: source, S.STATUS: "reported",
                         S.NOTE: note})


def _seeded_pg(url: str) -> str:
    assert store.create_store(url, observations.load_shipped_observations())
    return url


def _make_version_1(path: Path) -> None:
    """Turn a store into the first schema (its version in ``meta``), as stores made before it."""
    conn = sqlite3.connect(path)
    conn.executescript("DROP TABLE schema_version; DROP TABLE plans; INSERT INTO meta VALUES ('schema_version', '1');")
    conn.close()


# --- schema versions ---------------------------------------------------------------------------------

def test_an_older_store_asks_for_db_upgrade(db, capsys):
    store.import_observations(_rows({("W04", 2024): 95.0}), store.SubmissionMeta("a.csv"), db)
    before = store.read_observations(db)
    _make_version_1(db)
    with pytest.raises(PlanlibError) as err:
        store.read_observations(db)
    problem = err.value.problems[0]
    assert "older schema (version 1)" in problem.message_en and "旧版本" in problem.message_zh
    assert "planlib db upgrade" in problem.fix_en and "planlib db upgrade" in problem.fix_zh
    with pytest.raises(PlanlibError):
        store.import_observations(_rows({("W04", 2024): 96.0}), store.SubmissionMeta("b.csv"), db)

    assert cli.main(["db", "upgrade", "--db", str(db), "--lang", "en"]) == 0
    assert "upgraded from schema version 1 to 3, data unchanged" in capsys.readouterr().out
    pd.testing.assert_frame_equal(store.read_observations(db), before)
    assert store.submissions(db)["file_name"].tolist() == ["a.csv", store.SEED_FILE_NAME]
    assert cli.main(["db", "upgrade", "--db", str(db), "--lang", "en"]) == 0
    assert "already at schema version 3, unchanged" in capsys.readouterr().out
    with store._reader(db) as conn:
        assert conn.execute(sa.select(store.VERSIONS.c.version)).scalars().all() == [1, 2, 3]


def test_setup_brings_an_older_store_up_to_date(db, capsys, monkeypatch):
    """``make app`` runs ``planlib setup``: a county that updates the workbench keeps its store."""
    store.import_observations(_rows({("W04", 2024): 95.0}), store.SubmissionMeta("a.csv"), db)
    before = store.read_observations(db)
    _make_version_1(db)
    monkeypatch.setattr(cli, "_build", lambda *args, **kwargs: 0)  # the dashboard build is tested elsewhere
    assert cli.main(["setup", "--db", str(db), "--lang", "en"]) == 0
    assert "upgraded from schema version 1 to 3, data unchanged" in capsys.readouterr().out
    pd.testing.assert_frame_equal(store.read_observations(db), before)
    assert cli.main(["setup", "--db", str(db), "--lang", "en"]) == 0
    assert "exists, left unchanged" in capsys.readouterr().out


def test_db_upgrade_creates_a_server_store(pg_url, capsys):
    assert cli.main(["db", "upgrade", "--db", pg_url, "--lang", "en"]) == 0
    assert "created (schema version 3)" in capsys.readouterr().out
    assert len(store.read_observations(pg_url)) == len(observations.load_shipped_observations())
    assert store.submissions(pg_url)["file_name"].tolist() == [store.SEED_FILE_NAME]


def test_a_database_that_is_not_a_store_is_refused(pg_url, tmp_path):
    engine = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE payroll (id integer)")
    engine.dispose()
    with pytest.raises(PlanlibError) as err:
        store.read_observations(pg_url)
    assert "not a monitoring store" in err.value.problems[0].message_en
    with pytest.raises(PlanlibError):
        store.upgrade(pg_url)


def test_an_unreachable_server_is_named():
    with pytest.raises(PlanlibError) as err:
        store.read_observations("postgresql://nobody:secret@127.0.0.1:1/none")
    problem = err.value.problems[0]
    assert "Cannot connect" in problem.message_en and "无法连接" in problem.message_zh
    assert "secret" not in str(err.value)


# --- planlib db copy ---------------------------------------------------------------------------------

def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12)).astimezone()


def test_copy_round_trip_reproduces_every_vintage(db, pg_cluster, tmp_path, capsys):
    today = date.today()
    days = [today + timedelta(days=n) for n in (1, 3, 4, 7)]
    store.import_observations(_rows({("W04", 2024): 95.0, ("W14", 2025): 12.0}),
                              store.SubmissionMeta("a.csv", "aa", "县卫生健康委", 2024, "张三", _noon(days[0])), db)
    store.import_observations(_rows({("W04", 2024): 96.5}, note="更正录入错误"),
                              store.SubmissionMeta("b.csv", "bb", "县卫生健康委", 2024, "李四", _noon(days[1])), db)
    store.import_observations(_rows({("C02", 2024): 1.1, ("W04", 2024): 97.0}, source="县教委"),
                              store.SubmissionMeta("c.csv", None, None, None, None, _noon(days[2])), db)
    store.import_observations(_rows({("W14", 2025): 12.5}, note="口径调整"),
                              store.SubmissionMeta("d.csv", imported_at=_noon(days[3])), db)
    server = pg_cluster.url()
    back = tmp_path / "back" / "monitoring.sqlite"
    assert cli.main(["db", "copy", "--from", str(db), "--to", server, "--lang", "en"]) == 0
    assert "5 submissions" in capsys.readouterr().out
    assert cli.main(["db", "copy", "--from", server, "--to", str(back), "--lang", "en"]) == 0

    dates = [today - timedelta(days=1), today] + [d + timedelta(days=k) for d in days for k in (-1, 0)]
    for day in dates:
        first = store.read_observations(db, as_of_date=day)
        for other in (server, back):
            pd.testing.assert_frame_equal(store.read_observations(other, as_of_date=day), first)
    assert _value_w04(store.read_observations(server, as_of_date=days[1])) == 96.5
    for other in (server, back):
        pd.testing.assert_frame_equal(store.read_observations(other), store.read_observations(db))
        pd.testing.assert_frame_equal(store.revisions(db=other), store.revisions(db=db))
        pd.testing.assert_frame_equal(store.submissions(other), store.submissions(db))
    assert len(store.revisions(db=db)) == 5
    # and the copies go on: the next submission gets the next id on both
    for other in (server, back):
        counts = store.import_observations(_rows({("W04", 2024): 98.0}), store.SubmissionMeta("e.csv"), other)
        assert counts.submission_id == 6


def _value_w04(frame):
    sel = frame[(frame[S.INDICATOR_ID] == "W04") & (frame[S.YEAR] == 2024) & (frame[S.REGION] == COUNTY)]
    return float(sel[S.VALUE].iloc[0])


def test_copy_never_writes_into_a_store(db, pg_url):
    _seeded_pg(pg_url)
    before = snapshot(pg_url)
    with pytest.raises(PlanlibError) as err:
        store.copy_store(db, pg_url)
    assert "already holds a store" in err.value.problems[0].message_en
    assert snapshot(pg_url) == before


# --- twenty departments at once; a killed import -----------------------------------------------------

def _department(url: str, i: int, barrier) -> None:
    barrier.wait()
    rows = _rows({("W04", 2000 + i): float(i), ("W14", 2025): 100.0 + i})
    store.import_observations(rows, store.SubmissionMeta(f"dept-{i:02d}.csv", f"sha{i}", f"单位{i}"), url)


def test_twenty_departments_import_at_once(pg_url):
    url = _seeded_pg(pg_url)
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(20)
    procs = [ctx.Process(target=_department, args=(url, i, barrier)) for i in range(20)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=180)
    assert [p.exitcode for p in procs] == [0] * 20
    subs = store.submissions(url)
    assert sorted(subs["file_name"].tolist()) == sorted([f"dept-{i:02d}.csv" for i in range(20)]
                                                        + [store.SEED_FILE_NAME])
    assert sorted(subs["id"].tolist()) == list(range(1, 22))
    obs = store.read_observations(url)
    mine = obs[(obs[S.INDICATOR_ID] == "W04") & obs[S.YEAR].between(2000, 2019) & (obs[S.REGION] == COUNTY)]
    assert mine[S.VALUE].tolist() == [float(i) for i in range(20)]
    # the value every department wrote (none stored before): the first adds it, the 19 others each
    # revise the value the one before left (no import saw a stale value)
    chain = store.revisions("W14", url).query("year == 2025").iloc[::-1]
    assert len(chain) == 19 and chain["submission_id"].tolist() == sorted(chain["submission_id"])
    assert chain["old_value"].tolist()[1:] == chain["new_value"].tolist()[:-1]
    final = obs[(obs[S.INDICATOR_ID] == "W14") & (obs[S.YEAR] == 2025)][S.VALUE].tolist()
    assert final == [chain["new_value"].iloc[-1]]


_KILLED = """
import sys, time
import pandas as pd
from planlib import store
rows = pd.DataFrame({"indicator_id": ["W04", "W14"], "year": [2024, 2031], "value": [1.0, 2.0],
                     "source": ["x", "x"], "status": ["reported"] * 2})
with store.writing(sys.argv[1]) as writer:
    writer.apply(rows, store.SubmissionMeta("killed.csv"))
    print("IN-TRANSACTION", flush=True)
    time.sleep(120)
"""


def test_a_killed_import_changes_nothing(any_db):
    before = snapshot(any_db)
    proc = subprocess.Popen([sys.executable, "-c", _KILLED, str(any_db)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "IN-TRANSACTION", proc.stderr.read()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(any_db) == before
    # the lock is free again; PostgreSQL's sequences do not roll back, so there an id may be skipped
    counts = store.import_observations(_rows({("W04", 2024): 95.0}), store.SubmissionMeta("next.csv"), any_db)
    assert counts.n_changed == 1 and counts.submission_id == (2 if isinstance(any_db, Path) else 3)
    assert store.submissions(any_db)["file_name"].tolist() == ["next.csv", store.SEED_FILE_NAME]


def test_a_url_folded_into_a_path_never_becomes_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(PlanlibError):
        store.create_store(Path("postgresql://planlib@127.0.0.1:1/city"), observations.load_shipped_observations())
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_the_commands_work_on_a_server_store(pg_url, tmp_path, capsys, monkeypatch):
    """import (with the dashboard's build), assess and export with ``--db postgresql://…``, as a
    city's deployment runs them."""
    from planlib.apps import edition as E

    home = tmp_path / "home"
    monkeypatch.setenv("PLANLIB_HOME", str(home))
    url = _seeded_pg(pg_url)
    f = tmp_path / "县卫生健康委.csv"
    f.write_text("indicator_id,year,value,note\nW04,2024,96.5,复核后更正\n", encoding="utf-8")
    assert cli.main(["import", str(f), "--db", url, "--lang", "en"]) == 0
    assert "Dashboard build up to date" in capsys.readouterr().out
    assert E.build_dir(url).parent == home and E.build_dir(url).name.startswith("server-")
    edition, state = E.open_current(url)
    assert state is E.State.FRESH
    w04 = next(r for r in edition.page(2024, "zh")["rows"] if r["id"] == "W04")
    assert w04["latest"] == "96.5（2024年）"
    assert cli.main(["export", "--db", url, "--output", str(tmp_path / "all.csv")]) == 0
    exported = pd.read_csv(tmp_path / "all.csv")
    w04 = exported[(exported["indicator_id"] == "W04") & (exported["year"] == 2024) & (exported["region"] == COUNTY)]
    assert w04["value"].tolist() == [96.5]
    assert cli.main(["assess", "--db", url, "--format", "csv", "--output", str(tmp_path / "a.csv")]) == 0
    assessed = pd.read_csv(tmp_path / "a.csv")
    assert len(assessed[assessed["region"] == "石柱县"]) == 90
    assert not Path("postgresql:").exists()  # no file or folder named after the URL
    assert edition.state(url) is E.State.FRESH
    store.import_observations(_rows({("W04", 2024): 97.0}), store.SubmissionMeta("later.csv"), url)
    assert edition.state(url) is E.State.STALE  # a viewer's kernel sees that the server's data moved on
    edition.close()
