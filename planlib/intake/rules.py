"""Checking rows (units, ranges, regions, years, numerators and denominators) and against the store."""

from __future__ import annotations

import math
import re
import statistics
import unicodedata
from dataclasses import replace
from datetime import date

from .. import schema as S
from .. import store, units
from ..config import COUNTY, PLAN_END, PLAN_START
from ..errors import Problem
from .layout import (_blank, _Catalog, _Plans, DEFAULT_RULE, FIRST_YEAR, FRACTION_RULE, Loc, MAX_JUMP_GAP,
                     MAX_TEXT_CHARS, _p, STATUS_ALIASES, UnitRule)
from .readers import ParsedFile, RawRow


# --- checking rows -------------------------------------------------------------------------------------------


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")


def parse_number(value: object) -> float | None:
    """A cell as a number: ``None`` if it is blank; raises ``ValueError`` if it is not a number.

    Full-width digits, surrounding spaces, thousands separators and a trailing ``%`` or ``‰``
    are accepted (the number is taken as written).

    Examples:
        >>> parse_number(" ９２．５ "), parse_number("1,234"), parse_number("12.5%"), parse_number("")
        (92.5, 1234.0, 12.5, None)
        >>> parse_number("about 3")
        Traceback (most recent call last):
        ...
        ValueError: not a number: 'about 3'
    """
    if _blank(value):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = unicodedata.normalize("NFKC", value).strip().rstrip("%‰").strip()
        if _THOUSANDS.fullmatch(text):
            text = text.replace(",", "")
        if not _NUMBER.fullmatch(text):
            raise ValueError(f"not a number: {value!r}")
        number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"not a number: {value!r}")
    return number


def _at(row: RawRow, key: str) -> Loc:
    return replace(row.loc, column=row.cells.get(key, (None, key))[1])


def _raw(row: RawRow, key: str) -> object:
    return row.cells.get(key, (None, key))[0]


def _check_row(row: RawRow, plans: _Plans, this_year: int) -> tuple[dict | None, list[Problem]]:
    """One row checked on its own, against its region's plan: the observation it gives (or
    ``None``) and its problems."""
    problems: list[Problem] = []
    region = _check_region(row, plans, problems)
    info = plans.for_region(region)
    code = _check_indicator(row, info, problems)
    year = _check_year(row, this_year, problems)
    numbers = _check_numbers(row, info.units.get(code or "", ""), info.rules.get(code or "", DEFAULT_RULE),
                             problems)
    status = _check_status(row, problems)
    texts = {key: _check_text(row, key, problems) for key in (S.SOURCE, S.NOTE, S.CONFIRMATION)}
    if problems and any(p.severity == "error" for p in problems):
        return None, problems
    obs = {S.INDICATOR_ID: code, S.REGION: region, S.YEAR: year, **numbers, **texts,
           S.STATUS: status, "_row": row}
    return obs, problems


def _check_region(row: RawRow, plans: _Plans, problems: list[Problem]) -> str:
    """The row's region, one of ``plans.regions`` (:func:`planlib.plans.known_regions`; empty:
    ``plans.default``, else the county). A template's rows carry the region its information
    sheet records."""
    raw = _raw(row, S.REGION)
    default = plans.default or COUNTY
    region = unicodedata.normalize("NFKC", _text(raw) or default).strip()
    if region not in plans.regions:
        problems.append(_p("unknown_region", _at(row, S.REGION), raw, region=region,
                           known="、".join(plans.regions), county=default))
    return region


def _check_text(row: RawRow, key: str, problems: list[Problem]) -> str | None:
    text = _text(_raw(row, key))
    if text is not None and len(text) > MAX_TEXT_CHARS:
        problems.append(_p("text_too_long", _at(row, key), text[:40] + "…", max=MAX_TEXT_CHARS))
    return text


