"""planlib.i18n: every label has Chinese and English, with the same fields; t() never invents text."""

from __future__ import annotations

import string
from pathlib import Path

import pytest

from planlib import config, i18n

#: Tables whose entries are {"zh": ..., "en": ...}; found by looking, so a new table is checked too.
BILINGUAL = {name: table for name, table in vars(i18n).items()
             if name.isupper() and isinstance(table, dict) and table
             and all(isinstance(v, dict) and set(v) & {"zh", "en"} for v in table.values())}
#: Tables where an empty text is the right text (none now: how a unit is written after a number,
#: where "" is right for 个 in English and for 女=100, lives with the unit in planlib.units).
MAY_BE_EMPTY: set[str] = set()


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_tables_are_found():
    # the discovery above must see every table a module looks labels up in
    assert {"COMMON", "REGION_LABELS", "STATUS_LABELS", "PLAN_LABELS", "ATTRIBUTE_LABELS", "APP_LABELS",
            "METHOD_LABELS", "REPORT_LABELS", "ASSESS_LABELS", "INTAKE_LABELS", "DRAFT_LABELS"} <= set(BILINGUAL)


def test_every_unit_is_written_in_both_languages():
    from planlib import units

    missing = [code for code, unit in units.UNITS.items() if unit.zh is None or unit.en is None]
    assert missing == []
    assert units.display("岁", "en") == " years" and units.display("个", "en") == ""


@pytest.mark.parametrize("name", sorted(BILINGUAL))
def test_every_label_has_both_languages_and_the_same_fields(name):
    problems = []
    for key, entry in BILINGUAL[name].items():
        if set(entry) != {"zh", "en"}:
            problems.append(f"{key}: languages {sorted(entry)}")
            continue
        if name not in MAY_BE_EMPTY and not all(isinstance(entry[k], str) and entry[k].strip() for k in entry):
            problems.append(f"{key}: empty text")
        elif _fields(entry["zh"]) != _fields(entry["en"]):
            problems.append(f"{key}: fields zh {sorted(_fields(entry['zh']))} en {sorted(_fields(entry['en']))}")
    assert problems == []


def test_the_check_catches_a_missing_language_and_a_lost_field():
    assert _fields("{n}个指标（{year}年）") == {"n", "year"}
    assert _fields("{n} indicators") != _fields("{n}个指标（{year}年）")


def test_t_raises_for_a_missing_key_or_language_instead_of_falling_back():
    table = {"only_zh": {"zh": "只有中文"}}
    with pytest.raises(KeyError, match="only_zh.*'en'"):
        i18n.t("only_zh", "en", table)
    with pytest.raises(KeyError, match="nope"):
        i18n.t("nope", "en", i18n.APP_LABELS)
    assert i18n.t("only_zh", "zh", table) == "只有中文"


def test_an_empty_table_is_not_the_common_table():
    with pytest.raises(KeyError):
        i18n.t("title", "zh", {})


def test_the_county_is_named_from_config_everywhere():
    zh, en = i18n.region_label(config.COUNTY, "zh"), i18n.region_label(config.COUNTY, "en")
    assert (zh, en) == ("石柱县", "Shizhu County")
    assert i18n.t("title", "zh").startswith(zh) and i18n.t("title", "en").startswith(en)
    assert i18n.t("description", "en", i18n.CLI_LABELS).startswith(en)
    # the county's name is written once: its Chinese name is config.COUNTY, its English name one
    # line of REGION_LABELS; REPORT_LABELS["plans"] (the report's, planlib.report*) is left to its owner
    source = Path(i18n.__file__).read_text(encoding="utf-8")
    report = source[source.index("REPORT_LABELS = {"):source.index("# --- apps")]
    rest = source.replace(report, "")
    assert "石柱" not in rest
    assert [line.strip() for line in rest.splitlines() if "Shizhu" in line] == [
        'COUNTY: {"zh": COUNTY, "en": "Shizhu County"},',
        "('Shizhu County', '重庆市', '甲县')"]  # region_label's doctest shows what it gives


def test_chart_series_are_named_after_the_county(monkeypatch):
    from planlib import charts

    monkeypatch.setitem(i18n.REGION_LABELS, config.COUNTY, {"zh": "甲县", "en": "Jia County"})
    assert charts.series_name("observed", "zh") == "甲县（观测值）"
    assert charts.series_name("later", "en") == "Jia County (observed later)"
    assert charts.series_name("national", "en") == "China (national)"


def test_region_labels_and_a_region_without_one():
    assert i18n.region_label("重庆市", "en") == "Chongqing"
    assert i18n.region_label("甲县", "en") == "甲县"  # a region given only in Chinese keeps its name
    with pytest.raises(KeyError):
        i18n.region_label(config.NATIONAL, "fr")


def test_status_label_words_and_icon():
    assert i18n.status_label("off_track", "en") == "✖ Off track"
    assert i18n.status_label("achieved", "zh", icon=False) == "已达标"
