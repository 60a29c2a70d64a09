"""The content of the monitoring reports as tables: pure functions, frames in, new frames out.

Every writer (HTML, Word, Excel) shows the same tables, so the numbers agree across the three
files. The central one is :func:`indicator_table`: one row per indicator of the catalogue with
its target, baseline, latest value, projection, status and explanation. The others summarise it
(:func:`status_counts`, :func:`binding_at_risk`, :func:`unit_overview`), compare it with last
year's report (:func:`status_changes`, :func:`revised_values`), check the data
(:func:`missing_values`, :func:`missing_submissions`, :func:`demo_values`) and, for the mid-term
and final evaluations, set earlier projections against what happened (:func:`evaluation_table`).

Column names of these tables are defined once, below; their headings in each language are the
``col_<name>`` entries of :data:`planlib.i18n.REPORT_LABELS`.
"""

from __future__ import annotations

import math

import pandas as pd

from .. import i18n
from .. import schema as S
from ..catalog import indicators_of_unit
from ..config import BASE_YEAR, COUNTY, REFERENCE_REGIONS
from ..targets import parse_target

# --- columns of the report tables ---------------------------------------------------------------
DOMAIN = "domain"  # the printed 类别 (zh) or its English
NAME = "name"  # the indicator's name in the report's language
TARGET = "target"  # the target as printed
UNITS = "units"  # responsible units, "、"-joined
BASELINE = "baseline"  # the county's 2020 value
# the assessment's columns, named as the assessment names them (``schema``)
LATEST_YEAR, LATEST_VALUE = S.LATEST_YEAR, S.LATEST_VALUE
CHANGE = "change"  # latest value minus baseline
PROJECTED = "projected"  # the target year's projected value (the assessment's S.PROJECTED)
LOWER_95, UPPER_95 = S.LOWER_95, S.UPPER_95  # its 95% interval
P_MEET = S.P_MEET
STATUS = S.ASSESSMENT_STATUS  # a code of schema.STATUS_CODES
EXPLANATION = "explanation"
DEMO = "demo"  # True when any value of the indicator shown is illustrative
HAS_YEAR = "has_year"  # True when the county has a value for the report's year
BINDING = S.BINDING_FLAG

INDICATOR_COLUMNS = [
    S.INDICATOR_ID, S.PLAN, S.NUMBER, DOMAIN, NAME, S.UNIT, TARGET, S.TARGET_YEAR, S.ATTRIBUTE,
    UNITS, BASELINE, LATEST_YEAR, LATEST_VALUE, CHANGE, PROJECTED, LOWER_95, UPPER_95, P_MEET,
    STATUS, EXPLANATION, DEMO, HAS_YEAR, BINDING,
]
#: Statuses that call for action.
BEHIND = (S.OFF_TRACK, S.AT_RISK)
#: Rank of the assessable statuses, worst first (a higher rank is better).
_RANK = {S.OFF_TRACK: 0, S.AT_RISK: 1, S.ON_TRACK: 2, S.ACHIEVED: 3}
UNIT_SEPARATOR = ";"


def label(key: str, lang: str = "zh", **fields) -> str:
    """A report label in ``lang``, with ``fields`` filled in.

    Examples:
        >>> label("unit_scope", "en", unit="县教委")
        'Responsible unit: 县教委'
    """
    text = i18n.t(key, lang, i18n.REPORT_LABELS)
    return text.format(**fields) if fields else text


