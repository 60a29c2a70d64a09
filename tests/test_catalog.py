import pandas as pd
import pytest

from planlib import schema as S
from planlib.catalog import indicators_of_unit, load_catalog, units_of
from planlib.errors import PlanlibError

from .seedtables import SEED, read_tables


def test_ninety_rows_fifty_women_forty_children(catalog):
    assert len(catalog) == 90
    assert catalog[S.PLAN].value_counts().to_dict() == {"women": 50, "children": 40}
    assert catalog[S.INDICATOR_ID].is_unique
    assert list(catalog.columns[: len(S.CATALOG_COLUMNS)]) == S.CATALOG_COLUMNS


def test_ids_follow_the_printed_numbers(catalog):
    subs = catalog[catalog[S.INDICATOR_ID].str.len() > 3][S.INDICATOR_ID].tolist()
    assert subs == ["W05b", "W32b", "W33b", "C10b", "C10c", "C13b", "C13c", "C15b", "C15c"]
    for row in catalog.to_dict("records"):
        assert int(row[S.INDICATOR_ID][1:3]) == row[S.NUMBER]
    cat = catalog.set_index(S.INDICATOR_ID)
    assert cat.loc["W05b", S.NAME_ZH] == "适龄妇女乳腺癌人群筛查率（%）"
    assert cat.loc["C10c", S.NAME_ZH] == "高中阶段学生近视率（%）"


@pytest.mark.skipif(not SEED.exists(), reason="the plan text ../shared/seed is not beside this checkout")
def test_catalogue_matches_the_plan_text(catalog):
    printed = read_tables()
    assert len(printed) == 90
    attr = {"约束性": "binding", "预期性": "expected"}
    for row, seed in zip(catalog.to_dict("records"), printed):
        assert (row[S.PLAN], row[S.NUMBER]) == (seed["plan"], seed["number"])
        assert row[S.NAME_ZH] == seed["name"]
        assert row[S.TARGET_TEXT] == seed["target"]  # "巩固"/"提高" rejoined
        assert row[S.ATTRIBUTE] == attr[seed["attribute"]]
        assert row[S.RESPONSIBLE_UNITS] == ";".join(seed["units"])
        assert row[S.DOMAIN_ZH] == seed["domain"].replace("教育教育", "教育")


def test_binding_indicators(catalog):
    binding = catalog.loc[catalog[S.ATTRIBUTE] == S.BINDING, S.INDICATOR_ID].tolist()
    assert binding == ["W03", "W06", "W10", "W11", "W14", "W43", "C01", "C02", "C04", "C05",
                       "C06", "C07", "C14", "C17", "C19", "C21", "C32", "C33"]


def test_every_target_parses(catalog):
    from planlib.targets import parse_target

    kinds = {r[S.INDICATOR_ID]: parse_target(r[S.TARGET_TEXT]).kind for r in catalog.to_dict("records")}
    assert kinds["C02"] == "threshold" and kinds["W15"] == "approx"
    assert kinds["W21"] == "relative" and kinds["W41"] == "balance"
    assert sorted(k for k, v in kinds.items() if v == "qualitative") == [
        "W13", "W20", "W24", "W25", "W26", "W27", "W28", "W44", "W45", "W46"]


def test_units_and_their_indicators(catalog):
    units = units_of(catalog)
    assert len(units) == len(set(units)) == 19
    assert indicators_of_unit(catalog, "县应急管理局")[S.INDICATOR_ID].tolist() == ["C17"]
    assert "C32" in indicators_of_unit(catalog, "县法院")[S.INDICATOR_ID].tolist()


def test_another_plan_loads_with_defaults(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("indicator_id,name_zh,unit,target_text\nX1,某指标（%）,%,≥ 90\n", encoding="utf-8")
    cat = load_catalog(path)
    row = cat.iloc[0]
    assert (row[S.TARGET_YEAR], row[S.ATTRIBUTE]) == (2030, S.EXPECTED)


def test_excel_catalogue_with_chinese_attributes(tmp_path):
    path = tmp_path / "other.xlsx"
    pd.DataFrame({"indicator_id": ["X1"], "name_zh": ["某率（%）"], "unit": ["%"],
                  "target_text": ["95%以上"], "attribute": ["约束性"], "target_year": ["2035"]}
                 ).to_excel(path, index=False)
    row = load_catalog(path).iloc[0]
    assert (row[S.ATTRIBUTE], row[S.TARGET_YEAR]) == (S.BINDING, 2035)


def test_broken_catalogue_names_row_and_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("indicator_id,name_zh,unit,target_text,attribute\n"
                    "X1,甲（%）,%,≥ 90,预期性\n"
                    "X2,乙（%）,%,大概好一点,预期性\n"
                    "X1,丙（%）,%,≥ 80,重要\n", encoding="utf-8")
    with pytest.raises(PlanlibError) as info:
        load_catalog(path)
    where = {(p.row, p.column) for p in info.value.problems}
    assert where == {(3, "target_text"), (4, "indicator_id"), (4, "attribute")}
    assert "大概好一点" in str(info.value) and "row 3" in info.value.text("en")


def test_missing_required_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("indicator_id,name_zh,target_text\nX1,甲,≥ 90\n", encoding="utf-8")
    with pytest.raises(PlanlibError, match="unit"):
        load_catalog(path)
