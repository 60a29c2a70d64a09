"""Tests for planlib.targets: the printed targets of both plans, other counties' phrasings, is_met."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planlib import schema as S
from planlib.errors import PlanlibError
from planlib.targets import Target, TargetConfig, normalize_text, parse_target

UP, DOWN = "up", "down"

# text -> (kind, op, value, tolerance, direction, every_year, reference, ratio): every target text
# printed in the two plans, exactly as printed.
PLAN_TARGETS = {
    "逐年提高": ("directional", None, None, None, UP, True, None, None),
    "≥82.3": ("threshold", ">=", 82.3, None, UP, False, None, None),
    "< 8": ("threshold", "<", 8.0, None, DOWN, False, None, None),
    "≥ 92": ("threshold", ">=", 92.0, None, UP, False, None, None),
    "≥ 70": ("threshold", ">=", 70.0, None, UP, False, None, None),
    "逐步提高": ("directional", None, None, None, UP, False, None, None),
    "≤ 2": ("threshold", "<=", 2.0, None, DOWN, False, None, None),
    "≥ 98": ("threshold", ">=", 98.0, None, UP, False, None, None),
    "≥ 95": ("threshold", ">=", 95.0, None, UP, False, None, None),
    "提高": ("directional", None, None, None, UP, False, None, None),
    "100": ("threshold", ">=", 100.0, None, UP, False, None, None),
    "≥96": ("threshold", ">=", 96.0, None, UP, False, None, None),
    "≥95": ("threshold", ">=", 95.0, None, UP, False, None, None),
    "保持合理比例": ("qualitative", None, None, None, None, False, None, None),
    "≥12": ("threshold", ">=", 12.0, None, UP, False, None, None),
    "45左右": ("approx", None, 45.0, 2.25, None, False, None, None),
    "40左右": ("approx", None, 40.0, 2.0, None, False, None, None),
    "50左右": ("approx", None, 50.0, 2.5, None, False, None, None),
    "明显降低": ("directional", None, None, None, DOWN, False, None, None),
    "保持合理": ("qualitative", None, None, None, None, False, None, None),
    "≥县党员总数中女性比例": ("relative", ">=", None, None, UP, False, "县党员总数中女性比例", None),
    "与女职工比例相适应": ("relative", "~", None, None, None, False, "女职工比例", None),
    "≥ 30": ("threshold", ">=", 30.0, None, UP, False, None, None),
    "趋于平衡": ("balance", None, 105.0, 2.0, None, False, None, None),
    "不低于2:3": ("threshold", ">=", 1.5, None, UP, False, None, (2.0, 3.0)),
    "提升": ("directional", None, None, None, UP, False, None, None),
    "得到控制": ("directional", None, None, None, DOWN, False, None, None),
    "< 1.5": ("threshold", "<", 1.5, None, DOWN, False, None, None),
    "< 2.5": ("threshold", "<", 2.5, None, DOWN, False, None, None),
    "< 4.5": ("threshold", "<", 4.5, None, DOWN, False, None, None),
    "< 4": ("threshold", "<", 4.0, None, DOWN, False, None, None),
    "< 3": ("threshold", "<", 3.0, None, DOWN, False, None, None),
    "< 38": ("threshold", "<", 38.0, None, DOWN, False, None, None),
    "< 60": ("threshold", "<", 60.0, None, DOWN, False, None, None),
    "< 70": ("threshold", "<", 70.0, None, DOWN, False, None, None),
    "≥ 60": ("threshold", ">=", 60.0, None, UP, False, None, None),
    "≥ 3.17": ("threshold", ">=", 3.17, None, UP, False, None, None),
    "≥ 1.12": ("threshold", ">=", 1.12, None, UP, False, None, None),
    "≥ 1": ("threshold", ">=", 1.0, None, UP, False, None, None),
    "≥ 2": ("threshold", ">=", 2.0, None, UP, False, None, None),
    "< 25": ("threshold", "<", 25.0, None, DOWN, False, None, None),
    "≥ 10": ("threshold", ">=", 10.0, None, UP, False, None, None),
    "≥ 9": ("threshold", ">=", 9.0, None, UP, False, None, None),
    "≥ 8": ("threshold", ">=", 8.0, None, UP, False, None, None),
    "下降": ("directional", None, None, None, DOWN, False, None, None),
    "< 0.1": ("threshold", "<", 0.1, None, DOWN, False, None, None),
    "减少": ("directional", None, None, None, DOWN, False, None, None),
    "≥ 93": ("threshold", ">=", 93.0, None, UP, False, None, None),
    "≥ 85": ("threshold", ">=", 85.0, None, UP, False, None, None),
    "≥ 96": ("threshold", ">=", 96.0, None, UP, False, None, None),
    "≥ 4.5": ("threshold", ">=", 4.5, None, UP, False, None, None),
    "增加": ("directional", None, None, None, UP, False, None, None),
    "巩固提高": ("directional", None, None, None, UP, False, None, None),
    "巩固\n\n提高": ("directional", None, None, None, UP, False, None, None),
    "达到90": ("threshold", ">=", 90.0, None, UP, False, None, None),
    "降低": ("directional", None, None, None, DOWN, False, None, None),
}

# Phrasings of other counties' plans: text -> (kind, op, value, unit).
OTHER_PHRASINGS = {
    "90%以上": ("threshold", ">=", 90.0, "%"),
    "90%及以上": ("threshold", ">=", 90.0, "%"),
    "5‰以下": ("threshold", "<=", 5.0, "‰"),
    "10/10万以内": ("threshold", "<=", 10.0, "1/10万"),
    "控制在5‰以内": ("threshold", "<=", 5.0, "‰"),
    "控制在12/10万以下": ("threshold", "<=", 12.0, "1/10万"),
    "控制在6‰": ("threshold", "<=", 6.0, "‰"),
    "低于10": ("threshold", "<", 10.0, None),
    "高于3%": ("threshold", ">", 3.0, "%"),
    "超过80%": ("threshold", ">", 80.0, "%"),
    "不超过5%": ("threshold", "<=", 5.0, "%"),
    "不高于18‰": ("threshold", "<=", 18.0, "‰"),
    "不低于95%": ("threshold", ">=", 95.0, "%"),
    "稳定在95%以上": ("threshold", ">=", 95.0, "%"),
    "保持在90%以上": ("threshold", ">=", 90.0, "%"),
    "全覆盖": ("threshold", ">=", 100.0, "%"),
    "实现全覆盖": ("threshold", ">=", 100.0, "%"),
    "达到90%以上": ("threshold", ">=", 90.0, "%"),
    "提高到95%": ("threshold", ">=", 95.0, "%"),
    "降至10‰": ("threshold", "<=", 10.0, "‰"),
    "3‱以下": ("threshold", "<=", 3.0, "‱"),
    "< 12 1/10万": None,  # two numbers: must not become 121
    "< 12（1/10万）": ("threshold", "<", 12.0, "1/10万"),
    "≤ 12/10万": ("threshold", "<=", 12.0, "1/10万"),
    ">= 7": ("threshold", ">=", 7.0, None),
    "<=7": ("threshold", "<=", 7.0, None),
    "≦ 3": ("threshold", "<=", 3.0, None),
    "≧ 4": ("threshold", ">=", 4.0, None),
    "＞＝ ８２．３ ％": ("threshold", ">=", 82.3, "%"),
    "＜　８": ("threshold", "<", 8.0, None),
    "＝100％": ("threshold", ">=", 100.0, "%"),
    "1,200张": ("threshold", ">=", 1200.0, "张"),
    "0": ("threshold", "<=", 0.0, None),
    "达到0": ("threshold", "<=", 0.0, None),
    "30%左右": ("approx", None, 30.0, "%"),
    "约30%": ("approx", None, 30.0, "%"),
    "1:1.5": ("threshold", ">=", 1.5, None),
    "不低于1∶1.5": ("threshold", ">=", 1.5, None),
    "不低于全国平均水平": ("relative", ">=", None, None),
    "逐年下降": ("directional", None, None, None),
    "进一步提高": ("directional", None, None, None),
}

UNREADABLE = [
    "", "   ", "abc", "≥abc", "≥", "不低于", "约", "90-95", "提高5个百分点", "稳定在95%",
    "< 5 左右", "≥90%以下", "不低于0:3", "< 12 1/10万", "1e3", "保持", "合理",
]

QUALITATIVE_IDS = ["W13", "W20", "W24", "W25", "W26", "W27", "W28", "W44", "W45", "W46"]


def meaning(t: Target) -> tuple:
    """The fields that carry a target's meaning, floats rounded past any printing noise."""
    fields = (t.kind, t.op, t.value, t.tolerance, t.direction, t.every_year, t.reference, t.ratio)
    return tuple(round(f, 9) if isinstance(f, float) else f for f in fields)