def county_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The report's region's rows of an observation or assessment frame: every row not of a
    reference region (全国, 重庆市; a missing region is the county). A report's observations
    hold one plan's region only (:func:`planlib.report.build.load_inputs`), so that these are
    the county's rows, or those of the region the report is for.

    Examples:
        >>> f = pd.DataFrame({"region": ["石柱县", "全国", ""], "value": [1, 2, 3]})
        >>> county_rows(f)["value"].tolist()
        [1, 3]
    """
    region = frame[S.REGION].fillna("").replace("", COUNTY)
    return frame[~region.isin(REFERENCE_REGIONS)]


def indicator_table(catalog: pd.DataFrame, observations: pd.DataFrame,
                    assessment: pd.DataFrame, year: int, lang: str = "zh") -> pd.DataFrame:
    """One row per indicator: target, baseline, latest value, projection, status, explanation.

    Args:
        catalog: the indicator catalogue (``schema.CATALOG_COLUMNS``).
        observations: tidy observations (``schema.OBS_COLUMNS``); only the county's values up to
            ``year`` are used.
        assessment: ``planlib.assessment.assess`` output as of ``year``; only the county's rows are used.
            An indicator without a row counts as ``insufficient_data``.
        year: the report's year.
        lang: "zh" or "en" (names and explanations).

    Returns:
        A new frame with the columns :data:`INDICATOR_COLUMNS`, in catalogue order.

    Examples:
        >>> cat = pd.DataFrame({"indicator_id": ["W03"], "plan": ["women"], "number": [3],
        ...     "domain_zh": ["妇女与健康"], "domain_en": ["Health"],
        ...     "name_zh": ["孕产妇死亡率（1/10万）"], "name_en": ["Maternal mortality ratio"],
        ...     "unit": ["1/10万"], "target_text": ["< 8"], "target_year": [2030],
        ...     "attribute": ["binding"], "responsible_units": ["县卫生健康委"],
        ...     "reference_indicator": [""]})
        >>> obs = pd.DataFrame({"indicator_id": ["W03"] * 3, "region": ["石柱县"] * 3,
        ...     "year": [2020, 2023, 2024], "value": [10.0, 9.0, 8.5], "source": ["plan", "demo", "demo"]})
        >>> table = indicator_table(cat, obs, pd.DataFrame(columns=S.ASSESSMENT_COLUMNS), 2023)
        >>> table[["baseline", "latest_value", "change", "demo"]].to_dict("records")
        [{'baseline': 10.0, 'latest_value': 9.0, 'change': -1.0, 'demo': True}]
        >>> table["status"].tolist()
        ['insufficient_data']
    """
    obs = _county_until(observations, year)
    latest = _latest(obs)
    baseline = obs[obs[S.YEAR] == BASE_YEAR].set_index(S.INDICATOR_ID)[S.VALUE]
    ids = catalog[S.INDICATOR_ID]
    found = _assessment_by_id(assessment)
    table = pd.DataFrame({
        S.INDICATOR_ID: ids.to_numpy(),
        S.PLAN: catalog[S.PLAN].to_numpy(),
        S.NUMBER: catalog[S.NUMBER].to_numpy(),
        DOMAIN: catalog[S.DOMAIN_ZH if lang == "zh" else S.DOMAIN_EN].to_numpy(),
        NAME: catalog[S.NAME_ZH if lang == "zh" else S.NAME_EN].to_numpy(),
        S.UNIT: catalog[S.UNIT].to_numpy(),
        TARGET: catalog[S.TARGET_TEXT].to_numpy(),
        S.TARGET_YEAR: catalog[S.TARGET_YEAR].to_numpy(),
        S.ATTRIBUTE: catalog[S.ATTRIBUTE].to_numpy(),
        UNITS: catalog[S.RESPONSIBLE_UNITS].map(_join_units).to_numpy(),
        BASELINE: ids.map(baseline).to_numpy(dtype=float),
        LATEST_YEAR: ids.map(latest[S.YEAR]).astype("Int64").to_numpy(),
        LATEST_VALUE: ids.map(latest[S.VALUE]).to_numpy(dtype=float),
    })
    table[CHANGE] = table[LATEST_VALUE] - table[BASELINE]
    table = table.join(_assessment_columns(found, ids, lang))
    table[DEMO] = ids.isin(obs.loc[obs[S.SOURCE] == S.DEMO_SOURCE, S.INDICATOR_ID]).to_numpy()
    table[HAS_YEAR] = ids.isin(obs.loc[obs[S.YEAR] == year, S.INDICATOR_ID]).to_numpy()
    table[BINDING] = table[S.ATTRIBUTE] == S.BINDING
    return table[INDICATOR_COLUMNS]


def _county_until(observations: pd.DataFrame, year: int) -> pd.DataFrame:
    obs = county_rows(observations)
    obs = obs[obs[S.YEAR] <= year]
    return obs.assign(**{S.SOURCE: obs[S.SOURCE].fillna("")}) if S.SOURCE in obs else \
        obs.assign(**{S.SOURCE: ""})


def _latest(obs: pd.DataFrame) -> pd.DataFrame:
    return obs.sort_values(S.YEAR).groupby(S.INDICATOR_ID).tail(1).set_index(S.INDICATOR_ID)


def _join_units(text: str) -> str:
    return "、".join(u for u in str(text).split(UNIT_SEPARATOR) if u)


def _assessment_by_id(assessment: pd.DataFrame) -> pd.DataFrame:
    return county_rows(assessment).drop_duplicates(S.INDICATOR_ID).set_index(S.INDICATOR_ID)


def _assessment_columns(found: pd.DataFrame, ids: pd.Series, lang: str) -> pd.DataFrame:
    pick = lambda col: ids.map(found[col]).astype(object).to_numpy()  # noqa: E731
    status = pd.Series(pick(S.ASSESSMENT_STATUS), dtype=object).fillna(S.INSUFFICIENT_DATA)
    return pd.DataFrame({
        PROJECTED: pd.to_numeric(pd.Series(pick(S.PROJECTED)), errors="coerce"),
        LOWER_95: pd.to_numeric(pd.Series(pick(S.PROJECTED_LOWER_95)), errors="coerce"),
        UPPER_95: pd.to_numeric(pd.Series(pick(S.PROJECTED_UPPER_95)), errors="coerce"),
        P_MEET: pd.to_numeric(pd.Series(pick(S.P_MEET)), errors="coerce"),
        STATUS: status.astype(str),
        EXPLANATION: pd.Series(pick(S.EXPLANATION_BY_LANG[lang]), dtype=object).fillna("").astype(str),
    })


def values_by_year(observations: pd.DataFrame, ids: pd.Series, first: int, last: int) -> pd.DataFrame:
    """The county's values, one row per indicator (in the order of ``ids``), one column per year.

    Examples:
        >>> obs = pd.DataFrame({"indicator_id": ["A", "A", "B"], "region": ["石柱县"] * 3,
        ...                     "year": [2020, 2021, 2021], "value": [1.0, 2.0, 3.0]})
        >>> values_by_year(obs, pd.Series(["B", "A"]), 2020, 2021).values.tolist()
        [[nan, 3.0], [1.0, 2.0]]
    """
    obs = county_rows(observations)
    obs = obs[(obs[S.YEAR] >= first) & (obs[S.YEAR] <= last)]
    wide = obs.pivot_table(index=S.INDICATOR_ID, columns=S.YEAR, values=S.VALUE, aggfunc="last")
    return wide.reindex(index=ids.to_numpy(), columns=range(first, last + 1)).reset_index(drop=True)


def status_counts(table: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """How many indicators are in each status, per group; one column per status plus the total.

    Examples:
        >>> t = pd.DataFrame({"plan": ["women", "women", "children"],
        ...                   "status": ["at_risk", "achieved", "at_risk"]})
        >>> c = status_counts(t, ["plan"])
        >>> c[["plan", "at_risk", "achieved", "total"]].values.tolist()
        [['women', 1, 1, 2], ['children', 1, 0, 1]]
    """
    counts = pd.crosstab([table[c] for c in by], table[STATUS])
    counts = counts.reindex(columns=i18n.STATUS_ORDER, fill_value=0)
    order = table[by].drop_duplicates()
    counts = order.merge(counts.reset_index(), on=by, how="left").fillna(0)
    counts[i18n.STATUS_ORDER] = counts[i18n.STATUS_ORDER].astype(int)
    counts["total"] = counts[i18n.STATUS_ORDER].sum(axis=1)
    return counts.reset_index(drop=True)


def binding_at_risk(table: pd.DataFrame) -> pd.DataFrame:
    """Binding (约束性) indicators at risk or off track, off track first.

    Examples:
        >>> t = pd.DataFrame({"indicator_id": ["A", "B", "C"], "binding": [True, True, False],
        ...                   "status": ["at_risk", "off_track", "off_track"]})
        >>> binding_at_risk(t)["indicator_id"].tolist()
        ['B', 'A']
    """
    rows = table[table[BINDING] & table[STATUS].isin(BEHIND)]
    return rows.sort_values(STATUS, key=lambda s: s.map(_RANK), kind="stable").reset_index(drop=True)


def status_changes(table: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Indicators whose status differs from last year's report, with the direction of the change.

    Args:
        table: this report's :func:`indicator_table`.
        previous: the assessment last year's report made (``schema.ASSESSMENT_COLUMNS``).

    Returns:
        Columns ``indicator_id``, ``name``, ``previous_status``, ``status``, ``direction``
        (``improved``, ``worsened`` or ``changed`` when either side is not assessable).

    Examples:
        >>> t = pd.DataFrame({"indicator_id": ["A", "B"], "name": ["a", "b"],
        ...                   "status": ["at_risk", "on_track"]})
        >>> prev = pd.DataFrame({"indicator_id": ["A", "B"], "region": ["石柱县"] * 2,
        ...                      "status": ["on_track", "on_track"]})
        >>> status_changes(t, prev).values.tolist()
        [['A', 'a', 'on_track', 'at_risk', 'worsened']]
    """
    before = _assessment_by_id(previous)["status"] if len(previous) else pd.Series(dtype=str)
    out = table[[S.INDICATOR_ID, NAME, STATUS]].assign(
        previous_status=table[S.INDICATOR_ID].map(before).fillna(S.INSUFFICIENT_DATA))
    out = out[out["previous_status"] != out[STATUS]]
    out = out.assign(direction=[_direction(a, b) for a, b in zip(out["previous_status"], out[STATUS])])
    return out[[S.INDICATOR_ID, NAME, "previous_status", STATUS, "direction"]].reset_index(drop=True)


