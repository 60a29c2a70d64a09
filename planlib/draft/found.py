"""What the readers find, and where in the plan they are: plan, domain, section, plan period.

:func:`walk` follows the headings of a plan document and tells every block which plan it
belongs to (妇女 / 儿童, from titles such as "石柱县儿童发展规划"), which domain (from headings such as
"（一）妇女与健康"), which kind of section (主要目标, 发展基础, 策略措施 ...) and the plan period
("（2021—2030年）").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from ..config import PLAN_END, PLAN_START
from ..i18n import DOMAIN_LABELS
from ..plandoc import Block


@dataclass(frozen=True)
class Found:
    """One target found in a plan, before it gets an id.

    Attributes:
        name: the indicator name as printed (a table's name cell keeps its unit in brackets).
        target_text: the target as printed (for "分别"/"均" lists: this indicator's share of it).
        unit: the unit, from the printed name or the target; "" if neither gives one.
        target_year: the year the target is for.
        attribute: "binding" / "expected" where the plan states it, else "".
        units: the responsible units where stated.
        domain: the domain, from the table's 类别 column or the chapter heading.
        plan: "women", "children" or "".
        number: the printed 序号 ("" in prose).
        form: "table" or "prose".
        source: the sentence or the table row, as printed.
        span: the part of ``source`` that was read, as (start, end).
        where_zh / where_en: the position in the document.
        notes: what the reader wants a person to check (Chinese, English pairs).
    """

    name: str
    target_text: str
    unit: str
    target_year: int
    attribute: str
    units: tuple[str, ...]
    domain: str
    plan: str
    number: str
    form: str
    source: str
    span: tuple[int, int]
    where_zh: str
    where_en: str
    notes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Skipped:
    """Something that looked like a target and was not drafted, with the reason."""

    text: str
    where_zh: str
    where_en: str
    reason_zh: str
    reason_en: str


@dataclass(frozen=True)
class Place:
    """Where a block stands in the plan."""

    plan: str = ""
    domain: str = ""
    section: str = ""  # "goals" | "basis" | "measures" | ""
    start: int = PLAN_START
    end: int = PLAN_END


_PERIOD = re.compile(r"[（(](20\d{2})\s*[—–\-－~至]+\s*(20\d{2})\s*年?[)）]")
_PLAN_TITLE = re.compile(r"(妇女|儿童)(?:发展)?(?:规划|纲要)")
_NUMBERING = re.compile(
    r"^\s*(?:第[一二三四五六七八九十]+[章节部分篇]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]"
    r"|\d+[、.．](?!\d)|[①-⑳]|——)\s*")
_DOMAIN = re.compile(r"^(?:妇女|儿童)(?:与|参与)[\u4e00-\u9fff]{2,10}$")
_SECTIONS = (
    ("goals", re.compile(r"^(?:主要目标|发展目标|总体目标|目标任务)")),
    ("basis", re.compile(r"^(?:发展基础|发展现状|基本情况|现状与问题|发展成就|面临形势|机遇与挑战|总体思路|指导思想|基本原则)")),
    ("measures", re.compile(r"^(?:策略措施|主要措施|重点任务|主要任务|保障措施|组织实施|监测评估|重点工程|实施保障)")),
)


def strip_numbering(text: str, expect: int | None = None) -> str:
    """A line without its list or heading number ("（一）", "1.", "——", "第二章").

    A number glued to a number ("8.5岁以下儿童…") is the item number only where the list
    expects it (``expect``, the number after the previous item's).

    Examples:
        >>> strip_numbering("（一）妇女与健康"), strip_numbering("2. 孕产妇死亡率下降"), strip_numbering("——妇女")
        ('妇女与健康', '孕产妇死亡率下降', '妇女')
        >>> strip_numbering("8.5岁以下儿童贫血患病率"), strip_numbering("8.5岁以下儿童贫血患病率", expect=8)
        ('8.5岁以下儿童贫血患病率', '5岁以下儿童贫血患病率')
    """
    if expect is not None and re.match(rf"{expect}[.．、]\d", text.strip()):
        return text.strip()[len(str(expect)) + 1:]
    return _NUMBERING.sub("", text, count=1).strip()


def item_number(text: str) -> int | None:
    """The list number a line starts with ("3." -> 3), or None.

    Examples:
        >>> item_number("3.新生儿"), item_number("（2）婴儿"), item_number("孕产妇")
        (3, 2, None)
    """
    m = re.match(r"^\s*[（(]?(\d{1,2})[）)]?[.．、]?(?=\D)", text)
    return int(m[1]) if m and re.match(r"^\s*(?:\d{1,2}[.．、]|[（(]\d{1,2}[）)])", text) else None


def is_title(line: str) -> bool:
    """Whether a line is a plan's title ("某县儿童发展规划（2021—2030年）")."""
    return len(set(_PLAN_TITLE.findall(line))) == 1 and len(line) <= 40


def domain_of(line: str) -> str | None:
    """The domain a heading names, or None.

    Examples:
        >>> domain_of("（一）妇女与健康"), domain_of("1. 儿童与安全。"), domain_of("孕产妇死亡率下降")
        ('妇女与健康', '儿童与安全', None)
    """
    text = strip_numbering(line).rstrip("。：:；;")
    if len(text) > 14:
        return None
    if _DOMAIN.match(text) or text in DOMAIN_LABELS:
        return text
    return None


def section_of(line: str) -> str | None:
    """The kind of section a heading opens ("goals", "basis", "measures"), or None.

    A heading naming both goals and measures ("主要目标和策略措施") opens neither.

    Examples:
        >>> section_of("（三）主要目标"), section_of("主要目标："), section_of("一、发展基础")
        ('goals', 'goals', 'basis')
        >>> section_of("二、发展领域、主要目标和策略措施") is None
        True
    """
    text = strip_numbering(line)
    if len(text) > 20 and not re.match(r"^(?:主要目标|策略措施)[:：]", text):
        return None
    kinds = [kind for kind, pattern in _SECTIONS if pattern.search(text)]
    if len(kinds) == 1:
        return kinds[0]
    return None


def has_goal_sections(blocks: list[Block]) -> bool:
    """Whether the plan marks its goals (主要目标): then only those parts are read as targets."""
    return any(b.kind == "line" and section_of(b.text) == "goals" for b in blocks)


def walk(blocks: list[Block]) -> Iterator[tuple[Block, Place]]:
    """Every block with its place: plan, domain, section and period, from the headings before it."""
    place = Place()
    for block in blocks:
        if block.kind == "line":
            place = _update(place, block.text)
        yield block, place


def _update(place: Place, line: str) -> Place:
    period = _PERIOD.search(line)
    titles = set(_PLAN_TITLE.findall(line))
    if is_title(line):
        plan = "women" if "妇女" in titles else "children"
        place = Place(plan=plan)  # a new plan starts: forget the other plan's domain and section
        if period:
            place = replace(place, start=int(period[1]), end=int(period[2]))
        return place
    if period and len(line) <= 40 and not titles:
        place = replace(place, start=int(period[1]), end=int(period[2]))
    domain = domain_of(line)
    if domain:
        return replace(place, domain=domain, section="")
    section = section_of(line)
    if section:
        return replace(place, section=section)
    return place


def plan_of_domain(domain: str) -> str:
    """The plan a domain label belongs to ("妇女与健康" -> "women"), "" if it does not say."""
    if domain.startswith("妇女"):
        return "women"
    if domain.startswith("儿童"):
        return "children"
    return ""
