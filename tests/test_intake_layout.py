"""planlib.intake.layout: the intake's unit rules come from planlib.units; the template's columns."""

from planlib import units
from planlib.intake import layout


def test_the_intake_judges_each_indicator_by_the_units_table():
    from planlib.catalog import load_catalog

    catalog = load_catalog()
    rules = layout._Catalog.load(catalog).rules
    assert rules == {i: units.get(u, n) for i, u, n in zip(catalog["indicator_id"], catalog["unit"],
                                                          catalog["name_zh"])}
    assert rules["W02"].high == 120 and rules["C23"].whole and not rules["C24"].whole


def test_only_value_numerator_denominator_and_note_are_editable():
    editable = [c.key for c in layout.TEMPLATE_COLUMNS if c.editable]
    assert editable == ["value", "numerator", "denominator", "note"]


def test_the_catalogue_as_intake_needs_it():
    info = layout._Catalog.load()
    assert len(info.units) == 90 and info.units["W41"] == "女=100"
    assert "县卫生健康委" in info.departments
