"""Target-risk assessment: for every indicator and region, will the target be met?

``assess(catalog, observations)`` projects each series to its target year with
:func:`planlib.forecast.project` (or takes a ready-made :class:`planlib.forecast.Projection`,
``assess(..., projections={(id, region): projection})``) and reads only that projection, through
:meth:`Projection.p_meet <planlib.forecast.Projection.p_meet>`, to give ``p_meet``, the probability that the value in the
target year meets the target. There is one row per indicator and region with data up to ``as_of``
(later rows are dropped before anything else, so nothing later can leak in), and a row for every
indicator in the home region (the county; else the most frequent region), ``insufficient_data``
where it has no data. A year repeated within a series keeps its last row.

Statuses follow from ``p_meet`` and :class:`AssessConfig`:

* ``achieved``: the latest value meets the target **and** ``p_meet >= on_track`` (0.75): it meets
  it now and is projected to keep meeting it.
* ``on_track``: ``p_meet >= on_track`` (0.75).
* ``at_risk``: ``at_risk <= p_meet < on_track`` (0.25 to 0.75).
* ``off_track``: ``p_meet < at_risk`` (below 0.25).
* ``insufficient_data``: fewer than ``min_points`` (2) years of data, or the series a relative
  target refers to is missing.
* ``not_assessable``: qualitative targets (保持合理比例), whatever the data.
* When the target year itself has been observed, the observation decides: ``achieved`` if it meets
  the target, ``off_track`` if not (``p_meet`` 1 or 0, method ``observed``).

How each kind of target gives ``p_meet``:

* threshold (``< 8``, ``≥ 92``, ``100``): ``projection.p_meet(op, value, target_year)``. A target at a
  natural bound (``≥ 100`` for a percentage) cannot be reached by a continuous projection, so it
  counts as met within ``bound_margin`` (0.5 units, i.e. 99.5 %) of the bound.
* approx (``45左右``): the probability of lying inside the tolerance band of the target grammar.
* balance (``趋于平衡``, the sex ratio at birth): 趋于平衡 is read as a statistician reads it,
  "the county's underlying sex ratio at birth is not shown to be outside the normal range"
  (103-107 boys per 100 girls, ``TargetConfig``; see ``data/README.md`` for the source). The
  ratio is modelled as the share of boys among births, a binomial with the county's births
  (``RATIO_OF_COUNTS_UNITS``), pooled over the recent level; one year's ratio among ~3,500
  births swings by about ±3 by chance alone and is not read as a trend. ``p_meet`` is the
  probability that the *underlying* ratio lies in the band; but with a county's births that
  ratio is known only to about ±1.7, so ``p_meet`` rarely reaches 0.75 even in the middle of the
  band, and the status does not come from it: :func:`~planlib.assessment.rules.balance_status`
  flags ``at_risk`` when the underlying ratio lies beyond one edge with probability
  ``balance_at_risk`` (0.95: its 90 % interval wholly outside, a one-sided test at 5 %) and
  ``off_track`` from ``balance_off_track`` (0.975: its 95 % interval wholly outside); otherwise ``achieved`` if the
  latest value is in the band, else ``on_track``. An off-track series whose projection is nearer
  the band than its latest value is moving toward it and is at worst ``at_risk``.
* A threshold, band or approx target met in every observed year (at least
  ``MIN_STEADY_POINTS``, all of them since any step change) by a series judged on its level (no
  trend carried forward), and met by the projection, is ``achieved``: its probability reflects
  year-to-year noise, not a trend away from the target, and the explanation says so.
* directional (``提高``, ``降低``): the probability that the target-year value is better than the
  base value. The **base** is the value of ``base_year`` (2020, the year before the plan) if
  observed; else the latest value before it; else the first value of the plan period.
  逐年 (``every_year``) means every year: a *decline* is a pair of consecutive observed years, the
  later one inside the plan period (2021 to the target year), whose value moved the wrong way
  (a year equal to the one before is not a decline). One decline caps the status at ``at_risk``;
  ``declines_off_track`` (2) or more make it ``off_track``. A directional target is met now when
  the latest value is better than the base (and, for 逐年, there has been no decline).
* relative (``≥县党员总数中女性比例``): the catalogue's ``reference_indicator`` is projected for the
  same region and the difference of the two target-year values is taken as normal (standard
  deviations read off the 95 % intervals); a reference with one value is used as a constant.
  Without a ``reference_indicator`` or without its data: ``insufficient_data``, reason given.

Alongside, the transparent two-point measure of Eurostat's SDG progress reports:
``observed_annual_change`` is the compound annual growth rate (% per year, signed) from the base
value to the latest value; ``required_annual_change`` the rate needed from the base value to reach
the goal in the target year (the threshold; the centre of a 左右 band; the nearest edge of the
balanced band; the reference's projected value), 0 when the base already met the target, empty
for directional targets. :func:`assess_detail` adds their ratio (observed / required) and its
category: ``significant_progress`` (ratio >= 0.95, or the latest value meets the target),
``moderate_progress`` (0.6 to 0.95), ``insufficient_progress`` (0 to 0.6), ``movement_away``
(below 0, or the base met the target and the latest does not). Directional targets have no ratio;
their category comes from the observed rate in the better direction: at least 1 % a year
significant, above 0.1 % moderate, within ±0.1 % insufficient, worse than -0.1 % movement away.

Modules: :mod:`~planlib.assessment.core` (column names, :class:`AssessConfig`, :class:`Facts`, unit
bounds, input checks), :mod:`~planlib.assessment.progress` (required against observed change,
progress ratio, declines), :mod:`~planlib.assessment.rules` (the status rules and
:func:`project_series`), :mod:`~planlib.assessment.explanations` (:func:`explain`),
:mod:`~planlib.assessment.presentation` (sorting, summaries, display tables, CLI output).
"""