def _text(value: object) -> str | None:
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _check_indicator(row: RawRow, info: _Catalog, problems: list[Problem]) -> str | None:
    raw = _raw(row, S.INDICATOR_ID)
    code = unicodedata.normalize("NFKC", str(raw)).strip().upper() if not _blank(raw) else ""
    code = code[:-1] + code[-1].lower() if code[-1:] in ("B", "C") and len(code) == 4 else code
    if not code:
        problems.append(_p("no_code", _at(row, S.INDICATOR_ID)))
        return None
    if code not in info.units:
        problems.append(_p("unknown_indicator", _at(row, S.INDICATOR_ID), raw, code=raw))
        return None
    if row.department and row.department not in info.owners[code]:
        problems.append(_p("not_department", _at(row, S.INDICATOR_ID), raw, code=code,
                           unit=row.department, owners="、".join(info.owners[code]) or "—"))
    return code


def _check_year(row: RawRow, this_year: int, problems: list[Problem]) -> int | None:
    raw = _raw(row, S.YEAR)
    try:
        number = parse_number(raw)
    except ValueError:
        number = math.nan
    if number is None or not float(number).is_integer():
        problems.append(_p("bad_year", _at(row, S.YEAR), raw))
        return None
    year = int(number)
    if not FIRST_YEAR <= year <= PLAN_END:
        problems.append(_p("year_range", _at(row, S.YEAR), raw, year=year, first=FIRST_YEAR, last=PLAN_END))
    elif year > this_year:
        problems.append(_p("future_year", _at(row, S.YEAR), raw, year=year))
    return year


def _number_or_problem(row: RawRow, key: str, problems: list[Problem]) -> float | None:
    try:
        return parse_number(_raw(row, key))
    except ValueError:
        problems.append(_p("not_number", _at(row, key), _raw(row, key)))
        return math.nan


def _check_numbers(row: RawRow, unit: str, rule: UnitRule, problems: list[Problem]) -> dict:
    value = _number_or_problem(row, S.VALUE, problems)
    if value is not None and row.percent_format and unit == "%" and not math.isnan(value):
        value = round(value * 100, 10)
    num = _number_or_problem(row, S.NUMERATOR, problems)
    den = _number_or_problem(row, S.DENOMINATOR, problems)
    if any(x is not None and math.isnan(x) for x in (value, num, den)):
        return {}
    n_before = len(problems)
    computed = _check_fraction(row, num, den, rule, problems)
    if len(problems) > n_before:
        return {}
    if value is None:
        if computed is None:
            problems.append(_p("missing_value", _at(row, S.VALUE)))
            return {}
        value = computed
    elif computed is not None and not units.agrees(value, computed):
        problems.append(_p("fraction_mismatch", _at(row, S.VALUE), value, severity="warning",
                           value=_fmt(value), computed=_fmt(computed)))
    _check_range(row, value, unit, rule, problems)
    return {S.VALUE: value, S.NUMERATOR: num, S.DENOMINATOR: den}


def _check_fraction(row: RawRow, num, den, rule: UnitRule, problems: list[Problem]) -> float | None:
    if num is None and den is None:
        return None
    loc = _at(row, S.NUMERATOR if num is None else S.DENOMINATOR)
    if num is None or den is None:
        problems.append(_p("half_fraction", loc))
    elif num < 0 or den < 0:
        problems.append(_p("negative_part", loc, f"{_fmt(num)}/{_fmt(den)}"))
    elif max(num, den) > FRACTION_RULE.high:
        key = S.NUMERATOR if num > FRACTION_RULE.high else S.DENOMINATOR
        problems.append(_p("above", _at(row, key), _raw(row, key), value=_fmt(max(num, den)),
                           high=_fmt(FRACTION_RULE.high), unit="分子/分母"))
    elif den == 0:
        problems.append(_p("zero_denominator", _at(row, S.DENOMINATOR), den))
    elif rule.share and num > den:
        problems.append(_p("numerator_too_big", _at(row, S.NUMERATOR), num, num=_fmt(num), den=_fmt(den)))
    elif rule.scale is not None:
        return round(num / den * rule.scale, 6)
    return None


