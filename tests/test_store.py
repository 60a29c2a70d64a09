import sqlite3
from datetime import date, datetime, time, timedelta

import pandas as pd
import pytest

from planlib import observations, store
from planlib import schema as S
from planlib.errors import PlanlibError

from .conftest import BACKENDS, snapshot


def _row(value, note=None, source="县卫生健康委", ident="W04", year=2024):
    return pd.DataFrame({S.INDICATOR_ID: [ident], S.YEAR: [year], S.VALUE: [value],
                         S.SOURCE: [source], S.STATUS: ["reported"], S.NOTE: [note]})


def _value(frame, ident="W04", year=2024, region="石柱县"):
    sel = frame[(frame[S.INDICATOR_ID] == ident) & (frame[S.YEAR] == year) & (frame[S.REGION] == region)]
    return sel[[S.VALUE, S.SOURCE]].values.tolist()


def test_setup_seeds_the_shipped_data_exactly(any_db):
    stored = store.read_observations(any_db)
    shipped = observations.load_shipped_observations()
    key = [S.INDICATOR_ID, S.REGION, S.YEAR]
    pd.testing.assert_frame_equal(stored.sort_values(key).reset_index(drop=True),
                                  shipped.sort_values(key).reset_index(drop=True))
    assert list(stored.columns) == S.OBS_COLUMNS
    assert _value(stored, "C02", 2020) == [[1.5, observations.PLAN_SOURCES["children"]]]
    subs = store.submissions(any_db)
    assert subs[["id", "n_new", "imported_by"]].values.tolist() == [[1, len(shipped), "planlib setup"]]


def test_setup_never_overwrites(any_db):
    store.import_observations(_row(95.0), store.SubmissionMeta("w04.csv"), any_db)
    before = snapshot(any_db)
    assert observations.ensure_store(any_db) == (any_db, False)
    assert snapshot(any_db) == before


