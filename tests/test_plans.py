"""planlib.plans: two plans in one store, whose targets for the same indicator ids differ.

The home county (石柱县) keeps the shipped catalogue; 丰都县's catalogue is derived from it here
with other targets for the same ids (C21 ≥ 98 instead of ≥ 96; W04 due by 2028, not 2030),
without C27 and with an indicator of its own (FX01). Nothing may mix the two up.
"""

from __future__ import annotations

import hashlib
import io
import sqlite3

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa

from planlib import cli, plans, store
from planlib import schema as S
from planlib.config import CATALOG_PATH, COUNTY
from planlib.errors import PlanlibError
from planlib.intake import META_SHEET, import_files, write_template

from .intake_fixtures import db, fill_template, seeded_store  # noqa: F401

OTHER = "丰都县"
TITLE = "丰都县妇女儿童发展规划（2021—2030年）"


@pytest.fixture
def other_catalog(tmp_path):
    cat = pd.read_csv(CATALOG_PATH, dtype=str, keep_default_na=False)
    cat.loc[cat[S.INDICATOR_ID] == "C21", S.TARGET_TEXT] = "≥ 98"
    cat.loc[cat[S.INDICATOR_ID] == "W04", S.TARGET_YEAR] = "2028"
    own = cat[cat[S.INDICATOR_ID] == "C21"].assign(**{S.INDICATOR_ID: "FX01", S.NAME_ZH: "丰都县自设指标（%）",
                                                     S.NUMBER: "99"})
    cat = pd.concat([cat[cat[S.INDICATOR_ID] != "C27"], own], ignore_index=True)
    path = tmp_path / "fengdu_catalog.csv"
    cat.to_csv(path, index=False)
    return path


@pytest.fixture
def two_plans(db, other_catalog):  # noqa: F811
    assert cli.main(["plan", "add", "--region", OTHER, "--catalog", str(other_catalog), "--title", TITLE,
                     "--db", str(db)]) == 0
    return db


