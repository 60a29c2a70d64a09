"""Real published reference values: the parent city (重庆市) and the nation (全国) beside the county.

The values were read in public publications and collected in the steering repository's
``shared/reference/shizhu_real.csv`` (described by its companion ``shizhu_real.md``). The app
never reads that folder at run time: :func:`build_reference_values` turns it into the shipped
``data/reference_values.csv`` (``python -m planlib.reference`` writes it again), and
``tests/test_reference.py`` checks that the shipped copy equals what it makes.

Each row has a ``match``:

* ``exact``: the catalogue indicator's own definition. For 重庆市 and 全国 these become
  observations of those regions (:func:`reference_observations`); for 石柱县 they are the plans'
  own baselines, already in ``data/baselines.csv``, and are only checked against them
  (:func:`county_agreement`).
* ``derived``: a published level plus a published change; kept with the arithmetic
  (``derivation``) and flagged ``confirmation = derived``.
* ``close`` and ``context``: a similar measure or background. They are never an indicator's
  value: :func:`context_for` returns them, labelled, with the nearest indicator the md names.

Examples:
    >>> ref = load_reference_values()
    >>> ref.groupby("match").size().to_dict()
    {'close': 19, 'context': 59, 'derived': 17, 'exact': 68}
"""

from __future__ import annotations

import functools
import math
import os
import sys
from pathlib import Path

import pandas as pd

from . import config
from . import schema as S
from .errors import Problem, ProblemList
from .files import atomic_path
from .formats import format_value
from .i18n import REFERENCE_LABELS, REFERENCE_MESSAGES, region_label, t

#: The columns of ``data/reference_values.csv``.
COLUMNS = ["region", S.INDICATOR_ID, "nearest_id", "measure_zh", S.YEAR, S.VALUE, S.UNIT,
           S.SOURCE, "url", "quote", "match", "derivation"]
#: The columns the collected file (``shizhu_real.csv``) must have.
SOURCE_COLUMNS = ["region", S.INDICATOR_ID, "measure_zh", S.YEAR, S.VALUE, S.UNIT, S.SOURCE, "url",
                  "quote", "match"]
MATCHES = ("exact", "derived", "close", "context")
#: Rows of these matches may be an indicator's value; the others never are.
VALUE_MATCHES = ("exact", "derived")
#: The nearest catalogue indicator of each ``close`` row, as ``shizhu_real.md`` lists it
#: ("Close rows and their nearest catalogue indicator"): (region, start of measure_zh, ids).
NEAREST = (
    ("石柱县", "孕产妇零死亡", "W03"),
    ("石柱县", "义务教育阶段入学巩固率", "C21"),
    ("石柱县", "中高级专业技术人员中的女性占比", "W17/W18"),
    ("石柱县", "城乡居民基本医疗保险参保人数中女性占比", "W34"),
    ("石柱县", "农村集中供水率和自来水普及率", "C30"),
    ("重庆市", "适龄儿童纳入国家免疫规划的8种疫苗接种率", "C07"),
    ("重庆市", "普惠性幼儿园覆盖率", "C20"),
    ("重庆市", "妇女常见病筛查率", "W05/W05b"),
    ("重庆市", "女童学前教育毛入园率", "C19"),
    ("重庆市", "全市平均受教育年限", "W14"),
    ("重庆市", "公有经济企事业单位各类专业技术人员中女性占比", "W17"),
    ("重庆市", "公有经济企事业单位高级专业技术人员中女性占比", "W18"),
    ("重庆市", "市人大代表女性占比", "W22"),
    ("重庆市", "市政协委员中女性比例", "W23"),
    ("全国", "城镇非私营单位就业人员中女性占比", "W16"),
    ("全国", "村班子(村“两委”)中妇女成员占比", "W33/W32"),
    ("全国", "普惠性幼儿园覆盖率", "C20"),
)
_DERIVED_PREFIX = "derived:"
_QUOTE_OPEN = "(据:"


