"""Labels in Chinese (default) and English. Every label a user sees comes from here.

Modules add their own tables below their section heading; keys are plain strings and
``t(key, lang)`` falls back to the key itself so a missing translation is visible, not fatal.
"""

from __future__ import annotations

from .schema import (ACHIEVED, AT_RISK, INSUFFICIENT_DATA, NOT_ASSESSABLE, OFF_TRACK, ON_TRACK,
                     DEMO_LABEL_EN, DEMO_LABEL_ZH)

LANGS = ("zh", "en")

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

COMMON = {
    "demo_banner": {"zh": DEMO_LABEL_ZH, "en": DEMO_LABEL_EN},
    "title": {
        "zh": "石柱县妇女发展规划和儿童发展规划（2021—2030年）监测",
        "en": "Shizhu County Women's and Children's Development Plans (2021-2030): Monitoring",
    },
    "county": {"zh": "石柱县", "en": "Shizhu County"},
    "national": {"zh": "全国", "en": "China (national)"},
}


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
    """Look ``key`` up in ``table`` (default: the common labels); unknown keys come back as is.

    Examples:
        >>> t("national", "en")
        'China (national)'
    """
    entry = (table or COMMON).get(key)
    return entry.get(lang, entry.get("zh", key)) if entry else key
