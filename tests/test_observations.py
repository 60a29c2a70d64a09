"""The tidy observation format: loading, validation, the national reference series, the demo label."""

import io
import sys
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import planlib
from planlib import config
from planlib import schema as S
from planlib.errors import PlanlibError
from planlib.observations import (PLAN_SOURCES, REFERENCE_INDICATORS, demo_label, is_demo, load_national_targets,
                                  load_observations, load_shipped_observations, national_observations,
                                  national_targets, validate_observations)

REFERENCE = config.ROOT.parent / "shared" / "reference"
NO_STORE = "/nonexistent/monitoring.sqlite"


@pytest.fixture(scope="module")
def shipped(catalog):
    return load_shipped_observations(catalog)


def _frame(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def _problems(text: str, catalog) -> list[tuple]:
    with pytest.raises(PlanlibError) as exc:
        validate_observations(_frame(text), catalog, file="obs.csv")
    assert all(p.file == "obs.csv" for p in exc.value.problems)
    return [(p.row, p.column, p.value) for p in exc.value.problems]


def test_a_good_file_is_typed_with_defaults(tmp_path, catalog):
    path = tmp_path / "obs.csv"
    path.write_text("\ufeffindicator_id,year,value,numerator,denominator\n"
                    "C02,2023,1.75,7,4000\nW04,2023,92.4,,\n", encoding="utf-8")
    obs = load_observations(path, catalog=catalog)
    assert list(obs.columns) == S.OBS_COLUMNS
    assert obs[[S.INDICATOR_ID, S.REGION, S.YEAR, S.VALUE]].values.tolist() == [
        ["C02", "石柱县", 2023, 1.75], ["W04", "石柱县", 2023, 92.4]]
    assert obs[S.NUMERATOR].tolist()[0] == 7.0 and np.isnan(obs[S.NUMERATOR].iloc[1])
    assert obs[S.YEAR].dtype == "int64" and obs[S.VALUE].dtype == "float64"
    assert obs[S.SOURCE].isna().all() and obs[S.STATUS].isna().all()


def test_an_excel_file_reads_the_same(tmp_path, catalog):
    path = tmp_path / "obs.xlsx"
    pd.DataFrame({"indicator_id": ["C19"], "region": ["石柱县"], "year": [2022], "value": [91.0],
                  "status": ["provisional"]}).to_excel(path, index=False)
    obs = load_observations(path, catalog=catalog)
    assert obs[[S.INDICATOR_ID, S.YEAR, S.VALUE, S.STATUS]].values.tolist() == [
        ["C19", 2022, 91.0, "provisional"]]


def test_every_problem_is_reported_with_row_and_column(catalog):
    text = ("indicator_id,region,year,value,numerator,denominator,status\n"
            "C02,石柱县,2021,1.8,,,reported\n"       # row 2: fine
            "X99,石柱县,2021,5,,,\n"                 # row 3: unknown indicator
            "W04,石柱县,2021,abc,,,\n"               # row 4: not a number
            "W04,石柱县,2022,915,,,\n"               # row 5: percentage above 100
            "C17,石柱县,2022,-0.1,,,\n"              # row 6: negative rate
            "C02,石柱县,2021,1.9,,,\n"               # row 7: duplicate of row 2
            "C19,石柱县,二〇二二,90,,,\n"            # row 8: year not a number
            "C19,石柱县,2021.5,90,,,\n"              # row 9: year not whole
            "C01,石柱县,2022,1.2,5,-4000,\n"         # row 10: negative denominator
            "C01,石柱县,2023,12,6,4000,\n"           # row 11: value != 6/4000*1000
            "C01,石柱县,2024,,,,guessed\n")          # row 12: no value, unknown status
    assert _problems(text, catalog) == [
        (3, S.INDICATOR_ID, "X99"), (4, S.VALUE, "abc"), (5, S.VALUE, "915"),
        (6, S.VALUE, "-0.1"), (8, S.YEAR, "二〇二二"), (9, S.YEAR, "2021.5"),
        (10, S.DENOMINATOR, "-4000"), (11, S.VALUE, "12"), (12, S.VALUE, ""),
        (12, S.STATUS, "guessed"), (7, S.YEAR, "C02/石柱县/2021"),
    ]


def test_messages_name_the_place_and_the_fix_in_both_languages(catalog):
    with pytest.raises(PlanlibError) as exc:
        validate_observations(_frame("indicator_id,year,value\nc02,2021,1.8\n"), catalog, file="obs.csv")
    (problem,) = exc.value.problems
    assert problem.text("zh").startswith("文件 obs.csv，第 2 行，列 indicator_id：指标代码不在指标目录中")
    assert "是否应为 C02" in problem.fix_zh and "did you mean C02?" in problem.fix_en
    assert "file obs.csv, row 2, column indicator_id" in str(exc.value)


def test_a_missing_required_column_is_named_on_the_header_row(catalog):
    assert _problems("indicator_id,value\nC02,1.8\n", catalog) == [(1, S.YEAR, None)]


def test_value_must_match_numerator_over_denominator_within_rounding(catalog):
    ok = validate_observations(_frame("indicator_id,year,value,numerator,denominator\n"
                                      "C02,2021,1.46,6,4123\nW03,2021,27.8,1,3600\n"), catalog)
    assert ok[S.VALUE].tolist() == [1.46, 27.8]
    assert _problems("indicator_id,year,value,numerator,denominator\nW03,2021,2.78,1,3600\n",
                     catalog) == [(2, S.VALUE, "2.78")]


def test_first_row_shifts_the_row_numbers(catalog):
    with pytest.raises(PlanlibError) as exc:
        validate_observations(_frame("indicator_id,year,value\nC02,2021,x\n"), catalog,
                              file="t.xlsx", first_row=5)
    assert [p.row for p in exc.value.problems] == [5]


def test_a_frame_with_numbers_validates_too(catalog):
    frame = pd.DataFrame({"indicator_id": ["C02"], "year": [2021.0], "value": [1.8],
                          "numerator": [np.nan]})
    out = validate_observations(frame, catalog)
    assert out[[S.YEAR, S.VALUE, S.REGION]].values.tolist() == [[2021, 1.8, "石柱县"]]


def test_the_store_is_used_when_it_exists(tmp_path, monkeypatch, catalog):
    db = tmp_path / "m.sqlite"
    db.write_bytes(b"")
    fake = types.ModuleType("planlib.store")
    fake.read_observations = lambda path: pd.DataFrame({"from": [str(path)]})
    fake.locate = lambda db: Path(db)
    fake.exists = lambda target: Path(target).exists()
    monkeypatch.setitem(sys.modules, "planlib.store", fake)
    monkeypatch.setattr(planlib, "store", fake, raising=False)
    assert load_observations(db=db)["from"].tolist() == [str(db)]
    assert len(load_observations(db=tmp_path / "none.sqlite", catalog=catalog)) == 1035


def test_shipped_data_keep_plan_national_and_demo_apart(shipped):
    key = [S.INDICATOR_ID, S.REGION, S.YEAR]
    assert not shipped.duplicated(key).any()
    plan = shipped[shipped[S.SOURCE].isin(PLAN_SOURCES.values())]
    assert len(plan) == 15 and set(plan[S.CONFIRMATION]) == {"confirmed", "derived"}
    demo = shipped[shipped[S.SOURCE] == S.DEMO_SOURCE]
    assert len(demo) == 888 and set(demo[S.NOTE]) == {S.DEMO_LABEL_ZH}
    assert set(demo[S.STATUS]) == {"estimated"} and set(demo[S.REGION]) == {config.COUNTY}
    national = _national_series(shipped)
    assert national.groupby(S.INDICATOR_ID).size().to_dict() == {"C01": 15, "C02": 15, "C04": 15,
                                                                 "W03": 15}
    reference = shipped[shipped[S.REGION].isin(config.REFERENCE_REGIONS) & ~shipped.index.isin(national.index)]
    assert reference.groupby(S.REGION).size().to_dict() == {"全国": 45, "重庆市": 27}
    assert reference[S.CONFIRMATION].value_counts().to_dict() == {"confirmed": 60, "derived": 12}
    assert len(plan) + len(demo) + len(national) + len(reference) == len(shipped)


def _national_series(shipped):
    """The rows of data/national.csv: the national mortality series."""
    return shipped[(shipped[S.REGION] == config.NATIONAL)
                   & shipped[S.INDICATOR_ID].isin(REFERENCE_INDICATORS.values())]


def test_national_series_keep_their_flags(shipped):
    national = _national_series(shipped).set_index([S.INDICATOR_ID, S.YEAR])
    assert national.loc[("C02", 2020), S.VALUE] == 5.4
    assert national.loc[("W03", 2024), S.VALUE] == 14.3
    assert national.loc[("C01", 2015), S.CONFIRMATION] == "unconfirmed"
    assert "未经核实" in national.loc[("C01", 2015), S.NOTE]
    assert national.loc[("C04", 2011), S.CONFIRMATION] == "weak"
    assert national.loc[("C01", 2020), S.CONFIRMATION] == "derived"
    assert national[S.CONFIRMATION].value_counts().to_dict() == {
        "confirmed": 45, "unconfirmed": 9, "derived": 5, "weak": 1}
    assert set(national[S.STATUS]) == {"reported"}


@pytest.mark.skipif(not REFERENCE.exists(), reason="../shared/reference is not beside this checkout")
def test_shipped_national_files_are_the_reference_files():
    ref = pd.read_csv(REFERENCE / "china_national_mortality.csv", dtype={"source": str},
                      keep_default_na=False)
    shipped = pd.read_csv(config.NATIONAL_PATH, dtype={"source": str}, keep_default_na=False)
    expected = national_observations(ref.assign(value=ref["value"].astype(float)))
    assert shipped[S.VALUE].tolist() == expected[S.VALUE].tolist()
    assert shipped[S.SOURCE].tolist() == expected[S.SOURCE].tolist()
    assert shipped[S.CONFIRMATION].tolist() == expected[S.CONFIRMATION].tolist()
    targets = national_targets(pd.read_csv(REFERENCE / "national_targets_2030.csv"))
    pd.testing.assert_frame_equal(load_national_targets(), targets)


def test_national_targets_match_the_county_indicators():
    targets = load_national_targets().set_index(S.INDICATOR_ID)
    assert targets[S.TARGET_TEXT].to_dict() == {"C01": "< 3.0", "C02": "< 5.0", "C04": "< 6.0",
                                                "W03": "< 12"}
    assert set(targets[S.REGION]) == {"全国"} and set(targets[S.TARGET_YEAR]) == {2030}


def test_demo_is_detected_and_labelled(shipped):
    assert is_demo(shipped)
    real = shipped[shipped[S.SOURCE] != S.DEMO_SOURCE]
    assert not is_demo(real) and demo_label(real) is None
    assert demo_label(shipped, "en") == "Illustrative data (not official statistics)"
    assert not is_demo(pd.DataFrame({"value": [1.0]}))


def test_rates_and_ratios_are_checked_against_their_counts(catalog):
    # 6 infant deaths among 4123 births is 1.46‰; 1100 boys to 1000 girls is 110 (女=100); 12 women's
    # to 10 men's toilet places is 1.2; a life expectancy has no counts to check
    ok = validate_observations(_frame("indicator_id,year,value,numerator,denominator\n"
                                      "C02,2021,1.46,6,4123\nW41,2021,110,1100,1000\n"
                                      "W42,2021,1.2,12,10\nW02,2021,78.2,1,2\n"), catalog)
    assert ok[S.VALUE].tolist() == [1.46, 110.0, 1.2, 78.2]
    assert _problems("indicator_id,year,value,numerator,denominator\nW42,2021,12,12,10\n",
                     catalog) == [(2, S.VALUE, "12")]