def build_reference_values(path: str | os.PathLike | None = None,
                           catalog: pd.DataFrame | None = None) -> pd.DataFrame:
    """The shipped reference table made from the collected file (default: ``shared/reference``).

    ``nearest_id`` is the indicator id of an exact or derived row, the md's nearest id of a
    close row, empty for context. A derived row's ``quote`` is split into ``derivation`` (the
    arithmetic) and the quoted sentence. Units must equal the catalogue indicator's unit.

    Raises:
        PlanlibError: naming the file, row and column of every problem.
    """
    path = Path(path or config.SHARED_REFERENCE_PATH)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    _check(raw, _catalog(catalog), path.name)
    derived = raw["quote"].str.startswith(_DERIVED_PREFIX)
    derivation = raw["quote"].where(derived, "").map(_derivation)
    quote = raw["quote"].where(~derived, raw["quote"].map(_quoted))
    nearest = [ident or _nearest(region, measure) for region, ident, measure
               in zip(raw["region"], raw[S.INDICATOR_ID], raw["measure_zh"])]
    out = raw.assign(nearest_id=nearest, quote=quote, derivation=derivation,
                     **{S.YEAR: raw[S.YEAR].astype(int), S.VALUE: raw[S.VALUE].astype(float)})
    return out[COLUMNS].reset_index(drop=True)


def _derivation(text: str) -> str:
    """The arithmetic of a derived row's quote.

    Examples:
        >>> _derivation("derived: 74.8 − 3.9 = 70.9(据:2022年,…)")
        '74.8 − 3.9 = 70.9'
    """
    if not text:
        return ""
    return text[len(_DERIVED_PREFIX):].split(_QUOTE_OPEN, 1)[0].strip()


def _quoted(text: str) -> str:
    """The published sentence inside a derived row's quote.

    Examples:
        >>> _quoted("derived: 74.8 − 3.9 = 70.9(据:2022年,婚前医学检查率为74.8%)")
        '2022年,婚前医学检查率为74.8%'
    """
    if _QUOTE_OPEN not in text:
        return text
    inner = text.split(_QUOTE_OPEN, 1)[1]
    return inner[:-1] if inner.endswith(")") else inner


def _nearest(region: str, measure: str) -> str:
    for where, start, ids in NEAREST:
        if region == where and measure.startswith(start):
            return ids
    return ""


def _check(raw: pd.DataFrame, catalog: pd.DataFrame, file: str) -> None:
    problems = ProblemList()
    for col in SOURCE_COLUMNS:
        if col not in raw.columns:
            problems.add(_problem("missing_column", file, 1, col, None, col=col))
    problems.raise_if_errors()
    units = dict(zip(catalog[S.INDICATOR_ID], catalog[S.UNIT]))
    for i, row in enumerate(raw.to_dict("records")):
        for p in _row_problems(row, units):
            problems.add(Problem(p.message_zh, p.message_en, p.fix_zh, p.fix_en, file=file,
                                 row=i + 2, column=p.column, value=p.value))
    problems.raise_if_errors()


def _row_problems(row: dict, units: dict) -> list[Problem]:
    out = []
    if row["match"] not in MATCHES:
        out.append(_problem("bad_match", None, None, "match", row["match"], allowed=" / ".join(MATCHES)))
    ident = row[S.INDICATOR_ID]
    if ident and ident not in units:
        out.append(_problem("unknown_indicator", None, None, S.INDICATOR_ID, ident))
    elif ident and row[S.UNIT] != units[ident]:
        out.append(_problem("unit_mismatch", None, None, S.UNIT, row[S.UNIT], ident=ident,
                            expected=units[ident]))
    if ident and row["match"] not in VALUE_MATCHES:
        out.append(_problem("id_on_context", None, None, S.INDICATOR_ID, ident, match=row["match"]))
    if row["match"] == "exact" and not ident:
        out.append(_problem("exact_without_id", None, None, S.INDICATOR_ID, ""))
    if row["match"] == "derived" and not row["quote"].startswith(_DERIVED_PREFIX):
        out.append(_problem("no_derivation", None, None, "quote", row["quote"][:40]))
    for col in (S.YEAR, S.VALUE):
        if not _is_number(row[col]):
            out.append(_problem("not_number", None, None, col, row[col]))
    return out


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def write_reference_values(source: str | os.PathLike | None = None,
                           dest: str | os.PathLike | None = None) -> Path:
    """Write :func:`build_reference_values` to ``dest`` (default the shipped file), atomically."""
    frame = build_reference_values(source)
    dest = Path(dest or config.REFERENCE_VALUES_PATH)
    with atomic_path(dest) as tmp:
        frame.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
    return dest


