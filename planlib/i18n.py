"""Labels in Chinese (default) and English. Every label a user sees comes from here.

Modules add their own tables below their section heading; keys are plain strings. Every entry
of a ``{"zh": ..., "en": ...}`` table has both languages, non-empty, with the same ``{fields}``
(``tests/test_i18n.py`` checks every table). ``t(key, lang)`` never invents text: a missing key
or language is a :class:`KeyError` naming both, not a silent fallback to Chinese.

The county's name is written once, in :data:`REGION_LABELS` (keyed by ``config.COUNTY``); the
title and the chart series take it from there, so another county's plan is named right.
"""

from __future__ import annotations

from .schema import (ACHIEVED, AT_RISK, INSUFFICIENT_DATA, NOT_ASSESSABLE, OFF_TRACK, ON_TRACK,
                     DEMO_LABEL_EN, DEMO_LABEL_ZH, REGION, YEAR)
from .config import COUNTY, DEMO_COUNTY, NATIONAL, PARENT_CITY

LANGS = ("zh", "en")
#: Each language named in itself, for the language toggle (the same on every page).
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}

# --- statuses: label, icon and colour (Okabe-Ito, colour-blind safe); never colour alone ---------
STATUS_LABELS = {
    ACHIEVED: {"zh": "已达标", "en": "Achieved"},
    ON_TRACK: {"zh": "有望达标", "en": "On track"},
    AT_RISK: {"zh": "存在风险", "en": "At risk"},
    OFF_TRACK: {"zh": "难以达标", "en": "Off track"},
    INSUFFICIENT_DATA: {"zh": "数据不足", "en": "Insufficient data"},
    NOT_ASSESSABLE: {"zh": "定性指标", "en": "Qualitative"},
}
STATUS_ICONS = {
    ACHIEVED: "✔",
    ON_TRACK: "↗",
    AT_RISK: "⚠",
    OFF_TRACK: "✖",
    INSUFFICIENT_DATA: "？",
    NOT_ASSESSABLE: "◇",
}
STATUS_COLORS = {
    ACHIEVED: "#009E73",
    ON_TRACK: "#56B4E9",
    AT_RISK: "#E69F00",
    OFF_TRACK: "#D55E00",
    INSUFFICIENT_DATA: "#999999",
    NOT_ASSESSABLE: "#CC79A7",
}
#: What each status means, with the cut-offs of AssessConfig filled in
#: (planlib.assessment.presentation.status_meanings).
STATUS_MEANINGS = {
    ACHIEVED: {"zh": "最新值已达到目标，且到目标年仍达标的概率不低于{on}",
               "en": "The latest value meets the target, and the probability of still meeting it "
                     "in the target year is at least {on}"},
    ON_TRACK: {"zh": "到目标年达标的概率不低于{on}",
               "en": "The probability of meeting the target in the target year is at least {on}"},
    AT_RISK: {"zh": "达标概率不低于{risk}、低于{on}",
              "en": "The probability of meeting the target is at least {risk} and below {on}"},
    OFF_TRACK: {"zh": "达标概率低于{risk}；目标年已有数据而未达到目标的，也属此类",
                "en": "The probability is below {risk}; so is a target year already observed "
                      "without meeting the target"},
    INSUFFICIENT_DATA: {"zh": "数据少于{n}年，或所参照的指标没有数据，不作判断",
                        "en": "Fewer than {n} years of data, or none for the indicator it refers "
                              "to: not judged"},
    NOT_ASSESSABLE: {"zh": "目标为定性表述，不作预测", "en": "A qualitative target: not projected"},
}
#: The statuses' rules of their own (逐年, 趋于平衡, met all along), with AssessConfig's
#: and TargetConfig's numbers (planlib.assessment.presentation.special_rules).
STATUS_RULES = {
    "zh": "几类目标另有规则：“逐年”类目标在规划期内出现1次下降，最多为“存在风险”，{declines}次及以上为"
          "“难以达标”；“趋于平衡”（出生人口性别比）按正常范围{lo}–{hi}判断，潜在值超出该范围的概率"
          "达到{risk_b}为“存在风险”，达到{off_b}为“难以达标”；近年每年都已达到目标、且没有背离目标的"
          "趋势的指标，为“已达标”。",
    "en": "Some targets have rules of their own: an every-year target with one decline in the "
          "plan period is at most at risk, with {declines} or more off track; \"tending to "
          "balance\" (the sex ratio at birth) is judged against the normal range {lo}-{hi}: at "
          "risk when the underlying ratio lies outside it with a probability of at least "
          "{risk_b}, off track from {off_b}; an indicator that has met its target in every "
          "recent year, with no trend away from it, is achieved."}
#: Order in which statuses are listed (worst first in summaries that call for action).
STATUS_ORDER = [OFF_TRACK, AT_RISK, ON_TRACK, ACHIEVED, INSUFFICIENT_DATA, NOT_ASSESSABLE]

PLAN_LABELS = {
    "women": {"zh": "妇女发展规划", "en": "Women's Development Plan"},
    "children": {"zh": "儿童发展规划", "en": "Children's Development Plan"},
}
ATTRIBUTE_LABELS = {
    "binding": {"zh": "约束性", "en": "Binding"},
    "expected": {"zh": "预期性", "en": "Expected"},
}
#: The plans' 类别, short form (the printed form is 妇女与健康, 儿童与健康 ...).
DOMAIN_LABELS = {
    "健康": "Health",
    "教育": "Education",
    "经济": "Economy",
    "决策管理": "Decision-making and management",
    "社会保障": "Social security",
    "家庭建设": "Family",
    "家庭": "Family",
    "环境": "Environment",
    "法律": "Law",
    "安全": "Safety",
    "福利": "Welfare",
}

#: How each known region (``config.KNOWN_REGIONS``) is named. The county's English name is
#: written here and nowhere else.
REGION_LABELS = {
    COUNTY: {"zh": COUNTY, "en": "Shizhu County"},
    NATIONAL: {"zh": "全国", "en": "China (national)"},
    PARENT_CITY: {"zh": "重庆市", "en": "Chongqing"},
    DEMO_COUNTY: {"zh": "示例县（演示）", "en": "Example County (demo)"},
}

COMMON = {
    "demo_banner": {"zh": DEMO_LABEL_ZH, "en": DEMO_LABEL_EN},
    # what the statuses mean (STATUS_MEANINGS): the dashboard's legend, a report's sheet
    "status_legend": {"zh": "各状态的含义", "en": "What the statuses mean"},
    "status_sheet": {"zh": "状态含义", "en": "Statuses"},
    "title": {
        "zh": f"{REGION_LABELS[COUNTY]['zh']}妇女发展规划和儿童发展规划（2021—2030年）监测",
        "en": f"{REGION_LABELS[COUNTY]['en']} Women's and Children's Development Plans (2021-2030): Monitoring",
    },
    "county": dict(REGION_LABELS[COUNTY]),
    "national": dict(REGION_LABELS[NATIONAL]),
}


def region_label(region: str, lang: str = "zh") -> str:
    """A region's display name; a region without a label is shown by its own name.

    Examples:
        >>> region_label(COUNTY, "en"), region_label(PARENT_CITY), region_label("甲县", "en")
        ('Shizhu County', '重庆市', '甲县')
    """
    entry = REGION_LABELS.get(str(region))
    return t(str(region), lang, REGION_LABELS) if entry else str(region)


def short_domain(domain_zh: str) -> str:
    """The plans' 类别 without its plan prefix.

    Examples:
        >>> short_domain("妇女与健康"), short_domain("妇女参与决策管理")
        ('健康', '决策管理')
    """
    for prefix in ("妇女与", "儿童与", "妇女参与", "儿童参与", "妇女", "儿童"):
        if domain_zh.startswith(prefix):
            return domain_zh[len(prefix):]
    return domain_zh


def status_label(code: str, lang: str = "zh", icon: bool = True) -> str:
    """A status as a person reads it: icon and words, never colour alone.

    Examples:
        >>> status_label("at_risk")
        '⚠ 存在风险'
        >>> status_label("achieved", "en", icon=False)
        'Achieved'
    """
    text = STATUS_LABELS[code][lang]
    return f"{STATUS_ICONS[code]} {text}" if icon else text


def t(key: str, lang: str = "zh", table: dict | None = None) -> str:
    """Look ``key`` up in ``table`` (default: :data:`COMMON`) in language ``lang``.

    There is no fallback: a key the table lacks, or an entry without ``lang``, raises a
    :class:`KeyError` that names both, so a missing translation fails a test instead of
    showing Chinese on an English page.

    Examples:
        >>> t("national", "en")
        'China (national)'
        >>> t("no_such_label", "en")
        Traceback (most recent call last):
        ...
        KeyError: "i18n: no label 'no_such_label' / 没有标签 'no_such_label'"
        >>> t("national", "fr")
        Traceback (most recent call last):
        ...
        KeyError: "i18n: label 'national' has no 'fr' text / 标签 'national' 没有 'fr' 文本"
    """
    entry = (COMMON if table is None else table).get(key)
    if entry is None:
        raise KeyError(f"i18n: no label {key!r} / 没有标签 {key!r}")
    text = entry.get(lang) if isinstance(entry, dict) else None
    if text is None:
        raise KeyError(f"i18n: label {key!r} has no {lang!r} text / 标签 {key!r} 没有 {lang!r} 文本")
    return text


def both(key: str, table: dict | None = None, **fields) -> tuple[str, str]:
    """The (Chinese, English) texts of ``key``, formatted with ``fields``: for records that keep
    both languages (a skipped passage's reason, a position in a document).

    Examples:
        >>> both("where_line", PLANDOC_LABELS, n=12)
        ('第 12 行', 'line 12')
    """
    return tuple(t(key, lang, table).format(**fields) for lang in ("zh", "en"))


def has_label(key: str, table: dict | None = None) -> bool:
    """Whether ``table`` (default: :data:`COMMON`) has a label ``key``: for callers whose key
    comes from data (a confirmation code, an attribute) and who show the data value otherwise.

    Examples:
        >>> has_label("national"), has_label("confirmation_confirmed", APP_LABELS), has_label("x")
        (True, True, False)
    """
    return key in (COMMON if table is None else table)


