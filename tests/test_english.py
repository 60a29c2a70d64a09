"""English output (``--lang en``, the dashboard in English) carries no Chinese but what has no English.

What may stay Chinese on an English page, and nothing else:

* quoted plan titles, in 《…》;
* names that exist only in Chinese in the data: an indicator's ``name_zh`` when its ``name_en`` is
  empty, a responsible unit without an entry in ``i18n.RESPONSIBLE_UNIT_LABELS``, a region without
  an entry in ``i18n.REGION_LABELS``, an observation's ``source`` and ``note`` as written;
* the catalogue's ``target_text``: the plan's own wording of the target (the catalogue has no
  English column for it), quoted as printed;
* in an error, the offending value quoted from the input (``value found: '努力做好'``) and the file's path;
* in machine-readable output (CSV, JSON), the ``*_zh`` column of a bilingual pair
  (``explanation_zh`` beside ``explanation_en``) and the ``region`` key.

Every run of Chinese characters in the output must lie inside one of these; anything else is a leak.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from planlib import forecast  # noqa: F401  (imported at collection: statsmodels takes a while)
from planlib import i18n
from planlib import schema as S
from planlib.cli import main
from planlib.reference import load_reference_values

from .app_fixtures import CATALOG as APP_CATALOG
from .app_fixtures import OBSERVATIONS as APP_OBSERVATIONS
from .test_cli import CATALOG as CLI_CATALOG
from .test_cli import _observations as cli_observations

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff08\uff09\uff0c\uff1a\uff1b\u201c\u201d]*"
                 r"[\u3400-\u4dbf\u4e00-\u9fff]+[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f]*")
TITLE = re.compile(r"《[^》]*》")
#: In an error, what is quoted from the input or given as an example of it ('努力做好', '45左右').
QUOTED = re.compile(r"'[^'\n]*'")


def allowed_texts(catalog: pd.DataFrame, observations: pd.DataFrame | None = None) -> list[str]:
    """The Chinese a page about this plan may show in English (see the module's docstring)."""
    def get(frame: pd.DataFrame, col: str) -> pd.Series:
        return frame[col].fillna("").astype(str) if col in frame else pd.Series("", index=frame.index)

    names = catalog.loc[get(catalog, S.NAME_EN).str.strip() == "", S.NAME_ZH].astype(str).tolist()
    units = [u.strip() for cell in get(catalog, "responsible_units") for u in re.split(r"[;；、,，]", cell)
             if u.strip() and u.strip() not in i18n.RESPONSIBLE_UNIT_LABELS]
    texts = names + units + get(catalog, "target_text").tolist()
    if observations is not None:
        texts += [r for r in get(observations, S.REGION).unique() if r not in i18n.REGION_LABELS]
        texts += get(observations, S.SOURCE).tolist() + get(observations, "note").tolist()
    # The reference table's published measures and sources are shown as published (context lines).
    ref = load_reference_values()
    texts += ref["measure_zh"].tolist() + ref[S.SOURCE].tolist() + ref["derivation"].tolist()
    return [t for t in texts if t]


def leaks(text: str, allowed: list[str], error: bool = False) -> list[str]:
    """The runs of Chinese in ``text`` that none of ``allowed`` contains.

    A run cut short with "…" (a narrow table column) counts as contained if an allowed text
    contains what is left of it.
    """
    text = TITLE.sub("", text)
    text = QUOTED.sub("", text) if error else text
    found = []
    for run in HAN.findall(text):
        core = run.strip("（），：；“”、。　【】")
        if core and not any(core in a for a in allowed):
            found.append(run)
    return sorted(set(found))


def test_the_leak_check_can_fail():
    assert leaks("Status: 存在风险 (W01)", []) == ["存在风险"]
    assert leaks("The target '15左右' is qualitative", ["15左右"]) == []
    assert leaks("see 《石柱县儿童发展规划》", []) == []
    assert leaks("row 4, column target_text (value found: '努力做好')", [], error=True) == []
    assert leaks("row 4, column target_text (value found: '努力做好')", []) == ["努力做好"]
    assert leaks("【甲县】 E1 老年人…", ["甲县", "老年人健康管理率（%）"]) == []
    assert leaks("Shizhu County ✔ Achieved ？ Insufficient data", []) == []


# --- the command line ----------------------------------------------------------------------------

@pytest.fixture()
def small_plan(tmp_path: Path) -> tuple[Path, Path]:
    cat, obs = tmp_path / "catalog.csv", tmp_path / "observations.csv"
    cat.write_text(CLI_CATALOG, encoding="utf-8")
    obs.write_text(cli_observations(), encoding="utf-8")
    return cat, obs


def _allowed_small() -> list[str]:
    catalog = pd.read_csv(io.StringIO(CLI_CATALOG), keep_default_na=False)
    return allowed_texts(catalog, pd.read_csv(io.StringIO(cli_observations())))


def _assess(plan, capsys, *extra) -> tuple[int, str, str]:
    cat, obs = plan
    code = main(["assess", "--lang", "en", "--catalog", str(cat), "--observations", str(obs), *extra])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_assess_table_in_english(small_plan, capsys):
    code, out, err = _assess(small_plan, capsys)
    assert code == 0 and err == ""
    assert "Binding indicators at risk or off track: 2" in out
    assert leaks(out, _allowed_small()) == []


def test_assess_csv_in_english(small_plan, capsys):
    code, out, _ = _assess(small_plan, capsys, "--format", "csv")
    assert code == 0
    frame = pd.read_csv(io.StringIO(out))
    english = frame.drop(columns=[c for c in frame.columns if c.endswith("_zh")] + [S.REGION])
    assert frame["explanation_en"].str.len().min() > 20  # the English column is there and filled
    assert leaks(english.to_csv(index=False), _allowed_small()) == []


def test_assess_json_in_english(small_plan, capsys):
    code, out, _ = _assess(small_plan, capsys, "--format", "json")
    assert code == 0
    records = [{k: v for k, v in r.items() if not k.endswith("_zh") and k != S.REGION} for r in json.loads(out)]
    assert len(records) == 4
    assert leaks(json.dumps(records, ensure_ascii=False), _allowed_small()) == []


def test_bad_catalogue_error_in_english(small_plan, capsys):
    cat, _ = small_plan
    cat.write_text(CLI_CATALOG.replace(",target_text", ",goal"), encoding="utf-8")
    code, _, err = _assess(small_plan, capsys)
    assert code == 2 and "target_text" in err and "row 1" in err
    assert leaks(err, [], error=True) == []


def test_unreadable_target_error_in_english(small_plan, capsys):
    cat, _ = small_plan
    cat.write_text(CLI_CATALOG.replace("15左右", "努力做好"), encoding="utf-8")
    code, _, err = _assess(small_plan, capsys)
    assert code == 2 and "努力做好" in err
    assert leaks(err, [], error=True) == []


def test_bad_value_error_in_english(small_plan, capsys):
    _, obs = small_plan
    obs.write_text(cli_observations().replace("E2,甲县,2020,32.0", "E2,甲县,2020,三十二"), encoding="utf-8")
    code, _, err = _assess(small_plan, capsys, "--format", "csv")
    assert code == 2 and "row 11" in err and "column value" in err
    assert leaks(err, [], error=True) == []


def test_missing_file_and_missing_store_in_english(tmp_path, capsys):
    assert main(["assess", "--lang", "en", "--catalog", str(tmp_path / "nope.csv")]) == 2
    err = capsys.readouterr().err
    assert "nope.csv" in err and leaks(err, [], error=True) == []
    assert main(["export", "--lang", "en", "--db", str(tmp_path / "none.sqlite")]) == 2
    err = capsys.readouterr().err
    assert "none.sqlite" in err and leaks(err, [], error=True) == []


# --- the dashboard -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def app_model():
    from planlib.apps.model import Model

    return Model(APP_CATALOG, APP_OBSERVATIONS)


def test_dashboard_page_in_english(app_model):
    from planlib.apps.content import page_content

    page = page_content(app_model, 2023, "en")
    assert page["title"] == i18n.t("title", "en")
    # what the page shows, without the keys it sorts and filters by (never displayed)
    shown = {**page, "rows": [{k: v for k, v in r.items() if k != "key"} for r in page["rows"]],
             "filters": {name: [label for label, _ in options] for name, options in page["filters"].items()}}
    text = json.dumps(shown, ensure_ascii=False)
    assert "Illustrative data" in text
    assert leaks(text, allowed_texts(APP_CATALOG, APP_OBSERVATIONS)) == []


@pytest.mark.parametrize("ident", ["W03", "W30"])
def test_dashboard_explorer_in_english(app_model, ident):
    from planlib.apps.content import view_content

    view = view_content(app_model, ident, 2023, "en")
    # the chart's inline rows keep their keys (region, indicator_id); the chart shows labels only
    spec = {**view["spec"], "datasets": {name: [{k: v for k, v in r.items() if k not in (S.REGION, S.INDICATOR_ID)}
                                                for r in rows] for name, rows in view["spec"].get("datasets", {}).items()}}
    text = json.dumps({**view, "spec": spec, "data": None}, ensure_ascii=False)
    assert "Shizhu County (observed)" in text
    assert leaks(text, allowed_texts(APP_CATALOG, APP_OBSERVATIONS)) == []


def test_dashboard_chart_data_download_in_english(app_model):
    from planlib.apps.content import view_content

    data = view_content(app_model, "W03", 2023, "en")["data"]
    assert leaks(json.dumps(data, ensure_ascii=False), allowed_texts(APP_CATALOG, APP_OBSERVATIONS)) == []


@pytest.mark.slow
def test_assess_table_of_the_shipped_plans_in_english(capsys):
    from planlib import config

    catalog = pd.read_csv(config.CATALOG_PATH, keep_default_na=False)
    observations = pd.read_csv(config.DEMO_PATH, keep_default_na=False)
    assert main(["assess", "--lang", "en", "--observations", str(config.DEMO_PATH)]) == 0
    out = capsys.readouterr().out
    assert "Binding indicators at risk or off track" in out
    assert leaks(out, allowed_texts(catalog, observations)) == []
