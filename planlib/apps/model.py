"""The data of one version and what is derived from them, computed once: the build's source.

:class:`Model` holds a catalogue and its observations and computes, on first use and once per
key, the assessment of any as-of year, each indicator's projection and the explorer's views. The
build (:mod:`planlib.apps.build`) uses it to make everything the dashboard shows; the explorer
uses it only when an analyst asks for a projection method the build does not hold. It imports
pandas and, through the assessment, statsmodels: viewers' kernels never import it unless asked.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from .. import schema as S
from ..config import COUNTY
from ..series import PROJECTED_COLUMNS, assessed_series, projectable
from ..targets import parse_target


def data_version(catalog: pd.DataFrame, observations: pd.DataFrame) -> str:
    """A short hash of the catalogue and observations: equal data, equal version.

    Examples:
        >>> a = pd.DataFrame({"x": [1, 2]})
        >>> data_version(a, a) == data_version(a.copy(), a.copy()), data_version(a, a) == data_version(a, a + 1)
        (True, False)
    """
    digest = hashlib.sha256()
    for frame in (catalog, observations):
        digest.update("\x1f".join(map(str, frame.columns)).encode())
        digest.update(pd.util.hash_pandas_object(frame.astype(object), index=False).values.tobytes())
    return digest.hexdigest()[:16]


class Model:
    """The catalogue and observations of one data version, and everything derived from them.

    Assessments, projections and explorer views are computed on first use and kept in
    :attr:`cache` (in memory only: across processes, the build is what is shared).

    Args:
        catalog: ``load_catalog()`` (``schema.CATALOG_COLUMNS``): the plan of ``region``.
        observations: ``load_observations()`` (``schema.OBS_COLUMNS``): the values of ``region``
            and of the reference regions (:func:`planlib.plans.rows_of`), no other plan's.
        region: whose plan it is (default the home county): its values are the series assessed.
        title: the registered plan's title (:func:`planlib.plans.title_of`; None for the home
            county's shipped plans).

    Examples:
        >>> cat = pd.DataFrame({"indicator_id": ["X1"], "plan": ["women"], "number": [1],
        ...     "domain_zh": ["妇女与健康"], "domain_en": ["Health"], "name_zh": ["某率（%）"],
        ...     "name_en": ["Some rate (%)"], "unit": ["%"], "target_text": ["≥ 90"],
        ...     "target_year": [2030], "attribute": ["binding"], "responsible_units": ["县妇联"],
        ...     "reference_indicator": [""]})
        >>> obs = pd.DataFrame({"indicator_id": ["X1"] * 3, "region": ["石柱县"] * 3,
        ...     "year": [2020, 2021, 2022], "value": [80.0, 82.0, 84.0], "source": ["demo"] * 3})
        >>> m = Model(cat, obs)
        >>> m.years, m.assessment(2022) is m.assessment(2022)
        ([2020, 2021, 2022], True)
        >>> Model(cat, obs.assign(region="丰都县"), region="丰都县").years
        [2020, 2021, 2022]
    """

    def __init__(self, catalog: pd.DataFrame, observations: pd.DataFrame, region: str = COUNTY,
                 title: str | None = None):
        self.catalog = catalog.reset_index(drop=True)
        self.observations = observations.reset_index(drop=True)
        self.region, self.title = region, title
        self.version = data_version(self.catalog, self.observations)
        self.cache: dict[tuple, object] = {}

    def _cached(self, key: tuple, compute):
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]

    @property
    def years(self) -> list[int]:
        """The years with data of the region, ascending."""
        county = self.observations[self.observations[S.REGION] == self.region]
        return sorted(int(y) for y in county.dropna(subset=[S.VALUE])[S.YEAR].unique())

    @property
    def latest_year(self) -> int | None:
        """The latest year with data of the region (the default as-of year)."""
        return self.years[-1] if self.years else None

    def assessment(self, as_of: int | None = None) -> pd.DataFrame:
        """``planlib.assessment.assess_detail`` of this data up to ``as_of``."""
        from ..assessment import AssessConfig, assess_detail  # imported here: assessment pulls in statsmodels

        config = AssessConfig(home_region=self.region)
        return self._cached(("assessment", as_of),
                            lambda: assess_detail(self.catalog, self.observations, as_of=as_of, config=config))

    def table(self, as_of: int | None = None) -> pd.DataFrame:
        """The overview table (:func:`planlib.apps.content.overview_table`) up to ``as_of``."""
        from .content import overview_table

        return self._cached(("table", as_of),
                            lambda: overview_table(self.catalog, self.assessment(as_of), self.region))

    def indicator(self, indicator_id: str) -> dict:
        """The catalogue row of one indicator, as a dict."""
        rows = self.catalog[self.catalog[S.INDICATOR_ID] == indicator_id]
        return rows.iloc[0].to_dict()

    def projection(self, indicator_id: str, method: str = "auto", as_of: int | None = None) -> pd.DataFrame:
        """The region's projection of one indicator to its target year, fitted once per key.

        Raises:
            PlanlibError: the method does not suit the series.
        """
        return self._cached(("projection", indicator_id, method, as_of), lambda: project_indicator(
            self.observations, self.indicator(indicator_id), method, as_of, self.region))

    def view(self, indicator_id: str, method: str = "auto", as_of: int | None = None, lang: str = "zh"):
        """The explorer's chart, data and words for one indicator (:func:`planlib.apps.content.explorer_view`)."""
        from .content import explorer_view

        return self._cached(("view", indicator_id, method, as_of, lang),
                            lambda: explorer_view(self, indicator_id, method, as_of, lang))