def fullwidth(text: str) -> str:
    """ASCII to full-width forms (what a Chinese input method types), space to ideographic space."""
    return "".join("\u3000" if c == " " else chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# --- the plans' targets ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", PLAN_TARGETS)
def test_plan_targets_parse_to_their_meaning(text):
    t = parse_target(text)
    assert meaning(t) == PLAN_TARGETS[text]
    assert t.text == text
    assert t.better == PLAN_TARGETS[text][4]


@pytest.mark.parametrize("text", [k for k, v in OTHER_PHRASINGS.items() if v])
def test_other_counties_phrasings(text):
    kind, op, value, unit = OTHER_PHRASINGS[text]
    t = parse_target(text)
    assert (t.kind, t.op, t.value, t.unit) == (kind, op, value, unit)


def test_sex_ratio_target_is_the_normal_band():
    t = parse_target("趋于平衡")
    assert t.band == (103.0, 107.0)
    assert [t.is_met(v) for v in (102.9, 103, 105, 107, 107.1, 118.6)] == [False, True, True, True, False, False]
    wide = parse_target("趋于平衡", TargetConfig(balance_low=102, balance_high=108))
    assert wide.band == (102.0, 108.0) and wide.is_met(107.5) is True


def test_toilet_ratio_reads_female_positions_per_male():
    t = parse_target("不低于2:3")
    assert (t.ratio, t.value) == ((2.0, 3.0), 1.5)
    assert t.is_met(1.5) is True and t.is_met(1.4) is False and t.is_met(1.0) is False


# --- is_met ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "value", "expected"), [
    ("< 8", 8, False), ("< 8", 7.99, True), ("≤ 2", 2, True), ("≤ 2", 2.01, False),
    ("≥82.3", 82.3, True), ("≥82.3", 82.29, False), ("≥82.3", 82.30000000000001, True),
    ("≥82.3", 0.1 + 82.2, True), ("100", 100, True), ("100", 99.9, False), ("达到90", 90, True),
    ("45左右", 45, True), ("45左右", 42.75, True), ("45左右", 47.25, True), ("45左右", 42.7, False),
    ("45左右", 48, False), ("90%以上", 90, True), ("5‰以下", 5, True), ("低于10", 10, False),
    ("高于3", 3, False), ("高于3", 3.1, True), ("0", 0, True), ("0", 1, False),
])
def test_is_met_on_the_boundaries(text, value, expected):
    assert parse_target(text).is_met(value) is expected