def _direction(before: str, after: str) -> str:
    if before in _RANK and after in _RANK:
        return "improved" if _RANK[after] > _RANK[before] else "worsened"
    return "changed"


def revised_values(revisions: pd.DataFrame, table: pd.DataFrame, year: int) -> pd.DataFrame:
    """Values changed since last year's report: the value then, the value now, when and why.

    Several revisions of one value are folded into one row (first old value, last new value).

    Args:
        revisions: ``planlib.store.revisions()`` rows made after last year's report.
        table: this report's :func:`indicator_table` (names; only its indicators are kept).
        year: the report's year (later years are left out).

    Examples:
        >>> rev = pd.DataFrame({"indicator_id": ["A", "A"], "region": ["石柱县"] * 2,
        ...     "year": [2022, 2022], "old_value": [1.0, 2.0], "new_value": [2.0, 3.0],
        ...     "changed_at": ["2025-01-02", "2025-03-04"], "reason": ["typo", "final figure"]})
        >>> t = pd.DataFrame({"indicator_id": ["A"], "name": ["a"]})
        >>> revised_values(rev, t, 2024).values.tolist()
        [['A', 'a', '石柱县', 2022, 1.0, 3.0, '2025-03-04', 'final figure']]
    """
    cols = [S.INDICATOR_ID, NAME, S.REGION, S.YEAR, "old_value", "new_value", "changed_at", "reason"]
    rev = revisions[revisions[S.INDICATOR_ID].isin(table[S.INDICATOR_ID])
                    & (revisions[S.YEAR].astype(int) <= year)]
    if rev.empty:
        return pd.DataFrame(columns=cols)
    rev = rev.sort_values("changed_at", kind="stable")
    folded = rev.groupby([S.INDICATOR_ID, S.REGION, S.YEAR], as_index=False, sort=True).agg(
        old_value=("old_value", "first"), new_value=("new_value", "last"),
        changed_at=("changed_at", "last"), reason=("reason", "last"))
    folded["reason"] = folded["reason"].fillna("").astype(str)
    folded[NAME] = folded[S.INDICATOR_ID].map(table.set_index(S.INDICATOR_ID)[NAME])
    return folded[cols].reset_index(drop=True)


