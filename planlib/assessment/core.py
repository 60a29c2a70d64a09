"""What the assessment's parts share: column names, :class:`AssessConfig`, the working
:class:`Facts` of a row, natural bounds of a unit, and the checks of the input frames."""

from __future__ import annotations

from typing import TYPE_CHECKING

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from .. import schema as S
from .. import series as assessed
from ..config import BASE_YEAR, COUNTY, PLAN_END, PLAN_START
from ..errors import PlanlibError, Problem
from ..targets import Target, parse_target
from ..units import RATIO_OF_COUNTS_UNITS, bounds_for_unit  # noqa: F401 (exported by the assessment)

if TYPE_CHECKING:
    from ..forecast import Projection


STATUS, P_MEET = S.ASSESSMENT_STATUS, S.P_MEET


LATEST_YEAR, LATEST_VALUE = S.LATEST_YEAR, S.LATEST_VALUE


PROJECTED, PROJ_LO, PROJ_HI = S.PROJECTED, S.PROJECTED_LOWER_95, S.PROJECTED_UPPER_95


REQUIRED, OBSERVED = S.REQUIRED_CHANGE, S.OBSERVED_CHANGE


BINDING_COL, EXPL_ZH, EXPL_EN = S.BINDING_FLAG, S.EXPLANATION_ZH, S.EXPLANATION_EN


#: Extra columns of :func:`assess_detail`, after ``schema.ASSESSMENT_COLUMNS``.
DETAIL_EXTRA = ["target_kind", S.TARGET_TEXT, "base_year", "base_value", "goal_value",
                "progress_ratio", "progress_category", "declines", "n_points", "demo", "reason"]


DETAIL_COLUMNS = S.ASSESSMENT_COLUMNS + DETAIL_EXTRA


PROGRESS_CATEGORIES = ("significant_progress", "moderate_progress", "insufficient_progress",
                       "movement_away")






#: Methods that carry no trend forward (a series judged on its recent level).
LEVEL_METHODS = ("level", "binomial")


#: A series that met its target in at least this many years in a row (all of them since any step)
#: and carries no trend is not flagged.
MIN_STEADY_POINTS = 3


@dataclass(frozen=True)
class AssessConfig:
    """Cut-offs of the assessment (see the module docstring for how each is used).

    Attributes:
        on_track: ``p_meet`` at or above this is on track (and achieved if met now).
        at_risk: ``p_meet`` at or above this (and below ``on_track``) is at risk; below, off track.
        min_points: fewer years of data than this is insufficient data.
        base_year: the base year of directional targets and of the two-point rates.
        plan_start: first year of the plan period (declines of 逐年 targets count from here).
        method: projection method passed to :func:`planlib.forecast.project`.
        bound_margin: a target at a natural bound counts as met this close to the bound.
        significant_ratio / moderate_ratio: Eurostat-style cut-offs of observed / required rate.
        directional_significant / stagnation: cut-offs (% per year) for directional targets.
        declines_off_track: this many declines of a 逐年 target make it off track.
        balance_at_risk, balance_off_track: a ``趋于平衡`` target reads "not shown to be
            outside the normal range" (:func:`planlib.assessment.rules.balance_status`): at
            risk when the underlying value lies beyond one edge of the band with at least
            this probability (0.95: the 90% interval lies wholly outside, i.e. shown to be outside
            at the one-sided 5% level, so at most about 5% of ratios that are in fact normal
            are flagged), off track from ``balance_off_track`` on (0.975: the 95% interval lies
            wholly outside, i.e. shown to be outside at the one-sided 2.5% level).
        home_region: region that gets a row for every indicator; None picks the county if it is
            in the observations, else the most frequent region.

    Examples:
        >>> AssessConfig().status_for(0.8), AssessConfig().status_for(0.5), AssessConfig().status_for(0.1)
        ('on_track', 'at_risk', 'off_track')
        >>> AssessConfig(on_track=0.9).status_for(0.8)
        'at_risk'
    """

    on_track: float = 0.75
    at_risk: float = 0.25
    min_points: int = assessed.MIN_POINTS
    base_year: int = BASE_YEAR
    plan_start: int = PLAN_START
    method: str = "auto"
    bound_margin: float = 0.5
    significant_ratio: float = 0.95
    moderate_ratio: float = 0.60
    directional_significant: float = 1.0
    stagnation: float = 0.1
    declines_off_track: int = 2
    balance_at_risk: float = 0.95
    balance_off_track: float = 0.975
    home_region: str | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.at_risk <= self.on_track <= 1 or self.min_points < 2 \
                or not 0.5 <= self.balance_at_risk <= self.balance_off_track <= 1:
            raise PlanlibError(Problem(
                "评估阈值设置有误：须 0 ≤ at_risk ≤ on_track ≤ 1，0.5 ≤ balance_at_risk ≤ "
                "balance_off_track ≤ 1，且 min_points ≥ 2。",
                "Invalid assessment cut-offs: need 0 <= at_risk <= on_track <= 1, 0.5 <= "
                "balance_at_risk <= balance_off_track <= 1 and min_points >= 2.",
                "请检查 AssessConfig 的设置。", "Check the AssessConfig values.",
                value=(self.at_risk, self.on_track, self.min_points)))

    def status_for(self, p: float) -> str:
        """The status a probability of meeting the target gives (not achieved: see assess)."""
        if p >= self.on_track:
            return S.ON_TRACK
        return S.AT_RISK if p >= self.at_risk else S.OFF_TRACK


