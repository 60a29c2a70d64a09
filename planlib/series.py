"""The series that is assessed: the one definition the assessment, the apps and the reports share.

An indicator's series for one region is its observations with a value, one per year (when a
year was reported twice, the row read last wins, as the store's latest vintage does), in year
order, known at ``as_of`` (no later year is ever seen) and cut at the indicator's own target
year (a plan whose targets fall in 2025 is judged on the years up to 2025). A series with fewer
than ``min_points`` years cannot be projected.
"""

from __future__ import annotations

import pandas as pd

from . import schema as S

#: Fewer years than this cannot be projected (the default of ``AssessConfig.min_points``).
MIN_POINTS = 2
#: The columns a projection reads from a series.
PROJECTED_COLUMNS = [S.YEAR, S.VALUE, S.NUMERATOR, S.DENOMINATOR]


def clean(observations: pd.DataFrame) -> pd.DataFrame:
    """Rows with a value, one per indicator, region and year (the last row read wins), in year order.

    Examples:
        >>> obs = pd.DataFrame({"indicator_id": ["A"] * 4, "region": ["甲县"] * 4,
        ...                     "year": [2022, 2021, 2022, 2023], "value": [1.0, 2.0, 3.0, None]})
        >>> clean(obs)[["year", "value"]].values.tolist()
        [[2021.0, 2.0], [2022.0, 3.0]]
    """
    rows = observations.dropna(subset=[S.VALUE])
    rows = rows.sort_values([S.INDICATOR_ID, S.REGION, S.YEAR], kind="stable")
    return rows.drop_duplicates([S.INDICATOR_ID, S.REGION, S.YEAR], keep="last").reset_index(drop=True)


def by_indicator_region(observations: pd.DataFrame) -> dict[tuple[str, str], pd.DataFrame]:
    """Every (indicator, region) series of ``observations``, cleaned as :func:`clean` does."""
    rows = clean(observations)
    return {key: group.reset_index(drop=True)
            for key, group in rows.groupby([S.INDICATOR_ID, S.REGION], sort=False)}


def cut(series: pd.DataFrame, target_year: int, as_of: int | None = None) -> pd.DataFrame:
    """The years of one clean series that count for a target year, as known at ``as_of``.

    Examples:
        >>> s = pd.DataFrame({"year": [2023, 2024, 2025, 2026], "value": [1.0, 2.0, 3.0, 4.0]})
        >>> cut(s, 2025)["year"].tolist(), cut(s, 2030, as_of=2024)["year"].tolist()
        ([2023, 2024, 2025], [2023, 2024])
    """
    keep = series[S.YEAR] <= int(target_year)
    if as_of is not None:
        keep &= series[S.YEAR] <= int(as_of)
    if keep.all():  # the usual case (no year after the target): no filtered copy to make
        return series.reset_index(drop=True)
    return series[keep].reset_index(drop=True)


def assessed_series(observations: pd.DataFrame, indicator_id: str, region: str, target_year: int,
                    as_of: int | None = None) -> pd.DataFrame:
    """The series of one indicator and region that is assessed against a target year.

    Examples:
        >>> obs = pd.DataFrame({"indicator_id": ["A"] * 5, "region": ["甲县"] * 4 + ["全国"],
        ...     "year": [2021, 2022, 2022, 2031, 2022], "value": [1.0, 2.0, 2.5, 9.0, 7.0]})
        >>> assessed_series(obs, "A", "甲县", 2030)[["year", "value"]].values.tolist()
        [[2021.0, 1.0], [2022.0, 2.5]]
    """
    rows = observations[(observations[S.INDICATOR_ID] == indicator_id) & (observations[S.REGION] == region)]
    return cut(clean(rows), target_year, as_of)


def projectable(series: pd.DataFrame, min_points: int = MIN_POINTS) -> bool:
    """Whether a series has the ``min_points`` years a projection needs.

    Examples:
        >>> projectable(pd.DataFrame({"year": [2021]}), 2), projectable(pd.DataFrame({"year": [1, 2]}), 2)
        (False, True)
    """
    return len(series) >= min_points