# --- report (planlib.report*: the annual, mid-term and final reports) ----------------------------
REPORT_LABELS = {
    "plans": {"zh": "石柱县妇女发展规划和儿童发展规划（2021—2030年）",
              "en": "Shizhu County Women's and Children's Development Plans (2021-2030)"},
    "plans_of_region": {"zh": "{region}：{title}", "en": "{region}: {title}"},
    "kind_annual": {"zh": "{year}年度统计监测报告", "en": "Annual Monitoring Report {year}"},
    "kind_midterm": {"zh": "中期评估报告（数据截至{year}年）",
                     "en": "Mid-term Evaluation Report (data up to {year})"},
    "kind_final": {"zh": "终期评估报告（数据截至{year}年）",
                   "en": "Final Evaluation Report (data up to {year})"},
    "unit_scope": {"zh": "责任单位：{unit}", "en": "Responsible unit: {unit}"},
    "generated": {"zh": "生成日期：{date}。数据截至{year}年。", "en": "Generated {date}. Data up to {year}."},
    "draft_note": {"zh": "本报告由监测工作台自动生成，为初稿，请核实数据并补充分析后定稿。",
                   "en": "Generated automatically by the monitoring workbench: a first draft to "
                         "check and complete before it is finalised."},
    "sec_summary": {"zh": "{num}、总体情况", "en": "{num}. Summary"},
    "sec_plan": {"zh": "{num}、{plan}", "en": "{num}. {plan}"},
    "sec_units": {"zh": "{num}、各责任单位指标情况", "en": "{num}. By responsible unit"},
    "sec_quality": {"zh": "{num}、数据质量", "en": "{num}. Data quality"},
    "sec_evaluation": {"zh": "{num}、{kind}：2020年基期以来的进展",
                       "en": "{num}. {kind}: progress since the 2020 baseline"},
    "midterm": {"zh": "中期评估", "en": "Mid-term evaluation"},
    "final": {"zh": "终期评估", "en": "Final evaluation"},
    "counts_plan": {"zh": "（二）各规划指标状态", "en": "Indicator status by plan"},
    "counts_domain": {"zh": "（三）各领域指标状态", "en": "Indicator status by domain"},
    "binding_risk": {"zh": "（一）存在风险或难以达标的约束性指标",
                     "en": "Binding indicators at risk or off track"},
    "binding_none": {"zh": "没有存在风险或难以达标的约束性指标。",
                     "en": "No binding indicator is at risk or off track."},
    "changes": {"zh": "（四）与上年度报告相比的变化", "en": "Changes since last year's report"},
    "changes_basis": {"zh": "上年度报告：按{date}时的数据，评估截至{year}年。",
                      "en": "Last year's report: data as known on {date}, assessed up to {year}."},
    "changes_no_vintage": {
        "zh": "监测数据库中没有{date}时的数据版本，上年度状态按现有数据截至{year}年重新评估。",
        "en": "The store holds no data as known on {date}; last year's statuses are re-assessed "
              "from the current data up to {year}."},
    "status_changes": {"zh": "状态发生变化的指标", "en": "Indicators whose status changed"},
    "no_status_changes": {"zh": "没有指标的状态发生变化。", "en": "No indicator changed status."},
    "revised": {"zh": "上年度报告后修订的数值", "en": "Values revised since last year's report"},
    "no_revised": {"zh": "上年度报告后没有修订的数值。",
                   "en": "No value was revised since last year's report."},
    "unit_behind": {"zh": "存在风险或难以达标的指标：", "en": "At risk or off track: "},
    "unit_no_data": {"zh": "{year}年无数据的指标：", "en": "No data for {year}: "},
    "none": {"zh": "无", "en": "none"},
    "missing_submissions": {"zh": "（一）{year}年度数据报送情况", "en": "Submissions for {year}"},
    "no_submission_units": {"zh": "尚未报送{year}年度数据的责任单位：",
                            "en": "Responsible units with no submission for {year}: "},
    "missing_values": {"zh": "{year}年无数据的指标", "en": "Indicators without data for {year}"},
    "no_missing_values": {"zh": "所有指标均有{year}年数据。",
                          "en": "Every indicator has data for {year}."},
    "revised_quality": {"zh": "（二）上年度报告后修订的数值", "en": "Values revised since last year's report"},
    "demo_values": {"zh": "（三）示例数据", "en": "Illustrative data"},
    "demo_count": {"zh": "本报告中有{n}个数值为示例数据（非官方统计），涉及{k}个指标，须以正式统计数据替换。",
                   "en": "{n} values in this report, for {k} indicators, are illustrative data "
                         "(not official statistics) and must be replaced by official statistics."},
    "no_demo": {"zh": "本报告未使用示例数据。", "en": "This report uses no illustrative data."},
    "progress": {"zh": "（一）各指标较2020年基期的进展及目标实现情况",
                 "en": "Progress since the 2020 baseline and targets met"},
    "earlier": {"zh": "（二）早期预测与实际情况对比", "en": "Earlier projections against what happened"},
    "earlier_note": {"zh": "按{years}年时已知的数据所作的预测，与各指标最新实际值对比。",
                     "en": "Projections made with the data known in {years}, against the latest "
                           "actual value of each indicator."},
    "target_clause": {"zh": "目标（{target_year}年）：{target}（{attribute}）。",
                      "en": "Target ({target_year}): {target} ({attribute}). "},
    "latest_clause": {"zh": "最新值：{latest}（{latest_year}年）", "en": "Latest value: {latest} ({latest_year})"},
    "no_data_clause": {"zh": "暂无数据", "en": "No data yet"},
    "change_clause": {"zh": "较2020年基期变化：{change}", "en": "change since 2020: {change}"},
    "projection_clause": {"zh": "{target_year}年预测值：{projected}（95%区间 {lower}–{upper}）",
                          "en": "projected {target_year}: {projected} (95% interval {lower}–{upper})"},
    "status_line": {"zh": "状态：{status}。{explanation}", "en": "Status: {status}. {explanation}"},
    # column headings
    "col_indicator_id": {"zh": "指标代码", "en": "Code"},
    "col_plan": {"zh": "规划", "en": "Plan"},
    "col_domain": {"zh": "领域", "en": "Domain"},
    "col_name": {"zh": "指标名称", "en": "Indicator"},
    "col_unit": {"zh": "计量单位", "en": "Unit"},
    "col_target": {"zh": "目标值", "en": "Target"},
    "col_attribute": {"zh": "指标属性", "en": "Attribute"},
    "col_units": {"zh": "责任单位", "en": "Responsible units"},
    "col_baseline": {"zh": "基期值（2020年）", "en": "Baseline (2020)"},
    "col_latest_year": {"zh": "最新年份", "en": "Latest year"},
    "col_latest_value": {"zh": "最新值", "en": "Latest value"},
    "col_change": {"zh": "较基期变化", "en": "Change since 2020"},
    "col_projected": {"zh": "目标年预测值", "en": "Projected (target year)"},
    "col_lower_95": {"zh": "95%区间下限", "en": "95% lower"},
    "col_upper_95": {"zh": "95%区间上限", "en": "95% upper"},
    "col_p_meet": {"zh": "达标概率", "en": "Probability of meeting the target"},
    "col_status": {"zh": "状态", "en": "Status"},
    "col_explanation": {"zh": "说明", "en": "Explanation"},
    "col_demo": {"zh": "含示例数据", "en": "Illustrative data"},
    "col_total": {"zh": "合计", "en": "Total"},
    "col_previous_status": {"zh": "上年度报告状态", "en": "Status in last report"},
    "col_current_status": {"zh": "本次状态", "en": "Status now"},
    "col_direction": {"zh": "变化", "en": "Change"},
    "col_region": {"zh": "地区", "en": "Region"},
    "col_year": {"zh": "年份", "en": "Year"},
    "col_old_value": {"zh": "原值", "en": "Old value"},
    "col_new_value": {"zh": "新值", "en": "New value"},
    "col_changed_at": {"zh": "修订时间", "en": "Revised at"},
    "col_reason": {"zh": "修订原因", "en": "Reason"},
    "col_n_missing": {"zh": "无数据指标数", "en": "Indicators without data"},
    "col_missing_ids": {"zh": "无数据的指标", "en": "Indicators without data"},
    "col_met": {"zh": "目标已实现", "en": "Target met"},
    "col_projected_at": {"zh": "{as_of}年时预测", "en": "Projected in {as_of}"},
    "col_status_at": {"zh": "{as_of}年时状态", "en": "Status in {as_of}"},
    "col_within_at": {"zh": "实际值在{as_of}年预测区间内", "en": "Actual within {as_of} interval"},
    "col_actual": {"zh": "实际值", "en": "Actual value"},
    "col_actual_year": {"zh": "实际值年份", "en": "Year of actual value"},
    "improved": {"zh": "好转", "en": "Better"},
    "worsened": {"zh": "变差", "en": "Worse"},
    "changed": {"zh": "变化", "en": "Changed"},
    "yes": {"zh": "是", "en": "Yes"},
    "no": {"zh": "否", "en": "No"},
    "unknown": {"zh": "无法判断", "en": "Cannot tell"},
    "sheet_summary": {"zh": "摘要", "en": "Summary"},
    "sheet_quality": {"zh": "数据质量", "en": "Data quality"},
    "sheet_revised": {"zh": "修订记录", "en": "Revisions"},
    "sheet_evaluation": {"zh": "评估", "en": "Evaluation"},
    # the method note (planlib.report.format.method_*): what a status means, how p is found, and
    # how often each status's cases met their target in the calibration benchmark
    "sec_method": {"zh": "{num}、评估方法说明", "en": "{num}. How the statuses are judged"},
    "method_statuses": {"zh": "（一）各状态的含义", "en": "What each status means"},
    "method_how": {"zh": "（二）达标概率怎样得出", "en": "How the probability of meeting a target is found"},
    "method_evidence": {"zh": "（三）状态的可靠性检验", "en": "How reliable the statuses are"},
    "col_meaning": {"zh": "含义", "en": "Meaning"},
    "how_projection": {"zh": "每个指标用本指标历年的数据预测到目标年（只用评估年份当时已有的数据），达标概率是"
                             "目标年的值满足目标的概率。",
                       "en": "Each indicator's own series is projected to its target year, with only "
                             "the data known in the year assessed; the probability is that of the "
                             "target year's value meeting the target."},
    "how_step": {"zh": "先识别台阶式变化（如新设机构使覆盖率由0升到100），只用变化之后的数据。",
                 "en": "A step change (a new institution that took a coverage from 0 to 100) is "
                       "recognised first, and only the years after it are used."},
    "how_trend": {"zh": "在本指标的数据上回测：只有趋势的预测误差比近年水平至少小{margin}时才延续趋势，否则"
                        "按近年水平判断。每个指标的说明都写明所用的方法和理由。",
                  "en": "Backtested on the series itself, a trend is carried forward only when its "
                        "errors are at least {margin} smaller than the recent level's; otherwise "
                        "the indicator is judged on its recent level. Each indicator's explanation "
                        "names the method and why."},
    "how_scale": {"zh": "0–100%的比率在logit尺度上预测，区间不会超出0–100%；按出生数计算的罕见事件（如婴儿"
                        "死亡率）按出生中的泊松计数计算；出生人口性别比按男婴在出生中所占的比例（二项分布）计算。",
                  "en": "Rates between 0 and 100% are projected on the logit scale, so intervals "
                        "stay inside 0-100%; rare events among births (infant mortality) are "
                        "Poisson counts among those births; the sex ratio at birth is the share "
                        "of boys among births (binomial)."},
    "how_width": {"zh": "区间还计入模型误差（本指标回测中模型未能解释的误差）和趋势今后变化的余量，因此比单纯"
                        "的直线外推宽。",
                  "en": "Intervals also allow for model error (what the model failed to explain in "
                        "the series' own backtest) and for trends that change, so they are wider "
                        "than a plain straight line's."},
    "evidence_intro": {
        "zh": "上述判断用结果已知的数据检验过（benchmarks/calibration.py）：模拟的县级序列{k}类，每类{draws}条"
              "（{families}），以{first}—{last}年的数据判断{goal}年；真实数据为世界银行{n_wb}个国家和地区的"
              "总和生育率（以{wb_first}—{wb_last}年的数据判断{wb_eval}年）和全国妇幼死亡率序列。下表为各状态"
              "的个案中实际达到目标的比例。",
        "en": "These rules were tested on data whose outcome is known (benchmarks/calibration.py): "
              "{k} kinds of simulated county series, {draws} of each ({families}), judged for "
              "{goal} on {first}-{last}; and real series: the total fertility of {n_wb} countries "
              "and areas from the World Bank (judged for {wb_eval} on {wb_first}-{wb_last}) and "
              "China's national maternal and child mortality. The table gives the share of each "
              "status's cases that met the target."},
    "evidence_note": {
        "zh": "达标概率是估计，不是保证：标为“存在风险”的个案中，模拟序列有{sim_risk}、真实数据有{real_risk}"
              "最终达标。对完全沿直线稳定上升的序列，本方法偏于谨慎（实际{steady_met}达标，平均达标概率"
              "{steady_p}），因为真实序列的趋势常会变化。出生人口性别比的状态按是否显示偏离正常范围判断，"
              "不由达标概率决定，故表中不列其平均达标概率，也不计入模拟序列的合计；详见 docs/benchmarks.md。",
        "en": "A probability is an estimate, not a promise: of the cases flagged at risk, {sim_risk} "
              "of the simulated and {real_risk} of the real ones met the target in the end. On "
              "series that rise along a perfectly straight line the method is cautious ({steady_met} "
              "met, with a mean probability of {steady_p}), because real series' trends often "
              "change. The status of the sex ratio at birth comes from whether it is shown to "
              "lie outside the normal range, not from the probability, so the table gives no "
              "mean probability for it and leaves it out of the simulated series' totals; see "
              "docs/benchmarks.md."},
    "evidence_missing": {"zh": "未找到可靠性检验结果（data/calibration.csv），请运行 benchmarks/calibration.py。",
                         "en": "The calibration results (data/calibration.csv) are missing: run "
                               "benchmarks/calibration.py."},
    "col_data": {"zh": "数据", "en": "Data"},
    "col_cases": {"zh": "个案数", "en": "Cases"},
    "col_mean_p": {"zh": "平均达标概率", "en": "Mean probability"},
    "col_share_met": {"zh": "实际达标比例", "en": "Share that met"},
    "flag_not_flagged": {"zh": "已达标或有望达标", "en": "Achieved or on track"},
    "data_simulated": {"zh": "模拟的县级序列", "en": "Simulated county series"},
    "data_real": {"zh": "真实数据", "en": "Real series"},
    "data_own_rule": {"zh": "模拟的{family}（按正常范围判断）",
                      "en": "Simulated {family} (judged against the normal range)"},
    # the plans' sheets: the plan's full name in Chinese, a short one in English
    "sheet_women": {"zh": PLAN_LABELS["women"]["zh"], "en": "Women"},
    "sheet_children": {"zh": PLAN_LABELS["children"]["zh"], "en": "Children"},
    "percentage_points": {"zh": "个百分点", "en": "percentage points"},
    # how the report's text is put together
    "title": {"zh": "{plans}{kind}", "en": "{plans}: {kind}"},
    "list_sep": {"zh": "、", "en": ", "},
    "clause_sep": {"zh": "；", "en": "; "},
    "sentence_end": {"zh": "。", "en": "."},
}


