"""The report as one self-contained HTML page.

Everything the page needs is inside the file: the styles, the Vega, Vega-Lite and Vega-Embed
libraries (:func:`vl_convert.javascript_bundle`, inlined in a ``<script>``) and each chart's
Vega-Lite specification with its data. The page loads nothing from any other host, so it opens
offline from a file share or an e-mail attachment. Charts are drawn as SVG, a few at a time after
the page has loaded, so that a long report stays responsive.

The page is made from the Jinja2 templates in ``planlib/report/templates`` with autoescaping on:
every name, note, unit and number from the catalogue or the observations is escaped, wherever
it comes from. Only the two scripts made here (the Vega bundle and the chart specifications as
JSON) are passed as :class:`markupsafe.Markup`.

When the report holds illustrative data, a fixed banner 示例数据（非官方统计） stays at the top of
the window and of every printed page.
"""

from __future__ import annotations

import functools
import json

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .. import i18n
from . import format as F
from . import method as M
from . import tables as T
from .. import schema as S
from .content import ReportData, sections, title

@functools.lru_cache(maxsize=1)
def vega_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed as one script (~1 MB).

    Making it takes ~2 s, so it is made once per vl-convert version and kept beside the drawn
    charts (:data:`planlib.charts.RENDER_CACHE`); without a writable cache it is made each time.
    """
    import vl_convert

    from .. import cache
    from ..charts import RENDER_CACHE_NAME

    return cache.get_or_make(cache.location(RENDER_CACHE_NAME), f"vega-bundle-{vl_convert.__version__}.js",
                             lambda: vl_convert.javascript_bundle().encode("utf-8")).decode("utf-8")


@functools.lru_cache(maxsize=1)
def _env() -> Environment:
    """The templates of ``planlib/report/templates``, every value escaped (autoescape on)."""
    return Environment(loader=PackageLoader("planlib", "report/templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True)


def render_html(data: ReportData, specs: dict[str, dict]) -> str:
    """The whole report as one HTML document.

    Args:
        data: the report's content (:func:`planlib.report.build.prepare`).
        specs: indicator id -> the Vega-Lite specification of its chart.

    Returns:
        The page as text (UTF-8 when written).
    """
    options = data.options
    meta = [data.label("unit_scope", unit=options.unit)] if options.unit else []
    meta.append(data.label("generated", date=data.generated, year=options.year))
    charts = {k: _clean_spec(v) for k, v in specs.items()}
    return _env().get_template("report.html.j2").render(
        html_lang="zh-CN" if options.lang == "zh" else "en", title=title(data),
        demo_label=data.demo_label() if data.demo else "", meta=meta, note=data.label("draft_note"),
        sections=[{"anchor": _anchor(key), "heading": heading, "blocks": _section(data, key)}
                  for key, heading in sections(data)],
        # Trusted: made here, not from any input. The bundle is vl-convert's own script; the
        # specifications are JSON in which every "<", ">" and "&" is written \\u003c, \\u003e,
        # \\u0026, so no text inside them (an indicator's name, say) can end the <script>.
        vega_bundle=Markup(_script_safe(vega_bundle())), chart_specs=Markup(script_json(charts)))


def script_json(value) -> str:
    """``value`` as JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&``.

    Examples:
        >>> script_json({"name": "</script><b>&"})
        '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _script_safe(code: str) -> str:
    return code.replace("</script", "<\\/script")


def _anchor(key: str) -> str:
    return key.replace(":", "-")


def _clean_spec(spec: dict) -> dict:
    """The spec without its ``$schema`` address (the page refers to no outside host)."""
    return {k: v for k, v in spec.items() if k != "$schema"}


# --- the blocks a section is made of (rendered by templates/blocks.html.j2) --------------------

def _h3(text: str) -> dict:
    return {"kind": "h3", "text": text}


def _h4(text: str) -> dict:
    return {"kind": "h4", "text": text}


def _p(text: str, cls: str = "") -> dict:
    return {"kind": "p", "text": text, "cls": cls}


def _table(frame: pd.DataFrame, numeric: tuple[str, ...] = ()) -> dict:
    columns = [str(c) for c in frame.columns]
    rows = [list(zip(columns, (str(v) for v in values))) for values in frame.itertuples(index=False)]
    return {"kind": "table", "columns": columns, "rows": rows, "numeric": [str(c) for c in numeric]}


def table_html(frame: pd.DataFrame, numeric: tuple[str, ...] = ()) -> str:
    """A frame of text as an HTML table (headings from the column names, cells escaped).

    Examples:
        >>> table_html(pd.DataFrame({"指标": ["<a>"], "值": ["1"]}), numeric=("值",))[-72:]
        '<tbody><tr><td>&lt;a&gt;</td><td class="num">1</td></tr></tbody></table>'
    """
    block = _table(frame, numeric)
    return _env().get_template("table.html.j2").render(
        columns=block["columns"], rows=block["rows"], numeric=block["numeric"]).strip()


