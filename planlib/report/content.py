"""What one report holds, and the outline every writer follows: the report's lower layer.

:class:`ReportOptions` (what report), :class:`History` (what the store knows about the past) and
:class:`ReportData` (everything the report shows) are made by :mod:`planlib.report.build`; the writers
(:mod:`planlib.report.html`, :mod:`planlib.report.docx`, :mod:`planlib.report.xlsx`) and the chart
jobs (:mod:`planlib.report.charts`) only read them, with :func:`sections` and :func:`title`. This
module imports none of them, so the report's modules depend one way only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import tables as T
from .. import schema as S
from ..catalog import units_of
from .. import i18n
from ..config import COUNTY, MIDTERM_YEAR, PLAN_END, PLAN_START
from ..errors import PlanlibError, Problem

KINDS = ("annual", "midterm", "final")
#: As-of years whose projections the evaluations set against what happened.
EARLIER_YEARS = {"annual": (), "midterm": (2022, 2023), "final": (2022, MIDTERM_YEAR)}


@dataclass(frozen=True)
class ReportOptions:
    """What report to make.

    Attributes:
        year: the report's year (data up to this year are used).
        kind: ``annual``, ``midterm`` or ``final``.
        unit: narrow the report to one responsible unit (e.g. 县卫生健康委); None for all.
        lang: ``zh`` or ``en``.
        previous_report_date: when last year's report was made (``YYYY-MM-DD``); default
            30 June of ``year``.
        earlier_years: as-of years for the evaluations; default :data:`EARLIER_YEARS`.
        region: whose plan (default the home county); another region's report names it and
            its plan's title (``plan_title``, :func:`planlib.plans.title_of`).
        plan_title: the registered plan's title, if any.

    Examples:
        >>> ReportOptions(2025, "midterm").as_of_years, ReportOptions(2024).previous_date
        ((2022, 2023), '2024-06-30')
    """

    year: int
    kind: str = "annual"
    unit: str | None = None
    lang: str = "zh"
    previous_report_date: str | None = None
    earlier_years: tuple[int, ...] | None = None
    region: str = COUNTY
    plan_title: str | None = None

    def __post_init__(self) -> None:
        _check_choice("kind", self.kind, KINDS)
        _check_choice("lang", self.lang, ("zh", "en"))
        if not PLAN_START <= int(self.year) <= PLAN_END:
            raise PlanlibError(Problem(
                f"报告年份 {self.year} 不在规划期内", f"Report year {self.year} is outside the plan period",
                f"请填写 {PLAN_START} 至 {PLAN_END} 之间的年份。",
                f"Give a year from {PLAN_START} to {PLAN_END}.", column="--year", value=self.year))

    @property
    def previous_date(self) -> str:
        """The date last year's report was made."""
        return self.previous_report_date or f"{self.year}-06-30"

    @property
    def as_of_years(self) -> tuple[int, ...]:
        """Earlier as-of years whose projections an evaluation compares with what happened."""
        years = EARLIER_YEARS[self.kind] if self.earlier_years is None else self.earlier_years
        return tuple(y for y in years if y < self.year)


def _check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise PlanlibError(Problem(
            f"参数 {name} 的值无效", f"Invalid value for {name}",
            f"可用：{'、'.join(allowed)}。", f"Use one of: {', '.join(allowed)}.",
            column=name, value=value))


@dataclass(frozen=True)
class History:
    """What the monitoring store knows about the past (empty when there is no store).

    Attributes:
        vintage: the observations as known on the previous report's date, or None if the store
            holds nothing from that date.
        revisions: value changes made after that date (``planlib.store.REVISION_COLUMNS``).
        submissions: every imported file (``planlib.store.SUBMISSION_COLUMNS``).
    """

    vintage: pd.DataFrame | None = None
    revisions: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_REVISION_COLUMNS))
    submissions: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["department", "reporting_year"]))


_REVISION_COLUMNS = [S.INDICATOR_ID, S.REGION, S.YEAR, "old_value", "new_value", "changed_at",
                     "reason"]


