"""Charts: the project theme, the domain overview and the explorer chart, checked through to_dict()."""

from __future__ import annotations

import io

import altair as alt
import pandas as pd
import pytest

from planlib import charts, i18n
from planlib.targets import parse_target

OBSERVED = pd.read_csv(io.StringIO("""\
indicator_id,region,year,value,source,confirmation
W03,石柱县,2019,12.0,demo,
W03,石柱县,2020,10.0,demo,
W03,石柱县,2021,9.5,demo,
W03,石柱县,2022,9.0,demo,
W03,全国,2020,16.9,NHC statistical bulletin,confirmed
W03,全国,2021,16.1,NHC statistical bulletin,weak
"""), keep_default_na=False)

PROJECTION = pd.read_csv(io.StringIO("""\
year,mean,lower_80,upper_80,lower_95,upper_95,method,loc,scale,transform,is_projection
2019,11.8,11.8,11.8,11.8,11.8,log_linear,2.47,0.0,log,False
2020,10.6,10.6,10.6,10.6,10.6,log_linear,2.36,0.0,log,False
2021,9.6,9.6,9.6,9.6,9.6,log_linear,2.26,0.0,log,False
2022,8.7,8.7,8.7,8.7,8.7,log_linear,2.16,0.0,log,False
2026,5.9,4.5,7.6,3.9,8.8,log_linear,1.77,0.2,log,True
2030,4.0,2.5,6.3,2.0,8.1,log_linear,1.39,0.3,log,True
"""))


def layers_of(spec: dict) -> list[dict]:
    """Every unit layer of a (possibly nested) layered spec, with the data it inherits."""
    out = []
    for layer in spec.get("layer", []):
        if "data" not in layer and "data" in spec:
            layer = {**layer, "data": spec["data"]}
        out.extend(layers_of(layer) if "layer" in layer else [layer])
    return out


def data_of(spec: dict, layer: dict) -> list[dict]:
    return spec["datasets"][layer["data"]["name"]]


def explorer_spec(target_text: str, **kw) -> dict:
    text = charts.ChartText("孕产妇死亡率（1/10万）", target_text, 2030, kw.pop("lang", "zh"), kw.pop("notes", ()))
    chart = charts.indicator_chart(kw.pop("observed", OBSERVED), kw.pop("projection", PROJECTION),
                                   parse_target(target_text), text)
    return chart.to_dict()  # validates against the Vega-Lite schema


def test_theme_is_registered_and_active_with_cjk_fonts_and_okabe_ito():
    assert alt.theme.active == charts.THEME
    config = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q").to_dict()["config"]
    assert config["font"].startswith("'Noto Sans CJK SC'")
    assert config["axis"]["labelFont"] == config["font"]
    assert config["range"]["category"] == ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2",
                                           "#D55E00", "#CC79A7", "#000000"]


def test_status_scale_pairs_each_label_with_its_colour():
    scale = charts.status_scale("zh").to_dict()
    pairs = dict(zip(scale["domain"], scale["range"]))
    assert pairs["⚠ 存在风险"] == "#E69F00"
    assert pairs["✔ 已达标"] == "#009E73"
    assert pairs["✖ 难以达标"] == "#D55E00"
    assert len(pairs) == 6


def test_domain_status_chart_counts_per_plan_and_domain():
    counts = pd.DataFrame({"plan": ["women", "women", "children"], "domain": ["健康", "教育", "福利"],
                           "status": ["at_risk", "achieved", "off_track"], "n": [3, 2, 1]})
    spec = charts.domain_status_chart(counts, "en").to_dict()
    rows = spec["datasets"][spec["data"]["name"]]
    assert [(r["plan_label"], r["domain_label"], r["status_label"], r["n"]) for r in rows] == [
        ("Women's Development Plan", "Health", "⚠ At risk", 3),
        ("Women's Development Plan", "Education", "✔ Achieved", 2),
        ("Children's Development Plan", "Welfare", "✖ Off track", 1),
    ]
    assert spec["spec"]["encoding"]["color"]["scale"]["range"][0] == i18n.STATUS_COLORS["off_track"]
    assert spec["title"] == "Indicator status by domain"


def test_at_most_target_shades_below_the_line():
    spec = explorer_spec("< 8")
    marks = {layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]: layer
             for layer in layers_of(spec)}
    rect = data_of(spec, marks["rect"])[0]
    low, high = spec["layer"][0]["encoding"]["y"]["scale"]["domain"]
    assert (rect["y"], rect["y2"]) == (low, 8.0)
    # From the lowest 95 % bound (2.0) to the national series' highest value (16.9), padded by 8 %.
    assert (low, high) == (0.808, 18.092)


def test_at_least_target_shades_above_the_line():
    spec = explorer_spec("≥ 9")
    rect = next(layer for layer in layers_of(spec) if layer["mark"]["type"] == "rect")
    low, high = spec["layer"][0]["encoding"]["y"]["scale"]["domain"]
    assert (data_of(spec, rect)[0]["y"], data_of(spec, rect)[0]["y2"]) == (9.0, high)


def test_approximate_target_is_a_band():
    spec = explorer_spec("10左右")
    rect = next(layer for layer in layers_of(spec) if layer["mark"]["type"] == "rect")
    band = data_of(spec, rect)[0]
    assert (band["y"], band["y2"]) == parse_target("10左右").band == (9.0, 11.0)


