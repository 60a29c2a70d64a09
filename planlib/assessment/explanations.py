"""One sentence per row saying why it has its status, in Chinese or English (the words are in
:data:`planlib.i18n.ASSESS_LABELS`)."""

from __future__ import annotations

import math

from .. import schema as S
from ..formats import format_annual_change, format_number, format_probability, format_value, is_missing
from .core import (Facts, LATEST_VALUE, LATEST_YEAR, LEVEL_METHODS, OBSERVED, P_MEET, PROJ_HI,
    PROJ_LO, PROJECTED, REQUIRED, STATUS)

def explain(row: dict, facts: Facts, lang: str = "zh") -> str:
    """One sentence saying why a row has its status, with units, in Chinese or English.

    ``row`` is a row of :func:`assess_detail`, ``facts`` what the assessment gathered while
    working (:class:`Facts`: unit, target, declines, reference); see :func:`assess` for use.
    A reference region's row (``facts.comparison``) first says that it is a comparison,
    measured against this plan's target.
    """
    sentence = _explain(row, facts, lang)
    if not facts.comparison:
        return sentence
    from ..i18n import region_label

    lead = _say("comparison", lang, region=region_label(facts.comparison, lang))
    return lead + (sentence[0].lower() + sentence[1:] if lang == "en" else sentence)


def _explain(row: dict, facts: Facts, lang: str) -> str:
    reason = row["reason"]
    unit, text = facts.unit, row[S.TARGET_TEXT]
    if reason in ("no_data", "qualitative", "no_reference", "reference_no_data"):
        return _say(reason, lang, target=text, ref=facts.ref_id)
    if reason == "no_projection":
        return _say("no_projection", lang, n=row["n_points"])
    if reason == "few_points":
        return _say("few_points", lang, n=row["n_points"], year=_int(row[LATEST_YEAR]),
                    value=format_value(row[LATEST_VALUE], unit, lang), min=facts.min_points)
    if reason == "observed":
        key = "observed_met" if row[STATUS] == S.ACHIEVED else "observed_missed"
        first = _say(key, lang, year=row[S.TARGET_YEAR], value=format_value(row[PROJECTED], unit, lang), target=text)
    else:
        first = _lead(row, facts, lang) + _projection_phrase(row, facts, lang)
    rest = [r for r in (_model_phrase(row, facts, lang), _balance_phrase(facts, lang), _steady_phrase(facts, lang),
                        _rates_phrase(row, lang), _declines_phrase(facts, lang)) if r]
    sentence = first + ("；" if lang == "zh" else "; ").join([""] + rest) if rest else first
    sentence = sentence[0].upper() + sentence[1:]
    return sentence + ("。" if lang == "zh" else ".")


def _say(key: str, lang: str, **values) -> str:
    from ..i18n import ASSESS_LABELS

    return ASSESS_LABELS[key][lang].format(**values)


def _lead(row: dict, facts: Facts, lang: str) -> str:
    if row[STATUS] != S.ACHIEVED:
        return ""
    value = format_value(row[LATEST_VALUE], facts.unit, lang)
    if row["target_kind"] == "directional" and facts.hold is None:
        better = _say("higher" if facts.target.direction == "up" else "lower", lang)
        return _say("met_now_dir", lang, year=_int(row[LATEST_YEAR]), value=value, better=better)
    return _say("met_now", lang, year=_int(row[LATEST_YEAR]), value=value)


def _projection_phrase(row: dict, facts: Facts, lang: str) -> str:
    unit, target = facts.unit, facts.target
    key = "projection_level" if row[S.METHOD] in LEVEL_METHODS else "projection"
    out = _say(key, lang, year=row[S.TARGET_YEAR], value=format_value(row[PROJECTED], unit, lang),
               lo=format_number(row[PROJ_LO]), hi=format_number(row[PROJ_HI]))
    p = format_probability(row[P_MEET])
    if target.kind == "threshold":
        return out + _say("p_threshold", lang, target=row[S.TARGET_TEXT], p=p)
    if target.kind in ("approx", "balance"):
        lo, hi = target.band
        return out + _say("p_band", lang, lo=format_number(lo), hi=format_number(hi), p=p)
    if target.kind == "relative":
        return out + _say("p_relative", lang, target=row[S.TARGET_TEXT], ref=facts.ref_id, p=p,
                          ref_value=format_value(facts.ref_value, unit, lang))
    if facts.hold is not None:
        key = "p_hold_up" if target.direction == "up" else "p_hold_down"
        return out + _say(key, lang, value=format_value(facts.hold, unit, lang), p=p)
    better = _say("higher" if target.direction == "up" else "lower", lang)
    return out + _say("p_better", lang, better=better, base_year=_int(row["base_year"]), p=p,
                      base=format_value(row["base_value"], unit, lang))


def _model_phrase(row: dict, facts: Facts, lang: str) -> str:
    """Which model the projection used and why, from the projection's ``choice``."""
    choice, method = facts.choice, row[S.METHOD]
    parts = []
    if choice.get("step_year"):
        parts.append(_say("model_step", lang, year=choice["step_year"]))
    if method == "binomial" and facts.binomial:
        info, (lo, hi) = facts.binomial, facts.target.band or (math.nan, math.nan)
        parts.append(_say("model_binomial", lang, births=f"{info['births']:,.0f}", first=info["first_year"],
                          last=info["last_year"], lo=format_number(lo), hi=format_number(hi)))
    elif method == "poisson":
        parts.append(_say("model_poisson", lang))
    elif method == "naive_wide":
        parts.append(_say("model_short", lang))
    elif choice.get("kind") == "level":
        parts.append(_say("model_level", lang))
    elif choice.get("kind") == "trend":
        gain = choice.get("trend_gain")
        if not is_missing(gain):
            parts.append(_say("model_trend", lang, gain=f"{gain:.0%}"))
        if method == "damped_trend":
            parts.append(_say("model_damped", lang))
    return ("，" if lang == "zh" else ", ").join(parts)


def _balance_phrase(facts: Facts, lang: str) -> str:
    """How 趋于平衡 was read: not shown to be outside the band, and the evidence either way."""
    if not facts.outside or not facts.target.band:
        return ""
    lo, hi = facts.target.band
    out = facts.outside
    return _say("balance_reading", lang, lo=format_number(lo), hi=format_number(hi),
                below=format_probability(out["below"]), above=format_probability(out["above"]),
                at_risk=f"{100 * out['at_risk']:g}%", off_track=f"{100 * out['off_track']:g}%")


def _steady_phrase(facts: Facts, lang: str) -> str:
    since = facts.steady_since
    return "" if since is None else _say("steady", lang, year=since)


def _rates_phrase(row: dict, lang: str) -> str:
    parts = []
    required, observed = row[REQUIRED], row[OBSERVED]
    if not is_missing(required):
        key = "required_none" if required == 0 else "required_up" if required > 0 else "required_down"
        parts.append(_say(key, lang, r=format_annual_change(required)))
    if not is_missing(observed):
        key = "observed_flat" if abs(observed) < 0.05 else "observed_up" if observed > 0 else "observed_down"
        parts.append(_say(key, lang, r=format_annual_change(observed), base_year=_int(row["base_year"])))
    return ("，" if lang == "zh" else ", ").join(parts)


def _declines_phrase(facts: Facts, lang: str) -> str:
    years = facts.decline_years
    if not years:
        return ""
    joined = ("、" if lang == "zh" else ", ").join(str(y) for y in years)
    return _say("declines_up" if facts.target.direction == "up" else "declines_down", lang, years=joined)


def _int(x: object) -> str:
    return "" if is_missing(x) else str(int(x))