def rows_of_unit(table: pd.DataFrame, catalog: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The rows of an :func:`indicator_table` whose indicators ``unit`` answers for.

    Examples:
        >>> cat = pd.DataFrame({"indicator_id": ["A", "B"], "responsible_units": ["甲;乙", "丙"]})
        >>> rows_of_unit(pd.DataFrame({"indicator_id": ["A", "B"]}), cat, "乙")["indicator_id"].tolist()
        ['A']
    """
    ids = indicators_of_unit(catalog, unit)[S.INDICATOR_ID]
    return table[table[S.INDICATOR_ID].isin(ids)].reset_index(drop=True)


def unit_overview(table: pd.DataFrame, catalog: pd.DataFrame, units: list[str]) -> pd.DataFrame:
    """Per responsible unit: its indicators, those behind, those without data for the year.

    Examples:
        >>> cat = pd.DataFrame({"indicator_id": ["A", "B"], "responsible_units": ["甲;乙", "乙"]})
        >>> t = pd.DataFrame({"indicator_id": ["A", "B"], "status": ["at_risk", "achieved"],
        ...                   "has_year": [True, False]})
        >>> unit_overview(t, cat, ["甲", "乙"]).values.tolist()
        [['甲', 1, ['A'], ['A'], []], ['乙', 2, ['A', 'B'], ['A'], ['B']]]
    """
    rows = []
    for unit in units:
        mine = rows_of_unit(table, catalog, unit)
        rows.append({"unit": unit, "n": len(mine),
                     "indicators": mine[S.INDICATOR_ID].tolist(),
                     "behind": mine.loc[mine[STATUS].isin(BEHIND), S.INDICATOR_ID].tolist(),
                     "no_data": mine.loc[~mine[HAS_YEAR], S.INDICATOR_ID].tolist()})
    return pd.DataFrame(rows, columns=["unit", "n", "indicators", "behind", "no_data"])


def missing_submissions(units: list[str], submissions: pd.DataFrame, year: int) -> list[str]:
    """The responsible units that have sent no submission for ``year``.

    Examples:
        >>> subs = pd.DataFrame({"department": ["甲", None], "reporting_year": [2024, None]})
        >>> missing_submissions(["甲", "乙"], subs, 2024)
        ['乙']
    """
    years = pd.to_numeric(submissions.get("reporting_year"), errors="coerce")
    sent = set(submissions.loc[years == year, "department"].dropna().astype(str)) \
        if len(submissions) else set()
    return [u for u in units if u not in sent]


def demo_values(observations: pd.DataFrame, table: pd.DataFrame, year: int) -> pd.DataFrame:
    """How many of the values the report uses are illustrative (``source == "demo"``), per indicator.

    Examples:
        >>> obs = pd.DataFrame({"indicator_id": ["A", "A", "B"], "region": ["石柱县"] * 3,
        ...     "year": [2020, 2021, 2021], "value": [1.0, 2.0, 3.0], "source": ["plan", "demo", "x"]})
        >>> table = pd.DataFrame({"indicator_id": ["A", "B"], "name": ["a", "b"]})
        >>> demo_values(obs, table, 2024).values.tolist()
        [['A', 'a', 1]]
    """
    obs = _county_until(observations, year)
    obs = obs[(obs[S.SOURCE] == S.DEMO_SOURCE) & obs[S.INDICATOR_ID].isin(table[S.INDICATOR_ID])]
    counts = obs.groupby(S.INDICATOR_ID).size()
    out = table.loc[table[S.INDICATOR_ID].isin(counts.index), [S.INDICATOR_ID, NAME]]
    return out.assign(n_demo=out[S.INDICATOR_ID].map(counts).astype(int)).reset_index(drop=True)


def target_met(catalog: pd.DataFrame, table: pd.DataFrame) -> pd.Series:
    """Whether each indicator's latest value already meets its target: True, False or None.

    Directional and qualitative targets cannot be decided from one value (None); a relative
    target uses the latest value of its ``reference_indicator``.

    Examples:
        >>> cat = pd.DataFrame({"indicator_id": ["A", "B", "C"], "target_text": ["≥ 90", "< 8", "提高"],
        ...                     "reference_indicator": ["", "", ""]})
        >>> t = pd.DataFrame({"indicator_id": ["A", "B", "C"], "latest_value": [95.0, 9.0, 1.0]})
        >>> target_met(cat, t).tolist()
        [True, False, None]
    """
    latest = table.set_index(S.INDICATOR_ID)[LATEST_VALUE]
    refs = catalog.set_index(S.INDICATOR_ID).get(S.REFERENCE_INDICATOR)
    out = []
    for iid, text in zip(catalog[S.INDICATOR_ID], catalog[S.TARGET_TEXT]):
        value = latest.get(iid)
        ref_id = refs.get(iid) if refs is not None else None
        ref_value = latest.get(ref_id) if ref_id else None
        out.append(_met(text, value, ref_value))
    return pd.Series(out, index=table.index, dtype=object)


def _met(text: str, value: float | None, ref_value: float | None) -> bool | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if ref_value is not None and isinstance(ref_value, float) and math.isnan(ref_value):
        ref_value = None
    return parse_target(text).is_met(float(value), ref_value)


def earlier_projections(table: pd.DataFrame, assessment: pd.DataFrame,
                        projections: dict[str, pd.DataFrame], as_of: int) -> pd.DataFrame:
    """What was projected with the data known in ``as_of``, for the year of each latest value.

    Args:
        table: this report's :func:`indicator_table` (latest year and value: what happened).
        assessment: the assessment as of ``as_of`` (its county statuses).
        projections: indicator id -> projection frame made with the data up to ``as_of``.
        as_of: the earlier year.

    Returns:
        One row per indicator: ``as_of``, ``indicator_id``, ``status`` (then), ``projected``,
        ``lower_95``, ``upper_95`` (for the latest year, when it is after ``as_of``) and
        ``within`` (whether the latest value fell inside that 95 % interval; None if no projection).

    Examples:
        >>> t = pd.DataFrame({"indicator_id": ["A"], "latest_year": [2024], "latest_value": [5.0]})
        >>> a = pd.DataFrame({"indicator_id": ["A"], "region": ["石柱县"], "status": ["at_risk"]})
        >>> p = {"A": pd.DataFrame({"year": [2024], "mean": [4.0], "lower_95": [3.0], "upper_95": [4.5]})}
        >>> earlier_projections(t, a, p, 2022)[["status", "projected", "within"]].values.tolist()
        [['at_risk', 4.0, False]]
    """
    status = _assessment_by_id(assessment)["status"] if len(assessment) else pd.Series(dtype=str)
    rows = []
    for iid, year, value in zip(table[S.INDICATOR_ID], table[LATEST_YEAR], table[LATEST_VALUE]):
        at = _projection_at(projections.get(iid), year, as_of)
        within = None if at is None else bool(at[S.LOWER_95] <= value <= at[S.UPPER_95])
        rows.append({"as_of": as_of, S.INDICATOR_ID: iid,
                     STATUS: status.get(iid, S.INSUFFICIENT_DATA),
                     PROJECTED: math.nan if at is None else float(at[S.MEAN]),
                     LOWER_95: math.nan if at is None else float(at[S.LOWER_95]),
                     UPPER_95: math.nan if at is None else float(at[S.UPPER_95]),
                     "within": within})
    return pd.DataFrame(rows, columns=["as_of", S.INDICATOR_ID, STATUS, PROJECTED, LOWER_95,
                                       UPPER_95, "within"])


def _projection_at(frame: pd.DataFrame | None, year: object, as_of: int) -> pd.Series | None:
    if frame is None or frame.empty or pd.isna(year) or int(year) <= as_of:
        return None
    rows = frame[frame[S.YEAR] == int(year)]
    if rows.empty or pd.isna(rows[S.MEAN].iloc[0]):
        return None
    return rows.iloc[0]


def evaluation_table(catalog: pd.DataFrame, table: pd.DataFrame,
                     earlier: pd.DataFrame) -> pd.DataFrame:
    """Mid-term and final evaluation: progress since 2020, target met, earlier projections.

    Args:
        catalog: the catalogue (targets and reference indicators).
        table: this report's :func:`indicator_table`.
        earlier: :func:`earlier_projections` for each earlier year, concatenated.

    Returns:
        One row per indicator: id, name, target, baseline, latest year and value, change,
        ``met`` (True/False/None), status, and for each earlier year ``Y``: ``status_Y``,
        ``projected_Y``, ``lower_Y``, ``upper_Y``, ``within_Y``.

    Examples:
        >>> cat = pd.DataFrame({"indicator_id": ["A"], "target_text": ["≥ 90"], "reference_indicator": [""]})
        >>> t = pd.DataFrame({"indicator_id": ["A"], "name": ["a"], "target": ["≥ 90"],
        ...     "baseline": [80.0], "latest_year": [2025], "latest_value": [91.0], "change": [11.0],
        ...     "status": ["achieved"]})
        >>> e = pd.DataFrame({"as_of": [2022], "indicator_id": ["A"], "status": ["on_track"],
        ...     "projected": [89.0], "lower_95": [85.0], "upper_95": [93.0], "within": [True]})
        >>> row = evaluation_table(cat, t, e).iloc[0]
        >>> row["met"], row["status_2022"], row["within_2022"]
        (True, 'on_track', True)
    """
    cols = [S.INDICATOR_ID, NAME, TARGET, BASELINE, LATEST_YEAR, LATEST_VALUE, CHANGE, STATUS]
    out = table[cols].assign(met=target_met(catalog, table).to_numpy())
    for as_of, part in earlier.groupby("as_of", sort=True):
        part = part.set_index(S.INDICATOR_ID)
        for col, name in ((STATUS, "status"), (PROJECTED, "projected"), (LOWER_95, "lower"),
                          (UPPER_95, "upper"), ("within", "within")):
            out[f"{name}_{as_of}"] = out[S.INDICATOR_ID].map(part[col]).astype(object).to_numpy()
    return out.reset_index(drop=True)
