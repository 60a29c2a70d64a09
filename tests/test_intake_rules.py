"""planlib.intake.rules: numbers, ranges and ratios checked row by row, bilingual and located."""

import pytest

from planlib.intake import layout, readers, rules


def _check(text: str):
    parsed = readers._parse("a.csv", text.encode())
    return rules.check_rows(parsed, layout._Catalog.load(), this_year=2025)


@pytest.mark.parametrize("cell, number", [("95.5", 95.5), (" 1,234 ", 1234.0), ("", None), ("-0.5", -0.5)])
def test_parse_number(cell, number):
    assert rules.parse_number(cell) == number


def test_parse_number_refuses_text():
    with pytest.raises(ValueError):
        rules.parse_number("九十五")


def test_a_percentage_above_100_is_an_error_on_its_row_and_column():
    observations, problems = _check("indicator_id,year,value\nW04,2024,101\n")
    assert observations == []
    (problem,) = [p for p in problems if p.severity == "error"]
    assert (problem.row, problem.column) == (2, "value") and "100" in problem.message_zh


def test_a_rate_is_computed_from_its_numerator_and_denominator():
    observations, problems = _check("indicator_id,year,value,numerator,denominator\nC02,2024,,7,3500\n")
    assert [p for p in problems if p.severity == "error"] == []
    assert observations[0]["value"] == pytest.approx(2.0)


def test_a_year_in_the_future_is_an_error():
    _, problems = _check("indicator_id,year,value\nW04,2027,95\n")
    assert [(p.row, p.column, p.severity) for p in problems] == [(2, "year", "error")]