def _check_range(row: RawRow, value: float, unit: str, rule: UnitRule, problems: list[Problem]) -> None:
    loc = _at(row, S.VALUE)
    if rule.low is not None and value < rule.low:
        problems.append(_p("below", loc, _raw(row, S.VALUE), value=_fmt(value), low=_fmt(rule.low), unit=unit))
    elif rule.high is not None and value > rule.high:
        problems.append(_p("above", loc, _raw(row, S.VALUE), value=_fmt(value), high=_fmt(rule.high), unit=unit))
    elif rule.whole and not float(value).is_integer():
        problems.append(_p("not_whole", loc, _raw(row, S.VALUE), unit=unit))
    elif rule.plausible is not None and value > rule.plausible:
        problems.append(_p("implausible", loc, _raw(row, S.VALUE), severity="warning", value=_fmt(value),
                           plausible=_fmt(rule.plausible), unit=unit))


def _check_status(row: RawRow, problems: list[Problem]) -> str:
    raw = _text(_raw(row, S.STATUS))
    if raw is None:
        return "reported"
    status = STATUS_ALIASES.get(raw.lower())
    if status is None:
        problems.append(_p("bad_status", _at(row, S.STATUS), raw, status=raw))
        return "reported"
    return status


def _fmt(x: float) -> str:
    """A number for a message: whole numbers in full, others to 6 significant digits.

    Examples:
        >>> _fmt(1_000_000), _fmt(95.5), _fmt(1e308)
        ('1000000', '95.5', '1e+308')
    """
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else f"{x:.6g}"


def check_rows(parsed: ParsedFile, info: _Catalog | _Plans, this_year: int | None = None
               ) -> tuple[list[dict], list[Problem]]:
    """Every row of a file checked on its own and against the file's other rows.

    ``info``: every plan of the store (``_Plans.load(db)``: each row is checked against its
    region's plan), or one catalogue (the home county's; regions ``config.KNOWN_REGIONS``).

    Returns the observations found (duplicates dropped) and all problems, in row order.
    """
    this_year = this_year or date.today().year
    info = _Plans.of(info)
    problems = list(parsed.problems)
    observations: list[dict] = []
    seen: dict[tuple, tuple[dict, Loc]] = {}
    for row in parsed.rows:
        obs, found = _check_row(row, info, this_year)
        problems += found
        if obs is None:
            continue
        key = (obs[S.INDICATOR_ID], obs[S.REGION], obs[S.YEAR])
        if key in seen:
            problems.append(_duplicate(row, obs, *seen[key]))
            continue
        seen[key] = (obs, row.loc)
        observations.append(obs)
    problems += _backfill_warning(parsed, observations)
    if not observations and not any(p.severity == "error" for p in problems):
        problems.append(_p("empty_file", Loc(parsed.file)))
    return observations, problems


def _duplicate(row: RawRow, obs: dict, first: dict, first_loc: Loc) -> Problem:
    where = " ".join(str(x) for x in (first_loc.sheet, first_loc.row and f"#{first_loc.row}") if x)
    same = row.loc.sheet != first_loc.sheet and all(
        first[c] == obs[c] for c in (S.VALUE, S.NUMERATOR, S.DENOMINATOR))
    return _p("duplicate_same" if same else "duplicate", _at(row, S.INDICATOR_ID), obs[S.VALUE],
              severity="warning" if same else "error", code=obs[S.INDICATOR_ID],
              region=obs[S.REGION], year=obs[S.YEAR], first=where)


def _backfill_warning(parsed: ParsedFile, observations: list[dict]) -> list[Problem]:
    years = sorted({o[S.YEAR] for o in observations if o[S.YEAR] < PLAN_START})
    if not years:
        return []
    n = sum(o[S.YEAR] < PLAN_START for o in observations)
    span = f"{years[0]}" if len(years) == 1 else f"{years[0]}—{years[-1]}"
    return [_p("backfill", Loc(parsed.file), severity="warning", n=n, years=span)]


# --- checks against the store ------------------------------------------------------------------------------