#: The simulated families of planlib.calibration, named for a report's reader.
CALIBRATION_FAMILY_LABELS = {
    "near_bound": {"zh": "接近100%的比率", "en": "rates near 100%"},
    "step": {"zh": "台阶式变化", "en": "steps"},
    "flat_share": {"zh": "平稳的比例", "en": "flat shares"},
    "steady_trend": {"zh": "稳定上升的比率", "en": "steady trends"},
    "rare_events": {"zh": "按出生数计的罕见事件", "en": "rare events among births"},
    "noisy_ratio": {"zh": "出生人口性别比", "en": "sex ratios at birth"},
    "drifting_share": {"zh": "水平漂移的比例", "en": "drifting shares"},
}


# --- apps (planlib.apps, planlib.charts: the dashboard, the explorer and their charts) -------------
#: Projection methods of planlib.forecast, as a reader sees them.
METHOD_LABELS = {
    "auto": {"zh": "自动选择", "en": "Automatic"},
    "linear": {"zh": "线性趋势", "en": "Linear trend"},
    "log_linear": {"zh": "对数线性（固定年变化率）", "en": "Log-linear (constant rate of change)"},
    "logit_linear": {"zh": "Logit 线性（有上下限的比例）", "en": "Logit-linear (bounded percentage)"},
    "ets_damped": {"zh": "阻尼趋势指数平滑", "en": "Exponential smoothing, damped trend"},
    "poisson": {"zh": "泊松模型（罕见事件计数）", "en": "Poisson model (counts of rare events)"},
    "naive_wide": {"zh": "简单外推（数据点少，区间较宽）", "en": "Simple extrapolation (few points, wide interval)"},
    "insufficient_data": {"zh": "数据不足，无法预测", "en": "Too little data to project"},
    # the level, damped and binomial models (no trend read into noise)
    "level": {"zh": "近年水平（不外推趋势）", "en": "Recent level (no trend carried forward)"},
    "damped_trend": {"zh": "阻尼趋势（趋势逐年减弱）", "en": "Damped trend (the trend fades year by year)"},
    "binomial": {"zh": "二项模型（出生人口中男婴占比）", "en": "Binomial model (share of boys among births)"},
}
APP_LABELS = {
    "as_of": {"zh": "数据截至", "en": "Data up to"},
    "as_of_projection": {"zh": "按此年及以前的数据预测", "en": "Project from data up to"},
    "build_missing": {"zh": "仪表板数据尚未生成，正在生成，完成后本页自动显示。",
                      "en": "The dashboard has not been built yet. It is being built; this page opens it when ready."},
    "build_stale": {"zh": "数据已更新，正在重新生成仪表板，完成后本页自动显示。",
                    "en": "The data have changed. The dashboard is being rebuilt; this page opens it when ready."},
    "build_progress": {"zh": "生成进度", "en": "Progress"},
    "build_failed": {"zh": "仪表板数据未能生成。请联系管理员运行 planlib build 并查看其输出。",
                     "en": "The dashboard could not be built. Ask the administrator to run planlib build and read its output."},
    "report_building": {"zh": "正在生成报告，请稍候（约半分钟）……", "en": "Making the report, please wait (about half a minute) ..."},
    "report_failed": {"zh": "报告未能生成，请稍后再试或联系管理员。",
                      "en": "The report could not be made. Try again later or ask the administrator."},
    "view_overview": {"zh": "总览", "en": "Overview"},
    "view_city": {"zh": "区县对比", "en": "City view"},
    "region_picker": {"zh": "规划地区", "en": "Plan of"},
    "title_of_region": {"zh": "{region}：{title}（监测）", "en": "{region}: {title} (monitoring)"},
    "plans_untitled": {"zh": "妇女发展规划和儿童发展规划", "en": "Women's and Children's Development Plans"},
    "download_city_xlsx": {"zh": "下载区县对比 Excel", "en": "Download the city view (Excel)"},
    "view_explorer": {"zh": "指标详情", "en": "Indicator explorer"},
    "view": {"zh": "视图", "en": "View"},
    "at_a_glance": {"zh": "各规划指标状态", "en": "Where each plan stands"},
    "binding_alert_title": {"zh": "需要关注的约束性指标", "en": "Binding indicators that need action"},
    "binding_alert_none": {"zh": "没有存在风险或难以达标的约束性指标。",
                           "en": "No binding indicator is at risk or off track."},
    "n_of_total": {"zh": "共 {n} 项", "en": "{n} indicators"},
    "overview_chart_title": {"zh": "各领域指标状态", "en": "Indicator status by domain"},
    "n_indicators": {"zh": "指标数", "en": "Indicators"},
    "table_title": {"zh": "全部指标", "en": "All indicators"},
    "showing": {"zh": "显示 {n} / {total} 项指标", "en": "Showing {n} of {total} indicators"},
    "table_hint": {"zh": "点击指标名称（或用 Tab 键选中后按回车）查看详情；点击表头排序。",
                   "en": "Click an indicator's name (or Tab to it and press Enter) to explore it; "
                         "click a column heading to sort."},
    "filter_plan": {"zh": "规划", "en": "Plan"},
    "filter_domain": {"zh": "领域", "en": "Domain"},
    "filter_unit": {"zh": "责任单位", "en": "Responsible unit"},
    "filter_status": {"zh": "状态", "en": "Status"},
    "binding_only": {"zh": "仅约束性指标", "en": "Binding indicators only"},
    "all": {"zh": "全部", "en": "All"},
    "download_csv": {"zh": "下载 CSV", "en": "Download CSV"},
    "download_xlsx": {"zh": "下载 Excel", "en": "Download Excel"},
    "download_report": {"zh": "下载本年度监测报告（Word、HTML、Excel，约需半分钟）",
                        "en": "Download this year's monitoring report (Word, HTML, Excel; about 30 s)"},
    "report_file": {"zh": "年度监测报告", "en": "annual-monitoring-report"},
    "download_png": {"zh": "下载图片 PNG", "en": "Download PNG"},
    "download_svg": {"zh": "下载矢量图 SVG", "en": "Download SVG"},
    "download_data": {"zh": "下载图表数据 CSV", "en": "Download chart data (CSV)"},
    "col_id": {"zh": "编号", "en": "Code"},
    "col_plan": {"zh": "规划", "en": "Plan"},
    "col_domain": {"zh": "领域", "en": "Domain"},
    "col_name": {"zh": "指标", "en": "Indicator"},
    "col_target": {"zh": "目标值", "en": "Target"},
    "col_attribute": {"zh": "属性", "en": "Attribute"},
    "col_latest": {"zh": "最新值（年份）", "en": "Latest value (year)"},
    "col_latest_value": {"zh": "最新值", "en": "Latest value"},
    "col_latest_year": {"zh": "最新年份", "en": "Latest year"},
    "col_projected": {"zh": "目标年预测（95%区间）", "en": "Projected for target year (95% interval)"},
    "col_projected_value": {"zh": "目标年预测值", "en": "Projected value"},
    "col_lower_95": {"zh": "95%区间下限", "en": "95% lower"},
    "col_upper_95": {"zh": "95%区间上限", "en": "95% upper"},
    "col_target_year": {"zh": "目标年", "en": "Target year"},
    "col_status": {"zh": "状态", "en": "Status"},
    "col_units": {"zh": "责任单位", "en": "Responsible units"},
    "col_p_meet": {"zh": "达标概率", "en": "Probability of meeting the target"},
    "col_method": {"zh": "预测方法", "en": "Method"},
    "col_explanation": {"zh": "说明", "en": "Explanation"},
    "col_data_note": {"zh": "数据说明", "en": "Data note"},
    "col_kind": {"zh": "类型", "en": "Kind"},
    "col_region": {"zh": "地区", "en": "Region"},
    "col_year": {"zh": "年份", "en": "Year"},
    "col_value": {"zh": "数值", "en": "Value"},
    "col_source": {"zh": "来源", "en": "Source"},
    "col_confirmation": {"zh": "核实情况", "en": "Confirmation"},
    "kind_observed": {"zh": "观测值", "en": "Observed"},
    "kind_fitted": {"zh": "拟合值", "en": "Fitted"},
    "kind_projection": {"zh": "预测值", "en": "Projected"},
    "indicator": {"zh": "指标", "en": "Indicator"},
    "method": {"zh": "预测方法", "en": "Method"},
    "method_used": {"zh": "图中预测方法：{method}", "en": "Method in the chart: {method}"},
    "method_assessed": {"zh": "评估采用的方法：{method}", "en": "Method of the assessment: {method}"},
    "explanation": {"zh": "说明", "en": "Explanation"},
    "p_meet": {"zh": "达标概率：{p}", "en": "Probability of meeting the target: {p}"},
    "latest": {"zh": "最新值：{value}（{year}年）", "en": "Latest value: {value} ({year})"},
    "no_latest": {"zh": "尚无数据", "en": "No data yet"},
    "projected": {"zh": "{year}年预测值：{value}（95%区间 {lower}–{upper}）",
                  "en": "Projected for {year}: {value} (95% interval {lower}-{upper})"},
    "required_change": {"zh": "达标所需年均变化：{req}；实际年均变化：{obs}",
                        "en": "Annual change needed: {req}; observed: {obs}"},
    "responsible": {"zh": "责任单位：{units}", "en": "Responsible units: {units}"},
    "attribute": {"zh": "指标属性：{attribute}", "en": "Attribute: {attribute}"},
    "later_points": {"zh": "灰色点：所选年份之后的观测值（预测时尚未知）",
                     "en": "Grey points: observed after the year projected from (unknown then)"},
    "bands_note": {"zh": "阴影：80% 与 95% 预测区间", "en": "Shading: 80% and 95% prediction intervals"},
    # chart words
    "year": {"zh": "年份", "en": "Year"},
    "value": {"zh": "数值", "en": "Value"},
    "status": {"zh": "状态", "en": "Status"},
    "domain": {"zh": "领域", "en": "Domain"},
    "series": {"zh": "数据系列", "en": "Series"},
    "source": {"zh": "来源", "en": "Source"},
    "confirmation": {"zh": "核实情况", "en": "Confirmation"},
    "legend": {"zh": "图例", "en": "Legend"},
    "target": {"zh": "目标", "en": "Target"},
    "target_year": {"zh": "目标年", "en": "Target year"},
    "midterm": {"zh": "中期评估", "en": "Mid-term review"},
    # series names: {region} is i18n.region_label(...) of config.COUNTY, NATIONAL, PARENT_CITY
    "series_observed": {"zh": "{region}（观测值）", "en": "{region} (observed)"},
    "series_later": {"zh": "{region}（其后观测值）", "en": "{region} (observed later)"},
    "series_trend": {"zh": "拟合趋势", "en": "Fitted trend"},
    "series_projection": {"zh": "预测", "en": "Projection"},
    "series_national": {"zh": "{region}", "en": "{region}"},
    "series_city": {"zh": "{region}", "en": "{region} (city)"},
    "series_region": {"zh": "{region}（观测值）", "en": "{region} (observed)"},
    "series_target": {"zh": "目标", "en": "Target"},
    "band_80": {"zh": "80% 预测区间", "en": "80% prediction interval"},
    "band_95": {"zh": "95% 预测区间", "en": "95% prediction interval"},
    "demo_source": {"zh": "示例数据（非官方统计）", "en": "Illustrative data (not official statistics)"},
    "confirmation_confirmed": {"zh": "已核实：见于原始发布", "en": "confirmed: read in the publication"},
    "confirmation_derived": {"zh": "推算：由公布的变化量计算", "en": "derived: computed from a published change"},
    "confirmation_weak": {"zh": "待核实：未找到原始发布", "en": "weak: no copy of the source found"},
    "confirmation_unconfirmed": {"zh": "未核实：未找到原始发布",
                                 "en": "unconfirmed: no copy of the source found"},
    "national_note": {"zh": "全国数据：空心菱形为未核实的数值，来源见提示框",
                      "en": "National data: hollow diamonds are unconfirmed values; hover for the source"},
    # the static edition (planlib publish)
    "edition_footer": {"zh": "数据版本 {version}；数据生成于 {built}；本静态版发布于 {published}。",
                       "en": "Data version {version}; built {built}; this static edition published {published}."},
    "edition_noscript": {"zh": "本页需要启用 JavaScript，并须由网页服务器提供（例如 nginx、IIS 或 python -m http.server），"
                               "不能直接双击文件打开。",
                         "en": "This page needs JavaScript and must be served by a web server (nginx, IIS or "
                               "python -m http.server); it cannot be opened by double-clicking the file."},
    "edition_loading": {"zh": "正在加载……", "en": "Loading ..."},
    "edition_load_failed": {"zh": "未能加载 {file}。请确认本文件夹由网页服务器提供，且文件完整。",
                            "en": "Could not load {file}. Check that this folder is served by a web server "
                                  "and that it is complete."},
    "edition_no_view": {"zh": "该指标在此年份没有图表。", "en": "This indicator has no chart for this year."},
    "edition_no_city": {"zh": "该年份没有区县对比。", "en": "There is no city view for this year."},
}

