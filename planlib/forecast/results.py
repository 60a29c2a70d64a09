"""The results object :func:`planlib.forecast.project` returns (:class:`Projection`) and the
probability of meeting a threshold it gives."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from .. import schema
from ..errors import PlanlibError, Problem
from .core import (_norm_bounds, _OPS, _poisson_cdf, _poisson_lambdas, _Transform, _Z80, _Z95,
    BINOMIAL, INSUFFICIENT_DATA, LINEAR, POISSON)


# --- the projection: a results object ----------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Projection:
    """What :func:`project` returns: the projection of one series, as a results object.

    ``frame`` holds one row per year in the columns of :data:`schema.PROJECTION_COLUMNS`
    (``loc``/``scale`` on the ``transform`` scale: the predictive distribution of the value is
    ``g^{-1}(Normal(loc, scale))``); read it through :meth:`summary_frame`, which gives a copy.
    The other fields are what :meth:`p_meet` and the explanations need besides the frame.

    Attributes:
        frame: the projection table (do not change it; :meth:`summary_frame` gives a copy).
        bounds: ``(lo, hi)`` natural bounds the transform used; either may be ``None``.
        bound_eps: how close to a bound the ``log``/``logit`` transform goes.
        fit_points: how many of the most recent observations the model was fitted to.
        choice: why the method was used: ``kind`` (``requested``, ``level``, ``trend``,
            ``rule``), ``trend_gain`` and ``step_year`` (``auto``); None when not projected.
        binomial: for ``binomial``: the scale of the underlying ratio per year, the births
            pooled and the years pooled (``births``, ``first_year``, ``last_year``).
        poisson: for ``poisson``: ``rate_multiplier`` and ``exposure`` per year.

    A projection can be written by hand (tests of the assessment need no model): see
    :meth:`from_frame`.
    """

    frame: pd.DataFrame
    bounds: tuple[float | None, float | None] = (None, None)
    bound_eps: float = 0.0
    fit_points: int | None = None
    choice: dict | None = None
    binomial: dict | None = None
    poisson: dict | None = None

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, bounds=None, method: str = LINEAR) -> Projection:
        """A projection written by hand: ``year``, ``mean``, ``lower_95``/``upper_95`` at least.

        Missing columns are filled in on the natural scale: ``loc`` is the mean, ``scale`` half
        the 95% interval over 1.96, the 80% interval follows from them, ``method`` is ``method``,
        ``transform`` identity, and every row is a projected year.

        Examples:
            >>> p = Projection.from_frame(pd.DataFrame({"year": [2030], "mean": [10.0],
            ...                                         "lower_95": [8.04], "upper_95": [11.96]}))
            >>> round(p.p_meet(">=", 10.0), 3), round(p.p_meet("<", 8.04), 3), p.method
            (0.5, 0.025, 'linear')
        """
        out = frame.reset_index(drop=True).copy()
        if schema.LOC not in out:
            out[schema.LOC] = out[schema.MEAN]
        if schema.SCALE not in out:
            out[schema.SCALE] = (out[schema.UPPER_95] - out[schema.LOWER_95]) / (2 * _Z95)
        for col, z in ((schema.LOWER_80, -_Z80), (schema.UPPER_80, _Z80)):
            if col not in out:
                out[col] = out[schema.LOC] + z * out[schema.SCALE]
        defaults = {schema.METHOD: method, schema.TRANSFORM: "identity", schema.IS_PROJECTION: True}
        for col, value in defaults.items():
            if col not in out:
                out[col] = value
        return cls(out[schema.PROJECTION_COLUMNS], bounds=_norm_bounds(bounds),
                   choice={"kind": "requested"})

    @property
    def method(self) -> str:
        """The method used (``insufficient_data`` when nothing could be projected)."""
        return str(self.frame[schema.METHOD].iloc[-1]) if len(self.frame) else INSUFFICIENT_DATA

    @property
    def transform(self) -> str:
        """The scale of ``loc``/``scale``: ``identity``, ``log`` or ``logit``."""
        return str(self.frame[schema.TRANSFORM].iloc[-1]) if len(self.frame) else "identity"

    @property
    def step_year(self) -> int | None:
        """The year of a step change the projection starts from (``auto``), else None."""
        return (self.choice or {}).get("step_year")

    def summary_frame(self) -> pd.DataFrame:
        """One row per year: ``year``, ``mean``, the 80% and 95% limits, ``method``, ``loc``,
        ``scale``, ``transform``, ``is_projection`` (:data:`schema.PROJECTION_COLUMNS`); a copy."""
        return self.frame.copy()

    def at(self, year: int | None = None) -> pd.Series | None:
        """The row of ``year`` (default: the last row, the target year); None if there is none."""
        return _row(self.frame, year)

    def p_meet(self, op: str, threshold: float, year: int | None = None, *, noise: bool = True) -> float:
        """Probability that the value in ``year`` (default: the last row) satisfies ``op threshold``.

        Args:
            op: one of ``>=``, ``>``, ``<=``, ``<``.
            threshold: the target value, in the units of the series.
            year: the year asked about; ``None`` means the last row (the target year).
            noise: include the year's sampling noise.  ``False`` asks about the underlying value
                instead (for ``binomial``: the ratio the births are drawn from, which is what
                趋于平衡 is judged on); other methods have no separate underlying value.

        Returns:
            A probability in [0, 1], from ``loc``/``scale``/``transform``; NaN when the year is
            missing or the projection has no distribution (``insufficient_data``).
        """
        if op not in _OPS:
            raise PlanlibError(Problem(
                message_zh=f"未知的比较符：{op}。", message_en=f"Unknown comparison: {op}.",
                fix_zh="请用 >=、>、<=、< 之一。", fix_en="Use one of >=, >, <=, <.", value=op))
        row = _row(self.frame, year)
        if row is None or not (np.isfinite(row[schema.LOC]) and np.isfinite(row[schema.SCALE])):
            return np.nan
        if not noise and self.binomial and row[schema.METHOD] == BINOMIAL:
            row = row.copy()
            row[schema.SCALE] = self.binomial["underlying_scale"].get(int(row[schema.YEAR]), row[schema.SCALE])
        strict = op in ("<", ">=")  # P(value < t) is needed for "<" and for ">=" = 1 - P(< t)
        if self.poisson and row[schema.METHOD] == POISSON:
            below = _p_below_poisson(row, float(threshold), self.poisson, strict)
        else:
            below = _p_below_continuous(row, float(threshold), self.bounds, strict, self.bound_eps)
        return below if op in ("<", "<=") else 1.0 - below


# --- probability of meeting a threshold ---------------------------------------------------------


def _row(frame: pd.DataFrame, year: int | None):
    if frame.empty:
        return None
    if year is None:
        return frame.iloc[-1]
    # positions, not a filtered copy of the frame: this runs for every probability asked
    hit = np.flatnonzero(frame[schema.YEAR].to_numpy() == int(year))
    return frame.iloc[hit[0]] if len(hit) else None


def _p_below_continuous(row, threshold: float, bounds, strict: bool, eps: float) -> float:
    """P(value < threshold) (``strict``) or P(value <= threshold) on a normal/log/logit scale."""
    lo, hi = bounds
    kind = row[schema.TRANSFORM]
    if lo is not None and (threshold < lo or (strict and threshold == lo)):
        return 0.0
    if hi is not None and (threshold > hi or (not strict and threshold == hi)):
        return 1.0
    if kind == "log" and threshold <= (lo or 0.0):
        return 0.0
    zt = float(_Transform(kind, lo, hi, eps).to(threshold))
    return float(special.ndtr((zt - row[schema.LOC]) / row[schema.SCALE]))


def _p_below_poisson(row, threshold: float, info: dict, strict: bool) -> float:
    exposure = info["exposure"].get(int(row[schema.YEAR]))
    if exposure is None:
        return np.nan
    count = threshold * exposure / info["rate_multiplier"]
    kmax = math.ceil(count - 1e-9) - 1 if strict else math.floor(count + 1e-9)
    lam = _poisson_lambdas(row[schema.LOC], row[schema.SCALE], exposure, info["rate_multiplier"])
    return float(_poisson_cdf(np.array([[kmax]]), lam)[0, 0])
