"""What the intake's files look like: limits, unit rules, the template's columns, CSV headers, where a problem is, the catalogue."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import schema as S
from .. import units
from ..errors import Problem
from ..i18n import INTAKE_MESSAGES
from ..xlsx import Cell, Limits


TEMPLATE_VERSION = "1"
META_SHEET = "_planlib"
#: Oldest year accepted (historical backfill, with a warning) and the plan period.
FIRST_YEAR = 2010
HEADER_SEARCH_ROWS = 10
_NO_CELL = Cell(None)
#: Jumps are checked against the previous value if it is at most this many years older.
MAX_JUMP_GAP = 5
#: How many years before a file's first year are read to judge its jumps.
HISTORY_YEARS = 10
#: The largest file accepted, in bytes, and the most data rows one file may hold (the whole
#: store, every indicator and region since 2010, is a few thousand rows).
MAX_FILE_BYTES = 20 * 2**20
MAX_ROWS = 20_000
#: The longest note (备注), source or confirmation accepted, in characters.
MAX_TEXT_CHARS = 500
#: Problems of one file listed in a summary; the others are counted ("and N more").
MAX_LISTED_PROBLEMS = 200
XLSX_LIMITS = Limits(rows=MAX_ROWS + HEADER_SEARCH_ROWS * 20)


@dataclass(frozen=True)
class UnitRule:
    """The range a value in one unit may take; ``scale`` turns numerator/denominator into it.

    Attributes:
        low, high: the physical limits: a value outside them is an error.
        whole: the value is a count (a whole number).
        scale: the multiplier (``%`` 100, ``‰`` 1000, ``女=100`` 100, ...), if it is a rate or ratio.
        plausible: above this a value is unusual for a county (a warning, not an error).
        share: the numerator is part of the denominator (cannot exceed it).
    """

    low: float | None = 0.0
    high: float | None = 1e9
    whole: bool = False
    scale: float | None = None
    plausible: float | None = None
    share: bool = False


def _rule(u: units.Unit) -> UnitRule:
    """The intake's range rule for a unit of :mod:`planlib.units`."""
    return UnitRule(u.low, u.high, whole=u.whole, scale=u.multiplier, plausible=u.plausible, share=u.share)


#: Counts *per* thousand children, per health centre, ...
PER_RULE = UnitRule(0, 1000, plausible=100)
UNIT_RULES: dict[str, UnitRule] = {code: _rule(u) for code, u in units.UNITS.items()}
DEFAULT_RULE = _rule(units.DEFAULT)
#: Numerators and denominators: events and populations of the county.
FRACTION_RULE = UnitRule(0, 1e8, plausible=1e7)


def unit_rule(unit: str, name: str = "") -> UnitRule:
    """The range rule for an indicator's unit (default: any number >= 0).

    A count unit (人, 个, 张, 名, 户) asks for whole numbers unless the indicator is a count
    *per* something (its name contains 每, as in 每千名儿童拥有床位数).

    Examples:
        >>> unit_rule("%").high, unit_rule("名").whole, unit_rule("万人").high, unit_rule("元").high
        (100.0, True, 100.0, 1000000000.0)
        >>> unit_rule("张", "每千名（0-14岁）儿童拥有床位数（张）")
        UnitRule(low=0, high=1000, whole=False, scale=None, plausible=100, share=False)
    """
    rule = UNIT_RULES.get(str(unit).strip(), DEFAULT_RULE)
    return PER_RULE if rule.whole and "每" in str(name) else rule


# --- the template's columns ------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: float
    editable: bool = False


TEMPLATE_COLUMNS = (
    Column(S.INDICATOR_ID, "指标代码", 10),
    Column(S.NAME_ZH, "指标名称", 44),
    Column(S.UNIT, "计量单位", 10),
    Column(S.TARGET_TEXT, "2030年目标", 13),
    Column("last_value", "上次报送值", 12),
    Column("last_year", "上次报送年份", 12),
    Column(S.VALUE, "数值", 12, editable=True),
    Column(S.NUMERATOR, "分子", 11, editable=True),
    Column(S.DENOMINATOR, "分母", 11, editable=True),
    Column(S.NOTE, "备注", 32, editable=True),
)
TITLE_ROW, HELP_ROW, HEADER_ROW = 1, 2, 3

