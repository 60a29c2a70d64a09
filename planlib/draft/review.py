"""The review page of a catalogue draft: a self-contained HTML file a statistician reads and acts on.

For every drafted row: its id, name, target as printed and as read, unit, year, attribute,
responsible units, domain, the source sentence or table row with the part read marked, where it
is, the known indicator it matched, the confidence, and what to check. Then everything skipped
that looked like a target, with the reason. Labels in Chinese and English (:mod:`planlib.i18n`).
"""

from __future__ import annotations

from html import escape

from .. import schema as S
from ..i18n import DRAFT_LABELS, t
from ..targets import Target, parse_target
from .model import CONFIDENCE, Draft

_STYLE = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border:1px solid #ccc;padding:4px;vertical-align:top}
th{background:#f0f0f0}mark{background:#ffe08a}.low{background:#fde2d6}.flag{color:#b34700}
"""


def describe(target: Target) -> str:
    """A target as read, in symbols: "≥ 95 %", "≤ 10 1/10万 (以县为单位)", "↓ 10 % vs 2020".

    Examples:
        >>> describe(parse_target("以县为单位降低到1‰以下"))
        '≤ 1 ‰（以县为单位）'
        >>> describe(parse_target("每年降低0.5到1个百分点"))
        '↓ 0.5–1 个百分点 / 年'
        >>> describe(parse_target("比2020年下降10%"))
        '↓ 10 %（比2020年）'
    """
    sym = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}
    arrow = {"up": "↑", "down": "↓", None: ""}[target.direction]
    unit = f" {target.unit}" if target.unit else ""
    if target.change is not None:
        lo, hi = (f"{x:g}" for x in target.change)
        amount = lo if lo == hi else f"{lo}–{hi}"
        out = f"{arrow} {amount} {target.change_unit}"
        out += " / 年" if target.per_year else f"（比{target.base_year}年）" if target.base_year else ""
    elif target.kind == "threshold":
        out = f"{sym[target.op]} {target.value:g}{unit}"
    elif target.kind in ("approx", "balance"):
        lo, hi = target.band
        out = f"{lo:g}–{hi:g}{unit}"
    elif target.kind == "relative":
        out = f"{sym.get(target.op, '≈')} {target.reference}"
    elif target.kind == "directional":
        out = f"{arrow}{'（逐年）' if target.every_year else ''}"
    else:
        out = "定性"
    if target.scope:
        out += f"（以{target.scope}为单位）"
    if target.frequency:
        out += f"（{target.frequency}）"
    return out


def review_html(draft: Draft, lang: str = "zh") -> str:
    """The review page of a draft, as one HTML document."""
    L = lambda key: escape(t(key, lang, DRAFT_LABELS))  # noqa: E731
    head = ["col_id", "col_name", "col_target", "col_read", "col_unit", "col_year", "col_attribute",
            "col_units", "col_domain", "col_source", "col_where", "col_match", "col_confidence", "col_check"]
    rows = []
    for (rec, found, match, notes) in zip(draft.catalog.to_dict("records"), draft.rows, draft.matches, draft.notes):
        a, b = found.span
        source = escape(found.source[:a]) + "<mark>" + escape(found.source[a:b]) + "</mark>" + escape(found.source[b:])
        matched = (f"{escape(match.entry.ident)} {escape(match.entry.name)}<br><small>{escape(match.entry.source)}"
                   f"（{match.score:.2f}）</small>") if match else L("no_match")
        flags = "<br>".join(escape(zh if lang == "zh" else en) for zh, en in notes)
        low = ' class="low"' if rec[CONFIDENCE] < 0.8 else ""
        cells = [rec[S.INDICATOR_ID], rec[S.NAME_ZH], rec[S.TARGET_TEXT], describe(parse_target(rec[S.TARGET_TEXT])),
                 rec[S.UNIT], rec[S.TARGET_YEAR], t(rec[S.ATTRIBUTE], lang, DRAFT_LABELS),
                 rec[S.RESPONSIBLE_UNITS].replace(";", "、"), rec[S.DOMAIN_ZH]]
        tds = "".join(f"<td>{escape(str(c))}</td>" for c in cells)
        where = escape(found.where_zh if lang == "zh" else found.where_en)
        rows.append(f"<tr{low}>{tds}<td>{source}</td><td>{where}</td><td>{matched}</td>"
                    f"<td>{rec[CONFIDENCE]:.2f}</td><td class=\"flag\">{flags}</td></tr>")
    skipped = "".join(
        f"<tr><td>{escape(s.text)}</td><td>{escape(s.where_zh if lang == 'zh' else s.where_en)}</td>"
        f"<td>{escape(s.reason_zh if lang == 'zh' else s.reason_en)}</td></tr>" for s in draft.skipped)
    n_table = sum(f.form == "table" for f in draft.rows)
    summary = t("summary", lang, DRAFT_LABELS).format(
        file=draft.path, n=len(draft.rows), tables=n_table, prose=len(draft.rows) - n_table, skipped=len(draft.skipped))
    return (
        f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        f"<title>{L('title')}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{L('title')}</h1><p>{escape(summary)}</p><p>{L('howto')}</p>"
        f"<h2>{L('drafted')}</h2><table><thead><tr>{''.join(f'<th>{L(h)}</th>' for h in head)}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f"<h2>{L('skipped')}</h2><table><thead><tr><th>{L('col_text')}</th><th>{L('col_where')}</th>"
        f"<th>{L('col_reason')}</th></tr></thead><tbody>{skipped}</tbody></table></body></html>"
    )
