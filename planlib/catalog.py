"""The indicator catalogue: every indicator row of the plans, with its 2030 target.

The shipped catalogue (``data/catalog.csv``) is a verbatim transcription of the two "专栏一"
tables of Shizhu County's plans; any other county's catalogue with the same columns loads the
same way. ``load_catalog`` validates every row and parses every target, so a broken catalogue
fails on load with the row and column named, never later inside a chart.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from . import i18n
from . import schema as S
from .config import CATALOG_PATH, PLAN_END
from .errors import PlanlibError, Problem, ProblemList, problem


def _problem(key: str, fields: dict | None = None, **where) -> Problem:
    """A catalogue problem worded by :data:`planlib.i18n.CATALOG_LABELS`."""
    return problem(i18n.CATALOG_LABELS, key, fields, **where)


_OPTIONAL_DEFAULTS = {
    S.PLAN: "",
    S.NUMBER: "",
    S.DOMAIN_ZH: "",
    S.DOMAIN_EN: "",
    S.NAME_EN: "",
    S.TARGET_YEAR: str(PLAN_END),
    S.ATTRIBUTE: S.EXPECTED,
    S.RESPONSIBLE_UNITS: "",
    S.REFERENCE_INDICATOR: "",
}
_ATTRIBUTE_ALIASES = {"约束性": S.BINDING, "预期性": S.EXPECTED, S.BINDING: S.BINDING,
                      S.EXPECTED: S.EXPECTED}


def load_catalog(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Load and validate an indicator catalogue (CSV or Excel).

    Args:
        path: the catalogue file; default the shipped Shizhu catalogue. Required columns:
            ``indicator_id``, ``name_zh``, ``unit``, ``target_text``; the others get defaults
            (``target_year`` 2030, ``attribute`` expected).

    Returns:
        A new frame with the columns of ``schema.CATALOG_COLUMNS``, one row per indicator,
        ``attribute`` normalised to ``binding``/``expected`` and ``target_year`` an integer.

    Raises:
        PlanlibError: naming the file, row and column of every problem found.

    Examples:
        >>> cat = load_catalog()
        >>> len(cat), cat.set_index("indicator_id").loc["C02", "target_text"]
        (90, '< 2.5')
    """
    path = Path(path) if path else CATALOG_PATH
    return parse_catalog(_read_table(path), path)


def read_table(path: str | os.PathLike) -> pd.DataFrame:
    """A catalogue file's cells as text, exactly as :func:`load_catalog` reads them (CSV in
    UTF-8, or Excel), before any check."""
    return _read_table(Path(path))


def parse_catalog(raw: pd.DataFrame, path: str | os.PathLike) -> pd.DataFrame:
    """Validate and parse a catalogue's cells (text, as :func:`read_table` gives), as
    :func:`load_catalog` does; ``path`` names the catalogue in messages.

    Raises:
        PlanlibError: naming the file, row and column of every problem found.
    """
    path = Path(path)
    problems = ProblemList()
    _check_columns(raw, path, problems)
    problems.raise_if_errors()
    frame = _with_defaults(raw)
    _check_rows(frame, path, problems)
    problems.raise_if_errors()
    return _normalise(frame)


