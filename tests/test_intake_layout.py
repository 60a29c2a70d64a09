"""planlib.intake.layout: the intake's unit rules come from planlib.units; the template's columns."""

from planlib import units
from planlib.intake import layout


def test_unit_rules_are_the_units_table():
    for code, unit in units.UNITS.items():
        rule = layout.unit_rule(code)
        assert (rule.low, rule.high, rule.whole) == (unit.low, unit.high, unit.whole), code
    assert layout.unit_rule("岁").high == 120
    assert layout.unit_rule("名").whole and not layout.unit_rule("张", "每千名儿童拥有床位数（张）").whole


def test_only_value_numerator_denominator_and_note_are_editable():
    editable = [c.key for c in layout.TEMPLATE_COLUMNS if c.editable]
    assert editable == ["value", "numerator", "denominator", "note"]


def test_the_catalogue_as_intake_needs_it():
    info = layout._Catalog.load()
    assert len(info.units) == 90 and info.units["W41"] == "女=100"
    assert "县卫生健康委" in info.departments
