"""planlib.reference: the real published values of 重庆市 and 全国 beside the county."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from planlib import charts, config, reference
from planlib import schema as S
from planlib.assessment import assess
from planlib.catalog import load_catalog
from planlib.errors import PlanlibError
from planlib.observations import load_baselines, load_shipped_observations, shipped_reference_observations
from planlib.targets import parse_target

SHARED = config.SHARED_REFERENCE_PATH


@pytest.fixture(scope="module")
def ref():
    return reference.load_reference_values()


@pytest.fixture(scope="module")
def shipped():
    return load_shipped_observations()


@pytest.mark.skipif(not SHARED.exists(), reason=f"{SHARED} (../shared/reference) is not beside this checkout")
def test_shipped_copy_is_what_the_script_makes_from_the_reference_file(tmp_path):
    made = reference.write_reference_values(SHARED, tmp_path / "reference_values.csv")
    assert made.read_bytes() == config.REFERENCE_VALUES_PATH.read_bytes()
    source = pd.read_csv(SHARED, dtype=str, keep_default_na=False)
    assert len(source) == len(reference.load_reference_values()) == 163


def test_counts_by_match_and_region_are_those_of_the_md(ref):
    assert ref.groupby("match").size().to_dict() == {"close": 19, "context": 59, "derived": 17, "exact": 68}
    assert ref.groupby("region").size().to_dict() == {"全国": 49, "石柱县": 56, "重庆市": 58}


def test_every_close_row_has_the_nearest_id_of_the_md_and_it_is_in_the_catalogue(ref):
    close = ref[ref["match"] == "close"]
    assert (close[S.INDICATOR_ID] == "").all() and (close["nearest_id"] != "").all()
    ids = set(load_catalog()[S.INDICATOR_ID])
    assert {i for cell in ref["nearest_id"] if cell for i in cell.split("/")} <= ids
    cq = close[close["region"] == "重庆市"].set_index("measure_zh")["nearest_id"]
    assert cq["妇女常见病筛查率"] == "W05/W05b" and cq["市人大代表女性占比"] == "W22"


def test_derived_rows_keep_the_arithmetic_and_the_quoted_sentence(ref):
    row = ref[(ref["region"] == "全国") & (ref[S.INDICATOR_ID] == "W01") & (ref[S.YEAR] == 2021)].iloc[0]
    assert row["match"] == "derived" and row["value"] == 70.9
    assert row["derivation"] == "74.8 − 3.9 = 70.9"
    assert row["quote"].startswith("2022年,婚前醫學檢查率為74.8%") and "derived" not in row["quote"]
    assert (ref.loc[ref["match"] == "derived", "derivation"] != "").all()
    assert (ref.loc[ref["match"] != "derived", "derivation"] == "").all()


def test_exact_and_derived_city_and_national_rows_become_observations(shipped):
    city = shipped[shipped[S.REGION] == config.PARENT_CITY].set_index([S.INDICATOR_ID, S.YEAR])
    assert len(city) == 27
    assert city.loc[("C02", 2022), S.VALUE] == 2.62 and city.loc[("C02", 2022), S.CONFIRMATION] == "confirmed"
    assert city.loc[("C02", 2021), S.VALUE] == 2.82 and city.loc[("C02", 2021), S.CONFIRMATION] == "derived"
    assert "2.62 + 0.20 = 2.82" in city.loc[("C02", 2021), S.NOTE]
    assert city.loc[("W03", 2016), S.VALUE] == 13.1
    assert city.loc[("C02", 2022), S.SOURCE].startswith("重庆日报")
    assert "https://zgcxtc.cn/news/260366.html" in city.loc[("C02", 2022), S.NOTE]
    national = shipped[shipped[S.REGION] == config.NATIONAL].set_index([S.INDICATOR_ID, S.YEAR])
    assert national.loc[("W41", 2010), S.VALUE] == 117.94 and national.loc[("C19", 2020), S.VALUE] == 85.2
    assert national.loc[("C12", 2020), S.CONFIRMATION] == "derived"
    assert set(shipped.loc[shipped[S.REGION] == config.PARENT_CITY, S.STATUS]) == {"reported"}
    assert not (shipped[S.REGION].isin(config.REFERENCE_REGIONS) & (shipped[S.SOURCE] == S.DEMO_SOURCE)).any()


def test_the_national_series_wins_over_a_reference_row_of_the_same_year():
    national = pd.DataFrame({S.INDICATOR_ID: ["C02"], S.REGION: ["全国"], S.YEAR: [2020], S.VALUE: [5.4]})
    ref = pd.DataFrame({"region": ["全国", "全国"], S.INDICATOR_ID: ["C02", "C02"], "nearest_id": ["C02"] * 2,
                        "measure_zh": ["婴儿死亡率"] * 2, S.YEAR: [2020, 2021], S.VALUE: [5.6, 5.0],
                        S.UNIT: ["‰"] * 2, S.SOURCE: ["x", "y"], "url": ["u", "v"], "quote": ["q", "r"],
                        "match": ["exact"] * 2, "derivation": [""] * 2})
    out = reference.reference_observations(ref, national)
    assert out[[S.YEAR, S.VALUE]].values.tolist() == [[2021, 5.0]]
    assert len(reference.reference_observations(ref)) == 2


def test_no_reference_row_repeats_a_national_csv_year(shipped):
    assert not shipped.duplicated([S.INDICATOR_ID, S.REGION, S.YEAR]).any()
    assert len(shipped_reference_observations()) == 72


def test_county_rows_agree_with_the_plan_baselines(ref):
    both = reference.county_agreement(ref, load_baselines())
    assert both[[S.INDICATOR_ID, S.YEAR, "reference_value", "baseline_value"]].values.tolist() == [
        ["C02", 2020, 1.5, 1.5], ["C19", 2020, 89.0, 89.0], ["W04", 2020, 91.5, 91.5],
        ["W11", 2010, 96.9, 96.9], ["W11", 2020, 100.0, 100.0], ["W12", 2010, 80.1, 80.1],
        ["W12", 2020, 90.9, 90.9], ["W14", 2010, 8.0, 8.0], ["W14", 2020, 12.6, 12.6],
        ["W15", 2020, 40.8, 40.8]]
    assert both["agrees"].all()


def test_a_disagreement_with_the_baselines_is_found():
    ref = pd.DataFrame({"region": ["石柱县"], S.INDICATOR_ID: ["W04"], S.YEAR: [2020], S.VALUE: [90.5],
                        "match": ["exact"]})
    assert reference.county_agreement(ref, load_baselines())["agrees"].tolist() == [False]


def test_county_reference_rows_are_not_loaded_twice(shipped):
    county = shipped[(shipped[S.REGION] == config.COUNTY) & (shipped[S.SOURCE] != S.DEMO_SOURCE)]
    assert len(county) == 15  # the plans' baselines only


def test_context_rows_are_labelled_and_never_observations(ref, shipped):
    ctx = reference.context_for(ref, "C20")
    assert set(ctx["match"]) == {"close", "derived"} and (ctx[S.INDICATOR_ID] == "").all()
    values = set(zip(ctx["region"], ctx[S.YEAR]))
    c20 = shipped[shipped[S.INDICATOR_ID] == "C20"]
    assert not values & set(zip(c20[S.REGION], c20[S.YEAR]))
    close = ref[ref["match"].isin(["close", "context"])]
    keys = set(zip(shipped[S.REGION], shipped[S.YEAR], shipped[S.VALUE]))
    leaked = [r for r in close.to_dict("records")
              if r["region"] != config.COUNTY and (r["region"], r[S.YEAR], r[S.VALUE]) in keys]
    assert leaked == []
    line = reference.context_lines(reference.context_for(ref, "W14"), "zh")[0]
    assert line.startswith("重庆市 2016年：9.76年（相近口径：全市平均受教育年限") and "来源：" in line


def test_no_context_value_reaches_assess_or_the_chart(ref, shipped):
    cat = load_catalog()
    c20 = shipped[shipped[S.INDICATOR_ID] == "C20"]
    rows = assess(cat[cat[S.INDICATOR_ID] == "C20"], c20, as_of=2024)
    assert set(rows[S.REGION]) == {config.COUNTY}  # 重庆市's 普惠性幼儿园覆盖率 is context: not assessed
    chart = charts.indicator_chart(c20.reset_index(drop=True), pd.DataFrame(columns=S.PROJECTION_COLUMNS),
                                   parse_target("≥ 85"), charts.ChartText("C20", "≥ 85"))
    drawn = {row.get("value") for rows in chart.to_dict()["datasets"].values() for row in rows}
    assert not {93.15, 93.99, 95.2, 76.0} & drawn


def test_the_chart_draws_the_city_beside_the_county_and_the_nation(shipped):
    c02 = shipped[shipped[S.INDICATOR_ID] == "C02"].reset_index(drop=True)
    layers = charts.observed_layers(c02, "en")
    city = [l for l in layers if any(r.get("region") == "重庆市" for r in l.data["values"])]
    assert [l.mark.type for l in city] == ["line", "point"] and city[1].mark.shape == "square"
    row = next(r for r in city[1].data["values"] if r["year"] == 2022)
    assert row["series"] == "Chongqing (city)" and row["source_label"].startswith("重庆日报")
    tips = [t["field"] for t in city[1].to_dict()["encoding"]["tooltip"]]
    assert "source_label" in tips and "confirmation_label" in tips
    spec = charts.indicator_chart(c02, pd.DataFrame(columns=S.PROJECTION_COLUMNS), parse_target("< 5"),
                                  charts.ChartText("C02", "< 5", lang="en")).to_dict()
    scale = next(l["encoding"]["color"]["scale"] for l in spec["layer"] if "color" in l.get("encoding", {}))
    colours = dict(zip(scale["domain"], scale["range"]))
    assert colours["Chongqing (city)"] == "#E69F00" and colours["China (national)"] == "#CC79A7"
    assert len({colours["Chongqing (city)"], colours["China (national)"], colours["Shizhu County (observed)"]}) == 3


def test_a_unit_that_differs_from_the_catalogue_is_refused(tmp_path):
    text = ("region,indicator_id,measure_zh,year,value,unit,source,url,quote,match\n"
            "重庆市,C02,婴儿死亡率,2022,0.262,%,重庆日报,http://x,婴儿死亡率0.262%,exact\n"
            "重庆市,C02,婴儿死亡率,2021,2.8,‰,重庆日报,http://x,no arithmetic,derived\n"
            "重庆市,C07,接种率,2022,99,%,重庆日报,http://x,99%以上,close\n")
    path = tmp_path / "ref.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanlibError) as exc:
        reference.build_reference_values(path)
    found = [(p.file, p.row, p.column) for p in exc.value.problems]
    assert found == [("ref.csv", 2, "unit"), ("ref.csv", 3, "quote"), ("ref.csv", 4, "indicator_id")]
    assert "‰" in exc.value.problems[0].message_zh and "‰" in exc.value.problems[0].message_en


def test_the_shipped_file_is_valid_csv_with_the_documented_columns():
    head = config.REFERENCE_VALUES_PATH.read_text(encoding="utf-8").splitlines()[0]
    assert head.split(",") == reference.COLUMNS
    frame = pd.read_csv(io.StringIO(config.REFERENCE_VALUES_PATH.read_text(encoding="utf-8")), dtype=str)
    assert set(frame["match"]) == set(reference.MATCHES)


def test_the_report_section_shows_reference_values_and_context_with_sources():
    import docx

    from planlib.report import docx as D
    from planlib.report import html as H
    from planlib.report.build import prepare
    from planlib.report.content import ReportOptions

    from .report_fixtures import observations, small_catalog

    data = prepare(ReportOptions(2024), small_catalog(), observations())
    text = H.render_html(data, {})
    w03 = text[text.index('id="W03"'):].split("</article>")[0]
    assert "参考地区：全国 2021年 16.1/10万（来源：国家卫生健康委）" in w03
    assert "相关背景数据（不是本指标口径）" in w03 and "孕产妇零死亡(近两年)" in w03
    c02 = text[text.index('id="C02"'):].split("</article>")[0]
    assert "相关背景数据" not in c02  # C02 has no close or context row
    paragraphs = [p.text for p in docx.Document(io.BytesIO(D.render_docx(data, {}))).paragraphs]
    assert "参考地区：全国 2021年 16.1/10万（来源：国家卫生健康委）" in paragraphs
    assert "相关背景数据（不是本指标口径）" in paragraphs


def test_the_explorer_detail_shows_context_with_its_source():
    from planlib.apps.content import info_html

    cat = load_catalog().set_index(S.INDICATOR_ID)
    w14 = {S.INDICATOR_ID: "W14", **cat.loc["W14"].to_dict()}
    text = info_html(w14, None, "zh", reference.shipped_context("W14"))
    assert "相关背景数据（不是本指标口径）" in text and "重庆市 2016年：9.76年" in text
    assert "来源：重庆市妇联2018年“三八”发布" in text
    assert "相关背景数据" not in info_html(w14, None, "zh", reference.shipped_context("C02"))


def test_two_baselines_the_reference_file_calls_close_are_listed_and_agree_in_value(ref):
    """baselines.csv makes W03 2019/2020 = 0 and C21 2020 = 100 observations; shizhu_real.md calls
    the same sentences close ("近两年", "义务教育阶段入学巩固率"). Reported, not changed here."""
    close = ref[(ref["region"] == config.COUNTY) & (ref["match"] == "close")
                & ref["nearest_id"].isin(["W03", "C21"])]
    base = load_baselines()
    base = base[(base[S.INDICATOR_ID].isin(["W03", "C21"]))].drop_duplicates([S.INDICATOR_ID, S.YEAR])
    assert close[["nearest_id", S.YEAR, S.VALUE]].values.tolist() == [["W03", 2020, 0.0], ["C21", 2020, 100.0]]
    assert base[[S.INDICATOR_ID, S.YEAR, S.VALUE]].values.tolist() == [
        ["W03", 2019, 0.0], ["W03", 2020, 0.0], ["C21", 2020, 100.0]]