@pytest.mark.parametrize("text", ["提高", "逐年提高", "降低", "得到控制", "保持合理比例", "保持合理"])
def test_one_value_cannot_decide_directional_or_qualitative(text):
    assert parse_target(text).is_met(50) is None
    assert parse_target(text).is_met(50, reference_value=40) is None


def test_relative_targets_need_the_reference_value():
    at_least = parse_target("≥县党员总数中女性比例")
    assert at_least.is_met(30) is None
    assert at_least.is_met(30, reference_value=28.0) is True
    assert at_least.is_met(28.0, reference_value=28.0) is True
    assert at_least.is_met(27.9, reference_value=28.0) is False
    about = parse_target("与女职工比例相适应")
    assert about.is_met(40) is None
    assert about.is_met(40, reference_value=41) is True  # within max(5 % of 41, 1) = 2.05
    assert about.is_met(38.9, reference_value=41) is False
    assert about.is_met(40, reference_value=float("nan")) is None


def test_missing_values_give_none():
    assert parse_target("≥ 92").is_met(None) is None
    assert parse_target("≥ 92").is_met(float("nan")) is None


def test_tolerance_is_configurable():
    assert parse_target("45左右").band == (42.75, 47.25)
    assert parse_target("2左右").band == (1.0, 3.0)  # the minimum half-width of 1 unit
    loose = TargetConfig(approx_relative=0.1, approx_minimum=0.5)
    t = parse_target("40左右", loose)
    assert (t.tolerance, t.is_met(44), t.is_met(44.5)) == (4.0, True, False)
    assert parse_target("与女职工比例相适应", loose).is_met(37, reference_value=40) is True
    assert parse_target("与女职工比例相适应").is_met(37, reference_value=40) is False


