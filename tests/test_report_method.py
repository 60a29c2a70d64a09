"""The report's method note: what each status means, how p is found, and the calibration evidence
it quotes from ``data/calibration.csv``."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import docx
import pandas as pd
import pytest

from planlib import config, i18n
from planlib.assessment import AssessConfig, status_meanings
from planlib.calibration import FAMILIES, RELIABILITY_COLUMNS
from planlib.formats import format_share
from planlib.report import docx as D
from planlib.report import html as H
from planlib.report import method as M
from planlib.report.build import prepare
from planlib.report.content import ReportOptions
from planlib.report.tables import label

from .report_fixtures import observations, small_catalog


@pytest.fixture(scope="module")
def data():
    return prepare(ReportOptions(2024), small_catalog(), observations())


def _section(page: str, key: str) -> str:
    return re.search(rf'<section[^>]*id="{key}".*?</section>', page, re.S).group(0)


def _cells(table: str) -> list[list[str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    return [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S) for r in rows]


def test_the_shipped_evidence_file_is_read_into_the_report(data):
    shipped = pd.read_csv(config.CALIBRATION_PATH)
    assert list(shipped.columns) == RELIABILITY_COLUMNS + ["draws", "seed"]
    assert data.evidence is not None and data.evidence.equals(shipped)


def test_the_note_quotes_the_evidence_of_each_status(data):
    section = _section(H.render_html(data, {}), "method")
    tables = re.findall(r"<table>.*?</table>", section, re.S)
    assert len(tables) == 2  # the statuses' meanings, then the evidence
    meanings = _cells(tables[0])
    assert meanings[0] == ["状态", "含义"]
    assert meanings[3] == ["存在风险", "达标概率不低于25%、低于75%"]
    evidence = _cells(tables[1])
    assert evidence[0] == ["数据", "状态", "个案数", "平均达标概率", "实际达标比例"]
    pooled = data.evidence[data.evidence["data"].isin(["simulated", "real"])
                           & (data.evidence["flag"] != "all")]
    own = data.evidence[(data.evidence["data"] == "noisy_ratio") & (data.evidence["flag"] != "all")]
    assert len(pooled) == 6 and len(own) == 3 and len(evidence) - 1 == 9
    for cells, row in zip(evidence[1:7], pooled.itertuples()):
        assert cells[2] == str(row.n) and cells[4] == format_share(row.share_met)
        assert cells[3] != "—"
    for cells, row in zip(evidence[7:], own.itertuples()):  # the sex ratio: no mean probability
        assert cells[0] == "模拟的出生人口性别比（按正常范围判断）" and cells[2] == str(row.n)
        assert cells[3] == "—" and cells[4] == format_share(row.share_met)
    at_risk = pooled[pooled["flag"] == "at_risk"].set_index("data")["share_met"]
    steady = data.evidence.set_index(["data", "flag"]).loc[("steady_trend", "all")]
    assert (f"模拟序列有{format_share(at_risk['simulated'])}、真实数据有{format_share(at_risk['real'])}最终达标"
            in section)
    assert f"实际{format_share(steady['share_met'])}达标，平均达标概率{format_share(steady['mean_p_meet'])}" in section
    assert f"每类{int(data.evidence['draws'].iloc[0])}条" in section and "7类" in section


def test_the_cut_offs_are_those_of_the_assessment():
    strict = status_meanings("en", AssessConfig(on_track=0.8, at_risk=0.3))
    assert strict[2] == ("at_risk", "At risk", "The probability of meeting the target is at least 30% and below 80%")
    assert M.how_lines("zh")[2].startswith("在本指标的数据上回测：只有趋势的预测误差比近年水平至少小10%时")


def test_without_the_evidence_the_note_says_it_is_missing(data):
    bare = replace(data, evidence=None)
    section = _section(H.render_html(bare, {}), "method")
    assert label("evidence_missing", "zh") in section and section.count("<table>") == 1
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(D.render_docx(bare, {}))).paragraphs)
    assert label("evidence_missing", "zh") in text


def test_the_word_report_has_the_note_with_both_tables(data):
    document = docx.Document(io.BytesIO(D.render_docx(data, {})))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings[-3:] == ["（一）各状态的含义", "（二）达标概率怎样得出", "（三）状态的可靠性检验"]
    last_two = document.tables[-2:]
    assert [c.text for c in last_two[0].rows[3].cells] == ["存在风险", "达标概率不低于25%、低于75%"]
    assert [c.text for c in last_two[1].rows[0].cells] == ["数据", "状态", "个案数", "平均达标概率", "实际达标比例"]


def test_the_english_note_names_every_family():
    data = prepare(ReportOptions(2024, lang="en"), small_catalog(), observations())
    intro, note = M.evidence_texts(data.evidence, "en")
    assert "7 kinds of simulated county series, 1000 of each" in intro
    assert all(i18n.CALIBRATION_FAMILY_LABELS[f.name]["en"] in intro for f in FAMILIES)
    assert "rates near 100%, steps, flat shares, steady trends, rare events among births" in intro
    assert note.startswith("A probability is an estimate, not a promise")


def test_the_evidence_file_and_the_docs_table_come_from_the_same_run():
    """``benchmarks/calibration.py`` writes both; a hand edit or a stale copy of either fails."""
    evidence = pd.read_csv(config.CALIBRATION_PATH).set_index(["data", "flag"])
    doc = (config.ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    section = doc.split("<!-- calibration:begin -->", 1)[1].split("<!-- calibration:end -->", 1)[0]
    header = next(line for line in section.splitlines() if line.startswith("|  | n | brier"))
    columns = [c.strip() for c in header.strip("|").split("|")]
    checked = 0
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) != len(columns) or (cells[0], "all") not in evidence.index:
            continue
        row, mine = dict(zip(columns, cells)), evidence.loc[(cells[0], "all")]
        assert float(row["n"]) == mine["n"]
        assert float(row["mean_p_meet"]) == pytest.approx(mine["mean_p_meet"], abs=1e-3)
        assert float(row["share_met"]) == pytest.approx(mine["share_met"], abs=1e-3)
        flagged = 1 - (evidence.loc[(cells[0], "not_flagged"), "n"] if (cells[0], "not_flagged") in evidence.index
                       else 0) / mine["n"]
        assert float(row["flagged"]) == pytest.approx(flagged, abs=1e-3)
        checked += 1
    assert checked == len(FAMILIES) + 2