def load_reference_values(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """The shipped reference table (``data/reference_values.csv``), typed.

    Examples:
        >>> ref = load_reference_values()
        >>> ref[(ref.region == "重庆市") & (ref.indicator_id == "C02")][["year", "value", "match"]].values.tolist()
        [[2011, 6.44, 'exact'], [2016, 4.3, 'exact'], [2021, 2.82, 'derived'], [2022, 2.62, 'exact']]
    """
    frame = pd.read_csv(path or config.REFERENCE_VALUES_PATH, dtype=str, keep_default_na=False,
                        encoding="utf-8-sig")
    frame = frame.assign(**{S.YEAR: frame[S.YEAR].astype(int), S.VALUE: frame[S.VALUE].astype(float)})
    return frame.sort_values(["region", S.INDICATOR_ID, S.YEAR], kind="stable").reset_index(drop=True)


def reference_observations(reference: pd.DataFrame, national: pd.DataFrame | None = None) -> pd.DataFrame:
    """The exact and derived values of the reference regions as observations (``OBS_COLUMNS``).

    ``source`` is the publication; ``note`` says published or derived and keeps the quoted
    sentence, the arithmetic of a derived value and the address read; ``confirmation`` is
    ``confirmed`` or ``derived``. A (indicator, region, year) already in ``national`` (the shipped
    national series, ``data/national.csv``) is left out: that series wins, with its own checked
    confirmation flags. The county's own rows are not observations here (see
    :func:`county_agreement`).

    Examples:
        >>> ref = load_reference_values()
        >>> obs = reference_observations(ref)
        >>> obs.groupby("region").size().to_dict()
        {'全国': 45, '重庆市': 27}
        >>> row = obs[(obs.region == "全国") & (obs.indicator_id == "W01") & (obs.year == 2021)].iloc[0]
        >>> row["confirmation"], row["note"].split("：")[0]
        ('derived', '推算值（由公布的水平和变化量计算）')
    """
    rows = reference[reference["match"].isin(VALUE_MATCHES) & (reference[S.INDICATOR_ID] != "")
                     & reference["region"].isin(config.REFERENCE_REGIONS)]
    if national is not None and len(national):
        taken = set(zip(national[S.INDICATOR_ID], national[S.REGION], national[S.YEAR].astype(int)))
        keys = zip(rows[S.INDICATOR_ID], rows["region"], rows[S.YEAR])
        rows = rows[[key not in taken for key in keys]]
    out = pd.DataFrame({
        S.INDICATOR_ID: rows[S.INDICATOR_ID], S.REGION: rows["region"], S.YEAR: rows[S.YEAR],
        S.VALUE: rows[S.VALUE], S.NUMERATOR: math.nan, S.DENOMINATOR: math.nan,
        S.SOURCE: rows[S.SOURCE], S.STATUS: "reported",
        S.NOTE: [_note(r) for r in rows.to_dict("records")],
        S.CONFIRMATION: rows["match"].map({"exact": "confirmed", "derived": "derived"}),
    })
    return out.sort_values([S.REGION, S.INDICATOR_ID, S.YEAR], kind="stable").reset_index(drop=True)


def _note(row: dict) -> str:
    zh, en = REFERENCE_MESSAGES["note_" + row["match"]][:2]
    arithmetic = f"{row['derivation']}；" if row["derivation"] else ""
    return f"{zh}：{row['measure_zh']}；{arithmetic}“{row['quote']}”（{row['url']}） / {en}"


def context_for(reference: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """The close and context rows whose nearest indicator is ``indicator_id``, labelled.

    They are similar measures, never the indicator's value: nothing here is an observation.

    Examples:
        >>> ctx = context_for(load_reference_values(), "C20")
        >>> ctx[["region", "year", "value", "match"]].values.tolist()
        [['全国', 2019, 76.0, 'close'], ['重庆市', 2021, 93.15, 'derived'], ['重庆市', 2022, 93.99, 'close'], ['重庆市', 2025, 95.2, 'close']]
    """
    near = reference["nearest_id"].str.split("/").map(lambda ids: indicator_id in ids)
    rows = reference[near & ~(reference[S.INDICATOR_ID] == indicator_id)]
    return rows.sort_values(["region", S.YEAR], kind="stable").reset_index(drop=True)


@functools.lru_cache(maxsize=1)
def _shipped() -> pd.DataFrame:
    return load_reference_values()


def shipped_context(indicator_id: str) -> pd.DataFrame:
    """:func:`context_for` on the shipped table (read once per process).

    Examples:
        >>> shipped_context("W14")[["region", "year", "value", "match"]].values.tolist()
        [['重庆市', 2016, 9.76, 'close']]
    """
    return context_for(_shipped(), indicator_id).copy()


def context_lines(context: pd.DataFrame, lang: str = "zh") -> list[str]:
    """One line per context row, as the explorer and the reports show it: region, year, value
    with unit, how it matches, the measure, the arithmetic of a derived value and the source.

    Examples:
        >>> ctx = context_for(load_reference_values(), "W14")
        >>> context_lines(ctx, "en")[0]
        'Chongqing 2016: 9.76 years (similar measure: 全市平均受教育年限(语境为女性,未明言); source: 重庆市妇联2018年“三八”发布(2016年妇女发展规划实施数据;转载))'
    """
    label = lambda key: t(key, lang, REFERENCE_LABELS)  # noqa: E731
    out = []
    for row in context.to_dict("records"):
        derived = f"{label('derivation')} {row['derivation']}; " if row["derivation"] else ""
        if lang == "zh":
            derived = derived.replace("; ", "；")
            out.append(f"{row['region']} {row[S.YEAR]}年：{format_value(row[S.VALUE], row[S.UNIT], lang)}"
                       f"（{label('match_' + row['match'])}：{row['measure_zh']}；{derived}"
                       f"{label('col_source')}：{row[S.SOURCE]}）")
        else:
            out.append(f"{region_label(row['region'], lang)} {row[S.YEAR]}: "
                       f"{format_value(row[S.VALUE], row[S.UNIT], lang)} ({label('match_' + row['match'])}: "
                       f"{row['measure_zh']}; {derived}{label('col_source').lower()}: {row[S.SOURCE]})")
    return out


def county_agreement(reference: pd.DataFrame, baselines: pd.DataFrame) -> pd.DataFrame:
    """Every county (indicator, year) in both the reference file and the plans' baselines.

    Columns ``indicator_id, year, reference_value, baseline_value, agrees``.

    Examples:
        >>> from planlib.observations import load_baselines
        >>> both = county_agreement(load_reference_values(), load_baselines())
        >>> bool(both["agrees"].all()), len(both)
        (True, 10)
    """
    mine = reference[(reference["region"] == config.COUNTY) & (reference[S.INDICATOR_ID] != "")
                     & reference["match"].isin(VALUE_MATCHES)]
    base = baselines[(baselines[S.REGION] == config.COUNTY) & (baselines[S.INDICATOR_ID] != "")]
    both = mine[[S.INDICATOR_ID, S.YEAR, S.VALUE]].merge(
        base[[S.INDICATOR_ID, S.YEAR, S.VALUE]].drop_duplicates([S.INDICATOR_ID, S.YEAR]),
        on=[S.INDICATOR_ID, S.YEAR], suffixes=("_reference", "_baseline"))
    both = both.rename(columns={"value_reference": "reference_value", "value_baseline": "baseline_value"})
    both["agrees"] = [math.isclose(a, b, abs_tol=1e-9) for a, b in zip(both["reference_value"], both["baseline_value"])]
    return both.sort_values([S.INDICATOR_ID, S.YEAR]).reset_index(drop=True)


def _catalog(catalog: pd.DataFrame | None) -> pd.DataFrame:
    if catalog is not None:
        return catalog
    from .catalog import load_catalog

    return load_catalog()


def _problem(kind: str, file: str | None, row: int | None, column: str, value: object,
             **fields: object) -> Problem:
    zh, en, fix_zh, fix_en = (s.format(**fields) for s in REFERENCE_MESSAGES[kind])
    return Problem(zh, en, fix_zh, fix_en, file=file, row=row, column=column, value=value)


def main(argv: list[str] | None = None) -> int:
    """``python -m planlib.reference [SOURCE.csv]``: write ``data/reference_values.csv`` again."""
    args = sys.argv[1:] if argv is None else argv
    dest = write_reference_values(args[0] if args else None)
    print(dest)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