from __future__ import annotations

import pandas as pd

from .. import schema as S
from .core import (DETAIL_COLUMNS, DETAIL_EXTRA, LEVEL_METHODS, MIN_STEADY_POINTS, PROGRESS_CATEGORIES,
                   RATIO_OF_COUNTS_UNITS, AssessConfig, Facts, Projections, _checked_catalog,
                   bounds_for_unit, checked_observations, known_as_of)
from .explanations import explain
from .presentation import (for_display, format_assessment, sort_for_action, special_rules,
                           status_meanings, summarize)
from .progress import annual_change, base_point, declines_of, progress_category
from .rules import (_assess_row, _Context, _pairs, _typed, better_than_base, home_region, p_difference,
                    project_series)

__all__ = [
    "DETAIL_COLUMNS", "DETAIL_EXTRA", "LEVEL_METHODS", "MIN_STEADY_POINTS", "PROGRESS_CATEGORIES",
    "RATIO_OF_COUNTS_UNITS", "AssessConfig", "Facts", "Projections", "annual_change", "assess",
    "assess_detail", "base_point", "better_than_base", "bounds_for_unit", "checked_observations",
    "declines_of", "explain", "for_display", "format_assessment", "home_region", "known_as_of",
    "p_difference", "progress_category", "project_series", "sort_for_action", "special_rules",
    "status_meanings", "summarize",
]

# --- public API -----------------------------------------------------------------------------------


def assess(catalog: pd.DataFrame, observations: pd.DataFrame, as_of: int | None = None,
           config: AssessConfig | None = None, projections: Projections | None = None) -> pd.DataFrame:
    """Assess every indicator of a catalogue, for every region of the observations.

    Args:
        catalog: the indicator catalogue (``load_catalog()``); needs ``indicator_id``, ``unit``,
            ``target_text``; ``target_year`` defaults to 2030, ``attribute`` to expected.
        observations: tidy observations (``indicator_id``, ``year``, ``value``; ``region``
            defaults to the county; ``numerator``/``denominator`` feed count models).
        as_of: use only observations of this year or earlier (what was knowable then).
        config: cut-offs; defaults to :class:`AssessConfig`.
        projections: ready-made projections, ``{(indicator_id, region): Projection}``, used
            instead of fitting a model for those series (a hand-written
            ``Projection.from_frame(...)`` tests the rules without fitting anything). A series
            still needs ``min_points`` years, and an observed target year still decides.

    Returns:
        A new frame with exactly ``schema.ASSESSMENT_COLUMNS``: one row per indicator and region
        with data, plus a row for the home region (the county) for every indicator.

    Raises:
        PlanlibError: a required column is missing, a value is not a number, a target unreadable.

    Examples:
        >>> cat = pd.DataFrame({"indicator_id": ["X1"], "name_zh": ["某率（%）"], "unit": ["%"],
        ...                     "target_text": ["保持合理比例"]})
        >>> obs = pd.DataFrame({"indicator_id": ["X1"], "year": [2021], "value": [50.0]})
        >>> assess(cat, obs)[["indicator_id", "region", "status"]].values.tolist()
        [['X1', '石柱县', 'not_assessable']]
    """
    return assess_detail(catalog, observations, as_of=as_of, config=config,
                         projections=projections)[S.ASSESSMENT_COLUMNS]


def assess_detail(catalog: pd.DataFrame, observations: pd.DataFrame, as_of: int | None = None,
                  config: AssessConfig | None = None,
                  projections: Projections | None = None) -> pd.DataFrame:
    """Like :func:`assess`, with the working shown: ``DETAIL_COLUMNS``.

    The extra columns are the target's kind and text, the base year and value, the goal value,
    the progress ratio and category of the two-point measure, the number of declines (逐年),
    the number of years of data, whether any of it is demo data, and a reason code.

    Examples:
        >>> cat = pd.DataFrame({"indicator_id": ["X1"], "name_zh": ["某率（%）"], "unit": ["%"],
        ...                     "target_text": ["≥ 90"]})
        >>> obs = pd.DataFrame({"indicator_id": ["X1"] * 2, "year": [2020, 2030],
        ...                     "value": [81.0, 90.0]})
        >>> d = assess_detail(cat, obs).iloc[0]
        >>> d["status"], d["method"], round(float(d["observed_annual_change"]), 2), d["progress_category"]
        ('achieved', 'observed', 1.06, 'significant_progress')
    """
    config = config or AssessConfig()
    cat = _checked_catalog(catalog)
    obs = known_as_of(checked_observations(observations), as_of)
    ctx = _Context(obs, cat, config, projections)
    rows = [_assess_row(ctx, ind, region) for ind, region in _pairs(cat, obs, ctx.home)]
    return _typed(pd.DataFrame(rows, columns=DETAIL_COLUMNS))
