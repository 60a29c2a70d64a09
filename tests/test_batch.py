"""planlib.batch and ``planlib assess --all-regions``: many regions, each assessed alone, the same
result in process, on a local process pool and on a Dask cluster."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from planlib import batch, config, store
from planlib.assessment import assess, format_assessment
from planlib.catalog import load_catalog
from planlib.cli import main
from planlib.demo import DemoConfig, build_demo
from planlib.errors import PlanlibError, Problem
from planlib.observations import load_shipped_observations

#: A few indicators of every kind of target: 逐年, a rate of events, thresholds, 左右, relative
#: (W21 against W20), 趋于平衡, qualitative; small, so that three ways of running stay quick.
IDS = ["W01", "W03", "W04", "W15", "W20", "W21", "W41", "C02", "C21", "W13"]
JIA, YI = "甲县", "乙县"  # the demo recipe with two seeds: the same indicators, different data


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("province")
    raw = pd.read_csv(config.CATALOG_PATH, dtype=str, keep_default_na=False)
    catalog_file = tmp / "catalog.csv"
    raw[raw["indicator_id"].isin(IDS)].to_csv(catalog_file, index=False)
    shipped = load_shipped_observations()
    frames = [build_demo(options=DemoConfig(seed=seed)).assign(region=region)
              for region, seed in ((JIA, 1), (YI, 2))]
    frames.append(shipped[shipped["region"] == config.NATIONAL])  # a reference region: not assessed
    obs = pd.concat(frames, ignore_index=True)
    obs = obs[obs["indicator_id"].isin(IDS)].reset_index(drop=True)
    db = tmp / "m.sqlite"
    store.create_store(db, obs)
    catalog = load_catalog(catalog_file)
    everything = store.read_observations(db)
    alone = {r: assess(catalog, everything[everything["region"] == r]) for r in (JIA, YI)}
    return {"db": db, "catalog_file": catalog_file, "catalog": catalog, "alone": alone, "obs": obs}


def _run(province: dict, **how) -> list[batch.RegionResult]:
    catalog = province["catalog"]
    return list(batch.assess_regions(batch.regions_to_assess(province["db"]), lambda region: catalog,
                                     batch.store_loader(province["db"]), **how))


def _assert_alone(results: list[batch.RegionResult], province: dict) -> None:
    assert [r.region for r in results] == [YI, JIA]  # code-point order; 全国 left out
    for r in results:
        pd.testing.assert_frame_equal(r.result, province["alone"][r.region])
        assert r.demo  # the demo recipe: every value is source = demo


def test_store_lists_regions_and_reads_one_alone(province):
    db = province["db"]
    assert store.list_regions(db) == [YI, config.NATIONAL, JIA]
    assert batch.regions_to_assess(db) == [YI, JIA]
    everything = store.read_observations(db)
    one = store.read_observations(db, regions=[JIA])
    assert set(one["region"]) == {JIA} and len(one) == (everything["region"] == JIA).sum() > 0
    pd.testing.assert_frame_equal(one, everything[everything["region"] == JIA].reset_index(drop=True))


def test_regions_differ_and_each_has_every_indicator(province):
    jia, yi = province["alone"][JIA], province["alone"][YI]
    assert sorted(jia["indicator_id"]) == sorted(IDS) == sorted(yi["indicator_id"])
    assert set(jia["region"]) == {JIA} and set(yi["region"]) == {YI}
    assert jia.set_index("indicator_id").at["W13", "status"] == "not_assessable"
    merged = jia.merge(yi, on="indicator_id", suffixes=("_jia", "_yi"))
    assert (merged["latest_value_jia"] != merged["latest_value_yi"]).sum() >= 5  # really other data


@pytest.mark.slow
def test_serial_pool_and_local_cluster_give_the_frames_of_each_region_alone(province):
    from distributed import LocalCluster

    _assert_alone(_run(province, workers=1), province)
    _assert_alone(_run(province, workers=2), province)
    # worker processes, as on a real cluster (tasks and results pickled): about 2 s to start,
    # against 0.1 s for processes=False, which would run the tasks in threads of this process
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        _assert_alone(_run(province, scheduler=cluster.scheduler_address), province)


@pytest.mark.slow
def test_cli_writes_one_csv_with_the_region_column(province, tmp_path, capsys):
    out = tmp_path / "all.csv"
    code = main(["assess", "--all-regions", "--db", str(province["db"]), "--catalog",
                 str(province["catalog_file"]), "--format", "csv", "--output", str(out), "--workers", "2"])
    assert code == 0
    whole = pd.concat([province["alone"][YI], province["alone"][JIA]], ignore_index=True)
    assert out.read_text(encoding="utf-8") == format_assessment(whole, "csv")
    written = pd.read_csv(out)
    assert written["region"].tolist() == [YI] * len(IDS) + [JIA] * len(IDS)
    err = capsys.readouterr().err
    assert err.count("示例数据（非官方统计）") == 1 and "已评估 2 个区域" in err


def test_streamed_json_and_table_match_the_whole(province):
    parts = [batch.RegionResult(r, province["alone"][r], demo=r == JIA) for r in (YI, JIA)]
    whole = pd.concat([p.result for p in parts], ignore_index=True)
    text = "".join(batch.stream_text(parts, "json"))
    assert text == format_assessment(whole, "json")
    assert pd.read_json(io.StringIO(text))["region"].tolist() == [YI] * len(IDS) + [JIA] * len(IDS)
    table = "".join(batch.stream_text(parts, "table", "en", lambda region: province["catalog"]))
    assert table.index("[乙县]") < table.index("[甲县]")
    assert table.count("Illustrative data (not official statistics)") == 1  # 甲县's block only


class FailingLoader(batch.StoreLoader):
    """Reads the store, but one region's data are refused (as a bad value would be)."""

    def __call__(self, region: str) -> pd.DataFrame:
        if region == JIA:
            raise PlanlibError(Problem("W04 的数值不是数字", "W04's value is not a number", row=7))
        if region == "boom":
            raise ZeroDivisionError("division by zero")
        return super().__call__(region)


