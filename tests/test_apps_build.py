"""The dashboard's build (planlib.apps.build) and reading it (planlib.apps.edition)."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys

import pytest

from planlib import config, observations
from planlib.apps import build as B
from planlib.apps import edition as E

from .app_fixtures import CATALOG, OBSERVATIONS


def test_the_build_holds_every_as_of_year_language_and_indicator(small_edition):
    assert small_edition.years == [2020, 2021, 2022, 2023]
    conn = sqlite3.connect(small_edition.path)
    assert conn.execute("SELECT count(*) FROM pages").fetchone() == (8,)
    assert conn.execute("SELECT count(*) FROM views").fetchone() == (32,)
    page = small_edition.page(2021, "en")
    assert page["title"].startswith("Shizhu County") and page["demo"] is True
    assert [r["id"] for r in page["rows"]] == ["W03", "W04", "W30", "C21"]
    assert 'data-as-of="2021"' in page["tiles_html"] and "<svg" in page["overview_html"]
    view = small_edition.view("C21", 2021, "zh")
    assert view["spec"]["title"]["text"] == "九年义务教育巩固率（%）"
    fitted = [r for r in view["data"]["rows"] if r[1] == "拟合值"]
    assert max(r[3] for r in fitted) == 2021  # as of 2021: nothing later is fitted
    assert small_edition.view("C99", 2021, "zh") is None


def test_every_chart_of_the_build_is_valid_vega_lite(small_edition):
    """The build makes its charts without Altair's check of each object as it is made (for
    speed): here every chart it holds is checked against the Vega-Lite schema, whole."""
    import altair as alt

    conn = sqlite3.connect(small_edition.path)
    keys = conn.execute("SELECT region, indicator_id, year, lang FROM views").fetchall()
    assert len(keys) == 32
    for region, ident, year, lang in keys:
        spec = small_edition.view(ident, year, lang, region)["spec"]
        alt.LayerChart.from_dict(spec, validate=True)  # raises on anything the schema does not allow
    broken = small_edition.view("C21", 2021, "zh")["spec"]
    broken["layer"][0]["mark"] = {"type": "no-such-mark"}
    with pytest.raises(Exception, match="no-such-mark"):
        alt.LayerChart.from_dict(broken, validate=True)


def test_the_build_agrees_with_the_assessment(small_edition):
    from planlib.assessment import assess

    expected = assess(CATALOG, OBSERVATIONS, as_of=2022)
    county = expected[expected["region"] == "石柱县"].set_index("indicator_id")["status"].to_dict()
    assert {r["id"]: r["status"] for r in small_edition.page(2022, "zh")["rows"]} == county


def test_the_chart_renderer_is_bundled_offline(small_edition):
    bundle = small_edition.asset("vega_chart.js")
    assert len(bundle) > 500_000  # Vega, Vega-Lite and Vega-Embed are inside
    assert not re.search(r"""(from|import\()\s*["']https?:""", bundle)  # and nothing is imported from outside
    assert "esm.sh" not in bundle and "cdn.jsdelivr" not in bundle
    assert bundle.rstrip().endswith("export{__default as default};")


def test_meta_records_versions_and_years(small_edition):
    meta = small_edition.meta
    assert meta["source_stamp"] == "test" and meta["code_version"] == E.code_version()
    assert meta["methods"][0] == "auto" and "linear" in meta["methods"]
    assert len(meta["data_version"]) == 16 and meta["years"] == [2020, 2021, 2022, 2023]


def test_as_of_years_start_at_the_plans_base_year():
    early = OBSERVATIONS.assign(year=OBSERVATIONS["year"] - 5)  # 2015..2018 only
    assert B.as_of_years(B.Model(CATALOG, early)) == [2015, 2016, 2017, 2018]
    both = B.pd.concat([OBSERVATIONS, early], ignore_index=True)
    assert B.as_of_years(B.Model(CATALOG, both)) == [2020, 2021, 2022, 2023]


@pytest.mark.slow
def test_a_store_build_is_fresh_until_the_data_change(tmp_path):
    db = tmp_path / "monitoring.sqlite"
    observations.ensure_store(db)
    assert E.open_current(db) == (None, E.State.MISSING)
    path = B.build(db, workers=2)
    assert path == E.build_file(db) and path.parent.name == "monitoring.build"
    edition, state = E.open_current(db)
    assert state is E.State.FRESH and edition.years[0] == config.BASE_YEAR
    assert len(edition.page(edition.default_year, "zh")["rows"]) == 90
    assert sorted(p.name for p in path.parent.iterdir()) == ["build.lock", "dashboard.sqlite"]
    mtime = path.stat().st_mtime_ns
    assert B.build(db) == path and path.stat().st_mtime_ns == mtime  # fresh: not built again
    csv = tmp_path / "w04.csv"
    csv.write_text("indicator_id,region,year,value\nW04,石柱县,2024,99.5\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "planlib", "import", str(csv), "--db", str(db)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert edition.state(db) is E.State.STALE  # the kernel that held the old build knows
    edition, state = E.open_current(db)  # planlib import made the new one
    assert state is E.State.FRESH
    w04 = next(r for r in edition.page(2024, "zh")["rows"] if r["id"] == "W04")
    assert w04["latest"] == "99.5（2024年）"


def test_a_failed_build_leaves_the_old_one(tmp_path, monkeypatch):
    target = tmp_path / "dashboard.sqlite"
    target.write_bytes(b"old build")

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(B, "_compute", broken)
    with pytest.raises(RuntimeError):
        B.write_build(CATALOG, OBSERVATIONS, target, workers=1)
    assert target.read_bytes() == b"old build"
    assert [p.name for p in tmp_path.iterdir()] == ["dashboard.sqlite"]


def test_code_version_covers_every_package_file(tmp_path, monkeypatch):
    package = tmp_path / "planlib"
    (package / "apps").mkdir(parents=True)
    (package / "observations.py").write_text("MULTIPLIERS = {}\n")
    (package / "apps" / "x.js").write_text("1")
    monkeypatch.setattr(E, "PACKAGE_DIR", package)
    E.code_version.cache_clear()
    try:
        before = E.code_version()
        (package / "observations.py").write_text("MULTIPLIERS = {'%': 100}\n")
        E.code_version.cache_clear()
        assert E.code_version() != before
    finally:
        E.code_version.cache_clear()


def test_progress_is_read_from_the_build_folder(tmp_path):
    db = tmp_path / "monitoring.sqlite"
    folder = E.build_dir(db)
    folder.mkdir()
    (folder / E.PROGRESS_FILE).write_text(json.dumps({"done": 3, "total": 12}))
    step = E.progress(db)
    assert (step.running, step.done, step.total, step.fraction) == (False, 3, 12, 0.25)


def test_a_new_build_reuses_exactly_the_views_whose_data_did_not_change(small_edition, tmp_path, monkeypatch):
    from planlib.apps import content

    changed = OBSERVATIONS.copy()
    changed.loc[(changed["indicator_id"] == "W04") & (changed["year"] == 2023), "value"] = 97.0
    made = []
    real = content.view_content
    monkeypatch.setattr(content, "view_content", lambda model, ident, *a, **k: made.append(ident) or real(
        model, ident, *a, **k))
    again = B.write_build(CATALOG, changed, tmp_path / "again.sqlite", workers=1, previous=small_edition.path)
    assert sorted(set(made)) == ["W04"] and len(made) == 8  # 4 as-of years x 2 languages
    made.clear()
    full = B.write_build(CATALOG, changed, tmp_path / "full.sqlite", workers=1)
    assert len(made) == 32
    rows = "SELECT indicator_id, year, lang, body, key FROM views ORDER BY 1, 2, 3"
    pages = "SELECT year, lang, body FROM pages ORDER BY 1, 2"
    for sql in (rows, pages):
        assert sqlite3.connect(again).execute(sql).fetchall() == sqlite3.connect(full).execute(sql).fetchall()
    w04 = E.Edition(again).view("W04", 2023, "zh")
    assert w04["info_html"] != small_edition.view("W04", 2023, "zh")["info_html"]
    assert E.Edition(again).view("C21", 2023, "zh") == small_edition.view("C21", 2023, "zh")


def test_view_keys_follow_the_reference_indicator():
    catalog = CATALOG.assign(reference_indicator=["", "", "W04", ""])  # W30 judged against W04
    before = B.view_keys(catalog, OBSERVATIONS, [2023])
    changed = OBSERVATIONS.copy()
    changed.loc[(changed["indicator_id"] == "W04") & (changed["year"] == 2022), "value"] = 90.0
    after = B.view_keys(catalog, changed, [2023])
    moved = sorted({i for key, value in after.items() if before[key] != value for i in key[1:2]})
    assert moved == ["W04", "W30"]
