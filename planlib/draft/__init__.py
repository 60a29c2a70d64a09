"""Draft an indicator catalogue from a plan document: ``planlib catalog draft PLAN --output c.csv``.

Module map:

* :mod:`planlib.plandoc` reads the document (text, Word, HTML, PDF) into lines and tables;
* :mod:`.found` follows its headings (plan, domain, 主要目标 / 发展基础 / 策略措施, plan period);
* :mod:`.tables` reads indicator tables (专栏), :mod:`.prose` reads targets stated in sentences;
* :mod:`.vocabulary` matches names to the shipped catalogue and the national outlines' indicators;
* :mod:`.review` writes the review page: every drafted row with its source, what was matched,
  how sure the draft is, and everything skipped that looked like a target.

This module puts the rows together: ids, units, English domain names, confidence, and writes
the catalogue only after it loads with :func:`planlib.catalog.load_catalog`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import schema as S
from .. import i18n
from ..errors import PlanlibError, problem
from ..files import atomic_path
from ..i18n import DOMAIN_LABELS, short_domain
from ..plandoc import read_plan
from ..targets import parse_target
from .found import Found, Skipped, has_goal_sections, walk
from .model import CONFIDENCE, DRAFT_COLUMNS, MATCHED, SOURCE_TEXT, SOURCE_WHERE, Draft  # noqa: F401
from .prose import read_prose
from .tables import read_tables
from .vocabulary import Match, Vocabulary

UNKNOWN_UNIT = "待定"
_PREFIX = {"women": "W", "children": "C"}
_SHARE_NAME = re.compile(r"(?:率|比例|占比|比重)$")


@dataclass(frozen=True)
class DraftConfig:
    """How a plan is drafted.

    Attributes:
        with_prose: also draft prose targets when the plan has indicator tables (by default the
            tables are the catalogue and prose targets are only listed in the review).
        fuzzy_cutoff: the similarity from which a name is shown as close to a known one.
        catalog_path / outline_path: the vocabularies (default: the shipped catalogue and
            ``data/outline_indicators.csv``).
    """

    with_prose: bool = False
    fuzzy_cutoff: float = 0.85
    catalog_path: str | None = None
    outline_path: str | None = None


def draft_catalog(path: str | os.PathLike, config: DraftConfig | None = None) -> Draft:
    """Read a plan document and draft its indicator catalogue.

    Args:
        path: the plan (``.txt`` UTF-8/GB18030, ``.docx``, ``.html``, ``.pdf`` with a text layer).
        config: see :class:`DraftConfig`.

    Returns:
        The :class:`Draft`; ``draft.catalog`` loads with :func:`planlib.load_catalog` once written.

    Raises:
        PlanlibError: the document cannot be read, or no target was found in it.
    """
    config = config or DraftConfig()
    blocks = read_plan(path)
    items = list(walk(blocks))
    table_rows, skipped = read_tables(items)
    vocab = Vocabulary(config.catalog_path, config.outline_path, cutoff=config.fuzzy_cutoff)
    prose_rows, prose_skipped = read_prose(items, only_goals=has_goal_sections(blocks), known=vocab.knows)
    skipped += prose_skipped
    rows, skipped = _usable(table_rows, path, skipped)
    if table_rows and not config.with_prose:
        skipped += [Skipped(f"{f.name}：{f.target_text}", f.where_zh, f.where_en,
                            *_note("skip_prose_with_tables"))
                    for f in prose_rows]
    else:
        rows += prose_rows
    if not rows:
        raise PlanlibError(problem(i18n.PLANDOC_LABELS, "nothing_to_draft", {"path": path}, file=str(path)))
    return _assemble(rows, skipped, str(path), vocab)


def _usable(rows: list[Found], path, skipped: list[Skipped]) -> tuple[list[Found], list[Skipped]]:
    """Table rows whose target the grammar reads; the others go to the review, with its message."""
    good = []
    for f in rows:
        try:
            parse_target(f.target_text)
        except PlanlibError as exc:
            p = exc.problems[0]
            skipped.append(Skipped(f"{f.name}：{f.target_text}", f.where_zh, f.where_en,
                                   f"{p.message_zh}{p.fix_zh}", f"{p.message_en} {p.fix_en}"))
            continue
        good.append(f)
    return good, skipped


def _assemble(rows: list[Found], skipped: list[Skipped], path: str, vocab: Vocabulary) -> Draft:
    used: set[str] = set()
    records, matches, notes = [], [], []
    suffixes: dict[tuple[str, str], int] = {}
    for f in rows:
        match = vocab.match(f.name, f.plan)
        sub = ""
        if f.form == "table" and f.number:
            n = suffixes.get((f.plan, f.number), 0)
            suffixes[(f.plan, f.number)] = n + 1
            sub = "" if n == 0 else chr(ord("a") + n)
        ident = _ident(f, match, sub, used)
        used.add(ident)
        unit, unit_notes = _unit(f, match)
        flags = list(f.notes) + unit_notes
        if f.form == "prose" and len(f.name) <= 4:
            flags.append(_note("note_short_name"))
        if not f.attribute:
            flags.append(_note("note_no_attribute"))
        if match is not None and match.score < 1.0:
            flags.append(_note("note_close_match", name=match.entry.name, ident=match.entry.ident))
        records.append(_record(f, ident, unit, match))
        matches.append(match)
        notes.append(tuple(flags))
    frame = pd.DataFrame(records, columns=DRAFT_COLUMNS)
    frame[CONFIDENCE] = [confidence(f, m, n) for f, m, n in zip(rows, matches, notes)]
    return Draft(frame, tuple(rows), tuple(matches), tuple(notes), tuple(skipped), path)


def _note(key: str, **fields) -> tuple[str, str]:
    """A (Chinese, English) note of :data:`planlib.i18n.DRAFT_LABELS`, formatted."""
    return i18n.both(key, i18n.DRAFT_LABELS, **fields)


def _ident(f: Found, match: Match | None, sub: str, used: set[str]) -> str:
    """The known id for an exact match; else a new one that cannot be mistaken for a known id."""
    if match is not None and match.score == 1.0 and match.entry.ident not in used:
        return match.entry.ident
    prefix = _PREFIX.get(f.plan, "X") + "X"
    if f.number.isdigit():
        candidate = f"{prefix}{int(f.number):02d}{sub}"
        if candidate not in used:
            return candidate
    n = 1
    while f"{prefix}{n:02d}" in used:
        n += 1
    return f"{prefix}{n:02d}"


def _unit(f: Found, match: Match | None) -> tuple[str, list[tuple[str, str]]]:
    if f.unit:
        return f.unit, []
    if match is not None and match.entry.unit:
        return match.entry.unit, [_note("note_unit_known", ident=match.entry.ident)]
    if _SHARE_NAME.search(f.name):
        return "%", [_note("note_unit_share")]
    return UNKNOWN_UNIT, [_note("note_no_unit")]


def _record(f: Found, ident: str, unit: str, match: Match | None) -> dict:
    exact = match is not None and match.score == 1.0 and match.entry.ident == ident
    return {
        S.INDICATOR_ID: ident, S.PLAN: f.plan, S.NUMBER: f.number, S.DOMAIN_ZH: f.domain,
        S.DOMAIN_EN: DOMAIN_LABELS.get(short_domain(f.domain), "") if f.domain else "",
        S.NAME_ZH: f.name, S.NAME_EN: match.entry.name_en if exact else "", S.UNIT: unit,
        S.TARGET_TEXT: f.target_text, S.TARGET_YEAR: f.target_year,
        S.ATTRIBUTE: f.attribute or S.EXPECTED, S.RESPONSIBLE_UNITS: ";".join(f.units),
        S.REFERENCE_INDICATOR: "", SOURCE_TEXT: f.source, SOURCE_WHERE: f.where_zh,
        CONFIDENCE: 0.0, MATCHED: f"{match.entry.ident} {match.entry.name} ({match.score:.2f})" if match else "",
    }


def confidence(f: Found, match: Match | None, notes: tuple[tuple[str, str], ...]) -> float:
    """How sure the draft is of a row, 0-1: a table cell 1.0, a sentence 0.9; less for each doubt.

    Doubts: a directional prose target (0.1: is the name an indicator?), a name only close to a
    known one (down to the similarity), a unit guessed (0.2) or missing (0.4).
    """
    score = 1.0 if f.form == "table" else 0.9
    if f.form == "prose" and parse_target(f.target_text).kind == "directional":
        score -= 0.1
    if match is not None and match.score < 1.0:
        score = min(score, match.score)
    english = " ".join(en for _, en in notes)
    if "guessed" in english:
        score -= 0.2
    if "no unit" in english:
        score -= 0.4
    return round(max(score, 0.0), 2)


def write_draft(draft: Draft, output: str | os.PathLike, review: str | os.PathLike | None = None) -> list[Path]:
    """Write the catalogue CSV (and the review page), only once the catalogue loads.

    The CSV is written to a temporary file first and checked with :func:`planlib.load_catalog`;
    a draft that does not load raises and leaves nothing behind.
    """
    from ..catalog import load_catalog
    from .review import review_html

    output = Path(output)
    written = [output]
    with atomic_path(output) as tmp:
        draft.catalog.to_csv(tmp, index=False, encoding="utf-8")
        load_catalog(tmp)  # raises: nothing is written
        if review:
            with atomic_path(review) as page:
                page.write_text(review_html(draft), encoding="utf-8")
            written.append(Path(review))
    return written


__all__ = ["DRAFT_COLUMNS", "Draft", "DraftConfig", "confidence", "draft_catalog", "write_draft"]