@pytest.mark.parametrize("workers", [1, pytest.param(2, marks=pytest.mark.slow)])
def test_an_error_names_its_region_and_leaves_no_half_written_file(province, tmp_path, monkeypatch,
                                                                   capsys, workers):
    out = tmp_path / "all.csv"
    out.write_text("the previous run\n", encoding="utf-8")
    monkeypatch.setattr(batch, "store_loader", lambda db: FailingLoader(str(db)))
    code = main(["assess", "--all-regions", "--db", str(province["db"]), "--catalog",
                 str(province["catalog_file"]), "--format", "csv", "--output", str(out),
                 "--workers", str(workers), "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2
    assert "Assessing region '甲县' failed" in err and "W04's value is not a number" in err
    assert "The output file was not written" in err
    # 乙县 was written before 甲县 failed, into the temporary file: the old file stands, nothing beside it
    assert out.read_text(encoding="utf-8") == "the previous run\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["all.csv"]


@pytest.mark.slow
def test_a_crash_in_a_worker_names_its_region(province):
    loader = FailingLoader(str(province["db"]))
    with pytest.raises(PlanlibError) as caught:
        list(batch.assess_regions([YI, "boom"], lambda region: province["catalog"], loader, workers=2))
    assert caught.value.text("en").startswith("Assessing region 'boom' failed: ZeroDivisionError: division by zero")


def test_all_regions_refuses_an_observations_file(province, capsys):
    code = main(["assess", "--all-regions", "--db", str(province["db"]), "--observations", "x.csv",
                 "--lang", "en"])
    assert code == 2 and "cannot be combined with --observations" in capsys.readouterr().err


def test_a_store_with_only_reference_regions_is_refused(tmp_path, capsys):
    shipped = load_shipped_observations()
    db = tmp_path / "ref.sqlite"
    store.create_store(db, shipped[shipped["region"] == config.NATIONAL])
    code = main(["assess", "--all-regions", "--db", str(db), "--format", "csv", "--output",
                 str(tmp_path / "x.csv")])
    err = capsys.readouterr().err
    assert code == 2 and "没有可评估的区域" in err and not (tmp_path / "x.csv").exists()


def test_a_malformed_scheduler_address_is_told_at_once(province):
    with pytest.raises(PlanlibError) as caught:
        _run(province, scheduler="dask-host-without-port")
    text = caught.value.text("en")
    assert text.startswith("Cannot reach the Dask scheduler dask-host-without-port: missing port number")
    assert "tcp://host:port" in text


@pytest.mark.slow
def test_a_server_store_gives_the_same_results(province, pg_url):
    """Workers read their regions from PostgreSQL themselves: the same regions, the same frames."""
    assert store.create_store(pg_url, province["obs"])
    assert store.list_regions(pg_url) == [YI, config.NATIONAL, JIA]
    for workers in (1, 2):
        results = list(batch.assess_regions(batch.regions_to_assess(pg_url), lambda region: province["catalog"],
                                            batch.store_loader(pg_url), workers=workers))
        _assert_alone(results, province)