def _csv(tmp_path, name: str, rows: list[tuple]) -> str:
    path = tmp_path / name
    lines = ["indicator_id,region,year,value,source,note"] + [",".join(map(str, r)) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _target(catalog: pd.DataFrame, iid: str, col: str = S.TARGET_TEXT):
    return catalog.set_index(S.INDICATOR_ID).loc[iid, col]


# --- registering and listing --------------------------------------------------------------------

def test_registering_a_plan_makes_the_dashboard_build_stale(db, other_catalog):  # noqa: F811
    """A new member changes the city view: the build's stamp of the store moves on."""
    from planlib.apps import edition as E

    before = E.source_stamp(db)
    assert E.source_stamp(db) == before
    plans.add_plan(OTHER, other_catalog, title=TITLE, db=db)
    after = E.source_stamp(db)
    assert after != before
    plans.add_plan(OTHER, other_catalog, title="另一个名称", db=db, replace=True)
    assert E.source_stamp(db) != after


def test_plan_list_shows_both_plans(two_plans, capsys):
    frame = plans.list_plans(two_plans)
    assert frame["region"].tolist() == [OTHER, COUNTY]
    assert frame.set_index("region").loc[OTHER, ["title", "n_indicators", "source"]].tolist() == [
        TITLE, 90, "fengdu_catalog.csv"]
    assert frame.set_index("region").loc[COUNTY, "source"] == "catalog.csv"
    capsys.readouterr()
    assert cli.main(["plan", "list", "--db", str(two_plans), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert OTHER in out and TITLE in out and "indicators" in out and COUNTY in out


def test_each_region_gets_its_own_targets(two_plans):
    home, other = plans.catalog_for(None, two_plans), plans.catalog_for(OTHER, two_plans)
    assert (_target(home, "C21"), _target(other, "C21")) == ("≥ 96", "≥ 98")
    assert (_target(home, "W04", S.TARGET_YEAR), _target(other, "W04", S.TARGET_YEAR)) == (2030, 2028)
    assert "C27" in set(home[S.INDICATOR_ID]) and "C27" not in set(other[S.INDICATOR_ID])
    assert list(other.columns) == list(home.columns) and other[S.TARGET_YEAR].dtype == home[S.TARGET_YEAR].dtype
    assert plans.known_regions(two_plans) == (COUNTY, "全国", "重庆市", OTHER)


def test_the_stored_plan_is_the_file_as_validated(two_plans, other_catalog):
    row = store.read_plans(two_plans).set_index("region").loc[OTHER]
    assert row["catalog_csv"] == other_catalog.read_text(encoding="utf-8")
    assert row["source_sha256"] == hashlib.sha256(other_catalog.read_bytes()).hexdigest()


def test_readding_a_plan_is_refused_unless_replace(two_plans, other_catalog, capsys):
    before = store.read_plans(two_plans)
    assert cli.main(["plan", "add", "--region", OTHER, "--catalog", str(CATALOG_PATH), "--db", str(two_plans),
                     "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "already holds a plan for 丰都县" in err and "--replace" in err
    pd.testing.assert_frame_equal(store.read_plans(two_plans), before)
    with pytest.raises(PlanlibError) as exc:
        plans.add_plan(OTHER, CATALOG_PATH, db=two_plans)
    assert "已登记丰都县的规划" in exc.value.problems[0].message_zh and "--replace" in exc.value.problems[0].fix_zh
    assert cli.main(["plan", "add", "--region", OTHER, "--catalog", str(CATALOG_PATH), "--replace",
                     "--db", str(two_plans), "--lang", "en"]) == 0
    assert "replaced: 90 indicators" in capsys.readouterr().out
    assert _target(plans.catalog_for(OTHER, two_plans), "C21") == "≥ 96"


def test_a_bad_catalogue_is_refused_with_its_row(db, tmp_path):  # noqa: F811
    bad = tmp_path / "bad.csv"
    cat = pd.read_csv(CATALOG_PATH, dtype=str, keep_default_na=False)
    cat.loc[5, S.TARGET_YEAR] = "二〇三〇"
    cat.to_csv(bad, index=False)
    with pytest.raises(PlanlibError) as exc:
        plans.add_plan(OTHER, bad, db=db)
    assert (exc.value.problems[0].row, exc.value.problems[0].column) == (7, S.TARGET_YEAR)
    assert store.read_plans(db).empty


def test_unknown_and_reference_regions_are_named(two_plans, other_catalog, tmp_path, capsys):
    with pytest.raises(PlanlibError) as exc:
        plans.catalog_for("丰都", two_plans)
    p = exc.value.problems[0]
    assert "no plan for the region '丰都'" in p.message_en and "石柱县, 丰都县" in p.fix_en
    assert "没有地区“丰都”的规划" in p.message_zh and "石柱县、丰都县" in p.fix_zh
    for argv in (["template", "--unit", "县教委", "--year", "2024", "--output", str(tmp_path / "x.xlsx")],
                 ["assess"], ["report", "--year", "2024", "--output", str(tmp_path / "r")],
                 ["export"], ["import", _csv(tmp_path, "a.csv", [("C21", "", 2024, 97, "县教委", "")])]):
        assert cli.main([*argv, "--region", "丰都", "--db", str(two_plans), "--lang", "en"]) == 2, argv
        assert "no plan for the region '丰都'" in capsys.readouterr().err
    with pytest.raises(PlanlibError, match="reference region"):
        plans.add_plan("全国", other_catalog, db=two_plans)
    assert not (tmp_path / "x.xlsx").exists() and not (tmp_path / "r").exists()


# --- templates and import -----------------------------------------------------------------------

def _template_cells(path, sheet: str) -> dict[str, list]:
    ws = openpyxl.load_workbook(path)[sheet]
    return {row[0]: list(row) for row in ws.iter_rows(min_row=4, values_only=True) if row[0]}


def test_a_template_lists_its_regions_targets_and_records_the_region(two_plans, tmp_path):
    path = write_template("all", 2024, tmp_path / "fd.xlsx", db=two_plans, region=OTHER)
    wb = openpyxl.load_workbook(path)
    meta = {r[0]: r[1] for r in wb[META_SHEET].iter_rows(values_only=True)}
    assert meta["region"] == OTHER
    education, health = _template_cells(path, "县教委"), _template_cells(path, "县卫生健康委")
    assert education["C21"][3] == "≥ 98" and "FX01" in education
    assert health["W04"][3] == "≥ 92（2028年）"
    assert "C27" not in _template_cells(path, "县残联")
    assert wb["县教委"]["A1"].value.startswith(OTHER)
    home = write_template("县教委", 2024, tmp_path / "sz.xlsx", db=two_plans)
    assert _template_cells(home, "县教委")["C21"][3] == "≥ 96"
    assert {r[0]: r[1] for r in openpyxl.load_workbook(home)[META_SHEET].iter_rows(values_only=True)}["region"] == COUNTY


def test_a_filled_template_lands_under_its_region(two_plans, tmp_path):
    blank = write_template("县教委", 2024, tmp_path / "fd.xlsx", db=two_plans, region=OTHER)
    filled = fill_template(blank, {"C21": 97.1, "FX01": 50})
    result = import_files([filled], db=two_plans)
    assert result.ok, result.summary("en")
    obs = store.read_observations(two_plans)
    mine = obs[obs[S.YEAR] == 2024].set_index([S.INDICATOR_ID, S.REGION])[S.VALUE]
    assert mine[("C21", OTHER)] == 97.1 and mine[("FX01", OTHER)] == 50
    assert ("C21", COUNTY) not in mine.index or mine[("C21", COUNTY)] != 97.1


def test_a_csv_rows_region_decides_which_plan_checks_it(two_plans, tmp_path):
    ok = _csv(tmp_path, "ok.csv", [("FX01", OTHER, 2023, 40, "县教委", ""), ("C27", COUNTY, 2023, 90, "县残联", "")])
    result = import_files([ok], db=two_plans)
    assert result.ok, result.summary("en")
    bad = _csv(tmp_path, "bad.csv", [("C27", OTHER, 2023, 90, "县残联", ""), ("FX01", COUNTY, 2023, 40, "县教委", ""),
                                     ("C21", "丰都", 2023, 97, "县教委", "")])
    result = import_files([bad], db=two_plans)
    errors = {(p.row, p.column): p for p in result.problems if p.severity == "error"}
    assert set(errors) == {(2, "indicator_id"), (3, "indicator_id"), (4, "region")}
    assert "丰都县" in errors[(4, "region")].fix_zh  # the known regions include the registered plan's
    # --region: the region of rows that name none
    empty = _csv(tmp_path, "empty.csv", [("FX01", "", 2022, 30, "县教委", "")])
    assert not import_files([empty], db=two_plans).ok  # the county's plan has no FX01
    assert import_files([empty], db=two_plans, region=OTHER).ok
    obs = store.read_observations(two_plans)
    assert obs[(obs[S.INDICATOR_ID] == "FX01")][[S.REGION, S.YEAR]].values.tolist() == [[OTHER, 2022], [OTHER, 2023]]


# --- assess, report, export ---------------------------------------------------------------------

@pytest.fixture
def same_values(two_plans, tmp_path):
    """The same C21 series (96.5 ... 96.9, 2020-2024) in both regions."""
    rows = [("C21", region, year, 96.5 + 0.1 * (year - 2020), "县教委", "核实")
            for region in (COUNTY, OTHER) for year in range(2020, 2025)]
    result = import_files([_csv(tmp_path, "c21.csv", rows)], db=two_plans)
    assert result.ok, result.summary("en")
    return two_plans


def _assess(db, capsys, *region) -> pd.DataFrame:  # noqa: F811
    capsys.readouterr()
    assert cli.main(["assess", "--format", "csv", "--db", str(db), *region]) == 0
    return pd.read_csv(io.StringIO(capsys.readouterr().out))


def test_assess_judges_each_region_against_its_own_plan(same_values, capsys):
    home = _assess(same_values, capsys).set_index([S.INDICATOR_ID, S.REGION])
    other = _assess(same_values, capsys, "--region", OTHER).set_index([S.INDICATOR_ID, S.REGION])
    # the same values: 96.9 meets ≥ 96 (石柱县) but not ≥ 98 (丰都县), which the trend misses by 2030
    assert home.loc[("C21", COUNTY), S.ASSESSMENT_STATUS] == S.ACHIEVED
    assert other.loc[("C21", OTHER), S.ASSESSMENT_STATUS] == S.OFF_TRACK
    assert home.loc[("C21", COUNTY), S.P_MEET] > 0.5 > 0.25 > other.loc[("C21", OTHER), S.P_MEET]


def test_a_report_names_its_region_and_its_targets(same_values):
    from planlib.report import build, content
    from planlib.report import tables as T

    data = build.load(content.ReportOptions(2024, region=OTHER, plan_title=plans.title_of(OTHER, same_values)),
                      same_values)
    assert content.title(data).startswith(f"{OTHER}：{TITLE}")
    table = data.table.set_index(S.INDICATOR_ID)
    assert table.loc["C21", T.TARGET] == "≥ 98" and table.loc["W04", S.TARGET_YEAR] == 2028
    assert table.loc["C21", T.LATEST_VALUE] == pytest.approx(96.9) and table.loc["C21", T.STATUS] == S.OFF_TRACK
    assert "FX01" in table.index and "C27" not in table.index
    assert set(data.observations[S.REGION]) <= {OTHER, "全国", "重庆市"}
    home = build.load(content.ReportOptions(2024), same_values)
    assert content.title(home).startswith("石柱县妇女发展规划") and OTHER not in set(home.observations[S.REGION])
    assert home.table.set_index(S.INDICATOR_ID).loc["C21", T.TARGET] == "≥ 96"



def test_a_region_with_little_data_is_the_subject_of_its_own_assessment(two_plans, same_values, capsys):
    """丰都县 has one series and 全国 about twenty: 丰都县 still gets a row for every indicator of its
    plan, and nothing of 全国's is told as 丰都县's (its urgent list, its date, its report)."""
    from planlib.apps.model import Model
    from planlib.city import assess_members
    from planlib.observations import load_observations
    from planlib.report import build, content
    from planlib.report import tables as T

    catalog = plans.catalog_for(OTHER, same_values)
    ids = set(catalog[S.INDICATOR_ID])
    other = _assess(same_values, capsys, "--region", OTHER)
    mine = other[other[S.REGION] == OTHER].set_index(S.INDICATOR_ID)
    assert set(mine.index) == ids and mine.loc["W03", S.ASSESSMENT_STATUS] == S.INSUFFICIENT_DATA
    assert len(other[other[S.REGION] == "全国"]) < len(ids)  # 全国: only its series with data
    # a reference region's row is a comparison against this plan's target, and says so
    national = other[other[S.REGION] == "全国"]
    assert national["explanation_zh"].str.startswith("全国为对照地区，按本规划的目标衡量").all()
    assert national["explanation_en"].str.startswith("China (national), a comparison region").all()
    assert not mine["explanation_zh"].str.contains("对照地区").any()
    capsys.readouterr()
    assert cli.main(["assess", "--db", str(same_values), "--region", OTHER]) == 0
    text = capsys.readouterr().out
    # 全国's W03 is off track against this plan's < 8; 丰都县 has no W03 data: not in its urgent list
    assert text.splitlines()[:2] == ["规划指标达标评估（数据截至2024年）", "约束性指标中存在风险或难以达标的：1项"]
    assert "C21" in text.splitlines()[2] and text.splitlines()[5] == f"【{OTHER}】"
    observations = plans.rows_of(load_observations(catalog=catalog, db=same_values), OTHER)
    for result in (Model(catalog, observations, OTHER).assessment(2024),
                   assess_members({OTHER: catalog}, observations, 2024)):
        assert set(result[result[S.REGION] == OTHER][S.INDICATOR_ID]) == ids
    data = build.load(content.ReportOptions(2024, region=OTHER), same_values)
    assert data.table.set_index(S.INDICATOR_ID).loc["W03", T.STATUS] == S.INSUFFICIENT_DATA


def test_a_plan_without_any_data_yet_is_assessed_as_its_own(two_plans, capsys):
    result = _assess(two_plans, capsys, "--region", OTHER)
    mine = result[result[S.REGION] == OTHER]
    assert len(mine) == len(plans.catalog_for(OTHER, two_plans))
    assert set(mine[S.ASSESSMENT_STATUS]) <= {S.INSUFFICIENT_DATA, S.NOT_ASSESSABLE}

@pytest.mark.slow
def test_report_region_writes_the_regions_report(same_values, tmp_path):
    out = tmp_path / "r"
    assert cli.main(["report", "--year", "2024", "--region", OTHER, "--output", str(out), "--db",
                     str(same_values)]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert f"{OTHER}：{TITLE}" in html and "≥ 98" in html


def test_export_region_filters(same_values, tmp_path):
    out = tmp_path / "fd.csv"
    assert cli.main(["export", "--region", OTHER, "--output", str(out), "--db", str(same_values)]) == 0
    frame = pd.read_csv(out)
    assert set(frame[S.REGION]) == {OTHER} and sorted(frame[S.YEAR]) == list(range(2020, 2025))
    everything = pd.read_csv(io.StringIO(store.export_csv(same_values)))
    assert {COUNTY, OTHER, "全国"} <= set(everything[S.REGION])


# --- the schema: upgrade from v2, copy ----------------------------------------------------------

def _make_version_2(path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript("DROP TABLE plans; UPDATE schema_version SET version = 2 WHERE version = 3;")
    conn.close()


def test_a_plan_survives_upgrade_from_v2_and_copy(db, other_catalog, tmp_path, capsys):  # noqa: F811
    _make_version_2(db)
    with pytest.raises(PlanlibError, match="older schema"):
        plans.catalog_for(OTHER, db)
    assert cli.main(["db", "upgrade", "--db", str(db), "--lang", "en"]) == 0
    assert "upgraded from schema version 2 to 3" in capsys.readouterr().out
    with store._reader(db) as conn:
        assert conn.execute(sa.select(store.VERSIONS.c.version)).scalars().all() == [2, 3]
    plans.add_plan(OTHER, other_catalog, title=TITLE, db=db)
    copy = tmp_path / "copy.sqlite"
    assert cli.main(["db", "copy", "--from", str(db), "--to", str(copy)]) == 0
    pd.testing.assert_frame_equal(store.read_plans(copy), store.read_plans(db))
    assert _target(plans.catalog_for(OTHER, copy), "C21") == "≥ 98"


# --- PostgreSQL -----------------------------------------------------------------------------------

def test_plans_on_postgresql(pg_url, db, other_catalog, tmp_path, capsys):  # noqa: F811
    assert cli.main(["db", "upgrade", "--db", pg_url]) == 0
    assert cli.main(["plan", "add", "--region", OTHER, "--catalog", str(other_catalog), "--title", TITLE,
                     "--db", pg_url]) == 0
    assert cli.main(["plan", "add", "--region", OTHER, "--catalog", str(other_catalog), "--db", pg_url]) == 2
    from planlib.apps import edition as E

    assert E.source_stamp(pg_url).startswith("store:")
    assert store.change_stamp(pg_url)[-1][0][0] == OTHER  # the plans are part of the server's stamp
    assert plans.list_plans(pg_url)["region"].tolist() == [OTHER, COUNTY]
    assert _target(plans.catalog_for(OTHER, pg_url), "C21") == "≥ 98"
    assert _target(plans.catalog_for(None, pg_url), "C21") == "≥ 96"
    plans.add_plan(OTHER, other_catalog, title=TITLE, db=db)  # the same plan in a file store
    pd.testing.assert_frame_equal(plans.catalog_for(OTHER, pg_url), plans.catalog_for(OTHER, db))
    # and a plan travels from a file store to the server and back with db copy
    back = tmp_path / "back.sqlite"
    assert cli.main(["db", "copy", "--from", pg_url, "--to", str(back)]) == 0
    pd.testing.assert_frame_equal(store.read_plans(back), store.read_plans(pg_url))
    blank = write_template("县教委", 2024, tmp_path / "pg.xlsx", db=pg_url, region=OTHER)
    result = import_files([fill_template(blank, {"C21": 97.3})], db=pg_url)
    assert result.ok, result.summary("en")
    obs = store.read_observations(pg_url)
    assert obs[(obs[S.INDICATOR_ID] == "C21") & (obs[S.YEAR] == 2024) & (obs[S.REGION] == OTHER)][S.VALUE].tolist() == [97.3]
