"""How numbers are written, once, for the apps, the reports, the explanations and the exports.

A value keeps two decimals (three below 1, so that a small rate keeps a significant digit),
trailing zeros dropped, thousands separated: 93.14 is shown as 93.14 wherever it appears, in
the table, the chart's caption and the sentence that explains the status. Missing is "—".
A probability is a whole percentage (:func:`format_probability`); an annual rate of change
keeps one decimal (:func:`format_annual_change`).
"""

from __future__ import annotations

#: What a missing number is shown as.
MISSING = "—"


def is_missing(value: object) -> bool:
    """Whether a cell holds no number: None, NaN, pandas' NA or NaT.

    Examples:
        >>> import pandas as pd
        >>> [is_missing(v) for v in (None, float("nan"), pd.NA, pd.NaT, 0, "", "x")]
        [True, True, True, True, False, False, False]
    """
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT and NA are not equal to themselves
    except TypeError:  # pd.NA: its truth value is ambiguous
        return True


def format_number(value: object) -> str:
    """A number as a reader sees it everywhere: two decimals (three below 1), no trailing zeros.

    Examples:
        >>> format_number(96.50), format_number(93.14), format_number(1234567.0), format_number(None)
        ('96.5', '93.14', '1,234,567', '—')
        >>> format_number(0.0351), format_number(-0.0001), format_number(12345.6)
        ('0.035', '0', '12,345.6')
    """
    if is_missing(value):
        return MISSING
    x = float(value)
    digits = 3 if abs(x) < 1 else 2
    text = f"{round(x, digits):,.{digits}f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("-0", "") else text


def format_value(value: object, unit: str, lang: str = "zh") -> str:
    """A number with its unit, e.g. ``6.1‰``, ``82.3岁`` / ``82.3 years``.

    Examples:
        >>> format_value(6.1, "‰"), format_value(82.3, "岁", "en"), format_value(7.5, "1/10万")
        ('6.1‰', '82.3 years', '7.5/10万')
    """
    from .units import display

    return format_number(value) + ("" if is_missing(value) else display(unit, lang))


def format_probability(p: object) -> str:
    """A probability as a whole percentage; "<1%" and ">99%" at the extremes.

    Examples:
        >>> format_probability(0.354), format_probability(0.001), format_probability(1.0)
        ('35%', '<1%', '>99%')
    """
    if is_missing(p):
        return MISSING
    p = float(p)
    if p < 0.005:
        return "<1%"
    return ">99%" if p > 0.995 else f"{p * 100:.0f}%"



def format_share(share: object) -> str:
    """A share (of cases, a cut-off) as a percentage to one decimal, without a trailing ``.0``;
    0% and 100% are shown as such (unlike :func:`format_probability`).

    Examples:
        >>> format_share(0.75), format_share(0.975), format_share(0.0), format_share(0.97058)
        ('75%', '97.5%', '0%', '97.1%')
    """
    if is_missing(share):
        return MISSING
    return f"{float(share) * 100:.1f}".removesuffix(".0") + "%"


def format_annual_change(rate: object) -> str:
    """The size of an annual rate of change (per cent a year), one decimal: the required and the
    observed change of the explanations (``schema.REQUIRED_CHANGE``, ``OBSERVED_CHANGE``), whose
    direction the sentence says in words.

    Examples:
        >>> format_annual_change(2.345), format_annual_change(-0.04), format_annual_change(None)
        ('2.3%', '0.0%', '—')
    """
    if is_missing(rate):
        return MISSING
    return f"{abs(float(rate)):.1f}%"
