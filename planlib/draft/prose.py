"""Read targets stated in prose: "孕产妇死亡率控制在10/10万以下", lists, shares, changes.

A sentence is cut into clauses at "，" and "；". In each clause the reader looks for where a
target phrase may begin (:func:`planlib.targets.target_starts`: the grammar's own operators,
verbs, qualifiers and base years); what follows must read as a whole with
:func:`planlib.targets.parse_target`, and what comes before is the indicator's name. So the
grammar decides what a target is, and a number the grammar cannot read as one is never drafted.

Forms read:

* ``X控制在N以下``, ``X达到N%以上``, ``X逐步提高`` (directional targets only when X names an
  indicator: a rate, share, ratio, count or life expectancy, not "城乡差距");
* lists, ``X、Y和Z分别降至a、b和c以下`` and ``X和Y均达到N%以上``, the shared head of the names
  ("新生儿、婴儿和5岁以下儿童死亡率": 新生儿死亡率 ...) and a shared population
  ("5岁以下儿童贫血患病率和生长迟缓率") handed to every name;
* changes, ``比2020年下降N%``, ``以2020年为基数下降N%``, ``每年降低0.5到1个百分点``;
* a unit of assessment, before the target or in a clause of its own (``以县为单位，…``);
* a share as subject, ``90%以上的城乡社区建有儿童之家`` (indicator: 建有儿童之家的城乡社区比例);
* counts, ``每个乡镇（街道）至少配备1名儿童督导员`` (每个乡镇（街道）儿童督导员数, 至少配备1名)
  and frequencies, ``每年至少开展1次…``;
* ``到2030年`` (the target year; a target for another year is an interim one, listed, not drafted),
  and ``（约束性；责任单位：…）`` after a target.

Not targets: a clause with a year before the plan period ("2020年…达到91.5%", "由2015年的84%提高
到…"), a sentence saying where things stand (目前, 已经), counts of measures, dates, and a
percentage of something else ("不低于5%的福彩公益金用于…"). Those that look like targets (a
number and an operator) are listed as skipped, with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .. import i18n
from ..errors import PlanlibError
from ..plandoc import Block
from ..targets import NUMBER_WITH_UNIT, Target, parse_target, target_starts
from .found import (Found, Place, Skipped, domain_of, is_title, item_number, plan_of_domain, section_of,
                    strip_numbering)

_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")
_CLAUSE = re.compile(r"[^，,；;]+")
_NOTE = re.compile(r"[（(【\[]([^（）()【】\[\]]*?(?:约束性|预期性|责任单位|牵头单位)[^（）()【】\[\]]*)[）)】\]]")
_ATTRIBUTE = {"约束性": "binding", "预期性": "expected"}
_RESPONSIBLE = re.compile(r"(?:责任单位|牵头单位|责任部门)[:：]\s*([^；;）)]+)")
_TARGET_YEAR = re.compile(r"(?:到|至|截至|截止到?)(20\d{2})年(?:底|末)?|(20\d{2})年(?:底|末)?前")
_BARE_YEAR = re.compile(r"(?<![比较以与在到至])((?:19|20)\d{2})年(?!为基数|基础上|的基础上|相比|底前|末前|前)")
_NOW = re.compile(r"目前|现已|已经|已达|截至目前|现有|达到了|提高到了|增加到了|下降到了|降低到了|实现了")
_LEAD = re.compile(r"^(?:其中|并且|并|且|使|将|推动|促进|同时|进一步|全县|我县|全市|全区|本县|力争|确保|基本|要|均)+")
_TRAIL = re.compile(r"(?:要|总体|的|都|也|稳定|持续|逐步|进一步|继续|不断|稳步|力争|确保|基本|均)+$")
# A subject that starts with what is done (培训…不少于500人次) counts a measure, not an indicator.
_MEASURE = re.compile(r"^(?:每年|每个|每[一二三四五六七八九十\d]+年)?(?:培训|开展|举办|实施|建设|新建|改建|改扩建|创建|组织|完成|推进|"
                      r"建立|打造|培育|评选|表彰|资助|安排|投入|召开|发放|宣传)")
_SCOPE_ONLY = re.compile(r"^(?P<subject>.*?)(?P<scope>以[^为,，]{1,10}为(?:基本)?单位)$")
_HEAD = re.compile(r"(?:率|比例|比|占比|比重|寿命|年限|人数|数|数量|时间|指数|次数)$")
_HEAD_OF_LAST = re.compile(r"[^、和及与的中]{2}(?:率|比例|比重|占比)$")
_POPULATION = re.compile(
    r"^(?:\d+(?:[—\-－~～]\d+)?岁(?:以下|以上)?|适龄|城乡|农村|城镇|城市)*(?:儿童|妇女|女性|孕产妇|婴儿|新生儿|中小学生|"
    r"小学生|初中生|高中生|学生|青少年|老年妇女|女童|学龄前儿童)")
_INSTITUTIONS = (
    r"(?:城乡|城市|农村|全县|县级)?(?:村（社区）|村\(社区\)|社区|村|乡镇（街道）|乡镇\(街道\)|乡镇|街道|中小学校|中小学|学校|"
    r"幼儿园|托育机构|二级以上医院|医院|医疗机构|卫生院|妇幼保健机构|家庭|企业|用人单位|单位|机构|公共场所)")
_SHARE = re.compile(rf"^(?P<share>{NUMBER_WITH_UNIT.pattern}(?:及以上|以上)?)的(?P<who>{_INSTITUTIONS})"
                    r"(?P<pred>(?:建有|建立|建成|设立|设有|开设|配备|配有|实现|开展|拥有|达到|具备|提供)[^，,]+)$")
_COUNTED = re.compile(r"^(?:每(?:年|半年|季度|月|周|学期))?(?:至少|最少|不少于)")
_OWNER = re.compile(r"^每.{1,12}?(?:拥有|配备)")
_LOOKS_LIKE = re.compile(r"\d")
_BASELINE = i18n.both("skip_baseline", i18n.DRAFT_LABELS)
_LIST_OF_TARGETS = re.compile(r"\d(?:%|‰|名|张|个|次|所|人|岁|年)?、")  # "…达到1.12名、床位数": two targets


@dataclass
class _Sentence:
    """What carries from clause to clause inside one sentence."""

    place: Place
    block: Block
    source: str
    attribute: str = ""
    units: tuple[str, ...] = ()
    year: int | None = None
    baseline: bool = False
    subject: str = ""
    scope: str = ""
    known: Callable[[str], bool] | None = None
    found: list[Found] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def read_prose(items: list[tuple[Block, Place]], only_goals: bool,
               known: Callable[[str], bool] | None = None) -> tuple[list[Found], list[Skipped]]:
    """Targets stated in the lines of a plan, and what looked like one but was not drafted.

    Args:
        items: blocks with their places (:func:`planlib.draft.found.walk`).
        only_goals: read only the 主要目标 parts (a plan that marks them); else read every part
            but the 发展基础 (where things stand) and the 策略措施 (what will be done).
        known: whether a name is a known indicator (the vocabulary), to find the shared head of
            a list ("宫颈癌和乳腺癌人群筛查率": 人群筛查率).
    """
    found: list[Found] = []
    skipped: list[Skipped] = []
    expect = None  # the next list number, to tell "8.5岁以下…" (item 8) from a number
    for block, place in items:
        if block.kind != "line" or _heading(block.text):
            continue
        text = strip_numbering(block.text, expect)
        if text.startswith(("主要目标", "策略措施")) and text[4:5] in ("：", ":"):
            text = strip_numbering(text[5:], expect)  # "主要目标：1. 孕产妇死亡率…"
        number = item_number(block.text)
        expect = number + 1 if number is not None else None
        readable = place.section == "goals" if only_goals else place.section not in ("basis", "measures")
        for sentence in _SENTENCE.findall(text):
            f, s = read_sentence(sentence, place, block, known)
            if readable:
                found += f
                skipped += s
            else:
                why = _reason({"basis": "skip_basis", "measures": "skip_measures"}.get(
                    place.section, "skip_outside_goals"))
                skipped += [Skipped(x.source, x.where_zh, x.where_en, *why) for x in f]
                skipped += [Skipped(x.text, x.where_zh, x.where_en, *why) for x in s]
    return found, skipped


def _heading(line: str) -> bool:
    """A heading, a title or a box title: not a sentence to read."""
    return (line.startswith(("专栏", "表")) or is_title(line) or domain_of(line) is not None
            or (section_of(line) is not None and len(line) < 20))


def read_sentence(sentence: str, place: Place, block: Block | None = None,
                  known: Callable[[str], bool] | None = None) -> tuple[list[Found], list[Skipped]]:
    """The targets of one sentence.

    Examples:
        >>> found, _ = read_sentence("新生儿、婴儿和5岁以下儿童死亡率分别降至3.0‰、5.0‰和6.0‰以下。", Place())
        >>> [(f.name, f.target_text, f.unit) for f in found]
        [('新生儿死亡率', '降至3.0‰以下', '‰'), ('婴儿死亡率', '降至5.0‰以下', '‰'), ('5岁以下儿童死亡率', '降至6.0‰以下', '‰')]
        >>> found, skipped = read_sentence("2020年，孕产妇死亡率为9.8/10万。", Place())
        >>> found, skipped[0].reason_en
        ([], 'a statement of the base year or earlier, not a target')
    """
    block = block or Block("line", sentence)
    state = _Sentence(place, block, sentence.strip(), known=known)
    body = _take_notes(sentence, state)
    if _NOW.search(body):
        if _LOOKS_LIKE.search(body):
            state.skipped.append(_skip(state, *_reason("skip_current_state")))
        return [], state.skipped
    for m in _CLAUSE.finditer(body):
        _clause(m.group().strip(), state)
    return state.found, state.skipped


def _take_notes(sentence: str, state: _Sentence) -> str:
    """Take "（约束性；责任单位：…）" out of the sentence into the state."""
    for note in _NOTE.findall(sentence):
        for word, code in _ATTRIBUTE.items():
            if word in note:
                state.attribute = code
        m = _RESPONSIBLE.search(note)
        if m:
            state.units = tuple(u.strip() for u in re.split(r"[、，,\s]+", m[1]) if u.strip())
    return _NOTE.sub("", sentence).strip().rstrip("。！？!?")


def _clause(clause: str, state: _Sentence) -> None:
    if not clause:
        return
    clause = _take_years(clause, state)
    if state.baseline:  # listed once per sentence
        if _LOOKS_LIKE.search(clause) and not any(x.reason_en == _BASELINE[1] for x in state.skipped):
            state.skipped.append(_skip(state, *_BASELINE))
        return
    if not clause:
        return
    scope = _SCOPE_ONLY.match(clause)
    if scope:  # "以县为单位" alone, or "X以乡（镇）为单位" before "，达到98%以上"
        state.scope = scope["scope"]
        if scope["subject"]:
            state.subject = _clean(scope["subject"])
        return
    if _share(clause, state) or _targets(clause, state):
        return
    parts = re.split(r"(?<=[\d%‰名张个次所人岁年上下内右])、", clause)
    if len(parts) > 1 and "分别" not in clause and all(_targets(p, state) for p in parts):
        return
    if any(_LOOKS_LIKE.search(clause[p:]) for p in target_starts(clause)):
        state.skipped.append(_skip(state, *_reason("skip_unreadable", clause=clause)))


def _take_years(clause: str, state: _Sentence) -> str:
    m = _TARGET_YEAR.search(clause)
    if m:
        state.year = int(m[1] or m[2])
        clause = (clause[:m.start()] + clause[m.end():]).strip()
    for m in _BARE_YEAR.finditer(clause):
        year = int(m[1])
        if year < state.place.start:
            state.baseline = True
        else:
            state.year = year
    return _BARE_YEAR.sub("", clause).strip()


def _targets(clause: str, state: _Sentence) -> bool:
    """Read one clause; True if it gave targets."""
    for pos in target_starts(clause):
        rest = clause[pos:]
        subject = _clean(clause[:pos])
        if rest.startswith("分别"):
            if _respectively(subject or state.subject, rest[2:], state, clause):
                return True
            continue
        if rest.startswith("均") and subject:
            names = _names(subject, state.known)
            read = _read(rest[1:])
            if read and len(names) > 1:
                for name in names:
                    _add(name, read[0], state, clause)
                return True
        read = _read(rest)
        if read is None:
            continue
        text, target, noun = read
        name = subject or state.subject
        if not (name or noun) or not _names_indicator(name, target, noun):
            continue
        if noun:
            name = f"{name}{noun}{'次数' if target.unit == '次' else '数'}"
        elif target.kind == "threshold" and "覆盖" in text and not _HEAD.search(name):
            name += "覆盖率"
        if state.subject and subject and len(subject) <= 4 and _OWNER.match(state.subject):
            name = _OWNER.match(state.subject).group() + subject  # "、床位数增至3.17张"
        _add(name, text, state, clause)
        state.subject = name if not noun else state.subject
        return True
    return False


def _read(rest: str) -> tuple[str, Target, str] | None:
    """The target at the start of ``rest``: (text, target, counted noun); None if there is none."""
    target = _parse(rest)
    if target is not None:
        return rest, target, ""
    if _COUNTED.match(rest):  # "至少配备1名儿童督导员": the target, then what is counted
        for m in reversed(list(NUMBER_WITH_UNIT.finditer(rest))):
            head = rest[: m.end()]
            target = _parse(head)
            if target is not None and target.unit and rest[m.end():]:
                return head, target, rest[m.end():]
    return None


def _parse(text: str) -> Target | None:
    try:
        target = parse_target(text)
    except PlanlibError:
        return None
    return None if target.kind == "qualitative" else target


def _names_indicator(name: str, target: Target, noun: str) -> bool:
    """A directional target needs a name that is an indicator ("…率"), not "城乡差距"."""
    if len(name) > 40 or name.endswith("的") or _LIST_OF_TARGETS.search(name) or _MEASURE.match(name):
        return False
    if noun or (target.kind == "threshold" and target.unit == "%" and target.value == 100 and not target.op == "<="):
        return True  # a count of what is named after the number; 全覆盖 (the name gets 覆盖率)
    return bool(_HEAD.search(name) or (target.kind != "directional" and name.endswith("水平")))


def _respectively(subject: str, rest: str, state: _Sentence, clause: str) -> bool:
    """"X、Y和Z分别降至a、b和c以下": one target per name, the operator words shared."""
    numbers = list(NUMBER_WITH_UNIT.finditer(rest))
    names = _names(subject, state.known)
    if not numbers or len(names) != len(numbers):
        return False
    prefix, suffix = rest[: numbers[0].start()], rest[numbers[-1].end():]
    between = [rest[a.end(): b.start()] for a, b in zip(numbers, numbers[1:])]
    if any(sep not in ("、", "和", "及", "，", ",", "与") for sep in between):
        return False
    texts = [f"{prefix}{n.group()}{suffix}" for n in numbers]
    if any(_parse(t) is None for t in texts):
        return False
    for name, text in zip(names, texts):
        _add(name, text, state, clause)
    return True


def _names(subject: str, known: Callable[[str], bool] | None = None) -> list[str]:
    """The names of a list, each given the list's shared head and population.

    Examples:
        >>> _names("新生儿、婴儿和5岁以下儿童死亡率")
        ['新生儿死亡率', '婴儿死亡率', '5岁以下儿童死亡率']
        >>> _names("5岁以下儿童贫血患病率和生长迟缓率")
        ['5岁以下儿童贫血患病率', '5岁以下儿童生长迟缓率']
    """
    items = [p for p in re.split(r"、", subject) if p]
    if items:
        last = re.split(r"(?:和|及|与|以及)(?=[^和及与]+$)", items[-1], maxsplit=1)
        items = items[:-1] + [p for p in last if p]
    if len(items) < 2:
        return items
    head = _shared_head(items, known)
    if head:
        items = [i if _HEAD.search(i) else i + head for i in items[:-1]] + [items[-1]]
    population = _POPULATION.match(items[0])
    if population:
        items = [items[0]] + [i if _POPULATION.match(i) else population.group() + i for i in items[1:]]
    return items


def _shared_head(items: list[str], known: Callable[[str], bool] | None) -> str:
    """The head the last name of a list shares with the others: the longest tail of it that makes
    the first name a known indicator, else its last word ("…死亡率", "…女性比例")."""
    last = items[-1]
    if known is not None:
        for i in range(1, len(last) - 1):
            if known(items[0] + last[i:]):
                return last[i:]
    m = _HEAD_OF_LAST.search(last)
    return m.group() if m else ""


def _share(clause: str, state: _Sentence) -> bool:
    """"90%以上的城乡社区建有儿童之家": the share of those that do it is the indicator."""
    m = _SHARE.match(_LEAD.sub("", clause))
    if not m or _parse(m["share"]) is None or "%" not in m["share"]:
        return False
    _add(f"{m['pred']}的{m['who']}比例", m["share"], state, clause)
    return True


def _clean(subject: str) -> str:
    return _TRAIL.sub("", _LEAD.sub("", subject.strip(" ，,、"))).strip()


def _add(name: str, text: str, state: _Sentence, part: str) -> None:
    target = parse_target(text)
    if state.scope and target.scope is None:
        text = state.scope + text
    place = state.place
    year = state.year or place.end
    start = state.source.find(part)
    start = start if start >= 0 else 0
    found = Found(
        name=name, target_text=text, unit=target.unit or "", target_year=year, attribute=state.attribute,
        units=state.units, domain=place.domain, plan=place.plan or plan_of_domain(place.domain), number="",
        form="prose", source=state.source, span=(start, start + len(part)),
        where_zh=state.block.where_zh, where_en=state.block.where_en)
    if any(f.name == name for f in state.found):
        state.skipped.append(Skipped(
            f"{name}：{text}", found.where_zh, found.where_en, *_reason("skip_same_indicator")))
        return
    if year != place.end:
        state.skipped.append(Skipped(
            f"{name}：{text}（{year}年）", found.where_zh, found.where_en,
            *_reason("skip_interim", year=year, end=place.end)))
        state.subject = name
        return
    state.found.append(found)


def _reason(key: str, **fields) -> tuple[str, str]:
    """Why a passage was not drafted, in Chinese and English (:data:`planlib.i18n.DRAFT_LABELS`)."""
    return i18n.both(key, i18n.DRAFT_LABELS, **fields)


def _skip(state: _Sentence, zh: str, en: str) -> Skipped:
    return Skipped(state.source, state.block.where_zh, state.block.where_en, zh, en)