def test_directional_target_draws_no_line_but_states_the_target():
    spec = explorer_spec("逐年降低")
    assert not [layer for layer in layers_of(spec) if layer["mark"]["type"] in ("rect",)]
    assert spec["title"]["subtitle"][0] == "目标（2030）：逐年降低"


def test_bands_trend_and_projection_are_drawn():
    spec = explorer_spec("< 8")
    areas = [layer for layer in layers_of(spec) if layer["mark"]["type"] == "area"]
    assert [layer["mark"]["opacity"] for layer in areas] == [0.18, 0.35]
    first_band = data_of(spec, areas[0])
    # The bands start at the last fitted year so that they join the trend line.
    assert [r["year"] for r in first_band] == [2022, 2026, 2030]
    assert [(r["lower_95"], r["upper_95"]) for r in first_band][-1] == (2.0, 8.1)
    dashed = [layer for layer in layers_of(spec) if layer["mark"].get("strokeDash") == [5, 4]]
    assert len(dashed) == 1 and data_of(spec, dashed[0])[-1]["mean"] == 4.0


def test_midterm_and_target_year_are_marked():
    spec = explorer_spec("< 8", lang="en")
    texts = [layer for layer in layers_of(spec) if layer["mark"]["type"] == "text"]
    labels = [r["label"] for r in data_of(spec, texts[0])]
    assert labels == ["Mid-term review 2025", "Target year 2030"]


def test_national_series_carries_source_and_confirmation():
    spec = explorer_spec("< 8")
    diamonds = [layer for layer in layers_of(spec) if layer["mark"].get("shape") == "diamond"]
    rows = data_of(spec, diamonds[0])
    assert [(r["year"], r["source_label"], r["confirmed"]) for r in rows] == [
        (2020, "NHC statistical bulletin", True), (2021, "NHC statistical bulletin", False)]
    assert rows[1]["confirmation_label"] == "待核实：未找到原始发布"
    tooltip_titles = [t["title"] for t in diamonds[0]["encoding"]["tooltip"]]
    assert "来源" in tooltip_titles and "核实情况" in tooltip_titles


def test_demo_points_say_so_in_their_tooltip():
    spec = explorer_spec("< 8")
    county = next(layer for layer in layers_of(spec)
                  if layer["mark"]["type"] == "point" and layer["mark"].get("filled"))
    assert {r["source_label"] for r in data_of(spec, county)} == {"示例数据（非官方统计）"}


def test_legend_lists_only_the_series_drawn():
    spec = explorer_spec("逐年降低", observed=OBSERVED[OBSERVED.region == "石柱县"])
    legends = [layer["encoding"]["color"]["legend"]["values"] for layer in layers_of(spec)
               if "color" in layer.get("encoding", {}) and "legend" in layer["encoding"]["color"]]
    assert legends and all(v == ["石柱县（观测值）", "拟合趋势", "预测"] for v in legends)


def test_later_observations_form_their_own_series():
    later = OBSERVED.assign(later=OBSERVED.year > 2020)
    frame = charts.series_frame(later, "zh")
    assert frame["series"].tolist() == ["石柱县（观测值）", "石柱县（观测值）", "石柱县（其后观测值）",
                                        "石柱县（其后观测值）", "全国", "全国"]


def test_chart_without_projection_still_has_a_frame():
    spec = explorer_spec("< 8", projection=pd.DataFrame(columns=PROJECTION.columns))
    x_domain = spec["layer"][0]["encoding"]["x"]["scale"]["domain"]
    assert x_domain == [2018.5, 2030.5]


def test_y_extent_pads_and_stays_non_negative():
    assert charts.y_extent(pd.DataFrame({"value": [0.0, 10.0]}), pd.DataFrame(), parse_target("≥ 20")) == (0.0, 21.6)
    assert charts.y_extent(pd.DataFrame({"value": [-5.0, 5.0]}), pd.DataFrame(), None) == (-5.8, 5.8)


@pytest.mark.slow
def test_renders_offline_to_svg_with_chinese_text():
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(explorer_spec("< 8", notes=("示例数据（非官方统计）",)))
    assert "孕产妇死亡率（1/10万）" in svg and "示例数据（非官方统计）" in svg
    assert "Noto Sans CJK SC" in svg


def test_inline_data_are_what_altair_makes_of_the_frame():
    frame = OBSERVED.assign(value=OBSERVED["value"].where(OBSERVED["year"] != 2021),
                            confirmed=OBSERVED["confirmation"] == "confirmed")
    spec = alt.Chart(frame).mark_point().to_dict()
    assert charts._inline(frame)["values"] == next(iter(spec["datasets"].values()))
    assert [r["value"] for r in charts._inline(frame)["values"]][2] is None


def test_render_reuses_a_drawn_chart(tmp_path):
    spec = explorer_spec("< 8")
    first = charts.render_reusing(spec, "png", 1.0, cache=tmp_path)
    assert first[:8] == b"\x89PNG\r\n\x1a\n" and len(list(tmp_path.iterdir())) == 1
    (cached,) = tmp_path.iterdir()
    cached.write_bytes(b"drawn before")  # the file is used, not redrawn
    assert charts.render_reusing(spec, "png", 1.0, cache=tmp_path) == b"drawn before"
    assert charts.render_reusing(spec, "png", 2.0, cache=tmp_path)[:4] == b"\x89PNG"