def _read_table(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise PlanlibError(_problem("not_found", {"path": path}, file=str(path)))
    if path.suffix.lower() in (".xlsx", ".xls"):
        return pd.read_excel(path, dtype=str).fillna("")
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _check_columns(raw: pd.DataFrame, path: Path, problems: ProblemList) -> None:
    missing = [c for c in S.CATALOG_REQUIRED if c not in raw.columns]
    for col in missing:
        required = {"zh": "、".join(S.CATALOG_REQUIRED), "en": ", ".join(S.CATALOG_REQUIRED)}
        problems.add(_problem("missing_column", {"col": col, "required": required},
                              file=str(path), row=1, column=col))


def _with_defaults(raw: pd.DataFrame) -> pd.DataFrame:
    frame = raw.copy()
    for col, default in _OPTIONAL_DEFAULTS.items():
        if col not in frame.columns:
            frame[col] = default
        else:
            frame[col] = frame[col].astype(str).str.strip()
    frame.loc[frame[S.TARGET_YEAR].isin(["", "nan"]), S.TARGET_YEAR] = str(PLAN_END)
    frame.loc[frame[S.ATTRIBUTE].isin(["", "nan"]), S.ATTRIBUTE] = S.EXPECTED
    for col in S.CATALOG_REQUIRED:
        frame[col] = frame[col].astype(str).str.strip()
    return frame


def _check_rows(frame: pd.DataFrame, path: Path, problems: ProblemList) -> None:
    from .targets import parse_target

    seen: dict[str, int] = {}
    for i, row in enumerate(frame.to_dict("records")):
        line = i + 2  # header is row 1
        where = {"file": str(path), "row": line}
        ident = row[S.INDICATOR_ID]
        for col in S.CATALOG_REQUIRED:
            if not row[col] or row[col] == "nan":
                problems.add(_problem("empty", {"col": col}, column=col, **where))
        if ident in seen:
            problems.add(_problem("repeated", {"ident": ident, "first": seen[ident]},
                                  column=S.INDICATOR_ID, value=ident, **where))
        seen.setdefault(ident, line)
        if row[S.ATTRIBUTE] not in _ATTRIBUTE_ALIASES:
            problems.add(_problem("attribute", column=S.ATTRIBUTE, value=row[S.ATTRIBUTE], **where))
        if not str(row[S.TARGET_YEAR]).isdigit():
            problems.add(_problem("target_year", column=S.TARGET_YEAR, value=row[S.TARGET_YEAR], **where))
        if row[S.TARGET_TEXT]:
            try:
                parse_target(row[S.TARGET_TEXT])
            except PlanlibError as exc:
                inner = exc.problems[0]  # the target reader's own words: what it reads, with glosses
                problems.add(Problem(inner.message_zh, inner.message_en, inner.fix_zh, inner.fix_en,
                                     column=S.TARGET_TEXT, value=row[S.TARGET_TEXT], **where))
        ref = row[S.REFERENCE_INDICATOR]
        if ref and ref not in set(frame[S.INDICATOR_ID]):
            problems.add(_problem("reference", {"ref": ref}, column=S.REFERENCE_INDICATOR, value=ref, **where))


def _normalise(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.assign(
        **{
            S.ATTRIBUTE: frame[S.ATTRIBUTE].map(_ATTRIBUTE_ALIASES),
            S.TARGET_YEAR: frame[S.TARGET_YEAR].astype(int),
            S.NUMBER: pd.to_numeric(frame[S.NUMBER], errors="coerce").astype("Int64"),
        }
    )
    extra = [c for c in out.columns if c not in S.CATALOG_COLUMNS]
    return out[S.CATALOG_COLUMNS + extra].reset_index(drop=True)


def units_of(catalog: pd.DataFrame) -> list[str]:
    """Every responsible unit named in the catalogue, in order of first appearance.

    Examples:
        >>> units_of(load_catalog())[:3]
        ['县卫生健康委', '县体育运动中心', '县发展改革委']
    """
    seen: dict[str, None] = {}
    for cell in catalog[S.RESPONSIBLE_UNITS]:
        for unit in str(cell).split(";"):
            if unit.strip():
                seen.setdefault(unit.strip(), None)
    return list(seen)


def indicators_of_unit(catalog: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The catalogue rows a responsible unit answers for (alone or jointly).

    Examples:
        >>> indicators_of_unit(load_catalog(), "县残联")["indicator_id"].tolist()
        ['C26', 'C27']
    """
    mask = catalog[S.RESPONSIBLE_UNITS].map(lambda cell: unit in str(cell).split(";"))
    return catalog[mask].reset_index(drop=True)