def load_model(db=None, region: str | None = None) -> Model:
    """The plan of ``region`` (default the home county) and its current observations with the
    reference regions' (store, else shipped), as a :class:`Model`."""
    from ..observations import load_observations
    from ..plans import catalog_for, region_name, rows_of, title_of

    region = region_name(region)
    catalog = catalog_for(region, db)
    every = load_observations(catalog=catalog, db=db)
    return Model(catalog, rows_of(every, region), region, title_of(region, db))


def indicator_series(observations: pd.DataFrame, indicator_id: str, as_of: int | None,
                     target_year: int, region: str = COUNTY) -> pd.DataFrame:
    """The series of ``region`` the assessment projects: one value per year, up to ``as_of``.

    Examples:
        >>> obs = pd.DataFrame({"indicator_id": ["A"] * 4, "region": ["石柱县"] * 3 + ["全国"],
        ...     "year": [2021, 2022, 2023, 2022], "value": [1.0, 2.0, 3.0, 9.0]})
        >>> indicator_series(obs, "A", 2022, 2030)[["year", "value"]].values.tolist()
        [[2021.0, 1.0], [2022.0, 2.0]]
    """
    rows = assessed_series(observations, indicator_id, region, target_year, as_of)
    cols = PROJECTED_COLUMNS
    return rows.reindex(columns=cols).reset_index(drop=True)


def project_indicator(observations: pd.DataFrame, indicator: dict, method: str = "auto",
                      as_of: int | None = None, region: str = COUNTY) -> pd.DataFrame:
    """Project one catalogue indicator as the assessment does (empty when it cannot be projected).

    Qualitative targets and series of fewer than two years give an empty frame; the rest is
    :func:`planlib.assessment.project_series`, the one place that decides how an indicator is projected.
    """
    from ..assessment import project_series  # imported here: assessment pulls in statsmodels

    empty = pd.DataFrame(columns=S.PROJECTION_COLUMNS)
    if parse_target(indicator[S.TARGET_TEXT]).kind == "qualitative":
        return empty
    target_year = int(indicator[S.TARGET_YEAR])
    series = indicator_series(observations, indicator[S.INDICATOR_ID], as_of, target_year, region)
    if not projectable(series):
        return empty
    return project_series(series, indicator[S.UNIT], target_year, method).summary_frame()
