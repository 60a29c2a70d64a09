"""The report's method note: what each status means, how the probability behind it is found, and
how often each status's cases met their target when the outcome was known.

Every number in the note is read from where the rule is defined (the assessment's
:func:`~planlib.assessment.status_meanings` and :func:`~planlib.assessment.special_rules` for
the cut-offs and the normal range of the sex ratio, :class:`ForecastConfig` for the trend margin,
:mod:`planlib.calibration` for the test design) or from the calibration
benchmark's results, ``data/calibration.csv`` (``benchmarks/calibration.py`` writes it). The
writers (HTML, Word, Excel) only lay out these frames and sentences.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import assessment, config, i18n
from ..assessment import special_rules  # noqa: F401  (the writers' one import of the note)
from ..calibration import (FAMILIES, FERTILITY, FIRST_YEAR, GOAL_YEAR, LAST_YEAR, OWN_RULE, POOLS,
    REAL, RELIABILITY_COLUMNS, SIMULATED)
from ..formats import MISSING, format_probability, format_share
from ..forecast import ForecastConfig
from ..schema import AT_RISK
from . import tables as T

#: The steps of "how the probability is found", in order (report labels).
HOW = ("how_projection", "how_step", "how_trend", "how_scale", "how_width")
#: The columns the note reads from ``data/calibration.csv``.
EVIDENCE_COLUMNS = (*RELIABILITY_COLUMNS, "draws", "seed")


def status_meanings(lang: str = "zh") -> pd.DataFrame:
    """Each status and what it means (:func:`planlib.assessment.status_meanings`), as a table.

    Examples:
        >>> status_meanings("en").iloc[2].tolist()
        ['At risk', 'The probability of meeting the target is at least 25% and below 75%']
    """
    rows = assessment.status_meanings(lang)
    return pd.DataFrame({T.label("col_status", lang): [r[1] for r in rows],
                         T.label("col_meaning", lang): [r[2] for r in rows]})


def how_lines(lang: str = "zh") -> list[str]:
    """How ``p_meet`` is found, one sentence per step (the trend margin of :class:`ForecastConfig`).

    Examples:
        >>> how_lines("en")[2].startswith("Backtested on the series itself, a trend is carried "
        ...                               "forward only when its errors are at least 10% smaller")
        True
    """
    margin = format_share(ForecastConfig().trend_margin)
    return [T.label(key, lang, margin=margin) for key in HOW]


def load_evidence(path: Path | None = None) -> pd.DataFrame | None:
    """``data/calibration.csv`` (:data:`planlib.calibration.RELIABILITY_COLUMNS` with ``draws``
    and ``seed``), or None when it is not there or lacks a column (the note then says so)."""
    path = Path(path or config.CALIBRATION_PATH)
    if not path.is_file():
        return None
    frame = pd.read_csv(path)
    return frame if set(EVIDENCE_COLUMNS) <= set(frame.columns) else None


def evidence_table(evidence: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The pooled rows of the evidence (:data:`planlib.calibration.POOLS`), then the families
    whose status comes from a rule of their own (:data:`~planlib.calibration.OWN_RULE`, the sex
    ratio at birth) without a mean probability, since their status does not come from it: data,
    status, cases, mean probability, share that met.

    Examples:
        >>> e = pd.DataFrame({"data": ["real", "real", "noisy_ratio"], "flag": ["not_flagged", "at_risk", "at_risk"],
        ...                   "n": [71, 38, 59], "mean_p_meet": [0.94, 0.52, 0.03], "share_met": [0.97, 0.34, 0.12]})
        >>> evidence_table(e, "en").to_numpy().tolist()[1:]
        [['Real series', 'At risk', '38', '52%', '34%'], ['Simulated sex ratios at birth (judged against the normal range)', 'At risk', '59', '—', '12%']]
    """
    shown = evidence[evidence["data"].isin([*POOLS, *OWN_RULE]) & (evidence["flag"] != "all")]
    order = {d: k for k, d in enumerate([*POOLS, *OWN_RULE])}
    rows = shown.iloc[shown["data"].map(order).argsort(kind="stable")]
    own = rows["data"].isin(OWN_RULE)
    return pd.DataFrame({
        T.label("col_data", lang): [_data_label(d, lang) for d in rows["data"]],
        T.label("col_status", lang): [_flag_label(f, lang) for f in rows["flag"]],
        T.label("col_cases", lang): [str(int(n)) for n in rows["n"]],
        T.label("col_mean_p", lang): [MISSING if o else format_probability(p)
                                      for o, p in zip(own, rows["mean_p_meet"])],
        T.label("col_share_met", lang): [format_share(s) for s in rows["share_met"]],
    })


def _data_label(data: str, lang: str) -> str:
    if data in OWN_RULE:
        return T.label("data_own_rule", lang, family=i18n.CALIBRATION_FAMILY_LABELS[data][lang])
    return T.label(f"data_{data}", lang)


def evidence_texts(evidence: pd.DataFrame | None, lang: str = "zh") -> tuple[str, str | None]:
    """The sentence before the evidence table (the test design) and the one after it (what the
    figures mean, and the known limit); without evidence, a sentence saying it is missing."""
    if evidence is None or not len(evidence):
        return T.label("evidence_missing", lang), None
    from ..forecast.backtest import FERTILITY_TEST

    def share(data: str, flag: str, column: str = "share_met") -> str:
        row = evidence[(evidence["data"] == data) & (evidence["flag"] == flag)]
        return format_share(row[column].iloc[0]) if len(row) else MISSING

    names = [f.name for f in FAMILIES if (evidence["data"] == f.name).any()]
    sep = T.label("list_sep", lang)
    wb = evidence[(evidence["data"] == FERTILITY) & (evidence["flag"] == "all")]
    intro = T.label(
        "evidence_intro", lang, k=len(names), draws=int(evidence["draws"].iloc[0]),
        families=sep.join(i18n.CALIBRATION_FAMILY_LABELS[n][lang] for n in names),
        first=FIRST_YEAR, last=LAST_YEAR, goal=GOAL_YEAR,
        n_wb=int(wb["n"].iloc[0]) if len(wb) else MISSING, wb_first=FERTILITY_TEST.fit_start,
        wb_last=FERTILITY_TEST.fit_end, wb_eval=FERTILITY_TEST.eval_year)
    note = T.label("evidence_note", lang, sim_risk=share(SIMULATED, AT_RISK),
                   real_risk=share(REAL, AT_RISK), steady_met=share("steady_trend", "all"),
                   steady_p=share("steady_trend", "all", "mean_p_meet"))
    return intro, note


def _flag_label(flag: str, lang: str) -> str:
    return T.label("flag_not_flagged", lang) if flag == "not_flagged" else i18n.STATUS_LABELS[flag][lang]
