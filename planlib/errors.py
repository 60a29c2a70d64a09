"""Errors for people: what is wrong, where, and how to fix it, in Chinese with English available."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import i18n


def _label(key: str, lang: str, **fields) -> str:
    text = i18n.t(key, lang, i18n.ERROR_LABELS)
    return text.format(**fields) if fields else text


@dataclass(frozen=True)
class Problem:
    """One problem found in input, located as precisely as we can.

    Attributes:
        message_zh: what is wrong, in Chinese.
        message_en: the same in English.
        fix_zh / fix_en: what to do about it.
        file, sheet, row, column: where (row is the 1-based row a person sees in Excel/CSV,
            header included, so the first data row of a CSV is row 2).
        value: the offending value as found.
        severity: ``"error"`` (blocks) or ``"warning"`` (reported, does not block).
    """

    message_zh: str
    message_en: str
    fix_zh: str = ""
    fix_en: str = ""
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    severity: str = "error"

    def where(self, lang: str = "zh") -> str:
        """Where the problem is, as a person finds it.

        Examples:
            >>> Problem("缺列", "missing", file="a.csv", row=3, column="value").where("en")
            'file a.csv, row 3, column value'
        """
        parts = [_label(key, lang, **{key: value}) for key, value in
                 (("file", self.file), ("sheet", self.sheet), ("row", self.row), ("column", self.column))
                 if value is not None and value != ""]
        return _label("separator", lang).join(parts)

    def text(self, lang: str = "zh") -> str:
        """The problem in one language: where, what, the value found, how to fix it.

        Examples:
            >>> Problem("值不是数字", "Not a number", "填写数字。", "Enter a number.",
            ...         file="a.csv", row=3, column="value", value="三").text("en")
            "file a.csv, row 3, column value: Not a number (value found: '三') How to fix: Enter a number."
            >>> Problem("值不是数字", "Not a number", row=3, value="三").text("zh")
            "第 3 行：值不是数字（发现的值：'三'）"
        """
        where = self.where(lang)
        msg = self.message_zh if lang == "zh" else self.message_en
        fix = self.fix_zh if lang == "zh" else self.fix_en
        out = _label("located", lang, where=where, message=msg) if where else msg
        if self.value is not None and str(self.value) != "":
            out += _label("value_found", lang, value=repr(self.value))
        if fix:
            out += _label("how_to_fix", lang, fix=fix)
        return out

    def as_dict(self, lang: str = "zh") -> dict:
        return {
            "severity": self.severity,
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": None if self.value is None else str(self.value),
            "message": self.message_zh if lang == "zh" else self.message_en,
            "fix": self.fix_zh if lang == "zh" else self.fix_en,
        }


def problem(table: dict, key: str, fields: dict | None = None, **where) -> Problem:
    """A :class:`Problem` worded by an i18n table: ``table[key]`` says what is wrong and
    ``table[key + "_fix"]`` (if there is one) what to do, both formatted with ``fields`` (a field
    that differs by language is given as ``{"zh": ..., "en": ...}``).

    Examples:
        >>> table = {"empty": {"zh": "“{col}”为空", "en": "'{col}' is empty"},
        ...          "empty_fix": {"zh": "填写该单元格。", "en": "Fill in this cell."}}
        >>> problem(table, "empty", {"col": "unit"}, row=3).text("en")
        "row 3: 'unit' is empty How to fix: Fill in this cell."
    """
    fields = fields or {}

    def say(k: str, lang: str) -> str:  # a field may itself be {"zh": ..., "en": ...}
        own = {name: v[lang] if isinstance(v, dict) else v for name, v in fields.items()}
        return i18n.t(k, lang, table).format(**own)

    fix = key + "_fix"
    return Problem(say(key, "zh"), say(key, "en"), say(fix, "zh") if fix in table else "",
                   say(fix, "en") if fix in table else "", **where)


class PlanlibError(ValueError):
    """Raised for bad input. Carries one or more :class:`Problem`; ``str()`` is Chinese then English."""

    def __init__(self, problems: Problem | list[Problem]):
        self.problems: list[Problem] = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__(self.text("zh") + "\n" + self.text("en"))

    def text(self, lang: str = "zh") -> str:
        return "\n".join(p.text(lang) for p in self.problems)


@dataclass
class ProblemList:
    """Collects problems while checking a whole input, then raises them all at once."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise PlanlibError(self.errors)
