"""The report as one self-contained HTML page.

Everything the page needs is inside the file: the styles, the Vega, Vega-Lite and Vega-Embed
libraries (:func:`vl_convert.javascript_bundle`, inlined in a ``<script>``) and each chart's
Vega-Lite specification with its data. The page loads nothing from any other host, so it opens
offline from a file share or an e-mail attachment. Charts are drawn as SVG, a few at a time after
the page has loaded, so that a long report stays responsive.

When the report holds illustrative data, a fixed banner 示例数据（非官方统计） stays at the top of
the window and of every printed page.
"""

from __future__ import annotations

import functools
import html
import json
import os

import pandas as pd

from .. import i18n
from . import format as F
from . import tables as T
from .. import schema as S
from .content import ReportData, sections, title

_CSS = """
:root { --ink: #1a1a1a; --muted: #555; --rule: #d9d9d9; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
       "WenQuanYi Micro Hei", sans-serif; color: var(--ink); margin: 0; line-height: 1.6; }
main { max-width: 1080px; margin: 0 auto; padding: 1.5rem 1.25rem 4rem; }
body.demo main { padding-top: 3.5rem; }
.demo-banner { position: fixed; top: 0; left: 0; right: 0; z-index: 10; text-align: center;
  background: #fff3cd; color: #7a4b00; border-bottom: 2px solid #E69F00; padding: .45rem;
  font-weight: 700; letter-spacing: .05em; }
h1 { font-size: 1.6rem; line-height: 1.35; }
h2 { font-size: 1.35rem; border-bottom: 2px solid var(--ink); padding-bottom: .2rem;
     margin-top: 2.5rem; }
h3 { font-size: 1.15rem; margin-top: 1.8rem; }
h4 { font-size: 1rem; margin: 0 0 .3rem; }
.meta, .note { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid var(--rule); padding: .3rem .45rem; text-align: left;
         vertical-align: top; }
th { background: #f2f2f2; }
td.num { text-align: right; white-space: nowrap; }
.indicator { border-left: 6px solid var(--status, #999); padding: .5rem .9rem; margin: 1rem 0;
  background: #fafafa; page-break-inside: avoid; }
.badge { display: inline-block; border: 1px solid var(--status, #999); border-radius: 3px;
  padding: 0 .4rem; margin-left: .5rem; font-size: .85rem; background: #fff; }
.chart { min-height: 200px; overflow-x: auto; }
nav ol { columns: 2; }
@media print { .demo-banner { position: fixed; } nav { display: none; }
               h2 { page-break-before: always; } }
"""

_RENDER_JS = """
(function () {
  var specs = JSON.parse(document.getElementById("chart-specs").textContent);
  var ids = Object.keys(specs);
  function next() {
    var batch = ids.splice(0, 4);
    batch.forEach(function (id) {
      var el = document.getElementById("chart-" + id);
      if (el) { vegaEmbed(el, specs[id], {actions: false, renderer: "svg", mode: "vega-lite"}); }
    });
    if (ids.length) { setTimeout(next, 0); }
  }
  next();
})();
"""