def test_bad_config_is_refused():
    with pytest.raises(PlanlibError, match="balance_low"):
        TargetConfig(balance_low=107, balance_high=103)
    with pytest.raises(PlanlibError, match="negative"):
        TargetConfig(approx_relative=-0.05)


# --- unreadable text ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", UNREADABLE)
def test_unreadable_text_raises_naming_it(text):
    with pytest.raises(PlanlibError) as info:
        parse_target(text)
    problem = info.value.problems[0]
    assert f"“{text}”" in problem.message_zh and repr(text) in problem.message_en
    assert problem.column == S.TARGET_TEXT and problem.fix_zh and problem.fix_en
    assert "保持合理比例" in problem.fix_zh  # the hint shows what a qualitative target looks like


@pytest.mark.parametrize("value", [None, float("nan"), 92])
def test_non_text_raises(value):
    with pytest.raises(PlanlibError, match="Cannot read the target"):
        parse_target(value)


def test_only_explicit_phrases_are_qualitative():
    readable = [*PLAN_TARGETS, *(k for k, v in OTHER_PHRASINGS.items() if v)]
    qualitative = sorted({t for t in readable if parse_target(t).kind == "qualitative"})
    assert qualitative == ["保持合理", "保持合理比例"]


# --- property tests: numbers, spacing, full width and units do not change the meaning ---------------

OPERATORS = [  # (prefix, suffix, op)
    ("≥", "", ">="), (">=", "", ">="), ("≧", "", ">="), ("＞＝", "", ">="), ("不低于", "", ">="),
    ("", "以上", ">="), ("达到", "", ">="), ("稳定在", "以上", ">="), ("", "", ">="),
    ("≤", "", "<="), ("<=", "", "<="), ("不超过", "", "<="), ("", "以下", "<="), ("", "以内", "<="),
    ("控制在", "以内", "<="), ("<", "", "<"), ("＜", "", "<"), ("低于", "", "<"),
    (">", "", ">"), ("高于", "", ">"), ("超过", "", ">"), ("", "左右", "~"),
]
# "1/10万" glued to a number ("51/10万") reads as 51 per 100 000, so it is printed "/10万" or "（1/10万）".
UNITS = ["", "%", "‰", "‱", "/10万", "（1/10万）", "(1/10万)", "％", "岁", "年", "张", "名", "小时"]

numbers = st.decimals(min_value="0.001", max_value="9999.999", places=3)


def formats(d) -> st.SearchStrategy[str]:
    """Ways one number is printed: as is, padded with zeros, full width."""
    plain = f"{d:f}"
    return st.sampled_from([
        plain, plain.rstrip("0").rstrip("."), f"{d:.4f}", f"{d:.6f}", fullwidth(plain),
        fullwidth(f"{d:.5f}"),
    ])


@settings(max_examples=150, deadline=None)
@given(data=st.data(), d=numbers, operator=st.sampled_from(OPERATORS), unit=st.sampled_from(UNITS))
def test_number_format_and_unit_do_not_change_the_meaning(data, d, operator, unit):
    prefix, suffix, op = operator
    printed = data.draw(formats(d))
    space = data.draw(st.sampled_from(["", " ", "\u3000", "  ", "\t"]))
    t = parse_target(f"{prefix}{space}{printed}{space}{unit}{suffix}")
    assert t.value == float(d)
    assert (t.kind, t.op if t.kind == "threshold" else "~") == ("approx" if op == "~" else "threshold", op)
    assert (t.unit is None) == (unit == "")