#: The plans' responsible units (责任单位), for the English view.
RESPONSIBLE_UNIT_LABELS = {
    "县卫生健康委": "County Health Commission",
    "县体育运动中心": "County Sports Centre",
    "县发展改革委": "County Development and Reform Commission",
    "县教委": "County Education Commission",
    "县人力社保局": "County Human Resources and Social Security Bureau",
    "县委组织部": "Organisation Department of the County Party Committee",
    "县国资事务中心": "County State-owned Assets Affairs Centre",
    "县总工会": "County Federation of Trade Unions",
    "县民政局": "County Civil Affairs Bureau",
    "县司法局": "County Justice Bureau",
    "县委宣传部": "Publicity Department of the County Party Committee",
    "县妇联": "County Women's Federation",
    "县城市管理局": "County Urban Management Bureau",
    "县水利局": "County Water Resources Bureau",
    "县检察院": "County People's Procuratorate",
    "县法院": "County People's Court",
    "县公安局": "County Public Security Bureau",
    "县应急管理局": "County Emergency Management Bureau",
    "县残联": "County Disabled Persons' Federation",
}


# --- assess (planlib.assessment: explanations, the command-line table) -------------------------------
ASSESS_LABELS = {
    "comparison": {"zh": "{region}为对照地区，按本规划的目标衡量（非其自身规划的目标）：",
                   "en": "{region}, a comparison region, measured against this plan's target "
                         "(not its own plan's): "},
    "no_data": {"zh": "尚无数据，无法评估。", "en": "No data yet, so it cannot be assessed."},
    "few_points": {"zh": "仅有{n}个年度的数据（{year}年为{value}），至少需要{min}个年度才能判断趋势。",
                   "en": "Only {n} year(s) of data ({year}: {value}); at least {min} are needed to judge a trend."},
    "qualitative": {"zh": "目标“{target}”为定性表述，不能仅凭数据判定是否达标。",
                    "en": "The target '{target}' is qualitative; data alone cannot decide whether it is met."},
    "no_reference": {"zh": "目标“{target}”所参照的数据未纳入监测（目录未指定参照指标），无法判断。",
                     "en": "The target '{target}' refers to data that is not monitored (the catalogue names "
                           "no reference indicator), so it cannot be judged."},
    "reference_no_data": {"zh": "目标“{target}”所参照的指标{ref}尚无数据，无法判断。",
                          "en": "The indicator the target '{target}' refers to ({ref}) has no data yet, "
                                "so it cannot be judged."},
    "observed_met": {"zh": "{year}年实际为{value}，已达到目标（{target}）", "en": "The {year} value is {value}, "
                     "meeting the target ({target})"},
    "observed_missed": {"zh": "{year}年实际为{value}，未达到目标（{target}）", "en": "The {year} value is "
                        "{value}, missing the target ({target})"},
    "met_now": {"zh": "{year}年为{value}，已达到目标；", "en": "The {year} value ({value}) meets the target; "},
    "met_now_dir": {"zh": "{year}年为{value}，已{better}基期；", "en": "The {year} value ({value}) is already "
                    "{better} than the base; "},
    "projection": {"zh": "按近年趋势，{year}年预计为{value}（95%区间{lo}–{hi}）",
                   "en": "on recent trends the {year} value is projected at {value} (95% interval {lo}–{hi})"},
    "p_threshold": {"zh": "，达到目标（{target}）的概率{p}", "en": ", with a {p} probability of meeting the "
                    "target ({target})"},
    "p_band": {"zh": "，落在目标区间（{lo}–{hi}）的概率{p}", "en": ", with a {p} probability of lying in the "
               "target band ({lo}–{hi})"},
    "p_better": {"zh": "，{better}基期（{base_year}年{base}）的概率{p}", "en": ", with a {p} probability of "
                 "being {better} than the base ({base_year}: {base})"},
    "p_relative": {"zh": "，达到目标（{target}；参照指标{ref}预计为{ref_value}）的概率{p}",
                   "en": ", with a {p} probability of meeting the target ({target}; the reference {ref} "
                         "is projected at {ref_value})"},
    "p_hold_up": {"zh": "，基期已达上限，保持在{value}及以上的概率{p}", "en": ", with the base already at "
                  "the maximum, a {p} probability of staying at {value} or above"},
    "p_hold_down": {"zh": "，基期已达下限，保持在{value}及以下的概率{p}", "en": ", with the base already at "
                    "the minimum, a {p} probability of staying at {value} or below"},
    "no_projection": {"zh": "现有{n}个年度的数据无法推算趋势，无法评估。",
                      "en": "The {n} years of data do not give a trend projection, so it cannot be assessed."},
    "higher": {"zh": "高于", "en": "higher"},
    "lower": {"zh": "低于", "en": "lower"},
    "required_up": {"zh": "需年均提高{r}", "en": "a rise of {r} a year is needed"},
    "required_down": {"zh": "需年均下降{r}", "en": "a fall of {r} a year is needed"},
    "required_none": {"zh": "基期已达标", "en": "the base year already met the target"},
    "observed_up": {"zh": "{base_year}年以来实际年均提高{r}", "en": "a rise of {r} a year observed since {base_year}"},
    "observed_down": {"zh": "{base_year}年以来实际年均下降{r}", "en": "a fall of {r} a year observed since {base_year}"},
    "observed_flat": {"zh": "{base_year}年以来基本持平", "en": "about flat since {base_year}"},
    "declines_up": {"zh": "{years}年比上一年下降，未做到逐年提高", "en": "it fell in {years}, so it has not "
                    "risen every year"},
    "declines_down": {"zh": "{years}年比上一年上升，未做到逐年降低", "en": "it rose in {years}, so it has not "
                      "fallen every year"},
    "table_title": {"zh": "规划指标达标评估（数据截至{year}年）", "en": "Assessment of the plan's indicators "
                    "(data up to {year})"},
    "table_urgent": {"zh": "约束性指标中存在风险或难以达标的：{n}项", "en": "Binding indicators at risk or off "
                     "track: {n}"},
    "table_urgent_none": {"zh": "约束性指标中没有存在风险或难以达标的。", "en": "No binding indicator is at risk "
                          "or off track."},
    "col_id": {"zh": "代码", "en": "ID"},
    "col_indicator": {"zh": "指标", "en": "Indicator"},
    "col_region": {"zh": "地区", "en": "Region"},
    "col_attribute": {"zh": "属性", "en": "Type"},
    "col_status": {"zh": "状态", "en": "Status"},
    "col_latest": {"zh": "最新值", "en": "Latest"},
    "col_target": {"zh": "目标", "en": "Target"},
    "col_projected": {"zh": "目标年预计（95%区间）", "en": "Projected (95% interval)"},
    "col_p": {"zh": "达标概率", "en": "P(meet)"},
    "col_explanation": {"zh": "说明", "en": "Explanation"},
    # which model an assessment used, and why; how 趋于平衡 is read
    "projection_level": {"zh": "按近年水平，{year}年预计为{value}（95%区间{lo}–{hi}）",
                         "en": "on the recent level the {year} value is projected at {value} (95% interval {lo}–{hi})"},
    "model_level": {"zh": "未发现可靠趋势：按近年水平判断", "en": "no reliable trend: judged on the recent level"},
    "model_trend": {"zh": "趋势可靠：在本序列的回测中，趋势模型的预测误差比按近年水平小{gain}",
                    "en": "the trend is reliable: in backtests on this series it predicted {gain} better than the recent level"},
    "model_damped": {"zh": "趋势按逐年减弱外推", "en": "the trend is projected to fade year by year"},
    "model_step": {"zh": "该序列在{year}年发生阶跃变化：按{year}年起的数据预测",
                   "en": "the series changed step in {year}: projected from {year} on"},
    "model_binomial": {"zh": "按出生人口中男婴占比建模（二项分布，{first}—{last}年共{births}名出生），"
                             "判断潜在出生性别比是否处于正常范围{lo}–{hi}（趋于平衡），单一年份的随机波动不作为趋势",
                       "en": "modelled as the share of boys among births (binomial, {births} births in {first}-{last}) "
                             "and judged on whether the underlying sex ratio lies in the normal range {lo}-{hi} "
                             "(balanced); one year's chance swing is not read as a trend"},
    "model_poisson": {"zh": "罕见事件按泊松分布计数，以出生数为暴露量", "en": "rare events counted as Poisson, with births as exposure"},
    "model_short": {"zh": "数据点少：简单外推，区间较宽", "en": "few points: simple extrapolation with a wide interval"},
    "steady": {"zh": "{year}年以来每年均达到目标且无偏离目标的趋势，不列为风险",
               "en": "met the target every year since {year} with no trend away from it, so it is not flagged"},
    "balance_reading": {
        "zh": "“趋于平衡”按统计上的通常读法理解为数据未显示潜在值超出正常范围{lo}–{hi}（出生不受性别选择时"
              "出生性别比所处的范围，人口统计通用）；潜在值低于{lo}的概率{below}、高于{hi}的概率{above}，"
              "某一侧达到{at_risk}才列为存在风险，达到{off_track}列为难以达标",
        "en": "趋于平衡 (tending to balance) is read as a statistician would: the data do not show the "
              "underlying value outside the normal range {lo}-{hi} (the sex ratio at birth where births "
              "are not selected by sex, as demographic statistics use it); the chance it lies below {lo} "
              "is {below} and above {hi} {above}, and it is flagged at risk only from {at_risk} on one "
              "side, off track from {off_track}"},
}


# --- intake (planlib.apps.intake: the data-intake app) ----------------------------------------------
INTAKE_LABELS = {
    "title": {"zh": "数据报送导入", "en": "Data intake"},
    "intro": {"zh": "上传各单位填好的报送模板（.xlsx）或 CSV 文件，先检查，确认无误后导入。每个文件要么全部导入，要么完全不导入。",
              "en": "Upload the filled templates (.xlsx) or CSV files, check them, then confirm the import. Each file is imported whole or not at all."},
    "upload": {"zh": "选择文件", "en": "Choose files"},
    "who": {"zh": "导入人", "en": "Imported by"},
    "confirm": {"zh": "确认导入", "en": "Import"},
    "check_title": {"zh": "检查结果", "en": "Check"},
    "nothing": {"zh": "尚未选择文件。", "en": "No file chosen yet."},
    "ok": {"zh": "检查通过，可以导入。", "en": "No errors: ready to import."},
    "errors": {"zh": "发现错误：请按提示修改文件后重新上传；有错误的文件不会导入。",
               "en": "Errors found: correct the files as described and upload them again; a file with errors is not imported."},
    "done": {"zh": "导入完成。", "en": "Imported."},
    "history": {"zh": "报送记录", "en": "Submissions"},
    "revisions": {"zh": "数值修改记录", "en": "Revisions"},
    "indicator": {"zh": "指标", "en": "Indicator"},
    "no_revisions": {"zh": "该指标没有修改记录。", "en": "No revisions of this indicator."},
    "region": {"zh": "规划地区", "en": "Plan of"},
    "template": {"zh": "下载空白模板", "en": "Blank template"},
    "unit": {"zh": "单位", "en": "Unit"},
    "year": {"zh": "年份", "en": "Year"},
    "make": {"zh": "生成", "en": "Make"},
    "error": {"zh": "错误", "en": "error"},
    "warning": {"zh": "提示", "en": "warning"},
    "more_rows": {"zh": "……另有 {n} 行未显示（同类问题请一并修改）", "en": "... and {n} more rows not shown (correct them alike)"},
}


