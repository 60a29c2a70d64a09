"""The target grammar: turn a printed 2030 target ("≥ 92", "45左右", "逐年提高") into a structured one.

A printed target is read by a table of rules, each a regular expression with a builder; the first
rule whose expression matches the whole (normalised) text decides. Normalising first makes spacing,
full-width characters (``＞＜≥≤＝ ０-９ ．％``), ASCII operators (``>=``, ``<=``) and the variants
``≦``/``≧`` irrelevant. Text that no rule reads raises :class:`~planlib.errors.PlanlibError`; only
the explicitly qualitative phrases (保持合理比例, 保持合理) become ``kind="qualitative"``.

Kinds of target and how each phrasing is read:

* ``threshold``: ``≥ 92``, ``< 8``, ``≤ 2``, ``90%以上`` (>= 90: 以上/以下/以内 include the number),
  ``5‰以下`` (<= 5), ``控制在…以内`` (<=), ``低于`` (<), ``高于``/``超过`` (>), ``不超过``/``不高于``
  (<=), ``不低于`` (>=), ``稳定在/保持在…以上`` (>=), ``达到90`` (>= 90), ``全覆盖`` (>= 100), and a
  bare number such as ``100``, read as "reach it" (>= 100). A target of zero (``0``, ``达到0``)
  reads as "no more than zero" (<= 0), since ">= 0" would be met by any rate.
* ratios ``a:b`` such as ``不低于2:3`` are thresholds on the second term per unit of the first,
  ``b / a``, the way "男女厕位比例1:1.5" gives the female positions per male position; so
  ``不低于2:3`` is ``>= 1.5`` and keeps ``ratio=(2.0, 3.0)``.
* ``approx``: ``45左右`` (or ``约45``), a band ``value ± tolerance`` where the tolerance follows
  :class:`TargetConfig` (by default 5 % of the value, at least 1 unit: ``45左右`` is 42.75-47.25).
* ``directional``: ``提高``/``提升``/``逐步提高``/``巩固提高``/``增加`` (up), ``降低``/``明显降低``/
  ``下降``/``减少``/``得到控制`` (down); ``逐年提高`` is up with ``every_year=True``.
* ``relative``: ``≥县党员总数中女性比例`` (op ``>=``, reference the quantity named), and
  ``与女职工比例相适应`` (op ``"~"``: within the approximate tolerance of the reference value).
* ``balance``: ``趋于平衡`` (the sex ratio at birth), met inside the normal band of
  :class:`TargetConfig` (103-107 boys per 100 girls), stored as its centre ``value`` and half-width
  ``tolerance``.
* ``qualitative``: ``保持合理比例``, ``保持合理``; one value never decides them.

Phrasings of other plans, read on top of these:

* baseline-relative changes, ``比2020年下降10%``, ``以2020年为基数提高5个百分点``, ``较2020年减少
  20%以上``: kind ``directional`` (what a series alone can show) carrying ``base_year`` and
  ``change`` (the smallest and largest change asked for, as magnitudes) in ``change_unit`` (``%``:
  relative to the base value; ``个百分点``: in the indicator's own unit). ``is_met`` decides them
  when given ``base_value=`` (the value in ``base_year``), and gives None without it.
* yearly changes, ``每年降低0.5到1个百分点``, ``年均增长2%``: the same with ``per_year=True``
  (每年 also sets ``every_year``); ``is_met`` needs ``base_value=`` and ``years=`` (years since the
  base). A range ("0.5到1") is met by at least its smaller end.
* words before the number that do not change it: 力争, 确保, 基本, 逐步, 均, 要 (kept in
  ``qualifier``): ``逐步达到80%以上`` is ``>= 80``; ``达到并保持在95%以上`` is ``>= 95``.
* a unit of assessment, ``以县为单位降低到1‰以下``, ``以乡（镇）为单位…``: kept in ``scope``
  (the threshold holds for each such unit); the threshold itself is read as usual.
* ``增至3.17张`` (>= 3.17), ``至少配备1名`` (>= 1), and frequencies, ``每年至少开展1次``
  (>= 1, ``frequency="每年"``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from . import i18n
from .errors import PlanlibError, Problem, problem
from .formats import is_missing
from .schema import TARGET_TEXT

KINDS = ("threshold", "approx", "directional", "relative", "balance", "qualitative")
OPS = (">=", ">", "<=", "<", "~", None)


@dataclass(frozen=True)
class TargetConfig:
    """How loosely ``左右`` and ``趋于平衡`` are read.

    Attributes:
        approx_relative: half-width of a ``左右`` band as a share of the value (0.05 = ±5 %).
        approx_minimum: the smallest half-width, in the indicator's unit (so ``2左右`` is 1-3).
        balance_low: lower end of the balanced band for ``趋于平衡``. The default 103-107 boys
            per 100 girls is the sex ratio at birth found where births are not selected by sex.
        balance_high: upper end of that band.
        equality_eps: values within this share of the threshold (absolute, for thresholds
            below 1) count as equal to it, so that floating point noise (82.30000000000001)
            does not decide ``≥82.3`` or ``< 8``.

    Examples:
        >>> TargetConfig().approx_tolerance(45)
        2.25
        >>> TargetConfig().approx_tolerance(10)
        1.0
        >>> TargetConfig(approx_relative=0.1).approx_tolerance(40)
        4.0
    """

    approx_relative: float = 0.05
    approx_minimum: float = 1.0
    balance_low: float = 103.0
    balance_high: float = 107.0
    equality_eps: float = 1e-9

    def __post_init__(self) -> None:
        if min(self.approx_relative, self.approx_minimum, self.equality_eps) < 0:
            raise PlanlibError(problem(i18n.TARGET_LABELS, "negative_tolerance", value=self))
        if not self.balance_low < self.balance_high:
            raise PlanlibError(problem(i18n.TARGET_LABELS, "balance_band",
                                       value=(self.balance_low, self.balance_high)))

    def approx_tolerance(self, value: float) -> float:
        """Absolute half-width of the ``左右`` band around ``value``."""
        return max(self.approx_relative * abs(value), self.approx_minimum)


@dataclass(frozen=True)
class Target:
    """A printed target, structured.

    Attributes:
        kind: "threshold" | "approx" | "directional" | "relative" | "balance" | "qualitative".
        op: ">=", ">", "<=", "<" (threshold, relative), "~" (relative: about equal), else None.
        value: the number, unit stripped (threshold, approx; balance: the band's centre).
        tolerance: absolute half-width of the band (approx, balance).
        direction: which way is better, "up" or "down"; None where neither is.
        every_year: True for 逐年 (each year must improve on the one before).
        reference: for a relative target, the quantity it refers to, as printed.
        text: the original text.
        ratio: for ``a:b`` targets, ``(a, b)``; ``value`` is then ``b / a``.
        unit: the unit printed with the number ("%", "‰", "1/10万", ...), if any.
        base_year: for a change relative to a base year (比2020年下降10%), that year.
        change: for a change target, the ``(smallest, largest)`` change asked for, as magnitudes
            (the direction says which way); ``(10.0, 10.0)`` for "下降10%".
        change_unit: ``"%"`` (relative to the base value) or ``"个百分点"`` (absolute, in the
            indicator's unit) for change targets.
        per_year: True when the change is per year (每年降低0.5到1个百分点, 年均增长2%).
        scope: the unit of assessment stated before the threshold (以县为单位: "县").
        frequency: for a count per period (每年至少开展1次), the period ("每年").
        qualifier: words before the number that do not change it (力争, 确保, 基本, 逐步, 均, 要).
        config: the :class:`TargetConfig` it was read with.
    """

    kind: str
    op: str | None = None
    value: float | None = None
    tolerance: float | None = None
    direction: str | None = None
    every_year: bool = False
    reference: str | None = None
    text: str = ""
    ratio: tuple[float, float] | None = None
    unit: str | None = None
    base_year: int | None = None
    change: tuple[float, float] | None = None
    change_unit: str | None = None
    per_year: bool = False
    scope: str | None = None
    frequency: str | None = None
    qualifier: str | None = None
    config: TargetConfig = field(default_factory=TargetConfig, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS or self.op not in OPS or self.direction not in ("up", "down", None):
            raise ValueError(f"invalid Target(kind={self.kind!r}, op={self.op!r}, direction={self.direction!r})")

    @property
    def better(self) -> str | None:
        """Which way is better: "up", "down", or None (bands, qualitative, about-equal).

        Examples:
            >>> parse_target("< 8").better
            'down'
            >>> parse_target("45左右").better is None
            True
        """
        return self.direction

    @property
    def meaning(self) -> tuple:
        """What the target asks for, without how it was printed (text, qualifier, config).

        Two printings mean the same target when their ``meaning`` is equal.

        Examples:
            >>> parse_target("逐步达到80%以上").meaning == parse_target("≥80%").meaning
            True
            >>> parse_target("达到80%").meaning == parse_target("达到80").meaning  # the unit counts
            False
        """
        numbers = (self.value, self.tolerance)
        return (self.kind, self.op, *(None if x is None else round(x, 9) for x in numbers), self.direction,
                self.every_year, self.reference, self.ratio, self.unit, self.base_year, self.change,
                self.change_unit, self.per_year, self.scope, self.frequency)

    @property
    def band(self) -> tuple[float, float] | None:
        """The closed interval that meets an approx or balance target, else None.

        Examples:
            >>> parse_target("趋于平衡").band
            (103.0, 107.0)
        """
        if self.kind not in ("approx", "balance"):
            return None
        return (self.value - self.tolerance, self.value + self.tolerance)

    def is_met(self, value: float | None, reference_value: float | None = None, *,
               base_value: float | None = None, years: float | None = None) -> bool | None:
        """Whether one value meets the target; None where one value cannot decide.

        Args:
            value: the observed (or projected) value.
            reference_value: for a relative target, the value of the quantity it refers to.
            base_value: for a change target (比2020年下降10%, 每年降低1个百分点), the value in
                the base year.
            years: for a yearly change, the number of years from the base year to ``value``'s.

        Directional and qualitative targets, missing values, relative targets without the
        reference value and change targets without the base value (or, per year, ``years``)
        give None.

        Examples:
            >>> parse_target("< 8").is_met(8)
            False
            >>> parse_target("≤ 2").is_met(2)
            True
            >>> parse_target("45左右").is_met(46.5)
            True
            >>> parse_target("提高").is_met(50) is None
            True
            >>> parse_target("≥县党员总数中女性比例").is_met(30, reference_value=28)
            True
            >>> t = parse_target("比2020年下降10%")
            >>> t.is_met(9.0) is None, t.is_met(9.0, base_value=10.0), t.is_met(9.5, base_value=10.0)
            (True, True, False)
            >>> parse_target("每年降低0.5到1个百分点").is_met(18.0, base_value=20.0, years=4)
            True
        """
        if is_missing(value):
            return None
        if self.change is not None:
            return self._change_met(float(value), base_value, years)
        if self.kind in ("threshold", "approx", "balance"):
            return _compare(float(value), self.op or "~", self.value, self.tolerance, self.config)
        if self.kind == "relative" and not is_missing(reference_value):
            ref = float(reference_value)
            tol = self.config.approx_tolerance(ref) if self.op == "~" else None
            return _compare(float(value), self.op, ref, tol, self.config)
        return None

    def goal(self, base_value: float, years: float | None = None) -> float | None:
        """The level a change target asks for, given the base value; None if it cannot say.

        The smaller end of a range is the commitment ("每年降低0.5到1个百分点": 0.5 a year).

        Examples:
            >>> parse_target("以2020年为基数提高5个百分点").goal(60.0)
            65.0
            >>> round(parse_target("年均下降2%").goal(100.0, years=2), 2)
            96.04
        """
        if self.change is None or is_missing(base_value) or (self.per_year and is_missing(years)):
            return None
        n = float(years) if self.per_year else 1.0
        sign = 1.0 if self.direction == "up" else -1.0
        step = self.change[0]
        if self.change_unit == "%":
            return float(base_value) * (1.0 + sign * step / 100.0) ** n
        return float(base_value) + sign * step * n

    def _change_met(self, value: float, base_value: float | None, years: float | None) -> bool | None:
        goal = self.goal(base_value, years) if not is_missing(base_value) else None
        if goal is None:
            return None
        return _compare(value, ">=" if self.direction == "up" else "<=", goal, None, self.config)


def _compare(x: float, op: str, y: float, tol: float | None, config: TargetConfig) -> bool:
    eps = config.equality_eps * max(1.0, abs(y))
    if op == "~":
        return abs(x - y) <= tol + eps
    return {">=": x >= y - eps, ">": x > y + eps, "<=": x <= y + eps, "<": x < y - eps}[op]


# --- normalising ----------------------------------------------------------------------------------

_CHAR_MAP = str.maketrans({"≦": "≤", "≧": "≥", "⩽": "≤", "⩾": "≥", "−": "-", "∶": ":", "﹕": ":"})


def normalize_text(text: str) -> str:
    """Fold full-width forms and operator variants, and drop insignificant whitespace.

    Whitespace between two digits is kept (as one space) so that "15 1/10万" cannot silently
    become 151; everything else, including line breaks inside a word ("巩固\\n\\n提高"), goes.
    (A unit glued to the number, "151/10万", can only read as 151 per 100 000: print it "15/10万"
    or "15（1/10万）".)

    Examples:
        >>> normalize_text("＞＝ ８２．３ ％")
        '≥82.3%'
        >>> normalize_text("巩固\\n\\n提高")
        '巩固提高'
    """
    s = unicodedata.normalize("NFKC", text).translate(_CHAR_MAP)
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"(?<!\d) | (?!\d)", "", s)
    s = s.replace(">=", "≥").replace("<=", "≤")
    return s.rstrip("。；;，,")


# --- the vocabulary -------------------------------------------------------------------------------

# Operator prefixes. "hard" ones fix the operator; "soft" ones give a default a suffix may override.
_HARD = {
    "≥": ">=", "≤": "<=", ">": ">", "<": "<",
    "不低于": ">=", "不少于": ">=", "不小于": ">=", "高于": ">", "超过": ">", "多于": ">", "大于": ">",
    "不高于": "<=", "不超过": "<=", "不多于": "<=", "不大于": "<=", "低于": "<", "少于": "<", "小于": "<",
    "至少": ">=", "最少": ">=", "至多": "<=", "最多": "<=",
}
_REACH_UP = ("达到", "达", "为", "=", "提高到", "提高至", "提升到", "提升至", "增加到", "增加至", "实现",
             "增至", "增长到", "增长至", "上升到", "上升至", "升至")
# What is counted may be named by its verb between the operator and the number (至少配备1名).
_ACTIONS = ("配备", "配有", "开展", "举办", "组织", "接受", "参加", "建有", "设立", "设置", "建成", "拥有", "有")
_REACH_DOWN = ("控制在", "控制到", "降低到", "降低至", "下降到", "下降至", "降至", "减少到", "减少至")
_SOFT = {**{p: "reach" for p in _REACH_UP}, **{p: "<=" for p in _REACH_DOWN}, "约": "~", "大约": "~"}
# Holding prefixes say nothing about the operator: the suffix must (稳定在95%以上).
_HOLD = {p: None for p in ("稳定在", "保持在", "维持在", "达到并保持在", "达到并稳定在", "达到并维持在",
                           "并保持在", "保持")}
_SUFFIX = {"及以上": ">=", "以上": ">=", "及以下": "<=", "以下": "<=", "以内": "<=", "左右": "~"}
_UNITS = {
    "%": "%", "‰": "‰", "‱": "‱", "1/10万": "1/10万", "/10万": "1/10万", "1/万": "1/万",
    "/万": "1/万", "1/千": "1/千", "/千": "1/千", "岁": "岁", "年": "年", "万人": "万人", "人": "人",
    "张": "张", "名": "名", "个": "个", "户": "户", "所": "所", "小时": "小时", "次": "次", "人次": "人次",
}
_MODS = "逐年|每年|逐步|持续|稳步|不断|进一步|继续|明显|显著|有所|大幅|巩固|稳定"
_UP = "提高|提升|增加|上升|增长|扩大|改善|延长"
_DOWN = "降低|下降|减少|减小|缩小|得到有效控制|得到控制|有效控制"
_CJK = r"[\u4e00-\u9fff]"


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NUM = r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?|-?\.\d+"
_PREFIX = _alt([*_HARD, *_SOFT, *_HOLD])
_NUMERIC = re.compile(
    rf"(?P<prefix>{_PREFIX})?(?:{_alt(_ACTIONS)})?(?P<num>{_NUM})(?::(?P<den>{_NUM}))?"
    rf"(?:\((?P<punit>{_alt(_UNITS)})\)|(?P<unit>{_alt(_UNITS)}))?(?P<suffix>{_alt(_SUFFIX)})?"
)


# Changes: relative to a base year, or per year. "0.5到1" is a range of the change.
_CHANGE = (rf"(?:{_MODS})*(?:(?P<up>提高|提升|增加|增长|上升)|(?P<down>下降|降低|减少))"
           rf"(?P<lo>{_NUM})(?:(?:到|至|-|~)(?P<hi>{_NUM}))?(?P<cunit>%|个百分点)(?:以上)?")
_BASE = (r"(?:(?:比|较|相比)(?P<base>\d{4})年(?:末|底)?(?:水平)?|以(?P<base2>\d{4})年为基数,?"
         r"|与(?P<base3>\d{4})年相比,?|在(?P<base4>\d{4})年(?:的)?基础上)")
_PER_YEAR = r"(?P<per>每年|逐年|年均|平均每年)"

# Context around a threshold that does not change it: 以县为单位, 力争, 每年 (before a count).
_SCOPE = re.compile(r"以(?P<scope>[^为,，]{1,10})为(?:基本)?单位[,，]?")
_QUALIFIERS = ("力争", "确保", "基本", "逐步", "均", "要", "全部", "总体")
_FREQUENCY = re.compile(rf"(?P<freq>每(?:年|半年|季度|月|周|学期))(?=至少|最少|不少于|{_alt(_ACTIONS)})")


# --- builders -------------------------------------------------------------------------------------

def _qualitative(m: re.Match, config: TargetConfig) -> Target:
    return Target("qualitative")


def _balance(m: re.Match, config: TargetConfig) -> Target:
    centre = (config.balance_low + config.balance_high) / 2
    return Target("balance", value=centre, tolerance=config.balance_high - centre)


def _directional(m: re.Match, config: TargetConfig) -> Target:
    every_year = bool(re.search("逐年|每年", m["mods"]))
    return Target("directional", direction="up" if m["up"] else "down", every_year=every_year)


def _full_coverage(m: re.Match, config: TargetConfig) -> Target:
    return Target("threshold", op=">=", value=100.0, direction="up", unit="%")


def _relative_approx(m: re.Match, config: TargetConfig) -> Target:
    return Target("relative", op="~", reference=m["ref"])


def _relative(m: re.Match, config: TargetConfig) -> Target:
    op = _HARD.get(m["prefix"], ">=")  # 达到全国平均水平: at least the reference
    return Target("relative", op=op, direction=_direction(op), reference=m["ref"])


def _numeric(m: re.Match, config: TargetConfig) -> Target | None:
    value, ratio = _number(m["num"]), None
    if m["den"] is not None:
        ratio = (value, _number(m["den"]))
        if ratio[0] == 0:
            return None
        value = ratio[1] / ratio[0]
    op = _resolve_op(m["prefix"], m["suffix"], value)
    if op is None:
        return None
    unit = _UNITS.get(m["punit"] or m["unit"] or "")
    if op == "~":
        return Target("approx", value=value, tolerance=config.approx_tolerance(value), ratio=ratio, unit=unit)
    return Target("threshold", op=op, value=value, direction=_direction(op), ratio=ratio, unit=unit)


def _change(m: re.Match, config: TargetConfig) -> Target | None:
    lo = _number(m["lo"])
    hi = _number(m["hi"]) if m["hi"] is not None else lo
    if not 0 < lo <= hi:
        return None
    groups = m.groupdict()
    base = next((groups[g] for g in ("base", "base2", "base3", "base4") if groups.get(g)), None)
    per = groups.get("per")
    return Target("directional", direction="up" if m["up"] else "down", every_year=per in ("每年", "逐年"),
                  base_year=int(base) if base else None, change=(lo, hi), change_unit=m["cunit"],
                  per_year=per is not None)


def _number(s: str) -> float:
    return float(s.replace(",", ""))


def _direction(op: str) -> str | None:
    return {">=": "up", ">": "up", "<=": "down", "<": "down"}.get(op)


def _resolve_op(prefix: str | None, suffix: str | None, value: float) -> str | None:
    """Combine the operator word before the number with the one after it; None if they clash."""
    after = _SUFFIX.get(suffix) if suffix else None
    if prefix in _HARD:
        hard = _HARD[prefix]
        return hard if after is None or _direction(hard) == _direction(after) else None
    if after is not None:
        return after
    if prefix in _HOLD:
        return None  # 稳定在 95 without 以上/以下/左右: ambiguous
    default = _SOFT.get(prefix, "reach") if prefix else "reach"
    if default == "reach":
        return "<=" if value == 0 else ">="
    return default


Builder = Callable[[re.Match, TargetConfig], "Target | None"]
RULES: list[tuple[re.Pattern, Builder]] = [
    (re.compile(r"保持合理(?:比例|水平)?"), _qualitative),
    (re.compile(r"(?:逐步)?趋(?:于|向)平衡"), _balance),
    (re.compile(rf"(?P<mods>(?:{_MODS})*)(?:(?P<up>{_UP})|(?P<down>{_DOWN}))"), _directional),
    (re.compile(_BASE + _CHANGE), _change),
    (re.compile(_PER_YEAR + _CHANGE), _change),
    (re.compile(r"(?:实现|达到)?(?:全覆盖|100%覆盖)"), _full_coverage),
    (re.compile(rf"与(?P<ref>\D*{_CJK}{{2}}\D*?)(?:相适应|相当|相匹配|持平)"), _relative_approx),
    (_NUMERIC, _numeric),
    (re.compile(rf"(?P<prefix>{_alt([*_HARD, '达到'])})(?P<ref>\D*{_CJK}{{2}}\D*)"), _relative),
]
"""The grammar: (expression matching the whole normalised text, builder). First match wins."""


# --- finding targets in prose (planlib.draft reads plan text with these) ---------------------------

_START_WORDS = [
    *(w for w in _HARD), *(w for w in _REACH_UP if w not in ("为", "=")), *_REACH_DOWN, *_HOLD,
    *_QUALIFIERS, *_MODS.split("|"), *_UP.split("|"), *_DOWN.split("|"), "分别", "全覆盖", "100%覆盖",
    "趋于平衡", "趋向平衡", "每年", "逐年", "年均", "平均每年",
]
_START = re.compile(rf"{_alt(_START_WORDS)}|(?:比|较|相比|与|以|在)\d{{4}}年|以[^为,，]{{1,10}}为(?:基本)?单位")
#: A number with the unit printed after it ("3.0‰", "10/10万", "90%", "1.12名").
NUMBER_WITH_UNIT = re.compile(rf"(?:{_NUM})(?::(?:{_NUM}))?(?:{_alt(_UNITS)})?")


def target_starts(text: str) -> list[int]:
    """Where in a clause a target phrase may begin: its operator, verb, qualifier or base year.

    The words are the grammar's own, so prose is searched with exactly what :func:`parse_target`
    reads.

    Examples:
        >>> target_starts("孕产妇死亡率控制在10/10万以下")
        [6]
        >>> [("儿童伤害死亡率以2020年为基数下降20%")[i:i + 2] for i in target_starts("儿童伤害死亡率以2020年为基数下降20%")]
        ['以2', '下降']
    """
    return sorted({m.start() for m in _START.finditer(text)})


def parse_target(text: str, config: TargetConfig | None = None) -> Target:
    """Read a printed target.

    Args:
        text: the target as printed, e.g. "≥ 92", "45左右", "逐年提高", "90%以上".
        config: how loosely 左右 and 趋于平衡 are read; defaults to :class:`TargetConfig`.

    Returns:
        The structured :class:`Target` (``text`` keeps the original).

    Raises:
        PlanlibError: the text is empty or no rule of the grammar reads it.

    Examples:
        >>> t = parse_target("≥ 92")
        >>> (t.kind, t.op, t.value, t.better)
        ('threshold', '>=', 92.0, 'up')
        >>> parse_target("100").is_met(99.9)
        False
        >>> t = parse_target("45左右")
        >>> (t.kind, t.value, t.tolerance, t.band)
        ('approx', 45.0, 2.25, (42.75, 47.25))
        >>> t = parse_target("逐年提高")
        >>> (t.kind, t.direction, t.every_year)
        ('directional', 'up', True)
        >>> t = parse_target("不低于2:3")
        >>> (t.op, t.value, t.ratio)
        ('>=', 1.5, (2.0, 3.0))
        >>> t = parse_target("5‰以下")
        >>> (t.op, t.value, t.unit)
        ('<=', 5.0, '‰')
        >>> parse_target("与女职工比例相适应").reference
        '女职工比例'
    """
    config = config or TargetConfig()
    if isinstance(text, str):
        normal = normalize_text(text)
        target = _read(normal, config)
        if target is None:
            core, context = _split_context(normal)
            target = _read(core, config) if context else None
            # context only ever qualifies a number or a direction, never a qualitative phrase
            target = replace(target, **context) if target and target.kind != "qualitative" else None
        if target is not None:
            return replace(target, text=text, config=config)
    raise PlanlibError(_unreadable(text))


def _read(normal: str, config: TargetConfig) -> Target | None:
    for pattern, build in RULES:
        m = pattern.fullmatch(normal)
        target = build(m, config) if m else None
        if target is not None:
            return target
    return None


def _split_context(normal: str) -> tuple[str, dict]:
    """Take off what stands around a threshold without changing it: scope, qualifiers, frequency.

    Examples:
        >>> _split_context("力争以县为单位降低到1‰以下")
        ('降低到1‰以下', {'qualifier': '力争', 'scope': '县'})
        >>> _split_context("每年至少开展1次")
        ('至少开展1次', {'frequency': '每年'})
    """
    context: dict = {}
    core, before = normal, None
    while core != before:
        before = core
        m = _SCOPE.match(core)
        if m and "scope" not in context:
            context["scope"] = m["scope"].replace("(", "（").replace(")", "）")  # as printed
            core = core[m.end():]
        for word in _QUALIFIERS:
            if core.startswith(word) and len(core) > len(word) and "qualifier" not in context:
                context["qualifier"], core = word, core[len(word):]
        m = _FREQUENCY.match(core)
        if m and "frequency" not in context:
            context["frequency"], core = m["freq"], core[m.end():]
    return core, context


def _unreadable(text: object) -> Problem:
    return problem(i18n.TARGET_LABELS, "unreadable", {"text": {"zh": text, "en": repr(text)}},
                   column=TARGET_TEXT, value=text)