def _section(data: ReportData, key: str) -> list[dict]:
    if key == "summary":
        return _summary(data)
    if key == "evaluation":
        return _evaluation(data)
    if key.startswith("plan:"):
        return _plan(data, key[5:])
    if key == "method":
        return _method(data)
    return _units(data) if key == "units" else _quality(data)


def _summary(data: ReportData) -> list[dict]:
    lang, table = data.options.lang, data.table
    counts = F.counts_frame(T.status_counts(table, [S.PLAN]), [S.PLAN], lang)
    domains = F.counts_frame(T.status_counts(table, [S.PLAN, T.DOMAIN]), [S.PLAN, T.DOMAIN], lang)
    risky = T.binding_at_risk(table)
    return [_h3(data.label("binding_risk")),
            _table(F.indicator_rows(risky, lang)) if len(risky) else _p(data.label("binding_none")),
            _h3(data.label("counts_plan")), _table(counts),
            _h3(data.label("counts_domain")), _table(domains),
            _h3(data.label("changes")), *_changes(data)]


def _changes(data: ReportData) -> list[dict]:
    lang, opts = data.options.lang, data.options
    key = "changes_basis" if data.vintage_used else "changes_no_vintage"
    changes = T.status_changes(data.table, data.previous)
    return [_p(data.label(key, date=opts.previous_date, year=opts.year - 1), "note"),
            _h4(data.label("status_changes")),
            _table(F.changes_frame(changes, lang)) if len(changes) else _p(data.label("no_status_changes")),
            _h4(data.label("revised")),
            _table(F.revised_frame(data.revised, lang)) if len(data.revised) else _p(data.label("no_revised"))]


def _plan(data: ReportData, plan: str) -> list[dict]:
    rows = data.table[data.table[S.PLAN] == plan]
    blocks = []
    for domain, group in rows.groupby(T.DOMAIN, sort=False):
        blocks.append(_h3(domain))
        blocks.extend(_indicator(data, row) for row in group.to_dict("records"))
    return blocks


def _indicator(data: ReportData, row: dict) -> dict:
    lang = data.options.lang
    facts, status = F.indicator_text(row, lang)
    return {"kind": "indicator", "id": row[S.INDICATOR_ID], "name": row[T.NAME],
            "colour": i18n.STATUS_COLORS.get(row[T.STATUS], "#999999"),
            "status": F.status_text(row[T.STATUS], lang), "facts": facts, "status_text": status,
            "references": F.reference_line(data.observations, row[S.INDICATOR_ID], row.get(S.UNIT) or "", lang),
            "context": F.context_text(row[S.INDICATOR_ID], lang)}


def _units(data: ReportData) -> list[dict]:
    lang, blocks = data.options.lang, []
    for unit in T.unit_overview(data.table, data.catalog, data.units).to_dict("records"):
        blocks += [_h3(unit["unit"]),
                   _table(F.indicator_rows(data.rows_of_unit(unit["unit"]), lang)),
                   _p(data.label("unit_behind") + F.id_list(unit["behind"], lang)),
                   _p(data.label("unit_no_data", year=data.options.year) + F.id_list(unit["no_data"], lang))]
    return blocks


def _quality(data: ReportData) -> list[dict]:
    lang, year = data.options.lang, data.options.year
    missing_units = T.missing_submissions(data.units, data.submissions, year)
    overview = T.unit_overview(data.table, data.catalog, data.units)
    missing = F.missing_frame(overview, year, lang)
    demo = T.demo_values(data.observations, data.table, year)
    return [_h3(data.label("missing_submissions", year=year)),
            _p(data.label("no_submission_units", year=year) + F.id_list(missing_units, lang)),
            _h4(data.label("missing_values", year=year)),
            _table(missing) if len(missing) else _p(data.label("no_missing_values", year=year)),
            _h3(data.label("revised_quality")),
            _table(F.revised_frame(data.revised, lang)) if len(data.revised) else _p(data.label("no_revised")),
            _h3(data.label("demo_values")),
            _p(data.label("demo_count", n=int(demo["n_demo"].sum()), k=len(demo)) if len(demo)
               else data.label("no_demo"))]


def _method(data: ReportData) -> list[dict]:
    lang, evidence = data.options.lang, data.evidence
    intro, note = M.evidence_texts(evidence, lang)
    return [_h3(data.label("method_statuses")), _table(M.status_meanings(lang)),
            _p(M.special_rules(lang)),
            _h3(data.label("method_how")), *(_p(line) for line in M.how_lines(lang)),
            _h3(data.label("method_evidence")), _p(intro),
            *([_evidence_table(evidence, lang), _p(note)] if note else [])]


def _evidence_table(evidence: pd.DataFrame, lang: str) -> dict:
    frame = M.evidence_table(evidence, lang)
    return _table(frame, numeric=tuple(frame.columns[2:]))


def _evaluation(data: ReportData) -> list[dict]:
    lang, evaluation = data.options.lang, data.evaluation
    years = F.year_list(data.options.as_of_years, lang)
    return [_h3(data.label("progress")), _table(F.evaluation_frame(evaluation, lang)),
            _h3(data.label("earlier")), _p(data.label("earlier_note", years=years), "note"),
            _table(F.earlier_frame(evaluation, lang))]
