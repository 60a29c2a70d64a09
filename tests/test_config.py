"""Where planlib reads its shipped data and writes its store, builds and caches (planlib.config,
planlib.cache). The installed wheel is tried in tests/test_wheel.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from planlib import cache, charts, config

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def bare_env(monkeypatch):
    for name in (config.HOME_ENV, config.DB_ENV):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_shipped_data_are_the_checkouts_data_folder_read_as_a_package():
    from importlib.resources import files

    assert config.CHECKOUT == ROOT
    assert config.DATA_DIR == ROOT / "data" == Path(str(files("planlib.shipped")))
    assert config.CATALOG_PATH.read_bytes() == (ROOT / "data" / "catalog.csv").read_bytes()


def test_checkout_defaults_are_unchanged(bare_env):
    assert config.db_path() == ROOT / "data" / "monitoring.sqlite" == config.DEFAULT_DB
    assert config.home_dir() == ROOT / "data"
    assert charts.RENDER_CACHE == ROOT / "build" / "render-cache"


def test_planlib_home_overrides_everything_but_an_explicit_db(bare_env, tmp_path):
    bare_env.setenv("PLANLIB_HOME", str(tmp_path))
    assert config.db_path() == tmp_path / "monitoring.sqlite"
    assert config.cache_dir() == tmp_path / "cache"
    assert charts.RENDER_CACHE == tmp_path / "cache" / "render-cache"
    assert config.db_path("/x/y.sqlite") == Path("/x/y.sqlite")
    bare_env.setenv("PLANLIB_DB", str(tmp_path / "other" / "m.sqlite"))
    assert config.db_path() == tmp_path / "other" / "m.sqlite"
    assert config.home_dir() == tmp_path


def test_outside_the_checkout_the_user_dirs(bare_env, tmp_path):
    bare_env.setattr(config, "CHECKOUT", None)
    bare_env.setenv("HOME", str(tmp_path))
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME"):
        bare_env.delenv(name, raising=False)
    assert config.db_path() == tmp_path / ".local" / "share" / "planlib" / "monitoring.sqlite"
    assert config.cache_dir() == tmp_path / ".cache" / "planlib"
    bare_env.setenv("PLANLIB_DB", str(tmp_path / "c" / "m.sqlite"))
    assert config.home_dir() == tmp_path / "c"  # the store's folder: its build goes beside it


def test_cache_put_is_whole_and_pruned_to_the_newest(tmp_path):
    for i in range(5):
        assert cache.put(tmp_path, f"{i}.png", bytes([i]) * 10)
        os.utime(tmp_path / f"{i}.png", (1000 + i, 1000 + i))
    (tmp_path / ".5.png.abc.tmp").write_bytes(b"being written")
    assert cache.prune(tmp_path, 3) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [".5.png.abc.tmp", "2.png", "3.png", "4.png"]
    assert cache.get(tmp_path, "4.png") == b"\x04" * 10 and cache.get(tmp_path, "0.png") is None


def test_cache_that_cannot_be_written_just_makes_the_content(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    made = []
    for _ in range(2):
        assert cache.get_or_make(blocker / "render-cache", "k.svg", lambda: made.append(1) or b"<svg/>") == b"<svg/>"
    assert len(made) == 2 and blocker.read_text().startswith("a file")


def test_render_reusing_keeps_its_charts_in_the_cache_layer(bare_env, tmp_path):
    bare_env.setenv("PLANLIB_HOME", str(tmp_path))
    spec = {"data": {"values": [{"x": 1}]}, "mark": "point",
            "encoding": {"x": {"field": "x", "type": "quantitative"}}}
    svg = charts.render_reusing(spec, "svg")
    [entry] = (tmp_path / "cache" / "render-cache").iterdir()
    assert entry.read_bytes() == svg and entry.name.endswith(".svg") and len(entry.stem) == 32
