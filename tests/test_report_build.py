"""planlib.report.build: preparing a report's content, projections, loading, writing the folder."""

from __future__ import annotations

import os

import pytest

from planlib import schema as S
from planlib.errors import PlanlibError
from planlib.report import build as B
from planlib.report import tables as T
from planlib.report.content import History, ReportOptions

from .conftest import BACKENDS
from .report_fixtures import observations, small_catalog


def test_prepare_current_then_comparisons_equals_prepare():
    cat, obs = small_catalog(), observations()
    current = B.prepare_current(ReportOptions(2025, "midterm"), cat, obs)
    assert current.evaluation is None and current.previous.empty and not current.vintage_used
    full = B.add_comparisons(current)
    direct = B.prepare(ReportOptions(2025, "midterm"), cat, obs)
    assert full.evaluation.equals(direct.evaluation) and full.previous.equals(direct.previous)
    # Without a vintage, last year's report is the current data assessed as of the year before.
    previous = T.county_rows(full.previous).set_index(S.INDICATOR_ID)["status"].to_dict()
    assert previous == {"W01": S.AT_RISK, "W03": S.ACHIEVED, "W11": S.ACHIEVED, "W13": S.NOT_ASSESSABLE,
                        "C02": S.AT_RISK}


def test_projections_stop_at_the_target_year_and_skip_what_cannot_be_projected():
    out = B.projections(small_catalog(), observations())
    assert sorted(out) == ["C02", "W01", "W03", "W11", "W13"]
    assert out["W13"].empty  # 保持合理比例
    w03 = out["W03"]
    assert w03[S.YEAR].max() == 2030 and w03[w03[S.IS_PROJECTION]][S.YEAR].min() == 2025
    assert w03.loc[w03[S.YEAR] == 2030, S.MEAN].iloc[0] == pytest.approx(4.313, abs=0.001)
    earlier = B.projections(small_catalog(), observations(), as_of=2022)["W03"]
    assert earlier[earlier[S.IS_PROJECTION]][S.YEAR].min() == 2023


def test_unknown_unit_is_refused_with_the_units_named():
    with pytest.raises(PlanlibError) as caught:
        B.prepare(ReportOptions(2024, unit="县教育局"), small_catalog(), observations())
    problem = caught.value.problems[0]
    assert problem.message_zh == "“县教育局”不是任何指标的责任单位"
    assert problem.message_en == "'县教育局' is not a responsible unit of any indicator"
    assert "县卫生健康委、县教委" in problem.fix_zh and problem.column == "--unit"


@pytest.mark.parametrize("backend", BACKENDS)
def test_history_without_a_store_is_empty(backend, request, tmp_path):
    nowhere = tmp_path / "none.sqlite" if backend == "sqlite" else request.getfixturevalue("pg_url")  # empty
    history = B.load_history(ReportOptions(2024), nowhere)
    assert history.vintage is None and history.revisions.empty and history.submissions.empty
    assert isinstance(history, History)


def test_write_files_refuses_a_file_and_removes_dead_runs(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(PlanlibError) as caught:
        B.write_files({"a": b"1"}, blocker)
    assert caught.value.problems[0].message_en == f"{blocker} is a file, not a directory"
    dead = tmp_path / ".r.999999999.abc.tmp"
    dead.mkdir()
    alive = tmp_path / f".r.{os.getpid()}.abc.tmp"
    alive.mkdir()
    assert [p.name for p in B.write_files({"report.html": b"<p>"}, tmp_path / "r")] == ["report.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["file", "r", alive.name])


def test_file_names():
    assert (B.HTML_NAME, B.DOCX_NAME, B.XLSX_NAME) == ("report.html", "report.docx", "data.xlsx")