@dataclass(frozen=True)
class Facts:
    """What an explanation needs besides a row's public columns, gathered while assessing it.

    Attributes:
        unit: the indicator's unit (for formatting values).
        target: the parsed target.
        min_points: ``AssessConfig.min_points`` (named when a series is too short).
        choice: why the projection used its method (:attr:`planlib.forecast.Projection.choice`).
        binomial: the births pooled by a ``binomial`` projection (``Projection.binomial``).
        steady_since: first year of a run that met the target every year (then achieved).
        decline_years: years a 逐年 target moved the wrong way.
        hold: a directional target whose base is on its natural bound: stay within this value.
        ref_id, ref_value: a relative target's reference indicator and its target-year value.
        outside: a ``趋于平衡`` target: ``below`` and ``above``, the probabilities that the
            underlying value lies below and above the band in the target year, and the
            ``at_risk`` and ``off_track`` cut-offs they were judged by
            (:func:`planlib.assessment.rules.balance_status`).
        comparison: the row's reference region (全国, 重庆市) when it is not the plan's own
            region: the row is a comparison, judged against this plan's target, and says so.
    """

    unit: str
    target: Target
    min_points: int = assessed.MIN_POINTS
    choice: Mapping = field(default_factory=dict)
    binomial: Mapping | None = None
    steady_since: int | None = None
    decline_years: tuple[int, ...] = ()
    hold: float | None = None
    ref_id: str = ""
    ref_value: float = math.nan
    outside: Mapping | None = None
    comparison: str = ""


#: What :func:`assess` accepts as ready-made projections: (indicator id, region) -> Projection.
Projections = Mapping[tuple[str, str], "Projection"]


def known_as_of(observations: pd.DataFrame, as_of: int | None) -> pd.DataFrame:
    """The observations of ``as_of`` or earlier (all of them when ``as_of`` is None).

    Examples:
        >>> obs = pd.DataFrame({"indicator_id": ["A", "A"], "year": [2021, 2024], "value": [1.0, 2.0]})
        >>> known_as_of(obs, 2023)["year"].tolist()
        [2021]
    """
    if as_of is None:
        return observations.copy()
    return observations[observations[S.YEAR] <= int(as_of)].reset_index(drop=True)


