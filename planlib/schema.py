"""Column names and codes, defined once. Refer to columns through these, not scattered literals."""

from __future__ import annotations

# --- the indicator catalogue (data/catalog.csv) -------------------------------------------------
INDICATOR_ID = "indicator_id"
PLAN = "plan"  # "women" | "children"
NUMBER = "number"  # printed 序号 (int); sub-indicators share their parent's number
DOMAIN_ZH = "domain_zh"
DOMAIN_EN = "domain_en"
NAME_ZH = "name_zh"
NAME_EN = "name_en"
UNIT = "unit"
TARGET_TEXT = "target_text"
TARGET_YEAR = "target_year"
ATTRIBUTE = "attribute"  # "binding" (约束性) | "expected" (预期性)
RESPONSIBLE_UNITS = "responsible_units"  # ";"-separated, in printed order
REFERENCE_INDICATOR = "reference_indicator"  # optional: id a relative target refers to

CATALOG_REQUIRED = [INDICATOR_ID, NAME_ZH, UNIT, TARGET_TEXT]
CATALOG_COLUMNS = [
    INDICATOR_ID, PLAN, NUMBER, DOMAIN_ZH, DOMAIN_EN, NAME_ZH, NAME_EN, UNIT,
    TARGET_TEXT, TARGET_YEAR, ATTRIBUTE, RESPONSIBLE_UNITS, REFERENCE_INDICATOR,
]
BINDING, EXPECTED = "binding", "expected"

# --- observations (tidy long: one row per indicator, region, year) -------------------------------
REGION = "region"
YEAR = "year"
VALUE = "value"
NUMERATOR = "numerator"  # events, e.g. deaths
DENOMINATOR = "denominator"  # population at risk, e.g. live births
SOURCE = "source"  # "demo" marks illustrative data
STATUS = "status"  # reported | provisional | estimated
NOTE = "note"
CONFIRMATION = "confirmation"  # confirmed | derived | weak | unconfirmed (reference series)

OBS_REQUIRED = [INDICATOR_ID, YEAR, VALUE]
OBS_COLUMNS = [
    INDICATOR_ID, REGION, YEAR, VALUE, NUMERATOR, DENOMINATOR, SOURCE, STATUS, NOTE, CONFIRMATION,
]
#: The columns of observations that hold text (the others are numbers).
OBS_TEXT_COLUMNS = [INDICATOR_ID, REGION, SOURCE, STATUS, NOTE, CONFIRMATION]
OBS_STATUSES = ("reported", "provisional", "estimated")
DEMO_SOURCE = "demo"
DEMO_LABEL_ZH = "示例数据（非官方统计）"
DEMO_LABEL_EN = "Illustrative data (not official statistics)"
#: The demo label in each language.
DEMO_LABEL = {"zh": DEMO_LABEL_ZH, "en": DEMO_LABEL_EN}

# --- projections (planlib.forecast) --------------------------------------------------------------
# One row per year; fitted years and projected years alike. ``loc``/``scale`` describe an
# approximately normal predictive distribution on the ``transform`` scale (identity | log |
# logit), which is all assessment needs to compute the probability of meeting a threshold.
MEAN = "mean"
LOWER_80, UPPER_80 = "lower_80", "upper_80"
LOWER_95, UPPER_95 = "lower_95", "upper_95"
METHOD = "method"
LOC, SCALE, TRANSFORM = "loc", "scale", "transform"
IS_PROJECTION = "is_projection"
PROJECTION_COLUMNS = [YEAR, MEAN, LOWER_80, UPPER_80, LOWER_95, UPPER_95, METHOD, LOC, SCALE,
                      TRANSFORM, IS_PROJECTION]

# --- assessment (planlib.assessment) -----------------------------------------------------------------
# The assessment's status of a target (achieved ... not_assessable) is not an observation's
# ``STATUS`` (reported | provisional | estimated), though both columns are called "status".
ASSESSMENT_STATUS = "status"
P_MEET = "p_meet"  # probability that the target-year value meets the target
LATEST_YEAR, LATEST_VALUE = "latest_year", "latest_value"
PROJECTED = "projected_value"
PROJECTED_LOWER_95, PROJECTED_UPPER_95 = "projected_lower_95", "projected_upper_95"
REQUIRED_CHANGE = "required_annual_change"  # % per year needed from the base to the goal
OBSERVED_CHANGE = "observed_annual_change"  # % per year observed from the base to the latest
BINDING_FLAG = "binding"  # True for a binding (约束性) target
EXPLANATION_ZH, EXPLANATION_EN = "explanation_zh", "explanation_en"
#: The explanation column of each language.
EXPLANATION_BY_LANG = {"zh": EXPLANATION_ZH, "en": EXPLANATION_EN}

ACHIEVED = "achieved"
ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
INSUFFICIENT_DATA = "insufficient_data"
NOT_ASSESSABLE = "not_assessable"
STATUS_CODES = (ACHIEVED, ON_TRACK, AT_RISK, OFF_TRACK, INSUFFICIENT_DATA, NOT_ASSESSABLE)

ASSESSMENT_COLUMNS = [
    INDICATOR_ID, REGION, ASSESSMENT_STATUS, P_MEET, TARGET_YEAR, LATEST_YEAR, LATEST_VALUE,
    PROJECTED, PROJECTED_LOWER_95, PROJECTED_UPPER_95, METHOD, REQUIRED_CHANGE, OBSERVED_CHANGE,
    BINDING_FLAG, EXPLANATION_ZH, EXPLANATION_EN,
]


def with_columns(frame, columns=OBS_COLUMNS):
    """``frame`` with exactly ``columns``; a missing text column is added empty as text (``None``),
    not as a column of float NaN, so that filling it with ``""`` keeps its type.

    Examples:
        >>> import pandas as pd
        >>> out = with_columns(pd.DataFrame({"indicator_id": ["A"], "year": [2021], "value": [1.0]}))
        >>> out[CONFIRMATION].dtype, out[NUMERATOR].dtype, out[CONFIRMATION].fillna("").tolist()
        (dtype('O'), dtype('float64'), [''])
    """
    out = frame.reindex(columns=columns)
    for col in [c for c in columns if c in OBS_TEXT_COLUMNS and c not in frame.columns]:
        out[col] = out[col].astype(object)
    return out