def test_setup_uses_planlib_db(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANLIB_DB", str(tmp_path / "env.sqlite"))
    path, created = observations.ensure_store()
    assert (path, created) == (tmp_path / "env.sqlite", True)
    assert len(store.read_observations()) == len(observations.load_shipped_observations())


def _interrupt_setup(monkeypatch) -> None:
    def broken_apply(self, frame, meta):
        self.conn.exec_driver_sql("INSERT INTO submissions (file_name, imported_at) VALUES ('x', 'y')")
        raise KeyboardInterrupt  # as if killed half-way

    monkeypatch.setattr(store.Writer, "apply", broken_apply)


@pytest.mark.parametrize("backend", BACKENDS)
def test_interrupted_setup_leaves_no_store(backend, request, tmp_path, monkeypatch):
    target = tmp_path / "m.sqlite" if backend == "sqlite" else request.getfixturevalue("pg_url")
    _interrupt_setup(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        observations.ensure_store(target)
    assert not store.exists(target)
    monkeypatch.undo()
    assert observations.ensure_store(target) == (target, True)  # a new setup starts from nothing
    assert store.submissions(target)["file_name"].tolist() == [store.SEED_FILE_NAME]


def test_interrupted_setup_leaves_no_file(tmp_path, monkeypatch):
    _interrupt_setup(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        observations.ensure_store(tmp_path / "m.sqlite")
    assert list(tmp_path.iterdir()) == []  # not even the temporary file it was built in


def test_store_is_in_wal_mode(db):
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    conn.close()


def test_read_connection_cannot_write(db):
    conn = store.connect_readonly(db)
    with pytest.raises(sqlite3.OperationalError, match="readonly|read-only|query_only"):
        conn.execute("INSERT INTO observations (indicator_id, region, year, value, submission_id, "
                     "valid_from) VALUES ('W04', '石柱县', 2024, 1, 1, 'x')")
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("DELETE FROM observations")
    conn.close()
    assert len(store.read_observations(db)) == len(observations.load_shipped_observations())


def test_readers_open_only_read_only_connections(db, monkeypatch):
    """What the dashboards call (read_observations, submissions, revisions, export) never writes."""
    opened = []
    real_connect = sqlite3.connect

    def spy(target, *args, **kwargs):
        opened.append(str(target))
        return real_connect(target, *args, **kwargs)

    monkeypatch.setattr(store.sqlite3, "connect", spy)
    store.read_observations(db)
    store.read_observations(db, as_of_date="2020-01-01")
    store.submissions(db)
    store.revisions("W04", db)
    store.export_csv(db)
    assert len(opened) == 5 and all(t.startswith("file:") and t.endswith("?mode=ro") for t in opened)


def test_missing_store_is_named(tmp_path):
    with pytest.raises(PlanlibError) as err:
        store.read_observations(tmp_path / "none.sqlite")
    assert "none.sqlite" in str(err.value) and "planlib setup" in err.value.problems[0].fix_en


def test_import_records_revisions_and_counts(any_db):
    first = store.import_observations(_row(95.0), store.SubmissionMeta("a.csv"), any_db)
    assert first == store.ImportCounts(2, 0, 1, 0)
    second = store.import_observations(_row(96.5, note="更正录入错误"), store.SubmissionMeta("b.csv"), any_db)
    assert second == store.ImportCounts(3, 0, 1, 0)
    again = store.import_observations(_row(96.5, note="更正录入错误"), store.SubmissionMeta("c.csv"), any_db)
    assert again == store.ImportCounts(None, 0, 0, 1)
    revs = store.revisions("W04", any_db)
    assert revs[["old_value", "new_value", "submission_id", "reason"]].values.tolist()[0] == \
        [95.0, 96.5, 3, "更正录入错误"]
    assert revs["reason"].iloc[1] == store.DEMO_REPLACED_REASON
    assert _value(store.read_observations(any_db)) == [[96.5, "县卫生健康委"]]
    assert store.submissions(any_db)["file_name"].tolist() == ["b.csv", "a.csv", store.SEED_FILE_NAME]


def test_new_values_are_added(any_db):
    counts = store.import_observations(_row(12.0, ident="W14", year=2025), store.SubmissionMeta("n.csv"), any_db)
    assert (counts.n_new, counts.n_changed) == (1, 0)
    assert _value(store.read_observations(any_db), "W14", 2025) == [[12.0, "县卫生健康委"]]


def test_failed_transaction_changes_nothing(any_db):
    before = snapshot(any_db)
    with pytest.raises(RuntimeError):
        with store.writing(any_db) as writer:
            writer.apply(_row(50.0), store.SubmissionMeta("x.csv"))
            raise RuntimeError("stop")
    assert snapshot(any_db) == before


def test_dry_run_transaction_changes_nothing(any_db):
    before = snapshot(any_db)
    with store.writing(any_db, dry_run=True) as writer:
        assert writer.apply(_row(50.0), store.SubmissionMeta("x.csv")).n_changed == 1
    assert snapshot(any_db) == before


def _local_noon(day: date) -> datetime:
    return datetime.combine(day, time(12)).astimezone()


def test_vintages_reproduce_what_was_known(any_db):
    today = date.today()
    first, fix = today + timedelta(days=2), today + timedelta(days=5)
    store.import_observations(_row(95.0), store.SubmissionMeta("a.csv", imported_at=_local_noon(first)), any_db)
    store.import_observations(_row(97.0, note="口径调整"),
                              store.SubmissionMeta("b.csv", imported_at=_local_noon(fix)), any_db)
    demo = _value(observations.load_shipped_observations())
    assert _value(store.read_observations(any_db, as_of_date=today)) == demo
    assert _value(store.read_observations(any_db, as_of_date=first)) == [[95.0, "县卫生健康委"]]
    assert _value(store.read_observations(any_db, as_of_date=fix - timedelta(days=1))) == [[95.0, "县卫生健康委"]]
    assert _value(store.read_observations(any_db, as_of_date=fix.isoformat())) == [[97.0, "县卫生健康委"]]
    assert _value(store.read_observations(any_db)) == [[97.0, "县卫生健康委"]]
    assert store.read_observations(any_db, as_of_date="2000-01-01").empty
    old = store.export_csv(any_db, as_of_date=first)
    assert "W04,石柱县,2024,95,,,县卫生健康委,reported,," in old.splitlines()


def test_bad_vintage_date_is_named(any_db):
    with pytest.raises(PlanlibError) as err:
        store.read_observations(any_db, as_of_date="31/12/2024")
    assert err.value.problems[0].value == "31/12/2024"


def test_export_is_the_documented_tidy_csv(any_db):
    text = store.export_csv(any_db)
    lines = text.splitlines()
    assert lines[0] == ",".join(S.OBS_COLUMNS)
    assert len(lines) == 1 + len(observations.load_shipped_observations())
    frame = pd.read_csv(pd.io.common.StringIO(text), keep_default_na=False)
    demo = frame[frame[S.SOURCE] == S.DEMO_SOURCE]
    assert len(demo) > 0 and (demo[S.NOTE] == S.DEMO_LABEL_ZH).all()
    assert "C02,石柱县,2020,1.5,,," in text


def test_local_time_round_trips_the_stored_format():
    stored = store._utc_text(datetime(2025, 3, 1, 8, 30).astimezone())
    assert store.local_time(stored) == "2025-03-01 08:30"


def test_a_file_that_is_not_a_store_is_named(tmp_path):
    bogus = tmp_path / "notes.sqlite"
    bogus.write_bytes(b"just some text, not a database")
    with pytest.raises(PlanlibError) as err:
        store.read_observations(bogus)
    assert "not a monitoring store" in err.value.problems[0].message_en
    with pytest.raises(PlanlibError):
        store.import_observations(_row(95.0), store.SubmissionMeta("a.csv"), bogus)
    assert bogus.read_bytes() == b"just some text, not a database"


def test_write_export_is_atomic(db, tmp_path, monkeypatch):
    target = tmp_path / "backup.csv"
    target.write_text("the previous backup", encoding="utf-8")
    monkeypatch.setattr(store, "export_csv", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        store.write_export(target, db)
    assert target.read_text(encoding="utf-8") == "the previous backup"
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["backup.csv"]


@pytest.mark.slow
def test_the_dashboard_reads_the_store_read_only(db, monkeypatch):
    """The leadership dashboard loads its data through read-only connections only, and the
    store is unchanged afterwards: its server has no way to write."""
    from planlib.apps.model import load_model
    opened = []
    real_connect = sqlite3.connect

    def spy(target, *args, **kwargs):
        opened.append(str(target))
        return real_connect(target, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", spy)
    monkeypatch.setattr(store.sqlite3, "connect", spy)
    before = snapshot(db)
    model = load_model(db=str(db))
    assert len(model.observations) == len(observations.load_shipped_observations())
    assert opened and all(t.endswith("?mode=ro") for t in opened)
    assert snapshot(db) == before


def test_server_reader_cannot_write(any_db):
    conn = store.connect_readonly(any_db)
    with pytest.raises(Exception, match="readonly|read-only|query_only"):
        conn.execute("DELETE FROM revisions")
    conn.close()
    assert len(store.read_observations(any_db)) == len(observations.load_shipped_observations())


def test_both_backends_give_the_same_frames(db, pg_url):
    assert store.create_store(pg_url, observations.load_shipped_observations())
    for target in (db, pg_url):
        store.import_observations(_row(95.0), store.SubmissionMeta("a.csv"), target)
        store.import_observations(_row(12.0, ident="W14", year=2025), store.SubmissionMeta("n.csv"), target)
    pd.testing.assert_frame_equal(store.read_observations(db), store.read_observations(pg_url))
    pd.testing.assert_frame_equal(store.revisions(db=db).drop(columns="changed_at"),
                                  store.revisions(db=pg_url).drop(columns="changed_at"))
    a, b = store.submissions(db), store.submissions(pg_url)
    pd.testing.assert_frame_equal(a.drop(columns="imported_at"), b.drop(columns="imported_at"))
    assert store.read_observations(pg_url).dtypes.to_dict() == store.read_observations(db).dtypes.to_dict()


def test_planlib_db_may_name_a_server(pg_url, monkeypatch):
    monkeypatch.setenv("PLANLIB_DB", pg_url)
    assert store.locate() == pg_url
    with pytest.raises(PlanlibError) as err:
        store.read_observations()
    assert "does not exist" in err.value.problems[0].message_en and "db upgrade" in err.value.problems[0].fix_en
    assert store.create_store(pg_url, observations.load_shipped_observations())
    assert not store.create_store(pg_url, observations.load_shipped_observations())
    assert len(store.read_observations()) == len(observations.load_shipped_observations())
    assert store.submissions()["id"].tolist() == [1]