@functools.lru_cache(maxsize=1)
def vega_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed as one script (~1 MB).

    Making it takes ~2 s, so it is made once per vl-convert version and kept beside the drawn
    charts (:data:`planlib.charts.RENDER_CACHE`); without a writable cache it is made each time.
    """
    import vl_convert

    from ..charts import RENDER_CACHE

    path = RENDER_CACHE / f"vega-bundle-{vl_convert.__version__}.js"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    bundle = vl_convert.javascript_bundle()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(bundle, encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass
    return bundle


def render_html(data: ReportData, specs: dict[str, dict]) -> str:
    """The whole report as one HTML document.

    Args:
        data: the report's content (:func:`planlib.report.build.prepare`).
        specs: indicator id -> the Vega-Lite specification of its chart.

    Returns:
        The page as text (UTF-8 when written).
    """
    lang = data.options.lang
    body = [_header(data), _toc(data)]
    for key, heading in sections(data):
        body.append(f'<section id="{_anchor(key)}"><h2>{_e(heading)}</h2>{_section(data, key)}</section>')
    banner = f'<div class="demo-banner" role="note">{_e(data.demo_label())}</div>' if data.demo else ""
    charts = {k: _clean_spec(v) for k, v in specs.items()}
    payload = json.dumps(charts, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title(data))}</title><style>{_CSS}</style></head>"
        f'<body class="{"demo" if data.demo else ""}">{banner}<main>{"".join(body)}</main>'
        f"<script>{_script_safe(vega_bundle())}</script>"
        f'<script type="application/json" id="chart-specs">{payload}</script>'
        f"<script>{_RENDER_JS}</script></body></html>\n")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _script_safe(code: str) -> str:
    return code.replace("</script", "<\\/script")


def _anchor(key: str) -> str:
    return key.replace(":", "-")


def _clean_spec(spec: dict) -> dict:
    """The spec without its ``$schema`` address (the page refers to no outside host)."""
    return {k: v for k, v in spec.items() if k != "$schema"}


def _header(data: ReportData) -> str:
    parts = [f"<h1>{_e(title(data))}</h1>"]
    if data.options.unit:
        parts.append(f'<p class="meta">{_e(data.label("unit_scope", unit=data.options.unit))}</p>')
    generated = data.label("generated", date=data.generated, year=data.options.year)
    parts.append(f'<p class="meta">{_e(generated)}</p>')
    parts.append(f'<p class="note">{_e(data.label("draft_note"))}</p>')
    return "<header>" + "".join(parts) + "</header>"


def _toc(data: ReportData) -> str:
    items = "".join(f'<li><a href="#{_anchor(k)}">{_e(h)}</a></li>' for k, h in sections(data))
    return f"<nav><ol>{items}</ol></nav>"


def table_html(frame: pd.DataFrame, numeric: tuple[str, ...] = ()) -> str:
    """A frame of text as an HTML table (headings from the column names, cells escaped).

    Examples:
        >>> table_html(pd.DataFrame({"指标": ["<a>"], "值": ["1"]}), numeric=("值",))[-72:]
        '<tbody><tr><td>&lt;a&gt;</td><td class="num">1</td></tr></tbody></table>'
    """
    head = "".join(f"<th>{_e(c)}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        cells = "".join(f'<td class="num">{_e(v)}</td>' if c in numeric else f"<td>{_e(v)}</td>"
                        for c, v in zip(frame.columns, values))
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _section(data: ReportData, key: str) -> str:
    if key == "summary":
        return _summary(data)
    if key == "evaluation":
        return _evaluation(data)
    if key.startswith("plan:"):
        return _plan(data, key[5:])
    return _units(data) if key == "units" else _quality(data)


def _p(text: str, cls: str = "") -> str:
    return f'<p class="{cls}">{_e(text)}</p>' if cls else f"<p>{_e(text)}</p>"


def _summary(data: ReportData) -> str:
    lang, table = data.options.lang, data.table
    counts = F.counts_frame(T.status_counts(table, [S.PLAN]), [S.PLAN], lang)
    domains = F.counts_frame(T.status_counts(table, [S.PLAN, T.DOMAIN]), [S.PLAN, T.DOMAIN], lang)
    risky = T.binding_at_risk(table)
    parts = [f"<h3>{_e(data.label('binding_risk'))}</h3>",
             table_html(F.indicator_rows(risky, lang)) if len(risky) else _p(data.label("binding_none")),
             f"<h3>{_e(data.label('counts_plan'))}</h3>", table_html(counts),
             f"<h3>{_e(data.label('counts_domain'))}</h3>", table_html(domains),
             f"<h3>{_e(data.label('changes'))}</h3>", _changes(data)]
    return "".join(parts)


def _changes(data: ReportData) -> str:
    lang, opts = data.options.lang, data.options
    key = "changes_basis" if data.vintage_used else "changes_no_vintage"
    parts = [_p(data.label(key, date=opts.previous_date, year=opts.year - 1), "note"),
             f"<h4>{_e(data.label('status_changes'))}</h4>"]
    changes = T.status_changes(data.table, data.previous)
    parts.append(table_html(F.changes_frame(changes, lang)) if len(changes)
                 else _p(data.label("no_status_changes")))
    parts.append(f"<h4>{_e(data.label('revised'))}</h4>")
    parts.append(table_html(F.revised_frame(data.revised, lang)) if len(data.revised)
                 else _p(data.label("no_revised")))
    return "".join(parts)


def _plan(data: ReportData, plan: str) -> str:
    rows = data.table[data.table[S.PLAN] == plan]
    parts = []
    for domain, group in rows.groupby(T.DOMAIN, sort=False):
        parts.append(f"<h3>{_e(domain)}</h3>")
        parts.extend(_indicator(data, row) for row in group.to_dict("records"))
    return "".join(parts)


def _indicator(data: ReportData, row: dict) -> str:
    lang, iid = data.options.lang, row[S.INDICATOR_ID]
    facts, status = F.indicator_text(row, lang)
    colour = i18n.STATUS_COLORS.get(row[T.STATUS], "#999999")
    badge = f'<span class="badge">{_e(F.status_text(row[T.STATUS], lang))}</span>'
    return (f'<article class="indicator" id="{_e(iid)}" style="--status: {colour}">'
            f"<h4>{_e(iid)} {_e(row[T.NAME])}{badge}</h4>{_p(facts)}{_p(status)}"
            f'<div class="chart" id="chart-{_e(iid)}"></div></article>')


def _units(data: ReportData) -> str:
    lang, parts = data.options.lang, []
    for unit in T.unit_overview(data.table, data.catalog, data.units).to_dict("records"):
        parts += [f"<h3>{_e(unit['unit'])}</h3>",
                  table_html(F.indicator_rows(data.rows_of_unit(unit["unit"]), lang)),
                  _p(data.label("unit_behind") + F.id_list(unit["behind"], lang)),
                  _p(data.label("unit_no_data", year=data.options.year) + F.id_list(unit["no_data"], lang))]
    return "".join(parts)


def _quality(data: ReportData) -> str:
    lang, year = data.options.lang, data.options.year
    missing_units = T.missing_submissions(data.units, data.submissions, year)
    overview = T.unit_overview(data.table, data.catalog, data.units)
    missing = F.missing_frame(overview, year, lang)
    demo = T.demo_values(data.observations, data.table, year)
    parts = [f"<h3>{_e(data.label('missing_submissions', year=year))}</h3>",
             _p(data.label("no_submission_units", year=year) + F.id_list(missing_units, lang)),
             f"<h4>{_e(data.label('missing_values', year=year))}</h4>",
             table_html(missing) if len(missing) else _p(data.label("no_missing_values", year=year)),
             f"<h3>{_e(data.label('revised_quality'))}</h3>",
             table_html(F.revised_frame(data.revised, lang)) if len(data.revised)
             else _p(data.label("no_revised")),
             f"<h3>{_e(data.label('demo_values'))}</h3>",
             _p(data.label("demo_count", n=int(demo["n_demo"].sum()), k=len(demo)) if len(demo)
                else data.label("no_demo"))]
    return "".join(parts)


def _evaluation(data: ReportData) -> str:
    lang, evaluation = data.options.lang, data.evaluation
    years = "、".join(str(y) for y in data.options.as_of_years) if lang == "zh" else \
        ", ".join(str(y) for y in data.options.as_of_years)
    return "".join([f"<h3>{_e(data.label('progress'))}</h3>",
                    table_html(F.evaluation_frame(evaluation, lang)),
                    f"<h3>{_e(data.label('earlier'))}</h3>",
                    _p(data.label("earlier_note", years=years), "note"),
                    table_html(F.earlier_frame(evaluation, lang))])
