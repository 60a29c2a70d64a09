"""Malformed workbooks and CSV files thrown at the importer: it never crashes with a traceback,
never imports part of a file, and always names the problem."""

import io
import math
from datetime import datetime

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planlib import intake, store
from planlib import schema as S

from .conftest import snapshot
from .intake_fixtures import HEALTH, blank_templates  # noqa: F401

SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

cells = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.sampled_from(["W04", "C02", "w04", "Ｗ０４", "92.5", "９２．５", "1,234", "12%", "#DIV/0!",
                     "=A1", " ", "数值", "指标代码", "备注", "2024", "-0", "1e400"]),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
)


def _set_cell(wb, row, col, value):
    ws = wb[HEALTH] if HEALTH in wb.sheetnames else wb.worksheets[0]
    try:
        ws.cell(row, col).value = value
    except Exception:  # noqa: BLE001 - openpyxl itself refuses some values (illegal characters)
        ws.cell(row, col).value = "?"


def _clear(wb, name):
    if name in wb.sheetnames:
        ws = wb[name]
        ws.delete_rows(1, ws.max_row)


def _drop(wb, name):
    if name in wb.sheetnames and len(wb.sheetnames) > 1:
        del wb[name]
    if all(ws.sheet_state != "visible" for ws in wb.worksheets):  # openpyxl cannot save that
        wb.create_sheet("Sheet1")


def _rename(wb, name):
    if name in wb.sheetnames:
        wb[name].title = "Sheet X"


mutations = st.one_of(
    st.tuples(st.just(_set_cell), st.integers(1, 40), st.integers(1, 12), cells),
    st.tuples(st.just(_set_cell), st.integers(4, 31), st.just(7), cells),  # the value column
    st.tuples(st.just(lambda wb, r: wb[HEALTH].delete_rows(r) if HEALTH in wb.sheetnames else None),
              st.integers(1, 35)),
    st.tuples(st.sampled_from([_clear, _drop, _rename]), st.sampled_from([HEALTH, intake.META_SHEET])),
    st.tuples(st.just(lambda wb: wb.create_sheet("空表"))),
)


def _check(result, name, before, after, db):
    assert len(result.files) == 1
    for problem in result.problems:
        assert problem.file == name and problem.message_zh and problem.message_en
        assert problem.fix_zh and problem.fix_en
        assert problem.text("zh") and problem.text("en")
    if not result.ok:
        assert result.files[0].status == "rejected" and result.files[0].errors
        assert after == before, "a rejected file changed the store"
    elif result.files[0].status == "imported":
        counts = result.files[0].counts
        assert counts.n_new + counts.n_changed > 0
    else:
        assert after == before
    assert result.summary("zh") and result.summary("en")


def _import_bytes(db, tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    before = snapshot(db)
    result = intake.import_files([path], db=db)
    return result, before, snapshot(db)


@pytest.mark.slow
@SETTINGS
@given(changes=st.lists(mutations, min_size=1, max_size=6), values=st.lists(cells, max_size=5))
def test_malformed_workbooks(any_db, blank_templates, tmp_path, changes, values):
    wb = openpyxl.load_workbook(blank_templates[HEALTH])
    for i, value in enumerate(values):  # some plausible filling first
        _set_cell(wb, 4 + i, 7, value)
    for func, *args in changes:
        func(wb, *args)
    buf = io.BytesIO()
    wb.save(buf)
    result, before, after = _import_bytes(any_db, tmp_path, "filled.xlsx", buf.getvalue())
    _check(result, "filled.xlsx", before, after, any_db)
    if result.files[0].status == "imported":  # everything in the file, nothing else, is stored
        stored = store.read_observations(any_db)
        parsed = intake.readers._parse("filled.xlsx", buf.getvalue())
        rows, _ = intake.check_rows(parsed, intake.layout._Catalog.load())
        for obs in rows:
            hit = stored[(stored[S.INDICATOR_ID] == obs[S.INDICATOR_ID]) & (stored[S.YEAR] == obs[S.YEAR])
                         & (stored[S.REGION] == obs[S.REGION])]
            assert hit[S.VALUE].tolist() == [obs[S.VALUE]]


@pytest.mark.slow
@SETTINGS
@given(data=st.binary(max_size=400), name=st.sampled_from(["x.xlsx", "x.csv", "x.xls", "x.txt", "x"]))
def test_arbitrary_bytes(db, tmp_path, data, name):
    result, before, after = _import_bytes(db, tmp_path, name, data)
    _check(result, name, before, after, db)


headers = st.lists(st.sampled_from(["indicator_id", "year", "value", "region", "numerator",
                                    "denominator", "source", "status", "note", "指标代码", "年份",
                                    "数值", "备注", "junk", "", "VALUE"]), max_size=8)
csv_cells = st.one_of(st.sampled_from(["W04", "C02", "C27", "X1", "2024", "2015", "2031", "95.5",
                                       "-3", "abc", "", "demo", "reported", "估计", "1,5", '"']),
                      st.text(max_size=8))


@pytest.mark.slow
@SETTINGS
@given(header=headers, rows=st.lists(st.lists(csv_cells, max_size=9), max_size=6),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "latin-1"]),
       separator=st.sampled_from([",", ";", "\t"]))
def test_malformed_csv(db, tmp_path, header, rows, encoding, separator):
    lines = [separator.join(header)] + [separator.join(r) for r in rows]
    data = "\n".join(lines).encode(encoding, errors="replace")
    result, before, after = _import_bytes(db, tmp_path, "data.csv", data)
    _check(result, "data.csv", before, after, db)


@pytest.mark.slow
@SETTINGS
@given(values=st.dictionaries(st.sampled_from(["W01", "W04", "W07", "C02", "C12"]), cells, min_size=1))
def test_value_cells_either_import_whole_or_name_every_bad_cell(db, blank_templates, tmp_path, values):
    wb = openpyxl.load_workbook(blank_templates[HEALTH])
    ws = wb[HEALTH]
    rows = {ws.cell(r, 1).value: r for r in range(4, ws.max_row + 1)}
    for code, value in values.items():
        _set_cell(wb, rows[code], 7, value)
    buf = io.BytesIO()
    wb.save(buf)
    result, before, after = _import_bytes(db, tmp_path, "v.xlsx", buf.getvalue())
    _check(result, "v.xlsx", before, after, db)
    for problem in result.files[0].errors:
        if problem.message_en == "The file contains no values":  # nothing typed at all
            # (openpyxl writes an infinite or NaN number as an empty cell: nothing is typed there either)
            assert all(v is None or (isinstance(v, str) and not v.strip())
                       or (isinstance(v, float) and not math.isfinite(v)) for v in values.values())
        else:
            assert problem.sheet == HEALTH and problem.row in rows.values() and problem.column
