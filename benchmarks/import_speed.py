"""How long importing 30 filled department workbooks takes (goal: under 3 s in total).

The workbooks are the ``--unit all`` templates (one sheet per responsible unit, 19 sheets) for
the reporting years 2010-2024, each filled with one plausible value for every indicator (in the
sheet of its lead unit) plus deaths and live births for the mortality rates: 104 values per
workbook. Each year is sent twice: the first submission, then a corrected one in which about
one value in ten changes, with a note giving the reason. That is 30 workbooks and 3,120 values,
every one validated (including against the store), and each workbook committed in its own
transaction, in a temporary store seeded from the shipped data.

Timed: ``planlib.intake.import_files`` (the call ``planlib import *.xlsx`` makes) in a fresh
process; making and filling the workbooks is not timed. The whole ``planlib import`` command
(Python start and imports included) is reported too. Run:
``.venv/bin/python benchmarks/import_speed.py``.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

from planlib import intake, observations, store
from planlib.catalog import load_catalog

GOAL_SECONDS = 3.0
YEARS = range(2010, 2025)
BIRTHS = 4000


def start_value(unit: str, name: str, rng: random.Random) -> float:
    """A plausible first value of an indicator in its unit."""
    rule = intake.unit_rule(unit, name)
    if unit == "%":
        return rng.uniform(60, 95)
    if rule.whole:
        return rng.randint(50, 500)
    return rng.uniform(0.2, (rule.high or 100) * 0.8)


def cells(unit: str, name: str, level: float) -> dict:
    """One filled row: the value, and deaths and live births for rates per births."""
    rule = intake.unit_rule(unit, name)
    if unit in ("‰", "1/10万"):
        deaths = max(0, round(level * BIRTHS / rule.scale))
        return {"数值": round(deaths / BIRTHS * rule.scale, 2), "分子": deaths, "分母": BIRTHS}
    if rule.whole:
        return {"数值": max(0, round(level))}
    low, high = rule.low or 0.0, rule.high if rule.high is not None else float("inf")
    return {"数值": round(min(max(level, low), high), 2)}


def fill(template: Path, values: dict[str, dict], output: Path) -> Path:
    """Type values into the sheet of each indicator's lead unit, as a department would."""
    wb = openpyxl.load_workbook(template)
    col = {c.label: j for j, c in enumerate(intake.TEMPLATE_COLUMNS, start=1)}
    done: set[str] = set()
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        for row in range(intake.HEADER_ROW + 1, ws.max_row + 1):
            code = ws.cell(row, 1).value
            if code in values and code not in done:
                for label, value in values[code].items():
                    ws.cell(row, col[label]).value = value
                done.add(code)
    wb.save(output)
    return output


def make_workbooks(folder: Path, db: Path, seed: int = 2030) -> tuple[list[Path], int]:
    """The 30 filled workbooks, and how many numbers were typed into them.

    Each indicator follows a random walk (about 3 % a year); values the plans already state
    (their baselines) are reported as stated.
    """
    rng = random.Random(seed)
    catalog = load_catalog()
    rows = list(zip(catalog["indicator_id"], catalog["unit"], catalog["name_zh"]))
    known = store.read_observations(db).query("region == '石柱县' and source != 'demo'")
    stated = {(r.indicator_id, r.year): r.value for r in known.itertuples()}
    level = {code: start_value(unit, name, rng) for code, unit, name in rows}
    paths, numbers = [], 0
    for year in YEARS:
        blank = intake.write_template("all", year, folder / f"blank-{year}.xlsx", db=db)
        first = {}
        for code, unit, name in rows:
            level[code] = stated.get((code, year), level[code] * rng.gauss(1.0, 0.03))
            first[code] = cells(unit, name, level[code])
        corrected = dict(first)
        for code, unit, name in rng.sample([r for r in rows if (r[0], year) not in stated], k=9):
            corrected[code] = {**cells(unit, name, level[code] * 1.02), "备注": "更正：核对原始台账"}
        paths.append(fill(blank, first, folder / f"{year}-报送.xlsx"))
        paths.append(fill(blank, corrected, folder / f"{year}-更正.xlsx"))
        numbers += 2 * sum(len(c) for c in first.values())
    return paths, numbers


_TIMED_IMPORT = """
import json, sys, time
from planlib import intake
paths, db = sys.argv[1:-1], sys.argv[-1]
start = time.perf_counter()
result = intake.import_files(paths, db=db, by="benchmark")
seconds = time.perf_counter() - start
counts = [f.counts for f in result.files if f.counts]
print(json.dumps({"seconds": seconds, "ok": result.ok, "summary": result.summary("en"),
                  "values": sum(c.n_new + c.n_changed + c.n_unchanged for c in counts),
                  "changed": sum(c.n_changed for c in counts), "problems": len(result.problems)}))
"""


def timed_import(paths: list[Path], db: Path) -> dict:
    """``import_files`` timed in a fresh process, as ``planlib import`` runs it."""
    out = subprocess.run([sys.executable, "-c", _TIMED_IMPORT, *map(str, paths), str(db)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def cli_seconds(paths: list[Path], db: Path) -> float:
    """The whole ``planlib import`` command, process start and imports included."""
    start = time.perf_counter()
    subprocess.run([str(Path(sys.executable).with_name("planlib")), "import", "--db", str(db),
                    *map(str, paths)], capture_output=True, check=True)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        seed, _ = observations.ensure_store(folder / "seed.sqlite")
        paths, n_numbers = make_workbooks(folder, seed)
        shutil.copy(seed, folder / "a.sqlite")
        shutil.copy(seed, folder / "b.sqlite")
        run = timed_import(paths, folder / "a.sqlite")
        if not run["ok"]:
            print(run["summary"], file=sys.stderr)
            return 1
        whole = cli_seconds(paths, folder / "b.sqlite")
    verdict = "OK" if run["seconds"] < GOAL_SECONDS else "SLOW"
    print(f"import_speed: {len(paths)} workbooks, {n_numbers} numbers typed ({run['values']} indicator "
          f"values, {run['changed']} stored values changed, {run['problems']} warnings), validated and "
          f"committed in {run['seconds']:.2f} s (goal < {GOAL_SECONDS:.0f} s): {verdict}; "
          f"the whole `planlib import` command, Python start included: {whole:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