#: Column headers of the intake app's tables (planlib.apps.intake): column -> (zh, en).
INTAKE_HISTORY_COLUMNS = {
    "id": ("提交号", "Submission"), "file_name": ("文件", "File"), "department": ("申报单位（文件自报）", "Unit (as declared)"),
    "reporting_year": ("报送年份", "Year"), "imported_at": ("导入时间", "Imported at"),
    "imported_by": ("导入人", "By"), "n_new": ("新增", "New"), "n_changed": ("修改", "Changed"),
    "n_unchanged": ("未变", "Unchanged"),
}
INTAKE_REVISION_COLUMNS = {
    REGION: ("地区", "Region"), YEAR: ("年份", "Year"), "old_value": ("原值", "Old value"),
    "new_value": ("新值", "New value"), "changed_at": ("修改时间", "Changed at"),
    "submission_id": ("提交号", "Submission"), "reason": ("原因", "Reason"),
}
INTAKE_FILE_COLUMNS = {
    "file": ("文件", "File"), "status": ("结果", "Result"), "submission_id": ("提交号", "Submission"),
    "n_new": ("新增", "New"), "n_changed": ("修改", "Changed"), "n_unchanged": ("未变", "Unchanged"),
    "errors": ("错误", "Errors"), "warnings": ("提示", "Warnings"),
}
INTAKE_PROBLEM_COLUMNS = {
    "kind": ("类型", "Kind"), "file": ("文件", "File"), "sheet": ("工作表", "Sheet"),
    "row": ("行", "Row"), "column": ("列", "Column"), "value": ("发现的值", "Value found"),
    "message": ("问题", "Problem"), "fix": ("处理办法", "How to fix"),
}
#: The intake's problems (planlib.intake): kind -> (message zh, message en, fix zh, fix en).
INTAKE_MESSAGES: dict[str, tuple[str, str, str, str]] = {
    "missing_file": ("找不到文件", "File not found", "检查文件名和路径。", "Check the file name and path."),
    "xlsx_damaged": ("文件已损坏，或不是 Excel 工作簿（{detail}）", "The file is damaged or not an Excel workbook ({detail})",
                     "用 Excel 打开后另存为 .xlsx 再导入；打不开时请报送单位重新发送原文件，或改用 CSV 格式。",
                     "Open it in Excel and save it as .xlsx, then import again; if it does not open, ask the unit to send it again, or use the CSV format."),
    "xlsx_too_large": ("文件解压后过大，为保护系统未读取（{detail}）", "The file inflates too far and was not read, to protect the system ({detail})",
                       "只保留报送模板的工作表和数值，另存为新的 .xlsx 后再导入；来源不明的文件不要打开。",
                       "Keep only the template's sheets and values, save as a new .xlsx and import again; do not open files of unknown origin."),
    "xlsx_forbidden": ("文件含有不允许的 XML 文档类型声明，可能是恶意文件（{detail}）",
                       "The file contains an XML document type declaration, which is not allowed and may be hostile ({detail})",
                       "请报送单位用 Excel 重新生成模板并填写；来源不明的文件不要打开。",
                       "Ask the unit to fill in a freshly made template; do not open files of unknown origin."),
    "too_many_rows": ("文件超过 {max} 行，为保护系统未读取", "The file has more than {max} rows and was not read, to protect the system",
                      "检查是否误选了其他文件；数据确实很多时，拆分为几个文件分别导入。",
                      "Check that this is the right file; if it really holds that many values, split it into several files."),
    "too_many_cells": ("文件超过 {max} 个单元格，为保护系统未读取", "The file has more than {max} cells and was not read, to protect the system",
                       "检查是否误选了其他文件；只保留需要导入的列和行。", "Check that this is the right file; keep only the rows and columns to import."),
    "file_too_large": ("文件大于 {max} MB，为保护系统未读取", "The file is larger than {max} MB and was not read, to protect the system",
                       "检查是否误选了其他文件；报送模板和 CSV 文件通常不到 1 MB。",
                       "Check that this is the right file; templates and CSV files are usually under 1 MB."),
    "formula_no_value": ("单元格是公式，但没有计算结果", "The cell holds a formula without a calculated value",
                         "用 Excel 打开文件、保存后再导入，或直接填写数值/文字而不是公式。",
                         "Open and save the file in Excel, then import again, or type the value instead of a formula."),
    "unknown_region": ("地区“{region}”不是本系统监测的地区", "Region '{region}' is not one this store monitors",
                       "地区填写 {known} 之一，或留空（即{county}）；检查是否有多余的空格或文字。",
                       "Use one of {known}, or leave it empty ({county}); check for extra spaces or words."),
    "text_too_long": ("文字超过 {max} 个字", "The text is longer than {max} characters",
                      "把说明缩短到 {max} 个字以内；详细材料请另行报送。", "Shorten it to {max} characters; send longer material separately."),
    "implausible": ("数值 {value} 超过该计量单位（{unit}）的通常范围 {plausible}", "Value {value} is beyond the usual range {plausible} of its unit ({unit})",
                    "请核实数值和计量单位（如“万人”与“人”）；如确认无误，可在“备注”中说明。",
                    "Please check the value and its unit (万人 or 人); if it is right, a note helps readers."),
    "old_xls": ("不支持旧版 .xls 格式", "The old .xls format is not supported",
                "在 Excel 中另存为 .xlsx（Excel 工作簿）后再导入。", "Save it as .xlsx (Excel Workbook) and import again."),
    "no_meta": ("这不是本系统生成的报送模板（缺少隐藏的模板信息表）",
                "This is not a template made by planlib (the hidden template information sheet is missing)",
                "用 planlib template 生成模板后填写；或按说明改用 CSV 格式。",
                "Fill in a template made with `planlib template`, or use the documented CSV format."),
    "bad_meta": ("模板信息表已损坏：{detail}", "The template information sheet is damaged: {detail}",
                 "重新生成模板，把数值复制进去后再导入。", "Make a new template, copy the values into it and import again."),
    "unknown_department": ("模板中的责任单位“{unit}”不在指标目录中", "Responsible unit '{unit}' of the template is not in the catalogue",
                           "用 planlib template 为正确的单位重新生成模板。", "Make a new template for the right unit with `planlib template`."),
    "missing_sheet": ("找不到工作表“{sheet}”", "Sheet '{sheet}' is missing",
                      "不要删除或重命名模板中的工作表。", "Do not delete or rename the template's sheets."),
    "no_header": ("找不到表头行（应包含“指标代码”和“数值”）", "No header row found (it must contain 指标代码 and 数值)",
                  "不要删除或修改模板的表头行；必要时重新生成模板。", "Keep the template's header row; make a new template if needed."),
    "empty_file": ("文件中没有任何数值", "The file contains no values",
                   "在“数值”列填写数值后再导入。", "Fill in the 数值 (value) column and import again."),
    "decode": ("无法识别文件的文字编码", "The file's text encoding cannot be read",
               "用 Excel 或记事本另存为“CSV UTF-8”格式后再导入。", "Save it as 'CSV UTF-8' and import again."),
    "csv_broken": ("CSV 文件格式错误：{detail}", "The CSV file is malformed: {detail}",
                   "用 Excel 打开后另存为“CSV UTF-8”格式，或改用报送模板。", "Save it again as 'CSV UTF-8' from Excel, or use the template."),
    "csv_missing_column": ("缺少必需的列“{col}”", "The required column '{col}' is missing",
                           "表头须包含 indicator_id（指标代码）、year（年份）和 value（数值）三列。",
                           "The header must contain indicator_id, year and value (指标代码, 年份, 数值)."),
    "csv_duplicate_column": ("表头中列“{col}”出现了两次", "Column '{col}' appears twice in the header",
                             "删除重复的列。", "Remove the repeated column."),
    "csv_unknown_column": ("无法识别的列“{col}”，已忽略", "Unknown column '{col}' ignored",
                           "可用的列：{known}。", "Known columns: {known}."),
    "csv_extra_cells": ("这一行的单元格比表头多", "This row has more cells than the header",
                        "删除多余的单元格，或检查数值中是否有逗号（如 1,234 应写作 1234）。",
                        "Remove the extra cells, or check for commas inside numbers (write 1234, not 1,234)."),
    "no_code": ("填写了数值，但缺少指标代码", "A value is given but the indicator code is missing",
                "填写指标代码（如 W03），或删除这一行。", "Fill in the indicator code (e.g. W03) or delete the row."),
    "unknown_indicator": ("指标代码“{code}”不在指标目录中", "Indicator code '{code}' is not in the catalogue",
                          "使用模板中的指标代码（如 W03、C02）。", "Use the indicator codes of the template (e.g. W03, C02)."),
    "not_department": ("指标 {code} 不属于“{unit}”负责", "Indicator {code} is not among those of {unit}",
                       "删除这一行；该指标由{owners}报送。", "Delete the row; {owners} report(s) this indicator."),
    "bad_year": ("年份不是四位整数", "The year is not a four-digit whole number",
                 "填写年份，例如 2024。", "Enter a year such as 2024."),
    "year_range": ("年份 {year} 不在可接受的范围 {first}—{last} 年内", "Year {year} is outside the accepted range {first}-{last}",
                   "检查年份；监测期为 2021—2030 年，历史数据最早可补录到 2010 年。",
                   "Check the year: the plan period is 2021-2030; history back to 2010 may be added."),
    "future_year": ("年份 {year} 还没有结束，不能报送", "Year {year} is still in the future",
                    "检查年份。", "Check the year."),
    "backfill": ("{n} 个数值属于规划期以前的年份（{years}），按历史数据补录",
                 "{n} values are for years before the plan period ({years}) and are added as history",
                 "如年份有误请更正；否则无需处理。", "Correct the year if it is wrong; otherwise nothing to do."),
    "not_number": ("不是数字", "Not a number", "填写数字，例如 92.5；不要填写文字、单位或空格。",
                   "Enter a number such as 92.5, without words, units or spaces."),
    "missing_value": ("缺少数值", "The value is missing", "填写数值，或删除这一行。", "Enter the value or delete the row."),
    "below": ("数值 {value} 小于下限 {low}（计量单位：{unit}）", "Value {value} is below the minimum {low} (unit: {unit})",
              "检查数值和计量单位。", "Check the value and its unit."),
    "above": ("数值 {value} 超过上限 {high}（计量单位：{unit}）", "Value {value} is above the maximum {high} (unit: {unit})",
              "检查数值；百分比请填写 0—100 之间的数（如 92.5，而不是 0.925 或 925）。",
              "Check the value; write percentages between 0 and 100 (92.5, not 0.925 or 925)."),
    "not_whole": ("计数类指标（{unit}）须为整数", "A count ({unit}) must be a whole number",
                  "填写整数。", "Enter a whole number."),
    "half_fraction": ("分子和分母须同时填写", "Numerator and denominator must be given together",
                      "同时填写分子（如死亡数）和分母（如活产数），或都不填。",
                      "Give both the numerator (e.g. deaths) and the denominator (e.g. live births), or neither."),
    "negative_part": ("分子、分母不能为负数", "Numerator and denominator cannot be negative",
                      "检查分子和分母。", "Check the numerator and denominator."),
    "zero_denominator": ("分母为 0", "The denominator is 0", "填写分母（如活产数），须大于 0。",
                         "Enter the denominator (e.g. live births); it must be above 0."),
    "numerator_too_big": ("分子 {num} 大于分母 {den}", "Numerator {num} is larger than denominator {den}",
                          "检查分子和分母是否填反。", "Check whether numerator and denominator are swapped."),
    "fraction_mismatch": ("数值 {value} 与分子/分母算出的 {computed} 不一致", "Value {value} differs from {computed} computed from numerator/denominator",
                          "核对数值、分子和分母。", "Check the value, numerator and denominator."),
    "duplicate": ("指标 {code}、{region}、{year} 年在文件中重复出现（已见于{first}）",
                  "Indicator {code}, {region}, {year} appears twice in the file (first at {first})",
                  "每个指标每年只填写一次；删除重复的行。", "Report each indicator once per year; delete the repeated row."),
    "duplicate_same": ("指标 {code} {year} 年由多个单位报送了相同的数值（已见于{first}），只导入一次",
                       "Indicator {code} {year} is reported with the same value twice (first at {first}); imported once",
                       "无需处理。", "Nothing to do."),
    "bad_status": ("状态“{status}”无法识别", "Unknown status '{status}'",
                   "填写 reported（正式）、provisional（初步）或 estimated（估计），或留空。",
                   "Use reported, provisional or estimated, or leave it empty."),
    "change_needs_note": ("修改已报送的数值（原为 {old}，来源：{source}）须在“备注”中说明原因",
                          "Changing a value already reported ({old}, source: {source}) needs a note giving the reason",
                          "在这一行的“备注”列写明修改原因（如“统计口径调整”“更正录入错误”）。",
                          "Write the reason in this row's 备注 (note) column, e.g. 'corrected a typing error'."),
    "demo_over_real": ("示例数据不能替换已报送的数值（{old}）", "Illustrative data cannot replace a reported value ({old})",
                       "删除这一行。", "Delete this row."),
    "jump_relative": ("与 {prev_year} 年的 {prev} 相比变化 {rel}，超过 50%",
                      "A change of {rel} from {prev} in {prev_year}, more than 50 %",
                      "请核实数值；如确认无误，可在“备注”中说明原因。", "Please check the value; if it is right, a note helps readers."),
    "jump_sd": ("与 {prev_year} 年的 {prev} 相比变化 {diff}，超过以往年际变化 3 倍稳健标准差（{sd}）",
                "A change of {diff} from {prev} in {prev_year}, more than 3 robust standard deviations ({sd}) of past yearly changes",
                "请核实数值；如确认无误，可在“备注”中说明原因。", "Please check the value; if it is right, a note helps readers."),
    "already_imported": ("此文件已于 {when} 导入（提交 #{sid}），本次未做任何改动",
                         "This file was already imported on {when} (submission #{sid}); nothing changed",
                         "无需处理。", "Nothing to do."),
}

