"""Errors for people: what is wrong, where, and how to fix it, in Chinese with English available."""

from __future__ import annotations

from dataclasses import dataclass, field


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
        parts = []
        zh = lang == "zh"
        if self.file:
            parts.append(f"文件 {self.file}" if zh else f"file {self.file}")
        if self.sheet:
            parts.append(f"工作表 {self.sheet}" if zh else f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"第 {self.row} 行" if zh else f"row {self.row}")
        if self.column:
            parts.append(f"列 {self.column}" if zh else f"column {self.column}")
        return ("，" if zh else ", ").join(parts)

    def text(self, lang: str = "zh") -> str:
        zh = lang == "zh"
        where = self.where(lang)
        msg = self.message_zh if zh else self.message_en
        fix = self.fix_zh if zh else self.fix_en
        out = f"{where}：{msg}" if (where and zh) else (f"{where}: {msg}" if where else msg)
        if self.value is not None and str(self.value) != "":
            out += f"（发现的值：{self.value!r}）" if zh else f" (value found: {self.value!r})"
        if fix:
            out += f" 处理办法：{fix}" if zh else f" How to fix: {fix}"
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