@dataclass(frozen=True)
class ReportData:
    """Everything one report shows; the writers only lay it out.

    Attributes:
        options: what report this is.
        catalog: the indicators it covers (narrowed to the unit, if any).
        observations: their observations up to the report's year (county and national).
        table: :func:`planlib.report.tables.indicator_table`.
        previous: the assessment of last year's report.
        vintage_used: whether ``previous`` comes from the store's data as known then.
        revised: :func:`planlib.report.tables.revised_values`.
        submissions: the store's submissions (for missing submissions).
        projections: indicator id -> its county projection frame (for the charts).
        evaluation: mid-term/final only: :func:`evaluation_table`, else None.
        generated: the date the report was made (ISO).
        evidence: the calibration benchmark's results the method note quotes
            (:func:`planlib.report.method.load_evidence`); None: the note says they are missing.
    """

    options: ReportOptions
    catalog: pd.DataFrame
    observations: pd.DataFrame
    table: pd.DataFrame
    previous: pd.DataFrame
    vintage_used: bool
    revised: pd.DataFrame
    submissions: pd.DataFrame
    projections: dict
    evaluation: pd.DataFrame | None
    generated: str
    evidence: pd.DataFrame | None = None

    @property
    def demo(self) -> bool:
        """Whether any value the report shows is illustrative."""
        return bool(self.table[T.DEMO].any())

    @property
    def units(self) -> list[str]:
        """The responsible units the report covers."""
        return [self.options.unit] if self.options.unit else units_of(self.catalog)

    def rows_of_unit(self, unit: str) -> pd.DataFrame:
        """The rows of :attr:`table` whose indicators ``unit`` answers for."""
        return T.rows_of_unit(self.table, self.catalog, unit)

    def label(self, key: str, **fields) -> str:
        """A report label in the report's language."""
        return T.label(key, self.options.lang, **fields)

    def demo_label(self) -> str:
        """示例数据（非官方统计） in the report's language."""
        return S.DEMO_LABEL[self.options.lang]


# --- outline shared by the writers ------------------------------------------------------------

def sections(data: ReportData) -> list[tuple[str, str]]:
    """The report's top-level sections, in order, as ``(key, numbered heading)``.

    Keys: ``summary``, ``evaluation`` (mid-term/final), ``plan:women``, ``plan:children``
    (those the report covers), ``units``, ``quality``, ``method`` (the method note).
    """
    from ..i18n import PLAN_LABELS

    lang = data.options.lang
    keys = ["summary"] + (["evaluation"] if data.evaluation is not None else [])
    keys += [f"plan:{p}" for p in ("women", "children") if (data.table[S.PLAN] == p).any()]
    keys += ["units", "quality", "method"]
    out = []
    for i, key in enumerate(keys):
        num = _NUMERALS[i] if lang == "zh" else str(i + 1)
        if key.startswith("plan:"):
            heading = data.label("sec_plan", num=num, plan=PLAN_LABELS[key[5:]][lang])
        elif key == "evaluation":
            heading = data.label("sec_evaluation", num=num, kind=data.label(data.options.kind))
        else:
            heading = data.label(f"sec_{key}", num=num)
        out.append((key, heading))
    return out


_NUMERALS = "一二三四五六七八九十"


def title(data: ReportData) -> str:
    """The report's title, e.g. 石柱县妇女发展规划和儿童发展规划（2021—2030年）2024年度统计监测报告."""
    kind = data.label(f"kind_{data.options.kind}", year=data.options.year)
    return data.label("title", plans=plans_name(data.options), kind=kind)


def plans_name(options: ReportOptions) -> str:
    """The plans the report is about: the home county's shipped plans, or a region's own.

    Examples:
        >>> plans_name(ReportOptions(2024, region="丰都县", plan_title="丰都县规划"))
        '丰都县：丰都县规划'
    """
    if options.region == COUNTY and options.plan_title is None:
        return T.label("plans", options.lang)
    return T.label("plans_of_region", options.lang, region=i18n.region_label(options.region, options.lang),
                   title=options.plan_title or T.label("plans", options.lang))