#: Header labels (Chinese or English) accepted for each column of a tidy CSV file.
CSV_ALIASES = {
    S.INDICATOR_ID: ("indicator_id", "指标代码", "代码"),
    S.REGION: ("region", "地区", "区域"),
    S.YEAR: ("year", "年份", "年度"),
    S.VALUE: ("value", "数值", "值"),
    S.NUMERATOR: ("numerator", "分子"),
    S.DENOMINATOR: ("denominator", "分母"),
    S.SOURCE: ("source", "来源", "数据来源"),
    S.STATUS: ("status", "状态"),
    S.NOTE: ("note", "备注"),
    S.CONFIRMATION: ("confirmation", "核实情况"),
}
STATUS_ALIASES = {"reported": "reported", "provisional": "provisional", "estimated": "estimated",
                  "正式": "reported", "报送": "reported", "初步": "provisional", "估计": "estimated"}


# --- problems, in Chinese and English ----------------------------------------------------------------

@dataclass(frozen=True)
class Loc:
    """Where a cell is: file, sheet, row (as Excel/CSV shows it), column label."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None


def _p(kind: str, loc: Loc, found: object = None, severity: str = "error", **fmt) -> Problem:
    zh, en, fix_zh, fix_en = (text.format(**fmt) for text in INTAKE_MESSAGES[kind])
    return Problem(zh, en, fix_zh, fix_en, file=loc.file, sheet=loc.sheet, row=loc.row,
                   column=loc.column, value=found, severity=severity)


# --- the catalogue, as intake needs it ----------------------------------------------------------------

@dataclass(frozen=True)
class _Catalog:
    units: dict[str, str]              # indicator -> unit
    owners: dict[str, tuple[str, ...]]  # indicator -> responsible units
    departments: tuple[str, ...]
    rules: dict[str, UnitRule]          # indicator -> range rule

    @classmethod
    def load(cls, catalog: pd.DataFrame | None = None) -> _Catalog:
        from ..catalog import load_catalog, units_of

        cat = load_catalog() if catalog is None else catalog
        ids = cat[S.INDICATOR_ID].astype(str)
        owners = {i: tuple(u.strip() for u in str(cell).split(";") if u.strip())
                  for i, cell in zip(ids, cat[S.RESPONSIBLE_UNITS])}
        rules = {i: unit_rule(u, n) for i, u, n in zip(ids, cat[S.UNIT], cat[S.NAME_ZH])}
        return cls(dict(zip(ids, cat[S.UNIT].astype(str))), owners, tuple(units_of(cat)), rules)



@dataclass(frozen=True)
class _Plans:
    """Every plan's catalogue, as intake needs it, and the regions the store accepts.

    A row is checked against its region's plan; the reference regions' rows (全国, 重庆市)
    against the home county's, whose indicators they are compared with.
    """

    catalogs: dict[str, _Catalog]  # region -> its plan (the home county's under config.COUNTY)
    regions: tuple[str, ...]        # the regions accepted at intake (planlib.plans.known_regions)
    default: str | None = None      # the region of a row that names none (None: config.COUNTY)

    @classmethod
    def load(cls, db=None) -> _Plans:
        from .. import plans

        return cls({region: _Catalog.load(cat) for region, cat in plans.catalogs(db).items()},
                   plans.known_regions(db))

    @classmethod
    def of(cls, info: _Catalog | _Plans) -> _Plans:
        """``info`` itself, or the home county's catalogue alone (the store's plans unread)."""
        if isinstance(info, _Plans):
            return info
        from ..config import COUNTY, KNOWN_REGIONS

        return cls({COUNTY: info}, KNOWN_REGIONS)

    def for_region(self, region: str) -> _Catalog:
        """The plan ``region``'s rows are checked against."""
        from ..config import COUNTY

        return self.catalogs.get(region, self.catalogs[COUNTY])


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
