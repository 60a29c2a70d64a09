import math
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import openpyxl
import pytest

from planlib import cli, intake, store
from planlib import schema as S
from planlib.catalog import indicators_of_unit, load_catalog
from planlib.errors import PlanlibError

from .conftest import snapshot
from .intake_fixtures import EDUCATION, HEALTH, YEAR, blank_templates, fill_template, template, template_row  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]


def _current(db, ident, year=YEAR):
    obs = store.read_observations(db)
    sel = obs[(obs[S.INDICATOR_ID] == ident) & (obs[S.YEAR] == year) & (obs[S.REGION] == "石柱县")]
    return sel[[S.VALUE, S.NUMERATOR, S.DENOMINATOR, S.SOURCE, S.NOTE]].values.tolist()


def _csv(tmp_path, text, name="data.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(textwrap.dedent(text).lstrip().encode(encoding))
    return path


def _only_error(result):
    errors = [p for p in result.problems if p.severity == "error"]
    assert len(errors) == 1, [p.text("en") for p in errors]
    return errors[0]


# --- templates ----------------------------------------------------------------------------------

def test_template_lists_the_units_indicators(blank_templates):
    wb = openpyxl.load_workbook(blank_templates[HEALTH])
    assert wb.sheetnames == [HEALTH, intake.META_SHEET]
    ws = wb[HEALTH]
    header = [c.value for c in ws[intake.HEADER_ROW]]
    assert header == ["指标代码", "指标名称", "计量单位", "2030年目标", "上次报送值", "上次报送年份",
                      "数值", "分子", "分母", "备注"]
    codes = [r[0] for r in ws.iter_rows(min_row=intake.HEADER_ROW + 1, values_only=True)]
    assert codes == indicators_of_unit(load_catalog(), HEALTH)[S.INDICATOR_ID].tolist()
    assert len(codes) == 28 and codes[:3] == ["W01", "W02", "W03"]
    w04 = [r for r in ws.iter_rows(values_only=True) if r[0] == "W04"][0]
    assert w04[1:6] == ("孕产妇系统管理率（%）", "%", "≥ 92", 91.5, 2020)  # the plan's 2020 baseline
    assert ws.freeze_panes == "C4" and ws.protection.sheet
    assert ws["G4"].protection.locked is False and ws["A4"].protection.locked is True


def test_template_validates_value_cells_by_unit(blank_templates):
    ws = openpyxl.load_workbook(blank_templates[HEALTH])[HEALTH]
    rules = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            rules[str(rng)] = (dv.type, dv.operator, dv.formula1, dv.formula2)
    row = {code: template_row(blank_templates[HEALTH], code, HEALTH) for code in ("W04", "W03", "C12")}
    assert rules[f"G{row['W04']}"] == ("decimal", "between", "0", "100")
    assert rules[f"G{row['W03']}"] == ("decimal", "between", "0", "100000")
    assert rules[f"G{row['C12']}"] == ("decimal", "between", "0", "1000")  # beds per 1000: at most 1000


def test_template_for_all_units_has_one_sheet_each(blank_templates):
    wb = openpyxl.load_workbook(blank_templates["all"])
    units = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert len(units) == 19 and units[0] == HEALTH and "县残联" in units
    meta = wb[intake.META_SHEET]
    assert meta.sheet_state == "veryHidden"
    rows = {r[0]: r[1] for r in meta.iter_rows(values_only=True)}
    assert rows["year"] == YEAR and rows["template_version"] == intake.TEMPLATE_VERSION


def test_template_rejects_unknown_unit_and_year(tmp_path):
    with pytest.raises(PlanlibError) as err:
        intake.write_template("县卫健委", 2025, tmp_path / "x.xlsx")
    assert "县卫生健康委" in err.value.problems[0].fix_zh
    with pytest.raises(PlanlibError):
        intake.write_template(HEALTH, 2035, tmp_path / "x.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_template_is_written_atomically(tmp_path, monkeypatch):
    def broken_save(self, path):
        Path(path).write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    with pytest.raises(OSError):
        intake.write_template(HEALTH, 2025, tmp_path / "out.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_template_shows_the_values_the_store_holds(any_db, template, tmp_path):
    assert intake.import_files([template(HEALTH, {"W04": 95.5})], db=any_db).ok
    path = intake.write_template(HEALTH, 2025, tmp_path / "next.xlsx", db=any_db)
    w04 = [r for r in openpyxl.load_workbook(path)[HEALTH].iter_rows(values_only=True) if r[0] == "W04"][0]
    assert w04[4:6] == (95.5, 2024)  # 上次报送值, 上次报送年份: the import above, not the 2020 baseline


# --- importing templates ---------------------------------------------------------------------------

def test_filled_template_imports_with_sources_and_revisions(any_db, template):
    path = template(HEALTH, {"W04": 95.5, "W03": {"分子": 1, "分母": 4000},
                             "C02": {"数值": 1.2, "分子": 5, "分母": 4100}})
    result = intake.import_files([path], db=any_db, by="统计局 张三")
    assert result.ok and result.files[0].status == "imported"
    assert result.files[0].counts == store.ImportCounts(2, 0, 3, 0)
    value, numerator, denominator, source, note = _current(any_db, "W04")[0]
    assert (value, source, note) == (95.5, HEALTH, None) and math.isnan(numerator) and math.isnan(denominator)
    assert _current(any_db, "W03")[0][:4] == [25.0, 1.0, 4000.0, HEALTH]  # computed from 1/4000
    sub = store.submissions(any_db).iloc[0]
    assert (sub.department, sub.reporting_year, sub.imported_by, sub.n_changed) == (HEALTH, YEAR, "统计局 张三", 3)
    assert len(sub.content_sha256) == 64
    assert store.revisions("W04", any_db)["reason"].tolist() == [store.DEMO_REPLACED_REASON]


@pytest.mark.parametrize("values, column, message", [
    ({"W04": "abc"}, "数值（G）", "Not a number"),
    ({"W04": 120}, "数值（G）", "above the maximum 100"),
    ({"W04": -1}, "数值（G）", "below the minimum 0"),
    ({"C27": 12.5}, "数值（G）", "whole number"),
    ({"W03": {"分子": 5}}, "分母（I）", "together"),
    ({"W03": {"分子": 5000, "分母": 4000}}, "分子（H）", "larger than denominator"),
    ({"W03": {"分子": 1, "分母": 0}}, "分母（I）", "denominator is 0"),
])
def test_each_rule_names_the_cell(any_db, template, tmp_path, values, column, message):
    unit = "县残联" if "C27" in values else HEALTH
    if unit == "县残联":
        path = fill_template(intake.write_template(unit, YEAR, tmp_path / "cl.xlsx", db=any_db), values)
    else:
        path = template(unit, values)
    before = snapshot(any_db)
    result = intake.import_files([path], db=any_db)
    problem = _only_error(result)
    code = next(iter(values))
    assert not result.ok and result.files[0].status == "rejected"
    assert (problem.file, problem.sheet, problem.column) == (path.name, unit, column)
    assert problem.row == template_row(path, code, unit)
    assert message in problem.message_en and problem.fix_zh and problem.fix_en and problem.message_zh
    assert snapshot(any_db) == before


def test_an_indicator_of_another_unit_is_refused(any_db, template):
    path = template(EDUCATION, {"W11": 97.0})
    wb = openpyxl.load_workbook(path)
    wb[EDUCATION]["A4"] = "W04"  # someone typed a health indicator into the education sheet
    wb.save(path)
    problem = _only_error(intake.import_files([path], db=any_db))
    assert "not among those of 县教委" in problem.message_en and problem.value == "W04"
    assert HEALTH in problem.fix_zh


def test_one_error_blocks_the_whole_file(any_db, template):
    path = template(HEALTH, {"W04": 95.5, "W07": 99.0, "W08": "n/a"})
    before = snapshot(any_db)
    result = intake.import_files([path], db=any_db)
    assert not result.ok and snapshot(any_db) == before


def test_changing_a_reported_value_needs_a_note(any_db, template):
    assert intake.import_files([template(HEALTH, {"W04": 95.5})], db=any_db).ok
    result = intake.import_files([template(HEALTH, {"W04": 96.0})], db=any_db)
    problem = _only_error(result)
    assert problem.column == "备注（J）" and "95.5" in problem.message_zh and problem.value == 96.0
    fixed = intake.import_files([template(HEALTH, {"W04": {"数值": 96.0, "备注": "更正录入错误"}})], db=any_db)
    assert fixed.ok and fixed.files[0].counts.n_changed == 1
    revs = store.revisions("W04", any_db)
    assert revs[["old_value", "new_value", "reason"]].values.tolist()[0] == [95.5, 96.0, "更正录入错误"]


def test_same_file_twice_changes_nothing(any_db, template):
    path = template(HEALTH, {"W04": 95.5, "W07": 99.0})
    assert intake.import_files([path], db=any_db).files[0].status == "imported"
    before = snapshot(any_db)
    again = intake.import_files([path], db=any_db)
    assert again.ok and again.files[0].status == "already_imported" and snapshot(any_db) == before
    copy = path.with_name("copy.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.properties.title = "resent"  # same values, different bytes
    wb.save(copy)
    assert copy.read_bytes() != path.read_bytes()
    same = intake.import_files([copy], db=any_db)
    assert same.files[0].status == "unchanged" and same.files[0].counts.n_unchanged == 2
    assert snapshot(any_db) == before


def test_warnings_do_not_block(any_db, template):
    path = template(HEALTH, {"W04": 40.0})  # 91.5 in 2020 -> 40: a jump of more than 50 %
    result = intake.import_files([path], db=any_db)
    assert result.ok and result.files[0].status == "imported"
    (warning,) = [p for p in result.problems if p.severity == "warning"]
    assert "-56%" in warning.message_zh and warning.column == "数值（G）"


def test_percent_formatted_cells_are_read_as_shown(any_db, template):
    path = template(HEALTH, {"W04": 0.955})
    wb = openpyxl.load_workbook(path)
    wb[HEALTH][f"G{template_row(path, 'W04', HEALTH)}"].number_format = "0.0%"
    wb.save(path)
    assert intake.import_files([path], db=any_db).ok
    assert _current(any_db, "W04")[0][0] == 95.5


def test_an_empty_template_is_an_error(db, template):
    problem = _only_error(intake.import_files([template(HEALTH, {})], db=db))
    assert "no values" in problem.message_en


def test_all_units_workbook_reports_duplicates_across_sheets(db, template):
    path = template("all", {"W10": 100.0})  # W10 is in both 县卫生健康委 and 县发展改革委 sheets
    result = intake.import_files([path], db=db)
    assert result.ok
    (warning,) = [p for p in result.problems if p.severity == "warning"]
    assert warning.sheet == "县发展改革委" and "imported once" in warning.message_en
    wb = openpyxl.load_workbook(path)
    wb["县发展改革委"]["G4"] = 90.0
    wb.save(path)
    problem = _only_error(intake.import_files([path], db=db))
    assert problem.sheet == "县发展改革委" and "appears twice" in problem.message_en


def test_damaged_templates_are_named(db, template, tmp_path):
    path = template(HEALTH, {"W04": 95.5})
    wb = openpyxl.load_workbook(path)
    del wb[intake.META_SHEET]
    wb.save(path)
    assert "not a template" in _only_error(intake.import_files([path], db=db)).message_en
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    assert "damaged or not an Excel workbook" in _only_error(intake.import_files([junk], db=db)).message_en
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert ".xls" in _only_error(intake.import_files([old], db=db)).message_en


# --- importing CSV ---------------------------------------------------------------------------------

def test_csv_rules(db, tmp_path):
    path = _csv(tmp_path, """
        indicator_id,year,value,note
        W11,2024,97,
        W11,2024,98,
        X99,2024,1,
        W12,2031,5,
        W12,2029,5,
        C27,2023,abc,
        W13,2024,50,
        """)
    result = intake.import_files([path], db=db)
    errors = [(p.row, p.column, p.message_en) for p in result.problems if p.severity == "error"]
    assert [e[:2] for e in errors] == [(3, "indicator_id"), (4, "indicator_id"), (5, "year"),
                                       (6, "year"), (7, "value")]
    expected = ["Indicator W11, 石柱县, 2024 appears twice in the file (first at #2)",
                "Indicator code 'X99' is not in the catalogue", "Year 2031 is outside the accepted range",
                "Year 2029 is still in the future", "Not a number"]
    assert all(e[2].startswith(x) for e, x in zip(errors, expected))
    assert _current(db, "W13")[0][3] == S.DEMO_SOURCE  # nothing from the file was imported


def test_csv_in_gbk_with_chinese_headers(db, tmp_path):
    path = _csv(tmp_path, """
        指标代码,年份,数值,备注
        W11,2024,97.5,
        W12,2015,88,补录
        """, encoding="gb18030")
    result = intake.import_files([path], db=db)
    assert result.ok, result.summary("en")
    assert _current(db, "W11")[0][0] == 97.5 and _current(db, "W12", 2015)[0][0] == 88.0
    (warning,) = [p for p in result.problems if p.severity == "warning"]
    assert "before the plan period (2015)" in warning.message_en


def test_csv_rows_are_numbered_as_the_file_shows_them(db, tmp_path):
    path = tmp_path / "semicolons.csv"
    path.write_text("\n\nindicator_id;year;value;note\nW11;2024;97;\"two\nlines\"\n\nW12;2024;x;\n", encoding="utf-8")
    problem = _only_error(intake.import_files([path], db=db))
    assert (problem.row, problem.column, problem.value) == (7, "value", "x")


def test_csv_problems_with_the_header(db, tmp_path):
    missing = _csv(tmp_path, "indicator_id,value\nW11,97\n")
    problem = _only_error(intake.import_files([missing], db=db))
    assert (problem.row, "'year'" in problem.message_en) == (1, True)
    undecodable = tmp_path / "bytes.csv"
    undecodable.write_bytes(b"\xff\xfe\x00\x81\xfe\xff" * 20)
    assert "encoding" in _only_error(intake.import_files([undecodable], db=db)).message_en


def test_several_files_are_each_all_or_nothing(any_db, tmp_path, template):
    good = template(HEALTH, {"W04": 95.5})
    bad = _csv(tmp_path, "indicator_id,year,value\nW11,2024,97\nW12,2024,x\n")
    result = intake.import_files([bad, good], db=any_db)
    assert not result.ok
    assert [f.status for f in result.files] == ["rejected", "imported"]
    assert _current(any_db, "W04")[0][0] == 95.5 and _current(any_db, "W11")[0][3] == S.DEMO_SOURCE


def test_dry_run_checks_against_the_store_and_imports_nothing(any_db, template):
    assert intake.import_files([template(HEALTH, {"W04": 95.5})], db=any_db).ok
    before = snapshot(any_db)
    ok = intake.import_files([template(HEALTH, {"W07": 99.0})], db=any_db, dry_run=True)
    assert ok.ok and ok.files[0].status == "checked" and ok.files[0].counts.n_changed == 1
    bad = intake.import_files([template(HEALTH, {"W04": 80.0})], db=any_db, dry_run=True)
    assert not bad.ok and "note" in bad.problems[0].message_en
    assert snapshot(any_db) == before


def test_illustrative_rows_never_replace_reported_values(any_db, tmp_path, template):
    assert intake.import_files([template(HEALTH, {"W04": 95.5})], db=any_db).ok
    path = _csv(tmp_path, "indicator_id,year,value,source,note\nW04,2024,80,demo,x\n")
    assert "Illustrative data cannot replace" in _only_error(intake.import_files([path], db=any_db)).message_en


def _no_dashboard_build(monkeypatch) -> list:
    """``planlib import`` ends by rebuilding the dashboard (tests/test_apps_build.py checks that
    build, which takes a minute): record the stores it is asked for instead."""
    builds = []
    monkeypatch.setattr(cli, "_build", lambda db, lang, *args, **kwargs: builds.append(db) or 0)
    return builds


def test_export_then_import_restores_the_store(any_db, empty_db, tmp_path, template, capsys, monkeypatch):
    builds = _no_dashboard_build(monkeypatch)
    assert intake.import_files([template(HEALTH, {"W04": 95.5, "W03": {"分子": 1, "分母": 4000}})], db=any_db).ok
    assert intake.import_files([template(HEALTH, {"W04": {"数值": 96.0, "备注": "更正"}})], db=any_db).ok
    backup = tmp_path / "backup.csv"
    assert cli.main(["export", "--db", str(any_db), "--output", str(backup), "--lang", "en"]) == 0
    assert capsys.readouterr().err.strip() == S.DEMO_LABEL_EN
    assert cli.main(["import", "--db", str(empty_db), str(backup)]) == 0
    assert store.export_csv(empty_db) == backup.read_text(encoding="utf-8")
    assert cli.main(["import", "--db", str(empty_db), str(backup)]) == 0  # again: nothing changes
    assert len(store.submissions(empty_db)) == 2
    assert builds == [str(empty_db)] * 2


# --- the command line ----------------------------------------------------------------------------

def test_cli_template_import_and_messages(any_db, tmp_path, capsys, monkeypatch):
    builds = _no_dashboard_build(monkeypatch)
    out = tmp_path / "jw.xlsx"
    assert cli.main(["template", "--unit", EDUCATION, "--year", str(YEAR), "--output", str(out), "--db", str(any_db)]) == 0
    fill_template(out, {"W11": 97.2, "W12": "九十"})
    assert cli.main(["import", str(out), "--db", str(any_db), "--lang", "en"]) == 2
    text = capsys.readouterr().out
    assert f"file jw.xlsx, sheet 县教委, row {template_row(out, 'W12', EDUCATION)}, column 数值（G）" in text
    assert "Not a number (value found: '九十')" in text
    fill_template(out, {"W12": 95.0})
    assert cli.main(["import", str(out), "--db", str(any_db)]) == 0
    assert "已导入（提交 #2）：新增 0 个、修改 2 个" in capsys.readouterr().out
    assert builds == [str(any_db)]  # only the import that succeeded rebuilds the dashboard


# --- nothing lost: killed and concurrent imports ------------------------------------------------------

_PAUSED_IMPORT = """
import select, sys
from planlib import intake, store
real_commit = store._commit
def paused(conn):  # until the test writes a line to standard input, or for argv[3] seconds
    print("IN-TRANSACTION", flush=True)
    select.select([sys.stdin], [], [], float(sys.argv[3]))
    real_commit(conn)
store._commit = paused
result = intake.import_files([sys.argv[1]], db=sys.argv[2])
print("DONE", result.ok, flush=True)
"""


def _start(args, pause=None):
    code = _PAUSED_IMPORT if pause is not None else (
        "import sys; from planlib import intake; print('STARTING', flush=True);"
        "r = intake.import_files([sys.argv[1]], db=sys.argv[2]); print('DONE', r.ok, flush=True)")
    extra = [str(pause)] if pause is not None else []
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args), *extra], cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(proc, marker="IN-TRANSACTION"):
    line = proc.stdout.readline()
    assert line.strip() == marker, line + proc.stderr.read()


@pytest.mark.slow
def test_killed_import_leaves_the_store_as_it_was(any_db, template):
    path = template(HEALTH, {"W04": 95.5, "W07": 99.0, "C02": 1.2})
    before = snapshot(any_db)
    proc = _start([path, any_db], pause=60)
    _wait_for(proc)  # the rows are written, the transaction is not committed
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert snapshot(any_db) == before
    result = intake.import_files([path], db=any_db)  # the lock was released: it imports now
    assert result.files[0].status == "imported" and _current(any_db, "W04")[0][0] == 95.5


@pytest.mark.slow
def test_two_imports_at_once_both_succeed(any_db, template):
    health = template(HEALTH, {"W04": 95.5, "C02": 1.2})
    education = template(EDUCATION, {"W11": 97.5, "C10": 30.0})
    first = _start([health, any_db], pause=60)  # until released below
    second = None
    try:
        _wait_for(first)
        second = _start([education, any_db])
        _wait_for(second, "STARTING")
        time.sleep(0.8)  # an unhindered import of one small file takes about 0.1 s
        assert second.poll() is None and first.poll() is None  # the second waits for the first
        assert _current(any_db, "W04")[0][3] == S.DEMO_SOURCE  # readers are not blocked, see no half-import
        out1, err1 = first.communicate("commit now\n", timeout=60)
        out2, err2 = second.communicate(timeout=60)
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
    assert "DONE True" in out1 and "DONE True" in out2, err1 + err2
    subs = store.submissions(any_db)
    assert subs["file_name"].tolist()[:2] == [education.name, health.name]
    assert [_current(any_db, c)[0][0] for c in ("W04", "C02", "W11", "C10")] == [95.5, 1.2, 97.5, 30.0]