def _spaced(text: str, draws) -> str:
    """Insert whitespace between characters, never between two digits."""
    out = text[:1]
    for prev, c in zip(text, text[1:]):
        if not (prev.isdigit() and c.isdigit()):
            out += draws.pop() if draws else ""
        out += c
    return out


WHITESPACE = st.lists(st.sampled_from(["", " ", "\u3000", "\n", "\n\n", "\t"]), min_size=40, max_size=40)


@settings(max_examples=100, deadline=None)
@given(text=st.sampled_from([*PLAN_TARGETS, *(k for k, v in OTHER_PHRASINGS.items() if v)]),
       gaps=WHITESPACE, wide=st.booleans())
def test_spacing_and_full_width_do_not_change_the_meaning(text, gaps, wide):
    variant = _spaced(fullwidth(text) if wide else text, list(gaps))
    assert meaning(parse_target(variant)) == meaning(parse_target(text))


@settings(max_examples=60, deadline=None)
@given(a=st.integers(0, 999), b=st.integers(0, 9), space=st.sampled_from([" ", "\u3000", "\n"]))
def test_space_between_digits_never_joins_them(a, b, space):
    with pytest.raises(PlanlibError):
        parse_target(f"≥ {a}{space}{b}")


@settings(max_examples=150, deadline=None)
@given(op=st.sampled_from(["≥", ">", "≤", "<"]), threshold=numbers,
       x=st.floats(0, 10000, allow_nan=False))
def test_is_met_agrees_with_the_comparison(op, threshold, x):
    y = float(threshold)
    expected = {"≥": x >= y, ">": x > y, "≤": x <= y, "<": x < y}[op]
    if not math.isclose(x, y, rel_tol=1e-8):
        assert parse_target(f"{op} {threshold}").is_met(x) is expected


def test_normalize_text():
    assert normalize_text("＞＝ ８２．３ ％") == "≥82.3%"
    assert normalize_text("巩固\n\n提高") == "巩固提高"
    assert normalize_text("< 12 1/10万") == "<12 1/10万"


# --- the catalogue --------------------------------------------------------------------------------

def test_every_catalogue_target_has_its_intended_meaning():
    from planlib.catalog import load_catalog

    catalog = load_catalog()
    targets = {r[S.INDICATOR_ID]: parse_target(r[S.TARGET_TEXT]) for r in catalog.to_dict("records")}
    assert len(targets) == 90
    for ident, t in targets.items():
        assert meaning(t) == PLAN_TARGETS[t.text], ident
    assert sorted(i for i, t in targets.items() if t.kind == "qualitative") == QUALITATIVE_IDS
    assert (targets["W21"].kind, targets["W21"].reference) == ("relative", "县党员总数中女性比例")
    assert (targets["W31"].kind, targets["W31"].op) == ("relative", "~")
    assert (targets["W41"].kind, targets["W42"].ratio, targets["C30"].value) == ("balance", (2.0, 3.0), 90.0)
    assert targets["C02"].is_met(1.5) is True and targets["C01"].is_met(1.5) is False


# --- phrasings of other plans: changes, qualifiers, scope, counts -----------------------------------