# --- observations (planlib.observations: the observations file loader) ----------------------------
#: The loader's problems: kind -> (message zh, message en, fix zh, fix en).
OBSERVATIONS_MESSAGES = {
    "missing_column": ("缺少必需的列“{col}”", "The required column '{col}' is missing",
                       "在表头加入该列（必需列：indicator_id、year、value）。",
                       "Add the column to the header (required: indicator_id, year, value)."),
    "unknown_indicator": ("指标代码不在指标目录中", "The indicator id is not in the catalogue",
                          "填写指标目录中的代码（如 W03、C02）{hint_zh}。",
                          "Use an id of the catalogue (such as W03, C02){hint_en}."),
    "bad_year": ("年份不是整数年份", "The year is not a whole year",
                 "填写四位数年份，例如 2023。", "Enter a four-digit year such as 2023."),
    "missing_value": ("缺少数值", "The value is missing",
                      "填写数值；没有数据的年份整行删除。", "Enter the value; delete the row if there is no data."),
    "not_number": ("不是数字", "Not a number",
                   "只填数字，不带单位、百分号或千位分隔符（例如 91.5）。",
                   "Enter a plain number without unit, % sign or thousands separator (e.g. 91.5)."),
    "negative": ("不能为负数", "Must not be negative",
                 "比率、人数和比值都不小于 0，检查是否输入有误。",
                 "Rates, counts and ratios are never below 0; check the entry."),
    "not_whole": ("计数类指标（{unit}）须为整数", "A count ({unit}) must be a whole number",
                  "填写整数；如果是“每千名……拥有”一类的比率，请核对指标名称是否写明“每”。",
                  "Enter a whole number; for a count per thousand, check that the indicator's name says 每."),
    "out_of_range": ("数值超出单位“{unit}”的范围 {low:g}–{high:g}",
                     "The value is outside {low:g}-{high:g} for the unit '{unit}'",
                     "按指标单位填写（百分比填 0–100 之间的数，例如 91.5 而不是 915）。",
                     "Enter the value in the indicator's unit (a percentage is 0-100, e.g. 91.5)."),
    "zero_denominator": ("分母为 0", "The denominator is 0",
                         "填写分母（例如活产数），或把分子、分母都留空。",
                         "Enter the denominator (e.g. live births) or leave both numerator and denominator empty."),
    "rate_mismatch": ("数值与“分子 ÷ 分母 × {factor}”不符（应约为 {expected}）",
                      "The value does not equal numerator / denominator × {factor} (about {expected})",
                      "核对数值、分子和分母（例如死亡数、活产数）。",
                      "Check the value, numerator and denominator (e.g. deaths and live births)."),
    "bad_code": ("代码无法识别", "Unknown code",
                 "填写以下之一：{allowed}，或留空。", "Use one of: {allowed}, or leave it empty."),
    "duplicate": ("同一指标、地区、年份重复出现（第 {first} 行已有）",
                  "The same indicator, region and year appears again (already on row {first})",
                  "每个指标、地区、年份只保留一行。", "Keep one row per indicator, region and year."),
    "overlap": ("同一指标、地区、年份也出现在 {other} 中", "The same indicator, region and year is also in {other}",
                "每个指标、地区、年份只能来自一个文件。", "Each indicator, region and year may come from one file only."),
}

# --- reference values (planlib.reference: data/reference_values.csv) -------------------------------
#: The reference table's problems (kind -> message zh, en, fix zh, en) and its notes.
REFERENCE_MESSAGES = {
    "missing_column": ("缺少必需的列“{col}”", "The required column '{col}' is missing",
                       "按 shizhu_real.md 的列补全表头。", "Complete the header as shizhu_real.md describes."),
    "bad_match": ("match 列的取值无法识别", "Unknown value in the match column",
                  "填写以下之一：{allowed}。", "Use one of: {allowed}."),
    "unknown_indicator": ("指标代码不在指标目录中", "The indicator id is not in the catalogue",
                          "填写指标目录中的代码，或留空（相近指标或背景数据）。",
                          "Use an id of the catalogue, or leave it empty (close or context row)."),
    "unit_mismatch": ("单位与指标 {ident} 的单位“{expected}”不一致",
                      "The unit differs from the unit '{expected}' of indicator {ident}",
                      "换算为指标单位并在 quote 中写明换算，或不填指标代码。",
                      "Convert to the indicator's unit and show the conversion in quote, or leave the id empty."),
    "id_on_context": ("“{match}”行不能填写指标代码（不是该指标的数值）",
                      "A '{match}' row must not carry an indicator id (it is not the indicator's value)",
                      "清空 indicator_id。", "Empty indicator_id."),
    "exact_without_id": ("exact 行缺少指标代码", "An exact row has no indicator id",
                         "填写指标代码，或改为 close / context。", "Enter the id, or mark the row close / context."),
    "no_derivation": ("derived 行的 quote 没有写出推算过程（应以“derived:”开头）",
                      "A derived row's quote does not show the arithmetic (it should start with 'derived:')",
                      "在 quote 中写明推算过程。", "Write the arithmetic in quote."),
    "not_number": ("不是数字", "Not a number", "只填数字。", "Enter a plain number."),
    "note_exact": ("公开发布值", "published value", "", ""),
    "note_derived": ("推算值（由公布的水平和变化量计算）", "derived from a published level and change", "", ""),
}
#: What the explorer and the reports say about the reference values.
REFERENCE_LABELS = {
    "context_heading": {"zh": "相关背景数据（不是本指标口径）", "en": "Context (not the indicator's definition)"},
    "context_intro": {"zh": "以下为相近口径或背景数据，仅供参考，不作为本指标的数值，不参与评估和图表。",
                      "en": "Similar measures or background figures, for reference only: they are not this "
                            "indicator's value and are neither assessed nor plotted."},
    "match_close": {"zh": "相近口径", "en": "similar measure"},
    "match_context": {"zh": "背景数据", "en": "background"},
    "match_derived": {"zh": "推算值", "en": "derived"},
    "match_exact": {"zh": "公开发布值", "en": "published"},
    "derivation": {"zh": "推算", "en": "derivation"},
    "city_note": {"zh": "{region}数据：公开发布值，来源见提示框", "en": "{region}: published values, sources in the tooltips"},
    "sheet": {"zh": "参考地区数据", "en": "Reference regions"},
    "line": {"zh": "参考地区", "en": "Reference regions"},
    "col_region": {"zh": "地区", "en": "Region"},
    "col_indicator": {"zh": "指标", "en": "Indicator"},
    "col_measure": {"zh": "口径", "en": "Measure"},
    "col_year": {"zh": "年份", "en": "Year"},
    "col_value": {"zh": "数值", "en": "Value"},
    "col_unit": {"zh": "单位", "en": "Unit"},
    "col_match": {"zh": "匹配程度", "en": "Match"},
    "col_source": {"zh": "来源", "en": "Source"},
    "col_url": {"zh": "网址", "en": "Address"},
    "col_quote": {"zh": "原文", "en": "Quoted sentence"},
    "col_derivation": {"zh": "推算过程", "en": "Derivation"},
    "col_note": {"zh": "说明（原文与网址）", "en": "Note (quoted sentence and address)"},
}

# --- the city view (planlib.city, planlib.report.city: indicators x member regions) -------------
CITY_LABELS = {
    "title": {"zh": "{city}妇女儿童发展规划监测：各区县对比（{year}年）",
              "en": "{city} women's and children's development plans: member regions compared ({year})"},
    "intro": {"zh": "各区县按各自规划的目标评估；同一指标在不同规划中的目标可能不同，表中列出各自的目标。",
              "en": "Each member region is assessed against its own plan's target; one indicator may have "
                    "different targets in different plans, so each member's own target is shown."},
    "members": {"zh": "成员区县：{members}", "en": "Member regions: {members}"},
    "generated": {"zh": "生成日期：{date}；数据截至 {year} 年", "en": "Made on {date}; data up to {year}"},
    "grid_heading": {"zh": "指标 × 区县：评估状态", "en": "Indicators x member regions: status"},
    "behind_heading": {"zh": "约束性指标存在风险或滞后的区县", "en": "Binding targets at risk or off track, by member"},
    "behind_none": {"zh": "没有约束性指标存在风险或滞后。", "en": "No binding target is at risk or off track."},
    "ranking_heading": {"zh": "各指标的区县排名", "en": "Ranking of members per indicator"},
    "ranking_note": {"zh": "按最新值距本区县目标的余量排名（越好的方向为正）；余量相同名次相同；无数值或目标无法换算为数值的不参与排名，列在最后。",
                     "en": "Ranked by the latest value's margin over the member's own target (positive on the "
                           "better side); equal margins share a rank; members without a value, or whose target "
                           "has no number to measure against, are not ranked and come last."},
    "sheet": {"zh": "区县对比", "en": "City view"},
    "sheet_behind": {"zh": "约束性指标滞后", "en": "Binding behind"},
    "sheet_ranking": {"zh": "区县排名", "en": "Ranking"},
    "col_indicator": {"zh": "指标代码", "en": "Indicator"},
    "col_name": {"zh": "指标名称", "en": "Indicator name"},
    "col_unit": {"zh": "单位", "en": "Unit"},
    "col_region": {"zh": "区县", "en": "Member region"},
    "col_target": {"zh": "{region} 目标", "en": "{region} target"},
    "col_status": {"zh": "{region} 状态", "en": "{region} status"},
    "col_latest": {"zh": "{region} 最新值", "en": "{region} latest value"},
    "col_ref_value": {"zh": "{region} 最新值", "en": "{region} latest value"},
    "col_ref_year": {"zh": "{region} 年份", "en": "{region} year"},
    "col_ref_source": {"zh": "{region} 来源", "en": "{region} source"},
    "col_own_target": {"zh": "本区县目标", "en": "Own target"},
    "col_status_one": {"zh": "状态", "en": "Status"},
    "col_latest_one": {"zh": "最新值", "en": "Latest value"},
    "col_latest_year": {"zh": "最新年份", "en": "Latest year"},
    "col_margin": {"zh": "距目标余量", "en": "Margin over target"},
    "col_rank": {"zh": "名次", "en": "Rank"},
    "col_demo": {"zh": "示例数据", "en": "Illustrative data"},
    "not_in_plan": {"zh": "不在该规划中", "en": "not in this plan"},
    "unranked": {"zh": "不排名", "en": "not ranked"},
    "yes": {"zh": "是", "en": "yes"},
    "no": {"zh": "否", "en": "no"},
    "demo_county_title": {"zh": "示例县妇女儿童发展规划（演示，非真实规划）",
                          "en": "Example County women's and children's plan (demo, not a real plan)"},
}

