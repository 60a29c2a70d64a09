"""A drafted catalogue as data: its columns and :class:`Draft`, which the reader makes and the review shows.

The lower layer of :mod:`planlib.draft`: :mod:`planlib.draft.review` reads a :class:`Draft`
without importing the reader.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import schema as S
from .found import Found, Skipped
from .vocabulary import Match

#: Extra columns of a drafted catalogue (after ``schema.CATALOG_COLUMNS``), for checking it.
SOURCE_TEXT, SOURCE_WHERE, CONFIDENCE, MATCHED = "source_text", "source_where", "confidence", "matched"
DRAFT_COLUMNS = [*S.CATALOG_COLUMNS, SOURCE_TEXT, SOURCE_WHERE, CONFIDENCE, MATCHED]


@dataclass(frozen=True)
class Draft:
    """A drafted catalogue and what the review shows.

    Attributes:
        catalog: one row per indicator, ``DRAFT_COLUMNS``.
        rows: the same rows as found (with the matched span of the source), in order.
        matches: each row's vocabulary match (or None).
        notes: each row's flags, as (Chinese, English) pairs.
        skipped: what looked like a target and was not drafted.
        path: the plan document.
    """

    catalog: pd.DataFrame
    rows: tuple[Found, ...]
    matches: tuple[Match | None, ...]
    notes: tuple[tuple[tuple[str, str], ...], ...]
    skipped: tuple[Skipped, ...]
    path: str
