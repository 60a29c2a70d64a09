"""Known indicator names, to suggest an id and a unit for a drafted row.

Two sources: the shipped catalogue (``data/catalog.csv``: Shizhu's 90 indicators) and the
national outlines' indicators (``data/outline_indicators.csv``, with the outline and section each
comes from). Names are compared after dropping a trailing unit in brackets, spaces, full-width
forms and a leading "全县"/"我县"; an exact comparison wins, otherwise the closest name whose
similarity (``difflib``) reaches the cut-off, and the review shows how sure the match is.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from .. import schema as S
from ..config import CATALOG_PATH, DATA_DIR

OUTLINE_PATH = DATA_DIR / "outline_indicators.csv"


@dataclass(frozen=True)
class Entry:
    """One known indicator: the id to suggest, its printed name, unit, plan and where it is from."""

    ident: str
    name: str
    unit: str
    plan: str
    domain: str
    name_en: str
    source: str


@dataclass(frozen=True)
class Match:
    """A drafted name's nearest known indicator; ``score`` 1.0 is an exact match."""

    entry: Entry
    score: float
    key: str


def name_key(name: str) -> str:
    """The comparable form of an indicator name.

    Examples:
        >>> name_key("孕产妇死亡率（1/10万）"), name_key("全县 城乡居民健康素养水平"), name_key("0-6岁儿童")
        ('孕产妇死亡率', '城乡居民健康素养水平', '0—6岁儿童')
    """
    s = unicodedata.normalize("NFKC", name)
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"\([^()]{1,8}\)$", "", s)
    s = re.sub(r"^(?:全县|我县|本县|全市|我市|全区|全省|全国)", "", s)
    s = re.sub(r"(?<=\d)[-~―–－](?=\d)", "—", s)
    return s.replace("(", "（").replace(")", "）")


@lru_cache(maxsize=4)
def _entries(catalog_path: str, outline_path: str) -> tuple[Entry, ...]:
    from ..catalog import load_catalog

    out: list[Entry] = []
    catalog = load_catalog(catalog_path)
    for row in catalog.to_dict("records"):
        out.append(Entry(row[S.INDICATOR_ID], row[S.NAME_ZH], row[S.UNIT], row[S.PLAN], row[S.DOMAIN_ZH],
                         row[S.NAME_EN], "石柱县妇女/儿童发展规划（2021—2030年）专栏一"))
    outline = pd.read_csv(outline_path, dtype=str, keep_default_na=False)
    for row in outline.to_dict("records"):
        ident = row["catalog_id"] or row["vocab_id"]
        for name in [row["name_zh"], *filter(None, row["aliases"].split(";"))]:
            out.append(Entry(ident, name, row["unit"], row["plan"], row["domain_zh"], "", row["source"]))
    return tuple(out)


class Vocabulary:
    """Known names, looked up by :meth:`match`.

    Examples:
        >>> v = Vocabulary()
        >>> m = v.match("孕产妇死亡率", plan="women")
        >>> (m.entry.ident, m.entry.unit, m.score)
        ('W03', '1/10万', 1.0)
        >>> v.match("儿童伤害死亡率").entry.ident
        'NC18'
        >>> v.match("某县特色指标") is None
        True
    """

    def __init__(self, catalog_path=None, outline_path=None, cutoff: float = 0.85) -> None:
        self.entries = _entries(str(catalog_path or CATALOG_PATH), str(outline_path or OUTLINE_PATH))
        self.cutoff = cutoff
        self._by_key: dict[str, list[Entry]] = {}
        for entry in self.entries:
            self._by_key.setdefault(name_key(entry.name), []).append(entry)

    def knows(self, name: str) -> bool:
        """Whether a name is exactly a known indicator's."""
        return name_key(name) in self._by_key

    def match(self, name: str, plan: str = "") -> Match | None:
        """The known indicator a name is, or is closest to; None below the cut-off."""
        key = name_key(name)
        exact = self._by_key.get(key)
        if exact:
            return Match(_prefer(exact, plan), 1.0, key)
        close = difflib.get_close_matches(key, self._by_key, n=3, cutoff=self.cutoff)
        if not close:
            return None
        best = close[0]
        score = difflib.SequenceMatcher(None, key, best).ratio()
        return Match(_prefer(self._by_key[best], plan), round(score, 2), best)


def _prefer(entries: list[Entry], plan: str) -> Entry:
    """The shipped catalogue's entry first, then one of the same plan."""
    same = [e for e in entries if e.plan == plan] or entries
    return next((e for e in same if not e.ident.startswith("N")), same[0])