def check_against_store(observations: list[dict], current: list[dict]) -> list[Problem]:
    """Checks that need what is already stored, for the values this file adds or changes.

    A changed reported value needs a note; illustrative data never replaces a reported value;
    unusual jumps from the previous year are warnings.

    Args:
        observations: checked rows of one file (each with its ``"_row"``, a :class:`RawRow`).
        current: the stored observations of the same indicators, as dicts keyed by
            ``schema.OBS_COLUMNS`` (``Writer.current_records``).
    """
    stored = {(r[S.INDICATOR_ID], r[S.REGION], int(r[S.YEAR])): r for r in current}
    fresh = [obs for obs in observations if not _same_numbers(
        stored.get((obs[S.INDICATOR_ID], obs[S.REGION], obs[S.YEAR])), obs)]
    problems = [p for obs in fresh if (p := _change_problem(obs, stored)) is not None]
    series = _series(current, observations)
    return problems + [p for obs in fresh if (p := _jump_problem(obs, series)) is not None]


def _same_numbers(old: dict | None, obs: dict) -> bool:
    """Whether ``obs`` reports what is stored (adding a missing numerator/denominator is not a change)."""
    if old is None or not store._same_number(_nan_none(old[S.VALUE]), obs[S.VALUE]):
        return False
    return all(_nan_none(old[c]) is None or store._same_number(_nan_none(old[c]), obs[c])
               for c in (S.NUMERATOR, S.DENOMINATOR))


def _change_problem(obs: dict, stored: dict) -> Problem | None:
    old = stored.get((obs[S.INDICATOR_ID], obs[S.REGION], obs[S.YEAR]))
    if old is None or old[S.SOURCE] == S.DEMO_SOURCE:
        return None
    row = obs["_row"]
    if obs[S.SOURCE] == S.DEMO_SOURCE:
        return _p("demo_over_real", _at(row, S.SOURCE), S.DEMO_SOURCE, old=_fmt(old[S.VALUE]))
    if obs[S.NOTE]:
        return None
    return _p("change_needs_note", _at(row, S.NOTE), _raw(row, S.VALUE), old=_fmt(old[S.VALUE]),
              source=old[S.SOURCE] or "—")


def _nan_none(x: object) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def _series(current: list[dict], observations: list[dict]) -> dict[tuple, dict[int, float]]:
    """Non-illustrative values by indicator and region, with this file's values laid over them."""
    series: dict[tuple, dict[int, float]] = {}
    for rec in (*current, *observations):
        if rec[S.SOURCE] != S.DEMO_SOURCE:
            series.setdefault((rec[S.INDICATOR_ID], rec[S.REGION]), {})[int(rec[S.YEAR])] = float(rec[S.VALUE])
    return series


def _jump_problem(obs: dict, series: dict[tuple, dict[int, float]]) -> Problem | None:
    values = series.get((obs[S.INDICATOR_ID], obs[S.REGION]), {})
    earlier = sorted(y for y in values if y < obs[S.YEAR])
    if not earlier or obs[S.YEAR] - earlier[-1] > MAX_JUMP_GAP:
        return None
    prev_year, value = earlier[-1], obs[S.VALUE]
    prev = values[prev_year]
    diffs = [values[b] - values[a] for a, b in zip(earlier, earlier[1:]) if b - a == 1]
    loc, fmt = _at(obs["_row"], S.VALUE), dict(prev=_fmt(prev), prev_year=prev_year)
    if len(diffs) >= 4:
        centre = statistics.median(diffs)
        sd = max(1.4826 * statistics.median(abs(d - centre) for d in diffs), 0.02 * abs(prev))
        if sd > 0 and abs(value - prev - centre) > 3 * sd and abs(value - prev) > abs(centre):
            return _p("jump_sd", loc, _raw(obs["_row"], S.VALUE), severity="warning", diff=f"{value - prev:+.4g}",
                      sd=f"{sd:.3g}", **fmt)
    if prev != 0 and abs(value - prev) / abs(prev) > 0.5:
        return _p("jump_relative", loc, _raw(obs["_row"], S.VALUE), severity="warning",
                  rel=f"{(value - prev) / abs(prev):+.0%}", **fmt)
    return None
