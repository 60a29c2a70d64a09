"""``planlib assess`` on another plan's small catalogue: outputs, exit codes, messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from planlib import forecast  # noqa: F401  (imported at collection: statsmodels takes a while)
from planlib import schema as S
from planlib.cli import main

# An older people's development plan of another county: four indicators, one binding.
CATALOG = """indicator_id,name_zh,unit,target_text,attribute
E1,老年人健康管理率（%）,%,≥ 76,约束性
E2,每千名老年人拥有养老床位数（张）,张,提高,
E3,老年人参加志愿服务比例（%）,%,15左右,预期性
E4,养老机构护理型床位占比（%）,%,≥ 55,约束性
"""
YEARS = range(2018, 2025)
E1 = [60.0, 63.0, 62.0, 66.0, 65.0, 69.0, 68.0]   # rising about 1.3 a year, unevenly: 76 is a toss-up
E2 = [30.0, 31.2, 32.0, 33.1, 34.5, 35.0, 36.2]   # rising
E3 = [14.8, 15.3, 14.9, 15.1, 15.2, 14.9, 15.0]   # about 15 already
E4 = [40.0, 40.5, 39.8, 40.2, 40.1, 39.9, 40.3]   # flat at 40, far from 55


def _observations() -> str:
    rows = ["indicator_id,region,year,value,source"]
    for ident, values in (("E1", E1), ("E2", E2), ("E3", E3), ("E4", E4)):
        rows += [f"{ident},甲县,{y},{v},县统计局" for y, v in zip(YEARS, values)]
    return "\n".join(rows) + "\n"


@pytest.fixture()
def plan(tmp_path: Path) -> tuple[Path, Path]:
    cat, obs = tmp_path / "catalog.csv", tmp_path / "observations.csv"
    cat.write_text(CATALOG, encoding="utf-8")
    obs.write_text(_observations(), encoding="utf-8")
    return cat, obs


def _run(plan, *extra: str) -> int:
    cat, obs = plan
    return main(["assess", "--catalog", str(cat), "--observations", str(obs), *extra])


def test_csv_output_has_exactly_the_columns_and_real_statuses(plan, tmp_path):
    out = tmp_path / "assessment.csv"
    assert _run(plan, "--format", "csv", "--output", str(out)) == 0
    result = pd.read_csv(out)
    assert list(result.columns) == S.ASSESSMENT_COLUMNS
    assert result.region.unique().tolist() == ["甲县"]
    status = dict(zip(result.indicator_id, result.status))
    assert status == {"E1": "at_risk", "E2": "achieved", "E3": "achieved", "E4": "off_track"}
    assert result.binding.tolist() == [True, False, False, True]
    e4 = result.set_index("indicator_id").loc["E4"]
    assert e4.latest_year == 2024 and e4.latest_value == 40.3
    assert e4.required_annual_change == pytest.approx(((55 / 39.8) ** (1 / 10) - 1) * 100, rel=1e-5)


def test_json_output_and_as_of(plan, tmp_path, capsys):
    out = tmp_path / "assessment.json"
    assert _run(plan, "--format", "json", "--as-of", "2021", "--output", str(out)) == 0
    records = json.loads(out.read_text(encoding="utf-8"))
    assert [list(r) for r in records] == [S.ASSESSMENT_COLUMNS] * 4
    assert {r["latest_year"] for r in records} == {2021}
    assert capsys.readouterr().err == ""  # no demo data, no label


def test_table_is_chinese_by_default_binding_at_risk_first(plan, capsys):
    assert _run(plan) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "规划指标达标评估（数据截至2024年）"
    assert lines[1] == "约束性指标中存在风险或难以达标的：2项"
    assert lines[2].startswith("  ✖ 难以达标  E4 养老机构护理型床位占比（%）")
    assert lines[4].startswith("  ⚠ 存在风险  E1 老年人健康管理率（%）")
    assert "【甲县】" in lines


def test_table_in_english(plan, capsys):
    assert _run(plan, "--lang", "en") == 0
    text = capsys.readouterr().out
    assert text.startswith("Assessment of the plan's indicators (data up to 2024)\n")
    assert "✖ Off track  E4" in text


@pytest.mark.slow
def test_installed_command_in_a_subprocess(plan):
    cat, obs = plan
    exe = Path(sys.executable).with_name("planlib")
    done = subprocess.run([str(exe), "assess", "--catalog", str(cat), "--observations", str(obs),
                           "--format", "csv"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    header, *rows = done.stdout.splitlines()
    assert header.split(",") == S.ASSESSMENT_COLUMNS
    assert [r.split(",")[:3] for r in rows] == [
        ["E1", "甲县", "at_risk"], ["E2", "甲县", "achieved"], ["E3", "甲县", "achieved"], ["E4", "甲县", "off_track"]]


def test_missing_catalogue_column_exits_2_naming_file_and_column(plan, capsys):
    cat, _ = plan
    cat.write_text(CATALOG.replace(",target_text", ",goal"), encoding="utf-8")
    assert _run(plan) == 2
    err = capsys.readouterr().err
    assert "catalog.csv" in err and "target_text" in err and "第 1 行" in err


def test_unreadable_target_exits_2_naming_row_and_column(plan, capsys):
    cat, _ = plan
    cat.write_text(CATALOG.replace("15左右", "努力做好"), encoding="utf-8")
    assert _run(plan, "--lang", "en") == 2
    err = capsys.readouterr().err
    assert "catalog.csv" in err and "row 4" in err and "column target_text" in err and "努力做好" in err


def test_text_in_value_column_exits_2_naming_row_and_column(plan, capsys, tmp_path):
    _, obs = plan
    obs.write_text(_observations().replace("E2,甲县,2020,32.0", "E2,甲县,2020,三十二"), encoding="utf-8")
    out = tmp_path / "never.csv"
    assert _run(plan, "--format", "csv", "--output", str(out)) == 2
    err = capsys.readouterr().err
    assert "observations.csv" in err and "第 11 行" in err and "列 value" in err and "三十二" in err
    assert not out.exists()  # nothing half-written
