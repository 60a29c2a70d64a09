"""planlib.units, the one table of units: both input paths (the intake and the observations file
loader) apply the same range and the same numerator/denominator check, the assessment and the
number format read the same table."""

import io
import textwrap

import pandas as pd
import pytest

from planlib import assessment, intake, store, units
from planlib import schema as S
from planlib.errors import PlanlibError
from planlib.formats import format_value
from planlib.observations import validate_observations

from .intake_fixtures import YEAR, db, seeded_store  # noqa: F401


def _loader_problems(text: str, catalog) -> list[tuple]:
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    try:
        validate_observations(frame, catalog, file="obs.csv")
    except PlanlibError as exc:
        return [(p.row, p.column, p.message_en) for p in exc.problems]
    return []


def _intake(db, tmp_path, text: str):
    path = tmp_path / "data.csv"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return intake.import_files([path], db=db)


# --- the table ------------------------------------------------------------------------------------

def test_a_rate_is_numerator_over_denominator_times_its_multiplier():
    # 5 infant deaths among 4100 live births: 1.22 per mille; 3 maternal deaths among 40 000: 7.5/10万
    assert 5 / 4100 * units.rate_multiplier("‰") == pytest.approx(1.2195, abs=1e-4)
    assert 3 / 40000 * units.rate_multiplier("1/10万") == pytest.approx(7.5)
    assert 1100 / 1000 * units.rate_multiplier("女=100") == pytest.approx(110.0)  # boys per 100 girls
    assert units.rate_multiplier("岁") is None and units.rate_multiplier("万人") is None


def test_units_are_looked_up_without_surrounding_spaces_and_unknown_units_get_the_default():
    assert units.get(" ‰ ") is units.UNITS["‰"]
    other = units.get("元")
    assert (other.code, other.low, other.high, other.bounds, other.multiplier) == ("元", 0.0, 1e9, None, None)


def test_shares_cannot_exceed_their_whole_but_ratios_can():
    assert [units.get(u).share for u in ("%", "‰", "1/10万", "女=100", "女厕位/男厕位")] == [
        True, True, True, False, False]
    assert units.RATIO_OF_COUNTS_UNITS == ("女=100",)


def test_the_assessment_reads_the_same_bounds():
    assert assessment.bounds_for_unit is units.bounds_for_unit
    assert assessment.RATIO_OF_COUNTS_UNITS is units.RATIO_OF_COUNTS_UNITS
    assert [units.bounds_for_unit(u) for u in ("%", "‰", "岁", "女=100", "kg")] == [
        (0.0, 100.0), (0.0, None), (0.0, None), (0.0, None), None]


def test_the_number_format_shows_the_unit_of_the_table():
    assert format_value(6.1, "‰") == "6.1‰"
    assert format_value(82.3, "岁", "en") == "82.3 years"
    assert format_value(7.5, "1/10万", "en") == "7.5 per 100,000"
    assert format_value(110.2, "女=100") == "110.2"
    assert format_value(3, "kg", "en") == "3 kg"


def test_a_count_per_something_is_not_a_whole_number():
    assert units.get("张").whole
    per = units.get("张", "每千名（0-14岁）儿童拥有床位数（张）")
    assert (per.whole, per.high, per.plausible, per.code) == (False, 1000.0, 100.0, "张")
    assert units.get("%", "每千名……") == units.get("%")  # only count units change


@pytest.mark.parametrize("ident,value,whole", [("C23", "12.5", False), ("C23", "12", True),
                                               ("C24", "2.57", True)])
def test_both_paths_ask_a_count_for_a_whole_number(ident, value, whole, catalog, db, tmp_path):
    """C23 counts institutions (个); C24 counts places per thousand (每千人口……（个）): a rate."""
    loader = _loader_problems(f"indicator_id,year,value\n{ident},2021,{value}\n", catalog)
    result = _intake(db, tmp_path, f"""
        indicator_id,year,value
        {ident},{YEAR},{value}
        """)
    not_whole = [p for p in result.problems if "whole number" in p.message_en]
    assert (loader == []) is whole and (not_whole == []) is whole
    if not whole:
        assert loader == [(2, "value", "A count (个) must be a whole number")]


# --- both paths check the same: 岁 capped at 120, 女=100 checked against its counts ---------------

def test_the_file_loader_caps_life_expectancy_at_120_years(catalog):
    assert _loader_problems("indicator_id,year,value\nW02,2021,78.5\n", catalog) == []
    problems = _loader_problems("indicator_id,year,value\nW02,2021,130\n", catalog)
    assert [p[:2] for p in problems] == [(2, "value")]
    assert problems[0][2] == "The value is outside 0-120 for the unit '岁'"


def test_the_file_loader_checks_the_sex_ratio_against_boys_and_girls(catalog):
    ok = "indicator_id,year,value,numerator,denominator\nW41,2021,110,1100,1000\n"
    assert _loader_problems(ok, catalog) == []
    bad = _loader_problems("indicator_id,year,value,numerator,denominator\nW41,2021,90,1100,1000\n", catalog)
    assert [p[:2] for p in bad] == [(2, "value")]


def test_the_intake_caps_life_expectancy_at_120_years(db, tmp_path):
    result = _intake(db, tmp_path, f"""
        indicator_id,year,value
        W02,{YEAR},130
        """)
    errors = [p for p in result.problems if p.severity == "error"]
    assert not result.ok and len(errors) == 1
    assert errors[0].row == 2 and "above the maximum 120" in errors[0].message_en


def test_the_intake_checks_the_sex_ratio_against_boys_and_girls(db, tmp_path):
    good = _intake(db, tmp_path, f"""
        indicator_id,year,value,numerator,denominator
        W41,{YEAR},110,1100,1000
        """)
    assert good.ok and not good.problems  # more boys than girls is not "numerator too big"
    off = _intake(db, tmp_path, f"""
        indicator_id,year,value,numerator,denominator
        W41,{YEAR - 1},90,1100,1000
        """)
    mismatch = [p for p in off.problems if "computed from numerator/denominator" in p.message_en]
    assert len(mismatch) == 1 and mismatch[0].severity == "warning"
    assert mismatch[0].message_en.startswith("Value 90 differs from 110")


def test_the_intake_computes_the_sex_ratio_from_boys_and_girls(db, tmp_path):
    result = _intake(db, tmp_path, f"""
        indicator_id,year,value,numerator,denominator
        W41,{YEAR},,1080,1000
        """)
    assert result.ok
    obs = store.read_observations(db)
    row = obs[(obs[S.INDICATOR_ID] == "W41") & (obs[S.YEAR] == YEAR) & (obs[S.SOURCE] != S.DEMO_SOURCE)]
    assert row[S.VALUE].tolist() == [108.0]


@pytest.mark.parametrize("value, flagged", [(2.0, False), (2.05, False), (2.06, True), (1.9, True)])
def test_both_paths_judge_a_value_against_its_counts_alike(value, flagged, catalog, db, tmp_path):
    """7 deaths among 3,500 births is 2.0‰: both paths allow the same rounding (units.agrees)."""
    loader = _loader_problems(f"indicator_id,year,value,numerator,denominator\nC02,2021,{value},7,3500\n", catalog)
    result = _intake(db, tmp_path, f"""
        indicator_id,year,value,numerator,denominator
        C02,{YEAR},{value},7,3500
        """)
    intake_flags = [p for p in result.problems if "computed from numerator/denominator" in p.message_en]
    assert (len(loader) == 1) is flagged and (len(intake_flags) == 1) is flagged
