"""The one table of units: what a value in each unit may be, how it is computed, how it is shown.

Every module that needs a fact about a unit reads it here: the intake's row checks, the
observations file loader, the demo generator, the assessment's projection bounds and the number
format. Before this module the facts were written four times and disagreed (the intake capped 岁
at 0-120 but the file loader did not; the file loader checked 女=100 against its numerator and
denominator but the intake did not). Now both paths check a value against :func:`value_range`
and a value with numerator and denominator against :func:`rate_multiplier`.

Examples:
    >>> get("‰").multiplier, get("岁").high, get("女=100").ratio_of_counts, get("元").high
    (1000.0, 120.0, True, 1000000000.0)
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Unit:
    """The facts about one unit.

    Attributes:
        code: the unit as written in the catalogue ("%", "‰", "1/10万", "岁", ...).
        low, high: the physical limits: a value outside them is an error.
        whole: the value is a count (a whole number).
        multiplier: ``value = numerator / denominator * multiplier`` if the unit is a rate or a ratio.
        share: the numerator is part of the denominator (a rate: it cannot exceed it).
        ratio_of_counts: numerator and denominator are two groups of one total (boys and girls
            among the births), modelled as a binomial share.
        bounds: natural bounds for projection, ``(low, high or None)``, or None for no bounds.
        plausible: above this a value is unusual for a county (a warning, not an error).
        zh, en: how the unit is written after a number ("6.1‰", "82.3岁" / "82.3 years").
    """

    code: str
    low: float = 0.0
    high: float = 1e9
    whole: bool = False
    multiplier: float | None = None
    share: bool = False
    ratio_of_counts: bool = False
    bounds: tuple[float, float | None] | None = (0.0, None)
    plausible: float | None = None
    zh: str | None = None
    en: str | None = None

    def display(self, lang: str = "zh") -> str:
        """The text after a number in ``lang``.

        Examples:
            >>> get("1/10万").display("en"), get("岁").display(), get("kg").display("en")
            (' per 100,000', '岁', ' kg')
        """
        shown = self.zh if lang == "zh" else self.en
        if shown is None:
            return self.code if lang == "zh" else f" {self.code}"
        return shown


def _count(code: str, en: str) -> Unit:
    """People, households, institutions in a county of about 550 000 people."""
    return Unit(code, 0.0, 1_000_000.0, whole=True, plausible=100_000.0, zh=code, en=en)


UNITS: dict[str, Unit] = {u.code: u for u in (
    Unit("%", 0.0, 100.0, multiplier=100.0, share=True, bounds=(0.0, 100.0), zh="%", en="%"),
    Unit("‰", 0.0, 1000.0, multiplier=1000.0, share=True, zh="‰", en="‰"),
    Unit("1/10万", 0.0, 100000.0, multiplier=100000.0, share=True, zh="/10万", en=" per 100,000"),
    Unit("1/万", plausible=1e6, zh="/万", en=" per 10,000"),
    Unit("岁", 0.0, 120.0, zh="岁", en=" years"),
    Unit("小时", 0.0, 24.0, zh="小时", en=" hours"),
    Unit("年", 0.0, 30.0, zh="年", en=" years"),
    Unit("万人", 0.0, 100.0, plausible=60.0, zh="万人", en=" × 10,000 persons"),
    Unit("女=100", 0.0, 1000.0, multiplier=100.0, ratio_of_counts=True, plausible=130.0, zh="", en=""),
    Unit("女厕位/男厕位", 0.0, 100.0, multiplier=1.0, plausible=5.0, zh="", en=""),
    _count("人", " persons"), _count("名", " persons"), _count("张", " beds"), _count("个", ""),
    _count("户", " households"),
    Unit("所", plausible=1e6, zh="所", en=""),
    Unit("次", plausible=1e6, zh="次", en=" times"),
)}
#: Any other unit: a number >= 0, no natural bound for projection.
DEFAULT = Unit("", plausible=1e6, bounds=None)
#: Units whose numerator and denominator are two groups of one total (for the assessment).
RATIO_OF_COUNTS_UNITS = tuple(code for code, u in UNITS.items() if u.ratio_of_counts)


#: Numerators and denominators: events and populations of a county.
COUNTS = Unit("分子/分母", 0.0, 1e8, plausible=1e7, bounds=None)
#: A count unit *per* something (每千名儿童拥有床位数（张）): not whole, at most this.
PER_HIGH, PER_PLAUSIBLE = 1000.0, 100.0


def get(unit: object, name: object = "") -> Unit:
    """The facts about ``unit`` (:data:`DEFAULT`, named ``unit``, for one not in the table).

    ``name``, the indicator's name, matters for a count unit (人, 个, 张, 名, 户): a count *per*
    something (its name contains 每, as in 每千名儿童拥有床位数) is not a whole number.

    Examples:
        >>> get(" ‰ ").code, get("kg").code, get("kg").bounds
        ('‰', 'kg', None)
        >>> get("张").whole, get("张", "每千名（0-14岁）儿童拥有床位数（张）").whole
        (True, False)
    """
    code = "" if unit is None else str(unit).strip()
    found = UNITS.get(code)
    if found is None:
        return Unit(code, DEFAULT.low, DEFAULT.high, plausible=DEFAULT.plausible, bounds=None)
    if found.whole and "每" in str(name or ""):
        return replace(found, high=PER_HIGH, whole=False, plausible=PER_PLAUSIBLE)
    return found


def known(unit: object) -> bool:
    """Whether ``unit`` is in the table (else any number >= 0 is accepted).

    Examples:
        >>> known("%"), known("kg")
        (True, False)
    """
    return ("" if unit is None else str(unit).strip()) in UNITS


def rate_multiplier(unit: object) -> float | None:
    """The factor in ``value = numerator / denominator * factor`` for a unit, if it is a rate.

    Examples:
        >>> rate_multiplier("‰"), rate_multiplier("1/10万"), rate_multiplier("万人")
        (1000.0, 100000.0, None)
    """
    return get(unit).multiplier


def agrees(value: float, computed: float) -> bool:
    """Whether a value agrees with the one computed from its numerator and denominator.

    The usual rounding is allowed: within 1% of the computed value, or 0.051 (a value given
    with one decimal).

    Examples:
        >>> agrees(2.0, 7 / 3500 * 1000), agrees(2.1, 2.0), agrees(95.5, 95.4), agrees(90.0, 95.0)
        (True, False, True, False)
    """
    return abs(value - computed) <= max(0.01 * abs(computed), 0.051)


def value_range(unit: object) -> tuple[float, float]:
    """The values a number in ``unit`` may take (outside them is an error).

    Examples:
        >>> value_range("%"), value_range("岁")
        ((0.0, 100.0), (0.0, 120.0))
    """
    u = get(unit)
    return u.low, u.high


def bounds_for_unit(unit: object) -> tuple[float, float | None] | None:
    """Natural bounds of a quantity for projection: percentages 0-100, rates and counts above 0.

    Examples:
        >>> bounds_for_unit("%"), bounds_for_unit("‰"), bounds_for_unit("kg")
        ((0.0, 100.0), (0.0, None), None)
    """
    return get(unit).bounds


def display(unit: object, lang: str = "zh") -> str:
    """How ``unit`` is written after a number (see :meth:`Unit.display`)."""
    return get(unit).display(lang)