# text -> (kind, op, value, unit, direction, context): context holds the extra fields that must be set.
MORE_PHRASINGS = {
    "达到并保持在95%以上": ("threshold", ">=", 95.0, "%", UP, {}),
    "以县为单位降低到1‰以下": ("threshold", "<=", 1.0, "‰", DOWN, {"scope": "县"}),
    "以乡（镇）为单位，达到95%以上": ("threshold", ">=", 95.0, "%", UP, {"scope": "乡（镇）"}),
    "均达到90%以上": ("threshold", ">=", 90.0, "%", UP, {"qualifier": "均"}),
    "逐步达到80%以上": ("threshold", ">=", 80.0, "%", UP, {"qualifier": "逐步"}),
    "要达到30%以上": ("threshold", ">=", 30.0, "%", UP, {"qualifier": "要"}),
    "力争达到85%": ("threshold", ">=", 85.0, "%", UP, {"qualifier": "力争"}),
    "确保控制在5‰以内": ("threshold", "<=", 5.0, "‰", DOWN, {"qualifier": "确保"}),
    "基本全覆盖": ("threshold", ">=", 100.0, "%", UP, {"qualifier": "基本"}),
    "增至3.17张": ("threshold", ">=", 3.17, "张", UP, {}),
    "至少配备1名": ("threshold", ">=", 1.0, "名", UP, {}),
    "达到30%左右": ("approx", None, 30.0, "%", None, {}),
    "每年至少开展1次": ("threshold", ">=", 1.0, "次", UP, {"frequency": "每年"}),
    "每年至少1次": ("threshold", ">=", 1.0, "次", UP, {"frequency": "每年"}),
    "比2020年下降10%": ("directional", None, None, None, DOWN,
                     {"base_year": 2020, "change": (10.0, 10.0), "change_unit": "%"}),
    "以2020年为基数下降15%": ("directional", None, None, None, DOWN,
                          {"base_year": 2020, "change": (15.0, 15.0), "change_unit": "%"}),
    "与2020年相比提高5个百分点以上": ("directional", None, None, None, UP,
                              {"base_year": 2020, "change": (5.0, 5.0), "change_unit": "个百分点"}),
    "每年降低0.5到1个百分点": ("directional", None, None, None, DOWN,
                          {"change": (0.5, 1.0), "change_unit": "个百分点", "per_year": True,
                           "every_year": True}),
    "年均增长2%": ("directional", None, None, None, UP,
              {"change": (2.0, 2.0), "change_unit": "%", "per_year": True, "every_year": False}),
}


@pytest.mark.parametrize("text", MORE_PHRASINGS)
def test_phrasings_of_other_plans(text):
    kind, op, value, unit, direction, context = MORE_PHRASINGS[text]
    t = parse_target(text)
    assert (t.kind, t.op, t.value, t.unit, t.direction) == (kind, op, value, unit, direction)
    for name, expected in context.items():
        assert getattr(t, name) == expected, name


def test_qualifiers_do_not_change_the_number():
    plain = parse_target("达到80%以上")
    for word in ("力争", "确保", "基本", "逐步", "均", "要"):
        t = parse_target(word + "达到80%以上")
        assert (t.op, t.value, t.is_met(80), t.is_met(79.9)) == (plain.op, plain.value, True, False)


def test_baseline_relative_target_needs_the_base_value():
    t = parse_target("比2020年下降10%")
    assert t.is_met(8.0) is None  # without the base year's value one value cannot decide
    assert t.is_met(9.0, base_value=10.0) is True
    assert t.is_met(9.01, base_value=10.0) is False
    assert t.is_met(9.0, base_value=float("nan")) is None
    points = parse_target("以2020年为基数提高5个百分点")
    assert points.goal(60.0) == 65.0
    assert (points.is_met(65.0, base_value=60.0), points.is_met(64.9, base_value=60.0)) == (True, False)


def test_yearly_change_needs_base_value_and_years():
    t = parse_target("每年降低0.5到1个百分点")
    assert t.is_met(18.0, base_value=20.0) is None  # years since the base are needed too
    assert t.is_met(18.0, base_value=20.0, years=4) is True  # 0.5 a year over 4 years: 2 points
    assert t.is_met(18.1, base_value=20.0, years=4) is False
    growth = parse_target("年均增长2%")
    assert growth.goal(100.0, years=3) == pytest.approx(106.1208)
    assert growth.is_met(106.2, base_value=100.0, years=3) is True
    assert growth.is_met(106.0, base_value=100.0, years=3) is False


def test_changes_are_directional_for_a_caller_that_passes_no_base():
    t = parse_target("比2020年下降10%")
    assert (t.kind, t.better, t.band) == ("directional", "down", None)


@pytest.mark.parametrize("text", [
    "提高5个百分点", "比2020年下降", "比2020年下降0%", "每年降低1到0.5个百分点", "以县为单位",
    "力争", "每年至少", "比2020年下降10%左右", "以县为单位保持合理",
])
def test_still_unreadable_phrasings_raise_naming_the_text(text):
    with pytest.raises(PlanlibError) as info:
        parse_target(text)
    assert f"“{text}”" in info.value.problems[0].message_zh