# --- catalogue draft (planlib.draft: `planlib catalog draft`, its review page) --------------------
DRAFT_LABELS = {
    "title": {"zh": "指标目录草稿审阅", "en": "Catalogue draft: review"},
    "summary": {"zh": "规划文件 {file}：起草 {n} 个指标（指标表 {tables} 个，正文 {prose} 个）；另有 {skipped} 处看似目标但未起草，列在文末。",
                "en": "Plan file {file}: {n} indicators drafted ({tables} from tables, {prose} from prose); {skipped} "
                      "passages that looked like targets were not drafted and are listed at the end."},
    "howto": {"zh": "请逐行核对：标黄的是读取的原文；置信度低于 0.8 的行以底色标出；“需核对”一列写明要改什么。改好的目录可直接用于 planlib assess --catalog。",
              "en": "Check every row: the part of the source that was read is marked; rows with confidence below 0.8 are "
                    "shaded; the last column says what to check. The corrected catalogue runs with planlib assess --catalog."},
    # why a passage that looked like a target was not drafted
    "skip_table_row": {"zh": "表格行缺少指标名称或目标值", "en": "table row without a name or a target"},
    "skip_baseline": {"zh": "基期年或更早年份的数值，不是目标", "en": "a statement of the base year or earlier, not a target"},
    "skip_basis": {"zh": "位于发展基础部分（现状，不是目标）", "en": "in the 发展基础 part (where things stand)"},
    "skip_measures": {"zh": "位于策略措施部分（措施，不是目标）", "en": "in the measures part"},
    "skip_outside_goals": {"zh": "不在主要目标部分", "en": "outside the 主要目标 parts"},
    "skip_current_state": {"zh": "陈述现状（目前、已经），不是目标", "en": "a statement of where things stand"},
    "skip_unreadable": {"zh": "“{clause}”看似目标，但无法按目标语法读出",
                        "en": "'{clause}' looks like a target but the grammar cannot read it"},
    "skip_same_indicator": {"zh": "同一指标在本句中已有目标，另一种说法只列出",
                            "en": "the same indicator already has a target in this sentence: the other wording is listed"},
    "skip_interim": {"zh": "{year}年的阶段性目标（规划目标年为{end}年）", "en": "an interim target for {year} (the plan ends {end})"},
    "note_unknown_attribute": {"zh": "指标属性“{attribute}”无法识别", "en": "unknown attribute '{attribute}'"},
    "drafted": {"zh": "起草的指标", "en": "Drafted indicators"},
    "skipped": {"zh": "看似目标但未起草的内容", "en": "Looked like targets, not drafted"},
    "col_id": {"zh": "代码", "en": "ID"},
    "col_name": {"zh": "指标名称", "en": "Indicator"},
    "col_target": {"zh": "目标（原文）", "en": "Target (as printed)"},
    "col_read": {"zh": "读作", "en": "Read as"},
    "col_unit": {"zh": "单位", "en": "Unit"},
    "col_year": {"zh": "目标年", "en": "Year"},
    "col_attribute": {"zh": "属性", "en": "Type"},
    "col_units": {"zh": "责任单位", "en": "Responsible units"},
    "col_domain": {"zh": "领域", "en": "Domain"},
    "col_source": {"zh": "原文", "en": "Source"},
    "col_where": {"zh": "位置", "en": "Where"},
    "col_match": {"zh": "匹配的已知指标", "en": "Known indicator matched"},
    "col_confidence": {"zh": "置信度", "en": "Confidence"},
    "col_check": {"zh": "需核对", "en": "To check"},
    "col_text": {"zh": "内容", "en": "Text"},
    "col_reason": {"zh": "未起草的原因", "en": "Why not drafted"},
    "no_match": {"zh": "（无，已给新代码）", "en": "(none: new id)"},
    "binding": {"zh": "约束性", "en": "Binding"},
    "expected": {"zh": "预期性", "en": "Expected"},
    # what to check on a drafted row, and why a passage was not drafted (planlib.draft)
    "note_short_name": {"zh": "名称较短，可能缺少前文的主语，请核对",
                        "en": "short name: it may lack the subject of an earlier clause"},
    "note_no_attribute": {"zh": "规划未写明指标属性，暂按预期性", "en": "attribute not stated: drafted as expected"},
    "note_close_match": {"zh": "名称与已知指标“{name}”（{ident}）相近，请核对",
                         "en": "name close to the known '{name}' ({ident}): check"},
    "note_unit_known": {"zh": "单位取自已知指标 {ident}", "en": "unit taken from the known {ident}"},
    "note_unit_share": {"zh": "单位按名称推定为 %，请核对", "en": "unit guessed from the name as %: check"},
    "note_no_unit": {"zh": "规划未写明单位，请填写", "en": "no unit printed: fill it in"},
    "skip_prose_with_tables": {"zh": "规划有指标表，正文中的目标只列出不起草（可用 --with-prose 一并起草）",
                               "en": "the plan has indicator tables: prose targets are listed, not drafted "
                                     "(--with-prose drafts them)"},
    "cli_done": {"zh": "已起草 {n} 个指标（指标表 {tables} 个，正文 {prose} 个），{skipped} 处未起草见审阅页：",
                 "en": "{n} indicators drafted ({tables} from tables, {prose} from prose), {skipped} passages not drafted "
                       "(see the review):"},
}


# --- why auto used, or could not use, a method (planlib.forecast.selection, .methods) ------------
#: Why ``auto`` used, or could not use, a method (``choose_method``'s table, ``backtest_errors``).
FORECAST_REASONS = {
    "rule_insufficient": {"zh": "规则：仅0–1个数据点", "en": "rule: 0-1 point"},
    "rule_poisson": {"zh": "规则：有2个及以上年份（含最近一年）的计数（分子、分母）",
                     "en": "rule: counts (numerator, denominator) on 2+ points including the latest"},
    "rule_binomial": {"zh": "规则：有2个及以上年份（含最近一年）的两组计数",
                      "en": "rule: counts of two groups on 2+ points including the latest"},
    "rule_short": {"zh": "规则：仅2至short_series_max个数据点", "en": "rule: 2 to short_series_max points"},
    "chosen_level": {"zh": "回测中没有趋势模型比近年水平好出trend_margin（相同时取较简单者）",
                     "en": "no trend beat the level by trend_margin in backtests (ties: simpler)"},
    "chosen_trend": {"zh": "回测误差最小，且比近年水平小trend_margin以上（相同时取较简单者）",
                     "en": "smallest backtest error, by trend_margin below the level's (ties: simpler)"},
    "decided_by_rule": {"zh": "已按规则确定", "en": "decided by rule"},
    "not_candidate": {"zh": "不是此序列的候选方法", "en": "not a candidate for this series"},
    "larger_error": {"zh": "回测误差较大", "en": "larger backtest error"},
    "leaves_bounds": {"zh": "其趋势到{year}年会超出取值范围", "en": "its trend leaves the bounds by {year}"},
    "slope_noise": {"zh": "斜率与0的差距在噪声之内（|t| < {t}）",
                    "en": "its slope is within noise of zero (|t| < {t})"},
    "needs_counts": {"zh": "需要2个及以上年份（含最近一年）的计数", "en": "needs counts on 2+ points incl. the latest"},
    "needs_ratio_counts": {"zh": "需要两组的计数（ForecastConfig(counts='ratio')）",
                           "en": "needs counts of two groups (ForecastConfig(counts='ratio'))"},
    "needs_two": {"zh": "需要2个数据点", "en": "needs 2 points"},
    "needs_annual": {"zh": "需要{n}个及以上连续年度数据", "en": "needs {n}+ consecutive annual points"},
    "needs_points": {"zh": "需要{n}个及以上数据点", "en": "needs {n}+ points"},
    "needs_positive": {"zh": "需要每个值都高于下限（0）", "en": "needs every value above the lower bound (0)"},
    "needs_bounds": {"zh": "需要每个值都处在上下限之间", "en": "needs lower and upper bounds around every value"},
    "not_backtested": {"zh": "不做回测", "en": "not backtested"},
}

# --- the command line (planlib.cli: progress and messages) -----------------------------------------
CLI_LABELS = {
    "description": {"zh": f"{REGION_LABELS[COUNTY]['zh']}妇女儿童发展规划监测工作台",
                    "en": f"{REGION_LABELS[COUNTY]['en']} Women's and Children's Plan monitoring workbench"},
    "store_created": {"zh": "监测数据库已创建：{path}", "en": "Monitoring store created: {path}"},
    "demo_county_added": {"zh": "已登记{region}的规划及其示例数据（演示，非真实规划），仪表板可作区县对比",
                          "en": "Registered the plan of {region} with its demo data (illustrative, not a real "
                                "plan), so the dashboard can compare counties"},
    "store_exists": {"zh": "监测数据库已存在，未改动：{path}", "en": "Monitoring store exists, left unchanged: {path}"},
    "store_upgraded": {"zh": "监测数据库的结构已从第 {found} 版升级到第 {now} 版，数据未改动：{path}",
                       "en": "Monitoring store upgraded from schema version {found} to {now}, data unchanged: {path}"},
    "store_created_schema": {"zh": "监测数据库已创建（第 {now} 版）：{path}",
                             "en": "Monitoring store created (schema version {now}): {path}"},
    "store_schema_current": {"zh": "监测数据库已是第 {now} 版，未改动：{path}",
                             "en": "Monitoring store already at schema version {now}, unchanged: {path}"},
    "store_copied": {"zh": "已复制到 {path}：提交 {submissions} 个、数值版本 {observations} 条、修订 {revisions} 条",
                     "en": "Copied to {path}: {submissions} submissions, {observations} value versions, "
                           "{revisions} revisions"},
    "building": {"zh": "正在生成仪表板数据……", "en": "Building the dashboard..."},
    "build_progress": {"zh": "  生成进度 {done}", "en": "  Progress {done}"},
    "build_done": {"zh": "仪表板数据已是最新：{path}", "en": "Dashboard build up to date: {path}"},
    "published": {"zh": "静态版已写入：{path}", "en": "Static edition written to: {path}"},
    "file_not_found": {"zh": "找不到文件：{file}", "en": "File not found: {file}"},
    "io_error": {"zh": "无法读写 {file}：{reason}。未做任何改动；请检查路径、权限和磁盘剩余空间后重试。",
                 "en": "Cannot read or write {file}: {reason}. Nothing was changed; check the path, "
                       "the permissions and the free disk space, then try again."},
    # planlib assess --all-regions (planlib.batch)
    "batch_region_failed": {"zh": "区域“{region}”评估失败", "en": "Assessing region '{region}' failed"},
    "batch_region_failed_fix": {"zh": "输出文件未写出。请修正该区域的数据后重试。",
                                "en": "The output file was not written. Fix this region's data and run again."},
    "batch_region_failed_reason": {"zh": "区域“{region}”评估失败：{reason}",
                                   "en": "Assessing region '{region}' failed: {reason}"},
    "batch_region_failed_reason_fix": {"zh": "输出文件未写出。请修正该区域的数据后重试。",
                                       "en": "The output file was not written. Fix this region's data and run again."},
    "batch_no_scheduler": {"zh": "无法连接 Dask 调度器 {address}：{reason}",
                           "en": "Cannot reach the Dask scheduler {address}: {reason}"},
    "batch_no_scheduler_fix": {"zh": "检查地址（tcp://主机:端口）以及调度器是否在运行；不用 --scheduler 则在本机评估。",
                               "en": "Check the address (tcp://host:port) and that the scheduler is running; "
                                     "without --scheduler the regions are assessed on this machine."},
    "city_one_member": {"zh": "监测数据库只有本县一个规划，区县对比报告至少需要两个区县的规划",
                        "en": "The monitoring store holds the home county's plan only; a city report needs the "
                              "plans of two or more member regions"},
    "city_one_member_fix": {"zh": "先用 planlib plan add --region 区县名 --catalog 指标目录文件 登记其他区县的规划。",
                            "en": "Register the other regions' plans first: planlib plan add --region NAME "
                                  "--catalog FILE."},
    "city_with_region": {"zh": "--city 报告包含所有已登记规划的区县，不能与 --region、--unit 或 --kind 同用",
                         "en": "--city covers every region with a registered plan and cannot be combined with "
                               "--region, --unit or --kind"},
    "city_with_region_fix": {"zh": "去掉 --region、--unit 和 --kind 再运行。", "en": "Leave out --region, --unit and --kind."},
    "batch_with_file": {"zh": "--all-regions 评估监测数据库中的各区域，不能与 --observations 同用",
                        "en": "--all-regions assesses the regions of the monitoring store and cannot be "
                              "combined with --observations"},
    "batch_with_file_fix": {"zh": "去掉 --observations；文件中的每个区域都会由 planlib assess --observations 文件 评估。",
                            "en": "Leave out --observations; planlib assess --observations FILE assesses every "
                                  "region of the file."},
    "batch_no_regions": {"zh": "监测数据库 {path} 中没有可评估的区域（参照区域 {reference} 不评估）",
                         "en": "The monitoring store {path} holds no region to assess (the reference regions "
                               "{reference} are not assessed)"},
    "batch_no_regions_fix": {"zh": "先导入各区域的数据（planlib import）。",
                             "en": "Import the regions' data first (planlib import)."},
    "batch_done": {"zh": "已评估 {n} 个区域，写入 {path}", "en": "Assessed {n} regions, written to {path}"},
}