def checked_observations(observations: pd.DataFrame) -> pd.DataFrame:
    """Observations with the columns assessment needs, typed; a clear error where they are bad.

    ``region`` defaults to the county, ``numerator``/``denominator`` to empty, ``source`` to "".

    Examples:
        >>> checked_observations(pd.DataFrame({"indicator_id": ["A"], "year": ["2021"],
        ...                                    "value": ["3.5"]})).loc[0, ["region", "value"]].astype(str).tolist()
        ['石柱县', '3.5']
    """
    missing = [c for c in S.OBS_REQUIRED if c not in observations.columns]
    if missing:
        raise PlanlibError([_column_problem(c, S.OBS_REQUIRED, "观测数据", "observations") for c in missing])
    obs = observations.copy()
    for col, default in ((S.REGION, COUNTY), (S.SOURCE, ""), (S.NUMERATOR, np.nan), (S.DENOMINATOR, np.nan)):
        if col not in obs.columns:
            obs[col] = default
    obs[S.REGION] = obs[S.REGION].fillna(COUNTY).astype(str).replace("", COUNTY)
    obs[S.INDICATOR_ID] = obs[S.INDICATOR_ID].astype(str).str.strip()
    for col in (S.YEAR, S.VALUE, S.NUMERATOR, S.DENOMINATOR):
        obs[col] = _numeric_column(obs, col)
    if (obs[S.YEAR].isna() | (obs[S.YEAR] % 1 != 0)).any():
        raise PlanlibError(_value_problem(obs, S.YEAR, obs[S.YEAR].isna() | (obs[S.YEAR] % 1 != 0)))
    obs[S.YEAR] = obs[S.YEAR].astype(int)
    return obs


def _numeric_column(obs: pd.DataFrame, col: str) -> pd.Series:
    raw = obs[col]
    blank = raw.isna() | raw.astype(str).str.strip().isin(["", "nan", "NaN", "None", "<NA>"])
    values = pd.to_numeric(raw.where(~blank), errors="coerce")
    bad = values.isna() & ~blank
    if bad.any():
        raise PlanlibError(_value_problem(obs, col, bad))
    return values.astype(float)


def _value_problem(obs: pd.DataFrame, col: str, bad: pd.Series) -> Problem:
    pos = int(np.flatnonzero(bad.to_numpy())[0])
    return Problem(
        f"“{col}”列应为数字，共 {int(bad.sum())} 处不是数字", f"Column '{col}' must hold numbers; "
        f"{int(bad.sum())} cell(s) do not", "只填数字（不带单位或文字），缺失的留空。",
        "Enter numbers only (no units or words); leave missing values empty.",
        row=pos + 2, column=col, value=obs[col].iloc[pos])


def _column_problem(col: str, required: list[str], what_zh: str, what_en: str) -> Problem:
    return Problem(
        f"{what_zh}缺少必需的列“{col}”", f"The {what_en} lack the required column '{col}'",
        f"在表头加入列“{col}”（必需列：{'、'.join(required)}）。",
        f"Add a column '{col}' (required: {', '.join(required)}).", row=1, column=col)


def _checked_catalog(catalog: pd.DataFrame) -> pd.DataFrame:
    need = [S.INDICATOR_ID, S.UNIT, S.TARGET_TEXT]
    missing = [c for c in need if c not in catalog.columns]
    if missing:
        raise PlanlibError([_column_problem(c, need, "指标目录", "catalogue") for c in missing])
    defaults = {S.TARGET_YEAR: PLAN_END, S.ATTRIBUTE: S.EXPECTED, S.REFERENCE_INDICATOR: "",
                S.NAME_ZH: "", S.NAME_EN: "", S.PLAN: ""}
    cat = catalog.assign(**{c: v for c, v in defaults.items() if c not in catalog.columns})
    cat = cat.assign(**{S.REFERENCE_INDICATOR: cat[S.REFERENCE_INDICATOR].fillna("").astype(str),
                        S.TARGET_YEAR: pd.to_numeric(cat[S.TARGET_YEAR]).fillna(PLAN_END).astype(int)})
    targets = []
    for i, text in enumerate(cat[S.TARGET_TEXT]):
        try:
            targets.append(parse_target(text))
        except PlanlibError as exc:
            raise PlanlibError([replace(p, row=i + 2) for p in exc.problems]) from None
    return cat.assign(_target=targets).reset_index(drop=True)