# --- many plans in one store (planlib.plans: planlib plan add / list, --region) -------------------
#: ``<key>`` says what is wrong, ``<key>_fix`` what to do (planlib.errors.problem); the rest are
#: the command line's lines and the plan list's headings.
PLAN_STORE_LABELS = {
    "plan_exists": {"zh": "监测数据库中已登记{region}的规划（{title}，{n} 个指标，{added_at} 登记）",
                    "en": "The store already holds a plan for {region} ({title}, {n} indicators, added {added_at})"},
    "plan_exists_fix": {"zh": "确需替换时加 --replace（已导入的数值不变）；否则不做任何改动。",
                        "en": "Add --replace to replace it (the values already imported stay); otherwise nothing is changed."},
    "unknown_region": {"zh": "监测数据库中没有地区“{region}”的规划",
                       "en": "The store holds no plan for the region '{region}'"},
    "unknown_region_fix": {"zh": "已有规划的地区：{known}。另一地区的规划先用 planlib plan add --region {region} --catalog 文件 登记。",
                           "en": "Regions with a plan: {known}. Register another region's plan first with "
                                 "`planlib plan add --region {region} --catalog FILE`."},
    "reference_region": {"zh": "“{region}”是参照地区（{reference}），不能登记规划",
                         "en": "'{region}' is a reference region ({reference}) and cannot have a plan"},
    "reference_region_fix": {"zh": "--region 填写规划所属的县（区）名称，例如 丰都县。",
                             "en": "Give --region the county (district) the plan belongs to, e.g. 丰都县."},
    "bad_region": {"zh": "地区名称“{region}”不可用", "en": "The region name '{region}' cannot be used"},
    "bad_region_fix": {"zh": "填写地区的正式名称（1—{max} 个字，不含空格），例如 丰都县。",
                       "en": "Give the region's official name (1-{max} characters, no spaces), e.g. 丰都县."},
    "plan_removed": {"zh": "已取消登记{region}的规划；其数值仍保留在监测数据库中",
                     "en": "Unregistered the plan of {region}; its values stay in the monitoring store"},
    "no_plan_to_remove": {"zh": "监测数据库中没有{region}登记的规划", "en": "The store holds no registered plan for {region}"},
    "no_plan_to_remove_fix": {"zh": "用 planlib plan list 查看已登记的规划。", "en": "See the registered plans with planlib plan list."},
    "plan_added": {"zh": "已登记{region}的规划：{n} 个指标（{source}）",
                   "en": "Plan of {region} registered: {n} indicators ({source})"},
    "plan_replaced": {"zh": "已替换{region}的规划：{n} 个指标（{source}）",
                      "en": "Plan of {region} replaced: {n} indicators ({source})"},
    "plan_none": {"zh": "监测数据库中尚未登记其他地区的规划；{county}使用随附的指标目录。",
                  "en": "No other region's plan is registered in the store; {county} uses the shipped catalogue."},
    "shipped": {"zh": "随附的指标目录（{file}）", "en": "the shipped catalogue ({file})"},
    "col_region": {"zh": "地区", "en": "region"},
    "col_title": {"zh": "规划名称", "en": "title"},
    "col_n": {"zh": "指标数", "en": "indicators"},
    "col_added_at": {"zh": "登记时间", "en": "added at"},
    "col_source": {"zh": "来源文件", "en": "source"},
    "template_title": {"zh": "{region}妇女儿童发展规划监测指标数据报送表　{dept}　{year}年",
                       "en": "{region} women's and children's plan monitoring return　{dept}　{year}"},
    "target_year_note": {"zh": "{target}（{year}年）", "en": "{target} (by {year})"},
}


# --- errors for people (planlib.errors: where a problem is, how to fix it) -------------------------
ERROR_LABELS = {
    "file": {"zh": "文件 {file}", "en": "file {file}"},
    "sheet": {"zh": "工作表 {sheet}", "en": "sheet {sheet}"},
    "row": {"zh": "第 {row} 行", "en": "row {row}"},
    "column": {"zh": "列 {column}", "en": "column {column}"},
    "separator": {"zh": "，", "en": ", "},
    "located": {"zh": "{where}：{message}", "en": "{where}: {message}"},
    "value_found": {"zh": "（发现的值：{value}）", "en": " (value found: {value})"},
    "how_to_fix": {"zh": " 处理办法：{fix}", "en": " How to fix: {fix}"},
}


# --- the indicator catalogue (planlib.catalog: loading and checking a catalogue file) --------------
#: ``<key>`` says what is wrong, ``<key>_fix`` what to do (planlib.errors.problem).
CATALOG_LABELS = {
    "not_found": {"zh": "找不到指标目录文件 {path}", "en": "Catalogue file {path} not found"},
    "not_found_fix": {"zh": "检查路径是否正确。", "en": "Check the path."},
    "missing_column": {"zh": "指标目录缺少必需的列“{col}”", "en": "The catalogue lacks the required column '{col}'"},
    "missing_column_fix": {"zh": "在表头加入列“{col}”（必需列：{required}）。",
                           "en": "Add a column '{col}' (required: {required})."},
    "empty": {"zh": "“{col}”为空", "en": "'{col}' is empty"},
    "empty_fix": {"zh": "填写该单元格。", "en": "Fill in this cell."},
    "repeated": {"zh": "指标代码 {ident} 重复（第 {first} 行已有）",
                 "en": "Indicator id {ident} is repeated (already on row {first})"},
    "repeated_fix": {"zh": "每个指标代码只能出现一次。", "en": "Each indicator id may appear only once."},
    "attribute": {"zh": "指标属性无法识别", "en": "Unknown indicator attribute"},
    "attribute_fix": {"zh": "填写“约束性”或“预期性”（binding / expected）。",
                      "en": "Use 约束性 or 预期性 (binding / expected)."},
    "target_year": {"zh": "目标年份不是整数年份", "en": "The target year is not a whole year"},
    "target_year_fix": {"zh": "填写四位年份，例如 2030。", "en": "Enter a four-digit year such as 2030."},
    "reference": {"zh": "参照指标 {ref} 不在目录中", "en": "Reference indicator {ref} is not in the catalogue"},
    "reference_fix": {"zh": "填写目录中已有的指标代码，或留空。",
                      "en": "Use an indicator id of the catalogue, or leave it empty."},
}


# --- the static edition (planlib.apps.publish: `planlib publish`) ---------------------------------
PUBLISH_LABELS = {
    "no_years": {"zh": "仪表板数据中没有任何年份的监测数据，无可发布。",
                 "en": "The dashboard build holds no year of data: there is nothing to publish."},
    "no_years_fix": {"zh": "请先导入监测数据（planlib import），再运行 planlib publish。",
                     "en": "Import the monitoring data first (planlib import), then run planlib publish."},
    "target_taken": {"zh": "输出位置已存在，且不是一份静态版（可能是其他文件），为免覆盖，未写入。",
                     "en": "The output exists and is not a static edition (it may hold other files); nothing "
                           "was written, so that it is not overwritten."},
    "target_taken_fix": {"zh": "请指定一个新的或空的文件夹，或先前发布的静态版文件夹。",
                         "en": "Give a new or empty folder, or the folder of an earlier edition."},
    "stale": {"zh": "仪表板数据不是最新的（数据或程序在生成后有变动），未发布。",
              "en": "The dashboard build is out of date (the data or the code changed since it was made); "
                    "nothing was published."},
    "stale_fix": {"zh": "请先运行 planlib build，或直接运行 planlib publish（它会先生成）。",
                  "en": "Run planlib build first, or just planlib publish (it builds first)."},
}


# --- reading targets and plan documents (planlib.targets, planlib.plandoc, planlib.draft) ---------
#: ``<key>`` says what is wrong, ``<key>_fix`` what to do (planlib.errors.problem).
TARGET_LABELS = {
    "negative_tolerance": {"zh": "目标设置中的容差不能为负数。", "en": "Tolerances in TargetConfig must not be negative."},
    "negative_tolerance_fix": {"zh": "请把 approx_relative、approx_minimum、equality_eps 设为 0 或正数。",
                               "en": "Set approx_relative, approx_minimum and equality_eps to zero or more."},
    "balance_band": {"zh": "“趋于平衡”的区间下限必须小于上限。", "en": "balance_low must be below balance_high."},
    "balance_band_fix": {"zh": "请检查 balance_low 与 balance_high。", "en": "Check balance_low and balance_high."},
    "unreadable": {"zh": "无法识别目标值“{text}”。", "en": "Cannot read the target {text}."},
    "unreadable_fix": {
        "zh": "请改写为可识别的形式，例如“≥ 92”“< 8”“45左右”“90%以上”“控制在5‰以内”“达到90”“逐年提高”"
              "“降低”“趋于平衡”“≥县党员总数中女性比例”“与女职工比例相适应”“比2020年下降10%”“每年降低0.5到1个百分点”"
              "“以县为单位降低到1‰以下”“至少配备1名”；确为定性目标的写“保持合理比例”。",
        "en": "Write it in a readable form, e.g. '≥ 92', '< 8', '45左右' (about 45), '90%以上' (90 % or "
              "more), '控制在5‰以内' (at most 5 ‰), '达到90', '逐年提高' (rise every year), '降低' (fall), "
              "'趋于平衡' (balance), '≥县党员总数中女性比例' (relative), '比2020年下降10%' (10 % below the 2020 "
              "value), '每年降低0.5到1个百分点' (0.5 to 1 point a year), '以县为单位降低到1‰以下' (at most 1 ‰ in "
              "each county), '至少配备1名' (at least one); for a qualitative target, '保持合理比例'."},
}
PLANDOC_LABELS = {
    "not_found": {"zh": "找不到规划文件 {path}", "en": "Plan file {path} not found"},
    "not_found_fix": {"zh": "检查路径是否正确。", "en": "Check the path."},
    "unreadable": {"zh": "无法读取规划文件：{reason}", "en": "Cannot read the plan file: {reason}"},
    "unreadable_fix": {"zh": "请确认文件是有效的 {kind} 文件（可另存为 .docx 或 UTF-8 文本后重试）。",
                       "en": "Check that it is a valid {kind} file (or save it as .docx or UTF-8 text and retry)."},
    "no_text": {"zh": "规划文件中没有可读取的文字", "en": "The plan file has no readable text"},
    "no_text_fix": {"zh": "如果是扫描版 PDF，请先做文字识别（OCR），或改用 Word/文本版本。",
                    "en": "If it is a scanned PDF, run text recognition (OCR) first, or use the Word or text version."},
    "encoding": {"zh": "文本文件既不是 UTF-8 也不是 GB18030 编码", "en": "The text file is neither UTF-8 nor GB18030"},
    "encoding_fix": {"zh": "请用记事本或 WPS 另存为 UTF-8 编码后重试。", "en": "Save it as UTF-8 and retry."},
    "kind_text": {"zh": "文本", "en": "text"},
    # positions in a plan document, shown beside every drafted row and skipped passage
    "where_line": {"zh": "第 {n} 行", "en": "line {n}"},
    "where_lines": {"zh": "第 {first}–{last} 行", "en": "lines {first}-{last}"},
    "where_paragraph": {"zh": "第 {n} 段", "en": "paragraph {n}"},
    "where_table": {"zh": "第 {n} 个表格", "en": "table {n}"},
    "where_table_after": {"zh": "第 {n} 个表格（第 {paragraph} 段后）", "en": "table {n} (after paragraph {paragraph})"},
    "where_page": {"zh": "第 {n} 页", "en": "page {n}"},
    "nothing_to_draft": {"zh": "在 {path} 中没有找到可起草的目标", "en": "No target found to draft in {path}"},
    "nothing_to_draft_fix": {
        "zh": "确认文件包含“主要目标”或指标表（专栏），目标写成“孕产妇死亡率控制在8/10万以下”等形式。",
        "en": "Check that the file has 主要目标 parts or indicator tables, with targets such as "
              "'孕产妇死亡率控制在8/10万以下'."},
}


# --- the page beyond the kernel limit (planlib.apps.server, static/please_wait.html) ----------------
SERVER_LABELS = {
    "please_wait": {"zh": "请稍候", "en": "Please wait"},
    "please_wait_text": {"zh": "正在打开仪表板的人数较多，本页将在 {retry} 秒后自动重试，无需操作。",
                         "en": "Many people are opening the dashboard right now. This page tries again by "
                               "itself in {retry} seconds."},
}
